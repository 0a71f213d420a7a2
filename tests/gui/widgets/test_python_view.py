"""The Python pane's view: read-only, highlighted, a note while empty."""

from __future__ import annotations

from gui_helpers import format_at as _format_at

from gui.theme import LIGHT
from gui.widgets.python_view import PythonView


def test_python_view_is_read_only_and_highlighted(qtbot) -> None:
    view = PythonView(theme=LIGHT)
    qtbot.addWidget(view)
    view.set_code("def f(x):\n    return 'a'  # note\n")
    assert view.isReadOnly()
    from gui.model.syntax import Category

    assert _format_at(view, 0, 0).foreground().color().name() == LIGHT.colors[Category.KEYWORD][0]
    assert _format_at(view, 1, 20).foreground().color().name() == \
        LIGHT.colors[Category.COMMENT][0]


def test_an_empty_python_view_shows_a_note_and_no_line_number(qtbot, editor) -> None:
    view = PythonView(theme=LIGHT)
    qtbot.addWidget(view)
    assert "appears here" in view.placeholderText()
    assert not view.numbers_lines()  # no lone "1" next to the note
    view.set_code("x = 1\n")
    assert view.numbers_lines()
    assert editor.toPlainText() == "" and editor.numbers_lines()  # the editor's line 1 stays
