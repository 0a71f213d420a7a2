"""Linux desktop integration: ``--install-desktop`` and ``--uninstall-desktop``.

What the Windows installer does there, for the freedesktop desktops (GNOME,
KDE, Xfce ...), for the current user only: a ``.desktop`` entry (the app in
the menu), the icon in every size, and a MIME type for ``*.pseudo`` files with
this app as their default, so a double-click opens them. Everything goes into
the user's XDG folders (``$XDG_DATA_HOME``, ``$XDG_CONFIG_HOME``); the system's
caches are refreshed with its own tools where they are installed. Uninstalling
removes exactly what installing wrote and leaves other entries alone.
Standard library only: this runs from the command line, which never imports Qt.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from engine.sources import write_text_atomic
from launcher.bundle import root as bundle_root

APP_ID = "pseudocode-translator"  # the .desktop file's name, the icon's name (gui/app.py)
DESKTOP_FILE = f"{APP_ID}.desktop"
MIME_TYPE = "text/x-pseudocode"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
_DEFAULTS_SECTION = "[Default Applications]"
_SAFE_ARGUMENT = re.compile(r"[A-Za-z0-9_./:=@+,-]+")

MIME_XML = f"""\
<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="{MIME_TYPE}">
    <comment>Cambridge pseudocode program</comment>
    <sub-class-of type="text/plain"/>
    <icon name="{APP_ID}"/>
    <glob pattern="*.pseudo"/>
  </mime-type>
</mime-info>
"""


def _home_dir(variable: str, default: str) -> Path:
    value = os.environ.get(variable, "")
    return Path(value) if os.path.isabs(value) else Path.home() / default


def data_home() -> Path:
    return _home_dir("XDG_DATA_HOME", ".local/share")


def config_home() -> Path:
    return _home_dir("XDG_CONFIG_HOME", ".config")


def icons_folder() -> Path:
    return bundle_root() / "resources" / "icons"


def gui_command() -> list[str]:
    """How the menu starts the window: the windowed executable beside this one, if any."""
    if getattr(sys, "frozen", False):
        beside = Path(sys.executable).with_name("pseudocode-translator-gui")
        return [str(beside if beside.is_file() else Path(sys.executable))]
    folders = [sysconfig.get_path("scripts"), Path(sys.executable).parent]
    for folder in folders:
        candidate = Path(folder) / "pseudocode-translator-gui"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return [str(candidate)]
    found = shutil.which("pseudocode-translator-gui")
    if found:
        return [str(Path(found).resolve())]
    return [sys.executable, "-m", "launcher", "gui"]


def _string_escape(value: str) -> str:
    """A string value of a desktop entry: a backslash is written twice."""
    return value.replace("\\", "\\\\")


def _exec_quote(argument: str) -> str:
    """An Exec argument, quoted as the Desktop Entry spec says (then escaped as a string)."""
    if _SAFE_ARGUMENT.fullmatch(argument):
        return argument
    quoted = re.sub(r'(["`$\\])', r"\\\1", argument.replace("%", "%%"))
    return '"' + _string_escape(quoted) + '"'


def desktop_entry(command: list[str]) -> str:
    program = " ".join(_exec_quote(part) for part in command)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Version=1.4\n"
        "Name=Pseudocode Translator\n"
        "GenericName=Pseudocode Editor\n"
        "Comment=Write Cambridge pseudocode and see it as runnable Python, live\n"
        f"Exec={program} %F\n"
        f"TryExec={_string_escape(command[0])}\n"
        f"Icon={APP_ID}\n"
        "Terminal=false\n"
        "Categories=Development;IDE;\n"
        "Keywords=pseudocode;Cambridge;9618;0478;Python;translator;\n"
        f"MimeType={MIME_TYPE};\n"
        "StartupNotify=true\n"
        "StartupWMClass=Pseudocode Translator\n"  # the class Qt gives the window (X11)
    )


def _installed_files(data: Path) -> list[tuple[Path, Path | None]]:
    """(destination, source icon or None) for every file the integration consists of."""
    icons = icons_folder()
    files: list[tuple[Path, Path | None]] = [
        (data / "applications" / DESKTOP_FILE, None),
        (data / "mime" / "packages" / f"{APP_ID}.xml", None),
        (data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg", icons / "app.svg"),
    ]
    for size in ICON_SIZES:
        files.append((data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png",
                      icons / f"app-{size}.png"))
    return files


def _set_default_application(mimeapps: Path, install: bool) -> None:
    """Make (or stop making) this app the default for .pseudo files, keeping every other line."""
    entry = f"{MIME_TYPE}={DESKTOP_FILE}"
    lines = mimeapps.read_text(encoding="utf-8").splitlines() if mimeapps.is_file() else []
    kept = [line for line in lines if line.strip().replace(" ", "") != entry]
    if install:
        if _DEFAULTS_SECTION in (line.strip() for line in kept):
            at = [line.strip() for line in kept].index(_DEFAULTS_SECTION) + 1
            kept.insert(at, entry)
        else:
            kept += ([""] if kept else []) + [_DEFAULTS_SECTION, entry]
    if kept == lines:
        return
    if not install and all(line.strip() in ("", _DEFAULTS_SECTION) for line in kept):
        mimeapps.unlink()  # only what installing wrote was in it
        return
    # The user's own file (other apps' defaults are in it): replaced atomically, a
    # symlink (a dotfiles manager's) kept a link, its permission bits kept.
    write_text_atomic(mimeapps, "\n".join(kept) + "\n", make_parents=True)


def _refresh_caches(data: Path) -> list[str]:
    """Run the desktop's cache tools that are installed; the names of those that ran."""
    steps = [
        ("update-mime-database", [str(data / "mime")], data / "mime"),
        ("update-desktop-database", ["-q", str(data / "applications")], data / "applications"),
        ("gtk-update-icon-cache", ["-q", "-t", "-f", str(data / "icons" / "hicolor")],
         data / "icons" / "hicolor"),
    ]
    ran = []
    for tool, arguments, folder in steps:
        path = shutil.which(tool)
        if path is None or not folder.is_dir():
            continue
        try:
            subprocess.run([path, *arguments], capture_output=True, timeout=60, check=False)
            ran.append(tool)
        except (OSError, subprocess.SubprocessError):
            pass
    return ran


def install() -> list[Path]:
    """Write the entry, the icons and the MIME type; the files written."""
    data = data_home()
    written = []
    for destination, source in _installed_files(data):
        if source is not None and not source.is_file():
            continue  # an icon size this build does not carry
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source is not None:
            shutil.copyfile(source, destination)
        elif destination.suffix == ".desktop":
            write_text_atomic(destination, desktop_entry(gui_command()))
        else:
            write_text_atomic(destination, MIME_XML)
        written.append(destination)
    _set_default_application(config_home() / "mimeapps.list", install=True)
    _refresh_caches(data)
    return written


def uninstall() -> list[Path]:
    """Remove what ``install`` wrote (nothing else); the files removed."""
    data = data_home()
    removed = []
    for destination, _ in _installed_files(data):
        if destination.is_file() or destination.is_symlink():
            destination.unlink()
            removed.append(destination)
    _set_default_application(config_home() / "mimeapps.list", install=False)
    _refresh_caches(data)
    return removed


def run(action: str) -> int:
    """``--install-desktop`` / ``--uninstall-desktop``: do it, say what was done; exit status."""
    if os.name != "posix" or sys.platform == "darwin":
        print("pseudocode-translator: --install-desktop is for Linux desktops (on Windows the "
              "installer adds the Start-menu entry and the .pseudo files)", file=sys.stderr)
        return 2
    try:
        files = install() if action == "install" else uninstall()
    except OSError as error:
        print(f"pseudocode-translator: could not {action} the desktop entry: {error}",
              file=sys.stderr)
        return 2
    if action == "install":
        print(f"Pseudocode Translator is in the desktop's menu, and .pseudo files open with it "
              f"({len(files)} files in {data_home()}; the menu entry starts: "
              f"{' '.join(gui_command())}). Undo: pseudocode-translator --uninstall-desktop")
    else:
        print(f"Removed the desktop entry, icons and .pseudo file type ({len(files)} files "
              f"from {data_home()}).")
    return 0
