"""What every detector context shares: options, settings, and `report`."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from ..finding import Finding, Fix, Severity
from ..rules import Rule


class FrontendError(Exception):
    """The file cannot be read as its kind: becomes one GL000 finding at (line, column)."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


@dataclass
class LintRequest:
    """What a detector may know about the file and the run, beyond the file's own text."""

    path: str  # as shown in output
    kind: str  # python | notebook | yaml | json | toml | terraform | env | shell
    rules: dict[str, Rule]  # the enabled rules that were triggered for this file
    options: dict[str, dict[str, Any]]  # code -> resolved options
    region: str | None = None  # configured `region` ("aws:eu-north-1"), if any
    carbon: dict[str, Any] = field(default_factory=dict)  # [tool.greenlint.carbon] overrides


# Test suites run tiny searches and trainings to test code, and name regions and instance types
# in assertions: what they do is not what a project runs.
TEST_PATH = re.compile(r"(^|/)(tests?|testing)/|(^|/)(test_[^/]*|[^/]*_test|conftest)\.(py|ipynb)$")


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

    @property
    def in_test_file(self) -> bool:
        return bool(TEST_PATH.search(self.path.replace("\\", "/")))

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
