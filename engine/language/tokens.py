"""Tokens: what the lexer produces and the parser and highlighter consume."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class TokenKind(StrEnum):
    KEYWORD = "keyword"      # value is the upper-case keyword
    NAME = "name"            # identifier (value as written)
    INTEGER = "integer"      # value is the digits
    REAL = "real"            # value is the literal text
    DATE = "date"            # value is the literal text dd/mm/yyyy (checked by the lexer)
    STRING = "string"        # value is the content, without quotes
    CHAR = "char"            # value is the content, without quotes
    OPERATOR = "operator"    # value is the ASCII operator ("<-", "<=", "&" ...)
    NEWLINE = "newline"
    COMMENT = "comment"      # value is the text after "//"
    ERROR = "error"          # a character or literal the lexer could not read
    EOF = "eof"


class Token(NamedTuple):
    """A token with its place: 1-based line, 1-based column, end column exclusive.

    A NamedTuple, not a dataclass: the lexer makes tens of thousands of these."""

    kind: TokenKind
    value: str
    line: int
    column: int
    end_column: int
    text: str = ""  # a keyword's spelling as written (it may be a name: see the parser)

    def is_keyword(self, *words: str) -> bool:
        return self.kind is TokenKind.KEYWORD and self.value in words

    def is_op(self, *ops: str) -> bool:
        return self.kind is TokenKind.OPERATOR and self.value in ops
