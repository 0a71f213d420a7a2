"""Fixtures for the controller tests: a fake view whose tabs stop translating at the end."""

from __future__ import annotations

import pytest
from window_fakes import FakeView


@pytest.fixture
def view(qtbot):
    fake = FakeView()
    qtbot.addWidget(fake.holder)
    yield fake
    fake.shutdown_tabs()
