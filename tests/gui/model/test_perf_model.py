"""gui.model.perf_model: ring buffers, chart points, p95, batches, markers, CSV export, memory."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from gui_helpers import ev

from engine.events import Event, EventType
from gui.model.perf_model import PerfModel, Ring


def completed(ident: int, stamp: float, parse=1.0, validate=2.0, generate=3.0) -> Event:
    timings = {"parse_ms": parse, "validate_ms": validate, "generate_ms": generate,
               "total_ms": parse + validate + generate}
    return ev(EventType.TRANSLATION_COMPLETED, stamp, id=ident, success=True, error_count=0,
              warning_count=0, timings=timings)


def model(**kwargs) -> PerfModel:
    return PerfModel(clock=lambda: 1000.0, **kwargs)


# ----------------------------------------------------------------------------- ring buffers
def test_ring_keeps_the_newest_rows_in_order_and_never_grows() -> None:
    ring = Ring(4, ("a", "b"))
    size = ring.nbytes
    for i in range(10):
        ring.append(i, 10 * i)
    assert len(ring) == 4 and ring.total == 10
    assert ring.column("a").tolist() == [6, 7, 8, 9]
    assert ring.rows()[:, 1].tolist() == [60, 70, 80, 90]
    ring.set_tail("b", np.array([-1.0, -2.0]))
    assert ring.column("b").tolist() == [60, 70, -1, -2]
    assert ring.nbytes == size
    ring.clear()
    assert len(ring) == 0 and ring.rows().shape == (0, 2)


def test_ring_before_it_is_full() -> None:
    ring = Ring(5, ("a",))
    ring.append(1)
    ring.append(2)
    assert ring.column("a").tolist() == [1, 2]


# ----------------------------------------------------------------------------- the chart model
def test_n_translations_are_n_points_split_into_stages() -> None:
    m = model()
    for i in range(7):
        m.feed(ev(EventType.TRANSLATION_STARTED, 1000 + i, id=i, size_chars=10))
        m.feed(completed(i, 1000.5 + i, parse=1, validate=2, generate=3))
    snap = m.snapshot()
    assert m.translation_count == 7 and len(snap.translations) == 7
    assert snap.translations[:, 0].tolist() == pytest.approx([0.5 + i for i in range(7)])
    assert snap.translations[0, 1:5].tolist() == [1, 2, 3, 6]


def test_p95_line_is_over_the_last_window_translations() -> None:
    m = model(window=10)
    totals = list(range(1, 31))
    for i, total in enumerate(totals):
        m.feed(completed(i, 1000 + i, parse=total, validate=0, generate=0))
        if i == 4:
            m.refresh()  # lazily computed: part now, the rest later
    p95 = m.snapshot().translations[:, 5]
    for i in range(len(totals)):
        window = totals[max(0, i - 9):i + 1]
        assert p95[i] == pytest.approx(np.percentile(window, 95))
    p50, p95_now = m.percentiles()
    assert p50 == pytest.approx(np.percentile(totals[-10:], 50))
    assert p95_now == pytest.approx(np.percentile(totals[-10:], 95))


def test_p95_after_the_ring_wrapped() -> None:
    m = model(capacity=50, window=20)
    values = np.random.default_rng(5).uniform(1, 100, 500)
    for i, value in enumerate(values):
        m.feed(completed(i, 1000 + i, parse=value, validate=0, generate=0))
    p95 = m.snapshot().translations[:, 5]
    assert len(p95) == 50
    for j in range(50):
        i = 450 + j
        assert p95[j] == pytest.approx(np.percentile(values[i - 19:i + 1], 95))


def test_a_batch_is_translations_started_before_any_finished() -> None:
    m = model()
    m.feed(ev(EventType.TRANSLATION_STARTED, 1000.0, id=1, size_chars=5))
    m.feed(completed(1, 1000.1))
    assert m.last_batch is None  # one document is not a batch
    for i in range(10, 20):
        m.feed(ev(EventType.TRANSLATION_STARTED, 1001.0, id=i, size_chars=5))
    for i in range(10, 20):
        m.feed(completed(i, 1001.0 + (i - 9) * 0.05))
    assert m.last_batch is not None
    assert m.last_batch.documents == 10
    assert m.last_batch.throughput == pytest.approx(10 / 0.5)
    m.note_batch(40, 2.0)
    assert m.stats()["batch_docs_per_s"] == pytest.approx(20)


def test_time_zero_is_the_first_event_when_it_is_older_than_the_model() -> None:
    m = model()  # made at 1000.0, as the window makes it on the first event it receives
    m.feed(ev(EventType.EXEC_POOL_STARTED, 999.75, max_workers=2, start_method="spawn"))
    m.feed(completed(1, 1000.25))
    assert m.snapshot().starts[0, 0] == 0.0
    assert m.snapshot().translations[0, 0] == pytest.approx(0.5)
    m.clear()
    m.feed(completed(2, 1000.5))  # after Clear, times count from the Clear
    assert m.snapshot().translations[0, 0] == pytest.approx(0.5)


def test_documents_of_a_cancelled_batch_are_not_failures() -> None:
    m = model()
    for i in range(4):
        m.feed(ev(EventType.TRANSLATION_STARTED, 1000.0, id=i, size_chars=5))
    m.feed(completed(0, 1000.1))
    m.feed(ev(EventType.TRANSLATION_FAILED, 1000.2, id=1, error="boom", error_type="KeyError"))
    for i in (2, 3):  # what translate_many(cancel=...) sends for documents never started
        m.feed(ev(EventType.TRANSLATION_FAILED, 1000.2, id=i, error="cancelled",
                  error_type="Cancelled"))
    stats = m.stats()
    assert stats["translations"] == 1 and stats["failed"] == 1 and stats["cancelled"] == 2


def test_pool_events_become_tasks_markers_and_starts() -> None:
    m = model()
    m.feed(ev(EventType.EXEC_POOL_STARTED, 1000.2, max_workers=2, start_method="spawn"))
    m.feed(ev(EventType.EXEC_POOL_TASK_SUBMITTED, 1000.3, kind="parse", size_chars=9))
    m.feed(ev(EventType.EXEC_POOL_TASK_COMPLETED, 1000.4, kind="parse", duration_ms=1.5))
    m.feed(ev(EventType.EXEC_POOL_TIMEOUT, 1001.0, kind="validate", timeout_ms=500, attempt=1))
    m.feed(ev(EventType.EXEC_POOL_FALLBACK, 1001.5, kind="validate", reason="timeout"))
    m.feed(ev(EventType.EXEC_POOL_FALLBACK, 1002.0, kind="parse", reason="something_new"))
    snap = m.snapshot()
    assert snap.tasks.tolist() == [[pytest.approx(0.4), 1.5, 0.0]]
    assert len(snap.marks) == 3
    assert "ran over 500 ms" in snap.mark_tips[0] and "attempt 1" in snap.mark_tips[0]
    assert "reason: timeout" in snap.mark_tips[1]
    assert "something_new" in snap.mark_tips[2]
    assert snap.start_labels == ["pool: 2 workers, spawn"]
    stats = m.stats()
    assert (stats["timeouts"], stats["fallbacks"], stats["pool_tasks"]) == (1, 2, 1)


def test_pause_clear_and_failed_translations() -> None:
    m = model()
    m.feed(ev(EventType.TRANSLATION_STARTED, 1000, id=1, size_chars=1))
    m.feed(ev(EventType.TRANSLATION_FAILED, 1000, id=1, error="boom", error_type="E"))
    assert m.stats()["failed"] == 1 and m.translation_count == 0
    m.paused = True
    m.feed(completed(2, 1001))
    assert m.translation_count == 0
    m.paused = False
    m.feed(completed(3, 1001))
    assert m.translation_count == 1
    m.clear()
    assert m.translation_count == 0 and m.snapshot().translations.shape[0] == 0


def test_csv_export_has_every_series_in_time_order() -> None:
    m = model()
    m.feed(ev(EventType.EXEC_POOL_STARTED, 1000.1, max_workers=2, start_method="spawn"))
    m.feed(completed(1, 1000.2))
    m.feed(ev(EventType.EXEC_POOL_TASK_COMPLETED, 1000.3, kind="parse_validate",
              duration_ms=4.25))
    m.feed(ev(EventType.EXEC_POOL_TIMEOUT, 1000.4, kind="parse", timeout_ms=300, attempt=2))
    m.feed(ev(EventType.EXEC_POOL_FALLBACK, 1000.5, kind="parse", reason="worker_crashed"))
    rows = list(csv.DictReader(io.StringIO(m.csv_text())))
    assert [r["series"] for r in rows] == ["pool_started", "translation", "pool_task",
                                           "timeout", "fallback"]
    assert rows[0]["detail"] == "workers=2 method=spawn"
    assert rows[1]["total_ms"] == "6.000" and rows[1]["parse_ms"] == "1.000"
    assert rows[2]["duration_ms"] == "4.250" and rows[2]["kind"] == "parse_validate"
    assert rows[3]["detail"] == "timeout_ms=300 attempt=2"
    assert rows[4]["detail"] == "reason=worker_crashed"


def test_memory_of_the_model_is_fixed_by_its_capacities() -> None:
    m = model(capacity=1000, task_capacity=1000, mark_capacity=100)
    size = m.nbytes
    for i in range(20_000):
        m.feed(ev(EventType.TRANSLATION_STARTED, 1000 + i, id=i, size_chars=1))
        m.feed(completed(i, 1000 + i))
        m.feed(ev(EventType.EXEC_POOL_TASK_COMPLETED, 1000 + i, kind="parse", duration_ms=1))
        m.feed(ev(EventType.EXEC_POOL_TIMEOUT, 1000 + i, kind="parse", timeout_ms=5, attempt=1))
        m.feed(ev(EventType.EXEC_POOL_FALLBACK, 1000 + i, kind="parse", reason=f"r{i}"))
    snap = m.snapshot()
    assert m.nbytes == size
    assert (len(snap.translations), len(snap.tasks), len(snap.marks)) == (1000, 1000, 100)
    assert len(m._pending) == 0 and len(m._other_reasons) <= 64
    assert m.translation_count == 20_000
