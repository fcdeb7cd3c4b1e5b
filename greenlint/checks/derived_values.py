"""What a name bound from an expression holds, for the file-wide flow of values (training_flow):
the values the expression mentions, or only statistics of them (a per-group summary, an
estimator's predictions); and the `return` statements of a function. Not a rule."""
from __future__ import annotations

import ast

from ..frontends.bindings import walk_no_defs
from ..frontends.python import PythonContext
from .scoped_names import refs
from ..frontends.pyast import walk


def own_returns(function: ast.AST) -> list[ast.Return]:
    """The `return` statements of `function` itself, not of functions or classes inside it."""
    return [node for node in walk_no_defs(function) if isinstance(node, ast.Return)]


# Estimator methods whose result is computed from X, not X itself.
_PREDICTIONS = {"predict", "predict_proba", "predict_log_proba", "decision_function", "score", "score_samples"}


# Attributes of a frame or array that hold its labels or shape, not its values.
_LABELS = {"columns", "index", "shape", "dtypes", "ndim"}


def value_refs(value: ast.AST, ctx: PythonContext, mentioned: set[str]) -> set[str]:
    """The names whose values `value` holds: all it mentions (`mentioned`), less a per-group
    summary's, what an estimator only predicts from (the arguments of `model.predict(X)`), the
    arguments of a function of the file (`merge(train, per_month(history))`: what the function
    returns is its value, and its parameters carry the arguments to its returns) and frames whose
    labels alone are read (`train.columns.intersection(test.columns)`)."""
    if group_summary(value, ctx):
        return set()
    inputs = [a for c in walk(value) if isinstance(c, ast.Call) and _only_result_held(ctx, c)
              for a in [*c.args, *(k.value for k in c.keywords)]]
    inputs += [n for n in walk(value) if isinstance(n, ast.Attribute) and n.attr in _LABELS]
    if not inputs:
        return mentioned
    skipped = {id(n) for a in inputs for n in walk(a)}
    found: set[str] = set()
    for node in walk(value):
        if isinstance(node, (ast.Name, ast.Attribute)) and id(node) not in skipped and not _through_labels(node):
            found |= refs(node, ctx)
    return found


def _only_result_held(ctx: PythonContext, call: ast.Call) -> bool:
    """A call whose result holds none of its arguments' values themselves: an estimator's
    prediction, or a function of the file that returns something (its returns say what)."""
    if isinstance(call.func, ast.Attribute):
        return call.func.attr in _PREDICTIONS
    function = ctx.functions.get(call.func.id) if isinstance(call.func, ast.Name) else None
    return function is not None and bool(own_returns(function))


def _through_labels(node: ast.AST) -> bool:
    """`train.columns.intersection`: a chain that reads a frame's labels on its way."""
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        if isinstance(node, ast.Attribute) and node.attr in _LABELS:
            return True
        node = node.func if isinstance(node, ast.Call) else node.value
    return False


# pandas methods that group rows, and the reductions that turn each group into one row of statistics
_GROUPERS = {"groupby", "resample", "rolling", "pivot_table"}
_REDUCTIONS = {"agg", "aggregate", "sum", "mean", "count", "size", "max", "min", "std", "var", "median", "nunique",
               "first", "last", "prod"}


def group_summary(value: ast.AST, ctx: PythonContext | None = None) -> bool:
    """`frame.groupby(key).agg(["sum", "mean"])`, `frame.groupby(key).sum()`: a reduction of groups
    of rows (a chain of calls on the grouping, `.reset_index()` after it included), also of a
    grouping a name holds (`grouped = frame.groupby(keys)`, then `grouped.agg(funcs)`)."""
    reduced = False
    node = value
    while True:
        if isinstance(node, ast.Subscript):  # `frame.groupby(key)["amount"].sum()`
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in _GROUPERS:
                return reduced
            reduced = reduced or node.func.attr in _REDUCTIONS
            node = node.func.value
        elif reduced and ctx is not None and isinstance(node, ast.Name):
            bound = ctx.bound_values(node)
            node = bound[0] if len(bound) == 1 and _is_grouping(bound[0]) else None
        else:
            return False


def _is_grouping(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _GROUPERS
