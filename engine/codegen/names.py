"""Python names for pseudocode names.

Names are kept as the pseudocode spells them (first spelling seen). A name
that is a Python keyword or built-in (``print``, ``list``, ``len``,
``class`` ...) or a module the program imports gets a trailing underscore,
consistently everywhere. A local variable that is given a value but never
read gets an ``_unused_`` prefix, the Python convention for "deliberately
unused", so linters stay quiet about the pseudocode's own slip (which the
validator reports).
"""

from __future__ import annotations

import builtins
import keyword

from engine.semantics.namespace import ScopeKind, Symbol, SymbolKind

RESERVED_MODULE_NAMES = frozenset({
    "datetime", "random", "sys", "enum", "dataclass", "dataclasses", "field", "annotations",
    "Decimal", "ROUND_HALF_UP", "InvalidOperation", "self", "cls", "super",
})
RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(
    dir(builtins)) | RESERVED_MODULE_NAMES
KEYWORDS = frozenset(keyword.kwlist)
RESERVED_ATTRIBUTES = KEYWORDS | {"self"}

_MEMBER_KINDS = (SymbolKind.ATTRIBUTE, SymbolKind.FIELD, SymbolKind.ENUM_MEMBER)


def assign_python_names(symbols: list[Symbol]) -> None:
    taken = {s.name.lower() for s in symbols}
    taken |= {r.lower() for r in RESERVED}
    renamed: dict[tuple[bool, str], str] = {}
    for symbol in symbols:
        if symbol.python_name:
            continue
        if symbol.name.upper() == "NEW" and symbol.kind is SymbolKind.PROCEDURE and \
                symbol.scope is ScopeKind.CLASS:
            symbol.python_name = "__init__"
            continue
        member = symbol.kind in _MEMBER_KINDS or symbol.scope is ScopeKind.CLASS
        reserved = RESERVED_ATTRIBUTES if member else RESERVED
        if symbol.kind is SymbolKind.ENUM_MEMBER:
            reserved = KEYWORDS  # Enum members may be called name or value
        name = symbol.name
        if name in reserved:
            key = (member, name)
            if key not in renamed:
                candidate = name + "_"
                while candidate.lower() in taken:
                    candidate += "_"
                taken.add(candidate.lower())
                renamed[key] = candidate
            name = renamed[key]
        never_read = symbol.kind is SymbolKind.VARIABLE or (
            symbol.kind is SymbolKind.PARAMETER and not symbol.byref)
        if never_read and symbol.scope is ScopeKind.ROUTINE and not symbol.read and \
                not symbol.loop_only:
            name = "_unused_" + name
        symbol.python_name = name
