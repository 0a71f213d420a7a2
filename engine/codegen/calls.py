"""Calls -> Python: procedures and functions (BYREF as copy-in/copy-out), methods,
constructors and the built-in functions (LANGUAGE.md sections 7, 8, 10).

BYREF is the one place where a pseudocode expression becomes more than one Python
expression: the call returns the new values of its BYREF parameters, which the call
site assigns back (``X, A[_index1] = Swap(X, A[_index1])``), so the order in which
arguments, indices and lifted calls run is decided here.
"""

from __future__ import annotations

import ast

from engine.codegen.base import GeneratorBase
from engine.codegen.pyast import STORE, _attr, _call, _const, _name
from engine.language import nodes as n
from engine.semantics.builtins import Builtin, Translation
from engine.semantics.namespace import (
    CLASS_SCOPE,
    RoutineInfo,
    Symbol,
)


class CallGenerator(GeneratorBase):
    # ------------------------------------------------------------ statements
    def visit_CallStmt(self, stmt: n.CallStmt) -> list[ast.stmt]:
        call = stmt.call
        info = call.target
        if isinstance(info, RoutineInfo) and self.byref_params(info):
            targets, value = self.byref_call(call, info)
            target: ast.expr = targets[0] if len(targets) == 1 else ast.Tuple(targets, STORE)
            if info.is_function:
                target = ast.Tuple([ast.Name("_", STORE), *targets], STORE)
            return [ast.Assign([target], value, lineno=0)]
        return [ast.Expr(self.expr(call))]

    def byref_call(self, call: n.Call, info: RoutineInfo) -> tuple[list[ast.expr], ast.expr]:
        """The call, and the targets its BYREF results are written back to; what must be
        evaluated first (``fixed_before_call``) goes to the lines before, in order."""
        fixed: dict[int, ast.expr] = {}
        for expr in self.fixed_before_call(call, info):
            temp = self.temp("index" if _is_index_of(expr, call) else "arg")
            assign = ast.Assign(targets=[_name(temp, ast.Store())], value=self.expr(expr),
                                lineno=0)
            self.prelude.append(assign)
            fixed[id(expr)] = _name(temp)
        return self.with_fixed(call, info, fixed)

    def with_fixed(self, call: n.Call, info: RoutineInfo, fixed: dict[int, ast.expr]
                   ) -> tuple[list[ast.expr], ast.expr]:
        """The call and its write-back targets, where the expressions in ``fixed`` (by id)
        read the variables they were kept in."""
        self.fixed_indices.update(fixed)
        try:
            value = self.call_expr(call, info)
            targets = [self.target(arg) for arg, param in zip(call.args, info.params,
                                                              strict=False) if param.byref]
        finally:
            for key in fixed:
                self.fixed_indices.pop(key, None)
        return targets, value

    def fixed_before_call(self, call: n.Call, info: RoutineInfo) -> list[n.Expr]:
        """The parts of a BYREF call's arguments kept in variables before it, in the order
        the pseudocode evaluates them (left to right).

        An element passed BYREF is the one its index names when the call starts, and its
        index is evaluated once: if the call may change a variable used in that index (a
        BYREF argument, or a global the routine assigns), or the index itself calls
        something (``A[Idx()]``: the element is read and written back, so the call would
        run twice), the index is kept in a variable first. When a call runs before such
        an index or in it, everything the arguments before the index evaluate is kept
        first as well, so the arguments run left to right (``CALL P(F(), A[Idx()])``: F
        before Idx; ``CALL P(F(), I, A[I])``: I as F leaves it)."""
        changed: set[str] | None = None  # made when the first index is met
        anything = info.makes_calls
        parts: list[tuple[n.Expr, bool]] = []  # what the arguments evaluate; must it be kept?
        any_kept = False
        for arg, param in zip(call.args, info.params, strict=False):
            if not param.byref:
                parts.append((arg, False))
                continue
            for index in _indices_along(arg):
                if changed is None:
                    changed = {a.name.lower() for a, p in zip(call.args, info.params,
                                                              strict=False)
                               if p.byref and isinstance(a, n.Name)}
                    changed |= {s.name.lower() for s in info.global_symbols}
                names = {x.name.lower() for x in _names_in(index)}
                kept = bool(anything or names & changed or _calls_something(index))
                any_kept = any_kept or kept
                parts.append((index, kept))
        if not any_kept:
            return []  # nothing is kept: nor is anything before it
        last, calls = -1, False
        for i, (expr, kept) in enumerate(parts):
            calls = calls or _calls_something(expr)
            if kept and calls:
                last = i
        return [expr for i, (expr, kept) in enumerate(parts)
                if (kept or i < last) and not isinstance(expr, n.Literal)]

    # ------------------------------------------------------------ expressions
    def visit_Call(self, e: n.Call) -> ast.expr:
        target = e.target
        if isinstance(target, Builtin):
            return self.builtin(target, e.args)
        if isinstance(target, RoutineInfo):
            if target.is_function and self.byref_params(target):
                return self.byref_function_value(e, target)
            return self.call_expr(e, target)
        return _call(self.expr(e.func), *[self.expr(a) for a in e.args])

    def byref_function_value(self, e: n.Call, info: RoutineInfo) -> ast.expr:
        """The value of a FUNCTION with BYREF parameters, whose new values are written back.

        Normally the call goes on the line before (``_result1, X = F(X)``). When something
        else in the statement runs first, or the call sits after AND/OR (which may skip
        it), it stays in place as ``(_r := F(X), X := _r[1], _r[0])[-1]``, so the order of
        evaluation is the pseudocode's; an element or a field is written back by
        ``A.__setitem__(i, _r[1])`` or ``setattr(R, "F", _r[1])``, its index first kept
        by ``(_index1 := Idx(), ...)``."""
        name = self.temp("result")
        if not (self.effects or self.conditional):
            targets, value = self.byref_call(e, info)
            assign = ast.Assign(targets=[ast.Tuple(elts=[_name(name, ast.Store()), *targets],
                                                   ctx=ast.Store())], value=value, lineno=0)
            self.prelude.append(assign)
            self.effects += 1
            return _name(name)
        parts: list[ast.expr] = []
        fixed: dict[int, ast.expr] = {}
        for expr in self.fixed_before_call(e, info):
            temp = self.temp("index" if _is_index_of(expr, e) else "arg")
            parts.append(ast.NamedExpr(target=_name(temp, ast.Store()), value=self.expr(expr)))
            fixed[id(expr)] = _name(temp)
        targets, value = self.with_fixed(e, info, fixed)
        parts.append(ast.NamedExpr(target=_name(name, ast.Store()), value=value))
        for position, target in enumerate(targets, start=1):
            stored = ast.Subscript(value=_name(name), slice=ast.Constant(position),
                                   ctx=ast.Load())
            parts.append(_assigned(target, stored))
        parts.append(ast.Subscript(value=_name(name), slice=ast.Constant(0), ctx=ast.Load()))
        return ast.Subscript(value=ast.Tuple(elts=parts, ctx=ast.Load()),
                             slice=_const(-1), ctx=ast.Load())

    def call_expr(self, e: n.Call, info: RoutineInfo) -> ast.expr:
        self.effects += 1
        self.may_fail = True
        if self.routine is not None:
            self.deep_recursion = True
        args: list[ast.expr] = []
        params, fixed = info.params, self.fixed_indices
        for index, arg in enumerate(e.args):
            value = fixed.get(id(arg)) or self.expr(arg)  # kept: see byref_call
            if index < len(params):
                param = params[index]
                if not param.byref:
                    value = self.coerce(value, arg, param.type, copy=False)
            args.append(value)
        func = e.func
        if isinstance(func, n.FieldAccess):
            symbol = func.symbol
            method = symbol.python_name if symbol is not None else func.field
            if isinstance(func.base, n.SuperRef):
                return _call(_attr(_call("super"), method), *args)
            return _call(_attr(self.expr(func.base), method), *args)
        if isinstance(func, n.Name) and func.symbol is not None:
            return self.routine_ref(func.symbol, args)
        return _call(self.expr(func), *args)

    def routine_ref(self, symbol: Symbol, args: list[ast.expr] | None) -> ast.expr:
        func: ast.expr = _name(symbol.python_name)
        if symbol.scope is CLASS_SCOPE:
            func = _attr(_name("self"), symbol.python_name)
        if self.routine is not None:
            self.deep_recursion = True
        self.may_fail = True
        return _call(func, *(args or []))

    def visit_NewObject(self, e: n.NewObject) -> ast.expr:
        self.may_fail = True
        self.effects += 1
        ctype = e.class_type
        info: RoutineInfo | None = e.constructor
        args: list[ast.expr] = []
        for index, arg in enumerate(e.args):
            value = self.expr(arg)
            if info is not None and index < len(info.params):
                value = self.coerce(value, arg, info.params[index].type, copy=False)
            args.append(value)
        name = self.type_name(ctype) if ctype is not None else e.class_name
        return _call(name, *args)

    # ------------------------------------------------------------ built-in functions
    def builtin(self, builtin: Builtin, arg_nodes: list[n.Expr]) -> ast.expr:
        """A built-in function's call, as its row in engine/semantics/builtins.py writes it."""
        args = [self.expr(a) for a in arg_nodes]
        if builtin.can_fail:
            self.may_fail = True
        return self.translation(builtin).build(self, args, arg_nodes)

    def translation(self, builtin: Builtin) -> Translation:
        """The checked style's translation (the plain style has its own, where it differs)."""
        return builtin.python


def _indices_along(target: n.Expr) -> list[n.Expr]:
    """The index expressions on the way to a target, in the order they are evaluated:
    ``A[i].F[j]`` gives i, then j."""
    levels: list[list[n.Expr]] = []
    node: n.Expr | None = target
    while node is not None:
        if isinstance(node, n.Index):
            levels.append(node.indices)
            node = node.base
        elif isinstance(node, n.FieldAccess):
            node = node.base
        elif isinstance(node, n.Deref):
            node = node.pointer
        else:
            node = None
    return [index for level in reversed(levels) for index in level]


def _is_index_of(expr: n.Expr, call: n.Call) -> bool:
    """Whether ``expr`` is an index inside an argument (else it is a whole argument)."""
    return not any(expr is arg for arg in call.args)


def _assigned(target: ast.expr, value: ast.expr) -> ast.expr:
    """An expression that stores ``value`` into ``target``: ``X := v``,
    ``A.__setitem__(i, v)``, ``setattr(R, "F", v)``."""
    if isinstance(target, ast.Name):
        return ast.NamedExpr(target=target, value=value)
    if isinstance(target, ast.Subscript):
        return _call(_attr(target.value, "__setitem__"), target.slice, value)
    if isinstance(target, ast.Attribute):
        return _call("setattr", target.value, ast.Constant(target.attr), value)
    raise ValueError(f"not a target: {ast.dump(target)}")


def _names_in(expr: n.Node) -> list[n.Name]:
    if expr.__class__ is n.Name:
        return [expr]  # type: ignore[list-item]  # the commonest index: no walk
    found: list[n.Name] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, n.Name):
            found.append(node)
        stack.extend(n.iter_children(node))
    return found


def _calls_something(expr: n.Node) -> bool:
    """Whether evaluating ``expr`` runs a call (a function, a method, a built-in such as
    RANDOM(), a constructor): such an expression must not be evaluated twice."""
    if expr.__class__ is n.Name or expr.__class__ is n.Literal:
        return False  # the commonest index and argument: no walk
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, (n.Call, n.NewObject)):
            return True
        stack.extend(n.iter_children(node))
    return False
