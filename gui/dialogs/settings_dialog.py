"""Edit > Settings (Ctrl+,): the configuration file's values, on three pages.

Thin over ``SettingsForm`` (Qt-free): one widget per field of the engine's
table, checked as you type with the engine's own ``validate()`` (errors
under the field, OK and Apply disabled while there is one), a field fixed by
an environment variable shown locked with the variable and its value, the
file's path at the top, and a malformed file reported with its line (it is
copied to ``config.yaml.bak-...`` before the first save overwrites it; the
copy's path, ``ConfigManager.last_backup``, is shown once saved).

OK and Apply save on a worker thread (``ConfigManager.save``: atomic,
environment values never written, unknown keys kept) and then emit
``applied(config)``; the window applies it live (fonts, theme, strict mode,
and a restarted process pool).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QColor, QFontDatabase, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from engine.config import PAGE_INTROS, PAGES, ConfigSaveError, automatic_workers
from gui.model.settings_form import FormField, SettingsForm, choices, fields_on
from gui.services.workers import run_in_background
from gui.theme import LIGHT, Theme


def lock_pixmap(color: str, size: int = 14) -> QPixmap:
    """A small padlock (drawn: emoji fonts are not everywhere)."""
    scale = 2.0
    pixmap = QPixmap(int(size * scale), int(size * scale))
    pixmap.setDevicePixelRatio(scale)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(color))
    pen.setWidthF(1.6)
    painter.setPen(pen)
    painter.setBrush(QColor(0, 0, 0, 0))
    painter.drawArc(QRectF(size * 0.28, size * 0.08, size * 0.44, size * 0.6), 0, 180 * 16)
    painter.drawLine(QPointF(size * 0.28, size * 0.38), QPointF(size * 0.28, size * 0.5))
    painter.drawLine(QPointF(size * 0.72, size * 0.38), QPointF(size * 0.72, size * 0.5))
    painter.setPen(QColor(0, 0, 0, 0))
    painter.setBrush(QColor(color))
    painter.drawRoundedRect(QRectF(size * 0.16, size * 0.46, size * 0.68, size * 0.48), 1.5, 1.5)
    painter.end()
    return pixmap


def refusal_text(error: Exception, path: str) -> str:
    """What the banner says when saving failed. A refusal (ConfigSaveError) is written
    for the user: it names the file and says nothing was saved, so it is shown as it is;
    anything else is a surprise, shown with its kind so that a report can name it."""
    if isinstance(error, ConfigSaveError):
        return str(error)
    return f"The settings could not be saved to {path}: {type(error).__name__}: {error}"


class _FieldRow(QObject):
    """The widgets of one field: the editor, the lock note and the problem line."""

    def __init__(self, form_field: FormField, form: SettingsForm, parent: QWidget,
                 changed: Any, theme: Theme) -> None:
        super().__init__(parent)
        self.field = form_field
        self.key = form_field.key
        self.container = QWidget(parent)
        outer = QVBoxLayout(self.container)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        line = QHBoxLayout()
        line.setSpacing(8)
        outer.addLayout(line)
        self.editor: QWidget
        self.auto: QCheckBox | None = None
        kind = form_field.widget
        value = form.raw[self.key]
        if kind == "bool":
            box = QCheckBox(form_field.label, self.container)
            box.setChecked(bool(value))
            box.toggled.connect(changed)
            self.editor = box
        elif kind == "choice":
            combo = QComboBox(self.container)
            for choice, label in choices(self.key, form.manager.platform):
                combo.addItem(label, choice)
            _select(combo, value)
            combo.currentIndexChanged.connect(changed)
            self.editor = combo
        elif kind == "font":
            combo = QComboBox(self.container)
            combo.addItem("Default monospace font", "")
            families = [f for f in QFontDatabase.families()
                        if QFontDatabase.isFixedPitch(f) and not f.startswith("@")]
            for family in sorted(set(families), key=str.lower):
                combo.addItem(family, family)
            _select(combo, value or "")
            combo.currentIndexChanged.connect(changed)
            self.editor = combo
        else:
            edit = QLineEdit(form.initial_text(self.key), self.container)
            edit.setMaximumWidth(140)
            edit.textChanged.connect(changed)
            self.editor = edit
            if kind == "auto_int":
                auto = QCheckBox(f"Automatic ({automatic_workers()} here)", self.container)
                auto.setChecked(value is None)
                edit.setEnabled(value is not None)
                if value is None:
                    edit.setPlaceholderText(str(automatic_workers()))
                auto.toggled.connect(changed)
                self.auto = auto
        self.editor.setObjectName(self.key)
        line.addWidget(self.editor)
        if self.auto is not None:
            line.addWidget(self.auto)
        self.lock_icon = QLabel(self.container)
        self.lock_icon.setPixmap(lock_pixmap(theme.info))
        self.lock_label = QLabel(self.container)
        self.lock_label.setObjectName(self.key + ".lock")
        self.lock_label.setStyleSheet(f"QLabel {{ color: {theme.info}; }}")
        line.addWidget(self.lock_icon)
        line.addWidget(self.lock_label)
        line.addStretch(1)
        self.help_label = QLabel(form_field.help, self.container)
        self.help_label.setWordWrap(True)
        self.help_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.help_label.setStyleSheet(f"QLabel {{ color: {theme.gutter_fg}; }}")
        outer.addWidget(self.help_label)
        self.problem_label = QLabel(self.container)
        self.problem_label.setWordWrap(True)
        self.problem_label.setObjectName(self.key + ".problem")
        self.problem_label.hide()
        outer.addWidget(self.problem_label)
        for widget in (self.editor, self.auto):
            if widget is not None:
                widget.setToolTip(form_field.help)
        lock_text = form.lock_text(self.key)
        if lock_text:
            self.editor.setEnabled(False)
            if self.auto is not None:
                self.auto.setEnabled(False)
            self.lock_label.setText(lock_text)
            tip = (f"{lock_text}. Environment variables win over the file, and this value is "
                   "never written to it. Unset the variable to change the setting here.")
            self.lock_label.setToolTip(tip)
            self.lock_icon.setToolTip(tip)
            self.editor.setToolTip(tip)
        else:
            self.lock_icon.hide()
            self.lock_label.hide()

    def raw(self) -> Any:
        editor = self.editor
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QComboBox):
            return editor.currentData()
        assert isinstance(editor, QLineEdit)
        if self.auto is not None:
            editor.setEnabled(not self.auto.isChecked() and self.lock_label.isHidden())
            if self.auto.isChecked():
                return None
        return editor.text()

    def show_problems(self, problems: list[Any], theme: Theme) -> None:
        if not problems:
            self.problem_label.hide()
            return
        error = any(p.error for p in problems)
        color = theme.error if error else theme.warning
        self.problem_label.setText("\n".join(p.message for p in problems))
        self.problem_label.setStyleSheet(f"QLabel {{ color: {color}; }}")
        self.problem_label.show()


class SettingsDialog(QDialog):
    applied = Signal(object)          # the TranslatorConfig now in force (saved)
    saveFailed = Signal(str)

    def __init__(self, form: SettingsForm, parent: QWidget | None = None,
                 theme: Theme = LIGHT, page: str = "Execution") -> None:
        super().__init__(parent)
        self.form = form
        self.theme = theme
        self.rows: dict[str, _FieldRow] = {}
        self._saving = False
        self._close_after_save = False
        self._io = QThreadPool(self)
        self._io.setMaxThreadCount(1)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        self._build()
        self.show_page(page)
        self._refresh()

    # -- layout
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        state = {"missing": "does not exist yet: it is created when you save",
                 "ok": "", "malformed": "cannot be read (see below)"}.get(self.form.file_state, "")
        self.path_label = QLabel(
            f"Configuration file: <b>{_html(self.form.path)}</b>"
            + (f" &mdash; {state}" if state else ""), self)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)
        layout.addWidget(self.path_label)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setContentsMargins(8, 6, 8, 6)
        self.banner.hide()
        layout.addWidget(self.banner)
        problem = self.form.file_problem()
        if problem is not None:
            self.show_banner(
                f"{problem.where}: {problem.message}.\nThe defaults are shown. When you save, "
                "the broken file is first copied next to it (config.yaml.bak-DATE-TIME), then "
                "replaced.", error=True)

        body = QHBoxLayout()
        self.page_list = QListWidget(self)
        self.page_list.addItems(list(PAGES))
        self.page_list.setFixedWidth(130)
        self.page_list.setSpacing(3)
        self.pages = QStackedWidget(self)
        for page in PAGES:
            widget = QWidget(self.pages)
            page_layout = QVBoxLayout(widget)
            page_layout.setContentsMargins(6, 4, 10, 0)  # notes never touch the edge
            grid = QGridLayout()
            grid.setHorizontalSpacing(12)
            grid.setVerticalSpacing(10)
            grid.setColumnStretch(1, 1)
            page_layout.addLayout(grid)
            page_layout.addStretch(1)
            intro = QLabel(PAGE_INTROS.get(page, ""), widget)
            intro.setWordWrap(True)
            grid.addWidget(intro, 0, 0, 1, 2)
            for number, form_field in enumerate(fields_on(page), 1):
                row = _FieldRow(form_field, self.form, widget, self._on_changed, self.theme)
                self.rows[form_field.key] = row
                if form_field.widget != "bool":
                    label = QLabel(form_field.label + ":", widget)
                    label.setBuddy(row.editor)
                    label.setContentsMargins(0, 4, 0, 0)  # level with the field's text
                    grid.addWidget(label, number, 0,
                                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                grid.addWidget(row.container, number, 1)
            # A page scrolls rather than squeezing its rows: a problem line that appears
            # under a field must never clip the help text of the others.
            scroll = QScrollArea(self.pages)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            scroll.setWidget(widget)
            self.pages.addWidget(scroll)
        self.page_list.currentRowChanged.connect(self.pages.setCurrentIndex)
        body.addWidget(self.page_list)
        body.addWidget(self.pages, 1)
        layout.addLayout(body, 1)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply, self)
        self.buttons.accepted.connect(self.save_and_close)
        self.buttons.rejected.connect(self.reject)
        self.apply_button.clicked.connect(self.apply)
        layout.addWidget(self.buttons)
        self.resize(780, 640)

    @property
    def ok_button(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    @property
    def apply_button(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Apply)

    def show_page(self, page: str) -> None:
        if page in PAGES:
            self.page_list.setCurrentRow(PAGES.index(page))

    def show_banner(self, text: str, error: bool = False) -> None:
        color = self.theme.error if error else self.theme.foreground
        self.banner.setText(text)
        self.banner.setStyleSheet(
            f"QLabel {{ background: {self.theme.banner_bg}; color: {color}; }}")
        self.banner.show()

    def editor(self, key: str) -> QWidget:
        return self.rows[key].editor

    # -- editing
    @Slot()
    def _on_changed(self, *_: object) -> None:
        for key, row in self.rows.items():
            self.form.set(key, row.raw())
        self._refresh()

    def _refresh(self) -> None:
        problems = self.form.problems()
        for key, row in self.rows.items():
            row.show_problems([p for p in problems if p.key == key], self.theme)
        errors = [p for p in problems if p.error]
        ok = not errors and not self._saving
        self.ok_button.setEnabled(ok)
        self.apply_button.setEnabled(ok)
        if errors:
            self.status.setText(f"{len(errors)} value{'s' if len(errors) != 1 else ''} to fix "
                                "before saving.")

    # -- saving
    @Slot()
    def apply(self) -> bool:
        """Save (off the GUI thread) and apply; the dialog stays open."""
        return self._save(close=False)

    @Slot()
    def save_and_close(self) -> bool:
        return self._save(close=True)

    def _save(self, close: bool) -> bool:
        if self._saving or self.form.has_errors():
            return False
        self._saving = True
        self._close_after_save = close
        self.pages.setEnabled(False)
        self._refresh()
        self.status.setText("Saving\u2026")
        form = self.form
        run_in_background(form.save, pool=self._io, receiver=self,
                          done=lambda saved: self._on_saved(*saved, "", form.last_backup),
                          failed=lambda error: self._on_saved(
                              None, "", refusal_text(error, form.path), ""))
        return True

    def _on_saved(self, config: object, path: str, error: str, backup: str) -> None:
        self._saving = False
        self.pages.setEnabled(True)
        self._refresh()
        if error:
            self.status.setText("")
            self.show_banner(error, error=True)
            self.saveFailed.emit(error)
            return
        note = f"Saved to {path}."
        if backup:
            note += f" The broken file was kept as {backup}."
            self.show_banner(f"The configuration file could not be read, so it was kept as "
                             f"{backup} before being replaced.")
        elif self.banner.isVisible():
            self.banner.hide()
        self.status.setText(note)
        self.path_label.setText(f"Configuration file: <b>{_html(path)}</b>")
        self.applied.emit(config)
        if self._close_after_save:
            self.accept()

    def reject(self) -> None:
        if self._saving:
            self._close_after_save = True  # closes once the file is written
            return
        super().reject()

    def wait_saved(self, timeout_ms: int = 10000) -> bool:
        return self._io.waitForDone(timeout_ms)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _select(combo: QComboBox, value: object) -> None:
    """Show ``value`` in ``combo``, adding it when the list does not offer it (a value
    from a newer version or typed by hand is kept, never silently replaced)."""
    index = combo.findData(value)
    if index < 0:
        combo.addItem(str(value), value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)
