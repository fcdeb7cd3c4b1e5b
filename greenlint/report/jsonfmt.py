"""JSON output: the versioned envelope documented in docs/json-schema.md."""
from __future__ import annotations

import json

from ..finding import Finding
from . import RunInfo, statistics, summary

SCHEMA_VERSION = 1


def envelope(findings: list[Finding], info: RunInfo) -> dict:
    data = {
        "schema_version": SCHEMA_VERSION,
        "version": info.version,
        "findings": [f.to_dict() for f in findings],
        "summary": summary(findings, info),
    }
    if info.statistics:
        data["statistics"] = statistics(findings, info)
    for key, value in info.extra.items():
        if key in data:  # a command must not silently replace the core envelope
            raise ValueError(f"extra key {key!r} clashes with the JSON envelope")
        data[key] = value
    return data


def render(findings: list[Finding], info: RunInfo) -> str:
    return json.dumps(envelope(findings, info), indent=2) + "\n"
