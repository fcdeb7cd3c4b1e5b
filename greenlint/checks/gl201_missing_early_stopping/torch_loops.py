"""GL201 for hand-written PyTorch epoch loops that evaluate on validation data every epoch and
never break out early.
"""
from __future__ import annotations

import ast
import re
from typing import Any, Iterator

from ...finding import Severity
from ...frontends.python import PythonContext, call_name, kwarg
from .common import report_fixed_budget
from ..training_facts import epoch_loop, is_train_name, is_val_name, names_in
from ..training_loops import reads_as_pytorch
from ..training_schedules import Budget, chains, hand_written_schedule, range_args, schedules_in, scopes_up
from ...frontends.bindings import bindings, walk_statements
from ..training_values import fmt, scope_of
from ...frontends.pyast import walk, child_nodes


def _loop_schedule(ctx: PythonContext, loop: ast.For, n: float, end: tuple[int, int]) -> bool:
    """A hand-written epoch loop run under a schedule planned over its epochs: reported as a note."""
    budget = Budget(ctx, n, set().union(*(chains(a) for a in range_args(ctx, loop))))
    schedule = schedules_in(ctx, scopes_up(ctx, loop), budget) or hand_written_schedule(ctx, loop, budget)
    if schedule:
        report_fixed_budget(ctx, loop, n, schedule, "pytorch", end=end)
    return bool(schedule)


_LOG_CALLS = {
    "print", "log", "info", "debug", "warning", "append", "add_scalar", "add_scalars", "format", "write",
    "set_postfix", "set_description", "update", "log_metrics", "log_dict", "extend", "item", "save",
    "step",  # scheduler.step(val_loss) reads a validation score but is not an evaluation
}


_TENSOR_FACTORIES = {"ones", "zeros", "full", "ones_like", "zeros_like", "full_like", "fill_", "empty",
                     "new_ones", "new_zeros", "new_full", "FloatTensor", "LongTensor", "Tensor"}


def _label_tensors(body: list[ast.stmt]) -> set[str]:
    """Names bound to constant tensors in the loop: a GAN's `valid = torch.ones(n)` is the 'real'
    label, not validation data."""
    names: set[str] = set()
    for node in walk_statements(body):
        if isinstance(node, ast.Assign) and any(
            isinstance(c, ast.Call) and call_name(c) in _TENSOR_FACTORIES for c in walk(node.value)
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
        target = ctx.expression_of(expr, scope)
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
    """Validation-looking identifiers in `node`, less plain names whose data is the training split
    and names that hold a number (a GAN's `valid = 1`, the 'real' label, bound outside the loop)."""
    found: list[str] = []
    for sub in walk(node):
        if isinstance(sub, ast.Name) and sub.id not in labels and is_val_name(sub.id) \
                and (_training_split(ctx, sub, scope) or _holds_a_number(ctx, sub)):
            labels = labels | {sub.id}
        elif isinstance(sub, ast.Call):  # `x.to(dev)`, `device=dev`: where the work runs, not a dev split
            devices = sub.args if call_name(sub) in _DEVICE_CALLS else []
            devices = [*devices, *(k.value for k in sub.keywords if k.arg in _DEVICE_KEYWORDS)]
            labels = labels | {n.id for d in devices for n in walk(d) if isinstance(n, ast.Name)}
    for n in names_in(node):
        if n not in labels:
            found.append(n)
    return found


def _holds_a_number(ctx: PythonContext, name: ast.Name) -> bool:
    value = ctx.literal(name)
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _evaluates_on_validation(ctx: PythonContext, body: list[ast.stmt], scope: ast.AST | None = None) -> bool:
    labels = _label_tensors(body)
    scope = scope if scope is not None else ctx.tree
    if _evaluates_only_training_split(ctx, body, scope, labels):
        return False
    for node in walk_statements(body):
        if isinstance(node, (ast.For, ast.AsyncFor)):
            if any(is_val_name(n) for n in _val_names(ctx, node.iter, scope, labels)):
                return True
        if isinstance(node, ast.Call) and _evaluation_call(ctx, node, scope, labels):
            return True
    return False


def _evaluates_only_training_split(ctx: PythonContext, body: list[ast.stmt], scope: ast.AST, labels: set[str]) -> bool:
    """The evaluation pass iterates over a loader: when every validation-named loader it walks is
    the training split, the epoch's `eval_loss`/`eval_ppl` are training scores."""
    def data_names(it: ast.AST) -> list[ast.Name]:
        # `for p, t in zip(eval_preds, labels)` walks predictions collected in a list, not data
        return [n for n in walk(it) if isinstance(n, ast.Name) and is_val_name(n.id)
                and not isinstance(ctx.expression_of(n, scope), (ast.List, ast.Dict, ast.ListComp, ast.Tuple))]

    eval_loops = [node for node in walk_statements(body)
                  if isinstance(node, (ast.For, ast.AsyncFor)) and data_names(node.iter)]
    return bool(eval_loops) and not any(is_val_name(n) for loop in eval_loops
                                        for n in _val_names(ctx, loop.iter, scope, labels))


# `x.to(dev)`, `device=dev`: where the work runs, not a dev split
_DEVICE_CALLS = {"to", "cuda"}
_DEVICE_KEYWORDS = {"device", "map_location"}


def _evaluation_call(ctx: PythonContext, node: ast.Call, scope: ast.AST, labels: set[str]) -> bool:
    """A call that evaluates on validation data: validation data as an argument, or a function
    named like an evaluation (`evaluate(model, val_loader)`, `validate()`)."""
    name = call_name(node)
    if name in _LOG_CALLS or name in _DEVICE_CALLS:
        return False
    arg_nodes = list(node.args) + [k.value for k in node.keywords if k.arg not in _DEVICE_KEYWORDS]
    arg_names = [n for a in arg_nodes for n in _val_names(ctx, a, scope, labels)]
    if any(is_val_name(n) for n in arg_names) and not (name in ("eval", "train") and not node.args):
        return True
    if name and is_val_name(name) and not (name == "eval" and not arg_nodes):
        # `evaluate(model, train_loader)` only looks at training data
        if arg_names and any(is_train_name(n) for n in arg_names):
            return False
        return not (isinstance(node.func, ast.Attribute) and name == "eval")
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
        stack.extend(child_nodes(node))


def _children_in_loop(node: ast.AST, nested_loop: bool) -> Iterator[tuple[ast.AST, bool]]:
    """Each child of `node`, and whether a `break` there would end a loop nested in the epoch
    loop rather than the epoch loop itself. Only a loop starts a nested loop, and its `else`
    block runs after it, outside it; every other node kind (`if`, the `a if c else b`
    expression, `try`, `match`, `with`, comprehensions) keeps the level of its parent."""
    if not isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
        for child in child_nodes(node):
            yield child, nested_loop
        return
    after_loop = {id(stmt) for stmt in node.orelse}
    for child in child_nodes(node):
        yield child, nested_loop or id(child) not in after_loop


def _stops_early(ctx: PythonContext, loop: ast.For | ast.AsyncFor) -> bool:
    """A `break`/`return`/`raise` that can end the epoch loop, or early-stop bookkeeping. A block
    that the values the code shows rule out never runs (`if args.dry_run: break`, a debugging
    switch off by default): a run started with the defaults trains every epoch."""
    stack: list[tuple[ast.AST, bool]] = [(s, False) for s in loop.body]
    while stack:
        node, nested_loop = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)) or _lr_plateau(node):
            continue
        if isinstance(node, ast.If) and ctx.condition(node.test) is False:
            stack.extend((s, nested_loop) for s in node.orelse)
            continue
        if isinstance(node, ast.Break) and not nested_loop:
            return True
        if isinstance(node, (ast.Return, ast.Raise)):
            return True
        if isinstance(node, ast.Call) and call_name(node) in ("exit", "_exit"):
            return True
        if _reads_stop_bookkeeping(node):
            return True
        stack.extend(_children_in_loop(node, nested_loop))
    return False


def _reads_stop_bookkeeping(node: ast.AST) -> bool:
    """A read of early-stop bookkeeping (`if early_stopping.early_stop:`, `stopper(val_loss)`,
    `if epochs_no_improve > patience:`). Only a read can end the run: `patience = 20` that no line
    reads (its check commented out) stops nothing."""
    if isinstance(node, ast.Name):
        return isinstance(node.ctx, ast.Load) and bool(_STOP_WORDS.search(node.id.lower()))
    return isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load) and bool(_STOP_WORDS.search(node.attr.lower()))


def check_torch_loops(ctx: PythonContext, min_epochs: int) -> None:
    if not reads_as_pytorch(ctx):
        return
    for loop in ctx.nodes_of(ast.For):
        run = epoch_loop(ctx, loop)
        if run is None or run.epochs is None or run.epochs.n is None or run.epochs.n < min_epochs \
                or not ctx.runs_by_default(loop, options=False):  # code the values shown rule out never runs
            continue
        n = int(run.epochs.n)
        if not _evaluates_on_validation(ctx, loop.body, scope_of(ctx, loop)):
            continue
        if _stops_early(ctx, loop) or _stopped_by_enclosing_function(ctx, loop):
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


def _stopped_by_enclosing_function(ctx: PythonContext, loop: ast.For) -> bool:
    """Early stopping handled by the enclosing function (e.g. an EarlyStopping helper object)."""
    function = ctx.enclosing_function(loop) or ctx.tree
    return any(_reads_stop_bookkeeping(node) for node in _walk_skipping_plateau(function))
