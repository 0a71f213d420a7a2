"""The window on the screen it opens on: never larger than the screen, never off it.

At the first start (no saved geometry) the window is :data:`FIRST_SIZE`, or less
on a smaller screen: it fits the screen's available geometry (the taskbar and
panels excluded) with :data:`MARGIN` pixels to spare, the window frame included,
and is centred on it. A saved geometry restored on a smaller screen than the one
it was saved on (a laptop after a big monitor) is shrunk and moved the same way,
so the status bar and the title bar are always reachable.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QWidget

FIRST_SIZE = QSize(1280, 800)
MARGIN = 16
# The frame a window manager adds is only known once the window is shown: before
# that, allow for a title bar and borders of this size.
FRAME_GUESS = QSize(16, 40)


def _frame(window: QWidget) -> QSize:
    outer, inner = window.frameGeometry(), window.geometry()
    extra = QSize(outer.width() - inner.width(), outer.height() - inner.height())
    return extra if window.isVisible() else extra.expandedTo(FRAME_GUESS)


def fitted_size(wanted: QSize, available: QRect, frame: QSize = FRAME_GUESS) -> QSize:
    """``wanted``, made smaller where the screen's ``available`` area cannot hold it
    (with its ``frame`` and MARGIN on every side)."""
    room = QSize(available.width() - 2 * MARGIN - frame.width(),
                 available.height() - 2 * MARGIN - frame.height())
    return wanted.boundedTo(room.expandedTo(QSize(1, 1)))


def _available(window: QWidget) -> QRect | None:
    screen = window.screen()
    return screen.availableGeometry() if screen is not None else None


def size_for_first_start(window: QWidget) -> None:
    """Size and centre a window that has no saved geometry on its screen."""
    available = _available(window)
    if available is None:
        window.resize(FIRST_SIZE)
        return
    frame = _frame(window)
    size = fitted_size(FIRST_SIZE, available, frame)
    window.resize(size)
    left = available.left() + (available.width() - size.width() - frame.width()) // 2
    top = available.top() + (available.height() - size.height() - frame.height()) // 2
    window.move(QPoint(max(available.left(), left), max(available.top(), top)))


def keep_on_screen(window: QWidget) -> bool:
    """Bring a (restored) window inside its screen's available area: smaller if it is too
    large, moved if part of it is outside. Returns whether anything changed."""
    available = _available(window)
    if available is None or window.isMaximized() or window.isFullScreen():
        return False
    frame = _frame(window)
    size = fitted_size(window.size(), available, frame)
    outer = QRect(window.frameGeometry().topLeft(), size + frame)
    inside = available.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
    if size == window.size() and available.contains(outer):
        return False  # fits already (the margin is for a window we place, not the user's)
    left = min(max(outer.left(), inside.left()), inside.right() + 1 - outer.width())
    top = min(max(outer.top(), inside.top()), inside.bottom() + 1 - outer.height())
    window.resize(size)
    window.move(QPoint(left, top))
    return True
