"""Human output: findings grouped by file, each with its source line underlined, then a
summary. Coloured through rich on a terminal; plain (no ANSI at all) otherwise."""
from __future__ import annotations

import io
import os
import shutil
import sys
from itertools import groupby
from typing import Any

from ..finding import Finding, Severity
from . import RunInfo, plural, position, rule_name, severity_label, statistics

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


def _console(color: bool) -> Any:
    from rich.console import Console

    if color:
        width = shutil.get_terminal_size().columns
        return Console(file=io.StringIO(), force_terminal=True, width=width, highlight=False,
                       emoji=False, markup=False)
    # No terminal: no escapes at all, and a width that never forces a wrap of its own.
    return Console(file=io.StringIO(), force_terminal=False, no_color=True, color_system=None,
                   width=200, highlight=False, emoji=False, markup=False, force_jupyter=False)


def _snippet(f: Finding) -> Any:
    """The source line and a caret underline under the finding's span, with a gutter."""
    from rich.cells import cell_len
    from rich.text import Text

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
    pad = cell_len(source[:start].expandtabs(_TAB))
    width = max(cell_len(source[:end].expandtabs(_TAB)) - pad, 1)
    gutter = str(line_no)
    blank = " " * len(gutter)
    text = Text()
    text.append(f"{blank} |\n", style="blue")
    text.append(f"{gutter} | ", style="blue")
    text.append(shown + "\n")
    text.append(f"{blank} | ", style="blue")
    text.append(" " * pad + "^" * width, style=_SEVERITY_STYLE[f.severity])
    return text


def _finding(f: Finding, info: RunInfo) -> Any:
    from rich.text import Text

    head = Text()
    head.append(f"{f.path}:{position(f)}", style="bold")
    head.append(": ")
    head.append(f.code, style=_SEVERITY_STYLE[f.severity])
    name = rule_name(f, info)
    if name:
        head.append(f" {name}", style="bold")
    head.append(f" [{f.severity}]", style=_SEVERITY_STYLE[f.severity])
    body = Text()
    for line in f.message.splitlines() or [""]:
        body.append(f"  {line}\n")
    measured = f.impact.get("measured") if isinstance(f.impact, dict) else None
    if measured:
        # The JSON says how each figure was obtained; an estimated CPU share makes the total an estimate.
        label = "estimated" if measured.get("cpu_method") == "estimate" else "measured"
        body.append(f"  {label}: {_measured(measured)}\n", style="green")
    body.rstrip()
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


def _summary_table(findings: list[Finding], info: RunInfo) -> Any:
    from rich.table import Table

    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column(justify="right")
    table.add_column(style="bold")
    table.add_column()
    table.add_column()
    for row in statistics(findings, info):
        table.add_row(str(row["count"]), row["code"], row["name"], severity_label(row))
    return table


def render(findings: list[Finding], info: RunInfo) -> str:
    from rich.text import Text

    color = use_color(info.color)
    console = _console(color)
    checked = plural(info.files_checked, "file")
    if not findings and not info.quiet:
        console.print(Text(f"All checked, no findings ({checked} checked).", style="bold green"), soft_wrap=True)
        _baseline_line(console, info)
    if not findings:
        return console.file.getvalue()

    if not info.statistics:  # --statistics shows the counts only, as ruff does
        for path, group in groupby(findings, key=lambda f: f.path):
            console.print(Text(path, style="bold underline"), soft_wrap=True)
            for f in group:
                head, body = _finding(f, info)
                console.print(head, soft_wrap=True)
                console.print(body, soft_wrap=True)
                snippet = _snippet(f)
                if snippet is not None:
                    console.print(snippet, soft_wrap=True)
                console.print()

    if info.statistics or not info.quiet:
        console.print(_summary_table(findings, info))
    if not info.quiet:
        files = len({f.path for f in findings})
        counts = Text()
        counts.append(f"Found {plural(len(findings), 'finding')} in {plural(files, 'file')}", style="bold")
        counts.append(f" ({checked} checked).")
        console.print(counts, soft_wrap=True)
        _baseline_line(console, info)
    out = console.file.getvalue()
    # rich pads table cells; plain output should carry no trailing blanks.
    return out if color else "\n".join(line.rstrip() for line in out.split("\n"))


def _baseline_line(console: Any, info: RunInfo) -> None:
    from rich.text import Text

    if info.baseline is not None:
        console.print(Text(baseline_note(info.baseline)), soft_wrap=True)


def baseline_note(baseline: dict) -> str:
    note = f"The baseline {baseline['file']} hid {plural(baseline['matched'], 'finding')}"
    if baseline["stale"]:
        n = baseline["stale"]
        entries = "1 entry matches" if n == 1 else f"{n} entries match"
        note += f"; {entries} nothing any more (fixed or changed): refresh it with --write-baseline"
    return note + "."
