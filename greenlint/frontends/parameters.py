"""A function's parameters as its calls fill them: which argument each call passes for which
parameter, a parameter's default, and whether a use of the name still holds the argument.
Shared by the value model (`values.py`) and the rules that follow arguments into functions."""
from __future__ import annotations

import ast
from typing import Any

from .bindings import reaching, scope_assignments

NO_PARAM = object()  # `parameter_default` of a name that is no parameter


def call_arguments(call: ast.Call, function: ast.FunctionDef | ast.AsyncFunctionDef,
               bound: bool = False) -> list[tuple[str, ast.expr]]:
    """(parameter, argument) pairs a call passes to `function`, up to the first `*args`; `bound`:
    the call binds the first parameter itself (a class called to run its `__init__`)."""
    positional = [p.arg for p in function.args.posonlyargs + function.args.args][1 if bound else 0:]
    pairs = []
    for index, argument in enumerate(call.args):
        if isinstance(argument, ast.Starred) or index >= len(positional):
            break
        pairs.append((positional[index], argument))
    pairs += [(k.arg, k.value) for k in call.keywords if k.arg is not None]
    return pairs


_PARAMETER = ast.Name(id="<parameter>")  # what a name holds before its function binds it


def sees_parameter(function: ast.FunctionDef | ast.AsyncFunctionDef, node: ast.Name) -> bool:
    """The use still holds the argument: the function does not bind the name, or binds it only
    later in straight-line code (`model = torch.hub.load(model=model)`: the value runs first)."""
    if node.id not in scope_assignments(function):
        return True
    line = getattr(node, "lineno", None)
    return line is not None and reaching(function.body, node.id, line, _PARAMETER) is _PARAMETER


def parameter_default(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> Any:
    """The default expression of parameter `name` (None if it has none), or NO_PARAM."""
    args = function.args
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for param, default in zip(positional, defaults):
        if param.arg == name:
            return default
    for param, default in zip(args.kwonlyargs, args.kw_defaults):
        if param.arg == name:
            return default
    if (args.vararg and args.vararg.arg == name) or (args.kwarg and args.kwarg.arg == name):
        return None
    return NO_PARAM
