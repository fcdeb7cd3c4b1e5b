"""Jupyter notebooks: code cells as Python units with cell-accurate positions.

The code cells are joined into one Python text (so cell 1's imports resolve names in
cell 7). IPython syntax (magics, shell escapes, ``?`` help) is replaced by placeholders of
the same shape: same line count and, where possible, the same columns. Outputs are never
looked at beyond ``json.loads``.

Positions: every source line is mapped back to the JSON string token that stores it in the
``.ipynb`` file, so ``Location.line``/``column`` point into the file on disk (what SARIF and
GitHub annotations need), and ``cell``/``cell_line``/``cell_column`` give the in-cell view.
"""
from __future__ import annotations

import ast
import bisect
import json
import re
from dataclasses import dataclass, field

from .notebook_shell import is_shell_magic as _is_shell_magic
from .notebook_shell import shell_cell_commands as _shell_cell_commands
from .notebook_shell import shell_commands as _shell_commands

__all__ = ["Location", "Notebook", "NotebookError", "PythonUnit", "read_notebook"]

_PARSE_FLAGS = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
# This many broken cells, and most of the Python cells, make one "not Python?" finding.
_FOREIGN_MIN = 10


class NotebookError(Exception):
    """The notebook as a whole cannot be read: one GL000 finding at (line, column)."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Location:
    line: int  # 1-based line of the .ipynb file
    column: int  # 1-based column (characters) of that .ipynb line
    cell: int  # 1-based position among all cells
    cell_line: int
    cell_column: int


class _CellMap:
    """Maps (line, column) inside one cell's source to the .ipynb file."""

    __slots__ = ("cell", "line_starts", "line_lengths", "tok_dstart", "tok_raw", "tok_line", "tok_col", "total")

    def __init__(self, cell: int, source: str):
        self.cell = cell
        self.line_starts: list[int] = []
        self.line_lengths: list[int] = []
        for text, start in _split_lines(source):
            self.line_starts.append(start)
            self.line_lengths.append(len(text))
        self.total = len(source)
        # String tokens storing the source: decoded start index, raw JSON content (no
        # quotes), .ipynb line and 1-based column of the content's first character.
        self.tok_dstart: list[int] = []
        self.tok_raw: list[str] = []
        self.tok_line: list[int] = []
        self.tok_col: list[int] = []

    def file_position(self, cell_line: int, cell_column: int) -> tuple[int, int]:
        if not self.tok_raw:
            return 1, 1
        if not self.line_starts:
            return self.tok_line[0], self.tok_col[0]
        i = min(max(cell_line, 1), len(self.line_starts)) - 1
        col = min(max(cell_column, 1) - 1, self.line_lengths[i])
        index = min(self.line_starts[i] + col, self.total)
        t = max(bisect.bisect_right(self.tok_dstart, index) - 1, 0)
        # An index at the very end of a token belongs to the next one if there is one.
        raw = self.tok_raw[t]
        return self.tok_line[t], self.tok_col[t] + _raw_width(raw, index - self.tok_dstart[t])


def _raw_width(raw: str, count: int) -> int:
    """Characters of JSON-escaped ``raw`` that encode its first ``count`` decoded characters."""
    i = 0
    n = len(raw)
    while count > 0 and i < n:
        if raw[i] == "\\" and i + 1 < n:
            if raw[i + 1] == "u":
                # A surrogate pair written as two escapes decodes to one character.
                if (
                    0xD800 <= _hex(raw[i + 2 : i + 6]) <= 0xDBFF
                    and raw[i + 6 : i + 8] == "\\u"
                    and 0xDC00 <= _hex(raw[i + 8 : i + 12]) <= 0xDFFF
                ):
                    i += 12
                else:
                    i += 6
            else:
                i += 2
        else:
            i += 1
        count -= 1
    return i


def _hex(text: str) -> int:
    try:
        return int(text, 16)
    except ValueError:
        return -1


@dataclass
class PythonUnit:
    """Python source to lint, with the way back to the notebook."""

    text: str
    cell: int | None = None  # %%writefile unit: its cell; None for the joined notebook unit
    filename: str | None = None  # %%writefile unit: the file name it writes
    # Shell commands of the cells (`!cmd`, `x = !cmd`, `%sx`/`%system`, `%%bash`/`%%sh` cell lines):
    # (1-based line of ``text``, 0-based column, command text with `\` continuations joined).
    shell: list = field(default_factory=list, compare=False)
    # Per line of ``text``: (cell map, 1-based line in the cell, column shift from dedent).
    _lines: list = field(default_factory=list, repr=False, compare=False)

    def locate(self, line: int, column: int) -> Location:
        if not self._lines:
            return Location(line, column, self.cell or 1, line, column)
        i = min(max(line, 1), len(self._lines)) - 1
        cmap, cell_line, shift = self._lines[i]
        if line > len(self._lines):  # past the end (an EOF position): end of the last line
            column = cmap.line_lengths[cell_line - 1] + 1 - shift if cmap.line_lengths else 1
        cell_column = max(column, 1) + shift
        file_line, file_column = cmap.file_position(cell_line, cell_column)
        return Location(file_line, file_column, cmap.cell, cell_line, cell_column)


@dataclass
class Notebook:
    units: list[PythonUnit]
    errors: list[tuple[Location, str]]  # cells that do not parse: one GL000 each


# --------------------------------------------------------------------------- reading


def read_notebook(data: bytes) -> Notebook:
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"notebook is not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        nb = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise NotebookError(f"notebook is not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise NotebookError("notebook is not valid JSON: nested too deeply") from None
    if not isinstance(nb, dict):
        raise NotebookError("notebook is not a JSON object")

    major = nb.get("nbformat")
    if major == 3 or (major is None and "worksheets" in nb):
        cells = []
        sheets = nb.get("worksheets")
        if not isinstance(sheets, list):
            raise NotebookError("nbformat 3 notebook has no `worksheets` list")
        for sheet in sheets:
            sheet_cells = sheet.get("cells") if isinstance(sheet, dict) else None
            if isinstance(sheet_cells, list):
                cells.extend(sheet_cells)
        code_key = "input"
    elif major is None or (isinstance(major, int) and major >= 4):
        cells = nb.get("cells")
        if cells is None:
            raise NotebookError("notebook has no `cells` list (is this a Jupyter notebook?)")
        if not isinstance(cells, list):
            raise NotebookError("notebook `cells` is not a list")
        code_key = "source"
    else:
        raise NotebookError(f"unsupported notebook format nbformat {major!r} (greenlint reads nbformat 3 and 4)")
    if not cells:
        raise NotebookError("notebook has no cells")

    if not _is_python(nb):
        return Notebook(units=[], errors=[])

    # (cell number, key, value as stored, decoded text, is Python code)
    entries: list[tuple[int, str, object, str, bool]] = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict):
            continue
        kind = cell.get("cell_type")
        key = code_key if kind == "code" else "source"
        value = cell.get(key)
        text = _join_source(value)
        is_code = kind == "code" and (code_key == "source" or cell.get("language", "python") == "python")
        entries.append((number, key, value, text, is_code))

    maps = {number: _CellMap(number, text) for number, _, _, text, is_code in entries if is_code}
    _find_tokens(raw, entries, maps)

    units: list[PythonUnit] = []
    errors: list[tuple[Location, str]] = []  # %%writefile files that do not parse
    broken: list[tuple[Location, str]] = []  # Python cells that do not parse
    python_cells = 0
    joined = _Joined()
    for number, _, _, text, is_code in entries:
        if not is_code:
            continue
        cmap = maps[number]
        lines, shifts = _dedent(_split_text(text))
        lines = _strip_prompts(lines, shifts)
        kind, magic = _cell_magic(lines)
        if kind == "python":
            out = _transform(lines, first_magic=magic)
            joined.shell.extend(_shell_commands(lines, out, len(joined.lines)))
        elif kind == "writefile":
            joined.add_blank(cmap, shifts)
            unit = _writefile_unit(number, cmap, lines, shifts, magic, errors)
            if unit is not None:
                units.append(unit)
            continue
        else:  # a non-Python cell magic (%%bash, %%html, ...): nothing for the Python rules
            if magic is not None and _is_shell_magic(magic):
                joined.shell.extend(_shell_cell_commands(lines, magic[0] + 1, len(joined.lines)))
            joined.add_blank(cmap, shifts)
            continue
        error = _parse_error(out)
        if error is not None:
            # Keeping `%time stmt` as Python can fail where a plain placeholder would not.
            alt = _transform(lines, first_magic=magic, keep_timed=False)
            if _parse_error(alt) is None:
                out, error = alt, None
        python_cells += 1
        if error is not None:
            lineno, offset, msg = error
            broken.append((_cell_location(cmap, shifts, lineno, offset), f"cannot parse this cell: {msg}"))
            joined.add_blank(cmap, shifts)
            continue
        joined.add(cmap, shifts, out)

    if len(broken) >= _FOREIGN_MIN and 2 * len(broken) > python_cells:
        # Most cells fail: the notebook is in another language under a Python kernel name (R
        # notebooks copied from a Python template). One finding says so instead of one per cell.
        location, message = broken[0]
        broken = [(location, f"{len(broken)} of {python_cells} code cells do not parse as Python (the first, here: "
                             f"{message.split(': ', 1)[-1]}); a notebook in another language needs that kernel in its metadata")]
    errors[:0] = broken
    unit = PythonUnit(text=joined.text(), shell=joined.shell, _lines=joined.lines)
    units.insert(0, unit)
    return Notebook(units=units, errors=errors)


def _is_python(nb: dict) -> bool:
    """False only for notebooks that clearly say they are in another language (R, Julia...)."""
    meta = nb.get("metadata")
    if not isinstance(meta, dict):
        return True
    info = meta.get("language_info")
    if isinstance(info, dict) and isinstance(info.get("name"), str):
        return info["name"].lower() in ("python", "python3", "ipython", "ipython3")
    spec = meta.get("kernelspec")
    if isinstance(spec, dict) and isinstance(spec.get("language"), str):
        return spec["language"].lower() in ("python", "python3", "ipython", "ipython3")
    return True


def _join_source(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(part for part in value if isinstance(part, str))
    return ""


_NEWLINE = re.compile(r"\r\n|\r|\n")


def _split_lines(source: str) -> list[tuple[str, int]]:
    """Lines as Python's tokenizer sees them (\\r\\n, \\r, \\n), with their start index."""
    out = []
    start = 0
    for m in _NEWLINE.finditer(source):
        out.append((source[start : m.start()], start))
        start = m.end()
    if start < len(source):
        out.append((source[start:], start))
    return out


def _split_text(source: str) -> list[str]:
    return [text for text, _ in _split_lines(source)]


# ------------------------------------------------------------------ position finding

_WS = re.compile(r"[ \t\r\n]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _find_tokens(raw: str, entries: list, maps: dict[int, _CellMap]) -> None:
    """Find where each cell's source is stored in the raw text, in cell order.

    Each candidate `"source":` (or `"input":`) is checked by decoding the value that follows
    and comparing it with the cell's source, so a key of that name inside outputs or
    metadata cannot be mistaken for it. str.find skips over outputs at C speed.
    """
    decoder = json.JSONDecoder()
    pos = 0
    line = 1
    line_pos = 0  # raw offset for which `line` is known
    for number, key, value, _, is_code in entries:
        if value is None:
            continue
        needle = f'"{key}"'
        search = pos
        while True:
            hit = raw.find(needle, search)
            if hit < 0:
                break
            search = hit + 1
            after = _WS.match(raw, hit + len(needle)).end()
            if raw[after : after + 1] != ":":
                continue
            start = _WS.match(raw, after + 1).end()
            try:
                decoded, end = decoder.raw_decode(raw, start)
            except ValueError:
                continue
            if decoded != value:
                continue
            pos = end
            if is_code:
                cmap = maps[number]
                dstart = 0
                for tok in _tokens_of(raw, start, end):
                    line += raw.count("\n", line_pos, tok)
                    line_pos = tok
                    col = tok - (raw.rfind("\n", 0, tok) + 1) + 2  # 1-based, after the quote
                    content = raw[tok + 1 : _STRING.match(raw, tok).end() - 1]
                    cmap.tok_dstart.append(dstart)
                    cmap.tok_raw.append(content)
                    cmap.tok_line.append(line)
                    cmap.tok_col.append(col)
                    dstart += len(json.loads(raw[tok : tok + len(content) + 2]))
            break


def _tokens_of(raw: str, start: int, end: int) -> list[int]:
    """Offsets of the string tokens of a JSON string or list of strings in raw[start:end]."""
    if raw[start] == '"':
        return [start]
    out = []
    i = start + 1
    while i < end:
        m = _STRING.search(raw, i, end)
        if not m:
            break
        out.append(m.start())
        i = m.end()
    return out


# ------------------------------------------------------------------- IPython syntax

# Cell magics whose body is Python run in this kernel (or a Python subprocess).
_PYTHON_CELL_MAGICS = frozenset(
    "time timeit capture prun debug memit python python3 pypy pyinstrument snakeviz heat scalene".split()
)
_WRITEFILE_MAGICS = frozenset(("writefile", "file"))
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


def _dedent(lines: list[str]) -> tuple[list[str], list[int]]:
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


def _strip_prompts(lines: list[str], shifts: list[int]) -> list[str]:
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


def _cell_magic(lines: list[str]) -> tuple[str, tuple[int, str, str] | None]:
    """('python' | 'writefile' | 'other', (line index, name, args)) of the leading %% magic.

    Python cell magics stack: `%%time` runs its body as a cell, so `%%time\n%%bash` is a
    bash cell and `%%capture\n%%writefile x.py` writes x.py. The index returned is the
    last magic line; every line up to it is magic or blank.
    """
    found = None
    for i, ln in enumerate(lines):
        if not ln.strip():
            continue
        if not ln.startswith("%%"):
            return "python", found
        name, _, args = ln[2:].partition(" ")
        name = name.strip()
        if name in _PYTHON_CELL_MAGICS:
            found = (i, name, args)
            continue
        if name in _WRITEFILE_MAGICS:
            return "writefile", (i, name, args)
        return "other", (i, name, args)
    return "python", found


def _comment_placeholder(line: str) -> str:
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
    return _comment_placeholder(line)


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
        compile(stripped, "<line>", "exec", _PARSE_FLAGS)
    except (SyntaxError, ValueError):
        return True
    return False


def _transform(lines: list[str], first_magic: tuple | None = None, keep_timed: bool = True) -> list[str]:
    """Replace IPython syntax at the start of logical lines with same-shape placeholders."""
    out = list(lines)
    state = _ScanState()
    skip_until = -1
    if first_magic is not None:
        for k in range(first_magic[0] + 1):
            out[k] = _comment_placeholder(lines[k])
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
                        out[i] = _comment_placeholder(line)
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


def _parse_error(lines: list[str]) -> tuple[int, int, str] | None:
    text = "".join(ln + "\n" for ln in lines)
    try:
        compile(text, "<cell>", "exec", _PARSE_FLAGS)
    except SyntaxError as exc:
        return exc.lineno or 1, exc.offset or 1, exc.msg or "invalid syntax"
    except ValueError as exc:  # null bytes, before Python 3.12
        return 1, 1, str(exc)
    return None


def _cell_location(cmap: _CellMap, shifts: list[int], lineno: int, offset: int) -> Location:
    if shifts:
        lineno = min(max(lineno, 1), len(shifts))
        offset = max(offset, 1) + shifts[lineno - 1]
    else:
        lineno, offset = 1, 1
    file_line, file_column = cmap.file_position(lineno, offset)
    return Location(file_line, file_column, cmap.cell, lineno, offset)


def _writefile_unit(
    number: int, cmap: _CellMap, lines: list[str], shifts: list[int], magic: tuple, errors: list
) -> PythonUnit | None:
    """A `%%writefile name.py` cell: the file it writes, checked as a Python file of its own."""
    index, _, args = magic
    words = [w for w in args.split() if not w.startswith("-")]
    filename = words[-1].strip("'\"") if words else ""
    if not filename.endswith((".py", ".pyw")):
        return None  # not Python (requirements.txt, a YAML config...)
    # The body is written verbatim (no magics are expanded in it); the magic line itself
    # becomes a comment so that unit lines are cell lines.
    body = list(lines)
    for k in range(index + 1):  # stacked magics (`%%capture` above `%%writefile`) too
        body[k] = _comment_placeholder(lines[k])
    error = _parse_error(body)
    if error is not None:
        lineno, offset, msg = error
        errors.append((_cell_location(cmap, shifts, lineno, offset), f"cannot parse {filename} (written by this cell): {msg}"))
        return None
    return PythonUnit(
        text="".join(ln + "\n" for ln in body),
        cell=number,
        filename=filename,
        _lines=[(cmap, k + 1, shifts[k]) for k in range(len(body))],
    )


class _Joined:
    """The joined notebook text, with each line's origin."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.lines: list[tuple[_CellMap, int, int]] = []
        self.shell: list[tuple[int, int, str]] = []

    def add(self, cmap: _CellMap, shifts: list[int], lines: list[str]) -> None:
        for k, ln in enumerate(lines):
            self.parts.append(ln + "\n")
            self.lines.append((cmap, k + 1, shifts[k]))

    def add_blank(self, cmap: _CellMap, shifts: list[int]) -> None:
        self.add(cmap, shifts, [""] * len(shifts))

    def text(self) -> str:
        return "".join(self.parts)

