"""Detector registry.

A rule is its YAML in `rules/` plus one detector per reader: a "python" detector receives a
`PythonContext` (Python files, notebook code), a "config" detector a `ConfigContext` (YAML,
JSON, TOML, Terraform, .env). The YAML's `detector` names the module under this package that
registers it, so only the modules of triggered rules are ever imported.
"""
from __future__ import annotations

import importlib
TYPE_CHECKING = False  # typing stays off the start-up path
if TYPE_CHECKING:
    from typing import Callable, Iterable

    Detector = Callable[..., None]

_DETECTORS: dict[tuple[str, str], Detector] = {}


def detector(code: str, reader: str = "python") -> Callable[[Detector], Detector]:
    """Register `fn(ctx)` as the `reader` ("python" or "config") detector of rule `code`.

    The detector reports through `ctx.report(...)`; it returns nothing.
    """
    if reader not in ("python", "config"):
        raise ValueError(reader)

    def register(fn: Detector) -> Detector:
        _DETECTORS[(code, reader)] = fn
        return fn

    return register


def detectors_for(codes: Iterable[str], modules: dict[str, dict[str, str]], reader: str) -> list[tuple[str, Detector]]:
    """The detectors of `codes` for `reader`, importing each rule's module on first use."""
    found = []
    for code in codes:
        key = (code, reader)
        module = modules.get(code, {}).get(reader)
        if key not in _DETECTORS and module:
            importlib.import_module(f"{__name__}.{module}")
        if key in _DETECTORS:
            found.append((code, _DETECTORS[key]))
    return found
