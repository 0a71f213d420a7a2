"""The window's engine events, the Performance panel and the pool indicator, offscreen.

Pool tests start real ``spawn`` workers (one or two: the machine may have two
cores) and use the pool's slow-worker test seam; each has a timeout mark.
"""

from __future__ import annotations

import csv
import gc
import time
import tracemalloc
from pathlib import Path

import pytest
from gui_helpers import in_thread, pool_config

from engine.events import EventType
from engine.execution import seams
from gui.model.pool_status import PoolState

PROGRAM = 'DECLARE X : INTEGER\nX <- 41 + 1\nOUTPUT "X is ", X\n'


def settle(qtbot, window) -> None:
    """The start-up translation of the empty document is done and recorded."""
    qtbot.waitUntil(lambda: window.current_tab().up_to_date, timeout=10000)
    qtbot.waitUntil(lambda: window.engine.bridge.pending() == 0, timeout=5000)


# ----------------------------------------------------------------------------- the window's engine
def test_window_owns_one_manager_whose_events_reach_the_bridge(qtbot, window) -> None:
    settle(qtbot, window)
    tab = window.current_tab()
    assert tab.live.translate_fn == window.engine.translate
    with qtbot.waitSignal(window.engine.bridge.translationCompleted, timeout=10000) as blocker:
        tab.editor.setPlainText(PROGRAM)
    assert blocker.args[0].data["success"] is True


# ----------------------------------------------------------------------------- the panel
def test_n_translations_add_n_points(qtbot, window) -> None:
    panel = window.performance.show()
    settle(qtbot, window)
    panel.clear()
    n = 12
    in_thread(lambda: [window.engine.translate(PROGRAM + f"OUTPUT {i}\n") for i in range(n)])
    qtbot.waitUntil(lambda: panel.plotted_points()["latency"] == n, timeout=15000)
    assert window.performance.model.translation_count == n
    assert panel.plotted_points()["p95"] == n
    assert panel.stat_labels["translations"].text() == str(n)
    assert panel.stat_labels["p95"].text().endswith("ms")
    assert panel.stat_labels["pool"].text() == "Off"


def test_pause_clear_and_export(qtbot, window, tmp_path: Path, dialogs) -> None:
    panel = window.performance.show()
    settle(qtbot, window)
    panel.clear()
    panel.act_pause.trigger()
    assert window.performance.model.paused
    in_thread(window.engine.translate, PROGRAM).join(10)
    qtbot.waitUntil(lambda: window.engine.bridge.pending() == 0, timeout=5000)
    assert window.performance.model.translation_count == 0  # paused: not recorded
    panel.act_pause.trigger()
    with qtbot.waitSignal(window.engine.bridge.translationCompleted, timeout=10000):
        in_thread(window.engine.translate, PROGRAM)
    assert window.performance.model.translation_count == 1
    dialogs.csv_answer = str(tmp_path / "perf.csv")
    with qtbot.waitSignal(panel.exported, timeout=5000) as blocker:
        panel.act_export.trigger()
    assert blocker.args == [dialogs.csv_answer, ""]
    rows = list(csv.DictReader(open(dialogs.csv_answer, encoding="utf-8")))
    assert [r["series"] for r in rows] == ["translation"]
    assert float(rows[0]["total_ms"]) > 0
    panel.act_clear.trigger()
    assert panel.plotted_points()["latency"] == 0 \
        and window.performance.model.translation_count == 0


def test_empty_charts_say_why_and_start_at_time_zero(qtbot, window) -> None:
    panel = window.performance.show()
    settle(qtbot, window)
    panel.clear()
    assert panel.latency_note.isVisible() and "Nothing translated yet" in \
        panel.latency_note.textItem.toPlainText()
    assert "the pool is off" in panel.pool_note.textItem.toPlainText()
    with qtbot.waitSignal(window.engine.bridge.translationCompleted, timeout=10000):
        in_thread(window.engine.translate, PROGRAM)
    qtbot.waitUntil(lambda: not panel.latency_note.isVisible(), timeout=5000)
    assert panel.pool_note.isVisible()  # still no pool job
    for plot in (panel.latency_plot, panel.pool_plot):
        item = plot.getPlotItem()
        assert item.getViewBox().viewRange()[0][0] >= -0.05  # no negative time axis
        assert "(x" not in item.getAxis("bottom").labelString()  # never "time (s) (x0.001)"


def test_view_menu_shows_the_panel_built_on_first_show(qtbot, window) -> None:
    assert window.performance.panel is None and not window.perf_dock.isVisible()
    window.act.performance.trigger()
    qtbot.waitUntil(lambda: window.performance.panel is not None
                    and window.performance.panel.isVisible(),
                    timeout=5000)
    assert window.perf_dock.windowTitle() == "Performance"


@pytest.mark.timeout(240)
def test_chart_memory_stays_bounded_with_100000_events(qtbot, window) -> None:
    """100,000 engine events (23,800 translations with their pool jobs, timeouts and
    fallbacks) from a worker thread, through the bridge, into the chart at its default
    capacities: once the rings are full, the memory held stays where it is."""
    panel = window.performance.show()
    settle(qtbot, window)
    panel.clear()
    model = window.performance.model
    events = window.engine.events

    def emit(first: int, count: int) -> None:
        for i in range(first, first + count):
            events.emit(EventType.TRANSLATION_STARTED, {"id": i, "size_chars": 10})
            events.emit(EventType.EXEC_POOL_TASK_SUBMITTED, {"kind": "parse_validate",
                                                             "size_chars": 10})
            events.emit(EventType.EXEC_POOL_TASK_COMPLETED, {"kind": "parse_validate",
                                                             "duration_ms": 1.0 + i % 7})
            if i % 10 == 0:
                events.emit(EventType.EXEC_POOL_TIMEOUT, {"kind": "parse", "timeout_ms": 50,
                                                          "attempt": 1})
                events.emit(EventType.EXEC_POOL_FALLBACK, {"kind": "parse",
                                                           "reason": "timeout"})
            events.emit(EventType.TRANSLATION_COMPLETED, {
                "id": i, "success": True, "error_count": 0, "warning_count": 0,
                "timings": {"parse_ms": 1.0, "validate_ms": 2.0, "generate_ms": 0.5,
                            "total_ms": 3.5 + i % 5}})

    def feed(first: int, count: int) -> None:
        thread = in_thread(emit, first, count)
        qtbot.waitUntil(lambda: not thread.is_alive() and window.engine.bridge.pending() == 0,
                        timeout=180000)
        qtbot.waitUntil(lambda: panel._drawn_version == model.version, timeout=5000)

    translations = 23_810  # 100,002 events
    first_part = 14_290    # 60,018 events: every ring is full by then
    tracemalloc.start()
    try:
        feed(0, first_part)
        gc.collect()
        full, _ = tracemalloc.get_traced_memory()
        redraws, started = panel.redraws, time.perf_counter()
        feed(first_part, translations - first_part)
        elapsed = time.perf_counter() - started
        gc.collect()
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    delivered = model.events_seen
    assert delivered == 4 * translations + 2 * len(range(0, translations, 10)) >= 100_000
    growth = after - full
    rate = (panel.redraws - redraws) / elapsed
    print(f"\n{delivered} events; traced memory {full / 1e6:.2f} MB with full rings, "
          f"{after / 1e6:.2f} MB after {delivered} (growth {growth / 1e3:.0f} kB); "
          f"rings {model.nbytes / 1e6:.2f} MB; {panel.redraws - redraws} redraws in "
          f"{elapsed:.1f} s ({rate:.1f} Hz) for {delivered - 60_018} events")
    assert abs(growth) < 500_000  # 40,000 more events, no more memory
    points = panel.plotted_points()
    assert points["latency"] == points["p95"] == model.translations.capacity
    assert points["parse_validate"] == model.tasks.capacity
    assert points["timeouts"] + points["fallbacks"] == model.marks.capacity
    assert model.translation_count == translations
    # redrawn by the 15 Hz timer, not per event
    assert panel.redraws - redraws <= elapsed * 16 + 3


# ----------------------------------------------------------------------------- the pool
@pytest.mark.timeout(120)
def test_a_timeout_shows_as_a_marker_and_degrades_the_indicator(qtbot, make_window,
                                                                 monkeypatch) -> None:
    monkeypatch.setenv(seams.TEST_DELAY_ENV, "5000")
    monkeypatch.setenv(seams.TEST_MATCH_ENV, "SLOWDOWN")
    monkeypatch.setenv(seams.TEST_KIND_ENV, "parse")
    config = pool_config(process_pool_task_timeout_ms=300, process_pool_retry_on_timeout=False)
    window = make_window(config=config)
    panel = window.performance.show()
    qtbot.waitUntil(lambda: window.engine.status.state is PoolState.READY, timeout=60000)
    assert window.status_bar.pool.text() == "Pool: Ready (1 worker, spawn)"
    assert panel.plotted_points()["pool_starts"] == 1 or panel.update_view(force=True)
    qtbot.waitUntil(lambda: panel.plotted_points()["pool_starts"] == 1, timeout=5000)
    with qtbot.waitSignals([window.engine.bridge.poolTimeout, window.engine.bridge.poolFallback],
                           timeout=60000):
        in_thread(window.engine.translate, "// SLOWDOWN\n" + PROGRAM)
    qtbot.waitUntil(lambda: panel.plotted_points()["timeouts"] == 1
                    and panel.plotted_points()["fallbacks"] == 1, timeout=5000)
    tips = [p.data() for p in panel.timeout_marks.points()]
    assert "ran over 300 ms" in tips[0] and "attempt 1" in tips[0]
    fallback_tip = panel.fallback_marks.points()[0].data()
    assert "reason: timeout" in fallback_tip
    assert panel.stat_labels["timeouts"].text() == "1"
    assert panel.stat_labels["fallbacks"].text() == "1"
    qtbot.waitUntil(lambda: window.status_bar.pool.text() == "Pool: Degraded (1 fallback)",
                    timeout=5000)
    assert "Latest problem: " in window.status_bar.pool.current_tooltip()
    assert "(timeout: it timed out" in window.status_bar.pool.current_tooltip()


def test_clicking_the_pool_indicator_opens_the_execution_settings(qtbot, window) -> None:
    assert window.status_bar.pool.text() == "Pool: Off"
    with qtbot.waitSignal(window.settingsOpened, timeout=10000) as blocker:
        window.status_bar.pool.click()
    dialog = blocker.args[0]
    assert dialog.isVisible() and dialog.pages.currentIndex() == 0
    dialog.reject()
    qtbot.waitUntil(lambda: window.settings_commands.dialog is None, timeout=5000)
