"""IPython syntax in notebook cells: magics, shell escapes, `?` help and pasted prompts replaced by
Python placeholders of the same shape (same line count and, where possible, the same columns),
as IPython's own input transformers would remove them before running the cell."""
from __future__ import annotations

import ast
import re

PARSE_FLAGS = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT

# Cell magics whose body is Python run in this kernel (or a Python subprocess).
# `%%local` (sparkmagic) runs its body in the notebook's own Python kernel.
_PYTHON_CELL_MAGICS = frozenset(
    "time timeit capture prun debug memit python python3 pypy pyinstrument snakeviz heat scalene local".split()
)
_WRITEFILE_MAGICS = frozenset(("writefile", "file"))
# Cell magics whose body is another language or data. A cell magic not named here or above (a
# project's or a library's own, `%%train_remote`, `%%skip_if`) usually takes Python: its body is
# read as Python when it parses as Python, and left alone otherwise.
_OTHER_LANGUAGE_CELL_MAGICS = frozenset(
    "bash sh zsh script system ! html javascript js latex markdown svg sql bq kql sparksql spark "
    "configure cleanup info send_to_spark perl ruby R julia octave matlab cython mermaid dot".split()
)
# Cell magics that Google Cloud Datalab (and notebooks written for it) spell with one `%`: IPython
# has no line magic of these names, so a first line `%bash` over more lines is the `%%bash` cell.
_DATALAB_CELL_MAGICS = frozenset("bash sh bq sql writefile html javascript script".split())
# Line magics that take a Python statement: keep it visible to the rules.
_TIMED_LINE_MAGICS = frozenset(("time", "timeit"))
# Names IPython runs as magics without `%` (automagic is on by default).
_AUTOMAGICS = frozenset(
    "pip conda mamba cd env matplotlib load_ext reload_ext autoreload config alias "
    "pwd ls cat mkdir rm cp mv clear who whos reset store run history "
    # The rest of IPython's and ipykernel's line magics that notebooks call without `%`.
    "time timeit prun load save tb xmode pdb debug set_env autosave rmdir ll lsmagic dhist "
    "pushd popd bookmark sx system unalias xdel pycat pylab gui precision rerun recall "
    "who_ls psource pinfo pdoc pdef pfile psearch edit less more man doctest_mode "
    "autocall automagic autoawait unload_ext logstart logstop macro reset_selective".split()
)
_HELP_END = re.compile(r"^\s*%{0,2}[A-Za-z_*][\w*]*(?:\.[A-Za-z_*][\w*]*|\[\d+\])*\?\??\s*$")
_ASSIGN_MAGIC = re.compile(r"^\s*[A-Za-z_][\w.,\s\[\]()*]*?(?<![=<>!])=(?!=)\s*[!%]")
_TIMEIT_OPT = re.compile(r"-[nrp]\s*\S+\s+|-[tcqo]\s+|-[nrp]\S+\s+")


def dedent(lines: list[str]) -> tuple[list[str], list[int]]:
    """IPython removes the first line's indentation from every line that has it."""
    shifts = [0] * len(lines)
    first = next((ln for ln in lines if ln.strip()), "")
    prefix = first[: len(first) - len(first.lstrip(" \t"))]
    if not prefix:
        return lines, shifts
    out = []
    for i, ln in enumerate(lines):
        if ln.startswith(prefix):
            out.append(ln[len(prefix) :])
            shifts[i] = len(prefix)
        else:
            out.append(ln)
    return out, shifts


# IPython strips pasted prompts: `>>> ` / `... ` when the first line has `>>> `, and
# `In [3]: ` / `   ...: ` (IPython.core.inputtransformer2.classic_prompt, ipython_prompt).
_CLASSIC_FIRST = re.compile(r">>>( |$)")
_CLASSIC = re.compile(r"(>>>|\.\.\.)( |$)")
_IPY_PROMPT = re.compile(r"((\[nav\]|\[ins\])? )?In \[\d+\]: |\s*\.{3,}: ?")


def strip_prompts(lines: list[str], shifts: list[int]) -> list[str]:
    """Remove doctest and IPython prompts as IPython does, adding their width to ``shifts``."""
    start = next((k for k, ln in enumerate(lines) if ln.strip()), len(lines))
    if start == len(lines):
        return lines
    for first, prompt in ((_CLASSIC_FIRST, _CLASSIC), (_IPY_PROMPT, _IPY_PROMPT)):
        if first.match(lines[start]) or (start + 1 < len(lines) and prompt.match(lines[start + 1])):
            out = list(lines)
            for k in range(start, len(lines)):
                m = prompt.match(lines[k])
                if m:
                    out[k] = lines[k][m.end():]
                    shifts[k] += m.end()
            lines = out
    return lines


def cell_magic(lines: list[str]) -> tuple[str, tuple[int, str, str] | None]:
    """('python' | 'writefile' | 'other' | 'custom', (line index, name, args)) of the leading %%
    magic; 'custom': one whose language is not known (see _OTHER_LANGUAGE_CELL_MAGICS).

    Python cell magics stack: `%%time` runs its body as a cell, so `%%time\n%%bash` is a
    bash cell and `%%capture\n%%writefile x.py` writes x.py. The index returned is the
    last magic line; every line up to it is magic or blank.
    """
    found = None
    for i, ln in enumerate(lines):
        if not ln.strip():
            continue
        if not ln.startswith("%%"):
            if found is not None or not _datalab_cell_magic(ln) or not any(rest.strip() for rest in lines[i + 1:]):
                return "python", found
            ln = "%" + ln  # Datalab's `%bash` is IPython's `%%bash`
        name, _, args = ln[2:].partition(" ")
        name = name.strip()
        if name in _PYTHON_CELL_MAGICS:
            found = (i, name, args)
            continue
        if name in _WRITEFILE_MAGICS:
            return "writefile", (i, name, args)
        return "other" if name in _OTHER_LANGUAGE_CELL_MAGICS else "custom", (i, name, args)
    return "python", found


def _datalab_cell_magic(line: str) -> bool:
    return line.startswith("%") and line[1:].split(" ", 1)[0].strip() in _DATALAB_CELL_MAGICS


def comment_placeholder(line: str) -> str:
    """Same length, always parses: `#` over the first non-blank character."""
    stripped = line.lstrip()
    if not stripped:
        return line
    indent = len(line) - len(stripped)
    return line[:indent] + "#" + stripped[1:]


def _statement_placeholder(line: str) -> str:
    """Same length, a statement (for magics inside an indented block)."""
    stripped = line.lstrip()
    indent = line[: len(line) - len(stripped)]
    n = len(stripped)
    if n >= 5:
        body = "pass#" + stripped[5:]
    elif n == 4:
        body = "pass"
    elif n == 3:
        body = "..."
    elif n == 2:
        body = "0;"
    else:
        body = "0"
    return indent + body


def _placeholder(line: str) -> str:
    if line[:1] in (" ", "\t"):
        return _statement_placeholder(line)
    return comment_placeholder(line)


def _timed_statement(stripped: str) -> int | None:
    """Offset of the Python statement in `%time stmt` / `%timeit -n 3 stmt`, if any."""
    m = re.match(r"%?(\w+)\s+", stripped)
    if not m or m.group(1) not in _TIMED_LINE_MAGICS:
        return None
    i = m.end()
    if m.group(1) == "timeit":
        while True:
            o = _TIMEIT_OPT.match(stripped, i)
            if not o:
                break
            i = o.end()
    if i >= len(stripped) or i < 2:
        return None
    return i


def _is_magic_line(stripped: str, single: bool = False) -> bool:
    if not stripped:
        return False
    if stripped[0] in "%!?/,;":
        return True
    if stripped.endswith("?") and _HELP_END.match(stripped):
        return True
    if _ASSIGN_MAGIC.match(stripped):
        return True
    word = re.match(r"[A-Za-z_]\w*", stripped)
    if not word or word.group(0) not in _AUTOMAGICS:
        return False
    follow = stripped[word.end() : word.end() + 1]
    rest = stripped[word.end():].lstrip()
    if single:
        # IPython's rule for a one-line cell: the name is the magic unless an assignment
        # follows (`ls = 1`, `ls, x = f()`); `cd ../`, `ls ./data`, `ls > out` are magics.
        if follow in (".", "*") or follow.isalnum() or follow == "_" or rest[:1] in ("=", ","):
            return False
    else:
        # In a longer cell IPython runs no automagic at all; a line that is not Python there
        # is accepted leniently as a magic, but `history = f(` (open bracket) stays Python.
        if follow not in (" ", "\t", ""):
            return False
        if rest[:1] and rest[0] in "=([.,+-*/%<>&|^~:@" and not rest.startswith("-"):
            return False
    try:
        compile(stripped, "<line>", "exec", PARSE_FLAGS)
    except (SyntaxError, ValueError):
        return True
    return False


def transform(lines: list[str], first_magic: tuple | None = None, keep_timed: bool = True) -> list[str]:
    """Replace IPython syntax at the start of logical lines with same-shape placeholders."""
    out = list(lines)
    state = _ScanState()
    skip_until = -1
    if first_magic is not None:
        for k in range(first_magic[0] + 1):
            out[k] = comment_placeholder(lines[k])
        skip_until = first_magic[0]
    i = 0
    n = len(lines)
    # IPython applies automagic (`ls ./data`, `cd ..` without `%`) only to one-line cells.
    first = next((k for k, ln in enumerate(lines) if ln.strip()), n)
    single = n - first == 1 and skip_until < first
    while i < n:
        if i <= skip_until:
            i += 1
            continue
        line = out[i]
        if state.at_statement_start():
            stripped = line.lstrip()
            if _is_magic_line(stripped, single):
                indent = line[: len(line) - len(stripped)]
                at = _timed_statement(stripped) if keep_timed else None
                if at is not None:
                    # `%time f(x)` -> `1;    f(x)`: the statement keeps its columns.
                    line = indent + "1;" + " " * (at - 2) + stripped[at:]
                    out[i] = line
                else:
                    out[i] = _placeholder(line)
                    # A magic continued with a trailing backslash owns the next lines too.
                    while line.rstrip().endswith("\\") and i + 1 < n:
                        i += 1
                        line = lines[i]
                        out[i] = comment_placeholder(line)
                    i += 1
                    continue
        state.scan(line)
        i += 1
    return out


class _ScanState:
    """Just enough of Python's tokenizer to know whether a line starts a new statement."""

    __slots__ = ("quote", "depth", "continued")

    def __init__(self) -> None:
        self.quote = ""  # the open string's delimiter, if a string spans lines
        self.depth = 0
        self.continued = False

    def at_statement_start(self) -> bool:
        return not self.quote and self.depth == 0 and not self.continued

    def scan(self, line: str) -> None:
        i = 0
        n = len(line)
        quote = self.quote
        self.continued = False
        while i < n:
            c = line[i]
            if quote:
                if c == "\\":
                    if i + 1 >= n:
                        self.continued = len(quote) == 1
                        break
                    i += 2
                    continue
                if line.startswith(quote, i):
                    i += len(quote)
                    quote = ""
                    continue
                i += 1
                continue
            if c == "#":
                break
            if c in "\"'":
                quote = line[i : i + 3] if line[i : i + 3] in ('"""', "'''") else c
                i += len(quote)
                continue
            if c in "([{":
                self.depth += 1
            elif c in ")]}":
                self.depth = max(self.depth - 1, 0)
            elif c == "\\" and i + 1 == n:
                self.continued = True
            i += 1
        if len(quote) == 1 and not self.continued:
            quote = ""  # an unterminated short string ends at the line's end (an error)
        self.quote = quote


def parse_error(lines: list[str]) -> tuple[int, int, str] | None:
    text = "".join(ln + "\n" for ln in lines)
    try:
        compile(text, "<cell>", "exec", PARSE_FLAGS)
    except SyntaxError as exc:
        return exc.lineno or 1, exc.offset or 1, exc.msg or "invalid syntax"
    except ValueError as exc:  # null bytes, before Python 3.12
        return 1, 1, str(exc)
    return None
