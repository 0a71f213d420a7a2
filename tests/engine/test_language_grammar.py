"""A property of every accepted program (LANGUAGE.md section 11): a translation without
errors compiles, and running it ends normally or with one ``Runtime error at line N: ...``
line, never a traceback, whatever names the program chose.

Programs are generated from a small typed grammar of the language (records, enumerations,
a class, procedures and functions with local variables, loops, CASE, files' neighbours
such as string and date functions). Every name is drawn from the names most likely to
break a translator: Python keywords, built-ins and standard-library modules, and every name
the generated code itself uses (``field``, ``self``, ``mro``, ``datetime`` ...).
"""

from __future__ import annotations

import builtins
import keyword
import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from language_helpers import run_python

from engine.codegen import names as namer
from engine.codegen.base import GENERATED_IMPORTS
from engine.codegen.declarations import ENUM_RESERVED_NAMES, RECORD_BODY_NAMES
from engine.language.vocabulary import KEYWORDS
from engine.translator import TranslationManager

_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_GENERATED_NAMES = {"self", "cls", "super", "globals", "print", "input", "range", "len", "str",
                    "int", "float", "bool", "ord", "chr", "tuple", "object", "type",
                    "isinstance", "getattr", "setattr", "hasattr", "open", "name", "value",
                    "target", "container", "key", "items", "bounds", "make", "annotations",
                    "date", "today", "random", "upper", "lower", "mro", "real", "imag"}
POOL = sorted({
    word for word in (set(keyword.kwlist) | set(keyword.softkwlist) | set(dir(builtins)) |
                      set(sys.stdlib_module_names) | _GENERATED_NAMES | set(namer.IMPORTED_NAMES)
                      | RECORD_BODY_NAMES | ENUM_RESERVED_NAMES |
                      {line.split()[-1] for line in GENERATED_IMPORTS})
    if _IDENTIFIER.match(word) and word.upper() not in KEYWORDS})
RUNTIME_ERROR = re.compile(r"Runtime error at line \d+: .+\n\Z")

settings.register_profile("grammar", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])


class _Program:
    """Builds one program from draws; every expression has a known type."""

    def __init__(self, draw: st.DrawFn, names: list[str]) -> None:
        self.draw = draw
        self.names = names
        self.lines: list[str] = []
        self.vars: dict[str, list[str]] = {"INTEGER": [], "REAL": [], "STRING": [],
                                           "BOOLEAN": []}

    def name(self) -> str:
        return self.names.pop()

    def expr(self, kind: str, depth: int = 0) -> str:
        draw = self.draw
        known = self.vars[kind]
        simple = depth > 2 or draw(st.booleans())
        if kind == "INTEGER":
            if simple:
                return draw(st.sampled_from(known)) if known and draw(st.booleans()) else \
                    str(draw(st.integers(-20, 20)))
            form = draw(st.integers(0, 4))
            a, b = self.expr("INTEGER", depth + 1), self.expr("INTEGER", depth + 1)
            return [f"({a} + {b})", f"({a} * {b})", f"({a} DIV {b})", f"({a} MOD {b})",
                    f"LENGTH({self.expr('STRING', depth + 1)})"][form]
        if kind == "REAL":
            if simple:
                return draw(st.sampled_from(known)) if known and draw(st.booleans()) else \
                    draw(st.sampled_from(["0.5", "2.25", "-1.5"]))
            a, b = self.expr("INTEGER", depth + 1), self.expr("INTEGER", depth + 1)
            return f"({a} / {b})"
        if kind == "STRING":
            if simple:
                return draw(st.sampled_from(known)) if known and draw(st.booleans()) else \
                    draw(st.sampled_from(['"a"', '""', '"x y"', '"\\\\"', '"{}"']))
            form = draw(st.integers(0, 3))
            a = self.expr("STRING", depth + 1)
            return [f"{a} & {self.expr('STRING', depth + 1)}",
                    f"{a} & {self.expr('INTEGER', depth + 1)}",
                    f"NUM_TO_STR({self.expr('REAL', depth + 1)})",
                    f"TO_UPPER({a})"][form]
        if simple:
            return draw(st.sampled_from(known)) if known and draw(st.booleans()) else \
                draw(st.sampled_from(["TRUE", "FALSE"]))
        a, b = self.expr("INTEGER", depth + 1), self.expr("INTEGER", depth + 1)
        return draw(st.sampled_from([f"{a} < {b}", f"{a} = {b}",
                                     f"NOT ({a} >= {b})",
                                     f"{a} <> {b} AND {self.expr('BOOLEAN', depth + 1)}"]))

    def statements(self, count: int, indent: str, depth: int = 0) -> None:
        draw = self.draw
        for _ in range(count):
            choice = draw(st.integers(0, 5 if depth < 2 else 2))
            kinds = [k for k, v in self.vars.items() if v]
            if choice == 0 and kinds:
                kind = draw(st.sampled_from(kinds))
                target = draw(st.sampled_from(self.vars[kind]))
                self.lines.append(f"{indent}{target} <- {self.expr(kind)}")
            elif choice in (1, 2) or not kinds:
                kind = draw(st.sampled_from(list(self.vars)))
                self.lines.append(f"{indent}OUTPUT {self.expr(kind)}, \" \", "
                                  f"{self.expr('STRING')}")
            elif choice == 3:
                self.lines.append(f"{indent}IF {self.expr('BOOLEAN')} THEN")
                self.statements(draw(st.integers(1, 2)), indent + "    ", depth + 1)
                self.lines.append(f"{indent}ELSE")
                self.statements(1, indent + "    ", depth + 1)
                self.lines.append(f"{indent}ENDIF")
            elif choice == 4 and self.vars["INTEGER"]:
                counter = draw(st.sampled_from(self.vars["INTEGER"]))
                self.lines.append(f"{indent}FOR {counter} <- 1 TO {draw(st.integers(0, 3))}")
                self.statements(1, indent + "    ", depth + 1)
                self.lines.append(f"{indent}NEXT {counter}")
            else:
                self.lines.append(f"{indent}CASE OF {self.expr('INTEGER')}")
                for value in draw(st.lists(st.integers(-3, 3), min_size=1, max_size=3,
                                           unique=True)):
                    self.lines.append(f"{indent}    {value} : OUTPUT {self.expr('STRING')}")
                self.lines.append(f"{indent}    OTHERWISE : OUTPUT {self.expr('INTEGER')}")
                self.lines.append(f"{indent}ENDCASE")


@st.composite
def accepted_program(draw: st.DrawFn) -> str:
    names = draw(st.lists(st.sampled_from(POOL), min_size=24, max_size=24,
                          unique_by=str.lower))
    program = _Program(draw, names)
    lines = program.lines
    record, enum_type = program.name(), program.name()
    fields = [program.name(), program.name()]
    members = [program.name(), program.name(), program.name()]
    lines += [f"TYPE {record}", f"    DECLARE {fields[0]} : INTEGER",
              f"    DECLARE {fields[1]} : {enum_type}", "ENDTYPE",
              f"TYPE {enum_type} = ({', '.join(members)})"]
    klass, attribute, method = program.name(), program.name(), program.name()
    lines += [f"CLASS {klass}", f"    PRIVATE {attribute} : INTEGER",
              "    PUBLIC PROCEDURE NEW(Start : INTEGER)", f"        {attribute} <- Start",
              "    ENDPROCEDURE", f"    PUBLIC FUNCTION {method}() RETURNS INTEGER",
              f"        RETURN {attribute} * 2", "    ENDFUNCTION", "ENDCLASS"]
    for kind in ("INTEGER", "REAL", "STRING", "BOOLEAN"):
        variable = program.name()
        lines.append(f"DECLARE {variable} : {kind}")
        program.vars[kind].append(variable)
    holder, thing = program.name(), program.name()
    lines += [f"DECLARE {holder} : {record}", f"DECLARE {thing} : {klass}",
              f"{thing} <- NEW {klass}(3)", f"{holder}.{fields[0]} <- {thing}.{method}()",
              f"{holder}.{fields[1]} <- {members[0]} + 1",
              f"OUTPUT {holder}.{fields[0]}, {holder}.{fields[1]}"]
    routine, parameter, local = program.name(), program.name(), program.name()
    outer = dict(program.vars)
    lines.append(f"FUNCTION {routine}({parameter} : INTEGER) RETURNS STRING")
    program.vars = {k: list(v) for k, v in outer.items()}
    program.vars["INTEGER"].append(parameter)
    lines.append(f"    DECLARE {local} : STRING")
    program.vars["STRING"].append(local)
    program.statements(draw(st.integers(1, 3)), "    ")
    lines += [f"    RETURN {local} & {parameter}", "ENDFUNCTION"]
    program.vars = outer
    program.statements(draw(st.integers(1, 5)), "")
    lines.append(f"OUTPUT {routine}({program.expr('INTEGER')})")
    return "\n".join(lines) + "\n"


manager = TranslationManager()


@pytest.mark.timeout(600)
@settings(settings.get_profile("grammar"))
@given(accepted_program())
def test_accepted_programs_compile_and_end_normally_or_with_one_runtime_error(
        text: str) -> None:
    result = manager.translate(text)
    assert result.success, "\n".join(d.format() for d in result.errors) + "\n" + text
    compile(result.code, "<generated>", "exec")
    done = run_python(result.code, timeout=30)
    assert "Traceback" not in done.stderr, done.stderr + result.code
    if done.returncode == 0:
        assert done.stderr == "", done.stderr
    else:
        assert done.returncode == 1 and RUNTIME_ERROR.match(done.stderr), (
            done.stderr + "\n" + text)


def test_the_name_pool_holds_the_dangerous_names() -> None:
    for word in ("os", "json", "sys", "field", "datetime", "mro", "self", "list",
                 "len", "def", "lambda", "match", "annotations", "dataclass", "enum"):
        assert word in POOL, word
