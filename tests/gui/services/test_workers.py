"""gui.services.workers.run_in_background: result, exception, order, deleted receiver, cancel."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import QObject, QThread, QThreadPool, Signal
from PySide6.QtWidgets import QApplication, QWidget

from gui.services import workers
from gui.services.workers import run_in_background


def _gui_thread() -> bool:
    return QThread.currentThread() is QApplication.instance().thread()


def test_the_result_arrives_in_the_gui_thread(qtbot) -> None:
    seen: dict = {}

    def work(a: int, b: int, *, times: int) -> int:
        seen["worker_thread"] = threading.current_thread() is not threading.main_thread()
        return (a + b) * times

    def done(value: int) -> None:
        seen["value"], seen["in_gui"] = value, _gui_thread()

    job = run_in_background(work, 2, 3, times=4, done=done)
    qtbot.waitUntil(lambda: "value" in seen, timeout=5000)
    assert seen == {"worker_thread": True, "value": 20, "in_gui": True}
    assert job.finished and job.delivered and job.wait(0)


class _Sink(QObject):
    got = Signal(object)


def test_an_exception_goes_to_failed_in_the_gui_thread(qtbot) -> None:
    errors: list = []
    sink = _Sink()

    def work() -> None:
        raise ValueError("bad input")

    def failed(error: BaseException) -> None:
        errors.append((error, _gui_thread()))
        sink.got.emit(error)

    with qtbot.waitSignal(sink.got, timeout=5000):  # connected before the job starts
        run_in_background(work, done=lambda _v: errors.append("done called"), failed=failed)
    (error, in_gui), = errors
    assert isinstance(error, ValueError) and str(error) == "bad input" and in_gui
    assert error.__traceback__ is not None  # where it happened is kept


def test_an_exception_nobody_handles_is_logged_with_its_traceback(qtbot, caplog) -> None:
    def broken_job() -> None:
        raise KeyError("lost?")

    with caplog.at_level(logging.ERROR, logger="gui.services.workers"):
        job = run_in_background(broken_job)
        qtbot.waitUntil(lambda: job.delivered, timeout=5000)
    record, = [r for r in caplog.records if "broken_job" in r.getMessage()]
    assert record.exc_info and record.exc_info[0] is KeyError


def test_nothing_is_called_when_the_receiver_was_deleted(qtbot) -> None:
    calls: list = []
    release = threading.Event()

    class Receiver(QObject):
        def on_done(self, value: object) -> None:
            calls.append(value)

    receiver = Receiver()
    job = run_in_background(lambda: release.wait(5) and "late", done=receiver.on_done)
    receiver.deleteLater()
    qtbot.waitUntil(lambda: not _is_valid(receiver), timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: job.delivered, timeout=5000)
    assert calls == []


def test_an_explicit_receiver_widget_deleted_meanwhile(qtbot) -> None:
    calls: list = []
    release = threading.Event()
    widget = QWidget()
    job = run_in_background(lambda: release.wait(5), done=calls.append, receiver=widget)
    widget.deleteLater()
    qtbot.waitUntil(lambda: not _is_valid(widget), timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: job.delivered, timeout=5000)
    assert calls == []


def test_a_living_receiver_gets_its_result(qtbot) -> None:
    calls: list = []

    class Receiver(QObject):
        def on_done(self, value: object) -> None:
            calls.append(value)

    receiver = Receiver()
    job = run_in_background(lambda: "hello", done=receiver.on_done)
    qtbot.waitUntil(lambda: job.delivered, timeout=5000)
    assert calls == ["hello"]


def test_cancel_drops_the_outcome(qtbot) -> None:
    calls: list = []
    release = threading.Event()
    job = run_in_background(lambda: release.wait(5), done=calls.append, failed=calls.append)
    job.cancel()
    release.set()
    qtbot.waitUntil(lambda: job.delivered, timeout=5000)
    assert job.cancelled and calls == []


def test_a_one_thread_pool_keeps_the_order_and_wait_blocks(qtbot) -> None:
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    order: list[int] = []
    started = threading.Event()
    release = threading.Event()

    def first() -> int:
        started.set()
        release.wait(5)
        return 1

    jobs = [run_in_background(first, pool=pool, done=order.append)]
    jobs += [run_in_background(lambda n=n: n, pool=pool, done=order.append) for n in (2, 3, 4)]
    assert started.wait(5)
    assert not jobs[0].wait(0.05) and not jobs[0].finished
    release.set()
    assert all(job.wait(5) for job in jobs)
    qtbot.waitUntil(lambda: len(order) == 4, timeout=5000)
    assert order == [1, 2, 3, 4]
    pool.waitForDone(5000)


def test_called_from_another_thread_it_still_delivers_in_the_gui_thread(qtbot) -> None:
    seen: list = []
    made: list = []
    thread = threading.Thread(target=lambda: made.append(
        run_in_background(lambda: 7, done=lambda v: seen.append((v, _gui_thread())))))
    thread.start()
    thread.join(5)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [(7, True)]


def test_no_handle_stays_in_flight_after_delivery(qtbot) -> None:
    jobs = [run_in_background(lambda n=n: n) for n in range(5)]
    qtbot.waitUntil(lambda: all(job.delivered for job in jobs), timeout=5000)
    assert not any(job in workers._IN_FLIGHT for job in jobs)


def _is_valid(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)


@pytest.fixture(autouse=True)
def _drain_the_global_pool():
    yield
    QThreadPool.globalInstance().waitForDone(5000)


def test_no_other_way_to_start_a_thread_in_the_gui() -> None:
    """workers.py is the one helper: no QRunnable or QThread subclass, no threading.Thread."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "gui"
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "workers.py" and path.parent.name == "services":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ClassDef):
                names = [ast.unparse(base) for base in node.bases]
            elif isinstance(node, ast.Call):
                names = [ast.unparse(node.func)]
            if any(name.split(".")[-1] in ("QRunnable", "QThread", "Thread") for name in names):
                found.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    assert not found, found
