"""GL201 for PyTorch Lightning `Trainer(max_epochs=N).fit(...)` with a validation loop.
"""
from __future__ import annotations


from ...fixes import gl201 as fixes
from ...frontends.python import UNKNOWN, PythonContext
from .common import Callbacks, PL_ES, check_patience, has_stopping, library_instantiates, report_epochs, report_fixed_budget
from ..training_facts import PL_TRAINERS, TrainingRun, fits_of, lightning_trainer
from ..training_values import Args, MISSING, class_methods, is_none, number_of, scope_of

def _lightning_patience(ctx: PythonContext, run: TrainingRun, epochs: float, callbacks: Callbacks) -> None:
    checks = _lightning_validation_checks(ctx, run.args, epochs)
    if checks is not None:
        check_patience(ctx, run.call.func, callbacks, checks, "EarlyStopping patience", "lightning",
                       unit="validation checks" if checks != epochs else "epochs")


def _lightning_validation_checks(ctx: PythonContext, targs: Args, epochs: float) -> float | None:
    """How many validation checks a Lightning run makes, which is what EarlyStopping's patience
    counts: one every `check_val_every_n_epoch` epochs; None when `val_check_interval` adds more."""
    if targs.get("val_check_interval") is not MISSING:
        return None
    every_expr = targs.get("check_val_every_n_epoch")
    every = 1 if every_expr is MISSING else number_of(ctx, every_expr, targs.scope)
    if not every or every < 1:
        return None
    return epochs // every


def check_lightning(ctx: PythonContext, min_epochs: int) -> None:
    if not ctx.imports.uses("pytorch_lightning", "lightning"):
        return
    safety_net = library_instantiates(ctx, PL_ES)
    for call in ctx.calls_to(*PL_TRAINERS):
        run = lightning_trainer(ctx, call)
        if run is None or run.epochs is None or run.epochs.n is None or run.epochs.n < min_epochs:
            continue
        epochs = run.epochs.n
        if run.validation is MISSING or has_stopping(ctx, run.callbacks, PL_ES, run.args.scope, safety_net,
                                                     lambda found: _lightning_patience(ctx, run, epochs, found)):
            continue
        if _resumes(ctx, run) or _module_adds_callbacks(ctx):
            continue
        if run.schedule:
            report_fixed_budget(ctx, call.func, epochs, run.schedule, "lightning")
            continue
        default = " (Lightning's default when neither max_epochs nor max_steps is set)" if run.epochs.default else ""
        report_epochs(ctx, call.func, epochs, "a validation loop" + default, "lightning", "lightning",
                      fix=fixes.lightning_trainer(ctx, call))


def _resumes(ctx: PythonContext, run: TrainingRun) -> bool:
    """Resuming from a checkpoint: how many epochs remain depends on the checkpoint."""
    resume = run.args.get("resume_from_checkpoint")  # Lightning < 2.0
    if resume is UNKNOWN or (resume is not MISSING and not is_none(resume)):
        return True
    for fit in fits_of(ctx, run.call):  # `trainer.fit(model, ckpt_path=...)`
        path = Args(ctx, fit, scope_of(ctx, fit)).get("ckpt_path", 4)
        if path is not MISSING and not is_none(path):
            return True
    return False


def _module_adds_callbacks(ctx: PythonContext) -> bool:
    """A LightningModule of the file may add its own callbacks (`configure_callbacks`)."""
    return any("configure_callbacks" in class_methods(ctx, c) for c in ctx.classes.values())
