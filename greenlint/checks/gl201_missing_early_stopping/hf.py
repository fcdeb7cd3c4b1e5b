"""GL201 for the Hugging Face `Trainer` family (and TRL's trainers) evaluating on an eval set.
"""
from __future__ import annotations

import ast
from typing import Any

from ...frontends.python import UNKNOWN, PythonContext, dotted
from .common import Callbacks, HF_ES, check_patience, has_stopping, library_instantiates, report_epochs, report_fixed_budget, sets_stop_flag
from ..training_facts import HF_ARGS, constructor, hf_trainer_class
from ..training_schedules import hf_schedule, make_budget
from ..training_values import Args, MISSING, const_of, is_none, method_calls, number_of, receiver_of, same_ref, scope_of


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
        is_trainer, local = hf_trainer_class(ctx, call)
        if not is_trainer:
            continue
        if local is not None and (sets_stop_flag(local) or any(ctx.qualname(n) in HF_ES for n in ast.walk(local) if isinstance(n, (ast.Name, ast.Attribute)))):
            continue
        scope = scope_of(ctx, call)
        targs = Args(ctx, call, scope)
        if len(call.args) > 5:
            continue  # positional callbacks in some versions: cannot tell
        args_expr = targs.get("args", 1)
        if args_expr is UNKNOWN or args_expr is MISSING:
            continue
        args_call = constructor(ctx, args_expr, scope)
        if args_call is None or ctx.qualname(args_call.func) not in HF_ARGS:
            continue
        aargs = Args(ctx, args_call, scope_of(ctx, args_call))
        ascope = scope_of(ctx, args_call)
        strategy = aargs.get("eval_strategy")
        if strategy is MISSING:
            strategy = aargs.get("evaluation_strategy")
        if _evaluates(ctx, strategy, ascope) is not True:
            continue
        eval_ds = targs.get("eval_dataset", 4)
        if eval_ds is MISSING or eval_ds is UNKNOWN or is_none(eval_ds):
            continue
        train_ds = targs.get("train_dataset", 3)
        if train_ds is not MISSING and train_ds is not UNKNOWN and same_ref(train_ds, eval_ds):
            continue  # evaluating on the training set is not validation
        max_steps = aargs.get("max_steps")
        if max_steps is UNKNOWN:
            continue
        if max_steps is not MISSING:
            steps = number_of(ctx, max_steps, ascope)
            if steps is None or steps > 0:
                continue  # max_steps overrides the epoch count
        epochs_expr = aargs.get("num_train_epochs")
        if epochs_expr is UNKNOWN:
            continue
        epochs = 3.0 if epochs_expr is MISSING else number_of(ctx, epochs_expr, ascope)
        if epochs is None or epochs < min_epochs:
            continue
        per_epoch = const_of(ctx, strategy, ascope) == "epoch" or (dotted(strategy) or "").endswith(".EPOCH")

        def patience(callbacks: Callbacks) -> None:  # it counts evaluations: one per epoch with "epoch"
            if per_epoch:
                check_patience(ctx, call.func, callbacks, epochs, "EarlyStoppingCallback early_stopping_patience",
                                "transformers", counted=" (one evaluation per epoch)")

        if has_stopping(ctx, targs.get("callbacks"), HF_ES, scope, safety_net, patience):
            continue
        if _added_callbacks(ctx, call, scope):
            continue
        schedule = hf_schedule(ctx, aargs, ascope, targs, scope, make_budget(ctx, epochs, epochs_expr))
        if schedule:
            report_fixed_budget(ctx, call.func, epochs, schedule, "transformers")
            continue
        lbm = const_of(ctx, aargs.get("load_best_model_at_end"), ascope) is True
        what = "eval_dataset, eval_strategy=" + str(const_of(ctx, strategy, ascope) if isinstance(const_of(ctx, strategy, ascope), str) else "epoch/steps")
        if lbm:
            what += "; load_best_model_at_end only picks the best checkpoint after every epoch has run"
        report_epochs(ctx, call.func, epochs, what, "transformers", "hf")


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
