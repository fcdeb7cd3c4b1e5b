"""The profile runner with real child processes: budgets, crashes, hangs, the bootstrap's
unit counting, and the projection built from what was measured."""
from __future__ import annotations

import json
import os
import signal
import sys
import textwrap
from pathlib import Path

import pytest

from greenlint.profile.projection import build_profile
from greenlint.profile.runner import GRACE_S, run_script

DATA = Path(__file__).parent / "data" / "profile"


@pytest.fixture(autouse=True)
def no_gpu_no_rapl(tmp_path, monkeypatch):
    # Deterministic sensors: no NVML, no powercap; tests that want a fake NVML add it.
    monkeypatch.setitem(sys.modules, "pynvml", None)
    monkeypatch.setenv("GREENLINT_POWERCAP_ROOT", str(tmp_path / "no-powercap"))


def script(tmp_path: Path, text: str, name: str = "job.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is dead for our purposes.
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def test_short_script_ends_and_is_measured(tmp_path):
    job = script(tmp_path, """
        total = 0
        for i in range(2_000_000):
            total += i
        print("done", total)
    """)
    out = tmp_path / "out.txt"
    with out.open("w") as handle:
        result = run_script(job, seconds=30, idle_seconds=0, child_stdout=handle)
    assert result.status == "ended" and result.exit_status == 0 and result.stop_reason is None
    assert out.read_text().startswith("done ")
    assert result.cpu["method"] == "estimate" and result.cpu["cpu_seconds"] > 0
    assert result.cpu["joules"] > 0
    assert result.gpu["method"] == "none" and result.gpu["joules"] is None
    profile = build_profile(result)
    assert profile["units"]["kind"] == "second"
    # It ended on its own: the full run is what was measured.
    assert profile["projection"]["kwh"] == pytest.approx(profile["joules"] / 3.6e6)


def test_crashing_script_keeps_its_measurement_and_status(tmp_path):
    job = script(tmp_path, """
        import sys
        sum(range(500_000))
        sys.exit(3)
    """)
    result = run_script(job, seconds=30, idle_seconds=0)
    assert result.status == "crashed" and result.exit_status == 3
    assert result.cpu["joules"] > 0


def test_hanging_script_and_its_workers_are_killed_within_the_budget(tmp_path):
    pids = tmp_path / "pids.json"
    job = script(tmp_path, f"""
        import json, os, signal, subprocess, sys, time
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # only SIGKILL ends it
        child = subprocess.Popen([sys.executable, "-c", "import time\\nwhile True: time.sleep(1)"])
        with open({str(pids)!r}, "w") as handle:
            json.dump([os.getpid(), child.pid], handle)
        while True:
            time.sleep(0.1)
    """)
    budget = 1.5
    result = run_script(job, seconds=budget, idle_seconds=0)
    assert result.status == "stopped" and "budget" in result.stop_reason
    assert result.exit_status == -signal.SIGKILL
    # Stopped at the budget, killed after the grace period; the margin absorbs a busy machine.
    assert budget <= result.wall_s < budget + GRACE_S + 3.0
    for pid in json.loads(pids.read_text()):
        assert not alive(pid)


def test_sitecustomize_chains_the_one_it_shadows(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text("import os\nos.environ['SITE_CUSTOMIZED'] = 'yes'\n")
    job = script(tmp_path, """
        import os, sys
        sys.exit(0 if os.environ.get("SITE_CUSTOMIZED") == "yes" and "_greenlint_profile_hooks" in sys.modules else 5)
    """)
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = run_script(job, seconds=30, idle_seconds=0, env=env)
    assert result.exit_status == 0


def test_boosting_rounds_are_counted_through_the_hook(tmp_path):
    job = script(tmp_path, """
        import xgboost
        xgboost.train({"seconds_per_round": 0.01}, None, num_boost_round=25)
    """)
    env = {**os.environ, "PYTHONPATH": str(DATA / "fakelibs")}
    result = run_script(job, seconds=30, idle_seconds=0, env=env)
    assert result.exit_status == 0
    profile = build_profile(result)
    assert profile["units"]["kind"] == "round"
    assert (profile["units"]["done"], profile["units"]["planned"]) == (25, 25)
    assert profile["units"]["joules_per_unit"] > 0


def test_no_instrumented_library_is_imported_by_the_bootstrap(tmp_path):
    job = script(tmp_path, """
        import sys
        heavy = [m for m in ("sklearn", "keras", "transformers", "lightning", "xgboost", "lightgbm", "torch") if m in sys.modules]
        sys.exit(1 if heavy else 0)
    """)
    assert run_script(job, seconds=30, idle_seconds=0).exit_status == 0


def test_fake_gpu_in_the_parent_measures_the_child_window(tmp_path, monkeypatch):
    config = tmp_path / "nvml.json"
    config.write_text(json.dumps({"devices": [{"uuid": "GPU-1", "name": "Fake", "watts": 250.0}]}))
    monkeypatch.setenv("GREENLINT_FAKE_NVML", str(config))
    monkeypatch.delitem(sys.modules, "pynvml")
    monkeypatch.syspath_prepend(str(DATA / "fake_nvml"))
    job = script(tmp_path, "import time\ntime.sleep(1.2)\n")
    result = run_script(job, seconds=30, idle_seconds=0.3)
    assert result.gpu["method"] == "counter"
    assert result.gpu["joules"] == pytest.approx(250.0 * result.wall_s, rel=0.1)
    assert result.idle["gpu_watts"] == pytest.approx(250.0, rel=0.1)
    profile = build_profile(result)
    # The fake GPU draws the same at idle as under load: nothing above idle but the CPU.
    assert profile["above_idle_joules"] < 0.2 * profile["joules"]
    sys.modules.pop("pynvml", None)


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_real_grid_search_counts_fits_done_and_planned(tmp_path, n_jobs):
    pytest.importorskip("sklearn")
    job = script(tmp_path, f"""
        from sklearn.datasets import make_classification
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GridSearchCV
        X, y = make_classification(200, 8, random_state=0)
        grid = {{"C": [0.01, 0.1, 1.0], "tol": [1e-4, 1e-3]}}
        GridSearchCV(LogisticRegression(max_iter=200), grid, cv=4, n_jobs={n_jobs}).fit(X, y)
    """)
    result = run_script(job, seconds=120, idle_seconds=0)
    assert result.exit_status == 0
    profile = build_profile(result, alternative_n_iter=2)
    units = profile["units"]
    assert units["kind"] == "fit"
    assert (units["done"], units["planned"]) == (6 * 4, 6 * 4)
    alternative = profile["alternative"]
    assert alternative["kind"] == "random-search" and alternative["fits"] == 2 * 4
    assert alternative["kwh"] < profile["projection"]["kwh"]


def test_max_units_stops_the_search_and_projects_the_rest(tmp_path):
    pytest.importorskip("sklearn")
    job = script(tmp_path, """
        import time
        from sklearn.base import BaseEstimator, ClassifierMixin
        from sklearn.model_selection import GridSearchCV
        import numpy as np

        class Slow(ClassifierMixin, BaseEstimator):
            def __init__(self, a=0):
                self.a = a
            def fit(self, X, y):
                end = time.process_time() + 0.15  # busy, so the CPU estimate sees the work
                while time.process_time() < end:
                    pass
                self.classes_ = np.unique(y)
                return self
            def predict(self, X):
                return np.zeros(len(X), dtype=int)

        X = np.arange(40).reshape(20, 2); y = np.array([0, 1] * 10)
        GridSearchCV(Slow(), {"a": list(range(10))}, cv=2).fit(X, y)
    """)
    result = run_script(job, seconds=120, idle_seconds=0, max_units=4)
    assert result.status == "stopped" and "--max-units" in result.stop_reason
    profile = build_profile(result, region="aws:us-east-1")
    units = profile["units"]
    assert units["planned"] == 20 and 4 <= units["done"] < 20
    projection = profile["projection"]
    measured_kwh = profile["joules"] / 3.6e6
    expected = (profile["joules"] + units["joules_per_unit"] * (20 - units["done"])) / 3.6e6
    assert projection["kwh"] == pytest.approx(expected) and projection["kwh"] > measured_kwh
    assert projection["gco2e"] == pytest.approx(projection["kwh"] * projection["gco2e_per_kwh"])
    assert projection["region"] == "aws:us-east-1"


def test_notebook_runs_as_a_script_without_its_magics(tmp_path):
    notebook = tmp_path / "explore.ipynb"
    cells = [
        {"cell_type": "markdown", "source": ["# notes"]},
        {"cell_type": "code", "source": ["%matplotlib inline\n", "!pip install nothing\n", "x = 21\n"]},
        {"cell_type": "code", "source": "import sys\nsys.exit(0 if x * 2 == 42 else 9)\n"},
    ]
    notebook.write_text(json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5, "metadata": {}}))
    result = run_script(notebook, seconds=30, idle_seconds=0)
    assert result.exit_status == 0 and result.status == "ended"
    assert any("notebook converted" in n for n in result.notes)


def test_real_lightgbm_rounds_are_counted(tmp_path):
    """The LightGBM hook against the real library: every boosting round is one unit, planned from
    `num_boost_round`, and the sklearn wrapper goes through the same hook."""
    pytest.importorskip("lightgbm")
    job = script(tmp_path, """
        import numpy as np
        import lightgbm as lgb
        rng = np.random.default_rng(0)
        X = rng.normal(size=(2000, 8)); y = X[:, 0] + rng.normal(size=2000)
        lgb.train({"objective": "regression", "verbose": -1}, lgb.Dataset(X[:1600], y[:1600]),
                  num_boost_round=40, valid_sets=[lgb.Dataset(X[1600:], y[1600:])])
        lgb.LGBMRegressor(n_estimators=30, verbose=-1).fit(X, y)
    """)
    result = run_script(job, seconds=60, idle_seconds=0)
    assert result.exit_status == 0
    profile = build_profile(result)
    assert profile["units"]["kind"] == "round"
    assert (profile["units"]["done"], profile["units"]["planned"]) == (70, 70)
