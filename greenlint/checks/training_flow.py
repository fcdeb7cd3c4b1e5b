"""Which names hold a model and whether the file trains it: a file-wide flow of values between
names, training evidence (fit, Trainer, backward, optimizer steps), synthetic inputs and
data-reading calls (checkpoint loads are in `checkpoint_loads`). Shared by the model and
sparsity rules; not a rule."""
from __future__ import annotations

import ast
import re
from typing import Callable, Iterable

from ..frontends.python import PythonContext, arg, call_name, dotted, kwarg
from .derived_values import group_summary, own_returns, value_refs
from .run_order import rebinds, statement_in
from .scoped_names import defined_key, function_locals, local_prefix, module_key, name_key, plain_names, refs, target_keys
from .synthetic_inputs import computed_on_random, is_random_input
from .training_loops import FIT_METHODS, builds_optimizer, optimizer_step, trainer_object
from ..frontends.pyast import walk

# Methods that make their argument part of the receiver (a model assembled piece by piece).
COMPOSING_METHODS = {"add", "add_module", "register_module", "append", "extend", "insert"}

# ---------------------------------------------------------------------------------------
# Names and the flow of values between them
# ---------------------------------------------------------------------------------------


class Flow:
    """File-wide flow of values between scoped names through assignments, returns and calls to
    functions of the file. Good enough to say "this loss came from that model"."""

    def __init__(self, ctx: PythonContext):
        self.ctx = ctx
        # (names the value mentions, name bound, last line of the module-level statement that binds
        # it, or None inside a function or class, whose code may run whenever it is called)
        self.edges: list[tuple[set[str], str, int | None]] = []
        # per edge, the names whose values themselves the bound name holds (not statistics of them)
        self.values: list[set[str]] = []
        # per edge, the line of the node that makes it
        self.lines: list[int] = []
        self._node: ast.AST | None = None
        for node in ctx.walk():
            self._node = node
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
                self._assignment(node)
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
                self._bind(refs(node.iter, ctx), node.target)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None:
                        self._bind(refs(item.context_expr, ctx), item.optional_vars)
            elif isinstance(node, ast.Return) and node.value is not None:
                self._return(node)
            elif isinstance(node, ast.Call):
                self._call(node)

    def _bind(self, mentioned: set[str], target: ast.AST, values: set[str] | None = None) -> None:
        for key in target_keys(target, self.ctx):
            self._edge(mentioned, key, values)

    def _edge(self, mentioned: set[str], key: str, values: set[str] | None = None) -> None:
        self.edges.append((mentioned, key, _module_statement_end(self.ctx, self._node)))
        self.values.append(mentioned if values is None else values)
        self.lines.append(getattr(self._node, "lineno", 0))

    def _assignment(self, node: ast.Assign | ast.AnnAssign | ast.AugAssign | ast.NamedExpr) -> None:
        if node.value is None:
            return
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if len(targets) == 1 and (self._split_parts(node.value, targets[0]) or self._aligned_pair(node.value, targets[0])
                                  or self._unpacked_returns(node.value, targets[0])):
            return
        mentioned = refs(node.value, self.ctx)
        values = value_refs(node.value, self.ctx, mentioned)
        for target in targets:
            self._bind(mentioned, target, values)
        self._stored_on_instance(node.value, targets)

    def _stored_on_instance(self, value: ast.AST, targets: list[ast.AST]) -> None:
        """`self.bert = BERT` in a method of a class of the file, `BERT` a module-level name: every
        object of the class holds that one object (`model = MyModel()` then `model.fit(...)` trains
        BERT). Only the object itself (`self.out = BERT(x)` stores what it computed), and only a
        module's name: what a parameter brings (`self.backbone = backbone`) is each construction's
        own argument, followed from the call that passes it."""
        if not isinstance(value, (ast.Name, ast.Attribute)) or not any(
                isinstance(t, ast.Attribute) and (dotted(t) or "").startswith("self.") for t in targets):
            return
        shared = {k for k in refs(value, self.ctx) if module_key(k)}
        cls = self.ctx.enclosing_class(self._node)
        if cls is not None and shared:
            self._edge(shared, defined_key(self.ctx, cls))

    def _split_parts(self, value: ast.AST, target: ast.AST) -> bool:
        """`X_train, X_test, y_train, y_test = train_test_split(X, y)`: each array's value flows
        into its own two parts only (the features are not the target)."""
        if not isinstance(value, ast.Call) or call_name(value).rsplit(".", 1)[-1] != "train_test_split" \
                or not isinstance(target, (ast.Tuple, ast.List)):
            return False
        arrays = value.args
        if any(isinstance(a, ast.Starred) for a in arrays) or len(target.elts) != 2 * len(arrays):
            return False
        for i, array in enumerate(arrays):
            for part in target.elts[2 * i:2 * i + 2]:
                self._bind(refs(array, self.ctx), part)
        return True

    def _aligned_pair(self, value: ast.AST, target: ast.AST) -> bool:
        """`train, test = train.align(test, join="left", axis=1)` (pandas): each frame comes back
        as its own part, with the other's columns; the test frame does not become the training one."""
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "align"
                and len(value.args) >= 1 and isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == 2):
            return False
        self._bind(refs(value.func.value, self.ctx), target.elts[0])
        self._bind(refs(value.args[0], self.ctx), target.elts[1])
        return True

    def _return(self, node: ast.Return) -> None:
        func = self.ctx.enclosing_function(node)
        if func is None:
            return
        returned = refs(node.value, self.ctx)
        key = defined_key(self.ctx, func)
        self._edge(returned, key, value_refs(node.value, self.ctx, returned))
        if isinstance(node.value, ast.Tuple):  # `return submission, importances`: each part on its own
            for index, part in enumerate(node.value.elts):
                mentioned = refs(part, self.ctx)
                self._edge(mentioned, f"{key}#{index}", value_refs(part, self.ctx, mentioned))
        if self.ctx.enclosing_class(func) is not None:
            self._edge(returned, f"self.{func.name}")

    def _unpacked_returns(self, value: ast.AST, target: ast.AST) -> bool:
        """`submission, importances = model(train, test)` of a function of the file whose every
        `return` is a tuple as long: each target holds its own part of the returned tuple."""
        if not isinstance(value, ast.Call) or not isinstance(target, (ast.Tuple, ast.List)) \
                or any(isinstance(e, ast.Starred) for e in target.elts):
            return False
        callee, _ = self._callee(value)
        if callee is None or isinstance(value.func, ast.Attribute):
            return False
        returns = own_returns(callee)
        if not returns or not all(isinstance(r.value, ast.Tuple) and len(r.value.elts) == len(target.elts)
                                  and not any(isinstance(e, ast.Starred) for e in r.value.elts) for r in returns):
            return False
        key = defined_key(self.ctx, callee)
        for index, part in enumerate(target.elts):
            self._bind({f"{key}#{index}"}, part)
        return True

    def _call(self, node: ast.Call) -> None:
        """Arguments flow into the parameters of a function defined in the file, and into the
        receiver of a method that makes them part of it (`model.add(base)`)."""
        if not isinstance(node.func, (ast.Name, ast.Attribute)):
            return
        self._composition(node)
        callee, bound_first = self._callee(node)
        if callee is None:
            return
        params = [a.arg for a in callee.args.posonlyargs + callee.args.args]
        if params and (bound_first or params[0] in ("self", "cls") and isinstance(node.func, ast.Attribute)):
            params = params[1:]
        # a parameter is the callee's own name: `def show(df)` does not touch the module's `df`
        local = function_locals(self.ctx, callee)
        prefix = local_prefix(callee)
        for i, value in enumerate(node.args):
            if i < len(params) and not isinstance(value, ast.Starred) and params[i] in local:
                self._edge(refs(value, self.ctx), prefix + params[i])
        for keyword in node.keywords:
            if keyword.arg in local:
                self._edge(refs(keyword.value, self.ctx), prefix + keyword.arg)

    def _callee(self, node: ast.Call) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef | None, bool]:
        """The function of the file a call runs, and whether the receiver takes its first
        parameter: a function or method by name, a class's `__init__` for a construction
        (`Runner(net, opt)`), the base class's method for `super().__init__(model, ...)`."""
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call) and call_name(func.value) == "super":
            cls = self.ctx.enclosing_class(node)
            for base in cls.bases if cls is not None else []:
                method = _method(self.ctx.classes.get(dotted(base) or ""), func.attr)
                if method is not None:
                    return method, True
            return None, False
        name = call_name(node)
        classes = self.ctx.classes
        if name in classes:
            return _method(classes[name], "__init__"), True
        return self.ctx.functions.get(name), False

    def _composition(self, node: ast.Call) -> None:
        """`model.add(base)` (Keras Sequential), `net.add_module("body", base)` /
        `register_module` (PyTorch), `layers.append(base)` / `insert` / `extend`: the receiver now
        holds the argument, as `Sequential([base])` does through its assignment."""
        func = node.func
        receiver = name_key(self.ctx, func.value) if isinstance(func, ast.Attribute) else None
        if receiver and func.attr in COMPOSING_METHODS:  # type: ignore[union-attr]
            # Only the object itself: `outputs.append(model(x))` stores what the model computed.
            mentioned = set().union(set(), *(refs(a, self.ctx) for a in node.args if isinstance(a, (ast.Name, ast.Attribute))))
            if mentioned:
                self._edge(mentioned, receiver)

    def taint(self, seeds: Iterable[str], bound_at: ast.AST | None = None, rebound_after: int | None = None,
              values_only: bool = False) -> set[str]:
        """The names the seeds' values reach. With `bound_at`, the statement that binds the seeds:
        module-level statements that end before it runs cannot carry its value (`days =
        get_dummies(test)` after `train = concat([days, ...])` of the training set's `days`). With
        `rebound_after`, the last line before the seeds are rebound to something else: a
        module-level statement after it reads the seeds' new value, not this one. With
        `values_only`, only the values themselves are followed: a per-group summary (`counts =
        frame.groupby(key).agg(["sum"])`) and an estimator's predictions on them (`preds =
        model.predict(X_test)`) are statistics of the values, not the values."""
        seeds = set(seeds)
        start = _module_statement_start(self.ctx, bound_at) if bound_at is not None else None
        stale = [r for r in (_rebound_earlier_in_its_loop(self.ctx, bound_at, seeds),
                             _summarised_later_in_its_block(self.ctx, bound_at, seeds)) if r] if bound_at is not None else []
        edges = []
        for (mentioned, key, end), values, line in zip(self.edges, self.values, self.lines):
            if values_only:
                mentioned = values
            if any(first <= line <= last for first, last in stale):
                mentioned = mentioned - seeds  # the seeds hold another value there
            if rebound_after is not None and end is not None and end > rebound_after:
                if key in seeds:
                    continue  # the seeds' later value (`train = pd.read_csv(...)`) is another one
                mentioned = mentioned - seeds
            edges.append((mentioned, key, end))
        # Module-level statements run in order: each name is tainted from a line on (`since`), and
        # a statement that ends before then reads its earlier value (`df = concat([df, weather])`
        # before `weather = get_dummies(test_df[...])`). Code in functions may run whenever called.
        since = dict.fromkeys(seeds, start or 0)
        changed = True
        while changed:
            changed = False
            for mentioned, key, end in edges:
                times = [since[m] for m in mentioned if m in since and (end is None or since[m] <= end)]
                if times:
                    at = min(times) if end is None else end
                    if at < since.get(key, at + 1):
                        since[key] = at
                        changed = True
        return set(since)

    def upstream(self, names: set[str], within: set[str]) -> set[str]:
        """The names among `within` whose values flow into `names` (`names` included)."""
        found = names & within
        changed = True
        while changed:
            changed = False
            for mentioned, key, _ in self.edges:
                if key in found and not mentioned & within <= found:
                    found |= mentioned & within
                    changed = True
        return found


def _method(cls: ast.ClassDef | None, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    for node in cls.body if cls is not None else []:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return node
    return None


def _rebound_earlier_in_its_loop(ctx: PythonContext, bound_at: ast.AST, seeds: set[str]) -> tuple[int, int] | None:
    """The lines of the loop body around `bound_at` that run after an earlier statement of the
    body rebinds the seeds and before `bound_at`: there the seeds hold that other value, not the
    one `bound_at` gave them in the iteration before (`for c in cols: d = get_dummies(train[c]);
    train = concat([train, d]); d = get_dummies(test[c]); test = concat([test, d])`: the test
    set's `d` never reaches `train`). None when no such statement is there."""
    plain = {s for s in seeds if "." not in s}
    node: ast.AST = bound_at
    while (parent := ctx.parent(node)) is not None and not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                               ast.Lambda, ast.Module)):
        body = parent.body if isinstance(parent, (ast.For, ast.AsyncFor, ast.While)) else None
        if body is not None and node in body and plain:
            index = body.index(node)
            rebound = next((i for i in range(index - 1, -1, -1) if rebinds(ctx, body[i], plain)), None)
            if rebound is None or rebound + 1 >= index:
                return None
            return body[rebound + 1].lineno, body[index - 1].end_lineno  # type: ignore[return-value]
        node = parent
    return None


def _summarised_later_in_its_block(ctx: PythonContext, bound_at: ast.AST, seeds: set[str]) -> tuple[int, int] | None:
    """The lines of the function's (or module's) body after a later statement of it rebinds the
    seeds to a per-group summary of themselves (`categorical = pd.get_dummies(df)`, then
    `categorical = categorical.groupby(key).agg(["sum", "mean"])`): from there the names hold
    counts and shares, not the values `bound_at` gave them. None when no such statement is there."""
    plain = {s for s in seeds if "." not in s}
    block = ctx.enclosing_function(bound_at) or ctx.tree
    body = getattr(block, "body", [])
    statement = statement_in(body, bound_at, ctx)
    if statement is None or not plain:
        return None
    for later in body[body.index(statement) + 1:]:
        if isinstance(later, ast.Assign) and plain <= {k for t in later.targets for k in target_keys(t, ctx)}:
            if group_summary(later.value, ctx):
                return later.end_lineno + 1, body[-1].end_lineno  # type: ignore[return-value, operator]
            return None  # rebound to something else first: the module-level order or the flow decides
    return None


def _module_statement(ctx: PythonContext, node: ast.AST | None) -> ast.AST | None:
    """The module-level statement holding `node`, or None inside a function, lambda or class."""
    while node is not None:
        parent = ctx.parent(node)
        if isinstance(parent, ast.Module):
            return node
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return None
        node = parent
    return None


def _module_statement_end(ctx: PythonContext, node: ast.AST | None) -> int | None:
    statement = _module_statement(ctx, node)
    return getattr(statement, "end_lineno", None) if statement is not None else None


def _module_statement_start(ctx: PythonContext, node: ast.AST) -> int | None:
    statement = _module_statement(ctx, node)
    return getattr(statement, "lineno", None) if statement is not None else None


def flow(ctx: PythonContext) -> Flow:
    return ctx.memo("training_flow.flow", lambda: Flow(ctx))


def _climb_wrappers(ctx: PythonContext, call: ast.Call) -> tuple[ast.AST, ast.AST | None]:
    """From `call` up through wrappers (`nn.DataParallel(builder())`, `builder().to(device)`) and
    the branches of a conditional expression (`builder() if resize else Net()`: the build is the
    value whenever its branch is taken) to the node that holds the result: (outermost wrapper,
    its parent). The model's parts count as the model: `nn.Sequential(*list(builder().children())[:-1])`
    (a slice of its layers, unpacked into a container)."""
    node: ast.AST = call
    parent = ctx.parent(node)
    while isinstance(parent, (ast.Call, ast.Attribute, ast.keyword, ast.Await, ast.IfExp, ast.Subscript, ast.Starred)):
        if isinstance(parent, ast.IfExp) and node is parent.test or isinstance(parent, ast.Subscript) and node is not parent.value:
            break
        if isinstance(parent, ast.Call) and node is not parent.func and not isinstance(node, ast.keyword):
            if node not in parent.args[:1]:
                break  # passed further down as a secondary argument: stop at the outer call
        node, parent = parent, ctx.parent(parent)
    return node, parent


def _inline_argument_keys(ctx: PythonContext, parent: ast.AST) -> set[str]:
    """Built inline as an argument (`Trainer(model=builder())`): the call itself is the holder."""
    keys: set[str] = set()
    outer = parent if isinstance(parent, ast.Call) else ctx.parent(parent)
    if isinstance(outer, ast.Call):
        grand = ctx.parent(outer)
        if isinstance(grand, ast.Assign):
            for target in grand.targets:
                keys.update(target_keys(target, ctx))
        elif isinstance(grand, ast.Expr) and "trainer" in call_name(outer).lower():
            keys.add("__inline__")
    return keys


def _holder_keys(ctx: PythonContext, parent: ast.AST | None) -> set[str]:
    keys: set[str] = set()
    if isinstance(parent, (ast.Assign, ast.AnnAssign)):
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        for target in targets:
            keys.update(target_keys(target, ctx))
    elif isinstance(parent, ast.Return):
        func = ctx.enclosing_function(parent)
        if func is not None:
            keys.add(defined_key(ctx, func))
            if ctx.enclosing_class(func) is not None:
                keys.add(f"self.{func.name}")
    elif isinstance(parent, (ast.keyword, ast.Call)):
        keys = _inline_argument_keys(ctx, parent)
    return keys


def binding_key(ctx: PythonContext, call: ast.Call) -> tuple[set[str], set[str]]:
    """Names that hold the object `call` builds, and the model aliases among them.

    Climbs wrappers (`nn.DataParallel(builder())`, `builder().to(device)`) up to the
    assignment or `return` that binds the result; a `self.x = ...` inside a class also seeds
    the class name, so that `Net()` and `trainer.fit(Net())` count as the same model.
    """
    outer, parent = _climb_wrappers(ctx, call)
    keys = _holder_keys(ctx, parent)
    if isinstance(parent, ast.Expr) and isinstance(outer, ast.Call) and isinstance(outer.func, ast.Attribute) \
            and outer.func.attr in COMPOSING_METHODS and dotted(outer.func.value):
        keys.add(name_key(ctx, outer.func.value))  # `model.add(builder())`: built into `model`
    cls = ctx.enclosing_class(call)
    if cls is None:
        return keys, set(keys)
    class_key = defined_key(ctx, cls)
    if any(k.startswith("self.") for k in keys) or _stored_in_the_instance(ctx, call, keys):
        keys.add(class_key)
    return keys, {k for k in keys if k != class_key}


# Containers whose arguments become the instance's layers (`nn.Sequential(*list(model.children())[:-2])`).
_MODULE_CONTAINERS = {"Sequential", "ModuleList", "ModuleDict"}


def _stored_in_the_instance(ctx: PythonContext, call: ast.Call, keys: set[str]) -> bool:
    """A model built into a local of a method and stored in the instance whole or in parts:
    `model = resnet18()` then `self.features = nn.Sequential(*list(model.children())[:-2])`."""
    function = ctx.enclosing_function(call)
    local = plain_names(keys)  # `__init__@6:model`: a local of the method
    if function is None or not local:
        return False
    for node in walk(function):
        if not (isinstance(node, ast.Assign) and any(dotted(t) and dotted(t).startswith("self.") for t in node.targets)):
            continue
        value = node.value
        if isinstance(value, ast.Name) and value.id in local:
            return True
        if isinstance(value, ast.Call) and call_name(value) in _MODULE_CONTAINERS \
                and any(isinstance(n, ast.Name) and n.id in local for n in walk(value)):
            return True
    return False


# ---------------------------------------------------------------------------------------
# Training evidence
# ---------------------------------------------------------------------------------------


# Modules whose classes wrap a model and stay a model (`DataParallel(net).train()` switches mode).
MODEL_WRAPPER_MODULES = ("torch.", "tensorflow.", "keras.", "jax.", "flax.")
# Uses that show a name is a model itself, not something that runs one.
_MODEL_USES = {"parameters", "named_parameters", "eval", "forward", "state_dict", "zero_grad", "modules", "children"}


def _holders(tainted: set[str]) -> set[str]:
    """The tainted names and the objects whose attribute holds one (`args` for `args.model`):
    handing `args` to a constructor hands it the model. `self` is every attribute's holder, so
    it is not counted."""
    return tainted | {t.rsplit(".", 1)[0] for t in tainted if "." in t and not t.startswith("self.")}


def _used_as_model(ctx: PythonContext, name: str) -> bool:
    for call in ctx.calls:
        if name_key(ctx, call.func) == name:
            return True
        if isinstance(call.func, ast.Attribute) and call.func.attr in _MODEL_USES and name_key(ctx, call.func.value) == name:
            return True
    return False


def _runner_of_model(ctx: PythonContext, receiver: ast.AST, tainted: set[str]) -> bool:
    """`server = FedAvg(args, i)` after `args.model = resnet18()`, then `server.train()`: an
    object built by a class of another module from the model (or from an object holding it) and
    told to train. Not a wrapper that stays a model (`DataParallel(net).train()` switches mode,
    and so does `train()` on a name that is also called, put in eval mode or asked for its
    parameters)."""
    name = name_key(ctx, receiver)
    if not name or not isinstance(receiver, ast.Name) or _used_as_model(ctx, name):
        return False
    return _built_from_model(ctx, receiver, tainted, wrappers=False)


def _built_from_model(ctx: PythonContext, node: ast.AST, tainted: set[str], wrappers: bool = True) -> bool:
    """`node` is a name bound to an object a class of another module built from the model (or
    from an object holding it): `LightningModel(model=pytorch_model)` of a course's utilities.
    A class of this file is left to its own methods; `wrappers=False` leaves out torch/Keras
    wrappers that stay a model (`DataParallel(net)`)."""
    if not isinstance(node, ast.Name):
        return False
    holders = _holders(tainted)
    for value in ctx.bound_values(node):
        if not isinstance(value, ast.Call) or not wrappers and (ctx.qualname(value.func) or "").startswith(MODEL_WRAPPER_MODULES):
            continue
        if isinstance(value.func, ast.Name) and value.func.id in ctx.classes:
            continue  # a class of this file: its own methods show whether it trains
        handed = list(value.args) + [k.value for k in value.keywords]
        if any(refs(a, ctx) & holders for a in handed):
            return True
    return False


def _fit_trains(ctx: PythonContext, call: ast.Call, func: ast.Attribute, tainted: set[str]) -> bool:
    """`model.fit(data, ...)` on a tainted model (not on random tensors), `trainer.fit(model, data)`,
    or `trainer.fit()` on a trainer built over the model and its data (Composer's `Trainer(model=...,
    train_dataloader=...)`, as a Hugging Face `trainer.train()`)."""
    data = arg(call, 0, "x") or arg(call, 0, "train_dataloaders") or kwarg(call, "datamodule")
    if refs(func.value, ctx) & tainted and (call.args or call.keywords):
        return not is_random_input(ctx, arg(call, 0, "x"))
    if refs(func.value, ctx) & tainted and trainer_object(ctx, func.value, call):
        return True
    if data is None or not trainer_object(ctx, func.value, call):
        return False
    # `trainer.fit(model=LightningModel(net))`, or a name bound to such a wrapper of another module
    return bool(refs(call, ctx) & tainted) or _built_from_model(ctx, arg(call, 0, "model"), tainted)


def _step_trains(ctx: PythonContext, call: ast.Call, tainted: set[str]) -> bool:
    return bool(refs(call.func.value, ctx) & tainted) and optimizer_step(call)  # type: ignore[attr-defined]


def _method_trains(ctx: PythonContext, call: ast.Call, func: ast.Attribute, tainted: set[str]) -> bool:
    method = func.attr
    if method in FIT_METHODS:
        return _fit_trains(ctx, call, func, tainted)
    if method == "train":
        if trainer_object(ctx, func.value, call):
            return bool(refs(func.value, ctx) & tainted or refs(call, ctx) & tainted)
        return _runner_of_model(ctx, func.value, tainted)
    if method == "backward":
        if refs(func.value, ctx) & tainted or any(refs(a, ctx) & tainted for a in call.args):
            return not computed_on_random(ctx, func.value)
        return False
    if method in ("step", "optimizer_step"):
        return _step_trains(ctx, call, tainted)
    if method == "run":
        # `trainer.run(loader, max_epochs=N)`: an engine built over the model (Ignite's
        # `create_supervised_trainer(model, optimizer, loss)`)
        return bool(refs(func.value, ctx) & tainted) and trainer_object(ctx, func.value, call)
    return False


def training_evidence(ctx: PythonContext, tainted: set[str], model_names: set[str] | None = None,
                      accept: Callable[[ast.Call], bool] | None = None) -> ast.AST | None:
    """The first call that trains something derived from `tainted` names, or None.

    Counts: `x.fit(data...)` / `fit_generator` / `train_on_batch` on a tainted object, a
    `...Trainer` built over it whose `train()`/`fit()` is called, `trainer.fit(model)`,
    `loss.backward()` on a tainted loss, `optimizer.step()` on a tainted optimizer. Fits whose
    data are random tensors (benchmarks) do not count. `accept`, when given, filters the calls.
    """
    for call in ctx.calls:
        if isinstance(call.func, ast.Attribute) and _method_trains(ctx, call, call.func, tainted):
            if accept is None or accept(call):
                return call
    return None


# A helper named for training: `train` / `fit` / `finetune` as its first word (`train_one_epoch`,
# `train_net`, d2l's `train_ch13`).
TRAIN_HELPER = re.compile(r"^(train|fit|finetune|fine_tune)(_[a-z0-9]+)*$", re.I)


def _is_optimizer(ctx: PythonContext, node: ast.AST) -> bool:
    """`optimizer`, `opt`, or a name every value of which is `torch.optim.X(...)` /
    `create_optimizer(...)` (one per branch of an `if` too: `trainer = torch.optim.SGD(...)`)."""
    if isinstance(node, ast.Name):
        if node.id in ("optimizer", "optim", "opt", "optimiser") or node.id.endswith("_optimizer"):
            return True
        values = ctx.bound_values(node)
        return bool(values) and all(builds_optimizer(ctx, v) for v in values)
    return builds_optimizer(ctx, node)


def external_training_call(ctx: PythonContext, tainted: set[str],
                           accept: Callable[[ast.Call], bool] | None = None) -> ast.Call | None:
    """`train_one_epoch(model, criterion, loader, optimizer, ...)` imported from another module
    (DeiT's and ConvNeXt's main.py keep the loop in engine.py; a course's `d2l.train_ch13(net,
    ..., trainer, ...)`): a training helper this file cannot see into, handed both the model and
    an optimizer."""
    for call in ctx.calls:
        if not isinstance(call.func, (ast.Name, ast.Attribute)):
            continue
        name = call_name(call)
        if not TRAIN_HELPER.match(name or "") or name in ctx.functions:
            continue
        if isinstance(call.func, ast.Attribute) and ctx.qualname(call.func) is None:
            continue  # `obj.train(...)`: a method, not a module's function (Module.train(mode) is not training)
        values = list(call.args) + [k.value for k in call.keywords]
        if not any(refs(v, ctx) & tainted for v in values):
            continue
        if any(_is_optimizer(ctx, v) for v in values) and (accept is None or accept(call)):
            return call
    return None


def file_trains(ctx: PythonContext) -> ast.Call | None:
    """A call that trains something in this file, by the test every training reader shares
    (`training_code`: a fit that is not a preprocessor's, a training API, a trainer's run, a
    gradient step, an optimizer built over a model, a function of the file that does one), not a
    fit on random inputs (a smoke test). Built once per file: GL302, GL305 and GL306 all ask."""
    return ctx.memo("training_flow.file_trains", lambda: _first_training_call(ctx))


def _first_training_call(ctx: PythonContext) -> ast.Call | None:
    from .training_code import MAX_DEPTH, training_code  # it reads the search rules' tables: loaded on use

    code = training_code(ctx)
    calls = [c for c in sorted(ctx.calls, key=lambda c: (c.lineno, c.col_offset))
             if not (isinstance(c.func, ast.Attribute) and c.func.attr in FIT_METHODS and c.args
                     and is_random_input(ctx, c.args[0]))]
    # the training step itself (`loss.backward()`, `model.fit(...)`) where the file shows it, else an
    # optimizer built over a model or a call of a function that trains
    step = next((c for c in calls if optimizer_step(c) or code.call_trains(c, MAX_DEPTH) and not builds_optimizer(ctx, c)), None)
    return step or next((c for c in calls if code.call_trains(c, 0)), None)
