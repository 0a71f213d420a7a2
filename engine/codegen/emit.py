"""Turns the generated ``ast`` statements into the final program text.

Control flow:
1. print the program statements (markers included) as ``ast.unparse`` would, as a
   list of lines, noting the line of every statement (``printer``; the standard
   library's unparser for a tree the printer does not know);
2. in one pass over those lines (``_layout``), replace marker lines with comments,
   blank lines or trailing comments, lay out blank lines as PEP 8 has them, and note
   where each line ends up, hence each statement's final line and pseudocode line;
3. put the header, imports and helpers in front, and (when the program can
   fail at run time) the Python-line -> pseudocode-line table that the error
   reporter uses.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from engine.codegen import helpers, printer
from engine.codegen.base import MARKER_PREFIX
from engine.codegen.generator import Generator

_MARKER_LINE = re.compile(r"^(\s*)" + re.escape(MARKER_PREFIX) + r"(\d+)__$")
# Characters that some tools treat as line breaks; never let them into a comment.
_LINE_BREAKS = dict.fromkeys(map(ord, "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x00"), " ")

_IMPORT_ORDER = ["import datetime", "import enum", "import json", "import os", "import random",
                 "import sys"]


@dataclass
class GeneratedProgram:
    code: str
    line_map: dict[int, int] = field(default_factory=dict)  # Python line -> pseudocode line
    helpers: list[str] = field(default_factory=list)


def _statement_lists(node: ast.AST) -> list[list[ast.stmt]]:
    lists = []
    for name in ("body", "orelse", "finalbody"):
        value = getattr(node, name, None)
        if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
            lists.append(value)
    return lists


def stdlib_unparse_with_lines(module: ast.Module) -> tuple[str, dict[int, int]]:
    """``ast.unparse`` text and the output line of every statement (by ``id``), from the
    standard library's unparser itself (for a tree ``printer`` does not print).

    Uses the unparser's ``fill`` hook (each statement starts with one); if that
    private API ever changes, falls back to parsing the text again and pairing
    the two trees' statements.
    """
    _give_statements_a_lineno(module)  # the unparser reads them (the printer does not)
    unparser_class = getattr(ast, "_Unparser", None)
    if unparser_class is not None and all(
            hasattr(unparser_class, name) for name in ("fill", "block", "maybe_newline")):

        class _Tracking(unparser_class):  # type: ignore[misc, valid-type]
            def __init__(self) -> None:
                super().__init__()
                self.newlines = 0
                self.pending: ast.stmt | None = None
                self.starts: dict[int, int] = {}

            def maybe_newline(self) -> None:
                # The unparser starts every line here (string literals are written with
                # escapes); the count is checked against the text below, to be sure.
                if self._source:
                    self.newlines += 1
                super().maybe_newline()

            def fill(self, text: str = "") -> None:
                self.maybe_newline()
                if self.pending is not None:
                    self.starts[id(self.pending)] = self.newlines + 1
                    self.pending = None
                super().write("    " * self._indent + text)

            def traverse(self, node: ast.AST | list[ast.AST]) -> None:
                if isinstance(node, (ast.stmt, ast.match_case)):
                    self.pending = node
                super().traverse(node)

            def visit_If(self, node: ast.If) -> None:
                # As the unparser's own, but an ``elif`` line is noted as its If's start.
                self.fill("if ")
                self.traverse(node.test)
                with self.block():
                    self.traverse(node.body)
                while node.orelse and len(node.orelse) == 1 and isinstance(node.orelse[0],
                                                                            ast.If):
                    node = node.orelse[0]
                    self.pending = node
                    self.fill("elif ")
                    self.traverse(node.test)
                    with self.block():
                        self.traverse(node.body)
                if node.orelse:
                    self.fill("else")
                    with self.block():
                        self.traverse(node.orelse)

        tracker = _Tracking()
        text = tracker.visit(module)
        if text.count("\n") == tracker.newlines:
            return text, tracker.starts
    text = ast.unparse(module)
    pairs: list[tuple[ast.stmt, ast.stmt]] = []
    _pair_statements(module.body, ast.parse(text).body, pairs)
    return text, {id(original): again.lineno for original, again in pairs}


def _give_statements_a_lineno(module: ast.Module) -> None:
    """The unparser reads ``lineno`` of statements (for type comments); expressions
    never need one, so this is much cheaper than ``ast.fix_missing_locations``."""
    stack = [module.body]
    while stack:
        for node in stack.pop():
            if not hasattr(node, "lineno"):
                node.lineno = 0
            stack.extend(_statement_lists(node))


def _pair_statements(original: list[ast.stmt], reparsed: list[ast.stmt],
                     out: list[tuple[ast.stmt, ast.stmt]]) -> None:
    stack = [(original, reparsed)]
    while stack:
        left_list, right_list = stack.pop()
        for left, right in zip(left_list, right_list, strict=False):
            out.append((left, right))
            stack.extend(zip(_statement_lists(left), _statement_lists(right), strict=False))


def _comment(text: str) -> str:
    cleaned = text.translate(_LINE_BREAKS).rstrip()
    if cleaned.startswith(" "):
        cleaned = cleaned[1:]
    return "# " + cleaned if cleaned else ""


def emit(generator: Generator, body: list[ast.stmt], title: str = "") -> GeneratedProgram:
    # A program that can run for a while reports its failures in the user's words even
    # when nothing in it can fail: out of memory, Ctrl-C, a closed output pipe (LANGUAGE.md
    # section 11). Only straight-line code that cannot fail stays without the reporter.
    generator.may_fail = generator.may_fail or generator.runs_long
    module = ast.Module(body=body, type_ignores=[])
    try:
        printed = printer.print_module(module)  # the same text as ast.unparse, faster
    except printer.Unsupported:
        printed = None
    if printed is not None:
        lines, line_map = _assemble(generator, title, printed.lines, printed.starts,
                                    _markers_of_bare_names(printed))
        code = "\n".join(lines) + "\n"
        # Each printed line is one line of text (identifiers hold no line break), which
        # the line numbers rely on; the count is cheap, so check it rather than assume it.
        if code.count("\n") == len(lines):
            return GeneratedProgram(code, line_map, sorted(generator.helpers))
    text, starts = stdlib_unparse_with_lines(module)
    raw = text.split("\n")
    lines, line_map = _assemble(generator, title, raw, starts, _markers_in_text(raw))
    return GeneratedProgram("\n".join(lines) + "\n", line_map, sorted(generator.helpers))


_MARKER_NAME = re.compile(re.escape(MARKER_PREFIX) + r"(\d+)__")


def _markers_of_bare_names(printed: printer.Printed) -> dict[int, tuple[str, int]]:
    """Line -> (indent, marker index) for the marker lines, found among the lines the
    printer noted as a bare name: the lines ``_MARKER_LINE`` matches in the text."""
    found: dict[int, tuple[str, int]] = {}
    lines = printed.lines
    for number, name in printed.bare_names.items():
        match = _MARKER_NAME.fullmatch(name)
        if match is not None:
            found[number] = (lines[number - 1][:-len(name)], int(match.group(1)))
    return found


def _markers_in_text(raw: list[str]) -> dict[int, tuple[str, int]]:
    """``_markers_of_bare_names`` for text printed by the standard library's unparser."""
    found: dict[int, tuple[str, int]] = {}
    for number, line in enumerate(raw, start=1):
        match = _MARKER_LINE.match(line) if MARKER_PREFIX in line else None  # (cheap test first)
        if match is not None:
            found[number] = (match.group(1), int(match.group(2)))
    return found


def _assemble(generator: Generator, title: str, raw: list[str], starts: dict[int, int],
              marker_lines: dict[int, tuple[str, int]]) -> tuple[list[str], dict[int, int]]:
    """The program's lines (header, the line table, the laid-out statements of ``raw``)
    and its Python line -> pseudocode line map."""
    header = "\n".join(_header(generator, title)).split("\n")
    has_map = generator.may_fail
    program_lines, finals = _layout(raw, marker_lines, generator.markers,
                                    len(header) + (4 if has_map else 0))
    # Each statement starts a line of its own, so no two give the same key; a marker's
    # final line is 0 (it became a comment or nothing).
    get = generator.lines.get
    line_map = {finals[raw_line]: pseudo for node_id, raw_line in starts.items()
                if (pseudo := get(node_id)) is not None and finals[raw_line]}
    lines = header
    if has_map:
        # The table is the dict's own repr (written in C) once its keys are in order.
        table = line_map if list(line_map) == sorted(line_map) else dict(sorted(line_map.items()))
        lines.append(f"_PSEUDO_LINES = {table!r}  # Python line: pseudocode line")
        lines.append("sys.excepthook = _report_runtime_error")
        lines += ["", ""]
    lines += program_lines
    return lines, line_map


def attach_trailing_comment(out: list[str], content: str) -> None:
    """End the last non-blank line of ``out`` with the comment (a pseudocode ``// ...``
    written after a statement); both styles place trailing comments this way."""
    comment = _comment(content)
    if not comment:
        return
    for index in range(len(out) - 1, -1, -1):
        if out[index].strip():
            out[index] += "  " + comment
            return


def _layout(raw: list[str], marker_lines: dict[int, tuple[str, int]],
            markers: list[tuple[str, str]], offset: int) -> tuple[list[str], list[int]]:
    """The printed lines with markers made comments, trailing comments or blank lines,
    and blank lines as PEP 8 has them: two around top-level definitions (with the
    comments just above a definition kept attached to it), never two in a row
    elsewhere, none right after a block header or at the end. Also each raw line's
    final line, plus ``offset`` (the lines above the program), or 0 for marker and
    blank lines.

    One pass: a blank line is only noted (``blank``) and decided when the next line
    comes, because a trailing comment may still end the line before it (and a block
    header ending in a comment is followed by a blank line, one ending in ``:`` not).
    Lines once placed never move (only comments and blank lines at the end do), so a
    line's final number is known as it is placed."""
    out: list[str] = []
    finals = [0] * (len(raw) + 1)
    blank = False  # a blank line is due (if the line before does not open a block)
    in_definition = False  # in a top-level def or class (or its decorators)
    for number, line in enumerate(raw, start=1):
        statement = True
        if number in marker_lines:
            indent, index = marker_lines[number]
            kind, content = markers[index]
            if kind == "trailing":  # ends the last line (never blank: see above)
                comment = _comment(content)
                if comment and out:
                    out[-1] += "  " + comment
                continue
            comment = _comment(content) if kind == "comment" else ""
            if not comment:  # a blank line, or a comment with nothing in it
                blank = bool(out)
                continue
            line = indent + comment
            statement = False
        elif not line or line.isspace():
            blank = bool(out)
            continue
        if blank:
            blank = False
            if not out[-1].rstrip().endswith(":"):
                out.append("")
        if not line[0].isspace() and not (out and out[-1].startswith("@")):
            definition = line.startswith(("def ", "class ", "@"))
            if definition or in_definition:
                _two_blank_lines_before(out)
            in_definition = definition
        out.append(line)
        if statement:
            finals[number] = len(out) + offset
    return out, finals


def _two_blank_lines_before(out: list[str]) -> None:
    """Two blank lines at the end of ``out``, above the comment lines that end it."""
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


def _header(generator: Generator, title: str) -> list[str]:
    names = set(generator.helpers)
    if generator.may_fail:
        names.add("_report_runtime_error")
    used = helpers.closure(names)
    imports = set(generator.imports) | helpers.imports_of(used)
    if generator.may_fail or generator.deep_recursion or generator.big_integers:
        imports.add("import sys")
    lines = [f'"""{title or "Translated from pseudocode by Pseudocode Translator."}"""']
    if generator.needs_future:
        lines += ["", "from __future__ import annotations"]
    plain = [i for i in _IMPORT_ORDER if i in imports]
    froms = sorted(i for i in imports if i.startswith("from "))
    merged = _merge_from_imports(froms)
    if plain or merged:
        lines.append("")
        lines += plain + merged
    if generator.deep_recursion or generator.big_integers:
        lines.append("")
    if generator.deep_recursion:
        lines.append("sys.setrecursionlimit(10_000)  # deep recursion is fine in pseudocode")
    if generator.big_integers:
        lines += ["if hasattr(sys, 'set_int_max_str_digits'):  # Python 3.11+ limits it",
                  "    sys.set_int_max_str_digits(0)  # INTEGERs of any size can be printed"]
    for name in used:
        lines += ["", ""] if lines[-1] else [""]
        lines.append(helpers.source_of(name))
    lines += ["", ""]
    return lines


def _merge_from_imports(froms: list[str]) -> list[str]:
    modules: dict[str, set[str]] = {}
    for line in froms:
        module, _, names = line[len("from "):].partition(" import ")
        modules.setdefault(module, set()).update(n.strip() for n in names.split(","))
    merged = []
    for module in sorted(modules):
        names = sorted(modules[module], key=lambda n: (not n.isupper(), n.lower()))
        merged.append(f"from {module} import {', '.join(names)}")
    return merged
