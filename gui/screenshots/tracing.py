"""The tracing screenshots of docs/tracing.md (``python -m gui.screenshots docs/images tracing``).

docs/images/trace-table.png  a bubble sort's trace table in the Trace dock, a row selected
docs/images/stepping.png     paused inside a BYREF procedure: Variables, call stack, breakpoint
"""

from __future__ import annotations

import tempfile
from pathlib import Path

SORT = """\
// Bubble sort: the exam's favourite dry run
DECLARE Nums : ARRAY[1:4] OF INTEGER
DECLARE Pass, Index : INTEGER

PROCEDURE Swap(BYREF X : INTEGER, BYREF Y : INTEGER)
    DECLARE Temp : INTEGER
    Temp <- X
    X <- Y
    Y <- Temp
ENDPROCEDURE

Nums[1] <- 9
Nums[2] <- 4
Nums[3] <- 7
Nums[4] <- 1
FOR Pass <- 1 TO 3
    FOR Index <- 1 TO 4 - Pass
        IF Nums[Index] > Nums[Index + 1] THEN
            CALL Swap(Nums[Index], Nums[Index + 1])
        ENDIF
    NEXT Index
NEXT Pass
OUTPUT Nums[1], " ", Nums[2], " ", Nums[3], " ", Nums[4]
"""



def tracing_screenshots(out_dir: str = "docs/images") -> int:
    from PySide6.QtCore import QSettings, Qt

    from gui.screenshots.shooting import application, shoot, wait_until

    app = application()
    from gui.model.editor_settings import EditorSettings
    from gui.services.debug_controller import State
    from gui.window.main_window import MainWindow

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    temp = tempfile.TemporaryDirectory()
    state = QSettings(str(Path(temp.name) / "state.ini"), QSettings.Format.IniFormat)

    def wait(condition, timeout_ms: int = 20000) -> None:  # noqa: ANN001
        wait_until(condition, timeout_ms)

    def shot(window: MainWindow, name: str) -> None:
        shoot(window, out / name)

    window = MainWindow(EditorSettings(theme="light", autosave_interval_s=0), state)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.resize(1360, 960)
    window.show()
    window.resizeDocks([window.python_dock], [520], Qt.Orientation.Horizontal)
    window.resizeDocks([window.console_dock], [380], Qt.Orientation.Vertical)
    tab = window.new_document(title="bubble_sort.pseudo")
    tab.editor.setPlainText(SORT)
    wait(lambda: tab.up_to_date)
    ui = window.debugging
    ui.act_trace.trigger()
    wait(lambda: ui.controller.state is State.IDLE and bool(ui.trace_dock.model.table.status))
    window.resizeDocks([ui.trace_dock_widget], [430], Qt.Orientation.Vertical)
    ui.trace_dock.view.selectRow(8)
    ui.trace_dock.view.scrollToTop()
    shot(window, "trace-table.png")

    tab.editor.set_breakpoints([8])
    ui.act_debug.trigger()
    wait(lambda: ui.controller.state is State.PAUSED)
    ui.act_step_over.trigger()
    wait(lambda: ui.controller.state is State.PAUSED)
    window.console_dock.raise_()
    window.resizeDocks([ui.variables_dock], [560], Qt.Orientation.Horizontal)
    window.resizeDocks([window.console_dock], [200], Qt.Orientation.Vertical)
    shot(window, "stepping.png")
    window.run_commands.stop_program()
    wait(lambda: ui.controller.state is State.IDLE)
    tab.set_modified(False)
    window.close()
    app.sendPostedEvents(None, 0)
    temp.cleanup()
    return 0
