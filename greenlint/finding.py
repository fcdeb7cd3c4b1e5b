"""The one model every check produces and every renderer consumes."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any


class Severity(enum.IntEnum):
    NOTE = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> "Severity":
        return cls[text.strip().upper()]

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Edit:
    """Replace the text between two 1-based (line, column) positions."""

    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str


@dataclass(frozen=True)
class Fix:
    description: str
    safety: str  # "safe" | "unsafe" | "suggestion"
    edits: tuple[Edit, ...] = ()


@dataclass
class Finding:
    code: str
    path: str  # as it will be shown: relative to the current folder where possible
    line: int  # 1-based, in the file on disk (for notebooks: the .ipynb line)
    column: int  # 1-based, Unicode characters
    end_line: int
    end_column: int
    message: str
    severity: Severity
    name: str = ""
    impact: dict[str, Any] = field(default_factory=dict)
    fix: Fix | None = None
    # Notebooks: 1-based cell index and the position inside that cell.
    cell: int | None = None
    cell_line: int | None = None
    cell_column: int | None = None
    # The text of the source line the finding starts on (for text output and fingerprints).
    source_line: str = ""

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def with_changes(self, **changes: Any) -> "Finding":
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "severity": str(self.severity),
            "message": self.message,
            "impact": self.impact,
            "fix": None
            if self.fix is None
            else {
                "description": self.fix.description,
                "safety": self.fix.safety,
                "edits": [e.__dict__ for e in self.fix.edits],
            },
        }
        if self.cell is not None:
            data.update(cell=self.cell, cell_line=self.cell_line, cell_column=self.cell_column)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Finding":
        fix = data.get("fix")
        return cls(
            code=data["code"],
            name=data.get("name", ""),
            path=data["path"],
            line=data["line"],
            column=data["column"],
            end_line=data["end_line"],
            end_column=data["end_column"],
            message=data["message"],
            severity=Severity.parse(data["severity"]),
            impact=data.get("impact") or {},
            fix=None
            if not fix
            else Fix(fix["description"], fix["safety"], tuple(Edit(**e) for e in fix.get("edits", ()))),
            cell=data.get("cell"),
            cell_line=data.get("cell_line"),
            cell_column=data.get("cell_column"),
            source_line=data.get("source_line", ""),
        )
