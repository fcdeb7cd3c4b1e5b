"""GitHub Actions workflow commands: one annotation per finding.

https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
"""
from __future__ import annotations

from ..finding import Finding, Severity
from . import RunInfo, rule_name, statistics

_LEVEL = {Severity.NOTE: "notice", Severity.WARNING: "warning", Severity.ERROR: "error"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings: list[Finding], info: RunInfo) -> str:
    lines = []
    for f in findings:
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
        lines.append(f"::{_LEVEL[f.severity]} {prop_text}::{escape_data(message)}")
    if info.statistics and findings:
        # Plain lines (not commands) show up in the job log.
        lines += [f"{row['count']:<6} {row['code']} {row['name']}" for row in statistics(findings, info)]
    return "\n".join(lines) + "\n" if lines else ""
