"""Property-based tests: whatever the input, the engine answers with diagnostics or with
valid Python, never an exception, and deep nesting is a diagnostic, not a RecursionError."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.language.vocabulary import KEYWORDS
from engine.semantics.builtins import BUILTIN_FUNCTIONS
from engine.translator import TranslationManager

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "resources" / "examples").glob("*.pseudo"))
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in SEEDS] or ["OUTPUT 1\n"]

_WORDS = sorted(KEYWORDS | BUILTIN_FUNCTIONS) + [
    "X", "Count", "A", "i", "Name", "<-", "\u2190", "=", "<>", "<=", ">=", "<", ">", "+", "-", "*",
    "/", "^", "&", "(", ")", "[", "]", ",", ":", ".", "@", "1", "0", "-7", "3.14", '"text"',
    "'c'", "//", "\n", "\n", "\n", " ", "\t", '"', "'", "\u201c", "$", "\x00", "\u2028",
]

settings.register_profile("engine", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("engine")

manager = TranslationManager()
manager.force_style = "plain"  # every translation makes the plain style too


def _check(text: str) -> None:
    result = manager.translate(text)
    assert not [d for d in result.diagnostics if d.code == "E900"], result.diagnostics
    if result.success:
        compile(result.code, "<generated>", "exec")
        assert result.plain_code and not result.plain_error, result.plain_error
        compile(result.plain_code, "<plain>", "exec")
    else:
        assert result.errors, "a failed translation must say why"
    for d in result.diagnostics:
        assert d.line >= 1 and d.column >= 1 and d.message


@pytest.mark.timeout(300)
@given(st.lists(st.sampled_from(_WORDS), max_size=80).map(" ".join))
def test_random_token_soup(text: str) -> None:
    _check(text)


@pytest.mark.timeout(300)
@given(st.text(max_size=300))
def test_random_unicode_text(text: str) -> None:
    _check(text)


@st.composite
def mutated_program(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(SEED_TEXTS)).splitlines()
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "insert",
                                       "drop_word"]))
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap" and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "truncate":
            cut = draw(st.integers(0, max(0, len(lines[index]))))
            lines[index] = lines[index][:cut]
        elif action == "insert":
            lines.insert(index, draw(st.sampled_from(_WORDS)) + " " + draw(
                st.sampled_from(_WORDS)))
        elif action == "drop_word":
            words = lines[index].split()
            if words:
                del words[draw(st.integers(0, len(words) - 1))]
                lines[index] = " ".join(words)
    return "\n".join(lines) + "\n"


@pytest.mark.timeout(600)
@given(mutated_program())
def test_mutated_examples(text: str) -> None:
    _check(text)


@pytest.mark.parametrize("depth", [30, 70, 200, 1000])
def test_deeply_nested_ifs_give_a_diagnostic_not_a_crash(depth: int) -> None:
    text = "DECLARE X : INTEGER\nX <- 1\n" + "IF X > 0 THEN\n" * depth + "OUTPUT X\n" + \
        "ENDIF\n" * depth
    result = manager.translate(text)
    assert not [d for d in result.diagnostics if d.code == "E900"]
    if depth > 60:
        assert any(d.code == "E116" for d in result.diagnostics)
    else:
        assert result.success
        compile(result.code, "<generated>", "exec")


@pytest.mark.parametrize("depth", [40, 60, 500, 5000])
def test_deeply_nested_expressions(depth: int) -> None:
    text = "OUTPUT " + "(" * depth + "1" + ")" * depth + "\n"
    result = manager.translate(text)
    assert not [d for d in result.diagnostics if d.code == "E900"]
    if depth > 50:
        assert any(d.code == "E116" for d in result.diagnostics)
    else:
        assert result.success


def test_long_operator_chains_and_unary_chains() -> None:
    for text in ("OUTPUT " + " + ".join(["1"] * 5000), "OUTPUT " + "-" * 5000 + "1",
                 "OUTPUT " + "NOT " * 3000 + "TRUE", "DECLARE X : INTEGER\nX <- 2 ^ " * 1):
        result = manager.translate(text + "\n")
        assert not [d for d in result.diagnostics if d.code == "E900"]


def test_many_nested_loops() -> None:
    depth = 25
    text = "DECLARE I : INTEGER\n" + "WHILE TRUE\n" * depth + "OUTPUT 1\n" + "ENDWHILE\n" * depth
    result = manager.translate(text)
    assert any(d.code == "E116" for d in result.diagnostics)


def test_a_large_program_translates() -> None:
    body = "".join(f"X <- X + {i}\nOUTPUT X\n" for i in range(5000))
    result = manager.translate("DECLARE X : INTEGER\nX <- 0\n" + body)
    assert result.success
    compile(result.code, "<generated>", "exec")
