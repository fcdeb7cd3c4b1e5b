"""JSON, JSONC (comments and trailing commas) and JSON templates, read with positions."""
from __future__ import annotations

import json
import re
from typing import Any

from ..base import FrontendError
from .node import MAX_DEPTH, Node, TextIndex, keyed
from .templates import has_placeholders, neutral_json, template_error

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


def parse_json(text: str) -> list[Node]:
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
    neutral = _strip_jsonc(neutral_json(text))
    try:
        json.loads(neutral)
    except json.JSONDecodeError as again:
        raise template_error("JSON", again.msg, again.lineno, again.colno) from None
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
        self.at = TextIndex(text)
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
                out[key] = keyed(self.value(depth + 1), key, kl, kc)
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
