"""Declarations, types, classes and routines -> Python (LANGUAGE.md sections 3, 6, 8, 10).

DECLARE and CONSTANT become annotated assignments; records become dataclasses,
enumerations ``enum.IntEnum``, classes Python classes (attributes set in ``__init__``);
PROCEDURE and FUNCTION become ``def`` (BYVAL arrays and records copied on entry, BYREF
parameters returned). Also the order Python needs them in: types before their users,
parent classes before their children.
"""

from __future__ import annotations

import ast

from engine.codegen.base import GeneratorBase
from engine.codegen.pyast import (
    LOAD,
    STORE,
    _arguments,
    _attr,
    _call,
    _const,
    _is_literal,
    _name,
    _no_args,
)
from engine.language import nodes as n
from engine.semantics import types as t
from engine.semantics.namespace import RoutineInfo, Symbol

# The only name a generated record's class body evaluates (annotations stay text, other
# defaults are made by lambdas): a field may not be called this.
RECORD_BODY_NAMES = frozenset({"field"})
# Names Python's enum refuses for a member (the rest start with "_", as no pseudocode name does).
ENUM_RESERVED_NAMES = frozenset({"mro"})
# The Python type of each simple pseudocode type (annotations, array element makers).
_SIMPLE_TYPES: dict[t.PType, str] = {t.INTEGER: "int", t.REAL: "float", t.STRING: "str",
                                     t.CHAR: "str", t.BOOLEAN: "bool"}


class DeclarationGenerator(GeneratorBase):
    # ------------------------------------------------------------ declarations
    def visit_TriviaOnly(self, stmt: n.TriviaOnly) -> list[ast.stmt]:
        return []

    def visit_Declare(self, stmt: n.Declare) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for symbol in stmt.symbols or []:
            out.append(ast.AnnAssign(  # positional: target, annotation, value, simple
                ast.Name(symbol.python_name, STORE), self.annotation(symbol.type),
                self.default(symbol.type, stmt.type), 1))
        return out

    def visit_ConstantDecl(self, stmt: n.ConstantDecl) -> list[ast.stmt]:
        if stmt.symbol is None:
            return []
        return [ast.Assign(targets=[_name(stmt.symbol.python_name, ast.Store())],
                           value=self.expr(stmt.value), lineno=0)]

    def annotation(self, ptype: t.PType) -> ast.expr:
        simple = _SIMPLE_TYPES.get(ptype)
        if simple is not None:
            return ast.Name(simple, LOAD)
        if ptype is t.DATE:
            self.use_import("import datetime")
            return _attr(_name("datetime"), "date")
        if isinstance(ptype, t.ArrayType):
            self.helper("_Array")
            return _name("_Array")
        if isinstance(ptype, t.PointerType):
            self.helper("_Pointer")
            self.needs_future = True
            return ast.BinOp(left=_name("_Pointer"), op=ast.BitOr(), right=ast.Constant(None))
        if isinstance(ptype, t.ClassType):
            self.needs_future = True
            return ast.BinOp(left=_name(self.type_name(ptype)), op=ast.BitOr(),
                             right=ast.Constant(None))
        if isinstance(ptype, (t.RecordType, t.EnumType)):
            self.needs_future = True
            return _name(self.type_name(ptype))
        return _name("object")

    def type_name(self, ptype: t.PType) -> str:
        symbol = getattr(ptype, "symbol", None)
        if symbol is not None:
            return symbol.python_name
        return ptype.name

    def default(self, ptype: t.PType, ref: n.AnyTypeRef | None) -> ast.expr:
        if ptype is t.INTEGER:
            return ast.Constant(0)
        if ptype is t.REAL:
            return ast.Constant(0.0)
        if ptype is t.STRING or ptype is t.CHAR:
            return ast.Constant("")
        if ptype is t.BOOLEAN:
            return ast.Constant(False)
        if ptype is t.DATE:
            self.use_import("import datetime")
            return _call(_attr(_name("datetime"), "date"), ast.Constant(1970), ast.Constant(1),
                         ast.Constant(1))
        if isinstance(ptype, t.ArrayType):
            self.helper("_Array")
            bounds: list[ast.expr] = []
            if isinstance(ref, n.ArrayTypeRef) and ref.bounds:
                for low, high in ref.bounds:
                    bounds.append(ast.Tuple(elts=[self.expr(low), self.expr(high)],
                                            ctx=ast.Load()))
            elif ptype.bounds:
                for low_value, high_value in ptype.bounds:
                    bounds.append(ast.Tuple(elts=[_const(low_value), _const(high_value)],
                                            ctx=ast.Load()))
            return _call("_Array", self.maker(ptype.element), *bounds)
        if isinstance(ptype, t.RecordType):
            return _call(self.type_name(ptype))
        if isinstance(ptype, t.EnumType) and ptype.members:
            return _attr(_name(self.type_name(ptype)), self.enum_member(ptype, 0))
        return ast.Constant(None)

    def enum_member(self, ptype: t.EnumType, index: int) -> str:
        symbols = getattr(ptype, "member_symbols", None)
        if symbols:
            return symbols[index].python_name
        return ptype.members[index]

    def maker(self, element: t.PType) -> ast.expr:
        """A zero-argument callable giving an element's default value."""
        simple = _SIMPLE_TYPES.get(element)
        if simple is not None:
            return ast.Name(simple, LOAD)
        if isinstance(element, t.RecordType):
            return _name(self.type_name(element))
        return ast.Lambda(args=_no_args(), body=self.default(element, None))

    # ------------------------------------------------------------ types and classes
    def visit_RecordType(self, stmt: n.RecordType) -> list[ast.stmt]:
        record: t.RecordType = stmt.type_obj
        self.use_import("from dataclasses import dataclass")
        # Annotations stay text, and every default that is not a literal is made by a
        # lambda (whose body looks names up globally): so the only name the class body
        # evaluates is ``field`` (RECORD_BODY_NAMES), and a field called like a type or a
        # module (DECLARE Address : Address) can never hide it.
        self.needs_future = True
        body: list[ast.stmt] = self.header_trailing(stmt)
        for decl in stmt.fields:
            if isinstance(decl, n.TriviaOnly):
                body.extend(self.trivia(decl.before))
                continue
            self.line = decl.span.line
            body.extend(self.trivia(decl.before))
            for symbol in decl.symbols or []:
                default = self.default(symbol.type, decl.type)
                if not _is_literal(default):
                    self.use_import("from dataclasses import field")
                    factory = ast.Lambda(args=_no_args(), body=default)
                    default = _call("field", default_factory=factory)
                node = ast.AnnAssign(target=_name(symbol.python_name, ast.Store()),
                                     annotation=self.annotation(symbol.type), value=default,
                                     simple=1)
                self.lines[id(node)] = decl.span.line
                self.kept.append(node)
                body.append(node)
            if decl.trailing:
                body.append(self.marker("trailing", decl.trailing))
        if not record.fields:
            body.append(ast.Pass())
        return [ast.ClassDef(name=self.type_name(record), bases=[], keywords=[], body=body,
                             decorator_list=[_name("dataclass")], type_params=[])]

    def visit_EnumType(self, stmt: n.EnumType) -> list[ast.stmt]:
        enum_type: t.EnumType = stmt.type_obj
        self.use_import("import enum")
        body: list[ast.stmt] = self.header_trailing(stmt)
        for index in range(len(enum_type.members)):
            body.append(ast.Assign(targets=[_name(self.enum_member(enum_type, index),
                                                  ast.Store())],
                                   value=ast.Constant(index), lineno=0))
        if not enum_type.members:
            body.append(ast.Pass())
        return [ast.ClassDef(name=self.type_name(enum_type),
                             bases=[_attr(_name("enum"), "IntEnum")], keywords=[], body=body,
                             decorator_list=[], type_params=[])]

    def visit_PointerType(self, stmt: n.PointerType) -> list[ast.stmt]:
        ptr: t.PointerType = stmt.type_obj
        text = f"TYPE {stmt.name.name} = ^{ptr.target.describe()}: a pointer type (_Pointer)"
        out = [self.marker("comment", " " + text)]
        if stmt.trailing:
            out.append(self.marker("comment", stmt.trailing))
        return out

    def visit_ClassDef(self, stmt: n.ClassDef) -> list[ast.stmt]:
        ctype: t.ClassType = stmt.type_obj
        outer = self.current_class
        self.current_class = ctype
        try:
            attributes = [m for m in stmt.members if isinstance(m, n.Declare)]
            defaults: list[ast.stmt] = []
            for decl in attributes:
                for symbol in decl.symbols or []:
                    node = ast.AnnAssign(
                        target=_attr(_name("self"), symbol.python_name, ast.Store()),
                        annotation=self.annotation(symbol.type),
                        value=self.default(symbol.type, decl.type), simple=0)
                    self.lines[id(node)] = decl.span.line
                    self.kept.append(node)
                    defaults.append(node)
                    if decl.access == "PRIVATE":
                        defaults.append(self.marker("trailing",
                                                    " PRIVATE: only this class uses it"))
                    if decl.trailing:
                        defaults.append(self.marker("trailing", decl.trailing))
            body: list[ast.stmt] = self.header_trailing(stmt)
            has_new = any(isinstance(m, n.Procedure) and m.name.name.upper() == "NEW"
                          for m in stmt.members)
            if not has_new and defaults:
                body.append(self.synthetic_init(ctype, defaults, stmt.span.line))
            for member in stmt.members:
                if isinstance(member, n.Declare):
                    body.extend(self.trivia(member.before))
                    if member.trailing and not has_new and not defaults:
                        body.append(self.marker("comment", member.trailing))
                    continue
                if isinstance(member, n.TriviaOnly):
                    body.extend(self.trivia(member.before))
                    continue
                self.line = member.span.line
                body.extend(self.trivia(member.before))
                is_new = isinstance(member, n.Procedure) and member.name.name.upper() == "NEW"
                body.extend(self.mark(self.routine_def(member, defaults if is_new else []),
                                      member.span.line))
            if all(self._is_marker(s) for s in body):
                body.append(ast.Pass())
            bases = [_name(self.type_name(ctype.parent))] if ctype.parent else []
            if ctype.parent is not None:
                self.deep_recursion = True  # NEW calls its parent's NEW, and so on up
            return [ast.ClassDef(name=self.type_name(ctype), bases=bases, keywords=[],
                                 body=body, decorator_list=[], type_params=[])]
        finally:
            self.current_class = outer

    def synthetic_init(self, ctype: t.ClassType, defaults: list[ast.stmt],
                       line: int) -> ast.stmt:
        """``__init__`` for a class without NEW: set the attributes' defaults."""
        args = [ast.arg(arg="self")]
        body: list[ast.stmt] = []
        inherited = ctype.parent.find("new") if ctype.parent else None
        if inherited is not None:
            info = inherited[0].routine  # type: ignore[union-attr]
            for param in info.params:
                args.append(ast.arg(arg=param.python_name, annotation=self.annotation(
                    param.type)))
            body.append(ast.Expr(value=_call(_attr(_call("super"), "__init__"), *[
                _name(p.python_name) for p in info.params])))
        body.extend(defaults)
        node = ast.FunctionDef(name="__init__", args=_arguments(args), body=body,
                               decorator_list=[], returns=ast.Constant(None), type_params=[])
        self.mark([node, *body], line)
        return node

    # ------------------------------------------------------------ routines
    def visit_Procedure(self, stmt: n.Procedure) -> list[ast.stmt]:
        return self.routine_def(stmt, [])

    def visit_Function(self, stmt: n.Function) -> list[ast.stmt]:
        return self.routine_def(stmt, [])

    def routine_def(self, stmt: n.Procedure | n.Function,
                    defaults: list[ast.stmt]) -> list[ast.stmt]:
        self.runs_long = True
        info: RoutineInfo = stmt.info
        outer = self.routine
        self.routine = info
        self.line = stmt.span.line
        try:
            args: list[ast.arg] = []
            if info.owner is not None:
                args.append(ast.arg(arg="self"))
            head: list[ast.stmt] = self.header_trailing(stmt)
            names = sorted({s.python_name for s in info.global_symbols})
            if names:
                head.append(ast.Global(names))
            head.extend(defaults)
            annotation = self.annotation
            for param in info.params:
                args.append(ast.arg(param.python_name, annotation(param.type)))
                if not param.byref and t.is_value_type(param.type):
                    self.helper("_copy")
                    head.append(ast.Assign(targets=[_name(param.python_name, ast.Store())],
                                           value=_call("_copy", _name(param.python_name)),
                                           lineno=0))
            tail: list[ast.stmt] = []
            byref = self.byref_params(info)
            if byref and not info.is_function:
                tail.append(ast.Return(self.byref_values(byref)))
            self.mark(head, stmt.span.line)
            body = self.block(stmt.body, head, tail)
            self.mark(tail, stmt.span.line)
            returns: ast.expr
            if info.is_function:
                returns = self.annotation(info.returns or t.UNKNOWN)
                if byref:
                    returns = self.tuple_annotation([info.returns or t.UNKNOWN,
                                                     *[p.type for p in byref]])
            elif byref:
                returns = self.tuple_annotation([p.type for p in byref]) if len(byref) > 1 \
                    else self.annotation(byref[0].type)
            else:
                returns = ast.Constant(None)
            name = "__init__" if info.owner is not None and stmt.name.name.upper() == "NEW" \
                else self.routine_python_name(stmt)
            # positional: name, args, body, decorator_list, returns
            return [ast.FunctionDef(name, _arguments(args), body, [], returns, type_params=[])]
        finally:
            self.routine = outer

    def tuple_annotation(self, types: list[t.PType]) -> ast.expr:
        elements = [self.annotation(x) for x in types]
        return ast.Subscript(ast.Name("tuple", LOAD), ast.Tuple(elements, LOAD), LOAD)

    def routine_python_name(self, stmt: n.Procedure | n.Function) -> str:
        symbol = getattr(stmt.info, "symbol", None)
        return symbol.python_name if symbol is not None else stmt.name.name

    def byref_values(self, params: list[Symbol]) -> ast.expr:
        if len(params) == 1:
            return _name(params[0].python_name)
        return ast.Tuple([ast.Name(p.python_name, LOAD) for p in params], LOAD)

    def visit_Return(self, stmt: n.Return) -> list[ast.stmt]:
        info = self.routine
        if stmt.value is None or info is None:
            return [ast.Return(None)]
        value = self.coerce(self.expr(stmt.value), stmt.value, info.returns or t.UNKNOWN)
        byref = self.byref_params(info)
        if byref:
            value = ast.Tuple([value, *[ast.Name(p.python_name, LOAD) for p in byref]], LOAD)
        return [ast.Return(value)]


def _dependencies_first(types: list[n.Stmt]) -> list[n.Stmt]:
    """Enumerations and pointer types first, then records, each after the records its
    fields hold (a field's type may be defined further down: LANGUAGE.md section 6)."""
    simple = [s for s in types if not isinstance(s, n.RecordType)]
    records = [s for s in types if isinstance(s, n.RecordType)]
    by_type = {id(r.type_obj): r for r in records if r.type_obj is not None}
    ordered: list[n.Stmt] = []
    state: dict[int, int] = {}  # 1: being placed, 2: placed
    for root in records:
        stack: list[tuple[n.RecordType, bool]] = [(root, False)]
        while stack:
            record, children_done = stack.pop()
            if children_done:
                state[id(record)] = 2
                ordered.append(record)
                continue
            if state.get(id(record)):
                continue
            state[id(record)] = 1
            stack.append((record, True))
            for _spelling, ftype in (record.type_obj.fields.values()
                                     if record.type_obj is not None else []):
                while isinstance(ftype, t.ArrayType):
                    ftype = ftype.element
                inner = by_type.get(id(ftype))
                if inner is not None and not state.get(id(inner)):
                    stack.append((inner, False))
    return simple + ordered


def _parents_first(classes: list[n.ClassDef]) -> list[n.ClassDef]:
    """Each class after its parent (a chain may have thousands: no recursion)."""
    ordered: list[n.ClassDef] = []
    placed: set[int] = set()
    by_type = {id(c.type_obj): c for c in classes if c.type_obj is not None}
    for cls in classes:
        line: list[n.ClassDef] = []
        current: n.ClassDef | None = cls
        while current is not None and id(current) not in placed:
            placed.add(id(current))
            line.append(current)
            parent = current.type_obj.parent if current.type_obj is not None else None
            current = by_type.get(id(parent)) if parent is not None else None
        ordered.extend(reversed(line))
    return ordered
