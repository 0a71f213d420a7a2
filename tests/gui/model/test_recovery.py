"""gui.model.recovery: autosave snapshots, session locks, orphans of crashed sessions."""

from __future__ import annotations

import os
import sys

from gui.model.recovery import RecoveredDocument, RecoveryStore


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
