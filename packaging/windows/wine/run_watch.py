"""Run a Windows command under Wine and watch the processes it starts (Linux side).

    python3 run_watch.py [--env K=V ...] [--seconds N] [--shot PNG] [--match TEXT] -- wine EXE ...

Prints JSON: exit status, stdout, stderr (pipes: Wine 8 with CPython 3.11 cannot
use regular files as standard handles), wall time, every process seen whose
command line contains TEXT (pid, ppid, arguments, whether Qt6Core.dll was
mapped, when it was first seen), those still running a second after the end,
and the names of the X windows seen on $DISPLAY. ``--seconds`` ends a program
that does not end by itself (the window), after a screenshot if ``--shot``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import threading
import time

IGNORED_WINDOWS = ("Wine", "Default IME", "MSCTFIME UI")


def _process(pid: str, match: str) -> tuple[int, str, bool] | None:
    """(ppid, arguments, has Qt6Core.dll mapped) of a process whose arguments contain match."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            args = handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
        if match.lower() not in args.lower():
            return None
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as handle:
            qt = "qt6core.dll" in handle.read().lower()
    except (OSError, IndexError, ValueError):
        return None
    return ppid, args, qt


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


def _window_names(display: str) -> set[str]:
    try:
        tree = subprocess.run(["xwininfo", "-display", display, "-root", "-tree"],
                              capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    names = set()
    for line in tree.splitlines():
        line = line.strip()
        if line.startswith("0x") and '"' in line:
            name = line.split('"')[1]
            if name and name not in IGNORED_WINDOWS:
                names.add(name)
    return names


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--env", action="append", default=[])
    parser.add_argument("--seconds", type=float, default=None, help="end it after N s")
    parser.add_argument("--shot", default=None, help="screenshot (PNG) before ending it")
    parser.add_argument("--raise-window", default=None, metavar="TITLE",
                        help="before the screenshot, raise the windows whose title has TITLE")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--match", default="pseudocode-translator")
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    command = options.cmd[1:] if options.cmd[:1] == ["--"] else options.cmd
    env = dict(os.environ)
    for pair in options.env:
        key, value = pair.split("=", 1)
        env[key] = value
    display = env.get("DISPLAY", ":0")
    seen: dict[int, dict] = {}
    windows: set[str] = set()
    stop = threading.Event()
    start = time.monotonic()

    def scan() -> None:
        while not stop.is_set():
            for pid in os.listdir("/proc"):
                if not pid.isdigit() or int(pid) == os.getpid():  # our own arguments match
                    continue
                found = _process(pid, options.match)
                if found is None:
                    continue
                ppid, args, qt = found
                record = seen.setdefault(int(pid), {
                    "pid": int(pid), "ppid": ppid, "args": args, "qt6core": False,
                    "first_seen_s": round(time.monotonic() - start, 2)})
                record["qt6core"] = record["qt6core"] or qt
            windows.update(_window_names(display))
            time.sleep(0.1)

    watcher = threading.Thread(target=scan, daemon=True)
    watcher.start()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
    if options.seconds:
        time.sleep(options.seconds)
        if options.raise_window:  # above Wine's own windows (there is no window manager)
            subprocess.run(["xdotool", "search", "--name", options.raise_window, "windowraise"],
                           env=env, capture_output=True, timeout=30, check=False)
        if options.shot:
            subprocess.run(["import", "-display", display, "-window", "root", options.shot],
                           timeout=30, check=False)
        process.terminate()
    try:
        out, err = process.communicate(timeout=options.timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        try:
            out, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:  # a leftover holds the pipes: report, do not wait
            out, err = b"", b"(output not read: processes still hold the pipes)"
    wall = time.monotonic() - start
    time.sleep(1.0)
    stop.set()
    watcher.join()
    print(json.dumps({
        "rc": process.returncode, "wall_s": round(wall, 2),
        "stdout": out.decode("utf-8", "replace"), "stderr": err.decode("utf-8", "replace"),
        "processes": sorted(seen.values(), key=lambda r: r["first_seen_s"]),
        "left_running": [pid for pid in seen if _alive(pid)],
        "x_windows": sorted(windows)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
