"""A faster ``ast.unparse`` for the statements and expressions the generator makes.

The generated program is printed by ``ast.unparse`` (the standard library's
``ast._Unparser``). This printer produces exactly the same text, several times faster:
it follows the unparser's rules (the same precedence table, the same parentheses,
spaces and quoting), but each expression handler returns its text and each
statement writes one finished line, so there is no output buffer of small pieces,
no context managers and no method dispatch per node. It also notes the line where
each statement starts. Lines go out one by one through ``put`` (see ``Printer``), so
``emit`` lays them out as they come and the text is never split again.

Precedence is passed down as an argument instead of being kept in a dict keyed by
node as the unparser does. The two agree as long as no node whose text depends on
its precedence (an operator, a tuple, a lambda...) appears twice in the tree: the
unparser's dict would then remember the first place's precedence. The printer
checks that and refuses such a tree (``Unsupported``), as it refuses any node it
does not know; ``emit`` then uses ``ast.unparse`` itself. ``tests/engine/
test_printer.py`` checks the text against ``ast.unparse`` over every corpus.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable
from typing import Any

_P = ast._Precedence  # type: ignore[attr-defined]
# Plain ints compare faster than the IntEnum members, in the same order.
_NAMED, _TUPLE, _YIELD, _TEST, _CMP, _FACTOR, _ATOM = (
    int(_P.NAMED_EXPR), int(_P.TUPLE), int(_P.YIELD), int(_P.TEST), int(_P.CMP),
    int(_P.FACTOR), int(_P.ATOM))
_CMP_NEXT, _TEST_NEXT = _CMP + 1, _TEST + 1
_INFSTR = "1e" + repr(sys.float_info.max_10_exp + 1)
_INDENT = "    "

_Unparser = ast._Unparser  # type: ignore[attr-defined]
_BINOPS: dict[type, tuple[str, int, int, int]] = {}  # op -> (text, own, left, right)
for _name, _text in _Unparser.binop.items():
    _own = int(_Unparser.binop_precedence[_text])
    if _text in _Unparser.binop_rassoc:
        _BINOPS[getattr(ast, _name)] = (f" {_text} ", _own, _own + 1, _own)
    else:
        _BINOPS[getattr(ast, _name)] = (f" {_text} ", _own, _own, _own + 1)
_CMPOPS = {getattr(ast, k): f" {v} " for k, v in _Unparser.cmpops.items()}
# op -> (the operator's text with the space the unparser writes after it, own precedence)
_UNOPS = {getattr(ast, k): (v if _Unparser.unop_precedence[v] is _P.FACTOR else v + " ",
                            int(_Unparser.unop_precedence[v]))
          for k, v in _Unparser.unop.items()}
_BOOLOPS = {ast.And: (" and ", int(_P.AND)), ast.Or: (" or ", int(_P.OR))}
_NAME, _CONSTANT, _TUPLE_NODE = ast.Name, ast.Constant, ast.Tuple


class Unsupported(Exception):
    """A node (or a shared node) this printer does not print as ``ast.unparse``."""


class Printer:
    """Prints one module (``run``) into ``lines``, whose ``"\\n".join`` is the text of
    ``ast.unparse``, and ``starts``: id(statement) -> its first line (1-based). One
    instance per module.

    Every line goes out through ``put`` (and the unparser's blank line before a
    definition through ``newline``, a bare name statement through ``bare_name``), so
    that ``emit`` can lay the lines out as they come (``emit._LayoutPrinter``)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.starts: dict[int, int] = {}
        self.pending: ast.stmt | None = None  # the statement whose first line comes next
        # Every node whose text depends on its precedence, as visited (see the docstring).
        self.precedence_readers: list[ast.AST] = []

    def run(self, module: ast.Module) -> None:
        """Print ``module``; raises ``Unsupported`` for a tree not printed as the unparser
        would."""
        if module.type_ignores:
            raise Unsupported("type ignores")
        try:
            self.body(module.body, "")
        except KeyError as error:  # (every table lookup: a node or operator of no entry)
            raise Unsupported(f"no entry for {error}") from None
        readers = self.precedence_readers
        if len(set(readers)) != len(readers):  # (nodes hash by identity)
            raise Unsupported("a node whose text depends on its place appears twice")

    # ------------------------------------------------------------ output
    def put(self, text: str, pad: str) -> None:
        """Write the line ``text`` (indented by ``pad``)."""
        lines = self.lines
        lines.append(text)
        if self.pending is not None:
            self.starts[id(self.pending)] = len(lines)
            self.pending = None

    def newline(self) -> None:
        """The unparser's blank line before a definition (none at the very start)."""
        if self.lines:
            self.lines.append("")

    def bare_name(self, name: str, pad: str) -> None:
        """Write an ``Expr(Name)`` statement: a name alone on its line (which is how
        the generator's comment markers look)."""
        self.put(pad + name, pad)

    # ------------------------------------------------------------ statements
    def body(self, statements: list[ast.stmt], pad: str) -> None:
        """A module's, function's or class's body (the unparser writes a docstring there)."""
        if statements:
            first = statements[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, _CONSTANT) and \
                    isinstance(first.value.value, str):
                raise Unsupported("docstring")
        self.block(statements, pad)

    def block(self, statements: list[ast.stmt], pad: str) -> None:
        handlers = _STATEMENTS
        for node in statements:
            self.pending = node  # (an unknown statement is a KeyError: see ``run``)
            handlers[type(node)](self, node, pad)

    def s_assign(self, node: ast.Assign, pad: str) -> None:
        if node.type_comment:
            raise Unsupported("type comment")
        expr = self.expr
        targets = node.targets
        if len(targets) == 1:  # (the usual case, written without a join)
            target = targets[0]
            head = target.id if type(target) is _NAME else expr(target, _TUPLE)
        else:
            head = " = ".join([expr(target, _TUPLE) for target in targets])
        value = node.value
        kind = type(value)
        text = value.id if kind is _NAME else _EXPRESSIONS[kind](self, value, _TEST)
        self.put(f"{pad}{head} = {text}", pad)

    def s_annassign(self, node: ast.AnnAssign, pad: str) -> None:
        target = self.expr(node.target)
        if not node.simple and isinstance(node.target, _NAME):
            target = f"({target})"
        text = f"{pad}{target}: {self.expr(node.annotation)}"
        if node.value:
            text = f"{text} = {self.expr(node.value)}"
        self.put(text, pad)

    def s_expr(self, node: ast.Expr, pad: str) -> None:
        value = node.value
        if type(value) is _NAME:
            self.bare_name(value.id, pad)
        else:
            self.put(pad + self.expr(value, _YIELD), pad)

    def s_return(self, node: ast.Return, pad: str) -> None:
        self.put(f"{pad}return {self.expr(node.value)}" if node.value else pad + "return", pad)

    def s_pass(self, node: ast.stmt, pad: str) -> None:
        self.put(pad + "pass", pad)

    def s_break(self, node: ast.stmt, pad: str) -> None:
        self.put(pad + "break", pad)

    def s_continue(self, node: ast.stmt, pad: str) -> None:
        self.put(pad + "continue", pad)

    def s_global(self, node: ast.Global, pad: str) -> None:
        self.put(pad + "global " + ", ".join(node.names), pad)

    def s_if(self, node: ast.If, pad: str) -> None:
        inner = pad + _INDENT
        self.put(f"{pad}if {self.expr(node.test)}:", pad)
        self.block(node.body, inner)
        while node.orelse and len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
            node = node.orelse[0]
            text = f"{pad}elif {self.expr(node.test)}:"
            self.pending = node  # the elif's If starts here
            self.put(text, pad)
            self.block(node.body, inner)
        if node.orelse:
            self.put(pad + "else:", pad)
            self.block(node.orelse, inner)

    def s_for(self, node: ast.For, pad: str) -> None:
        if node.type_comment:
            raise Unsupported("type comment")
        self.put(f"{pad}for {self.expr(node.target, _TUPLE)} in {self.expr(node.iter)}:", pad)
        self._loop_rest(node, pad)

    def s_while(self, node: ast.While, pad: str) -> None:
        self.put(f"{pad}while {self.expr(node.test)}:", pad)
        self._loop_rest(node, pad)

    def _loop_rest(self, node: ast.For | ast.While, pad: str) -> None:
        inner = pad + _INDENT
        self.block(node.body, inner)
        if node.orelse:
            self.put(pad + "else:", pad)
            self.block(node.orelse, inner)

    def _decorated(self, node: ast.FunctionDef | ast.ClassDef, pad: str, head: str) -> None:
        """The unparser's blank line (unless first), decorators, then ``head``."""
        self.newline()
        for decorator in node.decorator_list:
            self.put(pad + "@" + self.expr(decorator), pad)
        self.put(head, pad)
        self.body(node.body, pad + _INDENT)

    def s_def(self, node: ast.FunctionDef, pad: str) -> None:
        if node.type_comment:
            raise Unsupported("type comment")
        head = f"{pad}def {node.name}({self.arguments(node.args)})"
        if node.returns:
            head = f"{head} -> {self.expr(node.returns)}"
        self._decorated(node, pad, head + ":")

    def s_class(self, node: ast.ClassDef, pad: str) -> None:
        head = pad + "class " + node.name
        if node.bases or node.keywords:
            parts = [self.expr(base) for base in node.bases]
            parts += [self.keyword(keyword) for keyword in node.keywords]
            head = f"{head}({', '.join(parts)})"
        self._decorated(node, pad, head + ":")

    # ------------------------------------------------------------ expressions
    def expr(self, node: ast.AST, prec: int = _TEST) -> str:
        """The text of ``node`` where the unparser's precedence for it is ``prec``
        (``_TEST`` where the unparser sets none)."""
        kind = type(node)
        if kind is _NAME:  # the commonest nodes, printed here without a call
            return node.id  # type: ignore[attr-defined, no-any-return]
        # The hottest handlers do this themselves, to save a call per node.
        return _EXPRESSIONS[kind](self, node, prec)  # (unknown: see ``run``)

    def e_constant(self, node: ast.Constant, prec: int) -> str:
        value = node.value
        if node.kind is None and (type(value) is int or type(value) is str):
            return repr(value)
        if isinstance(value, tuple) or value is ... or node.kind == "u":
            raise Unsupported("constant")
        if isinstance(value, (float, complex)):
            return repr(value).replace("inf", _INFSTR).replace("nan", f"({_INFSTR}-{_INFSTR})")
        return repr(value)

    def e_attr(self, node: ast.Attribute, prec: int) -> str:
        value = node.value
        kind = type(value)
        text = value.id if kind is _NAME else _EXPRESSIONS[kind](self, value, _ATOM)
        if isinstance(value, _CONSTANT) and isinstance(value.value, int):
            return f"{text} .{node.attr}"  # 3 .real: 3.real would be a float
        return f"{text}.{node.attr}"

    def e_subscript(self, node: ast.Subscript, prec: int) -> str:
        value = node.value
        kind = type(value)
        text = value.id if kind is _NAME else _EXPRESSIONS[kind](self, value, _ATOM)
        index = node.slice
        kind = type(index)
        if kind is _NAME:
            return f"{text}[{index.id}]"
        if isinstance(index, _TUPLE_NODE) and index.elts:
            return f"{text}[{self.tuple_items(index.elts)}]"
        return f"{text}[{_EXPRESSIONS[kind](self, index, _TEST)}]"

    def tuple_items(self, elements: list[ast.expr]) -> str:
        if len(elements) == 1:
            return self.expr(elements[0]) + ","
        return ", ".join(map(self.expr, elements))

    def e_call(self, node: ast.Call, prec: int) -> str:
        func = node.func
        expr = self.expr
        text = func.id if type(func) is _NAME else expr(func, _ATOM)
        if node.keywords:
            parts = [*map(expr, node.args), *map(self.keyword, node.keywords)]
            return f"{text}({', '.join(parts)})"
        return f"{text}({', '.join(map(expr, node.args))})"

    def keyword(self, node: ast.keyword) -> str:
        if type(node) is not ast.keyword:
            raise Unsupported(type(node).__name__)
        value = self.expr(node.value)
        return "**" + value if node.arg is None else f"{node.arg}={value}"

    def e_binop(self, node: ast.BinOp, prec: int) -> str:
        text, own, left_prec, right_prec = _BINOPS[type(node.op)]
        self.precedence_readers.append(node)
        left, right = node.left, node.right
        kind = type(left)
        left_text = left.id if kind is _NAME else _EXPRESSIONS[kind](self, left, left_prec)
        kind = type(right)
        right_text = right.id if kind is _NAME else _EXPRESSIONS[kind](self, right, right_prec)
        if prec > own:
            return f"({left_text}{text}{right_text})"
        return f"{left_text}{text}{right_text}"

    def e_unaryop(self, node: ast.UnaryOp, prec: int) -> str:
        text, own = _UNOPS[type(node.op)]
        self.precedence_readers.append(node)
        text += self.expr(node.operand, own)
        return f"({text})" if prec > own else text

    def e_boolop(self, node: ast.BoolOp, prec: int) -> str:
        text, own = _BOOLOPS[type(node.op)]
        self.precedence_readers.append(node)
        # The unparser raises the level for every further operand, not just the second
        # (up to ATOM, where ``_Precedence.next`` stops).
        joined = text.join([self.expr(value, min(own + number, _ATOM))
                            for number, value in enumerate(node.values, start=1)])
        return f"({joined})" if prec > own else joined

    def e_compare(self, node: ast.Compare, prec: int) -> str:
        self.precedence_readers.append(node)
        expr = self.expr
        left = node.left
        parts = [left.id if type(left) is _NAME else expr(left, _CMP_NEXT)]
        for op, comparator in zip(node.ops, node.comparators, strict=False):
            parts.append(_CMPOPS[type(op)])
            parts.append(expr(comparator, _CMP_NEXT))
        text = "".join(parts)
        return f"({text})" if prec > _CMP else text

    def e_ifexp(self, node: ast.IfExp, prec: int) -> str:
        self.precedence_readers.append(node)
        text = (f"{self.expr(node.body, _TEST_NEXT)} if {self.expr(node.test, _TEST_NEXT)} "
                f"else {self.expr(node.orelse)}")
        return f"({text})" if prec > _TEST else text

    def e_tuple(self, node: ast.Tuple, prec: int) -> str:
        self.precedence_readers.append(node)
        elements = node.elts
        if not elements:
            return "()"
        text = self.tuple_items(elements)
        return f"({text})" if prec > _TUPLE else text

    def e_list(self, node: ast.List, prec: int) -> str:
        return "[" + ", ".join(map(self.expr, node.elts)) + "]"

    def e_dict(self, node: ast.Dict, prec: int) -> str:
        parts = []
        for key, value in zip(node.keys, node.values, strict=False):
            if key is None:
                raise Unsupported("dict unpacking")
            parts.append(f"{self.expr(key)}: {self.expr(value)}")
        return "{" + ", ".join(parts) + "}"

    def e_named(self, node: ast.NamedExpr, prec: int) -> str:
        self.precedence_readers.append(node)
        text = f"{self.expr(node.target, _ATOM)} := {self.expr(node.value, _ATOM)}"
        return f"({text})" if prec > _NAMED else text

    def e_lambda(self, node: ast.Lambda, prec: int) -> str:
        self.precedence_readers.append(node)
        arguments = self.arguments(node.args)
        # The unparser writes the space when the arguments wrote anything at all.
        head = "lambda " + arguments if node.args.args else "lambda"
        text = f"{head}: {self.expr(node.body)}"
        return f"({text})" if prec > _TEST else text

    def e_slice(self, node: ast.Slice, prec: int) -> str:
        text = self.expr(node.lower) + ":" if node.lower else ":"
        if node.upper:
            text += self.expr(node.upper)
        if node.step:
            text += ":" + self.expr(node.step)
        return text

    def arguments(self, node: ast.arguments) -> str:
        if node.posonlyargs or node.vararg or node.kwonlyargs or node.kwarg or node.defaults:
            raise Unsupported("arguments")
        return ", ".join([f"{arg.arg}: {self.expr(arg.annotation)}" if arg.annotation
                          else arg.arg for arg in node.args])


_STATEMENTS: dict[type, Callable[[Printer, Any, str], None]] = {
    ast.Assign: Printer.s_assign, ast.AnnAssign: Printer.s_annassign, ast.Expr: Printer.s_expr,
    ast.If: Printer.s_if, ast.For: Printer.s_for, ast.While: Printer.s_while,
    ast.Return: Printer.s_return, ast.Pass: Printer.s_pass, ast.Break: Printer.s_break,
    ast.Continue: Printer.s_continue, ast.FunctionDef: Printer.s_def,
    ast.ClassDef: Printer.s_class, ast.Global: Printer.s_global,
}
_EXPRESSIONS: dict[type, Callable[[Printer, Any, int], str]] = {
    ast.Constant: Printer.e_constant, ast.Attribute: Printer.e_attr,
    ast.Subscript: Printer.e_subscript, ast.Call: Printer.e_call,
    ast.BinOp: Printer.e_binop, ast.UnaryOp: Printer.e_unaryop, ast.BoolOp: Printer.e_boolop,
    ast.Compare: Printer.e_compare, ast.IfExp: Printer.e_ifexp, ast.Tuple: Printer.e_tuple,
    ast.List: Printer.e_list, ast.Dict: Printer.e_dict, ast.NamedExpr: Printer.e_named,
    ast.Lambda: Printer.e_lambda, ast.Slice: Printer.e_slice,
}


def unparse_with_lines(module: ast.Module) -> tuple[str, dict[int, int]]:
    """The text ``ast.unparse(module)`` gives, and each statement's first line (by id).

    Raises ``Unsupported`` for a tree this printer does not print the same."""
    printer = Printer()
    printer.run(module)
    return "\n".join(printer.lines), printer.starts
