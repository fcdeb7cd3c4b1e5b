"""Speed of greenlint against its peers, measured in one run on the same corpus.

    python bench/bench.py [--corpus DIR] [--fixit-sample N] [--peers VENV_BIN] [--write]

The corpus is the .py files of two pinned wheels (bench/make-corpus.sh builds it: about
3,600 files, 1.6 M lines). Measured, all in one run: greenlint cold and warm with one job and
with all jobs; semgrep (three simple rules) and Fixit (built-in rules, on a slice); one small
file (the pre-commit case, cache on) against `python -c pass`; 10 %, 50 % and 100 % of the
corpus, to show how cost grows; peak memory of a one-process run. With --write the table goes
to bench/results.md with the machine it ran on. Timing is noisy on shared machines: compare
ratios from one run, never absolute numbers across runs. The runs the goals compare are
medians: greenlint cold with all jobs and semgrep of 3 runs, the sub-second ones (warm cache,
one file) of 5 and 7. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEMGREP_RULES = """\
rules:
  - id: grid-search
    languages: [python]
    severity: WARNING
    message: exhaustive grid search
    pattern: sklearn.model_selection.GridSearchCV(...)
  - id: densify
    languages: [python]
    severity: WARNING
    message: dense copy of sparse data
    pattern: $X.toarray()
  - id: unbounded-study
    languages: [python]
    severity: WARNING
    message: study without a budget
    patterns:
      - pattern: $S.optimize($F)
"""


GOALS = {"cold vs semgrep": 0.5, "warm vs semgrep": 0.05, "one file vs python -c pass": 3.0}


def lines_of(files: list[Path]) -> int:
    return sum(f.read_bytes().count(b"\n") for f in files)


# As installed for a user: byte code written and reused (some sandboxes set this variable).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and the peak resident memory (MB) of the command's own process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        print(f"  ! {' '.join(cmd[:3])} exited {code}: {stderr.strip()[-300:]}", file=sys.stderr)
    return elapsed, usage.ru_maxrss // 1024


def median_time(cmd: list[str], runs: int = 7, cwd: Path | None = None) -> float:
    return statistics.median(timed(cmd, cwd)[0] for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus")
    parser.add_argument("--peers", type=Path, help="bin folder of a venv with semgrep and fixit")
    parser.add_argument("--fixit-sample", type=int, default=150, help="files Fixit lints (it is ~100x slower)")
    parser.add_argument("--write", action="store_true", help="write the table to bench/results.md")
    args = parser.parse_args()

    if not (args.corpus / ".done").exists():
        subprocess.run(["bash", str(HERE / "make-corpus.sh"), str(args.corpus)], check=True)
    files = sorted(p for p in args.corpus.rglob("*.py") if ".wheels" not in p.parts)
    total_lines = lines_of(files)
    cores = os.cpu_count() or 1
    print(f"corpus: {len(files)} files, {total_lines:,} lines, {cores} cores\n", flush=True)

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "greenlint")], env=ENV, check=True,
                   stdout=subprocess.DEVNULL)
    rows: list[tuple[str, float, int, int | None]] = []  # name, seconds, lines, peak MB
    cache = Path(tempfile.mkdtemp(prefix="greenlint-bench-cache-"))
    greenlint = [sys.executable, "-m", "greenlint", "check", "--exit-zero", "--format", "concise"]

    def run(name: str, cmd: list[str], lines: int, cwd: Path | None = None, memory: bool = False, runs: int = 1) -> float:
        seconds, peak = timed(cmd, cwd)
        if runs > 1:  # one run on a shared machine is noise: the median of several
            seconds = statistics.median([seconds] + [timed(cmd, cwd)[0] for _ in range(runs - 1)])
        rows.append((name, seconds, lines, peak if memory else None))
        print(f"  {name}: {seconds:.2f} s", flush=True)
        return seconds

    # One untimed pass first: the operating system's file cache and Python's bytecode are then warm
    # for every tool alike (semgrep runs later and would otherwise read a cache greenlint filled);
    # "cold" means without greenlint's own content cache.
    timed(greenlint + ["--no-cache", str(args.corpus)])
    cold = run(f"greenlint cold, {cores} jobs", greenlint + ["--no-cache", str(args.corpus)], total_lines, runs=3)
    run("greenlint cold, 1 job", greenlint + ["--no-cache", "--jobs", "1", str(args.corpus)], total_lines, memory=True)
    run(f"greenlint cold, all rules (ALL), {cores} jobs", greenlint + ["--no-cache", "--select", "ALL", str(args.corpus)], total_lines)
    timed(greenlint + [str(args.corpus)], cwd=cache)  # fills the cache
    warm = run(f"greenlint warm cache, {cores} jobs", greenlint + [str(args.corpus)], total_lines, cwd=cache, runs=5)
    run("greenlint warm cache, 1 job", greenlint + ["--jobs", "1", str(args.corpus)], total_lines, cwd=cache, runs=5)
    scaling = []
    for fraction in (0.1, 0.5, 1.0):
        subset = files[: max(1, int(len(files) * fraction))]
        seconds = timed(greenlint + ["--no-cache", *map(str, subset)])[0]
        scaling.append((fraction, len(subset), lines_of(subset), seconds))

    semgrep_s = None
    semgrep = shutil.which("semgrep", path=str(args.peers) if args.peers else None)
    if semgrep:
        rules = cache / "rules.yaml"
        rules.write_text(SEMGREP_RULES)
        # --no-git-ignore: the default corpus lies in this repository's ignored bench/corpus, and
        # semgrep would otherwise skip every file of it
        cmd = [semgrep, "scan", "--config", str(rules), "--metrics=off", "--quiet", "--jobs", str(cores),
               "--disable-version-check", "--no-git-ignore", str(args.corpus)]
        semgrep_s = run("semgrep 3 rules", cmd, total_lines, runs=3)
    fixit = shutil.which("fixit", path=str(args.peers) if args.peers else None)
    if fixit:
        # Fixit skips git-ignored files and has no switch for it: it lints a copy outside the repository.
        sample = []
        for i, path in enumerate(files[: args.fixit_sample]):
            sample.append(cache / "fixit-sample" / f"{i:04d}_{path.name}")
            sample[-1].parent.mkdir(exist_ok=True)
            shutil.copyfile(path, sample[-1])
        run(f"fixit built-in rules, {len(sample)} files", [fixit, "lint", *map(str, sample)], lines_of(sample))

    one_file = ROOT / "examples" / "train_svm.py"
    # The pre-commit hook runs the installed `greenlint` script, not `python -m` (runpy costs 4 ms).
    script = Path(sys.executable).parent / "greenlint"
    hook = ([str(script)] if script.is_file() else greenlint[:3]) + greenlint[3:]
    timed(hook + [str(one_file)], cwd=cache)  # fills the cache for this file
    single = median_time(hook + [str(one_file)], cwd=cache)
    bare = median_time([sys.executable, "-c", "pass"])
    shutil.rmtree(cache, ignore_errors=True)

    report = render(rows, scaling, cold, warm, semgrep_s, single, bare, len(files), total_lines, cores)
    print("\n" + report)
    if args.write:
        (HERE / "results.md").write_text(report + "\n")
    return 0


def render(rows, scaling, cold, warm, semgrep_s, single, bare, n_files, total_lines, cores) -> str:
    machine = f"{platform.machine()}, {cores} cores, Python {platform.python_version()}, {platform.system()}"
    lines = [
        "# Benchmark results", "",
        f"`python bench/bench.py --peers VENV/bin --write`, all tools in one run on {time.strftime('%Y-%m-%d')} "
        f"({machine}). Corpus: {n_files:,} files, {total_lines:,} lines (`bench/make-corpus.sh`). "
        "Read ratios, not absolute numbers: the machine is shared and noisy.", "",
        "| run | wall s | kLOC/s | peak MB (one process) |", "| --- | ---: | ---: | ---: |",
    ]
    for name, seconds, n_lines, peak in rows:
        lines.append(f"| {name} | {seconds:.2f} | {n_lines / seconds / 1000:.0f} | {peak if peak else ''} |")
    lines += ["", "How cost grows with the corpus (cold, all jobs):", "",
              "| share | files | lines | wall s | µs per line |", "| ---: | ---: | ---: | ---: | ---: |"]
    for fraction, n, n_lines, seconds in scaling:
        lines.append(f"| {fraction:.0%} | {n:,} | {n_lines:,} | {seconds:.2f} | {seconds / n_lines * 1e6:.1f} |")
    lines += ["", "| goal | measured | target | |", "| --- | ---: | ---: | --- |"]
    measured = {"one file vs python -c pass": single / bare}
    if semgrep_s:
        measured.update({"cold vs semgrep": cold / semgrep_s, "warm vs semgrep": warm / semgrep_s})
    for goal, target in GOALS.items():
        if goal in measured:
            value = measured[goal]
            verdict = "met" if value <= target else f"missed by {value / target:.1f}x"
            lines.append(f"| {goal} | {value:.2f}x | <= {target}x | {verdict} |")
    lines.append(f"\nOne file (`examples/train_svm.py` through the installed `greenlint` script, as the pre-commit hook runs it, cache on): {single * 1000:.0f} ms; `python -c pass`: {bare * 1000:.0f} ms.")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
