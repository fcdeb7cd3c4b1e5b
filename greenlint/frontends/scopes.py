"""Which binding a name refers to at a given use: imports with shadowing.

Python resolves a name through the scopes that enclose its use (function, then module; a class
body only for code directly in it). Within a scope the binding that reaches the use is, in
straight-line code, the last one before it. So `from torchvision import models` followed by
`import models` (a project's own module), `def resnet50(): ...` or `resnet50 = build()` means
the later name no longer is torchvision's. This module records every binding of every scope
once, and answers "is this use an import, and of what?".

Simplifications, chosen so that an unknown case falls back to the import rather than hiding it:
- A use inside a nested function sees the scope's bindings as they are when the module has run
  (all of them, the last one wins), not as they are at its line.
- A binding in an `except` handler is a fallback (`try: import x` / `except ImportError: x = None`):
  it does not hide an earlier binding.
"""
from __future__ import annotations

import ast
from collections import namedtuple

TYPE_CHECKING = False  # typing stays off the start-up path
if TYPE_CHECKING:
    from typing import Callable, Iterable, Iterator

_SCOPES = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
           ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


class Binding(namedtuple("Binding", "position target fallback")):
    """Where a name becomes bound (`position`, (line, column)), the qualified name an import
    binds (`target`; None for any other binding), and whether it is inside an `except` handler."""

    __slots__ = ()


BINDING_NODES = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Name, ast.arg,
                 ast.ExceptHandler, ast.MatchAs, ast.MatchStar, ast.Global, ast.Nonlocal)


class ScopeTable:
    """Every binding of the names in `wanted` (the names imports bind), in every scope.

    Built from the nodes that bind names (`binders`, from the context's index), not from a
    second walk of the tree: only bindings of imported names are placed in their scope."""

    def __init__(self, tree: ast.Module, parents: dict[ast.AST, ast.AST], binders: Iterable[ast.AST], wanted: set[str]):
        self.parents = parents
        self.bindings: dict[ast.AST, dict[str, list[Binding]]] = {}
        self.globals: dict[ast.AST, set[str]] = {}
        self.count: dict[str, int] = {}  # bindings of each wanted name in the whole file
        self.module = tree
        for node in binders:
            quick = getattr(node, "id", None) or getattr(node, "arg", None) or getattr(node, "name", None)
            if isinstance(quick, str) and quick not in wanted and not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue  # the bulk of the nodes (names, parameters, defs): a cheap test first
            if isinstance(node, (ast.Global, ast.Nonlocal)):
                if wanted.intersection(node.names):
                    self.globals.setdefault(self._scope_of(node), set()).update(node.names)
                continue
            found = [b for b in _bindings_of(node) if b[0] in wanted]
            if not found:
                continue
            scope = self._scope_of(node)
            fallback = isinstance(node, ast.ExceptHandler) or self._in_except(node, scope)
            for name, position, target in found:
                if position == _NAME_STORE:
                    position = _bound_at(node, parents)  # type: ignore[arg-type]
                self.bindings.setdefault(scope, {}).setdefault(name, []).append(Binding(position, target, fallback))
                self.count[name] = self.count.get(name, 0) + 1
        for table in self.bindings.values():
            for found_bindings in table.values():
                found_bindings.sort(key=lambda b: b.position)

    def _scope_of(self, node: ast.AST) -> ast.AST:
        """The scope a binding by `node` belongs to: parameters and comprehension targets bind
        inside their function or comprehension; a `def` binds its name in the enclosing scope."""
        child, current = node, self.parents.get(node)
        while current is not None:
            if isinstance(current, _SCOPES) and (
                    _evaluated_inside(current, child) or isinstance(child, (ast.arguments, ast.comprehension))):
                return current
            child, current = current, self.parents.get(current)
        return self.module

    def _in_except(self, node: ast.AST, scope: ast.AST) -> bool:
        current = self.parents.get(node)
        while current is not None and current is not scope:
            if isinstance(current, ast.ExceptHandler):
                return True
            current = self.parents.get(current)
        return False

    def resolve(self, name: ast.Name, fallback: Callable[[str], str | None]) -> str | None:
        """The qualified name `name` refers to when an import binds it, else None.

        `fallback(id)` answers for a name the table cannot place (a node built by a detector,
        not part of the tree): the module's import table."""
        if name not in self.parents and name is not self.module:
            return fallback(name.id)
        use = (getattr(name, "lineno", 0), getattr(name, "col_offset", 0))
        innermost = True
        for scope in self._enclosing_scopes(name):
            if isinstance(scope, ast.ClassDef) and not innermost:
                continue  # a class body is not visible from its methods
            if name.id in self.globals.get(scope, ()):
                scope_bindings = self.bindings.get(self.module, {}).get(name.id)
                return _pick(scope_bindings, None) if scope_bindings else None
            found = self.bindings.get(scope, {}).get(name.id)
            if found:
                picked = _pick(found, use if innermost else None)
                if picked is not _UNBOUND_BEFORE:
                    return picked  # type: ignore[return-value]
            innermost = False
        return None

    def _enclosing_scopes(self, node: ast.AST) -> Iterator[ast.AST]:
        child, current = node, self.parents.get(node)
        while current is not None:
            if isinstance(current, _SCOPES) and _evaluated_inside(current, child):
                yield current
            child, current = current, self.parents.get(current)


_UNBOUND_BEFORE = object()


def _pick(found: list[Binding], use: tuple[int, int] | None) -> object:
    """The binding that reaches a use at `use` (None: a later call, after the module ran)."""
    candidates = [b for b in found if use is None or b.position < use]
    if not candidates:
        return _UNBOUND_BEFORE  # used before any binding here: look further out
    for index in range(len(candidates) - 1, -1, -1):
        binding = candidates[index]
        if binding.fallback and index > 0:
            continue
        return binding.target
    return candidates[0].target


def _evaluated_inside(scope: ast.AST, child: ast.AST) -> bool:
    """Decorators, defaults, annotations and base classes are evaluated in the enclosing scope;
    so is the first iterable of a comprehension."""
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return child in scope.body
    if isinstance(scope, ast.Lambda):
        return child is scope.body
    return True  # a comprehension: its first iterable is read outside, a nuance not modelled


def _end(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "end_lineno", 0) or 0, getattr(node, "end_col_offset", 0) or 0


def _start(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


def _bindings_of(node: ast.AST) -> Iterator[tuple[str, tuple[int, int], str | None]]:
    """(name, where it takes effect, the qualified name an import binds or None) for each name
    `node` binds in its scope."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                yield alias.asname, _start(node), alias.name
            else:  # `import a.b` binds `a`
                top = alias.name.split(".")[0]
                yield top, _start(node), top
    elif isinstance(node, ast.ImportFrom):
        for alias in node.names:
            if alias.name == "*":
                continue
            # a relative import (`from .models import x`) is the project's own module: not a library
            target = f"{node.module}.{alias.name}" if node.module and not node.level else None
            yield alias.asname or alias.name, _start(node), target
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name, _start(node), None
    elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
        yield node.id, _NAME_STORE, None
    elif isinstance(node, ast.arg):
        yield node.arg, (0, 0), None  # a parameter is bound before the body runs
    elif isinstance(node, ast.ExceptHandler) and node.name:
        yield node.name, _start(node), None
    elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
        yield node.name, _start(node), None


_NAME_STORE = (-1, -1)


def _bound_at(target: ast.Name, parents: dict[ast.AST, ast.AST]) -> tuple[int, int]:
    """An assignment binds once its value is computed (`x = f(x)` reads the old `x`): the end of
    the statement, of a `for` loop's iterable, of a `with` item's expression."""
    child, current = target, parents.get(target)
    while current is not None:
        if isinstance(current, (ast.For, ast.AsyncFor, ast.comprehension)) and child is current.target:
            return _end(current.iter)
        if isinstance(current, ast.withitem):
            return _end(current.context_expr)
        if isinstance(current, (ast.stmt, ast.NamedExpr)):
            return _end(current)
        child, current = current, parents.get(current)
    return _end(target)
