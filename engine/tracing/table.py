"""The trace table, in the exam's layout, built from the tracer's events.

One row per pseudocode statement that changed something; a column per
variable (an array element or record field is its own column, ``A[1]``,
``P.X``), one for each function's result, and OUTPUT last; a cell holds a
value only in the row where it changed. Columns are in the order values
first appear (an array's elements in index order). Qt-free: the CLI prints
it, the GUI shows it, tests compare it with tables written by hand.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field
from typing import Any

from engine.tracing.child import RETURNS

Key = tuple[str, str]  # (routine, label); routine "" for the main program
OUTPUT = "OUTPUT"
_INDEX_RE = re.compile(r"\[([^\]]*)\]")


@dataclass(slots=True)
class TraceRow:
    line: int
    routine: str
    depth: int
    cells: dict[Key, str]
    output: str = ""     # what OUTPUT printed, for the cell (the last newline dropped)
    printed: str = ""    # exactly what the statement wrote


@dataclass(frozen=True, slots=True)
class TraceColumn:
    key: Key
    header: str


@dataclass
class TraceTable:
    rows: list[TraceRow] = field(default_factory=list)
    note: str = ""               # why it ended early (row limit, error), for the reader
    error_line: int = 0
    status: str = ""             # "done", "error", "stopped", "" while running
    _order: list[Key] = field(default_factory=list)
    _seen: set[Key] = field(default_factory=set)

    # -- building ---------------------------------------------------------
    def add_event(self, event: dict[str, Any]) -> TraceRow | None:
        """Take one event from the tracer; returns the new row, if it made one."""
        kind = event.get("type")
        if kind == "row":
            cells: dict[Key, str] = {}
            for scope, label, text in event.get("changes", []):
                key = (str(scope), str(label))
                cells[key] = str(text)
                if key not in self._seen:
                    self._seen.add(key)
                    self._order.append(key)
            output = str(event.get("output", ""))
            row = TraceRow(int(event.get("line", 0)), str(event.get("routine", "")),
                           int(event.get("depth", 0)), cells,
                           output[:-1] if output.endswith("\n") else output, output)
            self.rows.append(row)
            return row
        if kind == "limit":
            if event.get("steps"):
                self.note = (f"Stopped after {event['steps']} steps: the program may be in an "
                             "endless loop. The table shows what happened until then.")
            else:
                self.note = (f"Stopped after {event.get('rows')} rows (the row limit). "
                             "The table shows the start of the run.")
        elif kind == "end":
            self.status = str(event.get("status", "done"))
            if self.status == "error":
                self.error_line = int(event.get("line", 0))
                where = f" at line {self.error_line}" if self.error_line else ""
                self.note = f"Runtime error{where}: {event.get('message', '')}".rstrip(": ")
        return None

    def finish(self, result: Any = None) -> None:
        """The run is over (``result`` is the runner's RunResult, if any)."""
        if self.status:
            return
        if result is not None and getattr(result, "killed", False):
            self.status = "stopped"
            self.note = self.note or "Stopped before the end."
        else:
            self.status = "stopped"
            error = getattr(result, "error", None)
            self.note = self.note or (f"The program ended unexpectedly: {error.message}"
                                      if error is not None else "The program ended unexpectedly.")

    # -- reading ----------------------------------------------------------
    def keys(self) -> list[Key]:
        """Every column key, grouped by variable, elements in index order."""
        groups: dict[Key, list[Key]] = {}
        for key in self._order:
            groups.setdefault((key[0], _root(key[1])), []).append(key)
        out: list[Key] = []
        for members in groups.values():
            out.extend(sorted(members, key=lambda k: _sort_key(k[1])))
        return out

    def columns(self, chosen: list[str] | None = None) -> list[TraceColumn]:
        """Variable columns (all, or those whose header or name is in ``chosen``)."""
        keys = self.keys()
        labels: dict[str, set[str]] = {}
        for scope, label in keys:
            labels.setdefault(label, set()).add(scope)
        columns = [TraceColumn(key, _header(key, labels)) for key in keys]
        if chosen is None:
            return columns
        wanted = {c.strip().lower() for c in chosen if c.strip()}
        return [c for c in columns if c.header.lower() in wanted
                or _root(c.key[1]).lower() in wanted or c.key[1].lower() in wanted]

    def grid(self, chosen: list[str] | None = None, line_numbers: bool = False,
             output: bool = True) -> tuple[list[str], list[list[str]]]:
        """Headers and rows of text; rows that show nothing chosen are left out."""
        columns = self.columns(chosen)
        headers = (["Line"] if line_numbers else []) + [c.header for c in columns] + (
            [OUTPUT] if output else [])
        body: list[list[str]] = []
        for row in self.rows:
            values = [row.cells.get(c.key, "") for c in columns]
            if output:
                values.append(row.output)
            if not any(values) and not (output and row.printed):
                continue  # nothing chosen changed here (a blank OUTPUT line still counts)
            body.append(([str(row.line)] if line_numbers else []) + values)
        return headers, body

    # -- formats ----------------------------------------------------------
    def to_csv(self, chosen: list[str] | None = None, line_numbers: bool = False) -> str:
        headers, body = self.grid(chosen, line_numbers)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(body)
        return buffer.getvalue()

    def to_tsv(self, chosen: list[str] | None = None, line_numbers: bool = False) -> str:
        """Tab-separated, as spreadsheets and word processors paste a table."""
        headers, body = self.grid(chosen, line_numbers)
        lines = ["\t".join(_one_line(x) for x in headers)]
        lines += ["\t".join(_one_line(x) for x in row) for row in body]
        return "\n".join(lines) + "\n"

    def to_markdown(self, chosen: list[str] | None = None, line_numbers: bool = False) -> str:
        headers, body = self.grid(chosen, line_numbers)

        def cell(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", "<br>")

        lines = ["| " + " | ".join(cell(h) for h in headers) + " |",
                 "|" + "|".join(" --- " for _ in headers) + "|"]
        lines += ["| " + " | ".join(cell(x) for x in row) + " |" for row in body]
        if self.note:
            lines += ["", self.note]
        return "\n".join(lines) + "\n"

    def to_html(self, chosen: list[str] | None = None, line_numbers: bool = False,
                title: str = "Trace table") -> str:
        headers, body = self.grid(chosen, line_numbers)
        out = ["<!DOCTYPE html>", '<html><head><meta charset="utf-8">',
               f"<title>{html.escape(title)}</title>",
               "<style>table{border-collapse:collapse;font-family:sans-serif}"
               "th,td{border:1px solid #444;padding:2px 8px;text-align:center}"
               "th{background:#eee}</style></head><body>",
               f"<h1>{html.escape(title)}</h1>", "<table>", "<tr>"
               + "".join(f"<th>{html.escape(h)}</th>" for h in headers) + "</tr>"]
        for row in body:
            out.append("<tr>" + "".join(
                f"<td>{html.escape(x).replace(chr(10), '<br>')}</td>" for x in row) + "</tr>")
        out.append("</table>")
        if self.note:
            out.append(f"<p>{html.escape(self.note)}</p>")
        out.append("</body></html>")
        return "\n".join(out) + "\n"


def _root(label: str) -> str:
    for index, char in enumerate(label):
        if char in "[.":
            return label[:index]
    return label


def _sort_key(label: str) -> tuple[Any, ...]:
    parts: list[Any] = []
    for piece in _INDEX_RE.findall(label):
        for item in piece.split(","):
            item = item.strip()
            parts.append((0, int(item), "") if item.lstrip("-").isdigit() else (1, 0, item))
    return (label.count("."), tuple(parts), label)


def _header(key: Key, labels: dict[str, set[str]]) -> str:
    scope, label = key
    if label == RETURNS:
        return f"{scope} returns"
    if len(labels.get(label, ())) > 1 and scope:
        return f"{label} ({scope})"
    return label


def _one_line(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " / ")
