"""GL201 for Keras / tf.keras `model.fit(..., validation_data | validation_split, epochs=N)`.
"""
from __future__ import annotations

import ast

from ...frontends.python import UNKNOWN, PythonContext
from .common import KERAS_ES, check_patience, has_stopping, library_instantiates, report_epochs, report_fixed_budget
from ..training_facts import constructor, ctor_name
from ..training_schedules import callback_schedule, make_budget, schedules_in, scopes_up
from ..training_values import Args, MISSING, is_none, method_calls, number_of, receiver_of, scope_of


_KERAS_PREFIXES = ("keras.", "keras_hub.", "keras_nlp.", "keras_cv.", "transformers.TF", "tensorflow_hub.")


_NOT_KERAS_FIT = ("autokeras.", "sklearn.", "xgboost.", "lightgbm.", "catboost.", "pytorch_lightning.", "scikeras.")


def _keras_model(ctx: PythonContext, receiver: ast.AST | None, scope: ast.AST) -> bool | None:
    ctor = constructor(ctx, receiver, scope)
    name = ctor_name(ctx, ctor)
    if name is None:
        return None
    if name.startswith("<local>"):
        return any(b.startswith("keras.") for b in name.split(":", 1)[1].split(","))
    if name.startswith(_KERAS_PREFIXES):
        return True
    return False


_NOT_KERAS_MODULES = ("sklearn", "xgboost", "lightgbm", "catboost", "torch", "skorch", "pytorch_lightning",
                      "lightning", "autokeras", "scikeras", "statsmodels", "prophet", "darts", "gluonts")


def _keras_compiled(ctx: PythonContext, receiver: ast.AST | None, scope: ast.AST) -> bool:
    """A model class from a third-party Keras library (`restorers.model.NAFNet`) shows what it is
    through `model.compile(optimizer=..., loss=...)`, Keras's compile signature."""
    name = ctor_name(ctx, constructor(ctx, receiver, scope)) or ""
    if not isinstance(receiver, ast.Name) or name.startswith("<local>") or name.split(".")[0] in _NOT_KERAS_MODULES:
        return False
    for call in method_calls(ctx, "compile"):
        recv = receiver_of(call)
        if isinstance(recv, ast.Name) and recv.id == receiver.id and scope_of(ctx, call) is scope \
                and {k.arg for k in call.keywords} & {"loss", "optimizer"}:
            return True
    return False


def check_keras(ctx: PythonContext, min_epochs: int) -> None:
    if not ctx.imports.uses("keras", "tensorflow", "keras_hub", "keras_nlp", "keras_cv"):
        return
    safety_net = library_instantiates(ctx, KERAS_ES)
    for call in method_calls(ctx, "fit"):
        scope = scope_of(ctx, call)
        args = Args(ctx, call, scope)
        vdata, vsplit = args.get("validation_data", 7), args.get("validation_split", 6)
        has_val = False
        if vdata is not MISSING and vdata is not UNKNOWN and not is_none(vdata):
            has_val = True
        if vsplit is not MISSING and vsplit is not UNKNOWN:
            split = number_of(ctx, vsplit, scope)
            if split is not None and split > 0:
                has_val = True
        if not has_val:
            continue
        kind = _keras_model(ctx, receiver_of(call), scope)
        if kind is False and not _keras_compiled(ctx, receiver_of(call), scope):
            continue
        if kind is None and ctx.imports.uses("autokeras", "scikeras", "sklearn", "xgboost", "lightgbm", "catboost"):
            continue  # an unknown receiver in a file that mixes libraries: cannot tell
        epochs_expr = args.get("epochs", 3)
        if epochs_expr is UNKNOWN:
            continue
        epochs = 1 if epochs_expr is MISSING else number_of(ctx, epochs_expr, scope)
        if epochs is None:
            continue
        total = epochs  # the schedule is planned over all epochs, also when resuming at initial_epoch
        initial = args.get("initial_epoch", 10)
        if initial is UNKNOWN:
            continue
        if initial is not MISSING:
            start = number_of(ctx, initial, scope)
            if start is None:
                continue
            epochs -= start
        if epochs < min_epochs:
            continue
        cb_expr = args.get("callbacks", 5)
        if has_stopping(ctx, cb_expr, KERAS_ES, scope, safety_net, lambda found: check_patience(
                ctx, call.func, found, epochs, "EarlyStopping patience", "keras")):
            continue
        budget = make_budget(ctx, total, epochs_expr)
        schedule = callback_schedule(ctx, cb_expr, scope) or schedules_in(ctx, scopes_up(ctx, scope), budget)
        if schedule:
            report_fixed_budget(ctx, call.func, epochs, schedule, "keras")
            continue
        what = "validation_data" if vdata is not MISSING else "validation_split"
        report_epochs(ctx, call.func, epochs, what, "keras", "keras")
