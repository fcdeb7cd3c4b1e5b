"""A shell script's here-documents that write configuration.

`cat > job.yaml <<EOF ... EOF` (or `tee job.yaml <<EOF`, or `kubectl apply -f - <<EOF`) writes a
config file from the script, as a notebook's `%%writefile job.yaml` does: the body is that kind
of config, checked like the file it becomes. Its lines are data, not commands, as are those of
any other file a script writes that is not a shell script (a Markdown guide, a Python module),
and of a body fed to an interpreter that is not a shell (`python3 - <<'EOF'`: Python code). The kind comes
from the file written (`.yaml`, `.json`, `.toml`, `.env`) or from the program that reads it
(`kubectl`/`oc` with `-f -`: Kubernetes YAML). A body fed to a shell (`bash <<EOF`, `ssh host
<<EOF`) or to an unknown program stays commands. A body that does not parse, even with its
`${VAR}` expansions neutralised, is left unchecked: the script is not the broken file.
"""
from __future__ import annotations

import re
from collections import namedtuple
from pathlib import PurePosixPath

# `<<WORD`, `<<-WORD`, `<< 'WORD'`, `<<"WORD"` (a `<<<` here-string is not a here-document)
_OPENER = re.compile(r"""(?<!<)<<(?!<)(-?)\s*(['"]?)([A-Za-z_][\w.-]*)\2""")
_WRITTEN_FILE = re.compile(r"""(?:>>?|\btee(?:\s+-a)?)\s*(['"]?)([^\s'";|&<>]+)\1""")
_MANIFEST_READERS = re.compile(r"""(?<![\w-])(?:kubectl|oc)\s+(?:\S+\s+)*?-f\s*-(?=\s|$)""")
CONFIG_KINDS = frozenset(("yaml", "json", "toml", "env"))
# A body fed to an interpreter that is not a shell (`python3 - <<'EOF'`) is that language's code.
_INTERPRETER = re.compile(r"(?:^|[\s;&|(])(?:\S*/)?(?:python[\d.]*|node|ruby|perl|Rscript)(?:\s|$)")


class HereDocument(namedtuple("HereDocument", "kind first_line last_line")):
    """A config here-document: its kind and its body's lines (0-based, `last_line` exclusive)."""

    __slots__ = ()


def config_here_documents(lines: list[str]) -> list[HereDocument]:
    """The here-documents of a script (its lines) that write a config file."""
    return [here for here in here_documents(lines) if here.kind in CONFIG_KINDS]


def here_documents(lines: list[str]) -> list[HereDocument]:
    """The here-documents of a script whose body is data: a config file's (its kind), or any other
    file the script writes that is not a shell script (`cat > DEPLOYMENT.md <<EOF`: kind `text`,
    a document whose quoted commands run nothing). A body fed to a shell or a program stays commands."""
    from ...discover import kind_of

    found: list[HereDocument] = []
    i = 0
    while i < len(lines):
        opener = _OPENER.search(lines[i]) if "<<" in lines[i] else None
        if opener is None or lines[i].lstrip().startswith("#"):
            i += 1
            continue
        strip_tabs, delimiter = opener.group(1) == "-", opener.group(3)
        end = i + 1
        while end < len(lines) and (lines[end].lstrip("\t") if strip_tabs else lines[end]).rstrip() != delimiter:
            end += 1
        written = _WRITTEN_FILE.search(lines[i])
        kind = kind_of(PurePosixPath(written.group(2))) if written else None
        if kind is None and _MANIFEST_READERS.search(lines[i]):
            kind = "yaml"
        if kind in CONFIG_KINDS or written and kind != "shell" or _INTERPRETER.search(lines[i][:opener.start()]):
            found.append(HereDocument(kind if kind in CONFIG_KINDS else "text", i + 1, end))
        i = end + 1
    return found


def here_document_configs(text: str) -> list:
    """The config documents a script's here-documents write, each node at its line in the script."""
    from . import parse_config
    from ..base import FrontendError

    lines = text.splitlines()
    documents: list = []
    for here in config_here_documents(lines):
        # Blank lines before the body keep every node on the script's own line numbers.
        body = "\n" * here.first_line + "\n".join(lines[here.first_line:here.last_line]) + "\n"
        try:
            documents.extend(parse_config(here.kind, body) or ())
        except FrontendError:
            continue
    return documents
