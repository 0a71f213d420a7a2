"""The public conformance corpus, through the real command line (as CI and users run it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "conformance"


def _corpus() -> Path:
    if not (CORPUS / "run_conformance.py").exists():
        if os.environ.get("CI"):
            pytest.fail(f"conformance corpus not found at {CORPUS}")
        pytest.skip("the shared conformance corpus is not beside this checkout")
    return CORPUS


def test_conformance_corpus_passes_through_the_cli(tmp_path: Path) -> None:
    corpus = _corpus()
    exe = shutil.which("pseudocode-translator")
    tool = f'"{exe}"' if exe else f'"{sys.executable}" -m launcher'
    result = subprocess.run(
        [sys.executable, str(corpus / "run_conformance.py"),
         "--translate", f"{tool} translate {{src}} -o {{py}}",
         "--check", f"{tool} check {{src}} --format json", "-j", "2"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout + result.stderr
    assert summary.endswith(" 0 failed") and not summary.startswith("0 passed"), summary
