"""The launcher: what opens the window, what goes to the command line, what is a mistake."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import launcher

ROOT = Path(__file__).resolve().parents[2]


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local" / "share"),
               PSEUDOCODE_CONFIG=str(home / "config.yaml"), QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _launch(args: list[str], home: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launcher", *args], capture_output=True,
                          text=True, timeout=60, env=_env(home), cwd=cwd)


def test_only_no_argument_gui_or_an_existing_file_open_the_window(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sort.pseudo").write_text("OUTPUT 1\n", encoding="utf-8")
    assert launcher.route([]) == ("gui", [])
    assert launcher.route(["gui"]) == ("gui", [])
    assert launcher.route(["gui", "missing.pseudo"]) == ("gui", ["missing.pseudo"])
    assert launcher.route(["sort.pseudo"]) == ("gui", ["sort.pseudo"])
    assert launcher.route(["translate", "x.pseudo"]) == ("cli", ["translate", "x.pseudo"])
    assert launcher.route(["--version"]) == ("cli", ["--version"])
    assert launcher.route(["--install-desktop"]) == ("cli", ["--install-desktop"])
    assert launcher.route(["tranlsate", "sort.pseudo"])[0] == "error"
    assert launcher.route(["missing.pseudo"])[0] == "error"
    assert launcher.route(["."])[0] == "error"  # a folder is not a file to open


@pytest.mark.parametrize(("word", "meant"), [("tranlsate", "translate"), ("chek", "check"), ("trcae", "trace"),
                                              ("rnu", "run"), ("confg", "config"),
                                              ("gi", "gui")])
def test_a_mistyped_subcommand_names_the_one_meant(word, meant, tmp_path) -> None:
    (tmp_path / "x.pseudo").write_text("OUTPUT 1\n", encoding="utf-8")
    run = _launch([word, "x.pseudo"], tmp_path, tmp_path)
    assert run.returncode == 2
    assert run.stderr == f"pseudocode-translator: unknown command '{word}': did you mean {meant}?\n"
    assert run.stdout == ""


def test_other_mistakes_get_a_clear_line_and_never_the_window(tmp_path) -> None:
    (tmp_path / "programs").mkdir()
    unknown = _launch(["frobnicate"], tmp_path, tmp_path)
    assert unknown.returncode == 2
    assert "unknown command 'frobnicate'" in unknown.stderr and "translate" in unknown.stderr
    missing = _launch(["missing.pseudo"], tmp_path, tmp_path)
    assert (missing.returncode, missing.stderr) == (
        2, "pseudocode-translator: no such file: 'missing.pseudo'\n")
    folder = _launch(["programs"], tmp_path, tmp_path)
    assert folder.returncode == 2
    assert "translate programs --out-dir" in folder.stderr
    for run in (unknown, missing, folder):
        assert "Traceback" not in run.stderr and run.stderr.count("\n") == 1


def test_a_mistake_never_imports_qt(tmp_path) -> None:
    code = ("import sys, launcher\n"
            "code = launcher.main(['tranlsate', 'x.pseudo'])\n"
            "print(code, any(m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph', 'gui')"
            " for m in sys.modules))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, env=_env(tmp_path), cwd=tmp_path)
    assert run.stdout.split() == ["2", "False"], run.stderr


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["check", "x.pseudo"],
                                  ["translate", "x.pseudo"], ["run", "x.pseudo"],
                                  ["config", "show"], ["--install-desktop"]])
def test_the_command_line_never_imports_qt(args, tmp_path) -> None:
    (tmp_path / "x.pseudo").write_text("OUTPUT 1\n", encoding="utf-8")
    code = ("import sys, launcher\n"
            "try:\n"
            f"    launcher.main({args!r})\n"
            "except SystemExit:\n"
            "    pass\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in"
            " ('PySide6', 'shiboken6', 'pyqtgraph', 'numpy', 'gui'))\n"
            "print('QT:', ','.join(bad), file=sys.stderr)\n")
    env = _env(tmp_path)
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, env=env, cwd=tmp_path)
    assert run.stderr.splitlines()[-1] == "QT: ", run.stderr


def test_a_worker_whose_parent_is_gone_exits_quietly(tmp_path) -> None:
    """What a frozen spawn worker does when its parent died as it started (Windows: the
    windowed bootloader would show a modal "Failed to execute script" dialog)."""
    code = ("import multiprocessing, sys, launcher\n"
            "def broken():\n"
            "    raise OSError(6, 'The handle is invalid')\n"
            "multiprocessing.freeze_support = broken\n"
            "sys.argv = ['pseudocode-translator-gui', '--multiprocessing-fork',"
            " 'parent_pid=99999', 'pipe_handle=1']\n"
            "launcher.main_gui()\n"
            "print('not reached')\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, env=_env(tmp_path), cwd=tmp_path)
    assert (run.returncode, run.stdout, run.stderr) == (1, "", "")


def test_the_launcher_knows_every_subcommand_of_the_command_line() -> None:
    import argparse

    from engine.cli import build_parser

    actions = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert sorted(launcher.SUBCOMMANDS) == sorted(actions[0].choices)


@pytest.mark.parametrize(("parent", "expected"), [("gone", 1), ("dies", 1), ("none", 0)])
def test_a_windows_worker_ends_with_its_parent(parent, expected, tmp_path) -> None:
    """The Windows parent watch, with a stand-in for _winapi: a parent already gone, or one
    that ends while the worker's bootstrap still waits, ends the worker (exit 1)."""
    code = ("import sys, time, types\n"
            "fake = types.SimpleNamespace(INFINITE=-1)\n"
            f"mode = {parent!r}\n"
            "def open_process(access, inherit, pid):\n"
            "    if mode == 'gone':\n"
            "        raise OSError(87, 'The parameter is incorrect')\n"
            "    return 1234\n"
            "def wait(handle, timeout):\n"
            "    time.sleep(0.3 if mode == 'dies' else 60)\n"
            "fake.OpenProcess, fake.WaitForSingleObject = open_process, wait\n"
            "sys.modules['_winapi'] = fake\n"
            "import launcher\n"
            "argv = ['app.exe', '--multiprocessing-fork', 'parent_pid=4242', 'pipe_handle=1']\n"
            "launcher._exit_with_parent(argv if mode != 'none' else argv[:2])\n"
            "time.sleep(5)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, env=_env(tmp_path), cwd=tmp_path)
    assert (run.returncode, run.stderr) == (expected, "")
