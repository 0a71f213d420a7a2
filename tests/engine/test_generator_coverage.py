"""Both code generators handle every statement and expression kind (pyflakes's rule: an
unknown node fails here, not in a user's translation)."""

from __future__ import annotations

import pytest
from node_coverage import assert_handles_every_node

from engine.codegen.generator import Generator
from engine.codegen.plain.generator import PlainGenerator
from engine.language import nodes as n


@pytest.mark.parametrize("generator", [Generator, PlainGenerator], ids=["checked", "plain"])
def test_every_statement_and_expression_has_a_handler(generator: type[Generator]) -> None:
    assert_handles_every_node(generator, n.Stmt, n.Expr)


def test_a_node_without_a_handler_is_an_error_not_silence() -> None:
    class Unknown(n.Expr):
        __slots__ = ()

    node = Unknown.__new__(Unknown)
    with pytest.raises(NotImplementedError, match="no handler for Unknown"):
        Generator().expr(node)
