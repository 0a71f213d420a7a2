"""The ``pseudocode-translator`` command line.

Subcommands: ``translate``, ``check``, ``run``, ``trace`` (and ``config``, ``gui``).
Exit status (also in ``--help``):

- 0 success; 1 the pseudocode has errors (or, for ``run``, the program failed);
- 2 a file could not be used: missing, not a regular file (a folder, a named
  pipe, a device), too large, binary, a path too long, or an output file that
  cannot be written;
- 3 standard output could not be written (a full device, an I/O error);
- 141 standard output was closed early (``| head``): quietly, as when a
  command is ended by SIGPIPE;
- 130 interrupted (Ctrl+C); 70 an internal error (a bug: please report it).

Every failure is one line on standard error, never a traceback.

``translate DIR_OR_FILES... --out-dir D`` translates many files at once,
through the process pool when it is enabled (docs/process_pool.md).
"""

from __future__ import annotations

import argparse
import collections
import errno
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from engine import __version__, sources
from engine.sources import SourceProblem, describe_os_error, shown_path

if TYPE_CHECKING:
    from engine.folder_batch import BatchSummary
    from engine.language.diagnostics import Diagnostic
    from engine.translator import TranslationManager, TranslationResult

# The engine is imported by the commands that translate, not here: ``--version`` and
# ``--help`` answer without it (start-up time).

EXIT_OK, EXIT_ERRORS, EXIT_BAD_INPUT = 0, 1, 2
EXIT_OUTPUT_FAILED = 3     # standard output could not be written
EXIT_INTERNAL = 70         # EX_SOFTWARE: a bug
EXIT_INTERRUPTED = 130     # 128 + SIGINT
EXIT_BROKEN_PIPE = 141     # 128 + SIGPIPE: what a shell shows for `... | head`

EXIT_STATUS_HELP = """\
exit status:
  0 success    1 the pseudocode has errors (run: the program failed)
  2 a file could not be used (missing, not a regular file, too large, binary,
    path too long, output file not writable)
  3 standard output could not be written (full device, I/O error)
  141 standard output closed early (| head)    130 interrupted    70 internal error
"""


class UsageError(Exception):
    """The command line asks for something that cannot be done; the message says why."""


class OutputError(Exception):
    """Standard output cannot be written (not a closed pipe: that is BrokenPipeError)."""


def read_source(path: str) -> str:
    """Read a pseudocode file (or standard input for ``-``) as text, or raise SourceProblem
    (``engine.sources``: the editor's rules, size limit and messages)."""
    if path == "-":
        return sources.read_stream(sys.stdin.buffer).text
    return sources.read_source(path, name=shown_path(path)).text


def _is_dir(path: str) -> bool:
    """``Path.is_dir`` that never raises (a path too long is simply not a folder)."""
    try:
        return Path(path).is_dir()
    except (OSError, ValueError):
        return False


def _load_config() -> object:
    """The effective configuration, or None when the config module is unavailable."""
    try:
        from engine.config import ConfigManager
    except ImportError:
        return None
    try:
        manager = ConfigManager()
        config = manager.load()
        for warning in getattr(manager, "warnings", []) or []:
            print(f"warning: {warning}", file=sys.stderr)
        return config
    except Exception as error:  # noqa: BLE001 - a broken config must not stop the CLI
        print(f"warning: configuration ignored ({error})", file=sys.stderr)
        return None


def _display_name(path: str) -> str:
    return "<stdin>" if path == "-" else path


def format_text(diagnostics: list[Diagnostic], filename: str) -> str:
    return "\n".join(d.format(filename) for d in diagnostics)


def _print_problems(result: TranslationResult, filename: str, stream=None) -> None:
    stream = stream or sys.stderr
    if result.diagnostics:
        print(format_text(result.diagnostics, filename), file=stream)


def cmd_translate(args: argparse.Namespace) -> int:
    paths: list[str] = args.files
    if args.out_dir is not None:
        if args.output:
            raise UsageError("-o names one output file; with --out-dir each file is "
                             "written as DIR/NAME.py")
        return cmd_translate_many(args)
    if len(paths) > 1 or (paths[0] != "-" and _is_dir(paths[0])):
        raise UsageError("several files or a folder need --out-dir DIR (where to write "
                         "the Python files)")
    args.file = paths[0]
    return cmd_translate_one(args)


def cmd_translate_one(args: argparse.Namespace) -> int:
    text = read_source(args.file)
    name = _display_name(args.file)
    result = _translate(args, text)
    _print_problems(result, name)
    if not result.success:
        print(f"{name}: not translated: {len(result.errors)} error(s)", file=sys.stderr)
        return EXIT_ERRORS
    if not text.strip():
        print(f"{name} is empty: the Python program does nothing", file=sys.stderr)
    code = _styled_code(result, args, name)
    if code is None:
        return EXIT_ERRORS
    if args.output:
        sources.write_named_output(args.output, code)  # SourceProblem says why not
    else:
        _write_stdout(code)
    return EXIT_OK


def _styled_code(result: TranslationResult, args: argparse.Namespace, name: str) -> str | None:
    """The Python in the style asked for (--style, else translation.python_style)."""
    style = getattr(args, "chosen_style", "checked")
    if style == "plain" and not result.plain_code:
        print(f"{name}: the plain style could not be made: {result.plain_error}",
              file=sys.stderr)
        return None
    return result.code_in(style)


# -- many files: translate DIR_OR_FILES... --out-dir D (engine.folder_batch: the rules of
# File > Translate Folder)


class ProgressBar:
    """A one-line bar on standard error, only when it is a terminal."""

    def __init__(self, total: int, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.enabled = total > 0 and getattr(self.stream, "isatty", lambda: False)()
        self._last = 0.0

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < self.total and now - self._last < 0.1:
            return
        self._last = now
        width = 30
        filled = width * done // self.total
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} files")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def cmd_translate_many(args: argparse.Namespace) -> int:
    from engine.folder_batch import FileOutcome, FolderBatch
    from engine.translator import TranslationManager

    out_dir = Path(args.out_dir)
    manager = TranslationManager(_load_config())
    if getattr(args, "strict", False):
        manager.force_strict = True
    _choose_style(args, manager)
    bar: ProgressBar | None = None

    def progress(done: int, total: int, _name: str) -> None:
        nonlocal bar
        if bar is None:
            bar = ProgressBar(total)
        bar.update(done)

    def show(outcome: FileOutcome) -> None:
        if outcome.diagnostics or (outcome.errors and not outcome.unusable):
            if bar is not None and bar.enabled:
                bar.stream.write("\r\033[K")
            if outcome.diagnostics:
                print(format_text(outcome.diagnostics, str(outcome.source)), file=sys.stderr)
            else:
                print(f"{outcome.source}: {outcome.message}", file=sys.stderr)

    counts: collections.Counter[str] = collections.Counter()
    watch = manager.events.subscribe(lambda event: counts.update([str(event.type)]))
    batch = FolderBatch(args.files, out_dir, manager.translate_many, progress=progress,
                        style=args.chosen_style, on_outcome=show)
    try:
        summary = batch.run()
    finally:
        if bar is not None:
            bar.close()
        manager.shutdown()
        watch.cancel()
    if summary.failure:
        raise UsageError(summary.failure)
    if not summary.outcomes:
        raise UsageError("; ".join(summary.problems) or "no pseudocode files given")
    return _report_batch(args, summary, counts)


def _report_batch(args: argparse.Namespace, summary: BatchSummary,
                  counts: collections.Counter[str]) -> int:
    """The end of ``translate --out-dir``: problems, files with errors, one summary line."""
    outcomes = summary.outcomes
    unusable = list(summary.problems) + [o.problem.line if o.problem else o.message
                                         for o in outcomes if o.unusable]
    with_errors = [o for o in outcomes if o.errors and not o.unusable]
    if getattr(args, "stats", False):
        seconds = summary.seconds
        stats = {"files": len(outcomes), "seconds": round(seconds, 3),
                 "docs_per_s": round(len(outcomes) / seconds, 1) if seconds else None,
                 "events": dict(sorted(counts.items()))}
        print("stats: " + json.dumps(stats), file=sys.stderr)
    for problem in unusable:
        print(f"pseudocode-translator: {problem}", file=sys.stderr)
    if with_errors:
        print("files with errors (not translated):", file=sys.stderr)
        for outcome in with_errors:
            print(f"  {outcome.source}: {outcome.errors} error(s), {outcome.warnings} "
                  "warning(s)", file=sys.stderr)
    total = len(outcomes) + len(summary.problems)
    from engine.folder_batch import hidden_folders_note

    note = hidden_folders_note(summary.hidden)
    print(f"{total} file(s): {summary.written} translated into "
          f"{summary.out_dir}, {len(with_errors)} with errors, "
          f"{len(unusable)} not usable" + (f"; {note}" if note else ""), file=sys.stderr)
    if unusable:
        return EXIT_BAD_INPUT
    return EXIT_ERRORS if with_errors else EXIT_OK


def cmd_config(args: argparse.Namespace) -> int:
    """``config show``: the effective configuration and where each value came from."""
    from engine.config import ConfigManager, render_config_show

    manager = ConfigManager()
    manager.load()  # lenient: problems are warnings, never an exception
    if args.config_command == "path":
        _write_stdout(f"{manager.path}\n")
        return EXIT_OK
    for warning in manager.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    _write_stdout(render_config_show(manager, args.format))
    return EXIT_OK


def _choose_style(args: argparse.Namespace, manager: TranslationManager) -> None:
    """--style wins over translation.python_style; ``args.chosen_style`` is the result.
    Only translate shows the Python: check and run need no plain style (run runs checked)."""
    if getattr(args, "command", "translate") != "translate":
        manager.force_style = "checked"
    elif getattr(args, "style", None):
        manager.force_style = args.style
    args.chosen_style = manager.python_style


def _translate(args: argparse.Namespace, text: str, check_only: bool = False
               ) -> TranslationResult:
    from engine.translator import TranslationManager

    manager = TranslationManager(_load_config())
    if getattr(args, "strict", False):
        manager.force_strict = True
    _choose_style(args, manager)
    try:
        return manager.check(text) if check_only else manager.translate(text)
    finally:
        shutdown = getattr(manager, "shutdown", None)
        if callable(shutdown):
            shutdown()


def cmd_check(args: argparse.Namespace) -> int:
    text = read_source(args.file)
    name = _display_name(args.file)
    result = _translate(args, text, check_only=True)
    if args.format == "json":
        _write_stdout(json.dumps([d.to_dict() for d in result.diagnostics], indent=2) + "\n")
    else:
        if result.diagnostics:
            _write_stdout(format_text(result.diagnostics, name) + "\n")
        errors, warnings = len(result.errors), len(result.warnings)
        summary = "no problems" if not result.diagnostics else (
            f"{errors} error(s), {warnings} warning(s)")
        if not text.strip():
            summary = "empty file: " + summary
        print(f"{name}: {summary}", file=sys.stderr)
    return EXIT_ERRORS if result.errors else EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    text = read_source(args.file)
    name = _display_name(args.file)
    result = _translate(args, text)
    problems = result.errors
    if not result.success:
        print(format_text(problems, name), file=sys.stderr)
        print(f"{name}: not run: {len(problems)} error(s)", file=sys.stderr)
        return EXIT_ERRORS
    return run_python(result.code, name)


def cmd_trace(args: argparse.Namespace) -> int:
    """``trace FILE``: run the program and print its trace table (exam layout)."""
    from engine.tracing.info import prepare
    from engine.tracing.session import run_trace

    text = read_source(args.file)
    name = _display_name(args.file)
    inputs: list[str] = []
    if args.input:
        inputs = read_source(args.input).splitlines()
    program = prepare(text, strict=args.strict)
    if not program.ok:
        print(format_text(program.errors, name), file=sys.stderr)
        print(f"{name}: not traced: {len(program.errors)} error(s)", file=sys.stderr)
        return EXIT_ERRORS
    cwd = os.path.dirname(os.path.abspath(args.file)) if args.file != "-" else None
    table = run_trace(program, inputs, cwd=cwd, max_rows=args.max_rows)
    chosen = [c for c in args.columns.split(",")] if args.columns else None
    if args.format == "csv":
        _write_stdout(table.to_csv(chosen, args.line_numbers))
    elif args.format == "html":
        _write_stdout(table.to_html(chosen, args.line_numbers, title=f"Trace table: {name}"))
    else:
        _write_stdout(table.to_markdown(chosen, args.line_numbers))
    if table.note and args.format != "markdown":
        print(table.note, file=sys.stderr)
    if table.status == "error" and "INPUT" in table.note:
        print("give the lines INPUT reads with --input FILE", file=sys.stderr)
    return EXIT_ERRORS if table.status == "error" else EXIT_OK


def run_python(code: str, filename: str) -> int:
    """Run a generated program in this process, as ``python3 program.py`` would."""
    namespace: dict[str, object] = {"__name__": "__main__", "__file__": filename}
    sys.stdout.flush()
    try:
        compiled = compile(code, filename, "exec")
        exec(compiled, namespace)  # noqa: S102 - running the user's translated program is the job
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else EXIT_ERRORS
    except BrokenPipeError:
        raise  # the reader of the output is gone (`| head`): not the program's fault
    except OSError as error:
        if error.filename is None and error.errno in (errno.ENOSPC, errno.EIO):
            _silence_stdout()
            raise OutputError("cannot write to standard output "
                              f"({error.strerror or error})") from None
        return _report_program_error(namespace, error)
    except BaseException as error:  # noqa: BLE001 - reported like the program itself would
        return _report_program_error(namespace, error)
    finally:
        sys.stdout.flush()
    return EXIT_OK


def _report_program_error(namespace: dict[str, object], error: BaseException) -> int:
    hook = namespace.get("_report_runtime_error")
    if callable(hook):
        hook(type(error), error, error.__traceback__)
    else:
        print(f"Runtime error: {error}", file=sys.stderr)
    return EXIT_ERRORS


def _write_stdout(text: str) -> None:
    """Write to standard output; a failure is OutputError (BrokenPipeError passes through)."""
    try:
        try:
            sys.stdout.write(text)
        except UnicodeEncodeError:
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        _silence_stdout()
        raise OutputError(f"cannot write to standard output ({error.strerror or error})") \
            from None


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's last flush
    of what is still buffered cannot fail again (and print a traceback) at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _say(message: str) -> None:
    """One line on standard error, even when standard error itself is broken."""
    try:
        print(f"pseudocode-translator: {message}", file=sys.stderr)
    except (OSError, ValueError):
        pass


class _TopLevelParser(argparse.ArgumentParser):
    """The command's parser; its epilog lists the environment variables, generated from the
    settings schema when the help is printed (``--version`` never loads the schema)."""

    def format_help(self) -> str:
        from engine.config.show import environment_help

        self.epilog = f"{environment_help()}\n{EXIT_STATUS_HELP}"
        return super().format_help()


def build_parser() -> argparse.ArgumentParser:
    parser = _TopLevelParser(
        prog="pseudocode-translator",
        description="Translate Cambridge International pseudocode (9618/0478) into Python. "
                    "With no command, or with a FILE, the desktop editor opens.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version",
                        version=f"pseudocode-translator {__version__}")
    desktop = parser.add_mutually_exclusive_group()
    desktop.add_argument("--install-desktop", dest="desktop_action", action="store_const",
                         const="install", help="Linux: add the editor to the desktop's menu and "
                         "open .pseudo files with it (a .desktop entry, icon and MIME type in "
                         "your XDG folders)")
    desktop.add_argument("--uninstall-desktop", dest="desktop_action", action="store_const",
                         const="uninstall", help="Linux: remove what --install-desktop added")
    # The commands' parsers are plain ones: the environment epilog (laid out for the
    # top level's raw formatter) would be re-wrapped into one paragraph in theirs.
    sub = parser.add_subparsers(dest="command", metavar="COMMAND",
                                parser_class=argparse.ArgumentParser)
    translate = sub.add_parser(
        "translate", help="write the Python for a pseudocode file (or many, with --out-dir)",
        description="Translate one file (to standard output or -o FILE), or many files and "
                    "folders (every .pseudo file in them; hidden folders such as .git are not "
                    "searched, and the summary names them) into --out-dir. With many files the "
                    "exit status is 1 if any file has errors, 2 if any could not be read.")
    translate.add_argument("files", nargs="+", metavar="FILE_OR_DIR",
                           help="pseudocode file, or - for standard input; with --out-dir, "
                                "any number of files and folders")
    translate.add_argument("-o", "--output", help="write the Python here (default: stdout)")
    translate.add_argument("--out-dir", metavar="DIR",
                           help="translate every file given into DIR (NAME.pseudo -> NAME.py)")
    translate.add_argument("--strict", action="store_true",
                           help="undeclared variables are errors")
    translate.add_argument("--style", choices=("checked", "plain"), default=None,
                           help="checked: runtime checks, errors name the pseudocode line "
                                "(what run runs); plain: the Python a teacher would write "
                                "(default: the setting translation.python_style, checked)")
    translate.add_argument("--stats", action="store_true",
                           help="with --out-dir: print the translation and pool event counts "
                                "and the throughput as JSON on standard error")
    translate.set_defaults(handler=cmd_translate)
    check = sub.add_parser("check", help="report the problems in a pseudocode file")
    check.add_argument("file", help="pseudocode file, or - for standard input")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--strict", action="store_true",
                       help="undeclared variables are errors")
    check.set_defaults(handler=cmd_check)
    run = sub.add_parser("run", help="translate a pseudocode file and run it")
    run.add_argument("file", help="pseudocode file, or - for standard input")
    run.add_argument("--strict", action="store_true", help="undeclared variables are errors")
    run.set_defaults(handler=cmd_run)
    trace = sub.add_parser(
        "trace", help="run a pseudocode file and print its trace table (exam layout)",
        description="Run the program and print a trace table: a column per variable (array "
                    "elements and record fields each their own), OUTPUT last, one row per "
                    "statement that changed something, a value only where it changed.")
    trace.add_argument("file", help="pseudocode file, or - for standard input")
    trace.add_argument("--input", metavar="FILE",
                       help="the lines INPUT reads, one per line (default: none)")
    trace.add_argument("--format", choices=("markdown", "csv", "html"), default="markdown")
    trace.add_argument("--columns", metavar="A,B,...",
                       help="only these variables (names, or headers such as A[1])")
    trace.add_argument("--line-numbers", action="store_true",
                       help="add a first column with the pseudocode line of each row")
    trace.add_argument("--max-rows", type=int, default=1000, metavar="N",
                       help="stop after N rows (default 1000)")
    trace.add_argument("--strict", action="store_true", help="undeclared variables are errors")
    trace.set_defaults(handler=cmd_trace)
    config = sub.add_parser("config", help="show the configuration in force")
    config_sub = config.add_subparsers(dest="config_command", metavar="ACTION")
    show = config_sub.add_parser(
        "show", help="print every setting and where it came from (default, file, env:NAME)")
    show.add_argument("--format", choices=("yaml", "json"), default="yaml")
    show.set_defaults(handler=cmd_config)
    path = config_sub.add_parser("path", help="print the path of the configuration file")
    path.set_defaults(handler=cmd_config, format="yaml")
    config.set_defaults(handler=None, config_parser=config)
    gui = sub.add_parser("gui", help="open the desktop editor (optionally on FILE)")
    gui.add_argument("file", nargs="?", help="a .pseudo file to open")
    gui.set_defaults(handler=None)
    return parser


def main(argv: Sequence[str] | None = None,
         gui_runner: Callable[[list[str]], int] | None = None,
         desktop_runner: Callable[[str], int] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.desktop_action:
        if args.command is not None:
            parser.error(f"--{args.desktop_action}-desktop takes no command")
        if desktop_runner is None:
            print("desktop integration is not available in this installation", file=sys.stderr)
            return EXIT_BAD_INPUT
        return desktop_runner(args.desktop_action)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    if args.command == "gui":
        if gui_runner is None:
            print("the desktop editor is not available in this installation", file=sys.stderr)
            return EXIT_BAD_INPUT
        return gui_runner([args.file] if args.file else [])
    if args.handler is None:  # "config" without an action
        args.config_parser.print_help()
        return EXIT_OK
    try:
        return int(args.handler(args))
    except SourceProblem as error:
        _say(error.line)
        return EXIT_BAD_INPUT
    except UsageError as error:
        _say(str(error))
        return EXIT_BAD_INPUT
    except OutputError as error:
        _say(str(error))
        return EXIT_OUTPUT_FAILED
    except KeyboardInterrupt:
        _say("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()  # the reader is gone (`| head`): nothing more to say
        return EXIT_BROKEN_PIPE
    except OSError as error:  # a file problem not caught closer to where it happened
        name = shown_path(error.filename) if error.filename else "a file"
        _say(describe_os_error(name, error, "cannot be used"))
        return EXIT_BAD_INPUT
    except Exception as error:  # noqa: BLE001 - never a traceback on the command line
        _say(f"internal error: {type(error).__name__}: {error} (please report it)")
        if os.environ.get("PSEUDOCODE_DEBUG"):
            import traceback
            traceback.print_exc()
        return EXIT_INTERNAL
