"""The Checked / Plain switch above the Python pane.

Two linked buttons: "Checked" shows the Python the app runs (every check, errors name
the pseudocode line); "Plain" shows the Python a teacher would write. The choice is
the setting ``translation.python_style``; the window applies and saves it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QToolButton, QWidget

from engine.config import PYTHON_STYLES

STYLES = PYTHON_STYLES  # translation.python_style's choices (engine/config/schema.py)
_TEXT = {"checked": "Checked", "plain": "Plain"}
_TIPS = {
    "checked": "The Python that Run runs: every index, INPUT and file is checked, and a "
               "runtime error names the pseudocode line (small helpers at the top)",
    "plain": "The Python a teacher would write for this pseudocode: lists, int(input()), "
             "with open(...), no helpers but the few Python lacks. Export Python saves "
             "this; Run still runs the checked style",
}


class PythonStyleSwitch(QWidget):
    """Checked | Plain; ``styleChanged(style)`` when the user picks the other one."""

    styleChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None, style: str = "checked") -> None:
        super().__init__(parent)
        self.setObjectName("pythonStyleSwitch")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QToolButton] = {}
        for name in STYLES:
            button = QToolButton(self)
            button.setObjectName(f"pythonStyle_{name}")
            button.setText(_TEXT[name])
            button.setToolTip(_TIPS[name])
            button.setCheckable(True)
            button.setAutoRaise(True)
            self.group.addButton(button)
            layout.addWidget(button)
            self.buttons[name] = button
        self.setStyleSheet("QToolButton { padding: 1px 8px; } "
                           "QToolButton:checked { font-weight: bold; }")
        self.set_style(style)
        self.group.buttonClicked.connect(self._on_clicked)

    @property
    def style_name(self) -> str:
        return next((name for name, b in self.buttons.items() if b.isChecked()), "checked")

    def set_style(self, style: str) -> None:
        """Show ``style`` as chosen, without signalling (a setting loaded or applied)."""
        self.buttons[style if style in STYLES else "checked"].setChecked(True)

    def _on_clicked(self, _button: QToolButton) -> None:
        self.styleChanged.emit(self.style_name)
