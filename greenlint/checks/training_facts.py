"""Facts about training code shared by GL201-GL203: which constructor built an object, the classes
a file defines, the trainer and argument classes of the libraries, which `backward()` calls are
gradient steps of a training run, and names that look like training or validation data.
Not a rule.
"""
from __future__ import annotations

import ast
import re
from typing import Iterator

from ..frontends.python import PythonContext, call_name, dotted
from .training_values import follow, method_calls, receiver_of, scope_of, walk_no_defs


def local_classes(ctx: PythonContext) -> dict[str, ast.ClassDef]:
    cached = getattr(ctx, "_gl_classes", None)
    if cached is None:
        cached = {n.name: n for n in ctx.walk() if isinstance(n, ast.ClassDef)}
        ctx._gl_classes = cached  # type: ignore[attr-defined]
    return cached


def class_bases(ctx: PythonContext, cls: ast.ClassDef, depth: int = 0) -> Iterator[str]:
    """Qualified names of the bases of a class defined in the file, through local bases."""
    if depth > 6:
        return
    for base in cls.bases:
        name = ctx.qualname(base)
        if name:
            yield name
        elif isinstance(base, ast.Name) and base.id in local_classes(ctx) and local_classes(ctx)[base.id] is not cls:
            yield from class_bases(ctx, local_classes(ctx)[base.id], depth + 1)


def local_class(ctx: PythonContext, func: ast.AST) -> ast.ClassDef | None:
    if isinstance(func, ast.Name) and ctx.qualname(func) is None:
        return local_classes(ctx).get(func.id)
    return None


def class_methods(ctx: PythonContext, cls: ast.ClassDef, depth: int = 0) -> dict[str, ast.FunctionDef]:
    """Methods of a local class, including those of its local bases."""
    methods: dict[str, ast.FunctionDef] = {}
    if depth > 6:
        return methods
    for base in cls.bases:
        if isinstance(base, ast.Name) and ctx.qualname(base) is None and base.id in local_classes(ctx):
            other = local_classes(ctx)[base.id]
            if other is not cls:
                methods.update(class_methods(ctx, other, depth + 1))
    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            methods[stmt.name] = stmt  # type: ignore[assignment]
    return methods


def constructor(ctx: PythonContext, expr: ast.AST | None, scope: ast.AST, depth: int = 0) -> ast.Call | None:
    """The call that built the object `expr` refers to, when the code makes it unique."""
    if expr is None or depth > 5:
        return None
    if isinstance(expr, ast.Name):
        target = follow(ctx, expr, scope)
        return constructor(ctx, target, scope, depth + 1) if target is not None and target is not expr else None
    if isinstance(expr, ast.Call):
        # `build_model()` defined in the file: what does it return?
        if isinstance(expr.func, ast.Name) and ctx.qualname(expr.func) is None and expr.func.id in ctx.functions:
            function = ctx.functions[expr.func.id]
            returns = [n.value for n in walk_no_defs(function) if isinstance(n, ast.Return) and n.value is not None]
            built = [constructor(ctx, r, function, depth + 1) for r in returns]
            if built and all(b is not None for b in built):
                quals = {ctor_name(ctx, b) for b in built}
                if len(quals) == 1:
                    return built[0]
            return None
        # `Model(...).compile()` style chains are not constructors; `.set_params` changes them
        return expr
    return None


def ctor_name(ctx: PythonContext, call: ast.Call | None) -> str | None:
    """Qualified name of a constructor; a local class reports its first library base."""
    if call is None:
        return None
    qual = ctx.qualname(call.func)
    if qual is not None:
        return qual
    local = local_class(ctx, call.func)
    if local is not None:
        bases = list(class_bases(ctx, local))
        return f"<local>{local.name}:" + ",".join(bases)
    return None


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
    qual = ctx.qualname(call.func)
    if qual in HF_TRAINERS:
        return True, None
    local = local_class(ctx, call.func)
    if local is not None and set(class_bases(ctx, local)) & HF_TRAINERS:
        return True, local
    return False, None


def fits_of(ctx: PythonContext, ctor: ast.Call) -> list[ast.Call]:
    """`trainer.fit(...)` calls on the object a constructor call is bound to (or chained)."""
    parent = ctx.parent(ctor)
    if isinstance(parent, ast.Attribute) and parent.attr == "fit":
        grand = ctx.parent(parent)
        return [grand] if isinstance(grand, ast.Call) else []
    if not isinstance(parent, ast.Assign):
        return []
    names = {t.id for t in parent.targets if isinstance(t, ast.Name)}
    scope = scope_of(ctx, ctor)
    fits = []
    for call in method_calls(ctx, "fit"):
        recv = receiver_of(call)
        if isinstance(recv, ast.Name) and recv.id in names and scope_of(ctx, call) is scope:
            fits.append(call)
    return fits


_VAL_TOKENS = {"val", "valid", "validation", "validate", "dev", "test", "eval", "evaluation", "evaluate", "heldout", "holdout"}


_VAL_GLUED = re.compile(r"(val|valid|validation|test|dev|eval)(loader|dataloader|loaders|set|data|dataset|ds|dl|iter|gen|generator|batches|x|y)")


_TRAIN_TOKENS = {"train", "training", "trn"}


def name_tokens(identifier: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", identifier)
    return [t for t in re.split(r"[_\W\d]+", spaced.lower()) if t]


def is_val_name(identifier: str) -> bool:
    return any(t in _VAL_TOKENS or _VAL_GLUED.fullmatch(t) for t in name_tokens(identifier))


def is_train_name(identifier: str) -> bool:
    return any(
        t in _TRAIN_TOKENS or re.fullmatch(r"[dx]?train(ing)?(loader|dataloader|set|data|dataset|ds|dl|x|y|pool|matrix)?", t)
        for t in name_tokens(identifier)
    )


def steps_optimizer(ctx: PythonContext) -> bool:
    """`optimizer.step()`, `g_optim.step()`, `scaler.step(optimizer)`, `xm.optimizer_step(opt)`."""
    cached = getattr(ctx, "_gl_steps_optimizer", None)
    if cached is None:
        cached = False
        # DeepSpeed / Accelerate-style engines: `engine.backward(loss); engine.step()`
        engines = {dotted(c.func.value) for c in ctx.calls
                   if isinstance(c.func, ast.Attribute) and c.func.attr == "backward" and len(c.args) == 1}
        for call in ctx.calls:
            if not isinstance(call.func, ast.Attribute):
                continue
            if call.func.attr == "step" and dotted(call.func.value) in engines - {None}:
                cached = True
                break
            if call.func.attr == "optimizer_step":
                cached = True
                break
            if call.func.attr == "step":
                names = [dotted(call.func.value) or ""] + [dotted(a) or "" for a in call.args]
                if any("opt" in n.lower() for n in names):
                    cached = True
                    break
        if not cached:
            # hand-written SGD: `p -= lr * p.grad`, `w.data.sub_(lr * w.grad)`
            for node in ctx.walk():
                if isinstance(node, (ast.AugAssign, ast.Call)) and (
                    isinstance(node, ast.AugAssign) or call_name(node) in ("sub_", "add_")
                ) and any(isinstance(n, ast.Attribute) and n.attr == "grad" for n in ast.walk(node)):
                    cached = True
                    break
        ctx._gl_steps_optimizer = cached  # type: ignore[attr-defined]
    return cached


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
