"""GL201 for boosting and scikit-learn: `xgboost.train`, `lightgbm.train`, the XGBoost, LightGBM
and CatBoost estimators' `fit(eval_set=...)`, and scikit-learn's gradient boosting and MLPs.
"""
from __future__ import annotations

import ast
import re
from typing import Any

from ...finding import Fix, Severity
from ...fixes import gl201 as fixes
from ...frontends.python import UNKNOWN, PythonContext
from .common import Callbacks, LGB_ES, XGB_ES, check_patience, check_rounds, library_instantiates, report_epochs
from ..training_facts import is_train_name
from ..training_values import Args, MISSING, const_of, constructor, ctor_name, dict_entries, fmt, is_none, name_mutated, number_of, same_ref, scope_of


XGB_ESTIMATORS = {"XGBClassifier", "XGBRegressor", "XGBRanker", "XGBModel"}


LGB_ESTIMATORS = {"LGBMClassifier", "LGBMRegressor", "LGBMRanker", "LGBMModel"}


CB_ESTIMATORS = {"CatBoostClassifier", "CatBoostRegressor", "CatBoostRanker", "CatBoost"}


LGB_ROUND_ALIASES = (
    "num_iterations", "num_iteration", "n_iter", "num_tree", "num_trees", "num_round", "num_rounds",
    "nrounds", "num_boost_round", "n_estimators", "max_iter",
)


LGB_ES_KEYS = ("early_stopping_round", "early_stopping_rounds", "early_stopping", "n_iter_no_change")


CB_ROUND_KEYS = ("iterations", "n_estimators", "num_boost_round", "num_trees")


CB_ES_KEYS = ("early_stopping_rounds", "od_type", "od_wait", "od_pval")


def _boost_kind(ctx: PythonContext, ctor: ast.Call | None) -> str | None:
    name = ctor_name(ctx, ctor)
    if name is None:
        return None
    if name.startswith("<local>"):
        bases = name.split(":", 1)[1].split(",")
        name = bases[0] if bases and bases[0] else ""
    last = name.rsplit(".", 1)[-1]
    if name.startswith("xgboost.") and last in XGB_ESTIMATORS:
        return "xgboost"
    if name.startswith("lightgbm.") and last in LGB_ESTIMATORS:
        return "lightgbm"
    if name.startswith("catboost.") and last in CB_ESTIMATORS:
        return "catboost"
    return None


def _eval_is_validation(ctx: PythonContext, evals: Any, train: Any, scope: ast.AST) -> bool:
    """True when an eval set holds something other than the training data."""
    if evals in (UNKNOWN, MISSING) or evals is None or is_none(evals):
        return False
    node = ctx.expression_of(evals, scope)
    if node is None:
        # a name bound out of sight (another cell, a loader helper): it is held-out data unless
        # it is the training data or named like it
        return isinstance(evals, ast.Name) and not same_ref(evals, train) and not is_train_name(evals.id)
    if isinstance(node, ast.Call) or (isinstance(node, (ast.Name, ast.Attribute)) and not isinstance(node, ast.Name)):
        return not same_ref(node, train)  # a single Pool / DMatrix / Dataset
    if isinstance(node, ast.Name):
        return not same_ref(node, train)
    if not isinstance(node, (ast.List, ast.Tuple)):
        return False
    elements = node.elts
    if not elements:
        return False
    # `(X_val, y_val)` as a bare tuple (CatBoost) or a list of them / of datasets
    if isinstance(node, ast.Tuple) and len(elements) == 2 and not any(isinstance(e, ast.Tuple) for e in elements):
        return not same_ref(elements[0], train)
    for element in elements:
        first = element.elts[0] if isinstance(element, ast.Tuple) and element.elts else element
        if isinstance(first, ast.Starred):
            return False
        if not same_ref(first, train):
            return True
    return False


def check_boosting(ctx: PythonContext, min_rounds: int) -> None:
    uses = {lib: ctx.imports.uses(lib) for lib in ("xgboost", "lightgbm", "catboost")}
    if not any(uses.values()):
        return
    nets = {
        "xgboost": uses["xgboost"] and library_instantiates(ctx, XGB_ES),
        "lightgbm": uses["lightgbm"] and library_instantiates(ctx, LGB_ES),
        "catboost": False,
    }
    for call in ctx.calls:
        qual = ctx.qualname(call.func)
        # with an early-stopping object built somewhere in the file (the safety net), only
        # early stopping that cannot fire, or a run it cannot reach, is reported
        if qual == "xgboost.train":
            _xgb_train(ctx, call, min_rounds, nets["xgboost"])
        elif qual == "lightgbm.train":
            _lgb_train(ctx, call, min_rounds, nets["lightgbm"])
        elif isinstance(call.func, ast.Attribute) and call.func.attr == "fit":
            scope = scope_of(ctx, call)
            ctor = constructor(ctx, call.func.value, scope)
            kind = _boost_kind(ctx, ctor)
            if kind is None:
                continue
            recv = call.func.value
            if isinstance(recv, ast.Name) and name_mutated(ctx, recv.id, scope, {"set_params"}):
                continue
            _boost_fit(ctx, call, ctor, kind, min_rounds, nets[kind])


def _may_be_handed_callbacks(call: ast.Call, a: Args, first_optional: int) -> bool:
    """The file's early-stopping object (the safety net) can reach a functional `train` call
    only through its callbacks: a `callbacks=` the code does not resolve, a `**` mapping, or the
    positional arguments past the common ones. A call that passes none trains every round."""
    return a.opaque or a.get("callbacks") is not MISSING or len(call.args) >= first_optional


def _xgb_train(ctx: PythonContext, call: ast.Call, min_rounds: int, net: bool) -> None:
    scope = scope_of(ctx, call)
    a = Args(ctx, call, scope)
    evals = a.get("evals", 3)
    if not _eval_is_validation(ctx, evals, a.get("dtrain", 1), scope):
        return
    rounds_expr = a.get("num_boost_round", 2)
    if rounds_expr is UNKNOWN:
        return
    rounds = 10 if rounds_expr is MISSING else number_of(ctx, rounds_expr, scope)  # xgb.train's default is 10
    if rounds is None or rounds < min_rounds:
        return
    es = a.get("early_stopping_rounds")
    if es is UNKNOWN or (es is not MISSING and not is_none(es)):
        check_rounds(ctx, call.func, es, scope, rounds, "early_stopping_rounds", "xgboost")
        return
    params = a.get("params", 0)
    # xgb.train reads early stopping and the round count from its own arguments, not from
    # params, so opaque params do not hide either
    entries = dict_entries(ctx, params, scope) if params not in (UNKNOWN, MISSING) else {}
    if entries and "early_stopping_rounds" in entries:
        return
    callbacks = Callbacks(ctx, XGB_ES, scope)
    if callbacks.verdict(a.get("callbacks")) is not False:
        check_patience(ctx, call.func, callbacks, rounds, "xgb.callback.EarlyStopping rounds", "xgboost",
                        unit="boosting rounds")
        return
    if net and _may_be_handed_callbacks(call, a, 6):
        return
    report_epochs(ctx, call.func, rounds, "evals", "xgboost", "xgboost.train", unit="boosting rounds",
                  fix=fixes.xgboost_train(ctx, call, evals, a.get("dtrain", 1)))


def _lgb_train(ctx: PythonContext, call: ast.Call, min_rounds: int, net: bool) -> None:
    scope = scope_of(ctx, call)
    a = Args(ctx, call, scope)
    if not _eval_is_validation(ctx, a.get("valid_sets", 3), a.get("train_set", 1), scope):
        return
    params = a.get("params", 0)
    entries = dict_entries(ctx, params, scope) if params not in (UNKNOWN, MISSING) else {}
    if entries is None:
        return
    rounds_expr: Any = next((entries[k] for k in LGB_ROUND_ALIASES if k in entries), MISSING)
    if rounds_expr is MISSING:  # params take precedence over the argument
        rounds_expr = a.get("num_boost_round", 2)
    if rounds_expr is UNKNOWN:
        return
    rounds = 100 if rounds_expr is MISSING else number_of(ctx, rounds_expr, scope)
    if rounds is None or rounds < min_rounds:
        return
    es = a.get("early_stopping_rounds", 10 if len(call.args) > 10 else None)
    if es is UNKNOWN or (es is not MISSING and not is_none(es)):
        check_rounds(ctx, call.func, es, scope, rounds, "early_stopping_rounds", "lightgbm")
        return
    for key in LGB_ES_KEYS:
        if key in entries:
            value = const_of(ctx, entries[key], scope)
            if not (isinstance(value, (int, float)) and not isinstance(value, bool) and value <= 0) and value is not False:
                if key.startswith("early_stopping_round"):
                    check_rounds(ctx, call.func, entries[key], scope, rounds, key, "lightgbm")
                return
    callbacks = Callbacks(ctx, LGB_ES, scope)
    if callbacks.verdict(a.get("callbacks")) is not False:
        check_patience(ctx, call.func, callbacks, rounds, "lgb.early_stopping stopping_rounds", "lightgbm",
                        unit="boosting rounds")
        return
    if net and _may_be_handed_callbacks(call, a, 6):
        return
    report_epochs(ctx, call.func, rounds, "valid_sets", "lightgbm", "lightgbm", unit="boosting rounds",
                  fix=fixes.lightgbm_callback(ctx, call))


_BOOST_ROUND_KEYS = {"xgboost": ("n_estimators",), "lightgbm": LGB_ROUND_ALIASES, "catboost": CB_ROUND_KEYS}


_BOOST_DEFAULT_ROUNDS = {"xgboost": 100, "lightgbm": 100, "catboost": 1000}


# where a boosting estimator takes early stopping, round counts (whose value is checked) first
_BOOST_STOP_KEYS = {
    "xgboost": (("early_stopping_rounds",), ("early_stopping_rounds",)),  # (constructor, fit)
    "lightgbm": (LGB_ES_KEYS, ("early_stopping_rounds",)),
    "catboost": (("early_stopping_rounds", "od_wait", "od_type", "od_pval"),) * 2,
}


_BOOST_ES = {"xgboost": XGB_ES, "lightgbm": LGB_ES, "catboost": set()}


_ROUND_SETTINGS = {"early_stopping_rounds", "early_stopping_round", "od_wait"}


def _boost_fit(ctx: PythonContext, fit: ast.Call, ctor: ast.Call, kind: str, min_rounds: int, net: bool) -> None:
    scope = scope_of(ctx, fit)
    fa = Args(ctx, fit, scope)
    cscope = scope_of(ctx, ctor)
    ca = Args(ctx, ctor, cscope)
    if fa.opaque or ca.opaque or ctor.args:
        return  # positional constructor arguments: unusual, cannot tell
    if not _eval_is_validation(ctx, fa.get("eval_set"), fa.get("X", 0), scope):
        return
    if kind == "xgboost" and "RF" in (ctor_name(ctx, ctor) or ""):
        return
    if kind == "catboost" and ca.get("params") is not MISSING:
        return
    rounds_expr = ca.first(_BOOST_ROUND_KEYS[kind])
    if rounds_expr is UNKNOWN:
        return
    rounds = _BOOST_DEFAULT_ROUNDS[kind] if rounds_expr is MISSING else number_of(ctx, rounds_expr, cscope)
    if rounds is None or rounds < min_rounds:
        return
    if _boost_stops(ctx, fit.func, kind, ((ca, cscope), (fa, scope)), rounds) or net:
        return
    report_epochs(ctx, fit.func, rounds, "eval_set", kind, kind, unit="boosting rounds",
                  fix=_boost_fix(ctx, fit, ctor, kind, fa))


def _boost_fix(ctx: PythonContext, fit: ast.Call, ctor: ast.Call, kind: str, fa: Args) -> Fix | None:
    if kind == "xgboost":
        return fixes.xgboost_estimator(ctx, ctor, fa.get("eval_set"), fa.get("X", 0))
    return fixes.lightgbm_callback(ctx, fit) if kind == "lightgbm" else fixes.catboost_fit(ctx, fit)


def _boost_stops(ctx: PythonContext, node: ast.AST, kind: str, sources: tuple, rounds: float) -> bool:
    """The estimator is given early stopping (or may be); early stopping whose round count is
    not below the run's rounds is reported as missing."""
    for (a, s), keys in zip(sources, _BOOST_STOP_KEYS[kind]):
        for key in keys:
            if a.sets(key):
                if key in _ROUND_SETTINGS:
                    check_rounds(ctx, node, a.get(key), s, rounds, key, kind)
                return True
    # XGBoost takes callbacks in the constructor (>= 2) or in fit; LightGBM and CatBoost in fit
    for a, s in sources if kind == "xgboost" else sources[1:]:
        callbacks = Callbacks(ctx, _BOOST_ES[kind], s)
        if callbacks.verdict(a.get("callbacks")) is not False:
            check_patience(ctx, node, callbacks, rounds, "early stopping callback rounds", kind, unit="boosting rounds")
            return True
    return False


_SKLEARN_ITERATIVE = ("GradientBoostingClassifier", "GradientBoostingRegressor", "HistGradientBoostingClassifier",
                      "HistGradientBoostingRegressor", "MLPClassifier", "MLPRegressor")


def check_sklearn(ctx: PythonContext, min_rounds: int) -> None:
    if not ctx.imports.uses("sklearn"):
        return
    searched = _searched_round_counts(ctx)
    for call in ctx.calls:
        qual = ctx.qualname(call.func)
        if not qual or not qual.startswith("sklearn."):
            continue
        last = qual.rsplit(".", 1)[-1]
        if last not in _SKLEARN_ITERATIVE:
            continue
        scope = scope_of(ctx, call)
        a = Args(ctx, call, scope)
        if a.opaque or call.args or _ROUND_KEYS[last] in searched.varied_for(_model_key(ctx, call)):
            continue
        if last.startswith("GradientBoosting"):
            _gradient_boosting(ctx, call, a, scope, min_rounds)
        elif last.startswith("HistGradientBoosting"):
            _hist_gradient_boosting(ctx, call, a, scope, min_rounds)
        else:
            _mlp(ctx, call, a, scope)


_ROUND_COUNT_KEY = re.compile(r"(?:^|__)(n_estimators|max_iter)$")
# The parameter that counts each estimator's rounds or epochs.
_ROUND_KEYS = {"GradientBoostingClassifier": "n_estimators", "GradientBoostingRegressor": "n_estimators",
               "HistGradientBoostingClassifier": "max_iter", "HistGradientBoostingRegressor": "max_iter",
               "MLPClassifier": "max_iter", "MLPRegressor": "max_iter"}


class _SearchedRounds:
    """The round counts the file's searches vary, file-wide and per model name: a grid that is the
    value of a model's key in a dict of grids (`{"random_forest": {"n_estimators": [50, 100]}}`)
    varies that model's count only."""

    def __init__(self) -> None:
        self.anywhere: set[str] = set()
        self.by_model: dict[str, set[str]] = {}

    def varied_for(self, model: str | None) -> set[str]:
        """The counts varied for the model held under `model` in a dict of models (None: a model
        that is not, whose grid may be any of them)."""
        if model is None:
            return self.anywhere.union(*self.by_model.values())
        return self.anywhere | self.by_model.get(model, set())


def _model_key(ctx: PythonContext, node: ast.AST) -> str | None:
    """`{"gradient_boosting": GradientBoostingClassifier(), ...}`: the key the model is held under."""
    holder = ctx.parent(node)
    if not isinstance(holder, ast.Dict):
        return None
    key = next((k for k, v in zip(holder.keys, holder.values) if v is node), None)
    return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None


def _searched_round_counts(ctx: PythonContext) -> _SearchedRounds:
    """The round counts a search of the file varies (`n_estimators`, `max_iter`), which makes an
    estimator's own count of that name meaningless: the key maps to several values in a dict
    (`{"n_estimators": [100, 500]}`, a distribution), or names a sampled parameter
    (`trial.suggest_int("n_estimators", ...)`). A params dict that sets it to one number
    (`{"n_estimators": 500}`) is the count itself. A search over an XGBoost grid's `n_estimators`
    leaves an MLP's `max_iter` what it is, and a grid held under another model's name
    (`{"random_forest": {"n_estimators": [...]}}`) leaves a gradient boosting model held under
    its own name what it is."""
    searched = _SearchedRounds()
    for node in ctx.walk():
        if isinstance(node, ast.Dict):
            varied = {found.group(1) for k, v in zip(node.keys, node.values)
                      if isinstance(k, ast.Constant) and isinstance(k.value, str) and not isinstance(v, ast.Constant)
                      and (found := _ROUND_COUNT_KEY.search(k.value))}
            model = _model_key(ctx, node) if varied else None
            (searched.by_model.setdefault(model, set()) if model else searched.anywhere).update(varied)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str) and (found := _ROUND_COUNT_KEY.search(node.args[0].value)):
            searched.anywhere.add(found.group(1))
    return searched


def _gradient_boosting(ctx: PythonContext, call: ast.Call, a: Args, scope: ast.AST, min_rounds: int) -> None:
    if a.sets("n_iter_no_change"):
        return
    n_expr = a.get("n_estimators")
    n = 100 if n_expr is MISSING else number_of(ctx, n_expr, scope)  # scikit-learn's default
    if n is None or n < min_rounds:
        return
    # the default 100 rounds is a note: nobody chose that budget, but it is still spent in full
    chosen = n_expr is not MISSING
    ctx.report(
        "GL201", call.func,
        f"trains {fmt(n)} boosting rounds{'' if chosen else ' (the default n_estimators)'} and never checks a "
        f"held-out score; set n_iter_no_change=10 (with validation_fraction=0.1) to stop once the validation "
        f"score stops improving",
        impact={"library": "sklearn", "rounds": int(n)}, severity=None if chosen else Severity.NOTE,
    )


def _hist_gradient_boosting(ctx: PythonContext, call: ast.Call, a: Args, scope: ast.AST, min_rounds: int) -> None:
    es = const_of(ctx, a.get("early_stopping"), scope)
    if es is not False:
        return
    n_expr = a.get("max_iter")
    n = 100 if n_expr is MISSING else number_of(ctx, n_expr, scope)
    if n is None or n < min_rounds:
        return
    ctx.report(
        "GL201", call.func,
        f"trains {fmt(n)} boosting rounds with early_stopping=False; leave early_stopping at \"auto\" "
        f"or set it to True to stop once the validation score stops improving",
        impact={"library": "sklearn", "rounds": int(n)},
    )


def _mlp(ctx: PythonContext, call: ast.Call, a: Args, scope: ast.AST) -> None:
    """MLPs: the default already stops when the *training* loss stalls."""
    es = a.get("early_stopping")
    if es is not MISSING and const_of(ctx, es, scope) is not False:
        return
    solver = const_of(ctx, a.get("solver"), scope)
    if solver == "lbfgs" or a.get("solver") is not MISSING and not isinstance(solver, str):
        return
    n_expr = a.get("max_iter")
    if n_expr is MISSING:
        return
    n = number_of(ctx, n_expr, scope)
    if n is None or n <= 200:
        return  # only when raised above the library default of 200
    ctx.report(
        "GL201", call.func,
        f"runs up to {fmt(n)} epochs and stops only when the training loss stalls; set "
        f"early_stopping=True to hold out 10 % and stop when the validation score stops improving",
        impact={"library": "sklearn", "epochs": int(n)},
    )
