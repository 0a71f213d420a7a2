"""Text from the pseudocode never becomes Python code (LANGUAGE.md section 11).

Identifiers, strings and comments crafted to break out of their place must give
either a diagnostic or inert, correct Python: the text printed exactly and no
code of the attacker's run. Generated code must also compile and lint clean.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from language_helpers import (
    codes,
    error_codes,
    expect,
    output,
    python_of,
    run_python,
    source,
    translate,
    translate_ok,
)

from engine.language.diagnostics import Severity

# Text that is dangerous in Python source, in f-strings, in %-formatting or in a terminal.
NASTY_TEXTS = [
    "it's",
    "back\\slash\\",
    "\\n\\t\\x41\\u0041\\N{DIGIT ONE}\\0",
    "'''",
    "{x} {0} {{}} %s %d %% $x #{y}",
    "nul\x00byte",
    "tab\there",
    "line\u2028sep\u2029para\x85nel\x0cff\x0bvt\x1cfs",
    "bidi \u202e reversed \u200b zero-width",
    "emoji \U0001f600 and accents \u00e9\u00e8",
    "# not a comment",
    "print(open('x').read())",
    "__import__('os').system('echo PWNED')",
    "\\",
]


def assert_compiles(code: str) -> None:
    compile(code, "generated.py", "exec")


@pytest.mark.parametrize("text", NASTY_TEXTS)
def test_string_literals_are_printed_exactly(text: str) -> None:
    result = translate_ok(f'DECLARE S : STRING\nS <- "{text}"\nOUTPUT S\nOUTPUT "{text}", LENGTH(S)')
    assert_compiles(result.code)
    done = run_python(result.code)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{text}\n{text}{len(text)}\n"
    assert "PWNED" not in done.stdout.replace(text, "")


def test_all_nasty_strings_in_one_file_run_from_disk(tmp_path: Path) -> None:
    lines = [f'OUTPUT "{text}"' for text in NASTY_TEXTS]
    code = python_of("// -*- coding: latin-1 -*-\n" + "\n".join(lines))
    path = tmp_path / "program.py"
    path.write_text(code, encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", "-X", "utf8", str(path)], capture_output=True,
                          text=True, encoding="utf-8", timeout=20, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "".join(f"{text}\n" for text in NASTY_TEXTS)


@pytest.mark.parametrize("char", ['"', "\\", "{", "}", "%", "#", "\x00", "\u2028"])
def test_char_literals_are_printed_exactly(char: str) -> None:
    result = translate_ok(f"DECLARE C : CHAR\nC <- '{char}'\nOUTPUT C, ASC(C)")
    assert_compiles(result.code)
    done = run_python(result.code)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{char}{ord(char)}\n"


@pytest.mark.parametrize("text", [
    'OUTPUT "a"); import os; print("b"',
    'OUTPUT "a" + __import__("os").getcwd()',
    'OUTPUT "unterminated',
    "OUTPUT 'ab'",
    'OUTPUT "x" # comment',
    "OUTPUT `whoami`",
    "DECLARE X : INTEGER; import os",
    'exec("print(1)")',
    "OUTPUT 1; OUTPUT 2",
    "OUTPUT 0x10",
    "OUTPUT 1_000",
    "OUTPUT 1e5",
    "OUTPUT {1}",
    "OUTPUT [1]",
    "OUTPUT lambda",
])
def test_python_written_as_pseudocode_is_a_diagnostic(text: str) -> None:
    result = translate(text)
    assert not result.success and result.code == ""
    assert result.errors
    assert "E900" not in codes(result)


def test_string_that_ends_early_is_a_diagnostic_not_code() -> None:
    # A pseudocode string has no escapes: the second quote ends it.
    assert error_codes('OUTPUT "He said \\"hi\\""')


# ---------------------------------------------------------------- comments


@pytest.mark.parametrize("comment", [
    '"""', "'''", "\\", "ends with a backslash \\", "\x0c import os", "\u2028import os",
    "\u2029import os", "\x85import os", "\x1cimport os", "\x1dimport os", "\x1eimport os",
    "\x0bimport os", "\x00import os", "*/ import os /*", "# type: ignore", "-*- coding: latin-1 -*-",
    "noqa", "print('PWNED')",
])
def test_comments_stay_comments(comment: str) -> None:
    text = f"// {comment}\nOUTPUT \"caf\u00e9\" // {comment}\nOUTPUT 2\n// {comment}"
    result = translate_ok(text)
    assert_compiles(result.code)
    body = result.code[result.code.index("print("):]
    assert "import os" not in [line.strip() for line in body.splitlines()]
    assert len(result.code.splitlines()) == len(result.code.split("\n")) - 1
    done = run_python(result.code)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "caf\u00e9\n2\n"


def test_carriage_return_in_a_comment_is_a_line_break_of_the_pseudocode() -> None:
    # "\r" ends a line in pseudocode as in Python: what follows is pseudocode, checked as such.
    assert error_codes("// note\rimport os")
    assert error_codes("OUTPUT 1 // note\r__import__('os').system('echo PWNED')")
    assert output("// note\rOUTPUT 3") == "3\n"


def test_comment_text_is_kept_readably() -> None:
    code = python_of('// say "hi" \\ done\nOUTPUT "hi"')
    assert '# say "hi" \\ done' in code.splitlines()


# ---------------------------------------------------------------- identifiers


@pytest.mark.parametrize("name", ["__import__", "_private", "os.system", "café", "\u0430bc",
                                  "a$b", "x-y", "1abc"])
def test_names_that_are_not_identifiers_are_diagnostics(name: str) -> None:
    result = translate(f"DECLARE {name} : INTEGER\n{name} <- 1\nOUTPUT {name}")
    assert not result.success and result.errors
    assert "E900" not in codes(result)


PYTHON_NAMES = ["os", "exec", "eval", "compile", "globals", "locals", "vars", "getattr", "open",
                "breakpoint", "sys", "self", "None", "import", "lambda", "async", "await",
                "nonlocal", "list", "len", "str", "sum", "max", "id", "object", "range", "float",
                "int_", "print", "input", "class", "type", "match", "datetime", "enum",
                "dataclass", "field", "Decimal", "annotations", "super_", "cls", "Exception",
                "quit", "exit", "help", "copyright", "dir", "format", "repr", "bool", "tuple"]


def test_variables_named_like_python_keywords_builtins_and_modules() -> None:
    declare = f"DECLARE {', '.join(PYTHON_NAMES)} : INTEGER"
    assigns = [f"{name} <- {index}" for index, name in enumerate(PYTHON_NAMES, start=1)]
    sums = " + ".join(PYTHON_NAMES)
    expect("\n".join([declare, *assigns, f"OUTPUT {sums}", f"OUTPUT {PYTHON_NAMES[-1]}"]),
           f"{sum(range(1, len(PYTHON_NAMES) + 1))}\n{len(PYTHON_NAMES)}")


def test_clashing_names_work_next_to_the_features_that_use_python_names() -> None:
    # print/input/str/len/float/globals/datetime/Decimal/dataclass/field/enum are all used by
    # the generated program itself (OUTPUT, INPUT, NUM_TO_STR, LENGTH, REAL, pointers, dates,
    # ROUND, records, enumerations).
    expect("""
        TYPE Rec
            DECLARE Marks : ARRAY[1:2] OF INTEGER
        ENDTYPE
        TYPE Colour = (Red, Green)
        TYPE IntPointer = ^INTEGER
        DECLARE print, input, str, len, float, globals, datetime, Decimal : INTEGER
        DECLARE dataclass, field, enum, sys, range, int_ : INTEGER
        DECLARE R : REAL
        DECLARE P : IntPointer
        DECLARE Rc : Rec
        DECLARE C : Colour
        DECLARE Line : STRING
        INPUT Line
        print <- 1
        input <- 2
        str <- 3
        len <- 4
        float <- 5
        globals <- 6
        datetime <- 7
        Decimal <- 8
        dataclass <- 9
        field <- 10
        enum <- 11
        sys <- 12
        range <- 13
        int_ <- 14
        R <- len
        P <- @globals
        P^ <- P^ + 100
        Rc.Marks[2] <- field
        C <- Green
        OUTPUT Line, " ", NUM_TO_STR(str), " ", LENGTH(Line), " ", R, " ", globals
        OUTPUT SETDATE(1, 2, 2003), " ", ROUND(2.5, 0) + Decimal, " ", Rc.Marks[2], " ", C
        OUTPUT print + input + dataclass + enum + sys + range + int_ + float + datetime
    """, "hello 3 5 4.0 106\n01/02/2003 11 10 Green\n74", stdin="hello\n")


def test_routines_and_parameters_named_like_python_builtins() -> None:
    expect("""
        FUNCTION len(list : INTEGER, str : STRING) RETURNS INTEGER
            RETURN list + LENGTH(str)
        ENDFUNCTION
        PROCEDURE exec(BYREF eval : INTEGER)
            eval <- eval * 2
        ENDPROCEDURE
        PROCEDURE print(input : STRING)
            OUTPUT "[", input, "]"
        ENDPROCEDURE
        DECLARE globals : INTEGER
        globals <- len(1, "abc")
        CALL exec(globals)
        CALL print(NUM_TO_STR(globals))
        OUTPUT globals
    """, "[8]\n8")


def test_record_fields_enum_values_and_classes_named_like_python_words() -> None:
    expect("""
        TYPE Rec
            DECLARE from : INTEGER
            DECLARE def : STRING
            DECLARE items : INTEGER
        ENDTYPE
        CLASS object
            PUBLIC import : INTEGER
            PUBLIC PROCEDURE NEW(self : INTEGER)
                import <- self
            ENDPROCEDURE
            PUBLIC FUNCTION pass() RETURNS INTEGER
                RETURN import + 1
            ENDFUNCTION
        ENDCLASS
        TYPE Kind = (lambda, yield, Other)
        DECLARE R : Rec
        DECLARE O : object
        DECLARE K : Kind
        R.from <- 5
        R.def <- "d"
        R.items <- 2
        O <- NEW object(41)
        K <- yield
        OUTPUT R.from, R.def, R.items, " ", O.pass(), " ", O.import, " ", K > lambda
    """, "5d2 42 41 TRUE")


def test_no_internal_error_on_deep_nesting_or_huge_input() -> None:
    result = translate("OUTPUT " + "(" * 1000 + "1" + ")" * 1000)
    assert result.errors and "E900" not in codes(result)
    long_text = "x" * 100_000
    assert output(f'OUTPUT "{long_text}"') == long_text + "\n"


def test_form_feed_and_other_spaces_between_tokens_are_spaces() -> None:
    assert output("OUTPUT\x0c1 +\u00a02\x0b+\t3") == "6\n"


# ---------------------------------------------------------------- the Python is valid and lint clean

REPRESENTATIVE = {
    "expressions": """
        DECLARE Total, Count : INTEGER
        DECLARE Mean : REAL
        DECLARE Name : STRING
        Total <- 17
        Count <- 5
        Mean <- Total / Count
        Name <- "Ann" & 'e'
        OUTPUT Total DIV Count, Total MOD Count, 2 ^ Count, -Total, Mean
        OUTPUT Name = "Anne" AND NOT (Count > 3 OR Total < 0)
    """,
    "control": """
        DECLARE Counter, Step, Answer : INTEGER
        DECLARE Letter : CHAR
        Step <- 2
        FOR Counter <- 1 TO 10 STEP Step
            IF Counter MOD 3 = 0 THEN
                OUTPUT "fizz"
            ELSEIF Counter = 5 THEN
                OUTPUT "five"
            ELSE
                OUTPUT Counter
            ENDIF
        NEXT Counter
        Letter <- 'k'
        CASE OF Letter
            'a' TO 'j' : OUTPUT "early"
            'k' : OUTPUT "k"
                  OUTPUT "exactly"
            OTHERWISE OUTPUT "late"
        ENDCASE
        Answer <- 0
        WHILE Answer < 3 DO
            Answer <- Answer + 1
        ENDWHILE
        REPEAT
            Answer <- Answer - 1
        UNTIL Answer = 0
    """,
    "routines": """
        DECLARE Values : ARRAY[1:5] OF INTEGER
        DECLARE Position : INTEGER
        PROCEDURE Swap(BYREF First : INTEGER, Second : INTEGER)
            DECLARE Temp : INTEGER
            Temp <- First
            First <- Second
            Second <- Temp
        ENDPROCEDURE
        FUNCTION Factorial(Number : INTEGER) RETURNS INTEGER
            IF Number <= 1 THEN
                RETURN 1
            ENDIF
            RETURN Number * Factorial(Number - 1)
        ENDFUNCTION
        FUNCTION Average(BYVAL Data : ARRAY OF INTEGER) RETURNS REAL
            RETURN (Data[1] + Data[2]) / 2
        ENDFUNCTION
        FOR Position <- 1 TO 5
            Values[Position] <- Factorial(Position)
        NEXT Position
        CALL Swap(Values[1], Values[5])
        OUTPUT Values[1], Values[5], Average(Values)
    """,
    "types": """
        TYPE Student
            DECLARE Name : STRING
            DECLARE Marks : ARRAY[1:3] OF INTEGER
        ENDTYPE
        TYPE Season = (Spring, Summer, Autumn, Winter)
        TYPE IntPointer = ^INTEGER
        DECLARE Group : ARRAY[1:2] OF Student
        DECLARE Best : Student
        DECLARE Current : Season
        DECLARE Score : INTEGER
        DECLARE Pointer : IntPointer
        DECLARE Start : DATE
        Group[1].Name <- "Ann"
        Best <- Group[1]
        Current <- Summer
        Score <- 3
        Pointer <- @Score
        Pointer^ <- Pointer^ + 1
        Start <- SETDATE(1, 2, 2024)
        OUTPUT Best.Name, Current, Current < Winter, Score, Start, DAYINDEX(Start)
    """,
    "builtins_input": """
        DECLARE Word : STRING
        DECLARE Number : REAL
        DECLARE Flag : BOOLEAN
        INPUT "Word: ", Word
        INPUT Number
        INPUT Flag
        OUTPUT LEFT(Word, 2), RIGHT(Word, 1), MID(Word, 2, 1), LENGTH(Word), UCASE(Word)
        OUTPUT INT(Number), ROUND(Number, 1), NUM_TO_STR(Number), IS_NUM(Word), Flag
        OUTPUT ASC('A'), CHR(66), RAND(5) < 5, STR_TO_NUM("12") + 1
    """,
    "files": """
        DECLARE FileName, Text : STRING
        FileName <- "data.txt"
        OPENFILE FileName FOR WRITE
        WRITEFILE FileName, "line"
        CLOSEFILE FileName
        OPENFILE FileName FOR READ
        WHILE NOT EOF(FileName)
            READFILE FileName, Text
            OUTPUT Text
        ENDWHILE
        CLOSEFILE FileName
    """,
    "classes": """
        CLASS Pet
            PRIVATE Name : STRING
            PUBLIC PROCEDURE NEW(GivenName : STRING)
                Name <- GivenName
            ENDPROCEDURE
            PUBLIC FUNCTION GetName() RETURNS STRING
                RETURN Name
            ENDFUNCTION
        ENDCLASS
        CLASS Cat INHERITS Pet
            PUBLIC PROCEDURE NEW(GivenName : STRING)
                SUPER.NEW(GivenName)
            ENDPROCEDURE
        ENDCLASS
        DECLARE MyCat : Cat
        MyCat <- NEW Cat("Kitty")
        OUTPUT MyCat.GetName()
    """,
    "clashing_names": """
        DECLARE list, len, str, sum, max, id, print : INTEGER
        list <- 1
        len <- 2
        str <- list + len
        sum <- str * 2
        max <- sum
        id <- max
        print <- id
        OUTPUT list, len, str, sum, max, id, print, LENGTH("abc"), NUM_TO_STR(3)
    """,
    "comments": """
        // A program full of comments
        DECLARE Total : INTEGER   // the total
        Total <- 0 // start
        // a """ + '"""' + """ comment \\
        IF Total = 0 THEN // check
            OUTPUT "zero" // say so
        ENDIF
    """,
}


def _ruff() -> list[str]:
    exe = shutil.which("ruff")
    if exe:
        return [exe]
    try:
        import ruff  # noqa: F401
    except ImportError:
        pytest.skip("ruff is not installed")
    return [sys.executable, "-m", "ruff"]


@pytest.fixture(scope="module")
def generated_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    for name, text in REPRESENTATIVE.items():
        (folder / f"{name}.py").write_text(translate_ok(text).code, encoding="utf-8")
    return folder


def test_representative_programs_compile(generated_folder: Path) -> None:
    for path in sorted(generated_folder.glob("*.py")):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_representative_programs_run(generated_folder: Path, tmp_path: Path) -> None:
    for path in sorted(generated_folder.glob("*.py")):
        done = run_python(path.read_text(encoding="utf-8"), "word\n2.25\ntrue\n", cwd=tmp_path)
        assert done.returncode == 0, (path.name, done.stderr)


def test_representative_programs_pass_ruff(generated_folder: Path) -> None:
    done = subprocess.run([*_ruff(), "check", "--isolated", "--no-cache", "--select",
                           "E4,E7,E9,F", str(generated_folder)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_single_letter_loop_counters_keep_their_names(tmp_path: Path) -> None:
    """Names are kept (LANGUAGE.md section 11), so the usual FOR I counter stays I. The only
    rule that objects is pycodestyle's E741 ("ambiguous name"), a style opinion about the
    pseudocode's own choice of name, which the project accepts; everything else passes."""
    path = tmp_path / "counters.py"
    code = python_of("""
        DECLARE I : INTEGER
        FOR I <- 1 TO 3
            OUTPUT I
        NEXT I
    """)
    assert "for I in range(1, 4):" in code
    path.write_text(code, encoding="utf-8")
    done = subprocess.run([*_ruff(), "check", "--isolated", "--no-cache", "--select",
                           "E4,E7,E9,F", "--ignore", "E741", str(path)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout


def test_warnings_only_programs_still_translate() -> None:
    result = translate(source("""
        output "hi"
        X = 5
        PRINT X
    """))
    assert result.success
    assert {"W101", "W102", "W103"} <= set(codes(result, Severity.WARNING))
