"""Which of two nodes runs first, read from straight-line code: from each, outwards through the
statement lists that hold it and, from inside a function of the file, on through each call of that
function, up to the statement list that holds both."""
from __future__ import annotations

import ast

from ..frontends.pyast import statement_path
from ..frontends.python import PythonContext

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_DEPTH = 4  # calls followed outwards
_PATHS = 8  # call paths followed at most; more and the order is left unknown

Chain = list[tuple[int, int]]


def _chains(ctx: PythonContext, node: ast.AST, depth: int = 0) -> list[Chain] | None:
    """For each way the code reaches `node`, (id of a statement list, index of the statement in
    it) from `node` outwards; None when there are too many ways to follow."""
    chain: Chain = []
    for parent, statements, index in statement_path(node, ctx.ancestors(node)):
        if statements is not None:
            chain.append((id(statements), index))
        if isinstance(parent, _FUNCTIONS):
            sites = ctx.call_sites(parent)
            if not sites or depth >= _DEPTH:
                return [chain]
            outer = [c for site in sites for c in (_chains(ctx, site, depth + 1) or [None])]
            if len(outer) > _PATHS or any(c is None for c in outer):
                return None
            return [chain + c for c in outer]  # type: ignore[operator]
    return [chain]


def _after(later: Chain, earlier: Chain) -> bool:
    earlier_at = dict(earlier)
    for statements, index in later:
        if statements in earlier_at:
            return index > earlier_at[statements]
    return False


def runs_after(ctx: PythonContext, later: ast.AST, earlier: ast.AST) -> bool:
    """`later` is reached after `earlier` however the code reaches each (`train(model)` then
    `model.load_state_dict(torch.load(best))` to test it; a helper called twice, then the load):
    in the first statement list that leads to both, later's statement comes after earlier's.
    False when the order is not shown (the same statement, no common list, too many paths)."""
    later_chains, earlier_chains = _chains(ctx, later), _chains(ctx, earlier)
    if not later_chains or not earlier_chains:
        return False
    return all(_after(a, b) for a in later_chains for b in earlier_chains)


_DUNDER_OR_HOOK = ("__",)  # methods the runtime calls by protocol (`__init__`, `__call__`)


def never_runs(ctx: PythonContext, node: ast.AST) -> bool:
    """`node` sits in a function or class of a script that the script never names: a notebook, or
    a file of module-level statements that call things (three or more) with no `__main__` block,
    whose own code is all that runs. A module of definitions, or a script with a `__main__` block
    (whose functions other files may import), keeps every function: they are its API."""
    if not _is_plain_script(ctx):
        return False
    named = ctx.memo("run_order.named", lambda: {n.id for n in ctx.nodes_of(ast.Name)}
                     | {n.attr for n in ctx.nodes_of(ast.Attribute)})  # type: ignore[attr-defined]
    for anc in ctx.ancestors(node):
        if isinstance(anc, ast.ClassDef) or isinstance(anc, _FUNCTIONS) \
                and not isinstance(ctx.parent(anc), ast.ClassDef):  # a method runs through its class
            if anc.name not in named and not anc.name.startswith(_DUNDER_OR_HOOK) and not anc.decorator_list:
                return True
    return False


def _is_plain_script(ctx: PythonContext) -> bool:
    if ctx.kind == "notebook":
        return True
    if ctx.has_main_block:
        return False
    calls = sum(isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) for s in ctx.tree.body)
    return calls >= 3
