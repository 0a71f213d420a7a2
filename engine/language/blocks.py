"""Control blocks: IF (with ELSEIF and ELSE), CASE, FOR, WHILE and REPEAT.

Each opens a block on the cursor's stack before reading its body and closes it
after, so a missing END keyword is reported at the line that opened the block, and
a header with a syntax error still opens its block (its END is not reported again).
"""

from __future__ import annotations

from engine.language import nodes as n
from engine.language.cursor import (
    EOF_KIND,
    KEYWORD_KIND,
    MAX_LOOP_DEPTH,
    NAME_KIND,
    NEWLINE_KIND,
    OPERATOR_KIND,
    SkipLine,
    TooDeep,
)
from engine.language.expressions import OPERAND_START_KEYWORDS, ExpressionParser
from engine.language.nodes import Span
from engine.language.tokens import Token
from engine.language.vocabulary import BLOCK_CLOSERS


class BlockParser(ExpressionParser):
    def _if(self, start: Token, is_elseif: bool = False) -> n.If:

        self.pos += 1  # over the keyword (never EOF)
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
        except SkipLine:
            # A broken header still opens the block, so its ENDIF is not reported again.
            self.skip_line_keep()
            condition = n.ErrorExpr.make(Span(start.line, start.column, start.line,
                                         start.end_column))
            then_token = start
        then_line = then_token.line
        then_line = then_token.line
        stmt = n.If.make(Span(start.line, start.column, then_token.line, then_token.end_column),
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
                except SkipLine:
                    self.skip_line()
                    branch = n.If.make(self.span_from(token), n.ErrorExpr.make(self.span_from(token)),
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

    def _case(self, start: Token) -> n.Case:

        self.pos += 1  # over the keyword (never EOF)
        try:
            self.expect_keyword("OF", "after CASE", hint="Write CASE OF Variable.")
            subject = self.parse_expression()
        except SkipLine:
            self.skip_line_keep()  # the block still opens: its ENDCASE is expected
            subject = n.ErrorExpr.make(Span(start.line, start.column, start.line,
                                       start.end_column))
        stmt = n.Case.make(self.span_from(start), subject, [], None)
        self._header_end(stmt, start.line)
        self._open("CASE", start)
        try:
            while True:
                self.skip_newlines()
                token = self.fix_misspelt_keyword()
                if token.kind is EOF_KIND or self.definition_ends_blocks(token):
                    self._unclosed("CASE", start)
                    break
                if token.kind is KEYWORD_KIND and token.value == "ENDCASE":
                    self._end_clause_trivia(stmt, token.line)
                    self.advance()
                    last = stmt.otherwise or (stmt.clauses[-1] if stmt.clauses else None)
                    self._finish_closer(last.body if last is not None else None)
                    break
                if token.kind is KEYWORD_KIND and (
                        token.value in BLOCK_CLOSERS or token.value in ("ELSE", "ELSEIF")):
                    if self._closes_open_block(token) and token.value != "OTHERWISE":
                        self._unclosed("CASE", start)
                        break
                    self._stray_closer(token)
                    continue
                if token.kind is KEYWORD_KIND and token.value == "OTHERWISE":
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

    def _line_is_clause(self) -> bool:
        """A clause line has a ':' (outside brackets) before any '<-'."""
        depth = 0
        index = self.pos
        kinds, values = self.kinds, self.values
        if kinds[index] is KEYWORD_KIND and values[index] not in OPERAND_START_KEYWORDS:
            return False
        while True:
            kind = kinds[index]
            if kind is NEWLINE_KIND or kind is EOF_KIND:
                return False
            if kind is OPERATOR_KIND:
                value = values[index]
                if value in ("(", "["):
                    depth += 1
                elif value in (")", "]"):
                    depth -= 1
                elif value == "<-":
                    return False
                elif value == ":" and depth == 0:
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
                        values.append(n.CaseRange.make(low.span.to(high.span), low, high))
                    else:
                        values.append(low)
                    if not self.at_op(","):
                        break
                    self.advance()
                self.expect_op(":", "after the CASE value",
                               hint="Write value : statement, for example 1 : OUTPUT \"one\".")
        except SkipLine:
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

        self.pos += 1  # over the keyword (never EOF)
        var_token = self.expect_name("the loop variable")
        variable = n.Name.make(self.token_span(var_token), var_token.value)
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
        except SkipLine:
            self.skip_line_keep()  # the loop still opens: its NEXT is expected
            first = last = n.ErrorExpr.make(variable.span)
            step = None
        stmt = n.For.make(self.span_from(start), variable, first, last, step, [])
        self._header_end(stmt, start.line)
        if self.loop_depth >= MAX_LOOP_DEPTH:
            self.report("E116", f"Loops nested more than {MAX_LOOP_DEPTH} deep", start,
                        hint="Move the inner loops into a PROCEDURE or FUNCTION.")
            raise TooDeep()
        self._open("FOR", start, var_token.value.upper())
        self.loop_depth += 1
        try:
            stmt.body = self.parse_block(frozenset({"NEXT", "ENDFOR"}))
            if self.at_keyword("NEXT", "ENDFOR"):
                closer = self.peek()
                follower = self.peek(1)
                if follower.kind is NAME_KIND:
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

        self.pos += 1  # over the keyword (never EOF)
        try:
            condition = self.parse_expression()
            if self.at_keyword("DO"):
                self.advance()
            if not self.at_line_end():
                token = self.peek()
                raise self.fail("E110", f"Unexpected {self.describe(token)} after the WHILE "
                                        "condition", token, hint="Write WHILE condition DO.")
        except SkipLine:
            self.skip_line_keep()  # the block still opens: its ENDWHILE is expected
            condition = n.ErrorExpr.make(Span(start.line, start.column, start.line,
                                         start.end_column))
        stmt = n.While.make(self.span_from(start), condition, [])
        self._header_end(stmt, start.line)
        self._loop_block(stmt, start, "WHILE", "ENDWHILE")
        return stmt

    def _loop_block(self, stmt: n.While | n.Repeat, start: Token, word: str,
                    closer: str) -> None:
        if self.loop_depth >= MAX_LOOP_DEPTH:
            self.report("E116", f"Loops nested more than {MAX_LOOP_DEPTH} deep", start,
                        hint="Move the inner loops into a PROCEDURE or FUNCTION.")
            raise TooDeep()
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
        except SkipLine:
            self.skip_line()
        finally:
            self.loop_depth -= 1
            self._close()

    def _missing_until(self, token: Token) -> n.Expr:
        self.report("E114", "UNTIL needs a condition", token,
                    hint="Write UNTIL condition, for example UNTIL Count > 10.")
        return n.ErrorExpr.make(Span(token.line, token.column, token.line, token.end_column))

    def _repeat(self, start: Token) -> n.Repeat:

        self.pos += 1  # over the keyword (never EOF)
        stmt = n.Repeat.make(self.span_from(start), [], n.ErrorExpr.make(self.span_from(start)))
        self._header_end(stmt, start.line)
        self._loop_block(stmt, start, "REPEAT", "UNTIL")
        return stmt
