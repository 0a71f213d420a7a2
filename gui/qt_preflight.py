"""Can Qt open a window here? Answered before the QApplication exists.

Qt's own answer to a missing display or a missing library is one cryptic
line ("could not load the Qt platform plugin xcb") and an abort (exit 134).
``problem()`` looks first, the way Qt will: it imports PySide6, loads the
platform plugin Qt would pick (the dynamic loader names any library it
lacks) and connects to the display, and returns one paragraph saying what is
missing, which package provides it on Debian/Ubuntu and Fedora, and that the
command line works anyway. ``None`` means Qt can start. Linux is where the
libraries and the display can be missing; elsewhere only the import is checked.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

# Library (up to ".so") -> (Debian/Ubuntu package, Fedora package).
SYSTEM_PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util": ("libxcb-util1", "xcb-util"),
    "libxcb-randr": ("libxcb-randr0", "libxcb"),
    "libxcb-render": ("libxcb-render0", "libxcb"),
    "libxcb-shape": ("libxcb-shape0", "libxcb"),
    "libxcb-shm": ("libxcb-shm0", "libxcb"),
    "libxcb-sync": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes": ("libxcb-xfixes0", "libxcb"),
    "libxcb-xkb": ("libxcb-xkb1", "libxcb"),
    "libxcb-xinput": ("libxcb-xinput0", "libxcb"),
    "libxcb-glx": ("libxcb-glx0", "libxcb"),
    "libxcb": ("libxcb1", "libxcb"),
    "libX11-xcb": ("libx11-xcb1", "libX11-xcb"),
    "libX11": ("libx11-6", "libX11"),
    "libxkbcommon-x11": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon": ("libxkbcommon0", "libxkbcommon"),
    "libGL": ("libgl1", "libglvnd-glx"),
    "libEGL": ("libegl1", "libglvnd-egl"),
    "libOpenGL": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig": ("libfontconfig1", "fontconfig"),
    "libfreetype": ("libfreetype6", "freetype"),
    "libdbus-1": ("libdbus-1-3", "dbus-libs"),
    "libglib-2.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0": ("libglib2.0-0", "glib2"),
    "libwayland-client": ("libwayland-client0", "libwayland-client"),
    "libwayland-cursor": ("libwayland-cursor0", "libwayland-cursor"),
    "libwayland-egl": ("libwayland-egl1", "libwayland-egl"),
    "libSM": ("libsm6", "libSM"),
    "libICE": ("libice6", "libICE"),
}
_MISSING_LIBRARY = re.compile(r"([\w.+-]+\.so[\w.]*): cannot open shared object file")
_NOT_FOUND = re.compile(r"^\s*(\S+)\s*=>\s*not found", re.MULTILINE)
_PLATFORM_NAMES = {"xcb": "X11 (xcb)", "wayland": "Wayland"}


def _package_hint(libraries: list[str]) -> str:
    debian, fedora, unknown = [], [], []
    for library in libraries:
        stem = library.split(".so", 1)[0]
        if stem in SYSTEM_PACKAGES:
            deb, fed = SYSTEM_PACKAGES[stem]
            debian += [deb] if deb not in debian else []
            fedora += [fed] if fed not in fedora else []
        else:
            unknown.append(library)
    hints = []
    if debian:
        them = "it" if len(debian) == 1 else "them"
        hints.append(f"install {them} with `sudo apt install {' '.join(debian)}` (Debian/Ubuntu) "
                     f"or `sudo dnf install {' '.join(fedora)}` (Fedora)")
    for library in unknown:
        hints.append(f"find the package that provides {library} with `apt-file search {library}` "
                     f"(Debian/Ubuntu) or `dnf provides '*/{library}'` (Fedora)")
    return "; ".join(hints)


def _reinstall_hint() -> str:
    if getattr(sys, "frozen", False):
        return "reinstall Pseudocode Translator"
    return (f"reinstall it with `{Path(sys.executable).name} -m pip install --force-reinstall "
            f"PySide6-Essentials`")


def _missing_libraries(plugin: Path, error: str) -> list[str]:
    """Every library the plugin cannot find (ldd lists them all; the loader names the first)."""
    found: list[str] = []
    ldd = shutil.which("ldd")
    if ldd:
        try:
            run = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=10)
            found = list(dict.fromkeys(_NOT_FOUND.findall(run.stdout)))
        except (OSError, subprocess.SubprocessError):
            found = []
    first = _MISSING_LIBRARY.search(error)
    if first and first.group(1) not in found:
        found.insert(0, first.group(1))
    return found


def _import_problem() -> str | None:
    try:
        import PySide6.QtCore  # noqa: F401
        import PySide6.QtGui  # noqa: F401
        import PySide6.QtWidgets  # noqa: F401
    except ImportError as error:
        missing = _MISSING_LIBRARY.search(str(error))
        if missing and not missing.group(1).startswith("libQt6"):
            library = missing.group(1)
            return (f"Qt needs the system library {library}, which is not installed: "
                    f"{_package_hint([library])}.")
        return f"Qt for Python (PySide6) is missing or incomplete ({error}): {_reinstall_hint()}."
    return None


def _platform_candidates(environ: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt will try, in its order: QT_QPA_PLATFORM; else X11 alone in an
    X11 session (Qt ignores Wayland there); else Wayland, then X11."""
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return [part.split(":", 1)[0].strip() for part in chosen.split(";") if part.strip()]
    if environ.get("XDG_SESSION_TYPE", "").strip().lower() == "x11":
        return ["xcb"]
    return ["wayland", "xcb"]


def _plugin_dirs(environ: Mapping[str, str]) -> list[Path]:
    from PySide6.QtCore import QLibraryInfo

    dirs = [Path(environ["QT_QPA_PLATFORM_PLUGIN_PATH"])] \
        if environ.get("QT_QPA_PLATFORM_PLUGIN_PATH") else []
    dirs += [Path(p) / "platforms" for p in environ.get("QT_PLUGIN_PATH", "").split(os.pathsep)
             if p]
    dirs.append(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms")
    return dirs


def _find_plugin(name: str, environ: Mapping[str, str]) -> Path | None:
    file_name = "libqwayland.so" if name.startswith("wayland") else f"libq{name}.so"
    for folder in _plugin_dirs(environ):
        candidate = folder / file_name
        if candidate.is_file():
            return candidate
    return None


def _display_absent(name: str, environ: Mapping[str, str]) -> str | None:
    """Why there is no display of this kind to connect to (None: there may be one)."""
    if name == "xcb" and not environ.get("DISPLAY"):
        return "DISPLAY is not set"
    if name.startswith("wayland") and not environ.get("WAYLAND_DISPLAY"):
        runtime = environ.get("XDG_RUNTIME_DIR", "")
        if not (runtime and Path(runtime, "wayland-0").exists()):  # libwayland's default
            return "WAYLAND_DISPLAY is not set"
    return None


def _x11_problem(display: str) -> str | None:
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
        xcb.xcb_connect.restype = ctypes.c_void_p
        xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
        xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
        xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
        connection = xcb.xcb_connect(display.encode(), None)
        failed = xcb.xcb_connection_has_error(connection)
        xcb.xcb_disconnect(connection)
    except (OSError, AttributeError):
        return None  # cannot ask: let Qt try
    return f"the X display {display} does not answer (DISPLAY={display})" if failed else None


def _wayland_problem(name: str) -> str | None:
    try:
        wayland = ctypes.CDLL("libwayland-client.so.0")
        wayland.wl_display_connect.restype = ctypes.c_void_p
        wayland.wl_display_connect.argtypes = [ctypes.c_char_p]
        wayland.wl_display_disconnect.argtypes = [ctypes.c_void_p]
        connection = wayland.wl_display_connect(name.encode() if name else None)
        if connection:
            wayland.wl_display_disconnect(connection)
    except (OSError, AttributeError):
        return None
    return None if connection else f"the Wayland display {name or 'wayland-0'} does not answer"


def _platform_problem(name: str, environ: Mapping[str, str]) -> tuple[str, str] | None:
    """Why the platform ``name`` cannot start: (what, fix: empty for a display); None if it can."""
    absent = _display_absent(name, environ)
    if absent:
        return absent, ""
    label = _PLATFORM_NAMES.get(name, f"'{name}'")
    plugin = _find_plugin(name, environ)
    if plugin is None:
        return (f"Qt's {label} platform plugin (libq{name}.so) is not in the Qt installation",
                _reinstall_hint())
    try:
        ctypes.CDLL(str(plugin))
    except OSError as error:
        missing = _missing_libraries(plugin, str(error))
        system = [lib for lib in missing if not lib.startswith("libQt6")]
        own = [lib for lib in missing if lib.startswith("libQt6")]
        if own:
            also = f"; it also needs {', '.join(system)}: {_package_hint(system)}" if system else ""
            return (f"Qt's {label} platform plugin cannot find {', '.join(own)}, part of Qt "
                    "itself (the Qt installation is incomplete)", _reinstall_hint() + also)
        if system:
            return (f"Qt's {label} platform plugin needs {', '.join(system)}, "
                    f"{'which is' if len(system) == 1 else 'which are'} not installed",
                    _package_hint(system))
        return (f"Qt's {label} platform plugin cannot be loaded ({error})", _reinstall_hint())
    if name == "xcb":
        why = _x11_problem(environ["DISPLAY"])
    elif name.startswith("wayland"):
        why = _wayland_problem(environ.get("WAYLAND_DISPLAY", ""))
    else:
        why = None
    return (why, "") if why else None


def _no_display_fix() -> str:
    return ("start it from a desktop session, over `ssh -X`, or on a virtual display: "
            "`xvfb-run pseudocode-translator` (package xvfb on Debian/Ubuntu, "
            "xorg-x11-server-Xvfb on Fedora)")


def problem(environ: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """The paragraph to show when Qt cannot open a window here; None when it can."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    reason = _import_problem()
    if reason is None and platform.startswith("linux"):
        problems = []
        for name in _platform_candidates(environ):
            found = _platform_problem(name, environ)
            if found is None:
                return None
            problems.append((name, found))
        reason = _describe(problems)
    if reason is None:
        return None
    return (f"pseudocode-translator: the window cannot open: {reason} The command line works "
            "without it: `pseudocode-translator translate FILE.pseudo` (the Python), `check` "
            "(the problems) and `run` (translate and run it); see `pseudocode-translator --help`.")


def _describe(problems: list[tuple[str, tuple[str, str]]]) -> str:
    """One sentence from what each platform lacked: a missing library first, else the display."""
    with_fix = [(name, what, fix) for name, (what, fix) in problems if fix]
    if with_fix:
        missing_libraries = [item for item in with_fix if "not installed" in item[1]]
        _, what, fix = (missing_libraries or with_fix)[0]
        return f"{what}; {fix}."
    displays = "; ".join(what for _, (what, _) in problems)
    return f"there is no display to open it on ({displays}); {_no_display_fix()}."
