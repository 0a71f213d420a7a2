"""The Console pane: the running program's output, and a line to type its input."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.theme import LIGHT, Theme

MAX_LINES = 20_000
IDLE_PLACEHOLDER = "Run the program (F5); when it asks for INPUT, type here and press Enter"
RUNNING_PLACEHOLDER = "The program is running (Stop: Shift+F5)"
WAITING_PLACEHOLDER = "The program is waiting for INPUT: type a line and press Enter"


class Console(QWidget):
    """Output view plus input line; knows nothing about processes (the window wires it)."""

    lineEntered = Signal(str)
    stopRequested = Signal()

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self._theme = theme
        self._running = False
        self._last_kind = ""
        self.output = QPlainTextEdit(self)
        self.output.setReadOnly(True)
        self.output.setMaximumBlockCount(MAX_LINES)
        self.output.setUndoRedoEnabled(False)
        self.output.setObjectName("consoleOutput")
        self.prompt = QLabel("Input:", self)
        self.input = QLineEdit(self)
        self.input.setObjectName("consoleInput")
        self.input.setPlaceholderText(IDLE_PLACEHOLDER)
        self.input.returnPressed.connect(self._send)
        self.send_button = QPushButton("Send", self)
        self.send_button.clicked.connect(self._send)
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.setToolTip("Stop the program (Shift+F5)")
        self.stop_button.clicked.connect(self.stopRequested)
        self.output.document().setDocumentMargin(6)  # text off the pane's edge
        # Two lines of output are enough: lets a short window keep the bottom docks small.
        self.output.setMinimumHeight(3 * self.output.fontMetrics().lineSpacing())
        row = QHBoxLayout()
        row.setContentsMargins(6, 4, 6, 6)
        row.setSpacing(6)
        row.addWidget(self.prompt)
        row.addWidget(self.input, 1)
        row.addWidget(self.send_button)
        row.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.output, 1)
        layout.addLayout(row)
        self.set_running(False)
        self.set_theme(theme)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.output.setStyleSheet(
            f"QPlainTextEdit {{ background: {theme.background}; color: {theme.foreground};"
            " border: none; }")

    def set_font(self, font: QFont) -> None:
        self.output.setFont(font)
        self.input.setFont(font)

    def set_running(self, running: bool) -> None:
        self.input.setEnabled(running)
        self.send_button.setEnabled(running)
        self.stop_button.setEnabled(running)
        self._running = running
        self.set_waiting(False)

    def set_waiting(self, waiting: bool) -> None:
        """Show that the program waits for a line of input (and put the cursor there)."""
        color = self._theme.info
        self.input.setStyleSheet(f"QLineEdit {{ border: 2px solid {color}; }}" if waiting else "")
        self.prompt.setText("<b>Input:</b>" if waiting else "Input:")
        if waiting:
            self.input.setPlaceholderText(WAITING_PLACEHOLDER)
        else:
            self.input.setPlaceholderText(RUNNING_PLACEHOLDER if self._running
                                          else IDLE_PLACEHOLDER)
        if waiting:
            self.input.setFocus()

    def clear(self) -> None:
        self.output.clear()
        self._last_kind = ""

    def _send(self) -> None:
        if not self.input.isEnabled():
            return
        text = self.input.text()
        self.input.clear()
        self.set_waiting(False)
        self.append(text + "\n", "input")
        self.lineEntered.emit(text)

    def append(self, text: str, kind: str = "stdout") -> None:
        """Add text at the end, in the style of its kind (stdout, stderr, input, notice).

        A runtime error (stderr) after output that did not end its line starts
        on a line of its own, so it never reads as part of the program's text.
        """
        if not text:
            return
        if (kind == "stderr" and self._last_kind not in ("", "stderr")
                and not self._ends_with_newline()):
            text = "\n" + text
        self._last_kind = kind
        theme = self._theme
        fmt = QTextCharFormat()
        if kind == "stderr":
            fmt.setForeground(QColor(theme.error))
        elif kind == "input":
            fmt.setForeground(QColor(theme.console_input))
            fmt.setFontWeight(QFont.Weight.Bold)
        elif kind == "notice":
            fmt.setForeground(QColor(theme.gutter_fg))
            fmt.setFontItalic(True)
        else:
            fmt.setForeground(QColor(theme.foreground))
        bar = self.output.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 4
        cursor = QTextCursor(self.output.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text, fmt)
        if at_bottom:
            bar.setValue(bar.maximum())

    def notice(self, text: str) -> None:
        """A line from the editor itself (start, end, stop), set apart from the program's."""
        if not self._ends_with_newline():
            self.append("\n", "notice")
        self.append(text + "\n", "notice")

    def _ends_with_newline(self) -> bool:
        """True when the output is empty or its last character ends a line (cheap: last block)."""
        doc = self.output.document()
        if doc.characterCount() <= 1:
            return True
        return doc.lastBlock().text() == ""

    def text(self) -> str:
        return self.output.toPlainText()

