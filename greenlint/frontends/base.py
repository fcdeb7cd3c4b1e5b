"""What the readers of every file kind share: the error a file that cannot be read as its kind
raises (it becomes one GL000 finding). The detector API lives with the checks
(`greenlint/checks/context.py`)."""
from __future__ import annotations


class FrontendError(Exception):
    """The file cannot be read as its kind: becomes one GL000 finding at (line, column)."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column
