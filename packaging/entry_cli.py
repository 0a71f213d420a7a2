"""Frozen entry of ``pseudocode-translator`` (console): the launcher's ``main``.

The launcher calls ``multiprocessing.freeze_support()`` before anything else,
so a process-pool worker (``--multiprocessing-fork``) or the resource tracker
started from this executable runs its job and exits without ever parsing the
app's arguments or importing Qt.
"""

import sys

from launcher import main

if __name__ == "__main__":
    sys.exit(main())
