"""GL302 oversized-architecture-default: layer-count and layer-width defaults above the
thresholds in a training entry point (Python: parameter defaults, argparse, click, typer,
config classes) or a training config (YAML/JSON/TOML)."""
from __future__ import annotations

import ast
from typing import Any, Iterator, NamedTuple

from . import detector
from ..frontends.python import PythonContext, arg, call_name, dotted, kwarg, parameter_defaults
from .config_training import TRAINING_KEYS, document_keys, norm_key
from .checkpoint_loads import LOAD_CALLS, loads_checkpoint
from .training_flow import file_trains


class SizeDefault(NamedTuple):
    name: str
    value: int
    node: ast.AST  # where to report
    where: str  # how the default is set, in words
    siblings: frozenset[str]  # names set side by side (the other parameters, fields or options)


def _thresholds(ctx: Any) -> tuple[int, int, set[str], set[str]]:
    opts = ctx.options("GL302")
    return (int(opts["max-depth"]), int(opts["max-width"]),
            {n.lower() for n in opts["depth-names"]}, {n.lower() for n in opts["width-names"]})


# ---------------------------------------------------------------------------------------
# Python: where a training entry point sets its defaults
# ---------------------------------------------------------------------------------------


def _is_library_config_class(ctx: PythonContext, cls: ast.ClassDef | None) -> bool:
    """A model library's description of published architectures (`class XConfig(PretrainedConfig)`)."""
    if cls is None:
        return False
    for base in cls.bases:
        last = (dotted(base) or "").split(".")[-1]
        q = ctx.qualname(base) or ""
        if last in ("PretrainedConfig", "PreTrainedConfig") or q.startswith("transformers.") and last.endswith("Config"):
            return True
    return False


def _int_default(ctx: PythonContext, node: ast.AST | None) -> int | None:
    if node is None:
        return None
    if isinstance(node, ast.Call):  # typer.Option(48), dataclasses.field(default=48), Field(48)
        if call_name(node) not in ("Option", "Argument", "field", "Field"):
            return None
        node = arg(node, 0, "default")
    value = ctx.literal(node)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _parameter_defaults(ctx: PythonContext, func: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[SizeDefault]:
    args = func.args
    siblings = frozenset(a.arg for a in args.posonlyargs + args.args + args.kwonlyargs)
    for param, default in parameter_defaults(func):
        value = _int_default(ctx, default)
        if value is not None:
            where = "typer option" if isinstance(default, ast.Call) else f"default of `{func.name}()`"
            yield SizeDefault(param.arg, value, default, where, siblings)
    for deco in func.decorator_list:  # @click.option("--depth", default=48)
        if isinstance(deco, ast.Call) and call_name(deco) == "option" and (ctx.qualname(deco.func) or "").startswith("click"):
            flags = [a.value for a in deco.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            value = _int_default(ctx, kwarg(deco, "default"))
            if flags and value is not None:
                dest = ([f for f in flags if f.startswith("--")] or flags)[0].lstrip("-").replace("-", "_")
                yield SizeDefault(dest, value, deco.func, "click option", siblings)


def _config_class_fields(ctx: PythonContext, cls: ast.ClassDef) -> Iterator[SizeDefault]:
    """Fields of a dataclass, pydantic model or structured config class."""
    decorated = any("dataclass" in (dotted(d.func if isinstance(d, ast.Call) else d) or "") for d in cls.decorator_list)
    based = any((dotted(b) or "").split(".")[-1] in ("BaseModel", "BaseSettings", "Config") for b in cls.bases)
    if not (decorated or based):
        return
    fields = [s for s in cls.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]
    siblings = frozenset(s.target.id for s in fields)  # type: ignore[union-attr]
    for stmt in fields:
        value = _int_default(ctx, stmt.value)
        if value is not None:
            yield SizeDefault(stmt.target.id, value, stmt.target, f"field of config class `{cls.name}`", siblings)  # type: ignore[union-attr]


def _argparse_defaults(ctx: PythonContext) -> Iterator[SizeDefault]:
    parsers: dict[str, set[str]] = {}
    adds = []
    for call in ctx.calls:
        if call_name(call) != "add_argument" or not call.args:
            continue
        flags = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        longs = [f for f in flags if f.startswith("--")] or flags
        if not longs:
            continue
        dest = longs[0].lstrip("-").replace("-", "_")
        owner = (dotted(call.func.value) if isinstance(call.func, ast.Attribute) else "") or ""
        parsers.setdefault(owner, set()).add(dest)
        adds.append((dest, call, owner))
    for dest, call, owner in adds:
        value = _int_default(ctx, kwarg(call, "default"))
        if value is not None:
            yield SizeDefault(dest, value, call.func, "argparse default", frozenset(parsers[owner]))


def size_defaults(ctx: PythonContext) -> Iterator[SizeDefault]:
    """Every int default of a named parameter, option or config field."""
    for node in ctx.walk():
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if not _is_library_config_class(ctx, ctx.enclosing_class(node)):
                yield from _parameter_defaults(ctx, node)
        elif isinstance(node, ast.ClassDef) and not _is_library_config_class(ctx, node):
            yield from _config_class_fields(ctx, node)
    yield from _argparse_defaults(ctx)


_IMAGE_HEIGHTS = {"height", "h", "img_height", "image_height"}


def _dimension(default: SizeDefault, limits: tuple[int, int, set[str], set[str]]) -> tuple[str, int, str] | None:
    """("depth" | "width", threshold, unit) when `default` is above its threshold, else None."""
    max_depth, max_width, depth_names, width_names = limits
    lname = default.name.lower()
    if lname in depth_names and default.value > max_depth:
        return "depth", max_depth, "layers"
    if lname in width_names and default.value > max_width:
        if lname == "width" and _IMAGE_HEIGHTS & {s.lower() for s in default.siblings}:
            return None  # an image size, not a layer width
        return "width", max_width, "units"
    return None


def _other_dimension(default: SizeDefault, kind: str, candidates: list[SizeDefault], depth_names: set[str]) -> int | None:
    """The value of the other dimension set side by side with `default` (depth beside width)."""
    other = None
    for sibling in candidates:
        if sibling.siblings == default.siblings and sibling.where == default.where and sibling.name != default.name:
            if ("depth" if sibling.name.lower() in depth_names else "width") != kind:
                other = sibling.value
    return other


def _estimate(kind: str, value: int, other: int | None, impact: dict[str, Any]) -> str:
    """Transformer blocks hold about 12 * d_model^2 parameters each (Kaplan et al. 2020)."""
    if other is None:
        return ""
    depth, width = (value, other) if kind == "depth" else (other, value)
    params = 12 * depth * width * width
    impact["estimated_params"] = params
    return (f"; with {depth} layers of width {width} a transformer stack holds about "
            f"{params / 1e9:.1f} B parameters (12·L·d², Kaplan et al. 2020), and training compute grows "
            f"with it (about 6 FLOPs per parameter per token)")


_SAVES = {"save", "save_checkpoint", "save_weights", "save_pretrained", "save_model", "save_state_dict"}
_CONDITIONS = (ast.If, ast.IfExp, ast.Try)


def _saved_paths(ctx: PythonContext) -> dict[str, int]:
    """{path expression: first line} where the file writes weights: `torch.save(state, path)`,
    `model.save_weights(path)`, `model.save_pretrained(path)`."""
    paths: dict[str, int] = {}
    for call in ctx.calls:
        if call_name(call) in _SAVES:
            args = call.args[1:] if ctx.qualname(call.func) == "torch.save" else call.args[:1]
            for node in list(args) + [k.value for k in call.keywords if k.arg in ("f", "filepath", "save_directory")]:
                key = ast.dump(node)
                paths[key] = min(paths.get(key, call.lineno), call.lineno)
    return paths


def _load_path(call: ast.Call) -> ast.AST | None:
    """What a load reads: `torch.load(p)` -> p, `m.load_state_dict(torch.load(p))` -> p."""
    first = call.args[0] if call.args else None
    if isinstance(first, ast.Call) and call_name(first) in ("load", "load_file", "load_checkpoint"):
        return _load_path(first)
    return first


def _reads_back_own_save(call: ast.Call, saved: dict[str, int]) -> bool:
    path = _load_path(call)
    line = saved.get(ast.dump(path)) if path is not None else None
    return line is not None and line < call.lineno


def _starts_from_checkpoint(ctx: PythonContext, trained: ast.AST) -> bool:
    """The sizes come from a checkpoint loaded unconditionally. A load that reads back, after
    the file has saved it, what its own training wrote (`torch.save(model.state_dict(), path)`
    in the loop, then `model.load_state_dict(torch.load(path))` to test the best epoch) is the
    trained result, not a starting point."""
    if not loads_checkpoint(ctx):
        return False
    saved = _saved_paths(ctx)
    for call in ctx.calls:
        if call_name(call) in LOAD_CALLS or ctx.qualname(call.func) == "torch.load":
            if any(isinstance(a, _CONDITIONS) for a in ctx.ancestors(call)):
                continue
            parent = ctx.parent(call)
            if isinstance(parent, ast.Call) and call_name(parent) in LOAD_CALLS:
                continue  # `torch.load` inside `load_state_dict(...)`: judged with its outer call
            if not _reads_back_own_save(call, saved) and not _into_frozen_model(ctx, call) \
                    and not _loads_data(ctx, call) and not _in_unused_function(ctx, call, trained):
                return True
    return False


def _in_unused_function(ctx: PythonContext, node: ast.AST, trained: ast.AST) -> bool:
    """`node` sits in a module-level function whose name the file never reads (`def load_ckpt(...)`
    kept for resuming, never called) and that does not hold the training: it does not run with it.
    (A `def main(...)` that loads and trains is one unit, whoever calls it.)"""
    function = ctx.enclosing_function(node)
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or ctx.parent(function) is not ctx.tree \
            or function in ctx.ancestors(trained):
        return False
    return not any(n.id == function.name for n in ctx.nodes_of(ast.Name))


_MODEL_METHODS = {"eval", "train", "parameters", "state_dict", "forward", "named_parameters", "modules", "children"}


def _loads_data(ctx: PythonContext, load: ast.Call) -> bool:
    """`voxels = torch.load("train_fmri.pt")` that the file never uses as a model or a state (never
    loaded into one, called, or asked for its parameters): tensors of data, not a checkpoint."""
    target = ctx.parent(load)
    if call_name(load) != "load" or not (isinstance(target, ast.Assign) and len(target.targets) == 1
                                          and isinstance(target.targets[0], ast.Name)):
        return False
    held = target.targets[0].id
    for node in ctx.nodes_of(ast.Name):
        if node.id != held or node is target.targets[0]:
            continue
        use = ctx.parent(node)
        while isinstance(use, ast.Subscript) and use.value is not None:  # ckpt["model"]
            use = ctx.parent(use)
        if isinstance(use, ast.Call) and (use.func is node or call_name(use) in LOAD_CALLS):
            return False
        if isinstance(use, ast.Attribute) and use.attr in _MODEL_METHODS:
            return False
    return True


def _into_frozen_model(ctx: PythonContext, load: ast.Call) -> bool:
    """The load fills a model the file freezes (`vae.load_state_dict(ckpt)` then
    `vae.requires_grad_(False)`): a fixed helper such as a pre-trained autoencoder, not where the
    trained network's sizes come from. `ckpt = torch.load(p)` counts by the model it is loaded into."""
    receivers = set()
    if isinstance(load.func, ast.Attribute) and call_name(load) in LOAD_CALLS:
        receivers.add(dotted(load.func.value))
    target = ctx.parent(load)
    if isinstance(target, ast.Assign) and len(target.targets) == 1 and isinstance(target.targets[0], ast.Name):
        held = target.targets[0].id
        receivers |= {dotted(c.func.value) for c in ctx.calls
                      if isinstance(c.func, ast.Attribute) and call_name(c) in LOAD_CALLS
                      and any(isinstance(a, ast.Name) and a.id == held for a in c.args)}
    receivers.discard(None)
    frozen = {dotted(c.func.value) for c in ctx.calls if isinstance(c.func, ast.Attribute)
              and c.func.attr == "requires_grad_" and c.args and isinstance(c.args[0], ast.Constant) and c.args[0].value is False}
    return bool(receivers) and receivers <= frozen


@detector("GL302")
def oversized_architecture_default(ctx: PythonContext) -> None:
    limits = _thresholds(ctx)
    depth_names, width_names = limits[2], limits[3]
    candidates = [c for c in size_defaults(ctx) if c.name.lower() in depth_names | width_names]
    if not candidates:
        return
    trained = file_trains(ctx)
    if trained is None or _starts_from_checkpoint(ctx, trained):
        return
    for default in candidates:
        dimension = _dimension(default, limits)
        if dimension is None:
            continue
        kind, limit, unit = dimension
        impact: dict[str, Any] = {"parameter": default.name, "default": default.value, "threshold": limit,
                                  "dimension": kind}
        estimate = _estimate(kind, default.value, _other_dimension(default, kind, candidates, depth_names), impact)
        message = (
            f"`{default.name}` defaults to {default.value} {unit} ({default.where}), above the {kind} threshold of "
            f"{limit}, in a file that trains (line {trained.lineno}){estimate}. Every run that keeps the default pays "
            f"for it: start from a smaller default and scale up only when a smaller model under-fits."
        )
        ctx.report("GL302", default.node, message, impact=impact)


# ---------------------------------------------------------------------------------------
# Configs: depth and width keys of a training config that starts from scratch
# ---------------------------------------------------------------------------------------

_DEPTH_KEYS = {"numlayers", "nlayers", "nlayer", "numhiddenlayers", "depth", "numencoderlayers", "numdecoderlayers",
               "encoderlayers", "decoderlayers", "numblocks", "nblocks", "numtransformerlayers"}
_WIDTH_KEYS = {"hiddensize", "dmodel", "nembd", "embeddim", "hiddendim", "width", "modeldim", "embdim", "dhidden",
               "embeddingdim", "embeddingsize", "nembed"}
_CHECKPOINT_KEYS = {"pretrained", "frompretrained", "modelnameorpath", "checkpoint", "initfrom", "resumefrom",
                    "resumefromcheckpoint", "pretrainedmodelnameorpath", "loadfrom", "ckptpath", "pretrainedpath",
                    "basemodel", "modelid", "initcheckpoint", "restorefrom"}
# Keys that name a checkpoint path only when they hold one (Megatron-LM and GPT-NeoX `load`,
# NeMo `restore_from_path` / `init_from_nemo_model`, Lightning `ckpt_path`): a string path.
_CHECKPOINT_PATH_KEYS = {"load", "loaddir", "loadpath", "pretrainedcheckpoint", "restorefrompath",
                         "initfromnemomodel", "initfrompretrainedmodel", "initfromptlckpt", "finetunefrom",
                         "checkpointpath", "loadcheckpoint", "loadcheckpointpath"}
# Files that describe a published architecture (Hugging Face config.json and the like).
_ARCHITECTURE_MARKERS = {"architectures", "transformersversion", "nameorpath", "modeltype"}
_NO_CHECKPOINT = (None, False, "", "null", "none", "None", "scratch")


def _trains_from_scratch(doc: Any) -> bool:
    """A training config (learning rate, epochs, optimizer...) that names no checkpoint to start
    from, and is not a published architecture's description (a Hugging Face config.json)."""
    top = doc.children()
    if len(top) > 500 and all(n.is_scalar for n in top):
        return False  # a flat vocabulary or lookup table (GPT-2's encoder.json holds "width"), not a config
    keys = document_keys(doc)
    if keys & _ARCHITECTURE_MARKERS or not keys & TRAINING_KEYS:
        return False
    for p, node in doc.walk():
        if p and isinstance(p[-1], str) and node.is_scalar and node.value not in _NO_CHECKPOINT:
            key = norm_key(p[-1])
            if key in _CHECKPOINT_KEYS or key in _CHECKPOINT_PATH_KEYS and isinstance(node.value, str):
                return False  # fine-tuning or resuming: the architecture comes with the weights
    return True


def _config_size(path: tuple, node: Any, max_depth: int, max_width: int) -> tuple[str, int, str] | None:
    """("depth" | "width", threshold, words) for an int value above its threshold."""
    if not path or not isinstance(path[-1], str) or not node.is_scalar or isinstance(node.value, bool):
        return None
    if not isinstance(node.value, int):
        return None
    key, value = norm_key(path[-1]), node.value
    if key in _DEPTH_KEYS and max_depth < value <= 10_000:
        return "depth", max_depth, f"trains a {value}-layer model"
    if key in _WIDTH_KEYS and max_width < value <= 1_000_000:
        return "width", max_width, f"trains a model {value} units wide"
    return None


_VOCABULARY_KEYS = {"vocabsize", "nvocab", "vocab", "paddedvocabsize", "numtokens", "ntokens"}


def _counts_vocabulary(mapping: Any, value: int) -> bool:
    """A width-named value at least the vocabulary size set beside it counts the rows of the
    embedding table (OLMo's `embedding_size: 50304` is its padded `vocab_size: 50280`), not units."""
    if mapping is None or not mapping.is_map:
        return False
    sizes = [n.value for k, n in mapping.items() if norm_key(k) in _VOCABULARY_KEYS and n.is_scalar
             and isinstance(n.value, int) and not isinstance(n.value, bool)]
    return any(value >= size for size in sizes)


@detector("GL302", "config")
def oversized_architecture_config(ctx: Any) -> None:
    max_depth, max_width, _, _ = _thresholds(ctx)
    for doc in ctx.documents:
        if not (doc.is_map or doc.is_seq) or not _trains_from_scratch(doc):
            continue
        for path, node in doc.walk():
            size = _config_size(path, node, max_depth, max_width)
            if size is None or (size[0] == "width" and _counts_vocabulary(doc.find(*path[:-1]), node.value)):
                continue
            kind, limit, what = size
            ctx.report("GL302", node,
                       f"{path[-1]}: {node.value} {what} from scratch (threshold {limit}); "
                       f"start from a pre-trained checkpoint or a smaller configuration and scale only if it underfits",
                       {"key": path[-1], "value": node.value, "threshold": limit, "dimension": kind})
