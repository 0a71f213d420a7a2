"""The spec's filter of unused Qt files, on the Linux and the Windows wheel layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

SPEC = Path(__file__).resolve().parents[2] / "packaging" / "pseudocode_translator.spec"


@pytest.fixture(scope="module")
def unused():
    """The spec's ``_unused``, without running the rest of the spec (PyInstaller's)."""
    source = SPEC.read_text(encoding="utf-8")
    start = source.index("# Qt plugins the app does not need")
    end = source.index("def strip_shared_libraries")
    names: dict = {"Path": Path}
    exec(compile(source[start:end], str(SPEC), "exec"), names)  # noqa: S102 - our own file
    return names["_unused"]


@pytest.mark.parametrize("dest", [
    # Windows wheel: plugins/ and translations/ right under PySide6/
    "PySide6/translations/qtbase_de.qm", "PySide6/plugins/generic/qtuiotouchplugin.dll",
    "PySide6/Qt6Network.dll", "PySide6/opengl32sw.dll", "PySide6/plugins/platforms/qminimal.dll",
    "PySide6/plugins/platforms/qdirect2d.dll", "PySide6/plugins/imageformats/qtiff.dll",
    "PySide6/plugins/iconengines/qsvgicon.dll",
    # Linux wheel: under PySide6/Qt/
    "PySide6/Qt/translations/qt_de.qm", "PySide6/Qt/plugins/generic/libqtuiotouchplugin.so",
    "PySide6/Qt/lib/libQt6Network.so.6", "libQt6Network.so.6",
    "PySide6/Qt/plugins/platforms/libqeglfs.so", "PySide6/Qt/lib/libQt6EglFsKmsSupport.so.6",
])
def test_left_out(unused, dest) -> None:
    assert unused(dest)


@pytest.mark.parametrize("dest", [
    "PySide6/plugins/platforms/qwindows.dll", "PySide6/plugins/platforms/qoffscreen.dll",
    "PySide6/plugins/imageformats/qico.dll", "PySide6/plugins/styles/qmodernwindowsstyle.dll",
    "PySide6/Qt6Core.dll", "PySide6/Qt6Widgets.dll", "PySide6/QtWidgets.pyd",
    "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/lib/libQt6XcbQpa.so.6", "numpy/_core/_multiarray_umath.pyd",
])
def test_kept(unused, dest) -> None:
    assert not unused(dest)
