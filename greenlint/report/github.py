"""GitHub Actions workflow commands: one annotation per finding, within GitHub's limits.

GitHub shows at most 10 annotations of each type (error, warning, notice) per step and 50 per
job, and drops the rest without a word. So the most severe findings are annotated first, and one
notice counts the findings that were left out, so that none disappears silently.

https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
https://docs.github.com/en/rest/checks/runs (annotation limits)
"""
from __future__ import annotations

from ..finding import Finding, Severity
from . import RunInfo, plural, rule_name, statistics

PER_TYPE = 10  # annotations of one type that GitHub shows per step
PER_JOB = 50  # ... and of all types per job

_LEVEL = {Severity.NOTE: "notice", Severity.WARNING: "warning", Severity.ERROR: "error"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(f: Finding, info: RunInfo) -> str:
    props = [("file", f.path), ("line", str(f.line)), ("col", str(f.column))]
    if (f.end_line, f.end_column) > (f.line, f.column) and f.end_column >= 1:  # skip empty spans
        props += [("endLine", str(f.end_line)), ("endColumn", str(f.end_column))]
    name = rule_name(f, info)
    props.append(("title", f"{f.code} {name}".strip()))
    message = f.message
    if f.cell is not None:
        # The annotation points at the .ipynb line; say where that is in the notebook.
        message += f" (cell {f.cell}, line {f.cell_line}, column {f.cell_column})"
    prop_text = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{_LEVEL[f.severity]} {prop_text}::{escape_data(message)}"


def choose(findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(annotated, left out): the most severe first, at most PER_TYPE per level, PER_JOB in all,
    keeping one notice free for the count of the rest."""
    by_level = sorted(findings, key=lambda f: (-f.severity, f.sort_key()))
    overflow = any(sum(1 for f in findings if f.severity == level) > PER_TYPE for level in Severity)
    room = {Severity.ERROR: PER_TYPE, Severity.WARNING: PER_TYPE, Severity.NOTE: PER_TYPE - overflow}
    shown, rest = [], []
    for f in by_level:
        if room[f.severity] > 0 and len(shown) < PER_JOB - 1:
            room[f.severity] -= 1
            shown.append(f)
        else:
            rest.append(f)
    return sorted(shown, key=Finding.sort_key), rest


def render(findings: list[Finding], info: RunInfo) -> str:
    shown, rest = choose(findings)
    lines = [_annotation(f, info) for f in shown]
    if rest:
        counts = ", ".join(plural(sum(1 for f in rest if f.severity == level), str(level))
                           for level in sorted(Severity, reverse=True) if any(f.severity == level for f in rest))
        note = (f"{plural(len(rest), 'more finding')} not annotated ({counts}): GitHub shows {PER_TYPE} annotations "
                "of each type per step. Upload --format sarif to code scanning, or read the full report in the log.")
        lines.append(f"::notice title=greenlint::{escape_data(note)}")
    if info.statistics and findings:
        # Plain lines (not commands) show up in the job log.
        lines += [f"{row['count']:<6} {row['code']} {row['name']}" for row in statistics(findings, info)]
    return "\n".join(lines) + "\n" if lines else ""
