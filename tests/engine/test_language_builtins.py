"""Built-in functions (LANGUAGE.md section 7 and the details of section 10)."""

from __future__ import annotations

import datetime

from language_helpers import error_codes, expect, output, python_of

# ---------------------------------------------------------------- strings


def test_left_right_mid_substring() -> None:
    expect("""
        DECLARE S : STRING
        S <- "Hello"
        OUTPUT LEFT(S, 2), "|", RIGHT(S, 3), "|", MID(S, 2, 3), "|", SUBSTRING(S, 1, 4)
        OUTPUT LEFT(S, 5), "|", RIGHT(S, 5), "|", MID(S, 1, 5)
    """, "He|llo|ell|Hell\nHello|Hello|Hello")


def test_mid_at_the_end_of_a_string_and_zero_lengths() -> None:
    expect("""
        DECLARE S : STRING
        S <- "Hello"
        OUTPUT MID(S, 5, 1), "|", MID(S, LENGTH(S), 1), "|", SUBSTRING(S, 5, 1), "|"
        OUTPUT "[", LEFT(S, 0), "][", RIGHT(S, 0), "][", MID(S, 3, 0), "]"
    """, "o|o|o|\n[][][]")


def test_length_including_the_empty_string() -> None:
    expect("""
        DECLARE S : STRING
        DECLARE C : CHAR
        C <- 'x'
        OUTPUT LENGTH(""), " ", LENGTH("abc"), " ", LENGTH(S), " ", LENGTH(C), " ", LENGTH("a b")
    """, "0 3 0 1 3")


def test_upper_and_lower_case_of_chars_and_strings() -> None:
    expect("""
        DECLARE C, D : CHAR
        DECLARE S : STRING
        C <- 'q'
        S <- "Mixed Case 1!"
        D <- UCASE(C)
        OUTPUT UCASE(C), " ", LCASE('Q'), " ", D, " ", UCASE(S), " ", LCASE(S)
        OUTPUT TO_UPPER(C), " ", TO_LOWER('Z'), " ", TO_UPPER("ab"), " ", TO_LOWER("AbC")
    """, "Q q Q MIXED CASE 1! mixed case 1!\nQ z AB abc")


def test_num_to_str_and_num_to_string() -> None:
    expect("""
        DECLARE S : STRING
        S <- NUM_TO_STR(42)
        OUTPUT S & "!", " ", NUM_TO_STR(3.5), " ", NUM_TO_STRING(-1), " ", NUM_TO_STR(7 / 2)
        OUTPUT LENGTH(NUM_TO_STR(1000)), " ", NUM_TO_STR(2.0), " ", NUM_TO_STRING(0.1 + 0.2)
    """, "42! 3.5 -1 3.5\n4 2.0 0.30000000000000004")


def test_str_to_num_and_string_to_num() -> None:
    expect("""
        DECLARE I : INTEGER
        DECLARE R : REAL
        R <- STR_TO_NUM("2.5") * 2
        OUTPUT STR_TO_NUM("12") + 1, " ", R, " ", STRING_TO_NUM("-3") * 2
        OUTPUT STR_TO_NUM(" 7 ") + STR_TO_NUM("0.5"), " ", STRING_TO_NUM("10") DIV 3
    """, "13 5.0 -6\n7.5 3")


def test_is_num() -> None:
    expect("""
        OUTPUT IS_NUM("12"), " ", IS_NUM("-3.5"), " ", IS_NUM("0"), " ", IS_NUM("+5")
        OUTPUT IS_NUM("abc"), " ", IS_NUM(""), " ", IS_NUM("1.2.3"), " ", IS_NUM("12a")
        OUTPUT IS_NUM("-"), " ", IS_NUM("1 2")
    """, "TRUE TRUE TRUE TRUE\nFALSE FALSE FALSE FALSE\nFALSE FALSE")


def test_asc_and_chr() -> None:
    expect("""
        DECLARE C : CHAR
        C <- 'q'
        OUTPUT ASC('A'), " ", ASC(C), " ", ASC("a"), " ", ASC(' '), " ", ASC('0')
        OUTPUT CHR(66), " ", CHR(ASC('a') + 1), " ", CHR(48), " ", LENGTH(CHR(65))
    """, "65 113 97 32 48\nB b 0 1")


def test_string_of_length_one_where_a_char_is_expected() -> None:
    expect("""
        DECLARE C : CHAR
        DECLARE S : STRING
        C <- "a"
        S <- "b"
        C <- LEFT(S, 1)
        OUTPUT C, " ", ASC(S), " ", UCASE(C)
    """, "b 98 B")


# ---------------------------------------------------------------- numbers


def test_int_drops_the_fraction_toward_zero() -> None:
    expect("""
        DECLARE I : INTEGER
        I <- INT(7.9)
        OUTPUT INT(3.7), " ", INT(-3.7), " ", INT(-0.5), " ", INT(5), " ", INT(7 / 2), " ", I + 1
    """, "3 -3 0 5 3 8")


def test_round_halves_go_away_from_zero() -> None:
    expect("""
        OUTPUT ROUND(2.5, 0), " ", ROUND(-2.5, 0), " ", ROUND(0.5, 0), " ", ROUND(-0.5, 0)
        OUTPUT ROUND(1.5, 0), " ", ROUND(3.5, 0), " ", ROUND(2.4, 0), " ", ROUND(-2.6, 0)
        OUTPUT ROUND(2.25, 1), " ", ROUND(-2.25, 1), " ", ROUND(0.125, 2), " ", ROUND(-0.375, 2)
        OUTPUT ROUND(3.14159, 2), " ", ROUND(2.71828, 3), " ", ROUND(1.96, 1)
    """, "3 -3 1 -1\n2 4 2 -3\n2.3 -2.3 0.13 -0.38\n3.14 2.718 2.0")


def test_round_with_zero_places_gives_an_integer() -> None:
    expect("""
        DECLARE N : INTEGER
        N <- ROUND(2.5, 0)
        OUTPUT N, " ", ROUND(2.5, 0) + 1, " ", NUM_TO_STR(ROUND(7.6, 0)), " ", ROUND(7, 0)
        OUTPUT ROUND(9.99, 0) DIV 2
    """, "3 4 8 7\n5")


def test_rand_and_random_stay_in_range_and_spread() -> None:
    expect("""
        DECLARE R, Low, High, Low1, High1 : REAL
        DECLARE Roll, Attempt : INTEGER
        DECLARE OK : BOOLEAN
        DECLARE Seen : ARRAY[1:6] OF BOOLEAN
        OK <- TRUE
        Low <- 100
        High <- -1
        Low1 <- 100
        High1 <- -1
        FOR Attempt <- 1 TO 3000
            R <- RAND(10)
            IF R < 0 OR R >= 10 THEN
                OK <- FALSE
            ENDIF
            IF R < Low THEN
                Low <- R
            ENDIF
            IF R > High THEN
                High <- R
            ENDIF
            Roll <- INT(RAND(6)) + 1
            IF Roll < 1 OR Roll > 6 THEN
                OK <- FALSE
            ELSE
                Seen[Roll] <- TRUE
            ENDIF
            R <- RANDOM()
            IF R < 0 OR R > 1 THEN
                OK <- FALSE
            ENDIF
            IF R < Low1 THEN
                Low1 <- R
            ENDIF
            IF R > High1 THEN
                High1 <- R
            ENDIF
        NEXT Attempt
        FOR Roll <- 1 TO 6
            IF NOT Seen[Roll] THEN
                OK <- FALSE
            ENDIF
        NEXT Roll
        OUTPUT OK, " ", Low < 1, " ", High > 9, " ", Low1 < 0.1, " ", High1 > 0.9
    """, "TRUE TRUE TRUE TRUE TRUE")


def test_rand_gives_a_real() -> None:
    assert "E301" in error_codes("""
        DECLARE N : INTEGER
        N <- RAND(6)
    """)
    code = python_of("""
        DECLARE X : REAL
        X <- RAND(1)
        OUTPUT X < 1
    """)
    assert "random" in code


# ---------------------------------------------------------------- dates


def test_setdate_and_date_parts() -> None:
    expect("""
        DECLARE Launch, Early : DATE
        Launch <- SETDATE(4, 10, 1957)
        Early <- SETDATE(5, 3, 987)
        OUTPUT Launch, " ", DAY(Launch), "/", MONTH(Launch), "/", YEAR(Launch), " ", Early
        OUTPUT SETDATE(1, 2, 2024), " ", SETDATE(31, 12, 1999), " ", SETDATE(29, 2, 2024)
    """, "04/10/1957 4/10/1957 05/03/0987\n01/02/2024 31/12/1999 29/02/2024")


def test_dayindex_counts_from_sunday() -> None:
    # 7 January 2024 was a Sunday, 13 January 2024 a Saturday.
    lines = [f"OUTPUT DAYINDEX(SETDATE({day}, 1, 2024))" for day in range(7, 14)]
    lines.append("OUTPUT DAYINDEX(SETDATE(4, 10, 1957)), DAYINDEX(SETDATE(20, 7, 1969))")
    expect("\n".join(lines), "1\n2\n3\n4\n5\n6\n7\n61")


def test_dates_compare_chronologically() -> None:
    expect("""
        DECLARE A, B, C : DATE
        A <- SETDATE(31, 12, 2023)
        B <- SETDATE(1, 2, 2024)
        C <- SETDATE(2, 1, 2024)
        OUTPUT B > A, " ", A < B, " ", C < B, " ", B = SETDATE(1, 2, 2024), " ", A <> B
        OUTPUT SETDATE(1, 1, 2000) >= SETDATE(31, 12, 1999), " ", SETDATE(2, 1, 2024) <= A
    """, "TRUE TRUE TRUE TRUE TRUE\nTRUE FALSE")


def test_now_and_today_give_the_current_date() -> None:
    before = datetime.date.today()
    got = output("""
        OUTPUT NOW()
        OUTPUT TODAY()
        OUTPUT YEAR(NOW()), " ", MONTH(TODAY()), " ", DAY(NOW())
    """).splitlines()
    after = datetime.date.today()
    allowed = {d.strftime("%d/%m/%Y") for d in (before, after)}
    assert got[0] in allowed and got[1] in allowed
    assert got[2] in {f"{d.year} {d.month} {d.day}" for d in (before, after)}


def test_date_functions_need_a_date() -> None:
    assert "E305" in error_codes("OUTPUT DAY(5)")


# ---------------------------------------------------------------- names and argument counts


def test_builtin_names_are_case_insensitive() -> None:
    expect("""
        DECLARE S : STRING
        S <- "abc"
        OUTPUT length(S), Length(S), " ", left(S, 2), " ", Mid(S, 2, 1), " ", ucase('x')
        OUTPUT round(2.5, 0), " ", int(-1.5), " ", num_to_str(3), " ", Asc('A'), " ", chr(66)
    """, "33 ab b X\n3 -1 3 65 B")


def test_wrong_number_of_arguments_to_a_builtin_is_an_error() -> None:
    for text in ('OUTPUT LENGTH("a", "b")', 'OUTPUT MID("abc", 1)', "OUTPUT RANDOM(1)",
                 "OUTPUT ROUND(2.5)", "OUTPUT SETDATE(1, 2)", "OUTPUT CHR()"):
        assert "E502" in error_codes(text), text


def test_builtin_argument_of_the_wrong_type_is_an_error() -> None:
    assert "E305" in error_codes("OUTPUT LENGTH(42)")
    assert "E305" in error_codes("OUTPUT NUM_TO_STR(TRUE)")
    assert "E305" in error_codes('OUTPUT LEFT("abc", "1")')


def test_builtin_name_is_an_ordinary_variable_name() -> None:
    # Issue 9 changed this rule (LANGUAGE.md section 1): E205 is no longer reported.
    assert error_codes("DECLARE Length : INTEGER\nLength <- LENGTH(\"abc\")\n"
                       "OUTPUT Length") == []
