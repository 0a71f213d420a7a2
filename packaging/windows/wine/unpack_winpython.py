"""Unpack WinPython's CPython (the ``cp311/`` folder of its data.zip) into the Wine prefix.

    python3 unpack_winpython.py DATA_ZIP DEST
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path


def main(archive: str, destination: str) -> None:
    dest = Path(destination)
    with zipfile.ZipFile(archive) as bundle:
        for info in bundle.infolist():
            relative = info.filename[len("cp311/"):] if info.filename.startswith("cp311/") else ""
            if relative and not info.is_dir():
                target = dest / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(bundle.read(info))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
