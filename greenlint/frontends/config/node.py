"""The position-aware tree every config reader returns, and the helpers the readers share."""
from __future__ import annotations

import bisect
import re
from typing import Any, Iterator

# An alias may repeat a subtree; expanded beyond this many nodes the file is refused
# (a "billion laughs" file composes to a few nodes but expands to billions).
MAX_EXPANDED_NODES = 200_000
MAX_DEPTH = 400


class Node:
    """One value of a config file: kind 'map' (value: dict[str, Node]), 'seq' (list[Node]) or 'scalar'."""

    __slots__ = ("kind", "value", "line", "column", "end_line", "end_column", "key", "key_line", "key_column", "tag")

    def __init__(self, kind: str, value: Any, line: int, column: int, end_line: int, end_column: int,
                 tag: str | None = None):
        self.kind = kind
        self.value = value
        self.line, self.column, self.end_line, self.end_column = line, column, end_line, end_column
        self.key: str | None = None
        self.key_line: int | None = None
        self.key_column: int | None = None
        self.tag = tag  # YAML tag; "expr" for a Terraform expression kept as text

    def __repr__(self) -> str:
        inner = self.value if self.kind == "scalar" else f"{len(self.value)} items"
        return f"Node({self.kind}, {inner!r}, {self.line}:{self.column})"

    @property
    def is_map(self) -> bool:
        return self.kind == "map"

    @property
    def is_seq(self) -> bool:
        return self.kind == "seq"

    @property
    def is_scalar(self) -> bool:
        return self.kind == "scalar"

    @property
    def opaque(self) -> bool:
        """A Terraform expression (reference, function call, template) that was not evaluated."""
        return self.tag == "expr"

    def get(self, key: Any, default: Any = None) -> Any:
        if self.kind == "map":
            return self.value.get(key, default)
        if self.kind == "seq" and isinstance(key, int) and -len(self.value) <= key < len(self.value):
            return self.value[key]
        return default

    def get_ci(self, key: str) -> Node | None:
        """Mapping lookup ignoring case and `-`/`_` (Azure ML: `sampling_algorithm` / `samplingAlgorithm`)."""
        if self.kind != "map":
            return None
        want = _norm_key(key)
        for k, v in self.value.items():
            if _norm_key(k) == want:
                return v
        return None

    def find(self, *path: Any) -> Node | None:
        node: Node | None = self
        for step in path:
            if node is None:
                return None
            node = node.get(step)
        return node

    def items(self) -> list[tuple[str, Node]]:
        return list(self.value.items()) if self.kind == "map" else []

    def children(self) -> list[Node]:
        if self.kind == "map":
            return list(self.value.values())
        if self.kind == "seq":
            return list(self.value)
        return []

    def str(self) -> str | None:
        """The scalar as text (numbers too), or None for maps, sequences, null and opaque expressions."""
        if self.kind != "scalar" or self.value is None or self.opaque:
            return None
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return str(self.value)

    def number(self) -> float | None:
        """A numeric scalar (also a numeric string such as "4"), else None."""
        if self.kind != "scalar" or isinstance(self.value, bool) or self.opaque:
            return None
        if isinstance(self.value, (int, float)):
            return float(self.value)
        if isinstance(self.value, str):
            try:
                return float(self.value.strip())
            except ValueError:
                return None
        return None

    def plain(self) -> Any:
        if self.kind == "map":
            return {k: v.plain() for k, v in self.value.items()}
        if self.kind == "seq":
            return [v.plain() for v in self.value]
        return self.value

    def walk(self, path: tuple = ()) -> Iterator[tuple[tuple, Node]]:
        """Depth-first (key path, node), this node first. Sequence items have int path steps."""
        stack: list[tuple[tuple, Node]] = [(path, self)]
        while stack:
            p, node = stack.pop()
            yield p, node
            if node.kind == "map":
                stack.extend(reversed([(p + (k,), v) for k, v in node.value.items()]))
            elif node.kind == "seq":
                stack.extend(reversed([(p + (i,), v) for i, v in enumerate(node.value)]))


def _norm_key(key: Any) -> str:
    return str(key).replace("-", "").replace("_", "").lower()


def keyed(node: Node, key: str, key_line: int, key_column: int) -> Node:
    node.key, node.key_line, node.key_column = key, key_line, key_column
    return node


class TextIndex:
    """Offsets ↔ 1-based (line, column)."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0]
        for m in re.finditer("\n", text):
            self.starts.append(m.end())

    def pos(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1
