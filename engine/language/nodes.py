"""The syntax tree: plain data classes with source positions, and a visitor.

Nodes hold data only (CPython ``ast`` style); behaviour lives in visitors
(the validator, the code generator). Every node is picklable, so a parsed
document can cross a process boundary.

A node class declares its fields as annotations, dataclass style: ``name: type``
or ``name: type = default``. Three kinds of field, told apart by the
declaration alone (nothing to keep in step elsewhere):

- children: a field whose type names a node class (``Expr``, ``list[Stmt]``,
  ``Expr | None``, ``list[tuple[Expr, Expr]]``); ``child_fields`` derives them
  from the annotations, CPython's ``_fields``;
- syntax data: any other type (``str``, ``bool``, ``Span``, trivia);
- annotations: ``= annotation()``, what the validator fills in (the type of an
  expression, the symbol of a name): keyword-only, default None, left out of
  ``repr`` and ``==``, never a child (vyper keeps these in ``_metadata``).

``@node`` makes the class with ``__slots__`` and one compiled ``__init__``;
``@dataclass(slots=True)`` compiled three methods for each class and spent
most of this module's import time doing it. It also compiles ``cls.make(...)``,
the same node from its positional fields without a call of ``__init__`` through
the class (the parser's fast path; see ``_make_make``).
"""

from __future__ import annotations

import sys
import types
from typing import Any, NamedTuple


class Span(NamedTuple):
    """1-based line and column; the end column is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    def to(self, other: Span) -> Span:
        return Span(self.line, self.column, other.end_line, other.end_column)


# A trivia item kept for the generated Python: a comment's text, or None for a
# blank line.
Trivia = str | None


# ---------------------------------------------------------------- field declarations
class _Field:
    """How a field was declared (the right-hand side of its annotation)."""

    __slots__ = ("name", "type", "default", "factory", "kw_only", "annotation")

    def __init__(self, default: Any = None, factory: Any = None, kw_only: bool = False,
                 annotation: bool = False, required: bool = False) -> None:
        self.name = ""
        self.type = ""  # the annotation, as written (a string: postponed evaluation)
        self.default = _REQUIRED if required else default
        self.factory = factory
        self.kw_only = kw_only
        self.annotation = annotation


_REQUIRED = object()  # a field without a default


def annotation() -> Any:
    """A field the validator fills in: keyword-only, None at first, not in repr or ==."""
    return _Field(None, kw_only=True, annotation=True)


def keyword(default: Any = None, factory: Any = None) -> Any:
    """A keyword-only syntax field with a default (or a ``factory`` making one)."""
    return _Field(default, factory, kw_only=True)


def default(value: Any = None, factory: Any = None) -> Any:
    """A positional syntax field with a default (or a ``factory`` making one)."""
    return _Field(value, factory)


_NODE_CLASSES: list[type] = []  # every class made by @node, in definition order


def node(cls: type) -> type:
    """Class decorator: a node class from its annotations (``__slots__``, ``__init__``,
    ``make``, ``__match_args__``, the field table ``_node_fields``).

    The fields are the inherited ones then the class's own; ``__init__`` takes the
    positional ones in that order, then the keyword-only ones (dataclasses' order). The
    class is made again with ``__slots__`` (as ``dataclass(slots=True)`` does): a
    metaclass would make it once, but would also take ``isinstance``, which the passes
    call hundreds of thousands of times, off its fast path."""
    namespace = dict(cls.__dict__)
    declared: dict[str, _Field] = {}
    for field_name, written in namespace.get("__annotations__", {}).items():
        value = namespace.pop(field_name, _REQUIRED)
        spec = value if isinstance(value, _Field) else _Field(value,
                                                              required=value is _REQUIRED)
        spec.name, spec.type = field_name, written
        declared[field_name] = spec
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    namespace["__slots__"] = tuple(declared)
    built = type(cls.__name__, cls.__bases__, namespace)
    built.__qualname__ = cls.__qualname__
    inherited: dict[str, _Field] = {}
    for base in reversed(built.__mro__[1:]):
        inherited.update(getattr(base, "_node_fields", {}))
    clash = inherited.keys() & declared.keys()
    if clash:
        raise TypeError(f"{cls.__name__} declares the inherited field(s) {sorted(clash)} "
                        "again")
    every = {**inherited, **declared}
    positional = [f for f in every.values() if not f.kw_only]
    built._node_fields = every
    built._compared = tuple(f.name for f in every.values() if not f.annotation)
    built.__match_args__ = tuple(f.name for f in positional)
    keyword_only = [f for f in every.values() if f.kw_only]
    built.__init__ = _make_init(built, positional, keyword_only)
    built.make = _make_make(built, positional, keyword_only)
    _NODE_CLASSES.append(built)
    return built


def _make_init(cls: type, positional: list[_Field], keyword_only: list[_Field]):
    """One ``__init__`` compiled for the class: plain assignments, as fast as dataclasses'."""
    defaults: dict[str, Any] = {"_FACTORY": _FACTORY}
    params, lines = ["self"], []
    seen_default = False
    for spec in positional + keyword_only:
        if spec is keyword_only[0] if keyword_only else False:
            params.append("*")
        if spec.factory is not None:
            defaults[f"_factory_{spec.name}"] = spec.factory
            params.append(f"{spec.name}=_FACTORY")
            lines.append(f"self.{spec.name} = _factory_{spec.name}() if {spec.name} is "
                         f"_FACTORY else {spec.name}")
            seen_default = True
            continue
        if spec.default is _REQUIRED:
            if seen_default and not spec.kw_only:
                raise TypeError(f"{cls.__name__}: the field {spec.name} without a default "
                                "follows one with a default")
            params.append(spec.name)
        else:
            defaults[f"_default_{spec.name}"] = spec.default
            params.append(f"{spec.name}=_default_{spec.name}")
            seen_default = seen_default or not spec.kw_only
        lines.append(f"self.{spec.name} = {spec.name}")
    source = f"def __init__({', '.join(params)}):\n    " + ("\n    ".join(lines) or "pass")
    exec(source, defaults)  # noqa: S102 - the source is built from this module's own names
    init = defaults["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


_FACTORY = object()  # "no value given": make the default with the field's factory


def _make_make(cls: type, positional: list[_Field], keyword_only: list[_Field]):
    """``cls.make(...)``: what ``cls(...)`` makes from the positional fields, the
    keyword-only ones at their defaults, without calling ``__init__``. A class call goes
    through ``type.__call__`` and ``slot_tp_init`` (a C-level call of ``__init__``, its
    keyword defaults looked up by name), which costs about as much as the node's own
    assignments; a plain function call does not. The parser builds ~45,000 nodes per
    10,000 lines with it."""
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY, "_new": object.__new__, "_cls": cls}
    params, lines = [], ["self = _new(_cls)"]
    for spec in positional:
        if spec.factory is not None:
            namespace[f"_factory_{spec.name}"] = spec.factory
            params.append(f"{spec.name}=_FACTORY")
            lines.append(f"self.{spec.name} = _factory_{spec.name}() if {spec.name} is "
                         f"_FACTORY else {spec.name}")
        elif spec.default is _REQUIRED:
            params.append(spec.name)
            lines.append(f"self.{spec.name} = {spec.name}")
        else:
            namespace[f"_default_{spec.name}"] = spec.default
            params.append(f"{spec.name}=_default_{spec.name}")
            lines.append(f"self.{spec.name} = {spec.name}")
    for spec in keyword_only:
        if spec.factory is list:
            lines.append(f"self.{spec.name} = []")
        elif spec.factory is not None:
            namespace[f"_factory_{spec.name}"] = spec.factory
            lines.append(f"self.{spec.name} = _factory_{spec.name}()")
        else:
            namespace[f"_default_{spec.name}"] = spec.default
            lines.append(f"self.{spec.name} = _default_{spec.name}")
    lines.append("return self")
    source = f"def make({', '.join(params)}):\n    " + "\n    ".join(lines)
    exec(source, namespace)  # noqa: S102 - the source is built from this module's own names
    make = namespace["make"]
    make.__qualname__ = f"{cls.__qualname__}.make"
    return make


@node
class Node:
    """Every node: its span, value equality over its syntax fields, a readable repr."""

    span: Span

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        names = self._compared
        return tuple(getattr(self, name) for name in names) == tuple(
            getattr(other, name) for name in names)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._compared)
        return f"{type(self).__qualname__}({shown})"


# ---------------------------------------------------------------- types
@node
class TypeRef(Node):
    """A named type: a base type (upper case) or a user type as written."""

    name: str


@node
class ArrayTypeRef(Node):
    """``ARRAY[l1:u1, l2:u2] OF T``; ``bounds`` is empty for ``ARRAY OF T`` parameters."""

    bounds: list[tuple[Expr, Expr]]
    element: TypeRef


AnyTypeRef = TypeRef | ArrayTypeRef


# ---------------------------------------------------------------- expressions
@node
class Expr(Node):
    # Filled by the validator: the PType of the value.
    ptype: Any = annotation()


@node
class Literal(Expr):
    """A literal; ``kind`` is INTEGER, REAL, STRING, CHAR, BOOLEAN or DATE (a ``datetime.date``)."""

    value: Any
    kind: str


@node
class Name(Expr):
    name: str
    symbol: Any = annotation()  # the resolved Symbol


@node
class UnaryOp(Expr):
    op: str  # "-" or "NOT"
    operand: Expr


@node
class BinaryOp(Expr):
    op: str  # + - * / DIV MOD ^ & = <> < <= > >= AND OR
    left: Expr
    right: Expr


@node
class Call(Expr):
    func: Expr  # Name, or FieldAccess for a method
    args: list[Expr]
    has_parens: bool = True
    target: Any = annotation()  # Builtin or RoutineInfo


@node
class Index(Expr):
    base: Expr
    indices: list[Expr]


@node
class FieldAccess(Expr):
    base: Expr
    field: str
    field_span: Span
    symbol: Any = annotation()  # the field, attribute or method Symbol


@node
class Deref(Expr):
    pointer: Expr


@node
class AddressOf(Expr):
    """``@X`` or ``^X`` (the 9618 guide's form): the address of X."""

    target: Expr


@node
class NewObject(Expr):
    class_name: str
    name_span: Span
    args: list[Expr]
    class_type: Any = annotation()
    constructor: Any = annotation()  # RoutineInfo of NEW, if any


@node
class SuperRef(Expr):
    pass


@node
class ErrorExpr(Expr):
    """Stands for an expression that could not be parsed (already reported)."""


# ---------------------------------------------------------------- statements
@node
class Stmt(Node):
    before: list[Trivia] = keyword(factory=list)
    trailing: str | None = keyword(None)


@node
class TriviaOnly(Stmt):
    """Comments and blank lines at the end of a block (nothing to run)."""


@node
class NameDecl(Node):
    name: str


@node
class Declare(Stmt):
    names: list[NameDecl]
    type: AnyTypeRef
    access: str = "PUBLIC"  # for class attributes
    symbols: Any = annotation()  # the declared Symbols


@node
class ConstantDecl(Stmt):
    name: NameDecl
    value: Expr
    symbol: Any = annotation()


@node
class Assign(Stmt):
    target: Expr
    value: Expr


@node
class Input(Stmt):
    targets: list[Expr]
    prompt: Expr | None


@node
class Output(Stmt):
    items: list[Expr]


@node
class If(Stmt):
    condition: Expr
    then_body: list[Stmt]
    else_body: list[Stmt]
    is_elseif: bool = False  # this If is an ELSEIF branch of the If that holds it
    else_span: Span | None = None
    else_trailing: str | None = None


@node
class CaseRange(Node):
    low: Expr
    high: Expr


@node
class CaseClause(Node):
    values: list[Expr | CaseRange]  # empty for OTHERWISE
    body: list[Stmt]
    trailing: str | None = None
    before: list[Trivia] = default(factory=list)


@node
class Case(Stmt):
    subject: Expr
    clauses: list[CaseClause]
    otherwise: CaseClause | None


@node
class For(Stmt):
    variable: Name
    start: Expr
    end: Expr
    step: Expr | None
    body: list[Stmt]


@node
class While(Stmt):
    condition: Expr
    body: list[Stmt]


@node
class Repeat(Stmt):
    body: list[Stmt]
    condition: Expr
    until_span: Span | None = None


@node
class Param(Node):
    name: str
    type: AnyTypeRef
    byref: bool


@node
class Procedure(Stmt):
    name: NameDecl
    params: list[Param]
    body: list[Stmt]
    access: str = "PUBLIC"
    info: Any = annotation()  # RoutineInfo


@node
class Function(Stmt):
    name: NameDecl
    params: list[Param]
    returns: AnyTypeRef
    body: list[Stmt]
    access: str = "PUBLIC"
    info: Any = annotation()  # RoutineInfo


@node
class CallStmt(Stmt):
    call: Call
    uses_call_keyword: bool


@node
class Return(Stmt):
    value: Expr | None


@node
class RecordType(Stmt):
    name: NameDecl
    fields: list[Declare]
    type_obj: Any = annotation()


@node
class EnumType(Stmt):
    name: NameDecl
    members: list[NameDecl]
    type_obj: Any = annotation()


@node
class PointerType(Stmt):
    name: NameDecl
    target: AnyTypeRef
    type_obj: Any = annotation()


@node
class ClassDef(Stmt):
    name: NameDecl
    parent: NameDecl | None
    members: list[Stmt]  # Declare (attributes), Procedure, Function, TriviaOnly
    type_obj: Any = annotation()  # ClassType


@node
class OpenFile(Stmt):
    filename: Expr
    mode: str  # READ, WRITE, APPEND, RANDOM


@node
class ReadFile(Stmt):
    filename: Expr
    target: Expr


@node
class WriteFile(Stmt):
    filename: Expr
    value: Expr


@node
class CloseFile(Stmt):
    filename: Expr


@node
class Seek(Stmt):
    """SEEK file, address: the record the next GETRECORD or PUTRECORD uses."""

    filename: Expr
    address: Expr


@node
class GetRecord(Stmt):
    filename: Expr
    target: Expr


@node
class PutRecord(Stmt):
    filename: Expr
    value: Expr


@node
class Program(Node):
    body: list[Stmt]
    symbols: Any = annotation()  # every Symbol, for the code generator's namer


# ---------------------------------------------------------------- children and visitor
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def child_fields(node_type: type) -> tuple[str, ...]:
    """Names of the fields of ``node_type`` that hold nodes: those whose declared type
    names a node class (derived from the annotations once per class, then cached)."""
    names = _CHILD_FIELDS.get(node_type)
    if names is None:
        module = vars(sys.modules[__name__])
        names = tuple(spec.name for spec in node_type._node_fields.values()
                      if not spec.annotation and _holds_nodes(eval(spec.type, module)))
        _CHILD_FIELDS[node_type] = names
    return names


def _holds_nodes(declared: Any) -> bool:
    """Whether a value of the type ``declared`` is, or contains, a node."""
    if isinstance(declared, type) and not isinstance(declared, types.GenericAlias):
        return issubclass(declared, Node)
    return any(_holds_nodes(inner) for inner in getattr(declared, "__args__", ()))


def iter_children(node: Node):
    """The nodes directly inside ``node``, in field order (lists and tuples opened)."""
    for name in child_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, Node):
            yield value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, Node):
                    yield item
                elif isinstance(item, tuple):
                    yield from (x for x in item if isinstance(x, Node))


def node_classes(base: type[Node] = Node) -> list[type[Node]]:
    """``base`` and every node class derived from it, in definition order (for coverage
    tests; classes other packages derive without ``@node`` are not among them)."""
    return [cls for cls in _NODE_CLASSES if issubclass(cls, base)]


class NodeVisitor:
    """The one dispatch protocol of the compiler passes (CPython's ``ast.NodeVisitor``).

    ``visit(node)`` calls ``visit_<ClassName>(node)`` and returns what it returns. A node
    class in ``ignored`` (a class-level mapping: node class -> why) is deliberately not
    visited (returns None). Any other node without a handler goes to ``generic_visit``,
    which visits its children; a pass that must handle every node overrides it to raise,
    and a test (tests/engine/node_coverage.py) checks that no node class reaches it.
    The handler of each node class is looked up once per visitor class."""

    ignored: dict[type[Node], str] = {}
    _handlers: dict[type, Any] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._handlers = {}

    def visit(self, node: Node) -> Any:
        handler = self._handlers.get(node.__class__)
        if handler is None:
            handler = type(self).handler_for(node.__class__)
        return handler(self, node)

    @classmethod
    def handler_for(cls, node_type: type) -> Any:
        """The function ``visit`` calls for ``node_type`` (cached)."""
        handler = cls._handlers.get(node_type)
        if handler is None:
            handler = getattr(cls, "visit_" + node_type.__name__, None)
            if handler is None:
                handler = _ignore if node_type in cls.ignored else cls.generic_visit
            cls._handlers[node_type] = handler
        return handler

    def generic_visit(self, node: Node) -> Any:
        for child in iter_children(node):
            self.visit(child)
        return None


def _ignore(_visitor: NodeVisitor, _node: Node) -> None:
    return None
