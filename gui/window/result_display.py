"""The current tab's translation on screen: the Python pane, the Problems panel, the status bar.

``ResultDisplay.update()`` shows the current tab's latest result (or why there
is none: errors, a translator failure); ``cursor_moved()`` highlights the Python
lines of the pseudocode line under the cursor. The window calls them when the
current tab changes, translates or moves its cursor, and when the theme or the
Python style changes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QDockWidget

from engine.language.diagnostics import Severity
from gui.model.editor_settings import EditorSettings
from gui.widgets.problems_panel import ProblemsPanel, summary
from gui.widgets.python_pane import PythonPane
from gui.window.settings_commands import python_style
from gui.window.status_bar import WindowStatusBar
from gui.window.view import WindowView


class ResultDisplay(QObject):
    def __init__(self, view: WindowView, settings: EditorSettings, pane: PythonPane,
                 problems: ProblemsPanel, problems_dock: QDockWidget,
                 status: WindowStatusBar, program_running: Callable[[], bool],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view, self._settings = view, settings
        self._pane, self._problems, self._problems_dock = pane, problems, problems_dock
        self._status, self._program_running = status, program_running
        self._shown_errors = 0  # errors in the Problems panel (raised when they appear)

    @Slot()
    def update(self) -> None:
        tab = self._view.current_tab()
        python_view = self._pane.view
        if tab is None:
            self._problems.set_diagnostics([])
            python_view.set_code("")
            return
        result = tab.result
        diagnostics = tab.diagnostics
        style = python_style(self._settings)
        if tab.engine_error:
            last = tab.engine_error.strip().splitlines()[-1]
            self._set_banner(f"The translator failed on this text ({last}). The Python shown "
                             "is from the last version that translated.", error=True)
            self._problems.set_diagnostics([], note="The translator failed: see the Python pane")
        elif result is not None and not getattr(result, "success", False):
            if tab.good_code:
                self._set_banner("The pseudocode has errors: this is the Python of the last "
                                 "version without errors. Fix the problems below to update it.")
            else:
                self._set_banner("Fix the problems listed below to see the Python.")
            self._problems.set_diagnostics(diagnostics)
        elif style == "plain" and getattr(result, "plain_error", ""):
            self._set_banner("The plain style could not be made for this program (a bug in "
                             "Pseudocode Translator): the checked style is shown.", error=True)
            self._problems.set_diagnostics(diagnostics)
        else:
            self._set_banner("")
            self._problems.set_diagnostics(diagnostics)
        was_empty = not python_view.toPlainText()
        # an empty document has no Python to show: the pane's note says what will come
        code = tab.code_in(style)
        python_view.set_code(code if not tab.editor.document().isEmpty() else "")
        if was_empty and code:
            # the helpers come first (folded away): open at the student's own program
            python_view.reveal_line(python_view.program_start_line(), at_top=True)
        errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
        if errors and not self._shown_errors and not self._program_running():
            self._problems_dock.raise_()  # new errors: in front of the Console (after a run)
        self._shown_errors = errors
        self._status.problems.setText(summary(diagnostics) if not tab.engine_error
                                      else "Translator error")
        timings = getattr(result, "timings", None) or {}
        total = timings.get("total_ms")
        self._status.translation.setText(f"Translated in {total:.0f} ms" if total is not None
                                         else "")

    def _set_banner(self, text: str, error: bool = False) -> None:
        banner = self._pane.banner
        if not text:
            banner.hide()
            return
        banner.setText(text)
        theme = self._view.theme
        color = theme.error if error else theme.foreground
        banner.setStyleSheet(f"QLabel {{ background: {theme.banner_bg}; color: {color}; }}")
        banner.show()

    @Slot()
    def cursor_moved(self) -> None:
        tab = self._view.current_tab()
        if tab is None:
            return
        line, column = tab.editor.cursor_line_column()
        self._status.set_cursor(line, column)
        linked: list[int] = []
        if tab.up_to_date and getattr(tab.result, "success", False):
            linked = sorted(py for py, pseudo in
                            tab.line_map_in(python_style(self._settings)).items()
                            if pseudo == line)
        python_view = self._pane.view
        python_view.highlight_lines(linked)
        if linked:
            python_view.reveal_line(linked[0])

    def busy(self, tab: object, busy: bool) -> None:
        """A tab started translating: say so if it is the one on screen."""
        if tab is self._view.current_tab() and busy:
            self._status.translation.setText("Translating\u2026")
