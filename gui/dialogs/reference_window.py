"""Help > Language reference: docs/language.md rendered in a window of its own."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QKeyEvent,
    QKeySequence,
    QTextBlockFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QMainWindow, QTextBrowser, QWidget

from gui.theme import Theme

# What each kind of fenced block of docs/language.md shows, said above it: the
# Markdown reader draws consecutive blocks as one grey area otherwise.
_CAPTIONS = {
    "pseudocode": "Pseudocode",
    "pseudocode-error": "Pseudocode with a mistake",
    "python": "The Python it becomes",
    "python-plain": "The same in the plain style",
    "output": "Output",
    "input": "Input typed",
    "stderr": "Error message",
}
_FENCE = re.compile(r"^```([A-Za-z-]+)[ \t]*$", re.MULTILINE)
# Notes for the people who work on the translator (which test checks the page ...):
# docs/language.md marks them; the window for students leaves them out.
_DEVELOPER_NOTES = re.compile(r"^<!-- developers -->\n.*?^<!-- /developers -->\n?",
                              re.MULTILINE | re.DOTALL)


def without_developer_notes(markdown: str) -> str:
    """``markdown`` without the parts marked for developers."""
    return _DEVELOPER_NOTES.sub("", markdown)


def caption_code_blocks(markdown: str) -> str:
    """Put an italic caption line before every fenced block with a known language."""
    def caption(match: re.Match[str]) -> str:
        label = _CAPTIONS.get(match.group(1).lower())
        return f"*{label}:*\n\n{match.group(0)}" if label else match.group(0)

    return _FENCE.sub(caption, markdown)


class ReferenceWindow(QMainWindow):
    """A non-modal reader for a Markdown file; links to the web open in the browser."""

    def __init__(self, path: Path, parent: QWidget | None = None,
                 theme: Theme | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.setWindowTitle("Pseudocode language reference")
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._follow)
        font = self.browser.font()
        font.setPointSize(max(font.pointSize(), 11))
        self.browser.setFont(font)
        self.browser.document().setDefaultStyleSheet(
            "pre, code { font-family: monospace; } h1, h2 { margin-top: 14px; }")
        self.browser.document().setDocumentMargin(18)  # text off the window's edge
        # long code lines wrap: the page never scrolls sideways
        self.browser.setLineWrapMode(QTextBrowser.LineWrapMode.WidgetWidth)
        self.browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setCentralWidget(self.browser)
        self.browser.installEventFilter(self)  # Esc and Ctrl+W close, like any reader
        self.resize(860, 760)
        self.load(path)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and (
                event.key() == Qt.Key.Key_Escape
                or event.matches(QKeySequence.StandardKey.Close)
                or (event.key() == Qt.Key.Key_W
                    and event.modifiers() == Qt.KeyboardModifier.ControlModifier)):
            self.close()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self.eventFilter(self, event):
            return
        super().keyPressEvent(event)

    def load(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8-sig")
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(path.parent) + "/"))
        self.browser.setMarkdown(caption_code_blocks(without_developer_notes(text)))
        self._shade_code_blocks()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._shade_code_blocks()

    def _shade_code_blocks(self) -> None:
        """Code blocks on a tinted background, as in any rendered Markdown (the Markdown
        reader only makes them monospace)."""
        dark = (self.theme.dark if self.theme is not None
                else self.browser.palette().base().color().lightness() < 128)
        shade = QTextBlockFormat()
        shade.setBackground(QColor("#2b3038" if dark else "#f0f2f5"))
        shade.setNonBreakableLines(False)  # a long line wraps instead of widening the page
        cursor = QTextCursor(self.browser.document())
        block = self.browser.document().begin()
        cursor.beginEditBlock()
        while block.isValid():
            if block.blockFormat().hasProperty(QTextFormat.Property.BlockCodeFence):
                cursor.setPosition(block.position())
                cursor.mergeBlockFormat(shade)
            block = block.next()
        cursor.endEditBlock()

    def _follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment() and not url.path():
            self.browser.scrollToAnchor(url.fragment())
        else:
            self.browser.setSource(url)
