"""Stepping through a program in a child process: the protocol the GUI's debugger uses."""

from __future__ import annotations

import time
from typing import Any

import pytest

from engine.tracing.info import prepare
from engine.tracing.session import TraceSession
from tests.engine.test_tracing_exam import FACTORIAL, SWAP

_waiting: dict[int, list[dict[str, Any]]] = {}


def next_event(session: TraceSession, timeout: float = 30) -> dict[str, Any]:
    waiting = _waiting.setdefault(id(session), [])
    deadline = time.monotonic() + timeout
    while not waiting and time.monotonic() < deadline:
        waiting.extend(session.take_events())
        time.sleep(0.01)
    if not waiting:
        raise AssertionError("no event from the child")
    return waiting.pop(0)


def values(nodes: list[dict[str, Any]]) -> dict[str, str]:
    return {node["name"]: node["value"] for node in nodes}


@pytest.fixture()
def session():
    made = TraceSession()
    yield made
    _waiting.pop(id(made), None)
    made.stop()
    made.wait(10)


def test_breakpoint_step_over_into_out_and_continue(session: TraceSession) -> None:
    session.start(prepare(SWAP), "debug", breakpoints={9})
    paused = next_event(session)
    assert (paused["type"], paused["line"], paused["reason"]) == ("paused", 9, "breakpoint")
    assert values(paused["globals"]) == {"A": "1", "B": "0"}
    session.send({"cmd": "step_over"})
    paused = next_event(session)
    assert paused["line"] == 10 and paused["changed"] == ["B"]
    session.send({"cmd": "step_into"})
    paused = next_event(session)
    assert paused["line"] == 4
    assert [(f["routine"], f["line"]) for f in paused["stack"]] == [("Swap", 4),
                                                                   ("main program", 10)]
    assert values(paused["locals"]) == {"X": "1", "Y": "2", "Temp": "0"}
    assert {n["name"]: n.get("ref") for n in paused["locals"]}["X"] == "A"
    session.send({"cmd": "step_over"})
    session.send({"cmd": "step_over"})  # queued: taken at the next pause
    next_event(session)
    paused = next_event(session)
    assert paused["line"] == 6
    # BYREF: A changed on the line X <- Y, before the procedure returns.
    assert values(paused["globals"])["A"] == "2" and "A" in paused["changed"]
    session.send({"cmd": "step_out"})
    paused = next_event(session)
    assert paused["line"] == 11 and values(paused["globals"]) == {"A": "2", "B": "1"}
    session.send({"cmd": "continue"})
    assert next_event(session)["type"] == "end"
    result = session.wait(30)
    assert result is not None and result.returncode == 0
    assert "".join(c.text for c in session.runner.take_output()) == "21\n"


def test_recursion_depth_in_the_call_stack(session: TraceSession) -> None:
    session.start(prepare(FACTORIAL), "debug", breakpoints={4})
    paused = next_event(session)
    assert paused["line"] == 4
    assert [f["routine"] for f in paused["stack"]] == ["Factorial"] * 4 + ["main program"]
    assert [f["depth"] for f in paused["stack"]] == [4, 3, 2, 1, 0]
    assert values(paused["locals"]) == {"N": "0"}
    session.send({"cmd": "breakpoints", "breakpoints": []})
    session.send({"cmd": "continue"})
    assert next_event(session)["type"] == "end"


def test_input_while_stepping_comes_from_the_console(session: TraceSession) -> None:
    session.start(prepare("DECLARE N : INTEGER\nINPUT N\nOUTPUT N * 2\n"), "debug",
                  step="step_into")
    assert next_event(session)["line"] == 2
    session.send({"cmd": "step_over"})
    deadline = time.monotonic() + 30
    chunks = []
    while not any(c.stream == "input" for c in chunks) and time.monotonic() < deadline:
        chunks += session.runner.take_output()
        time.sleep(0.01)
    session.runner.send_line("21")
    paused = next_event(session)
    assert paused["line"] == 3 and values(paused["globals"]) == {"N": "21"}
    session.send({"cmd": "stop"})
    assert next_event(session)["status"] == "stopped"


def test_a_method_shows_its_objects_attributes(session: TraceSession) -> None:
    source = """\
CLASS Counter
    PRIVATE Count : INTEGER
    PUBLIC PROCEDURE NEW()
        Count <- 0
    ENDPROCEDURE
    PUBLIC PROCEDURE Add(Step : INTEGER)
        Count <- Count + Step
    ENDPROCEDURE
ENDCLASS
DECLARE C : Counter
C <- NEW Counter()
CALL C.Add(5)
CALL C.Add(2)
"""
    session.start(prepare(source), "debug", breakpoints={7})
    paused = next_event(session)
    assert paused["line"] == 7 and paused["routine"] == "Counter.Add"
    this = next(n for n in paused["locals"] if n["name"] == "(this object)")
    assert values(this["children"]) == {"Count": "0"}
    assert values(paused["locals"])["Step"] == "5"
    session.send({"cmd": "continue"})
    paused = next_event(session)
    this = next(n for n in paused["locals"] if n["name"] == "(this object)")
    assert values(this["children"]) == {"Count": "5"}
    session.send({"cmd": "continue"})
    assert next_event(session)["type"] == "end"


def test_pause_stops_a_running_program_where_it_is(session: TraceSession) -> None:
    session.start(prepare("DECLARE N : INTEGER\nN <- 0\nWHILE TRUE\n    N <- N + 1\nENDWHILE\n"),
                  "debug")
    deadline = time.monotonic() + 30
    while session._connection is None and time.monotonic() < deadline:  # noqa: SLF001
        time.sleep(0.01)
    session.send({"cmd": "pause"})
    paused = next_event(session)
    assert paused["type"] == "paused" and paused["line"] in (2, 3, 4)  # wherever it was
    assert int(values(paused["globals"])["N"]) >= 0
    session.send({"cmd": "stop"})
    assert next_event(session)["status"] == "stopped"


def test_pause_given_before_the_child_has_connected_is_not_lost(session: TraceSession) -> None:
    """Run > Pause (or F9) in the first moments of a debugging run, before the child has
    connected back: the command waits for the connection instead of being dropped."""
    session.start(prepare("DECLARE N : INTEGER\nN <- 0\nWHILE TRUE\n    N <- N + 1\nENDWHILE\n"),
                  "debug")
    assert session._connection is None  # noqa: SLF001 - the child is still starting
    assert session.send({"cmd": "pause"})
    paused = next_event(session)
    assert paused["type"] == "paused" and paused["line"] in (2, 3, 4)
    session.send({"cmd": "stop"})
    assert next_event(session)["status"] == "stopped"
