"""GL101 for tuning platforms' Python SDKs whose grid is a keyword or a builder: SageMaker
`HyperparameterTuner(strategy="Grid")`, Vertex AI `HyperparameterTuningJob(search_algorithm="grid")`,
Azure ML (v1 `GridParameterSampling`, v2 `.sweep(sampling_algorithm="grid")` / `SweepJob`),
Katib `KatibClient().tune(algorithm_name="grid")`, NNI `experiment.config.tuner.name = "GridSearch"`,
Spark MLlib `ParamGridBuilder`, H2O `H2OGridSearch` (Cartesian by default), ClearML
`HyperParameterOptimizer(optimizer_class=GridSearch)`."""
from __future__ import annotations

import ast
from typing import Any

from ...frontends.python import PythonContext, arg, call_name, dotted, has_star_kwargs, kwarg
from ..python_config_dicts import DictReader, dict_values, from_library, users
from ..search_space import axis_len, grid_points, is_number
from ..search_values import follow
from .common import report_platform_grid
from .configs import nni_counts

_SM_TUNER = {"sagemaker.tuner.HyperparameterTuner", "sagemaker.HyperparameterTuner"}
_VERTEX_TUNER = {"google.cloud.aiplatform.HyperparameterTuningJob",
                 "google.cloud.aiplatform.jobs.HyperparameterTuningJob"}
_AZURE_V1_GRID = {"azureml.train.hyperdrive.GridParameterSampling",
                  "azureml.train.hyperdrive.sampling.GridParameterSampling"}
_AZURE_V2_GRID_ALGO = {"azure.ai.ml.sweep.GridSamplingAlgorithm"}
_AZURE_SWEEP_JOB = {"azure.ai.ml.sweep.SweepJob", "azure.ai.ml.entities.SweepJob"}
_SPARK_GRID = {"pyspark.ml.tuning.ParamGridBuilder"}
_H2O_GRID = {"h2o.grid.H2OGridSearch", "h2o.grid.grid_search.H2OGridSearch"}
_SPARK_DEFAULT_FOLDS = 3  # CrossValidator's numFolds default
_CLEARML_OPTIMIZER = {"clearml.automation.HyperParameterOptimizer",
                      "clearml.automation.optimization.HyperParameterOptimizer"}
_CLEARML_GRID = {"clearml.automation.GridSearch", "clearml.automation.optimization.GridSearch"}


def sdk_grids(ctx: PythonContext) -> None:
    """Azure ML, Katib, NNI, Spark MLlib and H2O (SageMaker and Vertex AI: sagemaker_vertex_grids)."""
    _azure_grids(ctx)
    _katib_grids(ctx)
    _nni_grids(ctx)
    _spark_grids(ctx)
    _h2o_grids(ctx)
    _clearml_grids(ctx)


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _literal_lower(ctx: PythonContext, node: ast.AST | None) -> str | None:
    value = ctx.literal(node) if node is not None else None
    return value.lower() if isinstance(value, str) else None


# --------------------------------------------------------------------------------------------
# SageMaker, Vertex AI

def sagemaker_vertex_grids(ctx: PythonContext) -> None:
    for call in ctx.calls:
        qual = ctx.qualname(call.func) or ""
        if qual in _SM_TUNER:
            strategy = _keyword(call, "strategy")
            if ctx.literal(strategy) == "Grid":
                ranges = _keyword(call, "hyperparameter_ranges") or (call.args[2] if len(call.args) > 2 else None)
                report_platform_grid(ctx, strategy, "SageMaker HyperparameterTuner", _sm_python_counts(ctx, ranges),
                                     "use `strategy=\"Bayesian\"` or `\"Hyperband\"` with `max_jobs`")
        elif qual in _VERTEX_TUNER:
            algo = _keyword(call, "search_algorithm")
            if _literal_lower(ctx, algo) == "grid":
                cap = ctx.int_value(_keyword(call, "max_trial_count"))
                report_platform_grid(ctx, algo, "Vertex AI HyperparameterTuningJob",
                                     _vertex_python_counts(ctx, _keyword(call, "parameter_spec")),
                                     "leave `search_algorithm` unset (Bayesian optimisation) or use `\"random\"` "
                                     "with `max_trial_count`", cap)


def _vertex_axis(ctx: PythonContext, value: ast.AST) -> int | None:
    if not isinstance(value, ast.Call):
        return None
    name = value.func.attr if isinstance(value.func, ast.Attribute) else \
        (value.func.id if isinstance(value.func, ast.Name) else "")
    keywords = {k.arg: ctx.literal(k.value) for k in value.keywords}
    values = keywords.get("values")
    if name in ("DiscreteParameterSpec", "CategoricalParameterSpec") and isinstance(values, (list, tuple)):
        return len(values)
    if name == "IntegerParameterSpec" and all(isinstance(keywords.get(k), int) for k in ("min", "max")):
        return keywords["max"] - keywords["min"] + 1
    return None


def _vertex_python_counts(ctx: PythonContext, node: Any) -> list[int | None] | None:
    """{"units": hpt.DiscreteParameterSpec(values=[...]), "n": hpt.IntegerParameterSpec(min=1, max=4)} -> values per axis."""
    if not isinstance(node, ast.Dict):
        return None
    return [_vertex_axis(ctx, value) for value in node.values]


def _sm_axis(ctx: PythonContext, value: ast.AST) -> int | None:
    if not isinstance(value, ast.Call):
        return None
    name = (ctx.qualname(value.func) or "").rsplit(".", 1)[-1]
    args = [ctx.literal(a) for a in value.args]
    if name == "CategoricalParameter" and args and isinstance(args[0], (list, tuple)):
        return len(args[0])
    if name == "IntegerParameter" and len(args) >= 2 and all(isinstance(a, int) for a in args[:2]):
        return args[1] - args[0] + 1
    return None


def _sm_python_counts(ctx: PythonContext, node: Any) -> list[int | None] | None:
    """{"lr": CategoricalParameter([...]), "depth": IntegerParameter(1, 5)} -> values per axis."""
    if not isinstance(node, ast.Dict):
        return None
    return [_sm_axis(ctx, value) for value in node.values]


# --------------------------------------------------------------------------------------------
# Azure ML

_AZURE_INSTEAD = ("use `sampling_algorithm=\"bayesian\"` or `\"random\"` with `max_total_trials` and a "
                  "`BanditPolicy` early-termination policy")


def _azure_choice_counts(ctx: PythonContext, values: list[ast.AST]) -> list[int | None]:
    counts: list[int | None] = []
    for value in values:
        q = (ctx.qualname(value.func) or "") if isinstance(value, ast.Call) else ""
        if not q.startswith(("azure.ai.ml.sweep", "azureml.train.hyperdrive")):
            continue  # a fixed input, not an axis
        counts.append(_choice_len(ctx, value) if q.rsplit(".", 1)[-1] in ("Choice", "choice") else None)  # type: ignore[arg-type]
    return counts


def _choice_len(ctx: PythonContext, call: ast.Call) -> int | None:
    """Choice(values=[...]) (v2) or choice(1, 2, 3) / choice([1, 2, 3]) / choice(range(...)) (v1)."""
    values = kwarg(call, "values")
    if values is None and len(call.args) == 1:
        values = call.args[0]
    if values is None:
        return len(call.args) if call.args and not any(isinstance(a, ast.Starred) for a in call.args) else None
    literal = ctx.literal(values)
    if isinstance(literal, (list, tuple, set)):
        return len(literal)
    if isinstance(values, ast.Call) and isinstance(values.func, ast.Name) and values.func.id == "range":
        rng = ctx.literal(values)
        return len(rng) if isinstance(rng, (list, range)) else None
    return None


def _azure_grids(ctx: PythonContext) -> None:
    for call in ctx.calls:
        q = ctx.qualname(call.func) or ""
        if q in _AZURE_V1_GRID:
            _azure_hyperdrive(ctx, call)
        elif q in _AZURE_SWEEP_JOB and _azure_grid_algorithm(ctx, kwarg(call, "sampling_algorithm")):
            values = dict_values(ctx, kwarg(call, "search_space"))
            limits = kwarg(call, "limits")
            cap = ctx.int_value(kwarg(limits, "max_total_trials")) if isinstance(limits, ast.Call) else None
            report_platform_grid(ctx, kwarg(call, "sampling_algorithm"), "Azure ML sweep",
                                 _azure_choice_counts(ctx, values) if values is not None else None, _AZURE_INSTEAD, cap)
        elif isinstance(call.func, ast.Attribute) and call.func.attr == "sweep" \
                and _azure_grid_algorithm(ctx, kwarg(call, "sampling_algorithm")):
            _azure_job_sweep(ctx, call, call.func)


def _azure_hyperdrive(ctx: PythonContext, call: ast.Call) -> None:
    """v1: GridParameterSampling({...}) given to a HyperDriveConfig(max_total_runs=...)."""
    values = dict_values(ctx, arg(call, 0, "parameter_space"))
    counts = _azure_choice_counts(ctx, values) if values is not None else None
    cap = None
    for user in users(ctx, call):
        if (ctx.qualname(user.func) or "").endswith("HyperDriveConfig"):
            cap = ctx.int_value(kwarg(user, "max_total_runs"))
    report_platform_grid(ctx, call.func, "Azure ML HyperDrive", counts,
                         "use `BayesianParameterSampling` or `RandomParameterSampling` with `max_total_runs` and a "
                         "`BanditPolicy`", cap)


def _azure_job_sweep(ctx: PythonContext, call: ast.Call, func: ast.Attribute) -> None:
    """v2: `command(...)(lr=Choice(...)).sweep(sampling_algorithm="grid")`."""
    job = from_library(ctx, func.value, "azure.ai.ml")
    if job is None:
        return
    counts = _azure_choice_counts(ctx, [kw.value for kw in job.keywords if kw.arg]) \
        if not has_star_kwargs(job) else None
    inputs = dict_values(ctx, kwarg(job, "inputs"))
    if counts is not None and inputs is not None:
        counts += _azure_choice_counts(ctx, inputs)
    report_platform_grid(ctx, kwarg(call, "sampling_algorithm"), "Azure ML sweep", counts,
                         _AZURE_INSTEAD, _azure_sweep_cap(ctx, call))


def _azure_grid_algorithm(ctx: PythonContext, node: ast.AST | None) -> bool:
    if node is None:
        return False
    if isinstance(node, ast.Call):
        return (ctx.qualname(node.func) or "") in _AZURE_V2_GRID_ALGO
    return _literal_lower(ctx, node) == "grid"


def _azure_sweep_cap(ctx: PythonContext, call: ast.Call) -> int | None:
    cap = ctx.int_value(kwarg(call, "max_total_trials"))
    holder = ctx.parent(call)
    if cap is None and isinstance(holder, ast.Assign) and isinstance(holder.targets[0], ast.Name):
        name = holder.targets[0].id
        for other in ctx.calls:  # sweep_job.set_limits(max_total_trials=20)
            if isinstance(other.func, ast.Attribute) and other.func.attr == "set_limits" \
                    and dotted(other.func.value) == name:
                cap = ctx.int_value(kwarg(other, "max_total_trials"))
    return cap


# --------------------------------------------------------------------------------------------
# Katib, NNI

def _katib_grids(ctx: PythonContext) -> None:
    for call in ctx.calls:
        if call_name(call) != "tune" or not isinstance(call.func, ast.Attribute):
            continue
        if _literal_lower(ctx, kwarg(call, "algorithm_name")) != "grid":
            continue
        if from_library(ctx, call.func.value, "kubeflow.katib") is None:
            continue
        values = dict_values(ctx, kwarg(call, "parameters"))
        counts = [_katib_axis(ctx, v) for v in values] if values is not None else None
        report_platform_grid(ctx, kwarg(call, "algorithm_name"), "Katib", counts,
                             "use `algorithm_name=\"bayesianoptimization\"`, `\"tpe\"` or `\"random\"` with "
                             "`max_trial_count`", ctx.int_value(kwarg(call, "max_trial_count")))


def _katib_axis(ctx: PythonContext, node: ast.AST) -> int | None:
    """katib.search.categorical([...]) / int(min, max, step) / double(min, max, step)."""
    if not isinstance(node, ast.Call):
        return None
    kind = call_name(node)
    if kind == "categorical":
        values = ctx.literal(arg(node, 0, "list"))
        return len(values) if isinstance(values, (list, tuple)) else None
    low, high = ctx.literal(arg(node, 0, "min")), ctx.literal(arg(node, 1, "max"))
    step = ctx.literal(arg(node, 2, "step")) if arg(node, 2, "step") is not None else (1 if kind == "int" else None)
    if kind in ("int", "double") and all(is_number(v) for v in (low, high, step)) and step > 0 and high >= low:
        return grid_points(low, high, step)
    return None


def _nni_experiment_settings(ctx: PythonContext, experiment: str) -> tuple[ast.AST | None, int | None]:
    """(the search space, max_trial_number) assigned to `<experiment>.config`."""
    space, cap = None, None
    for other in ctx.nodes_of(ast.Assign):
        where = dotted(other.targets[0]) if len(other.targets) == 1 else None  # type: ignore[attr-defined]
        if where == f"{experiment}.config.search_space":
            space = other.value  # type: ignore[attr-defined]
        elif where == f"{experiment}.config.max_trial_number":
            cap = ctx.int_value(other.value)  # type: ignore[attr-defined]
    return space, cap


def _nni_grids(ctx: PythonContext) -> None:
    """`experiment.config.tuner.name = "GridSearch"` (NNI 2.x Python API)."""
    if not ctx.imports.uses("nni"):
        return
    for stmt in ctx.nodes_of(ast.Assign):
        target = dotted(stmt.targets[0]) if len(stmt.targets) == 1 else None  # type: ignore[attr-defined]
        if not target or not target.endswith(".config.tuner.name") or ctx.literal(stmt.value) != "GridSearch":  # type: ignore[attr-defined]
            continue
        space, cap = _nni_experiment_settings(ctx, target[: -len(".config.tuner.name")])
        counts = None
        if space is not None:
            node = DictReader(ctx).node(space)
            counts = nni_counts(node) if node.is_map else None
        report_platform_grid(ctx, stmt.value, "NNI", counts,  # type: ignore[attr-defined]
                             "use the `TPE` or `Random` tuner with `config.max_trial_number` (and a `Medianstop` "
                             "assessor)", cap)


# --------------------------------------------------------------------------------------------
# Spark MLlib, H2O

def _spark_grids(ctx: PythonContext) -> None:
    """ParamGridBuilder().addGrid(p, [...]).addGrid(q, [...]).build(): one model per combination.
    The builder may be held in a name between steps (`b = ParamGridBuilder()`, `b = b.addGrid(...)`,
    `b.build()`): the chain goes on through the assignment that reaches each use."""
    for call in ctx.calls:
        if call_name(call) != "build" or not isinstance(call.func, ast.Attribute):
            continue
        counts: list[int | None] = []
        node = call.func.value
        for _ in range(32):
            if isinstance(node, ast.Name):
                node = ctx.binding_value(node)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("addGrid", "baseOn"):
                if node.func.attr == "addGrid":
                    counts.append(axis_len(ctx, arg(node, 1, "values"), node))
                node = node.func.value
            else:
                break
        if not (isinstance(node, ast.Call) and (ctx.qualname(node.func) or "") in _SPARK_GRID) or not counts:
            continue
        instead = "sample the space at random (e.g. Hyperopt with SparkTrials and max_evals) instead of the full grid"
        n_folds = _cross_validator_folds(ctx, call)
        if n_folds:
            instead = f"CrossValidator fits each one {n_folds} times; " + instead
        report_platform_grid(ctx, node.func, "Spark MLlib ParamGridBuilder", counts, instead)


def _cross_validator_folds(ctx: PythonContext, grid: ast.Call) -> int | None:
    n_folds = None
    for user in users(ctx, grid):
        if call_name(user) == "CrossValidator":
            n_folds = ctx.int_value(kwarg(user, "numFolds")) if kwarg(user, "numFolds") is not None \
                else _SPARK_DEFAULT_FOLDS
    return n_folds


def _h2o_grids(ctx: PythonContext) -> None:
    for call in ctx.calls_to(*_H2O_GRID):
        criteria = arg(call, 3, "search_criteria")
        if criteria is not None:
            strategy = DictReader(ctx).node(criteria)
            kind = strategy.get("strategy") if strategy.is_map else None
            if kind is None or kind.str() != "Cartesian":
                continue  # RandomDiscrete, or a strategy the file does not spell out
        values = dict_values(ctx, arg(call, 1, "hyper_params"))
        counts = [axis_len(ctx, v, call) for v in values] if values is not None else None
        report_platform_grid(ctx, call.func, "H2O H2OGridSearch (Cartesian)", counts,
                             "pass search_criteria={\"strategy\": \"RandomDiscrete\", \"max_models\": N} (or use "
                             "H2O AutoML with max_models)")


# --------------------------------------------------------------------------------------------
# ClearML

def _clearml_grids(ctx: PythonContext) -> None:
    for call in ctx.calls_to(*_CLEARML_OPTIMIZER):
        algo = kwarg(call, "optimizer_class")
        if algo is None or ctx.qualname(algo) not in _CLEARML_GRID:
            continue
        ranges = follow(ctx, kwarg(call, "hyper_parameters"), call)
        counts = [_clearml_axis(ctx, r) for r in ranges.elts] if isinstance(ranges, (ast.List, ast.Tuple)) else None
        cap = ctx.literal(kwarg(call, "total_max_jobs"))
        report_platform_grid(ctx, algo, "ClearML GridSearch", counts,
                             "use `optimizer_class=OptimizerOptuna` (or `OptimizerBOHB`) with `total_max_jobs`",
                             cap=cap if isinstance(cap, int) and not isinstance(cap, bool) else None)


def _clearml_axis(ctx: PythonContext, node: ast.AST) -> int | None:
    """Values of one ClearML parameter range: `DiscreteParameterRange(name, values)`, and the
    stepped `UniformIntegerParameterRange(name, min, max, step_size=1)` /
    `UniformParameterRange(name, min, max, step_size)`, which include the maximum by default."""
    if not isinstance(node, ast.Call):
        return None
    kind = (ctx.qualname(node.func) or call_name(node) or "").split(".")[-1]
    if kind == "DiscreteParameterRange":
        return axis_len(ctx, arg(node, 1, "values"), node)
    if kind not in ("UniformIntegerParameterRange", "UniformParameterRange"):
        return None  # log ranges and parameter sets: not counted
    low, high = ctx.literal(arg(node, 1, "min_value")), ctx.literal(arg(node, 2, "max_value"))
    step = ctx.literal(arg(node, 3, "step_size")) if arg(node, 3, "step_size") is not None \
        else (1 if kind == "UniformIntegerParameterRange" else None)
    if not all(is_number(v) for v in (low, high, step)) or step <= 0 or high < low:
        return None  # continuous, or not knowable
    points = grid_points(low, high, step)
    excluded = ctx.literal(arg(node, 4, "include_max_value")) is False and low + (points - 1) * step >= high - 1e-9
    return points - 1 if excluded else points
