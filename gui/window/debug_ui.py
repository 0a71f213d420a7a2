"""Trace tables and stepping in the window: docks, Run-menu actions, wiring.

``install_debugging(window)`` adds the Trace dock (bottom, with the Console)
and the Variables dock (right, with the Python pane), the Run-menu actions
(Trace Table F6, Trace Inputs..., Start Debugging Ctrl+F5, Step Over F10,
Step Into F11, Step Out Shift+F11, Continue F5 while paused, Toggle
Breakpoint F9) and connects the editor's gutter breakpoints, the window's
runner and the controller. The main window only calls it; everything the
feature needs lives here and in trace_dock, variables_panel, debug_controller.

Inputs for a trace are the lines INPUT reads. They are remembered per file
(QSettings ``trace/inputs/<path>``; untitled programs keep them while open);
the first trace of a program that reads input asks for them in a small
dialog, offering the lines typed in the Console during its last Run.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QSettings, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QInputDialog, QMenuBar, QStatusBar, QTabWidget

from gui.services.debug_controller import DebugController, State
from gui.services.run_controller import RunController
from gui.widgets.code_editor import CodeEditor
from gui.widgets.console import Console
from gui.widgets.trace_dock import TraceDock
from gui.widgets.variables_panel import VariablesPanel

if TYPE_CHECKING:
    from gui.window.document_tab import DocumentTab

_SETTINGS_PREFIX = "trace/inputs/"


class DebugHost(Protocol):
    """What the debugging docks use of the main window (a QMainWindow). A protocol, not
    ``MainWindow`` itself: main_window imports this module, so importing it back (even
    for type checking only) would be an import circle."""

    console: Console
    console_dock: QDockWidget
    python_dock: QDockWidget
    runner: RunController
    settings: Any
    state: QSettings
    tabs: QTabWidget

    def current_tab(self) -> DocumentTab | None: ...
    def current_editor(self) -> CodeEditor | None: ...
    def document_tabs(self) -> list[DocumentTab]: ...
    def start_code(self, tab: DocumentTab, code: str, line_map: dict[int, int] | None = None,
                   notice: str = "") -> bool: ...
    def menuBar(self) -> QMenuBar: ...  # noqa: N802 - Qt's names
    def statusBar(self) -> QStatusBar: ...  # noqa: N802
    def addAction(self, action: QAction) -> None: ...  # noqa: N802
    def addDockWidget(self, area: Qt.DockWidgetArea, dock: QDockWidget) -> None: ...  # noqa: N802
    def tabifyDockWidget(self, first: QDockWidget, second: QDockWidget) -> None: ...  # noqa: N802


class DebugUI(QObject):
    def __init__(self, window: DebugHost) -> None:
        super().__init__(window)
        self.window = window
        self.controller = DebugController(self._start, self)
        self.tab: DocumentTab | None = None
        self._memory: dict[int, list[str]] = {}       # untitled tabs: id -> inputs
        self._console_lines: dict[int, list[str]] = {}  # lines typed during the last Run
        self.ask_inputs = self._dialog                # tests replace it
        self._pending_notices: list[str] = []          # shown once the Console is cleared
        self._build_docks()
        self._build_actions()
        controller = self.controller
        controller.stateChanged.connect(self._update_actions)
        controller.problems.connect(self._on_problems)
        controller.traceStarted.connect(self._on_trace_started)
        controller.traceRow.connect(self.trace_dock.add_row)
        controller.traceFinished.connect(self._on_trace_finished)
        controller.paused.connect(self._on_paused)
        controller.resumed.connect(self._on_resumed)
        controller.debugFinished.connect(self._on_debug_finished)
        controller.notice.connect(self._pending_notices.append)
        window.runner.finished.connect(controller.program_finished)
        window.runner.finished.connect(self._update_actions)
        window.runner.started.connect(self._on_run_started)
        window.console.lineEntered.connect(self._on_console_line)
        window.tabs.currentChanged.connect(lambda _i: self._connect_editor())
        self._connected_editors: set[int] = set()
        self._connect_editor()
        self._update_actions()

    # -- layout -----------------------------------------------------------
    def _build_docks(self) -> None:
        window = self.window
        self.trace_dock = TraceDock(window)
        self.trace_dock.lineSelected.connect(self._show_line)
        self.trace_dock.retraceRequested.connect(self.trace)
        self.trace_dock.inputsRequested.connect(self.edit_inputs)
        self.trace_dock_widget = self._dock("Trace", "traceDock", self.trace_dock,
                                            Qt.DockWidgetArea.BottomDockWidgetArea)
        window.tabifyDockWidget(window.console_dock, self.trace_dock_widget)
        self.variables = VariablesPanel(window)
        self.variables.lineActivated.connect(self._show_line)
        self.variables_dock = self._dock("Variables", "variablesDock", self.variables,
                                         Qt.DockWidgetArea.RightDockWidgetArea)
        window.tabifyDockWidget(window.python_dock, self.variables_dock)
        window.python_dock.raise_()
        window.problems_dock.raise_()  # the window opens as it did: Python and Problems in front

    def _dock(self, title: str, name: str, widget: Any, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.window.addDockWidget(area, dock)
        return dock

    def _build_actions(self) -> None:
        window = self.window

        def action(text: str, slot: Any, shortcut: str | None, tip: str) -> QAction:
            act = QAction(text, window)
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            act.setStatusTip(tip)
            act.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
            act.triggered.connect(slot)
            window.addAction(act)
            return act

        self.act_trace = action("&Trace Table", self.trace, "F6",
                                "Run the program and fill the Trace table (exam layout)")
        self.act_inputs = action("Trace &Inputs\u2026", self.edit_inputs, None,
                                 "The lines INPUT reads when the program is traced")
        self.act_debug = action("Start &Debugging", lambda: self.debug("continue"), "Ctrl+F5",
                                "Run the program, stopping at breakpoints")
        self.act_continue = action("&Continue", lambda: self.controller.command("continue"),
                                   "F5", "Run on to the next breakpoint")
        self.act_step_over = action("Step &Over", lambda: self.step("step_over"), "F10",
                                    "Run the current line, calls and all")
        self.act_step_into = action("Step &Into", lambda: self.step("step_into"), "F11",
                                    "Run the current line, going into a call")
        self.act_step_out = action("Step O&ut", lambda: self.controller.command("step_out"),
                                   "Shift+F11", "Run until the current routine returns")
        self.act_pause = action("&Pause", self.controller.pause, None,
                                "Stop at the next line of the running program")
        self.act_breakpoint = action("Toggle &Breakpoint", self.toggle_breakpoint, "F9",
                                     "Stop here when debugging (or click left of the line "
                                     "number)")
        self.act_clear_breakpoints = action("Clear All Breakpoints", self.clear_breakpoints,
                                            None, "Remove every breakpoint of this program")
        menu = self._run_menu()
        if menu is not None:
            menu.addSeparator()
            menu.addActions([self.act_trace, self.act_inputs])
            menu.addSeparator()
            menu.addActions([self.act_debug, self.act_continue, self.act_step_over,
                             self.act_step_into, self.act_step_out, self.act_pause])
            menu.addSeparator()
            menu.addActions([self.act_breakpoint, self.act_clear_breakpoints])
        view = self._menu("&View")
        if view is not None:
            view.addAction(self.trace_dock_widget.toggleViewAction())
            view.addAction(self.variables_dock.toggleViewAction())
        toolbar = getattr(window, "toolbar", None)
        if toolbar is not None:
            toolbar.addAction(self.act_trace)
            toolbar.addAction(self.act_step_over)
            toolbar.addAction(self.act_step_into)

    def _menu(self, title: str) -> Any:
        for act in self.window.menuBar().actions():
            if act.text().replace("&", "") == title.replace("&", "") and act.menu() is not None:
                return act.menu()
        return None

    def _run_menu(self) -> Any:
        return self._menu("&Run")

    def _update_actions(self, *_: object) -> None:
        state = self.controller.state
        idle = state is State.IDLE and not self.window.runner.is_running()
        paused = state is State.PAUSED
        self.act_trace.setEnabled(idle)
        self.act_debug.setEnabled(idle)
        self.act_continue.setEnabled(paused)
        self.act_step_over.setEnabled(idle or paused)
        self.act_step_into.setEnabled(idle or paused)
        self.act_step_out.setEnabled(paused and bool(
            (self.controller.last_pause or {}).get("routine")))
        self.act_pause.setEnabled(state is State.RUNNING and self.controller.mode == "debug")

    # -- editor -----------------------------------------------------------
    def _connect_editor(self) -> None:
        editor = self.window.current_editor()
        if editor is None or id(editor) in self._connected_editors:
            self._sync_breakpoints()
            return
        self._connected_editors.add(id(editor))
        editor.breakpointsChanged.connect(self._sync_breakpoints)
        self._sync_breakpoints()

    def _sync_breakpoints(self) -> None:
        editor = self.tab.editor if self.tab is not None and self.controller.busy() else (
            self.window.current_editor())
        if editor is not None:
            self.controller.set_breakpoints(editor.breakpoints())

    def toggle_breakpoint(self) -> None:
        editor = self.window.current_editor()
        if editor is not None:
            editor.toggle_breakpoint(editor.textCursor().blockNumber() + 1)

    def clear_breakpoints(self) -> None:
        editor = self.window.current_editor()
        if editor is not None:
            editor.set_breakpoints([])

    def _show_line(self, line: int) -> None:
        tab = self.tab if self.tab is not None and self._tab_open(self.tab) else (
            self.window.current_tab())
        if tab is None:
            return
        if tab is not self.window.current_tab():
            self.window.tabs.setCurrentWidget(tab)
        tab.editor.set_execution_line(line)

    def _tab_open(self, tab: DocumentTab) -> bool:
        return tab in self.window.document_tabs()

    # -- starting ---------------------------------------------------------
    def _strict(self) -> bool:
        return bool(getattr(self.window.settings, "strict_mode", False))

    def _ready(self) -> DocumentTab | None:
        tab = self.window.current_tab()
        if tab is None:
            return None
        if self.controller.busy() or self.window.runner.is_running():
            self.window.statusBar().showMessage(
                "A program is already running: Shift+F5 stops it", 4000)
            return None
        return tab

    def trace(self) -> bool:
        tab = self._ready()
        if tab is None:
            return False
        inputs = self.inputs_for(tab)
        if inputs is None and self._reads_input(tab):
            inputs = self.edit_inputs()
            if inputs is None:
                return False
        self.tab = tab
        self.trace_dock.export_folder = str(tab.path.parent) if tab.path is not None else ""
        return self.controller.trace(tab.editor.toPlainText(), inputs or [], self._strict(),
                                     tab.title)

    def debug(self, step: str = "continue") -> bool:
        tab = self._ready()
        if tab is None:
            return False
        self.tab = tab
        self.controller.set_breakpoints(tab.editor.breakpoints())
        return self.controller.debug(tab.editor.toPlainText(), step, self._strict(), tab.title)

    def step(self, kind: str) -> bool:
        """F10 / F11: a step while paused; when nothing runs, start paused at line one."""
        if self.controller.state is State.PAUSED:
            return self.controller.command(kind)
        if self.controller.state is State.IDLE:
            return self.debug("step_into")
        return False

    def _start(self, code: str, title: str) -> bool:
        tab = self.tab
        if tab is None:
            return False
        verb = "Tracing" if self.controller.mode == "trace" else "Debugging"
        started = self.window.run_commands.start_code(tab, code, None, f"\u25b6 {verb} {tab.title}")
        for text in self._pending_notices:
            self.window.console.notice(text)
        self._pending_notices.clear()
        if started and self.controller.mode == "debug":
            self.variables_dock.show()
            self.variables_dock.raise_()
            self.variables.show_running()
        return started

    # -- inputs -----------------------------------------------------------
    def _key(self, tab: DocumentTab) -> str | None:
        return _SETTINGS_PREFIX + str(tab.path) if tab.path is not None else None

    def inputs_for(self, tab: DocumentTab) -> list[str] | None:
        """The remembered inputs of ``tab``'s program (None: never given)."""
        key = self._key(tab)
        if key is None:
            return self._memory.get(id(tab))
        value = self.window.state.value(key)
        if value is None:
            return None
        if isinstance(value, str):
            return value.split("\n") if value else []
        return [str(x) for x in value]

    def remember_inputs(self, tab: DocumentTab, inputs: list[str]) -> None:
        key = self._key(tab)
        if key is None:
            self._memory[id(tab)] = list(inputs)
        else:
            self.window.state.setValue(key, "\n".join(inputs))

    def _reads_input(self, tab: DocumentTab) -> bool:
        return re.search(r"\bINPUT\b", tab.editor.toPlainText(), re.IGNORECASE) is not None

    def edit_inputs(self) -> list[str] | None:
        """Ask for the trace inputs of the current program; None if cancelled."""
        tab = self.window.current_tab()
        if tab is None:
            return None
        current = self.inputs_for(tab)
        if current is None:
            current = self._console_lines.get(id(tab), [])
        answer = self.ask_inputs("\n".join(current))
        if answer is None:
            return None
        inputs = [line.rstrip("\r") for line in answer.split("\n")]
        while inputs and not inputs[-1]:
            inputs.pop()
        self.remember_inputs(tab, inputs)
        return inputs

    def _dialog(self, text: str) -> str | None:
        answer, ok = QInputDialog.getMultiLineText(
            self.window, "Trace inputs",
            "The lines INPUT reads, one per line, in order:", text)
        return answer if ok else None

    # -- what happens -----------------------------------------------------
    @Slot()
    def _on_run_started(self) -> None:
        tab = self.window.current_tab()
        if tab is not None and not self.controller.busy():
            self._console_lines[id(tab)] = []  # a plain Run: remember what is typed
        self._update_actions()

    @Slot(str)
    def _on_console_line(self, text: str) -> None:
        if self.controller.busy():
            return
        tab = self.window.current_tab()
        if tab is not None and self.window.runner.is_running():
            self._console_lines.setdefault(id(tab), []).append(text)

    def _on_problems(self, program: Any) -> None:
        errors = program.errors
        console = self.window.console
        self.window.console_dock.show()
        self.window.console_dock.raise_()
        if errors:
            console.notice(f"Cannot trace or step: the pseudocode has {len(errors)} error(s). "
                           "Fix them first (see Problems).")
        else:
            console.notice("Cannot trace or step: the translator failed on this program.")

    def _on_trace_started(self, table: Any) -> None:
        tab = self.tab
        self.trace_dock.start(table, tab.editor.toPlainText() if tab else "",
                              tab.title if tab else "")
        self.trace_dock_widget.show()
        self.trace_dock_widget.raise_()

    def _on_trace_finished(self, table: Any) -> None:
        self.trace_dock.finish()
        self.trace_dock_widget.raise_()
        if table.status == "error" and table.error_line and self.tab is not None:
            self.trace_dock.status.setText(f"{len(table.rows)} rows, then a runtime error")
        self._update_actions()

    def _on_paused(self, event: dict[str, Any]) -> None:
        self.variables.show_pause(event)
        if self.tab is not None and self._tab_open(self.tab):
            self._show_line(int(event.get("line", 0)))
        self.window.statusBar().showMessage(f"Paused at line {event.get('line')}")
        self._update_actions()

    def _on_resumed(self) -> None:
        self.variables.show_running()
        if self.tab is not None and self._tab_open(self.tab):
            self.tab.editor.set_execution_line(None, reveal=False)
        self._update_actions()

    def _on_debug_finished(self, text: str) -> None:
        self.variables.show_finished(text)
        if self.tab is not None and self._tab_open(self.tab):
            self.tab.editor.set_execution_line(None, reveal=False)
        self._update_actions()


def install_debugging(window: DebugHost) -> DebugUI:
    return DebugUI(window)
