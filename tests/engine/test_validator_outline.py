"""Pass 1's one walk of the program's blocks (``ProgramOutline``): the routines to declare,
the global declarations, and the names assigned in the main program and in each routine,
each in program order, as the separate walks it replaced found them."""

from __future__ import annotations

from engine.language import nodes as n
from engine.pipeline import parse_stage
from engine.semantics.declarations import ProgramOutline, assigned_names

PROGRAM = """\
DECLARE Total : INTEGER
total <- 1
PROCEDURE Outer(X : INTEGER)
    DECLARE Local : INTEGER
    Local <- X
    IF X > 0 THEN
        PROCEDURE Inner
            Hidden <- 2
        ENDPROCEDURE
    ENDIF
    FOR I <- 1 TO 3
        Counted <- I
    NEXT I
ENDPROCEDURE
IF Total > 0 THEN
    DECLARE InIf : STRING
    Total <- 2
ELSE
    CONSTANT Limit = 10
    INPUT Typed, Arr[1]
ENDIF
CASE OF Total
    1 : Picked <- 1
    OTHERWISE : Other <- 2
ENDCASE
REPEAT
    READFILE "f.txt", Line
UNTIL TRUE
FUNCTION Last RETURNS INTEGER
    RETURN 1
ENDFUNCTION
"""


def _outline() -> tuple[ProgramOutline, list[n.Stmt]]:
    body = parse_stage(PROGRAM).program.body
    return ProgramOutline(body), body


def test_every_routine_in_order_nested_ones_too() -> None:
    outline, _ = _outline()
    assert [r.name.name for r in outline.routines] == ["Outer", "Inner", "Last"]


def test_declarations_outside_routines_in_order() -> None:
    outline, _ = _outline()
    names = [d.names[0].name if isinstance(d, n.Declare) else d.name.name
             for d in outline.declarations]
    assert names == ["Total", "InIf", "Limit"]  # not Outer's Local


def test_main_program_names_first_spelling_not_those_of_routines() -> None:
    outline, body = _outline()
    assert outline.main_assigned == {"total": "total", "typed": "Typed", "picked": "Picked",
                                     "other": "Other", "line": "Line"}
    assert assigned_names(body) == outline.main_assigned


def test_each_routine_has_its_own_names() -> None:
    outline, _ = _outline()
    outer, inner, last = outline.routines
    assert outline.routine_assigned[id(outer)] == {"local": "Local", "i": "I",
                                                   "counted": "Counted"}
    assert outline.routine_assigned[id(inner)] == {"hidden": "Hidden"}
    assert outline.routine_assigned[id(last)] == {}
    assert assigned_names(outer.body) == outline.routine_assigned[id(outer)]


def test_a_long_elseif_chain_needs_no_recursion() -> None:
    branches = "".join(f"ELSEIF X = {i} THEN\n    Y{i} <- {i}\n" for i in range(3000))
    body = parse_stage(f"X <- 0\nIF X = -1 THEN\n    Y <- 0\n{branches}ENDIF\n").program.body
    outline = ProgramOutline(body)
    assert len(outline.main_assigned) == 3002
    assert list(outline.main_assigned)[:3] == ["x", "y", "y0"]
