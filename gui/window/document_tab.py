"""One open document: its editor, its file, and its live translation.

The window shows the translation of the current tab; each tab keeps its
own latest result (and the last Python that translated without errors), so
switching tabs is instant and never re-translates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QVBoxLayout, QWidget

from engine.language.diagnostics import Diagnostic
from engine.sources import SourceText
from gui.model import arrows
from gui.model.editor_settings import EditorSettings
from gui.services.live_translation import LiveTranslation, TranslateFn
from gui.theme import Theme
from gui.widgets.code_editor import CodeEditor


class DocumentTab(QWidget):
    """Editor + file state + translation state for one document."""

    stateChanged = Signal()       # title or modified flag changed
    translated = Signal()         # a new up-to-date result (or engine failure)
    busyChanged = Signal(bool)

    def __init__(self, untitled_name: str, translate_fn: TranslateFn, settings: EditorSettings,
                 theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.untitled_name = untitled_name
        self.has_bom = False
        self.newline = "\n"
        self.result: Any = None          # the latest TranslationResult for the text on screen
        self.result_current = False      # False while typing, until the next result
        self.good_code = ""              # the last Python that had no errors
        self.good_line_map: dict[int, int] = {}
        self.good_plain_code = ""        # the same in the plain style, when it is made
        self.good_plain_line_map: dict[int, int] = {}
        self.engine_error = ""           # traceback of an engine crash, if the last one crashed
        self.arrow_spelling: str | None = None  # the file's "<-" or "\u2190" (None: not yet)
        self.editor = CodeEditor(self, theme, tab_width=settings.tab_width,
                                 arrow_glyph=settings.show_arrow_glyph)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor)
        self.live = LiveTranslation(translate_fn, parent=self)
        self.live.resultReady.connect(self._on_result)
        self.live.failed.connect(self._on_failed)
        self.live.busyChanged.connect(self.busyChanged)
        self._last_text = ""
        self.editor.textChanged.connect(self._on_text_changed)
        self.editor.document().modificationChanged.connect(self._on_modified)

    # -- file state ---------------------------------------------------------
    @property
    def title(self) -> str:
        return self.path.name if self.path is not None else self.untitled_name

    @property
    def modified(self) -> bool:
        return self.editor.document().isModified()

    def set_modified(self, modified: bool) -> None:
        self.editor.document().setModified(modified)

    def text(self) -> str:
        return self.editor.toPlainText()

    def file_text(self) -> str:
        """The text to save: every arrow in the file's spelling (what it used when it was
        opened; for a new file, ``<-`` if the user typed it and the editor showed ``\u2190``).
        """
        text = self.text()
        spelling = self.arrow_spelling
        if spelling is None and self.editor.arrow_typed:
            spelling = arrows.ASCII_ARROW
        return arrows.respell(text, spelling) if spelling is not None else text

    def is_pristine(self) -> bool:
        """An untitled, unchanged, empty document (replaced when a file is opened)."""
        return self.path is None and not self.modified and not self.text().strip()

    def load(self, loaded: SourceText, path: Path | None) -> None:
        """Show a file's text (one undo step from the old text; the undo stack is reset)."""
        self.path = path
        self.has_bom = loaded.has_bom
        self.newline = loaded.newline
        self.arrow_spelling = arrows.spelling_of(loaded.text)
        self.editor.arrow_typed = False
        text = loaded.text
        if self.editor.arrow_glyph and self.arrow_spelling is not None:
            text = arrows.respell(text, arrows.GLYPH_ARROW)  # the display only
        self.editor.setPlainText(text)
        self.set_modified(False)
        self.stateChanged.emit()
        self.translate_now()

    def mark_saved(self, path: Path) -> None:
        if self.arrow_spelling is None:  # saved once: the file's spelling is now fixed
            self.arrow_spelling = arrows.spelling_of(self.file_text())
        self.path = path
        self.set_modified(False)
        self.stateChanged.emit()

    def _on_modified(self, _modified: bool) -> None:
        self.stateChanged.emit()

    # -- translation --------------------------------------------------------
    def _on_text_changed(self) -> None:
        text = self.editor.toPlainText()
        if text == self._last_text:
            return
        self._last_text = text
        self.result_current = False
        self.editor.clear_runtime_error()
        self.live.schedule(text)

    def translate_now(self) -> None:
        self._last_text = self.editor.toPlainText()
        self.result_current = False
        self.live.translate_now(self._last_text)

    @property
    def up_to_date(self) -> bool:
        return self.result_current and not self.live.busy

    def code_in(self, style: str) -> str:
        """The last good Python in ``style``; the checked style until the plain one is made
        (just after the switch, while the translation runs)."""
        return self.good_plain_code if style == "plain" and self.good_plain_code \
            else self.good_code

    def line_map_in(self, style: str) -> dict[int, int]:
        return self.good_plain_line_map if style == "plain" and self.good_plain_code \
            else self.good_line_map

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return list(getattr(self.result, "diagnostics", []) or [])

    @Slot(int, object)
    def _on_result(self, _revision: int, result: Any) -> None:
        self.result = result
        self.result_current = True
        self.engine_error = ""
        if getattr(result, "success", False):
            self.good_code = result.code
            self.good_line_map = dict(getattr(result, "line_map", {}) or {})
            self.good_plain_code = getattr(result, "plain_code", "") or ""
            self.good_plain_line_map = dict(getattr(result, "plain_line_map", {}) or {})
        self.editor.set_diagnostics(self.diagnostics)
        self.translated.emit()

    @Slot(int, str)
    def _on_failed(self, _revision: int, error: str) -> None:
        self.result = None
        self.result_current = True
        self.engine_error = error
        self.editor.set_diagnostics([])
        self.translated.emit()

    def shutdown(self) -> None:
        self.live.shutdown()
