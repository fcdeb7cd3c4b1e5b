"""GL102 unbounded-search: a hyper-parameter search with no trial or time budget, which keeps
starting trials until someone kills it.

- Optuna `study.optimize()` with neither `n_trials` nor `timeout` (nor a callback or a
  `study.stop()` that may end it, nor a finite grid sampler).
- Ray Tune `num_samples=-1` with no `time_budget_s` and no experiment-wide stopper.
- keras-tuner `max_trials=None` over a continuous `hp.Float` range.
- hyperopt `fmin` without `max_evals` / `timeout` / `loss_threshold` / `early_stop_fn`
  (hyperopt then sets max_evals to sys.maxsize).
- W&B random / Bayesian sweeps without `run_cap` whose every agent runs without `count`
  (W&B: "random and Bayesian searches will run forever").
"""
from __future__ import annotations

import ast

from . import detector
from ..finding import Fix
from ..frontends.python import PythonContext, arg, dotted, has_star_kwargs, kwarg
from .python_config_dicts import DictReader
from .search_space import hp_space_size, hypermodel_function
from .search_values import (KT_UNBOUNDED_CANDIDATES, OPTUNA_BRUTE, OPTUNA_GRID, RAY_RUN, RAY_TUNE_CONFIG, RAY_TUNER,
                            agent_count, call_qual, consumers, follow, is_none, skip_tests, study_factory,
                            wandb_agents)

CODE = "GL102"
_HYPEROPT_FMIN = {"hyperopt.fmin", "hyperopt.fmin.fmin"}
_WANDB_SWEEP = ("wandb.sweep", "wandb.wandb_sdk.wandb_sweep.sweep")
_SUGGESTED_TRIALS = "100"


@detector(CODE)
def unbounded_search(ctx: PythonContext) -> None:
    if skip_tests(ctx, CODE):
        return
    _optuna_unbounded(ctx)
    _ray_unbounded(ctx)
    _keras_tuner_unbounded(ctx)
    _hyperopt_unbounded(ctx)
    _wandb_unbounded(ctx)


def _given(node: ast.AST | None) -> bool:
    """An argument that may bound the search: present and not a literal None."""
    return node is not None and not is_none(node)


def _star_arguments(call: ast.Call) -> bool:
    """`*args` or `**kwargs`: a bound may be among them."""
    return has_star_kwargs(call) or any(isinstance(a, ast.Starred) for a in call.args)


# --------------------------------------------------------------------------------------------
# Optuna

def _finite_sampler(ctx: PythonContext, study: ast.Call) -> bool:
    sampler = follow(ctx, kwarg(study, "sampler"), study)
    return call_qual(ctx, sampler) in OPTUNA_GRID | OPTUNA_BRUTE


def _stops_study(ctx: PythonContext) -> bool:
    """Anything in the file calling `<study>.stop()` (a callback, the objective): it bounds itself."""
    for call in ctx.calls:
        if isinstance(call.func, ast.Attribute) and call.func.attr == "stop" and not call.args:
            if "study" in (dotted(call.func.value) or "").lower():
                return True
    return False


def _explicit_nones(ctx: PythonContext, n_trials: ast.AST | None, timeout: ast.AST | None) -> list[str] | None:
    """The bounds written as None (`n_trials=None`); None when a bound is given, or is something
    the linter cannot see (bounded as far as we know)."""
    explicit = []
    for name, node in (("n_trials", n_trials), ("timeout", timeout)):
        if node is None:
            continue
        if ctx.literal(node) is not None:
            return None
        explicit.append(name)
    return explicit


def _optuna_unbounded(ctx: PythonContext) -> None:
    stops = None
    for call in ctx.calls:
        if not (isinstance(call.func, ast.Attribute) and call.func.attr == "optimize"):
            continue
        study = study_factory(ctx, call.func.value, call)
        if study is None or _star_arguments(call):
            continue
        if kwarg(call, "callbacks") is not None:
            continue  # a callback may stop the study (MaxTrialsCallback, study.stop())
        n_trials = arg(call, 1, "n_trials")
        explicit = _explicit_nones(ctx, n_trials, arg(call, 2, "timeout"))
        if explicit is None or _finite_sampler(ctx, study):
            continue
        if stops is None:
            stops = _stops_study(ctx)
        if not stops:
            _report_optuna(ctx, call, n_trials, explicit)


def _report_optuna(ctx: PythonContext, call: ast.Call, n_trials: ast.AST | None, explicit: list[str]) -> None:
    detail = f" ({' and '.join(explicit)}=None)" if explicit else ""
    ctx.report(
        CODE, call.func,
        f"study.optimize() has neither n_trials nor timeout{detail}: Optuna keeps starting trials until "
        f"the process is killed or study.stop() is called; add n_trials=N (e.g. 100) or timeout=seconds, "
        f"or optuna.study.MaxTrialsCallback(N) when several workers share the study's storage",
        impact={"n_trials": "unbounded", "timeout": "unbounded"},
        # Unsafe: a bound changes how long the search runs, which is its point.
        fix=Fix("bound the study at 100 trials", "unsafe", (ctx.edit_keyword(call, "n_trials", _SUGGESTED_TRIALS),))
        if n_trials is None or isinstance(n_trials, ast.Constant) else None,
    )


# --------------------------------------------------------------------------------------------
# Ray Tune

_RAY_MESSAGE = ("num_samples=-1 makes Ray Tune sample trials without end, and nothing stops the experiment "
                "(stop= as a dict only ends single trials); set num_samples=N or time_budget_s=seconds, or pass "
                "an experiment-wide stopper such as tune.stopper.TimeoutStopper")


def _ray_stop_bounds(ctx: PythonContext, stop: ast.AST | None, at: ast.AST) -> bool:
    """A `stop=` that may end the whole experiment: a Stopper object or a function (dicts stop single trials)."""
    if stop is None or is_none(stop):
        return False
    return not isinstance(follow(ctx, stop, at), ast.Dict)


def _samples_without_end(ctx: PythonContext, call: ast.Call) -> bool:
    """num_samples=-1 and no time_budget_s (nor `**kwargs` that may carry one)."""
    if ctx.literal(kwarg(call, "num_samples")) != -1 or has_star_kwargs(call):
        return False
    return not _given(kwarg(call, "time_budget_s"))


def _tuner_bounded(ctx: PythonContext, tuner: ast.Call) -> bool:
    """A Tuner whose run_config may stop the experiment (a stopper, or a config the file does not spell out)."""
    run_config = follow(ctx, kwarg(tuner, "run_config"), tuner)
    if run_config is None:
        return False
    if not isinstance(run_config, ast.Call) or has_star_kwargs(run_config):
        return True
    return _ray_stop_bounds(ctx, kwarg(run_config, "stop"), run_config)


def _ray_unbounded(ctx: PythonContext) -> None:
    if not ctx.imports.uses("ray"):
        return
    for call in ctx.calls:
        q = call_qual(ctx, call)
        if q in RAY_RUN and q != "ray.tune.run_experiments":
            if _samples_without_end(ctx, call) and not _ray_stop_bounds(ctx, kwarg(call, "stop"), call):
                ctx.report(CODE, call.func, _RAY_MESSAGE, impact={"num_samples": -1})
        elif q in RAY_TUNE_CONFIG and _samples_without_end(ctx, call):
            tuners = [c for c, kw, _ in consumers(ctx, call) if call_qual(ctx, c) in RAY_TUNER and kw is not None
                      and kw.arg == "tune_config"]
            # no Tuner in sight: cannot see the run_config that may carry a stopper
            if tuners and not any(_tuner_bounded(ctx, tuner) for tuner in tuners):
                ctx.report(CODE, call.func, _RAY_MESSAGE, impact={"num_samples": -1})


# --------------------------------------------------------------------------------------------
# keras-tuner, hyperopt, W&B

def _keras_tuner_unbounded(ctx: PythonContext) -> None:
    for call in ctx.calls:
        if call_qual(ctx, call) not in KT_UNBOUNDED_CANDIDATES:
            continue
        max_trials = kwarg(call, "max_trials")
        if max_trials is None or ctx.literal(max_trials) is not None:
            continue  # keras-tuner's default is 10 trials
        _, infinite = hp_space_size(ctx, hypermodel_function(ctx, call))
        if not infinite:
            continue  # a finite space ends once exhausted
        ctx.report(CODE, call.func,
                   "max_trials=None lets keras-tuner keep drawing new points from a continuous hp.Float range until "
                   "the process is killed; set max_trials=N (keras-tuner's default is 10)",
                   impact={"max_trials": "unbounded"})


def _hyperopt_unbounded(ctx: PythonContext) -> None:
    for call in ctx.calls_to(*_HYPEROPT_FMIN):
        if _star_arguments(call):
            continue
        bounds = (arg(call, 3, "max_evals"), arg(call, 4, "timeout"), arg(call, 5, "loss_threshold"),
                  kwarg(call, "early_stop_fn"))
        if any(_given(b) for b in bounds):
            continue
        ctx.report(CODE, call.func,
                   "hyperopt.fmin() has no max_evals, timeout or loss_threshold: hyperopt then sets max_evals to "
                   "sys.maxsize and keeps evaluating until the process is killed; pass max_evals=N (e.g. 100) or "
                   "timeout=seconds", impact={"max_evals": "unbounded"})


def _wandb_unbounded(ctx: PythonContext) -> None:
    """A random or Bayesian W&B sweep defined here, with no run_cap, run by agents without count."""
    agents = wandb_agents(ctx)
    if not agents or any(_given(agent_count(a)) for a in agents):
        return
    reader = DictReader(ctx)
    for call in ctx.calls:
        if (ctx.qualname(call.func) or "") not in _WANDB_SWEEP:
            continue
        config = reader.node(arg(call, 0, "sweep"))
        method = config.get("method") if config.is_map else None
        if method is None or (method.str() or "").lower() not in ("random", "bayes") or config.get("run_cap") is not None:
            continue
        if any(key.startswith("<unknown") for key in config.value):
            continue  # keys added where the file does not say: a run_cap may be among them
        for agent in agents:
            ctx.report(CODE, agent.func,
                       f"this agent runs the {method.str()} sweep of line {call.lineno} without count= and the sweep "
                       f"has no run_cap: W&B random and Bayesian sweeps run until stopped by hand; pass count=N to "
                       f"wandb.agent or add run_cap: N to the sweep config", impact={"count": "unbounded"})
        return
