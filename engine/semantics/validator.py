"""Validator: checks a parsed program and annotates it for the code generator.

Control flow (``Validator.run``):
1. declare every TYPE and CLASS name, then fill in their fields, members and
   method signatures (parents first);
2. declare every PROCEDURE and FUNCTION signature;
3. declare the program's global variables and constants, in order (constants
   give array bounds);
4. walk every statement: resolve names (case-insensitively, scopes entered
   with ``namespace.enter_scope``), infer and check types, check calls,
   BYREF arguments, RETURN, PRIVATE access; annotate expressions with their
   type and names with their symbol;
5. report what only the whole program shows: variables read but never given
   a value, declarations never used.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from engine.language import diagnostics as diag
from engine.language import nodes as n
from engine.language.diagnostics import Diagnostic
from engine.language.nodes import Span
from engine.semantics import types as t
from engine.semantics.builtins import BUILTINS
from engine.semantics.namespace import (
    ClassScope,
    Namespace,
    RoutineInfo,
    ScopeKind,
    Symbol,
    SymbolKind,
)

_VALUE_KINDS = (SymbolKind.VARIABLE, SymbolKind.PARAMETER, SymbolKind.ATTRIBUTE,
                SymbolKind.CONSTANT, SymbolKind.ENUM_MEMBER)
_NOT_CONST = object()


@dataclass
class _Read:
    symbol: Symbol
    span: Span


class Validator(n.NodeVisitor):
    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self.ns = Namespace()
        self.diagnostics: list[Diagnostic] = []
        self.symbols: list[Symbol] = []
        self.routine: RoutineInfo | None = None
        self.current_class: t.ClassType | None = None
        self.loop_vars: list[Symbol] = []
        self.implicit_here: dict[str, str] = {}
        self.global_implicit: dict[str, str] = {}
        self.reads: list[_Read] = []
        self.class_scopes: dict[int, ClassScope] = {}
        self.routine_locals: list[Symbol] = []
        self.globals_seen: set[str] = set()  # globals the current routine has used so far

    # ------------------------------------------------------------ reporting
    def report(self, code: str, message: str, span: Span, hint: str = "") -> None:
        self.diagnostics.append(diag.make(code, message, span.line, span.column, span.end_line,
                                          span.end_column, hint, strict=self.strict))

    # ------------------------------------------------------------ entry point
    def run(self, program: n.Program) -> list[Diagnostic]:
        body = program.body
        self._declare_types(body)
        self._declare_routines(body)
        self.global_implicit = _assigned_names(body)
        self._declare_globals(body)
        self.implicit_here = self.global_implicit
        for stmt in body:
            self.visit(stmt)
        self._whole_program_checks()
        program.symbols = self.symbols
        return self.diagnostics

    def _new_symbol(self, symbol: Symbol) -> Symbol | None:
        """Declare in the current scope; report a clash; return the new symbol or None."""
        existing = self.ns.declare(symbol)
        if existing is not None:
            where = f" on line {existing.span.line}" if existing.span else ""
            code = "E510" if symbol.kind in (SymbolKind.PROCEDURE, SymbolKind.FUNCTION,
                                             SymbolKind.TYPE, SymbolKind.CLASS) else "E202"
            self.report(code, f"{symbol.name} is already defined{where}",
                        symbol.span or Span(1, 1, 1, 1),
                        hint="Use a different name, or remove one of the two definitions.")
            return None
        self.symbols.append(symbol)
        return symbol

    # ------------------------------------------------------------ pass 1: types
    def _declare_types(self, body: list[n.Stmt]) -> None:
        classes: list[n.ClassDef] = []
        for stmt in body:
            if isinstance(stmt, n.RecordType):
                stmt.type_obj = t.RecordType(stmt.name.name)
            elif isinstance(stmt, n.EnumType):
                stmt.type_obj = t.EnumType(stmt.name.name, [m.name for m in stmt.members])
            elif isinstance(stmt, n.PointerType):
                stmt.type_obj = t.PointerType(stmt.name.name)
            elif isinstance(stmt, n.ClassDef):
                stmt.type_obj = t.ClassType(stmt.name.name)
                classes.append(stmt)
            else:
                continue
            kind = SymbolKind.CLASS if isinstance(stmt, n.ClassDef) else SymbolKind.TYPE
            symbol = Symbol(stmt.name.name, kind, stmt.type_obj, stmt.name.span)
            self._new_symbol(symbol)
            stmt.type_obj.symbol = symbol
        for stmt in body:
            if isinstance(stmt, n.EnumType):
                stmt.type_obj.member_symbols = []
                for member in stmt.members:
                    symbol = Symbol(member.name, SymbolKind.ENUM_MEMBER, stmt.type_obj,
                                    member.span, owner=stmt.type_obj, assigned=True)
                    self._new_symbol(symbol)
                    stmt.type_obj.member_symbols.append(symbol)
        for stmt in body:
            if isinstance(stmt, n.PointerType):
                stmt.type_obj.target = self.resolve_type(stmt.target)
            elif isinstance(stmt, n.RecordType):
                self._fill_record(stmt)
        self._fill_classes(classes)

    def _fill_record(self, stmt: n.RecordType) -> None:
        record: t.RecordType = stmt.type_obj
        record.field_symbols = {}
        for decl in stmt.fields:
            if not isinstance(decl, n.Declare):
                continue
            field_type = self.resolve_type(decl.type)
            if field_type is record:
                self.report("E204", f"Record {record.name} cannot contain itself", decl.span,
                            hint="Use a pointer to the record instead.")
                field_type = t.UNKNOWN
            decl.symbols = []
            for name in decl.names:
                key = name.name.lower()
                if key in record.fields:
                    self.report("E202", f"Field {name.name} is declared twice in {record.name}",
                                name.span, hint="Give each field its own name.")
                    continue
                record.fields[key] = (name.name, field_type)
                symbol = Symbol(name.name, SymbolKind.FIELD, field_type, name.span,
                                owner=record, assigned=True, used=True)
                decl.symbols.append(symbol)
                record.field_symbols[key] = symbol
                self.symbols.append(symbol)

    def _fill_classes(self, classes: list[n.ClassDef]) -> None:
        by_name = {c.name.name.lower(): c for c in classes}
        for cls in classes:
            if cls.parent is None:
                continue
            parent = by_name.get(cls.parent.name.lower())
            if parent is None or parent is cls:
                what = "itself" if parent is cls else f"{cls.parent.name}, which is not a class"
                self.report("E509", f"Class {cls.name.name} cannot inherit from {what}",
                            cls.parent.span, hint="INHERITS names another CLASS of the program.")
                continue
            cls.type_obj.parent = parent.type_obj
        # Break inheritance cycles: each class is walked up only until a class already known
        # to be fine, so a chain of thousands of classes costs linear time.
        state: dict[int, int] = {}  # 1: on the walk now, 2: its ancestors are fine
        for cls in classes:
            path: list[t.ClassType] = []
            current: t.ClassType | None = cls.type_obj
            while current is not None and id(current) not in state:
                state[id(current)] = 1
                path.append(current)
                current = current.parent
            if current is not None and state[id(current)] == 1:
                self.report("E509", f"Class {cls.name.name} inherits from itself through "
                                    "other classes", cls.span,
                            hint="Remove one INHERITS to break the circle.")
                cls.type_obj.parent = None
                for walked in path:
                    del state[id(walked)]
                state[id(cls.type_obj)] = 2
                continue
            for walked in path:
                state[id(walked)] = 2
        # Fill parents first (without recursion: chains may be long).
        done: set[int] = set()
        for cls in classes:
            line: list[n.ClassDef] = []
            current_def: n.ClassDef | None = cls
            while current_def is not None and id(current_def) not in done:
                done.add(id(current_def))
                line.append(current_def)
                parent = current_def.type_obj.parent
                current_def = by_name[parent.name.lower()] if parent is not None else None
            for member_of_line in reversed(line):
                self._fill_class(member_of_line)

    def _fill_class(self, cls: n.ClassDef) -> None:
        ctype: t.ClassType = cls.type_obj
        own: dict[str, Symbol] = {}
        for member in cls.members:
            if isinstance(member, n.Declare):
                member_type = self.resolve_type(member.type)
                member.symbols = []
                for name in member.names:
                    symbol = Symbol(name.name, SymbolKind.ATTRIBUTE, member_type, name.span,
                                    scope=ScopeKind.CLASS, access=member.access, owner=ctype,
                                    assigned=True)
                    if self._add_member(own, symbol):
                        member.symbols.append(symbol)
            elif isinstance(member, (n.Procedure, n.Function)):
                info = self._routine_info(member, owner=ctype)
                kind = SymbolKind.FUNCTION if isinstance(member, n.Function) else \
                    SymbolKind.PROCEDURE
                symbol = Symbol(member.name.name, kind, info.returns or t.UNKNOWN,
                                member.name.span, scope=ScopeKind.CLASS, access=member.access,
                                routine=info, owner=ctype)
                info.symbol = symbol
                if member.name.name.upper() == "NEW":
                    if isinstance(member, n.Function):
                        self.report("E117", "NEW is a PROCEDURE (the constructor)", member.span,
                                    hint="Write PUBLIC PROCEDURE NEW(...).")
                    symbol.name = "NEW"
                self._add_member(own, symbol)
                member.info = info
        ctype.members = dict(own)
        parent_scope = self.class_scopes.get(id(ctype.parent)) if ctype.parent else None
        self.class_scopes[id(ctype)] = ClassScope(own, parent_scope)

    def _add_member(self, own: dict[str, Symbol], symbol: Symbol) -> bool:
        key = symbol.name.lower()
        if key in own:
            self.report("E202", f"{symbol.name} is already a member of this class",
                        symbol.span or Span(1, 1, 1, 1), hint="Give each member its own name.")
            return False
        own[key] = symbol
        self.symbols.append(symbol)
        return True

    def _routine_info(self, stmt: n.Procedure | n.Function,
                      owner: t.ClassType | None = None) -> RoutineInfo:
        is_function = isinstance(stmt, n.Function)
        info = RoutineInfo(stmt.name.name, is_function, owner=owner, access=stmt.access)
        if isinstance(stmt, n.Function):
            info.returns = self.resolve_type(stmt.returns)
        seen: set[str] = set()
        for param in stmt.params:
            ptype = self.resolve_type(param.type)
            if param.name.lower() in seen:
                self.report("E202", f"Parameter {param.name} appears twice", param.span,
                            hint="Give each parameter its own name.")
            seen.add(param.name.lower())
            symbol = Symbol(param.name, SymbolKind.PARAMETER, ptype, param.span,
                            scope=ScopeKind.ROUTINE, byref=param.byref, assigned=True,
                            used=True)
            info.params.append(symbol)
        return info

    def resolve_type(self, ref: n.AnyTypeRef) -> t.PType:
        if isinstance(ref, n.ArrayTypeRef):
            element = self.resolve_type(ref.element)
            if not ref.bounds:
                return t.ArrayType(element, None, 1)
            bounds = []
            for low_expr, high_expr in ref.bounds:
                low = self._bound(low_expr)
                high = self._bound(high_expr)
                if low is not None and high is not None and low > high:
                    self.report("E207", f"The lower bound {low} is above the upper bound {high}",
                                low_expr.span.to(high_expr.span),
                                hint="Write the smaller bound first, as in [1:10].")
                    low, high = high, low
                bounds.append((low if low is not None else 0, high if high is not None else 0))
            return t.ArrayType(element, tuple(bounds), len(bounds))
        if ref.name in t.BASE_TYPES and ref.name not in ("UNKNOWN", "NUMBER"):
            return t.BASE_TYPES[ref.name]
        if ref.name == "?":
            return t.UNKNOWN
        symbol = self.ns.lookup(ref.name)
        if symbol is None or symbol.kind not in (SymbolKind.TYPE, SymbolKind.CLASS):
            guess = self._did_you_mean(ref.name, (SymbolKind.TYPE, SymbolKind.CLASS),
                                       ("INTEGER", "REAL", "CHAR", "STRING", "BOOLEAN", "DATE"))
            self.report("E204", f"Unknown type {ref.name}", ref.span,
                        hint=f"Did you mean {guess}?" if guess else
                        "Types are INTEGER, REAL, CHAR, STRING, BOOLEAN, DATE, ARRAY, or a "
                        "TYPE or CLASS defined in the program.")
            return t.UNKNOWN
        symbol.used = True
        self._check_spelling(ref.name, symbol, ref.span)
        return symbol.type

    def _bound(self, expr: n.Expr) -> int | None:
        self.expr(expr)
        value = self.const_value(expr)
        if value is _NOT_CONST or isinstance(value, bool) or not isinstance(value, int):
            self.report("E207", "An array bound must be a whole number or a CONSTANT",
                        expr.span, hint="Use a number, or a name declared with CONSTANT.")
            return None
        return value

    # ------------------------------------------------------------ pass 1: routines, globals
    def _declare_routines(self, body: list[n.Stmt]) -> None:
        # A routine written inside a block (already reported, E117) is declared too, so
        # the calls to it do not give a second error each.
        for stmt in _nested_statements(body, into_routines=True):
            if isinstance(stmt, (n.Procedure, n.Function)):
                info = self._routine_info(stmt)
                stmt.info = info
                kind = SymbolKind.FUNCTION if info.is_function else SymbolKind.PROCEDURE
                symbol = Symbol(stmt.name.name, kind, info.returns or t.UNKNOWN,
                                stmt.name.span, routine=info, used=False)
                self._new_symbol(symbol)
                info.symbol = symbol

    def _declare_globals(self, body: list[n.Stmt]) -> None:
        for stmt in _nested_statements(body):  # a DECLARE inside an IF is global too
            if isinstance(stmt, n.Declare):
                self._declare_variables(stmt, ScopeKind.GLOBAL)
            elif isinstance(stmt, n.ConstantDecl):
                self._declare_constant(stmt, ScopeKind.GLOBAL)
        for name in self.global_implicit.values():
            if self.ns.lookup(name) is None:
                symbol = Symbol(name, SymbolKind.VARIABLE, t.UNKNOWN, None, declared=False)
                self.ns.declare(symbol)
                self.symbols.append(symbol)

    def _declare_variables(self, stmt: n.Declare, scope: ScopeKind) -> None:
        vtype = self.resolve_type(stmt.type)
        stmt.symbols = []
        for name in stmt.names:
            symbol = Symbol(name.name, SymbolKind.VARIABLE, vtype, name.span, scope=scope,
                            own_python_name=scope is ScopeKind.ROUTINE and
                            name.name.lower() in self.globals_seen)
            if self._new_symbol(symbol) is not None:
                stmt.symbols.append(symbol)
                if scope is ScopeKind.ROUTINE:
                    self.routine_locals.append(symbol)

    def _declare_constant(self, stmt: n.ConstantDecl, scope: ScopeKind) -> None:
        ctype = self.expr(stmt.value)
        value = self.const_value(stmt.value)
        if value is _NOT_CONST:
            self.report("E208", f"The value of CONSTANT {stmt.name.name} must be known before "
                                "the program runs", stmt.value.span,
                        hint="Use numbers, strings and other constants only (no variables or "
                             "function calls).")
            value = None
        symbol = Symbol(stmt.name.name, SymbolKind.CONSTANT, ctype, stmt.name.span, scope=scope,
                        value=value, assigned=True)
        if self._new_symbol(symbol) is not None:
            stmt.symbol = symbol

    # ------------------------------------------------------------ statements
    def generic_visit(self, node: n.Node) -> None:
        return None

    def visit_Declare(self, stmt: n.Declare) -> None:
        if stmt.symbols is None:  # a local declaration (globals were declared in pass 1)
            if self.routine is None:
                self._declare_variables(stmt, ScopeKind.GLOBAL)
            else:
                self._declare_variables(stmt, ScopeKind.ROUTINE)

    def visit_ConstantDecl(self, stmt: n.ConstantDecl) -> None:
        if stmt.symbol is None and self.routine is not None:
            self._declare_constant(stmt, ScopeKind.ROUTINE)

    def visit_Assign(self, stmt: n.Assign) -> None:
        value_type = self.expr(stmt.value)
        target_type = self.target(stmt.target, value_type)
        self._check_assign(target_type, value_type, stmt.value, stmt.target)

    def _check_assign(self, target_type: t.PType, value_type: t.PType, value: n.Expr,
                      target: n.Expr) -> None:
        if t.assignable(target_type, value_type):
            if target_type is t.CHAR and value_type is t.STRING and isinstance(value, n.Literal) \
                    and len(value.value) > 1:  # "" is a CHAR's default: "no character"
                self.report("E301", "A CHAR holds exactly one character", value.span,
                            hint="Use a STRING variable for longer text.")
            return
        what = _describe_target(target)
        hint = "Convert the value first"
        if target_type is t.INTEGER and value_type is t.REAL:
            hint = "Use INT(x) or ROUND(x, 0) to get an INTEGER, or declare the variable REAL"
        elif target_type is t.STRING and t.is_numeric(value_type):
            hint = "Use NUM_TO_STR(x) to turn a number into a STRING"
        elif t.is_numeric(target_type) and t.is_text(value_type):
            hint = "Use STR_TO_NUM(s) to turn a STRING into a number"
        self.report("E301", f"Cannot store a {value_type.describe()} in {what}, which is "
                            f"{_a(target_type.describe())}", value.span, hint=hint + ".")

    def visit_Input(self, stmt: n.Input) -> None:
        if stmt.prompt is not None:
            self.expr(stmt.prompt)
        for target in stmt.targets:
            if not _is_lvalue(target):
                self.report("E118", "INPUT needs a variable, an array element or a field",
                            target.span, hint="Write INPUT Name.")
                continue
            target_type = self.target(target, t.STRING)
            if not t.is_scalar(target_type) or isinstance(target_type, t.EnumType):
                self.report("E312", f"INPUT cannot read a whole {target_type.describe()}",
                            target.span, hint="Read one element or field at a time, for "
                                              "example INPUT A[i].")

    def visit_Output(self, stmt: n.Output) -> None:
        for item in stmt.items:
            item_type = self.expr(item)
            if not t.is_scalar(item_type) and not isinstance(item_type, t.EnumType):
                self.report("E312", f"OUTPUT cannot show a whole {item_type.describe()}",
                            item.span, hint="Output one element or field at a time.")

    def visit_If(self, stmt: n.If) -> None:
        # An ELSEIF chain is an If in the else part of the one before: walked in a loop, so
        # a chain of thousands of branches needs no deep recursion.
        while True:
            self.condition(stmt.condition, "IF")
            self.block(stmt.then_body)
            inner = stmt.else_body[0] if len(stmt.else_body) == 1 else None
            if not (isinstance(inner, n.If) and inner.is_elseif):
                self.block(stmt.else_body)
                return
            stmt = inner

    def visit_While(self, stmt: n.While) -> None:
        self.condition(stmt.condition, "WHILE")
        self.block(stmt.body)

    def visit_Repeat(self, stmt: n.Repeat) -> None:
        self.block(stmt.body)
        self.condition(stmt.condition, "UNTIL")

    def condition(self, expr: n.Expr, where: str) -> None:
        ctype = self.expr(expr)
        if ctype is not t.BOOLEAN and ctype is not t.UNKNOWN:
            self.report("E304", f"The condition of {where} must be TRUE or FALSE, but this is "
                                f"{_a(ctype.describe())}", expr.span,
                        hint="Compare the value with something, as in X > 0 or Name = \"\".")

    def block(self, body: list[n.Stmt]) -> None:
        returned: n.Stmt | None = None
        for stmt in body:
            if returned is not None and not isinstance(stmt, n.TriviaOnly):
                self.report("W403", "This line never runs: it follows a RETURN", stmt.span,
                            hint="Remove it, or move it before the RETURN.")
                returned = None
            self.visit(stmt)
            if isinstance(stmt, n.Return):
                returned = stmt

    def visit_Case(self, stmt: n.Case) -> None:
        subject_type = self.expr(stmt.subject)
        covered = _Covered()
        for clause in stmt.clauses:
            for value in clause.values:
                if isinstance(value, n.CaseRange):
                    low_t, high_t = self.expr(value.low), self.expr(value.high)
                    self._case_type(subject_type, low_t, value.low)
                    self._case_type(subject_type, high_t, value.high)
                    low, high = self.const_value(value.low), self.const_value(value.high)
                else:
                    self._case_type(subject_type, self.expr(value), value)
                    low = high = self.const_value(value)
                if low is _NOT_CONST or high is _NOT_CONST:
                    continue
                if covered.contains(low, high):
                    self.report("I401", "This CASE value is already matched by an earlier "
                                        "clause, so this clause is never chosen", value.span,
                                hint="The first matching clause runs; remove this one or "
                                     "change its value.")
                covered.add(low, high)
            self.block(clause.body)
        if stmt.otherwise is not None:
            self.block(stmt.otherwise.body)

    def _case_type(self, subject: t.PType, value: t.PType, expr: n.Expr) -> None:
        if not t.comparable(subject, value):
            self.report("E405", f"This CASE value is {_a(value.describe())}, but CASE OF "
                                f"compares {_a(subject.describe())}", expr.span,
                        hint="Use values of the same type as the CASE OF expression.")

    def visit_For(self, stmt: n.For) -> None:
        start_t = self.expr(stmt.start)
        end_t = self.expr(stmt.end)
        step_t = self.expr(stmt.step) if stmt.step is not None else t.INTEGER
        var_t = self.target(stmt.variable, t.INTEGER, loop=True)
        symbol = stmt.variable.symbol
        if not t.is_numeric(var_t):
            self.report("E402", f"The FOR variable {stmt.variable.name} is "
                                f"{_a(var_t.describe())}; it must be a number",
                        stmt.variable.span, hint="Declare the loop variable as INTEGER.")
        else:
            for expr, etype in ((stmt.start, start_t), (stmt.end, end_t), (stmt.step, step_t)):
                if expr is None:
                    continue
                if not t.is_numeric(etype):
                    self.report("E302", f"FOR needs numbers, but this is "
                                        f"{_a(etype.describe())}", expr.span,
                                hint="Use numbers for the start, the end and the STEP.")
                elif var_t is t.INTEGER and etype is t.REAL:
                    self.report("E301", f"The INTEGER loop variable {stmt.variable.name} cannot "
                                        "count with a REAL", expr.span,
                                hint="Use whole numbers, or declare the loop variable REAL.")
        if stmt.step is not None:
            step = self.const_value(stmt.step)
            if step is not _NOT_CONST and step == 0 and not isinstance(step, str):
                self.report("E401", "A STEP of 0 never reaches the end: the loop would run "
                                    "for ever", stmt.step.span,
                            hint="Use a positive STEP to count up or a negative one to count "
                                 "down.")
                # Report on the FOR line as well (the step is on it anyway).
        if symbol is not None:
            self.loop_vars.append(symbol)
        try:
            self.block(stmt.body)
        finally:
            if symbol is not None:
                self.loop_vars.pop()

    def visit_Procedure(self, stmt: n.Procedure) -> None:
        self._routine_body(stmt)

    def visit_Function(self, stmt: n.Function) -> None:
        self._routine_body(stmt)
        if stmt.info is not None and not _always_returns(stmt.body):
            self.report("W401", f"FUNCTION {stmt.name.name} can reach ENDFUNCTION without "
                                "RETURN", stmt.name.span,
                        hint="Make sure every path ends with RETURN value.")

    def _routine_body(self, stmt: n.Procedure | n.Function) -> None:
        info: RoutineInfo | None = stmt.info
        if info is None:  # a routine inside a block (already reported): check it anyway
            info = self._routine_info(stmt)
            stmt.info = info
        outer = (self.routine, self.implicit_here, self.loop_vars, self.routine_locals,
                 self.globals_seen)
        self.routine, self.loop_vars, self.routine_locals = info, [], []
        self.globals_seen = set()
        self.implicit_here = _assigned_names(stmt.body)
        try:
            with self.ns.enter_scope(ScopeKind.ROUTINE):
                for param in info.params:
                    if self.ns.declare(param) is None:
                        self.symbols.append(param)
                self.block(stmt.body)
                for local in self.routine_locals:
                    if not local.used and local.kind is SymbolKind.VARIABLE and local.declared:
                        self.report("W212", f"{local.name} is declared but never used",
                                    local.span or stmt.span,
                                    hint="Remove the declaration, or use the variable.")
        finally:
            (self.routine, self.implicit_here, self.loop_vars, self.routine_locals,
             self.globals_seen) = outer

    def visit_ClassDef(self, stmt: n.ClassDef) -> None:
        ctype: t.ClassType | None = stmt.type_obj
        if ctype is None:
            return
        outer = self.current_class
        self.current_class = ctype
        try:
            with self.ns.enter_scope(ScopeKind.CLASS, self.class_scopes.get(id(ctype), {})):
                for member in stmt.members:
                    if isinstance(member, (n.Procedure, n.Function)):
                        self.visit(member)
        finally:
            self.current_class = outer

    def visit_RecordType(self, stmt: n.RecordType) -> None:
        return None

    def visit_CallStmt(self, stmt: n.CallStmt) -> None:
        call = stmt.call
        self.call(call, statement=True, uses_call=stmt.uses_call_keyword)
        super_call = isinstance(call.func, n.FieldAccess) and isinstance(call.func.base,
                                                                          n.SuperRef)
        info = call.target
        if not stmt.uses_call_keyword and not super_call and isinstance(info, RoutineInfo) \
                and not info.is_function:
            self.report("W107", "A PROCEDURE is run with CALL", call.span,
                        hint=f"Write CALL {_call_text(call)}.")

    def visit_Return(self, stmt: n.Return) -> None:
        info = self.routine
        if info is None or not info.is_function:
            where = "a PROCEDURE" if info is not None else "the main program"
            self.report("E403", f"RETURN is only used inside a FUNCTION, not in {where}",
                        stmt.span, hint="A PROCEDURE ends at ENDPROCEDURE; to give back a "
                                        "value, make it a FUNCTION ... RETURNS type, or use a "
                                        "BYREF parameter.")
            if stmt.value is not None:
                self.expr(stmt.value)
            return
        if stmt.value is None:
            self.report("E404", "RETURN in a FUNCTION needs a value", stmt.span,
                        hint="Write RETURN value.")
            return
        value_type = self.expr(stmt.value)
        returns = info.returns or t.UNKNOWN
        if not t.assignable(returns, value_type):
            self.report("E301", f"FUNCTION {info.name} RETURNS {_a(returns.describe())}, but "
                                f"this value is {_a(value_type.describe())}", stmt.value.span,
                        hint="Return a value of the type named after RETURNS.")

    def visit_OpenFile(self, stmt: n.OpenFile) -> None:
        self._filename(stmt.filename)

    def visit_CloseFile(self, stmt: n.CloseFile) -> None:
        self._filename(stmt.filename)

    def visit_ReadFile(self, stmt: n.ReadFile) -> None:
        self._filename(stmt.filename)
        if not _is_lvalue(stmt.target):
            self.report("E118", "READFILE needs a variable to read into", stmt.target.span,
                        hint="Write READFILE \"name.txt\", Variable.")
            return
        target_type = self.target(stmt.target, t.STRING)
        if not t.is_scalar(target_type) or isinstance(target_type, t.EnumType):
            self.report("E312", f"READFILE cannot read a whole {target_type.describe()}",
                        stmt.target.span, hint="Read into a STRING, a number or a BOOLEAN.")

    def visit_WriteFile(self, stmt: n.WriteFile) -> None:
        self._filename(stmt.filename)
        value_type = self.expr(stmt.value)
        if not t.is_scalar(value_type) and not isinstance(value_type, t.EnumType):
            self.report("E312", f"WRITEFILE cannot write a whole {value_type.describe()}",
                        stmt.value.span, hint="Write one value a line.")

    def visit_Seek(self, stmt: n.Seek) -> None:
        self._filename(stmt.filename)
        address_type = self.expr(stmt.address)
        if address_type not in (t.INTEGER, t.NUMBER, t.UNKNOWN):
            self.report("E305", f"SEEK needs an INTEGER address, but this is "
                                f"{_a(address_type.describe())}", stmt.address.span,
                        hint="The address is the number of the record: 0, 1, 2 ...")

    def visit_GetRecord(self, stmt: n.GetRecord) -> None:
        self._filename(stmt.filename)
        if not _is_lvalue(stmt.target):
            self.report("E118", "GETRECORD needs a variable to read the record into",
                        stmt.target.span, hint="Write GETRECORD \"name.dat\", Variable.")
            return
        self._storable(self.target(stmt.target, t.UNKNOWN), stmt.target, "GETRECORD")

    def visit_PutRecord(self, stmt: n.PutRecord) -> None:
        self._filename(stmt.filename)
        self._storable(self.expr(stmt.value), stmt.value, "PUTRECORD")

    def _storable(self, value_type: t.PType, expr: n.Expr, what: str) -> None:
        """Records, arrays and plain values go to a file; objects and pointers cannot."""
        if isinstance(value_type, (t.ClassType, t.PointerType)):
            self.report("E312", f"{what} cannot store {_a(value_type.describe())} in a file",
                        expr.span, hint="Store a record (TYPE ... ENDTYPE) or a plain value.")

    def _filename(self, expr: n.Expr) -> None:
        ftype = self.expr(expr)
        if not t.is_text(ftype):
            self.report("E406", f"A file name is a STRING, but this is {_a(ftype.describe())}",
                        expr.span, hint='Write the name in quotes, as in "data.txt", or use a '
                                        "STRING variable.")

    # ------------------------------------------------------------ names
    def _check_spelling(self, written: str, symbol: Symbol, span: Span) -> None:
        if written != symbol.name and symbol.name.upper() != "NEW":
            self.report("W105", f"{written} is spelled {symbol.name} where it is defined", span,
                        hint=f"Write {symbol.name} everywhere; names are not case-sensitive, "
                             "but one spelling is easier to read.")

    def _unknown_name(self, name: n.Name, assigning: bool, implied: t.PType) -> Symbol | None:
        """Create an implicit variable for an undeclared name, or report it."""
        key = name.name.lower()
        if assigning or key in self.implicit_here:
            scope = ScopeKind.GLOBAL if self.routine is None else ScopeKind.ROUTINE
            symbol = Symbol(name.name, SymbolKind.VARIABLE, implied if assigning else t.UNKNOWN,
                            None, scope=scope, declared=False)
            if scope is ScopeKind.GLOBAL:
                self.ns.globals[key] = symbol
            else:
                self.ns.declare(symbol)
            self.symbols.append(symbol)
            self._warn_undeclared(symbol, name)
            return symbol
        guess = self._did_you_mean(name.name, _VALUE_KINDS + (SymbolKind.FUNCTION,))
        hint = f"Did you mean {guess}? " if guess else ""
        self.report("E201", f"{name.name} is used but never declared or given a value",
                    name.span, hint=hint + f"Declare it first: DECLARE {name.name} : INTEGER (or "
                                           "the type it needs), and give it a value.")
        return None

    def _did_you_mean(self, written: str, kinds: tuple[SymbolKind, ...],
                      extra: tuple[str, ...] = ()) -> str | None:
        """The closest known name of one of ``kinds``, for a hint about a typo."""
        candidates: dict[str, str] = {}
        for _kind, scope in self.ns.scopes:
            members = scope.every() if isinstance(scope, ClassScope) else scope
            for key, symbol in members.items():
                if symbol.kind in kinds and (symbol.declared or symbol.assigned):
                    candidates.setdefault(key, symbol.name)
        for name in extra:
            candidates.setdefault(name.lower(), name)
        candidates.pop(written.lower(), None)
        close = difflib.get_close_matches(written.lower(), list(candidates), n=1, cutoff=0.75)
        return candidates[close[0]] if close else None

    def _warn_undeclared(self, symbol: Symbol, name: n.Name) -> None:
        if symbol.span is None:
            symbol.span = name.span
            self.report("W210", f"{name.name} is not declared", name.span,
                        hint=f"Add DECLARE {name.name} : TYPE before it is used.")

    def name_value(self, name: n.Name) -> t.PType:
        symbol = self.ns.lookup(name.name)
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
        if symbol.scope is ScopeKind.GLOBAL and self.routine is not None:
            self.globals_seen.add(name.name.lower())
        name.symbol = symbol
        symbol.used = True
        symbol.read = True
        self._check_spelling(name.name, symbol, name.span)
        if symbol.kind in _VALUE_KINDS:
            self._check_member_access(symbol, name.span)
            if symbol.kind in (SymbolKind.VARIABLE, SymbolKind.ATTRIBUTE):
                self.reads.append(_Read(symbol, name.span))
            return symbol.type
        if symbol.kind is SymbolKind.FUNCTION:
            self._check_member_access(symbol, name.span)
            return self._call_without_brackets(symbol, name.span, "FUNCTION")
        if symbol.kind is SymbolKind.PROCEDURE:
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
        if self.current_class is not symbol.owner:
            self.report("E309", f"{symbol.name} is PRIVATE to class {symbol.owner.name}", span,
                        hint=f"Use a PUBLIC method of {symbol.owner.name} to read or change it.")

    def target(self, expr: n.Expr, implied: t.PType, loop: bool = False) -> t.PType:
        """Resolve an assignment target; return the type it holds."""
        if isinstance(expr, n.Name):
            symbol = self.ns.lookup(expr.name)
            if symbol is None:
                symbol = self._unknown_name(expr, assigning=True, implied=implied)
                if symbol is None:
                    return t.UNKNOWN
            elif not symbol.declared and symbol.span is None:
                self._warn_undeclared(symbol, expr)
            if symbol.scope is ScopeKind.GLOBAL and self.routine is not None:
                self.globals_seen.add(expr.name.lower())
            expr.symbol = symbol
            self._check_spelling(expr.name, symbol, expr.span)
            if symbol.kind is SymbolKind.CONSTANT:
                self.report("E203", f"{symbol.name} is a CONSTANT and cannot be changed",
                            expr.span, hint=f"Declare {symbol.name} as a variable with DECLARE "
                                            "if its value must change.")
                return symbol.type
            if symbol.kind not in (SymbolKind.VARIABLE, SymbolKind.PARAMETER,
                                   SymbolKind.ATTRIBUTE):
                self.report("E206", f"{symbol.name} is a {symbol.kind}; only variables can be "
                                    "assigned", expr.span, hint="Assign to a variable.")
                return t.UNKNOWN
            self._check_member_access(symbol, expr.span)
            if not symbol.declared and symbol.type is t.UNKNOWN and implied is not t.UNKNOWN:
                symbol.type = implied
            symbol.loop_only = loop and (symbol.loop_only or not symbol.assigned)
            symbol.assigned = True
            symbol.used = True
            if not loop and symbol in self.loop_vars:
                self.report("W402", f"{symbol.name} is the variable of an enclosing FOR loop",
                            expr.span, hint="Changing it inside the loop does not change how "
                                            "often the loop runs; use a WHILE loop instead.")
            if self.routine is not None and symbol.scope is ScopeKind.GLOBAL and \
                    symbol not in self.routine.global_symbols:
                self.routine.global_symbols.append(symbol)
            expr.ptype = symbol.type
            return symbol.type
        if isinstance(expr, (n.Index, n.FieldAccess, n.Deref)):
            result = self.expr(expr, as_target=True)
            root = _root_name(expr)
            if root is not None and root.symbol is not None:
                root.symbol.assigned = True
            return result
        self.report("E118", "This cannot be assigned to", expr.span,
                    hint="Assign to a variable, an array element or a field.")
        self.expr(expr)
        return t.UNKNOWN

    # ------------------------------------------------------------ expressions
    def expr(self, expr: n.Expr, as_target: bool = False) -> t.PType:
        result = self._expr(expr, as_target)
        expr.ptype = result
        return result

    def _expr(self, e: n.Expr, as_target: bool) -> t.PType:
        if isinstance(e, n.Literal):
            return t.BASE_TYPES[e.kind]
        if isinstance(e, n.Name):
            return self.name_value(e)
        if isinstance(e, n.BinaryOp):
            return self.binary(e)
        if isinstance(e, n.UnaryOp):
            operand = self.expr(e.operand)
            if e.op == "NOT":
                if operand is not t.BOOLEAN and operand is not t.UNKNOWN:
                    self.report("E302", f"NOT needs TRUE or FALSE, but this is "
                                        f"{_a(operand.describe())}", e.operand.span,
                                hint="NOT turns TRUE into FALSE and back.")
                return t.BOOLEAN
            if not t.is_numeric(operand):
                self.report("E302", f"'-' needs a number, but this is {_a(operand.describe())}",
                            e.operand.span, hint="Only numbers can be negative.")
                return t.UNKNOWN
            return operand
        if isinstance(e, n.Call):
            return self.call(e, statement=False)
        if isinstance(e, n.Index):
            return self.index(e)
        if isinstance(e, n.FieldAccess):
            return self.field_access(e, as_target)
        if isinstance(e, n.Deref):
            ptr = self.expr(e.pointer)
            if isinstance(ptr, t.PointerType):
                return ptr.target
            if ptr is not t.UNKNOWN:
                self.report("E310", f"'^' after {_a(ptr.describe())} value: only a pointer can "
                                    "be followed to what it points to", e.span,
                            hint="Declare the variable with a pointer TYPE (TYPE P = ^INTEGER).")
            return t.UNKNOWN
        if isinstance(e, n.AddressOf):
            return self.address_of(e)
        if isinstance(e, n.NewObject):
            return self.new_object(e)
        if isinstance(e, n.SuperRef):
            self.report("E508", "SUPER is used as SUPER.Method(...) inside a method", e.span,
                        hint="Write SUPER.NEW(...) in the constructor of a class that INHERITS.")
            return t.UNKNOWN
        return t.UNKNOWN  # ErrorExpr: already reported

    def binary(self, e: n.BinaryOp) -> t.PType:
        op = e.op
        left = self.expr(e.left)
        right = self.expr(e.right)
        if op in ("AND", "OR"):
            for side, stype in ((e.left, left), (e.right, right)):
                if stype is not t.BOOLEAN and stype is not t.UNKNOWN:
                    self.report("E302", f"{op} joins conditions (TRUE or FALSE), but this is "
                                        f"{_a(stype.describe())}", side.span,
                                hint="Write a comparison on each side, as in X > 0 AND X < 10.")
            return t.BOOLEAN
        if op in ("=", "<>", "<", "<=", ">", ">="):
            if not t.comparable(left, right):
                self.report("E303", f"Cannot compare {_a(left.describe())} with "
                                    f"{_a(right.describe())}", e.span,
                            hint=_compare_hint(left, right))
            elif op not in ("=", "<>") and (left is t.BOOLEAN or isinstance(
                    left, (t.PointerType, t.ClassType))):
                self.report("E303", f"{_a(left.describe()).capitalize()} can only be compared "
                                    "with = or <>", e.span, hint="Use = or <>.")
            return t.BOOLEAN
        if op == "&":
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
                                hint=f"Write NUM_TO_STR({_source_name(side)}) to make it a "
                                     "STRING first." if t.is_numeric(stype) else
                                f"Turn it into a STRING first ({convert}).")
                    continue
                self.report("E302", f"'&' joins strings, but this is "
                                    f"{_a(stype.describe())}", side.span,
                            hint="Join STRING and CHAR values only (one element or field at "
                                 "a time).")
            return t.STRING
        if op in ("+", "-") and isinstance(left, t.EnumType) and right in (
                t.INTEGER, t.NUMBER, t.UNKNOWN):
            return left  # Spring + 1 is Summer (past either end: a runtime error)
        # Arithmetic.
        for side, stype in ((e.left, left), (e.right, right)):
            if not t.is_numeric(stype):
                hint = "Use & to join strings." if op == "+" and t.is_text(stype) else \
                    "Arithmetic works on INTEGER and REAL values."
                self.report("E302", f"'{op}' needs numbers, but this is "
                                    f"{_a(stype.describe())}", side.span, hint=hint)
                return t.UNKNOWN
        if op == "/":
            return t.REAL
        if op == "^":
            if left is t.INTEGER and right is t.INTEGER:
                exponent = self.const_value(e.right)
                if exponent is _NOT_CONST:
                    return t.NUMBER
                return t.INTEGER if exponent >= 0 else t.REAL  # type: ignore[operator]
            return t.arithmetic_result(left, right) if t.REAL not in (left, right) else t.REAL
        return t.arithmetic_result(left, right)

    def index(self, e: n.Index) -> t.PType:
        base = self.expr(e.base)
        index_types = [self.expr(i) for i in e.indices]
        if base is t.UNKNOWN:
            return t.UNKNOWN
        if not isinstance(base, t.ArrayType):
            self.report("E306", f"Only an array can be indexed; this is {_a(base.describe())}",
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
                                    f"{_a(itype.describe())}", index.span,
                            hint="Use a whole number, or INT(x) to drop the fraction.")
                continue
            value = self.const_value(index)
            if base.bounds is not None and isinstance(value, int) and value is not True and \
                    value is not False:
                low, high = base.bounds[position]
                if not low <= value <= high:
                    self.report("E307", f"Index {value} is outside the bounds {low}:{high}",
                                index.span, hint=f"Use an index from {low} to {high}.")
        return base.element

    def field_access(self, e: n.FieldAccess, as_target: bool = False) -> t.PType:
        if isinstance(e.base, n.SuperRef):
            return self._super_member(e)
        base = self.expr(e.base)
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
            if symbol.kind is SymbolKind.ATTRIBUTE:
                return symbol.type
            if symbol.kind is SymbolKind.FUNCTION:
                return self._call_without_brackets(symbol, e.field_span, "Method")
            self.report("E504", f"{symbol.name} is a PROCEDURE: it gives no value",
                        e.field_span, hint=f"Use CALL ....{symbol.name}(...) on its own line.")
            return t.UNKNOWN
        if base is not t.UNKNOWN:
            self.report("E308", f"{_a(base.describe()).capitalize()} has no fields", e.span,
                        hint="Fields belong to records (TYPE ... ENDTYPE) and objects (CLASS).")
        return t.UNKNOWN

    def _super_member(self, e: n.FieldAccess) -> t.PType:
        self.report("E508", "SUPER is used to call a method: SUPER.Name(...)", e.span,
                    hint="Add the brackets and arguments.")
        return t.UNKNOWN

    def address_of(self, e: n.AddressOf) -> t.PType:
        target = e.target
        if not _is_lvalue(target):
            self.report("E118", "'@' needs a variable, an array element or a field",
                        target.span, hint="Write @Name.")
            self.expr(target)
            return t.UNKNOWN
        ttype = self.expr(target)
        root = _root_name(target)
        if isinstance(target, n.Name) and root is not None and root.symbol is not None and \
                root.symbol.scope is not ScopeKind.GLOBAL:
            self.report("E209", f"A pointer to the local variable {root.name} is not supported",
                        target.span, hint="Point to a global variable, an array element or a "
                                          "record field instead.")
        if root is not None and root.symbol is not None:
            root.symbol.assigned = True  # may be changed through the pointer
        return t.PointerType("^", ttype)

    def new_object(self, e: n.NewObject) -> t.PType:
        symbol = self.ns.lookup(e.class_name)
        arg_types = [self.expr(a) for a in e.args]
        if symbol is None or symbol.kind is not SymbolKind.CLASS:
            self.report("E507", f"{e.class_name} is not a class", e.name_span,
                        hint="NEW is followed by the name of a CLASS of the program.")
            return t.UNKNOWN
        symbol.used = True
        ctype: t.ClassType = symbol.type  # type: ignore[assignment]
        e.class_type = ctype
        found = ctype.find("new")
        info = found[0].routine if found is not None else None  # type: ignore[union-attr]
        e.constructor = info
        if self.routine is not None:
            self.routine.makes_calls = True
        params = info.params if info is not None else []
        self._check_args(f"NEW {ctype.name}", params, e.args, arg_types, e.span)
        return ctype

    # ------------------------------------------------------------ calls
    def call(self, e: n.Call, statement: bool, uses_call: bool = True) -> t.PType:
        func = e.func
        if isinstance(func, n.Name) and func.name.upper() in BUILTINS:
            # LANGUAGE.md section 1: NAME(...) is the user's routine where one of that name
            # is declared, else the built-in (a variable called Length stays a variable).
            found = self.ns.lookup(func.name)
            if found is None or found.routine is None:
                return self.builtin_call(e, func, statement)
        if isinstance(func, n.FieldAccess) and isinstance(func.base, n.SuperRef):
            return self.super_call(e, func, statement)
        symbol: Symbol | None = None
        if isinstance(func, n.Name):
            symbol = self.ns.lookup(func.name)
            if symbol is None:
                for arg in e.args:
                    self.expr(arg)
                guess = self._did_you_mean(func.name, (SymbolKind.PROCEDURE, SymbolKind.FUNCTION),
                                           tuple(BUILTINS))
                hint = f"Did you mean {guess}? " if guess else "Check the spelling, or "
                self.report("E501", f"There is no procedure or function called {func.name}",
                            func.span, hint=(hint + ("define it with PROCEDURE or FUNCTION."
                                                     if not guess else "")).strip())
                return t.UNKNOWN
            func.symbol = symbol
            symbol.used = True
            self._check_spelling(func.name, symbol, func.span)
        elif isinstance(func, n.FieldAccess):
            base = self.expr(func.base)
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
                self.report("E308", f"{_a(base.describe()).capitalize()} has no methods",
                            func.span, hint="Methods belong to objects of a CLASS.")
            if symbol is None:
                for arg in e.args:
                    self.expr(arg)
                return t.UNKNOWN
        if symbol is None or symbol.routine is None:
            for arg in e.args:
                self.expr(arg)
            if symbol is not None:
                self.report("E206", f"{symbol.name} is a {symbol.kind}, not a procedure or "
                                    "function", func.span,
                            hint="Only procedures and functions can be called.")
            return t.UNKNOWN
        info = symbol.routine
        e.target = info
        info.calls += 1
        if self.routine is not None:
            self.routine.makes_calls = True
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
        arg_types = [self._argument(arg, param) for arg, param in zip(
            e.args, info.params, strict=False)]
        arg_types += [self.expr(arg) for arg in e.args[len(info.params):]]
        self._check_args(symbol.name, info.params, e.args, arg_types, e.span)
        return info.returns or t.UNKNOWN

    def _argument(self, arg: n.Expr, param: Symbol) -> t.PType:
        if not param.byref:
            return self.expr(arg)
        if not _is_lvalue(arg) or (isinstance(arg, n.Name) and self._is_constant(arg)):
            self.report("E505", f"The BYREF parameter {param.name} needs a variable, an array "
                                "element or a field", arg.span,
                        hint="Store the value in a variable first and pass the variable.")
            return self.expr(arg)
        value_type = self.expr(arg)
        self.target(arg, param.type)
        return value_type

    def _is_constant(self, name: n.Name) -> bool:
        symbol = self.ns.lookup(name.name)
        return symbol is not None and symbol.kind is not SymbolKind.VARIABLE and \
            symbol.kind is not SymbolKind.PARAMETER and symbol.kind is not SymbolKind.ATTRIBUTE

    def _check_args(self, name: str, params: list[Symbol], args: list[n.Expr],
                    arg_types: list[t.PType], span: Span) -> None:
        if len(args) != len(params):
            self.report("E502", f"{name} takes {len(params)} argument(s), but {len(args)} "
                                f"{'is' if len(args) == 1 else 'are'} given", span,
                        hint=_signature_hint(name, params))
            return
        for arg, atype, param in zip(args, arg_types, params, strict=True):
            if not t.assignable(param.type, atype):
                self.report("E305", f"The parameter {param.name} of {name} is "
                                    f"{_a(param.type.describe())}, but this argument is "
                                    f"{_a(atype.describe())}", arg.span,
                            hint="Pass a value of the parameter's type.")
            elif param.byref and not t.assignable(atype, param.type):
                self.report("E305", f"The BYREF parameter {param.name} of {name} is "
                                    f"{_a(param.type.describe())}; the variable passed must "
                                    "have the same type", arg.span,
                            hint="Pass a variable of exactly the parameter's type.")

    def super_call(self, e: n.Call, func: n.FieldAccess, statement: bool) -> t.PType:
        ctype = self.current_class
        arg_types = [self.expr(a) for a in e.args]
        if ctype is None or self.routine is None or ctype.parent is None:
            self.report("E508", "SUPER is only used inside a method of a class that INHERITS",
                        func.span, hint="Remove SUPER, or add INHERITS Parent to the class.")
            return t.UNKNOWN
        self.routine.uses_super = True
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
        arg_types = [self.expr(a) for a in e.args]
        if statement:
            self.report("E506", f"The value of {builtin.name} is not used", e.span,
                        hint=f"Write X <- {builtin.name}(...), or OUTPUT it.")
        if len(e.args) != len(builtin.params):
            self.report("E502", f"{builtin.name} takes {len(builtin.params)} argument(s), but "
                                f"{len(e.args)} {'is' if len(e.args) == 1 else 'are'} given",
                        e.span, hint=f"{builtin.name}({', '.join(builtin.params)}) gives "
                                     f"{builtin.summary}.")
            return _builtin_result(builtin.result, arg_types, e.args, self)
        for arg, atype, kind in zip(e.args, arg_types, builtin.params, strict=True):
            ok = {
                "STRING": t.is_text(atype),
                "CHAR": t.is_text(atype),
                "INTEGER": atype in (t.INTEGER, t.NUMBER, t.UNKNOWN),
                "NUMBER": t.is_numeric(atype),
                "DATE": atype in (t.DATE, t.UNKNOWN),
            }[kind]
            if ok and kind == "CHAR" and isinstance(arg, n.Literal) and arg.kind == "STRING" \
                    and len(arg.value) != 1:
                ok = False
            if not ok:
                self.report("E305", f"{builtin.name} needs {_a(kind)} here, but this is "
                                    f"{_a(atype.describe())}", arg.span,
                            hint=f"{builtin.name}({', '.join(builtin.params)}) gives "
                                 f"{builtin.summary}.")
        return _builtin_result(builtin.result, arg_types, e.args, self)

    # ------------------------------------------------------------ constants
    def const_value(self, e: n.Expr | None) -> object:
        if e is None:
            return _NOT_CONST
        if isinstance(e, n.Literal):
            return e.value
        if isinstance(e, n.Name):
            symbol = e.symbol or self.ns.lookup(e.name)
            if symbol is not None and symbol.kind is SymbolKind.CONSTANT and \
                    symbol.value is not None:
                return symbol.value
            return _NOT_CONST
        if isinstance(e, n.UnaryOp):
            value = self.const_value(e.operand)
            if value is _NOT_CONST:
                return _NOT_CONST
            if e.op == "-" and isinstance(value, (int, float)) and not isinstance(value, bool):
                return -value
            if e.op == "NOT" and isinstance(value, bool):
                return not value
            return _NOT_CONST
        if isinstance(e, n.BinaryOp):
            left, right = self.const_value(e.left), self.const_value(e.right)
            if left is _NOT_CONST or right is _NOT_CONST:
                return _NOT_CONST
            return _fold(e.op, left, right)
        return _NOT_CONST

    # ------------------------------------------------------------ whole program
    def _whole_program_checks(self) -> None:
        warned: set[int] = set()
        for read in self.reads:
            symbol = read.symbol
            if symbol.assigned or id(symbol) in warned:
                continue
            if not t.is_scalar(symbol.type) or symbol.kind is not SymbolKind.VARIABLE:
                continue
            warned.add(id(symbol))
            self.report("W211", f"{symbol.name} is read but never given a value", read.span,
                        hint=f"Assign {symbol.name} a value (or INPUT it) before using it; "
                             "until then it holds its default value.")
        for symbol in self.ns.globals.values():
            if symbol.kind is SymbolKind.VARIABLE and symbol.declared and not symbol.used \
                    and not symbol.assigned and symbol.span is not None:
                self.report("W212", f"{symbol.name} is declared but never used", symbol.span,
                            hint="Remove the declaration, or use the variable.")


# ---------------------------------------------------------------- helpers
def _a(word: str) -> str:
    return ("an " if word[:1] in "AEIOU" else "a ") + word


def _call_text(call: n.Call) -> str:
    func = call.func
    if isinstance(func, n.Name):
        name = func.name
    elif isinstance(func, n.FieldAccess):
        owner = func.base.name if isinstance(func.base, n.Name) else "Object"
        name = f"{owner}.{func.field}"
    else:
        name = "Name"
    return f"{name}(...)" if call.args else name


def _source_name(expr: n.Expr) -> str:
    """A short way to write ``expr`` in a hint: its name, or x."""
    if isinstance(expr, n.Name):
        return expr.name
    if isinstance(expr, n.Literal) and not isinstance(expr.value, bool):
        return repr(expr.value) if not isinstance(expr.value, str) else "x"
    return "x"


def _describe_target(target: n.Expr) -> str:
    root = _root_name(target)
    if isinstance(target, n.Name):
        return target.name
    if root is not None:
        return f"an element or field of {root.name}"
    return "the target"


def _compare_hint(left: t.PType, right: t.PType) -> str:
    if t.is_numeric(left) and t.is_text(right) or t.is_text(left) and t.is_numeric(right):
        return "Convert one side: NUM_TO_STR(x) or STR_TO_NUM(s)."
    return "Compare values of the same type."


def _signature_hint(name: str, params: list[Symbol]) -> str:
    if not params:
        return f"{name} takes no arguments."
    listed = ", ".join(f"{'BYREF ' if p.byref else ''}{p.name} : {p.type.describe()}"
                       for p in params)
    return f"{name}({listed})."


def _is_lvalue(expr: n.Expr) -> bool:
    if isinstance(expr, n.Name):
        return True
    if isinstance(expr, n.Index):
        return _is_lvalue(expr.base)
    if isinstance(expr, n.FieldAccess):
        return not isinstance(expr.base, n.SuperRef) and (
            _is_lvalue(expr.base) or isinstance(expr.base, n.Call))
    return isinstance(expr, n.Deref)


def _root_name(expr: n.Expr) -> n.Name | None:
    depth = 0
    while depth < 1000:
        depth += 1
        if isinstance(expr, n.Name):
            return expr
        if isinstance(expr, (n.Index, n.FieldAccess)):
            expr = expr.base
        elif isinstance(expr, n.Deref):
            expr = expr.pointer
        else:
            return None
    return None


def _nested_statements(body: list[n.Stmt], into_routines: bool = False):
    """Every statement of a block and of the blocks inside it, in order (not the bodies of
    routines, unless ``into_routines``)."""
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        yield stmt
        inner: list[n.Stmt] = []
        if into_routines and isinstance(stmt, (n.Procedure, n.Function)):
            inner = stmt.body
        elif isinstance(stmt, n.If):
            inner = stmt.then_body + stmt.else_body
        elif isinstance(stmt, (n.While, n.Repeat, n.For)):
            inner = stmt.body
        elif isinstance(stmt, n.Case):
            for clause in stmt.clauses:
                inner += clause.body
            if stmt.otherwise is not None:
                inner += stmt.otherwise.body
        stack.extend(reversed(inner))


def _assigned_names(body: list[n.Stmt]) -> dict[str, str]:
    """Names assigned in a block (not inside nested routines): lower case -> first spelling."""
    names: dict[str, str] = {}
    for stmt in _nested_statements(body):
        targets: list[n.Expr] = []
        if isinstance(stmt, n.Assign):
            targets = [stmt.target]
        elif isinstance(stmt, n.Input):
            targets = stmt.targets
        elif isinstance(stmt, n.ReadFile):
            targets = [stmt.target]
        elif isinstance(stmt, n.For):
            targets = [stmt.variable]
        for target in targets:
            if isinstance(target, n.Name):
                names.setdefault(target.name.lower(), target.name)
    return names


def _always_returns(body: list[n.Stmt]) -> bool:
    for stmt in reversed(body):
        if isinstance(stmt, n.TriviaOnly):
            continue
        if isinstance(stmt, n.Return):
            return True
        if isinstance(stmt, n.If):
            return bool(stmt.else_body) and _always_returns(stmt.then_body) and \
                _always_returns(stmt.else_body)
        if isinstance(stmt, n.Case):
            return stmt.otherwise is not None and all(
                _always_returns(c.body) for c in stmt.clauses) and \
                _always_returns(stmt.otherwise.body)
        return False
    return False


class _Covered:
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


def _fold(op: str, left: object, right: object) -> object:
    numbers = (int, float)
    try:
        if op == "&" and isinstance(left, str) and isinstance(right, str):
            return left + right
        if isinstance(left, bool) or isinstance(right, bool):
            if op == "AND":
                return bool(left) and bool(right)
            if op == "OR":
                return bool(left) or bool(right)
            return _NOT_CONST
        if not (isinstance(left, numbers) and isinstance(right, numbers)):
            return _NOT_CONST
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
                return _NOT_CONST
            return left ** right
    except (ZeroDivisionError, OverflowError, ValueError):
        return _NOT_CONST
    return _NOT_CONST


def _builtin_result(rule: str, arg_types: list[t.PType], args: list[n.Expr],
                    validator: Validator) -> t.PType:
    if rule == "SAME_TEXT":
        return t.CHAR if arg_types and arg_types[0] is t.CHAR else t.STRING
    if rule == "ARITH":
        if len(arg_types) != 2:
            return t.UNKNOWN
        return t.arithmetic_result(arg_types[0], arg_types[1]) if t.REAL not in arg_types \
            else t.REAL
    if rule == "ROUND":
        if len(args) == 2 and validator.const_value(args[1]) == 0:
            return t.INTEGER
        return t.REAL
    return t.BASE_TYPES[rule]
