"""Find and replace: find_all() and the FindBar on a code editor."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.widgets.find_bar import FindBar, find_all


def test_find_all_is_case_insensitive_by_default() -> None:
    assert find_all("Total total TOTAL", "total") == [(0, 5), (6, 11), (12, 17)]
    assert find_all("Total total TOTAL", "total", match_case=True) == [(6, 11)]
    assert find_all("abc", "") == []


def test_find_bar_next_previous_and_replace(qtbot, editor) -> None:
    bar = FindBar()
    qtbot.addWidget(bar)
    bar.set_editor(editor)
    editor.setPlainText("X <- X + 1\nOUTPUT X")
    bar.open(replace=True)
    bar.find_edit.setText("X")
    assert bar.count_label.text() == "3 matches"
    editor.go_to(1, 1)
    assert bar.find_next()
    assert editor.textCursor().selectionStart() == 0
    bar.find_next()
    assert editor.textCursor().selectionStart() == 5
    bar.find_previous()
    assert editor.textCursor().selectionStart() == 0
    bar.replace_edit.setText("Y")
    bar.replace_one()
    assert editor.toPlainText() == "Y <- X + 1\nOUTPUT X"
    qtbot.keyClick(bar, Qt.Key.Key_Escape)
    assert not bar.isVisible()
