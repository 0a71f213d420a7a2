"""The Windows release workflow refers to scripts and files that exist, on the runner it needs."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def test_release_workflow_builds_tests_and_uploads_the_installer_on_windows() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job = workflow["jobs"]["windows"]
    assert job["runs-on"] == "windows-latest"
    steps = job["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    for script in sorted(set(re.findall(r"packaging/[\w/]+\.py", runs))):
        assert (ROOT / script).is_file(), f"the workflow runs {script}, which does not exist"
    assert "packaging/build.py --installer" in runs
    assert "pytest tests/packaging" in runs
    uploads = [s["with"]["path"] for s in steps if str(s.get("uses", "")).startswith(
        "actions/upload-artifact")]
    assert any(path.endswith("-setup.exe") for path in uploads)
