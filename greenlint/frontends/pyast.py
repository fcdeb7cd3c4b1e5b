"""Small, dependency-free helpers over `ast` that every part of the Python frontend uses:
dotted names, call arguments, canonical library prefixes, the single UNKNOWN value."""
from __future__ import annotations

import ast
import functools
from collections import deque  # functools imports collections already
from typing import Iterable, Iterator

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


# `walk` and `child_nodes` answer as `ast.walk` and `ast.iter_child_nodes` do, node for node and
# in the same order (the context and operator singletons included), at about twice their speed:
# they read, per node type, only the fields that may hold a node (not identifiers, flags or
# levels), without `ast.iter_fields`' generator per node. Detectors walk subtrees many times.
_NOT_NODE_FIELDS = frozenset({"id", "attr", "arg", "name", "asname", "module", "level", "kind", "type_comment",
                              "is_async", "conversion", "simple"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {ast.Constant: ()}  # a Constant's value is never a node
if hasattr(ast, "TypeAlias"):  # Python 3.12's `type X = ...`: the one node whose `name` is a node
    _CHILD_FIELDS[ast.TypeAlias] = ("name", "type_params", "value")


def _child_fields(kind: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = _CHILD_FIELDS[kind] = tuple(f for f in kind._fields if f not in _NOT_NODE_FIELDS)
    return fields


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """The direct children of `node`, as `ast.iter_child_nodes` gives them."""
    found: list[ast.AST] = []
    fields = _CHILD_FIELDS.get(type(node))
    for name in _child_fields(type(node)) if fields is None else fields:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            found.append(value)
        elif isinstance(value, list):
            found.extend(item for item in value if isinstance(item, ast.AST))
    return found


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """Every node under `node` (itself first), breadth-first, as `ast.walk` gives them."""
    todo = deque([node])
    pop, push, fields_of, AST = todo.popleft, todo.append, _CHILD_FIELDS, ast.AST
    while todo:
        node = pop()
        fields = fields_of.get(type(node))
        if fields is None:
            fields = _child_fields(type(node))
        for name in fields:
            value = getattr(node, name, None)
            if isinstance(value, AST):
                push(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, AST):
                        push(item)
        yield node


def parse(text: str, allow_top_level_await: bool = False) -> ast.Module:
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if allow_top_level_await else 0
    return compile(text, "<greenlint>", "exec", flags=ast.PyCF_ONLY_AST | flags, dont_inherit=True)


def chain_root(node: ast.AST) -> ast.AST:
    """The node an attribute chain starts from: `client` of `client.agent_engines.list`,
    `request` of `request.parent`."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node


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


def parameter_defaults(function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> list[tuple[ast.arg, ast.expr]]:
    """(parameter, default expression) of each parameter that has a default, positional ones first."""
    args = function.args
    positional = args.posonlyargs + args.args
    pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    return pairs + [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]


def has_star_kwargs(call: ast.Call) -> bool:
    return any(k.arg is None for k in call.keywords)


def statement_path(node: ast.AST, ancestors: Iterable[ast.AST]) -> Iterator[tuple[ast.AST, list | None, int]]:
    """`node`'s ancestors, outwards, each with the statement list (`body`, `orelse`, `finalbody`)
    the way to `node` passes through and the index of that statement in it; (ancestor, None, -1)
    where it passes through no statement list."""
    child = node
    for ancestor in ancestors:
        found: tuple[list | None, int] = (None, -1)
        for field in ("body", "orelse", "finalbody"):
            block = getattr(ancestor, field, None)
            index = next((i for i, s in enumerate(block) if s is child), None) if isinstance(block, list) else None
            if index is not None:
                found = (block, index)
                break
        yield ancestor, *found
        child = ancestor
