"""Diagnostics that help: misspelt keywords are named at the word, and one
missing END keyword gives one error at the statement it fails to close, never a cascade."""

from __future__ import annotations

from end_keywords import measure
from language_helpers import source, translate


def _errors(text: str) -> list[tuple[int, str, str]]:
    return [(d.line, d.code, d.message) for d in translate(text).errors]


def test_every_deleted_end_keyword_of_every_example_gives_one_error_at_its_opener() -> None:
    rows = measure()
    assert len(rows) > 50
    too_many = [r for r in rows if r["errors"] > 2]  # type: ignore[operator]
    assert not too_many, too_many
    ones = [r for r in rows if r["errors"] == 1]
    assert len(ones) == len(rows), [r for r in rows if r["errors"] != 1]
    for row in ones:
        (message,) = row["messages"]  # type: ignore[misc]
        assert ":E111 " in message, row


def test_missing_endif_before_procedures_defined_further_down_is_one_error() -> None:
    text = """
        DECLARE Count : INTEGER
        Count <- 0
        IF Count = 0 THEN
            CALL AddPupil("Ann")
        CALL AddPupil("Bob")
        CALL ShowAll
        OUTPUT Total(3)

        PROCEDURE AddPupil(Name : STRING)
            Count <- Count + 1
            OUTPUT Name
        ENDPROCEDURE

        PROCEDURE ShowAll
            OUTPUT Count
        ENDPROCEDURE

        FUNCTION Total(N : INTEGER) RETURNS INTEGER
            RETURN N + Count
        ENDFUNCTION
        """
    errors = _errors(text)
    assert [(line, code) for line, code, _ in errors] == [(3, "E111")], errors


def test_missing_endprocedure_is_one_error_and_the_next_routines_are_known() -> None:
    errors = _errors("""
        PROCEDURE First
            OUTPUT "one"
        PROCEDURE Second
            OUTPUT "two"
        ENDPROCEDURE
        CALL First
        CALL Second
        """)
    assert [(line, code) for line, code, _ in errors] == [(1, "E111")], errors


def test_missing_endtype_and_endclass_are_one_error_each() -> None:
    errors = _errors("""
        TYPE Pupil
            DECLARE Name : STRING
            DECLARE Age : INTEGER
        DECLARE P : Pupil
        P.Name <- "Ann"
        OUTPUT P.Name
        """)
    assert [(line, code) for line, code, _ in errors] == [(1, "E111")], errors
    errors = _errors("""
        CLASS Pet
            PRIVATE Name : STRING
            PUBLIC PROCEDURE NEW(N : STRING)
                Name <- N
            ENDPROCEDURE
        DECLARE P : Pet
        P <- NEW Pet("Rex")
        OUTPUT "made"
        """)
    assert [(line, code) for line, code, _ in errors] == [(1, "E111")], errors


def test_a_routine_written_inside_another_is_still_reported_as_nested() -> None:
    errors = _errors("""
        PROCEDURE A
            PROCEDURE B
            ENDPROCEDURE
        ENDPROCEDURE
        """)
    assert [code for _, code, _ in errors] == ["E117"], errors


def test_misspelt_statement_keywords_are_named_at_the_word() -> None:
    for text, word, meant in (
            ("DECLARE Count : INTEGER\nCount <- 1\nOUPTUT Count", "OUPTUT", "OUTPUT"),
            ("DECALRE X : INTEGER\nX <- 1\nOUTPUT X", "DECALRE", "DECLARE"),
            ("DECLARE X : INTEGER\nX <- 1\nWHILE X < 3\n    X <- X + 1\nENDWHLIE\nOUTPUT X",
             "ENDWHLIE", "ENDWHILE"),
            ('OUTPT "hi"', "OUTPT", "OUTPUT"),
            ("DECLARE N : INTEGER\nINPTU N\nOUTPUT N", "INPTU", "INPUT"),
            ("DECLARE I : INTEGER\nFOR I <- 1 TO 2\n    OUTPUT I\nNEXTT I", "NEXTT", "NEXT")):
        result = translate(text)
        errors = [d for d in result.errors]
        assert len(errors) == 1, (text, [d.format() for d in errors])
        (error,) = errors
        lines = source(text).splitlines()
        assert error.code == "E120"
        assert f"did you mean {meant}?" in error.message
        assert lines[error.line - 1][error.column - 1:error.end_column - 1] == word


def test_names_that_are_not_near_a_keyword_keep_their_message() -> None:
    (error,) = translate("Counter 5").errors
    assert error.code == "E110" and "Counter" in error.message
    # An assignment to a name spelt like a keyword is an assignment.
    assert translate("Ouptut <- 5\nOUTPUT Ouptut").success


def test_the_end_keyword_of_another_block_is_one_error() -> None:
    for text, opener, closer in (
            ("FUNCTION F() RETURNS INTEGER\n    RETURN 1\nENDPROCEDURE\nOUTPUT F()",
             "FUNCTION", "ENDFUNCTION"),
            ("DECLARE I : INTEGER\nFOR I <- 1 TO 3\n    OUTPUT I\nENDWHILE\nOUTPUT I",
             "FOR", "NEXT"),
            ("WHILE FALSE\n    OUTPUT 1\nENDIF\nOUTPUT 2", "WHILE", "ENDWHILE")):
        errors = _errors(text)
        assert len(errors) == 1, errors
        line, code, message = errors[0]
        wrong = next(i for i, text_line in enumerate(text.splitlines(), start=1)
                     if text_line.startswith("END") and text_line != closer)
        assert (line, code) == (wrong, "E112") and opener in message and closer in message


def test_an_extra_end_keyword_inside_a_block_stays_a_stray_closer() -> None:
    errors = _errors("DECLARE I : INTEGER\nFOR I <- 1 TO 3\n    OUTPUT I\n    ENDIF\nNEXT I")
    assert [(line, code) for line, code, _ in errors] == [(4, "E112")], errors
