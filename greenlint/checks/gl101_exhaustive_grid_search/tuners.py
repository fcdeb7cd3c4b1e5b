"""GL101 for tuning libraries: Optuna's GridSampler and BruteForceSampler, Ray Tune's
`tune.grid_search` axes, keras-tuner's GridSearch."""
from __future__ import annotations

import ast
import math
from typing import Any

from ...frontends.python import PythonContext, arg, kwarg
from ..search_space import axis_len, dict_size, grid_points, hp_space_size, hypermodel_function, is_number, single_axis
from ..training_code import TrainingCode, training_code
from ..search_values import (KT_GRID, OPTUNA_BRUTE, OPTUNA_GRID, RAY_RUN, RAY_TUNER, call_qual, consumers, follow,
                             is_dict_call, objective, optimize_calls, studies_using_sampler)
from .common import CODE, NOT_HP_NAME, cost_text
from ...frontends.pyast import walk


def _none_trains(verdicts: list[bool | None]) -> bool:
    """Every callable is in this file and none trains: a demo function, not a search."""
    return bool(verdicts) and not any(v is None or v for v in verdicts)


# --------------------------------------------------------------------------------------------
# Optuna

def _suggest_points(ctx: PythonContext, node: ast.Call, kind: str) -> int | None:
    """Values one trial.suggest_* call can take (for BruteForceSampler), when the code says so."""
    if kind == "suggest_categorical":
        return axis_len(ctx, arg(node, 1, "choices"), node)
    if kind not in ("suggest_int", "suggest_float", "suggest_discrete_uniform"):
        return None
    low, high = ctx.literal(arg(node, 1, "low")), ctx.literal(arg(node, 2, "high"))
    step_node = arg(node, 3, "step") if kind != "suggest_discrete_uniform" else arg(node, 3, "q")
    step = ctx.literal(step_node) if step_node is not None else (1 if kind == "suggest_int" else None)
    if not all(is_number(v) for v in (low, high, step)) or not step:
        return None
    return grid_points(low, high, step)


def _suggest_space_size(ctx: PythonContext, fn: ast.AST | None) -> int | None:
    """Size of the space an Optuna objective declares with trial.suggest_* (for BruteForceSampler)."""
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    sizes: dict[str, int] = {}
    for node in walk(fn):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr.startswith("suggest_")):
            continue
        name = ctx.literal(arg(node, 0, "name"))
        n = _suggest_points(ctx, node, node.func.attr) if isinstance(name, str) else None
        if n is None:
            return None
        sizes[name] = n
    return math.prod(sizes.values()) if sizes else None


def _optuna_candidates(ctx: PythonContext, call: ast.Call, brute: bool, objectives: list[ast.AST | None]) -> Any:
    """The sampler's grid size (None: not knowable); False when a one-axis grid is no finding."""
    if brute:
        fns = [follow(ctx, o, call) for o in objectives]
        fn = ctx.functions.get(fns[0].id) if fns and isinstance(fns[0], ast.Name) else None
        return _suggest_space_size(ctx, fn)
    space = arg(call, 0, "search_space")
    if space is not None and single_axis(ctx, space, call):
        return False
    return dict_size(ctx, space, call) if space is not None else None


def optuna_grids(ctx: PythonContext, opts: dict[str, Any]) -> None:
    training = training_code(ctx)
    for call in ctx.calls:
        q = call_qual(ctx, call)
        if q not in OPTUNA_GRID and q not in OPTUNA_BRUTE:
            continue
        brute = q in OPTUNA_BRUTE
        objectives = [objective(o) for s in studies_using_sampler(ctx, call) for o in optimize_calls(ctx, s)]
        if _none_trains([training.callable_trains(o, call) for o in objectives]):
            continue
        candidates = _optuna_candidates(ctx, call, brute, objectives)
        if candidates is False or (candidates is not None and candidates < int(opts["min-candidates"])):
            continue
        if candidates is None and not objectives and ctx.enclosing_class(call) is not None:
            continue  # a method building a sampler from its caller's space: a tuning service's own code (Katib)
        text, impact = cost_text(opts, candidates, None, "",
                                 "optuna.samplers.TPESampler() with n_trials={n}", unit="trials")
        what = "BruteForceSampler tries every point of the objective's space" if brute else \
            "GridSampler runs one trial per grid point"
        ctx.report(CODE, call.func, f"{what}: {text}", impact=impact)


# --------------------------------------------------------------------------------------------
# Ray Tune

def _grid_axis(ctx: PythonContext, node: ast.AST) -> ast.AST | None:
    """`tune.grid_search([...])`, or its spelled-out form `{"grid_search": [...]}`."""
    if isinstance(node, ast.Call):
        q = call_qual(ctx, node) or ""
        return node if q.startswith("ray.tune") and q.endswith(".grid_search") else None
    if isinstance(node, ast.Dict) and len(node.keys) == 1 and isinstance(node.keys[0], ast.Constant) \
            and node.keys[0].value == "grid_search":
        return node
    return None


def _not_hp_key(ctx: PythonContext, axis: ast.AST) -> bool:
    """A grid over seeds or environments (`"seed": tune.grid_search([0, 1, 2])`) repeats runs on
    purpose; it is not a hyper-parameter search."""
    holder = ctx.parent(axis)
    if isinstance(holder, ast.Dict):
        for key, value in zip(holder.keys, holder.values):
            if value is axis and isinstance(key, ast.Constant) and isinstance(key.value, str):
                return bool(NOT_HP_NAME.search(key.value))
    if isinstance(holder, ast.keyword) and holder.arg:
        return bool(NOT_HP_NAME.search(holder.arg))
    return False


def _outermost_dict(ctx: PythonContext, node: ast.AST) -> ast.AST | None:
    """The config dict a grid axis belongs to (nested dicts count as the same config)."""
    outer = None
    for anc in ctx.ancestors(node):
        if isinstance(anc, ast.Dict) or is_dict_call(anc):
            outer = anc
        elif isinstance(anc, ast.keyword) and is_dict_call(ctx.parent(anc)):
            continue
        else:
            break
    return outer


def _ray_configs(ctx: PythonContext) -> list[tuple[ast.AST, list[ast.AST]]]:
    """Config dicts with their hyper-parameter grid_search axes, in the order the file builds them."""
    groups: dict[int, tuple[ast.AST, list[ast.AST]]] = {}
    for node in ctx.walk():
        axis = _grid_axis(ctx, node)
        if axis is None or _not_hp_key(ctx, axis):
            continue
        outer = _outermost_dict(ctx, axis)
        if outer is not None:
            groups.setdefault(id(outer), (outer, []))[1].append(axis)
    return list(groups.values())


def _ray_consumers(ctx: PythonContext, config: ast.AST) -> tuple[list[ast.AST | None], int | None]:
    """Trainables of the tune.run / Tuner calls that take this config, and their num_samples."""
    trainables: list[ast.AST | None] = []
    samples: int | None = None
    for call, keyword, position in consumers(ctx, config):
        q = call_qual(ctx, call)
        if q in RAY_RUN and (keyword is None or keyword.arg == "config"):
            trainables.append(arg(call, 0, "run_or_experiment"))
            samples = ctx.int_value(kwarg(call, "num_samples")) if kwarg(call, "num_samples") is not None else 1
        elif q in RAY_TUNER and ((keyword is not None and keyword.arg == "param_space") or position == 1):
            trainables.append(arg(call, 0, "trainable"))
            samples = _tuner_samples(ctx, call)
    if samples is not None and samples < 1:
        samples = None
    return trainables, samples


def _tuner_samples(ctx: PythonContext, tuner: ast.Call) -> int | None:
    """num_samples of a Tuner's tune_config (1 when there is none; None when not knowable)."""
    tune_config = follow(ctx, kwarg(tuner, "tune_config"), tuner)
    if isinstance(tune_config, ast.Call):
        n = kwarg(tune_config, "num_samples")
        return 1 if n is None else ctx.int_value(n)
    return 1 if tune_config is None else None


def ray_grids(ctx: PythonContext, opts: dict[str, Any]) -> None:
    if not ctx.imports.uses("ray"):
        return
    training = training_code(ctx)
    for outer, axes in _ray_configs(ctx):
        if len(axes) > 1:  # one axis: a random sample of it is only a coarser grid (see single_axis)
            _ray_grid(ctx, opts, training, outer, sorted(axes, key=lambda n: (n.lineno, n.col_offset)))


def _ray_grid(ctx: PythonContext, opts: dict[str, Any], training: TrainingCode, outer: ast.AST,
              axes: list[ast.AST]) -> None:
    trainables, samples = _ray_consumers(ctx, outer)
    if _none_trains([training.callable_trains(t, outer) for t in trainables]):
        return
    sizes = [axis_len(ctx, axis.values[0] if isinstance(axis, ast.Dict) else arg(axis, 0, "values"), axis)
             for axis in axes]
    candidates = math.prod(sizes) if all(s is not None for s in sizes) else None  # type: ignore[arg-type]
    if candidates is not None:
        candidates *= samples or 1
        if candidates < int(opts["min-candidates"]):
            return
    text, impact = cost_text(opts, candidates, None, "",
                             "tune.choice / tune.loguniform with num_samples={n}", unit="trials")
    axes_text = f"{len(axes)} grid_search ax{'is' if len(axes) == 1 else 'es'}"
    if samples and samples > 1 and candidates is not None:
        axes_text += f" repeated num_samples={samples} times"
    first = axes[0]
    node = first.func if isinstance(first, ast.Call) else first
    ctx.report(CODE, node, f"Ray Tune runs every combination of {axes_text}: {text}; "
                           f"add an early-stopping scheduler (ASHA) to cut it further", impact=impact)


# --------------------------------------------------------------------------------------------
# keras-tuner

def keras_tuner_grids(ctx: PythonContext, opts: dict[str, Any]) -> None:
    for call in ctx.calls:
        if call_qual(ctx, call) not in KT_GRID:
            continue
        candidates, _ = hp_space_size(ctx, hypermodel_function(ctx, call))
        cap = ctx.int_value(kwarg(call, "max_trials"))
        if candidates is not None and cap is not None:
            candidates = min(candidates, cap)
        if candidates is not None and candidates < int(opts["min-candidates"]):
            continue
        executions = ctx.int_value(kwarg(call, "executions_per_trial")) or 1
        text, impact = cost_text(opts, candidates, executions if executions > 1 else None,
                                 f"executions_per_trial={executions}",
                                 "keras_tuner.BayesianOptimization(max_trials={n}) or Hyperband", unit="trainings")
        ctx.report(CODE, call.func, f"keras-tuner GridSearch trains every combination of the hypermodel's "
                                    f"hyper-parameters: {text}", impact=impact)
