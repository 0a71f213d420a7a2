"""A translation without errors always compiles and runs without a Python-level error
(LANGUAGE.md section 11): whatever the names, sizes and failures."""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from language_helpers import expect, line_of, output, run, run_python, same_in_plain, translate_ok


def test_a_local_declared_after_its_routine_used_the_global() -> None:
    expect("""
        DECLARE X : INTEGER
        X <- 1
        PROCEDURE P
            OUTPUT X
            X <- 5
            DECLARE X : INTEGER
            X <- 6
            OUTPUT X
        ENDPROCEDURE
        CALL P
        OUTPUT X
        """, "1\n6\n5")


def test_user_names_of_modules_the_helpers_import(tmp_path: Path) -> None:
    expect("""
        TYPE Rec
            DECLARE json : INTEGER
            DECLARE os : STRING
        ENDTYPE
        DECLARE os, json, sys, datetime, random, enum, dataclass, field : INTEGER
        DECLARE R : Rec
        os <- 1
        json <- 2
        sys <- 3
        R.json <- 4
        R.os <- "five"
        OPENFILE "r.dat" FOR RANDOM
        SEEK "r.dat", 1
        PUTRECORD "r.dat", R
        GETRECORD "r.dat", R
        CLOSEFILE "r.dat"
        OUTPUT os, json, sys, datetime, random, enum, dataclass, field, R.json, R.os
        OUTPUT RANDOM() < 2, " ", YEAR(NOW()) > 2000
        """, "12300000" + "4five\nTRUE TRUE", cwd=tmp_path)


ENUM_NAMES = """
    TYPE Odd = (mro, name, value, real, self)
    DECLARE V : Odd
    V <- mro
    OUTPUT V, " ", V + 1, " ", value, " ", self - 1
    """
LONG_LITERALS = f"""
    DECLARE X : INTEGER
    X <- {"7" * 5000}
    OUTPUT X MOD 10, " ", LENGTH(NUM_TO_STR(X)), " ", X = {"7" * 5000}
    X <- -{"7" * 5000}1
    OUTPUT X MOD 1000
    """


def _checked_style_prints(text: str) -> str:
    done = run(text)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout


def test_enumeration_values_named_like_what_python_reserves() -> None:
    assert _checked_style_prints(ENUM_NAMES) == "mro name value real\n"


@pytest.mark.parametrize("text", [ENUM_NAMES, LONG_LITERALS], ids=["enum", "long"])
def test_the_plain_style_prints_the_same(text: str) -> None:
    same_in_plain(text, "", None, _checked_style_prints(text))


def test_class_members_named_like_python_names() -> None:
    expect("""
        CLASS Box
            PRIVATE self : INTEGER
            PRIVATE len : STRING
            PUBLIC PROCEDURE NEW(type : INTEGER)
                self <- type
                len <- "p"
            ENDPROCEDURE
            PUBLIC FUNCTION mro() RETURNS INTEGER
                RETURN self
            ENDFUNCTION
            PUBLIC FUNCTION str() RETURNS STRING
                RETURN len
            ENDFUNCTION
        ENDCLASS
        DECLARE B : Box
        B <- NEW Box(7)
        OUTPUT B.mro(), B.str()
        """, "7p")


def test_a_case_with_6000_labels_and_an_elseif_chain_of_2000() -> None:
    labels = "\n".join(f"    {i} : OUTPUT {i * 2}" for i in range(6000))
    assert output(f"DECLARE X : INTEGER\nX <- 5999\nCASE OF X\n{labels}\n"
                  "    OTHERWISE : OUTPUT -1\nENDCASE\n") == "11998\n"
    chain = "\n".join(f"ELSEIF X = {i} THEN\n    OUTPUT {i}" for i in range(1, 2000))
    program = f"DECLARE X : INTEGER\nX <- 1998\nIF X = 0 THEN\n    OUTPUT 0\n{chain}\n" \
              "ELSE\n    OUTPUT -1\nENDIF\n"
    assert output(program) == "1998\n"
    assert output(program.replace("X <- 1998", "X <- 5000")) == "-1\n"


def test_a_long_chain_names_the_line_of_a_failing_branch() -> None:
    chain = "\n".join(f"ELSEIF X = {i} THEN\n    OUTPUT {i}" for i in range(1, 500))
    program = f"DECLARE X : INTEGER\nX <- 0\nIF X = 1 THEN\n    OUTPUT 0\n{chain}\n" \
              "ELSEIF 1 / X > 0 THEN\n    OUTPUT 1\nENDIF\n"
    done = run_python(translate_ok(program).code)
    assert done.stderr == f"Runtime error at line {line_of(program, '1 / X')}: " \
                          "division by zero\n"


def test_integer_literals_of_more_than_4300_digits() -> None:
    assert _checked_style_prints(LONG_LITERALS) == "7 5000 TRUE\n229\n"


def _program(text: str, tmp_path: Path) -> Path:
    path = tmp_path / "program.py"
    path.write_text(translate_ok(text).code, encoding="utf-8")
    return path


def test_out_of_memory_is_one_runtime_error_line(tmp_path: Path) -> None:
    text = 'DECLARE S : STRING\nS <- "ab"\nWHILE TRUE\n    S <- S & S\nENDWHILE\n'
    path = _program(text, tmp_path)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (600 * 2 ** 20, 600 * 2 ** 20))

    done = subprocess.run([sys.executable, "-I", str(path)], capture_output=True, text=True,
                          timeout=120, preexec_fn=limit, check=False)
    assert done.returncode == 1
    assert done.stderr == "Runtime error at line 4: the program ran out of memory\n"


def test_ctrl_c_is_program_stopped(tmp_path: Path) -> None:
    path = _program('WHILE TRUE\n    OUTPUT "x"\nENDWHILE\n', tmp_path)
    child = subprocess.Popen([sys.executable, "-I", str(path)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=30)
    assert stderr == "Program stopped.\n"


def test_a_closed_output_pipe_is_one_runtime_error_line(tmp_path: Path) -> None:
    path = _program('WHILE TRUE\n    OUTPUT "x"\nENDWHILE\n', tmp_path)
    child = subprocess.Popen([sys.executable, "-I", str(path)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    child.stdout.readline()
    child.stdout.close()
    _, stderr = child.communicate(timeout=30)
    assert child.returncode == 1
    assert stderr == "Runtime error at line 2: the output was closed before the program " \
                     "ended\n"


def test_hundreds_of_calls_with_operators_in_their_arguments() -> None:
    # The parser's limit of 150 operators is per expression, not per program.
    calls = "\n".join("CALL Add(N + 1, N * 2 - 1)" for _ in range(400))
    assert output(f"""
        DECLARE N, Total : INTEGER
        PROCEDURE Add(A : INTEGER, B : INTEGER)
            Total <- Total + A + B
        ENDPROCEDURE
        N <- 1
        {calls}
        OUTPUT Total
        """.replace("\n        CALL", "\nCALL")) == "1200\n"


def test_an_inherits_chain_deeper_than_a_hundred_classes() -> None:
    classes = "\n".join(f"CLASS C{i} INHERITS C{i - 1}\nENDCLASS" for i in range(1, 300))
    assert output(f"""
CLASS C0
    PRIVATE Name : STRING
    PUBLIC PROCEDURE NEW(N : STRING)
        Name <- N
    ENDPROCEDURE
    PUBLIC FUNCTION GetName() RETURNS STRING
        RETURN Name
    ENDFUNCTION
ENDCLASS
{classes}
DECLARE P : C0
P <- NEW C299("deep")
OUTPUT P.GetName()
""") == "deep\n"
