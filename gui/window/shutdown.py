"""Closing the window: each part registers its own step; this runs them in a stated order.

The window's ``closeEvent`` only asks whether it may close and then calls
:meth:`Shutdown.run`; it does not know the subsystems (qutebrowser's pattern,
where each module connects its own ``shutdown``). The order is the
:class:`Stage` order below, and registration order within a stage.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum


class Stage(IntEnum):
    """When a step runs, first to last."""

    PROGRAM = 10     # stop the running program
    STATE = 20       # write what the next start restores (zoom, geometry, docks, files)
    STATE_SYNC = 25  # flush the QSettings file
    RECOVERY = 30    # autosave off; unsaved work kept (unattended) or this session's removed
    DOCUMENTS = 40   # the tabs stop translating
    WINDOWS = 50     # other top-level windows (reference, settings) close
    BATCH = 60       # a folder batch finishes (bounded wait)
    ENGINE = 70      # the translator and its process pool stop
    CLOSED = 90      # tell the app (closedUnattended)


class Shutdown:
    """An ordered list of shutdown steps; ``started`` is True from the first one on."""

    def __init__(self) -> None:
        self._steps: list[tuple[Stage, int, str, Callable[[], object]]] = []
        self.started = False

    def register(self, stage: Stage, name: str, step: Callable[[], object]) -> None:
        self._steps.append((stage, len(self._steps), name, step))

    def names(self) -> list[str]:
        """The steps in the order they run (for tests and the developer notes)."""
        return [name for _stage, _n, name, _step in sorted(self._steps, key=_order)]

    def run(self) -> None:
        """Every step, in order, once."""
        if self.started:
            return
        self.started = True
        for _stage, _n, _name, step in sorted(self._steps, key=_order):
            step()


def _order(entry: tuple[Stage, int, str, Callable[[], object]]) -> tuple[int, int]:
    return entry[0], entry[1]
