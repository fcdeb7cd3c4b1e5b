"""The baseline: today's findings recorded in a file, so that a run reports only new ones.

A finding's identity leaves line numbers out: it is the rule, the path (relative to the
baseline file's folder, so the file works from any current folder), the flagged source line
with its spacing normalised, and which of the identical ones it is in file order. Moving code
up or down, or re-indenting it, therefore keeps its identity. (Bandit's baseline keeps line
numbers out for the same reason.)
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .finding import Finding

FORMAT_KEY = "greenlint-baseline"
FORMAT_VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read or written: a user error (exit 2)."""


def normalise(line: str) -> str:
    # Indentation and spacing changes do not make a new finding.
    return " ".join(line.split())


def identities(findings: list[Finding], path_of=lambda f: f.path) -> list[tuple[str, str, str, int]]:
    """(code, path, snippet, occurrence) per finding, in the order given (which should be
    Finding.sort_key order so that occurrence counts in file order)."""
    seen: Counter[tuple[str, str, str]] = Counter()
    out = []
    for f in findings:
        key = (f.code, path_of(f), normalise(f.source_line))
        out.append((*key, seen[key]))
        seen[key] += 1
    return out


def _relative_to(folder: Path):
    def path_of(finding: Finding) -> str:
        if finding.path == "-":
            return "-"
        return Path(os.path.relpath(Path(finding.path).absolute(), folder)).as_posix()

    return path_of


def _entries(findings: list[Finding], folder: Path) -> list[tuple[str, str, str, int]]:
    ordered = sorted(findings, key=Finding.sort_key)
    return identities(ordered, _relative_to(folder))


def write_baseline(path: Path, findings: list[Finding]) -> int:
    """Write the baseline for `findings`; returns how many entries it holds."""
    folder = path.absolute().parent
    if not folder.is_dir():
        raise BaselineError(f"cannot write the baseline {path}: folder {folder} does not exist")
    entries = sorted(_entries(findings, folder), key=lambda e: (e[1], e[0], e[2], e[3]))
    data = {
        FORMAT_KEY: FORMAT_VERSION,
        "findings": [{"code": c, "path": p, "snippet": s, "occurrence": i} for c, p, s, i in entries],
    }
    try:
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"cannot write the baseline {path}: {exc.strerror or exc}") from None
    return len(entries)


def read_baseline(path: Path) -> set[tuple[str, str, str, int]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BaselineError(f"cannot read the baseline {path}: {why}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BaselineError(f"the baseline {path} is not JSON ({exc}); write one with --write-baseline") from None
    if not isinstance(data, dict) or data.get(FORMAT_KEY) != FORMAT_VERSION or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path} is not a greenlint baseline (version {FORMAT_VERSION}); write one with --write-baseline")
    entries = set()
    for number, entry in enumerate(data["findings"], 1):
        try:
            key = (entry["code"], entry["path"], entry["snippet"], entry["occurrence"])
        except (KeyError, TypeError):
            raise BaselineError(f"{path}: entry {number} needs code, path, snippet and occurrence") from None
        if not all(isinstance(v, str) for v in key[:3]) or not isinstance(key[3], int) or isinstance(key[3], bool):
            raise BaselineError(f"{path}: entry {number} has a value of the wrong type")
        entries.add(key)
    return entries


@dataclass
class BaselineResult:
    findings: list[Finding]  # the new ones: not in the baseline
    matched: int  # findings the baseline hides
    stale: int  # entries in scope that match nothing any more (fixed, or the code changed)


def filter_baseline(path: Path, findings: list[Finding], roots: list[Path]) -> BaselineResult:
    """Drop the findings recorded in the baseline at `path`. An entry is stale when its file
    lies under one of the `roots` this run checked (or no longer exists) and nothing matches it."""
    folder = path.absolute().parent
    entries = read_baseline(path)
    ordered = sorted(findings, key=Finding.sort_key)
    kept, used = [], set()
    for finding, key in zip(ordered, _entries(ordered, folder)):
        if key in entries:
            used.add(key)
        else:
            kept.append(finding)
    scope = [r.absolute() for r in roots]
    stale = sum(1 for e in entries - used if _in_scope(folder / e[1], scope))
    return BaselineResult(kept, len(used), stale)


def _in_scope(file: Path, roots: list[Path]) -> bool:
    file = Path(os.path.normpath(file))
    if not file.exists():
        return True  # the file was deleted or renamed: its entries can go
    return any(file == root or root in file.parents for root in (Path(os.path.normpath(r)) for r in roots))
