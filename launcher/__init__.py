"""The entry point: decide between the window and the command line, importing nothing heavy.

``multiprocessing.freeze_support()`` runs first of all, before Qt or
pyqtgraph can be imported, so a frozen worker process never opens a second
window. Then, in this order:

- ``--run-python FILE`` (hidden): run a generated program; how a frozen build
  runs programs, since its executable cannot run a .py file by itself;
- no arguments, ``gui [FILE]``, or a FILE that is not a subcommand: the window;
- anything else: the command line (``engine.cli``).
"""

from __future__ import annotations

import multiprocessing
import sys

SUBCOMMANDS = frozenset({"translate", "check", "run", "trace", "config"})


def _wants_gui(argv: list[str]) -> bool:
    if not argv or argv[0] == "gui":
        return True
    first = argv[0]
    return first not in SUBCOMMANDS and not first.startswith("-")


def main(argv: list[str] | None = None) -> int:
    """``pseudocode-translator``: the window, or a subcommand."""
    multiprocessing.freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) >= 2 and args[0] == "--run-python":
        from engine.execution.runner import run_python_file

        return run_python_file(args[1])
    if _wants_gui(args):
        from gui.app import run

        return run(args[1:] if args and args[0] == "gui" else args)
    from engine.cli import main as cli_main

    return int(cli_main(args) or 0)


def main_gui() -> int:
    """``pseudocode-translator-gui`` (no console window on Windows): always the window."""
    multiprocessing.freeze_support()
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] == "--run-python":
        from engine.execution.runner import run_python_file

        return run_python_file(args[1])
    from gui.app import run

    return run(args[1:] if args and args[0] == "gui" else args)


if __name__ == "__main__":
    sys.exit(main())
