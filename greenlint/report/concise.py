"""One `path:line:col: CODE message` line per finding, for editors and grep."""
from __future__ import annotations

from ..finding import Finding
from . import RunInfo, position, statistics


def _one_line(text: str) -> str:
    # A finding must stay on one line, whatever its message holds.
    return " ".join(text.split())


def render(findings: list[Finding], info: RunInfo) -> str:
    lines = [f"{f.path}:{position(f)}: {f.code} {_one_line(f.message)}" for f in findings]
    if info.statistics and findings:
        # flake8-style counts after the findings.
        lines += [f"{row['count']:<6} {row['code']} {row['name']}" for row in statistics(findings, info)]
    return "\n".join(lines) + "\n" if lines else ""
