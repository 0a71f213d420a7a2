"""The 9618 guide's own forms (LANGUAGE.md sections 1, 2 and 6): ^X, DATE literals,
enumeration arithmetic, "" for a CHAR, record fields of types defined further down."""

from __future__ import annotations

from language_helpers import error_codes, expect, line_of, runtime_error, translate_ok


def test_caret_before_a_name_is_its_address_and_the_pointer_type_comes_from_it() -> None:
    expect("""
        TYPE IntPointer = ^INTEGER
        DECLARE Num : INTEGER
        DECLARE Q : IntPointer
        Num <- 7
        P <- ^Num
        OUTPUT P^ - 1
        P^ <- P^ * 2
        OUTPUT Num
        Q <- ^Num
        Q^ <- Q^ + 1
        OUTPUT Num, " ", Q^ ^ 2
        """, """
        6
        14
        15 225
        """)


def test_caret_after_a_number_is_still_a_power() -> None:
    expect("""
        DECLARE N : INTEGER
        N <- 3
        OUTPUT N ^ 2, " ", 2 ^ N, " ", 2 ^ -1
        """, "9 8 0.5")


def test_date_literals() -> None:
    expect("""
        TYPE Pupil
            DECLARE Name : STRING
            DECLARE DateOfBirth : DATE
        ENDTYPE
        DECLARE Pupil1 : Pupil
        CONSTANT Start = 1/9/2024
        Pupil1.DateOfBirth <- 02/01/2005
        OUTPUT Pupil1.DateOfBirth, " ", DAY(Pupil1.DateOfBirth), " ", MONTH(Start)
        IF Pupil1.DateOfBirth < 03/01/2005 THEN
            OUTPUT "earlier ", 29/02/2024
        ENDIF
        OUTPUT 10 / 4 / 2
        """, """
        02/01/2005 2 9
        earlier 29/02/2024
        1.25
        """)


def test_a_date_literal_that_is_no_real_date_is_an_error() -> None:
    for bad in ("31/02/2024", "29/02/2023", "1/13/2020", "0/1/2020"):
        program = f"DECLARE D : DATE\nD <- {bad}\nOUTPUT D"
        assert error_codes(program) == ["E106"], bad


def test_enumeration_plus_or_minus_an_integer() -> None:
    expect("""
        TYPE Season = (Spring, Summer, Autumn, Winter)
        DECLARE ThisSeason : Season
        ThisSeason <- Spring
        ThisSeason <- ThisSeason + 1
        OUTPUT ThisSeason, " ", ThisSeason + 2, " ", Winter - 3
        IF ThisSeason + 1 = Autumn THEN
            OUTPUT "next is Autumn"
        ENDIF
        """, """
        Summer Winter Spring
        next is Autumn
        """)


def test_moving_past_the_end_of_an_enumeration_is_a_runtime_error_naming_the_line() -> None:
    text = """
        TYPE Season = (Spring, Summer, Autumn, Winter)
        DECLARE ThisSeason : Season
        ThisSeason <- Winter
        OUTPUT "start"
        ThisSeason <- ThisSeason + 1
        OUTPUT "never"
        """
    done = runtime_error(text)
    assert done.stdout == "start\n"
    assert done.stderr.startswith(f"Runtime error at line {line_of(text, '+ 1')}: ")
    assert "Winter" in done.stderr
    before = runtime_error("""
        TYPE Season = (Spring, Summer)
        OUTPUT Spring - 1
        """)
    assert before.stderr.startswith("Runtime error at line 2: ") and "first" in before.stderr


def test_empty_string_assigned_to_a_char() -> None:
    expect("""
        DECLARE Initial : CHAR
        Initial <- 'A'
        Initial <- ""
        OUTPUT "[", Initial, "]", LENGTH(Initial)
        """, "[]0")
    assert "E301" in error_codes('DECLARE C : CHAR\nC <- "ab"')


def test_record_field_of_a_type_defined_further_down_and_named_like_its_type() -> None:
    expect("""
        TYPE Person
            DECLARE Name : STRING
            DECLARE Address : Address
            DECLARE Home : Address
            DECLARE Visits : ARRAY[1:2] OF Address
        ENDTYPE
        TYPE Address
            DECLARE Street : STRING
            DECLARE Town : STRING
        ENDTYPE
        DECLARE P : Person
        P.Address.Street <- "High St"
        P.Home.Town <- "Ely"
        P.Visits[2].Town <- "Bath"
        OUTPUT P.Address.Street, " ", P.Home.Town, " ", P.Visits[2].Town, "[", P.Home.Street, "]"
        """, "High St Ely Bath[]")


def test_record_fields_named_like_what_the_python_uses() -> None:
    expect("""
        TYPE Odd
            DECLARE field : INTEGER
            DECLARE datetime : INTEGER
            DECLARE dataclass : STRING
            DECLARE Seen : DATE
            DECLARE Marks : ARRAY[1:2] OF INTEGER
            DECLARE self : BOOLEAN
        ENDTYPE
        DECLARE R : Odd
        R.field <- 1
        R.datetime <- 2
        R.Marks[2] <- 3
        OUTPUT R.field, R.datetime, R.Marks[2], R.Seen, R.self
        """, "12301/01/1970FALSE")


def test_the_python_of_a_record_evaluates_no_user_name_in_its_body() -> None:
    code = translate_ok("""
        TYPE Address
            DECLARE Address : STRING
        ENDTYPE
        TYPE P
            DECLARE Address : Address
            DECLARE Other : Address
        ENDTYPE
        DECLARE X : P
        OUTPUT X.Other.Address
        """).code
    assert "Other: Address = field(default_factory=lambda: Address())" in code
