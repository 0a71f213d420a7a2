"""The bundled examples: enough of them, each valid, and each translates and runs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from engine.language.diagnostics import Severity
from engine.language.parser import parse
from gui import resources

EXAMPLES = resources.examples()

# stdin to give, and a line the output must contain
RUNS = {
    "01_hello_input": ("Ada\n2\n", "2: Hello, Ada!"),
    "02_bubble_sort": ("", "After:  3 7 14 19 28 42 56 65 73 91"),
    "03_searching": ("", "Binary search for 45: position 9"),
    "04_student_records": ("", "Best: Chen with 91"),
    "05_text_files": ("", "4 items on the list"),
    "06_classes": ("", "Priya has 100.0"),
    "07_recursion": ("", "Move disc 3 from A to C"),
    "08_grades_case": ("", "105 is not a valid mark"),
    "09_string_handling": ("", "Secret: PHHW DW QRRQ"),
    "10_guessing_game": ("".join(f"{n}\n" for n in range(1, 101)), "guess"),
    "11_noughts_and_crosses": ("", "X wins on row 2 after 5 moves"),
}


def test_there_are_examples_for_every_topic() -> None:
    assert len(EXAMPLES) >= 8
    text = " ".join(e.path.read_text(encoding="utf-8") for e in EXAMPLES)
    for feature in ("REPEAT", "TYPE", "OPENFILE", "CLASS", "INHERITS", "CASE OF", "MID(",
                    "BYREF", "FUNCTION", "INPUT"):
        assert feature in text, feature
    names = " ".join(e.path.stem for e in EXAMPLES)
    for topic in ("sort", "search", "records", "files", "classes", "recursion", "case",
                  "string"):
        assert topic in names, topic


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.path.stem for e in EXAMPLES])
def test_example_has_title_and_comments(example) -> None:
    assert example.title and example.description
    assert example.path.read_text(encoding="utf-8").count("//") >= 2


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.path.stem for e in EXAMPLES])
def test_example_is_valid(example) -> None:
    from engine.semantics.validator import Validator

    program, diagnostics = parse(example.path.read_text(encoding="utf-8"))
    assert not diagnostics, [d.format() for d in diagnostics]
    found = Validator().run(program)
    assert not [d for d in found if d.severity is Severity.ERROR], [d.format() for d in found]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.path.stem for e in EXAMPLES])
def test_example_translates_and_runs(example, tmp_path) -> None:
    from engine.translator import TranslationManager

    result = TranslationManager().translate(example.path.read_text(encoding="utf-8"))
    assert result.success, [d.format() for d in result.diagnostics]
    program = tmp_path / "program.py"
    program.write_text(result.code, encoding="utf-8")
    stdin, expected = RUNS[example.path.stem]
    run = subprocess.run([sys.executable, str(program)], input=stdin, capture_output=True,
                         text=True, timeout=30, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert expected in run.stdout, run.stdout
