"""The GUI's Qt-free logic: files, indentation rules, highlight spans, recovery, settings."""

from __future__ import annotations

import os
import sys

import pytest

from gui.model import documents, indent
from gui.model.documents import FileProblem, read_pseudocode, write_pseudocode
from gui.model.recovery import RecoveredDocument, RecoveryStore
from gui.model.syntax import Category, pseudocode_spans, python_spans


@pytest.fixture
def folder(tmp_path):
    """An empty folder of the test's own (tmp_path also holds the isolated home)."""
    path = tmp_path / "work"
    path.mkdir()
    return path


# -- files ---------------------------------------------------------------------------------
def test_plain_utf8_round_trip(folder) -> None:
    path = folder / "a.pseudo"
    write_pseudocode(path, "OUTPUT \"\u00e9\u2190\"\n")
    loaded = read_pseudocode(path)
    assert loaded.text == "OUTPUT \"\u00e9\u2190\"\n" and not loaded.has_bom
    assert loaded.newline == "\n"


def test_bom_and_crlf_are_read_and_written_back(folder) -> None:
    path = folder / "b.pseudo"
    path.write_bytes(b"\xef\xbb\xbfA\r\nB\r\n")
    loaded = read_pseudocode(path)
    assert loaded.text == "A\nB\n" and loaded.has_bom and loaded.newline == "\r\n"
    write_pseudocode(path, loaded.text + "C\n", loaded.has_bom, loaded.newline)
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
    with pytest.raises(FileProblem, match=words):
        read_pseudocode(path)


def test_huge_file_is_refused(folder, monkeypatch) -> None:
    monkeypatch.setattr(documents, "MAX_FILE_BYTES", 1000)
    path = folder / "big.pseudo"
    path.write_text("x" * 2000)
    with pytest.raises(FileProblem, match="not opened"):
        read_pseudocode(path)


def test_missing_file_and_folder(folder) -> None:
    with pytest.raises(FileProblem, match="does not exist"):
        read_pseudocode(folder / "nope.pseudo")
    with pytest.raises(FileProblem, match="folder"):
        read_pseudocode(folder)


@pytest.mark.skipif(os.name == "nt" or (hasattr(os, "geteuid") and os.geteuid() == 0),
                    reason="root (and Windows) can read files without permission bits")
def test_no_permission(folder) -> None:
    path = folder / "secret.pseudo"
    path.write_text("OUTPUT 1")
    path.chmod(0)
    with pytest.raises(FileProblem, match="permission"):
        read_pseudocode(path)


def test_write_into_missing_folder_is_a_problem_and_leaves_nothing(folder) -> None:
    with pytest.raises(FileProblem):
        write_pseudocode(folder / "missing" / "x.pseudo", "OUTPUT 1")
    assert not list(folder.iterdir())


def test_write_is_atomic_and_keeps_no_temp_files(folder) -> None:
    path = folder / "c.pseudo"
    write_pseudocode(path, "one")
    write_pseudocode(path, "two")
    assert path.read_text() == "two"
    assert [p.name for p in folder.iterdir()] == ["c.pseudo"]


# -- indentation ----------------------------------------------------------------------------
@pytest.mark.parametrize("line, expected", [
    ("IF X > 3 THEN", "    "),
    ("    FOR I <- 1 TO 10", "        "),
    ("WHILE TRUE DO", "    "),
    ("REPEAT", "    "),
    ("CASE OF X", "    "),
    ("PROCEDURE P(A : INTEGER)", "    "),
    ("FUNCTION F RETURNS INTEGER", "    "),
    ("TYPE Student", "    "),
    ("TYPE Season = (Spring, Summer)", ""),
    ("CLASS Pet", "    "),
    ("    PUBLIC FUNCTION GetName() RETURNS STRING", "        "),
    ("    PRIVATE Name : STRING", "    "),
    ("ELSE", "    "),
    ("OTHERWISE : OUTPUT 1", ""),
    ("OUTPUT 1", ""),
    ("  OUTPUT 1", "  "),
    ('OUTPUT "IF"', ""),
    ("// IF comment", ""),
    ("if x > 1 then", "    "),
])
def test_indent_after(line, expected) -> None:
    assert indent.indent_after(line, "    ") == expected


@pytest.mark.parametrize("lines, expected", [
    (["IF A THEN", "    OUTPUT 1", "    ENDIF"], ""),
    (["    IF A THEN", "        OUTPUT 1", "        ELSE"], "    "),
    (["FOR I <- 1 TO 3", "    IF A THEN", "    ENDIF", "    NEXT I"], ""),
    (["REPEAT", "    X <- 1", "    UNTIL X"], ""),
    (["CASE OF X", "    1 : OUTPUT 1", "        OTHERWISE"], "    "),
    (["IF A THEN", "    OUTPUT 1", "ELSE IF B THEN", "        OUTPUT 2", "        ENDIF"], ""),
    (["WHILE A", "    OUTPUT 1", "    ENDIF"], None),
    (["    OUTPUT 1"], None),
    (["OUTPUT 1", "    OUTPUT 2"], None),
])
def test_dedent_target(lines, expected) -> None:
    assert indent.dedent_target(lines, len(lines) - 1, "    ") == expected


def test_next_tab_stop() -> None:
    assert indent.next_tab_stop(0, 4) == 4
    assert indent.next_tab_stop(5, 4) == 3


# -- highlight spans ------------------------------------------------------------------------
def _categories(spans, line: str) -> dict[str, Category]:
    return {line[s: s + n]: c for s, n, c in spans}


def test_pseudocode_spans() -> None:
    line = 'DECLARE Total : INTEGER // the sum'
    cats = _categories(pseudocode_spans(line), line)
    assert cats["DECLARE"] is Category.KEYWORD
    assert cats["INTEGER"] is Category.TYPE
    assert cats["// the sum"] is Category.COMMENT
    assert "Total" not in cats


def test_pseudocode_literals_builtins_and_definitions() -> None:
    line = 'FUNCTION Area(R : REAL) RETURNS REAL'
    assert _categories(pseudocode_spans(line), line)["Area"] is Category.DEFINITION
    line = "OUTPUT LENGTH(\"ab\") + 3.5, TRUE, 'c'"
    cats = _categories(pseudocode_spans(line), line)
    assert cats["LENGTH"] is Category.BUILTIN
    assert cats['"ab"'] is Category.STRING
    assert cats["3.5"] is Category.NUMBER
    assert cats["TRUE"] is Category.LITERAL
    assert cats["'c'"] is Category.STRING
    assert cats["+"] is Category.OPERATOR


def test_pseudocode_bad_characters_and_open_strings() -> None:
    line = 'OUTPUT $ "open'
    cats = _categories(pseudocode_spans(line), line)
    assert cats["$"] is Category.ERROR
    assert cats['"open'] is Category.STRING


def test_python_spans() -> None:
    line = "def area(r):  # circle"
    cats = _categories(python_spans(line), line)
    assert cats["def"] is Category.KEYWORD
    assert cats["area"] is Category.DEFINITION
    assert cats["# circle"] is Category.COMMENT
    line = "    print(f'{x}', 3, None)"
    cats = _categories(python_spans(line), line)
    assert cats["print"] is Category.BUILTIN
    assert cats["3"] is Category.NUMBER
    assert cats["None"] is Category.LITERAL


def test_python_spans_survive_broken_lines() -> None:
    assert python_spans('x = "unclosed') is not None
    assert python_spans("    ") == []


# -- recovery -------------------------------------------------------------------------------
def test_snapshot_of_a_crashed_session_is_found(folder) -> None:
    crashed = RecoveryStore(folder, session="old")
    assert crashed.save([RecoveredDocument("OUTPUT 1", None, "Untitled")])
    crashed.abandon()
    now = RecoveryStore(folder, session="new")
    now.open()
    orphans = now.find_orphans()
    assert [o.session for o in orphans] == ["old"]
    assert orphans[0].documents[0].text == "OUTPUT 1"
    now.discard(orphans[0])
    assert not now.find_orphans()
    assert sorted(p.name for p in folder.iterdir()) == ["new.lock"]


def test_a_running_session_is_not_an_orphan(folder) -> None:
    running = RecoveryStore(folder, session="running")
    running.save([RecoveredDocument("x", "/a/b.pseudo", "b.pseudo")])
    other = RecoveryStore(folder, session="other")
    assert other.find_orphans() == []
    running.close()
    assert not list(folder.iterdir())


def test_lock_held_by_another_process_means_running(folder) -> None:
    """The lock really is per process: a child holding it keeps its snapshot alive."""
    import subprocess
    import textwrap

    code = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {os.getcwd()!r})
        from gui.model.recovery import RecoveryStore, RecoveredDocument
        store = RecoveryStore({str(folder)!r}, session="child")
        store.save([RecoveredDocument("x", None, "t")])
        print("ready", flush=True)
        sys.stdin.readline()
    """)
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        assert RecoveryStore(folder, session="me").find_orphans() == []
    finally:
        child.stdin.close()
        child.wait(10)
    # the child exited without cleaning up (like a crash): now it is an orphan
    assert [o.session for o in RecoveryStore(folder, session="me").find_orphans()] == ["child"]


def test_empty_save_removes_the_snapshot_and_unchanged_save_is_skipped(folder) -> None:
    store = RecoveryStore(folder, session="s")
    doc = [RecoveredDocument("x", None, "t")]
    store.save(doc)
    stamp = store.snapshot_path.stat().st_mtime_ns
    store.save(doc)
    assert store.snapshot_path.stat().st_mtime_ns == stamp
    store.save([])
    assert not store.snapshot_path.exists()
    store.close()


def test_corrupt_snapshot_is_ignored(folder) -> None:
    (folder / "broken.json").write_text("{not json")
    assert RecoveryStore(folder, session="me").find_orphans() == []


def test_save_after_close_does_nothing(folder) -> None:
    store = RecoveryStore(folder, session="s")
    store.close()
    assert not store.save([RecoveredDocument("x", None, "t")])
    assert not store.snapshot_path.exists()


# -- settings -------------------------------------------------------------------------------
def test_settings_come_from_the_config_file(folder, monkeypatch) -> None:
    pytest.importorskip("engine.config")
    from gui.model.editor_settings import load_settings

    config = folder / "config.yaml"
    config.write_text("editor:\n  font_size: 15\n  theme: dark\n  show_arrow_glyph: false\n"
                      "translation:\n  strict_mode: true\n")
    monkeypatch.setenv("PSEUDOCODE_CONFIG", str(config))
    settings = load_settings()
    assert (settings.font_size, settings.theme, settings.show_arrow_glyph) == (15, "dark", False)
    assert settings.strict_mode
    assert settings.config is not None


def test_settings_fall_back_to_defaults(folder, monkeypatch) -> None:
    from gui.model.editor_settings import EditorSettings, load_settings

    monkeypatch.setenv("PSEUDOCODE_CONFIG", str(folder / "missing.yaml"))
    settings = load_settings()
    defaults = EditorSettings()
    assert (settings.font_size, settings.tab_width) == (defaults.font_size, defaults.tab_width)


def test_keep_leaves_the_snapshot_with_its_reason_for_the_next_start(folder) -> None:
    store = RecoveryStore(folder, session="asked-to-quit")
    store.save([RecoveredDocument("old text", None, "Untitled")])
    assert store.keep([RecoveredDocument("newest text", None, "Untitled")], "SIGTERM")
    store.close()  # after keep: nothing removed
    assert not store.save([RecoveredDocument("later", None, "t")])  # closed
    orphans = RecoveryStore(folder, session="next").find_orphans()
    assert [(o.session, o.reason) for o in orphans] == [("asked-to-quit", "SIGTERM")]
    assert orphans[0].documents[0].text == "newest text"
    clean = RecoveryStore(folder, session="nothing-unsaved")
    clean.save([RecoveredDocument("x", None, "t")])
    assert clean.keep([], "SIGINT")  # nothing unsaved: a clean close
    assert not clean.snapshot_path.exists() and not clean.lock_path.exists()


def _read_within(path, seconds: float = 10.0):
    """read_pseudocode in a thread: a hang (the bug) fails the test instead of blocking it."""
    import threading

    caught: list[BaseException] = []

    def run() -> None:
        try:
            read_pseudocode(path)
        except BaseException as error:  # noqa: BLE001 - handed to the test
            caught.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert caught, f"read_pseudocode did not return within {seconds} s"
    return caught[0]


@pytest.mark.skipif(os.name == "nt", reason="POSIX named pipes")
def test_a_named_pipe_is_refused_at_once(folder) -> None:
    fifo = folder / "pipe.pseudo"
    os.mkfifo(fifo)
    error = _read_within(fifo)
    assert isinstance(error, FileProblem)
    assert "'pipe.pseudo' is a named pipe, not a regular file" in str(error)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_link_to_a_device_is_refused_without_reading_it(folder) -> None:
    # In a child with 1 GB of address space: reading the device (the bug) fails fast there.
    import subprocess
    import sys

    link = folder / "zero.pseudo"
    link.symlink_to("/dev/zero")
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
            "from gui.model.documents import FileProblem, read_pseudocode\n"
            "try:\n    read_pseudocode(sys.argv[1])\nexcept FileProblem as e:\n    print(e)\n")
    done = subprocess.run([sys.executable, "-c", code, str(link)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "'zero.pseudo' is a device, not a regular file" in done.stdout
