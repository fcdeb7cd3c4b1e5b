""".env files: `KEY=value` lines (optionally `export`ed, quoted, with trailing comments)."""
from __future__ import annotations

import re

from .node import Node, keyed

_ENV_LINE = re.compile(r"^[ \t]*(?:export[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*(?P<value>.*?)[ \t]*$")


def parse_env(text: str) -> Node:
    out: dict[str, Node] = {}
    lines = text.splitlines()
    for n, line in enumerate(lines, 1):
        m = _ENV_LINE.match(line)
        if not m:
            continue
        raw = m.group("value")
        vstart = m.start("value")
        if raw[:1] in ("'", '"'):
            q = raw[0]
            close = raw.find(q, 1)
            value = raw[1:close] if close > 0 else raw[1:]
            vend = vstart + (close + 1 if close > 0 else len(raw))
        else:
            value = re.split(r"[ \t]+#", raw, maxsplit=1)[0].rstrip()
            vend = vstart + len(value)
        node = Node("scalar", value, n, vstart + 1, n, vend + 1)
        out[m.group("key")] = keyed(node, m.group("key"), n, m.start("key") + 1)
    last = len(lines) or 1
    return Node("map", out, 1, 1, last, len(lines[-1]) + 1 if lines else 1)
