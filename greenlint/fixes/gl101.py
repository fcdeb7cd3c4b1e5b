"""GL101 exhaustive-grid-search: `GridSearchCV(est, grid, ...)` -> `RandomizedSearchCV(est, grid,
n_iter=<the sample the message proposes>, ...)`.

Unsafe: a random sample of the grid may miss the best point, and the sample changes from run to
run unless `random_state` is set. Only for grids whose size the detector knows, and only where
the sample is smaller than the grid. The grid itself is kept: RandomizedSearchCV takes the same
dict (or list of dicts) of lists and samples it without replacement.
"""
from __future__ import annotations

import ast

from ..finding import Edit, Fix
from ..frontends.python import PythonContext, kwarg
from .edits import end_of, existing_spelling, identifier_used, import_name, rename_keyword, replace_attribute

# Modules whose GridSearchCV has a RandomizedSearchCV next to it with the same arguments plus n_iter.
MODULES = ("sklearn.model_selection", "sklearn.grid_search", "dask_ml.model_selection")


def randomized_search(ctx: PythonContext, call: ast.Call, candidates: int | None, n: int | None) -> Fix | None:
    """`n` is the sample the finding's message proposes (the rule's `suggested-iterations`, or
    `suggested-fraction` of a small grid): the fix writes what the message says."""
    if candidates is None or n is None or n >= candidates:
        return None  # a sample as large as the grid saves nothing
    if ctx.qualname(call.func) not in {f"{m}.GridSearchCV" for m in MODULES}:
        return None
    if len(call.args) > 2 or any(isinstance(a, ast.Starred) for a in call.args) or kwarg(call, "n_iter") is not None:
        return None  # positional arguments after the grid mean different things in the two classes
    keyword = next((k for k in call.keywords if k.arg == "param_grid"), None)
    grid: ast.AST | None = call.args[1] if len(call.args) == 2 else keyword
    callee = _callee(ctx, call)
    if grid is None or callee is None:
        return None
    edits = [*callee, end_of(ctx, grid, f", n_iter={n}")]
    if keyword is not None:
        edits.append(rename_keyword(ctx, keyword, "param_distributions"))
    return Fix(f"sample {n} of the {candidates} grid points with RandomizedSearchCV(n_iter={n})", "unsafe", tuple(edits))


def _callee(ctx: PythonContext, call: ast.Call) -> list[Edit] | None:
    """The edits that make the callee RandomizedSearchCV: the attribute of `ms.GridSearchCV`; for
    an imported name, the file's own spelling of RandomizedSearchCV, else the import's name
    itself when this call is its only use, else RandomizedSearchCV imported next to it."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return [replace_attribute(ctx, func, "RandomizedSearchCV")] if func.attr == "GridSearchCV" else None
    if not isinstance(func, ast.Name):
        return None
    binding = _binding(ctx, func.id)
    if binding is None:
        return None
    statement, alias = binding
    module = statement.module or ""
    spelled = existing_spelling(ctx, [f"{module}.RandomizedSearchCV"])
    if spelled is not None:
        return [ctx.edit_replace(func, spelled)]
    if not identifier_used(ctx, "RandomizedSearchCV"):
        if _uses(ctx, func.id) == 1:
            return [ctx.edit_replace(alias, "RandomizedSearchCV"), ctx.edit_replace(func, "RandomizedSearchCV")]
        if statement in ctx.tree.body and all(a.name != "*" for a in statement.names):  # next to GridSearchCV
            return [end_of(ctx, statement.names[-1], ", RandomizedSearchCV"), ctx.edit_replace(func, "RandomizedSearchCV")]
    found = import_name(ctx, module, "RandomizedSearchCV", call)
    if found is None:
        return None
    spelled, edits = found
    return [*edits, ctx.edit_replace(func, spelled)]


def _binding(ctx: PythonContext, local: str) -> tuple[ast.ImportFrom, ast.alias] | None:
    """The one `from m import GridSearchCV [as local]` that binds `local`."""
    found = [(node, alias) for node in ctx.nodes_of(ast.ImportFrom) for alias in node.names  # type: ignore[attr-defined]
             if (alias.asname or alias.name) == local]
    if len(found) != 1 or found[0][1].name != "GridSearchCV" or ctx.scopes.count.get(local, 0) > 1:
        return None
    return found[0]  # type: ignore[return-value]


def _uses(ctx: PythonContext, name: str) -> int:
    return sum(1 for node in ctx.nodes_of(ast.Name) if node.id == name)  # type: ignore[attr-defined]
