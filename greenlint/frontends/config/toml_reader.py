"""TOML: values from tomllib, positions from a scan of the same text."""
from __future__ import annotations

import json
import re
from typing import Any

from ..base import FrontendError
from .node import Node, TextIndex, keyed


def _tomllib():
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    return tomllib


def parse_toml(text: str) -> list[Node]:
    tomllib = _tomllib()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        raise FrontendError(f"invalid TOML: {str(exc).split(' (at line')[0]}", line, column) from None
    positions: dict[tuple, tuple[int, int, int, int, int, int]] = {}
    try:
        _TomlScanner(text, positions).scan()
    except (IndexError, ValueError):
        pass  # positions are best effort: a value without one takes its table's
    return [_toml_node(data, (), positions, (1, 1, 1, 1, 1, 1))]


def _toml_node(value: Any, path: tuple, positions: dict, parent: tuple) -> Node:
    pos = positions.get(path, parent)
    line, col, eline, ecol = pos[:4]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            child = _toml_node(v, path + (k,), positions, pos)
            cpos = positions.get(path + (k,), pos)
            out[k] = keyed(child, k, cpos[4], cpos[5])
        return Node("map", out, line, col, eline, ecol)
    if isinstance(value, list):
        return Node("seq", [_toml_node(v, path + (i,), positions, pos) for i, v in enumerate(value)],
                    line, col, eline, ecol)
    if not isinstance(value, (str, int, float, bool)):
        value = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return Node("scalar", value, line, col, eline, ecol)


_TOML_BARE = re.compile(r"[A-Za-z0-9_-]+")
_TOML_DATETIME = re.compile(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:[Zz]|[+-]\d\d:\d\d)?")
_TOML_BARE_VALUE = re.compile(r"[^\s,\]}#]+")


class _TomlScanner:
    """Records (line, col, end_line, end_col, key_line, key_col) for every key path of a valid TOML text."""

    def __init__(self, text: str, out: dict):
        self.t = text
        self.at = TextIndex(text)
        self.i = 0
        self.out = out
        self.aot_count: dict[tuple, int] = {}  # array-of-tables path (with indices) -> items so far

    def skip(self, newlines: bool) -> None:
        t = self.t
        while self.i < len(t):
            c = t[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.i += 1
            elif c == "#":
                j = t.find("\n", self.i)
                self.i = len(t) if j < 0 else j
            else:
                break

    def key(self) -> list[tuple[str, int]]:
        parts = []
        while True:
            self.skip(False)
            start = self.i
            c = self.t[self.i]
            if c in "\"'":
                end = self.string_end(self.i)
                raw = self.t[self.i:end]
                name = json.loads(raw) if c == '"' else raw[1:-1]
                self.i = end
            else:
                m = _TOML_BARE.match(self.t, self.i)
                name = m.group()
                self.i = m.end()
            parts.append((name, start))
            self.skip(False)
            if self.i < len(self.t) and self.t[self.i] == ".":
                self.i += 1
                continue
            return parts

    def string_end(self, i: int) -> int:
        t = self.t
        for q in ('"""', "'''"):
            if t.startswith(q, i):
                j = i + 3
                while True:
                    k = t.find(q, j)
                    if q == '"""':
                        while k > 0 and _escaped(t, k):
                            k = t.find(q, k + 1)
                    # a closing run may hold up to two extra quotes that belong to the string
                    while t.startswith(q[0], k + 3):
                        k += 1
                    return k + 3
        if t[i] == "'":
            return t.index("'", i + 1) + 1
        j = i + 1
        while True:
            k = t.index('"', j)
            if not _escaped(t, k):
                return k + 1
            j = k + 1

    def resolve(self, table: tuple) -> tuple:
        """Dotted table names through arrays of tables: [[a]] then [a.b] means a[-1].b."""
        out: tuple = ()
        for part in table:
            out = out + (part,)
            if out in self.aot_count:
                out = out + (self.aot_count[out] - 1,)
        return out

    def scan(self) -> None:
        t = self.t
        table: tuple = ()
        while True:
            self.skip(True)
            if self.i >= len(t):
                return
            if t[self.i] == "[":
                aot = t.startswith("[[", self.i)
                start = self.i
                self.i += 2 if aot else 1
                names = [n for n, _ in self.key()]
                self.i += 2 if aot else 1
                parent = self.resolve(tuple(names[:-1]))
                base = parent + (names[-1],)
                kl, kc = self.at.pos(start)
                el, ec = self.at.pos(self.i)
                if aot:
                    n = self.aot_count.get(base, 0)
                    self.aot_count[base] = n + 1
                    self.out.setdefault(base, (kl, kc, el, ec, kl, kc))
                    table = base + (n,)
                else:
                    table = self.resolve(tuple(names))
                self.out[table] = (kl, kc, el, ec, kl, kc)
                continue
            self.keyval(table)

    def keyval(self, table: tuple) -> None:
        parts = self.key()
        self.skip(False)
        self.i += 1  # '='
        self.skip(False)
        path = table
        for name, start in parts[:-1]:
            path = path + (name,)
            kl, kc = self.at.pos(start)
            self.out.setdefault(path, (kl, kc, kl, kc, kl, kc))
        path = path + (parts[-1][0],)
        self.value(path, self.at.pos(parts[-1][1]))

    def value(self, path: tuple, key_pos: tuple[int, int]) -> None:
        t = self.t
        start = self.i
        c = t[self.i]
        if c == "[":
            self.i += 1
            n = 0
            while True:
                self.skip(True)
                if t[self.i] == "]":
                    self.i += 1
                    break
                self.value(path + (n,), key_pos)
                n += 1
                self.skip(True)
                if t[self.i] == ",":
                    self.i += 1
        elif c == "{":
            self.i += 1
            while True:
                self.skip(False)
                if t[self.i] == "}":
                    self.i += 1
                    break
                self.keyval(path)
                self.skip(False)
                if t[self.i] == ",":
                    self.i += 1
        elif c in "\"'":
            self.i = self.string_end(self.i)
        else:
            m = _TOML_DATETIME.match(t, self.i) or _TOML_BARE_VALUE.match(t, self.i)
            self.i = m.end()
        self.out[path] = (*self.at.pos(start), *self.at.pos(self.i), *key_pos)


def _escaped(text: str, k: int) -> bool:
    n = 0
    while k - n - 1 >= 0 and text[k - n - 1] == "\\":
        n += 1
    return n % 2 == 1
