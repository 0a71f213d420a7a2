"""Telemetry: in-process counters and durations, off unless asked for.

Nothing leaves the process: the recorder only counts, so that the GUI's
statistics panel, the benchmark and the tests can read ``snapshot()``. It is a
no-op unless enabled by the ``telemetry_enabled`` configuration key or by
``PSEUDOCODE_TELEMETRY=1`` in the environment, so a disabled recorder costs
one attribute test per call.

Names used by the process pool: counters ``exec_pool.started``,
``exec_pool.submit``, ``exec_pool.complete``, ``exec_pool.timeout``,
``exec_pool.fallback`` (and ``exec_pool.worker_restart``); durations
``exec_pool.init_ms`` and ``exec_pool.task_ms``.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

TELEMETRY_ENV = "PSEUDOCODE_TELEMETRY"

# Durations kept per name for percentiles; older ones are dropped (a long GUI
# session must not grow without bound).
MAX_SAMPLES = 10_000

_TRUE = {"1", "true", "yes", "on"}


def env_enabled(environ: Mapping[str, str] | None = None) -> bool:
    """True when ``PSEUDOCODE_TELEMETRY`` is set to 1/true/yes/on (any case)."""
    env = os.environ if environ is None else environ
    return env.get(TELEMETRY_ENV, "").strip().lower() in _TRUE


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of already sorted values."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(q / 100.0 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


class TelemetryRecorder:
    """Thread-safe counters and duration samples; every method is a no-op when disabled."""

    def __init__(self, enabled: bool = False, max_samples: int = MAX_SAMPLES) -> None:
        self._enabled = bool(enabled)
        self._lock = threading.Lock()
        self._max_samples = max_samples
        self._counters: dict[str, int] = {}
        self._durations: dict[str, deque[float]] = {}
        self._totals: dict[str, tuple[int, float]] = {}  # all-time count and sum

    @classmethod
    def from_config(cls, config: Any = None,
                    environ: Mapping[str, str] | None = None) -> TelemetryRecorder:
        """Enabled if the config says so (``telemetry_enabled``) or the environment does."""
        wanted = bool(getattr(config, "telemetry_enabled", False)) or env_enabled(environ)
        return cls(enabled=wanted)

    @property
    def enabled(self) -> bool:
        return self._enabled

    def enable(self, on: bool = True) -> None:
        self._enabled = bool(on)

    def incr(self, name: str, value: int = 1) -> None:
        if not self._enabled:
            return
        with self._lock:
            self._counters[name] = self._counters.get(name, 0) + value

    def record_duration(self, name: str, ms: float) -> None:
        if not self._enabled:
            return
        with self._lock:
            samples = self._durations.get(name)
            if samples is None:
                samples = self._durations[name] = deque(maxlen=self._max_samples)
            samples.append(float(ms))
            count, total = self._totals.get(name, (0, 0.0))
            self._totals[name] = (count + 1, total + float(ms))

    @contextmanager
    def timer(self, name: str) -> Iterator[None]:
        """Record the duration of the ``with`` block under ``name`` (in ms)."""
        if not self._enabled:
            yield
            return
        start = time.perf_counter()
        try:
            yield
        finally:
            self.record_duration(name, (time.perf_counter() - start) * 1000.0)

    def count(self, name: str) -> int:
        with self._lock:
            return self._counters.get(name, 0)

    def snapshot(self) -> dict[str, Any]:
        """``{"enabled", "counters": {name: n}, "durations": {name: {count, mean_ms, p50_ms, p95_ms, max_ms}}}``.

        ``count`` and ``mean_ms`` cover every sample ever recorded; the
        percentiles and the maximum cover the last ``MAX_SAMPLES``.
        """
        with self._lock:
            counters = dict(self._counters)
            samples = {name: sorted(values) for name, values in self._durations.items()}
            totals = dict(self._totals)
        durations = {}
        for name, values in samples.items():
            count, total = totals[name]
            durations[name] = {
                "count": count,
                "mean_ms": total / count if count else 0.0,
                "p50_ms": percentile(values, 50),
                "p95_ms": percentile(values, 95),
                "max_ms": values[-1] if values else 0.0,
            }
        return {"enabled": self._enabled, "counters": counters, "durations": durations}

    def reset(self) -> None:
        with self._lock:
            self._counters.clear()
            self._durations.clear()
            self._totals.clear()


_default: TelemetryRecorder | None = None
_default_lock = threading.Lock()


def get_recorder() -> TelemetryRecorder:
    """The process-wide recorder (enabled from the environment when first asked for).

    The translation manager makes its own recorder from its configuration;
    this one is for code that has no configuration at hand.
    """
    global _default
    with _default_lock:
        if _default is None:
            _default = TelemetryRecorder(enabled=env_enabled())
        return _default
