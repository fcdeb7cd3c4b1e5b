"""Synthetic inputs and data reads, for the model rules: whether a tensor is random (`torch.randn`,
`np.random.rand`), whether a loss was computed from one, and whether the file reads any data
from outside the program. A file that only makes random tensors is a benchmark or a smoke test.
Not a rule.
"""
from __future__ import annotations

import ast
import re

from ..frontends.python import PythonContext, call_name
from .scoped_names import name_key
from ..frontends.pyast import walk

RANDOM_CALLS = {
    "torch.randn", "torch.rand", "torch.randint", "torch.randn_like", "torch.rand_like", "torch.randint_like",
    "torch.zeros", "torch.ones", "torch.empty", "torch.zeros_like", "torch.ones_like", "torch.full",
    "numpy.random.rand", "numpy.random.randn", "numpy.random.randint", "numpy.random.random",
    "numpy.random.normal", "numpy.random.uniform", "numpy.zeros", "numpy.ones", "numpy.empty",
    "tensorflow.random.normal", "tensorflow.random.uniform", "keras.random.normal", "keras.random.uniform",
}


def is_random_input(ctx: PythonContext, node: ast.AST | None, _depth: int = 0) -> bool:
    """A synthetic tensor: `torch.randn(...)`, `np.random.rand(...)`, or a name bound only to one."""
    if node is None or _depth > 3:
        return False
    if isinstance(node, ast.Call):
        if ctx.qualname(node.func) in RANDOM_CALLS:
            return True
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("to", "cuda", "float", "half"):
            return is_random_input(ctx, node.func.value, _depth + 1)
        return False
    if isinstance(node, ast.Name):
        values = ctx.bound_values(node)
        return bool(values) and all(is_random_input(ctx, v, _depth + 1) for v in values)
    return False


def computed_on_random(ctx: PythonContext, node: ast.AST) -> bool:
    """`loss_fn(m(torch.randn(...)), y).backward()`: a loss computed from synthetic inputs."""
    exprs = [node]
    if isinstance(node, ast.Name):
        exprs = ctx.bound_values(node)
    for expr in exprs:
        for sub in walk(expr):
            if isinstance(sub, ast.Call) and any(is_random_input(ctx, a) for a in sub.args):
                return True
    return False


# Calls that bring data in from outside the program (files, datasets, loaders, user input).
DATA_CALL = re.compile(
    r"dataset|dataloader|loader|folder|from_directory|^open$|^read_|^load_data|^loadtxt$|^imread$|^i?glob$"
    r"|^listdir$|^scandir$|^input$|^urlopen$|^fetch_|^load$",
    re.I,
)


def reads_data(ctx: PythonContext) -> bool:
    """Some call of the file reads data from outside the program: a dataset, a loader, a file."""
    return ctx.memo("synthetic_inputs.reads_data", lambda: any(DATA_CALL.search(call_name(c) or "") for c in ctx.calls))


def synthetic_data_only(ctx: PythonContext) -> bool:
    """The file makes random tensors and reads no data at all: a demo, benchmark or smoke test."""
    return any(ctx.qualname(c.func) in RANDOM_CALLS for c in ctx.calls) and not reads_data(ctx)


def only_random_inputs(ctx: PythonContext, model_names: set[str]) -> bool:
    """The model is only ever called on synthetic tensors (a benchmark or a smoke test)."""
    calls = [c for c in ctx.calls if name_key(ctx, c.func) in model_names and c.args]
    return bool(calls) and all(is_random_input(ctx, c.args[0]) for c in calls)
