"""Auto-indent rules: indent after a block opener, dedent an END keyword to its opener.

Qt-free; the editor asks these functions what to do. The words come from
``engine.language.vocabulary`` and the engine's lexer, so there is no second
keyword list here.
"""

from __future__ import annotations

from engine.language.lexer import tokenize
from engine.language.tokens import Token, TokenKind
from engine.language.vocabulary import BLOCK_CLOSERS, BLOCK_OPENERS, DEDENT_KEYWORDS

_MIDDLE = {"ELSE": "IF", "ELSEIF": "IF", "OTHERWISE": "CASE", "THEN": "IF"}


def leading_spaces(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _tokens(line: str) -> list[Token]:
    return [t for t in tokenize(line).tokens if t.kind not in (TokenKind.NEWLINE, TokenKind.EOF)]


def _first_keyword(tokens: list[Token]) -> str | None:
    """The keyword that says what a line is (PUBLIC/PRIVATE before a method skipped)."""
    if not tokens or tokens[0].kind is not TokenKind.KEYWORD:
        return None
    if tokens[0].value in ("PUBLIC", "PRIVATE") and len(tokens) > 1 \
            and tokens[1].kind is TokenKind.KEYWORD:
        return tokens[1].value
    return tokens[0].value


def opened_block(line: str) -> str | None:
    """The block a line opens (IF, FOR, CASE, ...), or None.

    ``ELSE IF c THEN`` opens an IF of its own (it needs its own ENDIF);
    ``TYPE Name = ...`` (an enumeration or pointer type) is a single line.
    """
    tokens = _tokens(line)
    word = _first_keyword(tokens)
    if word is None:
        return None
    if word == "ELSE" and len(tokens) > 1 and tokens[1].is_keyword("IF"):
        return "IF"
    if word == "TYPE" and any(t.is_op("=") for t in tokens):
        return None
    if word in BLOCK_CLOSERS.values():
        return word
    return None


def indent_after(line: str, unit: str) -> str:
    """The indentation for the line that follows ``line`` when Enter is pressed."""
    base = leading_spaces(line)
    tokens = _tokens(line)
    word = _first_keyword(tokens)
    if word is None or word not in BLOCK_OPENERS:
        return base  # also PRIVATE Name : STRING (an attribute, not a method)
    if word == "TYPE" and any(t.is_op("=") for t in tokens):
        return base
    if word == "OTHERWISE" and len([t for t in tokens if not t.is_op(":")]) > 1:
        return base  # "OTHERWISE : OUTPUT x" is a whole clause
    return base + unit


def dedent_target(lines: list[str], index: int, unit: str) -> str | None:
    """The indentation line ``index`` should have if it starts with a dedent keyword.

    An END keyword (ENDIF, NEXT, UNTIL ...) lines up with the statement that
    opened its block; ELSE/ELSEIF with their IF; OTHERWISE with the other CASE
    clauses (one level inside the CASE). None: leave the line as it is.
    """
    tokens = _tokens(lines[index])
    word = _first_keyword(tokens)
    if word is None or word not in DEDENT_KEYWORDS:
        return None
    wanted = BLOCK_CLOSERS.get(word) or _MIDDLE.get(word)
    if wanted is None:
        return None
    depth = 0
    for previous in range(index - 1, -1, -1):
        text = lines[previous]
        prev_tokens = _tokens(text)
        prev_word = _first_keyword(prev_tokens)
        if prev_word is None:
            continue
        if prev_word in BLOCK_CLOSERS:
            depth += 1
            continue
        opened = opened_block(text)
        if opened is None:
            continue
        if depth:
            depth -= 1
            continue
        if opened != wanted:
            return None  # mismatched nesting: do not guess
        base = leading_spaces(text)
        return base + unit if word == "OTHERWISE" else base
    return None


def next_tab_stop(column: int, width: int) -> int:
    """Spaces to insert at 0-based ``column`` to reach the next tab stop."""
    return width - (column % width) if width > 0 else 0
