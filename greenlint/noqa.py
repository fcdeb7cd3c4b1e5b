"""`--add-noqa`: write `# greenlint: ignore[CODE]` on the line of every current finding.

Works in Python files, notebooks (inside the cell's source, editing only the characters of that
JSON string so the notebook's own formatting stays), YAML, TOML and Terraform. Codes are merged
into a greenlint directive already on the line; anything else on the line is kept. Running it
twice changes nothing, since suppressed findings are no longer reported. A line whose end is
inside a string or continued with a backslash cannot hold a comment: it is reported, not edited.
"""
from __future__ import annotations

import io
import json
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from . import suppress
from .discover import kind_of
from .finding import Finding
from .rules import BARE_SUPPRESSION, PARSE_ERROR, UNUSED_SUPPRESSION

# Findings about the file itself or about directives cannot be silenced by one more directive.
NOT_SUPPRESSIBLE = {PARSE_ERROR, BARE_SUPPRESSION, UNUSED_SUPPRESSION}
COMMENT_KINDS = {"python", "yaml", "toml", "terraform"}
_LINE_DIRECTIVE = re.compile(r"#\s*greenlint\s*:\s*ignore(?!-)(?P<codes>\[[^\]]*\])?", re.IGNORECASE)
_CODE = re.compile(r"[A-Za-z]+[0-9]+")


class CannotAnnotate(Exception):
    """This line cannot carry a comment; the message says why."""


@dataclass
class NoqaResult:
    added: int = 0  # directives written or extended
    files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, int, str]] = field(default_factory=list)  # path, line, why


def directive_edit(line: str, codes: set[str], comment_at: int | None) -> tuple[int, int, str]:
    """(start, end, replacement) inside `line` that makes it suppress `codes`.

    `comment_at`: where the line's comment starts (None: no comment, or unknown)."""
    search_from = comment_at if comment_at is not None else line.find("#")
    match = _LINE_DIRECTIVE.search(line, search_from) if search_from is not None and search_from >= 0 else None
    if match:
        present = [c.upper() for c in _CODE.findall(match.group("codes") or "")]
        merged = present + sorted(c for c in codes if c not in present)
        return match.start(), match.end(), f"# greenlint: ignore[{', '.join(merged)}]"
    end = len(line.rstrip())
    return end, len(line), f"  # greenlint: ignore[{', '.join(sorted(codes))}]"


def _apply(line: str, edit: tuple[int, int, str]) -> str:
    start, end, text = edit
    return line[:start] + text + line[end:]


# ---- plain text files ----------------------------------------------------------------

def _python_lines(text: str) -> dict[int, int | None]:
    """Per line that cannot hold a comment: None. Per line with a comment: its column."""
    info: dict[int, int | None] = {}
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.COMMENT:
            info[tok.start[0]] = tok.start[1]
        elif tok.end[0] > tok.start[0] and tok.type not in (tokenize.NL, tokenize.NEWLINE):
            for number in range(tok.start[0], tok.end[0]):  # a string spanning lines
                info[number] = None
    return info


def _edit_lines(text: str, kind: str, wanted: dict[int, set[str]], path: str, result: NoqaResult) -> str:
    lines = text.splitlines(keepends=True)
    comments: dict[int, int | None] = {}
    if kind == "python":
        try:
            comments = _python_lines(text)
        except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
            for number in wanted:
                result.skipped.append((path, number, f"cannot tokenise the file ({exc})"))
            return text
    for number, codes in sorted(wanted.items()):
        if not 0 < number <= len(lines):
            result.skipped.append((path, number, "no such line"))
            continue
        body = lines[number - 1].rstrip("\r\n")
        ending = lines[number - 1][len(body):]
        if number in comments and comments[number] is None or body.rstrip().endswith("\\"):
            result.skipped.append((path, number, "the line ends inside a string or continues on the next"))
            continue
        lines[number - 1] = _apply(body, directive_edit(body, codes, comments.get(number))) + ending
        result.added += 1
    return "".join(lines)


def _still_valid(kind: str, before: str, after: str) -> bool:
    """The edited file must parse if the original did."""
    if kind == "python":
        import ast

        try:
            ast.parse(before)
        except SyntaxError:
            return True
        try:
            ast.parse(after)
        except SyntaxError:
            return False
        return True
    from .frontends.config import parse_config

    try:
        parse_config(kind, before)
    except Exception:  # the config reader's errors vary by kind; a broken file stays broken
        return True
    try:
        parse_config(kind, after)
    except Exception:
        return False
    return True


# ---- notebooks -------------------------------------------------------------------------

def _notebook_edits(raw: str, wanted: dict[tuple[int, int], set[str]], path: str, result: NoqaResult) -> str:
    """Edit cell source lines inside the raw JSON text: only the characters of the directive."""
    from .frontends.notebook import _raw_width, read_notebook

    notebook = read_notebook(raw.encode("utf-8"))
    maps = {}
    for unit in notebook.units:
        for cmap, _, _ in unit._lines:
            maps.setdefault(cmap.cell, cmap)
    cells = json.loads(raw).get("cells", [])
    file_lines = raw.splitlines(keepends=True)
    for (cell, cell_line), codes in sorted(wanted.items(), reverse=True):  # bottom up: offsets hold
        cmap = maps.get(cell)
        if cmap is None or not 0 < cell_line <= len(cmap.line_lengths):
            result.skipped.append((path, cell_line, f"cell {cell} line {cell_line} not found"))
            continue
        source = cells[cell - 1].get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        try:
            text_line, comment_at = _cell_line(source, cell_line)
        except CannotAnnotate as exc:
            result.skipped.append((path, cell_line, f"cell {cell}: {exc}"))
            continue
        start, end, new = directive_edit(text_line, codes, comment_at)
        file_line, first_col = cmap.file_position(cell_line, 1)
        row = file_lines[file_line - 1]
        content = row[first_col - 1:]
        raw_start = first_col - 1 + _raw_width(content, start)
        raw_end = first_col - 1 + _raw_width(content, end)
        escaped = json.dumps(new)[1:-1]  # the directive is ASCII; codes too
        file_lines[file_line - 1] = row[:raw_start] + escaped + row[raw_end:]
        result.added += 1
    return "".join(file_lines)


def _cell_line(source: str, cell_line: int) -> tuple[str, int | None]:
    lines = source.splitlines()
    text_line = lines[cell_line - 1] if cell_line <= len(lines) else ""
    if text_line.rstrip().endswith("\\"):
        raise CannotAnnotate("the line continues on the next")
    try:
        info = _python_lines(source)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        info = {}  # magics and the like: fall back to the line alone
    if cell_line in info and info[cell_line] is None:
        raise CannotAnnotate("the line ends inside a string")
    return text_line, info.get(cell_line)


# ---- driver ----------------------------------------------------------------------------

def add_noqa(findings: list[Finding]) -> NoqaResult:
    result = NoqaResult()
    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        if f.code not in NOT_SUPPRESSIBLE and f.path != "-":
            by_path.setdefault(f.path, []).append(f)
    for path, group in sorted(by_path.items()):
        before = result.added
        try:
            _annotate_file(Path(path), group, result)
        except (OSError, UnicodeDecodeError) as exc:
            result.skipped.append((path, group[0].line, f"cannot read or write: {exc}"))
            continue
        if result.added > before:
            result.files.append(path)
    return result


def _annotate_file(path: Path, findings: list[Finding], result: NoqaResult) -> None:
    kind = kind_of(path)
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    name = str(path.as_posix())
    added_before = result.added
    if kind == "notebook":
        wanted_cells: dict[tuple[int, int], set[str]] = {}
        for f in findings:
            if f.cell is not None and f.cell_line is not None:
                wanted_cells.setdefault((f.cell, f.cell_line), set()).add(f.code)
        new = _notebook_edits(text, wanted_cells, name, result)
        try:
            json.loads(new)
        except ValueError:
            result.added = added_before
            result.skipped.append((name, findings[0].line, "the edited notebook would not be valid JSON; left unchanged"))
            return
    elif kind in COMMENT_KINDS:
        wanted: dict[int, set[str]] = {}
        for f in findings:
            wanted.setdefault(f.line, set()).add(f.code)
        new = _edit_lines(text, kind, wanted, name, result)
        if not _still_valid(kind, text, new) or not _suppresses(new, kind, wanted):
            result.added = added_before
            result.skipped.append((name, findings[0].line, "the edited file would not parse or suppress; left unchanged"))
            return
    else:
        why = "JSON has no comments: use per-file-ignores" if kind == "json" else f"no comment syntax greenlint writes for {kind or 'this file'}"
        result.skipped.extend((name, f.line, why) for f in findings)
        return
    if new != text:
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + new.encode("utf-8"))


def _suppresses(text: str, kind: str, wanted: dict[int, set[str]]) -> bool:
    """Every line that was edited now carries a directive naming its codes (the suppressor's own reading)."""
    directives: dict[int, set[str]] = {}
    for d in suppress.parse_directives(text, python=kind == "python"):
        if not d.file_wide:
            directives.setdefault(d.line, set()).update(d.codes)
    lines = text.splitlines()
    return all(codes <= directives.get(number, set()) for number, codes in wanted.items()
               if number <= len(lines) and "greenlint" in lines[number - 1])
