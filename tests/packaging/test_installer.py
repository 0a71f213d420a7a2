"""The Windows installer script (NSIS) and what the build feeds it, checked on any system.

makensis compiles packaging/windows/installer.nsi here too (Debian's nsis
package, installed by .ci/run), so a broken script fails before a Windows
runner sees it: once around a small stand-in folder named like the Windows
build (fast, always), once around the real one-folder build of this system
(marked ``frozen``, as it needs the build). In CI a missing makensis fails.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _stand_in_build(folder: Path) -> Path:
    """A folder shaped like the Windows one-folder build (what the script refers to)."""
    for name in ("pseudocode-translator.exe", "pseudocode-translator-gui.exe",
                 "_internal/python311.dll", "_internal/PySide6/Qt6Core.dll",
                 "_internal/engine/codegen/runtime.py", "_internal/resources/icons/app.ico",
                 "_internal/docs/language.md"):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"stand-in\n")
    return folder


def test_uninstaller_deletes_exactly_the_installed_files_then_empty_folders(
        build_script, tmp_path: Path) -> None:
    folder = _stand_in_build(tmp_path / "app")
    commands = build_script.uninstall_list(folder).splitlines()
    deleted = {line.split('"')[1] for line in commands if line.startswith("Delete ")}
    installed = {"$INSTDIR\\" + str(p.relative_to(folder)).replace("/", "\\")
                 for p in folder.rglob("*") if p.is_file()}
    assert deleted == installed
    removed = [line.split('"')[1] for line in commands if line.startswith("RMDir ")]
    assert not any("/r" in line for line in commands)  # never recursive: a user's file stays
    # Deepest folders first, so each is empty when its turn comes.
    assert removed.index("$INSTDIR\\_internal\\PySide6") < removed.index("$INSTDIR\\_internal")
    assert removed.index("$INSTDIR\\_internal\\engine\\codegen") < removed.index(
        "$INSTDIR\\_internal\\engine")


def test_version_comes_from_pyproject_everywhere(build_script) -> None:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        declared = tomllib.load(handle)["project"]["version"]
    version = build_script.Version.from_pyproject()
    assert version.text == declared
    assert version.dotted4.count(".") == 3
    resource = version.windows_version_info("Pseudocode Translator", "pseudocode-translator")
    ast.parse(resource)  # PyInstaller evaluates it as Python
    assert f"'ProductVersion', '{declared}'" in resource
    import engine

    assert engine.__version__ == declared, "engine.__version__ (--version) and pyproject differ"


def test_installer_script_compiles_around_a_stand_in_build(build_script, makensis,
                                                           tmp_path: Path) -> None:
    folder = _stand_in_build(tmp_path / "pseudocode-translator")
    setup = build_script.build_installer(folder, tmp_path / "PseudocodeTranslator-test-setup.exe", work=tmp_path / "work",
                                         compression="none", makensis=makensis)
    assert setup.stat().st_size > 50_000  # NSIS's stub, the UI and the payload
    assert setup.read_bytes()[:2] == b"MZ"  # a Windows executable


@pytest.mark.frozen
@pytest.mark.timeout(900)
def test_installer_script_compiles_around_this_systems_frozen_build(
        build_script, makensis, frozen_folder: Path, tmp_path: Path) -> None:
    setup = build_script.build_installer(frozen_folder, tmp_path / "PseudocodeTranslator-test-setup.exe",
                                         work=tmp_path / "work", compression="none",
                                         makensis=makensis)
    payload = build_script.folder_size(frozen_folder)
    assert setup.stat().st_size > payload  # uncompressed: every file is in it
