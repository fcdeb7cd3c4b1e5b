"""YAML held in a Python string and read by a YAML loader is a config document.

`yaml.safe_load(CLUSTER)`, `OmegaConf.create(SPEC)` or a project's `load_config(BENCHMARK_CONFIG)`
over a multi-line string literal (a module constant, or the literal itself, `textwrap.dedent`
or not) makes the string a config file the program reads, as a notebook's `%%writefile` cell
or a shell here-document does. It is checked as YAML at the string's own lines. The literal
must be one triple-quoted string whose lines are the document's lines (no escapes, no
f-string or `.format` parts: a template is not the document it becomes), must hold a `key:` or
`- item` line, and must parse (one that does not is left unchecked, not a GL000: the Python file
is not the broken one). Test suites are left out: their YAML exercises the code that reads it.
"""
from __future__ import annotations

import ast
import re
from collections import namedtuple

from ..frontends.python import PythonContext, arg, call_name, kwarg
from .testing_code import in_test_code

# Loaders by qualified name, and loaders a project names for what they do (`load_config`,
# PerfKitBenchmarker's `configs.LoadConfig`, `config_from_yaml`, `from_yaml_str`).
_YAML_LOADERS = frozenset(("yaml.safe_load", "yaml.load", "yaml.full_load", "yaml.unsafe_load", "yaml.safe_load_all",
                           "yaml.load_all", "yaml.full_load_all", "omegaconf.OmegaConf.create"))
_LOADER_LAST_NAMES = frozenset(name.rsplit(".", 1)[1] for name in _YAML_LOADERS)
_LOADER_NAME = re.compile(r"(?i)(?:load|read|parse)_?(?:yaml|config|cfg|conf)\w*|\w*_?from_?yaml(?:_?str(?:ing)?)?")


class HeldConfig(namedtuple("HeldConfig", "text first_line")):
    """A YAML document held in a string: its text, as the file has it (YAML reads an indented
    document as `textwrap.dedent` would give it), and the file line of its first line."""

    __slots__ = ()


def held_configs(ctx: PythonContext) -> list[HeldConfig]:
    found: dict[int, HeldConfig] = {}
    for call in ctx.calls:
        if not _reads_yaml(ctx, call):
            continue
        source = arg(call, 0, "stream") or kwarg(call, "config")
        for literal in _literals(ctx, source):
            first_line = _first_line(ctx, literal)
            if first_line is not None and id(literal) not in found and not in_test_code(ctx, literal):
                found[id(literal)] = HeldConfig(literal.value, first_line)
    return sorted(found.values(), key=lambda held: held.first_line)


def _reads_yaml(ctx: PythonContext, call: ast.Call) -> bool:
    name = call_name(call) or ""
    if _LOADER_NAME.fullmatch(name):
        return True
    return name in _LOADER_LAST_NAMES and ctx.qualname(call.func) in _YAML_LOADERS


def _literals(ctx: PythonContext, node: ast.AST | None, depth: int = 0) -> list[ast.Constant]:
    """The document literals `node` may be: the literal, a name bound only to literals, or
    `textwrap.dedent` of either."""
    if node is None or depth > 2:
        return []
    if isinstance(node, ast.Call) and ctx.qualname(node.func) == "textwrap.dedent" and node.args:
        return _literals(ctx, node.args[0], depth + 1)
    if isinstance(node, ast.Name):
        values = ctx.bound_values(node)
        found = [literal for value in values for literal in _literals(ctx, value, depth + 1)]
        return found if len(found) == len(values) else []
    if isinstance(node, ast.Constant) and _document_literal(node):
        return [node]
    return []


# A line of a mapping (`key:`) or a list (`- item`): a document, not a path or a sentence.
_DOCUMENT_LINE = re.compile(r"(?m)^\s*(?:[\w.\-\"']+\s*:(?:\s|$)|-\s)")


def _document_literal(node: ast.Constant) -> bool:
    """A multi-line string literal holding a mapping or a list."""
    return isinstance(node.value, str) and "\n" in node.value and node.end_lineno is not None \
        and _DOCUMENT_LINE.search(node.value) is not None


def _first_line(ctx: PythonContext, literal: ast.Constant) -> int | None:
    """The file line of the document's first line, when the literal's lines are the file's (one
    triple-quoted string): the opening quotes' line, or the next one after `\"\"\"\\` (a line end
    escaped right after the quotes). None for any other escaped line end."""
    assert literal.end_lineno is not None
    escaped = literal.end_lineno - literal.lineno - literal.value.count("\n")
    if escaped == 0:
        return literal.lineno
    if escaped == 1 and ctx.lines[literal.lineno - 1].rstrip().endswith("\\"):
        return literal.lineno + 1
    return None

