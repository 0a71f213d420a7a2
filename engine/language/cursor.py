"""The parser's cursor: tokens and position, open blocks, diagnostics, comments.

The base class of the parser's parts: ``expressions.py`` (expressions and types),
``blocks.py`` (IF, CASE, loops), ``definitions.py`` (DECLARE, CONSTANT, routines,
TYPE, CLASS) and ``parser.py`` (the statement loop and the simple statements) each
add the rules of one kind of construct to this one object, so the hot loops read
plain attributes of ``self``. Also here: the recovery rules every block loop shares
(a missing or wrong END keyword, a misspelt keyword).
"""

from __future__ import annotations

import sys

from engine.language import diagnostics as diag
from engine.language import nodes as n
from engine.language.diagnostics import Diagnostic
from engine.language.hints import CLOSER_TEXT, closest_keyword
from engine.language.lexer import LexResult
from engine.language.nodes import Span
from engine.language.tokens import Token, TokenKind
from engine.language.vocabulary import BLOCK_CLOSERS

MAX_BLOCK_DEPTH = 60       # Python refuses more than 100 indentation levels
MAX_LOOP_DEPTH = 20        # Python refuses more than 20 nested loops
MAX_EXPR_NESTING = 50      # parentheses, unary operators, calls inside calls
MAX_EXPR_OPERATORS = 150   # binary operators in one expression

# ``new_span(Span, (line, column, end_line, end_column))``: a Span without the Python-level
# ``__new__`` of a NamedTuple (the parser makes one for nearly every token).
new_span = tuple.__new__

# The token kinds as module globals. On Python 3.11 reading ``TokenKind.NAME`` is slow
# (EnumType defines ``__getattr__``, so every read of a member takes the slow attribute
# path and allocates a method wrapper: ~10x a global read), and the parser compares kinds
# several times per token.
CHAR_KIND, DATE_KIND, EOF_KIND = TokenKind.CHAR, TokenKind.DATE, TokenKind.EOF
ERROR_KIND, INTEGER_KIND, KEYWORD_KIND = TokenKind.ERROR, TokenKind.INTEGER, TokenKind.KEYWORD
NAME_KIND, NEWLINE_KIND, OPERATOR_KIND = TokenKind.NAME, TokenKind.NEWLINE, TokenKind.OPERATOR
REAL_KIND, STRING_KIND = TokenKind.REAL, TokenKind.STRING

_NO_LINE = sys.maxsize  # ``trivia_line`` when no trivia is left: after every line

# The keywords a line that ends open blocks starts with (see ``definition_ends_blocks``).
DEFINITION_WORDS = frozenset({"PUBLIC", "PRIVATE", "PROCEDURE", "FUNCTION", "TYPE", "CLASS"})

# Keywords that stay keywords in any case (they are operators or values).
_NEVER_NAMES = frozenset({"AND", "OR", "NOT", "DIV", "MOD", "TRUE", "FALSE"})


class SkipLine(Exception):
    """Raised after a syntax error: the rest of the statement's line is skipped."""


class TooDeep(Exception):
    """Raised when nesting passes a limit; reported once, then the line is skipped."""


class TokenCursor:
    """The state every part of the parser shares, and the rules that only move the cursor."""

    def __init__(self, lexed: LexResult) -> None:
        self.tokens = tokens = lexed.tokens
        # The tokens' fields as parallel sequences, read by index in the hot paths: on
        # Python 3.11 reading a NamedTuple field (``token.kind``) is an unspecialised
        # attribute lookup, several times a list item's cost, and the parser reads about
        # eight fields per token; ``zip`` transposes them once, in C. ``kinds``, ``values``
        # and ``texts`` are lists: a misspelt keyword is replaced (``_replace_token``).
        kinds, values, self.lines, self.columns, self.ends, texts = zip(*tokens, strict=True)
        self.kinds, self.values, self.texts = list(kinds), list(values), list(texts)
        self.pos = 0
        self.diagnostics: list[Diagnostic] = []
        trivia: list[tuple[int, str | None, bool]] = [
            (c.line, c.text, c.own_line) for c in lexed.comments]
        trivia += [(line, None, True) for line in lexed.blank_lines]
        trivia.sort(key=lambda item: (item[0], item[1] is not None))
        self.trivia = trivia
        self.trivia_pos = 0
        # The line of trivia[trivia_pos] (past every line when none is left): most
        # statements have no comment or blank line before or after them, which this
        # tells in one comparison.
        self.trivia_line = trivia[0][0] if trivia else _NO_LINE
        # keyword, line, FOR variable, column
        self.open_blocks: list[tuple[str, int, str | None, int]] = []
        self.loop_depth = 0
        self.routine: str | None = None  # "PROCEDURE" / "FUNCTION" while inside one
        self.in_class = False
        self.expr_nesting = 0
        self.expr_operators = 0
        self.pointer_names = pointer_names(self.tokens) if lexed.may_have_pointers else \
            frozenset()
        # Places where a keyword written in lower or mixed case is used as a name.
        self.soft_names: set[tuple[int, int]] = set()

    # ------------------------------------------------------------ tokens
    def peek(self, offset: int = 0) -> Token:
        index = self.pos + offset
        if index < len(self.tokens):
            return self.tokens[index]
        return self.tokens[-1]

    def advance(self) -> Token:
        pos = self.pos
        if self.kinds[pos] is not EOF_KIND:
            self.pos = pos + 1
        return self.tokens[pos]

    def at_keyword(self, *words: str) -> bool:
        pos = self.pos
        return self.kinds[pos] is KEYWORD_KIND and self.values[pos] in words

    def at_op(self, *ops: str) -> bool:
        pos = self.pos
        return self.kinds[pos] is OPERATOR_KIND and self.values[pos] in ops

    def at_line_end(self) -> bool:
        kind = self.kinds[self.pos]
        return kind is NEWLINE_KIND or kind is EOF_KIND

    def at_eof(self) -> bool:
        return self.kinds[self.pos] is EOF_KIND

    def skip_newlines(self) -> None:
        kinds, pos = self.kinds, self.pos
        while kinds[pos] is NEWLINE_KIND:
            pos += 1
        self.pos = pos

    def skip_line(self) -> None:
        self.skip_line_keep()
        if self.kinds[self.pos] is NEWLINE_KIND:
            self.pos += 1

    def skip_line_keep(self) -> None:
        """Skip to the end of the line but leave the NEWLINE for the caller."""
        kinds, pos = self.kinds, self.pos
        while kinds[pos] is not NEWLINE_KIND and kinds[pos] is not EOF_KIND:
            pos += 1
        self.pos = pos

    def _replace_token(self, pos: int, token: Token) -> None:
        """Read the token at ``pos`` as ``token`` from now on (same place, other kind)."""
        self.tokens[pos] = token
        self.kinds[pos], self.values[pos], self.texts[pos] = token.kind, token.value, token.text

    def prev_end(self) -> tuple[int, int]:
        last = self.pos - 1 if self.pos else 0
        return self.lines[last], self.ends[last]

    def span_from(self, start: Token | Span) -> Span:
        """From the start of ``start`` (a token or a span) to the end of the last token read."""
        last = self.pos - 1 if self.pos else 0
        return new_span(Span, (start.line, start.column, self.lines[last], self.ends[last]))

    def token_span(self, token: Token) -> Span:
        """The span of one token (``new_span``: no Python-level ``Span.__new__``)."""
        return new_span(Span, (token.line, token.column, token.line, token.end_column))

    def span_from_pos(self, first: int) -> Span:
        """From the start of the token at ``first`` to the end of the last token read
        (``first`` < ``pos``)."""
        lines, last = self.lines, self.pos - 1
        return new_span(Span, (lines[first], self.columns[first], lines[last], self.ends[last]))

    # ------------------------------------------------------------ diagnostics
    def report(self, code: str, message: str, where: Token | Span, hint: str = "") -> None:
        if isinstance(where, Token):
            span = Span(where.line, where.column, where.line, max(where.end_column,
                                                                  where.column + 1))
        else:
            span = where
        self.diagnostics.append(diag.make(code, message, span.line, span.column,
                                          span.end_line, span.end_column, hint))

    def fail(self, code: str, message: str, where: Token | Span, hint: str = "") -> SkipLine:
        self.report(code, message, where, hint)
        return SkipLine()

    def describe(self, token: Token) -> str:
        if token.kind is NEWLINE_KIND:
            return "the end of the line"
        if token.kind is EOF_KIND:
            return "the end of the program"
        if token.kind is STRING_KIND:
            return f'the string "{token.value}"'
        if token.kind is CHAR_KIND:
            return f"the character '{token.value}'"
        return f"'{token.value}'"

    def expect_op(self, op: str, context: str, hint: str = "") -> Token:
        pos = self.pos
        if self.kinds[pos] is OPERATOR_KIND and self.values[pos] == op:
            self.pos = pos + 1
            return self.tokens[pos]
        token = self.peek()
        raise self.fail("E110", f"Expected '{op}' {context}, but found {self.describe(token)}",
                        token, hint)

    def expect_keyword(self, word: str, context: str, hint: str = "") -> Token:
        pos = self.pos
        if self.kinds[pos] is KEYWORD_KIND and self.values[pos] == word:
            self.pos = pos + 1
            return self.tokens[pos]
        token = self.peek()
        raise self.fail("E110", f"Expected {word} {context}, but found {self.describe(token)}",
                        token, hint)

    def soft_name(self, token: Token) -> bool:
        """A keyword not written in capitals, where a name fits, is a name (``print``, ``list``)."""
        if token.kind is not KEYWORD_KIND or not token.text or token.text == token.value:
            return False
        return token.value not in _NEVER_NAMES

    def as_name(self, token: Token) -> Token:
        self.soft_names.add((token.line, token.column))
        return Token(NAME_KIND, token.text, token.line, token.column, token.end_column)

    def statement_starts_with_name(self, token: Token) -> bool:
        """``next <- 5``: a lower-case keyword at the start of an assignment is a name."""
        return self.soft_name(token) and self.peek(1).kind is OPERATOR_KIND and \
            self.peek(1).value in ("<-", "=", "[", ".")

    def expect_name(self, context: str) -> Token:
        token = self.peek()
        if token.kind is NAME_KIND:
            return self.advance()
        if self.soft_name(token):
            self.advance()
            return self.as_name(token)
        if token.kind is KEYWORD_KIND:
            raise self.fail("E119", f"{token.value} is a keyword and cannot be used as {context}",
                            token, hint="Choose another name, for example by adding a word: "
                                        f"My{token.value.capitalize()}.")
        raise self.fail("E110", f"Expected {context}, but found {self.describe(token)}", token)

    def end_statement(self) -> None:
        """Require the end of the line after a complete statement."""
        pos = self.pos
        kind = self.kinds[pos]
        if kind is NEWLINE_KIND:
            self.pos = pos + 1
            return
        if kind is EOF_KIND:
            return
        if kind is ERROR_KIND:
            raise SkipLine()  # the lexer reported it
        token = self.tokens[pos]
        raise self.fail("E110", f"Unexpected {self.describe(token)} after the end of the "
                                "statement", token,
                        hint="Each statement takes one line; start a new line or join "
                             "values with an operator.")

    # ------------------------------------------------------------ trivia
    def take_trivia(self, before_line: int) -> list[n.Trivia]:
        items: list[n.Trivia] = []
        if self.trivia_line >= before_line:
            return items
        trivia, pos = self.trivia, self.trivia_pos
        while pos < len(trivia) and trivia[pos][0] < before_line:
            items.append(trivia[pos][1])
            pos += 1
        self._trivia_to(pos)
        return items

    def take_trailing(self, line: int) -> str | None:
        if self.trivia_line != line:
            return None
        _line, text, own_line = self.trivia[self.trivia_pos]
        if not own_line and text is not None:
            self._trivia_to(self.trivia_pos + 1)
            return text
        return None

    def _trivia_to(self, pos: int) -> None:
        self.trivia_pos = pos
        self.trivia_line = self.trivia[pos][0] if pos < len(self.trivia) else _NO_LINE

    def _end_trivia(self, body: list[n.Stmt], line: int) -> None:
        items = self.take_trivia(line)
        if items:
            body.append(n.TriviaOnly(Span(line, 1, line, 1), before=items))

    # ------------------------------------------------------------ open blocks and their END keywords
    def _open(self, word: str, token: Token, variable: str | None = None) -> None:
        if len(self.open_blocks) >= MAX_BLOCK_DEPTH:
            self.report("E116", f"Blocks nested more than {MAX_BLOCK_DEPTH} deep", token,
                        hint="Move the inner part into a PROCEDURE or FUNCTION.")
            raise TooDeep()
        self.open_blocks.append((word, token.line, variable, token.column))

    def _close(self) -> None:
        self.open_blocks.pop()

    def _unclosed(self, word: str, start: Token, hint: str = "") -> None:
        closer = CLOSER_TEXT[word]
        found = self.peek()
        where = "the end of the program" if found.kind is EOF_KIND else (
            f"{found.value} on line {found.line}")
        self.report("E111", f"{word} without {closer}: the {word} on line {start.line} is "
                            f"never closed", start,
                    hint=hint or f"Add {closer} where the {word} block ends (before {where}).")

    def _header_end(self, stmt: n.Stmt, line: int) -> None:
        self.end_statement()
        stmt.trailing = self.take_trailing(line)

    def _finish_closer(self, body: list | None = None) -> None:
        """After an END keyword: nothing else may follow on its line. A comment on that
        line stays with the block: it ends ``body``."""
        line = self.tokens[self.pos - 1].line
        try:
            self.end_statement()
        except SkipLine:
            self.skip_line()
        text = self.take_trailing(line)
        if text is not None and body is not None:
            body.append(n.TriviaOnly(Span(line, 1, line, 1), before=[text]))

    def definition_ends_blocks(self, token: Token) -> bool:
        """A PROCEDURE, FUNCTION, TYPE or CLASS line inside an open block means that block's
        END keyword is missing: the blocks end here (each reports E111 once), so the
        definition is read at the top level and a missing END never cascades."""
        word = token.value
        if token.kind is not KEYWORD_KIND or word not in DEFINITION_WORDS or \
                not self.open_blocks:
            return False
        if word in ("PUBLIC", "PRIVATE") and self.peek(1).is_keyword("PROCEDURE", "FUNCTION"):
            word = self.peek(1).value
        if word in ("PROCEDURE", "FUNCTION"):
            closing = [block for block in self.open_blocks if block[0] != "CLASS"]
        elif word in ("TYPE", "CLASS") and not self.statement_starts_with_name(token):
            closing = self.open_blocks
        else:
            return False
        # Written further in than the block it would close: meant to be inside it (E117).
        return bool(closing) and token.column <= closing[0][3]

    def fix_misspelt_keyword(self) -> Token:
        """``OUPTUT Count``, ``DECALRE X : INTEGER``, ``ENDWHLIE``: a name at the start of a
        statement that cannot begin one, and is spelt nearly like a keyword, is reported as
        that keyword (E120, at the word) and read as it, so the rest of the line is checked."""
        token = self.tokens[self.pos]
        if token.kind is not NAME_KIND or len(token.value) < 3:
            return token
        after = self.peek(1)
        if after.kind is OPERATOR_KIND and after.value in ("<-", "=", "[", ".", "(", ":"):
            return token
        guess = closest_keyword(token.value.upper())
        if guess is None:
            return token
        self.report("E120", f"{token.value} is not a keyword: did you mean {guess}?", token,
                    hint=f"Write {guess}.")
        fixed = Token(KEYWORD_KIND, guess, token.line, token.column, token.end_column,
                      guess)
        self._replace_token(self.pos, fixed)
        return fixed

    def _closes_open_block(self, token: Token) -> bool:
        word = token.value
        opener = BLOCK_CLOSERS.get(word)
        if word in ("ELSE", "ELSEIF"):
            opener = "IF"
        elif word == "OTHERWISE":
            opener = "CASE"
        return any(block[0] == opener for block in self.open_blocks)

    def _wrong_closer(self, token: Token) -> bool:
        """``FUNCTION ... ENDPROCEDURE``: an END keyword of another block, written at the
        indentation of the innermost open block, is reported once (E112) and read as the
        END keyword that block needs, so the slip costs one error, not two."""
        if not self.open_blocks or token.value not in BLOCK_CLOSERS:
            return False
        opener, line, _variable, column = self.open_blocks[-1]
        if opener in ("REPEAT", "CASE", "TYPE", "CLASS") or token.column != column:
            return False
        closer = CLOSER_TEXT[opener]
        self.report("E112", f"{token.value} cannot close the {opener} on line {line}: "
                            f"write {closer}", token,
                    hint=f"A {opener} ends with {closer}.")
        self._replace_token(self.pos, Token(KEYWORD_KIND, closer, token.line, token.column,
                                            token.end_column, closer))
        return True

    def _stray_closer(self, token: Token) -> None:
        word = token.value
        opener = {"ELSE": "IF", "ELSEIF": "IF", "OTHERWISE": "CASE"}.get(word) or BLOCK_CLOSERS[word]
        self.report("E112", f"{word} without a matching {opener}", token,
                    hint=f"Remove this {word}, or add the {opener} it should close above it.")
        self.skip_line()

    # ------------------------------------------------------------ provided by Parser (the statement loop)
    def parse_block(self, stops: frozenset[str]) -> list[n.Stmt]:
        """Statements until a keyword in ``stops``, a closer of an outer block, or EOF."""
        raise NotImplementedError

    def parse_statement(self) -> n.Stmt | None:
        raise NotImplementedError


def pointer_names(tokens: list[Token]) -> frozenset[str]:
    """Upper-case names of pointers (for reading ``p^`` as a dereference): names declared
    with a pointer type, and names given an address (``P <- ^X`` or ``P <- @X``)."""
    pointer_types: set[str] = set()
    names: set[str] = set()
    count = len(tokens)
    for i in range(count - 3):
        if tokens[i].is_keyword("TYPE") and tokens[i + 1].kind is NAME_KIND and \
                tokens[i + 2].is_op("=") and tokens[i + 3].is_op("^"):
            pointer_types.add(tokens[i + 1].value.upper())
        elif tokens[i].kind is NAME_KIND and tokens[i + 1].is_op("<-") and \
                tokens[i + 2].is_op("^", "@"):
            names.add(tokens[i].value.upper())
    if not pointer_types:
        return frozenset(names)
    for i in range(count - 2):
        token = tokens[i + 2]
        if tokens[i + 1].is_op(":") and token.kind is NAME_KIND and \
                token.value.upper() in pointer_types:
            j = i
            while j >= 0 and tokens[j].kind is NAME_KIND:
                names.add(tokens[j].value.upper())
                if j >= 1 and tokens[j - 1].is_op(","):
                    j -= 2
                else:
                    break
    return frozenset(names)
