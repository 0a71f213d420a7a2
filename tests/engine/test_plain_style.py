"""The plain style: same output as the checked style, ruff-clean, short.

Every program of the repository's corpora (the conformance corpus, the bundled
examples, and any .pseudo file under tests/; docs/language.md's examples are run
by test_docs_language) runs in both styles with the same
input and must print the same; the language tests do the same for each program
they run (language_helpers.output). The plain text must pass ``ruff check`` and
``ruff format --check`` with ruff's default settings (``--isolated``), those and
the page's examples, and on the
bundled examples be at most 1.3 times as many lines as the pseudocode.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from language_helpers import output, plain_of, python_of, run_python, source
from test_docs_language import EXAMPLES as DOC_EXAMPLES

from engine.codegen.plain.layout import string_literal
from engine.translator import TranslationManager

ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = ROOT.parent / "shared" / "conformance"
EXAMPLES = ROOT / "resources" / "examples"
# The examples that read input get this (the guessing game guesses 1, 2, 3 ...).
EXAMPLE_INPUT = {"01_hello_input": "Ada\n3\n",
                 "10_guessing_game": "".join(f"{n}\n" for n in range(1, 101))}
MAX_LINE_RATIO = 1.3


def _corpus() -> list[tuple[str, Path, str]]:
    """(id, program, standard input) of every program that translates without errors."""
    found: list[tuple[str, Path, str]] = []
    paths = sorted(CONFORMANCE.glob("*.pseudo")) + sorted(EXAMPLES.glob("*.pseudo")) + \
        sorted((ROOT / "tests").rglob("*.pseudo"))
    for path in paths:
        given = path.with_suffix(".in")
        stdin = given.read_text(encoding="utf-8") if given.exists() else \
            EXAMPLE_INPUT.get(path.stem, "")
        found.append((f"{path.parent.name}/{path.stem}", path, stdin))
    return found


CORPUS = _corpus()
_manager = TranslationManager()
_manager.force_style = "plain"


def _translate(path: Path):  # noqa: ANN202 - a TranslationResult
    return _manager.translate(path.read_text(encoding="utf-8"))


def _run_seeded(code: str, stdin: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run as a saved program runs, with the random generator seeded the same way in
    both styles (a sitecustomize beside it), so RAND gives the same numbers."""
    (cwd / "site").mkdir()
    (cwd / "site" / "sitecustomize.py").write_text("import random\nrandom.seed(15)\n",
                                                   encoding="utf-8")
    program = cwd / "program.py"
    program.write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(cwd / "site")}
    return subprocess.run([sys.executable, "-X", "utf8", str(program)], input=stdin,
                          capture_output=True, text=True, encoding="utf-8", cwd=cwd,
                          timeout=60, check=False, env=env)


@pytest.mark.parametrize(("name", "path", "stdin"), CORPUS, ids=[c[0] for c in CORPUS])
def test_both_styles_print_the_same(name: str, path: Path, stdin: str, tmp_path: Path) -> None:
    result = _translate(path)
    if not result.success:
        assert "_err_" in path.name or path.with_suffix(".err").exists(), \
            f"{name} does not translate: {[d.format() for d in result.errors]}"
        return
    assert result.plain_code, result.plain_error
    (tmp_path / "checked").mkdir()
    (tmp_path / "plain").mkdir()
    checked = _run_seeded(result.code, stdin, tmp_path / "checked")
    plain = _run_seeded(result.plain_code, stdin, tmp_path / "plain")
    if checked.returncode != 0:
        return  # where the checked style stops with a runtime error, plain may differ
    assert plain.returncode == 0, plain.stderr + result.plain_code
    assert plain.stdout == checked.stdout, result.plain_code
    assert plain.stderr == checked.stderr == ""


def _ruff() -> list[str]:
    exe = shutil.which("ruff")
    if exe is not None:
        return [exe]
    try:
        import ruff  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("ruff is not installed")
        pytest.skip("ruff is not installed")
    return [sys.executable, "-m", "ruff"]


def test_plain_programs_pass_ruff_with_default_settings(tmp_path: Path) -> None:
    """Both ruff check and ruff format --check, default rules (--isolated: no project
    configuration), on the plain text of every program of the corpora."""
    texts = [path.read_text(encoding="utf-8") for _, path, _stdin in CORPUS]
    texts += [example.text for example in DOC_EXAMPLES if example.kind == "pseudocode"]
    written = 0
    for index, text in enumerate(texts):
        result = _manager.translate(text)
        if result.success:
            (tmp_path / f"program_{index:03d}.py").write_text(result.plain_code,
                                                              encoding="utf-8")
            written += 1
    assert written > 70
    ruff = _ruff()
    check = subprocess.run([*ruff, "check", "--isolated", "--no-cache", str(tmp_path)],
                           capture_output=True, text=True, timeout=120, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    form = subprocess.run([*ruff, "format", "--isolated", "--no-cache", "--diff",
                           str(tmp_path)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert form.returncode == 0, form.stdout + form.stderr


def test_examples_are_at_most_1_3_times_the_pseudocode_lines() -> None:
    ratios: dict[str, float] = {}
    for path in sorted(EXAMPLES.glob("*.pseudo")):
        text = path.read_text(encoding="utf-8")
        result = _manager.translate(text)
        assert result.success, path
        ratios[path.stem] = round(len(result.plain_code.splitlines()) /
                                  len(text.splitlines()), 2)
    print(json.dumps({"plain_lines_per_pseudocode_line": ratios}))
    assert len(ratios) >= 10
    assert max(ratios.values()) <= MAX_LINE_RATIO, ratios


# ---------------------------------------------------------------- what the plain style is
def test_the_plain_style_has_no_checked_machinery() -> None:
    text = """
        // Totals
        DECLARE Marks : ARRAY[1:3] OF INTEGER
        DECLARE I : INTEGER
        FOR I <- 1 TO 3
            INPUT Marks[I]
        NEXT I
        OUTPUT "Total: ", Marks[1] + Marks[2] + Marks[3]
    """
    code = plain_of(text)
    for machinery in ("_PSEUDO_LINES", "excepthook", "_Array", "_to_integer", "Runtime error"):
        assert machinery not in code
    assert "Marks: list[int] = [0] * 4" in code  # 1:3 -> four items, item 0 unused
    assert "Marks[I] = int(input())" in code
    assert 'print(f"Total: {Marks[1] + Marks[2] + Marks[3]}")' in code
    assert code.startswith('"""Totals"""\n')
    assert "_PSEUDO_LINES" in python_of(text)  # the checked style keeps its line table


@pytest.mark.parametrize(("bounds", "declaration", "access"), [
    ("0:4", "[0] * 5", "A[0]"),
    ("1:5", "[0] * 6", "A[1]"),
    ("5:9", "[0] * 5", "A[5 - 5]"),
    ("-2:2", "[0] * 5", "A[-2 + 2]"),
])
def test_array_lower_bounds(bounds: str, declaration: str, access: str) -> None:
    low = bounds.split(":")[0]
    text = f"""
        DECLARE A : ARRAY[{bounds}] OF INTEGER
        DECLARE K : INTEGER
        FOR K <- {low} TO {low} + 4
            A[K] <- K * K
        NEXT K
        OUTPUT A[{low}], " ", A[{low} + 4]
    """
    code = plain_of(text)
    assert f"A: list[int] = {declaration}" in code
    first = int(low)
    expected = f"{first * first} {(first + 4) ** 2}\n"
    assert run_python(code).stdout == expected
    assert run_python(python_of(text)).stdout == expected
    assert "_PSEUDO_LINES" not in code and access.split("[")[0] + "[" in code


def test_two_dimensions_and_copies_are_values() -> None:
    text = """
        DECLARE Board, Copy : ARRAY[1:2, 1:3] OF CHAR
        Board[2, 3] <- 'X'
        Copy <- Board
        Board[2, 3] <- 'O'
        OUTPUT Copy[2, 3], Board[2, 3]
    """
    code = plain_of(text)
    assert 'Board: list[list[str]] = [[""] * 4 for _ in range(3)]' in code
    assert "Copy = copy.deepcopy(Board)" in code
    assert run_python(code).stdout == "XO\n"


def test_round_input_and_printing_keep_the_pseudocode_meaning() -> None:
    text = """
        DECLARE R : REAL
        DECLARE B : BOOLEAN
        DECLARE D : DATE
        INPUT R
        INPUT B
        D <- SETDATE(4, 7, 2024)
        OUTPUT ROUND(2.5, 0), " ", ROUND(-2.5, 0), " ", ROUND(R, 1), " ", INT(-3.7)
        OUTPUT B, " ", D, " ", 7 / 2, " ", -7 DIV 2, " ", -7 MOD 2, " ", 5 = 5.0
    """
    code = plain_of(text)
    assert "float(input())" in code and 'input().strip().upper() == "TRUE"' in code
    assert "round_half_up" in code and '"""ROUND: halves go away from zero' in code
    done = run_python(code, "2.25\ntrue\n")
    assert done.stdout == "3 -3 2.3 -3\nTRUE 04/07/2024 3.5 -4 1 TRUE\n", done.stderr
    assert done.stdout == run_python(python_of(text), "2.25\ntrue\n").stdout


def test_byref_is_a_return_value_and_records_are_dataclasses() -> None:
    text = """
        TYPE Point
            DECLARE X : INTEGER
            DECLARE Y : INTEGER
        ENDTYPE
        PROCEDURE Swap(BYREF A : INTEGER, BYREF B : INTEGER)
            DECLARE T : INTEGER
            T <- A
            A <- B
            B <- T
        ENDPROCEDURE
        DECLARE P, Q : Point
        P.X <- 1
        P.Y <- 2
        CALL Swap(P.X, P.Y)
        Q <- P
        Q.X <- 9
        OUTPUT P.X, P.Y, Q.X
    """
    code = plain_of(text)
    assert "@dataclass\nclass Point:" in code and "__future__" not in code
    assert "return (A, B)" in code and "P.X, P.Y = Swap(P.X, P.Y)" in code
    assert "Q = copy.copy(P)" in code
    assert run_python(code).stdout == "219\n"


def test_files_use_with_where_open_and_close_share_a_block(tmp_path: Path) -> None:
    text = """
        DECLARE Line : STRING
        OPENFILE "notes.txt" FOR WRITE
        WRITEFILE "notes.txt", "one"
        WRITEFILE "notes.txt", 2
        CLOSEFILE "notes.txt"
        OPENFILE "notes.txt" FOR READ
        WHILE NOT EOF("notes.txt")
            READFILE "notes.txt", Line
            OUTPUT Line
        ENDWHILE
        CLOSEFILE "notes.txt"
    """
    code = plain_of(text)
    assert 'with open("notes.txt", "w", encoding="utf-8") as notes_file:' in code
    assert "while not at_eof(notes_file):" in code
    assert ".close()" not in code
    assert run_python(code, cwd=tmp_path).stdout == "one\n2\n"


def test_a_file_opened_in_one_routine_and_closed_in_another(tmp_path: Path) -> None:
    text = """
        PROCEDURE Start
            OPENFILE "log.txt" FOR WRITE
        ENDPROCEDURE
        PROCEDURE Stop
            CLOSEFILE "log.txt"
        ENDPROCEDURE
        CALL Start
        WRITEFILE "log.txt", "entry"
        CALL Stop
        OPENFILE "log.txt" FOR READ
        DECLARE Text : STRING
        READFILE "log.txt", Text
        CLOSEFILE "log.txt"
        OUTPUT Text
    """
    code = plain_of(text)
    assert "global log_file" in code and "# noqa: SIM115" in code
    assert run_python(code, cwd=tmp_path).stdout == "entry\n"


def test_where_the_styles_must_differ_plain_fails_as_python_does() -> None:
    """An index outside the bounds, a bad INPUT: a Python traceback, not the checked
    style's one-line message (docs/language.md says so)."""
    text = """
        DECLARE A : ARRAY[1:3] OF INTEGER
        DECLARE N : INTEGER
        INPUT N
        OUTPUT A[N]
    """
    code = plain_of(text)
    bad_index = run_python(code, "7\n")
    assert bad_index.returncode == 1 and "IndexError" in bad_index.stderr
    bad_input = run_python(code, "seven\n")
    assert bad_input.returncode == 1 and "ValueError" in bad_input.stderr
    checked = run_python(python_of(text), "7\n")
    assert checked.stderr.startswith("Runtime error at line 4: index 7 is outside")


def test_a_translation_without_the_plain_style_is_only_checked() -> None:
    manager = TranslationManager()
    result = manager.translate(source('OUTPUT "hi"\n'))
    assert result.plain_code == "" and manager.python_style == "checked"
    assert result.code_in("plain") == result.code  # falls back to what exists


@pytest.mark.parametrize(("text", "literal"), [
    ("plain", '"plain"'), ("it's", '"it\'s"'), ('say "hi"', "'say \"hi\"'"),
    ('a\'b"c', '"a\'b\\"c"'), ("tab\there\n", '"tab\\there\\n"'), ("back\\slash", '"back\\\\slash"'),
])
def test_string_literals_are_written_as_ruff_writes_them(text: str, literal: str) -> None:
    assert string_literal(text) == literal
    assert eval(literal) == text  # noqa: S307 - a literal we made, checked here


# ---------------------------------------------------------------- where users meet it
def _cli(*args: str, stdin: str = "", env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "PSEUDOCODE_CONFIG": str(Path(os.devnull)), **(env or {})}
    return subprocess.run([sys.executable, "-m", "launcher", *args], input=stdin,
                          capture_output=True, text=True, timeout=120, env=environ,
                          check=False)


def test_cli_translate_style_plain_and_checked_by_default(tmp_path: Path) -> None:
    program = tmp_path / "greet.pseudo"
    program.write_text('DECLARE N : INTEGER\nINPUT N\nOUTPUT "Twice: ", N * 2\n',
                       encoding="utf-8")
    checked = _cli("translate", str(program))
    plain = _cli("translate", str(program), "--style", "plain")
    assert checked.returncode == plain.returncode == 0, checked.stderr + plain.stderr
    assert "sys.excepthook" in checked.stdout
    assert plain.stdout == 'N: int = 0\nN = int(input())\nprint(f"Twice: {N * 2}")\n'
    explicit = _cli("translate", str(program), "--style", "checked")
    assert explicit.stdout == checked.stdout
    refused = _cli("translate", str(program), "--style", "fancy")
    assert refused.returncode == 2 and "invalid choice" in refused.stderr
    ran = _cli("run", str(program), stdin="21\n")  # run runs the checked style
    assert ran.stdout == "Twice: 42\n"


def test_the_setting_and_the_batch_folder_honour_the_style(tmp_path: Path) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.pseudo").write_text(f'OUTPUT "{name}", 1\n', encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text("translation:\n  python_style: plain\n", encoding="utf-8")
    shown = _cli("config", "show", "--format", "json", env={"PSEUDOCODE_CONFIG": str(config)})
    assert json.loads(shown.stdout)["translation.python_style"] == {
        "value": "plain", "source": "file"}
    for pool in ("0", "1"):  # in-process, and through the process pool's workers
        out = tmp_path / f"out{pool}"
        done = _cli("translate", str(folder), "--out-dir", str(out),
                    env={"PSEUDOCODE_CONFIG": str(config),
                         "PSEUDOCODE_EXEC_POOL_ENABLED": pool})
        assert done.returncode == 0, done.stderr
        assert (out / "a.py").read_text(encoding="utf-8") == 'print("a1")\n'
        assert (out / "b.py").read_text(encoding="utf-8") == 'print("b1")\n'
    overridden = _cli("translate", str(folder / "a.pseudo"), "--style", "checked",
                      env={"PSEUDOCODE_CONFIG": str(config)})
    assert "print('a', 1, sep='')" in overridden.stdout
    single = _cli("translate", str(folder / "a.pseudo"), env={"PSEUDOCODE_CONFIG": str(config)})
    assert single.stdout == 'print("a1")\n'


LINT_CASES = {
    "int_of_an_integer": "OUTPUT INT(5), INT(7 / 2)\n",
    "empty_line_to_a_file": 'OPENFILE "o.txt" FOR WRITE\nWRITEFILE "o.txt", ""\n'
                            'CLOSEFILE "o.txt"\n',
    "imports_in_order": 'DECLARE X : INTEGER\nOPENFILE "r.dat" FOR RANDOM\nX <- 2 ^ 3\n'
                        'SEEK "r.dat", 1\nPUTRECORD "r.dat", X\nCLOSEFILE "r.dat"\n'
                        "OUTPUT X\n",
    "num_to_str_in_an_fstring": 'OUTPUT "Total: ", NUM_TO_STR(3.5), " and ", 2\n',
    "same_arms_and_nested_if": "DECLARE A : INTEGER\nA <- 3\nCASE OF A\n  1 : OUTPUT 1\n"
                               "  2 : OUTPUT 1\n  OTHERWISE : OUTPUT 0\nENDCASE\n"
                               "IF A > 1 THEN\n  IF A < 5 THEN\n    OUTPUT A\n  ENDIF\nENDIF\n",
    "max_and_literal_logic": "DECLARE M, V : INTEGER\nV <- 4\nIF V > M THEN\n  M <- V\nENDIF\n"
                             "OUTPUT TRUE OR (FALSE AND FALSE), NOT (M = V), 'a' < 'b'\n",
    "function_returning_its_condition": "FUNCTION Big(N : INTEGER) RETURNS BOOLEAN\n"
                                        "  IF N > 9 THEN\n    RETURN TRUE\n  ELSE\n"
                                        "    RETURN FALSE\n  ENDIF\nENDFUNCTION\n"
                                        "OUTPUT Big(12)\n",
}


def test_constructs_ruff_questions_are_written_as_it_asks(tmp_path: Path) -> None:
    """Each of these once gave a ruff finding (UP018, FURB105, I001, RUF010, SIM114,
    SIM102, PLR1730, SIM222, SIM201, PLR0133, SIM103); the meaning stays the same."""
    for name, text in LINT_CASES.items():
        code = plain_of(text)
        (tmp_path / f"{name}.py").write_text(code, encoding="utf-8")
        checked = python_of(text)
        assert run_python(code, cwd=tmp_path).stdout == \
            run_python(checked, cwd=tmp_path).stdout, code
    ruff = _ruff()
    check = subprocess.run([*ruff, "check", "--isolated", "--no-cache", str(tmp_path)],
                           capture_output=True, text=True, timeout=120, check=False)
    assert check.returncode == 0, check.stdout
    form = subprocess.run([*ruff, "format", "--isolated", "--no-cache", "--diff",
                           str(tmp_path)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert form.returncode == 0, form.stdout + form.stderr


def test_copies_share_the_objects_they_hold_as_the_checked_style_does() -> None:
    text = """
        CLASS Box
            PUBLIC V : INTEGER
            PUBLIC PROCEDURE NEW(X : INTEGER)
                V <- X
            ENDPROCEDURE
        ENDCLASS
        TYPE Holder
            DECLARE Item : Box
            DECLARE Count : INTEGER
        ENDTYPE
        DECLARE A, B : ARRAY[1:2] OF Box
        DECLARE H, G : Holder
        A[1] <- NEW Box(1)
        B <- A
        A[1].V <- 5
        H.Item <- NEW Box(2)
        G <- H
        H.Item.V <- 7
        H.Count <- 3
        OUTPUT B[1].V, " ", G.Item.V, " ", G.Count
    """
    code = plain_of(text)
    assert "B = A.copy()" in code and "G = copy.copy(H)" in code
    assert output(text) == "5 7 0\n"  # output() runs the plain style too and compares
