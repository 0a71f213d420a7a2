"""The code editor: typing behaviour, highlighting, problem marks, zoom, font."""

from __future__ import annotations

from gui_helpers import format_at as _format_at
from PySide6.QtCore import Qt

from engine.language.diagnostics import Diagnostic, Severity
from gui.theme import DARK, LIGHT
from gui.widgets.code_editor import ARROW, CodeEditor


def _type(qtbot, editor: CodeEditor, text: str) -> None:
    """Type like a user: Enter as a key press so auto-indent runs."""
    for index, part in enumerate(text.split("\n")):
        if index:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        if part:
            qtbot.keyClicks(editor, part)


def test_auto_indent_after_block_opener_and_dedent_on_closer(qtbot, editor) -> None:
    _type(qtbot, editor, "IF X > 3 THEN\nOUTPUT X\nELSE\nOUTPUT 0\nENDIF\n")
    assert editor.toPlainText() == "IF X > 3 THEN\n    OUTPUT X\nELSE\n    OUTPUT 0\nENDIF\n"


def test_nested_loops_dedent_to_their_own_opener(qtbot, editor) -> None:
    _type(qtbot, editor, "FOR I <- 1 TO 3\nWHILE X < I\nX <- X + 1\nENDWHILE\nNEXT I")
    assert editor.toPlainText() == (
        "FOR I \u2190 1 TO 3\n    WHILE X < I\n        X \u2190 X + 1\n    ENDWHILE\nNEXT I")


def test_repeat_until_and_case_otherwise(qtbot, editor) -> None:
    _type(qtbot, editor, "REPEAT\nX <- X + 1\nUNTIL X > 3\nCASE OF X\n1 : OUTPUT 1\n"
                         "OTHERWISE : OUTPUT 2\nENDCASE")
    assert editor.toPlainText().split("\n") == [
        "REPEAT", "    X \u2190 X + 1", "UNTIL X > 3", "CASE OF X", "    1 : OUTPUT 1",
        "    OTHERWISE : OUTPUT 2", "ENDCASE"]


def test_procedure_and_class_bodies_indent(qtbot, editor) -> None:
    _type(qtbot, editor, "CLASS Pet\nPRIVATE Name : STRING\nPUBLIC PROCEDURE NEW()\n"
                         "Name <- \"x\"\nENDPROCEDURE\nENDCLASS")
    assert editor.toPlainText().split("\n") == [
        "CLASS Pet", "    PRIVATE Name : STRING", "    PUBLIC PROCEDURE NEW()",
        '        Name \u2190 "x"', "    ENDPROCEDURE", "ENDCLASS"]


def test_tab_inserts_spaces_and_shift_tab_dedents(qtbot, editor) -> None:
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.keyClicks(editor, "X")
    assert editor.toPlainText() == "    X"
    qtbot.keyClick(editor, Qt.Key.Key_Backtab)
    assert editor.toPlainText() == "X"
    assert "\t" not in editor.toPlainText()


def test_tab_with_selection_indents_every_line(qtbot, editor) -> None:
    editor.setPlainText("A\nB\nC")
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.toPlainText() == "    A\n    B\n    C"


def test_backspace_in_indentation_removes_one_level(qtbot, editor) -> None:
    editor.setPlainText("        ")
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.toPlainText() == "    "


def test_arrow_glyph_in_code_but_not_in_strings_or_comments(qtbot, editor) -> None:
    _type(qtbot, editor, 'X <- 1\nOUTPUT "a <- b"\n// c <- d')
    assert editor.toPlainText() == f'X {ARROW} 1\nOUTPUT "a <- b"\n// c <- d'


def test_arrow_replacement_is_one_undo_step(qtbot, editor) -> None:
    qtbot.keyClicks(editor, "X <-")
    editor.undo()
    assert editor.toPlainText() in ("X <", "X ", "")


def test_arrow_glyph_can_be_turned_off(qtbot, editor) -> None:
    editor.arrow_glyph = False
    qtbot.keyClicks(editor, "X <- 1")
    assert editor.toPlainText() == "X <- 1"


def test_undo_and_redo(qtbot, editor) -> None:
    qtbot.keyClicks(editor, "OUTPUT 1")
    editor.undo()
    assert editor.toPlainText() == ""
    editor.redo()
    assert editor.toPlainText() == "OUTPUT 1"


def test_toggle_comment(qtbot, editor) -> None:
    editor.setPlainText("OUTPUT 1\n    OUTPUT 2")
    editor.selectAll()
    editor.toggle_comment()
    assert editor.toPlainText() == "// OUTPUT 1\n//     OUTPUT 2"
    editor.selectAll()
    editor.toggle_comment()
    assert editor.toPlainText() == "OUTPUT 1\n    OUTPUT 2"


def test_highlighting_comes_from_the_lexer(qtbot, editor) -> None:
    editor.setPlainText('DECLARE Name : STRING // who\nOUTPUT LENGTH("abc"), 42')
    from gui.model.syntax import Category

    assert _format_at(editor, 0, 0).foreground().color().name() == \
        LIGHT.colors[Category.KEYWORD][0]
    assert _format_at(editor, 0, 15).foreground().color().name() == LIGHT.colors[Category.TYPE][0]
    assert _format_at(editor, 0, 23).foreground().color().name() == \
        LIGHT.colors[Category.COMMENT][0]
    assert _format_at(editor, 1, 7).foreground().color().name() == \
        LIGHT.colors[Category.BUILTIN][0]
    assert _format_at(editor, 1, 14).foreground().color().name() == \
        LIGHT.colors[Category.STRING][0]
    assert _format_at(editor, 1, 22).foreground().color().name() == \
        LIGHT.colors[Category.NUMBER][0]


def test_date_literals_are_coloured_like_numbers(qtbot, editor) -> None:
    """A DATE literal (dd/mm/yyyy) is one literal to the lexer, so it gets the number colour."""
    from gui.model.syntax import Category, pseudocode_spans

    line = "Pupil.DateOfBirth <- 02/01/2005"
    assert (21, 10, Category.NUMBER) in pseudocode_spans(line)
    editor.setPlainText(line)
    number = LIGHT.colors[Category.NUMBER][0]
    assert all(_format_at(editor, 0, column).foreground().color().name() == number
               for column in range(21, 31))
    assert _format_at(editor, 0, 0).foreground().color().name() != number


def test_lower_case_keywords_are_highlighted_as_keywords(qtbot, editor) -> None:
    from gui.model.syntax import Category

    editor.setPlainText("output 5")
    assert _format_at(editor, 0, 0).foreground().color().name() == \
        LIGHT.colors[Category.KEYWORD][0]


def test_theme_switch_recolours(qtbot, editor) -> None:
    from gui.model.syntax import Category

    editor.setPlainText("OUTPUT 1")
    editor.set_theme(DARK)
    assert _format_at(editor, 0, 0).foreground().color().name() == \
        DARK.colors[Category.KEYWORD][0]


def _diag(line: int, column: int, end: int, severity=Severity.ERROR, code="E110") -> Diagnostic:
    return Diagnostic(code, severity, "Something is wrong", line, column, line, end,
                      "Do it differently")


def test_diagnostics_are_underlined_marked_and_explained(qtbot, editor) -> None:
    editor.setPlainText("OUTPUT 1 2\nOUTPUT 3\n")
    editor.set_diagnostics([_diag(1, 10, 11), _diag(2, 1, 7, Severity.WARNING, "W101")])
    assert sorted(editor.underlines()) == [(9, 10, Severity.ERROR), (11, 17, Severity.WARNING)]
    assert editor._range_rects(9, 10)  # drawn where the text is
    assert editor.line_marks() == {1: Severity.ERROR, 2: Severity.WARNING}
    tip = editor.tooltip_text(editor.diagnostics_at(9))
    assert "E110" in tip and "Do it differently" in tip
    editor.set_diagnostics([])
    assert not editor.line_marks()


def test_diagnostic_past_the_end_of_a_line_still_shows(qtbot, editor) -> None:
    editor.setPlainText("IF TRUE THEN\n")
    editor.set_diagnostics([_diag(1, 30, 31, code="E111")])
    start, end, _ = editor.underlines()[0]
    assert end > start


def test_runtime_error_mark(qtbot, editor) -> None:
    editor.setPlainText("A\nB\nC")
    editor.mark_runtime_error(2, "index out of range")
    assert editor.runtime_error_line == 2
    assert "index out of range" in editor.tooltip_text([], 2)
    editor.clear_runtime_error()
    assert editor.runtime_error_line is None


def test_go_to_clamps_to_the_document(qtbot, editor) -> None:
    editor.setPlainText("one\ntwo")
    editor.go_to(2, 3)
    assert editor.cursor_line_column() == (2, 3)
    editor.go_to(99, 99)
    assert editor.cursor_line_column() == (2, 4)


def test_ctrl_wheel_asks_for_zoom(qtbot, editor) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent

    with qtbot.waitSignal(editor.zoomRequested) as blocker:
        event = QWheelEvent(QPointF(10, 10), QPointF(10, 10), QPoint(0, 0), QPoint(0, 120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                            Qt.ScrollPhase.NoScrollPhase, False)
        editor.wheelEvent(event)
    assert blocker.args == [1]


def test_editor_font_is_monospaced(editor) -> None:
    from PySide6.QtGui import QFontInfo

    assert QFontInfo(editor.font()).fixedPitch()



def test_many_qt_calls_do_not_crash_the_interpreter() -> None:
    """PySide6 6.12 on Python 3.11 leaks a reference to None per void call (gui/compat.py)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("import gui\nfrom PySide6.QtWidgets import QApplication, QLabel\n"
            "app = QApplication([])\nlabel = QLabel()\n"
            "for _ in range(30000):\n    label.setText('x')\nprint('alive')\n")
    root = Path(__file__).resolve().parents[3]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=root, env=env)
    assert run.returncode == 0 and "alive" in run.stdout, run.stderr[-2000:]
