"""Smoke test of the frozen build, started the way users start it, with the spawn pool on.

    python packaging/smoke_test.py                   # build dist/pseudocode-translator/, check it
    python packaging/smoke_test.py --no-build        # check the build that is there
    python packaging/smoke_test.py --dist DIR --corpus DIR --report report.json

Each check is a function taking a :class:`Frozen` (the build and an isolated
home folder); ``tests/packaging/test_frozen.py`` runs them one by one under
pytest (marker ``frozen``), and :func:`main` runs them all and prints the
report. A check raises :class:`SmokeFailure` with what went wrong, and returns
the numbers it measured.

1. ``check_layout``   both executables; resources/, docs/ and the source of
                      engine/codegen/runtime.py (read by the code generator) bundled
2. ``check_cli``      --version, --help (subcommands, environment variables),
                      ``config show`` (the variables' values and sources), ``--run-python``;
                      Linux: ``--install-desktop`` / ``--uninstall-desktop``, and the
                      message (exit 2) when there is no display
3. ``check_corpus``   ``translate CORPUS --out-dir`` with the spawn pool gives the
                      same files and messages as the source tree; each program
                      prints its NAME.out; each error case's lines are reported
4. ``check_pool``     a batch in the frozen interpreter: the workers do the work
                      (task-completed events, no fallback, no timeout); they are
                      ``--multiprocessing-fork`` children without Qt; none is left
                      after the app exits or is killed
5. ``check_window``   start-up time to a shown window; the window with the pool on
                      (offscreen) for a few seconds, closed: exit 0; killed: no
                      process left

Whatever a process writes on standard error must be empty, apart from
:data:`smoke_support.ALLOWED_STDERR` (explained there) and the runner's input markers.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import smoke_support  # noqa: E402 - wine_smoke.py replaces its process table
from buildinfo import (  # noqa: E402
    DIST,
    ROOT,
    WORK,
    app_folder,
    folder_size,
)
from smoke_support import (  # noqa: E402
    LINUX,
    POOL_ENV,
    WINDOWS,
    Frozen,
    SmokeFailure,
    app_processes,
    descendants,
    expect,
    expect_clean,
    expect_ok,
    expect_workers_without_qt,
    kill,
    pool_workers,
    process_table,
    stop,
    unexpected_stderr,
    wait_for,
    wait_gone,
)

CORPUS = ROOT.parent / "shared" / "conformance"
CORPUS_ENV = "PSEUDOCODE_CONFORMANCE_DIR"
POOL_EVENTS = ("exec_pool.started", "exec_pool.task_submitted", "exec_pool.task_completed",
               "exec_pool.timeout", "exec_pool.fallback")


# --------------------------------------------------------------------------
# 1. Layout


def check_layout(frozen: Frozen) -> dict[str, Any]:
    folder = frozen.folder
    internal = folder / "_internal"
    for exe in (frozen.cli, frozen.gui):
        expect(exe.is_file(), f"{exe} is missing")
    runtime = internal / "engine" / "codegen" / "runtime.py"
    expect(runtime.is_file(), f"{runtime} is missing: the code generator reads its source")
    expect(runtime.read_bytes() == (ROOT / "engine" / "codegen" / "runtime.py").read_bytes(),
           f"{runtime} differs from engine/codegen/runtime.py: the build is stale")
    for source in (ROOT / "resources" / "examples").glob("*.pseudo"):
        bundled = internal / "resources" / "examples" / source.name
        expect(bundled.is_file(), f"{bundled} is missing")
    expect((internal / "resources" / "icons" / "app.ico").is_file(), "the app icon is missing")
    expect((internal / "resources" / "default_config.yaml").is_file(),
           "resources/default_config.yaml is missing")
    for doc in (ROOT / "docs").glob("*.md"):
        expect((internal / "docs" / doc.name).is_file(), f"docs/{doc.name} is not bundled")
    dangling = [str(p.relative_to(folder)) for p in folder.rglob("*")
                if p.is_symlink() and not p.exists()]
    expect(not dangling, f"symbolic links to nothing: {dangling}")
    # What the spec leaves out (on the Linux and the Windows wheel layouts alike).
    unused = [str(p.relative_to(folder)) for p in internal.rglob("*")
              if p.suffix == ".qm" or p.name.lower() == "opengl32sw.dll"
              or p.name.startswith(("Qt6Network", "libQt6Network"))]
    expect(not unused, f"Qt files the app does not use are bundled: {unused[:10]}")
    size = folder_size(folder)
    qt = folder_size(internal / "PySide6") if (internal / "PySide6").is_dir() else 0
    return {"size_mb": round(size / 1e6, 1), "qt_mb": round(qt / 1e6, 1),
            "files": sum(len(files) for _d, _s, files in os.walk(folder))}


# --------------------------------------------------------------------------
# 2. The command line


def check_cli(frozen: Frozen) -> dict[str, Any]:
    run = frozen.run(["--version"])
    expect_ok(run, "--version")
    expect(run.stdout.strip() == f"pseudocode-translator {frozen.version.text}",
           f"--version printed {run.stdout.strip()!r}, expected the version of pyproject.toml "
           f"({frozen.version.text})")

    run = frozen.run(["--help"])
    expect_ok(run, "--help")
    for command in ("translate", "check", "run", "config", "gui"):
        expect(re.search(rf"^\s+{command}\b", run.stdout, re.M),
               f"--help does not list the subcommand {command!r}")
    for variable in environment_variables():
        expect(variable in run.stdout, f"--help does not explain {variable}")

    run = frozen.run(["config", "show", "--format", "json"], pool=True)
    expect_ok(run, "config show --format json")
    shown = json.loads(run.stdout)
    for variable, value in POOL_ENV.items():
        key = environment_variables()[variable]
        expect(shown[key]["source"] == f"env:{variable}",
               f"config show: {key} comes from {shown[key]['source']!r}, not env:{variable}")
        expect(str(shown[key]["value"]).lower() in (value, "true"),
               f"config show: {key} is {shown[key]['value']!r}, {variable} says {value}")

    program = frozen.scratch("run-python") / "program.py"
    program.write_text("name = input()\nprint('hello ' + name)\n", encoding="utf-8")
    for exe in (frozen.cli, frozen.gui):  # the window runs programs with its own executable
        run = frozen.run(["--run-python", str(program)], exe=exe, stdin="Ada\n")
        expect_ok(run, f"{exe.name} --run-python")
        expect(run.stdout.strip() == "hello Ada", f"{exe.name} --run-python printed "
                                                  f"{run.stdout!r}")
    if LINUX:
        check_linux_desktop(frozen)
    return {"version": frozen.version.text}


def check_linux_desktop(frozen: Frozen) -> None:
    """``--install-desktop`` points the menu at the frozen windowed executable; without a
    display the window says so in one paragraph (exit 2), instead of Qt's abort."""
    env = frozen.env()
    data = Path(env["XDG_DATA_HOME"])
    run = frozen.run(["--install-desktop"], env=env)
    expect_ok(run, "--install-desktop")
    entry = data / "applications" / "pseudocode-translator.desktop"
    text = entry.read_text(encoding="utf-8") if entry.is_file() else ""
    expect(f"Exec={frozen.gui} %F" in text or f'Exec="{frozen.gui}" %F' in text,
           f"the menu entry does not start {frozen.gui}:\n{text}")
    icon = data / "icons" / "hicolor" / "256x256" / "apps" / "pseudocode-translator.png"
    expect(icon.is_file(), f"--install-desktop wrote no icon ({icon})")
    run = frozen.run(["--uninstall-desktop"], env=env)
    expect_ok(run, "--uninstall-desktop")
    expect(not entry.exists() and not icon.exists(), "--uninstall-desktop left its files")

    headless = {k: v for k, v in env.items()
                if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE")}
    headless["XDG_RUNTIME_DIR"] = str(frozen.home)
    run = frozen.run([str(sample_program())], env=headless)
    expect(run.returncode == 2 and run.stderr.startswith(
        "pseudocode-translator: the window cannot open: ") and run.stderr.count("\n") == 1,
        f"without a display: exit {run.returncode}, stderr {run.stderr[-1000:]!r}")


def environment_variables() -> dict[str, str]:
    """Variable -> config key, from the engine's own table (the source tree)."""
    sys.path.insert(0, str(ROOT))
    try:
        from engine.config import CONFIG_PATH_ENV, ENV_TO_KEY
    finally:
        sys.path.remove(str(ROOT))
    return {CONFIG_PATH_ENV: "", **ENV_TO_KEY}


# --------------------------------------------------------------------------
# 3. The conformance corpus through the command line, with the spawn pool


def find_corpus(explicit: Path | None = None) -> Path | None:
    for candidate in (explicit, Path(os.environ[CORPUS_ENV]) if os.environ.get(CORPUS_ENV)
                      else None, CORPUS):
        if candidate is not None and (candidate / "run_conformance.py").is_file():
            return candidate
    return None


def conformance_module(corpus: Path) -> ModuleType:
    """The corpus's own runner, for its case discovery and output rules."""
    spec = importlib.util.spec_from_file_location("run_conformance", corpus / "run_conformance.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("run_conformance", module)
    spec.loader.exec_module(module)
    return module


def source_tree_run(args: Sequence[str], cwd: Path, env: Mapping[str, str]
                    ) -> subprocess.CompletedProcess[str]:
    """The same command from the source tree (``python -m launcher``), the reference."""
    env = dict(env)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "launcher", *args], capture_output=True,
                          text=True, encoding="utf-8", errors="replace", cwd=cwd, env=env,
                          timeout=300)


def check_corpus(frozen: Frozen, corpus: Path | None) -> dict[str, Any]:
    """``translate FOLDER --out-dir`` with the spawn pool == the source tree, and every case passes."""
    sources = corpus if corpus is not None else ROOT / "resources" / "examples"
    work = frozen.scratch("corpus")
    out, ref = work / "frozen", work / "reference"
    before = {p.pid for p in app_processes(frozen.folder)}
    start = time.perf_counter()
    run = frozen.run(["translate", str(sources), "--out-dir", str(out)], pool=True, cwd=work,
                     timeout=300)
    batch_s = time.perf_counter() - start
    stray, _ = wait_gone(p.pid for p in app_processes(frozen.folder) if p.pid not in before)
    expect(not stray, f"processes left after translate --out-dir returned: {stray}")
    reference = source_tree_run(["translate", str(sources), "--out-dir", str(ref)], work,
                                frozen.env(pool=False))
    expect(run.returncode == reference.returncode,
           f"translate --out-dir: exit {run.returncode}, the source tree exits "
           f"{reference.returncode}\n{run.stderr[-3000:]}")
    expect(run.returncode in (0, 1), f"translate --out-dir failed: {run.stderr[-3000:]}")
    expect(run.stderr.replace(str(out), "OUT") == reference.stderr.replace(str(ref), "OUT"),
           "translate --out-dir: its messages differ from the source tree's:\n"
           f"frozen:\n{run.stderr[-3000:]}\nsource tree:\n{reference.stderr[-3000:]}")
    produced = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.py"))
    expected = sorted(p.relative_to(ref).as_posix() for p in ref.rglob("*.py"))
    expect(produced == expected and produced, f"translate --out-dir wrote {produced}, the "
                                              f"source tree {expected}")
    for name in produced:
        expect((out / name).read_bytes() == (ref / name).read_bytes(),
               f"{name}: the frozen build's Python differs from the source tree's")
    report: dict[str, Any] = {"corpus": str(sources), "files": len(produced),
                              "batch_translate_s": round(batch_s, 2)}
    if corpus is None:
        report["note"] = "no conformance corpus: compared with the source tree only"
        return report

    conformance = conformance_module(corpus)
    cases = conformance.discover(corpus, [])
    run_cases = [c for c in cases if c.kind == "run"]
    error_cases = [c for c in cases if c.kind == "error"]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as executor:
        failures = [f for f in executor.map(
            lambda case: _run_case(frozen, conformance, case, out), run_cases) if f]
        failures += [f for f in executor.map(
            lambda case: _error_case(frozen, conformance, case), error_cases) if f]
    expect(not failures, f"{len(failures)} conformance case(s) failed:\n" + "\n".join(failures))
    report.update(run_cases=len(run_cases), error_cases=len(error_cases), failed=0)
    return report


def _run_case(frozen: Frozen, conformance: ModuleType, case: Any, out: Path) -> str | None:
    """Run the generated program with the frozen ``--run-python``; its stdout must be NAME.out."""
    program = out / f"{case.name}.py"
    if not program.is_file():
        return f"{case.name}: not translated"
    cwd = frozen.scratch(case.name)
    stdin = case.stdin.read_text(encoding="utf-8") if case.stdin else ""
    run = frozen.run(["--run-python", str(program)], stdin=stdin, cwd=cwd, timeout=60)
    expected = conformance.normalise(case.expected.read_bytes())
    actual = conformance.normalise(run.stdout.encode("utf-8"))
    if actual != expected:
        return f"{case.name}: {conformance.first_difference(expected, actual)}"
    if run.returncode != 0:
        return f"{case.name}: exit {run.returncode}: {run.stderr[-500:]}"
    if unexpected_stderr(run.stderr):
        return f"{case.name}: unexpected stderr: {unexpected_stderr(run.stderr)[:5]}"
    return None


def _error_case(frozen: Frozen, conformance: ModuleType, case: Any) -> str | None:
    """``check --format json`` (spawn pool on) reports an error on every line of NAME.err."""
    run = frozen.run(["check", str(case.src), "--format", "json"], pool=True)
    if unexpected_stderr(run.stderr):
        return f"{case.name}: unexpected stderr: {unexpected_stderr(run.stderr)[:5]}"
    try:
        diagnostics = conformance.parse_diagnostics(run.stdout)
    except ValueError as error:
        return f"{case.name}: {error}"
    reported = {int(d["line"]) for d in diagnostics
                if str(d.get("severity", "")).lower() == "error"}
    missing = [n for n in conformance.expected_errors(case.expected) if n not in reported]
    return f"{case.name}: no error reported on line(s) {missing}" if missing else None


# --------------------------------------------------------------------------
# 4. The spawn pool in the frozen interpreter

# Run by the frozen executable's ``--run-python`` (the app's own interpreter
# and bundle): a batch through TranslationManager.translate_many with the
# configuration the environment sets, as the batch command line and the GUI
# do, counting the engine's events. With SMOKE_HOLD it waits for a line on
# stdin before shutting the pool down, so the workers can be looked at (or
# the process killed under them).
POOL_PROBE = r'''
import json, os, sys, time
from collections import Counter
from pathlib import Path


def main():
    from engine.config import ConfigManager
    from engine.translator import TranslationManager, translate_text

    folder = Path(os.environ["SMOKE_SOURCES"])
    texts = [p.read_text(encoding="utf-8-sig") for p in sorted(folder.rglob("*.pseudo"))]
    repeat = int(os.environ.get("SMOKE_REPEAT", "3"))
    counts = Counter()
    with TranslationManager(ConfigManager().load()) as manager:
        manager.events.subscribe(lambda event: counts.update([event.type.value]))
        start = time.perf_counter()
        first = manager.translate_many(texts[:1])  # a cold pool: spawns the workers
        first_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        batch = manager.translate_many(texts * repeat)
        batch_ms = (time.perf_counter() - start) * 1000
        expected = [translate_text(t, manager.strict) for t in texts]

        def same(a, b):
            return (a.success, a.code, [d.to_dict() for d in a.diagnostics]) == (
                b.success, b.code, [d.to_dict() for d in b.diagnostics])

        report = {
            "documents": len(texts) * repeat + 1,
            "first_pooled_ms": round(first_ms, 1),
            "batch_ms": round(batch_ms, 1),
            "same_as_in_process": same(first[0], expected[0]) and all(
                same(r, expected[i % len(texts)]) for i, r in enumerate(batch)),
            "events": dict(sorted(counts.items())),
            "pool": manager.pool_info(),
            "pid": os.getpid(),
            "qt_imported": sorted(m for m in sys.modules if m.startswith("PySide6")),
        }
        print(json.dumps(report), flush=True)
        if os.environ.get("SMOKE_HOLD"):
            sys.stdin.readline()
    print(json.dumps({"shut_down": True}), flush=True)


if __name__ == "__main__":
    main()
'''


def _probe(frozen: Frozen, sources: Path, hold: bool) -> tuple[subprocess.Popen[str], dict]:
    script = frozen.scratch("probe") / "pool_probe.py"
    script.write_text(POOL_PROBE, encoding="utf-8")
    env = frozen.env(pool=True, SMOKE_SOURCES=str(sources), **({"SMOKE_HOLD": "1"} if hold else {}))
    process = frozen.popen(["--run-python", str(script)], env=env)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.strip():
        _out, err = stop(process)
        raise SmokeFailure(f"the pool probe printed nothing (exit {process.returncode}):\n{err}")
    return process, json.loads(line)


def check_pool(frozen: Frozen, corpus: Path | None) -> dict[str, Any]:
    sources = corpus if corpus is not None else ROOT / "resources" / "examples"
    before = {p.pid for p in app_processes(frozen.folder)}

    # A batch; the workers looked at while they live; then a normal exit.
    process, report = _probe(frozen, sources, hold=True)
    events = Counter(report["events"])
    for name in POOL_EVENTS:
        events.setdefault(name, 0)  # shown as 0 in the report
    expect(report["pool"]["start_method"] == "spawn",
           f"the pool started with {report['pool']['start_method']!r}, not spawn")
    expect(events["exec_pool.started"] == 1, f"pool starts: {events['exec_pool.started']}")
    expect(events["exec_pool.task_completed"] > 0, f"no task completed in a worker: {events}")
    expect(events["exec_pool.task_completed"] == events["exec_pool.task_submitted"],
           f"not every task submitted to the workers came back: {events}")
    expect(events["exec_pool.fallback"] == 0 and events["exec_pool.timeout"] == 0,
           f"fallbacks or timeouts: {events}")
    expect(events["translation.completed"] == report["documents"]
           and events["translation.failed"] == 0, f"translations: {events}")
    expect(report["same_as_in_process"], "the workers' results differ from in-process ones")
    expect(not report["qt_imported"], f"Qt imported by a batch: {report['qt_imported']}")
    table = process_table()
    children = descendants(process.pid, table)
    workers = pool_workers(children)
    expect(sorted(w.pid for w in workers) == sorted(report["pool"]["pids"]),
           f"worker processes {[w.pid for w in workers]} are not the pool's "
           f"{report['pool']['pids']}")
    expect_workers_without_qt(workers, process.pid, frozen.folder)
    helpers = [c for c in children if c not in workers]  # multiprocessing's resource tracker
    assert process.stdin is not None
    process.stdin.write("\n")
    process.stdin.flush()
    out, err = stop(process)
    expect(process.returncode == 0 and '"shut_down": true' in out,
           f"the probe did not exit cleanly (exit {process.returncode}):\n{err[-2000:]}")
    expect_clean(("", err), "pool probe")
    left, exit_s = wait_gone(c.pid for c in children)
    expect(not left, f"processes left after the app exited: {left}")

    # The same, killed (SIGKILL / TerminateProcess) while the workers are up.
    process, _ = _probe(frozen, sources, hold=True)
    children = descendants(process.pid, process_table())
    expect(pool_workers(children), "no workers to kill")
    killed_s = kill(process, children)
    stray = [p for p in app_processes(frozen.folder) if p.pid not in before]
    expect(not stray, f"processes of the app still running: {stray}")
    return {
        "events": dict(events),
        "documents": report["documents"],
        "first_pooled_translation_ms": report["first_pooled_ms"],
        "batch_ms": report["batch_ms"],
        "workers": [w.cmdline.replace(str(frozen.folder), "<app>") for w in workers],
        "helpers": [h.cmdline.replace(str(frozen.folder), "<app>") for h in helpers],
        "left_after_exit": 0,
        "exit_cleanup_s": round(exit_s, 2),
        "left_after_kill": 0,
        "kill_cleanup_s": round(killed_s, 2),
    }


def check_cli_pool_timing(frozen: Frozen, sample: Path, runs: int = 3) -> dict[str, Any]:
    """Wall time of ``translate FILE`` (one document) with and without the spawn pool."""
    def timed(pool: bool) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            run = frozen.run(["translate", str(sample), "-o", os.devnull], pool=pool)
            times.append(time.perf_counter() - start)
            expect_ok(run, f"translate {sample.name} (pool {'on' if pool else 'off'})")
        return statistics.median(times)

    return {"translate_one_file_no_pool_s": round(timed(False), 2),
            "translate_one_file_spawn_pool_s": round(timed(True), 2)}


# --------------------------------------------------------------------------
# 5. The window (offscreen)

# The window as gui.app.run opens it. After a second it opens Edit > Settings
# and prints, for each configuration key, whether its editor is locked (and
# the lock's text); after SMOKE_SECONDS it closes the window with the same
# close() as File > Quit (the launcher has no option to quit by itself).
WINDOW_PROBE = r'''
import json, os, sys

if __name__ == "__main__":
    import gui.app
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    keys = json.loads(os.environ["SMOKE_KEYS"])

    def main_window():
        return next(w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow")

    def inspect(dialog):
        locks = {key: {"enabled": dialog.editor(key).isEnabled(),
                       "lock": dialog.rows[key].lock_label.text()} for key in keys}
        print(json.dumps({"settings": locks}), flush=True)
        dialog.reject()

    def open_settings():
        window = main_window()
        window.settingsOpened.connect(inspect)
        window.settings_commands.open_settings()

    def close():
        for widget in app.topLevelWidgets():
            if widget.isWindow() and widget.isVisible():
                widget.close()

    QTimer.singleShot(1000, open_settings)
    QTimer.singleShot(int(float(os.environ["SMOKE_SECONDS"]) * 1000), close)
    sys.exit(gui.app.run([os.environ["SMOKE_FILE"]]))
'''


# Long enough to see the workers (and look at them: slower on Windows, where
# each look at the process table is a PowerShell call) before the window closes.
WINDOW_SECONDS = 10.0 if WINDOWS else 4.0


def check_window(frozen: Frozen, sample: Path, seconds: float = WINDOW_SECONDS
                 ) -> dict[str, Any]:
    # Start-up: `pseudocode-translator gui FILE --measure-startup` reports once the
    # window is shown and the event loop turns, then closes the window.
    reports, walls = [], []
    for _ in range(3):
        start = time.perf_counter()
        run = frozen.run(["gui", str(sample), "--measure-startup"], timeout=60)
        walls.append(time.perf_counter() - start)
        expect_ok(run, "gui --measure-startup")
        reports.append(json.loads(run.stdout.strip().splitlines()[-1]))
    shown_ms = statistics.median(r["window_shown_ms"] for r in reports)
    ages = [r["process_age_s"] for r in reports if r.get("process_age_s") is not None]

    # The window with the pool on for a few seconds (live translation goes
    # through the workers), then closed like File > Quit: exit 0, nothing left.
    script = frozen.scratch("window") / "window_probe.py"
    script.write_text(WINDOW_PROBE, encoding="utf-8")
    variables = environment_variables()
    locked = [variables[name] for name in POOL_ENV]
    keys = locked + ["execution.process_pool_target"]  # the last one: not set by the environment
    env = frozen.env(pool=True, SMOKE_FILE=str(sample), SMOKE_SECONDS=str(seconds),
                     SMOKE_KEYS=json.dumps(keys))
    process = frozen.popen(["--run-python", str(script)], exe=frozen.gui, env=env)
    workers = wait_for(lambda: pool_workers(descendants(process.pid, process_table())),
                       timeout=seconds + 10)
    expect(workers, "the window's live translation started no pool worker")
    expect_workers_without_qt(workers, process.pid, frozen.folder)
    children = descendants(process.pid, process_table())
    with_qt = [c.pid for c in children if smoke_support.loads_qt(c.pid)]
    expect(not with_qt, f"child processes of the window with Qt loaded: {with_qt}")
    out, err = stop(process, timeout=seconds + 30)
    expect(process.returncode == 0, f"the window exited with {process.returncode}:\n{err}")
    expect_clean(("", err), "the window")
    shown = [json.loads(line)["settings"] for line in out.splitlines() if '"settings"' in line]
    expect(shown, f"Edit > Settings did not open (or the probe could not read it):\n{out}")
    for key in keys:
        row = shown[0][key]
        if key in locked:
            expect(not row["enabled"] and "PSEUDOCODE_EXEC_POOL_" in row["lock"],
                   f"settings: {key} is set by the environment but not shown locked: {row}")
        else:
            expect(row["enabled"] and not row["lock"], f"settings: {key} is locked: {row}")
    left, _ = wait_gone(c.pid for c in children)
    expect(not left, f"processes left after the window closed: {left}")

    # The window the way a double-click opens it (the windowed executable, a
    # FILE), killed while its workers are up: nothing is left.
    process = frozen.popen([str(sample)], exe=frozen.gui, env=frozen.env(pool=True))
    workers = wait_for(lambda: pool_workers(descendants(process.pid, process_table())),
                       timeout=20)
    expect(workers, "the window (double-click form) started no pool worker")
    expect_workers_without_qt(workers, process.pid, frozen.folder)
    children = descendants(process.pid, process_table())
    killed_s = kill(process, children)
    return {
        "window_shown_ms": shown_ms,  # from gui.app's import to window.show()
        "settings_locked": locked,
        "process_start_to_event_loop_s": round(statistics.median(ages), 2) if ages else None,
        "launch_to_exit_wall_s": round(statistics.median(walls), 2),
        "window_workers": len(workers),
        "kill_cleanup_s": round(killed_s, 2),
    }


# --------------------------------------------------------------------------


def sample_program() -> Path:
    return ROOT / "resources" / "examples" / "02_bubble_sort.pseudo"


def run_all(frozen: Frozen, corpus: Path | None,
            log: Callable[[str], object] = print) -> dict[str, Any]:
    report: dict[str, Any] = {}
    checks: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("layout", lambda: check_layout(frozen)),
        ("cli", lambda: check_cli(frozen)),
        ("corpus", lambda: check_corpus(frozen, corpus)),
        ("pool", lambda: check_pool(frozen, corpus)),
        ("cli_pool_timing", lambda: check_cli_pool_timing(frozen, sample_program())),
        ("window", lambda: check_window(frozen, sample_program())),
    ]
    for name, check in checks:
        start = time.perf_counter()
        report[name] = check()
        log(f"ok  {name:16} {time.perf_counter() - start:5.1f} s  {json.dumps(report[name])}")
    return report


def summary(report: Mapping[str, Any]) -> str:
    """The numbers a release note wants, in a few lines."""
    lines = []
    if "layout" in report:
        lines.append(f"frozen build: {report['layout']['size_mb']} MB in "
                     f"{report['layout']['files']} files (Qt {report['layout']['qt_mb']} MB)")
    if "window" in report:
        w = report["window"]
        lines.append(f"start-up to a shown window: {w['window_shown_ms']:.0f} ms after gui.app "
                     f"is imported; process start to the first event-loop turn "
                     f"{w['process_start_to_event_loop_s']} s")
    if "pool" in report:
        p = report["pool"]
        lines.append(f"first pooled translation (spawn, cold pool, 2 workers): "
                     f"{p['first_pooled_translation_ms']:.0f} ms; then {p['documents'] - 1} "
                     f"documents in {p['batch_ms']:.0f} ms")
        lines.append("pool events: " + ", ".join(f"{k} {v}" for k, v in
                                                sorted(p["events"].items())))
        lines.append(f"processes left: {p['left_after_exit']} after exit, "
                     f"{p['left_after_kill']} after SIGKILL (gone in {p['kill_cleanup_s']} s)")
    if "cli_pool_timing" in report:
        t = report["cli_pool_timing"]
        lines.append(f"translate FILE: {t['translate_one_file_no_pool_s']} s without the pool, "
                     f"{t['translate_one_file_spawn_pool_s']} s with the spawn pool")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=DIST, help=f"build folder (default {DIST})")
    parser.add_argument("--work", type=Path, default=WORK, help="PyInstaller's work folder")
    parser.add_argument("--no-build", action="store_true", help="check the existing build")
    parser.add_argument("--corpus", type=Path, help=f"conformance corpus (default ${CORPUS_ENV} "
                                                    f"or {CORPUS})")
    parser.add_argument("--without-corpus", action="store_true",
                        help="compare with the source tree only (for machines without the corpus)")
    parser.add_argument("--report", type=Path, help="also write the numbers here as JSON")
    args = parser.parse_args(argv)

    corpus = None if args.without_corpus else find_corpus(args.corpus)
    if corpus is None and not args.without_corpus:
        print(f"conformance corpus not found (give --corpus, set {CORPUS_ENV}, or pass "
              "--without-corpus)", file=sys.stderr)
        return 2
    if args.no_build:
        folder = app_folder(args.dist)
    else:
        from build import build_app
        start = time.perf_counter()
        folder = build_app(args.dist, args.work, quiet=True)
        print(f"built {folder} in {time.perf_counter() - start:.0f} s")
    home = Path(tempfile.mkdtemp(prefix="pseudocode-smoke-"))
    try:
        report = run_all(Frozen(folder, home), corpus)
    except SmokeFailure as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(summary(report))
    if args.report:
        args.report.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
