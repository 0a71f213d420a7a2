"""Reading and writing pseudocode files, with a clear message for every failure.

Qt-free. A file is UTF-8, with or without a byte-order mark; the mark and the
line-ending style are remembered and written back as they were. Anything
else (a binary file, another encoding, a huge file, a missing file, no
permission) raises :class:`FileProblem` whose message is meant for the user,
and the caller keeps the text it had.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from engine.safe_io import FileTooLarge, NotRegularFile, current_umask, read_regular

MAX_FILE_BYTES = 5 * 1024 * 1024
UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}


class FileProblem(Exception):
    """A file could not be read or written; ``str(self)`` is the user's message."""


@dataclass(frozen=True, slots=True)
class LoadedFile:
    text: str          # with "\n" line ends
    has_bom: bool
    newline: str       # "\n" or "\r\n" (what the file used)


def read_pseudocode(path: str | os.PathLike[str]) -> LoadedFile:
    """Read a text file as UTF-8 (BOM or not) or raise FileProblem.

    Read with ``engine.safe_io.read_regular``, as the command line reads: only
    a regular file, never past the size bound, so a named pipe or a device
    (``/dev/zero``) is refused at once instead of freezing the window.
    """
    path = Path(path)
    name = path.name
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except NotRegularFile as error:
        if error.kind == "a folder":
            raise FileProblem(f"'{name}' is a folder, not a file.") from None
        raise FileProblem(f"'{name}' is {error.kind}, not a regular file: only files "
                          "saved on disk can be opened.") from None
    except FileTooLarge as error:
        size = f"{error.size / 1_048_576:.1f} MB" if error.size is not None else \
            f"more than {MAX_FILE_BYTES // 1_048_576} MB"
        raise FileProblem(
            f"'{name}' is {size}. Files larger than "
            f"{MAX_FILE_BYTES // 1_048_576} MB are not opened: a pseudocode program is "
            "never that big, so this is probably not one.") from None
    except (FileNotFoundError, NotADirectoryError):
        raise FileProblem(f"'{path}' does not exist (it may have been moved or deleted).") from None
    except PermissionError:
        raise FileProblem(f"You do not have permission to read '{path}'.") from None
    except IsADirectoryError:
        raise FileProblem(f"'{name}' is a folder, not a file.") from None
    except OSError as error:
        raise FileProblem(f"'{path}' could not be read: {error.strerror or error}.") from None
    return decode_pseudocode(data, name)


def decode_pseudocode(data: bytes, name: str = "the file") -> LoadedFile:
    """Decode file bytes as UTF-8 text, or raise FileProblem saying why not."""
    for bom, encoding in _OTHER_BOMS.items():
        if data.startswith(bom):
            raise FileProblem(
                f"'{name}' is saved as {encoding}. Save it as UTF-8 in your text editor "
                "and open it again.")
    has_bom = data.startswith(UTF8_BOM)
    body = data[len(UTF8_BOM):] if has_bom else data
    if b"\x00" in body[:65536]:
        raise FileProblem(f"'{name}' is not a text file (it contains binary data).")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileProblem(
            f"'{name}' is not UTF-8 text (unreadable byte at position {error.start}). "
            "It may be saved in another encoding, such as Windows-1252: save it as UTF-8 "
            "and open it again.") from None
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > 8:
        raise FileProblem(f"'{name}' is not a text file (it contains binary data).")
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return LoadedFile(text, has_bom, newline)


def write_pseudocode(path: str | os.PathLike[str], text: str, has_bom: bool = False,
                     newline: str = "\n") -> None:
    """Write atomically (temp file, then replace) so a failure never leaves half a file."""
    path = Path(path)
    data = text.replace("\r\n", "\n")
    if newline != "\n":
        data = data.replace("\n", newline)
    raw = (UTF8_BOM if has_bom else b"") + data.encode("utf-8")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except FileNotFoundError:
        raise FileProblem(f"The folder '{folder}' does not exist.") from None
    except PermissionError:
        raise FileProblem(f"You do not have permission to save in '{folder}'.") from None
    except OSError as error:
        raise FileProblem(f"'{path}' could not be saved: {error.strerror or error}.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        _give_mode(temp, path)
        os.replace(temp, path)
    except PermissionError:
        _remove_quietly(temp)
        raise FileProblem(f"You do not have permission to write '{path}'.") from None
    except OSError as error:
        _remove_quietly(temp)
        raise FileProblem(f"'{path}' could not be saved: {error.strerror or error}.") from None


def write_python(path: str | os.PathLike[str], code: str) -> None:
    """Export translated Python (plain UTF-8, no BOM)."""
    write_pseudocode(path, code, has_bom=False, newline="\n")


def _give_mode(temp: str, path: Path) -> None:
    """The mode the file would have had without the temp file: the existing file's when
    saving over one, else what the umask gives a new file (``mkstemp`` makes 0600, which
    a teacher's shared folder cannot use)."""
    if os.name == "nt":
        return  # no Unix permission bits; the folder's ACL applies to the new file
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~current_umask()
        os.chmod(temp, mode)
    except OSError:
        pass


def _remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass
