"""Issue 13, the editor under real use: Console order, big files, small screens, the first minute."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from gui_helpers import set_text, wait_translated
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from gui.window.dock_fit import fit_docks

ARRAY_PROGRAM = """DECLARE Scores : ARRAY[1:5] OF INTEGER
DECLARE i : INTEGER
FOR i <- 1 TO 6
    OUTPUT "Stored ", i
    Scores[i] <- i * 10
NEXT i
"""


# -- 1. the Console keeps the order ------------------------------------------------------
def test_console_shows_the_runtime_error_after_all_output_30_of_30_runs(qtbot, window) -> None:
    set_text(window, ARRAY_PROGRAM)
    wait_translated(qtbot, window)
    expected = "".join(f"Stored {i}\n" for i in range(1, 7)) + "Runtime error at line 5: index 6"
    for attempt in range(30):
        window.console.clear()
        with qtbot.waitSignal(window.runFinished, timeout=20000):
            window.run_commands.run_program()
        text = window.console.text()
        start = text.index("Stored 1")
        assert text[start:].startswith(expected), (attempt, text)


def test_console_starts_an_error_on_its_own_line(qtbot, window) -> None:
    console = window.console
    console.clear()
    console.append("Enter a number: ", "stdout")
    console.append("Runtime error at line 3: boom\n", "stderr")
    assert console.text() == "Enter a number: \nRuntime error at line 3: boom\n"
    console.append("more", "stdout")
    console.append("err", "stderr")
    console.append(" and more err\n", "stderr")
    assert console.text().endswith("more\nerr and more err\n")


def test_console_placeholder_says_the_program_waits_for_input(qtbot, window) -> None:
    set_text(window, 'DECLARE N : STRING\nINPUT N\nOUTPUT N\n')
    wait_translated(qtbot, window)
    assert "Run the program" in window.console.input.placeholderText()
    with qtbot.waitSignal(window.runner.inputRequested, timeout=20000):
        window.run_commands.run_program()
    assert "waiting for INPUT" in window.console.input.placeholderText()
    with qtbot.waitSignal(window.runFinished, timeout=20000):
        window.console.input.setText("x")
        window.console.input.returnPressed.emit()
    assert "Run the program" in window.console.input.placeholderText()


# -- 2. big files: the Python pane changes only what changed ------------------------------
def _big_program(lines: int = 5000) -> str:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
    from engine_benchmark import make_program

    return make_program(lines)


def test_python_pane_replaces_only_the_changed_lines(qtbot, window) -> None:
    from engine.translator import translate_text

    program = _big_program()
    first = translate_text(program).code
    lines = program.splitlines()
    lines.insert(len(lines) // 2, "// a comment typed in the middle")
    second = translate_text("\n".join(lines) + "\n").code
    view = window.python_view
    view.set_code(first)
    doc = view.document()
    block = doc.firstBlock()
    while block.isValid():  # mark every block: a reload would make new ones (state -1)
        block.setUserState(7)
        block = block.next()
    edits = view.edits
    view.set_code(second)
    assert view.code() == second
    assert view.edits - edits <= 3
    fresh = 0
    block = doc.firstBlock()
    while block.isValid():
        fresh += block.userState() != 7
        block = block.next()
    assert fresh <= 3, fresh


def test_a_very_long_line_is_shown_cut_and_copied_whole(qtbot, window) -> None:
    from PySide6.QtGui import QGuiApplication, QTextCursor

    from gui.widgets.python_view import SHOWN_LINE_MAX

    table = "_TABLE = {" + ", ".join(f"{i}: {i}" for i in range(20000)) + "}"
    code = f"x = 1\n{table}\ny = 2"
    view = window.python_view
    view.set_code(code)
    shown = view.document().findBlockByNumber(1).text()
    assert len(shown) < SHOWN_LINE_MAX + 100 and "more characters" in shown
    assert view.code() == code
    cursor = view.textCursor()
    cursor.setPosition(0)
    cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    assert view.selected_code() == code  # a copied selection has the whole line
    view.copy()
    assert QGuiApplication.clipboard().text() == code
    window.edit_commands.copy_python()
    assert QGuiApplication.clipboard().text() == code


def test_python_pane_line_diff_handles_every_shape(qtbot, window) -> None:
    import random

    view = window.python_view
    rnd = random.Random(13)
    old = "a\nb\nc"
    view.set_code(old)
    for _ in range(300):
        lines = old.split("\n")
        for _ in range(rnd.randint(1, 3)):
            choice = rnd.random()
            if choice < 0.35 and len(lines) > 1:
                del lines[rnd.randrange(len(lines))]
            elif choice < 0.7:
                lines.insert(rnd.randint(0, len(lines)), rnd.choice("abcdxyz") * rnd.randint(0, 3))
            else:
                lines[rnd.randrange(len(lines))] = rnd.choice(["", "q", "a"])
        new = "\n".join(lines)
        view.set_code(new)
        assert view.toPlainText() == new, (old, new)
        old = new


def test_the_window_shares_the_gil_with_its_translation_thread(make_window) -> None:
    """The measured fix for the stalls (see the benchmark): a short switch interval."""
    import sys

    from gui.services.live_translation import GUI_SWITCH_INTERVAL_S

    default = sys.getswitchinterval()
    sys.setswitchinterval(0.005)  # Python's default
    try:
        make_window()
        assert sys.getswitchinterval() == GUI_SWITCH_INTERVAL_S
    finally:
        sys.setswitchinterval(default)


def test_a_translation_leaves_little_for_the_cyclic_collector() -> None:
    """The parser and validator are freed by reference counting: no 50 ms collection later."""
    import gc

    from engine.translator import TranslationManager

    manager = TranslationManager()
    program = _big_program(2000)
    manager.translate(program)
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        before = gc.get_count()[0]
        manager.translate(program)
        young = gc.get_count()[0] - before
    finally:
        if enabled:
            gc.enable()
    assert young < 5000, young  # 49,000 before (the parser's tokens, the validator's tables)


# -- 3. small windows: the editor keeps the larger share -----------------------------------
@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", [(800, 600), (1024, 700), (1366, 768), (1920, 1080)])
def test_the_editor_keeps_the_larger_share_of_the_window(qtbot, make_window, size, theme) -> None:
    from gui import resources

    window = make_window(theme=theme)
    window.file_commands.open_example(resources.resource("examples", "02_bubble_sort.pseudo"))
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0], timeout=5000)
    editor = window.current_tab().editor

    def fits() -> bool:
        return (editor.width() > window.python_dock.width()
                and window.central_stack.height() > window.problems_dock.height())

    qtbot.waitUntil(fits, timeout=5000)
    columns = editor.viewport().width() // editor.fontMetrics().horizontalAdvance("9")
    assert columns >= 40, columns  # 14 at 800x600 before


def _bottom_area_height(window) -> int:
    """Pixels from the top of the Problems dock to the status bar: the dock, its tabs and all."""
    top = window.problems_dock.geometry().top()
    status = window.statusBar()
    bottom = status.geometry().top() if status.isVisible() else window.height()
    return bottom - top


@pytest.mark.parametrize("size", [(800, 600), (1024, 700)])
def test_in_a_short_window_the_bottom_docks_take_at_most_a_quarter(qtbot, make_window,
                                                                     size) -> None:
    from gui import resources

    window = make_window(theme="dark")
    window.file_commands.open_example(resources.resource("examples", "02_bubble_sort.pseudo"))
    window.resize(*size)
    qtbot.waitUntil(lambda: window.height() == size[1], timeout=5000)
    editor = window.current_tab().editor

    def fits() -> bool:
        return 0 < _bottom_area_height(window) <= 0.25 * size[1]

    qtbot.waitUntil(fits, timeout=5000)  # a third of 600 px (160 px) before
    assert window.problems_dock.widget().height() >= 60  # still shows a few problems
    lines = editor.viewport().height() // editor.fontMetrics().lineSpacing()
    assert lines >= 19, lines  # 17 at 800x600 before


def test_in_a_tall_window_the_bottom_docks_keep_their_size(qtbot, make_window) -> None:
    window = make_window(theme="light")
    window.resize(1366, 900)
    qtbot.waitUntil(lambda: window.height() == 900, timeout=5000)
    window.resizeDocks([window.problems_dock], [200], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: window.problems_dock.height() >= 170, timeout=5000)
    qtbot.wait(100)  # the layout settles
    chosen = window.problems_dock.height()
    fit_docks(window)  # 200 px of 900 is within the limits: the user's choice stays
    qtbot.wait(50)
    assert window.problems_dock.height() == chosen


@pytest.mark.parametrize("width", [800, 1024])
def test_the_folded_helpers_note_is_never_cut_mid_word(qtbot, make_window, width) -> None:
    from gui import resources

    window = make_window(theme="dark")
    window.file_commands.open_example(resources.resource("examples", "02_bubble_sort.pseudo"))
    window.resize(width, 600)
    qtbot.waitUntil(lambda: window.python_view.helpers_folded
                    and window.python_view.helper_lines > 30, timeout=10000)
    note = window.python_pane.fold_note
    lines = window.python_view.helper_lines

    def shown() -> str:
        return note.shown_text() if hasattr(note, "shown_text") else QLabel.text(note)

    def fits() -> bool:
        text = shown()
        return (note.width() > 0 and text.startswith(f"\u25b8 {lines}")
                and "\u2026" not in text and "..." not in text  # "130 li..." before
                and note.fontMetrics().horizontalAdvance(text) <= note.contentsRect().width()
                and button.width() >= button.sizeHint().width())  # "Show helpers" whole

    button = window.python_pane.fold_button
    qtbot.waitUntil(fits, timeout=5000)
    window.grab().save(str(Path(os.environ.get("TMPDIR", "/tmp")) / f"helpers-{width}.png"))
    assert len(shown().split()) >= 3, shown()  # the number says what it counts: "130 lines"
    assert "folded" in note.text() and str(lines) in note.toolTip()


# -- 4. the first minute -------------------------------------------------------------------
def test_the_empty_window_shows_the_start_page(qtbot, window) -> None:
    assert window.start_page_shown()
    page = window.start_page
    assert len(page.cards) >= 10
    assert all(card.example.description for card in page.cards)  # a line on what it teaches
    with qtbot.waitSignal(window.start_page.newRequested):
        page.new_button.click()
    assert not window.start_page_shown()
    assert window.current_tab().is_pristine()  # New used the empty document, not a second one
    assert len(window.document_tabs()) == 1


def test_typing_in_the_empty_document_leaves_the_start_page(qtbot, window) -> None:
    assert window.start_page_shown()
    set_text(window, 'OUTPUT "hi"\n')
    assert not window.start_page_shown()


def test_an_example_card_opens_the_example(qtbot, window) -> None:
    card = window.start_page.cards[0]
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert not window.start_page_shown()
    tab = window.current_tab()
    assert tab.path is None and tab.title == card.example.path.name
    assert tab.file_text() == card.example.path.read_text(encoding="utf-8-sig")


def test_the_start_page_lists_recent_files(qtbot, make_window, tmp_path: Path) -> None:
    first = make_window()
    saved = tmp_path / "mine.pseudo"
    saved.write_text('OUTPUT "mine"\n', encoding="utf-8")
    first.file_commands.open_path(saved)
    first.close_tab(0)  # the window is empty again: the start page, with the recent file
    assert first.start_page_shown()
    assert first.start_page.recent_paths() == [str(saved.absolute())]


def test_file_menu_has_the_examples(qtbot, window) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    assert window.file_commands.examples_menu.menuAction() in file_menu.actions()
    titles = [a.text() for a in window.file_commands.examples_menu.actions()]
    assert any("Bubble sort" in t for t in titles)


def test_python_pane_shows_the_program_first_with_the_helpers_folded(qtbot, window) -> None:
    from gui import resources

    window.file_commands.open_example(resources.resource("examples", "01_hello_input.pseudo"))
    tab = window.current_tab()
    qtbot.waitUntil(lambda: tab.up_to_date and bool(window.python_view.toPlainText()),
                    timeout=10000)
    view = window.python_view
    assert view.helper_lines > 30
    assert view.helpers_folded
    first = view.firstVisibleBlock()
    assert first.blockNumber() == view.helper_lines  # the program's first line at the top
    assert first.text().startswith("# Hello")
    assert not view.document().findBlockByNumber(0).isVisible()
    assert "folded" in window.python_pane.fold_note.text()
    qtbot.mouseClick(window.python_pane.fold_button, Qt.MouseButton.LeftButton)
    assert not view.helpers_folded
    assert view.document().findBlockByNumber(0).isVisible()
    assert view.firstVisibleBlock().blockNumber() == 0
    assert view.code() == tab.good_code  # folding never changes the text


def test_the_python_pane_shows_its_note_while_the_document_is_empty(qtbot, window) -> None:
    wait_translated(qtbot, window)
    assert window.python_view.toPlainText() == ""
    assert window.python_view.placeholderText()


# -- 5. "Show <- as an arrow" never changes the saved text ---------------------------------
def test_typed_arrows_are_saved_as_typed(qtbot, window, dialogs, tmp_path: Path) -> None:
    window.new_program()
    editor = window.current_tab().editor
    assert editor.arrow_glyph
    qtbot.keyClicks(editor, "X <- 1")
    assert "\u2190" in editor.toPlainText()  # shown as an arrow
    target = tmp_path / "typed.pseudo"
    dialogs.save_answer = str(target)
    assert window.file_commands.save()
    assert target.read_text(encoding="utf-8") == "X <- 1"


def test_an_opened_file_keeps_its_spelling(qtbot, window, tmp_path: Path) -> None:
    ascii_file = tmp_path / "ascii.pseudo"
    ascii_file.write_text('X <- 1\nOUTPUT "a <- b"\n', encoding="utf-8")
    tab = window.file_commands.open_path(ascii_file)
    assert tab.text().startswith("X \u2190 1")  # the display shows arrows
    assert '"a <- b"' in tab.text()  # never inside a string
    editor = tab.editor
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, "Y <- 2")
    assert window.file_commands.save()
    assert ascii_file.read_text(encoding="utf-8") == 'X <- 1\nOUTPUT "a <- b"\nY <- 2'
    glyph_file = tmp_path / "glyph.pseudo"
    glyph_file.write_text("X \u2190 1\n", encoding="utf-8")
    tab = window.file_commands.open_path(glyph_file)
    tab.editor.moveCursor(tab.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(tab.editor, "Y <- 2")
    assert window.file_commands.save()
    assert glyph_file.read_text(encoding="utf-8") == "X \u2190 1\nY \u2190 2"


def test_saving_an_unchanged_file_writes_the_same_bytes(qtbot, window, tmp_path: Path) -> None:
    path = tmp_path / "same.pseudo"
    original = "DECLARE X : INTEGER\r\nX <- 1\r\n// x <- 2\r\n"
    path.write_bytes(original.encode("utf-8"))
    window.file_commands.open_path(path)
    assert window.file_commands.save()
    assert path.read_bytes() == original.encode("utf-8")


def test_find_finds_both_spellings_and_whole_words() -> None:
    from gui.widgets.find_bar import find_all

    text = "X <- 1\nY \u2190 2\nTotal <- Totals"
    assert find_all(text, "<-") == [(2, 4), (9, 10), (19, 21)]
    assert find_all(text, "Y \u2190") == [(7, 10)]
    assert find_all(text, "Y <-") == [(7, 10)]
    assert find_all(text, "total", whole_word=True) == [(13, 18)]
    assert len(find_all(text, "total")) == 2


def test_the_find_bar_has_whole_word(qtbot, window) -> None:
    set_text(window, "Total <- Totals + Total\n")
    window.find_bar.open()
    window.find_bar.find_edit.setText("Total")
    assert len(window.find_bar.matches()) == 3
    window.find_bar.whole_word.setChecked(True)
    assert len(window.find_bar.matches()) == 2


# -- 6. files the app writes honour the umask --------------------------------------------
@pytest.mark.skipif(os.name == "nt", reason="no Unix permission bits")
def test_saved_files_honour_the_umask_and_keep_an_existing_mode(qtbot, window, dialogs,
                                                                tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        set_text(window, 'OUTPUT "shared"\n')
        target = tmp_path / "new.pseudo"
        dialogs.save_answer = str(target)
        assert window.file_commands.save_as()
        assert stat.S_IMODE(target.stat().st_mode) == 0o644  # mkstemp alone gives 0600
        exported = tmp_path / "new.py"
        wait_translated(qtbot, window)
        dialogs.save_answer = str(exported)
        window.file_commands.export_python()
        assert stat.S_IMODE(exported.stat().st_mode) == 0o644
        target.chmod(0o640)
        set_text(window, 'OUTPUT "again"\n')
        assert window.file_commands.save()
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name == "nt", reason="no Unix permission bits")
def test_batch_output_honours_the_umask(tmp_path: Path) -> None:
    from engine.sources import write_python

    old = os.umask(0o002)
    try:
        write_python(tmp_path / "out.py", "print(1)\n")
        assert stat.S_IMODE((tmp_path / "out.py").stat().st_mode) == 0o664
    finally:
        os.umask(old)


# -- 7. the live path never waits for a starting pool ------------------------------------
def test_live_translations_run_in_process_until_the_pool_is_ready(qtbot, monkeypatch) -> None:
    import threading

    import gui.services.engine_service as service_module
    from engine.config import ExecutionConfig, TranslatorConfig
    from engine.events import EventType

    release = threading.Event()
    monkeypatch.setattr(service_module.EngineService, "_wait_ready",
                        lambda self, manager, generation: release.wait(60))
    config = TranslatorConfig(execution=ExecutionConfig(
        process_pool_enabled=True, process_pool_max_workers=1,
        process_pool_start_method="spawn"))
    service = service_module.EngineService(config)
    jobs: list = []
    service.events.subscribe(jobs.append, EventType.EXEC_POOL_TASK_SUBMITTED)
    try:
        service.start()  # starting: its wait for the workers is held by the test
        result = service.translate('OUTPUT "while the pool starts"\n')
        assert result.success
        assert jobs == []  # not sent to the pool that is still starting
        release.set()
        qtbot.waitUntil(lambda: service.status.state.value == "ready", timeout=60000)
        assert service.translate('OUTPUT "now pooled"\n').success
        assert len(jobs) >= 1
        jobs.clear()
        big = 'OUTPUT "x"\n' * 6000  # over LIVE_POOL_MAX_CHARS: here, live feedback stays
        assert service.translate(big).success
        assert jobs == []
    finally:
        release.set()
        service.shutdown(wait=True)


# -- 8. the smaller ones -------------------------------------------------------------------
def test_settings_help_text_is_never_clipped_when_a_problem_appears(qtbot, window) -> None:
    from gui_helpers import open_settings, retype

    dialog = open_settings(qtbot, window)
    try:
        for key in ("execution.process_pool_max_workers",
                    "execution.process_pool_task_timeout_ms",
                    "execution.process_pool_job_max_chars"):
            retype(qtbot, dialog.editor(key), "0")
        row = dialog.rows["execution.process_pool_task_timeout_ms"]
        qtbot.waitUntil(row.problem_label.isVisible, timeout=5000)
        qtbot.wait(50)
        page = dialog.pages.currentWidget()
        checked = 0
        for key, row in dialog.rows.items():
            for label in (row.help_label, row.problem_label):
                if label.isVisible() and page.isAncestorOf(label):
                    assert label.height() >= label.heightForWidth(label.width()), key
                    checked += 1
        assert checked >= 5
    finally:
        dialog.wait_saved()
        dialog.reject()


def test_the_p95_line_leaves_idle_time_as_a_gap() -> None:
    import numpy as np

    from gui.widgets.perf_panel import p95_connections

    t = np.array([0.0, 0.5, 1.0, 30.0, 30.4])
    p95 = np.array([np.nan, 5.0, 6.0, 6.0, 7.0])
    assert p95_connections(t, p95).tolist() == [False, True, False, True, False]


def test_one_slow_translation_does_not_flatten_the_others() -> None:
    import numpy as np

    from gui.widgets.perf_panel import latency_y_limit

    usual = np.array([5.0, 6.0, 4.0, 5.5, 6.5, 5.0, 4.5, 6.0])
    assert latency_y_limit(usual) is None
    limit = latency_y_limit(np.append(usual, 900.0))
    assert limit is not None and 6.5 < limit < 20


def test_the_performance_panel_before_any_batch(qtbot, window) -> None:
    panel = window.performance.show()
    set_text(window, 'OUTPUT "x"\n')
    wait_translated(qtbot, window)
    qtbot.waitUntil(lambda: panel.update_view(force=True), timeout=5000)
    assert panel.stat_labels["batch"].isHidden()  # no "Last batch" before a batch
    assert panel.stat_labels["pool"].wordWrap()  # a long pool state wraps, never cut
    width = panel.curve_total.opts["pen"].width()
    assert width > 1  # few bars: wide enough to see


def test_the_language_reference_closes_with_esc_and_ctrl_w(qtbot, window) -> None:
    from PySide6.QtGui import QKeySequence

    for keys in (Qt.Key.Key_Escape, "Ctrl+W"):
        window.help_commands.show_reference()
        reference = window.help_commands.reference
        qtbot.waitUntil(reference.isVisible, timeout=5000)
        reference.activateWindow()
        if isinstance(keys, str):
            sequence = QKeySequence(keys)
            qtbot.keyClick(reference.browser, sequence[0].key(), sequence[0].keyboardModifiers())
        else:
            qtbot.keyClick(reference.browser, keys)
        qtbot.waitUntil(lambda r=reference: not r.isVisible(), timeout=5000)


def test_the_language_reference_is_for_students(qtbot) -> None:
    from gui import resources
    from gui.dialogs.reference_window import ReferenceWindow

    reference = ReferenceWindow(resources.language_reference())
    qtbot.addWidget(reference)
    reference.show()
    qtbot.waitUntil(reference.isVisible, timeout=5000)
    assert "test_docs_language" not in reference.browser.toPlainText()
    assert reference.browser.horizontalScrollBar().maximum() == 0  # never sideways


def test_go_to_line(qtbot, window, dialogs) -> None:
    set_text(window, "".join(f'OUTPUT "{i}"\n' for i in range(1, 60)))
    dialogs.line_answer = 42
    qtbot.keyClick(window.current_tab().editor, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert ("ask_line", "60/60") in dialogs.calls  # from the cursor's line, of 60
    assert window.current_tab().editor.cursor_line_column() == (42, 1)


def test_new_errors_raise_the_problems_tab_after_a_run(qtbot, window) -> None:
    set_text(window, 'OUTPUT "ran"\n')
    wait_translated(qtbot, window)
    with qtbot.waitSignal(window.runFinished, timeout=20000):
        window.run_commands.run_program()
    window.console_dock.raise_()
    qtbot.waitUntil(lambda: window.problems.visibleRegion().isEmpty(), timeout=2000)
    set_text(window, 'OUTPUT "ran\n')  # a new error
    wait_translated(qtbot, window)
    qtbot.waitUntil(lambda: not window.problems.visibleRegion().isEmpty(), timeout=5000)


def test_big_documents_are_translated_in_a_helper_process(qtbot) -> None:
    """No translation thread in the window's process holds the GIL for most of a second."""
    import gui.model.live_process as live_process_module
    from engine.events import EventType
    from engine.translator import translate_text
    from gui.services.engine_service import EngineService

    service = EngineService()
    events: list = []
    service.events.subscribe(events.append, (EventType.TRANSLATION_STARTED,
                                             EventType.TRANSLATION_COMPLETED))
    big = _big_program(800)
    assert len(big) >= live_process_module.MIN_CHARS
    try:
        first = service.translate(big)  # the helper starts: this one in-process
        assert first.success
        qtbot.waitUntil(lambda: service.live_helper.ready, timeout=60000)
        second = service.translate(big)
        assert service.live_helper.translations == 1
        assert second.code == first.code == translate_text(big).code
        assert [e.type for e in events[-2:]] == [EventType.TRANSLATION_STARTED,
                                                 EventType.TRANSLATION_COMPLETED]
        assert service.translate('OUTPUT "small"\n').success  # small: in-process
        assert service.live_helper.translations == 1
    finally:
        service.shutdown(wait=True)
    assert not service.live_helper.ready
