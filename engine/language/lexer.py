"""Lexer: pseudocode text -> tokens, comments and lexical diagnostics.

One compiled regular expression reads the text line by line (a line met
before is copied, not read again). It never fails: a character it cannot read becomes an ERROR token plus a
diagnostic, so the parser always gets a complete token stream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.language import diagnostics as diag
from engine.language.diagnostics import Diagnostic
from engine.language.tokens import Token, TokenKind
from engine.language.vocabulary import KEYWORDS

if TYPE_CHECKING:
    import datetime

# Whitespace before a token is part of its match (one match per token, not two); any
# whitespace other than a line break, at the end of a line too, is never an error (it is
# taken possessively: at a line's end nothing matches, and finditer stops). Every
# alternative starts with a literal or a character set, which sre tests before trying it.
# Group 1 (``word``) is the four commonest tokens (nine in ten): names, operators, whole
# numbers and strings, told apart afterwards by their spelling (``_Spellings``). Each is
# guarded so that it never takes what a later alternative would: a name is not the start
# of "END IF", an operator not the start of // == && or .5, a whole number not the start
# of a date or a real (``digits`` then takes "10" of "10/2", as ``integer`` would).
_TOKEN_RE = re.compile(
    r"""
    [^\S\r\n]*+
    (?:
    (?P<word>
        [A-DF-Za-df-z][A-Za-z0-9_]*
      | [Ee](?![Nn][Dd][ \t]+(?i:IF|WHILE|FOR|CASE|PROCEDURE|FUNCTION|TYPE|CLASS)
            (?![A-Za-z0-9_]))[A-Za-z0-9_]*
      | <-|<=|>=|<>|[-+*^()\[\],:@<>\u2190]|&(?!&)|=(?!=)|/(?!/)|\.(?!\d)
      | \d+(?![\d./])
      | "[^"\r\n]*")
  | (?P<endword>[Ee][Nn][Dd][ \t]+(?i:IF|WHILE|FOR|CASE|PROCEDURE|FUNCTION|TYPE|CLASS)
        (?![A-Za-z0-9_]))
  | (?P<comment>//[^\r\n]*)
  | (?P<date>\d{1,2}/\d{1,2}/\d{4}(?![0-9A-Za-z_.]))
  | (?P<real>\d+\.\d+)
  | (?P<badreal>\d+\.(?!\d)|\.\d+)
  | (?P<digits>\d+)
  | (?P<char>'[^'\r\n]*')
  | (?P<curlystring>[\u201c\u201d][^\u201c\u201d"\r\n]*[\u201c\u201d"])
  | (?P<curlychar>[\u2018\u2019][^\u2018\u2019'\r\n]*[\u2018\u2019'])
  | (?P<openstring>["\u201c][^\r\n]*)
  | (?P<openchar>['\u2018][^\r\n]*)
  | (?P<cstyle>==|!=|&&|\|\|)
  | (?P<typo>[\u2264\u2265\u2260\u2212\u00d7\u00f7])
  | (?P<bad>.)
    )""",
    re.VERBOSE,
)

# The line breaks the regex knows (str.splitlines knows more: they are whitespace here).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

_C_STYLE = {"==": "=", "!=": "<>", "&&": "AND", "||": "OR"}
_TYPOGRAPHIC = {"\u2264": "<=", "\u2265": ">=", "\u2260": "<>", "\u2212": "-", "\u00d7": "*",
                "\u00f7": "/"}


@dataclass(slots=True)
class Comment:
    """A ``//`` comment: its text (without the slashes) and where it stands."""

    text: str
    line: int
    column: int
    own_line: bool  # nothing but spaces before it on its line


@dataclass(slots=True)
class LexResult:
    tokens: list[Token]
    comments: list[Comment]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    blank_lines: frozenset[int] = frozenset()
    # False when the text has neither ^ nor @: then no token can declare or take a pointer.
    may_have_pointers: bool = True


def tokenize(text: str) -> LexResult:
    """Split ``text`` into tokens; comments and blank lines are kept aside.

    The text is read line by line, and a line read before is not read again: its tokens
    are copied from the first time with the new line number (programs repeat many lines:
    ENDIF, NEXT I, RETURN Result ...). A new line is read by the regex; the hot loop
    handles the four commonest tokens first, builds tokens with ``tuple.__new__`` (no
    Python-level ``__new__`` call) and reads each distinct spelling once (``spellings``)."""
    tokens: list[Token] = []
    comments: list[Comment] = []
    problems: list[Diagnostic] = []
    blank: set[int] = set()
    append = tokens.append
    new = tuple.__new__
    token_type = Token
    newline_kind = TokenKind.NEWLINE
    spellings: dict[str, _Spelling] = {}
    spellings_get = spellings.get
    # A line read once, without a diagnostic: where its tokens are in ``tokens`` and its
    # comment (text, column, own line); the lines met again, by text: their tokens without
    # the line number, and their comment.
    first: dict[str, tuple[int, int, _LineComment | None]] = {}
    shapes: dict[str, tuple[tuple[_Row, ...], _LineComment | None]] = {}
    first_get, shapes_get = first.get, shapes.get
    finditer = _TOKEN_RE.finditer
    lines = _LINE_BREAK.split(text) if "\r" in text else text.split("\n")
    line = 0
    for line_text in lines:
        line += 1
        shape = shapes_get(line_text)
        if shape is None:
            seen = first_get(line_text)
            if seen is not None:
                shape = shapes[line_text] = _shape(tokens, *seen)
        if shape is not None:
            rows, comment = shape
            if comment is not None:
                comments.append(Comment(comment[0], line, comment[1], comment[2]))
            elif not rows:
                blank.add(line)
            for kind, value, col, end_col, word_text in rows:
                append(new(token_type, (kind, value, line, col, end_col, word_text)))
            continue
        start = len(tokens)
        reported = len(problems)
        comment = None
        for match in finditer(line_text):
            value = match[1]
            if value is not None:  # a name, keyword, operator, whole number or string
                end_col = match.end() + 1
                spelling = spellings_get(value)
                if spelling is None:
                    spelling = spellings[value] = _spelling(value)
                kind, word_value, word_text, size, miscased = spelling
                col = end_col - size
                if miscased:
                    problems.append(_keyword_case(value, word_value, line, col, end_col))
                append(new(token_type, (kind, word_value, line, col, end_col, word_text)))
                continue
            kind = match.lastgroup
            value = match[kind]
            col = match.start(kind) + 1
            end_col = col + len(value)
            if kind == "endword":
                word = "END" + value.split()[-1].upper()
                problems.append(diag.make(
                    "W106", f"'{value}' read as {word}", line, col, line, end_col,
                    hint=f"Write {word} as one word."))
                append(Token(TokenKind.KEYWORD, word, line, col, end_col, word))
            elif kind == "comment":
                comment = (value[2:], col, len(tokens) == start)
                comments.append(Comment(value[2:], line, col, len(tokens) == start))
            else:
                _rare_token(kind, value, line, col, end_col, tokens, problems)
        if len(tokens) > start:
            col = len(line_text) + 1
            append(new(token_type, (newline_kind, "\n", line, col, col + 1, "")))
        elif comment is None:
            blank.add(line)
        if len(problems) == reported:
            first[line_text] = (start, len(tokens), comment)
    blank.discard(line)  # the last line has no line break after it
    last_col = len(lines[-1]) + 1
    tokens.append(Token(TokenKind.EOF, "", line, last_col, last_col))
    return LexResult(tokens, comments, problems, frozenset(blank),
                     "^" in text or "@" in text)


# A line's comment: its text, column and whether it is alone on its line.
_LineComment = tuple[str, int, bool]
# A token without its line: kind, value, column, end column, text.
_Row = tuple[TokenKind, str, int, int, str]
# How a spelling of one of the four commonest tokens is read: kind, value, text, length,
# and whether it is a keyword not in capitals (then it gives warning W101).
_Spelling = tuple[TokenKind, str, str, int, bool]
_KEYWORD, _NAME, _STRING, _INTEGER, _OPERATOR = (
    TokenKind.KEYWORD, TokenKind.NAME, TokenKind.STRING, TokenKind.INTEGER, TokenKind.OPERATOR)


def _spelling(spelling: str) -> _Spelling:
    """How a spelling matched by ``_TOKEN_RE``'s group 1 is read: a keyword (value in
    capitals, text as written), a name, a string (value without the quotes), a whole
    number or an operator (value in ASCII)."""
    first = spelling[0]
    size = len(spelling)
    if first.isalpha():  # [A-Za-z]: no operator is a letter
        upper = spelling.upper()
        if upper in KEYWORDS:
            return _KEYWORD, upper, spelling, size, spelling != upper
        return _NAME, spelling, "", size, False
    if first == '"':
        return _STRING, spelling[1:-1], "", size, False
    if first.isdecimal():  # what \d matches
        return _INTEGER, spelling, "", size, False
    return _OPERATOR, "<-" if spelling == "\u2190" else spelling, "", size, False


def _shape(tokens: list[Token], start: int, stop: int, comment: _LineComment | None
           ) -> tuple[tuple[_Row, ...], _LineComment | None]:
    """What a line read before gives again: its tokens (``tokens[start:stop]``) without
    their line number, and its comment."""
    return tuple((kind, value, col, end_col, text)
                 for kind, value, _line, col, end_col, text in tokens[start:stop]), comment


def _rare_token(kind: str, value: str, line: int, col: int, end_col: int, tokens: list[Token],
                problems: list[Diagnostic]) -> None:
    """Every other token: literals, and the slips the lexer reads and reports."""
    append = tokens.append
    if kind == "digits":
        append(Token(TokenKind.INTEGER, value, line, col, end_col))
    elif kind == "real":
        append(Token(TokenKind.REAL, value, line, col, end_col))
    elif kind == "date":
        if date_of(value) is None:
            problems.append(diag.make(
                "E106", f"{value} is not a real date", line, col, line, end_col,
                hint="A DATE literal is dd/mm/yyyy: a day that exists in its month, and a "
                     "month from 1 to 12."))
            append(Token(TokenKind.ERROR, value, line, col, end_col))
        else:
            append(Token(TokenKind.DATE, value, line, col, end_col))
    elif kind == "char":
        _char_token(value[1:-1], line, col, end_col, tokens, problems)
    elif kind in ("curlystring", "curlychar"):
        problems.append(diag.make(
            "W104", "Curly quotation marks read as straight ones", line, col, line, end_col,
            hint="Use straight quotes: \" for strings and ' for characters "
                 "(word processors change them)."))
        if kind == "curlystring":
            append(Token(TokenKind.STRING, value[1:-1], line, col, end_col))
        else:
            _char_token(value[1:-1], line, col, end_col, tokens, problems)
    elif kind == "cstyle":
        meaning = _C_STYLE[value]
        problems.append(diag.make(
            "E105", f"'{value}' is not a pseudocode operator", line, col, line, end_col,
            hint=f"Write {meaning}." + (" A single = compares two values."
                                          if value == "==" else "")))
        kind_of = TokenKind.KEYWORD if meaning in ("AND", "OR") else TokenKind.OPERATOR
        append(Token(kind_of, meaning, line, col, end_col, meaning))
    elif kind == "typo":
        ascii_op = _TYPOGRAPHIC[value]
        problems.append(diag.make(
            "W104", f"'{value}' read as '{ascii_op}'", line, col, line, end_col,
            hint=f"Write {ascii_op}."))
        append(Token(TokenKind.OPERATOR, ascii_op, line, col, end_col))
    elif kind in ("openstring", "openchar"):
        what = "string" if kind == "openstring" else "character"
        quote = '"' if kind == "openstring" else "'"
        problems.append(diag.make(
            "E102", f"This {what} is not closed on its line", line, col, line, end_col,
            hint=f"Add the closing {quote} before the end of the line."))
        append(Token(TokenKind.ERROR, value, line, col, end_col))
    elif kind == "badreal":
        problems.append(diag.make(
            "E104", f"'{value}' is not a number", line, col, line, end_col,
            hint="A REAL needs a digit on both sides of the point, as in 3.0 or 0.5."))
        append(Token(TokenKind.ERROR, value, line, col, end_col))
    else:  # bad
        problems.append(diag.make(
            "E101", f"The character {value!r} is not part of the language",
            line, col, line, end_col, hint=_bad_char_hint(value)))
        append(Token(TokenKind.ERROR, value, line, col, end_col))


def date_of(text: str) -> datetime.date | None:
    """The date a literal dd/mm/yyyy stands for, or None when there is no such day."""
    import datetime  # here: checking a program without a DATE literal never needs it

    day, month, year = (int(part) for part in text.split("/"))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _keyword_case(value: str, upper: str, line: int, col: int, end_col: int) -> Diagnostic:
    return diag.make("W101", f"Keyword '{value}' should be written in capitals: {upper}",
                     line, col, line, end_col,
                     hint=f"Write {upper}. If you meant a name of your own, choose another "
                          f"name: {upper} is a keyword.")


def _char_token(content: str, line: int, col: int, end_col: int, tokens: list[Token],
                problems: list[Diagnostic]) -> None:
    if len(content) != 1:
        what = "empty" if not content else f"{len(content)} characters long"
        problems.append(diag.make(
            "E103", f"A character literal holds exactly one character; this one is {what}",
            line, col, line, end_col,
            hint='Use double quotes for a STRING: "' + content + '".'))
        tokens.append(Token(TokenKind.STRING, content, line, col, end_col))
        return
    tokens.append(Token(TokenKind.CHAR, content, line, col, end_col))


def _bad_char_hint(ch: str) -> str:
    if ch == "!":
        return "For 'not equal' write <>; for NOT write NOT."
    if ch in "{}":
        return "Braces are not used in pseudocode."
    if ch == ";":
        return "Statements end at the end of the line; no ';' is needed."
    if ch == "%":
        return "For the remainder write MOD."
    if ch == "_":
        return "A name must start with a letter."
    if ch.isalpha():
        return "Names use the letters A-Z, digits and _ only."
    return "Remove it, or put it inside a string."
