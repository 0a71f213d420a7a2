"""The View menu's look: zoom (the text size), the theme, the arrow glyph.

``Appearance`` owns the zoom step and the theme choice (both remembered in
QSettings), applies them to every document tab itself and tells the other
widgets through ``themeChanged`` and ``fontChanged``, which the window connects
to the Python pane, the Console, the Problems panel and so on.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QFont, QGuiApplication
from PySide6.QtWidgets import QMenu, QWidget

from engine.config import ALLOWED_THEMES
from gui.model.editor_settings import EditorSettings
from gui.theme import Theme, apply_to_application, resolve
from gui.widgets.code_editor import monospace_font
from gui.window.shutdown import Shutdown, Stage
from gui.window.view import WindowView

THEMES = (("system", "Follow the &system"), ("light", "&Light"), ("dark", "&Dark"))


class Appearance(QObject):
    themeChanged = Signal(object)   # the Theme now in use
    fontChanged = Signal(QFont)     # the editors' font after a zoom or a settings change
    arrowGlyphChanged = Signal(bool)

    def __init__(self, view: WindowView, settings: EditorSettings, state: QSettings,
                 shutdown: Shutdown, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view, self._settings, self._state = view, settings, state
        choice = str(state.value("view/theme", settings.theme))
        self.theme_choice = choice if choice in ALLOWED_THEMES else "system"
        self.theme: Theme = resolve(self.theme_choice)
        self._zoom = int(state.value("view/zoom", 0) or 0)
        self._theme_actions: dict[str, QAction] = {}
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._on_system_scheme_changed)
        shutdown.register(Stage.STATE, "remember the zoom",
                          lambda: state.setValue("view/zoom", self._zoom))

    # -- text size ------------------------------------------------------------
    def font(self) -> QFont:
        size = min(max(self._settings.font_size + self._zoom, 6), 48)
        return monospace_font(self._settings.font_family, size)

    @property
    def font_size(self) -> int:
        return self.font().pointSize()

    @Slot(int)
    def zoom(self, step: int) -> None:
        """+1 / -1 changes the text size of the editors and console; 0 resets it."""
        self._zoom = 0 if step == 0 else self._zoom + step
        self._zoom = min(max(self._zoom, 6 - self._settings.font_size),
                         48 - self._settings.font_size)
        self.apply_zoom()

    def apply_zoom(self) -> None:
        font = self.font()
        for tab in self._view.document_tabs():
            tab.editor.setFont(font)
        self.fontChanged.emit(font)

    # -- theme ----------------------------------------------------------------
    def theme_menu(self, parent: QWidget) -> QMenu:
        """View > Theme: the three choices, the current one checked."""
        menu = QMenu("&Theme", parent)
        group = QActionGroup(menu)
        for value, label in THEMES:
            act = QAction(label, menu, checkable=True)
            act.setChecked(value == self.theme_choice)
            act.triggered.connect(lambda _=False, v=value: self.apply_theme(v))
            group.addAction(act)
            menu.addAction(act)
            self._theme_actions[value] = act
        return menu

    def apply_theme(self, choice: str, remember: bool = True) -> None:
        self.theme_choice = choice
        self.theme = resolve(choice)
        apply_to_application(self.theme)
        for tab in self._view.document_tabs():
            tab.editor.set_theme(self.theme)
        if choice in self._theme_actions:
            self._theme_actions[choice].setChecked(True)
        if remember:
            self._state.setValue("view/theme", choice)
        self.themeChanged.emit(self.theme)

    @Slot()
    def _on_system_scheme_changed(self, *_: object) -> None:
        if self.theme_choice == "system":
            self.apply_theme("system", remember=False)

    # -- the arrow glyph, and new editor settings -------------------------------
    @Slot(bool)
    def set_arrow_glyph(self, checked: bool) -> None:
        """View > Show \u2190 for <-."""
        self._settings.show_arrow_glyph = checked
        for tab in self._view.document_tabs():
            tab.editor.arrow_glyph = checked

    def editor_settings_changed(self, old_theme: str) -> None:
        """Edit > Settings applied new editor values: tab width, arrows, font, theme."""
        settings = self._settings
        for tab in self._view.document_tabs():
            tab.editor.tab_width = max(1, settings.tab_width)
            tab.editor.arrow_glyph = settings.show_arrow_glyph
        self.arrowGlyphChanged.emit(settings.show_arrow_glyph)
        self.apply_zoom()
        if settings.theme != old_theme:
            self.apply_theme(settings.theme)
