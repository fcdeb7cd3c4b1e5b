"""GL304 densified-sparse-data: `.toarray()` / `.todense()` on values known to be sparse
(scikit-learn text and categorical encoders, scipy.sparse constructors), and encoders told to
produce dense output (`OneHotEncoder(sparse_output=False)`, `DictVectorizer(sparse=False)`)."""
from __future__ import annotations

import ast
from typing import Any, Callable, Iterator

from . import detector
from ..finding import Severity
from ..frontends.python import UNKNOWN, PythonContext, arg, call_name, dotted, kwarg
from ..fixes.gl304 import keep_sparse
from .cloud import key_words
from .small_inputs import small_literal, small_shape, written_out_rows
from .sparse_origins import SPARSE_CONSTRUCTORS, producer_qualname, sparse_origin, transformer_call
from .sparse_consumers import (DENSE_ONLY_CLASSES, SPARSE_READERS, centred_later_in_a_pipeline, centred_on_the_way,
                               centred_upstream, column_transformer_of, dense_only, dense_only_name, estimators_named,
                               feeds_sparse_capable_only, fitted_estimator_and_x, sparse_capable, stacked_into_a_tensor)
from .shown_values import only_displayed
from .scoped_names import refs, target_keys
from .run_order import live_statements, never_runs, reached_while_live, rebound_since
from .training_flow import binding_key, flow
from ..frontends.pyast import walk

def _fmt_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} TiB"


def _blowup(ctx: PythonContext, origin: ast.Call) -> tuple[str, dict[str, Any]]:
    """Memory of the dense copy where the code makes the shape knowable."""
    q = ctx.qualname(origin.func) or ""
    impact: dict[str, Any] = {}
    if q in ("scipy.sparse.random", "scipy.sparse.rand", "scipy.sparse.random_array"):
        shape = ctx.literal(arg(origin, 0, "shape")) if q == "scipy.sparse.random_array" else (
            ctx.literal(arg(origin, 0, "m")), ctx.literal(arg(origin, 1, "n")))
        density = ctx.literal(arg(origin, 2, "density"))
        if density is UNKNOWN or density is None:
            density = 0.01
        if isinstance(shape, (tuple, list)) and len(shape) == 2 and all(isinstance(v, int) for v in shape) and isinstance(density, (int, float)):
            rows, cols = shape
            dense = rows * cols * 8
            sparse = rows * cols * density * 12 + (rows + 1) * 4
            impact.update(rows=rows, columns=cols, dense_bytes=dense, sparse_bytes=int(sparse))
            return (f"; the dense {rows:,} x {cols:,} float64 copy takes {_fmt_bytes(dense)} against about "
                    f"{_fmt_bytes(sparse)} in CSR at density {density:g} ({dense / max(sparse, 1):,.0f}x)"), impact
    shape = ctx.literal(kwarg(origin, "shape"))
    if isinstance(shape, (tuple, list)) and len(shape) == 2 and all(isinstance(v, int) for v in shape):
        rows, cols = shape
        impact.update(rows=rows, columns=cols, dense_bytes=rows * cols * 8)
        return f"; the dense {rows:,} x {cols:,} float64 copy takes {_fmt_bytes(rows * cols * 8)}", impact
    if isinstance(origin.func, ast.Attribute):
        ctor = transformer_call(ctx, origin.func.value)
        if ctor is not None and call_name(ctor) in ("HashingVectorizer", "FeatureHasher"):
            n = ctx.literal(kwarg(ctor, "n_features")) if kwarg(ctor, "n_features") is not None else 2 ** 20
            if isinstance(n, int):
                impact.update(columns=n, dense_bytes_per_row=n * 8)
                return f"; every row becomes {n:,} float64 columns, {_fmt_bytes(n * 8)} per document", impact
        if ctor is not None:
            n = ctx.literal(kwarg(ctor, "max_features"))
            if isinstance(n, int):
                impact.update(columns=n, dense_bytes_per_row=n * 8)
                return f"; every row becomes up to {n:,} float64 columns ({_fmt_bytes(n * 8)} per row)", impact
    return "", impact


def _fitted_on_small_literal(ctx: PythonContext, origin: ast.Call) -> bool:
    q = ctx.qualname(origin.func)
    if q in SPARSE_CONSTRUCTORS:  # a few literal entries, or a literal shape of a few rows and columns
        return small_shape(ctx, origin) or small_literal(ctx, arg(origin, 0, "arg1"), 50) and kwarg(origin, "shape") is None
    samples = arg(origin, 0, "X") or arg(origin, 0, "raw_documents")
    return written_out_rows(samples, ctx=ctx) or small_literal(ctx, samples)


def _densifications(ctx: PythonContext) -> Iterator[tuple[ast.expr, ast.AST, str]]:
    """(dense result, receiver, spelling): `X.toarray()`, `X.todense()`, and SciPy's older `X.A`
    attribute (removed for sparse matrices in SciPy 1.14, still in much published code)."""
    for call in ctx.calls:
        if isinstance(call.func, ast.Attribute) and call.func.attr in ("toarray", "todense") and not call.args:
            yield call, call.func.value, f".{call.func.attr}()"
    for node in ctx.nodes_of(ast.Attribute):
        if node.attr == "A" and isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
            yield node, node.value, ".A"  # type: ignore[attr-defined]


@detector("GL304")
def densified_sparse_data(ctx: PythonContext) -> None:
    for dense, receiver, spelling in _densifications(ctx):
        origin = sparse_origin(ctx, receiver)
        if origin is None:
            continue
        what, producer = origin
        if _fitted_on_small_literal(ctx, producer) or only_displayed(ctx, dense) or _implements_a_transformer(ctx, dense) \
                or _guarded_by_a_sparsity_test(ctx, dense) or stacked_into_a_tensor(ctx, dense) \
                or _encodes_labels(ctx, producer, dense) or feeds_sparse_capable_only(ctx, [dense], dense_only, SPARSE_READERS) \
                or _needed_dense_downstream(ctx, dense):
            continue
        extra, impact = _blowup(ctx, producer)
        where = "" if producer.lineno == dense.lineno else f" (line {producer.lineno})"
        message = (
            f"`{spelling}` turns the sparse output of {what}{where} into a dense "
            f"array{extra}. Keep it sparse: scikit-learn linear models, SVMs, naive Bayes, XGBoost and "
            f"LightGBM accept scipy.sparse input and skip the zeros."
        )
        impact.update(method=spelling.strip(".()"), source_line=producer.lineno)
        ctx.report("GL304", dense.func if isinstance(dense, ast.Call) else dense, message, impact=impact)
    _dense_encoders(ctx)
    _dense_dummies(ctx)


_SPARSITY_TESTS = ("issparse", "isspmatrix", "is_sparse")


def _guarded_by_a_sparsity_test(ctx: PythonContext, dense: ast.AST) -> bool:
    """`X.toarray() if hasattr(X, "toarray") else X`, `if sparse.issparse(X): X = X.toarray()`: code
    written for either type. Whether the value is sparse is a library's choice the code does not
    make (a ColumnTransformer returns a dense array above its `sparse_threshold`)."""
    node = dense
    for anc in ctx.ancestors(dense):
        if isinstance(anc, (ast.If, ast.IfExp)) and node is not anc.test:
            for test in walk(anc.test):
                name = call_name(test) if isinstance(test, ast.Call) else ""
                if name == "hasattr" and len(test.args) == 2 and ctx.literal(test.args[1]) in ("toarray", "todense") \
                        or name.rsplit(".", 1)[-1] in _SPARSITY_TESTS:
                    return True
        if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return False
        node = anc
    return False


def _encodes_labels(ctx: PythonContext, producer: ast.Call, dense: ast.AST) -> bool:
    """`enc.fit_transform(y.reshape(-1, 1)).toarray()`, or an encoder's dense output bound to the
    labels (`y = enc.transform(df.Score.to_numpy().reshape(-1, 1)).toarray()`): one-hot targets,
    not features."""
    method = producer.func.attr if isinstance(producer.func, ast.Attribute) else ""
    return method in ("fit_transform", "transform") and bool(producer.args) and (
        _labels(ctx, producer.args[0]) or _bound_to_labels(ctx, dense))


def _bound_to_labels(ctx: PythonContext, value: ast.AST) -> bool:
    """`value` is assigned to names of labels only (`y`, `y_train`, `labels`)."""
    parent = ctx.parent(value)
    return isinstance(parent, ast.Assign) and all(isinstance(t, ast.Name) and _label_name(t.id) for t in parent.targets)


def _implements_a_transformer(ctx: PythonContext, call: ast.Call) -> bool:
    """The densifying call (or the dense encoder) is in a method of a class that is itself a
    transformer (it defines `fit` and `transform`): the implementation of a dense output option
    (`if self.sparse: return out` / `return out.toarray()`), or a wrapper whose dense output its
    callers choose by choosing it."""
    cls = ctx.enclosing_class(call)
    methods = {n.name for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))} if cls else set()
    return {"fit", "transform"} <= methods


DENSE_OPTION_ENCODERS = ("sklearn.preprocessing.OneHotEncoder", "sklearn.feature_extraction.DictVectorizer")


def _needs_dense(ctx: PythonContext) -> bool:
    """Estimators that need dense input or pandas output make the dense encoder a requirement."""
    return any(
        (ctx.qualname(c.func) or "").rsplit(".", 1)[-1] in DENSE_ONLY_CLASSES
        or (call_name(c) == "set_output" and ctx.literal(kwarg(c, "transform")) == "pandas")
        or (call_name(c) in ("set_config", "config_context") and ctx.literal(kwarg(c, "transform_output")) == "pandas")
        for c in ctx.calls
    )


def _dense_encoders(ctx: PythonContext) -> None:
    """`OneHotEncoder(sparse_output=False)` / `sparse=False`, `DictVectorizer(sparse=False)`."""
    # only a sparse/sparse_output flag makes an encoder dense: calls without one are never resolved
    encoders = [(call, q) for call in ctx.calls if any(k.arg in ("sparse_output", "sparse") for k in call.keywords)
                and (q := producer_qualname(ctx, ctx.qualname(call.func))) in DENSE_OPTION_ENCODERS]
    if not encoders or _needs_dense(ctx):
        return
    for call, q in encoders:
        flag_names = ("sparse_output", "sparse") if q.endswith("OneHotEncoder") else ("sparse",)
        flag = next((kwarg(call, n) for n in flag_names if kwarg(call, n) is not None), None)
        if flag is None or ctx.literal(flag) is not False:
            continue
        if _encodes_labels_or_literals(ctx, call) or _dense_whatever_the_encoder(ctx, call) or never_runs(ctx, call) \
                or centred_later_in_a_pipeline(ctx, call) or _output_only_displayed(ctx, call) \
                or _output_reshaped_to_tensor(ctx, call) or _implements_a_transformer(ctx, call):
            continue
        spelled = next(n for n in flag_names if kwarg(call, n) is not None)
        ctx.report(
            "GL304", call.func,
            f"`{call_name(call)}({spelled}=False)` returns a dense array: one float64 column per category, "
            f"almost all zeros (a column with 1,000 categories stores 1,000 values per row instead of 1). "
            f"Leave the output sparse and feed it to an estimator that accepts scipy.sparse input.",
            impact={"argument": spelled},
            severity=None if q.endswith("DictVectorizer") else Severity.NOTE,
            fix=keep_sparse(ctx, call, spelled) if feeds_sparse_capable_only(ctx, _encoder_outputs(ctx, call), sparse_capable)
            else None,
        )


def _dense_whatever_the_encoder(ctx: PythonContext, ctor: ast.Call) -> bool:
    """Inside a ColumnTransformer the dense flag makes the whole combined output dense: the
    ColumnTransformer returns a sparse matrix when a part is sparse and the overall density is
    under its `sparse_threshold` (0.3 by default). Only `sparse_threshold=0` makes the output
    dense whatever the encoder does; then the flag costs nothing."""
    column_transformer = column_transformer_of(ctx, ctor)
    if column_transformer is None:
        return False
    return ctx.literal(kwarg(column_transformer, "sparse_threshold")) in (0, 0.0)


def _encoder_outputs(ctx: PythonContext, ctor: ast.Call) -> list[ast.Call] | None:
    """The `fit_transform`/`transform` calls on the encoder `ctor` builds, or None when the
    encoder also goes elsewhere (a Pipeline, a function) where its output cannot be followed."""
    parent = ctx.parent(ctor)
    holders: set[str] = set()
    if isinstance(parent, ast.Assign):
        holders = {t.id for t in parent.targets if isinstance(t, ast.Name)}
    outputs: list[ast.Call] = []
    if isinstance(parent, ast.Attribute) and parent.attr in ("fit_transform", "transform"):
        call = ctx.parent(parent)
        return [call] if isinstance(call, ast.Call) else None
    if not holders:
        return None
    scope = ctx.enclosing_function(ctor) or ctx.tree
    for name in walk(scope):
        if isinstance(name, ast.Name) and name.id in holders and isinstance(name.ctx, ast.Load):
            use = ctx.parent(name)
            if isinstance(use, ast.Attribute):
                if use.attr in ("fit_transform", "transform"):
                    call = ctx.parent(use)
                    if isinstance(call, ast.Call):
                        outputs.append(call)
                continue  # `enc.categories_`, `enc.fit(x)`: no array comes out
            return None  # passed on (`make_pipeline(enc, clf)`): its output feeds something else
    return outputs


def _is_tensor_reshape(node: ast.AST) -> bool:
    """`x.reshape(n, 1, length, 5)`: three or more dimensions, which scipy.sparse cannot hold."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "reshape"):
        return False
    if len(node.args) == 1 and isinstance(node.args[0], (ast.Tuple, ast.List)):
        return len(node.args[0].elts) >= 3
    return len(node.args) >= 3


def _output_reshaped_to_tensor(ctx: PythonContext, ctor: ast.Call) -> bool:
    """The one-hot output is reshaped into a 3-D or 4-D tensor for a network (one-hot DNA
    sequences for a CNN, deepchem contrib/dragonn/utils.py): dense is what the consumer needs."""
    outputs = _encoder_outputs(ctx, ctor) or []
    for out in outputs:
        parent = ctx.parent(out)
        if isinstance(parent, ast.Attribute) and _is_tensor_reshape(ctx.parent(parent)):
            return True
        if isinstance(parent, ast.Assign):
            names = {t.id for t in parent.targets if isinstance(t, ast.Name)}
            scope = ctx.enclosing_function(out) or ctx.tree
            for node in walk(scope):
                if isinstance(node, ast.Name) and node.id in names and isinstance(node.ctx, ast.Load):
                    use = ctx.parent(node)
                    if isinstance(use, ast.Attribute) and _is_tensor_reshape(ctx.parent(use)):
                        return True
    return False


def _output_only_displayed(ctx: PythonContext, ctor: ast.Call) -> bool:
    """Every array the dense encoder produces is only shown (a teaching notebook printing the
    one-hot matrix), so the dense flag costs nothing worth reporting."""
    outputs = _encoder_outputs(ctx, ctor)
    return bool(outputs) and all(only_displayed(ctx, out) for out in outputs)


def _encodes_labels_or_literals(ctx: PythonContext, ctor: ast.Call) -> bool:
    """One-hot targets for a neural network (`y`, `labels`) or a literal toy input. The encoder
    may be held by a name or by an attribute of the instance (`self.label_encoder`)."""
    parent = ctx.parent(ctor)
    holders: set[str] = set()
    if isinstance(parent, ast.Assign):
        holders = {held for held in map(dotted, parent.targets) if held is not None}
    inputs = []
    for c in ctx.calls:
        if isinstance(c.func, ast.Attribute) and c.func.attr in ("fit", "fit_transform", "transform"):
            if c.func.value is ctor or dotted(c.func.value) in holders:
                if c.args:
                    inputs.append(c.args[0])
    return any(small_literal(ctx, node) or _labels(ctx, node) for node in inputs)


_LABEL_KEY_WORDS = {"label", "labels", "target", "targets", "class", "classes"}


_SPLIT_LABEL_NAMES = frozenset(split + "y" for split in ("train", "test", "val", "valid", "dev"))  # `trainy`


def _label_name(identifier: str) -> bool:
    name = identifier.lower().lstrip("_")  # `_y`: a leading underscore marks a private name, not another word
    # words, as a column key's are: `pclass` (passenger class) and `subclass` are features
    return name.startswith("y") or name.rpartition("_")[2] == "y" or name in _SPLIT_LABEL_NAMES \
        or bool(key_words(identifier) & _LABEL_KEY_WORDS)


def _given_labels(ctx: PythonContext, name: ast.Name, depth: int) -> bool:
    """`name` is a parameter of its function (rebound, if at all, only from itself:
    `values = values.reshape(-1, 1)`) and every call of the function in the file passes labels."""
    passed = ctx.passed_arguments(name)
    return bool(passed) and all(_labels(ctx, arg, depth + 1) for arg in passed)


def _labels(ctx: PythonContext, node: ast.AST, depth: int = 0) -> bool:
    """The encoder's input is the labels or targets: a variable named so (`y`, `y_train`,
    `train_y`, `trainy`, `labels`) or columns picked by keys with such a word (`df["label"]`,
    `df[["target"]]`, `df["class_label"]`; not `df["Pclass"]`, a feature), also through the
    parameter of a function of the file that every call passes such a value
    (`prepare_labels(trainy)`). Words inside a computed column name (`df[[col + "_label"]]`, a
    label-encoded feature) do not count."""
    for sub in walk(node):
        if isinstance(sub, ast.Name):
            if _label_name(sub.id) or depth < 2 and (_given_labels(ctx, sub, depth) or _made_from_labels(ctx, sub, depth)):
                return True
        elif isinstance(sub, ast.Subscript):
            keys = sub.slice.elts if isinstance(sub.slice, (ast.List, ast.Tuple)) else [sub.slice]
            if any(isinstance(k, ast.Constant) and isinstance(k.value, str) and key_words(k.value) & _LABEL_KEY_WORDS
                   for k in keys):
                return True
    return False


# Steps that keep what their input is: an encoding (`LabelEncoder().fit_transform(y)`), a reshape.
_SAME_VALUES_METHODS = {"fit_transform", "transform", "reshape", "astype", "to_numpy", "ravel"}


def _made_from_labels(ctx: PythonContext, name: ast.Name, depth: int) -> bool:
    """`name` holds labels re-encoded or reshaped (`integer_encoded = le.fit_transform(y)`, then
    `integer_encoded.reshape(-1, 1)`): the value that reaches the use is such a step of labels."""
    values = ctx.bound_values(name)
    if len(values) != 1 or not isinstance(values[0], ast.Call):
        return False
    call = values[0]
    if isinstance(call.func, ast.Attribute) and call.func.attr in _SAME_VALUES_METHODS:
        source = call.args[0] if call.func.attr in ("fit_transform", "transform") and call.args else call.func.value
    elif call_name(call).rsplit(".", 1)[-1] in ("array", "asarray") and call.args:
        source = call.args[0]
    else:
        return False
    return _labels(ctx, source, depth + 1)


# ---------------------------------------------------------------------------------------
# pandas.get_dummies feeding an estimator that takes sparse input
# ---------------------------------------------------------------------------------------

def _fit_fed_by(ctx: PythonContext, source: ast.Call, keys: set[str], tainted: set[str], live: list[ast.stmt] | None,
                estimator_of: Callable[[PythonContext, ast.AST], str | None] = sparse_capable) -> tuple[ast.Call, str] | None:
    """A `.fit(X, ...)` of an estimator `estimator_of` names (by default one that takes sparse
    input), after `source`, whose X comes from the names `source`'s result is bound to (`keys`,
    and the names that flow from them: `tainted`), while they still hold it (not after a
    rebinding of them, where `live`, their `live_statements`, ends; a name bound from them after
    `source`, `tainted`, carries the value on whatever they are rebound to: `train = concat([days,
    ...])` before `days = get_dummies(test)`)."""
    for call in ctx.calls:
        if (call.lineno, call.col_offset) <= (source.lineno, source.col_offset):
            continue
        fitted = fitted_estimator_and_x(ctx, call)
        carried = refs(fitted[1], ctx) & tainted if fitted is not None else set()
        if carried and live is not None and (carried <= keys and not reached_while_live(ctx, call, live, tainted)
                                             or rebound_since(ctx, call, carried - keys, live, tainted - keys)):
            continue
        if carried:
            for candidate in estimators_named(ctx, fitted[0]):
                estimator = estimator_of(ctx, candidate)
                if estimator:
                    return call, estimator
    return None


def _joined_into(ctx: PythonContext, value: ast.AST) -> ast.AST:
    """The call that joins `value` with other frames when it is an item of the list it is given
    (`pd.concat([data, pd.get_dummies(data[col])], axis=1)`): that call's result holds it."""
    holder = ctx.parent(value)
    outer = ctx.parent(holder) if isinstance(holder, (ast.List, ast.Tuple)) else None
    return outer if isinstance(outer, ast.Call) and outer.args[:1] == [holder] else value


def _frames_stored_into(ctx: PythonContext, value: ast.AST) -> set[str]:
    """`X[encoder.get_feature_names_out()] = dense`: the columns become part of the frame `X`,
    which carries them on."""
    holder = ctx.parent(value)
    if not (isinstance(holder, ast.Assign) and holder.value is value):
        return set()
    return {key for t in holder.targets if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name)
            for key in target_keys(t.value, ctx)}


def _followed(ctx: PythonContext, value: ast.AST) -> tuple[set[str], set[str], list[ast.stmt] | None] | None:
    """(names bound to `value`, the names its value flows into, the statements during which
    those names still hold it), or None when no name holds it."""
    keys, _ = binding_key(ctx, value)  # type: ignore[arg-type]
    if not keys:
        keys, _ = binding_key(ctx, _joined_into(ctx, value))  # type: ignore[arg-type]
    if not keys:
        keys = _frames_stored_into(ctx, value)
    if not keys:
        return None
    live = live_statements(ctx, value, keys)  # type: ignore[arg-type]
    rebound_after = live[-1].end_lineno if live and ctx.enclosing_function(value) is None else None
    return keys, flow(ctx).taint(keys, bound_at=value, rebound_after=rebound_after, values_only=True), live


def _needed_dense_downstream(ctx: PythonContext, dense: ast.AST) -> bool:
    """Through the names that hold it, the dense copy is fitted by an estimator that refuses
    sparse input (`GaussianNB` beside the sparse-capable models: dense anyway), or centred on
    the way to the first fit it reaches (a name its X is built from), or, where it reaches none
    (a test set's copy), in its own scope (`X = PowerTransformer().fit_transform(X)`, `X = (X -
    X.mean()) / X.std()`): centring makes every zero non-zero, so the copy is what the centring
    step needs."""
    followed = _followed(ctx, dense)
    if followed is None:
        return False
    keys, tainted, live = followed
    if _fit_fed_by(ctx, dense, keys, tainted, live, dense_only_name) is not None:  # type: ignore[arg-type]
        return True
    fed = _fit_fed_by(ctx, dense, keys, tainted, live, _any_estimator)  # type: ignore[arg-type]
    if fed is None:
        return centred_on_the_way(ctx, tainted, dense, before_it=False)
    return centred_upstream(ctx, fed[0], tainted)


def _any_estimator(ctx: PythonContext, receiver: ast.AST) -> str:
    return dotted(receiver) or "estimator"


def _dense_dummies(ctx: PythonContext) -> None:
    """`pd.get_dummies(...)` (dense unless `sparse=True`) whose one-hot columns are fitted by an
    estimator that accepts scipy.sparse input, and by no estimator that refuses it (the same
    columns fitted by GaussianNB too must be dense anyway)."""
    for call in ctx.calls:
        func = call.func  # `x.get_dummies`, or a name an import binds (`gd`): no other call is resolved
        if not (isinstance(func, ast.Attribute) and func.attr == "get_dummies"
                or isinstance(func, ast.Name) and func.id in ctx.imports.names):
            continue
        if ctx.qualname(func) != "pandas.get_dummies" or ctx.literal(kwarg(call, "sparse")) is True \
                or never_runs(ctx, call):
            continue
        data = arg(call, 0, "data")
        if small_literal(ctx, data) or (data is not None and _labels(ctx, data)):
            continue  # a toy input, or one-hot targets (`pd.get_dummies(df["label"])`) however they are split later
        followed = _followed(ctx, call)
        if followed is None:
            continue  # no name holds the dummies: nothing they reach can be followed
        keys, tainted, live = followed
        fed = _fit_fed_by(ctx, call, keys, tainted, live)
        if fed is None or centred_on_the_way(ctx, tainted, fed[0]) or centred_upstream(ctx, fed[0], tainted) \
                or _fit_fed_by(ctx, call, keys, tainted, live, dense_only_name):
            continue
        fit, estimator = fed
        ctx.report(
            "GL304", call.func,
            f"`pd.get_dummies` returns dense one-hot columns (`sparse=False` is its default), almost all zeros, and "
            f"they are fitted by `{estimator}` (line {fit.lineno}), which accepts scipy.sparse input: one-hot encode "
            f"with `OneHotEncoder` (sparse by default) or pass `sparse=True` when the frame is all categorical.",
            impact={"estimator": estimator, "fit_line": fit.lineno},
            severity=Severity.NOTE,
        )
