"""Whether a value is only shown, for GL304: printed, displayed, plotted, logged or asserted (also
through a name, a `DataFrame` or `pd.concat` that relabels it for display), or computed with. A
dense copy that is only shown costs nothing worth reporting; one written to a file is data for a
later stage. Not a rule.
"""
from __future__ import annotations

import ast

from ..frontends.python import PythonContext, call_name
from ..frontends.pyast import walk

# Consumers that only show or export a value; `np.savetxt` cannot write a sparse matrix at all.
DISPLAY_CALLS = {"print", "display", "pprint", "repr", "str", "len", "savetxt"}
# Plotting calls draw the values they get (`shap.summary_plot(values, X.toarray())`,
# practical-nlp-code Ch4/10_ShapDemo.ipynb; `plt.imshow(m.todense())`).
PLOT_CALLS = {"imshow", "matshow", "heatmap", "scatter", "spy", "pcolormesh"}


def _is_display_call(name: str) -> bool:
    return name in DISPLAY_CALLS or name in PLOT_CALLS or name.endswith("plot") or name.endswith("_plot")


# Wrappers that only relabel, convert or assemble a result for display (`pd.DataFrame(enc.transform(x),
# columns=...)`, `pd.concat([frame, encoded], axis=1)`, `np.array(X.todense()).shape`): what they
# build is shown or computed with.
_RELABEL_CALLS = {"DataFrame", "Series", "concat", "array", "asarray"}


def only_displayed(ctx: PythonContext, call: ast.AST, _depth: int = 0) -> bool:
    """The result of `call` is printed, shown or asserted (print, display, an f-string, a notebook
    cell's bare expression, an `assert` or `assert*` call, or a name used only in those ways), not
    computed with."""
    return _use(ctx, call, _depth) is True


# What a use does with a value: shows it (True), computes with it (False), or only reads or sets
# its labels (`df.columns = names`, `X.shape`): neither, so other uses decide.
_LABELS_ONLY = "labels only"


def _use(ctx: PythonContext, value: ast.AST, depth: int) -> bool | str:
    if _asserted(ctx, value):
        return True  # checked by a test (`assert np.allclose(X.toarray(), expected)`): inspected too
    node: ast.AST = value
    for anc in ctx.ancestors(value):
        verdict = _display_step(ctx, anc, node, depth)
        if verdict is not None:
            return verdict
        node = anc
    return False


def _shown_by(verdicts: list[bool | str]) -> bool:
    """Uses that show the value, and none that computes with it."""
    return True in verdicts and False not in verdicts


def _display_step(ctx: PythonContext, anc: ast.AST, node: ast.AST, depth: int) -> bool | str | None:
    """What the ancestor `anc` of the value `node` says: shown (True), computed with (False), its
    labels only (`_LABELS_ONLY`), or still the same value, look further up (None)."""
    if isinstance(anc, ast.stmt):
        return _statement_step(ctx, anc, node, depth)
    if isinstance(anc, ast.Call):
        return _call_step(anc, node)
    if isinstance(anc, (ast.JoinedStr, ast.FormattedValue)):
        return True
    if isinstance(anc, ast.BinOp):
        return False  # `dense / n_words * 100`: arithmetic over every entry, zeros included
    if isinstance(anc, ast.Attribute) and anc.value is node and anc.attr in _METADATA \
            and not isinstance(ctx.parent(anc), ast.Assign):
        # `X.shape`, `set(df.columns)`: its size and labels, not its values (shown, when they are)
        return True if _use(ctx, anc, depth) is True else _LABELS_ONLY
    return None  # `X_dense[:10]`, an attribute: still the same value


def _call_step(call: ast.Call, node: ast.AST) -> bool | None:
    name = call_name(call)
    if _is_display_call(name) or name in ("info", "debug") or name.startswith("assert"):
        return True  # also `assert_array_equal(X.toarray(), expected)`, `self.assertEqual(...)`
    if node is call.func or name in _RELABEL_CALLS:
        return None  # a method of the value, or a wrapper that relabels it for display
    return False  # handed to a function (`clf.fit(X.toarray(), y)`): computed with


def _statement_step(ctx: PythonContext, statement: ast.stmt, node: ast.AST, depth: int) -> bool | str:
    if isinstance(statement, ast.Expr):  # a notebook cell's last expression is shown; a file written is data for later
        if isinstance(statement.value, ast.Call) and _writes_a_file(statement.value) or not _shown_statement(ctx, statement):
            return False
        return statement.value is node or isinstance(statement.value, (ast.Subscript, ast.Attribute, ast.Call))
    if isinstance(statement, ast.Assign):
        if any(node is target for target in statement.targets):
            # `df.columns = names`, `df["Female"] = ...`: the frame is labelled or filled, not computed with
            return _LABELS_ONLY if isinstance(node, ast.Subscript) or isinstance(node, ast.Attribute) \
                and node.attr in _LABELS else False
        return _assigned_only_displayed(ctx, statement, depth) or _stored_into_a_shown_frame(ctx, statement, depth)
    return False


def _shown_statement(ctx: PythonContext, statement: ast.Expr) -> bool:
    """A bare expression written to be looked at: one outside functions, as a notebook's cell (or
    a script exported from one) displays it. In a function's body its value is computed and thrown
    away, never shown."""
    return ctx.enclosing_function(statement) is None


def _writes_a_file(call: ast.Call) -> bool:
    """`frame.to_csv(path)`, `.to_parquet(...)`, `np.save(path, X)`: the data goes to a later stage."""
    name = call_name(call)
    return name.startswith("to_") and name not in ("to_string", "to_html", "to_markdown") \
        or name in ("save", "savez", "savez_compressed", "dump")


def _asserted(ctx: PythonContext, node: ast.AST) -> bool:
    """`node` is evaluated in an `assert` statement."""
    statement = next((a for a in ctx.ancestors(node) if isinstance(a, ast.stmt)), None)
    return isinstance(statement, ast.Assert)


def _assigned_only_displayed(ctx: PythonContext, assign: ast.Assign, depth: int) -> bool:
    """The one name the value is assigned to is only ever shown. The uses are those the assignment
    reaches: after `df = pd.DataFrame(X.toarray())`, a `print(df)` below a later `df = ...` shows the
    other value, and a dense copy nothing reads is not a display."""
    names = [t.id for t in assign.targets if isinstance(t, ast.Name)]
    if len(names) != 1 or depth > 2:
        return False
    scope = ctx.enclosing_function(assign) or ctx.tree
    uses = [n for n in ctx.reads_of(names[0], scope) if not _shadowed(ctx, n, scope) and _reached_by(ctx, n, assign, scope)]
    return _shown_by([_use(ctx, u, depth + 1) for u in uses])


_LABELS = {"columns", "index", "name", "names"}
_METADATA = _LABELS | {"shape", "dtypes", "ndim", "size"}


def _stored_into_a_shown_frame(ctx: PythonContext, assign: ast.Assign, depth: int) -> bool:
    """`df["Female"] = dense[0]`: the value becomes a column of the frame `df`, and every later
    read of the frame in the same scope only shows it."""
    frames = {t.value.id for t in assign.targets if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name)}
    if len(frames) != 1 or len(assign.targets) != 1 or depth > 2:
        return False
    frame = frames.pop()
    scope = ctx.enclosing_function(assign) or ctx.tree
    after = (assign.end_lineno, assign.end_col_offset)
    uses = [n for n in ctx.reads_of(frame, scope) if (n.lineno, n.col_offset) > after and not _shadowed(ctx, n, scope)]  # type: ignore[operator]
    return _shown_by([_use(ctx, u, depth + 1) for u in uses])


def _reached_by(ctx: PythonContext, use: ast.Name, assign: ast.Assign, scope: ast.AST) -> bool:
    """`assign` may be the binding `use` reads: always, unless straight-line code of the same
    scope shows another one reaching it."""
    if (ctx.enclosing_function(use) or ctx.tree) is not scope:
        return True
    reaching = ctx.reaching_assignment(use, scope)
    return reaching is None or reaching is assign.value


def _shadowed(ctx: PythonContext, use: ast.Name, scope: ast.AST) -> bool:
    """`use` sits in a nested function that binds the same name locally: another variable
    (a notebook's helper `def f(): onehot_encoded = []` next to a module-level `onehot_encoded`)."""
    func = ctx.enclosing_function(use)
    while func is not None and func is not scope:
        if use.id in ctx.local_assignments(func) or use.id in {a.arg for a in walk(func.args) if isinstance(a, ast.arg)}:
            return True
        func = ctx.enclosing_function(func)
    return False
