"""(Qt-free) Translate a folder of .pseudo files into .py files: the work of File > Translate folder.

``BatchJob.run()`` (on a worker thread) reads every ``.pseudo`` file of the
folder and of its subfolders, translates them all in ONE call of the
engine's batch API (``translate_many``: through the process pool when it is
enabled, every worker kept busy), writes each program that translated
without errors as ``NAME.py`` in the same relative place under the output
folder (``in/week2/sort.pseudo`` -> ``out/week2/sort.py``), and returns a
``BatchSummary`` (files, errors, cancelled files, throughput).

``cancel()`` sets the ``threading.Event`` handed to ``translate_many``: no
new document starts, the few already in the workers finish, and the others
come back marked ``cancelled``. Only the files that were translated are
written. Every file is written atomically (a temporary file in the same
folder, then ``os.replace``), so a cancelled or failed batch never leaves a
half-written ``.py``.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gui.model.documents import FileProblem, read_pseudocode, write_python

SUFFIX = ".pseudo"

TranslateMany = Callable[..., Sequence[Any]]
Progress = Callable[[int, int, str], object]


def find_sources(folder: str | Path, skip: str | Path | None = None) -> list[Path]:
    """The ``.pseudo`` files of ``folder`` and of its subfolders, by relative path.

    Hidden folders (``.git``, ``.venv`` ...) are not searched, nor is ``skip``
    (the output folder, when it is inside ``folder``), and folder links are
    not followed (no loops). An unreadable subfolder is skipped; an
    unreadable ``folder`` raises ``OSError``.
    """
    base = Path(folder)
    with os.scandir(base):  # the folder itself must be readable: OSError otherwise
        pass
    skipped = _identity(skip) if skip is not None else None
    found: list[Path] = []
    for root, dirs, files in os.walk(base):
        here = Path(root)
        dirs[:] = [d for d in dirs if not d.startswith(".")
                   and (skipped is None or _identity(here / d) != skipped)]
        found.extend(here / name for name in files
                     if name.lower().endswith(SUFFIX) and (here / name).is_file())
    return sorted(found, key=lambda p: [part.lower() for part in p.relative_to(base).parts])


def _identity(path: str | Path) -> Any:
    try:
        info = os.stat(path)
        return (info.st_dev, info.st_ino)
    except OSError:
        return os.path.normcase(os.path.abspath(path))


def output_path(out_dir: str | Path, source: Path, folder: str | Path | None = None) -> Path:
    """Where ``source``'s Python goes: its place under ``folder``, mirrored under ``out_dir``."""
    relative = source.relative_to(folder).parent if folder is not None else Path()
    return Path(out_dir) / relative / (source.stem + ".py")


@dataclass
class FileOutcome:
    source: Path
    output: Path | None = None     # written, if the translation had no error
    errors: int = 0
    warnings: int = 0
    message: str = ""              # the first error, for the summary
    cancelled: bool = False        # the batch was cancelled before this file
    name: str = ""                 # the path under the batch's folder, for the summary

    def __post_init__(self) -> None:
        self.name = self.name or self.source.name


@dataclass
class BatchSummary:
    folder: Path
    out_dir: Path
    total: int = 0                  # .pseudo files found
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0            # reading, translating and writing
    translate_seconds: float = 0.0  # the translate_many call only
    workers: int = 0                # pool workers (0: in-process)
    failure: str = ""               # the batch could not run at all (unreadable folder ...)

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
        if self.total == 0:
            return f"There are no {SUFFIX} files in {self.folder} or its subfolders."
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
        return "\n".join(lines)


class BatchJob:
    """One folder translation; ``run()`` on a worker thread, ``cancel()`` from any thread."""

    def __init__(self, folder: str | Path, out_dir: str | Path, translate_many: TranslateMany,
                 workers: int = 0, progress: Progress | None = None) -> None:
        self.folder = Path(folder)
        self.out_dir = Path(out_dir)
        self.translate_many = translate_many
        self.workers = workers
        self.progress = progress
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _report(self, done: int, total: int, name: str = "") -> None:
        if self.progress is not None:
            self.progress(done, total, name)

    def _name(self, source: Path) -> str:
        return source.relative_to(self.folder).as_posix()

    def run(self) -> BatchSummary:
        start = time.perf_counter()
        summary = BatchSummary(self.folder, self.out_dir, workers=self.workers)
        try:
            sources = find_sources(self.folder, skip=self.out_dir)
            if sources:
                self.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            summary.failure = f"Cannot translate {self.folder}: {error}"
            return summary
        summary.total = total = len(sources)
        self._report(0, total)
        texts: list[str] = []
        readable: list[Path] = []
        refused: list[FileOutcome] = []
        for source in sources:
            try:
                texts.append(read_pseudocode(source).text)
                readable.append(source)
            except FileProblem as problem:
                refused.append(FileOutcome(source, errors=1, message=str(problem),
                                           name=self._name(source)))
        base = len(refused)

        def progress(done: int, _count: int) -> None:
            self._report(base + done, total)

        results: Sequence[Any] = []
        if texts and not self.cancelled:
            began = time.perf_counter()
            results = self.translate_many(texts, progress=progress, cancel=self._cancel)
            summary.translate_seconds = time.perf_counter() - began
        elif texts:  # cancelled while the files were read
            results = [None] * len(texts)
        translated = dict(zip(readable, results, strict=True))
        refused_files = {outcome.source: outcome for outcome in refused}
        targets: dict[str, Path] = {}  # written .py (case-folded) -> its source
        for source in sources:
            outcome = refused_files.get(source) or self._write(source, translated[source],
                                                               targets)
            summary.outcomes.append(outcome)
        self._report(summary.done, total)
        summary.seconds = time.perf_counter() - start
        return summary

    def _write(self, source: Path, result: Any, targets: dict[str, Path]) -> FileOutcome:
        name = self._name(source)
        if result is None or getattr(result, "cancelled", False):
            return FileOutcome(source, cancelled=True, name=name)
        errors = list(getattr(result, "errors", []))
        warnings = list(getattr(result, "warnings", []))
        outcome = FileOutcome(source, errors=len(errors), warnings=len(warnings), name=name)
        if errors or not getattr(result, "success", False):
            first = errors[0] if errors else None
            outcome.errors = max(1, outcome.errors)
            outcome.message = (f"line {first.line}: {first.message}" if first is not None
                               else "the translation failed")
            return outcome
        target = output_path(self.out_dir, source, self.folder)
        key = os.path.normcase(str(target)).casefold()
        if key in targets:  # x.pseudo and x.PSEUDO: one .py, never one over the other
            outcome.errors = 1
            outcome.message = (f"not written: {target.name} is already the Python of "
                               f"{self._name(targets[key])}")
            return outcome
        targets[key] = source
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # atomic: temp file, then os.replace; the plain style where the setting asks
            # for it (translation.python_style: the manager then makes plain_code)
            write_python(target, getattr(result, "plain_code", "") or result.code)
        except (FileProblem, OSError) as problem:
            outcome.errors = 1
            outcome.message = f"cannot write {target.name}: {problem}"
            return outcome
        outcome.output = target
        return outcome
