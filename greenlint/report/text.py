"""Human output: findings grouped by file, each with its source line underlined, then a
summary. Coloured through rich on a terminal; plain (no ANSI at all) otherwise."""
from __future__ import annotations

import io
import os
import sys
from itertools import groupby

from ..finding import Finding, Severity
from . import RunInfo, plural, position, rule_name, severity_label, statistics

TYPE_CHECKING = False  # typing stays off the start-up path
if TYPE_CHECKING:
    from typing import Any

_SEVERITY_STYLE = {Severity.NOTE: "cyan", Severity.WARNING: "yellow", Severity.ERROR: "bold red"}
_TAB = 4


def use_color(color: bool | None) -> bool:
    """An explicit choice wins; otherwise colour only on a terminal and without NO_COLOR."""
    if color is not None:
        return color
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = sys.stdout
    return bool(getattr(stream, "isatty", None) and stream.isatty())


class _Styled(list):
    """A line of output as (text, style) segments: rich renders it on a terminal, plain output
    joins the texts, so the one-file pre-commit path never imports rich."""

    def add(self, text: str, style: str = "") -> "_Styled":
        self.append((text, style))
        return self


class _Plain:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def print(self, item: Any = None) -> None:
        if isinstance(item, _Table):
            self.parts.append(item.plain())
        elif item is not None:
            self.parts.append("".join(text for text, _ in item))
        self.parts.append("\n")

    def getvalue(self) -> str:
        return "".join(self.parts)


class _Rich:
    def __init__(self) -> None:
        import shutil

        from rich.console import Console

        width = shutil.get_terminal_size().columns
        self.console = Console(file=io.StringIO(), force_terminal=True, width=width, highlight=False,
                               emoji=False, markup=False)

    def print(self, item: Any = None) -> None:
        from rich.table import Table
        from rich.text import Text

        if item is None:
            self.console.print()
        elif isinstance(item, _Table):
            table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
            table.add_column(justify="right")
            table.add_column(style="bold")
            table.add_column()
            table.add_column()
            for row in item.rows:
                table.add_row(*row)
            self.console.print(table)
        else:
            text = Text()
            for part, style in item:
                text.append(part, style=style or None)
            self.console.print(text, soft_wrap=True)

    def getvalue(self) -> str:
        return self.console.file.getvalue()


class _Table:
    """The summary: count (right-aligned), code, name, severity; two spaces between columns."""

    def __init__(self, rows: list[tuple[str, ...]]):
        self.rows = rows

    def plain(self) -> str:
        widths = [max(_cell_len(row[i]) for row in self.rows) for i in range(len(self.rows[0]))]
        lines = []
        for row in self.rows:
            cells = [row[0].rjust(widths[0])] + [cell + " " * (widths[i + 1] - _cell_len(cell)) for i, cell in enumerate(row[1:])]
            lines.append("  ".join(cells).rstrip())
        return "\n".join(lines)


def _cell_len(text: str) -> int:
    """Columns on screen: wide East Asian characters take two, combining marks none."""
    if text.isascii():
        return len(text)
    import unicodedata  # only for text that needs it
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _snippet(f: Finding) -> _Styled | None:
    """The source line and a caret underline under the finding's span, with a gutter."""
    source = f.source_line.rstrip("\r\n")
    if not source.strip():
        return None
    notebook = f.cell is not None
    line_no = (f.cell_line if notebook else f.line) or f.line
    col = (f.cell_column if notebook else f.column) or f.column
    start = min(max(col - 1, 0), len(source))
    if f.end_line == f.line:
        end = min(max(f.end_column - 1 - (f.column - col), start + 1), len(source))
    else:  # spans several lines: underline to the end of this one
        end = len(source)
    end = max(end, start + 1)
    # Widths on screen, not characters: tabs expand and wide characters take two cells.
    shown = source.expandtabs(_TAB)
    pad = _cell_len(source[:start].expandtabs(_TAB))
    width = max(_cell_len(source[:end].expandtabs(_TAB)) - pad, 1)
    gutter = str(line_no)
    blank = " " * len(gutter)
    return (_Styled().add(f"{blank} |\n", "blue").add(f"{gutter} | ", "blue").add(shown + "\n")
            .add(f"{blank} | ", "blue").add(" " * pad + "^" * width, _SEVERITY_STYLE[f.severity]))


def _finding(f: Finding, info: RunInfo) -> tuple[_Styled, _Styled]:
    style = _SEVERITY_STYLE[f.severity]
    head = _Styled().add(f"{f.path}:{position(f)}", "bold").add(": ").add(f.code, style)
    name = rule_name(f, info)
    if name:
        head.add(f" {name}", "bold")
    head.add(f" [{f.severity}]", style)
    body = _Styled()
    for line in f.message.splitlines() or [""]:
        body.add(f"  {line}\n")
    measured = f.impact.get("measured") if isinstance(f.impact, dict) else None
    if measured:
        # The JSON says how each figure was obtained; an estimated CPU share makes the total an estimate.
        label = "estimated" if measured.get("cpu_method") == "estimate" else "measured"
        body.add(f"  {label}: {_measured(measured)}\n", "green")
    if body:
        text, style_ = body[-1]
        body[-1] = (text.rstrip(), style_)
    return head, body


def _measured(m: dict) -> str:
    """Profile mode's figures for this finding, in one line."""
    parts = []
    if m.get("joules") is not None:
        parts.append(f"{m['joules']:.4g} J in the profiled window")
    if m.get("joules_per_unit") is not None and m.get("unit"):
        parts.append(f"{m['joules_per_unit']:.4g} J per {m['unit']} ({m.get('units_done')} of {m.get('units_planned')} done)")
    if m.get("projected_kwh") is not None:
        co2 = f", {m['projected_gco2e']:.3g} gCO2e in {m['region']} (annual grid average)" if m.get("projected_gco2e") is not None else ""
        parts.append(f"full run projected {m['projected_kwh']:.3g} kWh{co2}")
    if m.get("alternative_kwh") is not None:
        parts.append(f"suggested alternative {m['alternative_kwh']:.3g} kWh")
    return "; ".join(parts) or "see the profile report"


def _summary_table(findings: list[Finding], info: RunInfo) -> _Table:
    return _Table([(str(row["count"]), row["code"], row["name"], severity_label(row))
                   for row in statistics(findings, info)])


def render(findings: list[Finding], info: RunInfo) -> str:
    color = use_color(info.color)
    console: Any = _Rich() if color else _Plain()
    checked = plural(info.files_checked, "file")
    if not findings and not info.quiet:
        console.print(_Styled().add(f"All checked, no findings ({checked} checked).", "bold green"))
        _baseline_line(console, info)
    if not findings:
        return console.getvalue()

    if not info.statistics:  # --statistics shows the counts only, as ruff does
        for path, group in groupby(findings, key=lambda f: f.path):
            console.print(_Styled().add(path, "bold underline"))
            for f in group:
                head, body = _finding(f, info)
                console.print(head)
                console.print(body)
                snippet = _snippet(f)
                if snippet is not None:
                    console.print(snippet)
                console.print()

    if info.statistics or not info.quiet:
        console.print(_summary_table(findings, info))
    if not info.quiet:
        files = len({f.path for f in findings})
        console.print(_Styled().add(f"Found {plural(len(findings), 'finding')} in {plural(files, 'file')}", "bold")
                      .add(f" ({checked} checked)."))
        _baseline_line(console, info)
    out = console.getvalue()
    return out if color else "\n".join(line.rstrip() for line in out.split("\n"))


def _baseline_line(console: Any, info: RunInfo) -> None:
    if info.baseline is not None:
        console.print(_Styled().add(baseline_note(info.baseline)))


def baseline_note(baseline: dict) -> str:
    note = f"The baseline {baseline['file']} hid {plural(baseline['matched'], 'finding')}"
    if baseline["stale"]:
        n = baseline["stale"]
        entries = "1 entry matches" if n == 1 else f"{n} entries match"
        note += f"; {entries} nothing any more (fixed or changed): refresh it with --write-baseline"
    return note + "."
