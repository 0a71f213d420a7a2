"""The bridge: engine events, from any thread, become Qt signals in the GUI thread.

The engine calls its ``EventDispatcher`` handlers synchronously on whatever
thread did the work (a live-translation worker, the batch thread, the thread
that submits or waits on pool jobs). ``EngineBridge`` subscribes one quick
handler that appends the event to a thread-safe queue and, if no delivery
is pending, posts one queued call to itself; that call runs in the thread the
bridge lives in (the GUI thread) and re-emits every queued event, in order,
as ``event`` and as the signal of its type. So widgets connect to the bridge
only, their slots always run in the GUI thread, and a burst of thousands of
events costs one cross-thread post, not thousands.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from engine.events import Event, EventDispatcher, EventType, Subscription

# At most this many events wait for the GUI thread; beyond, the oldest are
# dropped (and counted): a frozen window must not make the engine grow memory.
MAX_QUEUED = 200_000
# Events re-emitted per turn of the event loop, and for at most this long (the
# rest go on the next turn, so a flood never blocks painting, timers or input).
DRAIN_CHUNK = 2_000
DRAIN_SLICE_S = 0.012


class EngineBridge(QObject):
    """Re-emits every engine event as a signal, always in the GUI thread."""

    event = Signal(object)                # every Event
    translationStarted = Signal(object)   # Event (payload: id, size_chars)
    translationCompleted = Signal(object)
    translationFailed = Signal(object)
    poolStarted = Signal(object)          # EXEC_POOL_STARTED
    poolTaskSubmitted = Signal(object)
    poolTaskCompleted = Signal(object)
    poolTimeout = Signal(object)
    poolFallback = Signal(object)
    _wake = Signal()

    def __init__(self, dispatcher: EventDispatcher | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: deque[Event] = deque()
        self._lock = threading.Lock()
        self._scheduled = False
        self.dropped = 0
        self.delivered = 0
        self._subscription: Subscription | None = None
        self._by_type = {
            EventType.TRANSLATION_STARTED: self.translationStarted,
            EventType.TRANSLATION_COMPLETED: self.translationCompleted,
            EventType.TRANSLATION_FAILED: self.translationFailed,
            EventType.EXEC_POOL_STARTED: self.poolStarted,
            EventType.EXEC_POOL_TASK_SUBMITTED: self.poolTaskSubmitted,
            EventType.EXEC_POOL_TASK_COMPLETED: self.poolTaskCompleted,
            EventType.EXEC_POOL_TIMEOUT: self.poolTimeout,
            EventType.EXEC_POOL_FALLBACK: self.poolFallback,
        }
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)
        if dispatcher is not None:
            self.attach(dispatcher)

    def attach(self, dispatcher: EventDispatcher) -> None:
        """Listen to ``dispatcher`` (instead of the previous one, if any)."""
        self.detach()
        self._subscription = dispatcher.subscribe(self._on_engine_event)

    def detach(self) -> None:
        if self._subscription is not None:
            self._subscription.cancel()
            self._subscription = None

    # -- any thread
    def _on_engine_event(self, event: Event) -> None:
        with self._lock:
            if len(self._queue) >= MAX_QUEUED:
                self._queue.popleft()
                self.dropped += 1
            self._queue.append(event)
            if self._scheduled:
                return
            self._scheduled = True
        try:
            self._wake.emit()
        except RuntimeError:  # the bridge was deleted (the window closed)
            pass

    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    # -- the GUI thread
    @Slot()
    def _drain(self) -> None:
        deadline = time.perf_counter() + DRAIN_SLICE_S
        with self._lock:
            count = min(len(self._queue), DRAIN_CHUNK)
            batch = [self._queue.popleft() for _ in range(count)]
        done = 0
        for item in batch:
            self.delivered += 1
            done += 1
            self.event.emit(item)
            signal = self._by_type.get(item.type)
            if signal is not None:
                signal.emit(item)
            if done % 64 == 0 and time.perf_counter() > deadline:
                break
        with self._lock:
            self._queue.extendleft(reversed(batch[done:]))  # not delivered yet: first again
            more = bool(self._queue)
            self._scheduled = more
        if more:
            QTimer.singleShot(0, self, self._drain)

    def flush(self) -> None:
        """Deliver everything queued now (GUI thread only; tests and shutdown)."""
        while self.pending():
            self._drain()
