"""The Variables panel and the call stack, shown while a program is paused.

It draws the ``paused`` events of the tracer (engine/tracing/child.py): the
globals, the current routine's locals (arrays and records expand; a BYREF
parameter says whose variable it is), values that changed since the last
pause in bold on a tint, and the call stack by routine name and line, the
innermost call first (recursion shows as the same routine at growing depth).
Which rows were expanded is kept from one pause to the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

CHANGED_TINT = "#fff1a8"
AUTO_EXPAND = 20  # arrays and records up to this size open when something in them changes
_KEY_ROLE = Qt.ItemDataRole.UserRole
_LINE_ROLE = Qt.ItemDataRole.UserRole + 1


class VariablesPanel(QWidget):
    lineActivated = Signal(int)  # a call-stack entry was chosen: show its line

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("variablesTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Name", "Value"])
        self.tree.setColumnWidth(0, 230)
        self.tree.setUniformRowHeights(True)
        self.stack = QListWidget(self)
        self.stack.setObjectName("callStack")
        self.stack.itemActivated.connect(self._on_stack_item)
        self.stack.itemClicked.connect(self._on_stack_item)
        self.status = QLabel("Not running. Set a breakpoint (click left of a line number, or "
                             "F9), then Step Into (F11) or Start Debugging (Ctrl+F5).", self)
        self.status.setWordWrap(True)
        self.status.setContentsMargins(6, 4, 6, 4)
        stack_box = QWidget(self)
        stack_layout = QVBoxLayout(stack_box)
        stack_layout.setContentsMargins(0, 0, 0, 0)
        stack_layout.setSpacing(0)
        stack_label = QLabel("Call stack", self)
        stack_label.setContentsMargins(6, 4, 6, 2)
        stack_layout.addWidget(stack_label)
        stack_layout.addWidget(self.stack, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(stack_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        self._expanded: set[str] = {"(globals)", "(locals)"}
        self._changed: set[str] = set()

    # -- showing a pause --------------------------------------------------
    def show_pause(self, event: dict[str, Any]) -> None:
        self._remember_expanded()
        self._changed = set(event.get("changed", []))
        self.tree.clear()
        routine = str(event.get("routine") or "")
        if routine:
            self._group(f"Locals of {routine}", "(locals)", event.get("locals", []))
        self._group("Globals (main program)", "(globals)", event.get("globals", []))
        self.stack.clear()
        for frame in event.get("stack", []):
            depth = int(frame.get("depth", 0))
            name = str(frame.get("routine", ""))
            text = f"{name}  \u2014  line {frame.get('line')}"
            if depth > 1 and name != "main program":
                text += f"   (call depth {depth})"
            item = QListWidgetItem(text)
            item.setData(_LINE_ROLE, int(frame.get("line", 0)))
            self.stack.addItem(item)
        if self.stack.count():
            self.stack.setCurrentRow(0)
        reason = "breakpoint" if event.get("reason") == "breakpoint" else "step"
        where = f" in {routine}" if routine else ""
        self.status.setText(f"Paused at line {event.get('line')}{where} ({reason}). "
                            "F10 step over \u00b7 F11 step into \u00b7 Shift+F11 step out "
                            "\u00b7 F5 continue \u00b7 Shift+F5 stop")

    def show_running(self) -> None:
        self.status.setText("Running\u2026 (it stops at the next breakpoint or step)")

    def show_finished(self, text: str) -> None:
        self._remember_expanded()
        self.tree.clear()
        self.stack.clear()
        self.status.setText(text)

    def _group(self, title: str, key: str, nodes: list[dict[str, Any]]) -> None:
        top = QTreeWidgetItem(self.tree, [title, ""])
        top.setData(0, _KEY_ROLE, key)
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        for node in nodes:
            self._add(top, node)
        if not nodes:
            QTreeWidgetItem(top, ["(none)", ""])
        top.setExpanded(key in self._expanded)

    def _add(self, parent: QTreeWidgetItem, node: dict[str, Any]) -> QTreeWidgetItem:
        name = str(node.get("name", ""))
        if node.get("ref"):
            name += f"  (BYREF: {node['ref']})"
        item = QTreeWidgetItem(parent, [name, str(node.get("value", ""))])
        key = str(node.get("key", ""))
        item.setData(0, _KEY_ROLE, key)
        item.setToolTip(1, str(node.get("value", "")))
        children = node.get("children") or []
        for child in children:
            self._add(item, child)
        if self._is_changed(key, bool(children)):
            font = QFont(item.font(1))
            font.setBold(True)
            item.setFont(1, font)
            item.setFont(0, font)
            for column in (0, 1):
                item.setBackground(column, QBrush(QColor(CHANGED_TINT)))
                item.setForeground(column, QBrush(QColor("#1f2328")))
            item.setToolTip(0, "changed by the last step")
        if children and (key in self._expanded or (
                self._is_changed(key, True) and len(children) <= AUTO_EXPAND)):
            item.setExpanded(True)  # a small array or record that just changed opens itself
        return item

    def _is_changed(self, key: str, has_children: bool) -> bool:
        if key in self._changed:
            return True
        return has_children and any(k.startswith(key + "[") or k.startswith(key + ".")
                                    for k in self._changed)

    def _items(self) -> Iterator[QTreeWidgetItem]:
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is not None:
                yield item
                stack.extend(item.child(i) for i in range(item.childCount()))

    def _remember_expanded(self) -> None:
        for item in self._items():
            key = item.data(0, _KEY_ROLE)
            if key:
                if item.isExpanded():
                    self._expanded.add(str(key))
                elif item.childCount():
                    self._expanded.discard(str(key))

    def _on_stack_item(self, item: QListWidgetItem) -> None:
        line = int(item.data(_LINE_ROLE) or 0)
        if line:
            self.lineActivated.emit(line)

    # -- reading (tests, screen readers) ----------------------------------
    def values(self) -> dict[str, str]:
        """Every shown variable: ``{"A": "1", "Swap:X": "2", "A[1]": "5"}`` by key."""
        out: dict[str, str] = {}
        for item in self._items():
            key = item.data(0, _KEY_ROLE)
            if key and not str(key).startswith("("):
                out[str(key)] = item.text(1)
        return out

    def changed_keys(self) -> set[str]:
        return set(self._changed)

    def stack_lines(self) -> list[str]:
        return [self.stack.item(i).text() for i in range(self.stack.count())]
