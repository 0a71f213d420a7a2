"""Every menu and toolbar command of the window, as one table (napari's ``qactions`` pattern).

An :class:`ActionSpec` says what a command is called, its shortcut and tip, where
it appears (menu and section, toolbar section) and what it calls: ``handler`` is
an attribute path from the window (``"file_commands.save"``), resolved when the
window is built, so a misspelt handler fails at start-up (and in every test).
:class:`MenuSlot` marks where a sub-menu or a group of actions that the window
makes at run time goes (Open Recent, Examples, Theme, the docks' toggles).
:func:`build_actions` turns the table into ``QAction``s (``window.act.<id>``),
:func:`build_menus` and :func:`build_toolbar` lay them out.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPainter, QPixmap, QPolygonF
from PySide6.QtWidgets import QMainWindow, QMenu, QMenuBar, QStyle, QToolBar

Key = QKeySequence.StandardKey
Shortcut = str | QKeySequence.StandardKey | tuple[str | QKeySequence.StandardKey, ...] | None


@dataclass(frozen=True)
class ActionSpec:
    id: str                        # window.act.<id>; objectName "act_<id>"
    text: str
    handler: str                   # attribute path from the window
    shortcut: Shortcut = None
    tip: str = ""                  # status tip and tooltip
    menu: str = ""                 # menu title ("" = no menu)
    section: int = 0               # a separator between sections of a menu
    toolbar: int | None = None     # toolbar section (None = not on the toolbar)
    args: tuple[Any, ...] = ()     # handler(*args); a checkable action's handler(checked)
    icon: str = ""                 # "run", "stop" (drawn) or a QStyle.StandardPixmap name
    checkable: bool = False
    enabled: bool = True
    widget_shortcut: bool = False  # the focused widget handles the key (undo, copy, ...)
    preferences: bool = False      # macOS: the application menu's Preferences item


@dataclass(frozen=True)
class MenuSlot:
    """Where a sub-menu (QMenu) or actions the window makes at run time go."""

    id: str
    menu: str
    section: int = 0


# Edit commands whose keys the focused widget handles (the editor, the Console, a field)
_FOCUSED: dict[str, Any] = {"menu": "&Edit", "widget_shortcut": True}

ACTIONS: tuple[ActionSpec | MenuSlot, ...] = (
    # File
    ActionSpec("new", "&New", "new_program", Key.New, "Start a new program",
               menu="&File", toolbar=0, icon="SP_FileIcon"),
    ActionSpec("open", "&Open\u2026", "file_commands.open_dialog", Key.Open,
               "Open a pseudocode file", menu="&File", toolbar=0, icon="SP_DialogOpenButton"),
    MenuSlot("recent", "&File"),
    MenuSlot("examples", "&File"),
    ActionSpec("save", "&Save", "file_commands.save", Key.Save, "Save the program",
               menu="&File", section=1, toolbar=0, icon="SP_DialogSaveButton"),
    ActionSpec("save_as", "Save &As\u2026", "file_commands.save_as", Key.SaveAs,
               "Save under a new name", menu="&File", section=1),
    ActionSpec("revert", "&Revert", "file_commands.revert", None, "Go back to the saved file",
               menu="&File", section=1),
    ActionSpec("export", "&Export Python\u2026", "file_commands.export_python", "Ctrl+E",
               "Save the translated Python as a .py file", menu="&File", section=2),
    ActionSpec("translate_folder", "&Translate Folder\u2026", "file_commands.translate_folder",
               None, "Translate every .pseudo file of a folder into .py files",
               menu="&File", section=2),
    ActionSpec("close_tab", "&Close", "close_current_tab", Key.Close, "Close this program",
               menu="&File", section=3),
    ActionSpec("quit", "&Quit", "close", Key.Quit, "Quit the translator",
               menu="&File", section=3),
    # Edit
    ActionSpec("undo", "&Undo", "edit_commands.call", Key.Undo, args=("undo",),
               **_FOCUSED),
    ActionSpec("redo", "&Redo", "edit_commands.call", Key.Redo, args=("redo",),
               **_FOCUSED),
    ActionSpec("cut", "Cu&t", "edit_commands.call", Key.Cut, args=("cut",), section=1,
               **_FOCUSED),
    ActionSpec("copy", "&Copy", "edit_commands.copy", Key.Copy, section=1, **_FOCUSED),
    ActionSpec("paste", "&Paste", "edit_commands.call", Key.Paste, args=("paste",),
               section=1, **_FOCUSED),
    ActionSpec("select_all", "Select &All", "edit_commands.call", Key.SelectAll,
               args=("selectAll",), section=1, **_FOCUSED),
    ActionSpec("find", "&Find\u2026", "find_bar.open", Key.Find, args=(False,),
               menu="&Edit", section=2),
    ActionSpec("replace", "&Replace\u2026", "find_bar.open", "Ctrl+H", args=(True,),
               menu="&Edit", section=2),
    ActionSpec("find_next", "Find &Next", "find_bar.find_next", Key.FindNext,
               menu="&Edit", section=2),
    ActionSpec("find_previous", "Find Pre&vious", "find_bar.find_previous", Key.FindPrevious,
               menu="&Edit", section=2),
    ActionSpec("go_to_line", "&Go to Line\u2026", "edit_commands.go_to_line", "Ctrl+G",
               "Jump to a line number", menu="&Edit", section=3),
    ActionSpec("comment", "Toggle &Comment", "edit_commands.call", "Ctrl+/",
               "Comment or uncomment the selected lines with //", menu="&Edit", section=3,
               args=("toggle_comment",)),
    ActionSpec("copy_python", "Copy &Python", "edit_commands.copy_python", "Ctrl+Shift+C",
               "Copy the whole translated program", menu="&Edit", section=3),
    ActionSpec("settings", "Se&ttings\u2026", "settings_commands.open_settings", "Ctrl+,",
               "The translator's settings: process pool, strict mode, editor",
               menu="&Edit", section=4, preferences=True),
    # View
    ActionSpec("zoom_in", "Zoom &In", "appearance.zoom", (Key.ZoomIn, "Ctrl+="), args=(1,),
               menu="&View"),
    ActionSpec("zoom_out", "Zoom &Out", "appearance.zoom", Key.ZoomOut, args=(-1,),
               menu="&View"),
    ActionSpec("zoom_reset", "&Reset Zoom", "appearance.zoom", "Ctrl+0", args=(0,),
               menu="&View"),
    MenuSlot("theme", "&View", section=1),
    ActionSpec("arrow", "Show \u2190 for <-", "appearance.set_arrow_glyph", None,
               "Typing <- gives the arrow \u2190", menu="&View", section=1, checkable=True),
    MenuSlot("docks", "&View", section=2),
    # Run
    ActionSpec("run", "&Run", "run_commands.run_program", "F5", "Run the program (F5)",
               menu="&Run", toolbar=1, icon="run"),
    ActionSpec("stop", "&Stop", "run_commands.stop_program", "Shift+F5",
               "Stop the program (Shift+F5)", menu="&Run", toolbar=1, icon="stop",
               enabled=False),
    # Help
    MenuSlot("examples", "&Help"),  # the same menu as in File
    ActionSpec("reference", "Language &Reference", "help_commands.show_reference",
               Key.HelpContents, "The pseudocode this translator understands", menu="&Help"),
    ActionSpec("about", "&About", "help_commands.show_about", menu="&Help", section=1),
)


class Actions(dict[str, QAction]):
    """The window's QActions by id: ``window.act.run`` or ``window.act["run"]``."""

    def __getattr__(self, name: str) -> QAction:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def action_specs() -> Iterator[ActionSpec]:
    return (spec for spec in ACTIONS if isinstance(spec, ActionSpec))


def build_actions(window: QMainWindow) -> Actions:
    """One QAction per spec, added to ``window`` (so its shortcut works everywhere)."""
    actions = Actions()
    for spec in action_specs():
        action = QAction(spec.text, window)
        action.setObjectName(f"act_{spec.id}")
        if isinstance(spec.shortcut, tuple):
            action.setShortcuts([QKeySequence(key) for key in spec.shortcut])
        elif spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        if spec.tip:
            action.setStatusTip(spec.tip)
            action.setToolTip(spec.tip)
        if spec.widget_shortcut:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        if spec.preferences:
            action.setMenuRole(QAction.MenuRole.PreferencesRole)
        if spec.icon:
            action.setIcon(_icon(window, spec.icon))
        action.setCheckable(spec.checkable)
        action.setEnabled(spec.enabled)
        action.triggered.connect(_slot(window, spec))
        window.addAction(action)
        actions[spec.id] = action
    return actions


def build_menus(bar: QMenuBar, actions: Actions,
                slots: dict[str, QMenu | list[QAction]]) -> dict[str, QMenu]:
    """The menu bar from the table; ``slots`` fills each :class:`MenuSlot`."""
    menus: dict[str, QMenu] = {}
    sections: dict[str, int] = {}
    for entry in ACTIONS:
        if not entry.menu:
            continue
        menu = menus.get(entry.menu)
        if menu is None:
            menu = menus[entry.menu] = bar.addMenu(entry.menu)
        elif entry.section != sections[entry.menu]:
            menu.addSeparator()
        sections[entry.menu] = entry.section
        if isinstance(entry, ActionSpec):
            menu.addAction(actions[entry.id])
            continue
        content = slots[entry.id]
        if isinstance(content, QMenu):
            menu.addMenu(content)
        else:
            menu.addActions(content)
    return menus


def build_toolbar(window: QMainWindow, actions: Actions) -> QToolBar:
    toolbar = QToolBar("Main", window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    section: int | None = None
    for spec in action_specs():
        if spec.toolbar is None:
            continue
        if section is not None and spec.toolbar != section:
            toolbar.addSeparator()
        section = spec.toolbar
        toolbar.addAction(actions[spec.id])
    window.addToolBar(toolbar)
    return toolbar


def _slot(window: QMainWindow, spec: ActionSpec) -> Callable[[bool], object]:
    handler = functools.reduce(getattr, spec.handler.split("."), window)
    if not callable(handler):
        raise TypeError(f"action {spec.id!r}: {spec.handler} is not callable")
    if spec.checkable:
        return lambda checked=False: handler(checked)
    args = spec.args
    return lambda _checked=False: handler(*args)


def _icon(window: QMainWindow, name: str) -> QIcon:
    if name in ("run", "stop"):
        return shape_icon(name, "#2da44e" if name == "run" else "#cf222e")
    style = window.style()
    return style.standardIcon(getattr(QStyle.StandardPixmap, name))


def shape_icon(kind: str, color: str) -> QIcon:
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
