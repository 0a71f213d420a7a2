"""Shared helpers for the black-box language tests (tests/engine/test_language_*.py).

Each test translates a pseudocode program with the engine's public API, runs
the generated Python in a child process (``sys.executable``, given stdin text,
with a time limit) and compares what it prints with what LANGUAGE.md says.

Every program that ``output``/``expect`` runs to a clean end runs again in the plain
style (engine/codegen/plain), from the same files and input, and must print the
same (set PSEUDO_TEST_PLAIN=0 to skip that second run).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

from engine.language.diagnostics import Diagnostic, Severity
from engine.translator import TranslationManager, TranslationResult

RUN_TIMEOUT = 20.0


@dataclass
class ProgramRun:
    """What a translated program did when it ran."""

    stdout: str
    stderr: str
    returncode: int
    code: str
    diagnostics: list[Diagnostic]

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def source(text: str) -> str:
    """Pseudocode written indented inside a test, without the common indent."""
    return textwrap.dedent(text).strip("\n") + "\n"


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of ``source(text)`` that contains ``fragment`` (the first one)."""
    for number, line in enumerate(source(text).splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} is not in the program")


def translate(text: str, strict: bool = False) -> TranslationResult:
    manager = TranslationManager()
    manager.force_strict = strict
    return manager.translate(source(text))


def codes(result: TranslationResult, severity: Severity | None = None) -> list[str]:
    return [d.code for d in result.diagnostics if severity is None or d.severity is severity]


def error_codes(text: str, strict: bool = False) -> list[str]:
    """The codes of the errors the engine reports for ``text`` (no code is generated)."""
    result = translate(text, strict)
    return codes(result, Severity.ERROR)


def error_lines(text: str) -> list[int]:
    return sorted({d.line for d in translate(text).errors})


def translate_ok(text: str) -> TranslationResult:
    """Translate and insist that there is no error (warnings are allowed)."""
    result = translate(text)
    assert result.success, "\n".join(d.format() for d in result.diagnostics)
    assert not result.errors
    return result


def python_of(text: str) -> str:
    return translate_ok(text).code


def run_python(code: str, stdin: str = "", cwd: Path | str | None = None,
               timeout: float = RUN_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run Python source in a fresh interpreter, as a student's saved program would run.

    The program is written to a file of its own (outside ``cwd``, so a test that looks at
    the files a program makes sees only those), with standard streams in UTF-8.
    """
    with tempfile.TemporaryDirectory(prefix="pseudo_run_") as folder:
        path = Path(folder) / "program.py"
        path.write_text(code, encoding="utf-8")
        return subprocess.run(
            [sys.executable, "-I", "-X", "utf8", str(path)], input=stdin, capture_output=True,
            text=True, encoding="utf-8", cwd=cwd, timeout=timeout, check=False)


def run(text: str, stdin: str = "", cwd: Path | str | None = None,
        timeout: float = RUN_TIMEOUT) -> ProgramRun:
    """Translate (there must be no error) and run; the program may still fail at run time."""
    result = translate_ok(text)
    done = run_python(result.code, stdin, cwd, timeout)
    return ProgramRun(done.stdout, done.stderr, done.returncode, result.code,
                      result.diagnostics)


PLAIN_TOO = os.environ.get("PSEUDO_TEST_PLAIN", "1") != "0"


def output(text: str, stdin: str = "", cwd: Path | str | None = None) -> str:
    """Translate, run, insist on a clean exit and return standard output (the plain
    style must print the same, see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="pseudo_before_") as before:
        if PLAIN_TOO and cwd is not None:  # the files as the checked run finds them
            shutil.copytree(cwd, before, dirs_exist_ok=True)
        done = run(text, stdin, cwd)
        assert done.returncode == 0, f"exit {done.returncode}\n{done.stderr}\n{done.code}"
        assert done.stderr == "", done.stderr
        if PLAIN_TOO:
            same_in_plain(text, stdin, before if cwd is not None else None, done.stdout)
    return done.stdout


def plain_of(text: str) -> str:
    """The plain-style Python of a program without errors."""
    manager = TranslationManager()
    manager.force_style = "plain"
    result = manager.translate(source(text))
    assert result.success and result.plain_code, result.plain_error
    return result.plain_code


def same_in_plain(text: str, stdin: str, cwd: Path | str | None, expected: str) -> None:
    """The plain style of ``text`` prints ``expected`` too, and exits cleanly."""
    code = plain_of(text)
    done = run_python(code, stdin, cwd)
    assert done.returncode == 0, f"plain style: exit {done.returncode}\n{done.stderr}\n{code}"
    assert done.stdout == expected, (
        f"plain style prints otherwise\n--- plain:\n{done.stdout}--- checked:\n{expected}"
        f"--- plain code:\n{code}")


def expect(text: str, expected: str, stdin: str = "", cwd: Path | str | None = None) -> None:
    """The program prints exactly ``expected`` (given without its common indent)."""
    want = textwrap.dedent(expected).strip("\n") + "\n"
    got = output(text, stdin, cwd)
    assert got == want, f"output differs\n--- got:\n{got}--- expected:\n{want}"


def runtime_error(text: str, stdin: str = "", cwd: Path | str | None = None) -> ProgramRun:
    """Run a program that must stop with a runtime error: status 1, one message line."""
    done = run(text, stdin, cwd)
    assert done.returncode == 1, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    return done


# A FUNCTION with a BYREF parameter (test_language_routines.py, test_language_parameters.py).
TAKE = """
    DECLARE A : INTEGER
    FUNCTION Take(BYREF N : INTEGER) RETURNS INTEGER
        OUTPUT "Take called"
        N <- N + 1
        RETURN N
    ENDFUNCTION
"""
