"""GL301: runs that start from random weights by design, which the rule leaves alone: a
self-supervised objective, a benchmark on random tensors, and a recipe that trains on the very
dataset the published weights come from (reproducing that pre-training)."""
from __future__ import annotations

import ast
import re
from typing import Iterator

from ..frontends.python import PythonContext, arg, call_name
from .synthetic_inputs import DATA_CALL, RANDOM_CALLS, is_random_input, synthetic_data_only


# Self-supervised pre-training learns its own representation from random init by design. Matched
# against identifiers the code calls or defines (`info_nce_loss`, `NTXentLoss`, `class SimCLR`).
SELF_SUPERVISED = re.compile(
    r"simclr|byol|barlow|moco|(^|_)dino|swav|simsiam|vicreg|nt_?xent|info_?nce|self_?supervised|contrastive", re.I
)
SSL_LIBRARIES = ("lightly", "solo", "vissl", "pl_bolts.models.self_supervised", "mmselfsup")


def self_supervised_objective(ctx: PythonContext) -> bool:
    """The file trains with a self-supervised objective: it calls or defines a contrastive or
    self-distillation loss or method (NT-Xent, InfoNCE, SimCLR, BYOL, MoCo, DINO...), or imports
    a self-supervised learning library. Comments and strings do not count."""
    if ctx.imports.uses(*SSL_LIBRARIES):
        return True
    names = {call_name(c) for c in ctx.calls}
    names |= {n.name for n in ctx.nodes_of(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)}  # type: ignore[attr-defined]
    return any(SELF_SUPERVISED.search(n) for n in names if n)


def _synthetic_dataset(ctx: PythonContext, node: ast.AST | None, depth: int = 0) -> bool:
    """`TensorDataset(torch.randn(...), labels)`, a `DataLoader` over one, or a name bound only
    to such: data made of random tensors, whatever the labels are."""
    if node is None or depth > 4:
        return False
    if is_random_input(ctx, node):
        return True
    if isinstance(node, ast.Call) and DATA_CALL.search(call_name(node) or ""):
        return _synthetic_dataset(ctx, arg(node, 0, "dataset"), depth + 1)
    if isinstance(node, ast.Name):
        values = ctx.bound_values(node)
        return bool(values) and all(_synthetic_dataset(ctx, v, depth + 1) for v in values)
    return False


def random_data_only(ctx: PythonContext) -> bool:
    """The file trains on random tensors only: it makes some, and every data-reading call either
    does not exist or wraps them (`DataLoader(TensorDataset(torch.randn(...), ...))`). A
    throughput benchmark or smoke test, where pre-trained weights would not help any task."""
    if synthetic_data_only(ctx):
        return True
    if not any(ctx.qualname(c.func) in RANDOM_CALLS for c in ctx.calls):
        return False
    reads = [c for c in ctx.calls if DATA_CALL.search(call_name(c) or "")]
    return bool(reads) and all(_synthetic_dataset(ctx, c) for c in reads)


# The dataset a family of published weights was trained on, as code names it (a path, a dataset
# id, a dataset class). Tiny/Mini-ImageNet (also spelled imagenet-mini), Imagenette and Imagewoof are other datasets.
WEIGHTS_DATASETS = {
    "IMAGENET": re.compile(r"(?<![a-z])(?<!tiny[-_])(?<!mini[-_])(imagenet|ilsvrc)(?!te|[-_]?(?:mini|tiny))", re.I),
    "COCO": re.compile(r"(?<![a-z])coco", re.I),
    "KINETICS": re.compile(r"(?<![a-z])kinetics", re.I),
}
DATASET_MODULES = ("torchvision.datasets.", "tensorflow_datasets.", "datasets.", "timm.data.")
# Calls named like data reads that load models (`torch.hub.load(..., weights="IMAGENET1K_V1")`).
MODEL_LOADS = {"torch.hub.load", "torch.hub.load_state_dict_from_url"}


def _strings_in(ctx: PythonContext, node: ast.AST | None, depth: int = 0) -> Iterator[str]:
    """The strings an argument is made of, through names, argparse defaults, `os.path.join`,
    f-strings and `/` on paths."""
    if node is None or depth > 4:
        return
    value = ctx.literal(node)
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        yield from (v for v in value if isinstance(v, str))
    else:
        for part in _string_parts(ctx, node):
            yield from _strings_in(ctx, part, depth + 1)


def _string_parts(ctx: PythonContext, node: ast.AST) -> list[ast.AST]:
    """The sub-expressions a string value is built from."""
    if isinstance(node, ast.JoinedStr):
        return [part.value if isinstance(part, ast.FormattedValue) else part for part in node.values]
    if isinstance(node, ast.Call):
        return list(node.args) + [k.value for k in node.keywords]
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.Name):
        values = ctx.bound_values(node)
        return list(values[:3])
    return []


def dataset_names(ctx: PythonContext) -> list[str]:
    """What the file's data-reading calls say about the data: the dataset class or function
    (`torchvision.datasets.ImageNet`) and the strings of their arguments (paths, dataset ids)."""
    def build() -> list[str]:
        found: list[str] = []
        for call in ctx.calls:
            q = ctx.qualname(call.func) or ""
            if q in MODEL_LOADS or not (DATA_CALL.search(call_name(call) or "") or q.startswith(DATASET_MODULES)) \
                    or not ctx.runs_by_default(call):  # a dataset branch the defaults do not take
                continue
            found.append(q)
            for argument in list(call.args) + [k.value for k in call.keywords]:
                found.extend(_strings_in(ctx, argument))
                if isinstance(argument, ast.Name) and argument.id in ctx.parsed_args_names:
                    found.extend(_data_option_defaults(ctx))
        return found
    return ctx.memo("gl301.dataset_names", build)


def _data_option_defaults(ctx: PythonContext) -> list[str]:
    """The string defaults of the data options (`--data_path`, `--data_set`, `--dataset`) a data call
    reads when it is handed the whole parsed options (`build_dataset(is_train=True, args=args)`)."""
    return [default.value for dest, default in ctx.argparse_defaults.items()
            if dest.lower().replace("-", "_").split("_")[0] in ("data", "dataset", "datadir", "datapath")
            and isinstance(default, ast.Constant)
            and isinstance(default.value, str)]


def reads_dataset(ctx: PythonContext, dataset: str | None) -> bool:
    """The file reads `dataset` (a WEIGHTS_DATASETS key): where it is the very dataset the
    published weights were trained on, training from scratch is reproducing that pre-training
    (an ImageNet recipe), not avoiding a fine-tune."""
    pattern = WEIGHTS_DATASETS.get(dataset or "")
    return pattern is not None and any(pattern.search(text) for text in dataset_names(ctx))
