"""Fixtures of the packaging tests: the packaging scripts, one frozen build per session, makensis.

The frozen build is made once per test session into build/test-dist (with
PyInstaller's cache in build/test-work, so a second run locally takes a few
seconds), or taken from ``PSEUDOCODE_FROZEN_DIST`` when a workflow has just
built it with packaging/build.py. What the frozen checks measure is printed
at the end of the run ("frozen build" section) and written to
build/smoke-report.json.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
REPORT: dict[str, Any] = {}


def _load(name: str) -> ModuleType:
    """A packaging script as a module (by path: ``build`` would clash with pypa's build)."""
    if str(PACKAGING) not in sys.path:
        sys.path.insert(0, str(PACKAGING))  # the scripts import buildinfo
    spec = importlib.util.spec_from_file_location(f"packaging_{name}", PACKAGING / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def build_script() -> ModuleType:
    return _load("build")


@pytest.fixture(scope="session")
def smoke() -> ModuleType:
    return _load("smoke_test")


@pytest.fixture(scope="session")
def smoke_support() -> ModuleType:
    """The smoke test's helpers (the build under test, the process table, waits)."""
    return _load("smoke_support")


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


@pytest.fixture(scope="session")
def frozen_folder(build_script: ModuleType) -> Path:
    """The one-folder build (built here unless PSEUDOCODE_FROZEN_DIST names one)."""
    given = os.environ.get("PSEUDOCODE_FROZEN_DIST")
    if given:
        folder = build_script.app_folder(Path(given))
        assert folder.is_dir(), f"PSEUDOCODE_FROZEN_DIST={given}: no {folder}"
        return folder
    if importlib.util.find_spec("PyInstaller") is None:
        if in_ci():
            pytest.fail('PyInstaller is not installed (it is in the "dev" extra)')
        pytest.skip('PyInstaller is not installed: pip install -e ".[dev]"')
    return build_script.build_app(ROOT / "build" / "test-dist", ROOT / "build" / "test-work",
                                  quiet=True)


@pytest.fixture(scope="session")
def frozen(smoke: ModuleType, frozen_folder: Path, tmp_path_factory: pytest.TempPathFactory):
    return smoke.Frozen(frozen_folder, tmp_path_factory.mktemp("frozen-home"))


@pytest.fixture(scope="session")
def corpus(smoke: ModuleType) -> Path | None:
    """The conformance corpus; without it only the comparison with the source tree is made."""
    found = smoke.find_corpus()
    if found is None and in_ci() and not os.environ.get("PSEUDOCODE_SMOKE_WITHOUT_CORPUS"):
        pytest.fail(f"conformance corpus not found at {smoke.CORPUS} (or ${smoke.CORPUS_ENV})")
    return found


@pytest.fixture(scope="session")
def report() -> dict[str, Any]:
    """Each frozen check stores what it measured here, for the summary at the end."""
    return REPORT


@pytest.fixture(scope="session")
def makensis(build_script: ModuleType) -> str:
    found = build_script.find_makensis()
    if found is None:
        if in_ci():
            pytest.fail("makensis not found: .ci/run installs Debian's nsis package")
        pytest.skip("makensis not found (apt install nsis)")
    return found


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not REPORT:
        return
    smoke = sys.modules.get("packaging_smoke_test")
    terminalreporter.section("frozen build")
    if smoke is not None:
        terminalreporter.write_line(smoke.summary(REPORT))
    for name, numbers in REPORT.items():
        terminalreporter.write_line(f"{name}: {json.dumps(numbers)}")
    path = ROOT / "build" / "smoke-report.json"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(REPORT, indent=2), encoding="utf-8")
    except OSError:
        pass
