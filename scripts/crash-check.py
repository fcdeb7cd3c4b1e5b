"""Zero internal errors: every rule (`--select ALL`) over real code, listing each internal error.

    python scripts/crash-check.py [FOLDER...]

Default folders: the ecosystem check's checkouts (bench/.ecosystem/checkouts, made by
`python bench/ecosystem.py`; over 5,000 real ML .py files and notebooks) and the speed corpus
(bench/corpus, made by bench/make-corpus.sh), where they exist. Exits 1 when greenlint reports
an internal error or a rule skipped a file, 0 otherwise. A script, not a test: it needs the
fetched repositories.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULTS = [ROOT / "bench" / ".ecosystem" / "checkouts", ROOT / "bench" / "corpus"]
CRASH_MARKERS = ("internal error", "skipped this file")


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [d for d in DEFAULTS if d.is_dir()]
    if not folders:
        sys.exit("no folder to check: run bench/ecosystem.py or bench/make-corpus.sh first, or name folders")
    code_files = sum(1 for folder in folders for p in folder.rglob("*") if p.suffix in (".py", ".ipynb"))
    proc = subprocess.run(
        [sys.executable, "-m", "greenlint", "--select", "ALL", "--format", "json", "--exit-zero", "--no-cache",
         *map(str, folders)],
        capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    if proc.returncode != 0:
        print(proc.stderr.strip()[-2000:])
        return 1
    report = json.loads(proc.stdout)
    crashes = [f for f in report["findings"]
               if f["code"] == "GL000" and any(m in f["message"] for m in CRASH_MARKERS)]
    for f in crashes:
        print(f"{f['path']}:{f['line']}: {f['message'][:200]}")
    print(f"{report['summary']['files_checked']} files checked ({code_files} .py and .ipynb), "
          f"{len(report['findings'])} findings, {len(crashes)} internal errors")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
