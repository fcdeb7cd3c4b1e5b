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
bytes (`shape:nested-for`: a `for` line inside another `for` line's block; `shape:nested-name-for`:
the same for `for` lines whose target may be one name, no comma before the line's `in`;
`shape:e-loop`: a `for` line whose target may bind `e` or `ep`; `shape:held-yaml`: a
YAML config a loader may read from a string), read from the bytes, not a parse tree, and erring
on the side of holding like the rest. A token `i:WORD` holds when
WORD is in the bytes in any case (`rules` folds a word a group lists in several cases). A token
`option:CODE:NAME` holds when a name that rule's option NAME lists (`GL302`'s `depth-names`) is a
word of the bytes, in any case, with `-` or `_` between its parts (a parameter, a field, a
command-line flag): the detector reports only a setting of that name, whatever the options say.

A rule's triggers are alternatives, each a list of groups: the file is checked when, for one
alternative, a token of every group holds.
"""
from __future__ import annotations

TYPE_CHECKING = False  # typing stays off the start-up path
if TYPE_CHECKING:
    import re
    from typing import Iterator

IMPORT_PREFIX = b"import:"
KIND_PREFIX = b"kind:"
REGEX_PREFIX = b"re:"
SHAPE_PREFIX = b"shape:"
FOLDED_PREFIX = b"i:"
OPTION_PREFIX = b"option:"
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")
# Patterns are compiled on first use (`_compiled`): a run served from the cache reads no file's
# bytes, and `re` (with the `enum` it imports) would be a seventh of it.
# Where a statement's text ends: a line end, `;`, a comment, or a notebook's JSON string end / `\n` escape.
_END = rb'[\r\n;#"]|\\n'
_JSON_NEXT_ITEM = rb'"?\s*,\s*"'  # a continued line split over two items of a cell's source list
_TOP_WORD = rb"(?<![\w.])[A-Za-z_]\w*"
_COMPILED: dict[tuple[bytes, bool], re.Pattern[bytes]] = {}


def _compiled(pattern: bytes, multiline: bool = False) -> re.Pattern[bytes]:
    found = _COMPILED.get((pattern, multiline))
    if found is None:
        import re

        found = _COMPILED[pattern, multiline] = re.compile(pattern, re.MULTILINE if multiline else 0)
    return found


class Presence:
    """Answers `token in data` for one file, each token looked for once."""

    __slots__ = ("data", "seen", "options", "_imported", "_lowered")

    def __init__(self, data: bytes, kind: str = "python", options: dict | None = None):
        self.data = data
        self.seen: dict[bytes, bool] = {KIND_PREFIX + kind.encode(): True}
        self.options = options  # code -> option values (`Settings.options`); None: every option token holds
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
            elif token.startswith(OPTION_PREFIX):
                found = self._names_option(token)
            elif token.startswith(FOLDED_PREFIX):
                if self._lowered is None:
                    self._lowered = self.data.lower()
                found = token[len(FOLDED_PREFIX):] in self._lowered
            else:
                found = token in self.data
            self.seen[token] = found
        return found

    def _names_option(self, token: bytes) -> bool:
        code, _, name = token[len(OPTION_PREFIX):].decode().partition(":")
        if self.options is None:
            return True
        names = tuple(self.options.get(code, {}).get(name) or ())
        if not all(n.isascii() for n in names):
            return True  # the bytes' case cannot be folded as `str.lower` folds these names
        if self._lowered is None:
            self._lowered = self.data.lower()
        return _has_word(self._lowered, [n.lower().replace("-", "_").encode() for n in names])

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


# `for` as a word; whether it starts a line's code is read from the line, since a pattern that
# starts at each line end is tried 1.6 million times on the speed corpus.
_FOR = rb"for\b"
_BLOCK_ENDS: dict[bytes, re.Pattern[bytes]] = {}


def _nested_for(data: bytes, one_name: bool = False) -> bool:
    """A `for` line inside the block of the `for` line before it: every line between them is
    blank, a comment, or indented deeper than the outer `for`. (Where one loop holds another,
    the first `for` line after the outer one is inside it, so consecutive pairs suffice.) With
    `one_name`, only `for` lines that may bind a single name count (`_may_bind_one_name`); the
    pairs argument holds for them alike."""
    outer: tuple[bytes, int] | None = None
    for match, line, indent in _for_statements(data):
        if one_name and not _may_bind_one_name(data, match.end()):
            continue
        if outer is not None:
            outer_indent, outer_end = outer
            if len(indent) > len(outer_indent) and indent.startswith(outer_indent):
                if _block_end(outer_indent).search(data, outer_end, line) is None:
                    return True
        end = data.find(b"\n", match.start())
        outer = (indent, end if end >= 0 else len(data))
    return False


def _for_statements(data: bytes) -> Iterator[tuple[re.Match[bytes], int, bytes]]:
    """(the keyword's match, its line's start, the line's indentation) of each `for` that starts a
    line's code, after its indentation or `async`."""
    for match in _compiled(_FOR).finditer(data):
        start = match.start()
        line = data.rfind(b"\n", 0, start) + 1
        before = data[line:start]
        code = before.lstrip(b" \t")
        if not code or code.rstrip(b" \t") == b"async":
            yield match, line, before[:len(before) - len(code)]


def _header(data: bytes, after_for: int) -> bytes:
    """The rest of the `for` line whose keyword ends at `after_for`."""
    end = data.find(b"\n", after_for)
    return data[after_for:end if end >= 0 else len(data)]


def _target(header: bytes) -> bytes | None:
    """A `for` line's target: the text before its first word `in`; None when `in` is on a later
    line (a target continued in parentheses or by a backslash)."""
    found = _compiled(_IN).search(header)
    return header[:found.start()] if found is not None else None


def _block_end(indent: bytes) -> re.Pattern[bytes]:
    """A line that is code and not indented deeper than `indent`: it ends that indent's block."""
    pattern = _BLOCK_ENDS.get(indent)
    if pattern is None:
        import re

        pattern = _BLOCK_ENDS[indent] = re.compile(rb"\n(?!" + re.escape(indent) + rb"[ \t]|[ \t]*(?:#|\r?\n|$))")
    return pattern


# The keyword `in` after a `for` line's target, on the same line.
_IN = rb"\bin\b"


def _may_bind_one_name(data: bytes, after_for: int) -> bool:
    """The `for` whose keyword ends at `after_for` may bind a single name (`for lr in ...`,
    `for (lr) in ...`): its target, the text before the first word `in` of the line, holds no
    comma. A tuple target (`for i, x in ...`, `for (a, b) in ...`, `for x, in ...`) holds one; a
    name never does. A target whose `in` is not on the line (continued in parentheses or by a
    backslash) may be a name."""
    target = _target(_header(data, after_for))
    return target is None or b"," not in target


def _nested_name_for(data: bytes) -> bool:
    """`nested-for` for loops that bind one name each: GL101 reads a hand-written grid from a loop
    over values only where its target is a name (`for lr in [...]`), and a grid from such loops
    needs one inside another (a loop over `itertools.product` is read whatever it binds)."""
    return _nested_for(data, one_name=True)


_E_NAME = rb"\bep?\b"


def _e_loop(data: bytes) -> bool:
    """A `for` line that may bind a name `e` or `ep` (`for e in range(n)`, `for i, ep in ...`):
    the word before the line's `in`; a line whose `in` is on a later line (a target continued in
    parentheses) may. A line with a non-ASCII byte holds too: Python reads an identifier in its
    NFKC form (`ｅ` is `e`)."""
    for match, _, _ in _for_statements(data):
        header = _header(data, match.end())
        if not header.isascii():
            return True
        target = _target(header)
        if target is None or _compiled(_E_NAME).search(target) is not None:
            return True
    return False


SHAPES = {b"nested-for": _nested_for, b"nested-name-for": _nested_name_for, b"e-loop": _e_loop}
_WORD_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_")
_ESCAPES = (b"\\n", b"\\t", b"\\r", b"\\f")


def _has_word(lowered: bytes, words: list[bytes]) -> bool:
    """One of `words` (lower case, `_` between parts) is a word of `lowered`, with `-` or `_`
    between its parts; a word may also start right after a notebook's `\\n` escape. Found with
    substring scans of a copy whose dashes are underscores: a pattern of many words would be tried
    at every position."""
    dashless = lowered.replace(b"-", b"_") if b"-" in lowered else lowered
    for word in words:
        at = dashless.find(word)
        while at >= 0:
            end = at + len(word)
            if (not at or lowered[at - 1] not in _WORD_CHARS or lowered[at - 2:at] in _ESCAPES) \
                    and (end == len(lowered) or lowered[end] not in _WORD_CHARS):
                return True
            at = dashless.find(word, at + 1)
    return False


def _held_yaml(data: bytes) -> bool:
    """The file may hold YAML a loader reads (checks/held_configs): a YAML or OmegaConf name, or a
    project loader named `load_config`, `read_cfg`, `parseConf` and the like."""
    lowered = data.lower()
    if b"yaml" in lowered or b"omegaconf" in lowered:
        return True
    for verb in (b"load", b"read", b"parse"):
        at = lowered.find(verb)
        while at >= 0:
            if lowered.startswith((b"conf", b"cfg", b"_conf", b"_cfg"), at + len(verb)):
                return True
            at = lowered.find(verb, at + 1)
    return False


SHAPES[b"held-yaml"] = _held_yaml


def _pattern(token: bytes) -> re.Pattern[bytes]:
    return _compiled(token[len(REGEX_PREFIX):], multiline=True)


def imported_names(data: bytes) -> frozenset[bytes]:
    """Every word that may be a top-level module of an import statement in `data` (a superset:
    aliases and imported names are included too). Both forms hold the word `import`, so only its
    occurrences are read; what stands before one on its statement says which form it is."""
    names: set[bytes] = set()
    at = data.find(b"import")
    while at >= 0:
        after = at + 6
        if _is_keyword(data, at, after):
            head = _statement_head(data, at)
            if head is not None:
                if not head:  # `import NAME.sub as x, other`
                    names.update(_compiled(_TOP_WORD).findall(_statement(data, after)))
                else:  # `from NAME.sub import x` (not `from .x`)
                    names.add(head)
        at = data.find(b"import", after)
    return frozenset(names)


def _is_keyword(data: bytes, start: int, end: int) -> bool:
    after = data[end:end + 1]
    if after == b"" or after not in b" \t\f\\(":
        return False
    # a word of its own; in a notebook's JSON it may follow a `\n` or `\t` escape
    return not start or data[start - 1] not in _WORD_BYTES or data[start - 2:start] in (b"\\n", b"\\t")


# What may stand between a statement's start and its `import`: nothing, or `from MODULE`.
_FROM_HEAD = rb"from(?:[ \t\f]|\\t|\\\r?\n)+([A-Za-z_]\w*)?[\w.]*(?:[ \t\f]|\\t|\\\r?\n)+\Z"
_JSON_CONTINUED_ITEM = rb'\\\\\\n"\s*,\s*"'  # `\\\n",` then `"`: a backslash ends the item
_HEAD_LIMIT = 400  # a `from` clause longer than this is not a module path


def _statement_head(data: bytes, at: int) -> bytes | None:
    """What stands before the `import` at `at` on its statement, read back to a line start
    (through backslash continuations), a `;`, a `:` or a notebook's JSON string or `\\n` escape:
    b"" for an import statement, the module's first word for `from MODULE import`, None for
    anything else (prose, a doctest, `from .x import`)."""
    start = max(0, at - _HEAD_LIMIT)
    head = data[start:at]
    if b'\\\\\\n"' in head:  # a cell's line continued in the next item of its source list
        head = _compiled(_JSON_CONTINUED_ITEM).sub(b" ", head)
    line = head.rfind(b"\n")
    while line > 0 and (head[line - 1] == 92 or head[line - 2:line] == b"\\\r"):  # 92: a backslash
        line = head.rfind(b"\n", 0, line - 1)
    cut = max(line, head.rfind(b";"), head.rfind(b":"), head.rfind(b'"'))
    lone_cr = head.rfind(b"\r")
    if lone_cr > cut and head[lone_cr + 1:lone_cr + 2] != b"\n":
        cut = lone_cr
    escaped_end = head.rfind(b"\\n")
    if escaped_end > cut:
        head = head[escaped_end + 2:]
    elif cut >= 0:
        head = head[cut + 1:]
    elif start:
        return None  # a clause this long is not `from MODULE`
    elif head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    head = head.replace(b"\\t", b" ").lstrip(b" \t\f")
    if not head:
        return head
    match = _compiled(_FROM_HEAD).match(head)
    return match.group(1) if match is not None and match.group(1) else None


def _statement(data: bytes, start: int) -> bytes:
    """The statement's text from `start`, through backslash continuations."""
    end = start
    ends, next_item = _compiled(_END), _compiled(_JSON_NEXT_ITEM)
    while True:
        m = ends.search(data, end)
        if m is None:
            return data[start:]
        stop = m.start()
        if m.group() == b'"' or stop == 0 or data[stop - 1] != 92:  # 92: a backslash
            return data[start:stop]
        end = m.end()
        item = next_item.match(data, end)
        if item is not None:
            end = item.end()
