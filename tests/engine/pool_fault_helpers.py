"""Job functions for the pool's fault tests (imported by the workers, so top-level).

They set the executor's in-worker test seam directly instead of through an
environment variable, because a ``forkserver`` worker inherits the fork
server's environment, not the test's.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def _first_time(marker: str) -> bool:
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def stop_mid_send_once(marker: str, value: object) -> object:
    """Return ``value``; the first time (per ``marker`` file), stop half way through sending it."""
    if _first_time(marker):
        from engine.execution import seams

        seams.STOP_MID_SEND = True
    return value


def echo(value: object) -> object:
    return value


def parent_pid() -> int:
    return os.getppid()


def own_pid(_value: object = None) -> int:
    """The worker that ran the job."""
    return os.getpid()


# -- for the tests themselves (not run in workers)


def alive(pid: int) -> bool:
    if sys.platform == "win32":  # os.kill(pid, 0) would send CTRL_C_EVENT there
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if sys.platform.startswith("linux"):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except OSError:
            return False
        return state != "Z"
    return True


def wait_until(condition, timeout: float = 30.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return False
