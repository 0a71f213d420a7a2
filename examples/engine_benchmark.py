"""How fast is the engine? Translates a generated 10,000-line program and prints JSON.

Reports the medians of several runs of each stage, and CPython's own
``compile()`` of the generated Python for scale (``ratio_vs_compile`` =
translate_ms / cpython_compile_ms; ``*_cpu_ms`` and ``ratio_vs_compile_cpu``: the
same in CPU time, less disturbed by a loaded machine). The stages run with the
cyclic GC paused, as ``TranslationManager`` runs them, and so does ``compile()``.
Then whole processes, as a user starts them: ``pseudocode-translator --version``,
``--help`` and ``check`` of a 9,000-line program (``/work/shared/perf/big9k.pseudo``
when present, else the generated program cut to 9,000 lines), next to a bare
``python -c pass`` for scale: ``*_ms`` wall-clock and ``*_cpu_ms`` (user + system
time of the child), medians. The children find their bytecode compiled, as in an
installed copy (pip and PyInstaller ship ``.pyc`` files): a cache in a temporary
folder (``PYTHONPYCACHEPREFIX``), filled by one run of each command before the
timed ones, even when ``PYTHONDONTWRITEBYTECODE`` is set.

    python examples/engine_benchmark.py [--lines 10000] [--runs 5] [--process-runs 7]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIG_PROGRAM = Path("/work/shared/perf/big9k.pseudo")

from engine.pipeline import (  # noqa: E402
    generate_stage,
    parse_stage,
    validate_stage,
    without_cyclic_gc,
)


def make_program(lines: int, varied: bool = False) -> str:
    """A realistic program: declarations, procedures, functions, loops, arrays, records.

    Its blocks differ only in their routine names, so 82% of its lines are repeats (as a
    generated benchmark's are, and as few real programs' are). ``varied`` gives each block
    its own names, literals and comments instead: only block ends and the FOR line repeat
    (28%; the programs of the conformance corpus repeat 11% of their lines), so work
    remembered per distinct line cannot stand in for the engine's speed."""
    head = [
        "// generated benchmark program",
        "TYPE Pupil",
        "    DECLARE Name : STRING",
        "    DECLARE Mark : INTEGER",
        "ENDTYPE",
        "CONSTANT Size = 100",
        "DECLARE Marks : ARRAY[1:Size] OF INTEGER",
        "DECLARE Pupils : ARRAY[1:Size] OF Pupil",
        "DECLARE Total, Count, Best : INTEGER",
        "DECLARE Mean : REAL",
        "DECLARE Label : STRING",
    ]
    out = list(head)
    block = 0
    while len(out) < lines:
        block += 1
        out += _varied_block(block) if varied else _block(block)
    return "\n".join(out) + "\n"  # whole blocks: a few lines more than asked


def _block(block: int) -> list[str]:
    return [
        f"FUNCTION Score{block}(A : INTEGER, B : INTEGER) RETURNS INTEGER",
        "    DECLARE Result : INTEGER",
        f"    Result <- (A * {block % 7 + 1} + B) MOD 100",
        "    IF Result < 0 THEN",
        "        Result <- -Result",
        "    ENDIF",
        "    RETURN Result",
        "ENDFUNCTION",
        f"PROCEDURE Update{block}(BYREF Sum : INTEGER, Value : INTEGER)",
        "    Sum <- Sum + Value  // accumulate",
        "ENDPROCEDURE",
        "Total <- 0",
        "FOR Count <- 1 TO Size",
        f"    Marks[Count] <- Score{block}(Count, {block})",
        f"    CALL Update{block}(Total, Marks[Count])",
        "    Pupils[Count].Mark <- Marks[Count]",
        "    Pupils[Count].Name <- \"P\" & NUM_TO_STR(Count)",
        "NEXT Count",
        "Mean <- Total / Size",
        "CASE OF Total MOD 4",
        "    0 : Label <- \"none\"",
        "    1 TO 2 : Label <- \"some\"",
        "    OTHERWISE : Label <- \"many\"",
        "ENDCASE",
        "WHILE Best < Total DO",
        "    Best <- Best + LENGTH(Label) + 1",
        "ENDWHILE",
        "OUTPUT \"Block \", " + str(block) + ", \": \", Mean, \" \", Label",
    ]


def _varied_block(b: int) -> list[str]:
    """The statements of ``_block`` with this block's own names, literals and comments."""
    return [
        f"FUNCTION Score{b}(A{b} : INTEGER, B{b} : INTEGER) RETURNS INTEGER",
        f"    DECLARE Result{b} : INTEGER",
        f"    Result{b} <- (A{b} * {b % 7 + 1} + B{b}) MOD {b + 100}",
        f"    IF Result{b} < {b % 3} THEN",
        f"        Result{b} <- -Result{b}",
        "    ENDIF",
        f"    RETURN Result{b}",
        "ENDFUNCTION",
        f"PROCEDURE Update{b}(BYREF Sum{b} : INTEGER, Value{b} : INTEGER)",
        f"    Sum{b} <- Sum{b} + Value{b}  // accumulate block {b}",
        "ENDPROCEDURE",
        f"Total <- {b}",
        "FOR Count <- 1 TO Size",
        f"    Marks[Count] <- Score{b}(Count, {b})",
        f"    CALL Update{b}(Total, Marks[Count])",
        f"    Pupils[Count].Mark <- Marks[Count] + {b}",
        f"    Pupils[Count].Name <- \"P{b}\" & NUM_TO_STR(Count)",
        "NEXT Count",
        f"Mean <- Total / (Size + {b})",
        f"CASE OF Total MOD {b % 5 + 4}",
        f"    0 : Label <- \"none {b}\"",
        f"    1 TO 2 : Label <- \"some {b}\"",
        f"    OTHERWISE : Label <- \"many {b}\"",
        "ENDCASE",
        f"WHILE Best < Total + {b} DO",
        f"    Best <- Best + LENGTH(Label) + {b}",
        "ENDWHILE",
        f"OUTPUT \"Block \", {b}, \": \", Mean, \" \", Label",
    ]


def repeated_line_share(text: str) -> float:
    """The share of lines that are exact repeats of an earlier line."""
    lines = text.splitlines()
    return round(1 - len(set(lines)) / len(lines), 3) if lines else 0.0


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def whole_process(command: list[str], runs: int, bytecode: str) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of running ``command`` to its end, with its
    bytecode cached in the folder ``bytecode`` (one untimed run fills it)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = bytecode
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                   check=False)
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                       check=False)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return median_ms(wall), median_ms(cpu)


def process_times(runs: int, fallback_text: str) -> dict[str, object]:
    tool = [sys.executable, "-m", "launcher"]
    with tempfile.TemporaryDirectory() as folder:
        big = BIG_PROGRAM
        if not big.exists():
            big = Path(folder) / "big9k.pseudo"
            big.write_text("\n".join(fallback_text.splitlines()[:9000]) + "\n",
                           encoding="utf-8")
        out: dict[str, object] = {"check_program": str(big),
                                  "check_program_lines": big.read_text(
                                      encoding="utf-8").count("\n"),
                                  "process_bytecode": "cached, as installed"}
        bytecode = str(Path(folder) / "pycache")
        for key, command in (("python_bare", [sys.executable, "-c", "pass"]),
                             ("version", [*tool, "--version"]),
                             ("help", [*tool, "--help"]),
                             ("check", [*tool, "check", str(big)])):
            wall, cpu = whole_process(command, runs, bytecode)
            out[f"{key}_process_ms"] = wall
            out[f"{key}_process_cpu_ms"] = cpu
    return out


VARIED_FIELDS = ("lines", "repeated_line_share", "translate_ms", "parse_ms", "validate_ms",
                 "generate_ms", "cpython_compile_ms", "ratio_vs_compile", "translate_cpu_ms",
                 "cpython_compile_cpu_ms", "ratio_vs_compile_cpu")


def translation_times(text: str, runs: int) -> dict[str, object]:
    """Medians of ``runs`` translations of ``text``, stage by stage, and of ``compile()``."""
    line_count = text.count("\n")
    parse_s, validate_s, generate_s, total_s, compile_s = [], [], [], [], []
    total_cpu, compile_cpu = [], []
    code = ""
    for _ in range(runs):
        with without_cyclic_gc():
            cpu_start = time.process_time()
            start = time.perf_counter()
            parsed = parse_stage(text)
            after_parse = time.perf_counter()
            validated = validate_stage(parsed)
            after_validate = time.perf_counter()
            if validated.has_errors:
                return {"error": [d.format() for d in validated.diagnostics[:5]]}
            code = generate_stage(validated).code
            end = time.perf_counter()
            total_cpu.append(time.process_time() - cpu_start)
        del parsed, validated
        parse_s.append(after_parse - start)
        validate_s.append(after_validate - after_parse)
        generate_s.append(end - after_validate)
        total_s.append(end - start)
        with without_cyclic_gc():
            cpu_start = time.process_time()
            begin = time.perf_counter()
            compile(code, "<generated>", "exec")
            compile_s.append(time.perf_counter() - begin)
            compile_cpu.append(time.process_time() - cpu_start)
    translate_ms = median_ms(total_s)
    compile_ms = median_ms(compile_s)
    report = {
        "lines": line_count,
        "python_lines": code.count("\n"),
        "runs": runs,
        "repeated_line_share": repeated_line_share(text),
        "translate_ms": translate_ms,
        "lines_per_s": round(line_count / (translate_ms / 1000)),
        "parse_ms": median_ms(parse_s),
        "validate_ms": median_ms(validate_s),
        "generate_ms": median_ms(generate_s),
        "cpython_compile_ms": compile_ms,
        "ratio_vs_compile": round(translate_ms / compile_ms, 2),
        "translate_cpu_ms": median_ms(total_cpu),
        "cpython_compile_cpu_ms": median_ms(compile_cpu),
        "ratio_vs_compile_cpu": round(median_ms(total_cpu) / median_ms(compile_cpu), 2),
    }
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--process-runs", type=int, default=7,
                        help="runs of each whole process (0: skip them)")
    args = parser.parse_args()
    text = make_program(args.lines)
    report = translation_times(text, args.runs)
    if "error" in report:
        print(json.dumps(report))
        return 1
    varied = translation_times(make_program(args.lines, varied=True), args.runs)
    report["varied_program"] = {key: varied[key] for key in VARIED_FIELDS if key in varied}
    if args.process_runs:
        report.update(process_times(args.process_runs, text))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
