"""The Python dock's contents: a banner, the helpers note with its toggle, and the PythonView.

The generated program starts with about 90 lines of runtime helpers (arrays
with bounds, files, error reports) before the student's own code; the view
folds them away and the note under the banner says so, with a button that
shows or folds them again. ``header`` is a row other features may add their
controls to (``pane.header.addWidget(widget)``): it sits at the top, right
of the note.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui.theme import LIGHT, Theme
from gui.widgets.python_view import PythonView


class _ElidedLabel(QLabel):
    """One line that fits the pane: the longest of its wordings that fits, else "..." at the end.

    ``text()`` is always the full wording (the tooltip says the rest); the label shows a
    shorter one (``set_wordings``) rather than cutting a word off mid-way.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wordings: tuple[str, ...] = ("",)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self.set_wordings(text)

    def set_wordings(self, full: str, *shorter: str) -> None:
        """Show ``full`` when there is room, else the first of ``shorter`` that fits."""
        self._wordings = (full, *shorter)
        self._elide()

    def text(self) -> str:
        return self._wordings[0]

    def shown_text(self) -> str:
        """What the label shows now (a shorter wording, maybe elided)."""
        return super().text()

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = max(0, self.contentsRect().width())
        metrics = self.fontMetrics()
        fitting = next((w for w in self._wordings if metrics.horizontalAdvance(w) <= room),
                       None)
        super().setText(fitting if fitting is not None else
                        metrics.elidedText(self._wordings[-1], Qt.TextElideMode.ElideRight, room))


class PythonPane(QWidget):
    """Banner + helpers note (and ``header`` row) + the read-only Python view."""

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setObjectName("pythonPane")
        self.view = PythonView(self, theme)
        self.view.setObjectName("pythonView")
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setContentsMargins(8, 4, 8, 4)
        self.banner.hide()
        self.fold_note = _ElidedLabel(self)
        self.fold_note.setObjectName("helpersNote")
        self.fold_note.setContentsMargins(4, 2, 0, 2)  # the header spacing keeps it off the button
        # never wider than the pane: a narrow window shrinks the pane, not the editor
        self.fold_note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.fold_button = QToolButton(self)
        self.fold_button.setObjectName("helpersToggle")
        self.fold_button.setAutoRaise(True)
        self.fold_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.fold_button.clicked.connect(self.toggle_helpers)
        self.header_widget = QWidget(self)
        self.header = QHBoxLayout(self.header_widget)
        self.header.setContentsMargins(0, 0, 4, 0)
        self.header.setSpacing(4)
        self.header.addWidget(self.fold_note, 1)
        self.header.addWidget(self.fold_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.header_widget)
        layout.addWidget(self.view, 1)
        self.view.foldChanged.connect(self._update_note)
        self.set_theme(theme)
        self._update_note()

    def set_theme(self, theme: Theme) -> None:
        self.view.set_theme(theme)
        self.header_widget.setStyleSheet(
            f"QWidget {{ background: {theme.gutter_bg}; color: {theme.gutter_fg}; }}")

    def toggle_helpers(self) -> None:
        self.view.set_helpers_folded(not self.view.helpers_folded)
        self.view.verticalScrollBar().setValue(0)

    def _update_note(self) -> None:
        lines = self.view.helper_lines
        self.fold_note.setVisible(bool(lines))
        self.fold_button.setVisible(bool(lines))
        if not lines:
            return
        if self.view.helpers_folded:
            self.fold_note.set_wordings(f"\u25b8 {lines} lines of helpers folded away",
                                        f"\u25b8 {lines} helper lines folded",
                                        f"\u25b8 {lines} helper lines", f"\u25b8 {lines} helpers",
                                        f"\u25b8 {lines} lines", f"\u25b8 {lines}")
            self.fold_note.setToolTip(f"Lines 1-{lines} are the runtime helpers the program "
                                      "needs (arrays with bounds, files, error reports); "
                                      f"your program starts at line {lines + 1}")
            self.fold_button.setText("Show helpers")
        else:
            self.fold_note.set_wordings(f"\u25be Lines 1-{lines}: the helpers",
                                        f"\u25be 1-{lines}: helpers", f"\u25be 1-{lines}")
            self.fold_note.setToolTip(f"Your program starts at line {lines + 1}")
            self.fold_button.setText("Fold helpers")
        self.fold_button.setToolTip(self.fold_note.toolTip())
