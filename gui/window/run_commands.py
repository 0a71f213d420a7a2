"""Run and Stop: the current program in a child process, its input and output in the Console.

``RunCommands`` owns the run's state: the tab waiting for its translation
before it runs (``pending``), the tab whose program runs, when it started, and
the scratch folder an unsaved program runs in. ``start_code`` is also how the
Trace and stepping runs of ``debug_ui.py`` start. At the end, a runtime error
marks its line in the editor.
"""

from __future__ import annotations

import tempfile
import time

from PySide6.QtCore import QObject, Signal, Slot

from engine.execution.runner import RunResult
from gui.services.run_controller import RunController
from gui.widgets.console import Console
from gui.widgets.problems_panel import summary
from gui.window.document_tab import DocumentTab
from gui.window.shutdown import Shutdown, Stage
from gui.window.view import WindowView


class RunCommands(QObject):
    runningChanged = Signal(bool)   # a program started (True) or ended (False)
    finished = Signal(object)       # the RunResult, after the Console and marks are done

    def __init__(self, view: WindowView, runner: RunController, console: Console,
                 shutdown: Shutdown, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view, self.runner, self._console = view, runner, console
        self.pending: DocumentTab | None = None   # runs once its translation is current
        self.run_tab: DocumentTab | None = None
        self._started_at = 0.0
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        runner.output.connect(self._on_output)
        runner.inputRequested.connect(self._on_input_requested)
        runner.finished.connect(self._on_finished)
        console.lineEntered.connect(self._on_console_line)
        console.stopRequested.connect(self.stop_program)
        shutdown.register(Stage.PROGRAM, "stop the program", self._stop_for_close)

    def run_program(self) -> None:
        tab = self._view.current_tab()
        if tab is None:
            return
        if self.runner.is_running():
            self._view.show_status("A program is already running: Shift+F5 stops it", 4000)
            return
        self._view.show_dock("console")
        self.pending = tab
        if tab.up_to_date:
            self._start_pending()
        else:
            tab.translate_now()  # the result starts the run (tab_translated)

    def tab_translated(self, tab: DocumentTab) -> None:
        """A tab has a new result: if it is waiting to run, run it now."""
        if tab is self.pending:
            self._start_pending()

    def tab_closed(self, tab: DocumentTab) -> None:
        if tab is self.run_tab:
            self.run_tab = None

    def _start_pending(self) -> None:
        tab, self.pending = self.pending, None
        if tab is None:
            return
        result = tab.result
        if tab.engine_error or result is None:
            self._console.notice("Cannot run: the translator failed on this program.")
            return
        if not result.success:
            self._console.notice(f"Cannot run: the pseudocode has {summary(tab.diagnostics)}. "
                                 "Fix them first (see Problems).")
            self._view.show_dock("problems")
            return
        self.start_code(tab, result.code, dict(getattr(result, "line_map", {}) or {}))

    def start_code(self, tab: DocumentTab, code: str, line_map: dict[int, int] | None = None,
                   notice: str = "") -> bool:
        """Run ``code`` for ``tab`` in a child process, with the Console (Run, and the
        Trace and stepping runs of gui/window/debug_ui.py); False if it could not start."""
        cwd = tab.path.parent if tab.path is not None else self.scratch_dir()
        tab.editor.clear_runtime_error()
        self._console.clear()
        self._console.notice(notice or f"\u25b6 Running {tab.title}")
        try:
            self.runner.start(code, cwd, line_map)
        except OSError as error:
            self._console.notice(f"The program could not be started: {error}")
            return False
        self.run_tab = tab
        self._started_at = time.monotonic()
        self._console.set_running(True)
        self.runningChanged.emit(True)
        self._view.show_status("Running\u2026")
        return True

    def scratch_dir(self) -> str:
        """Where an unsaved program runs (its files go there, not into a random folder)."""
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="pseudocode-untitled-")
        return self._scratch.name

    def stop_program(self) -> None:
        if self.runner.is_running():
            self.runner.stop()
            self._view.show_status("Stopping\u2026")

    def _stop_for_close(self) -> None:
        if self.runner.is_running():
            self.runner.stop()

    @Slot(str, str)
    def _on_output(self, stream: str, text: str) -> None:
        self._console.append(text, stream)

    @Slot()
    def _on_input_requested(self) -> None:
        self._console.set_waiting(True)
        self._view.show_status("The program is waiting for input: type it in the Console and "
                               "press Enter")

    @Slot(str)
    def _on_console_line(self, text: str) -> None:
        if not self.runner.send_line(text):
            self._console.notice("(the program is not reading input)")

    @Slot(object)
    def _on_finished(self, result: RunResult) -> None:
        elapsed = time.monotonic() - self._started_at
        self._console.set_running(False)
        self.runningChanged.emit(False)
        tab, self.run_tab = self.run_tab, None
        if result.killed:
            self._console.notice(f"\u25a0 Stopped after {elapsed:.1f} s.")
            self._view.show_status("Program stopped", 4000)
        elif result.error is not None:
            where = f" on line {result.error.line}" if result.error.line else ""
            self._console.notice(f"The program stopped with an error{where}.")
            if tab is not None and result.error.line:
                self._mark_runtime_error(tab, result.error.line, result.error.message)
            self._view.show_status(f"Runtime error{where}: {result.error.message}", 8000)
        elif result.returncode != 0:
            self._console.notice(f"The program ended with exit code {result.returncode}.")
        else:
            self._console.notice(f"Program finished in {elapsed:.2f} s.")
            self._view.show_status("Program finished", 4000)
        self.finished.emit(result)

    def _mark_runtime_error(self, tab: DocumentTab, line: int, message: str) -> None:
        """The error's line: marked in the editor, and shown if the tab is on screen."""
        tab.editor.mark_runtime_error(line, message)
        if tab is self._view.current_tab():
            block = tab.editor.document().findBlockByNumber(line - 1)
            cursor = tab.editor.textCursor()
            cursor.setPosition(block.position())
            tab.editor.setTextCursor(cursor)
            tab.editor.centerCursor()

