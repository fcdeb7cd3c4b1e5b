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
expression finds a match in the bytes: for a shape of code a plain token cannot tell (a `for`
loop nested in another), written to err on the side of holding like the rest. A token `i:WORD`
holds when WORD is in the bytes in any case (`rules` folds a word a group lists in several cases).

A rule's triggers are alternatives, each a list of groups: the file is checked when, for one
alternative, a token of every group holds.
"""
from __future__ import annotations

import re

IMPORT_PREFIX = b"import:"
KIND_PREFIX = b"kind:"
REGEX_PREFIX = b"re:"
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
