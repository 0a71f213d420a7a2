"""gui/model/ is Qt-free: no import of PySide6, shiboken6 or pyqtgraph, and no gui module that
uses Qt, anywhere in a file (imports inside functions and TYPE_CHECKING blocks included).

"Uses Qt" is transitive: a gui module that imports Qt, or imports a gui module that does.
The runtime check below (``test_models_import_no_qt``) sees only what one import
executes; the first test reads every import statement of every file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.import_graph import ROOT, graph, imports_of, modules

QT_ROOTS = {"PySide6", "shiboken6", "pyqtgraph"}
MODEL = "gui.model"


def _qt_using_gui_modules() -> set[str]:
    found = modules(packages=("gui",))
    known = set(found)
    direct = {module for module, path in found.items()
              if any(name.split(".")[0] in QT_ROOTS for name, _ in imports_of(module, path, known))}
    edges = graph(packages=("gui",))
    using, changed = set(direct), True
    while changed:
        changed = False
        for module, targets in edges.items():
            if module not in using and using & set(targets):
                using.add(module)
                changed = True
    return using


def test_no_model_module_imports_qt_or_a_qt_using_gui_module() -> None:
    found = modules(packages=("gui",))
    known = set(found)
    qt_using = _qt_using_gui_modules()
    wrong = []
    for module, path in found.items():
        if module != MODEL and not module.startswith(MODEL + "."):
            continue
        for name, line in imports_of(module, path, known):
            if name.split(".")[0] in QT_ROOTS or name in qt_using:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert not wrong, "gui/model must stay Qt-free:\n" + "\n".join(wrong)


def test_the_check_sees_the_qt_modules_and_the_model() -> None:
    qt_using = _qt_using_gui_modules()
    # direct (imports PySide6), transitive (imports Qt only through other gui modules)
    assert {"gui.theme", "gui.widgets.code_editor", "gui.window.main_window"} <= qt_using
    assert not any(m == MODEL or m.startswith(MODEL + ".") for m in qt_using)
    assert {"gui.model.recovery", "gui.model.perf_model", "gui.model.syntax"} <= set(
        modules(packages=("gui",)))


def test_models_import_no_qt() -> None:
    code = ("import sys; import gui.model.perf_model, gui.model.pool_status, gui.model.settings_form, engine.folder_batch; "
            "print(any(m.startswith('PySide6.Qt') for m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, cwd=Path(__file__).resolve().parents[3])
    assert run.stdout.strip() == "False", run.stderr
