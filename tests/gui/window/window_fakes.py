"""A fake ``WindowView`` for the controller tests (mu's pattern: the logic without a window).

``FakeView`` keeps real ``DocumentTab``s (with a stand-in translator) in a plain list
and records what the controllers ask of the window: status messages, docks shown,
title updates, closes. ``python_result`` is the stand-in translator: the "pseudocode"
is Python already, and a line with ERROR in it is a problem at that line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QWidget

from engine.language.diagnostics import Diagnostic, Severity
from gui.model.editor_settings import EditorSettings
from gui.theme import resolve
from gui.window.document_tab import DocumentTab


@dataclass
class StandInResult:
    success: bool
    code: str
    diagnostics: list[Diagnostic]
    line_map: dict[int, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=lambda: {"total_ms": 1.0})

    def code_in(self, style: str) -> str:
        return self.code


def python_result(text: str) -> StandInResult:
    errors = [Diagnostic("E000", Severity.ERROR, "an ERROR line", number, 1, number, 6)
              for number, line in enumerate(text.splitlines(), 1) if "ERROR" in line]
    return StandInResult(not errors, "" if errors else text, errors,
                         {n: n for n in range(1, text.count("\n") + 2)})


class FakeView:
    def __init__(self, settings: EditorSettings | None = None) -> None:
        self.settings = settings or EditorSettings(theme="light", autosave_interval_s=0)
        self.theme = resolve("light")
        self.holder = QWidget()   # the tabs' parent (the tab widget, in the window)
        self.tabs: list[DocumentTab] = []
        self.current: DocumentTab | None = None
        self.statuses: list[str] = []
        self.docks: list[str] = []
        self.title_updates = 0
        self.start_page_updates = 0
        self.closes = 0
        self.geometry = b""
        self.dock_state = b""

    def current_tab(self) -> DocumentTab | None:
        return self.current

    def document_tabs(self) -> list[DocumentTab]:
        return list(self.tabs)

    def new_document(self, text: str = "", title: str | None = None) -> DocumentTab:
        tab = DocumentTab(title or f"Untitled {len(self.tabs) + 1}", python_result,
                          self.settings, self.theme, self.holder)
        self.tabs.append(tab)
        self.current = tab
        if text:
            tab.editor.setPlainText(text)
            tab.set_modified(False)
        tab.translate_now()
        return tab

    def show_tab(self, tab: DocumentTab) -> None:
        self.current = tab

    def update_titles(self) -> None:
        self.title_updates += 1

    def update_start_page(self) -> None:
        self.start_page_updates += 1

    def show_status(self, text: str, timeout_ms: int = 0) -> None:
        self.statuses.append(text)

    def show_dock(self, name: str) -> None:
        self.docks.append(name)

    def close(self) -> bool:
        self.closes += 1
        return True

    def saveGeometry(self) -> QByteArray:  # noqa: N802
        return QByteArray(b"the geometry")

    def restoreGeometry(self, geometry: QByteArray) -> bool:  # noqa: N802
        self.geometry = bytes(geometry.data())
        return True

    def saveState(self, version: int = 0) -> QByteArray:  # noqa: N802
        return QByteArray(b"the docks")

    def restoreState(self, state: QByteArray, version: int = 0) -> bool:  # noqa: N802
        self.dock_state = bytes(state.data())
        return True

    def shutdown_tabs(self) -> None:
        for tab in self.tabs:
            tab.shutdown()


def wait_for_results(qtbot: Any, view: FakeView) -> None:
    qtbot.waitUntil(lambda: all(tab.up_to_date for tab in view.tabs), timeout=5000)


def type_text(tab: DocumentTab, text: str) -> None:
    """Replace the tab's text as an edit (undoable, marks it modified)."""
    cursor = tab.editor.textCursor()
    cursor.select(cursor.SelectionType.Document)
    cursor.insertText(text)
