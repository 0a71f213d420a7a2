"""Trace and step runs for the window: a Qt face on engine.tracing, nothing more.

The program is checked and translated on a worker thread (``prepare``), then
started by the window exactly as Run starts programs (its Console, input,
Stop and runtime-error marking all apply), but what runs is the tracer of
``engine/tracing/child.py`` with the program inside. Events from the child
are drained on a timer, a bounded number per tick, so the window never waits
for the program, whether it runs, pauses or waits for input.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from engine.tracing.info import PreparedProgram, prepare
from engine.tracing.session import DEFAULT_MAX_ROWS, TraceSession
from engine.tracing.table import TraceRow, TraceTable
from gui.services.workers import run_in_background

POLL_MS = 30
MAX_EVENTS_PER_TICK = 200
DRAIN_TICKS = 70  # after the child ends, wait at most this many ticks for its last events


class State(StrEnum):
    IDLE = "idle"
    PREPARING = "preparing"
    RUNNING = "running"
    PAUSED = "paused"


# Starts ``code`` the way Run does; returns False if it could not be started.
Starter = Callable[[str, str], bool]


class DebugController(QObject):
    stateChanged = Signal(str)
    problems = Signal(object)           # PreparedProgram with errors: nothing ran
    traceStarted = Signal(object)       # TraceTable
    traceRow = Signal(object)           # TraceRow
    traceFinished = Signal(object)      # TraceTable
    paused = Signal(dict)               # the child's "paused" event
    resumed = Signal()
    debugFinished = Signal(str)         # how it ended, for the Variables panel
    notice = Signal(str)                # something the student should know (Console)

    def __init__(self, starter: Starter, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._starter = starter
        self.state = State.IDLE
        self.mode = ""
        self.session: TraceSession | None = None
        self.table: TraceTable | None = None
        self.breakpoints: set[int] = set()
        self.max_rows = DEFAULT_MAX_ROWS
        self.last_pause: dict[str, Any] | None = None
        self._drain = 0
        self._result: object = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    # -- starting ---------------------------------------------------------
    def busy(self) -> bool:
        return self.state is not State.IDLE

    def trace(self, source: str, inputs: list[str], strict: bool = False,
              title: str = "") -> bool:
        """Check ``source`` and, if it has no errors, trace it with ``inputs``."""
        return self._begin({"mode": "trace", "inputs": list(inputs), "title": title},
                           source, strict)

    def debug(self, source: str, step: str = "continue", strict: bool = False,
              title: str = "") -> bool:
        """Run ``source`` stopping at breakpoints (``step="continue"``) or at its first
        statement (``"step_into"``)."""
        return self._begin({"mode": "debug", "step": step, "title": title}, source, strict)

    def _begin(self, request: dict[str, Any], source: str, strict: bool) -> bool:
        if self.busy():
            return False
        self._set_state(State.PREPARING)
        request["source"] = source

        def failed(error: BaseException) -> None:  # reported, never a crash
            request["failure"] = f"{type(error).__name__}: {error}"
            self._on_prepared(PreparedProgram(), request)

        run_in_background(prepare, source, strict, receiver=self, failed=failed,
                          done=lambda program: self._on_prepared(program, request))
        return True

    def _on_prepared(self, program: PreparedProgram, request: dict[str, Any]) -> None:
        if self.state is not State.PREPARING:
            return  # cancelled meanwhile
        if not program.ok:
            self._set_state(State.IDLE)
            self.problems.emit(program)
            return
        session = TraceSession()
        self.mode = str(request["mode"])
        if self.mode == "trace":
            code = session.harness(program, "trace", inputs=request["inputs"],
                                   max_rows=self.max_rows)
        else:
            code = session.harness(program, "debug", inputs=None,
                                   breakpoints=set(self.breakpoints), step=request["step"])
            idle = sorted(self.breakpoints - set(program.line_map.values()))
            if idle:
                lines = ", ".join(map(str, idle))
                self.notice.emit(f"No statement on line {lines} (ENDIF, NEXT, a comment...): "
                                 "a breakpoint there never stops. Put it on a statement.")
        self.session = session
        if self.mode == "trace":
            self.table = TraceTable()
            self.traceStarted.emit(self.table)
        if not self._starter(code, str(request.get("title", ""))):
            session.close()
            self.session = None
            self._set_state(State.IDLE)
            return
        self._drain = 0
        self._set_state(State.RUNNING)
        self._timer.start()

    # -- stepping ---------------------------------------------------------
    def command(self, kind: str) -> bool:
        """``step_over``, ``step_into``, ``step_out`` or ``continue`` while paused."""
        if self.state is not State.PAUSED or self.session is None:
            return False
        if not self.session.send({"cmd": kind, "breakpoints": sorted(self.breakpoints)}):
            return False
        self._set_state(State.RUNNING)
        self.resumed.emit()
        return True

    def pause(self) -> bool:
        if self.state is not State.RUNNING or self.mode != "debug" or self.session is None:
            return False
        return self.session.send({"cmd": "pause"})

    def set_breakpoints(self, lines: list[int]) -> None:
        self.breakpoints = set(lines)
        if self.session is not None and self.mode == "debug" and self.state is State.RUNNING:
            self.session.send({"cmd": "breakpoints", "breakpoints": sorted(self.breakpoints)})

    # -- events -----------------------------------------------------------
    @Slot()
    def _poll(self) -> None:
        session = self.session
        if session is None:
            self._timer.stop()
            return
        events = session.take_events()
        for event in events[:MAX_EVENTS_PER_TICK]:
            self._handle(event)
        if len(events) > MAX_EVENTS_PER_TICK:  # keep the rest for the next tick
            for event in reversed(events[MAX_EVENTS_PER_TICK:]):
                session._events.queue.appendleft(event)  # noqa: SLF001 - our own queue
            return
        if self._drain:
            self._drain += 1
            if session.finished_reading() or self._drain > DRAIN_TICKS:
                self._finish()

    def _handle(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        if self.mode == "trace" and self.table is not None:
            row = self.table.add_event(event)
            if isinstance(row, TraceRow):
                self.traceRow.emit(row)
            return
        if kind == "paused":
            self.last_pause = event
            self._set_state(State.PAUSED)
            self.paused.emit(event)

    @Slot(object)
    def program_finished(self, result: object) -> None:
        """The window's runner says the child has ended: read its last events, finish."""
        if self.session is None:
            return
        self.session.close()
        self._result = result
        self._drain = 1
        self._timer.start()

    def _finish(self) -> None:
        self._timer.stop()
        session, self.session = self.session, None
        if session is not None:
            for event in session.take_events():
                self._handle(event)
        if self.mode == "trace" and self.table is not None:
            self.table.finish(self._result)
            self.traceFinished.emit(self.table)
        elif self.mode == "debug":
            self.debugFinished.emit(_ending(self._result))
        self.last_pause = None
        self._set_state(State.IDLE)

    def _set_state(self, state: State) -> None:
        if state is not self.state:
            self.state = state
            self.stateChanged.emit(str(state))


def _ending(result: object) -> str:
    """How a stepped run ended, in a sentence for the Variables panel."""
    if getattr(result, "killed", False):
        return "Stopped."
    error = getattr(result, "error", None)
    if error is not None:
        where = f" at line {error.line}" if getattr(error, "line", 0) else ""
        return f"The program stopped with a runtime error{where}: {error.message}"
    return "The program has finished."
