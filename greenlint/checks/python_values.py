"""What a Python expression holds, beyond `PythonContext.literal`: argparse `store_true` flags of
a namespace the file parses. Shared by the model rules; not a rule."""
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


def _parsed_arg_value(ctx: PythonContext, node: ast.Attribute) -> Any:
    """`args.x` of an `argparse` namespace: its default, or False/True for a store_true/false flag."""
    if node.attr in ctx.argparse_defaults:
        return ctx.literal(ctx.argparse_defaults[node.attr])
    flags = store_true_flags(ctx)
    return flags[node.attr] if node.attr in flags else UNKNOWN


def value_of(ctx: PythonContext, node: ast.AST | None) -> Any:
    """ctx.literal (which already follows the binding that reaches a use), plus argparse
    store_true flags of a namespace the file parses."""
    value = ctx.literal(node)
    if value is UNKNOWN and isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
            and node.value.id in ctx.parsed_args_names:
        value = _parsed_arg_value(ctx, node)
    return value
