"""Constant folding: the value of an expression known before the program runs (array
bounds, CONSTANT values, CASE labels, FOR steps, index checks), or ``NOT_CONST``."""

from __future__ import annotations

from engine.language import nodes as n
from engine.semantics.namespace import CONSTANT_KIND, Namespace

NOT_CONST = object()  # "not known before the program runs" (None is a known value)


def const_value(ns: Namespace, e: n.Expr | None) -> object:
    """The value of ``e`` from literals and CONSTANTs (names looked up in ``ns``)."""
    if e is None:
        return NOT_CONST
    if isinstance(e, n.Literal):
        return e.value
    if isinstance(e, n.Name):
        symbol = e.symbol or ns.lookup(e.name)
        if symbol is not None and symbol.kind is CONSTANT_KIND and \
                symbol.value is not None:
            return symbol.value
        return NOT_CONST
    if isinstance(e, n.UnaryOp):
        value = const_value(ns, e.operand)
        if value is NOT_CONST:
            return NOT_CONST
        if e.op == "-" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value
        if e.op == "NOT" and isinstance(value, bool):
            return not value
        return NOT_CONST
    if isinstance(e, n.BinaryOp):
        left, right = const_value(ns, e.left), const_value(ns, e.right)
        if left is NOT_CONST or right is NOT_CONST:
            return NOT_CONST
        return fold(e.op, left, right)
    return NOT_CONST


def fold(op: str, left: object, right: object) -> object:
    """``left op right`` for known values; NOT_CONST where it would fail or explode."""
    numbers = (int, float)
    try:
        if op == "&" and isinstance(left, str) and isinstance(right, str):
            return left + right
        if isinstance(left, bool) or isinstance(right, bool):
            if op == "AND":
                return bool(left) and bool(right)
            if op == "OR":
                return bool(left) or bool(right)
            return NOT_CONST
        if not (isinstance(left, numbers) and isinstance(right, numbers)):
            return NOT_CONST
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        if op == "/":
            return left / right
        if op == "DIV":
            return left // right
        if op == "MOD":
            return left % right
        if op == "^":
            if abs(right) > 64 or abs(left) > 10**6:
                return NOT_CONST
            return left ** right
    except (ZeroDivisionError, OverflowError, ValueError):
        return NOT_CONST
    return NOT_CONST
