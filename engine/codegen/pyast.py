"""Building blocks of the generated Python ``ast``: names, attributes, calls, constants,
store targets, and the constant folding that keeps ``N - 1 + 1`` reading ``N``.

Every part of the code generator builds its nodes with these (as ``ast._Unparser``
writes with ``fill``/``write``), so a node is made the same way everywhere.
"""

from __future__ import annotations

import ast
from typing import Any

from engine.language import nodes as n
from engine.language.numbers import digits_of, is_long

# One shared context object each (as CPython's own parser shares them); nodes are built
# with positional fields (Name: id, ctx; Attribute: value, attr, ctx; Call: func, args,
# keywords), which costs half what keyword arguments cost.
LOAD = ast.Load()
STORE = ast.Store()
# Operator nodes have no fields and nothing changes one in place: one of each is shared.
_ADD, _SUB, _USUB = ast.Add(), ast.Sub(), ast.USub()
# The small ints (offsets, steps, bounds) as shared Constant nodes: a leaf is never
# changed in place, so every ``X - 1`` can hold the same ``1``.
_SMALL_INTS = tuple(ast.Constant(i) for i in range(256))
_SHORT = 10 ** 18  # non-negative ints below this print with repr() on every Python


def _name(identifier: str, ctx: ast.expr_context | None = None) -> ast.Name:
    return ast.Name(identifier, ctx or LOAD)


def _attr(value: ast.expr, attr: str, ctx: ast.expr_context | None = None) -> ast.Attribute:
    return ast.Attribute(value, attr, ctx or LOAD)


def _call(func: ast.expr | str, *args: ast.expr, **keywords: ast.expr) -> ast.Call:
    if isinstance(func, str):
        func = ast.Name(func, LOAD)
    return ast.Call(func, list(args),
                    [ast.keyword(arg=k, value=v) for k, v in keywords.items()] if keywords else [])


def _const(value: Any) -> ast.expr:
    kind = type(value)
    if kind is int and 0 <= value < 256:
        return _SMALL_INTS[value]
    if kind is str or (kind is int and 0 <= value < _SHORT):  # the common cases, first
        return ast.Constant(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        return ast.UnaryOp(_USUB, _const(-value))
    if isinstance(value, int) and not isinstance(value, bool) and is_long(value):
        # repr() refuses more than 4,300 digits: int('...') (the program lifts the limit)
        return _call("int", ast.Constant(digits_of(value)))
    return ast.Constant(value)


def _natural(value: int) -> ast.Constant:
    """``ast.Constant(value)`` for an int >= 0, shared when small."""
    return _SMALL_INTS[value] if value < 256 else ast.Constant(value)


def _store(node: ast.expr) -> ast.expr:
    """The same target expression with a Store context."""
    if isinstance(node, ast.Name):
        return ast.Name(node.id, STORE)
    if isinstance(node, ast.Attribute):
        return ast.Attribute(node.value, node.attr, STORE)
    if isinstance(node, ast.Subscript):
        return ast.Subscript(node.value, node.slice, STORE)
    if isinstance(node, ast.Tuple):
        return ast.Tuple([_store(e) for e in node.elts], STORE)
    raise ValueError(f"not a target: {ast.dump(node)}")


def _no_args() -> ast.arguments:
    return ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                         kwarg=None, defaults=[])


def _arguments(args: list[ast.arg]) -> ast.arguments:
    # positional: posonlyargs, args, vararg, kwonlyargs, kw_defaults, kwarg, defaults
    return ast.arguments([], args, None, [], [], None, [])


def _is_literal(node: ast.expr) -> bool:
    """A default that names nothing (a number, a string, TRUE/FALSE, None)."""
    if isinstance(node, ast.UnaryOp):
        node = node.operand
    return isinstance(node, ast.Constant)


def _negated(node: ast.expr) -> ast.expr:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return _const(-node.value)
    return ast.UnaryOp(_USUB, node)


def _plus(node: ast.expr, expr: n.Expr, amount: int) -> ast.expr:
    """``node + amount``, folded where the pseudocode wrote a literal (``N - 1 + 1`` is ``N``)."""
    if isinstance(expr, n.Literal) and expr.kind == "INTEGER":
        return _const(expr.value + amount)
    if isinstance(expr, n.BinaryOp) and expr.op in ("+", "-") and isinstance(
            expr.right, n.Literal) and expr.right.kind == "INTEGER" and isinstance(
            node, ast.BinOp):
        offset = (expr.right.value if expr.op == "+" else -expr.right.value) + amount
        if offset == 0:
            return node.left
        return ast.BinOp(node.left, _ADD if offset > 0 else _SUB, _natural(abs(offset)))
    return ast.BinOp(node, _ADD if amount > 0 else _SUB, _natural(abs(amount)))


def _shifted(node: ast.expr, amount: int) -> ast.expr:
    """``node + amount`` with the constants folded: ``J + 1 - 1`` is ``J``."""
    if node.__class__ is ast.Name:  # the commonest index: nothing to fold
        return ast.BinOp(node, _ADD if amount > 0 else _SUB, _natural(abs(amount))) \
            if amount else node
    constant = 0
    rest: ast.expr | None = node
    if isinstance(node, ast.Constant) and type(node.value) is int:
        constant, rest = node.value, None
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(
            node.operand, ast.Constant) and type(node.operand.value) is int:
        constant, rest = -node.operand.value, None
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)) and \
            isinstance(node.right, ast.Constant) and type(node.right.value) is int:
        constant = node.right.value if isinstance(node.op, ast.Add) else -node.right.value
        rest = node.left
    total = constant + amount
    if rest is None:
        return _const(total)
    if not total:
        return rest
    return ast.BinOp(rest, _ADD if total > 0 else _SUB, _natural(abs(total)))
