"""packaging/windows/wine_check.sh: the Windows build and installer, checked under Wine.

The whole check takes about 10 minutes, needs root (apt) and the PyPI registry,
so it runs only when asked: ``PSEUDOCODE_WINE_CHECK=1 python3 -m pytest
tests/packaging/test_wine_check.py`` (skipped where Wine is absent, as in CI).
Its work folder is ``PSEUDOCODE_WINE_CHECK_OUT`` (default /tmp/pt-wine), kept
between runs so that the prefix, the Windows Python and the wheels are reused.
The script's syntax and its report's verdicts are checked always.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "windows" / "wine_check.sh"
REPORT = ROOT / "packaging" / "windows" / "wine" / "report.py"


def test_the_script_parses() -> None:
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    run = subprocess.run(["bash", "-n", str(SCRIPT)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr


def _report(out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPORT), str(out)], capture_output=True,
                          text=True, timeout=60)


def test_the_report_fails_when_a_step_left_nothing(tmp_path) -> None:
    (tmp_path / "logs").mkdir()
    run = _report(tmp_path)
    assert run.returncode == 1
    assert run.stdout.count("FAIL ") == 6, run.stdout
    assert "FAILED: build, frozen_translate, smoke, kill_race, window, installer" in run.stdout


def test_the_report_names_a_worker_left_behind(tmp_path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "kill_race_1.log").write_text("after 0.3 s still alive: []\n")
    (logs / "kill_race_2.log").write_text("after 10.0 s still alive: [1234]\n")
    run = _report(tmp_path)
    race = json.loads((tmp_path / "report.json").read_text())["kill_race"]
    assert not race["ok"] and "[1234]" in race["runs"][1]
    (logs / "kill_race_2.log").write_text("after 0.4 s still alive: []\n")
    run = _report(tmp_path)
    assert json.loads((tmp_path / "report.json").read_text())["kill_race"]["ok"], run.stdout


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("wine") is None,
                    reason="Wine is not installed (packaging/README.md: Windows under Wine)")
@pytest.mark.skipif(os.environ.get("PSEUDOCODE_WINE_CHECK") != "1",
                    reason="about 10 minutes, root and the network: PSEUDOCODE_WINE_CHECK=1")
def test_the_windows_build_and_installer_under_wine() -> None:
    out = Path(os.environ.get("PSEUDOCODE_WINE_CHECK_OUT", "/tmp/pt-wine"))
    run = subprocess.run(["bash", str(SCRIPT), str(out)], capture_output=True, text=True,
                         timeout=3500)
    summary = (out / "logs" / "summary.txt").read_text(encoding="utf-8", errors="replace") \
        if (out / "logs" / "summary.txt").is_file() else run.stdout[-4000:]
    print(summary)
    assert run.returncode == 0, summary + run.stderr[-4000:]
