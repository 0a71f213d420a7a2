"""Model test fixtures: a folder of the test's own."""

from __future__ import annotations

import pytest


@pytest.fixture
def folder(tmp_path):
    """An empty folder of the test's own (tmp_path also holds the isolated home)."""
    path = tmp_path / "work"
    path.mkdir()
    return path
