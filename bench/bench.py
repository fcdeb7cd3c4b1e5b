"""Speed of greenlint against its peers, measured in one run on the same corpus.

    python bench/bench.py [--corpus DIR] [--fixit-sample N] [--peers VENV_BIN]

The corpus is the .py files of two pinned wheels (bench/make-corpus.sh builds it: about
3,600 files, 1.6 M lines). Reports wall time and kLOC/s per tool and the ratio to greenlint.
Timing is noisy on shared machines: compare ratios from one run, never absolute numbers
across runs. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
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


def lines_of(files: list[Path]) -> int:
    return sum(f.read_bytes().count(b"\n") for f in files)


def timed(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        print(f"  ! {' '.join(cmd[:3])} exited {proc.returncode}: {proc.stderr.strip()[-300:]}", file=sys.stderr)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus")
    parser.add_argument("--peers", type=Path, help="bin folder of a venv with semgrep and fixit")
    parser.add_argument("--fixit-sample", type=int, default=150, help="files Fixit lints (it is ~100x slower)")
    args = parser.parse_args()

    if not (args.corpus / ".done").exists():
        subprocess.run(["bash", str(HERE / "make-corpus.sh"), str(args.corpus)], check=True)
    files = sorted(p for p in args.corpus.rglob("*.py") if ".wheels" not in p.parts)
    total_lines = lines_of(files)
    print(f"corpus: {len(files)} files, {total_lines:,} lines, {os.cpu_count()} cores\n")

    rows = []
    cache = Path(tempfile.mkdtemp(prefix="greenlint-bench-cache-"))
    greenlint = [sys.executable, "-m", "greenlint", "check", str(args.corpus), "--exit-zero", "--format", "concise"]
    rows.append(("greenlint (cold, no cache)", timed(greenlint + ["--no-cache"]), total_lines))
    rows.append(("greenlint (all rules, ALL)", timed(greenlint + ["--no-cache", "--select", "ALL"]), total_lines))
    timed(greenlint, cwd=cache)  # fill the cache
    rows.append(("greenlint (warm cache)", timed(greenlint, cwd=cache), total_lines))
    rows.append(("greenlint --jobs 1 (cold)", timed(greenlint + ["--no-cache", "--jobs", "1"]), total_lines))

    peers = args.peers
    semgrep = shutil.which("semgrep", path=str(peers) if peers else None)
    if semgrep:
        rules = cache / "rules.yaml"
        rules.write_text(SEMGREP_RULES)
        cmd = [semgrep, "scan", "--config", str(rules), "--metrics=off", "--quiet", "--jobs", str(os.cpu_count()),
               "--disable-version-check", str(args.corpus)]
        rows.append(("semgrep (3 rules)", timed(cmd), total_lines))
    fixit = shutil.which("fixit", path=str(peers) if peers else None)
    if fixit:
        sample = files[: args.fixit_sample]
        rows.append((f"fixit (built-in rules, {len(sample)} files)", timed([fixit, "lint", *map(str, sample)]),
                     lines_of(sample)))
    shutil.rmtree(cache, ignore_errors=True)

    base = rows[0][2] / rows[0][1]
    print(f"| tool | wall s | kLOC/s | greenlint cold is N× faster |")
    print(f"| --- | ---: | ---: | ---: |")
    for name, seconds, lines in rows:
        rate = lines / seconds
        print(f"| {name} | {seconds:.2f} | {rate / 1000:.0f} | {base / rate:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
