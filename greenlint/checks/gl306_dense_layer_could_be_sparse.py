"""GL306 dense-layer-could-be-sparse: a single fully-connected layer with tens of millions of
weights (torch `nn.Linear`, keras `Dense`) in a file that trains."""
from __future__ import annotations

import ast

from . import detector
from ..frontends.python import PythonContext, arg, call_name, kwarg
from .training_flow import file_trains

_DENSE = ("keras.layers.Dense", "keras.layers.core.Dense")
_INPUTS = ("keras.Input", "keras.layers.Input", "keras.layers.InputLayer")


def _dense_input_width(ctx: PythonContext, call: ast.Call) -> int | None:
    """Input width of a keras Dense layer: `input_dim=`, `input_shape=(n,)`, or the layer before
    it, in a `Sequential([...])` list or in a chain of `model.add(...)` statements."""
    direct = ctx.int_value(kwarg(call, "input_dim"))
    if direct is not None:
        return direct
    shape = ctx.literal(kwarg(call, "input_shape"))
    if isinstance(shape, (tuple, list)) and len(shape) == 1 and isinstance(shape[0], int):
        return shape[0]
    prev = _previous_layer(ctx, call)
    pq = ctx.qualname(prev.func) or "" if prev is not None else ""
    if pq in _DENSE:
        return ctx.int_value(arg(prev, 0, "units"))
    if pq in _INPUTS:
        shape = ctx.literal(arg(prev, 0, "shape") or kwarg(prev, "input_shape"))
        if isinstance(shape, (tuple, list)) and len(shape) == 1 and isinstance(shape[0], int):
            return shape[0]
    return None


def _previous_layer(ctx: PythonContext, call: ast.Call) -> ast.Call | None:
    """The layer built just before `call`: the list element before it, or the argument of the
    `model.add(...)` statement just before the one that adds it to the same model."""
    parent = ctx.parent(call)
    if isinstance(parent, ast.List):
        index = parent.elts.index(call)
        prev = parent.elts[index - 1] if index > 0 else None
        return prev if isinstance(prev, ast.Call) else None
    model = _added_to(parent, call)
    statement = ctx.parent(parent) if model is not None else None
    block = getattr(ctx.parent(statement), "body", None) if isinstance(statement, ast.Expr) else None
    if not isinstance(block, list) or statement not in block or block.index(statement) == 0:
        return None
    before = block[block.index(statement) - 1]
    adder = before.value if isinstance(before, ast.Expr) else None
    if isinstance(adder, ast.Call) and adder.args and _added_to(adder, adder.args[0]) == model:
        return adder.args[0] if isinstance(adder.args[0], ast.Call) else None
    return None


def _added_to(adder: ast.AST | None, layer: ast.AST) -> str | None:
    """The model name of `model.add(layer)`, or None."""
    if isinstance(adder, ast.Call) and isinstance(adder.func, ast.Attribute) and adder.func.attr == "add" \
            and isinstance(adder.func.value, ast.Name) and adder.args and adder.args[0] is layer:
        return adder.func.value.id
    return None


@detector("GL306")
def dense_layer_could_be_sparse(ctx: PythonContext) -> None:
    max_weights = int(ctx.options("GL306")["max-weights"])
    layers = []
    for call in ctx.calls:
        q = ctx.qualname(call.func)
        if q in ("torch.nn.Linear", "torch.nn.LazyLinear"):
            fan_in = ctx.int_value(arg(call, 0, "in_features")) if q == "torch.nn.Linear" else None
            fan_out = ctx.int_value(arg(call, 1 if q == "torch.nn.Linear" else 0, "out_features"))
        elif q in _DENSE:
            fan_out = ctx.int_value(arg(call, 0, "units"))
            fan_in = _dense_input_width(ctx, call)
        else:
            continue
        if fan_in is None or fan_out is None or fan_in * fan_out <= max_weights:
            continue
        layers.append((call, fan_in, fan_out))
    if not layers:
        return
    trained = file_trains(ctx)
    if trained is None:
        return
    for call, fan_in, fan_out in layers:
        weights = fan_in * fan_out
        ctx.report(
            "GL306", call.func,
            f"`{call_name(call)}({fan_in:,} -> {fan_out:,})` holds {weights / 1e6:,.1f} M weights "
            f"({weights * 4 / 2**20:,.0f} MiB in float32) and is trained in this file (line {trained.lineno}); every "
            f"step multiplies through all of them. Pruning or structured (2:4) sparsity, a low-rank factorisation, or "
            f"a mixture-of-experts layer does the same work with a fraction of the weights: Deep Compression (Han et al. "
            f"2016) pruned VGG-16's fully-connected layers to 4-23 % of their weights without accuracy loss, with "
            f"3-7x better energy efficiency for those layers.",
            impact={"in_features": fan_in, "out_features": fan_out, "weights": weights, "training_line": trained.lineno},
        )
