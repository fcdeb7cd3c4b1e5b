"""GL201 for the Hugging Face `Trainer` family (and TRL's trainers) evaluating on an eval set.
"""
from __future__ import annotations

import ast
from typing import Any

from ...fixes import gl201 as fixes
from ...frontends.python import UNKNOWN, PythonContext, dotted
from .common import Callbacks, HF_ES, check_patience, has_stopping, library_instantiates, report_epochs, report_fixed_budget, sets_stop_flag
from ..training_facts import hf_trainer, hf_trainer_class, unseen_hf_trainer
from ..training_values import Args, MISSING, const_of, method_calls, receiver_of
from ...frontends.pyast import walk


def _evaluates(ctx: PythonContext, expr: Any, scope: ast.AST) -> bool | None:
    if expr is MISSING:
        return False  # the default is "no"
    if expr is UNKNOWN:
        return None
    value = const_of(ctx, expr, scope)
    if isinstance(value, str):
        return value.lower() in ("epoch", "steps")
    qual = ctx.qualname(expr) if isinstance(expr, ast.Attribute) else None
    if qual and ".IntervalStrategy." in "." + qual or (qual and qual.split(".")[-2:-1] == ["IntervalStrategy"]):
        return qual.rsplit(".", 1)[-1] in ("EPOCH", "STEPS")
    return None


def check_hf_trainer(ctx: PythonContext, min_epochs: int) -> None:
    if not ctx.imports.uses("transformers", "trl"):
        return
    safety_net = library_instantiates(ctx, HF_ES)
    for call in ctx.calls:
        run = hf_trainer(ctx, call)
        if run is None or _subclass_stops(ctx, call) or run.config is None:
            continue
        config = run.config
        strategy = config.get("eval_strategy")
        if strategy is MISSING:
            strategy = config.get("evaluation_strategy")
        if _evaluates(ctx, strategy, config.scope) is not True or run.validation in (MISSING, UNKNOWN):
            continue
        if run.callbacks is UNKNOWN or run.epochs is None or run.epochs.n is None or run.epochs.n < min_epochs:
            continue
        epochs = run.epochs.n
        per_epoch = const_of(ctx, strategy, config.scope) == "epoch" or (dotted(strategy) or "").endswith(".EPOCH")

        def patience(callbacks: Callbacks) -> None:  # it counts evaluations: one per epoch with "epoch"
            if per_epoch:
                check_patience(ctx, call.func, callbacks, epochs, "EarlyStoppingCallback early_stopping_patience",
                               "transformers", counted=" (one evaluation per epoch)")

        if has_stopping(ctx, run.callbacks, HF_ES, run.args.scope, safety_net, patience):
            continue
        if _added_callbacks(ctx, call, run.args.scope):
            continue
        if run.schedule:
            report_fixed_budget(ctx, call.func, epochs, run.schedule, "transformers")
            continue
        report_epochs(ctx, call.func, epochs, _evaluation_setting(ctx, config, strategy), "transformers", "hf",
                      fix=fixes.hf_trainer(ctx, call, config.call if not config.opaque else None))


def _subclass_stops(ctx: PythonContext, call: ast.Call) -> bool:
    """A trainer subclass of the file that stops training itself or adds early stopping, or one
    of another module, which may (unread code is given the benefit of the doubt)."""
    if unseen_hf_trainer(ctx, call):
        return True
    local = hf_trainer_class(ctx, call)[1]
    return local is not None and (sets_stop_flag(local) or any(
        ctx.qualname(n) in HF_ES for n in walk(local) if isinstance(n, (ast.Name, ast.Attribute))))


def _evaluation_setting(ctx: PythonContext, config: Args, strategy: Any) -> str:
    value = const_of(ctx, strategy, config.scope)
    what = "eval_dataset, eval_strategy=" + str(value if isinstance(value, str) else "epoch/steps")
    if const_of(ctx, config.get("load_best_model_at_end"), config.scope) is True:
        what += "; load_best_model_at_end only picks the best checkpoint after every epoch has run"
    return what


def _added_callbacks(ctx: PythonContext, ctor: ast.Call, scope: ast.AST) -> bool:
    """`trainer.add_callback(...)` on the name the trainer is bound to (any callback: be safe)."""
    parent = ctx.parent(ctor)
    names = set()
    if isinstance(parent, ast.Assign):
        names = {t.id for t in parent.targets if isinstance(t, ast.Name)}
    for call in method_calls(ctx, "add_callback"):
        recv = receiver_of(call)
        if isinstance(recv, ast.Name) and recv.id in names:
            return True
        if not names:
            return True
    return False
