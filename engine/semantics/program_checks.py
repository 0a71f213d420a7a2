"""Checks that look at more than one expression at a time: variables read but never
given a value (W211) and declarations never used (W212), once the whole program (or
routine) has been walked; whether a FUNCTION body always RETURNs (W401); which CASE
values earlier clauses already match (I401)."""

from __future__ import annotations

from engine.language import nodes as n
from engine.language.nodes import Span
from engine.semantics import types as t
from engine.semantics.context import CheckContext
from engine.semantics.namespace import VARIABLE_KIND, Symbol


def whole_program_checks(ctx: CheckContext) -> None:
    """W211 for each variable read but never assigned, W212 for unused globals."""
    warned: set[int] = set()
    for read in ctx.reads:
        symbol = read.symbol
        if symbol.assigned or id(symbol) in warned:
            continue
        if not t.is_scalar(symbol.type) or symbol.kind is not VARIABLE_KIND:
            continue
        warned.add(id(symbol))
        ctx.report("W211", f"{symbol.name} is read but never given a value", read.span,
                   hint=f"Assign {symbol.name} a value (or INPUT it) before using it; "
                        "until then it holds its default value.")
    for symbol in ctx.ns.globals.values():
        if symbol.kind is VARIABLE_KIND and symbol.declared and not symbol.used \
                and not symbol.assigned and symbol.span is not None:
            ctx.report("W212", f"{symbol.name} is declared but never used", symbol.span,
                       hint="Remove the declaration, or use the variable.")


def unused_locals(ctx: CheckContext, locals_: list[Symbol], routine_span: Span) -> None:
    """W212 for each local variable of a routine that the routine never uses."""
    for local in locals_:
        if not local.used and local.kind is VARIABLE_KIND and local.declared:
            ctx.report("W212", f"{local.name} is declared but never used",
                       local.span or routine_span,
                       hint="Remove the declaration, or use the variable.")


def always_returns(body: list[n.Stmt]) -> bool:
    """Whether every path through ``body`` ends with RETURN."""
    for stmt in reversed(body):
        if isinstance(stmt, n.TriviaOnly):
            continue
        if isinstance(stmt, n.Return):
            return True
        if isinstance(stmt, n.If):
            return bool(stmt.else_body) and always_returns(stmt.then_body) and \
                always_returns(stmt.else_body)
        if isinstance(stmt, n.Case):
            return stmt.otherwise is not None and all(
                always_returns(c.body) for c in stmt.clauses) and \
                always_returns(stmt.otherwise.body)
        return False
    return False


class CaseCoverage:
    """The CASE values seen so far: single values in a set (a CASE may have thousands of
    labels, so each check is one look-up), ranges in a list (there are few)."""

    def __init__(self) -> None:
        self.singles: set[object] = set()
        self.ranges: list[tuple[object, object]] = []

    def contains(self, low: object, high: object) -> bool:
        if low == high and _hashable(low) and low in self.singles:
            return True
        for c_low, c_high in self.ranges:
            try:
                if c_low <= low and high <= c_high:  # type: ignore[operator]
                    return True
            except TypeError:
                continue
        return False

    def add(self, low: object, high: object) -> None:
        if low == high and _hashable(low):
            self.singles.add(low)
        else:
            self.ranges.append((low, high))


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
