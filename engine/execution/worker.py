"""A pool worker's whole life, in the worker process: say ready, run jobs, never outlive the pool.

Everything here is a top-level function (the ``spawn`` start method pickles the
target by name, also in frozen Windows builds), and nothing here imports Qt.
The pool's side of the pipe is engine/execution/channel.py; the framing is
``multiprocessing.Connection``'s: a job ``(task_id, function, args)``, a reply
``(task_id, "ok" | "error", value, detail)``, pickled.
"""

from __future__ import annotations

import gc
import multiprocessing.connection
import os
import pickle
import sys
import threading
import traceback
from collections.abc import Sequence
from multiprocessing.reduction import ForkingPickler
from typing import Any

from engine.execution import seams
from engine.execution.jobs import portable_exception
from engine.execution.seams import TEST_CRASH_ENV


def watch_parent(lifeline: Any, pool_pid: int) -> None:
    """Exit the worker when the pool's process is gone (never an orphan).

    ``lifeline`` is the read end of a pipe whose only write end the pool's
    process holds and never writes to: it becomes readable (end of file) when
    that process ends, however the worker was started (spawn, fork or
    forkserver, whose workers are children of the fork server, not of the
    pool). ``pool_pid`` is a second check on POSIX, for the rare case of a
    stranger process that inherited the write end.
    """
    while True:
        try:
            if lifeline.poll(1.0):
                os._exit(0)
        except (EOFError, OSError, ValueError):
            os._exit(0)
        if pool_pid and sys.platform != "win32":
            try:
                os.kill(pool_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # the number now belongs to someone else's process
                os._exit(0)


def send_reply(conn: multiprocessing.connection.Connection, reply: Any) -> None:
    """Send one reply; a result that will not pickle becomes an error reply."""
    try:
        payload = bytes(ForkingPickler.dumps(reply, pickle.HIGHEST_PROTOCOL))
    except Exception as exc:
        payload = bytes(ForkingPickler.dumps((reply[0], "error", RuntimeError(
            f"the result could not be sent back: {type(exc).__name__}: {exc}"), "")))
    if seams.STOP_MID_SEND and sys.platform != "win32":  # test seam, see TEST_CRASH_ENV
        seams.STOP_MID_SEND = False
        import signal
        import struct
        half = len(payload) // 2
        # Connection's own framing on POSIX: a 4-byte big-endian length, then the bytes.
        os.write(conn.fileno(), struct.pack("!i", len(payload)) + payload[:half])
        os.kill(os.getpid(), signal.SIGSTOP)
        os.write(conn.fileno(), payload[half:])
        return
    conn.send_bytes(payload)


def run_job(task_id: int, func: Any, args: tuple[Any, ...]) -> tuple[int, str, Any, str]:
    """One job, as its reply. The cyclic collector waits meanwhile: a stage's objects all
    live until it ends, so collecting during the job would only walk them again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return (task_id, "ok", func(*args), "")
    except Exception as exc:
        return (task_id, "error", portable_exception(exc), traceback.format_exc())
    finally:
        if enabled:
            gc.enable()


def worker_main(conn: multiprocessing.connection.Connection, lifeline: Any = None,
                pool_pid: int = 0, inherited_fds: Sequence[int] = ()) -> None:
    """A worker's whole life: say ready, then run jobs until told to stop.

    ``inherited_fds`` (fork only) are the pool's ends of this worker's pipes,
    copied into the child by ``fork``: closed at once, so that only the pool's
    process keeps them open and their end of file means what it should.
    """
    seams.IN_WORKER = True
    for fd in inherited_fds:
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        import signal
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    except (ImportError, ValueError, OSError):
        pass
    if lifeline is not None:
        threading.Thread(target=watch_parent, args=(lifeline, pool_pid), daemon=True,
                         name="parent-watch").start()
    if os.environ.get(TEST_CRASH_ENV) == "startup":  # test seam: a worker that never starts
        os._exit(4)
    try:  # warm up (imports, first-use tables), so that the first job is not slower
        from engine.pipeline import translate_text
        translate_text("OUTPUT 1\n")
    except Exception:
        pass  # the job will report the problem
    # The engine's own objects (modules, tables) live as long as the worker: leave
    # them out of every later collection, which then walks only what jobs made.
    gc.collect()
    gc.freeze()
    try:
        conn.send(("ready", os.getpid()))
        while True:
            message = conn.recv()
            if message is None:
                break
            send_reply(conn, run_job(*message))
    except (EOFError, OSError, KeyboardInterrupt):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass
