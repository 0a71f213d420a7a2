"""Every modal dialog the window shows, behind one small class.

The window only talks to dialogs through :class:`MessageBoxes`, so tests
replace it (or monkeypatch one method) and no dialog is ever left open.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

PSEUDO_FILTER = "Pseudocode (*.pseudo *.txt);;All files (*)"
PYTHON_FILTER = "Python (*.py);;All files (*)"
CSV_FILTER = "CSV (*.csv);;All files (*)"


class SaveChoice(StrEnum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class MessageBoxes:
    """The real dialogs. Each method returns a plain value."""

    def ask_save_changes(self, parent: QWidget | None, name: str) -> SaveChoice:
        box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes",
                          f"Save the changes to \u201c{name}\u201d before closing?",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, parent)
        box.setInformativeText("Your changes are lost if you don't save them.")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return SaveChoice.SAVE
        if answer == QMessageBox.StandardButton.Discard:
            return SaveChoice.DISCARD
        return SaveChoice.CANCEL

    def ask_yes_no(self, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text,
                                      QMessageBox.StandardButton.Yes
                                      | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    def show_error(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    def show_info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def open_path(self, parent: QWidget | None, folder: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, "Open pseudocode", folder, PSEUDO_FILTER)
        return path or None

    def save_path(self, parent: QWidget | None, suggested: str, python: bool = False) -> str | None:
        title = "Export Python" if python else "Save pseudocode"
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested,
                                              PYTHON_FILTER if python else PSEUDO_FILTER)
        return path or None

    def pick_folder(self, parent: QWidget | None, title: str, start: str) -> str | None:
        path = QFileDialog.getExistingDirectory(parent, title, start)
        return path or None

    def save_csv_path(self, parent: QWidget | None, suggested: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, "Export the performance data", suggested,
                                              CSV_FILTER)
        return path or None

    def ask_line(self, parent: QWidget | None, current: int, last: int) -> int | None:
        """Edit > Go to Line: a line number from 1 to ``last``; None if cancelled."""
        line, ok = QInputDialog.getInt(parent, "Go to Line", f"Line (1 to {last}):",
                                       current, 1, max(1, last))
        return int(line) if ok else None
