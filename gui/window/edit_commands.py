"""The Edit menu's commands that act on whatever has the focus, and Go to Line.

Undo, Redo, Cut, Paste, Select All and Toggle Comment go to the focused editor
(or the Console's output), else to the current tab's editor; Copy copies from
whatever widget has the focus; Copy Python copies the Python pane's program.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from gui.dialogs.message_boxes import MessageBoxes
from gui.widgets.code_editor import CodeEditor
from gui.widgets.console import Console
from gui.widgets.python_view import PythonView
from gui.window.view import WindowView


class EditCommands(QObject):
    def __init__(self, view: WindowView, dialogs: MessageBoxes, python_view: PythonView,
                 leave_start_page: Callable[[], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view, self._dialogs, self._python_view = view, dialogs, python_view
        self._leave_start_page = leave_start_page

    def _editor(self) -> CodeEditor | None:
        tab = self._view.current_tab()
        return tab.editor if tab is not None else None

    def call(self, name: str) -> None:
        """``name()`` (undo, redo, cut, paste, selectAll, toggle_comment) on the focused
        editor or the Console's output, else on the current editor."""
        widget = QApplication.focusWidget()
        target = widget if isinstance(widget, CodeEditor | Console) else self._editor()
        if isinstance(target, Console):
            target = target.output
        if target is not None and hasattr(target, name):
            getattr(target, name)()

    def copy(self) -> None:
        widget = QApplication.focusWidget()
        if hasattr(widget, "copy"):
            widget.copy()  # type: ignore[union-attr]

    def copy_python(self) -> None:
        QGuiApplication.clipboard().setText(self._python_view.code())
        self._view.show_status("Python copied to the clipboard", 3000)

    @Slot(int, int)
    def go_to_problem(self, line: int, column: int) -> None:
        editor = self._editor()
        if editor is not None:
            editor.go_to(line, column)

    def go_to_line(self) -> None:
        """Edit > Go to Line (Ctrl+G)."""
        editor = self._editor()
        if editor is None:
            return
        parent = self.parent()
        line = self._dialogs.ask_line(parent if isinstance(parent, QWidget) else None,
                                      editor.cursor_line_column()[0],
                                      editor.document().blockCount())
        if line is not None:
            self._leave_start_page()  # Go to Line on the start page: into the document
            editor.go_to(line)
