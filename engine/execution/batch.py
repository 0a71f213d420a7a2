"""The batch scheduler: one ``translate_many`` call, keeping every pool worker busy.

Documents go to the pool as jobs (small ones grouped, see ``BATCH_JOB_CHARS``),
a few per worker at a time; the ones the pool must not take run here
meanwhile, and whatever the pool cannot do ends in the in-process stages, so
the results equal ``translate`` one by one. The scheduler knows the pool only
through the small ``Pool`` protocol, and the manager only through
``BatchHooks`` (its settings and callbacks): it never reaches into either.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from engine.events import EventType, FallbackReason, JobKind
from engine.execution.tasks import OffloadFallback
from engine.pipeline import (
    Failure,
    ParsedDocument,
    ValidatedDocument,
    failure_of,
    parse_stage,
    run_document,
    validate_stage,
)
from engine.result import TranslationResult

log = logging.getLogger(__name__)

# Consecutive small documents are grouped into one pool job of about this many
# characters, so tiny files do not pay one round trip each. Two medium documents
# (~11,500 characters, 360 lines) per job: each job costs the parent about 0.2 ms of
# CPU (thread wake-ups, events), measured 0.70 -> 0.49 ms per document against 8,000.
BATCH_JOB_CHARS = 16000


class Handle(Hashable, Protocol):
    """A submitted pool job, as the scheduler sees it."""

    @property
    def kind(self) -> JobKind: ...

    def step(self, timeout: float | None = None) -> bool: ...

    def result(self) -> Any: ...


class Pool(Protocol):
    """What the scheduler needs of a pool (engine.execution.process_pool gives it)."""

    @property
    def job_max_chars(self) -> int: ...

    @property
    def max_workers(self) -> int: ...

    @property
    def target(self) -> str: ...

    def submit_batch(self, kind: JobKind, items: Sequence[tuple[Any, ...]], size_chars: int,
                     *, whole_pipeline: bool = False) -> Handle: ...

    def wait_any(self, handles: Iterable[Handle], timeout: float | None = None
                 ) -> list[Handle]: ...


@dataclass(frozen=True)
class BatchHooks:
    """The manager's side of a batch: its settings and what it does with each result."""

    strict: bool
    plain: bool
    new_id: Callable[[], int]                     # a translation id for the events
    emit: Callable[..., None]                     # emit(EventType, **data)
    announce: Callable[[int, TranslationResult, Failure | None], None]
    offload_parse: Callable[[str], ParsedDocument]   # the per-stage pool route ...
    offload_validate: Callable[[ParsedDocument], ValidatedDocument]  # ... as translate()
    count: Callable[[str], None]                  # a telemetry counter


class BatchScheduler:
    """One ``translate_many`` call: the documents, their results and the progress."""

    def __init__(self, texts: list[str], hooks: BatchHooks,
                 progress: Callable[[int, int], object] | None,
                 cancel: threading.Event | None = None) -> None:
        self.hooks = hooks
        self.texts = texts
        self.progress = progress
        self.cancel = cancel
        self.strict = hooks.strict
        self.plain = hooks.plain
        self.results: list[TranslationResult | None] = [None] * len(texts)
        self.handles: dict[Handle, list[int]] = {}
        self.parsed_here: dict[int, tuple[ParsedDocument, float]] = {}
        self.ids = [hooks.new_id() for _ in texts]
        self.done = 0
        for ident, text in zip(self.ids, texts, strict=True):
            hooks.emit(EventType.TRANSLATION_STARTED, id=ident, size_chars=len(text))

    def run(self, pool: Pool | None) -> list[TranslationResult]:
        """Every document, through ``pool`` when there is one; results in order."""
        if pool is None:
            for index in range(len(self.texts)):
                if self.cancelled():
                    break
                self.run_here(index)
        else:
            self.run_pooled(pool)
        return self.finished()

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def finished(self) -> list[TranslationResult]:
        results: list[TranslationResult] = []
        for index, result in enumerate(self.results):
            if result is None:  # never started: the batch was cancelled
                result = TranslationResult(False, "", [], cancelled=True)
                self.hooks.emit(EventType.TRANSLATION_FAILED, id=self.ids[index],
                                error="cancelled", error_type="Cancelled")
            results.append(result)
        return results

    def _validate_here(self, parsed: ParsedDocument) -> ValidatedDocument:
        return validate_stage(parsed, self.strict)

    def set(self, index: int, result: TranslationResult, failure: Failure | None) -> None:
        self.results[index] = result
        self.hooks.announce(self.ids[index], result, failure)
        self.done += 1
        if self.progress is not None:
            try:
                self.progress(self.done, len(self.texts))
            except Exception:
                log.exception("progress callback failed")

    def run_here(self, index: int, pooled_stages: bool = False) -> None:
        """One document in-process (``pooled_stages``: through the per-stage offload)."""
        if pooled_stages:
            result, error = run_document(self.texts[index], self.hooks.offload_parse,
                                         self.hooks.offload_validate, plain=self.plain)
        else:
            result, error = run_document(self.texts[index], parse_stage, self._validate_here,
                                         plain=self.plain)
        self.set(index, result, failure_of(error))

    def run_pooled(self, pool: Pool) -> None:
        from engine import MAX_SOURCE_CHARS

        cap = min(pool.job_max_chars, MAX_SOURCE_CHARS)
        here = [i for i, t in enumerate(self.texts) if len(t) > cap]
        offload = [i for i, t in enumerate(self.texts) if len(t) <= cap]
        target = group_target(sum(len(self.texts[i]) for i in offload), pool.max_workers)
        group: list[int] = []
        size = 0
        in_flight = max(2, 2 * pool.max_workers)  # enough to keep every worker busy
        for index in offload:
            if self.cancelled():
                group = []
                break
            while len(self.handles) >= in_flight:
                self._collect(pool.wait_any(list(self.handles)))
            if pool.target == "validate_only":
                # Parsing is not targeted: it runs here, and each full group of
                # parsed documents goes to the workers at once.
                if not self._parse_here(index):
                    continue
                self._collect(pool.wait_any(list(self.handles), timeout=0))
            group.append(index)
            size += len(self.texts[index])
            if size >= target:
                self._submit(pool, group)
                group, size = [], 0
        if group:
            self._submit(pool, group)
        # Too large for the pool: here (with the FALLBACK events translate() sends),
        # while the workers are busy with the rest.
        for index in here:
            if self.cancelled():
                break
            self.run_here(index, pooled_stages=True)
            self._collect(pool.wait_any(list(self.handles), timeout=0))
        while self.handles:
            self._collect(pool.wait_any(list(self.handles)))

    def _parse_here(self, index: int) -> bool:
        start = time.perf_counter()
        try:
            parsed = parse_stage(self.texts[index])
        except Exception:  # fails again in the pipeline, which reports it as E900
            self.run_here(index)
            return False
        self.parsed_here[index] = (parsed, (time.perf_counter() - start) * 1000)
        return True

    def _submit(self, pool: Pool, group: list[int]) -> None:
        """Send one group as a pool job; if the pool refuses, do it here."""
        size = sum(len(self.texts[i]) for i in group)
        try:
            if pool.target == "parse_validate":
                handle = pool.submit_batch(JobKind.PARSE_VALIDATE,
                                           [(self.texts[i], self.strict, self.plain)
                                            for i in group], size,
                                           whole_pipeline=True)
            elif pool.target == "parse_only":
                handle = pool.submit_batch(JobKind.PARSE, [(self.texts[i],) for i in group], size)
            else:
                handle = pool.submit_batch(
                    JobKind.VALIDATE, [(self.parsed_here[i][0], self.strict) for i in group], size)
        except Exception as error:  # OffloadFallback: the pool is shut down or unavailable
            log_unexpected(error)
            for index in group:
                self._finish_here(index)
            return
        self.handles[handle] = list(group)

    def _collect(self, ready: list[Handle]) -> None:
        """Take in the jobs that finished; a failed attempt is retried, a fallback runs here."""
        for handle in ready:
            try:
                if not handle.step():
                    continue  # retried: still pending
                outcomes = handle.result()
            except Exception as error:  # OffloadFallback: its event is already sent
                log_unexpected(error)
                outcomes = None
            group = self.handles.pop(handle)
            if outcomes is None or len(outcomes) != len(group):
                for index in group:
                    self._finish_here(index)
                continue
            for index, outcome in zip(group, outcomes, strict=True):
                if outcome[0] == "ok":
                    self._finish(index, handle.kind, outcome[1], outcome[2])
                else:  # this document failed in the worker: it runs here
                    self.hooks.count("exec_pool.fallback")
                    self.hooks.emit(EventType.EXEC_POOL_FALLBACK, kind=handle.kind,
                                    reason=FallbackReason.WORKER_ERROR)
                    self._finish_here(index)

    def _finish(self, index: int, kind: JobKind, value: Any, ms: float) -> None:
        text = self.texts[index]
        if kind == JobKind.PARSE_VALIDATE:
            result, failure = value
            self.set(index, result, failure)
            return
        if kind == JobKind.PARSE:
            result, error = run_document(text, lambda _text: value, self._validate_here,
                                         plain=self.plain)
            add_stage_time(result, "parse_ms", ms)
        else:
            parsed, parse_ms = self.parsed_here.pop(index)
            result, error = run_document(text, lambda _text: parsed, lambda _parsed: value,
                                         plain=self.plain)
            add_stage_time(result, "parse_ms", parse_ms)
            add_stage_time(result, "validate_ms", ms)
        self.set(index, result, failure_of(error))

    def _finish_here(self, index: int) -> None:
        """A document the pool could not do: its stages run in-process."""
        if index in self.parsed_here:
            parsed, parse_ms = self.parsed_here.pop(index)
            result, error = run_document(self.texts[index], lambda _text: parsed,
                                         self._validate_here, plain=self.plain)
            add_stage_time(result, "parse_ms", parse_ms)
            self.set(index, result, failure_of(error))
        else:
            self.run_here(index)


def group_target(total_chars: int, workers: int) -> int:
    """Characters per pool job: about BATCH_JOB_CHARS, but at least ~4 jobs per worker.

    Consecutive documents fill a job until it reaches this size, so tiny
    files share one round trip, a large document is a job of its own, and
    the workers still finish at about the same time.
    """
    return max(1, min(BATCH_JOB_CHARS, total_chars // max(1, 4 * workers)))


def add_stage_time(result: TranslationResult, key: str, ms: float) -> None:
    """Put a stage's time measured elsewhere (a worker, or earlier) into the timings."""
    if not result.timings:
        return
    result.timings["total_ms"] = result.timings.get("total_ms", 0.0) - \
        result.timings.get(key, 0.0) + ms
    result.timings[key] = ms


def log_unexpected(error: Exception) -> None:
    """Log a pool problem that is not the ordinary "do it here" (OffloadFallback)."""
    if not isinstance(error, OffloadFallback):
        # A bug in the pool must never reach the user: log it, run the stage here.
        log.error("process pool failed; running in-process", exc_info=error)
