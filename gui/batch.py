"""(Qt-free) Translate a folder of .pseudo files into .py files: the work of File > Translate folder.

``BatchJob.run()`` (on a worker thread) reads every ``.pseudo`` file of the
folder, translates them with the engine's batch API (``translate_many``:
through the process pool when it is enabled), writes each program that
translated without errors as ``NAME.py`` in the output folder, and returns a
``BatchSummary`` (files, errors, throughput).

Cancelling is checked between chunks of documents (``translate_many`` has no
way to stop in the middle), so it takes effect within one chunk; what was
translated before is written, nothing after. Every file is written
atomically (a temporary file in the same folder, then ``os.replace``), so a
cancelled or failed batch never leaves a half-written ``.py``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gui.documents import FileProblem, read_pseudocode, write_python

SUFFIX = ".pseudo"
MIN_CHUNK = 24          # documents per translate_many call, at least
CHUNK_PER_WORKER = 8    # ... or this many per worker, to keep every worker busy

TranslateMany = Callable[..., Sequence[Any]]
Progress = Callable[[int, int, str], object]


def find_sources(folder: str | Path) -> list[Path]:
    """The ``.pseudo`` files directly in ``folder``, by name."""
    base = Path(folder)
    return sorted((p for p in base.iterdir() if p.is_file() and p.suffix.lower() == SUFFIX),
                  key=lambda p: p.name.lower())


def output_path(out_dir: str | Path, source: Path) -> Path:
    return Path(out_dir) / (source.stem + ".py")


def chunk_size(workers: int) -> int:
    return max(MIN_CHUNK, CHUNK_PER_WORKER * max(1, workers))


@dataclass
class FileOutcome:
    source: Path
    output: Path | None = None     # written, if the translation had no error
    errors: int = 0
    warnings: int = 0
    message: str = ""              # the first error, for the summary


@dataclass
class BatchSummary:
    folder: Path
    out_dir: Path
    total: int = 0                  # .pseudo files found
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0            # reading, translating and writing
    translate_seconds: float = 0.0  # translate_many calls only
    cancelled: bool = False
    workers: int = 0                # pool workers (0: in-process)
    failure: str = ""               # the batch could not run at all (unreadable folder ...)

    @property
    def done(self) -> int:
        return len(self.outcomes)

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
            return f"There are no {SUFFIX} files in {self.folder}."
        how = (f"through the process pool ({self.workers} worker"
               f"{'s' if self.workers != 1 else ''})" if self.workers else "in-process")
        lines = []
        if self.cancelled:
            lines.append(f"Cancelled after {self.done} of {self.total} files.")
        lines.append(f"Translated {self.done} file{'s' if self.done != 1 else ''} in "
                     f"{self.seconds:.2f} s ({self.throughput:.0f} docs/s, {how}).")
        lines.append(f"{self.written} Python file{'s' if self.written != 1 else ''} written "
                     f"to {self.out_dir}.")
        errors = self.error_files
        if errors:
            lines.append(f"{len(errors)} file{'s' if len(errors) != 1 else ''} with errors "
                         "(no .py written):")
            for outcome in errors[:10]:
                lines.append(f"  {outcome.source.name}: {outcome.message}")
            if len(errors) > 10:
                lines.append(f"  \u2026 and {len(errors) - 10} more")
        else:
            lines.append("No errors.")
        return "\n".join(lines)


class BatchJob:
    """One folder translation; ``run()`` on a worker thread, ``cancel()`` from any thread."""

    def __init__(self, folder: str | Path, out_dir: str | Path, translate_many: TranslateMany,
                 workers: int = 0, progress: Progress | None = None,
                 chunk: int | None = None) -> None:
        self.folder = Path(folder)
        self.out_dir = Path(out_dir)
        self.translate_many = translate_many
        self.workers = workers
        self.progress = progress
        self.chunk = chunk or chunk_size(workers)
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _report(self, done: int, total: int, name: str) -> None:
        if self.progress is not None:
            self.progress(done, total, name)

    def run(self) -> BatchSummary:
        start = time.perf_counter()
        summary = BatchSummary(self.folder, self.out_dir, workers=self.workers)
        try:
            sources = find_sources(self.folder)
            if sources:
                self.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            summary.failure = f"Cannot translate {self.folder}: {error}"
            return summary
        summary.total = len(sources)
        self._report(0, len(sources), "")
        for first in range(0, len(sources), self.chunk):
            if self.cancelled:
                summary.cancelled = True
                break
            self._run_chunk(sources[first:first + self.chunk], summary)
        if self.cancelled and summary.done < summary.total:
            summary.cancelled = True
        summary.seconds = time.perf_counter() - start
        return summary

    def _run_chunk(self, sources: list[Path], summary: BatchSummary) -> None:
        texts: list[str] = []
        readable: list[Path] = []
        for source in sources:
            try:
                texts.append(read_pseudocode(source).text)
                readable.append(source)
            except FileProblem as problem:
                summary.outcomes.append(FileOutcome(source, errors=1, message=str(problem)))
        base = summary.done
        total = summary.total

        def progress(done: int, _count: int) -> None:
            name = readable[done - 1].name if 0 < done <= len(readable) else ""
            self._report(base + done, total, name)

        began = time.perf_counter()
        results = self.translate_many(texts, progress=progress) if texts else []
        summary.translate_seconds += time.perf_counter() - began
        for source, result in zip(readable, results, strict=True):
            summary.outcomes.append(self._write(source, result))
        self._report(summary.done, total, "")

    def _write(self, source: Path, result: Any) -> FileOutcome:
        errors = list(getattr(result, "errors", []))
        warnings = list(getattr(result, "warnings", []))
        outcome = FileOutcome(source, errors=len(errors), warnings=len(warnings))
        if errors or not getattr(result, "success", False):
            first = errors[0] if errors else None
            outcome.errors = max(1, outcome.errors)
            outcome.message = (f"line {first.line}: {first.message}" if first is not None
                               else "the translation failed")
            return outcome
        target = output_path(self.out_dir, source)
        try:
            write_python(target, result.code)  # atomic: temp file, then os.replace
        except FileProblem as problem:
            outcome.errors = 1
            outcome.message = f"cannot write {target.name}: {problem}"
            return outcome
        outcome.output = target
        return outcome
