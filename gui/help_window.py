"""Help > Language reference: docs/language.md rendered in a window of its own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMainWindow, QTextBrowser, QWidget


class ReferenceWindow(QMainWindow):
    """A non-modal reader for a Markdown file; links to the web open in the browser."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Pseudocode language reference")
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._follow)
        font = self.browser.font()
        font.setPointSize(max(font.pointSize(), 11))
        self.browser.setFont(font)
        self.browser.document().setDefaultStyleSheet(
            "pre, code { font-family: monospace; } h1, h2 { margin-top: 14px; }")
        self.setCentralWidget(self.browser)
        self.resize(860, 760)
        self.load(path)

    def load(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8-sig")
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(path.parent) + "/"))
        self.browser.setMarkdown(text)

    def _follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment() and not url.path():
            self.browser.scrollToAnchor(url.fragment())
        else:
            self.browser.setSource(url)
