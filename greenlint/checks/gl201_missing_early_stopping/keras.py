"""GL201 for Keras / tf.keras `model.fit(..., validation_data | validation_split, epochs=N)`.
"""
from __future__ import annotations

from ...fixes import gl201 as fixes
from ...frontends.python import PythonContext
from .common import KERAS_ES, check_patience, has_stopping, library_instantiates, report_epochs, report_fixed_budget
from ..training_facts import KERAS_FIT_METHODS, keras_fit, keras_position, passes_keras_only_keyword
from ..training_values import MISSING, method_calls


def _keras_keywords(ctx: PythonContext) -> bool:
    return any(passes_keras_only_keyword(c) for method in KERAS_FIT_METHODS for c in method_calls(ctx, method))


def check_keras(ctx: PythonContext, min_epochs: int) -> None:
    if not ctx.imports.uses("keras", "tensorflow", "keras_hub", "keras_nlp", "keras_cv") and not _keras_keywords(ctx):
        return
    safety_net = library_instantiates(ctx, KERAS_ES)
    for call in (c for method in KERAS_FIT_METHODS for c in method_calls(ctx, method)):
        run = keras_fit(ctx, call)
        if run is None or run.validation is MISSING or run.epochs is None or run.epochs.n is None:
            continue
        epochs = run.epochs.n
        if epochs < min_epochs:
            continue
        if has_stopping(ctx, run.callbacks, KERAS_ES, run.args.scope, safety_net, lambda found: check_patience(
                ctx, call.func, found, epochs, "EarlyStopping patience", "keras")):
            continue
        if run.schedule:
            report_fixed_budget(ctx, call.func, epochs, run.schedule, "keras")
            continue
        split = run.args.get("validation_split", keras_position(call, "validation_split"))
        what = "validation_split" if run.validation is split else "validation_data"
        report_epochs(ctx, call.func, epochs, what, "keras", "keras", fix=fixes.keras_fit(ctx, call))
