"""The main window, end to end (offscreen): the issue's acceptance tests and more."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import set_text, wait_translated
from PySide6.QtCore import QPoint, Qt, QTimer

from engine.language.diagnostics import Severity

HELLO = (
    "DECLARE Name : STRING\n"
    'OUTPUT "What is your name?"\n'
    "INPUT Name\n"
    'OUTPUT "Hello, ", Name, "!"\n'
)

ENDLESS = (
    "DECLARE Count : INTEGER\n"
    "Count <- 0\n"
    "WHILE TRUE DO\n"
    "    Count <- Count + 1\n"
    "ENDWHILE\n"
)


def _errors(window) -> list:
    return [d for d in window.problems.diagnostics if d.severity is Severity.ERROR]


# -- live translation --------------------------------------------------------------------
def test_typing_a_program_makes_the_python_appear(qtbot, window) -> None:
    editor = window.current_tab().editor
    qtbot.keyClicks(editor, 'OUTPUT "Hello from the test"')
    qtbot.waitUntil(lambda: "Hello from the test" in window.python_view.toPlainText(),
                    timeout=10000)
    assert "print" in window.python_view.toPlainText()
    assert window.python_view.isReadOnly()
    assert window.status_bar.problems.text() == "No problems"


def test_error_adds_a_problem_at_its_line_and_fixing_it_removes_it(qtbot, window) -> None:
    set_text(window, 'DECLARE X : INTEGER\nX <- 1\nOUTPUT "Hello\nOUTPUT X\n')
    qtbot.waitUntil(lambda: any(d.line == 3 for d in _errors(window)), timeout=10000)
    problem = next(d for d in _errors(window) if d.line == 3)
    item = window.problems.topLevelItem(window.problems.diagnostics.index(problem))
    assert item.text(1) == "3" and item.text(2) == problem.code
    assert "error" in window.status_bar.problems.text()
    assert window.current_tab().editor.line_marks()[3] is Severity.ERROR
    # fix it by typing the closing quote at the end of line 3
    editor = window.current_tab().editor
    editor.go_to(3, len('OUTPUT "Hello') + 1)
    qtbot.keyClicks(editor, '"')
    qtbot.waitUntil(lambda: not _errors(window), timeout=10000)
    assert 3 not in window.current_tab().editor.line_marks()


def test_errors_keep_the_last_good_python_with_a_banner(qtbot, window) -> None:
    set_text(window, 'OUTPUT "fine"\n')
    qtbot.waitUntil(lambda: "fine" in window.python_view.toPlainText(), timeout=10000)
    set_text(window, 'OUTPUT "fine\n')
    qtbot.waitUntil(lambda: bool(_errors(window)), timeout=10000)
    assert "fine" in window.python_view.toPlainText()
    assert window.python_pane.banner.isVisible()
    assert "last version without errors" in window.python_pane.banner.text()


def test_clicking_a_problem_moves_the_cursor_there(qtbot, window) -> None:
    set_text(window, 'OUTPUT 1\nOUTPUT 2\nOUTPUT 3\n    OUTPUT "oops\n')
    qtbot.waitUntil(lambda: bool(_errors(window)), timeout=10000)
    problem = _errors(window)[0]
    assert problem.line == 4
    item = window.problems.topLevelItem(window.problems.diagnostics.index(problem))
    rect = window.problems.visualItemRect(item)
    qtbot.mouseClick(window.problems.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    line, column = window.current_tab().editor.cursor_line_column()
    assert (line, column) == (problem.line, problem.column)


def test_editor_tooltip_explains_the_problem(qtbot, window) -> None:
    set_text(window, 'OUTPUT "oops\n')
    qtbot.waitUntil(lambda: bool(_errors(window)), timeout=10000)
    editor = window.current_tab().editor
    d = _errors(window)[0]
    text = editor.tooltip_text(editor.diagnostics_at(editor.document().findBlockByNumber(0)
                                                     .position() + d.column))
    assert d.code in text and "line 1" in text
    assert editor.diagnostics_on_line(1)


def test_stale_results_are_dropped(qtbot) -> None:
    """A slow translation of old text never overwrites a newer one."""
    import threading

    from gui.services.live_translation import LiveTranslation

    gate = threading.Event()

    def slow(text: str) -> str:
        if text == "old":
            gate.wait(5)
        return text

    live = LiveTranslation(slow, delay_ms=10)
    seen: list[str] = []
    live.resultReady.connect(lambda _rev, result: seen.append(result))
    live.translate_now("old")
    live.schedule("new")
    gate.set()
    qtbot.waitUntil(lambda: seen == ["new"], timeout=5000)
    assert live.dropped == 1
    live.shutdown()


def test_debounce_translates_once_after_a_pause(qtbot) -> None:
    from gui.services.live_translation import LiveTranslation

    calls: list[str] = []
    live = LiveTranslation(lambda t: calls.append(t) or t, delay_ms=100)
    with qtbot.waitSignal(live.resultReady, timeout=5000):
        for text in ("O", "OU", "OUT", "OUTPUT 1"):
            live.schedule(text)
    assert calls == ["OUTPUT 1"]
    live.shutdown()


def test_engine_crash_is_shown_not_raised(qtbot, tmp_path) -> None:
    from PySide6.QtCore import QSettings

    from gui.model.editor_settings import EditorSettings
    from gui.services.engine_service import EngineService
    from gui.window.main_window import MainWindow

    class BrokenEngine(EngineService):
        def translate(self, text: str):
            raise ValueError("engine bug")

    engine = BrokenEngine()
    window = MainWindow(EditorSettings(theme="light"), QSettings(str(tmp_path / "s.ini"),
                                                                   QSettings.Format.IniFormat),
                        engine=engine)
    qtbot.addWidget(window)
    window.new_document("OUTPUT 1\n")
    qtbot.waitUntil(lambda: window.current_tab().engine_error != "", timeout=5000)
    assert "engine bug" in window.python_pane.banner.text()
    window.current_tab().set_modified(False)


def test_python_pane_keeps_its_scroll_position(qtbot, window) -> None:
    view = window.python_view
    view.set_code("\n".join(f"x{i} = {i}" for i in range(400)))
    view.verticalScrollBar().setValue(150)
    view.set_code("\n".join(f"x{i} = {i + 1}" for i in range(400)))
    assert view.verticalScrollBar().value() == 150


def test_cursor_line_highlights_its_python(qtbot, window) -> None:
    set_text(window, 'OUTPUT "a"\nOUTPUT "b"\n')
    wait_translated(qtbot, window)
    window.current_tab().editor.go_to(2)
    assert window.python_view.highlight_ranges()  # the Python line(s) of line 2


# -- run -----------------------------------------------------------------------------------
def test_run_with_input_receives_the_typed_line(qtbot, window) -> None:
    set_text(window, HELLO)
    wait_translated(qtbot, window)
    with qtbot.waitSignal(window.runner.inputRequested, timeout=20000):
        window.run_commands.run_program()
    assert window.console.input.isEnabled()
    qtbot.waitUntil(lambda: "What is your name?" in window.console.text(), timeout=10000)
    with qtbot.waitSignal(window.runFinished, timeout=20000) as finished:
        qtbot.keyClicks(window.console.input, "Ada")
        qtbot.keyClick(window.console.input, Qt.Key.Key_Return)
    assert finished.args[0].returncode == 0
    assert "Hello, Ada!" in window.console.text()
    assert "Ada\n" in window.console.text()  # the typed line is echoed
    assert not window.console.input.isEnabled()


def test_run_translates_first_when_the_text_just_changed(qtbot, window) -> None:
    with qtbot.waitSignal(window.runFinished, timeout=20000):
        set_text(window, 'OUTPUT "straight away"\n')
        window.run_commands.run_program()
    assert "straight away" in window.console.text()


def test_run_with_errors_does_not_start(qtbot, window) -> None:
    set_text(window, 'OUTPUT "oops\n')
    wait_translated(qtbot, window)
    window.run_commands.run_program()
    assert not window.runner.is_running()
    assert "Cannot run" in window.console.text()


def test_stop_ends_an_endless_loop_and_the_window_stays_responsive(qtbot, window) -> None:
    set_text(window, ENDLESS)
    wait_translated(qtbot, window)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    with qtbot.waitSignal(window.runner.started, timeout=10000):
        window.run_commands.run_program()
    assert window.runner.is_running()
    # the UI thread keeps processing events while the program runs
    qtbot.waitUntil(lambda: len(ticks) >= 15, timeout=10000)
    assert window.runner.is_running()
    assert window.act.stop.isEnabled() and not window.act.run.isEnabled()
    with qtbot.waitSignal(window.runFinished, timeout=20000) as finished:
        qtbot.keyClick(window, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)
    assert finished.args[0].killed
    assert "Stopped" in window.console.text()
    before = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) > before + 3, timeout=5000)
    timer.stop()
    assert window.act.run.isEnabled()


def test_program_flooding_output_does_not_freeze(qtbot, window) -> None:
    set_text(window, 'WHILE TRUE DO\n    OUTPUT "spam spam spam spam"\nENDWHILE\n')
    wait_translated(qtbot, window)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    window.run_commands.run_program()
    qtbot.waitUntil(lambda: window.console.text().count("spam") > 200, timeout=20000)
    qtbot.waitUntil(lambda: len(ticks) >= 20, timeout=10000)
    with qtbot.waitSignal(window.runFinished, timeout=20000):
        window.run_commands.stop_program()
    timer.stop()
    assert window.console.output.document().blockCount() <= 20_001


def test_runtime_error_marks_the_pseudocode_line(qtbot, window) -> None:
    program = ("DECLARE A : ARRAY[1:3] OF INTEGER\nDECLARE I : INTEGER\nI <- 4\n"
               'OUTPUT "before"\nOUTPUT A[I]\n')
    line = 5
    set_text(window, program)
    wait_translated(qtbot, window)
    with qtbot.waitSignal(window.runFinished, timeout=20000) as finished:
        window.run_commands.run_program()
    result = finished.args[0]
    assert result.returncode == 1 and result.error is not None
    assert result.error.line == line
    editor = window.current_tab().editor
    assert editor.runtime_error_line == line
    assert f"Runtime error at line {line}" in window.console.text()
    assert editor.cursor_line_column()[0] == line
    qtbot.keyClicks(editor, " ")  # an edit clears the mark
    assert editor.runtime_error_line is None


# -- files ---------------------------------------------------------------------------------
def test_save_and_open_round_trip(qtbot, window, dialogs, tmp_path: Path) -> None:
    text = "// caf\u00e9 \u2190 test\nDECLARE X : INTEGER\nX \u2190 42\nOUTPUT X\n"
    set_text(window, text)
    target = tmp_path / "round trip.pseudo"
    dialogs.save_answer = str(target)
    assert window.file_commands.save()
    assert target.read_text(encoding="utf-8") == text
    assert not window.current_tab().modified
    assert window.current_tab().title == "round trip.pseudo"
    window.close_current_tab()
    assert window.current_tab().path is None
    tab = window.file_commands.open_path(target)
    assert tab is not None and tab.text() == text and tab.path == target
    assert window.file_commands.recent_files()[0] == str(target)


def test_bom_and_crlf_are_kept(qtbot, window, tmp_path: Path) -> None:
    path = tmp_path / "windows.pseudo"
    path.write_bytes(b"\xef\xbb\xbfOUTPUT 1\r\nOUTPUT 2\r\n")
    tab = window.file_commands.open_path(path)
    assert tab.text() == "OUTPUT 1\nOUTPUT 2\n"
    tab.editor.moveCursor(tab.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(tab.editor, "OUTPUT 3")
    assert window.file_commands.save()
    assert path.read_bytes() == b"\xef\xbb\xbfOUTPUT 1\r\nOUTPUT 2\r\nOUTPUT 3"


def test_opening_a_binary_file_shows_a_message_and_keeps_the_text(qtbot, window, dialogs,
                                                                   tmp_path: Path) -> None:
    set_text(window, "OUTPUT 1\n")
    binary = tmp_path / "picture.pseudo"
    binary.write_bytes(bytes(range(256)) * 4)
    assert window.file_commands.open_path(binary) is None
    assert dialogs.names() == ["show_error"]
    assert "not a text file" in dialogs.calls[0][1]
    assert window.tabs.count() == 1
    assert window.current_tab().text() == "OUTPUT 1\n"


@pytest.mark.parametrize("content, message", [
    ("caf\u00e9".encode("cp1252"), "not UTF-8"),
    ("OUTPUT 1".encode("utf-16"), "UTF-16"),
])
def test_other_encodings_are_refused_clearly(window, dialogs, tmp_path, content, message) -> None:
    path = tmp_path / "other.pseudo"
    path.write_bytes(content)
    assert window.file_commands.open_path(path) is None
    assert message in dialogs.calls[-1][1]


def test_missing_file_gives_a_message(window, dialogs, tmp_path) -> None:
    assert window.file_commands.open_path(tmp_path / "nowhere.pseudo") is None
    assert "does not exist" in dialogs.calls[-1][1]


def test_save_failure_keeps_the_document_modified(qtbot, window, dialogs, tmp_path) -> None:
    set_text(window, "OUTPUT 1\n")
    dialogs.save_answer = str(tmp_path / "no such folder" / "x.pseudo")
    assert not window.file_commands.save()
    assert dialogs.names()[-1] == "show_error"
    assert window.current_tab().modified


def test_revert_goes_back_to_the_saved_file(qtbot, window, tmp_path) -> None:
    path = tmp_path / "r.pseudo"
    path.write_text("OUTPUT 1\n", encoding="utf-8")
    tab = window.file_commands.open_path(path)
    qtbot.keyClicks(tab.editor, "changed ")
    assert tab.modified
    window.file_commands.revert()
    assert tab.text() == "OUTPUT 1\n" and not tab.modified
    tab.editor.undo()  # a revert can be undone
    assert "changed" in tab.text()


def test_export_python(qtbot, window, dialogs, tmp_path) -> None:
    set_text(window, 'OUTPUT "exported"\n')
    wait_translated(qtbot, window)
    dialogs.save_answer = str(tmp_path / "out.py")
    assert window.file_commands.export_python()
    assert "exported" in (tmp_path / "out.py").read_text(encoding="utf-8")


def test_a_second_copy_of_an_example_gets_its_own_tab_title(qtbot, window) -> None:
    from gui import resources

    example = resources.examples()[0].path
    first = window.file_commands.open_example(example)
    second = window.file_commands.open_example(example)
    assert first is not second and first.title == example.name
    stem = example.stem
    assert second.title == f"{stem} (2).pseudo"
    assert window.tabs.tabText(window.tabs.indexOf(second)) == f"{stem} (2).pseudo"
    for tab in window.document_tabs():
        tab.set_modified(False)


# -- closing with unsaved changes --------------------------------------------------------
def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(qtbot, window,
                                                                      dialogs) -> None:
    set_text(window, "OUTPUT 1\n")
    dialogs.save_choice = "cancel"
    assert not window.close()
    assert window.isVisible()
    assert dialogs.names() == ["ask_save_changes"]
    dialogs.save_choice = "discard"
    assert window.close()


def test_closing_with_save_writes_the_file(qtbot, window, dialogs, tmp_path) -> None:
    set_text(window, "OUTPUT 2\n")
    dialogs.save_choice = "save"
    dialogs.save_answer = str(tmp_path / "kept.pseudo")
    assert window.close()
    assert (tmp_path / "kept.pseudo").read_text(encoding="utf-8") == "OUTPUT 2\n"


def test_closing_a_saved_document_does_not_ask(qtbot, window, dialogs, tmp_path) -> None:
    path = tmp_path / "clean.pseudo"
    path.write_text("OUTPUT 1\n", encoding="utf-8")
    window.file_commands.open_path(path)
    assert window.close()
    assert "ask_save_changes" not in dialogs.names()


def test_closing_a_modified_tab_asks(qtbot, window, dialogs) -> None:
    window.new_document()
    set_text(window, "OUTPUT 3\n")
    dialogs.save_choice = "cancel"
    assert not window.close_tab(window.tabs.currentIndex())
    assert window.tabs.count() == 2
    dialogs.save_choice = "discard"
    assert window.close_tab(window.tabs.currentIndex())
    assert window.tabs.count() == 1


# -- recovery and session ----------------------------------------------------------------
def test_recovery_after_a_simulated_crash(qtbot, make_window, dialogs, tmp_path) -> None:
    first = make_window()
    set_text(first, "OUTPUT \"unsaved work\"\n")
    with qtbot.waitSignal(first.autosaved, timeout=5000) as saved:
        first.session.autosave_now()
    assert saved.args == [True]
    assert list((tmp_path / "recovery").glob("*.json"))
    # the crash: the process dies, the OS frees the session lock, the snapshot stays
    first.session.recovery.abandon()
    first.current_tab().set_modified(False)  # (so the test's teardown close does not ask)
    second = make_window(restore=False)
    second.session.restore_session([])
    dialogs.yes = True
    assert second.session.offer_recovery() == 1
    assert "ask_yes_no" in dialogs.names()
    assert second.current_tab().text() == "OUTPUT \"unsaved work\"\n"
    assert second.current_tab().modified
    assert not [p for p in (tmp_path / "recovery").glob("*.json")
                if p.stem != second.session.recovery.session]


def test_running_session_is_not_offered_for_recovery(qtbot, make_window, dialogs) -> None:
    first = make_window()
    set_text(first, "OUTPUT 1\n")
    with qtbot.waitSignal(first.autosaved, timeout=5000):
        first.session.autosave_now()
    second = make_window()
    assert second.session.offer_recovery() == 0  # the first window is still running


def test_clean_close_leaves_no_recovery_files(qtbot, make_window, dialogs, tmp_path) -> None:
    window = make_window()
    set_text(window, "OUTPUT 1\n")
    with qtbot.waitSignal(window.autosaved, timeout=5000):
        window.session.autosave_now()
    assert window.close()
    assert not list((tmp_path / "recovery").glob("*"))


# -- closing with nobody to ask (SIGTERM, SIGINT) -------------------------------------------
def test_closing_unattended_keeps_unsaved_work_for_the_next_start(qtbot, make_window, dialogs,
                                                                   tmp_path) -> None:
    first = make_window()
    set_text(first, 'OUTPUT "typed, never saved"\n')
    first.new_document()
    set_text(first, "OUTPUT 2\n")
    with qtbot.waitSignal(first.closedUnattended, timeout=5000) as closed:
        first.session.close_unattended("SIGTERM")
    assert closed.args == ["SIGTERM"] and not first.isVisible()
    assert "ask_save_changes" not in dialogs.names()  # nobody could have answered
    first.session.recovery.close()  # (app.run does this after the event loop): the snapshot stays
    second = make_window()
    dialogs.yes = True
    assert second.session.offer_recovery() == 2
    question = dialogs.texts("ask_yes_no")[-1]
    assert "was asked to quit (SIGTERM) last time" in question and "2 unsaved" in question
    assert sorted(t.text() for t in second.document_tabs() if t.modified) == [
        'OUTPUT "typed, never saved"\n', "OUTPUT 2\n"]
    for tab in second.document_tabs():
        tab.set_modified(False)


def test_closing_unattended_without_unsaved_work_is_a_clean_close(qtbot, make_window,
                                                                  tmp_path) -> None:
    window = make_window()
    with qtbot.waitSignal(window.closedUnattended, timeout=5000):
        window.session.close_unattended("SIGINT")
    window.session.recovery.close()
    assert not list((tmp_path / "recovery").glob("*"))


def test_closing_unattended_dismisses_an_open_question_first(qtbot, make_window) -> None:
    """A modal question runs its own event loop: it is dismissed, and the window closes
    once that loop has returned (not inside it)."""
    from PySide6.QtWidgets import QMessageBox

    window = make_window()
    set_text(window, "OUTPUT 1\n")
    box = QMessageBox(QMessageBox.Icon.Question, "Question", "Anyone there?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, window)
    # arrives during exec()
    QTimer.singleShot(0, lambda: window.session.close_unattended("SIGTERM"))
    with qtbot.waitSignal(window.closedUnattended, timeout=5000):
        answer = box.exec()
        assert window.isVisible()  # still open when the question's loop returned
    assert answer != QMessageBox.StandardButton.Yes and not box.isVisible()
    assert not window.isVisible()
    assert window.session.recovery.snapshot_path.exists()


def test_asked_to_quit_during_the_recovery_question_keeps_the_old_work(
        qtbot, make_window, dialogs, tmp_path, monkeypatch) -> None:
    first = make_window()
    set_text(first, "OUTPUT 1\n")
    with qtbot.waitSignal(first.autosaved, timeout=5000):
        first.session.autosave_now()
    first.session.recovery.abandon()  # a crash
    first.current_tab().set_modified(False)
    second = make_window()

    def signal_arrives(parent, title, text):
        dialogs.calls.append(("ask_yes_no", text))
        second.session.close_unattended("SIGTERM")  # the question is dismissed: "no" answer
        return False

    monkeypatch.setattr(dialogs, "ask_yes_no", signal_arrives)
    with qtbot.waitSignal(second.closedUnattended, timeout=5000):
        assert second.session.offer_recovery() == 0
    assert (tmp_path / "recovery" / f"{first.session.recovery.session}.json").exists()


def test_quit_signals_reach_the_gui_thread_as_a_qt_signal(qtbot) -> None:
    import os
    import signal

    from gui.services.quit_signals import QuitSignals

    if os.name == "nt":
        pytest.skip("POSIX signals")
    before = signal.getsignal(signal.SIGTERM)
    watcher = QuitSignals()
    assert watcher.install()
    try:
        with qtbot.waitSignal(watcher.received, timeout=5000) as blocker:
            os.kill(os.getpid(), signal.SIGTERM)
        assert blocker.args == [signal.SIGTERM]
    finally:
        watcher.uninstall()
    assert signal.getsignal(signal.SIGTERM) == before


def test_autosave_timer_writes_snapshots(qtbot, make_window) -> None:
    window = make_window(autosave_interval_s=1)
    set_text(window, "OUTPUT 1\n")
    with qtbot.waitSignal(window.autosaved, timeout=5000):
        pass
    assert window.session.recovery.snapshot_path.exists()


def test_open_files_and_geometry_are_remembered(qtbot, make_window, tmp_path) -> None:
    a, b = tmp_path / "a.pseudo", tmp_path / "b.pseudo"
    a.write_text("OUTPUT 1\n", encoding="utf-8")
    b.write_text("OUTPUT 2\n", encoding="utf-8")
    first = make_window(files=[str(a), str(b)])
    first.resize(700, 500)  # the offscreen screen is 800x600
    first.tabs.setCurrentIndex(0)
    assert first.close()
    second = make_window()
    assert [t.path for t in second.document_tabs()] == [a, b]
    assert second.current_tab().path == a
    assert second.size().width() == 700


def test_file_argument_opens_that_file(qtbot, make_window, tmp_path) -> None:
    path = tmp_path / "arg.pseudo"
    path.write_text("OUTPUT 5\n", encoding="utf-8")
    window = make_window(files=[str(path)])
    assert window.current_tab().path == path
    assert window.tabs.count() == 1  # the empty Untitled was replaced


# -- examples, help, look ------------------------------------------------------------------
def test_examples_menu_lists_and_opens_the_bundled_programs(qtbot, window) -> None:
    actions = [a for a in window.file_commands.examples_menu.actions() if a.isEnabled()]
    assert len(actions) >= 8
    actions[0].trigger()
    tab = window.current_tab()
    assert tab.path is None and tab.title.endswith(".pseudo") and tab.text().startswith("//")
    assert not tab.modified


def test_language_reference_opens_or_says_why_not(qtbot, window, dialogs) -> None:
    from gui import resources

    window.help_commands.show_reference()
    if resources.language_reference().is_file():
        reference = window.help_commands.reference
        assert reference is not None and reference.isVisible()
        assert window.help_commands.reference.browser.toPlainText().strip()
    else:
        assert dialogs.names() == ["show_error"]


def test_reference_code_blocks_are_shaded_in_both_themes(qtbot, tmp_path) -> None:
    from PySide6.QtGui import QTextFormat

    from gui.dialogs.reference_window import ReferenceWindow
    from gui.theme import DARK, LIGHT

    page = tmp_path / "page.md"
    page.write_text("# Title\n\nText.\n\n```\nOUTPUT 1\n```\n", encoding="utf-8")
    reference = ReferenceWindow(page, theme=LIGHT)
    qtbot.addWidget(reference)

    def code_background() -> str:
        block = reference.browser.document().begin()
        while block.isValid():
            if block.blockFormat().hasProperty(QTextFormat.Property.BlockCodeFence):
                return block.blockFormat().background().color().name()
            block = block.next()
        return ""

    light = code_background()
    reference.set_theme(DARK)
    dark = code_background()
    assert light and dark and light != dark
    assert reference.browser.document().documentMargin() >= 12


def test_zoom_changes_the_editor_font(qtbot, window) -> None:
    size = window.appearance.font_size
    window.act.zoom_in.trigger()
    assert window.appearance.font_size == size + 1
    assert window.current_tab().editor.font().pointSize() == size + 1
    window.act.zoom_reset.trigger()
    assert window.appearance.font_size == size


def test_theme_switch_changes_the_palette(qtbot, window) -> None:
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    window.appearance.apply_theme("dark")
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    window.appearance.apply_theme("light")
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 128


def test_menus_show_shortcuts(window) -> None:
    assert window.act.run.shortcut().toString() == "F5"
    assert window.act.stop.shortcut().toString() == "Shift+F5"
    assert not window.act.save.shortcut().isEmpty()
    assert not window.act.find.shortcut().isEmpty()


def test_find_and_replace_in_the_window(qtbot, window) -> None:
    set_text(window, "OUTPUT Total\nTotal <- Total + 1\n")
    window.act.replace.trigger()
    bar = window.find_bar
    assert bar.isVisible()
    bar.find_edit.setText("total")
    assert bar.count_label.text() == "3 matches"
    bar.replace_edit.setText("Sum")
    assert bar.replace_all() == 3
    assert window.current_tab().text() == "OUTPUT Sum\nSum <- Sum + 1\n"
    window.current_tab().editor.undo()
    assert "Total" in window.current_tab().text()


def test_gutter_click_selects_the_line(qtbot, window) -> None:
    set_text(window, "OUTPUT 1\nOUTPUT 2\n")
    editor = window.current_tab().editor
    gutter = editor._gutter
    rect = editor.blockBoundingGeometry(editor.document().findBlockByNumber(1)).translated(
        editor.contentOffset())
    # On the line numbers (the strip left of them sets breakpoints).
    qtbot.mouseClick(gutter, Qt.MouseButton.LeftButton,
                     pos=QPoint(gutter.width() - 10, int(rect.center().y())))
    assert editor.textCursor().selectedText() == "OUTPUT 2"
    assert editor.breakpoints() == []
