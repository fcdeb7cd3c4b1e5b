"""GL201 for PyTorch Lightning `Trainer(max_epochs=N).fit(...)` with a validation loop.
"""
from __future__ import annotations

import ast

from ...frontends.python import UNKNOWN, PythonContext
from .common import Callbacks, PL_ES, check_patience, has_stopping, library_instantiates, report_epochs, report_fixed_budget
from ..training_facts import PL_TRAINERS, class_methods, constructor, fits_of, local_class, local_classes
from ..training_schedules import LIGHTNING_BUDGET, configure_optimizers_methods, make_budget, schedules_in
from ..training_values import Args, MISSING, const_of, is_none, number_of, scope_of


def lightning_patience(ctx: PythonContext, trainer: ast.Call, targs: Args, scope: ast.AST, epochs: float,
                        callbacks: Callbacks) -> None:
    checks = _lightning_validation_checks(ctx, targs, scope, epochs)
    if checks is not None and any(_lightning_has_validation(ctx, f) for f in fits_of(ctx, trainer)):
        check_patience(ctx, trainer.func, callbacks, checks, "EarlyStopping patience", "lightning",
                        unit="validation checks" if checks != epochs else "epochs")


def _lightning_has_validation(ctx: PythonContext, fit: ast.Call) -> bool:
    scope = scope_of(ctx, fit)
    fargs = Args(ctx, fit, scope)
    model_cls = None
    model_ctor = constructor(ctx, fargs.get("model", 0) if fargs.get("model", 0) not in (UNKNOWN, MISSING) else None, scope)
    if model_ctor is not None:
        model_cls = local_class(ctx, model_ctor.func)
    model_methods = class_methods(ctx, model_cls) if model_cls is not None else None
    if model_methods is not None and "validation_step" not in model_methods:
        return False
    val = fargs.get("val_dataloaders", 2)
    if val is UNKNOWN:
        return False
    if val is not MISSING and not is_none(val):
        return True
    for dm_expr in (fargs.get("datamodule", 3), fargs.get("train_dataloaders", 1)):
        if dm_expr in (UNKNOWN, MISSING) or is_none(dm_expr):
            continue
        dm_ctor = constructor(ctx, dm_expr, scope)
        if dm_ctor is None:
            continue
        dm_cls = local_class(ctx, dm_ctor.func)
        if dm_cls is not None:
            if "val_dataloader" in class_methods(ctx, dm_cls):
                return True
            continue
        qual = ctx.qualname(dm_ctor.func) or ""
        if qual.endswith("LightningDataModule.from_datasets"):
            v = Args(ctx, dm_ctor, scope).get("val_dataset", 1)
            if v not in (UNKNOWN, MISSING) and not is_none(v):
                return True
    if model_methods is not None and "val_dataloader" in model_methods:
        return True
    return False


def _lightning_validation_checks(ctx: PythonContext, targs: Args, scope: ast.AST, epochs: float) -> float | None:
    """How many validation checks a Lightning run makes, which is what EarlyStopping's patience
    counts: one every `check_val_every_n_epoch` epochs; None when `val_check_interval` adds more."""
    if targs.get("val_check_interval") is not MISSING:
        return None
    every_expr = targs.get("check_val_every_n_epoch")
    every = 1 if every_expr is MISSING else number_of(ctx, every_expr, scope)
    if not every or every < 1:
        return None
    return epochs // every


def check_lightning(ctx: PythonContext, min_epochs: int) -> None:
    if not ctx.imports.uses("pytorch_lightning", "lightning"):
        return
    safety_net = library_instantiates(ctx, PL_ES)
    for call in ctx.calls_to(*PL_TRAINERS):
        scope = scope_of(ctx, call)
        targs = Args(ctx, call, scope)
        if targs.opaque or call.args:
            continue
        for stop in ("max_steps", "max_time", "fast_dev_run"):
            value = targs.get(stop)
            if value is not MISSING and not (const_of(ctx, value, scope) in (None, -1, False)):
                break
        else:
            limit = targs.get("limit_val_batches")
            if limit is not MISSING and number_of(ctx, limit, scope) in (None, 0, 0.0):
                continue
            epochs_expr = targs.get("max_epochs")
            if epochs_expr is MISSING:
                epochs, what_default = 1000, " (Lightning's default when neither max_epochs nor max_steps is set)"
            else:
                epochs, what_default = number_of(ctx, epochs_expr, scope), ""
            if epochs is None or epochs < min_epochs:
                continue
            if has_stopping(ctx, targs.get("callbacks"), PL_ES, scope, safety_net,
                             lambda found: lightning_patience(ctx, call, targs, scope, epochs, found)):
                continue
            resume = targs.get("resume_from_checkpoint")  # Lightning < 2.0
            if resume is UNKNOWN or (resume is not MISSING and not is_none(resume)):
                continue  # resuming: how many epochs remain depends on the checkpoint
            fits = fits_of(ctx, call)
            if not fits or not any(_lightning_has_validation(ctx, f) for f in fits):
                continue
            if any(Args(ctx, f, scope_of(ctx, f)).get("ckpt_path", 4) not in (MISSING,) and
                   not is_none(Args(ctx, f, scope_of(ctx, f)).get("ckpt_path", 4)) for f in fits):
                continue  # `trainer.fit(model, ckpt_path=...)` resumes too
            # a LightningModule may add its own callbacks
            if any("configure_callbacks" in class_methods(ctx, c) for c in local_classes(ctx).values()):
                continue
            schedule = schedules_in(ctx, configure_optimizers_methods(ctx), make_budget(ctx, epochs, epochs_expr, LIGHTNING_BUDGET))
            if schedule:
                report_fixed_budget(ctx, call.func, epochs, schedule, "lightning")
                continue
            report_epochs(ctx, call.func, epochs, "a validation loop" + what_default, "lightning", "lightning")
