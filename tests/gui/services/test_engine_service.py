"""EngineService: the pool starts, restarts and stops off the GUI thread; "Auto" means spawn."""

from __future__ import annotations

import threading

from gui_helpers import pool_config

from engine.config import TranslatorConfig
from engine.events import EventType
from gui.model.pool_status import PoolState


class _FakeManager:
    """Records on which thread the pool is started and stopped (no processes)."""

    threads: list[tuple[str, bool]] = []

    def __init__(self, config, events=None) -> None:
        self.config = config
        self.events = events
        self.ready = threading.Event()

    def start_pool(self, wait_ready: float = 0.0) -> bool:
        _FakeManager.threads.append(("start", threading.current_thread()
                                     is threading.main_thread()))
        self.events.emit(EventType.EXEC_POOL_STARTED, {"max_workers": 3,
                                                       "start_method": "spawn"})
        return True

    def wait_ready(self, timeout: float) -> bool:
        _FakeManager.threads.append(("wait_ready", threading.current_thread()
                                     is threading.main_thread()))
        return True

    def pool_info(self) -> dict:
        return {"enabled": True, "started": True, "max_workers": 3, "start_method": "spawn",
                "ready_workers": 3}

    def shutdown(self, wait: bool = True) -> None:
        _FakeManager.threads.append(("shutdown", threading.current_thread()
                                     is threading.main_thread()))


def test_pool_start_restart_and_stop_run_off_the_gui_thread(qtbot, monkeypatch) -> None:
    import gui.services.engine_service as service_module

    monkeypatch.setattr(service_module, "TranslationManager", _FakeManager)
    _FakeManager.threads = []
    service = service_module.EngineService(pool_config())
    assert service.manager.config.execution.process_pool_start_method == "spawn"
    with qtbot.waitSignal(service.poolChanged, timeout=5000,
                          check_params_cb=lambda: service.status.state is PoolState.READY):
        service.start()
    assert service.status.label() == "Pool: Ready (3 workers, spawn)"
    first = service.manager
    new = pool_config(process_pool_retry_limit=3)
    with qtbot.waitSignal(service.bridge.poolStarted, timeout=5000):
        assert service.apply(new)
    assert service.manager is not first
    qtbot.waitUntil(lambda: len(_FakeManager.threads) == 5, timeout=5000)
    service.shutdown(wait=True)
    assert [name for name, _ in _FakeManager.threads] == [
        "start", "wait_ready", "shutdown", "start", "wait_ready", "shutdown"]
    assert not any(on_gui for _, on_gui in _FakeManager.threads)
    # strict mode alone does not rebuild the manager
    service2 = service_module.EngineService(TranslatorConfig())
    manager = service2.manager
    strict = TranslatorConfig()
    strict.translation.strict_mode = True
    assert not service2.apply(strict) and service2.manager is manager
    assert service2.manager.config.translation.strict_mode
    service2.shutdown(wait=True)


class _SlowFakeManager(_FakeManager):
    """One of three workers never says it is ready."""

    def wait_ready(self, timeout: float) -> bool:
        self.waits = getattr(self, "waits", 0) + 1
        return self.ready.wait(timeout)  # never set

    def pool_info(self) -> dict:
        return super().pool_info() | {"ready_workers": 2}


def test_a_pool_not_fully_ready_in_time_says_how_many_workers_are(qtbot, monkeypatch) -> None:
    import gui.services.engine_service as service_module

    monkeypatch.setattr(service_module, "TranslationManager", _SlowFakeManager)
    monkeypatch.setattr(service_module, "READY_TIMEOUT_S", 0.2)
    monkeypatch.setattr(service_module, "READY_STEP_S", 0.01)
    _FakeManager.threads = []
    service = service_module.EngineService(pool_config())
    with qtbot.waitSignal(service.poolChanged, timeout=5000,
                          check_params_cb=lambda: service.status.state is PoolState.READY):
        service.start()
    assert service.status.label() == "Pool: Ready (2 of 3 workers, spawn)"
    assert service.manager.waits >= 2  # short steps (TranslationManager.wait_ready)
    service.shutdown(wait=True)


def test_auto_start_method_is_spawn_in_the_editor_only() -> None:
    from gui.services.engine_service import runtime_config

    config = TranslatorConfig()
    assert runtime_config(config).execution.process_pool_start_method == "spawn"
    assert config.execution.process_pool_start_method is None  # the saved config is untouched
    config.execution.process_pool_start_method = "forkserver"
    assert runtime_config(config).execution.process_pool_start_method == "forkserver"
