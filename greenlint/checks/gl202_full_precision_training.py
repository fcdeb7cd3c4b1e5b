"""GL202 full-precision-training: GPU training in float32 where mixed precision is a flag away
(hand-written PyTorch loops on CUDA, Lightning `Trainer`, Hugging Face `TrainingArguments`).
"""
from __future__ import annotations

import ast
import re

from . import detector
from ..frontends.python import UNKNOWN, PythonContext
from .training_facts import HF_ARGS, PL_TRAINERS, backward_calls, constructor, hf_trainer_class, name_tokens
from .training_values import Args, MISSING, const_of, method_calls, receiver_of, scope_of


# Any of these words in an identifier means the script already thinks about precision (an
# `--amp` flag, a GradScaler, `.half()`, a Fabric/Accelerate precision setting): stay silent.
_PRECISION_TOKENS = {
    "amp", "autocast", "fp16", "bf16", "half", "float16", "bfloat16", "scaler", "precision",
    "fp8", "mixed", "deepspeed", "fabric", "apex",
    # quantization(-aware) training sets its own numeric formats: autocast is not a flag away
    "quant", "quantize", "quantized", "quantizer", "quantization", "qat", "ptq", "int8",
}


_MIXED_PL = {"16", "16-mixed", "bf16", "bf16-mixed", "16-true", "bf16-true", "transformer-engine",
             "transformer-engine-float16", "fp8", "64", "64-true"}


def _identifier_tokens(ctx: PythonContext) -> set[str]:
    cached = getattr(ctx, "_gl_tokens", None)
    if cached is None:
        cached = set()
        for node in ctx.walk():
            if isinstance(node, ast.Name):
                cached.update(name_tokens(node.id))
            elif isinstance(node, ast.Attribute):
                cached.update(name_tokens(node.attr))
            elif isinstance(node, ast.keyword) and node.arg:
                cached.update(name_tokens(node.arg))
            elif isinstance(node, ast.alias):
                cached.update(name_tokens(node.name))
                if node.asname:
                    cached.update(name_tokens(node.asname))
            elif isinstance(node, ast.ImportFrom) and node.module:
                cached.update(name_tokens(node.module))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("-"):
                cached.update(name_tokens(node.value))  # command-line flags: `--amp`, `--fp16`
        ctx._gl_tokens = cached  # type: ignore[attr-defined]
    return cached


def _uses_cuda(ctx: PythonContext) -> bool:
    for call in ctx.calls:
        if isinstance(call.func, ast.Attribute) and call.func.attr == "cuda" and not call.args:
            if ctx.qualname(call.func) in ("torch.cuda",):
                continue
            return True
    # `torch.device("cuda" if torch.cuda.is_available() else "cpu")`, `device = "cuda:0"`, `.to("cuda")`
    for node in ctx.walk():
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"cuda(:\d+)?", node.value):
            return True
    return False


@detector("GL202")
def full_precision_training(ctx: PythonContext) -> None:
    if ctx.in_test_file:  # unit tests train on toy data to check code
        return
    # hand-written PyTorch loops on CUDA
    if (
        ctx.imports.uses("torch")
        and not ctx.imports.uses("pytorch_lightning", "transformers", "accelerate", "lightning_fabric", "deepspeed", "apex")
        and not _identifier_tokens(ctx) & _PRECISION_TOKENS
    ):
        backward = backward_calls(ctx)
        if backward and _uses_cuda(ctx):
            first = min(backward, key=lambda c: (c.lineno, c.col_offset))
            ctx.report(
                "GL202", first.func,
                "trains on CUDA in float32; wrapping the forward pass in torch.autocast(\"cuda\", dtype=torch.bfloat16) "
                "(or float16 with torch.amp.GradScaler) uses the GPU's tensor cores, up to 3x faster on Volta and newer",
                impact={"library": "pytorch", "precision": "fp32"},
            )
    if ctx.imports.uses("pytorch_lightning"):
        for call in ctx.calls_to(*PL_TRAINERS):
            scope = scope_of(ctx, call)
            a = Args(ctx, call, scope)
            if a.opaque or call.args:
                continue
            acc = const_of(ctx, a.get("accelerator"), scope)
            gpus = const_of(ctx, a.get("gpus"), scope)
            on_gpu = (isinstance(acc, str) and acc.lower() in ("gpu", "cuda")) or (
                a.get("gpus") is not MISSING and gpus not in (None, 0, UNKNOWN, "0", [])
            )
            if not on_gpu or a.get("plugins") is not MISSING:
                continue
            strategy = const_of(ctx, a.get("strategy"), scope)
            if a.get("strategy") is not MISSING and not isinstance(strategy, str) or isinstance(strategy, str) and "deepspeed" in strategy:
                continue
            prec_expr = a.get("precision")
            if prec_expr is not MISSING:
                prec = const_of(ctx, prec_expr, scope)
                if prec is UNKNOWN or str(prec) in _MIXED_PL:
                    continue
            ctx.report(
                "GL202", call.func,
                "trains on the GPU in 32-bit precision; precision=\"bf16-mixed\" (or \"16-mixed\") uses the tensor "
                "cores, up to 3x faster on Volta and newer",
                impact={"library": "lightning", "precision": "32"},
            )
    if ctx.imports.uses("transformers", "trl"):
        for call in ctx.calls:
            if ctx.qualname(call.func) not in HF_ARGS:
                continue
            scope = scope_of(ctx, call)
            a = Args(ctx, call, scope)
            if a.opaque:
                continue
            if any(a.get(k) is not MISSING for k in ("fp16", "bf16", "half_precision_backend", "deepspeed", "tf32",
                                                       "use_cpu", "no_cuda", "use_mps_device", "fsdp")):
                continue
            if not _hf_args_train(ctx, call):
                continue
            ctx.report(
                "GL202", call.func,
                "trains in float32 (on the GPU when one is present); bf16=True (Ampere or newer) or fp16=True turns on mixed precision, "
                "up to 3x faster on tensor-core GPUs",
                impact={"library": "transformers", "precision": "fp32"},
            )


def _bound_names(ctx: PythonContext, node: ast.AST) -> set[str]:
    parent = ctx.parent(node)
    if isinstance(parent, (ast.Assign, ast.AnnAssign)):
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        return {t.id for t in targets if isinstance(t, ast.Name)}
    return set()


def _hf_args_train(ctx: PythonContext, args_call: ast.Call) -> bool:
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
