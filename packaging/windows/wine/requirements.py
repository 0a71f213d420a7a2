"""The Windows wheels the Wine check installs: the project's dependencies, as pip would
choose them for CPython 3.11 on 64-bit Windows, plus the build tools.

    python3 requirements.py pyproject.toml     # one requirement per line

numpy is pinned to 1.26.4: numpy 2.x calls ucrtbase.crealf, which Wine 8.0 lacks.
"""

from __future__ import annotations

import sys
import tomllib

from packaging.requirements import Requirement

WINDOWS_311 = {"python_version": "3.11", "python_full_version": "3.11.9", "os_name": "nt",
               "sys_platform": "win32", "platform_system": "Windows",
               "platform_machine": "AMD64", "implementation_name": "cpython"}
WINE_PINS = {"numpy": "numpy==1.26.4"}
BUILD_TOOLS = ["pyinstaller>=6.10", "pefile>=2022.5.30", "pywin32-ctypes>=0.2.1"]


def requirements(pyproject: str) -> list[str]:
    with open(pyproject, "rb") as handle:
        declared = tomllib.load(handle)["project"]["dependencies"]
    chosen = []
    for line in declared:
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate(WINDOWS_311):
            continue
        requirement.marker = None
        chosen.append(WINE_PINS.get(requirement.name.lower(), str(requirement)))
    return chosen + BUILD_TOOLS


if __name__ == "__main__":
    print("\n".join(requirements(sys.argv[1])))
