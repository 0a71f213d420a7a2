"""Turns the generated ``ast`` statements into the final program text.

Control flow, in one pass over the tree (``_LayoutPrinter``):
1. print the program statements (markers included) line by line as ``ast.unparse``
   would (``printer``; the standard library's unparser for a tree the printer does not
   know, then its lines are laid out one by one);
2. lay each line out as it comes (``_Layout``): marker lines become comments, blank
   lines or trailing comments, blank lines are placed as PEP 8 has them, and each
   statement's final line is noted, hence its pseudocode line;
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
    header = "\n".join(_header(generator, title)).split("\n")
    offset = len(header) + (4 if generator.may_fail else 0)  # the lines above the program
    laid_out = _LayoutPrinter(generator.markers)
    try:
        laid_out.run(module)  # the text of ast.unparse, laid out as it is printed
    except printer.Unsupported:
        pass
    else:
        lines, line_map = _program(generator, header, offset, laid_out.lines, laid_out.starts)
        code = "\n".join(lines) + "\n"
        # Each printed line is one line of text (identifiers hold no line break), which
        # the line numbers rely on; the count is cheap, so check it rather than assume it.
        if code.count("\n") == len(lines):
            return GeneratedProgram(code, line_map, sorted(generator.helpers))
    lines, line_map = _program(generator, header, offset,
                               *_laid_out_by_stdlib(module, generator.markers))
    return GeneratedProgram("\n".join(lines) + "\n", line_map, sorted(generator.helpers))


def _program(generator: Generator, header: list[str], offset: int, program_lines: list[str],
             starts: dict[int, int]) -> tuple[list[str], dict[int, int]]:
    """The program's lines (header, the line table, the laid-out statements) and its
    Python line -> pseudocode line map, from each statement's line in ``program_lines``."""
    get = generator.lines.get
    line_map = {line + offset: pseudo for node_id, line in starts.items()
                if (pseudo := get(node_id)) is not None}
    lines = header
    if generator.may_fail:
        # The table is the dict's own repr (written in C) once its keys are in order.
        table = line_map if list(line_map) == sorted(line_map) else dict(sorted(line_map.items()))
        lines.append(f"_PSEUDO_LINES = {table!r}  # Python line: pseudocode line")
        lines.append("sys.excepthook = _report_runtime_error")
        lines += ["", ""]
    lines += program_lines
    return lines, line_map


class _Layout:
    """Lays out lines as they come: markers become comments, trailing comments or blank
    lines, and blank lines are as PEP 8 has them: two around top-level definitions (with
    the comments just above a definition kept attached to it), never two in a row
    elsewhere, none right after a block header or at the end.

    A blank line is only noted (``blank``) and decided when the next line comes, because
    a trailing comment may still end the line before it (and a block header ending in a
    comment is followed by a blank line, one ending in ``:`` not). Lines once placed
    never move (only comments and blank lines at the end do), so a statement's final
    line is known as it is placed."""

    def __init__(self, markers: list[tuple[str, str]]) -> None:
        self.lines: list[str] = []
        self.markers = markers
        self.blank = False  # a blank line is due (if the line before does not open a block)
        self.in_definition = False  # in a top-level def or class (or its decorators)

    def place(self, line: str, at_margin: bool) -> None:
        out = self.lines
        if self.blank:
            self.blank = False
            if not out[-1].rstrip().endswith(":"):
                out.append("")
        if at_margin and not (out and out[-1].startswith("@")):
            definition = line.startswith(("def ", "class ", "@"))
            if definition or self.in_definition:
                _two_blank_lines_before(out)
            self.in_definition = definition
        out.append(line)

    def newline(self) -> None:
        """A blank line (never the first line)."""
        if self.lines:
            self.blank = True

    def marker(self, index: int, indent: str) -> None:
        """The marker statement ``index`` (``indent``: its indentation)."""
        kind, content = self.markers[index]
        if kind == "trailing":  # ends the last line (never blank: see above)
            comment = _comment(content)
            if comment and self.lines:
                self.lines[-1] += "  " + comment
            return
        comment = _comment(content) if kind == "comment" else ""
        if comment:
            self.place(indent + comment, not indent)
        else:  # a blank line, or a comment with nothing in it
            self.newline()


class _LayoutPrinter(printer.Printer, _Layout):
    """The printer writing into the layout: ``lines`` are the laid-out lines and
    ``starts`` each statement's line among them. The same as printing the text, then
    laying out its lines (``_laid_out_by_stdlib``), but without the second pass."""

    def __init__(self, markers: list[tuple[str, str]]) -> None:
        printer.Printer.__init__(self)
        _Layout.__init__(self, markers)

    def put(self, text: str, pad: str) -> None:
        if self.blank or not pad:  # (an indented line after no blank line: just copied)
            self.place(text, not pad)
        else:
            self.lines.append(text)
        if self.pending is not None:
            self.starts[id(self.pending)] = len(self.lines)
            self.pending = None

    newline = _Layout.newline

    def bare_name(self, name: str, pad: str) -> None:
        match = _MARKER_NAME.fullmatch(name)
        if match is None:
            self.put(pad + name, pad)
        else:
            self.pending = None  # a marker gets no line of its own
            self.marker(int(match.group(1)), pad)


_MARKER_NAME = re.compile(re.escape(MARKER_PREFIX) + r"(\d+)__")


def _laid_out_by_stdlib(module: ast.Module, markers: list[tuple[str, str]]
                        ) -> tuple[list[str], dict[int, int]]:
    """``_LayoutPrinter``'s lines and starts for a tree the printer does not print:
    the standard library's unparser's text, then its lines laid out."""
    text, raw_starts = stdlib_unparse_with_lines(module)
    raw = text.split("\n")
    layout = _Layout(markers)
    finals = [0] * (len(raw) + 1)  # raw line -> its line in the layout (0: none)
    for number, line in enumerate(raw, start=1):
        match = _MARKER_LINE.match(line) if MARKER_PREFIX in line else None  # (cheap test first)
        if match is not None:
            layout.marker(int(match.group(2)), match.group(1))
        elif not line or line.isspace():
            layout.newline()
        else:
            layout.place(line, not line[0].isspace())
            finals[number] = len(layout.lines)
    starts = {node_id: finals[raw_line] for node_id, raw_line in raw_starts.items()
              if finals[raw_line]}  # (0: a marker's line, now a comment or nothing)
    return layout.lines, starts


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
