"""Does a lexer or parser change keep every result? Compares two checkouts, input by input.

A speed change to the lexer or the parser must give the same tokens, the same
diagnostics (code, line, column, end, message, hint) and the same tree on every
program. This reads the inputs from this checkout and runs them through the engine
of each checkout (one child process each), then prints JSON: how many inputs, and
the names of those that differ (none, for a change that only makes things faster).

Inputs: every program of tests/engine/corpus, resources/examples and the
conformance corpus, whole and at every moment of typing it (the cuts of
tests/engine/test_language_typing.py) plus seeded mutations of each (a character,
a line or a stretch removed, a line doubled, a keyword or operator put in); each
diagnostic's example and mutations of it; the pseudocode blocks of
docs/language.md; every string constant of the test suite; random texts made of
the pieces the lexer tells apart; the 9,000-line and 10,000-line benchmark programs.
For each: the tokens, comments, blank lines and lexical diagnostics, the parser's
diagnostics and the repr of its tree; for whole programs also the validator's
diagnostics.

    python examples/parser_parity.py --against /path/to/other/checkout
    python examples/parser_parity.py --show KEY [--engine ROOT]   # one input's results
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

_PIECES = ["END", "end", "EnD", " ", "\t", "IF", "if", "WHILE", "Forx", "CLASS", "TYPE_", "x",
           "E", "1", "12", "123", "0", "\u0663", ".", "..", "/", "//", "=", "==", "!", "!=", "&",
           "&&", "|", "||", "<", "-", ">", "<-", "\u2190", '"', "'", "\u201c", "\u201d",
           "\u2018", "\u2019", "\n", "\r", "\r\n", "\u2264", "\u00d7", "_", "%", "a1", "2020",
           "31/12/2020", "1/2/", "12.5", "1.", ".5", "(", ")", "[", "]", ",", ":", "@", "^",
           "\u00a0", "\x0b", "\u00e9", "DATE", "ENDIF", "NEXT", "@x", ";", "OUTPUT", "next"]
_WORDS = ["IF", "THEN", "ENDIF", "FOR", "NEXT", "DECLARE", "(", ")", "[", "]", "<-", ":", ",",
          "ENDWHILE", "ELSE", "CASE", "OF", "ENDPROCEDURE", "FUNCTION", "RETURNS", "^", "@", "'",
          '"', "//", "\u2190", "next", "print", "1.", ".5", "==", "&&", "ENDCLASS", "TYPE",
          "PRIVATE", "NEW", "SUPER", "OTHERWISE", "-", "NOT", "+", "*", "AND", "OR", "MOD"]


def typing_cuts(text: str) -> list[str]:
    """The texts a user has while typing ``text`` (as tests/engine/test_language_typing.py)."""
    cuts: list[str] = []
    done = ""
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        indent = body[:len(body) - len(body.lstrip())]
        for position in sorted({len(body) // 3, len(body) // 2, len(body) - 1}):
            if 0 < position < len(body):
                cuts.append(done + body[:position])
        cuts.append(done + body + " ")
        done += line
        cuts += [done, done + indent, done + indent + "\t"]
    return cuts


def mutations(text: str, seed: str, count: int) -> list[str]:
    """``count`` slips of ``text``, the same ones for the same seed."""
    rnd = random.Random(seed)
    out: list[str] = []
    for _ in range(count if text else 0):
        choice, pos = rnd.randrange(5), rnd.randrange(len(text))
        lines = text.split("\n")
        if choice == 0:
            out.append(text[:pos] + text[pos + 1:])
        elif choice == 1:
            out.append(text[:pos] + " " + rnd.choice(_WORDS) + " " + text[pos:])
        elif choice == 2:
            del lines[rnd.randrange(len(lines))]
            out.append("\n".join(lines))
        elif choice == 3:
            lines.insert(rnd.randrange(len(lines)), lines[rnd.randrange(len(lines))])
            out.append("\n".join(lines))
        else:
            out.append(text[:pos] + text[min(len(text), pos + rnd.randrange(1, 40)):])
    return out


def inputs() -> Iterator[tuple[str, str, bool]]:
    """(name, text, whole program?) for every input, always in the same order."""
    programs: list[tuple[str, str]] = []
    for folder in (ROOT / "tests/engine/corpus", ROOT / "resources/examples",
                   SHARED / "conformance"):
        for path in sorted(folder.glob("*.pseudo")):
            programs.append((f"{folder.name}/{path.name}", path.read_text(encoding="utf-8")))
    for name, text in programs:
        yield name, text, True
    for name, text in programs:
        for index, cut in enumerate(typing_cuts(text)):
            yield f"{name}#cut{index}", cut, False
        for index, mutant in enumerate(mutations(text, name, 40)):
            yield f"{name}#slip{index}", mutant, False
    from engine.language.diagnostics import CODES

    for code, info in sorted(CODES.items()):
        if info.example:
            yield f"diagnostic/{code}", info.example, True
            for index, mutant in enumerate(mutations(info.example, code, 10)):
                yield f"diagnostic/{code}#slip{index}", mutant, False
    docs = (ROOT / "docs/language.md").read_text(encoding="utf-8")
    for index, block in enumerate(re.findall(r"```pseudo\w*\n(.*?)```", docs, re.S)):
        yield f"docs/language.md#{index}", block, True
    for path in sorted((ROOT / "tests").rglob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        seen: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    3 < len(node.value) < 20_000 and node.value not in seen:
                seen.add(node.value)
                yield f"{path.relative_to(ROOT)}#{len(seen)}", node.value, False
    rnd = random.Random(14)
    for index in range(20_000):
        text = "".join(rnd.choice(_PIECES) for _ in range(rnd.randrange(1, 14)))
        yield f"random#{index}", text, False
    big = SHARED / "perf" / "big9k.pseudo"
    if big.exists():
        yield "big9k", big.read_text(encoding="utf-8"), True
    sys.path.insert(0, str(ROOT / "examples"))
    import engine_benchmark

    yield "benchmark10k", engine_benchmark.make_program(10_000), True


def results(text: str, whole: bool) -> list[str]:
    """What the engine in use makes of ``text``, as comparable text."""
    from engine.language.lexer import tokenize
    from engine.language.parser import parse
    from engine.pipeline import parse_stage, validate_stage

    lexed = tokenize(text)
    program, problems = parse(text)
    parts = [repr(lexed.tokens), repr([(c.text, c.line, c.column, c.own_line)
                                       for c in lexed.comments]),
             repr(sorted(lexed.blank_lines)), repr(lexed.diagnostics), repr(problems),
             repr(program)]
    if whole:
        parts.append(repr(validate_stage(parse_stage(text)).diagnostics))
    return parts


def _digests(out: Path) -> None:
    rows = {}
    for name, text, whole in inputs():
        rows[name] = hashlib.sha1("\x00".join(results(text, whole)).encode()).hexdigest()
    out.write_text(json.dumps(rows), encoding="utf-8")


def _run_with(engine: Path, out: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(engine))
    subprocess.run([sys.executable, __file__, "--engine", str(engine), "--digests", str(out)],
                   env=env, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="the other checkout to compare with")
    parser.add_argument("--engine", type=Path, default=ROOT, help="checkout whose engine runs")
    parser.add_argument("--show", help="print the results of one input")
    parser.add_argument("--digests", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(args.engine.resolve()))
    sys.setrecursionlimit(10_000)
    if args.digests:
        _digests(args.digests)
        return 0
    if args.show:
        for name, text, whole in inputs():
            if name == args.show:
                print("\n".join(results(text, whole)))
                return 0
        print(f"no input named {args.show!r}", file=sys.stderr)
        return 2
    if args.against is None:
        parser.error("give --against OTHER_CHECKOUT (or --show KEY)")
    with tempfile.TemporaryDirectory() as folder:
        mine = _run_with(ROOT, Path(folder) / "mine.json")
        theirs = _run_with(args.against.resolve(), Path(folder) / "theirs.json")
    differ = sorted(name for name in mine if mine[name] != theirs.get(name))
    print(json.dumps({"inputs": len(mine), "differ": len(differ), "first": differ[:20]},
                     indent=2))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
