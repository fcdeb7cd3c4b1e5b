"""Names as keys scoped by the function that binds them, for the flow of values between names:
`model` local to `build()` is `build@12:model`, not the module's `model`. `self` and `cls` stay
unscoped, so that `self.x` is one key for every method of a class. Comprehension and lambda
variables, and class bodies, count as the enclosing function's (or the module's)."""
from __future__ import annotations

import ast
from typing import Iterator

from ..frontends.python import PythonContext, dotted
from ..frontends.pyast import walk


def function_locals(ctx: PythonContext, function: ast.AST) -> frozenset[str]:
    """The names a function binds (parameters, assignments), less those it declares global."""
    table = ctx.memo("scoped_names.locals", dict)
    found = table.get(function)
    if found is None:
        args = function.args  # type: ignore[attr-defined]
        params = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
        params.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
        declared = {name for node in walk(function) if isinstance(node, (ast.Global, ast.Nonlocal))
                    for name in node.names}
        found = table[function] = frozenset((params | set(ctx.local_assignments(function))) - declared - {"self", "cls"})
    return found


def local_prefix(function: ast.AST) -> str:
    """The prefix of the keys of the names `function` binds: `build@12:`."""
    return f"{function.name}@{function.lineno}:"  # type: ignore[attr-defined]


def scope_of(ctx: PythonContext, function: ast.AST | None, head: str) -> str:
    """The prefix of the key of `head` used inside `function` (None: at module level): that of
    the innermost enclosing function that binds it, else none (a module name)."""
    while function is not None:
        if head in function_locals(ctx, function):
            return local_prefix(function)
        function = ctx.enclosing_function(function)
    return ""


def name_key(ctx: PythonContext, node: ast.AST | None) -> str:
    """The scoped key of a name or attribute chain (`build@12:model`, `self.model`), or ""."""
    name = dotted(node) if node is not None else None
    if not name:
        return ""
    return scope_of(ctx, ctx.enclosing_function(node), name.partition(".")[0]) + name


def refs(node: ast.AST | None, ctx: PythonContext) -> set[str]:
    """The keys of every name mentioned in `node` with their prefixes (`self.model.parameters`
    gives `self.model.parameters`, `self.model`, `self`)."""
    found: set[str] = set()
    if node is None:
        return found
    function = ctx.enclosing_function(node)
    for sub in walk(node):
        if isinstance(sub, (ast.Name, ast.Attribute)):
            name = dotted(sub)
            if name:
                parts = name.split(".")
                prefix = scope_of(ctx, function, parts[0])
                for i in range(1, len(parts) + 1):
                    found.add(prefix + ".".join(parts[:i]))
    return found


def target_keys(target: ast.AST, ctx: PythonContext) -> Iterator[str]:
    if isinstance(target, (ast.Tuple, ast.List)):
        for elt in target.elts:
            yield from target_keys(elt, ctx)
    elif isinstance(target, ast.Starred):
        yield from target_keys(target.value, ctx)
    else:
        key = name_key(ctx, target)
        if key:
            yield key


def module_key(key: str) -> bool:
    """A key of a module-level name (not `build@12:X`, a function's local, nor `self.X`)."""
    return "@" not in key and not key.startswith("self.")


def plain_names(keys: set[str]) -> set[str]:
    """The names the keys of plain names stand for, scope dropped (`main@3:model` -> `model`;
    not `self.model` nor `args.model`)."""
    return {key.rsplit(":", 1)[-1] for key in keys if "." not in key}


def defined_key(ctx: PythonContext, definition: ast.AST) -> str:
    """The key of the name a `def` or `class` binds, in the scope around it."""
    return scope_of(ctx, ctx.enclosing_function(definition), definition.name) + definition.name  # type: ignore[attr-defined]
