"""The main window: documents in tabs, Python on the right, Problems and Console below.

Wiring only: the document tabs translate themselves (``DocumentTab``), the
run controller runs programs, the file functions read and write, the
recovery store keeps unsaved work. This class connects them to menus,
docks and the status bar, and asks the user through ``MessageBoxes``.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QPointF,
    QRunnable,
    QSettings,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QColor,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QPainter,
    QPixmap,
    QPolygonF,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.execution.runner import RunResult
from engine.folder_batch import BatchSummary
from engine.language.diagnostics import Severity
from engine.sources import SourceProblem, read_source, write_python, write_source
from gui import resources
from gui.dialogs.message_boxes import MessageBoxes, SaveChoice
from gui.model.editor_settings import EditorSettings
from gui.model.recovery import RecoveredDocument, RecoveryStore
from gui.services.batch_runner import BatchRunner
from gui.services.engine_service import EngineService
from gui.services.live_translation import TranslateFn, share_the_gil_with_the_gui
from gui.services.run_controller import RunController
from gui.theme import Theme, apply_to_application, resolve
from gui.widgets.code_editor import CodeEditor, monospace_font
from gui.widgets.console import Console
from gui.widgets.find_bar import FindBar
from gui.widgets.problems_panel import ProblemsPanel, summary
from gui.widgets.python_pane import PythonPane
from gui.widgets.python_style_switch import PythonStyleSwitch
from gui.window.debug_ui import install_debugging
from gui.window.document_tab import DocumentTab
from gui.window.start_page import StartPage

APP_NAME = "Pseudocode Translator"
MAX_RECENT = 10
# Small windows: the editor keeps the larger share. Side docks (left + right) may take at
# most SIDE_MAX of the width and bottom docks BOTTOM_MAX of the height; past that they
# are shrunk to SIDE_FIT / BOTTOM_FIT (see MainWindow.fit_docks). A window shorter than
# SHORT_WINDOW gives the bottom docks (their tab bar included) less: BOTTOM_*_SHORT.
SIDE_MAX, SIDE_FIT = 0.45, 0.40
BOTTOM_MAX, BOTTOM_FIT = 0.26, 0.22
SHORT_WINDOW = 760
BOTTOM_MAX_SHORT, BOTTOM_FIT_SHORT = 0.25, 0.20


def _shape_icon(kind: str, color: str) -> QIcon:
    """Small flat icons for the toolbar (run triangle, stop square)."""
    pixmap = QPixmap(40, 40)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    if kind == "run":
        painter.drawPolygon(QPolygonF([QPointF(5, 3), QPointF(17, 10), QPointF(5, 17)]))
    else:
        painter.drawRoundedRect(4, 4, 12, 12, 2, 2)
    painter.end()
    return QIcon(pixmap)


class _AutosaveJob(QRunnable):
    """Writes the recovery snapshot off the UI thread."""

    def __init__(self, store: RecoveryStore, documents: list[RecoveredDocument],
                 done: Signal) -> None:
        super().__init__()
        self._store, self._documents, self._done = store, documents, done

    def run(self) -> None:
        ok = self._store.save(self._documents)
        try:
            self._done.emit(ok)
        except RuntimeError:
            pass


class PoolIndicator(QToolButton):
    """The status bar's pool state; its tooltip (the latest event) is made when shown."""

    def __init__(self, tooltip: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tooltip = tooltip
        self.setAutoRaise(True)
        self.setObjectName("statusPool")

    def current_tooltip(self) -> str:
        return self._tooltip()

    def event(self, event: QEvent) -> bool:  # noqa: D401
        if event.type() == QEvent.Type.ToolTip:
            self.setToolTip(self._tooltip())
        return super().event(event)


class _Call(QRunnable):
    """Runs ``fn()`` on a worker thread and emits ``done(result or exception)``."""

    def __init__(self, fn: Callable[[], object], done: Signal) -> None:
        super().__init__()
        self._fn, self._done = fn, done

    def run(self) -> None:
        try:
            result: object = self._fn()
        except Exception as error:  # noqa: BLE001 - handed to the GUI thread
            result = error
        try:
            self._done.emit(result)
        except RuntimeError:
            pass


def _save_python_style(style: str) -> object:
    """Remember the style: the setting translation.python_style in the config file."""
    from engine.config import ConfigManager

    manager = ConfigManager()
    config = manager.load()
    config.translation.python_style = style
    return manager.save(config)


def _load_config_manager() -> object:
    from engine.config import ConfigManager

    manager = ConfigManager()
    manager.load()
    return manager


class MainWindow(QMainWindow):
    autosaved = Signal(bool)
    runFinished = Signal(object)
    settingsOpened = Signal(object)     # the SettingsDialog, once shown
    settingsApplied = Signal(object)    # the TranslatorConfig now in force
    batchFinished = Signal(object)      # BatchSummary
    closedUnattended = Signal(str)      # close_unattended() closed the window (the reason)
    _autosave_done = Signal(bool)
    _settings_loaded = Signal(object)
    _style_saved = Signal(object)

    def __init__(self, settings: EditorSettings | None = None, state: QSettings | None = None,
                 recovery: RecoveryStore | None = None, dialogs: MessageBoxes | None = None,
                 translator_factory: Callable[[Any], TranslateFn] | None = None,
                 parent: QWidget | None = None, engine: EngineService | None = None) -> None:
        super().__init__(parent)
        share_the_gil_with_the_gui()
        self.settings = settings or EditorSettings()
        self.state = state if state is not None else QSettings()
        self.recovery = recovery
        self.dialogs = dialogs or MessageBoxes()
        # One translator for the app (its events feed the Performance panel and the pool
        # indicator); ``translator_factory`` (one per tab) is for tests with a stand-in.
        self.engine = engine if engine is not None else EngineService(self.settings.config, self)
        self._translator_factory = translator_factory
        self._perf_model: Any = None         # PerfModel (numpy), made on the first event
        self.perf_panel: Any = None          # built the first time the dock is shown
        self.settings_dialog: Any = None
        self._settings_loading = False
        self._settings_page = "Execution"
        self.engine.bridge.event.connect(self._record_event)
        self.engine.poolChanged.connect(self._update_pool_indicator)
        self._settings_loaded.connect(self._on_settings_loaded)
        self._style_saved.connect(self._on_style_saved)
        self.batch = BatchRunner(self, self.dialogs)
        self.batch.finished.connect(self._on_batch_finished)
        choice = str(self.state.value("view/theme", self.settings.theme))
        self._theme_choice = choice if choice in ("system", "light", "dark") else "system"
        self.theme: Theme = resolve(self._theme_choice)
        self._zoom = int(self.state.value("view/zoom", 0) or 0)
        self._untitled = 0
        self._pending_run: DocumentTab | None = None
        self._run_tab: DocumentTab | None = None
        self._run_started = 0.0
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._reference: QWidget | None = None
        self._closing = False
        self._unattended = ""   # why the window closes with nobody to ask ("SIGTERM" ...)
        self._unattended_tries = 0
        self._io_pool = QThreadPool(self)
        self._io_pool.setMaxThreadCount(1)
        self._autosave_done.connect(self._on_autosaved)

        self.setWindowTitle(APP_NAME)
        self.setDockNestingEnabled(True)
        self._fit_timer = QTimer(self)  # after a resize has been laid out: fit the docks
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_docks)
        self._build_central()
        self._build_docks()
        self.runner = RunController(self)
        self.runner.output.connect(self._on_run_output)
        self.runner.inputRequested.connect(self._on_input_requested)
        self.runner.finished.connect(self._on_run_finished)
        self.console.lineEntered.connect(self._on_console_line)
        self.console.stopRequested.connect(self.stop_program)
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self.debugging = install_debugging(self)  # Trace table, stepping (gui/window/debug_ui.py)
        self.resize(1280, 800)
        icon = self._app_icon()
        if not icon.isNull():
            self.setWindowIcon(icon)
        self._autosave_timer = QTimer(self)
        self._autosave_timer.timeout.connect(self.autosave_now)
        if self.settings.autosave_interval_s > 0 and self.recovery is not None:
            self._autosave_timer.start(self.settings.autosave_interval_s * 1000)
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._on_system_scheme_changed)
        self.apply_theme(self._theme_choice, remember=False)
        self._apply_zoom()
        self._update_pool_indicator()
        self.engine.start()  # the pool, if enabled, starts in the background

    # ------------------------------------------------------------------ layout
    def _build_central(self) -> None:
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(self._on_current_changed)
        self.find_bar = FindBar(self)
        self.editor_area = QWidget(self)
        layout = QVBoxLayout(self.editor_area)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.find_bar)
        # The start page stands in for an untouched, empty Untitled document.
        self.start_page = StartPage(self, self.theme)
        self.start_page.newRequested.connect(self.new_program)
        self.start_page.openRequested.connect(self.open_dialog)
        self.start_page.recentRequested.connect(self.open_path)
        self.start_page.exampleRequested.connect(self.open_example)
        self._start_dismissed = False
        self._shown_errors = 0  # errors in the Problems panel (raised when they appear)
        self.central_stack = QStackedWidget(self)
        self.central_stack.addWidget(self.editor_area)
        self.central_stack.addWidget(self.start_page)
        self.setCentralWidget(self.central_stack)

    def _build_docks(self) -> None:
        # The Python dock: PythonPane (banner, helpers note and its ``header`` row, view).
        self.python_pane = PythonPane(self, self.theme)
        self.python_view = self.python_pane.view
        self.python_banner = self.python_pane.banner
        self.python_dock = self._dock("Python", "pythonDock", self.python_pane,
                                      Qt.DockWidgetArea.RightDockWidgetArea)
        self.python_style_switch = PythonStyleSwitch(self.python_pane, self.python_style)
        self.python_style_switch.styleChanged.connect(self.set_python_style)
        self.python_pane.header.addWidget(self.python_style_switch, 0,
                                          Qt.AlignmentFlag.AlignRight)
        self.problems = ProblemsPanel(self, self.theme)
        self.problems.problemActivated.connect(self.go_to_problem)
        self.problems_dock = self._dock("Problems", "problemsDock", self.problems,
                                        Qt.DockWidgetArea.BottomDockWidgetArea)
        self.console = Console(self, self.theme)
        self.console_dock = self._dock("Console", "consoleDock", self.console,
                                       Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.problems_dock, self.console_dock)
        self.perf_dock = self._dock("Performance", "performanceDock", QWidget(self),
                                    Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.console_dock, self.perf_dock)
        self.perf_dock.hide()
        self.perf_dock.visibilityChanged.connect(self._on_perf_visible)
        self.problems_dock.raise_()
        self.resizeDocks([self.python_dock], [560], Qt.Orientation.Horizontal)
        self.resizeDocks([self.problems_dock], [220], Qt.Orientation.Vertical)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, slot: Callable[..., object], shortcut: Any = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, list):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        a = self._action
        self.act_new = a("&New", self.new_program, key.New, "Start a new program")
        self.act_open = a("&Open\u2026", self.open_dialog, key.Open, "Open a pseudocode file")
        self.act_save = a("&Save", self.save, key.Save, "Save the program")
        self.act_save_as = a("Save &As\u2026", self.save_as, key.SaveAs, "Save under a new name")
        self.act_revert = a("&Revert", self.revert, None, "Go back to the saved file")
        self.act_export = a("&Export Python\u2026", self.export_python, "Ctrl+E",
                            "Save the translated Python as a .py file")
        self.act_close_tab = a("&Close", self.close_current_tab, key.Close, "Close this program")
        self.act_quit = a("&Quit", self.close, key.Quit, "Quit the translator")
        self.act_translate_folder = a("&Translate Folder\u2026", self.translate_folder, None,
                                      "Translate every .pseudo file of a folder into .py files")
        self.act_settings = a("Se&ttings\u2026", self.open_settings, "Ctrl+,",
                              "The translator's settings: process pool, strict mode, editor")
        self.act_settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.act_undo = a("&Undo", lambda: self._editor_call("undo"), key.Undo)
        self.act_redo = a("&Redo", lambda: self._editor_call("redo"), key.Redo)
        self.act_cut = a("Cu&t", lambda: self._editor_call("cut"), key.Cut)
        self.act_copy = a("&Copy", self._copy, key.Copy)
        self.act_paste = a("&Paste", lambda: self._editor_call("paste"), key.Paste)
        self.act_select_all = a("Select &All", lambda: self._editor_call("selectAll"), key.SelectAll)
        for act in (self.act_undo, self.act_redo, self.act_cut, self.act_copy, self.act_paste,
                    self.act_select_all):
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the widgets handle keys
        self.act_find = a("&Find\u2026", lambda: self.find_bar.open(False), key.Find)
        self.act_replace = a("&Replace\u2026", lambda: self.find_bar.open(True), "Ctrl+H")
        self.act_find_next = a("Find &Next", self.find_bar.find_next, key.FindNext)
        self.act_find_previous = a("Find Pre&vious", self.find_bar.find_previous, key.FindPrevious)
        self.act_go_to_line = a("&Go to Line\u2026", self.go_to_line, "Ctrl+G",
                                "Jump to a line number")
        self.act_comment = a("Toggle &Comment", lambda: self._editor_call("toggle_comment"),
                             "Ctrl+/", "Comment or uncomment the selected lines with //")
        self.act_copy_python = a("Copy &Python", self.copy_python, "Ctrl+Shift+C",
                                 "Copy the whole translated program")
        self.act_zoom_in = a("Zoom &In", lambda: self.zoom(1), [QKeySequence(key.ZoomIn),
                                                              QKeySequence("Ctrl+=")])
        self.act_zoom_out = a("Zoom &Out", lambda: self.zoom(-1), key.ZoomOut)
        self.act_zoom_reset = a("&Reset Zoom", lambda: self.zoom(0), "Ctrl+0")
        self.act_arrow = a("Show \u2190 for <-", self._toggle_arrow, None,
                           "Typing <- gives the arrow \u2190")
        self.act_arrow.setCheckable(True)
        self.act_arrow.setChecked(self.settings.show_arrow_glyph)
        self.act_run = a("&Run", self.run_program, "F5", "Run the program (F5)")
        self.act_run.setIcon(_shape_icon("run", "#2da44e"))
        self.act_stop = a("&Stop", self.stop_program, "Shift+F5", "Stop the program (Shift+F5)")
        self.act_stop.setIcon(_shape_icon("stop", "#cf222e"))
        self.act_stop.setEnabled(False)
        self.act_reference = a("Language &Reference", self.show_reference, key.HelpContents,
                               "The pseudocode this translator understands")
        self.act_about = a("&About", self.show_about)
        self.act_new.setIcon(self.style().standardIcon(self.style().StandardPixmap.SP_FileIcon))
        self.act_open.setIcon(self.style().standardIcon(
            self.style().StandardPixmap.SP_DialogOpenButton))
        self.act_save.setIcon(self.style().standardIcon(
            self.style().StandardPixmap.SP_DialogSaveButton))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.act_new, self.act_open])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.examples_menu = self._examples_menu()
        file_menu.addMenu(self.examples_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.act_save, self.act_save_as, self.act_revert])
        file_menu.addSeparator()
        file_menu.addAction(self.act_export)
        file_menu.addAction(self.act_translate_folder)
        file_menu.addSeparator()
        file_menu.addActions([self.act_close_tab, self.act_quit])
        edit = bar.addMenu("&Edit")
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        edit.addActions([self.act_cut, self.act_copy, self.act_paste, self.act_select_all])
        edit.addSeparator()
        edit.addActions([self.act_find, self.act_replace, self.act_find_next,
                         self.act_find_previous])
        edit.addSeparator()
        edit.addAction(self.act_go_to_line)
        edit.addActions([self.act_comment, self.act_copy_python])
        edit.addSeparator()
        edit.addAction(self.act_settings)
        view = bar.addMenu("&View")
        view.addActions([self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset])
        view.addSeparator()
        theme_menu = view.addMenu("&Theme")
        self._theme_group = QActionGroup(self)
        self._theme_actions: dict[str, QAction] = {}
        for value, label in (("system", "Follow the &system"), ("light", "&Light"),
                             ("dark", "&Dark")):
            act = QAction(label, self, checkable=True)
            act.setChecked(value == self._theme_choice)
            act.triggered.connect(lambda _=False, v=value: self.apply_theme(v))
            self._theme_group.addAction(act)
            theme_menu.addAction(act)
            self._theme_actions[value] = act
        view.addAction(self.act_arrow)
        view.addSeparator()
        for dock in (self.python_dock, self.problems_dock, self.console_dock, self.perf_dock):
            view.addAction(dock.toggleViewAction())
        self.act_performance = self.perf_dock.toggleViewAction()
        self.act_performance.triggered.connect(self._on_performance_action)
        self.act_performance.setStatusTip("Live charts of translation times and the process pool")
        run = bar.addMenu("&Run")
        run.addActions([self.act_run, self.act_stop])
        help_menu = bar.addMenu("&Help")
        help_menu.addMenu(self.examples_menu)  # the same menu: File and Help
        help_menu.addAction(self.act_reference)
        help_menu.addSeparator()
        help_menu.addAction(self.act_about)

    def _examples_menu(self) -> QMenu:
        menu = QMenu("&Examples", self)
        for example in resources.examples():
            act = menu.addAction(f"{example.title} — {example.description}"
                                 if example.description else example.title)
            act.setStatusTip(example.description)
            act.setToolTip(example.description)
            act.triggered.connect(lambda _=False, p=example.path: self.open_example(p))
        if menu.isEmpty():
            menu.addAction("(no examples found)").setEnabled(False)
        return menu

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.act_new, self.act_open, self.act_save])
        toolbar.addSeparator()
        toolbar.addActions([self.act_run, self.act_stop])
        self.addToolBar(toolbar)
        self.toolbar = toolbar

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_problems = QToolButton(self)
        self.status_problems.setAutoRaise(True)
        self.status_problems.setText("No problems")
        self.status_problems.setToolTip("Show the Problems panel")
        self.status_problems.clicked.connect(self._show_problems)
        self.status_translation = QLabel("", self)
        self.status_cursor = QLabel("Ln 1, Col 1", self)
        self.status_pool = PoolIndicator(self.engine.status.tooltip, self)
        self.status_pool.clicked.connect(lambda: self.open_settings("Execution"))
        bar.addPermanentWidget(self.status_pool)
        bar.addPermanentWidget(self.status_translation)
        bar.addPermanentWidget(self.status_problems)
        bar.addPermanentWidget(self.status_cursor)

    def _app_icon(self) -> QIcon:
        icon = QIcon()
        for path in resources.app_icon_paths():
            icon.addFile(str(path))
        return icon

    # ------------------------------------------------------------------ tabs
    def current_tab(self) -> DocumentTab | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, DocumentTab) else None

    def current_editor(self) -> CodeEditor | None:
        tab = self.current_tab()
        return tab.editor if tab is not None else None

    def document_tabs(self) -> list[DocumentTab]:
        return [w for i in range(self.tabs.count())
                if isinstance(w := self.tabs.widget(i), DocumentTab)]

    def new_document(self, text: str = "", title: str | None = None) -> DocumentTab:
        if title is None:
            self._untitled += 1
            title = "Untitled" if self._untitled == 1 else f"Untitled {self._untitled}"
        translate = (self._translator_factory(self.settings.config)
                     if self._translator_factory is not None else self.engine.translate)
        tab = DocumentTab(title, translate, self.settings, self.theme, self)
        tab.editor.setFont(self._font())
        tab.editor.zoomRequested.connect(self.zoom)
        tab.stateChanged.connect(self._on_tab_state)
        tab.translated.connect(self._on_tab_translated)
        tab.busyChanged.connect(self._on_busy)
        tab.editor.cursorPositionChanged.connect(self._on_cursor_moved)
        tab.editor.textChanged.connect(self._update_start_page)
        index = self.tabs.addTab(tab, tab.title)
        self.tabs.setCurrentIndex(index)
        if text:
            tab.editor.setPlainText(text)
            tab.set_modified(False)
        tab.translate_now()
        tab.editor.setFocus()
        self._on_tab_state()
        return tab

    def new_program(self) -> DocumentTab:
        """File > New: the empty document the start page stands for, or a new tab."""
        tab = self.current_tab()
        if self.start_page_shown() and tab is not None:
            self._start_dismissed = True
            self._update_start_page()
            tab.editor.setFocus()
            return tab
        return self.new_document()

    def start_page_shown(self) -> bool:
        return self.central_stack.currentWidget() is self.start_page

    @Slot()
    def _update_start_page(self) -> None:
        """The start page while the only document is an untouched, empty Untitled one."""
        tabs = self.document_tabs()
        show = (len(tabs) == 1 and tabs[0].is_pristine() and not self._start_dismissed
                and not self._closing)
        if show == self.start_page_shown():
            return
        if show:
            self.start_page.set_recent(self.recent_files())
            self.central_stack.setCurrentWidget(self.start_page)
        else:
            self.central_stack.setCurrentWidget(self.editor_area)
            tab = self.current_tab()
            if tab is not None and self.isActiveWindow():
                tab.editor.setFocus()

    def _tab_for_path(self, path: Path) -> DocumentTab | None:
        for tab in self.document_tabs():
            if tab.path is not None and _same_file(tab.path, path):
                return tab
        return None

    def _editor_call(self, name: str) -> None:
        widget = QApplication.focusWidget()
        target = widget if isinstance(widget, CodeEditor | Console) else self.current_editor()
        if isinstance(target, Console):
            target = target.output
        if target is not None and hasattr(target, name):
            getattr(target, name)()

    def _copy(self) -> None:
        widget = QApplication.focusWidget()
        if hasattr(widget, "copy"):
            widget.copy()  # type: ignore[union-attr]

    @Slot()
    def _on_current_changed(self, _index: int = 0) -> None:
        tab = self.current_tab()
        self.find_bar.set_editor(tab.editor if tab is not None else None)
        self._on_tab_state()
        self._update_panes()
        self._on_cursor_moved()

    @Slot()
    def _on_tab_state(self) -> None:
        for tab in self.document_tabs():
            index = self.tabs.indexOf(tab)
            self.tabs.setTabText(index, ("\u25cf " if tab.modified else "") + tab.title)
            self.tabs.setTabToolTip(index, str(tab.path) if tab.path else tab.title)
        tab = self.current_tab()
        if tab is not None:
            self.setWindowTitle(f"{tab.title}[*] \u2014 {APP_NAME}")
            self.setWindowModified(tab.modified)
            self.act_revert.setEnabled(tab.path is not None)
        else:
            self.setWindowTitle(APP_NAME)

    # ------------------------------------------------------------------ translation display
    @Slot()
    def _on_tab_translated(self) -> None:
        tab = self.sender()
        if tab is self.current_tab():
            self._update_panes()
            self._on_cursor_moved()
        if tab is self._pending_run and isinstance(tab, DocumentTab):
            self._start_pending_run()

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        if self.sender() is self.current_tab() and busy:
            self.status_translation.setText("Translating\u2026")

    def _update_panes(self) -> None:
        tab = self.current_tab()
        if tab is None:
            self.problems.set_diagnostics([])
            self.python_view.set_code("")
            return
        result = tab.result
        diagnostics = tab.diagnostics
        if tab.engine_error:
            last = tab.engine_error.strip().splitlines()[-1]
            self._set_banner(f"The translator failed on this text ({last}). The Python shown "
                             "is from the last version that translated.", error=True)
            self.problems.set_diagnostics([], note="The translator failed: see the Python pane")
        elif result is not None and not getattr(result, "success", False):
            if tab.good_code:
                self._set_banner("The pseudocode has errors: this is the Python of the last "
                                 "version without errors. Fix the problems below to update it.")
            else:
                self._set_banner("Fix the problems listed below to see the Python.")
            self.problems.set_diagnostics(diagnostics)
        elif self.python_style == "plain" and getattr(result, "plain_error", ""):
            self._set_banner("The plain style could not be made for this program (a bug in "
                             "Pseudocode Translator): the checked style is shown.", error=True)
            self.problems.set_diagnostics(diagnostics)
        else:
            self._set_banner("")
            self.problems.set_diagnostics(diagnostics)
        was_empty = not self.python_view.toPlainText()
        # an empty document has no Python to show: the pane's note says what will come
        code = tab.code_in(self.python_style)
        self.python_view.set_code(code if not tab.editor.document().isEmpty() else "")
        if was_empty and code:
            # the helpers come first (folded away): open at the student's own program
            self.python_view.reveal_line(self.python_view.program_start_line(), at_top=True)
        errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
        if errors and not self._shown_errors and not self.runner.is_running():
            self.problems_dock.raise_()  # new errors: in front of the Console (after a run)
        self._shown_errors = errors
        text = summary(diagnostics) if not tab.engine_error else "Translator error"
        self.status_problems.setText(text)
        timings = getattr(result, "timings", None) or {}
        total = timings.get("total_ms")
        self.status_translation.setText(f"Translated in {total:.0f} ms" if total is not None
                                        else "")

    def _set_banner(self, text: str, error: bool = False) -> None:
        if not text:
            self.python_banner.hide()
            return
        self.python_banner.setText(text)
        color = self.theme.error if error else self.theme.foreground
        self.python_banner.setStyleSheet(
            f"QLabel {{ background: {self.theme.banner_bg}; color: {color}; }}")
        self.python_banner.show()

    @Slot()
    def _on_cursor_moved(self) -> None:
        tab = self.current_tab()
        if tab is None:
            return
        line, column = tab.editor.cursor_line_column()
        self.status_cursor.setText(f"Ln {line}, Col {column}")
        linked: list[int] = []
        if tab.up_to_date and getattr(tab.result, "success", False):
            linked = sorted(py for py, pseudo in tab.line_map_in(self.python_style).items()
                            if pseudo == line)
        self.python_view.highlight_lines(linked)
        if linked:
            self.python_view.reveal_line(linked[0])

    @Slot(int, int)
    def go_to_problem(self, line: int, column: int) -> None:
        editor = self.current_editor()
        if editor is not None:
            editor.go_to(line, column)

    def go_to_line(self) -> None:
        """Edit > Go to Line (Ctrl+G)."""
        editor = self.current_editor()
        if editor is None:
            return
        line = self.dialogs.ask_line(self, editor.cursor_line_column()[0],
                                     editor.document().blockCount())
        if line is not None:
            if self.start_page_shown():
                self.new_program()
            editor.go_to(line)

    def _show_problems(self) -> None:
        self.problems_dock.show()
        self.problems_dock.raise_()

    # ------------------------------------------------------------------ files
    def _start_folder(self) -> str:
        tab = self.current_tab()
        if tab is not None and tab.path is not None:
            return str(tab.path.parent)
        recent = self.recent_files()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def open_dialog(self) -> None:
        path = self.dialogs.open_path(self, self._start_folder())
        if path:
            self.open_path(path)

    def open_path(self, path: str | os.PathLike[str], quiet: bool = False) -> DocumentTab | None:
        """Open a file in a tab (or show it if open). On failure: a message, nothing changes."""
        path = Path(path).expanduser().absolute()
        existing = self._tab_for_path(path)
        if existing is not None:
            self.tabs.setCurrentWidget(existing)
            return existing
        try:
            loaded = read_source(path)
        except SourceProblem as problem:
            if not quiet:
                self.dialogs.show_error(self, "Cannot open the file", str(problem))
            return None
        tab = self.current_tab()
        if tab is None or not tab.is_pristine():
            tab = self.new_document()
        tab.load(loaded, path)
        self._add_recent(path)
        self.statusBar().showMessage(f"Opened {path}", 4000)
        return tab

    def open_example(self, path: Path) -> DocumentTab | None:
        """An example opens as a new unsaved copy (Save asks where to put it)."""
        try:
            loaded = read_source(path)
        except SourceProblem as problem:
            self.dialogs.show_error(self, "Cannot open the example", str(problem))
            return None
        tab = self.current_tab()
        if tab is None or not tab.is_pristine():
            tab = self.new_document()
        tab.untitled_name = self._unique_title(path.name, tab)
        tab.load(loaded, None)
        return tab

    def _unique_title(self, name: str, tab: DocumentTab) -> str:
        """``name``, or ``stem (2).pseudo`` ... if another tab already has that title (a
        second copy of an example): two tabs never read the same."""
        titles = {t.title for t in self.document_tabs() if t is not tab}
        stem, suffix = os.path.splitext(name)
        number = 1
        while name in titles:
            number += 1
            name = f"{stem} ({number}){suffix}"
        return name

    def save(self, tab: DocumentTab | None = None) -> bool:
        tab = tab or self.current_tab()
        if tab is None:
            return False
        if tab.path is None:
            return self.save_as(tab)
        return self._write(tab, tab.path)

    def save_as(self, tab: DocumentTab | None = None) -> bool:
        tab = tab or self.current_tab()
        if tab is None:
            return False
        suggested = str(tab.path or Path(self._start_folder()) / _pseudo_name(tab.title))
        path = self.dialogs.save_path(self, suggested)
        if not path:
            return False
        return self._write(tab, Path(path))

    def _write(self, tab: DocumentTab, path: Path) -> bool:
        try:
            write_source(path, tab.file_text(), tab.has_bom, tab.newline)
        except SourceProblem as problem:
            self.dialogs.show_error(self, "Cannot save the file", str(problem))
            return False
        tab.mark_saved(path.absolute())
        self._add_recent(path)
        self.statusBar().showMessage(f"Saved {path}", 4000)
        return True

    def revert(self) -> None:
        tab = self.current_tab()
        if tab is None or tab.path is None:
            return
        if tab.modified and not self.dialogs.ask_yes_no(
                self, "Revert", f"Throw away your changes to \u201c{tab.title}\u201d and go back "
                                "to the saved file?"):
            return
        try:
            loaded = read_source(tab.path)
        except SourceProblem as problem:
            self.dialogs.show_error(self, "Cannot revert", str(problem))
            return
        _replace_text(tab.editor, loaded.text)  # undoable
        tab.has_bom, tab.newline = loaded.has_bom, loaded.newline
        tab.set_modified(False)

    def export_python(self) -> bool:
        tab = self.current_tab()
        if tab is None:
            return False
        if not tab.up_to_date or not getattr(tab.result, "success", False):
            self.dialogs.show_error(
                self, "Export Python",
                "The pseudocode has errors (or is still being translated), so there is no "
                "up-to-date Python to export. Fix the problems first.")
            return False
        base = tab.path.with_suffix(".py") if tab.path else \
            Path(self._start_folder()) / (Path(_pseudo_name(tab.title)).stem + ".py")
        path = self.dialogs.save_path(self, str(base), python=True)
        if not path:
            return False
        try:  # the style the pane shows (Run runs the checked one)
            write_python(path, tab.result.code_in(self.python_style)
                         if hasattr(tab.result, "code_in") else tab.result.code)
        except SourceProblem as problem:
            self.dialogs.show_error(self, "Cannot export", str(problem))
            return False
        self.statusBar().showMessage(f"Python saved to {path}", 4000)
        return True

    # ------------------------------------------------------------------ Python style
    @property
    def python_style(self) -> str:
        """"checked" or "plain": what the Python pane shows and Export Python saves
        (the setting translation.python_style); Run always runs the checked style."""
        translation = getattr(self.settings.config, "translation", None)
        style = getattr(translation, "python_style", "checked")
        return style if style in ("checked", "plain") else "checked"

    @Slot(str)
    def set_python_style(self, style: str) -> None:
        """The switch on the Python pane: use ``style`` now, and save it as the setting."""
        if style == self.python_style or style not in ("checked", "plain"):
            self.python_style_switch.set_style(self.python_style)
            return
        from engine.config import TranslatorConfig

        config = self.settings.config.copy() if self.settings.config is not None \
            else TranslatorConfig()
        config.translation.python_style = style
        self.settings.config = config
        self.python_style_switch.set_style(style)
        self.engine.apply(config)
        for tab in self.document_tabs():  # the plain style is made with the translation
            tab.translate_now()
        self._update_panes()
        self._io_pool.start(_Call(lambda: _save_python_style(style), self._style_saved))

    @Slot(object)
    def _on_style_saved(self, outcome: object) -> None:
        if isinstance(outcome, Exception):
            self.statusBar().showMessage(
                f"Python style not saved in the settings: {outcome}", 6000)

    def copy_python(self) -> None:
        QGuiApplication.clipboard().setText(self.python_view.code())
        self.statusBar().showMessage("Python copied to the clipboard", 3000)

    def close_current_tab(self) -> None:
        self.close_tab(self.tabs.currentIndex())

    def close_tab(self, index: int) -> bool:
        tab = self.tabs.widget(index)
        if not isinstance(tab, DocumentTab):
            return False
        if not self._confirm_discard(tab):
            return False
        if tab is self._run_tab:
            self._run_tab = None
        self.tabs.removeTab(index)
        tab.shutdown()
        tab.deleteLater()
        if self.tabs.count() == 0 and not self._closing:
            self.new_document()
            self._start_dismissed = False  # the window is empty again: offer the start page
        self._update_start_page()
        return True

    def _confirm_discard(self, tab: DocumentTab) -> bool:
        """Ask about unsaved changes; True if the tab may close."""
        if not tab.modified:
            return True
        self.tabs.setCurrentWidget(tab)
        choice = self.dialogs.ask_save_changes(self, tab.title)
        if choice == SaveChoice.SAVE:
            return self.save(tab)
        return choice == SaveChoice.DISCARD

    # recent files
    def recent_files(self) -> list[str]:
        value = self.state.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _add_recent(self, path: Path) -> None:
        text = str(Path(path).absolute())
        items = [p for p in self.recent_files() if p != text]
        self.state.setValue("files/recent", [text, *items][:MAX_RECENT])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        items = self.recent_files()
        for number, path in enumerate(items, 1):
            label = f"&{number % 10} {Path(path).name}  \u2014  {Path(path).parent}"
            act = self.recent_menu.addAction(label)
            act.triggered.connect(lambda _=False, p=path: self.open_path(p))
        if not items:
            self.recent_menu.addAction("(none)").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear the list", self._clear_recent)

    def _clear_recent(self) -> None:
        self.state.setValue("files/recent", [])

    # ------------------------------------------------------------------ run
    def run_program(self) -> None:
        tab = self.current_tab()
        if tab is None:
            return
        if self.runner.is_running():
            self.statusBar().showMessage("A program is already running: Shift+F5 stops it", 4000)
            return
        self.console_dock.show()
        self.console_dock.raise_()
        self._pending_run = tab
        if tab.up_to_date:
            self._start_pending_run()
        else:
            tab.translate_now()  # the result starts the run (_on_tab_translated)

    def _start_pending_run(self) -> None:
        tab, self._pending_run = self._pending_run, None
        if tab is None:
            return
        result = tab.result
        if tab.engine_error or result is None:
            self.console.notice("Cannot run: the translator failed on this program.")
            return
        if not result.success:
            self.console.notice(f"Cannot run: the pseudocode has {summary(tab.diagnostics)}. "
                                "Fix them first (see Problems).")
            self._show_problems()
            return
        self.start_code(tab, result.code, dict(getattr(result, "line_map", {}) or {}))

    def start_code(self, tab: DocumentTab, code: str, line_map: dict[int, int] | None = None,
                   notice: str = "") -> bool:
        """Run ``code`` for ``tab`` in a child process, with the Console (Run, and the
        Trace and stepping runs of gui/window/debug_ui.py); False if it could not start."""
        cwd = tab.path.parent if tab.path is not None else self._scratch_dir()
        tab.editor.clear_runtime_error()
        self.console.clear()
        self.console.notice(notice or f"\u25b6 Running {tab.title}")
        try:
            self.runner.start(code, cwd, line_map)
        except OSError as error:
            self.console.notice(f"The program could not be started: {error}")
            return False
        self._run_tab = tab
        self._run_started = time.monotonic()
        self.console.set_running(True)
        self.act_run.setEnabled(False)
        self.act_stop.setEnabled(True)
        self.statusBar().showMessage("Running\u2026")
        return True

    def _scratch_dir(self) -> str:
        """Where an unsaved program runs (its files go there, not into a random folder)."""
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="pseudocode-untitled-")
        return self._scratch.name

    def stop_program(self) -> None:
        if self.runner.is_running():
            self.runner.stop()
            self.statusBar().showMessage("Stopping\u2026")

    @Slot(str, str)
    def _on_run_output(self, stream: str, text: str) -> None:
        self.console.append(text, stream)

    @Slot()
    def _on_input_requested(self) -> None:
        self.console.set_waiting(True)
        self.statusBar().showMessage("The program is waiting for input: type it in the Console "
                                     "and press Enter")

    @Slot(str)
    def _on_console_line(self, text: str) -> None:
        if not self.runner.send_line(text):
            self.console.notice("(the program is not reading input)")

    @Slot(object)
    def _on_run_finished(self, result: RunResult) -> None:
        elapsed = time.monotonic() - self._run_started
        self.console.set_running(False)
        self.act_run.setEnabled(True)
        self.act_stop.setEnabled(False)
        tab = self._run_tab
        self._run_tab = None
        if result.killed:
            self.console.notice(f"\u25a0 Stopped after {elapsed:.1f} s.")
            self.statusBar().showMessage("Program stopped", 4000)
        elif result.error is not None:
            where = f" on line {result.error.line}" if result.error.line else ""
            self.console.notice(f"The program stopped with an error{where}.")
            if tab is not None and result.error.line:
                tab.editor.mark_runtime_error(result.error.line, result.error.message)
                if tab is self.current_tab():
                    block = tab.editor.document().findBlockByNumber(result.error.line - 1)
                    cursor = tab.editor.textCursor()
                    cursor.setPosition(block.position())
                    tab.editor.setTextCursor(cursor)
                    tab.editor.centerCursor()
            self.statusBar().showMessage(f"Runtime error{where}: {result.error.message}", 8000)
        elif result.returncode != 0:
            self.console.notice(f"The program ended with exit code {result.returncode}.")
        else:
            self.console.notice(f"Program finished in {elapsed:.2f} s.")
            self.statusBar().showMessage("Program finished", 4000)
        self.runFinished.emit(result)

    # ------------------------------------------------------------------ look
    def _font(self):  # noqa: ANN202 - QFont
        size = min(max(self.settings.font_size + self._zoom, 6), 48)
        return monospace_font(self.settings.font_family, size)

    def zoom(self, step: int) -> None:
        """+1 / -1 changes the text size of the editors and console; 0 resets it."""
        self._zoom = 0 if step == 0 else self._zoom + step
        self._zoom = min(max(self._zoom, 6 - self.settings.font_size),
                         48 - self.settings.font_size)
        self._apply_zoom()

    def _apply_zoom(self) -> None:
        font = self._font()
        for tab in self.document_tabs():
            tab.editor.setFont(font)
        self.python_view.setFont(font)
        self.console.set_font(font)

    @property
    def font_size(self) -> int:
        return self._font().pointSize()

    def apply_theme(self, choice: str, remember: bool = True) -> None:
        self._theme_choice = choice
        self.theme = resolve(choice)
        apply_to_application(self.theme)
        for tab in self.document_tabs():
            tab.editor.set_theme(self.theme)
        self.python_pane.set_theme(self.theme)
        self.start_page.set_theme(self.theme)
        self.console.set_theme(self.theme)
        self.problems.set_theme(self.theme)
        if self.perf_panel is not None:
            self.perf_panel.set_theme(self.theme)
        if self._reference is not None:
            self._reference.set_theme(self.theme)
        if choice in getattr(self, "_theme_actions", {}):
            self._theme_actions[choice].setChecked(True)
        if remember:
            self.state.setValue("view/theme", choice)
        self._update_panes()

    @Slot()
    def _on_system_scheme_changed(self, *_: object) -> None:
        if self._theme_choice == "system":
            self.apply_theme("system", remember=False)

    def _toggle_arrow(self, checked: bool) -> None:
        self.settings.show_arrow_glyph = checked
        for tab in self.document_tabs():
            tab.editor.arrow_glyph = checked

    # ------------------------------------------------------------------ performance
    @property
    def perf_model(self) -> Any:
        """What the Performance panel shows (imports numpy: not on the start-up path)."""
        if self._perf_model is None:
            from gui.model.perf_model import PerfModel

            self._perf_model = PerfModel()
        return self._perf_model

    @Slot(object)
    def _record_event(self, event: Any) -> None:
        self.perf_model.feed(event)

    @Slot(bool)
    def _on_perf_visible(self, visible: bool) -> None:
        if visible and self.perf_panel is None:
            self._build_perf_panel()

    def _build_perf_panel(self) -> Any:
        from gui.widgets.perf_panel import PerformancePanel  # pyqtgraph: only when first shown

        panel = PerformancePanel(
            self.perf_model, self.theme, self._pool_state_text,
            lambda: self.dialogs.save_csv_path(
                self, str(Path(self._start_folder()) / "performance.csv")), self.perf_dock)
        panel.exported.connect(self._on_perf_exported)
        old = self.perf_dock.widget()
        self.perf_dock.setWidget(panel)
        if old is not None:
            old.deleteLater()
        self.perf_panel = panel
        return panel

    @Slot(bool)
    def _on_performance_action(self, checked: bool) -> None:
        if checked:
            self.show_performance()

    def show_performance(self) -> Any:
        """Show the Performance panel (View > Performance); returns it."""
        self.perf_dock.show()
        self.perf_dock.raise_()
        if self.perf_panel is None:
            self._build_perf_panel()
        return self.perf_panel

    def _pool_state_text(self) -> str:
        return self.engine.status.label().removeprefix("Pool: ")

    @Slot(str, str)
    def _on_perf_exported(self, path: str, error: str) -> None:
        if error:
            self.dialogs.show_error(self, "Export the performance data",
                                    f"{path} could not be written: {error}")
        else:
            self.statusBar().showMessage(f"Performance data saved to {path}", 4000)

    @Slot()
    def _update_pool_indicator(self) -> None:
        self.status_pool.setText(self.engine.status.label())

    # ------------------------------------------------------------------ settings
    def open_settings(self, page: str = "Execution") -> None:
        """Edit > Settings: read the file (off the GUI thread), then show the dialog."""
        page = page if isinstance(page, str) else "Execution"
        if self.settings_dialog is not None:
            self.settings_dialog.show_page(page)
            self.settings_dialog.raise_()
            self.settings_dialog.activateWindow()
            return
        if self._settings_loading:
            return
        self._settings_loading = True
        self._settings_page = page
        self._io_pool.start(_Call(_load_config_manager, self._settings_loaded))

    @Slot(object)
    def _on_settings_loaded(self, manager: object) -> None:
        self._settings_loading = False
        if self._closing:
            return
        if isinstance(manager, Exception):
            self.dialogs.show_error(self, "Settings",
                                    f"The configuration could not be read: {manager}")
            return
        from gui.dialogs.settings_dialog import SettingsDialog
        from gui.model.settings_form import SettingsForm

        dialog = SettingsDialog(SettingsForm(manager), self, self.theme,  # type: ignore[arg-type]
                                self._settings_page)
        dialog.applied.connect(self.apply_config)
        dialog.finished.connect(self._on_settings_closed)
        self.settings_dialog = dialog
        dialog.open()
        self.settingsOpened.emit(dialog)

    @Slot(int)
    def _on_settings_closed(self, _result: int = 0) -> None:
        dialog, self.settings_dialog = self.settings_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    @Slot(object)
    def apply_config(self, config: Any) -> None:
        """Use saved settings now: editor look, strict mode, and the process pool."""
        settings = self.settings
        old_theme = settings.theme
        settings.config = config
        editor = config.editor
        settings.font_family = editor.font_family
        settings.font_size = editor.font_size
        settings.theme = editor.theme
        settings.autosave_interval_s = editor.autosave_interval_s
        settings.show_arrow_glyph = editor.show_arrow_glyph
        settings.tab_width = editor.tab_width
        settings.strict_mode = config.translation.strict_mode
        for tab in self.document_tabs():
            tab.editor.tab_width = max(1, settings.tab_width)
            tab.editor.arrow_glyph = settings.show_arrow_glyph
        self.act_arrow.setChecked(settings.show_arrow_glyph)
        self._apply_zoom()
        if settings.theme != old_theme:
            self.apply_theme(settings.theme)
        self._autosave_timer.stop()
        if settings.autosave_interval_s > 0 and self.recovery is not None:
            self._autosave_timer.start(settings.autosave_interval_s * 1000)
        self.python_style_switch.set_style(self.python_style)
        self.engine.apply(config)
        for tab in self.document_tabs():  # strict mode (or the pool) may change the results
            tab.translate_now()
        self.statusBar().showMessage("Settings applied", 3000)
        self.settingsApplied.emit(config)

    # ------------------------------------------------------------------ batch
    def translate_folder(self) -> bool:
        """File > Translate Folder: every .pseudo file of a folder, into .py files."""
        if self.batch.running:
            self.statusBar().showMessage("A folder is already being translated", 4000)
            return False
        folder = self.dialogs.pick_folder(self, "Translate the .pseudo files of a folder",
                                          self._start_folder())
        if not folder:
            return False
        out_dir = self.dialogs.pick_folder(self, "Write the Python files into", folder)
        if not out_dir:
            return False
        self.start_batch(folder, out_dir)
        return True

    def start_batch(self, folder: str | os.PathLike[str], out_dir: str | os.PathLike[str]) -> Any:
        return self.batch.start(folder, out_dir, self.engine.translate_many,
                                workers=self.engine.pool_workers())

    @Slot(object)
    def _on_batch_finished(self, summary: BatchSummary) -> None:
        if summary.done:
            self.perf_model.note_batch(summary.done, summary.translate_seconds)
        self.statusBar().showMessage(
            f"Translated {summary.done} of {summary.total} files"
            + (" (cancelled)" if summary.cancelled else ""), 5000)
        self.batchFinished.emit(summary)

    # ------------------------------------------------------------------ help
    def show_reference(self) -> None:
        path = resources.language_reference()
        if not path.is_file():
            self.dialogs.show_error(self, "Language reference",
                                    f"The language reference was not found ({path}).")
            return
        from gui.dialogs.reference_window import ReferenceWindow

        if self._reference is None:
            self._reference = ReferenceWindow(path, self, self.theme)
        self._reference.show()
        self._reference.raise_()
        self._reference.activateWindow()

    def show_about(self) -> None:
        self.dialogs.show_info(
            self, f"About {APP_NAME}",
            f"{APP_NAME}\n\nType Cambridge International pseudocode (9618 / 0478) and get a "
            "readable, runnable Python program, with every mistake shown at its line.")

    # ------------------------------------------------------------------ session and recovery
    def restore_session(self, files: list[str] | None = None) -> None:
        """Geometry, docks, the files open last time, then ``files`` (the last one current)."""
        geometry = self.state.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))
        dock_state = self.state.value("window/state")
        if isinstance(dock_state, QByteArray | bytes) and dock_state:
            self.restoreState(QByteArray(dock_state))
        previous = self.state.value("session/open_files", [])
        if isinstance(previous, str):
            previous = [previous]
        current = str(self.state.value("session/current", "") or "")
        current_tab = None
        for path in previous or []:
            tab = self.open_path(path, quiet=True)
            if tab is not None and str(path) == current:
                current_tab = tab
        for path in files or []:
            current_tab = self.open_path(path) or current_tab
        if current_tab is not None:
            self.tabs.setCurrentWidget(current_tab)
        if self.tabs.count() == 0:
            self.new_document()
        self._update_start_page()

    def _save_session(self) -> None:
        self.state.setValue("window/geometry", self.saveGeometry())
        self.state.setValue("window/state", self.saveState())
        paths = [str(t.path) for t in self.document_tabs() if t.path is not None]
        self.state.setValue("session/open_files", paths)
        tab = self.current_tab()
        self.state.setValue("session/current", str(tab.path) if tab and tab.path else "")
        self.state.setValue("view/zoom", self._zoom)
        self.state.sync()

    def unsaved_documents(self) -> list[RecoveredDocument]:
        return [RecoveredDocument(t.text(), str(t.path) if t.path else None, t.title)
                for t in self.document_tabs() if t.modified]

    def autosave_now(self) -> None:
        """Write the unsaved documents to the recovery folder (on a worker thread)."""
        if self.recovery is None or self._closing:
            return
        self._io_pool.start(_AutosaveJob(self.recovery, self.unsaved_documents(),
                                         self._autosave_done))

    @Slot(bool)
    def _on_autosaved(self, ok: bool) -> None:
        self.autosaved.emit(ok)

    def offer_recovery(self) -> int:
        """After a crash: offer the documents the last session left; returns how many came back."""
        if self.recovery is None:
            return 0
        orphans = self.recovery.find_orphans()
        if not orphans:
            return 0
        documents = [d for o in orphans for d in o.documents]
        when = time.strftime("%d %b %Y at %H:%M",
                             time.localtime(max(o.saved_at for o in orphans)))
        names = ", ".join(d.title for d in documents[:5]) + (" \u2026" if len(documents) > 5
                                                             else "")
        reasons = sorted({o.reason for o in orphans})
        how = (f"was asked to quit ({', '.join(reasons)}) last time, with nobody to save the "
               "work" if all(reasons) else "did not close properly last time")
        count = len(documents)
        restore = self.dialogs.ask_yes_no(
            self, "Recover unsaved work?",
            f"{APP_NAME} {how}. {count} unsaved document{'s' if count != 1 else ''} "
            f"({names}) {'were' if count != 1 else 'was'} kept on {when}.\n\nRestore "
            f"{'them' if count != 1 else 'it'}?")
        if self._unattended or self._closing:
            return 0  # asked to quit while the question was open: keep them for next time
        restored = 0
        if restore:
            for document in documents:
                self._restore_document(document)
                restored += 1
        for orphan in orphans:
            self.recovery.discard(orphan)
        return restored

    def _restore_document(self, document: RecoveredDocument) -> None:
        path = Path(document.path) if document.path else None
        tab = self._tab_for_path(path) if path is not None else None
        if tab is None:
            current = self.current_tab()
            tab = current if current is not None and current.is_pristine() else \
                self.new_document(title=document.title if path is None else None)
            if path is None:
                tab.untitled_name = document.title
            tab.path = path
        _replace_text(tab.editor, document.text)
        tab.set_modified(True)
        tab.translate_now()
        self._on_tab_state()

    def close_unattended(self, reason: str = "unattended") -> None:
        """Close as File > Quit does, with nobody to answer (SIGTERM, SIGINT): no question;
        the unsaved documents go to the recovery folder and the next start offers them back.

        A modal dialog that is open (a question runs its own event loop) is dismissed
        first, and the window closes once that loop has returned, never inside it.
        """
        if self._closing:
            return
        self._unattended = self._unattended or reason
        modal = QApplication.activeModalWidget()
        if modal is not None and modal is not self and self._unattended_tries < 50:
            self._unattended_tries += 1
            if isinstance(modal, QDialog):
                modal.reject()
            else:
                modal.close()
            QTimer.singleShot(10, self._close_unattended_later)  # after its loop returned
            return
        self.close()

    @Slot()
    def _close_unattended_later(self) -> None:
        self.close_unattended(self._unattended)

    # ------------------------------------------------------------------ small windows
    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001
        super().resizeEvent(event)
        self._fit_timer.start()

    def showEvent(self, event) -> None:  # noqa: N802, ANN001
        super().showEvent(event)
        self._fit_timer.start()

    def fit_docks(self) -> None:
        """Shrink docked panes that would take the editor's share of a small window.

        Applies to every docked, visible QDockWidget of this window by its area, so a
        dock added later (``addDockWidget``) follows the same rules. Only sizes beyond
        the limits change: a size the user chose within them stays.
        """
        width, height = max(self.width(), 1), max(self.height(), 1)
        docks = [d for d in self.findChildren(QDockWidget)
                 if d.parent() is self and d.isVisible() and not d.isFloating()]
        area = self.dockWidgetArea
        sides = [d for d in docks if area(d) in (Qt.DockWidgetArea.LeftDockWidgetArea,
                                                 Qt.DockWidgetArea.RightDockWidgetArea)]
        by_side: dict[Qt.DockWidgetArea, int] = {}
        for dock in sides:
            by_side[area(dock)] = max(by_side.get(area(dock), 0), dock.width())
        side_total = sum(by_side.values())
        if side_total > SIDE_MAX * width:
            scale = SIDE_FIT * width / side_total
            self.resizeDocks(sides, [max(120, int(by_side[area(d)] * scale)) for d in sides],
                             Qt.Orientation.Horizontal)
        bottoms = [d for d in docks if area(d) == Qt.DockWidgetArea.BottomDockWidgetArea]
        if not bottoms:
            return
        # The whole bottom area counts: tabified docks add a tab bar below the tallest one,
        # which resizeDocks does not include in the size it sets.
        status = self.statusBar()
        floor = status.geometry().top() if status.isVisible() else height
        taken = floor - min(d.geometry().top() for d in bottoms)
        extra = max(0, taken - max(d.height() for d in bottoms))
        most, fit = ((BOTTOM_MAX_SHORT, BOTTOM_FIT_SHORT) if height < SHORT_WINDOW
                     else (BOTTOM_MAX, BOTTOM_FIT))
        if taken > most * height:
            size = max(90, int(fit * height) - extra)
            self.resizeDocks(bottoms, [size] * len(bottoms), Qt.Orientation.Vertical)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        unattended = self._unattended
        for tab in self.document_tabs() if not unattended else []:
            if not self._confirm_discard(tab):
                event.ignore()
                return
        self._closing = True
        if self.runner.is_running():
            self.runner.stop()
        self._save_session()
        self._autosave_timer.stop()
        if self.recovery is not None and unattended:
            self.recovery.keep(self.unsaved_documents(), unattended)  # now, not on a thread
        elif self.recovery is not None:
            self.recovery.close()
        for tab in self.document_tabs():
            tab.shutdown()
        if self._reference is not None:
            self._reference.close()
        if self.settings_dialog is not None:
            self.settings_dialog.close()
        if self.batch.running:
            self.batch.wait(10000)
        self.engine.shutdown()
        event.accept()
        if unattended:
            self.closedUnattended.emit(unattended)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return os.path.normcase(str(a.absolute())) == os.path.normcase(str(b.absolute()))


def _pseudo_name(title: str) -> str:
    return title if title.endswith(".pseudo") else title.replace(" ", "_") + ".pseudo"


def _replace_text(editor: CodeEditor, text: str) -> None:
    """Replace the whole text as one undoable step (Revert, recovery)."""
    cursor = QTextCursor(editor.document())
    cursor.beginEditBlock()
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.insertText(text)
    cursor.endEditBlock()

