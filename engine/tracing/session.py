"""One traced or stepped run of a checked program, in a child process.

The child is started by :class:`~engine.execution.runner.ProgramRunner`,
exactly as Run starts programs (its output, input requests and Stop work the
same), but the file it runs is the tracer in ``child.py`` with the program
and its name and line maps attached. The tracer connects back to a local
socket that only this session listens on (a random token proves it is our
child) and streams JSON events; a reader thread puts them in a queue that
the caller drains when it likes (a GUI on a timer), and commands (step,
continue, breakpoints) go back the same way. Nothing here blocks the caller
for longer than a socket write, except :func:`run_trace`, which is meant for
scripts, the CLI and tests.
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import socket
import threading
from pathlib import Path
from typing import Any

from engine.execution.runner import ProgramRunner, RunResult
from engine.tracing.info import PreparedProgram

PROGRAM_FILENAME = "<pseudocode program>"
DEFAULT_MAX_ROWS = 1000
DEFAULT_MAX_STEPS = 500_000
_ACCEPT_POLL_S = 0.1


def child_source() -> str:
    """The tracer's source, as the child runs it (a data file in frozen builds)."""
    return (Path(__file__).with_name("child.py")).read_text(encoding="utf-8")


class TraceSession:
    """Start a trace (``mode="trace"``) or a debugging run (``mode="debug"``)."""

    def __init__(self, runner: ProgramRunner | None = None) -> None:
        self.runner = runner or ProgramRunner()
        self._abandoned = threading.Event()
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._server: socket.socket | None = None
        self._connection: socket.socket | None = None
        self._send_lock = threading.Lock()
        self._unsent: list[bytes] = []  # commands given before the child connected
        self._thread: threading.Thread | None = None
        self._closed = threading.Event()

    def start(self, program: PreparedProgram, mode: str = "trace",
              inputs: list[str] | None = None, breakpoints: set[int] | None = None,
              step: str = "continue", cwd: str | os.PathLike[str] | None = None,
              max_rows: int = DEFAULT_MAX_ROWS, max_steps: int = DEFAULT_MAX_STEPS) -> None:
        """Start the child. ``inputs`` (trace mode) replace standard input; with
        ``None`` the program reads the runner's standard input (``send_line``)."""
        code = self.harness(program, mode, inputs, breakpoints, step, max_rows, max_steps)
        self.runner.start(code, cwd=cwd, name="pseudocode_trace.py")

    def harness(self, program: PreparedProgram, mode: str = "trace",
                inputs: list[str] | None = None, breakpoints: set[int] | None = None,
                step: str = "continue", max_rows: int = DEFAULT_MAX_ROWS,
                max_steps: int = DEFAULT_MAX_STEPS) -> str:
        """Listen for the child and return the code it must run (for a caller that
        starts it with its own runner, as the GUI does; then call ``close`` when the
        run has ended)."""
        if not program.ok:
            raise ValueError("the program has errors: nothing to trace")
        server = socket.create_server(("127.0.0.1", 0))
        server.settimeout(_ACCEPT_POLL_S)
        token = secrets.token_hex(16)
        config = {
            "port": server.getsockname()[1], "token": token, "mode": mode,
            "code": program.code, "filename": PROGRAM_FILENAME,
            "line_map": {str(k): v for k, v in program.line_map.items()},
            "names": program.info.get("names", {}),
            "routines": program.info.get("routines", {}),
            "declaration_lines": program.info.get("declaration_lines", []),
            "inputs": inputs, "breakpoints": sorted(breakpoints or ()), "step": step,
            "max_rows": max_rows, "max_steps": max_steps,
        }
        self._server = server
        self._thread = threading.Thread(target=self._serve, args=(server, token),
                                        name="trace-events", daemon=True)
        self._thread.start()
        return child_source() + "\n\n_main(" + repr(json.dumps(config)) + ")\n"

    def _serve(self, server: socket.socket, token: str) -> None:
        try:
            connection = self._accept(server)
            if connection is None:
                return
            stream = connection.makefile("rb")
            first = stream.readline().decode("utf-8", "replace").strip()
            if first != token:
                connection.close()
                return
            with self._send_lock:  # what was sent before the child connected goes first
                self._connection = connection
                unsent, self._unsent = self._unsent, []
                for data in unsent:
                    connection.sendall(data)
            for raw in stream:
                try:
                    event = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(event, dict):
                    self._events.put(event)
        except OSError:
            pass
        finally:
            self._closed.set()
            try:
                server.close()
            except OSError:
                pass

    def _accept(self, server: socket.socket) -> socket.socket | None:
        while True:
            try:
                connection, _address = server.accept()
            except TimeoutError:
                if self._abandoned.is_set():
                    return None  # the run ended without the child connecting
                continue
            connection.settimeout(None)
            return connection

    # -- while running ----------------------------------------------------
    def take_events(self) -> list[dict[str, Any]]:
        """Events received since the last call."""
        out = []
        while True:
            try:
                out.append(self._events.get_nowait())
            except queue.Empty:
                return out

    def send(self, command: dict[str, Any]) -> bool:
        """A command for the child (debug mode); False if it has gone. A command given
        before the child has connected (Pause or a breakpoint in its first moments) is
        kept and sent when it connects."""
        data = json.dumps(command).encode("utf-8") + b"\n"
        with self._send_lock:
            connection = self._connection
            if connection is None:
                if self._abandoned.is_set() or self._closed.is_set() or self._server is None:
                    return False
                self._unsent.append(data)
                return True
            try:
                connection.sendall(data)
            except OSError:
                return False
        return True

    def stop(self) -> None:
        self.runner.stop()

    def close(self) -> None:
        """The child has ended (or will never start): stop waiting for it to connect.
        Events it sent before it ended are still read to the end."""
        self._abandoned.set()

    def finished_reading(self) -> bool:
        """True once the child's channel is closed and every event has arrived."""
        return self._closed.is_set()

    def poll(self) -> RunResult | None:
        """The run's result once the child has ended and every event is read."""
        result = self.runner.poll()
        if result is not None:
            self._abandoned.set()
        if result is None or not self._closed.is_set():
            return None
        return result

    def wait(self, timeout: float | None = None) -> RunResult | None:
        """Block until the run ends (scripts and tests only)."""
        result = self.runner.wait(timeout)
        if result is None:
            return None
        self._abandoned.set()
        self._closed.wait(timeout)
        if self._connection is not None:
            try:
                self._connection.close()
            except OSError:
                pass
        return result


def run_trace(program: PreparedProgram, inputs: list[str] | None = None,
              cwd: str | os.PathLike[str] | None = None, max_rows: int = DEFAULT_MAX_ROWS,
              max_steps: int = DEFAULT_MAX_STEPS, timeout: float | None = 120):
    """Trace ``program`` to the end and return its :class:`TraceTable` (blocking)."""
    from engine.tracing.table import TraceTable

    session = TraceSession()
    session.start(program, "trace", inputs=list(inputs or []), cwd=cwd, max_rows=max_rows,
                  max_steps=max_steps)
    result = session.wait(timeout)
    if result is None:
        session.stop()
        result = session.wait(10)
    table = TraceTable()
    for event in session.take_events():
        table.add_event(event)
    table.finish(result)
    return table
