"""The one model every check produces and every renderer consumes."""
from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing at start-up
if TYPE_CHECKING:
    from typing import Any, Iterator


class _Levels(type):
    """Severity's class: iterating it, its length and `Severity["WARNING"]` work as an enum's do."""

    def __iter__(cls) -> Iterator[Severity]:
        return iter(cls.__members__.values())

    def __len__(cls) -> int:
        return len(cls.__members__)

    def __getitem__(cls, name: str) -> Severity:
        return cls.__members__[name]


class Severity(int, metaclass=_Levels):
    """NOTE = 1, WARNING = 2, ERROR = 3: compared, hashed and counted as those numbers; str() is
    the lower-case name, repr() and pickling as enum.IntEnum's. Not an IntEnum: `enum` (with the
    `re` it imports) is a seventh of a one-file run served from the cache (the pre-commit case).
    The three members are the only instances: `Severity(2)` is `Severity.WARNING`."""

    __slots__ = ()
    __members__: dict[str, Severity]  # name -> member, most lenient first, as an enum's
    NOTE: Severity
    WARNING: Severity
    ERROR: Severity

    def __new__(cls, value: int) -> Severity:
        for member in cls.__members__.values():
            if member == value:
                return member
        raise ValueError(f"{value!r} is not a valid Severity")

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls.__members__[text.strip().upper()]  # KeyError for a name that is no level

    @property
    def name(self) -> str:
        return _NAMES[self - 1]

    @property
    def value(self) -> int:
        return int(self)

    def __str__(self) -> str:
        return self.name.lower()

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)  # f"[{severity}]" reads "[warning]"

    def __repr__(self) -> str:
        return f"<Severity.{self.name}: {int(self)}>"

    def __reduce__(self) -> tuple:
        return Severity, (int(self),)  # unpickled (from a pool worker) as the member itself

    def __copy__(self) -> Severity:
        return self

    def __deepcopy__(self, memo: dict) -> Severity:
        return self


_NAMES = ("NOTE", "WARNING", "ERROR")
Severity.__members__ = {name: int.__new__(Severity, number) for number, name in enumerate(_NAMES, 1)}
for _name, _member in Severity.__members__.items():
    setattr(Severity, _name, _member)
del _name, _member


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
