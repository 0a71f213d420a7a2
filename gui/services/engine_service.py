"""The app's one translator: a TranslationManager built from the config, its events, its pool.

``EngineService`` owns the ``EventDispatcher`` (one for the app's life, so
the bridge and the charts stay subscribed when the manager is rebuilt), the
current ``TranslationManager`` and the pool's status. Live translation
(every tab) and the batch window translate through it, on their own worker
threads. Nothing here blocks the GUI thread: building a manager is cheap
(no process), while starting, restarting and stopping the pool (with
``spawn``, creating each worker process takes time in the calling thread)
happen on the service's own single worker thread, one after the other.

``apply(config)`` is what the settings dialog calls: if anything about the
pool changed, a new manager takes the new settings at once (translations
started later use it) and the old one is shut down in the background
(jobs it still had fall back to in-process, never lost); otherwise only
the strict mode and such are swapped in.
"""

from __future__ import annotations

import copy
import itertools
import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from engine.config import TranslatorConfig, automatic_workers, pool_settings_changed
from engine.config.auto import EDITOR_START_METHOD
from engine.events import Event, EventDispatcher, EventType
from gui.model import live_process
from gui.model.pool_status import PoolStatus
from gui.services.engine_bridge import EngineBridge
from gui.services.workers import run_in_background

if TYPE_CHECKING:
    from engine.translator import TranslationResult

log = logging.getLogger(__name__)

# engine.translator.TranslationManager, imported with the first manager (on the first
# translation's worker thread, not on the start-up path); tests may put a stand-in here.
TranslationManager: Any = None

# How long the background start waits for every worker to say it is ready.
READY_TIMEOUT_S = 60.0
READY_STEP_S = 0.25  # ... in steps this long, to notice closing or a newer apply()
# Live translations of longer documents run in-process even when the pool's job limit
# (process_pool_job_max_chars) is raised above it; batches still use the limit.
LIVE_POOL_MAX_CHARS = 50_000
# Ids of the translations the helper process answers (unique in this process: the
# engine's own count starts at 1).
_helper_ids = itertools.count(1_000_000_000)
# The GUI never forks itself: "Auto" means spawn here (see runtime_config).
GUI_DEFAULT_START_METHOD = EDITOR_START_METHOD


def runtime_config(config: TranslatorConfig | None) -> TranslatorConfig:
    """The configuration the GUI's manager runs with.

    One difference from the file: an automatic start method becomes ``spawn``.
    ``fork`` (Linux's default on Python 3.11) would copy this process with Qt's
    threads and their locks in whatever state they are, which can hang a
    worker; ``spawn`` starts clean workers on every platform, as on Windows.
    """
    config = copy.deepcopy(config) if config is not None else TranslatorConfig()
    execution = getattr(config, "execution", None)
    if execution is not None and not getattr(execution, "process_pool_start_method", None):
        execution.process_pool_start_method = GUI_DEFAULT_START_METHOD
    return config


class EngineService(QObject):
    """One TranslationManager for the whole app, rebuilt when the pool settings change."""

    poolChanged = Signal()                  # the status (label, tooltip) changed
    managerReplaced = Signal()              # apply() built a new manager

    def __init__(self, config: TranslatorConfig | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config = config if config is not None else TranslatorConfig()
        self.events = EventDispatcher()
        self.bridge = EngineBridge(self.events, self)
        self.status = PoolStatus()
        self._lock = threading.Lock()
        self._generation = itertools.count(1)
        self._current_generation = 0
        self._ops = QThreadPool(self)      # pool start / stop, one at a time, in order
        self._ops.setMaxThreadCount(1)
        self._closed = False
        self._manager: Any = None  # built on first use (see the manager property)
        self._ready_manager: Any = None  # the manager whose pool has started (live path)
        self._local_manager: Any = None  # no pool: live translations until then
        self.live_helper = live_process.LiveProcess()  # big documents, no shared GIL
        self._helper_config: Any = None
        self.bridge.event.connect(self._on_event)

    # -- the manager
    def _build(self, config: TranslatorConfig) -> Any:
        global TranslationManager
        if TranslationManager is None:
            from engine.translator import TranslationManager as manager_class

            TranslationManager = manager_class
        return TranslationManager(runtime_config(config), events=self.events)

    @property
    def manager(self) -> Any:
        """The current TranslationManager (built on first use, from any thread)."""
        with self._lock:
            if self._manager is None:
                self._manager = self._build(self.config)
            return self._manager

    @property
    def pool_enabled(self) -> bool:
        return bool(getattr(getattr(self.config, "execution", None), "process_pool_enabled",
                            False))

    def translate(self, text: str) -> TranslationResult:
        """A live translation (any thread but the GUI's): never waits for the pool.

        Until the pool's workers are ready (at start-up, after Apply), and for a
        document too big to gain from a worker (LIVE_POOL_MAX_CHARS: pickling its tree
        costs more than the worker saves, so each result would come after the next key
        and live feedback would stop for the whole burst), the text is translated here,
        in-process, by a manager without a pool that reports to the same events.
        """
        if len(text) >= live_process.MIN_CHARS and not self._closed:
            result = self._in_helper(text)
            if result is not None:
                return result
        manager = self.manager
        if self.pool_enabled and (manager is not self._ready_manager
                                  or len(text) > LIVE_POOL_MAX_CHARS):
            return self._in_process().translate(text)
        return manager.translate(text)

    def _in_helper(self, text: str) -> TranslationResult | None:
        """A big document in the helper process (gui.model.live_process), with the events a
        manager would send; None until the helper is up or if it failed."""
        config = self._helper_config
        if config is None:
            config = runtime_config(self.config)
            execution = getattr(config, "execution", None)
            if execution is not None:
                execution.process_pool_enabled = False
            self._helper_config = config
        if not self.live_helper.ready:
            self.live_helper.translate(text, config)  # starts it; None while it starts
            return None
        ident = next(_helper_ids)
        self.events.emit(EventType.TRANSLATION_STARTED, {"id": ident, "size_chars": len(text)})
        result = self.live_helper.translate(text, config)
        if result is None:
            self.events.emit(EventType.TRANSLATION_FAILED, {
                "id": ident, "error": "the helper process failed; translated here",
                "error_type": "HelperFailed"})
            return None
        self.events.emit(EventType.TRANSLATION_COMPLETED, {
            "id": ident, "success": result.success, "error_count": len(result.errors),
            "warning_count": len(result.warnings), "timings": dict(result.timings)})
        return result

    def _in_process(self) -> Any:
        with self._lock:
            if self._local_manager is None:
                config = runtime_config(self.config)
                execution = getattr(config, "execution", None)
                if execution is not None:
                    execution.process_pool_enabled = False
                self._local_manager = self._build(config)
            return self._local_manager

    def translate_many(self, texts: Sequence[str],
                       progress: Callable[[int, int], object] | None = None,
                       cancel: threading.Event | None = None) -> list[TranslationResult]:
        """A batch (any thread but the GUI's); through the pool when it is enabled.

        When ``cancel`` is set, no new document starts and the ones not
        translated come back with ``cancelled`` set.
        """
        return self.manager.translate_many(texts, progress=progress, cancel=cancel)

    def pool_workers(self) -> int:
        """How many workers the current pool has or will have (0 when it is off)."""
        info = self.manager.pool_info()
        if not info.get("enabled"):
            return 0
        if info.get("max_workers"):
            return int(info["max_workers"])
        workers = self.config.execution.process_pool_max_workers
        return int(workers) if workers else automatic_workers()

    # -- starting and replacing the pool (never on the GUI thread)
    def start(self) -> None:
        """Start the pool in the background if it is enabled (at start-up)."""
        self._start_current()

    def _start_current(self) -> None:
        generation = next(self._generation)
        self._current_generation = generation
        if not self.pool_enabled:
            self.status.set_off()
            self.poolChanged.emit()
            return
        self.status.set_starting()
        self.poolChanged.emit()
        def start_pool() -> tuple[bool, dict[str, Any]] | None:
            started = False
            info: dict[str, Any] = {}
            if self._closed or generation != self._current_generation:
                return None  # closing, or a newer apply() has its own start queued
            try:
                manager = self.manager  # built here: the engine's import is not the GUI's
                started = bool(manager.start_pool())
                if started:
                    self._wait_ready(manager, generation)
                    if generation == self._current_generation:
                        self._ready_manager = manager  # live translations may use it now
                info = manager.pool_info()
            except Exception:  # noqa: BLE001
                log.exception("the process pool could not start")
            return started, info

        run_in_background(start_pool, pool=self._ops, receiver=self, done=lambda outcome: (
            self._on_pool_start_done(generation, *outcome) if outcome else None))

    def _wait_ready(self, manager: Any, generation: int) -> bool:
        """Until every worker is ready (``TranslationManager.wait_ready``), in short steps, so
        that closing the window or a newer apply() never waits for a slow start (worker
        thread)."""
        end = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < end:
            if self._closed or generation != self._current_generation:
                return False
            if manager.wait_ready(READY_STEP_S):
                return True
        return False

    def _on_pool_start_done(self, generation: int, started: bool, info: object) -> None:
        if generation != self._current_generation or self._closed:
            return  # a later apply() replaced that manager
        self.bridge.flush()  # EXEC_POOL_STARTED first, then "ready"
        details = info if isinstance(info, dict) else {}
        if started:
            workers = int(details.get("max_workers") or 0)
            ready = details.get("ready_workers")
            self.status.set_ready(workers, str(details.get("start_method") or ""),
                                  ready=int(ready) if ready is not None else workers)
        else:
            reason = details.get("unavailable") or "the worker processes could not be started"
            self.status.set_unavailable(str(reason))
        self.poolChanged.emit()

    def apply(self, config: TranslatorConfig) -> bool:
        """Use new settings now; returns True if the manager (and its pool) was rebuilt."""
        old_config, self.config = self.config, config
        with self._lock:
            self._local_manager = None  # rebuilt from the new config on next use
            self._helper_config = None
        if not pool_settings_changed(old_config, config):
            self.manager.config = runtime_config(config)  # strict mode: read per translation
            return False
        new = self._build(config)
        with self._lock:
            old, self._manager = self._manager, new
        if old is not None:
            run_in_background(old.shutdown, wait=True, pool=self._ops)
        self._start_current()
        self.managerReplaced.emit()
        return True

    def shutdown(self, wait: bool = False, timeout_ms: int = 15000) -> None:
        """Stop the pool (window closing). ``wait``: block until it is down (tests)."""
        if not self._closed:
            self._closed = True
            self.live_helper.shutdown(wait=wait)
            with self._lock:
                manager = self._manager
            if manager is not None:
                run_in_background(manager.shutdown, wait=True, pool=self._ops)
        if wait:
            self._ops.waitForDone(timeout_ms)
            self.bridge.flush()
        self.bridge.detach()

    # -- the status bar
    @Slot(object)
    def _on_event(self, event: Event) -> None:
        if self.status.feed(event):
            self.poolChanged.emit()
