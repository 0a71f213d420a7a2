"""Names: built-in function names are ordinary identifiers (LANGUAGE.md section 1)."""

from __future__ import annotations

from language_helpers import error_codes, expect, translate_ok


def test_builtin_names_as_variables_parameters_fields_and_constants() -> None:
    expect("""
        DECLARE Length : INTEGER
        DECLARE Word : STRING
        Word <- "Hello"
        Length <- LENGTH(Word)
        OUTPUT Length
        DECLARE Day, Month, Year : INTEGER
        Day <- DAY(SETDATE(3, 4, 2020))
        Month <- MONTH(SETDATE(3, 4, 2020))
        Year <- YEAR(SETDATE(3, 4, 2020))
        OUTPUT Day, "/", Month, "/", Year
        PROCEDURE Show(Right : INTEGER, Mid : STRING)
            OUTPUT Right, Mid, RIGHT(Mid, 1), MID(Mid, 1, 1)
        ENDPROCEDURE
        CALL Show(1, "xy")
        CONSTANT Round = 3
        OUTPUT ROUND(2.5, 0) + Round
        TYPE Rec
            DECLARE Today : DATE
            DECLARE Left : INTEGER
        ENDTYPE
        DECLARE R : Rec
        R.Left <- LENGTH("ab")
        OUTPUT R.Left
        """, """
        5
        3/4/2020
        1xyyx
        6
        2
        """)


def test_assigning_a_builtin_name_without_declare_makes_a_variable() -> None:
    expect("""
        Word <- "abc"
        Length <- LENGTH(Word)
        OUTPUT Length
        Random <- RANDOM()
        OUTPUT Random <= 1
        Today <- 7
        OUTPUT Today + 1
        """, """
        3
        TRUE
        8
        """)


def test_a_user_routine_of_a_builtin_name_wins_for_calls() -> None:
    expect("""
        FUNCTION Left(S : STRING) RETURNS STRING
            RETURN "mine"
        ENDFUNCTION
        FUNCTION Length(S : STRING) RETURNS INTEGER
            RETURN 99
        ENDFUNCTION
        OUTPUT Left("abc"), Length("abc")
        OUTPUT RIGHT("abc", 1)
        """, """
        mine99
        c
        """)


def test_python_names_of_builtins_stay_distinct() -> None:
    code = translate_ok("""
        DECLARE len : INTEGER
        len <- LENGTH("ab")
        OUTPUT len
        """).code
    assert "len_ = len('ab')" in code


def test_keywords_stay_reserved() -> None:
    assert "E119" in error_codes("DECLARE OUTPUT : INTEGER")
