"""SARIF 2.1.0, shaped for GitHub code scanning.

https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from ..baseline import identities
from ..finding import Finding, Severity
from ..rules import PARSE_ERROR
from . import RunInfo, rule_name, statistics

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/greenlint/greenlint"
FINGERPRINT_KEY = "greenlint/v1"
SRCROOT = "%SRCROOT%"
_LEVEL = {Severity.NOTE: "note", Severity.WARNING: "warning", Severity.ERROR: "error"}


def fingerprints(findings: list[Finding]) -> list[str]:
    """One stable id per finding: the baseline identity (code, path, the normalised source
    line, and which of the identical ones it is, in file order). Line numbers take no part, so
    moving unrelated lines keeps every fingerprint."""
    return [hashlib.sha256("\0".join((*key[:3], str(key[3]))).encode("utf-8")).hexdigest()
            for key in identities(findings)]


def _srcroot_uri() -> str:
    uri = Path.cwd().resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _artifact(path: str) -> dict[str, Any]:
    posix = path.replace("\\", "/")
    if PurePosixPath(posix).is_absolute() or re.match(r"^[A-Za-z]:/", posix):
        # Outside the current folder: no repository-relative form exists.
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(posix, safe="/"), "uriBaseId": SRCROOT}


def _region(f: Finding, snippet: bool = True) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)}
    # end_column is exclusive, as SARIF's endColumn; an empty or inverted span is left open
    # (SARIF then means "to the end of the line") rather than shown as nothing.
    if (f.end_line, f.end_column) > (f.line, f.column) and f.end_column >= 1:
        region["endLine"] = f.end_line
        region["endColumn"] = f.end_column
    if snippet and f.source_line and f.cell is None:  # a cell's line is not the .ipynb line
        region["snippet"] = {"text": f.source_line.rstrip("\r\n")}
    return region


def _nonempty(*texts: Any) -> str:
    for text in texts:
        if text and str(text).strip():
            return str(text).strip()
    return "No description."


def _descriptor(code: str, rule: Any, fallback_name: str) -> dict[str, Any]:
    if rule is None:
        # A code that was reported but is not in the catalogue: still describe it, since
        # GitHub needs every rule a result names.
        name = fallback_name or code
        text = _nonempty(fallback_name, code)
        return {
            "id": code,
            "name": name,
            "shortDescription": {"text": text},
            "fullDescription": {"text": text},
            "help": {"text": text, "markdown": f"# {code} {name}\n"},
            "helpUri": f"{INFORMATION_URI}/blob/main/docs/rules/README.md",
            "properties": {"tags": ["greenlint"], "precision": "high"},
        }
    docs = rule.docs or {}
    markdown = rule.markdown()
    tags = list(rule.tags) or [t for t in ("greenlint", getattr(rule, "family", None)) if t]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _nonempty(rule.summary, rule.name, rule.code)},
        "fullDescription": {"text": _nonempty(docs.get("what"), rule.summary, rule.name, rule.code)},
        # Markdown reads well as plain text too; GitHub shows `markdown` where it can.
        "help": {"text": markdown if markdown.strip() else _nonempty(rule.summary),
                 "markdown": markdown if markdown.strip() else _nonempty(rule.summary)},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {
            "level": _LEVEL[rule.severity],
            "enabled": bool(getattr(rule, "enabled_by_default", True)),
        },
        "properties": {"tags": tags, "precision": rule.precision},
    }


def _fixes(f: Finding, location: dict[str, Any]) -> list[dict[str, Any]] | None:
    # Only plain-file edits: a notebook edit is in cell coordinates, not .ipynb ones. And only
    # safe ones: code scanning offers a `fixes` entry as a one-click change, with no safety to show
    # (JSON carries every fix with its `safety`).
    if f.fix is None or not f.fix.edits or f.cell is not None or f.fix.safety != "safe":
        return None
    replacements = [
        {
            "deletedRegion": {
                "startLine": e.line,
                "startColumn": e.column,
                "endLine": e.end_line,
                "endColumn": e.end_column,
            },
            "insertedContent": {"text": e.replacement},
        }
        for e in f.fix.edits
    ]
    return [
        {
            "description": {"text": _nonempty(f.fix.description)},
            "artifactChanges": [{"artifactLocation": location, "replacements": replacements}],
        }
    ]


def sarif_log(findings: list[Finding], info: RunInfo) -> dict[str, Any]:
    findings = sorted(findings, key=Finding.sort_key)
    descriptors = [_descriptor(code, rule, rule.name) for code, rule in info.rules.items()]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    for f in findings:
        if f.code not in index:
            index[f.code] = len(descriptors)
            descriptors.append(_descriptor(f.code, None, rule_name(f, info)))

    results = []
    notifications = []
    for f, fingerprint in zip(findings, fingerprints(findings)):
        location = _artifact(f.path)
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _LEVEL[f.severity],
            "message": {"text": _nonempty(f.message)},
            "locations": [{"physicalLocation": {"artifactLocation": location, "region": _region(f)}}],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
        properties: dict[str, Any] = {}
        if f.cell is not None:
            properties.update(cell=f.cell, cell_line=f.cell_line, cell_column=f.cell_column)
        if f.impact:
            properties["impact"] = f.impact
        if properties:
            result["properties"] = properties
        fixes = _fixes(f, location)
        if fixes:
            result["fixes"] = fixes
        results.append(result)
        if f.code == PARSE_ERROR:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{f.path}: {_nonempty(f.message)}"},
                    "locations": [
                        {"physicalLocation": {"artifactLocation": location, "region": _region(f, snippet=False)}}
                    ],
                    "associatedRule": {"id": f.code, "index": index[f.code]},
                }
            )

    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications

    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "greenlint",
                "version": info.version,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": _srcroot_uri()}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    properties: dict[str, Any] = dict(info.extra)
    if info.statistics:
        properties["statistics"] = statistics(findings, info)
    if info.baseline is not None:
        properties["baseline"] = info.baseline
    if properties:
        run["properties"] = properties
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(findings: list[Finding], info: RunInfo) -> str:
    return json.dumps(sarif_log(findings, info), indent=2) + "\n"
