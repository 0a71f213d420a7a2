"""The built-in functions (section 7 of LANGUAGE.md), one row each: the only list of them.

A row gives what the validator checks (the parameters and the result), what the code
generator writes (``python``: the checked style; ``plain``: the plain style, where it
differs), whether the call can fail at run time (``can_fail``: the program then gets its
error reporter) and the runtime helpers the translation copies into the program
(``Translation.requires``). Adding a built-in is one row here, a helper in
``engine/codegen/runtime.py`` (or ``plain/runtime.py``) if Python has nothing for it,
and its line in the table of docs/language.md (tests/engine/test_builtins_table.py
checks all three).

Parameter kinds: "STRING" (a STRING or CHAR), "CHAR", "INTEGER", "NUMBER"
(INTEGER or REAL), "DATE". The result is a type, or a rule name that the
validator resolves from the arguments ("SAME_TEXT", "ARITH", "ROUND").

A translation builds the Python ``ast`` of a call from the arguments, already
translated (``args``), and their pseudocode nodes (``nodes``), through ``py``: the
code generator, which offers what a translation may need (see ``PythonWriter``). This
module imports nothing of the code generator: the engine's layers point one way.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from engine.language.nodes import Expr, Literal
from engine.semantics import types as t


class PythonWriter(Protocol):
    """What the code generator offers a translation (engine/codegen/base.py; the plain
    style's ``function`` and ``handle`` only there)."""

    def expr(self, node: Expr) -> ast.expr: ...            # a pseudocode expression, translated
    def helper(self, name: str) -> str: ...                # a codegen/runtime.py helper, copied in
    def function(self, name: str) -> str: ...              # plain/runtime.py: its name in the program
    def module(self, name: str) -> str: ...                # a module, imported: its name
    def handle(self, filename: Expr) -> ast.expr: ...      # plain: the variable of an open file
    def call(self, func: ast.expr | str, *args: ast.expr) -> ast.Call: ...
    def attr(self, value: ast.expr, name: str) -> ast.Attribute: ...
    def plus(self, node: ast.expr, expr: Expr, amount: int) -> ast.expr: ...  # folded


Build = Callable[[Any, list[ast.expr], list[Expr]], ast.expr]


@dataclass(frozen=True, slots=True)
class Translation:
    """How a call becomes Python: ``build(py, args, nodes)``; ``requires``: the runtime
    helpers it copies into the program (checked style: codegen/runtime.py; plain style:
    plain/runtime.py)."""

    build: Build
    requires: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Builtin:
    name: str          # canonical name
    params: tuple[str, ...]
    result: str
    summary: str
    python: Translation               # the checked style (and the plain one by default)
    plain: Translation | None = None  # the plain style, where it is written otherwise
    can_fail: bool = False            # may raise a runtime error (bad argument, no file)

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # Pickled by name (an annotated tree goes to the process pool's workers): the
        # translations are functions, and the row on the other side is the same one.
        return _named, (self.name,)


# ---------------------------------------------------------------- translations
def helper(name: str) -> Translation:
    """A call of the checked style's runtime helper ``name`` (codegen/runtime.py)."""
    return Translation(lambda py, args, _nodes: py.call(py.helper(name), *args), (name,))


def function(name: str) -> Translation:
    """A call of the plain style's runtime function ``name`` (plain/runtime.py)."""
    return Translation(lambda py, args, _nodes: py.call(py.function(name), *args), (name,))


def python(name: str) -> Translation:
    """A call of Python's built-in function ``name`` with the same arguments."""
    return Translation(lambda py, args, _nodes: py.call(name, *args))


def method(name: str) -> Translation:
    """``first_argument.name()``."""
    return Translation(lambda py, args, _nodes: py.call(py.attr(args[0], name)))


def attribute(name: str) -> Translation:
    """``first_argument.name``."""
    return Translation(lambda py, args, _nodes: py.attr(args[0], name))


def operator(op: type[ast.operator]) -> Translation:
    """``first op second``."""
    return Translation(lambda py, args, _nodes: ast.BinOp(left=args[0], op=op(),
                                                          right=args[1]))


def _asc(py: PythonWriter, args: list[ast.expr], nodes: list[Expr]) -> ast.expr:
    """``ord`` where the argument is a one-character literal, else the checked helper."""
    if nodes and isinstance(nodes[0], Literal) and len(str(nodes[0].value)) == 1:
        return py.call("ord", *args)
    return py.call(py.helper("_asc"), *args)


def _rand(py: PythonWriter, args: list[ast.expr], nodes: list[Expr]) -> ast.expr:
    return ast.BinOp(left=py.call(py.attr(ast.Name(id=py.module("random"), ctx=ast.Load()),
                                          "random")), op=ast.Mult(), right=args[0])


def _random(py: PythonWriter, args: list[ast.expr], nodes: list[Expr]) -> ast.expr:
    return py.call(py.attr(ast.Name(id=py.module("random"), ctx=ast.Load()), "random"))


def _date(py: PythonWriter) -> ast.Attribute:
    return py.attr(ast.Name(id=py.module("datetime"), ctx=ast.Load()), "date")


def _setdate(py: PythonWriter, args: list[ast.expr], nodes: list[Expr]) -> ast.expr:
    return py.call(_date(py), args[2], args[1], args[0])  # SETDATE(day, month, year)


def _dayindex(py: PythonWriter, args: list[ast.expr], nodes: list[Expr]) -> ast.expr:
    weekday = py.call(py.attr(args[0], "isoweekday"))  # Monday 1 ... Sunday 7
    return ast.BinOp(left=ast.BinOp(left=weekday, op=ast.Mod(), right=ast.Constant(7)),
                     op=ast.Add(), right=ast.Constant(1))


def _today(py: PythonWriter, args: list[ast.expr], nodes: list[Expr]) -> ast.expr:
    return py.call(py.attr(_date(py), "today"))


def _slice(value: ast.expr, lower: ast.expr | None, upper: ast.expr | None) -> ast.expr:
    return ast.Subscript(value=value, slice=ast.Slice(lower=lower, upper=upper),
                         ctx=ast.Load())


def _literal_int(node: Expr) -> int | None:
    if isinstance(node, Literal) and node.kind == "INTEGER":
        return int(node.value)
    return None


def _plain_left(py: PythonWriter, args: list[ast.expr], nodes: list[Expr]) -> ast.expr:
    return _slice(args[0], None, args[1])  # s[:n]


def _plain_right(py: PythonWriter, args: list[ast.expr], nodes: list[Expr]) -> ast.expr:
    count = nodes[1]
    if isinstance(count, Literal) and isinstance(count.value, int) and count.value > 0:
        return _slice(args[0], ast.UnaryOp(op=ast.USub(), operand=ast.Constant(count.value)),
                      None)  # s[-3:]
    start = py.call("max", ast.BinOp(left=py.call("len", args[0]), op=ast.Sub(),
                                     right=args[1]), ast.Constant(0))
    return _slice(args[0], start, None)  # s[max(len(s) - n, 0):]


def _plain_mid(py: PythonWriter, args: list[ast.expr], nodes: list[Expr]) -> ast.expr:
    start = py.plus(args[1], nodes[1], -1)
    count = _literal_int(nodes[2])
    if count is not None:  # MID(s, i, 1) is s[i - 1 : i]
        end = py.plus(py.expr(nodes[1]), nodes[1], count - 1) if count != 1 \
            else py.expr(nodes[1])
    else:
        end = ast.BinOp(left=start, op=ast.Add(), right=args[2])
    return _slice(args[0], start, end)


def _plain_int(py: PythonWriter, args: list[ast.expr], nodes: list[Expr]) -> ast.expr:
    if nodes and nodes[0].ptype is t.INTEGER:
        return args[0]  # INT of an INTEGER is that INTEGER
    return py.call("int", *args)


def _plain_eof(py: PythonWriter, args: list[ast.expr], nodes: list[Expr]) -> ast.expr:
    return py.call(py.function("at_eof"), py.handle(nodes[0]))


_ALL = [
    Builtin("LEFT", ("STRING", "INTEGER"), "STRING", "the first n characters",
            helper("_left"), Translation(_plain_left), can_fail=True),
    Builtin("RIGHT", ("STRING", "INTEGER"), "STRING", "the last n characters",
            helper("_right"), Translation(_plain_right), can_fail=True),
    Builtin("MID", ("STRING", "INTEGER", "INTEGER"), "STRING",
            "n characters from position start (1-based)",
            helper("_mid"), Translation(_plain_mid), can_fail=True),
    Builtin("SUBSTRING", ("STRING", "INTEGER", "INTEGER"), "STRING", "the 0478 name of MID",
            helper("_mid"), Translation(_plain_mid), can_fail=True),
    Builtin("LENGTH", ("STRING",), "INTEGER", "the number of characters", python("len")),
    Builtin("TO_UPPER", ("STRING",), "SAME_TEXT", "upper case", method("upper")),
    Builtin("TO_LOWER", ("STRING",), "SAME_TEXT", "lower case", method("lower")),
    Builtin("UCASE", ("STRING",), "SAME_TEXT", "upper case", method("upper")),
    Builtin("LCASE", ("STRING",), "SAME_TEXT", "lower case", method("lower")),
    Builtin("NUM_TO_STR", ("NUMBER",), "STRING", "a number as text", python("str")),
    Builtin("NUM_TO_STRING", ("NUMBER",), "STRING", "a number as text", python("str")),
    Builtin("STR_TO_NUM", ("STRING",), "NUMBER", "text as a number",
            helper("_str_to_num"), function("str_to_num"), can_fail=True),
    Builtin("STRING_TO_NUM", ("STRING",), "NUMBER", "text as a number",
            helper("_str_to_num"), function("str_to_num"), can_fail=True),
    Builtin("IS_NUM", ("STRING",), "BOOLEAN", "TRUE if the text is a number",
            helper("_is_num"), function("is_num")),
    Builtin("ASC", ("CHAR",), "INTEGER", "the character code",
            Translation(_asc, ("_asc",)), python("ord"), can_fail=True),
    Builtin("CHR", ("INTEGER",), "CHAR", "the character with this code",
            helper("_chr"), python("chr"), can_fail=True),
    Builtin("INT", ("NUMBER",), "INTEGER", "the whole part (towards zero)",
            python("int"), Translation(_plain_int), can_fail=True),
    Builtin("ROUND", ("NUMBER", "INTEGER"), "ROUND", "rounded to n places, halves away from 0",
            helper("_round"), function("round_half_up"), can_fail=True),
    Builtin("RAND", ("NUMBER",), "REAL", "a random REAL r with 0 <= r < x",
            Translation(_rand)),
    Builtin("RANDOM", (), "REAL", "a random REAL r with 0 <= r <= 1", Translation(_random)),
    Builtin("DIV", ("NUMBER", "NUMBER"), "ARITH", "floor division", operator(ast.FloorDiv),
            can_fail=True),
    Builtin("MOD", ("NUMBER", "NUMBER"), "ARITH", "remainder of floor division",
            operator(ast.Mod), can_fail=True),
    Builtin("SETDATE", ("INTEGER", "INTEGER", "INTEGER"), "DATE", "the date day/month/year",
            Translation(_setdate), can_fail=True),
    Builtin("DAY", ("DATE",), "INTEGER", "the day of the month", attribute("day")),
    Builtin("MONTH", ("DATE",), "INTEGER", "the month", attribute("month")),
    Builtin("YEAR", ("DATE",), "INTEGER", "the year", attribute("year")),
    Builtin("DAYINDEX", ("DATE",), "INTEGER", "the day of the week, Sunday = 1",
            Translation(_dayindex)),
    Builtin("NOW", (), "DATE", "today's date", Translation(_today)),
    Builtin("TODAY", (), "DATE", "today's date", Translation(_today)),
    Builtin("EOF", ("STRING",), "BOOLEAN", "TRUE when a file open for READ has no line left",
            helper("_eof"), Translation(_plain_eof, ("at_eof",)), can_fail=True),
]

BUILTINS: dict[str, Builtin] = {b.name: b for b in _ALL}


def _named(name: str) -> Builtin:
    return BUILTINS[name]


# Every built-in function name (the editor's highlighter reads it). DIV and MOD are also
# operators.
BUILTIN_FUNCTIONS: frozenset[str] = frozenset(BUILTINS)
