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

from ..frontends.bindings import bindings, walk_no_defs
from ..frontends.python import UNKNOWN, PythonContext, arg, call_name, dotted
from ..frontends.pyast import walk


MISSING = object()  # an argument that is not given at all


def listed_calls(ctx: PythonContext, expr: Any, scope: ast.AST) -> Iterator[ast.Call]:
    """The calls a list or tuple written in the code holds (`callbacks=[ModelCheckpoint(...), cb]`),
    each name followed to what it stands for."""
    node = ctx.expression_of(expr, scope)
    for element in node.elts if isinstance(node, (ast.List, ast.Tuple)) else ():
        target = ctx.expression_of(element, scope)
        if isinstance(target, ast.Call):
            yield target


def scope_of(ctx: PythonContext, node: ast.AST) -> ast.AST:
    return ctx.enclosing_function(node) or ctx.tree


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
    target = ctx.expression_of(node, scope)
    if target is None or isinstance(target, ast.Name):
        return None
    where = scope if node.id in bindings(scope) else ctx.tree
    base = dict_entries(ctx, target, where, depth + 1)
    if base is None:
        return None
    for sub in walk(where):
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
        target = ctx.expression_of(expr, scope)
        if target is not None and not isinstance(target, ast.Name):
            value = ctx.literal(target, scope if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) else None)
    return value


def is_none(expr: Any) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


def fmt(n: float | int) -> str:
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    return f"{n:,}" if isinstance(n, int) else f"{n:g}"


def as_int(n: float) -> float | int:
    return int(n) if float(n).is_integer() else n


def receiver_of(call: ast.Call) -> ast.AST | None:
    return call.func.value if isinstance(call.func, ast.Attribute) else None


def method_calls(ctx: PythonContext, method: str) -> Iterator[ast.Call]:
    for call in ctx.calls:
        if isinstance(call.func, ast.Attribute) and call.func.attr == method:
            yield call


def name_mutated(ctx: PythonContext, name: str, scope: ast.AST, methods: set[str]) -> bool:
    for node in walk(scope):
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


def class_bases(ctx: PythonContext, cls: ast.ClassDef, depth: int = 0) -> Iterator[str]:
    """Qualified names of the bases of a class defined in the file, through local bases."""
    if depth > 6:
        return
    for base in cls.bases:
        name = ctx.qualname(base)
        if name:
            yield name
        elif isinstance(base, ast.Name) and base.id in ctx.classes and ctx.classes[base.id] is not cls:
            yield from class_bases(ctx, ctx.classes[base.id], depth + 1)


def local_class(ctx: PythonContext, func: ast.AST) -> ast.ClassDef | None:
    if isinstance(func, ast.Name) and ctx.qualname(func) is None:
        return ctx.classes.get(func.id)
    return None


def class_methods(ctx: PythonContext, cls: ast.ClassDef, depth: int = 0) -> dict[str, ast.FunctionDef]:
    """Methods of a local class, including those of its local bases."""
    methods: dict[str, ast.FunctionDef] = {}
    if depth > 6:
        return methods
    for base in cls.bases:
        if isinstance(base, ast.Name) and ctx.qualname(base) is None and base.id in ctx.classes:
            other = ctx.classes[base.id]
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
        target = ctx.expression_of(expr, scope)
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


_LOOP_WRAPPERS = ("tqdm", "enumerate", "notebook_tqdm")


def loop_iterable(ctx: PythonContext, loop: ast.For | ast.AsyncFor) -> ast.expr:
    """What a `for` loop counts, unwrapped: progress bars and `enumerate` (`tqdm(range(n))`), also
    through a name bound to one (`bar = tqdm(range(n))`, then `for epoch in bar:`)."""
    it = loop.iter
    if isinstance(it, ast.Name):
        bound = ctx.binding_value(it)
        if isinstance(bound, ast.Call) and call_name(bound) in (*_LOOP_WRAPPERS, "range", "trange"):
            it = bound
    while isinstance(it, ast.Call) and call_name(it) in _LOOP_WRAPPERS and it.args:
        it = it.args[0]
    return it


def calls_on(ctx: PythonContext, ctor: ast.Call, depth: int = 0) -> list[ast.Call]:
    """Method calls on the object a constructor call makes: chained (`Trainer(...).fit(m)`) or on the
    name it is bound to, where that name still holds it (another Trainer bound to the same name, in
    another branch, has its own calls); where a helper of the file returns the object
    (`def make_trainer(args): ... return trainer`), also the calls on what each call of the helper
    binds (`trainer = make_trainer(args)`, then `trainer.fit(model)`)."""
    parent = ctx.parent(ctor)
    if isinstance(parent, ast.Attribute):
        grand = ctx.parent(parent)
        return [grand] if isinstance(grand, ast.Call) and grand.func is parent else []
    if isinstance(parent, ast.Return):
        return _calls_on_what_its_function_returns(ctx, ctor, depth)
    if not isinstance(parent, ast.Assign):
        return []
    names = {t.id for t in parent.targets if isinstance(t, ast.Name)}
    scope = scope_of(ctx, ctor)
    calls = []
    for call in ctx.calls:
        recv = receiver_of(call)
        if not (isinstance(recv, ast.Name) and recv.id in names):
            continue
        call_scope = scope_of(ctx, call)
        held = ctx.expression_of(recv, call_scope)
        if held is ctor or held is None and call_scope is scope:  # None: bound on several paths here
            calls.append(call)
    returned = any(isinstance(node, ast.Return) and isinstance(node.value, ast.Name) and node.value.id in names
                   and ctx.expression_of(node.value, scope) is ctor for node in walk_no_defs(scope))
    return calls + (_calls_on_what_its_function_returns(ctx, ctor, depth) if returned else [])


def _calls_on_what_its_function_returns(ctx: PythonContext, ctor: ast.Call, depth: int) -> list[ast.Call]:
    function = ctx.enclosing_function(ctor)
    if function is None or depth > 3:  # a helper of a helper of a helper; recursion ends here too
        return []
    return [call for site in ctx.call_sites(function) for call in calls_on(ctx, site, depth + 1)]


def fits_of(ctx: PythonContext, ctor: ast.Call) -> list[ast.Call]:
    """`trainer.fit(...)` calls on the object a constructor call makes."""
    return [call for call in calls_on(ctx, ctor) if call.func.attr == "fit"]
