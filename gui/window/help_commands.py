"""The Help menu: the language reference window and About."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from gui import resources
from gui.dialogs.message_boxes import MessageBoxes
from gui.theme import Theme
from gui.window.shutdown import Shutdown, Stage
from gui.window.view import APP_NAME, WindowView


class HelpCommands(QObject):
    def __init__(self, view: WindowView, dialogs: MessageBoxes, shutdown: Shutdown,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view, self._dialogs = view, dialogs
        self.reference: QWidget | None = None  # the ReferenceWindow, once opened
        shutdown.register(Stage.WINDOWS, "close the language reference", self._close)

    def _parent_widget(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    def show_reference(self) -> None:
        path = resources.language_reference()
        if not path.is_file():
            self._dialogs.show_error(self._parent_widget(), "Language reference",
                                     f"The language reference was not found ({path}).")
            return
        from gui.dialogs.reference_window import ReferenceWindow

        if self.reference is None:
            self.reference = ReferenceWindow(path, self._parent_widget(), self._view.theme)
        self.reference.show()
        self.reference.raise_()
        self.reference.activateWindow()

    def show_about(self) -> None:
        self._dialogs.show_info(
            self._parent_widget(), f"About {APP_NAME}",
            f"{APP_NAME}\n\nType Cambridge International pseudocode (9618 / 0478) and get a "
            "readable, runnable Python program, with every mistake shown at its line.")

    def set_theme(self, theme: Theme) -> None:
        if self.reference is not None:
            self.reference.set_theme(theme)  # type: ignore[attr-defined]

    def _close(self) -> None:
        if self.reference is not None:
            self.reference.close()
