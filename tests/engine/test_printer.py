"""engine/codegen/printer.py prints exactly what ast.unparse prints, over every corpus.

The printer replaces ``ast.unparse`` for speed; these tests are its proof: for every
program of the repository's corpora (the conformance corpus, the examples, the
documentation's examples, the benchmarks' generated programs) the text and the line of
every statement are those of the standard library's unparser.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from engine.codegen import emit, printer
from engine.codegen.generator import Generator
from engine.codegen.names import assign_python_names
from engine.pipeline import parse_stage, validate_stage

ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = ROOT.parent / "shared" / "conformance"
FENCE = re.compile(r"^```pseudocode[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


def _corpus() -> list[tuple[str, str]]:
    programs: list[tuple[str, str]] = []
    folders = [ROOT / "resources" / "examples", ROOT / "examples" / "speed"]
    if CONFORMANCE.is_dir():
        folders.append(CONFORMANCE)
    for folder in folders:
        for path in sorted(folder.glob("*.pseudo")):
            programs.append((f"{folder.name}/{path.stem}", path.read_text(encoding="utf-8")))
    for page in sorted((ROOT / "docs").glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            programs.append((f"{page.stem}.md:{line}", match.group(1)))
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        from engine_benchmark import make_program
        from process_pool_benchmark import generate_documents
    finally:
        sys.path.remove(str(ROOT / "examples"))
    programs.append(("engine_benchmark", make_program(600)))
    for size in ("small", "medium", "large"):
        for number, text in enumerate(generate_documents(8, 7, size)):
            programs.append((f"pool_benchmark/{size}{number}", text))
    return programs


def _module(text: str) -> ast.Module | None:
    validated = validate_stage(parse_stage(text))
    if validated.has_errors:
        return None
    assign_python_names(validated.program.symbols or [])
    module = ast.Module(body=Generator().program(validated.program), type_ignores=[])
    emit._give_statements_a_lineno(module)
    return module


CORPUS = _corpus()


@pytest.mark.parametrize("text", [p[1] for p in CORPUS], ids=[p[0] for p in CORPUS])
def test_the_printer_prints_what_ast_unparse_prints(text: str) -> None:
    module = _module(text)
    if module is None:
        return  # a program with errors: nothing is printed
    try:
        fast, fast_starts = printer.unparse_with_lines(module)
    except printer.Unsupported:
        return  # printed by ast.unparse itself
    assert fast == ast.unparse(module)
    slow, slow_starts = emit.stdlib_unparse_with_lines(module)
    assert (fast, fast_starts) == (slow, slow_starts)


def test_most_of_the_corpus_goes_through_the_printer() -> None:
    modules = [m for m in (_module(text) for _, text in CORPUS) if m is not None]
    printed = 0
    for module in modules:
        try:
            printer.unparse_with_lines(module)
            printed += 1
        except printer.Unsupported:
            pass
    assert printed >= 0.9 * len(modules) and printed > 50


def _parsed(source: str) -> ast.Module:
    module = ast.parse(source)
    emit._give_statements_a_lineno(module)
    return module


@pytest.mark.parametrize("source", [
    "x = (a + b) * c - d ** -e ** f",
    "y = -(a ** b) + (-a) ** b + (not a) == b",
    "z = a if b else (c if d else e)\nw = (a if b else c) if d else e",
    "t = (1,)\nu = ()\nv = a, b\nf((a, b), c=d)\nq[1:2], q[::2], q[a, b], q[(a, b),]",
    "r = a and b or c and (d or e)\ns = (a := 3) + 1\nl = lambda: 0\nm = lambda x, y: x",
    "n = {1: 'a', 'b': [1, 2.5, -3, 1e309]}\no = 1 .real + x.y.z\np = 'it''s' + \"q\\n\"",
    "class A(B, metaclass=M):\n    x: int = 0\n\n@dataclass\nclass C:\n    pass",
    "def f(a: int, b) -> None:\n    global g, h\n    if a:\n        return\n    elif b:\n"
    "        pass\n    else:\n        return a\n    for i in range(3):\n        break\n"
    "    while True:\n        continue",
    "(self.x): int = 3\na < b <= c is not d not in e",
])
def test_the_printer_agrees_on_tricky_shapes(source: str) -> None:
    module = _parsed(source)
    assert printer.unparse_with_lines(module)[0] == ast.unparse(module)


def test_a_node_it_does_not_know_is_left_to_ast_unparse() -> None:
    module = _parsed("try:\n    pass\nexcept E:\n    pass")
    with pytest.raises(printer.Unsupported):
        printer.unparse_with_lines(module)
    program = emit.emit(Generator(), module.body)
    assert program.code.endswith("\n\n" + ast.unparse(module) + "\n")


def test_a_shared_operator_is_left_to_ast_unparse() -> None:
    # ast.unparse keeps precedence per node: the sum, used first as an operand of *, keeps
    # that operand's precedence as the call's argument too and is printed in brackets
    # there. The printer passes precedence down, so it must not print such a tree.
    total = ast.BinOp(ast.Name("a"), ast.Add(), ast.Name("b"))
    module = ast.Module(body=[
        ast.Expr(ast.BinOp(total, ast.Mult(), ast.Name("c"))),
        ast.Expr(ast.Call(ast.Name("f"), [total], [])),
    ], type_ignores=[])
    emit._give_statements_a_lineno(module)
    assert ast.unparse(module) == "(a + b) * c\nf((a + b))"
    with pytest.raises(printer.Unsupported):
        printer.unparse_with_lines(module)
    assert emit.emit(Generator(), module.body).code.endswith("\n(a + b) * c\nf((a + b))\n")
