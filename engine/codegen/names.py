"""Python names for pseudocode names: safe by construction.

Names are kept as the pseudocode spells them (first spelling seen). The generated code relies
on a few kinds of names, and a user's name can never reach one of them:

- helpers, temporaries and ``_unused_`` names start with ``_``; a pseudocode name starts with a
  letter, so it never does;
- Python keywords and built-ins, ``self``, and every name bound by an import the program may
  have (computed from the import lines themselves: ``GENERATED_IMPORTS`` and the helpers'
  ``runtime.IMPORTS``) get a trailing underscore, consistently everywhere (``print_``,
  ``os_``, ``json_``);
- inside generated classes: a record field may not take a name its class body evaluates
  (``RECORD_BODY_NAMES``), an enumeration value not one Python's enum refuses
  (``ENUM_RESERVED_NAMES``);
- a local variable declared after its routine used the global of the same name gets a name
  of its own (Python cannot have both in one function).

A local variable that is given a value but never read gets an ``_unused_`` prefix, the Python
convention for "deliberately unused", so linters stay quiet about the pseudocode's own slip
(which the validator reports).
"""

from __future__ import annotations

import ast
import builtins
import keyword

from engine.codegen import runtime
from engine.codegen.base import GENERATED_IMPORTS
from engine.codegen.declarations import ENUM_RESERVED_NAMES, RECORD_BODY_NAMES
from engine.semantics.namespace import (
    ATTRIBUTE_KIND,
    CLASS_SCOPE,
    ENUM_MEMBER_KIND,
    FIELD_KIND,
    PARAMETER_KIND,
    PROCEDURE_KIND,
    ROUTINE_SCOPE,
    VARIABLE_KIND,
    Symbol,
)


def names_bound_by(import_lines: set[str] | frozenset[str]) -> frozenset[str]:
    """The module-level names that these import statements bind."""
    bound: set[str] = set()
    for line in import_lines:
        for node in ast.parse(line).body:
            if isinstance(node, ast.Import):
                bound.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                bound.update(a.asname or a.name for a in node.names)
    return frozenset(bound)


IMPORTED_NAMES = names_bound_by(
    set(GENERATED_IMPORTS) | {line for lines in runtime.IMPORTS.values() for line in lines})
KEYWORDS = frozenset(keyword.kwlist)
RESERVED = KEYWORDS | frozenset(keyword.softkwlist) | frozenset(dir(builtins)) | \
    IMPORTED_NAMES | {"self"}
RESERVED_ATTRIBUTES = KEYWORDS | {"self"}
_RESERVED_FIELDS = KEYWORDS | RECORD_BODY_NAMES
_RESERVED_ENUM_MEMBERS = KEYWORDS | ENUM_RESERVED_NAMES

# Enum members as namespace's module constants (``SymbolKind.X`` is slow on Python 3.11).
_MEMBER_KINDS = (ATTRIBUTE_KIND, FIELD_KIND, ENUM_MEMBER_KIND)
# Every reserved name in lower case: no Python name made here may be one (computed once).
_TAKEN_ALWAYS = frozenset(r.lower() for r in RESERVED | _RESERVED_FIELDS | _RESERVED_ENUM_MEMBERS)


def _reserved_for(symbol: Symbol) -> frozenset[str]:
    kind = symbol.kind
    if kind is FIELD_KIND:
        return _RESERVED_FIELDS
    if kind is ENUM_MEMBER_KIND:
        return _RESERVED_ENUM_MEMBERS
    if kind in _MEMBER_KINDS or symbol.scope is CLASS_SCOPE:
        return RESERVED_ATTRIBUTES
    return RESERVED


def assign_python_names(symbols: list[Symbol]) -> None:
    taken = {s.name.lower() for s in symbols}
    taken |= _TAKEN_ALWAYS
    renamed: dict[tuple[frozenset[str], str], str] = {}

    def unique(candidate: str) -> str:
        while candidate.lower() in taken:
            candidate += "_"
        taken.add(candidate.lower())
        return candidate

    for symbol in symbols:
        if symbol.python_name:
            continue
        kind = symbol.kind
        if kind is PROCEDURE_KIND and symbol.scope is CLASS_SCOPE and symbol.name.upper() == "NEW":
            symbol.python_name = "__init__"
            continue
        reserved = _reserved_for(symbol)
        name = symbol.name
        if name in reserved:
            key = (reserved, name)
            if key not in renamed:
                renamed[key] = unique(name + "_")
            name = renamed[key]
        if symbol.own_python_name:
            name = unique(name + "_local")
        never_read = kind is VARIABLE_KIND or (kind is PARAMETER_KIND and not symbol.byref)
        if never_read and symbol.scope is ROUTINE_SCOPE and not symbol.read and \
                not symbol.loop_only:
            name = "_unused_" + name
        symbol.python_name = name
