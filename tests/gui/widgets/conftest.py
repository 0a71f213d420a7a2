"""Widget test fixtures: a shown code editor."""

from __future__ import annotations

import pytest

from gui.theme import LIGHT
from gui.widgets.code_editor import CodeEditor


@pytest.fixture
def editor(qtbot) -> CodeEditor:
    widget = CodeEditor(theme=LIGHT, tab_width=4, arrow_glyph=True)
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    return widget
