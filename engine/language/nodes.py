"""The syntax tree: plain dataclasses with source positions, and a visitor.

Nodes hold data only (CPython ``ast`` style); behaviour lives in visitors
(the validator, the code generator). Every node is picklable, so a parsed
document can cross a process boundary.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
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


@dataclass(slots=True)
class Node:
    span: Span


# ---------------------------------------------------------------- types
@dataclass(slots=True)
class TypeRef(Node):
    """A named type: a base type (upper case) or a user type as written."""

    name: str


@dataclass(slots=True)
class ArrayTypeRef(Node):
    """``ARRAY[l1:u1, l2:u2] OF T``; ``bounds`` is empty for ``ARRAY OF T`` parameters."""

    bounds: list[tuple[Expr, Expr]]
    element: TypeRef


AnyTypeRef = TypeRef | ArrayTypeRef


# ---------------------------------------------------------------- expressions
@dataclass(slots=True)
class Expr(Node):
    # Filled by the validator: the PType of the value.
    ptype: Any = field(default=None, kw_only=True, repr=False, compare=False)


@dataclass(slots=True)
class Literal(Expr):
    """A literal; ``kind`` is INTEGER, REAL, STRING, CHAR, BOOLEAN or DATE (a ``datetime.date``)."""

    value: Any
    kind: str


@dataclass(slots=True)
class Name(Expr):
    name: str
    symbol: Any = field(default=None, kw_only=True, repr=False, compare=False)  # the resolved Symbol


@dataclass(slots=True)
class UnaryOp(Expr):
    op: str  # "-" or "NOT"
    operand: Expr


@dataclass(slots=True)
class BinaryOp(Expr):
    op: str  # + - * / DIV MOD ^ & = <> < <= > >= AND OR
    left: Expr
    right: Expr


@dataclass(slots=True)
class Call(Expr):
    func: Expr  # Name, or FieldAccess for a method
    args: list[Expr]
    has_parens: bool = True
    target: Any = field(default=None, kw_only=True, repr=False, compare=False)  # Builtin or RoutineInfo


@dataclass(slots=True)
class Index(Expr):
    base: Expr
    indices: list[Expr]


@dataclass(slots=True)
class FieldAccess(Expr):
    base: Expr
    field: str
    field_span: Span
    symbol: Any = field(default=None, kw_only=True, repr=False, compare=False)  # the field, attribute or method Symbol


@dataclass(slots=True)
class Deref(Expr):
    pointer: Expr


@dataclass(slots=True)
class AddressOf(Expr):
    """``@X`` or ``^X`` (the 9618 guide's form): the address of X."""

    target: Expr


@dataclass(slots=True)
class NewObject(Expr):
    class_name: str
    name_span: Span
    args: list[Expr]
    class_type: Any = field(default=None, kw_only=True, repr=False, compare=False)
    constructor: Any = field(default=None, kw_only=True, repr=False, compare=False)  # RoutineInfo of NEW, if any


@dataclass(slots=True)
class SuperRef(Expr):
    pass


@dataclass(slots=True)
class ErrorExpr(Expr):
    """Stands for an expression that could not be parsed (already reported)."""


# ---------------------------------------------------------------- statements
@dataclass(slots=True)
class Stmt(Node):
    before: list[Trivia] = field(default_factory=list, kw_only=True)
    trailing: str | None = field(default=None, kw_only=True)


@dataclass(slots=True)
class TriviaOnly(Stmt):
    """Comments and blank lines at the end of a block (nothing to run)."""


@dataclass(slots=True)
class NameDecl(Node):
    name: str


@dataclass(slots=True)
class Declare(Stmt):
    names: list[NameDecl]
    type: AnyTypeRef
    access: str = "PUBLIC"  # for class attributes
    symbols: Any = field(default=None, kw_only=True, repr=False, compare=False)  # the declared Symbols


@dataclass(slots=True)
class ConstantDecl(Stmt):
    name: NameDecl
    value: Expr
    symbol: Any = field(default=None, kw_only=True, repr=False, compare=False)


@dataclass(slots=True)
class Assign(Stmt):
    target: Expr
    value: Expr


@dataclass(slots=True)
class Input(Stmt):
    targets: list[Expr]
    prompt: Expr | None


@dataclass(slots=True)
class Output(Stmt):
    items: list[Expr]


@dataclass(slots=True)
class If(Stmt):
    condition: Expr
    then_body: list[Stmt]
    else_body: list[Stmt]
    is_elseif: bool = False  # this If is an ELSEIF branch of the If that holds it
    else_span: Span | None = None
    else_trailing: str | None = None


@dataclass(slots=True)
class CaseRange(Node):
    low: Expr
    high: Expr


@dataclass(slots=True)
class CaseClause(Node):
    values: list[Expr | CaseRange]  # empty for OTHERWISE
    body: list[Stmt]
    trailing: str | None = None
    before: list[Trivia] = field(default_factory=list)


@dataclass(slots=True)
class Case(Stmt):
    subject: Expr
    clauses: list[CaseClause]
    otherwise: CaseClause | None


@dataclass(slots=True)
class For(Stmt):
    variable: Name
    start: Expr
    end: Expr
    step: Expr | None
    body: list[Stmt]


@dataclass(slots=True)
class While(Stmt):
    condition: Expr
    body: list[Stmt]


@dataclass(slots=True)
class Repeat(Stmt):
    body: list[Stmt]
    condition: Expr
    until_span: Span | None = None


@dataclass(slots=True)
class Param(Node):
    name: str
    type: AnyTypeRef
    byref: bool


@dataclass(slots=True)
class Procedure(Stmt):
    name: NameDecl
    params: list[Param]
    body: list[Stmt]
    access: str = "PUBLIC"
    info: Any = field(default=None, kw_only=True, repr=False, compare=False)  # RoutineInfo


@dataclass(slots=True)
class Function(Stmt):
    name: NameDecl
    params: list[Param]
    returns: AnyTypeRef
    body: list[Stmt]
    access: str = "PUBLIC"
    info: Any = field(default=None, kw_only=True, repr=False, compare=False)  # RoutineInfo
    info: Any = field(default=None, kw_only=True, repr=False, compare=False)  # RoutineInfo


@dataclass(slots=True)
class CallStmt(Stmt):
    call: Call
    uses_call_keyword: bool


@dataclass(slots=True)
class Return(Stmt):
    value: Expr | None


@dataclass(slots=True)
class RecordType(Stmt):
    name: NameDecl
    fields: list[Declare]
    type_obj: Any = field(default=None, kw_only=True, repr=False, compare=False)


@dataclass(slots=True)
class EnumType(Stmt):
    name: NameDecl
    members: list[NameDecl]
    type_obj: Any = field(default=None, kw_only=True, repr=False, compare=False)


@dataclass(slots=True)
class PointerType(Stmt):
    name: NameDecl
    target: AnyTypeRef
    type_obj: Any = field(default=None, kw_only=True, repr=False, compare=False)


@dataclass(slots=True)
class ClassDef(Stmt):
    name: NameDecl
    parent: NameDecl | None
    members: list[Stmt]  # Declare (attributes), Procedure, Function, TriviaOnly
    type_obj: Any = field(default=None, kw_only=True, repr=False, compare=False)  # ClassType


@dataclass(slots=True)
class OpenFile(Stmt):
    filename: Expr
    mode: str  # READ, WRITE, APPEND, RANDOM


@dataclass(slots=True)
class ReadFile(Stmt):
    filename: Expr
    target: Expr


@dataclass(slots=True)
class WriteFile(Stmt):
    filename: Expr
    value: Expr


@dataclass(slots=True)
class CloseFile(Stmt):
    filename: Expr


@dataclass(slots=True)
class Seek(Stmt):
    """SEEK file, address: the record the next GETRECORD or PUTRECORD uses."""

    filename: Expr
    address: Expr


@dataclass(slots=True)
class GetRecord(Stmt):
    filename: Expr
    target: Expr


@dataclass(slots=True)
class PutRecord(Stmt):
    filename: Expr
    value: Expr


@dataclass(slots=True)
class Program(Node):
    body: list[Stmt]
    symbols: Any = field(default=None, kw_only=True, repr=False, compare=False)  # every Symbol, for the code generator's namer


# ---------------------------------------------------------------- visitor
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def child_fields(node_type: type) -> tuple[str, ...]:
    """Names of the fields of ``node_type`` that may hold nodes."""
    names = _CHILD_FIELDS.get(node_type)
    if names is None:
        skip = {"span", "before", "trailing", "field_span", "name_span", "else_span",
                "until_span", "else_trailing", "ptype", "symbol", "symbols", "target",
                "class_type", "constructor", "info", "type_obj"}
        names = tuple(f.name for f in fields(node_type) if f.name not in skip)
        _CHILD_FIELDS[node_type] = names
    return names


def iter_children(node: Node):
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


class NodeVisitor:
    """Calls ``visit_<ClassName>`` for a node, or ``generic_visit`` if absent."""

    _dispatch_cache: dict[tuple[type, type], Any] = {}

    def visit(self, node: Node) -> Any:
        key = (type(self), type(node))
        method = self._dispatch_cache.get(key)
        if method is None:
            method = getattr(type(self), "visit_" + type(node).__name__, None) or type(
                self).generic_visit
            self._dispatch_cache[key] = method
        return method(self, node)

    def generic_visit(self, node: Node) -> Any:
        for child in iter_children(node):
            self.visit(child)
        return None
