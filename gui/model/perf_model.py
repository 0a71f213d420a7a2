"""(Qt-free) What the Performance panel shows: engine events kept in fixed-size ring buffers.

``PerfModel.feed(event)`` takes every engine event (``engine.events.Event``)
and keeps, each in a numpy ring buffer that never grows:

- one row per finished translation: time, parse / validate / generate /
  total milliseconds, and the p95 of the last ``window`` totals (the p95
  line, filled in lazily and vectorised by :meth:`PerfModel.refresh`);
- one row per pool task that came back (``EXEC_POOL_TASK_COMPLETED``);
- one row per TIMEOUT or FALLBACK (the markers), and per pool start.

Counts (translations, timeouts, fallbacks ...) are plain integers, the
throughput of the last batch is derived from the translation ids (a batch is
translations started before any of them finished, as ``translate_many``
does), and :meth:`PerfModel.write_csv` exports everything still held. Times
are seconds since the model was created or cleared. Memory is fixed by the
capacities, however long the session.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np

from engine.config import ALLOWED_START_METHODS
from engine.events import EVENT_REASONS, Event, EventType, JobKind
from gui.model.pool_status import REASON_TEXT

# The pool's job kinds and fallback reasons, coded as their index (in the engine's order).
KINDS: tuple[str, ...] = tuple(JobKind)
REASONS: tuple[str, ...] = EVENT_REASONS
METHODS = ALLOWED_START_METHODS  # the start-method column's codes
OTHER = -1.0

MARK_TIMEOUT = 1.0
MARK_FALLBACK = 2.0


def _code(table: tuple[str, ...], value: Any) -> float:
    try:
        return float(table.index(str(value)))
    except ValueError:
        return OTHER


def _name(table: tuple[str, ...], code: float, unknown: str = "other") -> str:
    index = int(code)
    return table[index] if 0 <= index < len(table) else unknown


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return number


class Ring:
    """A fixed-capacity table of float columns; appending past the end overwrites the oldest row."""

    def __init__(self, capacity: int, columns: Iterable[str]) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.columns = tuple(columns)
        self._index = {name: i for i, name in enumerate(self.columns)}
        self._data = np.full((capacity, len(self.columns)), np.nan, dtype=np.float64)
        self.total = 0  # rows ever appended (since the last clear)

    def __len__(self) -> int:
        return min(self.total, self.capacity)

    @property
    def nbytes(self) -> int:
        return int(self._data.nbytes)

    def append(self, *values: float) -> None:
        self._data[self.total % self.capacity] = values
        self.total += 1

    def _order(self) -> np.ndarray | slice:
        if self.total <= self.capacity:
            return slice(0, self.total)
        start = self.total % self.capacity
        return np.r_[start:self.capacity, 0:start]

    def rows(self) -> np.ndarray:
        """Every row held, oldest first (a copy)."""
        return self._data[self._order()].copy()

    def column(self, name: str) -> np.ndarray:
        """One column, oldest first (a copy)."""
        return self._data[self._order(), self._index[name]].copy()

    def set_tail(self, name: str, values: np.ndarray) -> None:
        """Overwrite the newest ``len(values)`` rows of one column."""
        count = len(values)
        if count == 0:
            return
        if count > len(self):
            raise ValueError("more values than rows")
        positions = (np.arange(self.total - count, self.total)) % self.capacity
        self._data[positions, self._index[name]] = values

    def clear(self) -> None:
        self._data.fill(np.nan)
        self.total = 0


@dataclass
class BatchStats:
    documents: int
    seconds: float

    @property
    def throughput(self) -> float:
        return self.documents / self.seconds if self.seconds > 0 else float("inf")


@dataclass
class Snapshot:
    """What the charts draw, copied out of the rings (oldest first)."""

    version: int
    translations: np.ndarray   # columns: TRANSLATION_COLUMNS
    tasks: np.ndarray          # columns: TASK_COLUMNS
    marks: np.ndarray          # columns: MARK_COLUMNS
    starts: np.ndarray         # columns: START_COLUMNS
    mark_tips: list[str] = field(default_factory=list)
    start_labels: list[str] = field(default_factory=list)


TRANSLATION_COLUMNS = ("t", "parse_ms", "validate_ms", "generate_ms", "total_ms", "p95_ms")
TASK_COLUMNS = ("t", "duration_ms", "kind")
MARK_COLUMNS = ("t", "type", "kind", "reason", "attempt", "timeout_ms")
START_COLUMNS = ("t", "workers", "method")


class PerfModel:
    """Engine events -> chart data, counts and percentiles, in bounded memory."""

    def __init__(self, capacity: int = 10_000, task_capacity: int = 5_000,
                 mark_capacity: int = 1_000, start_capacity: int = 32, window: int = 100,
                 clock: Any = time.time) -> None:
        self.window = max(1, window)
        self._clock = clock
        self.translations = Ring(capacity, TRANSLATION_COLUMNS)
        self.tasks = Ring(task_capacity, TASK_COLUMNS)
        self.marks = Ring(mark_capacity, MARK_COLUMNS)
        self.starts = Ring(start_capacity, START_COLUMNS)
        self._p95_upto = 0
        self.paused = False
        self.clear()

    # -- state
    def clear(self) -> None:
        for ring in (self.translations, self.tasks, self.marks, self.starts):
            ring.clear()
        self.t0 = self._clock()
        self._p95_upto = 0
        self.version = 0
        self.translation_count = 0
        self.failed_count = 0
        self.cancelled_count = 0      # documents of a cancelled batch never translated
        self.task_count = 0
        self.timeout_count = 0
        self.fallback_count = 0
        self.pool_start_count = 0
        self.events_seen = 0
        self.last_batch: BatchStats | None = None
        self._pending: dict[Any, float] = {}
        self._burst_start = 0.0
        self._burst_size = 0
        self._other_reasons: dict[str, int] = {}

    @property
    def nbytes(self) -> int:
        """Memory held by the rings (fixed by the capacities)."""
        return sum(r.nbytes for r in (self.translations, self.tasks, self.marks, self.starts))

    # -- input
    def feed(self, event: Event) -> None:
        if self.paused:
            return
        if self.events_seen == 0 and self.translations.total == 0 and event.timestamp < self.t0:
            # the model is made on the first event, which may be older (the pool's start,
            # queued meanwhile): time 0 is that event, never a negative time axis
            self.t0 = event.timestamp
        self.events_seen += 1
        handler = _HANDLERS.get(event.type)
        if handler is not None:
            handler(self, event.data, event.timestamp - self.t0, event.timestamp)
            self.version += 1

    def _on_started(self, data: Mapping[str, Any], _t: float, stamp: float) -> None:
        if not self._pending:
            self._burst_start = stamp
            self._burst_size = 0
        if len(self._pending) >= 10_000:  # ids whose end never came: forget them
            self._pending.clear()
        self._pending[data.get("id")] = stamp
        self._burst_size += 1

    def _finish(self, data: Mapping[str, Any], stamp: float) -> None:
        if self._pending.pop(data.get("id"), None) is None:
            return
        if not self._pending and self._burst_size >= 2:
            self.last_batch = BatchStats(self._burst_size, max(0.0, stamp - self._burst_start))

    def _on_completed(self, data: Mapping[str, Any], t: float, stamp: float) -> None:
        timings = data.get("timings") or {}
        parse = _number(timings.get("parse_ms", 0.0))
        validate = _number(timings.get("validate_ms", 0.0))
        generate = _number(timings.get("generate_ms", 0.0))
        total = _number(timings.get("total_ms", parse + validate + generate))
        self.translations.append(t, parse, validate, generate, total, np.nan)
        self.translation_count += 1
        ring = self.translations
        if ring.total - self._p95_upto >= max(1, ring.capacity - self.window):
            self.refresh()  # before the rows its windows need are overwritten
        self._finish(data, stamp)

    def _on_failed(self, data: Mapping[str, Any], _t: float, stamp: float) -> None:
        if data.get("error_type") == "Cancelled":  # translate_many(cancel=...): not a failure
            self.cancelled_count += 1
        else:
            self.failed_count += 1
        self._finish(data, stamp)

    def _on_task(self, data: Mapping[str, Any], t: float, _stamp: float) -> None:
        self.tasks.append(t, _number(data.get("duration_ms")), _code(KINDS, data.get("kind")))
        self.task_count += 1

    def _on_timeout(self, data: Mapping[str, Any], t: float, _stamp: float) -> None:
        self.marks.append(t, MARK_TIMEOUT, _code(KINDS, data.get("kind")), OTHER,
                          _number(data.get("attempt")), _number(data.get("timeout_ms")))
        self.timeout_count += 1

    def _on_fallback(self, data: Mapping[str, Any], t: float, _stamp: float) -> None:
        reason = str(data.get("reason"))
        code = _code(REASONS, reason)
        if code == OTHER and len(self._other_reasons) < 64:
            code = float(len(REASONS) + self._other_reasons.setdefault(
                reason, len(self._other_reasons)))
        self.marks.append(t, MARK_FALLBACK, _code(KINDS, data.get("kind")), code, np.nan, np.nan)
        self.fallback_count += 1

    def _on_pool_started(self, data: Mapping[str, Any], t: float, _stamp: float) -> None:
        self.starts.append(t, _number(data.get("max_workers")),
                           _code(METHODS, data.get("start_method")))
        self.pool_start_count += 1

    def note_batch(self, documents: int, seconds: float) -> None:
        """A folder batch's own totals (the files translated, the time of the
        ``translate_many`` call) replace the last burst's: a cancelled batch's
        burst also counts the documents it never started."""
        if not self.paused and documents > 0:
            self.last_batch = BatchStats(documents, max(0.0, seconds))
            self.version += 1

    # -- derived values
    def refresh(self) -> None:
        """Fill in the p95 line for rows added since the last call (vectorised)."""
        ring = self.translations
        pending = min(ring.total - self._p95_upto, len(ring))
        self._p95_upto = ring.total
        if pending <= 0:
            return
        totals = ring.column("total_ms")
        start = len(totals) - pending
        low = max(0, start - (self.window - 1))
        segment = totals[low:]
        pad = (self.window - 1) - (start - low)
        if pad > 0:
            segment = np.concatenate((np.full(pad, np.nan), segment))
        windows = np.lib.stride_tricks.sliding_window_view(segment, self.window)
        with np.errstate(all="ignore"):
            p95 = np.nanpercentile(windows, 95, axis=1) if pad > 0 else \
                np.percentile(windows, 95, axis=1)
        ring.set_tail("p95_ms", p95)

    def percentiles(self) -> tuple[float, float] | None:
        """p50 and p95 of the total time of the last ``window`` translations."""
        totals = self.translations.column("total_ms")[-self.window:]
        totals = totals[~np.isnan(totals)]
        if totals.size == 0:
            return None
        p50, p95 = np.percentile(totals, [50, 95])
        return float(p50), float(p95)

    def reason_name(self, code: float) -> str:
        if 0 <= code < len(REASONS):
            return REASONS[int(code)]
        for name, index in self._other_reasons.items():
            if int(code) == len(REASONS) + index:
                return name
        return "other"

    def mark_tip(self, row: np.ndarray) -> str:
        t, kind_code = row[0], row[2]
        kind = _name(KINDS, kind_code, "job")
        if row[1] == MARK_TIMEOUT:
            return (f"Timeout at {t:.2f} s: a {kind} job ran over {row[5]:.0f} ms "
                    f"(attempt {row[4]:.0f}); its worker was replaced")
        reason = self.reason_name(row[3])
        why = REASON_TEXT.get(reason, reason)
        return f"Fallback at {t:.2f} s: a {kind} job ran in-process\nreason: {reason} ({why})"

    def start_label(self, row: np.ndarray) -> str:
        workers = int(row[1]) if not np.isnan(row[1]) else 0
        method = _name(METHODS, row[2], "?")
        return f"pool: {workers} worker{'s' if workers != 1 else ''}, {method}"

    def snapshot(self) -> Snapshot:
        self.refresh()
        marks = self.marks.rows()
        starts = self.starts.rows()
        return Snapshot(self.version, self.translations.rows(), self.tasks.rows(), marks, starts,
                        [self.mark_tip(row) for row in marks],
                        [self.start_label(row) for row in starts])

    def stats(self) -> dict[str, Any]:
        """The numbers of the panel's table."""
        quantiles = self.percentiles()
        return {
            "translations": self.translation_count,
            "failed": self.failed_count,
            "cancelled": self.cancelled_count,
            "p50_ms": quantiles[0] if quantiles else None,
            "p95_ms": quantiles[1] if quantiles else None,
            "batch_documents": self.last_batch.documents if self.last_batch else None,
            "batch_docs_per_s": self.last_batch.throughput if self.last_batch else None,
            "pool_tasks": self.task_count,
            "pool_starts": self.pool_start_count,
            "timeouts": self.timeout_count,
            "fallbacks": self.fallback_count,
        }

    # -- export
    def write_csv(self, handle: IO[str]) -> int:
        """Every row still held, in time order; returns the number of data rows."""
        self.refresh()
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["series", "time_s", "parse_ms", "validate_ms", "generate_ms",
                         "total_ms", "p95_ms", "duration_ms", "kind", "detail"])
        rows: list[tuple[float, int, list[Any]]] = []

        def num(value: float) -> str:
            return "" if np.isnan(value) else f"{value:.3f}"

        for row in self.translations.rows():
            rows.append((row[0], 0, ["translation", num(row[0]), num(row[1]), num(row[2]),
                                     num(row[3]), num(row[4]), num(row[5]), "", "", ""]))
        for row in self.tasks.rows():
            rows.append((row[0], 1, ["pool_task", num(row[0]), "", "", "", "", "",
                                     num(row[1]), _name(KINDS, row[2]), ""]))
        for row in self.marks.rows():
            kind = _name(KINDS, row[2])
            if row[1] == MARK_TIMEOUT:
                detail = f"timeout_ms={row[5]:.0f} attempt={row[4]:.0f}"
                rows.append((row[0], 2, ["timeout", num(row[0]), "", "", "", "", "", "", kind,
                                         detail]))
            else:
                rows.append((row[0], 2, ["fallback", num(row[0]), "", "", "", "", "", "", kind,
                                         f"reason={self.reason_name(row[3])}"]))
        for row in self.starts.rows():
            workers = "" if np.isnan(row[1]) else f"{row[1]:.0f}"
            rows.append((row[0], 3, ["pool_started", num(row[0]), "", "", "", "", "", "", "",
                                     f"workers={workers} method={_name(METHODS, row[2], '?')}"]))
        rows.sort(key=lambda item: (item[0], item[1]))
        for _, _, cells in rows:
            writer.writerow(cells)
        return len(rows)

    def csv_text(self) -> str:
        buffer = io.StringIO()
        self.write_csv(buffer)
        return buffer.getvalue()


_HANDLERS = {
    EventType.TRANSLATION_STARTED: PerfModel._on_started,
    EventType.TRANSLATION_COMPLETED: PerfModel._on_completed,
    EventType.TRANSLATION_FAILED: PerfModel._on_failed,
    EventType.EXEC_POOL_TASK_COMPLETED: PerfModel._on_task,
    EventType.EXEC_POOL_TIMEOUT: PerfModel._on_timeout,
    EventType.EXEC_POOL_FALLBACK: PerfModel._on_fallback,
    EventType.EXEC_POOL_STARTED: PerfModel._on_pool_started,
}
