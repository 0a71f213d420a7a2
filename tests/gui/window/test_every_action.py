"""Every command of the real window, as a user reaches it: each action of the menus and the
toolbar (the ACTIONS table, the sub-menus Open Recent / Examples / Theme, the docks' toggles,
the Run menu's Trace and stepping actions) is triggered on the real MainWindow, once with a
real program open and once on the start page. Modal dialogs are the fakes of gui_helpers
(FakeDialogs) or replaced here; a step fails if an exception reaches sys.excepthook, a Qt
slot or a thread, if a log record at ERROR appears, or if a modal dialog is left open.
Where a command has a visible result (a file written, a dock shown, Console output, the
config file in the temporary HOME), it is checked.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from gui_helpers import FakeDialogs, pool_config, set_text, wait_translated
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu

from gui import resources
from gui.services.debug_controller import State

PROGRAM = """DECLARE Total : INTEGER
PROCEDURE AddUp(N : INTEGER)
    DECLARE I : INTEGER
    FOR I <- 1 TO N
        Total <- Total + I
    NEXT I
ENDPROCEDURE
Total <- 0
CALL AddUp(3)
OUTPUT "Total ", Total
"""
BREAK_LINE = 5          # Total <- Total + I (inside the procedure: Step Out is offered)
ASKS = 'DECLARE N : INTEGER\nINPUT N\nOUTPUT N * 2\n'
LONG = 'DECLARE I : INTEGER\nFOR I <- 1 TO 100000000\n    I <- I + 0\nNEXT I\n'
WAIT = 60000


def label(action: QAction) -> str:
    return action.text().replace("&", "")


def walk(menu: QMenu, path: str) -> Iterator[tuple[str, QAction]]:
    menu.aboutToShow.emit()  # Open Recent is filled when it opens
    for action in menu.actions():
        if action.isSeparator():
            continue
        name = f"{path} > {label(action)}"
        if action.menu() is not None:
            yield from walk(action.menu(), name)
        else:
            yield name, action


def menu_actions(window) -> dict[str, QAction]:
    """Every leaf entry of the menu bar by its path ("File > Open Recent > ..."), and
    every toolbar button (which must be one of them)."""
    found: dict[str, QAction] = {}
    for top in window.menuBar().actions():
        found.update(walk(top.menu(), label(top)))
    in_menus = set(found.values())
    for action in window.toolbar.actions():
        if not action.isSeparator():
            assert action in in_menus, f"toolbar button {label(action)!r} is in no menu"
    return found


class Watch:
    """What must never happen while a user clicks: exceptions, ERROR logs, modal dialogs."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog
        self.thread_errors: list[str] = []

    def check(self, step: str) -> None:
        errors = [r for r in self.caplog.records if r.levelno >= logging.ERROR]
        assert not errors, f"{step}: ERROR logged: {[r.getMessage() for r in errors]}"
        assert not self.thread_errors, f"{step}: exception in a thread: {self.thread_errors}"
        modal = QApplication.activeModalWidget()
        assert modal is None, f"{step}: a modal dialog stayed open: {modal!r}"


@pytest.fixture
def watch(caplog, monkeypatch) -> Watch:
    caplog.set_level(logging.WARNING)
    watch = Watch(caplog)
    monkeypatch.setattr(threading, "excepthook",
                        lambda args: watch.thread_errors.append(repr(args.exc_value)))
    return watch


class Driver:
    """Triggers actions and waits until what they started is over."""

    def __init__(self, qtbot, window, dialogs: FakeDialogs, watch: Watch) -> None:
        self.qtbot, self.window, self.dialogs, self.watch = qtbot, window, dialogs, watch
        self.actions = menu_actions(window)
        self.done: set[str] = set()
        window.debugging.ask_inputs = lambda text: "4"  # the Trace inputs dialog

    def find(self, path: str) -> QAction:
        matches = [a for name, a in self.actions.items() if name == path]
        assert matches, f"no menu entry {path!r}; entries: {sorted(self.actions)}"
        return matches[0]

    def trigger(self, path: str, settle: bool = True) -> None:
        action = self.find(path)
        assert action.isEnabled(), f"{path} is disabled"
        action.trigger()
        self.done.add(path)
        if settle:
            self.settle(path)

    def idle(self) -> bool:
        w = self.window
        return (not w.runner.is_running() and w.debugging.controller.state is State.IDLE
                and not w.batch.running)

    def settle(self, step: str) -> None:
        """Close what the step opened, stop what it started, then check the watch."""
        w, qtbot = self.window, self.qtbot
        commands = w.settings_commands
        qtbot.waitUntil(lambda: not commands._loading, timeout=WAIT)
        if commands.dialog is not None:
            commands.dialog.wait_saved()
            commands.dialog.reject()
            qtbot.waitUntil(lambda: commands.dialog is None, timeout=WAIT)
        if w.debugging.controller.busy() or w.runner.is_running():
            w.act.stop.trigger()
        qtbot.waitUntil(self.idle, timeout=WAIT)
        self.watch.check(step)

    def run(self, path: str, until: Callable[[], bool]) -> None:
        """A command that starts the program: wait for it to end."""
        with self.qtbot.waitSignal(self.window.runFinished, timeout=WAIT):
            self.trigger(path, settle=False)
        self.qtbot.waitUntil(until, timeout=WAIT)
        self.settle(path)

    def remaining(self) -> list[str]:
        return [p for p in self.actions if p not in self.done]


def open_program(qtbot, window, folder: Path, text: str = PROGRAM):
    path = folder / "program.pseudo"
    path.write_text(text, encoding="utf-8")
    tab = window.file_commands.open_path(path)
    wait_translated(qtbot, window)
    return tab, path


def console_text(window) -> str:
    return window.console.text()


@pytest.mark.timeout(600)
@pytest.mark.parametrize("pool", [False, True], ids=["in-process", "process-pool"])
def test_every_action_with_a_program_open(qtbot, make_window, dialogs, watch, tmp_path,
                                          isolated_home, pool) -> None:
    work = tmp_path / "work"
    work.mkdir()
    other = work / "other.pseudo"
    other.write_text('OUTPUT "other"\n', encoding="utf-8")
    window = make_window(config=pool_config()) if pool else make_window()
    if pool:
        from gui.model.pool_status import PoolState

        qtbot.waitUntil(lambda: window.engine.status.state is PoolState.READY, timeout=WAIT)
    tab, path = open_program(qtbot, window, work)
    window.file_commands.open_path(other)
    window.show_tab(tab)
    drive = Driver(qtbot, window, dialogs, watch)
    editor = tab.editor
    watch.check("opening a program")

    # ---- Run
    drive.run("Run > Run", lambda: "Total 6" in console_text(window))
    assert window.console_dock.isVisible()
    set_text(window, ASKS)
    wait_translated(qtbot, window)
    drive.trigger("Run > Run", settle=False)
    qtbot.waitUntil(lambda: window.act.stop.isEnabled(), timeout=WAIT)
    console = window.console
    qtbot.waitUntil(lambda: console.input.isEnabled(), timeout=WAIT)
    with qtbot.waitSignal(window.runFinished, timeout=WAIT):
        qtbot.keyClicks(console.input, "21")
        qtbot.keyClick(console.input, "\r")
    assert "42" in console_text(window)
    drive.trigger("Run > Run", settle=False)       # waits at INPUT: Stop ends it
    qtbot.waitUntil(lambda: window.act.stop.isEnabled(), timeout=WAIT)
    with qtbot.waitSignal(window.runFinished, timeout=WAIT) as ended:
        drive.trigger("Run > Stop", settle=False)
    assert ended.args[0].killed
    drive.settle("Run > Stop")
    assert "Stopped" in console_text(window)

    # ---- Trace and stepping
    drive.trigger("Run > Trace Inputs…")
    assert window.debugging.inputs_for(tab) == ["4"]
    drive.trigger("Run > Trace Table", settle=False)
    rows = window.debugging.trace_dock.model
    qtbot.waitUntil(lambda: drive.idle() and rows.rowCount() > 0, timeout=WAIT)
    drive.settle("Run > Trace Table")
    assert "8" in console_text(window)
    assert window.debugging.trace_dock_widget.isVisible()
    set_text(window, PROGRAM)
    wait_translated(qtbot, window)
    editor.go_to(BREAK_LINE)
    drive.trigger("Run > Toggle Breakpoint")
    assert editor.breakpoints() == [BREAK_LINE]
    controller = window.debugging.controller
    drive.trigger("Run > Start Debugging", settle=False)
    qtbot.waitUntil(lambda: controller.state is State.PAUSED, timeout=WAIT)
    assert controller.last_pause["line"] == BREAK_LINE
    assert window.debugging.variables_dock.isVisible()
    for step in ("Run > Step Over", "Run > Step Into"):
        drive.trigger(step, settle=False)
        qtbot.waitUntil(lambda: controller.state is State.PAUSED, timeout=WAIT)
    qtbot.waitUntil(lambda: window.debugging.act_step_out.isEnabled(), timeout=WAIT)
    drive.trigger("Run > Step Out", settle=False)
    qtbot.waitUntil(lambda: controller.state is State.PAUSED, timeout=WAIT)
    assert window.debugging.act_continue.isEnabled()
    with qtbot.waitSignal(window.runFinished, timeout=WAIT):
        drive.trigger("Run > Continue", settle=False)
    drive.settle("Run > Continue")
    assert "Total 6" in console_text(window)
    drive.trigger("Run > Clear All Breakpoints")
    assert not editor.breakpoints()
    set_text(window, LONG)
    wait_translated(qtbot, window)
    drive.trigger("Run > Start Debugging", settle=False)
    qtbot.waitUntil(lambda: window.debugging.act_pause.isEnabled(), timeout=WAIT)
    drive.trigger("Run > Pause", settle=False)
    qtbot.waitUntil(lambda: controller.state is State.PAUSED, timeout=WAIT)
    drive.settle("Run > Pause")  # Stop ends the paused program

    # ---- Edit
    set_text(window, PROGRAM)
    wait_translated(qtbot, window)
    editor.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor, timeout=WAIT)
    drive.trigger("Edit > Select All")
    assert editor.textCursor().selectedText().replace("\u2029", "\n") == PROGRAM
    drive.trigger("Edit > Copy")
    assert QGuiApplication.clipboard().text() == PROGRAM
    drive.trigger("Edit > Cut")
    assert editor.toPlainText() == ""
    drive.trigger("Edit > Paste")
    assert editor.toPlainText() == PROGRAM
    drive.trigger("Edit > Undo")
    assert editor.toPlainText() == ""
    drive.trigger("Edit > Redo")
    assert editor.toPlainText() == PROGRAM
    dialogs.line_answer = 3
    drive.trigger("Edit > Go to Line…")
    assert editor.textCursor().blockNumber() == 2
    drive.trigger("Edit > Toggle Comment")
    assert editor.toPlainText().splitlines()[2].lstrip().startswith("//")
    drive.trigger("Edit > Toggle Comment")
    assert editor.toPlainText() == PROGRAM
    wait_translated(qtbot, window)
    drive.trigger("Edit > Copy Python")
    assert QGuiApplication.clipboard().text() == window.python_view.code()
    assert "def " in window.python_view.code()
    drive.trigger("Edit > Find…")
    assert window.find_bar.isVisible()
    window.find_bar.find_edit.setText("Total")
    drive.trigger("Edit > Find Next")
    first = editor.textCursor().selectionStart()
    assert editor.textCursor().selectedText() == "Total"
    drive.trigger("Edit > Find Next")
    assert editor.textCursor().selectionStart() > first
    drive.trigger("Edit > Find Previous")
    assert editor.textCursor().selectionStart() == first
    drive.trigger("Edit > Replace…")
    assert window.find_bar.isVisible()
    window.find_bar.close_bar()

    # ---- Settings: change a value and save; the file is written in the temporary HOME
    drive.trigger("Edit > Settings…", settle=False)
    qtbot.waitUntil(lambda: window.settings_commands.dialog is not None, timeout=WAIT)
    dialog = window.settings_commands.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    strict = dialog.editor("translation.strict_mode")
    strict.setChecked(not strict.isChecked())
    with qtbot.waitSignal(window.settingsApplied, timeout=WAIT):
        assert dialog.save_and_close()
    qtbot.waitUntil(lambda: window.settings_commands.dialog is None, timeout=WAIT)
    config = isolated_home / "config.yaml"  # PSEUDOCODE_CONFIG of the isolated home
    assert "strict_mode: true" in config.read_text(encoding="utf-8")
    assert window.settings.strict_mode is True
    drive.settle("Edit > Settings…")

    # ---- View
    size = window.appearance.font_size
    drive.trigger("View > Zoom In")
    assert window.appearance.font_size > size
    drive.trigger("View > Zoom Out")
    drive.trigger("View > Reset Zoom")
    for name in [p for p in drive.actions if p.startswith("View > Theme > ")]:
        drive.trigger(name)
        assert drive.find(name).isChecked()
    drive.trigger("View > Theme > Light")
    assert window.appearance.theme_choice == "light" and not window.theme.dark
    drive.trigger("View > Theme > Dark")
    assert window.appearance.theme_choice == "dark" and window.theme.dark
    arrow = window.act.arrow.isChecked()
    drive.trigger("View > Show ← for <-")
    assert window.settings.show_arrow_glyph is (not arrow)
    docks = {"Python": window.python_dock, "Problems": window.problems_dock,
             "Console": window.console_dock, "Performance": window.perf_dock,
             "Trace": window.debugging.trace_dock_widget,
             "Variables": window.debugging.variables_dock}
    for name, dock in docks.items():
        shown = dock.isVisible()
        drive.trigger(f"View > {name}")
        assert dock.isVisible() is (not shown), name
        drive.trigger(f"View > {name}")   # and back
        assert dock.isVisible() is shown or name == "Performance", name
    assert window.performance.panel is not None  # the chart was built when first shown

    # ---- Help
    drive.trigger("Help > Language Reference")
    assert window.help_commands.reference is not None
    assert window.help_commands.reference.isVisible()
    drive.trigger("Help > About")
    assert dialogs.names()[-1] == "show_info"

    # ---- File
    set_text(window, PROGRAM + "OUTPUT 1\n")
    drive.trigger("File > Save")
    assert path.read_text(encoding="utf-8") == PROGRAM + "OUTPUT 1\n"
    assert not tab.modified
    set_text(window, PROGRAM)
    dialogs.yes = True
    drive.trigger("File > Revert")
    assert editor.toPlainText() == PROGRAM + "OUTPUT 1\n" and not tab.modified
    wait_translated(qtbot, window)
    dialogs.save_answer = str(work / "program.py")
    drive.trigger("File > Export Python…")
    exported = (work / "program.py").read_text(encoding="utf-8")
    compile(exported, "program.py", "exec")
    assert exported == tab.result.code_in("checked")  # the style the pane shows
    dialogs.save_answer = str(work / "copy.pseudo")
    drive.trigger("File > Save As…")
    assert (work / "copy.pseudo").read_text(encoding="utf-8") == PROGRAM + "OUTPUT 1\n"
    assert tab.path == (work / "copy.pseudo").absolute()
    source, out = tmp_path / "examples", tmp_path / "python"
    source.mkdir()
    for example in resources.examples():
        (source / example.path.name).write_bytes(example.path.read_bytes())
    dialogs.folder_answers = [str(source), str(out)]
    with qtbot.waitSignal(window.batchFinished, timeout=WAIT) as batch:
        drive.trigger("File > Translate Folder…", settle=False)
    drive.settle("File > Translate Folder…")
    assert batch.args[0].done == len(resources.examples()) > 0
    assert sorted(p.stem for p in out.glob("*.py")) == sorted(p.stem for p in
                                                               source.glob("*.pseudo"))
    dialogs.open_answer = str(other)
    drive.trigger("File > Open…")
    assert window.current_tab().path == other.absolute()
    drive.actions = menu_actions(window)  # the recent list changed: read the menu again
    recent = [p for p in drive.actions if p.startswith("File > Open Recent > ")
              and not p.endswith("Clear the list")]
    assert any("copy.pseudo" in p for p in recent)
    for name in recent:
        drive.trigger(name)
    assert window.current_tab().path is not None
    drive.trigger("File > Open Recent > Clear the list")
    assert window.file_commands.recent_files() == []
    drive.actions = menu_actions(window)
    examples = [p for p in drive.actions if p.startswith(("File > Examples > ",
                                                          "Help > Examples > "))]
    assert len(examples) == 2 * len(resources.examples())
    for name in examples:
        before = len(window.document_tabs())
        drive.trigger(name)
        wait_translated(qtbot, window)
        assert len(window.document_tabs()) == before + 1, name
        assert window.current_tab().editor.toPlainText().strip()
    count = len(window.document_tabs())
    drive.trigger("File > New")
    assert len(window.document_tabs()) == count + 1
    drive.trigger("File > Close")
    assert len(window.document_tabs()) == count

    # ---- every entry not driven above: triggered once, nothing may break
    for name in drive.remaining():
        if name not in ("File > Quit", "File > Open Recent > (none)"):
            if drive.find(name).isEnabled():
                drive.trigger(name)
    left = [p for p in drive.remaining() if p not in ("File > Quit",)]
    assert not [p for p in left if drive.find(p).isEnabled()], left

    # ---- Quit with unsaved changes: asked, then closed
    window.show_tab(tab)
    set_text(window, PROGRAM + "OUTPUT 2\n")
    dialogs.save_choice = "save"
    drive.trigger("File > Quit", settle=False)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
    assert "ask_save_changes" in dialogs.names()
    assert (work / "copy.pseudo").read_text(encoding="utf-8") == PROGRAM + "OUTPUT 2\n"
    watch.check("File > Quit")


@pytest.mark.timeout(600)
def test_every_action_on_the_start_page(qtbot, make_window, dialogs, watch) -> None:
    """No document yet: every entry can be used and nothing breaks (dialogs answer Cancel)."""
    window = make_window()
    qtbot.waitUntil(window.start_page_shown, timeout=WAIT)
    drive = Driver(qtbot, window, dialogs, watch)
    for name in list(drive.actions):
        if name == "File > Quit" or not drive.find(name).isEnabled():
            continue
        if not window.start_page_shown():  # each entry starts from the start page
            window.close_current_tab()
            qtbot.waitUntil(window.start_page_shown, timeout=WAIT)
        drive.trigger(name)
    disabled = [p for p in drive.remaining() if p != "File > Quit"
                and p not in ("Run > Stop", "Run > Continue", "Run > Step Out", "Run > Pause",
                              "File > Revert", "File > Open Recent > (none)")]
    assert not disabled, f"entries the start page leaves disabled: {disabled}"
    drive.trigger("File > Quit", settle=False)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
    watch.check("File > Quit")


@pytest.mark.timeout(300)
@pytest.mark.parametrize("busy", ["settings loading", "style saving", "folder batch",
                                  "program running", "debugging", "tracing"])
def test_quitting_while_a_command_is_still_working(qtbot, make_window, dialogs, watch,
                                                   tmp_path, busy) -> None:
    """File > Quit right after a command started background work: the window closes,
    nothing breaks afterwards (a late result must not reach a deleted window)."""
    window = make_window()
    tab, _path = open_program(qtbot, window, tmp_path, LONG if busy in ("program running",
                                                                        "debugging")
                              else PROGRAM)
    drive = Driver(qtbot, window, dialogs, watch)
    if busy == "settings loading":
        drive.trigger("Edit > Settings…", settle=False)
    elif busy == "style saving":
        window.python_style_switch.styleChanged.emit("plain")
    elif busy == "folder batch":
        source = tmp_path / "many"
        source.mkdir()
        for number in range(60):
            (source / f"p{number}.pseudo").write_text(PROGRAM, encoding="utf-8")
        dialogs.folder_answers = [str(source), str(tmp_path / "out")]
        drive.trigger("File > Translate Folder…", settle=False)
    elif busy == "program running":
        drive.trigger("Run > Run", settle=False)
        qtbot.waitUntil(window.runner.is_running, timeout=WAIT)
    elif busy == "debugging":
        drive.trigger("Run > Start Debugging", settle=False)
    else:
        drive.trigger("Run > Trace Table", settle=False)
    drive.trigger("File > Quit", settle=False)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: not window.runner.is_running() and not window.batch.running,
                    timeout=WAIT)
    # Late results: every background job has ended and its queued outcome is delivered.
    io_pool = window.settings_commands._io_pool  # noqa: SLF001
    for pool in (io_pool, QThreadPool.globalInstance()):
        qtbot.waitUntil(lambda pool=pool: pool.activeThreadCount() == 0, timeout=WAIT)
    QApplication.processEvents()
    watch.check(f"Quit while {busy}")


@pytest.mark.timeout(300)
def test_every_start_page_button_and_example_card(qtbot, make_window, dialogs, watch,
                                                  tmp_path) -> None:
    """The start page's own entries, clicked: New program, Open a file, a recent file and
    each example card (each opens its example as a copy)."""
    from PySide6.QtCore import Qt

    from gui.window.start_page import ExampleCard

    recent = tmp_path / "recent.pseudo"
    recent.write_text('OUTPUT "recent"\n', encoding="utf-8")
    window = make_window()
    window.state.setValue("files/recent", [str(recent)])
    window.close_current_tab()  # the start page again, now listing the recent file
    qtbot.waitUntil(window.start_page_shown, timeout=WAIT)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    page = window.start_page
    cards = page.findChildren(ExampleCard)
    assert len(cards) == len(resources.examples()) > 0

    def back_to_start() -> None:
        while len(window.document_tabs()) > 1:
            window.close_tab(window.tabs.indexOf(window.current_tab()))
        window.close_current_tab()
        qtbot.waitUntil(window.start_page_shown, timeout=WAIT)

    dialogs.open_answer = str(recent)
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert window.current_tab().path == recent.absolute()
    back_to_start()
    buttons = [b for b in page.findChildren(type(page.open_button)) if "recent" in b.text()]
    assert buttons, "the recent file is not on the start page"
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    assert window.current_tab().path == recent.absolute()
    back_to_start()
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert not window.start_page_shown()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.current_tab().editor,
                    timeout=WAIT)  # typing goes into the program at once
    back_to_start()
    for card in page.findChildren(ExampleCard):
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
        wait_translated(qtbot, window)
        tab = window.current_tab()
        assert tab.path is None and tab.title == card.example.path.name
        assert tab.file_text() == card.example.path.read_text(encoding="utf-8")  # as saved
        assert tab.result.success, card.example.path.name  # every example translates
        watch.check(f"example card {card.example.path.name}")
        back_to_start()
