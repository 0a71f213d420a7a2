"""Translating many pseudocode files into ``.py`` files: one set of rules for
File > Translate Folder and ``pseudocode-translator translate ... --out-dir DIR``.

The rules (the safer of the two the editor and the command line had before):

- a folder gives every ``*.pseudo`` file below it (the suffix in any case),
  kept in the same relative place under the output folder
  (``in/week2/sort.pseudo`` -> ``out/week2/sort.py``); hidden folders
  (``.git``, ``.venv``) and the output folder itself are not searched (the
  summary names the hidden folders skipped), folder links are not followed,
  and a special file (a named pipe, a device) is reported and never opened
  (``engine.sources.find_sources``);
- a name clash never overwrites: inside a folder the output tree mirrors the
  input tree, so a second source with the same output (``x.pseudo`` and
  ``x.PSEUDO``) is refused with a message; files named one by one go side by
  side into the output folder, where the later one is numbered (``x_2.py``);
- memory is bounded: files are read and translated :data:`BATCH_FILES` at a
  time (each chunk in one ``translate_many`` call, so the process pool, when
  it is on, keeps every worker busy);
- every file is written atomically (``engine.sources.write_python``), and only
  a program that translated without errors is written: a cancelled or failed
  batch never leaves a half-written ``.py``.

:meth:`FolderBatch.cancel` sets the ``threading.Event`` handed to
``translate_many``: no new document starts, the few already in the workers
finish, and the others come back marked ``cancelled``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.sources import (
    SOURCE_SUFFIX,
    SourceProblem,
    describe_os_error,
    find_sources,
    read_source,
    shown_path,
    write_python,
)

BATCH_FILES = 256  # files read and translated together (bounds the memory in use)

TranslateMany = Callable[..., Sequence[Any]]
Progress = Callable[[int, int, str], object]


@dataclass(frozen=True, slots=True)
class BatchItem:
    """One source to translate: where its Python goes (relative to the output folder)."""

    source: Path
    output: Path
    name: str                # for messages: the path under its folder, or as given
    from_folder: bool        # found in a folder (a clash is refused) or named (numbered)


def hidden_folders_note(names: Sequence[str], shown: int = 3) -> str:
    """``skipped 1 hidden folder (.hidden)``: what a summary says of the hidden folders
    that were not searched ("" when there were none)."""
    if not names:
        return ""
    listed = ", ".join(names[:shown]) + (", \u2026" if len(names) > shown else "")
    return f"skipped {len(names)} hidden folder{'s' if len(names) != 1 else ''} ({listed})"


def collect_items(paths: Sequence[str | os.PathLike[str]], out_dir: str | os.PathLike[str],
                  hidden: list[str] | None = None) -> tuple[list[BatchItem], list[str]]:
    """The sources of ``paths`` (files and folders) and the problems found on the way
    (a path that does not exist, a folder without ``.pseudo`` files, a special file).
    The hidden folders not searched are added to ``hidden`` (relative to their folder),
    if given."""
    items: list[BatchItem] = []
    problems: list[str] = []
    seen: set[Path] = set()
    taken: set[str] = set()  # output paths (case-folded) already planned
    for raw in paths:
        if str(raw) == "-":
            problems.append("standard input (-) cannot be used with --out-dir")
            continue
        path = Path(raw)
        try:
            is_dir = path.is_dir()
            os.stat(path)
        except OSError as error:
            problems.append(describe_os_error(shown_path(path), error))
            continue
        if is_dir:
            special: list[Path] = []
            skipped: list[Path] = []
            try:
                found = find_sources(path, skip=out_dir, special=special, hidden=skipped)
            except OSError as error:
                problems.append(describe_os_error(shown_path(path), error))
                continue
            problems += [f"{p} is not a regular file; skipped" for p in special]
            names = [p.relative_to(path).as_posix() for p in skipped]
            if hidden is not None:
                hidden += names
            if not found:
                note = hidden_folders_note(names)
                problems.append(f"{path}: no {SOURCE_SUFFIX} files in this folder"
                                + (f"; {note}" if note else ""))
            entries = [(p, p.relative_to(path), True) for p in found]
        else:
            entries = [(path, Path(path.name), False)]
        for source, relative, from_folder in entries:
            key = source.resolve()
            if key in seen:
                continue
            seen.add(key)
            output = relative.with_suffix(".py")
            if not from_folder:
                candidate, n = output, 2
                while _key(candidate) in taken:
                    candidate = output.with_name(f"{output.stem}_{n}{output.suffix}")
                    n += 1
                output = candidate
            taken.add(_key(output))
            name = relative.as_posix() if from_folder else str(source)
            items.append(BatchItem(source, output, name, from_folder))
    return items, problems


def _key(relative: Path) -> str:
    return relative.as_posix().casefold()


@dataclass
class FileOutcome:
    source: Path
    output: Path | None = None     # written, if the translation had no error
    errors: int = 0
    warnings: int = 0
    message: str = ""              # the first error, for the summary
    cancelled: bool = False        # the batch was cancelled before this file
    name: str = ""                 # the path under the batch's folder, for the summary
    unusable: bool = False         # could not be read or written (not a pseudocode error)
    problem: SourceProblem | None = None  # why, when it was unusable
    diagnostics: list[Any] = field(default_factory=list)  # the errors, for the command line

    def __post_init__(self) -> None:
        self.name = self.name or self.source.name


@dataclass
class BatchSummary:
    folder: Path | None
    out_dir: Path
    total: int = 0                  # .pseudo files found
    outcomes: list[FileOutcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # paths that could not be used at all
    seconds: float = 0.0            # reading, translating and writing
    translate_seconds: float = 0.0  # the translate_many calls only
    workers: int = 0                # pool workers (0: in-process)
    failure: str = ""               # the batch could not run at all (unreadable folder ...)
    hidden: list[str] = field(default_factory=list)  # hidden folders not searched

    @property
    def cancelled_files(self) -> int:
        return sum(1 for o in self.outcomes if o.cancelled)

    @property
    def cancelled(self) -> bool:
        return self.cancelled_files > 0

    @property
    def done(self) -> int:
        """Files translated (or refused: unreadable), the cancelled ones not included."""
        return len(self.outcomes) - self.cancelled_files

    @property
    def written(self) -> int:
        return sum(1 for o in self.outcomes if o.output is not None)

    @property
    def error_files(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.errors]

    @property
    def throughput(self) -> float:
        """Documents per second of translation."""
        return self.done / self.translate_seconds if self.translate_seconds > 0 else 0.0

    def text(self) -> str:
        """The summary the user reads."""
        if self.failure:
            return self.failure
        note = hidden_folders_note(self.hidden)
        hidden = f"{note[:1].upper()}{note[1:]}: hidden folders are not searched." if note else ""
        if self.total == 0:
            return " ".join(filter(None, [f"There are no {SOURCE_SUFFIX} files in {self.folder} "
                                          "or its subfolders.", hidden]))
        how = (f"through the process pool ({self.workers} worker"
               f"{'s' if self.workers != 1 else ''})" if self.workers else "in-process")
        lines = []
        if self.cancelled:
            cancelled = self.cancelled_files
            lines.append(f"Cancelled after {self.done} of {self.total} files: {cancelled} "
                         f"file{'s were' if cancelled != 1 else ' was'} not translated "
                         "(no .py written for them).")
        lines.append(f"Translated {self.done} file{'s' if self.done != 1 else ''} in "
                     f"{self.seconds:.2f} s ({self.throughput:.0f} docs/s, {how}).")
        lines.append(f"{self.written} Python file{'s' if self.written != 1 else ''} written "
                     f"to {self.out_dir}.")
        errors = self.error_files
        if errors:
            lines.append(f"{len(errors)} file{'s' if len(errors) != 1 else ''} with errors "
                         "(no .py written):")
            for outcome in errors[:10]:
                lines.append(f"  {outcome.name}: {outcome.message}")
            if len(errors) > 10:
                lines.append(f"  \u2026 and {len(errors) - 10} more")
        else:
            lines.append("No errors.")
        if hidden:
            lines.append(hidden)
        if self.problems:
            lines.append("Not used:")
            lines += [f"  {problem}" for problem in self.problems[:10]]
        return "\n".join(lines)


class FolderBatch:
    """One batch; ``run()`` on a worker thread, ``cancel()`` from any thread.

    ``style``: the Python written: ``None`` the manager's setting (its plain code
    when it made one), ``"plain"`` (a file whose plain style could not be made
    is an error) or ``"checked"``. ``on_outcome`` is called with each file's
    outcome as soon as it is known (the command line prints errors as they come).
    """

    def __init__(self, paths: Sequence[str | os.PathLike[str]], out_dir: str | os.PathLike[str],
                 translate_many: TranslateMany, *, workers: int = 0,
                 progress: Progress | None = None, style: str | None = None,
                 on_outcome: Callable[[FileOutcome], object] | None = None) -> None:
        self.paths = list(paths)
        self.folder: Path | None = None  # set by of_folder: the one folder, which must be readable
        self.out_dir = Path(out_dir)
        self.translate_many = translate_many
        self.workers = workers
        self.progress = progress
        self.style = style
        self.on_outcome = on_outcome
        self._cancel = threading.Event()

    @classmethod
    def of_folder(cls, folder: str | os.PathLike[str], out_dir: str | os.PathLike[str],
                  translate_many: TranslateMany, **options: Any) -> FolderBatch:
        """File > Translate Folder: one folder; a missing or unreadable one is a failure."""
        batch = cls([folder], out_dir, translate_many, **options)
        batch.folder = Path(folder)
        return batch

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _report(self, done: int, total: int, name: str = "") -> None:
        if self.progress is not None:
            self.progress(done, total, name)

    def run(self) -> BatchSummary:
        start = time.perf_counter()
        summary = BatchSummary(self.folder, self.out_dir, workers=self.workers)
        try:
            if self.folder is not None:
                with os.scandir(self.folder):  # missing or unreadable: the batch cannot run
                    pass
            items, summary.problems = collect_items(self.paths, self.out_dir,
                                                    hidden=summary.hidden)
        except OSError as error:
            where = shown_path(self.folder or error.filename or "")
            summary.failure = f"Cannot translate {where}: {error.strerror or error}"
            return summary
        try:
            if items:
                self.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            summary.failure = describe_os_error(shown_path(self.out_dir), error,
                                                "cannot create the folder")
            return summary
        summary.total = total = len(items)
        self._report(0, total)
        written: dict[str, BatchItem] = {}  # output (case-folded) -> the source written there
        for first in range(0, total, BATCH_FILES):
            chunk = items[first:first + BATCH_FILES]
            self._run_chunk(chunk, summary, written, done_before=len(summary.outcomes))
            self._report(summary.done, total)
        summary.seconds = time.perf_counter() - start
        return summary

    def _run_chunk(self, chunk: list[BatchItem], summary: BatchSummary,
                   written: dict[str, BatchItem], done_before: int) -> None:
        texts: list[str] = []
        readable: list[BatchItem] = []
        refused: dict[Path, FileOutcome] = {}
        for item in chunk:
            try:
                texts.append(read_source(item.source, name=item.name).text)
                readable.append(item)
            except SourceProblem as problem:
                refused[item.source] = FileOutcome(item.source, errors=1, message=str(problem),
                                                   name=item.name, unusable=True,
                                                   problem=problem)
        base = done_before + len(refused)

        def progress(done: int, _count: int) -> None:
            self._report(base + done, summary.total)

        results: Sequence[Any] = []
        if texts and not self.cancelled:
            began = time.perf_counter()
            results = self.translate_many(texts, progress=progress, cancel=self._cancel)
            summary.translate_seconds += time.perf_counter() - began
        elif texts:  # cancelled before this chunk
            results = [None] * len(texts)
        translated = {item.source: result
                      for item, result in zip(readable, results, strict=True)}
        for item in chunk:
            outcome = refused.get(item.source) or self._write(item, translated[item.source],
                                                              written)
            summary.outcomes.append(outcome)
            if self.on_outcome is not None:
                self.on_outcome(outcome)

    def _code(self, result: Any) -> str | None:
        if self.style is None:
            return getattr(result, "plain_code", "") or result.code
        if self.style == "plain" and not getattr(result, "plain_code", ""):
            return None
        return result.code_in(self.style)

    def _write(self, item: BatchItem, result: Any, written: dict[str, BatchItem]
               ) -> FileOutcome:
        if result is None or getattr(result, "cancelled", False):
            return FileOutcome(item.source, cancelled=True, name=item.name)
        errors = list(getattr(result, "errors", []))
        warnings = list(getattr(result, "warnings", []))
        outcome = FileOutcome(item.source, errors=len(errors), warnings=len(warnings),
                              name=item.name, diagnostics=errors)
        if errors or not getattr(result, "success", False):
            first = errors[0] if errors else None
            outcome.errors = max(1, outcome.errors)
            outcome.message = (f"line {first.line}: {first.message}" if first is not None
                               else "the translation failed")
            return outcome
        code = self._code(result)
        if code is None:
            outcome.errors = 1
            outcome.message = ("the plain style could not be made: "
                               f"{getattr(result, 'plain_error', '')}")
            return outcome
        target = self.out_dir / item.output
        key = _key(item.output)
        if key in written:  # x.pseudo and x.PSEUDO: one .py, never one over the other
            outcome.errors = 1
            outcome.message = (f"not written: {target.name} is already the Python of "
                               f"{written[key].name}")
            return outcome
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_python(target, code)
        except SourceProblem as problem:
            outcome.errors, outcome.unusable, outcome.problem = 1, True, problem
            outcome.message = f"cannot write {target.name}: {problem}"
            return outcome
        except OSError as error:
            outcome.errors, outcome.unusable = 1, True
            outcome.message = describe_os_error(shown_path(target), error, "cannot write")
            return outcome
        written[key] = item
        outcome.output = target
        return outcome
