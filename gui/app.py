"""Start the desktop app: QApplication, main window, recovery offer, event loop.

``run(argv_files)`` is what the launcher calls (after
``multiprocessing.freeze_support()``, before which nothing may import Qt).
Before the QApplication exists, ``gui.qt_preflight`` checks that Qt can open
a window here (display, platform plugin, its libraries): if not, one
paragraph on standard error and exit status 2, instead of Qt's abort.
``--measure-startup`` (for ``pseudocode-translator gui --measure-startup``)
prints JSON timings once the window is shown and the event loop has run,
then quits.

On POSIX, SIGTERM and SIGINT (``kill``, a session ending, Ctrl+C in the
terminal) close the window as File > Quit does, without a question nobody
could answer: the unsaved documents go to the recovery folder and are
offered back at the next start (``Session.close_unattended``); the exit
status is 0. A second such signal while closing ends the process at once.
"""

from __future__ import annotations

import json
import os
import sys
import time

_T0 = time.perf_counter()  # as early as this module: Qt is imported below
DESKTOP_FILE_NAME = "pseudocode-translator"  # launcher/desktop.py installs this .desktop entry
_APP = None  # the QApplication outlives every widget (else PySide can crash at exit)


def _process_age_s() -> float | None:
    """Seconds since the process started (Linux: from /proc), for the start-up report."""
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])
        with open("/proc/uptime", encoding="ascii") as handle:
            uptime = float(handle.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def run(argv_files: list[str]) -> int:
    """Open the main window (with ``argv_files`` opened) and run until it closes."""
    measure = "--measure-startup" in argv_files
    files = [a for a in argv_files if not a.startswith("--")]

    from gui.qt_preflight import problem

    cannot_start = problem()
    if cannot_start:  # Qt itself would abort (exit 134) with one cryptic line
        print(cannot_start, file=sys.stderr)
        return 2

    import shiboken6
    from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    global _APP
    QCoreApplication.setOrganizationName("PseudocodeTranslator")
    QCoreApplication.setApplicationName("Pseudocode Translator")
    QApplication.setDesktopFileName(DESKTOP_FILE_NAME)  # the menu entry and icon on Wayland
    app = QApplication.instance() or QApplication(sys.argv[:1])
    _APP = app
    t_qt = time.perf_counter()

    from gui.services.quit_signals import QuitSignals

    quit_signals = QuitSignals(app)  # before the recovery lock: once it exists, we listen
    quit_signals.install()

    from gui.model.editor_settings import load_settings
    from gui.model.recovery import RecoveryStore
    from gui.window.main_window import MainWindow

    settings = load_settings()
    data_dir = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    recovery = RecoveryStore(os.path.join(data_dir, "recovery") if data_dir else None)
    recovery.open()
    window = MainWindow(settings, QSettings(), recovery)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # widgets go before the app
    window.session.restore_session(files)
    window.show()
    t_shown = time.perf_counter()
    for warning in settings.warnings[:1]:
        window.statusBar().showMessage(warning, 10000)

    window.closedUnattended.connect(app.quit)  # whatever other window may still be open
    quitting: list[int] = []

    def on_quit_signal(number: int) -> None:
        import signal

        if quitting:  # asked again while closing: the hard way
            quit_signals.restore_defaults()
            os.kill(os.getpid(), number)
            return
        quitting.append(number)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        if shiboken6.isValid(window):
            window.session.close_unattended(name)
        else:
            app.quit()

    quit_signals.received.connect(on_quit_signal)

    def after_show() -> None:
        if not shiboken6.isValid(window) or window.isHidden():
            return  # closed before the first event loop turn (a signal)
        if measure:
            report = {
                "import_and_app_ms": round((t_qt - _T0) * 1000, 1),
                "window_shown_ms": round((t_shown - _T0) * 1000, 1),
                "first_event_loop_ms": round((time.perf_counter() - _T0) * 1000, 1),
                "process_age_s": _process_age_s(),  # at the first event loop turn (Linux)
            }
            print(json.dumps(report), flush=True)
            window.close()
            return
        window.session.offer_recovery()

    QTimer.singleShot(0, after_show)
    code = app.exec()
    quit_signals.uninstall()
    recovery.close()  # nothing to do if the window closed it (or kept its documents)
    return int(code)


if __name__ == "__main__":  # pragma: no cover - python -m gui.app FILE
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(run(sys.argv[1:]))
