"""Hyper-parameter search rules (GL1xx) for Python code.

GL101 exhaustive-grid-search, GL102 unbounded-search, GL103 accuracy-only-objective.

Everything here is static: names are resolved through the file's imports, objects are followed
through assignments in the same scope, and where the code does not make a fact knowable
(an objective defined elsewhere, a grid built at run time) the rules either stay silent or
report without numbers, never with guessed ones.
"""
from __future__ import annotations

import ast
import math
import re
from typing import Any, Iterable, Iterator

from . import detector
from ..finding import Fix, Severity
from ..frontends.python import UNKNOWN, PythonContext, arg, call_name, dotted, has_star_kwargs, kwarg
from ..fixes import gl101 as gl101_fixes

# --------------------------------------------------------------------------------------------
# API tables (canonical qualified names, as ctx.qualname gives them)

SKLEARN_GRID = {
    "sklearn.model_selection.GridSearchCV",
    "sklearn.grid_search.GridSearchCV",  # scikit-learn < 0.20
    "dask_ml.model_selection.GridSearchCV",
    "tune_sklearn.TuneGridSearchCV",
}
SKLEARN_HALVING_GRID = {"sklearn.model_selection.HalvingGridSearchCV"}
SKLEARN_RANDOM = {
    "sklearn.model_selection.RandomizedSearchCV",
    "sklearn.grid_search.RandomizedSearchCV",
    "sklearn.model_selection.HalvingRandomSearchCV",
    "dask_ml.model_selection.RandomizedSearchCV",
}
PARAMETER_GRID = {"sklearn.model_selection.ParameterGrid", "sklearn.grid_search.ParameterGrid"}
OPTUNA_GRID = {"optuna.samplers.GridSampler", "optuna.samplers._grid.GridSampler"}
OPTUNA_BRUTE = {"optuna.samplers.BruteForceSampler", "optuna.samplers._brute_force.BruteForceSampler"}
OPTUNA_STUDY_FACTORIES = {
    "optuna.create_study",
    "optuna.load_study",
    "optuna.study.create_study",
    "optuna.study.load_study",
    "optuna.Study",
    "optuna.study.Study",
    "optuna.multi_objective.create_study",  # Optuna 2
    "optuna.multi_objective.study.create_study",
}
CATBOOST_MODELS = {"catboost.CatBoost", "catboost.CatBoostClassifier", "catboost.CatBoostRegressor", "catboost.CatBoostRanker"}
KT_GRID = {"keras_tuner.GridSearch", "keras_tuner.tuners.GridSearch", "keras_tuner.tuners.gridsearch.GridSearch",
           "keras_tuner.oracles.GridSearchOracle", "keras_tuner.oracles.GridSearch"}
KT_UNBOUNDED_CANDIDATES = {"keras_tuner.RandomSearch", "keras_tuner.tuners.RandomSearch",
                           "keras_tuner.BayesianOptimization", "keras_tuner.tuners.BayesianOptimization",
                           "keras_tuner.oracles.RandomSearchOracle", "keras_tuner.oracles.BayesianOptimizationOracle",
                           "keras_tuner.oracles.RandomSearch", "keras_tuner.oracles.BayesianOptimization"}
RAY_RUN = {"ray.tune.run", "ray.tune.tune.run", "ray.tune.run_experiments"}
RAY_TUNER = {"ray.tune.Tuner", "ray.tune.tuner.Tuner"}
RAY_TUNE_CONFIG = {"ray.tune.TuneConfig", "ray.tune.tune_config.TuneConfig"}
RAY_WRAPPERS = {"ray.tune.with_parameters", "ray.tune.with_resources", "ray.tune.trainable.util.with_parameters"}

# Functions whose call is itself a training run (or k of them).
TRAIN_FUNCTIONS = {
    "sklearn.model_selection.cross_val_score",
    "sklearn.model_selection.cross_validate",
    "sklearn.model_selection.cross_val_predict",
    "sklearn.model_selection.learning_curve",
    "sklearn.model_selection.validation_curve",
    "sklearn.cross_validation.cross_val_score",  # scikit-learn < 0.20
    "xgboost.train",
    "xgboost.cv",
    "lightgbm.train",
    "lightgbm.cv",
    "catboost.train",
    "catboost.cv",
}
# `.fit()` on these only computes statistics (a scaler's mean); it is not a training run.
NOT_TRAINING_PREFIXES = ("sklearn.preprocessing.", "sklearn.feature_extraction.", "sklearn.impute.",
                         "sklearn.compose.", "sklearn.feature_selection.VarianceThreshold")
TRAINER_LIBS = ("transformers", "pytorch_lightning", "trl", "ray", "sentence_transformers", "setfit",
                "accelerate", "composer", "mmengine", "ignite", "detectron2", "ultralytics", "catalyst")

# Loop variables with these names iterate over data, repetitions or bookkeeping, not
# hyper-parameters (`for dataset in ["mnist", "cifar10"]`).
_NOT_HP_NAME = re.compile(
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


# --------------------------------------------------------------------------------------------
# small helpers (generic enough for python.py; kept here until the lead wants them)

def _scope_of(ctx: PythonContext, node: ast.AST) -> ast.AST:
    return ctx.enclosing_function(node) or ctx.tree


def _assigned_exprs(ctx: PythonContext, name: str, at: ast.AST) -> list[ast.expr]:
    """Values bound to `name` in the scope of `at`, falling back to module scope."""
    scope = _scope_of(ctx, at)
    values = ctx.local_assignments(scope).get(name)
    if values is None and scope is not ctx.tree and not _is_parameter(scope, name):
        values = ctx.local_assignments(ctx.tree).get(name)
    return list(values or [])


def _is_parameter(function: ast.AST, name: str) -> bool:
    args = function.args  # type: ignore[attr-defined]
    params = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
    return any(p.arg == name for p in params)


def _follow(ctx: PythonContext, node: ast.AST | None, at: ast.AST | None = None, depth: int = 0) -> ast.AST | None:
    """The expression a name stands for when it is bound exactly once, else the node itself."""
    while isinstance(node, ast.Name) and depth < 6:
        values = _assigned_exprs(ctx, node.id, at or node)
        if _mutated(ctx, node.id, at or node):
            return node
        if len(values) > 1:
            # a notebook rebinding `params` cell after cell: the binding that reaches this use
            from .training import _reaching
            bound, value = _reaching(ctx, node, _scope_of(ctx, node))
            values = [value] if bound and isinstance(value, ast.expr) else []
        if len(values) != 1 or not isinstance(values[0], ast.expr):
            return node
        node = values[0]
        depth += 1
    return node


def _mutated(ctx: PythonContext, name: str, at: ast.AST) -> bool:
    """`name[k] = v`, `name.update(...)`, `name.append(...)` in the scope: its value is not the literal."""
    scope = _scope_of(ctx, at)
    for node in ast.walk(scope):
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id == name:
                    return True
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("update", "append", "extend", "insert", "setdefault", "pop") and \
                    isinstance(node.func.value, ast.Name) and node.func.value.id == name:
                return True
    return False


def _qual(ctx: PythonContext, node: ast.AST | None) -> str | None:
    q = ctx.qualname(node) if node is not None else None
    if q and (q == "kerastuner" or q.startswith("kerastuner.")):  # keras-tuner < 1.0.3 package name
        q = "keras_tuner" + q[len("kerastuner"):]
    return q


def _call_qual(ctx: PythonContext, node: ast.AST | None) -> str | None:
    return _qual(ctx, node.func) if isinstance(node, ast.Call) else None


def _origin_calls(ctx: PythonContext, node: ast.AST | None, at: ast.AST | None = None) -> list[ast.Call]:
    """The constructor calls an object expression comes from (`m` in `m = CatBoostClassifier()`)."""
    if isinstance(node, ast.Call):
        return [node]
    if isinstance(node, ast.Name):
        values = _assigned_exprs(ctx, node.id, at or node)
        if values and all(isinstance(v, ast.Call) for v in values):
            return values  # type: ignore[return-value]
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        # self.model = CatBoostClassifier() anywhere in the class
        cls = ctx.enclosing_class(node)
        found = []
        if cls is not None:
            for sub in ast.walk(cls):
                if isinstance(sub, ast.Assign) and isinstance(sub.value, ast.Call):
                    for t in sub.targets:
                        if isinstance(t, ast.Attribute) and dotted(t) == f"self.{node.attr}":
                            found.append(sub.value)
        return found
    return []


def _is_none(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _fmt(n: float) -> str:
    return f"{n:,}" if isinstance(n, int) else f"{n:,.1f}"


def _header_end(ctx: PythonContext, loop: ast.For | ast.AsyncFor) -> tuple[int, int]:
    """1-based (line, column) just after the colon of a `for ... in ...:` header."""
    line = loop.iter.end_lineno or loop.lineno
    offset = loop.iter.end_col_offset or 0
    text = ctx.lines[line - 1] if 0 < line <= len(ctx.lines) else ""
    raw = text.encode("utf-8")
    colon = raw.find(b":", offset)
    if colon >= 0:
        offset = colon + 1
    return line, ctx.char_column(line, offset)


# --------------------------------------------------------------------------------------------
# grid sizes

def _axis_len(ctx: PythonContext, node: ast.AST | None, at: ast.AST, depth: int = 0) -> int | None:
    """How many values one axis of a grid holds, when the code says so."""
    if node is None or depth > 6:
        return None
    node = _follow(ctx, node, at)
    if isinstance(node, ast.Name) and _mutated(ctx, node.id, at):
        return None
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        if any(isinstance(e, ast.Starred) for e in node.elts):
            return None
        return len(node.elts)
    if isinstance(node, ast.ListComp) and len(node.generators) == 1 and not node.generators[0].ifs:
        return _axis_len(ctx, node.generators[0].iter, at, depth + 1)
    if isinstance(node, ast.Call):
        q = _call_qual(ctx, node) or ""
        fname = call_name(node)
        if isinstance(node.func, ast.Name) and node.func.id in ("list", "tuple", "sorted") and len(node.args) == 1:
            return _axis_len(ctx, node.args[0], at, depth + 1)
        if isinstance(node.func, ast.Name) and node.func.id == "range":
            values = ctx.literal(node, _scope_of(ctx, at) if _scope_of(ctx, at) is not ctx.tree else None)
            return len(values) if isinstance(values, list) else None
        if q.startswith(("numpy.", "torch.")) or q in ("numpy", "torch"):
            base = q.rsplit(".", 1)[-1]
            if base in ("logspace", "linspace", "geomspace"):
                num = arg(node, 2, "num") if base != "linspace" or q.startswith("numpy") else arg(node, 2, "steps")
                if q.startswith("torch"):
                    num = arg(node, 2, "steps")
                if num is None:
                    return 50 if q.startswith("numpy") else None
                n = ctx.int_value(num)
                return n if n is not None and n >= 0 else None
            if base == "arange":
                vals = [ctx.literal(a) for a in node.args[:3]]
                if vals and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals):
                    start, stop, step = (0, vals[0], 1) if len(vals) == 1 else (vals[0], vals[1], vals[2] if len(vals) > 2 else 1)
                    if step:
                        return max(0, math.ceil((stop - start) / step))
                return None
            if base in ("array", "asarray", "tensor") and node.args:
                return _axis_len(ctx, node.args[0], at, depth + 1)
        if fname == "grid_search" and (q.startswith("ray.tune") or not q):
            return None
    value = ctx.literal(node)
    if isinstance(value, (list, tuple, set)):
        return len(value)
    return None


def _dict_size(ctx: PythonContext, node: ast.AST, at: ast.AST) -> int | None:
    node = _follow(ctx, node, at)
    if isinstance(node, ast.Name) and _mutated(ctx, node.id, at):
        return None
    if isinstance(node, ast.Dict):
        total = 1
        for key, value in zip(node.keys, node.values):
            if key is None:  # **other: unknown axes
                return None
            n = _axis_len(ctx, value, at)
            if n is None:
                return None
            total *= n
        return total
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args:
        total = 1
        for kw in node.keywords:
            if kw.arg is None:
                return None
            n = _axis_len(ctx, kw.value, at)
            if n is None:
                return None
            total *= n
        return total
    value = ctx.literal(node)
    if isinstance(value, dict):
        total = 1
        for v in value.values():
            if not isinstance(v, (list, tuple, set)):
                return None
            total *= len(v)
        return total
    return None


def _grid_size(ctx: PythonContext, node: ast.AST | None, at: ast.AST) -> int | None:
    """Candidates of a scikit-learn style grid: a dict of lists, or a list of such dicts (summed)."""
    if node is None:
        return None
    node = _follow(ctx, node, at)
    if isinstance(node, (ast.List, ast.Tuple)):
        total = 0
        for elt in node.elts:
            n = _dict_size(ctx, elt, at) if not isinstance(elt, ast.Starred) else None
            if n is None:
                return None
            total += n
        return total
    return _dict_size(ctx, node, at)


def _grid_keys(ctx: PythonContext, node: ast.AST | None, at: ast.AST) -> list[list[str]] | None:
    """The hyper-parameter names of each dict of a grid (`{...}`, `dict(k=...)` or a list of them),
    or None when the file does not spell the keys out (a grid passed in, `**other`)."""
    node = _follow(ctx, node, at) if node is not None else None
    dicts = node.elts if isinstance(node, (ast.List, ast.Tuple)) else [node]
    keys: list[list[str]] = []
    for d in dicts:
        d = _follow(ctx, d, at)
        if isinstance(d, ast.Dict) and None not in d.keys:
            names = [ctx.literal(k) for k in d.keys]
        elif _is_dict_call(d) and not d.args and all(kw.arg for kw in d.keywords):  # type: ignore[union-attr]
            names = [kw.arg for kw in d.keywords]  # type: ignore[union-attr]
        else:
            return None
        if not all(isinstance(n, str) for n in names):
            return None
        keys.append(names)  # type: ignore[arg-type]
    return keys or None


def _known_axes_product(ctx: PythonContext, node: ast.AST | None, at: ast.AST) -> int | None:
    """For a one-dict grid with some axes not knowable: the product of the axes that are (a floor)."""
    node = _follow(ctx, node, at) if node is not None else None
    if isinstance(node, ast.Dict) and None not in node.keys:
        values = node.values
    elif _is_dict_call(node) and not node.args and all(kw.arg for kw in node.keywords):  # type: ignore[union-attr]
        values = [kw.value for kw in node.keywords]  # type: ignore[union-attr]
    else:
        return None
    sizes = [_axis_len(ctx, v, at) for v in values]
    known = [n for n in sizes if n is not None]
    return math.prod(known) if known and len(known) < len(sizes) else None


def _single_axis(ctx: PythonContext, node: ast.AST | None, at: ast.AST) -> bool:
    """A grid over one hyper-parameter. Random search beats a grid because few of several axes
    matter (Bergstra and Bengio 2012); on a single axis a random sample is just a coarser grid, so
    the rule's advice does not apply and the finding is not made."""
    keys = _grid_keys(ctx, node, at)
    return keys is not None and all(len(k) == 1 for k in keys) and len({k[0] for k in keys}) == 1


def _folds(ctx: PythonContext, cv: ast.AST | None, default: int, at: ast.AST) -> tuple[int | None, str]:
    """Cross-validation folds of a scikit-learn search, and how they were found."""
    if cv is None or _is_none(cv):
        return default, f"default cv={default}"
    node = _follow(ctx, cv, at)
    n = ctx.int_value(node)
    if n is not None:
        return n, f"cv={n}"
    if isinstance(node, ast.Call):
        q = _call_qual(ctx, node) or ""
        base = q.rsplit(".", 1)[-1]
        if q.startswith("sklearn.") and base in _CV_SPLITTERS:
            splits_default, repeats_default = _CV_SPLITTERS[base]
            splits_node = arg(node, 0, "n_splits")
            splits = splits_default if splits_node is None else ctx.int_value(splits_node)
            if splits is None:
                return None, "folds unknown"
            if repeats_default is not None:
                repeats_node = kwarg(node, "n_repeats")
                repeats = repeats_default if repeats_node is None else ctx.int_value(repeats_node)
                if repeats is None:
                    return None, "folds unknown"
                return splits * repeats, f"{base}: {splits} splits x {repeats} repeats"
            return splits, f"{base}(n_splits={splits})"
    return None, "folds unknown"


def _suggestion(opts: dict[str, Any], candidates: int | None) -> int:
    """The random-search budget to propose: `suggested-iterations`, or a fraction of a small grid."""
    cap = int(opts.get("suggested-iterations", 60))
    if candidates is None:
        return cap
    fraction = float(opts.get("suggested-fraction", 0.25))
    # never below 2 on grids of 3+: one random draw is not a search
    return max(1, min(2, candidates - 1), min(cap, math.ceil(candidates * fraction)))


def _cost_text(opts: dict[str, Any], candidates: int | None, folds: int | None, fold_note: str,
               alternative: str, unit: str = "fits", at_least: int | None = None) -> tuple[str, dict[str, Any]]:
    """'48 candidates x 5 folds = 240 fits; RandomizedSearchCV(n_iter=12) would cost 60 fits (75 % less)'."""
    impact: dict[str, Any] = {}
    if candidates is None:
        k = _suggestion(opts, None)
        impact["suggested_iterations"] = k
        floor = ""
        if at_least is not None and at_least >= 2:
            impact["candidates_at_least"] = at_least
            floor = f" (at least {_fmt(at_least)} candidates from the axes written out)"
        return (f"the grid's size is not knowable statically{floor}; {alternative.format(n=k)} caps the search at "
                f"{k} candidates"), impact
    impact["candidates"] = candidates
    k = _suggestion(opts, candidates)
    if folds is not None:
        fits, suggested = candidates * folds, k * folds
        size = f"{_fmt(candidates)} candidates x {folds} folds ({fold_note}) = {_fmt(fits)} {unit}"
        impact.update(folds=folds, fits=fits)
    elif fold_note == "folds unknown":
        fits, suggested = candidates, k
        size = f"{_fmt(candidates)} candidates (x the cv folds, unknown here)"
        impact["folds"] = "unknown"
    else:
        fits, suggested = candidates, k
        size = f"{_fmt(candidates)} candidates = {_fmt(fits)} {unit}"
        impact["fits"] = fits
    saving = 1 - k / candidates
    impact.update(suggested_iterations=k, saving_fraction=round(saving, 3))
    if fold_note != "folds unknown":
        impact["suggested_fits"] = suggested
    if folds is not None:
        per = f" x {folds} folds = {_fmt(suggested)} {unit}"
    elif fold_note == "folds unknown":
        per = " candidates (x the same folds)"
    else:
        per = f" {unit}"
    text = f"{size}; {alternative.format(n=k)} would cost {_fmt(k)}{per} ({round(saving * 100)} % less)"
    if k == 1 and unit.endswith("s") and folds is None and fold_note != "folds unknown":
        text = text.replace(f" 1 {unit} (", f" 1 {unit[:-1]} (")
    return text, impact


# --------------------------------------------------------------------------------------------
# does this code train a model?

class _Training:
    """Answers 'does this code train a model?', following calls to functions of the same file."""

    def __init__(self, ctx: PythonContext):
        self.ctx = ctx
        self.memo: dict[int, bool] = {}

    def nodes_train(self, nodes: Iterable[ast.AST], depth: int = 0) -> bool:
        for root in nodes:
            for node in _walk_no_defs(root):
                if isinstance(node, ast.Call) and self.call_trains(node, depth):
                    return True
        return False

    def function_trains(self, fn: ast.AST, depth: int = 0) -> bool:
        key = id(fn)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = False  # recursion guard
        body = fn.body if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) else [fn]
        if isinstance(fn, ast.Lambda):
            body = [fn.body]
        if isinstance(fn, ast.ClassDef):  # a callable objective / Trainable class: any method
            body = fn.body
        result = depth < 4 and self.nodes_train(body, depth + 1)
        self.memo[key] = result
        return result

    def call_trains(self, call: ast.Call, depth: int) -> bool:
        ctx = self.ctx
        q = _call_qual(ctx, call)
        name = call_name(call)
        if q in TRAIN_FUNCTIONS:
            return True
        if q and name.endswith("Trainer") and q.split(".")[0] in TRAINER_LIBS:
            return True
        if q in SKLEARN_GRID | SKLEARN_HALVING_GRID | SKLEARN_RANDOM:
            return True
        if isinstance(call.func, ast.Attribute):
            if name in ("fit", "fit_generator", "partial_fit", "train_on_batch"):
                return not self._preprocessing(call.func.value)
            if name == "train":
                if kwarg(call, "mode") is not None or (len(call.args) == 1 and not call.keywords and
                                                       isinstance(call.args[0], ast.Constant) and
                                                       isinstance(call.args[0].value, bool)):
                    return False  # model.train(True) / train(mode=False): PyTorch's mode switch
                if call.args or call.keywords:  # xgb.train(params, dtrain), model.train(data)
                    return True
                # zero-argument `.train()` is PyTorch's mode switch, except on a Trainer
                recv = call.func.value
                if "trainer" in (dotted(recv) or "").lower():
                    return True
                for origin in _origin_calls(ctx, recv, call):
                    # a Trainer, or an RLlib algorithm (`config.build()`, `PPO(config=...)`)
                    if call_name(origin).endswith("Trainer") or call_name(origin) in ("build", "build_algo") \
                            or (_call_qual(ctx, origin) or "").startswith("ray.rllib"):
                        return True
                return False
            if name == "backward":  # loss.backward(): a gradient step is being taken
                return True
            if name == "optimize" and _is_study(ctx, call.func.value, call):
                return True
            if isinstance(call.func.value, ast.Name) and call.func.value.id == "self":
                method = self._method(call, name)
                if method is not None:
                    return self.function_trains(method, depth)
        if q and q.startswith("torch.optim.") and not q.startswith("torch.optim.lr_scheduler") \
                and name[:1].isupper():
            return True  # an objective that builds an optimizer over a model trains it
        if isinstance(call.func, ast.Name):
            fn = ctx.functions.get(call.func.id)
            if fn is not None:
                return self.function_trains(fn, depth)
            if q and (call.args or call.keywords) and re.fullmatch(r"train(_one)?(_epoch|_model|_step)?|fit", name):
                return True  # `from ray.tune.examples.mnist_pytorch import train`: an imported training function
        return False

    def _preprocessing(self, receiver: ast.AST) -> bool:
        for origin in _origin_calls(self.ctx, receiver):
            q = _call_qual(self.ctx, origin) or ""
            if q.startswith(NOT_TRAINING_PREFIXES):
                return True
        return False

    def _method(self, call: ast.Call, name: str) -> ast.AST | None:
        cls = self.ctx.enclosing_class(call)
        if cls is None:
            return None
        for stmt in cls.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == name:
                return stmt
        return None

    def callable_trains(self, node: ast.AST | None, at: ast.AST) -> bool | None:
        """Whether a callable (objective, trainable) trains: True, False, or None when not in this file."""
        ctx = self.ctx
        node = _follow(ctx, node, at)
        if isinstance(node, ast.Lambda):
            return self.function_trains(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return True  # Ray Tune trainable named by string: an RLlib algorithm ("PPO"), which trains
        if isinstance(node, ast.Call):
            q = _call_qual(ctx, node) or ""
            if q in RAY_WRAPPERS or q == "functools.partial":
                return self.callable_trains(node.args[0] if node.args else None, at)
            if call_name(node).endswith("Trainer") and q.split(".")[0] in TRAINER_LIBS:
                return True  # ray.train TorchTrainer / XGBoostTrainer as a Tuner's trainable
            if isinstance(node.func, ast.Name):  # Objective(...) instance of a class in this file
                cls = _class_named(ctx, node.func.id)
                if cls is not None:
                    return self.function_trains(cls)
            return None
        if isinstance(node, ast.Name):
            fn = ctx.functions.get(node.id)
            if fn is not None:  # the last definition of that name in this file
                return self.function_trains(fn)
            cls = _class_named(ctx, node.id)
            if cls is not None:
                return self.function_trains(cls)
            return None
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            cls = ctx.enclosing_class(at)
            if cls is not None:
                for stmt in cls.body:
                    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == node.attr:
                        return self.function_trains(stmt)
        return None


def _walk_no_defs(root: ast.AST) -> Iterator[ast.AST]:
    """ast.walk that does not enter nested function or class definitions (they run only when called)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                stack.append(child)


def _class_named(ctx: PythonContext, name: str) -> ast.ClassDef | None:
    for node in ctx.walk():
        if isinstance(node, ast.ClassDef) and node.name == name:
            return node
    return None


def _is_study(ctx: PythonContext, node: ast.AST, at: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and node.attr == "study" and isinstance(node.value, ast.Name):
        return False  # trial.study: the study of a running trial, not a new search
    return any(_call_qual(ctx, c) in OPTUNA_STUDY_FACTORIES for c in _origin_calls(ctx, node, at))


def _training(ctx: PythonContext) -> _Training:
    return ctx.memo("search.training", lambda: _Training(ctx))


# --------------------------------------------------------------------------------------------
# where things are used

def _uses_of_name(ctx: PythonContext, name: str, at: ast.AST) -> Iterator[ast.Name]:
    scope = _scope_of(ctx, at)
    for node in ast.walk(scope):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load):
            yield node


def _consumers(ctx: PythonContext, value: ast.AST) -> Iterator[tuple[ast.Call, ast.keyword | None, int | None]]:
    """Calls that receive `value`, directly or through a name bound to it: (call, keyword, position)."""
    targets: list[ast.AST] = [value]
    parent = ctx.parent(value)
    if isinstance(parent, ast.Assign) and parent.value is value:
        for t in parent.targets:
            if isinstance(t, ast.Name):
                targets.extend(_uses_of_name(ctx, t.id, parent))
    for target in targets:
        holder = ctx.parent(target)
        if isinstance(holder, ast.keyword):
            call = ctx.parent(holder)
            if isinstance(call, ast.Call):
                yield call, holder, None
        elif isinstance(holder, ast.Call) and target in holder.args:
            yield holder, None, holder.args.index(target)


def _studies_using_sampler(ctx: PythonContext, sampler: ast.Call) -> list[ast.Call]:
    """create_study calls whose `sampler=` is this sampler."""
    studies = []
    for call, keyword, _ in _consumers(ctx, sampler):
        if keyword is not None and keyword.arg == "sampler" and _call_qual(ctx, call) in OPTUNA_STUDY_FACTORIES:
            studies.append(call)
    return studies


def _optimize_calls(ctx: PythonContext, study: ast.Call) -> list[ast.Call]:
    """`study.optimize(...)` calls on the study a factory call creates."""
    found = []
    parent = ctx.parent(study)
    if isinstance(parent, ast.Attribute) and parent.attr == "optimize":
        outer = ctx.parent(parent)
        if isinstance(outer, ast.Call):
            found.append(outer)
    if isinstance(parent, ast.Assign):
        for t in parent.targets:
            if isinstance(t, ast.Name):
                for use in _uses_of_name(ctx, t.id, parent):
                    attr = ctx.parent(use)
                    if isinstance(attr, ast.Attribute) and attr.attr == "optimize":
                        call = ctx.parent(attr)
                        if isinstance(call, ast.Call):
                            found.append(call)
    return found


def _objective(call: ast.Call) -> ast.AST | None:
    return arg(call, 0, "func")


# --------------------------------------------------------------------------------------------
# GL101

def _in_method(ctx: PythonContext, node: ast.AST) -> bool:
    """Inside a class's method: with a grid whose keys the file does not spell out, this is a
    library or framework passing its user's grid through (RidgeCV's own GridSearchCV), not a
    search. A grid whose hyper-parameters are written here is this code's own search, even when
    the values of an axis are computed (`{"C": [1, 10], "k": range(1, n_features)}`)."""
    fn = ctx.enclosing_function(node)
    return fn is not None and isinstance(ctx.parent(fn), ast.ClassDef)


def _defines_search_api(ctx: PythonContext) -> bool:
    """A file that defines GridSearchCV & co. is the library itself (or a re-implementation)."""
    return any(isinstance(n, ast.ClassDef) and n.name in DEFINED_SEARCH_CLASSES for n in ctx.walk())


def _skip_tests(ctx: PythonContext, code: str) -> bool:
    """Test suites exercise the search APIs on toy data; they are not searches anyone runs for real."""
    return not ctx.options(code).get("include-tests", False) and ctx.in_test_file


@detector("GL101")
def exhaustive_grid_search(ctx: PythonContext) -> None:
    if _defines_search_api(ctx) or _skip_tests(ctx, "GL101"):
        return
    opts = ctx.options("GL101")
    min_candidates = int(opts.get("min-candidates", 2))
    _sklearn_searches(ctx, opts, min_candidates)
    _parameter_grids(ctx, opts, min_candidates)
    _optuna_grids(ctx, opts, min_candidates)
    _ray_grids(ctx, opts, min_candidates)
    _keras_tuner_grids(ctx, opts, min_candidates)
    from .sweeps import sagemaker_vertex_grid  # cloud tuners' grid strategies

    sagemaker_vertex_grid(ctx)
    from .platform_search import platform_grids  # W&B / Comet dicts, Azure ML, Katib, NNI, Spark, H2O

    platform_grids(ctx)
    _catboost_grids(ctx, opts, min_candidates)
    _loop_grids(ctx, opts, min_candidates)


def _sklearn_searches(ctx: PythonContext, opts: dict[str, Any], min_candidates: int) -> None:
    default_cv = int(opts.get("default-cv", 5))
    for call in ctx.calls:
        q = _call_qual(ctx, call)
        halving = q in SKLEARN_HALVING_GRID
        if q not in SKLEARN_GRID and not halving:
            continue
        if has_star_kwargs(call) and arg(call, 1, "param_grid") is None:
            continue
        grid = arg(call, 1, "param_grid")
        candidates = _grid_size(ctx, grid, call)
        if candidates is not None and candidates < min_candidates:
            continue
        if _single_axis(ctx, grid, call):
            continue
        if candidates is None and _grid_keys(ctx, grid, call) is None and _in_method(ctx, call):
            continue
        folds, note = _folds(ctx, kwarg(call, "cv"), default_cv, call)
        cls = q.rsplit(".", 1)[-1] if q else "GridSearchCV"
        if halving:
            k = _suggestion(opts, candidates)
            impact = {"suggested_iterations": k}
            if candidates is not None:
                impact.update(candidates=candidates, saving_fraction=round(1 - k / candidates, 3))
            if folds is not None:
                impact["folds"] = folds
            size = f"all {_fmt(candidates)} grid points" if candidates is not None else "every grid point"
            message = (f"{cls} already discards weak candidates early, but still starts {size} "
                       f"(x {folds if folds is not None else 'the'} folds) in its first round; "
                       f"HalvingRandomSearchCV(n_candidates={k}) samples the space instead and starts fewer")
            ctx.report("GL101", call.func, message, impact=impact, severity=Severity.NOTE)
            continue
        text, impact = _cost_text(opts, candidates, folds, note, "RandomizedSearchCV(n_iter={n})",
                                  at_least=_known_axes_product(ctx, grid, call) if candidates is None else None)
        message = (f"{cls} trains every combination of the grid: {text}; HalvingRandomSearchCV or Optuna's "
                   f"TPE sampler spend a similar budget more wisely")
        ctx.report("GL101", call.func, message, impact=impact, fix=gl101_fixes.randomized_search(ctx, call, candidates))


def _parameter_grids(ctx: PythonContext, opts: dict[str, Any], min_candidates: int) -> None:
    for call in ctx.calls_to(*PARAMETER_GRID):
        candidates = _grid_size(ctx, arg(call, 0, "param_grid"), call)
        if candidates is not None and candidates < min_candidates:
            continue
        if _single_axis(ctx, arg(call, 0, "param_grid"), call):
            continue
        if candidates is None and _grid_keys(ctx, arg(call, 0, "param_grid"), call) is None and _in_method(ctx, call):
            continue
        text, impact = _cost_text(opts, candidates, None, "", "ParameterSampler(space, n_iter={n})", unit="settings")
        ctx.report("GL101", call.func, f"ParameterGrid enumerates every combination: {text}", impact=impact)


def _suggest_space_size(ctx: PythonContext, fn: ast.AST | None) -> int | None:
    """Size of the space an Optuna objective declares with trial.suggest_* (for BruteForceSampler)."""
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    sizes: dict[str, int] = {}
    for node in ast.walk(fn):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr.startswith("suggest_")):
            continue
        name = ctx.literal(arg(node, 0, "name"))
        if not isinstance(name, str):
            return None
        kind = node.func.attr
        if kind == "suggest_categorical":
            n = _axis_len(ctx, arg(node, 1, "choices"), node)
        elif kind in ("suggest_int", "suggest_float", "suggest_discrete_uniform"):
            low, high = ctx.literal(arg(node, 1, "low")), ctx.literal(arg(node, 2, "high"))
            step_node = arg(node, 3, "step") if kind != "suggest_discrete_uniform" else arg(node, 3, "q")
            step = ctx.literal(step_node) if step_node is not None else (1 if kind == "suggest_int" else None)
            if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (low, high, step)) or not step:
                return None
            n = int(math.floor((high - low) / step + 1e-9)) + 1
        else:
            return None
        if n is None:
            return None
        sizes[name] = n
    if not sizes:
        return None
    return math.prod(sizes.values())


def _optuna_grids(ctx: PythonContext, opts: dict[str, Any], min_candidates: int) -> None:
    training = _training(ctx)
    for call in ctx.calls:
        q = _call_qual(ctx, call)
        if q not in OPTUNA_GRID and q not in OPTUNA_BRUTE:
            continue
        brute = q in OPTUNA_BRUTE
        objectives = [_objective(o) for s in _studies_using_sampler(ctx, call) for o in _optimize_calls(ctx, s)]
        verdicts = [training.callable_trains(o, call) for o in objectives]
        if verdicts and not any(v is None or v for v in verdicts):
            continue  # every objective is in this file and none trains: a demo function
        if brute:
            fns = [_follow(ctx, o, call) for o in objectives]
            fn = ctx.functions.get(fns[0].id) if fns and isinstance(fns[0], ast.Name) else None
            candidates = _suggest_space_size(ctx, fn)
        else:
            space = arg(call, 0, "search_space")
            if space is not None and _single_axis(ctx, space, call):
                continue
            candidates = _dict_size(ctx, space, call) if space is not None else None
        if candidates is not None and candidates < min_candidates:
            continue
        if candidates is None and not objectives and ctx.enclosing_class(call) is not None:
            continue  # a method building a sampler from its caller's space: a tuning service's own code (Katib)
        text, impact = _cost_text(opts, candidates, None, "",
                                  "optuna.samplers.TPESampler() with n_trials={n}", unit="trials")
        what = "BruteForceSampler tries every point of the objective's space" if brute else \
            "GridSampler runs one trial per grid point"
        ctx.report("GL101", call.func, f"{what}: {text}", impact=impact)


def _ray_grids(ctx: PythonContext, opts: dict[str, Any], min_candidates: int) -> None:
    if not ctx.imports.uses("ray"):
        return
    groups: dict[int, tuple[ast.AST, list[ast.AST]]] = {}
    for node in ctx.walk():
        axis = None
        if isinstance(node, ast.Call):
            q = _call_qual(ctx, node) or ""
            if q.startswith("ray.tune") and q.endswith(".grid_search"):
                axis = node
        elif isinstance(node, ast.Dict) and len(node.keys) == 1 and isinstance(node.keys[0], ast.Constant) \
                and node.keys[0].value == "grid_search":
            axis = node  # {"grid_search": [...]}: the spelled-out form of tune.grid_search
        if axis is None or _not_hp_key(ctx, axis):
            continue
        outer = _outermost_dict(ctx, axis)
        if outer is None:
            continue
        groups.setdefault(id(outer), (outer, []))[1].append(axis)
    training = _training(ctx)
    for outer, axes in groups.values():
        if len(axes) == 1:
            continue  # one axis: a random sample of it is only a coarser grid (see _single_axis)
        axes.sort(key=lambda n: (n.lineno, n.col_offset))
        trainables, samples = _ray_consumers(ctx, outer)
        verdicts = [training.callable_trains(t, outer) for t in trainables]
        if verdicts and not any(v is None or v for v in verdicts):
            continue
        sizes = []
        for axis in axes:
            values = axis.values[0] if isinstance(axis, ast.Dict) else arg(axis, 0, "values")
            sizes.append(_axis_len(ctx, values, axis))
        candidates = math.prod(sizes) if all(s is not None for s in sizes) else None  # type: ignore[arg-type]
        if candidates is not None:
            candidates *= samples or 1
            if candidates < min_candidates:
                continue
        text, impact = _cost_text(opts, candidates, None, "",
                                  "tune.choice / tune.loguniform with num_samples={n}", unit="trials")
        axes_text = f"{len(axes)} grid_search ax{'is' if len(axes) == 1 else 'es'}"
        if samples and samples > 1 and candidates is not None:
            axes_text += f" repeated num_samples={samples} times"
        first = axes[0]
        node = first.func if isinstance(first, ast.Call) else first
        ctx.report("GL101", node, f"Ray Tune runs every combination of {axes_text}: {text}; "
                                  f"add an early-stopping scheduler (ASHA) to cut it further", impact=impact)


def _not_hp_key(ctx: PythonContext, axis: ast.AST) -> bool:
    """A grid over seeds or environments (`"seed": tune.grid_search([0, 1, 2])`) repeats runs on
    purpose; it is not a hyper-parameter search."""
    holder = ctx.parent(axis)
    if isinstance(holder, ast.Dict):
        for key, value in zip(holder.keys, holder.values):
            if value is axis and isinstance(key, ast.Constant) and isinstance(key.value, str):
                return bool(_NOT_HP_NAME.search(key.value))
    if isinstance(holder, ast.keyword) and holder.arg:
        return bool(_NOT_HP_NAME.search(holder.arg))
    return False


def _outermost_dict(ctx: PythonContext, node: ast.AST) -> ast.AST | None:
    """The config dict a grid axis belongs to (nested dicts count as the same config)."""
    outer = None
    for anc in ctx.ancestors(node):
        if isinstance(anc, ast.Dict) or _is_dict_call(anc):
            outer = anc
        elif isinstance(anc, ast.keyword) and _is_dict_call(ctx.parent(anc)):
            continue
        else:
            break
    return outer


def _is_dict_call(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict"


def _ray_consumers(ctx: PythonContext, config: ast.AST) -> tuple[list[ast.AST | None], int | None]:
    """Trainables of the tune.run / Tuner calls that take this config, and their num_samples."""
    trainables: list[ast.AST | None] = []
    samples: int | None = None
    for call, keyword, position in _consumers(ctx, config):
        q = _call_qual(ctx, call)
        if q in RAY_RUN and (keyword is None or keyword.arg == "config"):
            trainables.append(arg(call, 0, "run_or_experiment"))
            samples = ctx.int_value(kwarg(call, "num_samples")) if kwarg(call, "num_samples") is not None else 1
        elif q in RAY_TUNER and ((keyword is not None and keyword.arg == "param_space") or position == 1):
            trainables.append(arg(call, 0, "trainable"))
            tune_config = _follow(ctx, kwarg(call, "tune_config"), call)
            if isinstance(tune_config, ast.Call):
                n = kwarg(tune_config, "num_samples")
                samples = 1 if n is None else ctx.int_value(n)
            else:
                samples = 1 if tune_config is None else None
    if samples is not None and samples < 1:
        samples = None
    return trainables, samples


def _hp_space_size(ctx: PythonContext, fn: ast.AST | None) -> tuple[int | None, bool]:
    """(grid size, infinite) of a keras-tuner hypermodel function's hp.* declarations."""
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None, False
    sizes: dict[str, int | None] = {}
    infinite = False
    for node in ast.walk(fn):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        kind = node.func.attr
        if kind not in ("Choice", "Int", "Float", "Boolean", "Fixed"):
            continue
        name = ctx.literal(arg(node, 0, "name"))
        if not isinstance(name, str):
            sizes[f"?{len(sizes)}"] = None
            continue
        n: int | None = None
        if kind == "Choice":
            n = _axis_len(ctx, arg(node, 1, "values"), node)
        elif kind == "Boolean":
            n = 2
        elif kind == "Fixed":
            n = 1
        else:
            low, high = ctx.literal(arg(node, 1, "min_value")), ctx.literal(arg(node, 2, "max_value"))
            step_node = arg(node, 3, "step")
            sampling = ctx.literal(kwarg(node, "sampling")) if kwarg(node, "sampling") is not None else "linear"
            if step_node is None and kind == "Float":
                infinite = True  # a continuous range: a random search can keep drawing new points
                n = 10  # keras-tuner's GridSearch takes 10 evenly spaced values
            elif step_node is None and kind == "Int" and sampling in ("log", "reverse_log"):
                n = 10
            else:
                step = ctx.literal(step_node) if step_node is not None else 1
                nums = (low, high, step)
                if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in nums) and step:
                    if sampling in ("log", "reverse_log"):
                        n = int(math.floor(math.log(high / low, step) + 1e-9)) + 1 if low > 0 and step > 1 else None
                    else:
                        n = int(math.floor((high - low) / step + 1e-9)) + 1
        sizes[name] = n
    if not sizes or any(v is None for v in sizes.values()):
        return None, infinite
    return math.prod(v for v in sizes.values() if v is not None), infinite


def _hypermodel_function(ctx: PythonContext, call: ast.Call) -> ast.AST | None:
    node = _follow(ctx, arg(call, 0, "hypermodel"), call)
    if isinstance(node, ast.Name):
        return ctx.functions.get(node.id)
    return None


def _keras_tuner_grids(ctx: PythonContext, opts: dict[str, Any], min_candidates: int) -> None:
    for call in ctx.calls:
        q = _call_qual(ctx, call)
        if q not in KT_GRID:
            continue
        candidates, _ = _hp_space_size(ctx, _hypermodel_function(ctx, call))
        cap = ctx.int_value(kwarg(call, "max_trials"))
        if candidates is not None and cap is not None:
            candidates = min(candidates, cap)
        if candidates is not None and candidates < min_candidates:
            continue
        executions = ctx.int_value(kwarg(call, "executions_per_trial")) or 1
        text, impact = _cost_text(opts, candidates, executions if executions > 1 else None,
                                  f"executions_per_trial={executions}",
                                  "keras_tuner.BayesianOptimization(max_trials={n}) or Hyperband", unit="trainings")
        ctx.report("GL101", call.func, f"keras-tuner GridSearch trains every combination of the hypermodel's "
                                       f"hyper-parameters: {text}", impact=impact)


def _catboost_grids(ctx: PythonContext, opts: dict[str, Any], min_candidates: int) -> None:
    for call in ctx.calls:
        if not (isinstance(call.func, ast.Attribute) and call.func.attr == "grid_search"):
            continue
        origins = _origin_calls(ctx, call.func.value, call)
        if not origins or not all(_call_qual(ctx, o) in CATBOOST_MODELS for o in origins):
            continue
        candidates = _grid_size(ctx, arg(call, 0, "param_grid"), call)
        if candidates is not None and candidates < min_candidates:
            continue
        split = kwarg(call, "search_by_train_test_split")
        if split is None or ctx.literal(split) is True:
            folds, note = None, "one train/test split per candidate"
        else:
            folds, note = _folds(ctx, kwarg(call, "cv"), 3, call)  # CatBoost's cv default is 3
        text, impact = _cost_text(opts, candidates, folds, note, "model.randomized_search(space, n_iter={n})",
                                  unit="trainings")
        ctx.report("GL101", call.func, f"CatBoost grid_search trains every combination of the grid: {text}",
                   impact=impact)


# ---- hand-written grids --------------------------------------------------------------------

def _unwrap_iter(ctx: PythonContext, node: ast.AST, at: ast.AST) -> ast.AST:
    """`list(x)`, `tqdm(x)`, `enumerate(x)` -> x; a name bound once -> its value."""
    for _ in range(4):
        node = _follow(ctx, node, at)
        if isinstance(node, ast.Call) and node.args and (
                (isinstance(node.func, ast.Name) and node.func.id in ("list", "tuple", "tqdm", "enumerate", "trange"))
                or (_call_qual(ctx, node) or "").startswith("tqdm")):
            node = node.args[0]
            continue
        break
    return node


def _loop_axes(ctx: PythonContext, loop: ast.For | ast.AsyncFor) -> list[int] | None:
    """Lengths of the hyper-parameter axes a loop iterates over, or None if it is not such a loop."""
    iterable = _unwrap_iter(ctx, loop.iter, loop)
    targets = _target_names(loop.target)
    if _call_qual(ctx, iterable) == "itertools.product":
        call = iterable
        assert isinstance(call, ast.Call)
        if call.keywords:
            return None
        lengths: list[int] = []
        for a in call.args:
            if isinstance(a, ast.Starred):  # product(*grid.values())
                inner = a.value
                if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and inner.func.attr == "values":
                    d = _follow(ctx, inner.func.value, call)
                    if isinstance(d, ast.Dict) and all(k is not None for k in d.keys):
                        for v in d.values:
                            n = _axis_len(ctx, v, call)
                            if n is None:
                                return None
                            lengths.append(n)
                        continue
                return None
            n = _axis_len(ctx, a, call) if _literal_scalars(ctx, a, call) else None
            if n is None:
                return None
            lengths.append(n)
        if not targets or all(_NOT_HP_NAME.search(t) for t in targets):
            return None
        if not _names_used(loop, targets):
            return None
        return lengths if len(lengths) >= 1 else None
    if _call_qual(ctx, iterable) in PARAMETER_GRID:
        return None  # reported at ParameterGrid itself
    if not isinstance(loop.target, ast.Name):
        return None
    name = loop.target.id
    if _NOT_HP_NAME.search(name) or not _names_used(loop, [name]):
        return None
    if not _literal_scalars(ctx, iterable, loop):
        return None
    n = _axis_len(ctx, iterable, loop)
    return [n] if n is not None and n >= 2 else None


def _literal_scalars(ctx: PythonContext, node: ast.AST, at: ast.AST) -> bool:
    """A literal list/tuple of numbers, strings, booleans or None (not data, not range())."""
    node = _follow(ctx, node, at)
    if isinstance(node, ast.Call):  # np.logspace(-3, 0, 4): a hyper-parameter axis by construction
        q = _call_qual(ctx, node) or ""
        return q.startswith("numpy.") and q.rsplit(".", 1)[-1] in ("logspace", "linspace", "geomspace")
    if not isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return False
    value = ctx.literal(node)
    if not isinstance(value, (list, tuple, set)) or len(value) < 1:
        return False
    return all(v is None or isinstance(v, (int, float, str, bool)) for v in value)


def _target_names(target: ast.AST) -> list[str]:
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]


def _names_used(loop: ast.AST, names: list[str]) -> bool:
    wanted = set(names) - {"_"}
    used = {n.id for stmt in loop.body for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return bool(wanted & used)


def _nested_literal_loops(ctx: PythonContext, loop: ast.AST, axes: dict[int, list[int] | None]) -> list[ast.AST]:
    """Hyper-parameter loops directly inside `loop` (not inside another such loop)."""
    found = []
    stack = list(loop.body)  # type: ignore[attr-defined]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, (ast.For, ast.AsyncFor)) and axes.get(id(node)):
            found.append(node)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return found


def _loop_shape(ctx: PythonContext, loop: ast.AST, axes: dict[int, list[int] | None]) -> tuple[int, int, list[int]]:
    """(number of axes along the deepest nesting, candidates, the axis lengths along it)."""
    own = axes[id(loop)] or []
    children = _nested_literal_loops(ctx, loop, axes)
    if not children:
        return len(own), math.prod(own), list(own)
    shapes = [_loop_shape(ctx, c, axes) for c in children]
    deepest = max(shapes, key=lambda s: s[0])
    return len(own) + deepest[0], math.prod(own) * sum(s[1] for s in shapes), list(own) + deepest[2]


def _loop_folds(ctx: PythonContext, loop: ast.AST, default_cv: int) -> int | None:
    """Folds when the loop body trains through exactly one cross_val_score / cross_validate call."""
    calls = [n for stmt in loop.body for n in ast.walk(stmt)  # type: ignore[attr-defined]
             if isinstance(n, ast.Call) and _call_qual(ctx, n) in TRAIN_FUNCTIONS and call_name(n).startswith("cross_val")]
    if len(calls) != 1:
        return None
    folds, _ = _folds(ctx, kwarg(calls[0], "cv"), default_cv, calls[0])
    return folds


def _loop_grids(ctx: PythonContext, opts: dict[str, Any], min_candidates: int) -> None:
    loops = [n for n in ctx.walk() if isinstance(n, (ast.For, ast.AsyncFor))]
    if not loops:
        return
    axes: dict[int, list[int] | None] = {id(loop): _loop_axes(ctx, loop) for loop in loops}
    covered: set[int] = set()
    training = _training(ctx)
    default_cv = int(opts.get("default-cv", 5))
    for loop in loops:  # ast.walk is breadth-first: outer loops come before the loops they hold
        if id(loop) in covered or not axes[id(loop)]:
            continue
        n_axes, candidates, lengths = _loop_shape(ctx, loop, axes)
        if n_axes < 2 or candidates < min_candidates:
            continue
        if not training.nodes_train(loop.body):
            continue
        for inner in ast.walk(loop):
            covered.add(id(inner))
        folds = _loop_folds(ctx, loop, default_cv)
        text, impact = _cost_text(opts, candidates, folds, f"cv={folds}", "a random sample of {n} settings "
                                  "(or Optuna's TPE sampler with n_trials={n})", unit="trainings")
        shape = " x ".join(str(n) for n in lengths)
        kind = "itertools.product" if _call_qual(ctx, _unwrap_iter(ctx, loop.iter, loop)) == "itertools.product" \
            else "nested loops"
        end_line, end_col = _header_end(ctx, loop)
        ctx.report_at("GL101", loop.lineno, ctx.char_column(loop.lineno, loop.col_offset), end_line, end_col,
                      f"hand-written grid search ({kind} over {shape} hyper-parameter values) trains once per "
                      f"combination: {text}", impact=impact)


# --------------------------------------------------------------------------------------------
# GL102

@detector("GL102")
def unbounded_search(ctx: PythonContext) -> None:
    if _skip_tests(ctx, "GL102"):
        return
    _optuna_unbounded(ctx)
    _ray_unbounded(ctx)
    _keras_tuner_unbounded(ctx)
    from .platform_search import platform_unbounded  # hyperopt fmin, W&B agents

    platform_unbounded(ctx)


def _study_factory(ctx: PythonContext, receiver: ast.AST, at: ast.AST) -> ast.Call | None:
    origins = _origin_calls(ctx, receiver, at)
    if origins and all(_call_qual(ctx, o) in OPTUNA_STUDY_FACTORIES for o in origins):
        return origins[0]
    return None


def _finite_sampler(ctx: PythonContext, study: ast.Call) -> bool:
    sampler = _follow(ctx, kwarg(study, "sampler"), study)
    return _call_qual(ctx, sampler) in OPTUNA_GRID | OPTUNA_BRUTE


def _stops_study(ctx: PythonContext) -> bool:
    """Anything in the file calling `<study>.stop()` (a callback, the objective): it bounds itself."""
    for call in ctx.calls:
        if isinstance(call.func, ast.Attribute) and call.func.attr == "stop" and not call.args:
            recv = dotted(call.func.value) or ""
            if "study" in recv.lower():
                return True
    return False


def _optuna_unbounded(ctx: PythonContext) -> None:
    stops = None
    for call in ctx.calls:
        if not (isinstance(call.func, ast.Attribute) and call.func.attr == "optimize"):
            continue
        study = _study_factory(ctx, call.func.value, call)
        if study is None or has_star_kwargs(call) or any(isinstance(a, ast.Starred) for a in call.args):
            continue
        n_trials, timeout = arg(call, 1, "n_trials"), arg(call, 2, "timeout")
        if kwarg(call, "callbacks") is not None:
            continue  # a callback may stop the study (MaxTrialsCallback, study.stop())
        explicit = []
        for name, node in (("n_trials", n_trials), ("timeout", timeout)):
            if node is None:
                continue
            value = ctx.literal(node)
            if value is None:
                explicit.append(name)
            else:
                break  # a bound, or something we cannot see: bounded as far as we know
        else:
            if _finite_sampler(ctx, study):
                continue
            if stops is None:
                stops = _stops_study(ctx)
            if stops:
                continue
            detail = f" ({' and '.join(explicit)}=None)" if explicit else ""
            ctx.report(
                "GL102", call.func,
                f"study.optimize() has neither n_trials nor timeout{detail}: Optuna keeps starting trials until "
                f"the process is killed or study.stop() is called; add n_trials=N (e.g. 100) or timeout=seconds, "
                f"or optuna.study.MaxTrialsCallback(N) when several workers share the study's storage",
                impact={"n_trials": "unbounded", "timeout": "unbounded"},
                # Unsafe: a bound changes how long the search runs, which is its point.
                fix=Fix("bound the study at 100 trials", "unsafe", (ctx.edit_keyword(call, "n_trials", "100"),))
                if n_trials is None or isinstance(n_trials, ast.Constant) else None,
            )


def _ray_stop_bounds(ctx: PythonContext, stop: ast.AST | None, at: ast.AST) -> bool:
    """A `stop=` that may end the whole experiment: a Stopper object or a function (dicts stop single trials)."""
    if stop is None or _is_none(stop):
        return False
    node = _follow(ctx, stop, at)
    return not isinstance(node, ast.Dict)


def _ray_unbounded(ctx: PythonContext) -> None:
    if not ctx.imports.uses("ray"):
        return
    for call in ctx.calls:
        q = _call_qual(ctx, call)
        if q in RAY_RUN and q != "ray.tune.run_experiments":
            if ctx.literal(kwarg(call, "num_samples")) != -1 or has_star_kwargs(call):
                continue
            if kwarg(call, "time_budget_s") is not None and not _is_none(kwarg(call, "time_budget_s")):
                continue
            if _ray_stop_bounds(ctx, kwarg(call, "stop"), call):
                continue
            ctx.report("GL102", call.func, _RAY_MESSAGE, impact={"num_samples": -1})
        elif q in RAY_TUNE_CONFIG:
            if ctx.literal(kwarg(call, "num_samples")) != -1 or has_star_kwargs(call):
                continue
            if kwarg(call, "time_budget_s") is not None and not _is_none(kwarg(call, "time_budget_s")):
                continue
            tuners = [c for c, kw, _ in _consumers(ctx, call) if _call_qual(ctx, c) in RAY_TUNER and kw is not None
                      and kw.arg == "tune_config"]
            if not tuners:
                continue  # cannot see the run_config that may carry a stopper
            bounded = False
            for tuner in tuners:
                run_config = _follow(ctx, kwarg(tuner, "run_config"), tuner)
                if run_config is None:
                    continue
                if not isinstance(run_config, ast.Call) or has_star_kwargs(run_config):
                    bounded = True
                elif _ray_stop_bounds(ctx, kwarg(run_config, "stop"), run_config):
                    bounded = True
            if not bounded:
                ctx.report("GL102", call.func, _RAY_MESSAGE, impact={"num_samples": -1})


_RAY_MESSAGE = ("num_samples=-1 makes Ray Tune sample trials without end, and nothing stops the experiment "
                "(stop= as a dict only ends single trials); set num_samples=N or time_budget_s=seconds, or pass "
                "an experiment-wide stopper such as tune.stopper.TimeoutStopper")


def _keras_tuner_unbounded(ctx: PythonContext) -> None:
    for call in ctx.calls:
        if _call_qual(ctx, call) not in KT_UNBOUNDED_CANDIDATES:
            continue
        max_trials = kwarg(call, "max_trials")
        if max_trials is None or ctx.literal(max_trials) is not None:
            continue  # keras-tuner's default is 10 trials
        _, infinite = _hp_space_size(ctx, _hypermodel_function(ctx, call))
        if not infinite:
            continue  # a finite space ends once exhausted
        ctx.report("GL102", call.func,
                   "max_trials=None lets keras-tuner keep drawing new points from a continuous hp.Float range until "
                   "the process is killed; set max_trials=N (keras-tuner's default is 10)",
                   impact={"max_trials": "unbounded"})


# --------------------------------------------------------------------------------------------
# GL103

_QUALITY = re.compile(r"acc|accuracy|loss|f1|auc|roc|score|rmse|mse|mae|error|r2|precision|recall|perplexity|"
                      r"bleu|rouge|map|iou|dice|logloss", re.IGNORECASE)
_QUALITY_CALLS = re.compile(r"^(accuracy_score|f1_score|roc_auc_score|mean_squared_error|mean_absolute_error|"
                            r"r2_score|log_loss|precision_score|recall_score|balanced_accuracy_score|score|evaluate|"
                            r"cross_val_score)$")


def _returns_quality_only(ctx: PythonContext, fn: ast.AST) -> bool:
    """Every `return` gives one value and at least one names a quality metric."""
    returns = [n for n in _walk_no_defs(fn) if isinstance(n, ast.Return) and n.value is not None]
    if not returns:
        return False
    quality = False
    for ret in returns:
        value = ret.value
        if isinstance(value, (ast.Tuple, ast.List)):
            return False  # several objectives already
        text = ast.unparse(value)
        if any(w in text.lower() for w in ("time", "energy", "latency", "duration", "flops", "params", "size")):
            return False
        names = [n.id for n in ast.walk(value) if isinstance(n, ast.Name)] + \
                [n.attr for n in ast.walk(value) if isinstance(n, ast.Attribute)] + \
                [n.value for n in ast.walk(value) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        calls = [call_name(n) for n in ast.walk(value) if isinstance(n, ast.Call)]
        if any(_QUALITY_CALLS.match(c) for c in calls) or any(isinstance(n, str) and _QUALITY.search(n) for n in names):
            quality = True
    return quality


@detector("GL103")
def accuracy_only_objective(ctx: PythonContext) -> None:
    if _skip_tests(ctx, "GL103"):
        return
    training = _training(ctx)
    for call in ctx.calls:
        q = _call_qual(ctx, call)
        if q in ("optuna.create_study", "optuna.study.create_study"):
            if kwarg(call, "directions") is not None or has_star_kwargs(call):
                continue
            objectives = [_objective(o) for o in _optimize_calls(ctx, call)]
            fns = [_follow(ctx, o, call) for o in objectives]
            fns = [ctx.functions.get(f.id) if isinstance(f, ast.Name) else None for f in fns]
            if not fns or any(f is None for f in fns):
                continue
            if not all(training.function_trains(f) and _returns_quality_only(ctx, f) for f in fns):  # type: ignore[arg-type]
                continue
            direction = ctx.literal(kwarg(call, "direction")) if kwarg(call, "direction") is not None else "minimize"
            ctx.report("GL103", call.func,
                       f"the study optimises one quality metric ({direction}) and nothing else, so nothing steers "
                       f"it away from slower, costlier models for marginal gains; use directions=[\"{direction}\", \"minimize\"] "
                       f"and return training time or measured energy as the second objective",
                       impact={"objectives": 1})
        elif q in SKLEARN_GRID | SKLEARN_HALVING_GRID | SKLEARN_RANDOM:
            scoring = kwarg(call, "scoring")
            if scoring is None:
                continue
            value = ctx.literal(scoring)
            if not isinstance(value, str):
                continue
            refit = kwarg(call, "refit")
            if refit is not None and not isinstance(ctx.literal(refit), bool):
                continue  # refit=callable / metric name: the author already chooses beyond the score
            cls = (q or "").rsplit(".", 1)[-1]
            ctx.report("GL103", call.func,
                       f"{cls} selects on scoring={value!r} alone; pass refit=a callable that picks the cheapest "
                       f"candidate within one standard deviation of the best score (cv_results_['mean_fit_time'])",
                       impact={"objectives": 1})
