"""Command-line options as the value model reads them: argparse defaults (a `store_true` flag
is False until given), the names that hold a parsed namespace (also passed on under another
name), fields the code sets after parsing (`args.pretrained = True`), and the dataclasses an
`HfArgumentParser` fills. Never run: the options a program offers are read from its source.

`OptionModel` is mixed into `PythonContext` beside `ValueModel`, whose `literal` asks it for
`args.<field>`.
"""
from __future__ import annotations

import ast
from functools import cached_property
from typing import Any

from .pyast import UNKNOWN, call_name, dotted, kwarg, statement_path
from .values import _agreed, call_arguments


class OptionModel:
    @cached_property
    def argparse_defaults(self) -> dict[str, ast.expr]:
        """`dest -> default expression` for every `add_argument("--x", default=...)` in the file;
        a `store_true` flag given no default is False (`store_false`: True), as argparse makes it."""
        defaults: dict[str, ast.expr] = {}
        for call in self.calls:
            if call_name(call) != "add_argument" or not call.args:
                continue
            default = kwarg(call, "default") or _flag_default(call)
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
        timm's train.py, `args = get_args()`), or to their dict (`vars(parser.parse_args())`,
        `.__dict__`), whose `args["epochs"]` is the option `args.epochs`."""
        parsers = {"parse_args", "parse_known_args"}
        for call in self.calls:
            if call_name(call) in ("parse_args", "parse_known_args"):
                parsers.update(f.name for f in self.ancestors(call)
                               if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and self.functions.get(f.name) is f)
        names: set[str] = set()
        for node in self.nodes_of(ast.Assign):
            value = _parsed(node.value)
            if isinstance(value, ast.Call) and call_name(value) in parsers:
                for target in node.targets:  # type: ignore[attr-defined]
                    first = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target
                    if isinstance(first, ast.Name):
                        names.add(first.id)
        # `main(args)` into `def main(opts)`, or `main(parser.parse_args())`: the parameter holds
        # the namespace too (a few rounds follow it through helpers of helpers).
        for _ in range(3):
            received = {param for function in self.functions.values() for site in self.call_sites(function)
                        for param, value in call_arguments(site, function)
                        if (isinstance(value, ast.Name) and value.id in names)
                        or (isinstance(value, ast.Call) and call_name(value) in parsers)}
            if received <= names:
                break
            names |= received
        return names

    def option_field(self, node: ast.AST) -> ast.Attribute | None:
        """`args["region"]` of the parsed options' dict, as the field `args.region`."""
        if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)
                and node.value.id in self.parsed_args_names
                and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)):
            return None
        return ast.copy_location(ast.Attribute(value=node.value, attr=node.slice.value, ctx=ast.Load()), node)

    @cached_property
    def _option_stores(self) -> dict[str, list[ast.Assign]]:
        """`args.pretrained = True` after parsing, by field: assignments to a parsed namespace (the
        attribute stores of the value model's in-place changes)."""
        changes = self.in_place_changes(self.tree)  # type: ignore[attr-defined]
        stores: dict[str, list[ast.Assign]] = {}
        for name in sorted(self.parsed_args_names):
            for kind, field, target in changes.get(name, ()):
                assign = self.parent(target)  # type: ignore[attr-defined]
                if kind == "attr" and isinstance(assign, ast.Assign) and target in assign.targets:
                    stores.setdefault(field, []).append(assign)
        return stores

    def _option_value(self, node: ast.Attribute, depth: int) -> Any:
        """`args.epochs` in the run the defaults describe: the argparse default, unless the code
        sets the field after parsing (a field argparse does not define exists only through such
        assignments: `args = parser.parse_args("")`, then `args.epoch = 30`). An assignment under a branch the defaults rule out (`if
        args.resume: args.start_epoch = ...` with no `--resume`) does not run; the last assignment
        earlier in a block that holds the use decides; assignments elsewhere (another function, a
        branch the defaults leave open) may or may not run first, so the value is known only where
        the default and all of them agree."""
        given = self.argparse_defaults.get(node.attr)
        default = self.literal(given, None, depth) if given is not None else _NOT_AN_OPTION
        pending = self._memo.setdefault("options_being_read", set())  # type: ignore[attr-defined]
        if node.attr in pending:  # `if args.x: args.x = ...` asks for its own field
            return default
        pending.add(node.attr)
        try:
            stores = [s for s in self._option_stores.get(node.attr, ()) if self.runs_by_default(s)]  # type: ignore[attr-defined]
        finally:
            pending.discard(node.attr)
        if not stores:
            return UNKNOWN if default is _NOT_AN_OPTION else default
        earlier = _last_earlier_through_calls(self, node, stores)
        if earlier is not None:
            return self.literal(earlier.value, None, depth + 1)
        values = [self.literal(s.value, None, depth + 1) for s in stores]
        return _agreed(values if default is _NOT_AN_OPTION else [default] + values)

    @cached_property
    def parsed_dataclass_names(self) -> dict[str, str]:
        """Names bound by `HfArgumentParser((A, B)).parse_args_into_dataclasses()` -> class name:
        command-line dataclasses, whose field defaults count like argparse defaults."""
        parsers = self._hf_argument_parsers()
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
                bound.update(_dataclass_targets(target, classes, index))
        return bound

    def _hf_argument_parsers(self) -> dict[str, list[str]]:
        """`parser = HfArgumentParser((ModelArguments, TrainingArguments))` -> parser: class names."""
        parsers: dict[str, list[str]] = {}
        for node in self.nodes_of(ast.Assign):
            value = node.value  # type: ignore[attr-defined]
            if isinstance(value, ast.Call) and call_name(value) == "HfArgumentParser" and value.args:
                spec = value.args[0]
                elements = spec.elts if isinstance(spec, (ast.Tuple, ast.List)) else [spec]
                for target in node.targets:  # type: ignore[attr-defined]
                    if isinstance(target, ast.Name):
                        parsers[target.id] = [dotted(e) or "" for e in elements]
        return parsers


_FLAG_DEFAULTS = {"store_true": False, "store_false": True}


def _flag_default(add_argument: ast.Call) -> ast.expr | None:
    action = kwarg(add_argument, "action")
    if isinstance(action, ast.Constant) and action.value in _FLAG_DEFAULTS:
        return ast.copy_location(ast.Constant(_FLAG_DEFAULTS[action.value]), add_argument)
    return None


_NOT_AN_OPTION = object()


def _last_earlier_through_calls(model: Any, node: ast.AST, statements: list[ast.Assign], depth: int = 0) -> ast.Assign | None:
    """As `_last_earlier_in_blocks`, and for a `node` in a function, the one assignment that runs
    before every call of that function (`args.epoch = 30`, then `experiment(args)`), a few calls deep."""
    earlier = _last_earlier_in_blocks(model, node, statements)
    function = model.enclosing_function(node)
    if earlier is not None or function is None or depth >= 3:
        return earlier
    found = [_last_earlier_through_calls(model, site, statements, depth + 1) for site in model.call_sites(function)]
    return found[0] if found and all(f is found[0] for f in found) else None


def _last_earlier_in_blocks(model: Any, node: ast.AST, statements: list[ast.Assign]) -> ast.Assign | None:
    """The last of `statements` that runs before `node` whenever `node` runs: it sits earlier in
    a block that holds `node` (the innermost such block decides), within `node`'s function."""
    for ancestor, block, index in statement_path(node, model.ancestors(node)):
        earlier = [s for s in (block or [])[:index] if any(s is t for t in statements)]
        if earlier:
            return earlier[-1]
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return None
    return None


def _dataclass_targets(target: ast.AST, classes: list[str], index: Any) -> dict[str, str]:
    """`model_args, training_args = parser.parse_args_into_dataclasses()` (or `[...][i]`)."""
    if isinstance(target, ast.Tuple):
        return {elt.id: classes[i] for i, elt in enumerate(target.elts) if isinstance(elt, ast.Name) and i < len(classes)}
    if isinstance(target, ast.Name) and isinstance(index, int) and index < len(classes):
        return {target.id: classes[index]}
    return {}


def _parsed(value: ast.AST) -> ast.AST:
    """The call a binding of parsed options holds: `parse_known_args()[0]`, and the options as a
    dict, `vars(parser.parse_args())` or `parser.parse_args().__dict__` (read `args["epochs"]`)."""
    if isinstance(value, ast.Subscript):
        value = value.value
    if isinstance(value, ast.Call) and call_name(value) == "vars" and len(value.args) == 1:
        return value.args[0]
    if isinstance(value, ast.Attribute) and value.attr == "__dict__":
        return value.value
    return value
