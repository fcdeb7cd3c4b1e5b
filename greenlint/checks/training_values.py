"""How the training rules (GL201-GL203) read what a call is given: keyword arguments with
literal `**dict` expansions folded in (`Args`, with `MISSING` for an argument certainly not
given and UNKNOWN for one an opaque `**kwargs` could carry), the binding of a name that reaches
a use, dicts the code spells out, and knowable numbers. Not a rule.

Everything here is static and conservative: when the code does not make a value knowable, the
answer is None or UNKNOWN and the rules stay silent (a miss is cheaper than a false alarm).
"""
from __future__ import annotations

import ast
from typing import Any, Iterable, Iterator

from ..frontends.python import UNKNOWN, PythonContext, arg, dotted


MISSING = object()  # an argument that is not given at all


def scope_of(ctx: PythonContext, node: ast.AST) -> ast.AST:
    return ctx.enclosing_function(node) or ctx.tree


def _is_param(function: ast.AST, name: str) -> bool:
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return False
    a = function.args
    every = a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x]
    return any(p.arg == name for p in every)


def assigned(ctx: PythonContext, name: str, scope: ast.AST) -> list[Any] | None:
    """Every value bound to `name` in `scope`, falling back to module level when the function
    neither assigns nor receives it. None when the name is a parameter or never bound."""
    values = ctx.local_assignments(scope).get(name)
    if values is not None:
        return values
    if scope is not ctx.tree:
        if _is_param(scope, name):
            return None
        outer = ctx.enclosing_function(scope)
        return assigned(ctx, name, outer or ctx.tree)
    return None


def _names_stored(target: ast.AST) -> Iterator[str]:
    for sub in ast.walk(target):
        if isinstance(sub, ast.Name):
            yield sub.id


def _assign_bindings(node: ast.Assign) -> Iterator[tuple[str, Any]]:
    for target in node.targets:
        if isinstance(target, ast.Name):
            yield target.id, node.value
        elif isinstance(target, (ast.Tuple, ast.List)):
            values = node.value.elts if isinstance(node.value, (ast.Tuple, ast.List)) else None
            for i, elt in enumerate(target.elts):
                same = values is not None and len(values) == len(target.elts) and isinstance(elt, ast.Name)
                for name in _names_stored(elt):
                    yield name, values[i] if same else None  # type: ignore[index]


def _bound_by(node: ast.AST) -> Iterator[tuple[str, Any]]:
    """(name, bound expression or None when opaque) for every name `node` binds in its scope.

    Every binding form counts, so that a later use never resolves to an earlier, stale value:
    assignments, loop and `with` targets, imports, definitions, the walrus, `global`, `del`,
    `except ... as e` and the capture patterns of `match` (`case {"epochs": n}`, `case [*rest]`)."""
    if isinstance(node, ast.Assign):
        yield from _assign_bindings(node)
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
        yield node.target.id, node.value
    elif isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
        yield node.target.id, node.value
    else:
        yield from ((name, None) for name in _opaque_bindings(node))


def _opaque_bindings(node: ast.AST) -> Iterator[str]:
    """Names `node` binds to a value the code does not spell out."""
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        yield node.target.id
    elif isinstance(node, (ast.For, ast.AsyncFor)):
        yield from _names_stored(node.target)
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            if item.optional_vars is not None:
                yield from _names_stored(item.optional_vars)
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        yield from ((alias.asname or alias.name).split(".")[0] for alias in node.names)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        yield from node.names
    elif isinstance(node, ast.Delete):
        yield from (name for target in node.targets for name in _names_stored(target))
    elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
        yield node.name
    elif isinstance(node, ast.MatchMapping) and node.rest:
        yield node.rest


def bindings(scope: ast.AST) -> dict[str, list[tuple[ast.AST, Any]]]:
    """name -> [(binding node, bound expression or None when opaque)] in source order."""
    cached = getattr(scope, "_gl_bindings", None)
    if cached is not None:
        return cached
    found: dict[str, list[tuple[ast.AST, Any]]] = {}
    for node in walk_no_defs(scope):
        for name, value in _bound_by(node):
            found.setdefault(name, []).append((node, value))
    for entries in found.values():
        entries.sort(key=lambda e: (e[0].lineno, e[0].col_offset))
    scope._gl_bindings = found  # type: ignore[attr-defined]
    return found


def reaching(ctx: PythonContext, use: ast.Name, scope: ast.AST) -> tuple[bool, Any]:
    """(bound in scope?, the expression of the binding that reaches `use`, or None).

    The last binding before the use wins when it sits in a block that encloses the use (so a
    notebook that rebinds `model` cell after cell resolves each use to its own cell)."""
    entries = bindings(scope).get(use.id)
    if not entries:
        return False, None
    before = [e for e in entries if _bound_before(e[0], use)]
    if not before:
        return True, None
    stmt, value = before[-1]
    parent = ctx.parent(stmt)
    if parent is not scope and parent not in set(ctx.ancestors(use)):
        return True, None  # bound inside a branch or loop that does not hold the use
    if isinstance(stmt, ast.NamedExpr):
        return True, None
    return True, value


def _bound_before(binding: ast.AST, use: ast.Name) -> bool:
    """The name is bound by `binding` by the time `use` runs. A use inside the binding node sees
    the binding only in the body it opens (a loop's, a `with`'s or an `except`'s), not in the
    value being bound (`x = f(x)`, `for x in x`)."""
    if (binding.lineno, binding.col_offset) >= (use.lineno, use.col_offset):  # type: ignore[attr-defined]
        return False
    if not _contains(binding, use):
        return True
    if isinstance(binding, (ast.For, ast.AsyncFor)):
        return not _contains(binding.iter, use) and not _contains(binding.target, use)
    if isinstance(binding, (ast.With, ast.AsyncWith)):
        return not any(_contains(item.context_expr, use) for item in binding.items)
    if isinstance(binding, ast.ExceptHandler):
        return binding.type is None or not _contains(binding.type, use)
    return False


def _contains(outer: ast.AST, inner: ast.AST) -> bool:
    lo = (getattr(outer, "lineno", 0), getattr(outer, "col_offset", 0))
    hi = (getattr(outer, "end_lineno", 0) or 0, getattr(outer, "end_col_offset", 0) or 0)
    return lo <= (inner.lineno, inner.col_offset) < hi  # type: ignore[attr-defined]


def follow(ctx: PythonContext, expr: ast.AST | None, scope: ast.AST, depth: int = 0) -> ast.AST | None:
    """The expression a Name stands for at that point of the code; None when unknowable."""
    while isinstance(expr, ast.Name) and depth < 8:
        bound, value = reaching(ctx, expr, scope)
        if not bound:
            if scope is ctx.tree or _is_param(scope, expr.id):
                return None
            # a module-level name used inside a function: only a single binding is certain
            values = assigned(ctx, expr.id, ctx.tree)
            if not values or len(values) != 1 or not isinstance(values[0], ast.expr):
                return None
            value = values[0]
            if isinstance(value, ast.Name) and value.id == "__greenlint_unknown__":
                return None
            scope = ctx.tree
        if not isinstance(value, ast.expr):
            return None
        expr = value
        depth += 1
    return expr


def same_ref(a: ast.AST | None, b: ast.AST | None) -> bool:
    da, db = (dotted(a) if a is not None else None), (dotted(b) if b is not None else None)
    return da is not None and da == db


class Args:
    """A call's keyword arguments with literal `**dict` expansions folded in.

    `get(name)` gives the expression, `MISSING` when certainly absent, or UNKNOWN when an
    opaque `**kwargs` could carry it.
    """

    def __init__(self, ctx: PythonContext, call: ast.Call, scope: ast.AST):
        self.ctx, self.call, self.scope = ctx, call, scope
        self.explicit: dict[str, Any] = {}
        self.opaque = False
        for keyword in call.keywords:
            if keyword.arg is not None:
                self.explicit[keyword.arg] = keyword.value
                continue
            keys = dict_entries(ctx, keyword.value, scope)
            if keys is None:
                self.opaque = True
            else:
                for k, v in keys.items():
                    self.explicit.setdefault(k, v)

    def get(self, name: str, position: int | None = None) -> Any:
        if name in self.explicit:
            return self.explicit[name]
        if position is not None:
            found = arg(self.call, position)
            if found is not None:
                return found
            if any(isinstance(a, ast.Starred) for a in self.call.args):
                return UNKNOWN
        return UNKNOWN if self.opaque else MISSING

    def sets(self, *names: str) -> bool:
        """Any of `names` is given, and not as None (`early_stopping_rounds=None` is off)."""
        return any(self.get(n) is not MISSING and not is_none(self.get(n)) for n in names)

    def first(self, names: Iterable[str]) -> Any:
        """The expression of the first of `names` that is given, else MISSING."""
        return next((self.get(n) for n in names if self.get(n) is not MISSING), MISSING)

    def has(self, name: str) -> bool | None:
        value = self.get(name)
        if value is UNKNOWN:
            return None
        return value is not MISSING


def dict_entries(ctx: PythonContext, node: ast.AST, scope: ast.AST, depth: int = 0) -> dict[str, Any] | None:
    """Keys -> value expressions of a dict the code spells out (`{...}`, `dict(a=1)`, a name
    bound once to one and only changed by literal-key subscripts). None when opaque."""
    if depth > 4:
        return None
    if isinstance(node, ast.Dict):
        return _dict_display(ctx, node, scope, depth)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args:
        if any(keyword.arg is None for keyword in node.keywords):
            return None
        return {keyword.arg: keyword.value for keyword in node.keywords}  # type: ignore[misc]
    if isinstance(node, ast.Name):
        return _named_dict(ctx, node, scope, depth)
    return None


def _dict_display(ctx: PythonContext, node: ast.Dict, scope: ast.AST, depth: int) -> dict[str, Any] | None:
    """`{"k": v, **other}` with string keys and `**` of dicts the code spells out."""
    out: dict[str, Any] = {}
    for k, v in zip(node.keys, node.values):
        if k is None:
            inner = dict_entries(ctx, v, scope, depth + 1)
            if inner is None:
                return None
            out.update(inner)
        elif isinstance(k, ast.Constant) and isinstance(k.value, str):
            out[k.value] = v
        else:
            return None
    return out


def _named_dict(ctx: PythonContext, node: ast.Name, scope: ast.AST, depth: int) -> dict[str, Any] | None:
    """The dict a name is bound to, with the keys later `params["k"] = v` statements add."""
    target = follow(ctx, node, scope)
    if target is None or isinstance(target, ast.Name):
        return None
    where = scope if node.id in bindings(scope) else ctx.tree
    base = dict_entries(ctx, target, where, depth + 1)
    if base is None:
        return None
    for sub in ast.walk(where):
        if _changes_dict_opaquely(sub, node.id):
            return None
        if isinstance(sub, ast.Assign):
            for key, value in _subscript_stores(sub, node.id):
                if key is None:
                    return None
                base[key] = value
    return base


def _subscript_stores(assign: ast.Assign, name: str) -> Iterator[tuple[str | None, ast.expr]]:
    """(key or None when not a literal string, value) for each `name[key] = value` target."""
    for target in assign.targets:
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id == name:
            key = target.slice
            yield (key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None), assign.value


def _changes_dict_opaquely(node: ast.AST, name: str) -> bool:
    """`.update(...)`, `.setdefault`, `.pop`, `|=` on the name: its keys are no longer all in view."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
        return node.func.value.id == name and node.func.attr in ("update", "setdefault", "pop", "__setitem__")
    return isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id == name


def number_of(ctx: PythonContext, expr: Any, scope: ast.AST) -> float | int | None:
    """A count the code makes knowable; None otherwise (including `trial.suggest_*`)."""
    if expr is None or expr is UNKNOWN or expr is MISSING:
        return None
    value = const_of(ctx, expr, scope)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def const_of(ctx: PythonContext, expr: Any, scope: ast.AST) -> Any:
    if expr is None or expr is UNKNOWN or expr is MISSING:
        return UNKNOWN
    value = ctx.literal(expr, scope if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) else None)
    if value is UNKNOWN and isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name) \
            and isinstance(expr.slice, ast.Constant) and isinstance(expr.slice.value, str):
        # `configs["epochs"]` of a dict the code spells out (`configs = dict(epochs=10, ...)`)
        entries = dict_entries(ctx, expr.value, scope)
        if entries is not None and expr.slice.value in entries:
            return const_of(ctx, entries[expr.slice.value], scope)
    if value is UNKNOWN and isinstance(expr, ast.Name):
        # rebound names (a notebook setting `epochs` twice): the binding that reaches this use
        target = follow(ctx, expr, scope)
        if target is not None and not isinstance(target, ast.Name):
            value = ctx.literal(target, scope if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) else None)
    return value


def is_none(expr: Any) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


def fmt(n: float | int) -> str:
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    return f"{n:,}" if isinstance(n, int) else f"{n:g}"


def walk_no_defs(node: ast.AST) -> Iterator[ast.AST]:
    """ast.walk that does not enter nested function, lambda or class bodies."""
    stack = list(ast.iter_child_nodes(node))
    while stack:
        cur = stack.pop()
        yield cur
        if isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(cur))


def as_int(n: float) -> float | int:
    return int(n) if float(n).is_integer() else n


def receiver_of(call: ast.Call) -> ast.AST | None:
    return call.func.value if isinstance(call.func, ast.Attribute) else None


def method_calls(ctx: PythonContext, method: str) -> Iterator[ast.Call]:
    for call in ctx.calls:
        if isinstance(call.func, ast.Attribute) and call.func.attr == method:
            yield call


def name_mutated(ctx: PythonContext, name: str, scope: ast.AST, methods: set[str]) -> bool:
    for node in ast.walk(scope):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in methods
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == name
        ):
            return True
    return False


# What an object is: the call that built it, and the classes the file defines


def local_classes(ctx: PythonContext) -> dict[str, ast.ClassDef]:
    cached = getattr(ctx, "_gl_classes", None)
    if cached is None:
        cached = {n.name: n for n in ctx.walk() if isinstance(n, ast.ClassDef)}
        ctx._gl_classes = cached  # type: ignore[attr-defined]
    return cached


def class_bases(ctx: PythonContext, cls: ast.ClassDef, depth: int = 0) -> Iterator[str]:
    """Qualified names of the bases of a class defined in the file, through local bases."""
    if depth > 6:
        return
    for base in cls.bases:
        name = ctx.qualname(base)
        if name:
            yield name
        elif isinstance(base, ast.Name) and base.id in local_classes(ctx) and local_classes(ctx)[base.id] is not cls:
            yield from class_bases(ctx, local_classes(ctx)[base.id], depth + 1)


def local_class(ctx: PythonContext, func: ast.AST) -> ast.ClassDef | None:
    if isinstance(func, ast.Name) and ctx.qualname(func) is None:
        return local_classes(ctx).get(func.id)
    return None


def class_methods(ctx: PythonContext, cls: ast.ClassDef, depth: int = 0) -> dict[str, ast.FunctionDef]:
    """Methods of a local class, including those of its local bases."""
    methods: dict[str, ast.FunctionDef] = {}
    if depth > 6:
        return methods
    for base in cls.bases:
        if isinstance(base, ast.Name) and ctx.qualname(base) is None and base.id in local_classes(ctx):
            other = local_classes(ctx)[base.id]
            if other is not cls:
                methods.update(class_methods(ctx, other, depth + 1))
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            methods[stmt.name] = stmt  # type: ignore[assignment]
    return methods


def constructor(ctx: PythonContext, expr: ast.AST | None, scope: ast.AST, depth: int = 0) -> ast.Call | None:
    """The call that built the object `expr` refers to, when the code makes it unique."""
    if expr is None or depth > 5:
        return None
    if isinstance(expr, ast.Name):
        target = follow(ctx, expr, scope)
        return constructor(ctx, target, scope, depth + 1) if target is not None and target is not expr else None
    if isinstance(expr, ast.Call):
        # `build_model()` defined in the file: what does it return?
        if isinstance(expr.func, ast.Name) and ctx.qualname(expr.func) is None and expr.func.id in ctx.functions:
            function = ctx.functions[expr.func.id]
            returns = [n.value for n in walk_no_defs(function) if isinstance(n, ast.Return) and n.value is not None]
            built = [constructor(ctx, r, function, depth + 1) for r in returns]
            if built and all(b is not None for b in built):
                quals = {ctor_name(ctx, b) for b in built}
                if len(quals) == 1:
                    return built[0]
            return None
        # `Model(...).compile()` style chains are not constructors; `.set_params` changes them
        return expr
    return None


def ctor_name(ctx: PythonContext, call: ast.Call | None) -> str | None:
    """Qualified name of a constructor; a local class reports its first library base."""
    if call is None:
        return None
    qual = ctx.qualname(call.func)
    if qual is not None:
        return qual
    local = local_class(ctx, call.func)
    if local is not None:
        bases = list(class_bases(ctx, local))
        return f"<local>{local.name}:" + ",".join(bases)
    return None
