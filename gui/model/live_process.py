"""Live translations of big documents in a helper process (Qt-free).

A translation thread in the window's own process shares the GIL with the GUI
thread: on a 5,000-line document each translation takes most of a second of
pure Python, and on a loaded machine the GUI thread then waits tens of
milliseconds at a time to get the interpreter back (visible stalls while
typing). One helper process (``spawn``) translates such documents instead; the
window's translation thread only waits for its answer (a few hundred KB of
Python text and diagnostics), holding nothing the GUI thread needs.

Until the helper has started, after any failure of it (it died, it timed out,
a result could not be pickled), and for small documents, the caller translates
in-process as before: ``translate`` returns None then. Nothing is ever lost.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

log = logging.getLogger(__name__)

# Documents at least this long are translated in the helper (smaller ones take a few ms).
MIN_CHARS = 20_000
# Longer than this for one answer: the helper is given up and the text translated here.
ANSWER_TIMEOUT_S = 60.0

# -- in the helper process ------------------------------------------------------------
_child_manager: Any = None
_child_config: Any = None


def _warm_up() -> bool:
    """The helper's first job: import the engine (so the first real job is fast)."""
    import engine.codegen.generator  # noqa: F401
    import engine.translator  # noqa: F401

    return True


def _translate(text: str, config: Any) -> Any:
    """Translate in the helper with a pool-less manager for ``config`` (kept between jobs)."""
    global _child_manager, _child_config
    if _child_manager is None or _child_config != config:
        from engine.translator import TranslationManager

        _child_manager = TranslationManager(config)
        _child_config = config
    return _child_manager.translate(text)


# -- in the window's process ----------------------------------------------------------
class LiveProcess:
    """One helper process, started on first use; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._ready = threading.Event()
        self._broken = False
        self._closed = False
        self.translations = 0  # answered by the helper (for tests and the benchmark)

    @property
    def ready(self) -> bool:
        return self._ready.is_set() and not self._broken and not self._closed

    def translate(self, text: str, config: Any) -> Any | None:
        """The helper's TranslationResult for ``text``, or None: translate it yourself."""
        if len(text) < MIN_CHARS or self._broken or self._closed:
            return None
        executor = self._start()
        if executor is None or not self._ready.is_set():
            return None  # still starting: this one in-process
        try:
            result = executor.submit(_translate, text, config).result(ANSWER_TIMEOUT_S)
        except Exception:  # noqa: BLE001 - died, timed out, not picklable: never the user's loss
            log.exception("the live translation helper failed; translating in-process")
            self._give_up()
            return None
        self.translations += 1
        return result

    def _start(self) -> ProcessPoolExecutor | None:
        with self._lock:
            if self._executor is None and not self._broken and not self._closed:
                try:
                    self._executor = ProcessPoolExecutor(
                        max_workers=1, mp_context=multiprocessing.get_context("spawn"))
                    self._executor.submit(_warm_up).add_done_callback(self._on_warm)
                except Exception:  # noqa: BLE001
                    log.exception("the live translation helper could not start")
                    self._broken = True
            return self._executor

    def _on_warm(self, future: Future[bool]) -> None:
        if future.cancelled() or future.exception() is not None:
            self._give_up()
        else:
            self._ready.set()

    def _give_up(self) -> None:
        with self._lock:
            self._broken = True
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def shutdown(self, wait: bool = False) -> None:
        """Stop the helper (the window closes). Safe to call twice."""
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=wait, cancel_futures=True)
