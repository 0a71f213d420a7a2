"""What the window's controllers may ask of the window: the ``WindowView`` protocol.

``MainWindow`` implements it; the controller tests (tests/gui/window/) pass a
small fake instead, so file, run, session and settings logic is tested without a
main window (mu's ``logic.Editor(view)`` pattern). The helpers below are the
document operations more than one controller needs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QTextCursor

if TYPE_CHECKING:
    from gui.theme import Theme
    from gui.widgets.code_editor import CodeEditor
    from gui.window.document_tab import DocumentTab

APP_NAME = "Pseudocode Translator"


class WindowView(Protocol):
    """The window as the controllers see it."""

    @property
    def theme(self) -> Theme: ...

    def current_tab(self) -> DocumentTab | None: ...

    def document_tabs(self) -> list[DocumentTab]: ...

    def new_document(self, text: str = "", title: str | None = None) -> DocumentTab: ...

    def show_tab(self, tab: DocumentTab) -> None:
        """Make ``tab`` the current one."""

    def update_titles(self) -> None:
        """Tab texts, tooltips and the window title after a document's name changed."""

    def update_start_page(self) -> None:
        """Show or hide the start page (it stands for an untouched, empty document)."""

    def show_status(self, text: str, timeout_ms: int = 0) -> None:
        """A message in the status bar (0: until the next one)."""

    def show_dock(self, name: str) -> None:
        """Show and raise a dock: ``"console"``, ``"problems"``."""

    def close(self) -> bool: ...

    def saveGeometry(self) -> QByteArray: ...  # noqa: N802 - QMainWindow's names

    def restoreGeometry(self, geometry: QByteArray) -> bool: ...  # noqa: N802

    def saveState(self, version: int = 0) -> QByteArray: ...  # noqa: N802

    def restoreState(self, state: QByteArray, version: int = 0) -> bool: ...  # noqa: N802


def tab_for_path(view: WindowView, path: Path) -> DocumentTab | None:
    """The open tab of ``path`` (the same file, however it is spelled), if any."""
    for tab in view.document_tabs():
        if tab.path is not None and same_file(tab.path, path):
            return tab
    return None


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return os.path.normcase(str(a.absolute())) == os.path.normcase(str(b.absolute()))


def pseudo_name(title: str) -> str:
    """The file name Save As suggests for a tab title."""
    return title if title.endswith(".pseudo") else title.replace(" ", "_") + ".pseudo"


def replace_text(editor: CodeEditor, text: str) -> None:
    """Replace the whole text as one undoable step (Revert, recovery)."""
    cursor = QTextCursor(editor.document())
    cursor.beginEditBlock()
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.insertText(text)
    cursor.endEditBlock()

