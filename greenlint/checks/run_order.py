"""Which of two nodes runs first, read from straight-line code: from each, outwards through the
statement lists that hold it and, from inside a function of the file, on through the first call
of that function, up to the statement list that holds both."""
from __future__ import annotations

import ast

from ..frontends.python import PythonContext

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_DEPTH = 4  # calls followed outwards


def _anchors(ctx: PythonContext, node: ast.AST, depth: int = 0) -> list[tuple[int, int]]:
    """(id of a statement list, index of the statement in it) from `node` outwards."""
    chain: list[tuple[int, int]] = []
    child = node
    for parent in ctx.ancestors(node):
        for field in ("body", "orelse", "finalbody"):
            statements = getattr(parent, field, None)
            if isinstance(statements, list) and any(s is child for s in statements):
                chain.append((id(statements), next(i for i, s in enumerate(statements) if s is child)))
        if isinstance(parent, _FUNCTIONS):
            sites = ctx.call_sites(parent)
            if len(sites) == 1 and depth < _DEPTH:  # called from several places: no one order
                chain += _anchors(ctx, sites[0], depth + 1)
            return chain
        child = parent
    return chain


def runs_after(ctx: PythonContext, later: ast.AST, earlier: ast.AST) -> bool:
    """`later` is reached after `earlier` in the first statement list that leads to both
    (`train(model)` then `model.load_state_dict(torch.load(best))` to test it). False when the
    order is not shown (the same statement, or no common list)."""
    earlier_at = dict(_anchors(ctx, earlier))
    for statements, index in _anchors(ctx, later):
        if statements in earlier_at:
            return index > earlier_at[statements]
    return False
