"""The Trace dock: the exam-style trace table of the last Run > Trace.

A thin view over :class:`engine.tracing.table.TraceTable`: the model shows the
table's grid (columns the student ticks in the Columns menu, OUTPUT last),
grows as rows stream in, and tells the pseudocode line of each row on hover;
selecting a row asks the window to highlight that line. Copy puts the table
on the clipboard as tab-separated text *and* HTML (a word processor pastes a
real table); Export writes CSV or HTML.
"""

from __future__ import annotations

import atexit
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.sources import SourceProblem, write_source
from engine.tracing.table import OUTPUT, TraceColumn, TraceRow, TraceTable

_Index = QModelIndex | QPersistentModelIndex


_clipboard_watched = False


def release_clipboard() -> None:
    """Put our rich clipboard data back as plain text (the text stays pasteable).

    PySide6 6.11 crashes at interpreter exit if the clipboard still owns a
    QMimeData made from Python; this runs when the application quits (and at
    exit), so copying a trace table and quitting never crashes."""
    app = QGuiApplication.instance()
    if app is None:
        return
    clipboard = QGuiApplication.clipboard()
    data = clipboard.mimeData()
    if data is not None and data.hasHtml():
        clipboard.setText(clipboard.text())


def _watch_clipboard() -> None:
    global _clipboard_watched
    if _clipboard_watched:
        return
    app = QGuiApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(release_clipboard)
        atexit.register(release_clipboard)
        _clipboard_watched = True


class TraceTableModel(QAbstractTableModel):
    """Rows of a TraceTable as they arrive; hidden columns are left out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = TraceTable()
        self.source_lines: list[str] = []
        self.hidden: set[str] = set()   # headers the student unticked
        self._columns: list[TraceColumn] = []

    def reset(self, table: TraceTable, source: str) -> None:
        self.beginResetModel()
        self.table = table
        self.source_lines = source.splitlines()
        self._columns = []
        self.endResetModel()

    def add_row(self, row: TraceRow) -> None:
        """A row was added to the table (columns may have appeared with it)."""
        columns = self.visible_columns()
        if [c.key for c in columns] != [c.key for c in self._columns]:
            self.beginResetModel()
            self._columns = columns
            self.endResetModel()
            return
        count = len(self.table.rows)
        self.beginInsertRows(QModelIndex(), count - 1, count - 1)
        self.endInsertRows()

    def visible_columns(self) -> list[TraceColumn]:
        return [c for c in self.table.columns() if c.header not in self.hidden]

    def set_hidden(self, hidden: set[str]) -> None:
        self.beginResetModel()
        self.hidden = set(hidden)
        self._columns = self.visible_columns()
        self.endResetModel()

    def chosen(self) -> list[str] | None:
        """The ticked columns, for the table's exports (None: all of them)."""
        if not self.hidden:
            return None
        return [c.header for c in self.visible_columns()]

    # -- the model --------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._columns) + 1

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        vertical = orientation == Qt.Orientation.Vertical
        if vertical and 0 <= section < len(self.table.rows):
            row = self.table.rows[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return str(row.line)  # each row's pseudocode line, left of the table
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.line_tooltip(row)
            return None
        if role != Qt.ItemDataRole.DisplayRole or vertical:
            return None
        return self._columns[section].header if section < len(self._columns) else OUTPUT

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.table.rows):
            return None
        row = self.table.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() < len(self._columns):
                return row.cells.get(self._columns[index.column()].key, "")
            return row.output.replace("\n", " / ")
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.line_tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def line_tooltip(self, row: TraceRow) -> str:
        text = ""
        if 0 < row.line <= len(self.source_lines):
            text = self.source_lines[row.line - 1].strip()
        where = f" in {row.routine}" if row.routine else ""
        return f"Line {row.line}{where}: {text}" if text else f"Line {row.line}{where}"


class TraceDock(QWidget):
    """The table, its note (row limit, runtime error) and its buttons."""

    lineSelected = Signal(int)     # the pseudocode line of the selected row
    retraceRequested = Signal()    # "Trace again" (with the same inputs)
    inputsRequested = Signal()     # "Inputs..."

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TraceTableModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("traceTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.selectionModel().currentRowChanged.connect(self._on_row)
        self.placeholder = QLabel("Run \u25b8 Trace Table (F6) runs the program and fills this "
                                  "table, the way an exam's dry run asks for it.", self)
        self.placeholder.setWordWrap(True)
        self.note = QLabel("", self)
        self.note.setWordWrap(True)
        self.note.setObjectName("traceNote")
        self.note.hide()

        self.columns_button = QToolButton(self)
        self.columns_button.setText("Columns")
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_menu = QMenu(self)
        self.columns_menu.aboutToShow.connect(self._fill_columns_menu)
        self.columns_button.setMenu(self.columns_menu)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(4, 2, 4, 2)
        self.again_button = self._button("Trace Again", self.retraceRequested.emit,
                                         "Run the trace again with the same inputs")
        self.inputs_button = self._button("Inputs\u2026", self.inputsRequested.emit,
                                          "The lines INPUT reads, one per line")
        self.copy_button = self._button("Copy", self.copy_table,
                                        "Copy the table (pastes as a table)")
        self.csv_button = self._button("Export CSV\u2026", lambda: self.export("csv"),
                                       "Save the table as CSV (spreadsheets)")
        self.html_button = self._button("Export HTML\u2026", lambda: self.export("html"),
                                        "Save the table as a web page (print it)")
        for widget in (self.again_button, self.inputs_button, self.columns_button,
                       self.copy_button, self.csv_button, self.html_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        self.status = QLabel("", self)
        buttons.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(buttons)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        self.view.hide()
        self.file_dialog = QFileDialog.getSaveFileName  # tests replace it
        self.export_folder = ""

    def _button(self, text: str, slot, tip: str) -> QToolButton:  # noqa: ANN001
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # -- filling ----------------------------------------------------------
    def start(self, table: TraceTable, source: str, title: str) -> None:
        self.model.reset(table, source)
        self.title = title
        self.placeholder.hide()
        self.view.show()
        self.note.hide()
        self.status.setText("Tracing\u2026")

    def add_row(self, row: TraceRow) -> None:
        self.model.add_row(row)
        self.status.setText(f"{len(self.model.table.rows)} rows\u2026")

    def finish(self) -> None:
        table = self.model.table
        self.status.setText(f"{len(table.rows)} rows")
        if table.note:
            self.note.setText(table.note)
            color = "#cf222e" if table.status == "error" else "#9a6700"
            self.note.setStyleSheet(f"QLabel {{ color: {color}; padding: 4px 8px; }}")
            self.note.show()

    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < len(self.model.table.rows):
            self.lineSelected.emit(self.model.table.rows[current.row()].line)

    # -- columns ----------------------------------------------------------
    def _fill_columns_menu(self) -> None:
        self.columns_menu.clear()
        everything = self.model.table.columns()
        show_all = self.columns_menu.addAction("Show All")
        show_all.triggered.connect(lambda: self.model.set_hidden(set()))
        self.columns_menu.addSeparator()
        for column in everything:
            action = QAction(column.header, self.columns_menu)
            action.setCheckable(True)
            action.setChecked(column.header not in self.model.hidden)
            action.toggled.connect(lambda on, h=column.header: self.set_column_shown(h, on))
            self.columns_menu.addAction(action)
        if not everything:
            self.columns_menu.addAction("(no variables yet)").setEnabled(False)

    def set_column_shown(self, header: str, shown: bool) -> None:
        hidden = set(self.model.hidden)
        if shown:
            hidden.discard(header)
        else:
            hidden.add(header)
        self.model.set_hidden(hidden)

    # -- copy and export --------------------------------------------------
    def copy_table(self) -> None:
        table, chosen = self.model.table, self.model.chosen()
        data = QMimeData()
        data.setText(table.to_tsv(chosen))
        data.setHtml(table.to_html(chosen, title=getattr(self, "title", "Trace table")))
        QGuiApplication.clipboard().setMimeData(data)
        _watch_clipboard()
        self.status.setText("Copied")

    def export(self, kind: str) -> str:
        """Ask for a file and write the table there; returns the path ("" if none)."""
        title = getattr(self, "title", "trace")
        suggested = str(Path(self.export_folder or Path.home()) / f"{Path(title).stem}-trace.{kind}")
        filters = "CSV files (*.csv)" if kind == "csv" else "Web pages (*.html)"
        path, _ = self.file_dialog(self, "Export the trace table", suggested, filters)
        if not path:
            return ""
        table, chosen = self.model.table, self.model.chosen()
        text = table.to_csv(chosen) if kind == "csv" else table.to_html(
            chosen, title=f"Trace table: {title}")
        try:
            write_source(path, text, newline=None)  # atomic; the CSV's own line ends
        except SourceProblem as error:
            self.status.setText(f"Not saved: {error.reason}")
            return ""
        self.status.setText(f"Saved {Path(path).name}")
        return path
