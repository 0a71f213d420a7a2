"""The session: what the window restores at start-up, autosave, recovery, closing unattended.

``Session`` restores the geometry, the docks and the files open last time,
writes them back when the window closes, autosaves the unsaved documents to the
``RecoveryStore`` on a worker thread, offers the documents a crashed (or
signalled) session left, and closes the window with nobody to ask (SIGTERM,
SIGINT): no question, the unsaved work is kept for the next start.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, QSettings, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from gui.dialogs.message_boxes import MessageBoxes
from gui.model.recovery import RecoveredDocument, RecoveryStore
from gui.services.workers import run_in_background
from gui.window.file_commands import FileCommands
from gui.window.shutdown import Shutdown, Stage
from gui.window.view import APP_NAME, WindowView, replace_text, tab_for_path

log = logging.getLogger(__name__)


class Session(QObject):
    autosaved = Signal(bool)
    closedUnattended = Signal(str)   # close_unattended() closed the window (the reason)

    def __init__(self, view: WindowView, state: QSettings, recovery: RecoveryStore | None,
                 dialogs: MessageBoxes, files: FileCommands, io_pool: QThreadPool,
                 shutdown: Shutdown, autosave_interval_s: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view, self._state, self.recovery = view, state, recovery
        self._dialogs, self._files, self._io_pool = dialogs, files, io_pool
        self._shutdown = shutdown
        self.unattended = ""   # why the window closes with nobody to ask ("SIGTERM" ...)
        self._unattended_tries = 0
        self._autosave_timer = QTimer(self)
        self._autosave_timer.timeout.connect(self.autosave_now)
        self.set_autosave_interval(autosave_interval_s)
        shutdown.register(Stage.STATE, "save the session", self._save)
        shutdown.register(Stage.STATE_SYNC, "write the settings file", state.sync)
        shutdown.register(Stage.RECOVERY, "keep or remove the recovery files",
                          self._close_recovery)
        shutdown.register(Stage.CLOSED, "say the window closed unattended",
                          self._say_closed)

    def _parent_widget(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    # -- start and end --------------------------------------------------------------
    def restore_session(self, files: list[str] | None = None) -> None:
        """Geometry, docks, the files open last time, then ``files`` (the last one current)."""
        geometry = self._state.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self._view.restoreGeometry(QByteArray(geometry))
        dock_state = self._state.value("window/state")
        if isinstance(dock_state, QByteArray | bytes) and dock_state:
            self._view.restoreState(QByteArray(dock_state))
        previous = self._state.value("session/open_files", [])
        if isinstance(previous, str):
            previous = [previous]
        current = str(self._state.value("session/current", "") or "")
        current_tab = None
        for path in previous or []:
            tab = self._files.open_path(path, quiet=True)
            if tab is not None and str(path) == current:
                current_tab = tab
        for path in files or []:
            current_tab = self._files.open_path(path) or current_tab
        if current_tab is not None:
            self._view.show_tab(current_tab)
        if not self._view.document_tabs():
            self._view.new_document()
        self._view.update_start_page()

    def _save(self) -> None:
        state = self._state
        state.setValue("window/geometry", self._view.saveGeometry())
        state.setValue("window/state", self._view.saveState())
        paths = [str(t.path) for t in self._view.document_tabs() if t.path is not None]
        state.setValue("session/open_files", paths)
        tab = self._view.current_tab()
        state.setValue("session/current", str(tab.path) if tab and tab.path else "")

    def may_close(self) -> bool:
        """Ask about each unsaved document (not when closing unattended); False: stay open."""
        if self.unattended:
            return True
        return all(self._files.confirm_discard(tab) for tab in self._view.document_tabs())

    def _close_recovery(self) -> None:
        self._autosave_timer.stop()
        if self.recovery is not None and self.unattended:
            self.recovery.keep(self.unsaved_documents(), self.unattended)  # now, not on a thread
        elif self.recovery is not None:
            self.recovery.close()

    def _say_closed(self) -> None:
        if self.unattended:
            self.closedUnattended.emit(self.unattended)

    # -- autosave --------------------------------------------------------------------
    def set_autosave_interval(self, seconds: int) -> None:
        """Autosave every ``seconds`` (0: never); Edit > Settings changes it."""
        self._autosave_timer.stop()
        if seconds > 0 and self.recovery is not None:
            self._autosave_timer.start(seconds * 1000)

    def unsaved_documents(self) -> list[RecoveredDocument]:
        return [RecoveredDocument(t.text(), str(t.path) if t.path else None, t.title)
                for t in self._view.document_tabs() if t.modified]

    def autosave_now(self) -> None:
        """Write the unsaved documents to the recovery folder (on a worker thread)."""
        if self.recovery is None or self._shutdown.started:
            return
        run_in_background(self.recovery.save, self.unsaved_documents(), pool=self._io_pool,
                          done=self._on_autosaved, failed=self._on_autosave_failed)

    def _on_autosaved(self, ok: object) -> None:
        self.autosaved.emit(ok is True)

    def _on_autosave_failed(self, error: BaseException) -> None:
        log.warning("autosave failed: %s", error)
        self.autosaved.emit(False)

    # -- recovery ----------------------------------------------------------------------
    def offer_recovery(self) -> int:
        """After a crash: offer the documents the last session left; returns how many came back."""
        if self.recovery is None:
            return 0
        orphans = self.recovery.find_orphans()
        if not orphans:
            return 0
        documents = [d for o in orphans for d in o.documents]
        when = time.strftime("%d %b %Y at %H:%M",
                             time.localtime(max(o.saved_at for o in orphans)))
        names = ", ".join(d.title for d in documents[:5]) + (" \u2026" if len(documents) > 5
                                                             else "")
        reasons = sorted({o.reason for o in orphans})
        how = (f"was asked to quit ({', '.join(reasons)}) last time, with nobody to save the "
               "work" if all(reasons) else "did not close properly last time")
        count = len(documents)
        restore = self._dialogs.ask_yes_no(
            self._parent_widget(), "Recover unsaved work?",
            f"{APP_NAME} {how}. {count} unsaved document{'s' if count != 1 else ''} "
            f"({names}) {'were' if count != 1 else 'was'} kept on {when}.\n\nRestore "
            f"{'them' if count != 1 else 'it'}?")
        if self.unattended or self._shutdown.started:
            return 0  # asked to quit while the question was open: keep them for next time
        restored = 0
        if restore:
            for document in documents:
                self._restore_document(document)
                restored += 1
        for orphan in orphans:
            self.recovery.discard(orphan)
        return restored

    def _restore_document(self, document: RecoveredDocument) -> None:
        path = Path(document.path) if document.path else None
        tab = tab_for_path(self._view, path) if path is not None else None
        if tab is None:
            current = self._view.current_tab()
            tab = current if current is not None and current.is_pristine() else \
                self._view.new_document(title=document.title if path is None else None)
            if path is None:
                tab.untitled_name = document.title
            tab.path = path
        replace_text(tab.editor, document.text)
        tab.set_modified(True)
        tab.translate_now()
        self._view.update_titles()

    # -- closing with nobody to ask ---------------------------------------------------
    def close_unattended(self, reason: str = "unattended") -> None:
        """Close as File > Quit does, with nobody to answer (SIGTERM, SIGINT): no question;
        the unsaved documents go to the recovery folder and the next start offers them back.

        A modal dialog that is open (a question runs its own event loop) is dismissed
        first, and the window closes once that loop has returned, never inside it.
        """
        if self._shutdown.started:
            return
        self.unattended = self.unattended or reason
        modal = QApplication.activeModalWidget()
        if modal is not None and modal is not self._view and self._unattended_tries < 50:
            self._unattended_tries += 1
            if isinstance(modal, QDialog):
                modal.reject()
            else:
                modal.close()
            QTimer.singleShot(10, self._close_unattended_later)  # after its loop returned
            return
        self._view.close()

    @Slot()
    def _close_unattended_later(self) -> None:
        self.close_unattended(self.unattended)
