"""Mistakes a user can make are one line on stderr with exit 2, never an internal error; and
the small output promises of issue 12 (rules not cut when piped)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ("from sklearn.model_selection import GridSearchCV\nfrom sklearn.svm import SVC\n"
          "search = GridSearchCV(SVC(), {'C': [1, 2, 3], 'gamma': [1, 2]}, cv=5)\n")


def run(args, cwd, env=None):
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "60", **(env or {})}
    return subprocess.run([sys.executable, "-m", "greenlint", *args], cwd=cwd, capture_output=True, text=True,
                          env=environment)


def one_line_error(proc) -> None:
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("greenlint: error:"), proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr


def test_output_in_a_missing_folder_or_onto_a_folder(tmp_path):
    (tmp_path / "t.py").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "out").mkdir()
    for target in ("missing/report.json", "out"):
        proc = run(["--no-cache", "--format", "json", "-o", target, "t.py"], tmp_path)
        one_line_error(proc)
        assert proc.stdout == ""
    assert not (tmp_path / "missing").exists()


def test_unwritable_output_file(tmp_path):
    if os.geteuid() == 0:
        # root writes anywhere; a path under a regular file fails for everyone
        target = "t.py/report.json"
    else:
        (tmp_path / "ro").mkdir(mode=0o500)
        target = "ro/report.json"
    (tmp_path / "t.py").write_text(SOURCE, encoding="utf-8")
    one_line_error(run(["--no-cache", "-o", target, "t.py"], tmp_path))


def test_rules_listing_is_not_cut_when_piped(tmp_path):
    from greenlint.rules import load_rules

    out = run(["rules"], tmp_path).stdout
    assert "…" not in out
    longest = max(load_rules().values(), key=lambda r: len(r.summary.split(". ")[0]))
    assert longest.summary.split(". ")[0].rstrip(".") in out


def test_profile_text_says_estimated_when_the_cpu_figure_is_an_estimate(tmp_path):
    (tmp_path / "job.py").write_text("sum(range(100000))\n", encoding="utf-8")
    env = {"GREENLINT_POWERCAP_ROOT": str(tmp_path / "no-powercap"), "CUDA_VISIBLE_DEVICES": ""}
    text = run(["profile", "job.py", "--idle-seconds", "0", "--seconds", "5"], tmp_path, env)
    data = run(["profile", "job.py", "--idle-seconds", "0", "--seconds", "5", "--format", "json"], tmp_path, env)
    assert json.loads(data.stdout)["profiles"][0]["cpu"]["method"] == "estimate"
    assert "\n  estimated " in text.stdout
    assert not [line for line in text.stdout.splitlines() if line.strip().startswith("measured")]
