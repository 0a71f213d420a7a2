"""gui.model.syntax: highlight spans of pseudocode (from the engine's lexer) and of Python."""

from __future__ import annotations

from gui.model.syntax import Category, pseudocode_spans, python_spans


def _categories(spans, line: str) -> dict[str, Category]:
    return {line[s: s + n]: c for s, n, c in spans}


def test_pseudocode_spans() -> None:
    line = 'DECLARE Total : INTEGER // the sum'
    cats = _categories(pseudocode_spans(line), line)
    assert cats["DECLARE"] is Category.KEYWORD
    assert cats["INTEGER"] is Category.TYPE
    assert cats["// the sum"] is Category.COMMENT
    assert "Total" not in cats


def test_pseudocode_literals_builtins_and_definitions() -> None:
    line = 'FUNCTION Area(R : REAL) RETURNS REAL'
    assert _categories(pseudocode_spans(line), line)["Area"] is Category.DEFINITION
    line = "OUTPUT LENGTH(\"ab\") + 3.5, TRUE, 'c'"
    cats = _categories(pseudocode_spans(line), line)
    assert cats["LENGTH"] is Category.BUILTIN
    assert cats['"ab"'] is Category.STRING
    assert cats["3.5"] is Category.NUMBER
    assert cats["TRUE"] is Category.LITERAL
    assert cats["'c'"] is Category.STRING
    assert cats["+"] is Category.OPERATOR


def test_pseudocode_bad_characters_and_open_strings() -> None:
    line = 'OUTPUT $ "open'
    cats = _categories(pseudocode_spans(line), line)
    assert cats["$"] is Category.ERROR
    assert cats['"open'] is Category.STRING


def test_python_spans() -> None:
    line = "def area(r):  # circle"
    cats = _categories(python_spans(line), line)
    assert cats["def"] is Category.KEYWORD
    assert cats["area"] is Category.DEFINITION
    assert cats["# circle"] is Category.COMMENT
    line = "    print(f'{x}', 3, None)"
    cats = _categories(python_spans(line), line)
    assert cats["print"] is Category.BUILTIN
    assert cats["3"] is Category.NUMBER
    assert cats["None"] is Category.LITERAL


def test_python_spans_survive_broken_lines() -> None:
    assert python_spans('x = "unclosed') is not None
    assert python_spans("    ") == []
