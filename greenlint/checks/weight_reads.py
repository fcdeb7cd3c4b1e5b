"""Uses of a model that read its weights or settings without running it on inputs (a
conversion, an export, a comparison of layers), for GL303. Not a rule.
"""
from __future__ import annotations

import ast

from ..frontends.pyast import walk
from ..frontends.python import PythonContext
from .run_order import reached_while_live
from .scoped_names import name_key


# What reads a model's weights or settings without running it on inputs.
_WEIGHT_READS = {"state_dict", "named_parameters", "parameters", "named_buffers", "config", "save_pretrained",
                 "push_to_hub", "num_parameters", "save_weights", "get_weights"}


# Builtins that tell what an object is without running it.
_INTROSPECTIONS = {"type", "isinstance", "id", "dir", "vars", "hasattr"}


def weights_only(ctx: PythonContext, keys: set[str], live: list[ast.stmt] | None) -> bool:
    """Every use of the names while they hold the model (`live`: until `model = Net()` rebinds
    them) reads its weights or settings (`model.state_dict()`, `model.save_pretrained(out)`): a
    conversion or export that never runs the checkpoint on inputs."""
    uses = [n for n in ctx.nodes_of(ast.Name) if isinstance(n.ctx, ast.Load) and name_key(ctx, n) in keys]  # type: ignore[attr-defined]
    uses = [n for n in uses if live is None or reached_while_live(ctx, n, live, keys)]
    return bool(uses) and all(_reads_weights(ctx, use) for use in uses)


def _reads_weights(ctx: PythonContext, use: ast.Name, depth: int = 0) -> bool:
    """`model.state_dict()`, `model.config.hidden_size`; or `compare_layers(model)` of a function
    of the file whose every use of that parameter reads weights (a few helpers deep)."""
    chain: list[str] = []
    node = ctx.parent(use)
    while isinstance(node, ast.Attribute):
        chain.append(node.attr)
        node = ctx.parent(node)
    if _WEIGHT_READS & set(chain):
        return True
    call = ctx.parent(use)
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in _INTROSPECTIONS \
            and use in call.args:
        return True  # `type(model)`: what it is, not what it computes
    received = ctx.receiving_parameter(call, use) if isinstance(call, ast.Call) and depth <= 2 else None
    if received is None:
        return False
    function, param = received
    reads = [n for n in walk(function) if isinstance(n, ast.Name) and n.id == param and isinstance(n.ctx, ast.Load)]
    return bool(reads) and all(_reads_weights(ctx, n, depth + 1) for n in reads)
