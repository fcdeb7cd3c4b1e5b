"""Which trigger tokens a file's bytes hold, before anything is parsed.

A plain token is a substring test. A token `import:NAME` holds when an import statement of the
file names the top-level module NAME (`import NAME`, `import NAME.sub as x`, `import os, NAME`,
`from NAME.sub import x`): a detector that only resolves names imported from NAME can find
nothing in a file without one. The test errs on the side of holding: it reads statements, not
a parse tree, so an import statement quoted in a docstring counts, while `>>> import NAME`
(a doctest) and prose (`copied from NAME`) do not, since a statement starts a line or follows
`;` or `:`. A notebook's JSON is read the same way (a cell line starts after `"` or a `\\n`
escape). A token `kind:KIND` holds when the file is of that kind (`kind:notebook`: a notebook's
shell lines run commands without any import). A token `re:PATTERN` holds when the regular
expression finds a match in the bytes, for a spelling a plain token cannot tell (`fit(` as a
word); a pattern that starts with a literal is found as fast as a plain token, one that does not
is tried at every position. A token `shape:NAME` holds when a named shape of code is in the
bytes (`shape:nested-for`: a `for` line inside another `for` line's block), read from lines,
not a parse tree, and erring on the side of holding like the rest. A token `i:WORD` holds when
WORD is in the bytes in any case (`rules` folds a word a group lists in several cases).

A rule's triggers are alternatives, each a list of groups: the file is checked when, for one
alternative, a token of every group holds.
"""
from __future__ import annotations

import re

IMPORT_PREFIX = b"import:"
KIND_PREFIX = b"kind:"
REGEX_PREFIX = b"re:"
SHAPE_PREFIX = b"shape:"
FOLDED_PREFIX = b"i:"
_KEYWORDS = (b"import", b"from")
_SPACE = b" \t\f"
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")
# Where a statement's text ends: a line end, `;`, a comment, or a notebook's JSON string end / `\n` escape.
_END = re.compile(rb'[\r\n;#"]|\\n')
_JSON_NEXT_ITEM = re.compile(rb'"?\s*,\s*"')  # a continued line split over two items of a cell's source list
_TOP_WORD = re.compile(rb"(?<![\w.])[A-Za-z_]\w*")


class Presence:
    """Answers `token in data` for one file, each token looked for once."""

    __slots__ = ("data", "seen", "_imported", "_lowered")

    def __init__(self, data: bytes, kind: str = "python"):
        self.data = data
        self.seen: dict[bytes, bool] = {KIND_PREFIX + kind.encode(): True}
        self._imported: frozenset[bytes] | None = None
        self._lowered: bytes | None = None

    def holds(self, token: bytes) -> bool:
        found = self.seen.get(token)
        if found is None:
            if token.startswith(IMPORT_PREFIX):
                found = token[len(IMPORT_PREFIX):] in self.imported()
            elif token.startswith(KIND_PREFIX):
                found = False  # the file's own kind is in `seen` from the start
            elif token.startswith(REGEX_PREFIX):
                found = _pattern(token).search(self.data) is not None
            elif token.startswith(SHAPE_PREFIX):
                found = SHAPES[token[len(SHAPE_PREFIX):]](self.data)
            elif token.startswith(FOLDED_PREFIX):
                if self._lowered is None:
                    self._lowered = self.data.lower()
                found = token[len(FOLDED_PREFIX):] in self._lowered
            else:
                found = token in self.data
            self.seen[token] = found
        return found

    def triggered(self, alternatives: tuple[tuple[tuple[bytes, ...], ...], ...]) -> bool:
        """For one alternative, a token of every group is present (no alternatives: always)."""
        return not alternatives or any(self._all_groups(groups) for groups in alternatives)

    def _all_groups(self, groups: tuple[tuple[bytes, ...], ...]) -> bool:
        holds = self.holds
        for group in groups:
            for token in group:
                if holds(token):
                    break
            else:
                return False
        return True

    def imported(self) -> frozenset[bytes]:
        if self._imported is None:
            self._imported = imported_names(self.data)
        return self._imported


_PATTERNS: dict[bytes, re.Pattern[bytes]] = {}
# `for` as a word; whether it starts a line's code is read from the line, since a pattern that
# starts at each line end is tried 1.6 million times on the speed corpus.
_FOR = re.compile(rb"for\b")
_BLOCK_ENDS: dict[bytes, re.Pattern[bytes]] = {}


def _nested_for(data: bytes) -> bool:
    """A `for` line inside the block of the `for` line before it: every line between them is
    blank, a comment, or indented deeper than the outer `for`. (Where one loop holds another,
    the first `for` line after the outer one is inside it, so consecutive pairs suffice.)"""
    outer: tuple[bytes, int] | None = None
    for match in _FOR.finditer(data):
        start = match.start()
        line = data.rfind(b"\n", 0, start) + 1
        before = data[line:start]
        code = before.lstrip(b" \t")
        if code and code.rstrip(b" \t") != b"async":
            continue
        indent = before[:len(before) - len(code)]
        if outer is not None:
            outer_indent, outer_end = outer
            if len(indent) > len(outer_indent) and indent.startswith(outer_indent):
                if _block_end(outer_indent).search(data, outer_end, line) is None:
                    return True
        end = data.find(b"\n", start)
        outer = (indent, end if end >= 0 else len(data))
    return False


def _block_end(indent: bytes) -> re.Pattern[bytes]:
    """A line that is code and not indented deeper than `indent`: it ends that indent's block."""
    pattern = _BLOCK_ENDS.get(indent)
    if pattern is None:
        pattern = _BLOCK_ENDS[indent] = re.compile(rb"\n(?!" + re.escape(indent) + rb"[ \t]|[ \t]*(?:#|\r?\n|$))")
    return pattern


SHAPES = {b"nested-for": _nested_for}


def _pattern(token: bytes) -> re.Pattern[bytes]:
    pattern = _PATTERNS.get(token)
    if pattern is None:
        pattern = _PATTERNS[token] = re.compile(token[len(REGEX_PREFIX):], re.MULTILINE)
    return pattern


def imported_names(data: bytes) -> frozenset[bytes]:
    """Every word that may be a top-level module of an import statement in `data` (a superset:
    aliases and imported names are included too)."""
    names: set[bytes] = set()
    for keyword in _KEYWORDS:
        at = data.find(keyword)
        while at >= 0:
            after = at + len(keyword)
            if _is_keyword(data, at, after) and _starts_statement(data, at):
                text = _statement(data, after)
                if keyword == b"import":
                    names.update(_TOP_WORD.findall(text))
                else:  # the module is the first word: `from NAME.sub import x` (not `from .x`)
                    first = _TOP_WORD.search(text)
                    if first is not None:
                        names.add(first.group())
            at = data.find(keyword, after)
    return frozenset(names)


def _is_keyword(data: bytes, start: int, end: int) -> bool:
    after = data[end:end + 1]
    if after == b"" or after not in b" \t\f\\(":
        return False
    # a word of its own; in a notebook's JSON it may follow a `\n` or `\t` escape
    return not start or data[start - 1] not in _WORD_BYTES or data[start - 2:start] in (b"\\n", b"\\t")


def _starts_statement(data: bytes, at: int) -> bool:
    """Only indentation (or a notebook's `\\t` escape) stands between `at` and the start of a
    line, a `;`, a `:` or a notebook's JSON string."""
    j = at
    while j > 0:
        if data[j - 1] in _SPACE:
            j -= 1
        elif data[j - 2:j] == b"\\t":
            j -= 2
        else:
            break
    if j == 0 or data[:j] == b"\xef\xbb\xbf":
        return True
    return data[j - 1] in b"\r\n;:\"" or data[j - 2:j] == b"\\n"


def _statement(data: bytes, start: int) -> bytes:
    """The statement's text from `start`, through backslash continuations."""
    end = start
    while True:
        m = _END.search(data, end)
        if m is None:
            return data[start:]
        stop = m.start()
        if m.group() == b'"' or stop == 0 or data[stop - 1] != 92:  # 92: a backslash
            return data[start:stop]
        end = m.end()
        item = _JSON_NEXT_ITEM.match(data, end)
        if item is not None:
            end = item.end()
