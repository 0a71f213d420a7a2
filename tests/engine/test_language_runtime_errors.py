"""Runtime errors: exit status 1 and ``Runtime error at line N: ...`` on stderr, where N is the
pseudocode line (LANGUAGE.md sections 2, 4, 8 and 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from language_helpers import ProgramRun, line_of, runtime_error


def stops_at(text: str, fragment: str, stdin: str = "", cwd: Path | None = None) -> ProgramRun:
    """The program stops with a runtime error naming the line that holds ``fragment``."""
    done = runtime_error(text, stdin, cwd)
    line = line_of(text, fragment)
    assert done.stderr.startswith(f"Runtime error at line {line}: "), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    return done


# ---------------------------------------------------------------- arrays


def test_index_out_of_bounds_names_line_index_and_bounds() -> None:
    done = stops_at("""
        DECLARE A : ARRAY[1:3] OF INTEGER
        DECLARE I : INTEGER
        // a comment and a blank line do not shift the line number

        I <- 4
        OUTPUT "start"
        A[I] <- 1
        OUTPUT "never"
    """, "A[I] <- 1")
    assert done.stdout == "start\n"
    assert "4" in done.stderr and "1:3" in done.stderr


def test_index_below_a_negative_lower_bound_and_in_two_dimensions() -> None:
    done = stops_at("""
        DECLARE A : ARRAY[-3:3] OF INTEGER
        DECLARE I : INTEGER
        I <- -4
        OUTPUT A[I]
    """, "OUTPUT A[I]")
    assert "-4" in done.stderr and "-3:3" in done.stderr
    done = stops_at("""
        DECLARE G : ARRAY[1:2, 1:5] OF INTEGER
        DECLARE R, C : INTEGER
        R <- 2
        C <- 0
        G[R, C] <- 1
    """, "G[R, C] <- 1")
    assert "0" in done.stderr and "1:2, 1:5" in done.stderr


def test_index_error_inside_a_procedure_names_the_line_in_the_procedure() -> None:
    stops_at("""
        DECLARE A : ARRAY[1:3] OF INTEGER
        PROCEDURE Fill(N : INTEGER)
            DECLARE I : INTEGER
            FOR I <- 1 TO N
                A[I] <- I
            NEXT I
        ENDPROCEDURE
        CALL Fill(3)
        CALL Fill(4)
    """, "A[I] <- I")


def test_index_error_in_a_loop_condition_names_the_condition_line() -> None:
    stops_at("""
        DECLARE A : ARRAY[1:3] OF INTEGER
        DECLARE I : INTEGER
        I <- 0
        REPEAT
            I <- I + 1
        UNTIL A[I] > 0
    """, "UNTIL")
    stops_at("""
        DECLARE A : ARRAY[1:3] OF INTEGER
        DECLARE I : INTEGER
        I <- 1
        WHILE A[I] = 0
            I <- I + 1
        ENDWHILE
    """, "WHILE")
    stops_at("""
        DECLARE A : ARRAY[1:3] OF INTEGER
        DECLARE I : INTEGER
        I <- 5
        CASE OF A[I]
            1 : OUTPUT 1
        ENDCASE
    """, "CASE OF")


def test_error_in_an_elseif_condition_names_its_line() -> None:
    stops_at("""
        DECLARE A : ARRAY[1:3] OF INTEGER
        DECLARE I : INTEGER
        I <- 5
        IF I = 1 THEN
            OUTPUT 1
        ELSEIF A[I] = 2 THEN
            OUTPUT 2
        ENDIF
    """, "ELSEIF")


def test_error_in_an_else_if_condition_names_its_line() -> None:
    stops_at("""
        DECLARE Z : INTEGER
        Z <- 0
        IF Z = 1 THEN
            OUTPUT 1
        ELSE IF 10 DIV Z = 2 THEN
            OUTPUT 2
        ENDIF
        ENDIF
    """, "ELSE IF")


def test_error_in_a_later_case_clause_value_names_its_line() -> None:
    stops_at("""
        DECLARE Z, N : INTEGER
        Z <- 0
        N <- 4
        CASE OF N
            1 : OUTPUT "one"
            10 DIV Z : OUTPUT "never"
        ENDCASE
    """, "10 DIV Z :")


# ---------------------------------------------------------------- INPUT


@pytest.mark.parametrize(("declared", "line"), [
    ("INTEGER", "abc"), ("INTEGER", "4.5"), ("INTEGER", ""), ("REAL", "1,5"),
    ("REAL", "ten"), ("BOOLEAN", "yes"), ("BOOLEAN", "1"),
])
def test_input_that_does_not_convert(declared: str, line: str) -> None:
    done = stops_at(f"""
        DECLARE X : {declared}
        OUTPUT "ready"
        INPUT X
        OUTPUT "never"
    """, "INPUT X", stdin=line + "\n")
    assert done.stdout == "ready\n"


def test_input_after_the_end_of_standard_input() -> None:
    done = stops_at("""
        DECLARE S, T : STRING
        INPUT S
        OUTPUT S
        INPUT T
    """, "INPUT T", stdin="only line\n")
    assert done.stdout == "only line\n"


# ---------------------------------------------------------------- arithmetic


@pytest.mark.parametrize("expression", ["10 / Z", "10 DIV Z", "10 MOD Z", "DIV(10, Z)",
                                        "MOD(10, Z)", "2.5 / Z", "1.5 DIV Z"])
def test_division_by_zero(expression: str) -> None:
    done = stops_at(f"""
        DECLARE Z : INTEGER
        Z <- 0
        OUTPUT "before"
        OUTPUT {expression}
    """, f"OUTPUT {expression}")
    assert "division by zero" in done.stderr


def test_division_by_zero_inside_a_function_names_the_function_line() -> None:
    stops_at("""
        FUNCTION Share(Total : INTEGER, People : INTEGER) RETURNS INTEGER
            RETURN Total DIV People
        ENDFUNCTION
        OUTPUT Share(10, 2)
        OUTPUT Share(10, 0)
    """, "RETURN Total DIV People")


def test_recursion_that_never_stops() -> None:
    done = stops_at("""
        FUNCTION Forever(N : INTEGER) RETURNS INTEGER
            RETURN Forever(N + 1)
        ENDFUNCTION
        OUTPUT Forever(1)
    """, "RETURN Forever")
    assert "Traceback" not in done.stderr


def test_power_overflow_is_a_runtime_error() -> None:
    stops_at("""
        OUTPUT "before"
        OUTPUT 10.0 ^ 400
    """, "^ 400")


def test_zero_to_a_negative_power_is_a_runtime_error() -> None:
    stops_at("""
        DECLARE Z : INTEGER
        Z <- 0
        OUTPUT Z ^ -1
    """, "Z ^ -1")


def test_integer_too_large_for_a_real_is_a_runtime_error() -> None:
    stops_at("""
        DECLARE X : REAL
        X <- 10 ^ 400
    """, "X <- 10 ^ 400")


# ---------------------------------------------------------------- built-ins


@pytest.mark.parametrize(("expression", "fragment"), [
    ('STR_TO_NUM("x1")', "x1"), ("ASC(S)", "ab"), ("CHR(-1)", "-1"), ('LEFT("abc", -1)', "-1"),
    ('MID("abc", 0, 1)', "0"), ("SETDATE(31, 2, 2024)", ""),
])
def test_builtins_given_bad_values(expression: str, fragment: str) -> None:
    done = stops_at(f"""
        DECLARE S : STRING
        S <- "ab"
        OUTPUT {expression}
    """, f"OUTPUT {expression}")
    assert fragment in done.stderr


# ---------------------------------------------------------------- files, pointers


def test_readfile_of_an_unopened_file(tmp_path: Path) -> None:
    stops_at("""
        DECLARE S : STRING
        READFILE "data.txt", S
    """, "READFILE", cwd=tmp_path)


def test_reading_past_the_end_of_a_file(tmp_path: Path) -> None:
    (tmp_path / "data.txt").write_text("", encoding="utf-8")
    stops_at("""
        DECLARE S : STRING
        OPENFILE "data.txt" FOR READ
        READFILE "data.txt", S
    """, "READFILE", cwd=tmp_path)


def test_dereferencing_a_pointer_never_given_a_value() -> None:
    stops_at("""
        TYPE IntPointer = ^INTEGER
        DECLARE P : IntPointer
        OUTPUT "before"
        OUTPUT P^
    """, "OUTPUT P^")


def test_errors_after_output_keep_the_output_and_stop_at_once() -> None:
    done = stops_at("""
        DECLARE A : ARRAY[1:2] OF INTEGER
        DECLARE I : INTEGER
        FOR I <- 1 TO 5
            OUTPUT "item ", I
            A[I] <- I
        NEXT I
        OUTPUT "never"
    """, "A[I] <- I")
    assert done.stdout == "item 1\nitem 2\nitem 3\n"


def test_for_with_a_step_variable_of_zero() -> None:
    done = stops_at("""
        DECLARE I, S : INTEGER
        S <- 0
        FOR I <- 1 TO 3 STEP S
            OUTPUT I
        NEXT I
    """, "FOR I <- 1 TO 3 STEP S")
    assert done.stdout == ""
