"""The Python pane's view: read-only, highlighted, updated by changed lines only, helpers folded."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QWidget

from gui.model.line_diff import Hunk, line_hunks
from gui.theme import LIGHT, Theme
from gui.widgets.code_editor import CodeEditor

SHOWN_LINE_MAX = 2000  # longer lines are shown cut (see PythonView.set_code)


def _shown_line(line: str) -> str:
    if len(line) <= SHOWN_LINE_MAX:
        return line
    return (f"{line[:SHOWN_LINE_MAX]} \u2026  # ({len(line) - SHOWN_LINE_MAX:,} more "
            "characters: Edit > Copy Python copies them)")


def helper_line_count(lines: list[str]) -> int:
    """How many leading lines of a generated program are runtime helpers (Qt-free).

    The generator ends its helpers with the hook that reports runtime errors;
    the blank lines after it go with them. 0 when there is no such line (a
    program without helpers, or another generator's shape).
    """
    for index, line in enumerate(lines[:400]):
        if line.startswith(_HELPERS_END):
            end = index + 1
            while end < len(lines) and not lines[end].strip():
                end += 1
            return end if end < len(lines) else 0
    return 0


_HELPERS_END = "sys.excepthook = _report_runtime_error"



class PythonView(CodeEditor):
    """The read-only, highlighted Python pane; updates keep the scroll position.

    ``set_code`` replaces only the lines that changed (``gui.model.line_diff``), so a
    translation of a big program costs the lines it changed, not a reload and
    a full re-highlight. The runtime helpers at the top of a generated program
    are folded away (hidden blocks, line numbers unchanged) unless the user
    shows them: the student's own program comes first.
    """

    foldChanged = Signal()   # the helpers were folded or unfolded, or their size changed

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent, theme, python=True)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setUndoRedoEnabled(False)
        self.setPlaceholderText("The Python of the program appears here as you type.")
        self._lines: list[str] = [""]
        self._shown: list[str] = [""]  # the lines as the document has them (long ones cut)
        self._fold_helpers = True
        self._helper_lines = 0      # lines 1..N are the helpers (0: none found)
        self._hidden = 0            # blocks 0..N-1 are hidden now
        self.edits = 0              # hunks applied by set_code (for tests)

    # -- the text -----------------------------------------------------------
    def set_code(self, code: str) -> None:
        """Show ``code``, changing only the lines that differ; scroll and cursor stay.

        A line longer than SHOWN_LINE_MAX (the generated program's table of line
        numbers: 50,000 characters on 5,000 lines) is shown cut, with a note: laying
        out such a line costs tens of milliseconds on every change. ``code()`` and
        copying give the whole text.
        """
        lines = code.split("\n")
        if lines == self._lines:
            return
        shown = [_shown_line(line) for line in lines]
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        v, h = vbar.value(), hbar.value()
        if self.document().isEmpty() or not code:
            self.setPlainText("\n".join(shown))
            self.edits += 1
        else:
            self._apply(line_hunks(self._shown, shown), shown)
        self._lines = lines
        self._shown = shown
        self._update_fold()
        vbar.setValue(min(v, vbar.maximum()))
        hbar.setValue(min(h, hbar.maximum()))

    def code(self) -> str:
        """The whole Python shown (long lines in full)."""
        return "\n".join(self._lines)

    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802 - Qt's name
        """Copying a selection copies the real text, long lines in full."""
        data = QMimeData()
        data.setText(self.selected_code())
        return data

    def selected_code(self) -> str:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return ""
        doc = self.document()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        first, last = doc.findBlock(start), doc.findBlock(end)
        parts = []
        for number in range(first.blockNumber(), last.blockNumber() + 1):
            full = self._lines[number] if number < len(self._lines) else ""
            if full != self._shown[number]:
                parts.append(full)  # a cut line: all of it
                continue
            block = doc.findBlockByNumber(number)
            lo = start - block.position() if number == first.blockNumber() else 0
            hi = end - block.position() if number == last.blockNumber() else len(full)
            parts.append(full[lo:hi])
        return "\n".join(parts)

    def _apply(self, hunks: list[Hunk], new: list[str]) -> None:
        doc = self.document()
        count = doc.blockCount()
        cursor = QTextCursor(doc)
        # One edit per hunk, not one edit block: the highlighter re-colours the range of
        # each change, and one block would make that everything from the first to the last.
        for hunk in reversed(hunks):  # from the end: earlier positions stay valid
            a0, a1, b0, b1 = hunk
            text = "\n".join(new[b0:b1])
            if a0 < a1:
                start = doc.findBlockByNumber(a0).position()
                last = doc.findBlockByNumber(a1 - 1)
                end = last.position() + len(last.text())
                if b0 == b1:  # lines removed: take one line end with them
                    if a1 < count:
                        end = doc.findBlockByNumber(a1).position()
                    elif a0 > 0:
                        before = doc.findBlockByNumber(a0 - 1)
                        start = before.position() + len(before.text())
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText(text)
            elif a0 < count:
                cursor.setPosition(doc.findBlockByNumber(a0).position())
                cursor.insertText(text + "\n")
            else:
                cursor.movePosition(QTextCursor.MoveOperation.End)
                cursor.insertText("\n" + text)
            self.edits += 1

    # -- the helpers, folded ------------------------------------------------
    @property
    def helper_lines(self) -> int:
        """How many lines at the top are the runtime helpers (0 when there are none)."""
        return self._helper_lines

    @property
    def helpers_folded(self) -> bool:
        return self._fold_helpers

    def set_helpers_folded(self, folded: bool) -> None:
        if folded != self._fold_helpers:
            self._fold_helpers = folded
            self._update_fold(force=True)

    def program_start_line(self) -> int:
        """The first line (1-based) of the student's own program."""
        return self._helper_lines + 1 if self._helper_lines else 1

    def _update_fold(self, force: bool = False) -> None:
        helpers = helper_line_count(self._lines)
        hide = helpers if self._fold_helpers else 0
        if not force and hide == self._hidden and helpers == self._helper_lines:
            return
        doc = self.document()
        for number in range(min(max(hide, self._hidden) + 1, doc.blockCount())):
            block = doc.findBlockByNumber(number)
            block.setVisible(number >= hide)
        self._hidden = hide
        self._helper_lines = helpers
        doc.markContentsDirty(0, doc.characterCount())
        self.viewport().update()
        self._gutter.update()
        if hide and self.textCursor().blockNumber() < hide:
            cursor = QTextCursor(doc.findBlockByNumber(hide) if hide < doc.blockCount()
                                 else doc.lastBlock())
            self.setTextCursor(cursor)
        self.foldChanged.emit()

    def reveal_line(self, line: int, at_top: bool = False) -> None:
        """Scroll (without moving the cursor) so that a 1-based line is in view."""
        block = self.document().findBlockByNumber(max(line, 1) - 1)
        if not block.isValid():
            return
        if not block.isVisible():  # a folded helper line: unfold to show it
            self.set_helpers_folded(False)
        bar = self.verticalScrollBar()
        first = self.firstVisibleBlock().firstLineNumber()
        visible = max(1, self.viewport().height() // max(1, self.fontMetrics().height()))
        number = block.firstLineNumber()  # the scroll bar counts shown lines, not blocks
        if at_top:
            bar.setValue(number)
        elif not first <= number < first + visible - 1:
            bar.setValue(max(0, number - visible // 3))

    def highlight_lines(self, lines: list[int]) -> None:
        """Show which Python lines came from the pseudocode line under the cursor."""
        ranges = []
        doc = self.document()
        for line in lines:
            block = doc.findBlockByNumber(line - 1)
            if block.isValid():
                ranges.append((block.position(), block.position() + len(block.text())))
        self.set_find_matches(ranges, "#dbe9ff" if not self._theme.dark else "#22344f",
                              full_width=True)
