"""Trace dock, breakpoints, stepping and the Variables panel in the real window.

The programs really run (in a child process, as Run does); the window is
polled with ``waitUntil``, never slept on. Dialogs are replaced by stand-ins.
"""

from __future__ import annotations

import pytest
from gui_helpers import set_text

from gui.services.debug_controller import State
from gui.widgets.trace_dock import release_clipboard
from tests.engine.test_tracing_cli import TOTAL
from tests.engine.test_tracing_exam import SWAP


def paused_at(window, line: int):
    ui = window.debugging
    return lambda: ui.controller.state is State.PAUSED and (
        ui.controller.last_pause or {}).get("line") == line


def test_breakpoint_step_over_into_variables_and_continue(qtbot, window) -> None:
    set_text(window, SWAP)
    ui = window.debugging
    editor = window.current_tab().editor
    # A click in the gutter's left strip, on line 9, sets a breakpoint there.
    block = editor.document().findBlockByNumber(8)
    y = int(editor.blockBoundingGeometry(block).translated(editor.contentOffset()).center().y())
    from PySide6.QtCore import QPoint

    qtbot.mouseClick(editor._gutter, qtbot_left(), pos=QPoint(6, y))
    assert editor.breakpoints() == [9]
    ui.act_debug.trigger()
    qtbot.waitUntil(paused_at(window, 9), timeout=20000)
    assert editor.execution_line() == 9
    assert ui.variables.values() == {"A": "1", "B": "0"}
    ui.act_step_over.trigger()  # B <- 2
    qtbot.waitUntil(paused_at(window, 10), timeout=20000)
    assert ui.variables.values()["B"] == "2"
    assert "B" in ui.variables.changed_keys()
    ui.act_step_into.trigger()  # into Swap
    qtbot.waitUntil(paused_at(window, 4), timeout=20000)
    assert ui.variables.stack_lines()[0].startswith("Swap")
    assert ui.variables.stack_lines()[1].startswith("main program")
    assert ui.variables.values()["Swap:X"] == "1"
    assert ui.act_step_out.isEnabled()
    ui.act_step_over.trigger()
    qtbot.waitUntil(paused_at(window, 5), timeout=20000)
    ui.act_step_over.trigger()  # X <- Y: A (X is A, BYREF) becomes 2 at once
    qtbot.waitUntil(paused_at(window, 6), timeout=20000)
    values = ui.variables.values()
    assert values["Swap:X"] == "2" and values["A"] == "2"
    editor.toggle_breakpoint(9)  # removed while paused: continue runs to the end
    ui.act_continue.trigger()
    qtbot.waitUntil(lambda: ui.controller.state is State.IDLE, timeout=20000)
    qtbot.waitUntil(lambda: "21" in window.console.output.toPlainText(), timeout=10000)
    assert editor.execution_line() is None
    assert "finished" in ui.variables.status.text()
    assert window.act.run.isEnabled()


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_trace_table_fills_the_dock_and_rows_show_their_line(qtbot, window) -> None:
    set_text(window, TOTAL)
    ui = window.debugging
    asked: list[str] = []
    ui.ask_inputs = lambda text: asked.append(text) or "3\n4"
    ui.act_trace.trigger()
    qtbot.waitUntil(lambda: ui.controller.state is State.IDLE and bool(
        ui.trace_dock.model.table.status), timeout=20000)
    assert asked == [""]  # asked once: the program reads input and none were given
    model = ui.trace_dock.model
    headers = [model.headerData(c, _horizontal()) for c in range(model.columnCount())]
    assert headers == ["Total", "Count", "Number", "OUTPUT"]
    cells = [[model.data(model.index(r, c)) for c in range(model.columnCount())]
             for r in range(model.rowCount())]
    assert cells == [["0", "", "", ""], ["", "1", "", ""], ["", "", "3", ""],
                     ["3", "", "", ""], ["", "2", "", ""], ["", "", "4", ""],
                     ["7", "", "", ""], ["", "", "", "Total: 7"]]
    assert model.data(model.index(3, 0), _tooltip()) == "Line 5: Total <- Total + Number"
    ui.trace_dock.view.selectRow(3)
    assert window.current_tab().editor.execution_line() == 5
    # Inputs are remembered: Trace Again does not ask.
    ui.trace_dock.again_button.click()
    qtbot.waitUntil(lambda: ui.controller.state is State.IDLE and model.rowCount() == 8,
                    timeout=20000)
    assert asked == [""]
    # Untick a column: the exports follow what is shown.
    ui.trace_dock.set_column_shown("Count", False)
    assert ui.trace_dock.model.columnCount() == 3
    assert model.table.to_csv(model.chosen()).splitlines()[0] == "Total,Number,OUTPUT"


@pytest.mark.parametrize("kind", ["csv", "html"])
def test_trace_export_and_copy(qtbot, window, tmp_path, kind: str) -> None:
    set_text(window, SWAP)
    ui = window.debugging
    ui.act_trace.trigger()
    qtbot.waitUntil(lambda: bool(ui.trace_dock.model.table.status), timeout=20000)
    target = tmp_path / f"out.{kind}"
    ui.trace_dock.file_dialog = lambda *args: (str(target), "")
    assert ui.trace_dock.export(kind) == str(target)
    text = target.read_text(encoding="utf-8")
    assert "Temp" in text and "21" in text
    ui.trace_dock.copy_table()
    from PySide6.QtGui import QGuiApplication

    mime = QGuiApplication.clipboard().mimeData()
    try:
        assert mime.text().splitlines()[0] == "A\tB\tX\tY\tTemp\tOUTPUT"
        assert "<table>" in mime.html()
    finally:
        release_clipboard()  # PySide6 6.11 crashes at exit if the clipboard holds our data
    assert not QGuiApplication.clipboard().mimeData().hasHtml()
    assert QGuiApplication.clipboard().text().startswith("A\tB")


def test_endless_trace_stops_at_the_row_limit_and_the_window_stays_usable(qtbot,
                                                                           window) -> None:
    set_text(window, "DECLARE N : INTEGER\nN <- 0\nWHILE TRUE\n    N <- N + 1\nENDWHILE\n")
    ui = window.debugging
    ui.controller.max_rows = 200
    ui.act_trace.trigger()
    qtbot.waitUntil(lambda: ui.controller.state is State.IDLE and bool(
        ui.trace_dock.model.table.status), timeout=20000)
    assert ui.trace_dock.model.rowCount() == 200
    assert "200 rows" in ui.trace_dock.note.text()
    assert ui.trace_dock.note.isVisibleTo(ui.trace_dock)


def test_trace_of_a_program_with_errors_says_so(qtbot, window) -> None:
    set_text(window, "X <- \n")
    ui = window.debugging
    ui.act_trace.trigger()
    qtbot.waitUntil(lambda: "Cannot trace" in window.console.output.toPlainText(),
                    timeout=20000)
    assert ui.controller.state is State.IDLE


def test_stop_while_paused_ends_the_run(qtbot, window) -> None:
    set_text(window, SWAP)
    ui = window.debugging
    ui.act_step_into.trigger()  # nothing running: starts, paused at the first statement
    qtbot.waitUntil(paused_at(window, 8), timeout=20000)
    window.run_commands.stop_program()
    qtbot.waitUntil(lambda: ui.controller.state is State.IDLE, timeout=20000)
    assert window.current_tab().editor.execution_line() is None


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def _tooltip():
    from PySide6.QtCore import Qt

    return Qt.ItemDataRole.ToolTipRole


def test_trace_inputs_are_remembered_per_file(qtbot, make_window, tmp_path) -> None:
    path = tmp_path / "total.pseudo"
    path.write_text(TOTAL, encoding="utf-8")
    first = make_window()
    first.file_commands.open_path(path)
    asked: list[str] = []
    first.debugging.ask_inputs = lambda text: asked.append(text) or "10\n20\n"
    first.debugging.act_trace.trigger()
    qtbot.waitUntil(lambda: bool(first.debugging.trace_dock.model.table.status), timeout=20000)
    assert first.debugging.trace_dock.model.table.rows[-1].output == "Total: 30"
    # Another window (the same settings) traces the file without asking again.
    second = make_window(restore=False)
    second.file_commands.open_path(path)
    second.debugging.ask_inputs = lambda text: pytest.fail("asked again")
    assert second.debugging.inputs_for(second.current_tab()) == ["10", "20"]
    second.debugging.act_trace.trigger()
    qtbot.waitUntil(lambda: bool(second.debugging.trace_dock.model.table.status),
                    timeout=20000)
    assert second.debugging.trace_dock.model.table.rows[-1].output == "Total: 30"
    assert asked == [""]


def test_a_runtime_error_while_stepping_is_reported(qtbot, window) -> None:
    set_text(window, "DECLARE X : INTEGER\nX <- 0\nX <- 10 DIV X\n")
    ui = window.debugging
    ui.act_step_into.trigger()
    qtbot.waitUntil(paused_at(window, 2), timeout=20000)
    ui.act_continue.trigger()
    qtbot.waitUntil(lambda: ui.controller.state is State.IDLE, timeout=20000)
    assert "runtime error at line 3" in ui.variables.status.text()
    assert window.current_tab().editor.runtime_error_line == 3


def test_the_inputs_dialog_offers_what_was_typed_in_the_console(qtbot, window) -> None:
    set_text(window, TOTAL)
    qtbot.waitUntil(lambda: window.current_tab().up_to_date, timeout=10000)
    window.run_commands.run_program()
    for value in ("8", "9"):
        qtbot.waitUntil(lambda: window.runner.waiting_for_input, timeout=20000)
        window.console.input.setText(value)
        window.console.input.returnPressed.emit()
    qtbot.waitUntil(lambda: not window.runner.is_running(), timeout=20000)
    ui = window.debugging
    offered: list[str] = []
    ui.ask_inputs = lambda text: offered.append(text) or text
    ui.act_trace.trigger()
    qtbot.waitUntil(lambda: bool(ui.trace_dock.model.table.status), timeout=20000)
    assert offered == ["8\n9"]
    assert ui.trace_dock.model.table.rows[-1].output == "Total: 17"


def test_a_breakpoint_on_no_statement_is_pointed_out(qtbot, window) -> None:
    set_text(window, SWAP)
    editor = window.current_tab().editor
    editor.set_breakpoints([7, 9])  # ENDPROCEDURE: nothing runs there
    ui = window.debugging
    ui.act_debug.trigger()
    qtbot.waitUntil(paused_at(window, 9), timeout=20000)
    assert "No statement on line 7" in window.console.output.toPlainText()
    window.run_commands.stop_program()
    qtbot.waitUntil(lambda: ui.controller.state is State.IDLE, timeout=20000)
