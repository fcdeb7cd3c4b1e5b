"""How long after an edit do diagnostics reach the editor? (issue 13: within 100 ms for a
1,000-line file.)

Starts `greenlint server` over stdio, opens a 1,000-line file and sends edits as an editor
does, timing each `textDocument/didChange` to the `textDocument/publishDiagnostics` for that
version. Two patterns:

- isolated edits, far enough apart (300 ms) that each one is checked at once (the debounce's
  leading edge): the latency is the server's own work;
- a burst of keystrokes 20 ms apart, timed from the last one: the debounce waits for typing to
  pause (--debounce-ms, default 75) and then checks once.

Files: a generated training module (model, data, training loop, one grid search: a realistic
mix), a generated dense file (a grid search and a training loop in every function, the worst
case for the detectors), and any files named on the command line.

    python bench/lsp_latency.py [FILE ...] [--edits 30] [--debounce-ms 75]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from lsp_client import LspClient  # noqa: E402

LINES = 1000

TRAINING_HEAD = '''\
"""Train a small classifier on tabular features (generated for the latency benchmark)."""
import numpy as np
import torch
from torch import nn
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC

SEED = 0
'''
TRAINING_BLOCKS = [
    '''
def normalise_{i}(values, eps=1e-8):
    """Scale column block {i} to zero mean and unit variance."""
    values = np.asarray(values, dtype=np.float32)
    mean = values.mean(axis=0)
    std = values.std(axis=0)
    return (values - mean) / (std + eps)
''',
    '''
class Block{i}(nn.Module):
    """A residual MLP block."""

    def __init__(self, width={w}):
        super().__init__()
        self.linear = nn.Linear(width, width)
        self.norm = nn.LayerNorm(width)

    def forward(self, x):
        return x + torch.relu(self.linear(self.norm(x)))
''',
    '''
def accuracy_{i}(logits, labels):
    """Share of rows whose arg-max matches the label."""
    predicted = logits.argmax(dim=1)
    correct = (predicted == labels).sum().item()
    return correct / max(len(labels), 1)
''',
    '''
def batches_{i}(features, labels, size={w}):
    """Yield aligned mini-batches."""
    for start in range(0, len(features), size):
        yield features[start:start + size], labels[start:start + size]
''',
]
TRAINING_TAIL = '''
def train(model, loader, epochs=100):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            optimizer.step()
    return model


def tune(X, y):
    grid = {"C": [0.1, 1, 10, 100], "gamma": [1, 0.1, 0.01]}
    search = GridSearchCV(SVC(), grid, cv=5)
    search.fit(X, y)
    return search.best_params_
'''
DENSE_BLOCK = '''
def train_{i}(model, loader, X, y):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(100):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = nn.functional.mse_loss(model(xb), yb)
            loss.backward()
            optimizer.step()
    search = GridSearchCV(SVC(), {{"C": [0.1, 1, 10], "gamma": [1, 0.1]}}, cv=5)
    search.fit(X, y)
    return search.best_params_
'''


def training_module() -> str:
    body, i = [TRAINING_HEAD], 0
    while sum(part.count("\n") for part in body) < LINES - TRAINING_TAIL.count("\n"):
        body.append(TRAINING_BLOCKS[i % len(TRAINING_BLOCKS)].format(i=i, w=32 + i))
        i += 1
    return "".join(body) + TRAINING_TAIL


def dense_module() -> str:
    body, i = [TRAINING_HEAD], 0
    while sum(part.count("\n") for part in body) < LINES:
        body.append(DENSE_BLOCK.format(i=i))
        i += 1
    return "".join(body)


def summary(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
    return f"median {statistics.median(ms):6.1f} ms  p90 {p90:6.1f} ms  min {ms[0]:6.1f}  max {ms[-1]:6.1f}"


def measure(client: LspClient, path: Path, text: str, edits: int) -> tuple[list[float], list[float], int]:
    uri = path.as_uri()
    path.write_text(text, encoding="utf-8")
    client.notify("textDocument/didOpen",
                  {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
    findings = len(client.diagnostics(uri, version=1))
    # Each edit sets a constant to a number it never had before: a real change, never a cache hit.
    lines = text.splitlines()
    line = next((n for n, t in enumerate(lines) if t.startswith("SEED = ")), None)
    if line is None:  # a file of the user's: the constant is added at its end
        line = len(lines)
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                 "contentChanges": [{"text": text.rstrip("\n") + "\nSEED = 0\n"}]})
        client.diagnostics(uri, version=2)
    version = 2
    width = len(lines[line]) if line < len(lines) else len("SEED = 0")

    def edit(_: int) -> int:
        nonlocal version, width
        version += 1
        new = f"SEED = {version}"
        client.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": 0},
                                          "end": {"line": line, "character": width}}, "text": new}]})
        width = len(new)
        return version

    isolated = []
    for n in range(edits):
        time.sleep(0.3)
        start = time.perf_counter()
        client.diagnostics(uri, version=edit(n % 10))
        isolated.append(time.perf_counter() - start)
    bursts = []
    for n in range(max(edits // 3, 3)):
        time.sleep(0.3)
        for k in range(9):
            edit(k)
            time.sleep(0.02)
        start = time.perf_counter()
        last = edit(9)
        client.diagnostics(uri, version=last)
        bursts.append(time.perf_counter() - start)
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    return isolated, bursts, findings


def lint_only(path: Path, text: str, runs: int) -> list[float]:
    """The engine alone, in this process, on the same text: what the server adds is the rest."""
    from greenlint.config import ConfigResolver, Overrides
    from greenlint.engine import lint_bytes

    settings = ConfigResolver(Overrides()).for_path(path)
    data = text.encode("utf-8")
    lint_bytes(path.name, data, "python", settings)  # imports
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        lint_bytes(path.name, data, "python", settings)
        samples.append(time.perf_counter() - start)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="more Python files to time")
    parser.add_argument("--edits", type=int, default=30, help="isolated edits per file (bursts: a third as many)")
    parser.add_argument("--debounce-ms", type=float, default=75.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        cases = [("training module", training_module()), ("dense (a search per function)", dense_module())]
        cases += [(str(f), f.read_text(encoding="utf-8")) for f in args.files]
        client = LspClient(root, ("--debounce-ms", str(args.debounce_ms)))
        try:
            client.initialize(root)
            load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
            print(f"greenlint server, debounce {args.debounce_ms:g} ms; didChange -> publishDiagnostics; "
                  f"{os.cpu_count()} CPUs, load average {load:.1f}")
            for number, (name, text) in enumerate(cases):
                isolated, bursts, findings = measure(client, root / f"case{number}.py", text, args.edits)
                print(f"\n{name}: {text.count(chr(10))} lines, {findings} finding(s)")
                print(f"  isolated edit        {summary(isolated)}")
                print(f"  end of a burst       {summary(bursts)}  (includes the {args.debounce_ms:g} ms pause)")
                print(f"  engine alone         {summary(lint_only(root / f'case{number}.py', text, args.edits))}")
        finally:
            client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
