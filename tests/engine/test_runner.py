"""The program runner: a child process, streamed output, input, stop, errors."""

from __future__ import annotations

import os
import sys
import time

import pytest

from engine.execution import runner as runner_mod
from engine.execution.runner import (
    INPUT_MARKER,
    ProgramRunner,
    RuntimeErrorInfo,
    Stream,
    parse_runtime_error,
)


def _collect(run: ProgramRunner, until, timeout: float = 20.0) -> list:
    """Drain output until ``until(chunks)`` holds (polling, as the GUI does)."""
    chunks: list = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        chunks.extend(run.take_output())
        if until(chunks):
            return chunks
        time.sleep(0.01)
    raise AssertionError(f"timed out; got {chunks!r}")


def _text(chunks, stream=Stream.STDOUT) -> str:
    return "".join(c.text for c in chunks if c.stream == stream)


def test_parse_runtime_error_from_generated_program() -> None:
    stderr = "Runtime error at line 7: index 11 is outside ARRAY[1:10]\n"
    assert parse_runtime_error(stderr) == RuntimeErrorInfo(7, "index 11 is outside ARRAY[1:10]")


def test_parse_runtime_error_takes_the_last_report() -> None:
    stderr = "Runtime error at line 2: first\nRuntime error at line 9: second\n"
    assert parse_runtime_error(stderr) == RuntimeErrorInfo(9, "second")


def test_parse_traceback_maps_python_line_through_line_map() -> None:
    stderr = (
        "Traceback (most recent call last):\n"
        '  File "/tmp/x/program.py", line 12, in <module>\n'
        '  File "/tmp/x/program.py", line 5, in f\n'
        "ZeroDivisionError: division by zero\n"
    )
    info = parse_runtime_error(stderr, {5: 3, 12: 8}, "/tmp/x/program.py")
    assert info == RuntimeErrorInfo(3, "ZeroDivisionError: division by zero")


def test_parse_runtime_error_without_a_line() -> None:
    assert parse_runtime_error("Runtime error: out of memory\n") == RuntimeErrorInfo(0, "out of memory")


def test_parse_nothing_when_no_error() -> None:
    assert parse_runtime_error("some warning\n") is None


def test_runs_in_a_separate_process_and_streams_output() -> None:
    run = ProgramRunner()
    run.start("import os\nprint('pid', os.getpid())\nprint('done')\n")
    result = run.wait(20)
    assert result is not None and result.returncode == 0 and not result.killed
    out = _text(run.take_output())
    assert "done" in out
    assert f"pid {os.getpid()}" not in out


def test_input_request_is_announced_and_line_is_received() -> None:
    run = ProgramRunner()
    run.start("name = input('Name? ')\nprint('Hello, ' + name + '!')\n")
    chunks = _collect(run, lambda cs: any(c.stream == Stream.INPUT_REQUEST for c in cs))
    assert _text(chunks) == "Name? "
    assert INPUT_MARKER not in _text(chunks, Stream.STDERR)
    assert run.send_line("Ada")
    result = run.wait(20)
    assert result is not None and result.returncode == 0
    assert "Hello, Ada!" in _text(run.take_output())


def test_sys_stdin_readline_is_announced_too() -> None:
    run = ProgramRunner()
    run.start("import sys\nline = sys.stdin.readline()\nprint(line.strip()[::-1])\n")
    _collect(run, lambda cs: any(c.stream == Stream.INPUT_REQUEST for c in cs))
    run.send_line("abc")
    assert run.wait(20).returncode == 0
    assert "cba" in _text(run.take_output())


def test_stop_kills_an_endless_loop_and_its_children() -> None:
    code = (
        "import subprocess, sys\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time\\nwhile True: time.sleep(0.1)'])\n"
        "print('child', child.pid, flush=True)\n"
        "while True:\n    pass\n"
    )
    run = ProgramRunner()
    run.start(code)
    chunks = _collect(run, lambda cs: "child" in _text(cs) and "\n" in _text(cs))
    child_pid = int(_text(chunks).split()[1])
    started = time.monotonic()
    run.stop()
    result = run.wait(20)
    assert result is not None and result.killed
    assert result.error is None
    assert time.monotonic() - started < 10
    if os.name != "nt":
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(child_pid, 0)
            except ProcessLookupError:
                break
            try:  # reap it if it became our zombie (it is not our child, so usually not)
                os.waitpid(child_pid, os.WNOHANG)
            except ChildProcessError:
                pass
            time.sleep(0.05)
        else:
            with open(f"/proc/{child_pid}/stat") as stat:
                assert stat.read().split()[2] == "Z", "grandchild still running"


def test_runtime_error_line_is_reported() -> None:
    code = (
        "import sys\n"
        "print('before')\n"
        "print('Runtime error at line 4: division by zero', file=sys.stderr)\n"
        "sys.exit(1)\n"
    )
    run = ProgramRunner()
    run.start(code)
    result = run.wait(20)
    assert result is not None and result.returncode == 1
    assert result.error == RuntimeErrorInfo(4, "division by zero")
    chunks = run.take_output()
    assert "before" in _text(chunks)
    assert "Runtime error at line 4" in _text(chunks, Stream.STDERR)


def test_unexpected_exception_maps_through_line_map() -> None:
    run = ProgramRunner()
    run.start("x = 1\ny = x / 0\n", line_map={2: 6})
    result = run.wait(20)
    assert result.error is not None
    assert result.error.line == 6
    assert "ZeroDivisionError" in result.error.message


def test_unicode_output_and_input() -> None:
    run = ProgramRunner()
    run.start("s = input()\nprint('\u2190 ' + s + ' \u00e9')\n")
    _collect(run, lambda cs: any(c.stream == Stream.INPUT_REQUEST for c in cs))
    run.send_line("\u00fc\u00df")
    assert run.wait(20).returncode == 0
    assert "\u2190 \u00fc\u00df \u00e9" in _text(run.take_output())


def test_flood_of_output_is_bounded() -> None:
    run = ProgramRunner(buffer_limit=10_000)
    run.start("for i in range(200000):\n    print('line', i)\n")
    result = run.wait(60)
    assert result is not None and result.returncode == 0
    chunks = run.take_output(max_chars=1_000_000)
    assert chunks[0].stream == Stream.NOTICE and "skipped" in chunks[0].text
    assert sum(len(c.text) for c in chunks[1:]) <= 10_000
    assert _text(chunks).endswith("line 199999\n")


def test_take_output_respects_max_chars() -> None:
    run = ProgramRunner()
    run.start("print('x' * 5000)\n")
    run.wait(20)
    first = run.take_output(max_chars=1000)
    assert sum(len(c.text) for c in first) == 1000
    rest = run.take_output()
    assert len(_text(first) + _text(rest)) == 5001


def test_working_directory_is_used() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        run = ProgramRunner()
        run.start("open('out.txt', 'w').write('hi')\n", cwd=folder)
        assert run.wait(20).returncode == 0
        assert open(os.path.join(folder, "out.txt")).read() == "hi"


def test_send_line_after_exit_is_false() -> None:
    run = ProgramRunner()
    run.start("pass\n")
    run.wait(20)
    assert run.send_line("late") is False


def test_cannot_start_twice() -> None:
    run = ProgramRunner()
    run.start("import time\ntime.sleep(30)\n")
    try:
        with pytest.raises(RuntimeError):
            run.start("pass\n")
    finally:
        run.stop()
        run.wait(20)


def test_frozen_command_uses_hidden_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert runner_mod.child_command("/tmp/p.py") == [sys.executable, "--run-python", "/tmp/p.py"]


def test_run_python_file_runs_as_main(tmp_path, capsys, monkeypatch) -> None:
    program = tmp_path / "p.py"
    program.write_text("import sys\nif __name__ == '__main__':\n    print('main')\n    sys.exit(3)\n")
    monkeypatch.setattr(sys, "stdin", sys.stdin)  # restored after: the child mode wraps it
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    assert runner_mod.run_python_file(str(program)) == 3
    assert "main" in capsys.readouterr().out


# -- order: one stream, one reader ---------------------------------------------

ARRAY_PROGRAM = """DECLARE Scores : ARRAY[1:5] OF INTEGER
DECLARE i : INTEGER
FOR i <- 1 TO 6
    OUTPUT "Stored ", i
    Scores[i] <- i * 10
NEXT i
"""


def _run_to_end(code: str) -> list:
    run = ProgramRunner()
    run.start(code)
    result = run.wait(30)
    assert result is not None
    return run.take_output(max_chars=1_000_000)


def test_runtime_error_comes_after_all_earlier_output_30_of_30_runs() -> None:
    """The issue's case: stdout and stderr on two reader threads came out of order."""
    from engine.translator import translate_text

    translated = translate_text(ARRAY_PROGRAM)
    assert translated.success, translated.diagnostics
    expected_out = "".join(f"Stored {i}\n" for i in range(1, 7))
    for attempt in range(30):
        chunks = _run_to_end(translated.code)
        kinds = [c.stream for c in chunks if c.text]
        assert kinds == [Stream.STDOUT, Stream.STDERR], (attempt, chunks)
        assert chunks[0].text == expected_out, (attempt, chunks)
        assert chunks[1].text.startswith("Runtime error at line 5: index 6"), (attempt, chunks)


def test_interleaved_writes_keep_their_order() -> None:
    code = (
        "import sys\n"
        "for i in range(200):\n"
        "    print('out', i)\n"
        "    print('err', i, file=sys.stderr)\n"
    )
    chunks = _run_to_end(code)
    lines = []
    for chunk in chunks:
        for line in chunk.text.splitlines():
            lines.append((chunk.stream, line))
    expected = []
    for i in range(200):
        expected += [(Stream.STDOUT, f"out {i}"), (Stream.STDERR, f"err {i}")]
    assert lines == expected


def test_partial_line_then_error_stays_in_order() -> None:
    chunks = _run_to_end("import sys\nprint('no newline', end='')\nraise SystemExit('boom')\n")
    assert [(c.stream, c.text) for c in chunks] == [
        (Stream.STDOUT, "no newline"), (Stream.STDERR, "boom\n")]


def test_splitter_handles_markers_cut_at_every_place() -> None:
    from engine.execution.runner import ERR_CLOSE, ERR_OPEN, _StreamSplitter

    whole = ("a\x1b[1mb" + ERR_OPEN + "E1\n" + ERR_CLOSE + "c" + INPUT_MARKER + "d"
             + ERR_OPEN + "E2" + ERR_CLOSE + "\x1b]other\x07")
    expected = [(Stream.STDOUT, "a\x1b[1mb"), (Stream.STDERR, "E1\n"), (Stream.STDOUT, "c"),
                (Stream.INPUT_REQUEST, ""), (Stream.STDOUT, "d"), (Stream.STDERR, "E2"),
                (Stream.STDOUT, "\x1b]other\x07")]
    for cut in range(len(whole) + 1):
        for cut2 in range(cut, len(whole) + 1, 7):
            got: list = []
            splitter = _StreamSplitter(got.append)
            splitter.feed(whole[:cut])
            splitter.feed(whole[cut:cut2])
            splitter.feed(whole[cut2:])
            splitter.feed("", final=True)
            merged: list = []
            for chunk in got:
                if merged and merged[-1][0] == chunk.stream and chunk.stream != Stream.INPUT_REQUEST:
                    merged[-1] = (chunk.stream, merged[-1][1] + chunk.text)
                else:
                    merged.append((chunk.stream, chunk.text))
            assert merged == expected, (cut, cut2, got)
