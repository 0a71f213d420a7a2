"""File > Translate folder: runs an ``engine.folder_batch.FolderBatch`` on a worker thread behind a progress dialog.

One batch at a time (a second is refused until this one ends). The progress dialog
(``gui/dialogs/batch_progress.py``) is not modal; its Cancel button asks the job to
stop: the documents already in the workers finish, no other one starts. The summary
(files, errors, cancelled files, throughput) is shown through ``MessageBoxes.show_info``
once the job has returned, and ``finished`` is emitted with the ``BatchSummary``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QWidget

from engine.folder_batch import BatchSummary, FolderBatch
from gui.dialogs.batch_progress import BatchProgress
from gui.services.workers import run_in_background


def _stopped(job: FolderBatch, error: BaseException) -> BatchSummary:
    """The summary of a batch that raised: reported to the user, never a crash."""
    return BatchSummary(job.folder, job.out_dir,
                        failure=f"The batch stopped: {type(error).__name__}: {error}")


class BatchRunner(QObject):
    """One folder translation at a time, with its progress dialog."""

    progressed = Signal(int, int, str)   # done, total, file name (from the worker thread)
    finished = Signal(object)            # BatchSummary

    def __init__(self, parent_widget: QWidget, dialogs: Any) -> None:
        super().__init__(parent_widget)
        self._parent = parent_widget
        self._dialogs = dialogs
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self.job: FolderBatch | None = None
        self.progress: BatchProgress | None = None
        self.last_summary: BatchSummary | None = None
        self.progressed.connect(self._on_progress)

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(self, folder: str | Path, out_dir: str | Path, translate_many: Any,
              workers: int = 0) -> FolderBatch | None:
        if self.job is not None:
            return None
        progressed = self.progressed

        def report(done: int, total: int, name: str) -> None:
            try:
                progressed.emit(done, total, name)
            except RuntimeError:
                pass

        job = FolderBatch.of_folder(folder, out_dir, translate_many, workers=workers,
                                    progress=report)
        self.job = job
        dialog = BatchProgress(Path(folder).name, self.cancel, self._parent)
        dialog.show()
        self.progress = dialog
        run_in_background(job.run, pool=self._pool, done=self._on_done,
                          failed=lambda error: self._on_done(_stopped(job, error)))
        return job

    @Slot()
    def cancel(self) -> None:
        if self.job is not None and not self.job.cancelled:
            self.job.cancel()
            if self.progress is not None:
                self.progress.show_cancelling()

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, name: str) -> None:
        dialog = self.progress
        if dialog is None or self.job is None or self.job.cancelled:
            return
        dialog.show_progress(done, total, name)

    @Slot(object)
    def _on_done(self, summary: BatchSummary) -> None:
        self.job = None
        dialog, self.progress = self.progress, None
        if dialog is not None:
            dialog.dismiss()
        self.last_summary = summary
        title = "Translate folder" + (" (cancelled)" if summary.cancelled else "")
        if summary.failure:
            self._dialogs.show_error(self._parent, title, summary.text())
        else:
            self._dialogs.show_info(self._parent, title, summary.text())
        self.finished.emit(summary)

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Let a running job finish (window closing)."""
        if self.job is not None:
            self.job.cancel()
        return self._pool.waitForDone(timeout_ms)
