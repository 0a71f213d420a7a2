"""Take the documentation screenshots offscreen: ``python -m gui.screenshots [OUT_DIR] [SET]``.

SET ``editor`` (default ``all``):
docs/images/editor-light.png   a real program, its Python, no problems
docs/images/editor-dark.png    the same in the dark theme
docs/images/editor-problems.png  a mistake underlined and listed in Problems
docs/images/editor-console.png   the Console after a run that read INPUT
SET ``performance``:
docs/images/performance-batch.png     the Performance panel after a batch through the pool
docs/images/performance-fallback.png  ... with a slow worker: timeouts and a fallback marked
docs/images/settings-env-locked.png   the settings dialog, a field fixed by an environment variable
SET ``first``: the start page, small windows, an example's Python pane (screenshots_first_minute)
SET ``tracing``: docs/images/trace-table.png and stepping.png (gui/screenshots_tracing.py)
SET ``plain``: docs/images/python-pane-plain.png (gui/screenshots_plain.py)
Settings, configuration and recovery files go to a temporary folder, never the user's.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROGRAM = "09_string_handling.pseudo"
_APP = None  # outlives the windows
MISTAKE = (
    "// Average of some marks, with two mistakes to find\n"
    "DECLARE Marks : ARRAY[1:5] OF INTEGER\n"
    "DECLARE Index, Total : INTEGER\n"
    "DECLARE Average : REAL\n"
    "Total <- 0\n"
    "FOR Index <- 1 TO 5\n"
    "    Marks[Index] <- Index * 10\n"
    "    Total <- Total + Marks[Index]\n"
    "NEXT Index\n"
    "Average <- Total / 5\n"
    'OUTPUT "The average is " & Average\n'
    "IF Average > 20 THEN\n"
    '    OUTPUT "Above 20"\n'
)


def wait_until(condition, timeout_ms: int = 15000) -> None:  # noqa: ANN001
    """Run the event loop until ``condition()`` holds (or the time is up)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: loop.quit() if condition() else None)
    timer.start(20)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    timer.stop()


def application():  # noqa: ANN201
    """The QApplication, made once and kept for every set (windows must not outlive it)."""
    from PySide6.QtWidgets import QApplication

    global _APP
    _APP = QApplication.instance() or QApplication(sys.argv[:1])
    return _APP


def shoot(widget, path: Path, settle_ms: int = 300) -> None:  # noqa: ANN001
    """Let the layout, the docks' fit and the highlighting settle, then save a PNG."""
    wait_until(lambda: False, settle_ms)
    widget.grab().save(str(path))
    print("wrote", path)


def main(out_dir: str = "docs/images", which: str = "all") -> int:
    if which in ("all", "editor"):
        editor_screenshots(out_dir)
    if which in ("all", "performance"):
        from gui.screenshots_performance import performance_screenshots

        performance_screenshots(out_dir)
    if which in ("all", "first"):
        from gui.screenshots_first_minute import first_minute_screenshots

        first_minute_screenshots(out_dir)
    if which in ("all", "tracing"):
        from gui.screenshots_tracing import tracing_screenshots

        tracing_screenshots(out_dir)
    if which in ("all", "plain"):
        from gui.screenshots_plain import plain_screenshots

        plain_screenshots(out_dir)
    return 0


def editor_screenshots(out_dir: str = "docs/images") -> int:
    from PySide6.QtCore import QSettings, Qt

    app = application()
    from gui import resources
    from gui.main_window import MainWindow
    from gui.settings import EditorSettings

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    temp = tempfile.TemporaryDirectory()
    state = QSettings(str(Path(temp.name) / "state.ini"), QSettings.Format.IniFormat)

    wait = wait_until

    def window_for(theme: str) -> MainWindow:
        window = MainWindow(EditorSettings(theme=theme, autosave_interval_s=0), state)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.resize(1360, 860)
        window.show()
        window.resizeDocks([window.python_dock], [620], Qt.Orientation.Horizontal)
        return window

    def shot(window: MainWindow, name: str) -> None:
        shoot(window, out / name)

    example = resources.resource("examples", PROGRAM)
    for theme in ("light", "dark"):
        window = window_for(theme)
        window.open_example(example)
        tab = window.current_tab()
        wait(lambda tab=tab: tab.up_to_date)
        tab.editor.go_to(34, 9)  # the start of the IF: its Python line is highlighted
        shot(window, f"editor-{theme}.png")
        tab.set_modified(False)
        window.close()

    window = window_for("light")
    tab = window.new_document(title="average.pseudo")
    tab.editor.setPlainText(MISTAKE)
    wait(lambda: tab.up_to_date)
    window.problems_dock.raise_()
    errors = window.problems.diagnostics
    if errors:
        window.go_to_problem(errors[0].line, errors[0].column)
    shot(window, "editor-problems.png")
    tab.set_modified(False)

    window.resizeDocks([window.console_dock], [330], Qt.Orientation.Vertical)
    hello = resources.resource("examples", "01_hello_input.pseudo")
    window.open_example(hello)
    run_tab = window.current_tab()
    wait(lambda: run_tab.up_to_date)
    window.run_program()
    wait(lambda: window.runner.waiting_for_input)
    window.console.input.setText("Ada")
    window.console.input.returnPressed.emit()
    wait(lambda: window.runner.waiting_for_input)
    window.console.input.setText("3")
    window.console.input.returnPressed.emit()
    wait(lambda: not window.runner.is_running())
    shot(window, "editor-console.png")
    for t in window.document_tabs():
        t.set_modified(False)
    window.close()
    app.sendPostedEvents(None, 0)
    temp.cleanup()
    return 0


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # the performance set starts pool workers (spawn)
    sys.exit(main(*sys.argv[1:3]))
