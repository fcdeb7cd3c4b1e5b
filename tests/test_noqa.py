"""--add-noqa through the real CLI on files written here: the directive lands on the finding's
line in Python, notebooks (inside the cell's JSON string), YAML and TOML; existing directives
absorb new codes; a second run changes nothing; lines that cannot hold a comment are left."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCH_LINE = "search = GridSearchCV(SVC(), grid, cv=5)"
IMPORTS = "from sklearn.model_selection import GridSearchCV\nfrom sklearn.svm import SVC\n"
GRID = 'grid = {"C": [0.1, 1, 10], "gamma": [0.1, 0.01]}\n'


def run(args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "greenlint", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=True, env=env)


def remaining(cwd: Path) -> list:
    proc = run(["--format", "json", "."], cwd)
    return [(f["path"], f["code"]) for f in json.loads(proc.stdout)["findings"]]


def add_twice(cwd: Path) -> dict[str, bytes]:
    first = run(["--add-noqa", "."], cwd)
    assert first.returncode == 0, first.stderr
    after = {p.name: p.read_bytes() for p in cwd.iterdir() if p.is_file()}
    second = run(["--add-noqa", "."], cwd)
    assert "added 0 suppression" in second.stderr
    assert {p.name: p.read_bytes() for p in cwd.iterdir() if p.is_file()} == after  # idempotent
    return after


def test_python_lines_get_directives_and_comments_survive(tmp_path):
    source = (IMPORTS + GRID + SEARCH_LINE + "  # tuned by hand\r\n"
              + "other = GridSearchCV(SVC(), grid, cv=5)  # greenlint: ignore[GL999]\n"
              + "third = GridSearchCV(\n    SVC(), grid, cv=5)\n")
    (tmp_path / "train.py").write_bytes(source.encode())
    lines = add_twice(tmp_path)["train.py"].decode().splitlines(keepends=True)
    assert lines[3] == SEARCH_LINE + "  # tuned by hand  # greenlint: ignore[GL101]\r\n"  # CRLF kept
    assert lines[4] == "other = GridSearchCV(SVC(), grid, cv=5)  # greenlint: ignore[GL999, GL101]\n"
    assert lines[5] == "third = GridSearchCV(  # greenlint: ignore[GL101]\n"
    assert remaining(tmp_path) == []


def test_a_line_ending_inside_a_string_is_reported_not_edited(tmp_path):
    source = IMPORTS + GRID + 'search = GridSearchCV(SVC(), grid, cv=5, error_score="""\nraise""")\n'
    (tmp_path / "train.py").write_text(source, encoding="utf-8")
    proc = run(["--add-noqa", "."], tmp_path)
    assert proc.returncode == 0 and "train.py:4: not annotated" in proc.stderr
    assert (tmp_path / "train.py").read_text(encoding="utf-8") == source


def test_notebook_cell_source_is_edited_in_place(tmp_path):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Tuning"]},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": (IMPORTS + GRID).splitlines(keepends=True)},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "print('é')\n" + SEARCH_LINE + "\nsearch.fit(X, y)"},  # one string, not a list
    ]
    notebook = {"cells": cells, "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
                "nbformat": 4, "nbformat_minor": 5}
    raw = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    (tmp_path / "nb.ipynb").write_text(raw, encoding="utf-8")
    edited = add_twice(tmp_path)["nb.ipynb"].decode()
    expected = raw.replace(SEARCH_LINE + "\\n", SEARCH_LINE + "  # greenlint: ignore[GL101]\\n")
    assert edited == expected  # only the directive's characters changed: formatting kept
    assert json.loads(edited)["cells"][2]["source"].splitlines()[1].endswith("# greenlint: ignore[GL101]")
    assert remaining(tmp_path) == []


def test_yaml_and_toml_and_json(tmp_path):
    (tmp_path / "sweep.yaml").write_text("method: grid # greenlint: ignore[GL401]\nparameters:\n"
                                         "  lr: {values: [0.1, 0.01, 0.001]}\n  depth: {values: [2, 4, 8]}\n",
                                         encoding="utf-8")
    (tmp_path / "deploy.toml").write_text('[deploy]\nregion = "us-east-1"  # primary\n', encoding="utf-8")
    (tmp_path / "deploy.json").write_text('{"region": "us-east-1"}\n', encoding="utf-8")
    files = add_twice(tmp_path)
    assert files["sweep.yaml"].decode().splitlines()[0] == "method: grid # greenlint: ignore[GL401, GL101]"
    assert files["deploy.toml"].decode().splitlines()[1] == 'region = "us-east-1"  # primary  # greenlint: ignore[GL401]'
    assert files["deploy.json"] == b'{"region": "us-east-1"}\n'
    assert remaining(tmp_path) == [("deploy.json", "GL401")]
    assert "JSON has no comments" in run(["--add-noqa", "."], tmp_path).stderr


def test_add_noqa_refuses_to_combine_with_fix(tmp_path):
    (tmp_path / "t.py").write_text(IMPORTS + GRID + SEARCH_LINE + "\n", encoding="utf-8")
    proc = run(["--add-noqa", "--fix", "."], tmp_path)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
