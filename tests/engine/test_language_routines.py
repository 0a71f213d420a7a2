"""Procedures and functions (LANGUAGE.md section 5 and section 10), run end to end."""

from __future__ import annotations

from language_helpers import (
    TAKE,
    codes,
    error_codes,
    expect,
    output,
    plain_of,
    python_of,
    translate_ok,
)

from engine.language.diagnostics import Severity


def test_procedures_with_and_without_parameters() -> None:
    expect("""
        PROCEDURE Hello
            OUTPUT "hello"
        ENDPROCEDURE
        PROCEDURE Empty()
            OUTPUT "empty"
        ENDPROCEDURE
        PROCEDURE Greet(Name : STRING, Times : INTEGER)
            DECLARE I : INTEGER
            FOR I <- 1 TO Times
                OUTPUT "hi ", Name
            NEXT I
        ENDPROCEDURE
        CALL Hello
        CALL Hello()
        CALL Empty()
        CALL Greet("Ann", 2)
    """, "hello\nhello\nempty\nhi Ann\nhi Ann")


def test_functions_in_expressions_nested_and_with_real_results() -> None:
    expect("""
        FUNCTION Square(X : INTEGER) RETURNS INTEGER
            RETURN X * X
        ENDFUNCTION
        FUNCTION Mean(A : REAL, B : REAL) RETURNS REAL
            RETURN (A + B) / 2
        ENDFUNCTION
        FUNCTION Five() RETURNS REAL
            RETURN 5
        ENDFUNCTION
        FUNCTION IsEven(N : INTEGER) RETURNS BOOLEAN
            RETURN N MOD 2 = 0
        ENDFUNCTION
        FUNCTION Greeting RETURNS STRING
            RETURN "hey"
        ENDFUNCTION
        OUTPUT Square(Square(2)) + 1, " ", Mean(1, 2), " ", Mean(2, 2), " ", Five()
        OUTPUT IsEven(4), " ", IsEven(Square(3)), " ", Greeting(), " ", LENGTH(Greeting())
    """, "17 1.5 2.0 5.0\nTRUE FALSE hey 3")


def test_real_parameter_given_an_integer_holds_a_real() -> None:
    expect("""
        DECLARE I : INTEGER
        PROCEDURE Show(R : REAL)
            OUTPUT R
        ENDPROCEDURE
        I <- 4
        CALL Show(2)
        CALL Show(I)
        CALL Show(I * 2 + 1)
    """, "2.0\n4.0\n9.0")


def test_parameters_are_by_value_by_default() -> None:
    expect("""
        DECLARE X : INTEGER
        PROCEDURE Change(N : INTEGER)
            N <- N * 100
            OUTPUT "inside ", N
        ENDPROCEDURE
        X <- 5
        CALL Change(X)
        OUTPUT "outside ", X
    """, "inside 500\noutside 5")


def test_byref_and_byval_markers_carry_over_to_later_parameters() -> None:
    expect("""
        DECLARE P, Q, R, S : INTEGER
        PROCEDURE AllRef(BYREF A : INTEGER, B : INTEGER, C : INTEGER)
            A <- 1
            B <- 2
            C <- 3
        ENDPROCEDURE
        PROCEDURE Mixed(BYVAL A : INTEGER, BYREF B : INTEGER, C : INTEGER, BYVAL D : INTEGER)
            A <- 10
            B <- 20
            C <- 30
            D <- 40
        ENDPROCEDURE
        CALL AllRef(P, Q, R)
        OUTPUT P, Q, R
        P <- 0
        Q <- 0
        R <- 0
        S <- 0
        CALL Mixed(P, Q, R, S)
        OUTPUT P, " ", Q, " ", R, " ", S
    """, "123\n0 20 30 0")


def test_swapping_two_array_elements_through_byref() -> None:
    expect("""
        DECLARE Pair : ARRAY[1:3] OF INTEGER
        DECLARE I : INTEGER
        PROCEDURE Swap(BYREF X : INTEGER, BYREF Y : INTEGER)
            DECLARE T : INTEGER
            T <- X
            X <- Y
            Y <- T
        ENDPROCEDURE
        Pair[1] <- 10
        Pair[2] <- 20
        Pair[3] <- 30
        CALL Swap(Pair[1], Pair[2])
        I <- 2
        CALL Swap(Pair[I], Pair[I + 1])
        OUTPUT Pair[1], ",", Pair[2], ",", Pair[3]
    """, "20,30,10")


def test_byref_fields_and_two_dimensional_elements() -> None:
    expect("""
        TYPE Point
            DECLARE X : INTEGER
            DECLARE Y : INTEGER
        ENDTYPE
        DECLARE P : Point
        DECLARE Ps : ARRAY[1:2] OF Point
        DECLARE G : ARRAY[1:2, 1:2] OF INTEGER
        PROCEDURE Inc(BYREF N : INTEGER)
            N <- N + 1
        ENDPROCEDURE
        P.Y <- 5
        Ps[2].X <- 7
        G[2, 1] <- 9
        CALL Inc(P.Y)
        CALL Inc(Ps[2].X)
        CALL Inc(G[2, 1])
        OUTPUT P.Y, " ", Ps[2].X, " ", G[2, 1]
    """, "6 8 10")


def test_byref_real_parameter_and_function_with_byref() -> None:
    expect("""
        DECLARE R : REAL
        DECLARE N, Got : INTEGER
        PROCEDURE SetIt(BYREF Z : REAL)
            Z <- 3
        ENDPROCEDURE
        FUNCTION TakeOne(BYREF Count : INTEGER) RETURNS INTEGER
            Count <- Count - 1
            RETURN Count * 10
        ENDFUNCTION
        CALL SetIt(R)
        N <- 5
        Got <- TakeOne(N)
        OUTPUT R, " ", N, " ", Got
        OUTPUT TakeOne(N), " ", N
    """, "3.0 4 40\n30 3")


def test_byref_element_is_the_one_named_when_the_call_starts() -> None:
    expect("""
        DECLARE A : ARRAY[1:3] OF INTEGER
        DECLARE I : INTEGER
        PROCEDURE Advance(BYREF K : INTEGER, BYREF V : INTEGER)
            K <- K + 1
            V <- 99
        ENDPROCEDURE
        I <- 1
        CALL Advance(I, A[I])
        OUTPUT I, " ", A[1], " ", A[2]
    """, "2 99 0")


def test_byref_element_of_two_dimensions_is_fixed_when_the_call_starts() -> None:
    expect("""
        DECLARE G : ARRAY[1:3, 1:3] OF INTEGER
        DECLARE I : INTEGER
        PROCEDURE Advance(BYREF K : INTEGER, BYREF V : INTEGER)
            K <- K + 1
            V <- 99
        ENDPROCEDURE
        I <- 1
        CALL Advance(I, G[I, I + 1])
        OUTPUT I, " ", G[1, 2], " ", G[2, 3]
    """, "2 99 0")


def test_byref_field_of_an_element_is_fixed_when_the_call_starts() -> None:
    expect("""
        TYPE Point
            DECLARE X : INTEGER
        ENDTYPE
        DECLARE Ps : ARRAY[1:3] OF Point
        DECLARE I : INTEGER
        PROCEDURE Advance(BYREF K : INTEGER, BYREF V : INTEGER)
            K <- K + 1
            V <- 99
        ENDPROCEDURE
        I <- 1
        CALL Advance(I, Ps[I].X)
        OUTPUT I, " ", Ps[1].X, " ", Ps[2].X
    """, "2 99 0")


def test_byref_element_when_the_procedure_changes_a_global_index() -> None:
    expect("""
        DECLARE A : ARRAY[1:3] OF INTEGER
        DECLARE I : INTEGER
        PROCEDURE Bump(BYREF X : INTEGER)
            X <- X + 10
            I <- 3
        ENDPROCEDURE
        I <- 1
        CALL Bump(A[I])
        OUTPUT A[1], " ", A[3]
    """, "10 0")


def test_byref_array_parameter_changes_the_callers_array() -> None:
    expect("""
        DECLARE Nums : ARRAY[1:3] OF INTEGER
        PROCEDURE Fill(BYREF Arr : ARRAY OF INTEGER)
            DECLARE I : INTEGER
            FOR I <- 1 TO 3
                Arr[I] <- I * 10
            NEXT I
        ENDPROCEDURE
        CALL Fill(Nums)
        OUTPUT Nums[1], " ", Nums[2], " ", Nums[3]
    """, "10 20 30")


def test_byval_array_parameter_is_a_copy() -> None:
    expect("""
        DECLARE Nums : ARRAY[1:3] OF INTEGER
        PROCEDURE Spoil(BYVAL Arr : ARRAY OF INTEGER)
            Arr[1] <- -1
            OUTPUT "inside ", Arr[1]
        ENDPROCEDURE
        PROCEDURE SpoilDefault(Arr : ARRAY OF INTEGER)
            Arr[2] <- -2
        ENDPROCEDURE
        Nums[1] <- 5
        Nums[2] <- 6
        CALL Spoil(Nums)
        CALL SpoilDefault(Nums)
        OUTPUT Nums[1], " ", Nums[2]
    """, "inside -1\n5 6")


def test_record_parameters_byval_copy_and_byref_share() -> None:
    expect("""
        TYPE Point
            DECLARE X : INTEGER
            DECLARE Tags : ARRAY[1:2] OF STRING
        ENDTYPE
        DECLARE P : Point
        PROCEDURE Move(Pt : Point)
            Pt.X <- 99
            Pt.Tags[1] <- "changed"
        ENDPROCEDURE
        PROCEDURE MoveRef(BYREF Pt : Point)
            Pt.X <- 77
        ENDPROCEDURE
        P.X <- 1
        P.Tags[1] <- "orig"
        CALL Move(P)
        OUTPUT P.X, " ", P.Tags[1]
        CALL MoveRef(P)
        OUTPUT P.X
    """, "1 orig\n77")


def test_globals_are_seen_and_changed_by_procedures_and_functions() -> None:
    expect("""
        PROCEDURE Reset
            Total <- 0
            Arr <- Other
            Arr[2] <- 5
            Rec.V <- 3
        ENDPROCEDURE
        FUNCTION AddTo(N : INTEGER) RETURNS INTEGER
            Total <- Total + N
            RETURN Total
        ENDFUNCTION
        TYPE R
            DECLARE V : INTEGER
        ENDTYPE
        DECLARE Total : INTEGER
        DECLARE Arr, Other : ARRAY[1:2] OF INTEGER
        DECLARE Rec : R
        Total <- 10
        Other[1] <- 4
        CALL Reset
        OUTPUT Total, " ", Arr[1], " ", Arr[2], " ", Other[2], " ", Rec.V
        OUTPUT AddTo(5), " ", AddTo(2), " ", Total
    """, "0 4 5 0 3\n5 7 7")


def test_locals_and_parameters_hide_globals_of_the_same_name() -> None:
    expect("""
        DECLARE X, Y : INTEGER
        PROCEDURE P(X : INTEGER)
            X <- X + 100
            Y <- X
        ENDPROCEDURE
        PROCEDURE Q
            DECLARE X : INTEGER
            X <- 7
            Y <- Y + X
        ENDPROCEDURE
        X <- 1
        CALL P(X)
        OUTPUT X, " ", Y
        CALL Q
        OUTPUT X, " ", Y
    """, "1 101\n1 108")


def test_recursion_factorial_fibonacci_and_depth_500() -> None:
    expect("""
        FUNCTION Fact(N : INTEGER) RETURNS INTEGER
            IF N <= 1 THEN
                RETURN 1
            ENDIF
            RETURN N * Fact(N - 1)
        ENDFUNCTION
        FUNCTION Fib(N : INTEGER) RETURNS INTEGER
            IF N < 2 THEN
                RETURN N
            ELSE
                RETURN Fib(N - 1) + Fib(N - 2)
            ENDIF
        ENDFUNCTION
        FUNCTION Depth(N : INTEGER) RETURNS INTEGER
            IF N = 0 THEN
                RETURN 0
            ENDIF
            RETURN 1 + Depth(N - 1)
        ENDFUNCTION
        PROCEDURE CountDown(N : INTEGER)
            IF N > 0 THEN
                CALL CountDown(N - 1)
            ELSE
                OUTPUT "bottom"
            ENDIF
        ENDPROCEDURE
        OUTPUT Fact(20), " ", Fib(15), " ", Depth(500), " ", Depth(1000)
        CALL CountDown(500)
    """, "2432902008176640000 610 500 1000\nbottom")


def test_procedure_called_inside_a_function_inside_output() -> None:
    expect("""
        PROCEDURE Log(Msg : STRING)
            OUTPUT "log: ", Msg
        ENDPROCEDURE
        FUNCTION Twice(N : INTEGER) RETURNS INTEGER
            CALL Log("twice")
            RETURN N * 2
        ENDFUNCTION
        OUTPUT "result ", Twice(Twice(3))
    """, "log: twice\nlog: twice\nresult 12")


# ---------------------------------------------------------------- FUNCTION with BYREF in a condition


def test_byref_function_in_if_condition() -> None:
    expect(TAKE + """
        A <- 0
        IF Take(A) > 0 THEN
            OUTPUT "yes ", A
        ENDIF
    """, "Take called\nyes 1")


def test_byref_function_in_elseif_condition() -> None:
    expect(TAKE + """
        A <- 0
        IF A = 5 THEN
            OUTPUT "five"
        ELSEIF Take(A) = 1 THEN
            OUTPUT "one ", A
        ENDIF
    """, "Take called\none 1")


def test_byref_function_as_case_subject() -> None:
    expect(TAKE + """
        A <- 4
        CASE OF Take(A)
            5 : OUTPUT "five ", A
        ENDCASE
    """, "Take called\nfive 5")


def test_byref_function_in_for_bound() -> None:
    expect(TAKE + """
        DECLARE I : INTEGER
        A <- 1
        FOR I <- 1 TO Take(A)
            OUTPUT I
        NEXT I
    """, "Take called\n1\n2")


def test_byref_function_in_while_and_until_conditions_and_assignment() -> None:
    expect(TAKE + """
        A <- 0
        WHILE Take(A) < 2
            OUTPUT "loop ", A
        ENDWHILE
        REPEAT
        UNTIL Take(A) >= 3
        A <- Take(A) * 10
        OUTPUT A
    """, "Take called\nloop 1\nTake called\nTake called\nTake called\n40")


def test_byref_function_after_and_is_not_called_when_and_stops_early() -> None:
    expect(TAKE + """
        DECLARE B : INTEGER
        A <- 0
        B <- 0
        WHILE B > 0 AND Take(A) < 3
            B <- B - 1
        ENDWHILE
        OUTPUT "A=", A
    """, "A=0")


def test_byref_function_inside_output_keeps_left_to_right_order() -> None:
    expect(TAKE + """
        FUNCTION Loud(V : INTEGER) RETURNS INTEGER
            OUTPUT "Loud ", V
            RETURN V
        ENDFUNCTION
        A <- 0
        OUTPUT Loud(1) + Take(A)
    """, "Loud 1\nTake called\n2")


# ---------------------------------------------------------------- errors and warnings


def test_wrong_number_of_arguments_is_an_error() -> None:
    assert "E502" in error_codes("""
        PROCEDURE P(X : INTEGER)
            OUTPUT X
        ENDPROCEDURE
        CALL P(1, 2)
    """)
    assert "E502" in error_codes("""
        FUNCTION F(X : INTEGER) RETURNS INTEGER
            RETURN X
        ENDFUNCTION
        OUTPUT F()
    """)


def test_call_of_a_function_and_procedure_in_an_expression_are_errors() -> None:
    assert "E503" in error_codes("""
        FUNCTION F RETURNS INTEGER
            RETURN 1
        ENDFUNCTION
        CALL F()
    """)
    assert "E504" in error_codes("""
        PROCEDURE P
            OUTPUT 1
        ENDPROCEDURE
        OUTPUT P()
    """)


def test_byref_argument_must_be_a_variable_element_or_field() -> None:
    assert "E505" in error_codes("""
        PROCEDURE P(BYREF X : INTEGER)
            X <- 1
        ENDPROCEDURE
        CALL P(5)
    """)
    assert "E505" in error_codes("""
        DECLARE N : INTEGER
        PROCEDURE P(BYREF X : INTEGER)
            X <- 1
        ENDPROCEDURE
        CALL P(N + 1)
    """)


def test_unknown_routine_is_an_error() -> None:
    assert "E501" in error_codes("CALL Missing()")


def test_function_that_can_end_without_return_is_a_warning() -> None:
    text = """
        FUNCTION F(X : INTEGER) RETURNS INTEGER
            IF X > 0 THEN
                RETURN 1
            ENDIF
        ENDFUNCTION
        OUTPUT F(1)
    """
    result = translate_ok(text)
    assert "W401" in codes(result, Severity.WARNING)
    assert output(text) == "1\n"


def test_argument_of_the_wrong_type_is_an_error() -> None:
    assert error_codes("""
        PROCEDURE P(X : INTEGER)
            OUTPUT X
        ENDPROCEDURE
        CALL P("text")
    """)


def test_recursive_quicksort_through_a_byref_array_with_byval_bounds() -> None:
    expect("""
        DECLARE Data : ARRAY[1:8] OF INTEGER
        DECLARE I, Calls : INTEGER
        PROCEDURE Sort(BYREF A : ARRAY OF INTEGER, BYVAL Low : INTEGER, High : INTEGER, BYREF N : INTEGER)
            DECLARE P, L, R, T : INTEGER
            N <- N + 1
            IF Low < High THEN
                P <- A[(Low + High) DIV 2]
                L <- Low
                R <- High
                WHILE L <= R
                    WHILE A[L] < P
                        L <- L + 1
                    ENDWHILE
                    WHILE A[R] > P
                        R <- R - 1
                    ENDWHILE
                    IF L <= R THEN
                        T <- A[L]
                        A[L] <- A[R]
                        A[R] <- T
                        L <- L + 1
                        R <- R - 1
                    ENDIF
                ENDWHILE
                CALL Sort(A, Low, R, N)
                CALL Sort(A, L, High, N)
            ENDIF
        ENDPROCEDURE
        PROCEDURE ReadInto(BYREF X : INTEGER)
            INPUT X
        ENDPROCEDURE
        FOR I <- 1 TO 8
            CALL ReadInto(Data[I])
        NEXT I
        Calls <- 0
        CALL Sort(Data, 1, 8, Calls)
        FOR I <- 1 TO 8
            OUTPUT Data[I]
        NEXT I
        OUTPUT Calls > 1
    """, "1\n2\n3\n5\n6\n7\n8\n9\nTRUE", stdin="5\n3\n9\n1\n7\n2\n8\n6\n")


def test_byref_marker_carries_to_later_parameters_so_literals_are_refused() -> None:
    assert "E505" in error_codes("""
        PROCEDURE Show(BYREF A : INTEGER, B : INTEGER)
            OUTPUT A, B
        ENDPROCEDURE
        DECLARE X : INTEGER
        CALL Show(X, 5)
    """)


# ---------------------------------------------------------------- BYREF element whose index calls
# The element is read before the call and written back after it: its index is evaluated
# once, so a call in the index runs once (LANGUAGE.md section 5, docs/development.md "BYREF").
NEXT_INDEX = """
    DECLARE Count : INTEGER
    FUNCTION Idx() RETURNS INTEGER
        OUTPUT "Idx"
        Count <- Count + 1
        RETURN Count
    ENDFUNCTION
    Count <- 0
"""


def test_byref_element_whose_index_calls_a_function_calls_it_once() -> None:
    expect(NEXT_INDEX + """
        DECLARE A : ARRAY[1:3] OF INTEGER
        PROCEDURE Inc(BYREF X : INTEGER)
            X <- X + 10
        ENDPROCEDURE
        A[1] <- 1
        A[2] <- 2
        A[3] <- 3
        CALL Inc(A[Idx()])
        OUTPUT A[1], " ", A[2], " ", A[3], " ", Count
    """, """
        Idx
        11 2 3 1
    """)


def test_byref_function_in_an_expression_with_an_index_that_calls() -> None:
    expect(NEXT_INDEX + """
        DECLARE A : ARRAY[1:3] OF INTEGER
        DECLARE Total : INTEGER
        FUNCTION AddTen(BYREF X : INTEGER) RETURNS INTEGER
            X <- X + 10
            RETURN X * 2
        ENDFUNCTION
        A[1] <- 5
        Total <- 1 + AddTen(A[Idx()])
        OUTPUT Total, " ", A[1], " ", A[2], " ", Count
        OUTPUT AddTen(A[Idx()]), " ", A[1], " ", A[2], " ", Count
    """, """
        Idx
        31 15 0 1
        Idx
        20 15 10 2
    """)


def test_byref_field_of_an_element_whose_index_calls_a_function() -> None:
    expect(NEXT_INDEX + """
        TYPE Point
            DECLARE F : INTEGER
        ENDTYPE
        DECLARE R : ARRAY[1:3] OF Point
        PROCEDURE SetTo(BYREF V : INTEGER, BYVAL N : INTEGER)
            V <- N
        ENDPROCEDURE
        CALL SetTo(R[Idx()].F, 7)
        CALL SetTo(R[Idx()].F, 8)
        OUTPUT R[1].F, " ", R[2].F, " ", R[3].F, " ", Count
    """, """
        Idx
        Idx
        7 8 0 2
    """)


def test_byref_element_whose_index_calls_a_method_or_random() -> None:
    expect(NEXT_INDEX + """
        CLASS Counter
            PRIVATE N : INTEGER
            PUBLIC PROCEDURE NEW()
                N <- 1
            ENDPROCEDURE
            PUBLIC FUNCTION Following() RETURNS INTEGER
                OUTPUT "Following"
                N <- N + 1
                RETURN N
            ENDFUNCTION
        ENDCLASS
        DECLARE C : Counter
        DECLARE G : ARRAY[1:3, 1:3] OF INTEGER
        PROCEDURE Inc(BYREF X : INTEGER)
            X <- X + 1
        ENDPROCEDURE
        C <- NEW Counter()
        CALL Inc(G[Idx(), C.Following()])
        OUTPUT G[1, 2], " ", G[2, 3], " ", Count
    """, """
        Idx
        Following
        1 0 1
    """)
    # A built-in with effects: RANDOM() is drawn once per call, so the element read is
    # the element written (the index of the call site is in one temporary).
    drawn = """
        DECLARE A : ARRAY[1:3] OF INTEGER
        PROCEDURE Inc(BYREF X : INTEGER)
            X <- X + 1
        ENDPROCEDURE
        CALL Inc(A[INT(RANDOM() * 3) + 1])
        OUTPUT A[1] + A[2] + A[3]
    """
    expect(drawn, "1")
    for code in (python_of(drawn), plain_of(drawn)):
        assert code.count("random()") == 1, code
