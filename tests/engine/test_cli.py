"""The command line, run as users run it: a subprocess with files and standard input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = 'DECLARE Name : STRING\nINPUT Name\nOUTPUT "Hello, ", Name\n'
BAD = "DECLARE X : INTEGER\nX <- \"ten\"\nIF X > 1 THEN\n    OUTPUT X\n"


def cli(*args: str, stdin: str | bytes = b"", cwd: Path | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    proc = subprocess.run([sys.executable, "-m", "launcher", *args], input=data,
                          capture_output=True, timeout=timeout, cwd=cwd)
    return subprocess.CompletedProcess(proc.args, proc.returncode,
                                       proc.stdout.decode("utf-8", "replace"),
                                       proc.stderr.decode("utf-8", "replace"))


@pytest.fixture()
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.pseudo"
    path.write_text(GOOD, encoding="utf-8")
    return path


@pytest.fixture()
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "bad.pseudo"
    path.write_text(BAD, encoding="utf-8")
    return path


def test_translate_to_stdout_and_file(good: Path, tmp_path: Path) -> None:
    out = cli("translate", str(good))
    assert out.returncode == 0, out.stderr
    assert "input()" in out.stdout
    target = tmp_path / "good.py"
    assert cli("translate", str(good), "-o", str(target)).returncode == 0
    run = subprocess.run([sys.executable, str(target)], input="Ada\n", capture_output=True,
                         text=True, timeout=30)
    assert run.stdout == "Hello, Ada\n"


def test_translate_refuses_a_program_with_errors(bad: Path, tmp_path: Path) -> None:
    target = tmp_path / "bad.py"
    out = cli("translate", str(bad), "-o", str(target))
    assert out.returncode == 1
    assert "E301" in out.stderr and "E111" in out.stderr
    assert not target.exists()


def test_check_json_lists_every_problem(bad: Path) -> None:
    out = cli("check", str(bad), "--format", "json")
    assert out.returncode == 1
    problems = json.loads(out.stdout)
    assert {"line", "column", "severity", "code", "message", "hint"} <= set(problems[0])
    assert {(p["code"], p["line"]) for p in problems} >= {("E301", 2), ("E111", 3)}


def test_check_text_and_exit_status(good: Path, bad: Path) -> None:
    ok = cli("check", str(good))
    assert ok.returncode == 0 and "no problems" in ok.stderr
    wrong = cli("check", str(bad))
    assert wrong.returncode == 1
    assert f"{bad}:2:" in wrong.stdout and "hint:" in wrong.stdout


def test_check_strict_turns_undeclared_into_errors(tmp_path: Path) -> None:
    path = tmp_path / "u.pseudo"
    path.write_text("Total <- 1\nOUTPUT Total\n", encoding="utf-8")
    assert cli("check", str(path)).returncode == 0
    strict = cli("check", str(path), "--strict", "--format", "json")
    assert strict.returncode == 1
    assert [p["severity"] for p in json.loads(strict.stdout) if p["code"] == "W210"] == ["error"]


def test_run_passes_stdin_and_stdout(good: Path) -> None:
    out = cli("run", str(good), stdin="Grace\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout == "Hello, Grace\n"


def test_run_runtime_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "r.pseudo"
    path.write_text("DECLARE A : ARRAY[1:10] OF INTEGER\nDECLARE I : INTEGER\nI <- 11\n"
                    "OUTPUT \"before\"\nA[I] <- 1\n", encoding="utf-8")
    out = cli("run", str(path))
    assert out.returncode == 1
    assert out.stdout == "before\n"
    assert "Runtime error at line 5: index 11 is outside ARRAY[1:10]" in out.stderr
    assert "Traceback" not in out.stderr


def test_run_refuses_a_program_with_errors(bad: Path) -> None:
    out = cli("run", str(bad))
    assert out.returncode == 1 and "not run" in out.stderr


def test_dash_reads_standard_input() -> None:
    out = cli("translate", "-", stdin='OUTPUT "from stdin"\n')
    assert out.returncode == 0 and "print('from stdin')" in out.stdout
    checked = cli("check", "-", "--format", "json", stdin="OUTPUT 1 2\n")
    assert checked.returncode == 1 and json.loads(checked.stdout)[0]["code"] == "E110"


@pytest.mark.parametrize("command", ["translate", "check", "run"])
def test_bad_inputs_get_a_clear_message(command: str, tmp_path: Path) -> None:
    cases: dict[str, bytes | None] = {
        "missing.pseudo": None,
        "binary.pseudo": bytes(range(256)) * 4,
        "latin1.pseudo": 'OUTPUT "caf\xe9"\n'.encode("latin-1"),
    }
    for name, data in cases.items():
        path = tmp_path / name
        if data is not None:
            path.write_bytes(data)
        out = cli(command, str(path))
        assert out.returncode == 2, (name, out.stderr)
        assert "Traceback" not in out.stderr and out.stderr.strip(), name
        assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    folder = cli(command, str(tmp_path))
    assert folder.returncode in (1, 2) and "Traceback" not in folder.stderr


def test_huge_file_is_refused_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "huge.pseudo"
    line = b'OUTPUT "' + b"x" * 90 + b'"\n'
    path.write_bytes(line * (10 * 1024 * 1024 // len(line) + 1))
    out = cli("check", str(path))
    assert out.returncode == 2 and "too large" in out.stderr and "Traceback" not in out.stderr


def test_empty_file_and_bom(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pseudo"
    empty.write_bytes(b"")
    out = cli("translate", str(empty))
    assert out.returncode == 0 and "empty" in out.stderr
    compile(out.stdout, "empty.py", "exec")
    bom = tmp_path / "bom.pseudo"
    bom.write_bytes(b'\xef\xbb\xbfOUTPUT "bom"\n')
    assert cli("run", str(bom)).stdout == "bom\n"


def test_unwritable_output_is_reported(good: Path, tmp_path: Path) -> None:
    out = cli("translate", str(good), "-o", str(tmp_path / "no" / "such" / "dir" / "x.py"))
    assert out.returncode == 2 and "cannot write" in out.stderr


def test_help_lists_commands_and_environment() -> None:
    out = cli("--help")
    assert out.returncode == 0
    for word in ("translate", "check", "run", "PSEUDOCODE_EXEC_POOL_ENABLED",
                 "PSEUDOCODE_CONFIG"):
        assert word in out.stdout
    version = cli("--version")
    assert version.returncode == 0 and "pseudocode-translator" in version.stdout


def test_batch_stats_report_pool_events(tmp_path: Path) -> None:
    import os

    source = tmp_path / "src"
    source.mkdir()
    for i in range(6):
        (source / f"p{i}.pseudo").write_text(f"OUTPUT {i}\n", encoding="utf-8")
    env = dict(os.environ, PSEUDOCODE_EXEC_POOL_ENABLED="1",
               PSEUDOCODE_EXEC_POOL_START_METHOD="spawn", PSEUDOCODE_EXEC_POOL_MAX_WORKERS="2",
               PSEUDOCODE_CONFIG=str(tmp_path / "none.yaml"))
    proc = subprocess.run([sys.executable, "-m", "launcher", "translate", str(source),
                           "--out-dir", str(tmp_path / "out"), "--stats"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stderr.splitlines() if x.startswith("stats: "))
    stats = json.loads(line[len("stats: "):])
    assert stats["files"] == 6
    assert stats["events"]["translation.completed"] == 6
    assert stats["events"]["exec_pool.started"] == 1
    assert stats["events"]["exec_pool.task_completed"] >= 1
    assert "exec_pool.fallback" not in stats["events"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"p{i}.py" for i in range(6)]


# --------------------------------------------------------------------------
# Issue 11: special files, long paths and broken output: one line, a documented status.

import os  # noqa: E402

from engine import cli as cli_module  # noqa: E402

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")
LONG = "x" * 5000  # longer than any path the system takes (ENAMETOOLONG)


def _limit_memory() -> None:  # a regression that reads a device fails fast, not the machine
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def launch(*args: str, stdout=subprocess.PIPE, timeout: float = 60
           ) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "launcher", *args], stdin=subprocess.DEVNULL,
                          stdout=stdout, stderr=subprocess.PIPE, timeout=timeout,
                          preexec_fn=_limit_memory if sys.platform != "win32" else None)
    out = proc.stdout.decode("utf-8", "replace") if proc.stdout is not None else ""
    return subprocess.CompletedProcess(proc.args, proc.returncode, out,
                                       proc.stderr.decode("utf-8", "replace"))


def one_line(out: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert out.returncode == code, out.stderr
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("pseudocode-translator: ")
    for word in words:
        assert word in lines[0]


@posix_only
@pytest.mark.parametrize("command", ["check", "translate", "run"])
def test_a_fifo_is_refused_without_blocking(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "prog.pseudo"
    os.mkfifo(fifo)
    one_line(launch(command, str(fifo)), 2, "named pipe", "only regular files")


@posix_only
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_and_links_to_them_are_refused_without_reading(tmp_path: Path,
                                                               device: str) -> None:
    one_line(launch("check", device), 2, device, "a device")
    link = tmp_path / "link.pseudo"
    link.symlink_to(device)
    one_line(launch("check", str(link)), 2, str(link), "a device")


@posix_only
def test_out_dir_skips_special_files_and_translates_the_rest(tmp_path: Path,
                                                             good: Path) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "ok.pseudo").write_text(GOOD, encoding="utf-8")
    os.mkfifo(folder / "pipe.pseudo")
    fifo = tmp_path / "other.pseudo"
    os.mkfifo(fifo)
    out = launch("translate", str(folder), str(fifo), "/dev/zero", "--out-dir",
                 str(tmp_path / "out"))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"{folder / 'pipe.pseudo'} is not a regular file; skipped" in out.stderr
    assert f"{fifo} is a named pipe" in out.stderr
    assert "/dev/zero is a device" in out.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["ok.py"]


@posix_only
def test_out_dir_never_writes_into_a_fifo(tmp_path: Path, good: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    os.mkfifo(out_dir / "good.py")
    out = launch("translate", str(good), "--out-dir", str(out_dir))
    assert out.returncode == 2 and "good.py is not a regular file; not written" in out.stderr


@pytest.mark.parametrize("args", [
    ("check", LONG), ("run", LONG), ("translate", LONG),
    ("translate", LONG, "--out-dir", "OUT"), ("translate", "GOOD", "--out-dir", LONG),
    ("translate", "GOOD", "-o", LONG)])
def test_a_path_too_long_is_one_line(tmp_path: Path, good: Path, args: tuple[str, ...]) -> None:
    args = tuple(str(good) if a == "GOOD" else str(tmp_path / "o") if a == "OUT" else a
                 for a in args)
    out = launch(*args)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "the path is too long" in out.stderr
    assert all(len(line) < 200 for line in out.stderr.splitlines())


def noisy_source(tmp_path: Path, command: str) -> Path:
    """A program whose command writes a lot on standard output (check: its diagnostics)."""
    source = tmp_path / "many.pseudo"
    text = "".join(f"OUTPUT {i}\n" for i in range(3000))
    source.write_text(text + ("X <- \n" if command == "check" else ""), encoding="utf-8")
    return source


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("command", ["translate", "check", "run"])
def test_a_full_standard_output_is_one_line_and_status_3(tmp_path: Path, command: str) -> None:
    source = noisy_source(tmp_path, command)
    with open("/dev/full", "wb") as full:
        out = launch(command, str(source), stdout=full)
    one_line(out, 3, "cannot write to standard output", "No space left")


@posix_only
@pytest.mark.parametrize("command", ["translate", "check", "run", "config"])
def test_a_closed_standard_output_ends_quietly_with_status_141(tmp_path: Path,
                                                               command: str) -> None:
    source = noisy_source(tmp_path, command)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written, as after `| head -1`
    try:
        args = ("config", "show") if command == "config" else (command, str(source))
        out = launch(*args, stdout=write_end)
    finally:
        os.close(write_end)
    assert out.returncode == 141, out.stderr
    assert out.stderr == ""


def test_an_unexpected_error_is_one_line_and_status_70(monkeypatch, capsys, good) -> None:
    def broken(_args):
        raise RuntimeError("something the developers did not foresee")

    monkeypatch.setattr(cli_module, "cmd_check", broken)
    monkeypatch.delenv("PSEUDOCODE_DEBUG", raising=False)
    assert cli_module.main(["check", str(good)]) == cli_module.EXIT_INTERNAL == 70
    err = capsys.readouterr().err
    assert err == ("pseudocode-translator: internal error: RuntimeError: something the "
                   "developers did not foresee (please report it)\n")


def test_help_documents_every_exit_status() -> None:
    out = cli("--help")
    for status in ("0 success", "1 the pseudocode has errors", "2 a file could not be used",
                   "3 standard output", "141", "130 interrupted", "70 internal error"):
        assert status in out.stdout


@posix_only
@pytest.mark.parametrize("kind", ["fifo", "laughs", "zero"])
def test_a_hostile_config_never_stalls_a_command(tmp_path: Path, good: Path, kind: str) -> None:
    config = tmp_path / "config.yaml"
    if kind == "fifo":
        os.mkfifo(config)
    elif kind == "zero":
        config.symlink_to("/dev/zero")
    else:
        rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        rows += [f"{n}: &{n} [{', '.join(['*' + p] * 9)}]"
                 for p, n in zip("abcdefgh", "bcdefghi", strict=True)]
        config.write_text("\n".join(rows) + "\neditor:\n  font_size: *i\n", encoding="utf-8")
    env = dict(os.environ, PSEUDOCODE_CONFIG=str(config))
    for args in (["config", "show"], ["check", str(good)]):
        proc = subprocess.run([sys.executable, "-m", "launcher", *args], capture_output=True,
                              text=True, timeout=30, env=env, stdin=subprocess.DEVNULL,
                              preexec_fn=_limit_memory)
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        assert f"warning: {config}" in proc.stderr and "using the defaults" in proc.stderr


@pytest.mark.parametrize("command", [("translate",), ("check",), ("run",), ("trace",),
                                     ("config",), ("config", "show")])
def test_a_command_help_never_runs_the_environment_table_together(command: tuple[str, ...]) -> None:
    """The top level's epilog is a table for a raw formatter; a command's help must not
    re-wrap it into one paragraph (two variables, or the exit statuses, on one line)."""
    out = cli(*command, "--help")
    assert out.returncode == 0, out.stderr
    for line in out.stdout.splitlines():
        assert line.count("PSEUDOCODE_") <= 1, line
        assert not ("0 success" in line and "1 the pseudocode" in line), line


def test_a_missing_file_named_on_the_command_line_is_not_there_not_moved(tmp_path: Path) -> None:
    missing = tmp_path / "nope.pseudo"
    out = cli("translate", str(missing))
    assert out.returncode == 2
    assert out.stderr == f"pseudocode-translator: {missing}: no such file\n"
