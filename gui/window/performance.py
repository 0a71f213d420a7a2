"""View > Performance: the model every engine event feeds, and the panel built when first shown.

``PerformanceView`` feeds each engine event to ``PerfModel`` (numpy, made on
the first event: not on the start-up path) and builds ``PerformancePanel``
(pyqtgraph) in the Performance dock the first time the dock is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QDockWidget, QWidget

from engine.folder_batch import BatchSummary
from gui.dialogs.message_boxes import MessageBoxes
from gui.services.engine_service import EngineService
from gui.theme import Theme
from gui.window.view import WindowView


class PerformanceView(QObject):
    def __init__(self, view: WindowView, dock: QDockWidget, engine: EngineService,
                 dialogs: MessageBoxes, start_folder: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view, self._dock, self._engine = view, dock, engine
        self._dialogs, self._start_folder = dialogs, start_folder
        self._model: Any = None       # PerfModel, made on the first event
        self.panel: Any = None        # PerformancePanel, built the first time it is shown
        engine.bridge.event.connect(self._record_event)
        dock.visibilityChanged.connect(self._on_visible)
        self.action = dock.toggleViewAction()
        self.action.triggered.connect(self._on_action)
        self.action.setStatusTip("Live charts of translation times and the process pool")

    @property
    def model(self) -> Any:
        """What the Performance panel shows (imports numpy: not on the start-up path)."""
        if self._model is None:
            from gui.model.perf_model import PerfModel

            self._model = PerfModel()
        return self._model

    @Slot(object)
    def _record_event(self, event: Any) -> None:
        self.model.feed(event)

    def note_batch(self, summary: BatchSummary) -> None:
        """A folder batch ended: one burst on the chart (its throughput)."""
        if summary.done:
            self.model.note_batch(summary.done, summary.translate_seconds)

    @Slot(bool)
    def _on_visible(self, visible: bool) -> None:
        if visible and self.panel is None:
            self._build_panel()

    @Slot(bool)
    def _on_action(self, checked: bool) -> None:
        if checked:
            self.show()

    def show(self) -> Any:
        """Show the Performance panel (View > Performance); returns it."""
        self._dock.show()
        self._dock.raise_()
        if self.panel is None:
            self._build_panel()
        return self.panel

    def _build_panel(self) -> Any:
        from pathlib import Path

        from gui.widgets.perf_panel import PerformancePanel  # pyqtgraph: only when first shown

        parent = self.parent() if isinstance(self.parent(), QWidget) else None
        panel = PerformancePanel(
            self.model, self._view.theme, self._pool_state_text,
            lambda: self._dialogs.save_csv_path(
                parent, str(Path(self._start_folder()) / "performance.csv")), self._dock)
        panel.exported.connect(self._on_exported)
        old = self._dock.widget()
        self._dock.setWidget(panel)
        if old is not None:
            old.deleteLater()
        self.panel = panel
        return panel

    def _pool_state_text(self) -> str:
        return self._engine.status.label().removeprefix("Pool: ")

    @Slot(str, str)
    def _on_exported(self, path: str, error: str) -> None:
        if error:
            parent = self.parent()
            self._dialogs.show_error(parent if isinstance(parent, QWidget) else None,
                                     "Export the performance data",
                                     f"{path} could not be written: {error}")
        else:
            self._view.show_status(f"Performance data saved to {path}", 4000)

    def set_theme(self, theme: Theme) -> None:
        if self.panel is not None:
            self.panel.set_theme(theme)
