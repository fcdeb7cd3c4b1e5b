"""GL305 dense-embedding-gradients: a large `nn.Embedding` / `nn.EmbeddingBag` trained with dense
gradients although every optimizer of the file accepts sparse ones."""
from __future__ import annotations

import ast
from typing import Any

from . import detector
from ..frontends.python import PythonContext, arg, call_name, kwarg
from .training_flow import file_trains

SPARSE_OK_OPTIMIZERS = {"torch.optim.SGD", "torch.optim.Adagrad", "torch.optim.SparseAdam"}


def _large_dense_embeddings(ctx: PythonContext, min_vocab: int) -> list[tuple[ast.Call, int]]:
    """(call, rows) of each embedding with at least `min_vocab` literal rows and dense gradients."""
    embeddings = []
    for call in ctx.calls:
        if ctx.qualname(call.func) not in ("torch.nn.Embedding", "torch.nn.EmbeddingBag"):
            continue
        vocab = ctx.int_value(arg(call, 0, "num_embeddings"))
        if vocab is None or vocab < min_vocab:
            continue
        sparse = kwarg(call, "sparse")
        if sparse is not None and ctx.literal(sparse) is not False:
            continue
        if any(k.arg is None for k in call.keywords) or kwarg(call, "_weight") is not None:
            continue
        embeddings.append((call, vocab))
    return embeddings


def _sparse_capable_optimizer(ctx: PythonContext) -> str | None:
    """The name of the file's first optimizer when all of them accept sparse gradients without
    weight decay, else None."""
    optimizers = [c for c in ctx.calls if (ctx.qualname(c.func) or "").startswith("torch.optim.")
                  and (ctx.qualname(c.func) or "").count(".") == 2 and call_name(c)[:1].isupper()]
    if not optimizers or any(ctx.qualname(o.func) not in SPARSE_OK_OPTIMIZERS for o in optimizers):
        return None  # Adam, AdamW, ... reject sparse gradients; an unknown optimizer may too
    for opt in optimizers:
        decay = ctx.literal(kwarg(opt, "weight_decay"))
        if kwarg(opt, "weight_decay") is not None and decay not in (0, 0.0):
            return None  # weight decay densifies the update (Adagrad refuses it with sparse gradients)
    return call_name(optimizers[0])


@detector("GL305")
def dense_embedding_gradients(ctx: PythonContext) -> None:
    embeddings = _large_dense_embeddings(ctx, int(ctx.options("GL305")["min-vocab"]))
    if not embeddings:
        return
    opt_name = _sparse_capable_optimizer(ctx)
    if opt_name is None or file_trains(ctx) is None:
        return
    for call, vocab in embeddings:
        dim = ctx.int_value(arg(call, 1, "embedding_dim"))
        impact: dict[str, Any] = {"vocabulary": vocab, "optimizer": opt_name}
        size = ""
        if dim is not None:
            impact.update(embedding_dim=dim, dense_gradient_bytes=vocab * dim * 4)
            size = (f" ({vocab:,} x {dim} float32 = {vocab * dim * 4 / 2**20:,.0f} MiB of gradient written and "
                    f"applied every step)")
        ctx.report(
            "GL305", call.func,
            f"`{call_name(call)}` with a {vocab:,}-row vocabulary computes a dense gradient for the whole table{size} "
            f"although a batch touches only a few rows; the file's optimizer ({opt_name}) accepts sparse gradients, "
            f"so `sparse=True` updates only the rows that were looked up.",
            impact=impact,
        )
