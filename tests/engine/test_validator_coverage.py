"""Every statement and expression node has a handler in the validator, or is on the
checker's commented ``ignored`` list; an unknown node fails loudly (pyflakes's rule),
where the old validator skipped it silently. One rule for what can be assigned to."""

from __future__ import annotations

import pytest
from node_coverage import assert_handles_every_node

from engine.language import nodes as n
from engine.language import parser
from engine.language.targets import is_assignable
from engine.semantics import statements
from engine.semantics.context import CheckContext
from engine.semantics.declarations import Declarations
from engine.semantics.expressions import ExprChecker
from engine.semantics.statements import StatementChecker
from engine.semantics.validator import Validator

SPAN = n.Span(1, 1, 1, 2)


def test_the_statement_checker_handles_every_statement() -> None:
    assert_handles_every_node(StatementChecker, n.Stmt)


def test_the_expression_checker_handles_every_expression() -> None:
    assert_handles_every_node(ExprChecker, n.Expr)
    assert ExprChecker.ignored == {}  # every expression has a type to give


def test_what_the_statement_checker_ignores_is_exactly_what_pass_1_finishes() -> None:
    assert set(StatementChecker.ignored) == {n.TriviaOnly, n.RecordType, n.EnumType,
                                             n.PointerType}


def _checkers() -> tuple[StatementChecker, ExprChecker]:
    ctx = CheckContext()
    exprs = ExprChecker(ctx)
    return StatementChecker(ctx, exprs, Declarations(ctx, exprs)), exprs


def test_an_unknown_node_fails_instead_of_being_skipped() -> None:
    @n.node
    class Teleport(n.Stmt):
        place: n.Expr

    @n.node
    class Tachyon(n.Expr):
        pass

    stmts, exprs = _checkers()
    with pytest.raises(TypeError, match="no check for Teleport"):
        stmts.visit(Teleport(SPAN, n.Name(SPAN, "x")))
    with pytest.raises(TypeError, match="no check for Tachyon"):
        exprs.check(Tachyon(SPAN))


def test_ignored_statements_are_passed_over() -> None:
    stmts, _ = _checkers()
    assert stmts.visit(n.TriviaOnly(SPAN)) is None
    assert not stmts.ctx.diagnostics


def test_each_expression_gets_its_type_recorded() -> None:
    _, exprs = _checkers()
    literal = n.Literal(SPAN, 3, "INTEGER")
    negated = n.UnaryOp(SPAN, "-", literal)
    assert exprs.check(negated).name == "INTEGER"
    assert negated.ptype is literal.ptype is exprs.visit(literal)


def _expr(text: str) -> n.Expr:
    program, problems = parser.parse(f"X <- {text}\n")
    assert not problems, problems
    return program.body[0].value


@pytest.mark.parametrize(("text", "assignable"), [
    ("A", True), ("A[1]", True), ("A[1][2]", True), ("P.Name", True), ("L[i].Link", True),
    ("Find(K).Value", True), ("P^", True), ("F(1)", False), ("F()[1]", False),
    ("F()[1].X", False), ("1", False), ("A + 1", False), ("SUPER.Name", False),
    ("@A", False), ("NEW C()", False),
])
def test_one_assignability_rule(text: str, assignable: bool) -> None:
    assert is_assignable(_expr(text)) is assignable


def test_the_parser_and_the_validator_use_the_same_rule() -> None:
    assert parser.is_assignable is is_assignable
    assert statements.is_assignable is is_assignable
    assert not hasattr(parser, "_is_assignable")


def test_a_field_of_an_element_of_a_call_result_is_not_a_place() -> None:
    """The parser used to accept it (the validator's INPUT did not): now both refuse."""
    program = ("FUNCTION F() RETURNS INTEGER\n    RETURN 1\nENDFUNCTION\n"
               "F()[1].X <- 3\nINPUT F()[1].X\n")
    tree, problems = parser.parse(program)
    found = problems + Validator().run(tree)
    assert sorted((d.code, d.line) for d in found if d.code == "E118") == [("E118", 4),
                                                                      ("E118", 5)]
