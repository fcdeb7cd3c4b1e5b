"""What a Python expression holds, beyond `PythonContext.literal`: argparse `store_true` flags,
command lines parsed in a helper, and the reaching definition of a name rebound in straight-line
code. Shared by the model and sparsity rules; not a rule."""
from __future__ import annotations

import ast
from typing import Any

from ..frontends.python import UNKNOWN, PythonContext, call_name, kwarg


def store_true_flags(ctx: PythonContext) -> dict[str, bool]:
    """argparse `--x action="store_true"` without a default: `args.x` is False by default."""
    flags: dict[str, bool] = {}
    for call in ctx.calls:
        if call_name(call) != "add_argument" or kwarg(call, "default") is not None:
            continue
        action = kwarg(call, "action")
        if not (isinstance(action, ast.Constant) and action.value in ("store_true", "store_false")):
            continue
        names = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        longs = [n for n in names if n.startswith("--")] or names
        if longs:
            dest_node = kwarg(call, "dest")
            dest = dest_node.value if isinstance(dest_node, ast.Constant) else longs[0].lstrip("-").replace("-", "_")
            flags[dest] = action.value == "store_false"
    return flags


_BLOCKED = ast.Constant(value=None)  # sentinel: a rebinding under an `if`/loop reaches the use


def _binds(stmt: ast.stmt, name: str) -> bool:
    return any(isinstance(sub, ast.Name) and sub.id == name and isinstance(sub.ctx, (ast.Store, ast.Del))
               for sub in ast.walk(stmt))


def reaching_value(ctx: PythonContext, node: ast.Name) -> ast.expr | None:
    """The value of the last plain assignment to `node`'s name before it, in straight-line code
    of the same scope (a notebook that rebinds `hub_config` cell after cell), or None when a
    conditional or loop assignment could intervene."""
    scope = ctx.enclosing_function(node) or ctx.tree
    body = getattr(scope, "body", [])
    last: ast.expr | None = None
    for stmt in body:
        if stmt.lineno >= node.lineno:
            break
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in stmt.targets):
            last = stmt.value
        elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and isinstance(stmt.target, ast.Name) and stmt.target.id == node.id:
            last = None if isinstance(stmt, ast.AugAssign) else stmt.value
        elif not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
            if _binds(stmt, node.id):
                last = _BLOCKED  # bound inside a block: which value reaches is not knowable here
    return last


def _parsed_arg_value(ctx: PythonContext, node: ast.Attribute) -> Any:
    """`args.x` of an `argparse` namespace: its default, or False/True for a store_true/false flag."""
    if node.attr in ctx.argparse_defaults:
        return ctx.literal(ctx.argparse_defaults[node.attr])
    flags = store_true_flags(ctx)
    return flags[node.attr] if node.attr in flags else UNKNOWN


def _is_self_reference(reaching: ast.expr | None, node: ast.Name) -> bool:
    return isinstance(reaching, ast.Name) and reaching.id == node.id


def value_of(ctx: PythonContext, node: ast.AST | None) -> Any:
    """ctx.literal plus argparse store_true flags, command lines parsed in a helper, and the
    reaching definition of a name rebound in straight-line code."""
    value = ctx.literal(node)
    if value is UNKNOWN and isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
            and node.value.id in ctx.parsed_args_names:
        value = _parsed_arg_value(ctx, node)
    if not isinstance(node, ast.Name):
        return value
    if ctx.enclosing_function(node) is None:
        reaching = reaching_value(ctx, node)
        if reaching is _BLOCKED:
            return UNKNOWN  # module-level name rebound under an `if` or loop before this use
        if value is UNKNOWN and reaching is not None and not _is_self_reference(reaching, node):
            value = ctx.literal(reaching)
    elif value is UNKNOWN:
        reaching = reaching_value(ctx, node)
        if reaching is not None and reaching is not _BLOCKED and not _is_self_reference(reaching, node):
            value = ctx.literal(reaching)
    return value


def bound_values(ctx: PythonContext, name: ast.Name) -> list[ast.expr]:
    """The values assigned to `name` in its function, else at module level."""
    scope = ctx.enclosing_function(name) or ctx.tree
    values = ctx.local_assignments(scope).get(name.id) or []
    if not values and scope is not ctx.tree:
        values = ctx.local_assignments(ctx.tree).get(name.id) or []
    return values
