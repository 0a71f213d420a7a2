"""How fast does the tracer run a program? Prints JSON.

Traces a bubble sort of ``--size`` numbers in reverse order (every pair is
swapped: the most rows a sort can make) with the row limit lifted, and runs
the same program plainly, both in a child process. Reported:

- ``plain_s``: running it without the tracer (process start included)
- ``trace_s``: tracing it to the end (process start, every row sent to the parent)
- ``rows``, ``rows_per_s``: rows of the trace table and how many per second
- ``slowdown``: ``trace_s / plain_s``
- ``long_array``: the same for filling and summing an ARRAY[1:10000] (20 000 rows)

    python examples/trace_benchmark.py [--size 60] [--repeat 3]

The numbers depend on the machine and on its load: report them as measured.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from engine.execution.runner import ProgramRunner
from engine.tracing.info import prepare
from engine.tracing.session import run_trace


def program(size: int) -> str:
    lines = [f"DECLARE Nums : ARRAY[1:{size}] OF INTEGER", "DECLARE I, J, Temp : INTEGER",
             f"FOR I <- 1 TO {size}", f"    Nums[I] <- {size + 1} - I", "NEXT I",
             f"FOR I <- 1 TO {size - 1}", f"    FOR J <- 1 TO {size} - I",
             "        IF Nums[J] > Nums[J + 1] THEN", "            Temp <- Nums[J]",
             "            Nums[J] <- Nums[J + 1]", "            Nums[J + 1] <- Temp",
             "        ENDIF", "    NEXT J", "NEXT I", "OUTPUT Nums[1], \" \", Nums[2]"]
    return "\n".join(lines) + "\n"


def long_array(size: int = 10_000) -> str:
    return "\n".join([f"DECLARE A : ARRAY[1:{size}] OF INTEGER", "DECLARE I, T : INTEGER",
                      f"FOR I <- 1 TO {size}", "    A[I] <- I", "NEXT I", "T <- 0",
                      f"FOR I <- 1 TO {size}", "    T <- T + A[I]", "NEXT I", "OUTPUT T"]) + "\n"


def measure(source: str, repeat: int) -> dict[str, float]:
    prepared = prepare(source)
    plain, traced, rows = [], [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        runner = ProgramRunner()
        runner.start(prepared.code)
        runner.wait(300)
        plain.append(time.perf_counter() - start)
        start = time.perf_counter()
        table = run_trace(prepared, [], max_rows=10_000_000, max_steps=100_000_000, timeout=600)
        traced.append(time.perf_counter() - start)
        rows = len(table.rows)
    plain_s, trace_s = statistics.median(plain), statistics.median(traced)
    return {"rows": rows, "plain_s": round(plain_s, 3), "trace_s": round(trace_s, 3),
            "rows_per_s": round(rows / trace_s), "slowdown": round(trace_s / plain_s, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    report = {"size": args.size, "repeat": args.repeat} | measure(program(args.size), args.repeat)
    report["long_array"] = measure(long_array(), args.repeat)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
