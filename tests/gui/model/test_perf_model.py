"""Qt-free GUI models: chart data (rings, p95, batches, CSV), pool status, settings form,
folder batch. No window, no QApplication."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.config import (
    FIELDS,
    PAGES,
    ConfigManager,
    TranslatorConfig,
    pool_settings_changed,
    start_methods_offered,
)
from engine.events import Event, EventType
from gui.model.perf_model import PerfModel, Ring
from gui.model.pool_status import PoolState, PoolStatus, describe_event
from gui.model.settings_form import FORM_FIELDS, SettingsForm, choices, fields_on

CONFORMANCE = Path(__file__).resolve().parents[4] / "shared" / "conformance"


def ev(type_: EventType, stamp: float = 1000.0, **data) -> Event:
    return Event(type_, data, stamp)


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


def test_describe_event_is_one_line_per_type() -> None:
    for type_, data in ((EventType.EXEC_POOL_STARTED, {"max_workers": 2, "start_method": "spawn"}),
                        (EventType.EXEC_POOL_FALLBACK, {"kind": "parse", "reason": "timeout"}),
                        (EventType.TRANSLATION_FAILED, {"id": 1, "error": "x", "error_type": "E"})):
        text = describe_event(ev(type_, **data))
        assert "\n" not in text and text
    assert "2 workers, spawn" in describe_event(
        ev(EventType.EXEC_POOL_STARTED, max_workers=2, start_method="spawn"))


# ----------------------------------------------------------------------------- pool status
def test_pool_status_goes_off_starting_ready_degraded() -> None:
    status = PoolStatus()
    assert status.label() == "Pool: Off"
    status.set_starting()
    assert status.label() == "Pool: Starting"
    status.feed(ev(EventType.EXEC_POOL_STARTED, max_workers=3, start_method="spawn"))
    assert status.label() == "Pool: Starting (spawn)"
    status.set_ready(3, "spawn")
    assert status.label() == "Pool: Ready (3 workers, spawn)"
    status.feed(ev(EventType.EXEC_POOL_FALLBACK, kind="parse", reason="job_too_large"))
    assert status.state is PoolState.READY  # by design, not a problem
    status.feed(ev(EventType.EXEC_POOL_TIMEOUT, kind="parse", timeout_ms=9, attempt=1))
    status.feed(ev(EventType.EXEC_POOL_FALLBACK, kind="parse", reason="timeout"))
    assert status.label() == "Pool: Degraded (1 fallback)"
    assert "fallback: a parse job ran in-process" in status.tooltip()
    assert "Timeouts since the pool started: 1" in status.tooltip()
    status.feed(ev(EventType.EXEC_POOL_STARTED, max_workers=3, start_method="spawn"))
    assert status.state is PoolState.STARTING and status.fallbacks == 0
    status.feed(ev(EventType.EXEC_POOL_TASK_COMPLETED, kind="parse", duration_ms=1))
    assert status.state is PoolState.READY
    assert status.label() == "Pool: Ready (3 workers, spawn)"  # a job came back: ready
    status.feed(ev(EventType.EXEC_POOL_FALLBACK, kind="parse", reason="pool_unavailable"))
    assert status.label() == "Pool: Unavailable"
    assert not status.feed(ev(EventType.TRANSLATION_STARTED, id=1, size_chars=1))
    assert not status.feed(ev(EventType.EXEC_POOL_TASK_SUBMITTED, kind="parse", size_chars=1))
    assert "parse job sent to the pool" in status.tooltip()


def test_pool_status_says_when_not_every_worker_got_ready() -> None:
    status = PoolStatus()
    status.set_starting()
    status.feed(ev(EventType.EXEC_POOL_STARTED, max_workers=4, start_method="spawn"))
    status.set_ready(4, "spawn", ready=3)  # pool_info()["ready_workers"] after wait_ready
    assert status.label() == "Pool: Ready (3 of 4 workers, spawn)"
    assert "Only 3 of the 4 worker processes" in status.tooltip()
    status.set_off()
    assert status.label() == "Pool: Off" and status.ready_workers == 0


# ----------------------------------------------------------------------------- settings form
def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def form_for(path: Path, environ: dict | None = None, platform: str | None = None
             ) -> SettingsForm:
    manager = ConfigManager(path, environ=environ or {}, platform=platform)
    manager.load()
    return SettingsForm(manager)


def test_every_engine_field_is_on_a_page_in_the_specified_order() -> None:
    assert {f.key for f in FORM_FIELDS} == {s.key for s in FIELDS}
    execution = [f.spec.name for f in fields_on("Execution")]
    assert execution == ["process_pool_enabled", "process_pool_target",
                         "process_pool_max_workers", "process_pool_task_timeout_ms",
                         "process_pool_job_max_chars", "process_pool_start_method",
                         "process_pool_retry_on_timeout", "process_pool_retry_limit"]
    # translation.python_style (plain's Checked/Plain choice) is the newest field
    assert [f.spec.name for f in fields_on("Translation")] == ["strict_mode", "python_style",
                                                               "telemetry_enabled"]
    assert {f.spec.name for f in fields_on("Editor")} >= {
        "font_family", "font_size", "theme", "autosave_interval_s", "show_arrow_glyph"}
    assert sum(len(fields_on(p)) for p in PAGES) == len(FIELDS)
    widgets = {f.key: f.widget for f in FORM_FIELDS}
    assert widgets["execution.process_pool_max_workers"] == "auto_int"
    assert widgets["execution.process_pool_start_method"] == "choice"
    assert widgets["editor.font_family"] == "font"


def test_start_methods_are_those_the_platform_offers() -> None:
    assert start_methods_offered("win32") == ["spawn"]
    assert choices("execution.process_pool_start_method", "win32") == [
        (None, "Auto (spawn in the editor)"), ("spawn", "spawn")]
    here = [v for v, _ in choices("execution.process_pool_start_method")]
    assert here[0] is None and "spawn" in here


@pytest.mark.parametrize(("key", "raw", "words"), [
    ("execution.process_pool_task_timeout_ms", "0", "below the minimum 1"),
    ("execution.process_pool_task_timeout_ms", "abc", "is not a whole number"),
    ("execution.process_pool_max_workers", "0", "below the minimum 1"),
    ("execution.process_pool_retry_limit", "11", "above the maximum 10"),
    ("execution.process_pool_job_max_chars", "-5", "below the minimum 1"),
    ("editor.font_size", "200", "above the maximum 72"),
])
def test_the_form_refuses_what_validate_refuses(tmp_path: Path, key, raw, words) -> None:
    form = form_for(tmp_path / "config.yaml")
    form.set(key, raw)
    problems = form.problems_of(key)
    assert problems and problems[0].error and words in problems[0].message
    assert "using" not in problems[0].message  # the repair note of the loader is not shown
    assert form.has_errors()
    with pytest.raises(ValueError):
        form.result()
    # the engine agrees: the same value is an error of ExecutionConfig.validate()
    config = TranslatorConfig()
    next(f for f in FORM_FIELDS if f.key == key).spec.set(config, raw)
    assert any(e.startswith(key) for e in config.validate().errors)


def test_warnings_do_not_block_and_good_values_become_typed(tmp_path: Path) -> None:
    form = form_for(tmp_path / "config.yaml")
    form.set("execution.process_pool_task_timeout_ms", "200")
    form.set("execution.process_pool_max_workers", None)
    form.set("execution.process_pool_enabled", True)
    problems = form.problems()
    assert [p.error for p in problems] == [False] and "very short" in problems[0].message
    config = form.result()
    assert config.execution.process_pool_task_timeout_ms == 200
    assert config.execution.process_pool_max_workers is None
    assert sorted(form.changed()) == ["execution.process_pool_enabled",
                                      "execution.process_pool_task_timeout_ms"]


def test_a_start_method_the_platform_lacks_is_an_error(tmp_path: Path) -> None:
    form = form_for(tmp_path / "config.yaml", platform="win32")
    form.set("execution.process_pool_start_method", "fork")
    assert "not available on this platform" in form.problems_of(
        "execution.process_pool_start_method")[0].message


def test_env_locked_fields_cannot_change_and_are_never_saved(tmp_path: Path) -> None:
    path = write(tmp_path / "config.yaml",
                 "execution:\n  process_pool_retry_limit: 3\nmy_plugin:\n  colour: blue\n")
    form = form_for(path, {"PSEUDOCODE_EXEC_POOL_ENABLED": "0"})
    key = "execution.process_pool_enabled"
    assert form.lock(key) is not None
    assert form.lock_text(key) == "Set by the environment variable PSEUDOCODE_EXEC_POOL_ENABLED=0"
    form.set(key, True)  # ignored: the environment decides
    form.set("execution.process_pool_task_timeout_ms", "2500")
    config, written = form.save()
    assert config.execution.process_pool_enabled is False
    text = Path(written).read_text(encoding="utf-8")
    assert "process_pool_enabled" not in text
    assert "process_pool_task_timeout_ms: 2500" in text
    assert "process_pool_retry_limit: 3" in text and "colour: blue" in text  # kept


def test_a_malformed_file_is_reported_with_its_line_and_backed_up_on_save(tmp_path) -> None:
    broken = "execution:\n  process_pool_enabled: true\n  process_pool_target: [oops\n"
    path = write(tmp_path / "config.yaml", broken)
    form = form_for(path)
    problem = form.file_problem()
    assert problem is not None and problem.where.startswith(f"{path}:")
    assert int(problem.where.rsplit(":", 1)[1]) >= 3
    assert "not valid YAML" in problem.message
    assert form.raw["execution.process_pool_enabled"] is False  # the defaults are shown
    form.set("editor.font_size", "14")
    form.save()
    backups = list(tmp_path.glob("config.yaml.bak-*"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == broken
    assert form.last_backup == str(backups[0])  # ConfigManager.last_backup
    assert "font_size: 14" in path.read_text(encoding="utf-8")
    form.save()  # the file is valid now: no second backup, nothing to report
    assert form.last_backup == "" and len(list(tmp_path.glob("config.yaml.bak-*"))) == 1


def test_pool_rebuild_only_when_execution_or_telemetry_changed() -> None:
    old = TranslatorConfig()
    new = old.copy()
    new.translation.strict_mode = True
    new.editor.font_size = 20
    assert not pool_settings_changed(old, new)
    new.execution.process_pool_retry_limit = 2
    assert pool_settings_changed(old, new)
    assert pool_settings_changed(None, new)


def test_models_import_no_qt() -> None:
    code = ("import sys; import gui.model.perf_model, gui.model.pool_status, gui.model.settings_form, engine.folder_batch; "
            "print(any(m.startswith('PySide6.Qt') for m in sys.modules))")
    import subprocess

    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, cwd=Path(__file__).resolve().parents[3])
    assert run.stdout.strip() == "False", run.stderr
