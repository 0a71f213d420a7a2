"""Edit > Settings and the Python style: read the config, show the dialog, apply what it saves.

``SettingsCommands`` reads the configuration file off the GUI thread, opens one
``SettingsDialog`` at a time and, when it saves, copies the editor values into
the shared ``EditorSettings`` (one loop over the editor fields), tells the other
parts (``editorSettingsChanged``: look, autosave) and gives the engine the new
config. The Python pane's Checked / Plain switch is a setting too
(``translation.python_style``): :meth:`set_python_style` uses it at once and
saves it in the background.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QWidget

from engine.config import PYTHON_STYLES, fields_in
from gui.dialogs.message_boxes import MessageBoxes
from gui.model.editor_settings import EditorSettings
from gui.services.engine_service import EngineService
from gui.services.workers import run_in_background
from gui.widgets.python_style_switch import PythonStyleSwitch
from gui.window.shutdown import Shutdown, Stage
from gui.window.view import WindowView


def python_style(settings: EditorSettings) -> str:
    """"checked" or "plain": what the Python pane shows and Export Python saves
    (the setting translation.python_style); Run always runs the checked style."""
    translation = getattr(settings.config, "translation", None)
    style = getattr(translation, "python_style", "checked")
    return style if style in PYTHON_STYLES else "checked"


def _save_python_style(style: str) -> object:
    """Remember the style: the setting translation.python_style in the config file."""
    from engine.config import ConfigManager

    manager = ConfigManager()
    config = manager.load()
    config.translation.python_style = style
    return manager.save(config)


def _load_config_manager() -> object:
    from engine.config import ConfigManager

    manager = ConfigManager()
    manager.load()
    return manager


class SettingsCommands(QObject):
    opened = Signal(object)                # the SettingsDialog, once shown
    applied = Signal(object)               # the TranslatorConfig now in force
    editorSettingsChanged = Signal(str)    # the theme before the change
    styleChanged = Signal(str)             # the Python style now shown

    def __init__(self, view: WindowView, dialogs: MessageBoxes, settings: EditorSettings,
                 engine: EngineService, style_switch: PythonStyleSwitch, io_pool: QThreadPool,
                 shutdown: Shutdown, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view, self._dialogs, self._settings = view, dialogs, settings
        self._engine, self._switch, self._io_pool = engine, style_switch, io_pool
        self._shutdown = shutdown
        self.dialog: Any = None            # the SettingsDialog while it is open
        self._loading = False
        self._page = "Execution"
        style_switch.styleChanged.connect(self.set_python_style)
        shutdown.register(Stage.WINDOWS, "close the settings dialog", self._close_dialog)

    @property
    def python_style(self) -> str:
        return python_style(self._settings)

    def _parent_widget(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    # -- the dialog -------------------------------------------------------------
    def open_settings(self, page: str = "Execution") -> None:
        """Edit > Settings: read the file (off the GUI thread), then show the dialog."""
        page = page if isinstance(page, str) else "Execution"
        if self.dialog is not None:
            self.dialog.show_page(page)
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        if self._loading:
            return
        self._loading = True
        self._page = page
        run_in_background(_load_config_manager, pool=self._io_pool, done=self._on_loaded,
                          failed=self._on_loaded)

    def _on_loaded(self, manager: object) -> None:
        """The config was read (a ConfigManager), or could not be (the exception)."""
        self._loading = False
        if self._shutdown.started:
            return
        if isinstance(manager, Exception):
            self._dialogs.show_error(self._parent_widget(), "Settings",
                                     f"The configuration could not be read: {manager}")
            return
        from gui.dialogs.settings_dialog import SettingsDialog
        from gui.model.settings_form import SettingsForm

        form = SettingsForm(manager)  # type: ignore[arg-type]
        dialog = SettingsDialog(form, self._parent_widget(), self._view.theme, self._page)
        dialog.applied.connect(self.apply_config)
        dialog.finished.connect(self._on_closed)
        self.dialog = dialog
        dialog.open()
        self.opened.emit(dialog)

    @Slot(int)
    def _on_closed(self, _result: int = 0) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.close()

    @Slot(object)
    def apply_config(self, config: Any) -> None:
        """Use saved settings now: editor look, strict mode, and the process pool."""
        settings = self._settings
        old_theme = settings.theme
        settings.config = config
        for spec in fields_in("editor"):  # the schema's editor fields (engine/config)
            setattr(settings, spec.name, spec.get(config))
        settings.strict_mode = config.translation.strict_mode
        self.editorSettingsChanged.emit(old_theme)
        self._switch.set_style(python_style(settings))
        self._engine.apply(config)
        for tab in self._view.document_tabs():  # strict mode (or the pool) may change results
            tab.translate_now()
        self._view.show_status("Settings applied", 3000)
        self.applied.emit(config)

    # -- the Python style ---------------------------------------------------------
    @Slot(str)
    def set_python_style(self, style: str) -> None:
        """The switch on the Python pane: use ``style`` now, and save it as the setting."""
        current = python_style(self._settings)
        if style == current or style not in PYTHON_STYLES:
            self._switch.set_style(current)
            return
        from engine.config import TranslatorConfig

        config = self._settings.config.copy() if self._settings.config is not None \
            else TranslatorConfig()
        config.translation.python_style = style
        self._settings.config = config
        self._switch.set_style(style)
        self._engine.apply(config)
        for tab in self._view.document_tabs():  # the plain style is made with the translation
            tab.translate_now()
        self.styleChanged.emit(style)
        run_in_background(_save_python_style, style, pool=self._io_pool,
                          done=self._on_style_saved, failed=self._on_style_saved)

    def _on_style_saved(self, outcome: object) -> None:
        if isinstance(outcome, Exception):
            self._view.show_status(f"Python style not saved in the settings: {outcome}", 6000)
