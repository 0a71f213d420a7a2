"""gui.model.pool_status: the indicator's states (Off, Starting, Ready, Degraded, Unavailable) and one line per event."""

from __future__ import annotations

from gui_helpers import ev

from engine.events import EventType
from gui.model.pool_status import PoolState, PoolStatus, describe_event


def test_describe_event_is_one_line_per_type() -> None:
    for type_, data in ((EventType.EXEC_POOL_STARTED, {"max_workers": 2, "start_method": "spawn"}),
                        (EventType.EXEC_POOL_FALLBACK, {"kind": "parse", "reason": "timeout"}),
                        (EventType.TRANSLATION_FAILED, {"id": 1, "error": "x", "error_type": "E"})):
        text = describe_event(ev(type_, **data))
        assert "\n" not in text and text
    assert "2 workers, spawn" in describe_event(
        ev(EventType.EXEC_POOL_STARTED, max_workers=2, start_method="spawn"))


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
