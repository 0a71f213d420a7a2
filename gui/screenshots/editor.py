"""The editor set (``python -m gui.screenshots DIR editor``): a program and its Python in both
themes, a mistake listed in Problems, the Console after a run that read INPUT."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROGRAM = "09_string_handling.pseudo"
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


def editor_screenshots(out_dir: str = "docs/images") -> int:
    from PySide6.QtCore import QSettings, Qt

    from gui.screenshots.shooting import application, shoot, wait_until

    app = application()
    from gui import resources
    from gui.model.editor_settings import EditorSettings
    from gui.window.main_window import MainWindow

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
        window.file_commands.open_example(example)
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
        window.edit_commands.go_to_problem(errors[0].line, errors[0].column)
    shot(window, "editor-problems.png")
    tab.set_modified(False)

    window.resizeDocks([window.console_dock], [330], Qt.Orientation.Vertical)
    hello = resources.resource("examples", "01_hello_input.pseudo")
    window.file_commands.open_example(hello)
    run_tab = window.current_tab()
    wait(lambda: run_tab.up_to_date)
    window.run_commands.run_program()
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
