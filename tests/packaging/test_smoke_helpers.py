"""The smoke test's own helpers: who is a child (pids are reused), and stopping never hangs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest


def test_a_process_older_than_its_parent_is_not_its_child(smoke_support) -> None:
    """Windows keeps a dead parent's id in ParentProcessId and reuses ids: a process that
    started before the app, whose recorded parent id the app now has, is not the app's."""
    Proc = smoke_support.Proc
    table = {
        40: Proc(40, 1, "app.exe", "app.exe", created=200.0),         # the app (reused id 40)
        41: Proc(41, 40, "app.exe", "app.exe --multiprocessing-fork", created=210.0),
        42: Proc(42, 41, "app.exe", "app.exe -c tracker", created=220.0),
        56: Proc(56, 40, "services.exe", "services.exe", created=5.0),   # parent: the old 40
        68: Proc(68, 56, "winedevice.exe", "winedevice.exe", created=6.0),
    }
    assert sorted(p.pid for p in smoke_support.descendants(40, table)) == [41, 42]
    unknown = {pid: Proc(p.pid, p.ppid, p.exe, p.cmdline) for pid, p in table.items()}
    assert sorted(p.pid for p in smoke_support.descendants(40, unknown)) == [41, 42, 56, 68]


@pytest.mark.skipif(sys.platform == "win32", reason="the grandchild is started the POSIX way")
@pytest.mark.timeout(120)
def test_stop_returns_although_a_leftover_holds_the_pipes(smoke_support) -> None:
    """A leftover process holding the app's stdout used to turn the failure into a hang."""
    code = ("import subprocess, sys, time\n"
            "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(90)'])\n"
            "print(child.pid, flush=True)\n"
            "time.sleep(90)\n")
    process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    leftover = int(process.stdout.readline())
    try:
        start = time.monotonic()
        _out, err = smoke_support.stop(process, timeout=1)
        assert time.monotonic() - start < 40
        assert process.returncode is not None
        assert "still hold" in err
    finally:
        os.kill(leftover, signal.SIGKILL)
