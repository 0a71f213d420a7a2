"""The corpus of tests/engine/corpus: programs in the styles real users write (past-paper
forms, exam-style questions, the slips students make), each with what it must do.

For ``NAME.pseudo``:
- ``NAME.err``    the translation's errors, one ``LINE CODE`` a line (nothing is run);
- otherwise it translates without errors and runs, with ``NAME.in`` as its input:
  ``NAME.out`` is exactly its output, and ``NAME.stderr`` (if there) the start of its one
  error line (it must then stop with status 1; without it, the run ends cleanly).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from language_helpers import run_python

from engine.translator import TranslationManager

CORPUS = Path(__file__).resolve().parent / "corpus"
PROGRAMS = sorted(CORPUS.glob("*.pseudo"))


def test_the_corpus_has_at_least_sixty_programs() -> None:
    assert len(PROGRAMS) >= 60


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_corpus_program(path: Path, tmp_path: Path) -> None:
    manager = TranslationManager()
    result = manager.translate(path.read_text(encoding="utf-8"))
    errors_file = path.with_suffix(".err")
    if errors_file.exists():
        expected = [line.split() for line in errors_file.read_text().splitlines() if line]
        got = [[str(d.line), d.code] for d in result.errors]
        assert got == expected, "\n".join(d.format() for d in result.errors)
        return
    assert result.success, "\n".join(d.format() for d in result.diagnostics)
    given = path.with_suffix(".in")
    stdin = given.read_text(encoding="utf-8") if given.exists() else ""
    done = run_python(result.code, stdin, cwd=tmp_path)
    assert done.stdout == path.with_suffix(".out").read_text(encoding="utf-8"), (
        done.stdout + done.stderr)
    stderr_file = path.with_suffix(".stderr")
    if stderr_file.exists():
        start = stderr_file.read_text(encoding="utf-8").rstrip("\n")
        assert done.returncode == 1
        assert done.stderr.startswith(start) and done.stderr.count("\n") == 1, done.stderr
        assert "Traceback" not in done.stderr
    else:
        assert done.returncode == 0 and done.stderr == "", done.stderr
