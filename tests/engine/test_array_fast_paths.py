"""Arrays read their list directly (``A.items[J - 1]``): the fast paths stay checked.

Every kind of index that can be out of bounds, read and written, must still stop the
program with ``Runtime error at line N: index X is outside ARRAY[...]``; the checks
the generator proves unnecessary must really be unnecessary; and programs give the
same results through the fast paths as through the general checked path.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from language_helpers import (
    line_of,
    plain_of,
    python_of,
    run_python,
    runtime_error,
    translate,
)

from engine.codegen.generator import Generator
from engine.translator import translate_text

ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = ROOT.parent / "shared" / "conformance"

# (name, program, the fragment on the failing line, the message)
OUT_OF_BOUNDS = [
    ("loop variable past the upper end, write", """
        DECLARE A : ARRAY[1:10] OF INTEGER
        DECLARE I : INTEGER
        FOR I <- 1 TO 11
            A[I] <- I
        NEXT I
     """, "A[I] <- I", "index 11 is outside ARRAY[1:10]"),
    ("loop variable below the lower end, read", """
        DECLARE A : ARRAY[1:10] OF INTEGER
        DECLARE I, S : INTEGER
        S <- 0
        FOR I <- 0 TO 10
            S <- S + A[I]
        NEXT I
     """, "S <- S + A[I]", "index 0 is outside ARRAY[1:10]"),
    ("loop counting down below the lower end, write", """
        DECLARE A : ARRAY[1:5] OF INTEGER
        DECLARE I : INTEGER
        FOR I <- 5 TO 0 STEP -1
            A[I] <- 1
        NEXT I
     """, "A[I] <- 1", "index 0 is outside ARRAY[1:5]"),
    ("expression of the loop variable, read", """
        CONSTANT N = 10
        DECLARE A : ARRAY[1:N] OF INTEGER
        DECLARE J, T : INTEGER
        FOR J <- 1 TO N
            T <- A[J + 1]
        NEXT J
     """, "T <- A[J + 1]", "index 11 is outside ARRAY[1:10]"),
    ("expression of the loop variable, write", """
        DECLARE A : ARRAY[1:10] OF INTEGER
        DECLARE J : INTEGER
        FOR J <- 1 TO 10
            A[J - 1] <- J
        NEXT J
     """, "A[J - 1] <- J", "index 0 is outside ARRAY[1:10]"),
    ("variable index, write", """
        DECLARE A : ARRAY[1:10] OF INTEGER
        DECLARE K : INTEGER
        K <- 11
        A[K] <- 1
     """, "A[K] <- 1", "index 11 is outside ARRAY[1:10]"),
    ("negative index that a list would wrap, read", """
        DECLARE A : ARRAY[1:10] OF INTEGER
        DECLARE K : INTEGER
        K <- -1
        OUTPUT A[K]
     """, "OUTPUT A[K]", "index -1 is outside ARRAY[1:10]"),
    ("negative bounds, below, write", """
        DECLARE A : ARRAY[-3:3] OF INTEGER
        DECLARE K : INTEGER
        K <- -4
        A[K] <- 1
     """, "A[K] <- 1", "index -4 is outside ARRAY[-3:3]"),
    ("negative bounds, above, read", """
        DECLARE A : ARRAY[-3:3] OF INTEGER
        DECLARE K : INTEGER
        K <- 4
        OUTPUT A[K]
     """, "OUTPUT A[K]", "index 4 is outside ARRAY[-3:3]"),
    ("lower bound not 1, below, read", """
        DECLARE A : ARRAY[5:9] OF INTEGER
        DECLARE I : INTEGER
        FOR I <- 4 TO 9
            OUTPUT A[I]
        NEXT I
     """, "OUTPUT A[I]", "index 4 is outside ARRAY[5:9]"),
    ("lower bound not 1, above, write", """
        DECLARE A : ARRAY[5:9] OF INTEGER
        DECLARE I : INTEGER
        FOR I <- 5 TO 10
            A[I] <- I
        NEXT I
     """, "A[I] <- I", "index 10 is outside ARRAY[5:9]"),
    ("2-D, first index, write", """
        DECLARE B : ARRAY[1:3, 1:4] OF INTEGER
        DECLARE R, C : INTEGER
        FOR R <- 1 TO 4
            FOR C <- 1 TO 4
                B[R, C] <- R * C
            NEXT C
        NEXT R
     """, "B[R, C] <- R * C", "index 4 is outside ARRAY[1:3, 1:4]"),
    ("2-D, second index, read", """
        DECLARE B : ARRAY[1:3, 0:2] OF INTEGER
        DECLARE R, C, S : INTEGER
        S <- 0
        FOR R <- 1 TO 3
            FOR C <- 0 TO 3
                S <- S + B[R, C]
            NEXT C
        NEXT R
     """, "S <- S + B[R, C]", "index 3 is outside ARRAY[1:3, 0:2]"),
    ("2-D, negative second index, read", """
        DECLARE B : ARRAY[1:3, 1:3] OF INTEGER
        DECLARE C : INTEGER
        C <- -1
        OUTPUT B[2, C]
     """, "OUTPUT B[2, C]", "index -1 is outside ARRAY[1:3, 1:3]"),
    ("index read from another array", """
        DECLARE A : ARRAY[1:3] OF INTEGER
        DECLARE P : ARRAY[1:3] OF INTEGER
        P[2] <- 7
        OUTPUT A[P[2]]
     """, "OUTPUT A[P[2]]", "index 7 is outside ARRAY[1:3]"),
    ("index from a function call (general path)", """
        FUNCTION Seven() RETURNS INTEGER
            RETURN 7
        ENDFUNCTION
        DECLARE A : ARRAY[1:3] OF INTEGER
        A[Seven()] <- 1
     """, "A[Seven()] <- 1", "index 7 is outside ARRAY[1:3]"),
    ("local array in a procedure", """
        PROCEDURE Fill(Count : INTEGER)
            DECLARE L : ARRAY[1:4] OF INTEGER
            DECLARE I : INTEGER
            FOR I <- 1 TO Count
                L[I] <- I
            NEXT I
        ENDPROCEDURE
        CALL Fill(5)
     """, "L[I] <- I", "index 5 is outside ARRAY[1:4]"),
    ("array field of a record", """
        TYPE Pupil
            DECLARE Marks : ARRAY[1:3] OF INTEGER
        ENDTYPE
        DECLARE P : Pupil
        DECLARE I : INTEGER
        FOR I <- 1 TO 4
            P.Marks[I] <- I
        NEXT I
     """, "P.Marks[I] <- I", "index 4 is outside ARRAY[1:3]"),
    ("array of records", """
        TYPE Pupil
            DECLARE Mark : INTEGER
        ENDTYPE
        DECLARE Group : ARRAY[1:3] OF Pupil
        DECLARE I : INTEGER
        I <- 0
        OUTPUT Group[I].Mark
     """, "OUTPUT Group[I].Mark", "index 0 is outside ARRAY[1:3]"),
    ("open array parameter (general path)", """
        PROCEDURE Clear(BYREF V : ARRAY OF INTEGER)
            DECLARE I : INTEGER
            FOR I <- 1 TO 6
                V[I] <- 0
            NEXT I
        ENDPROCEDURE
        DECLARE A : ARRAY[1:5] OF INTEGER
        CALL Clear(A)
     """, "V[I] <- 0", "index 6 is outside ARRAY[1:5]"),
    ("class attribute array", """
        CLASS Box
            PUBLIC Items : ARRAY[1:2] OF INTEGER
            PUBLIC PROCEDURE Put(Where : INTEGER)
                Items[Where] <- 1
            ENDPROCEDURE
        ENDCLASS
        DECLARE B : Box
        B <- NEW Box()
        CALL B.Put(3)
     """, "Items[Where] <- 1", "index 3 is outside ARRAY[1:2]"),
    ("loop variable changed in the body", """
        DECLARE A : ARRAY[1:10] OF INTEGER
        DECLARE I : INTEGER
        FOR I <- 1 TO 10
            I <- I + 5
            A[I] <- 1
        NEXT I
     """, "A[I] <- 1", "index 11 is outside ARRAY[1:10]"),
    ("global loop variable changed by a procedure", """
        DECLARE A : ARRAY[1:10] OF INTEGER
        DECLARE I : INTEGER
        PROCEDURE Jump()
            I <- 12
        ENDPROCEDURE
        FOR I <- 1 TO 10
            CALL Jump()
            A[I] <- 1
        NEXT I
     """, "A[I] <- 1", "index 12 is outside ARRAY[1:10]"),
    ("global loop variable changed by a procedure a procedure calls", """
        DECLARE A : ARRAY[1:10] OF INTEGER
        DECLARE I : INTEGER
        PROCEDURE Jump()
            I <- 13
        ENDPROCEDURE
        PROCEDURE Step()
            CALL Jump()
        ENDPROCEDURE
        FOR I <- 1 TO 10
            CALL Step()
            A[I] <- 1
        NEXT I
     """, "A[I] <- 1", "index 13 is outside ARRAY[1:10]"),
    ("global loop variable changed through a pointer by a procedure", """
        TYPE IntPtr = ^INTEGER
        DECLARE A : ARRAY[1:10] OF INTEGER
        DECLARE I : INTEGER
        DECLARE P : IntPtr
        PROCEDURE Jump()
            P^ <- 12
        ENDPROCEDURE
        P <- @I
        FOR I <- 1 TO 10
            CALL Jump()
            A[I] <- 1
        NEXT I
     """, "A[I] <- 1", "index 12 is outside ARRAY[1:10]"),
    ("loop variable passed BYREF and changed", """
        PROCEDURE Jump(BYREF X : INTEGER)
            X <- 20
        ENDPROCEDURE
        PROCEDURE Main()
            DECLARE A : ARRAY[1:10] OF INTEGER
            DECLARE I : INTEGER
            FOR I <- 1 TO 10
                CALL Jump(I)
                A[I] <- 1
            NEXT I
        ENDPROCEDURE
        CALL Main()
     """, "A[I] <- 1", "index 20 is outside ARRAY[1:10]"),
    ("array replaced through a BYREF parameter with other bounds", """
        DECLARE Small : ARRAY[1:3] OF INTEGER
        DECLARE Big : ARRAY[1:5] OF INTEGER
        DECLARE I : INTEGER
        PROCEDURE Swap(BYREF V : ARRAY OF INTEGER)
            V <- Small
        ENDPROCEDURE
        CALL Swap(Big)
        FOR I <- 1 TO 5
            Big[I] <- I
        NEXT I
     """, "Big[I] <- I", "index 4 is outside ARRAY[1:3]"),
]


# A FOR variable a pointer may change, wherever the @ is written: the validator marks the
# variable when it checks the @ (Symbol.address_taken), and the loop keeps its checks.
POINTED_AT = [
    ("address taken only inside a routine", """
        TYPE IntPtr = ^INTEGER
        DECLARE A : ARRAY[1:10] OF INTEGER
        DECLARE I : INTEGER
        DECLARE P : IntPtr
        PROCEDURE Aim()
            P <- @I
        ENDPROCEDURE
        PROCEDURE Jump()
            P^ <- 12
        ENDPROCEDURE
        CALL Aim()
        FOR I <- 1 TO 10
            CALL Jump()
            A[I] <- 1
        NEXT I
     """, "A[I] <- 1", "index 12 is outside ARRAY[1:10]"),
    ("address kept in a record field", """
        TYPE IntPtr = ^INTEGER
        TYPE Holder
            DECLARE Where : IntPtr
        ENDTYPE
        DECLARE A : ARRAY[1:10] OF INTEGER
        DECLARE I : INTEGER
        DECLARE H : Holder
        PROCEDURE Jump()
            H.Where^ <- 14
        ENDPROCEDURE
        H.Where <- @I
        FOR I <- 1 TO 10
            CALL Jump()
            A[I] <- 1
        NEXT I
     """, "A[I] <- 1", "index 14 is outside ARRAY[1:10]"),
    ("address taken after the loop, before its second run", """
        TYPE IntPtr = ^INTEGER
        DECLARE A : ARRAY[1:10] OF INTEGER
        DECLARE I, Round : INTEGER
        DECLARE P : IntPtr
        PROCEDURE Jump()
            P^ <- 15
        ENDPROCEDURE
        FOR Round <- 1 TO 2
            FOR I <- 1 TO 10
                IF Round = 2 THEN
                    CALL Jump()
                ENDIF
                A[I] <- 1
            NEXT I
            P <- @I
        NEXT Round
     """, "A[I] <- 1", "index 15 is outside ARRAY[1:10]"),
]


@pytest.mark.parametrize(("program", "fragment", "message"),
                         [case[1:] for case in POINTED_AT], ids=[case[0] for case in POINTED_AT])
def test_a_loop_variable_a_pointer_may_change_keeps_its_checks(
        program: str, fragment: str, message: str) -> None:
    line = line_of(program, fragment)
    done = runtime_error(program)
    assert done.stderr == f"Runtime error at line {line}: {message}\n", done.code
    # The plain style has no bounds checks (plain lists): the same slip fails there too.
    plain = run_python(plain_of(program))
    assert plain.returncode == 1 and "IndexError" in plain.stderr, plain.stdout + plain.stderr


@pytest.mark.parametrize(("program", "fragment", "message"),
                         [case[1:] for case in OUT_OF_BOUNDS],
                         ids=[case[0] for case in OUT_OF_BOUNDS])
def test_out_of_bounds_index_stops_with_its_line(program: str, fragment: str,
                                                  message: str) -> None:
    done = runtime_error(program)
    line = line_of(program, fragment)
    assert done.stderr == f"Runtime error at line {line}: {message}\n", done.code


def test_a_constant_index_out_of_bounds_is_reported_before_running() -> None:
    result = translate("""
        DECLARE A : ARRAY[2:4] OF INTEGER
        A[5] <- 1
        OUTPUT A[1]
    """)
    assert [(d.code, d.line) for d in result.errors] == [("E307", 2), ("E307", 3)]


def test_a_real_index_that_slips_through_names_the_problem() -> None:
    done = runtime_error("""
        DECLARE A : ARRAY[1:4] OF INTEGER
        DECLARE K, P : INTEGER
        P <- -1
        K <- 2 ^ P
        OUTPUT A[K]
    """)
    assert done.stderr.startswith("Runtime error at line 5: "), done.stderr
    assert "INTEGER" in done.stderr and "Traceback" not in done.stderr


def test_bubble_sort_runs_without_checks_and_reads_the_list() -> None:
    code = python_of("""
        CONSTANT N = 8
        DECLARE A : ARRAY[1:N] OF INTEGER
        DECLARE I, J, T : INTEGER
        FOR I <- 1 TO N - 1
            FOR J <- 1 TO N - I
                IF A[J] > A[J + 1] THEN
                    T <- A[J]
                    A[J] <- A[J + 1]
                    A[J + 1] <- T
                ENDIF
            NEXT J
        NEXT I
    """)
    assert "if A.items[J - 1] > A.items[J]:" in code
    assert "A.items[J - 1] = A.items[J]" in code and "A.items[J] = T" in code
    assert "offset(" not in code.split("sys.excepthook")[-1]


def test_a_call_that_cannot_change_the_global_loop_variable_keeps_the_proof() -> None:
    code = python_of("""
        DECLARE A : ARRAY[1:10] OF INTEGER
        DECLARE I, Total : INTEGER
        FUNCTION Twice(X : INTEGER) RETURNS INTEGER
            RETURN X * 2
        ENDFUNCTION
        PROCEDURE Add(BYREF Sum : INTEGER, Value : INTEGER)
            Sum <- Sum + Value
        ENDPROCEDURE
        FOR I <- 1 TO 10
            A[I] <- Twice(I)
            CALL Add(Total, A[I])
        NEXT I
    """)
    assert "A.items[I - 1] = Twice(I)" in code
    assert "Total, A.items[I - 1] = Add(Total, A.items[I - 1])" in code


def test_checks_stay_where_nothing_is_proven() -> None:
    code = python_of("""
        DECLARE A : ARRAY[0:9, 1:3] OF INTEGER
        DECLARE I, C : INTEGER
        I <- 0
        WHILE I < 10
            FOR C <- 2 TO 3
                A[I, C] <- A[I, C - 1]
            NEXT C
            I <- I + 1
        ENDWHILE
    """)
    body = code.split("sys.excepthook")[-1]
    # I is unknown: both ends checked; C - 1 runs from 1 to 2 and C from 2 to 3: no check.
    assert ("A.items[I if 0 <= I <= 9 else A.offset((I, C))[0]][C - 1] = "
            "A.items[I if 0 <= I <= 9 else A.offset((I, C - 1))[0]][C - 2]") in body


def test_only_the_unproven_end_is_checked() -> None:
    code = python_of("""
        DECLARE A : ARRAY[1:10] OF INTEGER
        DECLARE I, N : INTEGER
        N <- 10
        FOR I <- 1 TO N
            A[I] <- I
        NEXT I
    """)
    assert "A.items[I - 1 if I <= 10 else A.offset(I)] = I" in code


def test_fast_paths_stay_readable_python() -> None:
    code = python_of("""
        DECLARE Board : ARRAY[1:3, 1:3] OF CHAR
        DECLARE R, C : INTEGER
        FOR R <- 1 TO 3
            FOR C <- 1 TO 3
                Board[R, C] <- '.'
            NEXT C
        NEXT R
        OUTPUT Board[2, 2]
    """)
    assert "Board.items[R - 1][C - 1] = '.'" in code
    assert "print(Board.items[1][1])" in code


# ------------------------------------------------------------------ same results
def _programs() -> list[tuple[str, str, str]]:
    """(name, pseudocode, stdin) of every runnable program of the repository's corpora.

    Programs that depend on chance or the date are left out: two runs differ anyway."""
    found: list[tuple[str, str, str]] = []
    folders = [ROOT / "resources" / "examples", ROOT / "examples" / "speed"]
    if CONFORMANCE.is_dir():
        folders.append(CONFORMANCE)
    for folder in folders:
        for path in sorted(folder.glob("*.pseudo")):
            text = path.read_text(encoding="utf-8")
            if re.search(r"\b(RANDOM|RAND|NOW|TODAY)\b", text) or path.stem == "sort":
                continue
            stdin_path = path.with_suffix(".in")
            stdin = stdin_path.read_text(encoding="utf-8") if stdin_path.exists() else "3\n" * 40
            found.append((f"{folder.name}/{path.stem}", text, stdin))
    return found


PROGRAMS = _programs()


@pytest.mark.parametrize(("text", "stdin"), [p[1:] for p in PROGRAMS],
                         ids=[p[0] for p in PROGRAMS])
def test_fast_paths_give_the_results_of_the_general_path(
        text: str, stdin: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = translate_text(text)
    if not fast.success:
        assert fast.errors  # the error corpus: nothing to run
        return
    monkeypatch.setattr(Generator, "direct_arrays", False)
    general = translate_text(text)
    assert general.success
    runs = []
    for code, folder in ((fast.code, tmp_path / "fast"), (general.code, tmp_path / "general")):
        folder.mkdir()
        done = run_python(code, stdin, cwd=folder)
        files = {p.name: p.read_bytes() for p in folder.iterdir()}
        runs.append((done.returncode, done.stdout, done.stderr, files))
    assert runs[0] == runs[1]

