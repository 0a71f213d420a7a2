"""What colour each piece of a line gets: pseudocode (from the engine's lexer) and Python.

Qt-free: returns ``(start, length, category)`` spans with 0-based columns.
The pseudocode categories come from the engine's own tokens and vocabulary,
so the highlighter can never disagree with the translator about what a
keyword is. A statement is one line, so each line is tokenized on its own.
"""

from __future__ import annotations

import io
import keyword
import tokenize as pytokenize
from enum import StrEnum

from engine.language.lexer import tokenize
from engine.language.tokens import TokenKind
from engine.language.vocabulary import BASE_TYPES, LITERAL_KEYWORDS
from engine.semantics.builtins import BUILTIN_FUNCTIONS


class Category(StrEnum):
    KEYWORD = "keyword"
    TYPE = "type"
    BUILTIN = "builtin"
    STRING = "string"
    NUMBER = "number"
    COMMENT = "comment"
    OPERATOR = "operator"
    LITERAL = "literal"     # TRUE / FALSE / None
    ERROR = "error"
    DEFINITION = "definition"  # the name after PROCEDURE / def ...


Span = tuple[int, int, Category]

_OPENERS_OF_NAMES = {"PROCEDURE", "FUNCTION", "CLASS", "TYPE"}


def pseudocode_spans(line: str) -> list[Span]:
    """Highlight spans for one line of pseudocode."""
    result = tokenize(line)
    spans: list[Span] = []
    previous_keyword = ""
    for token in result.tokens:
        if token.line != 1 or token.kind in (TokenKind.NEWLINE, TokenKind.EOF):
            continue
        start = token.column - 1
        length = token.end_column - token.column
        kind = token.kind
        category: Category | None = None
        if kind is TokenKind.KEYWORD:
            if token.value in BASE_TYPES:
                category = Category.TYPE
            elif token.value in LITERAL_KEYWORDS:
                category = Category.LITERAL
            else:
                category = Category.KEYWORD
        elif kind is TokenKind.NAME:
            if previous_keyword in _OPENERS_OF_NAMES:
                category = Category.DEFINITION
            elif token.value.upper() in BUILTIN_FUNCTIONS:
                category = Category.BUILTIN
        elif kind in (TokenKind.STRING, TokenKind.CHAR):
            category = Category.STRING
        elif kind in (TokenKind.INTEGER, TokenKind.REAL, TokenKind.DATE):
            category = Category.NUMBER
        elif kind is TokenKind.OPERATOR:
            category = Category.OPERATOR
        elif kind is TokenKind.ERROR:
            # An unclosed string is still mostly a string to the reader.
            category = Category.STRING if token.value[:1] in "\"'\u201c\u2018" else Category.ERROR
        previous_keyword = token.value if kind is TokenKind.KEYWORD else ""
        if category is not None:
            spans.append((start, length, category))
    for comment in result.comments:
        if comment.line == 1:
            start = comment.column - 1
            spans.append((start, len(line) - start, Category.COMMENT))
    return spans


_PY_BUILTINS = frozenset(
    "print input int float str bool len range list dict tuple set abs min max round "
    "open isinstance super object Exception ValueError IndexError TypeError "
    "ZeroDivisionError KeyError enumerate zip sorted chr ord".split())


def python_spans(line: str) -> list[Span]:
    """Highlight spans for one line of Python (``tokenize`` from the standard library).

    A line is tokenized alone, so a line inside a triple-quoted string may be
    misread; the generated programs do not use those.
    """
    spans: list[Span] = []
    previous = ""
    try:
        tokens = list(pytokenize.generate_tokens(io.StringIO(line + "\n").readline))
    except (pytokenize.TokenError, IndentationError, SyntaxError):
        tokens = []
        stripped = line.lstrip()
        if stripped.startswith("#"):
            spans.append((len(line) - len(stripped), len(stripped), Category.COMMENT))
        return spans
    for tok in tokens:
        if tok.start[0] != 1:
            continue
        start = tok.start[1]
        end = tok.end[1] if tok.end[0] == 1 else len(line)
        category: Category | None = None
        if tok.type == pytokenize.NAME:
            if tok.string in ("True", "False", "None"):
                category = Category.LITERAL
            elif keyword.iskeyword(tok.string) or keyword.issoftkeyword(tok.string) \
                    and tok.string in ("match", "case"):
                category = Category.KEYWORD
            elif previous in ("def", "class"):
                category = Category.DEFINITION
            elif tok.string in _PY_BUILTINS:
                category = Category.BUILTIN
        elif tok.type == pytokenize.STRING or tok.type in _FSTRING_TYPES:
            category = Category.STRING
        elif tok.type == pytokenize.NUMBER:
            category = Category.NUMBER
        elif tok.type == pytokenize.COMMENT:
            category = Category.COMMENT
        elif tok.type == pytokenize.OP:
            category = Category.OPERATOR
        if tok.type == pytokenize.NAME:
            previous = tok.string
        if category is not None and end > start:
            spans.append((start, end - start, category))
    return spans


_FSTRING_TYPES = frozenset(
    getattr(pytokenize, name) for name in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
    if hasattr(pytokenize, name))
