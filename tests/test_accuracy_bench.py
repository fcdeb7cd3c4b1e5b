"""The blind benchmark's tools: the committed labels load, and the scorer counts as documented."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench" / "accuracy"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def run(script: str, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BENCH / script), *args], cwd=cwd, capture_output=True, text=True)


def test_committed_labels_pass_the_self_test():
    proc = run("score.py", "--self-test", "--show", "none")
    assert proc.returncode == 0, proc.stderr
    assert "SELF-TEST PASSED" in proc.stdout
    summary = proc.stdout.splitlines()[0]
    positives = int(summary.split(" positives")[0].split()[-1])
    negatives = int(summary.split(" negatives")[0].split()[-1])
    assert positives >= 400 and negatives >= 300, summary


def test_each_repository_has_one_split_and_both_splits_are_used():
    entries = yaml.safe_load((BENCH / "labels.yaml").read_text())
    splits: dict[str, set[str]] = {}
    for e in entries:
        splits.setdefault(e["repo"], set()).add(e["split"])
    assert all(len(s) == 1 for s in splits.values())
    halves = [sum(1 for s in splits.values() if split in s) for split in ("tune", "held-out")]
    # the first round alternated new repositories between the halves; later rounds (merge.py
    # --split tune) only feed tuning, so the held-out half stays the one measured before
    assert len(splits) >= 40 and min(halves) >= 20, halves


def write_case(tmp_path: Path) -> tuple[Path, Path]:
    labels = [
        {"repo": "a/b", "commit": COMMIT, "path": "train.py", "split": "tune", "checked": ["GL101", "GL201"],
         "positives": [{"line": 10, "category": "GL101", "note": "grid"},
                       {"line": 30, "alt_lines": [40], "category": "GL201", "note": "no stop"},
                       {"line": 60, "category": "GL201", "note": "missed"}],
         "negatives": [{"line": 80, "category": "GL101", "note": "random search"}]},
        {"repo": "c/d", "commit": COMMIT, "path": "nb.ipynb", "split": "held-out", "checked": ["GL201"],
         "positives": [{"cell": 3, "line": 2, "category": "GL201", "note": "keras fit"}]},
    ]
    findings = [
        {"code": "GL101", "path": "a+b/train.py", "line": 12, "message": "grid (within 2 lines)"},
        {"code": "GL101", "path": "a+b/train.py", "line": 13, "message": "second finding, same label"},
        {"code": "GL201", "path": "a+b/train.py", "line": 41, "message": "alt line"},
        {"code": "GL101", "path": "a+b/train.py", "line": 81, "message": "look-alike"},
        {"code": "GL303", "path": "a+b/train.py", "line": 5, "message": "not checked here"},
        {"code": "GL201", "path": "c+d/nb.ipynb", "line": 200, "cell": 3, "cell_line": 3, "message": "nb"},
    ]
    label_file, findings_file = tmp_path / "labels.yaml", tmp_path / "findings.json"
    label_file.write_text(yaml.safe_dump(labels))
    findings_file.write_text(json.dumps({"findings": findings}))
    return label_file, findings_file


def test_scorer_pairs_one_to_one_within_two_lines(tmp_path):
    label_file, findings_file = write_case(tmp_path)
    proc = run("score.py", "--labels", str(label_file), "--findings", str(findings_file), "--show", "all")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    tune = out.split("## tune")[1].split("## held-out")[0]
    # GL101: one paired, the duplicate and the look-alike are false alarms.
    assert "| GL101 | 1 | 2 | 0 | 0.333 | 1.000 |" in tune
    # GL201: the alt line pairs, line 60 is missed.
    assert "| GL201 | 1 | 0 | 1 | 1.000 | 0.500 |" in tune
    held_out = out.split("## held-out")[1].split("## all")[0]
    assert "| GL201 | 1 | 0 | 0 | 1.000 | 1.000 |" in held_out
    assert "unlabelled findings (category not checked in that file): 1" in out
    assert "labelled look-alike: random search" in out
    assert "- GL201 a/b train.py line 60: missed" in out


def test_scorer_lists_only_tune_errors_by_default(tmp_path):
    label_file, findings_file = write_case(tmp_path)
    (tmp_path / "findings.json").write_text(json.dumps({"findings": []}))
    out = run("score.py", "--labels", str(label_file), "--findings", str(findings_file)).stdout
    assert "c/d nb.ipynb" not in out and "a/b train.py line 10" in out


def test_labels_reject_a_repository_in_two_splits(tmp_path):
    entry = {"repo": "a/b", "commit": COMMIT, "path": "x.py", "positives": [{"line": 1, "category": "GL101"}]}
    (tmp_path / "labels.yaml").write_text(yaml.safe_dump([{**entry, "split": "tune"}, {**entry, "path": "y.py", "split": "held-out"}]))
    proc = run("score.py", "--labels", str(tmp_path / "labels.yaml"), "--self-test")
    assert proc.returncode != 0 and "one split" in proc.stderr


def test_materialize_extracts_pinned_files_from_a_bare_mirror(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(source)]
    subprocess.run(["git", "init", "-q", str(source)], check=True)
    (source / "train.py").write_text("first\n")
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    (source / "train.py").write_text("second\n")
    subprocess.run([*git, "commit", "-qam", "two"], check=True)
    mirrors = tmp_path / "mirrors"
    subprocess.run(["git", "clone", "-q", "--bare", str(source), str(mirrors / "a+b" / "repo")], check=True)
    labels = [{"repo": "a/b", "commit": commit, "path": "train.py", "split": "tune",
               "positives": [{"line": 1, "category": "GL101"}]},
              {"repo": "x/y", "commit": commit, "path": "gone.py", "split": "tune"}]
    (tmp_path / "labels.yaml").write_text(yaml.safe_dump(labels))
    proc = run("materialize.py", "--labels", str(tmp_path / "labels.yaml"), "--mirrors", str(mirrors), "--out", str(tmp_path / "out"))
    assert (tmp_path / "out" / "a+b" / "train.py").read_text() == "first\n"
    assert proc.returncode == 1 and "missing mirror: x/y" in proc.stdout


def test_merge_replaces_the_categories_a_part_checks_and_keeps_the_others(tmp_path):
    def entry(checked, positives, commit=COMMIT):
        return {"repo": "a/b", "commit": commit, "path": "train.py", "checked": checked,
                "positives": [{"line": line, "category": code} for code, line in positives], "negatives": []}

    labels = tmp_path / "labels.yaml"
    labels.write_text(yaml.safe_dump([{**entry(["GL201", "GL301"], [("GL201", 5), ("GL301", 9)]), "split": "tune"}]))
    part = tmp_path / "part.yaml"
    part.write_text(yaml.safe_dump([entry(["GL301", "GL304"], [("GL304", 12)])]))
    assert run("merge.py", str(part), "--labels", str(labels)).returncode == 0
    [merged] = yaml.safe_load(labels.read_text())
    assert merged["checked"] == ["GL201", "GL301", "GL304"]  # GL301 relabelled: no positive now
    assert [(p["category"], p["line"]) for p in merged["positives"]] == [("GL201", 5), ("GL304", 12)]
    part.write_text(yaml.safe_dump([entry(["GL304"], [], commit="f" * 40)]))  # another version of the file
    assert run("merge.py", str(part), "--labels", str(labels)).returncode == 0
    [merged] = yaml.safe_load(labels.read_text())
    assert (merged["commit"], merged["checked"], merged["positives"]) == ("f" * 40, ["GL304"], [])
