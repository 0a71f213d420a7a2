"""Start-up, the way a user starts the app: the launcher in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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


def test_launcher_routes_arguments() -> None:
    import launcher

    assert launcher._wants_gui([])
    assert launcher._wants_gui(["gui"])
    assert launcher._wants_gui(["program.pseudo"])
    assert not launcher._wants_gui(["translate", "x.pseudo"])
    assert not launcher._wants_gui(["--version"])


def test_hidden_run_python_mode(isolated_home, tmp_path) -> None:
    program = tmp_path / "p.py"
    program.write_text("name = input()\nprint('hello ' + name)\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "launcher", "--run-python", str(program)],
                         input="Ada\n", capture_output=True, text=True, timeout=60,
                         env=_env(isolated_home), cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "hello Ada"
