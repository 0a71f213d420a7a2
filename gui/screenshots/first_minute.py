"""Screenshots of the first minute and of small windows (``python -m gui.screenshots DIR first``).

docs/images/start-page.png          the empty window: the start page (1024x700)
docs/images/window-1024x700.png     an example open at 1024x700 (light)
docs/images/window-800x600-dark.png the same at 800x600 in the dark theme
docs/images/python-pane-example.png the Python pane of an example: the helpers folded,
                                    the student's program at the top
Settings and recovery files go to a temporary folder, never the user's.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

EXAMPLE = "02_bubble_sort.pseudo"


def first_minute_screenshots(out_dir: str = "docs/images") -> int:
    from PySide6.QtCore import QSettings, Qt

    from gui.screenshots.shooting import application, shoot
    from gui.screenshots.shooting import wait_until as wait

    app = application()
    from gui import resources
    from gui.model.editor_settings import EditorSettings
    from gui.model.recovery import RecoveryStore
    from gui.window.main_window import MainWindow

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    temp = tempfile.TemporaryDirectory()

    def window(theme: str, size: tuple[int, int], name: str) -> MainWindow:
        state = QSettings(str(Path(temp.name) / f"{name}.ini"), QSettings.Format.IniFormat)
        recovery = RecoveryStore(Path(temp.name) / f"recovery-{name}")
        recovery.open()
        made = MainWindow(EditorSettings(theme=theme, autosave_interval_s=0), state, recovery)
        made.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        made.session.restore_session([])
        made.resize(*size)
        made.show()
        return made

    def shot(widget, name: str) -> None:  # noqa: ANN001
        shoot(widget, out / name, 400)

    def close(made: MainWindow) -> None:
        for tab in made.document_tabs():
            tab.set_modified(False)
        made.close()

    start = window("light", (1024, 700), "start")
    shot(start, "start-page.png")
    close(start)
    example = resources.resource("examples", EXAMPLE)
    for theme, size, name in (("light", (1024, 700), "window-1024x700.png"),
                              ("dark", (800, 600), "window-800x600-dark.png"),
                              ("light", (1366, 768), "python-pane-example.png")):
        made = window(theme, size, name)
        made.file_commands.open_example(example)
        tab = made.current_tab()
        wait(lambda tab=tab: tab.up_to_date)
        shot(made.python_dock if name.startswith("python") else made, name)
        close(made)
    app.sendPostedEvents(None, 0)
    temp.cleanup()
    return 0
