"""Terraform / HCL (.tf, .tfvars): blocks and attributes; literals are read, other
expressions are kept as opaque text (tag "expr")."""
from __future__ import annotations

import re
from typing import Any

from ..base import FrontendError
from .node import MAX_DEPTH, Node, TextIndex, keyed

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
        self.at = TextIndex(text)
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
                keyed(value, name_tok[1], *self.at.pos(name_tok[2]))
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
                keyed(block, key, kl, kc)
                if existing is None:
                    target[key] = block
                elif existing.kind == "seq":
                    existing.value.append(block)
                else:
                    seq = Node("seq", [existing, block], existing.line, existing.column, block.end_line,
                               block.end_column)
                    target[key] = keyed(seq, key, existing.key_line or kl, existing.key_column or kc)
                return
            if existing is None or existing.kind != "map":
                existing = keyed(Node("map", {}, block.line, block.column, block.end_line, block.end_column),
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
        """A literal value, list or object at the current token; None (tokens partly consumed) if
        the expression is not one, e.g. `true.x`, a `for` expression or a computed object key."""
        tok = self.peek()
        if tok[0] == "op" and tok[1] == "[":
            return self._list_literal(tok, depth)
        if tok[0] == "op" and tok[1] == "{":
            return self._object_literal(tok, depth)
        return self._scalar_literal(tok)

    def _scalar_literal(self, tok: tuple) -> Node | None:
        kind, value, s, e = tok
        if kind == "string":
            self.next()
            return Node("scalar", value, *self.at.pos(s), *self.at.pos(e))
        if kind == "heredoc":
            self.next()
            return Node("scalar", value, *self.at.pos(s), *self.at.pos(e), tag="heredoc")
        if kind == "number":
            self.next()
            return Node("scalar", _number(value), *self.at.pos(s), *self.at.pos(e))
        if kind == "op" and value == "-" and self.tokens[self.k + 1][0] == "number":
            self.next()
            n = self.next()
            return Node("scalar", -_number(n[1]), *self.at.pos(s), *self.at.pos(n[3]))
        if kind == "ident" and value in ("true", "false", "null"):
            nxt = self.tokens[self.k + 1]
            if nxt[0] == "op" and nxt[1] in (".", "("):
                return None
            self.next()
            return Node("scalar", {"true": True, "false": False, "null": None}[value], *self.at.pos(s),
                        *self.at.pos(e))
        return None

    def _list_literal(self, tok: tuple, depth: int) -> Node | None:
        self.next()
        items = []
        while True:
            self.skip_nl()
            t = self.peek()
            if t[0] == "op" and t[1] == "]":
                self.next()
                return Node("seq", items, *self.at.pos(tok[2]), *self.at.pos(t[3]))
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

    def _object_literal(self, tok: tuple, depth: int) -> Node | None:
        self.next()
        out: dict[str, Node] = {}
        while True:
            self.skip_nl()
            t = self.peek()
            if t[0] == "op" and t[1] == "}":
                self.next()
                return Node("map", out, *self.at.pos(tok[2]), *self.at.pos(t[3]))
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
            out[str(key_tok[1])] = keyed(child, str(key_tok[1]), *self.at.pos(key_tok[2]))
            t = self.peek()
            if t[0] == "op" and t[1] == ",":
                self.next()

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


def _number(text: str) -> int | float:
    return float(text) if any(c in text for c in ".eE") else int(text)
