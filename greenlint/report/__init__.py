"""Renderers: one list of findings in, the whole output text out.

Renderers know the Finding model and generic rule metadata only; nothing here is
specific to any rule. Each format lives in its own module, imported on demand so that
`--format json` never pays for rich.
"""
from __future__ import annotations

from collections import Counter, namedtuple
from types import MappingProxyType

from ..finding import Finding, Severity

TYPE_CHECKING = False  # typing stays off the start-up path
if TYPE_CHECKING:
    from typing import Any

    from ..rules import Rule

FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab")
_MODULES = {"text": "text", "concise": "concise", "json": "jsonfmt", "sarif": "sarif", "github": "github",
            "gitlab": "gitlab"}


class RunInfo(namedtuple("RunInfo", "version rules statistics color files_checked extra quiet baseline",
                         defaults=(False, None, 0, MappingProxyType({}), False, None))):
    """What a renderer may know about the run: the greenlint `version`; all `rules` (code ->
    Rule); `statistics` (--statistics: counts per rule); `color` (None = auto: colour only on a
    TTY without NO_COLOR); `files_checked`; `extra`, top-level lists added by other commands
    (e.g. "profiles": json puts each key in the envelope, sarif in run.properties; text and
    concise ignore them); `quiet` (-q: the findings only, no summary, in any format);
    `baseline` (--baseline: {"file": path, "matched": findings it hid, "stale": entries that
    match nothing})."""

    __slots__ = ()


def render(fmt: str, findings: list[Finding], info: RunInfo) -> str:
    """The whole output for `findings` in format `fmt` (ends with a newline when non-empty)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    # __import__ returns the submodule when given a fromlist; importlib (with warnings) is not loaded at start-up
    module = __import__(f"{__name__}.{_MODULES[fmt]}", fromlist=["render"])
    # Sorting again is cheap and keeps every format deterministic whatever the caller did.
    return module.render(sorted(findings, key=Finding.sort_key), info)


# ---- helpers shared by the renderers -------------------------------------------------

def rule_name(finding: Finding, info: RunInfo) -> str:
    if finding.name:
        return finding.name
    rule = info.rules.get(finding.code)
    return rule.name if rule is not None else ""


def position(finding: Finding) -> str:
    """`line:col`, or `cell N:line:col` for a notebook finding (positions inside the cell)."""
    if finding.cell is not None:
        line = finding.cell_line if finding.cell_line is not None else finding.line
        col = finding.cell_column if finding.cell_column is not None else finding.column
        return f"cell {finding.cell}:{line}:{col}"
    return f"{finding.line}:{finding.column}"


def statistics(findings: list[Finding], info: RunInfo) -> list[dict[str, Any]]:
    """Counts per rule, most frequent first, then by code."""
    counts = Counter(f.code for f in findings)
    first: dict[str, Finding] = {}
    for f in findings:
        first.setdefault(f.code, f)
    levels: dict[str, Counter[Severity]] = {}
    for f in findings:
        levels.setdefault(f.code, Counter())[f.severity] += 1
    rows = [
        {
            "code": code,
            "name": rule_name(first[code], info),
            "severity": str(max(levels[code])),  # the highest; `severities` has the mix
            "severities": {str(s): levels[code][s] for s in sorted(levels[code], reverse=True)},
            "count": n,
        }
        for code, n in counts.items()
    ]
    rows.sort(key=lambda r: (-r["count"], r["code"]))
    return rows


def severity_label(row: dict[str, Any]) -> str:
    """`warning`, or `warning 2, note 1` when one rule's findings differ (per-file severity)."""
    mix = row.get("severities") or {}
    if len(mix) <= 1:
        return row["severity"]
    return ", ".join(f"{level} {count}" for level, count in mix.items())


def summary(findings: list[Finding], info: RunInfo) -> dict[str, Any]:
    by_code = Counter(f.code for f in findings)
    by_severity = Counter(str(f.severity) for f in findings)
    return {
        "total": len(findings),
        "by_code": {code: by_code[code] for code in sorted(by_code)},
        # Every level always present, most severe first, so consumers need no defaults.
        "by_severity": {str(s): by_severity.get(str(s), 0) for s in sorted(Severity, reverse=True)},
        "files_checked": info.files_checked,
        **({"baseline": info.baseline} if info.baseline is not None else {}),
    }


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
