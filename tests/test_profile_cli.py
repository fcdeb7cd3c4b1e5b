"""`greenlint profile` and `greenlint check --profile` through the real CLI in a subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from greenlint.profile.projection import build_profile, energy_at
from greenlint.profile.runner import Event, RunResult

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "profile"
PROFILE_KEYS = {"script", "exit_status", "wall_s", "gpu", "cpu", "idle_watts", "above_idle_joules", "units", "projection"}


def run(args, cwd, env=None):
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NO_COLOR": "1",
        "GREENLINT_POWERCAP_ROOT": str(cwd / "no-powercap"),
        **(env or {}),
    }
    return subprocess.run([sys.executable, "-m", "greenlint", *args], cwd=cwd, capture_output=True, text=True, env=environment)


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_profile_json_envelope_with_fake_gpu(tmp_path):
    write(tmp_path / "job.py", """
        import sys, time
        print("program output")
        time.sleep(1.2)
        print(sys.argv[1:])
    """)
    config = tmp_path / "nvml.json"
    config.write_text(json.dumps({"devices": [{"uuid": "GPU-1", "name": "Fake", "watts": 150.0, "instant": True}]}))
    env = {"PYTHONPATH": os.pathsep.join([str(ROOT), str(DATA / "fake_nvml")]), "GREENLINT_FAKE_NVML": str(config)}
    proc = run(["profile", "job.py", "--format", "json", "--idle-seconds", "0.3", "--region", "aws:us-east-1", "--", "--epochs", "3"], tmp_path, env)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)  # the program's own output went to stderr
    assert "program output" in proc.stderr and "['--epochs', '3']" in proc.stderr
    assert data["schema_version"] == 1 and data["findings"] == []
    (profile,) = data["profiles"]
    assert PROFILE_KEYS <= set(profile)
    assert profile["exit_status"] == 0
    assert profile["gpu"]["method"] == "counter" and profile["gpu"]["devices"][0]["uuid"] == "GPU-1"
    assert profile["gpu"]["joules"] == pytest.approx(150.0 * profile["wall_s"], rel=0.1)
    assert profile["cpu"]["method"] == "estimate"
    assert profile["idle_watts"] == pytest.approx(150.0, rel=0.1)
    projection = profile["projection"]
    assert projection["region"] == "aws:us-east-1" and projection["gco2e"] > 0
    assert projection["cleaner_region"] and projection["cleaner_gco2e"] < projection["gco2e"]
    assert "annual average grid intensity" in projection["carbon_note"]


def test_profile_text_report_and_crash_status(tmp_path):
    write(tmp_path / "crash.py", "sum(range(100000))\nraise SystemExit(4)\n")
    proc = run(["profile", "crash.py", "--idle-seconds", "0"], tmp_path, {"CUDA_VISIBLE_DEVICES": ""})
    assert proc.returncode == 0, proc.stderr  # measured: the program's crash is part of the report
    assert "crashed (exit status 4)" in proc.stdout
    assert "estimate" in proc.stdout


def test_energy_budget_exit_code_and_usage_errors(tmp_path):
    write(tmp_path / "job.py", "sum(range(300000))\n")
    over = run(["profile", "job.py", "--idle-seconds", "0", "--energy-budget-kwh", "1e-15"], tmp_path)
    assert over.returncode == 1 and "OVER BUDGET" in over.stdout
    under = run(["profile", "job.py", "--idle-seconds", "0", "--energy-budget-kwh", "1000", "--format", "json"], tmp_path)
    assert under.returncode == 0 and json.loads(under.stdout)["profiles"][0]["budget_exceeded"] is False
    missing = run(["profile", "nope.py"], tmp_path)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_check_profile_attaches_measurements_to_findings(tmp_path):
    pytest.importorskip("sklearn")
    write(tmp_path / "train.py", """
        from sklearn.datasets import make_classification
        from sklearn.ensemble import GradientBoostingClassifier


        def main():
            X, y = make_classification(200, 6, random_state=0)
            GradientBoostingClassifier(n_estimators=100).fit(X, y)


        if __name__ == "__main__":
            main()
    """)
    write(tmp_path / "library.py", """
        from sklearn.ensemble import GradientBoostingClassifier
        model = GradientBoostingClassifier(n_estimators=100)
    """)
    proc = run(["check", "--profile", "--seconds", "30", "--format", "json", "--no-cache", "."], tmp_path)
    data = json.loads(proc.stdout)
    flagged = [f for f in data["findings"] if f["code"] == "GL201"]
    assert {f["path"] for f in flagged} == {"train.py", "library.py"}, proc.stderr
    (profile,) = data["profiles"]  # library.py has no __main__ block: not run
    assert profile["script"] == "train.py" and profile["exit_status"] == 0
    for finding in flagged:
        if finding["path"] == "train.py":
            measured = finding["impact"]["measured"]
            assert measured["profile"] == 0 and measured["joules"] == pytest.approx(profile["joules"])
        else:
            assert "measured" not in finding["impact"]


def synthetic_run(status: str, watts: float = 10.0) -> RunResult:
    # 10 W for 10 s; a 2 s start-up, then one fit per second; 8 fits done of 20 planned.
    timeline = [(float(t), watts * t) for t in range(0, 11)]
    events = [Event(t=2.0, pid=1, kind="fit", planned=20, has_plan=True, info={"search": "GridSearchCV", "candidates": 10, "folds": 2})]
    events += [Event(t=float(t), pid=1, kind="fit", done=1) for t in range(3, 11)]
    return RunResult(
        script="s.py", argv=[], exit_status=None if status == "stopped" else 0, status=status, stop_reason=None,
        wall_s=10.0, t_start=0.0, t_end=10.0,
        gpu={"joules": None, "method": "none", "devices": []},
        cpu={"joules": watts * 10, "method": "estimate"},
        idle={"gpu_watts": None, "cpu_watts": 0.0}, timeline=timeline, events=events, warnings=[], notes=[],
    )


def test_projection_uses_steady_state_per_unit_energy():
    profile = build_profile(synthetic_run("stopped"), energy_budget_kwh=1e-6, alternative_n_iter=3)
    units = profile["units"]
    assert units["joules_per_unit"] == pytest.approx(10.0)  # between first and last fit: 70 J / 7 fits
    assert units["spread"]["intervals"] == 7 and units["spread"]["stdev"] == pytest.approx(0.0, abs=1e-9)
    assert profile["projection"]["kwh"] == pytest.approx((100 + 10 * 12) / 3.6e6)
    assert profile["budget_exceeded"] is True
    # Random search of 3 candidates x 2 folds: start-up (100 J - 8 fits x 10 J) + 6 fits x 10 J.
    assert profile["alternative"]["kwh"] == pytest.approx((20 + 60) / 3.6e6)
    ended = build_profile(synthetic_run("ended"))
    assert ended["projection"]["kwh"] == pytest.approx(100 / 3.6e6)
    assert ended["projection"]["gco2e"] is None and "never guesses" in ended["projection"]["carbon_note"]


def test_energy_at_interpolates():
    timeline = [(0.0, 0.0), (1.0, 10.0), (3.0, 30.0)]
    assert energy_at(timeline, 2.0) == pytest.approx(20.0)
    assert energy_at(timeline, -1.0) == 0.0 and energy_at(timeline, 5.0) == 30.0
