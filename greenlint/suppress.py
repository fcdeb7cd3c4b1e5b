"""Suppression comments: `# greenlint: ignore[GL101]`, `# noqa: GL101`, `# greenlint: ignore-file[GL101]`.

Rules: a code-less `# greenlint: ignore` is reported (GL001) and suppresses nothing; a bare
`# noqa` belongs to other linters and is left alone; a suppression that suppresses nothing is
reported as GL002 (off by default).
"""
from __future__ import annotations

import re
from collections import namedtuple

from .finding import Finding
from .rules import BARE_SUPPRESSION, PARSE_ERROR, UNUSED_SUPPRESSION

# Only comments that can name a greenlint code are directives: a `noqa` for other linters
# (common) must not make every file pay for tokenising.
_MARKER = re.compile(r"greenlint\s*:|noqa\s*:[^\n]*?\bGL\d", re.IGNORECASE)
_DIRECTIVE = re.compile(
    r"#\s*(?:greenlint\s*:\s*(?P<kind>ignore-file|ignore)(?P<codes>\[[^\]]*\])?"
    r"|noqa(?P<noqa>\s*:\s*[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)?)",
    re.IGNORECASE,
)
_CODE = re.compile(r"[A-Za-z]+[0-9]+")


class Directive(namedtuple("Directive", "line column end_column codes file_wide used")):
    """A suppression comment. `codes` empty: a code-less greenlint ignore (GL001); `used`: the
    codes it silenced, filled in place."""

    __slots__ = ()


def _comments(text: str, python: bool) -> list[tuple[int, int, str]]:
    """(line, 0-based column, comment text) of every comment that may hold a directive."""
    lowered = text.lower()  # two substring scans spare most files the case-blind pattern's slow one
    if ("greenlint" not in lowered and "noqa" not in lowered) or not _MARKER.search(text):
        return []
    if python:
        import io
        import tokenize  # only for a file that holds a directive

        found = []
        try:
            for tok in tokenize.generate_tokens(io.StringIO(text).readline):
                if tok.type == tokenize.COMMENT and _MARKER.search(tok.string):
                    found.append((tok.start[0], tok.start[1], tok.string))
            return found
        except (tokenize.TokenError, IndentationError, SyntaxError):
            pass  # fall back to lines
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        index = line.find("#")
        if index != -1 and _MARKER.search(line, index):
            found.append((number, index, line[index:]))
    return found


def _leading_comment_lines(text: str) -> int:
    """The last line number of the file's leading block of comments and blank lines."""
    last = 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and stripped != "---":
            break
        last = number
    return last


def parse_directives(text: str, python: bool) -> list[Directive]:
    directives = []
    leading = _leading_comment_lines(text)
    for line, column, comment in _comments(text, python):
        for match in _DIRECTIVE.finditer(comment):
            if match.group("kind"):
                codes = frozenset(c.upper() for c in _CODE.findall(match.group("codes") or ""))
                file_wide = match.group("kind").lower() == "ignore-file"
                if file_wide and line > leading:
                    continue  # only the leading comments of a file can speak for the whole file
            elif match.group("noqa"):
                codes = frozenset(c.upper() for c in _CODE.findall(match.group("noqa")))
                codes = frozenset(c for c in codes if c.startswith("GL"))
                if not codes:
                    continue  # another linter's codes
                file_wide = False
            else:
                continue  # bare noqa: for other linters
            directives.append(
                Directive(line, column + match.start() + 1, column + match.end() + 1, codes, file_wide, set())
            )
    return directives


def apply(
    findings: list[Finding], text: str, python: bool, make_finding, enabled: set[str]
) -> list[Finding]:
    """Drop suppressed findings; add GL001/GL002 findings for the directives themselves.

    `findings` carry lines of `text`; `make_finding(code, line, column, end_column, message)`
    builds a greenlint finding at a position of `text`.
    """
    directives = parse_directives(text, python)
    if not directives:
        return findings
    by_line: dict[int, list[Directive]] = {}
    file_wide = [d for d in directives if d.file_wide]
    for directive in directives:
        if not directive.file_wide:
            by_line.setdefault(directive.line, []).append(directive)
    kept = []
    for finding in findings:
        suppressed = False
        if finding.code != PARSE_ERROR:
            for directive in by_line.get(finding.line, []) + file_wide:
                if finding.code in directive.codes:
                    directive.used.add(finding.code)
                    suppressed = True
        if not suppressed:
            kept.append(finding)
    for d in directives:
        if not d.codes:
            if BARE_SUPPRESSION in enabled:
                kept.append(make_finding(
                    BARE_SUPPRESSION, d.line, d.column, d.end_column,
                    "suppression without codes suppresses nothing: name the rules, e.g. `# greenlint: ignore[GL101]`",
                ))
        elif UNUSED_SUPPRESSION in enabled:
            unused = sorted(c for c in d.codes if c not in d.used)
            if unused:
                kept.append(make_finding(
                    UNUSED_SUPPRESSION, d.line, d.column, d.end_column,
                    f"suppression of {', '.join(unused)} suppresses nothing here: remove it",
                ))
    return kept
