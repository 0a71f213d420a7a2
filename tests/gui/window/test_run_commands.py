"""RunCommands with a fake view: a real child process, the Console, the runtime-error mark.

The stand-in translator (window_fakes.python_result) takes the document's text as the
Python to run, so these tests run real programs without the engine.
"""

from __future__ import annotations

import os

import pytest
from window_fakes import wait_for_results

from gui.services.run_controller import RunController
from gui.widgets.console import Console
from gui.window.run_commands import RunCommands
from gui.window.shutdown import Shutdown


@pytest.fixture
def shutdown() -> Shutdown:
    return Shutdown()


@pytest.fixture
def run(view, shutdown) -> RunCommands:
    console = Console(view.holder, view.theme)
    commands = RunCommands(view, RunController(view.holder), console, shutdown, view.holder)
    yield commands
    if commands.runner.is_running():
        commands.runner.stop()


def test_run_shows_the_output_and_says_when_it_finished(qtbot, view, run) -> None:
    tab = view.new_document("print('hello from the child')\n", title="hi.pseudo")
    wait_for_results(qtbot, view)
    running: list[bool] = []
    run.runningChanged.connect(running.append)
    with qtbot.waitSignal(run.finished, timeout=20000) as finished:
        run.run_program()
    assert finished.args[0].returncode == 0
    text = run._console.text()
    assert "\u25b6 Running hi.pseudo" in text and "hello from the child" in text
    assert "Program finished in" in text
    assert running == [True, False] and view.docks == ["console"]
    assert view.statuses[0] == "Running\u2026" and view.statuses[-1] == "Program finished"
    assert run.run_tab is None and tab.editor.runtime_error_line is None


def test_run_waits_for_the_translation_of_what_was_just_typed(qtbot, view, run) -> None:
    view.new_document("print('first')\n")
    wait_for_results(qtbot, view)
    tab = view.current
    tab.editor.setPlainText("print('second')\n")  # not translated yet
    assert not tab.up_to_date
    run.run_program()
    assert run.pending is tab  # waits for the result
    qtbot.waitUntil(lambda: tab.up_to_date, timeout=5000)
    with qtbot.waitSignal(run.finished, timeout=20000):
        run.tab_translated(tab)  # what the window does when the tab translated
    assert "second" in run._console.text() and "first" not in run._console.text()


def test_a_program_with_errors_does_not_start(qtbot, view, run) -> None:
    view.new_document("x = 1\nERROR\n")
    wait_for_results(qtbot, view)
    run.run_program()
    assert not run.runner.is_running()
    assert "Cannot run: the pseudocode has 1 error" in run._console.text()
    assert view.docks == ["console", "problems"]


def test_a_runtime_error_marks_its_line_in_the_current_tab(qtbot, view, run) -> None:
    code = ("import sys\nprint('line one')\n"
            "print('Runtime error at line 2: boom', file=sys.stderr); sys.exit(1)\n")
    tab = view.new_document(code)
    wait_for_results(qtbot, view)
    with qtbot.waitSignal(run.finished, timeout=20000) as finished:
        run.run_program()
    assert finished.args[0].error is not None
    assert tab.editor.runtime_error_line == 2
    assert tab.editor.textCursor().blockNumber() == 1  # the cursor went to the line
    assert "stopped with an error on line 2" in run._console.text()
    assert view.statuses[-1] == "Runtime error on line 2: boom"


def test_an_unsaved_program_runs_in_its_scratch_folder(qtbot, view, run) -> None:
    view.new_document("import os\nprint('cwd=' + os.path.realpath(os.getcwd()))\n")
    wait_for_results(qtbot, view)
    with qtbot.waitSignal(run.finished, timeout=20000):
        run.run_program()
    scratch = run.scratch_dir()
    assert os.path.isdir(scratch) and os.path.basename(scratch).startswith("pseudocode-untitled-")
    assert f"cwd={os.path.realpath(scratch)}" in run._console.text()


def test_a_second_run_while_one_runs_is_refused_and_closing_stops_it(qtbot, view, run,
                                                                     shutdown) -> None:
    view.new_document("import time\nprint('started', flush=True)\ntime.sleep(60)\n")
    wait_for_results(qtbot, view)
    run.run_program()
    qtbot.waitUntil(lambda: "started" in run._console.text(), timeout=20000)
    run.run_program()
    assert view.statuses[-1] == "A program is already running: Shift+F5 stops it"
    with qtbot.waitSignal(run.finished, timeout=20000) as finished:
        shutdown.run()  # the window closes: its PROGRAM step stops the program
    assert finished.args[0].killed and not run.runner.is_running()


def test_console_input_reaches_the_program(qtbot, view, run) -> None:
    view.new_document("name = input()\nprint('Hello, ' + name)\n")
    wait_for_results(qtbot, view)
    run.run_program()
    qtbot.waitUntil(lambda: run.runner.waiting_for_input, timeout=20000)
    with qtbot.waitSignal(run.finished, timeout=20000):
        run._console.input.setText("Ada")
        run._console.input.returnPressed.emit()
    assert "Hello, Ada" in run._console.text()
