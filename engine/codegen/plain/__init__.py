"""The plain output style: idiomatic Python a teacher would write (see generator.py).

``generate_plain(program)`` takes the validated tree (its symbols already named by
``assign_python_names``, so both styles use the same names) and returns the program
text, laid out as ``ruff format`` would (layout.py), and the Python line ->
pseudocode line map the editor uses to link the two panes.
"""

from __future__ import annotations

import ast
import re

from engine.codegen import helpers as checked_helpers
from engine.codegen.base import MARKER_PREFIX
from engine.codegen.emit import (
    GeneratedProgram,
    _comment,
    _give_statements_a_lineno,
    attach_trailing_comment,
)
from engine.codegen.plain import idioms, runtime
from engine.codegen.plain.generator import PlainGenerator
from engine.codegen.plain.layout import unparse_module
from engine.language import nodes as n

_MARKER_LINE = re.compile(r"^(\s*)" + re.escape(MARKER_PREFIX) + r"(\d+)__$")


def generate_plain(program: n.Program) -> GeneratedProgram:
    taken = {name for s in program.symbols or [] for name in (
        s.python_name, getattr(s, "own_python_name", "")) if name}
    generator = PlainGenerator(taken)
    body = generator.program(program)
    definitions = _definitions(generator)
    module = ast.Module(body=definitions + body, type_ignores=[])
    idioms.rewrite(module)
    _give_statements_a_lineno(module)
    starts: dict[int, int] = {}
    raw = unparse_module(module, starts)
    lines, origins = _comments(raw, generator)
    lines, origins = _tidy(lines, origins)
    header = _header(generator)
    if header:
        first_is_definition = bool(lines) and _starts_definition(lines, 0)
        header += ["", ""] if first_is_definition else [""]
    line_map: dict[int, int] = {}
    pseudo_of_raw = {raw_line: generator.lines[node_id] for node_id, raw_line in
                     starts.items() if node_id in generator.lines}
    for index, origin in enumerate(origins):
        if origin is not None and origin in pseudo_of_raw:
            line_map.setdefault(len(header) + index + 1, pseudo_of_raw[origin])
    text = "\n".join(header + lines) + "\n"
    return GeneratedProgram(text, line_map, sorted(generator.functions))


def _definitions(generator: PlainGenerator) -> list[ast.stmt]:
    """The functions of plain/runtime.py the program uses, and any checked helper a
    construct without a plain form needs (random-access files)."""
    out: list[ast.stmt] = []
    for name in sorted(generator.functions, key=_runtime_order):
        out.append(runtime.definition(name, generator.functions[name]))
    if generator.helpers:
        for name in checked_helpers.closure(set(generator.helpers)):
            out.extend(ast.parse(checked_helpers.source_of(name)).body)
    return out


def _runtime_order(name: str) -> int:
    return list(runtime._definitions()).index(name)


def _imports(generator: PlainGenerator) -> list[str]:
    imports = set(generator.imports)
    for module, alias in generator.modules.items():
        imports.add(f"import {module}" if module == alias else f"import {module} as {alias}")
    for name in generator.functions:
        imports.update(runtime.IMPORTS.get(name, ()))
    if generator.helpers:
        used = checked_helpers.closure(set(generator.helpers))
        imports.update(checked_helpers.imports_of(used))
    if generator.recursive or generator.grows_integers:
        imports.add("import sys")
    plain = sorted((i for i in imports if i.startswith("import ")),  # as isort (ruff I001)
                   key=lambda line: line.split()[1].lower())
    modules: dict[str, set[str]] = {}
    for line in sorted(i for i in imports if i.startswith("from ")):
        module, _, names = line[len("from "):].partition(" import ")
        modules.setdefault(module, set()).update(x.strip() for x in names.split(","))
    froms = [f"from {m} import {', '.join(sorted(modules[m], key=_name_order))}"
             for m in sorted(modules)]
    return plain + froms


def _name_order(name: str) -> tuple[bool, str]:
    return (not name.isupper(), name.lower())


def _header(generator: PlainGenerator) -> list[str]:
    """The docstring (the program's opening comments), imports and settings."""
    lines: list[str] = []
    if generator.docstring:
        text = "\n".join(generator.docstring)
        lines += f'"""{text}"""'.split("\n")
    if generator.needs_future:
        lines += ["", "from __future__ import annotations"]
    imports = _imports(generator)
    if imports:
        lines += [""] + imports
    settings = []
    if generator.recursive:
        settings.append("sys.setrecursionlimit(10_000)  # deep recursion, as pseudocode allows")
    if generator.grows_integers:  # Python 3.11+ cannot print INTEGERs over 4300 digits
        settings += ['if hasattr(sys, "set_int_max_str_digits"):',
                     "    sys.set_int_max_str_digits(0)  # print INTEGERs of any size"]
    if settings:
        lines += [""] + settings
    if lines and not lines[0]:
        lines.pop(0)
    return lines


def _comments(raw: list[str], generator: PlainGenerator
              ) -> tuple[list[str], list[int | None]]:
    """Marker lines -> comments and blank lines; each line keeps the raw line it came
    from (None for comments and blanks)."""
    out: list[str] = []
    origins: list[int | None] = []
    for number, line in enumerate(raw, start=1):
        match = _MARKER_LINE.match(line)
        if match is None:
            out.append(line)
            origins.append(number)
            continue
        kind, content = generator.markers[int(match.group(2))]
        if kind == "trailing":
            attach_trailing_comment(out, content)
            continue
        comment = _comment(content) if kind == "comment" else ""
        out.append(match.group(1) + comment if comment else "")
        origins.append(None)
    return out, origins


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_definition(line: str) -> bool:
    return line.lstrip().startswith(("def ", "class ", "@"))


def _starts_definition(lines: list[str], index: int) -> bool:
    """A definition line, or the first of the comment lines right above one."""
    indent = _indent(lines[index])
    while index < len(lines) and lines[index].lstrip().startswith("#") and \
            _indent(lines[index]) == indent:
        index += 1
    return index < len(lines) and _is_definition(lines[index]) and \
        _indent(lines[index]) == indent


def _tidy(lines: list[str], origins: list[int | None]
          ) -> tuple[list[str], list[int | None]]:
    """Blank lines as ruff format wants them (see layout.py)."""
    out: list[str] = []
    kept: list[int | None] = []
    open_definitions: list[int] = []  # indents of the def/class bodies we are in
    previous: str | None = None
    pending = 0
    for index, line in enumerate(lines):
        if not line.strip():
            pending += 1
            continue
        indent = _indent(line)
        blanks = min(pending, 1)
        pending = 0
        if previous is None:
            blanks = 0
        elif indent > _indent(previous):
            blanks = 0  # the first line of a block (or a statement's continuation)
        else:
            ended = False
            while open_definitions and open_definitions[-1] >= indent:
                open_definitions.pop()
                ended = True
            attached = previous.lstrip().startswith(("@", "#")) and not blanks and \
                _indent(previous) == indent and _is_definition(line)
            if _starts_definition(lines, index) and not attached or ended:
                blanks = 2 if indent == 0 else 1
        if _is_definition(line) and not line.lstrip().startswith("@"):
            open_definitions.append(indent)
        out.extend([""] * blanks)
        kept.extend([None] * blanks)
        out.append(line)
        kept.append(origins[index])
        previous = line
    return out, kept
