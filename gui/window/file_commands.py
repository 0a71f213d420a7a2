"""The File menu: open, open an example, save, save as, revert, export Python, recent files,
translate a folder.

``FileCommands`` reads and writes through ``engine.sources`` and asks the
user through ``MessageBoxes``; a failure is a message and changes nothing. It
keeps the recent-files list (QSettings ``files/recent``) and builds the Open
Recent and Examples menus. The window stays in charge of the tabs: this asks
it for the current tab or a new one (``WindowView``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Slot
from PySide6.QtWidgets import QMenu, QWidget

from engine.folder_batch import BatchSummary
from engine.sources import SourceProblem, read_source, write_python, write_source
from gui import resources
from gui.dialogs.message_boxes import MessageBoxes, SaveChoice
from gui.model.editor_settings import EditorSettings
from gui.services.batch_runner import BatchRunner
from gui.services.engine_service import EngineService
from gui.window.document_tab import DocumentTab
from gui.window.settings_commands import python_style
from gui.window.shutdown import Shutdown, Stage
from gui.window.view import WindowView, pseudo_name, replace_text, tab_for_path

MAX_RECENT = 10


class FileCommands(QObject):
    def __init__(self, view: WindowView, dialogs: MessageBoxes, state: QSettings,
                 settings: EditorSettings, batch: BatchRunner, engine: EngineService,
                 shutdown: Shutdown, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view, self._dialogs, self._state = view, dialogs, state
        self._settings, self._batch, self._engine = settings, batch, engine
        self.recent_menu: QMenu | None = None
        self.examples_menu: QMenu | None = None
        batch.finished.connect(self._on_batch_finished)
        shutdown.register(Stage.BATCH, "let the folder batch finish", self._wait_for_batch)

    def _parent_widget(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    def start_folder(self) -> str:
        """Where the file dialogs start: the current file's folder, the last file's, home."""
        tab = self._view.current_tab()
        if tab is not None and tab.path is not None:
            return str(tab.path.parent)
        recent = self.recent_files()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    # -- open -----------------------------------------------------------------
    def open_dialog(self) -> None:
        path = self._dialogs.open_path(self._parent_widget(), self.start_folder())
        if path:
            self.open_path(path)

    def open_path(self, path: str | os.PathLike[str], quiet: bool = False) -> DocumentTab | None:
        """Open a file in a tab (or show it if open). On failure: a message, nothing changes."""
        path = Path(path).expanduser().absolute()
        existing = tab_for_path(self._view, path)
        if existing is not None:
            self._view.show_tab(existing)
            return existing
        try:
            loaded = read_source(path)
        except SourceProblem as problem:
            if not quiet:
                self._dialogs.show_error(self._parent_widget(), "Cannot open the file",
                                         str(problem))
            return None
        tab = self._pristine_or_new_tab()
        tab.load(loaded, path)
        self._add_recent(path)
        self._view.show_status(f"Opened {path}", 4000)
        return tab

    def open_example(self, path: Path) -> DocumentTab | None:
        """An example opens as a new unsaved copy (Save asks where to put it)."""
        try:
            loaded = read_source(path)
        except SourceProblem as problem:
            self._dialogs.show_error(self._parent_widget(), "Cannot open the example",
                                     str(problem))
            return None
        tab = self._pristine_or_new_tab()
        tab.untitled_name = self._unique_title(path.name, tab)
        tab.load(loaded, None)
        return tab

    def _pristine_or_new_tab(self) -> DocumentTab:
        tab = self._view.current_tab()
        return tab if tab is not None and tab.is_pristine() else self._view.new_document()

    def _unique_title(self, name: str, tab: DocumentTab) -> str:
        """``name``, or ``stem (2).pseudo`` ... if another tab already has that title (a
        second copy of an example): two tabs never read the same."""
        titles = {t.title for t in self._view.document_tabs() if t is not tab}
        stem, suffix = os.path.splitext(name)
        number = 1
        while name in titles:
            number += 1
            name = f"{stem} ({number}){suffix}"
        return name

    def examples_menu_for(self, parent: QWidget) -> QMenu:
        """File > Examples (the same menu is in Help)."""
        menu = QMenu("&Examples", parent)
        for example in resources.examples():
            act = menu.addAction(f"{example.title} — {example.description}"
                                 if example.description else example.title)
            act.setStatusTip(example.description)
            act.setToolTip(example.description)
            act.triggered.connect(lambda _=False, p=example.path: self.open_example(p))
        if menu.isEmpty():
            menu.addAction("(no examples found)").setEnabled(False)
        self.examples_menu = menu
        return menu

    # -- save -----------------------------------------------------------------
    def save(self, tab: DocumentTab | None = None) -> bool:
        tab = tab or self._view.current_tab()
        if tab is None:
            return False
        if tab.path is None:
            return self.save_as(tab)
        return self._write(tab, tab.path)

    def save_as(self, tab: DocumentTab | None = None) -> bool:
        tab = tab or self._view.current_tab()
        if tab is None:
            return False
        suggested = str(tab.path or Path(self.start_folder()) / pseudo_name(tab.title))
        path = self._dialogs.save_path(self._parent_widget(), suggested)
        if not path:
            return False
        return self._write(tab, Path(path))

    def _write(self, tab: DocumentTab, path: Path) -> bool:
        try:
            write_source(path, tab.file_text(), tab.has_bom, tab.newline)
        except SourceProblem as problem:
            self._dialogs.show_error(self._parent_widget(), "Cannot save the file", str(problem))
            return False
        tab.mark_saved(path.absolute())
        self._add_recent(path)
        self._view.show_status(f"Saved {path}", 4000)
        return True

    def confirm_discard(self, tab: DocumentTab) -> bool:
        """Ask about unsaved changes (Save / Discard / Cancel); True if the tab may close."""
        if not tab.modified:
            return True
        self._view.show_tab(tab)
        choice = self._dialogs.ask_save_changes(self._parent_widget(), tab.title)
        if choice == SaveChoice.SAVE:
            return self.save(tab)
        return choice == SaveChoice.DISCARD

    def revert(self) -> None:
        tab = self._view.current_tab()
        if tab is None or tab.path is None:
            return
        if tab.modified and not self._dialogs.ask_yes_no(
                self._parent_widget(), "Revert",
                f"Throw away your changes to \u201c{tab.title}\u201d and go back to the saved "
                "file?"):
            return
        try:
            loaded = read_source(tab.path)
        except SourceProblem as problem:
            self._dialogs.show_error(self._parent_widget(), "Cannot revert", str(problem))
            return
        replace_text(tab.editor, loaded.text)  # undoable
        tab.has_bom, tab.newline = loaded.has_bom, loaded.newline
        tab.set_modified(False)

    # -- the Python -------------------------------------------------------------
    def export_python(self) -> bool:
        tab = self._view.current_tab()
        if tab is None:
            return False
        if not tab.up_to_date or not getattr(tab.result, "success", False):
            self._dialogs.show_error(
                self._parent_widget(), "Export Python",
                "The pseudocode has errors (or is still being translated), so there is no "
                "up-to-date Python to export. Fix the problems first.")
            return False
        base = tab.path.with_suffix(".py") if tab.path else \
            Path(self.start_folder()) / (Path(pseudo_name(tab.title)).stem + ".py")
        path = self._dialogs.save_path(self._parent_widget(), str(base), python=True)
        if not path:
            return False
        style = python_style(self._settings)
        try:  # the style the pane shows (Run runs the checked one)
            write_python(path, tab.result.code_in(style)
                         if hasattr(tab.result, "code_in") else tab.result.code)
        except SourceProblem as problem:
            self._dialogs.show_error(self._parent_widget(), "Cannot export", str(problem))
            return False
        self._view.show_status(f"Python saved to {path}", 4000)
        return True

    # -- recent files -------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = self._state.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _add_recent(self, path: Path) -> None:
        text = str(Path(path).absolute())
        items = [p for p in self.recent_files() if p != text]
        self._state.setValue("files/recent", [text, *items][:MAX_RECENT])

    def recent_menu_for(self, parent: QWidget) -> QMenu:
        """File > Open Recent, filled each time it opens."""
        menu = QMenu("Open &Recent", parent)
        menu.aboutToShow.connect(self._fill_recent_menu)
        self.recent_menu = menu
        return menu

    @Slot()
    def _fill_recent_menu(self) -> None:
        menu = self.recent_menu
        if menu is None:
            return
        menu.clear()
        items = self.recent_files()
        for number, path in enumerate(items, 1):
            label = f"&{number % 10} {Path(path).name}  \u2014  {Path(path).parent}"
            act = menu.addAction(label)
            act.triggered.connect(lambda _=False, p=path: self.open_path(p))
        if not items:
            menu.addAction("(none)").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("Clear the list", self._clear_recent)

    def _clear_recent(self) -> None:
        self._state.setValue("files/recent", [])

    # -- a whole folder -------------------------------------------------------------
    def translate_folder(self) -> bool:
        """File > Translate Folder: every .pseudo file of a folder, into .py files."""
        if self._batch.running:
            self._view.show_status("A folder is already being translated", 4000)
            return False
        folder = self._dialogs.pick_folder(self._parent_widget(),
                                           "Translate the .pseudo files of a folder",
                                           self.start_folder())
        if not folder:
            return False
        out_dir = self._dialogs.pick_folder(self._parent_widget(), "Write the Python files into",
                                            folder)
        if not out_dir:
            return False
        self.start_batch(folder, out_dir)
        return True

    def start_batch(self, folder: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> Any:
        return self._batch.start(folder, out_dir, self._engine.translate_many,
                                 workers=self._engine.pool_workers())

    @Slot(object)
    def _on_batch_finished(self, summary: BatchSummary) -> None:
        self._view.show_status(
            f"Translated {summary.done} of {summary.total} files"
            + (" (cancelled)" if summary.cancelled else ""), 5000)

    def _wait_for_batch(self) -> None:
        if self._batch.running:
            self._batch.wait(10000)
