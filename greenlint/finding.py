"""The one model every check produces and every renderer consumes."""
from __future__ import annotations

import enum
from collections import namedtuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at start-up
if TYPE_CHECKING:
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


class Edit(namedtuple("Edit", "line column end_line end_column replacement")):
    """Replace the text between two 1-based (line, column) positions."""

    __slots__ = ()


class Fix(namedtuple("Fix", "description safety edits", defaults=((),))):
    """`safety`: "safe" | "unsafe" | "suggestion"; `edits`: a tuple of Edit."""

    __slots__ = ()


class Finding(namedtuple("Finding", "code path line column end_line end_column message severity "
                                    "name impact fix cell cell_line cell_column source_line",
                         defaults=("", None, None, None, None, None, ""))):
    """One finding. `path` as it will be shown (relative to the current folder where possible);
    `line`/`column` 1-based in the file on disk (columns count Unicode characters; for notebooks
    the .ipynb line, with `cell` (1-based) and `cell_line`/`cell_column` inside that cell);
    `impact` the figures behind the message; `source_line` the text of the line the finding
    starts on (for text output and fingerprints).

    Records are immutable named tuples, not dataclasses: importing `dataclasses` (and with it
    `inspect`) would double the start-up of a one-file run (the pre-commit case)."""

    __slots__ = ()

    def __new__(cls, *args: Any, **fields: Any) -> "Finding":
        finding = super().__new__(cls, *args, **fields)
        return finding if finding.impact is not None else finding._replace(impact={})

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def with_changes(self, **changes: Any) -> "Finding":
        return self._replace(**changes)

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
                "edits": [e._asdict() for e in self.fix.edits],
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
