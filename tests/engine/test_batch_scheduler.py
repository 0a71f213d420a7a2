"""The batch scheduler on its own: a fake pool (the Pool protocol) and recording hooks,
no manager and no processes (the real pool is tested in test_translate_many.py)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from engine.events import EventType, JobKind
from engine.execution.batch import BatchHooks, BatchScheduler
from engine.execution.jobs import worker_batch, worker_translate
from engine.pipeline import parse_stage, translate_text, validate_stage

TEXTS = ["DECLARE X : INTEGER\nX <- 1\nOUTPUT X\n", "OUTPUT 1 +\n",
         "FOR I <- 1 TO 3\n    OUTPUT I\nNEXT I\n", "OUTPUT \"a\" & \"b\"\n"]


class _Handle:
    def __init__(self, kind: str, outcomes: list[Any]) -> None:
        self.kind, self._outcomes = kind, outcomes

    def step(self, timeout: float | None = None) -> bool:
        return True

    def result(self) -> Any:
        return self._outcomes


class _FakePool:
    """Runs each job at once, in this process, as a worker would."""

    job_max_chars = 10_000
    max_workers = 2
    target = "parse_validate"

    def __init__(self) -> None:
        self.jobs: list[tuple[str, int]] = []

    def submit_batch(self, kind: str, items: Sequence[tuple[Any, ...]], size_chars: int,
                     *, whole_pipeline: bool = False) -> _Handle:
        assert kind == JobKind.PARSE_VALIDATE and whole_pipeline
        self.jobs.append((kind, len(items)))
        return _Handle(kind, worker_batch(worker_translate, items))

    def wait_any(self, handles: Iterable[_Handle], timeout: float | None = None
                 ) -> list[_Handle]:
        return list(handles)


def _hooks(events: list[tuple[EventType, dict[str, Any]]],
           announced: list[int]) -> BatchHooks:
    ids = itertools.count(1)
    return BatchHooks(
        strict=False, plain=False, new_id=lambda: next(ids),
        emit=lambda type, **data: events.append((type, data)),
        announce=lambda ident, result, failure: announced.append(ident),
        offload_parse=parse_stage, offload_validate=lambda p: validate_stage(p, False),
        count=lambda name: None)


def _same(result: Any) -> tuple[Any, ...]:
    return result.success, result.code, [d.to_dict() for d in result.diagnostics]


def test_a_batch_through_a_pool_gives_what_each_translation_gives() -> None:
    events: list[tuple[EventType, dict[str, Any]]] = []
    announced: list[int] = []
    pool = _FakePool()
    progress: list[tuple[int, int]] = []
    results = BatchScheduler(list(TEXTS), _hooks(events, announced),
                             lambda done, total: progress.append((done, total))).run(pool)
    assert [_same(r) for r in results] == [_same(translate_text(t)) for t in TEXTS]
    assert pool.jobs and sum(n for _kind, n in pool.jobs) == len(TEXTS)
    assert sorted(announced) == [1, 2, 3, 4]
    assert [t for t, _ in events] == [EventType.TRANSLATION_STARTED] * len(TEXTS)
    assert progress[-1] == (len(TEXTS), len(TEXTS))


def test_a_batch_without_a_pool_runs_here_and_a_cancelled_one_says_so() -> None:
    import threading

    events: list[tuple[EventType, dict[str, Any]]] = []
    announced: list[int] = []
    results = BatchScheduler(list(TEXTS), _hooks(events, announced), None).run(None)
    assert [_same(r) for r in results] == [_same(translate_text(t)) for t in TEXTS]
    cancel = threading.Event()
    cancel.set()
    events.clear()
    cancelled = BatchScheduler(list(TEXTS), _hooks(events, announced), None, cancel).run(None)
    assert all(r.cancelled and not r.code for r in cancelled)
    failed = [data for t, data in events if t is EventType.TRANSLATION_FAILED]
    assert [d["error_type"] for d in failed] == ["Cancelled"] * len(TEXTS)
