"""From greenlint's model to the protocol's: findings become diagnostics, hovers and code
actions on one editor document. Positions inside greenlint are 1-based Unicode characters; the
protocol counts 0-based code units of the encoding agreed at initialisation (UTF-16 unless
the client offers another)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from lsprotocol import types

from ..finding import Finding, Severity
from ..rules import load_rules

SOURCE = "greenlint"
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.NOTE: types.DiagnosticSeverity.Information,
}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the protocol's line ends (str.splitlines knows more)
_LINE_IGNORE = re.compile(r"#\s*greenlint\s*:\s*ignore\[([^\]]*)\]", re.IGNORECASE)
_FILE_IGNORE = re.compile(r"#\s*greenlint\s*:\s*ignore-file\[([^\]]*)\]", re.IGNORECASE)
_CODING = re.compile(r"^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+")
# Kinds whose files take `#` comments, where a suppression can be written.
COMMENT_KINDS = ("python", "notebook", "yaml", "toml", "terraform", "env")


def split_lines(text: str) -> list[str]:
    return _LINE_BREAK.split(text)


def _units(text: str, encoding: str) -> int:
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass
class Span:
    """0-based line and Unicode character positions in one document's text."""

    line: int
    character: int
    end_line: int
    end_character: int

    def contains(self, line: int, character: int) -> bool:
        return (self.line, self.character) <= (line, character) <= (self.end_line, self.end_character)

    def touches(self, other: "Span") -> bool:
        return (self.line, self.character) <= (other.end_line, other.end_character) and \
            (other.line, other.character) <= (self.end_line, self.end_character)


@dataclass
class Located:
    """A finding placed in the document the editor shows it in (a file, or a notebook cell)."""

    finding: Finding
    span: Span
    kind: str  # the file kind greenlint read it as
    in_cell: bool = False  # in a cell document of a synced notebook
    # Where a text edit can reach: False for a notebook read as .ipynb text.
    editable: bool = True


class Encoder:
    """Converts between Unicode characters and the client's code units on one text."""

    def __init__(self, text: str, encoding: str):
        self.lines = split_lines(text)
        self.encoding = encoding

    def position(self, line: int, character: int) -> types.Position:
        if line >= len(self.lines):
            return types.Position(line=len(self.lines) - 1, character=_units(self.lines[-1], self.encoding))
        text = self.lines[max(line, 0)]
        return types.Position(line=max(line, 0), character=_units(text[: max(character, 0)], self.encoding))

    def range(self, span: Span) -> types.Range:
        return types.Range(start=self.position(span.line, span.character),
                           end=self.position(span.end_line, span.end_character))

    def characters(self, position: types.Position) -> tuple[int, int]:
        """A client position as (line, Unicode character)."""
        if position.line >= len(self.lines):
            return position.line, 0
        text, units, index = self.lines[position.line], 0, 0
        while index < len(text) and units < position.character:
            units += _units(text[index], self.encoding)
            index += 1
        return position.line, index


def span_of(finding: Finding) -> Span:
    """A finding's range in its file: 0-based, never empty (an empty range is invisible in most editors)."""
    line, column = finding.line - 1, finding.column - 1
    end_line, end_column = max(finding.end_line - 1, line), finding.end_column - 1
    if (end_line, end_column) <= (line, column):
        end_line, end_column = line, column + 1
    return Span(line, column, end_line, end_column)


def diagnostic(located: Located, encoder: Encoder, uri: str) -> types.Diagnostic:
    finding = located.finding
    rule = load_rules().get(finding.code)
    return types.Diagnostic(
        range=encoder.range(located.span),
        message=f"{finding.name or (rule.name if rule else '')}: {finding.message}".lstrip(": "),
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.code,
        code_description=types.CodeDescription(href=rule.help_uri) if rule else None,
        source=SOURCE,
        related_information=_related(located, encoder, uri) or None,
        data={"code": finding.code, "line": located.span.line, "character": located.span.character},
    )


def _related(located: Located, encoder: Encoder, uri: str) -> list[types.DiagnosticRelatedInformation]:
    """An `impact` entry named `<what>_line` is a line of the same file the finding depends on
    (where the model is trained, where the matrix is made). A notebook's entries count lines
    of its joined code, not of a cell, so they are left out there."""
    if located.in_cell or not located.editable:
        return []
    out = []
    for key, value in sorted(located.finding.impact.items()):
        if key.endswith("_line") and isinstance(value, int) and not isinstance(value, bool) and 0 < value <= len(encoder.lines):
            text = encoder.lines[value - 1]
            start = len(text) - len(text.lstrip())
            span = Span(value - 1, start, value - 1, len(text))
            out.append(types.DiagnosticRelatedInformation(
                location=types.Location(uri=uri, range=encoder.range(span)),
                message=key[: -len("_line")].replace("_", " "),
            ))
    return out


def hover_markdown(finding: Finding) -> str:
    """The rule's short docs: what it found, why it matters, what to do instead."""
    rule = load_rules().get(finding.code)
    if rule is None:
        return f"**{finding.code}**: {finding.message}"
    parts = [f"**{rule.code} {rule.name}** ({finding.severity})", "", rule.summary]
    why = str(rule.docs.get("why", "")).strip()
    if why:
        parts += ["", "**Why it wastes energy.** " + " ".join(why.split("\n\n")[0].split())]
    instead = rule._section("instead").strip() if rule.docs.get("instead") else ""
    if instead:
        parts += ["", "**Use instead:**", "", instead]
    parts += ["", f"[{rule.code} documentation]({rule.help_uri})"]
    return "\n".join(parts)


def _edit_span(edit) -> Span:
    return Span(edit.line - 1, edit.column - 1, edit.end_line - 1, edit.end_column - 1)


def fix_action(located: Located, encoder: Encoder, uri: str, diag: types.Diagnostic, text: str) -> types.CodeAction | None:
    """The finding's own fix, when it has text edits that keep the file parseable."""
    fix = located.finding.fix
    if fix is None or not fix.edits or fix.safety not in ("safe", "unsafe") or located.in_cell or not located.editable:
        return None
    if located.kind == "python" and not _fix_parses(text, list(fix.edits)):
        return None
    edits = [types.TextEdit(range=encoder.range(_edit_span(e)), new_text=e.replacement) for e in fix.edits]
    safety = " (unsafe)" if fix.safety == "unsafe" else ""
    return types.CodeAction(
        title=f"Fix {located.finding.code}{safety}: {fix.description}",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diag],
        is_preferred=fix.safety == "safe",
        edit=types.WorkspaceEdit(changes={uri: edits}),
    )


def _fix_parses(text: str, edits: list) -> bool:
    """As `--fix` does: a rewrite that would not parse is not offered."""
    from ..fix import _apply_edits, _still_parses

    return _still_parses("buffer.py", _apply_edits(text, edits)) is None


def suppress_line_action(located: Located, encoder: Encoder, uri: str, diag: types.Diagnostic) -> types.CodeAction | None:
    """`# greenlint: ignore[CODE]` at the end of the line the finding starts on (where the
    suppression is looked for), added to a directive already there."""
    if located.kind not in COMMENT_KINDS or not located.editable or located.finding.code == "GL000":
        return None
    code, line = located.finding.code, located.span.line
    text = encoder.lines[line] if line < len(encoder.lines) else ""
    edit = _extend_directive(_LINE_IGNORE, text, line, code)
    if edit is None:
        span = Span(line, len(text), line, len(text))
        edit = (span, f"{'  ' if text.strip() else ''}# greenlint: ignore[{code}]")
    return _action(f"Suppress {code} on this line", uri, encoder, diag, *edit)


def suppress_file_action(located: Located, encoder: Encoder, uri: str, diag: types.Diagnostic) -> types.CodeAction | None:
    """`# greenlint: ignore-file[CODE]` among the file's leading comments (the only place it counts),
    below a shebang or encoding line, added to a directive already there."""
    if located.kind not in COMMENT_KINDS or not located.editable or located.finding.code == "GL000":
        return None
    code = located.finding.code
    first_code = next((i for i, t in enumerate(encoder.lines) if t.strip() and not t.strip().startswith("#")),
                      len(encoder.lines))
    for number in range(first_code):
        edit = _extend_directive(_FILE_IGNORE, encoder.lines[number], number, code)
        if edit is not None:
            return _action(f"Suppress {code} in this file", uri, encoder, diag, *edit)
    at = 0
    while at < first_code and (encoder.lines[at].startswith("#!") or _CODING.match(encoder.lines[at])):
        at += 1
    return _action(f"Suppress {code} in this file", uri, encoder, diag, Span(at, 0, at, 0),
                   f"# greenlint: ignore-file[{code}]\n")


def _extend_directive(pattern: re.Pattern[str], text: str, line: int, code: str) -> tuple[Span, str] | None:
    match = pattern.search(text)
    if match is None:
        return None
    codes = match.group(1)
    end = match.end(1)
    return Span(line, end, line, end), (", " if codes.strip() else "") + code


def _action(title: str, uri: str, encoder: Encoder, diag: types.Diagnostic, span: Span, new_text: str) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diag],
        edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=encoder.range(span), new_text=new_text)]}),
    )
