"""Jupyter notebooks: code cells as Python units with cell-accurate positions.

The code cells are joined into one Python text (so cell 1's imports resolve names in
cell 7). IPython syntax (magics, shell escapes, ``?`` help) is replaced by placeholders of
the same shape: same line count and, where possible, the same columns (notebook_ipython.py;
shell lines are recorded first by notebook_shell.py). Outputs are never
looked at beyond ``json.loads``.

Positions: every source line is mapped back to the JSON string token that stores it in the
``.ipynb`` file, so ``Location.line``/``column`` point into the file on disk (what SARIF and
GitHub annotations need), and ``cell``/``cell_line``/``cell_column`` give the in-cell view.
"""
from __future__ import annotations

import bisect
import json
import re
from collections import namedtuple
from pathlib import PurePosixPath

from .notebook_ipython import cell_magic, comment_placeholder, dedent, parse_error, strip_prompts, transform
from .notebook_shell import is_shell_magic, shell_cell_commands, shell_commands
from .lenient import readings

__all__ = ["Location", "Notebook", "NotebookError", "PythonUnit", "read_notebook"]

_transform = transform  # the name engine.py imports (scripts exported from notebooks)

# This many broken cells, and most of the Python cells, make one "not Python?" finding.
_FOREIGN_MIN = 10


class NotebookError(Exception):
    """The notebook as a whole cannot be read: one GL000 finding at (line, column)."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class Location(namedtuple("Location", "line column cell cell_line cell_column")):
    """A position: 1-based `line` and `column` (characters) of the .ipynb file, `cell` the 1-based
    position among all cells, and the position inside that cell."""

    __slots__ = ()


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


class PythonUnit:
    """Python source to lint, with the way back to the notebook.

    `cell`, `filename`, `kind`: for a %%writefile unit, its cell, the file name it writes and the
    kind of that file (a YAML config: "yaml"); None, None, "python" for the joined notebook unit.
    `shell`: the shell commands of the cells (`!cmd`, `x = !cmd`, `%sx`/`%system`, `%%bash`/`%%sh`
    cell lines) as (1-based line of `text`, 0-based column, command text with backslash continuations
    joined). `_lines`: per line of `text`, (cell map, 1-based line in the cell, column shift from
    dedent)."""

    def __init__(self, text: str, cell: int | None = None, filename: str | None = None, kind: str = "python",
                 shell: list | None = None, _lines: list | None = None) -> None:
        self.text, self.cell, self.filename, self.kind = text, cell, filename, kind
        self.shell = shell if shell is not None else []
        self._lines = _lines if _lines is not None else []

    def __repr__(self) -> str:
        return f"PythonUnit(cell={self.cell!r}, filename={self.filename!r}, kind={self.kind!r})"

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


class Notebook(namedtuple("Notebook", "units errors")):
    """The Python units of a notebook, and its `errors`: (Location, message) of each cell that
    does not parse (one GL000 each)."""

    __slots__ = ()


# --------------------------------------------------------------------------- reading


def read_notebook(data: bytes) -> Notebook:
    raw, nb = _load(data)
    cells, code_key = _cells_of(nb)
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
    reader = _CellReader()
    for number, _, _, text, is_code in entries:
        if is_code:
            reader.add(number, maps[number], text)
    return reader.notebook()


def _load(data: bytes) -> tuple[str, dict]:
    """The notebook's text and its JSON object."""
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
    return raw, nb


def _cells_of(nb: dict) -> tuple[list, str]:
    """The cells (nbformat 3: of every worksheet) and the key that holds a code cell's source."""
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
    return cells, code_key


class _CellReader:
    """Reads the code cells in order into the joined notebook unit and the %%writefile units."""

    def __init__(self) -> None:
        self.units: list[PythonUnit] = []
        self.errors: list[tuple[Location, str]] = []  # %%writefile files that do not parse
        self.broken: list[tuple[Location, str]] = []  # Python cells that do not parse
        self.python_cells = 0
        self.joined = _Joined()

    def add(self, number: int, cmap: _CellMap, text: str) -> None:
        joined = self.joined
        lines, shifts = dedent(_split_text(text))
        lines = strip_prompts(lines, shifts)
        kind, magic = cell_magic(lines)
        if kind == "python":
            self._add_python(cmap, lines, shifts, magic)
            return
        if kind == "custom":
            out = transform(lines, first_magic=magic)
            if parse_error(out) is None:  # a magic of its own over Python: the rules read it
                self.joined.shell.extend(shell_commands(lines, out, len(joined.lines)))
                joined.add(cmap, shifts, out)
                return
        if kind == "writefile":
            joined.add_blank(cmap, shifts)
            unit = _writefile_unit(number, cmap, lines, shifts, magic, self.errors)
            if unit is not None:
                self.units.append(unit)
            return
        # a non-Python cell magic (%%bash, %%html, ...): nothing for the Python rules
        if magic is not None and is_shell_magic(magic):
            joined.shell.extend(shell_cell_commands(lines, magic[0] + 1, len(joined.lines)))
        joined.add_blank(cmap, shifts)

    def _add_python(self, cmap: _CellMap, lines: list[str], shifts: list[int], magic: tuple | None) -> None:
        out = transform(lines, first_magic=magic)
        self.joined.shell.extend(shell_commands(lines, out, len(self.joined.lines)))
        error = parse_error(out)
        if error is not None:
            # Keeping `%time stmt` as Python can fail where a plain placeholder would not.
            alt = transform(lines, first_magic=magic, keep_timed=False)
            if parse_error(alt) is None:
                out, error = alt, None
        if error is not None:  # Python 2 statements, exercise blanks: read leniently, lines kept
            for reading in readings("".join(line + "\n" for line in out)):
                lenient = reading[:-1].split("\n")
                if len(lenient) == len(out) and parse_error(lenient) is None:
                    out, error = lenient, None
                    break
        self.python_cells += 1
        if error is not None:
            lineno, offset, msg = error
            self.broken.append((_cell_location(cmap, shifts, lineno, offset), f"cannot parse this cell: {msg}"))
            self.joined.add_blank(cmap, shifts)
            return
        self.joined.add(cmap, shifts, out)

    def notebook(self) -> Notebook:
        broken, python_cells = self.broken, self.python_cells
        if len(broken) >= _FOREIGN_MIN and 2 * len(broken) > python_cells:
            # Most cells fail: the notebook is in another language under a Python kernel name (R
            # notebooks copied from a Python template). One finding says so instead of one per cell.
            location, message = broken[0]
            broken = [(location, f"{len(broken)} of {python_cells} code cells do not parse as Python (the first, here: "
                                 f"{message.split(': ', 1)[-1]}); a notebook in another language needs that kernel in its metadata")]
        errors = broken + self.errors
        unit = PythonUnit(text=self.joined.text(), shell=self.joined.shell, _lines=self.joined.lines)
        return Notebook(units=[unit, *self.units], errors=errors)


def _is_python(nb: dict) -> bool:
    """False only for notebooks that clearly say they are in another language (R, Julia...)."""
    meta = nb.get("metadata")
    if not isinstance(meta, dict):
        return True
    info = meta.get("language_info")
    if isinstance(info, dict) and isinstance(info.get("name"), str):
        # sparkmagic's PySpark kernels name the language `pyspark` / `pyspark3`: Python
        return info["name"].lower() in ("python", "python3", "ipython", "ipython3", "pyspark", "pyspark3")
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



def _cell_location(cmap: _CellMap, shifts: list[int], lineno: int, offset: int) -> Location:
    if shifts:
        lineno = min(max(lineno, 1), len(shifts))
        offset = max(offset, 1) + shifts[lineno - 1]
    else:
        lineno, offset = 1, 1
    file_line, file_column = cmap.file_position(lineno, offset)
    return Location(file_line, file_column, cmap.cell, lineno, offset)


_WRITTEN_CONFIG_KINDS = frozenset(("yaml", "json", "toml", "env", "shell", "terraform"))


def _writefile_unit(
    number: int, cmap: _CellMap, lines: list[str], shifts: list[int], magic: tuple, errors: list
) -> PythonUnit | None:
    """A `%%writefile name.py` cell: the file it writes, checked as a Python file of its own; a
    config it writes (`train.yaml`, `job.json`, `.env`, `run.sh`) is checked as that kind of file."""
    from ..discover import kind_of

    index, _, args = magic
    words = [w for w in args.split() if not w.startswith("-")]
    filename = words[-1].strip("'\"") if words else ""
    kind = kind_of(PurePosixPath(filename)) if filename else None
    if kind in _WRITTEN_CONFIG_KINDS:
        body = ["" if k <= index else line for k, line in enumerate(lines)]  # the magic lines: blank in every kind
        return PythonUnit(text="".join(ln + "\n" for ln in body), cell=number, filename=filename, kind=kind,
                          _lines=[(cmap, k + 1, shifts[k]) for k in range(len(body))])
    if not filename.endswith((".py", ".pyw")):
        return None  # not checked (requirements.txt, a Dockerfile...)
    # The body is written verbatim (no magics are expanded in it); the magic line itself
    # becomes a comment so that unit lines are cell lines.
    body = list(lines)
    for k in range(index + 1):  # stacked magics (`%%capture` above `%%writefile`) too
        body[k] = comment_placeholder(lines[k])
    error = parse_error(body)
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

