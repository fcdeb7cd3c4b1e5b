"""The pre-commit case, `greenlint check --force-exclude FILE` answered from the findings cache,
imports neither `re` (nor the `enum` it imports) nor `pathlib` (nor the urllib.parse, ipaddress
and fnmatch it imports): they were a third of the run. What stands in for them on that path
behaves as they did: path strings as pathlib spells them, exclude patterns as their regular
expression matched them, Severity as the IntEnum it was."""
from __future__ import annotations

import copy
import itertools
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli import GRID, ROOT, write

from greenlint import paths
from greenlint.config import DEFAULT_EXCLUDE, _matcher, _patterns_regex
from greenlint.finding import Severity

KEPT_OUT = {"re", "enum", "pathlib", "urllib", "urllib.parse", "ipaddress", "fnmatch", "ntpath"}


def _imported_by_greenlint(importtime: str) -> set[str]:
    """The modules `python -X importtime -m greenlint` imported from greenlint's own import on
    (what the interpreter and runpy load before it is not greenlint's doing)."""
    names = [line.rsplit("|", 1)[-1].strip() for line in importtime.splitlines() if line.startswith("import time:")]
    return set(names[names.index("greenlint"):])


def test_a_cached_force_exclude_run_of_one_file_imports_no_re_enum_or_pathlib(tmp_path):
    write(tmp_path, {"train.py": GRID})
    command = [sys.executable, "-X", "importtime", "-m", "greenlint", "check", "--force-exclude", "train.py"]
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    first = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=environment)
    assert first.returncode == 1 and "GL101" in first.stdout  # fills the cache
    second = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=environment)
    assert second.returncode == 1 and second.stdout == first.stdout
    imported = _imported_by_greenlint(second.stderr)
    assert {"greenlint.cli", "greenlint.engine", "greenlint.cache"} <= imported
    assert "greenlint.frontends.python" not in imported  # a cache hit: nothing parsed
    assert sorted(imported & KEPT_OUT) == []


def test_path_strings_are_spelled_and_tested_as_pathlib_does(tmp_path, monkeypatch):
    spellings = ["", ".", "./", "a", "a/", "a//b", "./a/./b/", "a/../b", "/", "//", "///", "//a/b", "/a/b/", "../a", "a/.", "..."]
    monkeypatch.chdir(tmp_path)
    for spelling in spellings:
        assert paths.pure(spelling) == str(Path(spelling)), spelling
        assert paths.parent(spelling) == str(Path(spelling).parent), spelling
        assert paths.absolute(spelling) == str(Path(spelling).absolute()), spelling
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.py").write_text("x = 1\n")
    os.symlink(tmp_path / "missing", tmp_path / "dangling")
    os.symlink(tmp_path / "file.py", tmp_path / "link.py")
    for name in ("folder", "file.py", "dangling", "link.py", "nothing", "file.py/under", "folder/../file.py", "bad\0name"):
        for test in ("exists", "is_file", "is_dir", "is_symlink"):
            assert getattr(paths, test)(name) == getattr(Path(name), test)(), (test, name)
    for name in ("folder", "link.py", "folder/../link.py", "nothing/.."):
        assert paths.resolve(name) == str(Path(name).resolve())
    paths.mkdir(str(tmp_path / "x" / "y"), parents=True, exist_ok=True)
    paths.mkdir(str(tmp_path / "x" / "y"), exist_ok=True)
    assert (tmp_path / "x" / "y").is_dir()


def test_exclude_patterns_compared_as_strings_match_as_their_regular_expression_does():
    """Names, `*.suffix` patterns and plain paths (all the defaults) are compared as strings;
    the regular expression built from the same patterns is the reference."""
    lists = [DEFAULT_EXCLUDE, ("build",), ("*.egg-info",), ("docs/build", "data"), ("*",), ("a/b", "*b", ".venv")]
    parts = ["a", "b", "build", ".venv", "x.egg-info", ".egg-info", "docs", "data", "a.b", ""]
    relative = ["/".join(p) for n in (1, 2, 3) for p in itertools.product(parts, repeat=n)]
    relative += ["/abs/build/x.py", "/abs/x.py", "docs/build", "docs/build/", "docs/builder"]
    for patterns in lists:
        matcher = _matcher(tuple(patterns))
        assert matcher.regex is None, patterns  # no regular expression: no `re`
        reference = _patterns_regex(list(patterns))
        for rel in relative:
            assert matcher.fullmatch(rel) == (reference.fullmatch(rel) is not None), (patterns, rel)
    assert _matcher(("build", "src/[ab]*.py")).regex is not None  # a real glob: one regex for all of them


def test_severity_behaves_as_the_int_enum_it_replaced():
    assert list(Severity) == [Severity.NOTE, Severity.WARNING, Severity.ERROR] == [1, 2, 3]
    assert sorted(Severity, reverse=True)[0] is Severity.ERROR and len(Severity) == 3
    assert list(Severity.__members__) == ["NOTE", "WARNING", "ERROR"] and Severity["NOTE"] is Severity.NOTE
    warning = Severity.WARNING
    assert (str(warning), f"[{warning}]", repr(warning)) == ("warning", "[warning]", "<Severity.WARNING: 2>")
    assert (warning.name, warning.value, int(warning), hash(warning)) == ("WARNING", 2, 2, hash(2))
    assert Severity(2) is warning and Severity.parse(" Warning ") is warning and Severity.ERROR > warning > 1
    assert all(pickle.loads(pickle.dumps(s, protocol)) is s for s in Severity for protocol in range(6))
    assert copy.copy(warning) is warning and copy.deepcopy(warning) is warning
    with pytest.raises(ValueError):
        Severity(5)
    with pytest.raises(KeyError):
        Severity.parse("fatal")
