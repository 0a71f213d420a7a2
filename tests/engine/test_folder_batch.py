"""The folder batch (engine.folder_batch): File > Translate Folder and ``translate --out-dir``
share it. Moved from tests/gui/model/test_perf_model.py with the module (was gui/model/batch.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from engine.folder_batch import FolderBatch
from engine.sources import find_sources

CONFORMANCE = Path(__file__).resolve().parents[3] / "shared" / "conformance"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_batch_translates_the_conformance_folder_in_one_call(tmp_path: Path) -> None:
    from engine.translator import TranslationManager

    sources = find_sources(CONFORMANCE)
    assert len(sources) >= 30
    calls: list[int] = []
    progress: list[tuple[int, int]] = []
    manager = TranslationManager()

    def translate_many(texts, progress=None, cancel=None):
        assert isinstance(cancel, threading.Event) and not cancel.is_set()
        calls.append(len(texts))
        return manager.translate_many(texts, progress=progress, cancel=cancel)

    job = FolderBatch.of_folder(CONFORMANCE, tmp_path / "out", translate_many,
                   progress=lambda d, t, _n: progress.append((d, t)))
    summary = job.run()
    assert summary.total == len(sources) == summary.done and not summary.cancelled
    assert calls == [len(sources)]  # the whole folder in ONE translate_many call
    assert progress[0] == (0, len(sources)) and progress[-1] == (len(sources), len(sources))
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(o.output.name for o in summary.outcomes if o.output)
    assert summary.written + len(summary.error_files) == summary.done
    for outcome in summary.outcomes:
        if outcome.output is not None:
            compile(outcome.output.read_text(encoding="utf-8"), str(outcome.output), "exec")
    assert "Translated" in summary.text() and "docs/s" in summary.text()
    assert "Cancelled" not in summary.text()


def test_batch_cancel_writes_only_the_translated_files_and_reports_errors(
        tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(9):
        write(folder / f"p{i}.pseudo", f'OUTPUT "{i}"\n')
    write(folder / "bad.pseudo", 'OUTPUT "unclosed\n')
    (folder / "binary.pseudo").write_bytes(b"\x00\x01\x02")
    write(folder / "notes.txt", "not pseudocode")
    from engine.translator import TranslationManager

    manager = TranslationManager()
    job: FolderBatch

    def cancel_after_four(done: int, total: int, _name: str) -> None:
        if done >= 1 + 4:  # binary.pseudo (refused when read), then 4 translated
            job.cancel()  # as if the user pressed Cancel there

    job = FolderBatch.of_folder(folder, tmp_path / "out", manager.translate_many,
                   progress=cancel_after_four)
    summary = job.run()
    assert summary.cancelled and summary.total == 11
    assert summary.done == 5 and summary.cancelled_files == 6
    assert [o.name for o in summary.outcomes if not o.cancelled] == [
        "bad.pseudo", "binary.pseudo", "p0.pseudo", "p1.pseudo", "p2.pseudo"]
    text = summary.text()
    assert "Cancelled after 5 of 11 files: 6 files were not translated" in text
    out = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert out == ["p0.py", "p1.py", "p2.py"]  # only complete files, of translated programs
    assert out == sorted(o.output.name for o in summary.outcomes if o.output)
    for name in out:
        assert (tmp_path / "out" / name).read_text(encoding="utf-8") == \
            manager.translate((folder / name.replace(".py", ".pseudo")).read_text()).code
    # all of it, without cancelling: the broken and the binary file are errors
    full = FolderBatch.of_folder(folder, tmp_path / "all", manager.translate_many).run()
    bad = {o.source.name: o.message for o in full.error_files}
    assert set(bad) == {"bad.pseudo", "binary.pseudo"} and full.written == 9
    assert "line 1" in bad["bad.pseudo"] and not full.cancelled


def test_batch_cancelled_before_translating_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        write(folder / f"p{i}.pseudo", f'OUTPUT "{i}"\n')
    calls: list[int] = []
    job: FolderBatch

    def cancel_at_start(done: int, total: int, _name: str) -> None:
        job.cancel()

    job = FolderBatch.of_folder(folder, tmp_path / "out",
                   lambda texts, progress=None, cancel=None: calls.append(1) or [],
                   progress=cancel_at_start)
    summary = job.run()
    assert calls == [] and summary.cancelled_files == 3 and summary.done == 0
    assert not list((tmp_path / "out").iterdir())


def test_batch_translates_subfolders_into_the_same_tree(tmp_path: Path) -> None:
    from engine.translator import TranslationManager

    folder = tmp_path / "course"
    for relative in ("intro.pseudo", "week1/loops.pseudo", "week1/arrays/sort.pseudo",
                     "Week2/Files.PSEUDO", ".git/hooks/skip.pseudo", "python/old.pseudo"):
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        write(folder / relative, f'OUTPUT "{relative}"\n')
    write(folder / "week1" / "arrays" / "broken.pseudo", "IF TRUE THEN\n")
    write(folder / "week1" / "notes.txt", "not pseudocode")
    out_dir = folder / "python"  # inside the folder: never searched for sources
    found = [p.relative_to(folder).as_posix() for p in find_sources(folder, skip=out_dir)]
    assert found == ["intro.pseudo", "week1/arrays/broken.pseudo", "week1/arrays/sort.pseudo",
                     "week1/loops.pseudo", "Week2/Files.PSEUDO"]
    manager = TranslationManager()
    summary = FolderBatch.of_folder(folder, out_dir, manager.translate_many).run()
    assert summary.total == summary.done == 5 and summary.written == 4
    written = sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*.py"))
    assert written == ["Week2/Files.py", "intro.py", "week1/arrays/sort.py", "week1/loops.py"]
    code = (out_dir / "week1" / "arrays" / "sort.py").read_text(encoding="utf-8")
    assert code == manager.translate('OUTPUT "week1/arrays/sort.pseudo"\n').code
    assert [o.name for o in summary.error_files] == ["week1/arrays/broken.pseudo"]
    assert "week1/arrays/broken.pseudo: line" in summary.text()


def test_two_sources_with_one_python_name_never_overwrite_each_other(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "x.pseudo", 'OUTPUT "lower"\n')
    try:
        write(folder / "x.PSEUDO", 'OUTPUT "upper"\n')
    except OSError:
        pytest.skip("the file system cannot hold both names")
    if len(list(folder.iterdir())) < 2:
        pytest.skip("a case-insensitive file system: one file")
    from engine.translator import TranslationManager

    summary = FolderBatch.of_folder(folder, tmp_path / "out", TranslationManager().translate_many).run()
    assert summary.written == 1 and len(summary.error_files) == 1
    assert "already the Python of" in summary.error_files[0].message


def test_an_empty_or_missing_folder(tmp_path: Path) -> None:
    empty = FolderBatch.of_folder(tmp_path, tmp_path / "out",
                     lambda texts, progress=None, cancel=None: []).run()
    assert empty.total == 0 and "no .pseudo files" in empty.text()
    missing = FolderBatch.of_folder(tmp_path / "nope", tmp_path / "out",
                       lambda texts, progress=None, cancel=None: []).run()
    assert missing.failure.startswith("Cannot translate")



def test_batch_job_cancel_is_thread_safe() -> None:
    job = FolderBatch.of_folder(".", ".", lambda texts, progress=None, cancel=None: [])
    threads = [threading.Thread(target=job.cancel) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert job.cancelled


# -- one set of rules for translate --out-dir and File > Translate Folder (issue 12) ---------
def _translate_many():
    from engine.translator import TranslationManager

    return TranslationManager().translate_many


def test_files_named_one_by_one_are_numbered_folder_files_are_not(tmp_path: Path) -> None:
    from engine.folder_batch import collect_items

    for folder in ("a", "b"):
        write(tmp_path / folder / "x.pseudo", 'OUTPUT "x"\n')
    write(tmp_path / "c" / ".git" / "hidden.pseudo", "OUTPUT 1\n")
    write(tmp_path / "c" / "Sub" / "Y.PSEUDO", "OUTPUT 1\n")
    items, problems = collect_items(
        [tmp_path / "a" / "x.pseudo", tmp_path / "b" / "x.pseudo", tmp_path / "c",
         tmp_path / "a" / "x.pseudo", tmp_path / "missing.pseudo"], tmp_path / "out")
    assert [item.output.as_posix() for item in items] == ["x.py", "x_2.py", "Sub/Y.py"]
    assert [item.from_folder for item in items] == [False, False, True]
    assert problems == [f"{tmp_path / 'missing.pseudo'}: no such file"]


def test_the_batch_reads_and_translates_in_bounded_chunks(tmp_path: Path, monkeypatch) -> None:
    from engine import folder_batch

    monkeypatch.setattr(folder_batch, "BATCH_FILES", 4)
    folder = tmp_path / "in"
    for i in range(10):
        write(folder / f"p{i}.pseudo", f"OUTPUT {i}\n")
    calls: list[int] = []
    translate = _translate_many()

    def counting(texts, progress=None, cancel=None):
        calls.append(len(texts))
        return translate(texts, progress=progress, cancel=cancel)

    progress: list[int] = []
    summary = FolderBatch.of_folder(folder, tmp_path / "out", counting,
                                    progress=lambda d, _t, _n: progress.append(d)).run()
    assert calls == [4, 4, 2] and summary.written == 10 and summary.done == 10
    assert progress == sorted(progress) and progress[-1] == 10


def test_the_plain_style_is_written_when_asked_and_its_failure_is_an_error(
        tmp_path: Path) -> None:
    from engine.translator import TranslationManager

    write(tmp_path / "in" / "p.pseudo", 'OUTPUT "hi"\n')
    manager = TranslationManager()
    manager.force_style = "plain"
    summary = FolderBatch([tmp_path / "in"], tmp_path / "out", manager.translate_many,
                          style="plain").run()
    assert summary.written == 1
    assert (tmp_path / "out" / "p.py").read_text(encoding="utf-8") == \
        manager.translate('OUTPUT "hi"\n').plain_code

    class NoPlain:
        success, errors, warnings, plain_code, plain_error = True, [], [], "", "too clever"

    batch = FolderBatch([tmp_path / "in"], tmp_path / "none", lambda texts, **_: [NoPlain()],
                        style="plain")
    failed = batch.run()
    assert failed.written == 0 and "plain style could not be made: too clever" in \
        failed.error_files[0].message


def test_the_summary_names_the_hidden_folders_it_did_not_search(tmp_path: Path) -> None:
    # the rule stays (a hidden folder is never searched), but it is never silent
    folder = tmp_path / "course"
    for relative in ("a.pseudo", ".hidden/h.pseudo", "week1/.cache/c.pseudo", "week1/b.pseudo"):
        write(folder / relative, "OUTPUT 1\n")
    summary = FolderBatch.of_folder(folder, tmp_path / "out", _translate_many()).run()
    assert summary.total == summary.written == 2
    assert summary.hidden == [".hidden", "week1/.cache"]
    assert ("Skipped 2 hidden folders (.hidden, week1/.cache): hidden folders are not "
            "searched.") in summary.text().splitlines()
    only_hidden = tmp_path / "only_hidden"
    write(only_hidden / ".x" / "h.pseudo", "OUTPUT 1\n")
    empty = FolderBatch.of_folder(only_hidden, tmp_path / "out2", _translate_many()).run()
    assert empty.total == 0 and "Skipped 1 hidden folder (.x)" in empty.text()
    plain = FolderBatch.of_folder(folder / "week1" / ".cache", tmp_path / "out3",
                                  _translate_many()).run()
    assert plain.hidden == [] and "hidden" not in plain.text()
