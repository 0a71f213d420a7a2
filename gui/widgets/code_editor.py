"""The pseudocode editor: line numbers, highlighting, problems, auto-indent, zoom.

A QPlainTextEdit with a gutter. The rules (what to indent, what colour a
word is) live in ``gui.model.indent`` and ``gui.model.syntax``; this widget only applies
them to key presses and paints.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QHelpEvent,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygon,
    QTextBlock,
    QTextCursor,
    QWheelEvent,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from engine.language.diagnostics import Diagnostic, Severity
from engine.language.lexer import tokenize
from engine.language.tokens import TokenKind
from gui.model import indent
from gui.theme import LIGHT, Theme
from gui.widgets.highlighter import PseudocodeHighlighter, PythonHighlighter

ARROW = "\u2190"
_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def monospace_font(family: str = "", size: int = 11) -> QFont:
    """The configured family if it is installed, else the platform's fixed font."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if family and family in QFontDatabase.families():
        font = QFont(family)
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setFixedPitch(True)
    font.setPointSize(size)
    return font


@dataclass(frozen=True, slots=True)
class _Span:
    """A diagnostic's place in the document as character positions."""

    start: int
    end: int
    diagnostic: Diagnostic


BREAKPOINT_STRIP = 20  # pixels at the gutter's left edge: a click there toggles a breakpoint
BREAKPOINT_COLOR = "#d1242f"


class _Gutter(QWidget):
    """Line numbers and problem markers, painted by the editor."""

    def __init__(self, editor: CodeEditor) -> None:
        super().__init__(editor)
        self._editor = editor
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        self._editor.paint_gutter(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            self._editor.show_gutter_tooltip(event.pos(), event.globalPos())
            return True
        return super().event(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802, ANN001
        point = event.position().toPoint()
        if point.x() < BREAKPOINT_STRIP and self._editor.breakpoints_enabled:
            self._editor.toggle_breakpoint_at(point.y())
            return
        self._editor.select_line_at(point.y())


class CodeEditor(QPlainTextEdit):
    """The pseudocode editor widget (also the base of the read-only Python view)."""

    zoomRequested = Signal(int)  # +1 / -1 (Ctrl+wheel)
    breakpointsChanged = Signal()

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT,
                 tab_width: int = 4, arrow_glyph: bool = True, python: bool = False) -> None:
        super().__init__(parent)
        self._theme = theme
        self.tab_width = max(1, tab_width)
        self.arrow_glyph = arrow_glyph
        self.arrow_typed = False  # the user typed "<-" and it is shown as an arrow
        self._diagnostics: list[Diagnostic] = []
        self._spans: list[_Span] = []
        self._line_marks: dict[int, Severity] = {}
        self._runtime_line: int | None = None
        self._runtime_message = ""
        self._highlights: list[tuple[int, int]] = []
        self._highlight_color: str | None = None
        self._highlight_full_width = False
        self.breakpoints_enabled = not python
        self._breakpoints: list[QTextCursor] = []  # cursors follow the lines as text is edited
        self._execution_line: int | None = None
        self._gutter = _Gutter(self)
        self.highlighter = (PythonHighlighter if python else PseudocodeHighlighter)(
            self.document(), theme)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFont(monospace_font())
        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._update_gutter)
        self.cursorPositionChanged.connect(self._repaint_marks)
        self._update_gutter_width()
        self.set_theme(theme)

    # -- appearance ---------------------------------------------------------
    @property
    def indent_unit(self) -> str:
        return " " * self.tab_width

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.setStyleSheet(
            f"QPlainTextEdit {{ background: {theme.background}; color: {theme.foreground};"
            f" selection-background-color: {theme.selection};"
            f" selection-color: {theme.foreground}; border: none; }}")
        self.highlighter.set_theme(theme)
        self._repaint_marks()
        self._gutter.update()

    def setFont(self, font: QFont) -> None:  # noqa: N802 - keep the tab stops in step
        super().setFont(font)
        self.document().setDefaultFont(font)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * self.tab_width)
        self._update_gutter_width()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoomRequested.emit(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    # -- gutter -------------------------------------------------------------
    def gutter_width(self) -> int:
        digits = max(3, len(str(max(1, self.blockCount()))))
        return 22 + self.fontMetrics().horizontalAdvance("9") * digits + 8

    def _update_gutter_width(self, *_: object) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())
        if rect.contains(self.viewport().rect()):
            self._update_gutter_width()

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001
        super().resizeEvent(event)
        area = self.contentsRect()
        self._gutter.setGeometry(QRect(area.left(), area.top(), self.gutter_width(),
                                       area.height()))

    def numbers_lines(self) -> bool:
        """False for an empty read-only pane (the Python pane before there is any Python):
        it shows its placeholder note, not a lone line number 1."""
        return not (self.isReadOnly() and self.document().isEmpty())

    def paint_gutter(self, event: QPaintEvent) -> None:
        theme = self._theme
        painter = QPainter(self._gutter)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(event.rect(), QColor(theme.gutter_bg))
        painter.setFont(self.font())
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        offset = self.contentOffset()
        top = round(self.blockBoundingGeometry(block).translated(offset).top())
        bottom = top + round(self.blockBoundingRect(block).height())
        current = self.textCursor().blockNumber()
        height = self.fontMetrics().height()
        width = self._gutter.width()
        breakpoints = set(self.breakpoints()) if self._breakpoints else set()
        if not self.numbers_lines():
            block = QTextBlock()  # nothing to number (an empty Python pane shows its note)
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible() and bottom >= event.rect().top():
                line = number + 1
                painter.setPen(QColor(theme.gutter_current_fg if number == current
                                      else theme.gutter_fg))
                painter.drawText(0, top, width - 8, height, Qt.AlignmentFlag.AlignRight,
                                 str(line))
                if line == self._execution_line:
                    self._paint_execution_marker(painter, top, height, line in breakpoints)
                elif line in breakpoints:
                    self._paint_breakpoint(painter, top, height)
                elif line == self._runtime_line:
                    self._paint_runtime_marker(painter, top, height)
                elif line in self._line_marks:
                    self._paint_marker(painter, self._line_marks[line], top, height)
            block = block.next()
            top = bottom
            bottom = top + round(self.blockBoundingRect(block).height())
            number += 1
        painter.end()

    def _severity_color(self, severity: Severity) -> QColor:
        return QColor({Severity.ERROR: self._theme.error, Severity.WARNING: self._theme.warning}
                      .get(severity, self._theme.info))

    def _paint_marker(self, painter: QPainter, severity: Severity, top: int, height: int) -> None:
        size = max(8, min(12, height - 6))
        y = top + (height - size) // 2
        color = self._severity_color(severity)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        if severity is Severity.ERROR:
            painter.drawEllipse(5, y, size, size)
            painter.setPen(QColor("#ffffff"))
            inset = size // 4 + 1
            painter.drawLine(5 + inset, y + inset, 5 + size - inset, y + size - inset)
            painter.drawLine(5 + size - inset, y + inset, 5 + inset, y + size - inset)
        elif severity is Severity.WARNING:
            painter.drawPolygon(QPolygon([QPoint(5 + size // 2, y), QPoint(5 + size, y + size),
                                          QPoint(5, y + size)]))
        else:
            painter.drawEllipse(5 + size // 4, y + size // 4, size // 2 + 1, size // 2 + 1)

    def _paint_runtime_marker(self, painter: QPainter, top: int, height: int) -> None:
        size = max(8, min(12, height - 4))
        y = top + (height - size) // 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self._theme.error))
        painter.drawPolygon(QPolygon([QPoint(4, y), QPoint(4 + size, y + size // 2),
                                      QPoint(4, y + size)]))

    def _paint_breakpoint(self, painter: QPainter, top: int, height: int) -> None:
        size = max(8, min(12, height - 4))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(BREAKPOINT_COLOR))
        painter.drawEllipse(4, top + (height - size) // 2, size, size)

    def _paint_execution_marker(self, painter: QPainter, top: int, height: int,
                                on_breakpoint: bool) -> None:
        if on_breakpoint:
            self._paint_breakpoint(painter, top, height)
        size = max(8, min(12, height - 4))
        y = top + (height - size) // 2
        painter.setPen(QPen(QColor("#1f2328"), 1))
        painter.setBrush(QColor("#f2c94c"))
        painter.drawPolygon(QPolygon([QPoint(3, y), QPoint(3 + size, y + size // 2),
                                      QPoint(3, y + size)]))

    # -- breakpoints and the line being run (stepping, trace rows) ------------
    def breakpoints(self) -> list[int]:
        """Lines (1-based) with a breakpoint, in order."""
        return sorted({cursor.blockNumber() + 1 for cursor in self._breakpoints})

    def set_breakpoints(self, lines: list[int]) -> None:
        self._breakpoints = []
        doc = self.document()
        for line in sorted(set(lines)):
            block = doc.findBlockByNumber(line - 1)
            if block.isValid():
                self._breakpoints.append(QTextCursor(block))
        self._gutter.update()
        self.breakpointsChanged.emit()

    def toggle_breakpoint(self, line: int) -> None:
        lines = set(self.breakpoints())
        lines.symmetric_difference_update({line})
        self.set_breakpoints(sorted(lines))

    def toggle_breakpoint_at(self, y: int) -> None:
        self.toggle_breakpoint(self.cursorForPosition(QPoint(0, y)).blockNumber() + 1)

    def set_execution_line(self, line: int | None, reveal: bool = True) -> None:
        """Mark the line a paused program is at (or a trace row's line); None clears it."""
        self._execution_line = line
        if line is not None and reveal:
            block = self.document().findBlockByNumber(line - 1)
            if block.isValid():
                cursor = self.textCursor()
                cursor.setPosition(block.position())
                self.setTextCursor(cursor)
                self.ensureCursorVisible()
        self.viewport().update()
        self._gutter.update()

    def execution_line(self) -> int | None:
        return self._execution_line

    def select_line_at(self, y: int) -> None:
        cursor = self.cursorForPosition(QPoint(0, y))
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    # -- problems -----------------------------------------------------------
    def set_diagnostics(self, diagnostics: list[Diagnostic]) -> None:
        """Underline and mark these problems (positions are 1-based, end exclusive)."""
        self._diagnostics = list(diagnostics)
        self._spans = [self._span(d) for d in self._diagnostics]
        marks: dict[int, Severity] = {}
        for d in self._diagnostics:
            old = marks.get(d.line)
            if old is None or _SEVERITY_RANK[d.severity] < _SEVERITY_RANK[old]:
                marks[d.line] = d.severity
        self._line_marks = marks
        self._repaint_marks()
        self._gutter.update()

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return list(self._diagnostics)

    def line_marks(self) -> dict[int, Severity]:
        return dict(self._line_marks)

    def _span(self, d: Diagnostic) -> _Span:
        doc = self.document()
        last = doc.blockCount()
        block = doc.findBlockByNumber(min(max(d.line, 1), last) - 1)
        text = block.text()
        start_col = min(max(d.column - 1, 0), len(text))
        end_block = doc.findBlockByNumber(min(max(d.end_line, d.line, 1), last) - 1)
        end_col = min(max(d.end_column - 1, 0), len(end_block.text()))
        start = block.position() + start_col
        end = end_block.position() + end_col
        if end <= start:
            if start_col < len(text):
                end = start + 1
            else:  # at the end of the line: underline the line's text instead
                stripped = len(text) - len(text.lstrip())
                start = block.position() + stripped
                end = block.position() + len(text)
        return _Span(start, end, d)

    def mark_runtime_error(self, line: int, message: str) -> None:
        """Show the line where a run stopped with an error (cleared on the next edit or run)."""
        self._runtime_line = line if line > 0 else None
        self._runtime_message = message
        self._repaint_marks()
        self._gutter.update()

    def clear_runtime_error(self) -> None:
        if self._runtime_line is not None:
            self._runtime_line = None
            self._repaint_marks()
            self._gutter.update()

    @property
    def runtime_error_line(self) -> int | None:
        return self._runtime_line

    def set_find_matches(self, ranges: list[tuple[int, int]], color: str | None = None,
                         full_width: bool = False) -> None:
        """Highlight the matches of the find bar (character positions), or linked lines."""
        self._highlights = [(a, b) for a, b in ranges[:2000]]
        self._highlight_color = color
        self._highlight_full_width = full_width
        self.viewport().update()

    def highlight_ranges(self) -> list[tuple[int, int]]:
        return list(self._highlights)

    def underlines(self) -> list[tuple[int, int, Severity]]:
        """The wavy underlines being drawn: (start, end, severity), character positions."""
        return [(s.start, s.end, s.diagnostic.severity) for s in self._spans]

    def _repaint_marks(self) -> None:
        """Repaint the current line, marks and underlines.

        They are painted by ``paintEvent`` rather than given to Qt as
        ``ExtraSelection``s: in PySide6 6.12 on Python 3.11 each
        ``setExtraSelections`` call (and each read of an ExtraSelection's
        fields) drops a reference to ``None`` that it never took, and a long
        editing session would crash the interpreter.
        """
        self.viewport().update()
        self._gutter.update()

    def _range_rects(self, start: int, end: int) -> list[QRectF]:
        """Rectangles (viewport coordinates) covering the characters start..end."""
        doc = self.document()
        rects: list[QRectF] = []
        offset = self.contentOffset()
        block = doc.findBlock(start)
        height = self.viewport().height()
        while block.isValid() and block.position() <= end:
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            layout = block.layout()
            if geometry.bottom() >= 0 and layout is not None and layout.lineCount():
                first = max(start - block.position(), 0)
                last = min(end - block.position(), len(block.text()))
                for index in range(layout.lineCount()):
                    line = layout.lineAt(index)
                    lo = max(first, line.textStart())
                    hi = min(last, line.textStart() + line.textLength())
                    if hi < lo or (hi == lo and first != last):
                        continue
                    x0, x1 = _x_of(line, lo), _x_of(line, hi)
                    origin = layout.position()
                    rects.append(QRectF(geometry.left() + origin.x() + x0,
                                        geometry.top() + origin.y() + line.y(),
                                        max(x1 - x0, 1.0), line.height()))
            block = block.next()
        return rects

    def _full_line_rect(self, block_number: int) -> QRectF | None:
        block = self.document().findBlockByNumber(block_number)
        if not block.isValid() or not block.isVisible():
            return None
        geometry = self.blockBoundingGeometry(block).translated(self.contentOffset())
        return QRectF(0, geometry.top(), self.viewport().width(), geometry.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        theme = self._theme
        painter = QPainter(self.viewport())
        if not self.isReadOnly() or self.hasFocus():
            rect = self._full_line_rect(self.textCursor().blockNumber())
            if rect is not None:
                painter.fillRect(rect, QColor(theme.current_line))
        if self._runtime_line is not None:
            rect = self._full_line_rect(self._runtime_line - 1)
            if rect is not None:
                painter.fillRect(rect, QColor(theme.runtime_error_line))
        if self._execution_line is not None:
            rect = self._full_line_rect(self._execution_line - 1)
            if rect is not None:
                painter.fillRect(rect, QColor("#fff3b0" if not theme.dark else "#4d4415"))
        if self._highlights:
            color = QColor(self._highlight_color
                           or ("#ffd33d" if not theme.dark else "#6b5a17"))
            doc = self.document()
            for start, end in self._highlights:
                if self._highlight_full_width:
                    rect = self._full_line_rect(doc.findBlock(start).blockNumber())
                    if rect is not None:
                        painter.fillRect(rect, color)
                else:
                    for rect in self._range_rects(start, end):
                        painter.fillRect(rect, color)
        painter.end()
        super().paintEvent(event)
        if not self._spans:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ordered = sorted(self._spans, key=lambda s: -_SEVERITY_RANK[s.diagnostic.severity])
        for span in ordered:
            pen = QPen(self._severity_color(span.diagnostic.severity), 1.2)
            painter.setPen(pen)
            for rect in self._range_rects(span.start, span.end):
                painter.drawPath(_wave(rect.left(), rect.right(), rect.bottom() - 1.5))
        painter.end()

    # -- tooltips -----------------------------------------------------------
    def diagnostics_at(self, position: int) -> list[Diagnostic]:
        return [s.diagnostic for s in self._spans if s.start <= position <= s.end]

    def diagnostics_on_line(self, line: int) -> list[Diagnostic]:
        return [d for d in self._diagnostics if d.line <= line <= max(d.end_line, d.line)]

    def tooltip_text(self, diagnostics: list[Diagnostic], line: int | None = None) -> str:
        parts = []
        if line is not None and line == self._runtime_line:
            parts.append(f"<b>Runtime error</b>: {_escape(self._runtime_message)}")
        for d in sorted(diagnostics, key=lambda d: _SEVERITY_RANK[d.severity]):
            text = (f"<b>{d.severity.capitalize()} {d.code}</b> (line {d.line}): "
                    f"{_escape(d.message)}")
            if d.hint:
                text += f"<br><i>{_escape(d.hint)}</i>"
            parts.append(text)
        return "<hr>".join(parts)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cursor = self.cursorForPosition(event.pos())
            found = self.diagnostics_at(cursor.position())
            line = cursor.blockNumber() + 1
            text = self.tooltip_text(found, line if line == self._runtime_line else None)
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def show_gutter_tooltip(self, pos: QPoint, global_pos: QPoint) -> None:
        cursor = self.cursorForPosition(QPoint(0, pos.y()))
        line = cursor.blockNumber() + 1
        text = self.tooltip_text(self.diagnostics_on_line(line), line)
        if text:
            QToolTip.showText(global_pos, text, self._gutter)
        else:
            QToolTip.hideText()

    # -- moving around ------------------------------------------------------
    def go_to(self, line: int, column: int = 1) -> None:
        """Put the cursor at a 1-based line and column and show it."""
        block = self.document().findBlockByNumber(max(line, 1) - 1)
        if not block.isValid():
            block = self.document().lastBlock()
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + min(max(column - 1, 0), len(block.text())))
        self.setTextCursor(cursor)
        self.centerCursor()
        self.setFocus()

    def cursor_line_column(self) -> tuple[int, int]:
        cursor = self.textCursor()
        return cursor.blockNumber() + 1, cursor.positionInBlock() + 1

    # -- typing -------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self.isReadOnly():
            super().keyPressEvent(event)
            return
        key = event.key()
        mods = event.modifiers()
        plain = not (mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                             | Qt.KeyboardModifier.MetaModifier))
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain \
                and not mods & Qt.KeyboardModifier.ShiftModifier:
            self._newline_with_indent()
            return
        if key == Qt.Key.Key_Tab and plain:
            self._indent_or_insert_spaces()
            return
        if key == Qt.Key.Key_Backtab:
            self._dedent_selection()
            return
        if key == Qt.Key.Key_Backspace and plain and self._backspace_to_tab_stop():
            return
        if event.text() == "-" and self.arrow_glyph and self._replace_arrow():
            return
        super().keyPressEvent(event)
        text = event.text()
        if text and (text.isalpha() or text in " :"):
            self._dedent_if_closing_keyword()

    def _newline_with_indent(self) -> None:
        cursor = self.textCursor()
        before = cursor.block().text()[: cursor.positionInBlock()]
        new_indent = indent.indent_after(before, self.indent_unit)
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        # an all-space line left behind is emptied, as Thonny and IDLE do
        if before and not before.strip():
            cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock,
                                QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
        cursor.insertText("\n" + new_indent)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def _selected_blocks(self) -> tuple[int, int]:
        cursor = self.textCursor()
        doc = self.document()
        first = doc.findBlock(cursor.selectionStart()).blockNumber()
        last_block = doc.findBlock(cursor.selectionEnd())
        last = last_block.blockNumber()
        if last > first and cursor.selectionEnd() == last_block.position():
            last -= 1  # a selection ending at the start of a line does not include it
        return first, last

    def _indent_or_insert_spaces(self) -> None:
        cursor = self.textCursor()
        if cursor.hasSelection() and "\u2029" in cursor.selectedText():
            first, last = self._selected_blocks()
            self._change_indent(first, last, +1)
            return
        spaces = indent.next_tab_stop(cursor.positionInBlock(), self.tab_width)
        cursor.insertText(" " * spaces)

    def _dedent_selection(self) -> None:
        first, last = self._selected_blocks()
        self._change_indent(first, last, -1)

    def _change_indent(self, first: int, last: int, direction: int) -> None:
        doc = self.document()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        for number in range(first, last + 1):
            block = doc.findBlockByNumber(number)
            text = block.text()
            if direction > 0:
                if text.strip():
                    cursor.setPosition(block.position())
                    cursor.insertText(self.indent_unit)
            else:
                lead = len(indent.leading_spaces(text).expandtabs(self.tab_width))
                remove = min(len(indent.leading_spaces(text)), lead % self.tab_width
                             or self.tab_width)
                if remove:
                    cursor.setPosition(block.position())
                    cursor.setPosition(block.position() + remove, QTextCursor.MoveMode.KeepAnchor)
                    cursor.removeSelectedText()
        cursor.endEditBlock()
        start = doc.findBlockByNumber(first)
        end = doc.findBlockByNumber(last)
        selection = QTextCursor(doc)
        selection.setPosition(start.position())
        selection.setPosition(end.position() + len(end.text()), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(selection)

    def _backspace_to_tab_stop(self) -> bool:
        cursor = self.textCursor()
        if cursor.hasSelection():
            return False
        before = cursor.block().text()[: cursor.positionInBlock()]
        if not before or before.strip() or "\t" in before:
            return False
        remove = len(before) % self.tab_width or self.tab_width
        cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor,
                            min(remove, len(before)))
        cursor.removeSelectedText()
        return True

    def _replace_arrow(self) -> bool:
        """Typing ``-`` right after ``<`` in code (not in a string or comment) gives the arrow."""
        cursor = self.textCursor()
        if cursor.hasSelection():
            return False
        before = cursor.block().text()[: cursor.positionInBlock()]
        if not before.endswith("<"):
            return False
        tokens = tokenize(before + "-").tokens
        arrow_end = len(before) + 2  # 1-based, end exclusive
        if not any(t.kind is TokenKind.OPERATOR and t.value == "<-" and t.end_column == arrow_end
                   for t in tokens):
            return False
        cursor.beginEditBlock()
        cursor.deletePreviousChar()
        cursor.insertText(ARROW)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.arrow_typed = True  # saved as "<-" (gui.model.arrows): the arrow is only shown
        return True

    def _dedent_if_closing_keyword(self) -> None:
        cursor = self.textCursor()
        block = cursor.block()
        text = block.text()
        stripped = text.lstrip(" \t")
        first_word = stripped.split(" ", 1)[0].split(":", 1)[0]
        if not first_word.isalpha():
            return
        lead = text[: len(text) - len(stripped)]
        if cursor.positionInBlock() < len(lead) + len(first_word):
            return
        if first_word.upper() not in indent.DEDENT_KEYWORDS:
            return  # most words: no need to read (and split) a big document per key
        lines = self.document().toPlainText().split("\n")[: block.blockNumber() + 1]
        target = indent.dedent_target(lines, block.blockNumber(), self.indent_unit)
        if target is None or target == lead:
            return
        column = cursor.positionInBlock()
        edit = QTextCursor(block)
        edit.beginEditBlock()
        edit.setPosition(block.position())
        edit.setPosition(block.position() + len(lead), QTextCursor.MoveMode.KeepAnchor)
        edit.insertText(target)
        edit.endEditBlock()
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + max(0, column - len(lead) + len(target)))
        self.setTextCursor(cursor)

    def toggle_comment(self) -> None:
        """Ctrl+/: comment or uncomment the selected lines with ``//``."""
        first, last = self._selected_blocks()
        doc = self.document()
        blocks = [doc.findBlockByNumber(n) for n in range(first, last + 1)]
        code = [b for b in blocks if b.text().strip()]
        if not code:
            return
        uncomment = all(b.text().lstrip().startswith("//") for b in code)
        column = min(len(indent.leading_spaces(b.text())) for b in code)
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        for block in code:
            text = block.text()
            if uncomment:
                at = text.index("//")
                width = 3 if text[at + 2: at + 3] == " " else 2
                cursor.setPosition(block.position() + at)
                cursor.setPosition(block.position() + at + width, QTextCursor.MoveMode.KeepAnchor)
                cursor.removeSelectedText()
            else:
                cursor.setPosition(block.position() + column)
                cursor.insertText("// ")
        cursor.endEditBlock()


def _x_of(line: object, column: int) -> float:
    """QTextLine.cursorToX, which PySide returns as (x, column)."""
    value = line.cursorToX(column)  # type: ignore[attr-defined]
    return float(value[0] if isinstance(value, tuple) else value)


def _wave(x0: float, x1: float, y: float, amplitude: float = 1.5,
          period: float = 4.0) -> QPainterPath:
    """A wavy line from x0 to x1 around y (the spelling-mistake underline)."""
    path = QPainterPath()
    path.moveTo(x0, y)
    x, up = x0, True
    while x < x1:
        step = min(period / 2, x1 - x)
        path.lineTo(x + step, y - amplitude if up else y + amplitude)
        x += step
        up = not up
    return path


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
