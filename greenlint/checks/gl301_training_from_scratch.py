"""GL301 training-from-scratch: a standard architecture built with random weights (torchvision,
keras.applications, timm, transformers configs) and trained in the same file.

The builders table (`rules/data/pretrained_builders.yaml`) is read lazily, once per process.
"""
from __future__ import annotations

import ast
import functools
import re
from typing import Any, Iterator

from . import detector
from ..finding import Fix
from ..frontends.python import PythonContext, arg, call_name, dotted, has_star_kwargs, kwarg
from ..rules import data_path
from .scratch_by_design import WEIGHTS_DATASETS, random_data_only, reads_dataset, self_supervised_objective
from .scoped_names import target_keys
from .testing_code import in_test_code
from .synthetic_inputs import only_random_inputs
from .checkpoint_loads import unconditional_checkpoint_load
from .run_order import live_statements, reached_while_live, runs_after
from .training_flow import (
    TRAIN_HELPER, binding_key, external_training_call, flow, training_evidence,
)
from .transformers_names import is_auto_model_class, is_model_class
from ..frontends.pyast import walk

# ---------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def builders() -> dict[str, Any]:
    """{"torchvision": {name: entry}, "keras": {name: entry}} from pretrained_builders.yaml."""
    import yaml  # heavy: only when a model rule runs

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(data_path("pretrained_builders.yaml").read_text(encoding="utf-8"), Loader=loader)
    libs = raw["libraries"]
    return {
        # Quantized builders share names with the float ones (resnet50...): the float ones win.
        "torchvision": {
            b["name"]: b for b in sorted(libs["torchvision"]["builders"], key=lambda b: "quantization" not in b["module"])
        },
        "keras": {f["name"]: f for f in libs["keras.applications"]["functions"]},
    }


# timm architectures with published weights (prefixes of `timm.list_pretrained()` names).
TIMM_PRETRAINED_PREFIXES = (
    "resnet", "resnext", "wide_resnet", "seresnet", "seresnext", "resnetv2", "resnetrs", "regnet", "efficientnet",
    "tf_efficientnet", "mobilenet", "mobilevit", "vit_", "deit", "swin", "convnext", "densenet", "inception",
    "xception", "vgg", "beit", "eva", "cait", "coat", "levit", "mixer_", "nfnet", "dm_nfnet", "eca_nfnet",
    "rexnet", "ghostnet", "dla", "dpn", "hrnet", "cspresnet", "cspdarknet", "darknet", "twins", "poolformer",
    "maxvit", "coatnet", "edgenext", "efficientformer", "fastvit", "repvgg", "tinynet", "lcnet", "mnasnet",
    "hardcorenas", "fbnet", "res2net", "resnest", "skresnet", "selecsls", "tresnet", "xcit", "pit_", "crossvit",
    "convit", "visformer", "volo", "gcvit", "davit", "inception_next", "caformer", "convformer", "hiera", "deit3",
)
TIMM_CREATE = ("timm.create_model", "timm.models.create_model", "timm.models._factory.create_model")
# transformers config classes whose defaults describe a published checkpoint.
DEFAULT_CONFIG_CHECKPOINT = {
    "BertConfig": "bert-base-uncased",
    "DistilBertConfig": "distilbert-base-uncased",
    "RobertaConfig": "roberta-base",
    "GPT2Config": "gpt2",
    "T5Config": "t5-small",
    "ViTConfig": "google/vit-base-patch16-224",
}
# Config arguments that keep the architecture (and so the checkpoint) usable.
HEAD_ONLY_CONFIG_ARGS = {
    "num_labels", "id2label", "label2id", "problem_type", "output_hidden_states", "output_attentions",
    "return_dict", "use_cache", "hidden_dropout_prob", "attention_probs_dropout_prob", "classifier_dropout",
    "dropout", "attention_dropout", "resid_pdrop", "embd_pdrop", "attn_pdrop", "finetuning_task",
    "torch_dtype", "cache_dir", "revision", "trust_remote_code", "token", "use_auth_token", "local_files_only",
}
BUILDER_PREFIXES = (
    "torchvision.models.", "keras.applications.", "timm.", "transformers.", "torch.hub.load", "segmentation_models",
    "keras_hub.", "keras_nlp.", "keras_cv.",
)
# Segmentation libraries whose every encoder has published ImageNet weights, loaded by default
# (`encoder_weights="imagenet"`): PyTorch's segmentation_models_pytorch and its Keras forerunner
# segmentation_models. Their architectures, and where `encoder_weights` sits among the positional
# arguments (smp: encoder_name, encoder_depth, encoder_weights; Keras: backbone_name, input_shape,
# classes, activation, weights, encoder_weights; smp.create_model: arch, encoder_name, encoder_weights).
ENCODER_LIBRARIES = {
    "segmentation_models_pytorch": ({
        "Unet", "UnetPlusPlus", "MAnet", "Linknet", "FPN", "PSPNet", "DeepLabV3", "DeepLabV3Plus", "PAN",
        "UPerNet", "Segformer", "DPT", "create_model",
    }, 2),
    "segmentation_models": ({"Unet", "FPN", "Linknet", "PSPNet"}, 5),
}
DENSE_TASKS = ("detection", "segmentation", "keypoint", "instance_segmentation")

# ---------------------------------------------------------------------------------------
# From-scratch builds, per library
# ---------------------------------------------------------------------------------------

Build = tuple[ast.Call, str, str, str]  # (call, library, model name, how to start from pre-trained weights)


def _is_torchvision_hub(ctx: PythonContext, repo: ast.AST | None) -> bool:
    """`torch.hub.load("pytorch/vision", ...)`, also pinned (`"pytorch/vision:v0.10.0"`)."""
    value = ctx.literal(repo)
    return isinstance(value, str) and value.split(":")[0].lower() == "pytorch/vision"


def _torchvision_by_name(ctx: PythonContext, call: ast.Call) -> tuple[str, ast.Call] | None:
    """`models.__dict__[name](...)`, `getattr(models, name)(...)`, `get_model(name, ...)`,
    `torch.hub.load("pytorch/vision", name, ...)`."""
    func = call.func
    name_node = None
    if isinstance(func, ast.Subscript) and isinstance(func.value, ast.Attribute) and func.value.attr == "__dict__":
        if (ctx.qualname(func.value.value) or "").startswith("torchvision.models"):
            name_node = func.slice
    elif isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "getattr" and len(func.args) >= 2:
        if (ctx.qualname(func.args[0]) or "").startswith("torchvision.models"):
            name_node = func.args[1]
    elif ctx.qualname(func) == "torchvision.models.get_model":
        name_node = arg(call, 0, "name")
    elif ctx.qualname(func) == "torch.hub.load" and _is_torchvision_hub(ctx, arg(call, 0, "repo_or_dir")):
        name_node = arg(call, 1, "model")
    if name_node is None:
        return None
    name = ctx.literal(name_node)
    if not isinstance(name, str) or _branch_excludes(ctx, call, name_node, name):
        return None
    return name, call


def _name_test(ctx: PythonContext, test: ast.AST, name_node: ast.AST, name: str) -> bool | None:
    """What `if arch.startswith("resnext")` / `arch == "vgg16"` / `arch in (...)` gives for the
    resolved name, or None when the test is about something else."""
    key = ast.dump(name_node)
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and test.func.attr in ("startswith", "endswith") \
            and ast.dump(test.func.value) == key and len(test.args) == 1:
        affix = ctx.literal(test.args[0])
        if isinstance(affix, (str, tuple)):
            return name.startswith(affix) if test.func.attr == "startswith" else name.endswith(affix)
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and ast.dump(test.left) == key:
        other = ctx.literal(test.comparators[0])
        op = test.ops[0]
        if isinstance(op, (ast.Eq, ast.NotEq)) and isinstance(other, str):
            return (name == other) == isinstance(op, ast.Eq)
        if isinstance(op, (ast.In, ast.NotIn)) and isinstance(other, (tuple, list, set)):
            return (name in other) == isinstance(op, ast.In)
    return None


def _branch_excludes(ctx: PythonContext, call: ast.Call, name_node: ast.AST, name: str) -> bool:
    """The build sits in a branch that never runs for the resolved name: `elif
    args.arch.startswith("resnext"): models.__dict__[args.arch](...)` with the default "resnet18"."""
    child: ast.AST = call
    for ancestor in ctx.ancestors(call):
        if isinstance(ancestor, ast.If):
            outcome = _name_test(ctx, ancestor.test, name_node, name)
            in_body = any(child is s for s in ancestor.body)
            if outcome is not None and outcome != in_body and (in_body or any(child is s for s in ancestor.orelse)):
                return True
        child = ancestor
    return False


def _loads_weights(ctx: PythonContext, call: ast.Call, new: str, legacy: str) -> bool:
    """`new=<not None>` or (without it) `legacy=<not False>`: weights are (or may be) loaded.
    Neither given: False (the caller decides what the default means)."""
    weights, pretrained = kwarg(call, new), kwarg(call, legacy)
    if weights is not None:
        return ctx.default_run_value(weights) is not None and not _some_call_gives(ctx, weights, None)
    if pretrained is not None:
        return ctx.default_run_value(pretrained) is not False and not _some_call_gives(ctx, pretrained, False)
    return False


def _some_call_gives(ctx: PythonContext, flag: ast.AST, empty: object) -> bool:
    """`flag` is a parameter of a function of the file (`use_pretrained`) that some call gives
    `empty`, or leaves at a default that is (`initialize_model(..., use_pretrained=False)` beside
    a call with True): that call's run builds random weights."""
    function = ctx.enclosing_function(flag) if isinstance(flag, ast.Name) else None
    if function is None or flag.id in ctx.local_assignments(function):
        return False
    return any(value is empty for value in ctx.parameter_values(function, flag.id))


# Positional arguments before the builder's own: get_model(name, ...), torch.hub.load(repo, name, ...).
_LEADING_ARGS = {"torchvision.models.get_model": 1, "torch.hub.load": 2}


def _torchvision_scratch(ctx: PythonContext, call: ast.Call, entry: dict[str, Any]) -> str | None:
    """The argument to add for pre-trained weights, or None when weights are (or may be) loaded.
    Before torchvision 0.13 the first positional argument was `pretrained`: `resnet50(False)`."""
    if has_star_kwargs(call):
        return None
    own = call.args[_LEADING_ARGS.get(ctx.qualname(call.func) or "", 0):]
    if own and (len(own) > 1 or ctx.literal(own[0]) is not False):
        return None
    if _loads_weights(ctx, call, "weights", "pretrained"):
        return None
    if entry.get("task") in DENSE_TASKS or "weights_backbone_legacy" in entry:
        # `weights_backbone` defaults to ImageNet weights, so only a bare backbone is from scratch;
        # the v2 detection builders default it to None (`weights_backbone_default: null`).
        if kwarg(call, "weights_backbone") is None and kwarg(call, "pretrained_backbone") is None:
            if entry.get("weights_backbone_default", "ImageNet") is not None:
                return None
        elif _loads_weights(ctx, call, "weights_backbone", "pretrained_backbone"):
            return None
    enum = entry.get("weights_enum")
    return f"weights={enum}.DEFAULT" if enum else None


def _torchvision_build(ctx: PythonContext, call: ast.Call, name: str, tables: dict[str, Any]) -> Build | None:
    entry = tables["torchvision"].get(name)
    if not entry or not entry.get("module", "").startswith("torchvision.models") or "quantization" in entry["module"]:
        return None
    how = _torchvision_scratch(ctx, call, entry)
    return (call, "torchvision", name, how) if how else None


# Detection backbones assembled by hand (`FasterRCNN(resnet_fpn_backbone("resnet50", False), 2)`):
# `weights` (before torchvision 0.13 `pretrained`, second positionally) is required, no default.
BACKBONE_HELPERS = {
    "torchvision.models.detection.backbone_utils.resnet_fpn_backbone",
    "torchvision.models.detection.backbone_utils.mobilenet_backbone",
}


def _backbone_helper_build(ctx: PythonContext, call: ast.Call, tables: dict[str, Any]) -> Build | None:
    name = ctx.literal(arg(call, 0, "backbone_name"))
    entry = tables["torchvision"].get(name) if isinstance(name, str) else None
    if entry is None or has_star_kwargs(call):
        return None
    weights = arg(call, 1, "weights")
    legacy = kwarg(call, "pretrained")
    if not ((weights is not None and ctx.default_run_value(weights) in (None, False)) or
            (legacy is not None and ctx.literal(legacy) is False)):
        return None
    return call, "torchvision", f"{name} backbone", f"weights={entry['weights_enum']}.DEFAULT"


def _keras_build(ctx: PythonContext, call: ast.Call, name: str) -> Build | None:
    weights = kwarg(call, "weights")
    if weights is None or ctx.default_run_value(weights) is not None or has_star_kwargs(call):
        return None
    channels = _keras_channels(ctx, call)
    if channels == 1:  # grey-scale: the weights serve it once the channel is repeated three times
        return call, "keras", name, 'weights="imagenet" with the grey channel repeated to 3 (input_shape=(h, w, 3))'
    if channels not in (3, None):
        return None  # multispectral: ImageNet weights load only into 3 channels
    return call, "keras", name, 'weights="imagenet"'


def _keras_channels(ctx: PythonContext, call: ast.Call) -> Any:
    """The channel count of a keras.applications model's `input_shape` (channels last), or None."""
    shape = ctx.literal(kwarg(call, "input_shape"))
    return shape[-1] if isinstance(shape, (tuple, list)) and shape else None


def _timm_build(ctx: PythonContext, call: ast.Call) -> Build | None:
    name = ctx.literal(arg(call, 0, "model_name"))
    if not isinstance(name, str) or has_star_kwargs(call) or len(call.args) > 1:
        return None
    if kwarg(call, "checkpoint_path") is not None or kwarg(call, "pretrained_cfg_overlay") is not None:
        return None
    pretrained = kwarg(call, "pretrained")
    if pretrained is not None and ctx.default_run_value(pretrained) is not False:
        return None
    if name.split(".")[0].lower().startswith(TIMM_PRETRAINED_PREFIXES):
        return call, "timm", name, "pretrained=True"
    return None


def _encoder_build(ctx: PythonContext, call: ast.Call, q: str) -> Build | None:
    """`smp.Unet(encoder_name="resnet34", encoder_weights=None)`: a segmentation model whose
    encoder starts from random weights, although the library's default loads ImageNet ones."""
    parts = q.split(".")
    archs, position = ENCODER_LIBRARIES.get(parts[0], (set(), 0))
    if len(parts) < 2 or parts[-1] not in archs or has_star_kwargs(call):
        return None
    weights = arg(call, position, "encoder_weights")
    if weights is None or ctx.default_run_value(weights) is not None:
        return None  # the default ("imagenet"), a named weight set, or a value the code does not fix
    keras = parts[0] == "segmentation_models"
    factory = parts[-1] == "create_model"
    encoder = ctx.literal(arg(call, 1 if factory else 0, "backbone_name" if keras else "encoder_name"))
    if isinstance(encoder, str) and encoder.startswith("tu-") \
            and not encoder[3:].lower().startswith(TIMM_PRETRAINED_PREFIXES):
        return None  # a timm encoder without published weights
    arch = ctx.literal(arg(call, 0, "arch")) if factory else parts[-1]
    label = arch if isinstance(arch, str) else "the segmentation model"
    if isinstance(encoder, str):
        label += f" ({encoder} encoder)"
    return call, "segmentation_models", label, 'encoder_weights="imagenet"'


def _hub_build(ctx: PythonContext, call: ast.Call) -> Build | None:
    """`torch.hub.load("owner/repo", "entry", pretrained=False)` of a GitHub repository other
    than pytorch/vision: a hub entry point that takes `pretrained` publishes weights, and False
    asks it not to load them. A local hubconf (`source="local"`) publishes nothing we can name."""
    repo, entry = ctx.literal(arg(call, 0, "repo_or_dir")), ctx.literal(arg(call, 1, "model"))
    if not (isinstance(repo, str) and isinstance(entry, str)) or repo.split(":")[0].lower() == "pytorch/vision":
        return None  # pytorch/vision: read as its torchvision builder
    if ctx.literal(kwarg(call, "source")) == "local" or not re.fullmatch(r"[\w.-]+/[\w.-]+(:[\w./-]+)?", repo):
        return None
    if ctx.default_run_value(kwarg(call, "pretrained")) is not False:
        return None
    return call, "torch.hub", f"{repo.split(':')[0]} {entry}", "pretrained=True"


def _preset_build(ctx: PythonContext, call: ast.Call) -> Build | None:
    """`keras_hub.models.X.from_preset("bert_base_en", load_weights=False)`: the preset's
    architecture without its published weights (keras_nlp and keras_cv spell it the same)."""
    preset = ctx.literal(arg(call, 0, "preset"))
    if not isinstance(preset, str) or ctx.default_run_value(arg(call, 1, "load_weights")) is not False:
        return None
    return call, "keras_hub", preset, "load_weights=True"


def _hf_config_call(ctx: PythonContext, node: ast.AST | None, scope: ast.AST) -> ast.Call | None:
    """The transformers call that made the config `node` (directly or through one assignment)."""
    if isinstance(node, ast.Name):
        values = ctx.bound_values(node, scope)
        if len(values) != 1:
            return None
        node = values[0]
    if not isinstance(node, ast.Call) or not (ctx.qualname(node.func) or "").startswith("transformers."):
        return None
    return node


def _hf_config_checkpoint(ctx: PythonContext, node: ast.AST | None, scope: ast.AST) -> str | None:
    """The published checkpoint a transformers config describes, or None (custom or unknown)."""
    config = _hf_config_call(ctx, node, scope)
    if config is None:
        return None
    extra = {k.arg for k in config.keywords}
    if None in extra or extra - HEAD_ONLY_CONFIG_ARGS:
        return None
    q = ctx.qualname(config.func) or ""
    if q.endswith(".from_pretrained") and q.split(".")[-2].endswith("Config"):
        name = ctx.literal(arg(config, 0, "pretrained_model_name_or_path"))
        if isinstance(name, str) and name and not name.startswith((".", "/", "~")) and not name.endswith((".json", "/")):
            return name
        return None
    cls = q.split(".")[-1]
    if cls in DEFAULT_CONFIG_CHECKPOINT and not config.args:
        return DEFAULT_CONFIG_CHECKPOINT[cls]
    return None


def _config_edited(ctx: PythonContext, name: str, scope: ast.AST) -> bool:
    """`config.n_layer = 4` or `config.update(...)` after the config is made: a new architecture."""
    for sub in walk(scope):
        if isinstance(sub, (ast.Assign, ast.AugAssign)):
            targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
            if any(isinstance(t, ast.Attribute) and dotted(t.value) == name for t in targets):
                return True
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "update":
            if dotted(sub.func.value) == name:
                return True
    return False


def _transformers_build(ctx: PythonContext, call: ast.Call, q: str) -> Build | None:
    """`AutoModel*.from_config(config)` / `XxxForY(config)` over a config that names a checkpoint."""
    parts = q.split(".")
    from_config = parts[-1] == "from_config"
    cls = parts[-2] if from_config else parts[-1]
    if not (is_auto_model_class(cls) if from_config else is_model_class(cls)):
        return None
    config = arg(call, 0, "config")
    if config is None or has_star_kwargs(call):
        return None
    scope = ctx.enclosing_function(call) or ctx.tree
    checkpoint = _hf_config_checkpoint(ctx, config, scope)
    if not checkpoint or (isinstance(config, ast.Name) and _config_edited(ctx, config.id, scope)):
        return None
    return call, "transformers", checkpoint, f'{cls}.from_pretrained("{checkpoint}")'


def _build_by_qualname(ctx: PythonContext, call: ast.Call, q: str, tables: dict[str, Any]) -> Build | None:
    last = q.split(".")[-1]
    if q in BACKBONE_HELPERS:
        return _backbone_helper_build(ctx, call, tables)
    if q.startswith("torchvision.models.") and ".quantization" not in q:
        return _torchvision_build(ctx, call, last, tables)
    if q.startswith("keras.applications.") and last in tables["keras"]:
        return _keras_build(ctx, call, last)
    if q in TIMM_CREATE:
        return _timm_build(ctx, call)
    if q.startswith("transformers."):
        return _transformers_build(ctx, call, q)
    if q.startswith("segmentation_models"):
        return _encoder_build(ctx, call, q)
    if q == "torch.hub.load":
        return _hub_build(ctx, call)
    if last == "from_preset" and q.startswith(("keras_hub.", "keras_nlp.", "keras_cv.")):
        return _preset_build(ctx, call)
    return None


def scratch_builds(ctx: PythonContext) -> Iterator[Build]:
    """(call, library, model name, how to start from pre-trained weights) for each from-scratch build."""
    tables = None
    for call in ctx.calls:
        by_name = _torchvision_by_name(ctx, call)
        q = ctx.qualname(call.func) or ""
        if by_name is None and not q.startswith(BUILDER_PREFIXES):
            continue
        tables = tables or builders()
        build = _torchvision_build(ctx, call, by_name[0], tables) if by_name is not None \
            else _build_by_qualname(ctx, call, q, tables)
        if build is not None:
            yield build


# ---------------------------------------------------------------------------------------
# The dataset the published weights come from (see scratch_by_design.reads_dataset)
# ---------------------------------------------------------------------------------------


def weights_dataset(library: str, name: str) -> str | None:
    """The dataset the published weights of this builder come from (a WEIGHTS_DATASETS key)."""
    if library in ("keras", "timm"):
        return "IMAGENET"  # keras.applications: ImageNet weights only; timm's defaults: ImageNet-1k/22k
    if library == "torchvision":
        entry = builders()["torchvision"].get(name) or {}
        member = str(entry.get("default") or (entry.get("members") or [""])[0])
        return next((key for key in WEIGHTS_DATASETS if member.startswith(key)), None)
    return None


# ---------------------------------------------------------------------------------------
# The detector
# ---------------------------------------------------------------------------------------


def _weights_toggled_off(ctx: PythonContext, call: ast.Call) -> bool:
    """`if args.finetune: build(weights=...) else: build(weights=None)` where the option's default
    takes the other branch, which builds the same architecture: a switch for the weights alone,
    decided by the default run as `build(pretrained=args.pretrained)` is. A choice between
    architectures (`if args.arch == "vgg16"`) stays a configuration the program offers."""
    other = ctx.other_branch_taken(call)
    built = _architecture(ctx, call)
    return other is not None and built[0] is not None and any(
        isinstance(node, ast.Call) and _architecture(ctx, node) == built for part in other for node in walk(part))


def _architecture(ctx: PythonContext, call: ast.Call) -> tuple[str | None, object]:
    """What a builder call builds: its function, and for a factory that takes the architecture's
    name (`timm.create_model("resnet50")`, `torch.hub.load(repo, "resnet50")`) that name too:
    `create_model("swin_base")` in the other branch is another architecture."""
    builder = ctx.qualname(call.func)
    if builder in TIMM_CREATE:
        return builder, ctx.literal(arg(call, 0, "model_name"))
    if builder == "torch.hub.load":
        return builder, ctx.literal(arg(call, 1, "model"))
    return builder, None


def _training_call(ctx: PythonContext, call: ast.Call, library: str, name: str) -> ast.Call | None:
    """The call that trains the model `call` builds from scratch, or None when it is not
    trained here, is loaded from a checkpoint, or only runs on random tensors."""
    if in_test_code(ctx, call) or not ctx.runs_by_default(call, options=False) \
            or _weights_toggled_off(ctx, call) or reads_dataset(ctx, weights_dataset(library, name)):
        return None
    keys, model_names = binding_key(ctx, call)
    if not keys:
        return None
    tainted = flow(ctx).taint(keys)
    # A name rebound to another model later (a notebook rebuilding `model` cell after cell) holds
    # the from-scratch one only until then: training after that is another model's. Training that
    # runs before the model is built trains another one (a `loss` name shared by two loops).
    live = live_statements(ctx, call, keys)

    def accept(candidate: ast.AST) -> bool:  # training that the code's constants rule out (`if training:` after `training = False`) never runs
        return not runs_after(ctx, call, candidate) and ctx.runs_by_default(candidate, options=False) \
            and (live is None or reached_while_live(ctx, candidate, live, tainted))
    evidence = training_evidence(ctx, tainted, accept=accept) or external_training_call(ctx, tainted, accept=accept) \
        or _lightning_training_step(ctx, call, tainted)
    if evidence is None or unconditional_checkpoint_load(ctx, tainted, call, trained_by=evidence):
        return None
    aliases = set(model_names) | {k for k in tainted if k in model_names}
    return None if only_random_inputs(ctx, aliases) else evidence  # type: ignore[return-value]


def _lightning_training_step(ctx: PythonContext, call: ast.Call, tainted: set[str]) -> ast.AST | None:
    """Lightning trains what a LightningModule holds: a model built in the `__init__` of a class
    that defines `training_step` and `configure_optimizers`, or stored there as `self.x` from a
    helper of the file (`self.model = create_model()`), is trained wherever a Trainer fits that
    class, in this file or another. The `training_step` is the evidence."""
    init = ctx.enclosing_function(call)
    builds_in = ctx.parent(init) if init is not None and init.name == "__init__" else None
    for cls in ctx.nodes_of(ast.ClassDef):
        methods = {m.name: m for m in cls.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}  # type: ignore[attr-defined]
        if "configure_optimizers" not in methods or "training_step" not in methods:
            continue
        if cls is builds_in or _stores(ctx, methods.get("__init__"), tainted):
            return methods["training_step"]
    return None


def _stores(ctx: PythonContext, init: ast.AST | None, tainted: set[str]) -> bool:
    """The `__init__` binds a `self.x` that holds the model."""
    return init is not None and any(
        isinstance(node, (ast.Assign, ast.AnnAssign)) and any(
            key.startswith("self.") and key in tainted
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            for key in target_keys(target, ctx))
        for node in walk(init))


def _what_and_start(call: ast.Call, library: str, name: str, how: str) -> tuple[str, str]:
    if library == "transformers":
        return (f"{call_name(call)} builds the architecture of `{name}` with random weights",
                f"start from the published checkpoint: {how}")
    if library == "keras":
        return (f"`{name}(weights=None)` starts from random weights",
                f"pass {how} (the default; with include_top=False and a new head when your classes differ)")
    if library == "timm":
        return f'`timm.create_model("{name}")` without pretrained=True starts from random weights', f"pass {how} and fine-tune"
    if library == "keras_hub":
        return f'preset "{name}" is loaded with load_weights=False, so it starts from random weights', \
            f"pass {how} (the default) and fine-tune"
    if library == "torch.hub":
        return f"torch.hub entry point `{name}` is loaded with pretrained=False", f"pass {how} and fine-tune"
    if library == "segmentation_models":
        return f"{name} is built with encoder_weights=None, so its encoder starts from random weights", \
            f"pass {how} (the library's default) and fine-tune"
    return (f"torchvision `{name}` is built without pre-trained weights",
            f"pass {how} and fine-tune (replace the classifier head if your classes differ)")


def _how_trained(ctx: PythonContext, evidence: ast.AST) -> str:
    if not isinstance(evidence, ast.Call):
        return f"is trained by its LightningModule's training_step (line {evidence.lineno})"
    # a helper of another module (`train_one_epoch(model, ..., optimizer)`), not a method of an object
    helper = isinstance(evidence.func, ast.Name) or ctx.qualname(evidence.func) is not None
    if helper and not (isinstance(evidence.func, ast.Name) and evidence.func.id in ctx.functions) \
            and TRAIN_HELPER.match(call_name(evidence) or "") and call_name(evidence) not in ctx.functions:
        return f"is handed with its optimizer to `{call_name(evidence)}` (line {evidence.lineno})"
    return f"is trained in this file (line {evidence.lineno})"


@detector("GL301")
def training_from_scratch(ctx: PythonContext) -> None:
    if random_data_only(ctx) or self_supervised_objective(ctx):
        return
    for call, library, name, how in scratch_builds(ctx):
        evidence = _training_call(ctx, call, library, name)
        if evidence is None:
            continue
        what, start = _what_and_start(call, library, name, how)
        message = (
            f"{what} and {_how_trained(ctx, evidence)}; {start}. Fine-tuning a "
            f"pre-trained model usually needs a small fraction of the compute of training from scratch "
            f"(BERT-base: 4 days on 16 TPU chips to pre-train, under 1 hour on one Cloud TPU to fine-tune)."
        )
        ctx.report(
            "GL301", call.func, message,
            impact={"library": library, "model": name, "start_from": how, "training_line": evidence.lineno},
            fix=_pretrained_fix(ctx, call, library),
        )


def _pretrained_fix(ctx: PythonContext, call: ast.Call, library: str) -> Fix | None:
    """Ask the builder for its published weights. Unsafe: the run then downloads weights and
    starts from them, which is the point, but changes what the script does."""
    if library == "torchvision":
        if call.args[_LEADING_ARGS.get(ctx.qualname(call.func) or "", 0):]:
            return None  # `resnet50(False)`: the pre-0.13 positional form; which spelling fits depends on the version
        legacy = next((k for k in call.keywords if k.arg == "pretrained"), None)
        edit = ctx.edit_replace(legacy, 'weights="DEFAULT"') if legacy is not None \
            else ctx.edit_keyword(call, "weights", '"DEFAULT"')
    elif library == "keras":
        if _keras_channels(ctx, call) == 1:
            return None  # ImageNet weights need the input widened to 3 channels first
        edit = ctx.edit_keyword(call, "weights", '"imagenet"')
    elif library in ("timm", "torch.hub"):
        edit = ctx.edit_keyword(call, "pretrained", "True")
    elif library == "keras_hub" and kwarg(call, "load_weights") is not None:
        edit = ctx.edit_keyword(call, "load_weights", "True")
    elif library == "segmentation_models":
        weights = kwarg(call, "encoder_weights")
        if weights is None:
            return None  # given by position: rewriting it is not worth the risk
        edit = ctx.edit_replace(weights, '"imagenet"')
    else:
        return None  # from_config -> from_pretrained is another call; a positional flag: the message says how
    return Fix("start from the pre-trained weights", "unsafe", (edit,))
