"""SIGTERM and SIGINT (POSIX) as a Qt signal: how the app is asked to quit from outside.

A Python signal handler only runs when the interpreter gets control, and
while Qt's event loop waits in C++ it does not: a plain ``signal.signal``
handler would run at the next mouse move, or never. So the usual Qt
pattern: ``signal.set_wakeup_fd`` makes the C-level handler write the
signal's number to one end of a socket pair, a ``QSocketNotifier`` on the
other end wakes the event loop, and ``received(signum)`` is emitted in the
GUI thread, where it is safe to close windows. No timer, no busy loop.

``QuitSignals.install()`` does nothing (returns False) on Windows, where
these signals cannot be sent to a GUI process in the first place, and
outside the main thread. ``uninstall()`` puts back the previous handlers and
wakeup fd (tests); ``restore_defaults()`` makes the next signal end the
process at once (the app's answer to a second Ctrl+C).
"""

from __future__ import annotations

import os
import signal
import socket
import threading
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, Signal, Slot

QUIT_SIGNALS = ("SIGTERM", "SIGINT")


def _ignore(_signum: int, _frame: FrameType | None) -> None:
    """The Python-level handler: nothing to do, the wakeup fd carries the signal."""


class QuitSignals(QObject):
    """Emits ``received(signum)`` in the GUI thread for SIGTERM and SIGINT."""

    received = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reader: socket.socket | None = None
        self._writer: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._old_wakeup_fd = -1
        self._old_handlers: dict[int, object] = {}

    @property
    def installed(self) -> bool:
        return self._notifier is not None

    @staticmethod
    def signals() -> list[signal.Signals]:
        return [getattr(signal, name) for name in QUIT_SIGNALS if hasattr(signal, name)]

    def install(self) -> bool:
        """Start listening; False where it cannot (Windows, not the main thread)."""
        if self.installed:
            return True
        if os.name != "posix" or threading.current_thread() is not threading.main_thread():
            return False
        reader, writer = socket.socketpair()
        for end in (reader, writer):
            end.setblocking(False)  # set_wakeup_fd needs it; a full buffer drops, never blocks
        self._reader, self._writer = reader, writer
        self._old_wakeup_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        for number in self.signals():
            self._old_handlers[number] = signal.signal(number, _ignore)
        self._notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_readable)
        return True

    def uninstall(self) -> None:
        """The previous handlers and wakeup fd again; the sockets closed."""
        if not self.installed:
            return
        for number, handler in self._old_handlers.items():
            signal.signal(number, handler)  # type: ignore[arg-type]
        self._old_handlers.clear()
        self._close()

    def restore_defaults(self) -> None:
        """The next SIGTERM or SIGINT ends the process at once (the operating system's way)."""
        if not self.installed:
            return
        for number in self.signals():
            signal.signal(number, signal.SIG_DFL)
        self._old_handlers.clear()
        self._close()

    def _close(self) -> None:
        signal.set_wakeup_fd(self._old_wakeup_fd)
        self._old_wakeup_fd = -1
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        for end in (self._reader, self._writer):
            if end is not None:
                end.close()
        self._reader = self._writer = None

    @Slot()
    def _on_readable(self, *_: object) -> None:
        reader = self._reader
        if reader is None:
            return
        try:
            data = reader.recv(64)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            return
        for number in data:
            self.received.emit(int(number))
