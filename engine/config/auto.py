"""What "Auto" means for the process pool: the worker count and the start methods.

One place for the rules the pool, the settings dialog, the performance panel
and the status bar all state: an automatic worker count is ``max(2, CPUs)``,
never more than the machine's bound (4 per CPU, and 61 on Windows, where
``ProcessPoolExecutor`` waits on at most 64 handles); the start methods are
those the platform offers, in the order of :data:`ALLOWED_START_METHODS`.
Standard library only (``multiprocessing`` is imported when it is asked).
"""

from __future__ import annotations

import os
import sys

ALLOWED_START_METHODS = ("spawn", "forkserver", "fork")
# ProcessPoolExecutor's limit on Windows (WaitForMultipleObjects waits on at
# most 64 handles); the pool keeps to it so a config works on every platform.
WINDOWS_MAX_WORKERS = 61
# More workers than this per CPU only add memory (about 25 MB each) and start-up time.
WORKERS_PER_CPU = 4
# The fewest workers "Auto" starts: one pool worker would be slower than in-process.
MIN_AUTO_WORKERS = 2
# What an automatic start method means in the editor, whatever the platform: fork would
# copy the window's threads (and their locks) into the workers (gui/services/engine_service.py).
EDITOR_START_METHOD = "spawn"


def _platform(platform: str | None) -> str:
    return platform or sys.platform


def max_pool_workers(platform: str | None = None) -> int:
    """The most pool workers this machine may run: 4 per CPU (at least 2), 61 on Windows."""
    bound = max(MIN_AUTO_WORKERS, WORKERS_PER_CPU * (os.cpu_count() or 1))
    if _platform(platform) == "win32":
        bound = min(bound, WINDOWS_MAX_WORKERS)
    return bound


def automatic_workers(platform: str | None = None) -> int:
    """What an automatic ``process_pool_max_workers`` resolves to: one per CPU, at least
    2, within :func:`max_pool_workers` (the Windows cap included)."""
    return min(max(MIN_AUTO_WORKERS, os.cpu_count() or MIN_AUTO_WORKERS),
               max_pool_workers(platform))


def bound_reason(platform: str | None = None) -> str:
    """Why :func:`max_pool_workers` is what it is, for a message ("on Windows" ...)."""
    if _platform(platform) == "win32" and max_pool_workers(platform) == WINDOWS_MAX_WORKERS:
        return " on Windows"
    return f" for this machine ({WORKERS_PER_CPU} per CPU, {os.cpu_count() or 1} CPUs)"


def start_methods_offered(platform: str | None = None) -> list[str]:
    """The start methods this platform offers, in the order of ALLOWED_START_METHODS.

    For this machine, what ``multiprocessing`` reports; for another platform
    (tests, a config checked for Windows), spawn only on Windows, all three elsewhere.
    """
    if platform is None or platform == sys.platform:
        import multiprocessing

        offered = multiprocessing.get_all_start_methods()
    elif platform == "win32":
        offered = ["spawn"]
    else:
        offered = list(ALLOWED_START_METHODS)
    return [method for method in ALLOWED_START_METHODS if method in offered]


def resolve_start_method(configured: str | None) -> str:
    """The start method a pool uses: the configured one if this platform offers it; else
    spawn on Windows; else the one ``multiprocessing`` uses when none is chosen."""
    import multiprocessing

    if configured and configured in start_methods_offered():
        return configured
    if sys.platform == "win32":
        return "spawn"
    return multiprocessing.get_start_method(allow_none=True) or \
        multiprocessing.get_all_start_methods()[0]
