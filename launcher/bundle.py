"""Where the bundled files (``resources/`` and ``docs/``) are, wherever the app runs from.

Three layouts: the PyInstaller bundle (``sys._MEIPASS``), the source tree (an
editable install or a checkout), and a regular ``pip install``, where the
wheel's data files land under ``<prefix>/share/pseudocode-translator``
(pyproject.toml ``[tool.setuptools.data-files]``). Standard library only: the
command line uses it before any Qt import.
"""

from __future__ import annotations

import sys
from pathlib import Path

INSTALLED_DATA = ("share", "pseudocode-translator")


def root() -> Path:
    """The folder that holds ``resources/`` and ``docs/``."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    source = Path(__file__).resolve().parent.parent
    if (source / "resources").is_dir():
        return source
    installed = Path(sys.prefix).joinpath(*INSTALLED_DATA)
    return installed if (installed / "resources").is_dir() else source
