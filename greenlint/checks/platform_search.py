"""GL101 and GL102 for tuning platforms driven from Python.

- Sweep configs written as Python dicts (W&B `wandb.sweep({...})`, Comet `Optimizer({...})`,
  boto3 SageMaker `HyperParameterTuningJobConfig`, Vertex AI `study_spec`, Katib and NNI
  manifests) are read as the config files they stand for: the dict is turned into the config
  frontend's nodes and the config detectors of `sweeps.py` run on it, so one concept has one
  reading whatever the file kind.
- SDK calls whose grid is a keyword: Azure ML (v1 `GridParameterSampling`, v2
  `.sweep(sampling_algorithm="grid")` / `SweepJob`), Katib `KatibClient().tune(algorithm_name="grid")`,
  NNI `experiment.config.tuner.name = "GridSearch"`, Spark MLlib `ParamGridBuilder`, H2O
  `H2OGridSearch` (Cartesian by default).
- GL102: hyperopt `fmin` without `max_evals` / `timeout` / `loss_threshold` / `early_stop_fn`
  (hyperopt then sets max_evals to sys.maxsize), and W&B random / Bayesian sweeps whose every
  agent runs without `count` (W&B: "random and Bayesian searches will run forever").
"""
from __future__ import annotations

import ast
import math
from typing import Any

from ..frontends.config import Node
from ..frontends.python import UNKNOWN, PythonContext, arg, call_name, dotted, has_star_kwargs, kwarg
from . import sweeps

_MAX_DEPTH = 8


# --------------------------------------------------------------------------------------------
# Python dicts as config nodes

class _DictReader:
    """Turns dict / list literals (followed through names and `d[k] = v` / `d.update(...)`
    in the same scope) into config nodes, remembering the AST node each came from."""

    def __init__(self, ctx: PythonContext):
        self.ctx = ctx
        self.origin: dict[int, ast.AST] = {}

    def node(self, expr: ast.AST | None, depth: int = 0) -> Node:
        ctx = self.ctx
        if expr is None or depth > _MAX_DEPTH:
            return self._opaque(expr)
        if isinstance(expr, ast.Name):
            return self._named(expr, depth)
        if isinstance(expr, ast.Dict):
            entries = {}
            for key, value in zip(expr.keys, expr.values):
                k = ctx.literal(key) if key is not None else None
                if not isinstance(k, str):
                    entries[f"<unknown {len(entries)}>"] = self._opaque(value)  # **other or a computed key
                    continue
                entries[k] = self.node(value, depth + 1)
            return self._make("map", entries, expr)
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "dict" and not expr.args:
            entries = {kw.arg if kw.arg else f"<unknown {i}>": self.node(kw.value, depth + 1) if kw.arg
                       else self._opaque(kw.value) for i, kw in enumerate(expr.keywords)}
            return self._make("map", entries, expr)
        if isinstance(expr, (ast.List, ast.Tuple)):
            if any(isinstance(e, ast.Starred) for e in expr.elts):
                return self._opaque(expr)
            return self._make("seq", [self.node(e, depth + 1) for e in expr.elts], expr)
        if isinstance(expr, ast.Attribute):  # an enum member: StudySpec.Algorithm.GRID_SEARCH
            if expr.attr.isupper() and ctx.qualname(expr) is not None:
                return self._make("scalar", expr.attr, expr)
            return self._opaque(expr)
        value = ctx.literal(expr)
        if value is UNKNOWN or isinstance(value, (dict, list, tuple, set)):
            return self._opaque(expr)
        return self._make("scalar", value, expr)

    def _named(self, name: ast.Name, depth: int) -> Node:
        bound = _binding(self.ctx, name)
        if bound is None:
            return self._opaque(name)
        return self.finished(bound[0], bound[1], name.lineno, depth)

    def finished(self, assign: ast.Assign, scope: ast.AST, until: float, depth: int = 0) -> Node:
        """The value `assign` binds, with the `d[k] = v` / `d.update()` of its scope up to line `until`."""
        base = self.node(assign.value, depth + 1)
        if not base.is_map:
            return base
        entries = dict(base.value)
        name = assign.targets[0].id  # type: ignore[attr-defined]
        for stmt in _mutations(scope, name, assign, until):
            self._apply(stmt, entries, depth)
        return self._make("map", entries, assign.value)

    def _apply(self, stmt: ast.AST, entries: dict, depth: int) -> None:
        """`d["k"] = v` and `d.update({...})` / `d.update(k=v)` change the dict; other changes make it unknown."""
        if isinstance(stmt, ast.Assign):
            key = self.ctx.literal(stmt.targets[0].slice)  # type: ignore[attr-defined]
            if isinstance(key, str):
                entries[key] = self.node(stmt.value, depth + 1)
                return
        elif isinstance(stmt, ast.Call) and len(stmt.args) <= 1:
            other = self.node(stmt.args[0], depth + 1) if stmt.args else self._make("map", {}, stmt)
            if other.is_map and all(kw.arg for kw in stmt.keywords):
                entries.update(other.value)
                entries.update({kw.arg: self.node(kw.value, depth + 1) for kw in stmt.keywords})
                return
        entries[f"<unknown {len(entries)}>"] = self._opaque(stmt)

    def _make(self, kind: str, value: Any, at: ast.AST) -> Node:
        node = Node(kind, value, getattr(at, "lineno", 1), getattr(at, "col_offset", 0) + 1,
                    getattr(at, "end_lineno", 1) or 1, (getattr(at, "end_col_offset", 0) or 0) + 1)
        self.origin[id(node)] = at
        return node

    def _opaque(self, at: ast.AST | None) -> Node:
        node = Node("scalar", None, 1, 1, 1, 1, tag="expr")
        if at is not None:
            self.origin[id(node)] = at
        return node


def _binding(ctx: PythonContext, name: ast.Name) -> tuple[ast.Assign, ast.AST] | None:
    """The one `name = <value>` of the scope that reaches `name` (the last one above it)."""
    scope = ctx.enclosing_function(name) or ctx.tree
    candidates = [s for s in _scope_statements(scope) if isinstance(s, ast.Assign) and len(s.targets) == 1
                  and isinstance(s.targets[0], ast.Name) and s.targets[0].id == name.id
                  and s.lineno < name.lineno]
    if not candidates and scope is not ctx.tree:
        scope = ctx.tree
        candidates = [s for s in _scope_statements(scope) if isinstance(s, ast.Assign) and len(s.targets) == 1
                      and isinstance(s.targets[0], ast.Name) and s.targets[0].id == name.id]
    if not candidates:
        return None
    return max(candidates, key=lambda s: s.lineno), scope


def _scope_statements(scope: ast.AST):
    """Nodes of a scope, not entering nested functions or classes."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def _mutations(scope: ast.AST, name: str, assign: ast.Assign, until: float) -> list[ast.AST]:
    """`name[...] = v` assignments and `name.update(...)` calls between the binding and line `until`."""
    found = []
    end = until if until > assign.lineno else float("inf")
    for node in _scope_statements(scope):
        line = getattr(node, "lineno", 0)
        if not assign.lineno < line <= end:
            continue
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript) \
                and isinstance(node.targets[0].value, ast.Name) and node.targets[0].value.id == name:
            found.append(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update" \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == name:
            found.append(node)
    return sorted(found, key=lambda n: (n.lineno, n.col_offset))


class _Reporter:
    """A Python context seen by the config detectors: reports land on the AST node a config node came from."""

    def __init__(self, ctx: PythonContext, reader: _DictReader):
        self.ctx, self.reader, self.seen = ctx, reader, set()

    def options(self, code: str) -> dict:
        return self.ctx.options(code)

    def report(self, code: str, node: Node, message: str, impact: dict | None = None) -> None:
        at = self.reader.origin.get(id(node))
        if at is None or (code, at.lineno, at.col_offset) in self.seen:
            return
        self.seen.add((code, at.lineno, at.col_offset))
        self.ctx.report(code, at, message, impact=impact)


def _config_dicts(ctx: PythonContext, reader: _DictReader) -> list[Node]:
    """The dicts that name a grid algorithm ("grid", "GRID_SEARCH", "GridSearch", "Grid"), each
    read as it stands when complete: a named dict with its later `d[k] = v` / `d.update()`, any
    other outermost dict literal as written."""
    roots: list[Node] = []
    seen: set[int] = set()
    for marker in _grid_markers(ctx):
        outer = None
        for anc in ctx.ancestors(marker):
            if isinstance(anc, ast.Dict):
                outer = anc
            elif isinstance(anc, ast.stmt):
                break
        holder = ctx.parent(outer if outer is not None else marker)
        if isinstance(holder, ast.Assign) and len(holder.targets) == 1:
            target = holder.targets[0]
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                bound = _binding(ctx, target.value)  # cfg["method"] = "grid": the dict cfg is bound to
                if bound is not None and id(bound[0]) not in seen:
                    seen.add(id(bound[0]))
                    roots.append(reader.finished(bound[0], bound[1], _next_binding(bound[1], bound[0])))
                continue
            if isinstance(target, ast.Name) and outer is not None:
                if id(holder) not in seen:
                    seen.add(id(holder))
                    scope = ctx.enclosing_function(holder) or ctx.tree
                    roots.append(reader.finished(holder, scope, _next_binding(scope, holder)))
                continue
        if outer is not None and id(outer) not in seen:
            seen.add(id(outer))
            roots.append(reader.node(outer))
    return [r for r in roots if r.is_map]


def _grid_markers(ctx: PythonContext) -> list[ast.AST]:
    """String constants naming a grid algorithm, and enum members such as Algorithm.GRID_SEARCH."""
    found: list[ast.AST] = [n for n in ctx.nodes_of(ast.Constant) if isinstance(n.value, str)  # type: ignore[attr-defined]
                            and n.value.lower().replace("_", "") in ("grid", "gridsearch")]  # type: ignore[attr-defined]
    found += [n for n in ctx.nodes_of(ast.Attribute) if n.attr == "GRID_SEARCH"]  # type: ignore[attr-defined]
    return found


def _next_binding(scope: ast.AST, assign: ast.Assign) -> float:
    """The line where the name `assign` binds is bound again (its dict is finished before it)."""
    name = assign.targets[0].id  # type: ignore[attr-defined]
    later = [n.lineno for n in _scope_statements(scope) if isinstance(n, ast.Assign) and len(n.targets) == 1
             and isinstance(n.targets[0], ast.Name) and n.targets[0].id == name and n.lineno > assign.lineno]
    return min(later, default=float("inf"))


def python_sweep_dicts(ctx: PythonContext) -> None:
    """GL101 on the dicts of a Python file that have the structure of a platform's grid sweep."""
    if not any(token in ctx.text for token in ("grid", "Grid", "GRID")):
        return  # every grid config names its algorithm: nothing to read
    reader = _DictReader(ctx)
    reporter = _Reporter(ctx, reader)
    agent_cap = _wandb_agent_cap(ctx)
    for root in _config_dicts(ctx, reader):
        sweeps._wandb(reporter, root, agent_cap=agent_cap)
        sweeps._katib(reporter, root)
        sweeps._azure(reporter, root)
        sweeps._vertex(reporter, root)
        sweeps._sagemaker(reporter, root)
        sweeps._nni(reporter, root)
        sweeps._comet(reporter, root)


def _wandb_agents(ctx: PythonContext) -> list[ast.Call]:
    return [c for c in ctx.calls if ctx.qualname(c.func) in ("wandb.agent", "wandb.wandb_agent.agent")]


def _agent_count(call: ast.Call) -> ast.AST | None:
    return arg(call, 4, "count")


def _wandb_agent_cap(ctx: PythonContext) -> Node | None:
    """The largest `count=` when every `wandb.agent` of the file has a literal one (each agent stops after it)."""
    agents = _wandb_agents(ctx)
    counts = [ctx.int_value(_agent_count(a)) for a in agents]
    if not counts or any(c is None for c in counts):
        return None
    return Node("scalar", max(counts), 1, 1, 1, 1)  # type: ignore[type-var]


# --------------------------------------------------------------------------------------------
# SDK calls

_AZURE_V1_GRID = {"azureml.train.hyperdrive.GridParameterSampling",
                  "azureml.train.hyperdrive.sampling.GridParameterSampling"}
_AZURE_V2_GRID_ALGO = {"azure.ai.ml.sweep.GridSamplingAlgorithm"}
_AZURE_SWEEP_JOB = {"azure.ai.ml.sweep.SweepJob", "azure.ai.ml.entities.SweepJob"}
_KATIB_CLIENT = {"kubeflow.katib.KatibClient", "kubeflow.katib.api.katib_client.KatibClient"}
_SPARK_GRID = {"pyspark.ml.tuning.ParamGridBuilder"}
_H2O_GRID = {"h2o.grid.H2OGridSearch", "h2o.grid.grid_search.H2OGridSearch"}


def _literal_lower(ctx: PythonContext, node: ast.AST | None) -> str | None:
    value = ctx.literal(node) if node is not None else None
    return value.lower() if isinstance(value, str) else None


def _report(ctx: PythonContext, at: ast.AST, platform: str, counts: list[int | None] | None, instead: str,
            cap: int | None = None) -> None:
    if counts is not None and sum(1 for c in counts if c != 1) < 2:
        return  # one varying axis: a random sample of it is only a coarser grid
    size = None
    if counts is not None and all(c is not None for c in counts):
        size = math.prod(counts)  # type: ignore[arg-type]
    if size is not None and size < int(ctx.options("GL101").get("min-candidates", 2)):
        return
    if cap is not None and (size is None or cap < size):
        return  # the platform stops after `cap` trials: not exhaustive
    count = f"all {size:,} combinations" if size is not None else "every combination"
    ctx.report("GL101", at, f"{platform} grid search trains {count} of the search space; {instead}",
               {"platform": platform, "candidates": size})


def _from_library(ctx: PythonContext, node: ast.AST | None, prefix: str, depth: int = 0) -> ast.Call | None:
    """The call of `prefix`'s API an object comes from: `command(...)`, or `job(lr=...)` of such a job."""
    if node is None or depth > 4:
        return None
    if isinstance(node, ast.Name):
        bound = _binding(ctx, node)
        return _from_library(ctx, bound[0].value, prefix, depth + 1) if bound else None
    if isinstance(node, ast.Call):
        q = ctx.qualname(node.func) or ""
        if q == prefix or q.startswith(prefix + "."):
            return node
        if _from_library(ctx, node.func, prefix, depth + 1) is not None:
            return node
    return None


def _azure_choice_counts(ctx: PythonContext, values: list[ast.AST]) -> list[int | None]:
    counts: list[int | None] = []
    for value in values:
        q = (ctx.qualname(value.func) or "") if isinstance(value, ast.Call) else ""
        if not q.startswith(("azure.ai.ml.sweep", "azureml.train.hyperdrive")):
            continue  # a fixed input, not an axis
        if q.rsplit(".", 1)[-1] in ("Choice", "choice"):
            counts.append(_choice_len(ctx, value))  # type: ignore[arg-type]
        else:
            counts.append(None)
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


def _dict_values(ctx: PythonContext, node: ast.AST | None) -> list[ast.AST] | None:
    node = _binding(ctx, node)[0].value if isinstance(node, ast.Name) and _binding(ctx, node) else node
    if isinstance(node, ast.Dict) and None not in node.keys:
        return list(node.values)
    return None


def _azure_grids(ctx: PythonContext) -> None:
    for call in ctx.calls:
        q = ctx.qualname(call.func) or ""
        if q in _AZURE_V1_GRID:
            values = _dict_values(ctx, arg(call, 0, "parameter_space"))
            counts = _azure_choice_counts(ctx, values) if values is not None else None
            cap = None
            for user in _users(ctx, call):
                if (ctx.qualname(user.func) or "").endswith("HyperDriveConfig"):
                    cap = ctx.int_value(kwarg(user, "max_total_runs"))
            _report(ctx, call.func, "Azure ML HyperDrive", counts,
                    "use `BayesianParameterSampling` or `RandomParameterSampling` with `max_total_runs` and a "
                    "`BanditPolicy`", cap)
        elif q in _AZURE_SWEEP_JOB and _azure_grid_algorithm(ctx, kwarg(call, "sampling_algorithm")):
            values = _dict_values(ctx, kwarg(call, "search_space"))
            limits = kwarg(call, "limits")
            cap = ctx.int_value(kwarg(limits, "max_total_trials")) if isinstance(limits, ast.Call) else None
            _report(ctx, kwarg(call, "sampling_algorithm"), "Azure ML sweep",  # type: ignore[arg-type]
                    _azure_choice_counts(ctx, values) if values is not None else None, _AZURE_INSTEAD, cap)
        elif isinstance(call.func, ast.Attribute) and call.func.attr == "sweep" \
                and _azure_grid_algorithm(ctx, kwarg(call, "sampling_algorithm")):
            job = _from_library(ctx, call.func.value, "azure.ai.ml")
            if job is None:
                continue
            counts = _azure_choice_counts(ctx, [kw.value for kw in job.keywords if kw.arg]) \
                if not has_star_kwargs(job) else None
            inputs = _dict_values(ctx, kwarg(job, "inputs"))
            if counts is not None and inputs is not None:
                counts += _azure_choice_counts(ctx, inputs)
            _report(ctx, kwarg(call, "sampling_algorithm"), "Azure ML sweep", counts,  # type: ignore[arg-type]
                    _AZURE_INSTEAD, _azure_sweep_cap(ctx, call))


_AZURE_INSTEAD = ("use `sampling_algorithm=\"bayesian\"` or `\"random\"` with `max_total_trials` and a "
                  "`BanditPolicy` early-termination policy")


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


def _users(ctx: PythonContext, value: ast.AST) -> list[ast.Call]:
    """Calls that take `value` as an argument, directly or through the name it is assigned to."""
    holder = ctx.parent(value)
    if isinstance(holder, ast.keyword):
        holder = ctx.parent(holder)
    if isinstance(holder, ast.Call):
        return [holder]
    users = []
    if isinstance(holder, ast.Assign) and len(holder.targets) == 1 and isinstance(holder.targets[0], ast.Name):
        name = holder.targets[0].id
        for call in ctx.calls:
            given = list(call.args) + [kw.value for kw in call.keywords]
            if any(isinstance(g, ast.Name) and g.id == name for g in given):
                users.append(call)
    return users


def _katib_grids(ctx: PythonContext) -> None:
    for call in ctx.calls:
        if call_name(call) != "tune" or not isinstance(call.func, ast.Attribute):
            continue
        if _literal_lower(ctx, kwarg(call, "algorithm_name")) != "grid":
            continue
        if _from_library(ctx, call.func.value, "kubeflow.katib") is None:
            continue
        values = _dict_values(ctx, kwarg(call, "parameters"))
        counts = [_katib_axis(ctx, v) for v in values] if values is not None else None
        _report(ctx, kwarg(call, "algorithm_name"), "Katib", counts,  # type: ignore[arg-type]
                "use `algorithm_name=\"bayesianoptimization\"`, `\"tpe\"` or `\"random\"` with `max_trial_count`",
                ctx.int_value(kwarg(call, "max_trial_count")))


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
    if kind in ("int", "double") and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                         for v in (low, high, step)) and step > 0 and high >= low:
        return int(math.floor((high - low) / step + 1e-9)) + 1
    return None


def _nni_grids(ctx: PythonContext) -> None:
    """`experiment.config.tuner.name = "GridSearch"` (NNI 2.x Python API)."""
    if not ctx.imports.uses("nni"):
        return
    for stmt in ctx.nodes_of(ast.Assign):
        target = dotted(stmt.targets[0]) if len(stmt.targets) == 1 else None  # type: ignore[attr-defined]
        if not target or not target.endswith(".config.tuner.name") or ctx.literal(stmt.value) != "GridSearch":  # type: ignore[attr-defined]
            continue
        experiment = target[: -len(".config.tuner.name")]
        space, cap = None, None
        for other in ctx.nodes_of(ast.Assign):
            where = dotted(other.targets[0]) if len(other.targets) == 1 else None  # type: ignore[attr-defined]
            if where == f"{experiment}.config.search_space":
                space = other.value  # type: ignore[attr-defined]
            elif where == f"{experiment}.config.max_trial_number":
                cap = ctx.int_value(other.value)  # type: ignore[attr-defined]
        counts = None
        if space is not None:
            node = _DictReader(ctx).node(space)
            counts = sweeps.nni_counts(node) if node.is_map else None
        _report(ctx, stmt.value, "NNI", counts,  # type: ignore[attr-defined]
                "use the `TPE` or `Random` tuner with `config.max_trial_number` (and a `Medianstop` assessor)", cap)


def _spark_grids(ctx: PythonContext) -> None:
    """ParamGridBuilder().addGrid(p, [...]).addGrid(q, [...]).build(): one model per combination."""
    from .search import _axis_len

    for call in ctx.calls:
        if call_name(call) != "build" or not isinstance(call.func, ast.Attribute):
            continue
        counts: list[int | None] = []
        node = call.func.value
        while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("addGrid", "baseOn"):
            if node.func.attr == "addGrid":
                counts.append(_axis_len(ctx, arg(node, 1, "values"), node))
            node = node.func.value
        if not (isinstance(node, ast.Call) and (ctx.qualname(node.func) or "") in _SPARK_GRID) or not counts:
            continue
        folds = None
        for user in _users(ctx, call):
            if call_name(user) == "CrossValidator":
                folds = ctx.int_value(kwarg(user, "numFolds")) if kwarg(user, "numFolds") is not None else 3
        instead = "sample the space at random (e.g. Hyperopt with SparkTrials and max_evals) instead of the full grid"
        if folds:
            instead = f"CrossValidator fits each one {folds} times; " + instead
        _report(ctx, node.func, "Spark MLlib ParamGridBuilder", counts, instead)


def _h2o_grids(ctx: PythonContext) -> None:
    from .search import _axis_len

    for call in ctx.calls_to(*_H2O_GRID):
        criteria = arg(call, 3, "search_criteria")
        if criteria is not None:
            strategy = _DictReader(ctx).node(criteria)
            kind = strategy.get("strategy") if strategy.is_map else None
            if kind is None or kind.str() != "Cartesian":
                continue  # RandomDiscrete, or a strategy the file does not spell out
        values = _dict_values(ctx, arg(call, 1, "hyper_params"))
        counts = [_axis_len(ctx, v, call) for v in values] if values is not None else None
        _report(ctx, call.func, "H2O H2OGridSearch (Cartesian)", counts,
                "pass search_criteria={\"strategy\": \"RandomDiscrete\", \"max_models\": N} (or use H2O AutoML "
                "with max_models)")


def platform_grids(ctx: PythonContext) -> None:
    """GL101 for the platforms above; called by the GL101 Python detector."""
    python_sweep_dicts(ctx)
    _azure_grids(ctx)
    _katib_grids(ctx)
    _nni_grids(ctx)
    _spark_grids(ctx)
    _h2o_grids(ctx)


# --------------------------------------------------------------------------------------------
# GL102

_HYPEROPT_FMIN = {"hyperopt.fmin", "hyperopt.fmin.fmin"}


def platform_unbounded(ctx: PythonContext) -> None:
    _hyperopt_unbounded(ctx)
    _wandb_unbounded(ctx)


def _given(ctx: PythonContext, node: ast.AST | None) -> bool:
    """An argument that may bound the search: present and not a literal None."""
    return node is not None and not (isinstance(node, ast.Constant) and node.value is None)


def _hyperopt_unbounded(ctx: PythonContext) -> None:
    for call in ctx.calls_to(*_HYPEROPT_FMIN):
        if has_star_kwargs(call) or any(isinstance(a, ast.Starred) for a in call.args):
            continue
        bounds = (arg(call, 3, "max_evals"), arg(call, 4, "timeout"), arg(call, 5, "loss_threshold"),
                  kwarg(call, "early_stop_fn"))
        if any(_given(ctx, b) for b in bounds):
            continue
        ctx.report("GL102", call.func,
                   "hyperopt.fmin() has no max_evals, timeout or loss_threshold: hyperopt then sets max_evals to "
                   "sys.maxsize and keeps evaluating until the process is killed; pass max_evals=N (e.g. 100) or "
                   "timeout=seconds", impact={"max_evals": "unbounded"})


def _wandb_unbounded(ctx: PythonContext) -> None:
    """A random or Bayesian W&B sweep defined here, with no run_cap, run by agents without count."""
    agents = _wandb_agents(ctx)
    if not agents or any(_given(ctx, _agent_count(a)) for a in agents):
        return
    reader = _DictReader(ctx)
    for call in ctx.calls:
        if (ctx.qualname(call.func) or "") not in ("wandb.sweep", "wandb.wandb_sdk.wandb_sweep.sweep"):
            continue
        config = reader.node(arg(call, 0, "sweep"))
        method = config.get("method") if config.is_map else None
        if method is None or (method.str() or "").lower() not in ("random", "bayes") or config.get("run_cap") is not None:
            continue
        if any(key.startswith("<unknown") for key in config.value):
            continue  # keys added where the file does not say: a run_cap may be among them
        for agent in agents:
            ctx.report("GL102", agent.func,
                       f"this agent runs the {method.str()} sweep of line {call.lineno} without count= and the sweep "
                       f"has no run_cap: W&B random and Bayesian sweeps run until stopped by hand; pass count=N to "
                       f"wandb.agent or add run_cap: N to the sweep config", impact={"count": "unbounded"})
        return
