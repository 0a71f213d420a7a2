"""Test seams of the pool's workers: faults and delays a test asks for by environment.

Read only inside pool workers (``IN_WORKER``), never in-process, so they have no
effect on the app otherwise. Documented in docs/process_pool.md ("Test seams").
Here, below both the job functions (which call ``test_fault``) and the pool
(whose worker loop sets ``IN_WORKER`` and whose reply sender honours
``STOP_MID_SEND``), so neither imports the other for them.
"""

from __future__ import annotations

import os
import sys
import time

TEST_DELAY_ENV = "PSEUDOCODE_TEST_WORKER_DELAY_MS"  # sleep this long before the job
TEST_CRASH_ENV = "PSEUDOCODE_TEST_WORKER_CRASH"     # exit | kill | segv: die at job start;
#                                                     startup: die before saying ready
TEST_MATCH_ENV = "PSEUDOCODE_TEST_WORKER_MATCH"     # only for jobs whose text contains this
TEST_KIND_ENV = "PSEUDOCODE_TEST_WORKER_KIND"       # only for this stage: parse | validate
TEST_ONCE_ENV = "PSEUDOCODE_TEST_WORKER_ONCE"       # a path: fault only if it can be created
# PSEUDOCODE_TEST_WORKER_CRASH=stop_mid_send: the worker sends half of the job's
# result, then stops itself with SIGSTOP (POSIX only), as a worker stopped while
# writing a large result would.

IN_WORKER = False  # set by the pool's worker loop
STOP_MID_SEND = False  # set by test_fault for the job being run; read by the reply sender


def test_fault(kind: str, text: str) -> None:
    """Delay or crash this job as the environment asks (``kind``: parse | validate;
    ``text``: the job's pseudocode, for TEST_MATCH_ENV)."""
    global STOP_MID_SEND
    env = os.environ
    delay = env.get(TEST_DELAY_ENV, "")
    crash = env.get(TEST_CRASH_ENV, "")
    if not IN_WORKER or not (delay or crash):
        return
    if env.get(TEST_KIND_ENV, kind) != kind:
        return
    match = env.get(TEST_MATCH_ENV, "")
    if match and match not in text:
        return
    once = env.get(TEST_ONCE_ENV, "")
    if once:
        try:
            os.close(os.open(once, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
    if delay:
        time.sleep(int(delay) / 1000.0)
    if crash == "stop_mid_send":
        STOP_MID_SEND = True
    elif crash == "exit":
        os._exit(3)
    elif crash == "kill":
        if sys.platform == "win32":
            os._exit(9)
        import signal
        os.kill(os.getpid(), signal.SIGKILL)
    elif crash == "segv":
        import ctypes
        ctypes.string_at(0)


test_fault.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
