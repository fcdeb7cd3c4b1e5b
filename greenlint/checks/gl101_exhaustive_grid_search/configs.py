"""GL101 in sweep configs: W&B sweeps, Katib experiments, Azure ML sweep jobs, Vertex AI study
specs, SageMaker tuning-job configs, NNI experiments, Comet Optimizer configs, Determined AI
experiments and Hydra's basic sweeper, whose algorithm is a grid. The same readers serve config files (YAML, JSON) and Python dicts of that shape
(`wandb.sweep({...})`, a boto3 `HyperParameterTuningJobConfig`), read through DictReader so
that a report lands on the Python node a config value came from."""
from __future__ import annotations

import ast
import math
import re
from typing import Any

from ...frontends.config import Node
from ...frontends.python import PythonContext
from ..commands import name_words
from ..python_config_dicts import DictReader, binding, next_binding
from ..search_values import agent_count, is_dict_call, rule_options, wandb_agents
from .common import report_platform_grid


def _len_values(node) -> int | None:
    return len(node.value) if node is not None and node.is_seq else None


def _int_range(lo, hi, step=None) -> int | None:
    try:
        lo_v, hi_v = lo.number(), hi.number()
    except AttributeError:
        return None
    if not _finite(lo_v) or not _finite(hi_v):
        return None
    if step is None and (lo_v != int(lo_v) or hi_v != int(hi_v)):
        return None  # a continuous range: a grid over it has no literal size
    s = step.number() if step is not None else 1.0
    if not _finite(s) or s <= 0:
        return None
    # a small tolerance: (0.01 - 0.001) / 0.001 is 8.999... in floating point
    return int(math.floor((hi_v - lo_v) / s + 1e-9)) + 1 if hi_v >= lo_v else None


def _finite(number: float | None) -> bool:
    """A number that can count grid points (YAML's .inf and .nan cannot)."""
    return number is not None and math.isfinite(number)


def _int_of(node) -> int | None:
    if node is None or not getattr(node, "is_scalar", False):
        return None
    number = node.number()
    return int(number) if _finite(number) and number == int(number) and number > 0 else None


def _report(ctx, node, platform: str, counts: list[int | None] | None, instead: str, cap=None) -> None:
    """`cap`: the config node holding the platform's trial limit."""
    report_platform_grid(ctx, node, platform, counts, instead, _int_of(cap))


def _is_grid(node) -> bool:
    return node is not None and (node.str() or "").lower() == "grid"


def read_sweep_configs(ctx: Any, doc, agent_cap=None) -> None:
    """Every platform's grid reader on one document (a config file's, or a Python dict's)."""
    wandb(ctx, doc, agent_cap)
    _katib(ctx, doc)
    _azure(ctx, doc)
    _vertex(ctx, doc)
    _sagemaker(ctx, doc)
    _nni(ctx, doc)
    _comet(ctx, doc)
    _determined(ctx, doc)
    _hydra(ctx, doc)


# --------------------------------------------------------------------------------------------
# W&B

def _wandb_counts(params) -> list[int | None]:
    """Values per axis of a W&B `parameters` block (nested blocks flattened)."""
    return [count for _, spec in params.items() for count in _spec_counts(spec)]


def _spec_counts(spec) -> list[int | None]:
    """Values per axis of one W&B parameter (several for a nested block)."""
    if not spec.is_map:
        return [None]
    if spec.get("values") is not None:
        return [_len_values(spec.get("values"))]
    if spec.get("value") is not None:
        return [1]
    if spec.get("parameters") is not None and spec.get("parameters").is_map:
        return _wandb_counts(spec.get("parameters"))
    if spec.get("min") is not None and spec.get("max") is not None:
        return [_int_range(spec.get("min"), spec.get("max"))]  # a grid walks an int range
    return [None]


def _repeats_runs(name: str) -> bool:
    """An axis of random seeds (`seed`, `model_seed`, `random_state`) repeats each run to measure
    its variance: a repetition, not a hyper-parameter the search chooses between."""
    words = name_words(name)
    return bool(words) and (words[-1] in ("seed", "seeds") or words[-2:] == ["random", "state"])


def _wandb_parameter(spec) -> bool:
    return spec.is_map and (spec.get("values") is not None or spec.get("value") is not None
                            or spec.get("distribution") is not None
                            or (spec.get("min") is not None and spec.get("max") is not None))


def _wandb_methods(doc) -> list:
    """The sweep's `method`, and a Launch scheduler's `scheduler.settings.method`."""
    methods = [doc.get("method")]
    scheduler = doc.get("scheduler")
    if scheduler is not None and scheduler.is_map:
        settings = scheduler.get("settings")
        if settings is not None and settings.is_map:
            methods.append(settings.get("method"))
    return methods


def wandb(ctx, doc, agent_cap=None) -> None:
    """`agent_cap`: the `count=` every agent of the sweep stops after (Python: wandb.agent)."""
    params = doc.get("parameters")
    if params is None or not params.is_map or not params.value:
        return
    if not any(_wandb_parameter(spec) for _, spec in params.items()):
        return  # not W&B's parameter shape
    if sum(1 for name, spec in params.items() if not _repeats_runs(name) and _spec_counts(spec) != [1]) < 2:
        return  # one hyper-parameter, repeated over seeds: a one-axis grid
    for method in _wandb_methods(doc):
        if _is_grid(method):
            _report(ctx, method, "W&B sweep", _wandb_counts(params),
                    "use `method: bayes` or `method: random` with a `run_cap`, and `early_terminate: {type: hyperband}`",
                    cap=doc.get("run_cap") or agent_cap)


# --------------------------------------------------------------------------------------------
# Katib, Azure ML, Vertex AI, SageMaker

def _katib_axis(p) -> int | None:
    space = p.get("feasibleSpace") if p.is_map else None
    if space is None or not space.is_map:
        return None
    if space.get("list") is not None:
        return _len_values(space.get("list"))
    if space.get("min") is not None and space.get("max") is not None and (
            space.get("step") is not None or (p.get("parameterType") and p.get("parameterType").str() == "int")):
        return _int_range(space.get("min"), space.get("max"), space.get("step"))
    return None


def _katib(ctx, doc) -> None:
    if (doc.get("kind") and doc.get("kind").str()) != "Experiment":
        return
    spec = doc.get("spec")
    algo = spec.find("algorithm", "algorithmName") if spec is not None and spec.is_map else None
    if algo is None or (algo.str() or "").lower() != "grid":
        return
    params = spec.get("parameters")
    counts = [_katib_axis(p) for p in (params.value if params is not None and params.is_seq else [])]
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
    space = doc.get("search_space") or doc.get("searchSpace")
    counts = [_len_values(spec.get("values")) if spec.is_map and (spec.get("type") and spec.get("type").str()) == "choice"
              else None for _, spec in (space.items() if space is not None and space.is_map else [])]
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
        # Vertex AI's studySpec has `parameters`; the legacy AI Platform Training job
        # (`trainingInput.hyperparameters`) has `params` and `maxTrials`
        legacy = study is not None and study.is_map and study.get("params") is not None
        params = (study.get("params") if legacy else study.get("parameters")) if study is not None and study.is_map else None
        counts = [_vertex_axis(p) for p in (params.value if params is not None and params.is_seq else [])]
        _report(ctx, node, "AI Platform" if legacy else "Vertex AI", counts,
                "leave `algorithm` unset (Bayesian optimisation is the default) or use `RANDOM_SEARCH` with a trial limit",
                cap=_vertex_cap(doc, path))


def _vertex_cap(doc, path):
    """maxTrialCount (Vertex AI) or maxTrials (AI Platform) sits beside the study in the tuning
    job: the nearest holder above `path` that has one."""
    for i in range(len(path) - 1, -1, -1):
        holder = doc.find(*path[:i])
        for key in ("maxTrialCount", "maxTrials"):
            if holder is not None and holder.is_map and holder.get_ci(key) is not None:
                return holder.get_ci(key)
    return None


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
    for key in ("discreteValues", "categoricalValues"):  # AI Platform's ParameterSpec
        if p.get_ci(key) is not None:
            return _len_values(p.get_ci(key))
    kind = p.get_ci("type")
    if kind is not None and kind.is_scalar and kind.str() == "INTEGER":
        lo, hi = p.get_ci("minValue"), p.get_ci("maxValue")
        return _int_range(lo, hi) if lo is not None and hi is not None else None
    return None


def _sagemaker_axis(kind: str, item) -> int | None:
    if not item.is_map:
        return None
    if kind == "CategoricalParameterRanges":
        return _len_values(item.get("Values"))
    if kind == "IntegerParameterRanges" and item.get("MinValue") and item.get("MaxValue"):
        return _int_range(item.get("MinValue"), item.get("MaxValue"))
    return None


def _sagemaker(ctx, doc) -> None:
    for path, node in doc.walk():
        if not path or path[-1] != "Strategy" or not node.is_scalar or node.str() != "Grid":
            continue
        config = doc.find(*path[:-1])
        ranges = config.get("ParameterRanges") if config is not None and config.is_map else None
        counts = [_sagemaker_axis(kind, item)
                  for kind, items in (ranges.items() if ranges is not None and ranges.is_map else [])
                  for item in (items.value if items.is_seq else [])]
        _report(ctx, node, "SageMaker tuning job", counts,
                "use `\"Strategy\": \"Bayesian\"` or `\"Hyperband\"` with `MaxNumberOfTrainingJobs`")


# --------------------------------------------------------------------------------------------
# NNI, Comet

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


def _nni_axis(spec) -> int | None:
    kind = spec.get("_type").str() if spec.is_map and spec.get("_type") is not None else None
    value = spec.get("_value") if spec.is_map else None
    items = value.value if value is not None and value.is_seq else []
    if kind == "choice":
        return len(items) if value is not None and value.is_seq else None
    if kind == "randint" and len(items) == 2:
        lo, hi = items[0].number(), items[1].number()
        return int(hi - lo) if _finite(lo) and _finite(hi) and hi > lo else None
    if kind == "quniform" and len(items) == 3:
        return _int_range(items[0], items[1], items[2])
    return None  # continuous: NNI's grid tuner refines it without end


def nni_counts(space) -> list[int | None]:
    """Values per axis of an NNI search space: choice, randint [lower, upper), quniform [low, high, q]."""
    return [_nni_axis(spec) for _, spec in space.items()]


def _comet(ctx, doc) -> None:
    """Comet Optimizer config (`{"algorithm": "grid", "parameters": {...}, "spec": {...}}`)."""
    algo, params = doc.get("algorithm"), doc.get("parameters")
    if algo is None or (algo.str() or "").lower() != "grid" or params is None or not params.is_map or not params.value:
        return
    if not all(spec.is_map and spec.get("type") is not None for _, spec in params.items()):
        return  # not Comet's parameter shape
    counts = [_len_values(spec.get("values")) if (spec.get("type").str() or "").lower() in ("categorical", "discrete")
              else None for _, spec in params.items()]
    spec = doc.get("spec")
    _report(ctx, algo, "Comet Optimizer", counts,
            "use `\"algorithm\": \"bayes\"` or `\"random\"` with `spec.maxCombo`",
            cap=spec.get("maxCombo") if spec is not None and spec.is_map else None)


def _determined(ctx, doc) -> None:
    """Determined AI experiment config (`searcher: {name: grid}`): one trial per point of the
    product of each hyper-parameter's values; the grid searcher takes no trial limit."""
    searcher, space = doc.get("searcher"), doc.get("hyperparameters")
    name = searcher.get("name") if searcher is not None and searcher.is_map else None
    if not _is_grid(name) or space is None or not space.is_map:
        return
    _report(ctx, name, "Determined", _determined_counts(space),
            "use `searcher: {name: adaptive_asha, max_trials: N}` (or `random`), which stops poor trials early")


def _determined_counts(space) -> list[int | None]:
    """Values per hyper-parameter: const (or a bare value) 1, categorical its `vals`, int
    `count` points of [minval, maxval] (at most every integer there), double and log `count`;
    a mapping without `type` is a nested group."""
    counts: list[int | None] = []
    for _, spec in space.items():
        kind = spec.get("type").str() if spec.is_map and spec.get("type") is not None else None
        if not spec.is_map:
            counts.append(1)
        elif kind is None:
            counts.extend(_determined_counts(spec))
        elif kind == "const":
            counts.append(1)
        elif kind == "categorical":
            counts.append(_len_values(spec.get("vals")))
        else:
            count = _int_of(spec.get("count"))
            every = _int_range(spec.get("minval"), spec.get("maxval")) if kind == "int" else None
            counts.append(min(count, every) if count and every else count)
    return counts


def _hydra(ctx, doc) -> None:
    """Hydra's basic sweeper (`hydra.sweeper.params`, Hydra >= 1.2): a `--multirun` launches one
    job per combination of the values each parameter lists. Not when the file selects another
    sweeper (`override hydra/sweeper: optuna` in `defaults`, or a `_target_` that is not the
    basic one), or when a parameter is an `interval`, which only sampling sweepers read: those
    sample within their own budget."""
    sweeper = doc.find("hydra", "sweeper")
    params = sweeper.get("params") if sweeper is not None and sweeper.is_map else None
    if params is None or not params.is_map or not params.value:
        return
    target = sweeper.get("_target_")
    if target is not None and "BasicSweeper" not in (target.str() or ""):
        return
    defaults = doc.get("defaults")
    for item in (defaults.value if defaults is not None and defaults.is_seq else []):
        for key, value in (item.items() if item.is_map else []):
            if key.split()[-1].strip("/") == "hydra/sweeper" and value.str() != "basic":
                return
    if any(re.match(r"\s*interval\(", value.str() or "") for _, value in params.items()):
        return  # `interval` is no basic-sweeper function: the params are for a sampler chosen elsewhere
    _report(ctx, params, "Hydra basic sweeper", [_hydra_axis(value) for _, value in params.items()],
            "select a sampling sweeper with a budget (`override hydra/sweeper: optuna` and `n_trials`, or Ax / "
            "Nevergrad)")


_HYDRA_CALL = re.compile(r"^\s*(range|choice)\((.*)\)\s*$", re.S)


def _hydra_axis(node) -> int | None:
    """Values of one override: `a,b,c`, `choice(a,b,c)`, `range(start, stop[, step])` (stop
    excluded, as Python's); a single value is 1; other sweep functions (`interval`, `glob`) are not counted."""
    if not node.is_scalar:
        return None
    text = node.str() or ""
    call = _HYDRA_CALL.match(text)
    if call is None:
        return None if re.match(r"^\s*\w+\(", text) else len(_top_level_items(text))
    items = _top_level_items(call.group(2))
    if call.group(1) == "choice":
        return len(items)
    try:
        bounds = [float(part.split("=")[-1]) for part in items]
    except ValueError:
        return None
    if not 1 <= len(bounds) <= 3:
        return None
    start, stop, step = (0.0, bounds[0], 1.0) if len(bounds) == 1 else (bounds[0], bounds[1], (bounds + [1.0])[2])
    return max(0, math.ceil((stop - start) / step)) if step > 0 else None


def _top_level_items(text: str) -> list[str]:
    """Comma-separated items outside brackets and quotes (`[1,2],3` is two)."""
    items, depth, quote, current = [], 0, "", ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            items.append(current)
            current = ""
            continue
        current += char
    return [item for item in [*items, current] if item.strip()]


# --------------------------------------------------------------------------------------------
# the same configs written as Python dicts

class _Reporter:
    """A Python context seen by the config readers: reports land on the AST node a config node came from."""

    def __init__(self, ctx: PythonContext, reader: DictReader):
        self.ctx, self.reader, self.seen = ctx, reader, set()

    def options(self, code: str) -> dict:
        return rule_options(self.ctx, code)

    def report(self, code: str, node: Node, message: str, impact: dict | None = None) -> None:
        at = self.reader.origin.get(id(node))
        if at is None or (code, at.lineno, at.col_offset) in self.seen:
            return
        self.seen.add((code, at.lineno, at.col_offset))
        self.ctx.report(code, at, message, impact=impact)


def _grid_markers(ctx: PythonContext) -> list[ast.AST]:
    """String constants naming a grid algorithm, and enum members such as Algorithm.GRID_SEARCH."""
    found: list[ast.AST] = [n for n in ctx.nodes_of(ast.Constant) if isinstance(n.value, str)  # type: ignore[attr-defined]
                            and n.value.lower().replace("_", "") in ("grid", "gridsearch")]  # type: ignore[attr-defined]
    found += [n for n in ctx.nodes_of(ast.Attribute) if n.attr == "GRID_SEARCH"]  # type: ignore[attr-defined]
    return found


def _outermost_dict_in_statement(ctx: PythonContext, marker: ast.AST) -> ast.AST | None:
    """The outermost dict display around `marker` in its statement: `{...}` or `dict(k=v, ...)`."""
    outer = None
    for anc in ctx.ancestors(marker):
        if isinstance(anc, ast.Dict) or is_dict_call(anc) and not anc.args:  # type: ignore[attr-defined]
            outer = anc
        elif isinstance(anc, ast.stmt):
            break
    return outer


def _config_dict_of(ctx: PythonContext, reader: DictReader, marker: ast.AST, seen: set[int]) -> Node | None:
    """The config a grid marker belongs to, as it stands when complete; None when already read."""
    outer = _outermost_dict_in_statement(ctx, marker)
    holder = ctx.parent(outer if outer is not None else marker)
    target = holder.targets[0] if isinstance(holder, ast.Assign) and len(holder.targets) == 1 else None
    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
        bound = binding(ctx, target.value)  # cfg["method"] = "grid": the dict cfg is bound to
        if bound is None or id(bound[0]) in seen:
            return None
        seen.add(id(bound[0]))
        return reader.finished(bound[0], bound[1], next_binding(bound[1], bound[0]))
    if isinstance(target, ast.Name) and outer is not None:
        if id(holder) in seen:
            return None
        seen.add(id(holder))
        scope = ctx.enclosing_function(holder) or ctx.tree
        return reader.finished(holder, scope, next_binding(scope, holder))  # type: ignore[arg-type]
    if outer is None or id(outer) in seen:
        return None
    seen.add(id(outer))
    return reader.node(outer)


def _config_dicts(ctx: PythonContext, reader: DictReader) -> list[Node]:
    """The dicts that name a grid algorithm ("grid", "GRID_SEARCH", "GridSearch", "Grid"), each
    read as it stands when complete: a named dict with its later `d[k] = v` / `d.update()`, any
    other outermost dict literal as written."""
    seen: set[int] = set()
    roots = [_config_dict_of(ctx, reader, marker, seen) for marker in _grid_markers(ctx)]
    return [r for r in roots if r is not None and r.is_map]


def wandb_agent_cap(ctx: PythonContext) -> Node | None:
    """The largest `count=` when every `wandb.agent` that runs the file's sweeps has a literal one
    (each agent stops after it): the file's own agents or, for a sweep config kept in a module of
    its own, the agents of the project's modules that import it."""
    from ...frontends.project import importers

    runs = [(ctx, a) for a in wandb_agents(ctx)] or [
        (other, a) for other in importers(ctx, b"wandb") for a in wandb_agents(other)]
    counts = [where.int_value(agent_count(a)) for where, a in runs]
    if not counts or any(c is None for c in counts):
        return None
    return Node("scalar", max(counts), 1, 1, 1, 1)  # type: ignore[type-var]


def python_sweep_dicts(ctx: PythonContext) -> None:
    """GL101 on the dicts of a Python file that have the structure of a platform's grid sweep."""
    if not any(token in ctx.text for token in ("grid", "Grid", "GRID")):
        return  # every grid config names its algorithm: nothing to read
    reader = DictReader(ctx)
    reporter = _Reporter(ctx, reader)
    roots = _config_dicts(ctx, reader)
    agent_cap = wandb_agent_cap(ctx) if roots else None  # may read the modules that import this one
    for root in roots:
        read_sweep_configs(reporter, root, agent_cap)
