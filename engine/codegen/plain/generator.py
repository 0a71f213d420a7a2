"""The plain style: the Python a teacher would write for the same pseudocode.

``PlainGenerator`` reads the same validated tree as the checked ``Generator`` and
inherits everything the two styles write alike (control flow, routines, BYREF as
return values, records as dataclasses, classes, comments in place). It overrides what
the checked style does through its runtime helpers:

- arrays are lists (lists of lists): a dimension declared ``[1:n]`` is a list of
  ``n + 1`` items whose item 0 is never used, so ``A[i]`` reads as in the pseudocode;
  ``[0:n]`` is a list of ``n + 1``; any other lower bound ``L`` is a list of
  ``high - L + 1`` items indexed ``A[i - L]``;
- INPUT is ``int(input())``, ``float(input())`` ...; string functions are slices;
- files are ``with open(...) as file:`` where OPENFILE and CLOSEFILE of the same file
  stand in the same block (else ``file = open(...)`` ... ``file.close()``);
- no line-number table and no exception hook: a runtime error is a Python traceback.

Where Python has nothing for a pseudocode operation (ROUND halves away from zero,
IS_NUM, STR_TO_NUM, EOF, pointers, FOR with a REAL or variable STEP), a short function
from ``plain/runtime.py`` is copied into the program, only when used.
"""

from __future__ import annotations

import ast

from engine.codegen.declarations import _parents_first
from engine.codegen.emit import _comment
from engine.codegen.generator import Generator
from engine.codegen.plain import open_arrays
from engine.codegen.plain.files import PlainFiles, _file_key, _spans_mix_files
from engine.codegen.pyast import _attr, _call, _const, _name, _plus
from engine.language import nodes as n
from engine.semantics import types as t
from engine.semantics.builtins import Builtin, Translation
from engine.semantics.namespace import RoutineInfo, ScopeKind

_SIMPLE = {t.INTEGER: "int", t.REAL: "float", t.STRING: "str", t.CHAR: "str",
           t.BOOLEAN: "bool"}


class PlainGenerator(PlainFiles, Generator):
    def __init__(self, taken: set[str]) -> None:
        super().__init__()
        self.taken = set(taken)           # Python names the program already uses
        self.functions: dict[str, str] = {}  # plain/runtime.py name -> name in the program
        self.modules: dict[str, str] = {}    # module -> the name it is imported as
        self.handles: dict[str, str] = {}    # file key -> the variable of its open file
        self.with_keys: dict[str, str] = {}  # file key -> handle inside a ``with`` block
        self.global_handles: set[str] = set()
        self.routine_handles: set[str] = set()  # handles a routine opens (``global``)
        self.recursive = False
        self.grows_integers = False
        self.file_uses: dict[str, set[int]] = {}  # file key -> routines (id) that use it
        self.defined_types: set[int] = set()  # types whose definition is already written
        self.forward_reference = False  # an annotation names a type defined further down
        self.opened_keys: set[str] = set()  # files opened FOR READ, WRITE or APPEND
        self.random_keys: set[str] = set()  # files opened FOR RANDOM
        self.files_by_name: str | None = None  # the dict of open files, where names vary
        self.docstring: list[str] = []  # the program's opening comment lines
        self.leading: tuple[int, int] | None = None  # (id of trivia list, lines it gives)
        self.open_bounds: dict[int, open_arrays.Offsets] = {}  # ARRAY OF parameters
        self.low_names: dict[int, str] = {}  # ARRAY OF parameter -> its lower bound's

    # ------------------------------------------------------------ names
    def fresh(self, stem: str) -> str:
        name = stem
        while name in self.taken:
            name += "_"
        self.taken.add(name)
        return name

    def local_name(self, stem: str) -> str:
        """A name no symbol of the program has (for a parameter: other routines may use
        the same one)."""
        name = stem
        while name in self.taken:
            name += "_"
        return name

    def function(self, name: str) -> str:
        """The program's name for a function of plain/runtime.py (copied in once)."""
        if name not in self.functions:
            self.functions[name] = self.fresh(name)
        return self.functions[name]

    def module(self, name: str) -> str:
        if name not in self.modules:
            self.modules[name] = name if name not in self.taken else self.fresh(name + "_")
        return self.modules[name]

    # ------------------------------------------------------------ program
    def program(self, program: n.Program) -> list[ast.stmt]:
        """As the checked style orders it (types, classes, routines and declarations,
        then the main program), with the main program's files grouped into ``with``."""
        self._survey(program)
        self._opening_comments(program)
        first = (n.RecordType, n.EnumType, n.PointerType)
        definitions = (n.Procedure, n.Function, n.Declare, n.ConstantDecl)
        body = program.body
        types = _dependencies_first([s for s in body if isinstance(s, first)])
        classes = _parents_first([s for s in body if isinstance(s, n.ClassDef)])
        routines = [s for s in body if isinstance(s, definitions)]
        rest = [s for s in body if not isinstance(s, (*first, n.ClassDef, *definitions))]
        out: list[ast.stmt] = []
        for stmt in types + classes + routines:
            out.extend(self.statement(stmt))
        if self.files_by_name:
            out.append(ast.AnnAssign(
                target=_name(self.files_by_name, ast.Store()), annotation=ast.Subscript(
                    value=_name("dict"), slice=ast.Tuple(elts=[_name("str"), _name("object")],
                                                         ctx=ast.Load()), ctx=ast.Load()),
                value=ast.Dict(keys=[], values=[]), simple=1))
        for stmt in self._group_files(rest):
            out.extend(self.statement(stmt))
        return out

    def _opening_comments(self, program: n.Program) -> None:
        """The comment lines that open the program become its docstring, where they can
        be one safely (no quotes or backslashes that would end or change it)."""
        if not program.body:
            return
        trivia = program.body[0].before
        lines: list[str] = []
        for item in trivia:
            if item is None or not item.strip():
                break
            lines.append(_comment(item)[2:])
        if not lines or any(not _docstring_safe(line) for line in lines) or \
                lines[0].startswith('"') or lines[-1].endswith('"') or \
                len(lines[-1]) + (6 if len(lines) == 1 else 3) > 88:  # ruff would move
            return  # the closing quotes
        self.docstring = lines
        self.leading = (id(trivia), len(lines))

    def trivia(self, items: list[n.Trivia]) -> list[ast.stmt]:
        if self.leading is not None and id(items) == self.leading[0]:
            items = items[self.leading[1]:]
            while items and (items[0] is None or not items[0].strip()):
                items = items[1:]  # the blank line under the docstring is the layout's
        return super().trivia(items)

    def block(self, body: list[n.Stmt], head: list[ast.stmt] | None = None,
              tail: list[ast.stmt] | None = None) -> list[ast.stmt]:
        return super().block(self._group_files(body), head, tail)

    def _survey(self, program: n.Program) -> None:
        """Which routines use each file, whether any routine is recursive, and the lower
        bounds of the arrays each open array parameter is given."""
        calls: dict[int, set[int]] = {}
        arrays = open_arrays.OpenArrays()

        def visit(node: n.Node, routine: int) -> None:
            stack = [node]
            while stack:
                item = stack.pop()
                if isinstance(item, (n.Procedure, n.Function)) and item is not node:
                    visit(item, id(item.info))
                    continue
                if isinstance(item, (n.OpenFile, n.ReadFile, n.WriteFile, n.CloseFile)):
                    self.file_uses.setdefault(_file_key(item.filename), set()).add(routine)
                    if isinstance(item, n.OpenFile):
                        (self.random_keys if item.mode == "RANDOM" else
                         self.opened_keys).add(_file_key(item.filename))
                if isinstance(item, (n.Seek, n.GetRecord, n.PutRecord)):
                    self.file_uses.setdefault(_file_key(item.filename), set()).add(routine)
                if isinstance(item, n.Call):
                    if isinstance(item.target, RoutineInfo):
                        calls.setdefault(routine, set()).add(id(item.target))
                        arrays.note(item, item.target)
                    elif isinstance(item.target, Builtin) and item.target.name == "EOF" \
                            and item.args:
                        self.file_uses.setdefault(_file_key(item.args[0]), set()).add(
                            routine)
                if isinstance(item, n.BinaryOp) and item.op == "^":
                    self.grows_integers = True  # INTEGERs that may grow past 4300 digits
                if isinstance(item, (n.For, n.While, n.Repeat)) and _multiplies(item):
                    self.grows_integers = True  # a product again and again: 2000! ...
                if isinstance(item, n.Literal) and item.kind == "INTEGER" and \
                        isinstance(item.value, int) and abs(item.value).bit_length() > 14000:
                    self.grows_integers = True
                stack.extend(n.iter_children(item))

        for stmt in program.body:
            if isinstance(stmt, (n.Procedure, n.Function)):
                visit(stmt, id(stmt.info))
            else:
                visit(stmt, 0)
        self.open_bounds = arrays.lower_bounds()
        self.low_names = {id(param): self.local_name(param.python_name + "_low")
                          for param in arrays.varying()}
        if set(self.file_uses) - self.opened_keys - self.random_keys or \
                self.random_keys & self.opened_keys or _spans_mix_files(program.body):
            # A file used under another name than it was opened with (OPENFILE "a.txt"
            # ... READFILE Name): the open files are kept by name, as the checked style does.
            self.files_by_name = self.fresh("open_files")
        grows = any(isinstance(stmt, (n.Procedure, n.Function)) and _multiplies(stmt)
                    for stmt in program.body)
        for start in calls:
            seen: set[int] = set()
            stack = list(calls.get(start, ()))
            while stack:
                item = stack.pop()
                if item == start and start != 0:
                    self.recursive = True
                    self.grows_integers = self.grows_integers or grows  # n * F(n - 1)
                    return
                if item not in seen:
                    seen.add(item)
                    stack.extend(calls.get(item, ()))

    # ------------------------------------------------------------ types
    def visit_RecordType(self, stmt: n.RecordType) -> list[ast.stmt]:
        """As the checked style, without its ``from __future__ import annotations`` where
        no field names a type defined further down (records come in dependency order)."""
        before = self.needs_future
        produced = super().visit_RecordType(stmt)
        self.needs_future = before or self.forward_reference
        self.defined_types.add(id(stmt.type_obj))
        return produced

    def visit_ClassDef(self, stmt: n.ClassDef) -> list[ast.stmt]:
        produced = super().visit_ClassDef(stmt)
        self.defined_types.add(id(stmt.type_obj))
        return produced

    def visit_EnumType(self, stmt: n.EnumType) -> list[ast.stmt]:
        """``class Season(enum.IntEnum)`` numbered from 1 (IntEnum: values compare in
        their declared order, and ``Season(Current + 1)`` moves along it)."""
        produced = super().visit_EnumType(stmt)
        for node in produced[0].body if isinstance(produced[0], ast.ClassDef) else []:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                node.value = ast.Constant(node.value.value + 1)
        self.defined_types.add(id(stmt.type_obj))
        return produced

    def visit_PointerType(self, stmt: n.PointerType) -> list[ast.stmt]:
        ptr: t.PointerType = stmt.type_obj
        pointer = self.function("Pointer")
        text = f"TYPE {stmt.name.name} = ^{ptr.target.describe()}: a pointer ({pointer})"
        out = [self.marker("comment", " " + text)]
        if stmt.trailing:
            out.append(self.marker("comment", stmt.trailing))
        return out

    # ------------------------------------------------------------ arrays
    def annotation(self, ptype: t.PType) -> ast.expr:
        if isinstance(ptype, t.ArrayType):
            inner = self.annotation(ptype.element)
            for _ in range(ptype.dims):
                inner = ast.Subscript(value=_name("list"), slice=inner, ctx=ast.Load())
            return inner
        if isinstance(ptype, t.PointerType):
            self.needs_future = True
            return ast.BinOp(left=_name(self.function("Pointer")), op=ast.BitOr(),
                             right=ast.Constant(None))
        if ptype is t.DATE:
            return _attr(_name(self.module("datetime")), "date")
        if isinstance(ptype, (t.ClassType, t.RecordType, t.EnumType)):
            if id(ptype) not in self.defined_types:
                self.needs_future = self.forward_reference = True  # used above its definition
            name = _name(self.type_name(ptype))
            if isinstance(ptype, t.ClassType):
                return ast.BinOp(left=name, op=ast.BitOr(), right=ast.Constant(None))
            return name
        return super().annotation(ptype)

    def default(self, ptype: t.PType, ref: n.AnyTypeRef | None) -> ast.expr:
        if ptype is t.DATE:
            return _call(_attr(_name(self.module("datetime")), "date"), ast.Constant(1970),
                         ast.Constant(1), ast.Constant(1))
        if not isinstance(ptype, t.ArrayType):
            return super().default(ptype, ref)
        sizes: list[ast.expr] = []
        if isinstance(ref, n.ArrayTypeRef) and ref.bounds:
            for (low, high), (low_value, _) in zip(ref.bounds, ptype.bounds or (),
                                                   strict=False):
                sizes.append(self.size(low, high, low_value))
        elif ptype.bounds:
            for low_value, high_value in ptype.bounds:
                sizes.append(_const(high_value + 1 if low_value in (0, 1)
                                    else high_value - low_value + 1))
        element = self.default(ptype.element, None)
        if not sizes:
            return ast.List(elts=[], ctx=ast.Load())
        mutable = isinstance(ptype.element, (t.RecordType, t.ClassType, t.ArrayType))
        if mutable:
            value: ast.expr = ast.ListComp(elt=element, generators=[_loop(sizes[-1])])
        else:
            value = ast.BinOp(left=ast.List(elts=[element], ctx=ast.Load()), op=ast.Mult(),
                              right=sizes[-1])
        for size in reversed(sizes[:-1]):
            value = ast.ListComp(elt=value, generators=[_loop(size)])
        return value

    def size(self, low: n.Expr, high: n.Expr, low_value: int) -> ast.expr:
        """The length of a list for the bounds ``low:high`` (see the module docstring)."""
        high_node = self.expr(high)
        if low_value in (0, 1):
            return _plus(high_node, high, 1)
        if isinstance(high, n.Literal) and isinstance(low, n.Literal):
            return _const(high.value - low.value + 1)
        difference = ast.BinOp(left=high_node, op=ast.Sub(), right=self.expr(low))
        return ast.BinOp(left=difference, op=ast.Add(), right=ast.Constant(1))

    def visit_Index(self, e: n.Index) -> ast.expr:
        base_type = e.base.ptype
        if not isinstance(base_type, t.ArrayType):
            return super().visit_Index(e)
        node = self.expr(e.base)
        bounds = base_type.bounds or ()
        if base_type.bounds is None and isinstance(e.base, n.Name):  # ARRAY OF: its callers'
            bounds = tuple((low, low) for low in self.open_bounds.get(id(e.base.symbol), ()))
        low_name = self.low_names.get(id(e.base.symbol)) if isinstance(e.base, n.Name) \
            else None
        for position, index in enumerate(e.indices):
            value = self.fixed_indices.get(id(index)) or self.expr(index)
            if low_name is not None:  # the lower bound came with the list
                value = ast.BinOp(left=value, op=ast.Sub(), right=_name(low_name))
            low = bounds[position][0] if position < len(bounds) else 0
            if low not in (0, 1):  # the offset written out, even after a literal
                value = ast.BinOp(left=value, op=ast.Sub() if low > 0 else ast.Add(),
                                  right=ast.Constant(abs(low))) if isinstance(
                    index, n.Literal) else _plus(value, index, -low)
            node = ast.Subscript(value=node, slice=value, ctx=ast.Load())
        return node

    def coerce(self, value: ast.expr, expr: n.Expr, target_type: t.PType,
               copy: bool = False) -> ast.expr:
        if copy and t.is_value_type(target_type) and isinstance(
                expr, (n.Name, n.Index, n.FieldAccess, n.Deref)):
            return self.copied(value, expr.ptype or target_type, target_type)
        return super().coerce(value, expr, target_type, copy=False)

    def copied(self, value: ast.expr, source: t.PType, target: t.PType) -> ast.expr:
        """A copy of an array or a record (they are values). ``A.copy()`` and
        ``copy.copy(R)`` share the objects and pointers inside, as the checked style does;
        ``copy.deepcopy`` (arrays of arrays or records, records holding records or arrays)
        also copies any object they hold (docs/language.md, The plain style)."""
        if isinstance(source, t.ArrayType) and isinstance(target, t.ArrayType) and \
                source.dims == 1 and not isinstance(source.element, (t.RecordType,
                                                                     t.ArrayType)):
            pad_source = _pads(source)
            pad_target = _pads(target)
            copy = _call(_attr(value, "copy"))
            if pad_source == pad_target:
                return copy
            if pad_target:  # [0:n-1] -> [1:n]: an unused item 0 first
                return ast.BinOp(left=ast.List(elts=[self.default(target.element, None)],
                                               ctx=ast.Load()), op=ast.Add(), right=value)
            return ast.Subscript(value=value, slice=ast.Slice(lower=ast.Constant(1)),
                                 ctx=ast.Load())
        module = self.module("copy")
        if isinstance(source, t.RecordType) and all(
                not isinstance(ftype, (t.RecordType, t.ArrayType))
                for _, ftype in source.fields.values()):
            return _call(_attr(_name(module), "copy"), value)
        return _call(_attr(_name(module), "deepcopy"), value)

    # ------------------------------------------------------------ routines
    def routine_def(self, stmt: n.Procedure | n.Function,
                    defaults: list[ast.stmt]) -> list[ast.stmt]:
        outer = self.routine_handles
        self.routine_handles = set()
        try:
            produced = super().routine_def(stmt, defaults)
            func = produced[0]
            assert isinstance(func, ast.FunctionDef)
            _drop_unneeded_copies(func, stmt, self)
            for param in stmt.info.params:
                low_name = self.low_names.get(id(param))
                if low_name is not None:
                    func.args.kwonlyargs.append(ast.arg(arg=low_name, annotation=_name("int")))
                    func.args.kw_defaults.append(None)
            if self.routine_handles:
                names = sorted(self.routine_handles)
                found = next((s for s in func.body if isinstance(s, ast.Global)), None)
                if found is not None:
                    found.names = sorted(set(found.names) | set(names))
                else:
                    func.body.insert(_after_markers(func.body), ast.Global(names=names))
            return produced
        finally:
            self.routine_handles = outer

    def call_expr(self, e: n.Call, info: RoutineInfo) -> ast.expr:
        """As the checked style calls, with the lower bound of each array given to an
        ARRAY OF parameter that takes it (open_arrays.py)."""
        node = super().call_expr(e, info)
        if self.low_names and isinstance(node, ast.Call):
            for arg, param in zip(e.args, info.params, strict=False):
                low_name = self.low_names.get(id(param))
                if low_name is not None:
                    node.keywords.append(ast.keyword(arg=low_name, value=self.lower_bound(arg)))
        return node

    def lower_bound(self, arg: n.Expr) -> ast.expr:
        """The lower bound of an array as its list is indexed (0 for 0 and 1)."""
        array = arg.ptype
        if isinstance(array, t.ArrayType) and array.bounds:
            low = array.bounds[0][0]
            return _const(0 if low in (0, 1) else low)
        if isinstance(arg, n.Name) and arg.symbol is not None:
            if id(arg.symbol) in self.low_names:
                return _name(self.low_names[id(arg.symbol)])
            return _const(self.open_bounds.get(id(arg.symbol), (0,))[0])
        return _const(0)

    # ------------------------------------------------------------ INPUT and OUTPUT
    def convert_text(self, text: ast.expr, ptype: t.PType) -> ast.expr:
        if ptype is t.INTEGER:
            return _call("int", text)
        if ptype is t.REAL:
            return _call("float", text)
        if ptype is t.BOOLEAN:
            upper = _call(_attr(_call(_attr(text, "strip")), "upper"))
            return ast.Compare(left=upper, ops=[ast.Eq()], comparators=[ast.Constant("TRUE")])
        if ptype is t.DATE:
            datetime = self.module("datetime")
            parsed = _call(_attr(_attr(_name(datetime), "datetime"), "strptime"),
                           _call(_attr(text, "strip")), ast.Constant("%d/%m/%Y"))
            return _call(_attr(parsed, "date"))
        if ptype is t.CHAR:
            return ast.Subscript(value=text, slice=ast.Slice(upper=ast.Constant(1)),
                                 ctx=ast.Load())
        return text

    def visit_Output(self, stmt: n.Output) -> list[ast.stmt]:
        """``print(f"Total: {Total}")`` where every item can stand in an f-string (text
        without quotes or backslashes, numbers and text values), else ``print(a, b,
        sep="")``: the same characters either way, since ``f"{x}"`` is ``str(x)`` for
        INTEGER, REAL and STRING, and both evaluate the items left to right first."""
        if len(stmt.items) > 1 and all(_fits_fstring(item) for item in stmt.items) and \
                any(isinstance(item, n.Literal) for item in stmt.items):
            parts: list[ast.expr] = []
            for item in stmt.items:
                if isinstance(item, n.Literal):
                    if str(item.value):
                        parts.append(ast.Constant(str(item.value)))
                else:
                    value = self.expr(item)
                    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and \
                            value.func.id == "str" and len(value.args) == 1:
                        value = value.args[0]  # f"{x}" is str(x) already (ruff RUF010)
                    parts.append(ast.FormattedValue(value=value, conversion=-1,
                                                    format_spec=None))
            if all(isinstance(part, ast.Constant) for part in parts):  # text only
                joined: ast.expr = ast.Constant("".join(str(p.value) for p in parts))
            else:
                joined = ast.JoinedStr(values=parts)
            return [ast.Expr(value=_call("print", joined))]
        return super().visit_Output(stmt)

    def show(self, value: ast.expr, expr: n.Expr) -> ast.expr:
        ptype = expr.ptype or t.UNKNOWN
        if ptype is t.DATE:
            return _date_text(value)
        if isinstance(ptype, t.EnumType):
            shown = super().show(value, expr)
            if isinstance(shown, ast.Subscript) and isinstance(shown.value, ast.Tuple):
                # names renamed for Python (mro_): the tuple of pseudocode names, and the
                # values count from 1 here
                shown.slice = ast.BinOp(left=shown.slice, op=ast.Sub(), right=ast.Constant(1))
            return shown
        if ptype in (t.INTEGER, t.REAL, t.STRING, t.CHAR, t.NUMBER, t.BOOLEAN):
            return super().show(value, expr)
        return _call("str", value)

    def visit_BinaryOp(self, e: n.BinaryOp) -> ast.expr:
        left_type = e.left.ptype
        if e.op in ("+", "-") and isinstance(left_type, t.EnumType) and \
                e.right.ptype in (t.INTEGER, t.NUMBER):
            moved = ast.BinOp(left=self.expr(e.left), op=ast.Add() if e.op == "+" else
                              ast.Sub(), right=self.expr(e.right))
            return _call(self.type_name(left_type), moved)
        return super().visit_BinaryOp(e)

    def joined(self, expr: n.Expr) -> ast.expr:
        """One side of ``&``: as the checked style joins it, but a value of unknown type
        (an undeclared variable, given text by INPUT) with ``str``."""
        if (expr.ptype or t.UNKNOWN) is t.UNKNOWN:
            return _call("str", self.expr(expr))
        return super().joined(expr)

    # ------------------------------------------------------------ FOR
    def visit_For(self, stmt: n.For) -> list[ast.stmt]:
        produced = super().visit_For(stmt)
        loop = produced[0]
        if isinstance(loop, ast.For) and isinstance(loop.iter, ast.Call) and isinstance(
                loop.iter.func, ast.Name) and loop.iter.func.id == "_count":
            self.helpers.discard("_count")
            loop.iter.func = _name(self.function("inclusive_range"))
        return produced

    # ------------------------------------------------------------ built-in functions
    def translation(self, builtin: Builtin) -> Translation:
        return builtin.plain or builtin.python

    def visit_Literal(self, e: n.Literal) -> ast.expr:
        if e.kind == "DATE" and hasattr(e.value, "year"):
            return _call(_attr(_name(self.module("datetime")), "date"),
                         ast.Constant(e.value.year), ast.Constant(e.value.month),
                         ast.Constant(e.value.day))
        return super().visit_Literal(e)

    # ------------------------------------------------------------ pointers
    def visit_AddressOf(self, e: n.AddressOf) -> ast.expr:
        pointer = self.function("Pointer")
        target = e.target
        if isinstance(target, n.Name):
            symbol = target.symbol
            if symbol is not None and symbol.scope is ScopeKind.CLASS:
                return _call(pointer, _name("self"), ast.Constant(symbol.python_name))
            name = symbol.python_name if symbol is not None else target.name
            return _call(pointer, _call("globals"), ast.Constant(name))
        if isinstance(target, n.Index):
            node = self.expr(target)
            assert isinstance(node, ast.Subscript)
            return _call(pointer, node.value, node.slice)
        if isinstance(target, n.FieldAccess):
            node = self.expr(target)
            if isinstance(node, ast.Attribute):
                return _call(pointer, node.value, ast.Constant(node.attr))
        if isinstance(target, n.Deref):
            return self.expr(target.pointer)
        return ast.Constant(None)


def _multiplies(node: n.Node) -> bool:
    """An INTEGER multiplication somewhere inside ``node``."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, n.BinaryOp) and item.op == "*" and \
                item.left.ptype is t.INTEGER and item.right.ptype is t.INTEGER:
            return True
        stack.extend(n.iter_children(item))
    return False


def _docstring_safe(line: str) -> bool:
    return '"""' not in line and "\\" not in line and not line[:1].isspace() and \
        line == line.rstrip() and all(c.isprintable() for c in line)


def _fits_fstring(item: n.Expr) -> bool:
    """An OUTPUT item that an f-string shows exactly as print does."""
    if isinstance(item, n.Literal):
        return item.kind in ("STRING", "CHAR", "INTEGER") and all(
            c.isprintable() and c not in "\\'\"{}" for c in str(item.value))
    if item.ptype not in (t.INTEGER, t.REAL, t.STRING, t.CHAR):
        return False
    stack: list[n.Node] = [item]
    while stack:  # no text literal inside: Python before 3.12 cannot nest the quotes
        node = stack.pop()
        if isinstance(node, n.Literal) and node.kind in ("STRING", "CHAR"):
            return False
        if isinstance(node, n.Call) and isinstance(node.target, Builtin) and \
                node.target.name in ("RIGHT", "MID", "SUBSTRING", "LEFT"):
            return False  # a slice in braces reads badly
        stack.extend(n.iter_children(node))
    return True


def _dependencies_first(types: list[n.Stmt]) -> list[n.Stmt]:
    """Record types after the record types their fields use (as Python needs them)."""
    by_type = {id(s.type_obj): s for s in types if isinstance(s, n.RecordType)}
    ordered: list[n.Stmt] = []
    placed: set[int] = set()

    def place(stmt: n.Stmt, depth: int = 0) -> None:
        if id(stmt) in placed or depth > 100:
            return
        placed.add(id(stmt))
        if isinstance(stmt, n.RecordType):
            for _, field_type in stmt.type_obj.fields.values():
                while isinstance(field_type, t.ArrayType):
                    field_type = field_type.element
                if id(field_type) in by_type:
                    place(by_type[id(field_type)], depth + 1)
        ordered.append(stmt)

    for stmt in types:
        place(stmt)
    return ordered


def _pads(array: t.ArrayType) -> bool:
    """Whether the list of a one-dimension array has an unused item 0 (bounds 1:n)."""
    return bool(array.bounds) and array.bounds[0][0] == 1


def _loop(size: ast.expr) -> ast.comprehension:
    return ast.comprehension(target=_name("_", ast.Store()), iter=_call("range", size),
                             ifs=[], is_async=0)


def _date_text(value: ast.expr) -> ast.expr:
    """``f"{d.day:02}/{d.month:02}/{d.year:04}"``: dd/mm/yyyy for every year."""
    parts: list[ast.expr] = []
    for index, field_name in enumerate(("day", "month", "year")):
        if index:
            parts.append(ast.Constant("/"))
        width = "04" if field_name == "year" else "02"
        parts.append(ast.FormattedValue(value=_attr(value, field_name), conversion=-1,
                                        format_spec=ast.JoinedStr(values=[ast.Constant(width)])))
    return ast.JoinedStr(values=parts)


def _after_markers(body: list[ast.stmt]) -> int:
    index = 0
    while index < len(body) and Generator._is_marker(body[index]):
        index += 1
    return index


def _drop_unneeded_copies(func: ast.FunctionDef, stmt: n.Procedure | n.Function,
                          generator: PlainGenerator) -> None:
    """BYVAL arrays and records are copied on entry only where the routine changes them."""
    changed = _changed_roots(stmt.body)
    keep: list[ast.stmt] = []
    for node in func.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and isinstance(
                node.value.func, ast.Name) and node.value.func.id == "_copy":
            target = node.targets[0]
            assert isinstance(target, ast.Name)
            param = next((p for p in stmt.info.params if p.python_name == target.id), None)
            if param is None or param.name.lower() not in changed:
                continue
            original = node.value.args[0]
            node.value = generator.copied(original, param.type, param.type)
        keep.append(node)
    generator.helpers.discard("_copy")
    func.body[:] = keep


def _changed_roots(body: list[n.Stmt]) -> set[str]:
    """Lower-case names whose value (or an element or field of it) a block may change."""
    changed: set[str] = set()
    stack: list[n.Node] = list(body)
    while stack:
        node = stack.pop()
        targets: list[n.Expr] = []
        if isinstance(node, n.Assign):
            targets = [node.target]
        elif isinstance(node, n.Input):
            targets = list(node.targets)
        elif isinstance(node, (n.ReadFile, n.GetRecord)):
            targets = [node.target]
        elif isinstance(node, n.For):
            targets = [node.variable]
        elif isinstance(node, n.Call) and isinstance(node.target, RoutineInfo):
            targets = [a for a, p in zip(node.args, node.target.params, strict=False)
                       if p.byref]
        elif isinstance(node, n.AddressOf):
            targets = [node.target]
        for target in targets:
            root = _root_name(target)
            if root is not None:
                changed.add(root)
        stack.extend(n.iter_children(node))
    return changed


def _root_name(expr: n.Expr) -> str | None:
    while True:
        if isinstance(expr, n.Name):
            return expr.name.lower()
        if isinstance(expr, n.Index):
            expr = expr.base
        elif isinstance(expr, n.FieldAccess):
            expr = expr.base
        elif isinstance(expr, n.Deref):
            return None
        else:
            return None
