"""Benchmark: translate a batch of generated pseudocode documents with the pool on or off.

    python examples/process_pool_benchmark.py --enabled=0 --docs=200 --seed=123
    python examples/process_pool_benchmark.py --enabled=1 --docs=200 --seed=123 --workers=2

The documents come from a deterministic generator (same seed, same
documents): programs with a record type, constants, arrays, procedures and
functions with nested IF / CASE / FOR / WHILE / REPEAT, string and numeric
built-ins, the kind of program a student hands in, a few hundred lines
each, so that parsing and validating dominate the time.

Prints one JSON object: throughput_docs_per_s (higher is better), mean_ms and
p95_ms (per-document service time: from the moment the engine (or a worker)
starts on a document until its result is ready, so queueing is not counted),
workers, start_method, docs, total_s, fallbacks, timeouts, and a few more.
Compare --enabled=0 and --enabled=1 with the same seed on a quiet machine.

Wall-clock throughput needs a quiet machine; CPU time does not as much, so the
batch also reports it per document: ``cpu_ms_per_doc`` (this process: all of
the work with the pool off, the pool's own overhead with it on) and, with the
pool on (Linux), ``worker_cpu_ms_per_doc`` (the workers' CPU during the batch,
from /proc). With the pool on, ``cpu_bound_speedup`` is what the CPU times
allow on ``workers`` idle cores against ``--baseline-cpu-ms`` (the
``cpu_ms_per_doc`` of a pool-off run with the same seed, if given).

Then the latency of a single ``translate()`` (one document at a time, as the
editor translates while you type), pool on and pool off in the same run,
alternating, over --single-docs documents of --size: ``single_translate``
gives both medians (wall-clock ms, caller's view), the difference, and the
median CPU time of the calling process per ``translate()`` (``--single-runs 0``
skips it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZES = {"small": 2, "medium": 6, "large": 14, "huge": 40}  # routines per document


# --------------------------------------------------------------------------
# The document generator


class _Gen:
    """Writes one well-typed program; every name is declared before use."""

    WORDS = ("Total", "Count", "Score", "Mark", "Level", "Price", "Stock", "Index", "Limit",
             "Step", "Speed", "Width", "Height", "Weight", "Age", "Year", "Points", "Bonus",
             "Rate", "Amount", "Grade", "Rank", "Size", "Depth", "Value", "Result")
    TEXT = ("Name", "Title", "Code", "Label", "Message", "Word", "Line", "Key", "Town")
    STRINGS = ("alpha", "beta", "gamma", "delta", "Ada", "Linus", "Grace", "hello", "world",
               "pass", "fail", "merit", "red", "green", "blue")

    def __init__(self, rng: random.Random, routines: int) -> None:
        self.rng = rng
        self.routines = routines
        self.lines: list[str] = []
        self.indent = 0
        self.functions: list[tuple[str, list[str], str]] = []   # name, param types, result
        self.procedures: list[tuple[str, list[str]]] = []
        self.used: set[str] = set()

    # -- helpers

    def emit(self, text: str) -> None:
        self.lines.append("    " * self.indent + text)

    def fresh(self, stem: str) -> str:
        n = 1
        while f"{stem}{n}".upper() in self.used:
            n += 1
        name = f"{stem}{n}"
        self.used.add(name.upper())
        return name

    def pick(self, seq: Any) -> Any:
        return self.rng.choice(seq)

    # -- expressions over a scope: {"INTEGER": [...], "REAL": [...], "STRING": [...],
    #    "BOOLEAN": [...], "ARRAY": [(name, low, high)]}

    def int_expr(self, scope: dict[str, list[Any]], depth: int = 0) -> str:
        r = self.rng.random()
        if depth >= 2 or r < 0.3:
            if scope["INTEGER"] and self.rng.random() < 0.7:
                return self.pick(scope["INTEGER"])
            return str(self.rng.randint(0, 99))
        if r < 0.45 and scope["ARRAY"]:
            name, low, high = self.pick(scope["ARRAY"])
            return f"{name}[{self.rng.randint(low, high)}]"
        if r < 0.55 and scope["STRING"]:
            return f"LENGTH({self.pick(scope['STRING'])})"
        if r < 0.62:
            fn = [f for f in self.functions if f[2] == "INTEGER"]
            if fn:
                name, params, _ = self.pick(fn)
                return f"{name}({', '.join(self.arg(scope, p, 2) for p in params)})"
        if r < 0.7:
            return f"{self.int_expr(scope, depth + 1)} {self.pick(('DIV', 'MOD'))} " \
                   f"{self.rng.randint(2, 9)}"
        op = self.pick(("+", "-", "*", "+"))
        left, right = self.int_expr(scope, depth + 1), self.int_expr(scope, depth + 1)
        text = f"{left} {op} {right}"
        return f"({text})" if self.rng.random() < 0.3 else text

    def real_expr(self, scope: dict[str, list[Any]], depth: int = 0) -> str:
        r = self.rng.random()
        if depth >= 2 or r < 0.3:
            if scope["REAL"] and self.rng.random() < 0.7:
                return self.pick(scope["REAL"])
            return f"{self.rng.randint(0, 99)}.{self.rng.randint(0, 9)}"
        if r < 0.45:
            return f"{self.int_expr(scope, depth + 1)} / {self.rng.randint(2, 9)}"
        if r < 0.55:
            fn = [f for f in self.functions if f[2] == "REAL"]
            if fn:
                name, params, _ = self.pick(fn)
                return f"{name}({', '.join(self.arg(scope, p, 2) for p in params)})"
        return f"{self.real_expr(scope, depth + 1)} {self.pick(('+', '-', '*'))} " \
               f"{self.real_expr(scope, depth + 1)}"

    def str_expr(self, scope: dict[str, list[Any]], depth: int = 0) -> str:
        r = self.rng.random()
        if depth >= 2 or r < 0.3:
            if scope["STRING"] and self.rng.random() < 0.6:
                return self.pick(scope["STRING"])
            return f'"{self.pick(self.STRINGS)}"'
        if r < 0.45:
            return f"NUM_TO_STR({self.int_expr(scope, depth + 1)})"
        if r < 0.55 and scope["STRING"]:
            return f"{self.pick(('TO_UPPER', 'TO_LOWER'))}({self.pick(scope['STRING'])})"
        if r < 0.65 and scope["STRING"]:
            return f"LEFT({self.pick(scope['STRING'])}, {self.rng.randint(0, 3)})"
        return f"{self.str_expr(scope, depth + 1)} & {self.str_expr(scope, depth + 1)}"

    def bool_expr(self, scope: dict[str, list[Any]], depth: int = 0) -> str:
        r = self.rng.random()
        if r < 0.15 and scope["BOOLEAN"]:
            return self.pick(scope["BOOLEAN"])
        if r < 0.6 or depth >= 1:
            op = self.pick(("<", ">", "<=", ">=", "=", "<>"))
            return f"{self.int_expr(scope, 1)} {op} {self.int_expr(scope, 1)}"
        if r < 0.7 and scope["STRING"]:
            return f'{self.pick(scope["STRING"])} = "{self.pick(self.STRINGS)}"'
        if r < 0.8:
            return f"NOT ({self.bool_expr(scope, depth + 1)})"
        return f"{self.bool_expr(scope, depth + 1)} {self.pick(('AND', 'OR'))} " \
               f"{self.bool_expr(scope, depth + 1)}"

    def expr_of(self, type_name: str, scope: dict[str, list[Any]], depth: int = 0) -> str:
        return {"INTEGER": self.int_expr, "REAL": self.real_expr, "STRING": self.str_expr,
                "BOOLEAN": self.bool_expr}[type_name](scope, depth)

    def arg(self, scope: dict[str, list[Any]], type_name: str, depth: int = 1) -> str:
        return self.expr_of(type_name, scope, depth)

    # -- statements

    def assignable(self, scope: dict[str, list[Any]]) -> list[tuple[str, str]]:
        targets = [(name, kind) for kind in ("INTEGER", "REAL", "STRING", "BOOLEAN")
                   for name in scope["INTEGER" if kind == "INTEGER" else kind]
                   if name not in scope["LOCKED"]]
        targets += [(f"{a}[{self.rng.randint(lo, hi)}]", "INTEGER")
                    for a, lo, hi in scope["ARRAY"]]
        return targets

    def block(self, scope: dict[str, list[Any]], count: int, depth: int) -> None:
        for _ in range(count):
            self.statement(scope, depth)

    def statement(self, scope: dict[str, list[Any]], depth: int) -> None:
        r = self.rng.random()
        nested = depth < 3
        if nested and r < 0.14:
            self.emit(f"IF {self.bool_expr(scope)} THEN")
            self.indent += 1
            self.block(scope, self.rng.randint(1, 3), depth + 1)
            self.indent -= 1
            if self.rng.random() < 0.5:
                self.emit("ELSE")
                self.indent += 1
                self.block(scope, self.rng.randint(1, 2), depth + 1)
                self.indent -= 1
            self.emit("ENDIF")
        elif nested and r < 0.24 and scope["LOOP"]:
            var = self.pick([v for v in scope["LOOP"] if v not in scope["LOCKED"]] or [None])
            if var is None:
                self.emit(f"OUTPUT {self.str_expr(scope)}")
                return
            high = self.rng.randint(2, 20)
            step = " STEP 2" if self.rng.random() < 0.2 else ""
            self.emit(f"FOR {var} <- 1 TO {high}{step}")
            self.indent += 1
            scope["LOCKED"].add(var)
            self.block(scope, self.rng.randint(1, 3), depth + 1)
            scope["LOCKED"].discard(var)
            self.indent -= 1
            self.emit(f"NEXT {var}")
        elif nested and r < 0.30:
            self.emit(f"WHILE {self.bool_expr(scope)} DO")
            self.indent += 1
            self.block(scope, self.rng.randint(1, 3), depth + 1)
            self.indent -= 1
            self.emit("ENDWHILE")
        elif nested and r < 0.35:
            self.emit("REPEAT")
            self.indent += 1
            self.block(scope, self.rng.randint(1, 3), depth + 1)
            self.indent -= 1
            self.emit(f"UNTIL {self.bool_expr(scope)}")
        elif nested and r < 0.40 and scope["INTEGER"]:
            self.emit(f"CASE OF {self.pick(scope['INTEGER'])}")
            self.indent += 1
            for value in self.rng.sample(range(1, 10), self.rng.randint(2, 4)):
                self.emit(f"{value} : {self.simple(scope)}")
            self.emit(f"OTHERWISE : {self.simple(scope)}")
            self.indent -= 1
            self.emit("ENDCASE")
        elif r < 0.48 and self.procedures:
            name, params = self.pick(self.procedures)
            args = ", ".join(self.arg(scope, p) for p in params)
            self.emit(f"CALL {name}({args})" if params else f"CALL {name}")
        elif r < 0.58:
            self.emit(f"OUTPUT {self.str_expr(scope)}, \" \", {self.int_expr(scope)}")
        else:
            self.emit(self.simple(scope))

    def simple(self, scope: dict[str, list[Any]]) -> str:
        targets = self.assignable(scope)
        if not targets:
            return f"OUTPUT {self.str_expr(scope)}"
        target, kind = self.pick(targets)
        return f"{target} <- {self.expr_of(kind, scope)}"

    # -- declarations

    def new_scope(self, parent: dict[str, list[Any]] | None = None) -> dict[str, Any]:
        scope: dict[str, Any] = {k: list(parent[k]) if parent else []
                                 for k in ("INTEGER", "REAL", "STRING", "BOOLEAN", "ARRAY",
                                           "LOOP")}
        scope["LOCKED"] = set(parent["LOCKED"]) if parent else set()
        return scope

    def declare_vars(self, scope: dict[str, Any], count: int) -> None:
        for _ in range(count):
            kind = self.pick(("INTEGER", "INTEGER", "REAL", "STRING", "BOOLEAN"))
            stem = self.pick(self.TEXT if kind == "STRING" else self.WORDS)
            name = self.fresh(stem)
            self.emit(f"DECLARE {name} : {kind}")
            scope[kind].append(name)
        loop = self.fresh(self.pick(("I", "J", "K", "N")))
        self.emit(f"DECLARE {loop} : INTEGER")
        scope["LOOP"].append(loop)
        if self.rng.random() < 0.5:
            name = self.fresh(self.pick(("Scores", "Marks", "Totals", "Counts")))
            high = self.rng.randint(5, 30)
            self.emit(f"DECLARE {name} : ARRAY[1:{high}] OF INTEGER")
            scope["ARRAY"].append((name, 1, high))

    def routine(self, globals_scope: dict[str, Any]) -> None:
        is_function = self.rng.random() < 0.5
        name = self.fresh(self.pick(("Calc", "Update", "Show", "Check", "Find", "Count",
                                     "Report", "Apply")))
        scope = self.new_scope(globals_scope)
        params: list[str] = []
        texts: list[str] = []
        for _ in range(self.rng.randint(0, 3)):
            kind = self.pick(("INTEGER", "REAL", "STRING"))
            pname = self.fresh("P" + self.pick(self.WORDS))
            params.append(kind)
            texts.append(f"{pname} : {kind}")
            scope[kind].append(pname)
        signature = f"{name}({', '.join(texts)})" if texts else name
        result = self.pick(("INTEGER", "REAL", "STRING")) if is_function else ""
        self.emit(f"FUNCTION {signature} RETURNS {result}" if is_function
                  else f"PROCEDURE {signature}")
        self.indent += 1
        self.declare_vars(scope, self.rng.randint(2, 4))
        for kind in ("INTEGER", "REAL", "STRING", "BOOLEAN"):
            for var in scope[kind]:
                if var not in globals_scope[kind] and not any(
                        var in t for t in texts):
                    self.emit(f"{var} <- {self.initial(kind)}")
        self.block(scope, self.rng.randint(6, 12), 0)
        if is_function:
            self.emit(f"RETURN {self.expr_of(result, scope)}")
        self.indent -= 1
        self.emit("ENDFUNCTION" if is_function else "ENDPROCEDURE")
        self.emit("")
        if is_function:
            self.functions.append((name, params, result))
        else:
            self.procedures.append((name, params))

    def initial(self, kind: str) -> str:
        return {"INTEGER": "0", "REAL": "0.0", "STRING": '""', "BOOLEAN": "FALSE"}[kind]

    def program(self, number: int) -> str:
        self.emit(f"// Generated program {number}: a batch job of the benchmark")
        glob = self.new_scope()
        limit = self.fresh("MaxItems")
        self.emit(f"CONSTANT {limit} = {self.rng.randint(10, 50)}")
        self.declare_vars(glob, self.rng.randint(3, 6))
        for kind in ("INTEGER", "REAL", "STRING", "BOOLEAN"):
            for var in glob[kind]:
                self.emit(f"{var} <- {self.initial(kind)}")
        self.emit("")
        for _ in range(self.routines):
            self.routine(glob)
        self.emit("// main program")
        self.block(glob, 4 + self.routines, 0)
        return "\n".join(self.lines) + "\n"


def generate_documents(count: int, seed: int, size: str | int = "medium") -> list[str]:
    """``count`` pseudocode programs, the same ones for the same seed and size."""
    routines = SIZES[size] if isinstance(size, str) else int(size)
    rng = random.Random(seed)
    return [_Gen(random.Random(rng.getrandbits(64)), routines).program(i + 1)
            for i in range(count)]


# --------------------------------------------------------------------------
# The run


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, int(round(q / 100.0 * len(ordered) + 0.5)) - 1))
    return ordered[index]


def process_cpu_ms(pids: list[int]) -> float | None:
    """CPU time (user + system) of these processes so far, in ms (Linux: /proc); None elsewhere."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total * 1000.0 / ticks


def run(enabled: bool, docs: int, seed: int, workers: int | None, target: str,
        size: str | int, start_method: str | None, timeout_ms: int,
        baseline_cpu_ms: float | None = None) -> dict[str, Any]:
    from engine.config import ExecutionConfig, TranslatorConfig
    from engine.events import EventRecorder, EventType
    from engine.translator import TranslationManager

    texts = generate_documents(docs, seed, size)
    config = TranslatorConfig(execution=ExecutionConfig(
        process_pool_enabled=enabled, process_pool_max_workers=workers,
        process_pool_target=target, process_pool_start_method=start_method,
        process_pool_task_timeout_ms=timeout_ms))
    config.telemetry_enabled = True
    recorder = EventRecorder()
    with TranslationManager(config) as manager:
        manager.events.subscribe(recorder)
        warm_start = time.perf_counter()
        if enabled:
            # Workers are started and ready before the clock runs, as in a long
            # session; the start-up is reported apart (pool_start_s).
            manager.start_pool(wait_ready=120.0)
        warm_s = time.perf_counter() - warm_start
        pids = manager.pool_info()["pids"] if enabled else []
        workers_before = process_cpu_ms(pids) if pids else None
        cpu_start = time.process_time()
        start = time.perf_counter()
        results = manager.translate_many(texts)
        total_s = time.perf_counter() - start
        cpu_ms = (time.process_time() - cpu_start) * 1000.0
        workers_after = process_cpu_ms(pids) if pids else None
        pool = manager.pool_info()
        snapshot = manager.telemetry.snapshot()
    latencies = [r.timings.get("total_ms", 0.0) for r in results]
    worker_cpu = None
    if workers_before is not None and workers_after is not None and \
            sorted(pool["pids"]) == sorted(pids):  # no worker was replaced meanwhile
        worker_cpu = (workers_after - workers_before) / max(1, docs)
    cpu_per_doc = cpu_ms / max(1, docs)
    speedup = None
    if enabled and worker_cpu and baseline_cpu_ms:
        # The work spread over the workers' cores, and the parent's share on top.
        per_core = (worker_cpu + cpu_per_doc) / max(1, pool["max_workers"])
        speedup = round(baseline_cpu_ms / per_core, 2)
    return {
        "enabled": int(enabled),
        "docs": docs,
        "seed": seed,
        "size": size,
        "target": target,
        "workers": pool["max_workers"] if enabled else 1,
        "start_method": pool["start_method"] if enabled else None,
        "total_s": round(total_s, 4),
        "throughput_docs_per_s": round(docs / total_s, 2) if total_s > 0 else 0.0,
        "mean_ms": round(sum(latencies) / len(latencies), 3) if latencies else 0.0,
        "p95_ms": round(percentile(latencies, 95), 3),
        "fallbacks": len(recorder.of(EventType.EXEC_POOL_FALLBACK)),
        "timeouts": len(recorder.of(EventType.EXEC_POOL_TIMEOUT)),
        "tasks": len(recorder.of(EventType.EXEC_POOL_TASK_SUBMITTED)),
        "pool_start_s": round(warm_s, 4),
        "throughput_with_start_docs_per_s": round(docs / (total_s + warm_s), 2),
        "chars_per_doc": round(sum(map(len, texts)) / max(1, len(texts))),
        "docs_with_errors": sum(1 for r in results if not r.success),
        "cpu_count": os.cpu_count(),
        "cpu_ms_per_doc": round(cpu_per_doc, 3),
        "worker_cpu_ms_per_doc": None if worker_cpu is None else round(worker_cpu, 3),
        "cpu_bound_speedup": speedup,
        "telemetry": snapshot["counters"],
    }


def single_latency(docs: int, seed: int, size: str | int, workers: int | None,
                   start_method: str | None, runs: int) -> dict[str, Any]:
    """Median ``translate()`` time of one document, pool on and off, measured alternately."""
    import statistics

    from engine.config import ExecutionConfig, TranslatorConfig
    from engine.translator import TranslationManager

    texts = generate_documents(docs, seed + 1, size)
    pooled_config = TranslatorConfig(execution=ExecutionConfig(
        process_pool_enabled=True, process_pool_max_workers=workers,
        process_pool_start_method=start_method))
    here, pooled = TranslationManager(TranslatorConfig()), TranslationManager(pooled_config)
    off_ms: list[float] = []
    on_ms: list[float] = []
    off_cpu: list[float] = []
    on_cpu: list[float] = []
    same = True
    try:
        pooled.start_pool(wait_ready=120.0)
        for text in texts[:2]:  # warm both (imports, caches) before the clock runs
            here.translate(text)
            pooled.translate(text)
        for _ in range(runs):
            for text in texts:
                cpu, start = time.process_time(), time.perf_counter()
                local = here.translate(text)
                off_ms.append((time.perf_counter() - start) * 1000)
                off_cpu.append((time.process_time() - cpu) * 1000)
                cpu, start = time.process_time(), time.perf_counter()
                remote = pooled.translate(text)
                on_ms.append((time.perf_counter() - start) * 1000)
                on_cpu.append((time.process_time() - cpu) * 1000)
                same = same and local.code == remote.code and \
                    [d.to_dict() for d in local.diagnostics] == \
                    [d.to_dict() for d in remote.diagnostics]
    finally:
        pooled.shutdown()
        here.shutdown()
    off, on = statistics.median(off_ms), statistics.median(on_ms)
    return {"docs": len(texts), "size": size, "runs": runs,
            "chars_per_doc": round(sum(map(len, texts)) / max(1, len(texts))),
            "pool_off_ms": round(off, 2), "pool_on_ms": round(on, 2),
            "pool_cost_ms": round(on - off, 2),
            "pool_off_cpu_ms": round(statistics.median(off_cpu), 2),
            "pool_on_cpu_ms": round(statistics.median(on_cpu), 2),
            "same_results": same}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--enabled", type=int, choices=(0, 1), default=1)
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=123)
    parser.add_argument("--workers", type=int, default=None,
                        help="pool workers (default: max(2, CPU count))")
    parser.add_argument("--target", default="parse_validate",
                        choices=("parse_validate", "parse_only", "validate_only"))
    parser.add_argument("--size", default="medium",
                        help=f"document size: {', '.join(SIZES)} or a number of routines")
    parser.add_argument("--start-method", default=None, choices=("spawn", "fork", "forkserver"))
    parser.add_argument("--timeout-ms", type=int, default=5000)
    parser.add_argument("--single-docs", type=int, default=10,
                        help="documents for the single translate() latency")
    parser.add_argument("--single-runs", type=int, default=3,
                        help="passes over them (0: skip the single-document latency)")
    parser.add_argument("--baseline-cpu-ms", type=float, default=None,
                        help="cpu_ms_per_doc of a pool-off run with the same seed "
                             "(for cpu_bound_speedup)")
    parser.add_argument("--print-doc", type=int, default=None, metavar="N",
                        help="print generated document N (0-based) and exit")
    args = parser.parse_args(argv)
    size: str | int = int(args.size) if args.size.isdigit() else args.size
    if args.print_doc is not None:
        print(generate_documents(args.print_doc + 1, args.seed, size)[args.print_doc], end="")
        return 0
    result = run(bool(args.enabled), args.docs, args.seed, args.workers, args.target, size,
                 args.start_method, args.timeout_ms, args.baseline_cpu_ms)
    if args.single_runs > 0:
        result["single_translate"] = single_latency(args.single_docs, args.seed, size,
                                                    args.workers, args.start_method,
                                                    args.single_runs)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(main())
