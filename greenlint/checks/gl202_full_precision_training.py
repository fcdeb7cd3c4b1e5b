"""GL202 full-precision-training: GPU training in float32 where mixed precision is a flag away
(hand-written PyTorch loops on CUDA, Lightning `Trainer`, Hugging Face `TrainingArguments`).
"""
from __future__ import annotations

import ast
import re

from . import detector
from ..frontends.python import UNKNOWN, PythonContext, arg, dotted
from .training_facts import HF_ARGS, PL_TRAINERS, arguments_train, backward_calls, name_tokens
from .training_values import calls_on
from .training_values import Args, MISSING, const_of, scope_of
from .testing_code import is_test_module
from ..frontends.pyast import walk


# Any of these words in an identifier means the script already thinks about precision (an
# `--amp` flag, a GradScaler, `.half()`, a Fabric/Accelerate precision setting): stay silent.
_PRECISION_TOKENS = {
    "amp", "autocast", "fp16", "bf16", "half", "float16", "bfloat16", "scaler", "precision",
    "fp8", "mixed", "deepspeed", "fabric", "apex", "qat", "ptq", "int8",
}
# Quantization(-aware) training sets its own numeric formats: autocast is not a flag away. Not
# vector quantization (a VQ-VAE's codebook), a layer of the model that leaves its formats alone.
_QUANTIZATION_TOKENS = {"quant", "quantize", "quantized", "quantizer", "quantization"}
_VECTOR_QUANTIZATION = ("vq", "codebook")


def _sets_precision(tokens: set[str]) -> bool:
    if tokens & _PRECISION_TOKENS:
        return True
    return bool(tokens & _QUANTIZATION_TOKENS) and not any(v in t for t in tokens for v in _VECTOR_QUANTIZATION)


_MIXED_PL = {"16", "16-mixed", "bf16", "bf16-mixed", "16-true", "bf16-true", "transformer-engine",
             "transformer-engine-float16", "fp8", "64", "64-true"}


def _identifier_tokens(ctx: PythonContext) -> set[str]:
    return ctx.memo("identifier_tokens", lambda: _collect_identifier_tokens(ctx))


def _collect_identifier_tokens(ctx: PythonContext) -> set[str]:
    tokens: set[str] = set()
    read = {n.id for n in ctx.nodes_of(ast.Name) if isinstance(n.ctx, ast.Load)}  # type: ignore[attr-defined]
    for node in ctx.walk():
        if isinstance(node, ast.Name):
            tokens.update(_format_tokens(node.id, variable=True))
        elif isinstance(node, ast.Attribute):
            if not (dotted(node.value) or "").endswith("Compression"):  # Horovod's `hvd.Compression.fp16`
                tokens.update(_format_tokens(node.attr, setting=True))
        elif isinstance(node, ast.keyword) and node.arg:
            tokens.update(_format_tokens(node.arg, setting=True) if not _prints(ctx, node) else ())
        elif isinstance(node, ast.alias):
            if _bound_name(node) in read:  # an import the file never uses decides nothing (`Fabric` left unused)
                tokens.update(_format_tokens(node.name))
                if node.asname:
                    tokens.update(_format_tokens(node.asname))
        elif isinstance(node, ast.ImportFrom) and node.module and any(_bound_name(a) in read for a in node.names):
            tokens.update(name_tokens(node.module, keep_digits=True))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("-"):
            tokens.update(_format_tokens(node.value, setting=True))  # flags: `--amp`, `--fp16`, `--precision`
    return tokens


def _bound_name(alias: ast.alias) -> str:
    """The name an import binds: `as` name, or the first part of `import a.b`."""
    return alias.asname or alias.name.partition(".")[0]


_NUMERIC_FORMAT_TOKENS = {"mixed", "half", "matmul", "dtype", "amp", "fp16", "bf16", "fp8", "float16", "bfloat16",
                          "float32", "tf32"}


_COMMUNICATION_TOKENS = {"allreduce", "compression", "compress"}


def _format_tokens(identifier: str, setting: bool = False, variable: bool = False) -> list[str]:
    """The words of an identifier that say the script thinks about numeric formats, less the words
    other code uses too:

    - `precision` names a classification metric (`Precision()` of torchmetrics or Keras,
      `precision_score`, `precision = tp / (tp + fp)`) unless a numeric-format word goes with it
      (`mixed_precision`, `matmul_precision`) or it is a setting on its own (`args.precision`,
      `precision=`, `--precision`);
    - `scaler` is a GradScaler only with `grad` (`GradScaler`, `grad_scaler`): a `StandardScaler`
      scales features;
    - a variable called just `half` or `amp` is half of something or an amplitude: the format is
      read where it is used (`.half()`, `torch.cuda.amp`, `from apex import amp`)."""
    tokens = name_tokens(identifier, keep_digits=True)
    if _COMMUNICATION_TOKENS & set(tokens):
        return []  # gradients compressed for the network (`fp16_allreduce`): the model still computes in float32
    if "precision" in tokens and not _NUMERIC_FORMAT_TOKENS & set(tokens) and not (setting and tokens == ["precision"]):
        tokens.remove("precision")
    if "scaler" in tokens and "grad" not in tokens:
        tokens.remove("scaler")
    if variable and tokens in (["half"], ["amp"]):
        return []
    return tokens


def _prints(ctx: PythonContext, keyword: ast.keyword) -> bool:
    """`precision=` of a printing or rounding call (`np.set_printoptions(precision=3)`): digits shown."""
    call = ctx.parent(keyword)
    callee = ctx.qualname(call.func) if isinstance(call, ast.Call) else None
    return callee is not None and any(word in callee.lower() for word in ("print", "format", "round"))


def _uses_cuda(ctx: PythonContext) -> bool:
    """The file puts work on an NVIDIA GPU: `.cuda()`, `torch.cuda.set_device(rank)`, a device string
    (`"cuda"`, `"cuda:0"`, `f"cuda:{rank}"`), or NCCL, the collective backend only GPUs use."""
    for call in ctx.calls:
        if isinstance(call.func, ast.Attribute) and call.func.attr == "cuda":  # `.cuda()`, `.cuda(args.gpu)`
            if ctx.qualname(call.func) in ("torch.cuda",):
                continue
            return True
        if ctx.qualname(call.func) == "torch.cuda.set_device":
            return True
    # `torch.device("cuda" if torch.cuda.is_available() else "cpu")`, `device = "cuda:0"`, `.to("cuda")`
    for node in ctx.nodes_of(ast.Constant):
        if isinstance(node.value, str) \
                and (re.fullmatch(r"cuda(:\d*)?", node.value) or node.value == "nccl"):
            return True
    return False


@detector("GL202")
def full_precision_training(ctx: PythonContext) -> None:
    if is_test_module(ctx) or _quantized_model(ctx):  # a test suite trains on toy data to check code (by what it defines)
        return
    _torch_loops(ctx)
    if ctx.imports.uses("pytorch_lightning"):
        for call in ctx.calls_to(*PL_TRAINERS):
            _lightning_trainer(ctx, call)
    if ctx.imports.uses("transformers", "trl"):
        for call in ctx.calls:
            if ctx.qualname(call.func) in HF_ARGS:
                _hf_arguments(ctx, call)


_QUANTIZED_LOADS = {"quantization_config", "load_in_4bit", "load_in_8bit"}


def _quantized_model(ctx: PythonContext) -> bool:
    """The model is loaded quantized (`BitsAndBytesConfig`, `load_in_4bit=True`, a QLoRA recipe):
    its numeric formats, the compute dtype included, are set there, not a flag away."""
    return any(k.arg in _QUANTIZED_LOADS for c in ctx.calls for k in c.keywords) or any(
        (ctx.qualname(c.func) or "").endswith("BitsAndBytesConfig") for c in ctx.calls)


def _torch_loops(ctx: PythonContext) -> None:
    """Hand-written PyTorch loops on CUDA, in a file that never mentions precision."""
    if not ctx.imports.uses("torch") \
            or ctx.imports.uses("accelerate", "lightning_fabric", "deepspeed", "apex") \
            or next(ctx.calls_to(*HF_ARGS, *PL_TRAINERS), None) is not None \
            or _sets_precision(_identifier_tokens(ctx)):
        return  # a library's trainer owns precision; a LightningModule stepped by hand is a PyTorch loop
    backward = backward_calls(ctx)
    if backward and _uses_cuda(ctx):
        first = min(backward, key=lambda c: (c.lineno, c.col_offset))
        ctx.report(
            "GL202", first.func,
            "trains on CUDA in float32; wrapping the forward pass in torch.autocast(\"cuda\", dtype=torch.bfloat16) "
            "(or float16 with torch.amp.GradScaler) uses the GPU's tensor cores, up to 3x faster on Volta and newer",
            impact={"library": "pytorch", "precision": "fp32"},
        )


def _lightning_on_gpu(ctx: PythonContext, a: Args, scope: ast.AST) -> bool:
    acc = const_of(ctx, a.get("accelerator"), scope)
    gpus = const_of(ctx, a.get("gpus"), scope)
    return (isinstance(acc, str) and acc.lower() in ("gpu", "cuda")) or (
        a.get("gpus") is not MISSING and gpus not in (None, 0, UNKNOWN, "0", [])
    ) or any(_gpu_where_cuda_exists(ctx, a.get(key)) for key in ("accelerator", "gpus", "devices"))


_CUDA_PROBES = {"torch.cuda.is_available", "torch.cuda.device_count"}


def _gpu_where_cuda_exists(ctx: PythonContext, node: object) -> bool:
    """A hardware argument computed from whether CUDA exists (`gpus=int(torch.cuda.is_available())`,
    `accelerator="gpu" if torch.cuda.is_available() else "cpu"`): the run uses the GPU wherever
    there is one, the machine it is written for."""
    if isinstance(node, ast.Name):
        node = ctx.expression_of(node)  # `AVAIL_GPUS = min(1, torch.cuda.device_count())`
    return isinstance(node, ast.AST) and any(
        isinstance(sub, ast.Call) and ctx.qualname(sub.func) in _CUDA_PROBES for sub in walk(node))


def _lightning_precision_chosen(ctx: PythonContext, a: Args, scope: ast.AST) -> bool:
    """Plugins, a DeepSpeed or unreadable strategy, or a precision that is mixed or not readable."""
    if a.get("plugins") is not MISSING:
        return True
    strategy = const_of(ctx, a.get("strategy"), scope)
    if a.get("strategy") is not MISSING and not isinstance(strategy, str) or isinstance(strategy, str) and "deepspeed" in strategy:
        return True
    prec_expr = a.get("precision")
    if prec_expr is MISSING:
        return False
    prec = const_of(ctx, prec_expr, scope)
    return prec is UNKNOWN or str(prec) in _MIXED_PL


def _lightning_trainer(ctx: PythonContext, call: ast.Call) -> None:
    scope = scope_of(ctx, call)
    a = Args(ctx, call, scope)
    if a.opaque or call.args or not _lightning_on_gpu(ctx, a, scope) or _lightning_precision_chosen(ctx, a, scope) \
            or _only_evaluates(ctx, call) or _matmul_precision_lowered(ctx):
        return
    ctx.report(
        "GL202", call.func,
        "trains on the GPU in 32-bit precision; precision=\"bf16-mixed\" (or \"16-mixed\") uses the tensor "
        "cores, up to 3x faster on Volta and newer",
        impact={"library": "lightning", "precision": "32"},
    )


def _matmul_precision_lowered(ctx: PythonContext) -> bool:
    """`torch.set_float32_matmul_precision("medium")` (or "high"): float32 matrix products already
    run on the tensor cores (bfloat16 or TF32 inside), the speed the rule asks for: a numeric
    format was chosen."""
    return any(ctx.qualname(c.func) == "torch.set_float32_matmul_precision"
               and ctx.literal(arg(c, 0, "precision")) in ("medium", "high") for c in ctx.calls)


_EVALUATING = {"test", "validate", "predict"}


def _only_evaluates(ctx: PythonContext, trainer: ast.Call) -> bool:
    """`trainer = pl.Trainer(gpus=1)` that is asked to `test`, `validate` or `predict` and never to
    `fit`: it trains nothing (a checkpoint evaluated). Other calls (`save_checkpoint`) are neutral."""
    methods = {call.func.attr for call in calls_on(ctx, trainer)}
    return bool(methods & _EVALUATING) and "fit" not in methods


def _set(ctx: PythonContext, value: object) -> bool:
    """A precision setting that is given and may turn something on: `fp16=False` (`# overflows
    with fp16`) leaves training in float32, as leaving it out does; a value read from elsewhere may
    turn it on."""
    if value is MISSING:
        return False
    return not (isinstance(value, ast.AST) and ctx.literal(value) is False)


_HF_PRECISION_SETTINGS = ("fp16", "bf16", "half_precision_backend", "deepspeed", "tf32", "use_cpu", "no_cuda",
                          "use_mps_device", "fsdp")


def _hf_arguments(ctx: PythonContext, call: ast.Call) -> None:
    a = Args(ctx, call, scope_of(ctx, call))
    if a.opaque or any(_set(ctx, a.get(k)) for k in _HF_PRECISION_SETTINGS) or not arguments_train(ctx, call):
        return
    ctx.report(
        "GL202", call.func,
        "trains in float32 (on the GPU when one is present); bf16=True (Ampere or newer) or fp16=True turns on mixed precision, "
        "up to 3x faster on tensor-core GPUs",
        impact={"library": "transformers", "precision": "fp32"},
    )
