"""gui.model.indent: indent after a block opener, dedent a closer to its opener, tab stops."""

from __future__ import annotations

import pytest

from gui.model import indent


@pytest.mark.parametrize("line, expected", [
    ("IF X > 3 THEN", "    "),
    ("    FOR I <- 1 TO 10", "        "),
    ("WHILE TRUE DO", "    "),
    ("REPEAT", "    "),
    ("CASE OF X", "    "),
    ("PROCEDURE P(A : INTEGER)", "    "),
    ("FUNCTION F RETURNS INTEGER", "    "),
    ("TYPE Student", "    "),
    ("TYPE Season = (Spring, Summer)", ""),
    ("CLASS Pet", "    "),
    ("    PUBLIC FUNCTION GetName() RETURNS STRING", "        "),
    ("    PRIVATE Name : STRING", "    "),
    ("ELSE", "    "),
    ("OTHERWISE : OUTPUT 1", ""),
    ("OUTPUT 1", ""),
    ("  OUTPUT 1", "  "),
    ('OUTPUT "IF"', ""),
    ("// IF comment", ""),
    ("if x > 1 then", "    "),
])
def test_indent_after(line, expected) -> None:
    assert indent.indent_after(line, "    ") == expected


@pytest.mark.parametrize("lines, expected", [
    (["IF A THEN", "    OUTPUT 1", "    ENDIF"], ""),
    (["    IF A THEN", "        OUTPUT 1", "        ELSE"], "    "),
    (["FOR I <- 1 TO 3", "    IF A THEN", "    ENDIF", "    NEXT I"], ""),
    (["REPEAT", "    X <- 1", "    UNTIL X"], ""),
    (["CASE OF X", "    1 : OUTPUT 1", "        OTHERWISE"], "    "),
    (["IF A THEN", "    OUTPUT 1", "ELSE IF B THEN", "        OUTPUT 2", "        ENDIF"], ""),
    (["WHILE A", "    OUTPUT 1", "    ENDIF"], None),
    (["    OUTPUT 1"], None),
    (["OUTPUT 1", "    OUTPUT 2"], None),
])
def test_dedent_target(lines, expected) -> None:
    assert indent.dedent_target(lines, len(lines) - 1, "    ") == expected


def test_next_tab_stop() -> None:
    assert indent.next_tab_stop(0, 4) == 4
    assert indent.next_tab_stop(5, 4) == 3
