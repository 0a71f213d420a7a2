"""Install, check, uninstall, check again: the Windows installer on a real Windows (CI).

    python packaging/windows/check_installer.py dist/PseudocodeTranslator-0.1.0-setup.exe

Run by .github/workflows/release.yml on windows-latest, as an ordinary user
would get it (silent mode, default components: Start menu, .pseudo files,
PATH; no desktop shortcut), into a folder chosen with ``/D=`` (with a space in
its name). Checks that the installation needs no elevation, puts the files, the
Start-menu shortcut, the .pseudo association, the PATH entry and the Apps &
Features entry (with the version) in place, that the installed command line
works, that an upgrade keeps the components chosen last time, that
uninstalling while the app runs changes nothing (exit status 2), and that the
uninstaller then removes all of it while the user's configuration and a file
of the user's stay. Windows only; standard library only.
``PSEUDOCODE_SKIP_PATH_CHECK=1`` reports the PATH checks without failing on
them (Wine has no PowerShell, which the PATH component runs).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

if sys.platform != "win32":
    sys.exit("check_installer.py runs on Windows only")

import winreg  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
APP_NAME = "Pseudocode Translator"
UNINST_KEY = r"Software\Microsoft\Windows\CurrentVersion\Uninstall\PseudocodeTranslator"
PROGID = "PseudocodeTranslator.pseudo"
UNINSTALLER = "uninstall-pseudocode-translator.exe"


def read(path: str, name: str = "") -> str | None:
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path) as key:
            return str(winreg.QueryValueEx(key, name)[0])
    except OSError:
        return None


def user_path() -> list[str]:
    value = read("Environment", "Path") or ""
    return [p.rstrip("\\").lower() for p in value.split(";") if p]


def start_menu_shortcut() -> Path:
    return (Path(os.environ["APPDATA"]) / "Microsoft" / "Windows" / "Start Menu" / "Programs"
            / f"{APP_NAME}.lnk")


def write_dword(path: str, name: str, value: int) -> None:
    with winreg.CreateKey(winreg.HKEY_CURRENT_USER, path) as key:
        winreg.SetValueEx(key, name, 0, winreg.REG_DWORD, value)


def desktop_shortcut() -> Path:
    """Where the installer's $DESKTOP is (the shell's folder: it may be redirected)."""
    shell = r"Software\Microsoft\Windows\CurrentVersion\Explorer\Shell Folders"
    return Path(read(shell, "Desktop") or Path.home() / "Desktop") / f"{APP_NAME}.lnk"


def setup_command(setup: Path, *options: str) -> str:
    """One command line: NSIS reads ``/D=`` only last and unquoted, spaces and all, which
    a list of arguments cannot give (Python would quote the one with a space)."""
    return " ".join([f'"{setup}"', *options])


def check(condition: object, message: str, failures: list[str], *, optional: bool = False
          ) -> None:
    print(("ok   " if condition else ("SKIP " if optional else "FAIL ")) + message, flush=True)
    if not condition and not optional:
        failures.append(message)


def main(setup: Path) -> int:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        version = tomllib.load(handle)["project"]["version"]
    failures: list[str] = []
    target = Path(tempfile.mkdtemp(prefix="pt-install-")) / APP_NAME
    config = Path.home() / ".pseudocode_translator" / "config.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config_existed = config.exists()
    if not config_existed:
        config.write_text("config_version: 1\n", encoding="utf-8")

    no_path = os.environ.get("PSEUDOCODE_SKIP_PATH_CHECK") == "1"
    run = subprocess.run(setup_command(setup, "/S", f"/D={target}"), timeout=600)
    check(run.returncode == 0, f"silent install exits 0 (got {run.returncode})", failures)
    cli = target / "pseudocode-translator.exe"
    gui = target / "pseudocode-translator-gui.exe"
    check(cli.is_file() and gui.is_file(), f"both executables in {target}", failures)
    check((target / UNINSTALLER).is_file(), "the uninstaller is there", failures)
    check(read(UNINST_KEY, "DisplayVersion") == version,
          f"Apps & Features shows version {version} ({read(UNINST_KEY, 'DisplayVersion')})",
          failures)
    check(read(UNINST_KEY, "DisplayName") == APP_NAME, "Apps & Features shows the name", failures)
    check(UNINSTALLER in (read(UNINST_KEY, "UninstallString") or ""),
          "Apps & Features knows the uninstaller", failures)
    check(start_menu_shortcut().is_file(), "Start-menu shortcut", failures)
    check(read(r"Software\Classes\.pseudo") == PROGID, ".pseudo belongs to the app", failures)
    command = read(rf"Software\Classes\{PROGID}\shell\open\command") or ""
    check(str(gui).lower() in command.lower() and '"%1"' in command,
          f".pseudo opens with the windowed executable ({command})", failures)
    check(str(target).lower() in user_path(), "the folder is on the user's PATH", failures,
          optional=no_path)
    remembered = {name: read(UNINST_KEY, name) for name in
                  ("ComponentDesktop", "ComponentAssoc", "ComponentPath")}
    check(remembered == {"ComponentDesktop": "0", "ComponentAssoc": "1", "ComponentPath": "1"},
          f"the components chosen are remembered ({remembered})", failures)
    check(not desktop_shortcut().exists(), "no desktop shortcut (not chosen)", failures)
    version_run = subprocess.run([str(cli), "--version"], capture_output=True, text=True,
                                 timeout=60)
    check(version_run.stdout.strip() == f"pseudocode-translator {version}",
          f"installed --version ({version_run.stdout.strip()!r})", failures)
    env = dict(os.environ, PSEUDOCODE_EXEC_POOL_ENABLED="1",
               PSEUDOCODE_EXEC_POOL_START_METHOD="spawn")
    example = target / "_internal" / "resources" / "examples" / "02_bubble_sort.pseudo"
    translated = subprocess.run([str(cli), "translate", str(example)], capture_output=True,
                                text=True, timeout=120, env=env)
    check(translated.returncode == 0 and "Translated from pseudocode" in translated.stdout,
          f"installed translate with the spawn pool (exit {translated.returncode}, "
          f"stderr {translated.stderr.strip()[:200]!r})", failures)

    # An upgrade (the same setup again, silently, no /D=) keeps the user's choices: here
    # the desktop shortcut ticked and .pseudo files unticked, as an interactive install
    # with those choices would have remembered them.
    write_dword(UNINST_KEY, "ComponentDesktop", 1)
    write_dword(UNINST_KEY, "ComponentAssoc", 0)
    run = subprocess.run(setup_command(setup, "/S"), timeout=600)
    check(run.returncode == 0, f"silent upgrade exits 0 (got {run.returncode})", failures)
    check(read(UNINST_KEY, "InstallLocation") == str(target) and cli.is_file(),
          f"the upgrade stays in {target} ({read(UNINST_KEY, 'InstallLocation')})", failures)
    check(desktop_shortcut().is_file(), "the upgrade keeps the desktop shortcut", failures)
    check(read(r"Software\Classes\.pseudo") in (None, ""),
          "the upgrade leaves .pseudo files alone, as chosen", failures)

    # Uninstalling while the app runs changes nothing: it asks (silent: exit 2). `_?=`
    # runs the uninstaller in place, so that its exit status is the one seen.
    app = subprocess.Popen([str(gui)], env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    try:
        time.sleep(5)
        check(app.poll() is None, "the installed window starts", failures)
        run = subprocess.run(setup_command(target / UNINSTALLER, "/S", f"_?={target}"),
                             timeout=600)
        check(run.returncode == 2, f"uninstalling while it runs: exit 2 (got {run.returncode})",
              failures)
        check(cli.is_file() and gui.is_file() and read(UNINST_KEY, "DisplayName") == APP_NAME,
              "uninstalling while it runs keeps the files and the Apps & Features entry",
              failures)
    finally:
        app.kill()
        app.wait(timeout=60)
    time.sleep(2)

    # The uninstaller copies itself to %TEMP% and returns at once: wait for its work.
    users_file = target / "my notes.txt"
    users_file.write_text("mine\n", encoding="utf-8")
    run = subprocess.run([str(target / UNINSTALLER), "/S"], timeout=600)
    check(run.returncode == 0, f"silent uninstall exits 0 (got {run.returncode})", failures)
    deadline = time.monotonic() + 120
    while (cli.exists() or read(UNINST_KEY, "DisplayName")) and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(2)
    left = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p != users_file)
    check(not left, f"every installed file is gone ({left[:10]})", failures)
    check(users_file.is_file(), "a file of the user's in the folder stays", failures)
    check(read(UNINST_KEY, "DisplayName") is None, "gone from Apps & Features", failures)
    check(not start_menu_shortcut().exists(), "the Start-menu shortcut is gone", failures)
    check(not desktop_shortcut().exists(), "the desktop shortcut is gone", failures)
    check(read(r"Software\Classes\.pseudo") in (None, ""), ".pseudo is no longer ours", failures)
    check(read(rf"Software\Classes\{PROGID}\shell\open\command") is None,
          "the .pseudo open command is gone", failures)
    check(str(target).lower() not in user_path(), "the folder is off the PATH", failures,
          optional=no_path)
    check(config.is_file(), "the user's configuration stays", failures)
    if not config_existed:
        config.unlink()
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]).resolve()))
