"""Code generator: a validated pseudocode tree -> a Python ``ast`` tree.

Each pseudocode statement becomes the Python statement(s) that mean the same
(LANGUAGE.md sections 2-10). Comments and blank lines become marker
statements that ``emit.py`` turns back into ``#`` comments after
``ast.unparse``; every generated statement remembers its pseudocode line, so
runtime errors can name it.
"""

from __future__ import annotations

import ast
from typing import Any

from engine.codegen import bounds
from engine.language import nodes as n
from engine.language.numbers import digits_of, is_long
from engine.semantics import types as t
from engine.semantics.builtins import Builtin
from engine.semantics.namespace import RoutineInfo, ScopeKind, Symbol, SymbolKind

MARKER_PREFIX = "__pc_marker_"

_BINOPS: dict[str, ast.operator] = {
    "+": ast.Add(), "-": ast.Sub(), "*": ast.Mult(), "/": ast.Div(), "DIV": ast.FloorDiv(),
    "MOD": ast.Mod(), "^": ast.Pow(), "&": ast.Add(),
}
_CMPOPS: dict[str, ast.cmpop] = {
    "=": ast.Eq(), "<>": ast.NotEq(), "<": ast.Lt(), "<=": ast.LtE(), ">": ast.Gt(),
    ">=": ast.GtE(),
}
_FAILING_BUILTINS = frozenset({"LEFT", "RIGHT", "MID", "SUBSTRING", "STR_TO_NUM",
                               "STRING_TO_NUM", "ASC", "CHR", "ROUND", "SETDATE", "EOF", "DIV",
                               "MOD", "INT"})


def _name(identifier: str, ctx: ast.expr_context | None = None) -> ast.Name:
    return ast.Name(id=identifier, ctx=ctx or ast.Load())


def _attr(value: ast.expr, attr: str, ctx: ast.expr_context | None = None) -> ast.Attribute:
    return ast.Attribute(value=value, attr=attr, ctx=ctx or ast.Load())


def _call(func: ast.expr | str, *args: ast.expr, **keywords: ast.expr) -> ast.Call:
    if isinstance(func, str):
        func = _name(func)
    return ast.Call(func=func, args=list(args),
                    keywords=[ast.keyword(arg=k, value=v) for k, v in keywords.items()])


def _const(value: Any) -> ast.expr:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        return ast.UnaryOp(op=ast.USub(), operand=_const(-value))
    if isinstance(value, int) and not isinstance(value, bool) and is_long(value):
        # repr() refuses more than 4,300 digits: int('...') (the program lifts the limit)
        return _call("int", ast.Constant(digits_of(value)))
    return ast.Constant(value)


def _store(node: ast.expr) -> ast.expr:
    """The same target expression with a Store context."""
    if isinstance(node, ast.Name):
        return ast.Name(id=node.id, ctx=ast.Store())
    if isinstance(node, ast.Attribute):
        return ast.Attribute(value=node.value, attr=node.attr, ctx=ast.Store())
    if isinstance(node, ast.Subscript):
        return ast.Subscript(value=node.value, slice=node.slice, ctx=ast.Store())
    if isinstance(node, ast.Tuple):
        return ast.Tuple(elts=[_store(e) for e in node.elts], ctx=ast.Store())
    raise ValueError(f"not a target: {ast.dump(node)}")


# Every import a generated program may have (the helpers' own are in runtime.IMPORTS, and
# ``emit`` adds ``import sys`` and the ``__future__`` import). The namer keeps user names off
# every name these bind, so a variable called os, json or datetime can never hide a module.
GENERATED_IMPORTS = frozenset({
    "import datetime", "import enum", "import random", "import sys",
    "from dataclasses import dataclass", "from dataclasses import field",
    "from __future__ import annotations",
})
# An IF/ELSEIF chain or a CASE with more branches than this is a flat ``match`` (Python
# cannot compile thousands of nested ``elif``).
LONG_CHAIN = 400
# The only name a generated record's class body evaluates (annotations stay text, other
# defaults are made by lambdas): a field may not be called this.
RECORD_BODY_NAMES = frozenset({"field"})
# Names Python's enum refuses for a member (the rest start with "_", as no pseudocode name does).
ENUM_RESERVED_NAMES = frozenset({"mro"})


class Generator:
    # Arrays with known bounds are read through their list (``A.items[J - 1]``); False
    # takes the general checked path everywhere (tests compare the two).
    direct_arrays = True

    def __init__(self) -> None:
        self.helpers: set[str] = set()
        self.imports: set[str] = set()
        self.markers: list[tuple[str, str]] = []
        self.lines: dict[int, int] = {}
        self.may_fail = False
        # A loop or a routine: the program may run long enough to be stopped (Ctrl-C), fill
        # the memory or find its output closed, so it gets the error reporter in any case.
        self.runs_long = False
        self.deep_recursion = False
        self.big_integers = False
        self.needs_future = False
        self.routine: RoutineInfo | None = None
        self.current_class: t.ClassType | None = None
        self.prelude: list[ast.stmt] = []
        self.fixed_indices: dict[int, ast.expr] = {}  # index expressions kept in variables
        self.effects = 0      # calls already made by the statement being generated
        self.conditional = 0  # > 0 while generating what AND/OR may skip
        self.temp_count = 0
        self.line = 1
        self.facts = bounds.Facts([])
        self.ranges: dict[int, bounds.Interval] = {}  # FOR variables: the values they take

    # ------------------------------------------------------------ bookkeeping
    def use_import(self, line: str) -> None:
        assert line in GENERATED_IMPORTS, line
        self.imports.add(line)

    def helper(self, name: str) -> str:
        self.helpers.add(name)
        return name

    def marker(self, kind: str, text: str = "") -> ast.stmt:
        node = ast.Expr(value=_name(f"{MARKER_PREFIX}{len(self.markers)}__"))
        self.markers.append((kind, text))
        self.lines[id(node)] = self.line
        return node

    def mark(self, nodes: list[ast.stmt], line: int) -> list[ast.stmt]:
        for node in nodes:
            self.lines.setdefault(id(node), line)
        return nodes

    def trivia(self, items: list[n.Trivia]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for item in items:
            if item is None:
                out.append(self.marker("blank"))
            elif item.strip():
                out.append(self.marker("comment", item))
            else:
                out.append(self.marker("blank"))
        return out

    def temp(self, stem: str) -> str:
        self.temp_count += 1
        return f"_{stem}{self.temp_count}"

    # ------------------------------------------------------------ program
    def program(self, program: n.Program) -> list[ast.stmt]:
        body = program.body
        self.facts = bounds.Facts(body)
        types = _dependencies_first(
            [s for s in body if isinstance(s, (n.RecordType, n.EnumType, n.PointerType))])
        classes = _parents_first([s for s in body if isinstance(s, n.ClassDef)])
        definitions = [s for s in body if isinstance(s, (n.Procedure, n.Function, n.Declare,
                                                         n.ConstantDecl))]
        rest = [s for s in body if not isinstance(s, (n.RecordType, n.EnumType, n.PointerType,
                                                      n.ClassDef, n.Procedure, n.Function,
                                                      n.Declare, n.ConstantDecl))]
        ordered = types + classes + definitions + rest
        out: list[ast.stmt] = []
        for stmt in ordered:
            out.extend(self.statement(stmt))
        return out

    def block(self, body: list[n.Stmt], head: list[ast.stmt] | None = None,
              tail: list[ast.stmt] | None = None) -> list[ast.stmt]:
        out: list[ast.stmt] = list(head or [])
        for stmt in body:
            out.extend(self.statement(stmt))
        out.extend(tail or [])
        if all(self._is_marker(s) for s in out):
            passer = ast.Pass()
            self.lines[id(passer)] = self.line
            out.append(passer)
        return out

    @staticmethod
    def _is_marker(node: ast.stmt) -> bool:
        return isinstance(node, ast.Expr) and isinstance(node.value, ast.Name) and \
            node.value.id.startswith(MARKER_PREFIX)

    def statement(self, stmt: n.Stmt) -> list[ast.stmt]:
        self.line = stmt.span.line
        out = self.trivia(stmt.before)
        method = getattr(self, "stmt_" + type(stmt).__name__)
        outer = (self.prelude, self.effects, self.conditional)
        self.prelude, self.effects, self.conditional = [], 0, 0
        produced: list[ast.stmt] = method(stmt)
        produced = self.prelude + produced
        self.prelude, self.effects, self.conditional = outer
        self.mark(produced, stmt.span.line)
        out.extend(produced)
        if stmt.trailing is not None and not isinstance(stmt, _COMPOUND):
            out.append(self.marker("trailing", stmt.trailing))
        return out

    def header_trailing(self, stmt: n.Stmt) -> list[ast.stmt]:
        if stmt.trailing is None:
            return []
        self.line = stmt.span.line
        return [self.marker("trailing", stmt.trailing)]

    # ------------------------------------------------------------ declarations
    def stmt_TriviaOnly(self, stmt: n.TriviaOnly) -> list[ast.stmt]:
        return []

    def stmt_Declare(self, stmt: n.Declare) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for symbol in stmt.symbols or []:
            out.append(ast.AnnAssign(
                target=_name(symbol.python_name, ast.Store()),
                annotation=self.annotation(symbol.type),
                value=self.default(symbol.type, stmt.type), simple=1))
        return out

    def stmt_ConstantDecl(self, stmt: n.ConstantDecl) -> list[ast.stmt]:
        if stmt.symbol is None:
            return []
        return [ast.Assign(targets=[_name(stmt.symbol.python_name, ast.Store())],
                           value=self.expr(stmt.value), lineno=0)]

    def annotation(self, ptype: t.PType) -> ast.expr:
        simple = {t.INTEGER: "int", t.REAL: "float", t.STRING: "str", t.CHAR: "str",
                  t.BOOLEAN: "bool"}
        if ptype in simple:
            return _name(simple[ptype])  # type: ignore[index]
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
        simple = {t.INTEGER: "int", t.REAL: "float", t.STRING: "str", t.CHAR: "str",
                  t.BOOLEAN: "bool"}
        if element in simple:
            return _name(simple[element])  # type: ignore[index]
        if isinstance(element, t.RecordType):
            return _name(self.type_name(element))
        return ast.Lambda(args=_no_args(), body=self.default(element, None))

    # ------------------------------------------------------------ types and classes
    def stmt_RecordType(self, stmt: n.RecordType) -> list[ast.stmt]:
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
                body.append(node)
            if decl.trailing:
                body.append(self.marker("trailing", decl.trailing))
        if not record.fields:
            body.append(ast.Pass())
        return [ast.ClassDef(name=self.type_name(record), bases=[], keywords=[], body=body,
                             decorator_list=[_name("dataclass")], type_params=[])]

    def stmt_EnumType(self, stmt: n.EnumType) -> list[ast.stmt]:
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

    def stmt_PointerType(self, stmt: n.PointerType) -> list[ast.stmt]:
        ptr: t.PointerType = stmt.type_obj
        text = f"TYPE {stmt.name.name} = ^{ptr.target.describe()}: a pointer type (_Pointer)"
        out = [self.marker("comment", " " + text)]
        if stmt.trailing:
            out.append(self.marker("comment", stmt.trailing))
        return out

    def stmt_ClassDef(self, stmt: n.ClassDef) -> list[ast.stmt]:
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
    def stmt_Procedure(self, stmt: n.Procedure) -> list[ast.stmt]:
        return self.routine_def(stmt, [])

    def stmt_Function(self, stmt: n.Function) -> list[ast.stmt]:
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
                head.append(ast.Global(names=names))
            head.extend(defaults)
            for param in info.params:
                args.append(ast.arg(arg=param.python_name,
                                    annotation=self.annotation(param.type)))
                if not param.byref and t.is_value_type(param.type):
                    self.helper("_copy")
                    head.append(ast.Assign(targets=[_name(param.python_name, ast.Store())],
                                           value=_call("_copy", _name(param.python_name)),
                                           lineno=0))
            tail: list[ast.stmt] = []
            byref = info.byref_params
            if byref and not info.is_function:
                tail.append(ast.Return(value=self.byref_values(byref)))
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
            return [ast.FunctionDef(name=name, args=_arguments(args), body=body,
                                    decorator_list=[], returns=returns, type_params=[])]
        finally:
            self.routine = outer

    def tuple_annotation(self, types: list[t.PType]) -> ast.expr:
        elements = [self.annotation(x) for x in types]
        return ast.Subscript(value=_name("tuple"), slice=ast.Tuple(elts=elements, ctx=ast.Load()),
                             ctx=ast.Load())

    def routine_python_name(self, stmt: n.Procedure | n.Function) -> str:
        symbol = getattr(stmt.info, "symbol", None)
        return symbol.python_name if symbol is not None else stmt.name.name

    def byref_values(self, params: list[Symbol]) -> ast.expr:
        if len(params) == 1:
            return _name(params[0].python_name)
        return ast.Tuple(elts=[_name(p.python_name) for p in params], ctx=ast.Load())

    def stmt_Return(self, stmt: n.Return) -> list[ast.stmt]:
        info = self.routine
        if stmt.value is None or info is None:
            return [ast.Return(value=None)]
        value = self.coerce(self.expr(stmt.value), stmt.value, info.returns or t.UNKNOWN)
        byref = info.byref_params
        if byref:
            value = ast.Tuple(elts=[value, *[_name(p.python_name) for p in byref]],
                              ctx=ast.Load())
        return [ast.Return(value=value)]

    # ------------------------------------------------------------ simple statements
    def stmt_Assign(self, stmt: n.Assign) -> list[ast.stmt]:
        target_type = stmt.target.ptype or t.UNKNOWN
        value = self.coerce(self.expr(stmt.value), stmt.value, target_type, copy=True)
        target = self.target(stmt.target)
        return [ast.Assign(targets=[target], value=value, lineno=0)]

    def coerce(self, value: ast.expr, expr: n.Expr, target_type: t.PType,
               copy: bool = False) -> ast.expr:
        """Make a value fit its destination: REAL stays REAL, records and arrays copy."""
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

    def stmt_Input(self, stmt: n.Input) -> list[ast.stmt]:
        self.may_fail = True
        out: list[ast.stmt] = []
        prompt = [self.expr(stmt.prompt)] if stmt.prompt is not None else []
        for target in stmt.targets:
            read = _call("input", *prompt)
            prompt = []
            out.append(ast.Assign(targets=[self.target(target)],
                                  value=self.convert_text(read, target.ptype or t.STRING),
                                  lineno=0))
        return out

    def convert_text(self, text: ast.expr, ptype: t.PType) -> ast.expr:
        """A line of text converted as INPUT and READFILE convert it."""
        converters = {t.INTEGER: "_to_integer", t.REAL: "_to_real", t.BOOLEAN: "_to_boolean",
                      t.DATE: "_to_date"}
        if ptype in converters:
            if ptype is t.DATE:
                self.use_import("import datetime")
            return _call(self.helper(converters[ptype]), text)  # type: ignore[index]
        if ptype is t.CHAR:
            return ast.Subscript(value=text, slice=ast.Slice(upper=ast.Constant(1)),
                                 ctx=ast.Load())
        return text

    def stmt_Output(self, stmt: n.Output) -> list[ast.stmt]:
        items = [self.show(self.expr(item), item) for item in stmt.items]
        if len(stmt.items) == 1 and isinstance(stmt.items[0], n.Literal) and \
                stmt.items[0].value == "":
            items = []  # OUTPUT "" is an empty line
        keywords = {"sep": ast.Constant("")} if len(items) > 1 else {}
        return [ast.Expr(value=_call("print", *items, **keywords))]

    def show(self, value: ast.expr, expr: n.Expr) -> ast.expr:
        """How OUTPUT writes a value (LANGUAGE.md section 4)."""
        ptype = expr.ptype or t.UNKNOWN
        if ptype in (t.INTEGER, t.REAL, t.STRING, t.CHAR, t.NUMBER):
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

    def stmt_CallStmt(self, stmt: n.CallStmt) -> list[ast.stmt]:
        call = stmt.call
        info = call.target
        if isinstance(info, RoutineInfo) and info.byref_params:
            targets, value = self.byref_call(call, info)
            target: ast.expr = targets[0] if len(targets) == 1 else ast.Tuple(
                elts=targets, ctx=ast.Store())
            if info.is_function:
                target = ast.Tuple(elts=[_name("_", ast.Store()), *targets], ctx=ast.Store())
            return [ast.Assign(targets=[target], value=value, lineno=0)]
        return [ast.Expr(value=self.expr(call))]

    def byref_call(self, call: n.Call, info: RoutineInfo) -> tuple[list[ast.expr], ast.expr]:
        """The call, and the targets its BYREF results are written back to.

        An element passed BYREF is the one its index names when the call starts, and its
        index is evaluated once: if the call may change a variable used in that index (a
        BYREF argument, or a global the routine assigns), or the index itself calls
        something (``A[Idx()]``: the element is read and written back, so the call would
        run twice), the index is kept in a variable first."""
        changed = {a.name.lower() for a, p in zip(call.args, info.params, strict=False)
                   if p.byref and isinstance(a, n.Name)}
        changed |= {s.name.lower() for s in info.global_symbols}
        anything = info.makes_calls
        fixed: dict[int, ast.expr] = {}
        for arg, param in zip(call.args, info.params, strict=False):
            if not param.byref:
                continue
            for index in _indices_along(arg):
                if isinstance(index, n.Literal):
                    continue
                names = {x.name.lower() for x in _names_in(index)}
                if anything or names & changed or _calls_something(index):
                    temp = self.temp("index")
                    assign = ast.Assign(targets=[_name(temp, ast.Store())],
                                        value=self.expr(index), lineno=0)
                    self.prelude.append(assign)
                    fixed[id(index)] = _name(temp)
        self.fixed_indices.update(fixed)
        try:
            value = self.call_expr(call, info)
            targets = [self.target(arg) for arg, param in zip(call.args, info.params,
                                                              strict=False) if param.byref]
        finally:
            for key in fixed:
                self.fixed_indices.pop(key, None)
        return targets, value

    # ------------------------------------------------------------ control flow
    def stmt_If(self, stmt: n.If) -> list[ast.stmt]:
        """IF ... ELSEIF ... ELSE: an ``if``/``elif`` chain, built without recursion (a chain
        may have thousands of branches); a very long one is a flat ``match``."""
        chain = [stmt]
        while True:
            last = chain[-1]
            first = last.else_body[0] if last.else_body else None
            if len(last.else_body) == 1 and isinstance(first, n.If) and first.is_elseif and \
                    not last.else_trailing:
                chain.append(first)
            else:
                break
        if len(chain) > LONG_CHAIN:
            return self.long_if_chain(chain)
        parts: list[tuple[n.If, list[ast.stmt], ast.expr, list[ast.stmt]]] = []
        for index, branch in enumerate(chain):
            saved = self.prelude
            lead: list[ast.stmt] = []
            if index:
                self.prelude = []
                self.line = branch.span.line
                lead = self.trivia(branch.before)
            test = self.condition(branch.condition)
            body = self.block(branch.then_body, self.header_trailing(branch))
            if index:
                lead = self.prelude + lead
                self.prelude = saved
            parts.append((branch, lead, test, body))
        orelse = self.final_else(chain[-1])
        for branch, lead, test, body in reversed(parts):
            node = ast.If(test=test, body=body, orelse=orelse)
            if branch is stmt:
                return [node]
            orelse = self.mark(lead + [node], branch.span.line)
        raise AssertionError("unreachable")

    def final_else(self, stmt: n.If) -> list[ast.stmt]:
        """The ELSE part of the last branch of a chain (empty when there is none)."""
        if not stmt.else_body:
            return []
        head: list[ast.stmt] = []
        if stmt.else_trailing:
            self.line = stmt.else_span.line if stmt.else_span else stmt.span.line
            head.append(self.marker("trailing", stmt.else_trailing))
        return self.block(stmt.else_body, head)

    def long_if_chain(self, chain: list[n.If]) -> list[ast.stmt]:
        """``match True:`` with one guarded case per branch: flat, so Python compiles it
        whatever its length (thousands of nested ``elif`` do not compile)."""
        cases: list[ast.match_case] = []
        for index, branch in enumerate(chain):
            self.line = branch.span.line
            lead = self.trivia(branch.before) if index else []
            self.conditional += 1  # a guard may not run: calls in it stay in place
            try:
                test = self.condition(branch.condition)
            finally:
                self.conditional -= 1
            body = self.block(branch.then_body, lead + self.header_trailing(branch))
            cases.append(self.match_case(ast.MatchAs(), test, body, branch.span.line))
        last = chain[-1]
        if last.else_body:
            line = last.else_span.line if last.else_span else last.span.line
            cases.append(self.match_case(ast.MatchAs(), None, self.final_else(last), line))
        return [ast.Match(subject=ast.Constant(True), cases=cases)]

    def match_case(self, pattern: ast.pattern, guard: ast.expr | None, body: list[ast.stmt],
                   line: int) -> ast.match_case:
        case = ast.match_case(pattern=pattern, guard=guard, body=body)
        self.lines[id(case)] = line
        return case

    def condition(self, expr: n.Expr) -> ast.expr:
        return self.expr(expr)

    def stmt_While(self, stmt: n.While) -> list[ast.stmt]:
        self.runs_long = True
        saved = self.prelude
        self.prelude = []
        test = self.condition(stmt.condition)
        hoisted, self.prelude = self.prelude, saved
        head = self.header_trailing(stmt)
        if hoisted:
            exit_test = ast.If(test=ast.UnaryOp(op=ast.Not(), operand=test),
                               body=[ast.Break()], orelse=[])
            self.mark([*hoisted, exit_test], stmt.span.line)
            body = self.block(stmt.body, head + hoisted + [exit_test])
            return [ast.While(test=ast.Constant(True), body=body, orelse=[])]
        return [ast.While(test=test, body=self.block(stmt.body, head), orelse=[])]

    def stmt_Repeat(self, stmt: n.Repeat) -> list[ast.stmt]:
        self.runs_long = True
        head = self.header_trailing(stmt)
        line = stmt.until_span.line if stmt.until_span else stmt.span.line
        body_stmts = list(stmt.body)
        inner = self.block(body_stmts, head)
        self.line = line
        saved = self.prelude
        self.prelude = []
        test = self.condition(stmt.condition)
        exit_test = ast.If(test=test, body=[ast.Break()], orelse=[])
        tail = self.prelude + [exit_test]
        self.prelude = saved
        self.mark(tail, line)
        inner = [s for s in inner if not isinstance(s, ast.Pass)] + tail
        return [ast.While(test=ast.Constant(True), body=inner, orelse=[])]

    def stmt_For(self, stmt: n.For) -> list[ast.stmt]:
        self.runs_long = True
        var_type = stmt.variable.ptype or t.INTEGER
        start = self.expr(stmt.start)
        end = self.expr(stmt.end)
        types = [var_type, stmt.start.ptype, stmt.end.ptype]
        if stmt.step is not None:
            types.append(stmt.step.ptype)
        step_value = _literal_int(stmt.step) if stmt.step is not None else 1
        integral = all(x in (t.INTEGER, None) for x in types)
        if integral and step_value is not None and step_value != 0:
            if step_value > 0:
                args = [start, _plus(end, stmt.end, 1)]
            else:
                args = [start, _plus(end, stmt.end, -1)]
            if step_value != 1:
                args.append(_const(step_value))
            elif isinstance(stmt.start, n.Literal) and stmt.start.value == 0:
                args = args[1:]  # range(0, n) is range(n)
            iterator: ast.expr = _call("range", *args)
            if bounds.loop_variable_is_kept(stmt, self.facts):
                return self.for_with_range(stmt, iterator, step_value)
        else:
            self.may_fail = True
            args = [start, end]
            if stmt.step is not None:
                args.append(self.expr(stmt.step))
            if var_type is t.REAL:
                args = [self.coerce(a, e, t.REAL) for a, e in zip(
                    args, [stmt.start, stmt.end, stmt.step], strict=False) if e is not None]
            iterator = _call(self.helper("_count"), *args)
        target = self.target(stmt.variable)
        body = self.block(stmt.body, self.header_trailing(stmt))
        return [ast.For(target=target, iter=iterator, body=body, orelse=[])]

    def for_with_range(self, stmt: n.For, iterator: ast.expr, step: int) -> list[ast.stmt]:
        """A FOR loop whose variable nothing in the body changes: inside the body its
        value is known to lie between the start and the end (array checks may go)."""
        key = id(stmt.variable.symbol)
        values = bounds.for_interval(stmt, step, self.ranges)
        outer = self.ranges.get(key)
        self.ranges[key] = values
        try:
            target = self.target(stmt.variable)
            body = self.block(stmt.body, self.header_trailing(stmt))
        finally:
            if outer is None:
                self.ranges.pop(key, None)
            else:
                self.ranges[key] = outer
        return [ast.For(target=target, iter=iterator, body=body, orelse=[])]

    def stmt_Case(self, stmt: n.Case) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        subject = self.expr(stmt.subject)
        if not isinstance(stmt.subject, (n.Name, n.Literal)):
            name = self.temp("selector")
            out.append(ast.Assign(targets=[_name(name, ast.Store())], value=subject, lineno=0))
            subject = _name(name)
        chain: list[tuple[ast.expr, list[ast.stmt]]] = []
        first = True
        for clause in stmt.clauses:
            tests: list[ast.expr] = []
            for value in clause.values:
                if isinstance(value, n.CaseRange):
                    tests.append(ast.Compare(left=self.expr(value.low),
                                             ops=[ast.LtE(), ast.LtE()],
                                             comparators=[subject, self.expr(value.high)]))
                else:
                    tests.append(ast.Compare(left=subject, ops=[ast.Eq()],
                                             comparators=[self.expr(value)]))
            test = tests[0] if len(tests) == 1 else ast.BoolOp(op=ast.Or(), values=tests)
            head = self.header_trailing(stmt) if first else []
            first = False
            self.line = clause.span.line
            head += self.trivia(clause.before)
            if clause.trailing:
                head.append(self.marker("trailing", clause.trailing))
            body = self.block(clause.body, head)
            self.lines[id(test)] = clause.span.line
            chain.append((test, body))
        orelse: list[ast.stmt] = []
        if stmt.otherwise is not None:
            self.line = stmt.otherwise.span.line
            head = self.trivia(stmt.otherwise.before)
            if stmt.otherwise.trailing:
                head.append(self.marker("trailing", stmt.otherwise.trailing))
            orelse = self.block(stmt.otherwise.body, head)
            if not chain:
                return out + orelse
        if not chain:
            return out
        if len(chain) > LONG_CHAIN:
            # Flat, so it compiles whatever the number of clauses (one case per clause).
            cases = [self.match_case(ast.MatchAs(), test, body, self.lines.get(
                id(test), stmt.span.line)) for test, body in chain]
            if stmt.otherwise is not None:
                cases.append(self.match_case(ast.MatchAs(), None, orelse,
                                             stmt.otherwise.span.line))
            return out + [ast.Match(subject=subject, cases=cases)]
        node: list[ast.stmt] = orelse
        for test, body in reversed(chain):
            if_node = ast.If(test=test, body=body, orelse=node)
            self.lines[id(if_node)] = self.lines.get(id(test), stmt.span.line)
            node = [if_node]
        return out + node

    # ------------------------------------------------------------ files
    def stmt_OpenFile(self, stmt: n.OpenFile) -> list[ast.stmt]:
        self.may_fail = True
        if stmt.mode == "RANDOM":
            return [ast.Expr(value=_call(self.helper("_open_random_file"),
                                         self.expr(stmt.filename)))]
        return [ast.Expr(value=_call(self.helper("_openfile"), self.expr(stmt.filename),
                                     ast.Constant(stmt.mode)))]

    def stmt_Seek(self, stmt: n.Seek) -> list[ast.stmt]:
        self.may_fail = True
        return [ast.Expr(value=_call(self.helper("_seek"), self.expr(stmt.filename),
                                     self.expr(stmt.address)))]

    def stmt_GetRecord(self, stmt: n.GetRecord) -> list[ast.stmt]:
        self.may_fail = True
        value = _call(self.helper("_getrecord"), self.expr(stmt.filename))
        return [ast.Assign(targets=[self.target(stmt.target)], value=value, lineno=0)]

    def stmt_PutRecord(self, stmt: n.PutRecord) -> list[ast.stmt]:
        self.may_fail = True
        return [ast.Expr(value=_call(self.helper("_putrecord"), self.expr(stmt.filename),
                                     self.expr(stmt.value)))]

    def stmt_CloseFile(self, stmt: n.CloseFile) -> list[ast.stmt]:
        self.may_fail = True
        return [ast.Expr(value=_call(self.helper("_closefile"), self.expr(stmt.filename)))]

    def stmt_ReadFile(self, stmt: n.ReadFile) -> list[ast.stmt]:
        self.may_fail = True
        line = _call(self.helper("_readfile"), self.expr(stmt.filename))
        value = self.convert_text(line, stmt.target.ptype or t.STRING)
        return [ast.Assign(targets=[self.target(stmt.target)], value=value, lineno=0)]

    def stmt_WriteFile(self, stmt: n.WriteFile) -> list[ast.stmt]:
        self.may_fail = True
        value = self.show(self.expr(stmt.value), stmt.value)
        return [ast.Expr(value=_call(self.helper("_writefile"), self.expr(stmt.filename),
                                     value))]

    # ------------------------------------------------------------ targets
    def target(self, expr: n.Expr) -> ast.expr:
        return _store(self.expr(expr))

    # ------------------------------------------------------------ expressions
    def expr(self, e: n.Expr) -> ast.expr:
        method = getattr(self, "expr_" + type(e).__name__)
        return method(e)

    def expr_Literal(self, e: n.Literal) -> ast.expr:
        if e.kind == "DATE":
            self.use_import("import datetime")
            date = e.value
            return _call(_attr(_name("datetime"), "date"), ast.Constant(date.year),
                         ast.Constant(date.month), ast.Constant(date.day))
        if e.kind == "INTEGER" and is_long(e.value):
            self.big_integers = True  # the header lifts Python's limit on long numbers
        return _const(e.value)

    def expr_ErrorExpr(self, e: n.ErrorExpr) -> ast.expr:
        return ast.Constant(None)

    def expr_Name(self, e: n.Name) -> ast.expr:
        symbol: Symbol | None = e.symbol
        if symbol is None:
            from engine.semantics.builtins import BUILTINS
            builtin = BUILTINS.get(e.name.upper())
            if builtin is not None:
                return self.builtin(builtin, [])
            return _name(e.name)
        if symbol.kind is SymbolKind.ENUM_MEMBER:
            return _attr(_name(self.type_name(symbol.owner)), symbol.python_name)  # type: ignore
        if symbol.kind in (SymbolKind.FUNCTION, SymbolKind.PROCEDURE):
            return self.routine_ref(symbol, None)
        if symbol.scope is ScopeKind.CLASS:
            return _attr(_name("self"), symbol.python_name)
        if not symbol.declared:
            self.may_fail = True
        return _name(symbol.python_name)

    def routine_ref(self, symbol: Symbol, args: list[ast.expr] | None) -> ast.expr:
        func: ast.expr = _name(symbol.python_name)
        if symbol.scope is ScopeKind.CLASS:
            func = _attr(_name("self"), symbol.python_name)
        if self.routine is not None:
            self.deep_recursion = True
        self.may_fail = True
        return _call(func, *(args or []))

    def expr_UnaryOp(self, e: n.UnaryOp) -> ast.expr:
        operand = self.expr(e.operand)
        if e.op == "NOT":
            return ast.UnaryOp(op=ast.Not(), operand=operand)
        return ast.UnaryOp(op=ast.USub(), operand=operand)

    def expr_BinaryOp(self, e: n.BinaryOp) -> ast.expr:
        op = e.op
        if op in ("AND", "OR"):
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
            return ast.BoolOp(op=ast.And() if op == "AND" else ast.Or(), values=values)
        if op in _CMPOPS:
            simplified = self.boolean_comparison(e)
            if simplified is not None:
                return simplified
            return ast.Compare(left=self.expr(e.left), ops=[_CMPOPS[op]],
                               comparators=[self.expr(e.right)])
        if op in ("/", "DIV", "MOD", "^"):
            self.may_fail = True  # division by zero, 0 ^ -1, overflow
        if op in ("^", "*"):
            self.big_integers = True
        if op == "&":
            return ast.BinOp(left=self.joined(e.left), op=ast.Add(), right=self.joined(e.right))
        if op in ("+", "-") and isinstance(e.left.ptype, t.EnumType):
            self.may_fail = True  # past either end of the enumeration
            steps = self.expr(e.right)
            if op == "-":
                steps = _negated(steps)
            return _call(self.helper("_enum_move"), self.expr(e.left), steps)
        return ast.BinOp(left=self.expr(e.left), op=_BINOPS[op], right=self.expr(e.right))

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

    def expr_Index(self, e: n.Index, direct: bool = True) -> ast.expr:
        self.may_fail = True
        base = self.expr(e.base)
        indices = [self.fixed_indices.get(id(i)) or self.expr(i) for i in e.indices]
        positions = self.checked_positions(e, base, indices) \
            if direct and self.direct_arrays else None
        if positions is not None:
            node: ast.expr = _attr(base, "items")
            for position in positions:
                node = ast.Subscript(value=node, slice=position, ctx=ast.Load())
            return node
        index = indices[0] if len(indices) == 1 else ast.Tuple(elts=indices, ctx=ast.Load())
        return ast.Subscript(value=base, slice=index, ctx=ast.Load())

    def checked_positions(self, e: n.Index, base: ast.expr,
                          indices: list[ast.expr]) -> list[ast.expr] | None:
        """Where an element is in the array's lists, checked inline where not proven.

        ``A.items[J - 1 if 1 <= J <= 10 else A.offset(J)]``: the comparisons are the
        check; ``A.offset`` (the general path) raises the runtime error that names the
        index and the bounds. Comparisons the FOR loops around prove are left out
        (``B.items[R - 1][C - 1]``). ``None`` when the access must take the general
        path (``A[i]``): bounds only known at run time, or an index with side effects
        (it would run twice)."""
        array = e.base.ptype
        if not self.facts.reliable(e.base) or len(array.bounds) != len(indices) or \
                not _repeatable(base):
            return None
        if not all(i.ptype is t.INTEGER for i in e.indices) or \
                not all(_repeatable(i) for i in indices):
            return None
        whole = indices[0] if len(indices) == 1 else ast.Tuple(elts=indices, ctx=ast.Load())
        positions: list[ast.expr] = []
        for dim, (expr, node, (low, high)) in enumerate(
                zip(e.indices, indices, array.bounds, strict=True)):
            position = _shifted(node, -low)
            known_low, known_high = bounds.interval(expr, self.ranges)
            check_low = known_low is None or known_low < low
            check_high = known_high is None or known_high > high
            test: ast.expr | None = None
            if check_low and check_high:
                test = ast.Compare(left=_const(low), ops=[ast.LtE(), ast.LtE()],
                                   comparators=[node, _const(high)])
            elif check_low:
                test = ast.Compare(left=_const(low), ops=[ast.LtE()], comparators=[node])
            elif check_high:
                test = ast.Compare(left=node, ops=[ast.LtE()], comparators=[_const(high)])
            if test is not None:
                general: ast.expr = _call(_attr(base, "offset"), whole)
                if len(indices) > 1:
                    general = ast.Subscript(value=general, slice=ast.Constant(dim),
                                            ctx=ast.Load())
                position = ast.IfExp(test=test, body=position, orelse=general)
            positions.append(position)
        return positions

    def expr_FieldAccess(self, e: n.FieldAccess) -> ast.expr:
        symbol: Symbol | None = e.symbol
        base = self.expr(e.base)
        if isinstance(e.base.ptype, t.ClassType) or e.base.ptype is t.UNKNOWN:
            self.may_fail = True  # an object variable that was never given an object
        if symbol is not None:
            if symbol.kind is SymbolKind.FUNCTION:
                self.may_fail = True
                return _call(_attr(base, symbol.python_name))
            return _attr(base, symbol.python_name)
        base_type = e.base.ptype
        if isinstance(base_type, t.RecordType):
            found = base_type.fields.get(e.field.lower())
            field_symbol = getattr(base_type, "field_symbols", {}).get(e.field.lower())
            if field_symbol is not None:
                return _attr(base, field_symbol.python_name)
            if found is not None:
                return _attr(base, found[0])
        return _attr(base, e.field)

    def expr_Deref(self, e: n.Deref) -> ast.expr:
        self.may_fail = True
        return _attr(self.expr(e.pointer), "target")

    def expr_AddressOf(self, e: n.AddressOf) -> ast.expr:
        self.helper("_Pointer")
        target = e.target
        if isinstance(target, n.Name):
            symbol = target.symbol
            if symbol is not None and symbol.scope is ScopeKind.CLASS:
                return _call("_Pointer", _name("self"), ast.Constant(symbol.python_name))
            name = symbol.python_name if symbol is not None else target.name
            return _call("_Pointer", _call("globals"), ast.Constant(name))
        if isinstance(target, n.Index):
            node = self.expr_Index(target, direct=False)  # the pointer checks its index
            assert isinstance(node, ast.Subscript)
            return _call("_Pointer", node.value, node.slice)
        if isinstance(target, n.FieldAccess):
            node = self.expr(target)
            if isinstance(node, ast.Attribute):
                return _call("_Pointer", node.value, ast.Constant(node.attr))
        if isinstance(target, n.Deref):
            return self.expr(target.pointer)
        return ast.Constant(None)

    def expr_NewObject(self, e: n.NewObject) -> ast.expr:
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

    def expr_SuperRef(self, e: n.SuperRef) -> ast.expr:
        return _call("super")

    def expr_Call(self, e: n.Call) -> ast.expr:
        target = e.target
        if isinstance(target, Builtin):
            return self.builtin(target, e.args)
        if isinstance(target, RoutineInfo):
            if target.byref_params and target.is_function:
                return self.byref_function_value(e, target)
            return self.call_expr(e, target)
        return _call(self.expr(e.func), *[self.expr(a) for a in e.args])

    def byref_function_value(self, e: n.Call, info: RoutineInfo) -> ast.expr:
        """The value of a FUNCTION with BYREF parameters, whose new values are written back.

        Normally the call goes on the line before (``_result1, X = F(X)``). When something
        else in the statement runs first, or the call sits after AND/OR (which may skip
        it), it stays in place as ``(_r := F(X), X := _r[1], _r[0])[-1]``, so the order of
        evaluation is the pseudocode's."""
        in_place = (self.effects or self.conditional) and all(
            isinstance(arg, n.Name) and arg.symbol is not None and
            arg.symbol.scope is not ScopeKind.CLASS
            for arg, param in zip(e.args, info.params, strict=False) if param.byref)
        name = self.temp("result")
        if not in_place:
            targets, value = self.byref_call(e, info)
            assign = ast.Assign(targets=[ast.Tuple(elts=[_name(name, ast.Store()), *targets],
                                                   ctx=ast.Store())], value=value, lineno=0)
            self.prelude.append(assign)
            self.effects += 1
            return _name(name)
        value = self.call_expr(e, info)
        parts: list[ast.expr] = [ast.NamedExpr(target=_name(name, ast.Store()), value=value)]
        position = 1
        for arg, param in zip(e.args, info.params, strict=False):
            if param.byref:
                stored = ast.Subscript(value=_name(name), slice=ast.Constant(position),
                                       ctx=ast.Load())
                parts.append(ast.NamedExpr(target=_name(arg.symbol.python_name, ast.Store()),
                                           value=stored))
                position += 1
        parts.append(ast.Subscript(value=_name(name), slice=ast.Constant(0), ctx=ast.Load()))
        return ast.Subscript(value=ast.Tuple(elts=parts, ctx=ast.Load()),
                             slice=_const(-1), ctx=ast.Load())

    def call_expr(self, e: n.Call, info: RoutineInfo) -> ast.expr:
        self.effects += 1
        self.may_fail = True
        if self.routine is not None:
            self.deep_recursion = True
        args: list[ast.expr] = []
        for index, arg in enumerate(e.args):
            value = self.expr(arg)
            if index < len(info.params) and not info.params[index].byref:
                value = self.coerce(value, arg, info.params[index].type, copy=False)
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

    # ------------------------------------------------------------ built-in functions
    def builtin(self, builtin: Builtin, arg_nodes: list[n.Expr]) -> ast.expr:
        name = builtin.name
        args = [self.expr(a) for a in arg_nodes]
        if name in _FAILING_BUILTINS:
            self.may_fail = True
        if name == "LEFT":
            return _call(self.helper("_left"), *args)
        if name == "RIGHT":
            return _call(self.helper("_right"), *args)
        if name in ("MID", "SUBSTRING"):
            return _call(self.helper("_mid"), *args)
        if name == "LENGTH":
            return _call("len", *args)
        if name in ("TO_UPPER", "UCASE"):
            return _call(_attr(args[0], "upper"))
        if name in ("TO_LOWER", "LCASE"):
            return _call(_attr(args[0], "lower"))
        if name in ("NUM_TO_STR", "NUM_TO_STRING"):
            return _call("str", *args)
        if name in ("STR_TO_NUM", "STRING_TO_NUM"):
            return _call(self.helper("_str_to_num"), *args)
        if name == "IS_NUM":
            return _call(self.helper("_is_num"), *args)
        if name == "ASC":
            if arg_nodes and isinstance(arg_nodes[0], n.Literal) and \
                    len(str(arg_nodes[0].value)) == 1:
                return _call("ord", *args)
            return _call(self.helper("_asc"), *args)
        if name == "CHR":
            return _call(self.helper("_chr"), *args)
        if name == "INT":
            return _call("int", *args)
        if name == "ROUND":
            return _call(self.helper("_round"), *args)
        if name == "RAND":
            self.use_import("import random")
            return ast.BinOp(left=_call(_attr(_name("random"), "random")), op=ast.Mult(),
                             right=args[0])
        if name == "RANDOM":
            self.use_import("import random")
            return _call(_attr(_name("random"), "random"))
        if name == "DIV":
            return ast.BinOp(left=args[0], op=ast.FloorDiv(), right=args[1])
        if name == "MOD":
            return ast.BinOp(left=args[0], op=ast.Mod(), right=args[1])
        if name == "SETDATE":
            self.use_import("import datetime")
            return _call(_attr(_name("datetime"), "date"), args[2], args[1], args[0])
        if name in ("DAY", "MONTH", "YEAR"):
            return _attr(args[0], name.lower())
        if name == "DAYINDEX":
            weekday = _call(_attr(args[0], "isoweekday"))
            return ast.BinOp(left=ast.BinOp(left=weekday, op=ast.Mod(), right=ast.Constant(7)),
                             op=ast.Add(), right=ast.Constant(1))
        if name in ("NOW", "TODAY"):
            self.use_import("import datetime")
            return _call(_attr(_attr(_name("datetime"), "date"), "today"))
        if name == "EOF":
            return _call(self.helper("_eof"), *args)
        raise AssertionError(f"built-in {name} has no translation")


_COMPOUND = (n.If, n.While, n.Repeat, n.For, n.Case, n.Procedure, n.Function, n.ClassDef,
             n.RecordType, n.EnumType, n.PointerType)


def _indices_along(target: n.Expr) -> list[n.Expr]:
    """The index expressions on the way to a target: ``A[i].F[j]`` gives i and j."""
    found: list[n.Expr] = []
    node: n.Expr | None = target
    while node is not None:
        if isinstance(node, n.Index):
            found.extend(node.indices)
            node = node.base
        elif isinstance(node, n.FieldAccess):
            node = node.base
        elif isinstance(node, n.Deref):
            node = node.pointer
        else:
            node = None
    return found


def _names_in(expr: n.Node) -> list[n.Name]:
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
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, (n.Call, n.NewObject)):
            return True
        stack.extend(n.iter_children(node))
    return False


def _is_literal(node: ast.expr) -> bool:
    """A default that names nothing (a number, a string, TRUE/FALSE, None)."""
    if isinstance(node, ast.UnaryOp):
        node = node.operand
    return isinstance(node, ast.Constant)


def _negated(node: ast.expr) -> ast.expr:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return _const(-node.value)
    return ast.UnaryOp(op=ast.USub(), operand=node)


def _no_args() -> ast.arguments:
    return ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                         kwarg=None, defaults=[])


def _arguments(args: list[ast.arg]) -> ast.arguments:
    return ast.arguments(posonlyargs=[], args=args, vararg=None, kwonlyargs=[], kw_defaults=[],
                         kwarg=None, defaults=[])


def _literal_int(expr: n.Expr | None) -> int | None:
    if isinstance(expr, n.Literal) and expr.kind == "INTEGER":
        return int(expr.value)
    if isinstance(expr, n.UnaryOp) and expr.op == "-":
        inner = _literal_int(expr.operand)
        return -inner if inner is not None else None
    if isinstance(expr, n.Name) and expr.symbol is not None and \
            expr.symbol.kind is SymbolKind.CONSTANT and isinstance(expr.symbol.value, int) and \
            not isinstance(expr.symbol.value, bool):
        return expr.symbol.value
    return None


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
        op: ast.operator = ast.Add() if offset > 0 else ast.Sub()
        return ast.BinOp(left=node.left, op=op, right=ast.Constant(abs(offset)))
    op = ast.Add() if amount > 0 else ast.Sub()
    return ast.BinOp(left=node, op=op, right=ast.Constant(abs(amount)))


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


def _shifted(node: ast.expr, amount: int) -> ast.expr:
    """``node + amount`` with the constants folded: ``J + 1 - 1`` is ``J``."""
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
    return ast.BinOp(left=rest, op=ast.Add() if total > 0 else ast.Sub(),
                     right=ast.Constant(abs(total)))


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
