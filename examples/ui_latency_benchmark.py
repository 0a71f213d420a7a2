"""Does the window stay responsive while typing into a big document? Prints JSON.

Opens the main window offscreen with a generated 5,000-line program, then
types a comment at human speed (a key every ``--key-ms``, a pause of
``--pause-ms`` after each word, long enough for the live translation to
run and be shown). Meanwhile a 1 ms timer on the GUI thread records the
time between its ticks: any tick later than that is a moment the window
could not paint or take a key. Reported for the pool off and on:

- ``gap_max_ms``, ``gap_p99_ms``: the longest and the 99th percentile gap
- ``gaps_over_50ms``: how many gaps were longer than 50 ms (a visible stall)
- ``translations_shown``: results that reached the Python pane while typing
- ``translated_in_helper_process``: of all translations, how many the helper process
  did (gui/model/live_process.py: big documents, so the window shares no GIL with them)

    QT_QPA_PLATFORM=offscreen python examples/ui_latency_benchmark.py [--lines 5000]
        [--words 8] [--key-ms 110] [--pause-ms 900] [--modes off,on] [--job-max-chars N]

The numbers depend on the machine and on its load: report them as measured.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from engine_benchmark import make_program  # noqa: E402

WORDS = ("checking", "the", "marks", "again", "before", "the", "total", "is", "shown",
         "to", "everyone")


class _Dialogs:
    """No modal dialog in a benchmark: every question gets the quiet answer."""

    def __getattr__(self, name: str):  # noqa: ANN204
        return lambda *args, **kwargs: None


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def measure(pool: bool, args: argparse.Namespace, folder: Path) -> dict[str, object]:
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from engine.config import TranslatorConfig
    from gui.model.editor_settings import EditorSettings
    from gui.model.recovery import RecoveryStore
    from gui.window.main_window import MainWindow

    app = QApplication.instance()
    config = copy.deepcopy(TranslatorConfig())
    config.execution.process_pool_enabled = pool
    if pool and args.workers:
        config.execution.process_pool_max_workers = args.workers
    if args.job_max_chars:
        config.execution.process_pool_job_max_chars = args.job_max_chars
    state = QSettings(str(folder / f"state-{pool}.ini"), QSettings.Format.IniFormat)
    recovery = RecoveryStore(folder / f"recovery-{pool}")
    recovery.open()
    settings = EditorSettings(theme="light", autosave_interval_s=0, config=config)
    window = MainWindow(settings, state, recovery, _Dialogs())
    window.resize(1366, 768)
    window.show()
    program = make_program(args.lines)
    tab = window.new_document(program)
    editor = tab.editor
    editor.setFocus()

    def wait(condition, timeout_s: float) -> bool:  # noqa: ANN001
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            app.processEvents()
            if condition():
                return True
            time.sleep(0.002)
        return False

    tab.translate_now()
    wait(lambda: tab.up_to_date and window.python_view.toPlainText(), 60)
    # the cursor at the end of a line in the middle of the program, as a student editing it
    block = editor.document().findBlockByNumber(editor.document().blockCount() // 2)
    cursor = editor.textCursor()
    cursor.setPosition(block.position() + len(block.text()))
    editor.setTextCursor(cursor)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    for char in "// ":
        QTest.keyClick(editor, char)
    wait(lambda: tab.up_to_date, 60)

    shown = 0

    def on_translated() -> None:
        nonlocal shown
        shown += 1

    tab.translated.connect(on_translated)
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))

    keys: list[str] = []
    delays: list[int] = []
    for index in range(args.words):
        word = WORDS[index % len(WORDS)] + " "
        for position, char in enumerate(word):
            keys.append(char)
            delays.append(args.pause_ms if position == len(word) - 1 else args.key_ms)
    state_box = {"next": 0}
    typer = QTimer()
    typer.setSingleShot(True)

    def type_next() -> None:
        index = state_box["next"]
        if index >= len(keys):
            return
        QTest.keyClick(editor, keys[index])
        state_box["next"] = index + 1
        typer.start(delays[index])

    typer.timeout.connect(type_next)
    started = time.perf_counter()
    timer.start()
    typer.start(args.key_ms)
    wait(lambda: state_box["next"] >= len(keys) and tab.up_to_date, 120 + len(keys))
    timer.stop()
    duration = time.perf_counter() - started
    gaps = [(b - a) * 1000 for a, b in zip(ticks, ticks[1:], strict=False)]
    result = {
        "pool": "on" if pool else "off",
        "lines": editor.document().blockCount(),
        "python_lines": window.python_view.document().blockCount(),
        "typed_chars": len(keys),
        "duration_s": round(duration, 2),
        "ticks": len(ticks),
        "gap_max_ms": round(max(gaps, default=0.0), 1),
        "gap_p99_ms": round(_percentile(gaps, 0.99), 1),
        "gaps_over_50ms": sum(1 for gap in gaps if gap > 50),
        "translations_shown": shown,
        "translated_in_helper_process": window.engine.live_helper.translations,
        "text_typed_ok": all(w in editor.toPlainText() for w in WORDS[:min(args.words, 3)]),
    }
    for open_tab in window.document_tabs():
        open_tab.set_modified(False)
    window.engine.shutdown(wait=True)
    window.close()
    window.deleteLater()
    app.processEvents()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--words", type=int, default=8)
    parser.add_argument("--key-ms", type=int, default=110)
    parser.add_argument("--pause-ms", type=int, default=900)
    parser.add_argument("--workers", type=int, default=0, help="pool workers (0: automatic)")
    parser.add_argument("--modes", default="off,on", help="off, on, or both (off,on)")
    parser.add_argument("--job-max-chars", type=int, default=0,
                        help="the pool's job size limit (0: the default, 50,000)")
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    out: dict[str, object] = {"benchmark": "ui_latency", "lines": args.lines,
                              "job_max_chars": args.job_max_chars or 50000}
    with tempfile.TemporaryDirectory(prefix="ui-latency-") as folder:
        os.environ["PSEUDOCODE_CONFIG"] = str(Path(folder) / "config.yaml")  # never the user's
        for mode in args.modes.split(","):
            mode = mode.strip()
            out[f"pool_{mode}"] = measure(mode == "on", args, Path(folder))
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
