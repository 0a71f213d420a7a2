"""The one way the GUI runs work off its thread: ``run_in_background(fn, *args, done=, failed=)``.

Every background job used to be a hand-written ``QRunnable`` that emitted a
signal and swallowed ``RuntimeError`` when the window had gone meanwhile; each
copy decided on its own what happened to an exception. Here, once:

- ``fn(*args, **kwargs)`` runs on a ``QThreadPool`` thread (the caller's pool,
  so a one-thread pool keeps its jobs in order; the global pool otherwise);
- its result goes to ``done(result)``, its exception to ``failed(error)``, both
  called later in the GUI thread (a queued signal of the job's handle, which
  lives in the application's thread whoever calls);
- an exception nobody asked for is logged with its traceback, never lost;
- when the receiver (a QObject: given, or the owner of a bound-method ``done``/
  ``failed``) has been deleted before the job ends, nothing is called;
- the handle, ``BackgroundJob``, says whether the function has finished, can wait
  for it (closing the window) and can drop its result (``cancel``); it cannot
  interrupt the function, which is plain Python on another thread.

A job still queued when its pool is ``clear()``-ed never runs, so its handle never
finishes: keep such pools to one job at a time (as LiveTranslation does) or ``cancel``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Done = Callable[[Any], object]
Failed = Callable[[BaseException], object]

# Handles whose function has not been delivered yet: they must outlive the worker's emit.
_IN_FLIGHT: set[BackgroundJob] = set()


class BackgroundJob(QObject):
    """The handle of one background call; its signal carries the outcome to the GUI thread."""

    _ended = Signal(bool, object)   # ok, result or exception (emitted on the worker thread)

    def __init__(self, name: str, done: Done | None, failed: Failed | None,
                 receiver: QObject | None) -> None:
        super().__init__()  # no parent: kept alive by _IN_FLIGHT until delivered
        self.name = name
        self._done, self._failed, self._receiver = done, failed, receiver
        self._finished = threading.Event()
        self._cancelled = False
        self.delivered = False
        app = QCoreApplication.instance()
        if app is not None and self.thread() is not app.thread():
            self.moveToThread(app.thread())
        self._ended.connect(self._deliver)

    @property
    def finished(self) -> bool:
        """The function has returned or raised (its outcome may not be delivered yet)."""
        return self._finished.is_set()

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the function has finished; False if ``timeout_s`` passed first."""
        return self._finished.wait(timeout_s)

    def cancel(self) -> None:
        """Drop the outcome: neither ``done`` nor ``failed`` will be called."""
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def _run(self, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        """On the worker thread."""
        try:
            outcome, ok = fn(*args, **kwargs), True
        except BaseException as error:  # noqa: BLE001 - delivered to failed() or logged
            outcome, ok = error, False
        self._finished.set()  # before the delivery is queued: delivered implies finished
        try:
            self._ended.emit(ok, outcome)
        except RuntimeError:  # pragma: no cover - the application is being torn down
            pass

    @Slot(bool, object)
    def _deliver(self, ok: bool, outcome: object) -> None:
        """In the GUI thread."""
        _IN_FLIGHT.discard(self)
        self.delivered = True
        if self._cancelled:
            return
        if self._receiver is not None and not shiboken6.isValid(self._receiver):
            return  # the window or widget that asked has been deleted meanwhile
        if ok:
            if self._done is not None:
                self._done(outcome)
        elif self._failed is not None:
            self._failed(outcome)  # type: ignore[arg-type]
        else:
            error: BaseException = outcome  # type: ignore[assignment]
            log.error("background job %s failed", self.name,
                      exc_info=(type(error), error, error.__traceback__))


def _owner(callback: Callable[..., Any] | None) -> QObject | None:
    owner = getattr(callback, "__self__", None)
    return owner if isinstance(owner, QObject) else None


def run_in_background(fn: Callable[..., Any], *args: Any, done: Done | None = None,
                      failed: Failed | None = None, pool: QThreadPool | None = None,
                      receiver: QObject | None = None, **kwargs: Any) -> BackgroundJob:
    """Run ``fn(*args, **kwargs)`` on ``pool`` (default: the global pool); deliver its outcome
    to ``done(result)`` or ``failed(error)`` in the GUI thread. See the module docstring."""
    receiver = receiver if receiver is not None else _owner(done) or _owner(failed)
    name = getattr(fn, "__qualname__", None) or repr(fn)
    job = BackgroundJob(name, done, failed, receiver)
    _IN_FLIGHT.add(job)
    target = pool if pool is not None else QThreadPool.globalInstance()
    target.start(lambda: job._run(fn, args, kwargs))
    return job

