"""Fields of objects, for the value model: a namespace built in the file (`SimpleNamespace`,
`argparse.Namespace`), an attribute a class stores once in `__init__` (`self.pretrained`), and
an options object of a class of the file (`args = Args()`, `args.model_name`), also through a
parameter every call passes such an object. Also the helpers both this mixin and `ValueModel`
use: the value that candidates agree on, and whether code changes a name in place.

`ObjectFieldModel` is mixed into `ValueModel`; it asks that model's `literal`, `binding_value`,
`call_sites` and `_parameter_values`, and the context's index.
"""
from __future__ import annotations

import ast
from typing import Any

from .bindings import scope_assignments
from .parameters import NO_PARAM as _NO_PARAM
from .parameters import call_arguments
from .parameters import parameter_default as _parameter_default
from .parameters import sees_parameter as _sees_parameter
from .pyast import UNKNOWN, kwarg
from .pyast import walk


class ObjectFieldModel:
    def _namespace_field(self, node: ast.Attribute, depth: int) -> Any:
        """`cfg.epochs` of `cfg = SimpleNamespace(epochs=10)` / `argparse.Namespace(...)` that the
        code does not change afterwards (`cfg.epochs = 5` elsewhere makes it unknown)."""
        name = node.value
        built = self.binding_value(name) if isinstance(name, ast.Name) else None
        if not isinstance(built, ast.Call) or self.qualname(built.func) not in _NAMESPACES \
                or _changed_in_place(self, self.enclosing_function(node) or self.tree, name.id, node.attr):  # type: ignore[union-attr]
            return UNKNOWN
        given = kwarg(built, node.attr)
        return self.literal(given, None, depth + 1) if given is not None else UNKNOWN

    def _instance_field(self, node: ast.Attribute, depth: int) -> Any:
        """`self.pretrained` in a method, where the class stores that attribute once, in `__init__`
        (`self.pretrained = pretrained`): that value. A parameter of `__init__` takes the one value
        every construction of the class in this file gives it, or its default where there is none."""
        stored = self._stored_once_in_init(node)
        if stored is None:
            return UNKNOWN
        cls, init, value = stored
        default = _parameter_default(init, value.id) if isinstance(value, ast.Name) else _NO_PARAM
        if default is _NO_PARAM or value.id in scope_assignments(init):  # type: ignore[attr-defined]
            return self._stored_constant(init, value, depth)
        return _agreed(self._parameter_values(init, value.id, default, depth))  # type: ignore[attr-defined]

    def _stored_constant(self, init: ast.FunctionDef, value: ast.expr, depth: int) -> Any:
        """The value `__init__` stores, unless it reads a parameter (`width * 2`: each
        construction decides `width`)."""
        params = {a.arg for a in walk(init.args) if isinstance(a, ast.arg)}
        if any(isinstance(n, ast.Name) and n.id in params for n in walk(value)):
            return UNKNOWN
        return self.literal(value, init, depth + 1)

    def _constructed_field(self, node: ast.Attribute, depth: int) -> Any:
        """`args.model_name` where `args = Args()` builds a class of the file whose `__init__`
        stores `self.model_name = "densenet201"` from no parameter (a notebook's stand-in for
        parsed options), and nothing sets `args.model_name` again; a parameter `args` takes what
        every call of its function passes."""
        name = node.value
        function = self.enclosing_function(node)
        if function is None or _parameter_default(function, name.id) is _NO_PARAM \
                or not _sees_parameter(function, name):  # type: ignore[arg-type]
            return self._field_of_construction(node, function, depth)
        passed = self.arguments_given(function, name.id)  # type: ignore[attr-defined]
        if not passed or depth > 6 or not all(isinstance(p, ast.Name) for p in passed):
            return UNKNOWN
        return _agreed([self._constructed_field(ast.copy_location(ast.Attribute(value=p, attr=node.attr, ctx=ast.Load()), p),
                                                depth + 1) for p in passed])

    def _field_of_construction(self, node: ast.Attribute, function: ast.AST | None, depth: int) -> Any:
        name = node.value
        built = self.binding_value(name)  # type: ignore[arg-type]
        cls = self.classes.get(built.func.id) if isinstance(built, ast.Call) and isinstance(built.func, ast.Name) \
            else None  # type: ignore[attr-defined]
        if cls is None or self.parent(cls) is not self.tree:  # type: ignore[attr-defined]
            return UNKNOWN
        init = next((m for m in cls.body if isinstance(m, ast.FunctionDef) and m.name == "__init__"), None)
        if init is None or any(_changed_in_place(self, scope, name.id, node.attr)  # type: ignore[union-attr]
                               for scope in (self.tree, function) if scope is not None):
            return UNKNOWN
        stores = self._attribute_stores(cls).get(node.attr, [])
        assign = self.parent(stores[0]) if len(stores) == 1 else None
        if not isinstance(assign, ast.Assign) or self.parent(assign) is not init:
            return UNKNOWN
        return self._stored_constant(init, assign.value, depth)

    def _stored_module_name(self, node: ast.Attribute) -> ast.Name | None:
        """The module-level name every construction of the class passes for what `self.<attr>`
        stores (`self.args = args`, `Pipeline(configs)`): `self.args.epochs` reads `configs.epochs`."""
        stored = self._stored_once_in_init(node)
        if stored is None or not isinstance(stored[2], ast.Name):
            return None
        cls, init, value = stored
        if _parameter_default(init, value.id) is _NO_PARAM or value.id in scope_assignments(init):
            return None
        passed = [dict(call_arguments(c, init, bound=True)).get(value.id) for c in self.constructions(cls)]
        first = passed[0] if passed else None
        if not isinstance(first, ast.Name) or not all(
                isinstance(p, ast.Name) and p.id == first.id and self.enclosing_function(p) is None for p in passed):
            return None
        return first

    def _stored_once_in_init(self, node: ast.Attribute) -> tuple[ast.ClassDef, ast.FunctionDef, ast.expr] | None:
        """(class, `__init__`, value) when `node` is `self.<attr>` in a method and the class assigns
        that attribute exactly once, as a statement directly in the body of its `__init__`."""
        method = self.enclosing_function(node)
        cls = self.parent(method) if method is not None else None
        if not isinstance(cls, ast.ClassDef) or not isinstance(node.value, ast.Name) or not method.args.args \
                or method.args.args[0].arg != node.value.id:  # type: ignore[union-attr,attr-defined]
            return None
        stores = [n for n in self._attribute_stores(cls).get(node.attr, []) if isinstance(n.value, ast.Name)]
        init = self.enclosing_function(stores[0]) if len(stores) == 1 else None
        if init is None or init.name != "__init__" or self.parent(init) is not cls or not init.args.args \
                or stores[0].value.id != init.args.args[0].arg:  # type: ignore[attr-defined]
            return None
        assign = self.parent(stores[0])
        if self.parent(assign) is not init or not isinstance(assign, (ast.Assign, ast.AnnAssign)) or assign.value is None:
            return None
        return cls, init, assign.value

    def _attribute_stores(self, cls: ast.ClassDef) -> dict[str, list[ast.Attribute]]:
        """`<target>.<attr> = ...` anywhere in the class, by attribute: walked once per class."""
        by_class = self.memo("values.attribute_stores", dict)  # type: ignore[attr-defined]
        stores = by_class.get(id(cls))
        if stores is None:
            stores = by_class[id(cls)] = {}
            for n in walk(cls):
                if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store):
                    stores.setdefault(n.attr, []).append(n)
        return stores


_NAMESPACES = {"types.SimpleNamespace", "argparse.Namespace"}
_IN_PLACE_CHANGES = {"update", "setdefault", "pop", "popitem", "clear", "append", "extend", "insert", "remove",
                     "__setitem__", "__setattr__"}


def _agreed(values: list[Any]) -> Any:
    """The one value all `values` agree on, else UNKNOWN."""
    return values[0] if all(v == values[0] and v is not UNKNOWN for v in values) else UNKNOWN


def _changed_in_place(model: Any, scope: ast.AST, name: str, field: str | None = None) -> bool:
    """`name[k] = v`, `name.k = v`, `del name[k]`, `name.update(...)` and the like anywhere in `scope`.
    With `field`, setting another attribute (`cfg.run_id = ...`) leaves `cfg.<field>` as it was."""
    return any(kind == "item" or kind == "call" and detail in _IN_PLACE_CHANGES
               or kind == "attr" and (field is None or detail == field)
               for kind, detail, _ in model.in_place_changes(scope).get(name, ()))


def _in_place_changes(nodes: Any) -> dict[str, list[tuple[str, str, ast.AST]]]:
    changes: dict[str, list[tuple[str, str, ast.AST]]] = {}
    for node in nodes:
        if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.value, ast.Name):
            if isinstance(node.ctx, (ast.Store, ast.Del)):
                change = ("item", "") if isinstance(node, ast.Subscript) else ("attr", node.attr)
                changes.setdefault(node.value.id, []).append((*change, node))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            changes.setdefault(node.func.value.id, []).append(("call", node.func.attr, node))
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            changes.setdefault(node.target.id, []).append(("augmented", "", node))
    return changes
