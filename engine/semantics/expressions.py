"""ExprChecker: the type of every expression, with the checks on the way (names, operators,
indexes, fields, pointers, objects); calls are in calls.py, mixed in.

One handler per expression node class (``visit_<ClassName>``, the NodeVisitor protocol);
``check(expr)`` dispatches, stores the type in ``expr.ptype`` and returns it. An
expression node without a handler raises: tests/engine/test_validator_coverage.py keeps
that from reaching a user. ``target(expr, implied)`` resolves what an assignment,
INPUT, READFILE, FOR or BYREF argument stores into.
"""

from __future__ import annotations

from engine.language import nodes as n
from engine.language.nodes import Span
from engine.language.targets import is_assignable, root_name
from engine.semantics import types as t
from engine.semantics.builtins import BUILTINS
from engine.semantics.calls import CallChecks
from engine.semantics.constants import NOT_CONST, const_value
from engine.semantics.context import CheckContext, Read
from engine.semantics.hints import compare_hint, did_you_mean, source_name, with_article
from engine.semantics.namespace import (
    ATTRIBUTE_KIND,
    CLASS_KIND,
    CONSTANT_KIND,
    ENUM_MEMBER_KIND,
    FUNCTION_KIND,
    GLOBAL_SCOPE,
    PARAMETER_KIND,
    PROCEDURE_KIND,
    ROUTINE_SCOPE,
    VARIABLE_KIND,
    Symbol,
)

_VALUE_KINDS = (VARIABLE_KIND, PARAMETER_KIND, ATTRIBUTE_KIND,
                CONSTANT_KIND, ENUM_MEMBER_KIND)
_VALUE_KIND_SET = frozenset(_VALUE_KINDS)
_LITERAL = n.Literal
_NUMERIC_TYPES = frozenset((t.INTEGER, t.REAL, t.NUMBER, t.UNKNOWN))  # t.is_numeric's types
_LOGIC, _COMPARISON, _JOIN = "logic", "comparison", "join"
_OPERATOR_KINDS = {"AND": _LOGIC, "OR": _LOGIC, "&": _JOIN} | dict.fromkeys(
    ("=", "<>", "<", "<=", ">", ">="), _COMPARISON)  # any other operator: arithmetic
_BASE_TYPES = t.BASE_TYPES
_ASSIGNABLE_KINDS = frozenset((VARIABLE_KIND, PARAMETER_KIND, ATTRIBUTE_KIND))


class ExprChecker(CallChecks, n.NodeVisitor):
    """Checks expressions of the program that ``ctx`` describes (see the module docstring)."""

    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.report = ctx.report
        # The class's handler table (NodeVisitor fills it) read as an instance attribute:
        # read for every expression, and on 3.11 only instance attribute reads are
        # specialised, not those of a class attribute through an instance.
        self._handlers = type(self)._handlers

    def visit(self, expr: n.Expr) -> t.PType:
        """The type of ``expr`` (also stored in ``expr.ptype``), after checking it."""
        cls = expr.__class__
        if cls is _LITERAL:  # a quarter of all expressions: typed without a handler call
            result = expr.ptype = _BASE_TYPES[expr.kind]
            return result
        handler = self._handlers.get(cls) or self.handler_for(cls)
        result = handler(self, expr)
        expr.ptype = result
        return result

    check = visit

    def generic_visit(self, node: n.Node) -> t.PType:
        raise TypeError(f"the validator has no check for {type(node).__name__} expressions")

    # ------------------------------------------------------------ expression kinds
    def visit_Literal(self, e: n.Literal) -> t.PType:
        return t.BASE_TYPES[e.kind]

    def visit_ErrorExpr(self, e: n.ErrorExpr) -> t.PType:
        return t.UNKNOWN  # already reported by the parser

    def visit_Call(self, e: n.Call) -> t.PType:
        return self.call(e, statement=False)

    def visit_UnaryOp(self, e: n.UnaryOp) -> t.PType:
        operand = self.check(e.operand)
        if e.op == "NOT":
            if operand is not t.BOOLEAN and operand is not t.UNKNOWN:
                self.report("E302", f"NOT needs TRUE or FALSE, but this is "
                                    f"{with_article(operand.describe())}", e.operand.span,
                            hint="NOT turns TRUE into FALSE and back.")
            return t.BOOLEAN
        if not t.is_numeric(operand):
            self.report("E302", "'-' needs a number, but this is "
                                f"{with_article(operand.describe())}",
                        e.operand.span, hint="Only numbers can be negative.")
            return t.UNKNOWN
        return operand

    def visit_Deref(self, e: n.Deref) -> t.PType:
        ptr = self.check(e.pointer)
        if isinstance(ptr, t.PointerType):
            return ptr.target
        if ptr is not t.UNKNOWN:
            self.report("E310", f"'^' after {with_article(ptr.describe())} value: only a "
                                "pointer can be followed to what it points to", e.span,
                        hint="Declare the variable with a pointer TYPE (TYPE P = ^INTEGER).")
        return t.UNKNOWN

    def visit_SuperRef(self, e: n.SuperRef) -> t.PType:
        self.report("E508", "SUPER is used as SUPER.Method(...) inside a method", e.span,
                    hint="Write SUPER.NEW(...) in the constructor of a class that INHERITS.")
        return t.UNKNOWN

    def visit_BinaryOp(self, e: n.BinaryOp) -> t.PType:
        op = e.op
        left = self.check(e.left)
        right = self.check(e.right)
        kind = _OPERATOR_KINDS.get(op)  # one look-up, not a chain of string comparisons
        if kind is _LOGIC:
            for side, stype in ((e.left, left), (e.right, right)):
                if stype is not t.BOOLEAN and stype is not t.UNKNOWN:
                    self.report("E302", f"{op} joins conditions (TRUE or FALSE), but this is "
                                        f"{with_article(stype.describe())}", side.span,
                                hint="Write a comparison on each side, as in X > 0 AND X < 10.")
            return t.BOOLEAN
        if kind is _COMPARISON:
            if not t.comparable(left, right):
                self.report("E303", f"Cannot compare {with_article(left.describe())} with "
                                    f"{with_article(right.describe())}", e.span,
                            hint=compare_hint(left, right))
            elif op not in ("=", "<>") and (left is t.BOOLEAN or isinstance(
                    left, (t.PointerType, t.ClassType))):
                self.report("E303", f"{with_article(left.describe()).capitalize()} can only "
                                    "be compared with = or <>", e.span, hint="Use = or <>.")
            return t.BOOLEAN
        if kind is _JOIN:
            for side, stype in ((e.left, left), (e.right, right)):
                if t.is_text(stype):
                    continue
                if t.is_numeric(stype) or stype in (t.BOOLEAN, t.DATE):
                    # Tolerated (LANGUAGE.md section 3): joined as OUTPUT would print it.
                    convert = "NUM_TO_STR(x)" if t.is_numeric(stype) else (
                        "a STRING variable set with IF ... THEN" if stype is t.BOOLEAN
                        else "DAY, MONTH and YEAR with NUM_TO_STR")
                    self.report("W301", f"'&' joins strings; this {stype.describe()} is joined "
                                        "as OUTPUT would print it", side.span,
                                hint=f"Write NUM_TO_STR({source_name(side)}) to make it a "
                                     "STRING first." if t.is_numeric(stype) else
                                f"Turn it into a STRING first ({convert}).")
                    continue
                self.report("E302", f"'&' joins strings, but this is "
                                    f"{with_article(stype.describe())}", side.span,
                            hint="Join STRING and CHAR values only (one element or field at "
                                 "a time).")
            return t.STRING
        # Arithmetic (set membership first: two numbers are by far the most common case).
        if left not in _NUMERIC_TYPES or right not in _NUMERIC_TYPES:
            if op in ("+", "-") and isinstance(left, t.EnumType) and right in (
                    t.INTEGER, t.NUMBER, t.UNKNOWN):
                return left  # Spring + 1 is Summer (past either end: a runtime error)
            for side, stype in ((e.left, left), (e.right, right)):
                if not t.is_numeric(stype):
                    hint = "Use & to join strings." if op == "+" and t.is_text(stype) else \
                        "Arithmetic works on INTEGER and REAL values."
                    self.report("E302", f"'{op}' needs numbers, but this is "
                                        f"{with_article(stype.describe())}", side.span,
                                hint=hint)
                    return t.UNKNOWN
        if op == "/":
            return t.REAL
        if op == "^":
            if left is t.INTEGER and right is t.INTEGER:
                exponent = const_value(self.ctx.ns, e.right)
                if exponent is NOT_CONST:
                    return t.NUMBER
                return t.INTEGER if exponent >= 0 else t.REAL  # type: ignore[operator]
            return t.arithmetic_result(left, right) if t.REAL not in (left, right) else t.REAL
        return t.arithmetic_result(left, right)

    def visit_Index(self, e: n.Index) -> t.PType:
        base = self.check(e.base)
        index_types = list(map(self.check, e.indices))  # map: no comprehension frame
        if base is t.UNKNOWN:
            return t.UNKNOWN
        if not isinstance(base, t.ArrayType):
            self.report("E306", "Only an array can be indexed; this is "
                                f"{with_article(base.describe())}",
                        e.span, hint="Declare it as ARRAY[...] OF type.")
            return t.UNKNOWN
        if len(e.indices) != base.dims:
            self.report("E306", f"This array has {base.dims} dimension(s), but "
                                f"{len(e.indices)} index(es) are given", e.span,
                        hint="Give one index per dimension, as in A[i] or B[r, c].")
            return base.element
        for position, (index, itype) in enumerate(zip(e.indices, index_types, strict=True)):
            if itype is not t.INTEGER and itype is not t.UNKNOWN and itype is not t.NUMBER:
                self.report("E311", f"An array index must be an INTEGER, but this is "
                                    f"{with_article(itype.describe())}", index.span,
                            hint="Use a whole number, or INT(x) to drop the fraction.")
                continue
            if base.bounds is None:  # an ARRAY OF parameter: no bounds to check against
                continue
            value = const_value(self.ctx.ns, index)
            if isinstance(value, int) and value is not True and value is not False:
                low, high = base.bounds[position]
                if not low <= value <= high:
                    self.report("E307", f"Index {value} is outside the bounds {low}:{high}",
                                index.span, hint=f"Use an index from {low} to {high}.")
        return base.element

    def visit_FieldAccess(self, e: n.FieldAccess) -> t.PType:
        if isinstance(e.base, n.SuperRef):
            return self._super_member(e)
        base = self.check(e.base)
        key = e.field.lower()
        if isinstance(base, t.RecordType):
            found = base.fields.get(key)
            if found is None:
                self.report("E308", f"Record type {base.name} has no field {e.field}",
                            e.field_span, hint="Fields: " + ", ".join(
                                spelling for spelling, _ in base.fields.values()) + ".")
                return t.UNKNOWN
            spelling, ftype = found
            if spelling != e.field:
                self.report("W105", f"{e.field} is spelled {spelling} where it is defined",
                            e.field_span, hint=f"Write {spelling}.")
            return ftype
        if isinstance(base, t.ClassType):
            found_member = base.find(key)
            if found_member is None:
                self.report("E308", f"Class {base.name} has no member {e.field}", e.field_span,
                            hint="Check the spelling, or add the member to the class.")
                return t.UNKNOWN
            symbol, _owner = found_member
            assert isinstance(symbol, Symbol)
            e.symbol = symbol
            symbol.used = True
            self._check_member_access(symbol, e.field_span)
            if symbol.kind is ATTRIBUTE_KIND:
                return symbol.type
            if symbol.kind is FUNCTION_KIND:
                return self._call_without_brackets(symbol, e.field_span, "Method")
            self.report("E504", f"{symbol.name} is a PROCEDURE: it gives no value",
                        e.field_span, hint=f"Use CALL ....{symbol.name}(...) on its own line.")
            return t.UNKNOWN
        if base is not t.UNKNOWN:
            self.report("E308", f"{with_article(base.describe()).capitalize()} has no fields",
                        e.span, hint="Fields belong to records (TYPE ... ENDTYPE) and objects "
                                     "(CLASS).")
        return t.UNKNOWN

    def _super_member(self, e: n.FieldAccess) -> t.PType:
        self.report("E508", "SUPER is used to call a method: SUPER.Name(...)", e.span,
                    hint="Add the brackets and arguments.")
        return t.UNKNOWN

    def visit_AddressOf(self, e: n.AddressOf) -> t.PType:
        target = e.target
        if not is_assignable(target):
            self.report("E118", "'@' needs a variable, an array element or a field",
                        target.span, hint="Write @Name.")
            self.check(target)
            return t.UNKNOWN
        ttype = self.check(target)
        if isinstance(target, n.Name) and target.symbol is not None:
            target.symbol.address_taken = True  # the code generator's loop proofs read it
        root = root_name(target)
        if isinstance(target, n.Name) and root is not None and root.symbol is not None and \
                root.symbol.scope is not GLOBAL_SCOPE:
            self.report("E209", f"A pointer to the local variable {root.name} is not supported",
                        target.span, hint="Point to a global variable, an array element or a "
                                          "record field instead.")
        if root is not None and root.symbol is not None:
            root.symbol.assigned = True  # may be changed through the pointer
        return t.PointerType("^", ttype)

    def visit_NewObject(self, e: n.NewObject) -> t.PType:
        symbol = self.ctx.ns.lookup(e.class_name)
        arg_types = list(map(self.check, e.args))
        if symbol is None or symbol.kind is not CLASS_KIND:
            self.report("E507", f"{e.class_name} is not a class", e.name_span,
                        hint="NEW is followed by the name of a CLASS of the program.")
            return t.UNKNOWN
        symbol.used = True
        ctype: t.ClassType = symbol.type  # type: ignore[assignment]
        e.class_type = ctype
        found = ctype.find("new")
        info = found[0].routine if found is not None else None  # type: ignore[union-attr]
        e.constructor = info
        if self.ctx.routine is not None:
            self.ctx.routine.makes_calls = True
        params = info.params if info is not None else []
        self._check_args(f"NEW {ctype.name}", params, e.args, arg_types, e.span)
        return ctype

    # ------------------------------------------------------------ names and targets
    def check_spelling(self, written: str, symbol: Symbol, span: Span) -> None:
        if written != symbol.name and symbol.name.upper() != "NEW":
            self.report("W105", f"{written} is spelled {symbol.name} where it is defined", span,
                        hint=f"Write {symbol.name} everywhere; names are not case-sensitive, "
                             "but one spelling is easier to read.")

    def _unknown_name(self, name: n.Name, assigning: bool, implied: t.PType) -> Symbol | None:
        """Create an implicit variable for an undeclared name, or report it."""
        key = name.name.lower()
        if assigning or key in self.ctx.implicit_here:
            scope = GLOBAL_SCOPE if self.ctx.routine is None else ROUTINE_SCOPE
            symbol = Symbol(name.name, VARIABLE_KIND, implied if assigning else t.UNKNOWN,
                            None, scope=scope, declared=False)
            if scope is GLOBAL_SCOPE:
                self.ctx.ns.globals[key] = symbol
            else:
                self.ctx.ns.declare(symbol)
            self.ctx.symbols.append(symbol)
            self._warn_undeclared(symbol, name)
            return symbol
        guess = did_you_mean(self.ctx.ns, name.name, _VALUE_KINDS + (FUNCTION_KIND,))
        hint = f"Did you mean {guess}? " if guess else ""
        self.report("E201", f"{name.name} is used but never declared or given a value",
                    name.span, hint=hint + f"Declare it first: DECLARE {name.name} : INTEGER (or "
                                           "the type it needs), and give it a value.")
        return None

    def _warn_undeclared(self, symbol: Symbol, name: n.Name) -> None:
        if symbol.span is None:
            symbol.span = name.span
            self.report("W210", f"{name.name} is not declared", name.span,
                        hint=f"Add DECLARE {name.name} : TYPE before it is used.")

    def visit_Name(self, name: n.Name) -> t.PType:
        ctx = self.ctx
        written = name.name
        symbol = ctx.ns.lookup(written)
        if symbol is None:
            if name.name.upper() in BUILTINS:
                builtin = BUILTINS[name.name.upper()]
                if not builtin.params:
                    call = n.Call(name.span, name, [], has_parens=False)
                    return self.call(call, statement=False)
                self.report("E502", f"{name.name.upper()} needs {len(builtin.params)} "
                                    "argument(s) in brackets", name.span,
                            hint=f"Write {name.name.upper()}(...).")
                return t.UNKNOWN
            symbol = self._unknown_name(name, assigning=False, implied=t.UNKNOWN)
            if symbol is None:
                return t.UNKNOWN
        elif not symbol.declared and symbol.span is None:
            self._warn_undeclared(symbol, name)
        if symbol.scope is GLOBAL_SCOPE and ctx.routine is not None:
            ctx.globals_seen.add(ctx.ns.key(written))
        name.symbol = symbol
        symbol.used = True
        symbol.read = True
        # The checks below are called only when they can report (a name read is the most
        # common expression of a program).
        if written != symbol.name:
            self.check_spelling(written, symbol, name.span)
        kind = symbol.kind
        if kind in _VALUE_KIND_SET:
            if symbol.access == "PRIVATE":
                self._check_member_access(symbol, name.span)
            # W211 looks at the reads of variables never assigned: assigned stays assigned.
            if not symbol.assigned and (kind is VARIABLE_KIND or
                                        kind is ATTRIBUTE_KIND):
                ctx.reads.append(Read(symbol, name.span))
            return symbol.type
        if symbol.kind is FUNCTION_KIND:
            self._check_member_access(symbol, name.span)
            return self._call_without_brackets(symbol, name.span, "FUNCTION")
        if symbol.kind is PROCEDURE_KIND:
            self.report("E504", f"{symbol.name} is a PROCEDURE: it gives no value", name.span,
                        hint=f"Use CALL {symbol.name} on a line of its own, or make it a "
                             "FUNCTION.")
            return t.UNKNOWN
        self.report("E206", f"{symbol.name} is a {symbol.kind}, not a value", name.span,
                    hint="Use a variable or a constant here.")
        return t.UNKNOWN

    def _call_without_brackets(self, symbol: Symbol, span: Span, what: str) -> t.PType:
        """A FUNCTION named without brackets is called (fine when it takes no arguments)."""
        info = symbol.routine
        assert info is not None
        if info.params:
            self.report("E502", f"{what} {symbol.name} needs {len(info.params)} argument(s)",
                        span, hint=f"Write {symbol.name}(...) with its arguments.")
        return info.returns or t.UNKNOWN

    def _check_member_access(self, symbol: Symbol, span: Span) -> None:
        if symbol.access != "PRIVATE" or symbol.owner is None:
            return
        if not isinstance(symbol.owner, t.ClassType):
            return
        if self.ctx.current_class is not symbol.owner:
            self.report("E309", f"{symbol.name} is PRIVATE to class {symbol.owner.name}", span,
                        hint=f"Use a PUBLIC method of {symbol.owner.name} to read or change it.")

    def target(self, expr: n.Expr, implied: t.PType, loop: bool = False) -> t.PType:
        """Resolve an assignment target; return the type it holds."""
        if isinstance(expr, n.Name):
            symbol = self.ctx.ns.lookup(expr.name)
            if symbol is None:
                symbol = self._unknown_name(expr, assigning=True, implied=implied)
                if symbol is None:
                    return t.UNKNOWN
            elif not symbol.declared and symbol.span is None:
                self._warn_undeclared(symbol, expr)
            ctx = self.ctx
            routine = ctx.routine
            if symbol.scope is GLOBAL_SCOPE and routine is not None:
                ctx.globals_seen.add(ctx.ns.key(expr.name))
            expr.symbol = symbol
            if expr.name != symbol.name:  # called only when it can report, as in visit_Name
                self.check_spelling(expr.name, symbol, expr.span)
            if symbol.kind is CONSTANT_KIND:
                self.report("E203", f"{symbol.name} is a CONSTANT and cannot be changed",
                            expr.span, hint=f"Declare {symbol.name} as a variable with DECLARE "
                                            "if its value must change.")
                return symbol.type
            if symbol.kind not in _ASSIGNABLE_KINDS:
                self.report("E206", f"{symbol.name} is a {symbol.kind}; only variables can be "
                                    "assigned", expr.span, hint="Assign to a variable.")
                return t.UNKNOWN
            if symbol.access == "PRIVATE":
                self._check_member_access(symbol, expr.span)
            if not symbol.declared and symbol.type is t.UNKNOWN and implied is not t.UNKNOWN:
                symbol.type = implied
            symbol.loop_only = loop and (symbol.loop_only or not symbol.assigned)
            symbol.assigned = True
            symbol.used = True
            if not loop and ctx.loop_vars and symbol in ctx.loop_vars:
                self.report("W402", f"{symbol.name} is the variable of an enclosing FOR loop",
                            expr.span, hint="Changing it inside the loop does not change how "
                                            "often the loop runs; use a WHILE loop instead.")
            if routine is not None and symbol.scope is GLOBAL_SCOPE and \
                    symbol not in routine.global_symbols:
                routine.global_symbols.append(symbol)
            expr.ptype = symbol.type
            return symbol.type
        if isinstance(expr, (n.Index, n.FieldAccess, n.Deref)):
            result = self.check(expr)
            root = root_name(expr)
            if root is not None and root.symbol is not None:
                root.symbol.assigned = True
            return result
        self.report("E118", "This cannot be assigned to", expr.span,
                    hint="Assign to a variable, an array element or a field.")
        self.check(expr)
        return t.UNKNOWN

    # ------------------------------------------------------------ expressions
