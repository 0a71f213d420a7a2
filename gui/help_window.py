"""Help > Language reference: docs/language.md rendered in a window of its own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QDesktopServices, QTextBlockFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QMainWindow, QTextBrowser, QWidget

from gui.theme import Theme


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
        self.setCentralWidget(self.browser)
        self.resize(860, 760)
        self.load(path)

    def load(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8-sig")
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(path.parent) + "/"))
        self.browser.setMarkdown(text)
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
