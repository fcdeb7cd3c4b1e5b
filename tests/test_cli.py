"""The real CLI in a subprocess, on real files: exit codes, selection, configuration,
discovery, suppressions, stdin and formats."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GRID = textwrap.dedent(
    """\
    from sklearn.model_selection import GridSearchCV
    from sklearn.svm import SVC
    grid = {"C": [0.1, 1, 10], "gamma": [0.1, 0.01]}
    search = GridSearchCV(SVC(), grid, cv=3)
    """
)


def run(args, cwd, stdin=None, env=None):
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "greenlint", *args], cwd=cwd, capture_output=True, text=True,
                          input=stdin, env=environment)


def write(base: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def codes(proc) -> list[tuple[str, int, str]]:
    data = json.loads(proc.stdout)
    return [(f["path"], f["line"], f["code"]) for f in data["findings"]]


def test_grid_search_found_with_numbers_and_exit_1(tmp_path):
    write(tmp_path, {"train.py": GRID})
    proc = run(["--format", "json", "--no-cache", "."], tmp_path)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["schema_version"] == 1
    [finding] = data["findings"]
    assert (finding["path"], finding["line"], finding["column"], finding["code"]) == ("train.py", 4, 10, "GL101")
    assert "6 candidates" in finding["message"] and "18 fits" in finding["message"]
    assert finding["impact"]["fits"] == 18


def test_clean_project_exits_0_and_check_subcommand(tmp_path):
    write(tmp_path, {"ok.py": "from sklearn.model_selection import RandomizedSearchCV\n"})
    assert run(["check", "."], tmp_path).returncode == 0
    assert run([], tmp_path).returncode == 0  # no path: the current folder


def test_subcommand_name_wins_but_check_lints_a_folder_called_rules(tmp_path):
    write(tmp_path, {"rules/train.py": GRID})
    listed = run(["rules"], tmp_path)
    assert listed.returncode == 0 and "GL101" in listed.stdout and "exhaustive-grid-search" in listed.stdout
    checked = run(["check", "rules/", "--format", "concise", "--no-cache"], tmp_path)
    assert checked.returncode == 1 and "rules/train.py:4:10: GL101" in checked.stdout


def test_rules_json_and_rule_docs(tmp_path):
    data = json.loads(run(["rules", "--format", "json"], tmp_path).stdout)
    assert {"code": "GL101"}.items() <= next(r for r in data if r["code"] == "GL101").items()
    docs = run(["rule", "GL101"], tmp_path)
    assert docs.returncode == 0 and "## Why it wastes energy" in docs.stdout
    by_name = run(["rule", "exhaustive-grid-search"], tmp_path)
    assert by_name.stdout == docs.stdout
    unknown = run(["rule", "GL999"], tmp_path)
    assert unknown.returncode == 2 and "unknown rule" in unknown.stderr


def test_missing_path_and_no_files_are_loud(tmp_path):
    proc = run(["does-not-exist"], tmp_path)
    assert proc.returncode == 2 and "no such file" in proc.stderr and "Traceback" not in proc.stderr
    (tmp_path / "empty").mkdir()
    proc = run(["empty"], tmp_path)
    assert proc.returncode == 0 and "no files to check" in proc.stderr


def test_selection_by_code_prefix_name_and_ignore(tmp_path):
    write(tmp_path, {"train.py": GRID})
    assert run(["--select", "GL1", "--no-cache"], tmp_path).returncode == 1
    assert run(["--select", "exhaustive-grid-search", "--no-cache"], tmp_path).returncode == 1
    assert run(["--ignore", "GL101", "--no-cache"], tmp_path).returncode == 0
    assert run(["--ignore", "GL1", "--no-cache"], tmp_path).returncode == 0
    assert run(["--select", "GL2", "--no-cache"], tmp_path).returncode == 0
    bad = run(["--select", "GL1O1"], tmp_path)
    assert bad.returncode == 2 and "unknown rule selector" in bad.stderr


def test_off_by_default_rule_needs_exact_code(tmp_path):
    write(tmp_path, {"train.py": GRID.replace("cv=3)", "cv=3)  # greenlint: ignore[GL101, GL102]")})
    # GL002 is off by default: a prefix does not enable it, its code does.
    assert "GL002" not in run(["--select", "GL0", "--format", "concise", "--no-cache"], tmp_path).stdout
    out = run(["--extend-select", "GL002", "--format", "concise", "--no-cache"], tmp_path).stdout
    assert "GL002" in out and "GL102" in out and "GL101 " not in out


def test_fail_on_and_exit_zero(tmp_path):
    write(tmp_path, {"train.py": GRID})
    assert run(["--fail-on", "error", "--no-cache"], tmp_path).returncode == 0
    assert run(["--exit-zero", "--no-cache"], tmp_path).returncode == 0
    assert run(["--fail-on", "note", "--no-cache"], tmp_path).returncode == 1


def test_suppressions(tmp_path):
    write(tmp_path, {
        "a.py": GRID.replace("cv=3)", "cv=3)  # greenlint: ignore[GL101]"),
        "b.py": GRID.replace("cv=3)", "cv=3)  # noqa: GL101"),
        "c.py": "# greenlint: ignore-file[GL101]\n" + GRID,
        "d.py": GRID.replace("cv=3)", "cv=3)  # greenlint: ignore"),
        "e.py": GRID.replace("cv=3)", "cv=3)  # noqa"),
        "f.py": GRID + "# greenlint: ignore-file[GL101]\n",  # not in the leading comments
        "g.py": GRID.replace("cv=3)", "cv=3)  # noqa: E501"),
    })
    found = codes(run(["--format", "json", "--no-cache", "."], tmp_path))
    assert found == [("d.py", 4, "GL101"), ("d.py", 4, "GL001"), ("e.py", 4, "GL101"), ("f.py", 4, "GL101"),
                     ("g.py", 4, "GL101")]


def test_config_closest_wins_and_patterns_are_relative(tmp_path):
    write(tmp_path, {
        "pyproject.toml": """
            [tool.greenlint]
            ignore = ["GL101"]
        """,
        "a/train.py": GRID,
        "b/greenlint.toml": 'select = ["GL1"]\nper-file-ignores = {"legacy/*.py" = ["GL101"]}\n',
        "b/train.py": GRID,
        "b/legacy/old.py": GRID,
        "c/.greenlint.toml": 'severity = {GL101 = "note"}\n',
        "c/greenlint.toml": 'ignore = ["GL101"]\n',
        "c/train.py": GRID,
        "d/pyproject.toml": "[project]\nname = 'x'\n",  # no [tool.greenlint]: passed over
        "d/train.py": GRID,
    })
    data = json.loads(run(["--format", "json", "--no-cache", "."], tmp_path).stdout)
    got = {(f["path"], f["severity"]) for f in data["findings"]}
    assert got == {("b/train.py", "warning"), ("c/train.py", "note")}
    # --config applies one configuration to everything
    write(tmp_path, {"one.toml": 'select = ["GL101"]\n'})
    found = {p for p, _, _ in codes(run(["--format", "json", "--no-cache", "--config", "one.toml", "."], tmp_path))}
    assert found == {"a/train.py", "b/train.py", "b/legacy/old.py", "c/train.py", "d/train.py"}


def test_bad_configuration_names_the_key(tmp_path):
    write(tmp_path, {"greenlint.toml": 'selct = ["GL1"]\n', "x.py": GRID})
    proc = run(["."], tmp_path)
    assert proc.returncode == 2 and "'selct'" in proc.stderr and "did you mean 'select'" in proc.stderr
    write(tmp_path, {"greenlint.toml": 'fail-on = 3\n'})
    assert "must be a str" in run(["."], tmp_path).stderr
    write(tmp_path, {"greenlint.toml": '[rules.GL101]\ndefault-cvv = 3\n'})
    proc = run(["."], tmp_path)
    assert proc.returncode == 2 and "did you mean 'default-cv'" in proc.stderr
    write(tmp_path, {"greenlint.toml": 'region = "us-east-1"\n'})
    assert "provider" in run(["."], tmp_path).stderr
    write(tmp_path, {"greenlint.toml": 'ignore = ["GL9"]\n'})
    assert run(["."], tmp_path).returncode == 2


def test_rule_options_from_config(tmp_path):
    write(tmp_path, {"greenlint.toml": "[rules.GL101]\ndefault-cv = 10\n",
                     "t.py": GRID.replace(", cv=3", "")})
    [finding] = json.loads(run(["--format", "json", "--no-cache", "."], tmp_path).stdout)["findings"]
    assert finding["impact"]["fits"] == 60


def test_show_settings(tmp_path):
    write(tmp_path, {"greenlint.toml": 'region = "aws:eu-north-1"\nextend-select = ["GL002"]\n'})
    proc = run(["--show-settings", "."], tmp_path)
    data = json.loads(proc.stdout)
    assert data["region"] == "aws:eu-north-1" and "GL002" in data["enabled"] and data["fail-on"] == "warning"


def test_discovery_respects_gitignore_and_skips_environments(tmp_path):
    write(tmp_path, {
        ".gitignore": "generated/\n*.tmp.py\n!keep.tmp.py\n",
        "generated/train.py": GRID,
        "x.tmp.py": GRID,
        "keep.tmp.py": GRID,
        "sub/.gitignore": "local.py\n",
        "sub/local.py": GRID,
        "sub/train.py": GRID,
        "node_modules/pkg/t.py": GRID,
        "env/pyvenv.cfg": "home = /usr\n",
        "env/lib/t.py": GRID,
        "build/t.py": GRID,
    })
    (tmp_path / ".git").mkdir()
    found = {p for p, _, _ in codes(run(["--format", "json", "--no-cache", "."], tmp_path))}
    assert found == {"keep.tmp.py", "sub/train.py"}
    # named explicitly: checked even when excluded, unless --force-exclude
    assert run(["build/t.py", "--no-cache"], tmp_path).returncode == 1
    assert run(["build/t.py", "--force-exclude", "--no-cache"], tmp_path).returncode == 0


def test_unreadable_and_broken_files_do_not_stop_the_run(tmp_path):
    write(tmp_path, {"broken.py": "from sklearn.model_selection import GridSearchCV\ndef f(:\n", "good.py": GRID})
    (tmp_path / "latin.py").write_bytes(b"# GridSearchCV\nx = '\xff'\n")
    os.symlink(tmp_path / "missing.py", tmp_path / "dangling.py")
    os.symlink(tmp_path, tmp_path / "loop")
    proc = run(["--format", "json", "--no-cache", "."], tmp_path)
    data = json.loads(proc.stdout)
    by_path = {(f["path"], f["code"]) for f in data["findings"]}
    assert {("broken.py", "GL000"), ("good.py", "GL101"), ("latin.py", "GL000"), ("dangling.py", "GL000"),
            ("loop", "GL000")} <= by_path
    broken = next(f for f in data["findings"] if f["path"] == "broken.py")
    assert broken["line"] == 2 and "cannot parse as Python 3." in broken["message"]


def test_parse_errors_cannot_be_ignored(tmp_path):
    write(tmp_path, {"greenlint.toml": 'ignore = ["GL0"]\nper-file-ignores = {"*.py" = ["GL000", "GL2"]}\n',
                     "broken.py": "from sklearn.model_selection import GridSearchCV\ndef f(:\n"})
    assert codes(run(["--format", "json", "--no-cache", "."], tmp_path)) == [("broken.py", 2, "GL000")]


def test_stdin_with_filename(tmp_path):
    write(tmp_path, {"greenlint.toml": 'per-file-ignores = {"legacy.py" = ["GL101"]}\n'})
    proc = run(["-", "--stdin-filename", "train.py", "--format", "concise", "--no-cache"], tmp_path, stdin=GRID)
    assert proc.returncode == 1 and proc.stdout.startswith("train.py:4:10: GL101")
    proc = run(["-", "--stdin-filename", "legacy.py", "--no-cache"], tmp_path, stdin=GRID)
    assert proc.returncode == 0


def test_columns_count_characters_not_bytes(tmp_path):
    write(tmp_path, {"t.py": GRID.replace("search = GridSearchCV", "réglage = GridSearchCV")})
    [finding] = json.loads(run(["--format", "json", "--no-cache", "."], tmp_path).stdout)["findings"]
    assert finding["column"] == len("réglage = ") + 1


def test_every_format_and_output_file(tmp_path):
    write(tmp_path, {"train.py": GRID})
    github = run(["--format", "github", "--no-cache"], tmp_path).stdout
    assert github.startswith("::warning file=train.py,line=4,col=10") and "title=GL101 exhaustive-grid-search::" in github
    text = run(["--no-cache"], tmp_path).stdout
    assert "train.py:4:10" in text and "GL101" in text and "\x1b[" not in text
    sarif = run(["--format", "sarif", "--output", "out.sarif", "--no-cache"], tmp_path)
    assert sarif.stdout == "" and json.loads((tmp_path / "out.sarif").read_text())["version"] == "2.1.0"
    stats = run(["--statistics", "--no-cache"], tmp_path).stdout
    assert "GL101" in stats


def test_cache_gives_the_same_findings(tmp_path):
    write(tmp_path, {f"t{i}.py": GRID for i in range(30)})
    first = run(["--format", "json", "--jobs", "2", "."], tmp_path)
    second = run(["--format", "json", "--jobs", "1", "."], tmp_path)
    assert (tmp_path / ".greenlint_cache").is_dir()
    assert json.loads(first.stdout)["findings"] == json.loads(second.stdout)["findings"]
    assert len(json.loads(first.stdout)["findings"]) == 30


def test_internal_errors_have_no_traceback(tmp_path):
    write(tmp_path, {"greenlint.toml": "not toml ["})
    proc = run(["."], tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1


@pytest.mark.parametrize("flag", ["--version"])
def test_version(tmp_path, flag):
    proc = run([flag], tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith("greenlint ")


def test_cache_is_shared_between_processes(tmp_path):
    """Keys must not depend on a process's hash seed: a second run writes no new entry."""
    write(tmp_path, {f"t{i}.py": GRID for i in range(3)})
    run(["--format", "json", "--jobs", "1", "."], tmp_path, env={"PYTHONHASHSEED": "1"})
    entries = sorted(p.name for p in (tmp_path / ".greenlint_cache").glob("*/*/*") if p.is_file())
    second = run(["--format", "json", "--jobs", "1", "."], tmp_path, env={"PYTHONHASHSEED": "2"})
    assert sorted(p.name for p in (tmp_path / ".greenlint_cache").glob("*/*/*") if p.is_file()) == entries
    assert len(entries) == 3 and len(json.loads(second.stdout)["findings"]) == 3


def test_second_link_to_a_folder_is_not_a_loop(tmp_path):
    """Regression (open-mmlab/mmpretrain docs/zh_CN/api links to docs/en/api): the folder is
    checked once and nothing is reported about the link; a link back up is a loop."""
    write(tmp_path, {"docs/en/api/train.py": GRID})
    os.symlink(tmp_path / "docs" / "en" / "api", tmp_path / "docs" / "zh_api")
    found = codes(run(["--format", "json", "--no-cache", "."], tmp_path))
    assert [code for _, _, code in found] == ["GL101"]
    os.symlink(tmp_path / "docs", tmp_path / "docs" / "en" / "up")
    found = codes(run(["--format", "json", "--no-cache", "."], tmp_path))
    assert ("docs/en/up", 1, "GL000") in found
