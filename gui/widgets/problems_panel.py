"""The Problems panel: every diagnostic with its severity, line, code, message and hint."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QPolygonF
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from engine.language.diagnostics import Diagnostic, Severity, sort_key
from gui.theme import LIGHT, Theme


def summary(diagnostics: list[Diagnostic]) -> str:
    """'No problems', or the counts: '2 errors, 1 warning'."""
    counts = {s: 0 for s in Severity}
    for d in diagnostics:
        counts[d.severity] += 1
    parts = []
    for severity, word in ((Severity.ERROR, "error"), (Severity.WARNING, "warning"),
                           (Severity.INFO, "note")):
        n = counts[severity]
        if n:
            parts.append(f"{n} {word}{'s' if n != 1 else ''}")
    return ", ".join(parts) if parts else "No problems"


def severity_icon(severity: Severity, theme: Theme = LIGHT, size: int = 16) -> QIcon:
    """A small icon drawn like the gutter markers (circle, triangle, dot)."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    m = 2.0
    s = size - 2 * m
    if severity is Severity.ERROR:
        painter.setBrush(QColor(theme.error))
        painter.drawEllipse(QPointF(size / 2, size / 2), s / 2, s / 2)
        painter.setPen(QColor("#ffffff"))
        q = s / 4 + 1
        painter.drawLine(QPointF(m + q, m + q), QPointF(size - m - q, size - m - q))
        painter.drawLine(QPointF(size - m - q, m + q), QPointF(m + q, size - m - q))
    elif severity is Severity.WARNING:
        painter.setBrush(QColor(theme.warning))
        painter.drawPolygon(QPolygonF([QPointF(size / 2, m), QPointF(size - m, size - m),
                                       QPointF(m, size - m)]))
        painter.setPen(QColor("#ffffff"))
        painter.drawLine(QPointF(size / 2, size * 0.42), QPointF(size / 2, size * 0.66))
        painter.drawPoint(QPointF(size / 2, size * 0.78))
    else:
        painter.setBrush(QColor(theme.info))
        painter.drawEllipse(QPointF(size / 2, size / 2), s / 2, s / 2)
        painter.setPen(QColor("#ffffff"))
        painter.drawLine(QPointF(size / 2, size * 0.45), QPointF(size / 2, size * 0.72))
        painter.drawPoint(QPointF(size / 2, size * 0.3))
    painter.end()
    return QIcon(pixmap)


class ProblemsPanel(QTreeWidget):
    """A flat list of problems; clicking (or Enter on) one asks to go to its place."""

    problemActivated = Signal(int, int)  # line, column (1-based)

    COLUMNS = ("", "Line", "Code", "Message", "Hint")

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self._theme = theme
        self._diagnostics: list[Diagnostic] = []
        self.setColumnCount(len(self.COLUMNS))
        self.setHeaderLabels(list(self.COLUMNS))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setIconSize(QSize(16, 16))
        self.setWordWrap(False)
        header = self.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(0, 28)
        self.setColumnWidth(1, 50)
        self.setColumnWidth(2, 60)
        self.setColumnWidth(3, 420)
        self.itemClicked.connect(self._activate)
        self.itemActivated.connect(self._activate)
        self._placeholder = QTreeWidgetItem(["", "", "", "No problems", ""])

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.set_diagnostics(self._diagnostics)

    def set_diagnostics(self, diagnostics: list[Diagnostic], note: str = "") -> None:
        """Show these problems (sorted by place). ``note`` replaces 'No problems'."""
        self._diagnostics = sorted(diagnostics, key=sort_key)
        self.clear()
        icons = {s: severity_icon(s, self._theme) for s in Severity}
        for d in self._diagnostics:
            item = QTreeWidgetItem(["", str(d.line), d.code, d.message, d.hint])
            item.setIcon(0, icons[d.severity])
            item.setData(0, Qt.ItemDataRole.UserRole, (d.line, d.column))
            item.setToolTip(0, d.severity.capitalize())
            item.setToolTip(3, d.message)
            item.setToolTip(4, d.hint)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.addTopLevelItem(item)
        if not self._diagnostics:
            item = QTreeWidgetItem(["", "", "", note or "No problems", ""])
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addTopLevelItem(item)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return list(self._diagnostics)

    def _activate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        place = item.data(0, Qt.ItemDataRole.UserRole)
        if place:
            line, column = place
            self.problemActivated.emit(int(line), int(column))
