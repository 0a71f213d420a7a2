"""Parser: tokens -> syntax tree (``nodes.Program``) + syntax diagnostics.

A hand-written recursive-descent parser, one statement per line. It never
stops at the first error: a bad statement is reported and skipped to the end
of its line, and a block whose END keyword is missing is reported at the line
of the statement that opened it, then parsing carries on. Nesting is bounded
(blocks, expressions), so no input can exhaust the Python stack.
"""

from __future__ import annotations

from collections.abc import Callable

from engine.language import nodes as n
from engine.language.blocks import BlockParser
from engine.language.cursor import (
    DEFINITION_WORDS,
    EOF_KIND,
    ERROR_KIND,
    KEYWORD_KIND,
    NAME_KIND,
    NEWLINE_KIND,
    OPERATOR_KIND,
    SkipLine,
    TooDeep,
    new_span,
)
from engine.language.definitions import DefinitionParser
from engine.language.diagnostics import Diagnostic
from engine.language.hints import statement_hint
from engine.language.lexer import LexResult, tokenize
from engine.language.nodes import Span
from engine.language.targets import is_assignable
from engine.language.tokens import Token
from engine.language.vocabulary import BLOCK_CLOSERS

# After a name at the start of a statement, what makes it an assignment or a call (so it
# is not a misspelt keyword: see ``fix_misspelt_keyword``).
_NAME_GOES_ON = frozenset({"<-", "=", "[", ".", "(", ":"})


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


class Parser(BlockParser, DefinitionParser):
    """The statement loop and the simple statements; the rest comes from its bases."""

    def __init__(self, lexed: LexResult) -> None:
        super().__init__(lexed)
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

    # ------------------------------------------------------------ program and blocks
    def parse_program(self) -> n.Program:
        body = self.parse_block(frozenset())
        while not self.at_eof():  # stray closers at top level are reported by parse_block
            body += self.parse_block(frozenset())
        rest = self.take_trivia(10**9)
        if rest:
            body.append(n.TriviaOnly(Span(1, 1, 1, 1), before=rest))
        end = self.peek()
        return n.Program.make(Span(1, 1, end.line, end.column), body)

    def parse_block(self, stops: frozenset[str]) -> list[n.Stmt]:
        """Statements until a keyword in ``stops``, a closer of an outer block, or EOF."""
        body: list[n.Stmt] = []
        kinds, values = self.kinds, self.values
        while True:
            pos = self.pos
            while kinds[pos] is NEWLINE_KIND:
                pos += 1
            self.pos = pos
            kind = kinds[pos]
            if kind is NAME_KIND and len(values[pos]) >= 3:
                # (a NAME is never the last token: EOF is)
                if kinds[pos + 1] is not OPERATOR_KIND or values[pos + 1] not in _NAME_GOES_ON:
                    kind = self.fix_misspelt_keyword().kind
            elif kind is EOF_KIND:
                return body
            if kind is KEYWORD_KIND:
                word = values[pos]
                if word in DEFINITION_WORDS and self.open_blocks and \
                        self.definition_ends_blocks(self.tokens[pos]):
                    self._end_trivia(body, self.lines[pos])
                    return body
                # (a keyword written in capitals is never a name: no need to ask)
                if self.texts[pos] == word or \
                        not self.statement_starts_with_name(self.tokens[pos]):
                    if word in stops:
                        self._end_trivia(body, self.lines[pos])
                        return body
                    if word in BLOCK_CLOSERS or word in ("ELSE", "ELSEIF", "OTHERWISE"):
                        token = self.tokens[pos]
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

    def parse_statement(self) -> n.Stmt | None:
        start_pos = self.pos
        token = self.tokens[start_pos]  # parse_block stops at EOF: pos is inside the list
        line = self.lines[start_pos]
        # Most statements have no comment or blank line before them: no call for those.
        before = self.take_trivia(line) if self.trivia_line < line else []
        self.expr_operators = 0  # counted per statement (CALL P(N + 1) has no parse_expression)
        try:
            stmt = self._statement(token)
        except SkipLine:
            if self.pos == start_pos:
                self.pos += 1
            self.skip_line()
            stmt = None
        except TooDeep:
            self.skip_line()
            stmt = None
        if stmt is not None:
            if before:
                stmt.before = before + stmt.before
        elif before:
            stmt = n.TriviaOnly(Span(line, 1, line, 1), before=before)
        return stmt

    def _statement(self, token: Token) -> n.Stmt | None:
        """The statement that starts with ``token``, the token at ``pos``."""
        pos = self.pos
        kind = self.kinds[pos]
        if kind is KEYWORD_KIND:
            word = self.values[pos]
            if self.texts[pos] != word and self.statement_starts_with_name(token):
                return self._assignment_or_call(token)
            handler = self._statements.get(word)
            if handler is not None:
                return handler(token)
            if token.value in ("SUPER",):
                return self._assignment_or_call(token)
            if token.value in ("PUBLIC", "PRIVATE"):
                raise self.fail("E117", f"{token.value} is only used for members inside a CLASS",
                                token, hint="Remove it, or move this line into a CLASS.")
            raise self.fail("E113", f"A statement cannot start with {token.value}", token,
                            hint=statement_hint(token.value))
        if kind is NAME_KIND:
            if self.values[pos].upper() == "DEFINE" and self.kinds[pos + 1] is NAME_KIND:
                raise self.fail("E150", "Sets (DEFINE) are not supported", token,
                                hint="Use an ARRAY or an enumerated TYPE instead.")
            return self._assignment_or_call(token)
        if token.kind is ERROR_KIND:
            raise SkipLine()  # already reported by the lexer
        if self._line_has_arrow():
            return self._assignment_or_call(token)
        raise self.fail("E113", f"A statement cannot start with {self.describe(token)}", token,
                        hint="A statement starts with a keyword such as OUTPUT, or with the "
                             "name of a variable to assign to.")

    def _line_has_arrow(self) -> bool:
        index = self.pos
        while self.tokens[index].kind not in (NEWLINE_KIND, EOF_KIND):
            if self.tokens[index].is_op("<-"):
                return True
            index += 1
        return False

    # ------------------------------------------------------------ simple statements
    def _input(self, start: Token) -> n.Input:

        self.pos += 1  # over the keyword (never EOF)
        prompt: n.Expr | None = None
        items = [self.parse_expression()]
        while self.at_op(","):
            self.advance()
            items.append(self.parse_expression())
        if len(items) > 1 and isinstance(items[0], n.Literal) and items[0].kind == "STRING":
            prompt = items.pop(0)
        span = self.span_from(start)
        self.end_statement()
        stmt = n.Input.make(span, items, prompt)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _output(self, start: Token) -> n.Output:

        self.pos += 1  # over the keyword (never EOF)
        if start.value == "PRINT":
            self.report("W103", "PRINT is not a pseudocode keyword; it is read as OUTPUT", start,
                        hint="Write OUTPUT.")
        items: list[n.Expr] = []
        if not self.at_line_end():
            kinds, values = self.kinds, self.values
            items.append(self.parse_expression())
            while kinds[self.pos] is OPERATOR_KIND and values[self.pos] == ",":
                self.pos += 1
                items.append(self.parse_expression())
        span = self.span_from(start)
        self.end_statement()
        stmt = n.Output.make(span, items)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _call(self, start: Token) -> n.CallStmt:

        self.pos += 1  # over the keyword (never EOF)
        target = self.parse_postfix()
        if isinstance(target, n.Call):
            call = target
        elif isinstance(target, (n.Name, n.FieldAccess)):
            call = n.Call.make(target.span, target, [], has_parens=False)
        else:
            raise self.fail("E110", "Expected the name of a procedure after CALL", start,
                            hint="Write CALL Name or CALL Name(arguments).")
        span = self.span_from(start)
        self.end_statement()
        stmt = n.CallStmt.make(span, call, True)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _return(self, start: Token) -> n.Return:

        self.pos += 1  # over the keyword (never EOF)
        value = None if self.at_line_end() else self.parse_expression()
        span = self.span_from(start)
        self.end_statement()
        stmt = n.Return.make(span, value)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _assignment_or_call(self, start: Token) -> n.Stmt:
        """``start`` is the token at ``pos`` (see ``_statement``)."""
        kinds, values = self.kinds, self.values
        first = self.pos
        # (start is never the last token: EOF is)
        if kinds[first] is NAME_KIND and kinds[first + 1] is OPERATOR_KIND and \
                values[first + 1] == "<-":
            # ``Name <- ...`` (most assignments): what parse_postfix would read, in one step.
            self.pos = arrow = first + 1
            line = self.lines[first]
            target: n.Expr = n.Name.make(new_span(Span, (line, self.columns[first], line,
                                                    self.ends[first])), values[first])
            assignable = True
        else:
            target = self.parse_postfix()
            arrow = self.pos
            assignable = is_assignable(target)
        if kinds[arrow] is OPERATOR_KIND and (values[arrow] == "<-" or values[arrow] == "="):
            self.pos = arrow + 1
            if values[arrow] == "=":
                self.report("W102", "'=' used for assignment", self.tokens[arrow],
                            hint="Write <- (or \u2190) to assign; '=' compares two values.")
            value = self.parse_expression()
            if not assignable:
                self.report("E118", "The left side of an assignment must be a variable, an "
                                    "array element or a field", target.span,
                            hint="Write the name of the variable on the left of <-.")
            span = self.span_from_pos(first)
            self.end_statement()
            stmt: n.Stmt = n.Assign.make(span, target, value)
        elif isinstance(target, n.Call) or (isinstance(target, n.FieldAccess)
                                           and isinstance(target.base, n.SuperRef)):
            call = target if isinstance(target, n.Call) else n.Call.make(target.span, target, [])
            span = self.span_from_pos(first)
            self.end_statement()
            stmt = n.CallStmt.make(span, call, False)
        else:
            token = self.peek()
            if token.kind is OPERATOR_KIND and token.value == ":":
                raise self.fail("E110", "A declaration needs DECLARE in front", start,
                                hint=f"Write DECLARE {start.value} : TYPE.")
            raise self.fail("E110", f"Expected '<-' to assign to {start.value}, but found "
                                    f"{self.describe(token)}", token,
                            hint="An assignment is written Name <- value.")
        stmt.trailing = self.take_trailing(self.lines[first])
        return stmt

    # ------------------------------------------------------------ files
    def _openfile(self, start: Token) -> n.Stmt | None:

        self.pos += 1  # over the keyword (never EOF)
        filename = self.parse_expression()
        self.expect_keyword("FOR", "after the file name",
                            hint="Write OPENFILE \"name.txt\" FOR READ (or WRITE, APPEND).")
        mode_token = self.peek()
        mode = mode_token.value.upper() if mode_token.kind is NAME_KIND else ""
        if mode not in ("READ", "WRITE", "APPEND", "RANDOM"):
            raise self.fail("E110", f"Expected READ, WRITE, APPEND or RANDOM, but found "
                                    f"{self.describe(mode_token)}", mode_token)
        if mode_token.value != mode:
            self.report("W101", f"File mode '{mode_token.value}' should be written in capitals: "
                                f"{mode}", mode_token, hint=f"Write {mode}.")
        self.advance()
        span = self.span_from(start)
        self.end_statement()
        stmt = n.OpenFile.make(span, filename, mode)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _readfile(self, start: Token) -> n.ReadFile:

        self.pos += 1  # over the keyword (never EOF)
        filename = self.parse_expression()
        self.expect_op(",", "after the file name", hint="Write READFILE \"name.txt\", Variable.")
        target = self.parse_postfix()
        span = self.span_from(start)
        self.end_statement()
        stmt = n.ReadFile.make(span, filename, target)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _writefile(self, start: Token) -> n.WriteFile:

        self.pos += 1  # over the keyword (never EOF)
        filename = self.parse_expression()
        self.expect_op(",", "after the file name", hint="Write WRITEFILE \"name.txt\", value.")
        value = self.parse_expression()
        span = self.span_from(start)
        self.end_statement()
        stmt = n.WriteFile.make(span, filename, value)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _closefile(self, start: Token) -> n.CloseFile:

        self.pos += 1  # over the keyword (never EOF)
        filename = self.parse_expression()
        span = self.span_from(start)
        self.end_statement()
        stmt = n.CloseFile.make(span, filename)
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
        stmt = n.Seek.make(span, filename, address)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _getrecord(self, start: Token) -> n.GetRecord:
        filename, target = self._file_and(start, "target", 'GETRECORD "data.dat", Variable')
        span = self.span_from(start)
        self.end_statement()
        stmt = n.GetRecord.make(span, filename, target)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _putrecord(self, start: Token) -> n.PutRecord:
        filename, value = self._file_and(start, "value", 'PUTRECORD "data.dat", Variable')
        span = self.span_from(start)
        self.end_statement()
        stmt = n.PutRecord.make(span, filename, value)
        stmt.trailing = self.take_trailing(start.line)
        return stmt
