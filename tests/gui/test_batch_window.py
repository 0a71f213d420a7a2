"""File > Translate Folder: the conformance programs, cancelling midway, the pool."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from engine.config import ExecutionConfig, TranslatorConfig
from engine.events import EventType
from engine.translator import translate_text
from gui.model.pool_status import PoolState

CONFORMANCE = Path(__file__).parents[3] / "shared" / "conformance"


def sources() -> list[Path]:
    return sorted(CONFORMANCE.glob("*.pseudo"), key=lambda p: p.name.lower())


def check_outputs(out_dir: Path, summary) -> None:
    """Only complete files: each .py is the full translation of its program, nothing else."""
    files = sorted(p.name for p in out_dir.iterdir())
    assert files == sorted(o.output.name for o in summary.outcomes if o.output is not None)
    for outcome in summary.outcomes:
        if outcome.output is None:
            continue
        expected = translate_text(outcome.source.read_text(encoding="utf-8")).code
        assert outcome.output.read_text(encoding="utf-8") == expected


@pytest.mark.timeout(120)
def test_translate_folder_of_the_conformance_programs(qtbot, window, dialogs,
                                                      tmp_path: Path) -> None:
    programs = sources()
    assert len(programs) >= 30
    out_dir = tmp_path / "python"
    dialogs.folder_answers = [str(CONFORMANCE), str(out_dir)]
    before = window.performance.model.translation_count
    with qtbot.waitSignal(window.batchFinished, timeout=90000) as blocker:
        assert window.file_commands.translate_folder()
        assert window.batch.progress is not None and window.batch.progress.isVisible()
    summary = blocker.args[0]
    assert dialogs.names()[:2] == ["pick_folder", "pick_folder"]
    assert summary.total == summary.done == len(programs) and not summary.cancelled
    assert summary.written == len(programs) - len(summary.error_files)
    check_outputs(out_dir, summary)
    text = dialogs.texts("show_info")[-1]
    assert f"Translated {len(programs)} files" in text and "docs/s" in text
    assert "in-process" in text
    assert window.batch.progress is None and not window.batch.running
    qtbot.waitUntil(lambda: window.performance.model.translation_count - before >= len(programs),
                    timeout=5000)
    assert window.performance.model.last_batch.documents == len(programs)


def test_choosing_no_folder_does_nothing(qtbot, window, dialogs) -> None:
    dialogs.folder_answers = [None]
    assert not window.file_commands.translate_folder()
    dialogs.folder_answers = [str(CONFORMANCE), None]
    assert not window.file_commands.translate_folder()
    assert not window.batch.running


@pytest.mark.timeout(120)
def test_a_batch_can_be_cancelled_midway_without_half_written_files(
        qtbot, window, dialogs, tmp_path: Path, monkeypatch) -> None:
    programs = sources()
    out_dir = tmp_path / "python"
    engine = window.engine
    real = engine.translate_many
    calls: list[int] = []
    fifth_done = threading.Event()
    cancel_pressed = threading.Event()

    def translate_many(texts, progress=None, cancel=None):
        calls.append(len(texts))

        def slow_progress(done: int, total: int) -> None:
            progress(done, total)
            if done == 5:  # the user presses Cancel while the 6th document waits
                fifth_done.set()
                assert cancel_pressed.wait(30)
                assert cancel.is_set()  # Cancel reached translate_many's event

        return real(texts, progress=slow_progress, cancel=cancel)

    monkeypatch.setattr(engine, "translate_many", translate_many)
    with qtbot.waitSignal(window.batchFinished, timeout=90000) as blocker:
        window.file_commands.start_batch(CONFORMANCE, out_dir)
        qtbot.waitUntil(fifth_done.is_set, timeout=30000)
        progress = window.batch.progress
        qtbot.waitUntil(lambda: progress.value() >= 5, timeout=5000)
        assert progress.labelText() == f"Translated 5 of {len(programs)} files"
        cancel_button = progress.findChild(QPushButton)
        assert cancel_button.text() == "Cancel"
        cancel_button.click()
        assert window.batch.job.cancelled
        assert "Cancelling" in progress.labelText()
        cancel_pressed.set()
    summary = blocker.args[0]
    assert calls == [len(programs)]  # ONE translate_many call for the whole folder
    assert summary.cancelled
    assert summary.done == 5 and summary.cancelled_files == len(programs) - 5
    assert [o.cancelled for o in summary.outcomes] == [False] * 5 + [True] * (len(programs) - 5)
    check_outputs(out_dir, summary)  # the 5 translated programs, complete; nothing else
    assert not list(out_dir.glob("*.tmp")) and not list(out_dir.glob(".*"))
    text = dialogs.texts("show_info")[-1]
    assert (f"Cancelled after 5 of {len(programs)} files: {len(programs) - 5} files were not "
            "translated") in text
    assert window.batch.progress is None
    assert "(cancelled)" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.performance.model.cancelled_count == len(programs) - 5,
                    timeout=5000)
    assert window.performance.model.failed_count == 0  # cancelled is not failed
    assert window.performance.model.last_batch.documents == 5


def test_a_folder_with_subfolders_is_mirrored_under_the_output_folder(
        qtbot, window, dialogs, tmp_path: Path) -> None:
    folder = tmp_path / "course"
    programs = sources()[:4]
    places = ["intro", "week1/loops", "week1/arrays/sort", "week2/files"]
    for program, place in zip(programs, places, strict=True):
        target = folder / f"{place}.pseudo"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(program.read_text(encoding="utf-8"), encoding="utf-8")
    out_dir = tmp_path / "python"
    dialogs.folder_answers = [str(folder), str(out_dir)]
    with qtbot.waitSignal(window.batchFinished, timeout=60000) as blocker:
        assert window.file_commands.translate_folder()
    summary = blocker.args[0]
    assert summary.total == summary.done == 4 and not summary.error_files
    for program, place in zip(programs, places, strict=True):
        written = out_dir / f"{place}.py"
        assert written.read_text(encoding="utf-8") == \
            translate_text(program.read_text(encoding="utf-8")).code
    assert "4 Python files written" in dialogs.texts("show_info")[-1]


@pytest.mark.timeout(180)
def test_a_batch_through_the_pool_shows_its_burst_on_the_chart(qtbot, make_window, dialogs,
                                                               tmp_path: Path) -> None:
    config = TranslatorConfig(execution=ExecutionConfig(
        process_pool_enabled=True, process_pool_max_workers=2, process_pool_start_method="spawn",
        process_pool_task_timeout_ms=30_000))
    window = make_window(config=config)
    panel = window.performance.show()
    qtbot.waitUntil(lambda: window.engine.status.state is PoolState.READY, timeout=90000)
    panel.clear()
    programs = sources()
    events: list = []
    window.engine.bridge.event.connect(events.append)
    with qtbot.waitSignal(window.batchFinished, timeout=120000) as blocker:
        window.file_commands.start_batch(CONFORMANCE, tmp_path / "python")
    summary = blocker.args[0]
    assert summary.workers == 2 and summary.done == len(programs)
    # ONE burst on the chart: every document started before the first one finished
    qtbot.waitUntil(lambda: sum(e.type is EventType.TRANSLATION_COMPLETED
                                for e in events) == len(programs), timeout=30000)
    started = [i for i, e in enumerate(events) if e.type is EventType.TRANSLATION_STARTED]
    finished = [i for i, e in enumerate(events) if e.type is EventType.TRANSLATION_COMPLETED]
    assert len(started) == len(programs) and max(started) < min(finished)
    assert "through the process pool (2 workers)" in dialogs.texts("show_info")[-1]
    check_outputs(tmp_path / "python", summary)
    qtbot.waitUntil(lambda: panel.plotted_points()["latency"] >= len(programs), timeout=30000)
    points = panel.plotted_points()
    assert points["parse_validate"] >= 1  # whole-pipeline jobs of the batch API
    assert window.performance.model.stats()["batch_documents"] == len(programs)
    qtbot.waitUntil(lambda: panel.stat_labels["batch"].text().startswith(
        f"{len(programs)} docs, "), timeout=30000)
    model = window.performance.model
    assert model.fallback_count == 0 and model.timeout_count == 0


@pytest.mark.timeout(120)
def test_the_batch_summary_says_which_hidden_folders_were_not_searched(
        qtbot, window, dialogs, tmp_path: Path) -> None:
    folder = tmp_path / "course"
    (folder / ".hidden").mkdir(parents=True)
    (folder / "a.pseudo").write_text("OUTPUT 1\n", encoding="utf-8")
    (folder / ".hidden" / "h.pseudo").write_text("OUTPUT 2\n", encoding="utf-8")
    dialogs.folder_answers = [str(folder), str(tmp_path / "python")]
    with qtbot.waitSignal(window.batchFinished, timeout=90000) as blocker:
        assert window.file_commands.translate_folder()
    summary = blocker.args[0]
    assert summary.total == summary.written == 1
    text = dialogs.texts("show_info")[-1]
    assert "Skipped 1 hidden folder (.hidden): hidden folders are not searched." in text
