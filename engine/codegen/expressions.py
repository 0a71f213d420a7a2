"""Expressions -> Python: literals, names, operators, array elements, fields, pointers
(LANGUAGE.md sections 2, 5, 6); and how a value is shown (OUTPUT) or fitted to its
destination (REAL stays REAL, arrays and records are copied).
"""

from __future__ import annotations

import ast

from engine.codegen import bounds
from engine.codegen.base import GeneratorBase
from engine.codegen.pyast import (
    _SHORT,
    LOAD,
    STORE,
    _attr,
    _call,
    _const,
    _name,
    _negated,
    _shifted,
    _store,
)
from engine.language import nodes as n
from engine.language.numbers import is_long
from engine.semantics import types as t
from engine.semantics.namespace import (
    CLASS_SCOPE,
    ENUM_MEMBER_KIND,
    FUNCTION_KIND,
    PROCEDURE_KIND,
    Symbol,
)

_BINOPS: dict[str, ast.operator] = {
    "+": ast.Add(), "-": ast.Sub(), "*": ast.Mult(), "/": ast.Div(), "DIV": ast.FloorDiv(),
    "MOD": ast.Mod(), "^": ast.Pow(), "&": ast.Add(),
}
_CMPOPS: dict[str, ast.cmpop] = {
    "=": ast.Eq(), "<>": ast.NotEq(), "<": ast.Lt(), "<=": ast.LtE(), ">": ast.Gt(),
    ">=": ast.GtE(),
}
# The operator nodes above are shared by every BinOp and Compare (as the contexts are):
# they have no fields, and nothing changes one in place.
_MAY_FAIL = frozenset({"/", "DIV", "MOD", "^"})
_AND, _OR, _NOT, _USUB = ast.And(), ast.Or(), ast.Not(), ast.USub()
_LTE = _CMPOPS["<="]
_BASE_TYPE = t.BaseType
_SHOWN_AS_IS = frozenset({t.INTEGER, t.REAL, t.STRING, t.CHAR, t.NUMBER})  # print() as it is


_NAME_NODE = ast.Name
_NO_FIELDS: dict[str, Symbol] = {}  # a record type without field symbols (never changed)

class ExpressionGenerator(GeneratorBase):
    # ------------------------------------------------------------ expressions
    # ``self.expr(e)`` is ``GeneratorBase.visit`` itself: no call in between, since it runs
    # for every expression of the program (``visit_<Node>`` below).
    expr = GeneratorBase.visit

    def visit_Literal(self, e: n.Literal) -> ast.expr:
        value = e.value
        kind = value.__class__
        if (kind is int and 0 <= value < _SHORT) or (kind is str and e.kind != "DATE"):
            # _const's common cases (not long: no big_integers), one node per value
            node = self.constants.get(value)
            if node is None:
                node = self.constants[value] = ast.Constant(value)
            return node
        if e.kind == "DATE":
            self.use_import("import datetime")
            date = e.value
            return _call(_attr(_name("datetime"), "date"), ast.Constant(date.year),
                         ast.Constant(date.month), ast.Constant(date.day))
        if e.kind == "INTEGER" and is_long(e.value):
            self.big_integers = True  # the header lifts Python's limit on long numbers
        return _const(e.value)

    def visit_ErrorExpr(self, e: n.ErrorExpr) -> ast.expr:
        return ast.Constant(None)

    def visit_Name(self, e: n.Name) -> ast.expr:
        symbol: Symbol | None = e.symbol
        node = self.reads.get(symbol)  # type: ignore[arg-type]
        if node is not None:
            return node  # a declared variable read before: its one node (see GeneratorBase)
        if symbol is None:
            from engine.semantics.builtins import BUILTINS
            builtin = BUILTINS.get(e.name.upper())
            if builtin is not None:
                return self.builtin(builtin, [])
            return _name(e.name)
        kind = symbol.kind
        if kind is ENUM_MEMBER_KIND:
            return _attr(_name(self.type_name(symbol.owner)), symbol.python_name)  # type: ignore
        if kind is FUNCTION_KIND or kind is PROCEDURE_KIND:
            return self.routine_ref(symbol, None)
        if symbol.scope is CLASS_SCOPE:
            return _attr(_name("self"), symbol.python_name)
        if not symbol.declared:
            self.may_fail = True  # (every time: so it is not kept in ``reads``)
            return ast.Name(symbol.python_name, LOAD)
        node = self.reads[symbol] = ast.Name(symbol.python_name, LOAD)
        return node

    def store_name(self, e: n.Name) -> ast.expr:
        """``e`` as an assignment target: ``visit_Name``'s node with a Store context, made
        directly for a variable (no Load node made only to be copied)."""
        symbol: Symbol | None = e.symbol
        node = self.writes.get(symbol)  # type: ignore[arg-type]
        if node is not None:
            return node  # as in visit_Name
        if symbol is None or symbol.scope is CLASS_SCOPE:
            return _store(self.visit_Name(e))
        kind = symbol.kind
        if kind is ENUM_MEMBER_KIND or kind is FUNCTION_KIND or kind is PROCEDURE_KIND:
            return _store(self.visit_Name(e))
        if not symbol.declared:
            self.may_fail = True
            return ast.Name(symbol.python_name, STORE)
        node = self.writes[symbol] = ast.Name(symbol.python_name, STORE)
        return node

    def visit_UnaryOp(self, e: n.UnaryOp) -> ast.expr:
        operand = self.expr(e.operand)
        if e.op == "NOT":
            return ast.UnaryOp(_NOT, operand)
        return ast.UnaryOp(_USUB, operand)

    def visit_BinaryOp(self, e: n.BinaryOp) -> ast.expr:
        op = e.op
        operator = _BINOPS.get(op)
        if operator is not None:  # arithmetic first: the commonest kind
            if op in _MAY_FAIL:
                self.may_fail = True  # division by zero, 0 ^ -1, overflow
            if op == "^" or op == "*":
                self.big_integers = True
            if op == "&":
                return ast.BinOp(self.joined(e.left), operator, self.joined(e.right))
            if (op == "+" or op == "-") and isinstance(e.left.ptype, t.EnumType):
                self.may_fail = True  # past either end of the enumeration
                steps = self.expr(e.right)
                if op == "-":
                    steps = _negated(steps)
                return _call(self.helper("_enum_move"), self.expr(e.left), steps)
            return ast.BinOp(self.expr(e.left), operator, self.expr(e.right))
        compare = _CMPOPS.get(op)
        if compare is not None:
            if op == "=" or op == "<>":
                simplified = self.boolean_comparison(e)
                if simplified is not None:
                    return simplified
            return ast.Compare(self.expr(e.left), [compare], [self.expr(e.right)])
        if op != "AND" and op != "OR":
            raise KeyError(op)
        values: list[ast.expr] = []
        for side in (e.left, e.right):
            if side is e.right:
                self.conditional += 1  # AND/OR may never evaluate the right side
            try:
                node = self.expr(side)
            finally:
                if side is e.right:
                    self.conditional -= 1
            if isinstance(side, n.BinaryOp) and side.op == op and isinstance(
                    node, ast.BoolOp):
                values.extend(node.values)
            else:
                values.append(node)
        return ast.BoolOp(_AND if op == "AND" else _OR, values)

    def joined(self, expr: n.Expr) -> ast.expr:
        """A side of ``&``: text as it is; a number, BOOLEAN or DATE as OUTPUT prints it."""
        value = self.expr(expr)
        ptype = expr.ptype or t.UNKNOWN
        if ptype in (t.STRING, t.CHAR):
            return value
        if ptype in (t.INTEGER, t.REAL, t.NUMBER):
            if isinstance(expr, n.Literal):
                return ast.Constant(str(expr.value))
            return _call("str", value)
        if ptype is t.UNKNOWN:
            return _call(self.helper("_text"), value)
        return self.show(value, expr)

    def boolean_comparison(self, e: n.BinaryOp) -> ast.expr | None:
        """``X = TRUE`` is ``X``; ``X = FALSE`` is ``not X`` (for a BOOLEAN X)."""
        if e.op not in ("=", "<>"):
            return None
        for literal, other in ((e.right, e.left), (e.left, e.right)):
            if isinstance(literal, n.Literal) and literal.kind == "BOOLEAN":
                value = self.expr(other)
                positive = bool(literal.value) == (e.op == "=")
                if other.ptype is t.BOOLEAN:
                    return value if positive else ast.UnaryOp(op=ast.Not(), operand=value)
                return ast.Compare(left=value, ops=[ast.Is() if positive else ast.IsNot()],
                                   comparators=[ast.Constant(True)])
        return None

    def visit_Index(self, e: n.Index, direct: bool = True) -> ast.expr:
        self.may_fail = True
        base = self.expr(e.base)
        fixed = self.fixed_indices
        if fixed:
            indices = [fixed.get(id(i)) or self.expr(i) for i in e.indices]
        else:
            indices = [self.expr(i) for i in e.indices]
        positions = self.checked_positions(e, base, indices) \
            if direct and self.direct_arrays else None
        if positions is not None:
            node: ast.expr = ast.Attribute(base, "items", LOAD)
            for position in positions:
                node = ast.Subscript(node, position, LOAD)
            return node
        index = indices[0] if len(indices) == 1 else ast.Tuple(indices, LOAD)
        return ast.Subscript(base, index, LOAD)

    def checked_positions(self, e: n.Index, base: ast.expr,
                          indices: list[ast.expr]) -> list[ast.expr] | None:
        """Where an element is in the array's lists, checked inline where not proven.

        ``A.items[J - 1 if 1 <= J <= 10 else A.offset(J)]``: the comparisons are the
        check; ``A.offset`` (the general path) raises the runtime error that names the
        index and the bounds. Comparisons the FOR loops around prove are left out
        (``B.items[R - 1][C - 1]``). ``None`` when the access must take the general
        path (``A[i]``): bounds only known at run time, or an index with side effects
        (it would run twice)."""
        if not self.facts.reliable(e.base):
            return None
        array_bounds = e.base.ptype.bounds
        if len(array_bounds) != len(indices) or not _repeatable(base):
            return None
        for expr in e.indices:
            if expr.ptype is not t.INTEGER:
                return None
        for node in indices:
            if node.__class__ is not _NAME_NODE and not _repeatable(node):
                return None
        positions: list[ast.expr] = []
        ranges, interval = self.ranges, bounds.interval
        for dim, expr in enumerate(e.indices):
            node = indices[dim]
            low, high = array_bounds[dim]
            position = _shifted(node, -low)
            known_low, known_high = interval(expr, ranges)
            check_low = known_low is None or known_low < low
            check_high = known_high is None or known_high > high
            test: ast.expr | None = None
            if check_low and check_high:
                test = ast.Compare(_const(low), [_LTE, _LTE], [node, _const(high)])
            elif check_low:
                test = ast.Compare(_const(low), [_LTE], [node])
            elif check_high:
                test = ast.Compare(node, [_LTE], [_const(high)])
            if test is not None:
                whole = indices[0] if len(indices) == 1 else ast.Tuple(indices, LOAD)
                general: ast.expr = _call(_attr(base, "offset"), whole)
                if len(indices) > 1:
                    general = ast.Subscript(general, ast.Constant(dim), LOAD)
                position = ast.IfExp(test, position, general)
            positions.append(position)
        return positions

    def visit_FieldAccess(self, e: n.FieldAccess) -> ast.expr:
        symbol: Symbol | None = e.symbol
        base = self.expr(e.base)
        if isinstance(e.base.ptype, t.ClassType) or e.base.ptype is t.UNKNOWN:
            self.may_fail = True  # an object variable that was never given an object
        if symbol is not None:
            if symbol.kind is FUNCTION_KIND:
                self.may_fail = True
                return _call(_attr(base, symbol.python_name))
            return _attr(base, symbol.python_name)
        base_type = e.base.ptype
        if isinstance(base_type, t.RecordType):
            key = e.field.lower()
            field_symbol = getattr(base_type, "field_symbols", _NO_FIELDS).get(key)
            if field_symbol is not None:
                return ast.Attribute(base, field_symbol.python_name, LOAD)
            found = base_type.fields.get(key)
            if found is not None:
                return ast.Attribute(base, found[0], LOAD)
        return ast.Attribute(base, e.field, LOAD)

    def visit_Deref(self, e: n.Deref) -> ast.expr:
        self.may_fail = True
        return _attr(self.expr(e.pointer), "target")

    def visit_AddressOf(self, e: n.AddressOf) -> ast.expr:
        self.helper("_Pointer")
        target = e.target
        if isinstance(target, n.Name):
            symbol = target.symbol
            if symbol is not None and symbol.scope is CLASS_SCOPE:
                return _call("_Pointer", _name("self"), ast.Constant(symbol.python_name))
            name = symbol.python_name if symbol is not None else target.name
            return _call("_Pointer", _call("globals"), ast.Constant(name))
        if isinstance(target, n.Index):
            node = self.visit_Index(target, direct=False)  # the pointer checks its index
            assert isinstance(node, ast.Subscript)
            return _call("_Pointer", node.value, node.slice)
        if isinstance(target, n.FieldAccess):
            node = self.expr(target)
            if isinstance(node, ast.Attribute):
                return _call("_Pointer", node.value, ast.Constant(node.attr))
        if isinstance(target, n.Deref):
            return self.expr(target.pointer)
        return ast.Constant(None)

    def visit_SuperRef(self, e: n.SuperRef) -> ast.expr:
        return _call("super")

    # ------------------------------------------------------------ values
    def coerce(self, value: ast.expr, expr: n.Expr, target_type: t.PType,
               copy: bool = False) -> ast.expr:
        """Make a value fit its destination: REAL stays REAL, records and arrays copy."""
        if target_type.__class__ is _BASE_TYPE and target_type is not t.REAL:
            return value  # an INTEGER, STRING, ... destination takes any value as it is
        value_type = expr.ptype or t.UNKNOWN
        if target_type is t.REAL and value_type in (t.INTEGER, t.NUMBER):
            if isinstance(expr, n.Literal) and isinstance(expr.value, int):
                return _const(float(expr.value))
            self.may_fail = True  # an INTEGER too large for a REAL
            return _call("float", value)
        place = isinstance(expr, (n.Name, n.Index, n.FieldAccess, n.Deref))
        rebound = copy and isinstance(target_type, t.ArrayType) and bool(
            target_type.bounds) and isinstance(value_type, t.ArrayType) and (
            value_type.bounds != target_type.bounds or not self.facts.reliable(expr))
        if rebound or (copy and t.is_value_type(target_type) and place):
            self.helper("_copy")
            if rebound:
                # Same size, other bounds: the elements move, the target keeps its bounds.
                shape = [ast.Tuple(elts=[_const(low), _const(high)], ctx=ast.Load())
                         for low, high in target_type.bounds]
                return _call("_copy", value, *shape)
            return _call("_copy", value)
        return value

    def show(self, value: ast.expr, expr: n.Expr) -> ast.expr:
        """How OUTPUT writes a value (LANGUAGE.md section 4)."""
        ptype = expr.ptype or t.UNKNOWN
        if ptype in _SHOWN_AS_IS:
            return value
        if ptype is t.BOOLEAN:
            if isinstance(expr, n.Literal):
                return ast.Constant("TRUE" if expr.value else "FALSE")
            return ast.IfExp(test=value, body=ast.Constant("TRUE"), orelse=ast.Constant("FALSE"))
        if ptype is t.DATE:
            return _call(self.helper("_date_text"), value)
        if isinstance(ptype, t.EnumType):
            symbols = getattr(ptype, "member_symbols", None) or []
            if any(m.python_name != m.name for m in symbols):
                # A value renamed for Python (mro_) still prints as the pseudocode names it.
                names = ast.Tuple(elts=[ast.Constant(m.name) for m in symbols], ctx=ast.Load())
                return ast.Subscript(value=names, slice=value, ctx=ast.Load())
            return _attr(value, "name")
        return _call(self.helper("_text"), value)


def _repeatable(node: ast.expr) -> bool:
    """May this expression run twice (a check, then the offset) with the same value?

    Names, constants, arithmetic, fields and array elements read directly; not calls
    (they may print, read input or change things), except the general ``offset`` path,
    which only runs to report an error."""
    if isinstance(node, (ast.Name, ast.Constant)):
        return True
    if isinstance(node, ast.Attribute):
        return _repeatable(node.value)
    if isinstance(node, ast.Subscript):
        return _repeatable(node.value) and _repeatable(node.slice)
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Mod, ast.FloorDiv)) and \
            _repeatable(node.left) and _repeatable(node.right)
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, ast.USub) and _repeatable(node.operand)
    if isinstance(node, ast.IfExp):
        return _repeatable(node.test) and _repeatable(node.body) and _repeatable(node.orelse)
    if isinstance(node, ast.Compare):
        return _repeatable(node.left) and all(_repeatable(c) for c in node.comparators)
    if isinstance(node, ast.BoolOp):
        return all(_repeatable(v) for v in node.values)
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Attribute) and node.func.attr == "offset"
    return False
