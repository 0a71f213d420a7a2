"""Find and replace: a bar under the editor (Ctrl+F, Ctrl+H), like Thonny's or VS Code's."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

_ARROW_PATTERN = "(?:<\\-|\u2190)"  # either spelling of the assignment arrow


def find_all(text: str, needle: str, match_case: bool = False,
             whole_word: bool = False) -> list[tuple[int, int]]:
    """Every occurrence of ``needle`` in ``text`` as (start, end) positions (Qt-free).

    ``<-`` and ``\u2190`` find each other (the editor may show one for the other).
    ``whole_word``: not inside a longer name (``Total`` does not find ``Totals``).
    """
    if not needle:
        return []
    pattern = _ARROW_PATTERN.join(
        _ARROW_PATTERN.join(re.escape(piece) for piece in part.split("\u2190"))
        for part in needle.split("<-"))
    if whole_word:
        if needle[0].isalnum() or needle[0] == "_":
            pattern = r"(?<![\w])" + pattern
        if needle[-1].isalnum() or needle[-1] == "_":
            pattern += r"(?![\w])"
    flags = 0 if match_case else re.IGNORECASE
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, flags) if m.end() > m.start()]


class FindBar(QWidget):
    """Works on whichever editor ``set_editor`` gave it; hidden until asked for."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor: QPlainTextEdit | None = None
        self.find_edit = QLineEdit(self)
        self.find_edit.setPlaceholderText("Find")
        self.find_edit.setClearButtonEnabled(True)
        self.replace_edit = QLineEdit(self)
        self.replace_edit.setPlaceholderText("Replace with")
        self.match_case = QCheckBox("Match case", self)
        self.whole_word = QCheckBox("Whole word", self)
        self.whole_word.setToolTip("Only whole names: Total does not find Totals")
        self.count_label = QLabel("", self)
        self.count_label.setMinimumWidth(90)
        previous = QPushButton("Previous", self)
        following = QPushButton("Next", self)
        self.replace_button = QPushButton("Replace", self)
        self.replace_all_button = QPushButton("Replace all", self)
        close = QToolButton(self)
        close.setText("\u2715")
        close.setToolTip("Close (Esc)")
        close.setAutoRaise(True)
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(3)
        grid.addWidget(self.find_edit, 0, 0)
        grid.addWidget(previous, 0, 1)
        grid.addWidget(following, 0, 2)
        grid.addWidget(self.match_case, 0, 3)
        grid.addWidget(self.whole_word, 0, 4)
        grid.addWidget(self.count_label, 0, 5)
        grid.addWidget(close, 0, 6)
        grid.addWidget(self.replace_edit, 1, 0)
        grid.addWidget(self.replace_button, 1, 1)
        grid.addWidget(self.replace_all_button, 1, 2)
        grid.setColumnStretch(0, 1)
        self._replace_row = (self.replace_edit, self.replace_button, self.replace_all_button)
        self.find_edit.textChanged.connect(self._refresh)
        self.match_case.toggled.connect(self._refresh)
        self.whole_word.toggled.connect(self._refresh)
        self.find_edit.returnPressed.connect(self.find_next)
        self.replace_edit.returnPressed.connect(self.replace_one)
        following.clicked.connect(self.find_next)
        previous.clicked.connect(self.find_previous)
        self.replace_button.clicked.connect(self.replace_one)
        self.replace_all_button.clicked.connect(self.replace_all)
        close.clicked.connect(self.close_bar)
        self.hide()

    def set_editor(self, editor: QPlainTextEdit | None) -> None:
        if self._editor is not None and hasattr(self._editor, "set_find_matches"):
            self._editor.set_find_matches([])
            try:
                self._editor.textChanged.disconnect(self._refresh)
            except (RuntimeError, TypeError):
                pass
        self._editor = editor
        if editor is not None:
            editor.textChanged.connect(self._refresh)
        self._refresh()

    def open(self, replace: bool = False) -> None:
        for widget in self._replace_row:
            widget.setVisible(replace)
        if self._editor is not None:
            selected = self._editor.textCursor().selectedText()
            if selected and "\u2029" not in selected:
                self.find_edit.setText(selected)
        self.show()
        self.find_edit.setFocus()
        self.find_edit.selectAll()
        self._refresh()

    def close_bar(self) -> None:
        self.hide()
        if self._editor is not None:
            if hasattr(self._editor, "set_find_matches"):
                self._editor.set_find_matches([])
            self._editor.setFocus()
        self.closed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)

    def matches(self) -> list[tuple[int, int]]:
        if self._editor is None:
            return []
        return find_all(self._editor.toPlainText(), self.find_edit.text(),
                        self.match_case.isChecked(), self.whole_word.isChecked())

    def _refresh(self) -> None:
        if not self.isVisible() or self._editor is None:
            return
        found = self.matches()
        if hasattr(self._editor, "set_find_matches"):
            self._editor.set_find_matches(found)
        if not self.find_edit.text():
            self.count_label.setText("")
        else:
            self.count_label.setText(f"{len(found)} match{'es' if len(found) != 1 else ''}"
                                     if found else "No matches")

    def _select(self, start: int, end: int) -> None:
        assert self._editor is not None
        cursor = self._editor.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self._editor.setTextCursor(cursor)
        self._editor.ensureCursorVisible()

    def find_next(self) -> bool:
        found = self.matches()
        if not found or self._editor is None:
            return False
        here = self._editor.textCursor().selectionEnd()
        start, end = next(((s, e) for s, e in found if s >= here), found[0])
        self._select(start, end)
        return True

    def find_previous(self) -> bool:
        found = self.matches()
        if not found or self._editor is None:
            return False
        here = self._editor.textCursor().selectionStart()
        start, end = next(((s, e) for s, e in reversed(found) if e <= here), found[-1])
        self._select(start, end)
        return True

    def replace_one(self) -> None:
        """Replace the selected match (if it is one), then go to the next."""
        if self._editor is None or self._editor.isReadOnly():
            return
        cursor = self._editor.textCursor()
        if (cursor.selectionStart(), cursor.selectionEnd()) in self.matches():
            cursor.insertText(self.replace_edit.text())
        self.find_next()

    def replace_all(self) -> int:
        """Replace every match in one undo step; returns how many."""
        if self._editor is None or self._editor.isReadOnly():
            return 0
        found = self.matches()
        if not found:
            return 0
        cursor = QTextCursor(self._editor.document())
        cursor.beginEditBlock()
        for start, end in reversed(found):
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(self.replace_edit.text())
        cursor.endEditBlock()
        self.count_label.setText(f"Replaced {len(found)}")
        return len(found)
