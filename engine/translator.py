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
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from engine import MAX_SOURCE_CHARS  # noqa: F401 - re-exported (its old home)
from engine.config import PYTHON_STYLES
from engine.events import EventDispatcher, EventType, JobKind
from engine.execution.batch import BatchHooks, BatchScheduler
from engine.execution.batch import log_unexpected as _log_unexpected
from engine.pipeline import (
    Failure,
    ParsedDocument,
    ValidatedDocument,
    failure_of,
    parse_stage,
    run_document,
    translate_text,
    validate_stage,
    without_cyclic_gc,
)
from engine.result import MAX_DIAGNOSTICS, TranslationResult
from engine.telemetry import TelemetryRecorder

if TYPE_CHECKING:
    from engine.execution.process_pool import ParseValidateExecutor

# Re-exported: the public names that lived here (engine.result, engine.pipeline now).
__all__ = ["MAX_DIAGNOSTICS", "MAX_SOURCE_CHARS", "TranslationManager", "TranslationResult",
           "translate_text"]

log = logging.getLogger(__name__)

_translation_ids = itertools.count(1)


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
        self._exec_pool: ParseValidateExecutor | None = None  # created on first use
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
    def _ensure_exec_pool(self) -> ParseValidateExecutor | None:
        """The executor when the pool is enabled (created, not started), else None."""
        if not self._pool_wanted():
            return None
        execution = self.config.execution
        with self._pool_lock:
            if self._exec_pool is None and not self._closed:
                try:
                    # Here, not at the top: a translation without the pool never loads
                    # multiprocessing (start-up time, tests/engine/test_lazy_imports.py).
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
        if pool is not None and pool.offloads(JobKind.PARSE):
            try:
                # Validation in the pool too: the tree can stay in the worker.
                return pool.submit_parse(text, keep_tree=pool.offloads(JobKind.VALIDATE)).result()
            except Exception as error:
                _log_unexpected(error)
        return parse_stage(text)

    def _maybe_offload_validate(self, parsed: ParsedDocument) -> ValidatedDocument:
        """Validate in the pool when it is enabled and targets validation; else here."""
        pool = self._ensure_exec_pool()
        if pool is not None and pool.offloads(JobKind.VALIDATE):
            try:
                return pool.submit_validate(parsed, self.strict, parsed.source_chars,
                                            plain=self._plain).result()
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
            result, error = run_document(text, self._maybe_offload_parse,
                                         self._maybe_offload_validate, plain=self._plain)
        self._announce(ident, result, failure_of(error))
        return result

    def check(self, text: str) -> TranslationResult:
        """Parse and validate only: the diagnostics, no Python (``success``: no error).

        What ``pseudocode-translator check`` needs; the code generator is not even loaded."""
        ident = next(_translation_ids)
        self._emit(EventType.TRANSLATION_STARTED, id=ident, size_chars=len(text))
        with without_cyclic_gc():
            result, error = run_document(text, self._maybe_offload_parse,
                                         self._maybe_offload_validate, generate=False)
        self._announce(ident, result, failure_of(error))
        return result

    def _emit(self, type: EventType, **data: Any) -> None:
        self.events.emit(type, data)

    def _announce(self, ident: int, result: TranslationResult,
                  failure: Failure | None) -> None:
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
        as jobs (small ones grouped, see ``engine.execution.batch``), a few per worker
        at a time, and documents the pool must not take run here meanwhile.
        ``progress(done, total)`` is called on this thread after each document.
        When ``cancel`` is set, no new document is started; the ones already in
        the workers finish, and every document not translated gets a result with
        ``cancelled`` set (and no code).
        """
        hooks = BatchHooks(strict=self.strict, plain=self._plain,
                           new_id=lambda: next(_translation_ids), emit=self._emit,
                           announce=self._announce, offload_parse=self._maybe_offload_parse,
                           offload_validate=self._maybe_offload_validate,
                           count=self.telemetry.incr)
        scheduler = BatchScheduler(list(texts), hooks, progress, cancel)
        return scheduler.run(self._ensure_exec_pool())
