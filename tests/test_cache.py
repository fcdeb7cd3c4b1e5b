"""The findings cache folder, through the real CLI: where it lives, how it is marked, what
happens when it cannot be used, and how old versions' entries go away."""
from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys

from test_cli import GRID, ROOT, run, write  # noqa: F401  (ROOT: the package under test)


def entries(folder):
    return [p for p in folder.glob("*/*/*") if p.is_file()]


def test_cache_folder_is_marked_and_ignored_by_git(tmp_path):
    write(tmp_path, {"train.py": GRID})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert run(["--format", "json", "."], tmp_path).returncode == 1
    cache = tmp_path / ".greenlint_cache"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=tmp_path,
                            capture_output=True, text=True).stdout
    assert status.split() == ["??", "train.py"]


def test_cache_dir_option_and_environment(tmp_path):
    write(tmp_path, {"train.py": GRID})
    run(["--cache-dir", "by-flag", "."], tmp_path)
    run(["."], tmp_path, env={"GREENLINT_CACHE_DIR": str(tmp_path / "by-env")})
    run(["--cache-dir", "flag-wins", "."], tmp_path, env={"GREENLINT_CACHE_DIR": str(tmp_path / "env-loses")})
    assert len(entries(tmp_path / "by-flag")) == 1 and len(entries(tmp_path / "by-env")) == 1
    assert (tmp_path / "flag-wins").is_dir() and not (tmp_path / "env-loses").exists()
    assert not (tmp_path / ".greenlint_cache").exists()


def test_unusable_cache_warns_once_and_still_lints(tmp_path):
    write(tmp_path, {f"t{i}.py": GRID for i in range(3)})
    (tmp_path / "blocker").write_text("a file, not a folder")
    proc = run(["--cache-dir", "blocker/cache", "--format", "json", "."], tmp_path)
    assert proc.returncode == 1 and len(json.loads(proc.stdout)["findings"]) == 3
    assert proc.stderr.count("warning: cache folder") == 1


def test_corrupt_entry_is_recomputed(tmp_path):
    write(tmp_path, {"train.py": GRID})
    first = run(["--format", "json", "."], tmp_path)
    [entry] = entries(tmp_path / ".greenlint_cache")
    whole = entry.read_bytes()
    for corrupt in (whole[: len(whole) // 2], b'{"not": "a list of findings"', marshal.dumps({"findings": 3})):
        entry.write_bytes(corrupt)
        second = run(["--format", "json", "."], tmp_path)
        assert json.loads(second.stdout)["findings"] == json.loads(first.stdout)["findings"]
        assert marshal.loads(entry.read_bytes())["findings"][0]["code"] == "GL101"


def test_other_versions_folders_are_pruned(tmp_path):
    write(tmp_path, {"train.py": GRID})
    cache = tmp_path / ".greenlint_cache"
    for name in ("0.0.1-aaaa", "0.0.2-bbbb", "0.0.3-cccc"):
        (cache / name / "ab").mkdir(parents=True)
    old = cache / "0.0.1-aaaa"
    os.utime(old, (0, 0))  # unused for decades
    run(["."], tmp_path)
    kept = sorted(p.name for p in cache.iterdir() if p.is_dir())
    assert "0.0.1-aaaa" not in kept and len(kept) == 3  # the current one and two recent others


def test_a_cached_one_file_run_stays_off_heavy_imports(tmp_path):
    """The pre-commit case: a file whose findings are cached is answered without the modules
    that dominated start-up (dataclasses pulls in inspect, ast and dis; hashlib loads OpenSSL;
    argparse looks up translations)."""
    write(tmp_path, {"train.py": GRID})
    assert run(["train.py"], tmp_path).returncode == 1  # fills the cache
    heavy = ["dataclasses", "inspect", "typing", "pickle", "hashlib", "shutil", "ast", "yaml", "rich", "json", "argparse",
             "concurrent.futures", "multiprocessing", "greenlint.suppress", "greenlint.frontends.project"]
    probe = ("import sys, greenlint.cli\n"
             "code = greenlint.cli.main(['train.py'])\n"
             f"print(code, [m for m in {heavy!r} if m in sys.modules])\n")
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                         env=environment).stdout
    assert out.splitlines()[-1] == "1 []"


def test_a_warm_run_of_many_files_answers_from_the_cache_and_relints_only_what_changed(tmp_path):
    """A run over enough files to use the process pool first answers unchanged files from the
    cache; the files whose content changed are linted again, in the pool or not."""
    files = {f"pkg/m{i:02d}.py": "x = 1\n" for i in range(40)}
    files.update({"pkg/a.py": GRID, "pkg/b.py": GRID})
    write(tmp_path, files)
    first = run(["--format", "json", "--jobs", "2", "."], tmp_path)
    second = run(["--format", "json", "--jobs", "2", "."], tmp_path)
    assert json.loads(second.stdout)["findings"] == json.loads(first.stdout)["findings"]
    assert [f["path"] for f in json.loads(second.stdout)["findings"]] == ["pkg/a.py", "pkg/b.py"]
    (tmp_path / "pkg" / "m07.py").write_text(GRID)
    (tmp_path / "pkg" / "a.py").write_text("x = 2\n")
    third = run(["--format", "json", "--jobs", "2", "."], tmp_path)
    assert [f["path"] for f in json.loads(third.stdout)["findings"]] == ["pkg/b.py", "pkg/m07.py"]


def test_a_file_whose_stat_is_unchanged_is_answered_from_the_stat_index_and_any_write_is_seen(tmp_path):
    """Files last changed more than two seconds before a warm run are recorded in the stat index
    (size, mtime, ctime, inode -> content digest); a later write with the same size and the same
    mtime still changes the ctime, so the file is read and linted again."""
    import time

    files = {f"pkg/m{i:02d}.py": "x = 1\n" for i in range(40)}
    files["pkg/a.py"] = GRID
    write(tmp_path, files)
    run(["--format", "json", "."], tmp_path)
    time.sleep(2.2)  # past the racy window: the next run records every file
    run(["--format", "json", "."], tmp_path)
    index = next((tmp_path / ".greenlint_cache").glob("*/stat-index"))
    recorded = marshal.loads(index.read_bytes())
    assert str(tmp_path / "pkg" / "a.py") in {os.path.normpath(p) for p in recorded}
    target = tmp_path / "pkg" / "a.py"
    before = target.stat()
    target.write_text(GRID.replace("GridSearchCV", "GridSearchCv").ljust(len(GRID)))  # same size, no finding
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same mtime
    assert target.stat().st_size == before.st_size and target.stat().st_mtime_ns == before.st_mtime_ns
    third = run(["--format", "json", "."], tmp_path)
    assert json.loads(third.stdout)["findings"] == []


def _modules_after_run(tmp_path, argv, modules):
    probe = ("import sys, greenlint.cli\n"
             f"code = greenlint.cli.main({argv!r})\n"
             f"print(code, [m for m in {modules!r} if m in sys.modules])\n")
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                          env=environment).stdout.splitlines()[-1]


def test_a_configuration_read_before_is_not_parsed_again_until_it_changes(tmp_path):
    """The tables of configuration files are remembered by content in the cache folder: a later
    run with the same pyproject.toml imports no TOML parser, and an edited one is read afresh."""
    write(tmp_path, {"train.py": GRID, "pyproject.toml": '[project]\nname = "x"\n\n[tool.greenlint]\nfail-on = "warning"\n'})
    assert run(["train.py"], tmp_path).returncode == 1  # reads the table, fills both caches
    assert _modules_after_run(tmp_path, ["train.py"], ["tomllib", "tomli"]) == "1 []"
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.greenlint]\nignore = ["GL101"]\n')
    assert _modules_after_run(tmp_path, ["train.py"], ["tomllib", "tomli"]).startswith("0 ['toml")
    assert run(["train.py"], tmp_path).returncode == 0  # the edited table, now remembered, holds


def test_a_pyproject_that_never_names_greenlint_is_not_parsed(tmp_path):
    """Even a broken pyproject.toml is no error when it has no greenlint table: another tool's file."""
    write(tmp_path, {"train.py": GRID, "pyproject.toml": "[tool.black\nline-length = 100\n"})
    proc = run(["--no-cache", "train.py"], tmp_path)
    assert proc.returncode == 1 and "GL101" in proc.stdout and not proc.stderr
    write(tmp_path, {"pyproject.toml": "[tool.greenlint\nselect = ['GL1']\n"})
    proc = run(["--no-cache", "train.py"], tmp_path)
    assert proc.returncode == 2 and "cannot read configuration" in proc.stderr


def test_a_configuration_file_with_a_toml_date_elsewhere_is_remembered(tmp_path):
    """Only the greenlint table is remembered, so a date in another tool's table is no obstacle."""
    write(tmp_path, {"train.py": GRID, "pyproject.toml": "[project]\nreleased = 2024-05-01\n\n[tool.greenlint]\nignore = ['GL101']\n"})
    assert run(["train.py"], tmp_path).returncode == 0
    assert _modules_after_run(tmp_path, ["train.py"], ["tomllib", "tomli"]) == "0 []"
