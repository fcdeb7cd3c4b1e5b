"""Edit helpers shared by the fix builders: exact text spans in the linted file (1-based lines,
1-based character columns, end exclusive), computed from the `ast` positions of the nodes.

Every helper returns None where it cannot place its text with certainty (a `**kwargs` that may
already carry a keyword, a callbacks value that is not a list display, a name the file already
uses for something else): no fix is better than a wrong one.
"""
from __future__ import annotations

import ast
from typing import Iterable

from ..finding import Edit
from ..frontends.python import PythonContext, dotted, has_star_kwargs, kwarg


def point(ctx: PythonContext, line: int, byte_offset: int, text: str) -> Edit:
    """Insert `text` at a position given as the parser does (UTF-8 byte offset in the line)."""
    column = ctx.char_column(line, byte_offset)
    return Edit(line, column, line, column, text)


def end_of(ctx: PythonContext, node: ast.AST, text: str) -> Edit:
    """Insert `text` right after `node`."""
    return point(ctx, node.end_lineno, node.end_col_offset, text)  # type: ignore[attr-defined]


def add_keywords(ctx: PythonContext, call: ast.Call, pairs: Iterable[tuple[str, str]]) -> Edit | None:
    """One edit that adds `name=value` for each pair to `call` (after its last argument, or just
    inside its parentheses when it has none). None when a `**kwargs` could already carry one."""
    pairs = list(pairs)
    if has_star_kwargs(call) or any(kwarg(call, name) is not None for name, _ in pairs):
        return None
    text = ", ".join(f"{name}={value}" for name, value in pairs)
    items = [*call.args, *call.keywords]
    if items:
        last = max(items, key=lambda n: (n.end_lineno, n.end_col_offset))  # type: ignore[attr-defined]
        return end_of(ctx, last, ", " + text)
    return point(ctx, call.end_lineno, call.end_col_offset - 1, text)  # type: ignore[arg-type,operator]


def append_element(ctx: PythonContext, display: ast.List, text: str) -> Edit:
    """Add `text` as the last element of a list display (`[a, b]` -> `[a, b, text]`)."""
    if display.elts:
        return end_of(ctx, display.elts[-1], ", " + text)
    return point(ctx, display.lineno, display.col_offset + 1, text)


def add_to_list_argument(ctx: PythonContext, call: ast.Call, name: str, position: int | None,
                         text: str) -> Edit | None:
    """Add the element `text` to the list argument `name` of `call`: appended to a list display,
    or given as `name=[text]` when the argument is absent. None when the argument is something
    else (a name, a concatenation: the list it stands for may be shared or built elsewhere)."""
    value = kwarg(call, name)
    if value is None and position is not None and len(call.args) > position:
        value = call.args[position]
    if value is None and any(isinstance(a, ast.Starred) for a in call.args):
        return None
    if value is None:
        return add_keywords(ctx, call, [(name, f"[{text}]")])
    return append_element(ctx, value, text) if isinstance(value, ast.List) else None


def rename_keyword(ctx: PythonContext, keyword: ast.keyword, new: str) -> Edit:
    column = ctx.char_column(keyword.lineno, keyword.col_offset)
    return Edit(keyword.lineno, column, keyword.lineno, column + len(keyword.arg or ""), new)


def replace_attribute(ctx: PythonContext, node: ast.Attribute, new: str) -> Edit:
    """`ms.GridSearchCV` -> `ms.<new>`: the attribute name only."""
    end = ctx.char_column(node.end_lineno, node.end_col_offset)  # type: ignore[arg-type]
    return Edit(node.end_lineno, end - len(node.attr), node.end_lineno, end, new)  # type: ignore[arg-type]


# ---- names and imports ------------------------------------------------------------------


def written_name(ctx: PythonContext, node: ast.AST) -> str | None:
    """The full dotted name as the file imports it, without folding library aliases
    (`L.Trainer` with `import lightning as L` -> `lightning.Trainer`)."""
    name = dotted(node)
    if not name:
        return None
    head, _, rest = name.partition(".")
    base = ctx.imports.names.get(head)
    if base is None:
        return None
    return f"{base}.{rest}" if rest else base


def identifier_used(ctx: PythonContext, name: str) -> bool:
    """`name` is bound or read anywhere in the file (a variable, a parameter, a def, an import)."""
    for node in ctx.walk():
        if isinstance(node, ast.Name) and node.id == name or isinstance(node, ast.arg) and node.arg == name:
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
                (a.asname or a.name.split(".")[0]) == name for a in node.names):
            return True
    return False


def _top_imports(ctx: PythonContext) -> list[ast.Import | ast.ImportFrom]:
    return [s for s in ctx.tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]


def _bound_once(ctx: PythonContext, local: str) -> bool:
    return ctx.scopes.count.get(local, 0) <= 1


def existing_spelling(ctx: PythonContext, spellings: Iterable[str]) -> str | None:
    """How the file can already name one of `spellings` (full dotted names of the same object,
    each a valid attribute path from its top package): through a module-level import of the
    object itself (`EarlyStopping`) or of a package above it (`keras.callbacks.EarlyStopping`
    with `from tensorflow import keras`). The longest import wins."""
    best: tuple[int, str] | None = None
    for statement in _top_imports(ctx):
        for alias in statement.names:
            if alias.name == "*":
                continue
            if isinstance(statement, ast.ImportFrom):
                if statement.level or not statement.module:
                    continue
                local, full = alias.asname or alias.name, f"{statement.module}.{alias.name}"
            else:
                local = alias.asname or alias.name.split(".")[0]
                full = alias.name if alias.asname else local
            if not _bound_once(ctx, local):
                continue
            for spelling in spellings:
                if spelling == full or spelling.startswith(full + "."):
                    candidate = (len(full), local + spelling[len(full):])
                    best = max(best, candidate) if best else candidate
    return best[1] if best else None


def import_name(ctx: PythonContext, module: str, name: str, before: ast.AST,
                reuse: bool = True) -> tuple[str, list[Edit]] | None:
    """Make `name` (from `module`) usable at `before`: the file's own spelling when it has one
    (with `reuse`), else `from module import name` (added to a module-level `from module import
    ...` in place, keeping its layout and comments, or as a new line after the imports). None
    when `name` is already used in the file for something else."""
    found = existing_spelling(ctx, [f"{module}.{name}"]) if reuse else None
    if found:
        return found, []
    if identifier_used(ctx, name):
        return None
    line = getattr(before, "lineno", 1 << 30)
    same = [s for s in _top_imports(ctx) if isinstance(s, ast.ImportFrom) and s.module == module and not s.level
            and s.lineno < line and all(a.name != "*" for a in s.names)]
    if same:
        return name, [end_of(ctx, same[0].names[-1], f", {name}")]
    return name, [new_import_line(ctx, f"from {module} import {name}", line)]


def new_import_line(ctx: PythonContext, statement: str, before_line: int) -> Edit:
    """`statement` on a line of its own after the last module-level import above `before_line`
    (after the docstring and `__future__` imports when there is none)."""
    above = [s for s in _top_imports(ctx) if s.lineno < before_line]
    if above:
        anchor = above[-1].end_lineno or above[-1].lineno
    else:
        anchor = 0
        for stmt in ctx.tree.body:
            is_doc = isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)
            future = isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"
            if not (is_doc and stmt is ctx.tree.body[0] or future):
                break
            anchor = stmt.end_lineno or stmt.lineno
    newline = "\r\n" if "\r\n" in ctx.text else "\n"  # the file's own line ending
    if anchor >= len(ctx.lines) and not ctx.text.endswith(("\n", "\r")):
        end = len(ctx.lines[-1]) + 1 if ctx.lines else 1
        return Edit(anchor or 1, end, anchor or 1, end, newline + statement)
    return Edit(anchor + 1, 1, anchor + 1, 1, statement + newline)
