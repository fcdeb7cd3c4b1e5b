#!/usr/bin/env bash
# Profile mode on a real NVIDIA GPU, offline. Uses the PyTorch, scikit-learn and NVML bindings
# already installed; installs nothing from the network. Checks:
#   1. the measured GPU energy is non-zero;
#   2. NVML's energy counter and integrated power agree within 10 % over windows >= 30 s;
#   3. the projection from a budgeted run is within 15 % of a full short run's measured energy.
# Prints one markdown table (paste it into bench/profile-results.md). Exit 0 when all pass.
#
#   scripts/gpu-check.sh                 # about 3 minutes
#   GREENLINT_WHEELS=dir scripts/gpu-check.sh   # carry missing wheels (libcst, ...) in `dir`
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
FULL_TARGET_S="${FULL_TARGET_S:-60}"   # length of the full reference run
BUDGET_S="${BUDGET_S:-35}"             # the budgeted run; >= 30 s for the 10 % window check
WORK="$(mktemp -d "${TMPDIR:-/tmp}/greenlint-gpu-check.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || true

# greenlint from the checkout, without fetching anything. Wheels it lacks (libcst, ...) may
# be carried in $GREENLINT_WHEELS for this run; they are never committed. Profile mode itself
# needs only the standard library and pynvml, so PYTHONPATH is the fallback.
if [ -n "${GREENLINT_WHEELS:-}" ] && [ -d "$GREENLINT_WHEELS" ]; then
  "$PY" -m pip install --no-index --find-links "$GREENLINT_WHEELS" --no-deps "$GREENLINT_WHEELS"/*.whl >/dev/null 2>&1 || true
fi
"$PY" -m pip install --no-index --no-deps --no-build-isolation -e "$ROOT" >/dev/null 2>&1 \
  || echo "note: editable install unavailable offline; using PYTHONPATH=$ROOT" >&2
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

"$PY" - <<'PYCHECK'
import sys
missing = []
for name in ("torch", "pynvml"):
    try:
        __import__(name)
    except Exception as exc:
        missing.append(f"{name} ({exc})")
if missing:
    sys.exit("gpu-check: missing " + ", ".join(missing))
import torch
if not torch.cuda.is_available():
    sys.exit("gpu-check: torch sees no CUDA device")
PYCHECK

cat > "$WORK/train_torch.py" <<'PYTRAIN'
"""A small real PyTorch training run: an MLP on synthetic data, fixed work per epoch."""
import os
import sys
import time

import torch

EPOCHS = int(os.environ.get("EPOCHS", "5"))
STEPS = int(os.environ.get("STEPS_PER_EPOCH", "200"))
WIDTH = int(os.environ.get("WIDTH", "4096"))

try:
    from greenlint.profile.progress import report
except ImportError:
    def report(*args, **kwargs):
        pass

torch.manual_seed(0)
device = torch.device("cuda")
model = torch.nn.Sequential(
    torch.nn.Linear(WIDTH, WIDTH), torch.nn.ReLU(),
    torch.nn.Linear(WIDTH, WIDTH), torch.nn.ReLU(),
    torch.nn.Linear(WIDTH, 10),
).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
x = torch.randn(2048, WIDTH, device=device)
y = torch.randint(0, 10, (2048,), device=device)
report("epoch", planned=EPOCHS)
for epoch in range(EPOCHS):
    start = time.monotonic()
    for _ in range(STEPS):
        optimizer.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    torch.cuda.synchronize()  # the epoch's work is done before it is reported
    report("epoch", done=1)
    if os.environ.get("CALIBRATE"):
        print(f"EPOCH_SECONDS {time.monotonic() - start:.4f}", flush=True)
print("loss", float(loss))
PYTRAIN

FULL_TARGET_S="$FULL_TARGET_S" BUDGET_S="$BUDGET_S" WORK="$WORK" "$PY" - <<'PYMAIN'
import math
import os
import subprocess
import sys
import time

from greenlint.profile.projection import build_profile
from greenlint.profile.runner import run_script

work = os.environ["WORK"]
script = os.path.join(work, "train_torch.py")
full_target = float(os.environ["FULL_TARGET_S"])
budget = float(os.environ["BUDGET_S"])

# Calibrate: seconds per epoch on this GPU (epoch 2, after warm-up), outside the profiler.
env = {**os.environ, "EPOCHS": "3", "CALIBRATE": "1"}
out = subprocess.run([sys.executable, script], env=env, capture_output=True, text=True, timeout=300)
if out.returncode != 0:
    sys.exit("gpu-check: calibration run failed:\n" + out.stderr[-2000:])
seconds = [float(line.split()[1]) for line in out.stdout.splitlines() if line.startswith("EPOCH_SECONDS")]
per_epoch = max(seconds[1:] or seconds)
epochs = max(6, math.ceil(full_target / per_epoch))
os.environ["EPOCHS"] = str(epochs)
os.environ.pop("CALIBRATE", None)

full = run_script(script, seconds=full_target * 3 + 60, idle_seconds=5, child_stdout=subprocess.DEVNULL)
full_profile = build_profile(full)
part = run_script(script, seconds=budget, idle_seconds=0, child_stdout=subprocess.DEVNULL)
part_profile = build_profile(part)

rows = []
failed = False


def row(check, value, threshold, ok):
    global failed
    failed = failed or not ok
    rows.append(f"| {check} | {value} | {threshold} | {'pass' if ok else 'FAIL'} |")


gpu = full.gpu
devices = gpu.get("devices", [])
name = ", ".join(sorted({d.get("name", "?") for d in devices})) or "none"
row("full run ended", f"{full.status}, exit {full.exit_status}, {full.wall_s:.1f} s, {epochs} epochs", "ended, exit 0", full.status == "ended")
row("GPU energy, full run", f"{gpu.get('joules') or 0:.0f} J ({gpu.get('method')})", "> 0 J, counter", bool(gpu.get("joules")) and gpu.get("method") == "counter")
for label, result in (("full", full), ("budgeted", part)):
    window = result.wall_s
    for d in result.gpu.get("devices", []):
        c, i = d.get("counter_joules"), d.get("integrated_joules")
        if c and i:
            diff = abs(i - c) / c
            row(f"counter vs power integration, {label} run, GPU {d['index']} ({d.get('power_field')})",
                f"{c:.0f} J vs {i:.0f} J ({diff:.1%}) over {window:.0f} s",
                "<= 10 % over >= 30 s", diff <= 0.10 and window >= 30)
        else:
            row(f"counter vs power integration, {label} run, GPU {d['index']}", f"counter {c}, integrated {i}", "both available", False)
projected = part_profile["projection"]["kwh"]
measured = full_profile["joules"] / 3.6e6
units = part_profile["units"]
if projected:
    error = abs(projected - measured) / measured
    row("projection vs full run", f"{projected * 3.6e6:.0f} J projected from {units['done']}/{units['planned']} {units['kind']}s in {part.wall_s:.0f} s vs {measured * 3.6e6:.0f} J measured ({error:.1%})",
        "<= 15 %", error <= 0.15)
else:
    row("projection vs full run", f"no projection ({part_profile['projection'].get('basis')})", "<= 15 %", False)
row("idle power before the run", f"{full_profile['idle_watts'] or 0:.0f} W; above idle {full_profile['above_idle_joules'] or 0:.0f} J", "reported", full_profile["idle_watts"] is not None)
row("CPU method", f"{full.cpu.get('method')} ({full.cpu.get('joules') or 0:.0f} J)", "rapl or labelled estimate", full.cpu.get("method") in ("rapl", "estimate"))

import torch  # noqa: E402  (versions for the table header only)
print()
print(f"GPU: {name}; torch {torch.__version__}; {time.strftime('%Y-%m-%d')}")
print()
print("| check | measured | threshold | result |")
print("| --- | --- | --- | --- |")
print("\n".join(rows))
for warning in full_profile["warnings"] + part_profile["warnings"]:
    print(f"\nwarning: {warning}")
sys.exit(1 if failed else 0)
PYMAIN
