"""The report of wine_check.sh: what each step measured and whether it passed.

    python3 report.py OUT     # prints the summary, writes OUT/report.json; exit 1 if a check failed

Reads the logs the steps left in OUT/logs and the build in OUT/windist.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _json(path: Path) -> Any:
    try:
        return json.loads(_text(path))
    except ValueError:
        return None


def _size(folder: Path) -> tuple[float, int]:
    total, files = 0, 0
    for directory, _subdirs, names in os.walk(folder):
        for name in names:
            total += (Path(directory) / name).stat().st_size
            files += 1
    return round(total / 1e6, 1), files


def build(out: Path) -> dict[str, Any]:
    folder = out / "windist" / "pseudocode-translator"
    if not folder.is_dir():
        return {"ok": False, "error": "no build: see logs/win_build.log"}
    size_mb, files = _size(folder)
    internal = folder / "_internal"
    qt_mb, _ = _size(internal / "PySide6")
    left_in = [str(p.relative_to(folder)) for p in internal.rglob("*")
               if p.suffix == ".qm" or p.name.lower() == "opengl32sw.dll"
               or p.name.startswith("Qt6Network")]
    version = _text(out / "logs" / "version.txt").strip()
    return {"ok": not left_in and version.startswith("pseudocode-translator "),
            "size_mb": size_mb, "files": files, "qt_mb": qt_mb,
            "build_s": int(_text(out / "logs" / "build_seconds").strip() or 0),
            "version": version, "unused_qt_files_left": left_in[:10]}


def frozen_translate(out: Path) -> dict[str, Any]:
    data = _json(out / "logs" / "frozen_translate.json")
    if not data:
        return {"ok": False, "error": "no result"}
    stats_line = next((line for line in data["stderr"].splitlines()
                       if line.startswith("stats:")), "")
    try:
        stats = json.loads(stats_line.split(":", 1)[1]) if stats_line else {}
    except ValueError:
        stats = {"raw": stats_line}
    workers = [p for p in data["processes"] if "--multiprocessing-fork" in p["args"]]
    events = stats.get("events", stats)
    completed = events.get("exec_pool.task_completed", 0) if isinstance(events, dict) else 0
    fallback = events.get("exec_pool.fallback", 0) if isinstance(events, dict) else 0
    return {"ok": data["rc"] in (0, 1) and bool(workers) and completed > 0 and fallback == 0
            and not any(p["qt6core"] for p in workers) and not data["left_running"],
            "exit": data["rc"], "wall_s": data["wall_s"], "stats": stats,
            "workers": len(workers), "workers_with_qt": sum(p["qt6core"] for p in workers),
            "left_running": data["left_running"]}


def smoke(out: Path) -> dict[str, Any]:
    log = _text(out / "logs" / "smoke.log")
    passed = re.findall(r"^ok\s+(\S+)\s+([\d.]+) s", log, re.MULTILINE)
    failed = [line for line in log.splitlines() if line.startswith(("FAILED", "Traceback"))
              or "TIMED OUT" in line]
    report = _json(out / "logs" / "smoke_report.json") or {}
    window = report.get("window", {})
    pool = report.get("pool", {})
    return {"ok": not failed and len(passed) == 6,
            "passed": [f"{name} ({seconds} s)" for name, seconds in passed],
            "failed": failed[:3] + ([log.strip().splitlines()[-1]] if failed else []),
            "window_shown_ms": window.get("window_shown_ms"),
            "process_start_to_event_loop_s": window.get("process_start_to_event_loop_s"),
            "pool_events": pool.get("events"),
            "first_pooled_translation_ms": pool.get("first_pooled_translation_ms"),
            "kill_cleanup_s": pool.get("kill_cleanup_s"),
            "window_kill_cleanup_s": window.get("kill_cleanup_s"),
            "cli_pool_timing": report.get("cli_pool_timing")}


def kill_race(out: Path) -> dict[str, Any]:
    runs = []
    for log in sorted((out / "logs").glob("kill_race_*.log")):
        last = _text(log).strip().splitlines()[-1:] or ["(no output)"]
        runs.append(last[0])
    ok = bool(runs) and all(re.search(r"still alive: \[\]$", run) for run in runs)
    return {"ok": ok, "runs": runs}


def window(out: Path) -> dict[str, Any]:
    data = _json(out / "logs" / "window.json") or {}
    windows = data.get("x_windows", [])
    workers = [p for p in data.get("processes", []) if "--multiprocessing-fork" in p["args"]]
    return {"ok": any("Pseudocode Translator" in name for name in windows)
            and not data.get("left_running"),
            "x_windows": windows, "workers": len(workers),
            "workers_with_qt": sum(p["qt6core"] for p in workers),
            "left_running": data.get("left_running"),
            "screenshot": str(out / "shots" / "window.png")}


def installer(out: Path) -> dict[str, Any]:
    setup = out / "windist" / "PseudocodeTranslator-setup.exe"
    log = _text(out / "logs" / "check_installer.log")
    lines = [line for line in log.splitlines() if line.startswith(("ok ", "FAIL", "SKIP"))]
    fails = [line for line in lines if line.startswith("FAIL")]
    crashed = "Traceback" in log or "TIMED OUT" in log
    left = _text(out / "logs" / "left_after_uninstall").strip()
    silent_rc = _text(out / "logs" / "silent_install_rc").strip()
    installed = _text(out / "logs" / "silent_installed_files.txt").split()
    return {"ok": setup.is_file() and bool(lines) and not fails and not crashed
            and silent_rc == "0" and "pseudocode-translator-gui.exe" in installed and left == "0",
            "size_mb": round(setup.stat().st_size / 1e6, 1) if setup.is_file() else None,
            "checks": {"ok": sum(line.startswith("ok ") for line in lines), "failed": len(fails),
                       "skipped": sum(line.startswith("SKIP") for line in lines)},
            "failed": fails, "skipped": [line for line in lines if line.startswith("SKIP")],
            "crashed": crashed, "silent_install_exit": silent_rc,
            "left_after_uninstall": left}


def main(out: Path) -> int:
    report = {"build": build(out), "frozen_translate": frozen_translate(out),
              "smoke": smoke(out), "kill_race": kill_race(out), "window": window(out),
              "installer": installer(out)}
    (out / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    for name, part in report.items():
        shown = {k: v for k, v in part.items() if k != "ok"}
        print(f"{'PASS' if part['ok'] else 'FAIL'}  {name}: {json.dumps(shown)}")
    failed = [name for name, part in report.items() if not part["ok"]]
    print("wine check: " + ("every check passed" if not failed else f"FAILED: {', '.join(failed)}")
          + f" (report: {out / 'report.json'})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
