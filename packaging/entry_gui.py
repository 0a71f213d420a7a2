"""Frozen entry of ``pseudocode-translator-gui`` (windowed, no console): always the window.

Same bundle as ``pseudocode-translator``; the launcher's ``main_gui`` also
calls ``multiprocessing.freeze_support()`` first (pool workers started from
this executable are this executable too).
"""

import sys

from launcher import main_gui

if __name__ == "__main__":
    sys.exit(main_gui())
