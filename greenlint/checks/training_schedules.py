"""Learning-rate schedules planned over the whole training budget (cosine annealing to the last
epoch, 1cycle, linear or polynomial decay to zero, a step schedule laid out against the run).
Such a schedule is a deliberate fixed-budget recipe: its low-rate end phase gives much of the
final accuracy, and early stopping on a plateau would cut it off (Smith and Topin 2019; Li,
Yumer and Ramanan 2020). Not a rule.
"""
from __future__ import annotations

import ast
import re
from typing import Any, Iterable

from ..frontends.python import UNKNOWN, PythonContext, call_name, dotted
from ..frontends.bindings import walk_no_defs, walk_statements
from .training_values import (Args, class_methods, const_of, listed_calls, loop_iterable, number_of,
                              scope_of)
from ..frontends.pyast import walk


# schedule (last name) -> where its horizon is given: (keyword, position); None: always the run
_SCHEDULE_HORIZON: dict[str, tuple[str, int] | None] = {
    "OneCycleLR": None,  # total_steps or epochs x steps_per_epoch; stepping past it is an error
    "CosineAnnealingLR": ("T_max", 1),
    "PolynomialLR": ("total_iters", 1),
    "MultiStepLR": ("milestones", 1),
    "StepLR": ("step_size", 1),
    "LambdaLR": ("lr_lambda", 1),
    "get_cosine_schedule_with_warmup": ("num_training_steps", 2),
    "get_linear_schedule_with_warmup": ("num_training_steps", 2),
    "get_polynomial_decay_schedule_with_warmup": ("num_training_steps", 2),
    "get_scheduler": ("num_training_steps", 3),
    "CosineDecay": ("decay_steps", 1),
    "PolynomialDecay": ("decay_steps", 1),
}


_SCHEDULE_MODULES = ("torch.optim.lr_scheduler.", "transformers.", "diffusers.optimization.", "keras.optimizers.schedules.",
                     "keras.experimental.", "keras.optimizers.")


# Hugging Face schedules (lr_scheduler_type, get_scheduler) that decay to zero at the run's last step
HF_RUN_SCHEDULES = {"linear", "cosine", "polynomial", "cosine_with_min_lr", "warmup_stable_decay"}


_STEP_STAGES = 6  # a step schedule lowers the rate a few times (ResNet: twice); more often is a decay curve


# A Keras callback of the project's own that drives a 1cycle or cosine schedule (handson-ml3's
# OneCycleScheduler): its horizon is not readable, its kind is in its name. Restarts and cyclic
# schedules (SGDR, CLR) are not planned to end with the run.
_RUN_SCHEDULE_CALLBACK = re.compile(r"one_?cycle|cosine(?!.*restart)", re.I)


def chains(expr: ast.AST) -> set[str]:
    """The longest dotted names in `expr`: `args.epochs` in `len(dl) * args.epochs`, not `args`."""
    inner = {id(n.value) for n in walk(expr) if isinstance(n, ast.Attribute)}
    return {d for n in walk(expr) if isinstance(n, (ast.Name, ast.Attribute)) and id(n) not in inner
            for d in [dotted(n)] if d}


class Budget:
    """The run's budget as the code writes it: the epoch count `n` (when knowable) and the names
    it comes from (`args.epochs`, `EPOCHS`, `self.trainer.max_epochs`)."""

    def __init__(self, ctx: PythonContext, n: float | None, names: set[str]):
        self.ctx, self.n, self.names = ctx, n, names

    def spans(self, horizon: Any, scope: ast.AST, depth: int = 0) -> bool:
        """A schedule horizon equal to the epoch count or computed from it (`len(loader) * epochs`)."""
        if not isinstance(horizon, ast.AST) or depth > 3:
            return False
        if chains(horizon) & self.names:
            return True
        value = number_of(self.ctx, horizon, scope)
        if value is not None:
            return self.n is not None and value == self.n
        for name in (n for n in walk(horizon) if isinstance(n, ast.Name)):
            target = self.ctx.expression_of(name, scope)
            if target is not None and target is not name and self.spans(target, scope, depth + 1):
                return True
        return False

    def uses(self, node: ast.AST, scope: ast.AST) -> bool:
        """`node` mentions the budget: a lambda's `1 - e / epochs`, milestones `[epochs // 2]`."""
        if chains(node) & self.names:
            return True
        return self.n is not None and any(isinstance(c, ast.Constant) and c.value == self.n and not isinstance(c.value, bool)
                                          for c in walk(node))


def _schedule_name(ctx: PythonContext, call: ast.Call) -> str | None:
    qual = ctx.qualname(call.func) or ""
    last = qual.rsplit(".", 1)[-1]
    if last in _SCHEDULE_HORIZON and qual.startswith(_SCHEDULE_MODULES):
        return last
    return None


def schedule_over_run(ctx: PythonContext, call: ast.Call, budget: Budget) -> str | None:
    """`Name(horizon)` when `call` builds a learning-rate schedule planned over the whole run."""
    name = _schedule_name(ctx, call)
    if name is None:
        return None
    spec = _SCHEDULE_HORIZON[name]
    if spec is None:
        return name
    scope = scope_of(ctx, call)
    keyword, position = spec
    horizon = Args(ctx, call, scope).get(keyword, position)
    if not isinstance(horizon, ast.AST):
        return None
    if name == "get_scheduler" and const_of(ctx, Args(ctx, call, scope).get("name", 0), scope) not in HF_RUN_SCHEDULES:
        return None
    if name in ("MultiStepLR", "StepLR"):
        planned = _steps_over_run(ctx, name, horizon, scope, budget)
    elif name == "LambdaLR":
        planned = _lambda_over_run(ctx, horizon, scope, budget)
    else:
        planned = budget.spans(horizon, scope)
    return f"{name}({keyword}={ast.unparse(horizon)})" if planned else None


def _steps_over_run(ctx: PythonContext, name: str, horizon: ast.AST, scope: ast.AST, budget: Budget) -> bool:
    """A step schedule laid out against the run: its last decay in the second half of the run and
    only a few decays in all."""
    value = const_of(ctx, horizon, scope)
    n = budget.n
    if name == "StepLR":
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0 or n is None:
            return budget.uses(horizon, scope)
        return _steps_planned(name, [value], n)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, (int, float)) for v in value):
        return n is not None and _steps_planned(name, list(value), n)
    return budget.uses(horizon, scope)


def _steps_planned(kind: str, values: list[float], n: float) -> bool:
    """StepLR(step_size) or MultiStepLR(milestones) over `n` epochs: a few decays, the last in the
    second half of the run."""
    if kind == "StepLR":
        return values[0] < n and n / values[0] <= _STEP_STAGES
    return n / 2 <= max(values) < n and len(values) < _STEP_STAGES


def _lambda_over_run(ctx: PythonContext, horizon: ast.AST, scope: ast.AST, budget: Budget) -> bool:
    """`LambdaLR(opt, lambda e: 1 - e / epochs)`: a factor computed from the epoch count."""
    target = ctx.expression_of(horizon, scope)
    if isinstance(horizon, ast.Name) and target is None:
        target = ctx.functions.get(horizon.id)
    if isinstance(target, ast.Lambda):
        return budget.uses(target.body, scope)
    if isinstance(target, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return any(budget.uses(r.value, target) for r in walk_no_defs(target) if isinstance(r, ast.Return) and r.value)
    return False


def _sets_rate(node: ast.AST) -> bool:
    """`group["lr"] = ...`: a learning rate written into an optimizer's parameter groups by hand."""
    return isinstance(node, ast.Assign) and any(
        isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Constant) and t.slice.value == "lr" for t in node.targets)


def _epoch_milestones(ctx: PythonContext, body: list[ast.stmt], scope: ast.AST,
                      epoch_names: set[str]) -> tuple[str, list[float]] | None:
    """How a hand-written schedule lowers the rate with the epoch: `lr * 0.1 ** (epoch // 30)` is a
    step every 30 epochs; `if epoch < 30: ... elif epoch < 60: ...` (or `epoch in [30, 60]`) steps
    at 30 and 60. None when neither shape is there."""
    steps, milestones = set(), set()
    for node in walk_statements(body):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.FloorDiv) and isinstance(node.left, ast.Name) \
                and node.left.id in epoch_names:
            steps.update(v for v in [number_of(ctx, node.right, scope)] if v)
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and node.left.id in epoch_names:
            for op, right in zip(node.ops, node.comparators):
                if isinstance(op, (ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Eq)):
                    milestones.update(v for v in [number_of(ctx, right, scope)] if v)
                elif isinstance(op, ast.In) and isinstance(right, (ast.List, ast.Tuple, ast.Set)):
                    milestones.update(v for v in (number_of(ctx, e, scope) for e in right.elts) if v)
    if len(steps) == 1 and not milestones:
        return "StepLR", [steps.pop()]
    return ("MultiStepLR", sorted(milestones)) if milestones and not steps else None


def _rate_setters(ctx: PythonContext, body: list[ast.stmt], scope: ast.AST, epoch_names: set[str], who: str,
                  depth: int = 0) -> Iterable[tuple[list[ast.stmt], ast.AST, set[str], str]]:
    """(statements, scope, the names the epoch has there, who) for `body` when it writes the rate,
    and for the functions of the file it calls with the epoch (`train(epoch)` calling
    `adjust_learning_rate(epoch, i)`, two calls deep at most) that do."""
    if any(_sets_rate(n) for n in walk_statements(body)):
        yield body, scope, epoch_names, who
    if depth >= 2:
        return
    for call in (n for n in walk_statements(body) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)):
        function = ctx.functions.get(call.func.id)
        if function is None or function is scope:
            continue
        params = [a.arg for a in function.args.posonlyargs + function.args.args]
        received = {params[i] for i, a in enumerate(call.args[:len(params)])
                    if isinstance(a, ast.Name) and a.id in epoch_names}
        received |= {k.arg for k in call.keywords if isinstance(k.value, ast.Name) and k.value.id in epoch_names and k.arg}
        if received:
            yield from _rate_setters(ctx, function.body, function, received, f"`{function.name}`", depth + 1)


def hand_written_schedule(ctx: PythonContext, loop: ast.For, budget: Budget) -> str | None:
    """A learning rate the epoch loop writes by hand (`group["lr"] = ...`, in the loop or in a
    function of the file it calls with the epoch), stepped down with the epoch as a StepLR or
    MultiStepLR laid out against the run would be, or a cosine of the epoch over the run."""
    if not isinstance(loop.target, ast.Name):
        return None
    for body, scope, names, who in _rate_setters(ctx, loop.body, scope_of(ctx, loop), {loop.target.id}, "the epoch loop"):
        if any(isinstance(c, ast.Call) and call_name(c) == "cos" for c in walk_statements(body)) \
                and any(budget.uses(stmt, scope) for stmt in body):
            return f"the cosine learning rate {who} sets"
        shape = _epoch_milestones(ctx, body, scope, names)
        if shape is None or budget.n is None:
            continue
        kind, values = shape
        if _steps_planned(kind, values, budget.n):
            at = f"every {values[0]:g} epochs" if kind == "StepLR" else "at epochs " + ", ".join(f"{v:g}" for v in values)
            return f"the step learning rate {who} sets ({at})"
    return None


def schedules_in(ctx: PythonContext, scopes: Iterable[ast.AST], budget: Budget) -> str | None:
    """The first schedule over the whole run built directly in one of `scopes`."""
    for scope in scopes:
        for node in walk_no_defs(scope):
            if isinstance(node, ast.Call):
                found = schedule_over_run(ctx, node, budget)
                if found:
                    return found
    return None


def callback_schedule(ctx: PythonContext, callbacks: Any, scope: ast.AST) -> str | None:
    """A callback in the list that drives a 1cycle or cosine schedule over the run."""
    return next((call_name(c) for c in listed_calls(ctx, callbacks, scope)
                 if _RUN_SCHEDULE_CALLBACK.search(call_name(c) or "")), None)


def make_budget(ctx: PythonContext, n: float | None, count: Any, names: Iterable[str] = ()) -> Budget:
    return Budget(ctx, n, set(names) | (chains(count) if isinstance(count, ast.AST) else set()))


def scopes_up(ctx: PythonContext, node: ast.AST) -> list[ast.AST]:
    """The function holding `node`, the functions around it, and the module: where the objects
    a run uses are built."""
    scopes: list[ast.AST] = [node] if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)) else []
    scopes += [a for a in ctx.ancestors(node) if isinstance(a, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return scopes + ([ctx.tree] if ctx.tree not in scopes else [])


def range_args(ctx: PythonContext, loop: ast.For) -> list[ast.expr]:
    it = loop_iterable(ctx, loop)
    return list(it.args) if isinstance(it, ast.Call) else []


# what a LightningModule's configure_optimizers reads to plan a schedule over the run
LIGHTNING_BUDGET = {"self.trainer.max_epochs", "self.trainer.max_steps", "self.trainer.estimated_stepping_batches",
                     "trainer.max_epochs", "trainer.max_steps", "trainer.estimated_stepping_batches"}


def configure_optimizers_methods(ctx: PythonContext) -> list[ast.AST]:
    return [m for cls in ctx.classes.values() for name, m in class_methods(ctx, cls).items()
            if name == "configure_optimizers"]


def hf_schedule(ctx: PythonContext, aargs: Args, ascope: ast.AST, targs: Args, scope: ast.AST,
                 budget: Budget) -> str | None:
    """A schedule the author chose over the whole run: an explicit `lr_scheduler_type` that decays
    to zero at the last step, or `optimizers=(optimizer, schedule)` planned over the run. The
    default (linear decay) is not a choice and does not count."""
    chosen = aargs.get("lr_scheduler_type")
    if isinstance(chosen, ast.AST):
        value = const_of(ctx, chosen, ascope)
        if value is UNKNOWN and isinstance(chosen, ast.Attribute):
            value = chosen.attr.lower()  # SchedulerType.COSINE
        if isinstance(value, str) and value in HF_RUN_SCHEDULES:
            return f'lr_scheduler_type="{value}"'
    pair = targs.get("optimizers")
    pair = ctx.expression_of(pair, scope)
    if isinstance(pair, ast.Tuple) and len(pair.elts) == 2:
        built = ctx.expression_of(pair.elts[1], scope)
        if isinstance(built, ast.Call):
            return schedule_over_run(ctx, built, budget)
    return None
