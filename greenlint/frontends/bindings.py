"""Which binding of a name reaches a use: every binding form of a scope in source order, the
plain assignments of a scope, and the straight-line reaching definition (a notebook that sets
`epochs` in one cell and again in a later one; an assignment earlier in the same `with`, `if`
or `if __name__ == "__main__":` block). One model for every rule (values.py builds on it).

A binding the code does not spell out (a loop target, an import, `except ... as e`, a `match`
capture, unpacking of something opaque) is recorded as opaque, so that a later use never
resolves to an earlier, stale value.
"""
from __future__ import annotations

import ast
from typing import Any, Callable, Iterator
from .pyast import walk, child_nodes

OPAQUE = "__greenlint_unknown__"  # the id of the stand-in Name recorded for an opaque binding


def is_opaque(value: Any) -> bool:
    return isinstance(value, ast.Name) and value.id == OPAQUE


def is_parameter(function: ast.AST, name: str) -> bool:
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return False
    a = function.args
    every = a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x]
    return any(p.arg == name for p in every)


def _names_stored(target: ast.AST) -> Iterator[str]:
    for sub in walk(target):
        if isinstance(sub, ast.Name):
            yield sub.id


def _assign_bindings(node: ast.Assign) -> Iterator[tuple[str, Any]]:
    """(name, bound expression or None when opaque) for each name an assignment binds."""
    for name, value, _ in _assigned_targets(node):
        yield name, value


def _assigned_targets(node: ast.Assign) -> Iterator[tuple[str, ast.expr | None, ast.AST]]:
    """(name, bound expression or None when unpacked from something opaque, the target node)."""
    for target in node.targets:
        if isinstance(target, ast.Name):
            yield target.id, node.value, target
        elif isinstance(target, (ast.Tuple, ast.List)):
            values = node.value.elts if isinstance(node.value, (ast.Tuple, ast.List)) else None
            for i, elt in enumerate(target.elts):
                same = values is not None and len(values) == len(target.elts) and isinstance(elt, ast.Name)
                for name in _names_stored(elt):
                    yield name, values[i] if same else None, elt  # type: ignore[index]


def _bound_by(node: ast.AST) -> Iterator[tuple[str, Any]]:
    """(name, bound expression or None when opaque) for every name `node` binds in its scope.

    Every binding form counts, so that a later use never resolves to an earlier, stale value:
    assignments, loop and `with` targets, imports, definitions, the walrus, `global`, `del`,
    `except ... as e` and the capture patterns of `match` (`case {"epochs": n}`, `case [*rest]`)."""
    if isinstance(node, ast.Assign):
        yield from _assign_bindings(node)
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
        yield node.target.id, node.value
    elif isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
        yield node.target.id, node.value
    else:
        yield from ((name, None) for name in _opaque_bindings(node))


def _opaque_bindings(node: ast.AST) -> Iterator[str]:
    """Names `node` binds to a value the code does not spell out."""
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        yield node.target.id
    elif isinstance(node, (ast.For, ast.AsyncFor)):
        yield from _names_stored(node.target)
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            if item.optional_vars is not None:
                yield from _names_stored(item.optional_vars)
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        yield from ((alias.asname or alias.name).split(".")[0] for alias in node.names)
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        yield from node.names
    elif isinstance(node, ast.Delete):
        yield from (name for target in node.targets for name in _names_stored(target))
    elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
        yield node.name
    elif isinstance(node, ast.MatchMapping) and node.rest:
        yield node.rest


def bindings(scope: ast.AST) -> dict[str, list[tuple[ast.AST, Any]]]:
    """name -> [(binding node, bound expression or None when opaque)] in source order."""
    cached = getattr(scope, "_gl_bindings", None)
    if cached is not None:
        return cached
    found: dict[str, list[tuple[ast.AST, Any]]] = {}
    for node in walk_no_defs(scope):
        for name, value in _bound_by(node):
            found.setdefault(name, []).append((node, value))
    for entries in found.values():
        entries.sort(key=lambda e: (e[0].lineno, e[0].col_offset))
    scope._gl_bindings = found  # type: ignore[attr-defined]
    return found


def walk_no_defs(node: ast.AST) -> Iterator[ast.AST]:
    """ast.walk that does not enter nested function, lambda or class bodies."""
    stack = list(child_nodes(node))
    while stack:
        cur = stack.pop()
        yield cur
        if isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(child_nodes(cur))


def walk_statements(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Each statement of a block and what it holds, without entering nested definitions."""
    return (node for stmt in body for node in [stmt, *walk_no_defs(stmt)])


def reaching(body: list[ast.stmt], name: str, line: int, last: ast.expr | None,
             decide: Callable[[ast.expr], bool | None] | None = None) -> ast.expr | None:
    """Straight-line reaching definition: `last` is the value bound before `body` runs. `decide`
    tells which branch of an `if` runs, where the code decides it (None: not known)."""
    for stmt in body:
        if stmt.end_lineno is not None and stmt.end_lineno >= line:  # the statement holding the use
            return _reaching_inside(stmt, name, line, last, decide)
        plain = _plain_binding(stmt, name)
        if plain is not _UNBOUND:
            last = plain
        elif is_main_guard(stmt):  # a script's or notebook's main block always runs
            last = reaching(stmt.body, name, _AFTER_ALL, last, decide)  # type: ignore[attr-defined]
        elif decide is not None and isinstance(stmt, ast.If) and binds_name(stmt, name) \
                and (taken := decide(stmt.test)) is not None:  # only the branch taken binds it
            last = reaching(stmt.body if taken else stmt.orelse, name, _AFTER_ALL, last, decide)
        elif binds_name(stmt, name):
            last = None  # bound in a block, by unpacking, an augmented assignment, an import or a def
    return last


_AFTER_ALL = 1 << 62  # a line after every statement: the value bound when a block ends


def is_main_guard(stmt: ast.stmt) -> bool:
    """`if __name__ == "__main__":` with no `else` (either operand order)."""
    if not isinstance(stmt, ast.If) or stmt.orelse or not isinstance(stmt.test, ast.Compare):
        return False
    test = stmt.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = (test.left, test.comparators[0])
    return any(isinstance(a, ast.Name) and a.id == "__name__" for a in sides) and any(
        isinstance(a, ast.Constant) and a.value == "__main__" for a in sides)


def module_statements(tree: ast.Module) -> list[ast.stmt]:
    """The statements that run at module level: the module's own, and those of its `if __name__ ==
    "__main__":` blocks (a script's constants are often set there: `REGION = "us-east1"` then
    `create_job(PROJECT, REGION)`)."""
    found: list[ast.stmt] = []
    for stmt in tree.body:
        found += stmt.body if is_main_guard(stmt) else [stmt]  # type: ignore[attr-defined]
    return found


def placeholder_fallbacks(tree: ast.Module) -> list[ast.stmt]:
    """Module-level assignments made when a name still holds the placeholder a notebook ships
    (`REGION = "[your-region]"`, then `if REGION == "[your-region]": REGION = "us-central1"`): the
    value the code runs with unless someone edits it."""
    found: list[ast.stmt] = []
    statements = module_statements(tree)
    written = {(t.id, s.value.value) for s in statements if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant)
               for t in s.targets if isinstance(t, ast.Name)}
    for stmt in statements:
        test = stmt.test if isinstance(stmt, ast.If) and not stmt.orelse else None
        if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq) \
                and isinstance(test.left, ast.Name) and isinstance(test.comparators[0], ast.Constant) \
                and (test.left.id, test.comparators[0].value) in written:  # the branch the written value takes
            found += [s for s in stmt.body if isinstance(s, ast.Assign) and len(s.targets) == 1  # type: ignore[union-attr]
                      and isinstance(s.targets[0], ast.Name) and s.targets[0].id == test.left.id]
    return found


_UNBOUND = object()


def _plain_binding(stmt: ast.stmt, name: str) -> Any:
    """What an assignment statement binds `name` to (`x = 1`, `x = y = 1`, `x, y = 1, 2`, `x: int
    = 1`): the expression, None when it binds it opaquely (`x, y = f()`), `_UNBOUND` when it is
    not such a statement for `name` (an annotation without a value does not bind)."""
    if isinstance(stmt, ast.Assign):
        found = [value for bound, value in _assign_bindings(stmt) if bound == name]
        return found[-1] if found else _UNBOUND
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == name:
        return stmt.value if stmt.value is not None else _UNBOUND
    return _UNBOUND


def _blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    blocks = [getattr(stmt, f) for f in ("body", "orelse", "finalbody") if getattr(stmt, f, None)]
    blocks += [h.body for h in getattr(stmt, "handlers", ())] + [c.body for c in getattr(stmt, "cases", ())]
    return blocks


def _reaching_inside(stmt: ast.stmt, name: str, line: int, last: ast.expr | None,
                     decide: Callable[[ast.expr], bool | None] | None) -> ast.expr | None:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return None  # another scope: its caller decides
    block = next((b for b in _blocks(stmt) if b[0].lineno <= line <= (b[-1].end_lineno or line)), None)
    if block is None:  # the use is in the statement itself, or a compound statement's header
        loops_back = isinstance(stmt, ast.While) and binds_name(stmt, name)
        rebinds_first = not _blocks(stmt) and stmt.lineno < line and _binds_before_its_value_runs(stmt, name)
        return None if loops_back or rebinds_first else last
    return reaching(block, name, line, None if _resets(stmt, block, name) else last, decide)


def _binds_before_its_value_runs(stmt: ast.stmt, name: str) -> bool:
    """An assignment evaluates its value before it binds its targets, so a use inside the value
    (`loader, model = prepare(loader, model)` over several lines) still sees the earlier binding,
    unless the value itself binds the name with a walrus."""
    if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        return stmt.value is not None and binds_name(stmt.value, name)
    return binds_name(stmt, name)


def _resets(stmt: ast.stmt, block: list[ast.stmt], name: str) -> bool:
    """Whether the value bound before `stmt` may not be the one that reaches a use in `block`."""
    if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
        return binds_name(stmt, name)  # an earlier iteration (or the loop target) may have rebound it
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return any(item.optional_vars is not None and binds_name(ast.Expr(item.optional_vars), name)
                   for item in stmt.items)
    if isinstance(stmt, (ast.Try, getattr(ast, "TryStar", ast.Try))):
        # how much of the `try` body ran is not known in a handler, `else` or `finally`
        return block is not stmt.body and (any(binds_name(s, name) for s in stmt.body)
                                           or any(h.name == name for h in stmt.handlers))
    if isinstance(stmt, ast.Match):
        return any(binds_name(c.pattern, name) for c in stmt.cases)  # type: ignore[arg-type]
    return False


def binds_name(stmt: ast.AST, name: str) -> bool:
    """Whether anything inside `stmt` binds `name` (an assignment, a loop or `with` target, a
    definition, an import, `except ... as`, a `match` capture, `del`)."""
    return name in names_bound_in(stmt)


def names_bound_in(node: ast.AST) -> frozenset[str]:
    """Every name bound anywhere inside `node`, walked once and kept on the node (a use asks
    about every statement before it, so a scope's statements are asked again and again)."""
    cached = getattr(node, "_gl_bound_names", None)
    if cached is None:
        cached = frozenset(_bound_names(node))
        node._gl_bound_names = cached  # type: ignore[attr-defined]
    return cached


def _bound_names(node: ast.AST) -> Iterator[str]:
    for sub in walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, (ast.Store, ast.Del)):
            yield sub.id
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield sub.name
        # `except E as name`, `case {"k": name}`, `case [*name]`, `case {**name}`
        elif isinstance(sub, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and sub.name:
            yield sub.name
        elif isinstance(sub, ast.MatchMapping) and sub.rest:
            yield sub.rest
        elif isinstance(sub, (ast.Import, ast.ImportFrom)):
            yield from ((a.asname or a.name.split(".")[0]) for a in sub.names)


def statement_assignments(stmt: ast.stmt) -> Iterator[tuple[str, ast.expr]]:
    if isinstance(stmt, ast.Assign):
        for name, value, where in _assigned_targets(stmt):
            # unpacked from something opaque: a stand-in placed where the name is bound, so that
            # analyses that compare positions still can
            yield name, value if value is not None else ast.copy_location(ast.Name(id=OPAQUE, ctx=ast.Load()), where)
    elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
        yield stmt.target.id, stmt.value
    elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
        yield stmt.target.id, stmt  # type: ignore[misc]  # rebinding: makes the name non-constant


def scope_assignments(scope: ast.AST) -> dict[str, list[ast.expr]]:
    cached = getattr(scope, "_greenlint_assignments", None)
    if cached is not None:
        return cached
    found: dict[str, list[ast.expr]] = {}
    stack = list(child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue  # their names live in their own scope
        if isinstance(node, ast.stmt):
            for name, value in statement_assignments(node):
                found.setdefault(name, []).append(value)
        if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            for name_node in walk(node.target):
                if isinstance(name_node, ast.Name):
                    found.setdefault(name_node.id, []).extend([node.target, node.target])  # loop-bound
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if isinstance(item.optional_vars, ast.Name):
                    found.setdefault(item.optional_vars.id, []).append(item.context_expr)
        if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
            found.setdefault(node.target.id, []).append(node.value)
        # `except E as e` and `match` captures bind the name to a value the code does not show
        captured = node.rest if isinstance(node, ast.MatchMapping) else getattr(node, "name", None) \
            if isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) else None
        if captured:
            found.setdefault(captured, []).append(ast.copy_location(ast.Name(id=OPAQUE, ctx=ast.Load()), node))
        stack.extend(child_nodes(node))
    scope._greenlint_assignments = found  # type: ignore[attr-defined]  # memo on the node: lives as long as the tree
    return found
