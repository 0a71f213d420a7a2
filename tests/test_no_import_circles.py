"""No import circle anywhere in engine/, gui/, launcher/ and packaging/.

A circle hidden in a function-level import (gui.resources -> launcher -> gui.app ->
... -> gui.resources) or in a TYPE_CHECKING block (debug_ui <-> main_window) still
ties the modules together: neither can be understood, tested or moved alone.
"""

from __future__ import annotations

from pathlib import Path

from tests.import_graph import cycles, graph, modules


def test_no_import_circle_in_the_repository() -> None:
    edges = graph()
    circles = cycles(edges)
    described = ["\n  ".join(f"{a}:{edges[a][b]} imports {b}"
                             for a in circle for b in circle if b in edges[a])
                 for circle in circles]
    assert not circles, "import circles:\n  " + "\n\n  ".join(described)


def test_every_package_is_read() -> None:
    names = set(modules())
    assert {"engine.translator", "gui.window.main_window", "launcher", "launcher.desktop",
            "packaging.smoke_test"} <= names


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_a_circle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    _tree(tmp_path, {
        "app/__init__.py": "from app import low\n",          # package -> its submodule: fine
        "app/low.py": "def f():\n    from app import high\n",
        "app/high.py": "from .low import f\n",
        "app/other.py": "import app.high\n",
    })
    assert cycles(graph(tmp_path, ("app",))) == [["app.high", "app.low"]]


def test_a_circle_through_type_checking_and_between_scripts_is_found(tmp_path: Path) -> None:
    _tree(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.b import B\n",
        "pkg/b.py": "from pkg import a\n",
        "scripts/one.py": "import two\n",                    # a script folder: no __init__.py
        "scripts/two.py": "from one import main\n",
    })
    assert cycles(graph(tmp_path, ("pkg", "scripts"))) == [
        ["pkg.a", "pkg.b"], ["scripts.one", "scripts.two"]]


def test_a_submodule_importing_a_re_export_of_its_package_is_a_circle(tmp_path: Path) -> None:
    _tree(tmp_path, {
        "conf/__init__.py": "from conf.store import Manager\nfrom conf.schema import FIELDS\n",
        "conf/schema.py": "FIELDS = ()\n",
        "conf/store.py": "from conf import FIELDS\n",      # the package's name, not schema's
    })
    assert cycles(graph(tmp_path, ("conf",))) == [["conf", "conf.store"]]
