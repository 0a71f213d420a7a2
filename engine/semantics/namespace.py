"""Symbols and the namespace: scopes entered with ``with namespace.enter_scope()``.

Names are case-insensitive, so every scope is keyed by the lower-case name;
the symbol keeps the first spelling seen (the one the Python will use).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum

from engine.language.nodes import Span
from engine.semantics.types import PType


class SymbolKind(StrEnum):
    VARIABLE = "variable"
    CONSTANT = "constant"
    PARAMETER = "parameter"
    PROCEDURE = "procedure"
    FUNCTION = "function"
    TYPE = "type"
    CLASS = "class"
    ENUM_MEMBER = "enum member"
    ATTRIBUTE = "attribute"
    FIELD = "field"


class ScopeKind(StrEnum):
    GLOBAL = "global"
    ROUTINE = "routine"   # procedure, function or method body
    CLASS = "class"


# The members as module globals, which the hot code of the validator reads: on Python 3.11
# each ``SymbolKind.X`` read goes through EnumType's __getattr__ hook, ~10x slower than
# reading a global.
VARIABLE_KIND = SymbolKind.VARIABLE
CONSTANT_KIND = SymbolKind.CONSTANT
PARAMETER_KIND = SymbolKind.PARAMETER
PROCEDURE_KIND = SymbolKind.PROCEDURE
FUNCTION_KIND = SymbolKind.FUNCTION
TYPE_KIND = SymbolKind.TYPE
CLASS_KIND = SymbolKind.CLASS
ENUM_MEMBER_KIND = SymbolKind.ENUM_MEMBER
ATTRIBUTE_KIND = SymbolKind.ATTRIBUTE
FIELD_KIND = SymbolKind.FIELD
GLOBAL_SCOPE = ScopeKind.GLOBAL
ROUTINE_SCOPE = ScopeKind.ROUTINE
CLASS_SCOPE = ScopeKind.CLASS


@dataclass(eq=False)
class RoutineInfo:
    """A procedure, function or method: its signature and what codegen needs."""

    name: str
    is_function: bool
    params: list[Symbol] = field(default_factory=list)
    returns: PType | None = None
    owner: object | None = None          # ClassType for methods
    access: str = "PUBLIC"
    global_symbols: list[Symbol] = field(default_factory=list)
    uses_super: bool = False
    calls: int = 0
    makes_calls: bool = False  # calls another routine (which may change any global)

    @property
    def byref_params(self) -> list[Symbol]:
        return [p for p in self.params if p.byref]


@dataclass(eq=False)
class Symbol:
    name: str                   # first spelling seen
    kind: SymbolKind
    type: PType
    span: Span | None
    scope: ScopeKind = ScopeKind.GLOBAL
    declared: bool = True       # False for a variable created by assignment
    byref: bool = False         # parameters
    access: str = "PUBLIC"      # class members
    value: object = None        # constants: the value
    routine: RoutineInfo | None = None
    owner: object | None = None  # ClassType of a member, EnumType of an enum member
    assigned: bool = False
    used: bool = False
    read: bool = False          # its value is read somewhere (not only assigned)
    loop_only: bool = False     # only ever assigned as a FOR loop variable
    address_taken: bool = False  # ``@Name`` is written somewhere: a pointer may change it
    # A local declared after its routine used the global of the same name: the Python
    # needs a name of its own for it (a function cannot have both).
    own_python_name: bool = False
    python_name: str = ""       # filled by the code generator's namer


_MISSING = object()


class ClassScope(dict):
    """The members a class's methods see: its own (the dict itself), then, on look-up, its
    parents'. Nothing is copied down the chain; a name looked up is remembered on the way,
    so a chain of thousands of classes stays linear (a copy per class would be quadratic)."""

    def __init__(self, own: dict[str, Symbol], parent: ClassScope | None) -> None:
        super().__init__(own)
        self.parent = parent
        self.seen: dict[str, Symbol | None] = {}

    def get(self, key: str, default: Symbol | None = None) -> Symbol | None:  # type: ignore[override]
        scope: ClassScope | None = self
        walked: list[ClassScope] = []
        found: Symbol | None = None
        while scope is not None:
            here = dict.get(scope, key, _MISSING)
            if here is _MISSING:
                here = scope.seen.get(key, _MISSING)
            if here is not _MISSING:
                found = here  # type: ignore[assignment]
                break
            walked.append(scope)
            scope = scope.parent
        for inner in walked:
            inner.seen[key] = found
        return default if found is None else found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def every(self) -> dict[str, Symbol]:
        """All members, own and inherited (for 'did you mean' hints)."""
        chain: list[ClassScope] = []
        scope: ClassScope | None = self
        while scope is not None:
            chain.append(scope)
            scope = scope.parent
        merged: dict[str, Symbol] = {}
        for scope in reversed(chain):
            merged.update(dict(scope.items()))
        return merged


class Namespace:
    """A stack of scopes, innermost last."""

    def __init__(self) -> None:
        self.scopes: list[tuple[ScopeKind, dict[str, Symbol]]] = [(ScopeKind.GLOBAL, {})]
        # The same dicts innermost first: ``lookup`` (every name of the program) walks it
        # without unpacking a tuple or reversing the stack.
        self._innermost_first: list[dict[str, Symbol]] = [self.scopes[0][1]]
        # Spelling -> its key (lower case), made once per spelling: the parser shares one
        # string per spelling, so a look-up here is cheaper than lower() making and hashing
        # a new string for every name of the program.
        self._keys: dict[str, str] = {}

    @contextmanager
    def enter_scope(self, kind: ScopeKind,
                    symbols: dict[str, Symbol] | None = None) -> Iterator[dict[str, Symbol]]:
        scope = self.push_scope(kind, symbols)
        try:
            yield scope
        finally:
            self.pop_scope()

    def push_scope(self, kind: ScopeKind,
                   symbols: dict[str, Symbol] | None = None) -> dict[str, Symbol]:
        """Enter a scope until ``pop_scope`` (``enter_scope`` without a context manager's
        cost, for the scope of every routine)."""
        scope = symbols if symbols is not None else {}
        self.scopes.append((kind, scope))
        self._innermost_first.insert(0, scope)
        return scope

    def pop_scope(self) -> None:
        self.scopes.pop()
        del self._innermost_first[0]

    @property
    def globals(self) -> dict[str, Symbol]:
        return self.scopes[0][1]

    def key(self, name: str) -> str:
        """The key of ``name`` in every scope: its lower case."""
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = name.lower()
        return key

    def declare(self, symbol: Symbol) -> Symbol | None:
        """Add ``symbol`` to the innermost scope; return the clashing symbol if any."""
        scope = self._innermost_first[0]
        key = self.key(symbol.name)
        existing = scope.get(key)
        if existing is not None:
            return existing
        scope[key] = symbol
        return None

    def lookup(self, name: str) -> Symbol | None:
        key = self._keys.get(name)  # self.key(name) inlined: every name read comes here
        if key is None:
            key = self._keys[name] = name.lower()
        for scope in self._innermost_first:
            symbol = scope.get(key)
            if symbol is not None:
                return symbol
        return None
