"""What the frozen build's smoke checks stand on: the build under test, expectations, processes.

packaging/smoke_test.py holds the checks themselves; this module holds what they
share: :class:`Frozen` (the build and an isolated home), :func:`expect` and the
stderr rules (:data:`ALLOWED_STDERR`), and the process table (who is running, who
started whom, who loaded Qt) with the waits and kills built on it.
packaging/windows/wine/wine_smoke.py replaces ``_windows_processes`` and
``loads_qt`` here to run the same checks under Wine.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from buildinfo import Version, cli_executable, gui_executable  # noqa: E402

WINDOWS = sys.platform == "win32"
LINUX = sys.platform.startswith("linux")
# The runner's child writes this on stderr before each read of INPUT (engine/execution/runner.py).
INPUT_MARKER = "\x1b]pseudocode:input\x07"

# Lines a process may write on stderr, each with the reason it is not a fault.
ALLOWED_STDERR: dict[str, str] = {
    # Qt's offscreen platform plugin (only used by tests and CI: there is no
    # display) says this when a window is shown; real platforms do not.
    r"This plugin does not support propagateSizeHints\(\)": "Qt offscreen platform",
}

POOL_ENV = {
    "PSEUDOCODE_EXEC_POOL_ENABLED": "1",
    "PSEUDOCODE_EXEC_POOL_START_METHOD": "spawn",
    "PSEUDOCODE_EXEC_POOL_MAX_WORKERS": "2",
}
GONE_WITHIN_S = 5.0  # workers notice a dead parent within about a second


class SmokeFailure(AssertionError):
    """A check failed; the message says what was expected and what happened."""


def expect(condition: object, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


# --------------------------------------------------------------------------
# The build under test


@dataclass
class Frozen:
    """The one-folder build, and a home folder of its own (config, settings, recovery)."""

    folder: Path
    home: Path
    version: Version = field(default_factory=Version.from_pyproject)

    @property
    def cli(self) -> Path:
        return cli_executable(self.folder)

    @property
    def gui(self) -> Path:
        return gui_executable(self.folder)

    def env(self, pool: bool = False, **extra: str) -> dict[str, str]:
        """The user's environment, minus any PSEUDOCODE_* variable, with this home folder."""
        env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PSEUDOCODE_")}
        home = str(self.home)
        env.update(HOME=home, USERPROFILE=home, APPDATA=str(self.home / "AppData" / "Roaming"),
                   LOCALAPPDATA=str(self.home / "AppData" / "Local"),
                   XDG_CONFIG_HOME=str(self.home / ".config"),
                   XDG_DATA_HOME=str(self.home / ".local" / "share"),
                   XDG_CACHE_HOME=str(self.home / ".cache"),
                   PSEUDOCODE_CONFIG=str(self.home / ".pseudocode_translator" / "config.yaml"),
                   QT_QPA_PLATFORM="offscreen")
        if not WINDOWS and not (env.get("LC_ALL") or env.get("LANG")):
            env["LANG"] = "C.UTF-8"  # else Qt explains on stderr that it switched to UTF-8
        fonts = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        if WINDOWS and fonts.is_dir():
            # Offscreen Qt on Windows looks for fonts in its own lib\fonts (which no wheel
            # has) and, in a console, says so on stderr; the system's fonts are the real ones.
            env.setdefault("QT_QPA_FONTDIR", str(fonts))
        if pool:
            env.update(POOL_ENV)
        env.update(extra)
        return env

    def run(self, args: Sequence[str], *, exe: Path | None = None, pool: bool = False,
            env: Mapping[str, str] | None = None, stdin: str | None = None,
            cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        command = [str(exe or self.cli), *args]
        try:
            return subprocess.run(command, input=stdin if stdin is not None else "",
                                  capture_output=True, text=True, encoding="utf-8",
                                  errors="replace", timeout=timeout,
                                  cwd=cwd or self.home, env=dict(env or self.env(pool)))
        except subprocess.TimeoutExpired as error:
            raise SmokeFailure(f"{_show(command)} did not finish in {timeout} s") from error

    def popen(self, args: Sequence[str], *, exe: Path | None = None,
              env: Mapping[str, str] | None = None, cwd: Path | None = None
              ) -> subprocess.Popen[str]:
        return subprocess.Popen([str(exe or self.cli), *args], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                encoding="utf-8", errors="replace", cwd=cwd or self.home,
                                env=dict(env or self.env()))

    def scratch(self, name: str) -> Path:
        path = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.home))
        return path


def _show(command: Sequence[object]) -> str:
    return " ".join(str(c) for c in command)


def unexpected_stderr(text: str) -> list[str]:
    """The lines of ``text`` that :data:`ALLOWED_STDERR` does not explain."""
    lines = text.replace(INPUT_MARKER, "").splitlines()
    return [line for line in lines if line.strip()
            and not any(re.fullmatch(p, line.strip()) for p in ALLOWED_STDERR)]


def expect_clean(run: subprocess.CompletedProcess[str] | tuple[str, str], what: str) -> None:
    stderr = run[1] if isinstance(run, tuple) else run.stderr
    extra = unexpected_stderr(stderr)
    expect(not extra, f"{what}: unexpected output on stderr:\n" + "\n".join(extra[:20]))


def expect_ok(run: subprocess.CompletedProcess[str], what: str, code: int = 0) -> None:
    expect(run.returncode == code, f"{what}: exit status {run.returncode}, expected {code}\n"
                                   f"stdout: {run.stdout[-2000:]}\nstderr: {run.stderr[-2000:]}")
    expect_clean(run, what)


# --------------------------------------------------------------------------
# Processes: who is running, who started whom, who loaded Qt


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    exe: str
    cmdline: str
    # When it started, in the platform's own unit (None: not known). A child starts after
    # its parent: a process whose parent id was reused by a later process is not its child.
    created: float | None = None


def process_table() -> dict[int, Proc]:
    """Every live (not zombie) process: pid -> Proc."""
    if LINUX:
        return _linux_processes()
    if WINDOWS:
        return _windows_processes()
    return _ps_processes()


def _linux_processes() -> dict[int, Proc]:
    table: dict[int, Proc] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            if fields[0] in ("Z", "X"):
                continue
            started = float(fields[19])  # clock ticks after boot
            with open(f"/proc/{entry.name}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
            try:
                exe = os.readlink(f"/proc/{entry.name}/exe")
            except OSError:
                exe = ""
        except (OSError, IndexError):
            continue
        pid = int(entry.name)
        table[pid] = Proc(pid, int(fields[1]), exe, cmdline, started)
    return table


def _windows_processes() -> dict[int, Proc]:
    script = ("Get-CimInstance Win32_Process | Select-Object ProcessId,ParentProcessId,"
              "ExecutablePath,CommandLine,@{n='Created';e={$_.CreationDate.ToFileTimeUtc()}}"
              " | ConvertTo-Json -Compress")
    out = subprocess.run(["powershell", "-NoProfile", "-NonInteractive", "-Command", script],
                         capture_output=True, text=True, timeout=60).stdout
    rows = json.loads(out or "[]")
    rows = rows if isinstance(rows, list) else [rows]
    return {int(r["ProcessId"]): Proc(int(r["ProcessId"]), int(r["ParentProcessId"] or 0),
                                      r.get("ExecutablePath") or "", r.get("CommandLine") or "",
                                      float(r["Created"]) if r.get("Created") else None)
            for r in rows}


def _ps_processes() -> dict[int, Proc]:
    out = subprocess.run(["ps", "-axo", "pid=,ppid=,stat=,command="], capture_output=True,
                         text=True, timeout=30).stdout
    table: dict[int, Proc] = {}
    for line in out.splitlines():
        parts = line.split(None, 3)
        if len(parts) < 4 or parts[2].startswith("Z"):
            continue
        table[int(parts[0])] = Proc(int(parts[0]), int(parts[1]), parts[3].split(" -")[0],
                                    parts[3])
    return table


def descendants(root: int, table: Mapping[int, Proc]) -> list[Proc]:
    """The processes ``root`` started, and theirs. Windows never clears a parent id whose
    process ended, and reuses ids: a "child" that started before its parent is not one."""
    found: list[Proc] = []
    frontier = [root]
    while frontier:
        parent = frontier.pop()
        born = table[parent].created if parent in table else None
        children = [p for p in table.values() if p.ppid == parent and p.pid != parent
                    and (born is None or p.created is None or p.created >= born)]
        found += children
        frontier += [c.pid for c in children]
    return found


def app_processes(folder: Path) -> list[Proc]:
    """Live processes whose executable is in ``folder`` (the build under test)."""
    prefix = os.path.normcase(str(folder.resolve()))
    return [p for p in process_table().values()
            if p.exe and os.path.normcase(p.exe).startswith(prefix)]


def loads_qt(pid: int) -> bool | None:
    """Whether the process has Qt's core library loaded (None: cannot tell on this system)."""
    if LINUX:
        try:
            with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as handle:
                return "libQt6Core" in handle.read()
        except OSError:
            return None
    if WINDOWS:
        script = f"(Get-Process -Id {pid}).Modules | ForEach-Object {{ $_.ModuleName }}"
        run = subprocess.run(["powershell", "-NoProfile", "-NonInteractive", "-Command", script],
                             capture_output=True, text=True, timeout=60)
        return "qt6core.dll" in run.stdout.lower() if run.returncode == 0 else None
    return None


def wait_gone(pids: Iterable[int], timeout: float = GONE_WITHIN_S) -> tuple[list[int], float]:
    """Wait until none of ``pids`` is alive; returns (those still alive, seconds waited)."""
    pids = set(pids)
    start = time.monotonic()
    while True:
        alive = sorted(pids & set(process_table()))
        waited = time.monotonic() - start
        if not alive or waited > timeout:
            return alive, waited
        time.sleep(0.1)


def wait_for(condition: Callable[[], Any], timeout: float, step: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def pool_workers(children: Iterable[Proc]) -> list[Proc]:
    return [p for p in children if "--multiprocessing-fork" in p.cmdline]


def expect_workers_without_qt(workers: Sequence[Proc], parent: int, folder: Path) -> None:
    """Spawned workers: this build's executable, in worker mode, children of ``parent``, no Qt."""
    for worker in workers:
        expect(worker.ppid == parent, f"worker {worker.pid} is not a child of {parent}")
        expect(os.path.normcase(worker.exe).startswith(os.path.normcase(str(folder.resolve())))
               or not worker.exe, f"worker {worker.pid} runs {worker.exe}, not the frozen app")
        expect("--multiprocessing-fork" in worker.cmdline,
               f"worker {worker.pid} is not in worker mode: {worker.cmdline}")
        expect(loads_qt(worker.pid) is not True,
               f"worker {worker.pid} has Qt loaded: it could open a window ({worker.cmdline})")


def stop(process: subprocess.Popen[str], timeout: float = 30) -> tuple[str, str]:
    """Wait for ``process`` (killing it after ``timeout``); its output. Never hangs: a
    leftover process that inherited its pipes keeps them open, so after the kill the
    output is read for a bounded time only (the leftover is then reported, not waited for)."""
    try:
        return process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
    try:
        return process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.wait(timeout=10)
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                stream.close()
        return "", f"(output not read: processes still hold {process.args[0]}'s pipes)"


def kill(process: subprocess.Popen[str], children: Sequence[Proc]) -> float:
    """SIGKILL (TerminateProcess on Windows) ``process``: no handler, no atexit, no cleanup.

    Returns the seconds until none of ``children`` is alive (they must notice
    by themselves), or raises if some still are after :data:`GONE_WITHIN_S`.
    """
    process.kill()
    process.wait()  # not communicate(): the workers hold the pipes until they exit
    left, waited = wait_gone(c.pid for c in children)
    stop(process, timeout=5)
    expect(not left, f"processes left {GONE_WITHIN_S:.0f} s after the app was killed: "
                     f"{[c for c in children if c.pid in left]}")
    return waited
