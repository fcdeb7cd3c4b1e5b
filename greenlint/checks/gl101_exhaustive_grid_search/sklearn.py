"""GL101 for scikit-learn style searches: GridSearchCV (and dask-ml's, tune-sklearn's),
HalvingGridSearchCV, ParameterGrid, and CatBoost's `model.grid_search`."""
from __future__ import annotations

import ast
from typing import Any

from ...finding import Severity
from ...fixes import gl101 as gl101_fixes
from ...frontends.python import PythonContext, arg, call_name, has_star_kwargs, kwarg
from ..search_space import grid_keys, grid_size, known_axes_product, single_axis
from ..search_values import PARAMETER_GRID, SKLEARN_GRID, SKLEARN_HALVING_GRID, call_qual, fmt, origin_calls
from .common import CODE, cost_text, folds, in_method, suggestion

CATBOOST_MODELS = {"catboost.CatBoost", "catboost.CatBoostClassifier", "catboost.CatBoostRegressor",
                   "catboost.CatBoostRanker"}
_CATBOOST_DEFAULT_CV = 3


def _passed_through(ctx: PythonContext, grid: ast.AST | None, call: ast.Call, candidates: int | None,
                    min_candidates: int) -> bool:
    """Not this code's own exhaustive search: a grid below `min-candidates`, over one axis, or a
    grid a method passes through from its caller (see in_method)."""
    if candidates is not None and candidates < min_candidates:
        return True
    if single_axis(ctx, grid, call):
        return True
    return candidates is None and grid_keys(ctx, grid, call) is None and in_method(ctx, call)


def sklearn_searches(ctx: PythonContext, opts: dict[str, Any]) -> None:
    for call in ctx.calls:
        q = call_qual(ctx, call)
        halving = q in SKLEARN_HALVING_GRID
        if q not in SKLEARN_GRID and not halving or not ctx.runs_by_default(call, options=False):
            continue  # not a grid search, or one the code's own values rule out (`if cvtype == "grid":`)
        grid = arg(call, 1, "param_grid")
        if has_star_kwargs(call) and grid is None:
            continue
        candidates = grid_size(ctx, grid, call)
        if _passed_through(ctx, grid, call, candidates, int(opts["min-candidates"])):
            continue
        n_folds, note = folds(ctx, kwarg(call, "cv"), int(opts["default-cv"]), call)
        cls = q.rsplit(".", 1)[-1] if q else "GridSearchCV"
        if halving:
            _report_halving(ctx, opts, call, cls, candidates, n_folds)
            continue
        text, impact = cost_text(opts, candidates, n_folds, note, "RandomizedSearchCV(n_iter={n})",
                                 at_least=known_axes_product(ctx, grid, call) if candidates is None else None)
        message = (f"{cls} trains every combination of the grid: {text}; HalvingRandomSearchCV or Optuna's "
                   f"TPE sampler spend a similar budget more wisely")
        ctx.report(CODE, call.func, message, impact=impact, fix=gl101_fixes.randomized_search(ctx, call, candidates, impact.get("suggested_iterations")))


def _report_halving(ctx: PythonContext, opts: dict[str, Any], call: ast.Call, cls: str, candidates: int | None,
                    n_folds: int | None) -> None:
    k = suggestion(opts, candidates)
    impact: dict[str, Any] = {"suggested_iterations": k}
    if candidates is not None:
        impact.update(candidates=candidates, saving_fraction=round(1 - k / candidates, 3))
    if n_folds is not None:
        impact["folds"] = n_folds
    size = f"all {fmt(candidates)} grid points" if candidates is not None else "every grid point"
    message = (f"{cls} already discards weak candidates early, but still starts {size} "
               f"(x {n_folds if n_folds is not None else 'the'} folds) in its first round; "
               f"HalvingRandomSearchCV(n_candidates={k}) samples the space instead and starts fewer")
    ctx.report(CODE, call.func, message, impact=impact, severity=Severity.NOTE)


def parameter_grids(ctx: PythonContext, opts: dict[str, Any]) -> None:
    for call in ctx.calls_to(*PARAMETER_GRID):
        grid = arg(call, 0, "param_grid")
        candidates = grid_size(ctx, grid, call)
        if _passed_through(ctx, grid, call, candidates, int(opts["min-candidates"])) or _sampled(ctx, call):
            continue
        text, impact = cost_text(opts, candidates, None, "", "ParameterSampler(space, n_iter={n})", unit="settings")
        ctx.report(CODE, call.func, f"ParameterGrid enumerates every combination: {text}", impact=impact)


_SAMPLERS = {"sample", "choice", "choices"}


def _sampled(ctx: PythonContext, call: ast.Call) -> bool:
    """The grid's points are drawn at random (`random.sample(list(ParameterGrid(space)), 100)`,
    `np.random.choice(grid, 20)`): a random search over the grid, not every combination."""
    node, parent = call, ctx.parent(call)
    if isinstance(parent, ast.Call) and call_name(parent) == "list" and parent.args and parent.args[0] is call:
        node, parent = parent, ctx.parent(parent)
    names = {t.id for t in parent.targets if isinstance(t, ast.Name)} if isinstance(parent, ast.Assign) else set()
    for sampler in ctx.calls:
        population = sampler.args[0] if sampler.args else None
        if call_name(sampler).rsplit(".", 1)[-1] in _SAMPLERS and population is not None and (
                population is node or isinstance(population, ast.Name) and population.id in names):
            return True
    return False


def catboost_grids(ctx: PythonContext, opts: dict[str, Any]) -> None:
    for call in ctx.calls:
        if not (isinstance(call.func, ast.Attribute) and call.func.attr == "grid_search"):
            continue
        origins = origin_calls(ctx, call.func.value, call)
        if not origins or not all(call_qual(ctx, o) in CATBOOST_MODELS for o in origins):
            continue
        candidates = grid_size(ctx, arg(call, 0, "param_grid"), call)
        if candidates is not None and candidates < int(opts["min-candidates"]):
            continue
        split = kwarg(call, "search_by_train_test_split")
        if split is None or ctx.literal(split) is True:
            n_folds, note = None, "one train/test split per candidate"
        else:
            n_folds, note = folds(ctx, kwarg(call, "cv"), _CATBOOST_DEFAULT_CV, call)
        text, impact = cost_text(opts, candidates, n_folds, note, "model.randomized_search(space, n_iter={n})",
                                 unit="trainings")
        ctx.report(CODE, call.func, f"CatBoost grid_search trains every combination of the grid: {text}",
                   impact=impact)
