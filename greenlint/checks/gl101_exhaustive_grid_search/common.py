"""What the GL101 readers share: the cost of a grid in words and numbers, the cross-validation
folds of a search, the random-search budget to suggest, and which code is a library passing
its user's grid through rather than a search."""
from __future__ import annotations

import ast
import math
import re
from typing import Any

from ...frontends.python import PythonContext, arg, kwarg
from ..search_values import call_qual, fmt, follow, is_none, rule_options

CODE = "GL101"

# Loop variables with these names iterate over data, repetitions or bookkeeping, not
# hyper-parameters (`for dataset in ["mnist", "cifar10"]`).
NOT_HP_NAME = re.compile(
    r"(^|_)(data|dataset|datasets|ds|task|tasks|file|files|fname|filename|path|paths|dir|split|splits|"
    r"fold|folds|seed|seeds|run|runs|repeat|repeats|rep|reps|trial|trials|subject|subjects|lang|langs|"
    r"language|languages|env|envs|environment|city|country|year|month|day|col|column|columns|feature|"
    r"features|target|targets|metric|metrics|mode|phase|stage|device|gpu|gpus|i|j|k|idx|index|n_jobs|"
    r"verbose|attempt|iteration|iter|it|step|steps)($|_)",
    re.IGNORECASE,
)

DEFINED_SEARCH_CLASSES = {"GridSearchCV", "HalvingGridSearchCV", "ParameterGrid", "GridSampler",
                          "BruteForceSampler", "GridSearch", "GridSearchOracle", "BaseSearchCV",
                          "TuneGridSearchCV", "TuneSearchCV", "TuneBaseSearchCV"}

_CV_SPLITTERS = {  # canonical name -> (n_splits default, n_repeats default or None)
    "KFold": (5, None),
    "StratifiedKFold": (5, None),
    "GroupKFold": (5, None),
    "StratifiedGroupKFold": (5, None),
    "TimeSeriesSplit": (5, None),
    "ShuffleSplit": (10, None),
    "StratifiedShuffleSplit": (10, None),
    "GroupShuffleSplit": (5, None),
    "RepeatedKFold": (5, 10),
    "RepeatedStratifiedKFold": (5, 10),
}
FOLDS_UNKNOWN = "folds unknown"
_MAX_PRODUCT = 10**12


# --------------------------------------------------------------------------------------------
# which code searches

def in_method(ctx: PythonContext, node: ast.AST) -> bool:
    """Inside a class's method: with a grid whose keys the file does not spell out, this is a
    library or framework passing its user's grid through (RidgeCV's own GridSearchCV), not a
    search. A grid whose hyper-parameters are written here is this code's own search, even when
    the values of an axis are computed (`{"C": [1, 10], "k": range(1, n_features)}`)."""
    fn = ctx.enclosing_function(node)
    return fn is not None and isinstance(ctx.parent(fn), ast.ClassDef)


def defines_search_api(ctx: PythonContext) -> bool:
    """A file that defines GridSearchCV & co. is the library itself (or a re-implementation)."""
    return any(n.name in DEFINED_SEARCH_CLASSES for n in ctx.nodes_of(ast.ClassDef))  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------
# folds

def folds(ctx: PythonContext, cv: ast.AST | None, default: int, at: ast.AST) -> tuple[int | None, str]:
    """Cross-validation folds of a scikit-learn search, and how they were found."""
    if cv is None or is_none(cv):
        return default, f"default cv={default}"
    node = follow(ctx, cv, at)
    n = ctx.int_value(node)
    if n is not None:
        return n, f"cv={n}"
    if isinstance(node, ast.Call):
        q = call_qual(ctx, node) or ""
        base = q.rsplit(".", 1)[-1]
        if q.startswith("sklearn.") and base in _CV_SPLITTERS:
            return _splitter_folds(ctx, node, base)
    return None, FOLDS_UNKNOWN


def _splitter_folds(ctx: PythonContext, node: ast.Call, base: str) -> tuple[int | None, str]:
    """KFold(n_splits=...) and the repeated splitters (n_splits x n_repeats)."""
    splits_default, repeats_default = _CV_SPLITTERS[base]
    splits_node = arg(node, 0, "n_splits")
    splits = splits_default if splits_node is None else ctx.int_value(splits_node)
    if splits is None:
        return None, FOLDS_UNKNOWN
    if repeats_default is None:
        return splits, f"{base}(n_splits={splits})"
    repeats_node = kwarg(node, "n_repeats")
    repeats = repeats_default if repeats_node is None else ctx.int_value(repeats_node)
    if repeats is None:
        return None, FOLDS_UNKNOWN
    return splits * repeats, f"{base}: {splits} splits x {repeats} repeats"


# --------------------------------------------------------------------------------------------
# the cost in words

def suggestion(opts: dict[str, Any], candidates: int | None) -> int:
    """The random-search budget to propose: `suggested-iterations`, or a fraction of a small grid."""
    cap = int(opts["suggested-iterations"])
    if candidates is None:
        return cap
    fraction = float(opts["suggested-fraction"])
    # never below 2 on grids of 3+: one random draw is not a search
    return max(1, min(2, candidates - 1), min(cap, math.ceil(candidates * fraction)))


def cost_text(opts: dict[str, Any], candidates: int | None, n_folds: int | None, fold_note: str,
              alternative: str, unit: str = "fits", at_least: int | None = None) -> tuple[str, dict[str, Any]]:
    """'48 candidates x 5 folds = 240 fits; RandomizedSearchCV(n_iter=12) would cost 60 fits (75 % less)'."""
    if candidates is None:
        return _unknown_size_text(opts, alternative, at_least)
    impact: dict[str, Any] = {"candidates": candidates}
    k = suggestion(opts, candidates)
    size, fits, suggested = _grid_cost(candidates, k, n_folds, fold_note, unit, impact)
    saving = 1 - k / candidates
    impact.update(suggested_iterations=k, saving_fraction=round(saving, 3))
    if fold_note != FOLDS_UNKNOWN:
        impact["suggested_fits"] = suggested
    if n_folds is not None:
        per = f" x {n_folds} folds = {fmt(suggested)} {unit}"
    elif fold_note == FOLDS_UNKNOWN:
        per = " candidates (x the same folds)"
    else:
        per = f" {unit}"
    text = f"{size}; {alternative.format(n=k)} would cost {fmt(k)}{per} ({round(saving * 100)} % less)"
    if k == 1 and unit.endswith("s") and n_folds is None and fold_note != FOLDS_UNKNOWN:
        text = text.replace(f" 1 {unit} (", f" 1 {unit[:-1]} (")
    return text, impact


def _unknown_size_text(opts: dict[str, Any], alternative: str, at_least: int | None) -> tuple[str, dict[str, Any]]:
    k = suggestion(opts, None)
    impact: dict[str, Any] = {"suggested_iterations": k}
    floor = ""
    if at_least is not None and at_least >= 2:
        impact["candidates_at_least"] = at_least
        floor = f" (at least {fmt(at_least)} candidates from the axes written out)"
    return (f"the grid's size is not knowable statically{floor}; {alternative.format(n=k)} caps the search at "
            f"{k} candidates"), impact


def _grid_cost(candidates: int, k: int, n_folds: int | None, fold_note: str, unit: str,
               impact: dict[str, Any]) -> tuple[str, int, int]:
    """(the grid's cost in words, its fits, the suggested search's fits); records the numbers in `impact`."""
    if n_folds is not None:
        fits, suggested = candidates * n_folds, k * n_folds
        impact.update(folds=n_folds, fits=fits)
        return f"{fmt(candidates)} candidates x {n_folds} folds ({fold_note}) = {fmt(fits)} {unit}", fits, suggested
    if fold_note == FOLDS_UNKNOWN:
        impact["folds"] = "unknown"
        return f"{fmt(candidates)} candidates (x the cv folds, unknown here)", candidates, k
    impact["fits"] = candidates
    return f"{fmt(candidates)} candidates = {fmt(candidates)} {unit}", candidates, k


# --------------------------------------------------------------------------------------------
# tuning platforms: values per axis

def product(counts: list[int | None]) -> int | None:
    """The number of combinations, or None when an axis is unknown or the product is absurdly large."""
    if not counts or any(c is None for c in counts):
        return None
    total = 1
    for c in counts:
        total *= c  # type: ignore[operator]
        if total > _MAX_PRODUCT:
            return None
    return total


def report_platform_grid(ctx: Any, node: Any, platform: str, counts: list[int | None] | None, instead: str,
                         cap: int | None = None) -> None:
    """Report a tuning platform's grid strategy (`ctx`: a Python or config context, or one that
    maps config nodes back to Python). `counts`: values per axis (None in it: not
    knowable; None for all: the space is in another file); `cap`: the platform's trial limit (a
    grid larger than it is not searched exhaustively). A grid over one varying axis is not
    reported, as in Python: on one axis a random sample is only a coarser grid."""
    if counts is not None and sum(1 for c in counts if c != 1) < 2:
        return
    size = product(counts) if counts is not None else None
    if size is not None and size < int(rule_options(ctx, CODE)["min-candidates"]):
        return
    if cap is not None and (size is None or cap < size):
        return  # the platform stops after `cap` trials: not exhaustive, and no dearer than a capped random search
    count = f"all {size:,} combinations" if size is not None else "every combination"
    ctx.report(CODE, node, f"{platform} grid search trains {count} of the search space; {instead}",
               {"platform": platform, "candidates": size})
