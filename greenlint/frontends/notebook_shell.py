"""Shell commands of notebook cells, for the rules that read commands (greenlint/checks/commands.py).

The notebook reader replaces IPython syntax with placeholders, so the Python text no longer holds
`!gcloud ...` lines or `%%bash` cells; these helpers record them, with their place in the joined
text, before they are replaced.
"""
from __future__ import annotations

import re


_SHELL_CELL_MAGICS = frozenset(("bash", "sh", "system"))
_SHELL_SCRIPT_ARGS = frozenset(("bash", "sh", "zsh"))
# `!cmd`, `!!cmd`, `x = !cmd`, `%sx cmd`, `%system cmd` (and without `%`: automagic).
_SHELL_LINE = re.compile(r"^(?:[A-Za-z_][\w.,\s\[\]()*]*?=\s*)?(?:!!?|%?(?:sx|system)\s+)")
# `%env NAME=value` / `%set_env NAME value`: the kernel's own environment, which every later
# command inherits; recorded whole (`%env ...`), a command no shell line can spell.
ENVIRONMENT_MAGIC = re.compile(r"^%?(?:env|set_env)\s+([A-Za-z_]\w*)(?:\s*=\s*|\s+)(\S+)\s*$")


def is_shell_magic(magic: tuple) -> bool:
    _, name, args = magic
    return name in _SHELL_CELL_MAGICS or (name == "script" and args.split()[:1] in ([a] for a in _SHELL_SCRIPT_ARGS))


def _joined_continuations(lines: list[str], start: int) -> tuple[str, int]:
    """The line at `start` and the lines its trailing backslashes continue into, joined by newlines
    as written (so that positions stay true); the index after them."""
    i = start + 1
    while lines[i - 1].rstrip().endswith("\\") and i < len(lines):
        i += 1
    return "\n".join(lines[start:i]), i


def shell_commands(lines: list[str], out: list[str], base: int) -> list[tuple[int, int, str]]:
    """Shell escapes of a Python cell: the lines the transform replaced that start like one, and
    its `%env` lines (ENVIRONMENT_MAGIC), which set what later commands read."""
    found = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        m = _SHELL_LINE.match(stripped) if out[i] != line else None
        if m is None and out[i] != line and ENVIRONMENT_MAGIC.match(stripped):
            found.append((base + i + 1, len(line) - len(stripped), stripped.rstrip()))
        if m is None or m.end() >= len(stripped):
            i += 1
            continue
        text, after = _joined_continuations(lines, i)
        column = len(line) - len(stripped) + m.end()
        found.append((base + i + 1, column, text[column:]))
        i = after
    return found


def shell_cell_commands(lines: list[str], start: int, base: int) -> list[tuple[int, int, str]]:
    """The commands of a `%%bash` / `%%sh` / `%%script bash` cell body."""
    found = []
    i = start
    while i < len(lines):
        if not lines[i].strip() or lines[i].lstrip().startswith("#"):
            i += 1
            continue
        text, after = _joined_continuations(lines, i)
        column = len(lines[i]) - len(lines[i].lstrip())
        found.append((base + i + 1, column, text[column:]))
        i = after
    return found
