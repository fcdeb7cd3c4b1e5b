"""Python dicts read as the config documents they stand for. Not a rule.

A sweep config written as a Python dict (`wandb.sweep({...})`, a boto3 tuning-job config, a
Katib manifest) is turned into the config frontend's nodes, so that the config readers of a
rule read it as they read the YAML or JSON file it could have been: one concept, one reading,
whatever the file kind. Dicts are followed through names and through the `d[k] = v` and
`d.update(...)` of the same scope; what the code does not spell out becomes an opaque node.
Used by GL101 (grid sweeps) and GL102 (W&B sweeps without a run cap).
"""
from __future__ import annotations

import ast
from typing import Any

from ..frontends.bindings import walk_no_defs
from ..frontends.config import Node
from ..frontends.python import UNKNOWN, PythonContext

_MAX_DEPTH = 8


class DictReader:
    """Turns dict / list literals (followed through names and `d[k] = v` / `d.update(...)`
    in the same scope) into config nodes, remembering the AST node each came from."""

    def __init__(self, ctx: PythonContext):
        self.ctx = ctx
        self.origin: dict[int, ast.AST] = {}

    def node(self, expr: ast.AST | None, depth: int = 0) -> Node:
        if expr is None or depth > _MAX_DEPTH:
            return self.opaque(expr)
        if isinstance(expr, ast.Name):
            return self._named(expr, depth)
        if isinstance(expr, ast.Dict):
            return self._dict_display(expr, depth)
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "dict" and not expr.args:
            entries = {kw.arg if kw.arg else f"<unknown {i}>": self.node(kw.value, depth + 1) if kw.arg
                       else self.opaque(kw.value) for i, kw in enumerate(expr.keywords)}
            return self._make("map", entries, expr)
        if isinstance(expr, (ast.List, ast.Tuple)):
            if any(isinstance(e, ast.Starred) for e in expr.elts):
                return self.opaque(expr)
            return self._make("seq", [self.node(e, depth + 1) for e in expr.elts], expr)
        if isinstance(expr, ast.Attribute):  # an enum member: StudySpec.Algorithm.GRID_SEARCH
            if expr.attr.isupper() and self.ctx.qualname(expr) is not None:
                return self._make("scalar", expr.attr, expr)
            return self.opaque(expr)
        value = self.ctx.literal(expr)
        if value is UNKNOWN or isinstance(value, (dict, list, tuple, set)):
            return self.opaque(expr)
        return self._make("scalar", value, expr)

    def _dict_display(self, expr: ast.Dict, depth: int) -> Node:
        entries = {}
        for key, value in zip(expr.keys, expr.values):
            k = self.ctx.literal(key) if key is not None else None
            if not isinstance(k, str):
                entries[f"<unknown {len(entries)}>"] = self.opaque(value)  # **other or a computed key
                continue
            entries[k] = self.node(value, depth + 1)
        return self._make("map", entries, expr)

    def _named(self, name: ast.Name, depth: int) -> Node:
        bound = binding(self.ctx, name)
        if bound is None:
            return self.opaque(name)
        return self.finished(bound[0], bound[1], name.lineno, depth)

    def finished(self, assign: ast.Assign, scope: ast.AST, until: float, depth: int = 0) -> Node:
        """The value `assign` binds, with the `d[k] = v` / `d.update()` of its scope up to line `until`."""
        base = self.node(assign.value, depth + 1)
        if not base.is_map:
            return base
        entries = dict(base.value)
        name = assign.targets[0].id  # type: ignore[attr-defined]
        for stmt in _mutations(scope, name, assign, until):
            self._apply(stmt, entries, depth)
        return self._make("map", entries, assign.value)

    def _apply(self, stmt: ast.AST, entries: dict, depth: int) -> None:
        """`d["k"] = v` and `d.update({...})` / `d.update(k=v)` change the dict; other changes make it unknown."""
        if isinstance(stmt, ast.Assign):
            key = self.ctx.literal(stmt.targets[0].slice)  # type: ignore[attr-defined]
            if isinstance(key, str):
                entries[key] = self.node(stmt.value, depth + 1)
                return
        elif isinstance(stmt, ast.Call) and len(stmt.args) <= 1:
            other = self.node(stmt.args[0], depth + 1) if stmt.args else self._make("map", {}, stmt)
            if other.is_map and all(kw.arg for kw in stmt.keywords):
                entries.update(other.value)
                entries.update({kw.arg: self.node(kw.value, depth + 1) for kw in stmt.keywords})
                return
        entries[f"<unknown {len(entries)}>"] = self.opaque(stmt)

    def _make(self, kind: str, value: Any, at: ast.AST) -> Node:
        node = Node(kind, value, getattr(at, "lineno", 1), getattr(at, "col_offset", 0) + 1,
                    getattr(at, "end_lineno", 1) or 1, (getattr(at, "end_col_offset", 0) or 0) + 1)
        self.origin[id(node)] = at
        return node

    def opaque(self, at: ast.AST | None) -> Node:
        """A node whose value the code does not spell out."""
        node = Node("scalar", None, 1, 1, 1, 1, tag="expr")
        if at is not None:
            self.origin[id(node)] = at
        return node


def _single_name_assigns(scope: ast.AST, name: str) -> list[ast.Assign]:
    return [s for s in walk_no_defs(scope) if isinstance(s, ast.Assign) and len(s.targets) == 1
            and isinstance(s.targets[0], ast.Name) and s.targets[0].id == name]


def binding(ctx: PythonContext, name: ast.Name) -> tuple[ast.Assign, ast.AST] | None:
    """The `name = <value>` statement that reaches `name`, with the scope it is in: the one
    PythonContext.binding_value finds (the last one before the use in straight-line code;
    none when a branch, loop or `try` may have rebound it), or the enclosing scope's only binding
    of a name the function does not bind itself."""
    value = ctx.binding_value(name)
    assign = ctx.parent(value) if value is not None else None
    scope = (ctx.enclosing_function(assign) or ctx.tree) if assign is not None else None
    if isinstance(assign, ast.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0], ast.Name):
        return assign, scope
    return None


def _mutations(scope: ast.AST, name: str, assign: ast.Assign, until: float) -> list[ast.AST]:
    """`name[...] = v` assignments and `name.update(...)` calls between the binding and line `until`."""
    found = []
    end = until if until > assign.lineno else float("inf")
    for node in walk_no_defs(scope):
        if not assign.lineno < getattr(node, "lineno", 0) <= end:
            continue
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript) \
                and isinstance(node.targets[0].value, ast.Name) and node.targets[0].value.id == name:
            found.append(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update" \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == name:
            found.append(node)
    return sorted(found, key=lambda n: (n.lineno, n.col_offset))


def next_binding(scope: ast.AST, assign: ast.Assign) -> float:
    """The line where the name `assign` binds is bound again (its dict is finished before it)."""
    name = assign.targets[0].id  # type: ignore[attr-defined]
    later = [n.lineno for n in _single_name_assigns(scope, name) if n.lineno > assign.lineno]
    return min(later, default=float("inf"))


def dict_values(ctx: PythonContext, node: ast.AST | None) -> list[ast.AST] | None:
    """The values of a dict display, or of the one a name is bound to (see binding)."""
    if isinstance(node, ast.Name):
        bound = binding(ctx, node)
        node = bound[0].value if bound else node
    if isinstance(node, ast.Dict) and None not in node.keys:
        return list(node.values)
    return None


def from_library(ctx: PythonContext, node: ast.AST | None, prefix: str, depth: int = 0) -> ast.Call | None:
    """The call of `prefix`'s API an object comes from: `command(...)`, or `job(lr=...)` of such a job."""
    if node is None or depth > 4:
        return None
    if isinstance(node, ast.Name):
        bound = binding(ctx, node)
        return from_library(ctx, bound[0].value, prefix, depth + 1) if bound else None
    if isinstance(node, ast.Call):
        q = ctx.qualname(node.func) or ""
        if q == prefix or q.startswith(prefix + "."):
            return node
        if from_library(ctx, node.func, prefix, depth + 1) is not None:
            return node
    return None


def users(ctx: PythonContext, value: ast.AST) -> list[ast.Call]:
    """Calls that take `value` as an argument, directly or through the name it is assigned to."""
    holder = ctx.parent(value)
    if isinstance(holder, ast.keyword):
        holder = ctx.parent(holder)
    if isinstance(holder, ast.Call):
        return [holder]
    if not (isinstance(holder, ast.Assign) and len(holder.targets) == 1 and isinstance(holder.targets[0], ast.Name)):
        return []
    name = holder.targets[0].id
    return [call for call in ctx.calls
            if any(isinstance(g, ast.Name) and g.id == name for g in [*call.args, *(kw.value for kw in call.keywords)])]
