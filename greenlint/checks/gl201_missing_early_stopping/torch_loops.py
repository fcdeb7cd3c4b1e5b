"""GL201 for hand-written PyTorch epoch loops that evaluate on validation data every epoch and
never break out early.
"""
from __future__ import annotations

import ast
import re
from typing import Any, Iterator

from ...finding import Severity
from ...frontends.python import PythonContext, call_name, dotted, kwarg
from .common import report_fixed_budget
from ..training_facts import class_methods, is_train_name, is_val_name
from ..training_schedules import Budget, chains, range_args, schedules_in, scopes_up
from ..training_values import bindings, fmt, follow, number_of, scope_of, walk_no_defs


def _loop_schedule(ctx: PythonContext, loop: ast.For, n: float, end: tuple[int, int]) -> bool:
    """A hand-written epoch loop run under a schedule planned over its epochs: reported as a note."""
    budget = Budget(ctx, n, set().union(*(chains(a) for a in range_args(loop))))
    schedule = schedules_in(ctx, scopes_up(ctx, loop), budget)
    if schedule:
        report_fixed_budget(ctx, loop, n, schedule, "pytorch", end=end)
    return bool(schedule)


_LOG_CALLS = {
    "print", "log", "info", "debug", "warning", "append", "add_scalar", "add_scalars", "format", "write",
    "set_postfix", "set_description", "update", "log_metrics", "log_dict", "extend", "item", "save",
    "step",  # scheduler.step(val_loss) reads a validation score but is not an evaluation
}


def _names_in(node: ast.AST) -> Iterator[str]:
    for sub in ast.walk(node):
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
    for name_node in ctx.walk():
        if not isinstance(name_node, ast.Name) or name_node.id != function.name:
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
    it = loop.iter
    # tqdm(range(n)), enumerate(range(n)), trange(n)
    while isinstance(it, ast.Call) and call_name(it) in ("tqdm", "enumerate", "notebook_tqdm") and it.args:
        it = it.args[0]
    if not isinstance(it, ast.Call) or call_name(it) not in ("range", "trange") or it.keywords:
        return None
    if isinstance(it.func, ast.Attribute) and call_name(it) == "range":
        return None
    values = [number_of(ctx, a, scope) for a in it.args]
    values = [v if v is not None else _call_site_number(ctx, a, scope) for v, a in zip(values, it.args)]
    if not values or any(v is None or not isinstance(v, int) for v in values):
        return None
    if len(values) == 1:
        return max(values[0], 0)
    if len(values) == 2:
        return max(values[1] - values[0], 0)
    return len(range(*values))  # type: ignore[arg-type]


def _has_train_step(ctx: PythonContext, body: list[ast.stmt], depth: int = 0, seen: set | None = None) -> bool:
    seen = seen if seen is not None else set()
    for stmt in body:
        for node in [stmt, *walk_no_defs(stmt)]:
            if not isinstance(node, ast.Call):
                continue
            name = call_name(node)
            if name == "backward":
                return True
            if name == "step" and isinstance(node.func, ast.Attribute):
                recv = dotted(node.func.value) or ""
                if "optim" in recv.lower() or recv.lower().endswith(("opt", "optimizer")):
                    return True
            if depth < 3:
                function = _called_function(ctx, node)
                if function is not None and function not in seen:
                    seen.add(function)
                    if _has_train_step(ctx, function.body, depth + 1, seen):
                        return True
    return False


def _called_function(ctx: PythonContext, call: ast.Call) -> ast.FunctionDef | None:
    func = call.func
    if isinstance(func, ast.Name) and ctx.qualname(func) is None:
        return ctx.functions.get(func.id)  # type: ignore[return-value]
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
        cls = ctx.enclosing_class(call)
        if cls is not None:
            return class_methods(ctx, cls).get(func.attr)
    return None


_TENSOR_FACTORIES = {"ones", "zeros", "full", "ones_like", "zeros_like", "full_like", "fill_", "empty",
                     "new_ones", "new_zeros", "new_full", "FloatTensor", "LongTensor", "Tensor"}


def _label_tensors(body: list[ast.stmt]) -> set[str]:
    """Names bound to constant tensors in the loop: a GAN's `valid = torch.ones(n)` is the 'real'
    label, not validation data."""
    names: set[str] = set()
    for stmt in body:
        for node in [stmt, *walk_no_defs(stmt)]:
            if isinstance(node, ast.Assign) and any(
                isinstance(c, ast.Call) and call_name(c) in _TENSOR_FACTORIES for c in ast.walk(node.value)
            ):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


_SPLIT_WRAPPERS = {"DataLoader", "tqdm", "enumerate", "iter", "list", "Subset", "notebook_tqdm"}


def _training_split(ctx: PythonContext, expr: Any, scope: ast.AST, depth: int = 0) -> bool:
    """The data behind a validation-named loader is certainly the training split:
    `eval_dataset = processed["train"]; eval_dataloader = DataLoader(eval_dataset)` (peft's
    causal-LM examples score on the training set because the test split has no labels)."""
    if depth > 6 or expr is None:
        return False
    if isinstance(expr, ast.Name):
        target = follow(ctx, expr, scope)
        if target is None:
            target = _prepared(ctx, expr, scope)
            if isinstance(target, ast.Name):
                return _training_split(ctx, target, scope, depth + 1)
        if target is None or isinstance(target, ast.Name):
            return False
        return _training_split(ctx, target, scope, depth + 1)
    if isinstance(expr, ast.Call) and call_name(expr) in _SPLIT_WRAPPERS:
        inner = expr.args[0] if expr.args else kwarg(expr, "dataset")
        return _training_split(ctx, inner, scope, depth + 1)
    if isinstance(expr, ast.Subscript) and isinstance(expr.slice, ast.Constant) and isinstance(expr.slice.value, str):
        return expr.slice.value.lower() in ("train", "training")
    return False


def _prepared(ctx: PythonContext, use: ast.Name, scope: ast.AST) -> ast.AST | None:
    """`model, loader = accelerator.prepare(model, loader)`: the argument in the same position."""
    entries = bindings(scope).get(use.id) or []
    before = [stmt for stmt, _ in entries if (stmt.lineno, stmt.col_offset) < (use.lineno, use.col_offset)]
    if not before or not isinstance(before[-1], ast.Assign):
        return None
    stmt = before[-1]
    value = stmt.value
    if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Tuple) or not isinstance(value, ast.Call) \
            or call_name(value) != "prepare" or any(isinstance(a, ast.Starred) for a in value.args):
        return None
    names = [e.id if isinstance(e, ast.Name) else None for e in stmt.targets[0].elts]
    if use.id not in names or len(names) != len(value.args):
        return None
    return value.args[names.index(use.id)]  # a Name there resolves to the binding before `prepare`


def _val_names(ctx: PythonContext, node: ast.AST, scope: ast.AST, labels: set[str]) -> list[str]:
    """Validation-looking identifiers in `node`, less plain names whose data is the training split."""
    found: list[str] = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id not in labels and is_val_name(sub.id) \
                and _training_split(ctx, sub, scope):
            labels = labels | {sub.id}
    for n in _names_in(node):
        if n not in labels:
            found.append(n)
    return found


def _evaluates_on_validation(ctx: PythonContext, body: list[ast.stmt], scope: ast.AST | None = None) -> bool:
    labels = _label_tensors(body)
    scope = scope if scope is not None else ctx.tree
    # the evaluation pass iterates over a loader: when every validation-named loader it walks is
    # the training split, the epoch's `eval_loss`/`eval_ppl` are training scores
    def data_names(it: ast.AST) -> list[ast.Name]:
        # `for p, t in zip(eval_preds, labels)` walks predictions collected in a list, not data
        return [n for n in ast.walk(it) if isinstance(n, ast.Name) and is_val_name(n.id)
                and not isinstance(follow(ctx, n, scope), (ast.List, ast.Dict, ast.ListComp, ast.Tuple))]

    eval_loops = [node for stmt in body for node in [stmt, *walk_no_defs(stmt)]
                  if isinstance(node, (ast.For, ast.AsyncFor)) and data_names(node.iter)]
    if eval_loops and not any(is_val_name(n) for loop in eval_loops for n in _val_names(ctx, loop.iter, scope, labels)):
        return False
    for stmt in body:
        for node in [stmt, *walk_no_defs(stmt)]:
            if isinstance(node, (ast.For, ast.AsyncFor)):
                if any(is_val_name(n) for n in _val_names(ctx, node.iter, scope, labels)):
                    return True
            if not isinstance(node, ast.Call):
                continue
            name = call_name(node)
            if name in _LOG_CALLS:
                continue
            arg_nodes = list(node.args) + [k.value for k in node.keywords]
            arg_names = [n for a in arg_nodes for n in _val_names(ctx, a, scope, labels)]
            if any(is_val_name(n) for n in arg_names) and not (name in ("eval", "train") and not node.args):
                return True
            if name and is_val_name(name) and not (name == "eval" and not arg_nodes):
                # `evaluate(model, train_loader)` only looks at training data
                if arg_names and any(is_train_name(n) for n in arg_names):
                    continue
                if isinstance(node.func, ast.Attribute) and name == "eval":
                    continue
                return True
    return False


_STOP_WORDS = re.compile(r"patience|early_?stop|earlystop|stop_training|should_stop|should_prune|no_improve|bad_epochs|stale")


def _lr_plateau(node: ast.AST) -> bool:
    """`ReduceLROnPlateau(..., patience=args.patience)`: its patience lowers the learning rate and
    never stops training."""
    return isinstance(node, ast.Call) and "Plateau" in (call_name(node) or "")


def _walk_skipping_plateau(root: ast.AST) -> Iterator[ast.AST]:
    stack = [root]
    while stack:
        node = stack.pop()
        if _lr_plateau(node):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _children_in_loop(node: ast.AST, nested_loop: bool) -> Iterator[tuple[ast.AST, bool]]:
    """Each child of `node`, and whether a `break` there would end a loop nested in the epoch
    loop rather than the epoch loop itself. Only a loop starts a nested loop, and its `else`
    block runs after it, outside it; every other node kind (`if`, the `a if c else b`
    expression, `try`, `match`, `with`, comprehensions) keeps the level of its parent."""
    if not isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
        for child in ast.iter_child_nodes(node):
            yield child, nested_loop
        return
    after_loop = {id(stmt) for stmt in node.orelse}
    for child in ast.iter_child_nodes(node):
        yield child, nested_loop or id(child) not in after_loop


def _stops_early(loop: ast.For | ast.AsyncFor) -> bool:
    """A `break`/`return`/`raise` that can end the epoch loop, or early-stop bookkeeping."""
    stack: list[tuple[ast.AST, bool]] = [(s, False) for s in loop.body]
    while stack:
        node, nested_loop = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)) or _lr_plateau(node):
            continue
        if isinstance(node, ast.Break) and not nested_loop:
            return True
        if isinstance(node, (ast.Return, ast.Raise)):
            return True
        if isinstance(node, ast.Call) and call_name(node) in ("exit", "_exit"):
            return True
        if isinstance(node, ast.Name) and _STOP_WORDS.search(node.id.lower()):
            return True
        if isinstance(node, ast.Attribute) and _STOP_WORDS.search(node.attr.lower()):
            return True
        stack.extend(_children_in_loop(node, nested_loop))
    return False


def check_torch_loops(ctx: PythonContext, min_epochs: int) -> None:
    if not ctx.imports.uses("torch"):
        return
    for loop in ctx.walk():
        if not isinstance(loop, ast.For):
            continue
        scope = scope_of(ctx, loop)
        n = _range_count(ctx, loop, scope)
        if n is None or n < min_epochs:
            continue
        # an epoch loop says so: `for epoch in ...`, `range(args.epochs)`; `for i in range(2000)`
        # is as often an optimiser test or a step loop
        targets = [t.id for t in ast.walk(loop.target) if isinstance(t, ast.Name)]
        if not any("epoch" in t.lower() or t in ("ep", "e") for t in targets) and not any(
            "epoch" in name.lower() for name in _names_in(loop.iter)
        ):
            continue
        if any(isinstance(a, (ast.For, ast.AsyncFor)) and _range_count(ctx, a, scope_of(ctx, a)) for a in ctx.ancestors(loop)):
            continue  # the outer loop is the epoch loop
        if not _has_train_step(ctx, loop.body) or not _evaluates_on_validation(ctx, loop.body, scope):
            continue
        if _stops_early(loop):
            continue
        # early stopping handled by the enclosing function (e.g. an EarlyStopping helper object)
        function = ctx.enclosing_function(loop) or ctx.tree
        if any(
            isinstance(n_, (ast.Name, ast.Attribute)) and _STOP_WORDS.search((n_.id if isinstance(n_, ast.Name) else n_.attr).lower())
            for n_ in _walk_skipping_plateau(function)
        ):
            continue
        end_line, end_col = loop.iter.end_lineno or loop.lineno, loop.iter.end_col_offset or 0
        if _loop_schedule(ctx, loop, n, (end_line, ctx.char_column(end_line, end_col))):
            continue
        ctx.report_at(
            "GL201", loop.lineno, ctx.char_column(loop.lineno, loop.col_offset), end_line,
            ctx.char_column(end_line, end_col),
            f"trains {fmt(n)} epochs, evaluates on validation data every epoch and never stops early; "
            f"break out of the loop once the validation loss has not improved for a few epochs (patience)",
            impact={"library": "pytorch", "epochs": n},
            severity=Severity.NOTE,
        )
