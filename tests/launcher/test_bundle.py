"""A regular (non-editable) install finds its examples, icons and language reference."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from launcher import bundle

ROOT = Path(__file__).resolve().parents[2]


def test_the_source_tree_is_the_root_in_a_checkout() -> None:
    assert bundle.root() == ROOT
    assert (bundle.root() / "resources" / "examples").is_dir()


def test_an_installed_copy_under_the_prefix_is_found(tmp_path: Path, monkeypatch) -> None:
    # The package alone, as pip lays it out in site-packages (no resources/ beside it),
    # and the wheel's data files under the prefix.
    site = tmp_path / "site-packages" / "launcher"
    site.mkdir(parents=True)
    tmp_path.joinpath(*bundle.INSTALLED_DATA, "resources", "examples").mkdir(parents=True)
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    monkeypatch.setattr(bundle, "__file__", str(site / "bundle.py"))
    assert bundle.root() == tmp_path.joinpath(*bundle.INSTALLED_DATA)


@pytest.mark.slow
def test_the_wheel_carries_the_window_data_files(tmp_path: Path) -> None:
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                            "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=600)
    if build.returncode != 0 and "Could not find a version" in build.stderr:
        pytest.skip(f"cannot build a wheel here: {build.stderr.strip()[-200:]}")
    assert build.returncode == 0, build.stderr
    wheel = next(tmp_path.glob("pseudocode_translator-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    share = [n.split(".data/data/", 1)[1] for n in names if ".data/data/" in n]
    prefix = "/".join(bundle.INSTALLED_DATA)
    assert f"{prefix}/docs/language.md" in share
    assert f"{prefix}/resources/default_config.yaml" in share
    assert f"{prefix}/resources/examples/02_bubble_sort.pseudo" in share
    assert f"{prefix}/resources/icons/app-64.png" in share
    assert "launcher/bundle.py" in names
