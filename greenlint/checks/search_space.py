"""Sizes of hyper-parameter search spaces, as GL101 and GL102 read them. Not a rule.

An axis's length (a list display, `range`, `np.logspace(..., num)`, `np.arange`), a
scikit-learn style grid's candidates (a dict of lists, or a list of such dicts), its keys, and
the space a keras-tuner hypermodel declares with `hp.*`. None wherever the code does not make
the size knowable; never a guessed number.
"""
from __future__ import annotations

import ast
import math
from typing import Any

from ..frontends.python import PythonContext, arg, call_name, kwarg
from .search_values import call_qual, follow, is_dict_call, mutated_name
from .training_values import scope_of
from ..frontends.pyast import walk

_MAX_DEPTH = 6
_LOOK_FURTHER = object()  # a call whose length another reading may still find
_NUMPY_DEFAULT_NUM = 50  # np.linspace / logspace / geomspace's default `num`
_KT_CONTINUOUS_POINTS = 10  # keras-tuner's GridSearch takes 10 evenly spaced values of a continuous range


def is_number(value: Any) -> bool:
    """A finite int or float (an infinite or NaN bound gives no countable grid)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def grid_points(low: float, high: float, step: float) -> int:
    """Points of low, low + step, ... up to high (with a tolerance: (0.01 - 0.001) / 0.001 is
    8.999... in floating point)."""
    return int(math.floor((high - low) / step + 1e-9)) + 1


# --------------------------------------------------------------------------------------------
# one axis

def axis_len(ctx: PythonContext, node: ast.AST | None, at: ast.AST, depth: int = 0) -> int | None:
    """How many values one axis of a grid holds, when the code says so."""
    if node is None or depth > _MAX_DEPTH:
        return None
    node = follow(ctx, node, at)
    if mutated_name(ctx, node, at):
        return None
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return None if any(isinstance(e, ast.Starred) for e in node.elts) else len(node.elts)
    if isinstance(node, ast.ListComp) and len(node.generators) == 1 and not node.generators[0].ifs:
        return axis_len(ctx, node.generators[0].iter, at, depth + 1)
    if isinstance(node, ast.Call):
        n = _call_axis_len(ctx, node, at, depth)
        if n is not _LOOK_FURTHER:
            return n  # type: ignore[return-value]
    value = ctx.literal(node)
    return len(value) if isinstance(value, (list, tuple, set)) else None


def _call_axis_len(ctx: PythonContext, node: ast.Call, at: ast.AST, depth: int) -> Any:
    q = call_qual(ctx, node) or ""
    builtin = node.func.id if isinstance(node.func, ast.Name) else None
    if builtin in ("list", "tuple", "sorted") and len(node.args) == 1:
        return axis_len(ctx, node.args[0], at, depth + 1)
    if builtin == "range":
        scope = scope_of(ctx, at)
        values = ctx.literal(node, scope if scope is not ctx.tree else None)
        return len(values) if isinstance(values, list) else None
    if q.startswith(("numpy.", "torch.")) or q in ("numpy", "torch"):
        n = _array_axis_len(ctx, node, q, at, depth)
        if n is not _LOOK_FURTHER:
            return n
    if call_name(node) == "grid_search" and (q.startswith("ray.tune") or not q):
        return None
    return _LOOK_FURTHER


def _array_axis_len(ctx: PythonContext, node: ast.Call, q: str, at: ast.AST, depth: int) -> Any:
    """np.logspace / linspace / geomspace (torch: `steps`), np.arange, np.array / torch.tensor of a list."""
    base = q.rsplit(".", 1)[-1]
    if base in ("logspace", "linspace", "geomspace"):
        num = arg(node, 2, "steps") if q.startswith("torch") else arg(node, 2, "num")
        if num is None:
            return _NUMPY_DEFAULT_NUM if q.startswith("numpy") else None
        n = ctx.int_value(num)
        return n if n is not None and n >= 0 else None
    if base == "arange":
        return _arange_len(ctx, node)
    if base in ("array", "asarray", "tensor") and node.args:
        return axis_len(ctx, node.args[0], at, depth + 1)
    return _LOOK_FURTHER


def _arange_len(ctx: PythonContext, node: ast.Call) -> int | None:
    """np.arange(...), as PythonContext.literal enumerates it (positional bounds only)."""
    values = ctx.literal(node)
    return len(values) if isinstance(values, list) else None


# --------------------------------------------------------------------------------------------
# grids: dicts of axes

def _axes_product(ctx: PythonContext, values: list[ast.expr], at: ast.AST) -> int | None:
    total = 1
    for value in values:
        n = axis_len(ctx, value, at)
        if n is None:
            return None
        total *= n
    return total


def dict_size(ctx: PythonContext, node: ast.AST | None, at: ast.AST) -> int | None:
    """Candidates of one dict of axes: `{"C": [...], ...}`, `dict(C=[...])` or a known dict value."""
    node = follow(ctx, node, at)
    if mutated_name(ctx, node, at):
        return None
    if isinstance(node, ast.Dict):
        return None if None in node.keys else _axes_product(ctx, node.values, at)  # **other: unknown axes
    if is_dict_call(node) and not node.args:  # type: ignore[union-attr]
        keywords = node.keywords  # type: ignore[union-attr]
        return None if any(kw.arg is None for kw in keywords) else _axes_product(ctx, [kw.value for kw in keywords], at)
    value = ctx.literal(node)
    if isinstance(value, dict):
        if not all(isinstance(v, (list, tuple, set)) for v in value.values()):
            return None
        return math.prod(len(v) for v in value.values())
    return None


def grid_size(ctx: PythonContext, node: ast.AST | None, at: ast.AST) -> int | None:
    """Candidates of a scikit-learn style grid: a dict of lists, or a list of such dicts (summed)."""
    if node is None:
        return None
    node = follow(ctx, node, at)
    if isinstance(node, (ast.List, ast.Tuple)):
        total = 0
        for elt in node.elts:
            n = dict_size(ctx, elt, at) if not isinstance(elt, ast.Starred) else None
            if n is None:
                return None
            total += n
        return total
    return dict_size(ctx, node, at)


def _spelled_out_dict(node: ast.AST | None) -> tuple[list[ast.expr | None], list[ast.expr]] | None:
    """(keys, values) of `{k: v, ...}` or `dict(k=v, ...)` without `**` parts; None otherwise."""
    if isinstance(node, ast.Dict) and None not in node.keys:
        return list(node.keys), list(node.values)
    if is_dict_call(node) and not node.args and all(kw.arg for kw in node.keywords):  # type: ignore[union-attr]
        keywords = node.keywords  # type: ignore[union-attr]
        return [ast.Constant(kw.arg) for kw in keywords], [kw.value for kw in keywords]
    return None


def grid_keys(ctx: PythonContext, node: ast.AST | None, at: ast.AST) -> list[list[str]] | None:
    """The hyper-parameter names of each dict of a grid (`{...}`, `dict(k=...)` or a list of them),
    or None when the file does not spell the keys out (a grid passed in, `**other`)."""
    node = follow(ctx, node, at) if node is not None else None
    dicts = node.elts if isinstance(node, (ast.List, ast.Tuple)) else [node]
    keys: list[list[str]] = []
    for d in dicts:
        spelled = _spelled_out_dict(follow(ctx, d, at))
        if spelled is None:
            return None
        names = [ctx.literal(k) for k in spelled[0]]
        if not all(isinstance(n, str) for n in names):
            return None
        keys.append(names)  # type: ignore[arg-type]
    return keys or None


def known_axes_product(ctx: PythonContext, node: ast.AST | None, at: ast.AST) -> int | None:
    """For a one-dict grid with some axes not knowable: the product of the axes that are (a floor)."""
    spelled = _spelled_out_dict(follow(ctx, node, at) if node is not None else None)
    if spelled is None:
        return None
    sizes = [axis_len(ctx, v, at) for v in spelled[1]]
    known = [n for n in sizes if n is not None]
    return math.prod(known) if known and len(known) < len(sizes) else None


def single_axis(ctx: PythonContext, node: ast.AST | None, at: ast.AST) -> bool:
    """A grid over one hyper-parameter. Random search beats a grid because few of several axes
    matter (Bergstra and Bengio 2012); on a single axis a random sample is just a coarser grid, so
    the rule's advice does not apply and the finding is not made. Keys pinned to one value
    (`{"C": [...], "solver": ["liblinear"]}`) are settings, not axes; a list of one such dict
    (`[{"kernel": ["rbf"], "C": [...]}]`) is that one grid."""
    keys = grid_keys(ctx, node, at)
    if keys is not None and all(len(k) == 1 for k in keys) and len({k[0] for k in keys}) == 1:
        return True
    followed = follow(ctx, node, at) if node is not None else None
    if isinstance(followed, (ast.List, ast.Tuple)) and len(followed.elts) == 1:
        followed = follow(ctx, followed.elts[0], at)
    spelled = _spelled_out_dict(followed)
    return spelled is not None and sum(1 for value in spelled[1] if axis_len(ctx, value, at) != 1) <= 1


# --------------------------------------------------------------------------------------------
# keras-tuner hypermodels

_HP_KINDS = ("Choice", "Int", "Float", "Boolean", "Fixed")
_LOG_SAMPLING = ("log", "reverse_log")


def hp_space_size(ctx: PythonContext, fn: ast.AST | None) -> tuple[int | None, bool]:
    """(grid size, infinite) of a keras-tuner hypermodel function's hp.* declarations."""
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None, False
    sizes: dict[str, int | None] = {}
    infinite = False
    for node in walk(fn):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)) or node.func.attr not in _HP_KINDS:
            continue
        name = ctx.literal(arg(node, 0, "name"))
        if not isinstance(name, str):
            sizes[f"?{len(sizes)}"] = None
            continue
        sizes[name], continuous = _hp_points(ctx, node, node.func.attr)
        infinite = infinite or continuous
    if not sizes or any(v is None for v in sizes.values()):
        return None, infinite
    return math.prod(v for v in sizes.values() if v is not None), infinite


def _hp_points(ctx: PythonContext, node: ast.Call, kind: str) -> tuple[int | None, bool]:
    """(values keras-tuner's GridSearch takes from one hp.* declaration, continuous range?)."""
    if kind == "Choice":
        return axis_len(ctx, arg(node, 1, "values"), node), False
    if kind == "Boolean":
        return 2, False
    if kind == "Fixed":
        return 1, False
    step_node = arg(node, 3, "step")
    sampling = ctx.literal(kwarg(node, "sampling")) if kwarg(node, "sampling") is not None else "linear"
    if step_node is None and kind == "Float":
        return _KT_CONTINUOUS_POINTS, True  # a continuous range: a random search can keep drawing new points
    if step_node is None and kind == "Int" and sampling in _LOG_SAMPLING:
        return _KT_CONTINUOUS_POINTS, False
    low, high = ctx.literal(arg(node, 1, "min_value")), ctx.literal(arg(node, 2, "max_value"))
    step = ctx.literal(step_node) if step_node is not None else 1
    if not all(is_number(v) for v in (low, high, step)) or not step:
        return None, False
    if sampling in _LOG_SAMPLING:  # low, low * step, ... up to high: only for a positive range and a factor > 1
        return (int(math.floor(math.log(high / low, step) + 1e-9)) + 1 if low > 0 and high > 0 and step > 1 else None), False
    return grid_points(low, high, step), False


def hypermodel_function(ctx: PythonContext, call: ast.Call) -> ast.AST | None:
    """The local function a keras-tuner tuner is given as its hypermodel."""
    node = follow(ctx, arg(call, 0, "hypermodel"), call)
    if isinstance(node, ast.Name):
        return ctx.functions.get(node.id)
    return None
