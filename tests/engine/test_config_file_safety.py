"""The configuration file as the user's own: special files and hostile YAML are refused
fast, and saving keeps the file (bytes, mode and link compared before and after)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from engine.config import (
    CONFIG_VERSION,
    ConfigManager,
    ConfigSaveError,
    TranslatorConfig,
    render_config_show,
)
from engine.config.yaml_file import MAX_CONFIG_BYTES


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")

BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n"
              for p, n in zip("abcdefgh", "bcdefghi", strict=True))
    + "execution:\n  process_pool_max_workers: *i\n"
)


def load_within(manager: ConfigManager, seconds: float = 10.0) -> TranslatorConfig:
    """``manager.load()`` in a thread: a hang fails the test instead of blocking it."""
    out: list[TranslatorConfig] = []
    thread = threading.Thread(target=lambda: out.append(manager.load()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert out, f"load() did not return within {seconds} s"
    return out[0]


@posix_only
def test_a_fifo_config_is_refused_without_blocking(tmp_path):
    path = tmp_path / "config.yaml"
    os.mkfifo(path)
    manager = ConfigManager(path, environ={})
    config = load_within(manager)
    assert config == TranslatorConfig()
    assert manager.file_state == "malformed"
    assert str(manager.warnings[0]).startswith(f"{path}: ")
    assert "named pipe" in str(manager.warnings[0])


@posix_only
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_config_that_links_to_a_device_is_refused_without_reading_it(tmp_path, device):
    # In a child with 1 GB of address space: reading the device (the bug) fails there fast
    # instead of taking the machine's memory.
    path = tmp_path / "config.yaml"
    path.symlink_to(device)
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
            "from engine.config import ConfigManager; m = ConfigManager(sys.argv[1], environ={}); "
            "m.load(); print(m.file_state); print(m.warnings[0])")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    state, warning = done.stdout.splitlines()
    assert state == "malformed"
    assert warning.startswith(f"{path}: ") and "a device, not a regular file" in warning


def test_a_huge_config_is_refused_by_its_size(tmp_path):
    path = tmp_path / "config.yaml"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB of zero bytes
    manager = ConfigManager(path, environ={})
    assert load_within(manager) == TranslatorConfig()
    assert "too large" in str(manager.warnings[0])
    assert f"{MAX_CONFIG_BYTES:,}" in str(manager.warnings[0])


def test_a_billion_laughs_is_refused_with_its_line_and_the_defaults_used(tmp_path):
    path = write(tmp_path / "config.yaml", BILLION_LAUGHS)
    manager = ConfigManager(path, environ={})
    assert load_within(manager) == TranslatorConfig()
    message = str(manager.warnings[0])
    assert message.startswith(f"{path}:") and "alias" in message
    line = int(message[len(str(path)) + 1:].split(":")[0])
    assert 1 <= line <= BILLION_LAUGHS.count("\n")
    text = render_config_show(manager)  # `config show` used to die with MemoryError
    assert "process_pool_max_workers: null  # default" in text


def test_a_self_referencing_alias_is_refused(tmp_path):
    path = write(tmp_path / "config.yaml", "editor: &x\n  theme: *x\n")
    manager = ConfigManager(path, environ={})
    assert load_within(manager) == TranslatorConfig()
    assert manager.file_state == "malformed"


def test_a_few_small_aliases_are_fine(tmp_path):
    path = write(tmp_path / "config.yaml",
                 "base: &dark dark\neditor:\n  theme: *dark\n  font_size: 13\n")
    manager = ConfigManager(path, environ={})
    config = load_within(manager)
    assert config.editor.theme == "dark" and config.editor.font_size == 13


def test_duplicate_keys_are_a_warning_naming_both_lines(tmp_path):
    path = write(tmp_path / "config.yaml", "editor:\n  theme: dark\n  theme: light\n")
    manager = ConfigManager(path, environ={})
    config = manager.load()
    assert config.editor.theme == "dark"
    assert [str(w) for w in manager.warnings] == [
        f"{path}:3: 'editor.theme' is set twice; the first one (line 2) is used"]


@pytest.mark.parametrize("written,value", [("1_2", 12), ("0x0c", 12), ("١٢", 12), ("0o14", 12)])
def test_numbers_written_oddly_are_read_with_a_warning(tmp_path, written, value):
    path = write(tmp_path / "config.yaml", f"editor:\n  font_size: {written}\n")
    manager = ConfigManager(path, environ={})
    assert manager.load().editor.font_size == value
    assert [str(w) for w in manager.warnings] == [
        f"{path}:2: editor.font_size: {written!r} is read as {value}; "
        "write it with the digits 0-9 only"]


def test_an_environment_number_in_other_digits_is_a_warning(tmp_path):
    manager = ConfigManager(tmp_path / "absent.yaml",
                            environ={"PSEUDOCODE_EXEC_POOL_TIMEOUT_MS": "٣٠٠٠"})
    assert manager.load().execution.process_pool_task_timeout_ms == 3000
    assert "read as 3000" in str(manager.warnings[0])


USER_FILE = (
    "# My settings: keep this comment\n"
    "config_version: 1\n"
    "editor:\n"
    "  theme: 'dark'    # quoted, with a comment\n"
    "  # the size I like\n"
    "  font_size: 13\n"
    "execution:\n"
    "  process_pool_enabled: yes\n"
    "  future_knob: [1, 2]  # a key this version does not know\n"
    "plugins: {spell: true}\n"
)


def snapshot(path: Path) -> tuple[bytes, int, bool, float]:
    """The file's bytes, mode, whether it is a link, and its modification time."""
    info = os.stat(path)
    return (Path(path).read_bytes(), stat.S_IMODE(info.st_mode),
            stat.S_ISLNK(os.lstat(path).st_mode), info.st_mtime)


def test_saving_edits_the_file_in_place_keeping_comments_order_and_formatting(tmp_path):
    path = write(tmp_path / "config.yaml", USER_FILE)
    manager = ConfigManager(path, environ={})
    config = manager.load()
    config.editor.font_size = 14
    config.editor.tab_width = 2
    manager.save(config)
    assert path.read_text() == USER_FILE.replace("font_size: 13", "font_size: 14").replace(
        "  font_size: 14\n", "  font_size: 14\n  tab_width: 2\n")
    assert manager.last_backup is None  # everything was kept: no backup needed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yaml"]


def test_a_comment_opening_a_section_survives_a_save(tmp_path):
    """A comment line right under a section's key (``execution:`` then ``# ...``) was
    dropped by every save, without a backup: the round-trip check dumped the loaded
    document, and ruamel's dump changes it so that the copy the save edits lost it."""
    text = ("# my notes\n"
            "config_version: 1\n"
            "execution:\n"
            "  # keep the pool off on this laptop\n"
            "  process_pool_enabled: false\n"
            "editor:\n"
            "  # what I like\n"
            "  font_size: 12   # bigger please\n")
    path = write(tmp_path / "config.yaml", text)
    manager = ConfigManager(path, environ={})
    config = manager.load()
    config.editor.font_size = 14
    manager.save(config)
    assert path.read_text() == text.replace("font_size: 12", "font_size: 14")
    assert manager.last_backup is None


def test_saving_nothing_new_does_not_touch_the_file(tmp_path):
    path = write(tmp_path / "config.yaml", USER_FILE)
    os.utime(path, (1_000_000, 1_000_000))
    manager = ConfigManager(path, environ={})
    manager.save(manager.load())
    assert path.read_text() == USER_FILE
    assert os.stat(path).st_mtime == 1_000_000


def test_saving_keeps_a_bom_and_windows_line_ends(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + USER_FILE.replace("\n", "\r\n").encode())
    manager = ConfigManager(path, environ={})
    config = manager.load()
    config.editor.font_size = 15
    manager.save(config)
    assert path.read_bytes() == b"\xef\xbb\xbf" + USER_FILE.replace(
        "font_size: 13", "font_size: 15").replace("\n", "\r\n").encode()


@posix_only
def test_saving_writes_through_a_symlink_and_keeps_the_mode(tmp_path):
    (tmp_path / "dotfiles").mkdir()
    real = write(tmp_path / "dotfiles" / "pseudocode.yaml", USER_FILE)
    os.chmod(real, 0o640)
    link = tmp_path / "config.yaml"
    link.symlink_to(real)
    manager = ConfigManager(link, environ={})
    config = manager.load()
    config.editor.theme = "light"
    assert manager.save(config) == real
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640
    # The comment keeps its column.
    assert real.read_text() == USER_FILE.replace("'dark'    #", "'light'   #")


@posix_only
def test_a_new_file_honours_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        manager = ConfigManager(tmp_path / "config.yaml", environ={})
        config = manager.load()
        config.editor.theme = "dark"
        manager.save(config)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "config.yaml").st_mode) == 0o640


def assert_save_refused(path: Path, match: str) -> None:
    """Saving a change is refused with ``match`` in the message; the file is untouched."""
    before = snapshot(path)
    manager = ConfigManager(path, environ={})
    config = manager.load()
    config.editor.theme = "light"
    with pytest.raises(ConfigSaveError, match=match):
        manager.save(config)
    assert snapshot(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no backup either


@posix_only
def test_a_read_only_file_is_refused_and_left_as_it_was(tmp_path):
    path = write(tmp_path / "config.yaml", USER_FILE)
    os.chmod(path, 0o444)
    assert_save_refused(path, "read-only")


def test_a_file_from_a_newer_version_is_refused_and_left_as_it_was(tmp_path):
    text = USER_FILE.replace("config_version: 1", f"config_version: {CONFIG_VERSION + 1}")
    assert_save_refused(write(tmp_path / "config.yaml", text), "newer version")


@posix_only
def test_saving_over_a_fifo_is_refused(tmp_path):
    path = tmp_path / "config.yaml"
    os.mkfifo(path)
    manager = ConfigManager(path, environ={})
    config = load_within(manager)
    config.editor.theme = "light"
    with pytest.raises(ConfigSaveError, match="not a regular file"):
        manager.save(config)
    assert stat.S_ISFIFO(os.lstat(path).st_mode)


def test_a_section_that_is_not_a_mapping_is_backed_up_before_it_is_replaced(tmp_path):
    text = "# mine\neditor: [dark, 13]\nexecution:\n  process_pool_enabled: true\n"
    path = write(tmp_path / "config.yaml", text)
    manager = ConfigManager(path, environ={})
    config = manager.load()
    assert any("'editor' must be a mapping" in str(w) for w in manager.warnings)
    config.editor.theme = "light"
    manager.save(config)
    assert manager.last_backup is not None
    assert manager.last_backup.read_text() == text
    saved = yaml.safe_load(path.read_text())
    assert saved["editor"] == {"theme": "light"}
    assert saved["execution"] == {"process_pool_enabled": True}
    assert path.read_text().startswith("# mine\n")


def test_duplicate_keys_are_backed_up_before_saving(tmp_path):
    text = "editor:\n  theme: dark\n  theme: light\n"
    path = write(tmp_path / "config.yaml", text)
    manager = ConfigManager(path, environ={})
    config = manager.load()
    config.editor.font_size = 20
    manager.save(config)
    assert manager.last_backup is not None and manager.last_backup.read_text() == text
    assert yaml.safe_load(path.read_text())["editor"] == {"theme": "dark", "font_size": 20}


def test_a_file_edited_by_hand_after_loading_keeps_both_sides_changes(tmp_path):
    path = write(tmp_path / "config.yaml", USER_FILE)
    manager = ConfigManager(path, environ={})
    config = manager.load()
    config.editor.tab_width = 2  # changed in the settings dialog
    # Meanwhile the user edits the file in a text editor.
    edited = USER_FILE.replace("font_size: 13", "font_size: 18") + "# added by hand\n"
    path.write_text(edited, encoding="utf-8")
    manager.save(config)
    assert path.read_text() == edited.replace("  font_size: 18\n",
                                              "  font_size: 18\n  tab_width: 2\n")
    assert manager.config.editor.font_size == 18 and manager.config.editor.tab_width == 2
    again = ConfigManager(path, environ={}).load()
    assert (again.editor.font_size, again.editor.tab_width) == (18, 2)


def test_saving_twice_writes_each_change_once(tmp_path):
    path = write(tmp_path / "config.yaml", USER_FILE)
    manager = ConfigManager(path, environ={})
    config = manager.load()
    config.editor.font_size = 14
    manager.save(config)
    config = manager.config.copy()
    config.editor.theme = "light"
    manager.save(config)
    assert path.read_text() == USER_FILE.replace("font_size: 13", "font_size: 14").replace(
        "'dark'    #", "'light'   #")
    assert manager.last_backup is None


def test_a_config_path_too_long_is_a_short_warning():
    manager = ConfigManager("/tmp/" + "c" * 5000, environ={})
    assert manager.load() == TranslatorConfig()
    (warning,) = manager.warnings
    assert "File name too long" in str(warning) and len(str(warning)) < 300


@posix_only
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root can write into a read-only folder")
def test_a_folder_that_cannot_be_written_is_refused_cleanly(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    path = write(folder / "config.yaml", USER_FILE)
    os.chmod(folder, 0o555)
    try:
        assert_save_refused(path, "not saved")
    finally:
        os.chmod(folder, 0o755)


def test_a_save_that_fails_half_way_leaves_the_file_and_no_temporary(tmp_path, monkeypatch):
    path = write(tmp_path / "config.yaml", USER_FILE)

    def full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert_save_refused(path, "No space left on device")
