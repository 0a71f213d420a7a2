"""The code generator's statement -> pseudocode line table (``Generator.lines``, keyed by
``id(node)``) stays right when the generator drops nodes it made.

A node that was given a line and then left out of the tree (the ``pass`` of a REPEAT
whose body is only a comment, the ``X = _copy(X)`` the plain style finds unneeded) must
stay alive with the generator: otherwise a later node may be made at its address, take
its id, and be given its line (``lines.setdefault``) instead of its own.
"""

from __future__ import annotations

import ast

from engine.codegen.generator import Generator
from engine.codegen.names import assign_python_names
from engine.codegen.plain.generator import PlainGenerator
from engine.pipeline import parse_stage, validate_stage

REPEAT_OF_A_COMMENT = """\
DECLARE Count : INTEGER
Count <- 0
REPEAT
    // nothing to do yet
UNTIL Count = 0
FOR Count <- 1 TO 3
    OUTPUT Count
NEXT Count
"""

UNNEEDED_COPY = """\
DECLARE Values : ARRAY[1:5] OF INTEGER
DECLARE Position : INTEGER
FUNCTION Average(Data : ARRAY OF INTEGER) RETURNS REAL
    RETURN (Data[1] + Data[2]) / 2
ENDFUNCTION
FOR Position <- 1 TO 5
    Values[Position] <- Position
NEXT Position
OUTPUT Average(Values)
"""


def _generated(text: str, generator: Generator) -> list[ast.stmt]:
    validated = validate_stage(parse_stage(text))
    assert not [d for d in validated.diagnostics if d.code.startswith("E")]
    assign_python_names(validated.program.symbols or [])
    return generator.program(validated.program)


def _check(text: str, generator: Generator) -> list[ast.AST]:
    """Check the table; return the nodes given a line that are not in the tree."""
    body = _generated(text, generator)
    kept = {id(node) for node in generator.kept}
    assert set(generator.lines) <= kept  # every id with a line belongs to a live node
    in_tree = [node for node in ast.walk(ast.Module(body, [])) if isinstance(node, ast.stmt)]
    # A FOR statement is given the line of its FOR, wherever it was made.
    lines_of_for = {generator.lines[id(node)] for node in in_tree if isinstance(node, ast.For)}
    assert lines_of_for == {text.splitlines().index(next(
        line for line in text.splitlines() if line.startswith("FOR"))) + 1}
    placed = {id(node) for node in in_tree}
    return [node for node in generator.kept if isinstance(node, ast.stmt) and
            id(node) not in placed]


def test_a_dropped_pass_keeps_its_id_to_itself() -> None:
    dropped = _check(REPEAT_OF_A_COMMENT, Generator())
    assert [type(node) for node in dropped] == [ast.Pass]  # the REPEAT body's, left out


def test_an_unneeded_copy_keeps_its_id_to_itself() -> None:
    dropped = _check(UNNEEDED_COPY, PlainGenerator(set()))
    assert [ast.unparse(node) for node in dropped] == ["Data = _copy(Data)"]
