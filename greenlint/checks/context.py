"""The detector API: what a detector may know about the file and the run (`LintRequest`), and
the context every detector reports through (`BaseContext.report_at`, options, a per-file memo).
The frontends build their contexts (Python, config) on it; renderers never see it.
"""
from __future__ import annotations

from collections import namedtuple

from ..finding import Finding, Fix, Severity
from ..rules import Rule

TYPE_CHECKING = False  # typing stays off the start-up path
if TYPE_CHECKING:
    from typing import Any, Callable


class LintRequest(namedtuple("LintRequest", "path kind rules options region carbon", defaults=(None, None))):
    """What a detector may know about the file and the run, beyond the file's own text: `path`
    as shown in output; `kind` python | notebook | yaml | json | toml | terraform | env | shell;
    `rules` the enabled rules that were triggered for this file; `options` code -> resolved
    options; `region` the configured region ("aws:eu-north-1"), if any; `carbon` the
    `[tool.greenlint.carbon]` overrides."""

    __slots__ = ()


class BaseContext:
    def __init__(self, request: LintRequest, text: str):
        self.request = request
        self.path = request.path
        self.kind = request.kind
        self.text = text
        self.lines = text.splitlines()
        self.findings: list[Finding] = []
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """A value detectors of one file share (an analysis several rules need), built once."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def options(self, code: str) -> dict[str, Any]:
        return self.request.options.get(code, {})

    def enabled(self, code: str) -> bool:
        return code in self.request.rules

    def report_at(
        self,
        code: str,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        message: str,
        impact: dict[str, Any] | None = None,
        severity: Severity | None = None,
        fix: Fix | None = None,
    ) -> None:
        """Positions are 1-based; columns count Unicode characters."""
        rule = self.request.rules.get(code)
        if rule is None:  # not enabled for this run: detectors may report several codes
            return
        self.findings.append(
            Finding(
                code=code,
                name=rule.name,
                path=self.path,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                message=message,
                severity=severity or rule.severity,
                impact=dict(impact or {}),
                fix=fix,
                source_line=self.lines[line - 1] if 0 < line <= len(self.lines) else "",
            )
        )
