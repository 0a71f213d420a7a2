"""The GUI's Qt-free logic: indentation rules, highlight spans, recovery, settings."""

from __future__ import annotations

import os
import sys

import pytest

from gui.model import indent
from gui.model.recovery import RecoveredDocument, RecoveryStore
from gui.model.syntax import Category, pseudocode_spans, python_spans


@pytest.fixture
def folder(tmp_path):
    """An empty folder of the test's own (tmp_path also holds the isolated home)."""
    path = tmp_path / "work"
    path.mkdir()
    return path


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
