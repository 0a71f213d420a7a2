"""emit.py lays out the printed lines in one pass; these tests prove it the same as the
two passes it replaced (kept here as the reference): the unparsed text split into lines,
marker lines found by a regex and turned into comments, then ``_tidy`` over all lines
for PEP 8 blank lines, then the line map through old -> new line tables. Compared on the
corpora and on random trees of definitions, blocks and comment markers.
"""

from __future__ import annotations

import ast
import random
import re
from pathlib import Path

import pytest

from engine.codegen import emit, printer
from engine.codegen.base import MARKER_PREFIX
from engine.codegen.generator import Generator
from engine.codegen.names import assign_python_names
from engine.pipeline import parse_stage, validate_stage

ROOT = Path(__file__).resolve().parents[2]
_MARKER_LINE = re.compile(r"^(\s*)" + re.escape(MARKER_PREFIX) + r"(\d+)__$")


# ---------------------------------------------------------------- the reference
def _reference_emit(generator: Generator, body: list[ast.stmt]) -> emit.GeneratedProgram:
    """emit.emit as it was before the one-pass layout (with ast.unparse's own text)."""
    generator.may_fail = generator.may_fail or generator.runs_long
    text, starts = emit.stdlib_unparse_with_lines(ast.Module(body=body, type_ignores=[]))
    raw_to_pseudo: dict[int, int] = {}
    for node_id, raw_line in starts.items():
        line = generator.lines.get(node_id)
        if line is not None and raw_line not in raw_to_pseudo:
            raw_to_pseudo[raw_line] = line
    out: list[str] = []
    raw_to_final: dict[int, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        match = _MARKER_LINE.match(line)
        if match is None:
            if line.strip() or (out and out[-1].strip()):
                out.append(line)
            raw_to_final[number] = len(out)
            continue
        kind, content = generator.markers[int(match.group(2))]
        if kind == "trailing":
            emit.attach_trailing_comment(out, content)
            continue
        if kind == "comment":
            comment = emit._comment(content)
            if comment:
                out.append(match.group(1) + comment)
            elif out and out[-1].strip():
                out.append("")
        elif out and out[-1].strip():
            out.append("")
    program_lines, final_index = _reference_tidy(out)
    header = "\n".join(emit._header(generator, "")).split("\n")
    offset = len(header) + (4 if generator.may_fail else 0)
    line_map: dict[int, int] = {}
    for raw, pseudo in raw_to_pseudo.items():
        final = raw_to_final.get(raw)
        if final is not None:
            line_map[final_index.get(final, final) + offset] = pseudo
    lines = list(header)
    if generator.may_fail:
        pairs = ", ".join(f"{key}: {line_map[key]}" for key in sorted(line_map))
        lines.append("_PSEUDO_LINES = {" + pairs + "}  # Python line: pseudocode line")
        lines.append("sys.excepthook = _report_runtime_error")
        lines += ["", ""]
    lines.extend(program_lines)
    return emit.GeneratedProgram("\n".join(lines) + "\n", line_map, sorted(generator.helpers))


def _reference_tidy(lines: list[str]) -> tuple[list[str], dict[int, int]]:
    out: list[str] = []
    in_definition = False
    for line in lines:
        if not line.strip():
            if out and out[-1].strip() and not out[-1].rstrip().endswith(":"):
                out.append("")
            continue
        top_level = not line[0].isspace()
        after_decorator = bool(out) and out[-1].startswith("@")
        definition = line.startswith(("def ", "class ", "@"))
        if top_level and not after_decorator and (definition or in_definition):
            attached = 0
            while attached < len(out) and out[-1 - attached].startswith("#"):
                attached += 1
            moved = out[len(out) - attached:]
            del out[len(out) - attached:]
            while out and not out[-1].strip():
                out.pop()
            if out:
                out.extend(["", ""])
            out.extend(moved)
            in_definition = definition
        elif top_level and not after_decorator:
            in_definition = False
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    old = [number for number, line in enumerate(lines, start=1) if line.strip()]
    new = [number for number, line in enumerate(out, start=1) if line]
    return out, dict(zip(old, new, strict=True))


# ---------------------------------------------------------------- the corpora
def _programs() -> list[tuple[str, str]]:
    folders = [ROOT / "resources" / "examples", ROOT / "tests" / "engine" / "corpus",
               ROOT.parent / "shared" / "conformance"]
    return [(f"{path.parent.name}/{path.stem}", path.read_text(encoding="utf-8"))
            for folder in folders if folder.is_dir() for path in sorted(folder.rglob("*.pseudo"))]


PROGRAMS = _programs()


@pytest.mark.parametrize("text", [p[1] for p in PROGRAMS], ids=[p[0] for p in PROGRAMS])
def test_emit_lays_out_the_corpus_as_before(text: str) -> None:
    validated = validate_stage(parse_stage(text))
    if validated.has_errors:
        return
    assign_python_names(validated.program.symbols or [])
    programs = []
    for _ in range(2):  # a generator and its tree serve one emit
        generator = Generator()
        body = generator.program(validated.program)
        programs.append((generator, body))
    assert emit.emit(*programs[0]) == _reference_emit(*programs[1])


# ---------------------------------------------------------------- random trees
def _refuse(self: printer.Printer, module: ast.Module) -> None:
    raise printer.Unsupported("as if unknown")


_TEXTS = ["", " ", "  note", " ends with a colon:", "x\ny", " # hash", "@at", "def f", ":"]


def _random_body(rng: random.Random, generator: Generator, depth: int, top: bool
                 ) -> list[ast.stmt]:
    body: list[ast.stmt] = []
    for _ in range(rng.randint(0 if depth else 1, 6)):
        roll = rng.random()
        generator.line = rng.randint(1, 50)
        if roll < 0.35:
            kind = rng.choice(["blank", "comment", "comment", "trailing", "other"])
            body.append(generator.marker(kind, rng.choice(_TEXTS)))
            continue
        if roll < 0.55 or depth > 2:
            node: ast.stmt = ast.Assign([ast.Name("x", ast.Store())], ast.Constant(1))
        elif roll < 0.7:
            node = ast.If(ast.Name("c"), _random_body(rng, generator, depth + 1, False),
                          _random_body(rng, generator, depth + 1, False)
                          if rng.random() < 0.5 else [])
        elif roll < 0.85:
            node = ast.FunctionDef(
                "f", ast.arguments([], [], None, [], [], None, []),
                _random_body(rng, generator, depth + 1, False) or [ast.Pass()],
                [ast.Name("d")] if rng.random() < 0.3 else [], None)
        else:
            node = ast.ClassDef("C", [], [], _random_body(rng, generator, depth + 1, False)
                                or [ast.Pass()], [ast.Name("dataclass")] if top else [])
        generator.lines[id(node)] = generator.line
        body.append(node)
    return body


@pytest.mark.parametrize("seed", range(300))
@pytest.mark.parametrize("printed_by", ["printer", "stdlib"])
def test_emit_lays_out_random_trees_as_before(seed: int, printed_by: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    if printed_by == "stdlib":  # as for a tree the printer does not know
        monkeypatch.setattr(printer.Printer, "run", _refuse)
    programs = []
    for _ in range(2):
        rng = random.Random(seed)
        generator = Generator()
        generator.may_fail = rng.random() < 0.5
        programs.append((generator, _random_body(rng, generator, 0, True)))
    assert emit.emit(*programs[0]) == _reference_emit(*programs[1])


def test_a_trailing_comment_after_a_blank_line_decides_that_blank_line() -> None:
    # The blank marker comes first, then the header's trailing comment: the header then
    # ends in the comment, not ":", so the blank line stays (as the two passes had it).
    programs = []
    for _ in range(2):
        generator = Generator()
        body = [ast.If(ast.Name("c"), [generator.marker("blank"),
                                       generator.marker("trailing", " note"),
                                       ast.Assign([ast.Name("x", ast.Store())], ast.Constant(1))],
                       [])]
        programs.append((generator, body))
    program = emit.emit(*programs[0])
    assert program == _reference_emit(*programs[1])
    assert program.code.endswith("if c:  # note\n\n    x = 1\n")
