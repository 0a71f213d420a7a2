"""Prints a plain-style program the way ``ruff format`` (default settings) lays it out.

Why a printer of our own instead of running ruff: the engine must work with the standard
library alone (the frozen app ships no ruff), and the output must not depend on a tool's
version. So the ``ast`` is printed by ``ast.unparse``'s own unparser with the few choices
where ruff's style differs from it changed, each one on the ``ast`` node it concerns:

- strings in double quotes, unless that needs more escaped quotes than single ones;
- ``x**2`` hugged when both operands are simple (names, numbers, attribute chains),
  ``-(x**2)`` for a minus in front of a power;
- ``s[i - 1 : j]``: spaces around a slice's colon when a bound is not simple;
- exponents without ``+`` (``1e20``); ``f(x for x in y)`` with one pair of brackets;
- a statement longer than 88 characters split as ruff splits it (the common shapes:
  a call's arguments, a chain of ``+``, a condition), see ``_Printer``.

Then, on the printed text, only whole lines are added or removed: comment lines (from
markers), blank lines and nothing else. That is provably safe: the unparser writes every
statement on lines of its own, never a string over two lines (newlines in strings are
written as ``\\n``), so a line boundary is never inside a literal, and blank lines or
comments between statements cannot change what a Python program means. The blank lines
follow ruff's rules: two around top-level definitions (comments just above one belong
to it), one around nested definitions, one after the imports and the module docstring,
none at the start of a block, never more than one in a row inside a block.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

LINE_LENGTH = 88
_Base = ast._Unparser  # type: ignore[attr-defined]
_Precedence = ast._Precedence  # type: ignore[attr-defined]
_EXPONENT_PLUS = re.compile(r"e\+")


def string_literal(text: str) -> str:
    """``text`` as ruff writes a string: double quotes unless single ones escape less."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == quote:
            out.append("\\" + quote)
        elif char in "'\"":
            out.append(char)
        else:
            out.append(repr(char)[1:-1])
    return quote + "".join(out) + quote


def _is_simple_power_operand(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd, ast.Invert)):
        return _is_simple_power_operand(node.operand)
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (int, float)) and not isinstance(node.value, bool) and \
            node.value >= 0
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.Attribute):
        return _is_dotted(node)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        return _is_simple_power_operand(node.left) and _is_simple_power_operand(node.right)
    return False


def _is_dotted(node: ast.expr) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _is_simple_slice_bound(node: ast.expr | None) -> bool:
    if node is None or isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return isinstance(node.operand, (ast.Name, ast.Constant))
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float))


class _Unparser(_Base):  # type: ignore[misc, valid-type]
    """``ast.unparse`` with ruff's choices for quotes, powers, slices and numbers."""

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and node.kind is None:
            self.write(string_literal(node.value))
            return
        if isinstance(node.value, float):
            before = len(self._source)
            super().visit_Constant(node)
            written = "".join(self._source[before:])
            del self._source[before:]
            self.write(_EXPONENT_PLUS.sub("e", written))
            return
        super().visit_Constant(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        before = len(self._source)
        super().visit_JoinedStr(node)
        written = "".join(self._source[before:])
        inner = written[2:-1]
        if written.startswith("f'") and "'" not in inner and '"' not in inner:
            del self._source[before:]
            self.write('f"' + inner + '"')

    def visit_Call(self, node: ast.Call) -> None:
        if len(node.args) == 1 and not node.keywords and isinstance(node.args[0],
                                                                     ast.GeneratorExp):
            generator = node.args[0]  # f(x for x in y): one pair of brackets, not two
            self.set_precedence(_Precedence.ATOM, node.func)
            self.traverse(node.func)
            self.write("(")
            self.traverse(generator.elt)
            for comprehension in generator.generators:
                self.traverse(comprehension)
            self.write(")")
            return
        super().visit_Call(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if isinstance(node.op, ast.Pow) and _is_simple_power_operand(node.left) and \
                _is_simple_power_operand(node.right):
            with self.require_parens(_Precedence.POWER, node):
                self.set_precedence(_Precedence.AWAIT, node.left)  # tighter than ** itself
                self.traverse(node.left)
                self.write("**")
                self.set_precedence(_Precedence.FACTOR, node.right)
                self.traverse(node.right)
            return
        super().visit_BinOp(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.operand, ast.BinOp) and isinstance(node.operand.op, ast.Pow):
            self.write("not " if isinstance(node.op, ast.Not) else
                       {ast.USub: "-", ast.UAdd: "+", ast.Invert: "~"}[type(node.op)])
            self.write("(")
            self.set_precedence(_Precedence.TEST, node.operand)
            self.traverse(node.operand)
            self.write(")")
            return
        super().visit_UnaryOp(node)

    def visit_Slice(self, node: ast.Slice) -> None:
        simple = _is_simple_slice_bound(node.lower) and _is_simple_slice_bound(node.upper) \
            and node.step is None
        if simple:
            super().visit_Slice(node)
            return
        if node.lower is not None:
            self.traverse(node.lower)
            self.write(" ")
        self.write(":")
        if node.upper is not None:
            self.write(" ")
            self.traverse(node.upper)
        if node.step is not None:
            self.write(" : ")
            self.traverse(node.step)


def unparse_expr(node: ast.expr) -> str:
    return _Unparser().visit(node)


# ---------------------------------------------------------------- long statements
@dataclass
class _Split:
    """A too-long statement written over several lines: ``head`` ends with the opening
    bracket, ``items`` go inside, ``tail`` starts with the closing bracket."""

    head: str
    items: list[str]
    tail: str
    commas: bool  # items separated by commas (arguments), else by operators (a chain)
    nodes: list[ast.AST]  # what each item is


def _split_of(node: ast.stmt) -> _Split | None:
    """Ruff's split for the shapes generated code has: a call's arguments
    (``print(a, b, sep="")``), or a chain of ``+``/``-``, ``and`` or ``or`` in brackets."""
    value: ast.expr | None = None
    head = ""
    if isinstance(node, ast.Expr):
        value = node.value
    elif isinstance(node, ast.Assign) and len(node.targets) == 1:
        head, value = unparse_expr(node.targets[0]) + " = ", node.value
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        head = f"{unparse_expr(node.target)}: {unparse_expr(node.annotation)} = "
        value = node.value
    elif isinstance(node, ast.Return) and node.value is not None:
        head, value = "return ", node.value
    if value is None:
        return None
    if isinstance(value, ast.Call) and value.args + value.keywords:
        items = [unparse_expr(a) for a in value.args]
        items += [f"{k.arg}={unparse_expr(k.value)}" if k.arg else f"**{unparse_expr(k.value)}"
                  for k in value.keywords]
        nodes: list[ast.AST] = [*value.args, *value.keywords]
        return _Split(head + unparse_expr(value.func) + "(", items, ")", True, nodes)
    chain = _chain(value)
    if chain is not None:
        return _Split(head + "(", chain[0], ")", False, chain[1])
    return None


def _chain(value: ast.expr) -> tuple[list[str], list[ast.AST]] | None:
    """The operands of a chain of one operator (``a + b - c``, ``a and b``), each after
    the first with its operator in front, and their nodes; or None."""
    pairs: list[tuple[str, ast.expr]] = []
    precedence = _Precedence.TERM
    if isinstance(value, ast.BoolOp):
        word = "and " if isinstance(value.op, ast.And) else "or "
        precedence = _Precedence.AND if isinstance(value.op, ast.And) else _Precedence.OR
        pairs = [("" if i == 0 else word, item) for i, item in enumerate(value.values)]
    elif isinstance(value, ast.BinOp) and isinstance(value.op, (ast.Add, ast.Sub)):
        node: ast.expr = value
        while isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            pairs.append(("+ " if isinstance(node.op, ast.Add) else "- ", node.right))
            node = node.left
        pairs.append(("", node))
        pairs.reverse()
    else:
        return None
    parts = []
    for sign, item in pairs:
        printer = _Unparser()
        printer.set_precedence(precedence.next(), item)
        parts.append(sign + printer.visit(item))
    return parts, [item for _, item in pairs]


def _split_lines(split: _Split, indent: str) -> list[str]:
    """One indented line inside the brackets if it fits, else one item a line."""
    inner = indent + "    "
    separator = ", " if split.commas else " "
    together = inner + separator.join(split.items)
    if len(together) <= LINE_LENGTH:
        body = [together]
        if _noqa(ast.Tuple(elts=[n for n in split.nodes if isinstance(n, ast.expr)])):
            together += "  # noqa: PLR0133"
        body = [together]
    elif split.commas:
        body = []
        for item, node in zip(split.items, split.nodes, strict=True):
            chain = _chain(node) if isinstance(node, ast.expr) and \
                len(inner) + len(item) + 1 > LINE_LENGTH else None
            if chain is None:
                body.append(inner + item + "," + _noqa(node))
            else:  # an argument still too long: its operands one a line, in place
                body.extend(inner + part + _noqa(part_node)
                            for part, part_node in zip(*chain, strict=True))
                body[-1] = body[-1].replace("  # noqa", ",  # noqa") if "  # noqa" in \
                    body[-1] else body[-1] + ","
    else:
        body = [inner + item + _noqa(node) for item, node in zip(split.items, split.nodes,
                                                                  strict=True)]
    return [indent + split.head, *body, indent + split.tail]


class _Printer(_Unparser):
    """The unparser, splitting statements longer than ``LINE_LENGTH`` as ruff does, and
    noting the output line where each statement starts (``starts``, by ``id``)."""

    def __init__(self, starts: dict[int, int] | None = None, **options: bool) -> None:
        super().__init__(**options)
        self.starts = starts if starts is not None else {}
        self.newlines = 0
        self.pending: ast.stmt | None = None

    def write(self, *text: str) -> None:
        for part in text:
            self.newlines += part.count("\n")
        super().write(*text)

    def fill(self, text: str = "") -> None:
        super().fill(text)
        if self.pending is not None:
            self.starts[id(self.pending)] = self.newlines + 1
            self.pending = None

    def traverse(self, node: ast.AST | list[ast.AST]) -> None:
        if isinstance(node, ast.stmt):
            self.pending = node
            if not isinstance(node, _COMPOUND):
                # Written on one line first; only a line too long is taken back and split.
                before, newlines = len(self._source), self.newlines
                super().traverse(node)
                written = "".join(self._source[before:])
                if len(written.lstrip("\n")) > LINE_LENGTH:  # after fill()'s newline
                    split = _split_of(node)
                    if split is not None:
                        del self._source[before:]
                        self.newlines = newlines
                        self.pending = node
                        self._write_lines(_split_lines(split, "    " * self._indent))
                        return
                self.write(_noqa(node))
                return
        super().traverse(node)

    def _write_lines(self, lines: list[str]) -> None:
        self.fill(lines[0].lstrip())
        for line in lines[1:]:
            self.write("\n" + line)

    def _test(self, keyword: str, test: ast.expr) -> None:
        """``if test`` / ``elif test`` / ``while test``, in brackets over several lines
        when it is too long (the colon follows from ``block``)."""
        width = len("    " * self._indent) + len(keyword) + len(unparse_expr(test)) + 1
        chain = _chain(test) if width > LINE_LENGTH else None
        if chain is None:
            self.fill(keyword)
            self.traverse(test)
            return
        self._write_lines(_split_lines(_Split(keyword + "(", chain[0], ")", False, chain[1]),
                                       "    " * self._indent))

    def visit_If(self, node: ast.If) -> None:
        self._test("if ", node.test)
        with self.block():
            self.traverse(node.body)
        while node.orelse and len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
            node = node.orelse[0]
            self.pending = node
            self._test("elif ", node.test)
            with self.block():
                self.traverse(node.body)
        if node.orelse:
            self.fill("else")
            with self.block():
                self.traverse(node.orelse)

    def visit_While(self, node: ast.While) -> None:
        self._test("while ", node.test)
        with self.block():
            self.traverse(node.body)


def _noqa(node: ast.AST) -> str:
    """A ``noqa`` for ruff's PLR0133 where the pseudocode compares two literals on purpose
    (``OUTPUT "apple" < "banana"``), else nothing."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Compare) and all(
                isinstance(x, ast.Constant) for x in [inner.left, *inner.comparators]):
            return "  # noqa: PLR0133"
    return ""


_COMPOUND = (ast.If, ast.While, ast.For, ast.FunctionDef, ast.ClassDef, ast.With, ast.Try)


def unparse_expr_stmt(node: ast.stmt) -> str:
    return _Unparser().visit(node)


def unparse_module(module: ast.Module, starts: dict[int, int]) -> list[str]:
    """The printed program, a list of lines; ``starts`` gets each statement's line."""
    return _Printer(starts).visit(module).split("\n")
