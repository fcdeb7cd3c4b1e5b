"""GL201 missing-early-stopping: add the framework's early stopping to a run the detector reported.

All unsafe: early stopping changes how long the model trains and which weights it ends with, and
the patience (5 epochs, 3 evaluations, 50 rounds) is a judgement call. Each builder returns None
where its text cannot be placed with certainty (callbacks that are not a list display, a
`TrainingArguments` out of sight, a name the file already uses for something else).
"""
from __future__ import annotations

import ast
from typing import Any

from ..finding import Edit, Fix
from ..frontends.python import PythonContext, has_star_kwargs, kwarg
from ..checks.training_values import same_ref
from .edits import add_keywords, add_to_list_argument, existing_spelling, import_name, written_name

PATIENCE_EPOCHS = 5  # Keras and Lightning: epochs (validation checks) without improvement
PATIENCE_EVALUATIONS = 3  # Hugging Face: evaluations without improvement
ROUNDS = 50  # boosting: rounds without improvement

KERAS_ES = [f"{package}.callbacks.EarlyStopping" for package in ("tensorflow.keras", "keras", "tf_keras")]


def _fix(what: str, edits: list[Edit | None]) -> Fix | None:
    if any(e is None for e in edits):
        return None
    return Fix(f"stop when the validation score stops improving: {what}", "unsafe", tuple(edits))  # type: ignore[arg-type]


def keras_fit(ctx: PythonContext, fit: ast.Call) -> Fix | None:
    """`model.fit(...)` -> `callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=5,
    restore_best_weights=True)]` (appended to a list display), spelled through the file's keras."""
    spelled = existing_spelling(ctx, KERAS_ES)
    edits: list[Edit] = []
    if spelled is None:
        module = _keras_package(ctx)
        found = import_name(ctx, f"{module}.callbacks", "EarlyStopping", fit) if module else None
        if found is None:
            return None
        spelled, edits = found
    callback = f'{spelled}(monitor="val_loss", patience={PATIENCE_EPOCHS}, restore_best_weights=True)'
    return _fix(f"add {callback.replace(spelled, 'EarlyStopping', 1)} to callbacks",
                [*edits, add_to_list_argument(ctx, fit, "callbacks", 5, callback)])


def _keras_package(ctx: PythonContext) -> str | None:
    """Where the file takes Keras from: `tensorflow.keras` for TensorFlow imports, else `keras`."""
    for full in ctx.imports.names.values():
        if full == "tensorflow" or full.startswith("tensorflow."):
            return "tensorflow.keras"
    for full in ctx.imports.names.values():
        if full == "keras" or full.startswith("keras."):
            return "keras"
    return None


def lightning_trainer(ctx: PythonContext, trainer: ast.Call) -> Fix | None:
    """`Trainer(...)` -> `callbacks=[EarlyStopping(monitor="val_loss", patience=5)]`, imported from
    the package the Trainer comes from (`lightning.pytorch` or `pytorch_lightning`: the two
    packages' callbacks do not mix)."""
    written = written_name(ctx, trainer.func) or ""
    module = "pytorch_lightning.callbacks" if written.startswith("pytorch_lightning") else "lightning.pytorch.callbacks"
    spelled = existing_spelling(ctx, [f"{module}.EarlyStopping"])
    edits: list[Edit] = []
    if spelled is None or spelled.count(".") > 2:  # `L.pytorch.callbacks.EarlyStopping` reads worse than an import
        found = import_name(ctx, module, "EarlyStopping", trainer, reuse=False)
        if found is None:
            return None
        spelled, edits = found
    callback = f'{spelled}(monitor="{_logged_validation_loss(ctx)}", patience={PATIENCE_EPOCHS})'
    return _fix(f"add {callback.replace(spelled, 'EarlyStopping', 1)} to callbacks",
                [*edits, add_to_list_argument(ctx, trainer, "callbacks", None, callback)])


def _logged_validation_loss(ctx: PythonContext) -> str:
    """The validation loss the LightningModule logs (`self.log("val/loss", ...)`): EarlyStopping
    raises when its monitor is never logged. `val_loss` when the file logs none."""
    for call in ctx.calls:
        if isinstance(call.func, ast.Attribute) and call.func.attr == "log" and call.args:
            name = call.args[0]
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                text = name.value.lower()
                if text.startswith(("val", "valid")) and "loss" in text:
                    return name.value
    return "val_loss"


def hf_trainer(ctx: PythonContext, trainer: ast.Call, arguments: ast.Call | None) -> Fix | None:
    """`Trainer(...)` -> `callbacks=[EarlyStoppingCallback(early_stopping_patience=3)]`, and in the
    `TrainingArguments(...)` call what the callback requires: `load_best_model_at_end=True`
    (which needs checkpoints at the evaluations: `save_strategy` to match `eval_strategy`) and
    `metric_for_best_model`. None when the arguments are not a call in this file."""
    if arguments is None or has_star_kwargs(arguments) or len(arguments.args) > 1 or len(trainer.args) > 5:
        return None
    config = _best_model_settings(ctx, arguments)
    if config is None:
        return None
    found = import_name(ctx, "transformers", "EarlyStoppingCallback", trainer)
    if found is None:
        return None
    spelled, edits = found
    callback = f"{spelled}(early_stopping_patience={PATIENCE_EVALUATIONS})"
    edits.append(add_to_list_argument(ctx, trainer, "callbacks", None, callback))  # type: ignore[arg-type]
    if config:
        edits.append(add_keywords(ctx, arguments, config))  # type: ignore[arg-type]
    settings = "".join(f", {name}={value}" for name, value in config)
    return _fix(f"add EarlyStoppingCallback(early_stopping_patience={PATIENCE_EVALUATIONS}){settings}", edits)


def _best_model_settings(ctx: PythonContext, arguments: ast.Call) -> list[tuple[str, str]] | None:
    """The keywords `TrainingArguments` lacks for EarlyStoppingCallback, or None when they cannot
    be added safely (a value the file does not spell out, checkpoints that would not line up
    with the evaluations, which TrainingArguments rejects with load_best_model_at_end)."""
    best = kwarg(arguments, "load_best_model_at_end")
    if best is not None and not (isinstance(best, ast.Constant) and best.value is True):
        return None  # False is a decision, a name is not knowable here
    added: list[tuple[str, str]] = []
    if best is None:
        saving = _save_strategy_for(ctx, arguments)
        if saving is None:
            return None
        added += saving + [("load_best_model_at_end", "True")]
    if kwarg(arguments, "metric_for_best_model") is None:
        added.append(("metric_for_best_model", '"eval_loss"'))
    return added


def _strategy(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.lower()
    if isinstance(node, ast.Attribute):  # IntervalStrategy.EPOCH
        return node.attr.lower()
    return None if node is not None else "missing"


def _save_strategy_for(ctx: PythonContext, arguments: ast.Call) -> list[tuple[str, str]] | None:
    """With load_best_model_at_end the save strategy must equal the evaluation strategy, and with
    "steps" save_steps must be a multiple of eval_steps (TrainingArguments.__post_init__)."""
    evaluation = _strategy(kwarg(arguments, "eval_strategy") or kwarg(arguments, "evaluation_strategy"))
    saving = _strategy(kwarg(arguments, "save_strategy"))
    if evaluation == "epoch":
        return [("save_strategy", '"epoch"')] if saving == "missing" else [] if saving == "epoch" else None
    if evaluation != "steps" or saving not in ("missing", "steps"):
        return None
    logging = _int(kwarg(arguments, "logging_steps"), 500)
    every = _int(kwarg(arguments, "eval_steps"), logging)
    save = _int(kwarg(arguments, "save_steps"), 500)
    return [] if every and save and save % every == 0 else None


def _int(node: ast.AST | None, default: int | None) -> int | None:
    if node is None:
        return default
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None


# ---- boosting ------------------------------------------------------------------------------


def _stops_on_training(evals: Any, train: Any) -> bool:
    """XGBoost stops on the *last* evaluation set: when that is the training data, early
    stopping would watch the training score, which keeps improving."""
    if not isinstance(evals, (ast.List, ast.Tuple)) or not evals.elts:
        return False
    last = evals.elts[-1]
    first = last.elts[0] if isinstance(last, ast.Tuple) and last.elts else last
    return isinstance(train, ast.AST) and same_ref(first, train)


def xgboost_estimator(ctx: PythonContext, ctor: ast.Call, evals: Any, train: Any) -> Fix | None:
    """`XGBClassifier(...)` -> `early_stopping_rounds=50` in the constructor: the spelling XGBoost
    accepts from 1.6 on and the only one from 2.0 (fit() lost the argument)."""
    if _stops_on_training(evals, train):
        return None
    return _fix(f"set early_stopping_rounds={ROUNDS} in the constructor",
                [add_keywords(ctx, ctor, [("early_stopping_rounds", str(ROUNDS))])])


def xgboost_train(ctx: PythonContext, call: ast.Call, evals: Any, train: Any) -> Fix | None:
    """`xgb.train(...)` -> `early_stopping_rounds=50` (an argument of train() in every version)."""
    if len(call.args) > 7 or _stops_on_training(evals, train):
        return None
    return _fix(f"pass early_stopping_rounds={ROUNDS}", [add_keywords(ctx, call, [("early_stopping_rounds", str(ROUNDS))])])


def lightgbm_callback(ctx: PythonContext, call: ast.Call) -> Fix | None:
    """`lgb.train(...)` / `LGBM*.fit(...)` -> `callbacks=[lgb.early_stopping(50)]`: the callback
    exists from LightGBM 3 on and is the only spelling from 4.0 (the argument was removed)."""
    if len(call.args) > 4:
        return None  # positional arguments up to `callbacks` differ between versions
    found = import_name(ctx, "lightgbm", "early_stopping", call)
    if found is None:
        return None
    spelled, edits = found
    callback = f"{spelled}({ROUNDS})"
    return _fix(f"add lgb.early_stopping({ROUNDS}) to callbacks",
                [*edits, add_to_list_argument(ctx, call, "callbacks", None, callback)])


def catboost_fit(ctx: PythonContext, fit: ast.Call) -> Fix | None:
    """`model.fit(...)` -> `early_stopping_rounds=50` (a fit() argument in every CatBoost)."""
    return _fix(f"pass early_stopping_rounds={ROUNDS} to fit()",
                [add_keywords(ctx, fit, [("early_stopping_rounds", str(ROUNDS))])])
