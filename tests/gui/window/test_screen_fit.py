"""The window fits the screen it opens on (gui/window/screen_fit.py): the first start on
a small screen or a laptop, and a geometry saved on a larger monitor."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QWidget

from gui.window.screen_fit import FIRST_SIZE, FRAME_GUESS, MARGIN, fitted_size, keep_on_screen


@pytest.mark.parametrize("available, expected", [
    (QRect(0, 0, 800, 600), QSize(800 - 2 * MARGIN - FRAME_GUESS.width(),
                                  600 - 2 * MARGIN - FRAME_GUESS.height())),
    # a 1366x768 laptop with a 40 px taskbar: the width fits, the height does not
    (QRect(0, 0, 1366, 728), QSize(1280, 728 - 2 * MARGIN - FRAME_GUESS.height())),
    (QRect(0, 0, 1920, 1040), FIRST_SIZE),  # a large screen: the size it always had
])
def test_the_first_size_fits_the_available_area(available, expected) -> None:
    assert fitted_size(FIRST_SIZE, available) == expected


def _inside(window: QWidget) -> bool:
    return window.screen().availableGeometry().contains(window.frameGeometry())


def test_the_first_start_fits_the_screen_with_the_status_bar_on_it(qtbot, make_window) -> None:
    window = make_window()  # no saved geometry; the offscreen screen is smaller than 1280x800
    available = window.screen().availableGeometry()
    assert available.width() < FIRST_SIZE.width()
    assert _inside(window), (window.frameGeometry(), available)
    status = window.statusBar()
    assert status.isVisible()
    assert status.mapToGlobal(status.rect().bottomLeft()).y() <= available.bottom()
    window.grab().save("/tmp/fixes_first_start.png")


def test_a_geometry_saved_on_a_larger_monitor_is_brought_inside(qtbot, make_window) -> None:
    first = make_window()
    first.resize(1600, 1100)  # a big monitor (offscreen windows may be larger than the screen)
    first.move(300, 250)
    qtbot.waitUntil(lambda: first.width() == 1600, timeout=5000)
    assert not _inside(first)
    assert first.close()
    second = make_window()  # restores the saved geometry
    assert _inside(second), (second.frameGeometry(), second.screen().availableGeometry())


def test_a_window_partly_off_the_screen_is_moved_and_shrunk(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    available = widget.screen().availableGeometry()
    widget.setGeometry(available.right() - 100, available.bottom() - 50,
                       available.width() + 200, 300)
    widget.show()
    qtbot.waitExposed(widget)
    assert keep_on_screen(widget)
    assert available.contains(widget.frameGeometry()), widget.frameGeometry()
    assert widget.height() == 300  # only what did not fit changed
    assert not keep_on_screen(widget)  # inside now: left alone
