"""Where a value known to be a scipy.sparse matrix comes from, for GL304: a sparse transformer's
output, a scipy.sparse constructor, followed through names, slices, format conversions, sums,
products and absolute values, the parts of a split and the returns of the file's own functions.
Not a rule.
"""
from __future__ import annotations

import ast

from ..frontends.python import PythonContext, call_name, dotted, kwarg
from ..frontends.bindings import is_opaque
from .small_inputs import SPARSE_METHODS

# Transformers whose output is a scipy.sparse matrix unless told otherwise.
SPARSE_TRANSFORMERS = {
    "sklearn.feature_extraction.text.CountVectorizer": None,
    "sklearn.feature_extraction.text.TfidfVectorizer": None,
    "sklearn.feature_extraction.text.TfidfTransformer": None,
    "sklearn.feature_extraction.text.HashingVectorizer": None,
    "sklearn.feature_extraction.FeatureHasher": None,
    "sklearn.feature_extraction.DictVectorizer": "sparse",
    "sklearn.preprocessing.OneHotEncoder": "sparse_output",
}
# Only sparse when asked (`sparse_output=True`).
OPT_IN_SPARSE = {"sklearn.preprocessing.MultiLabelBinarizer", "sklearn.preprocessing.LabelBinarizer"}
SPARSE_CONSTRUCTORS = {
    f"scipy.sparse.{name}" for name in (
        "csr_matrix", "csc_matrix", "coo_matrix", "lil_matrix", "dok_matrix", "bsr_matrix", "dia_matrix",
        "csr_array", "csc_array", "coo_array", "lil_array", "dok_array", "bsr_array", "dia_array",
        "random", "rand", "random_array", "eye", "eye_array", "identity", "diags", "diags_array", "hstack",
        "vstack", "block_diag", "kron", "load_npz",
    )
}
def producer_qualname(ctx: PythonContext, q: str | None) -> str | None:
    """Canonical name of a sparse-producing transformer (`sklearn.feature_extraction.text._x.CountVectorizer` too)."""
    if not q or not q.startswith("sklearn."):
        return None
    last = q.rsplit(".", 1)[-1]
    for full in list(SPARSE_TRANSFORMERS) + list(OPT_IN_SPARSE):
        if full.rsplit(".", 1)[-1] == last:
            return full
    return None


def transformer_call(ctx: PythonContext, node: ast.AST, depth: int = 0) -> ast.Call | None:
    """The constructor call of the transformer object `node` (a call or a name bound once to it)."""
    if depth > 4:
        return None
    if isinstance(node, ast.Call):
        if producer_qualname(ctx, ctx.qualname(node.func)):
            return node
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("fit", "set_params"):
            return transformer_call(ctx, node.func.value, depth + 1)
        return None
    if isinstance(node, ast.Name):
        values = ctx.bound_values(node)
        if len(values) == 1:
            return transformer_call(ctx, values[0], depth + 1)
    return None


def _outputs_sparse(ctx: PythonContext, ctor: ast.Call) -> bool:
    q = producer_qualname(ctx, ctx.qualname(ctor.func)) or ""
    if q in OPT_IN_SPARSE:
        return ctx.literal(kwarg(ctor, "sparse_output")) is True
    flag = SPARSE_TRANSFORMERS.get(q)
    if flag is None:
        return True
    for name in (flag, "sparse"):
        value = kwarg(ctor, name)
        if value is not None:
            return ctx.literal(value) is True
    return True


def _is_int_index(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool)


def _one_row_or_column(ctx: PythonContext, node: ast.Subscript) -> bool:
    """An integer index in a dimension selects one row or one column: a literal, or the counter of
    a loop around it (`for idx in range(n)`, `for idx, col in enumerate(cols)`)."""
    parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    return any(_is_int_index(p) or isinstance(p, ast.Name) and _loop_counter(ctx, p) for p in parts)


def _loop_counter(ctx: PythonContext, name: ast.Name) -> bool:
    for loop in ctx.ancestors(name):
        if not isinstance(loop, (ast.For, ast.AsyncFor)) or not isinstance(loop.iter, ast.Call):
            continue
        counted = call_name(loop.iter)
        target = loop.target
        if counted == "range" and isinstance(target, ast.Name) and target.id == name.id \
                or counted == "enumerate" and isinstance(target, ast.Tuple) and target.elts \
                and isinstance(target.elts[0], ast.Name) and target.elts[0].id == name.id:
            return True
    return False


def sparse_origin(ctx: PythonContext, node: ast.AST | None, depth: int = 0) -> tuple[str, ast.Call] | None:
    """(description, producing call) when `node` is known to hold a scipy.sparse matrix. Each
    (node, depth) is answered once per file: a name rebound in a loop (`x = x + d`) reaches
    itself by many paths, and following each would cost exponential time."""
    if node is None or depth > 6:
        return None
    answers = ctx.memo("GL304 sparse origins", dict)
    key = (id(node), depth)
    if key not in answers:
        answers[key] = _sparse_origin(ctx, node, depth)
    return answers[key]


def _sparse_origin(ctx: PythonContext, node: ast.AST, depth: int) -> tuple[str, ast.Call] | None:
    if isinstance(node, ast.Call):
        return _call_origin(ctx, node, depth)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.MatMult)):
        # a sum or product with a sparse matrix (`adj + sp.eye(n)`); with a dense operand the result
        # is dense and has no `.toarray()`, so the densifying call says it is the sparse one
        return sparse_origin(ctx, node.left, depth + 1) or sparse_origin(ctx, node.right, depth + 1)
    if isinstance(node, ast.Subscript):
        if _one_row_or_column(ctx, node):
            return None  # `X[:, -1]`, `X[0]`: a vector, not the matrix
        return sparse_origin(ctx, node.value, depth + 1)
    if isinstance(node, ast.Name):
        values = ctx.bound_values(node)
        if not values or all(is_opaque(v) for v in values):  # unpacked: `X_tr, X_te, ... = train_test_split(...)`
            return _split_part_origin(ctx, node, depth)
        origin = None
        for value in values:  # every binding must be sparse: stop at the first that is not
            origin = sparse_origin(ctx, value, depth + 1)
            if origin is None:
                return None
        return origin
    return None


def _split_part_origin(ctx: PythonContext, name: ast.Name, depth: int) -> tuple[str, ast.Call] | None:
    """`X_tr, X_te, y_tr, y_te = train_test_split(X, y)`: part 2i or 2i+1 is a slice of argument i,
    as sparse as it; `tfidf, vectorizer = convert(texts)` of a function of the file: part i of
    the tuple it returns (the name's only binding in its scope)."""
    scope = ctx.enclosing_function(name) or ctx.tree
    found = []
    for assign in ctx.nodes_of(ast.Assign):
        if (ctx.enclosing_function(assign) or ctx.tree) is not scope:
            continue
        for target in assign.targets:
            elements = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
            found += [(assign, i) for i, e in enumerate(elements) if isinstance(e, ast.Name) and e.id == name.id]
    if len(found) != 1:
        return None
    assign, index = found[0]
    split = assign.value
    if not isinstance(split, ast.Call):
        return None
    returned = ctx.returned_values(split)
    if returned:  # `tfidf, vectorizer = convert(texts)`: each target holds its part of the returned tuple
        parts = [r.elts[index] if isinstance(r, ast.Tuple) and len(r.elts) > index else None for r in returned]
        origins = [sparse_origin(ctx, part, depth + 1) for part in parts]
        return origins[-1] if all(origins) else None
    if not (call_name(split).rsplit(".", 1)[-1] == "train_test_split" and index // 2 < len(split.args)):
        return None
    return sparse_origin(ctx, split.args[index // 2], depth + 1)


# Element-wise functions that scipy.sparse matrices implement themselves (`__abs__`): the result is sparse.
_SPARSE_PRESERVING = {"numpy.abs", "numpy.absolute"}


def _call_origin(ctx: PythonContext, node: ast.Call, depth: int) -> tuple[str, ast.Call] | None:
    """sparse_origin of a call: a scipy.sparse constructor, a sparse transformer's output, a format
    conversion or product of a sparse matrix, or a helper of the file that returns one."""
    q = ctx.qualname(node.func)
    if q in SPARSE_CONSTRUCTORS:
        return f"`{q}`", node
    if isinstance(node.func, ast.Attribute):
        method = node.func.attr
        if method in ("fit_transform", "transform"):
            ctor = transformer_call(ctx, node.func.value)
            if ctor is None:
                # Not known here (a parameter, an attribute): a dense array has no `.toarray()`,
                # so the densifying call itself says this output is sparse.
                return f"`{dotted(node.func.value) or call_name(node)}.{method}`", node
            if _outputs_sparse(ctx, ctor):
                return f"`{call_name(ctor)}.{method}`", node
        elif method in SPARSE_METHODS:
            return sparse_origin(ctx, node.func.value, depth + 1)
        elif method == "dot" and node.args:  # a product with a sparse matrix (`sp.diags(r).dot(mx)`)
            return sparse_origin(ctx, node.func.value, depth + 1) or sparse_origin(ctx, node.args[0], depth + 1)
    if isinstance(node.func, ast.Name) and node.func.id in ("load_svmlight_file",):
        return None
    if (q in _SPARSE_PRESERVING or isinstance(node.func, ast.Name) and node.func.id == "abs") and node.args:
        return sparse_origin(ctx, node.args[0], depth + 1)  # `np.abs(a - b)` of sparse matrices is sparse
    returned = ctx.returned_values(node)  # a helper of the file that builds the matrix
    origins = [sparse_origin(ctx, value, depth + 1) for value in returned]
    return origins[-1] if origins and all(origins) else None
