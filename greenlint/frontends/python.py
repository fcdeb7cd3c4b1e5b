"""Python frontend: one `ast` parse per file, an import table, literal resolution.

Detectors never see raw names: `ctx.qualname(node)` resolves `GS` in
`from sklearn.model_selection import GridSearchCV as GS` to
`sklearn.model_selection.GridSearchCV`, and folds library aliases (`tf.keras` -> `keras`,
`lightning.pytorch` -> `pytorch_lightning`) so one spelling covers them all.
"""
from __future__ import annotations

import ast
import functools
from functools import cached_property
from typing import Any, Iterable, Iterator

from ..finding import Edit, Fix, Severity
from .base import BaseContext, LintRequest
from .scopes import BINDING_NODES, ScopeTable

# Prefixes that name the same API; the longest match wins.
CANONICAL_PREFIXES = {
    "tensorflow.keras": "keras",
    "tensorflow.python.keras": "keras",
    "tf_keras": "keras",
    "keras.src": "keras",
    "lightning.pytorch": "pytorch_lightning",
    "lightning": "pytorch_lightning",
    "lightning.fabric": "lightning_fabric",
    "sklearn.model_selection._search": "sklearn.model_selection",
    "sklearn.model_selection._search_successive_halving": "sklearn.model_selection",
    "xgboost.sklearn": "xgboost",
    "xgboost.training": "xgboost",
    "lightgbm.sklearn": "lightgbm",
    "lightgbm.engine": "lightgbm",
    "lightgbm.callback": "lightgbm",
    "catboost.core": "catboost",
}
_PREFIXES_BY_LENGTH = sorted(CANONICAL_PREFIXES, key=len, reverse=True)


class Unknown:
    """A value the code does not make knowable statically."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN = Unknown()


@functools.lru_cache(maxsize=8192)
def canonical(name: str) -> str:
    for prefix in _PREFIXES_BY_LENGTH:
        if name == prefix or name.startswith(prefix + "."):
            return CANONICAL_PREFIXES[prefix] + name[len(prefix):]
    return name


def parse(text: str, allow_top_level_await: bool = False) -> ast.Module:
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if allow_top_level_await else 0
    return compile(text, "<greenlint>", "exec", flags=ast.PyCF_ONLY_AST | flags, dont_inherit=True)


def dotted(node: ast.AST) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None (calls, subscripts)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def call_name(call: ast.Call) -> str:
    """The last part of a call's callee: `fit` for `model.fit(...)`, `GridSearchCV` for `ms.GridSearchCV(...)`."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def kwarg(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def arg(call: ast.Call, position: int, name: str | None = None) -> ast.expr | None:
    """The argument given at `position` or by keyword `name`."""
    if name is not None:
        found = kwarg(call, name)
        if found is not None:
            return found
    if position is not None and 0 <= position < len(call.args):
        candidate = call.args[position]
        if not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
            return candidate
    return None


def has_star_kwargs(call: ast.Call) -> bool:
    return any(k.arg is None for k in call.keywords)


class ImportTable:
    """Local name -> fully qualified dotted name, from every import in the module."""

    def __init__(self, tree: ast.Module, imports: Iterable[ast.AST] | None = None):
        self.names: dict[str, str] = {}
        self.modules: set[str] = set()  # every module imported anywhere, canonical
        self._uses: dict[tuple[str, ...], bool] = {}
        for node in ast.walk(tree) if imports is None else imports:
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


class PythonContext(BaseContext):
    def __init__(self, request: LintRequest, text: str, tree: ast.Module):
        super().__init__(request, text)
        self.tree = tree
        self.shell_lines: list[tuple[int, int, str]] = []  # notebook shell commands: (line, 0-based column, text)
        self._nodes, self.parents, self._by_type = _index(tree)
        self.imports = ImportTable(tree, self.nodes_of(ast.Import, ast.ImportFrom))
        self._qualnames: dict[int, str | None] = {}  # by id(node): the tree outlives every lookup

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
        binders = [n for t in BINDING_NODES for n in self._by_type.get(t, ())]  # unsorted: the table sorts
        return ScopeTable(self.tree, self.parents, binders, set(self.imports.names))

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
    @cached_property
    def module_constants(self) -> dict[str, ast.expr]:
        """Module-level names bound exactly once, by a top-level statement (`EPOCHS = 100`).

        A name also bound in a nested block (`if`, `with`, `for`), by `global` in a function, or
        as a loop target is not a constant."""
        top: dict[str, ast.expr] = {}
        for stmt in self.tree.body:
            for target, value in _assignments(stmt):
                top[target] = value
        everywhere = _scope_assignments(self.tree)
        rebound = {name for node in self.nodes_of(ast.Global) for name in node.names}  # type: ignore[attr-defined]
        return {name: value for name, value in top.items()
                if len(everywhere.get(name, ())) == 1 and name not in rebound}

    def local_assignments(self, scope: ast.AST) -> dict[str, list[ast.expr]]:
        """Every value assigned to each plain name directly in `scope` (function or module)."""
        return _scope_assignments(scope)

    @cached_property
    def argparse_defaults(self) -> dict[str, ast.expr]:
        """`dest -> default expression` for every `add_argument("--x", default=...)` in the file."""
        defaults: dict[str, ast.expr] = {}
        for call in self.calls:
            if call_name(call) != "add_argument" or not call.args:
                continue
            default = kwarg(call, "default")
            dest_node = kwarg(call, "dest")
            if dest_node is not None and isinstance(dest_node, ast.Constant) and isinstance(dest_node.value, str):
                dest = dest_node.value
            else:
                flags = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                longs = [f for f in flags if f.startswith("--")] or flags
                if not longs:
                    continue
                dest = longs[0].lstrip("-").replace("-", "_")
            if default is not None:
                defaults[dest] = default
        return defaults

    @cached_property
    def parsed_args_names(self) -> set[str]:
        """Names bound to `parser.parse_args()` / `parse_known_args()[0]` results, directly or
        through a helper of this file that returns them (`args, args_text = _parse_args()` in
        timm's train.py, `args = get_args()`)."""
        parsers = {"parse_args", "parse_known_args"}
        for name, func in self.functions.items():
            if any(isinstance(c, ast.Call) and call_name(c) in ("parse_args", "parse_known_args")
                   for c in ast.walk(func)):
                parsers.add(name)
        names: set[str] = set()
        for node in self.nodes_of(ast.Assign):
            value = node.value
            if isinstance(value, ast.Subscript):
                value = value.value
            if isinstance(value, ast.Call) and call_name(value) in parsers:
                for target in node.targets:  # type: ignore[attr-defined]
                    first = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target
                    if isinstance(first, ast.Name):
                        names.add(first.id)
        # `main(args)` into `def main(opts)`, or `main(parser.parse_args())`: the parameter holds
        # the namespace too (a few rounds follow it through helpers of helpers).
        for _ in range(3):
            received = {param for function in self.functions.values() for site in self.call_sites(function)
                        for param, value in _arguments(site, function)
                        if (isinstance(value, ast.Name) and value.id in names)
                        or (isinstance(value, ast.Call) and call_name(value) in parsers)}
            if received <= names:
                break
            names |= received
        return names

    def call_sites(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.Call]:
        """The calls of this file to a module-level or nested function by its plain name."""
        sites = self._memo.get("call_sites")
        if sites is None:
            sites = self._memo["call_sites"] = {}
            for call in self.calls:
                if isinstance(call.func, ast.Name):
                    sites.setdefault(call.func.id, []).append(call)
        return sites.get(function.name, []) if self.functions.get(function.name) is function else []

    def candidates(self, node: ast.AST | None, scope: ast.AST | None = None) -> list[Any]:
        """Every value `node` may have: for a parameter of a function this file calls, one per
        call site (the default where a call leaves it out); otherwise `[literal(node)]`. Rules
        decide how to use several (all agree, the largest, any)."""
        if isinstance(node, ast.Name):
            function = scope if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) else self.enclosing_function(node)
            if function is not None and node.id not in _scope_assignments(function):
                default = _parameter_default(function, node.id)
                if default is not _NO_PARAM:
                    return self._parameter_values(function, node.id, default, 0)
        return [self.literal(node, scope)]

    def _parameter_values(self, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str,
                          default: ast.expr | None, depth: int) -> list[Any]:
        sites = self.call_sites(function)
        if not sites or depth > 6:
            return [self.literal(default, None, depth + 1) if default is not None else UNKNOWN]
        values = []
        for site in sites:
            given = dict(_arguments(site, function)).get(name, _NO_PARAM)
            if given is _NO_PARAM:  # left out: the default, unless a * or ** argument may carry it
                opaque = any(isinstance(a, ast.Starred) for a in site.args) or has_star_kwargs(site)
                values.append(UNKNOWN if opaque or default is None else self.literal(default, None, depth + 1))
            else:
                values.append(self.literal(given, None, depth + 1))
        return values

    def literal(self, node: ast.AST | None, scope: ast.AST | None = None, _depth: int = 0) -> Any:
        """The value of `node` when the code makes it knowable, else UNKNOWN.

        Follows literals, module-level constants, names assigned once in the enclosing
        function, that function's parameter defaults, argparse defaults (`args.epochs`), and the
        field defaults of config dataclasses (`cfg.epochs` with `cfg = TrainConfig()`).
        """
        if node is None or _depth > 8:
            return UNKNOWN
        try:
            return ast.literal_eval(node)  # type: ignore[arg-type]
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            pass
        if isinstance(node, ast.Name):
            return self._resolve_name(node, scope, _depth)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in self.parsed_args_names and node.attr in self.argparse_defaults:
                return self.literal(self.argparse_defaults[node.attr], None, _depth + 1)
            value = self._config_field(node, scope, _depth)
            if value is UNKNOWN and (node.value.id in self.imports.names or node.value.id in self._relative_imports):
                from .project import attribute_value

                value = attribute_value(self, node.value.id, node.attr, _depth + 1)
            return value
        if isinstance(node, ast.BinOp):
            left = self.literal(node.left, scope, _depth + 1)
            right = self.literal(node.right, scope, _depth + 1)
            if isinstance(left, (int, float)) and isinstance(right, (int, float)):
                ops = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b}
                op = ops.get(type(node.op))
                if op is not None:
                    return op(left, right)
            return UNKNOWN
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            values = [self.literal(e, scope, _depth + 1) for e in node.elts]
            if any(v is UNKNOWN for v in values):
                return UNKNOWN
            return tuple(values) if isinstance(node, ast.Tuple) else values
        if isinstance(node, ast.Dict):
            result = {}
            for k, v in zip(node.keys, node.values):
                if k is None:
                    return UNKNOWN
                key, value = self.literal(k, scope, _depth + 1), self.literal(v, scope, _depth + 1)
                if key is UNKNOWN or value is UNKNOWN:
                    return UNKNOWN
                result[key] = value
            return result
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("list", "range"):
            if node.func.id == "range":
                values = [self.literal(a, scope, _depth + 1) for a in node.args]
                if values and all(isinstance(v, int) for v in values) and len(values) <= 3:
                    r = range(*values)
                    return list(r) if len(r) <= 100_000 else UNKNOWN
            return UNKNOWN
        return UNKNOWN

    def _resolve_name(self, node: ast.Name, scope: ast.AST | None, depth: int) -> Any:
        function = scope if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) else self.enclosing_function(node)
        if function is not None:
            assigned = _scope_assignments(function).get(node.id)
            if assigned is not None:
                value = assigned[0] if len(assigned) == 1 else self.reaching_assignment(node, function)
                return self.literal(value, function, depth + 1) if value is not None else UNKNOWN
            default = _parameter_default(function, node.id)
            if default is not _NO_PARAM:  # a parameter: the value every call site agrees on
                values = self._parameter_values(function, node.id, default, depth)
                return values[0] if all(v == values[0] and v is not UNKNOWN for v in values) else UNKNOWN
        value = self.module_constants.get(node.id)
        if value is not None:
            return self.literal(value, None, depth + 1)
        if node.id in _scope_assignments(self.tree):  # rebound in the module: only straight-line code knows
            value = self.reaching_assignment(node, self.tree) if function is None else None
            return self.literal(value, None, depth + 1) if value is not None else UNKNOWN
        return self.project_value(node.id, depth + 1)

    def reaching_assignment(self, node: ast.Name, scope: ast.AST) -> ast.expr | None:
        """The value of the assignment to `node`'s name that reaches it in `scope` (a notebook that
        sets `epochs` in one cell and again in a later one; an assignment earlier in the same
        `with`, `if` or `if __name__ == "__main__":` block), or None when there is none or more
        than one could: a binding under a branch or a `try`, or one later in a loop's body."""
        line = getattr(node, "lineno", None)
        return None if line is None else _reaching(getattr(scope, "body", []), node.id, line, None)

    def project_value(self, name: str, depth: int = 0) -> Any:
        """`name` imported from another module of the project (`from settings import EPOCHS`)."""
        from .project import imported_value

        return imported_value(self, name, depth)

    @cached_property
    def _relative_imports(self) -> set[str]:
        return {alias.asname or alias.name for node in self.nodes_of(ast.ImportFrom) if node.level  # type: ignore[attr-defined]
                for alias in node.names}  # type: ignore[attr-defined]

    @cached_property
    def config_classes(self) -> dict[str, dict[str, ast.expr]]:
        """Config classes of this file (dataclasses, pydantic models, classes of annotated
        fields): class name -> field -> default expression (`epochs: int = 100`,
        `field(default=100)`; a `default_factory` is not knowable)."""
        classes: dict[str, dict[str, ast.expr]] = {}
        for cls in self.nodes_of(ast.ClassDef):
            fields: dict[str, ast.expr] = {}
            for stmt in cls.body:  # type: ignore[attr-defined]
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                    value: ast.expr | None = stmt.value
                    if isinstance(value, ast.Call) and call_name(value) in ("field", "Field"):
                        value = kwarg(value, "default") or (value.args[0] if call_name(value) == "Field" and value.args else None)
                    if value is not None:
                        fields[stmt.target.id] = value
            if fields:
                classes[cls.name] = fields  # type: ignore[attr-defined]
        return classes

    @cached_property
    def parsed_dataclass_names(self) -> dict[str, str]:
        """Names bound by `HfArgumentParser((A, B)).parse_args_into_dataclasses()` -> class name:
        command-line dataclasses, whose field defaults count like argparse defaults."""
        parsers: dict[str, list[str]] = {}
        for node in self.nodes_of(ast.Assign):
            value = node.value  # type: ignore[attr-defined]
            if isinstance(value, ast.Call) and call_name(value) == "HfArgumentParser" and value.args:
                spec = value.args[0]
                names = [dotted(e) or "" for e in spec.elts] if isinstance(spec, (ast.Tuple, ast.List)) else [dotted(spec) or ""]
                for target in node.targets:  # type: ignore[attr-defined]
                    if isinstance(target, ast.Name):
                        parsers[target.id] = names
        bound: dict[str, str] = {}
        for node in self.nodes_of(ast.Assign):
            value, index = node.value, None  # type: ignore[attr-defined]
            if isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Constant):
                value, index = value.value, value.slice.value
            if not (isinstance(value, ast.Call) and call_name(value) == "parse_args_into_dataclasses"
                    and isinstance(value.func, ast.Attribute) and isinstance(value.func.value, ast.Name)):
                continue
            classes = parsers.get(value.func.value.id, [])
            for target in node.targets:  # type: ignore[attr-defined]
                if isinstance(target, ast.Tuple):
                    for i, elt in enumerate(target.elts):
                        if isinstance(elt, ast.Name) and i < len(classes):
                            bound[elt.id] = classes[i]
                elif isinstance(target, ast.Name) and isinstance(index, int) and index < len(classes):
                    bound[target.id] = classes[index]
        return bound

    def _config_field(self, node: ast.Attribute, scope: ast.AST | None, depth: int) -> Any:
        """`cfg.epochs` where `cfg = TrainConfig()` (or the class itself, or a command-line
        dataclass) and the class of this file declares `epochs: int = 100`."""
        owner = node.value.id  # type: ignore[attr-defined]
        if any(isinstance(n, ast.Attribute) and n.attr == node.attr and isinstance(n.ctx, ast.Store)
               and isinstance(n.value, ast.Name) and n.value.id == owner for n in self.nodes_of(ast.Attribute)):
            return UNKNOWN  # the field is set somewhere: not its default
        cls_name, call = self.parsed_dataclass_names.get(owner), None
        if cls_name is None:
            if owner in self.config_classes:
                cls_name = owner
            else:
                function = scope if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) else self.enclosing_function(node)
                bound = _scope_assignments(function).get(owner) if function is not None else None
                values = bound if bound is not None else [self.module_constants[owner]] if owner in self.module_constants else []
                if len(values) != 1 or not isinstance(values[0], ast.Call):
                    return UNKNOWN
                call = values[0]
                cls_name = dotted(call.func)
        fields = self.config_classes.get(cls_name or "")
        if not fields or node.attr not in fields:
            return UNKNOWN
        if call is not None:
            if call.args or has_star_kwargs(call):
                return UNKNOWN  # a positional or forwarded argument may set it
            given = kwarg(call, node.attr)
            if given is not None:
                return self.literal(given, scope, depth + 1)
        return self.literal(fields[node.attr], None, depth + 1)

    def int_value(self, node: ast.AST | None, scope: ast.AST | None = None) -> int | None:
        value = self.literal(node, scope)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

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
        """Report at the start of `node` (for a call, pass `call.func` to point at the callee)."""
        line, end_line = node.lineno, node.end_lineno or node.lineno  # type: ignore[attr-defined]
        column = self.char_column(line, node.col_offset)  # type: ignore[attr-defined]
        end_column = self.char_column(end_line, node.end_col_offset or node.col_offset)  # type: ignore[attr-defined]
        self.report_at(code, line, column, end_line, end_column, message, impact, severity, fix)


_NO_PARAM = object()


def _position(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


_SHARED_FIELDS = frozenset({"ctx", "op", "ops"})  # hold the parser's shared context/operator singletons


def _index(tree: ast.AST) -> tuple[list[ast.AST], dict[ast.AST, ast.AST], dict[type, list[ast.AST]]]:
    """One breadth-first pass (the order of `ast.walk`): all nodes, each node's parent, nodes by type.

    Expression contexts and operators (`Load`, `Store`, `Add`, `Eq`, ...) are left out: the
    parser shares one instance of each among all nodes, so they have no parent of their own, and
    they are a third of a tree's nodes. Detectors read them as attributes (`name.ctx`, `binop.op`)."""
    from collections import deque

    nodes: list[ast.AST] = []
    parents: dict[ast.AST, ast.AST] = {}
    by_type: dict[type, list[ast.AST]] = {}
    queue = deque([tree])
    AST = ast.AST
    fields_of: dict[type, tuple[str, ...]] = {}
    while queue:
        node = queue.popleft()
        nodes.append(node)
        kind = type(node)
        by_type.setdefault(kind, []).append(node)
        fields = fields_of.get(kind)
        if fields is None:
            fields = fields_of[kind] = tuple(f for f in kind._fields if f not in _SHARED_FIELDS)
        for name in fields:
            value = getattr(node, name, None)
            if isinstance(value, AST):
                parents[value] = node
                queue.append(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, AST):
                        parents[item] = node
                        queue.append(item)
    return nodes, parents, by_type


def _reaching(body: list[ast.stmt], name: str, line: int, last: ast.expr | None) -> ast.expr | None:
    """Straight-line reaching definition: `last` is the value bound before `body` runs."""
    for stmt in body:
        if stmt.end_lineno is not None and stmt.end_lineno >= line:  # the statement holding the use
            return _reaching_inside(stmt, name, line, last)
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                and stmt.targets[0].id == name:
            last = stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == name:
            last = stmt.value if stmt.value is not None else last
        elif _binds_name(stmt, name):
            last = None  # bound in a block, by unpacking, an augmented assignment, an import or a def
    return last


def _blocks(stmt: ast.stmt) -> list[list[ast.stmt]]:
    blocks = [getattr(stmt, f) for f in ("body", "orelse", "finalbody") if getattr(stmt, f, None)]
    blocks += [h.body for h in getattr(stmt, "handlers", ())] + [c.body for c in getattr(stmt, "cases", ())]
    return blocks


def _reaching_inside(stmt: ast.stmt, name: str, line: int, last: ast.expr | None) -> ast.expr | None:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return None  # another scope: its caller decides
    block = next((b for b in _blocks(stmt) if b[0].lineno <= line <= (b[-1].end_lineno or line)), None)
    if block is None:  # the use is in the statement itself, or a compound statement's header
        loops_back = isinstance(stmt, ast.While) and _binds_name(stmt, name)
        rebinds_first = not _blocks(stmt) and stmt.lineno < line and _binds_name(stmt, name)
        return None if loops_back or rebinds_first else last
    if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)) and _binds_name(stmt, name):
        last = None  # an earlier iteration (or the loop target) may have rebound it
    elif isinstance(stmt, (ast.With, ast.AsyncWith)) and any(
            item.optional_vars is not None and _binds_name(ast.Expr(item.optional_vars), name) for item in stmt.items):
        last = None
    elif isinstance(stmt, (ast.Try, getattr(ast, "TryStar", ast.Try))) and block is not stmt.body and (
            any(_binds_name(s, name) for s in stmt.body) or any(h.name == name for h in stmt.handlers)):
        last = None  # how much of the `try` body ran is not known
    elif isinstance(stmt, ast.Match) and any(_binds_name(c.pattern, name) for c in stmt.cases):  # type: ignore[arg-type]
        last = None
    return _reaching(block, name, line, last)


def _binds_name(stmt: ast.AST, name: str) -> bool:
    for sub in ast.walk(stmt):
        if isinstance(sub, ast.Name) and sub.id == name and isinstance(sub.ctx, (ast.Store, ast.Del)):
            return True
        if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and sub.name == name:
            return True
        # `except E as name`, `case {"k": name}`, `case [*name]`, `case {**name}`
        if isinstance(sub, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and sub.name == name:
            return True
        if isinstance(sub, ast.MatchMapping) and sub.rest == name:
            return True
        if isinstance(sub, (ast.Import, ast.ImportFrom)) and any(
                (a.asname or a.name.split(".")[0]) == name for a in sub.names):
            return True
    return False


def _arguments(call: ast.Call, function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[str, ast.expr]]:
    """(parameter, argument) pairs a call passes to `function`, up to the first `*args`."""
    positional = [p.arg for p in function.args.posonlyargs + function.args.args]
    pairs = []
    for index, argument in enumerate(call.args):
        if isinstance(argument, ast.Starred) or index >= len(positional):
            break
        pairs.append((positional[index], argument))
    pairs += [(k.arg, k.value) for k in call.keywords if k.arg is not None]
    return pairs


def _parameter_default(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> Any:
    """The default expression of parameter `name` (None if it has none), or _NO_PARAM."""
    args = function.args
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for param, default in zip(positional, defaults):
        if param.arg == name:
            return default
    for param, default in zip(args.kwonlyargs, args.kw_defaults):
        if param.arg == name:
            return default
    if (args.vararg and args.vararg.arg == name) or (args.kwarg and args.kwarg.arg == name):
        return None
    return _NO_PARAM


def _assignments(stmt: ast.stmt) -> Iterator[tuple[str, ast.expr]]:
    if isinstance(stmt, ast.Assign):
        for target in stmt.targets:
            if isinstance(target, ast.Name):
                yield target.id, stmt.value
            elif isinstance(target, (ast.Tuple, ast.List)):
                values = stmt.value.elts if isinstance(stmt.value, (ast.Tuple, ast.List)) else None
                for i, elt in enumerate(target.elts):
                    if isinstance(elt, ast.Name):
                        if values is not None and len(values) == len(target.elts):
                            yield elt.id, values[i]
                        else:  # unpacked from something opaque: record as unknowable
                            # a stand-in placed where the name is bound: analyses that compare positions still can
                            yield elt.id, ast.copy_location(ast.Name(id="__greenlint_unknown__", ctx=ast.Load()), elt)
    elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
        yield stmt.target.id, stmt.value
    elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
        yield stmt.target.id, stmt  # type: ignore[misc]  # rebinding: makes the name non-constant


def _scope_assignments(scope: ast.AST) -> dict[str, list[ast.expr]]:
    cached = getattr(scope, "_greenlint_assignments", None)
    if cached is not None:
        return cached
    found: dict[str, list[ast.expr]] = {}
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue  # their names live in their own scope
        if isinstance(node, ast.stmt):
            for name, value in _assignments(node):
                found.setdefault(name, []).append(value)
        if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            for name_node in ast.walk(node.target):
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
            found.setdefault(captured, []).append(ast.copy_location(ast.Name(id="__greenlint_unknown__", ctx=ast.Load()), node))
        stack.extend(ast.iter_child_nodes(node))
    scope._greenlint_assignments = found  # type: ignore[attr-defined]  # memo on the node: lives as long as the tree
    return found
