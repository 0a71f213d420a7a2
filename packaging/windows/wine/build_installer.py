"""Build the NSIS installer around the Windows one-folder build, with the project's build.py.

    python3 build_installer.py SRC OUT   # OUT/windist/pseudocode-translator -> OUT/windist/...-setup.exe
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(source: str, out: str) -> None:
    sys.path.insert(0, str(Path(source) / "packaging"))
    import build

    work = Path(out)
    folder = work / "windist" / "pseudocode-translator"
    setup = build.build_installer(folder, work / "windist" / "PseudocodeTranslator-setup.exe",
                                  work=work / "nsis")
    print(f"installer: {setup} {setup.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
