"""Entry point: decides between the command line and the desktop editor.

Kept tiny and free of Qt imports: ``multiprocessing.freeze_support()`` runs
first of all, so a frozen worker process of the process pool never starts a
second window or parses the app's arguments.
"""

from __future__ import annotations

import multiprocessing
import sys

COMMANDS = frozenset({"translate", "check", "run", "config"})


def _wants_gui(argv: list[str]) -> bool:
    if not argv:
        return True
    first = argv[0]
    return first not in COMMANDS and first != "gui" and not first.startswith("-")


def run_gui(files: list[str]) -> int:
    from gui.app import run  # Qt is imported only here

    return run(files)


def main(argv: list[str] | None = None) -> int:
    multiprocessing.freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    if _wants_gui(args):
        return run_gui(args)
    from engine.cli import main as cli_main

    return cli_main(args, gui_runner=run_gui)


def main_gui() -> int:
    return main()


if __name__ == "__main__":
    sys.exit(main())
