"""The Performance panel and settings screenshots (``python -m gui.screenshots DIR performance``).

Real pool workers (``spawn``, 2 workers) translate a batch of the bundled
examples (11 programs, 8 copies each); the fallback picture uses the pool's
slow-worker test seam so that one job times out twice and then runs
in-process. Configuration, settings and outputs live in a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

SLOW_MARK = "SLOW-WORKER-DEMO"
SLOW_PROGRAM = (
    f"// {SLOW_MARK}: this one is slow in the pool (a test seam), so it times out\n"
    "DECLARE Total : INTEGER\n"
    "Total <- 0\n"
    'OUTPUT "Total: ", Total\n'
)


class _Quiet:
    """Dialog answers for an unattended run: discard, no questions, messages printed."""

    def ask_save_changes(self, *_: Any) -> Any:
        from gui.dialogs.message_boxes import SaveChoice

        return SaveChoice.DISCARD

    def ask_yes_no(self, *_: Any) -> bool:
        return False

    def show_error(self, _parent: Any, title: str, text: str) -> None:
        print(f"[{title}] {text}")

    show_info = show_error

    def open_path(self, *_: Any) -> None:
        return None

    save_path = pick_folder = save_csv_path = open_path


def performance_screenshots(out_dir: str = "docs/images") -> int:
    from PySide6.QtCore import QSettings, Qt

    from gui.screenshots.shooting import application, shoot, wait_until

    app = application()
    from engine.config import TranslatorConfig
    from engine.execution import seams
    from gui import resources
    from gui.model.editor_settings import EditorSettings
    from gui.model.pool_status import PoolState
    from gui.window.main_window import MainWindow

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    temp = tempfile.TemporaryDirectory()
    root = Path(temp.name)
    saved_env = dict(os.environ)
    os.environ["PSEUDOCODE_CONFIG"] = str(root / "config.yaml")
    state = QSettings(str(root / "state.ini"), QSettings.Format.IniFormat)

    def wait(condition, timeout_ms: int = 60000) -> None:  # noqa: ANN001
        wait_until(condition, timeout_ms)

    def batch_folder(name: str, copies: int, extra: str = "") -> Path:
        folder = root / name
        folder.mkdir()
        examples = sorted(Path(resources.resource("examples", "")).glob("*.pseudo"))
        for copy in range(copies):
            for example in examples:
                shutil.copy(example, folder / f"{example.stem}_{copy + 1}.pseudo")
        if extra:
            (folder / "zz_slow.pseudo").write_text(extra, encoding="utf-8")
        return folder

    def window_with(timeout_ms: int = 5000) -> MainWindow:
        config = TranslatorConfig()
        config.execution.process_pool_enabled = True
        config.execution.process_pool_max_workers = 2
        config.execution.process_pool_start_method = "spawn"
        config.execution.process_pool_task_timeout_ms = timeout_ms
        settings = EditorSettings(theme="light", autosave_interval_s=0, config=config)
        window = MainWindow(settings, state, dialogs=_Quiet())
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.resize(1360, 900)
        window.show()
        window.performance.show()
        window.resizeDocks([window.perf_dock], [560], Qt.Orientation.Vertical)
        window.resizeDocks([window.python_dock], [520], Qt.Orientation.Horizontal)
        wait(lambda: window.engine.status.state is PoolState.READY)
        return window

    def live_translations(window: MainWindow, names: list[str]) -> None:
        for name in names:
            window.file_commands.open_example(resources.resource("examples", name))
            tab = window.current_tab()
            wait(lambda tab=tab: tab.up_to_date)

    def run_batch(window: MainWindow, folder: Path) -> None:
        window.file_commands.start_batch(folder, root / f"{folder.name}-out")
        wait(lambda: not window.batch.running, 120000)
        print(window.batch.last_summary.text() if window.batch.last_summary else "no summary")

    def shot(widget: Any, name: str) -> None:
        shoot(widget, out / name, 400)  # the chart timer (15 Hz) and the layout settle

    def close(window: MainWindow) -> None:
        for tab in window.document_tabs():
            tab.set_modified(False)
        window.close()
        window.engine.shutdown(wait=True)
        app.sendPostedEvents(None, 0)

    examples = ["02_bubble_sort.pseudo", "09_string_handling.pseudo", "05_records.pseudo"]
    examples = [n for n in examples if resources.resource("examples", n).is_file()]

    # 1. a batch through the pool
    window = window_with()
    live_translations(window, examples)
    run_batch(window, batch_folder("examples-x8", 8))
    live_translations(window, examples[:1])
    shot(window, "performance-batch.png")
    close(window)

    # 2. a slow worker: two timeouts, then the job runs in-process (a fallback)
    os.environ[seams.TEST_DELAY_ENV] = "1500"
    os.environ[seams.TEST_MATCH_ENV] = SLOW_MARK
    window = window_with(timeout_ms=400)
    live_translations(window, examples[:2])
    run_batch(window, batch_folder("with-a-slow-one", 2, SLOW_PROGRAM))
    live_translations(window, examples[2:3])
    shot(window, "performance-fallback.png")
    close(window)
    os.environ.pop(seams.TEST_DELAY_ENV, None)
    os.environ.pop(seams.TEST_MATCH_ENV, None)

    # 3. the settings dialog with fields fixed by environment variables
    (root / "config.yaml").write_text(
        "config_version: 1\nexecution:\n  process_pool_enabled: false\n"
        "  process_pool_max_workers: 2\n  process_pool_start_method: spawn\n"
        "editor:\n  font_size: 12\n", encoding="utf-8")
    os.environ["PSEUDOCODE_EXEC_POOL_ENABLED"] = "1"
    os.environ["PSEUDOCODE_EXEC_POOL_TIMEOUT_MS"] = "3000"
    window = MainWindow(EditorSettings(theme="light", autosave_interval_s=0), state,
                        dialogs=_Quiet())
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    window.settings_commands.open_settings("Execution")
    wait(lambda: window.settings_commands.dialog is not None)
    dialog = window.settings_commands.dialog
    dialog.resize(820, 640)
    shot(dialog, "settings-env-locked.png")
    dialog.reject()
    close(window)

    os.environ.clear()
    os.environ.update(saved_env)
    temp.cleanup()
    return 0
