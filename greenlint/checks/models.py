"""Model choice (GL301 training-from-scratch, GL302 oversized-architecture-default,
GL303 distilled-alternative).

The reference tables (`rules/data/pretrained_builders.yaml`, `rules/data/distilled.csv`) are
read lazily, once per process.
"""
from __future__ import annotations

import ast
import csv
import functools
import re
from typing import Any, Iterable, Iterator

from . import detector
from ..finding import Fix
from ..frontends.python import UNKNOWN, PythonContext, arg, call_name, dotted, has_star_kwargs, kwarg
from ..rules import data_path

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


@functools.lru_cache(maxsize=1)
def distilled_rows() -> tuple[dict[str, str], ...]:
    """The rows GL303 may suggest: each names its source and a quality figure for the
    alternative (a retained share or a metric against the model it replaces)."""
    with data_path("distilled.csv").open(encoding="utf-8", newline="") as handle:
        rows = tuple(csv.DictReader(handle))
    return tuple(r for r in rows if (r.get("source") or "").strip()
                 and ((r.get("quality") or "").strip() or (r.get("reported_quality_retained") or "").strip()))


# ---------------------------------------------------------------------------------------
# Generic helpers: names, flow of values between names, training evidence
# ---------------------------------------------------------------------------------------

RANDOM_CALLS = {
    "torch.randn", "torch.rand", "torch.randint", "torch.randn_like", "torch.rand_like", "torch.randint_like",
    "torch.zeros", "torch.ones", "torch.empty", "torch.zeros_like", "torch.ones_like", "torch.full",
    "numpy.random.rand", "numpy.random.randn", "numpy.random.randint", "numpy.random.random",
    "numpy.random.normal", "numpy.random.uniform", "numpy.zeros", "numpy.ones", "numpy.empty",
    "tensorflow.random.normal", "tensorflow.random.uniform", "keras.random.normal", "keras.random.uniform",
}
CHECKPOINT_LOADS = {"load_state_dict", "load_weights", "load_from_checkpoint", "load_checkpoint", "load_model"}


def refs(node: ast.AST | None) -> set[str]:
    """Every dotted name mentioned in `node` with its prefixes (`self.model.parameters` gives
    `self.model.parameters`, `self.model`, `self`)."""
    found: set[str] = set()
    if node is None:
        return found
    for sub in ast.walk(node):
        if isinstance(sub, (ast.Name, ast.Attribute)):
            name = dotted(sub)
            if name:
                parts = name.split(".")
                for i in range(1, len(parts) + 1):
                    found.add(".".join(parts[:i]))
    return found


def target_keys(target: ast.AST) -> Iterator[str]:
    if isinstance(target, (ast.Tuple, ast.List)):
        for elt in target.elts:
            yield from target_keys(elt)
    elif isinstance(target, ast.Starred):
        yield from target_keys(target.value)
    else:
        name = dotted(target)
        if name:
            yield name


class Flow:
    """File-wide, scope-blind flow of values between names through assignments, returns and
    calls to functions of the file. Good enough to say "this loss came from that model"."""

    def __init__(self, ctx: PythonContext):
        self.ctx = ctx
        self.edges: list[tuple[set[str], str]] = []  # (names the value mentions, name bound)
        for node in ctx.walk():
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
                value = node.value
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if value is None:
                    continue
                mentioned = refs(value)
                for target in targets:
                    for key in target_keys(target):
                        self.edges.append((mentioned, key))
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
                for key in target_keys(node.target):
                    self.edges.append((refs(node.iter), key))
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None:
                        for key in target_keys(item.optional_vars):
                            self.edges.append((refs(item.context_expr), key))
            elif isinstance(node, ast.Return) and node.value is not None:
                func = ctx.enclosing_function(node)
                if func is not None:
                    self.edges.append((refs(node.value), func.name))
                    cls = ctx.enclosing_class(func)
                    if cls is not None:
                        self.edges.append((refs(node.value), f"self.{func.name}"))
            elif isinstance(node, ast.Call):
                callee = ctx.functions.get(call_name(node)) if isinstance(node.func, (ast.Name, ast.Attribute)) else None
                if callee is not None:
                    params = [a.arg for a in callee.args.posonlyargs + callee.args.args]
                    if params and params[0] in ("self", "cls") and isinstance(node.func, ast.Attribute):
                        params = params[1:]
                    for i, value in enumerate(node.args):
                        if i < len(params) and not isinstance(value, ast.Starred):
                            self.edges.append((refs(value), params[i]))
                    for keyword in node.keywords:
                        if keyword.arg:
                            self.edges.append((refs(keyword.value), keyword.arg))

    def taint(self, seeds: Iterable[str]) -> set[str]:
        tainted = set(seeds)
        changed = True
        while changed:
            changed = False
            for mentioned, key in self.edges:
                if key not in tainted and mentioned & tainted:
                    tainted.add(key)
                    changed = True
        return tainted


def flow(ctx: PythonContext) -> Flow:
    return ctx.memo("models.flow", lambda: Flow(ctx))


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
        scope = ctx.enclosing_function(node) or ctx.tree
        values = ctx.local_assignments(scope).get(node.id) or []
        if not values and scope is not ctx.tree:
            values = ctx.local_assignments(ctx.tree).get(node.id) or []
        return bool(values) and all(is_random_input(ctx, v, _depth + 1) for v in values)
    return False


def _receiver(call: ast.Call) -> ast.AST | None:
    return call.func.value if isinstance(call.func, ast.Attribute) else None


def _is_trainer_object(ctx: PythonContext, receiver: ast.AST) -> bool:
    """`trainer` bound to a `...Trainer(...)` call (HF, TRL, Lightning, custom)."""
    if isinstance(receiver, ast.Call):
        return "trainer" in call_name(receiver).lower()
    name = dotted(receiver)
    if not name:
        return False
    for node in ctx.walk():
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            if any(k == name for t in node.targets for k in target_keys(t)):
                if "trainer" in call_name(node.value).lower():
                    return True
    return False


def training_evidence(ctx: PythonContext, tainted: set[str], model_names: set[str] | None = None) -> ast.AST | None:
    """The first call that trains something derived from `tainted` names, or None.

    Counts: `x.fit(data...)` / `fit_generator` / `train_on_batch` on a tainted object, a
    `...Trainer` built over it whose `train()`/`fit()` is called, `trainer.fit(model)`,
    `loss.backward()` on a tainted loss, `optimizer.step()` on a tainted optimizer. Fits whose
    data are random tensors (benchmarks) do not count.
    """
    for call in ctx.calls:
        func = call.func
        if not isinstance(func, ast.Attribute):
            if isinstance(func, ast.Name) and func.id in ("fit", "train_model") and refs(call) & tainted:
                continue
            continue
        method = func.attr
        receiver_refs = refs(func.value)
        if method in ("fit", "fit_generator", "train_on_batch", "partial_fit"):
            data = arg(call, 0, "x") or arg(call, 0, "train_dataloaders")
            if receiver_refs & tainted and (call.args or call.keywords):
                if is_random_input(ctx, arg(call, 0, "x")):
                    continue
                return call
            if refs(call) & tainted and _is_trainer_object(ctx, func.value) and data is not None:
                return call
        elif method == "train":
            if _is_trainer_object(ctx, func.value) and (receiver_refs & tainted or refs(call) & tainted):
                return call
        elif method == "backward":
            if receiver_refs & tainted or any(refs(a) & tainted for a in call.args):
                if not _computed_on_random(ctx, func.value):
                    return call
        elif method == "step":
            name = dotted(func.value) or ""
            if receiver_refs & tainted and ("optim" in name.lower() or name.split(".")[-1] in ("opt", "optimizer")):
                return call
    return None


TRAIN_HELPER = re.compile(r"^(train|fit|finetune|fine_tune)(_one)?(_epoch|_model|_loop|_steps?)?$|^train_one_epoch", re.I)


def external_training_call(ctx: PythonContext, tainted: set[str]) -> ast.Call | None:
    """`train_one_epoch(model, criterion, loader, optimizer, ...)` imported from a sibling module
    (DeiT's and ConvNeXt's main.py keep the loop in engine.py): a training helper this file
    cannot see into, handed both the model and an optimizer."""
    for call in ctx.calls:
        if not isinstance(call.func, (ast.Name, ast.Attribute)):
            continue
        name = call_name(call)
        if not TRAIN_HELPER.match(name or "") or name in ctx.functions:
            continue
        if isinstance(call.func, ast.Attribute) and not (ctx.qualname(call.func) or "").startswith(
            tuple(m + "." for m in _local_module_names(ctx))
        ):
            continue  # `obj.train(...)`: a method of something else (Module.train(mode) is not training)
        values = list(call.args) + [k.value for k in call.keywords]
        if not any(refs(v) & tainted for v in values):
            continue
        if any(_is_optimizer(ctx, v) for v in values):
            return call
    return None


def _local_module_names(ctx: PythonContext) -> set[str]:
    """Modules imported by a bare name (`import engine`): helpers of the same project."""
    found = set()
    for node in ctx.nodes_of(ast.Import):
        for alias in node.names:  # type: ignore[attr-defined]
            if "." not in alias.name:
                found.add(alias.asname or alias.name)
    return found


def _is_optimizer(ctx: PythonContext, node: ast.AST) -> bool:
    """`optimizer`, `opt`, or a name bound to `torch.optim.X(...)` / `create_optimizer(...)`."""
    if isinstance(node, ast.Name):
        if node.id in ("optimizer", "optim", "opt", "optimiser") or node.id.endswith("_optimizer"):
            return True
        scope = ctx.enclosing_function(node) or ctx.tree
        values = ctx.local_assignments(scope).get(node.id) or []
        node = values[0] if len(values) == 1 else node
    if isinstance(node, ast.Call):
        q = ctx.qualname(node.func) or ""
        return q.startswith("torch.optim.") or "optimizer" in (call_name(node) or "").lower()
    return False


def _computed_on_random(ctx: PythonContext, node: ast.AST) -> bool:
    """`loss_fn(m(torch.randn(...)), y).backward()`: a loss computed from synthetic inputs."""
    exprs = [node]
    if isinstance(node, ast.Name):
        scope = ctx.enclosing_function(node) or ctx.tree
        exprs = list(ctx.local_assignments(scope).get(node.id) or [])
    for expr in exprs:
        for sub in ast.walk(expr):
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
    return ctx.memo("models.reads_data", lambda: any(DATA_CALL.search(call_name(c) or "") for c in ctx.calls))


def synthetic_data_only(ctx: PythonContext) -> bool:
    """The file makes random tensors and reads no data at all: a demo, benchmark or smoke test."""
    return any(ctx.qualname(c.func) in RANDOM_CALLS for c in ctx.calls) and not reads_data(ctx)


def only_random_inputs(ctx: PythonContext, model_names: set[str]) -> bool:
    """The model is only ever called on synthetic tensors (a benchmark or a smoke test)."""
    calls = [c for c in ctx.calls if dotted(c.func) in model_names and c.args]
    return bool(calls) and all(is_random_input(ctx, c.args[0]) for c in calls)


def store_true_flags(ctx: PythonContext) -> dict[str, bool]:
    """argparse `--x action="store_true"` without a default: `args.x` is False by default."""
    flags: dict[str, bool] = {}
    for call in ctx.calls:
        if call_name(call) != "add_argument" or kwarg(call, "default") is not None:
            continue
        action = kwarg(call, "action")
        if not (isinstance(action, ast.Constant) and action.value in ("store_true", "store_false")):
            continue
        names = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        longs = [n for n in names if n.startswith("--")] or names
        if longs:
            dest_node = kwarg(call, "dest")
            dest = dest_node.value if isinstance(dest_node, ast.Constant) else longs[0].lstrip("-").replace("-", "_")
            flags[dest] = action.value == "store_false"
    return flags


def reaching_value(ctx: PythonContext, node: ast.Name) -> ast.expr | None:
    """The value of the last plain assignment to `node`'s name before it, in straight-line code
    of the same scope (a notebook that rebinds `hub_config` cell after cell), or None when a
    conditional or loop assignment could intervene."""
    scope = ctx.enclosing_function(node) or ctx.tree
    body = getattr(scope, "body", [])
    last: ast.expr | None = None
    for stmt in body:
        if stmt.lineno >= node.lineno:
            break
        if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in stmt.targets):
            last = stmt.value
        elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and isinstance(stmt.target, ast.Name) and stmt.target.id == node.id:
            last = None if isinstance(stmt, ast.AugAssign) else stmt.value
        elif not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
            for sub in ast.walk(stmt):
                if isinstance(sub, ast.Name) and sub.id == node.id and isinstance(sub.ctx, (ast.Store, ast.Del)):
                    last = _BLOCKED  # bound inside a block: which value reaches is not knowable here
    return last


_BLOCKED = ast.Constant(value=None)  # sentinel: a rebinding under an `if`/loop reaches the use


def value_of(ctx: PythonContext, node: ast.AST | None) -> Any:
    """ctx.literal plus argparse store_true flags, command lines parsed in a helper, and the
    reaching definition of a name rebound in straight-line code."""
    value = ctx.literal(node)
    if value is UNKNOWN and isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        if node.value.id in ctx.parsed_args_names:
            if node.attr in ctx.argparse_defaults:
                return ctx.literal(ctx.argparse_defaults[node.attr])
            flags = store_true_flags(ctx)
            if node.attr in flags:
                return flags[node.attr]
    if isinstance(node, ast.Name) and ctx.enclosing_function(node) is None:
        reaching = reaching_value(ctx, node)
        if reaching is _BLOCKED:
            return UNKNOWN  # module-level name rebound under an `if` or loop before this use
        if value is UNKNOWN and reaching is not None and not (isinstance(reaching, ast.Name) and reaching.id == node.id):
            value = ctx.literal(reaching)
    elif value is UNKNOWN and isinstance(node, ast.Name):
        reaching = reaching_value(ctx, node)
        if reaching is not None and reaching is not _BLOCKED and not (isinstance(reaching, ast.Name) and reaching.id == node.id):
            value = ctx.literal(reaching)
    return value


def binding_key(ctx: PythonContext, call: ast.Call) -> tuple[set[str], set[str]]:
    """Names that hold the object `call` builds, and the model aliases among them.

    Climbs wrappers (`nn.DataParallel(builder())`, `builder().to(device)`) up to the
    assignment or `return` that binds the result; a `self.x = ...` inside a class also seeds
    the class name, so that `Net()` and `trainer.fit(Net())` count as the same model.
    """
    node: ast.AST = call
    parent = ctx.parent(node)
    while isinstance(parent, (ast.Call, ast.Attribute, ast.keyword, ast.Await)):
        if isinstance(parent, ast.Call) and node is not parent.func and not isinstance(node, ast.keyword):
            if node not in parent.args[:1]:
                break  # passed further down as a secondary argument: stop at the outer call
        node, parent = parent, ctx.parent(parent)
    keys: set[str] = set()
    if isinstance(parent, (ast.Assign, ast.AnnAssign)):
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        for target in targets:
            keys.update(target_keys(target))
    elif isinstance(parent, ast.Return):
        func = ctx.enclosing_function(parent)
        if func is not None:
            keys.add(func.name)
            if ctx.enclosing_class(func) is not None:
                keys.add(f"self.{func.name}")
    elif isinstance(parent, ast.keyword) or isinstance(parent, ast.Call):
        # Built inline as an argument (`Trainer(model=builder())`): the call itself is the holder.
        outer = parent if isinstance(parent, ast.Call) else ctx.parent(parent)
        if isinstance(outer, ast.Call):
            grand = ctx.parent(outer)
            if isinstance(grand, ast.Assign):
                for target in grand.targets:
                    keys.update(target_keys(target))
            elif isinstance(grand, ast.Expr) and "trainer" in call_name(outer).lower():
                keys.add("__inline__")
    cls = ctx.enclosing_class(call)
    if cls is not None and any(k.startswith("self.") for k in keys):
        keys.add(cls.name)
    return keys, {k for k in keys if k != cls.name} if cls is not None else set(keys)


def unconditional_checkpoint_load(ctx: PythonContext, names: set[str], build: ast.AST | None = None) -> bool:
    """`model.load_state_dict(...)`, `model.load_weights(...)` that runs whenever the model is
    built: outside any `if`, or only under the `if`s that also guard the build (DeiT's teacher
    is built and loaded in the same `if args.distillation_type != 'none':` block)."""
    guards = {id(a) for a in ctx.ancestors(build) if isinstance(a, (ast.If, ast.IfExp, ast.Try))} if build else set()
    for call in ctx.calls:
        if isinstance(call.func, ast.Attribute) and call.func.attr in CHECKPOINT_LOADS:
            if refs(call.func.value) & names:
                if all(id(a) in guards for a in ctx.ancestors(call) if isinstance(a, (ast.If, ast.IfExp, ast.Try))):
                    return True
    return False


def _asserts(ctx: PythonContext, func: ast.AST) -> bool:
    """The function checks something: an `assert`, `self.assert*(...)`, `pytest.raises`/`approx`,
    `numpy.testing` / `torch.testing`."""
    for sub in ast.walk(func):
        if isinstance(sub, ast.Assert):
            return True
        if isinstance(sub, ast.Call):
            if isinstance(sub.func, ast.Attribute) and sub.func.attr.startswith("assert"):
                return True
            if (ctx.qualname(sub.func) or "").startswith(("pytest.", "numpy.testing.", "torch.testing.")):
                return True
    return False


def _is_test_function(ctx: PythonContext, func: ast.AST) -> bool:
    """A test by pytest's and unittest's conventions and by what it does: a `test*` function that
    asserts something (an evaluation loop called `test(model, loader)` asserts nothing), a pytest
    fixture, or a unittest set-up method."""
    if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    if func.name.startswith("test"):
        return _asserts(ctx, func)
    if func.name in ("setUp", "setUpClass", "setup_method", "setup_class"):
        cls = ctx.enclosing_class(func)
        return cls is not None and _is_test_class(ctx, cls)
    return any((ctx.qualname(d.func if isinstance(d, ast.Call) else d) or "").startswith("pytest.fixture")
               for d in func.decorator_list)


def _is_test_class(ctx: PythonContext, cls: ast.ClassDef) -> bool:
    """A `unittest.TestCase` subclass, or a pytest `Test*` class whose test methods assert."""
    if any((ctx.qualname(b) or dotted(b) or "").split(".")[-1] in ("TestCase", "IsolatedAsyncioTestCase")
           for b in cls.bases):
        return True
    return cls.name.startswith("Test") and any(
        isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name.startswith("test") and _asserts(ctx, s)
        for s in cls.body)


def is_test_module(ctx: PythonContext) -> bool:
    """The module is a test suite by what it defines (test functions or test classes at top
    level), whatever the file is called: its module-level code sets up fixtures for the tests."""
    def build() -> bool:
        for stmt in ctx.tree.body:
            if isinstance(stmt, ast.ClassDef) and _is_test_class(ctx, stmt):
                return True
            if _is_test_function(ctx, stmt) and stmt.name.startswith("test"):  # type: ignore[union-attr]
                return True
        return False
    return ctx.memo("models.is_test_module", build)


def in_test_code(ctx: PythonContext, node: ast.AST) -> bool:
    """`node` runs as part of a test: inside a test function, a test class, or at the top of a
    test module. Tests pick their models to exercise code, not to train or serve them."""
    for anc in ctx.ancestors(node):
        if _is_test_function(ctx, anc) or (isinstance(anc, ast.ClassDef) and _is_test_class(ctx, anc)):
            return True
    return is_test_module(ctx)


# ---------------------------------------------------------------------------------------
# GL301 training-from-scratch
# ---------------------------------------------------------------------------------------

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
HF_MODEL_CLASS = re.compile(r"^(TF|Flax)?[A-Z][A-Za-z0-9]*(Model|For[A-Z][A-Za-z]*|LMHeadModel|Encoder|Decoder)$")


def _torchvision_by_name(ctx: PythonContext, call: ast.Call) -> tuple[str, ast.Call] | None:
    """`models.__dict__[name](...)`, `getattr(models, name)(...)`, `get_model(name, ...)`."""
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
    if name_node is None:
        return None
    name = value_of(ctx, name_node)
    return (name, call) if isinstance(name, str) else None


def _torchvision_scratch(ctx: PythonContext, call: ast.Call, entry: dict[str, Any]) -> str | None:
    """The argument to add for pre-trained weights, or None when weights are (or may be) loaded."""
    if has_star_kwargs(call) or (call.args and ctx.qualname(call.func) != "torchvision.models.get_model"):
        return None
    weights, pretrained = kwarg(call, "weights"), kwarg(call, "pretrained")
    if weights is not None:
        if value_of(ctx, weights) is not None:
            return None
    elif pretrained is not None:
        if value_of(ctx, pretrained) is not False:
            return None
    if entry.get("task") in ("detection", "segmentation", "keypoint", "instance_segmentation") or "weights_backbone_legacy" in entry:
        # `weights_backbone` defaults to ImageNet weights: only a bare backbone is from scratch.
        backbone, legacy = kwarg(call, "weights_backbone"), kwarg(call, "pretrained_backbone")
        if backbone is not None:
            if value_of(ctx, backbone) is not None:
                return None
        elif legacy is not None:
            if value_of(ctx, legacy) is not False:
                return None
        else:
            return None
    enum = entry.get("weights_enum")
    return f"weights={enum}.DEFAULT" if enum else None


def _hf_config_checkpoint(ctx: PythonContext, node: ast.AST | None, scope: ast.AST) -> str | None:
    """The published checkpoint a transformers config describes, or None (custom or unknown)."""
    if isinstance(node, ast.Name):
        values = ctx.local_assignments(scope).get(node.id) or []
        if not values and scope is not ctx.tree:
            values = ctx.local_assignments(ctx.tree).get(node.id) or []
        if len(values) != 1:
            return None
        node = values[0]
    if not isinstance(node, ast.Call):
        return None
    q = ctx.qualname(node.func) or ""
    if not q.startswith("transformers."):
        return None
    extra = {k.arg for k in node.keywords}
    if None in extra or extra - HEAD_ONLY_CONFIG_ARGS:
        return None
    if q.endswith(".from_pretrained") and q.split(".")[-2].endswith("Config"):
        name = value_of(ctx, arg(node, 0, "pretrained_model_name_or_path"))
        if isinstance(name, str) and name and not name.startswith((".", "/", "~")) and not name.endswith((".json", "/")):
            return name
        return None
    cls = q.split(".")[-1]
    if cls in DEFAULT_CONFIG_CHECKPOINT and not node.args:
        return DEFAULT_CONFIG_CHECKPOINT[cls]
    return None


def _config_edited(ctx: PythonContext, name: str, scope: ast.AST) -> bool:
    for sub in ast.walk(scope):
        if isinstance(sub, (ast.Assign, ast.AugAssign)):
            targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and dotted(target.value) == name:
                    return True
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "update":
            if dotted(sub.func.value) == name:
                return True
    return False


def scratch_builds(ctx: PythonContext) -> Iterator[tuple[ast.Call, str, str, str]]:
    """(call, library, model name, how to start from pre-trained weights) for each from-scratch build."""
    tables = None
    for call in ctx.calls:
        by_name = _torchvision_by_name(ctx, call)
        q = ctx.qualname(call.func) or ""
        if by_name is None and not (
            q.startswith(("torchvision.models.", "keras.applications.", "timm.", "transformers."))
        ):
            continue
        tables = tables or builders()
        if by_name is not None:
            name, _ = by_name
            entry = tables["torchvision"].get(name)
            if entry and "quantization" not in entry.get("module", ""):
                how = _torchvision_scratch(ctx, call, entry)
                if how:
                    yield call, "torchvision", name, how
            continue
        last = q.split(".")[-1]
        if q.startswith("torchvision.models.") and ".quantization" not in q:
            entry = tables["torchvision"].get(last)
            if entry and entry.get("module", "").startswith("torchvision.models"):
                how = _torchvision_scratch(ctx, call, entry)
                if how:
                    yield call, "torchvision", last, how
        elif q.startswith("keras.applications.") and last in tables["keras"]:
            weights = kwarg(call, "weights")
            if weights is not None and value_of(ctx, weights) is None and not has_star_kwargs(call):
                shape = value_of(ctx, kwarg(call, "input_shape"))
                if isinstance(shape, (tuple, list)) and shape and shape[-1] not in (3, None):
                    continue  # ImageNet weights need 3 input channels
                yield call, "keras", last, 'weights="imagenet"'
        elif q in ("timm.create_model", "timm.models.create_model", "timm.models._factory.create_model"):
            name = value_of(ctx, arg(call, 0, "model_name"))
            if not isinstance(name, str) or has_star_kwargs(call):
                continue
            if kwarg(call, "checkpoint_path") is not None or kwarg(call, "pretrained_cfg_overlay") is not None:
                continue
            pretrained = kwarg(call, "pretrained")
            if pretrained is not None and value_of(ctx, pretrained) is not False:
                continue
            if len(call.args) > 1:
                continue
            base = name.split(".")[0].lower()
            if base.startswith(TIMM_PRETRAINED_PREFIXES):
                yield call, "timm", name, "pretrained=True"
        elif q.startswith("transformers."):
            scope = ctx.enclosing_function(call) or ctx.tree
            parts = q.split(".")
            cls = parts[-2] if parts[-1] == "from_config" else parts[-1]
            if parts[-1] == "from_config" and re.match(r"^(TF|Flax)?AutoModel", cls):
                config = arg(call, 0, "config")
            elif parts[-1] != "from_config" and HF_MODEL_CLASS.match(cls) and not cls.endswith("Config"):
                config = arg(call, 0, "config")
            else:
                continue
            if config is None or has_star_kwargs(call):
                continue
            checkpoint = _hf_config_checkpoint(ctx, config, scope)
            if checkpoint and not (isinstance(config, ast.Name) and _config_edited(ctx, config.id, scope)):
                yield call, "transformers", checkpoint, f'{cls}.from_pretrained("{checkpoint}")'


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


# The dataset a family of published weights was trained on, as code names it (a path, a dataset
# id, a dataset class). Tiny/Mini-ImageNet, Imagenette and Imagewoof are other datasets.
WEIGHTS_DATASETS = {
    "IMAGENET": re.compile(r"(?<![a-z])(?<!tiny[-_])(?<!mini[-_])(imagenet|ilsvrc)(?!ette|woof)", re.I),
    "COCO": re.compile(r"(?<![a-z])coco", re.I),
    "KINETICS": re.compile(r"(?<![a-z])kinetics", re.I),
}
DATASET_MODULES = ("torchvision.datasets.", "tensorflow_datasets.", "datasets.", "timm.data.")


def weights_dataset(library: str, name: str) -> str | None:
    """The dataset the published weights of this builder come from (a WEIGHTS_DATASETS key)."""
    if library in ("keras", "timm"):
        return "IMAGENET"  # keras.applications: ImageNet weights only; timm's defaults: ImageNet-1k/22k
    if library == "torchvision":
        entry = builders()["torchvision"].get(name) or {}
        member = str(entry.get("default") or (entry.get("members") or [""])[0])
        return next((key for key in WEIGHTS_DATASETS if member.startswith(key)), None)
    return None


def _strings_in(ctx: PythonContext, node: ast.AST | None, depth: int = 0) -> Iterator[str]:
    """The strings an argument is made of, through names, argparse defaults, `os.path.join`,
    f-strings and `/` on paths."""
    if node is None or depth > 4:
        return
    value = value_of(ctx, node)
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        yield from (v for v in value if isinstance(v, str))
    elif isinstance(node, ast.JoinedStr):
        for part in node.values:
            inner = part.value if isinstance(part, ast.FormattedValue) else part
            yield from _strings_in(ctx, inner, depth + 1)
    elif isinstance(node, ast.Call):
        for argument in list(node.args) + [k.value for k in node.keywords]:
            yield from _strings_in(ctx, argument, depth + 1)
    elif isinstance(node, ast.BinOp):
        yield from _strings_in(ctx, node.left, depth + 1)
        yield from _strings_in(ctx, node.right, depth + 1)
    elif isinstance(node, ast.Name):
        scope = ctx.enclosing_function(node) or ctx.tree
        values = ctx.local_assignments(scope).get(node.id) or ctx.local_assignments(ctx.tree).get(node.id) or []
        for assigned in values[:3]:
            yield from _strings_in(ctx, assigned, depth + 1)


def dataset_names(ctx: PythonContext) -> list[str]:
    """What the file's data-reading calls say about the data: the dataset class or function
    (`torchvision.datasets.ImageNet`) and the strings of their arguments (paths, dataset ids)."""
    def build() -> list[str]:
        found: list[str] = []
        for call in ctx.calls:
            q = ctx.qualname(call.func) or ""
            if not (DATA_CALL.search(call_name(call) or "") or q.startswith(DATASET_MODULES)):
                continue
            found.append(q)
            for argument in list(call.args) + [k.value for k in call.keywords]:
                found.extend(_strings_in(ctx, argument))
        return found
    return ctx.memo("models.dataset_names", build)


def trains_on_weights_dataset(ctx: PythonContext, library: str, name: str) -> bool:
    """The file reads the very dataset the published weights were trained on: training it from
    scratch is reproducing that pre-training (an ImageNet recipe), not avoiding a fine-tune."""
    dataset = weights_dataset(library, name)
    pattern = WEIGHTS_DATASETS.get(dataset or "")
    return pattern is not None and any(pattern.search(text) for text in dataset_names(ctx))


@detector("GL301")
def training_from_scratch(ctx: PythonContext) -> None:
    if synthetic_data_only(ctx) or self_supervised_objective(ctx):
        return
    for call, library, name, how in scratch_builds(ctx):
        if in_test_code(ctx, call) or trains_on_weights_dataset(ctx, library, name):
            continue
        keys, model_names = binding_key(ctx, call)
        if not keys:
            continue
        tainted = flow(ctx).taint(keys)
        if unconditional_checkpoint_load(ctx, tainted, call):
            continue
        evidence = training_evidence(ctx, tainted) or external_training_call(ctx, tainted)
        if evidence is None:
            continue
        aliases = set(model_names) | {k for k in tainted if k in model_names}
        if only_random_inputs(ctx, aliases):
            continue
        if library == "transformers":
            what = f"{call_name(call) if call_name(call) != 'from_config' else 'from_config'} builds the architecture of `{name}` with random weights"
            start = f"start from the published checkpoint: {how}"
        elif library == "keras":
            what = f"`{name}(weights=None)` starts from random weights"
            start = f"pass {how} (the default; with include_top=False and a new head when your classes differ)"
        elif library == "timm":
            what = f'`timm.create_model("{name}")` without pretrained=True starts from random weights'
            start = f"pass {how} and fine-tune"
        else:
            what = f"torchvision `{name}` is built without pre-trained weights"
            start = f"pass {how} and fine-tune (replace the classifier head if your classes differ)"
        if isinstance(evidence.func, ast.Name) and evidence.func.id in ctx.functions:
            trained = f"is trained in this file (line {evidence.lineno})"
        elif TRAIN_HELPER.match(call_name(evidence) or "") and call_name(evidence) not in ctx.functions:
            trained = f"is handed with its optimizer to `{call_name(evidence)}` (line {evidence.lineno})"
        else:
            trained = f"is trained in this file (line {evidence.lineno})"
        message = (
            f"{what} and {trained}; {start}. Fine-tuning a "
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
        legacy = next((k for k in call.keywords if k.arg == "pretrained"), None)
        edit = ctx.edit_replace(legacy, 'weights="DEFAULT"') if legacy is not None \
            else ctx.edit_keyword(call, "weights", '"DEFAULT"')
    elif library == "keras":
        edit = ctx.edit_keyword(call, "weights", '"imagenet"')
    elif library == "timm":
        edit = ctx.edit_keyword(call, "pretrained", "True")
    else:
        return None  # transformers: from_config -> from_pretrained is a different call; the message says how
    return Fix("start from the pre-trained weights", "unsafe", (edit,))


# ---------------------------------------------------------------------------------------
# GL302 oversized-architecture-default
# ---------------------------------------------------------------------------------------

TRAIN_CALLS = {"fit", "fit_generator", "train_on_batch"}
LOAD_CALLS = {"from_pretrained", "load_state_dict", "load_from_checkpoint", "load_weights", "load_checkpoint"}


def file_trains(ctx: PythonContext) -> ast.Call | None:
    """A call that trains something in this file: `loss.backward()`, `optimizer.step()`,
    `trainer.train()`/`trainer.fit(...)`, `model.fit(data, ...)`."""
    for call in ctx.calls:
        func = call.func
        if not isinstance(func, ast.Attribute):
            continue
        if func.attr == "backward":
            return call
        if func.attr == "step" and "optim" in (dotted(func.value) or "").lower():
            return call
        if func.attr in ("train", "fit") and _is_trainer_object(ctx, func.value):
            return call
        if func.attr in TRAIN_CALLS and call.args and not is_random_input(ctx, call.args[0]):
            return call
    return None


def loads_checkpoint(ctx: PythonContext) -> bool:
    """Weights (and so sizes) come from a checkpoint, unconditionally."""
    for call in ctx.calls:
        if call_name(call) in LOAD_CALLS or ctx.qualname(call.func) == "torch.load":
            if not any(isinstance(a, (ast.If, ast.IfExp, ast.Try)) for a in ctx.ancestors(call)):
                return True
    return False


def _is_library_config_class(ctx: PythonContext, cls: ast.ClassDef | None) -> bool:
    """A model library's description of published architectures (`class XConfig(PretrainedConfig)`)."""
    if cls is None:
        return False
    for base in cls.bases:
        name = dotted(base) or ""
        q = ctx.qualname(base) or ""
        last = name.split(".")[-1]
        if last in ("PretrainedConfig", "PreTrainedConfig") or q.startswith("transformers.") and last.endswith("Config"):
            return True
    return False


def _int_default(ctx: PythonContext, node: ast.AST | None) -> int | None:
    if node is None:
        return None
    if isinstance(node, ast.Call):  # typer.Option(48), dataclasses.field(default=48), Field(48)
        name = call_name(node)
        if name in ("Option", "Argument", "field", "Field"):
            node = arg(node, 0, "default")
        else:
            return None
    value = ctx.literal(node)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def size_defaults(ctx: PythonContext) -> Iterator[tuple[str, int, ast.AST, str, frozenset[str]]]:
    """(name, default, node to report, where, sibling names) for every int default of a named parameter."""
    for node in ctx.walk():
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if _is_library_config_class(ctx, ctx.enclosing_class(node)):
                continue
            args = node.args
            positional = args.posonlyargs + args.args
            pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults))
            pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
            siblings = frozenset(a.arg for a in positional + args.kwonlyargs)
            for param, default in pairs:
                value = _int_default(ctx, default)
                if value is not None:
                    where = "typer option" if isinstance(default, ast.Call) else f"default of `{node.name}()`"
                    yield param.arg, value, default, where, siblings
            for deco in node.decorator_list:  # @click.option("--depth", default=48)
                if isinstance(deco, ast.Call) and call_name(deco) == "option" and (ctx.qualname(deco.func) or "").startswith("click"):
                    flags = [a.value for a in deco.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                    value = _int_default(ctx, kwarg(deco, "default"))
                    if flags and value is not None:
                        dest = ([f for f in flags if f.startswith("--")] or flags)[0].lstrip("-").replace("-", "_")
                        yield dest, value, deco.func, "click option", siblings
        elif isinstance(node, ast.ClassDef) and not _is_library_config_class(ctx, node):
            decorated = any("dataclass" in (dotted(d.func if isinstance(d, ast.Call) else d) or "") for d in node.decorator_list)
            based = any((dotted(b) or "").split(".")[-1] in ("BaseModel", "BaseSettings", "Config") for b in node.bases)
            if not (decorated or based):
                continue
            fields = [s for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]
            siblings = frozenset(s.target.id for s in fields)  # type: ignore[union-attr]
            for stmt in fields:
                value = _int_default(ctx, stmt.value)
                if value is not None:
                    yield stmt.target.id, value, stmt.target, f"field of config class `{node.name}`", siblings  # type: ignore[union-attr]
    parsers: dict[str, set[str]] = {}
    adds = []
    for call in ctx.calls:
        if call_name(call) == "add_argument" and call.args:
            flags = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            longs = [f for f in flags if f.startswith("--")] or flags
            if not longs:
                continue
            dest = longs[0].lstrip("-").replace("-", "_")
            owner = dotted(call.func.value) if isinstance(call.func, ast.Attribute) else ""
            parsers.setdefault(owner or "", set()).add(dest)
            adds.append((dest, call, owner or ""))
    for dest, call, owner in adds:
        value = _int_default(ctx, kwarg(call, "default"))
        if value is not None:
            yield dest, value, call.func, "argparse default", frozenset(parsers[owner])


@detector("GL302")
def oversized_architecture_default(ctx: PythonContext) -> None:
    opts = ctx.options("GL302")
    max_depth, max_width = int(opts.get("max-depth", 24)), int(opts.get("max-width", 2048))
    depth_names = {n.lower() for n in opts.get("depth-names", [])}
    width_names = {n.lower() for n in opts.get("width-names", [])}
    candidates = [c for c in size_defaults(ctx) if c[0].lower() in depth_names | width_names]
    if not candidates:
        return
    trained = file_trains(ctx)
    if trained is None or loads_checkpoint(ctx):
        return
    for name, value, node, where, siblings in candidates:
        lname = name.lower()
        if lname in depth_names and value > max_depth:
            kind, limit, unit = "depth", max_depth, "layers"
        elif lname in width_names and value > max_width:
            if lname == "width" and {"height", "h", "img_height", "image_height"} & {s.lower() for s in siblings}:
                continue  # an image size, not a layer width
            kind, limit, unit = "width", max_width, "units"
        else:
            continue
        # Transformer blocks hold about 12 * d_model^2 parameters each (Kaplan et al. 2020).
        other = None
        for sib_name, sib_value, _n, _w, _s in candidates:
            if _s == siblings and _w == where and sib_name != name:
                other_kind = "depth" if sib_name.lower() in depth_names else "width"
                if other_kind != kind:
                    other = sib_value
        impact: dict[str, Any] = {"parameter": name, "default": value, "threshold": limit, "dimension": kind}
        estimate = ""
        if other is not None:
            depth, width = (value, other) if kind == "depth" else (other, value)
            params = 12 * depth * width * width
            impact["estimated_params"] = params
            estimate = (f"; with {depth} layers of width {width} a transformer stack holds about "
                        f"{params / 1e9:.1f} B parameters (12·L·d², Kaplan et al. 2020), and training compute grows "
                        f"with it (about 6 FLOPs per parameter per token)")
        message = (
            f"`{name}` defaults to {value} {unit} ({where}), above the {kind} threshold of {limit}, in a file that "
            f"trains (line {trained.lineno}){estimate}. Every run that keeps the default pays for it: start from a "
            f"smaller default and scale up only when a smaller model under-fits."
        )
        ctx.report("GL302", node, message, impact=impact)


# ---------------------------------------------------------------------------------------
# GL303 distilled-alternative
# ---------------------------------------------------------------------------------------

# Hugging Face moved the original checkpoints under organisations; both spellings load.
LEGACY_ORGS = ("google-bert/", "openai-community/", "google-t5/", "facebookai/", "distilbert/")
# openai-whisper / faster-whisper / whisperx model names -> Hugging Face ids ("large" is large-v3
# since openai-whisper 20231117: whisper/__init__.py _MODELS).
WHISPER_NAMES = {
    "large": "openai/whisper-large-v3", "large-v3": "openai/whisper-large-v3", "large-v2": "openai/whisper-large-v2",
    "large-v1": "openai/whisper-large", "medium": "openai/whisper-medium", "medium.en": "openai/whisper-medium.en",
}
WHISPER_LOADERS = {"whisper.load_model", "faster_whisper.WhisperModel", "whisperx.load_model", "stable_whisper.load_model"}
SAGEMAKER_MODELS = ("sagemaker.huggingface.HuggingFaceModel", "sagemaker.huggingface.model.HuggingFaceModel")
JUMPSTART_MODELS = ("sagemaker.jumpstart.model.JumpStartModel", "sagemaker.jumpstart.estimator.JumpStartEstimator")


def normalize_model_id(model_id: str) -> str:
    key = model_id.strip().lower()
    if key.startswith("hf://"):
        key = key[5:]
    for org in LEGACY_ORGS:
        if key.startswith(org):
            return key[len(org):]
    return key


@functools.lru_cache(maxsize=1)
def _alternatives_index() -> dict[str, list[dict[str, str]]]:
    index: dict[str, list[dict[str, str]]] = {}
    for row in distilled_rows():
        try:
            large, small = float(row["params_large"]), float(row["params_small"])
        except ValueError:
            continue
        if small <= large * 2 / 3:  # only alternatives at most two-thirds the size
            index.setdefault(normalize_model_id(row["large"]), []).append(row)
    for rows in index.values():
        # Prefer what the source quantifies, then distilled models, then the closest in size (the
        # smallest step down keeps the most quality).
        rows.sort(key=lambda r: (not r["reported_quality_retained"], not r["reported_speedup"],
                                 r["relation"] != "distilled", -float(r["params_small"])))
    return index


@functools.lru_cache(maxsize=1)
def _jumpstart_tails() -> dict[str, str]:
    return {key.split("/")[-1]: key for key in _alternatives_index()}


def alternatives_for(model_id: str) -> list[dict[str, str]]:
    return _alternatives_index().get(normalize_model_id(model_id), [])


def _fmt_params(millions: str) -> str:
    value = float(millions)
    return f"{value / 1000:g} B" if value >= 1000 else f"{value:g} M"


def _english_only(row: dict[str, str]) -> bool:
    return "English only" in row.get("notes", "")


def alternative_message(model_id: str, rows: list[dict[str, str]]) -> tuple[str, dict[str, Any]]:
    best = rows[0]
    parts = [f"`{model_id}` ({_fmt_params(best['params_large'])} parameters) is loaded for inference; "
             f"`{best['small']}` has {_fmt_params(best['params_small'])}"]
    impact: dict[str, Any] = {
        "model": model_id, "alternative": best["small"], "params_millions": float(best["params_large"]),
        "alternative_params_millions": float(best["params_small"]), "source": best["source"],
    }
    if best["reported_speedup"]:
        parts.append(f", reported {float(best['reported_speedup']):g}x faster")
        impact["reported_speedup"] = float(best["reported_speedup"])
    if best["reported_quality_retained"]:
        retained = float(best["reported_quality_retained"])
        impact["quality_retained"] = retained
    if best.get("quality"):
        parts.append(f", quality {best['quality']}")
        impact["quality"] = best["quality"]
    elif best["reported_quality_retained"]:
        parts.append(f", retaining {float(best['reported_quality_retained']) * 100:.1f}% of the quality")
    if _english_only(best):
        parts.append(" (English only)")
    source = best["source"].split(";")[0].strip()
    parts.append(f" ({source})")
    if len(rows) > 1:
        # After an English-only pick, name a multilingual one where the table has it.
        other = next((r for r in rows[1:] if not _english_only(r)), rows[1]) if _english_only(best) else rows[1]
        label = "" if _english_only(other) or not _english_only(best) else ", multilingual"
        parts.append(f"; also `{other['small']}` ({_fmt_params(other['params_small'])}{label})")
    parts.append(". Check it on your data: inference energy scales with model size and runs on every request.")
    return "".join(parts), impact


def _string(ctx: PythonContext, node: ast.AST | None) -> str | None:
    value = value_of(ctx, node)
    return value if isinstance(value, str) and value else None


def _is_hf_model_loader(q: str) -> bool:
    parts = q.split(".")
    if len(parts) < 3 or parts[0] != "transformers" or parts[-1] != "from_pretrained":
        return False
    cls = parts[-2]
    return bool(re.match(r"^(TF|Flax)?AutoModel", cls) or (HF_MODEL_CLASS.match(cls) and not cls.endswith("Config")))


TASK_HEADS = re.compile(r"For(Sequence|Token|Image|Audio|Video)?Classification$|ForQuestionAnswering$|ForMultipleChoice$")


def _new_task_head(qualname: str, model_id: str) -> bool:
    """A task head on a base checkpoint starts random and must be fine-tuned first."""
    cls = qualname.split(".")[-2]
    return bool(TASK_HEADS.search(cls)) and not re.search(r"finetuned|squad|sst|mnli|emotion|sentiment|ner", model_id, re.I)


def inference_loads(ctx: PythonContext) -> Iterator[tuple[ast.AST, ast.Call, str, str]]:
    """(node to report, call, model id as written, how) for each model loaded or deployed by id."""
    for call in ctx.calls:
        q = ctx.qualname(call.func) or ""
        if q == "transformers.pipeline":
            model = _string(ctx, arg(call, 1, "model"))
            if model:
                yield call.func, call, model, "pipeline"
        elif _is_hf_model_loader(q):
            model = _string(ctx, arg(call, 0, "pretrained_model_name_or_path"))
            if model and kwarg(call, "num_labels") is None and not _new_task_head(q, model):
                yield call.func, call, model, "from_pretrained"
        elif q == "sentence_transformers.SentenceTransformer":
            model = _string(ctx, arg(call, 0, "model_name_or_path"))
            if model:
                full = model if "/" in model else f"sentence-transformers/{model}"
                yield call.func, call, full, "sentence-transformers"
        elif q in WHISPER_LOADERS:
            model = _string(ctx, arg(call, 0, "name" if q.startswith("whisper") else "model_size_or_path"))
            if model:
                yield call.func, call, WHISPER_NAMES.get(model, model), "whisper"
        elif q in SAGEMAKER_MODELS or q in JUMPSTART_MODELS:
            if q in JUMPSTART_MODELS:
                jid = _string(ctx, kwarg(call, "model_id"))
                m = re.match(r"^huggingface-[a-z0-9]+-(.+)$", jid or "")
                key = _jumpstart_tails().get(m.group(1).lower()) if m else None
                if key:
                    yield call.func, call, key, "jumpstart"
            else:
                env = value_of(ctx, kwarg(call, "env"))
                model = env.get("HF_MODEL_ID") if isinstance(env, dict) else None
                if isinstance(model, str) and model:
                    yield call.func, call, model, "sagemaker"
        elif ctx.imports.uses("kserve"):
            uri = _string(ctx, kwarg(call, "storage_uri") or kwarg(call, "storageUri"))
            if uri and uri.startswith("hf://"):
                yield call.func, call, uri[5:], "kserve"


_ENGLISH = {"en", "english", "en-us", "en-gb"}


def _transcribes_non_english(ctx: PythonContext) -> bool:
    """`transcribe(..., language="fr")` or `generate_kwargs={"language": "french"}`: English-only
    distilled checkpoints do not fit."""
    if "language" not in ctx.text:
        return False
    values: list[ast.AST] = [k.value for c in ctx.calls for k in c.keywords if k.arg == "language"]
    values += [v for d in ast.walk(ctx.tree) if isinstance(d, ast.Dict)
               for k, v in zip(d.keys, d.values) if isinstance(k, ast.Constant) and k.value == "language"]
    for value in values:
        text = ctx.literal(value)
        if isinstance(text, str) and text and text.lower() not in _ENGLISH:
            return True
    return False


# Imports that mean the file serves or processes real inputs, not a fixed sample.
SERVING_MODULES = ("flask", "fastapi", "gradio", "streamlit", "ray.serve", "bentoml", "kserve", "litserve",
                   "uvicorn", "django", "aiohttp", "sagemaker", "runpod", "modal")
INPUT_CALLS = re.compile(r"^(open|input|read_\w+|load_dataset|loadtxt|i?glob|listdir|scandir|urlopen|parse_args"
                         r"|parse_known_args|getenv|get_json|recv|read)$")


def _fixed(ctx: PythonContext, node: ast.AST, depth: int = 0) -> bool:
    """A value written into the script: a literal, a constant, a random tensor, or a call
    (`tokenizer("text", return_tensors="pt")`) of such values."""
    if depth > 3:
        return False
    if isinstance(node, (ast.Starred, ast.keyword)):
        return _fixed(ctx, node.value, depth)
    if value_of(ctx, node) is not UNKNOWN or is_random_input(ctx, node):
        return True
    if isinstance(node, ast.Call):
        return all(_fixed(ctx, a, depth + 1) for a in list(node.args) + list(node.keywords))
    if isinstance(node, ast.Name):
        scope = ctx.enclosing_function(node) or ctx.tree
        values = ctx.local_assignments(scope).get(node.id) or ctx.local_assignments(ctx.tree).get(node.id) or []
        return len(values) == 1 and _fixed(ctx, values[0], depth + 1)
    return False


def runs_on_fixed_inputs(ctx: PythonContext, tainted: set[str]) -> bool:
    """The script only loads the model and runs it on inputs written into the script: a demo or
    smoke test of that checkpoint. Nothing in it reads a file, a dataset, a request, the command
    line or the environment, and it imports no serving framework."""
    if ctx.imports.uses(*SERVING_MODULES) or any(INPUT_CALLS.match(call_name(c) or "") for c in ctx.calls):
        return False
    uses = [c for c in ctx.calls if (dotted(c.func) or "") in tainted
            or isinstance(c.func, ast.Attribute) and (dotted(c.func.value) or "") in tainted]
    return bool(uses) and all(_fixed(ctx, a) for c in uses for a in list(c.args) + list(c.keywords))


def _trained(ctx: PythonContext, tainted: set[str]) -> bool:
    if not tainted:
        return False
    if training_evidence(ctx, tainted) is not None:
        return True
    # Handed to a training helper we cannot see into (`train(model, ...)`, `finetune(...)`).
    for other in ctx.calls:
        name = call_name(other).lower()
        if any(w in name for w in ("train", "fit", "finetune", "fine_tune")) and any(
            refs(a) & tainted for a in list(other.args) + [k.value for k in other.keywords]
        ):
            return True
    return False


def _suited_rows(model: str, non_english: bool) -> list[dict[str, str]]:
    rows = alternatives_for(model)
    return [r for r in rows if not _english_only(r)] if non_english else rows


@detector("GL303")
def distilled_alternative(ctx: PythonContext) -> None:
    non_english = _transcribes_non_english(ctx)
    loads = [(node, call, model, how) for node, call, model, how in inference_loads(ctx)
             if _suited_rows(model, non_english) and not in_test_code(ctx, call)]
    if not loads:
        return
    trained_ids: set[str] = set()
    checked = []
    for node, call, model, how in loads:
        keys, _ = binding_key(ctx, call)
        tainted = flow(ctx).taint(keys) if keys else set()
        trains = _trained(ctx, tainted)
        if trains:
            trained_ids.add(normalize_model_id(model))
        checked.append((node, model, how, trains, tainted))
    reported: set[str] = set()
    for node, model, how, trains, tainted in checked:
        key = normalize_model_id(model)
        if trains or key in trained_ids or key in reported:
            continue  # one finding per checkpoint and file
        reported.add(key)
        message, impact = alternative_message(model, _suited_rows(model, non_english))
        impact["via"] = how
        if runs_on_fixed_inputs(ctx, tainted):
            impact["fixed_inputs"] = True
            message = (f"This script only runs `{model}` on inputs written into it, as a demo or test of that "
                       f"checkpoint does; if exercising that model is its purpose, this note does not apply. "
                       f"Where the model serves real inputs: {message}")
        ctx.report("GL303", node, message, impact=impact)
