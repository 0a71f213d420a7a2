"""The documentation screenshots, taken offscreen: ``python -m gui.screenshots [OUT_DIR] [SET]``.

SET ``editor`` (default ``all``):
docs/images/editor-light.png   a real program, its Python, no problems
docs/images/editor-dark.png    the same in the dark theme
docs/images/editor-problems.png  a mistake underlined and listed in Problems
docs/images/editor-console.png   the Console after a run that read INPUT
SET ``performance``:
docs/images/performance-batch.png     the Performance panel after a batch through the pool
docs/images/performance-fallback.png  ... with a slow worker: timeouts and a fallback marked
docs/images/settings-env-locked.png   the settings dialog, a field fixed by an environment variable
SET ``first``: the start page, small windows, an example's Python pane (screenshots_first_minute)
SET ``tracing``: docs/images/trace-table.png and stepping.png (gui/screenshots/tracing.py)
SET ``plain``: docs/images/python-pane-plain.png (gui/screenshots/plain.py)
Settings, configuration and recovery files go to a temporary folder, never the user's.
"""
