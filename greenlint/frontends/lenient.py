"""Python that does not parse as written but whose intent is plain, read so that the rest of a
file or notebook cell is checked instead of becoming one GL000. Line numbers never change, and
code before a respelled word keeps its columns.

- Python 2 statements as their Python 3 spelling: `print x` as `print(x)`, `exec code` as
  `exec(code)`, `except E, e:` as `except E as e:`, and `async=` (an argument name until
  Python 3.7, as in `.cuda(async=True)`) as `async_=`.
- Exercise blanks of course notebooks (`dataset = # TODO: your code here`): an assignment with no
  value is read as `dataset = ...`.

Anything else (backticks, `<>`, `0777`, `print >>f, x` is fine already) leaves the text unparsed,
and the GL000 stands.
"""
from __future__ import annotations

import io
import tokenize

_STATEMENT_WORDS = ("print", "exec")
_SKIP = (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)


def as_python3(text: str) -> str | None:
    """The text with its Python 2 statements respelled; None when there is none to respell or
    the text does not even tokenize."""
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type not in _SKIP]
    except (tokenize.TokenError, SyntaxError):
        return None
    edits: list[tuple[tuple[int, int], tuple[int, int], str]] = []  # (start, end, replacement)
    statement_start = True
    for i, token in enumerate(tokens):
        if statement_start and token.type == tokenize.NAME:
            edits += _statement_edits(tokens, i)
        elif token.string == "async" and 0 < i < len(tokens) - 1 and tokens[i - 1].string in ("(", ",") \
                and tokens[i + 1].string == "=":
            edits.append((token.start, token.end, "async_"))  # `.cuda(async=True)`, a keyword before 3.7
        statement_start = token.type == tokenize.NEWLINE or token.string in (";", ":") and _ends_header(tokens, i)
    if not edits:
        return None
    lines = io.StringIO(text).readlines()  # rows as the tokenizer counts them (a lone \r is no break)
    for (srow, scol), (erow, ecol), new in sorted(edits, reverse=True):
        line = lines[srow - 1]
        lines[srow - 1] = line[:scol] + new + line[ecol:] if srow == erow else line
    return "".join(lines)


def _ends_header(tokens: list[tokenize.TokenInfo], i: int) -> bool:
    """`;` always ends a statement; `:` does when a simple statement follows on the same line
    (`if x: print y`), which is the only place a statement can start after it."""
    if tokens[i].string == ";":
        return True
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    return nxt is not None and nxt.type != tokenize.NEWLINE and _depth_before(tokens, i) == 0


def _depth_before(tokens: list[tokenize.TokenInfo], i: int) -> int:
    depth = 0
    for token in reversed(tokens[:i]):
        if token.type == tokenize.NEWLINE:
            break
        depth += {")": 1, "]": 1, "}": 1, "(": -1, "[": -1, "{": -1}.get(token.string, 0)
    return max(0, -depth)


def _statement_edits(tokens: list[tokenize.TokenInfo], i: int) -> list:
    word = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is None:
        return []
    if word.string == "except":
        return _except_edits(tokens, i)
    if word.string not in _STATEMENT_WORDS or nxt.string in ("(", "=", ".", ",", ")", ">>") \
            or nxt.type == tokenize.OP and nxt.string not in ("-", "+", "~", "[", "{", ";"):
        return []  # already a call (or a name used as one), or `print >>f`: left as is
    if nxt.type in (tokenize.NEWLINE, tokenize.ENDMARKER) or nxt.string == ";":  # a bare `print`
        return [(word.end, word.end, "()")]
    end = _statement_end(tokens, i + 1)
    if end is None:
        return []
    close = (end.start, end.start, ")")
    if nxt.start == (word.end[0], word.end[1] + 1):  # `print x`: the space becomes the bracket
        return [(word.end, nxt.start, "("), close]
    return [(word.end, word.end, "("), close]


def _statement_end(tokens: list[tokenize.TokenInfo], i: int) -> tokenize.TokenInfo | None:
    """Where the statement starting before `tokens[i]` ends: the end of the last token before its
    NEWLINE or `;` at bracket depth 0 (returned as a zero-width token at that position)."""
    depth, last = 0, None
    for token in tokens[i:]:
        if depth == 0 and (token.type in (tokenize.NEWLINE, tokenize.ENDMARKER) or token.string == ";"):
            return last and token._replace(start=last.end)
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(token.string, 0)
        last = token
    return None


def _except_edits(tokens: list[tokenize.TokenInfo], i: int) -> list:
    """`except E, e:` (Python 2's binding of the exception) as `except E as e:`."""
    depth = 0
    for j in range(i + 1, len(tokens)):
        token = tokens[j]
        if token.string == ":" and depth == 0 or token.type == tokenize.NEWLINE:
            return []
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(token.string, 0)
        if token.string == "," and depth == 0 and j + 2 < len(tokens) and tokens[j + 1].type == tokenize.NAME \
                and tokens[j + 2].string == ":":
            return [(token.start, token.end, " as")]
    return []


_ASSIGNMENT_OPERATORS = frozenset("= += -= *= /= //= %= **= @= &= |= ^= >>= <<= :=".split())


def with_blanks_filled(text: str) -> str | None:
    """`x = ` ending a statement (an exercise left for the student) read as `x = ...`; None when
    there is no such blank or the text does not tokenize."""
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(text).readline)
                  if t.type not in (tokenize.COMMENT, tokenize.NL)]
    except (tokenize.TokenError, SyntaxError):
        return None
    blanks = [prev.end for prev, token in zip(tokens, tokens[1:])
              if token.type == tokenize.NEWLINE and prev.type == tokenize.OP and prev.string in _ASSIGNMENT_OPERATORS]
    if not blanks:
        return None
    lines = io.StringIO(text).readlines()  # rows as the tokenizer counts them (a lone \r is no break)
    for row, col in reversed(blanks):
        lines[row - 1] = lines[row - 1][:col] + " ..." + lines[row - 1][col:]
    return "".join(lines)


def readings(text: str) -> list[str]:
    """The lenient readings of `text` to try, in order, when it does not parse as written."""
    respelled = as_python3(text)
    found = [r for r in (respelled, with_blanks_filled(text)) if r is not None]
    if respelled is not None:
        both = with_blanks_filled(respelled)
        if both is not None:
            found.append(both)
    return found
