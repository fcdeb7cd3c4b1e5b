"""The definitions every training reader shares (`FIT_METHODS`, `optimizer_step`,
`trainer_object`), and hand-written training loops (PyTorch and the like): which `backward()`
calls are gradient steps of a training run, whether a loop body steps an optimizer, and how many
epochs a counted loop runs (through the arguments of the functions that hold it). Not a rule.
"""
from __future__ import annotations

import ast
import re
from typing import Iterator

from ..frontends.python import PythonContext, call_name, dotted, kwarg
from ..frontends.bindings import bindings, walk_statements
from ..frontends.values import call_arguments
from .training_values import class_bases, class_methods, local_class, loop_iterable, number_of, scope_of
from ..frontends.pyast import walk


# Methods that fit a model to data: Keras, scikit-learn (incremental `partial_fit` too) and the
# libraries that copy their API. The one list every training reader uses.
FIT_METHODS = ("fit", "fit_generator", "partial_fit", "train_on_batch")

def trainer_object(ctx: PythonContext, receiver: ast.AST | None, at: ast.AST | None = None) -> bool:
    """An object that runs training for the model it was given: one named so (`trainer`,
    `self.trainer`), built by a call named so (`Trainer(...)`, `SFTTrainer(...)`,
    `build_trainer(...)`, `create_supervised_trainer(...)`: a library's or the project's own), or
    an instance of a class of the file derived from one (`class Distiller(Trainer)`). Its
    `train()` / `fit()` starts a run, where a model's zero-argument `train()` switches mode. The
    one definition every training reader uses."""
    from .search_values import origin_calls  # search_values reads the rule catalogue: loaded on use

    if receiver is None:
        return False
    if "trainer" in (dotted(receiver) or "").lower():
        return True
    for origin in origin_calls(ctx, receiver, at):
        cls = local_class(ctx, origin.func)
        names = [call_name(origin)] + ([base.rsplit(".", 1)[-1] for base in class_bases(ctx, cls)] if cls else [])
        if any("trainer" in name.lower() for name in names):
            return True
    return False


# A name that holds an optimizer: `optimizer`, `g_optim`, `self.optimizer_d`, `opt`, `opt_g`, `optD`.
_OPTIMIZER_NAME = re.compile(r"(?i:optim)|(?:^|[._])[oO]pt(?=$|[._A-Z0-9])")


def optimizer_step(call: ast.Call) -> bool:
    """A call that applies gradients: `optimizer.step()`, `g_optim.step()`, `opt.step()`,
    `scaler.step(optimizer)` (mixed precision), `xm.optimizer_step(opt)` (XLA). The one
    definition every training reader uses."""
    if not isinstance(call.func, ast.Attribute) or call.func.attr not in ("step", "optimizer_step"):
        return False
    return call.func.attr == "optimizer_step" or any(
        _OPTIMIZER_NAME.search(dotted(n) or "") for n in (call.func.value, *call.args))


def steps_optimizer(ctx: PythonContext) -> bool:
    """The file applies gradients: an `optimizer_step`, a DeepSpeed / Accelerate-style engine's
    `engine.backward(loss); engine.step()`, or a hand-written SGD update."""
    return ctx.memo("steps_optimizer", lambda: _steps_optimizer(ctx))


def _steps_optimizer(ctx: PythonContext) -> bool:
    engines = {dotted(c.func.value) for c in ctx.calls
               if isinstance(c.func, ast.Attribute) and c.func.attr == "backward" and len(c.args) == 1}
    if any(optimizer_step(call) or (isinstance(call.func, ast.Attribute) and call.func.attr == "step"
                                    and dotted(call.func.value) in engines - {None})
           for call in ctx.calls):
        return True
    # hand-written SGD: `p -= lr * p.grad`, `w.data.sub_(lr * w.grad)`
    return any(
        any(isinstance(n, ast.Attribute) and n.attr == "grad" for n in walk(node))
        for node in [*ctx.nodes_of(ast.AugAssign), *(c for c in ctx.calls if call_name(c) in ("sub_", "add_"))])


# An optimizer's factory named for it: `create_optimizer(args, model)`, timm's
# `create_optimizer_v2`, `build_optimizer(cfg, model)`, `get_optimizer(...)`.
_OPTIMIZER_FACTORY = re.compile(r"(?:[A-Za-z0-9]+_)*optimi[sz]ers?(?:_v\d+)?", re.I)


def builds_optimizer(ctx: PythonContext, call: ast.AST) -> bool:
    """A call that builds an optimizer: a `torch.optim` class (`torch.optim.Adam(model.parameters())`,
    not an `lr_scheduler`), or a factory named for one. The one test every training reader uses:
    building an optimizer over a model is evidence that the code trains it."""
    if not isinstance(call, ast.Call):
        return False
    name = call_name(call) or ""
    qualified = ctx.qualname(call.func) or ""
    if qualified.startswith("torch.optim."):
        return not qualified.startswith("torch.optim.lr_scheduler") and name[:1].isupper()
    return _OPTIMIZER_FACTORY.fullmatch(name) is not None


def reads_as_pytorch(ctx: PythonContext) -> bool:
    """The file's hand-written training steps are PyTorch's: it imports torch, or it imports
    nothing (an excerpt of a course whose imports live in an earlier file)."""
    return ctx.imports.uses("torch") or not ctx.imports.modules


def backward_calls(ctx: PythonContext) -> list[ast.Call]:
    """Gradient steps of a training run: `loss.backward()` in a loop or a function (code that runs
    repeatedly) of a file that also steps an optimizer. A lone `y.backward()` demonstrating
    autograd, a saliency map's gradient and a hand-written `self.backward(x, y)` are not training."""
    if not steps_optimizer(ctx):
        return []
    out = []
    for c in ctx.calls:
        if not (isinstance(c.func, ast.Attribute) and c.func.attr == "backward"):
            continue
        if ctx.qualname(c.func) == "torch.autograd.backward" or len(c.args) > 1:
            continue
        recv = c.func.value
        if (isinstance(recv, ast.Name) and recv.id == "self") or (isinstance(recv, ast.Call) and call_name(recv) == "super"):
            continue
        if not any(isinstance(a, (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef))
                   for a in ctx.ancestors(c)):
            continue
        out.append(c)
    return out


def names_in(node: ast.AST) -> Iterator[str]:
    for sub in walk(node):
        if isinstance(sub, ast.Name):
            yield sub.id
        elif isinstance(sub, ast.Attribute):
            yield sub.attr
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value.lower() in ("val", "valid", "validation", "dev", "test", "eval"):
            yield sub.value


def _call_site_number(ctx: PythonContext, expr: ast.AST, function: ast.AST) -> int | None:
    """`def train(model, loaders, epochs): for epoch in range(epochs)` called in the same file as
    `train(..., epochs=max_epochs)`: the smallest count its call sites pass, when every call site
    in the file passes a knowable one (peft's MLP and timm notebooks)."""
    if not isinstance(expr, ast.Name) or not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    params = function.args.posonlyargs + function.args.args
    names = [p.arg for p in params]
    if expr.id not in names or bindings(function).get(expr.id):
        return None  # not a plain parameter, or rebound in the body
    index = names.index(expr.id)
    if ctx.enclosing_class(function) is not None or ctx.enclosing_function(function) is not None:
        return None  # methods and closures are called in ways one file does not show
    counts: list[int] = []
    for name_node in ctx.nodes_of(ast.Name):
        if name_node.id != function.name:  # type: ignore[attr-defined]
            continue
        call = ctx.parent(name_node)
        if not isinstance(call, ast.Call) or call.func is not name_node:
            return None  # passed around (a callback, functools.partial): callers unknown
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return None
        given = kwarg(call, expr.id)
        if given is None and index < len(call.args):
            given = call.args[index]
        n = number_of(ctx, given, scope_of(ctx, call)) if given is not None else None
        if not isinstance(n, int) or isinstance(n, bool):
            return None
        counts.append(n)
    return min(counts) if counts else None


def _range_count(ctx: PythonContext, loop: ast.For, scope: ast.AST) -> int | None:
    it = loop_iterable(ctx, loop)  # tqdm(range(n)), enumerate(range(n)), trange(n)
    if not isinstance(it, ast.Call) or call_name(it) not in ("range", "trange") or it.keywords:
        return None
    if isinstance(it.func, ast.Attribute) and call_name(it) == "range":
        return None
    values = [number_of(ctx, a, scope) for a in it.args]
    values = [v if v is not None else _call_site_number(ctx, a, scope) for v, a in zip(values, it.args)]
    if len(values) == 2 and None in values:
        span = _span(ctx, it.args[0], it.args[1], scope)
        if span is not None:  # `range(start + 1, start + epochs + 1)` runs `epochs` whatever the start
            return max(span, 0)
    if len(values) == 2 and values[0] is None and isinstance(values[1], int):
        # `range(start_epoch, epochs)` where a resumed checkpoint may set the start: the run the
        # code plans is `epochs` long, the count a fresh start runs
        return max(values[1], 0)
    if not values or any(v is None or not isinstance(v, int) for v in values):
        return None
    if len(values) == 1:
        return max(values[0], 0)
    if len(values) == 2:
        return max(values[1] - values[0], 0)
    return len(range(*values))  # type: ignore[arg-type]


def _span(ctx: PythonContext, start: ast.expr, stop: ast.expr, scope: ast.AST) -> int | None:
    """`stop - start` where both are sums and the terms the code cannot count cancel: what is left
    is one term the code makes knowable (or none), plus whole numbers."""
    def terms(expr: ast.expr, sign: int, into: dict[str, int], nodes: dict[str, ast.expr]) -> None:
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Sub)):
            terms(expr.left, sign, into, nodes)
            terms(expr.right, sign if isinstance(expr.op, ast.Add) else -sign, into, nodes)
        elif isinstance(expr, ast.Constant) and type(expr.value) is int:
            into[""] = into.get("", 0) + sign * expr.value
        else:
            key = ast.dump(expr)
            into[key] = into.get(key, 0) + sign
            nodes[key] = expr

    counts: dict[str, int] = {}
    nodes: dict[str, ast.expr] = {}
    terms(stop, 1, counts, nodes)
    terms(start, -1, counts, nodes)
    constant = counts.pop("", 0)
    left = {key: n for key, n in counts.items() if n}
    if not left:
        return constant
    if len(left) != 1 or next(iter(left.values())) != 1:
        return None
    n = number_of(ctx, nodes[next(iter(left))], scope)
    return int(n) + constant if isinstance(n, (int, float)) else None


def has_train_step(ctx: PythonContext, body: list[ast.stmt], depth: int = 0, seen: set | None = None,
                   handed: dict[str, ast.expr] | None = None) -> bool:
    """The block takes a gradient step (`loss.backward()`, `optimizer.step()`), itself or in a
    function of the file it calls, a few calls deep. A called function may be one handed in as an
    argument (`handed`: what the call site gave each parameter) or built by a factory of the file
    (`train_step_fn = make_train_step_fn(model, loss_fn, optimizer)`, a closure that steps)."""
    seen = seen if seen is not None else set()
    for node in walk_statements(body):
        if not isinstance(node, ast.Call):
            continue
        if call_name(node) == "backward" or optimizer_step(node):
            return True
        if depth < 3:
            function = _called_function(ctx, node, handed or {})
            if function is not None and function not in seen:
                seen.add(function)
                if has_train_step(ctx, function.body, depth + 1, seen, _given(node, function)):
                    return True
    return False


def _called_function(ctx: PythonContext, call: ast.Call, handed: dict[str, ast.expr]) -> ast.FunctionDef | None:
    func = call.func
    if isinstance(func, ast.Name) and ctx.qualname(func) is None:
        if func.id in handed:  # `step_fn(x, y)` in `def mini_batch(device, loader, step_fn)`
            return function_value(ctx, handed[func.id])
        return function_value(ctx, func)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
        cls = ctx.enclosing_class(call)
        if cls is not None:
            return class_methods(ctx, cls).get(func.attr)
    return None


def function_value(ctx: PythonContext, expr: ast.AST, depth: int = 0) -> ast.FunctionDef | None:
    """The function of the file an expression holds: one named so, a name bound to one, or the
    closure a factory of the file returns (`def make_step(model, opt): def step(x, y): ...;
    return step`)."""
    if depth > 3 or not isinstance(expr, (ast.Name, ast.Call)):
        return None
    if isinstance(expr, ast.Call):
        returned = ctx.returned_values(expr)
        return next(filter(None, (function_value(ctx, value, depth + 1) for value in returned)), None)
    function = ctx.functions.get(expr.id)
    if function is not None:
        return function  # type: ignore[return-value]
    values = ctx.bound_values(expr)
    return next(filter(None, (function_value(ctx, value, depth + 1) for value in values)), None)


def _given(call: ast.Call, function: ast.FunctionDef) -> dict[str, ast.expr]:
    """What a call gives the function's parameters (`self.step(x)` binds `self` itself)."""
    bound = isinstance(call.func, ast.Attribute) and [a.arg for a in (function.args.posonlyargs + function.args.args)[:1]] == ["self"]
    return dict(call_arguments(call, function, bound=bound))


def epoch_count(ctx: PythonContext, loop: ast.For, scope: ast.AST) -> int | None:
    """The epochs of an epoch loop: a counted loop that says it runs epochs (`for epoch in ...`,
    `range(args.epochs)`; `for i in range(2000)` is as often an optimiser test or a step loop)
    and is not nested in another counted loop (then the outer one is the epoch loop)."""
    n = _range_count(ctx, loop, scope)
    if n is None:
        return None
    targets = [t.id for t in walk(loop.target) if isinstance(t, ast.Name)]
    if not any("epoch" in t.lower() or t in ("ep", "e") for t in targets) and not any(
        "epoch" in name.lower() for name in names_in(loop.iter)
    ):
        return None
    if any(isinstance(a, (ast.For, ast.AsyncFor)) and _range_count(ctx, a, scope_of(ctx, a)) for a in ctx.ancestors(loop)):
        return None
    return n
