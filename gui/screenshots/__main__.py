"""``python -m gui.screenshots [OUT_DIR] [SET]``: run the chosen screenshot sets (default all)."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(out_dir: str = "docs/images", which: str = "all") -> int:
    if which in ("all", "editor"):
        from gui.screenshots.editor import editor_screenshots

        editor_screenshots(out_dir)
    if which in ("all", "performance"):
        from gui.screenshots.performance import performance_screenshots

        performance_screenshots(out_dir)
    if which in ("all", "first"):
        from gui.screenshots.first_minute import first_minute_screenshots

        first_minute_screenshots(out_dir)
    if which in ("all", "tracing"):
        from gui.screenshots.tracing import tracing_screenshots

        tracing_screenshots(out_dir)
    if which in ("all", "plain"):
        from gui.screenshots.plain import plain_screenshots

        plain_screenshots(out_dir)
    return 0


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # the performance set starts pool workers (spawn)
    sys.exit(main(*sys.argv[1:3]))
