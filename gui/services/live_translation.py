"""Live translation: debounce typing, translate on a worker thread, drop stale results.

Each change gets a revision number. After a pause (300 ms) the newest text
is sent to one worker thread; while it runs, further changes only replace
the text waiting to go next. A result whose revision is no longer the
newest is dropped, so what is shown always belongs to the text on screen.
The UI thread never waits for a translation.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal, Slot

from gui.services.workers import run_in_background

TranslateFn = Callable[[str], Any]

# How long a thread may hold the GIL while another waits for it (Python's default: 5 ms).
GUI_SWITCH_INTERVAL_S = 0.0005


def share_the_gil_with_the_gui() -> None:
    """Let the GUI thread take the GIL back quickly while a translation runs.

    With Python's default of 5 ms, every call from the GUI thread into Qt that
    releases the GIL waits up to 5 ms to get it back from a busy translation
    thread; a key press or a repaint makes dozens of such calls, so typing into a
    big document stalled the window for 50-150 ms per translation. At 0.5 ms the
    stalls are gone (examples/ui_latency_benchmark.py) and the translation itself
    is no slower. Process-wide and idempotent: the window calls it when it is made.
    """
    if sys.getswitchinterval() > GUI_SWITCH_INTERVAL_S:
        sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)


class LiveTranslation(QObject):
    """Schedules translations of one document; emits only up-to-date results."""

    resultReady = Signal(int, object)   # revision, TranslationResult
    failed = Signal(int, str)           # revision, traceback (an engine bug)
    busyChanged = Signal(bool)

    def __init__(self, translate_fn: TranslateFn, delay_ms: int = 300,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.translate_fn = translate_fn
        self.revision = 0
        self.dropped = 0           # stale results thrown away (for tests and telemetry)
        self._text = ""
        self._submitted = 0        # the newest revision sent to the worker
        self._busy = False
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._submit)

    @property
    def busy(self) -> bool:
        return self._busy

    def schedule(self, text: str) -> int:
        """The text changed: translate it after the pause. Returns its revision."""
        self.revision += 1
        self._text = text
        self._timer.start()
        return self.revision

    def translate_now(self, text: str | None = None) -> int:
        """Skip the pause (opening a file, before a run)."""
        if text is not None:
            self.revision += 1
            self._text = text
        self._timer.stop()
        self._submit()
        return self.revision

    @Slot()
    def _submit(self) -> None:
        if self._busy or self._submitted == self.revision:
            return  # the worker will pick up the newest text when it is done
        self._busy = True
        self.busyChanged.emit(True)
        self._submitted = self.revision
        revision = self.revision
        # An engine bug must reach the user (as its traceback), never kill the app.
        run_in_background(self.translate_fn, self._text, pool=self._pool, receiver=self,
                          done=lambda result: self._on_done(revision, result, ""),
                          failed=lambda error: self._on_done(
                              revision, None, "".join(traceback.format_exception(error))))

    def _on_done(self, revision: int, result: object, error: str) -> None:
        self._busy = False
        if revision != self.revision:
            self.dropped += 1
            if not self._timer.isActive():
                self._submit()  # the text changed while we worked: go again
            if not self._busy:
                self.busyChanged.emit(False)
            return
        self.busyChanged.emit(False)
        if error:
            self.failed.emit(revision, error)
        else:
            self.resultReady.emit(revision, result)

    def shutdown(self, timeout_ms: int = 2000) -> None:
        """Stop the timer and let a running translation finish (on window close)."""
        self._timer.stop()
        self._pool.clear()
        self._pool.waitForDone(timeout_ms)
