"""Apply the fixes findings carry: `--fix` applies safe ones, `--unsafe-fixes` unsafe ones too,
`--diff` shows them without writing. Suggestion-only fixes are never applied.

Fixes are exact text edits computed by the detectors; a rewritten Python file must still parse
(libcst, which keeps every comment and blank line, is the check), or the file is left alone.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from .finding import Edit, Finding

APPLIED = {"safe": ("safe",), "unsafe": ("safe", "unsafe")}


@dataclass
class FixResult:
    fixed: list[Finding]  # findings whose fixes were applied (or would be, with --diff)
    diffs: list[str]
    failed: list[tuple[str, str]]  # (path, why)


def _offsets(text: str) -> list[int]:
    starts, total = [0], 0
    for line in text.splitlines(keepends=True):
        total += len(line)
        starts.append(total)
    return starts


def _apply_edits(text: str, edits: list[Edit]) -> str:
    starts = _offsets(text)

    def offset(line: int, column: int) -> int:
        return starts[min(line, len(starts)) - 1] + column - 1

    out = text
    for edit in sorted(edits, key=lambda e: (e.line, e.column), reverse=True):
        begin, end = offset(edit.line, edit.column), offset(edit.end_line, edit.end_column)
        out = out[:begin] + edit.replacement + out[end:]
    return out


def _still_parses(path: str, text: str) -> str | None:
    if not path.endswith((".py", ".pyi")):
        return None
    import libcst

    try:
        libcst.parse_module(text)
    except libcst.ParserSyntaxError as exc:
        return f"the fixed file would not parse ({exc.message}); left unchanged"
    return None


def apply_fixes(findings: list[Finding], level: str, write: bool) -> FixResult:
    """Apply the fixes allowed at `level` ("safe" or "unsafe") file by file."""
    allowed = APPLIED[level]
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        # Notebook cells and stdin have no file position a text edit can address.
        if finding.fix and finding.fix.edits and finding.fix.safety in allowed and finding.cell is None \
                and finding.path != "-":
            by_path.setdefault(finding.path, []).append(finding)
    result = FixResult([], [], [])
    for path, file_findings in sorted(by_path.items()):
        chosen, taken = [], []  # one fix per overlapping span: the first finding wins
        for finding in sorted(file_findings, key=Finding.sort_key):
            spans = [(e.line, e.column, e.end_line, e.end_column) for e in finding.fix.edits]  # type: ignore[union-attr]
            if any(_overlap(s, t) for s in spans for t in taken):
                continue
            taken.extend(spans)
            chosen.append(finding)
        try:
            original = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            result.failed.append((path, f"cannot read: {exc}"))
            continue
        edits = [e for f in chosen for e in f.fix.edits]  # type: ignore[union-attr]
        fixed = _apply_edits(original, edits)
        problem = _still_parses(path, fixed)
        if problem:
            result.failed.append((path, problem))
            continue
        result.fixed.extend(chosen)
        if write:
            Path(path).write_text(fixed, encoding="utf-8")
        else:
            result.diffs.append("".join(difflib.unified_diff(
                original.splitlines(keepends=True), fixed.splitlines(keepends=True), f"a/{path}", f"b/{path}")))
    return result


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return (a[0], a[1]) < (b[2], b[3]) and (b[0], b[1]) < (a[2], a[3]) or (a[:2] == b[:2])
