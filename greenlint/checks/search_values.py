"""How the hyper-parameter search rules (GL101-GL103) read Python code. Not a rule.

The search APIs' qualified names, a rule's options with the YAML's defaults, the expression a
name stands for, the constructor calls an object comes from, the calls that receive a value,
and Optuna's studies with their `optimize` calls. Everything is static and conservative: where
the code does not make a fact knowable, the answer is the node itself, None or an empty list,
and the rules stay silent or report without numbers.
"""
from __future__ import annotations

import ast
from typing import Any, Iterator

from ..frontends.bindings import is_opaque
from ..frontends.python import PythonContext, arg, dotted
from ..rules import load_rules
from .training_values import scope_of
from .testing_code import is_test_module
from ..frontends.pyast import walk, child_nodes

# --------------------------------------------------------------------------------------------
# API tables (canonical qualified names, as ctx.qualname gives them)

SKLEARN_GRID = {
    "sklearn.model_selection.GridSearchCV",
    "sklearn.grid_search.GridSearchCV",  # scikit-learn < 0.20
    "dask_ml.model_selection.GridSearchCV",
    "tune_sklearn.TuneGridSearchCV",
    "ray.tune.sklearn.TuneGridSearchCV",  # the same class where Ray 1.x shipped it
}
SKLEARN_HALVING_GRID = {"sklearn.model_selection.HalvingGridSearchCV"}
SKLEARN_RANDOM = {
    "sklearn.model_selection.RandomizedSearchCV",
    "sklearn.grid_search.RandomizedSearchCV",
    "sklearn.model_selection.HalvingRandomSearchCV",
    "dask_ml.model_selection.RandomizedSearchCV",
}
SKLEARN_SEARCHES = SKLEARN_GRID | SKLEARN_HALVING_GRID | SKLEARN_RANDOM
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
WANDB_AGENT = {"wandb.agent", "wandb.wandb_agent.agent"}

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


# --------------------------------------------------------------------------------------------
# options

def rule_options(ctx: Any, code: str) -> dict[str, Any]:
    """The rule's options: what the run configured over the YAML's defaults (the only place the
    defaults are written; a context made without options, as a unit test makes one, gets them too)."""
    rule = load_rules().get(code)
    defaults = rule.option_defaults() if rule is not None else {}
    return {**defaults, **ctx.options(code)}


def skip_tests(ctx: PythonContext, code: str) -> bool:
    """Test suites exercise the search APIs on toy data; they are not searches anyone runs for real."""
    return not rule_options(ctx, code)["include-tests"] and is_test_module(ctx)


# --------------------------------------------------------------------------------------------
# names and values

def qual(ctx: PythonContext, node: ast.AST | None) -> str | None:
    q = ctx.qualname(node) if node is not None else None
    if q and (q == "kerastuner" or q.startswith("kerastuner.")):  # keras-tuner < 1.0.3 package name
        q = "keras_tuner" + q[len("kerastuner"):]
    return q


def call_qual(ctx: PythonContext, node: ast.AST | None) -> str | None:
    return qual(ctx, node.func) if isinstance(node, ast.Call) else None


def is_none(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def is_dict_call(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict"


def assigned_exprs(ctx: PythonContext, name: str, at: ast.AST) -> list[ast.expr]:
    """Values bound to `name` in the scope of `at` (or the enclosing scope that defines it)."""
    return ctx.bound_values(ast.Name(id=name), scope_of(ctx, at))


def follow(ctx: PythonContext, node: ast.AST | None, at: ast.AST | None = None) -> ast.AST | None:
    """The expression a name stands for (`PythonContext.binding_value`, followed through a chain
    of names), unless the scope changes the value after binding it (`grid["C"] = ...`): then, or
    when the binding is not knowable, the name itself, so a search rule can still read its
    spelling."""
    for _ in range(6):
        if not isinstance(node, ast.Name):
            return node
        if mutated(ctx, node.id, at or node):
            return _built_by_item_sets(ctx, node, at or node) or node
        value = ctx.binding_value(node)
        if value is None or is_opaque(value):
            return node
        node = value
    return node


def _built_by_item_sets(ctx: PythonContext, name: ast.Name, at: ast.AST) -> ast.Dict | None:
    """A dict the scope builds key by key (`params = {}`, then `params["lr"] = [0.1, 0.01]`), also on
    top of a dict of the project (`from configs import *` and `grid["epochs"] = [args.epochs]`):
    the dict it is when `at` runs, when every change is such a statement with a string key, in a
    block that also holds `at` (so it runs on every path that reaches it). None otherwise (a key
    set under an `if` that `at` is outside of makes the grid not knowable); sets after `at` do not
    reach it."""
    sets: dict[str, ast.expr] = {}
    enclosing = list(ctx.ancestors(at))
    for kind, _, node in ctx.in_place_changes(scope_of(ctx, at)).get(name.id, ()):
        statement = ctx.parent(node)
        key = node.slice if kind == "item" else None  # type: ignore[attr-defined]
        if not (isinstance(statement, ast.Assign) and statement.targets == [node] and isinstance(key, ast.Constant)
                and isinstance(key.value, str) and ctx.parent(statement) in enclosing):
            return None
        if statement.lineno < at.lineno:  # type: ignore[attr-defined]
            sets[key.value] = statement.value
    base = ctx.binding_value(name)
    if isinstance(base, ast.Dict) and all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in base.keys):
        pairs = {k.value: v for k, v in zip(base.keys, base.values)}  # type: ignore[union-attr]
    else:
        known = ctx.literal(name) if base is None else None
        if not isinstance(known, dict) or not all(isinstance(k, str) for k in known):
            return None
        pairs = {k: ast.Constant(v) if not isinstance(v, list) else ast.List([ast.Constant(x) for x in v], ast.Load())
                 for k, v in known.items()}
    pairs.update(sets)
    return ast.copy_location(ast.Dict([ast.Constant(k) for k in pairs], list(pairs.values())), name)


_MUTATORS = ("update", "append", "extend", "insert", "setdefault", "pop")


def mutated(ctx: PythonContext, name: str, at: ast.AST) -> bool:
    """`name[k] = v`, `name.update(...)`, `name.append(...)` in the scope: its value is not the literal."""
    return any(kind == "item" or kind == "call" and detail in _MUTATORS
               for kind, detail, _ in ctx.in_place_changes(scope_of(ctx, at)).get(name, ()))


def mutated_name(ctx: PythonContext, node: ast.AST | None, at: ast.AST) -> bool:
    """`node` is a name whose value the scope changes after binding it."""
    return isinstance(node, ast.Name) and mutated(ctx, node.id, at)


def origin_calls(ctx: PythonContext, node: ast.AST | None, at: ast.AST | None = None) -> list[ast.Call]:
    """The constructor calls an object expression comes from (`m` in `m = CatBoostClassifier()`)."""
    if isinstance(node, ast.Call):
        return [node]
    if isinstance(node, ast.Name):
        values = assigned_exprs(ctx, node.id, at or node)
        if values and all(isinstance(v, ast.Call) for v in values):
            return values  # type: ignore[return-value]
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return _self_attribute_calls(ctx, node)
    return []


def _self_attribute_calls(ctx: PythonContext, node: ast.Attribute) -> list[ast.Call]:
    """self.model = CatBoostClassifier() anywhere in the class."""
    cls = ctx.enclosing_class(node)
    if cls is None:
        return []
    found = []
    for sub in walk(cls):
        if isinstance(sub, ast.Assign) and isinstance(sub.value, ast.Call):
            found += [sub.value for t in sub.targets
                      if isinstance(t, ast.Attribute) and dotted(t) == f"self.{node.attr}"]
    return found


def class_named(ctx: PythonContext, name: str) -> ast.ClassDef | None:
    for node in ctx.nodes_of(ast.ClassDef):
        if node.name == name:  # type: ignore[attr-defined]
            return node
    return None


def method_named(cls: ast.ClassDef | None, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The method `name` the class body defines (not inherited)."""
    if cls is None:
        return None
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == name:
            return stmt
    return None


def walk_without_nested_defs(root: ast.AST) -> Iterator[ast.AST]:
    """ast.walk from `root` (itself included) that does not enter the function or class
    definitions below it (they run only when called)."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        for child in child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                stack.append(child)


def fmt(n: float) -> str:
    return f"{n:,}" if isinstance(n, int) else f"{n:,.1f}"


# --------------------------------------------------------------------------------------------
# where things are used

def uses_of_name(ctx: PythonContext, name: str, at: ast.AST) -> list[ast.Name]:
    return ctx.reads_of(name, scope_of(ctx, at))


def consumers(ctx: PythonContext, value: ast.AST) -> Iterator[tuple[ast.Call, ast.keyword | None, int | None]]:
    """Calls that receive `value`, directly or through a name bound to it: (call, keyword, position)."""
    targets: list[ast.AST] = [value]
    parent = ctx.parent(value)
    if isinstance(parent, ast.Assign) and parent.value is value:
        for t in parent.targets:
            if isinstance(t, ast.Name):
                targets.extend(uses_of_name(ctx, t.id, parent))
    for target in targets:
        holder = ctx.parent(target)
        if isinstance(holder, ast.keyword):
            call = ctx.parent(holder)
            if isinstance(call, ast.Call):
                yield call, holder, None
        elif isinstance(holder, ast.Call) and target in holder.args:
            yield holder, None, holder.args.index(target)


# --------------------------------------------------------------------------------------------
# Optuna studies

def is_study(ctx: PythonContext, node: ast.AST, at: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and node.attr == "study" and isinstance(node.value, ast.Name):
        return False  # trial.study: the study of a running trial, not a new search
    return any(call_qual(ctx, c) in OPTUNA_STUDY_FACTORIES for c in origin_calls(ctx, node, at))


def study_factory(ctx: PythonContext, receiver: ast.AST, at: ast.AST) -> ast.Call | None:
    """The create_study / load_study call a study object comes from, when every binding agrees."""
    origins = origin_calls(ctx, receiver, at)
    if origins and all(call_qual(ctx, o) in OPTUNA_STUDY_FACTORIES for o in origins):
        return origins[0]
    return None


def studies_using_sampler(ctx: PythonContext, sampler: ast.Call) -> list[ast.Call]:
    """create_study calls whose `sampler=` is this sampler."""
    return [call for call, keyword, _ in consumers(ctx, sampler)
            if keyword is not None and keyword.arg == "sampler" and call_qual(ctx, call) in OPTUNA_STUDY_FACTORIES]


def optimize_calls(ctx: PythonContext, study: ast.Call) -> list[ast.Call]:
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
                found += _optimize_calls_on(ctx, t.id, parent)
    return found


def _optimize_calls_on(ctx: PythonContext, name: str, at: ast.AST) -> list[ast.Call]:
    found = []
    for use in uses_of_name(ctx, name, at):
        attr = ctx.parent(use)
        if isinstance(attr, ast.Attribute) and attr.attr == "optimize":
            call = ctx.parent(attr)
            if isinstance(call, ast.Call):
                found.append(call)
    return found


def objective(call: ast.Call) -> ast.AST | None:
    """The objective an `optimize(func, ...)` call runs."""
    return arg(call, 0, "func")


# --------------------------------------------------------------------------------------------
# W&B agents

def wandb_agents(ctx: PythonContext) -> list[ast.Call]:
    return [c for c in ctx.calls if ctx.qualname(c.func) in WANDB_AGENT]


def agent_count(call: ast.Call) -> ast.AST | None:
    """The `count=` a wandb.agent stops after."""
    return arg(call, 4, "count")
