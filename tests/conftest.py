"""Shared test set-up. Qt must never open a real window in tests (and CI has no display)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
