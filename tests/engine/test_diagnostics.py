"""The diagnostics registry: every code is triggered by its example, and documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.language.diagnostics import CODES, Severity
from engine.language.diagnostics_doc import example_diagnostics, render

DOCS = Path(__file__).resolve().parents[2] / "docs" / "diagnostics.md"


@pytest.mark.parametrize("code", [c for c, i in CODES.items() if i.example])
def test_example_triggers_its_code(code: str) -> None:
    info = CODES[code]
    found = [d for d in example_diagnostics(info) if d.code == code]
    assert found, f"the example of {code} does not produce {code}"
    first = found[0]
    expected = info.strict_severity or info.severity
    assert first.severity is expected
    assert first.line >= 1 and first.column >= 1
    assert (first.end_line, first.end_column) >= (first.line, first.column)
    assert first.message and first.hint, f"{code} needs a message and a hint"


def test_codes_are_well_formed() -> None:
    for code, info in CODES.items():
        assert re.fullmatch(r"[EWI]\d{3}", code)
        assert info.code == code
        assert info.severity is {"E": Severity.ERROR, "W": Severity.WARNING,
                                 "I": Severity.INFO}[code[0]]


def test_docs_page_is_up_to_date() -> None:
    assert DOCS.read_text(encoding="utf-8") == render(), (
        "docs/diagnostics.md is stale: run python -m engine.language.diagnostics_doc")


def test_every_code_is_in_the_docs() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for code in CODES:
        assert f"### {code}:" in text


def test_undeclared_variable_is_error_only_in_strict_mode() -> None:
    from engine.translator import TranslationManager

    manager = TranslationManager()
    lenient = manager.translate("Total <- 5\nOUTPUT Total\n")
    assert lenient.success
    assert [d.severity for d in lenient.diagnostics if d.code == "W210"] == [Severity.WARNING]
    manager.force_strict = True
    strict = manager.translate("Total <- 5\nOUTPUT Total\n")
    assert not strict.success
    assert [d.severity for d in strict.diagnostics if d.code == "W210"] == [Severity.ERROR]
