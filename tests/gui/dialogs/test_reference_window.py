"""The language reference window: code blocks get captions so they can be told apart."""

from __future__ import annotations

from pathlib import Path

from gui.dialogs.reference_window import ReferenceWindow, caption_code_blocks

DOCS = Path(__file__).resolve().parents[3] / "docs" / "language.md"


def test_fenced_blocks_get_a_caption_by_language() -> None:
    text = "Intro\n\n```pseudocode\nOUTPUT 1\n```\n\n```python\nprint(1)\n```\n\n```\nplain\n```\n"
    out = caption_code_blocks(text)
    assert "*Pseudocode:*\n\n```pseudocode" in out
    assert "*The Python it becomes:*\n\n```python" in out
    assert out.count("*") == 4  # the plain block has no caption
    assert "OUTPUT 1" in out and "print(1)" in out


def test_the_reference_renders_with_captions(qtbot) -> None:
    window = ReferenceWindow(DOCS)
    qtbot.addWidget(window)
    plain = window.browser.toPlainText()
    assert "Pseudocode:" in plain and "The Python it becomes:" in plain
    assert "def " in plain and "DECLARE" in plain
