"""The Performance panel (View > Performance): live latency and pool charts, counts, CSV.

Thin: the data are in ``PerfModel`` (Qt-free ring buffers, fed by the
window from the bridge's signals). This widget only draws it: every plot
item is created once and updated with ``setData`` from a 15 Hz timer, and
only when the model changed and the panel is visible, never per event.

- Translation latency: one stacked bar per translation at its time (parse,
  then validate, then generate on top: its height is the total), and the
  p95 of the last N translations as a line.
- Pool jobs: the duration of every job that came back, by kind; TIMEOUT (x)
  and FALLBACK (triangle) markers on the time axis, their reason in a
  tooltip; a vertical line at each pool start with its worker count and
  start method.
- A table: translations, p50/p95, the last batch's throughput, the pool's
  state, timeouts and fallbacks. Pause, Clear, Export CSV.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QColor, QPainterPath
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from engine.events import JobKind
from engine.sources import SourceProblem, write_source
from gui.model.perf_model import KINDS, MARK_FALLBACK, MARK_TIMEOUT, PerfModel
from gui.services.workers import run_in_background
from gui.theme import Theme

UPDATE_HZ = 15
# A redraw may take at most this share of the GUI thread: after one that took
# t seconds, the next waits at least t / BUDGET (a flood with every ring full
# slows the chart down, never the window).
BUDGET = 0.25
# Colours that read on white and on the dark background alike.
PARSE_COLOR = "#4c8bf5"
VALIDATE_COLOR = "#34a853"
GENERATE_COLOR = "#f2a93b"
P95_COLOR = "#d6336c"
KIND_COLORS = {JobKind.PARSE: "#4c8bf5", JobKind.VALIDATE: "#34a853",
               JobKind.PARSE_VALIDATE: "#8e5bd9"}
TIMEOUT_COLOR = "#e5331b"
FALLBACK_COLOR = "#f08c00"
START_COLOR = "#2f9e44"
START_TEXT_COLOR = "#2b8a3e"
# Translations further apart than this are not joined by the p95 line (idle time is a gap).
IDLE_GAP_S = 2.0
# A bar this many times the 75th percentile is an outlier: the scale follows the others.
OUTLIER_FACTOR = 4.0
# Bars are this wide (px) while there are few enough of them to stand apart.
WIDE_BARS_PX, WIDE_BARS_UP_TO = 4, 400
LATENCY_EMPTY = "Nothing translated yet: type a program, or File > Translate Folder"


def _raised_triangle() -> QPainterPath:
    """A triangle drawn just above its point (symbols are in a -0.5..0.5 box, y down), so a
    fallback stays visible next to the timeout (x) that usually comes with it."""
    path = QPainterPath()
    path.moveTo(0.0, -0.5)
    path.lineTo(0.26, -0.06)
    path.lineTo(-0.26, -0.06)
    path.closeSubpath()
    return path


def _tint(color: str, alpha: int) -> QColor:
    tinted = QColor(color)
    tinted.setAlpha(alpha)
    return tinted


def _pen(color: str) -> Any:
    return pg.mkPen(QColor(color), width=1)  # 1-px opaque pens: several times faster to draw


def _ms(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\u2014"
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def _write_text(path: str, text: str) -> None:
    write_source(path, text, newline=None)  # atomic; the CSV's own line ends


def _write_problem(error: BaseException) -> str:
    if isinstance(error, (OSError, SourceProblem)):
        return str(error)
    return f"{type(error).__name__}: {error}"


class PerformancePanel(QWidget):
    """Charts and numbers of the recorded translations and pool events."""

    exported = Signal(str, str)     # path, error ("" if written)
    redrawn = Signal()

    def __init__(self, model: PerfModel, theme: Theme, pool_text: Callable[[], str],
                 ask_csv_path: Callable[[], str | None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._pool_text = pool_text
        self._ask_csv_path = ask_csv_path
        self._drawn_version = -1
        self._drawn: dict[str, int] = {}
        self._start_lines: list[Any] = []
        self._not_before = 0.0
        self.redraws = 0
        self.last_redraw_s = 0.0
        self._theme = theme
        self._io = QThreadPool(self)
        self._io.setMaxThreadCount(1)
        self._build()
        self.set_theme(theme)
        self.timer = QTimer(self)
        self.timer.setInterval(int(1000 / UPDATE_HZ))
        self.timer.timeout.connect(self.update_view)
        self.timer.start()

    # -- layout
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        bar = QToolBar(self)
        bar.setIconSize(bar.iconSize() * 0.75)
        self.act_pause = QAction("Pause", self, checkable=True)
        self.act_pause.setToolTip("Stop recording (the charts stay as they are)")
        self.act_pause.toggled.connect(self.set_paused)
        self.act_clear = QAction("Clear", self)
        self.act_clear.setToolTip("Forget everything recorded")
        self.act_clear.triggered.connect(self.clear)
        self.act_export = QAction("Export CSV\u2026", self)
        self.act_export.setToolTip("Save the recorded data as a CSV file")
        self.act_export.triggered.connect(self._on_export)
        bar.addActions([self.act_pause, self.act_clear, self.act_export])
        layout.addWidget(bar)

        body = QSplitter(Qt.Orientation.Horizontal, self)
        charts = QWidget(body)
        charts_layout = QVBoxLayout(charts)
        charts_layout.setContentsMargins(4, 0, 0, 4)
        charts_layout.setSpacing(2)
        self.latency_plot = pg.PlotWidget(charts)
        self.pool_plot = pg.PlotWidget(charts)
        self.latency_header = QLabel(charts)
        self.pool_header = QLabel(charts)
        for plot, header in ((self.latency_plot, self.latency_header),
                             (self.pool_plot, self.pool_header)):
            item = plot.getPlotItem()
            item.showGrid(x=True, y=True, alpha=0.15)
            item.setLabel("bottom", "time (s)")
            item.setMenuEnabled(False)
            for side in ("left", "bottom"):  # "time (s)" with 0.2, 0.4 ..., never "(x0.001)"
                item.getAxis(side).enableAutoSIPrefix(False)
            item.getViewBox().setLimits(xMin=-0.05)  # time starts at 0: no negative axis
            plot.setMinimumHeight(110)
            header.setContentsMargins(6, 4, 0, 0)
            charts_layout.addWidget(header)
            charts_layout.addWidget(plot, 1)
        self.pool_plot.setXLink(self.latency_plot)

        lat = self.latency_plot.getPlotItem()
        # One stacked bar per translation, drawn as vertical 1-px segments
        # (connect="pairs": x, x / 0, parse for the first stage, and so on).
        self.curve_parse = lat.plot(pen=_pen(PARSE_COLOR), connect="pairs")
        self.curve_validate = lat.plot(pen=_pen(VALIDATE_COLOR), connect="pairs")
        self.curve_total = lat.plot(pen=_pen(GENERATE_COLOR), connect="pairs")
        self.curve_p95 = lat.plot(pen=_pen(P95_COLOR))
        self.curve_p95.setZValue(5)
        self.curve_p95.setClipToView(True)
        self.curve_p95.setDownsampling(auto=True, method="peak")

        pool = self.pool_plot.getPlotItem()
        self.task_curves: dict[str, Any] = {}
        for kind in KINDS:
            color = KIND_COLORS[kind]
            self.task_curves[kind] = pool.plot(
                pen=None, symbol="o", symbolSize=5, symbolPen=pg.mkPen(QColor(color)),
                symbolBrush=QColor(color))
            self.task_curves[kind].setClipToView(True)
        self.timeout_marks = pg.ScatterPlotItem(
            symbol="x", size=13, pen=pg.mkPen(QColor(TIMEOUT_COLOR), width=1),
            brush=QColor(TIMEOUT_COLOR), hoverable=True, tip=self._tip)
        self.fallback_marks = pg.ScatterPlotItem(
            symbol=_raised_triangle(), size=24, pen=pg.mkPen(QColor(FALLBACK_COLOR)),
            brush=QColor(FALLBACK_COLOR), hoverable=True, tip=self._tip)
        for marks in (self.timeout_marks, self.fallback_marks):
            marks.setZValue(10)
            pool.addItem(marks)
        # What an empty chart means, in its middle (hidden once it has data).
        self.latency_note = pg.TextItem(LATENCY_EMPTY, anchor=(0.5, 0.5))
        self.pool_note = pg.TextItem("", anchor=(0.5, 0.5))
        for item, note in ((lat, self.latency_note), (pool, self.pool_note)):
            note.setZValue(20)
            item.addItem(note, ignoreBounds=True)
        body.addWidget(charts)

        side = QFrame(body)
        side.setFrameShape(QFrame.Shape.NoFrame)
        form = self._form = QFormLayout(side)
        form.setContentsMargins(10, 6, 10, 6)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.stat_labels: dict[str, QLabel] = {}
        for key, label in (("translations", "Translations"), ("p50", "p50"), ("p95", "p95"),
                           ("batch", "Last batch"), ("pool", "Pool"), ("tasks", "Pool jobs"),
                           ("timeouts", "Timeouts"), ("fallbacks", "Fallbacks")):
            value = QLabel("\u2014", side)
            value.setWordWrap(True)  # "Ready (2 workers, spawn)" wraps, never cut at the edge
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setObjectName(f"stat_{key}")
            self.stat_labels[key] = value
            form.addRow(label + ":", value)
        self.window_note = QLabel(f"p50 and p95 of the last {self.model.window} translations",
                                  side)
        self.window_note.setWordWrap(True)
        form.addRow(self.window_note)
        body.addWidget(side)
        body.setStretchFactor(0, 4)
        body.setStretchFactor(1, 1)
        body.setSizes([760, 240])
        layout.addWidget(body, 1)

    @staticmethod
    def _tip(x: float, y: float, data: Any) -> str:
        return str(data)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        for note in (self.latency_note, self.pool_note):
            note.setColor(QColor(theme.gutter_fg))
        for plot in (self.latency_plot, self.pool_plot):
            plot.setBackground(QColor(theme.background))
            item = plot.getPlotItem()
            for axis in ("left", "bottom"):
                ax = item.getAxis(axis)
                ax.setPen(pg.mkPen(QColor(theme.gutter_fg)))
                ax.setTextPen(pg.mkPen(QColor(theme.foreground)))
        key = "&nbsp;&nbsp;"

        def swatch(color: str, text: str, glyph: str = "\u25a0") -> str:
            return f"{key}<span style='color:{color}'>{glyph}</span> {text}"

        self.latency_header.setText(
            f"<span style='color:{theme.foreground}'><b>Translation latency (ms)</b>"
            + swatch(PARSE_COLOR, "parse") + swatch(VALIDATE_COLOR, "validate")
            + swatch(GENERATE_COLOR, "generate")
            + swatch(P95_COLOR, f"p95 of the last {self.model.window}", "\u2501") + "</span>")
        self.pool_header.setText(
            f"<span style='color:{theme.foreground}'><b>Pool jobs (ms)</b>"
            + swatch(KIND_COLORS[JobKind.PARSE], "parse", "\u25cf")
            + swatch(KIND_COLORS[JobKind.VALIDATE], "validate", "\u25cf")
            + swatch(KIND_COLORS[JobKind.PARSE_VALIDATE], "whole pipeline (batch)", "\u25cf")
            + swatch(TIMEOUT_COLOR, "timeout", "\u2716")
            + swatch(FALLBACK_COLOR, "fallback", "\u25b2")
            + swatch(START_COLOR, "pool start", "\u2503") + "</span>")
        self._drawn_version = -1
        if hasattr(self, "_drawn"):
            self._drawn.pop("starts", None)

    # -- commands
    @Slot(bool)
    def set_paused(self, paused: bool) -> None:
        self.model.paused = paused
        if self.act_pause.isChecked() != paused:
            self.act_pause.setChecked(paused)

    @Slot()
    def clear(self) -> None:
        self.model.clear()
        self._drawn_version = -1
        self._drawn.clear()
        self.update_view(force=True)

    @Slot()
    def _on_export(self) -> None:
        self.export_csv()

    def export_csv(self, path: str | None = None) -> bool:
        """Write the recorded data (as shown) to a CSV file, off the GUI thread."""
        if path is None and self._ask_csv_path is not None:
            path = self._ask_csv_path()
        if not path:
            return False
        run_in_background(_write_text, path, self.model.csv_text(), pool=self._io, receiver=self,
                          done=lambda _none: self.exported.emit(path, ""),
                          failed=lambda error: self.exported.emit(path, _write_problem(error)))
        return True

    # -- drawing
    @Slot()
    def update_view(self, force: bool = False) -> bool:
        """Redraw from the model if it changed (the 15 Hz timer); True if redrawn.

        Only the series whose ring received rows are set again.
        """
        self.stat_labels["pool"].setText(self._pool_text())
        if self.isVisible() or force:
            self._update_notes()
        if not force and (self.model.version == self._drawn_version or not self.isVisible()
                          or time.perf_counter() < self._not_before):
            return False
        began = time.perf_counter()
        model = self.model
        self._drawn_version = model.version
        if self._changed("translations", model.translations.total):
            model.refresh()
            rows = model.translations.rows()
            t = rows[:, 0]
            parse = np.nan_to_num(rows[:, 1])
            validate = parse + np.nan_to_num(rows[:, 2])
            total = validate + np.nan_to_num(rows[:, 3])
            x = np.repeat(t, 2)
            width = WIDE_BARS_PX if len(t) <= WIDE_BARS_UP_TO else 1
            for curve, low, high in ((self.curve_parse, np.zeros_like(parse), parse),
                                     (self.curve_validate, parse, validate),
                                     (self.curve_total, validate, total)):
                y = np.empty(2 * len(t))
                y[0::2], y[1::2] = low, high
                if curve.opts["pen"].width() != width:
                    color = curve.opts["pen"].color()
                    curve.setPen(pg.mkPen(color, width=width))
                curve.setData(x, y, connect="pairs")
            p95 = rows[:, 5]
            self.curve_p95.setData(t, p95, connect=p95_connections(t, p95))
            self._scale_latency(total)
        if self._changed("tasks", model.tasks.total):
            tasks = model.tasks.rows()
            for index, kind in enumerate(KINDS):
                chosen = tasks[tasks[:, 2] == index]
                self.task_curves[kind].setData(chosen[:, 0], chosen[:, 1])
        if self._changed("marks", model.marks.total):
            marks = model.marks.rows()
            for kind, item in ((MARK_TIMEOUT, self.timeout_marks),
                               (MARK_FALLBACK, self.fallback_marks)):
                chosen = marks[marks[:, 1] == kind]
                item.setData(x=chosen[:, 0], y=np.zeros(len(chosen)),
                             data=[model.mark_tip(row) for row in chosen])
        if self._changed("starts", model.starts.total):
            starts = model.starts.rows()
            self._draw_starts(starts, [model.start_label(row) for row in starts])
        self._update_stats()
        self.redraws += 1
        self.last_redraw_s = time.perf_counter() - began
        self._not_before = began + self.last_redraw_s / BUDGET
        self.redrawn.emit()
        return True

    def _scale_latency(self, totals: np.ndarray) -> None:
        """Scale the latency chart to the usual bars: one slow translation (an outlier)
        runs off the top instead of flattening all the others."""
        view = self.latency_plot.getPlotItem().getViewBox()
        limit = latency_y_limit(totals)
        if limit is None:
            view.enableAutoRange(axis="y", enable=True)
        else:
            view.setYRange(0, limit, padding=0)

    def _update_notes(self) -> None:
        """The empty charts say why they are empty, in the middle of their view."""
        model = self.model
        if model.tasks.total or model.marks.total:
            pool_text = ""
        elif self._pool_text().startswith("Off"):
            pool_text = "No pool jobs: the pool is off (Edit > Settings > Execution)"
        else:
            pool_text = "No pool jobs yet"
        latency_text = "" if model.translations.total else LATENCY_EMPTY
        for plot, note, text in ((self.latency_plot, self.latency_note, latency_text),
                                 (self.pool_plot, self.pool_note, pool_text)):
            if note.textItem.toPlainText() != text:
                note.setText(text)
            note.setVisible(bool(text))
            if text:
                (x0, x1), (y0, y1) = plot.getPlotItem().getViewBox().viewRange()
                note.setPos((x0 + x1) / 2, (y0 + y1) / 2)

    def _changed(self, name: str, total: int) -> bool:
        if self._drawn.get(name) == total:
            return False
        self._drawn[name] = total
        return True

    def _draw_starts(self, starts: np.ndarray, labels: list[str]) -> None:
        for line, plot in self._start_lines:
            plot.removeItem(line)
        self._start_lines = []
        for row, label in zip(starts, labels, strict=True):
            for plot, text in ((self.latency_plot, ""), (self.pool_plot, label)):
                line = pg.InfiniteLine(
                    pos=float(row[0]), angle=90, movable=False, pen=_pen(START_COLOR),
                    label=text or None,
                    labelOpts={"position": 0.93,
                               "color": "#69db7c" if self._theme.dark else START_TEXT_COLOR,
                               "anchors": [(0, 0), (0, 0)],
                               "fill": _tint(self._theme.background, 220)})
                line.setToolTip(label)
                plot.addItem(line)
                self._start_lines.append((line, plot))

    def _update_stats(self) -> None:
        stats = self.model.stats()
        labels = self.stat_labels
        extra = [f"{stats[key]} {key}" for key in ("failed", "cancelled") if stats[key]]
        labels["translations"].setText(f"{stats['translations']}"
                                       + (f" ({', '.join(extra)})" if extra else ""))
        labels["p50"].setText(_ms(stats["p50_ms"]))
        labels["p95"].setText(_ms(stats["p95_ms"]))
        if stats["batch_documents"]:
            labels["batch"].setText(f"{stats['batch_documents']} docs, "
                                    f"{stats['batch_docs_per_s']:.0f} docs/s")
        else:
            labels["batch"].setText("\u2014")
        self._form.setRowVisible(labels["batch"], bool(stats["batch_documents"]))
        labels["tasks"].setText(str(stats["pool_tasks"]))
        labels["timeouts"].setText(str(stats["timeouts"]))
        labels["fallbacks"].setText(str(stats["fallbacks"]))

    def plotted_points(self) -> dict[str, int]:
        """How many points each series holds (not the clipped view): tests, bounds."""
        def count(item: Any) -> int:
            x = item.getOriginalDataset()[0]
            return 0 if x is None else len(x)

        counts = {"latency": count(self.curve_total) // 2, "p95": count(self.curve_p95)}
        for kind, curve in self.task_curves.items():
            counts[kind] = count(curve)
        counts["timeouts"] = len(self.timeout_marks.data)
        counts["fallbacks"] = len(self.fallback_marks.data)
        counts["pool_starts"] = len(self._start_lines) // 2
        return counts


def p95_connections(t: np.ndarray, p95: np.ndarray) -> np.ndarray:
    """Which neighbouring p95 points the line joins: not across an idle gap (Qt-free)."""
    if len(t) == 0:
        return np.zeros(0, dtype=bool)
    joined = np.zeros(len(t), dtype=bool)
    finite = np.isfinite(p95)
    joined[:-1] = finite[:-1] & finite[1:] & (np.diff(t) <= IDLE_GAP_S)
    return joined


def latency_y_limit(totals: np.ndarray) -> float | None:
    """The top of the latency scale when a few bars are outliers; None: scale to all."""
    values = totals[np.isfinite(totals)]
    if len(values) < 5:
        return None
    usual = float(np.percentile(values, 75))
    if usual <= 0 or float(values.max()) <= OUTLIER_FACTOR * usual:
        return None
    return float(values[values <= OUTLIER_FACTOR * usual].max()) * 1.25
