"""Light and dark themes: the application palette and the editor's colours.

``system`` follows the platform's colour scheme (and changes with it while
the app runs); ``light`` and ``dark`` force one. The Fusion style is used on
every platform so both palettes look the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from gui.model.syntax import Category


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    dark: bool
    background: str
    foreground: str
    gutter_bg: str
    gutter_fg: str
    gutter_current_fg: str
    current_line: str
    selection: str
    error: str
    warning: str
    info: str
    runtime_error_line: str
    banner_bg: str
    console_input: str
    colors: dict[Category, tuple[str, bool, bool]]  # colour, bold, italic

    def color(self, name: str) -> QColor:
        return QColor(getattr(self, name))


LIGHT = Theme(
    name="light", dark=False,
    background="#ffffff", foreground="#1f2328",
    gutter_bg="#f6f8fa", gutter_fg="#8c959f", gutter_current_fg="#1f2328",
    current_line="#f3f6fb", selection="#b6d7ff",
    error="#d1242f", warning="#bf8700", info="#0969da",
    runtime_error_line="#ffe3e3", banner_bg="#fff8c5", console_input="#0550ae",
    colors={
        Category.KEYWORD: ("#0550ae", True, False),
        Category.TYPE: ("#8250df", False, False),
        Category.BUILTIN: ("#6639ba", False, False),
        Category.STRING: ("#0a3069", False, False),
        Category.NUMBER: ("#953800", False, False),
        Category.COMMENT: ("#57606a", False, True),
        Category.OPERATOR: ("#6e7781", False, False),
        Category.LITERAL: ("#116329", True, False),
        Category.ERROR: ("#d1242f", True, False),
        Category.DEFINITION: ("#8a4600", True, False),
    },
)

DARK = Theme(
    name="dark", dark=True,
    background="#1e1f22", foreground="#d4d4d4",
    gutter_bg="#232428", gutter_fg="#6e7681", gutter_current_fg="#d4d4d4",
    current_line="#2a2c31", selection="#264f78",
    error="#f14c4c", warning="#cca700", info="#3794ff",
    runtime_error_line="#4b1d1d", banner_bg="#3d3514", console_input="#79c0ff",
    colors={
        Category.KEYWORD: ("#569cd6", True, False),
        Category.TYPE: ("#4ec9b0", False, False),
        Category.BUILTIN: ("#dcdcaa", False, False),
        Category.STRING: ("#ce9178", False, False),
        Category.NUMBER: ("#b5cea8", False, False),
        Category.COMMENT: ("#6a9955", False, True),
        Category.OPERATOR: ("#9da5b4", False, False),
        Category.LITERAL: ("#569cd6", False, False),
        Category.ERROR: ("#f14c4c", True, False),
        Category.DEFINITION: ("#dcdcaa", True, False),
    },
)


def system_prefers_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else Qt.ColorScheme.Unknown
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def resolve(choice: str) -> Theme:
    """The theme for a setting value: ``system``, ``light`` or ``dark``."""
    if choice == "dark":
        return DARK
    if choice == "light":
        return LIGHT
    return DARK if system_prefers_dark() else LIGHT


def palette_for(theme: Theme) -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    if theme.dark:
        base, window, text = QColor("#1e1f22"), QColor("#2b2d31"), QColor("#dfe1e5")
        button, disabled = QColor("#34363b"), QColor("#7d8187")
        highlight, link = QColor("#2f65ca"), QColor("#6ea8fe")
        alternate, tooltip_bg = QColor("#25272b"), QColor("#3c3f44")
        mid, dark_c, light_c = QColor("#3f4248"), QColor("#18191b"), QColor("#4a4d53")
    else:
        base, window, text = QColor("#ffffff"), QColor("#f3f3f3"), QColor("#1f2328")
        button, disabled = QColor("#fafafa"), QColor("#8c959f")
        highlight, link = QColor("#2f6fde"), QColor("#0969da")
        alternate, tooltip_bg = QColor("#f6f8fa"), QColor("#ffffe1")
        mid, dark_c, light_c = QColor("#c8c8c8"), QColor("#a0a0a0"), QColor("#ffffff")
    palette.setColor(role.Window, window)
    palette.setColor(role.WindowText, text)
    palette.setColor(role.Base, base)
    palette.setColor(role.AlternateBase, alternate)
    palette.setColor(role.ToolTipBase, tooltip_bg)
    palette.setColor(role.ToolTipText, text)
    palette.setColor(role.PlaceholderText, disabled)
    palette.setColor(role.Text, text)
    palette.setColor(role.Button, button)
    palette.setColor(role.ButtonText, text)
    palette.setColor(role.BrightText, QColor("#ff5555"))
    palette.setColor(role.Highlight, highlight)
    palette.setColor(role.HighlightedText, QColor("#ffffff"))
    palette.setColor(role.Link, link)
    palette.setColor(role.Mid, mid)
    palette.setColor(role.Dark, dark_c)
    palette.setColor(role.Light, light_c)
    palette.setColor(role.Midlight, light_c)
    palette.setColor(role.Shadow, dark_c)
    for r in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, r, disabled)
    return palette


def apply_to_application(theme: Theme) -> None:
    """Fusion style with the theme's palette, so light and dark look alike everywhere."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(palette_for(theme))
