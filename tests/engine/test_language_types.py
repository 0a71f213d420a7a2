"""Arrays, records, enumerations and pointers (LANGUAGE.md sections 2, 6 and 10)."""

from __future__ import annotations

from language_helpers import error_codes, error_lines, expect

# ---------------------------------------------------------------- arrays


def test_one_dimensional_arrays_with_arbitrary_bounds() -> None:
    expect("""
        DECLARE A : ARRAY[0:4] OF INTEGER
        DECLARE B : ARRAY[-3:3] OF STRING
        DECLARE C : ARRAY[5:9] OF REAL
        DECLARE I : INTEGER
        FOR I <- 0 TO 4
            A[I] <- I * I
        NEXT I
        FOR I <- -3 TO 3
            B[I] <- NUM_TO_STR(I)
        NEXT I
        C[9] <- 1
        C[5] <- 2.5
        OUTPUT A[0], " ", A[4], " ", B[-3], " ", B[0], " ", B[3], " ", C[5], " ", C[9], " ", C[7]
    """, "0 16 -3 0 3 2.5 1.0 0.0")


def test_array_bounds_from_constants_and_constant_expressions() -> None:
    expect("""
        CONSTANT N = 5
        CONSTANT Low <- -2
        DECLARE A : ARRAY[0:N-1] OF INTEGER
        DECLARE B : ARRAY[Low:N*2] OF INTEGER
        DECLARE I, Count : INTEGER
        Count <- 0
        FOR I <- 0 TO N - 1
            A[I] <- 1
            Count <- Count + A[I]
        NEXT I
        FOR I <- Low TO N * 2
            B[I] <- I
            Count <- Count + 1
        NEXT I
        OUTPUT Count, " ", B[-2], " ", B[10]
    """, "18 -2 10")


def test_two_dimensional_arrays_with_arbitrary_bounds() -> None:
    expect("""
        DECLARE Board : ARRAY[1:3, 1:3] OF CHAR
        DECLARE G : ARRAY[-1:1, 2:3] OF INTEGER
        DECLARE R, C : INTEGER
        FOR R <- 1 TO 3
            FOR C <- 1 TO 3
                Board[R, C] <- '.'
            NEXT C
        NEXT R
        Board[2, 3] <- 'X'
        FOR R <- 1 TO 3
            OUTPUT Board[R, 1], Board[R, 2], Board[R, 3]
        NEXT R
        FOR R <- -1 TO 1
            FOR C <- 2 TO 3
                G[R, C] <- R * 10 + C
            NEXT C
        NEXT R
        OUTPUT G[-1, 2], " ", G[0, 3], " ", G[1, 3]
    """, "...\n..X\n...\n-8 3 13")


def test_default_values_of_array_elements() -> None:
    expect("""
        TYPE Season = (Spring, Summer)
        DECLARE Is : ARRAY[1:2] OF INTEGER
        DECLARE Rs : ARRAY[1:2] OF REAL
        DECLARE Ss : ARRAY[1:2] OF STRING
        DECLARE Cs : ARRAY[1:2] OF CHAR
        DECLARE Bs : ARRAY[1:2] OF BOOLEAN
        DECLARE Ds : ARRAY[1:2] OF DATE
        DECLARE Es : ARRAY[1:2] OF Season
        DECLARE Gs : ARRAY[1:2, 1:2] OF INTEGER
        OUTPUT Is[1], " ", Rs[2], " [", Ss[1], "] [", Cs[2], "] ", Bs[1], " ", Ds[2], " ", Es[1]
        OUTPUT Gs[2, 2]
    """, "0 0.0 [] [] FALSE 01/01/1970 Spring\n0")


def test_real_array_element_given_an_integer_holds_a_real() -> None:
    expect("""
        DECLARE A : ARRAY[1:2] OF REAL
        DECLARE I : INTEGER
        I <- 4
        A[1] <- 5
        A[2] <- I
        OUTPUT A[1], " ", A[2], " ", A[1] + A[2]
    """, "5.0 4.0 9.0")


def test_whole_array_assignment_copies() -> None:
    expect("""
        DECLARE A, B : ARRAY[1:3] OF INTEGER
        DECLARE G, H : ARRAY[1:2, 1:2] OF INTEGER
        A[2] <- 5
        B <- A
        B[2] <- 0
        A[3] <- 7
        OUTPUT A[2], " ", B[2], " ", B[3]
        G[1, 2] <- 5
        H <- G
        H[1, 2] <- 6
        OUTPUT G[1, 2], " ", H[1, 2]
    """, "5 0 0\n5 6")


def test_copying_an_array_of_another_size_or_type_is_an_error() -> None:
    assert "E301" in error_codes("""
        DECLARE A : ARRAY[1:3] OF INTEGER
        DECLARE B : ARRAY[1:5] OF INTEGER
        B <- A
    """)
    assert "E301" in error_codes("""
        DECLARE A : ARRAY[1:3] OF INTEGER
        DECLARE B : ARRAY[1:3] OF REAL
        B <- A
    """)


def test_copying_an_array_with_other_bounds_keeps_the_declared_bounds() -> None:
    text = """
        DECLARE A : ARRAY[1:3] OF INTEGER
        DECLARE B : ARRAY[0:2] OF INTEGER
        A[1] <- 7
        B <- A
        OUTPUT B[0]
    """
    if error_codes(text):
        return  # reporting it before the program runs is a correct answer too
    expect(text, "7")


def test_array_of_records_copy_is_deep() -> None:
    expect("""
        TYPE Item
            DECLARE Name : STRING
        ENDTYPE
        DECLARE A, B : ARRAY[1:2] OF Item
        A[1].Name <- "pen"
        B <- A
        B[1].Name <- "ink"
        OUTPUT A[1].Name, " ", B[1].Name
    """, "pen ink")


def test_constant_index_out_of_bounds_and_non_integer_index_are_errors() -> None:
    assert "E307" in error_codes("""
        DECLARE A : ARRAY[1:3] OF INTEGER
        OUTPUT A[4]
    """)
    assert "E311" in error_codes("""
        DECLARE A : ARRAY[1:3] OF INTEGER
        OUTPUT A[1.5]
    """)


def test_non_constant_bound_is_an_error() -> None:
    assert "E207" in error_codes("""
        DECLARE N : INTEGER
        DECLARE A : ARRAY[1:N] OF INTEGER
    """)


# ---------------------------------------------------------------- records


def test_records_fields_and_copy_on_assignment() -> None:
    expect("""
        TYPE Student
            DECLARE Name : STRING
            DECLARE Marks : ARRAY[1:3] OF INTEGER
            DECLARE Average : REAL
        ENDTYPE
        DECLARE S, T : Student
        S.Name <- "Ann"
        S.Marks[1] <- 50
        S.Average <- 7
        T <- S
        T.Name <- "Bob"
        T.Marks[1] <- 60
        OUTPUT S.Name, " ", S.Marks[1], " ", S.Average, " ", T.Name, " ", T.Marks[1]
    """, "Ann 50 7.0 Bob 60")


def test_arrays_of_records() -> None:
    expect("""
        TYPE Student
            DECLARE Name : STRING
            DECLARE Mark : INTEGER
        ENDTYPE
        DECLARE Group : ARRAY[1:3] OF Student
        DECLARE S : Student
        DECLARE I, Best : INTEGER
        Group[1].Name <- "Ann"
        Group[1].Mark <- 50
        Group[2].Name <- "Bob"
        Group[2].Mark <- 70
        S.Name <- "Cy"
        S.Mark <- 60
        Group[3] <- S
        S.Mark <- 0
        Best <- 1
        FOR I <- 2 TO 3
            IF Group[I].Mark > Group[Best].Mark THEN
                Best <- I
            ENDIF
        NEXT I
        OUTPUT Group[Best].Name, " ", Group[3].Mark
    """, "Bob 60")


def test_nested_records_copy_and_record_returned_by_function() -> None:
    expect("""
        TYPE Inner
            DECLARE Value : INTEGER
        ENDTYPE
        TYPE Outer
            DECLARE Part : Inner
            DECLARE Label : STRING
        ENDTYPE
        DECLARE O, P : Outer
        DECLARE I : Inner
        FUNCTION Make(N : INTEGER) RETURNS Inner
            DECLARE R : Inner
            R.Value <- N
            RETURN R
        ENDFUNCTION
        O.Part.Value <- 1
        P <- O
        P.Part.Value <- 2
        I <- O.Part
        I.Value <- 3
        OUTPUT O.Part.Value, P.Part.Value, I.Value
        I <- Make(9)
        OUTPUT I.Value, " ", Make(4).Value
    """, "123\n9 4")


def test_unknown_field_is_an_error() -> None:
    assert "E308" in error_codes("""
        TYPE P
            DECLARE X : INTEGER
        ENDTYPE
        DECLARE Q : P
        OUTPUT Q.Y
    """)


# ---------------------------------------------------------------- enumerations


def test_enumerations_compare_in_declared_order_and_print_by_name() -> None:
    expect("""
        TYPE Season = (Spring, Summer, Autumn, Winter)
        DECLARE Current, Other : Season
        Current <- Autumn
        OUTPUT Current, " ", Other, " ", Winter
        OUTPUT Current > Summer, " ", Current = Autumn, " ", Spring < Winter, " ", Winter <= Spring
        OUTPUT Current <> Winter, " ", Current >= Autumn, " ", Other < Current
    """, """
        Autumn Spring Winter
        TRUE TRUE TRUE FALSE
        TRUE TRUE TRUE
    """)


def test_enumeration_in_case_function_and_array() -> None:
    expect("""
        TYPE Season = (Spring, Summer, Autumn, Winter)
        DECLARE Cycle : ARRAY[1:4] OF Season
        DECLARE I : INTEGER
        FUNCTION Warm(S : Season) RETURNS BOOLEAN
            CASE OF S
                Summer TO Autumn : RETURN TRUE
                OTHERWISE : RETURN FALSE
            ENDCASE
        ENDFUNCTION
        Cycle[1] <- Spring
        Cycle[2] <- Summer
        Cycle[3] <- Autumn
        Cycle[4] <- Winter
        FOR I <- 1 TO 4
            OUTPUT Cycle[I], " ", Warm(Cycle[I])
        NEXT I
    """, "Spring FALSE\nSummer TRUE\nAutumn TRUE\nWinter FALSE")


def test_enumeration_values_named_like_python_attributes_print_their_own_names() -> None:
    expect("""
        TYPE Field = (name, value, Other)
        DECLARE F : Field
        F <- value
        OUTPUT F, " ", name, " ", Other
    """, "value name Other")


# ---------------------------------------------------------------- pointers


def test_pointer_to_a_variable_reads_writes_and_sees_later_changes() -> None:
    expect("""
        TYPE IntPointer = ^INTEGER
        DECLARE Score, Snapshot : INTEGER
        DECLARE Ptr, Other : IntPointer
        Score <- 10
        Ptr <- @Score
        Ptr^ <- Ptr^ + 5
        Snapshot <- Ptr^
        OUTPUT Score, " ", Snapshot
        Score <- 99
        OUTPUT Ptr^
        Other <- Ptr
        Other^ <- 1
        OUTPUT Score, " ", Ptr^, " ", Other = Ptr
    """, "15 15\n99\n1 1 TRUE")


def test_pointer_to_array_element_and_record_field() -> None:
    expect("""
        TYPE IntPointer = ^INTEGER
        TYPE Box
            DECLARE V : INTEGER
        ENDTYPE
        DECLARE Arr : ARRAY[1:3] OF INTEGER
        DECLARE B : Box
        DECLARE P, Q : IntPointer
        DECLARE I : INTEGER
        I <- 2
        P <- @Arr[I]
        I <- 3
        P^ <- 8
        OUTPUT Arr[2], Arr[3]
        Arr[2] <- 11
        OUTPUT P^
        Q <- @B.V
        Q^ <- 7
        OUTPUT B.V
        B.V <- 70
        OUTPUT Q^
    """, "80\n11\n7\n70")


def test_pointer_to_a_record_with_field_access_through_it() -> None:
    expect("""
        TYPE Node
            DECLARE Value : INTEGER
            DECLARE Label : STRING
        ENDTYPE
        TYPE NodePointer = ^Node
        DECLARE N : Node
        DECLARE P : NodePointer
        P <- @N
        P^.Value <- 42
        P^.Label <- "hi"
        OUTPUT N.Value, N.Label
        N.Value <- 5
        OUTPUT P^.Value
    """, "42hi\n5")


def test_pointer_to_a_real_keeps_reals() -> None:
    expect("""
        TYPE RealPointer = ^REAL
        DECLARE X : REAL
        DECLARE P : RealPointer
        P <- @X
        P^ <- 9
        OUTPUT X
    """, "9.0")


def test_dereferencing_a_non_pointer_and_pointer_to_local_are_errors() -> None:
    assert "E310" in error_codes("""
        DECLARE X : INTEGER
        X <- 1
        OUTPUT X^
    """)
    assert "E209" in error_codes("""
        TYPE IntPtr = ^INTEGER
        PROCEDURE P
            DECLARE X : INTEGER
            DECLARE Q : IntPtr
            X <- 1
            Q <- @X
        ENDPROCEDURE
    """)


# ---------------------------------------------------------------- not supported, type errors


def test_sets_are_reported_as_not_supported_with_the_line() -> None:
    text = """
        OUTPUT "start"
        TYPE Letters = SET OF CHAR
    """
    assert "E150" in error_codes(text)
    assert error_lines(text) == [2]
    assert "E150" in error_codes("""
        TYPE Letters = SET OF CHAR
        DEFINE Vowels ('a', 'e') : Letters
    """)


def test_unknown_type_and_wrong_value_types_are_errors() -> None:
    assert "E204" in error_codes("DECLARE X : Number")
    assert "E301" in error_codes("""
        DECLARE X : INTEGER
        X <- "ten"
    """)
    assert "E301" in error_codes("""
        DECLARE B : BOOLEAN
        B <- 1
    """)
    assert "E312" in error_codes("""
        DECLARE A : ARRAY[1:3] OF INTEGER
        INPUT A
    """)
