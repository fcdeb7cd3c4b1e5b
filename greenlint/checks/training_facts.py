"""Training facts: the one place GL201-GL203 ask which code trains, and how. Not a rule.

A run is a `TrainingRun(call, framework, model, data, validation, epochs, callbacks, args,
config)` with `schedule` computed on first use; its epoch or round count is a `Count(expr, n,
planned, default)`. Expressions are MISSING (`training_values.MISSING`) when not given and
UNKNOWN when an opaque `**kwargs` could carry them; a count the code does not make knowable has
`n=None`. Nothing is guessed: a reader that cannot tell returns None.

Readers (one call or loop in, one run or None out):
- `keras_fit(ctx, call)`: `model.fit(...)` of a Keras model (validation_data / validation_split,
  epochs less `initial_epoch`, callbacks).
- `hf_trainer(ctx, call)`: a Hugging Face / TRL trainer constructor; `config` is its
  `TrainingArguments`, the epochs `num_train_epochs` unless `max_steps` overrides them;
  `validation` is the eval set unless it is the training set.
- `lightning_trainer(ctx, call)`: a Lightning `Trainer(...)`; `validation` is the first of its
  `fit` calls that runs a validation loop (`lightning_fit_validates`).
- `epoch_loop(ctx, for_node)`: a hand-written epoch loop that takes training steps.

Whole-file questions:
- `training_runs(ctx)`: every call that starts training (fit of a deep-learning or boosting
  model, `xgboost/lightgbm/catboost.train`, `Trainer.train()`, gradient steps), source order.
- `arguments_train(ctx, args_call)`: a trainer built with these `TrainingArguments` is trained.
- `backward_calls(ctx)`: `backward()` calls that are gradient steps of a training run.
- `run.schedule`: the learning-rate schedule planned over the whole run (`training_schedules`).
- `is_val_name` / `is_train_name` / `name_tokens`: identifiers that name held-out or training data
  (checks/data_names, re-exported here).
- Library tables: `HF_TRAINERS`, `HF_ARGS`, `PL_TRAINERS`; `hf_trainer_class`, `fits_of`.

Boosting runs (`xgboost.train`, `lightgbm.train`, estimator `fit(eval_set=...)`) are still read
by GL201's boosting module; their readers belong here next.
"""
from __future__ import annotations

import ast
import re
from collections import namedtuple
from functools import cached_property
from typing import Any

from ..frontends.python import UNKNOWN, PythonContext, dotted, kwarg
from .training_loops import backward_calls, epoch_count, has_train_step, reads_as_pytorch
from .training_loops import names_in  # noqa: F401  re-exported: the rules read loop facts here
from .data_names import is_train_name, is_val_name, name_tokens  # noqa: F401  re-exported, as names_in
from .training_schedules import LIGHTNING_BUDGET, callback_schedule, configure_optimizers_methods, hf_schedule, make_budget, schedules_in, scopes_up
from .training_values import Args, MISSING, fits_of, listed_calls, class_bases, class_methods, const_of, constructor, ctor_name, is_none, local_class, method_calls, number_of, receiver_of, same_ref, scope_of


class Count(namedtuple("Count", "expr n planned default", defaults=(None, False))):
    """An epoch or boosting-round count as the code writes it.

    `expr`: the expression, MISSING when left to the library's default, UNKNOWN when an opaque
    `**kwargs` could carry it. `n`: the count this run trains, None when not knowable.
    `planned`: the count a learning-rate schedule is planned over (Keras's `initial_epoch`
    resumes a run: it trains `n` epochs of the `planned` ones). `default`: `n` is the library's."""

    __slots__ = ()


class TrainingRun:
    """One training run. `call`: the node that trains or configures it (`fit`, `train`, a trainer
    constructor, `backward()`, or the `for` statement of a hand-written epoch loop). `framework`:
    "keras", "transformers", "lightning", "xgboost", "lightgbm", "catboost" or "pytorch".
    `model`, `data`, `validation`, `callbacks`: expressions (MISSING when not given, UNKNOWN when
    an opaque `**kwargs` could carry them); `validation` is MISSING when the held-out data is the
    training data. `epochs`: a Count, or None when not read for this kind of run. `args`: the
    call's arguments; `config`: the arguments of its configuration object (`TrainingArguments`),
    None when not in view. `schedule` (computed on first use): the learning-rate schedule planned
    over the whole run, as `Name(horizon=...)`, or None."""

    def __init__(self, ctx: PythonContext, call: ast.AST, framework: str, model: Any = MISSING, data: Any = MISSING,
                 validation: Any = MISSING, epochs: Count | None = None, callbacks: Any = MISSING,
                 args: Args | None = None, config: Args | None = None) -> None:
        self.ctx, self.call, self.framework = ctx, call, framework
        self.model, self.data, self.validation, self.callbacks = model, data, validation, callbacks
        self.epochs, self.args, self.config = epochs, args, config

    def __repr__(self) -> str:
        return f"TrainingRun({self.framework}, line {getattr(self.call, 'lineno', '?')}, epochs={self.epochs})"

    @cached_property
    def schedule(self) -> str | None:
        return _planned_schedule(self)


def _plain_run(ctx: PythonContext, call: ast.Call, framework: str, model: Any) -> TrainingRun:
    return TrainingRun(ctx, call, framework, model=model if model is not None else MISSING)


def _planned_schedule(run: TrainingRun) -> str | None:
    """The schedule over the whole run: where each framework builds it."""
    ctx, epochs = run.ctx, run.epochs
    if epochs is None or epochs.n is None or run.args is None:
        return None
    scope = run.args.scope
    if run.framework == "keras":
        budget = make_budget(ctx, epochs.planned, epochs.expr)
        return callback_schedule(ctx, run.callbacks, scope) or schedules_in(ctx, scopes_up(ctx, scope), budget)
    if run.framework == "transformers" and run.config is not None:
        budget = make_budget(ctx, epochs.n, epochs.expr)
        return hf_schedule(ctx, run.config, run.config.scope, run.args, scope, budget)
    if run.framework == "lightning":
        budget = make_budget(ctx, epochs.n, epochs.expr, LIGHTNING_BUDGET)
        return schedules_in(ctx, configure_optimizers_methods(ctx), budget)
    return None


# ---- readers: the run a call starts -------------------------------------------------------


# Positional places of the arguments a run's facts come from: `fit` (every Keras version) and
# `fit_generator` (Keras < 2.4 / tf.keras < 2.1; deprecated, then removed in TF 2.11).
KERAS_FIT_METHODS = ("fit", "fit_generator")
_KERAS_POSITIONS = {
    "fit": {"epochs": 3, "callbacks": 5, "validation_split": 6, "validation_data": 7, "initial_epoch": 10},
    "fit_generator": {"epochs": 2, "callbacks": 4, "validation_data": 5, "initial_epoch": 13},
}


def keras_position(call: ast.Call, name: str) -> int | None:
    return _KERAS_POSITIONS.get(call.func.attr if isinstance(call.func, ast.Attribute) else "fit", {}).get(name)


def keras_fit(ctx: PythonContext, call: ast.Call) -> TrainingRun | None:
    """`model.fit(...)` (or the older `fit_generator(...)`) of a Keras model; None when the
    receiver is not one (or, in a file that mixes libraries, cannot be told apart). Keras trains
    1 epoch by default."""
    scope, receiver = scope_of(ctx, call), receiver_of(call)
    kind = _keras_model(ctx, receiver, scope)
    keras_keywords = passes_keras_only_keyword(call)
    if kind is False and not (_may_be_keras(ctx, receiver, scope)
                              and (keras_keywords and _built_by_a_function(ctx, receiver, scope)
                                   or _keras_compiled(ctx, receiver, scope))):
        return None  # a model of another library, or of a project helper that shows nothing of Keras
    if kind is None and (ctx.imports.uses("autokeras", "scikeras") or ctx.imports.uses(
            "sklearn", "xgboost", "lightgbm", "catboost") and not keras_keywords):
        return None  # an unknown receiver in a file that mixes libraries: cannot tell
    args = Args(ctx, call, scope)
    return TrainingRun(ctx, call, "keras", model=receiver_of(call), data=args.get("x", 0),
                       validation=_keras_validation(ctx, args, scope), epochs=_keras_epochs(ctx, args, scope),
                       callbacks=args.get("callbacks", keras_position(call, "callbacks")), args=args)


def _keras_validation(ctx: PythonContext, args: Args, scope: ast.AST) -> Any:
    """`validation_data=...`, or a `validation_split` above 0; MISSING when neither."""
    vdata = ctx.chosen(args.get("validation_data", keras_position(args.call, "validation_data")))
    vsplit = ctx.chosen(args.get("validation_split", keras_position(args.call, "validation_split")))
    if vdata is not MISSING and vdata is not UNKNOWN and not is_none(vdata):
        return MISSING if _the_training_data(vdata) else vdata
    if vsplit is not MISSING and vsplit is not UNKNOWN:
        split = number_of(ctx, vsplit, scope)
        if split is not None and split > 0:
            return vsplit
    return MISSING


def _the_training_data(data: ast.AST) -> bool:
    """`validation_data=(x_train, y_train)`: the names say training split and none says held out,
    so the "validation" score is the training score; nothing stalls on it."""
    parts = data.elts if isinstance(data, (ast.Tuple, ast.List)) else [data]
    names = [dotted(p.value if isinstance(p, ast.Subscript) else p) or "" for p in parts]
    return bool(names) and all(is_train_name(n) and not is_val_name(n) for n in names)


def _keras_epochs(ctx: PythonContext, args: Args, scope: ast.AST) -> Count:
    expr = args.get("epochs", keras_position(args.call, "epochs"))
    if expr is MISSING:
        expr = args.get("nb_epoch")  # its name in Keras 1
    if expr is UNKNOWN:
        return Count(expr, None)
    total = 1 if expr is MISSING else number_of(ctx, expr, scope)
    initial = args.get("initial_epoch", keras_position(args.call, "initial_epoch"))
    if total is None or initial is UNKNOWN:
        return Count(expr, None, total)
    start = 0 if initial is MISSING else number_of(ctx, initial, scope)
    return Count(expr, None if start is None else total - start, total, default=expr is MISSING)


def hf_trainer(ctx: PythonContext, call: ast.Call) -> TrainingRun | None:
    """A Hugging Face `Trainer` (or TRL trainer, or a local subclass) constructor call. `config` is
    its `TrainingArguments` when built in view; the epochs are `num_train_epochs` (3 by default)
    unless `max_steps` overrides them (then not knowable here)."""
    if not hf_trainer_class(ctx, call)[0]:
        return None
    scope = scope_of(ctx, call)
    args = Args(ctx, call, scope)
    given = args.get("args", 1)
    built = constructor(ctx, given, scope) if given is not UNKNOWN and given is not MISSING else None
    config = Args(ctx, built, scope_of(ctx, built)) if built is not None and ctx.qualname(built.func) in HF_ARGS else None
    train, held_out = args.get("train_dataset", 3), args.get("eval_dataset", 4)
    if held_out is not UNKNOWN and (is_none(held_out) or train is not MISSING and train is not UNKNOWN
                                    and same_ref(train, held_out)):
        held_out = MISSING  # evaluating on the training set is not validation
    callbacks = UNKNOWN if len(call.args) > 5 else args.get("callbacks")  # positional in some versions
    return TrainingRun(ctx, call, "transformers", model=args.get("model", 0), data=train, validation=held_out,
                       epochs=_hf_epochs(ctx, config) if config is not None else None, callbacks=callbacks,
                       args=args, config=config)


def _hf_epochs(ctx: PythonContext, config: Args) -> Count:
    max_steps = config.get("max_steps")
    expr = config.get("num_train_epochs")
    if max_steps is UNKNOWN or expr is UNKNOWN:
        return Count(expr, None)
    if max_steps is not MISSING:
        steps = number_of(ctx, max_steps, config.scope)
        if steps is None or steps > 0:
            return Count(expr, None)  # max_steps overrides the epoch count
    n = 3.0 if expr is MISSING else number_of(ctx, expr, config.scope)
    return Count(expr, n, n, default=expr is MISSING)


_LIGHTNING_STOPS = ("max_steps", "max_time", "fast_dev_run")


def lightning_trainer(ctx: PythonContext, call: ast.Call) -> TrainingRun | None:
    """A Lightning `Trainer(...)` with keyword arguments only. Its epochs are `max_epochs` (1000
    when neither it nor `max_steps` is set), not knowable when `max_steps`, `max_time` or
    `fast_dev_run` ends the run first. `validation` is the first of its `fit` calls that runs a
    validation loop (MISSING when none does or `limit_val_batches` is 0)."""
    if ctx.qualname(call.func) not in PL_TRAINERS:
        return None
    scope = scope_of(ctx, call)
    args = Args(ctx, call, scope)
    if args.opaque or call.args:
        return None
    fits = fits_of(ctx, call)
    return TrainingRun(ctx, call, "lightning", validation=_lightning_validation(ctx, args, fits),
                       epochs=_lightning_epochs(ctx, args), callbacks=_lightning_callbacks(args), args=args)


def _lightning_callbacks(args: Args) -> Any:
    """`callbacks=`, with the early-stopping callback Lightning before 1.0 took on its own
    (`early_stop_callback=EarlyStopping(...)`, or `True` for its default one)."""
    callbacks, early = args.get("callbacks"), args.get("early_stop_callback")
    if early is MISSING or is_none(early) or isinstance(early, ast.Constant) and early.value is False:
        return callbacks
    if callbacks is MISSING or is_none(callbacks):
        return ast.List(elts=[early], ctx=ast.Load())
    return UNKNOWN


def _lightning_epochs(ctx: PythonContext, args: Args) -> Count:
    for stop in _LIGHTNING_STOPS:
        value = args.get(stop)
        if value is not MISSING and const_of(ctx, value, args.scope) not in (None, -1, False):
            return Count(args.get("max_epochs"), None)
    expr = args.get("max_epochs")
    if expr is MISSING:
        expr = args.get("max_nb_epochs")  # its name before Lightning 0.7
    n = 1000 if expr is MISSING else number_of(ctx, expr, args.scope)
    return Count(expr, n, n, default=expr is MISSING)


def _lightning_validation(ctx: PythonContext, args: Args, fits: list[ast.Call]) -> Any:
    limit = args.get("limit_val_batches")
    if limit is not MISSING and number_of(ctx, limit, args.scope) in (None, 0, 0.0):
        return MISSING
    validated = next((fit for fit in fits if lightning_fit_validates(ctx, fit)), MISSING)
    if validated is MISSING and fits and all("validation_step" in (_fit_module_methods(ctx, fit) or {"validation_step"})
                                             for fit in fits):  # the module is elsewhere, or validates
        return monitored_validation(ctx, args.get("callbacks"), args.scope) or MISSING
    return validated


_VALIDATION_METRIC = re.compile(r"(?:^|[^a-z])val(?:id(?:ation)?)?(?:[^a-z]|$)", re.IGNORECASE)


def monitored_validation(ctx: PythonContext, callbacks: Any, scope: ast.AST) -> ast.Call | None:
    """A callback of the run that watches a validation metric (`ModelCheckpoint(monitor="valid/loss")`,
    `ReduceLROnPlateau(monitor="val_loss")`): the run logs one, so it validates, wherever its module
    and data are written."""
    for callback in listed_calls(ctx, callbacks, scope):
        monitor = const_of(ctx, kwarg(callback, "monitor"), scope)
        if isinstance(monitor, str) and _VALIDATION_METRIC.search(monitor):
            return callback
    return None


def epoch_loop(ctx: PythonContext, loop: ast.AST) -> TrainingRun | None:
    """A hand-written epoch loop (`for epoch in range(n)`) whose body takes a training step."""
    if not isinstance(loop, ast.For):
        return None
    n = epoch_count(ctx, loop, scope_of(ctx, loop))
    if n is None or not has_train_step(ctx, loop.body):
        return None
    return TrainingRun(ctx, loop, "pytorch", epochs=Count(loop.iter, n, n))


HF_TRAINERS = {
    "transformers.Trainer",
    "transformers.trainer.Trainer",
    "transformers.Seq2SeqTrainer",
    "transformers.trainer_seq2seq.Seq2SeqTrainer",
    "trl.SFTTrainer",
    "trl.DPOTrainer",
    "trl.RewardTrainer",
    "trl.ORPOTrainer",
    "trl.KTOTrainer",
    "trl.CPOTrainer",
}


HF_ARGS = {
    "transformers.TrainingArguments",
    "transformers.training_args.TrainingArguments",
    "transformers.Seq2SeqTrainingArguments",
    "transformers.training_args_seq2seq.Seq2SeqTrainingArguments",
    "trl.SFTConfig",
    "trl.DPOConfig",
    "trl.RewardConfig",
    "trl.ORPOConfig",
    "trl.KTOConfig",
    "trl.CPOConfig",
}


PL_TRAINERS = {"pytorch_lightning.Trainer", "pytorch_lightning.trainer.Trainer", "pytorch_lightning.trainer.trainer.Trainer"}


def hf_trainer_class(ctx: PythonContext, call: ast.Call) -> tuple[bool, ast.ClassDef | None]:
    """Whether `call` builds a Hugging Face trainer, and the file's own class when it is one: a
    library trainer, a subclass the file defines, or a class of another module built with the
    trainer's own keywords (`unseen_hf_trainer`)."""
    qual = ctx.qualname(call.func)
    if qual in HF_TRAINERS:
        return True, None
    local = local_class(ctx, call.func)
    if local is not None:
        subclass = bool(set(class_bases(ctx, local)) & HF_TRAINERS)
        return subclass, local if subclass else None
    return unseen_hf_trainer(ctx, call), None


# `Trainer(model=, args=, train_dataset=)`: the keywords every Hugging Face trainer shares, and
# no other library's trainer takes both (Composer's and Lightning's take data loaders).
_HF_TRAINER_KEYWORDS = frozenset({"args", "train_dataset"})


def unseen_hf_trainer(ctx: PythonContext, call: ast.Call) -> bool:
    """A trainer class of another module (`utils.LoggingTrainer`, `from trainer import CustomTrainer`)
    built with the Hugging Face trainer's keywords, in a file that imports transformers: a subclass
    the file cannot read. It trains with `.train()`; what it overrides is not known."""
    if ctx.qualname(call.func) in HF_TRAINERS or local_class(ctx, call.func) is not None \
            or not ctx.imports.uses("transformers", "trl"):
        return False
    return _HF_TRAINER_KEYWORDS <= {k.arg for k in call.keywords}


_KERAS_PREFIXES = ("keras.", "keras_hub.", "keras_nlp.", "keras_cv.", "transformers.TF", "tensorflow_hub.")


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


def _may_be_keras(ctx: PythonContext, receiver: ast.AST | None, scope: ast.AST) -> bool:
    """A model built by a third-party library or a project helper (`restorers.model.NAFNet`,
    `helpers.build()`), not by a local class or a library known to be another."""
    name = ctor_name(ctx, constructor(ctx, receiver, scope)) or ""
    return isinstance(receiver, ast.Name) and not name.startswith("<local>") and name.split(".")[0] not in _NOT_KERAS_MODULES


def _built_by_a_function(ctx: PythonContext, receiver: ast.AST | None, scope: ast.AST) -> bool:
    """The model comes from a function that builds and returns it (`ANN_1.build_Model()`, named in
    lower case by Python's convention), not from a class of another library (`Wrapper()`), whose
    own `fit` may take any keywords."""
    name = ctor_name(ctx, constructor(ctx, receiver, scope)) or ""
    return name.rsplit(".", 1)[-1][:1].islower()


def _keras_compiled(ctx: PythonContext, receiver: ast.AST | None, scope: ast.AST) -> bool:
    """Such a model shows it is Keras's through `model.compile(optimizer=..., loss=...)`, Keras's
    compile signature."""
    for call in method_calls(ctx, "compile"):
        recv = receiver_of(call)
        if isinstance(recv, ast.Name) and recv.id == receiver.id and scope_of(ctx, call) is scope \
                and {k.arg for k in call.keywords} & {"loss", "optimizer"}:
            return True
    return False


def lightning_fit_validates(ctx: PythonContext, fit: ast.Call) -> bool:
    """`trainer.fit(...)` runs a validation loop: `val_dataloaders`, or a data module / module in
    the file with `val_dataloader`, and a `validation_step` when the module is in the file."""
    scope = scope_of(ctx, fit)
    fargs = Args(ctx, fit, scope)
    model_methods = _fit_module_methods(ctx, fit)
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


def _fit_module_methods(ctx: PythonContext, fit: ast.Call) -> Any:
    """The methods of the LightningModule `trainer.fit(...)` trains, when its class is in the file."""
    scope = scope_of(ctx, fit)
    model = Args(ctx, fit, scope).get("model", 0)
    model_ctor = constructor(ctx, model if model not in (UNKNOWN, MISSING) else None, scope)
    model_cls = local_class(ctx, model_ctor.func) if model_ctor is not None else None
    return class_methods(ctx, model_cls) if model_cls is not None else None


def _bound_names(ctx: PythonContext, node: ast.AST) -> set[str]:
    parent = ctx.parent(node)
    if isinstance(parent, (ast.Assign, ast.AnnAssign)):
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        return {t.id for t in targets if isinstance(t, ast.Name)}
    return set()


def arguments_train(ctx: PythonContext, args_call: ast.Call) -> bool:
    """Training is evident: a trainer built with these arguments has `.train()` called on it."""
    for call in ctx.calls:
        if not hf_trainer_class(ctx, call)[0]:
            continue
        scope = scope_of(ctx, call)
        given = Args(ctx, call, scope).get("args", 1)
        if given in (UNKNOWN, MISSING):
            continue
        if constructor(ctx, given, scope) is not args_call:
            continue
        names = _bound_names(ctx, call)
        parent = ctx.parent(call)
        if isinstance(parent, ast.Attribute) and parent.attr == "train":
            return True
        for train in method_calls(ctx, "train"):
            recv = receiver_of(train)
            if isinstance(recv, ast.Name) and recv.id in names:
                return True
    return False


# `tensorflow` also names the TensorFlow libraries that wrap a Keras model (`tensorflow_model_optimization`'s
# `quantize_model`, `tensorflow_hub`).
_DL_FIT_PREFIXES = ("keras.", "keras_hub.", "keras_nlp.", "keras_cv.", "tf_keras.", "tensorflow", "transformers.TF",
                    "xgboost.", "lightgbm.", "catboost.", "pytorch_lightning.")


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


def _fit_framework(ctx: PythonContext, call: ast.Call) -> str | None:
    """The library whose `fit` this is, by the constructor of its receiver: "keras" (also Keras
    libraries and TF models of transformers), "xgboost", "lightgbm", "catboost", "lightning";
    "keras" for an unknown receiver with `epochs=` in a Keras file; None otherwise."""
    receiver = call.func.value  # type: ignore[attr-defined]
    if _lightning_cli_trainer(ctx, receiver, scope_of(ctx, call)):
        return "lightning"
    name = ctor_name(ctx, constructor(ctx, receiver, scope_of(ctx, call))) or ""
    if name.startswith("<local>"):
        name = name.split(":", 1)[1]
    for part in name.split(","):
        if part.startswith(_DL_FIT_PREFIXES) and "callbacks" not in name:
            return _FIT_FRAMEWORKS.get(part.split(".")[0], "keras")
    if kwarg(call, "epochs") is None:
        return None
    if not name and ctx.imports.uses("keras", "tensorflow"):
        return "keras"
    scope = scope_of(ctx, call)
    if passes_keras_only_keyword(call) and not ctx.imports.uses("autokeras", "scikeras") \
            and (not name or _may_be_keras(ctx, receiver, scope) and _built_by_a_function(ctx, receiver, scope)):
        return "keras"  # a model the file does not show (an excerpt, a project helper's), by a keyword only Keras's fit takes
    if _may_be_keras(ctx, receiver, scope) and _keras_compiled(ctx, receiver, scope):
        return "keras"  # `sm.Unet(...)` compiled with Keras's signature, as `keras_fit` reads it
    return None


# Keywords only Keras's `fit` / `fit_generator` take (scikit-learn, XGBoost, LightGBM and CatBoost
# name held-out data `eval_set`): they say whose `fit` it is where the file does not show the model.
KERAS_ONLY_KEYWORDS = frozenset({"validation_data", "validation_split", "validation_steps", "validation_freq",
                                 "steps_per_epoch", "initial_epoch"})


def passes_keras_only_keyword(call: ast.Call) -> bool:
    return any(k.arg in KERAS_ONLY_KEYWORDS for k in call.keywords)


_LIGHTNING_CLIS = {"pytorch_lightning.cli.LightningCLI", "pytorch_lightning.utilities.cli.LightningCLI",
                   "pytorch_lightning.LightningCLI"}


def _lightning_cli_trainer(ctx: PythonContext, receiver: ast.AST, scope: ast.AST) -> bool:
    """`cli.trainer` of a `LightningCLI(..., run=False)`: the Lightning Trainer it built from its
    config. (A CLI that runs itself runs the subcommand given on the command line, which may not
    be `fit`: not a known training run.)"""
    if not (isinstance(receiver, ast.Attribute) and receiver.attr == "trainer"):
        return False
    return ctor_name(ctx, constructor(ctx, receiver.value, scope)) in _LIGHTNING_CLIS


_FIT_FRAMEWORKS = {"xgboost": "xgboost", "lightgbm": "lightgbm", "catboost": "catboost", "pytorch_lightning": "lightning"}
_TRAIN_FUNCTIONS = {"xgboost.train": "xgboost", "lightgbm.train": "lightgbm", "catboost.train": "catboost"}


def _run_of(ctx: PythonContext, call: ast.Call, backward: set[int]) -> TrainingRun | None:
    """The training run `call` starts, for `training_runs`."""
    qual = ctx.qualname(call.func)
    if qual in _TRAIN_FUNCTIONS:
        return _plain_run(ctx, call, _TRAIN_FUNCTIONS[qual], None)
    if not isinstance(call.func, ast.Attribute):
        return None
    attr = call.func.attr
    if attr == "backward" and id(call) in backward:
        return _plain_run(ctx, call, "pytorch", None)
    if attr in ("fit", "fit_generator"):  # `fit_generator`: Keras's older spelling, read as `keras_fit` reads it
        framework = _fit_framework(ctx, call)
        if framework is not None and not _smoke_test_trainer(ctx, call):
            return _plain_run(ctx, call, framework, call.func.value)
    elif attr == "train" and not call.args:
        ctor = constructor(ctx, call.func.value, scope_of(ctx, call))
        if ctor is not None and hf_trainer_class(ctx, ctor)[0]:
            return _plain_run(ctx, call, "transformers", call.func.value)
    return None


def training_runs(ctx: PythonContext) -> list[TrainingRun]:
    """Every call of the file that starts training, in source order (built once per file)."""
    return ctx.memo("training_runs", lambda: _training_runs(ctx))


def _training_runs(ctx: PythonContext) -> list[TrainingRun]:
    from .training_code import training_code  # it reads the search rules' tables: loaded on use

    # A run is a call that trains by the test every training reader shares, described here by
    # its framework (its model, data, epochs, callbacks, schedule).
    trains = training_code(ctx).call_trains
    backward = set(map(id, backward_calls(ctx))) if reads_as_pytorch(ctx) else set()
    runs = [run for call in ctx.calls if (run := _run_of(ctx, call, backward)) is not None and trains(call, 0)]
    return sorted(runs, key=lambda r: (r.call.lineno, r.call.col_offset))
