"""The Console keeps the end of the output in view (gui/widgets/console.py)."""

from __future__ import annotations

from gui_helpers import wait_translated
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit

from gui import resources
from gui.widgets.console import USEFUL_LINES, Console


def shown_lines(output: QPlainTextEdit) -> list[str]:
    """The lines of ``output`` wholly inside its viewport, top to bottom."""
    lines, block, bottom = [], output.firstVisibleBlock(), output.viewport().height()
    while block.isValid():
        box = output.blockBoundingGeometry(block).translated(output.contentOffset())
        if box.top() >= bottom:
            break
        if box.top() >= 0 and box.bottom() <= bottom + 1:
            lines.append(block.text())
        block = block.next()
    return lines


def test_the_last_line_shown_is_the_last_line_written(qtbot) -> None:
    console = Console()
    qtbot.addWidget(console)
    console.resize(500, 160)
    console.show()
    qtbot.waitExposed(console)
    for n in range(30):
        console.append(f"line {n}\n")
    console.notice("Program finished in 0.01 s.")
    assert shown_lines(console.output)[-1] == "Program finished in 0.01 s."  # not a blank line
    assert console.text().endswith("line 29\nProgram finished in 0.01 s.\n")  # as written
    console.resize(500, 110)  # the dock made smaller (or raised after the run): still the end
    qtbot.waitUntil(lambda: console.output.viewport().height() < 90)
    assert shown_lines(console.output)[-1] == "Program finished in 0.01 s."
    console.resize(500, 260)
    qtbot.waitUntil(lambda: console.output.viewport().height() > 150)
    assert shown_lines(console.output)[-1] == "Program finished in 0.01 s."


def test_output_written_while_the_console_is_hidden_shows_its_end(qtbot) -> None:
    console = Console()
    qtbot.addWidget(console)
    console.resize(500, 40)  # tabbed behind the Problems panel: hardly any viewport
    for n in range(12):
        console.append(f"line {n}\n")
    console.resize(500, 200)
    console.show()
    qtbot.waitExposed(console)
    assert shown_lines(console.output)[-1] == "line 11"


def test_scrolling_up_stops_following_until_the_end_is_reached_again(qtbot) -> None:
    console = Console()
    qtbot.addWidget(console)
    console.resize(500, 160)
    console.show()
    qtbot.waitExposed(console)
    for n in range(30):
        console.append(f"line {n}\n")
    bar = console.output.verticalScrollBar()
    bar.setValue(0)  # the user reads the beginning
    console.append("more\n")
    assert bar.value() == 0 and shown_lines(console.output)[0] == "line 0"
    bar.setValue(bar.maximum())
    console.append("even more\n")
    assert shown_lines(console.output)[-1] == "even more"
    console.append("no newline yet")
    console.append(" ... now\n")
    assert console.text().endswith("even more\nno newline yet ... now\n")


def test_after_a_run_at_1280x800_the_console_shows_the_end_and_five_lines(qtbot, window) -> None:
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.height() == 800, timeout=5000)
    window.file_commands.open_example(resources.resource("examples", "01_hello_input.pseudo"))
    wait_translated(qtbot, window)
    with qtbot.waitSignal(window.runner.inputRequested, timeout=20000):
        window.run_commands.run_program()
    with qtbot.waitSignal(window.runner.inputRequested, timeout=20000):
        qtbot.keyClicks(window.console.input, "Ada")
        qtbot.keyClick(window.console.input, Qt.Key.Key_Return)
    with qtbot.waitSignal(window.runFinished, timeout=20000):
        qtbot.keyClicks(window.console.input, "3")
        qtbot.keyClick(window.console.input, Qt.Key.Key_Return)
    output = window.console.output

    def shows_the_end() -> bool:
        lines = shown_lines(output)
        return len(lines) >= USEFUL_LINES and lines[-1].startswith("Program finished")

    qtbot.waitUntil(shows_the_end, timeout=5000)  # 2 lines, the last one blank, before
    assert shown_lines(output)[-2] == "3: Hello, Ada!"
    window.grab().save("/tmp/fixes_console_after_run.png")
