"""Small windows: the editor keeps the larger share of the space.

Side docks (left + right) may take at most SIDE_MAX of the width and bottom
docks BOTTOM_MAX of the height; past that they are shrunk to SIDE_FIT /
BOTTOM_FIT. A window shorter than SHORT_WINDOW gives the bottom docks (their tab
bar included) less: BOTTOM_*_SHORT. In a window of SHORT_WINDOW or more, the bottom docks keep the
height that shows a useful amount of each one (a dock's widget may say how much with
``useful_height()``: the Console's is five lines of output), up to USEFUL_MAX of
the window (a smaller one grows to it: the editor still has two thirds).
:class:`DockFitter` calls :func:`fit_docks` after each resize or show of
the window, once it has been laid out.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow

SIDE_MAX, SIDE_FIT = 0.45, 0.40
BOTTOM_MAX, BOTTOM_FIT = 0.26, 0.22
SHORT_WINDOW = 760
BOTTOM_MAX_SHORT, BOTTOM_FIT_SHORT = 0.25, 0.20
USEFUL_MAX = 0.33


def fit_docks(window: QMainWindow) -> None:
    """Shrink docked panes that would take the editor's share of a small window.

    Applies to every docked, visible QDockWidget of the window by its area, so a
    dock added later (``addDockWidget``) follows the same rules. Only sizes beyond
    the limits change: a size the user chose within them stays.
    """
    width, height = max(window.width(), 1), max(window.height(), 1)
    docks = [d for d in window.findChildren(QDockWidget)
             if d.parent() is window and d.isVisible() and not d.isFloating()]
    area = window.dockWidgetArea
    sides = [d for d in docks if area(d) in (Qt.DockWidgetArea.LeftDockWidgetArea,
                                             Qt.DockWidgetArea.RightDockWidgetArea)]
    by_side: dict[Qt.DockWidgetArea, int] = {}
    for dock in sides:
        by_side[area(dock)] = max(by_side.get(area(dock), 0), dock.width())
    side_total = sum(by_side.values())
    if side_total > SIDE_MAX * width:
        scale = SIDE_FIT * width / side_total
        window.resizeDocks(sides, [max(120, int(by_side[area(d)] * scale)) for d in sides],
                           Qt.Orientation.Horizontal)
    bottoms = [d for d in docks if area(d) == Qt.DockWidgetArea.BottomDockWidgetArea]
    if not bottoms:
        return
    # The whole bottom area counts: tabified docks add a tab bar below the tallest one,
    # which resizeDocks does not include in the size it sets.
    # A dock tabbed behind another is parked outside the window: only the ones laid out
    # in it are measured (a parked one made the tab bar look hundreds of pixels tall, and
    # the bottom docks were cut to their 90 px floor: two lines of Console output).
    shown = [d for d in bottoms if window.rect().contains(d.geometry())] or bottoms
    status = window.statusBar()
    floor = status.geometry().top() if status.isVisible() else height
    taken = floor - min(d.geometry().top() for d in shown)
    extra = max(0, taken - max(d.height() for d in shown))
    most, fit = ((BOTTOM_MAX_SHORT, BOTTOM_FIT_SHORT) if height < SHORT_WINDOW
                 else (BOTTOM_MAX, BOTTOM_FIT))
    title = max(0, max(d.height() - d.widget().height() for d in shown))
    useful = title + _useful_height(window, height) if height >= SHORT_WINDOW else 0
    size = 0
    if taken > max(most * height, useful + extra):
        size = max(90, int(fit * height) - extra, useful + extra)
    elif max(d.height() for d in shown) < useful:  # (a shorter window, a restored layout)
        size = useful + extra  # the size of a tab group counts its tab bar
    if size:
        window.resizeDocks(shown, [size] * len(shown), Qt.Orientation.Vertical)


def _useful_height(window: QMainWindow, height: int) -> int:
    """The height (title bar aside) that shows enough of the bottom docks that say how much
    they need (open ones, tabbed behind another included), within USEFUL_MAX of the window."""
    wanted = 0
    for dock in window.findChildren(QDockWidget):
        widget = dock.widget()
        useful = getattr(widget, "useful_height", None)
        if (dock.parent() is window and callable(useful) and not dock.isFloating()
                and dock.toggleViewAction().isChecked()
                and window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea):
            wanted = max(wanted, int(useful()))
    return min(wanted, int(USEFUL_MAX * height))


class DockFitter(QObject):
    """Fits the window's docks after each resize or show, once the layout has settled."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._timer = QTimer(self)  # after a resize has been laid out: fit the docks
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(lambda: fit_docks(window))
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._window and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._timer.start()
        return False
