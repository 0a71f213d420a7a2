"""Pass 1 of the validator: everything declared before the statements are walked.

Types and classes first (every TYPE and CLASS name, then record fields, pointer targets,
class members and method signatures, parents before children, inheritance cycles
broken), then every PROCEDURE and FUNCTION signature (so a call may come before the
definition), then the global variables and constants in order (constants give array
bounds). ``declare_variables``/``declare_constant`` also serve the local DECLAREs and
CONSTANTs the statement checker meets, and ``routine_info`` a routine written inside a
block. ``ProgramOutline`` reads the tree for these passes in one walk.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.language import nodes as n
from engine.language.nodes import Span
from engine.semantics import types as t
from engine.semantics.constants import NOT_CONST, const_value
from engine.semantics.context import CheckContext
from engine.semantics.expressions import ExprChecker
from engine.semantics.hints import did_you_mean
from engine.semantics.namespace import (
    ATTRIBUTE_KIND,
    CLASS_KIND,
    CLASS_SCOPE,
    CONSTANT_KIND,
    ENUM_MEMBER_KIND,
    FIELD_KIND,
    FUNCTION_KIND,
    GLOBAL_SCOPE,
    PARAMETER_KIND,
    PROCEDURE_KIND,
    ROUTINE_SCOPE,
    TYPE_KIND,
    VARIABLE_KIND,
    ClassScope,
    RoutineInfo,
    ScopeKind,
    Symbol,
)

_TYPE_STATEMENTS = (n.RecordType, n.EnumType, n.PointerType, n.ClassDef)


class Declarations:
    """Declares the names of the program that ``ctx`` describes (see the module docstring)."""

    def __init__(self, ctx: CheckContext, exprs: ExprChecker) -> None:
        self.ctx = ctx
        self.exprs = exprs
        self.report = ctx.report

    def declare_program(self, body: list[n.Stmt]) -> None:
        """Pass 1 for the main program's statements."""
        self.declare_types(body)
        # One walk of every block finds what steps 2 and 3 need (and what the statement
        # checker needs at each routine), instead of a walk per question.
        outline = ProgramOutline(body)
        self.declare_routines(outline.routines)
        self.ctx.global_implicit = outline.main_assigned
        self.ctx.routine_assigned = outline.routine_assigned
        self.declare_globals(outline.declarations)

    def _new_symbol(self, symbol: Symbol) -> Symbol | None:
        """Declare in the current scope; report a clash; return the new symbol or None."""
        existing = self.ctx.ns.declare(symbol)
        if existing is not None:
            where = f" on line {existing.span.line}" if existing.span else ""
            code = "E510" if symbol.kind in (PROCEDURE_KIND, FUNCTION_KIND,
                                             TYPE_KIND, CLASS_KIND) else "E202"
            self.report(code, f"{symbol.name} is already defined{where}",
                        symbol.span or Span(1, 1, 1, 1),
                        hint="Use a different name, or remove one of the two definitions.")
            return None
        self.ctx.symbols.append(symbol)
        return symbol

    # ------------------------------------------------------------ pass 1: types
    def declare_types(self, body: list[n.Stmt]) -> None:
        classes: list[n.ClassDef] = []
        # The type statements, found with one test a statement; the later steps walk
        # only them (a program has few TYPEs and thousands of other statements).
        declared = [stmt for stmt in body if isinstance(stmt, _TYPE_STATEMENTS)]
        for stmt in declared:
            if isinstance(stmt, n.RecordType):
                stmt.type_obj = t.RecordType(stmt.name.name)
            elif isinstance(stmt, n.EnumType):
                stmt.type_obj = t.EnumType(stmt.name.name, [m.name for m in stmt.members])
            elif isinstance(stmt, n.PointerType):
                stmt.type_obj = t.PointerType(stmt.name.name)
            else:
                stmt.type_obj = t.ClassType(stmt.name.name)
                classes.append(stmt)
            kind = CLASS_KIND if isinstance(stmt, n.ClassDef) else TYPE_KIND
            symbol = Symbol(stmt.name.name, kind, stmt.type_obj, stmt.name.span)
            self._new_symbol(symbol)
            stmt.type_obj.symbol = symbol
        for stmt in declared:
            if isinstance(stmt, n.EnumType):
                stmt.type_obj.member_symbols = []
                for member in stmt.members:
                    symbol = Symbol(member.name, ENUM_MEMBER_KIND, stmt.type_obj,
                                    member.span, owner=stmt.type_obj, assigned=True)
                    self._new_symbol(symbol)
                    stmt.type_obj.member_symbols.append(symbol)
        for stmt in declared:
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
                symbol = Symbol(name.name, FIELD_KIND, field_type, name.span,
                                owner=record, assigned=True, used=True)
                decl.symbols.append(symbol)
                record.field_symbols[key] = symbol
                self.ctx.symbols.append(symbol)

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
                    symbol = Symbol(name.name, ATTRIBUTE_KIND, member_type, name.span,
                                    scope=CLASS_SCOPE, access=member.access, owner=ctype,
                                    assigned=True)
                    if self._add_member(own, symbol):
                        member.symbols.append(symbol)
            elif isinstance(member, (n.Procedure, n.Function)):
                info = self.routine_info(member, owner=ctype)
                kind = FUNCTION_KIND if isinstance(member, n.Function) else \
                    PROCEDURE_KIND
                symbol = Symbol(member.name.name, kind, info.returns or t.UNKNOWN,
                                member.name.span, scope=CLASS_SCOPE, access=member.access,
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
        parent_scope = self.ctx.class_scopes.get(id(ctype.parent)) if ctype.parent else None
        self.ctx.class_scopes[id(ctype)] = ClassScope(own, parent_scope)

    def _add_member(self, own: dict[str, Symbol], symbol: Symbol) -> bool:
        key = symbol.name.lower()
        if key in own:
            self.report("E202", f"{symbol.name} is already a member of this class",
                        symbol.span or Span(1, 1, 1, 1), hint="Give each member its own name.")
            return False
        own[key] = symbol
        self.ctx.symbols.append(symbol)
        return True

    def routine_info(self, stmt: n.Procedure | n.Function,
                      owner: t.ClassType | None = None) -> RoutineInfo:
        is_function = isinstance(stmt, n.Function)
        info = RoutineInfo(stmt.name.name, is_function, owner=owner, access=stmt.access)
        if isinstance(stmt, n.Function):
            info.returns = self.resolve_type(stmt.returns)
        seen: set[str] = set()
        for param in stmt.params:
            ptype = self.resolve_type(param.type)
            key = param.name.lower()
            if key in seen:
                self.report("E202", f"Parameter {param.name} appears twice", param.span,
                            hint="Give each parameter its own name.")
            seen.add(key)
            symbol = Symbol(param.name, PARAMETER_KIND, ptype, param.span,
                            scope=ROUTINE_SCOPE, byref=param.byref, assigned=True,
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
        symbol = self.ctx.ns.lookup(ref.name)
        if symbol is None or symbol.kind not in (TYPE_KIND, CLASS_KIND):
            guess = did_you_mean(self.ctx.ns, ref.name, (TYPE_KIND, CLASS_KIND),
                                       ("INTEGER", "REAL", "CHAR", "STRING", "BOOLEAN", "DATE"))
            self.report("E204", f"Unknown type {ref.name}", ref.span,
                        hint=f"Did you mean {guess}?" if guess else
                        "Types are INTEGER, REAL, CHAR, STRING, BOOLEAN, DATE, ARRAY, or a "
                        "TYPE or CLASS defined in the program.")
            return t.UNKNOWN
        symbol.used = True
        self.exprs.check_spelling(ref.name, symbol, ref.span)
        return symbol.type

    def _bound(self, expr: n.Expr) -> int | None:
        self.exprs.check(expr)
        value = const_value(self.ctx.ns, expr)
        if value is NOT_CONST or isinstance(value, bool) or not isinstance(value, int):
            self.report("E207", "An array bound must be a whole number or a CONSTANT",
                        expr.span, hint="Use a number, or a name declared with CONSTANT.")
            return None
        return value

    # ------------------------------------------------------------ pass 1: routines, globals
    def declare_routines(self, routines: list[n.Procedure | n.Function]) -> None:
        """Every routine's signature (``ProgramOutline.routines``: a routine written inside
        a block, already reported (E117), is declared too, so the calls to it do not give
        a second error each)."""
        for stmt in routines:
            info = self.routine_info(stmt)
            stmt.info = info
            kind = FUNCTION_KIND if info.is_function else PROCEDURE_KIND
            symbol = Symbol(stmt.name.name, kind, info.returns or t.UNKNOWN,
                            stmt.name.span, routine=info, used=False)
            self._new_symbol(symbol)
            info.symbol = symbol

    def declare_globals(self, declarations: list[n.Declare | n.ConstantDecl]) -> None:
        """The main program's DECLAREs and CONSTANTs (``ProgramOutline.declarations``: a
        DECLARE inside an IF is global too), then its implicit variables."""
        for stmt in declarations:
            if isinstance(stmt, n.Declare):
                self.declare_variables(stmt, GLOBAL_SCOPE)
            elif isinstance(stmt, n.ConstantDecl):
                self.declare_constant(stmt, GLOBAL_SCOPE)
        for name in self.ctx.global_implicit.values():
            if self.ctx.ns.lookup(name) is None:
                symbol = Symbol(name, VARIABLE_KIND, t.UNKNOWN, None, declared=False)
                self.ctx.ns.declare(symbol)
                self.ctx.symbols.append(symbol)

    def declare_variables(self, stmt: n.Declare, scope: ScopeKind) -> None:
        vtype = self.resolve_type(stmt.type)
        stmt.symbols = []
        for name in stmt.names:
            symbol = Symbol(name.name, VARIABLE_KIND, vtype, name.span, scope=scope,
                            own_python_name=scope is ROUTINE_SCOPE and
                            name.name.lower() in self.ctx.globals_seen)
            if self._new_symbol(symbol) is not None:
                stmt.symbols.append(symbol)
                if scope is ROUTINE_SCOPE:
                    self.ctx.routine_locals.append(symbol)

    def declare_constant(self, stmt: n.ConstantDecl, scope: ScopeKind) -> None:
        ctype = self.exprs.check(stmt.value)
        value = const_value(self.ctx.ns, stmt.value)
        if value is NOT_CONST:
            self.report("E208", f"The value of CONSTANT {stmt.name.name} must be known before "
                                "the program runs", stmt.value.span,
                        hint="Use numbers, strings and other constants only (no variables or "
                             "function calls).")
            value = None
        symbol = Symbol(stmt.name.name, CONSTANT_KIND, ctype, stmt.name.span, scope=scope,
                        value=value, assigned=True)
        if self._new_symbol(symbol) is not None:
            stmt.symbol = symbol


# How ``ProgramOutline`` walks each statement class: found once per class with the
# isinstance tests the walk used to make for every statement (so a subclass walks like
# its base), then one dict look-up a statement.
_LEAF, _ASSIGN, _TARGETS, _FOR, _IF, _BODY, _CASE, _ROUTINE, _DECLARATION = range(9)
_WALK_KINDS: dict[type, int] = {}


def _walk_kind(cls: type) -> int:
    if issubclass(cls, (n.Procedure, n.Function)):
        kind = _ROUTINE
    elif issubclass(cls, (n.Declare, n.ConstantDecl)):
        kind = _DECLARATION
    elif issubclass(cls, (n.Assign, n.ReadFile)):
        kind = _ASSIGN
    elif issubclass(cls, n.Input):
        kind = _TARGETS
    elif issubclass(cls, n.For):
        kind = _FOR
    elif issubclass(cls, n.If):
        kind = _IF
    elif issubclass(cls, (n.While, n.Repeat)):
        kind = _BODY
    elif issubclass(cls, n.Case):
        kind = _CASE
    else:
        kind = _LEAF
    _WALK_KINDS[cls] = kind
    return kind


class ProgramOutline:
    """What pass 1 and the statement checker need from the blocks of a program, found in
    one walk of every statement, in order (blocks inside IF, CASE and loops too; not class
    bodies):

    - ``routines``: every PROCEDURE and FUNCTION, those inside routines and blocks too
      (only when ``into_routines``);
    - ``declarations``: the DECLAREs and CONSTANTs outside routines;
    - ``main_assigned``: the names assigned outside routines (lower case -> first
      spelling): variables that may be used before their assignment;
    - ``routine_assigned``: id(routine) -> the names assigned in its body (not in the
      routines inside it).
    """

    def __init__(self, body: list[n.Stmt], into_routines: bool = True) -> None:
        self.routines: list[n.Procedure | n.Function] = []
        self.declarations: list[n.Declare | n.ConstantDecl] = []
        self.main_assigned: dict[str, str] = {}
        self.routine_assigned: dict[int, dict[str, str]] = {}
        main = self.main_assigned
        kinds = _WALK_KINDS
        # A stack of (block, the names its assignments go to), not recursion: nesting may be
        # thousands deep (an ELSEIF chain). Each block is read by a for loop until a
        # statement with blocks inside: those go on top, and the block goes on after them.
        stack: list[tuple[Iterator[n.Stmt], dict[str, str]]] = [(iter(body), main)]
        while stack:
            statements, names = stack[-1]
            for stmt in statements:
                kind = kinds.get(stmt.__class__)
                if kind is None:
                    kind = _walk_kind(stmt.__class__)
                if kind is _ASSIGN:  # the most common statement first
                    target = stmt.target
                    if isinstance(target, n.Name):
                        names.setdefault(target.name.lower(), target.name)
                    continue
                if kind is _LEAF:
                    continue
                if kind is _DECLARATION:
                    if names is main:
                        self.declarations.append(stmt)
                    continue
                if kind is _TARGETS:
                    for target in stmt.targets:
                        if isinstance(target, n.Name):
                            names.setdefault(target.name.lower(), target.name)
                    continue
                if kind is _IF:
                    stack.append((iter(stmt.else_body), names))
                    stack.append((iter(stmt.then_body), names))
                elif kind is _FOR:
                    target = stmt.variable
                    if isinstance(target, n.Name):
                        names.setdefault(target.name.lower(), target.name)
                    stack.append((iter(stmt.body), names))
                elif kind is _BODY:
                    stack.append((iter(stmt.body), names))
                elif kind is _CASE:
                    if stmt.otherwise is not None:
                        stack.append((iter(stmt.otherwise.body), names))
                    for clause in reversed(stmt.clauses):
                        stack.append((iter(clause.body), names))
                elif into_routines:  # _ROUTINE
                    self.routines.append(stmt)
                    inner: dict[str, str] = {}
                    self.routine_assigned[id(stmt)] = inner
                    stack.append((iter(stmt.body), inner))
                else:
                    continue
                break  # walk the blocks just put on the stack first
            else:
                stack.pop()


def assigned_names(body: list[n.Stmt]) -> dict[str, str]:
    """Names assigned in a block (not inside nested routines): lower case -> first spelling."""
    return ProgramOutline(body, into_routines=False).main_assigned
