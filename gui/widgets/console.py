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
USEFUL_LINES = 5  # output lines the Console shows where the window has the room (dock_fit)


class Console(QWidget):
    """Output view plus input line; knows nothing about processes (the window wires it)."""

    lineEntered = Signal(str)
    stopRequested = Signal()

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self._theme = theme
        self._running = False
        self._last_kind = ""
        # The output's last newline is held back (shown when more text comes), so the last
        # line on screen is the program's last line, not an empty one after it.
        self._newline_held = False
        self._follow = True  # keep the end in view (False once the user scrolls up)
        self.output = QPlainTextEdit(self)
        self.output.setReadOnly(True)
        self.output.setMaximumBlockCount(MAX_LINES)
        self.output.setUndoRedoEnabled(False)
        self.output.setObjectName("consoleOutput")
        bar = self.output.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range_changed)
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
        self._row = row = QHBoxLayout()
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
        self._newline_held = False
        self._follow = True

    def useful_height(self) -> int:
        """The height that shows USEFUL_LINES lines of output above the input row."""
        output = self.output  # from size hints: a Console tabbed behind another has no size
        lines = USEFUL_LINES * output.fontMetrics().lineSpacing()
        margins = 2 * int(output.document().documentMargin()) + 2 * output.frameWidth()
        row = self._row
        bottom = row.sizeHint().height() + row.contentsMargins().top() \
            + row.contentsMargins().bottom()
        return lines + margins + bottom

    def _on_scrolled(self, value: int) -> None:
        self._follow = value >= self.output.verticalScrollBar().maximum()

    def _on_range_changed(self, _low: int, high: int) -> None:
        # more output, or a viewport that grew or shrank (the dock raised, the window
        # resized): the end stays in view unless the user has scrolled away from it
        if self._follow:
            self.output.verticalScrollBar().setValue(high)

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
        if self._newline_held:
            text = "\n" + text
        self._newline_held = text.endswith("\n")
        if self._newline_held:
            text = text[:-1]
        bar = self.output.verticalScrollBar()
        follow = self._follow
        cursor = QTextCursor(self.output.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text, fmt)
        if follow:
            self._follow = True
            bar.setValue(bar.maximum())

    def notice(self, text: str) -> None:
        """A line from the editor itself (start, end, stop), set apart from the program's."""
        if not self._ends_with_newline():
            self.append("\n", "notice")
        self.append(text + "\n", "notice")

    def _ends_with_newline(self) -> bool:
        """True when the output is empty or its last character ends a line (cheap: last block)."""
        doc = self.output.document()
        if self._newline_held or doc.characterCount() <= 1:
            return True
        return doc.lastBlock().text() == ""

    def text(self) -> str:
        """All the output, as the program wrote it (the held-back newline included)."""
        return self.output.toPlainText() + ("\n" if self._newline_held else "")

