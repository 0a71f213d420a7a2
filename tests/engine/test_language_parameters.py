"""Arguments and parameters, run end to end in both styles (LANGUAGE.md section 5,
docs/language.md "BYVAL and BYREF"): arguments are evaluated left to right even where
BYREF needs indices kept in variables, a FUNCTION with BYREF parameters after AND/OR
runs only when AND/OR needs it, and an ARRAY OF parameter is indexed as the arrays
passed to it are."""

from __future__ import annotations

from language_helpers import TAKE, expect, plain_of

# ---------------------------------------------------------------- BYREF: order of evaluation

# A procedure and functions that say when they run, for the tests below.
ORDER = """
    DECLARE A : ARRAY[1:3] OF INTEGER
    DECLARE G : INTEGER
    FUNCTION F() RETURNS INTEGER
        OUTPUT "F"
        RETURN 10
    ENDFUNCTION
    FUNCTION Idx() RETURNS INTEGER
        OUTPUT "Idx"
        RETURN 2
    ENDFUNCTION
    FUNCTION Bump() RETURNS INTEGER
        G <- G + 100
        RETURN 1
    ENDFUNCTION
    PROCEDURE AddTo(X : INTEGER, BYREF E : INTEGER)
        E <- E + X
    ENDPROCEDURE
    FUNCTION Add(X : INTEGER, BYREF E : INTEGER) RETURNS INTEGER
        E <- E + X
        RETURN E
    ENDFUNCTION
"""


def test_byref_call_evaluates_its_arguments_left_to_right() -> None:
    expect(ORDER + """
        A[2] <- 1
        CALL AddTo(F(), A[Idx()])
        OUTPUT A[2]
        OUTPUT Add(F(), A[Idx()])
    """, "F\nIdx\n11\nF\nIdx\n21")


def test_byval_argument_is_read_before_a_later_index_calls_a_function() -> None:
    expect(ORDER + """
        G <- 5
        CALL AddTo(G, A[Bump()])
        OUTPUT A[1], " ", G
    """, "5 105")


def test_byref_element_index_is_read_after_an_earlier_argument_changes_it() -> None:
    expect("""
        DECLARE A : ARRAY[1:3] OF INTEGER
        DECLARE I : INTEGER
        FUNCTION Move() RETURNS INTEGER
            I <- 2
            RETURN 0
        ENDFUNCTION
        PROCEDURE Set(X : INTEGER, BYREF J : INTEGER, BYREF E : INTEGER)
            J <- 3
            E <- 99
        ENDPROCEDURE
        I <- 1
        CALL Set(Move(), I, A[I])
        OUTPUT A[1], " ", A[2], " ", I
    """, "0 99 3")


def test_byref_function_of_an_element_after_another_call_keeps_the_order() -> None:
    expect(TAKE + """
        DECLARE Arr : ARRAY[1:2] OF INTEGER
        FUNCTION Loud(V : INTEGER) RETURNS INTEGER
            OUTPUT "Loud ", V
            RETURN V
        ENDFUNCTION
        OUTPUT Loud(1) + Take(Arr[1]), " ", Arr[1]
    """, "Loud 1\nTake called\n2 1")

def test_byref_element_of_a_field_of_an_element_indices_left_to_right() -> None:
    expect("""
        TYPE Row
            DECLARE Cells : ARRAY[1:3] OF INTEGER
        ENDTYPE
        DECLARE Rows : ARRAY[1:2] OF Row
        FUNCTION Say(Text : STRING, N : INTEGER) RETURNS INTEGER
            OUTPUT Text
            RETURN N
        ENDFUNCTION
        PROCEDURE Inc(BYREF E : INTEGER)
            E <- E + 1
        ENDPROCEDURE
        CALL Inc(Rows[Say("row", 2)].Cells[Say("cell", 3)])
        OUTPUT Rows[2].Cells[3]
    """, "row\ncell\n1")


# ---------------------------------------------------------------- BYREF function after AND / OR

def test_byref_function_of_an_element_after_and_is_skipped_when_and_stops() -> None:
    expect(TAKE + """
        DECLARE Flag : BOOLEAN
        DECLARE Arr : ARRAY[1:2] OF INTEGER
        Flag <- FALSE
        IF Flag AND Take(Arr[1]) > 0 THEN
            OUTPUT "taken"
        ENDIF
        Flag <- TRUE
        IF Flag AND Take(Arr[1]) > 0 THEN
            OUTPUT "taken ", Arr[1]
        ENDIF
    """, "Take called\ntaken 1")


def test_byref_function_of_an_element_after_or_is_skipped_when_or_stops() -> None:
    expect(TAKE + """
        DECLARE Done : BOOLEAN
        DECLARE Arr : ARRAY[1:2] OF INTEGER
        Done <- TRUE
        IF Done OR Take(Arr[2]) > 0 THEN
            OUTPUT "done ", Arr[2]
        ENDIF
    """, "done 0")


def test_byref_function_of_a_field_in_while_until_and_elseif_short_circuits() -> None:
    expect(TAKE + """
        TYPE Counter
            DECLARE Count : INTEGER
        ENDTYPE
        DECLARE C : Counter
        DECLARE Go : BOOLEAN
        C.Count <- 0
        Go <- FALSE
        WHILE Go AND Take(C.Count) < 3
            OUTPUT "loop"
        ENDWHILE
        REPEAT
            Go <- NOT Go
        UNTIL Go OR Take(C.Count) > 5
        IF C.Count = 5 THEN
            OUTPUT "five"
        ELSEIF Go AND Take(C.Count) = 1 THEN
            OUTPUT "elseif ", C.Count
        ENDIF
        OUTPUT C.Count
    """, "Take called\nelseif 1\n1")


def test_byref_function_after_and_fixes_the_element_index_once() -> None:
    expect(TAKE + """
        DECLARE Flag : BOOLEAN
        DECLARE Arr : ARRAY[1:3] OF INTEGER
        FUNCTION Idx() RETURNS INTEGER
            OUTPUT "Idx"
            RETURN 2
        ENDFUNCTION
        Flag <- TRUE
        IF Flag AND Take(Arr[Idx()]) = 1 THEN
            OUTPUT "Arr[2] = ", Arr[2]
        ENDIF
    """, "Idx\nTake called\nArr[2] = 1")


# ---------------------------------------------------------------- ARRAY OF parameters, any lower bound

def test_open_array_parameter_of_an_array_that_starts_at_five() -> None:
    # The plain style's list for [5:7] is indexed A[i - 5]: so is the parameter.
    expect("""
        DECLARE Temps : ARRAY[5:7] OF INTEGER
        PROCEDURE Fill(BYREF V : ARRAY OF INTEGER)
            DECLARE I : INTEGER
            FOR I <- 5 TO 7
                V[I] <- I * 10
            NEXT I
        ENDPROCEDURE
        FUNCTION Last(V : ARRAY OF INTEGER) RETURNS INTEGER
            RETURN V[7]
        ENDFUNCTION
        FUNCTION Sum(V : ARRAY OF INTEGER) RETURNS INTEGER
            RETURN V[5] + V[6] + Last(V)
        ENDFUNCTION
        CALL Fill(Temps)
        OUTPUT Temps[5], " ", Last(Temps), " ", Sum(Temps)
    """, "50 70 180")


def test_open_array_parameters_of_arrays_from_zero_and_one_are_indexed_as_they_are() -> None:
    expect("""
        DECLARE Zero : ARRAY[0:2] OF INTEGER
        DECLARE One : ARRAY[1:3] OF INTEGER
        FUNCTION Second(V : ARRAY OF INTEGER) RETURNS INTEGER
            RETURN V[2]
        ENDFUNCTION
        Zero[2] <- 7
        One[2] <- 8
        OUTPUT Second(Zero), " ", Second(One)
    """, "7 8")


def test_open_array_parameter_given_arrays_of_different_lower_bounds() -> None:
    # Callers differ ([1:3], [5:7], [-1:1]): in the plain style the lower bound goes with
    # the list (def Fill(V, First, *, V_low) ... V[I - V_low]), passed on by Sum to Last.
    program = """
        DECLARE Low : ARRAY[1:3] OF INTEGER
        DECLARE High : ARRAY[5:7] OF INTEGER
        DECLARE Neg : ARRAY[-1:1] OF INTEGER
        PROCEDURE Fill(BYREF V : ARRAY OF INTEGER, BYVAL First : INTEGER)
            DECLARE I : INTEGER
            FOR I <- First TO First + 2
                V[I] <- I * 10
            NEXT I
        ENDPROCEDURE
        FUNCTION Last(V : ARRAY OF INTEGER, At : INTEGER) RETURNS INTEGER
            RETURN V[At]
        ENDFUNCTION
        FUNCTION Sum(V : ARRAY OF INTEGER, First : INTEGER) RETURNS INTEGER
            RETURN V[First] + V[First + 1] + Last(V, First + 2)
        ENDFUNCTION
        CALL Fill(Low, 1)
        CALL Fill(High, 5)
        CALL Fill(Neg, -1)
        OUTPUT Sum(Low, 1), " ", Sum(High, 5), " ", Sum(Neg, -1), " ", High[6], " ", Neg[-1]
    """
    expect(program, "60 180 0 60 -10")
    plain = plain_of(program)
    assert "def Last(V: list[int], At: int, *, V_low: int) -> int:" in plain
    assert "Last(V, First + 2, V_low=V_low)" in plain and "Fill(High, 5, V_low=5)" in plain
