"""The entry point: decide between the window and the command line, importing nothing heavy.

``multiprocessing.freeze_support()`` runs first of all, before Qt or
pyqtgraph can be imported, so a frozen worker process never opens a second
window (and a worker whose parent is already gone exits quietly). Then, in
this order:

- ``--run-python FILE`` (hidden): run a generated program; how a frozen build
  runs programs, since its executable cannot run a .py file by itself;
- no arguments, ``gui [FILE]``, or an existing FILE: the window;
- a subcommand or an option (``--help``, ``--install-desktop`` ...): the
  command line (``engine.cli``);
- anything else is a mistake, never the window: "unknown command
  'tranlsate': did you mean translate?" (or "no such file"), exit status 2.
"""

from __future__ import annotations

import os
import sys

# Every subcommand of engine.cli (a test keeps them equal; importing the parser here would
# slow every start).
SUBCOMMANDS = ("translate", "check", "run", "trace", "config", "gui")
EXIT_BAD_INPUT = 2


def _freeze_support() -> None:
    """Run a frozen pool worker, if this process is one; quietly exit if it cannot start.

    A spawn worker whose parent died while it started fails to duplicate the
    parent's pipe handle (Windows: WinError 6). Unhandled, the windowed
    bootloader shows a modal "Failed to execute script" dialog and the worker
    lingers until someone closes it; there is nobody left to tell.
    """
    if "--multiprocessing-fork" not in sys.argv[1:]:
        if getattr(sys, "frozen", False):  # a no-op otherwise, and the import costs 20 ms
            import multiprocessing

            multiprocessing.freeze_support()
        return
    import multiprocessing

    if sys.platform == "win32":
        _exit_with_parent(sys.argv)
    try:
        multiprocessing.freeze_support()
    except SystemExit:
        raise
    except BaseException:  # noqa: BLE001 - the parent is gone: nothing to report to
        os._exit(1)


def _exit_with_parent(argv: list[str]) -> None:
    """Windows: end this worker as soon as the process that started it is gone.

    Also while multiprocessing's bootstrap still waits for the data its parent
    was about to send: a parent killed at that moment never sends it, and where
    the pipe's other end stays open (Wine passes it to the worker too) the read
    would wait forever. The worker's own orphan check takes over once it runs.
    """
    pid = next((int(arg.split("=", 1)[1]) for arg in argv
                if arg.startswith("parent_pid=") and arg.split("=", 1)[1].isdigit()), None)
    if pid is None:
        return
    import _winapi  # Windows only
    import threading

    try:
        parent = _winapi.OpenProcess(0x00100000, False, pid)  # SYNCHRONIZE
    except OSError:
        os._exit(1)  # already gone

    def watch() -> None:
        _winapi.WaitForSingleObject(parent, _winapi.INFINITE)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def route(argv: list[str]) -> tuple[str, list[str]]:
    """Where the arguments go: ("gui", files), ("cli", argv) or ("error", [message])."""
    if not argv:
        return "gui", []
    first = argv[0]
    if first == "gui":
        return "gui", argv[1:]
    if first in SUBCOMMANDS or first.startswith("-"):
        return "cli", argv
    if os.path.isfile(first):
        return "gui", argv
    return "error", [_not_a_command(first)]


def _not_a_command(word: str) -> str:
    if os.path.isdir(word):
        return (f"'{word}' is a folder; to translate every .pseudo file in it: "
                f"pseudocode-translator translate {word} --out-dir OUT")
    if os.sep in word or "/" in word or "." in word:
        return f"no such file: '{word}'"
    import difflib

    close = difflib.get_close_matches(word, SUBCOMMANDS, n=1, cutoff=0.6)
    if close:
        return f"unknown command '{word}': did you mean {close[0]}?"
    return (f"unknown command '{word}' (the commands are {', '.join(SUBCOMMANDS)}; "
            "or give a .pseudo file to open; see --help)")


def _desktop(action: str) -> int:
    from launcher.desktop import run

    return run(action)


def _gui(files: list[str]) -> int:
    from gui.app import run

    return run(files)


def main(argv: list[str] | None = None) -> int:
    """``pseudocode-translator``: the window, or a subcommand."""
    _freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) >= 2 and args[0] == "--run-python":
        from engine.execution.runner import run_python_file

        return run_python_file(args[1])
    where, rest = route(args)
    if where == "gui":
        return _gui(rest)
    if where == "error":
        print(f"pseudocode-translator: {rest[0]}", file=sys.stderr)
        return EXIT_BAD_INPUT
    from engine.cli import main as cli_main

    return int(cli_main(args, gui_runner=_gui, desktop_runner=_desktop) or 0)


def main_gui() -> int:
    """``pseudocode-translator-gui`` (no console window on Windows): always the window."""
    _freeze_support()
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] == "--run-python":
        from engine.execution.runner import run_python_file

        return run_python_file(args[1])
    return _gui(args[1:] if args and args[0] == "gui" else args)


if __name__ == "__main__":
    sys.exit(main())
