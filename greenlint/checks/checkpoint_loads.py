"""Checkpoint loads, for the model rules: whether a model's weights come from a checkpoint or a
pre-trained source rather than from the training the file runs. Not a rule."""
from __future__ import annotations

import ast
from typing import Iterable

from ..frontends.conditions import guards_of
from ..frontends.python import PythonContext, call_name
from .run_order import runs_after
from .scoped_names import refs
from ..frontends.pyast import walk

CHECKPOINT_LOADS = {"load_state_dict", "load_weights", "load_from_checkpoint", "load_checkpoint", "load_model"}
_CHECKPOINT_LOAD_PREFIXES = tuple(sorted(CHECKPOINT_LOADS))  # also `load_weights_from_hdf5_group_by_name`
LOAD_CALLS = {"from_pretrained", "load_state_dict", "load_from_checkpoint", "load_weights", "load_checkpoint"}


def loads_checkpoint(ctx: PythonContext) -> bool:
    """Weights (and so sizes) come from a checkpoint, unconditionally."""
    for call in ctx.calls:
        if call_name(call) in LOAD_CALLS or ctx.qualname(call.func) == "torch.load":
            if not guards_of(ctx, call):
                return True
    return False


def unconditional_checkpoint_load(ctx: PythonContext, names: set[str], build: ast.AST | None = None,
                                  trained_by: ast.AST | None = None) -> bool:
    """`model.load_state_dict(...)`, `model.load_weights(...)` that runs whenever the model is
    built: outside any `if`, or only under the `if`s that also guard the build (DeiT's teacher
    is built and loaded in the same `if args.distillation_type != 'none':` block). A load of a
    state the model itself gave (`best = copy.deepcopy(model.state_dict())` ...
    `model.load_state_dict(best)`) restores its own best epoch: not a starting checkpoint; nor
    does a load that runs after the training call `trained_by` (the trained weights reloaded to
    test them)."""
    guards = guards_of(ctx, build) if build else set()

    def runs_with_the_build(node: ast.AST) -> bool:
        return guards_of(ctx, node) <= guards and not (trained_by is not None and runs_after(ctx, node, trained_by))

    for call in ctx.calls:
        direct = isinstance(call.func, ast.Attribute) and call.func.attr in CHECKPOINT_LOADS \
            and bool(refs(call.func.value, ctx) & names) and not (call.args and _own_snapshot(ctx, call.args[0], names))
        if (direct or _loads_through_helper(ctx, call, names, trained_by)) and runs_with_the_build(call):
            return True
    return any(runs_with_the_build(store) for store in _transplants(ctx, names))


def _loads_through_helper(ctx: PythonContext, call: ast.Call, names: set[str], trained_by: ast.AST | None) -> bool:
    """`vgg16 = load_split_weights(vgg16, path)`: a function of the file given the model, whose
    body loads weights into that parameter (`model.load_weights(...)`, Keras'
    `load_weights_from_hdf5_group_by_name(f, model.layers)`). A function that also trains the
    model (`train_model(model, ...)` reloading its best checkpoint at the end) loads what its own
    training saved: not a starting point."""
    func = ctx.functions.get(call_name(call)) if isinstance(call.func, ast.Name) else None
    if func is None or trained_by is not None and any(a is func for a in ctx.ancestors(trained_by)):
        return False
    params = [a.arg for a in func.args.args]
    given = {params[i] for i, arg in enumerate(call.args[:len(params)]) if refs(arg, ctx) & names}
    given |= {kw.arg for kw in call.keywords if kw.arg in params and refs(kw.value, ctx) & names}
    if not given:
        return False
    outside = guards_of(ctx, func)
    return any(isinstance(inner, ast.Call) and call_name(inner).startswith(_CHECKPOINT_LOAD_PREFIXES)
               and guards_of(ctx, inner) <= outside  # `if resume is not None:` loads only when asked
               and _loads_into(ctx, inner, given) for inner in walk(func))


def _loads_into(ctx: PythonContext, load: ast.Call, params: set[str]) -> bool:
    """`load` puts weights into one of `params` (as its receiver or an argument), and they are
    not that model's own best epoch (`model.load_state_dict(best_wts)`)."""
    receiver = [load.func.value] if isinstance(load.func, ast.Attribute) else []
    if not any(isinstance(n, ast.Name) and n.id in params for part in receiver + load.args for n in walk(part)):
        return False
    own = refs(receiver[0], ctx) if receiver else set()
    return not (load.args and own and _own_snapshot(ctx, load.args[0], own))


def _transplants(ctx: PythonContext, names: set[str]) -> Iterable[ast.Assign]:
    """`model.backbone = detector.backbone` where `detector` holds pre-trained weights: the
    model's part is replaced by a trained one, a load by assignment."""
    for node in ctx.nodes_of(ast.Assign):
        if any(isinstance(t, ast.Attribute) and refs(t.value, ctx) & names for t in node.targets) \
                and any(_pretrained_source(ctx, ref) for ref in walk(node.value) if isinstance(ref, ast.Name)):
            yield node


def _pretrained_source(ctx: PythonContext, name: ast.Name) -> bool:
    """`name` is bound to a call that loads published or saved weights: `from_pretrained`, a hub
    or `torch.load`, or a builder given `pretrained=True` / `weights=<not None>`."""
    value = ctx.binding_value(name)
    if not isinstance(value, ast.Call):
        return False
    if call_name(value) == "from_pretrained" or ctx.qualname(value.func) in ("torch.load", "torch.hub.load"):
        return True
    given = {k.arg: ctx.literal(k.value) for k in value.keywords if k.arg in ("pretrained", "weights")}
    return given.get("pretrained") is True or "weights" in given and given["weights"] not in (None, False)


def _own_snapshot(ctx: PythonContext, state: ast.AST, names: set[str]) -> bool:
    """`state` is a copy the model's own weights were saved to (`copy.deepcopy(model.state_dict())`,
    through a name): restoring it returns to an epoch of this training. A state dict edited in
    place with another model's weights is not one."""
    values = ctx.possible_values(state)
    return bool(values) and all(isinstance(v, ast.Call) and ctx.qualname(v.func) == "copy.deepcopy"
                                and bool(refs(v, ctx) & names) for v in values)
