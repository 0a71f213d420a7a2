"""Kill the windowed app (TerminateProcess) DELAY s after its first pool worker appears;
report whether the workers are gone within 10 s. Run with the Windows CPython under Wine.

    python kill_race.py DELAY EXE FILE

A worker whose parent died while it started must exit quietly (launcher._freeze_support):
not stay behind a modal "Failed to execute script" dialog of the windowed bootloader.
The last line is "after N s still alive: [...]"; exit status 1 if any is.
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wine_proc  # noqa: E402

delay = float(sys.argv[1])
exe, sample = sys.argv[2], sys.argv[3]
env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PSEUDOCODE_EXEC_POOL_ENABLED="1",
           PSEUDOCODE_EXEC_POOL_START_METHOD="spawn", PSEUDOCODE_EXEC_POOL_MAX_WORKERS="2")
p = subprocess.Popen([exe, sample], env=env, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
t0 = time.monotonic()
def workers():
    return [(pid, cmd) for pid, ppid, _exe, cmd, _created in wine_proc.processes()
            if ppid == p.pid and "--multiprocessing-fork" in cmd]
while not workers() and time.monotonic() - t0 < 30:
    time.sleep(0.05)
w = workers()
print(f"workers seen after {time.monotonic() - t0:.2f} s: {[pid for pid, _ in w]}", flush=True)
time.sleep(delay)
w = workers()
p.kill()
p.wait()
if os.environ.get("CLOSE_HANDLE"):
    p._handle.Close()  # drop our handle to the dead app's process object
print(f"killed the app {delay} s later (workers then: {[pid for pid, _ in w]})", flush=True)
pids = {pid for pid, _ in w}
if not pids:
    print("no worker to race with: the app started none within 30 s", flush=True)
    sys.exit(2)
start = time.monotonic()
while time.monotonic() - start < 10:
    alive = pids & {row[0] for row in wine_proc.processes()}
    if not alive:
        break
    time.sleep(0.1)
print(f"after {time.monotonic() - start:.1f} s still alive: {sorted(alive)}", flush=True)
failed = bool(alive)
if os.environ.get("HOLD"):
    time.sleep(float(os.environ["HOLD"]))
    alive = pids & {row[0] for row in wine_proc.processes()}
    print(f"after HOLD {os.environ['HOLD']} s more, still alive: {sorted(alive)}", flush=True)
sys.exit(1 if failed else 0)
