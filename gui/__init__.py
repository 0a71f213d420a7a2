"""The desktop editor (PySide6). All Qt lives in this package; the engine never imports it."""

from gui import compat as _compat

_compat.protect_none()  # PySide6 6.12 on Python 3.11 (see gui/compat.py)
