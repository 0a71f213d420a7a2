"""Text files (LANGUAGE.md sections 7, 8 and 10); every program runs in its own tmp_path."""

from __future__ import annotations

from pathlib import Path

from language_helpers import error_codes, expect, output, runtime_error


def test_write_append_then_read_back_with_an_eof_loop(tmp_path: Path) -> None:
    expect("""
        DECLARE LineOfText : STRING
        DECLARE Count : INTEGER
        OPENFILE "animals.txt" FOR WRITE
        WRITEFILE "animals.txt", "cat"
        WRITEFILE "animals.txt", "dog"
        CLOSEFILE "animals.txt"
        OPENFILE "animals.txt" FOR APPEND
        WRITEFILE "animals.txt", "horse"
        CLOSEFILE "animals.txt"
        OPENFILE "animals.txt" FOR READ
        Count <- 0
        WHILE NOT EOF("animals.txt")
            READFILE "animals.txt", LineOfText
            Count <- Count + 1
            OUTPUT Count, ": ", LineOfText
        ENDWHILE
        CLOSEFILE "animals.txt"
        OUTPUT "Lines: ", Count
    """, "1: cat\n2: dog\n3: horse\nLines: 3", cwd=tmp_path)
    assert (tmp_path / "animals.txt").read_text(encoding="utf-8") == "cat\ndog\nhorse\n"


def test_file_name_in_a_variable_and_built_from_an_expression(tmp_path: Path) -> None:
    expect("""
        DECLARE FileName, Text : STRING
        FileName <- "notes"
        FileName <- FileName & ".txt"
        OPENFILE FileName FOR WRITE
        WRITEFILE FileName, "first"
        CLOSEFILE FileName
        OPENFILE "notes.txt" FOR READ
        READFILE FileName, Text
        CLOSEFILE "notes.txt"
        OUTPUT Text
    """, "first", cwd=tmp_path)
    assert (tmp_path / "notes.txt").exists()


def test_eof_on_an_empty_file_means_while_not_eof_runs_zero_times(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    expect("""
        DECLARE Line : STRING
        DECLARE Count : INTEGER
        OPENFILE "empty.txt" FOR READ
        Count <- 0
        OUTPUT EOF("empty.txt")
        WHILE NOT EOF("empty.txt")
            READFILE "empty.txt", Line
            Count <- Count + 1
        ENDWHILE
        CLOSEFILE "empty.txt"
        OUTPUT "count ", Count
    """, "TRUE\ncount 0", cwd=tmp_path)


def test_eof_turns_true_after_the_last_line(tmp_path: Path) -> None:
    (tmp_path / "two.txt").write_text("a\nb", encoding="utf-8")  # no final newline
    expect("""
        DECLARE Line : STRING
        OPENFILE "two.txt" FOR READ
        OUTPUT EOF("two.txt")
        READFILE "two.txt", Line
        OUTPUT Line, " ", EOF("two.txt")
        READFILE "two.txt", Line
        OUTPUT Line, " ", EOF("two.txt")
        CLOSEFILE "two.txt"
    """, "FALSE\na FALSE\nb TRUE", cwd=tmp_path)


def test_readfile_converts_to_the_variables_type(tmp_path: Path) -> None:
    (tmp_path / "values.txt").write_text("41\n60\n2.5\ntrue\nZebra\n  spaced  \n",
                                         encoding="utf-8")
    expect("""
        DECLARE N : INTEGER
        DECLARE W, R : REAL
        DECLARE B : BOOLEAN
        DECLARE C : CHAR
        DECLARE S : STRING
        OPENFILE "values.txt" FOR READ
        READFILE "values.txt", N
        READFILE "values.txt", W
        READFILE "values.txt", R
        READFILE "values.txt", B
        READFILE "values.txt", C
        READFILE "values.txt", S
        CLOSEFILE "values.txt"
        OUTPUT N + 1, " ", W, " ", R * 2, " ", NOT B, " ", C, " [", S, "]"
    """, "42 60.0 5.0 FALSE Z [  spaced  ]", cwd=tmp_path)


def test_readfile_into_array_element_and_record_field(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("7\nAnn\n", encoding="utf-8")
    expect("""
        TYPE Person
            DECLARE Name : STRING
        ENDTYPE
        DECLARE A : ARRAY[1:2] OF INTEGER
        DECLARE P : Person
        OPENFILE "in.txt" FOR READ
        READFILE "in.txt", A[2]
        READFILE "in.txt", P.Name
        CLOSEFILE "in.txt"
        OUTPUT A[2] * 2, " ", P.Name
    """, "14 Ann", cwd=tmp_path)


def test_writefile_of_non_strings_writes_as_output_would(tmp_path: Path) -> None:
    output("""
        DECLARE Flag : BOOLEAN
        Flag <- FALSE
        OPENFILE "out.txt" FOR WRITE
        WRITEFILE "out.txt", 5
        WRITEFILE "out.txt", TRUE
        WRITEFILE "out.txt", Flag
        WRITEFILE "out.txt", 2.5
        WRITEFILE "out.txt", 7 / 2
        WRITEFILE "out.txt", 6 / 2
        WRITEFILE "out.txt", 'c'
        WRITEFILE "out.txt", SETDATE(1, 2, 2003)
        WRITEFILE "out.txt", ""
        WRITEFILE "out.txt", "end"
        CLOSEFILE "out.txt"
    """, cwd=tmp_path)
    written = (tmp_path / "out.txt").read_text(encoding="utf-8")
    assert written == "5\nTRUE\nFALSE\n2.5\n3.5\n3.0\nc\n01/02/2003\n\nend\n"


def test_a_file_written_by_windows_reads_without_carriage_returns(tmp_path: Path) -> None:
    (tmp_path / "win.txt").write_bytes(b"one\r\ntwo\r\n")
    expect("""
        DECLARE Line : STRING
        OPENFILE "win.txt" FOR READ
        WHILE NOT EOF("win.txt")
            READFILE "win.txt", Line
            OUTPUT "[", Line, "] ", LENGTH(Line)
        ENDWHILE
        CLOSEFILE "win.txt"
    """, "[one] 3\n[two] 3", cwd=tmp_path)


def test_append_creates_a_missing_file_and_write_replaces(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("old contents\n", encoding="utf-8")
    output("""
        OPENFILE "new.txt" FOR APPEND
        WRITEFILE "new.txt", "appended"
        CLOSEFILE "new.txt"
        OPENFILE "old.txt" FOR WRITE
        WRITEFILE "old.txt", "replaced"
        CLOSEFILE "old.txt"
    """, cwd=tmp_path)
    assert (tmp_path / "new.txt").read_text(encoding="utf-8") == "appended\n"
    assert (tmp_path / "old.txt").read_text(encoding="utf-8") == "replaced\n"


def test_text_is_utf8(tmp_path: Path) -> None:
    expect("""
        DECLARE S : STRING
        OPENFILE "u.txt" FOR WRITE
        WRITEFILE "u.txt", "café ✓"
        CLOSEFILE "u.txt"
        OPENFILE "u.txt" FOR READ
        READFILE "u.txt", S
        CLOSEFILE "u.txt"
        OUTPUT S, " ", LENGTH(S)
    """, "café ✓ 6", cwd=tmp_path)


# ---------------------------------------------------------------- runtime errors


def test_readfile_of_an_unopened_file_is_a_runtime_error(tmp_path: Path) -> None:
    done = runtime_error("""
        DECLARE S : STRING
        OUTPUT "before"
        READFILE "x.txt", S
    """, cwd=tmp_path)
    assert done.stdout == "before\n"
    assert done.stderr.startswith("Runtime error at line 3: ")
    assert "x.txt" in done.stderr


def test_readfile_of_a_file_opened_for_write_is_a_runtime_error(tmp_path: Path) -> None:
    done = runtime_error("""
        DECLARE S : STRING
        OPENFILE "w.txt" FOR WRITE
        READFILE "w.txt", S
    """, cwd=tmp_path)
    assert done.stderr.startswith("Runtime error at line 3: ")


def test_reading_past_the_end_is_a_runtime_error(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("only\n", encoding="utf-8")
    done = runtime_error("""
        DECLARE S : STRING
        OPENFILE "one.txt" FOR READ
        READFILE "one.txt", S
        OUTPUT S
        READFILE "one.txt", S
        OUTPUT "never"
    """, cwd=tmp_path)
    assert done.stdout == "only\n"
    assert done.stderr.startswith("Runtime error at line 5: ")


def test_readfile_of_a_line_that_does_not_convert_is_a_runtime_error(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text("x1\n", encoding="utf-8")
    done = runtime_error("""
        DECLARE N : INTEGER
        OPENFILE "bad.txt" FOR READ
        READFILE "bad.txt", N
    """, cwd=tmp_path)
    assert done.stderr.startswith("Runtime error at line 3: ")
    assert "x1" in done.stderr


def test_opening_a_missing_file_for_read_is_a_runtime_error(tmp_path: Path) -> None:
    done = runtime_error('OPENFILE "missing.txt" FOR READ', cwd=tmp_path)
    assert done.stderr.startswith("Runtime error at line 1: ")
    assert "missing.txt" in done.stderr


def test_writefile_to_a_file_opened_for_read_is_a_runtime_error(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("", encoding="utf-8")
    done = runtime_error("""
        OPENFILE "r.txt" FOR READ
        WRITEFILE "r.txt", "x"
    """, cwd=tmp_path)
    assert done.stderr.startswith("Runtime error at line 2: ")


def test_eof_of_a_file_not_open_is_a_runtime_error(tmp_path: Path) -> None:
    done = runtime_error("""
        OUTPUT "start"
        OUTPUT EOF("nofile.txt")
    """, cwd=tmp_path)
    assert done.stderr.startswith("Runtime error at line 2: ")


# ---------------------------------------------------------------- not supported, wrong names


def test_random_access_files_store_records_by_address(tmp_path: Path) -> None:
    expect("""
        TYPE Item
            DECLARE Code : INTEGER
            DECLARE Label : STRING
            DECLARE Seen : DATE
            DECLARE Sizes : ARRAY[1:2] OF REAL
        ENDTYPE
        DECLARE R : Item
        DECLARE A : INTEGER
        OPENFILE "d.dat" FOR RANDOM
        FOR A <- 5 TO 1 STEP -2
            R.Code <- A * 100
            R.Label <- "item" & NUM_TO_STR(A)
            R.Seen <- SETDATE(A, 1, 2020)
            R.Sizes[2] <- A / 2
            SEEK "d.dat", A
            PUTRECORD "d.dat", R
        NEXT A
        CLOSEFILE "d.dat"
        OPENFILE "d.dat" FOR RANDOM
        SEEK "d.dat", 3
        GETRECORD "d.dat", R
        CLOSEFILE "d.dat"
        OUTPUT R.Code, " ", R.Label, " ", R.Seen, " ", R.Sizes[2], " ", R.Sizes[1]
    """, "300 item3 03/01/2020 1.5 0.0", cwd=tmp_path)
    assert (tmp_path / "d.dat").exists()


def test_random_access_file_errors(tmp_path: Path) -> None:
    done = runtime_error("""
        DECLARE N : INTEGER
        OPENFILE "e.dat" FOR RANDOM
        SEEK "e.dat", 4
        GETRECORD "e.dat", N
    """, cwd=tmp_path)
    assert done.stderr.startswith("Runtime error at line 4: there is no record at address 4")
    (tmp_path / "bad.dat").write_text("not json", encoding="utf-8")
    bad = runtime_error("""
        OPENFILE "bad.dat" FOR RANDOM
    """, cwd=tmp_path)
    assert "is not a file of records" in bad.stderr
    assert set(error_codes("""
        CLASS Box
            PUBLIC W : INTEGER
        ENDCLASS
        DECLARE B : Box
        DECLARE T : REAL
        OPENFILE "x.dat" FOR RANDOM
        SEEK "x.dat", T
        PUTRECORD "x.dat", B
    """)) >= {"E305", "E312"}


def test_file_name_must_be_a_string() -> None:
    assert "E406" in error_codes("OPENFILE 42 FOR READ")
