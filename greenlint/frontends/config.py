"""Readers for config files: YAML, JSON, TOML, Terraform (HCL) and .env.

Every reader returns the same position-aware tree (`Node`), so a config detector is written
once for all kinds. Positions are 1-based lines and columns (columns count characters);
`end_column` is exclusive. Mapping entries also carry the position of their key.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterator

from ..finding import Severity
from .base import BaseContext, FrontendError, LintRequest

# An alias may repeat a subtree; expanded beyond this many nodes the file is refused
# (a "billion laughs" file composes to a few nodes but expands to billions).
MAX_EXPANDED_NODES = 200_000
MAX_DEPTH = 400


class Node:
    """One value of a config file: kind 'map' (value: dict[str, Node]), 'seq' (list[Node]) or 'scalar'."""

    __slots__ = ("kind", "value", "line", "column", "end_line", "end_column", "key", "key_line", "key_column", "tag")

    def __init__(self, kind: str, value: Any, line: int, column: int, end_line: int, end_column: int,
                 tag: str | None = None):
        self.kind = kind
        self.value = value
        self.line, self.column, self.end_line, self.end_column = line, column, end_line, end_column
        self.key: str | None = None
        self.key_line: int | None = None
        self.key_column: int | None = None
        self.tag = tag  # YAML tag; "expr" for a Terraform expression kept as text

    def __repr__(self) -> str:
        inner = self.value if self.kind == "scalar" else f"{len(self.value)} items"
        return f"Node({self.kind}, {inner!r}, {self.line}:{self.column})"

    @property
    def is_map(self) -> bool:
        return self.kind == "map"

    @property
    def is_seq(self) -> bool:
        return self.kind == "seq"

    @property
    def is_scalar(self) -> bool:
        return self.kind == "scalar"

    @property
    def opaque(self) -> bool:
        """A Terraform expression (reference, function call, template) that was not evaluated."""
        return self.tag == "expr"

    def get(self, key: Any, default: Any = None) -> Any:
        if self.kind == "map":
            return self.value.get(key, default)
        if self.kind == "seq" and isinstance(key, int) and -len(self.value) <= key < len(self.value):
            return self.value[key]
        return default

    def get_ci(self, key: str) -> Node | None:
        """Mapping lookup ignoring case and `-`/`_` (Azure ML: `sampling_algorithm` / `samplingAlgorithm`)."""
        if self.kind != "map":
            return None
        want = _norm_key(key)
        for k, v in self.value.items():
            if _norm_key(k) == want:
                return v
        return None

    def find(self, *path: Any) -> Node | None:
        node: Node | None = self
        for step in path:
            if node is None:
                return None
            node = node.get(step)
        return node

    def items(self) -> list[tuple[str, Node]]:
        return list(self.value.items()) if self.kind == "map" else []

    def children(self) -> list[Node]:
        if self.kind == "map":
            return list(self.value.values())
        if self.kind == "seq":
            return list(self.value)
        return []

    def str(self) -> str | None:
        """The scalar as text (numbers too), or None for maps, sequences, null and opaque expressions."""
        if self.kind != "scalar" or self.value is None or self.opaque:
            return None
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return str(self.value)

    def number(self) -> float | None:
        """A numeric scalar (also a numeric string such as "4"), else None."""
        if self.kind != "scalar" or isinstance(self.value, bool) or self.opaque:
            return None
        if isinstance(self.value, (int, float)):
            return float(self.value)
        if isinstance(self.value, str):
            try:
                return float(self.value.strip())
            except ValueError:
                return None
        return None

    def plain(self) -> Any:
        if self.kind == "map":
            return {k: v.plain() for k, v in self.value.items()}
        if self.kind == "seq":
            return [v.plain() for v in self.value]
        return self.value

    def walk(self, path: tuple = ()) -> Iterator[tuple[tuple, Node]]:
        """Depth-first (key path, node), this node first. Sequence items have int path steps."""
        stack: list[tuple[tuple, Node]] = [(path, self)]
        while stack:
            p, node = stack.pop()
            yield p, node
            if node.kind == "map":
                stack.extend(reversed([(p + (k,), v) for k, v in node.value.items()]))
            elif node.kind == "seq":
                stack.extend(reversed([(p + (i,), v) for i, v in enumerate(node.value)]))


def _norm_key(key: Any) -> str:
    return str(key).replace("-", "").replace("_", "").lower()


def _keyed(node: Node, key: str, key_line: int, key_column: int) -> Node:
    node.key, node.key_line, node.key_column = key, key_line, key_column
    return node


# --------------------------------------------------------------------------------------
# entry point

def parse_config(kind: str, text: str) -> list[Node] | None:
    """The documents of a config file; None to skip it quietly (e.g. a Helm template)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if kind == "yaml":
        return _parse_yaml(text)
    if kind == "json":
        return _parse_json(text)
    if kind == "toml":
        return _parse_toml(text)
    if kind == "terraform":
        return [HclParser(text).parse()]
    if kind == "env":
        return [_parse_env(text)]
    if kind == "shell":
        return []  # no documents: rules read a script through its commands (checks/commands.py)
    raise ValueError(f"not a config kind: {kind}")


class ConfigContext(BaseContext):
    def __init__(self, request: LintRequest, text: str, documents: list[Node]):
        super().__init__(request, text)
        self.documents = documents

    def report(self, code: str, node: Node, message: str, impact: dict | None = None,
               severity: Severity | None = None, at: str = "value") -> None:
        """Report at the node's value, or at its key (`at="key"`) where it has one."""
        if at == "key" and node.key_line is not None:
            line, column = node.key_line, node.key_column or 1
            end_line, end_column = line, column + len(str(node.key))
            if self.lines and 0 < line <= len(self.lines):
                # quoted keys ("region": ...) are one character wider on each side
                src = self.lines[line - 1]
                if column - 1 < len(src) and src[column - 1] in "\"'":
                    end_column += 2
        else:
            line, column, end_line, end_column = node.line, node.column, node.end_line, node.end_column
        self.report_at(code, line, column, end_line, end_column, message, impact=impact, severity=severity)


# --------------------------------------------------------------------------------------
# YAML

def _yaml_loader():
    import yaml

    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# ---- templates ---------------------------------------------------------------------------
# A config that is a template (Helm, Jinja, cookiecutter, Go templates, GitHub Actions / Azure ML
# `${{ }}` expressions, `${VAR}` shell variables, fill-in samples) may not parse as it stands.
# One documented way for every kind: when a file does not parse, its placeholders are replaced by
# neutral tokens of the same length (newlines kept, so every line and column stays where it was)
# and the rest is checked. Only if it still does not parse is it reported, as one GL000 note
# "template, not checked", which per-file-ignores can silence.
_STATEMENT = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)  # Jinja statements and comments: render to nothing
_EXPRESSION = re.compile(
    r"\$\{\{.*?\}\}"           # ${{ github.x }}, ${{parent.inputs.x}}
    r"|\{\{.*?\}\}"             # {{ .Values.x }}, {{ cookiecutter.x }}
    r"|\$\{[^}\n]*\}"           # ${VAR}, ${var.x}
    r"|\$\([^)\n]*\)"           # $(VAR)
    r"|\{[A-Za-z_][\w.-]*\}"     # {username}: a fill-in placeholder of a documentation sample
    r"|<[A-Za-z][\w .-]*>",      # <your-bucket>
    re.S,
)


class TemplateNotChecked(FrontendError):
    """A template that does not parse even with its placeholders replaced: one GL000 note."""

    template = True


def has_placeholders(text: str) -> bool:
    return bool(_STATEMENT.search(text) or _EXPRESSION.search(text))


def neutralize_placeholders(text: str, token: str = "x") -> str:
    """`text` with every template statement (and every `{{ }}` action alone on its line) blanked
    out and every other placeholder replaced by `token` repeated to the same length; newlines stay,
    so positions do not move. `token` is "x" for YAML (a plain scalar anywhere); JSON gets `null`
    outside strings (see _neutral_json)."""
    def blank(match: re.Match) -> str:
        return "".join(ch if ch == "\n" else " " for ch in match.group(0))

    def fill(match: re.Match) -> str:
        start, end = match.span()
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if not text[line_start:start].strip() and not text[end:line_end].strip() and match.group(0).startswith("{{"):
            return blank(match)  # alone on its line: a Go/Helm control action (`{{- if }}`, `{{ end }}`) or an include
        return "".join(ch if ch == "\n" else token for ch in match.group(0))

    text = _STATEMENT.sub(blank, text)
    return _EXPRESSION.sub(fill, text)


def _neutral_json(text: str) -> str:
    """neutralize_placeholders for JSON: a placeholder inside a string becomes letters, one
    outside a string (`"epochs": {{ epochs }}`) becomes `null` padded with spaces, a valid value."""
    text = neutralize_placeholders(text, token="\x00")  # mark the spans, then decide span by span
    out: list[str] = []
    in_string, escaped, i = False, False, 0
    while i < len(text):
        ch = text[i]
        if ch == "\x00":
            j = i
            while j < len(text) and text[j] in "\x00\n":
                j += 1
            span = text[i:j]
            value = "x" * len(span) if in_string else ("null" if len(span) >= 4 else "0").ljust(len(span))
            chars = iter(value)
            out.extend("\n" if c == "\n" else next(chars) for c in span)
            i = j
            continue
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        out.append(ch)
        i += 1
    return "".join(out)


def _template_error(kind: str, exc_message: str, line: int = 1, column: int = 1) -> TemplateNotChecked:
    return TemplateNotChecked(
        f"template, not checked: even with its placeholders replaced it is not valid {kind} ({exc_message})",
        line, column)


def _parse_yaml(text: str) -> list[Node] | None:
    yaml, loader = _yaml_loader()
    try:
        composed = list(yaml.compose_all(text, Loader=loader))
    except yaml.YAMLError as exc:
        if not has_placeholders(text):
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            raise FrontendError(f"invalid YAML: {getattr(exc, 'problem', None) or exc}", line, column) from None
        try:
            composed = list(yaml.compose_all(neutralize_placeholders(text), Loader=loader))
        except yaml.YAMLError as again:
            mark = getattr(again, "problem_mark", None)
            line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
            raise _template_error("YAML", str(getattr(again, "problem", None) or again), line, column) from None
    except RecursionError:
        raise FrontendError("YAML nested too deeply") from None
    docs = []
    sizes: dict[int, int] = {}
    for doc in composed:
        if doc is None or (isinstance(doc, yaml.ScalarNode) and doc.tag == "tag:yaml.org,2002:null"):
            continue  # an empty document (only a comment between two `---`)
        _expanded_size(doc, sizes, set())
        docs.append(_YamlConverter(yaml).convert(doc, 0))
    return docs


def _expanded_size(node: Any, sizes: dict[int, int], active: set[int]) -> int:
    """Number of nodes once aliases are expanded; refuses alias bombs and recursive aliases."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in active:
        raise FrontendError("recursive YAML alias", node.start_mark.line + 1, node.start_mark.column + 1)
    if len(active) > MAX_DEPTH:
        raise FrontendError("YAML nested too deeply", node.start_mark.line + 1, node.start_mark.column + 1)
    active.add(key)
    total = 1
    value = node.value
    if isinstance(value, list):
        for item in value:
            if isinstance(item, tuple):
                total += _expanded_size(item[0], sizes, active) + _expanded_size(item[1], sizes, active)
            else:
                total += _expanded_size(item, sizes, active)
            if total > MAX_EXPANDED_NODES:
                break
    active.discard(key)
    if total > MAX_EXPANDED_NODES:
        raise FrontendError(
            f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} nodes: refused",
            node.start_mark.line + 1, node.start_mark.column + 1)
    sizes[key] = total
    return total


class _YamlConverter:
    _SCALAR_TAGS = {
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:null",
    }

    def __init__(self, yaml: Any):
        self.yaml = yaml
        self.constructor = yaml.SafeLoader("")  # only its scalar constructors are used

    def _pos(self, ynode: Any) -> tuple[int, int, int, int]:
        s, e = ynode.start_mark, ynode.end_mark
        return s.line + 1, s.column + 1, e.line + 1, e.column + 1

    def convert(self, ynode: Any, depth: int) -> Node:
        yaml = self.yaml
        pos = self._pos(ynode)
        if isinstance(ynode, yaml.ScalarNode):
            value: Any = ynode.value
            if ynode.tag in self._SCALAR_TAGS:
                try:
                    value = self.constructor.construct_object(ynode, deep=False)
                except Exception:  # e.g. an int too odd to construct: keep the text
                    value = ynode.value
            return Node("scalar", value, *pos, tag=ynode.tag)
        if isinstance(ynode, yaml.SequenceNode):
            return Node("seq", [self.convert(child, depth + 1) for child in ynode.value], *pos, tag=ynode.tag)
        out: dict[str, Node] = {}
        merged: dict[str, Node] = {}
        for knode, vnode in ynode.value:
            if knode.tag == "tag:yaml.org,2002:merge":
                # `<<: *base` (or a list of them): keys of the base, unless set explicitly
                sources = vnode.value if isinstance(vnode, yaml.SequenceNode) else [vnode]
                for src in sources:
                    if isinstance(src, yaml.MappingNode):
                        for k, v in self.convert(src, depth + 1).value.items():
                            merged.setdefault(k, v)
                continue
            key = knode.value if isinstance(knode, yaml.ScalarNode) else str(self.convert(knode, depth + 1).plain())
            child = self.convert(vnode, depth + 1)
            out[str(key)] = _keyed(child, str(key), knode.start_mark.line + 1, knode.start_mark.column + 1)
        for k, v in merged.items():
            out.setdefault(k, v)
        return Node("map", out, *pos, tag=ynode.tag)


# --------------------------------------------------------------------------------------
# shared scanning helpers

class _Text:
    """Offsets ↔ 1-based (line, column)."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0]
        for m in re.finditer("\n", text):
            self.starts.append(m.end())

    def pos(self, offset: int) -> tuple[int, int]:
        import bisect

        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


# --------------------------------------------------------------------------------------
# JSON

_JSON_WS = re.compile(r"[ \t\r\n]*")
_JSON_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\.)*"', re.S)
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _is_json_lines(text: str) -> bool:
    try:
        for line in text.splitlines():
            if line.strip():
                json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        return False
    return True


def _parse_json(text: str) -> list[Node]:
    if not text.strip():
        return []  # an empty placeholder file (SageMaker local_test configs): nothing to check
    try:
        json.loads(text)  # the standard reader decides validity and gives the error position
    except json.JSONDecodeError as exc:
        # JSON with comments and trailing commas (tsconfig.json, VS Code settings and launch.json,
        # devcontainer.json) is its own documented dialect, JSONC: read it as such. Comments and
        # trailing commas become spaces, so every offset, and so every position, stays the same.
        lenient = _strip_jsonc(text)
        try:
            if lenient == text:
                raise exc
            json.loads(lenient)
        except json.JSONDecodeError:
            if exc.msg == "Extra data" and _is_json_lines(text):
                return []  # JSON Lines (one record a line, saved as .json): data, not configuration
            if has_placeholders(text):
                return _parse_json_template(text)
            raise FrontendError(f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
        except RecursionError:
            raise FrontendError("JSON nested too deeply") from None
        text = lenient
    except RecursionError:
        raise FrontendError("JSON nested too deeply") from None
    return [_JsonReader(text).read()]


def _parse_json_template(text: str) -> list[Node]:
    neutral = _strip_jsonc(_neutral_json(text))
    try:
        json.loads(neutral)
    except json.JSONDecodeError as again:
        raise _template_error("JSON", again.msg, again.lineno, again.colno) from None
    except RecursionError:
        raise FrontendError("JSON nested too deeply") from None
    return [_JsonReader(neutral).read()]


def _strip_jsonc(text: str) -> str:
    """`//` and `/* */` comments and trailing commas blanked out (newlines kept), strings untouched."""
    out = list(text)
    i, n = 0, len(text)
    last_comma = -1  # offset of a ',' with only blanks and comments after it so far
    while i < n:
        c = text[i]
        if c == '"':
            m = _JSON_STRING.match(text, i)
            if m is None:
                return text  # an unterminated string: let the strict reader report it
            i = m.end()
            last_comma = -1
            continue
        if c == "/" and text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out[i:j] = " " * (j - i)
            i = j
            continue
        if c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out[i:j] = [ch if ch == "\n" else " " for ch in text[i:j]]
            i = j
            continue
        if c in "}]" and last_comma >= 0:
            out[last_comma] = " "
        if c == ",":
            last_comma = i
        elif c not in " \t\r\n":
            last_comma = -1
        i += 1
    return "".join(out)


class _JsonReader:
    def __init__(self, text: str):
        self.text = text
        self.at = _Text(text)
        self.i = 0

    def ws(self) -> None:
        self.i = _JSON_WS.match(self.text, self.i).end()

    def read(self) -> Node:
        self.ws()
        return self.value(0)

    def value(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise FrontendError("JSON nested too deeply", *self.at.pos(self.i))
        t, i = self.text, self.i
        c = t[i]
        if c == "{":
            self.i += 1
            out: dict[str, Node] = {}
            self.ws()
            while t[self.i] != "}":
                m = _JSON_STRING.match(t, self.i)
                key = json.loads(m.group())
                kl, kc = self.at.pos(self.i)
                self.i = m.end()
                self.ws()
                self.i += 1  # ':'
                self.ws()
                out[key] = _keyed(self.value(depth + 1), key, kl, kc)
                self.ws()
                if t[self.i] == ",":
                    self.i += 1
                    self.ws()
            self.i += 1
            return Node("map", out, *self.at.pos(i), *self.at.pos(self.i))
        if c == "[":
            self.i += 1
            items: list[Node] = []
            self.ws()
            while t[self.i] != "]":
                items.append(self.value(depth + 1))
                self.ws()
                if t[self.i] == ",":
                    self.i += 1
                    self.ws()
            self.i += 1
            return Node("seq", items, *self.at.pos(i), *self.at.pos(self.i))
        if c == '"':
            m = _JSON_STRING.match(t, i)
            v: Any = json.loads(m.group())
            self.i = m.end()
        elif t.startswith("true", i):
            v, self.i = True, i + 4
        elif t.startswith("false", i):
            v, self.i = False, i + 5
        elif t.startswith("null", i):
            v, self.i = None, i + 4
        else:
            m = _JSON_NUMBER.match(t, i)
            if m is None:  # NaN / Infinity, which json.loads accepts
                m = re.compile(r"-?(?:NaN|Infinity)").match(t, i)
            v = json.loads(m.group())
            self.i = m.end()
        return Node("scalar", v, *self.at.pos(i), *self.at.pos(self.i))


# --------------------------------------------------------------------------------------
# TOML: values from tomllib, positions from a scan of the same text

def _tomllib():
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    return tomllib


def _parse_toml(text: str) -> list[Node]:
    tomllib = _tomllib()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        raise FrontendError(f"invalid TOML: {str(exc).split(' (at line')[0]}", line, column) from None
    positions: dict[tuple, tuple[int, int, int, int, int, int]] = {}
    try:
        _TomlScanner(text, positions).scan()
    except (IndexError, ValueError):
        pass  # positions are best effort: a value without one takes its table's
    return [_toml_node(data, (), positions, (1, 1, 1, 1, 1, 1))]


def _toml_node(value: Any, path: tuple, positions: dict, parent: tuple) -> Node:
    pos = positions.get(path, parent)
    line, col, eline, ecol = pos[:4]
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            child = _toml_node(v, path + (k,), positions, pos)
            cpos = positions.get(path + (k,), pos)
            out[k] = _keyed(child, k, cpos[4], cpos[5])
        return Node("map", out, line, col, eline, ecol)
    if isinstance(value, list):
        return Node("seq", [_toml_node(v, path + (i,), positions, pos) for i, v in enumerate(value)],
                    line, col, eline, ecol)
    if not isinstance(value, (str, int, float, bool)):
        value = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return Node("scalar", value, line, col, eline, ecol)


_TOML_BARE = re.compile(r"[A-Za-z0-9_-]+")
_TOML_DATETIME = re.compile(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:[Zz]|[+-]\d\d:\d\d)?")
_TOML_BARE_VALUE = re.compile(r"[^\s,\]}#]+")


class _TomlScanner:
    """Records (line, col, end_line, end_col, key_line, key_col) for every key path of a valid TOML text."""

    def __init__(self, text: str, out: dict):
        self.t = text
        self.at = _Text(text)
        self.i = 0
        self.out = out
        self.aot_count: dict[tuple, int] = {}  # array-of-tables path (with indices) -> items so far

    def skip(self, newlines: bool) -> None:
        t = self.t
        while self.i < len(t):
            c = t[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.i += 1
            elif c == "#":
                j = t.find("\n", self.i)
                self.i = len(t) if j < 0 else j
            else:
                break

    def key(self) -> list[tuple[str, int]]:
        parts = []
        while True:
            self.skip(False)
            start = self.i
            c = self.t[self.i]
            if c in "\"'":
                end = self.string_end(self.i)
                raw = self.t[self.i:end]
                name = json.loads(raw) if c == '"' else raw[1:-1]
                self.i = end
            else:
                m = _TOML_BARE.match(self.t, self.i)
                name = m.group()
                self.i = m.end()
            parts.append((name, start))
            self.skip(False)
            if self.i < len(self.t) and self.t[self.i] == ".":
                self.i += 1
                continue
            return parts

    def string_end(self, i: int) -> int:
        t = self.t
        for q in ('"""', "'''"):
            if t.startswith(q, i):
                j = i + 3
                while True:
                    k = t.find(q, j)
                    if q == '"""':
                        while k > 0 and _escaped(t, k):
                            k = t.find(q, k + 1)
                    # a closing run may hold up to two extra quotes that belong to the string
                    while t.startswith(q[0], k + 3):
                        k += 1
                    return k + 3
        if t[i] == "'":
            return t.index("'", i + 1) + 1
        j = i + 1
        while True:
            k = t.index('"', j)
            if not _escaped(t, k):
                return k + 1
            j = k + 1

    def resolve(self, table: tuple) -> tuple:
        """Dotted table names through arrays of tables: [[a]] then [a.b] means a[-1].b."""
        out: tuple = ()
        for part in table:
            out = out + (part,)
            if out in self.aot_count:
                out = out + (self.aot_count[out] - 1,)
        return out

    def scan(self) -> None:
        t = self.t
        table: tuple = ()
        while True:
            self.skip(True)
            if self.i >= len(t):
                return
            if t[self.i] == "[":
                aot = t.startswith("[[", self.i)
                start = self.i
                self.i += 2 if aot else 1
                names = [n for n, _ in self.key()]
                self.i += 2 if aot else 1
                parent = self.resolve(tuple(names[:-1]))
                base = parent + (names[-1],)
                kl, kc = self.at.pos(start)
                el, ec = self.at.pos(self.i)
                if aot:
                    n = self.aot_count.get(base, 0)
                    self.aot_count[base] = n + 1
                    self.out.setdefault(base, (kl, kc, el, ec, kl, kc))
                    table = base + (n,)
                else:
                    table = self.resolve(tuple(names))
                self.out[table] = (kl, kc, el, ec, kl, kc)
                continue
            self.keyval(table)

    def keyval(self, table: tuple) -> None:
        parts = self.key()
        self.skip(False)
        self.i += 1  # '='
        self.skip(False)
        path = table
        for name, start in parts[:-1]:
            path = path + (name,)
            kl, kc = self.at.pos(start)
            self.out.setdefault(path, (kl, kc, kl, kc, kl, kc))
        path = path + (parts[-1][0],)
        self.value(path, self.at.pos(parts[-1][1]))

    def value(self, path: tuple, key_pos: tuple[int, int]) -> None:
        t = self.t
        start = self.i
        c = t[self.i]
        if c == "[":
            self.i += 1
            n = 0
            while True:
                self.skip(True)
                if t[self.i] == "]":
                    self.i += 1
                    break
                self.value(path + (n,), key_pos)
                n += 1
                self.skip(True)
                if t[self.i] == ",":
                    self.i += 1
        elif c == "{":
            self.i += 1
            while True:
                self.skip(False)
                if t[self.i] == "}":
                    self.i += 1
                    break
                self.keyval(path)
                self.skip(False)
                if t[self.i] == ",":
                    self.i += 1
        elif c in "\"'":
            self.i = self.string_end(self.i)
        else:
            m = _TOML_DATETIME.match(t, self.i) or _TOML_BARE_VALUE.match(t, self.i)
            self.i = m.end()
        self.out[path] = (*self.at.pos(start), *self.at.pos(self.i), *key_pos)


def _escaped(text: str, k: int) -> bool:
    n = 0
    while k - n - 1 >= 0 and text[k - n - 1] == "\\":
        n += 1
    return n % 2 == 1


# --------------------------------------------------------------------------------------
# Terraform / HCL (.tf, .tfvars): blocks and attributes; literals are read, other
# expressions are kept as opaque text (tag "expr").

_HCL_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r]+|\\\n)
  | (?P<nl>\n)
  | (?P<comment>\#[^\n]*|//[^\n]*|/\*.*?\*/)
  | (?P<heredoc><<-?(?P<tag>[A-Za-z_][A-Za-z0-9_]*)[ \t]*\n)
  | (?P<string>")
  | (?P<number>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<op>==|!=|<=|>=|&&|\|\||=>|\.\.\.|[{}\[\]()=,:?.!<>+\-*/%])
  | (?P<other>.)
    """,
    re.X | re.S,
)


class HclParser:
    def __init__(self, text: str):
        self.text = text
        self.at = _Text(text)
        self.tokens = self._tokenize(text)
        self.k = 0

    def _tokenize(self, text: str) -> list[tuple[str, Any, int, int]]:
        """(kind, value, start, end); strings and heredocs are one token each."""
        toks: list[tuple[str, Any, int, int]] = []
        i, n = 0, len(text)
        while i < n:
            m = _HCL_TOKEN.match(text, i)
            kind = m.lastgroup if m.lastgroup != "tag" else "heredoc"
            if kind == "heredoc":
                tag = m.group("tag")
                end_re = re.compile(r"^[ \t]*" + re.escape(tag) + r"[ \t]*$", re.M)
                e = end_re.search(text, m.end())
                stop = e.end() if e else n
                body = text[m.end():e.start()] if e else text[m.end():]
                toks.append(("heredoc", body, i, stop))
                i = stop
                continue
            if kind == "string":
                end, value, interpolated = self._string(text, i)
                toks.append(("string" if not interpolated else "template", value, i, end))
                i = end
                continue
            if kind == "comment" and "\n" in m.group():  # a block comment spanning lines ends a line
                toks.append(("nl", None, m.end() - 1, m.end()))
            elif kind not in ("ws", "comment"):
                toks.append((kind, m.group(), i, m.end()))
            i = m.end()
        toks.append(("eof", None, n, n))
        return toks

    @staticmethod
    def _string(text: str, i: int) -> tuple[int, str, bool]:
        """End offset, decoded value and whether it holds ${...}/%{...} templates."""
        j = i + 1
        out: list[str] = []
        interpolated = False
        n = len(text)
        while j < n:
            c = text[j]
            if c == "\\" and j + 1 < n:
                esc = text[j + 1]
                out.append({"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}.get(esc, "\\" + esc))
                j += 2
                continue
            if c in "$%" and text.startswith(c + "{", j + 1):  # `$${` is a literal `${`
                out.append(c + "{")
                j += 3
                continue
            if c in "$%" and text.startswith("{", j + 1):
                interpolated = True
                depth = 0
                k = j + 1
                while k < n:  # skip the template expression, which may hold quotes and braces
                    if text[k] == "{":
                        depth += 1
                    elif text[k] == "}":
                        depth -= 1
                        if depth == 0:
                            break
                    elif text[k] == '"':
                        k = HclParser._string(text, k)[0] - 1
                    k += 1
                out.append(text[j:k + 1])
                j = k + 1
                continue
            if c == '"' or c == "\n":
                return j + 1, "".join(out), interpolated
            out.append(c)
            j += 1
        return n, "".join(out), interpolated

    # -- token helpers
    def peek(self, skip_nl: bool = False) -> tuple[str, Any, int, int]:
        k = self.k
        while skip_nl and self.tokens[k][0] == "nl":
            k += 1
        return self.tokens[k]

    def next(self) -> tuple[str, Any, int, int]:
        tok = self.tokens[self.k]
        if tok[0] != "eof":
            self.k += 1
        return tok

    def skip_nl(self) -> None:
        while self.tokens[self.k][0] == "nl":
            self.k += 1

    def error(self, tok: tuple, message: str) -> FrontendError:
        return FrontendError(f"invalid HCL: {message}", *self.at.pos(tok[2]))

    # -- grammar
    def parse(self) -> Node:
        body = self.body(None, 0)
        tok = self.peek(True)
        if tok[0] != "eof":
            raise self.error(tok, f"unexpected {tok[1]!r}")
        return body

    def body(self, open_tok: tuple | None, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise self.error(self.peek(), "nested too deeply")
        start = open_tok[2] if open_tok else 0
        out: dict[str, Node] = {}
        while True:
            self.skip_nl()
            tok = self.peek()
            if tok[0] == "eof" or (tok[0] == "op" and tok[1] == "}"):
                end = tok[3] if tok[0] != "eof" else tok[2]
                if open_tok is not None:
                    if tok[0] == "eof":
                        raise self.error(open_tok, "unclosed block")
                    self.next()
                else:
                    end = tok[2]
                return Node("map", out, *self.at.pos(start), *self.at.pos(end))
            if tok[0] not in ("ident", "string"):
                raise self.error(tok, f"expected an attribute or a block, found {tok[1]!r}")
            name_tok = self.next()
            nxt = self.peek()
            if nxt[0] == "op" and nxt[1] in ("=", ":"):
                self.next()
                value = self.expression(depth + 1)
                _keyed(value, name_tok[1], *self.at.pos(name_tok[2]))
                out[name_tok[1]] = value
                continue
            labels = []
            while self.peek()[0] in ("string", "ident"):
                labels.append(self.next())
            brace = self.next()
            if not (brace[0] == "op" and brace[1] == "{"):
                raise self.error(brace, f"expected '{{' after block {name_tok[1]!r}")
            block = self.body(brace, depth + 1)
            self._add_block(out, name_tok, labels, block)

    def _add_block(self, out: dict[str, Node], name_tok: tuple, labels: list, block: Node) -> None:
        """`resource "aws_instance" "x" {}` → out["resource"]["aws_instance"]["x"]; repeated
        label-less blocks (`ebs_block_device`, `dynamic` contents) become a sequence."""
        keys = [name_tok] + labels
        target = out
        for i, tok in enumerate(keys):
            key = str(tok[1])
            kl, kc = self.at.pos(tok[2])
            last = i == len(keys) - 1
            existing = target.get(key)
            if last:
                _keyed(block, key, kl, kc)
                if existing is None:
                    target[key] = block
                elif existing.kind == "seq":
                    existing.value.append(block)
                else:
                    seq = Node("seq", [existing, block], existing.line, existing.column, block.end_line,
                               block.end_column)
                    target[key] = _keyed(seq, key, existing.key_line or kl, existing.key_column or kc)
                return
            if existing is None or existing.kind != "map":
                existing = _keyed(Node("map", {}, block.line, block.column, block.end_line, block.end_column),
                                  key, kl, kc)
                target[key] = existing
            target = existing.value

    def expression(self, depth: int) -> Node:
        """A literal, list or object when the whole expression is one; else opaque text."""
        if depth > MAX_DEPTH:
            raise self.error(self.peek(), "nested too deeply")
        start_k = self.k
        node = self._literal(depth)
        if node is not None and self._at_end():
            return node
        self.k = start_k
        return self._opaque()

    def _at_end(self) -> bool:
        tok = self.peek()
        return tok[0] in ("nl", "eof") or (tok[0] == "op" and tok[1] in (",", "}", "]", ")"))

    def _literal(self, depth: int) -> Node | None:
        tok = self.peek()
        kind, value, s, e = tok
        if kind == "string":
            self.next()
            return Node("scalar", value, *self.at.pos(s), *self.at.pos(e))
        if kind == "heredoc":
            self.next()
            return Node("scalar", value, *self.at.pos(s), *self.at.pos(e), tag="heredoc")
        if kind == "number":
            self.next()
            num = float(value) if any(c in value for c in ".eE") else int(value)
            return Node("scalar", num, *self.at.pos(s), *self.at.pos(e))
        if kind == "op" and value == "-" and self.tokens[self.k + 1][0] == "number":
            self.next()
            n = self.next()
            num = -(float(n[1]) if any(c in n[1] for c in ".eE") else int(n[1]))
            return Node("scalar", num, *self.at.pos(s), *self.at.pos(n[3]))
        if kind == "ident" and value in ("true", "false", "null"):
            nxt = self.tokens[self.k + 1]
            if nxt[0] == "op" and nxt[1] in (".", "("):
                return None
            self.next()
            return Node("scalar", {"true": True, "false": False, "null": None}[value], *self.at.pos(s),
                        *self.at.pos(e))
        if kind == "op" and value == "[":
            self.next()
            items = []
            while True:
                self.skip_nl()
                t = self.peek()
                if t[0] == "op" and t[1] == "]":
                    self.next()
                    return Node("seq", items, *self.at.pos(s), *self.at.pos(t[3]))
                if t[0] == "ident" and t[1] == "for":
                    return None
                if t[0] == "eof":
                    raise self.error(tok, "unclosed '['")
                items.append(self.expression(depth + 1))
                self.skip_nl()
                t = self.peek()
                if t[0] == "op" and t[1] == ",":
                    self.next()
                elif not (t[0] == "op" and t[1] == "]"):
                    return None
        if kind == "op" and value == "{":
            self.next()
            out: dict[str, Node] = {}
            while True:
                self.skip_nl()
                t = self.peek()
                if t[0] == "op" and t[1] == "}":
                    self.next()
                    return Node("map", out, *self.at.pos(s), *self.at.pos(t[3]))
                if t[0] == "ident" and t[1] == "for":
                    return None
                if t[0] == "eof":
                    raise self.error(tok, "unclosed '{'")
                if t[0] not in ("ident", "string"):
                    return None
                key_tok = self.next()
                sep = self.next()
                if not (sep[0] == "op" and sep[1] in ("=", ":")):
                    return None
                child = self.expression(depth + 1)
                out[str(key_tok[1])] = _keyed(child, str(key_tok[1]), *self.at.pos(key_tok[2]))
                t = self.peek()
                if t[0] == "op" and t[1] == ",":
                    self.next()
        return None

    def _opaque(self) -> Node:
        """Consume one expression of any shape: up to a newline, ',' or closer at bracket depth 0."""
        stack: list[str] = []
        first = self.peek()
        last_end = first[2]
        pairs = {"(": ")", "[": "]", "{": "}"}
        while True:
            tok = self.peek()
            if tok[0] == "eof":
                break
            if not stack:
                if tok[0] == "nl":
                    # an operator at the end of a line continues the expression
                    prev = self.tokens[self.k - 1] if self.k > 0 else None
                    if prev is not None and prev[0] == "op" and prev[1] in ("?", ":", "&&", "||", "+", "-", "*", "/",
                                                                           "==", "!=", "=>"):
                        self.next()
                        continue
                    nxt = self.peek(True)
                    if nxt[0] == "op" and nxt[1] in ("?", ":", "&&", "||"):
                        self.skip_nl()
                        continue
                    break
                if tok[0] == "op" and tok[1] in (",", ")", "]", "}"):
                    break
            if tok[0] == "op" and tok[1] in pairs:
                stack.append(pairs[tok[1]])
            elif tok[0] == "op" and stack and tok[1] == stack[-1]:
                stack.pop()
            self.next()
            last_end = tok[3]
        raw = self.text[first[2]:last_end]
        return Node("scalar", raw, *self.at.pos(first[2]), *self.at.pos(last_end), tag="expr")


# --------------------------------------------------------------------------------------
# .env

_ENV_LINE = re.compile(r"^[ \t]*(?:export[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*(?P<value>.*?)[ \t]*$")


def _parse_env(text: str) -> Node:
    out: dict[str, Node] = {}
    lines = text.splitlines()
    for n, line in enumerate(lines, 1):
        m = _ENV_LINE.match(line)
        if not m:
            continue
        raw = m.group("value")
        vstart = m.start("value")
        if raw[:1] in ("'", '"'):
            q = raw[0]
            close = raw.find(q, 1)
            value = raw[1:close] if close > 0 else raw[1:]
            vend = vstart + (close + 1 if close > 0 else len(raw))
        else:
            value = re.split(r"[ \t]+#", raw, maxsplit=1)[0].rstrip()
            vend = vstart + len(value)
        node = Node("scalar", value, n, vstart + 1, n, vend + 1)
        out[m.group("key")] = _keyed(node, m.group("key"), n, m.start("key") + 1)
    last = len(lines) or 1
    return Node("map", out, 1, 1, last, len(lines[-1]) + 1 if lines else 1)
