"""Run a generated Python program in a child process, never in the caller's.

The GUI (and anything else) calls :class:`ProgramRunner`: it writes the
program to a temporary file, starts it with the same Python (or, in a frozen
build, with the frozen executable's hidden ``--run-python FILE`` mode), and
collects its output on a reader thread into a bounded buffer that the
caller drains when it likes (a GUI on a timer: a program that prints in an
endless loop can then never flood the UI thread). Stop kills the whole
process tree. Everything here is plain Python, so it is unit-tested without Qt.

Order: the child's standard output and standard error are ONE pipe, read by
ONE thread, so what the program wrote comes out in the order it wrote it (two
pipes read on two threads could put a runtime error before, or inside, output
printed earlier). The child's :data:`BOOTSTRAP` replaces ``sys.stderr`` with
a writer that frames its text between :data:`ERR_OPEN` and :data:`ERR_CLOSE`
on that same stream, and wraps standard input so that each read first writes
:data:`INPUT_MARKER`: that is how the caller tells the streams apart and knows
the program is waiting for ``INPUT``.
"""

from __future__ import annotations

import codecs
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

# Written by the child (on its one output stream) just before it reads a line of input.
INPUT_MARKER = "\x1b]pseudocode:input\x07"
# Around the text the child writes to sys.stderr, on the same stream.
ERR_OPEN = "\x1b]pseudocode:err\x07"
ERR_CLOSE = "\x1b]pseudocode:out\x07"
_MARKERS = (INPUT_MARKER, ERR_OPEN, ERR_CLOSE)
# Set for the child by ProgramRunner (which merges its stdout and stderr): frame stderr.
FRAMED_ENV = "PSEUDOCODE_RUNNER_FRAMED"
_MARKER_PREFIX = "\x1b]pseudocode:"

# The child's entry: run the program as __main__ with a stdin that announces
# each read. Standard library only; also exec'd by ``run_python_file``.
BOOTSTRAP = r'''
import io, os, runpy, sys

# Started by ProgramRunner: stdout and stderr are one pipe, stderr framed on it.
# Run by hand (the frozen --run-python mode), the streams stay as they are.
_FRAMED = os.environ.pop(FRAMED_ENV, "") == "1"

class _FramedStderr(io.TextIOBase):
    """sys.stderr as framed text on sys.stdout: one stream keeps the order."""

    def __init__(self, out):
        self._out = out

    def write(self, text):
        if text:
            self._out.write(ERR_OPEN + text + ERR_CLOSE)
            self._out.flush()
        return len(text)

    def flush(self):
        self._out.flush()

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return self._out.fileno()

    @property
    def encoding(self):
        return self._out.encoding

    @property
    def errors(self):
        return self._out.errors

    @property
    def buffer(self):
        return self._out.buffer

class _AnnouncingStdin:
    """Tell the parent (on the output stream) that the program waits for a line."""

    def __init__(self, inner):
        self._inner = inner

    def _announce(self):
        sys.stdout.flush()
        target = sys.stdout if _FRAMED else sys.stderr
        target.write(MARKER)
        target.flush()

    def readline(self, *args):
        self._announce()
        return self._inner.readline(*args)

    def read(self, *args):
        self._announce()
        return self._inner.read(*args)

    def __iter__(self):
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def __getattr__(self, name):
        return getattr(self._inner, name)

def _main(path):
    sys.argv = [path]
    if _FRAMED:
        sys.stderr = _FramedStderr(sys.stdout)
    sys.stdin = _AnnouncingStdin(sys.stdin)
    try:
        runpy.run_path(path, run_name="__main__")
    except KeyboardInterrupt:
        sys.exit(130)

_main(sys.argv[1] if len(sys.argv) > 1 else PATH)
'''

_RUNTIME_ERROR_RE = re.compile(r"Runtime error(?: at line (\d+))?:\s*(.*)")
_TRACEBACK_LINE_RE = re.compile(r'File "([^"]+)", line (\d+)')

# Past this many characters waiting in the buffer, the oldest are dropped.
DEFAULT_BUFFER_LIMIT = 1_000_000


class Stream(StrEnum):
    STDOUT = "stdout"
    STDERR = "stderr"
    INPUT_REQUEST = "input"   # the program waits for a line (no text)
    NOTICE = "notice"         # from the runner itself ("output dropped")


@dataclass(frozen=True, slots=True)
class Chunk:
    stream: Stream
    text: str


@dataclass(frozen=True, slots=True)
class RuntimeErrorInfo:
    """Where a run failed, in the pseudocode (line 0 when unknown)."""

    line: int
    message: str


@dataclass(slots=True)
class RunResult:
    returncode: int
    killed: bool
    error: RuntimeErrorInfo | None = None
    stderr_tail: str = ""


def parse_runtime_error(stderr: str, line_map: dict[int, int] | None = None,
                        program_path: str | None = None) -> RuntimeErrorInfo | None:
    """Find the pseudocode line of a failure in a program's standard error.

    The generated programs print ``Runtime error at line N: message``. A bare
    Python traceback (an unexpected exception) is mapped back through
    ``line_map`` (Python line -> pseudocode line) from its last frame in the
    program file.
    """
    matches = list(_RUNTIME_ERROR_RE.finditer(stderr))
    if matches:
        last = matches[-1]
        return RuntimeErrorInfo(int(last.group(1) or 0), last.group(2).strip())
    if "Traceback (most recent call last)" not in stderr:
        return None
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    message = lines[-1].strip() if lines else "the program stopped with an error"
    pseudo_line = 0
    for match in _TRACEBACK_LINE_RE.finditer(stderr):
        file, py_line = match.group(1), int(match.group(2))
        if program_path is not None and os.path.normcase(file) != os.path.normcase(program_path):
            continue
        if line_map and py_line in line_map:
            pseudo_line = line_map[py_line]
    return RuntimeErrorInfo(pseudo_line, message)


def child_command(program_path: str) -> list[str]:
    """The command line that runs ``program_path`` in a child process.

    A frozen build's executable cannot run a .py file by itself, so it is
    started in its hidden ``--run-python FILE`` mode, which the launcher
    handles before anything else (see ``run_python_file``).
    """
    if getattr(sys, "frozen", False):
        return [sys.executable, "--run-python", program_path]
    return [sys.executable, "-u", "-X", "utf8", "-c", _bootstrap(None), program_path]


def _bootstrap(path: str | None) -> str:
    """BOOTSTRAP with its markers (and the program path, for the frozen mode) filled in."""
    return (BOOTSTRAP.replace("FRAMED_ENV", repr(FRAMED_ENV))
            .replace("ERR_OPEN", repr(ERR_OPEN)).replace("ERR_CLOSE", repr(ERR_CLOSE))
            .replace("MARKER", repr(INPUT_MARKER)).replace("PATH", repr(path)))


def run_python_file(path: str) -> int:
    """Run ``path`` as the child does; the frozen launcher's ``--run-python``."""
    bootstrap = _bootstrap(path)
    try:
        sys.stdout.reconfigure(line_buffering=True, encoding="utf-8")  # type: ignore[union-attr]
        sys.stderr.reconfigure(line_buffering=True, encoding="utf-8")  # type: ignore[union-attr]
        sys.stdin.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        pass
    sys.argv = [sys.argv[0]]
    try:
        exec(compile(bootstrap, "<runner>", "exec"), {"__name__": "__runner__"})
    except SystemExit as stop:
        code = stop.code
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)
        return 1
    return 0


@dataclass(slots=True)
class _Buffer:
    """Output waiting for the caller, bounded so a runaway program cannot fill memory."""

    limit: int
    chunks: deque[Chunk] = field(default_factory=deque)
    size: int = 0
    dropped: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, chunk: Chunk) -> None:
        with self.lock:
            last = self.chunks[-1] if self.chunks else None
            if last is not None and last.stream == chunk.stream and chunk.stream in (
                    Stream.STDOUT, Stream.STDERR):
                self.chunks[-1] = Chunk(chunk.stream, last.text + chunk.text)
            else:
                self.chunks.append(chunk)
            self.size += len(chunk.text)
            while self.size > self.limit and len(self.chunks) > 1:
                old = self.chunks.popleft()
                self.size -= len(old.text)
                self.dropped += len(old.text)
            if self.size > self.limit:  # one huge chunk: keep its end
                only = self.chunks[0]
                cut = self.size - self.limit
                self.chunks[0] = Chunk(only.stream, only.text[cut:])
                self.size -= cut
                self.dropped += cut

    def take(self, max_chars: int) -> list[Chunk]:
        with self.lock:
            out: list[Chunk] = []
            if self.dropped:
                out.append(Chunk(Stream.NOTICE,
                                 f"[{self.dropped} characters of output skipped: "
                                 "the program printed faster than they could be shown]\n"))
                self.dropped = 0
            budget = max_chars
            while self.chunks and budget > 0:
                chunk = self.chunks[0]
                if len(chunk.text) <= budget:
                    self.chunks.popleft()
                    out.append(chunk)
                    budget -= max(len(chunk.text), 1)
                    self.size -= len(chunk.text)
                else:
                    out.append(Chunk(chunk.stream, chunk.text[:budget]))
                    self.chunks[0] = Chunk(chunk.stream, chunk.text[budget:])
                    self.size -= budget
                    budget = 0
            return out


class _StreamSplitter:
    """Cut the child's one output stream into stdout, stderr and input-request chunks.

    The text arrives in arbitrary pieces, so the end of a piece that may be
    the start of a marker is held back until the next piece shows what it is.
    """

    def __init__(self, emit: Callable[[Chunk], None]) -> None:
        self._emit = emit
        self._stream = Stream.STDOUT
        self._pending = ""

    def feed(self, text: str, final: bool = False) -> None:
        text = self._pending + text
        self._pending = ""
        while True:
            index = text.find(_MARKER_PREFIX)
            if index < 0:
                break
            marker = next((m for m in _MARKERS if text.startswith(m, index)), None)
            if marker is None:
                rest = text[index:]
                if not final and any(m.startswith(rest) for m in _MARKERS):
                    self._out(text[:index])  # a marker cut by the read: wait for its end
                    self._pending = rest
                    return
                self._out(text[:index + 1])  # not one of ours: ordinary text
                text = text[index + 1:]
                continue
            self._out(text[:index])
            if marker == INPUT_MARKER:
                self._emit(Chunk(Stream.INPUT_REQUEST, ""))
            else:
                self._stream = Stream.STDERR if marker == ERR_OPEN else Stream.STDOUT
            text = text[index + len(marker):]
        if not final:  # the last characters may begin a marker
            for size in range(min(len(_MARKER_PREFIX) - 1, len(text)), 0, -1):
                if _MARKER_PREFIX.startswith(text[-size:]):
                    self._pending = text[-size:]
                    text = text[:-size]
                    break
        self._out(text)

    def _out(self, text: str) -> None:
        if text:
            self._emit(Chunk(self._stream, text))


class ProgramRunner:
    """One program run: start, feed input, drain output, stop.

    Thread use: ``start``, ``send_line``, ``stop``, ``take_output`` and
    ``poll`` are called from one thread (the GUI's); reader threads only
    append to the buffer. Nothing here blocks for longer than a pipe write.
    """

    def __init__(self, buffer_limit: int = DEFAULT_BUFFER_LIMIT) -> None:
        self._buffer = _Buffer(buffer_limit)
        self._process: subprocess.Popen[bytes] | None = None
        self._threads: list[threading.Thread] = []
        self._stderr_tail: deque[str] = deque(maxlen=200)
        self._output_tail: deque[str] = deque(maxlen=50)  # unframed text (a crash before the bootstrap)
        self._temp_dir: tempfile.TemporaryDirectory[str] | None = None
        self._program_path: str | None = None
        self._line_map: dict[int, int] = {}
        self._killed = False
        self._result: RunResult | None = None

    # -- starting ---------------------------------------------------------
    def start(self, code: str, cwd: str | os.PathLike[str] | None = None,
              line_map: dict[int, int] | None = None, name: str = "program.py") -> None:
        """Start ``code`` (Python source) in a child process, in ``cwd``."""
        if self.is_running():
            raise RuntimeError("a program is already running")
        self._temp_dir = tempfile.TemporaryDirectory(prefix="pseudocode-run-")
        path = Path(self._temp_dir.name) / name
        path.write_text(code, encoding="utf-8")
        self._program_path = str(path)
        self._line_map = dict(line_map or {})
        self._killed = False
        self._result = None
        self._stderr_tail.clear()
        self._output_tail.clear()
        env = dict(os.environ)
        env.update(PYTHONIOENCODING="utf-8", PYTHONUNBUFFERED="1", PYTHONUTF8="1")
        env[FRAMED_ENV] = "1"
        env.pop("PYTHONSTARTUP", None)
        kwargs: dict[str, object] = {}
        if os.name == "nt":
            kwargs["creationflags"] = (subprocess.CREATE_NEW_PROCESS_GROUP
                                       | subprocess.CREATE_NO_WINDOW)
        else:
            kwargs["start_new_session"] = True
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and file
            child_command(str(path)),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            cwd=str(cwd) if cwd is not None else self._temp_dir.name,
            env=env, **kwargs,  # type: ignore[arg-type]
        )
        self._threads = [
            threading.Thread(target=self._read, args=(self._process.stdout,),
                             name="runner-output", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def _read(self, pipe: object) -> None:
        """The one reader: the child's output in the order it was written."""
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        splitter = _StreamSplitter(self._add)
        fd = pipe.fileno()  # type: ignore[attr-defined]
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            splitter.feed(decoder.decode(data, final=not data), final=not data)
            if not data:
                break

    def _add(self, chunk: Chunk) -> None:
        if chunk.stream is Stream.STDERR:
            self._stderr_tail.append(chunk.text)
        elif chunk.stream is Stream.STDOUT:
            self._output_tail.append(chunk.text)
        self._buffer.add(chunk)

    # -- while running ----------------------------------------------------
    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def send_line(self, text: str) -> bool:
        """Write one line to the program's standard input; False if it has gone."""
        process = self._process
        if process is None or process.stdin is None or process.poll() is not None:
            return False
        try:
            process.stdin.write((text.rstrip("\r\n") + "\n").encode("utf-8"))
            process.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            return False
        return True

    def has_output(self) -> bool:
        """True while output is waiting to be taken."""
        with self._buffer.lock:
            return bool(self._buffer.chunks or self._buffer.dropped)

    def take_output(self, max_chars: int = 200_000) -> list[Chunk]:
        """Output gathered since the last call (at most about ``max_chars``)."""
        return self._buffer.take(max_chars)

    def stop(self) -> None:
        """Kill the program and every process it started. Returns at once."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        self._killed = True
        kill_process_tree(process)

    # -- finishing --------------------------------------------------------
    def poll(self) -> RunResult | None:
        """The result once the program has ended and all its output is read."""
        if self._result is not None:
            return self._result
        process = self._process
        if process is None or process.poll() is None:
            return None
        if any(thread.is_alive() for thread in self._threads):
            return None  # output still being read
        stderr = "".join(self._stderr_tail)
        if not stderr and process.returncode != 0:
            stderr = "".join(self._output_tail)  # the interpreter failed before the bootstrap ran
        error = None
        if process.returncode != 0 and not self._killed:
            error = parse_runtime_error(stderr, self._line_map, self._program_path)
        self._result = RunResult(process.returncode, self._killed, error, stderr[-4000:])
        self._cleanup()
        return self._result

    def wait(self, timeout: float | None = None) -> RunResult | None:
        """Block until the program ends (for scripts and tests; never in a GUI)."""
        if self._process is None:
            return None
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        for thread in self._threads:
            thread.join(timeout)
        return self.poll()

    def _cleanup(self) -> None:
        process = self._process
        if process is not None:
            for pipe in (process.stdin, process.stdout, process.stderr):
                try:
                    if pipe is not None:
                        pipe.close()
                except OSError:
                    pass
        if self._temp_dir is not None:
            self._temp_dir.cleanup()
            self._temp_dir = None


def kill_process_tree(process: subprocess.Popen[bytes]) -> None:
    """Kill ``process`` and its children (it was started in its own group)."""
    if os.name == "nt":
        # taskkill /T walks the tree from the parent, so the parent must still
        # be alive when it starts: kill it afterwards, on a thread (taskkill
        # takes a moment and the caller may be a UI thread).
        def _kill() -> None:
            try:
                subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)],  # noqa: S603,S607
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               creationflags=subprocess.CREATE_NO_WINDOW, timeout=10)
            except (OSError, subprocess.SubprocessError):
                pass
            try:
                process.kill()
            except OSError:
                pass

        threading.Thread(target=_kill, name="runner-kill", daemon=True).start()
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        try:
            process.kill()
        except OSError:
            pass
