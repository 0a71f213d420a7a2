"""Reading a file the user named, safely: only a regular file, never past a bound.

Shared by the configuration and the command line. Opening never blocks (a
named pipe is refused before anyone could write to it) and reading stops at
``limit + 1`` bytes, so ``/dev/zero``, ``/dev/urandom``, a symlink to them or a
file that grows while it is read cannot exhaust the memory.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

_umask_lock = threading.Lock()


class NotRegularFile(Exception):
    """The path is a folder, a named pipe, a device or a socket; ``kind`` says which."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"it is {kind}, not a regular file")
        self.kind = kind


class FileTooLarge(Exception):
    """The file has more than ``limit`` bytes (``size``: how many, when known)."""

    def __init__(self, size: int | None, limit: int) -> None:
        shown = f"{size:,} bytes" if size is not None else f"more than {limit:,} bytes"
        super().__init__(f"it is too large ({shown}; the limit is {limit:,})")
        self.size = size
        self.limit = limit


def file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at ``path`` (a symlink is followed).

    Raises NotRegularFile, FileTooLarge, or the OSError of ``os.stat``/``open``
    (FileNotFoundError, PermissionError, "file name too long" ...).
    """
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(file_kind(info.st_mode))
    if info.st_size > limit:
        raise FileTooLarge(info.st_size, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)  # what was opened, not what the name said a moment ago
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(file_kind(info.st_mode))
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, limit + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    if total > limit:
        raise FileTooLarge(None, limit)
    return b"".join(chunks)


def is_regular_or_absent(path: Path) -> bool:
    """Whether writing ``path`` would write a regular file (it is one, or does not exist)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return True


def current_umask() -> int:
    """The process's umask: read from /proc where there is one (setting it to read it
    would change it for a moment for every thread), else set and restored under a lock."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _umask_lock:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask
