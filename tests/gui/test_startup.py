"""Start-up, the way a user starts the app: the launcher in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local" / "share"),
               PSEUDOCODE_CONFIG=str(home / "config.yaml"))
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_window_starts_and_reports_its_startup_time(isolated_home, tmp_path) -> None:
    program = tmp_path / "start.pseudo"
    program.write_text('OUTPUT "hi"\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "launcher", "gui", str(program),
                          "--measure-startup"], capture_output=True, text=True, timeout=120,
                         env=_env(isolated_home), cwd=ROOT)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert 0 < report["window_shown_ms"] < 15000


def test_launcher_imports_no_qt() -> None:
    code = "import sys, launcher; print(any(m.startswith('PySide6') for m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, cwd=ROOT)
    assert run.stdout.strip() == "False", run.stderr


def test_launcher_routes_arguments(tmp_path, monkeypatch) -> None:
    """Issue 11 item 8 changed the rule: a FILE opens the window only if it exists (a
    mistyped subcommand is an error); tests/launcher/test_launcher_routing.py has the rest."""
    import launcher

    monkeypatch.chdir(tmp_path)
    (tmp_path / "program.pseudo").write_text("OUTPUT 1\n", encoding="utf-8")
    assert launcher.route([])[0] == "gui"
    assert launcher.route(["gui"])[0] == "gui"
    assert launcher.route(["program.pseudo"])[0] == "gui"
    assert launcher.route(["translate", "x.pseudo"])[0] == "cli"
    assert launcher.route(["--version"])[0] == "cli"
    assert launcher.route(["missing.pseudo"])[0] == "error"


def test_hidden_run_python_mode(isolated_home, tmp_path) -> None:
    program = tmp_path / "p.py"
    program.write_text("name = input()\nprint('hello ' + name)\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "launcher", "--run-python", str(program)],
                         input="Ada\n", capture_output=True, text=True, timeout=60,
                         env=_env(isolated_home), cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "hello Ada"


# ----------------------------------------------------------------------------- quit from outside
def _recovery_dir(home: Path) -> Path:
    return home / ".local" / "share" / "PseudocodeTranslator" / "Pseudocode Translator" / "recovery"


def _start_and_signal(qtbot, home: Path, number: int, args: list[str] | None = None
                      ) -> subprocess.CompletedProcess[str]:
    """Start the app as a user does, wait until it holds its recovery lock (its signal
    handling is in place by then), send ``number``; its exit status and output."""
    recovery = _recovery_dir(home)
    before = set(recovery.glob("*.lock")) if recovery.exists() else set()
    app = subprocess.Popen([sys.executable, "-m", "launcher", *(args or [])],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env=_env(home), cwd=ROOT)
    try:
        qtbot.waitUntil(lambda: app.poll() is not None
                        or bool(set(recovery.glob("*.lock")) - before), timeout=60000)
        assert app.poll() is None, app.communicate()[1]
        app.send_signal(number)
        out, err = app.communicate(timeout=60)
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    return subprocess.CompletedProcess(app.args, app.returncode, out, err)


@pytest.mark.skipif(os.name == "nt", reason="SIGTERM cannot be sent to a Windows GUI process")
@pytest.mark.timeout(120)
def test_sigterm_closes_the_app_like_file_quit(qtbot, isolated_home, tmp_path) -> None:
    program = tmp_path / "open.pseudo"
    program.write_text('OUTPUT "hi"\n', encoding="utf-8")
    run = _start_and_signal(qtbot, isolated_home, signal.SIGTERM, [str(program)])
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    # a clean end: the session's recovery files are gone, the session was saved
    assert not list(_recovery_dir(isolated_home).iterdir())
    state = (isolated_home / ".config" / "PseudocodeTranslator" /
             "Pseudocode Translator.conf").read_text(encoding="utf-8")
    assert "open.pseudo" in state and "geometry" in state


@pytest.mark.skipif(os.name == "nt", reason="no SIGINT for a Windows GUI process")
@pytest.mark.timeout(120)
def test_sigint_while_the_recovery_question_is_open_keeps_the_old_work(
        qtbot, isolated_home) -> None:
    """Ctrl+C while 'Recover unsaved work?' waits for an answer (the question is asked
    right after the window shows): nobody answered, so the old work stays for next time."""
    recovery = _recovery_dir(isolated_home)
    recovery.mkdir(parents=True)
    orphan = recovery / "crashed.json"
    orphan.write_text(json.dumps({"version": 1, "session": "crashed", "saved_at": 1.0,
                                  "documents": [{"text": "OUTPUT 1\n", "path": None,
                                                 "title": "Untitled"}]}), encoding="utf-8")
    run = _start_and_signal(qtbot, isolated_home, signal.SIGINT)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and "KeyboardInterrupt" not in run.stderr, run.stderr
    assert [p.name for p in recovery.iterdir()] == ["crashed.json"]
