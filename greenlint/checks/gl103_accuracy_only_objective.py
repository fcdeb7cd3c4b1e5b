"""GL103 accuracy-only-objective (off by default): a search that selects on one quality metric
and nothing else, so nothing steers it away from slower, costlier models for marginal gains.

- An Optuna study with a single `direction` whose objectives, all defined in the file, train a
  model and return one value naming a quality metric.
- A scikit-learn search given one `scoring` string and no custom `refit`.
"""
from __future__ import annotations

import ast
import re

from . import detector
from ..frontends.python import PythonContext, call_name, has_star_kwargs, kwarg
from .training_code import TrainingCode, training_code
from .search_values import (SKLEARN_SEARCHES, call_qual, follow, objective, optimize_calls, skip_tests,
                            walk_without_nested_defs)
from ..frontends.pyast import walk

CODE = "GL103"
_STUDY_FACTORIES = ("optuna.create_study", "optuna.study.create_study")
_QUALITY = re.compile(r"acc|accuracy|loss|f1|auc|roc|score|rmse|mse|mae|error|r2|precision|recall|perplexity|"
                      r"bleu|rouge|map|iou|dice|logloss", re.IGNORECASE)
_QUALITY_CALLS = re.compile(r"^(accuracy_score|f1_score|roc_auc_score|mean_squared_error|mean_absolute_error|"
                            r"r2_score|log_loss|precision_score|recall_score|balanced_accuracy_score|score|evaluate|"
                            r"cross_val_score)$")
_COST_WORDS = ("time", "energy", "latency", "duration", "flops", "params", "size")


@detector(CODE)
def accuracy_only_objective(ctx: PythonContext) -> None:
    if skip_tests(ctx, CODE):
        return
    training = training_code(ctx)
    for call in ctx.calls:
        q = call_qual(ctx, call)
        if q in _STUDY_FACTORIES:
            _single_objective_study(ctx, training, call)
        elif q in SKLEARN_SEARCHES:
            _single_score_search(ctx, call, q)  # type: ignore[arg-type]


def _returns_quality_only(fn: ast.AST) -> bool:
    """Every `return` gives one value and at least one names a quality metric."""
    returns = [n for n in walk_without_nested_defs(fn) if isinstance(n, ast.Return) and n.value is not None]
    if not returns:
        return False
    quality = False
    for ret in returns:
        value = ret.value
        if isinstance(value, (ast.Tuple, ast.List)):
            return False  # several objectives already
        if any(w in ast.unparse(value).lower() for w in _COST_WORDS):  # type: ignore[arg-type]
            return False
        quality = quality or _names_quality(value)  # type: ignore[arg-type]
    return quality


def _names_quality(value: ast.expr) -> bool:
    """A metric function is called (`accuracy_score(...)`) or a name, attribute or key names one."""
    names = [n.id for n in walk(value) if isinstance(n, ast.Name)] + \
            [n.attr for n in walk(value) if isinstance(n, ast.Attribute)] + \
            [n.value for n in walk(value) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    calls = [call_name(n) for n in walk(value) if isinstance(n, ast.Call)]
    return any(_QUALITY_CALLS.match(c) for c in calls) or any(isinstance(n, str) and _QUALITY.search(n) for n in names)


def _delegate(ctx: PythonContext, fn: ast.AST | None, depth: int = 3) -> ast.AST | None:
    """The function that computes an objective's value: an objective whose every return hands back
    another function of the file's result (`def func(trial): return optimization_objective(trial,
    X, y)`) is that function."""
    returns = [n.value for n in walk_without_nested_defs(fn) if isinstance(n, ast.Return)] if fn is not None else []
    inner = {r.func.id if isinstance(r, ast.Call) and isinstance(r.func, ast.Name) else None for r in returns}
    if depth and len(inner) == 1 and None not in inner \
            and (target := ctx.functions.get(next(iter(inner)))) is not None and target is not fn:  # type: ignore[arg-type]
        return _delegate(ctx, target, depth - 1)
    return fn


def _single_objective_study(ctx: PythonContext, training: TrainingCode, call: ast.Call) -> None:
    if kwarg(call, "directions") is not None or has_star_kwargs(call):
        return
    targets = [follow(ctx, objective(o), call) for o in optimize_calls(ctx, call)]
    fns = [_delegate(ctx, ctx.functions.get(f.id)) if isinstance(f, ast.Name) else None for f in targets]
    if not fns or any(f is None for f in fns):
        return
    if not all(training.function_trains(f) and _returns_quality_only(f) for f in fns):  # type: ignore[arg-type]
        return
    direction = ctx.literal(kwarg(call, "direction")) if kwarg(call, "direction") is not None else "minimize"
    ctx.report(CODE, call.func,
               f"the study optimises one quality metric ({direction}) and nothing else, so nothing steers "
               f"it away from slower, costlier models for marginal gains; use directions=[\"{direction}\", \"minimize\"] "
               f"and return training time or measured energy as the second objective",
               impact={"objectives": 1})


def _single_score_search(ctx: PythonContext, call: ast.Call, q: str) -> None:
    scoring = kwarg(call, "scoring")
    if scoring is None:
        return
    value = ctx.literal(scoring)
    if not isinstance(value, str):
        return
    refit = kwarg(call, "refit")
    if refit is not None and not isinstance(ctx.literal(refit), bool):
        return  # refit=callable / metric name: the author already chooses beyond the score
    cls = (q or "").rsplit(".", 1)[-1]
    ctx.report(CODE, call.func,
               f"{cls} selects on scoring={value!r} alone; pass refit=a callable that picks the cheapest "
               f"candidate within one standard deviation of the best score (cv_results_['mean_fit_time'])",
               impact={"objectives": 1})
