"""FileCommands with a fake view: open, examples, save, the unsaved-changes question, revert,
export, recent files."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from gui_helpers import FakeDialogs
from PySide6.QtCore import QSettings
from window_fakes import type_text, wait_for_results

from gui.services.batch_runner import BatchRunner
from gui.window.file_commands import MAX_RECENT, FileCommands
from gui.window.shutdown import Shutdown


@pytest.fixture
def files(view, tmp_path: Path, dialogs: FakeDialogs) -> FileCommands:
    state = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    batch = BatchRunner(view.holder, dialogs)
    engine = SimpleNamespace(translate_many=None, pool_workers=lambda: 0)
    return FileCommands(view, dialogs, state, view.settings, batch,
                        engine, Shutdown())  # type: ignore[arg-type]


def test_open_fills_the_untouched_tab_then_shows_it_again(view, files, tmp_path) -> None:
    path = tmp_path / "a.pseudo"
    path.write_text("OUTPUT 1\n")
    empty = view.new_document()
    tab = files.open_path(path)
    assert tab is empty and tab.path == path and tab.text() == "OUTPUT 1\n"
    assert view.statuses == [f"Opened {path}"]
    assert files.recent_files() == [str(path)]
    other = view.new_document()
    assert view.current is other
    assert files.open_path(tmp_path / "." / "a.pseudo") is tab  # the same file: shown again
    assert view.current is tab and len(view.tabs) == 2


def test_a_file_that_cannot_be_read_is_a_message_and_nothing_changes(view, files, dialogs,
                                                                       tmp_path) -> None:
    assert files.open_path(tmp_path / "missing.pseudo") is None
    assert dialogs.names() == ["show_error"] and "does not exist" in dialogs.texts("show_error")[0]
    assert view.tabs == [] and files.recent_files() == []
    assert files.open_path(tmp_path / "missing.pseudo", quiet=True) is None
    assert dialogs.names() == ["show_error"]  # quiet (a file of the last session): no message


def test_an_example_opens_as_an_untitled_copy_with_a_unique_title(view, files, tmp_path) -> None:
    example = tmp_path / "hello.pseudo"
    example.write_text("OUTPUT \"hi\"\n")
    first = files.open_example(example)
    second = files.open_example(example)
    assert first is not second and first.path is None and second.path is None
    assert (first.title, second.title) == ("hello.pseudo", "hello (2).pseudo")
    assert files.recent_files() == []  # an example is not a file of the user's


def test_save_of_an_untitled_tab_asks_where_and_writes_it(view, files, dialogs, tmp_path) -> None:
    tab = view.new_document()
    type_text(tab, "OUTPUT 2\n")
    assert not files.save()  # the question cancelled: nothing written
    assert dialogs.names() == ["save_path"] and tab.modified
    target = tmp_path / "saved.pseudo"
    dialogs.save_answer = str(target)
    assert files.save()
    assert target.read_text() == "OUTPUT 2\n" and tab.path == target and not tab.modified
    assert files.recent_files()[0] == str(target) and view.statuses[-1] == f"Saved {target}"
    type_text(tab, "OUTPUT 3\n")
    assert files.save()  # it has a path now: no question
    assert dialogs.names() == ["save_path", "save_path"] and target.read_text() == "OUTPUT 3\n"


@pytest.mark.parametrize("choice, closes, saved", [
    ("cancel", False, False), ("discard", True, False), ("save", True, True)])
def test_the_unsaved_changes_question(view, files, dialogs, tmp_path, choice, closes,
                                      saved) -> None:
    target = tmp_path / "q.pseudo"
    target.write_text("old\n")
    tab = files.open_path(target)
    other = view.new_document()
    assert files.confirm_discard(tab)  # unchanged: no question
    type_text(tab, "new\n")
    dialogs.save_choice = choice
    assert files.confirm_discard(tab) is closes
    assert dialogs.texts("ask_save_changes") == ["q.pseudo"] and view.current is tab
    assert target.read_text() == ("new\n" if saved else "old\n")
    assert other in view.tabs


def test_revert_asks_then_goes_back_to_the_saved_text(view, files, dialogs, tmp_path) -> None:
    path = tmp_path / "r.pseudo"
    path.write_bytes(b"saved\r\n")
    tab = files.open_path(path)
    type_text(tab, "changed\n")
    dialogs.yes = False
    files.revert()
    assert tab.text() == "changed\n" and tab.modified
    dialogs.yes = True
    files.revert()
    assert tab.text() == "saved\n" and not tab.modified and tab.newline == "\r\n"
    tab.editor.undo()  # one undoable step
    assert tab.text() == "changed\n"


def test_export_needs_an_up_to_date_translation_without_errors(qtbot, view, files, dialogs,
                                                               tmp_path) -> None:
    tab = view.new_document("print('ERROR')\n")
    wait_for_results(qtbot, view)
    assert not files.export_python()
    assert "has errors" in dialogs.texts("show_error")[0]
    type_text(tab, "print(42)\n")
    tab.translate_now()
    wait_for_results(qtbot, view)
    target = tmp_path / "out.py"
    dialogs.save_answer = str(target)
    assert files.export_python()
    assert target.read_text() == "print(42)\n"
    assert dialogs.texts("save_path")[-1].endswith("Untitled_1.py")
    assert view.statuses[-1] == f"Python saved to {target}"


def test_recent_files_newest_first_without_repeats_and_bounded(view, files, tmp_path) -> None:
    paths, tabs = [], []
    for number in range(MAX_RECENT + 2):
        path = tmp_path / f"f{number}.pseudo"
        path.write_text(f"OUTPUT {number}\n")
        paths.append(path)
        tabs.append(files.open_path(path))
    view.tabs.remove(tabs[3])  # closed, then opened again
    files.open_path(paths[3])
    recent = files.recent_files()
    assert len(recent) == MAX_RECENT and recent[0] == str(paths[3])
    assert len(set(recent)) == MAX_RECENT and str(paths[0]) not in recent
    menu = files.recent_menu_for(view.holder)
    menu.aboutToShow.emit()
    labels = [a.text() for a in menu.actions()]
    assert labels[0].startswith("&1 f3.pseudo") and labels[-1] == "Clear the list"
    menu.actions()[-1].trigger()
    assert files.recent_files() == []
    menu.aboutToShow.emit()
    assert [a.text() for a in menu.actions()] == ["(none)"]


def test_translate_folder_does_nothing_without_a_folder(view, files, dialogs) -> None:
    dialogs.folder_answers = [None]
    assert not files.translate_folder()
    assert dialogs.names() == ["pick_folder"]
