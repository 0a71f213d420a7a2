"""packaging/smoke_test.py on the Windows build under Wine, in the Windows CPython.

The project's checks run unchanged, except the two helpers that call
powershell.exe (absent under Wine): the process table and "has Qt loaded",
replaced (in smoke_support.py) by Toolhelp32/PEB and EnumProcessModulesEx
(wine_proc.py). Qt's
messages are sent to stderr as in a console window (QT_FORCE_STDERR_LOGGING),
so a warning there fails the checks as it would in cmd.

    wine C:\\Python311\\python.exe wine_smoke.py SRC_ROOT -- SMOKE_ARGS...
"""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
src = sys.argv[1]
args = sys.argv[3:] if sys.argv[2:3] == ["--"] else sys.argv[2:]
sys.path.insert(0, os.path.join(src, "packaging"))

import smoke_support  # noqa: E402 - where the process table lives
import smoke_test as s  # noqa: E402
import wine_proc  # noqa: E402


def _windows_processes():
    return {pid: s.Proc(pid, ppid, exe, cmd, created)
            for pid, ppid, exe, cmd, created in wine_proc.processes()}


def loads_qt(pid):
    names = wine_proc.module_names(pid)
    return None if names is None else "qt6core.dll" in names


smoke_support._windows_processes = _windows_processes
smoke_support.loads_qt = loads_qt
os.environ.setdefault("QT_FORCE_STDERR_LOGGING", "1")  # as in a console window
only = os.environ.get("WINE_SMOKE_ONLY")
if only:  # run a subset of the checks, by name
    wanted = set(only.split(","))
    original = s.run_all

    def run_all(frozen, corpus, log=print):
        import json
        import time

        report = {}
        table = {
            "layout": lambda: s.check_layout(frozen),
            "cli": lambda: s.check_cli(frozen),
            "corpus": lambda: s.check_corpus(frozen, corpus),
            "pool": lambda: s.check_pool(frozen, corpus),
            "cli_pool_timing": lambda: s.check_cli_pool_timing(frozen, s.sample_program()),
            "window": lambda: s.check_window(frozen, s.sample_program()),
        }
        for name, check in table.items():
            if name not in wanted:
                continue
            start = time.perf_counter()
            report[name] = check()
            log(f"ok  {name:16} {time.perf_counter() - start:5.1f} s  {json.dumps(report[name])}")
        return report

    s.run_all = run_all
sys.exit(s.main(args))
