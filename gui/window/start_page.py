"""The start page: what the empty window shows (new, open, recent files, the examples).

A first start used to show an empty editor and no hint of what to do. The
window shows this page instead while its only document is an untouched,
empty Untitled one; typing there, New, Open or an example brings the editor.
The page knows nothing about files or tabs: it emits what was asked for.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from gui import resources
from gui.theme import LIGHT, Theme

MAX_RECENT_SHOWN = 6
CARD_WIDTH = 250  # the gallery puts as many cards side by side as fit


class ExampleCard(QFrame):
    """One example: its title and what it teaches; click (or Enter) opens it."""

    activated = Signal(object)  # Path

    def __init__(self, example: resources.Example, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.example = example
        self.setObjectName("exampleCard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(f"Open {example.path.name} (a copy: your changes never touch it)")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.title = QLabel(f"<b>{_escape(example.title)}</b>", self)
        self.description = QLabel(_escape(example.description), self)
        self.description.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.description)
        layout.addStretch(1)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
                event.position().toPoint()):
            self.activated.emit(self.example.path)
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.example.path)
            return
        super().keyPressEvent(event)


class StartPage(QScrollArea):
    """New, Open, the recent files and the examples gallery (scrolls in a small window)."""

    newRequested = Signal()
    openRequested = Signal()
    recentRequested = Signal(str)
    exampleRequested = Signal(object)  # Path

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setObjectName("startPage")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(self)
        body.setObjectName("startBody")
        self.setWidget(body)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.setSpacing(14)
        heading = QLabel("<span style='font-size:16pt; font-weight:600'>"
                         "Pseudocode Translator</span>", body)
        intro = QLabel("Type Cambridge pseudocode (9618 / 0478) on the left: its Python "
                       "appears beside it as you type, every mistake is pointed out at its "
                       "line, and F5 runs the program.", body)
        intro.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.new_button = QPushButton("New program  (Ctrl+N)", body)
        self.new_button.clicked.connect(self.newRequested)
        self.open_button = QPushButton("Open a file\u2026  (Ctrl+O)", body)
        self.open_button.clicked.connect(self.openRequested)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        self.recent_heading = QLabel("<b>Recent files</b>", body)
        self.recent_box = QVBoxLayout()
        self.recent_box.setSpacing(2)
        examples_heading = QLabel("<b>Examples</b> \u2014 each opens as a copy; "
                                  "also in File \u25b8 Examples", body)
        self.gallery = QGridLayout()
        self.gallery.setSpacing(10)
        self.cards: list[ExampleCard] = []
        for example in resources.examples():
            card = ExampleCard(example, body)
            card.activated.connect(self.exampleRequested)
            self.cards.append(card)
        if not self.cards:
            examples_heading.setText("<b>Examples</b>: none found in this installation")
        outer.addWidget(heading)
        outer.addWidget(intro)
        outer.addLayout(buttons)
        outer.addWidget(self.recent_heading)
        outer.addLayout(self.recent_box)
        outer.addWidget(examples_heading)
        outer.addLayout(self.gallery)
        outer.addStretch(1)
        self._columns = 0
        self._recent_buttons: list[QPushButton] = []
        self.set_recent([])
        self.set_theme(theme)
        self._reflow()

    def set_theme(self, theme: Theme) -> None:
        self.setStyleSheet(
            f"QWidget#startBody {{ background: {theme.background}; color: {theme.foreground}; }}"
            f" QFrame#exampleCard {{ background: {theme.gutter_bg};"
            f" border: 1px solid {theme.selection}; border-radius: 6px; }}"
            f" QFrame#exampleCard:focus, QFrame#exampleCard:hover {{"
            f" border: 2px solid {theme.info}; }}"
            f" QPushButton#recentFile {{ text-align: left; border: none; color: {theme.info};"
            " padding: 2px 4px; }"
            " QPushButton#recentFile:hover { text-decoration: underline; }")

    def set_recent(self, paths: list[str]) -> None:
        """The recent files (newest first); the ones that no longer exist are left out."""
        for button in self._recent_buttons:
            self.recent_box.removeWidget(button)
            button.deleteLater()
        self._recent_buttons = []
        for path in [p for p in paths if Path(p).is_file()][:MAX_RECENT_SHOWN]:
            button = QPushButton(f"{Path(path).name}   \u2014   {Path(path).parent}", self.widget())
            button.setObjectName("recentFile")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(path)
            button.clicked.connect(lambda _=False, p=path: self.recentRequested.emit(p))
            self.recent_box.addWidget(button)
            self._recent_buttons.append(button)
        self.recent_heading.setVisible(bool(self._recent_buttons))

    def recent_paths(self) -> list[str]:
        return [button.toolTip() for button in self._recent_buttons]

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001
        super().resizeEvent(event)
        self._reflow()

    def _reflow(self) -> None:
        """As many cards per row as fit the width (one in a narrow window)."""
        columns = max(1, min(4, (self.viewport().width() - 64) // CARD_WIDTH))
        if columns == self._columns:
            return
        self._columns = columns
        for card in self.cards:
            self.gallery.removeWidget(card)
        for index, card in enumerate(self.cards):
            self.gallery.addWidget(card, index // columns, index % columns)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
