"""Crash recovery: unsaved documents written to a recovery folder every few seconds.

Qt-free. Each running app owns one *session*: a snapshot file
``<id>.json`` plus a lock file ``<id>.lock`` that it keeps locked while it
runs. The operating system frees the lock when a process dies, however it
dies, so at start-up a snapshot whose lock can be taken belongs to a session
that ended without cleaning up (a crash, a power cut): its documents are
offered back. A clean exit deletes both files. An exit nobody could answer
(SIGTERM, Ctrl+C in the terminal) keeps the unsaved documents instead
(``keep``): the snapshot stays, with the reason, and the next start offers
it like a crash's.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

from engine.sources import write_text_atomic

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(handle: IO[bytes]) -> None:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(handle: IO[bytes]) -> None:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        except OSError:
            pass


def default_recovery_dir() -> Path:
    """``~/.pseudocode_translator/recovery`` unless the GUI passes its data folder."""
    return Path.home() / ".pseudocode_translator" / "recovery"


@dataclass(slots=True)
class RecoveredDocument:
    """One unsaved document as it was at the last autosave."""

    text: str
    path: str | None      # the file it belongs to, None if never saved
    title: str            # what its tab said ("Untitled 2", "sort.pseudo")
    saved_at: float = 0.0


@dataclass(slots=True)
class Orphan:
    """A snapshot left by a session that did not exit cleanly."""

    session: str
    documents: list[RecoveredDocument]
    saved_at: float
    reason: str = ""  # why that session kept it ("SIGTERM" ...); "" after a crash


class RecoveryStore:
    """This session's snapshot, and the orphans of earlier sessions."""

    def __init__(self, folder: str | os.PathLike[str] | None = None,
                 session: str | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_recovery_dir()
        self.session = session or f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
        self._lock: IO[bytes] | None = None
        self._last_key: str | None = None
        self._closed = False
        self._kept = False
        self._reason = ""
        self._mutex = threading.Lock()  # save() may run on a worker thread

    @property
    def snapshot_path(self) -> Path:
        return self.folder / f"{self.session}.json"

    @property
    def lock_path(self) -> Path:
        return self.folder / f"{self.session}.lock"

    def open(self) -> bool:
        """Create the folder and take this session's lock. False if that failed."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle = open(self.lock_path, "a+b")  # noqa: SIM115 - kept open while we run
        except OSError:
            return False
        if not _try_lock(handle):
            handle.close()
            return False
        self._lock = handle
        return True

    def save(self, documents: list[RecoveredDocument]) -> bool:
        """Write the snapshot (atomically); an empty list removes it. True if written."""
        with self._mutex:
            if self._closed or (self._lock is None and not self.open()):
                return False
            return self._save(documents)

    def _save(self, documents: list[RecoveredDocument]) -> bool:
        if not documents:
            self._remove(self.snapshot_path)
            self._last_key = None
            return True
        key = json.dumps([[d.text, d.path, d.title] for d in documents], ensure_ascii=False)
        if key == self._last_key:
            return True  # nothing changed since the last write
        now = time.time()
        payload = {"version": 1, "session": self.session, "saved_at": now, "pid": os.getpid(),
                   "documents": [asdict(d) | {"saved_at": now} for d in documents]}
        if self._reason:
            payload["reason"] = self._reason
        try:  # atomic; not flushed to disk: it is rewritten every few seconds
            write_text_atomic(self.snapshot_path, json.dumps(payload, ensure_ascii=False,
                                                             indent=1), durable=False)
        except OSError:
            return False
        self._last_key = key
        return True

    def find_orphans(self) -> list[Orphan]:
        """Snapshots of sessions that are no longer running (their lock is free)."""
        orphans: list[Orphan] = []
        try:
            candidates = sorted(self.folder.glob("*.json"))
        except OSError:
            return []
        for path in candidates:
            session = path.stem
            if session == self.session or self._is_alive(session):
                continue
            try:
                payload = json.loads(path.read_text(encoding="utf-8"))
                documents = [RecoveredDocument(text=str(d["text"]), path=d.get("path"),
                                               title=str(d.get("title") or "Recovered"),
                                               saved_at=float(d.get("saved_at", 0.0)))
                             for d in payload.get("documents", [])]
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                continue  # unreadable: leave it for a human, never crash
            if documents:
                orphans.append(Orphan(session, documents, float(payload.get("saved_at", 0.0)),
                                      str(payload.get("reason") or "")))
        return orphans

    def _is_alive(self, session: str) -> bool:
        lock = self.folder / f"{session}.lock"
        if not lock.exists():
            return False
        try:
            with open(lock, "a+b") as handle:
                if _try_lock(handle):
                    _unlock(handle)
                    return False
                return True
        except OSError:
            return True  # cannot tell: assume it is running and leave it alone

    def discard(self, orphan: Orphan) -> None:
        """Delete an orphan's files (after it was restored or declined)."""
        self._remove(self.folder / f"{orphan.session}.json")
        self._remove(self.folder / f"{orphan.session}.lock")

    def keep(self, documents: list[RecoveredDocument], reason: str) -> bool:
        """Exit without anyone to ask (``reason``: "SIGTERM" ...): ``documents`` are written
        now and kept for the next start, which offers them back; the lock is freed. With no
        documents this is a clean ``close()``. True if they were written."""
        if not documents:
            self.close()
            return True
        with self._mutex:
            if self._closed or (self._lock is None and not self.open()):
                return False
            self._reason = reason
            self._last_key = None  # written again, with the reason
            written = self._save(documents)
            self._closed = self._kept = True
            self._release()
            return written

    def close(self) -> None:
        """Clean exit: this session's snapshot and lock are removed (not after ``keep``)."""
        with self._mutex:
            if self._kept:
                return
            self._closed = True
            self._remove(self.snapshot_path)
            self._release()
            self._remove(self.lock_path)

    def abandon(self) -> None:
        """What a crash leaves behind: the snapshot stays, the lock is freed.

        The operating system does this when a process dies; tests call it to
        simulate a crash inside one process.
        """
        with self._mutex:
            self._closed = True
            self._release()

    def _release(self) -> None:
        if self._lock is not None:
            _unlock(self._lock)
            self._lock.close()
            self._lock = None

    @staticmethod
    def _remove(path: Path) -> None:
        try:
            path.unlink()
        except OSError:
            pass
