"""Runtime hook: where Qt finds its plugins in the bundle, without importing Qt.

It replaces PyInstaller's ``pyi_rth_pyside6``, which imports ``PySide6.QtCore``
in every process the executable starts, to register a ``qt.conf`` that the
PyPI wheels of PySide6 already embed. That import would load Qt into the
command line, the process-pool workers and multiprocessing's resource tracker
(about 20 MB and tens of milliseconds each) although none of them uses Qt.
Only the environment variables the hook sets are kept; Qt reads them when the
window's process first imports it.
"""


def _set_qt_paths() -> None:
    import os
    import sys

    bundle = getattr(sys, "_MEIPASS", None)
    if not bundle:
        return
    if sys.platform.startswith("win"):
        qt = os.path.join(bundle, "PySide6")
        # QtNetwork looks for OpenSSL DLLs on PATH (as the PyInstaller hook does).
        os.environ["PATH"] = bundle + os.pathsep + os.environ.get("PATH", "")
    else:
        qt = os.path.join(bundle, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt, "qml")


_set_qt_paths()
del _set_qt_paths
