"""When Qt cannot open a window: one paragraph on stderr and exit 2, never Qt's abort.

The cases are real: the environment stripped of a display, a platform plugin
whose library is not on the machine (a copy of Qt's xcb plugin that needs a
library version nobody has), a Qt installation missing one of its libraries,
and a display that does not answer. Each runs the launcher as a user does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gui import qt_preflight

ROOT = Path(__file__).resolve().parents[2]
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="display and shared-library checks are Linux's")
DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "WAYLAND_SOCKET",
                     "QT_QPA_PLATFORM_PLUGIN_PATH", "QT_PLUGIN_PATH", "XDG_SESSION_TYPE")


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DISPLAY_VARIABLES}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local" / "share"), XDG_RUNTIME_DIR=str(home),
               PSEUDOCODE_CONFIG=str(home / "config.yaml"))
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def _launch(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launcher", *args], capture_output=True,
                          text=True, timeout=120, env=env, cwd=ROOT)


def _assert_one_clear_paragraph(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 2, (run.returncode, run.stderr)
    message = run.stderr
    assert message.startswith("pseudocode-translator: the window cannot open: "), message
    assert message.count("\n") == 1, message  # one paragraph, nothing from Qt
    assert "Traceback" not in message and "qt.qpa" not in message
    assert all(word in message for word in ("translate", "check", "run")), message
    return message


def _qt_folder() -> Path:
    import PySide6

    return Path(PySide6.__file__).resolve().parent / "Qt"


def _plugin_copy(tmp_path: Path, *, patch: tuple[bytes, bytes] | None = None,
                 hide_qt_library: str | None = None) -> Path:
    """A Qt tree beside the real one: its own copy of the xcb plugin (optionally with one
    needed library renamed), the real Qt libraries linked in (optionally one left out).
    The plugin finds the libraries through its RUNPATH ($ORIGIN/../../lib), as in the wheel."""
    real = _qt_folder()
    plugin = real / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        pytest.skip("this PySide6 has no xcb plugin")
    platforms = tmp_path / "Qt" / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    data = plugin.read_bytes()
    if patch:
        assert len(patch[0]) == len(patch[1]) and data.count(patch[0]) == 1
        data = data.replace(patch[0], patch[1])
    (platforms / "libqxcb.so").write_bytes(data)
    lib = tmp_path / "Qt" / "lib"
    lib.mkdir()
    for library in (real / "lib").iterdir():
        if library.name != hide_qt_library:
            (lib / library.name).symlink_to(library)
    return platforms


def _skip_unless_xcb_can_load(home: Path) -> None:
    found = qt_preflight._platform_problem("xcb", _env(home, DISPLAY=":4711"))
    if found is not None and found[1]:  # a fix to give: not just the display
        pytest.skip(f"Qt's xcb plugin cannot load here: {found[0]}")


@linux_only
@pytest.mark.parametrize("args", [[], ["resources/examples/02_bubble_sort.pseudo"], ["gui"]])
def test_no_display(tmp_path, args) -> None:
    message = _assert_one_clear_paragraph(_launch(_env(tmp_path), *args))
    assert "DISPLAY is not set" in message and "xvfb-run" in message


@linux_only
def test_a_missing_system_library_is_named_with_its_packages(tmp_path) -> None:
    platforms = _plugin_copy(tmp_path, patch=(b"libxcb-cursor.so.0\0", b"libxcb-cursor.so.7\0"))
    env = _env(tmp_path, QT_QPA_PLATFORM="xcb", QT_QPA_PLATFORM_PLUGIN_PATH=str(platforms),
               DISPLAY=":99")
    message = _assert_one_clear_paragraph(_launch(env))
    assert "needs libxcb-cursor.so.7" in message, message
    assert "sudo apt install libxcb-cursor0" in message, message  # Debian/Ubuntu
    assert "sudo dnf install xcb-util-cursor" in message, message  # Fedora


@linux_only
def test_without_the_check_qt_aborts_on_that_plugin(tmp_path) -> None:
    """The case above is a real failure: Qt itself dies on it (abort, exit 134)."""
    platforms = _plugin_copy(tmp_path, patch=(b"libxcb-cursor.so.0\0", b"libxcb-cursor.so.7\0"))
    env = _env(tmp_path, QT_QPA_PLATFORM="xcb", QT_QPA_PLATFORM_PLUGIN_PATH=str(platforms),
               DISPLAY=":99")
    run = subprocess.run([sys.executable, "-c",
                          "from PySide6.QtWidgets import QApplication; QApplication([])"],
                         capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode != 0 and "xcb" in run.stderr


@linux_only
def test_a_broken_qt_installation_says_reinstall(tmp_path) -> None:
    platforms = _plugin_copy(tmp_path, hide_qt_library="libQt6XcbQpa.so.6")
    env = _env(tmp_path, QT_QPA_PLATFORM="xcb", QT_QPA_PLATFORM_PLUGIN_PATH=str(platforms),
               DISPLAY=":99")
    message = _assert_one_clear_paragraph(_launch(env))
    assert "libQt6XcbQpa.so.6" in message and "--force-reinstall PySide6-Essentials" in message


@linux_only
def test_a_platform_plugin_missing_from_qt(tmp_path) -> None:
    env = _env(tmp_path, QT_QPA_PLATFORM="xcb", QT_QPA_PLATFORM_PLUGIN_PATH=str(tmp_path),
               QT_PLUGIN_PATH=str(tmp_path), DISPLAY=":99")
    assert qt_preflight._find_plugin("xcb", env) is not None  # Qt's own folder still has it
    hidden = {**env, "QT_QPA_PLATFORM": "nosuchplatform"}
    message = _assert_one_clear_paragraph(_launch(hidden))
    assert "libqnosuchplatform.so" in message and "reinstall" in message


@linux_only
def test_a_display_that_does_not_answer(tmp_path) -> None:
    _skip_unless_xcb_can_load(tmp_path)
    env = _env(tmp_path, QT_QPA_PLATFORM="xcb", DISPLAY=":4711")
    message = _assert_one_clear_paragraph(_launch(env))
    assert "the X display :4711 does not answer" in message


def test_the_platforms_qt_tries() -> None:
    assert qt_preflight._platform_candidates({}) == ["wayland", "xcb"]
    assert qt_preflight._platform_candidates({"XDG_SESSION_TYPE": "x11",
                                              "WAYLAND_DISPLAY": "wayland-0"}) == ["xcb"]
    assert qt_preflight._platform_candidates({"QT_QPA_PLATFORM": "wayland;xcb:arg"}) == \
        ["wayland", "xcb"]


def test_offscreen_starts() -> None:
    assert qt_preflight.problem({**os.environ, "QT_QPA_PLATFORM": "offscreen"}) is None


def test_package_hints_cover_debian_and_fedora() -> None:
    hint = qt_preflight._package_hint(["libxcb-icccm.so.4", "libxcb-keysyms.so.1"])
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1" in hint
    assert "sudo dnf install xcb-util-wm xcb-util-keysyms" in hint
    unknown = qt_preflight._package_hint(["libfoo.so.3"])
    assert "apt-file search libfoo.so.3" in unknown and "dnf provides '*/libfoo.so.3'" in unknown


@linux_only
@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")
@pytest.mark.timeout(180)
def test_the_window_opens_on_a_real_x_display(tmp_path) -> None:
    _skip_unless_xcb_can_load(tmp_path)
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x800x24",
                             "-nolisten", "tcp"], pass_fds=(write_end,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    try:
        with os.fdopen(read_end) as handle:
            number = handle.readline().strip()
        assert number, "Xvfb did not start"
        env = _env(tmp_path, DISPLAY=f":{number}")
        run = _launch(env, "gui", "resources/examples/02_bubble_sort.pseudo",
                      "--measure-startup")
        assert run.returncode == 0, run.stderr
        assert '"window_shown_ms"' in run.stdout
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=30)
