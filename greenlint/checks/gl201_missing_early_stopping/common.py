"""GL201's shared logic: whether a `callbacks=` list gives a run early stopping, whether that early
stopping can fire within the run (its patience against the epochs or rounds), and the texts of
the findings.
"""
from __future__ import annotations

import ast
from typing import Any, Iterable

from ...finding import Fix, Severity
from ...frontends.python import UNKNOWN, PythonContext
from ...frontends.bindings import is_opaque, walk_no_defs
from ..training_values import Args, MISSING, as_int, class_bases, fmt, is_none, local_class, number_of, scope_of
from ...frontends.pyast import walk


# Attributes a callback sets to stop training: Keras, Lightning, Hugging Face.
_STOP_ATTRS = {"stop_training", "should_stop", "should_training_stop"}


def sets_stop_flag(cls: ast.ClassDef) -> bool:
    for stmt in cls.body:
        # XGBoost / CatBoost callbacks stop training by returning True from after_iteration
        if isinstance(stmt, ast.FunctionDef) and stmt.name == "after_iteration":
            returns = [n.value for n in walk(stmt) if isinstance(n, ast.Return)]
            if any(not (isinstance(r, ast.Constant) and r.value in (False, None)) for r in returns if r is not None):
                return True
    for node in walk(cls):
        if isinstance(node, ast.Raise) and node.exc is not None and "EarlyStopException" in ast.dump(node.exc):
            return True
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in _STOP_ATTRS:
                    return True
    return False


def is_optuna_pruning(name: str | None) -> bool:
    return bool(name) and (name.startswith("optuna.integration.") or name.startswith("optuna_integration.")) and name.endswith(
        "PruningCallback"
    )


class Callbacks:
    """Decides whether a `callbacks=` expression contains early stopping.

    `verdict(expr)` is True (it does), False (it certainly does not) or None (cannot tell).
    """

    def __init__(self, ctx: PythonContext, es_names: set[str], scope: ast.AST):
        self.ctx, self.es_names, self.scope = ctx, es_names, scope
        # the early-stopping objects found, to read their patience; None for one whose
        # patience cannot be read (a subclass, a pruning callback, a project's own class)
        self.found: list[ast.Call | None] = []

    def is_es_class(self, qual: str | None, local: ast.ClassDef | None) -> bool | None:
        if qual is not None:
            if qual in self.es_names or is_optuna_pruning(qual):
                return True
            last = qual.rsplit(".", 1)[-1].lower()
            # A project's own `EarlyStoppingWithWarmup` imported from elsewhere: trust the name.
            if "earlystop" in last.replace("_", "") or "pruning" in last:
                return True
            return False
        if local is not None:
            bases = set(class_bases(self.ctx, local))
            if bases & self.es_names or any(is_optuna_pruning(b) for b in bases):
                return True
            if sets_stop_flag(local) or "earlystop" in local.name.lower().replace("_", ""):
                return True
            return False
        return None

    def element(self, node: ast.AST, scope: ast.AST, depth: int = 0) -> bool | None:
        if depth > 6:
            return None
        if isinstance(node, ast.Starred):
            return self.verdict(node.value, scope, depth + 1)
        if isinstance(node, ast.Call):
            func = node.func
            qual = self.ctx.qualname(func)
            if qual is None and isinstance(func, ast.Name) and func.id in self.ctx.classes:
                return self._record(self.is_es_class(None, self.ctx.classes[func.id]), None)
            if qual is None and isinstance(func, ast.Name) and func.id in self.ctx.functions:
                return self._function_result(self.ctx.functions[func.id], depth)
            if qual is None:
                # an excerpt that uses Keras's or Lightning's checkpoint / logging callbacks without
                # importing them: those classes never stop a run, whichever library they are
                return False if isinstance(func, ast.Name) and func.id in _NON_STOPPING_CALLBACKS else None
            return self._record(self.is_es_class(qual, None), node if qual in PATIENCE else None)
        if isinstance(node, ast.Name):
            return self._named_element(node, scope, depth)
        if isinstance(node, (ast.List, ast.Tuple, ast.BinOp, ast.ListComp)):
            return self.verdict(node, scope, depth + 1)
        if isinstance(node, ast.IfExp):
            a, b = self.element(node.body, scope, depth + 1), self.element(node.orelse, scope, depth + 1)
            return True if (a or b) else (False if a is False and b is False else None)
        if is_none(node):
            return False
        return None

    def _named_element(self, node: ast.Name, scope: ast.AST, depth: int) -> bool | None:
        target = self.ctx.expression_of(node, scope)
        if target is None and _defines_function(scope, node.id):
            return False  # a function, not a callback object (a helper that returns its schedule)
        if target is None or target is node:
            return None
        return self.element(target, scope, depth + 1)

    def _record(self, verdict: bool | None, call: ast.Call | None) -> bool | None:
        if verdict:
            self.found.append(call)
        return verdict

    def _function_result(self, function: ast.AST, depth: int) -> bool | None:
        """A helper in the file that builds the callbacks: look at what it returns."""
        results = []
        for node in walk_no_defs(function):
            if isinstance(node, ast.Return) and node.value is not None:
                results.append(self.element(node.value, function, depth + 1))
        if not results:
            return None
        if any(r is True for r in results):
            return True
        return False if all(r is False for r in results) else None

    def verdict(self, expr: Any, scope: ast.AST | None = None, depth: int = 0) -> bool | None:
        scope = scope or self.scope
        if expr is MISSING or is_none(expr):
            return False
        if expr is UNKNOWN or expr is None or depth > 6:
            return None
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            results = [self.element(e, scope, depth + 1) for e in expr.elts]
            return combine(results)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return combine([self.verdict(expr.left, scope, depth + 1), self.verdict(expr.right, scope, depth + 1)])
        if isinstance(expr, ast.Name):
            return self._name(expr, scope, depth)
        if isinstance(expr, ast.Call):
            # `get_callbacks()` defined in the file, or an early-stopping object itself
            return self.element(expr, scope, depth + 1)
        if isinstance(expr, ast.IfExp):
            return self.element(expr, scope, depth + 1)
        return None

    def _name(self, expr: ast.Name, scope: ast.AST, depth: int) -> bool | None:
        name = expr.id
        where = self.ctx.defining_scope(name, scope)
        if where is None:
            return None  # a parameter or a global we cannot see
        values = self.ctx.bound_values(expr, where)
        results: list[bool | None] = []
        for value in values:
            if isinstance(value, ast.AugAssign):
                results.append(self.verdict(value.value, where, depth + 1))
            elif isinstance(value, ast.expr) and not is_opaque(value):
                results.append(self.verdict(value, where, depth + 1))
            else:
                results.append(None)
        # list.append / extend / insert on the name
        for node in walk(where):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == name
            ):
                if node.func.attr in ("append", "insert") and node.args:
                    results.append(self.element(node.args[-1], where, depth + 1))
                elif node.func.attr == "extend" and node.args:
                    results.append(self.verdict(node.args[0], where, depth + 1))
        return combine(results)


def _defines_function(scope: ast.AST, name: str) -> bool:
    """`def name` in the block of `scope` (not in a nested one)."""
    return any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name for n in walk_no_defs(scope))


def combine(results: Iterable[bool | None]) -> bool | None:
    results = list(results)
    if any(r is True for r in results):
        return True
    if all(r is False for r in results):
        return False
    return None


# Early-stopping constructors whose patience is read: qualified name -> (keyword, position,
# library default, what one unit of patience counts).
PATIENCE: dict[str, tuple[str, int, int | None]] = {
    "keras.callbacks.EarlyStopping": ("patience", 2, 0),
    "keras.callbacks.early_stopping.EarlyStopping": ("patience", 2, 0),
    "pytorch_lightning.callbacks.EarlyStopping": ("patience", 2, 3),
    "pytorch_lightning.callbacks.early_stopping.EarlyStopping": ("patience", 2, 3),
    "transformers.EarlyStoppingCallback": ("early_stopping_patience", 0, 1),
    "transformers.trainer_callback.EarlyStoppingCallback": ("early_stopping_patience", 0, 1),
    "lightgbm.early_stopping": ("stopping_rounds", 0, None),
    "xgboost.callback.EarlyStopping": ("rounds", 0, None),
}


def _patience(ctx: PythonContext, found: list[ast.Call | None]) -> int | float | None:
    """The smallest patience of the early-stopping objects a run gets, counted from the first
    epoch (Keras's `start_from_epoch` delays the count); None when any one cannot be read."""
    values = []
    for call in found:
        spec = PATIENCE.get(ctx.qualname(call.func) or "") if call is not None else None
        if spec is None:
            return None
        scope = scope_of(ctx, call)  # type: ignore[arg-type]
        a = Args(ctx, call, scope)  # type: ignore[arg-type]
        keyword, position, default = spec
        given = a.get(keyword, position)
        value = default if given is MISSING else number_of(ctx, given, scope)
        if value is None:
            return None
        if keyword == "patience" and ctx.qualname(call.func).startswith("keras."):  # type: ignore[union-attr]
            start = a.get("start_from_epoch", 7)
            delay = 0 if start is MISSING else number_of(ctx, start, scope)
            if delay is None:
                return None
            value += delay
        values.append(value)
    return min(values) if values else None


def report_patience(ctx: PythonContext, node: ast.AST, patience: float, n: float, setting: str, lib: str,
                     unit: str = "epochs", counted: str = "") -> None:
    """Early stopping that cannot fire: the run ends before the patience runs out."""
    key = "rounds" if "round" in unit else "epochs"
    ctx.report(
        "GL201", node,
        f"no early stopping in effect: {setting}={fmt(patience)} never runs out in a run of {fmt(n)} {unit}"
        f"{counted}, so every one of them is trained; set the patience well below {fmt(n)} (a few {unit}) "
        f"so that a validation plateau ends the run",
        impact={"library": lib, key: as_int(n), "patience": as_int(patience)},
    )


def check_patience(ctx: PythonContext, node: ast.AST, callbacks: Callbacks, n: float, setting: str, lib: str,
                    unit: str = "epochs", counted: str = "") -> None:
    patience = _patience(ctx, callbacks.found)
    if patience is not None and patience >= n:
        report_patience(ctx, node, patience, n, setting, lib, unit, counted)


def check_rounds(ctx: PythonContext, node: ast.AST, expr: Any, scope: ast.AST, rounds: float, setting: str,
                  lib: str) -> None:
    """A boosting run's early-stopping round count, when it is knowable and cannot fire."""
    patience = number_of(ctx, expr, scope)
    if patience is not None and patience > 0 and patience >= rounds:
        report_patience(ctx, node, patience, rounds, setting, lib, unit="boosting rounds")


def has_stopping(ctx: PythonContext, cb_expr: Any, es_names: set[str], scope: ast.AST, safety_net: bool,
                  check: Any) -> bool:
    """The callbacks give the run early stopping, or may (then it is not reported as missing);
    `check(callbacks)` looks at whether the early stopping found can fire at all."""
    callbacks = Callbacks(ctx, es_names, scope)
    verdict = callbacks.verdict(cb_expr)
    if verdict is True:
        check(callbacks)
        return True
    return verdict is None or (safety_net and not spelled_out(ctx, cb_expr, scope))


def spelled_out(ctx: PythonContext, expr: Any, scope: ast.AST) -> bool:
    """`callbacks=` left out, written as a literal list, or a name bound to one that no line changes
    in place (`cb1 = [ModelCheckpoint(...)]`, never `cb1.append(...)`): what the call gets is all in
    view, so an early-stopping object built elsewhere in the file (another notebook cell, a later
    stage's list) is not wired here."""
    if isinstance(expr, ast.Name):
        bound = ctx.expression_of(expr, scope)
        return isinstance(bound, (ast.List, ast.Tuple)) and expr.id not in ctx.in_place_changes(scope)
    return expr is MISSING or isinstance(expr, (ast.List, ast.Tuple))


def library_instantiates(ctx: PythonContext, names: set[str]) -> bool:
    """Safety net: the file builds an early-stopping object of this library somewhere."""
    for call in ctx.calls:
        qual = ctx.qualname(call.func)
        if qual in names or is_optuna_pruning(qual):
            return True
        local = local_class(ctx, call.func)
        if local is not None and (set(class_bases(ctx, local)) & names or sets_stop_flag(local)):
            return True
    return False


_NON_STOPPING_CALLBACKS = {"ModelCheckpoint", "TensorBoard", "CSVLogger", "ReduceLROnPlateau", "LearningRateScheduler",
                           "LearningRateMonitor"}

KERAS_ES = {"keras.callbacks.EarlyStopping", "keras.callbacks.early_stopping.EarlyStopping"}


HF_ES = {"transformers.EarlyStoppingCallback", "transformers.trainer_callback.EarlyStoppingCallback"}


PL_ES = {
    "pytorch_lightning.callbacks.EarlyStopping",
    "pytorch_lightning.callbacks.early_stopping.EarlyStopping",
}


XGB_ES = {"xgboost.callback.EarlyStopping"}


LGB_ES = {"lightgbm.early_stopping", "lightgbm.EarlyStopping", "lightgbm.callback._EarlyStoppingCallback"}


_FIX = {
    "keras": 'add callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)]',
    "hf": "add callbacks=[EarlyStoppingCallback(early_stopping_patience=3)] with load_best_model_at_end=True and metric_for_best_model",
    "lightning": 'add callbacks=[EarlyStopping(monitor="val_loss", patience=5)] (lightning.pytorch.callbacks)',
    "xgboost": "set early_stopping_rounds=50 (XGBoost >= 2: in the constructor; older: in fit())",
    "xgboost.train": "pass early_stopping_rounds=50 to xgb.train",
    "lightgbm": "add callbacks=[lgb.early_stopping(stopping_rounds=50)]",
    "catboost": "set early_stopping_rounds=50 (or od_type=\"Iter\", od_wait=50)",
}


def report_epochs(ctx: PythonContext, node: ast.AST, n: float, what: str, lib: str, fix_key: str, unit: str = "epochs",
                  fix: Fix | None = None) -> None:
    message = (
        f"trains {fmt(n)} {unit} with validation data ({what}) and no early stopping; "
        f"runs that stop when the validation score stalls often end at a fraction of that: {_FIX[fix_key]}"
    )
    ctx.report("GL201", node, message, impact={"library": lib, ("rounds" if "round" in unit else "epochs"): n if not float(n).is_integer() else int(n)},
               fix=fix)


def report_fixed_budget(ctx: PythonContext, node: ast.AST, n: float, schedule: str, lib: str,
                         unit: str = "epochs", end: tuple[int, int] | None = None) -> None:
    message = (
        f"trains {fmt(n)} {unit} on a fixed budget: {schedule} plans the learning rate over the whole run, so early "
        f"stopping would cut its final low-rate phase; if the validation score stops improving well before the end, "
        f"plan the schedule over fewer {unit} instead"
    )
    impact = {"library": lib, "epochs": as_int(n), "schedule": schedule.split("(", 1)[0].strip()}
    if end is None:
        ctx.report("GL201", node, message, impact=impact, severity=Severity.NOTE)
    else:
        ctx.report_at("GL201", node.lineno, ctx.char_column(node.lineno, node.col_offset), end[0], end[1],  # type: ignore[attr-defined]
                      message, impact=impact, severity=Severity.NOTE)


def reports_to_nni_assessor(ctx: PythonContext) -> bool:
    """An NNI trial that reports a score every epoch hands early stopping to the experiment's
    assessor (Medianstop, Curvefitting), configured outside the file: like an Optuna pruner."""
    if not ctx.imports.uses("nni") and "@nni." not in ctx.text:
        return False
    for call in ctx.calls:
        if ctx.qualname(call.func) == "nni.report_intermediate_result":
            return True
    # NNI's annotation syntax: `"""@nni.report_intermediate_result(acc)"""` in a string statement
    for node in ctx.nodes_of(ast.Expr):
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str) \
                and node.value.value.strip().startswith("@nni.report_intermediate_result"):
            return True
    return False
