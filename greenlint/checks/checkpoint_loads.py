"""Checkpoint loads, for the model rules: whether a model's weights come from a checkpoint or a
pre-trained source rather than from the training the file runs. Not a rule."""
from __future__ import annotations

import ast
from typing import Iterable

from ..frontends.conditions import guards_of
from ..frontends.python import PythonContext, call_name
from .run_order import runs_after
from .scoped_names import refs

CHECKPOINT_LOADS = {"load_state_dict", "load_weights", "load_from_checkpoint", "load_checkpoint", "load_model"}
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
    for call in ctx.calls:
        if _loads_through_helper(ctx, call, names, trained_by) and guards_of(ctx, call) <= guards \
                and not (trained_by is not None and runs_after(ctx, call, trained_by)):
            return True
        if isinstance(call.func, ast.Attribute) and call.func.attr in CHECKPOINT_LOADS:
            if refs(call.func.value, ctx) & names and not (call.args and _own_snapshot(ctx, call.args[0], names)) \
                    and not (trained_by is not None and runs_after(ctx, call, trained_by)):
                if guards_of(ctx, call) <= guards:
                    return True
    return any(guards_of(ctx, store) <= guards and not (trained_by is not None and runs_after(ctx, store, trained_by))
               for store in _transplants(ctx, names))


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
    for inner in ast.walk(func):
        if isinstance(inner, ast.Call) and call_name(inner).startswith(tuple(CHECKPOINT_LOADS)) \
                and not _under_an_if(ctx, inner, func):  # `if resume is not None:` loads only when asked
            receiver = [inner.func.value] if isinstance(inner.func, ast.Attribute) else []
            if any(isinstance(n, ast.Name) and n.id in given for part in receiver + inner.args for n in ast.walk(part)):
                own = refs(receiver[0], ctx) if receiver else set()
                if not (inner.args and own and _own_snapshot(ctx, inner.args[0], own)):
                    return True  # not the helper's own best epoch (`model.load_state_dict(best_wts)`)
    return False


def _under_an_if(ctx: PythonContext, node: ast.AST, within: ast.AST) -> bool:
    for ancestor in ctx.ancestors(node):
        if ancestor is within:
            return False
        if isinstance(ancestor, (ast.If, ast.IfExp)):
            return True
    return False


def _transplants(ctx: PythonContext, names: set[str]) -> Iterable[ast.Assign]:
    """`model.backbone = detector.backbone` where `detector` holds pre-trained weights: the
    model's part is replaced by a trained one, a load by assignment."""
    for node in ctx.nodes_of(ast.Assign):
        if any(isinstance(t, ast.Attribute) and refs(t.value, ctx) & names for t in node.targets) \
                and any(_pretrained_source(ctx, ref) for ref in ast.walk(node.value) if isinstance(ref, ast.Name)):
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
