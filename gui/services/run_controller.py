"""Runs the translated program through the Qt-free ProgramRunner, polled on a timer.

The program lives in its own process; its output is collected by the
runner's reader threads and drained here about 30 times a second, a bounded
amount each time, so even a program that prints without end leaves the
window responsive. Signals carry what the console and the editor show.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from engine.execution.runner import ProgramRunner, RunResult, Stream

POLL_MS = 30
MAX_CHARS_PER_TICK = 20_000


class RunController(QObject):
    started = Signal()
    output = Signal(str, str)          # stream ("stdout" | "stderr" | "notice"), text
    inputRequested = Signal()
    finished = Signal(object)          # RunResult

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner: ProgramRunner | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self.waiting_for_input = False

    def is_running(self) -> bool:
        return self._runner is not None

    def start(self, code: str, cwd: str | os.PathLike[str] | None,
              line_map: dict[int, int] | None = None) -> None:
        if self._runner is not None:
            raise RuntimeError("a program is already running")
        runner = ProgramRunner()
        runner.start(code, cwd=cwd, line_map=line_map)
        self._runner = runner
        self.waiting_for_input = False
        self._timer.start()
        self.started.emit()

    def send_line(self, text: str) -> bool:
        if self._runner is None:
            return False
        self.waiting_for_input = False
        return self._runner.send_line(text)

    def stop(self) -> None:
        if self._runner is not None:
            self._runner.stop()

    @Slot()
    def _poll(self) -> None:
        runner = self._runner
        if runner is None:
            self._timer.stop()
            return
        result = runner.poll()  # first: all output written before the end is then in the buffer
        for chunk in runner.take_output(MAX_CHARS_PER_TICK):
            if chunk.stream is Stream.INPUT_REQUEST:
                self.waiting_for_input = True
                self.inputRequested.emit()
            else:
                self.output.emit(str(chunk.stream), chunk.text)
        if result is not None and not runner.has_output():
            self._finish(result)

    def _finish(self, result: RunResult) -> None:
        self._timer.stop()
        self._runner = None
        self.waiting_for_input = False
        self.finished.emit(result)
