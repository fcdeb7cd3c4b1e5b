"""What the code makes knowable about values, for every rule: literals and containers,
arithmetic on known values, module constants, the assignment that reaches a use (straight-line
code, notebook cell after cell, the block that holds the use), parameters through every call
site of the file, argparse defaults (also through a namespace passed on under another name),
config dataclass and `HfArgumentParser` field defaults, and constants imported from another
module of the project (`project.py`). Everything else is the single `UNKNOWN`.

`ValueModel` is mixed into `PythonContext`, beside `options.OptionModel` (command-line options);
it relies on the context's index (`nodes_of`, `calls`, `functions`, `enclosing_function`) and its
import table; fields of objects come from `object_fields.ObjectFieldModel`, the file's calls of its
own functions from `call_graph.CallGraphModel`. It also indexes, once
per file or scope, where a name is read (`reads_of`) and how the code changes a value in place
(`in_place_changes`), which rules ask instead of walking the tree again.
"""
from __future__ import annotations

import ast
from functools import cached_property
from typing import Any

from .arithmetic import ARITHMETIC, SEQUENCE_MAKERS, NumpyArray, arithmetic, broadcast
from .bindings import bindings, is_opaque, is_parameter, reaching, scope_assignments, statement_assignments
from .call_graph import CallGraphModel
from .object_fields import ObjectFieldModel, _agreed, _changed_in_place, _in_place_changes
from .parameters import NO_PARAM as _NO_PARAM
from .parameters import call_arguments
from .parameters import parameter_default as _parameter_default
from .parameters import sees_parameter as _sees_parameter
from .pyast import UNKNOWN, call_name, dotted, has_star_kwargs, kwarg
from .pyast import walk


class ValueModel(CallGraphModel, ObjectFieldModel):
    _deciding = False  # a branch condition is being read (`_decided`): another one decides nothing

    @cached_property
    def module_constants(self) -> dict[str, ast.expr]:
        """Module-level names bound exactly once, by a top-level statement (`EPOCHS = 100`).

        A name also bound in a nested block (`if`, `with`, `for`), by `global` in a function, or
        as a loop target is not a constant."""
        top: dict[str, ast.expr] = {}
        for stmt in self.tree.body:
            for target, value in statement_assignments(stmt):
                top[target] = value
        everywhere = scope_assignments(self.tree)
        rebound = {name for node in self.nodes_of(ast.Global) for name in node.names}  # type: ignore[attr-defined]
        return {name: value for name, value in top.items()
                if len(everywhere.get(name, ())) == 1 and name not in rebound}

    def local_assignments(self, scope: ast.AST) -> dict[str, list[ast.expr]]:
        """Every value assigned to each plain name directly in `scope` (function or module)."""
        return scope_assignments(scope)

    def candidates(self, node: ast.AST | None, scope: ast.AST | None = None) -> list[Any]:
        """Every value `node` may have: for a parameter of a function this file calls, one per
        call site (the default where a call leaves it out); otherwise `[literal(node)]`. Rules
        decide how to use several (all agree, the largest, any)."""
        if isinstance(node, ast.Name):
            function = scope if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) else self.enclosing_function(node)
            if function is not None:
                default = _parameter_default(function, node.id)
                if default is not _NO_PARAM and _sees_parameter(function, node):
                    return self._parameter_values(function, node.id, default, 0)
        return [self.literal(node, scope)]

    def kept_default(self, name: ast.Name) -> ast.Constant | None:
        """The literal default of the parameter `name` reads, where that default is its value (no
        call of the file gives the parameter another): a rule reports the value where it is written."""
        function = self.enclosing_function(name)
        default = _parameter_default(function, name.id) if function is not None else _NO_PARAM
        if not isinstance(default, ast.Constant) or self.literal(name) != default.value:
            return None
        return default

    def parameter_values(self, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> list[Any]:
        """The value parameter `name` of `function` takes at each call of this file (its default
        where a call leaves it out, or alone when nothing calls it); [] for no such parameter."""
        default = _parameter_default(function, name)
        return [] if default is _NO_PARAM else self._parameter_values(function, name, default, 0)

    def _parameter_values(self, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str,
                          default: ast.expr | None, depth: int) -> list[Any]:
        """The value `name` takes at each call of `function`: its calls by name or, for a class's
        `__init__`, the constructions of the class (`Pipeline(location=...)`, which pass no `self`).
        Computed once per parameter: arguments that are themselves parameters of other functions
        (modules built inside modules' `__init__`) would otherwise be re-read at every level."""
        if depth > 6:
            return [UNKNOWN]
        memo = self._memo.setdefault("parameter_values", {})
        key = (id(function), name)
        if key not in memo:
            memo[key] = [UNKNOWN]  # a parameter whose value depends on itself (recursion) is unknown
            memo[key] = self._call_site_values(function, name, default, depth)
        return memo[key]

    def _call_site_values(self, function: ast.FunctionDef | ast.AsyncFunctionDef, name: str,
                          default: ast.expr | None, depth: int) -> list[Any]:
        owner = self.parent(function)
        bound = function.name == "__init__" and isinstance(owner, ast.ClassDef)
        sites = self.constructions(owner) if bound else self.call_sites(function)  # type: ignore[arg-type]
        if not sites:
            return [self.literal(default, None, depth + 1) if default is not None else UNKNOWN]
        values = []
        for site in sites:
            given = dict(call_arguments(site, function, bound=bound)).get(name, _NO_PARAM)
            if given is _NO_PARAM:  # left out: the default, unless a * or ** argument may carry it
                opaque = any(isinstance(a, ast.Starred) for a in site.args) or has_star_kwargs(site)
                values.append(UNKNOWN if opaque or default is None else self.literal(default, None, depth + 1))
            else:
                values.append(self.literal(given, None, depth + 1))
        return values

    def literal(self, node: ast.AST | None, scope: ast.AST | None = None, _depth: int = 0) -> Any:
        """The value of `node` when the code makes it knowable, else UNKNOWN.

        Follows literals and containers (dict merges and `**` included; `cfg["epochs"]` and
        `cfg.get("epochs", 10)` of a dict the code spells out), arithmetic on known
        numbers, `range` / `np.arange` / `np.linspace` / `np.logspace` and `len` of what is known,
        names (see the module docstring), argparse defaults (`args.epochs`), config-class field
        defaults (`cfg.epochs` with `cfg = TrainConfig()`), project constants (`config.EPOCHS`) and
        the defaults of environment lookups (`os.getenv("EPOCHS", "50")`).
        """
        if node is None or _depth > 8:
            return UNKNOWN
        try:
            return ast.literal_eval(node)  # type: ignore[arg-type]
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            pass
        if isinstance(node, ast.Name):
            return self._resolve_name(node, scope, _depth)
        handler = _LITERAL_HANDLERS.get(type(node))
        return handler(self, node, scope, _depth + 1) if handler is not None else UNKNOWN

    def _attribute_value(self, node: ast.Attribute, scope: ast.AST | None, depth: int) -> Any:
        if isinstance(node.value, ast.Attribute):  # `self.args.epochs`: a field of what the class stores
            stored = self._stored_module_name(node.value)
            if stored is None:
                held = self._held_config(node)
                return self._config_field(*held, depth - 1) if held is not None else UNKNOWN
            node, scope = ast.copy_location(ast.Attribute(value=stored, attr=node.attr, ctx=ast.Load()), stored), None
        if not isinstance(node.value, ast.Name):
            return UNKNOWN
        if node.value.id in self.parsed_args_names and (node.attr in self.argparse_defaults
                                                         or node.attr in self._option_stores):
            return self._option_value(node, depth)
        value = self._config_field(node, scope, depth - 1)
        if value is UNKNOWN:
            value = self._namespace_field(node, depth)
        if value is UNKNOWN:
            value = self._instance_field(node, depth)
        if value is UNKNOWN:
            value = self._constructed_field(node, depth)
        if value is UNKNOWN and (node.value.id in self.imports.names or node.value.id in self._relative_imports):
            from .project import attribute_value

            value = attribute_value(self, node.value.id, node.attr, depth)
        return value

    def _subscript_value(self, node: ast.Subscript, scope: ast.AST | None, depth: int) -> Any:
        """`cfg["epochs"]` / `sizes[0]` of a dict or list the code spells out and does not change
        in place afterwards (`cfg["epochs"] = 5`, `cfg.update(...)` make it unknown)."""
        option = self.option_field(node)
        if option is not None:
            return self._option_value(option, depth)
        value, key = self._written_container(node.value, node.slice, node, scope, depth)
        try:
            return value[key] if isinstance(value, (dict, list, tuple)) else UNKNOWN
        except (KeyError, IndexError, TypeError):
            return UNKNOWN

    def _written_container(self, container: ast.expr, key_node: ast.expr, at: ast.AST, scope: ast.AST | None,
                           depth: int) -> tuple[Any, Any]:
        """(value, key) of `container[key]` or `container.get(key)`: the dict or list a name holds as
        the code spells it out, UNKNOWN when the code changes it in place afterwards
        (`cfg["epochs"] = 5`, `cfg.update(...)`) or the key is not known."""
        key = self.literal(key_node, scope, depth)
        if not isinstance(container, ast.Name) or key is UNKNOWN \
                or _changed_in_place(self, self.enclosing_function(at) or self.tree, container.id):
            return UNKNOWN, key
        return self.literal(container, scope, depth), key

    def written_element(self, node: ast.Subscript) -> ast.expr | None:
        """Where the element `regions[1]` reads is written: the item of the one list, tuple or dict
        the code spells out for the name and does not change in place, so that a rule reports a
        value where it is written (`regions = ["us-central1", "us-east5"]`: the second item)."""
        container = node.value
        values = self.bound_values(container) if isinstance(container, ast.Name) else []
        if len(values) != 1 or _changed_in_place(self, self.enclosing_function(node) or self.tree, container.id):  # type: ignore[attr-defined]
            return None
        key, spelled = self.literal(node.slice), values[0]
        if isinstance(spelled, (ast.List, ast.Tuple)) and isinstance(key, int) \
                and not any(isinstance(e, ast.Starred) for e in spelled.elts) and -len(spelled.elts) <= key < len(spelled.elts):
            return spelled.elts[key]
        if isinstance(spelled, ast.Dict) and key is not UNKNOWN:
            return next((v for k, v in zip(spelled.keys, spelled.values) if k is not None and self.literal(k) == key), None)
        return None

    def _binop_value(self, node: ast.BinOp, scope: ast.AST | None, depth: int) -> Any:
        left, right = self.literal(node.left, scope, depth), self.literal(node.right, scope, depth)
        if isinstance(node.op, ast.BitOr) and isinstance(left, dict) and isinstance(right, dict):
            return {**left, **right}  # `defaults | overrides`
        op = ARITHMETIC.get(type(node.op))
        if op is None:
            return UNKNOWN
        if isinstance(left, NumpyArray) or isinstance(right, NumpyArray):
            return broadcast(op, left, right)  # `10.0 ** np.arange(-2, 3)`: element-wise, as numpy does
        return arithmetic(op, left, right)

    def _sequence_value(self, node: ast.List | ast.Tuple | ast.Set, scope: ast.AST | None, depth: int) -> Any:
        values = [self.literal(e, scope, depth) for e in node.elts]
        if any(v is UNKNOWN for v in values):
            return UNKNOWN
        return tuple(values) if isinstance(node, ast.Tuple) else values

    def _dict_value(self, node: ast.Dict, scope: ast.AST | None, depth: int) -> Any:
        result: dict = {}
        for k, v in zip(node.keys, node.values):
            value = self.literal(v, scope, depth)
            if k is None:  # `**other`: merged when it is a known dict
                if not isinstance(value, dict):
                    return UNKNOWN
                result.update(value)
                continue
            key = self.literal(k, scope, depth)
            if key is UNKNOWN or value is UNKNOWN:
                return UNKNOWN
            result[key] = value
        return result

    def _call_value(self, node: ast.Call, scope: ast.AST | None, depth: int) -> Any:
        if self.qualname(node.func) in _ENVIRONMENT_LOOKUPS and len(node.args) == 2 and not node.keywords:
            # `os.getenv("MODEL_NAME", "gpt2")`: the value the code runs with unless the variable is set
            return self.literal(node.args[1], scope, depth)
        if isinstance(node.func, ast.Attribute) and node.func.attr == "get" and 1 <= len(node.args) <= 2 \
                and not node.keywords:
            return self._dict_get_value(node, scope, depth)
        name = node.func.id if isinstance(node.func, ast.Name) else None
        maker = SEQUENCE_MAKERS.get(name or "") or SEQUENCE_MAKERS.get(self.qualname(node.func) or "")
        if maker is None or node.keywords:
            return UNKNOWN
        values = [self.literal(a, scope, depth) for a in node.args]
        if any(v is UNKNOWN for v in values):
            return UNKNOWN
        try:
            return maker(*values)
        except (TypeError, ValueError, OverflowError, ZeroDivisionError):
            return UNKNOWN

    def _dict_get_value(self, node: ast.Call, scope: ast.AST | None, depth: int) -> Any:
        """`cfg.get("epochs", 10)` of a dict the code spells out and does not change in place: the
        value under the key, else the default (None when none is given)."""
        value, key = self._written_container(node.func.value, node.args[0], node, scope, depth)  # type: ignore[attr-defined]
        if not isinstance(value, dict):
            return UNKNOWN
        try:
            if key in value:
                return value[key]
        except TypeError:  # an unhashable key
            return UNKNOWN
        return self.literal(node.args[1], scope, depth) if len(node.args) == 2 else None

    def _resolve_name(self, node: ast.Name, scope: ast.AST | None, depth: int) -> Any:
        function = scope if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) else self.enclosing_function(node)
        if function is not None:
            default = _parameter_default(function, node.id)
            if default is not _NO_PARAM and _sees_parameter(function, node):
                # a parameter: the value every call site agrees on
                return _agreed(self._parameter_values(function, node.id, default, depth))
            assigned = scope_assignments(function).get(node.id)
            if assigned is not None:
                value = assigned[0] if len(assigned) == 1 else self.reaching_assignment(node, function)
                return self.literal(value, function, depth + 1) if value is not None else UNKNOWN
        value = self.module_constants.get(node.id)
        if value is not None:
            return self.literal(value, None, depth + 1)
        if node.id in scope_assignments(self.tree):  # rebound in the module: only straight-line code knows
            value = self.reaching_assignment(node, self.tree) if function is None else None
            return self.literal(value, None, depth + 1) if value is not None else UNKNOWN
        return self.project_value(node.id, depth + 1)

    def reaching_assignment(self, node: ast.Name, scope: ast.AST) -> ast.expr | None:
        """The value of the assignment to `node`'s name that reaches it in `scope` (a notebook that
        sets `epochs` in one cell and again in a later one; an assignment earlier in the same
        `with`, `if` or `if __name__ == "__main__":` block), or None when there is none or more
        than one could: a binding under a branch or a `try`, or one later in a loop's body."""
        line = getattr(node, "lineno", None)
        return None if line is None else reaching(getattr(scope, "body", []), node.id, line, None, self._decided)

    def default_run_value(self, node: ast.AST | None) -> Any:
        """The value of `node` in the run that the defaults choose: `literal`, and for a name the
        assignment that reaches it where a command-line option's default also decides which
        branch binds it (`weights = None` then `if args.pretrained: weights = "imagenet"`). For a
        rule whose docs say the default run decides a switch (GL301's weights-only switches);
        elsewhere a branch an option picks stays a configuration the program offers."""
        value = self.literal(node)
        if value is not UNKNOWN or not isinstance(node, ast.Name):
            return value
        scope = self.enclosing_function(node) or self.tree
        bound = reaching(getattr(scope, "body", []), node.id, node.lineno, None, self.condition)  # type: ignore[attr-defined]
        return self.literal(bound, scope if scope is not self.tree else None) if bound is not None else UNKNOWN

    def _decided(self, test: ast.expr) -> bool | None:
        """Which branch of an `if` runs, where literals or the function's parameters decide it (a
        `quick=True` default the file's calls leave alone); None where anything else does: a command-line
        option or a module constant a user edits picks one configuration the code offers, and
        another condition being read decides nothing."""
        function = self.enclosing_function(test)  # type: ignore[attr-defined]
        names = [n.id for n in walk(test) if isinstance(n, ast.Name)]
        if self._deciding or not all(is_parameter(function, name) for name in names):  # no names: a literal decides
            return None
        self._deciding = True
        try:
            return None if self._reads_option(test, 0) else self.condition(test)  # type: ignore[attr-defined]
        finally:
            self._deciding = False

    def binding_value(self, node: ast.Name, scope: ast.AST | None = None) -> ast.AST | None:
        """The expression bound to `node`'s name where it is used, or None when the code does not
        show it: the binding that reaches the use in its scope (function or module) or, for a name
        the function neither binds nor receives, the only binding of the nearest enclosing scope
        that binds it (a closure's function, then the module): it may run at any time, so only a
        single binding is certain."""
        if scope is None:
            scope = self.enclosing_function(node) or self.tree
        if node.id in bindings(scope):
            return self.reaching_assignment(node, scope)
        while scope is not self.tree and not is_parameter(scope, node.id):
            scope = self.enclosing_function(scope) or self.tree
            entries = bindings(scope).get(node.id)
            if entries:
                value = entries[0][1] if len(entries) == 1 else None
                return value if isinstance(value, ast.expr) and not is_opaque(value) else None
        return None

    def expression_of(self, node: ast.AST | None, scope: ast.AST | None = None) -> ast.AST | None:
        """What `node` stands for: a name is followed through its bindings (a chain of at most 8);
        None when a name on the way is not knowable. Anything else is returned as is."""
        for _ in range(8):
            if not isinstance(node, ast.Name):
                return node
            value = self.binding_value(node, scope)
            if value is None or is_opaque(value):
                return None
            node, scope = value, None  # the value's own scope holds its names
        return None

    def method_qualname(self, call: ast.Call) -> str | None:
        """The callee's qualname, also for a method of an instance the code builds:
        `client.trigger_dag(...)` after `client = Client(...)`, or `Client(...).trigger_dag(...)`, is
        `<Client's qualname>.trigger_dag`."""
        known = self.qualname(call.func)
        if known or not isinstance(call.func, ast.Attribute):
            return known
        receiver = self.expression_of(call.func.value)
        cls = self.qualname(receiver.func) if isinstance(receiver, ast.Call) else None
        return f"{cls}.{call.func.attr}" if cls else None

    def defining_scope(self, name: str, scope: ast.AST) -> ast.AST | None:
        """The scope whose assignments give `name` its values, from `scope` outwards (a closure
        reads its enclosing function's, then the module's); None for a parameter of the way."""
        while True:
            if name in scope_assignments(scope):
                return scope
            if scope is self.tree or is_parameter(scope, name):
                return None
            scope = self.enclosing_function(scope) or self.tree

    def possible_values(self, node: ast.AST | None, _depth: int = 0) -> list[ast.AST]:
        """What `node` may stand for: the values bound to a name (`bound_values`), for a parameter
        the arguments of every call of its function in the file (a few calls deep), any other
        expression itself."""
        if not isinstance(node, ast.Name):
            return [node] if node is not None else []
        function = self.enclosing_function(node)
        if function is None or _depth > 2 or _parameter_default(function, node.id) is _NO_PARAM \
                or not _sees_parameter(function, node):
            return list(self.bound_values(node))
        return [value for site in self.call_sites(function) for name, argument in call_arguments(site, function)
                if name == node.id for value in self.possible_values(argument, _depth + 1)]

    def bound_values(self, node: ast.Name, scope: ast.AST | None = None) -> list[ast.expr]:
        """The values of the name that may reach `node`, in the scope that defines it
        (`defining_scope`): the one straight-line code shows reaching it (`X = vec.fit(docs)` then
        `X = vec.transform(docs)`: the second), else every value assigned there, the candidates
        for rules that weigh them all. Empty when the code does not assign it."""
        where = self.defining_scope(node.id, scope or self.enclosing_function(node) or self.tree)
        if where is None:
            return []
        values = list(scope_assignments(where)[node.id])
        if (self.enclosing_function(node) or self.tree) is where:
            reaching = self.reaching_assignment(node, where)
            if reaching is not None:
                return [reaching]
            # a binding made after the use (`X = DataFrame(X.toarray())` binds X once its value is
            # computed) reaches it only through a loop around both
            earlier = [v for v in values if self._may_reach(v, node, where)]
            return earlier or values
        return values

    def _may_reach(self, value: ast.AST, node: ast.Name, scope: ast.AST) -> bool:
        if not hasattr(node, "lineno") or (getattr(value, "end_lineno", 0), getattr(value, "end_col_offset", 0)) \
                < (node.lineno, node.col_offset):
            return True  # a name the code does not hold (made by a rule) has no place to compare
        ancestor = self.parents.get(node)
        while ancestor is not None and ancestor is not scope:
            if isinstance(ancestor, (ast.For, ast.AsyncFor, ast.While)) \
                    and ancestor.lineno <= getattr(value, "lineno", 0) <= (ancestor.end_lineno or 0):
                return True
            ancestor = self.parents.get(ancestor)
        return False

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
        fields, and settings classes of plain class attributes, `LOCATION = os.getenv(...)`, which
        every instance reads unless a method sets its own): class name -> field -> default
        expression (`epochs: int = 100`, `field(default=100)`; a `default_factory` is not knowable)."""
        classes: dict[str, dict[str, ast.expr]] = {}
        for cls in self.nodes_of(ast.ClassDef):
            fields: dict[str, ast.expr] = {}
            if any("Enum" in (dotted(base) or "") for base in cls.bases):  # type: ignore[attr-defined]
                continue  # members are enum values, not settings
            set_by_methods = {n.attr for n in ast.walk(cls) if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store)
                              and isinstance(n.value, ast.Name) and n.value.id == "self"}
            for stmt in cls.body:  # type: ignore[attr-defined]
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
                    value: ast.expr | None = stmt.value
                    if isinstance(value, ast.Call) and call_name(value) in ("field", "Field"):
                        value = kwarg(value, "default") or (value.args[0] if call_name(value) == "Field" and value.args else None)
                    if value is not None:
                        fields[stmt.target.id] = value
                elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                        and stmt.targets[0].id not in set_by_methods:
                    fields[stmt.targets[0].id] = stmt.value
            if fields:
                classes[cls.name] = fields  # type: ignore[attr-defined]
        return classes

    def _config_field(self, node: ast.Attribute, scope: ast.AST | None, depth: int) -> Any:
        """`cfg.epochs` where `cfg = TrainConfig()` (or the class itself, or a command-line
        dataclass) and the class of this file declares `epochs: int = 100`."""
        owner = node.value.id  # type: ignore[attr-defined]
        if any(isinstance(n, ast.Attribute) and n.attr == node.attr and isinstance(n.ctx, ast.Store)
               and isinstance(n.value, ast.Name) and n.value.id == owner for n in self.nodes_of(ast.Attribute)):
            return UNKNOWN  # the field is set somewhere: not its default
        function = scope if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) else self.enclosing_function(node)
        cls_name, call = self._config_class_of(node, function)
        owner_module, fields = self._config_fields(cls_name)
        if not fields or node.attr not in fields:
            return UNKNOWN
        if call is not None:
            if call.args or has_star_kwargs(call):
                return UNKNOWN  # a positional or forwarded argument may set it
            given = kwarg(call, node.attr)
            if given is not None:
                return self.literal(given, scope, depth + 1)
        return owner_module.literal(fields[node.attr], None, depth + 1)

    def config_field_declared_elsewhere(self, node: ast.AST) -> bool:
        """`config.aws_region` of a config class another module of the project declares (`from
        utils.config import SageMakerConfig`, then a parameter annotated with it): its default is
        written there, so a rule reports it where this file uses it."""
        if not isinstance(node, ast.Attribute) or not isinstance(node.value, (ast.Name, ast.Attribute)):
            return False
        held = self._held_config(node) if isinstance(node.value, ast.Attribute) else (node, self.enclosing_function(node))
        if held is None:
            return False
        node, function = held
        owner_module, fields = self._config_fields(self._config_class_of(node, function)[0])  # type: ignore[arg-type]
        return owner_module is not self and bool(fields) and node.attr in fields  # type: ignore[operator,union-attr]

    def _held_config(self, node: ast.Attribute) -> tuple[ast.Attribute, ast.FunctionDef] | None:
        """`self.settings.AWS_REGION` where `__init__(self, settings: Settings)` stores the
        parameter once (`self.settings = settings`): the field of that config class, read as
        `settings.AWS_REGION` in `__init__`."""
        stored = self._stored_once_in_init(node.value)  # type: ignore[arg-type]
        if stored is None or not isinstance(stored[2], ast.Name):
            return None
        _, init, param = stored
        if self._annotated_config_class(init, param.id) is None:
            return None
        return ast.copy_location(ast.Attribute(value=param, attr=node.attr, ctx=ast.Load()), param), init

    def _config_fields(self, cls_name: str | None) -> tuple[Any, dict[str, ast.expr] | None]:
        """(the module that declares it, its field defaults) of a config class of this file or one
        imported from another module of the project (`from utils.config import SageMakerConfig`)."""
        if cls_name in self.config_classes:
            return self, self.config_classes[cls_name]
        if not cls_name or "." in cls_name or cls_name not in self.imports.names:
            return self, None
        from .project import imported_config_class

        found = imported_config_class(self, cls_name)  # type: ignore[arg-type]
        return found if found is not None else (self, None)

    def _config_class_of(self, node: ast.Attribute, function: ast.AST | None) -> tuple[str | None, ast.Call | None]:
        """(config class, the construction the owner is bound to, if any) of `owner.field`: a
        command-line dataclass, the class itself, a parameter annotated with it (unless a
        construction of the file may set the field), or a name bound once to a construction."""
        owner = node.value.id  # type: ignore[attr-defined]
        if owner in self.parsed_dataclass_names:
            return self.parsed_dataclass_names[owner], None
        if owner in self.config_classes:
            return owner, None
        annotated = self._annotated_config_class(function, owner)
        if annotated is not None:
            return (None, None) if self._constructions_set(annotated, node.attr) else (annotated, None)
        bound = scope_assignments(function).get(owner) if function is not None else None
        values = bound if bound is not None else [self.module_constants[owner]] if owner in self.module_constants else []
        if len(values) != 1 or not isinstance(values[0], ast.Call):
            return None, None
        return dotted(values[0].func), values[0]

    def written_default(self, node: ast.AST) -> ast.expr | None:
        """Where the value of `args.region` / `cfg.region` (or `args["region"]`) is written, when it
        is a default of this file that the run keeps: the argparse option's default, or the config
        class field's (`cfg = Config()`, `config: Config` as a parameter, the class itself). A rule
        reports there."""
        node = self.option_field(node) or node
        if not isinstance(node, ast.Attribute) or not isinstance(node.value, ast.Name):
            return None
        if node.value.id in self.parsed_args_names:
            written = self.argparse_defaults.get(node.attr)
        else:
            cls_name, _ = self._config_class_of(node, self.enclosing_function(node))
            written = self.config_classes.get(cls_name or "", {}).get(node.attr)
        value = self.literal(node)
        return written if written is not None and value is not UNKNOWN and self.literal(written) == value else None

    def _annotated_config_class(self, function: ast.AST | None, owner: str) -> str | None:
        """The config class of this file that a parameter is annotated with (`def __init__(self,
        config: TrainingConfig)`): it holds that class's defaults, as far as this file shows."""
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        params = function.args.posonlyargs + function.args.args + function.args.kwonlyargs
        annotation = next((p.annotation for p in params if p.arg == owner), None)
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            name = annotation.value  # `config: "TrainingConfig"`
        else:
            name = dotted(annotation) if annotation is not None else None
        return name if name in self.config_classes or self._config_fields(name)[1] else None

    def _constructions_set(self, cls_name: str, field: str) -> bool:
        """A construction of the class in this file may set the field (by keyword, positionally or
        through `**kwargs`)."""
        return any(call.args or has_star_kwargs(call) or kwarg(call, field) is not None
                   for call in self.calls if dotted(call.func) == cls_name)

    @cached_property
    def _reads_by_name(self) -> dict[str, list[ast.Name]]:
        reads: dict[str, list[ast.Name]] = {}
        for node in self.nodes_of(ast.Name):
            if isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
                reads.setdefault(node.id, []).append(node)  # type: ignore[attr-defined,arg-type]
        return reads

    def reads_of(self, name: str, scope: ast.AST | None = None) -> list[ast.Name]:
        """Where the code reads `name` (in `ast.walk` order), within `scope` when one is given."""
        reads = self._reads_by_name.get(name, [])
        if scope is None or scope is self.tree:
            return reads
        return [n for n in reads if any(a is scope for a in self.ancestors(n))]

    def in_place_changes(self, scope: ast.AST) -> dict[str, list[tuple[str, str, ast.AST]]]:
        """How the code changes a name's value in place, anywhere in `scope` (nested functions
        included), by name, as (kind, detail, node): `("item", "", node)` for `name[k] = v` /
        `del name[k]`, `("attr", "k", node)` for `name.k = v`, `("call", "m", call)` for
        `name.m(...)`, `("augmented", "", node)` for `name += v`. Rules ask which changes matter
        to them (a dict updated, a list grown); computed once per scope."""
        memo = self._memo.setdefault("in_place_changes", {})
        known = memo.get(id(scope))
        if known is None:
            known = memo[id(scope)] = _in_place_changes(self.walk() if scope is self.tree else walk(scope))
        return known

    def int_value(self, node: ast.AST | None, scope: ast.AST | None = None) -> int | None:
        value = self.literal(node, scope)
        return value if isinstance(value, int) and not isinstance(value, bool) else None


_ENVIRONMENT_LOOKUPS = {"os.getenv", "os.environ.get"}

_LITERAL_HANDLERS = {
    ast.Attribute: ValueModel._attribute_value, ast.BinOp: ValueModel._binop_value, ast.Subscript: ValueModel._subscript_value,
    ast.List: ValueModel._sequence_value, ast.Tuple: ValueModel._sequence_value, ast.Set: ValueModel._sequence_value,
    ast.Dict: ValueModel._dict_value, ast.Call: ValueModel._call_value,
}
