"""GitLab Code Quality report: a JSON array of issues, shown in merge requests.

https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
The fingerprint is the baseline identity (rule, path, normalised source line, occurrence), so it
ignores line numbers (moving code keeps it) and is unique per finding.
"""
from __future__ import annotations

import hashlib
import json

from ..baseline import identities
from ..finding import Finding, Severity
from ..rules import PARSE_ERROR
from . import RunInfo, rule_name

# Semgrep's mapping (info, minor, major); a file that could not be checked at all is critical.
_SEVERITY = {Severity.NOTE: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}


def _severity(f: Finding) -> str:
    return "critical" if f.code == PARSE_ERROR else _SEVERITY[f.severity]


def fingerprint(identity: tuple[str, str, str, int]) -> str:
    code, path, snippet, occurrence = identity
    return hashlib.sha256("\0".join((code, path, snippet, str(occurrence))).encode("utf-8")).hexdigest()


def issues(findings: list[Finding], info: RunInfo) -> list[dict]:
    out = []
    for f, identity in zip(findings, identities(findings)):
        name = rule_name(f, info)
        description = f"{f.code} {name}: {f.message}" if name else f"{f.code}: {f.message}"
        if f.cell is not None:
            description += f" (cell {f.cell}, line {f.cell_line}, column {f.cell_column})"
        out.append({
            "description": description,
            "check_name": f.code,
            "fingerprint": fingerprint(identity),
            "severity": _severity(f),
            "location": {"path": f.path.replace("\\", "/"), "lines": {"begin": max(f.line, 1)}},
        })
    return out


def render(findings: list[Finding], info: RunInfo) -> str:
    return json.dumps(issues(findings, info), indent=2) + "\n"
