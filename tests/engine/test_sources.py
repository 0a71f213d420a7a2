"""Reading and writing the user's files (engine.sources: the editor's and the command
line's one reader/writer). Moved from tests/gui/model/test_logic.py with the module (was
gui/model/documents.py)."""

from __future__ import annotations

import os

import pytest

from engine import sources
from engine.sources import SourceProblem, read_source, write_source


@pytest.fixture
def folder(tmp_path):
    """An empty folder of the test's own."""
    path = tmp_path / "work"
    path.mkdir()
    return path


def test_plain_utf8_round_trip(folder) -> None:
    path = folder / "a.pseudo"
    write_source(path, "OUTPUT \"\u00e9\u2190\"\n")
    loaded = read_source(path)
    assert loaded.text == "OUTPUT \"\u00e9\u2190\"\n" and not loaded.has_bom
    assert loaded.newline == "\n"


def test_bom_and_crlf_are_read_and_written_back(folder) -> None:
    path = folder / "b.pseudo"
    path.write_bytes(b"\xef\xbb\xbfA\r\nB\r\n")
    loaded = read_source(path)
    assert loaded.text == "A\nB\n" and loaded.has_bom and loaded.newline == "\r\n"
    write_source(path, loaded.text + "C\n", loaded.has_bom, loaded.newline)
    assert path.read_bytes() == b"\xef\xbb\xbfA\r\nB\r\nC\r\n"


@pytest.mark.parametrize("data, words", [
    (b"\x00\x01\x02binary\x00", "not a text file"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(0, 32)) * 4, "not a text file"),
    ("h\u00e9llo".encode("latin-1"), "not UTF-8"),
    ("OUTPUT 1".encode("utf-16"), "UTF-16"),
])
def test_unreadable_contents_raise_a_clear_problem(folder, data, words) -> None:
    path = folder / "bad.pseudo"
    path.write_bytes(data)
    with pytest.raises(SourceProblem, match=words):
        read_source(path)


def test_huge_file_is_refused(folder, monkeypatch) -> None:
    monkeypatch.setattr(sources, "MAX_SOURCE_BYTES", 1000)
    path = folder / "big.pseudo"
    path.write_text("x" * 2000)
    with pytest.raises(SourceProblem, match="not opened"):
        read_source(path)


def test_missing_file_and_folder(folder) -> None:
    with pytest.raises(SourceProblem, match="does not exist"):
        read_source(folder / "nope.pseudo")
    with pytest.raises(SourceProblem, match="folder"):
        read_source(folder)


def test_a_missing_file_is_worded_for_where_it_is_shown(folder) -> None:
    # the editor: a recent file or a saved session that is gone; the command line: a name
    # the user has just typed, which was never "moved or deleted"
    with pytest.raises(SourceProblem) as caught:
        read_source(folder / "nope.pseudo")
    assert str(caught.value) == "'nope.pseudo' does not exist (it may have been moved or deleted)."
    assert caught.value.line == "nope.pseudo: no such file"


@pytest.mark.parametrize("data", [b"\x00\x01\x02binary\x00",
                                  b"\x89PNG\r\n\x1a\n" + bytes(range(0, 32)) * 4],
                         ids=["nul", "png"])
def test_the_binary_message_says_it_once(folder, data) -> None:
    path = folder / "picture.pseudo"
    path.write_bytes(data)
    with pytest.raises(SourceProblem) as caught:
        read_source(path)
    for text in (str(caught.value), caught.value.line):
        assert text.count("binary") == 1 and "not a text file" in text, text


@pytest.mark.parametrize("data", ["h\u00e9llo".encode("latin-1"), "OUTPUT 1".encode("utf-16")],
                         ids=["latin1", "utf16"])
def test_an_encoding_problem_tells_the_command_line_to_try_again(folder, data) -> None:
    path = folder / "other.pseudo"
    path.write_bytes(data)
    with pytest.raises(SourceProblem) as caught:
        read_source(path)
    assert str(caught.value).endswith("and open it again.")
    assert caught.value.line.endswith("and try again.") and "open it" not in caught.value.line


@pytest.mark.skipif(os.name == "nt" or (hasattr(os, "geteuid") and os.geteuid() == 0),
                    reason="root (and Windows) can read files without permission bits")
def test_no_permission(folder) -> None:
    path = folder / "secret.pseudo"
    path.write_text("OUTPUT 1")
    path.chmod(0)
    with pytest.raises(SourceProblem, match="permission"):
        read_source(path)


def test_write_into_missing_folder_is_a_problem_and_leaves_nothing(folder) -> None:
    with pytest.raises(SourceProblem):
        write_source(folder / "missing" / "x.pseudo", "OUTPUT 1")
    assert not list(folder.iterdir())


def test_write_is_atomic_and_keeps_no_temp_files(folder) -> None:
    path = folder / "c.pseudo"
    write_source(path, "one")
    write_source(path, "two")
    assert path.read_text() == "two"
    assert [p.name for p in folder.iterdir()] == ["c.pseudo"]


def _read_within(path, seconds: float = 10.0):
    """read_source in a thread: a hang (the bug) fails the test instead of blocking it."""
    import threading

    caught: list[BaseException] = []

    def run() -> None:
        try:
            read_source(path)
        except BaseException as error:  # noqa: BLE001 - handed to the test
            caught.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert caught, f"read_source did not return within {seconds} s"
    return caught[0]


@pytest.mark.skipif(os.name == "nt", reason="POSIX named pipes")
def test_a_named_pipe_is_refused_at_once(folder) -> None:
    fifo = folder / "pipe.pseudo"
    os.mkfifo(fifo)
    error = _read_within(fifo)
    assert isinstance(error, SourceProblem)
    assert "'pipe.pseudo' is a named pipe, not a regular file" in str(error)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_link_to_a_device_is_refused_without_reading_it(folder) -> None:
    # In a child with 1 GB of address space: reading the device (the bug) fails fast there.
    import subprocess
    import sys

    link = folder / "zero.pseudo"
    link.symlink_to("/dev/zero")
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
            "from engine.sources import SourceProblem, read_source\n"
            "try:\n    read_source(sys.argv[1])\nexcept SourceProblem as e:\n    print(e)\n")
    done = subprocess.run([sys.executable, "-c", code, str(link)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "'zero.pseudo' is a device, not a regular file" in done.stdout


# -- one policy for the command line and the editor (issue 12) ------------------------------
def test_one_size_limit_is_the_engine_limit() -> None:
    from engine import MAX_SOURCE_CHARS

    assert sources.MAX_SOURCE_BYTES == MAX_SOURCE_CHARS


def test_a_nul_byte_past_the_first_64_kib_is_still_binary(folder) -> None:
    path = folder / "late.pseudo"
    path.write_bytes(b"OUTPUT 1\n" * 10_000 + b"\x00")
    with pytest.raises(SourceProblem, match="not a text file"):
        read_source(path)


def test_the_problem_names_the_file_two_ways(folder) -> None:
    path = folder / "x.pseudo"
    path.write_bytes("OUTPUT 1".encode("utf-16"))
    with pytest.raises(SourceProblem) as caught:
        read_source(path, name=str(path))
    assert str(caught.value).startswith(f"'{path}' is saved as UTF-16")
    assert caught.value.line.startswith(f"{path} is saved as UTF-16")


def test_standard_input_has_the_same_bound_and_rules(monkeypatch) -> None:
    import io

    monkeypatch.setattr(sources, "MAX_SOURCE_BYTES", 10)
    with pytest.raises(SourceProblem, match="too large"):
        sources.read_stream(io.BytesIO(b"x" * 11))
    assert sources.read_stream(io.BytesIO(b"\xef\xbb\xbfA\r\nB")) == ("A\nB", True, "\r\n")


@pytest.mark.skipif(os.name == "nt", reason="POSIX symlinks and permission bits")
def test_atomic_writes_keep_a_symlink_and_the_mode(folder) -> None:
    target = folder / "real.pseudo"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    link = folder / "link.pseudo"
    link.symlink_to(target)
    assert sources.write_text_atomic(link, "new\n", newline="\r\n") == target.resolve()
    assert link.is_symlink() and target.read_bytes() == b"new\r\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in folder.iterdir()) == ["link.pseudo", "real.pseudo"]


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temp(folder, monkeypatch) -> None:
    path = folder / "keep.pseudo"
    path.write_text("old", encoding="utf-8")

    def broken_replace(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(SourceProblem, match="not saved: cannot write it"):
        write_source(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in folder.iterdir()] == ["keep.pseudo"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX named pipes")
def test_saving_over_a_named_pipe_is_refused(folder) -> None:
    fifo = folder / "out.py"
    os.mkfifo(fifo)
    with pytest.raises(SourceProblem, match="not a regular file; not written"):
        sources.write_python(fifo, "print(1)\n")


@pytest.mark.skipif(os.name == "nt", reason="POSIX named pipes")
def test_find_sources_reports_special_files_and_skips_hidden_folders(folder) -> None:
    (folder / "a.pseudo").write_text("OUTPUT 1", encoding="utf-8")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "b.pseudo").write_text("OUTPUT 2", encoding="utf-8")
    os.mkfifo(folder / "pipe.PSEUDO")
    special: list = []
    assert sources.find_sources(folder, special=special) == [folder / "a.pseudo"]
    assert special == [folder / "pipe.PSEUDO"]


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_an_output_named_on_the_command_line_may_be_a_device(folder) -> None:
    sources.write_named_output("/dev/null", "print(1)\n")  # written, not replaced
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")
    sources.write_named_output(folder / "out.py", "print(1)\n")
    assert (folder / "out.py").read_text(encoding="utf-8") == "print(1)\n"
