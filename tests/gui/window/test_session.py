"""Session with a fake view: restoring and saving the session, the unsaved-changes question
at close, autosave, the recovery offer, closing unattended."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from gui_helpers import FakeDialogs
from PySide6.QtCore import QByteArray, QSettings, QThreadPool
from window_fakes import type_text

from gui.model.recovery import RecoveredDocument, RecoveryStore
from gui.services.batch_runner import BatchRunner
from gui.window.file_commands import FileCommands
from gui.window.session import Session
from gui.window.shutdown import Shutdown


@pytest.fixture
def parts(view, tmp_path: Path, dialogs: FakeDialogs):
    state = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    recovery = RecoveryStore(tmp_path / "recovery")
    recovery.open()
    shutdown = Shutdown()
    engine = SimpleNamespace(translate_many=None, pool_workers=lambda: 0)
    files = FileCommands(view, dialogs, state, view.settings, BatchRunner(view.holder, dialogs),
                         engine, shutdown)  # type: ignore[arg-type]
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    session = Session(view, state, recovery, dialogs, files, pool, shutdown, 0)
    yield SimpleNamespace(session=session, state=state, recovery=recovery, shutdown=shutdown,
                          files=files, pool=pool)
    pool.waitForDone(5000)
    recovery.close()


def test_restore_opens_the_last_files_then_the_ones_asked_for(view, parts, tmp_path) -> None:
    paths = []
    for name in ("a", "b", "c"):
        path = tmp_path / f"{name}.pseudo"
        path.write_text(f"OUTPUT \"{name}\"\n")
        paths.append(path)
    state = parts.state
    state.setValue("window/geometry", QByteArray(b"old geometry"))
    state.setValue("window/state", QByteArray(b"old docks"))
    state.setValue("session/open_files", [str(paths[0]), str(paths[1]),
                                          str(tmp_path / "gone.pseudo")])
    state.setValue("session/current", str(paths[0]))
    parts.session.restore_session([])
    assert [t.path for t in view.tabs] == paths[:2]  # the missing file: quietly left out
    assert view.current.path == paths[0] and view.start_page_updates == 1
    assert view.geometry == b"old geometry" and view.dock_state == b"old docks"
    parts.session.restore_session([str(paths[2])])
    assert view.current.path == paths[2]  # a file asked for becomes the current one


def test_restore_with_nothing_to_open_makes_an_empty_document(view, parts) -> None:
    parts.session.restore_session([])
    assert len(view.tabs) == 1 and view.tabs[0].is_pristine()


def test_closing_writes_the_session(view, parts, tmp_path) -> None:
    path = tmp_path / "kept.pseudo"
    path.write_text("OUTPUT 1\n")
    parts.files.open_path(path)
    view.new_document()  # untitled: not in the session
    view.show_tab(view.tabs[0])
    parts.shutdown.run()
    again = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    assert again.value("session/open_files") in ([str(path)], str(path))
    assert again.value("session/current") == str(path)
    assert bytes(again.value("window/geometry").data()) == b"the geometry"
    assert not list((tmp_path / "recovery").glob("*"))  # a clean close: no recovery files


def test_may_close_asks_about_each_unsaved_document(view, parts, dialogs) -> None:
    first, second = view.new_document(title="one"), view.new_document(title="two")
    type_text(first, "OUTPUT 1\n")
    type_text(second, "OUTPUT 2\n")
    dialogs.save_choice = "cancel"
    assert not parts.session.may_close()
    assert dialogs.texts("ask_save_changes") == ["one"]  # cancelled at the first
    dialogs.save_choice = "discard"
    assert parts.session.may_close()
    assert dialogs.texts("ask_save_changes") == ["one", "one", "two"]


def test_autosave_writes_the_unsaved_documents(qtbot, view, parts, tmp_path) -> None:
    tab = view.new_document(title="draft")
    type_text(tab, "OUTPUT \"unsaved\"\n")
    with qtbot.waitSignal(parts.session.autosaved, timeout=5000) as saved:
        parts.session.autosave_now()
    assert saved.args == [True]
    assert parts.recovery.snapshot_path.exists()
    assert "unsaved" in parts.recovery.snapshot_path.read_text()


def test_recovery_offer_restores_the_documents_of_a_crashed_session(view, parts, dialogs,
                                                                   tmp_path) -> None:
    crashed = RecoveryStore(tmp_path / "recovery")
    crashed.open()
    assert crashed.save([RecoveredDocument("OUTPUT \"lost\"\n", None, "Untitled 7")])
    crashed.abandon()  # the process died: the snapshot stays, the lock is freed
    view.new_document()  # the empty document of a new start
    assert parts.session.offer_recovery() == 1
    assert "1 unsaved document (Untitled 7) was kept" in dialogs.texts("ask_yes_no")[0]
    tab = view.tabs[0]  # the empty document was used
    assert tab.text() == "OUTPUT \"lost\"\n" and tab.modified and tab.title == "Untitled 7"
    assert view.title_updates >= 1
    assert parts.session.offer_recovery() == 0  # offered once: the orphan was discarded


def test_recovery_declined_discards_the_snapshot(view, parts, dialogs, tmp_path) -> None:
    crashed = RecoveryStore(tmp_path / "recovery")
    crashed.open()
    crashed.save([RecoveredDocument("OUTPUT 1\n", None, "Untitled")])
    crashed.abandon()
    dialogs.yes = False
    assert parts.session.offer_recovery() == 0
    assert view.tabs == [] and parts.recovery.find_orphans() == []


def test_closing_unattended_keeps_the_work_without_asking(qtbot, view, parts, dialogs,
                                                          tmp_path) -> None:
    tab = view.new_document(title="draft")
    type_text(tab, "OUTPUT \"keep me\"\n")
    parts.session.close_unattended("SIGTERM")
    assert view.closes == 1  # the window's close(), which asks may_close() ...
    assert parts.session.may_close() and dialogs.calls == []  # ... and nobody is asked
    with qtbot.waitSignal(parts.session.closedUnattended, timeout=5000) as closed:
        parts.shutdown.run()
    assert closed.args == ["SIGTERM"]
    kept = RecoveryStore(tmp_path / "recovery")
    orphans = kept.find_orphans()
    assert [d.text for o in orphans for d in o.documents] == ["OUTPUT \"keep me\"\n"]
    assert [o.reason for o in orphans] == ["SIGTERM"]
    parts.session.close_unattended("SIGINT")  # closing already: nothing more
    assert view.closes == 1
