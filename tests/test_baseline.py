"""--write-baseline / --baseline through the real CLI on files written here: identity without
line numbers, new findings still reported, stale entries counted, a stable file, bad files
refused in one line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCH = textwrap.dedent(
    """\
    from sklearn.model_selection import GridSearchCV
    from sklearn.svm import SVC
    grid = {"C": [0.1, 1, 10], "gamma": [0.1, 0.01]}
    search = GridSearchCV(SVC(), grid, cv=3)
    """
)
SECOND = "other = GridSearchCV(SVC(), grid, cv=5)\n"


def run(args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "greenlint", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=True, env=env)


def findings(proc) -> list[tuple[str, int]]:
    return [(f["path"], f["line"]) for f in json.loads(proc.stdout)["findings"]]


def test_moved_code_stays_baselined_and_new_findings_are_reported(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "train.py").write_text(SEARCH, encoding="utf-8")
    written = run(["--write-baseline", "greenlint-baseline.json", "src"], tmp_path)
    assert written.returncode == 0 and "wrote 1 finding" in written.stderr and written.stdout == ""

    # Move the flagged line down and re-indent nothing else: still the same finding.
    (src / "train.py").write_text("import os\n\n\n" + SEARCH, encoding="utf-8")
    quiet = run(["--baseline", "greenlint-baseline.json", "--format", "json", "src"], tmp_path)
    assert quiet.returncode == 0 and findings(quiet) == []
    assert json.loads(quiet.stdout)["summary"]["baseline"] == {"file": "greenlint-baseline.json", "matched": 1, "stale": 0}

    # A second, identical-looking search is new: the occurrence index tells them apart.
    (src / "train.py").write_text("import os\n" + SEARCH + SEARCH.splitlines()[-1] + "\n" + SECOND, encoding="utf-8")
    new = run(["--baseline", "greenlint-baseline.json", "--format", "json", "src"], tmp_path)
    assert new.returncode == 1 and findings(new) == [("src/train.py", 6), ("src/train.py", 7)]


def test_stale_entries_are_counted_and_the_file_is_sorted_and_stable(tmp_path):
    for name in ("b.py", "a.py"):
        (tmp_path / name).write_text(SEARCH + SECOND, encoding="utf-8")
    run(["--write-baseline", "base.json", "."], tmp_path)
    first = (tmp_path / "base.json").read_text(encoding="utf-8")
    run(["--write-baseline", "base.json", "."], tmp_path)
    assert (tmp_path / "base.json").read_text(encoding="utf-8") == first  # byte-stable for diffs
    entries = json.loads(first)["findings"]
    assert [(e["path"], e["snippet"]) for e in entries] == sorted((e["path"], e["snippet"]) for e in entries)
    assert all("line" not in e for e in entries) and len(entries) == 4

    (tmp_path / "a.py").write_text(SEARCH, encoding="utf-8")  # one search fixed
    text = run(["--baseline", "base.json", "."], tmp_path)
    assert text.returncode == 0
    assert "hid 3 findings; 1 entry matches nothing any more" in text.stdout
    # Linting one file does not call the other file's entries stale...
    one = run(["--baseline", "base.json", "--format", "concise", "a.py"], tmp_path)
    assert "hid 1 finding; 1 entry matches nothing" in one.stderr and one.stdout == ""
    # ... but the entries of a deleted file are.
    (tmp_path / "b.py").unlink()
    gone = run(["--baseline", "base.json", "--format", "concise", "a.py"], tmp_path)
    assert "3 entries match nothing" in gone.stderr


def test_the_baseline_works_from_another_folder(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(SEARCH, encoding="utf-8")
    run(["--write-baseline", "base.json", "pkg"], tmp_path)
    inside = run(["--baseline", "../base.json", "--format", "json", "."], tmp_path / "pkg")
    assert findings(inside) == [] and inside.returncode == 0


def test_bad_baseline_files_are_one_line_errors(tmp_path):
    (tmp_path / "t.py").write_text(SEARCH, encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "other.json").write_text('{"findings": []}', encoding="utf-8")
    (tmp_path / "typed.json").write_text('{"greenlint-baseline": 1, "findings": [{"code": 1}]}', encoding="utf-8")
    for args in (["--baseline", "missing.json"], ["--baseline", "broken.json"], ["--baseline", "other.json"],
                 ["--baseline", "typed.json"], ["--write-baseline", "no/such/folder.json"],
                 ["--write-baseline", "x.json", "--baseline", "other.json"]):
        proc = run([*args, "t.py"], tmp_path)
        assert proc.returncode == 2, args
        assert len(proc.stderr.strip().splitlines()) == 1 and proc.stderr.startswith("greenlint: error:"), proc.stderr
        assert "internal error" not in proc.stderr
