"""How fast do translated programs run? Each against the same work written by hand in Python.

For every ``examples/speed/NAME.pseudo`` there is a hand-written ``NAME.py`` doing the
same work the way a Python programmer would (plain lists, list of lists, a dataclass).
Both are compiled once, then run alternately ``--runs`` times in this one process
(standard output captured and compared: the two must print the same). Prints JSON:
per program the median seconds of each and ``ratio`` = translated / hand-written.

    python examples/run_speed_benchmark.py [--runs 5] [--only sort,table]

On a shared machine the numbers are noisy: compare ratios from the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import sys
import time
from pathlib import Path
from types import CodeType

ROOT = Path(__file__).resolve().parents[1]
SPEED = ROOT / "examples" / "speed"
sys.path.insert(0, str(ROOT))

from engine.translator import translate_text  # noqa: E402

PROGRAMS = ("sort", "table", "records", "recursion", "strings")


def _run(code: CodeType) -> tuple[float, str]:
    """Run a compiled program as ``__main__``; its time and what it printed."""
    out = io.StringIO()
    hook = sys.excepthook
    limit = sys.getrecursionlimit()
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    try:
        with contextlib.redirect_stdout(out):
            start = time.perf_counter()
            exec(code, namespace)
            elapsed = time.perf_counter() - start
    finally:
        sys.excepthook = hook
        sys.setrecursionlimit(limit)
    return elapsed, out.getvalue()


def measure(name: str, runs: int) -> dict[str, object]:
    pseudo = (SPEED / f"{name}.pseudo").read_text(encoding="utf-8")
    result = translate_text(pseudo)
    if not result.success:
        return {"error": [d.format() for d in result.errors[:3]] or ["no code"]}
    translated = compile(result.code, f"<translated {name}>", "exec")
    hand = compile((SPEED / f"{name}.py").read_text(encoding="utf-8"), f"{name}.py", "exec")
    translated_s: list[float] = []
    hand_s: list[float] = []
    outputs: set[tuple[str, str]] = set()
    for _ in range(runs):
        seconds, printed_translated = _run(translated)
        translated_s.append(seconds)
        seconds, printed_hand = _run(hand)
        hand_s.append(seconds)
        outputs.add((printed_translated, printed_hand))
    same = all(a == b for a, b in outputs)
    translated_median = statistics.median(translated_s)
    hand_median = statistics.median(hand_s)
    return {
        "translated_s": round(translated_median, 4),
        "hand_written_s": round(hand_median, 4),
        "ratio": round(translated_median / hand_median, 2),
        "same_output": same,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated program names")
    args = parser.parse_args()
    names = [x for x in args.only.split(",") if x] or list(PROGRAMS)
    report: dict[str, object] = {"runs": args.runs, "python": sys.version.split()[0]}
    for name in names:
        report[name] = measure(name, args.runs)
    print(json.dumps(report, indent=2))
    return 0 if all(isinstance(v, dict) and v.get("same_output") for k, v in report.items()
                    if k in names) else 1


if __name__ == "__main__":
    sys.exit(main())
