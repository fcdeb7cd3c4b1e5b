"""Inputs written out in the code, for GL304: a handful of example documents or rows (also as a
DataFrame or array of them, columns selected from one, a transformer's or an element-wise map's
output on them) make a matrix too small for its density to matter. A list the code grows is not
one. Not a rule.
"""
from __future__ import annotations

import ast

from ..frontends.python import PythonContext, call_name
from ..frontends.pyast import walk

# Format conversions and element-wise operations of scipy.sparse: the result is still sparse.
SPARSE_METHODS = {"tocsr", "tocsc", "tocoo", "tolil", "todok", "tobsr", "transpose", "multiply", "copy", "astype"}
# Containers built from their first argument: a frame or array of a few literal rows is as small.
_WRAPPERS = {"DataFrame", "Series", "array", "asarray"}
# Methods whose result has the rows of the value they are called on.
_SAME_ROWS = {"toarray", "todense"} | SPARSE_METHODS
# Calls and statements that grow a list after its literal: it is built at run time.
_GROWING = {"append", "extend", "insert", "update", "add"}


def _same_variable(ctx: PythonContext, use: ast.AST, name: str, scope: ast.AST | None) -> bool:
    """`use` of `name` refers to the variable bound in `scope` (a function, or None for the module):
    the same function, or for a module-level name a function that does not bind its own."""
    func = ctx.enclosing_function(use)
    if func is scope or scope is None and func is None:
        return True
    if scope is not None or func is None:
        return False
    params = {a.arg for a in walk(func.args) if isinstance(a, ast.arg)}
    return name not in ctx.local_assignments(func) and name not in params


def _grown(ctx: PythonContext, name: ast.Name) -> bool:
    """The code appends to, extends or adds to the value of `name` (`corpus = []` then
    `corpus.append(doc)` in a loop): the literal is only its starting point."""
    scope = ctx.enclosing_function(name)
    return any((kind == "augmented" or kind == "call" and detail in _GROWING)
               and _same_variable(ctx, node, name.id, scope)
               for kind, detail, node in ctx.in_place_changes(ctx.tree).get(name.id, ()))


def small_literal(ctx: PythonContext, node: ast.AST | None, limit: int = 50, depth: int = 0) -> bool:
    """A handful of example documents or rows written in the code (also as a DataFrame or array
    of them, or columns selected from one); a list the code grows is not one."""
    if node is None or depth > 8:  # `frame = frame.copy()` refers to itself
        return False
    same = _rows_of(ctx, node)
    if same is not None:
        return small_literal(ctx, same, limit, depth + 1)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args \
            and node.func.attr in ("fit_transform", "transform"):
        # a transformer makes one row per element: `vec.transform([review])` is one row, whatever
        # the review holds; `tfidf.fit_transform(count.fit_transform(docs))` has the rows of docs
        return written_out_rows(node.args[0], limit, ctx) or small_literal(ctx, node.args[0], limit, depth + 1)
    if isinstance(node, ast.Name):
        value = _fixed_binding(ctx, node)
        if value is not None:
            return small_literal(ctx, value, limit, depth + 1)
        # a parameter of a helper that every call of the file gives such an input
        passed = ctx.passed_arguments(node)
        return bool(passed) and all(small_literal(ctx, arg, limit, depth + 1) for arg in passed)
    if isinstance(node, (ast.List, ast.Tuple)):
        return 0 < len(node.elts) <= limit and all(
            isinstance(e, (ast.Constant, ast.List, ast.Tuple, ast.Dict, ast.UnaryOp)) or _literal_text(ctx, e)
            for e in node.elts
        )
    if isinstance(node, ast.Dict):  # `DataFrame({"col": [...], ...})`
        return bool(node.values) and all(small_literal(ctx, v, limit, depth + 1) for v in node.values)
    return False


def small_shape(ctx: PythonContext, constructor: ast.Call, limit: int = 50) -> bool:
    """A scipy.sparse constructor given a literal `shape` of at most `limit` rows and columns
    (`csc_matrix((data, (row, col)), shape=(3, 3))`): its dense copy is a few hundred bytes."""
    shape = ctx.literal(next((k.value for k in constructor.keywords if k.arg == "shape"), None))
    return isinstance(shape, tuple) and len(shape) == 2 and all(isinstance(n, int) and 0 < n <= limit for n in shape)


def _rows_of(ctx: PythonContext, node: ast.AST) -> ast.AST | None:
    """The value whose rows `node` has: a selection (`frame[["col"]]`), a container built from it
    (`DataFrame(x)`), a format change (`x.tocsr()`), an element-wise map."""
    if isinstance(node, ast.Subscript):
        return node.value
    if isinstance(node, ast.Call) and call_name(node) in _WRAPPERS and node.args:
        return node.args[0]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _SAME_ROWS:
        return node.func.value
    return _mapped_over(ctx, node)


def _mapped_over(ctx: PythonContext, node: ast.AST) -> ast.AST | None:
    """What an element-wise map runs over: `np.vectorize(f)(docs)` (also through a name bound to
    the vectorized function), `map(f, docs)`, `[f(d) for d in docs]`, `series.apply(f)`."""
    if isinstance(node, (ast.ListComp, ast.GeneratorExp)) and len(node.generators) == 1 \
            and not node.generators[0].ifs:
        return node.generators[0].iter
    if not isinstance(node, ast.Call):
        return None
    if call_name(node) in ("map", "list") and node.args:
        inner = node.args[-1] if call_name(node) == "map" else node.args[0]
        return inner if call_name(node) == "map" else _mapped_over(ctx, inner)
    if isinstance(node.func, ast.Attribute) and node.func.attr in ("apply", "map") and node.args:
        return node.func.value
    maker = node.func
    if isinstance(maker, ast.Name):
        values = ctx.bound_values(maker)
        maker = values[0] if len(values) == 1 else maker
    if isinstance(maker, ast.Call) and ctx.qualname(maker.func) == "numpy.vectorize" and node.args:
        return node.args[0]
    return None


def _fixed_binding(ctx: PythonContext, name: ast.Name) -> ast.AST | None:
    """The value a name holds where it is read, when the code never grows it: the binding that
    reaches this use (a notebook rebinds `data` cell after cell), else the only one."""
    values = ctx.bound_values(name)
    value = ctx.binding_value(name) or (values[0] if len(values) == 1 else None)
    return None if value is None or _grown(ctx, name) else value


def written_out_rows(samples: ast.AST | None, limit: int = 50, ctx: PythonContext | None = None) -> bool:
    """A list written out in the code, given to a transformer: one row per element, whatever
    each element holds (`vec.transform([message])`; with `ctx`, also through a name bound to
    such a list: `data = [message]; vec.transform(data)`)."""
    if ctx is not None and isinstance(samples, ast.Name):
        samples = _fixed_binding(ctx, samples)
    return isinstance(samples, (ast.List, ast.Tuple)) and 0 < len(samples.elts) <= limit \
        and not any(isinstance(e, ast.Starred) for e in samples.elts)


def _literal_text(ctx: PythonContext, node: ast.AST) -> bool:
    """A string constant by name, or split/lowered: `[S1.split(), S2.split()]` with `S1 = 'dog bites man'`
    (practical-nlp-code Ch3/01_OneHotEncoding.ipynb)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.keywords \
            and node.func.attr in ("split", "lower", "strip", "upper"):
        node = node.func.value
    if isinstance(node, ast.Name):
        return isinstance(ctx.literal(node), str)
    return isinstance(node, ast.Constant) and isinstance(node.value, str)
