"""The desktop editor (PySide6). All Qt lives in this package; the engine never imports it."""
