"""Python frontend: one `ast` parse per file, an index, an import table with shadowing, and the
value model (values.py) every rule asks.

Detectors never see raw names: `ctx.qualname(node)` resolves `GS` in
`from sklearn.model_selection import GridSearchCV as GS` to
`sklearn.model_selection.GridSearchCV`, and folds library aliases (`tf.keras` -> `keras`,
`lightning.pytorch` -> `pytorch_lightning`) so one spelling covers them all.
"""
from __future__ import annotations

import ast
from functools import cached_property
from typing import Any, Iterable, Iterator

from ..finding import Edit, Fix, Severity
from ..checks.context import BaseContext, LintRequest
from .pyast import (  # noqa: F401  (re-exported: detectors import them from here)
    CANONICAL_PREFIXES, UNKNOWN, Unknown, arg, call_name, canonical, dotted, has_star_kwargs, kwarg, parameter_defaults,
    parse,
)
from .conditions import ConditionModel
from .scopes import BINDING_NODES, ScopeTable
from .options import OptionModel
from .values import _NO_PARAM, ValueModel
from .well_known import WELL_KNOWN
from .pyast import walk


class ImportTable:
    """Local name -> fully qualified dotted name, from every import in the module."""

    def __init__(self, tree: ast.Module, imports: Iterable[ast.AST] | None = None):
        self.names: dict[str, str] = {}
        self.modules: set[str] = set()  # every module imported anywhere, canonical
        self._uses: dict[tuple[str, ...], bool] = {}
        for node in walk(tree) if imports is None else imports:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self.modules.add(canonical(alias.name))
                    if alias.asname:
                        self.names[alias.asname] = alias.name
                    else:  # `import a.b` binds `a`
                        top = alias.name.split(".")[0]
                        self.names.setdefault(top, top)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                self.modules.add(canonical(node.module))
                for alias in node.names:
                    if alias.name != "*":
                        self.names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                        self.modules.add(canonical(f"{node.module}.{alias.name}"))

    def assume(self, names: dict[str, str]) -> None:
        """Names the file uses but binds nowhere, taken as imports of their libraries."""
        for name, qualified in names.items():
            self.names[name] = qualified
            self.modules.add(canonical(qualified))
        self._uses.clear()

    def alias(self, names: dict[str, str]) -> None:
        """Names the module binds once to an imported module or attribute (`K = keras.callbacks`)."""
        for name, qualified in names.items():
            self.names.setdefault(name, qualified)

    def resolve(self, name: str) -> str | None:
        head, _, rest = name.partition(".")
        base = self.names.get(head)
        if base is None:
            return None
        return canonical(f"{base}.{rest}" if rest else base)

    def uses(self, *prefixes: str) -> bool:
        """True when any module imported starts with one of `prefixes` (canonical names)."""
        known = self._uses.get(prefixes)
        if known is None:
            known = self._uses[prefixes] = any(
                m == p or m.startswith(p + ".") for m in self.modules for p in prefixes)
        return known


class PythonContext(ValueModel, OptionModel, ConditionModel, BaseContext):
    def __init__(self, request: LintRequest, text: str, tree: ast.Module):
        super().__init__(request, text)
        self.tree = tree
        self.shell_lines: list[tuple[int, int, str]] = []  # notebook shell commands: (line, 0-based column, text)
        self.unparsed = ""  # the source, when part of it did not parse (a GL000): code the tree does not hold
        self._nodes, self.parents, self._by_type = _index(tree)
        self.imports = ImportTable(tree, self.nodes_of(ast.Import, ast.ImportFrom))
        self.imports.assume(self._unbound_library_names())
        self.imports.alias(self._module_aliases(tree))
        self._qualnames: dict[int, str | None] = {}  # by id(node): the tree outlives every lookup

    def _unbound_library_names(self) -> dict[str, str]:
        """The well-known library names the file uses without binding them (see well_known)."""
        used = {n.id for n in self._by_type.get(ast.Name, ()) if n.id in WELL_KNOWN and n.id not in self.imports.names}  # type: ignore[attr-defined]
        if not used:
            return {}
        bound = {n.id for n in self._by_type.get(ast.Name, ()) if not isinstance(n.ctx, ast.Load)}  # type: ignore[attr-defined]
        bound.update(a.arg for a in self._by_type.get(ast.arg, ()))  # type: ignore[attr-defined]
        bound.update(d.name for d in self.nodes_of(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))  # type: ignore[attr-defined]
        return {name: WELL_KNOWN[name] for name in used - bound}

    def _module_aliases(self, tree: ast.Module) -> dict[str, str]:
        """`K = keras.callbacks` at module level, the name bound nowhere else: `K.EarlyStopping`
        is `keras.callbacks.EarlyStopping`, as if imported `as K`."""
        found: dict[str, str] = {}
        for statement in tree.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                    and isinstance(statement.targets[0], ast.Name) and isinstance(statement.value, ast.Attribute):
                name, value = statement.targets[0].id, dotted(statement.value)
                if value and name not in self.imports.names and value.partition(".")[0] in self.imports.names:
                    found[name] = self.imports.resolve(value) or value
        if not found:
            return {}
        stores = [n.id for n in self._by_type.get(ast.Name, ()) if not isinstance(n.ctx, ast.Load)]  # type: ignore[attr-defined]
        stores += [a.arg for a in self._by_type.get(ast.arg, ())]  # type: ignore[attr-defined]
        stores += [d.name for d in self.nodes_of(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)]  # type: ignore[attr-defined]
        return {name: q for name, q in found.items() if stores.count(name) == 1}

    # ---- traversal: the tree is walked once; detectors ask the index ---------------------
    def walk(self) -> list[ast.AST]:
        """Every node of the module in `ast.walk` order, without walking it again."""
        return self._nodes

    def nodes_of(self, *types: type) -> list[ast.AST]:
        if len(types) == 1:
            return self._by_type.get(types[0], [])
        return sorted((n for t in types for n in self._by_type.get(t, [])), key=_position)

    # ---- names -------------------------------------------------------------------------
    def qualname(self, node: ast.AST) -> str | None:
        """Import-resolved, canonical dotted name of a Name/Attribute (or of a call's callee).

        A name rebound after its import (`import models` of the project after `from torchvision
        import models`, a `def` or an assignment of the same name, a parameter) no longer
        resolves to the import: see `scopes.ScopeTable`."""
        if isinstance(node, ast.Call):
            node = node.func
        known = self._qualnames.get(id(node), _NO_PARAM)
        if known is _NO_PARAM:  # detectors ask about the same callee many times
            known = self._qualnames[id(node)] = self._resolve_qualname(node)
        return known  # type: ignore[return-value]

    def _resolve_qualname(self, node: ast.AST) -> str | None:
        name = dotted(node)
        if not name:
            return None
        head, _, rest = name.partition(".")
        if head not in self.imports.names:
            return None
        if self.scopes.count.get(head, 0) <= 1:
            return self.imports.resolve(name)  # bound once: the import table knows it
        while isinstance(node, ast.Attribute):
            node = node.value
        base = self.scopes.resolve(node, self.imports.names.get)  # type: ignore[arg-type]
        if base is None:
            return None
        return canonical(f"{base}.{rest}" if rest else base)

    @cached_property
    def scopes(self) -> ScopeTable:
        wanted = set(self.imports.names)
        binders: list[ast.AST] = []  # unsorted: the table sorts
        for kind in BINDING_NODES:
            nodes = self._by_type.get(kind, ())
            # names and parameters, the bulk of the binders, only when they are of an imported name
            # (the table would skip the others one by one)
            if kind is ast.Name:
                nodes = [n for n in nodes if n.id in wanted]  # type: ignore[attr-defined]
            elif kind is ast.arg:
                nodes = [n for n in nodes if n.arg in wanted]  # type: ignore[attr-defined]
            binders += nodes
        return ScopeTable(self.tree, self.parents, binders, wanted)

    def is_call_to(self, call: ast.AST, *qualnames: str) -> bool:
        return isinstance(call, ast.Call) and self.qualname(call.func) in qualnames

    @property
    def calls(self) -> list[ast.Call]:
        return self._by_type.get(ast.Call, [])  # type: ignore[return-value]

    def calls_to(self, *qualnames: str) -> Iterator[ast.Call]:
        wanted = set(qualnames)
        for call in self.calls:
            if self.qualname(call.func) in wanted:
                yield call

    # ---- structure ---------------------------------------------------------------------
    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(node)

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        node = self.parents.get(node)
        while node is not None:
            yield node
            node = self.parents.get(node)

    def enclosing_function(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        for anc in self.ancestors(node):
            if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return anc
        return None

    def enclosing_class(self, node: ast.AST) -> ast.ClassDef | None:
        for anc in self.ancestors(node):
            if isinstance(anc, ast.ClassDef):
                return anc
        return None

    @cached_property
    def functions(self) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
        """Functions defined in the file by name (the last definition wins)."""
        return {n.name: n for n in self.nodes_of(ast.FunctionDef, ast.AsyncFunctionDef)}  # type: ignore[attr-defined]

    @cached_property
    def classes(self) -> dict[str, ast.ClassDef]:
        """Classes defined in the file by name (the last definition wins)."""
        return {n.name: n for n in self.nodes_of(ast.ClassDef)}  # type: ignore[attr-defined]

    @cached_property
    def has_main_block(self) -> bool:
        for node in self.tree.body:
            if isinstance(node, ast.If) and isinstance(node.test, ast.Compare):
                names = {dotted(node.test.left)} | {dotted(c) for c in node.test.comparators}
                consts = {c.value for c in node.test.comparators if isinstance(c, ast.Constant)}
                if "__name__" in names and "__main__" in consts | {
                    getattr(node.test.left, "value", None)
                }:
                    return True
        return False

    # ---- values ------------------------------------------------------------------------

    # ---- reporting ---------------------------------------------------------------------
    def char_column(self, line: int, byte_offset: int) -> int:
        """ast columns are UTF-8 byte offsets; findings count characters (1-based)."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if text.isascii():
            return byte_offset + 1
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "replace")) + 1

    # ---- fixes: exact text edits, 1-based character columns, end exclusive ------------------
    def edit_replace(self, node: ast.AST, text: str) -> Edit:
        line, end_line = node.lineno, node.end_lineno or node.lineno  # type: ignore[attr-defined]
        return Edit(line, self.char_column(line, node.col_offset),  # type: ignore[attr-defined]
                    end_line, self.char_column(end_line, node.end_col_offset), text)  # type: ignore[attr-defined]

    def edit_keyword(self, call: ast.Call, name: str, value: str) -> Edit:
        """Set keyword `name` of `call` to the source text `value`, adding it when absent."""
        existing = kwarg(call, name)
        if existing is not None:
            return self.edit_replace(existing, value)
        items = [*call.args, *call.keywords]
        if items:  # after the last argument, whatever follows it (a trailing comma, a comment)
            last = max(items, key=lambda n: (n.end_lineno, n.end_col_offset))  # type: ignore[attr-defined]
            line = last.end_lineno  # type: ignore[attr-defined]
            column = self.char_column(line, last.end_col_offset)  # type: ignore[attr-defined]
            return Edit(line, column, line, column, f", {name}={value}")
        line = call.end_lineno or call.lineno  # an empty call: just inside its closing parenthesis
        column = self.char_column(line, (call.end_col_offset or 1) - 1)
        return Edit(line, column, line, column, f"{name}={value}")

    def report(
        self,
        code: str,
        node: ast.AST,
        message: str,
        impact: dict[str, Any] | None = None,
        severity: Severity | None = None,
        fix: Fix | None = None,
    ) -> None:
        """Report at the start of `node` (for a call, pass `call.func` to point at the callee). A
        method whose receiver spans lines (`.toarray()` under a multi-line `vec.fit_transform(...)`)
        is pointed at by its own name, on the line it is written."""
        line, end_line = node.lineno, node.end_lineno or node.lineno  # type: ignore[attr-defined]
        column = self.char_column(line, node.col_offset)  # type: ignore[attr-defined]
        if isinstance(node, ast.Attribute) and end_line != line:
            line = end_line
            column = self.char_column(line, (node.end_col_offset or 0) - len(node.attr.encode()))
        end_column = self.char_column(end_line, node.end_col_offset or node.col_offset)  # type: ignore[attr-defined]
        self.report_at(code, line, column, end_line, end_column, message, impact, severity, fix)


def _position(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


# Fields that never hold a node: the parser's shared context/operator singletons, identifiers,
# flags and levels. Skipping them leaves Name, half of a tree's nodes, with no field to read.
_NO_NODE_FIELDS = frozenset({"ctx", "op", "ops", "id", "attr", "arg", "name", "asname", "module", "level",
                             "kind", "type_comment", "is_async", "conversion", "simple"})
# Per node type, the fields that may hold nodes; the exceptions to the rule above are seeded here.
_NODE_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: ()}  # a Constant's value is never a node
if hasattr(ast, "TypeAlias"):  # Python 3.12's `type X = ...`: the one node whose `name` is a node
    _NODE_FIELDS[ast.TypeAlias] = ("name", "type_params", "value")


def _index(tree: ast.AST) -> tuple[list[ast.AST], dict[ast.AST, ast.AST], dict[type, list[ast.AST]]]:
    """One breadth-first pass (the order of `ast.walk`): all nodes, each node's parent, nodes by type.

    Expression contexts and operators (`Load`, `Store`, `Add`, `Eq`, ...) are left out: the
    parser shares one instance of each among all nodes, so they have no parent of their own, and
    they are a third of a tree's nodes. Detectors read them as attributes (`name.ctx`, `binop.op`)."""
    nodes: list[ast.AST] = [tree]  # its own breadth-first queue: a list's iterator reads what is appended
    parents: dict[ast.AST, ast.AST] = {}
    by_type: dict[type, list[ast.AST]] = {}
    push = nodes.append
    AST = ast.AST
    fields_of = _NODE_FIELDS
    for node in nodes:
        kind = type(node)
        by_type.setdefault(kind, []).append(node)
        fields = fields_of.get(kind)
        if fields is None:
            fields = fields_of[kind] = tuple(f for f in kind._fields if f not in _NO_NODE_FIELDS)
        for name in fields:
            value = getattr(node, name, None)
            if isinstance(value, AST):
                parents[value] = node
                push(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, AST):
                        parents[item] = node
                        push(item)
    return nodes, parents, by_type
