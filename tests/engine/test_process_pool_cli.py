"""``pseudocode-translator translate DIR_OR_FILES... --out-dir D``, run as users run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = 'DECLARE N : INTEGER\nN <- 6\nOUTPUT "N = ", N * 7\n'
BAD = "IF TRUE THEN\n    OUTPUT 1\n"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PSEUDOCODE_")}
    environ["PSEUDOCODE_CONFIG"] = str(ROOT / "no-such-config.yaml")
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "launcher", *args], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, env=environ)


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "unit2").mkdir(parents=True)
    for n in range(6):
        (src / f"good{n}.pseudo").write_text(GOOD.replace("6", str(n)), encoding="utf-8")
    (src / "unit2" / "good0.pseudo").write_text(GOOD, encoding="utf-8")
    (src / "unit2" / "broken.pseudo").write_text(BAD, encoding="utf-8")
    (src / "notes.txt").write_text("not pseudocode", encoding="utf-8")
    return src


@pytest.mark.timeout(120)
@pytest.mark.parametrize("pool", ["0", "1"])
def test_folder_into_out_dir_with_errors_per_file(tree: Path, tmp_path: Path, pool: str):
    out = tmp_path / "out"
    done = cli("translate", str(tree), "--out-dir", str(out),
               env={"PSEUDOCODE_EXEC_POOL_ENABLED": pool,
                    "PSEUDOCODE_EXEC_POOL_START_METHOD": "spawn"})
    assert done.returncode == 1, done.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.py"))
    assert written == [f"good{n}.py" for n in range(6)] + ["unit2/good0.py"]
    assert "broken.pseudo:1:1: error E111" in done.stderr
    assert "files with errors" in done.stderr and "broken.pseudo: 1 error(s)" in done.stderr
    assert "8 file(s): 7 translated" in done.stderr
    assert "Traceback" not in done.stderr
    run = subprocess.run([sys.executable, str(out / "good3.py")], capture_output=True, text=True,
                         timeout=30)
    assert run.stdout == "N = 21\n"


@pytest.mark.timeout(120)
def test_files_without_errors_exit_zero(tree: Path, tmp_path: Path):
    files = [str(tree / f"good{n}.pseudo") for n in range(3)]
    done = cli("translate", *files, "--out-dir", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "out").glob("*.py"))) == 3


@pytest.mark.timeout(120)
def test_the_summary_line_says_which_hidden_folders_were_skipped(tree: Path, tmp_path: Path):
    (tree / ".hidden").mkdir()
    (tree / ".hidden" / "secret.pseudo").write_text(GOOD, encoding="utf-8")
    done = cli("translate", str(tree), "--out-dir", str(tmp_path / "out"))
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("8 file(s): 7 translated") and "secret" not in done.stderr
    assert last.endswith("not usable; skipped 1 hidden folder (.hidden)"), last
    (tree / ".hidden" / "secret.pseudo").unlink()
    plain = cli("translate", str(tree / "unit2"), "--out-dir", str(tmp_path / "out2"))
    assert plain.stderr.strip().splitlines()[-1].endswith("not usable"), plain.stderr
    only = tmp_path / "only"
    (only / ".x").mkdir(parents=True)
    (only / ".x" / "a.pseudo").write_text(GOOD, encoding="utf-8")
    none = cli("translate", str(only), "--out-dir", str(tmp_path / "out3"))
    assert none.returncode == 2
    assert none.stderr == (f"pseudocode-translator: {only}: no .pseudo files in this folder; "
                           "skipped 1 hidden folder (.x)\n")


@pytest.mark.timeout(120)
def test_same_names_do_not_overwrite_each_other(tree: Path, tmp_path: Path):
    out = tmp_path / "out"
    done = cli("translate", str(tree / "good0.pseudo"), str(tree / "unit2" / "good0.pseudo"),
               "--out-dir", str(out))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["good0.py", "good0_2.py"]


@pytest.mark.timeout(120)
def test_unusable_inputs_are_reported_and_exit_two(tree: Path, tmp_path: Path):
    (tree / "binary.pseudo").write_bytes(b"\x00\x01\x02")
    done = cli("translate", str(tree / "good1.pseudo"), str(tree / "missing.pseudo"),
               str(tree / "binary.pseudo"), "--out-dir", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "missing.pseudo: no such file" in done.stderr
    assert "binary file" in done.stderr
    assert (tmp_path / "out" / "good1.py").exists()


@pytest.mark.timeout(120)
def test_usage_errors(tree: Path, tmp_path: Path):
    several = cli("translate", str(tree / "good1.pseudo"), str(tree / "good2.pseudo"))
    assert several.returncode == 2 and "--out-dir" in several.stderr
    folder = cli("translate", str(tree))
    assert folder.returncode == 2 and "--out-dir" in folder.stderr
    both = cli("translate", str(tree), "--out-dir", str(tmp_path / "o"), "-o", "x.py")
    assert both.returncode == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = cli("translate", str(empty), "--out-dir", str(tmp_path / "o"))
    assert nothing.returncode == 2 and "no .pseudo files" in nothing.stderr


@pytest.mark.timeout(120)
def test_single_file_form_still_works(tree: Path, tmp_path: Path):
    target = tmp_path / "one.py"
    done = cli("translate", str(tree / "good2.pseudo"), "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert target.exists()
    stdout = cli("translate", str(tree / "good2.pseudo"))
    assert stdout.returncode == 0 and "print(" in stdout.stdout


def test_progress_bar_only_on_a_terminal():
    import io

    from engine.cli import ProgressBar

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    plain = io.StringIO()
    bar = ProgressBar(3, plain)
    bar.update(3)
    bar.close()
    assert plain.getvalue() == ""
    tty = Tty()
    bar = ProgressBar(3, tty)
    bar.update(3)
    bar.close()
    assert "3/3 files" in tty.getvalue() and "#" * 30 in tty.getvalue()
