"""What every screenshot set shares: one QApplication, an event-loop wait, settle-grab-save."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_APP = None  # outlives the windows


def wait_until(condition, timeout_ms: int = 15000) -> None:  # noqa: ANN001
    """Run the event loop until ``condition()`` holds (or the time is up)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: loop.quit() if condition() else None)
    timer.start(20)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    timer.stop()


def application():  # noqa: ANN201
    """The QApplication, made once and kept for every set (windows must not outlive it)."""
    from PySide6.QtWidgets import QApplication

    global _APP
    _APP = QApplication.instance() or QApplication(sys.argv[:1])
    return _APP


def shoot(widget, path: Path, settle_ms: int = 300) -> None:  # noqa: ANN001
    """Let the layout, the docks' fit and the highlighting settle, then save a PNG."""
    wait_until(lambda: False, settle_ms)
    widget.grab().save(str(path))
    print("wrote", path)
