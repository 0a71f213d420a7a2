"""File > Translate Folder's progress dialog: not modal, with a Cancel button.

Not modal, so the editor stays usable while a folder is translated. A modal
``QProgressDialog`` would also run a nested event loop inside ``setValue()``,
where the end of the batch could delete it under our feet. ``BatchRunner``
(gui/services/batch_runner.py) owns the job and tells this dialog what happened.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget


class BatchProgress(QProgressDialog):
    """Files done of total; Cancel calls ``cancel`` (the runner's)."""

    def __init__(self, folder_name: str, cancel: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Reading the .pseudo files of {folder_name}\u2026",
                         "Cancel", 0, 0, parent)
        self._cancel = cancel
        self.setWindowTitle("Translate folder")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(0)
        self.setMinimumWidth(420)
        self.canceled.connect(self._cancel)

    def show_progress(self, done: int, total: int, name: str) -> None:
        if self.maximum() != total:
            self.setMaximum(max(total, 1))
        self.setValue(min(done, total))
        self.setLabelText(f"Translated {done} of {total} files" + (f" ({name})" if name else ""))

    def show_cancelling(self) -> None:
        self.setLabelText("Cancelling after the files in progress\u2026")

    def dismiss(self) -> None:
        """The batch has ended: close without emitting ``canceled``, and go."""
        self.canceled.disconnect(self._cancel)  # closing it would emit canceled
        self.hide()
        self.deleteLater()
