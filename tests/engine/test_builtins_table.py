"""The built-in functions are one table (engine/semantics/builtins.py): every row is
documented, has a translation in both styles, and says truly which runtime helpers it
needs and whether it can fail."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from engine.codegen import helpers
from engine.codegen.generator import Generator
from engine.codegen.names import assign_python_names
from engine.codegen.plain import runtime as plain_runtime
from engine.codegen.plain.generator import PlainGenerator
from engine.language import nodes as n
from engine.pipeline import parse_stage, validate_stage
from engine.semantics.builtins import BUILTIN_FUNCTIONS, BUILTINS, Builtin

DOC = Path(__file__).resolve().parents[2] / "docs" / "language.md"
# A declared variable for each parameter kind: no helper comes from the arguments.
_ARGUMENT = {"STRING": "S", "CHAR": "C", "INTEGER": "I", "NUMBER": "X", "DATE": "D"}
_DECLARATIONS = ("DECLARE S : STRING\nDECLARE C : CHAR\nDECLARE I : INTEGER\n"
                 "DECLARE X : REAL\nDECLARE D : DATE\n")


def _call_of(builtin: Builtin) -> n.Call:
    """``OUTPUT NAME(arguments)`` validated (its names given Python names); the call."""
    args = ", ".join(_ARGUMENT[kind] for kind in builtin.params)
    validated = validate_stage(parse_stage(f"{_DECLARATIONS}OUTPUT {builtin.name}({args})\n"))
    assert not [d for d in validated.diagnostics if d.code.startswith("E")], \
        validated.diagnostics
    assign_python_names(validated.program.symbols or [])
    output = validated.program.body[-1]
    assert isinstance(output, n.Output)
    call = output.items[0]
    assert isinstance(call, n.Call) and call.target is builtin
    return call


def test_the_table_is_the_list_of_built_in_names() -> None:
    assert BUILTIN_FUNCTIONS == set(BUILTINS)
    assert {"LEFT", "MID", "EOF", "DAYINDEX"} <= BUILTIN_FUNCTIONS
    assert all(name == name.upper() for name in BUILTIN_FUNCTIONS)


def test_every_built_in_is_in_the_table_of_docs_language() -> None:
    page = DOC.read_text(encoding="utf-8")
    section = page[page.index("## Built-in functions"):]
    table = section[:section.index("```")]
    documented = set(re.findall(r"`([A-Z_]+)\(", table))
    assert documented == set(BUILTINS), (set(BUILTINS) - documented,
                                         documented - set(BUILTINS))


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_checked_translation_uses_exactly_the_helpers_it_requires(name: str) -> None:
    builtin = BUILTINS[name]
    generator = Generator()
    node = generator.expr(_call_of(builtin))
    assert isinstance(node, ast.expr)
    assert generator.helpers == set(builtin.python.requires)
    for helper in builtin.python.requires:
        assert helpers.source_of(helper)  # a real function of codegen/runtime.py
    assert generator.may_fail is builtin.can_fail


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_plain_translation_uses_exactly_the_functions_it_requires(name: str) -> None:
    builtin = BUILTINS[name]
    translation = builtin.plain or builtin.python
    generator = PlainGenerator(set())
    generator.expr(_call_of(builtin))
    used = set(generator.functions) | generator.helpers
    assert used == set(translation.requires)
    for function in set(generator.functions):
        assert function in plain_runtime._definitions()


def test_a_row_pickles_as_itself() -> None:
    # Annotated trees travel to the process pool; the row's translations are functions.
    import pickle

    for builtin in BUILTINS.values():
        assert pickle.loads(pickle.dumps(builtin)) is builtin
