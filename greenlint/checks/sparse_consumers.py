"""Where an array goes, for GL304: whether every use of an encoder's output is the X of an
estimator that accepts scipy.sparse input (then a sparse output changes nothing but the memory),
and whether it is centred on the way (then it is dense whatever the encoder produced); which
estimators a fit reaches (`fit`, `cross_val_score` and its siblings, the models of a spot-check
loop), and which of them take or refuse sparse input; and dense slices stacked into a 3-D
tensor, which scipy.sparse cannot hold.
"""
from __future__ import annotations

import ast
from typing import Callable, Iterator

from ..frontends.pyast import dotted
from ..frontends.python import PythonContext, arg, call_name
from .scoped_names import module_key, refs, target_keys
from .training_flow import flow
from ..frontends.pyast import walk

# Methods whose X may be scipy.sparse for such estimators; the first three fit on it.
SPARSE_READERS = ("fit", "partial_fit", "fit_predict", "predict", "predict_proba", "predict_log_proba",
                  "decision_function", "score", "fit_transform", "transform")
FITS = ("fit", "partial_fit", "fit_predict")


def _method_reading_x(ctx: PythonContext, value: ast.AST) -> ast.Call | None:
    """The method call whose X `value` is: its first positional argument, or `X=` (`clf.fit(X=...)`)."""
    parent = ctx.parent(value)
    if isinstance(parent, ast.keyword) and parent.arg == "X":
        parent = ctx.parent(parent)
    elif not (isinstance(parent, ast.Call) and parent.args and parent.args[0] is value):
        return None
    return parent if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute) else None


class _Uses:
    def __init__(self, ctx: PythonContext, accepts_sparse: Callable[[PythonContext, ast.AST], object],
                 readers: tuple[str, ...] = FITS):
        self.ctx, self.accepts_sparse, self.readers = ctx, accepts_sparse, readers

    def of_value(self, value: ast.AST, depth: int) -> bool | None:
        """None when a use of `value` may need an array; else whether a sparse-capable fit reads it."""
        ctx, parent = self.ctx, self.ctx.parent(value)
        method = _method_reading_x(ctx, value)
        if method is not None:
            if method.func.attr in SPARSE_READERS and self.accepts_sparse(ctx, method.func.value):  # type: ignore[attr-defined]
                return method.func.attr in self.readers  # type: ignore[attr-defined]
            return None
        if isinstance(parent, ast.Call) and call_name(parent) == "train_test_split" and depth < 2 \
                and any(a is value for a in parent.args):
            return self.of_split(parent, [a is value for a in parent.args].index(True), depth)
        if isinstance(parent, ast.Attribute) and parent.attr == "shape":
            return False
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name) and depth < 2:
            return self.of_name(parent.targets[0].id, parent, depth + 1)
        return None

    def of_split(self, split: ast.Call, index: int, depth: int) -> bool | None:
        """`X_tr, X_te, y_tr, y_te = train_test_split(X, y)`: argument i becomes targets 2i and 2i+1."""
        assign = self.ctx.parent(split)
        if not (isinstance(assign, ast.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0], ast.Tuple)):
            return None
        names = assign.targets[0].elts[2 * index:2 * index + 2]
        if len(names) != 2 or not all(isinstance(n, ast.Name) for n in names):
            return None
        return _combine([self.of_name(n.id, assign, depth + 1) for n in names])  # type: ignore[attr-defined]

    def of_name(self, name: str, binding: ast.stmt, depth: int) -> bool | None:
        ctx = self.ctx
        scope = ctx.enclosing_function(binding) or ctx.tree
        uses = [n for n in walk(scope) if isinstance(n, ast.Name) and n.id == name]
        reads = [n for n in uses if isinstance(n.ctx, ast.Load)]
        if any(isinstance(n.ctx, ast.Store) and not _inside(ctx, n, binding) for n in uses):
            # rebound (`X = X.toarray()`): the reads this binding reaches, when each read shows which it sees
            value = getattr(binding, "value", None)
            seen = [ctx.binding_value(n) for n in reads]
            if value is not None and all(v is not None for v in seen):
                reads = [n for n, v in zip(reads, seen) if v is value]
            else:  # unpacked (`X_tr, X_te, ... = train_test_split(X, y)`): read the order of statements
                reads = self._reached_in_order(scope, name, binding, uses)
                if reads is None:
                    return None
        return _combine([self.of_value(n, depth) for n in reads])

    def _reached_in_order(self, scope: ast.AST, name: str, binding: ast.stmt, uses: list[ast.Name]) -> list[ast.Name] | None:
        """The reads of `name` that `binding` reaches, where every binding of the name is a
        statement of the scope's own body (no branch or loop decides which one holds): those in
        the statements after `binding` up to the next one that binds the name, the reading
        statement included (`X_tr = scaler.fit_transform(X_tr)` reads the split's value)."""
        body = getattr(scope, "body", [])
        index = {id(stmt): i for i, stmt in enumerate(body)}
        position = {}
        for use in uses:
            statement = next((a for a in [use, *self.ctx.ancestors(use)] if id(a) in index), None)
            if statement is None:
                return None
            position[id(use)] = index[id(statement)]
        stores = sorted(position[id(u)] for u in uses if isinstance(u.ctx, ast.Store))
        start = index.get(id(binding))
        if start is None or any(isinstance(u.ctx, ast.Store) and not isinstance(body[position[id(u)]], ast.Assign)
                                for u in uses):
            return None
        end = next((i for i in stores if i > start), len(body))
        return [u for u in uses if isinstance(u.ctx, ast.Load) and start < position[id(u)] <= end]


def _combine(verdicts: list[bool | None]) -> bool | None:
    return None if any(v is None for v in verdicts) else any(verdicts)


def _inside(ctx: PythonContext, node: ast.AST, statement: ast.AST) -> bool:
    return node is statement or any(a is statement for a in ctx.ancestors(node))


def feeds_sparse_capable_only(ctx: PythonContext, outputs: list[ast.Call] | None,
                              accepts_sparse: Callable[[PythonContext, ast.AST], object],
                              readers: tuple[str, ...] = FITS) -> bool:
    """Every one of `outputs` goes, directly, through a name or through `train_test_split`, only
    to the X of estimators `accepts_sparse` approves, and at least one of them reads it with one
    of `readers` (by default a fit). Anything else (np.hstack, a DataFrame, indexing, another
    function) may need an array."""
    if not outputs:
        return False
    return bool(_combine([_Uses(ctx, accepts_sparse, readers).of_value(out, 0) for out in outputs]))


def centred_on_the_way(ctx: PythonContext, tainted: set[str], fit: ast.AST, before_it: bool = True,
                       other_scopes: bool = False) -> bool:
    """A value on the way to the fit is centred, in the fit's own scope and before it, or in the
    fit's own arguments (`lr.fit(pipe.transform(X), y)`): `(X - mean) / std` with a mean of the
    data, or a centring scaler (`StandardScaler()` with its default `with_mean=True`, which refuses
    scipy.sparse input, or a Pipeline holding one; see `centring_scaler`). Every zero becomes
    non-zero, so the matrix is dense whatever the encoder produced. (`before_it=False`: anywhere
    in the scope of `fit`, then any node. `other_scopes`, when `tainted` holds only names whose
    values flow into the fit's X: also in the file's other functions, a `normalize(features)`
    helper whose result the fit is given.)"""
    scope = ctx.enclosing_function(fit)
    at = (fit.lineno, fit.col_offset)  # type: ignore[attr-defined]
    values = [fit] if isinstance(fit, ast.Call) else []
    for node in ctx.nodes_of(ast.Assign):
        bound = set().union(*(target_keys(t, ctx) for t in node.targets)) & tainted  # type: ignore[attr-defined]
        elsewhere = ctx.enclosing_function(node) is not scope
        # a function that declares the name `global` rebinds the module's own name (`global X`,
        # then `X = scaler.transform(X)` in `main()`): that is the module-level value's scope
        if elsewhere and scope is None and any(module_key(k) for k in bound):
            elsewhere = False
        if elsewhere and not other_scopes or not elsewhere and before_it and (node.lineno, node.col_offset) > at \
                or not bound:
            continue
        values.append(node.value)  # type: ignore[attr-defined]
    for value in values:
        for part in walk(value):
            if isinstance(part, ast.BinOp) and isinstance(part.op, ast.Sub) and _centres(ctx, part, tainted):
                return True
            if isinstance(part, ast.Call) and isinstance(part.func, ast.Attribute) and part.args \
                    and part.func.attr in ("fit_transform", "transform") and refs(part.args[0], ctx) & tainted \
                    and centring_scaler(ctx, part.func.value):
                return True
    return False


def centred_upstream(ctx: PythonContext, fit: ast.Call, tainted: set[str]) -> bool:
    """A name whose value flows into the fit's X is bound to a centred value, in the fit's scope
    before it or in a function of the file whose result becomes X (`normalize(features)`)."""
    fitted = fitted_estimator_and_x(ctx, fit)
    return fitted is not None and centred_on_the_way(ctx, flow(ctx).upstream(refs(fitted[1], ctx), tainted), fit,
                                                     other_scopes=True)


def _centres(ctx: PythonContext, difference: ast.BinOp, tainted: set[str]) -> bool:
    """`X - X.mean()`, `X - np.mean(X, axis=0)`, `X - mean` with `mean = np.mean(X)`: the data less
    its own mean (not `np.mean(a) - np.mean(b)`, a difference of two summaries), also a mean of
    the names the data comes from (`train_mean = features.mean()` at module level, and `features
    - train_mean` in the helper that `features` is handed to)."""
    data = refs(difference.left, ctx) & tainted
    if not data or not isinstance(difference.left, (ast.Name, ast.Subscript, ast.Attribute)):
        return False
    return bool(_mean_of(ctx, difference.right) & (data | flow(ctx).upstream(data, tainted)))


def _mean_of(ctx: PythonContext, node: ast.AST) -> set[str]:
    """The names whose mean `node` is (`np.mean(X)`, `X.mean()`, or a name bound to one)."""
    if isinstance(node, ast.Name):
        values = [v for v in ctx.bound_values(node) if not isinstance(v, ast.Name)]
        return set().union(set(), *(_mean_of(ctx, value) for value in values))
    if not isinstance(node, ast.Call) or call_name(node).rsplit(".", 1)[-1] != "mean":
        return set()
    if isinstance(node.func, ast.Attribute) and not node.args:  # `X.mean()`, `X.mean(axis=0)`
        return refs(node.func.value, ctx)
    return refs(node.args[0], ctx) if node.args else set()


# scikit-learn scalers that centre their input by default, with the keyword that turns it off; each
# refuses scipy.sparse input (API reference: StandardScaler `with_mean`, RobustScaler
# `with_centering`, PowerTransformer `standardize`). Not PCA: it centres too, but TruncatedSVD is
# its sparse twin, so a copy made dense for PCA is the waste.
CENTRING_TRANSFORMERS = {"sklearn.preprocessing.StandardScaler": "with_mean",
                         "sklearn.preprocessing.RobustScaler": "with_centering",
                         "sklearn.preprocessing.PowerTransformer": "standardize"}


def centring_scaler(ctx: PythonContext, receiver: ast.AST, depth: int = 0) -> bool:
    """`receiver` is (a name whose every binding is) a scaler that centres its input:
    `StandardScaler()` with its default `with_mean=True` ("Cannot center sparse matrices"),
    `RobustScaler()`, `PowerTransformer()` (standardizes by default), or a Pipeline with such a
    step (what it transforms passes through every step). A name bound in two loops to the same
    kind of Pipeline centres whichever binding reaches the fit."""
    scaler = receiver
    if isinstance(receiver, ast.Name):
        values = ctx.bound_values(receiver)
        if len(values) > 1:
            return depth < 3 and all(centring_scaler(ctx, value, depth + 1) for value in values)
        scaler = values[0] if values else None
    if not isinstance(scaler, ast.Call):
        return False
    if _short(scaler) in _PIPELINES:
        return depth < 3 and any(centring_scaler(ctx, step, depth + 1) for step in _step_objects(ctx, scaler))
    q = ctx.qualname(scaler.func)
    switch = CENTRING_TRANSFORMERS.get(q or "")
    return switch is not None and ctx.literal(next((k.value for k in scaler.keywords if k.arg == switch), None)) is not False


COLUMN_TRANSFORMERS = ("ColumnTransformer", "make_column_transformer")
_PIPELINES = ("Pipeline", "make_pipeline")
_CONTAINERS = _PIPELINES + COLUMN_TRANSFORMERS


def _short(call: ast.Call) -> str:
    return call_name(call).rsplit(".", 1)[-1]


def _holders_of(ctx: PythonContext, node: ast.AST) -> list[ast.Call]:
    """The Pipeline / ColumnTransformer calls that hold `node`: inline, or through the name its
    statement binds (`categorical = Pipeline([... encoder ...])`, then `ColumnTransformer([("cat",
    categorical, cols)])`)."""
    for anc in ctx.ancestors(node):
        if isinstance(anc, ast.Call) and _short(anc) in _CONTAINERS:
            return [anc]
        if isinstance(anc, ast.Assign):
            held = {t.id for t in anc.targets if isinstance(t, ast.Name)}
            return [c for c in ctx.calls if _short(c) in _CONTAINERS
                    and any(isinstance(n, ast.Name) and n.id in held for n in walk(c))] if held else []
        if isinstance(anc, ast.stmt):
            return []
    return []


def container_chain(ctx: PythonContext, node: ast.AST, levels: int = 4) -> Iterator[tuple[ast.AST, ast.Call]]:
    """(held, holder) from `node` up through the Pipelines and ColumnTransformers that hold it, one
    level at a time (the first holder found at each level)."""
    inner = node
    for _ in range(levels):
        level = _holders_of(ctx, inner)
        if not level:
            return
        yield inner, level[0]
        inner = level[0]


def column_transformer_of(ctx: PythonContext, ctor: ast.Call) -> ast.Call | None:
    """The ColumnTransformer the encoder is a part of (built inline, or through a name such as
    a `("onehot", encoder, columns)` tuple or a Pipeline of its own), or None."""
    return next((holder for _, holder in container_chain(ctx, ctor) if _short(holder) in COLUMN_TRANSFORMERS), None)


def centred_later_in_a_pipeline(ctx: PythonContext, ctor: ast.Call) -> bool:
    """The encoder's output goes, through the Pipelines and ColumnTransformers that hold it, to a
    later step that centres (`StandardScaler()`, default `with_mean=True`): that step refuses
    scipy.sparse input, so the dense flag is what lets the pipeline run."""
    for inner, holder in container_chain(ctx, ctor):
        if _short(holder) in _PIPELINES:
            steps = _step_objects(ctx, holder)
            holding = next((i for i, step in enumerate(steps) if _holds(ctx, step, inner)), None)
            if holding is not None and any(centring_scaler(ctx, step) for step in steps[holding + 1:]):
                return True
    return False


def _pipeline_steps(pipeline: ast.Call) -> list[ast.expr]:
    """`Pipeline([(name, step), ...])` / `Pipeline(steps=[...])` / `make_pipeline(a, b)`."""
    if _short(pipeline) == "make_pipeline":
        return list(pipeline.args)
    steps = arg(pipeline, 0, "steps")
    return list(steps.elts) if isinstance(steps, (ast.List, ast.Tuple)) else []


def _step_objects(ctx: PythonContext, pipeline: ast.Call) -> list[ast.expr]:
    """The transformers and estimators of a Pipeline, without their `(name, step)` names; a step
    tuple held by a name (`scaler = ("scaler", StandardScaler())`, then `Pipeline([scaler, ...])`)
    is read through it."""
    objects = []
    for step in _pipeline_steps(pipeline):
        if isinstance(step, ast.Name) and _short(pipeline) != "make_pipeline":
            values = ctx.bound_values(step)
            step = values[0] if len(values) == 1 and isinstance(values[0], ast.Tuple) else step
        objects.append(step.elts[-1] if isinstance(step, ast.Tuple) and step.elts else step)
    return objects


def _holds(ctx: PythonContext, step: ast.AST, inner: ast.AST) -> bool:
    """`step` is `inner`, contains it, or is a name bound to something that contains it."""
    for node in walk(step):
        if node is inner:
            return True
        if isinstance(node, ast.Name) and any(v is inner or any(n is inner for n in walk(v))
                                              for v in ctx.bound_values(node)):
            return True
    return False


# scikit-learn helpers that fit the estimator they are given on the X they are given.
FITTING_HELPERS = {"cross_val_score", "cross_validate", "cross_val_predict", "learning_curve", "validation_curve"}


def fitted_estimator_and_x(ctx: PythonContext, call: ast.Call) -> tuple[ast.AST, ast.AST] | None:
    """`est.fit(X, ...)` / `partial_fit`, or `cross_val_score(est, X, ...)` and its siblings."""
    if isinstance(call.func, ast.Attribute) and call.func.attr in ("fit", "partial_fit"):
        features = arg(call, 0, "X")
        return (call.func.value, features) if features is not None else None
    q = ctx.qualname(call.func) or ""
    if q.startswith("sklearn.") and q.rsplit(".", 1)[-1] in FITTING_HELPERS:
        estimator, features = arg(call, 0, "estimator"), arg(call, 1, "X")
        return (estimator, features) if estimator is not None and features is not None else None
    return None


def estimators_named(ctx: PythonContext, receiver: ast.AST) -> list[ast.AST]:
    """What `receiver` may be: itself, or, for the target of a spot-check loop over a list of
    models (`for name, model in models:` after `models.append(("NB", GaussianNB()))`, or over
    the list itself, `for model in [GaussianNB(), SVC()]:`) or a dict
    of them (`for name, model in models.items()`, `for model in models.values()`), each
    estimator the list or dict is given."""
    if not isinstance(receiver, ast.Name):
        return [receiver]
    loop = next((a for a in ctx.ancestors(receiver) if isinstance(a, ast.For)
                 and any(isinstance(t, ast.Name) and t.id == receiver.id for t in walk(a.target))), None)
    if loop is not None and isinstance(loop.iter, (ast.List, ast.Tuple)):  # `for model in [GaussianNB(), SVC()]:`
        given = loop.iter.elts
    else:
        collection = _iterated_collection(loop.iter) if loop is not None else None
        if collection is None:
            return [receiver]
        given = _items_given(ctx, collection)
    found = [part for item in given
             for part in (item.elts if isinstance(item, ast.Tuple) else [item]) if isinstance(part, ast.Call)]
    return found or [receiver]


def _iterated_collection(iterated: ast.AST) -> ast.Name | None:
    """The list or dict a loop walks: `models`, `models.items()`, `models.values()`."""
    if isinstance(iterated, ast.Call) and isinstance(iterated.func, ast.Attribute) \
            and iterated.func.attr in ("items", "values") and not iterated.args:
        iterated = iterated.func.value  # the dict's values are the estimators
    return iterated if isinstance(iterated, ast.Name) else None


def _items_given(ctx: PythonContext, collection: ast.Name) -> list[ast.AST]:
    """The items a list or dict the code spells out holds, and those `append`ed to it."""
    items: list[ast.AST] = []
    for value in ctx.bound_values(collection):
        if isinstance(value, (ast.List, ast.Tuple)):
            items.extend(value.elts)
        elif isinstance(value, ast.Dict):
            items.extend(value.values)
    items.extend(c.args[0] for c in ctx.calls if isinstance(c.func, ast.Attribute) and c.func.attr == "append"
                 and isinstance(c.func.value, ast.Name) and c.func.value.id == collection.id and c.args)
    return items


_STACKERS = {"numpy.array", "numpy.asarray", "numpy.stack", "numpy.dstack"}


def stacked_into_a_tensor(ctx: PythonContext, dense: ast.AST) -> bool:
    """`np.array([enc.transform(row).toarray() for row in rows])`: each dense matrix is one slice
    of a 3-D tensor for a network, which scipy.sparse cannot hold (as a one-hot output reshaped
    to three or more dimensions)."""
    comprehension = ctx.parent(dense)
    if not isinstance(comprehension, (ast.ListComp, ast.GeneratorExp)) or comprehension.elt is not dense:
        return False
    stacker = ctx.parent(comprehension)
    return isinstance(stacker, ast.Call) and ctx.qualname(stacker.func) in _STACKERS and comprehension in stacker.args


# Estimators whose fit accepts scipy.sparse input (scikit-learn API reference, "X : {array-like,
# sparse matrix}"), by module or by class.
SPARSE_CAPABLE_MODULES = ("sklearn.linear_model.", "sklearn.svm.", "sklearn.tree.", "sklearn.neighbors.",
                          "xgboost.", "lightgbm.")
SPARSE_CAPABLE_CLASSES = {"MultinomialNB", "BernoulliNB", "ComplementNB", "RandomForestClassifier",
                          "RandomForestRegressor", "ExtraTreesClassifier", "ExtraTreesRegressor",
                          "GradientBoostingClassifier", "GradientBoostingRegressor", "AdaBoostClassifier",
                          "AdaBoostRegressor", "MLPClassifier", "MLPRegressor",
                          # unsupervised: clustering and decompositions fitted on the features
                          "KMeans", "MiniBatchKMeans", "DBSCAN", "TruncatedSVD", "NMF", "LatentDirichletAllocation"}


# scikit-learn estimators whose `fit` refuses scipy.sparse X ("dense data is required"): the API
# reference types their X as array-like only, where MultinomialNB's is "{array-like, sparse matrix}".
DENSE_ONLY_CLASSES = {"GaussianNB", "LinearDiscriminantAnalysis", "QuadraticDiscriminantAnalysis",
                      "GaussianProcessClassifier", "GaussianProcessRegressor", "HistGradientBoostingClassifier",
                      "HistGradientBoostingRegressor",
                      # sklearn.covariance: a covariance of the features, X array-like only
                      "EllipticEnvelope", "EmpiricalCovariance", "MinCovDet", "LedoitWolf", "OAS", "ShrunkCovariance",
                      "GraphicalLasso"}


def _constructor_call(ctx: PythonContext, receiver: ast.AST) -> ast.Call | None:
    """The call that builds the estimator `receiver` is (a name bound once to it), or None."""
    if isinstance(receiver, ast.Name):
        values = ctx.bound_values(receiver)
        receiver = values[0] if len(values) == 1 else receiver
    while isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute) and receiver.func.attr == "fit":
        receiver = receiver.func.value  # `model = GaussianNB().fit(X, y)`: fit returns the estimator
    return receiver if isinstance(receiver, ast.Call) else None


def estimator_class(ctx: PythonContext, receiver: ast.AST, depth: int = 0) -> str:
    """The qualname of the estimator `receiver` is (a name bound once to), or "": inside a
    scikit-learn search (`GridSearchCV(LogisticRegression(), ...)`), the estimator it hands X to;
    of a Pipeline (`make_pipeline(model)`), its final step, which the steps before it hand X on to
    (a centring step among them is read by `centring_scaler`)."""
    call = _constructor_call(ctx, receiver)
    q = ctx.qualname(call.func) or "" if call is not None else ""
    if q.startswith("sklearn.model_selection.") and q.endswith("SearchCV") and depth < 2:
        inner = arg(call, 0, "estimator")  # type: ignore[arg-type]
        return estimator_class(ctx, inner, depth + 1) if inner is not None else ""
    if q in ("sklearn.pipeline.Pipeline", "sklearn.pipeline.make_pipeline") and depth < 2:
        steps = _step_objects(ctx, call)  # type: ignore[arg-type]
        return estimator_class(ctx, steps[-1], depth + 1) if steps else ""
    return q


def sparse_capable(ctx: PythonContext, receiver: ast.AST) -> str | None:
    """The class name when `receiver` is (a name bound once to) an estimator that takes sparse
    input, also inside a scikit-learn search."""
    q = estimator_class(ctx, receiver)
    name = q.rsplit(".", 1)[-1]
    return name if q.startswith(SPARSE_CAPABLE_MODULES) or (q.startswith("sklearn.") and name in SPARSE_CAPABLE_CLASSES) \
        else None


def dense_only(ctx: PythonContext, receiver: ast.AST) -> bool:
    """`receiver` is an estimator that needs dense X (GaussianNB, also inside a search), or a scaler
    that centres (its `fit_transform` refuses scipy.sparse input): a dense copy only such readers
    read is required."""
    q = estimator_class(ctx, receiver)
    return q.startswith("sklearn.") and q.rsplit(".", 1)[-1] in DENSE_ONLY_CLASSES or centring_scaler(ctx, receiver)


def dense_only_name(ctx: PythonContext, receiver: ast.AST) -> str | None:
    """The class (or, where bindings differ, the name) of a dense-only receiver; None otherwise."""
    if not dense_only(ctx, receiver):
        return None
    return (estimator_class(ctx, receiver) or dotted(receiver) or "estimator").rsplit(".", 1)[-1]
