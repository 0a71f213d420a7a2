"""Test helpers for the GUI tests: fake dialogs, text edits, waits."""

from __future__ import annotations

from typing import Any


# ----------------------------------------------------------------------------- dialogs
class FakeDialogs:
    """Stands in for gui.dialogs.message_boxes.MessageBoxes: records every question, answers as told."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.save_choice = "discard"
        self.yes = True
        self.open_answer: str | None = None
        self.save_answer: str | None = None
        self.folder_answers: list[str | None] = []   # pick_folder answers, in order
        self.csv_answer: str | None = None
        self.line_answer: int | None = None

    def ask_save_changes(self, parent: Any, name: str) -> Any:
        from gui.dialogs.message_boxes import SaveChoice

        self.calls.append(("ask_save_changes", name))
        return SaveChoice(self.save_choice)

    def ask_yes_no(self, parent: Any, title: str, text: str) -> bool:
        self.calls.append(("ask_yes_no", text))
        return self.yes

    def show_error(self, parent: Any, title: str, text: str) -> None:
        self.calls.append(("show_error", text))

    def show_info(self, parent: Any, title: str, text: str) -> None:
        self.calls.append(("show_info", text))

    def open_path(self, parent: Any, folder: str) -> str | None:
        self.calls.append(("open_path", folder))
        return self.open_answer

    def save_path(self, parent: Any, suggested: str, python: bool = False) -> str | None:
        self.calls.append(("save_path", suggested))
        return self.save_answer

    def pick_folder(self, parent: Any, title: str, start: str) -> str | None:
        self.calls.append(("pick_folder", title))
        return self.folder_answers.pop(0) if self.folder_answers else None

    def save_csv_path(self, parent: Any, suggested: str) -> str | None:
        self.calls.append(("save_csv_path", suggested))
        return self.csv_answer

    def ask_line(self, parent: Any, current: int, last: int) -> int | None:
        self.calls.append(("ask_line", f"{current}/{last}"))
        return self.line_answer

    def texts(self, name: str) -> list[str]:
        return [text for call, text in self.calls if call == name]

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


def set_text(window, text: str) -> None:
    """Replace the current document's text as an edit (as pasting would: undoable, modified)."""
    editor = window.current_tab().editor
    cursor = editor.textCursor()
    cursor.select(cursor.SelectionType.Document)
    cursor.insertText(text)


def wait_translated(qtbot, window, timeout: int = 10000) -> None:
    """Until the current tab's translation belongs to the text on screen."""
    qtbot.waitUntil(lambda: window.current_tab().up_to_date, timeout=timeout)


def open_settings(qtbot, window, page: str = "Execution"):
    """Edit > Settings on ``page``; the dialog, once it is shown."""
    with qtbot.waitSignal(window.settingsOpened, timeout=10000) as blocker:
        window.settings_commands.open_settings(page)
    dialog = blocker.args[0]
    assert dialog.isVisible()
    return dialog


def retype(qtbot, edit, text: str) -> None:
    """Replace a line edit's text by typing, as a user would."""
    from PySide6.QtCore import Qt

    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def pool_config(**overrides):
    """A TranslatorConfig with the pool on: one spawn worker, a generous job timeout."""
    from engine.config import ExecutionConfig, TranslatorConfig

    values = dict(process_pool_enabled=True, process_pool_max_workers=1,
                  process_pool_start_method="spawn", process_pool_task_timeout_ms=20_000)
    values.update(overrides)
    return TranslatorConfig(execution=ExecutionConfig(**values))


def in_thread(fn, *args):
    """Run engine work off the GUI thread, as the app does."""
    import threading

    thread = threading.Thread(target=fn, args=args, daemon=True)
    thread.start()
    return thread


def format_at(editor, line: int, column: int):
    """The highlighter's format at a place (a copy: the layout's list is temporary)."""
    from PySide6.QtGui import QTextCharFormat

    block = editor.document().findBlockByNumber(line)
    ranges = block.layout().formats()
    for fmt_range in ranges:
        if fmt_range.start <= column < fmt_range.start + fmt_range.length:
            return QTextCharFormat(fmt_range.format)
    return QTextCharFormat()


def ev(type_, stamp: float = 1000.0, **data):
    """An engine event of ``type_`` with ``data``, stamped ``stamp``."""
    from engine.events import Event

    return Event(type_, data, stamp)
