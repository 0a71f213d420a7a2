"""TranslationManager: the engine's API for the GUI, the CLI and the process pool.

``translate(text)`` runs parse -> validate -> generate and never raises: an
internal failure becomes diagnostic E900, so the user keeps working.

With ``execution.process_pool_enabled`` the parse and validate stages may run
in worker processes (docs/process_pool.md); whatever the pool does, the
result is the one the in-process stages give, because every pool problem
ends in running the stage here. ``translate_many(texts)`` keeps every worker
busy for batches. The manager sends events (``manager.events``) and counts
(``manager.telemetry``); call ``shutdown()``, or use it in a ``with`` block,
to stop the workers.
"""

from __future__ import annotations

import copy
import itertools
import logging
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from engine import MAX_SOURCE_CHARS
from engine.config import PYTHON_STYLES
from engine.events import EventDispatcher, EventType
from engine.language import diagnostics as diag
from engine.language.diagnostics import Diagnostic, Severity
from engine.pipeline import (
    ParsedDocument,
    ValidatedDocument,
    generate_stage,
    parse_stage,
    validate_stage,
    without_cyclic_gc,
)
from engine.telemetry import TelemetryRecorder

log = logging.getLogger(__name__)

MAX_DIAGNOSTICS = 1000

# translate_many groups consecutive small documents into one pool job of
# about this many characters, so tiny files do not pay one round trip each.
BATCH_JOB_CHARS = 8000

_translation_ids = itertools.count(1)


@dataclass
class TranslationResult:
    success: bool
    code: str
    diagnostics: list[Diagnostic]
    timings: dict[str, float] = field(default_factory=dict)
    line_map: dict[int, int] = field(default_factory=dict)
    cancelled: bool = False  # translate_many stopped before this document
    # The plain style (engine/codegen/plain), made when the manager's python_style is
    # "plain"; ``code`` is always the checked style, the one Run runs.
    plain_code: str = ""
    plain_line_map: dict[int, int] = field(default_factory=dict)
    plain_error: str = ""  # why there is no plain_code (a bug of ours); code still works

    def code_in(self, style: str) -> str:
        """The Python in ``style`` ("checked" or "plain"); the checked style when the
        plain one was not made."""
        return self.plain_code if style == "plain" and self.plain_code else self.code

    def line_map_in(self, style: str) -> dict[int, int]:
        return self.plain_line_map if style == "plain" and self.plain_code else self.line_map

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]


def _style_from(config: Any) -> str:
    translation = getattr(config, "translation", None)
    style = getattr(translation, "python_style", "checked")
    return style if style in PYTHON_STYLES else "checked"


def _strict_from(config: Any) -> bool:
    translation = getattr(config, "translation", None)
    if translation is not None and hasattr(translation, "strict_mode"):
        return bool(translation.strict_mode)
    return bool(getattr(config, "strict_mode", False))


class TranslationManager:
    """Translates pseudocode documents; one instance may serve many translations.

    Thread-safe: the GUI translates on worker threads while the batch window
    may run ``translate_many`` on another.
    """

    def __init__(self, config: Any = None, *, events: EventDispatcher | None = None,
                 telemetry: TelemetryRecorder | None = None) -> None:
        self.config = config
        self.force_strict = False  # the CLI's --strict, whatever the config says
        self.force_style: str | None = None  # the CLI's --style, whatever the config says
        self.events = events if events is not None else EventDispatcher()
        self.telemetry = telemetry if telemetry is not None \
            else TelemetryRecorder.from_config(config)
        self._exec_pool: Any = None  # ParseValidateExecutor, created on first use
        self._pool_lock = threading.Lock()
        self._closed = False

    @property
    def strict(self) -> bool:
        return self.force_strict or _strict_from(self.config)

    @property
    def python_style(self) -> str:
        """"checked" or "plain" (translation.python_style): with "plain", every result
        also has ``plain_code``."""
        return self.force_style or _style_from(self.config)

    @property
    def _plain(self) -> bool:
        return self.python_style == "plain"

    # -- the process pool (docs/process_pool.md) --
    def _ensure_exec_pool(self) -> Any:
        """The executor when the pool is enabled (created, not started), else None."""
        if not self._pool_wanted():
            return None
        execution = self.config.execution
        with self._pool_lock:
            if self._exec_pool is None and not self._closed:
                try:
                    from engine.execution.process_pool import ParseValidateExecutor

                    checked = copy.deepcopy(execution)
                    checked.validate()  # lenient: clamps or resets bad values in the copy
                    self._exec_pool = ParseValidateExecutor(
                        checked, events=self.events, telemetry=self.telemetry)
                except Exception:
                    log.exception("process pool unavailable; translating in-process")
                    self._closed = True
            return self._exec_pool

    def _pool_wanted(self) -> bool:
        enabled = getattr(getattr(self.config, "execution", None), "process_pool_enabled", False)
        return not self._closed and isinstance(enabled, int) and bool(enabled)

    def _maybe_offload_parse(self, text: str) -> ParsedDocument:
        """Parse in the pool when it is enabled and targets parsing; else (or on fallback) here."""
        pool = self._ensure_exec_pool()
        if pool is not None and pool.offloads("parse"):
            try:
                # Validation in the pool too: the tree can stay in the worker.
                return pool.submit_parse(text, keep_tree=pool.offloads("validate")).result()
            except Exception as error:
                _log_unexpected(error)
        return parse_stage(text)

    def _maybe_offload_validate(self, parsed: ParsedDocument) -> ValidatedDocument:
        """Validate in the pool when it is enabled and targets validation; else here."""
        pool = self._ensure_exec_pool()
        if pool is not None and pool.offloads("validate"):
            try:
                return pool.submit_validate(parsed, self.strict, parsed.source_chars).result()
            except Exception as error:
                _log_unexpected(error)
        return validate_stage(parsed, self.strict)

    def start_pool(self, wait_ready: float = 0.0) -> bool:
        """Start the workers now (e.g. when a batch window opens); False if the pool is off.

        ``wait_ready``: wait up to that many seconds for every worker to be ready
        (never from the GUI thread).
        """
        pool = self._ensure_exec_pool()
        if pool is None:
            return False
        try:
            pool.start()
        except Exception:
            log.exception("process pool could not start; translating in-process")
            return False
        if wait_ready > 0:
            pool.wait_ready(wait_ready)
        return pool.started

    def wait_ready(self, timeout: float) -> bool:
        """True once every worker of a started pool is ready (waits up to ``timeout`` s;
        never from the GUI thread). False when the pool is off or not started."""
        pool = self._exec_pool
        if pool is None or not pool.started:
            return False
        return pool.wait_ready(timeout)

    def pool_info(self) -> dict[str, Any]:
        """What the statistics panel and the benchmark show about the pool."""
        pool = self._exec_pool
        if pool is None:
            return {"enabled": self._pool_wanted(), "started": False,
                    "max_workers": 0, "start_method": None, "target": None, "pids": [],
                    "ready_workers": 0, "restarts": 0, "queued": 0, "unavailable": None}
        return {"enabled": True, "started": pool.started, "max_workers": pool.max_workers,
                "start_method": pool.start_method, "target": pool.target,
                "pids": pool.worker_pids(), "ready_workers": pool.ready_count(),
                "restarts": pool.restart_count, "queued": pool.queued(),
                "unavailable": pool.unavailable_reason}

    def shutdown(self, wait: bool = True) -> None:
        """Stop the workers; later translations run in-process. Safe to call twice."""
        with self._pool_lock:
            self._closed = True
            pool, self._exec_pool = self._exec_pool, None
        if pool is not None:
            pool.shutdown(wait=wait)

    def __enter__(self) -> TranslationManager:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    def __del__(self) -> None:
        pool = getattr(self, "_exec_pool", None)
        if pool is not None:
            try:
                pool.shutdown(wait=False)
            except Exception:
                pass

    # -- one document --
    def translate(self, text: str) -> TranslationResult:
        ident = next(_translation_ids)
        self._emit(EventType.TRANSLATION_STARTED, id=ident, size_chars=len(text))
        # One pause of the cyclic collector for the whole pipeline, not one per stage:
        # re-enabled between stages, it walks the whole young tree (50-90 ms on 5,000
        # lines, holding the GIL: the editor's window stalls). Afterwards the tree is
        # freed by reference counting and the next collection has little to walk.
        with without_cyclic_gc():
            result, error = _run_pipeline(text, self._maybe_offload_parse,
                                          self._maybe_offload_validate, plain=self._plain)
        self._announce(ident, result, _failure(error))
        return result

    def check(self, text: str) -> TranslationResult:
        """Parse and validate only: the diagnostics, no Python (``success``: no error).

        What ``pseudocode-translator check`` needs; the code generator is not even loaded."""
        ident = next(_translation_ids)
        self._emit(EventType.TRANSLATION_STARTED, id=ident, size_chars=len(text))
        with without_cyclic_gc():
            result, error = _run_pipeline(text, self._maybe_offload_parse,
                                          self._maybe_offload_validate, generate=False)
        self._announce(ident, result, _failure(error))
        return result

    def _emit(self, type: EventType, **data: Any) -> None:
        self.events.emit(type, data)

    def _announce(self, ident: int, result: TranslationResult,
                  failure: tuple[str, str] | None) -> None:
        if failure is not None:
            self._emit(EventType.TRANSLATION_FAILED, id=ident, error=failure[1],
                       error_type=failure[0])
        else:
            self._emit(EventType.TRANSLATION_COMPLETED, id=ident, success=result.success,
                       error_count=len(result.errors), warning_count=len(result.warnings),
                       timings=dict(result.timings))

    # -- many documents --
    def translate_many(self, texts: Iterable[str], *,
                       progress: Callable[[int, int], object] | None = None,
                       cancel: threading.Event | None = None) -> list[TranslationResult]:
        """Translate every text; results in the same order, equal to ``translate`` one by one.

        With the pool enabled, every worker is kept busy: documents are sent
        as jobs (small ones grouped, see ``BATCH_JOB_CHARS``), a few per worker
        at a time, and documents the pool must not take run here meanwhile.
        ``progress(done, total)`` is called on this thread after each document.
        When ``cancel`` is set, no new document is started; the ones already in
        the workers finish, and every document not translated gets a result with
        ``cancelled`` set (and no code).
        """
        batch = _Batch(self, list(texts), progress, cancel)
        pool = self._ensure_exec_pool()
        if pool is None:
            for index in range(len(batch.texts)):
                if batch.cancelled():
                    break
                batch.run_here(index)
        else:
            batch.run_pooled(pool)
        return batch.finished()


class _Batch:
    """One ``translate_many`` call: the documents, their results and the progress."""

    def __init__(self, manager: TranslationManager, texts: list[str],
                 progress: Callable[[int, int], object] | None,
                 cancel: threading.Event | None = None) -> None:
        self.manager = manager
        self.texts = texts
        self.progress = progress
        self.cancel = cancel
        self.strict = manager.strict
        self.plain = manager._plain
        self.results: list[TranslationResult | None] = [None] * len(texts)
        self.handles: dict[Any, list[int]] = {}
        self.parsed_here: dict[int, tuple[ParsedDocument, float]] = {}
        self.ids = [next(_translation_ids) for _ in texts]
        self.done = 0
        for ident, text in zip(self.ids, texts, strict=True):
            manager._emit(EventType.TRANSLATION_STARTED, id=ident, size_chars=len(text))

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def finished(self) -> list[TranslationResult]:
        results: list[TranslationResult] = []
        for index, result in enumerate(self.results):
            if result is None:  # never started: the batch was cancelled
                result = TranslationResult(False, "", [], cancelled=True)
                self.manager._emit(EventType.TRANSLATION_FAILED, id=self.ids[index],
                                   error="cancelled", error_type="Cancelled")
            results.append(result)
        return results

    def _validate_here(self, parsed: ParsedDocument) -> ValidatedDocument:
        return validate_stage(parsed, self.strict)

    def set(self, index: int, result: TranslationResult,
            failure: tuple[str, str] | None) -> None:
        self.results[index] = result
        self.manager._announce(self.ids[index], result, failure)
        self.done += 1
        if self.progress is not None:
            try:
                self.progress(self.done, len(self.texts))
            except Exception:
                log.exception("progress callback failed")

    def run_here(self, index: int, pooled_stages: bool = False) -> None:
        """One document in-process (``pooled_stages``: through the per-stage offload)."""
        if pooled_stages:
            result, error = _run_pipeline(self.texts[index], self.manager._maybe_offload_parse,
                                          self.manager._maybe_offload_validate,
                                          plain=self.plain)
        else:
            result, error = _run_pipeline(self.texts[index], parse_stage, self._validate_here,
                                          plain=self.plain)
        self.set(index, result, _failure(error))

    def run_pooled(self, pool: Any) -> None:
        from engine.execution.process_pool import wait_any

        cap = min(pool.job_max_chars, MAX_SOURCE_CHARS)
        here = [i for i, t in enumerate(self.texts) if len(t) > cap]
        offload = [i for i, t in enumerate(self.texts) if len(t) <= cap]
        target = _group_target(sum(len(self.texts[i]) for i in offload), pool.max_workers)
        group: list[int] = []
        size = 0
        in_flight = max(2, 2 * pool.max_workers)  # enough to keep every worker busy
        for index in offload:
            if self.cancelled():
                group = []
                break
            while len(self.handles) >= in_flight:
                self._collect(wait_any(list(self.handles)))
            if pool.target == "validate_only":
                # Parsing is not targeted: it runs here, and each full group of
                # parsed documents goes to the workers at once.
                if not self._parse_here(index):
                    continue
                self._collect(wait_any(list(self.handles), timeout=0))
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
            self._collect(wait_any(list(self.handles), timeout=0))
        while self.handles:
            self._collect(wait_any(list(self.handles)))

    def _parse_here(self, index: int) -> bool:
        start = time.perf_counter()
        try:
            parsed = parse_stage(self.texts[index])
        except Exception:  # fails again in the pipeline, which reports it as E900
            self.run_here(index)
            return False
        self.parsed_here[index] = (parsed, (time.perf_counter() - start) * 1000)
        return True

    def _submit(self, pool: Any, group: list[int]) -> None:
        """Send one group as a pool job; if the pool refuses, do it here."""
        from engine.execution.process_pool import PARSE, PARSE_VALIDATE, VALIDATE

        size = sum(len(self.texts[i]) for i in group)
        try:
            if pool.target == "parse_validate":
                handle = pool.submit_batch(PARSE_VALIDATE,
                                           [(self.texts[i], self.strict, self.plain)
                                            for i in group], size,
                                           whole_pipeline=True)
            elif pool.target == "parse_only":
                handle = pool.submit_batch(PARSE, [(self.texts[i],) for i in group], size)
            else:
                handle = pool.submit_batch(
                    VALIDATE, [(self.parsed_here[i][0], self.strict) for i in group], size)
        except Exception as error:  # OffloadFallback: the pool is shut down or unavailable
            _log_unexpected(error)
            for index in group:
                self._finish_here(index)
            return
        self.handles[handle] = list(group)

    def _collect(self, ready: list[Any]) -> None:
        """Take in the jobs that finished; a failed attempt is retried, a fallback runs here."""
        for handle in ready:
            try:
                if not handle.step():
                    continue  # retried: still pending
                outcomes = handle.result()
            except Exception as error:  # OffloadFallback: its event is already sent
                _log_unexpected(error)
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
                    self.manager.telemetry.incr("exec_pool.fallback")
                    self.manager._emit(EventType.EXEC_POOL_FALLBACK, kind=handle.kind,
                                       reason="worker_error")
                    self._finish_here(index)

    def _finish(self, index: int, kind: str, value: Any, ms: float) -> None:
        text = self.texts[index]
        if kind == "parse_validate":
            result, failure = value
            self.set(index, result, failure)
            return
        if kind == "parse":
            result, error = _run_pipeline(text, lambda _text: value, self._validate_here,
                                          plain=self.plain)
            _add_stage_time(result, "parse_ms", ms)
        else:
            parsed, parse_ms = self.parsed_here.pop(index)
            result, error = _run_pipeline(text, lambda _text: parsed, lambda _parsed: value,
                                          plain=self.plain)
            _add_stage_time(result, "parse_ms", parse_ms)
            _add_stage_time(result, "validate_ms", ms)
        self.set(index, result, _failure(error))

    def _finish_here(self, index: int) -> None:
        """A document the pool could not do: its stages run in-process."""
        if index in self.parsed_here:
            parsed, parse_ms = self.parsed_here.pop(index)
            result, error = _run_pipeline(self.texts[index], lambda _text: parsed,
                                          self._validate_here, plain=self.plain)
            _add_stage_time(result, "parse_ms", parse_ms)
            self.set(index, result, _failure(error))
        else:
            self.run_here(index)


def _group_target(total_chars: int, workers: int) -> int:
    """Characters per pool job: about BATCH_JOB_CHARS, but at least ~4 jobs per worker.

    Consecutive documents fill a job until it reaches this size, so tiny
    files share one round trip, a large document is a job of its own, and
    the workers still finish at about the same time.
    """
    return max(1, min(BATCH_JOB_CHARS, total_chars // max(1, 4 * workers)))


def _add_stage_time(result: TranslationResult, key: str, ms: float) -> None:
    """Put a stage's time measured elsewhere (a worker, or earlier) into the timings."""
    if not result.timings:
        return
    result.timings["total_ms"] = result.timings.get("total_ms", 0.0) - \
        result.timings.get(key, 0.0) + ms
    result.timings[key] = ms


def _log_unexpected(error: Exception) -> None:
    from engine.execution.process_pool import OffloadFallback

    if not isinstance(error, OffloadFallback):
        # A bug in the pool must never reach the user: log it, run the stage here.
        log.error("process pool failed; running in-process", exc_info=error)


def _failure(error: Exception | None) -> tuple[str, str] | None:
    if error is None:
        return None
    return type(error).__name__, (str(error).splitlines() or [""])[0][:200]


def _run_pipeline(text: str, parse: Callable[[str], ParsedDocument],
                  validate: Callable[[ParsedDocument], ValidatedDocument], *,
                  plain: bool = False, generate: bool = True
                  ) -> tuple[TranslationResult, Exception | None]:
    """parse -> validate -> generate (both styles with ``plain``; none without
    ``generate``); the exception, if the engine failed, comes back too."""
    start = time.perf_counter()
    timings = {"parse_ms": 0.0, "validate_ms": 0.0, "generate_ms": 0.0, "total_ms": 0.0}
    if len(text) > MAX_SOURCE_CHARS:
        problem = diag.make("E152", f"The program is too large to translate "
                                    f"({len(text):,} characters; the limit is "
                                    f"{MAX_SOURCE_CHARS:,})", 1, 1,
                            hint="Split it into smaller files.")
        return TranslationResult(False, "", [problem], timings), None
    try:
        parsed = parse(text)
        after_parse = time.perf_counter()
        timings["parse_ms"] = (after_parse - start) * 1000
        validated = validate(parsed)
        after_validate = time.perf_counter()
        timings["validate_ms"] = (after_validate - after_parse) * 1000
        problems = _cap(validated.diagnostics)
        if validated.has_errors or not generate:
            timings["total_ms"] = (time.perf_counter() - start) * 1000
            return TranslationResult(not validated.has_errors, "", problems, timings), None
        generated = generate_stage(validated)
        result = TranslationResult(True, generated.code, problems, timings, generated.line_map)
        if plain:
            try:
                styled = generate_stage(validated, "plain")
                result.plain_code, result.plain_line_map = styled.code, styled.line_map
            except Exception as error:  # noqa: BLE001 - the checked style still works
                log.exception("the plain style failed")
                result.plain_error = _internal_error(error).message
        timings["generate_ms"] = (time.perf_counter() - after_validate) * 1000
        timings["total_ms"] = (time.perf_counter() - start) * 1000
        return result, None
    except Exception as error:  # noqa: BLE001 - the editor must survive any bug of ours
        return TranslationResult(False, "", [_internal_error(error)], timings), error


def translate_text(text: str, strict: bool = False, plain: bool = False) -> TranslationResult:
    """One translation in this process, without a manager, events or pool."""
    return _run_pipeline(text, parse_stage, lambda parsed: validate_stage(parsed, strict),
                         plain=plain)[0]


def translate_in_worker(text: str, strict: bool = False, plain: bool = False
                        ) -> tuple[TranslationResult, tuple[str, str] | None]:
    """What a pool worker runs for a batch document (see ``worker_translate``)."""
    result, error = _run_pipeline(text, parse_stage,
                                  lambda parsed: validate_stage(parsed, strict), plain=plain)
    return result, _failure(error)


def _cap(problems: list[Diagnostic]) -> list[Diagnostic]:
    if len(problems) <= MAX_DIAGNOSTICS:
        return problems
    extra = len(problems) - MAX_DIAGNOSTICS
    last = problems[MAX_DIAGNOSTICS - 1]
    note = diag.make("I901", f"{extra} more problems are not shown", last.line, 1,
                     hint="Fix the problems above first.")
    return problems[:MAX_DIAGNOSTICS] + [note]


def _internal_error(error: Exception) -> Diagnostic:
    where = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    detail = f" ({type(error).__name__} in {where.name})" if where else ""
    return diag.make("E900", f"The translator failed on this program{detail}", 1, 1,
                     hint="This is a bug in Pseudocode Translator, not in your program. "
                          "Please report it with the program that caused it.")
