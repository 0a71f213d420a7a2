"""Expressions (LANGUAGE.md section 3 and the details of section 10), run end to end."""

from __future__ import annotations

from language_helpers import codes, error_codes, expect, output, python_of, translate


def test_arithmetic_basics_and_unary_minus() -> None:
    expect("""
        DECLARE X : INTEGER
        X <- 9
        OUTPUT 1 + 2, " ", 10 - 4, " ", 6 * 7, " ", -X, " ", -(3 - 5), " ", 0 - -3
    """, "3 6 42 -9 2 3")


def test_slash_always_gives_a_real() -> None:
    expect("""
        DECLARE A, B : INTEGER
        DECLARE R : REAL
        A <- 6
        B <- 2
        R <- A / B
        OUTPUT 7 / 2, " ", 6 / 2, " ", A / B, " ", R, " ", 1 / 4, " ", -9 / 3
    """, "3.5 3.0 3.0 3.0 0.25 -3.0")


def test_slash_result_cannot_go_into_an_integer() -> None:
    assert "E301" in error_codes("""
        DECLARE N : INTEGER
        N <- 6 / 2
    """)


# a, b, a DIV b, a MOD b with Python's floor meaning (LANGUAGE.md section 3)
DIV_MOD_CASES = [(17, 5, 3, 2), (-17, 5, -4, 3), (17, -5, -4, -3), (-17, -5, 3, -2),
                 (-7, 2, -4, 1), (7, -2, -4, -1), (0, 3, 0, 0), (-1, 10, -1, 9)]


def test_div_and_mod_operators_floor_for_negative_operands() -> None:
    lines = ["DECLARE A, B : INTEGER"]
    want = []
    for a, b, quotient, remainder in DIV_MOD_CASES:
        lines += [f"A <- {a}", f"B <- {b}", 'OUTPUT A DIV B, " ", A MOD B']
        want.append(f"{quotient} {remainder}")
    expect("\n".join(lines), "\n".join(want))


def test_div_and_mod_functions_floor_for_negative_operands() -> None:
    lines = ["DECLARE A, B : INTEGER"]
    want = []
    for a, b, quotient, remainder in DIV_MOD_CASES:
        lines += [f"A <- {a}", f"B <- {b}", 'OUTPUT DIV(A, B), " ", MOD(A, B)']
        want.append(f"{quotient} {remainder}")
    lines.append('OUTPUT DIV(17, 5), " ", MOD(17, 5), " ", DIV(-17, 5), " ", MOD(-17, 5)')
    want.append("3 2 -4 3")
    expect("\n".join(lines), "\n".join(want))


def test_div_and_mod_literal_negative_operands() -> None:
    expect("""
        OUTPUT -7 DIV 2, " ", -7 MOD 2, " ", 7 MOD -2, " ", -7 MOD -2, " ", 7 DIV -2
    """, "-4 1 -1 -1 -4")


def test_div_and_mod_of_reals_follow_python_floor_division() -> None:
    expect("""
        OUTPUT 7.5 DIV 2, " ", 7.5 MOD 2, " ", -7.5 DIV 2, " ", -7.5 MOD 2
    """, "3.0 1.5 -4.0 0.5")


def test_power_integer_and_real_results() -> None:
    expect("""
        DECLARE N : INTEGER
        N <- 3
        OUTPUT 2 ^ 10, " ", 2 ^ N, " ", 2 ^ 0, " ", 0 ^ 0, " ", 5 ^ 1
        OUTPUT 2 ^ -1, " ", 2 ^ -2, " ", 2.0 ^ 2, " ", 4 ^ 0.5, " ", 2.5 ^ 2
        OUTPUT 2 ^ 100
    """, """
        1024 8 1 1 5
        0.5 0.25 4.0 2.0 6.25
        1267650600228229401496703205376
    """)


def test_power_is_right_associative() -> None:
    expect("""
        OUTPUT 2 ^ 3 ^ 2, " ", (2 ^ 3) ^ 2, " ", 2 ^ (3 ^ 2)
    """, "512 64 512")


def test_power_binds_tighter_than_unary_minus_and_multiplication() -> None:
    expect("""
        DECLARE X : INTEGER
        X <- 7
        OUTPUT -X ^ 2, " ", (-X) ^ 2, " ", 2 * 3 ^ 2, " ", 2 + 3 * 4 ^ 2, " ", 2 ^ 2 * 3
    """, "-49 49 18 50 12")


def test_power_into_real_variable_is_real() -> None:
    expect("""
        DECLARE R : REAL
        R <- 2 ^ 3
        OUTPUT R
    """, "8.0")


def test_caret_after_pointer_is_dereference_and_after_integer_is_power() -> None:
    expect("""
        TYPE IntPointer = ^INTEGER
        DECLARE P : IntPointer
        DECLARE X, Y : INTEGER
        X <- 3
        P <- @X
        Y <- P^ * 2
        OUTPUT Y, " ", X ^ 2, " ", P^ + X ^ 2
    """, "6 9 12")


def test_power_of_a_dereferenced_pointer() -> None:
    expect("""
        TYPE IntPointer = ^INTEGER
        DECLARE P : IntPointer
        DECLARE X : INTEGER
        X <- 3
        P <- @X
        OUTPUT P^ ^ 2
        OUTPUT (P^) ^ 3
    """, "9\n27")


def test_precedence_multiplicative_level_is_left_to_right() -> None:
    expect("""
        OUTPUT 7 * 3 MOD 4, " ", 20 DIV 3 * 3, " ", 12 / 2 * 3, " ", 100 / 10 / 5
        OUTPUT 17 MOD 5 * 2, " ", 2 * 9 DIV 4
    """, "1 18 18.0 2.0\n4 4")


def test_precedence_unary_minus_binds_tighter_than_div_and_mod() -> None:
    expect("""
        DECLARE X : INTEGER
        X <- 7
        OUTPUT -X DIV 2, " ", -X MOD 3, " ", -(X DIV 2), " ", -(X MOD 3)
    """, "-4 2 -3 -1")


def test_precedence_multiplication_before_addition_and_left_to_right_subtraction() -> None:
    expect("""
        OUTPUT 1 + 2 * 3, " ", (1 + 2) * 3, " ", 10 - 4 - 3, " ", 10 - (4 - 3), " ", 8 - 6 / 2
    """, "7 9 3 9 5.0")


def test_precedence_concatenation_binds_tighter_than_comparison() -> None:
    expect("""
        DECLARE S : STRING
        S <- "ab"
        OUTPUT S = "a" & "b", " ", "a" & "b" = S, " ", S <> "a" & "c"
    """, "TRUE TRUE TRUE")


def test_precedence_arithmetic_binds_tighter_than_comparison() -> None:
    expect("""
        OUTPUT 1 + 1 = 2, " ", 2 * 3 > 5, " ", 10 DIV 3 = 3, " ", 2 ^ 3 <= 7
    """, "TRUE TRUE TRUE FALSE")


def test_precedence_comparisons_are_one_level_and_need_brackets_to_combine() -> None:
    expect("""
        OUTPUT (1 < 2) = (3 < 4), " ", (1 > 2) = (3 > 4), " ", (1 < 2) <> (3 > 4)
    """, "TRUE TRUE TRUE")
    assert "E303" in error_codes("OUTPUT 1 < 2 = 3 < 4")


def test_precedence_not_binds_tighter_than_and_and_and_tighter_than_or() -> None:
    expect("""
        DECLARE B, C : BOOLEAN
        B <- FALSE
        C <- FALSE
        OUTPUT NOT FALSE AND FALSE, " ", NOT (FALSE AND FALSE)
        OUTPUT TRUE OR TRUE AND FALSE, " ", (TRUE OR TRUE) AND FALSE
        OUTPUT FALSE AND FALSE OR TRUE, " ", FALSE AND (FALSE OR TRUE)
        OUTPUT NOT B = C, " ", 1 < 2 AND 3 < 4, " ", 1 > 2 OR 3 < 4
    """, """
        FALSE TRUE
        TRUE FALSE
        TRUE FALSE
        FALSE TRUE TRUE
    """)


def test_and_short_circuits() -> None:
    expect("""
        DECLARE X : INTEGER
        FUNCTION Noisy() RETURNS BOOLEAN
            OUTPUT "Noisy ran"
            RETURN TRUE
        ENDFUNCTION
        X <- 0
        IF X <> 0 AND 10 DIV X > 1 THEN
            OUTPUT "big"
        ELSE
            OUTPUT "safe"
        ENDIF
        IF FALSE AND Noisy() THEN
            OUTPUT "never"
        ENDIF
        IF TRUE AND Noisy() THEN
            OUTPUT "both"
        ENDIF
    """, "safe\nNoisy ran\nboth")


def test_or_short_circuits() -> None:
    expect("""
        DECLARE X : INTEGER
        FUNCTION Noisy() RETURNS BOOLEAN
            OUTPUT "Noisy ran"
            RETURN FALSE
        ENDFUNCTION
        X <- 0
        IF X = 0 OR 10 DIV X > 1 THEN
            OUTPUT "safe"
        ENDIF
        OUTPUT TRUE OR Noisy()
        OUTPUT FALSE OR Noisy()
    """, "safe\nTRUE\nNoisy ran\nFALSE")


def test_boolean_values_print_as_words() -> None:
    expect("""
        DECLARE B : BOOLEAN
        B <- 3 > 2
        OUTPUT TRUE, " ", FALSE, " ", B, " ", NOT B, " ", B = TRUE, " ", B = FALSE
    """, "TRUE FALSE TRUE FALSE TRUE FALSE")


def test_concatenation_of_strings_and_chars() -> None:
    expect("""
        DECLARE C : CHAR
        DECLARE S : STRING
        C <- 'x'
        S <- "ab"
        OUTPUT S & C, " ", C & S, " ", 'p' & 'q', " ", C & 'y' & "z", "[", "" & "", "]"
        S <- C
        OUTPUT S, LENGTH(S)
        S <- S & C
        OUTPUT S
    """, "abx xab pq xyz[]\nx1\nxx")


def test_concatenating_a_number_is_a_warning_and_an_error_in_strict_mode() -> None:
    # Issue 9 changed this rule (LANGUAGE.md section 3): W301, joined as OUTPUT prints it.
    assert error_codes('OUTPUT "Total: " & 3') == []
    assert "W301" in codes(translate('OUTPUT "Total: " & 3'))
    assert "W301" in error_codes('OUTPUT "Total: " & 3', strict=True)
    expect("""
        DECLARE R : REAL
        DECLARE B : BOOLEAN
        DECLARE D : DATE
        R <- 1.5
        B <- R > 1
        D <- SETDATE(2, 1, 2005)
        OUTPUT R & "x" & 2 & B & " " & D & " " & (R * 2) & " " & (7 / 2)
    """, "1.5x2TRUE 02/01/2005 3.0 3.5")


def test_concatenating_an_array_or_a_record_is_a_type_error() -> None:
    assert "E302" in error_codes("""
        DECLARE A : ARRAY[1:3] OF INTEGER
        OUTPUT "A: " & A
    """)


def test_string_comparison_is_by_character_codes() -> None:
    expect("""
        OUTPUT "apple" < "banana", " ", "Apple" < "apple", " ", "abc" = "abc", " ", "abc" <> "ABC"
        OUTPUT "ab" < "abc", " ", "" < "a", " ", "Z" < "a", " ", "b" > "abc", " ", "10" < "9"
        OUTPUT 'a' < 'b', " ", 'a' = "a", " ", "a" <= 'a', " ", 'B' >= 'a'
    """, """
        TRUE TRUE TRUE TRUE
        TRUE TRUE TRUE TRUE TRUE
        TRUE TRUE TRUE FALSE
    """)


def test_integer_and_real_compare_with_each_other() -> None:
    expect("""
        OUTPUT 5 = 5.0, " ", 2 < 2.5, " ", 3.0 <> 3, " ", 7 / 2 = 3.5
    """, "TRUE TRUE FALSE TRUE")


def test_comparing_different_base_types_is_an_error() -> None:
    assert "E303" in error_codes('OUTPUT 1 = "1"')
    assert "E303" in error_codes("OUTPUT TRUE = 1")
    assert "E303" in error_codes("""
        DECLARE D : DATE
        D <- SETDATE(1, 1, 2000)
        OUTPUT D = "01/01/2000"
    """)


def test_real_values_print_like_python_str_float() -> None:
    expect("""
        DECLARE R : REAL
        R <- 0.1
        OUTPUT 0.1 + 0.2, " ", 1.0 / 3, " ", 2.5 * 2, " ", -0.5, " ", 3.14, " ", R * 3
        OUTPUT 100000000000000000000.0, " ", 0.0001, " ", 1.0, " ", 10 / 4
    """, """
        0.30000000000000004 0.3333333333333333 5.0 -0.5 3.14 0.30000000000000004
        1e+20 0.0001 1.0 2.5
    """)


def test_real_variable_given_an_integer_holds_a_real() -> None:
    expect("""
        DECLARE X : REAL
        DECLARE I : INTEGER
        X <- 5
        OUTPUT X
        I <- 3
        X <- I
        OUTPUT X
        X <- I + 1
        OUTPUT X
        X <- I DIV 2
        OUTPUT X
        X <- LENGTH("abcd")
        OUTPUT X
        X <- INT(7.9)
        OUTPUT X
    """, "5.0\n3.0\n4.0\n1.0\n4.0\n7.0")


def test_integer_variable_given_a_real_is_a_type_error() -> None:
    assert "E301" in error_codes("""
        DECLARE N : INTEGER
        N <- 2.5
    """)
    assert "E301" in error_codes("""
        DECLARE N : INTEGER
        DECLARE R : REAL
        R <- 1.0
        N <- R
    """)


def test_condition_must_be_boolean() -> None:
    assert "E304" in error_codes("""
        DECLARE X : INTEGER
        X <- 1
        IF X THEN
            OUTPUT X
        ENDIF
    """)


def test_generated_python_keeps_the_arithmetic_readable() -> None:
    code = python_of("""
        DECLARE A, B : INTEGER
        A <- 7
        B <- 2
        OUTPUT A DIV B, A MOD B, A ^ B
    """)
    assert "A // B" in code and "A % B" in code and "A ** B" in code


def test_deeply_nested_brackets_still_evaluate() -> None:
    depth = 40
    text = "OUTPUT " + "(" * depth + "1 + 1" + ")" * depth
    assert output(text) == "2\n"


def test_very_large_integers_print_in_decimal() -> None:
    expect("""
        OUTPUT LENGTH(NUM_TO_STR(10 ^ 5000))
        OUTPUT 10 ^ 5000 MOD 7
    """, "5001\n2")
