"""Definitions: DECLARE and CONSTANT, PROCEDURE and FUNCTION, TYPE, CLASS.

Routines, types and classes belong at the top level (E117 inside a block); a TYPE or
CLASS whose END keyword is missing ends at the first line that cannot be a member.
"""

from __future__ import annotations

from engine.language import nodes as n
from engine.language.cursor import (
    EOF_KIND,
    KEYWORD_KIND,
    NAME_KIND,
    SkipLine,
)
from engine.language.expressions import ExpressionParser
from engine.language.hints import CLOSER_TEXT
from engine.language.nodes import Span
from engine.language.tokens import Token
from engine.language.vocabulary import BLOCK_CLOSERS


class DefinitionParser(ExpressionParser):
    # ------------------------------------------------------------ variables and constants
    def _declare(self, start: Token, access: str = "PUBLIC") -> n.Declare:

        self.pos += 1  # over the keyword (never EOF)
        names = [self._name_decl("a variable name")]
        while self.at_op(","):
            self.advance()
            names.append(self._name_decl("a variable name"))
        self.expect_op(":", "after the variable name",
                       hint="Write DECLARE Name : TYPE, for example DECLARE Count : INTEGER.")
        type_ref = self.parse_type()
        span = self.span_from(start)
        self.end_statement()
        stmt = n.Declare.make(span, names, type_ref, access)
        stmt.trailing = self.take_trailing(start.line)
        return stmt

    def _name_decl(self, context: str) -> n.NameDecl:
        token = self.expect_name(context)
        return n.NameDecl.make(self.token_span(token), token.value)

    def _constant(self, start: Token) -> n.ConstantDecl:

        self.pos += 1  # over the keyword (never EOF)
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
        stmt = n.ConstantDecl.make(span, name, value)
        stmt.trailing = self.take_trailing(start.line)
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
        if name_token.kind is KEYWORD_KIND and name_token.value == "NEW" and self.in_class:
            self.advance()
            name = n.NameDecl.make(Span(name_token.line, name_token.column, name_token.line,
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
                returns = n.TypeRef.make(Span(token.line, token.column, token.line, token.column),
                                    "?")
                self.skip_line_keep()
        header_span = self.span_from(start)
        stmt: n.Procedure | n.Function
        if word == "FUNCTION":
            assert returns is not None
            stmt = n.Function.make(header_span, name, params, returns, [], access)
        else:
            stmt = n.Procedure.make(header_span, name, params, [], access)
        self._header_end(stmt, start.line)
        closer = CLOSER_TEXT[word]
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
            params.append(n.Param.make(self.span_from(start), name.value, type_ref, byref))
            if not self.at_op(","):
                return params
            self.advance()

    # ------------------------------------------------------------ types and classes
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
                stmt: n.Stmt = n.EnumType.make(self.span_from(start), name, members)
            elif self.at_op("^"):
                self.advance()
                target = self.parse_type()
                stmt = n.PointerType.make(self.span_from(start), name, target)
            elif self.peek().kind is NAME_KIND and self.peek().value.upper() == "SET":
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
        record = n.RecordType.make(self.span_from(start), name, [])
        self._header_end(record, start.line)
        self._open("TYPE", start)
        try:
            while True:
                self.skip_newlines()
                token = self.fix_misspelt_keyword()
                if token.kind is EOF_KIND or (
                        token.kind is KEYWORD_KIND and token.value in BLOCK_CLOSERS
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
                if token.kind is NAME_KIND and self.peek(1).is_op(":"):
                    # Tolerated: a field without DECLARE.
                    before = self.take_trivia(token.line)
                    try:
                        field_names = [self._name_decl("a field name")]
                        self.expect_op(":", "after the field name")
                        field_type = self.parse_type()
                        decl = n.Declare.make(self.span_from(token), field_names, field_type)
                        decl.before = before
                        self.end_statement()
                        record.fields.append(decl)
                    except SkipLine:
                        self.skip_line()
                    continue
                self.report("E117", "Only DECLARE lines belong inside a record TYPE", token,
                            hint="Write DECLARE Field : TYPE, or close the TYPE with ENDTYPE.")
                self.skip_line()
        finally:
            self._close()
        return record

    def _leaves_definition(self, token: Token, start: Token, members: list[n.Stmt],
                           closer: str) -> bool:
        """Inside a TYPE or CLASS whose END keyword is missing: a line that cannot be a
        member, or a DECLARE written back at the definition's own indentation while its
        members were indented, is the program going on after it."""
        if token.is_keyword(closer):
            return False
        is_class = closer == "ENDCLASS"
        member_start = token.is_keyword("DECLARE") or (
            token.kind is NAME_KIND and self.peek(1).is_op(":")) or (
            is_class and token.is_keyword("PUBLIC", "PRIVATE", "PROCEDURE", "FUNCTION"))
        if not member_start:
            return not (is_class and token.kind is NAME_KIND and
                        token.value.upper() in ("PUBLIC", "PRIVATE"))
        first = next((m for m in members if not isinstance(m, n.TriviaOnly)), None)
        return first is not None and first.span.column > start.column >= token.column

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
        stmt = n.ClassDef.make(self.span_from(start), name, parent, [])
        self._header_end(stmt, start.line)
        self._open("CLASS", start)
        self.in_class = True
        try:
            while True:
                self.skip_newlines()
                token = self.fix_misspelt_keyword()
                if token.kind is EOF_KIND or self.definition_ends_blocks(token) or \
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
            elif current.kind is NAME_KIND and access != "PUBLIC" or (
                    current.kind is NAME_KIND and token.is_keyword("PUBLIC")):
                # PRIVATE Name : TYPE  (attribute without DECLARE)
                self.pos -= 1
                member = self._declare(token, access)
            else:
                raise self.fail("E117", "Inside a CLASS only attributes (PRIVATE Name : TYPE) and "
                                        "methods (PROCEDURE, FUNCTION) are allowed", current,
                                hint="Move statements into a method, or close the class with "
                                     "ENDCLASS.")
        except SkipLine:
            if self.pos == start_pos:
                self.pos += 1
            self.skip_line()
            return n.TriviaOnly(Span(token.line, 1, token.line, 1), before=before) if before \
                else None
        member.before = before + member.before
        return member
