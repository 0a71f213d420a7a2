"""No super-linear paths: a pathological program four times as long is
about four times the work to translate.

The work is counted, not timed (the machine may be busy): every line of the engine that
runs and every call, through ``sys.settrace``. A linear translator gives a ratio near 4 when
the program is four times as long; a quadratic one near 16.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest

from engine.pipeline import generate_stage, parse_stage, validate_stage


def _inherits_chain(size: int) -> str:
    lines = ["DECLARE G : INTEGER", "CLASS C0", "    PUBLIC PROCEDURE NEW()",
             "    ENDPROCEDURE", "ENDCLASS"]
    for i in range(1, size):
        lines += [f"CLASS C{i} INHERITS C{i - 1}", f"    PRIVATE A{i} : INTEGER",
                  f"    PUBLIC FUNCTION F{i}() RETURNS INTEGER", f"        RETURN A{i} + G",
                  "    ENDFUNCTION", "ENDCLASS"]
    return "\n".join(lines + [f"DECLARE X : C{size - 1}", f"X <- NEW C{size - 1}()",
                              "OUTPUT X.F1()"])


def _case_labels(size: int) -> str:
    labels = [f"    {i} : OUTPUT {i}" for i in range(size)]
    return "\n".join(["DECLARE X : INTEGER", "X <- 1", "CASE OF X", *labels, "ENDCASE"])


def _elseif_chain(size: int) -> str:
    branches = [f"ELSEIF X = {i} THEN\n    OUTPUT {i}" for i in range(1, size)]
    return "\n".join(["DECLARE X : INTEGER", "X <- 1", "IF X = 0 THEN", "    OUTPUT 0",
                      *branches, "ENDIF"])


def _routines_calling_down(size: int) -> str:
    lines = []
    for i in range(size):
        call = f"    CALL P{i + 1}(N + 1)" if i + 1 < size else "    OUTPUT N"
        lines += [f"PROCEDURE P{i}(N : INTEGER)", call, "ENDPROCEDURE"]
    return "\n".join(lines + ["CALL P0(0)"])


def _records_defined_below_their_use(size: int) -> str:
    lines = []
    for i in range(size):
        inner = f"    DECLARE Next : R{i + 1}" if i + 1 < size else "    DECLARE V : INTEGER"
        lines += [f"TYPE R{i}", inner, "ENDTYPE"]
    return "\n".join(lines + ["DECLARE X : R0", "OUTPUT \"ok\""])


def _declarations_and_uses(size: int) -> str:
    lines = [f"DECLARE V{i} : INTEGER" for i in range(size)]
    lines += [f"V{i} <- V{i - 1} + {i}" if i else "V0 <- 1" for i in range(size)]
    return "\n".join(lines + [f"OUTPUT V{size - 1}"])


def _missing_end_keywords(size: int) -> str:
    lines = []
    for i in range(size):
        lines += [f"PROCEDURE P{i}", "    IF TRUE THEN", f"        OUTPUT {i}"]  # no ENDIF
        lines += ["ENDPROCEDURE"]
    return "\n".join(lines + [f"CALL P{size - 1}"])


PATTERNS: dict[str, Callable[[int], str]] = {
    "inherits_chain": _inherits_chain,
    "case_labels": _case_labels,
    "elseif_chain": _elseif_chain,
    "routines_calling_down": _routines_calling_down,
    "records_defined_below_their_use": _records_defined_below_their_use,
    "declarations_and_uses": _declarations_and_uses,
    "missing_end_keywords": _missing_end_keywords,
}


ENGINE = str(__import__("pathlib").Path(__file__).resolve().parents[2] / "engine")


def work(text: str) -> int:
    """The work of translating ``text``: lines of the engine run, plus calls it makes."""
    count = 0

    def lines(_frame: object, event: str, _arg: object) -> object:
        nonlocal count
        count += 1
        return lines

    def calls(frame, event: str, _arg: object) -> object:  # type: ignore[no-untyped-def]
        nonlocal count
        count += 1
        return lines if frame.f_code.co_filename.startswith(ENGINE) else None

    sys.settrace(calls)
    try:
        validated = validate_stage(parse_stage(text + "\n"))
        if not validated.has_errors:
            generate_stage(validated)
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("name", list(PATTERNS))
def test_four_times_the_program_is_about_four_times_the_work(name: str) -> None:
    make = PATTERNS[name]
    has_errors = validate_stage(parse_stage(make(600) + "\n")).has_errors
    assert has_errors == (name == "missing_end_keywords")  # the others are translated in full
    small, large = work(make(150)), work(make(600))
    ratio = large / small
    assert ratio < 5.0, f"{name}: {small} -> {large} steps, ratio {ratio:.2f} (linear: 4)"
