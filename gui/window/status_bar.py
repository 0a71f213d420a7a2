"""The window's status bar: the pool indicator, the last translation, the problems, the cursor.

``WindowStatusBar`` builds the permanent widgets into the QMainWindow's status
bar and keeps the pool indicator in step with ``EngineService.poolChanged``
itself. The problems button and the pool indicator are clickable; what a click
does is the window's wiring (``problemsClicked``, ``poolClicked``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal, Slot
from PySide6.QtWidgets import QLabel, QStatusBar, QToolButton, QWidget

from gui.services.engine_service import EngineService


class PoolIndicator(QToolButton):
    """The status bar's pool state; its tooltip (the latest event) is made when shown."""

    def __init__(self, tooltip: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tooltip = tooltip
        self.setAutoRaise(True)
        self.setObjectName("statusPool")

    def current_tooltip(self) -> str:
        return self._tooltip()

    def event(self, event: QEvent) -> bool:  # noqa: D401
        if event.type() == QEvent.Type.ToolTip:
            self.setToolTip(self._tooltip())
        return super().event(event)


class WindowStatusBar(QObject):
    """The permanent widgets, left to right: pool, translation time, problems, cursor."""

    problemsClicked = Signal()
    poolClicked = Signal()

    def __init__(self, bar: QStatusBar, engine: EngineService, parent: QWidget) -> None:
        super().__init__(parent)
        self._engine = engine
        self.problems = QToolButton(parent)
        self.problems.setAutoRaise(True)
        self.problems.setText("No problems")
        self.problems.setToolTip("Show the Problems panel")
        self.problems.clicked.connect(self.problemsClicked)
        self.translation = QLabel("", parent)
        self.cursor = QLabel("Ln 1, Col 1", parent)
        self.pool = PoolIndicator(engine.status.tooltip, parent)
        self.pool.clicked.connect(self.poolClicked)
        for widget in (self.pool, self.translation, self.problems, self.cursor):
            bar.addPermanentWidget(widget)
        engine.poolChanged.connect(self.update_pool)
        self.update_pool()

    @Slot()
    def update_pool(self) -> None:
        self.pool.setText(self._engine.status.label())

    def set_cursor(self, line: int, column: int) -> None:
        self.cursor.setText(f"Ln {line}, Col {column}")
