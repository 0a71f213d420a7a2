"""Reading and writing the user's files: one policy for the command line and the editor.

A pseudocode file is UTF-8 text, with or without a byte-order mark; the mark
and the line-ending style are remembered, so that saving writes them back as
they were. Anything else (a folder, a named pipe, a device, a file over
:data:`MAX_SOURCE_BYTES`, a UTF-16 file, binary data, bytes that are not
UTF-8, a missing file, no permission) raises :class:`SourceProblem`, whose
message is meant for the user, and the caller keeps the text it had.

Reading never blocks and never reads past the bound: only a regular file is
opened (a named pipe is refused before anyone could write to it), and
reading stops at ``limit + 1`` bytes, so ``/dev/zero``, a symlink to it or
a file that grows while it is read cannot exhaust the memory.

Writing is atomic (:func:`write_text_atomic`): a temporary file in the same
folder, flushed to disk, then renamed over the target, so a crash leaves the
old file or the new one, never half of one. A symlink stays a link (its
target is rewritten), and the file keeps its permission bits.

Standard library only; the configuration, the command line, File > Open /
Save / Export, File > Translate Folder and the recovery snapshots all use it.
"""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path
from typing import BinaryIO, NamedTuple

from engine import MAX_SOURCE_CHARS

# The largest pseudocode file read, in bytes: the engine's limit in characters (a larger
# file could not be translated anyway). One limit for the command line and the editor.
MAX_SOURCE_BYTES = MAX_SOURCE_CHARS
SOURCE_SUFFIX = ".pseudo"
UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}
# Text is never this dense in control characters (tab, newline, form feed aside).
_SNIFF_BYTES = 65536
_MAX_CONTROLS = 8

_umask_lock = threading.Lock()


# -- errors ---------------------------------------------------------------------------


class SourceProblem(Exception):
    """A file could not be read or written: ``name`` (how the message calls it) and
    ``reason`` (the rest of the sentence). ``str(self)`` is the editor's message, with
    the name quoted; ``line`` is the command line's (``path reason``, one line), or
    ``cli_line`` when the command line says it differently (a file the user has just
    typed was not "moved or deleted": it is simply not there)."""

    def __init__(self, name: str, reason: str, cli_line: str | None = None) -> None:
        super().__init__(f"'{name}' {reason}")
        self.name = name
        self.reason = reason
        self.cli_line = cli_line

    @property
    def line(self) -> str:
        return self.cli_line or f"{self.name} {self.reason}"


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


def shown_path(path: str | os.PathLike[str], limit: int = 80) -> str:
    """A path for a one-line message (a path too long for the system is cut short)."""
    text = str(path)
    return text if len(text) <= limit else f"{text[:limit - 25]}...{text[-22:]}"


# -- reading --------------------------------------------------------------------------


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


class SourceText(NamedTuple):
    """A pseudocode file as read: its text and how to write it back. (A NamedTuple: the
    command line imports this module at start-up, and ``dataclasses`` costs more.)"""

    text: str          # with "\n" line ends
    has_bom: bool
    newline: str       # "\n" or "\r\n" (what the file used)


def _too_large(name: str, size: int | None) -> SourceProblem:
    limit_mb = MAX_SOURCE_BYTES / 1_000_000
    shown = f"{size / 1_000_000:.1f} MB" if size is not None else f"more than {limit_mb:g} MB"
    return SourceProblem(name, f"is too large ({shown}; the limit is {limit_mb:g} MB). Files "
                               "that large are not opened: a pseudocode program is never "
                               "that big, so this is probably not one.")


def read_source(path: str | os.PathLike[str], name: str | None = None) -> SourceText:
    """Read a pseudocode file, or raise SourceProblem saying why it cannot be used.

    ``name`` is how messages call the file (default: its file name).
    """
    path = Path(path)
    name = name or path.name or str(path)
    try:
        data = read_regular(path, MAX_SOURCE_BYTES)
    except NotRegularFile as error:
        if error.kind == "a folder":
            raise SourceProblem(name, "is a folder, not a file.") from None
        raise SourceProblem(name, f"is {error.kind}, not a regular file: only regular files "
                                  "(saved on disk) are opened.") from None
    except FileTooLarge as error:
        raise _too_large(name, error.size) from None
    except (FileNotFoundError, NotADirectoryError) as error:
        # the editor opens recent files and saved sessions; the command line, a name just typed
        raise SourceProblem(name, _os_reason(error, "read"),
                            cli_line=describe_os_error(name, error)) from None
    except OSError as error:
        raise SourceProblem(name, _os_reason(error, "read")) from None
    return decode_source(data, name)


def read_stream(stream: BinaryIO, name: str = "standard input") -> SourceText:
    """Read pseudocode from a binary stream (standard input), within the same bound."""
    data = stream.read(MAX_SOURCE_BYTES + 1)
    if len(data) > MAX_SOURCE_BYTES:
        raise _too_large(name, None)
    return decode_source(data, name)


def decode_source(data: bytes, name: str = "the file") -> SourceText:
    """Decode file bytes as UTF-8 text, or raise SourceProblem saying why not.

    Refused: a UTF-16 or UTF-32 byte-order mark, a NUL byte anywhere, more than
    a few control characters at the start, bytes that are not UTF-8.
    """
    for bom, encoding in _OTHER_BOMS.items():
        if data.startswith(bom):
            raise _resave(name, f"is saved as {encoding}. Save it as UTF-8 in your text "
                                "editor")
    has_bom = data.startswith(UTF8_BOM)
    body = data[len(UTF8_BOM):] if has_bom else data
    if b"\x00" in body:
        raise _binary(name)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _resave(name, f"is not UTF-8 text (unreadable byte at position {error.start}). "
                            "It may be saved in another encoding, such as Windows-1252: save "
                            "it as UTF-8") from None
    controls = sum(1 for ch in text[:_SNIFF_BYTES] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > _MAX_CONTROLS:
        raise _binary(name)
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(text, has_bom, newline)


def _binary(name: str) -> SourceProblem:
    return SourceProblem(name, "is not a text file: it looks like a binary file, not "
                               "pseudocode.")


def _resave(name: str, reason: str) -> SourceProblem:
    """A file in the wrong encoding: the editor says "open it again", the command line
    "try again" (it opens nothing)."""
    return SourceProblem(name, f"{reason} and open it again.",
                         cli_line=f"{name} {reason} and try again.")


def _os_reason(error: OSError, doing: str) -> str:
    """The rest of the sentence for an OSError while reading (``doing="read"``) or
    writing (``"written"``) a file."""
    if error.errno == errno.ENAMETOOLONG:
        return "cannot be used: the path is too long for this system."
    if isinstance(error, IsADirectoryError):
        return "is a folder, not a file."
    if error.errno == errno.ELOOP:
        return "cannot be used: too many levels of symbolic links."
    if doing == "written":
        if isinstance(error, PermissionError):
            return "was not saved: cannot write it (you do not have permission)."
        return f"was not saved: cannot write it ({error.strerror or error})."
    if isinstance(error, (FileNotFoundError, NotADirectoryError)):
        return "does not exist (it may have been moved or deleted)."
    if isinstance(error, PermissionError):
        return "cannot be read: you do not have permission to read it."
    return f"cannot be read ({error.strerror or error})."


def describe_os_error(name: str, error: OSError, doing: str = "cannot be read") -> str:
    """One line for an OSError about a path named on the command line (``NAME: why``)."""
    if error.errno == errno.ENAMETOOLONG:
        return f"{name}: the path is too long for this system"
    if doing != "cannot be read":
        return f"{name}: {doing} ({error.strerror or error})"
    if isinstance(error, (FileNotFoundError, NotADirectoryError)):
        return f"{name}: no such file"
    if isinstance(error, PermissionError):
        return f"{name}: permission denied"
    if error.errno == errno.ELOOP:
        return f"{name}: too many levels of symbolic links"
    return f"{name}: {doing} ({error.strerror or error})"


# -- writing --------------------------------------------------------------------------


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


def is_regular_or_absent(path: Path) -> bool:
    """Whether writing ``path`` would write a regular file (it is one, or does not exist)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return True


def write_text_atomic(path: str | os.PathLike[str], text: str, *, bom: bool = False,
                      newline: str | None = "\n", make_parents: bool = False,
                      durable: bool = True) -> Path:
    """Replace the file's content atomically, keeping what makes it the user's file.

    ``text`` has "\\n" line ends; they are written as ``newline`` (``None``: the
    text as it is, a CSV's "\\r\\n" included), in UTF-8 (with a byte-order mark if ``bom``). A symlink is followed and its target
    rewritten (the link stays a link); the target keeps its permission bits (a
    new file gets what the umask gives, not ``mkstemp``'s 0600, which a
    teacher's shared folder cannot use). ``durable``: flushed to disk before the
    rename (a snapshot rewritten every few seconds may skip that). Raises the
    OSError; nothing is left behind. Returns the path written (the symlink's target).
    """
    target = Path(os.path.realpath(path))
    if make_parents:
        target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    if mode is None:
        mode = 0o666 & ~current_umask()
    data = text if newline is None else text.replace("\r\n", "\n")
    if newline is not None and newline != "\n":
        data = data.replace("\n", newline)
    raw = (UTF8_BOM if bom else b"") + data.encode("utf-8")
    import tempfile  # here: it costs start-up time, and most commands never write

    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            if os.name != "nt":  # no Unix permission bits there: the folder's ACL applies
                os.fchmod(handle.fileno(), mode)
            if durable:
                os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    return target


def write_source(path: str | os.PathLike[str], text: str, has_bom: bool = False,
                 newline: str | None = "\n") -> Path:
    """Save a file the user chose (pseudocode, exported Python) atomically, or raise
    SourceProblem saying why it could not be saved (the old file is then untouched)."""
    path = Path(path)
    name = shown_path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        if not folder.is_dir():
            raise SourceProblem(name, f"was not saved: cannot write into {shown_path(folder)}, "
                                      "a folder that does not exist.")
        if not is_regular_or_absent(path):
            raise SourceProblem(name, "is not a regular file; not written (only a regular "
                                      "file is replaced).")
        return write_text_atomic(path, text, bom=has_bom, newline=newline)
    except OSError as error:
        raise SourceProblem(name, _os_reason(error, "written")) from None


def write_python(path: str | os.PathLike[str], code: str) -> Path:
    """Export translated Python (plain UTF-8, no BOM, "\\n" line ends)."""
    return write_source(path, code, has_bom=False, newline="\n")


def write_named_output(path: str | os.PathLike[str], text: str) -> None:
    """Write the output file named on the command line (``-o FILE``): atomically when it is
    a regular file or a new one; directly when it is a device or a pipe the user named
    (``/dev/null``, ``/dev/stdout``, a shell's ``>(...)``), which cannot be replaced."""
    try:
        special = not is_regular_or_absent(Path(path))
    except OSError:
        special = False  # write_python says what is wrong with the path
    if not special:
        write_python(path, text)
        return
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as error:
        raise SourceProblem(shown_path(path), _os_reason(error, "written")) from None


# -- finding the pseudocode files of a folder -----------------------------------------


def find_sources(folder: str | os.PathLike[str], skip: str | os.PathLike[str] | None = None,
                 special: list[Path] | None = None) -> list[Path]:
    """The ``.pseudo`` files of ``folder`` and of its subfolders, by relative path.

    Hidden folders (``.git``, ``.venv`` ...) are not searched, nor is ``skip``
    (the output folder, when it is inside ``folder``), and folder links are
    not followed (no loops). The suffix matches in any case (``X.PSEUDO``).
    Only regular files are listed (a named pipe is never opened); the others
    with the suffix are added to ``special``, if given. An unreadable
    subfolder is skipped; an unreadable ``folder`` raises ``OSError``.
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
        for name in files:
            if not name.lower().endswith(SOURCE_SUFFIX):
                continue
            if (here / name).is_file():
                found.append(here / name)
            elif special is not None:
                special.append(here / name)
    return sorted(found, key=lambda p: [part.lower() for part in p.relative_to(base).parts])


def _identity(path: str | os.PathLike[str]) -> object:
    try:
        info = os.stat(path)
        return (info.st_dev, info.st_ino)
    except OSError:
        return os.path.normcase(os.path.abspath(path))

