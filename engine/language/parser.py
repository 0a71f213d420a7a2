"""Parser: tokens -> syntax tree (``nodes.Program``) + syntax diagnostics.

A hand-written recursive-descent parser, one statement per line. It never
stops at the first error: a bad statement is reported and skipped to the end
of its line, and a block whose END keyword is missing is reported at the line
of the statement that opened it, then parsing carries on. Nesting is bounded
(blocks, expressions), so no input can exhaust the Python stack.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.language import diagnostics as diag
from engine.language import nodes as n
from engine.language.diagnostics import Diagnostic
from engine.language.lexer import LexResult, date_of, tokenize
from engine.language.nodes import Span
from engine.language.numbers import int_from_digits
from engine.language.tokens import Token, TokenKind
from engine.language.vocabulary import BASE_TYPES, BLOCK_CLOSERS
from engine.language.vocabulary import KEYWORDS as KEYWORD_SET

MAX_BLOCK_DEPTH = 60       # Python refuses more than 100 indentation levels
MAX_LOOP_DEPTH = 20        # Python refuses more than 20 nested loops
MAX_EXPR_NESTING = 50      # parentheses, unary operators, calls inside calls
MAX_EXPR_OPERATORS = 150   # binary operators in one expression

_CLOSER_TEXT = {
    "IF": "ENDIF", "CASE": "ENDCASE", "FOR": "NEXT", "WHILE": "ENDWHILE", "REPEAT": "UNTIL",
    "PROCEDURE": "ENDPROCEDURE", "FUNCTION": "ENDFUNCTION", "TYPE": "ENDTYPE",
    "CLASS": "ENDCLASS",
}

# Binary operator precedence, lowest first (section 3 of LANGUAGE.md).
_LEVELS: list[frozenset[str]] = [
    frozenset({"OR"}),
    frozenset({"AND"}),
    frozenset({"=", "<>", "<", "<=", ">", ">="}),
    frozenset({"&"}),
    frozenset({"+", "-"}),
    frozenset({"*", "/", "DIV", "MOD"}),
]
_PRECEDENCE: dict[str, int] = {op: level for level, ops in enumerate(_LEVELS) for op in ops}

_OPERAND_START_OPS = frozenset({"(", "-", "@", "^"})
# Keywords that stay keywords in any case (they are operators or values).
_NEVER_NAMES = frozenset({"AND", "OR", "NOT", "DIV", "MOD", "TRUE", "FALSE"})
_OPERAND_START_KEYWORDS = frozenset({"TRUE", "FALSE", "NOT", "NEW", "SUPER", "DIV", "MOD"})


class _SkipLine(Exception):
    """Raised after a syntax error: the rest of the statement's line is skipped."""


class _TooDeep(Exception):
    """Raised when nesting passes a limit; reported once, then the line is skipped."""


def parse(text: str) -> tuple[n.Program, list[Diagnostic]]:
    """Parse pseudocode text; return the tree and every lexical and syntax diagnostic."""
    lexed = tokenize(text)
    parser = Parser(lexed)
    program = parser.parse_program()
    lexical = [d for d in lexed.diagnostics
               if not (d.code == "W101" and (d.line, d.column) in parser.soft_names)]
    problems = lexical + parser.diagnostics
    # The parser is a reference cycle (its tables of bound methods); emptying it frees its
    # tokens now, by reference counting, instead of in one long collection later that
    # holds the GIL (and stalls the editor's window) for tens of milliseconds.
    parser.__dict__.clear()
    return program, problems


class Parser:
    def __init__(self, lexed: LexResult) -> None:
        self.tokens = lexed.tokens
        self.pos = 0
        self.diagnostics: list[Diagnostic] = []
        trivia: list[tuple[int, str | None, bool]] = [
            (c.line, c.text, c.own_line) for c in lexed.comments]
        trivia += [(line, None, True) for line in lexed.blank_lines]
        trivia.sort(key=lambda item: (item[0], item[1] is not None))
        self.trivia = trivia
        self.trivia_pos = 0
        # keyword, line, FOR variable, column
        self.open_blocks: list[tuple[str, int, str | None, int]] = []
        self.loop_depth = 0
        self.routine: str | None = None  # "PROCEDURE" / "FUNCTION" while inside one
        self.in_class = False
        self.expr_nesting = 0
        self.expr_operators = 0
        self.pointer_names = _pointer_names(self.tokens) if lexed.may_have_pointers else \
            frozenset()
        # Places where a keyword written in lower or mixed case is used as a name.
        self.soft_names: set[tuple[int, int]] = set()
        self._statements: dict[str, Callable[[Token], n.Stmt | None]] = {
            "DECLARE": self._declare, "CONSTANT": self._constant, "INPUT": self._input,
            "OUTPUT": self._output, "PRINT": self._output, "IF": self._if, "CASE": self._case,
            "FOR": self._for, "WHILE": self._while, "REPEAT": self._repeat,
            "PROCEDURE": self._procedure, "FUNCTION": self._function, "CALL": self._call,
            "RETURN": self._return, "TYPE": self._type, "CLASS": self._class,
            "OPENFILE": self._openfile, "READFILE": self._readfile,
            "WRITEFILE": self._writefile, "CLOSEFILE": self._closefile,
            "SEEK": self._seek, "GETRECORD": self._getrecord, "PUTRECORD": self._putrecord,
        }

    # ------------------------------------------------------------ tokens
    def peek(self, offset: int = 0) -> Token:
        index = self.pos + offset
        if index < len(self.tokens):
            return self.tokens[index]
        return self.tokens[-1]

    def advance(self) -> Token:
        token = self.tokens[self.pos]
        if token.kind is not TokenKind.EOF:
            self.pos += 1
        return token

    def at_keyword(self, *words: str) -> bool:
        token = self.tokens[self.pos]
        return token.kind is TokenKind.KEYWORD and token.value in words

    def at_op(self, *ops: str) -> bool:
        token = self.tokens[self.pos]
        return token.kind is TokenKind.OPERATOR and token.value in ops

    def at_line_end(self) -> bool:
        return self.tokens[self.pos].kind in (TokenKind.NEWLINE, TokenKind.EOF)

    def at_eof(self) -> bool:
        return self.tokens[self.pos].kind is TokenKind.EOF

    def skip_newlines(self) -> None:
        while self.tokens[self.pos].kind is TokenKind.NEWLINE:
            self.pos += 1

    def skip_line(self) -> None:
        while not self.at_line_end():
            self.pos += 1
        if self.tokens[self.pos].kind is TokenKind.NEWLINE:
            self.pos += 1

    def prev_end(self) -> tuple[int, int]:
        token = self.tokens[self.pos - 1] if self.pos else self.tokens[0]
        return token.line, token.end_column

    def span_from(self, start: Token | Span) -> Span:
        line, end_col = self.prev_end()
        if isinstance(start, Span):
            return Span(start.line, start.column, line, end_col)
        return Span(start.line, start.column, line, end_col)

    # ------------------------------------------------------------ diagnostics
    def report(self, code: str, message: str, where: Token | Span, hint: str = "") -> None:
        if isinstance(where, Token):
            span = Span(where.line, where.column, where.line, max(where.end_column,
                                                                  where.column + 1))
        else:
            span = where
        self.diagnostics.append(diag.make(code, message, span.line, span.column,
                                          span.end_line, span.end_column, hint))

    def fail(self, code: str, message: str, where: Token | Span, hint: str = "") -> _SkipLine:
        self.report(code, message, where, hint)
        return _SkipLine()

    def describe(self, token: Token) -> str:
        if token.kind is TokenKind.NEWLINE:
            return "the end of the line"
        if token.kind is TokenKind.EOF:
            return "the end of the program"
        if token.kind is TokenKind.STRING:
            return f'the string "{token.value}"'
        if token.kind is TokenKind.CHAR:
            return f"the character '{token.value}'"
        return f"'{token.value}'"

    def expect_op(self, op: str, context: str, hint: str = "") -> Token:
        if self.at_op(op):
            return self.advance()
        token = self.peek()
        raise self.fail("E110", f"Expected '{op}' {context}, but found {self.describe(token)}",
                        token, hint)

    def expect_keyword(self, word: str, context: str, hint: str = "") -> Token:
        if self.at_keyword(word):
            return self.advance()
        token = self.peek()
        raise self.fail("E110", f"Expected {word} {context}, but found {self.describe(token)}",
                        token, hint)

    def soft_name(self, token: Token) -> bool:
        """A keyword not written in capitals, where a name fits, is a name (``print``, ``list``)."""
        if token.kind is not TokenKind.KEYWORD or not token.text or token.text == token.value:
            return False
        return token.value not in _NEVER_NAMES

    def as_name(self, token: Token) -> Token:
        self.soft_names.add((token.line, token.column))
        return Token(TokenKind.NAME, token.text, token.line, token.column, token.end_column)

    def statement_starts_with_name(self, token: Token) -> bool:
        """``next <- 5``: a lower-case keyword at the start of an assignment is a name."""
        return self.soft_name(token) and self.peek(1).kind is TokenKind.OPERATOR and \
            self.peek(1).value in ("<-", "=", "[", ".")

    def expect_name(self, context: str) -> Token:
        token = self.peek()
        if token.kind is TokenKind.NAME:
            return self.advance()
        if self.soft_name(token):
            self.advance()
            return self.as_name(token)
        if token.kind is TokenKind.KEYWORD:
            raise self.fail("E119", f"{token.value} is a keyword and cannot be used as {context}",
                            token, hint="Choose another name, for example by adding a word: "
                                        f"My{token.value.capitalize()}.")
        raise self.fail("E110", f"Expected {context}, but found {self.describe(token)}", token)

    def end_statement(self) -> None:
        """Require the end of the line after a complete statement."""
        if self.at_line_end():
            if self.tokens[self.pos].kind is TokenKind.NEWLINE:
                self.pos += 1
            return
        token = self.peek()
        if token.kind is TokenKind.ERROR:
            raise _SkipLine()  # the lexer reported it
        raise self.fail("E110", f"Unexpected {self.describe(token)} after the end of the "
                                "statement", token,
                        hint="Each statement takes one line; start a new line or join "
                             "values with an operator.")

    # ------------------------------------------------------------ trivia
    def take_trivia(self, before_line: int) -> list[n.Trivia]:
        items: list[n.Trivia] = []
        trivia = self.trivia
        while self.trivia_pos < len(trivia) and trivia[self.trivia_pos][0] < before_line:
            items.append(trivia[self.trivia_pos][1])
            self.trivia_pos += 1
        return items

    def take_trailing(self, line: int) -> str | None:
        trivia = self.trivia
        if self.trivia_pos < len(trivia):
            t_line, text, own_line = trivia[self.trivia_pos]
            if t_line == line and not own_line and text is not None:
                self.trivia_pos += 1
                return text
        return None

    # ------------------------------------------------------------ program and blocks
    def parse_program(self) -> n.Program:
        body = self.parse_block(frozenset())
        while not self.at_eof():  # stray closers at top level are reported by parse_block
            body += self.parse_block(frozenset())
        rest = self.take_trivia(10**9)
        if rest:
            body.append(n.TriviaOnly(Span(1, 1, 1, 1), before=rest))
        end = self.peek()
        return n.Program(Span(1, 1, end.line, end.column), body)

    def parse_block(self, stops: frozenset[str]) -> list[n.Stmt]:
        """Statements until a keyword in ``stops``, a closer of an outer block, or EOF."""
        body: list[n.Stmt] = []
        while True:
            self.skip_newlines()
            token = self.fix_misspelt_keyword()
            if token.kind is TokenKind.EOF:
                return body
            if self.definition_ends_blocks(token):
                self._end_trivia(body, token.line)
                return body
            if token.kind is TokenKind.KEYWORD and not self.statement_starts_with_name(token):
                word = token.value
                if word in stops:
                    self._end_trivia(body, token.line)
                    return body
                if word in BLOCK_CLOSERS or word in ("ELSE", "ELSEIF", "OTHERWISE"):
                    if self._closes_open_block(token):
                        self._end_trivia(body, token.line)
                        return body
                    if self._wrong_closer(token):
                        continue  # now the right closer: the loop sees it again
                    self._stray_closer(token)
                    continue
            stmt = self.parse_statement()
            if stmt is not None:
                body.append(stmt)

    def definition_ends_blocks(self, token: Token) -> bool:
        """A PROCEDURE, FUNCTION, TYPE or CLASS line inside an open block means that block's
        END keyword is missing: the blocks end here (each reports E111 once), so the
        definition is read at the top level and a missing END never cascades."""
        if token.kind is not TokenKind.KEYWORD or not self.open_blocks:
            return False
        word = token.value
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

    def _leaves_definition(self, token: Token, start: Token, members: list[n.Stmt],
                           closer: str) -> bool:
        """Inside a TYPE or CLASS whose END keyword is missing: a line that cannot be a
        member, or a DECLARE written back at the definition's own indentation while its
        members were indented, is the program going on after it."""
        if token.is_keyword(closer):
            return False
        is_class = closer == "ENDCLASS"
        member_start = token.is_keyword("DECLARE") or (
            token.kind is TokenKind.NAME and self.peek(1).is_op(":")) or (
            is_class and token.is_keyword("PUBLIC", "PRIVATE", "PROCEDURE", "FUNCTION"))
        if not member_start:
            return not (is_class and token.kind is TokenKind.NAME and
                        token.value.upper() in ("PUBLIC", "PRIVATE"))
        first = next((m for m in members if not isinstance(m, n.TriviaOnly)), None)
        return first is not None and first.span.column > start.column >= token.column

    def fix_misspelt_keyword(self) -> Token:
        """``OUPTUT Count``, ``DECALRE X : INTEGER``, ``ENDWHLIE``: a name at the start of a
        statement that cannot begin one, and is spelt nearly like a keyword, is reported as
        that keyword (E120, at the word) and read as it, so the rest of the line is checked."""
        token = self.tokens[self.pos]
        if token.kind is not TokenKind.NAME or len(token.value) < 3:
            return token
        after = self.peek(1)
        if after.kind is TokenKind.OPERATOR and after.value in ("<-", "=", "[", ".", "(", ":"):
            return token
        guess = _closest_keyword(token.value.upper())
        if guess is None:
            return token
        self.report("E120", f"{token.value} is not a keyword: did you mean {guess}?", token,
                    hint=f"Write {guess}.")
        fixed = Token(TokenKind.KEYWORD, guess, token.line, token.column, token.end_column,
                      guess)
        self.tokens[self.pos] = fixed
        return fixed

    def _end_trivia(self, body: list[n.Stmt], line: int) -> None:
        items = self.take_trivia(line)
        if items:
            body.append(n.TriviaOnly(Span(line, 1, line, 1), before=items))

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
        closer = _CLOSER_TEXT[opener]
        self.report("E112", f"{token.value} cannot close the {opener} on line {line}: "
                            f"write {closer}", token,
                    hint=f"A {opener} ends with {closer}.")
        self.tokens[self.pos] = Token(TokenKind.KEYWORD, closer, token.line, token.column,
                                      token.end_column, closer)
        return True

    def _stray_closer(self, token: Token) -> None:
        word = token.value
        opener = {"ELSE": "IF", "ELSEIF": "IF", "OTHERWISE": "CASE"}.get(word) or BLOCK_CLOSERS[word]
        self.report("E112", f"{word} without a matching {opener}", token,
                    hint=f"Remove this {word}, or add the {opener} it should close above it.")
        self.skip_line()

    def parse_statement(self) -> n.Stmt | None:
        token = self.peek()
        before = self.take_trivia(token.line)
        start_pos = self.pos
        self.expr_operators = 0  # counted per statement (CALL P(N + 1) has no parse_expression)
        try:
            stmt = self._statement(token)
        except _SkipLine:
            if self.pos == start_pos:
                self.pos += 1
            self.skip_line()
            stmt = None
        except _TooDeep:
            self.skip_line()
            stmt = None
        if stmt is not None:
            stmt.before = before + stmt.before
        elif before:
            stmt = n.TriviaOnly(Span(token.line, 1, token.line, 1), before=before)
        return stmt

    def _statement(self, token: Token) -> n.Stmt | None:
        if self.statement_starts_with_name(token):
            return self._assignment_or_call(token)
        if token.kind is TokenKind.KEYWORD:
            handler = self._statements.get(token.value)
            if handler is not None:
                return handler(token)
            if token.value in ("SUPER",):
                return self._assignment_or_call(token)
            if token.value in ("PUBLIC", "PRIVATE"):
                raise self.fail("E117", f"{token.value} is only used for members inside a CLASS",
                                token, hint="Remove it, or move this line into a CLASS.")
            raise self.fail("E113", f"A statement cannot start with {token.value}", token,
                            hint=_statement_hint(token.value))
        if token.kind is TokenKind.NAME:
            upper = token.value.upper()
            if upper == "DEFINE" and self.peek(1).kind is TokenKind.NAME:
                raise self.fail("E150", "Sets (DEFINE) are not supported", token,
                                hint="Use an ARRAY or an enumerated TYPE instead.")
            return self._assignment_or_call(token)
        if token.kind is TokenKind.ERROR:
            raise _SkipLine()  # already reported by the lexer
        if self._line_has_arrow():
            return self._assignment_or_call(token)
        raise self.fail("E113", f"A statement cannot start with {self.describe(token)}", token,
                        hint="A statement starts with a keyword such as OUTPUT, or with the "
                             "name of a variable to assign to.")

    # ------------------------------------------------------------ simple statements
    def _declare(self, start: Token, access: str = "PUBLIC") -> n.Declare:
        self.advance()
        names = [self._name_decl("a variable name")]
        while self.at_op(","):
            self.advance()
            names.append(self._name_decl("a variable name"))
        self.expect_op(":", "after the variable name",
                       hint="Write DECLARE Name : TYPE, for example DECLARE Count : INTEGER.")
        type_ref = self.parse_type()
        span = self.span_from(start)
        self.end_statement()
        stmt = n.Declare(span, names, type_ref, access)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _name_decl(self, context: str) -> n.NameDecl:
        token = self.expect_name(context)
        return n.NameDecl(Span(token.line, token.column, token.line, token.end_column),
                          token.value)

    def _constant(self, start: Token) -> n.ConstantDecl:
        self.advance()
        name = self._name_decl("a constant name")
        if self.at_op("=", "<-"):
            self.advance()
        else:
            token = self.peek()
            raise self.fail("E110", f"Expected '=' or '<-' after the constant name, but found "
                                    f"{self.describe(token)}", token,
                            hint="Write CONSTANT Name = value, for example CONSTANT Pi = 3.14.")
        value = self.parse_expression()
        span = self.span_from(start)
        self.end_statement()
        stmt = n.ConstantDecl(span, name, value)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _input(self, start: Token) -> n.Input:
        self.advance()
        prompt: n.Expr | None = None
        items = [self.parse_expression()]
        while self.at_op(","):
            self.advance()
            items.append(self.parse_expression())
        if len(items) > 1 and isinstance(items[0], n.Literal) and items[0].kind == "STRING":
            prompt = items.pop(0)
        span = self.span_from(start)
        self.end_statement()
        stmt = n.Input(span, items, prompt)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _output(self, start: Token) -> n.Output:
        self.advance()
        if start.value == "PRINT":
            self.report("W103", "PRINT is not a pseudocode keyword; it is read as OUTPUT", start,
                        hint="Write OUTPUT.")
        items: list[n.Expr] = []
        if not self.at_line_end():
            items.append(self.parse_expression())
            while self.at_op(","):
                self.advance()
                items.append(self.parse_expression())
        span = self.span_from(start)
        self.end_statement()
        stmt = n.Output(span, items)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _call(self, start: Token) -> n.CallStmt:
        self.advance()
        target = self.parse_postfix()
        if isinstance(target, n.Call):
            call = target
        elif isinstance(target, (n.Name, n.FieldAccess)):
            call = n.Call(target.span, target, [], has_parens=False)
        else:
            raise self.fail("E110", "Expected the name of a procedure after CALL", start,
                            hint="Write CALL Name or CALL Name(arguments).")
        span = self.span_from(start)
        self.end_statement()
        stmt = n.CallStmt(span, call, True)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _return(self, start: Token) -> n.Return:
        self.advance()
        value = None if self.at_line_end() else self.parse_expression()
        span = self.span_from(start)
        self.end_statement()
        stmt = n.Return(span, value)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _assignment_or_call(self, start: Token) -> n.Stmt:
        target = self.parse_postfix()
        if self.at_op("<-", "="):
            arrow = self.advance()
            if arrow.value == "=":
                self.report("W102", "'=' used for assignment", arrow,
                            hint="Write <- (or \u2190) to assign; '=' compares two values.")
            value = self.parse_expression()
            if not _is_assignable(target):
                self.report("E118", "The left side of an assignment must be a variable, an "
                                    "array element or a field", target.span,
                            hint="Write the name of the variable on the left of <-.")
            span = self.span_from(start)
            self.end_statement()
            stmt: n.Stmt = n.Assign(span, target, value)
        elif isinstance(target, n.Call) or (isinstance(target, n.FieldAccess)
                                           and isinstance(target.base, n.SuperRef)):
            call = target if isinstance(target, n.Call) else n.Call(target.span, target, [])
            span = self.span_from(start)
            self.end_statement()
            stmt = n.CallStmt(span, call, False)
        else:
            token = self.peek()
            if token.kind is TokenKind.OPERATOR and token.value == ":":
                raise self.fail("E110", "A declaration needs DECLARE in front", start,
                                hint=f"Write DECLARE {start.value} : TYPE.")
            raise self.fail("E110", f"Expected '<-' to assign to {start.value}, but found "
                                    f"{self.describe(token)}", token,
                            hint="An assignment is written Name <- value.")
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    # ------------------------------------------------------------ files
    def _openfile(self, start: Token) -> n.Stmt | None:
        self.advance()
        filename = self.parse_expression()
        self.expect_keyword("FOR", "after the file name",
                            hint="Write OPENFILE \"name.txt\" FOR READ (or WRITE, APPEND).")
        mode_token = self.peek()
        mode = mode_token.value.upper() if mode_token.kind is TokenKind.NAME else ""
        if mode not in ("READ", "WRITE", "APPEND", "RANDOM"):
            raise self.fail("E110", f"Expected READ, WRITE, APPEND or RANDOM, but found "
                                    f"{self.describe(mode_token)}", mode_token)
        if mode_token.value != mode:
            self.report("W101", f"File mode '{mode_token.value}' should be written in capitals: "
                                f"{mode}", mode_token, hint=f"Write {mode}.")
        self.advance()
        span = self.span_from(start)
        self.end_statement()
        stmt = n.OpenFile(span, filename, mode)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _readfile(self, start: Token) -> n.ReadFile:
        self.advance()
        filename = self.parse_expression()
        self.expect_op(",", "after the file name", hint="Write READFILE \"name.txt\", Variable.")
        target = self.parse_postfix()
        span = self.span_from(start)
        self.end_statement()
        stmt = n.ReadFile(span, filename, target)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _writefile(self, start: Token) -> n.WriteFile:
        self.advance()
        filename = self.parse_expression()
        self.expect_op(",", "after the file name", hint="Write WRITEFILE \"name.txt\", value.")
        value = self.parse_expression()
        span = self.span_from(start)
        self.end_statement()
        stmt = n.WriteFile(span, filename, value)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _closefile(self, start: Token) -> n.CloseFile:
        self.advance()
        filename = self.parse_expression()
        span = self.span_from(start)
        self.end_statement()
        stmt = n.CloseFile(span, filename)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _file_and(self, start: Token, what: str, example: str) -> tuple[n.Expr, n.Expr]:
        """``KEYWORD file, something``: the two expressions (a target for GETRECORD)."""
        self.advance()
        filename = self.parse_expression()
        self.expect_op(",", "after the file name", hint=f"Write {example}.")
        second = self.parse_postfix() if what == "target" else self.parse_expression()
        return filename, second

    def _seek(self, start: Token) -> n.Seek:
        filename, address = self._file_and(start, "address", 'SEEK "data.dat", Address')
        span = self.span_from(start)
        self.end_statement()
        stmt = n.Seek(span, filename, address)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _getrecord(self, start: Token) -> n.GetRecord:
        filename, target = self._file_and(start, "target", 'GETRECORD "data.dat", Variable')
        span = self.span_from(start)
        self.end_statement()
        stmt = n.GetRecord(span, filename, target)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _putrecord(self, start: Token) -> n.PutRecord:
        filename, value = self._file_and(start, "value", 'PUTRECORD "data.dat", Variable')
        span = self.span_from(start)
        self.end_statement()
        stmt = n.PutRecord(span, filename, value)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    # ------------------------------------------------------------ blocks
    def _open(self, word: str, token: Token, variable: str | None = None) -> None:
        if len(self.open_blocks) >= MAX_BLOCK_DEPTH:
            self.report("E116", f"Blocks nested more than {MAX_BLOCK_DEPTH} deep", token,
                        hint="Move the inner part into a PROCEDURE or FUNCTION.")
            raise _TooDeep()
        self.open_blocks.append((word, token.line, variable, token.column))

    def _close(self) -> None:
        self.open_blocks.pop()

    def _unclosed(self, word: str, start: Token, hint: str = "") -> None:
        closer = _CLOSER_TEXT[word]
        found = self.peek()
        where = "the end of the program" if found.kind is TokenKind.EOF else (
            f"{found.value} on line {found.line}")
        self.report("E111", f"{word} without {closer}: the {word} on line {start.line} is "
                            f"never closed", start,
                    hint=hint or f"Add {closer} where the {word} block ends (before {where}).")

    def _header_end(self, stmt: n.Stmt, line: int) -> None:
        self.end_statement()
        stmt.trailing = self.take_trailing(line)

    def _if(self, start: Token, is_elseif: bool = False) -> n.If:
        self.advance()
        try:
            condition = self.parse_expression()
            if not self.at_keyword("THEN"):
                # THEN may stand on the next line.
                save = self.pos
                self.skip_newlines()
                if not self.at_keyword("THEN"):
                    self.pos = save
                    token = self.peek()
                    raise self.fail("E110", f"Expected THEN after the IF condition, but found "
                                            f"{self.describe(token)}", token,
                                    hint="Write IF condition THEN.")
            then_token = self.advance()
        except _SkipLine:
            # A broken header still opens the block, so its ENDIF is not reported again.
            self.skip_line_keep()
            condition = n.ErrorExpr(Span(start.line, start.column, start.line,
                                         start.end_column))
            then_token = start
        then_line = then_token.line
        then_line = then_token.line
        stmt = n.If(Span(start.line, start.column, then_token.line, then_token.end_column),
                    condition, [], [], is_elseif)
        if not self.at_line_end():
            pass  # a statement on the same line as THEN starts the body
        else:
            self.end_statement()
            stmt.trailing = self.take_trailing(then_line)
        if is_elseif:
            stmt.then_body = self.parse_block(frozenset({"ELSE", "ELSEIF", "ENDIF"}))
            return stmt
        self._open("IF", start)
        try:
            stmt.then_body = self.parse_block(frozenset({"ELSE", "ELSEIF", "ENDIF"}))
            tail = stmt
            while self.at_keyword("ELSEIF"):
                token = self.peek()
                before = self.take_trivia(token.line)
                try:
                    branch = self._if(token, is_elseif=True)
                except _SkipLine:
                    self.skip_line()
                    branch = n.If(self.span_from(token), n.ErrorExpr(self.span_from(token)),
                                  self.parse_block(frozenset({"ELSE", "ELSEIF", "ENDIF"})), [],
                                  True)
                branch.before = before
                tail.else_body = [branch]
                tail = branch
            if self.at_keyword("ELSE"):
                else_token = self.advance()
                tail.else_span = Span(else_token.line, else_token.column, else_token.line,
                                      else_token.end_column)
                if self.at_line_end():
                    self.end_statement()
                    tail.else_trailing = self.take_trailing(else_token.line)
                tail.else_body = self.parse_block(frozenset({"ENDIF"}))
            if self.at_keyword("ENDIF"):
                self.advance()
                self._finish_closer(tail.else_body if tail.else_body else tail.then_body)
            else:
                nested = tail.else_body[:1]
                else_if = bool(nested) and isinstance(nested[0], n.If) and \
                    not nested[0].is_elseif and nested[0].span.line == (
                        tail.else_span.line if tail.else_span else -1)
                self._unclosed("IF", start, hint=(
                    "ELSE IF starts a new IF that needs its own ENDIF: add a second ENDIF, or "
                    "write ELSEIF (one word) to continue this IF." if else_if else ""))
        finally:
            self._close()
        stmt.span = Span(start.line, start.column, stmt.span.end_line, stmt.span.end_column)
        return stmt

    def _finish_closer(self, body: list | None = None) -> None:
        """After an END keyword: nothing else may follow on its line. A comment on that
        line stays with the block: it ends ``body``."""
        line = self.tokens[self.pos - 1].line
        try:
            self.end_statement()
        except _SkipLine:
            self.skip_line()
        text = self.take_trailing(line)
        if text is not None and body is not None:
            body.append(n.TriviaOnly(Span(line, 1, line, 1), before=[text]))

    def _case(self, start: Token) -> n.Case:
        self.advance()
        try:
            self.expect_keyword("OF", "after CASE", hint="Write CASE OF Variable.")
            subject = self.parse_expression()
        except _SkipLine:
            self.skip_line_keep()  # the block still opens: its ENDCASE is expected
            subject = n.ErrorExpr(Span(start.line, start.column, start.line,
                                       start.end_column))
        stmt = n.Case(self.span_from(start), subject, [], None)
        self._header_end(stmt, start.line)
        self._open("CASE", start)
        try:
            while True:
                self.skip_newlines()
                token = self.fix_misspelt_keyword()
                if token.kind is TokenKind.EOF or self.definition_ends_blocks(token):
                    self._unclosed("CASE", start)
                    break
                if token.kind is TokenKind.KEYWORD and token.value == "ENDCASE":
                    self._end_clause_trivia(stmt, token.line)
                    self.advance()
                    last = stmt.otherwise or (stmt.clauses[-1] if stmt.clauses else None)
                    self._finish_closer(last.body if last is not None else None)
                    break
                if token.kind is TokenKind.KEYWORD and (
                        token.value in BLOCK_CLOSERS or token.value in ("ELSE", "ELSEIF")):
                    if self._closes_open_block(token) and token.value != "OTHERWISE":
                        self._unclosed("CASE", start)
                        break
                    self._stray_closer(token)
                    continue
                if token.kind is TokenKind.KEYWORD and token.value == "OTHERWISE":
                    clause = self._case_clause(otherwise=True)
                    if clause is not None:
                        if stmt.otherwise is not None:
                            self.report("E110", "A CASE has only one OTHERWISE", token,
                                        hint="Merge the two OTHERWISE clauses.")
                        stmt.otherwise = clause
                    continue
                if self._line_is_clause():
                    clause = self._case_clause(otherwise=False)
                    if clause is not None:
                        if stmt.otherwise is not None:
                            self.report("E110", "A CASE clause after OTHERWISE is never chosen",
                                        clause.span, hint="OTHERWISE must be the last clause.")
                        stmt.clauses.append(clause)
                    continue
                # A statement continuing the current clause.
                target = stmt.otherwise or (stmt.clauses[-1] if stmt.clauses else None)
                inner = self.parse_statement()
                if target is None:
                    if inner is not None and not isinstance(inner, n.TriviaOnly):
                        self.report("E110", "A statement inside CASE must follow a clause "
                                            "'value :'", inner.span,
                                    hint="Start the clause with a value and a colon, as in "
                                         "1 : OUTPUT \"one\".")
                elif inner is not None:
                    target.body.append(inner)
        finally:
            self._close()
        return stmt

    def _end_clause_trivia(self, stmt: n.Case, line: int) -> None:
        target = stmt.otherwise or (stmt.clauses[-1] if stmt.clauses else None)
        items = self.take_trivia(line)
        if items and target is not None:
            target.body.append(n.TriviaOnly(Span(line, 1, line, 1), before=items))

    def _line_has_arrow(self) -> bool:
        index = self.pos
        while self.tokens[index].kind not in (TokenKind.NEWLINE, TokenKind.EOF):
            if self.tokens[index].is_op("<-"):
                return True
            index += 1
        return False

    def _line_is_clause(self) -> bool:
        """A clause line has a ':' (outside brackets) before any '<-'."""
        depth = 0
        index = self.pos
        first = self.tokens[index]
        if first.kind is TokenKind.KEYWORD and first.value not in _OPERAND_START_KEYWORDS:
            return False
        while True:
            token = self.tokens[index]
            if token.kind in (TokenKind.NEWLINE, TokenKind.EOF):
                return False
            if token.kind is TokenKind.OPERATOR:
                if token.value in ("(", "["):
                    depth += 1
                elif token.value in (")", "]"):
                    depth -= 1
                elif token.value == "<-":
                    return False
                elif token.value == ":" and depth == 0:
                    return True
            index += 1

    def _case_clause(self, otherwise: bool) -> n.CaseClause | None:
        start = self.peek()
        before = self.take_trivia(start.line)
        try:
            values: list[n.Expr | n.CaseRange] = []
            if otherwise:
                self.advance()
                if self.at_op(":"):
                    self.advance()
            else:
                while True:
                    low = self.parse_expression()
                    if self.at_keyword("TO"):
                        self.advance()
                        high = self.parse_expression()
                        values.append(n.CaseRange(low.span.to(high.span), low, high))
                    else:
                        values.append(low)
                    if not self.at_op(","):
                        break
                    self.advance()
                self.expect_op(":", "after the CASE value",
                               hint="Write value : statement, for example 1 : OUTPUT \"one\".")
        except _SkipLine:
            self.skip_line()
            return None
        clause = n.CaseClause(self.span_from(start), values, [], before=before)
        if self.at_line_end():
            self.end_statement()
            clause.trailing = self.take_trailing(start.line)
        else:
            inner = self.parse_statement()
            if inner is not None:
                clause.body.append(inner)
        return clause

    def _for(self, start: Token) -> n.For:
        self.advance()
        var_token = self.expect_name("the loop variable")
        variable = n.Name(Span(var_token.line, var_token.column, var_token.line,
                               var_token.end_column), var_token.value)
        try:
            if self.at_op("<-", "="):
                arrow = self.advance()
                if arrow.value == "=":
                    self.report("W102", "'=' used for assignment in FOR", arrow,
                                hint="Write FOR Name <- start TO end.")
            else:
                token = self.peek()
                raise self.fail("E110", f"Expected '<-' after the loop variable, but found "
                                        f"{self.describe(token)}", token,
                                hint="Write FOR Name <- start TO end.")
            first = self.parse_expression()
            self.expect_keyword("TO", "in FOR", hint="Write FOR Name <- start TO end.")
            last = self.parse_expression()
            step = None
            if self.at_keyword("STEP"):
                self.advance()
                step = self.parse_expression()
        except _SkipLine:
            self.skip_line_keep()  # the loop still opens: its NEXT is expected
            first = last = n.ErrorExpr(variable.span)
            step = None
        stmt = n.For(self.span_from(start), variable, first, last, step, [])
        self._header_end(stmt, start.line)
        if self.loop_depth >= MAX_LOOP_DEPTH:
            self.report("E116", f"Loops nested more than {MAX_LOOP_DEPTH} deep", start,
                        hint="Move the inner loops into a PROCEDURE or FUNCTION.")
            raise _TooDeep()
        self._open("FOR", start, var_token.value.upper())
        self.loop_depth += 1
        try:
            stmt.body = self.parse_block(frozenset({"NEXT", "ENDFOR"}))
            if self.at_keyword("NEXT", "ENDFOR"):
                closer = self.peek()
                follower = self.peek(1)
                if follower.kind is TokenKind.NAME:
                    name = follower.value.upper()
                    if name != var_token.value.upper():
                        outer = [b for b in self.open_blocks[:-1] if b[0] == "FOR" and b[2] == name]
                        if outer:
                            # This NEXT closes an outer loop: this FOR was never closed.
                            self._unclosed("FOR", start)
                            return stmt
                        self.report("E115", f"NEXT {follower.value} does not match FOR "
                                            f"{var_token.value} (line {start.line})",
                                    Span(closer.line, closer.column, follower.line,
                                         follower.end_column),
                                    hint=f"Write NEXT {var_token.value}.")
                    self.advance()
                    self.advance()
                else:
                    self.advance()
                self._finish_closer(stmt.body)
            else:
                self._unclosed("FOR", start)
        finally:
            self.loop_depth -= 1
            self._close()
        return stmt

    def _while(self, start: Token) -> n.While:
        self.advance()
        try:
            condition = self.parse_expression()
            if self.at_keyword("DO"):
                self.advance()
            if not self.at_line_end():
                token = self.peek()
                raise self.fail("E110", f"Unexpected {self.describe(token)} after the WHILE "
                                        "condition", token, hint="Write WHILE condition DO.")
        except _SkipLine:
            self.skip_line_keep()  # the block still opens: its ENDWHILE is expected
            condition = n.ErrorExpr(Span(start.line, start.column, start.line,
                                         start.end_column))
        stmt = n.While(self.span_from(start), condition, [])
        self._header_end(stmt, start.line)
        self._loop_block(stmt, start, "WHILE", "ENDWHILE")
        return stmt

    def _loop_block(self, stmt: n.While | n.Repeat, start: Token, word: str,
                    closer: str) -> None:
        if self.loop_depth >= MAX_LOOP_DEPTH:
            self.report("E116", f"Loops nested more than {MAX_LOOP_DEPTH} deep", start,
                        hint="Move the inner loops into a PROCEDURE or FUNCTION.")
            raise _TooDeep()
        self._open(word, start)
        self.loop_depth += 1
        try:
            stmt.body = self.parse_block(frozenset({closer}))
            if self.at_keyword(closer):
                closer_token = self.advance()
                if isinstance(stmt, n.Repeat):
                    stmt.condition = self.parse_expression() if not self.at_line_end() else (
                        self._missing_until(closer_token))
                    stmt.until_span = self.span_from(closer_token)
                self._finish_closer(stmt.body)
            else:
                self._unclosed(word, start)
        except _SkipLine:
            self.skip_line()
        finally:
            self.loop_depth -= 1
            self._close()

    def _missing_until(self, token: Token) -> n.Expr:
        self.report("E114", "UNTIL needs a condition", token,
                    hint="Write UNTIL condition, for example UNTIL Count > 10.")
        return n.ErrorExpr(Span(token.line, token.column, token.line, token.end_column))

    def _repeat(self, start: Token) -> n.Repeat:
        self.advance()
        stmt = n.Repeat(self.span_from(start), [], n.ErrorExpr(self.span_from(start)))
        self._header_end(stmt, start.line)
        self._loop_block(stmt, start, "REPEAT", "UNTIL")
        return stmt

    # ------------------------------------------------------------ procedures and functions
    def _procedure(self, start: Token, access: str = "PUBLIC") -> n.Procedure:
        return self._routine(start, "PROCEDURE", access)  # type: ignore[return-value]

    def _function(self, start: Token, access: str = "PUBLIC") -> n.Function:
        return self._routine(start, "FUNCTION", access)  # type: ignore[return-value]

    def _routine(self, start: Token, word: str, access: str) -> n.Procedure | n.Function:
        keyword = self.advance()
        nested = self.routine is not None or any(b[0] not in ("CLASS",) for b in self.open_blocks)
        if nested:
            self.report("E117", f"A {word} cannot be defined inside another block", keyword,
                        hint=f"Move the {word} out, to the top level of the program.")
        name_token = self.peek()
        if name_token.kind is TokenKind.KEYWORD and name_token.value == "NEW" and self.in_class:
            self.advance()
            name = n.NameDecl(Span(name_token.line, name_token.column, name_token.line,
                                   name_token.end_column), "NEW")
        else:
            name = self._name_decl(f"the name of the {word}")
        params: list[n.Param] = []
        if self.at_op("("):
            self.advance()
            params = self._params()
            self.expect_op(")", "after the parameters")
        returns: n.AnyTypeRef | None = None
        if word == "FUNCTION":
            if self.at_keyword("RETURNS"):
                self.advance()
                returns = self.parse_type()
            else:
                token = self.peek()
                self.report("E110", f"Expected RETURNS and a type after the FUNCTION header, but "
                                    f"found {self.describe(token)}", token,
                            hint="Write FUNCTION Name(...) RETURNS INTEGER, or use a PROCEDURE.")
                returns = n.TypeRef(Span(token.line, token.column, token.line, token.column),
                                    "?")
                self.skip_line_keep()
        header_span = self.span_from(start)
        stmt: n.Procedure | n.Function
        if word == "FUNCTION":
            assert returns is not None
            stmt = n.Function(header_span, name, params, returns, [], access)
        else:
            stmt = n.Procedure(header_span, name, params, [], access)
        self._header_end(stmt, start.line)
        closer = _CLOSER_TEXT[word]
        outer_routine, outer_loops = self.routine, self.loop_depth
        self.routine, self.loop_depth = word, 0
        self._open(word, start)
        try:
            stmt.body = self.parse_block(frozenset({closer}))
            if self.at_keyword(closer):
                self.advance()
                self._finish_closer(stmt.body)
            else:
                self._unclosed(word, start)
        finally:
            self._close()
            self.routine, self.loop_depth = outer_routine, outer_loops
        return stmt

    def skip_line_keep(self) -> None:
        """Skip to the end of the line but leave the NEWLINE for the caller."""
        while not self.at_line_end():
            self.pos += 1

    def _params(self) -> list[n.Param]:
        params: list[n.Param] = []
        if self.at_op(")"):
            return params
        byref = False
        while True:
            start = self.peek()
            if self.at_keyword("BYREF", "BYVAL"):
                byref = self.advance().value == "BYREF"
            name = self.expect_name("a parameter name")
            self.expect_op(":", f"after the parameter {name.value}",
                           hint=f"Write {name.value} : TYPE.")
            type_ref = self.parse_type(allow_open_array=True)
            params.append(n.Param(self.span_from(start), name.value, type_ref, byref))
            if not self.at_op(","):
                return params
            self.advance()

    # ------------------------------------------------------------ types
    def parse_type(self, allow_open_array: bool = False) -> n.AnyTypeRef:
        token = self.peek()
        if token.kind is TokenKind.KEYWORD and token.value == "ARRAY":
            self.advance()
            bounds: list[tuple[n.Expr, n.Expr]] = []
            if self.at_op("["):
                self.advance()
                while True:
                    low = self.parse_expression()
                    self.expect_op(":", "between the array bounds",
                                   hint="Write ARRAY[1:10] OF TYPE.")
                    high = self.parse_expression()
                    bounds.append((low, high))
                    if not self.at_op(","):
                        break
                    self.advance()
                self.expect_op("]", "after the array bounds")
                if len(bounds) > 2:
                    self.report("E110", "Arrays have one or two dimensions", token,
                                hint="Use ARRAY[1:N] or ARRAY[1:R, 1:C].")
            elif not allow_open_array:
                raise self.fail("E110", "An array needs its bounds here", token,
                                hint="Write ARRAY[1:10] OF TYPE.")
            self.expect_keyword("OF", "after the array bounds", hint="Write ARRAY[1:10] OF TYPE.")
            element = self.parse_type()
            if isinstance(element, n.ArrayTypeRef):
                raise self.fail("E110", "An array of arrays is written with two dimensions",
                                token, hint="Write ARRAY[1:R, 1:C] OF TYPE.")
            return n.ArrayTypeRef(self.span_from(token), bounds, element)
        if token.kind is TokenKind.KEYWORD and token.value in BASE_TYPES:
            self.advance()
            return n.TypeRef(Span(token.line, token.column, token.line, token.end_column),
                             token.value)
        if token.kind is TokenKind.NAME:
            self.advance()
            return n.TypeRef(Span(token.line, token.column, token.line, token.end_column),
                             token.value)
        raise self.fail("E110", f"Expected a type, but found {self.describe(token)}", token,
                        hint="Types are INTEGER, REAL, CHAR, STRING, BOOLEAN, DATE, "
                             "ARRAY[...] OF TYPE, or the name of a TYPE or CLASS.")

    def _type(self, start: Token) -> n.Stmt:
        self.advance()
        name = self._name_decl("the name of the type")
        if self.routine is not None or self.open_blocks:
            self.report("E117", "A TYPE is defined at the top level of the program", start,
                        hint="Move the TYPE definition out of the block.")
        if self.at_op("="):
            self.advance()
            if self.at_op("("):
                self.advance()
                members = [self._name_decl("a value of the enumeration")]
                while self.at_op(","):
                    self.advance()
                    members.append(self._name_decl("a value of the enumeration"))
                self.expect_op(")", "after the values of the enumeration")
                stmt: n.Stmt = n.EnumType(self.span_from(start), name, members)
            elif self.at_op("^"):
                self.advance()
                target = self.parse_type()
                stmt = n.PointerType(self.span_from(start), name, target)
            elif self.peek().kind is TokenKind.NAME and self.peek().value.upper() == "SET":
                raise self.fail("E150", "Sets (SET OF) are not supported", self.peek(),
                                hint="Use an ARRAY or an enumerated TYPE instead.")
            else:
                token = self.peek()
                raise self.fail("E110", f"Expected '(' values ')' or '^' type after '=', but "
                                        f"found {self.describe(token)}", token,
                                hint="Write TYPE Season = (Spring, Summer) or "
                                     "TYPE IntPtr = ^INTEGER.")
            self._header_end(stmt, start.line)
            return stmt
        record = n.RecordType(self.span_from(start), name, [])
        self._header_end(record, start.line)
        self._open("TYPE", start)
        try:
            while True:
                self.skip_newlines()
                token = self.fix_misspelt_keyword()
                if token.kind is TokenKind.EOF or (
                        token.kind is TokenKind.KEYWORD and token.value in BLOCK_CLOSERS
                        and token.value != "ENDTYPE" and self._closes_open_block(token)) or \
                        self.definition_ends_blocks(token) or \
                        self._leaves_definition(token, start, record.fields, "ENDTYPE"):
                    self._unclosed("TYPE", start)
                    break
                if token.is_keyword("ENDTYPE"):
                    self._end_trivia(record.fields, token.line)  # type: ignore[arg-type]
                    self.advance()
                    self._finish_closer(record.fields)
                    break
                if token.is_keyword("DECLARE"):
                    stmt = self.parse_statement()
                    if stmt is not None:
                        record.fields.append(stmt)  # type: ignore[arg-type]
                    continue
                if token.kind is TokenKind.NAME and self.peek(1).is_op(":"):
                    # Tolerated: a field without DECLARE.
                    before = self.take_trivia(token.line)
                    try:
                        field_names = [self._name_decl("a field name")]
                        self.expect_op(":", "after the field name")
                        field_type = self.parse_type()
                        decl = n.Declare(self.span_from(token), field_names, field_type)
                        decl.before = before
                        self.end_statement()
                        record.fields.append(decl)
                    except _SkipLine:
                        self.skip_line()
                    continue
                self.report("E117", "Only DECLARE lines belong inside a record TYPE", token,
                            hint="Write DECLARE Field : TYPE, or close the TYPE with ENDTYPE.")
                self.skip_line()
        finally:
            self._close()
        return record

    def _class(self, start: Token) -> n.ClassDef:
        self.advance()
        name = self._name_decl("the name of the class")
        parent = None
        if self.at_keyword("INHERITS"):
            self.advance()
            parent = self._name_decl("the name of the parent class")
        if self.routine is not None or self.open_blocks:
            self.report("E117", "A CLASS is defined at the top level of the program", start,
                        hint="Move the CLASS definition out of the block.")
        stmt = n.ClassDef(self.span_from(start), name, parent, [])
        self._header_end(stmt, start.line)
        self._open("CLASS", start)
        self.in_class = True
        try:
            while True:
                self.skip_newlines()
                token = self.fix_misspelt_keyword()
                if token.kind is TokenKind.EOF or self.definition_ends_blocks(token) or \
                        self._leaves_definition(token, start, stmt.members, "ENDCLASS"):
                    self._unclosed("CLASS", start)
                    break
                if token.is_keyword("ENDCLASS"):
                    self._end_trivia(stmt.members, token.line)
                    self.advance()
                    self._finish_closer(stmt.members)
                    break
                member = self._class_member(token)
                if member is not None:
                    stmt.members.append(member)
        finally:
            self.in_class = False
            self._close()
        return stmt

    def _class_member(self, token: Token) -> n.Stmt | None:
        before = self.take_trivia(token.line)
        access = "PUBLIC"
        start_pos = self.pos
        self.expr_operators = 0
        try:
            if token.is_keyword("PUBLIC", "PRIVATE"):
                access = self.advance().value
            current = self.peek()
            if current.is_keyword("PROCEDURE"):
                member: n.Stmt = self._procedure(token, access)
            elif current.is_keyword("FUNCTION"):
                member = self._function(token, access)
            elif current.is_keyword("DECLARE"):
                member = self._declare(token, access)
            elif current.kind is TokenKind.NAME and access != "PUBLIC" or (
                    current.kind is TokenKind.NAME and token.is_keyword("PUBLIC")):
                # PRIVATE Name : TYPE  (attribute without DECLARE)
                self.pos -= 1
                member = self._declare(token, access)
            else:
                raise self.fail("E117", "Inside a CLASS only attributes (PRIVATE Name : TYPE) and "
                                        "methods (PROCEDURE, FUNCTION) are allowed", current,
                                hint="Move statements into a method, or close the class with "
                                     "ENDCLASS.")
        except _SkipLine:
            if self.pos == start_pos:
                self.pos += 1
            self.skip_line()
            return n.TriviaOnly(Span(token.line, 1, token.line, 1), before=before) if before \
                else None
        member.before = before + member.before
        return member

    # ------------------------------------------------------------ expressions
    def parse_expression(self) -> n.Expr:
        self.expr_operators = 0
        return self._binary(0)

    def _binary(self, min_level: int) -> n.Expr:
        """Precedence climbing over the binary levels of ``_PRECEDENCE`` (all left-associative)."""
        left = self._unary()
        tokens = self.tokens
        while True:
            token = tokens[self.pos]
            if token.kind is not TokenKind.OPERATOR and token.kind is not TokenKind.KEYWORD:
                return left
            level = _PRECEDENCE.get(token.value)
            if level is None or level < min_level:
                return left
            self.pos += 1
            self.expr_operators += 1
            if self.expr_operators > MAX_EXPR_OPERATORS:
                self.report("E116", f"Expression with more than {MAX_EXPR_OPERATORS} "
                                    "operators", token, hint="Split it over several assignments.")
                raise _TooDeep()
            right = self._binary(level + 1)
            left = n.BinaryOp(left.span.to(right.span), token.value, left, right)

    def _enter(self, token: Token) -> None:
        self.expr_nesting += 1
        if self.expr_nesting > MAX_EXPR_NESTING:
            self.expr_nesting -= 1
            self.report("E116", f"Expression nested more than {MAX_EXPR_NESTING} deep", token,
                        hint="Split it over several assignments.")
            raise _TooDeep()

    def _unary(self) -> n.Expr:
        token = self.tokens[self.pos]
        if (token.kind is TokenKind.OPERATOR and token.value == "-") or (
                token.kind is TokenKind.KEYWORD and token.value == "NOT"):
            self.pos += 1
            self._enter(token)
            try:
                operand = self._unary()
            finally:
                self.expr_nesting -= 1
            start = Span(token.line, token.column, token.line, token.end_column)
            if token.value == "-" and isinstance(operand, n.Literal) and operand.kind in (
                    "INTEGER", "REAL") and operand.span.column == token.end_column:
                return n.Literal(start.to(operand.span), -operand.value, operand.kind)
            return n.UnaryOp(start.to(operand.span), token.value, operand)
        return self._power()

    def _power(self) -> n.Expr:
        base = self.parse_postfix()
        token = self.tokens[self.pos]
        if token.kind is TokenKind.OPERATOR and token.value == "^":
            self.pos += 1
            self._enter(token)
            try:
                exponent = self._unary()
            finally:
                self.expr_nesting -= 1
            return n.BinaryOp(base.span.to(exponent.span), "^", base, exponent)
        return base

    def parse_postfix(self) -> n.Expr:
        expr = self._primary()
        while True:
            token = self.tokens[self.pos]
            if token.kind is not TokenKind.OPERATOR:
                return expr
            if token.value == "(" and isinstance(expr, (n.Name, n.FieldAccess)):
                self.pos += 1
                args = self._arguments(token)
                expr = n.Call(self.span_from(expr.span), expr, args)
            elif token.value == "[":
                self.pos += 1
                self._enter(token)
                try:
                    indices = [self._binary(0)]
                    while self.at_op(","):
                        self.advance()
                        indices.append(self._binary(0))
                finally:
                    self.expr_nesting -= 1
                self.expect_op("]", "after the array index")
                expr = n.Index(self.span_from(expr.span), expr, indices)
            elif token.value == ".":
                self.pos += 1
                name = self.peek()
                if name.kind is TokenKind.NAME or name.is_keyword("NEW"):
                    self.advance()
                    field_span = Span(name.line, name.column, name.line, name.end_column)
                    expr = n.FieldAccess(self.span_from(expr.span), expr, name.value, field_span)
                else:
                    raise self.fail("E110", f"Expected a field name after '.', but found "
                                            f"{self.describe(name)}", name)
            elif token.value == "^" and self._is_deref(expr):
                self.pos += 1
                expr = n.Deref(self.span_from(expr.span), expr)
            else:
                return expr

    def _is_deref(self, expr: n.Expr) -> bool:
        after = self.peek(1)
        starts_operand = (
            after.kind in (TokenKind.NAME, TokenKind.INTEGER, TokenKind.REAL, TokenKind.STRING,
                           TokenKind.CHAR, TokenKind.DATE)
            or (after.kind is TokenKind.OPERATOR and after.value in _OPERAND_START_OPS)
            or (after.kind is TokenKind.KEYWORD and after.value in _OPERAND_START_KEYWORDS))
        if not starts_operand:
            return True
        if isinstance(expr, n.Deref):
            return False  # P^ ^ 2: the value P points to, raised to a power
        root = expr
        while isinstance(root, (n.Index, n.FieldAccess, n.Deref)):
            if isinstance(root, n.FieldAccess):
                return root.field.upper() in self.pointer_names
            root = root.base if isinstance(root, (n.Index,)) else (
                root.pointer if isinstance(root, n.Deref) else root)
        return isinstance(root, n.Name) and root.name.upper() in self.pointer_names

    def _arguments(self, open_token: Token) -> list[n.Expr]:
        self._enter(open_token)
        try:
            args: list[n.Expr] = []
            if self.at_op(")"):
                self.advance()
                return args
            args.append(self._binary(0))
            while self.at_op(","):
                self.advance()
                args.append(self._binary(0))
            self.expect_op(")", "to close the argument list")
            return args
        finally:
            self.expr_nesting -= 1

    def _primary(self) -> n.Expr:
        token = self.tokens[self.pos]
        kind = token.kind
        span = Span(token.line, token.column, token.line, token.end_column)
        if kind is TokenKind.NAME:
            self.pos += 1
            return n.Name(span, token.value)
        if kind is TokenKind.INTEGER:
            self.pos += 1
            return n.Literal(span, int_from_digits(token.value), "INTEGER")
        if kind is TokenKind.REAL:
            self.pos += 1
            return n.Literal(span, float(token.value), "REAL")
        if kind is TokenKind.STRING:
            self.pos += 1
            return n.Literal(span, token.value, "STRING")
        if kind is TokenKind.CHAR:
            self.pos += 1
            return n.Literal(span, token.value, "CHAR")
        if kind is TokenKind.DATE:
            self.pos += 1
            return n.Literal(span, date_of(token.value), "DATE")
        if kind is TokenKind.OPERATOR:
            if token.value == "(":
                self.pos += 1
                self._enter(token)
                try:
                    inner = self._binary(0)
                finally:
                    self.expr_nesting -= 1
                self.expect_op(")", "to close the bracket")
                return inner
            if token.value in ("@", "^"):
                # ^X (the 9618 guide's form) or @X: the address of X. A ^ with no operand
                # before it can only be this; after a pointer it is a dereference.
                self.pos += 1
                self._enter(token)
                try:
                    target = self.parse_postfix()
                finally:
                    self.expr_nesting -= 1
                return n.AddressOf(self.span_from(token), target)
        if kind is TokenKind.KEYWORD and self.soft_name(token) and \
                token.value not in _OPERAND_START_KEYWORDS:
            self.pos += 1
            return n.Name(span, self.as_name(token).value)
        if kind is TokenKind.KEYWORD:
            word = token.value
            if word in ("TRUE", "FALSE"):
                self.pos += 1
                return n.Literal(span, word == "TRUE", "BOOLEAN")
            if word in ("DIV", "MOD") and self.peek(1).is_op("("):
                self.pos += 1
                return n.Name(span, word)
            if word == "NEW":
                self.pos += 1
                class_token = self.expect_name("the name of a class after NEW")
                args: list[n.Expr] = []
                if self.at_op("("):
                    open_token = self.advance()
                    args = self._arguments(open_token)
                return n.NewObject(self.span_from(token), class_token.value,
                                   Span(class_token.line, class_token.column, class_token.line,
                                        class_token.end_column), args)
            if word == "SUPER":
                self.pos += 1
                return n.SuperRef(span)
            if word in ("INTEGER", "REAL", "STRING", "CHAR", "BOOLEAN", "DATE") and \
                    self.peek(1).is_op("("):
                raise self.fail("E110", f"{word} is a type, not a function", token,
                                hint="To convert, use INT(x), NUM_TO_STR(x) or STR_TO_NUM(s).")
            raise self.fail("E119", f"{word} is a keyword and cannot be used here", token,
                            hint=_keyword_as_value_hint(word))
        if kind is TokenKind.ERROR:
            raise _SkipLine()
        raise self.fail("E114", f"Expected a value, but found {self.describe(token)}", token,
                        hint="Write a number, a string in quotes, a variable name or a "
                             "bracketed expression.")


def _is_assignable(expr: n.Expr) -> bool:
    if isinstance(expr, n.Name):
        return True
    if isinstance(expr, n.Index):
        return _is_assignable(expr.base)
    if isinstance(expr, n.FieldAccess):
        return not isinstance(expr.base, n.SuperRef)
    return isinstance(expr, n.Deref)


def _pointer_names(tokens: list[Token]) -> frozenset[str]:
    """Upper-case names of pointers (for reading ``p^`` as a dereference): names declared
    with a pointer type, and names given an address (``P <- ^X`` or ``P <- @X``)."""
    pointer_types: set[str] = set()
    names: set[str] = set()
    count = len(tokens)
    for i in range(count - 3):
        if tokens[i].is_keyword("TYPE") and tokens[i + 1].kind is TokenKind.NAME and \
                tokens[i + 2].is_op("=") and tokens[i + 3].is_op("^"):
            pointer_types.add(tokens[i + 1].value.upper())
        elif tokens[i].kind is TokenKind.NAME and tokens[i + 1].is_op("<-") and \
                tokens[i + 2].is_op("^", "@"):
            names.add(tokens[i].value.upper())
    if not pointer_types:
        return frozenset(names)
    for i in range(count - 2):
        token = tokens[i + 2]
        if tokens[i + 1].is_op(":") and token.kind is TokenKind.NAME and \
                token.value.upper() in pointer_types:
            j = i
            while j >= 0 and tokens[j].kind is TokenKind.NAME:
                names.add(tokens[j].value.upper())
                if j >= 1 and tokens[j - 1].is_op(","):
                    j -= 2
                else:
                    break
    return frozenset(names)


# Keywords a statement (or a block line) starts with: the candidates for a misspelt word.
_LINE_KEYWORDS = (
    "DECLARE", "CONSTANT", "INPUT", "OUTPUT", "IF", "ELSE", "ELSEIF", "ENDIF", "CASE",
    "OTHERWISE", "ENDCASE", "FOR", "NEXT", "ENDFOR", "WHILE", "ENDWHILE", "REPEAT", "UNTIL",
    "PROCEDURE", "ENDPROCEDURE", "FUNCTION", "ENDFUNCTION", "CALL", "RETURN", "TYPE",
    "ENDTYPE", "CLASS", "ENDCLASS", "OPENFILE", "READFILE", "WRITEFILE", "CLOSEFILE",
    "PUBLIC", "PRIVATE", "GETRECORD", "PUTRECORD")


def _closest_keyword(word: str) -> str | None:
    """The statement keyword ``word`` is a slip of, if it is one (one or two letters off)."""
    if word in _LINE_KEYWORDS or word in KEYWORD_SET:
        return None
    best: str | None = None
    best_distance = 3
    for keyword in _LINE_KEYWORDS:
        if abs(len(keyword) - len(word)) > 2:
            continue
        distance = _edit_distance(word, keyword, best_distance)
        if distance < best_distance:
            best, best_distance = keyword, distance
    allowed = 1 if len(word) <= 4 else 2
    return best if best is not None and best_distance <= allowed else None


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (a swap of two letters counts 1), capped at ``limit``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) >= limit:
            return limit
        previous2, previous = previous, current
    return min(previous[-1], limit)


def _statement_hint(word: str) -> str:
    hints = {
        "THEN": "THEN belongs after the condition of an IF.",
        "ELSE": "ELSE belongs inside an IF ... ENDIF.",
        "TO": "TO belongs in FOR or in a CASE range.",
        "DO": "DO belongs after the condition of a WHILE.",
        "OF": "OF belongs in CASE OF or ARRAY ... OF.",
        "STEP": "STEP belongs at the end of a FOR line.",
        "RETURNS": "RETURNS belongs at the end of a FUNCTION header.",
        "BYREF": "BYREF marks a parameter inside the brackets of a PROCEDURE header.",
        "BYVAL": "BYVAL marks a parameter inside the brackets of a PROCEDURE header.",
        "INHERITS": "INHERITS belongs in a CLASS header: CLASS Cat INHERITS Pet.",
        "NEW": "To create an object write Variable <- NEW ClassName(...).",
    }
    return hints.get(word, "Start the statement with a keyword such as OUTPUT, or with the "
                           "name of a variable to assign to.")


def _keyword_as_value_hint(word: str) -> str:
    if word in BASE_TYPES:
        return f"{word} is a type; types belong after ':' in DECLARE."
    return f"{word} is a keyword; if this is a name of your own, choose another name."
