"""How many instructions does one engine stage take? Counts with callgrind, prints JSON.

Wall and CPU times move with the load of a shared machine; instruction counts do
not (to about 0.2%). This runs a small script twice under ``valgrind
--tool=callgrind``: once setting up (the program translated once, so every module
is imported and every cache warm) and stopping, once doing the same and then the
stage one more time. The difference is the stage. The program is
``make_program(10000)`` of examples/engine_benchmark.py (``--varied``: its varied
form), read from ``--program-from`` when given, so a checkout from before the
varied form existed can be measured with the program of this one.

    python examples/stage_instructions.py STAGE [--checkout ROOT] [--varied]
        [--program-from examples/engine_benchmark.py]

STAGE: lex, parse (lexing included), validate, tree (Generator.program), emit,
generate, translate (all three stages) or compile (CPython's ``compile()`` of the
generated Python, for scale). About a minute a stage.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("lex", "parse", "validate", "tree", "emit", "generate", "translate", "compile")

# Run by the interpreter under callgrind: argv = checkout, stage, times, benchmark file, varied.
_SCRIPT = r'''
import gc, importlib.util, sys
sys.path.insert(0, sys.argv[1])
stage, times, bench_file, varied = sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5] == "1"
spec = importlib.util.spec_from_file_location("bench_program", bench_file)
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)
text = bench.make_program(10000, varied=True) if varied else bench.make_program(10000)
import engine
assert engine.__file__.startswith(sys.argv[1]), engine.__file__  # the measured checkout
from engine.codegen.emit import emit
from engine.codegen.generator import Generator
from engine.codegen.names import assign_python_names
from engine.language.lexer import tokenize
from engine.pipeline import generate_stage, parse_stage, validate_stage
gc.disable()
parsed = parse_stage(text)
validated = validate_stage(parsed)
code = generate_stage(validated).code
assign_python_names(validated.program.symbols or [])
if stage == "validate":
    parsed = parse_stage(text)  # a fresh tree: validating annotates it
if stage == "emit":
    generator = Generator()
    body = generator.program(validated.program)
for _ in range(times):
    if stage == "lex":
        tokenize(text)
    elif stage == "parse":
        parse_stage(text)
    elif stage == "validate":
        validate_stage(parsed)
    elif stage == "tree":
        Generator().program(validated.program)
    elif stage == "emit":
        emit(generator, body)
    elif stage == "generate":
        generate_stage(validated)
    elif stage == "translate":
        generate_stage(validate_stage(parse_stage(text)))
    elif stage == "compile":
        compile(code, "<generated>", "exec")
'''


def instructions(checkout: Path, stage: str, times: int, bench_file: Path, varied: bool) -> int:
    """Instructions callgrind counts for the whole script, doing ``stage`` ``times`` times."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "stage.py"
        script.write_text(_SCRIPT, encoding="utf-8")
        # A copy, so that the benchmark's own sys.path entry (its parent's parent) is this
        # empty folder, not the checkout it came from: the engine is the measured one.
        (Path(folder) / "examples").mkdir()
        bench_copy = Path(folder) / "examples" / "engine_benchmark.py"
        bench_copy.write_text(bench_file.read_text(encoding="utf-8"), encoding="utf-8")
        out = Path(folder) / "callgrind.out"
        env = dict(os.environ, PYTHONPATH=str(checkout), PYTHONHASHSEED="0")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                        sys.executable, str(script), str(checkout), stage, str(times),
                        str(bench_copy), "1" if varied else "0"],
                       env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for line in out.read_text(encoding="utf-8").splitlines():
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise RuntimeError("callgrind wrote no totals")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stage", choices=STAGES)
    parser.add_argument("--checkout", type=Path, default=ROOT,
                        help="the checkout whose engine is measured (default: this one)")
    parser.add_argument("--varied", action="store_true",
                        help="the varied program (28%% repeated lines instead of 82%%)")
    parser.add_argument("--program-from", type=Path,
                        default=ROOT / "examples" / "engine_benchmark.py",
                        help="the file whose make_program() makes the program")
    args = parser.parse_args()
    checkout, bench_file = args.checkout.resolve(), args.program_from.resolve()
    base = instructions(checkout, args.stage, 0, bench_file, args.varied)
    once = instructions(checkout, args.stage, 1, bench_file, args.varied)
    print(json.dumps({"stage": args.stage, "checkout": str(checkout),
                      "program": "varied" if args.varied else "make_program(10000)",
                      "M_instructions": round((once - base) / 1e6, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
