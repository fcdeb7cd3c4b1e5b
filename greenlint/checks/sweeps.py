"""GL101 in config files: grid sweeps (W&B, Katib, Azure ML, Vertex AI, SageMaker).
`sagemaker_vertex_grid(ctx)` is the Python side for the cloud tuners, for the GL101 Python
detector to call. (GL302's config reader is in gl302_oversized_architecture_default.py.)"""
from __future__ import annotations

import ast
import math
from typing import Any

from . import detector

_MAX_PRODUCT = 10**12


def _len_values(node) -> int | None:
    return len(node.value) if node is not None and node.is_seq else None


def _product(counts: list[int | None]) -> int | None:
    if not counts or any(c is None for c in counts):
        return None
    total = 1
    for c in counts:
        total *= c  # type: ignore[operator]
        if total > _MAX_PRODUCT:
            return None
    return total


def _int_range(lo, hi, step=None) -> int | None:
    try:
        lo_v, hi_v = lo.number(), hi.number()
    except AttributeError:
        return None
    if lo_v is None or hi_v is None:
        return None
    if step is None and (lo_v != int(lo_v) or hi_v != int(hi_v)):
        return None  # a continuous range: a grid over it has no literal size
    s = step.number() if step is not None else 1.0
    if not s or s <= 0:
        return None
    # a small tolerance: (0.01 - 0.001) / 0.001 is 8.999... in floating point
    return int(math.floor((hi_v - lo_v) / s + 1e-9)) + 1 if hi_v >= lo_v else None


def _wandb_counts(params) -> list[int | None]:
    """Values per axis of a W&B `parameters` block (nested blocks flattened)."""
    counts: list[int | None] = []
    for _, spec in params.items():
        if not spec.is_map:
            counts.append(None)
            continue
        if spec.get("values") is not None:
            counts.append(_len_values(spec.get("values")))
        elif spec.get("value") is not None:
            counts.append(1)
        elif spec.get("parameters") is not None and spec.get("parameters").is_map:
            counts.extend(_wandb_counts(spec.get("parameters")))
        elif spec.get("min") is not None and spec.get("max") is not None:
            counts.append(_int_range(spec.get("min"), spec.get("max")))  # a grid walks an int range
        else:
            counts.append(None)
    return counts


def _report(ctx, node, platform: str, counts: list[int | None] | None, instead: str, cap=None) -> None:
    """`counts`: values per axis (None in it: not knowable; None for all: the space is in another
    file). A grid over one varying axis is not reported, as in Python: on one axis a random
    sample is only a coarser grid."""
    if counts is not None and sum(1 for c in counts if c != 1) < 2:
        return
    size = _product(counts) if counts is not None else None
    options = ctx.options("GL101")
    if size is not None and size < int(options.get("min-candidates", 2)):
        return
    limit = _int_of(cap)
    if limit is not None and (size is None or limit < size):
        return  # the platform stops after `limit` trials: not exhaustive, and no dearer than a capped random search
    count = f"all {size:,} combinations" if size is not None else "every combination"
    ctx.report("GL101", node,
               f"{platform} grid search trains {count} of the search space; {instead}",
               {"platform": platform, "candidates": size})


def _int_of(node) -> int | None:
    if node is None or not getattr(node, "is_scalar", False):
        return None
    number = node.number()
    return int(number) if number is not None and number == int(number) and number > 0 else None


@detector("GL101", "config")
def grid_sweep_config(ctx) -> None:
    for doc in ctx.documents:
        if not doc.is_map:
            continue
        _wandb(ctx, doc)
        _katib(ctx, doc)
        _azure(ctx, doc)
        _vertex(ctx, doc)
        _sagemaker(ctx, doc)
        _nni(ctx, doc)
        _comet(ctx, doc)


def _wandb(ctx, doc, agent_cap=None) -> None:
    """`agent_cap`: the `count=` every agent of the sweep stops after (Python: wandb.agent)."""
    params = doc.get("parameters")
    if params is None or not params.is_map or not params.value:
        return
    if not any(spec.is_map and (spec.get("values") is not None or spec.get("value") is not None
                                or spec.get("distribution") is not None
                                or (spec.get("min") is not None and spec.get("max") is not None))
               for _, spec in params.items()):
        return  # not W&B's parameter shape
    methods = [doc.get("method")]
    scheduler = doc.get("scheduler")
    if scheduler is not None and scheduler.is_map:
        settings = scheduler.get("settings")
        if settings is not None and settings.is_map:
            methods.append(settings.get("method"))
    for method in methods:
        if method is not None and (method.str() or "").lower() == "grid":
            _report(ctx, method, "W&B sweep", _wandb_counts(params),
                    "use `method: bayes` or `method: random` with a `run_cap`, and `early_terminate: {type: hyperband}`",
                    cap=doc.get("run_cap") or agent_cap)


def _katib(ctx, doc) -> None:
    if (doc.get("kind") and doc.get("kind").str()) != "Experiment":
        return
    spec = doc.get("spec")
    algo = spec.find("algorithm", "algorithmName") if spec is not None and spec.is_map else None
    if algo is None or (algo.str() or "").lower() != "grid":
        return
    counts: list[int | None] = []
    params = spec.get("parameters")
    for p in (params.value if params is not None and params.is_seq else []):
        space = p.get("feasibleSpace") if p.is_map else None
        if space is None or not space.is_map:
            counts.append(None)
        elif space.get("list") is not None:
            counts.append(_len_values(space.get("list")))
        elif space.get("min") is not None and space.get("max") is not None and (
                space.get("step") is not None or (p.get("parameterType") and p.get("parameterType").str() == "int")):
            counts.append(_int_range(space.get("min"), space.get("max"), space.get("step")))
        else:
            counts.append(None)
    _report(ctx, algo, "Katib", counts,
            "use `algorithmName: bayesianoptimization`, `tpe` or `random` with `maxTrialCount`, or `hyperband`",
            cap=spec.get("maxTrialCount"))


def _azure(ctx, doc) -> None:
    if (doc.get("type") and doc.get("type").str()) != "sweep":
        return
    algo = doc.get("sampling_algorithm") or doc.get("samplingAlgorithm")
    if algo is not None and algo.is_map:
        algo = algo.get("type")
    if algo is None or (algo.str() or "").lower() != "grid":
        return
    counts: list[int | None] = []
    space = doc.get("search_space") or doc.get("searchSpace")
    for _, spec in (space.items() if space is not None and space.is_map else []):
        if spec.is_map and (spec.get("type") and spec.get("type").str()) == "choice":
            counts.append(_len_values(spec.get("values")))
        else:
            counts.append(None)
    _report(ctx, algo, "Azure ML sweep", counts,
            "use `sampling_algorithm: bayesian` or `random` with `limits.max_total_trials` and an `early_termination` policy",
            cap=_azure_cap(doc))


def _azure_cap(doc):
    limits = doc.get("limits")
    return (limits.get("max_total_trials") or limits.get("maxTotalTrials")) if limits is not None and limits.is_map else None


def _vertex(ctx, doc) -> None:
    for path, node in doc.walk():
        if not path or path[-1] != "algorithm" or not node.is_scalar or node.str() != "GRID_SEARCH":
            continue
        study = doc.find(*path[:-1])
        params = study.get("parameters") if study is not None and study.is_map else None
        counts = [_vertex_axis(p) for p in (params.value if params is not None and params.is_seq else [])]
        cap = None
        for i in range(len(path) - 1, -1, -1):  # maxTrialCount sits beside studySpec in the tuning job
            holder = doc.find(*path[:i])
            if holder is not None and holder.is_map and holder.get_ci("maxTrialCount") is not None:
                cap = holder.get_ci("maxTrialCount")
                break
        _report(ctx, node, "Vertex AI", counts,
                "leave `algorithm` unset (Vertex AI's default Bayesian optimisation) or use `RANDOM_SEARCH` with `maxTrialCount`",
                cap=cap)


def _vertex_axis(p) -> int | None:
    """Values of one study-spec parameter. REST / JSON spell the keys in camelCase, the Python
    protos in snake_case: both are read."""
    if not p.is_map:
        return None
    for kind in ("discreteValueSpec", "categoricalValueSpec"):
        spec = p.get_ci(kind)
        if spec is not None and spec.is_map and spec.get_ci("values") is not None:
            return _len_values(spec.get_ci("values"))
    spec = p.get_ci("integerValueSpec")
    if spec is not None and spec.is_map:
        lo, hi = spec.get_ci("minValue"), spec.get_ci("maxValue")
        return _int_range(lo, hi) if lo is not None and hi is not None else None
    return None


def _sagemaker(ctx, doc) -> None:
    for path, node in doc.walk():
        if not path or path[-1] != "Strategy" or not node.is_scalar or node.str() != "Grid":
            continue
        config = doc.find(*path[:-1])
        ranges = config.get("ParameterRanges") if config is not None and config.is_map else None
        counts: list[int | None] = []
        for kind, items in (ranges.items() if ranges is not None and ranges.is_map else []):
            for item in (items.value if items.is_seq else []):
                if not item.is_map:
                    counts.append(None)
                elif kind == "CategoricalParameterRanges":
                    counts.append(_len_values(item.get("Values")))
                elif kind == "IntegerParameterRanges" and item.get("MinValue") and item.get("MaxValue"):
                    counts.append(_int_range(item.get("MinValue"), item.get("MaxValue")))
                else:
                    counts.append(None)
        _report(ctx, node, "SageMaker tuning job", counts,
                "use `\"Strategy\": \"Bayesian\"` or `\"Hyperband\"` with `MaxNumberOfTrainingJobs`")


def _nni(ctx, doc) -> None:
    """NNI experiment config (v2 `tuner: {name: GridSearch}`, v1 `builtinTunerName`); the
    search space inline (`searchSpace`) or in another file (`searchSpaceFile`, `searchSpacePath`)."""
    tuner = doc.get("tuner")
    name = (tuner.get("name") or tuner.get("builtinTunerName")) if tuner is not None and tuner.is_map else None
    if name is None or name.str() != "GridSearch":
        return
    space = doc.get("searchSpace")
    counts = nni_counts(space) if space is not None and space.is_map else None
    _report(ctx, name, "NNI", counts,
            "use the `TPE` or `Random` tuner with `maxTrialNumber` (and a `Medianstop` assessor)",
            cap=doc.get("maxTrialNumber") or doc.get("maxTrialNum"))


def nni_counts(space) -> list[int | None]:
    """Values per axis of an NNI search space: choice, randint [lower, upper), quniform [low, high, q]."""
    counts: list[int | None] = []
    for _, spec in space.items():
        kind = spec.get("_type").str() if spec.is_map and spec.get("_type") is not None else None
        value = spec.get("_value") if spec.is_map else None
        items = value.value if value is not None and value.is_seq else []
        if kind == "choice":
            counts.append(len(items) if value is not None and value.is_seq else None)
        elif kind == "randint" and len(items) == 2:
            lo, hi = items[0].number(), items[1].number()
            counts.append(int(hi - lo) if lo is not None and hi is not None and hi > lo else None)
        elif kind == "quniform" and len(items) == 3:
            counts.append(_int_range(items[0], items[1], items[2]))
        else:
            counts.append(None)  # continuous: NNI's grid tuner refines it without end
    return counts


def _comet(ctx, doc) -> None:
    """Comet Optimizer config (`{"algorithm": "grid", "parameters": {...}, "spec": {...}}`)."""
    algo, params = doc.get("algorithm"), doc.get("parameters")
    if algo is None or (algo.str() or "").lower() != "grid" or params is None or not params.is_map or not params.value:
        return
    if not all(spec.is_map and spec.get("type") is not None for _, spec in params.items()):
        return  # not Comet's parameter shape
    counts: list[int | None] = []
    for _, spec in params.items():
        kind = (spec.get("type").str() or "").lower()
        counts.append(_len_values(spec.get("values")) if kind in ("categorical", "discrete") else None)
    spec = doc.get("spec")
    _report(ctx, algo, "Comet Optimizer", counts,
            "use `\"algorithm\": \"bayes\"` or `\"random\"` with `spec.maxCombo`",
            cap=spec.get("maxCombo") if spec is not None and spec.is_map else None)


# ---- Python: SageMaker HyperparameterTuner(strategy="Grid"), Vertex search_algorithm="grid"

_SM_TUNER = {"sagemaker.tuner.HyperparameterTuner", "sagemaker.HyperparameterTuner"}
_VERTEX_TUNER = {"google.cloud.aiplatform.HyperparameterTuningJob",
                 "google.cloud.aiplatform.jobs.HyperparameterTuningJob"}


def sagemaker_vertex_grid(ctx) -> None:
    """GL101 for the cloud tuners' Python SDKs; call from the GL101 Python detector."""
    for call in ctx.calls:
        qual = ctx.qualname(call.func) or ""
        if qual in _SM_TUNER:
            strategy = next((k.value for k in call.keywords if k.arg == "strategy"), None)
            if ctx.literal(strategy) == "Grid":
                counts = _sm_python_counts(ctx, next((k.value for k in call.keywords if k.arg == "hyperparameter_ranges"),
                                                 call.args[2] if len(call.args) > 2 else None))
                _report_py(ctx, strategy, "SageMaker HyperparameterTuner", counts,
                           "use `strategy=\"Bayesian\"` or `\"Hyperband\"` with `max_jobs`")
        elif qual in _VERTEX_TUNER:
            algo = next((k.value for k in call.keywords if k.arg == "search_algorithm"), None)
            if isinstance(ctx.literal(algo), str) and ctx.literal(algo).lower() == "grid":
                spec = next((k.value for k in call.keywords if k.arg == "parameter_spec"), None)
                cap = ctx.int_value(next((k.value for k in call.keywords if k.arg == "max_trial_count"), None))
                _report_py(ctx, algo, "Vertex AI HyperparameterTuningJob", _vertex_python_counts(ctx, spec),
                           "leave `search_algorithm` unset (Bayesian optimisation) or use `\"random\"` with "
                           "`max_trial_count`", cap)


def _report_py(ctx, node, platform: str, counts: list[int | None] | None, instead: str,
               cap: int | None = None) -> None:
    """`counts`: values per axis, or None when the search space is not visible; `cap`: the
    platform's trial limit (a grid larger than it is not searched exhaustively)."""
    if counts is not None and sum(1 for c in counts if c != 1) < 2:
        return  # one varying axis (see _report)
    size = _product(counts) if counts else None
    options = ctx.options("GL101")
    if size is not None and size < int(options.get("min-candidates", 2)):
        return
    if cap is not None and (size is None or cap < size):
        return
    count = f"all {size:,} combinations" if size is not None else "every combination"
    ctx.report("GL101", node, f"{platform} grid search trains {count} of the search space; {instead}",
               {"platform": platform, "candidates": size})


def _vertex_python_counts(ctx, node: Any) -> list[int | None] | None:
    """{"units": hpt.DiscreteParameterSpec(values=[...]), "n": hpt.IntegerParameterSpec(min=1, max=4)} -> values per axis."""
    if not isinstance(node, ast.Dict):
        return None
    counts: list[int | None] = []
    for value in node.values:
        name = value.func.attr if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) else \
            (value.func.id if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) else "")
        keywords = {k.arg: ctx.literal(k.value) for k in value.keywords} if isinstance(value, ast.Call) else {}
        values = keywords.get("values")
        if name in ("DiscreteParameterSpec", "CategoricalParameterSpec") and isinstance(values, (list, tuple)):
            counts.append(len(values))
        elif name == "IntegerParameterSpec" and all(isinstance(keywords.get(k), int) for k in ("min", "max")):
            counts.append(keywords["max"] - keywords["min"] + 1)
        else:
            counts.append(None)
    return counts


def _sm_python_counts(ctx, node: Any) -> list[int | None] | None:
    """{"lr": CategoricalParameter([...]), "depth": IntegerParameter(1, 5)} -> values per axis."""
    if not isinstance(node, ast.Dict):
        return None
    counts: list[int | None] = []
    for value in node.values:
        if not isinstance(value, ast.Call):
            counts.append(None)
            continue
        name = (ctx.qualname(value.func) or "").rsplit(".", 1)[-1]
        args = [ctx.literal(a) for a in value.args]
        if name == "CategoricalParameter" and args and isinstance(args[0], (list, tuple)):
            counts.append(len(args[0]))
        elif name == "IntegerParameter" and len(args) >= 2 and all(isinstance(a, int) for a in args[:2]):
            counts.append(args[1] - args[0] + 1)
        else:
            counts.append(None)
    return counts
