"""The engine must never import Qt (the GUI is optional; workers must stay light)."""

from __future__ import annotations

import subprocess
import sys


def test_engine_imports_without_qt() -> None:
    code = (
        "import sys\n"
        "import engine.translator, engine.cli, engine.pipeline, engine.codegen.emit\n"
        "import importlib.util\n"
        "for name in ('engine.config', 'engine.events', 'engine.telemetry',"
        " 'engine.execution.process_pool', 'engine.execution.runner'):\n"
        "    if importlib.util.find_spec(name) is not None:\n"
        "        __import__(name)\n"
        "engine.translator.TranslationManager().translate('OUTPUT 1')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in"
        " ('PySide6', 'shiboken6', 'pyqtgraph', 'gui'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"engine imported: {result.stdout.strip()}"
