"""The types of pseudocode values, and the rules for mixing them.

Base types are singletons compared by identity. User types (records,
enumerations, pointers, classes) are objects created by the validator; two
variables have the same user type when they share the object.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class PType:
    """A pseudocode type."""

    name: str = "?"

    def __repr__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        return self.name


class BaseType(PType):
    def __init__(self, name: str) -> None:
        self.name = name

    def __reduce__(self) -> tuple[object, ...]:
        # Keep singletons singletons across pickling (process pool).
        return (base_type, (self.name,))


INTEGER = BaseType("INTEGER")
REAL = BaseType("REAL")
CHAR = BaseType("CHAR")
STRING = BaseType("STRING")
BOOLEAN = BaseType("BOOLEAN")
DATE = BaseType("DATE")
# A value whose type the validator cannot know (after an error, or an
# undeclared variable not yet assigned); compatible with everything.
UNKNOWN = BaseType("UNKNOWN")
# STR_TO_NUM's result and INTEGER ^ INTEGER-variable: INTEGER or REAL at run time.
NUMBER = BaseType("NUMBER")

BASE_TYPES: dict[str, BaseType] = {t.name: t for t in (INTEGER, REAL, CHAR, STRING, BOOLEAN,
                                                       DATE, UNKNOWN, NUMBER)}


def base_type(name: str) -> BaseType:
    return BASE_TYPES[name]


@dataclass(eq=False)
class ArrayType(PType):
    element: PType
    # (low, high) per dimension, or None for an open ``ARRAY OF T`` parameter.
    bounds: tuple[tuple[int, int], ...] | None
    dims: int = 1
    name: str = "ARRAY"

    def describe(self) -> str:
        if self.bounds is None:
            return f"ARRAY OF {self.element.describe()}"
        inner = ", ".join(f"{low}:{high}" for low, high in self.bounds)
        return f"ARRAY[{inner}] OF {self.element.describe()}"


@dataclass(eq=False)
class RecordType(PType):
    name: str
    # lower-case field name -> (spelling, type)
    fields: dict[str, tuple[str, PType]] = field(default_factory=dict)


@dataclass(eq=False)
class EnumType(PType):
    name: str
    members: list[str] = field(default_factory=list)


@dataclass(eq=False)
class PointerType(PType):
    name: str
    target: PType = UNKNOWN

    def describe(self) -> str:
        return self.name if self.name != "^" else f"^{self.target.describe()}"


_MAX_DEPTH = 10**6  # a guard only: inheritance cycles are broken before any look-up


@dataclass(eq=False)
class ClassType(PType):
    name: str
    parent: ClassType | None = None
    # lower-case member name -> symbol (attributes and methods), this class only
    members: dict[str, object] = field(default_factory=dict)

    # Answers of find, remembered along the chain (members are fixed once the validator
    # has filled them in), so thousands of classes in a chain cost linear time.
    found: dict[str, tuple[object, ClassType] | None] = field(
        default_factory=dict, repr=False, compare=False)

    def find(self, lower_name: str) -> tuple[object, ClassType] | None:
        """Look a member up here, then in the parents; return it with its owner."""
        cls: ClassType | None = self
        walked: list[ClassType] = []
        answer: tuple[object, ClassType] | None = None
        while cls is not None and len(walked) < _MAX_DEPTH:  # cycles are broken already
            member = cls.members.get(lower_name)
            if member is not None:
                answer = (member, cls)
                break
            if lower_name in cls.found:
                answer = cls.found[lower_name]
                break
            walked.append(cls)
            cls = cls.parent
        for inner in walked:
            inner.found[lower_name] = answer
        return answer

    def is_subclass_of(self, other: ClassType) -> bool:
        cls: ClassType | None = self
        seen = 0
        while cls is not None and seen < _MAX_DEPTH:
            if cls is other:
                return True
            cls = cls.parent
            seen += 1
        return False


def is_numeric(t: PType) -> bool:
    return t is INTEGER or t is REAL or t is NUMBER or t is UNKNOWN


def is_text(t: PType) -> bool:
    return t is STRING or t is CHAR or t is UNKNOWN


def is_scalar(t: PType) -> bool:
    """A value OUTPUT, INPUT and files can handle directly."""
    return isinstance(t, (BaseType, EnumType)) or t is UNKNOWN


def arithmetic_result(left: PType, right: PType) -> PType:
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    if left is INTEGER and right is INTEGER:
        return INTEGER
    if left is REAL or right is REAL:
        return REAL
    return NUMBER


def comparable(left: PType, right: PType) -> bool:
    if left is UNKNOWN or right is UNKNOWN:
        return True
    if is_numeric(left) and is_numeric(right):
        return True
    if is_text(left) and is_text(right):
        return True
    if left is right:
        return True
    if isinstance(left, PointerType) and isinstance(right, PointerType):
        return same_type(left.target, right.target)
    if isinstance(left, ClassType) and isinstance(right, ClassType):
        return left.is_subclass_of(right) or right.is_subclass_of(left)
    return False


def same_type(a: PType, b: PType) -> bool:
    if a is b or a is UNKNOWN or b is UNKNOWN:
        return True
    if isinstance(a, ArrayType) and isinstance(b, ArrayType):
        return a.dims == b.dims and same_type(a.element, b.element)
    if isinstance(a, PointerType) and isinstance(b, PointerType):
        return same_type(a.target, b.target)
    return False


def assignable(target: PType, value: PType) -> bool:
    """May a value of type ``value`` be stored in a variable of type ``target``?"""
    if target is UNKNOWN or value is UNKNOWN or target is value:
        return True
    if target is REAL:
        return value is INTEGER or value is NUMBER
    if target is INTEGER:
        return value is NUMBER
    if target is STRING:
        return value is CHAR
    if target is CHAR:
        return value is STRING  # a STRING of length 1 may be used where a CHAR is expected
    if isinstance(target, ArrayType) and isinstance(value, ArrayType):
        if target.dims != value.dims or not same_type(target.element, value.element):
            return False
        if target.bounds is None or value.bounds is None:
            return True
        return [h - lo for lo, h in target.bounds] == [h - lo for lo, h in value.bounds]
    if isinstance(target, PointerType) and isinstance(value, PointerType):
        return same_type(target.target, value.target)
    if isinstance(target, ClassType) and isinstance(value, ClassType):
        return value.is_subclass_of(target)
    return False


def is_value_type(t: PType) -> bool:
    """Records and arrays are copied on assignment (they are values)."""
    return isinstance(t, (RecordType, ArrayType))
