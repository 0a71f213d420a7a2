"""Event dispatcher: subscribe/unsubscribe, filtering, thread safety, failing handlers."""

from __future__ import annotations

import json
import logging
import pickle
import threading

from engine.events import PAYLOAD_KEYS, Event, EventDispatcher, EventRecorder, EventType


def test_the_five_pool_events_and_their_exact_keys():
    assert PAYLOAD_KEYS[EventType.EXEC_POOL_STARTED] == {"max_workers", "start_method"}
    assert PAYLOAD_KEYS[EventType.EXEC_POOL_TASK_SUBMITTED] == {"kind", "size_chars"}
    assert PAYLOAD_KEYS[EventType.EXEC_POOL_TASK_COMPLETED] == {"kind", "duration_ms"}
    assert PAYLOAD_KEYS[EventType.EXEC_POOL_TIMEOUT] == {"kind", "timeout_ms", "attempt"}
    assert PAYLOAD_KEYS[EventType.EXEC_POOL_FALLBACK] == {"kind", "reason"}
    assert {t.name for t in EventType if t.name.startswith("EXEC_POOL_")} == {
        "EXEC_POOL_STARTED", "EXEC_POOL_TASK_SUBMITTED", "EXEC_POOL_TASK_COMPLETED",
        "EXEC_POOL_TIMEOUT", "EXEC_POOL_FALLBACK"}
    assert set(PAYLOAD_KEYS) == set(EventType)


def test_subscribe_receives_and_unsubscribe_stops():
    events = EventDispatcher()
    got: list[Event] = []
    events.subscribe(got.append)
    events.emit(EventType.EXEC_POOL_FALLBACK, {"kind": "parse", "reason": "job_too_large"})
    assert got[0].type is EventType.EXEC_POOL_FALLBACK
    assert dict(got[0].data) == {"kind": "parse", "reason": "job_too_large"}
    assert got[0].timestamp > 0
    assert events.unsubscribe(got.append) is True
    events.emit(EventType.EXEC_POOL_FALLBACK, {"kind": "parse", "reason": "x"})
    assert len(got) == 1
    assert events.unsubscribe(got.append) is False


def test_subscription_cancel_and_context_manager():
    events = EventDispatcher()
    recorder = EventRecorder()
    with events.subscribe(recorder):
        events.emit(EventType.TRANSLATION_STARTED, {"id": 1, "size_chars": 3})
    events.emit(EventType.TRANSLATION_STARTED, {"id": 2, "size_chars": 3})
    assert len(recorder.events) == 1
    assert events.handler_count() == 0


def test_filter_by_type():
    events = EventDispatcher()
    recorder = EventRecorder()
    events.subscribe(recorder, EventType.EXEC_POOL_TIMEOUT)
    events.emit(EventType.EXEC_POOL_FALLBACK, {"kind": "parse", "reason": "timeout"})
    events.emit(EventType.EXEC_POOL_TIMEOUT, {"kind": "parse", "timeout_ms": 5, "attempt": 1})
    assert recorder.types() == [EventType.EXEC_POOL_TIMEOUT]
    both = EventRecorder()
    events.subscribe(both, [EventType.EXEC_POOL_TIMEOUT, EventType.EXEC_POOL_FALLBACK])
    events.emit(EventType.EXEC_POOL_FALLBACK, {"kind": "parse", "reason": "timeout"})
    assert both.types() == [EventType.EXEC_POOL_FALLBACK]


def test_a_failing_handler_is_logged_and_others_still_run(caplog):
    events = EventDispatcher()
    recorder = EventRecorder()

    def broken(event: Event) -> None:
        raise RuntimeError("boom")

    events.subscribe(broken)
    events.subscribe(recorder)
    with caplog.at_level(logging.ERROR, logger="engine.events"):
        events.emit(EventType.TRANSLATION_FAILED, {"id": 1, "error": "x", "error_type": "E"})
    assert len(recorder.events) == 1
    assert "boom" in caplog.text


def test_wrong_payload_keys_are_logged_not_raised(caplog):
    events = EventDispatcher()
    with caplog.at_level(logging.ERROR, logger="engine.events"):
        events.emit(EventType.EXEC_POOL_FALLBACK, {"kind": "parse"})
    assert "expected" in caplog.text


def test_handlers_may_unsubscribe_themselves_while_dispatching():
    events = EventDispatcher()
    calls = []

    def once(event: Event) -> None:
        calls.append(event)
        sub.cancel()

    sub = events.subscribe(once)
    events.emit(EventType.TRANSLATION_STARTED, {"id": 1, "size_chars": 0})
    events.emit(EventType.TRANSLATION_STARTED, {"id": 2, "size_chars": 0})
    assert len(calls) == 1


def test_thread_safe_emit_and_subscribe():
    events = EventDispatcher()
    recorder = EventRecorder()
    events.subscribe(recorder)
    barrier = threading.Barrier(8)

    def work(n: int) -> None:
        barrier.wait()
        for i in range(200):
            sub = events.subscribe(lambda e: None)
            events.emit(EventType.TRANSLATION_STARTED, {"id": n * 1000 + i, "size_chars": i})
            sub.cancel()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(recorder.events) == 8 * 200
    assert events.handler_count() == 1


# --------------------------------------------------------------------------
# The translation manager's lifecycle events


def test_translation_lifecycle_events():
    from engine.translator import TranslationManager

    manager = TranslationManager()
    recorder = EventRecorder()
    manager.events.subscribe(recorder)
    manager.translate('OUTPUT "hi"\n')
    manager.translate("IF TRUE THEN\n")
    started, completed, started2, completed2 = recorder.events
    assert [e.type for e in recorder.events] == [
        EventType.TRANSLATION_STARTED, EventType.TRANSLATION_COMPLETED,
        EventType.TRANSLATION_STARTED, EventType.TRANSLATION_COMPLETED]
    for event in recorder.events:
        assert set(event.data) == PAYLOAD_KEYS[event.type]
    assert started.data["id"] == completed.data["id"] != started2.data["id"]
    assert started.data["size_chars"] == len('OUTPUT "hi"\n')
    assert completed.data["success"] is True and completed.data["error_count"] == 0
    assert set(completed.data["timings"]) == {"parse_ms", "validate_ms", "generate_ms",
                                              "total_ms"}
    assert completed2.data["success"] is False and completed2.data["error_count"] == 1


def test_translation_failed_event_when_the_engine_breaks(monkeypatch):
    import engine.translator as translator

    def broken(text: str):
        raise ZeroDivisionError("oops\nsecond line")

    monkeypatch.setattr(translator, "parse_stage", broken)
    manager = translator.TranslationManager()
    recorder = EventRecorder()
    manager.events.subscribe(recorder)
    result = manager.translate("OUTPUT 1\n")
    assert result.success is False and result.diagnostics[0].code == "E900"
    assert recorder.types() == [EventType.TRANSLATION_STARTED, EventType.TRANSLATION_FAILED]
    failed = recorder.events[1].data
    assert dict(failed) == {"id": recorder.events[0].data["id"], "error": "oops",
                            "error_type": "ZeroDivisionError"}


def test_a_failing_handler_never_breaks_a_translation():
    from engine.translator import TranslationManager

    manager = TranslationManager()

    def broken(event: Event) -> None:
        raise RuntimeError("handler bug")

    manager.events.subscribe(broken)
    result = manager.translate('OUTPUT "still fine"\n')
    assert result.success and "still fine" in result.code
    assert manager.translate_many(['OUTPUT "a"\n', 'OUTPUT "b"\n'])[1].success


def test_translate_many_without_pool_matches_translate_and_reports_progress():
    from engine.translator import TranslationManager

    texts = ['OUTPUT "a"\n', "IF TRUE THEN\n", 'DECLARE X : INTEGER\nX <- 2\nOUTPUT X\n']
    manager = TranslationManager()
    recorder = EventRecorder()
    manager.events.subscribe(recorder)
    seen = []
    results = manager.translate_many(texts, progress=lambda done, total: seen.append((done,
                                                                                       total)))
    one_by_one = [manager.translate(t) for t in texts]
    assert [(r.success, r.code, r.diagnostics) for r in results] == \
        [(r.success, r.code, r.diagnostics) for r in one_by_one]
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert recorder.types()[:6] == [EventType.TRANSLATION_STARTED] * 3 + \
        [EventType.TRANSLATION_COMPLETED] * 3


def test_job_kinds_and_fallback_reasons_are_the_specified_strings():
    from engine.events import EVENT_REASONS, FallbackReason, JobKind

    assert [str(k) for k in JobKind] == ["parse", "validate", "parse_validate"]
    assert [str(r) for r in EVENT_REASONS] == [
        "job_too_large", "timeout", "worker_crashed", "worker_error", "pool_unavailable",
        "shutdown"]
    assert FallbackReason.NOT_TARGETED not in EVENT_REASONS
    assert FallbackReason("timeout") is FallbackReason.TIMEOUT
    assert json.dumps({"kind": JobKind.PARSE, "reason": FallbackReason.SHUTDOWN}) == \
        '{"kind": "parse", "reason": "shutdown"}'


def test_each_fallback_reason_says_why_and_whether_the_pool_is_degraded():
    from engine.events import FallbackReason

    degrading = {str(r) for r in FallbackReason if r.degrades_pool}
    assert degrading == {"timeout", "worker_crashed", "worker_error", "pool_unavailable"}
    assert all(r.text and r.text != str(r) for r in FallbackReason)
    assert FallbackReason.JOB_TOO_LARGE.text == \
        "the document is longer than process_pool_job_max_chars"
    assert pickle.loads(pickle.dumps(FallbackReason.WORKER_ERROR)) is FallbackReason.WORKER_ERROR
