"""How fast is the engine? Translates a generated 10,000-line program and prints JSON.

Reports the medians of several runs of each stage, and CPython's own
``compile()`` of the generated Python for scale (``ratio_vs_compile`` =
translate_ms / cpython_compile_ms).

    python examples/engine_benchmark.py [--lines 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.pipeline import generate_stage, parse_stage, validate_stage  # noqa: E402


def make_program(lines: int) -> str:
    """A realistic program: declarations, procedures, functions, loops, arrays, records."""
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
        out += [
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
    return "\n".join(out) + "\n"  # whole blocks: a few lines more than asked


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    text = make_program(args.lines)
    line_count = text.count("\n")
    parse_s, validate_s, generate_s, total_s, compile_s = [], [], [], [], []
    code = ""
    for _ in range(args.runs):
        start = time.perf_counter()
        parsed = parse_stage(text)
        after_parse = time.perf_counter()
        validated = validate_stage(parsed)
        after_validate = time.perf_counter()
        if validated.has_errors:
            print(json.dumps({"error": [d.format() for d in validated.diagnostics[:5]]}))
            return 1
        code = generate_stage(validated).code
        end = time.perf_counter()
        parse_s.append(after_parse - start)
        validate_s.append(after_validate - after_parse)
        generate_s.append(end - after_validate)
        total_s.append(end - start)
        begin = time.perf_counter()
        compile(code, "<generated>", "exec")
        compile_s.append(time.perf_counter() - begin)
    translate_ms = median_ms(total_s)
    compile_ms = median_ms(compile_s)
    print(json.dumps({
        "lines": line_count,
        "python_lines": code.count("\n"),
        "runs": args.runs,
        "translate_ms": translate_ms,
        "lines_per_s": round(line_count / (translate_ms / 1000)),
        "parse_ms": median_ms(parse_s),
        "validate_ms": median_ms(validate_s),
        "generate_ms": median_ms(generate_s),
        "cpython_compile_ms": compile_ms,
        "ratio_vs_compile": round(translate_ms / compile_ms, 2),
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
