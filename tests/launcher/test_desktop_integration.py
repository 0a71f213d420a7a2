"""``--install-desktop`` / ``--uninstall-desktop`` against a temporary XDG home."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from launcher import desktop

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name != "posix" or sys.platform == "darwin",
                                reason="freedesktop integration is for Linux desktops")


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"), PSEUDOCODE_CONFIG=str(home / "c.yaml"))
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _launch(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launcher", *args], capture_output=True,
                          text=True, timeout=120, env=_env(home), cwd=ROOT)


def _entry(home: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(home / "data" / "applications" / "pseudocode-translator.desktop",
                encoding="utf-8")
    return parser


def test_install_writes_entry_icons_and_mime_type(tmp_path) -> None:
    run = _launch(tmp_path, "--install-desktop")
    assert run.returncode == 0, run.stderr
    assert "--uninstall-desktop" in run.stdout
    data = tmp_path / "data"
    entry = _entry(tmp_path)["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Icon"] == "pseudocode-translator"
    assert entry["MimeType"] == "text/x-pseudocode;"
    program = entry["Exec"].removesuffix(" %F")
    assert entry["Exec"].endswith(" %F") and Path(program.strip('"')).exists(), entry["Exec"]
    for size in desktop.ICON_SIZES:
        icon = data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "pseudocode-translator.png"
        assert icon.read_bytes() == (ROOT / "resources" / "icons" / f"app-{size}.png").read_bytes()
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / "pseudocode-translator.svg").is_file()
    mime = ET.parse(data / "mime" / "packages" / "pseudocode-translator.xml").getroot()
    namespace = "{http://www.freedesktop.org/standards/shared-mime-info}"
    kind = mime.find(f"{namespace}mime-type")
    assert kind.get("type") == "text/x-pseudocode"
    assert kind.find(f"{namespace}glob").get("pattern") == "*.pseudo"
    defaults = (tmp_path / "config" / "mimeapps.list").read_text(encoding="utf-8")
    assert "[Default Applications]\ntext/x-pseudocode=pseudocode-translator.desktop" in defaults


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate (Debian: desktop-file-utils) is not installed")
def test_the_entry_is_valid(tmp_path) -> None:
    assert _launch(tmp_path, "--install-desktop").returncode == 0
    entry = tmp_path / "data" / "applications" / "pseudocode-translator.desktop"
    check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True,
                           timeout=60)
    assert check.returncode == 0 and check.stdout == "", check.stdout + check.stderr


@pytest.mark.skipif(shutil.which("update-mime-database") is None,
                    reason="update-mime-database (Debian: shared-mime-info) is not installed")
def test_the_desktop_learns_the_file_type(tmp_path) -> None:
    assert _launch(tmp_path, "--install-desktop").returncode == 0
    globs = (tmp_path / "data" / "mime" / "globs2").read_text(encoding="utf-8")
    assert "text/x-pseudocode:*.pseudo" in globs
    assert _launch(tmp_path, "--uninstall-desktop").returncode == 0
    globs = (tmp_path / "data" / "mime" / "globs2").read_text(encoding="utf-8")
    assert "pseudo" not in globs


def test_uninstall_removes_only_what_install_wrote(tmp_path) -> None:
    data, config = tmp_path / "data", tmp_path / "config"
    other = data / "applications" / "editor.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\nType=Application\nName=Editor\nExec=editor\n")
    config.mkdir()
    (config / "mimeapps.list").write_text(
        "[Default Applications]\ntext/plain=editor.desktop\n\n[Added Associations]\n"
        "text/html=firefox.desktop;\n", encoding="utf-8")
    before = (config / "mimeapps.list").read_text(encoding="utf-8")
    assert _launch(tmp_path, "--install-desktop").returncode == 0
    assert _launch(tmp_path, "--install-desktop").returncode == 0  # twice: still one entry
    installed = (config / "mimeapps.list").read_text(encoding="utf-8")
    assert installed.count("text/x-pseudocode=") == 1 and "text/plain=editor.desktop" in installed
    run = _launch(tmp_path, "--uninstall-desktop")
    assert run.returncode == 0, run.stderr
    assert "11 files" in run.stdout
    assert (config / "mimeapps.list").read_text(encoding="utf-8") == before
    assert other.is_file()
    left = [p for p in data.rglob("pseudocode-translator*")]
    assert left == [], left


def test_uninstall_of_our_own_defaults_file_removes_it(tmp_path) -> None:
    assert _launch(tmp_path, "--install-desktop").returncode == 0
    assert _launch(tmp_path, "--uninstall-desktop").returncode == 0
    assert not (tmp_path / "config" / "mimeapps.list").exists()


def test_a_folder_that_cannot_be_written_is_one_line_and_exit_2(tmp_path) -> None:
    (tmp_path / "data").write_text("not a folder")
    run = _launch(tmp_path, "--install-desktop")
    assert run.returncode == 2
    assert run.stderr.startswith("pseudocode-translator: could not install the desktop entry")
    assert "Traceback" not in run.stderr and run.stderr.count("\n") == 1


def test_exec_quoting_follows_the_desktop_entry_spec() -> None:
    assert desktop._exec_quote("/usr/bin/pseudocode-translator-gui") == \
        "/usr/bin/pseudocode-translator-gui"
    # a space: quoted; a backslash: \\\\ (quoting rule, then the string rule); % doubled
    assert desktop._exec_quote("/opt/My Apps/pt") == '"/opt/My Apps/pt"'
    assert desktop._exec_quote("/opt/a\\b") == '"/opt/a\\\\\\\\b"'
    assert desktop._exec_quote("/opt/100%/pt") == '"/opt/100%%/pt"'
    assert desktop._exec_quote('/opt/"x"/$y') == '"/opt/\\\\"x\\\\"/\\\\$y"'


def test_help_lists_the_desktop_options(tmp_path) -> None:
    run = _launch(tmp_path, "--help")
    assert run.returncode == 0
    assert "--install-desktop" in run.stdout and "--uninstall-desktop" in run.stdout


def test_a_linked_defaults_file_stays_a_link_with_its_permissions(tmp_path) -> None:
    """mimeapps.list is the user's file: a dotfiles manager's symlink stays a symlink (its
    target gets the entry), and the target keeps its permission bits."""
    config = tmp_path / "config"
    config.mkdir()
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "mimeapps.list"
    target.write_text("[Default Applications]\ntext/plain=gedit.desktop\n", encoding="utf-8")
    target.chmod(0o640)
    (config / "mimeapps.list").symlink_to(target)
    run = _launch(tmp_path, "--install-desktop")
    assert run.returncode == 0, run.stderr
    assert (config / "mimeapps.list").is_symlink()
    text = target.read_text(encoding="utf-8")
    assert "text/plain=gedit.desktop" in text
    assert "text/x-pseudocode=pseudocode-translator.desktop" in text
    assert target.stat().st_mode & 0o777 == 0o640
    assert not list(dotfiles.glob(".mimeapps.list.*.tmp"))  # nothing left behind


def test_a_failed_write_leaves_the_defaults_file_whole(tmp_path, monkeypatch) -> None:
    """A full disk while writing mimeapps.list raises; the user's file keeps every line."""
    mimeapps = tmp_path / "mimeapps.list"
    before = "[Default Applications]\ntext/plain=gedit.desktop\n"
    mimeapps.write_text(before, encoding="utf-8")

    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        desktop._set_default_application(mimeapps, install=True)
    assert mimeapps.read_text(encoding="utf-8") == before
    assert [p.name for p in tmp_path.iterdir()] == ["mimeapps.list"]
