"""The detector context of a config file: its documents, and reporting at a node's value or key."""
from __future__ import annotations

from ...finding import Severity
from ...checks.context import BaseContext, LintRequest
from .node import Node


class ConfigContext(BaseContext):
    def __init__(self, request: LintRequest, text: str, documents: list[Node]):
        super().__init__(request, text)
        self.documents = documents

    def report(self, code: str, node: Node, message: str, impact: dict | None = None,
               severity: Severity | None = None, at: str = "value") -> None:
        """Report at the node's value, or at its key (`at="key"`) where it has one."""
        if at == "key" and node.key_line is not None:
            line, column = node.key_line, node.key_column or 1
            end_line, end_column = line, column + len(str(node.key))
            if self.lines and 0 < line <= len(self.lines):
                # quoted keys ("region": ...) are one character wider on each side
                src = self.lines[line - 1]
                if column - 1 < len(src) and src[column - 1] in "\"'":
                    end_column += 2
        else:
            line, column, end_line, end_column = node.line, node.column, node.end_line, node.end_column
        self.report_at(code, line, column, end_line, end_column, message, impact=impact, severity=severity)
