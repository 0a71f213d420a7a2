"""Turns the generated ``ast`` statements into the final program text.

Control flow:
1. ``ast.unparse`` the program statements (markers included);
2. parse that text back and walk both statement trees side by side to learn
   the Python line of every statement, hence its pseudocode line;
3. replace marker lines with comments, blank lines or trailing comments;
4. put the header, imports and helpers in front, and (when the program can
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


def _unparse_with_lines(module: ast.Module) -> tuple[str, dict[int, int]]:
    """``ast.unparse`` plus the output line of every statement (by ``id``): printed by
    ``printer`` (the same text, faster), or by the standard library's unparser when the
    tree has a node the printer does not know."""
    try:
        return printer.unparse_with_lines(module)  # the same text, faster
    except printer.Unsupported:
        return stdlib_unparse_with_lines(module)


def stdlib_unparse_with_lines(module: ast.Module) -> tuple[str, dict[int, int]]:
    """``_unparse_with_lines`` with the standard library's unparser itself.

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
    text, starts = _unparse_with_lines(module)
    raw_to_pseudo: dict[int, int] = {}
    for node_id, raw_line in starts.items():
        line = generator.lines.get(node_id)
        if line is not None and raw_line not in raw_to_pseudo:
            raw_to_pseudo[raw_line] = line

    # Markers -> comments; remember where each raw line ends up.
    out: list[str] = []
    raw_to_final: dict[int, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        match = _MARKER_LINE.match(line) if MARKER_PREFIX in line else None  # (cheap test first)
        if match is None:
            if line.strip() or (out and out[-1].strip()):
                out.append(line)
            raw_to_final[number] = len(out)
            continue
        kind, content = generator.markers[int(match.group(2))]
        if kind == "trailing":
            attach_trailing_comment(out, content)
            continue
        if kind == "comment":
            comment = _comment(content)
            if comment:
                out.append(match.group(1) + comment)
            elif out and out[-1].strip():
                out.append("")
        elif out and out[-1].strip():  # blank: never two in a row, never first in a block
            out.append("")
    program_lines, final_index = _tidy(out)

    header = "\n".join(_header(generator, title)).split("\n")
    has_map = generator.may_fail
    offset = len(header) + (4 if has_map else 0)
    line_map: dict[int, int] = {}
    for raw, pseudo in raw_to_pseudo.items():
        final = raw_to_final.get(raw)
        if final is None:
            continue
        line_map[final_index.get(final, final) + offset] = pseudo
    lines = list(header)
    if has_map:
        pairs = ", ".join(f"{key}: {line_map[key]}" for key in sorted(line_map))
        lines.append("_PSEUDO_LINES = {" + pairs + "}  # Python line: pseudocode line")
        lines.append("sys.excepthook = _report_runtime_error")
        lines += ["", ""]
    lines.extend(program_lines)
    return GeneratedProgram("\n".join(lines) + "\n", line_map, sorted(generator.helpers))


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


def _is_top_definition(line: str) -> bool:
    return line.startswith(("def ", "class ", "@"))


def _tidy(lines: list[str]) -> tuple[list[str], dict[int, int]]:
    """Blank lines as PEP 8 has them: two around top-level definitions (with the
    comments just above a definition kept attached to it), never two in a row
    elsewhere, none right after a block header or at the end."""
    out: list[str] = []
    in_definition = False
    for line in lines:
        if not line.strip():
            if out and out[-1].strip() and not out[-1].rstrip().endswith(":"):
                out.append("")
            continue
        top_level = not line[0].isspace()
        after_decorator = bool(out) and out[-1].startswith("@")
        if top_level and not after_decorator and (_is_top_definition(line) or in_definition):
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
            in_definition = _is_top_definition(line)
        elif top_level and not after_decorator:
            in_definition = False
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return out, _reindex(lines, out)


def _reindex(before: list[str], after: list[str]) -> dict[int, int]:
    """Old -> new line numbers. ``_tidy`` keeps every non-blank line, in order, and only
    adds or drops blank ones, so the n-th non-blank line before is the n-th one after."""
    old = [number for number, line in enumerate(before, start=1) if line.strip()]
    new = [number for number, line in enumerate(after, start=1) if line]
    return dict(zip(old, new, strict=True))


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
