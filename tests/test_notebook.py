"""The notebook frontend: joined code cells, IPython placeholders, .ipynb positions."""
from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from greenlint.frontends.notebook import Location, NotebookError, PythonUnit, read_notebook

DATA = Path(__file__).parent / "data" / "notebooks"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "notebooks" / "train_explore.ipynb"


def read(name: str):
    return read_notebook((DATA / name).read_bytes())


def parse(text: str) -> ast.Module:
    # ast.parse has no `flags` argument: compile() with PyCF_ONLY_AST is how to pass one.
    return compile(text, "<nb>", "exec", ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)


def unit_pos(text: str, needle: str) -> tuple[int, int]:
    """1-based (line, column) of the first occurrence of `needle` in a unit's text."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in unit text")


def file_pos(path: Path, raw_needle: str) -> tuple[int, int]:
    """1-based (line, column) of `raw_needle` as written in the .ipynb file itself."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw_needle in line:
            return number, line.index(raw_needle) + 1
    raise AssertionError(f"{raw_needle!r} not in {path.name}")


def code_sources(path: Path) -> list[tuple[int, str]]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    out = []
    for number, cell in enumerate(cells, start=1):
        if cell["cell_type"] == "code":
            src = cell["source"]
            out.append((number, src if isinstance(src, str) else "".join(src)))
    return out


# ------------------------------------------------------------------ joining, magics


def test_code_cells_join_in_order_with_one_text_line_per_source_line():
    nb = read("magics.ipynb")
    assert nb.errors == []
    unit = nb.units[0]
    assert unit.cell is None and unit.filename is None
    expected_lines = sum(len(src.splitlines()) for _, src in code_sources(DATA / "magics.ipynb"))
    assert len(unit.text.splitlines()) == expected_lines
    assert unit.text.endswith("\n")
    # Markdown and raw cells contribute nothing; outputs neither.
    assert "markdown" not in unit.text and "raw text" not in unit.text and "Mon Jan" not in unit.text
    parse(unit.text)


def test_cross_cell_import_precedes_use_in_one_module():
    tree = parse(read("magics.ipynb").units[0].text)
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert [(i.module, i.names[0].name, i.names[0].asname) for i in imports] == [
        ("sklearn.model_selection", "GridSearchCV", "GS")
    ]
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "GS"]
    assert len(calls) == 1 and calls[0].lineno > imports[0].lineno
    # The call is in cell 5 (the raw cell and markdown cell still count), line 2 of it.
    loc = read("magics.ipynb").units[0].locate(calls[0].lineno, calls[0].col_offset + 1)
    assert (loc.cell, loc.cell_line, loc.cell_column) == (5, 2, len("search = ") + 1)


def test_each_kind_of_ipython_syntax_becomes_a_same_shape_placeholder():
    unit = read("magics.ipynb").units[0]
    lines = unit.text.splitlines()
    originals = [ln for _, src in code_sources(DATA / "magics.ipynb") for ln in src.splitlines()]
    assert len(lines) == len(originals)
    for new, old in zip(lines, originals):
        if new:  # blanked %%bash lines are empty; every other line keeps its length
            assert len(new) == len(old), (old, new)
    by_original = dict(zip(originals, lines))
    # Line magics and shell escapes at top level become comments.
    for magic in ("%matplotlib inline", "!nvidia-smi", "files = !ls -la", "np.zeros?", "??GS",
                  "pip install torch", "%%time", "%%capture out"):
        assert by_original[magic].startswith("#"), magic
    # The backslash-continued %pip owns its next line.
    assert by_original["    pandas"].lstrip().startswith("#")
    # Inside a block a magic must still be a statement.
    assert by_original["    !echo $i"] == "    pass# $i"
    # Text inside a triple-quoted string is not IPython syntax.
    assert by_original["%not a magic inside a string"] == "%not a magic inside a string"
    assert by_original["!nor this"] == "!nor this"
    # `cd = 3` is valid Python, not the %cd automagic.
    assert by_original["cd = 3"] == "cd = 3"
    # %%bash is not Python: blanked.
    assert by_original["echo training on $(hostname)"] == ""


def test_time_magics_keep_their_python_statement_at_its_column():
    unit = read("magics.ipynb").units[0]
    tree = parse(unit.text)
    calls = {
        ast.unparse(n.func): n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
    }
    assert "search.fit" in calls and "np.dot" in calls and "fetch" in calls
    fit = calls["search.fit"]
    original_line = "%time search.fit(X, y)"
    assert fit.col_offset == original_line.index("search.fit")
    dot = calls["np.dot"]
    assert dot.col_offset == "%timeit -n 3 -r 2 np.dot(a, b)".index("np.dot")
    loc = unit.locate(fit.lineno, fit.col_offset + 1)
    assert (loc.cell, loc.cell_line, loc.cell_column) == (5, 3, 7)


def test_top_level_await_in_a_cell_is_valid():
    nb = read("magics.ipynb")
    assert nb.errors == []
    tree = parse(nb.units[0].text)
    assert any(isinstance(n, ast.Await) for n in ast.walk(tree))


def test_magic_line_placeholders_parse_in_every_position(tmp_path):
    cells = [
        "%load_ext autoreload\n%autoreload 2\n",
        "if True:\n    %env CUDA_VISIBLE_DEVICES=0\nelse:\n    !ls\n",
        "def f():\n    x = %who_ls\n    return x\n",
        "    indented = 1\n    %time y = indented\n",
        "data = [\n    1,\n]\n?data\n",
    ]
    nb = _write(tmp_path, cells)
    assert nb.errors == []
    unit = nb.units[0]
    tree = parse(unit.text)
    # The cell indented as a whole is dedented (as IPython does); columns map back.
    assign = next(n for n in ast.walk(tree) if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "indented")
    loc = unit.locate(assign.lineno, assign.col_offset + 1)
    assert (loc.cell, loc.cell_line, loc.cell_column) == (4, 1, 5)
    assert any(isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == "y" for n in ast.walk(tree))


def test_crlf_sources_keep_line_numbers(tmp_path):
    nb = _write(tmp_path, ["import os\r\n%pwd\r\nx = os.sep\r\n"])
    unit = nb.units[0]
    assert unit.text == "import os\n#pwd\nx = os.sep\n"
    assert unit.locate(3, 5).cell_line == 3


def test_ignore_file_comment_in_first_code_cell_leads_the_text(tmp_path):
    nb = _write(tmp_path, ["# greenlint: ignore-file[GL101]\nimport os\n", "x = 1\n"], leading_markdown=True)
    assert nb.units[0].text.startswith("# greenlint: ignore-file[GL101]\n")


# --------------------------------------------------------------- cells and errors


def test_broken_cell_costs_only_that_cell():
    path = DATA / "broken_cell.ipynb"
    nb = read_notebook(path.read_bytes())
    assert len(nb.errors) == 1
    loc, message = nb.errors[0]
    assert message.startswith("cannot parse this cell")  # the engine prefixes "cell 2: "
    assert (loc.cell, loc.cell_line) == (2, 1)
    # The error points at the JSON line storing `def train(:`.
    assert loc.line == file_pos(path, '"def train(:')[0]
    unit = nb.units[0]
    assert unit.text.splitlines() == ["import numpy as np", "", "", "x = np.ones(3)"]
    tree = parse(unit.text)
    assert unit.locate(tree.body[-1].lineno, 1).cell == 4


def test_invalid_json_is_a_notebook_error_at_its_position():
    with pytest.raises(NotebookError) as err:
        read("invalid.ipynb")
    assert "not valid JSON" in err.value.message
    assert err.value.line == 4  # the stray comma after the source list


@pytest.mark.parametrize(
    "data, words",
    [
        ((DATA / "no_cells.ipynb").read_bytes(), "no cells"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"nbformat": 2, "worksheets": []}', "nbformat 2"),
        (b'{"metadata": {}}', "no `cells`"),
        (b"\xff\xfe{", "UTF-8"),
    ],
)
def test_unreadable_notebooks_say_why(data, words):
    with pytest.raises(NotebookError) as err:
        read_notebook(data)
    assert words in err.value.message


def test_nbformat_3_notebooks_are_read():
    path = DATA / "v3.ipynb"
    nb = read_notebook(path.read_bytes())
    unit = nb.units[0]
    assert unit.text.splitlines()[0] == "#pylab inline"
    line, col = unit_pos(unit.text, "gs = GridSearchCV")
    loc = unit.locate(line, col)
    # Heading cell is cell 1; code cell 2; its `input` is a list, one line each.
    assert (loc.cell, loc.cell_line, loc.cell_column) == (2, 3, 1)
    assert (loc.line, loc.column) == file_pos(path, "gs = GridSearchCV")


def test_notebook_in_another_language_has_nothing_for_python_rules():
    nb = read("r_kernel.ipynb")
    assert nb.units == [] and nb.errors == []


def test_markdown_only_notebook_gives_an_empty_unit(tmp_path):
    path = tmp_path / "md.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# hi"]}],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    nb = read_notebook(path.read_bytes())
    assert [u.text for u in nb.units] == [""] and nb.errors == []


# ------------------------------------------------------------------------ positions


def test_position_of_a_list_source_line_is_its_json_line_and_column():
    path = DATA / "magics.ipynb"
    unit = read_notebook(path.read_bytes()).units[0]
    line, col = unit_pos(unit.text, "search = GS(")
    loc = unit.locate(line, col + len("search = "))
    fline, fcol = file_pos(path, "search = GS(")
    assert (loc.line, loc.column) == (fline, fcol + len("search = "))
    assert (loc.cell, loc.cell_line, loc.cell_column) == (5, 2, 10)


def test_single_string_source_maps_every_line_to_that_string_line_with_escapes():
    path = DATA / "string_source.ipynb"
    unit = read_notebook(path.read_bytes()).units[0]
    line, col = unit_pos(unit.text, "gs = GridSearchCV")
    loc = unit.locate(line, col)
    assert (loc.cell, loc.cell_line, loc.cell_column) == (2, 3, col)
    # Same .ipynb line as the first source line; column counts the escaped `\"`, `\t`, `\n`.
    fline, fcol = file_pos(path, "gs = GridSearchCV")
    assert (loc.line, loc.column) == (fline, fcol)
    first = unit.locate(1, 1)
    assert first.line == fline and (first.cell, first.cell_line) == (2, 1)


def test_minified_ascii_escaped_notebook_maps_into_line_one():
    path = DATA / "minified.ipynb"
    assert len(path.read_text().splitlines()) == 1
    unit = read_notebook(path.read_bytes()).units[0]
    line, col = unit_pos(unit.text, "gs = GridSearchCV")
    loc = unit.locate(line, col)
    assert (loc.cell, loc.cell_line, loc.cell_column) == (3, 1, col)
    # The emoji is a \\ud83d\\ude00 pair (12 characters) and é a \\u00e9 (6) in the file.
    assert (loc.line, loc.column) == file_pos(path, "gs = GridSearchCV")
    imp = unit.locate(1, 1)
    assert (imp.line, imp.column) == file_pos(path, "from sklearn.model_selection")


def test_locate_clamps_positions_past_the_end(tmp_path):
    nb = _write(tmp_path, ["x = 1\n"])
    unit = nb.units[0]
    end = unit.locate(2, 1)  # an EOF position
    assert (end.cell, end.cell_line, end.cell_column) == (1, 1, 6)
    assert unit.locate(1, 99).cell_column == 99  # in-cell column kept, file column clamped
    assert unit.locate(1, 99).column == unit.locate(1, 6).column


def test_unit_without_mapping_locates_identically():
    assert PythonUnit("x = 1\n").locate(1, 3) == Location(1, 3, 1, 1, 3)


# ----------------------------------------------------------------------- %%writefile


def test_writefile_cells_are_python_files_of_their_own():
    path = DATA / "writefile.ipynb"
    nb = read_notebook(path.read_bytes())
    main, *files = nb.units
    assert [(u.cell, u.filename) for u in files] == [(2, "train.py")]
    train = files[0]
    tree = parse(train.text)
    assert len(train.text.splitlines()) == 5 and train.text.startswith("#%writefile train.py\n")
    line, col = unit_pos(train.text, "GridSearchCV(")
    loc = train.locate(line, col)
    assert (loc.cell, loc.cell_line, loc.cell_column) == (2, 5, col)
    assert (loc.line, loc.column) == file_pos(path, "GridSearchCV(est")
    assert any(isinstance(n, ast.Call) for n in ast.walk(tree))
    # The joined notebook unit does not see the written files; their cells are blank there.
    assert "GridSearchCV" not in main.text and "scikit-learn" not in main.text
    assert main.text.splitlines()[-1] == "estimator.fit()"
    # requirements.txt is not Python; broken.py does not parse and costs only its cell.
    assert [(loc.cell, "broken.py" in msg) for loc, msg in nb.errors] == [(4, True)]


# ------------------------------------------------------------------ large outputs


def test_outputs_are_never_read_as_python(tmp_path):
    junk = "def (((: !!! %%% ?? \"source\": [\"import os\\n\"] " * 40 + "\n"
    lines = [junk] * 30_000  # about 50 MB of output text
    cells = []
    for i in range(3):
        cells.append({
            "cell_type": "code", "execution_count": i + 1, "metadata": {},
            "outputs": [
                {"name": "stdout", "output_type": "stream", "text": lines if i == 1 else [junk]},
                {"data": {"application/json": {"source": ["import os\n"]}}, "metadata": {},
                 "output_type": "display_data"},
            ],
            "source": ["import os\n", f"x{i} = os.sep\n"],
        })
    path = tmp_path / "big.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1))
    assert path.stat().st_size > 45_000_000
    nb = read_notebook(path.read_bytes())
    assert nb.errors == []
    assert nb.units[0].text == "import os\nx0 = os.sep\nimport os\nx1 = os.sep\nimport os\nx2 = os.sep\n"
    # The last cell's source is found after the 50 MB of outputs, not inside them.
    loc = nb.units[0].locate(6, 1)
    assert (loc.cell, loc.cell_line) == (3, 2)
    assert (loc.line, loc.column) == file_pos(path, "x2 = os.sep")


# -------------------------------------------------------------------------- helpers


def _write(tmp_path: Path, sources: list[str], leading_markdown: bool = False):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# notes\n"]}] if leading_markdown else []
    for src in sources:
        cells.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                      "source": src.splitlines(keepends=True)})
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1))
    return read_notebook(path.read_bytes())


# ------------------------------------------------------- end to end, every format

FORMATS = ("json", "concise", "sarif", "github")


def run_cli(fmt: str, path: Path) -> list[dict]:
    """Run the real CLI on one notebook; each finding as {code, line, column, cell, cell_line, cell_column}."""
    proc = subprocess.run(
        [sys.executable, "-m", "greenlint", "--format", fmt, path.name],
        cwd=path.parent, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    out = proc.stdout
    found = []
    if fmt == "json":
        for f in json.loads(out)["findings"]:
            assert f["path"] == path.name
            found.append({k: f.get(k) for k in ("code", "line", "column", "cell", "cell_line", "cell_column")})
    elif fmt == "sarif":
        for r in json.loads(out)["runs"][0]["results"]:
            loc = r["locations"][0]["physicalLocation"]
            assert loc["artifactLocation"]["uri"] == path.name
            props = r.get("properties", {})
            found.append({"code": r["ruleId"], "line": loc["region"]["startLine"], "column": loc["region"]["startColumn"],
                          "cell": props.get("cell"), "cell_line": props.get("cell_line"), "cell_column": props.get("cell_column")})
    elif fmt == "github":
        for ln in out.splitlines():
            m = re.match(r"::\w+ file=([^,]+),line=(\d+),col=(\d+).*?title=(GL\d+).*::.*\(cell (\d+), line (\d+), column (\d+)\)$", ln)
            if m:
                assert m.group(1) == path.name
                found.append({"code": m.group(4), "line": int(m.group(2)), "column": int(m.group(3)),
                              "cell": int(m.group(5)), "cell_line": int(m.group(6)), "cell_column": int(m.group(7))})
    else:  # concise: path:cell N:line:col: CODE message (in-cell positions only)
        for ln in out.splitlines():
            m = re.match(rf"{re.escape(path.name)}:cell (\d+):(\d+):(\d+): (GL\d+) ", ln)
            if m:
                found.append({"code": m.group(4), "line": None, "column": None,
                              "cell": int(m.group(1)), "cell_line": int(m.group(2)), "cell_column": int(m.group(3))})
    return found


def _notebook_file(tmp_path: Path, cells: list[dict]) -> Path:
    path = tmp_path / "explore.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {"language_info": {"name": "python"}},
                                "nbformat": 4, "nbformat_minor": 5}, indent=1, sort_keys=True), encoding="utf-8")
    return path


def _code(src: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": src.splitlines(keepends=True)}


def _check_in_file(path: Path, f: dict, cell_line_text: str, fmt: str) -> None:
    """The .ipynb position is the JSON line storing that cell line, column shifted by the in-cell column."""
    if fmt == "concise":
        return  # concise shows in-cell positions only
    fline, fcol = file_pos(path, cell_line_text)
    assert (f["line"], f["column"]) == (fline, fcol + f["cell_column"] - 1), (fmt, f)


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_reports_a_broken_cell_at_its_cell_and_ipynb_line(tmp_path, fmt):
    path = _notebook_file(tmp_path, [
        {"cell_type": "markdown", "metadata": {}, "source": ["# notes\n"]},
        _code("import os  # greenlint: ignore[GL101]\nx = 1\n"),
        _code("y = 2\ndef train(:\n    pass\n"),
        _code("z = 3\n"),
    ])
    found = [f for f in run_cli(fmt, path) if f["code"] == "GL000"]
    assert len(found) == 1, found
    f = found[0]
    assert (f["cell"], f["cell_line"]) == (3, 2)
    assert 1 <= f["cell_column"] <= len("def train(:") + 1
    _check_in_file(path, f, "def train(:", fmt)


GL101_READY = importlib.util.find_spec("greenlint.checks.gl101_exhaustive_grid_search") is not None
needs_gl101 = pytest.mark.skipif(not GL101_READY, reason="GL101 detector not installed")


@needs_gl101
@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_reports_a_grid_search_in_a_cell_with_cell_and_ipynb_positions(tmp_path, fmt):
    path = _notebook_file(tmp_path, [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Tuning\n"]},
        _code("%matplotlib inline\nfrom sklearn.model_selection import GridSearchCV\nfrom sklearn.svm import SVC\n"),
        _code("!nvidia-smi\n"),
        _code("grid = {\"C\": [0.1, 1, 10], \"gamma\": [1, 0.1]}\nsearch = GridSearchCV(SVC(), grid, cv=5)\n"),
        _code("%%writefile train.py\nfrom sklearn.model_selection import GridSearchCV\nfrom sklearn.svm import SVC\n"
              "gs = GridSearchCV(SVC(), {\"C\": [1, 10], \"gamma\": [1, 0.1]}, cv=3)\n"),
    ])
    found = sorted((f for f in run_cli(fmt, path) if f["code"] == "GL101"), key=lambda f: f["cell"])
    assert [(f["cell"], f["cell_line"]) for f in found] == [(4, 2), (5, 4)], found
    _check_in_file(path, found[0], "search = GridSearchCV(", fmt)
    _check_in_file(path, found[1], "gs = GridSearchCV(", fmt)


@needs_gl101
def test_example_notebook_grid_searches_are_found_in_their_cells():
    found = [f for f in run_cli("json", EXAMPLE) if f["code"] == "GL101"]
    cells = sorted({f["cell"] for f in found})
    assert cells == [8, 13], found  # the notebook's search and the %%writefile train.py search
    for f in found:
        assert f["line"] > 1 and f["cell_line"] > 1



@needs_gl101
def test_suppression_comments_work_inside_cells(tmp_path):
    grid = "search = GridSearchCV(SVC(), {\"C\": [0.1, 1, 10], \"gamma\": [1, 0.1]}, cv=5)"
    imports = "from sklearn.model_selection import GridSearchCV\nfrom sklearn.svm import SVC\n"
    line_level = _notebook_file(tmp_path, [_code(imports), _code(grid + "  # greenlint: ignore[GL101]\n"), _code(grid + "\n")])
    found = [f for f in run_cli("json", line_level) if f["code"] == "GL101"]
    assert [f["cell"] for f in found] == [3]
    file_level = _notebook_file(tmp_path, [_code("# greenlint: ignore-file[GL101]\n" + imports), _code(grid + "\n")])
    assert [f for f in run_cli("json", file_level) if f["code"] == "GL101"] == []


def test_assignment_to_an_automagic_name_is_python():
    """Regression (fchollet/deep-learning-with-python-notebooks): `history = model.fit(` spread over
    lines was taken for the %history automagic and the cell became a parse error."""
    cell = "history = model.fit(\n    x, y, validation_split=0.2,\n    epochs=50,\n)\nhistory -n 4\n"
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
          "cells": [{"cell_type": "code", "metadata": {}, "source": cell, "outputs": [], "execution_count": 1}]}
    notebook = read_notebook(json.dumps(nb).encode())
    assert notebook.errors == []
    lines = notebook.units[0].text.splitlines()
    assert lines[0] == "history = model.fit(" and lines[4].startswith("#")
    ast.parse(notebook.units[0].text)


# ------------------------------------------- IPython syntax seen in real notebooks
# tests/data/notebooks/ipython_real_world.ipynb holds cells from public notebooks that Jupyter
# runs and greenlint once reported as GL000; a markdown cell before each names its source.

REAL = DATA / "ipython_real_world.ipynb"


def _cell_text(unit: PythonUnit, cell: int) -> list[str]:
    return [ln for k, ln in enumerate(unit.text.splitlines(), start=1) if unit.locate(k, 1).cell == cell]


def test_real_world_ipython_cells_all_parse():
    nb = read_notebook(REAL.read_bytes())
    assert nb.errors == []
    for unit in nb.units:
        parse(unit.text)


def test_one_line_cell_automagic_takes_paths_and_operators():
    """tensorflow/docs wav2vec2_saved_model_finetuning.ipynb (`ls ./data/train/`) and
    vertex-ai-samples get_started_with_hpt_pipeline_components.ipynb (`cd ../`): IPython runs a
    one-line cell `ls ./x` as %ls; only `=` or `,` after the name makes it Python."""
    main = read_notebook(REAL.read_bytes()).units[0]
    assert _cell_text(main, 2) == ["#s ./data/train/"]
    assert _cell_text(main, 4) == ["#d ../"]
    # A line that is also Python (`cd /tmp`, `ls > out`) may stay Python: no rule reads it.
    for src, magic in [("ls -la *.csv", True), ("cd /tmp", False), ("ls = [1]", False),
                       ("ls, x = 1, 2", False), ("run train.py --epochs 3", True), ("time model.fit(x)", False)]:
        nb = _write_single(src)
        assert nb.errors == [], src
        line = nb.units[0].text.splitlines()[0]
        assert line.startswith("#") == magic, (src, line)
    # `time stmt` keeps its statement visible to the rules, as `%time stmt` does.
    assert _write_single("time model.fit(x)").units[0].text.splitlines()[0] == "1;   model.fit(x)"


def test_automagic_in_a_longer_cell_stays_lenient_but_python_lines_stay_python():
    # IPython runs no automagic in a longer cell; greenlint still reads `ls -la *.csv` there as a
    # magic rather than report the cell, but an assignment to the name is Python.
    nb = read_notebook(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [_code(
        "x = 1\nls -la *.csv\ncd = 3\ncd /tmp\n")]}).encode())
    assert nb.errors == []
    assert nb.units[0].text.splitlines() == ["x = 1", "#s -la *.csv", "cd = 3", "cd /tmp"]


def _write_single(src: str):
    return read_notebook(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                                     "cells": [_code(src + "\n")]}).encode())


def test_doctest_and_ipython_prompts_are_stripped_with_columns_kept():
    """huggingface/notebooks diffusers_doc/ko/unconditional_image_generation.ipynb: `>>> ` cells."""
    nb = read_notebook(REAL.read_bytes())
    main = nb.units[0]
    assert _cell_text(main, 6) == ["from sklearn.model_selection import GridSearchCV", "from sklearn.svm import SVC",
                                   'search = GridSearchCV(SVC(), {"C": [0.1, 1, 10], "gamma": [1, 0.1]},', "                      cv=5)"]
    assert _cell_text(main, 8) == ["import numpy as np", "x = np.arange(10)"]
    line, col = unit_pos(main.text, "GridSearchCV(SVC()")
    loc = main.locate(line, col)
    assert (loc.cell, loc.cell_line, loc.cell_column) == (6, 3, len(">>> search = ") + 1)
    assert (loc.line, loc.column) == file_pos(REAL, "GridSearchCV(SVC(), {")
    line, col = unit_pos(main.text, "x = np.arange")
    loc = main.locate(line, col)
    assert (loc.cell, loc.cell_line, loc.cell_column) == (8, 2, len("   ...: ") + 1)
    assert (loc.line, loc.column) == file_pos(REAL, "x = np.arange")


def test_prompts_are_stripped_only_where_ipython_strips_them():
    # As IPython: a `...` prompt on the second line starts stripping; an indented one does not.
    assert _write_single("x = [1,\n... ]").units[0].text.splitlines() == ["x = [1,", "]"]
    assert _write_single("x = [1,\n  ... ]").units[0].text.splitlines() == ["x = [1,", "  ... ]"]
    assert _write_single("y = 2\n>>> x = 1").units[0].text.splitlines() == ["y = 2", "x = 1"]
    assert _write_single("y = 2\nz = 3\n>>> x = 1").errors != []  # only the first two lines count


def test_stacked_cell_magics_take_the_kind_of_the_innermost():
    """aws/amazon-sagemaker-examples SageMaker-Seq2Seq-Translation-English-German.ipynb cell 19:
    `%%time` over `%%bash` is a bash cell; `%%capture` over `%%writefile train.py` writes train.py."""
    nb = read_notebook(REAL.read_bytes())
    main, *files = nb.units
    assert all(not ln.strip() for ln in _cell_text(main, 10))
    assert [(u.cell, u.filename) for u in files] == [(12, "train.py")]
    assert files[0].text.splitlines()[:2] == ["#%capture", "#%writefile train.py"]
    line, col = unit_pos(files[0].text, "GridSearchCV(SVC(), {\"C\": [1")
    loc = files[0].locate(line, col)
    assert (loc.cell, loc.cell_line, loc.line, loc.column) == (12, 5, *file_pos(REAL, "GridSearchCV(SVC(), {\\\"C\\\": [1"))


def test_cli_finds_no_parse_error_in_real_world_ipython_cells(tmp_path):
    path = tmp_path / REAL.name
    path.write_bytes(REAL.read_bytes())
    found = run_cli("json", path)
    assert [f for f in found if f["code"] == "GL000"] == []
    if GL101_READY:  # the search behind doctest prompts, reported at its in-cell column
        assert [(f["cell"], f["cell_line"], f["cell_column"]) for f in found if f["code"] == "GL101"] == [(6, 3, 14), (12, 5, 6)]


def test_notebook_in_another_language_under_a_python_kernel_is_one_finding():
    """GoogleCloudPlatform/vertex-ai-samples notebooks/community/ml_ops/stage2/
    get_started_vertex_hpt_r_kernel.ipynb: R code under a "python3" kernelspec gave 17 GL000."""
    path = DATA / "r_under_python_kernel.ipynb"
    nb = read_notebook(path.read_bytes())
    assert len(nb.errors) == 1
    loc, msg = nb.errors[0]
    assert loc.cell == 2 and msg.startswith("11 of 12 code cells do not parse as Python")
    assert "import os" in nb.units[0].text  # the cell that parses is still checked


def test_a_few_broken_cells_are_each_reported(tmp_path):
    nb = _write(tmp_path, ["x = 1\n", "def f(:\n", "y = (\n", "z = 3\n"])
    assert [loc.cell for loc, _ in nb.errors] == [2, 3]


def test_script_exported_from_a_notebook_keeps_its_ipython_lines(tmp_path):
    """A `.py` exported from a notebook (nbconvert `# In[1]:`, jupytext `# %%`) may still hold
    `%matplotlib inline` or `!pip install` lines: they are read as in a notebook cell, with
    positions kept, instead of making the whole file one parse error."""
    root = Path(__file__).resolve().parents[1]
    (tmp_path / "exported.py").write_text(
        "# In[1]:\n%matplotlib inline\n!pip install scikit-learn\n"
        "from sklearn.model_selection import GridSearchCV\nfrom sklearn.svm import SVC\n"
        "# In[2]:\nsearch = GridSearchCV(SVC(), {'C': [1, 10], 'gamma': [0.1, 0.01]}, cv=3)\n")
    (tmp_path / "broken.py").write_text("from sklearn.model_selection import GridSearchCV\ndef f(:\n%time f()\n")
    proc = subprocess.run([sys.executable, "-m", "greenlint", "--format", "json", "--no-cache", "."], cwd=tmp_path,
                           capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(root)})
    found = sorted((f["path"], f["line"], f["code"]) for f in json.loads(proc.stdout)["findings"])
    assert found == [("broken.py", 2, "GL000"), ("exported.py", 7, "GL101")]


def test_an_exported_scripts_broken_cell_does_not_hide_the_others(tmp_path):
    """A cell of a notebook-exported script that does not parse (a missing comma) is a GL000 of its
    own, as it would be in the notebook; the other cells are still checked. A script without cell
    markers stays one GL000."""
    root = Path(__file__).resolve().parents[1]
    cells = ("# In[1]:\nfrom sklearn.model_selection import GridSearchCV\nfrom sklearn.svm import SVC\n"
             "# In[2]:\nkwargs = {\n    'a': 1\n    'b': 2,\n}\n"
             "# In[3]:\nsearch = GridSearchCV(SVC(), {'C': [1, 10], 'gamma': [0.1, 0.01]}, cv=3)\n")
    (tmp_path / "exported.py").write_text(cells)
    (tmp_path / "plain.py").write_text(cells.replace("# In[2]:\n", "").replace("# In[3]:\n", ""))
    proc = subprocess.run([sys.executable, "-m", "greenlint", "--format", "json", "--no-cache", "."], cwd=tmp_path,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(root)})
    found = sorted((f["path"], f["line"], f["code"]) for f in json.loads(proc.stdout)["findings"])
    assert found == [("exported.py", 6, "GL000"), ("exported.py", 10, "GL101"), ("plain.py", 5, "GL000")]
