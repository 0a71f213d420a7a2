"""Statements (LANGUAGE.md sections 1, 2 and 4), run end to end."""

from __future__ import annotations

from language_helpers import (
    codes,
    error_codes,
    error_lines,
    expect,
    output,
    python_of,
    run,
    translate,
    translate_ok,
)

from engine.language.diagnostics import Severity

# ---------------------------------------------------------------- lexical rules


def test_both_assignment_arrows_and_free_indentation() -> None:
    expect("""
        DECLARE A, B : INTEGER
        A ← 3
              B <- A + 1
        OUTPUT A,   B
    """, "34")


def test_equals_as_assignment_is_a_warning_and_still_assigns() -> None:
    result = translate_ok("""
        DECLARE X : INTEGER
        X = 5
        OUTPUT X
    """)
    assert "W102" in codes(result, Severity.WARNING)
    expect("""
        DECLARE X : INTEGER
        X = 5
        OUTPUT X
    """, "5")


def test_keywords_in_other_case_warn_with_the_canonical_spelling_and_still_run() -> None:
    text = """
        declare Count : integer
        Count <- 0
        For Count <- 1 To 2
            output Count
        Next Count
        If Count = 2 Then
            Output "two"
        EndIf
    """
    result = translate_ok(text)
    warnings = [d for d in result.warnings if d.code == "W101"]
    assert len(warnings) >= 8
    messages = " ".join(d.message for d in warnings)
    for canonical in ("DECLARE", "INTEGER", "FOR", "TO", "OUTPUT", "NEXT", "IF", "THEN", "ENDIF"):
        assert canonical in messages
    assert output(text) == "1\n2\ntwo\n"


def test_identifiers_are_case_insensitive_and_python_uses_the_first_spelling() -> None:
    text = """
        DECLARE Total : INTEGER
        TOTAL <- 1
        total <- total + 1
        OUTPUT ToTaL
    """
    result = translate_ok(text)
    assert "W105" in codes(result, Severity.WARNING)
    assert "Total = Total + 1" in result.code
    assert "TOTAL" not in result.code.replace("_PSEUDO", "")
    assert output(text) == "2\n"


def test_routine_type_field_and_enum_names_are_case_insensitive() -> None:
    expect("""
        TYPE Student
            DECLARE Name : STRING
        ENDTYPE
        TYPE Season = (Spring, Summer)
        DECLARE S : student
        DECLARE W : SEASON
        DECLARE Total : INTEGER
        PROCEDURE AddOne(BYREF N : INTEGER)
            n <- n + 1
        ENDPROCEDURE
        s.name <- "x"
        W <- summer
        total <- 1
        CALL addone(TOTAL)
        OUTPUT S.Name, " ", w, " ", Total
    """, "x Summer 2")


def test_undeclared_variable_keeps_its_first_spelling() -> None:
    result = translate_ok("""
        Total <- 5
        OUTPUT Total
    """)
    assert "W105" not in codes(result)
    assert "Total = 5" in result.code


def test_comments_are_kept_as_python_comments_in_place() -> None:
    code = python_of("""
        // Work out a total
        DECLARE Total : INTEGER   // running total
        Total <- 0
        // add two
        Total <- Total + 2 // now 2
        OUTPUT Total
    """)
    lines = code.splitlines()
    assert "# Work out a total" in lines
    assert "# add two" in lines
    assert any(line.startswith("Total: int = 0") and line.endswith("# running total")
               for line in lines)
    assert "Total = Total + 2  # now 2" in lines
    assert lines.index("# add two") < lines.index("Total = Total + 2  # now 2")


def test_comments_on_block_lines_are_kept() -> None:
    code = python_of("""
        DECLARE I : INTEGER   // counter
        FOR I <- 1 TO 2   // loop
            IF I = 1 THEN   // first?
                OUTPUT "one"
            ELSE   // not first
                OUTPUT "two"
            ENDIF   // end if
        NEXT I   // end loop
        CASE OF I   // choose
            2 : OUTPUT "two"   // the only one
            OTHERWISE : OUTPUT "?"   // any other
        ENDCASE
        PROCEDURE P   // a procedure
            OUTPUT "p"   // body
        ENDPROCEDURE
    """)
    for text in ("counter", "loop", "first?", "not first", "end if", "end loop", "choose",
                 "the only one", "any other", "a procedure", "body"):
        assert f"# {text}" in code, text


def test_comments_on_record_fields_are_kept() -> None:
    code = python_of("""
        TYPE Student
            DECLARE Name : STRING   // the full name
            DECLARE Marks : ARRAY[1:3] OF INTEGER   // three tests
        ENDTYPE
        DECLARE S : Student
        S.Name <- "x"
        OUTPUT S.Name
    """)
    assert "# the full name" in code
    assert "# three tests" in code


def test_comment_after_endclass_stays_with_its_class() -> None:
    code = python_of("""
        CLASS Box
            PUBLIC W : INTEGER
        ENDCLASS   // end of Box
        TYPE Season = (Spring, Summer)
        DECLARE B : Box
        B <- NEW Box()
        OUTPUT B.W
    """)
    assert code.index("class Box") < code.index("# end of Box")


def test_empty_program_and_comment_only_program_run() -> None:
    assert output("") == ""
    assert output("// nothing to do\n") == ""


# ---------------------------------------------------------------- declarations, constants


def test_default_values_of_every_base_type() -> None:
    expect("""
        DECLARE I : INTEGER
        DECLARE R : REAL
        DECLARE S : STRING
        DECLARE C : CHAR
        DECLARE B : BOOLEAN
        DECLARE D : DATE
        OUTPUT "[", I, "][", R, "][", S, "][", C, "][", B, "][", D, "]"
        OUTPUT LENGTH(S), LENGTH(C)
    """, "[0][0.0][][][FALSE][01/01/1970]\n00")


def test_declare_inside_a_block_of_a_procedure() -> None:
    expect("""
        PROCEDURE P
            IF TRUE THEN
                DECLARE Count : INTEGER
                Count <- 5
                OUTPUT Count
            ENDIF
        ENDPROCEDURE
        CALL P
    """, "5")


def test_declare_inside_a_block_of_the_main_program() -> None:
    expect("""
        IF TRUE THEN
            DECLARE Count : INTEGER
            Count <- 5
            OUTPUT Count
        ENDIF
    """, "5")


def test_declaration_list_gives_every_name_the_type() -> None:
    expect("""
        DECLARE A, B, C : REAL
        A <- 1
        B <- 2
        OUTPUT A, " ", B, " ", C
    """, "1.0 2.0 0.0")


def test_constants_in_both_forms() -> None:
    expect("""
        CONSTANT Pi = 3.14159
        CONSTANT Max <- 10
        CONSTANT Greeting ← "Hi"
        CONSTANT Low = -3
        CONSTANT Twice = Max * 2
        CONSTANT Flag = TRUE
        CONSTANT Letter = 'Q'
        OUTPUT Pi, " ", Max, " ", Greeting, " ", Low, " ", Twice, " ", Flag, " ", Letter
        OUTPUT Pi * 2
    """, "3.14159 10 Hi -3 20 TRUE Q\n6.28318")


def test_assigning_to_a_constant_is_an_error() -> None:
    assert "E203" in error_codes("""
        CONSTANT Max = 10
        Max <- 20
    """)
    assert error_lines("""
        CONSTANT Max = 10
        OUTPUT Max
        Max <- 20
    """) == [3]


def test_undeclared_variable_is_a_warning_by_default_and_an_error_in_strict_mode() -> None:
    text = """
        Count <- 3
        OUTPUT Count
    """
    assert "W210" in codes(translate(text), Severity.WARNING)
    assert output(text) == "3\n"
    assert "W210" in error_codes(text, strict=True)


def test_reading_a_never_assigned_variable_warns_and_gives_the_default() -> None:
    text = """
        DECLARE X : INTEGER
        OUTPUT X + 1
    """
    assert "W211" in codes(translate(text), Severity.WARNING)
    assert output(text) == "1\n"


# ---------------------------------------------------------------- OUTPUT


def test_output_joins_items_without_separator() -> None:
    expect("""
        DECLARE N : INTEGER
        N <- 3
        OUTPUT "a", N, "b", 2.5, TRUE, 'c'
        OUTPUT ""
        OUTPUT "end"
    """, "a3b2.5TRUEc\n\nend")


def test_print_is_a_synonym_with_a_warning() -> None:
    text = 'PRINT "hello", 1 + 1'
    assert "W103" in codes(translate(text), Severity.WARNING)
    assert output(text) == "hello2\n"


def test_output_evaluates_all_items_before_writing() -> None:
    expect("""
        DECLARE X : INTEGER
        FUNCTION Shout(N : INTEGER) RETURNS INTEGER
            OUTPUT "shout ", N
            X <- X + N
            RETURN N
        ENDFUNCTION
        X <- 100
        OUTPUT "x was ", X, ", first ", Shout(1), " then ", Shout(2), ", x now ", X
    """, """
        shout 1
        shout 2
        x was 100, first 1 then 2, x now 103
    """)


# ---------------------------------------------------------------- INPUT


def test_input_converts_to_every_declared_type() -> None:
    expect("""
        DECLARE I : INTEGER
        DECLARE R, W : REAL
        DECLARE B1, B2, B3 : BOOLEAN
        DECLARE C : CHAR
        DECLARE S : STRING
        INPUT I
        INPUT R
        INPUT W
        INPUT B1
        INPUT B2
        INPUT B3
        INPUT C
        INPUT S
        OUTPUT I + 1, " ", R, " ", W, " ", B1, " ", B2, " ", B3, " ", C, "|", S, "|"
    """, "43 1.75 60.0 TRUE FALSE TRUE Z|  Ada  King |",
        stdin="42\n1.75\n60\ntrue\nFaLsE\nTRUE\nZebra\n  Ada  King \n")


def test_input_integer_and_real_signs_and_spaces() -> None:
    expect("""
        DECLARE I, J : INTEGER
        DECLARE R : REAL
        INPUT I
        INPUT J
        INPUT R
        OUTPUT I, " ", J, " ", R
    """, "-5 7 -0.5", stdin="-5\n 7 \n-0.5\n")


def test_input_undeclared_variable_gets_the_string() -> None:
    expect("""
        INPUT Answer
        OUTPUT Answer & "!", LENGTH(Answer)
    """, "042!3", stdin="042\n")


def test_input_into_array_elements_and_record_fields() -> None:
    expect("""
        TYPE Person
            DECLARE Name : STRING
            DECLARE Age : INTEGER
        ENDTYPE
        DECLARE A : ARRAY[1:3] OF INTEGER
        DECLARE G : ARRAY[0:1, 0:1] OF REAL
        DECLARE P : Person
        DECLARE People : ARRAY[1:2] OF Person
        DECLARE K : INTEGER
        K <- 2
        INPUT A[K]
        INPUT G[1, 0]
        INPUT P.Name
        INPUT P.Age
        INPUT People[K].Age
        OUTPUT A[2] * 2, " ", G[1, 0], " ", P.Name, " ", P.Age + 1, " ", People[2].Age
    """, "-10 7.0 Bob 41 9", stdin="-5\n7\nBob\n40\n9\n")


def test_input_with_prompt_writes_the_prompt_without_newline() -> None:
    expect("""
        DECLARE Age : INTEGER
        DECLARE Name : STRING
        INPUT "Your name? ", Name
        INPUT "Age: ", Age
        OUTPUT "Hello ", Name, ", next year ", Age + 1
    """, "Your name? Age: Hello Ann, next year 13", stdin="Ann\n12\n")


def test_input_of_an_empty_line() -> None:
    expect("""
        DECLARE S : STRING
        DECLARE C : CHAR
        INPUT S
        INPUT C
        OUTPUT "[", S, "][", C, "]", LENGTH(S)
    """, "[][]0", stdin="\n\n")


# ---------------------------------------------------------------- IF


def test_if_else_and_then_on_the_next_line() -> None:
    expect("""
        DECLARE N : INTEGER
        FOR N <- 1 TO 2
            IF N = 1
              THEN
                OUTPUT "one"
              ELSE
                OUTPUT "not one"
            ENDIF
            IF N > 1 THEN
                OUTPUT "big"
            ENDIF
        NEXT N
    """, "one\nnot one\nbig")


def test_elseif_chain_with_one_endif() -> None:
    expect("""
        DECLARE N : INTEGER
        FOR N <- 0 TO 3
            IF N = 1 THEN
                OUTPUT "one"
            ELSEIF N = 2 THEN
                OUTPUT "two"
            ELSEIF N = 3
              THEN
                OUTPUT "three"
            ELSE
                OUTPUT "other"
            ENDIF
        NEXT N
    """, "other\none\ntwo\nthree")


def test_else_if_chain_with_an_endif_each() -> None:
    expect("""
        DECLARE N : INTEGER
        FOR N <- 0 TO 3
            IF N = 1 THEN
                OUTPUT "one"
            ELSE IF N = 2 THEN
                OUTPUT "two"
            ELSE IF N = 3 THEN
                OUTPUT "three"
            ELSE
                OUTPUT "other"
            ENDIF
            ENDIF
            ENDIF
        NEXT N
    """, "other\none\ntwo\nthree")


def test_nested_if_blocks() -> None:
    expect("""
        DECLARE A, B : INTEGER
        A <- 2
        B <- 5
        IF A > 1 THEN
            IF B > 10 THEN
                OUTPUT "both"
            ELSE
                OUTPUT "only A"
            ENDIF
        ELSE
            OUTPUT "neither"
        ENDIF
    """, "only A")


def test_if_without_endif_is_reported_at_the_if() -> None:
    assert error_lines("""
        DECLARE X : INTEGER
        X <- 1
        IF X = 1 THEN
            OUTPUT X
    """) == [3]


# ---------------------------------------------------------------- CASE


def test_case_values_ranges_otherwise_and_multiline_clauses() -> None:
    expect("""
        DECLARE Code : INTEGER
        FOR Code <- -2 TO 12 STEP 2
            CASE OF Code
                -2 : OUTPUT Code, " minus two"
                0 : OUTPUT Code, " zero"
                1 TO 5 : OUTPUT Code, " small"
                4 : OUTPUT "never: the range above matches first"
                6 : OUTPUT Code, " six"
                    OUTPUT "  (exactly six)"
                7 TO 10 : OUTPUT Code, " medium"
                OTHERWISE : OUTPUT Code, " large"
                    OUTPUT "  (otherwise)"
            ENDCASE
        NEXT Code
    """, """
        -2 minus two
        0 zero
        2 small
        4 small
        6 six
          (exactly six)
        8 medium
        10 medium
        12 large
          (otherwise)
    """)


def test_case_otherwise_without_colon_and_no_match_without_otherwise() -> None:
    expect("""
        DECLARE N : INTEGER
        FOR N <- 1 TO 3
            CASE OF N
                1 : OUTPUT "one"
                OTHERWISE OUTPUT "other ", N
            ENDCASE
            CASE OF N
                2 : OUTPUT "two"
            ENDCASE
        NEXT N
    """, "one\nother 2\ntwo\nother 3")


def test_case_char_and_string_subjects() -> None:
    expect("""
        DECLARE Letter : CHAR
        DECLARE Word : STRING
        Letter <- 'm'
        CASE OF Letter
            'a' TO 'f' : OUTPUT "early"
            'g' TO 'p' : OUTPUT "middle"
            OTHERWISE : OUTPUT "late"
        ENDCASE
        Letter <- 'z'
        CASE OF Letter
            'a' TO 'f' : OUTPUT "early"
            OTHERWISE : OUTPUT "late"
        ENDCASE
        Word <- "pear"
        CASE OF Word
            "apple" : OUTPUT "A"
            "pear" : OUTPUT "P"
        ENDCASE
    """, "middle\nlate\nP")


def test_case_of_any_expression_is_evaluated_once() -> None:
    expect("""
        DECLARE X : INTEGER
        FUNCTION Next(N : INTEGER) RETURNS INTEGER
            OUTPUT "evaluated"
            RETURN N + 1
        ENDFUNCTION
        X <- 7
        CASE OF X MOD 3
            0 : OUTPUT "zero"
            1 : OUTPUT "one"
        ENDCASE
        CASE OF Next(X) * 2
            14 : OUTPUT "fourteen"
            15 TO 20 : OUTPUT "range"
            16 : OUTPUT "never"
            OTHERWISE : OUTPUT "other"
        ENDCASE
    """, "one\nevaluated\nrange")


def test_case_clause_may_hold_blocks() -> None:
    expect("""
        DECLARE N, M : INTEGER
        FOR N <- 1 TO 3
            CASE OF N
                1 :
                    IF N = 1 THEN
                        OUTPUT "one via if"
                    ENDIF
                2 : M <- N * 2
                    CASE OF M
                        4 : OUTPUT "nested four"
                    ENDCASE
                OTHERWISE
                    FOR M <- 1 TO 2
                        OUTPUT "loop ", M
                    NEXT M
            ENDCASE
        NEXT N
    """, "one via if\nnested four\nloop 1\nloop 2")


def test_case_value_of_the_wrong_type_is_an_error() -> None:
    assert "E405" in error_codes("""
        DECLARE X : INTEGER
        X <- 1
        CASE OF X
            "a" : OUTPUT 1
        ENDCASE
    """)


# ---------------------------------------------------------------- FOR


def test_for_is_inclusive_and_counts_down_with_negative_step() -> None:
    expect("""
        DECLARE I : INTEGER
        FOR I <- 1 TO 3
            OUTPUT I
        NEXT I
        FOR I <- 3 TO 1 STEP -1
            OUTPUT I
        NEXT I
        FOR I <- 10 TO 1 STEP -4
            OUTPUT I
        NEXT I
        FOR I <- 0 TO 9 STEP 3
            OUTPUT I
        NEXT I
        FOR I <- -2 TO 0
            OUTPUT I
        NEXT I
    """, "1\n2\n3\n3\n2\n1\n10\n6\n2\n0\n3\n6\n9\n-2\n-1\n0")


def test_for_next_without_variable_endfor_and_nested_loops() -> None:
    expect("""
        DECLARE I, J : INTEGER
        FOR I <- 1 TO 2
            FOR J <- 1 TO 2
                OUTPUT I, J
            NEXT
        ENDFOR
    """, "11\n12\n21\n22")


def test_for_with_a_step_from_a_variable_and_bounds_from_expressions() -> None:
    expect("""
        DECLARE I, S, N : INTEGER
        S <- -2
        N <- 3
        FOR I <- N * 2 TO N - 3 STEP S
            OUTPUT I
        NEXT I
        S <- 5
        FOR I <- 1 TO N * 4 STEP S
            OUTPUT I
        NEXT I
    """, "6\n4\n2\n0\n1\n6\n11")


def test_for_that_never_runs() -> None:
    expect("""
        DECLARE I : INTEGER
        FOR I <- 5 TO 1
            OUTPUT "never"
        NEXT I
        FOR I <- 1 TO 5 STEP -1
            OUTPUT "never"
        NEXT I
        OUTPUT "done"
    """, "done")


def test_for_variable_after_the_loop_holds_the_last_value() -> None:
    expect("""
        DECLARE I, J, K, S : INTEGER
        FOR I <- 1 TO 3
        NEXT I
        FOR J <- 10 TO 1 STEP -3
        NEXT J
        S <- 4
        FOR K <- 1 TO 10 STEP S
        NEXT K
        OUTPUT I, " ", J, " ", K
    """, "3 1 9")


def test_for_with_a_real_variable_and_step() -> None:
    expect("""
        DECLARE X : REAL
        FOR X <- 1 TO 2 STEP 0.5
            OUTPUT X
        NEXT X
    """, "1.0\n1.5\n2.0")


def test_for_zero_step_and_wrong_next_variable_are_errors() -> None:
    assert "E401" in error_codes("""
        DECLARE K : INTEGER
        FOR K <- 1 TO 10 STEP 0
            OUTPUT K
        NEXT K
    """)
    assert error_lines("""
        DECLARE I, J : INTEGER
        FOR I <- 1 TO 3
            OUTPUT I
        NEXT J
    """) == [4]


# ---------------------------------------------------------------- WHILE, REPEAT


def test_while_with_and_without_do() -> None:
    expect("""
        DECLARE N : INTEGER
        N <- 3
        WHILE N > 0 DO
            OUTPUT N
            N <- N - 1
        ENDWHILE
        WHILE N < 2
            N <- N + 1
        ENDWHILE
        OUTPUT "n=", N
        WHILE N > 100
            OUTPUT "never"
        ENDWHILE
    """, "3\n2\n1\nn=2")


def test_repeat_runs_at_least_once() -> None:
    expect("""
        DECLARE N : INTEGER
        N <- 10
        REPEAT
            OUTPUT "ran with ", N
            N <- N + 1
        UNTIL N > 5
        N <- 0
        REPEAT
            N <- N + 2
        UNTIL N >= 7
        OUTPUT N
    """, "ran with 10\n8")


def test_return_outside_a_function_is_an_error() -> None:
    assert "E403" in error_codes("""
        PROCEDURE P
            RETURN 1
        ENDPROCEDURE
    """)
    assert "E403" in error_codes("RETURN 5")


def test_a_runtime_program_structure_runs_in_a_plain_python() -> None:
    done = run("""
        DECLARE I : INTEGER
        FOR I <- 1 TO 3
            OUTPUT I * I
        NEXT I
    """)
    assert done.returncode == 0 and done.stdout == "1\n4\n9\n"
    assert "import engine" not in done.code and "from engine" not in done.code
