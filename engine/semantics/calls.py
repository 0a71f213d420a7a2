"""The checks of calls: user routines, methods, SUPER calls and built-ins (E5xx),
argument counts and types, BYREF arguments.

``CallChecks`` is mixed into ``ExprChecker`` (engine/semantics/expressions.py), which
provides what it uses: ``check`` (the type of an expression), ``target`` (resolve a
place, for BYREF), ``check_spelling``, ``_check_member_access``, ``report`` and
``ctx``. Kept apart because calls are the one part of expressions with their own
rules (LANGUAGE.md section 1: which NAME(...) is a built-in; section 6: BYREF).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.language import nodes as n
from engine.language.nodes import Span
from engine.language.targets import is_assignable
from engine.semantics import types as t
from engine.semantics.builtins import BUILTINS
from engine.semantics.constants import const_value
from engine.semantics.hints import did_you_mean, signature_hint, with_article
from engine.semantics.namespace import (
    ATTRIBUTE_KIND,
    FUNCTION_KIND,
    PARAMETER_KIND,
    PROCEDURE_KIND,
    VARIABLE_KIND,
    Namespace,
    Symbol,
)

if TYPE_CHECKING:
    from engine.semantics.context import CheckContext


class CallChecks:
    """Call checks for ``ExprChecker`` (see the module docstring)."""

    ctx: CheckContext

    if TYPE_CHECKING:
        def check(self, expr: n.Expr) -> t.PType: ...
        def target(self, expr: n.Expr, implied: t.PType, loop: bool = False) -> t.PType: ...
        def report(self, code: str, message: str, span: Span, hint: str = "") -> None: ...
        def check_spelling(self, written: str, symbol: Symbol, span: Span) -> None: ...
        def _check_member_access(self, symbol: Symbol, span: Span) -> None: ...

    def call(self, e: n.Call, statement: bool, uses_call: bool = True) -> t.PType:
        func = e.func
        if isinstance(func, n.Name) and func.name.upper() in BUILTINS:
            # LANGUAGE.md section 1: NAME(...) is the user's routine where one of that name
            # is declared, else the built-in (a variable called Length stays a variable).
            found = self.ctx.ns.lookup(func.name)
            if found is None or found.routine is None:
                return self.builtin_call(e, func, statement)
        if isinstance(func, n.FieldAccess) and isinstance(func.base, n.SuperRef):
            return self.super_call(e, func, statement)
        symbol: Symbol | None = None
        if isinstance(func, n.Name):
            symbol = self.ctx.ns.lookup(func.name)
            if symbol is None:
                for arg in e.args:
                    self.check(arg)
                guess = did_you_mean(self.ctx.ns, func.name,
                                     (PROCEDURE_KIND, FUNCTION_KIND), tuple(BUILTINS))
                hint = f"Did you mean {guess}? " if guess else "Check the spelling, or "
                self.report("E501", f"There is no procedure or function called {func.name}",
                            func.span, hint=(hint + ("define it with PROCEDURE or FUNCTION."
                                                     if not guess else "")).strip())
                return t.UNKNOWN
            func.symbol = symbol
            symbol.used = True
            self.check_spelling(func.name, symbol, func.span)
        elif isinstance(func, n.FieldAccess):
            base = self.check(func.base)
            if isinstance(base, t.ClassType):
                found = base.find(func.field.lower())
                if found is None:
                    self.report("E308", f"Class {base.name} has no method {func.field}",
                                func.field_span, hint="Check the spelling of the method.")
                else:
                    symbol = found[0]  # type: ignore[assignment]
                    func.symbol = symbol
                    assert symbol is not None
                    symbol.used = True
                    self._check_member_access(symbol, func.field_span)
            elif base is not t.UNKNOWN:
                self.report("E308", f"{with_article(base.describe()).capitalize()} has no methods",
                            func.span, hint="Methods belong to objects of a CLASS.")
            if symbol is None:
                for arg in e.args:
                    self.check(arg)
                return t.UNKNOWN
        if symbol is None or symbol.routine is None:
            for arg in e.args:
                self.check(arg)
            if symbol is not None:
                self.report("E206", f"{symbol.name} is a {symbol.kind}, not a procedure or "
                                    "function", func.span,
                            hint="Only procedures and functions can be called.")
            return t.UNKNOWN
        info = symbol.routine
        e.target = info
        info.calls += 1
        if self.ctx.routine is not None:
            self.ctx.routine.makes_calls = True
        if statement and info.is_function:
            if uses_call:
                self.report("E503", f"{symbol.name} is a FUNCTION: use its value instead of "
                                    "CALL", e.span,
                            hint=f"Write for example X <- {symbol.name}(...), or OUTPUT "
                                 f"{symbol.name}(...).")
            else:
                self.report("E506", f"The value of FUNCTION {symbol.name} is not used", e.span,
                            hint=f"Write X <- {symbol.name}(...), or make it a PROCEDURE.")
        elif not statement and not info.is_function:
            self.report("E504", f"{symbol.name} is a PROCEDURE: it gives no value", e.span,
                        hint=f"Use CALL {symbol.name}(...) on a line of its own, or make it a "
                             "FUNCTION.")
        arg_types = list(map(self._argument, e.args, info.params))  # map stops at the shorter
        arg_types += map(self.check, e.args[len(info.params):])
        self._check_args(symbol.name, info.params, e.args, arg_types, e.span)
        return info.returns or t.UNKNOWN

    def _argument(self, arg: n.Expr, param: Symbol) -> t.PType:
        if not param.byref:
            return self.check(arg)
        if not is_assignable(arg) or (isinstance(arg, n.Name) and self._is_constant(arg)):
            self.report("E505", f"The BYREF parameter {param.name} needs a variable, an array "
                                "element or a field", arg.span,
                        hint="Store the value in a variable first and pass the variable.")
            return self.check(arg)
        value_type = self.check(arg)
        self.target(arg, param.type)
        return value_type

    def _is_constant(self, name: n.Name) -> bool:
        symbol = self.ctx.ns.lookup(name.name)
        return symbol is not None and symbol.kind is not VARIABLE_KIND and \
            symbol.kind is not PARAMETER_KIND and symbol.kind is not ATTRIBUTE_KIND

    def _check_args(self, name: str, params: list[Symbol], args: list[n.Expr],
                    arg_types: list[t.PType], span: Span) -> None:
        if len(args) != len(params):
            self.report("E502", f"{name} takes {len(params)} argument(s), but {len(args)} "
                                f"{'is' if len(args) == 1 else 'are'} given", span,
                        hint=signature_hint(name, params))
            return
        for arg, atype, param in zip(args, arg_types, params, strict=True):
            if not t.assignable(param.type, atype):
                self.report("E305", f"The parameter {param.name} of {name} is "
                                    f"{with_article(param.type.describe())}, but this argument is "
                                    f"{with_article(atype.describe())}", arg.span,
                            hint="Pass a value of the parameter's type.")
            elif param.byref and not t.assignable(atype, param.type):
                self.report("E305", f"The BYREF parameter {param.name} of {name} is "
                                    f"{with_article(param.type.describe())}; the variable "
                                    "passed must have the same type", arg.span,
                            hint="Pass a variable of exactly the parameter's type.")

    def super_call(self, e: n.Call, func: n.FieldAccess, statement: bool) -> t.PType:
        ctype = self.ctx.current_class
        arg_types = list(map(self.check, e.args))
        if ctype is None or self.ctx.routine is None or ctype.parent is None:
            self.report("E508", "SUPER is only used inside a method of a class that INHERITS",
                        func.span, hint="Remove SUPER, or add INHERITS Parent to the class.")
            return t.UNKNOWN
        self.ctx.routine.uses_super = True
        found = ctype.parent.find(func.field.lower())
        if found is None:
            if func.field.upper() == "NEW" and not e.args:
                return t.UNKNOWN  # the parent has no constructor: nothing to call
            self.report("E308", f"Class {ctype.parent.name} has no method {func.field}",
                        func.field_span, hint="Check the name of the parent's method.")
            return t.UNKNOWN
        symbol = found[0]
        assert isinstance(symbol, Symbol)
        func.symbol = symbol
        if symbol.routine is None:
            self.report("E206", f"{symbol.name} is not a method", func.field_span,
                        hint="SUPER calls a method of the parent class.")
            return t.UNKNOWN
        e.target = symbol.routine
        if symbol.access == "PRIVATE":
            self.report("E309", f"{symbol.name} is PRIVATE to class {ctype.parent.name}",
                        func.field_span, hint="Make the method PUBLIC in the parent class.")
        self._check_args(f"SUPER.{symbol.name}", symbol.routine.params, e.args, arg_types,
                         e.span)
        if statement and symbol.routine.is_function:
            self.report("E506", f"The value of {symbol.name} is not used", e.span,
                        hint="Assign the value to a variable.")
        return symbol.routine.returns or t.UNKNOWN

    def builtin_call(self, e: n.Call, func: n.Name, statement: bool) -> t.PType:
        builtin = BUILTINS[func.name.upper()]
        e.target = builtin
        arg_types = list(map(self.check, e.args))
        if statement:
            self.report("E506", f"The value of {builtin.name} is not used", e.span,
                        hint=f"Write X <- {builtin.name}(...), or OUTPUT it.")
        if len(e.args) != len(builtin.params):
            self.report("E502", f"{builtin.name} takes {len(builtin.params)} argument(s), but "
                                f"{len(e.args)} {'is' if len(e.args) == 1 else 'are'} given",
                        e.span, hint=f"{builtin.name}({', '.join(builtin.params)}) gives "
                                     f"{builtin.summary}.")
            return _builtin_result(builtin.result, arg_types, e.args, self.ctx.ns)
        for arg, atype, kind in zip(e.args, arg_types, builtin.params, strict=True):
            ok = _ACCEPTS[kind](atype)
            if ok and kind == "CHAR" and isinstance(arg, n.Literal) and arg.kind == "STRING" \
                    and len(arg.value) != 1:
                ok = False
            if not ok:
                self.report("E305", f"{builtin.name} needs {with_article(kind)} here, but this is "
                                    f"{with_article(atype.describe())}", arg.span,
                            hint=f"{builtin.name}({', '.join(builtin.params)}) gives "
                                 f"{builtin.summary}.")
        return _builtin_result(builtin.result, arg_types, e.args, self.ctx.ns)


# What a built-in's parameter of each kind accepts.
_ACCEPTS = {
    "STRING": t.is_text,
    "CHAR": t.is_text,
    "INTEGER": lambda atype: atype in (t.INTEGER, t.NUMBER, t.UNKNOWN),
    "NUMBER": t.is_numeric,
    "DATE": lambda atype: atype in (t.DATE, t.UNKNOWN),
}


def _builtin_result(rule: str, arg_types: list[t.PType], args: list[n.Expr],
                    ns: Namespace) -> t.PType:
    """The type a built-in gives, for the rules that depend on the arguments."""
    if rule == "SAME_TEXT":
        return t.CHAR if arg_types and arg_types[0] is t.CHAR else t.STRING
    if rule == "ARITH":
        if len(arg_types) != 2:
            return t.UNKNOWN
        return t.arithmetic_result(arg_types[0], arg_types[1]) if t.REAL not in arg_types \
            else t.REAL
    if rule == "ROUND":
        if len(args) == 2 and const_value(ns, args[1]) == 0:
            return t.INTEGER
        return t.REAL
    return t.BASE_TYPES[rule]
