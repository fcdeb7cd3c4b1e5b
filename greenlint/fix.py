"""Apply the fixes findings carry: `--fix` applies safe ones, `--unsafe-fixes` unsafe ones too,
`--diff` shows them without writing. Suggestion-only fixes are never applied.

Fixes are exact text edits computed by the detectors (greenlint/fixes/ builds the larger ones);
a rewritten Python file must still parse (libcst, which keeps every comment and blank line, is
the check), or the file is left alone. `fix_text` is the one place edits are applied: the CLI
and the rule examples' `fixed:` tests both go through it.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .finding import Edit, Finding

APPLIED = {"safe": ("safe",), "unsafe": ("safe", "unsafe")}

Span = tuple[int, int, int, int]


@dataclass
class FixResult:
    fixed: list[Finding]  # findings whose fixes were applied (or would be, with --diff)
    diffs: list[str]
    failed: list[tuple[str, str]]  # (path, why)


@dataclass
class FixedText:
    text: str  # the fixed text (the original when `problem` is set)
    applied: list[Finding] = field(default_factory=list)
    problem: str | None = None  # why nothing was applied


def fixable(finding: Finding, level: str) -> bool:
    """The finding carries edits that `level` ("safe" or "unsafe") applies. Notebook cells and
    stdin have no file position a text edit can address."""
    fix = finding.fix
    return bool(fix and fix.edits and fix.safety in APPLIED[level] and finding.cell is None and finding.path != "-")


_BOM = b"\xef\xbb\xbf"
_LINE_END = re.compile(r"\r\n|\r|\n")  # what Python counts as a line end (not \f or \u2028)


def _offsets(text: str) -> list[int]:
    return [0, *(m.end() for m in _LINE_END.finditer(text)), len(text)]


def _read(path: str) -> tuple[str, bytes, str]:
    """The text as linted (a BOM dropped, PEP 263 encodings), and how to write it back unchanged:
    line endings are kept as they are (no newline translation)."""
    data = Path(path).read_bytes()
    bom = _BOM if data.startswith(_BOM) else b""
    data = data[len(bom):]
    try:
        return data.decode("utf-8"), bom, "utf-8"
    except UnicodeDecodeError:
        import io
        import tokenize

        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding), bom, encoding


def _apply_edits(text: str, edits: list[Edit]) -> str:
    starts = _offsets(text)

    def offset(line: int, column: int) -> int:
        return starts[min(line, len(starts)) - 1] + column - 1

    out = text
    # Back to front, so earlier offsets stay valid; insertions at one point keep their list order.
    ordered = sorted(enumerate(edits), key=lambda ie: (ie[1].line, ie[1].column, ie[0]), reverse=True)
    for _, edit in ordered:
        begin, end = offset(edit.line, edit.column), offset(edit.end_line, edit.end_column)
        out = out[:begin] + edit.replacement + out[end:]
    return out


def _span(edit: Edit) -> Span:
    return edit.line, edit.column, edit.end_line, edit.end_column


def _overlap(a: Span, b: Span) -> bool:
    return (a[0], a[1]) < (b[2], b[3]) and (b[0], b[1]) < (a[2], a[3]) or (a[:2] == b[:2])


def choose_fixes(findings: list[Finding]) -> tuple[list[Finding], list[Edit]]:
    """One fix per overlapping span, the first finding in report order winning; an edit two fixes
    share exactly (the same import added for two calls) is made once and conflicts with neither."""
    chosen: list[Finding] = []
    taken: list[Edit] = []
    for finding in sorted(findings, key=Finding.sort_key):
        edits = [e for e in finding.fix.edits if e not in taken]  # type: ignore[union-attr]
        if any(_overlap(_span(e), _span(t)) for e in edits for t in taken):
            continue
        taken.extend(dict.fromkeys(edits))
        chosen.append(finding)
    return chosen, taken


def _still_parses(path: str, text: str, original: str | None = None) -> str | None:
    """None when the fixed `text` parses (the language server's code actions check it too)."""
    if not path.endswith((".py", ".pyi")):
        return None
    import libcst

    try:
        libcst.parse_module(text)
    except libcst.ParserSyntaxError as exc:
        try:
            libcst.parse_module(original if original is not None else "")
        except libcst.ParserSyntaxError:  # IPython magics in a .py file, a newer syntax than libcst's
            return "left unchanged: the file is not Python that libcst parses, so the fixed text cannot be checked"
        return f"the fixed file would not parse ({exc.message}); left unchanged"
    return None


def fix_text(text: str, findings: list[Finding], level: str = "unsafe", path: str = "example.py") -> FixedText:
    """Apply to `text` (the content of `path`) the fixes of `findings` that `level` allows."""
    chosen, edits = choose_fixes([f for f in findings if fixable(f, level)])
    if not chosen:
        return FixedText(text)
    fixed = _apply_edits(text, edits)
    problem = _still_parses(path, fixed, text)
    if problem:
        return FixedText(text, [], problem)
    return FixedText(fixed, chosen)


def apply_fixes(findings: list[Finding], level: str, write: bool) -> FixResult:
    """Apply the fixes allowed at `level` ("safe" or "unsafe") file by file."""
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        if fixable(finding, level):
            by_path.setdefault(finding.path, []).append(finding)
    result = FixResult([], [], [])
    for path, file_findings in sorted(by_path.items()):
        try:
            original, bom, encoding = _read(path)
        except (OSError, UnicodeDecodeError, SyntaxError) as exc:
            result.failed.append((path, f"cannot read: {exc}"))
            continue
        outcome = fix_text(original, file_findings, level, path)
        if outcome.problem:
            result.failed.append((path, outcome.problem))
            continue
        result.fixed.extend(outcome.applied)
        if write:
            Path(path).write_bytes(bom + outcome.text.encode(encoding))
        else:
            result.diffs.append("".join(difflib.unified_diff(
                original.splitlines(keepends=True), outcome.text.splitlines(keepends=True), f"a/{path}", f"b/{path}")))
    return result
