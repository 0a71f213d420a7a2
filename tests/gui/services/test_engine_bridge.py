"""EngineBridge: engine events from any thread, re-emitted in the GUI thread, in order."""

from __future__ import annotations

from gui_helpers import in_thread
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from engine.events import EventDispatcher, EventType
from gui.services.engine_bridge import EngineBridge


def test_bridge_delivers_events_from_any_thread_in_the_gui_thread_in_order(qtbot) -> None:
    dispatcher = EventDispatcher()
    bridge = EngineBridge(dispatcher)
    seen: list[tuple[str, int, bool]] = []
    gui_thread = QApplication.instance().thread()
    bridge.event.connect(lambda e: seen.append(
        ("event", e.data.get("n", -1), QThread.currentThread() is gui_thread)))
    timeouts: list[int] = []
    bridge.poolTimeout.connect(lambda e: timeouts.append(e.data["attempt"]))

    def engine_work() -> None:
        for n in range(50):
            dispatcher.emit(EventType.TRANSLATION_STARTED, {"id": n, "size_chars": 1, "n": n})
        dispatcher.emit(EventType.EXEC_POOL_TIMEOUT, {"kind": "parse", "timeout_ms": 5,
                                                      "attempt": 2})

    with qtbot.waitSignal(bridge.poolTimeout, timeout=5000):
        in_thread(engine_work)
    assert [n for _, n, _ in seen[:50]] == list(range(50))
    assert all(in_gui for _, _, in_gui in seen)
    assert timeouts == [2]
    bridge.detach()
    assert dispatcher.handler_count() == 0
