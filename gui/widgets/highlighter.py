"""Syntax highlighters for the pseudocode editor and the Python pane (spans from gui.model.syntax)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from gui.model.syntax import Category, Span, pseudocode_spans, python_spans
from gui.theme import LIGHT, Theme

# Lines longer than this are left plain: tokenizing and formatting a 50,000-character
# line (the generated program's line table) takes tens of milliseconds per change.
LONG_LINE = 2000


class _SpanHighlighter(QSyntaxHighlighter):
    """Colours each block from a function that returns spans for one line."""

    spans_for: Callable[[str], list[Span]]

    def __init__(self, document: QTextDocument, theme: Theme = LIGHT) -> None:
        super().__init__(document)
        self._formats: dict[Category, QTextCharFormat] = {}
        self.set_theme(theme, rehighlight=False)

    def set_theme(self, theme: Theme, rehighlight: bool = True) -> None:
        self._formats = {}
        for category, (color, bold, italic) in theme.colors.items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(color))
            if bold:
                fmt.setFontWeight(QFont.Weight.Bold)
            if italic:
                fmt.setFontItalic(True)
            self._formats[category] = fmt
        if rehighlight:
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt's name
        if not text.strip() or len(text) > LONG_LINE:
            return  # one very long line (a generated table) would cost more than it shows
        for start, length, category in type(self).spans_for(text):
            fmt = self._formats.get(category)
            if fmt is not None:
                self.setFormat(start, length, fmt)


class PseudocodeHighlighter(_SpanHighlighter):
    spans_for = staticmethod(pseudocode_spans)


class PythonHighlighter(_SpanHighlighter):
    spans_for = staticmethod(python_spans)
