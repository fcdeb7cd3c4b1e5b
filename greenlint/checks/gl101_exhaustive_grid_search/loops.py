"""GL101 for hand-written grid searches: nested `for` loops, or a loop over `itertools.product`,
over literal hyper-parameter values, whose body trains a model."""
from __future__ import annotations

import ast
import math
from typing import Any

from ...frontends.python import PythonContext, call_name, kwarg
from ..search_space import axis_len
from ..training_code import training_code
from ..search_values import PARAMETER_GRID, TRAIN_FUNCTIONS, call_qual, follow
from .common import CODE, NOT_HP_NAME, cost_text, folds
from ...frontends.pyast import walk, child_nodes

_WRAPPERS = ("list", "tuple", "tqdm", "enumerate", "trange")
_SPACES = ("logspace", "linspace", "geomspace")

Axes = dict[int, "list[int] | None"]


def _unwrap_iter(ctx: PythonContext, node: ast.AST, at: ast.AST) -> ast.AST:
    """`list(x)`, `tqdm(x)`, `enumerate(x)` -> x; a name bound once -> its value."""
    for _ in range(4):
        node = follow(ctx, node, at)  # type: ignore[assignment]
        if isinstance(node, ast.Call) and node.args and (
                (isinstance(node.func, ast.Name) and node.func.id in _WRAPPERS)
                or (call_qual(ctx, node) or "").startswith("tqdm")):
            node = node.args[0]
            continue
        break
    return node


def _target_names(target: ast.AST) -> list[str]:
    return [n.id for n in walk(target) if isinstance(n, ast.Name)]


def _names_used(loop: ast.AST, names: list[str]) -> bool:
    wanted = set(names) - {"_"}
    used = {n.id for stmt in loop.body for n in walk(stmt)  # type: ignore[attr-defined]
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return bool(wanted & used)


def _literal_scalars(ctx: PythonContext, node: ast.AST, at: ast.AST) -> bool:
    """A literal list/tuple of numbers, strings, booleans or None (not data; range() only as
    `_keyword_range` says)."""
    node = follow(ctx, node, at)  # type: ignore[assignment]
    if isinstance(node, ast.Call):  # np.logspace(-3, 0, 4): a hyper-parameter axis by construction
        q = call_qual(ctx, node) or ""
        return q.startswith("numpy.") and q.rsplit(".", 1)[-1] in _SPACES
    if not isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return False
    value = ctx.literal(node)
    if not isinstance(value, (list, tuple, set)) or len(value) < 1:
        return False
    return all(v is None or isinstance(v, (int, float, str, bool)) for v in value)


def _keyword_range(ctx: PythonContext, loop: ast.For | ast.AsyncFor, iterable: ast.AST) -> bool:
    """`for depth in range(1, 11): RandomForestRegressor(max_depth=depth)`: a range of literal
    bounds whose value the body passes as a keyword argument is a hyper-parameter axis. A range
    the body only indexes with (`X[i]`) is not."""
    if not (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.func.id == "range"
            and iterable.args and all(isinstance(ctx.literal(a), int) for a in iterable.args)):
        return False
    return _passed_as_keyword(loop, [loop.target.id])  # type: ignore[union-attr]


def _passed_as_keyword(loop: ast.For | ast.AsyncFor, names: list[str]) -> bool:
    """The body passes one of `names`, or arithmetic on it (`eps=i * 0.05`), as a keyword argument
    that is not a seed or an index: the loop sets a hyper-parameter, whatever it is called."""
    wanted = set(names) - {"_"}
    for stmt in loop.body:
        for node in walk(stmt):
            if isinstance(node, ast.keyword) and node.arg is not None and not NOT_HP_NAME.search(node.arg) \
                    and _arithmetic_of(node.value, wanted):
                return True
    return False


def _arithmetic_of(node: ast.AST, names: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.BinOp):
        return _arithmetic_of(node.left, names) or _arithmetic_of(node.right, names)
    return isinstance(node, ast.UnaryOp) and _arithmetic_of(node.operand, names)


def _starred_dict_axes(ctx: PythonContext, starred: ast.Starred, at: ast.Call) -> list[int] | None:
    """`product(*grid.values())` over a dict the file spells out: the length of each of its values."""
    inner = starred.value
    if not (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and inner.func.attr == "values"):
        return None
    d = follow(ctx, inner.func.value, at)
    if not (isinstance(d, ast.Dict) and all(k is not None for k in d.keys)):
        return None
    lengths = [axis_len(ctx, v, at) for v in d.values]
    return None if any(n is None for n in lengths) else lengths  # type: ignore[return-value]


def _product_axes(ctx: PythonContext, loop: ast.For | ast.AsyncFor, call: ast.Call) -> list[int] | None:
    """Axis lengths of `for a, b in itertools.product([...], [...])`."""
    if call.keywords:
        return None
    lengths: list[int] = []
    for a in call.args:
        if isinstance(a, ast.Starred):
            more = _starred_dict_axes(ctx, a, call)
            if more is None:
                return None
            lengths += more
            continue
        n = axis_len(ctx, a, call) if _literal_scalars(ctx, a, call) else None
        if n is None:
            return None
        lengths.append(n)
    return lengths if len(lengths) >= 1 else None


def _hp_targets(loop: ast.For | ast.AsyncFor) -> bool:
    """The loop binds a name that may be a hyper-parameter and its body uses it. A name that says
    it is not one (`seed`, `fold`, `i`) is one all the same when the body passes it as a
    hyper-parameter keyword (`n_estimators=i`): what the body does with it decides."""
    targets = _target_names(loop.target)
    if not targets or not _names_used(loop, targets):
        return False
    return not all(NOT_HP_NAME.search(t) for t in targets) or _passed_as_keyword(loop, targets)


def _may_form_grid(ctx: PythonContext, loops: list[ast.AST]) -> list[ast.AST]:
    """The loops worth resolving: a grid needs two axes, so a loop alone can only be one through
    `itertools.product`, which the file must import; otherwise it needs another candidate loop
    around it or inside it. Syntax decides this; following values is what costs."""
    candidates = [loop for loop in loops if _hp_targets(loop)]  # type: ignore[arg-type]
    if ctx.imports.uses("itertools"):
        return candidates
    ids = {id(loop) for loop in candidates}
    nested: set[int] = set()
    for loop in candidates:
        inner = [n for stmt in loop.body for n in walk(stmt) if id(n) in ids]  # type: ignore[attr-defined]
        if inner:
            nested.add(id(loop))
            nested.update(id(n) for n in inner)
    return [loop for loop in candidates if id(loop) in nested]


def _loop_axes(ctx: PythonContext, loop: ast.For | ast.AsyncFor) -> list[int] | None:
    """Lengths of the hyper-parameter axes of a loop `_may_form_grid` kept, or None if it is not such a loop."""
    iterable = _unwrap_iter(ctx, loop.iter, loop)
    q = call_qual(ctx, iterable)
    if q == "itertools.product":
        return _product_axes(ctx, loop, iterable)  # type: ignore[arg-type]
    if q in PARAMETER_GRID:
        return None  # reported at ParameterGrid itself
    if not isinstance(loop.target, ast.Name):
        return None
    if not (_literal_scalars(ctx, iterable, loop) or _keyword_range(ctx, loop, iterable)):
        return None
    n = axis_len(ctx, iterable, loop)
    return [n] if n is not None and n >= 2 else None


def _nested_literal_loops(loop: ast.AST, axes: Axes) -> list[ast.AST]:
    """Hyper-parameter loops directly inside `loop` (not inside another such loop)."""
    found = []
    stack = list(loop.body)  # type: ignore[attr-defined]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, (ast.For, ast.AsyncFor)) and axes.get(id(node)):
            found.append(node)
            continue
        stack.extend(child_nodes(node))
    return found


def _loop_shape(loop: ast.AST, axes: Axes) -> tuple[int, int, list[int]]:
    """(number of axes along the deepest nesting, candidates, the axis lengths along it)."""
    own = axes.get(id(loop)) or []
    children = _nested_literal_loops(loop, axes)
    if not children:
        return len(own), math.prod(own), list(own)
    shapes = [_loop_shape(c, axes) for c in children]
    deepest = max(shapes, key=lambda s: s[0])
    return len(own) + deepest[0], math.prod(own) * sum(s[1] for s in shapes), list(own) + deepest[2]


def _loop_folds(ctx: PythonContext, loop: ast.AST, default_cv: int) -> int | None:
    """Folds when the loop body trains through exactly one cross_val_score / cross_validate call."""
    calls = [n for stmt in loop.body for n in walk(stmt)  # type: ignore[attr-defined]
             if isinstance(n, ast.Call) and call_qual(ctx, n) in TRAIN_FUNCTIONS and call_name(n).startswith("cross_val")]
    if len(calls) != 1:
        return None
    n_folds, _ = folds(ctx, kwarg(calls[0], "cv"), default_cv, calls[0])
    return n_folds


def _header_end(ctx: PythonContext, loop: ast.For | ast.AsyncFor) -> tuple[int, int]:
    """1-based (line, column) just after the colon of a `for ... in ...:` header."""
    line = loop.iter.end_lineno or loop.lineno
    offset = loop.iter.end_col_offset or 0
    text = ctx.lines[line - 1] if 0 < line <= len(ctx.lines) else ""
    colon = text.encode("utf-8").find(b":", offset)
    if colon >= 0:
        offset = colon + 1
    return line, ctx.char_column(line, offset)


def loop_grids(ctx: PythonContext, opts: dict[str, Any]) -> None:
    loops = [n for n in ctx.walk() if isinstance(n, (ast.For, ast.AsyncFor))]
    if not loops:
        return
    axes: Axes = {id(loop): _loop_axes(ctx, loop) for loop in _may_form_grid(ctx, loops)}
    covered: set[int] = set()
    training = training_code(ctx)
    for loop in loops:  # ast.walk is breadth-first: outer loops come before the loops they hold
        if id(loop) in covered or not axes.get(id(loop)):
            continue
        n_axes, candidates, lengths = _loop_shape(loop, axes)
        if n_axes < 2 or candidates < int(opts["min-candidates"]) or not training.nodes_train(loop.body) \
                or not ctx.runs_by_default(loop, options=False):
            continue
        covered.update(id(inner) for inner in walk(loop))
        _report_loop(ctx, opts, loop, candidates, lengths)


def _report_loop(ctx: PythonContext, opts: dict[str, Any], loop: ast.For | ast.AsyncFor, candidates: int,
                 lengths: list[int]) -> None:
    n_folds = _loop_folds(ctx, loop, int(opts["default-cv"]))
    text, impact = cost_text(opts, candidates, n_folds, f"cv={n_folds}", "a random sample of {n} settings "
                             "(or Optuna's TPE sampler with n_trials={n})", unit="trainings")
    shape = " x ".join(str(n) for n in lengths)
    kind = "itertools.product" if call_qual(ctx, _unwrap_iter(ctx, loop.iter, loop)) == "itertools.product" \
        else "nested loops"
    end_line, end_col = _header_end(ctx, loop)
    ctx.report_at(CODE, loop.lineno, ctx.char_column(loop.lineno, loop.col_offset), end_line, end_col,
                  f"hand-written grid search ({kind} over {shape} hyper-parameter values) trains once per "
                  f"combination: {text}", impact=impact)
