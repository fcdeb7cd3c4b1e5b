"""Config files that are templates: placeholders replaced by neutral tokens of the same length."""
from __future__ import annotations

import re

from ..base import FrontendError

# A config that is a template (Helm, Jinja, cookiecutter, Go templates, GitHub Actions / Azure ML
# `${{ }}` expressions, `${VAR}` shell variables, fill-in samples) may not parse as it stands.
# One documented way for every kind: when a file does not parse, its placeholders are replaced by
# neutral tokens of the same length (newlines kept, so every line and column stays where it was)
# and the rest is checked. Only if it still does not parse is it reported, as one GL000 note
# "template, not checked", which per-file-ignores can silence.
_STATEMENT = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)  # Jinja statements and comments: render to nothing
_EXPRESSION = re.compile(
    r"\$\{\{.*?\}\}"           # ${{ github.x }}, ${{parent.inputs.x}}
    r"|\{\{.*?\}\}"             # {{ .Values.x }}, {{ cookiecutter.x }}
    r"|\$\{[^}\n]*\}"           # ${VAR}, ${var.x}
    r"|\$\([^)\n]*\)"           # $(VAR)
    r"|\{[A-Za-z_][\w.-]*\}"     # {username}: a fill-in placeholder of a documentation sample
    r"|<[A-Za-z][\w .-]*>",      # <your-bucket>
    re.S,
)


class TemplateNotChecked(FrontendError):
    """A template that does not parse even with its placeholders replaced: one GL000 note."""

    template = True


def has_placeholders(text: str) -> bool:
    return bool(_STATEMENT.search(text) or _EXPRESSION.search(text))


def neutralize_placeholders(text: str, token: str = "x") -> str:
    """`text` with every template statement (and every `{{ }}` action alone on its line) blanked
    out and every other placeholder replaced by `token` repeated to the same length; newlines stay,
    so positions do not move. `token` is "x" for YAML (a plain scalar anywhere); JSON gets `null`
    outside strings (see neutral_json)."""
    def blank(match: re.Match) -> str:
        return "".join(ch if ch == "\n" else " " for ch in match.group(0))

    def fill(match: re.Match) -> str:
        start, end = match.span()
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if not text[line_start:start].strip() and not text[end:line_end].strip() and match.group(0).startswith("{{"):
            return blank(match)  # alone on its line: a Go/Helm control action (`{{- if }}`, `{{ end }}`) or an include
        return "".join(ch if ch == "\n" else token for ch in match.group(0))

    text = _STATEMENT.sub(blank, text)
    return _EXPRESSION.sub(fill, text)


def neutral_json(text: str) -> str:
    """neutralize_placeholders for JSON: a placeholder inside a string becomes letters, one
    outside a string (`"epochs": {{ epochs }}`) becomes `null` padded with spaces, a valid value."""
    text = neutralize_placeholders(text, token="\x00")  # mark the spans, then decide span by span
    out: list[str] = []
    in_string, escaped, i = False, False, 0
    while i < len(text):
        ch = text[i]
        if ch == "\x00":
            j = i
            while j < len(text) and text[j] in "\x00\n":
                j += 1
            span = text[i:j]
            value = "x" * len(span) if in_string else ("null" if len(span) >= 4 else "0").ljust(len(span))
            chars = iter(value)
            out.extend("\n" if c == "\n" else next(chars) for c in span)
            i = j
            continue
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        out.append(ch)
        i += 1
    return "".join(out)


def template_error(kind: str, exc_message: str, line: int = 1, column: int = 1) -> TemplateNotChecked:
    return TemplateNotChecked(
        f"template, not checked: even with its placeholders replaced it is not valid {kind} ({exc_message})",
        line, column)
