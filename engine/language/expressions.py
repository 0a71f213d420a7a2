"""Expressions and types: precedence climbing over the operator levels of docs/language.md.

The binary operators of ``_LEVELS`` are left-associative. ``^`` binds tightest and to
the right: ``-2 ^ 2`` is ``-(2 ^ 2)``, ``2 ^ -1`` has a signed exponent, and after a
pointer (``P^``) it is a dereference.
"""

from __future__ import annotations

from engine.language import nodes as n
from engine.language.cursor import (
    CHAR_KIND,
    DATE_KIND,
    ERROR_KIND,
    INTEGER_KIND,
    KEYWORD_KIND,
    MAX_EXPR_NESTING,
    MAX_EXPR_OPERATORS,
    NAME_KIND,
    OPERATOR_KIND,
    REAL_KIND,
    STRING_KIND,
    SkipLine,
    TokenCursor,
    TooDeep,
    new_span,
)
from engine.language.hints import keyword_as_value_hint
from engine.language.lexer import date_of
from engine.language.nodes import Span
from engine.language.numbers import int_from_digits
from engine.language.tokens import Token
from engine.language.vocabulary import BASE_TYPES

# Binary operator precedence, lowest first (docs/language.md, "Expressions").
_LEVELS: list[frozenset[str]] = [
    frozenset({"OR"}),
    frozenset({"AND"}),
    frozenset({"=", "<>", "<", "<=", ">", ">="}),
    frozenset({"&"}),
    frozenset({"+", "-"}),
    frozenset({"*", "/", "DIV", "MOD"}),
]
_PRECEDENCE: dict[str, int] = {op: level for level, ops in enumerate(_LEVELS) for op in ops}
_HIGHEST = len(_LEVELS) - 1
# After an operand, what continues it: a call, an index, a field, a power or a dereference.
_INSIDE_OPERAND = frozenset({"(", "[", ".", "^"})

_OPERAND_START_OPS = frozenset({"(", "-", "@", "^"})
OPERAND_START_KEYWORDS = frozenset({"TRUE", "FALSE", "NOT", "NEW", "SUPER", "DIV", "MOD"})


class ExpressionParser(TokenCursor):
    # ------------------------------------------------------------ expressions
    def parse_expression(self) -> n.Expr:
        self.expr_operators = 0
        return self._binary(0)

    def _binary(self, min_level: int) -> n.Expr:
        """Precedence climbing over the binary levels of ``_PRECEDENCE`` (all left-associative)."""
        left = self._operand()
        kinds, values = self.kinds, self.values
        precedence = _PRECEDENCE
        while True:
            pos = self.pos
            op = values[pos]
            level = precedence.get(op)
            # (the value first: most expressions end at a line end, ',', ')' or THEN,
            # none of them an operator's spelling; a string "+" is not an operator)
            if level is None or level < min_level:
                return left
            kind = kinds[pos]
            if kind is not OPERATOR_KIND and kind is not KEYWORD_KIND:
                return left
            self.pos = pos + 1
            self.expr_operators += 1
            if self.expr_operators > MAX_EXPR_OPERATORS:
                self.report("E116", f"Expression with more than {MAX_EXPR_OPERATORS} "
                                    "operators", self.tokens[pos],
                            hint="Split it over several assignments.")
                raise TooDeep()
            # Above the highest level, climbing would read one operand and stop.
            right = self._binary(level + 1) if level < _HIGHEST else self._operand()
            start, end = left.span, right.span
            left = n.BinaryOp.make(new_span(Span, (start.line, start.column, end.end_line,
                                              end.end_column)), op, left, right)

    def _operand(self) -> n.Expr:
        """An operand of a binary operator. A name, a whole number or a string that nothing
        inside the operand follows (most operands) is read here in one step: what
        ``_unary`` -> ``_power`` -> ``parse_postfix`` -> ``_primary`` would give."""
        kinds = self.kinds
        pos = self.pos
        kind = kinds[pos]
        if kind is NAME_KIND or kind is INTEGER_KIND or kind is STRING_KIND:
            # (a NAME, INTEGER or STRING is never the last token: EOF is)
            if kinds[pos + 1] is not OPERATOR_KIND or \
                    self.values[pos + 1] not in _INSIDE_OPERAND:
                self.pos = pos + 1
                line = self.lines[pos]
                span = new_span(Span, (line, self.columns[pos], line, self.ends[pos]))
                if kind is NAME_KIND:
                    return n.Name.make(span, self.values[pos])
                if kind is INTEGER_KIND:
                    return n.Literal.make(span, int_from_digits(self.values[pos]), "INTEGER")
                return n.Literal.make(span, self.values[pos], "STRING")
            return self._power()  # (what _unary does for a token that is not - or NOT)
        return self._unary()

    def _enter(self, token: Token) -> None:
        self.expr_nesting += 1
        if self.expr_nesting > MAX_EXPR_NESTING:
            self.expr_nesting -= 1
            self.report("E116", f"Expression nested more than {MAX_EXPR_NESTING} deep", token,
                        hint="Split it over several assignments.")
            raise TooDeep()

    def _unary(self) -> n.Expr:
        pos = self.pos
        kind, value = self.kinds[pos], self.values[pos]
        if (kind is OPERATOR_KIND and value == "-") or (kind is KEYWORD_KIND and value == "NOT"):
            token = self.tokens[pos]
            self.pos = pos + 1
            self._enter(token)
            try:
                operand = self._unary()
            finally:
                self.expr_nesting -= 1
            start = Span(token.line, token.column, token.line, token.end_column)
            if token.value == "-" and isinstance(operand, n.Literal) and operand.kind in (
                    "INTEGER", "REAL") and operand.span.column == token.end_column:
                return n.Literal.make(start.to(operand.span), -operand.value, operand.kind)
            return n.UnaryOp.make(start.to(operand.span), token.value, operand)
        return self._power()

    def _power(self) -> n.Expr:
        base = self.parse_postfix()
        pos = self.pos
        if self.kinds[pos] is OPERATOR_KIND and self.values[pos] == "^":
            token = self.tokens[pos]
            self.pos = pos + 1
            self._enter(token)
            try:
                exponent = self._unary()
            finally:
                self.expr_nesting -= 1
            return n.BinaryOp.make(base.span.to(exponent.span), "^", base, exponent)
        return base

    def parse_postfix(self) -> n.Expr:
        expr = self._primary()
        kinds, values = self.kinds, self.values
        while True:
            pos = self.pos
            if kinds[pos] is not OPERATOR_KIND:
                return expr
            value = values[pos]
            if value == "(" and isinstance(expr, (n.Name, n.FieldAccess)):
                self.pos = pos + 1
                args = self._arguments(self.tokens[pos])
                expr = n.Call.make(self.span_from(expr.span), expr, args)
            elif value == "[":
                token = self.tokens[pos]
                self.pos = pos + 1
                self._enter(token)
                try:
                    indices = [self._binary(0)]
                    while kinds[self.pos] is OPERATOR_KIND and values[self.pos] == ",":
                        self.pos += 1
                        indices.append(self._binary(0))
                finally:
                    self.expr_nesting -= 1
                self.expect_op("]", "after the array index")
                expr = n.Index.make(self.span_from(expr.span), expr, indices)
            elif value == ".":
                self.pos = pos + 1
                name = self.peek()
                if name.kind is NAME_KIND or name.is_keyword("NEW"):
                    self.advance()
                    field_span = self.token_span(name)
                    expr = n.FieldAccess.make(self.span_from(expr.span), expr, name.value, field_span)
                else:
                    raise self.fail("E110", f"Expected a field name after '.', but found "
                                            f"{self.describe(name)}", name)
            elif value == "^" and self._is_deref(expr):
                self.pos = pos + 1
                expr = n.Deref.make(self.span_from(expr.span), expr)
            else:
                return expr

    def _is_deref(self, expr: n.Expr) -> bool:
        after = self.peek(1)
        starts_operand = (
            after.kind in (NAME_KIND, INTEGER_KIND, REAL_KIND, STRING_KIND,
                           CHAR_KIND, DATE_KIND)
            or (after.kind is OPERATOR_KIND and after.value in _OPERAND_START_OPS)
            or (after.kind is KEYWORD_KIND and after.value in OPERAND_START_KEYWORDS))
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
            kinds, values = self.kinds, self.values
            if kinds[self.pos] is OPERATOR_KIND and values[self.pos] == ")":
                self.pos += 1
                return args
            args.append(self._binary(0))
            while kinds[self.pos] is OPERATOR_KIND and values[self.pos] == ",":
                self.pos += 1
                args.append(self._binary(0))
            self.expect_op(")", "to close the argument list")
            return args
        finally:
            self.expr_nesting -= 1

    def _primary(self) -> n.Expr:
        pos = self.pos
        token = self.tokens[pos]
        kind, value = self.kinds[pos], self.values[pos]
        line = self.lines[pos]
        span = new_span(Span, (line, self.columns[pos], line, self.ends[pos]))
        if kind is NAME_KIND:
            self.pos += 1
            return n.Name.make(span, value)
        if kind is INTEGER_KIND:
            self.pos += 1
            return n.Literal.make(span, int_from_digits(value), "INTEGER")
        if kind is REAL_KIND:
            self.pos += 1
            return n.Literal.make(span, float(value), "REAL")
        if kind is STRING_KIND:
            self.pos += 1
            return n.Literal.make(span, value, "STRING")
        if kind is CHAR_KIND:
            self.pos += 1
            return n.Literal.make(span, value, "CHAR")
        if kind is DATE_KIND:
            self.pos += 1
            return n.Literal.make(span, date_of(value), "DATE")
        if kind is OPERATOR_KIND:
            if value == "(":
                self.pos += 1
                self._enter(token)
                try:
                    inner = self._binary(0)
                finally:
                    self.expr_nesting -= 1
                self.expect_op(")", "to close the bracket")
                return inner
            if value in ("@", "^"):
                # ^X (the 9618 guide's form) or @X: the address of X. A ^ with no operand
                # before it can only be this; after a pointer it is a dereference.
                self.pos += 1
                self._enter(token)
                try:
                    target = self.parse_postfix()
                finally:
                    self.expr_nesting -= 1
                return n.AddressOf.make(self.span_from(token), target)
        if kind is KEYWORD_KIND and self.soft_name(token) and \
                value not in OPERAND_START_KEYWORDS:
            self.pos += 1
            return n.Name.make(span, self.as_name(token).value)
        if kind is KEYWORD_KIND:
            word = value
            if word in ("TRUE", "FALSE"):
                self.pos += 1
                return n.Literal.make(span, word == "TRUE", "BOOLEAN")
            if word in ("DIV", "MOD") and self.peek(1).is_op("("):
                self.pos += 1
                return n.Name.make(span, word)
            if word == "NEW":
                self.pos += 1
                class_token = self.expect_name("the name of a class after NEW")
                args: list[n.Expr] = []
                if self.at_op("("):
                    open_token = self.advance()
                    args = self._arguments(open_token)
                return n.NewObject.make(self.span_from(token), class_token.value,
                                   Span(class_token.line, class_token.column, class_token.line,
                                        class_token.end_column), args)
            if word == "SUPER":
                self.pos += 1
                return n.SuperRef.make(span)
            if word in ("INTEGER", "REAL", "STRING", "CHAR", "BOOLEAN", "DATE") and \
                    self.peek(1).is_op("("):
                raise self.fail("E110", f"{word} is a type, not a function", token,
                                hint="To convert, use INT(x), NUM_TO_STR(x) or STR_TO_NUM(s).")
            raise self.fail("E119", f"{word} is a keyword and cannot be used here", token,
                            hint=keyword_as_value_hint(word))
        if kind is ERROR_KIND:
            raise SkipLine()
        raise self.fail("E114", f"Expected a value, but found {self.describe(token)}", token,
                        hint="Write a number, a string in quotes, a variable name or a "
                             "bracketed expression.")

    # ------------------------------------------------------------ types
    def parse_type(self, allow_open_array: bool = False) -> n.AnyTypeRef:
        pos = self.pos
        kind, value = self.kinds[pos], self.values[pos]
        if (kind is KEYWORD_KIND and value in BASE_TYPES) or kind is NAME_KIND:
            # INTEGER, or the name of a TYPE or CLASS (most types): one token.
            self.pos = pos + 1
            line = self.lines[pos]
            return n.TypeRef.make(new_span(Span, (line, self.columns[pos], line, self.ends[pos])),
                             value)
        token = self.tokens[pos]
        if kind is KEYWORD_KIND and value == "ARRAY":
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
            return n.ArrayTypeRef.make(self.span_from(token), bounds, element)
        raise self.fail("E110", f"Expected a type, but found {self.describe(token)}", token,
                        hint="Types are INTEGER, REAL, CHAR, STRING, BOOLEAN, DATE, "
                             "ARRAY[...] OF TYPE, or the name of a TYPE or CLASS.")
