"""The main window: documents in tabs, Python on the right, Problems and Console below.

Layout and wiring only. The window lays out the tabs and docks, keeps the tab
list (``WindowView``: current tab, new document, show a tab, status messages)
and connects the parts, each of which owns its state and its shutdown step:

- ``FileCommands`` (file_commands.py): open, examples, save, revert, export, recent, folder batch
- ``RunCommands`` (run_commands.py): run, stop, Console input, the runtime-error mark
- ``Session`` (session.py): restore and save the session, autosave, recovery, unattended close
- ``SettingsCommands`` (settings_commands.py): Edit > Settings, apply_config, the Python style
- ``Appearance``, ``ResultDisplay``, ``PerformanceView``, ``EditCommands``, ``HelpCommands``
- menus and toolbar from the table in actions.py; the status bar in status_bar.py

Closing asks ``Session.may_close`` and then runs the ``Shutdown`` steps in their
stated order (shutdown.py).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import (
    QDockWidget,
    QMainWindow,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui import resources
from gui.dialogs.message_boxes import MessageBoxes
from gui.model.editor_settings import EditorSettings
from gui.model.recovery import RecoveryStore
from gui.services.batch_runner import BatchRunner
from gui.services.engine_service import EngineService
from gui.services.live_translation import share_the_gil_with_the_gui
from gui.services.run_controller import RunController
from gui.theme import Theme
from gui.widgets.code_editor import CodeEditor
from gui.widgets.console import Console
from gui.widgets.find_bar import FindBar
from gui.widgets.problems_panel import ProblemsPanel
from gui.widgets.python_pane import PythonPane
from gui.widgets.python_style_switch import PythonStyleSwitch
from gui.window.actions import build_actions, build_menus, build_toolbar
from gui.window.appearance import Appearance
from gui.window.debug_ui import install_debugging
from gui.window.dock_fit import DockFitter
from gui.window.document_tab import DocumentTab
from gui.window.edit_commands import EditCommands
from gui.window.file_commands import FileCommands
from gui.window.help_commands import HelpCommands
from gui.window.performance import PerformanceView
from gui.window.result_display import ResultDisplay
from gui.window.run_commands import RunCommands
from gui.window.screen_fit import keep_on_screen, size_for_first_start
from gui.window.session import Session
from gui.window.settings_commands import SettingsCommands, python_style
from gui.window.shutdown import Shutdown, Stage
from gui.window.start_page import StartPage
from gui.window.status_bar import WindowStatusBar
from gui.window.view import APP_NAME


class MainWindow(QMainWindow):
    """The window; implements ``gui.window.view.WindowView`` for its controllers."""

    autosaved = Signal(bool)
    runFinished = Signal(object)
    settingsOpened = Signal(object)     # the SettingsDialog, once shown
    settingsApplied = Signal(object)    # the TranslatorConfig now in force
    batchFinished = Signal(object)      # BatchSummary
    closedUnattended = Signal(str)      # Session.close_unattended() closed the window (the reason)

    def __init__(self, settings: EditorSettings | None = None, state: QSettings | None = None,
                 recovery: RecoveryStore | None = None, dialogs: MessageBoxes | None = None,
                 parent: QWidget | None = None, engine: EngineService | None = None) -> None:
        super().__init__(parent)
        share_the_gil_with_the_gui()
        self.settings = settings or EditorSettings()
        self.state = state if state is not None else QSettings()
        dialogs = dialogs or MessageBoxes()
        # One translator for the app (its events feed the Performance panel and the pool
        # indicator); tests may pass their own ``engine``.
        self.engine = engine if engine is not None else EngineService(self.settings.config, self)
        self.shutdown = Shutdown()
        self.appearance = Appearance(self, self.settings, self.state, self.shutdown, self)
        self._untitled = 0
        self._start_dismissed = False
        self.setWindowTitle(APP_NAME)
        self.setDockNestingEnabled(True)
        DockFitter(self)  # small windows: the docks leave the editor the larger share
        self._build_central()
        self._build_docks()
        self._build_parts(dialogs, recovery)
        self.act = build_actions(self)
        self.act["performance"] = self.performance.action
        self.act.arrow.setChecked(self.settings.show_arrow_glyph)
        build_menus(self.menuBar(), self.act, {
            "recent": self.file_commands.recent_menu_for(self),
            "examples": self.file_commands.examples_menu_for(self),
            "theme": self.appearance.theme_menu(self),
            "docks": [dock.toggleViewAction() for dock in (
                self.python_dock, self.problems_dock, self.console_dock, self.perf_dock)]})
        self.toolbar = build_toolbar(self, self.act)
        self._connect_parts()
        self.debugging = install_debugging(self)  # Trace table, stepping (gui/window/debug_ui.py)
        size_for_first_start(self)  # a saved geometry (Session) replaces it
        icon = QIcon()
        for path in resources.app_icon_paths():
            icon.addFile(str(path))
        if not icon.isNull():
            self.setWindowIcon(icon)
        self.appearance.apply_theme(self.appearance.theme_choice, remember=False)
        self.appearance.apply_zoom()
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
        editor_area = QWidget(self)  # the central stack's page 0 (the start page: 1)
        layout = QVBoxLayout(editor_area)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.find_bar)
        # The start page stands in for an untouched, empty Untitled document.
        self.start_page = StartPage(self, self.theme)
        self.central_stack = QStackedWidget(self)
        self.central_stack.addWidget(editor_area)
        self.central_stack.addWidget(self.start_page)
        self.setCentralWidget(self.central_stack)

    def _build_docks(self) -> None:
        # The Python dock: PythonPane (banner, helpers note and its ``header`` row, view).
        self.python_pane = PythonPane(self, self.theme)
        self.python_view = self.python_pane.view
        self.python_dock = self._dock("Python", "pythonDock", self.python_pane,
                                      Qt.DockWidgetArea.RightDockWidgetArea)
        self.python_style_switch = PythonStyleSwitch(self.python_pane,
                                                     python_style(self.settings))
        self.python_pane.header.addWidget(self.python_style_switch, 0,
                                          Qt.AlignmentFlag.AlignRight)
        self.problems = ProblemsPanel(self, self.theme)
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

    def _build_parts(self, dialogs: MessageBoxes, recovery: RecoveryStore | None) -> None:
        """The status bar, the runner, the batch runner and the command parts. Each part
        registers its own shutdown step; the window registers its two (tabs, engine)."""
        io_pool = QThreadPool(self)  # config and recovery files, one job at a time
        io_pool.setMaxThreadCount(1)
        self.status_bar = WindowStatusBar(self.statusBar(), self.engine, self)
        self.runner = RunController(self)
        self.run_commands = RunCommands(self, self.runner, self.console, self.shutdown, self)
        self.help_commands = HelpCommands(self, dialogs, self.shutdown, self)
        self.settings_commands = SettingsCommands(
            self, dialogs, self.settings, self.engine, self.python_style_switch, io_pool,
            self.shutdown, self)
        self.batch = BatchRunner(self, dialogs)
        self.performance = PerformanceView(self, self.perf_dock, self.engine, dialogs,
                                           lambda: self.file_commands.start_folder(), self)
        self.batch.finished.connect(self.performance.note_batch)  # first: the chart, then
        self.file_commands = FileCommands(self, dialogs, self.state, self.settings,
                                          self.batch, self.engine, self.shutdown, self)
        self.batch.finished.connect(self.batchFinished)  # ... the status bar, then the signal
        self.session = Session(self, self.state, recovery, dialogs, self.file_commands,
                               io_pool, self.shutdown, self.settings.autosave_interval_s, self)
        self.edit_commands = EditCommands(
            self, dialogs, self.python_view,
            lambda: self.new_program() if self.start_page_shown() else None, self)
        self.display = ResultDisplay(self, self.settings, self.python_pane, self.problems,
                                     self.problems_dock, self.status_bar,
                                     self.runner.is_running, self)
        self.shutdown.register(Stage.DOCUMENTS, "stop the tabs' translations",
                               lambda: [tab.shutdown() for tab in self.document_tabs()])
        self.shutdown.register(Stage.ENGINE, "stop the translator and its pool",
                               self.engine.shutdown)

    def _connect_parts(self) -> None:
        """The parts' signals to the widgets and to each other (and to the window's own)."""
        files, look, display = self.file_commands, self.appearance, self.display
        self.start_page.newRequested.connect(self.new_program)
        self.start_page.openRequested.connect(files.open_dialog)
        self.start_page.recentRequested.connect(files.open_path)
        self.start_page.exampleRequested.connect(files.open_example)
        self.problems.problemActivated.connect(self.edit_commands.go_to_problem)
        self.status_bar.problemsClicked.connect(lambda: self.show_dock("problems"))
        self.status_bar.poolClicked.connect(lambda: self.settings_commands.open_settings())
        for widget in (self.python_pane, self.start_page, self.console, self.problems,
                       self.performance, self.help_commands):
            look.themeChanged.connect(widget.set_theme)
        look.themeChanged.connect(display.update)
        look.fontChanged.connect(self.python_view.setFont)
        look.fontChanged.connect(self.console.set_font)
        look.arrowGlyphChanged.connect(self.act.arrow.setChecked)
        run = self.run_commands
        run.runningChanged.connect(lambda running: self.act.run.setEnabled(not running))
        run.runningChanged.connect(self.act.stop.setEnabled)
        run.finished.connect(self.runFinished)
        settings = self.settings_commands
        settings.editorSettingsChanged.connect(look.editor_settings_changed)
        settings.editorSettingsChanged.connect(
            lambda _old: self.session.set_autosave_interval(self.settings.autosave_interval_s))
        settings.styleChanged.connect(display.update)
        settings.opened.connect(self.settingsOpened)
        settings.applied.connect(self.settingsApplied)
        self.session.autosaved.connect(self.autosaved)
        self.session.closedUnattended.connect(self.closedUnattended)

    # ------------------------------------------------------------------ WindowView
    @property
    def theme(self) -> Theme:
        return self.appearance.theme

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
        tab = DocumentTab(title, self.engine.translate, self.settings, self.theme, self)
        tab.editor.setFont(self.appearance.font())
        tab.editor.zoomRequested.connect(self.appearance.zoom)
        tab.stateChanged.connect(self.update_titles)
        tab.translated.connect(lambda: self._on_tab_translated(tab))
        tab.busyChanged.connect(lambda busy: self.display.busy(tab, busy))
        tab.editor.cursorPositionChanged.connect(self.display.cursor_moved)
        tab.editor.textChanged.connect(self.update_start_page)
        index = self.tabs.addTab(tab, tab.title)
        self.tabs.setCurrentIndex(index)
        if text:
            tab.editor.setPlainText(text)
            tab.set_modified(False)
        tab.translate_now()
        tab.editor.setFocus()
        self.update_titles()
        return tab

    def show_tab(self, tab: DocumentTab) -> None:
        self.tabs.setCurrentWidget(tab)

    @Slot()
    def update_titles(self) -> None:
        for tab in self.document_tabs():
            index = self.tabs.indexOf(tab)
            self.tabs.setTabText(index, ("\u25cf " if tab.modified else "") + tab.title)
            self.tabs.setTabToolTip(index, str(tab.path) if tab.path else tab.title)
        tab = self.current_tab()
        if tab is not None:
            self.setWindowTitle(f"{tab.title}[*] \u2014 {APP_NAME}")
            self.setWindowModified(tab.modified)
            self.act.revert.setEnabled(tab.path is not None)
        else:
            self.setWindowTitle(APP_NAME)

    def show_status(self, text: str, timeout_ms: int = 0) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def show_dock(self, name: str) -> None:
        dock = {"console": self.console_dock, "problems": self.problems_dock}[name]
        dock.show()
        dock.raise_()

    # ------------------------------------------------------------------ tabs
    def new_program(self) -> DocumentTab:
        """File > New: the empty document the start page stands for, or a new tab."""
        tab = self.current_tab()
        if self.start_page_shown() and tab is not None:
            self._start_dismissed = True
            self.update_start_page()
            tab.editor.setFocus()
            return tab
        return self.new_document()

    def start_page_shown(self) -> bool:
        return self.central_stack.currentWidget() is self.start_page

    @Slot()
    def update_start_page(self) -> None:
        """The start page while the only document is an untouched, empty Untitled one."""
        tabs = self.document_tabs()
        show = (len(tabs) == 1 and tabs[0].is_pristine() and not self._start_dismissed
                and not self.shutdown.started)
        if show == self.start_page_shown():
            return
        if show:
            self.start_page.set_recent(self.file_commands.recent_files())
            self.central_stack.setCurrentWidget(self.start_page)
        else:
            self.central_stack.setCurrentIndex(0)  # the tabs
            tab = self.current_tab()
            if tab is not None and self.isActiveWindow():
                tab.editor.setFocus()

    @Slot()
    def _on_current_changed(self, _index: int = 0) -> None:
        tab = self.current_tab()
        self.find_bar.set_editor(tab.editor if tab is not None else None)
        self.update_titles()
        self.display.update()
        self.display.cursor_moved()

    def _on_tab_translated(self, tab: DocumentTab) -> None:
        if tab is self.current_tab():
            self.display.update()
            self.display.cursor_moved()
        self.run_commands.tab_translated(tab)

    def close_current_tab(self) -> None:
        self.close_tab(self.tabs.currentIndex())

    def close_tab(self, index: int) -> bool:
        tab = self.tabs.widget(index)
        if not isinstance(tab, DocumentTab):
            return False
        if not self.file_commands.confirm_discard(tab):
            return False
        self.run_commands.tab_closed(tab)
        self.tabs.removeTab(index)
        tab.shutdown()
        tab.deleteLater()
        if self.tabs.count() == 0 and not self.shutdown.started:
            self.new_document()
            self._start_dismissed = False  # the window is empty again: offer the start page
        self.update_start_page()
        return True

    def restoreGeometry(self, geometry: QByteArray | bytes) -> bool:  # noqa: N802
        """The saved geometry, brought inside the screen it opens on now (it may have been
        saved on a larger monitor)."""
        restored = super().restoreGeometry(geometry)
        keep_on_screen(self)
        return restored

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Ask about unsaved work (unless unattended), then every part's shutdown step."""
        if not self.shutdown.started and not self.session.may_close():
            event.ignore()
            return
        self.shutdown.run()
        event.accept()
