"""The plain style's screenshot (``python -m gui.screenshots DIR plain``).

docs/images/python-pane-plain.png  the bubble-sort example with the Python pane
                                   switched to Plain (the pseudocode beside it)
The switch saves the setting: the configuration goes to a temporary folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

EXAMPLE = "02_bubble_sort.pseudo"


def plain_screenshots(out_dir: str = "docs/images") -> int:
    temp = tempfile.TemporaryDirectory()
    os.environ["PSEUDOCODE_CONFIG"] = str(Path(temp.name) / "config.yaml")
    from PySide6.QtCore import QSettings, Qt

    from gui.screenshots.shooting import application

    app = application()
    from gui import resources
    from gui.model.editor_settings import EditorSettings
    from gui.model.recovery import RecoveryStore
    from gui.screenshots.shooting import wait_until as wait
    from gui.window.main_window import MainWindow

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    state = QSettings(str(Path(temp.name) / "state.ini"), QSettings.Format.IniFormat)
    recovery = RecoveryStore(Path(temp.name) / "recovery")
    recovery.open()
    window = MainWindow(EditorSettings(theme="light", autosave_interval_s=0), state, recovery)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.session.restore_session([])
    window.resize(1366, 860)
    window.show()
    window.file_commands.open_example(resources.resource("examples", EXAMPLE))
    tab = window.current_tab()
    wait(lambda: tab.up_to_date)
    window.resizeDocks([window.python_dock], [640], Qt.Orientation.Horizontal)
    window.python_style_switch.buttons["plain"].click()
    wait(lambda: bool(tab.good_plain_code) and tab.up_to_date)
    tab.editor.go_to(44, 13)  # the IF in the inner loop: its Python line is highlighted
    wait(lambda: False, 400)  # the layout, the docks' fit and the highlighting settle
    window.grab().save(str(out / "python-pane-plain.png"))
    print("wrote", out / "python-pane-plain.png")
    for made in window.document_tabs():
        made.set_modified(False)
    window.close()
    app.sendPostedEvents(None, 0)
    temp.cleanup()
    return 0
