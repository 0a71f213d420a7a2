"""What the code generator may know about array indices before the program runs.

Checked arrays are fast when an access reads the list directly with the offset
folded in (``A.items[J - 1]``) and checks only what it cannot prove. This module
proves things, conservatively:

- ``Facts.reliable(expr)``: an array expression whose declared bounds are its bounds
  at run time (a declared variable, a record field, a class attribute), unless
  something in the program may give it an array with other bounds (a routine that
  replaces a BYREF array parameter declared with other bounds, GETRECORD).
- ``interval(expr, ranges)``: the lowest and highest value an INTEGER expression can
  have (``None`` for "unknown"), from literals, CONSTANTs and the FOR variables whose
  range is known.
- ``loop_variable_is_kept(stmt)``: nothing in a FOR body can change the loop's
  variable, so inside the body it stays between the loop's start and end.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.language import nodes as n
from engine.semantics import types as t
from engine.semantics.namespace import (
    ATTRIBUTE_KIND,
    CONSTANT_KIND,
    FUNCTION_KIND,
    GLOBAL_SCOPE,
    PROCEDURE_KIND,
    ROUTINE_SCOPE,
    VARIABLE_KIND,
    RoutineInfo,
)

# Enum members as namespace's module constants (``SymbolKind.X`` is slow on Python 3.11).
_ROUTINE_KINDS = (FUNCTION_KIND, PROCEDURE_KIND)
_NAME_NODE, _LITERAL_NODE = n.Name, n.Literal

Interval = tuple[int | None, int | None]
UNKNOWN: Interval = (None, None)


def walk(node: n.Node) -> Iterator[n.Node]:
    """Every node under ``node`` (itself included), assignment targets too."""
    stack: list[n.Node] = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(n.iter_children(current))


def walk_all(body: list[n.Stmt]) -> Iterator[n.Node]:
    for stmt in body:
        yield from walk(stmt)


def _records_and_routines(body: list[n.Stmt]) -> tuple[list[n.GetRecord], list[n.Stmt]]:
    """The GETRECORD statements and the routines in ``body`` and in the blocks inside it.

    Whole blocks are walked at a time: a block's statements are looked at in one loop and
    only those holding blocks are opened (most hold none)."""
    records: list[n.GetRecord] = []
    routines: list[n.Stmt] = []
    shapes = _SHAPES
    blocks = [body]
    while blocks:
        for stmt in blocks.pop():
            shape = shapes.get(stmt.__class__)
            if shape is None:
                shape = shapes[stmt.__class__] = _shape_of(stmt)
            if shape == _LEAF:
                continue
            if shape == _GET_RECORD:
                records.append(stmt)  # type: ignore[arg-type]
            elif shape == _IF:
                blocks.append(stmt.then_body)  # type: ignore[attr-defined]
                blocks.append(stmt.else_body)  # type: ignore[attr-defined]
            elif shape == _LOOP:
                blocks.append(stmt.body)  # type: ignore[attr-defined]
            elif shape == _ROUTINE:
                routines.append(stmt)
                blocks.append(stmt.body)  # type: ignore[attr-defined]
            elif shape == _CASE:
                for clause in stmt.clauses:  # type: ignore[attr-defined]
                    blocks.append(clause.body)
                if stmt.otherwise is not None:  # type: ignore[attr-defined]
                    blocks.append(stmt.otherwise.body)  # type: ignore[attr-defined]
            else:
                blocks.append(stmt.members)  # type: ignore[attr-defined]
    return records, routines


_LEAF, _GET_RECORD, _IF, _LOOP, _ROUTINE, _CASE, _CLASS = range(7)
_SHAPES: dict[type, int] = {}  # statement class -> where its blocks are, filled as met


def _shape_of(stmt: n.Stmt) -> int:
    if isinstance(stmt, n.If):
        return _IF
    if isinstance(stmt, (n.Procedure, n.Function)):
        return _ROUTINE
    if isinstance(stmt, (n.For, n.While, n.Repeat)):
        return _LOOP
    if isinstance(stmt, n.Case):
        return _CASE
    if isinstance(stmt, n.ClassDef):
        return _CLASS
    if isinstance(stmt, n.GetRecord):
        return _GET_RECORD
    return _LEAF


def _replaced_parameters(routines: list[n.Stmt]) -> set[int]:
    """BYREF array parameters that a routine may replace as a whole (not element-wise).

    Only routines with such a parameter are looked into: the others cannot."""
    replaced: set[int] = set()
    for routine in routines:
        if not isinstance(routine, (n.Procedure, n.Function)) or routine.info is None:
            continue
        candidates = {id(p) for p in routine.info.params
                      if p.byref and isinstance(p.type, t.ArrayType)}
        if not candidates:
            continue
        for node in walk_all(routine.body):
            target: n.Node | None = None
            if isinstance(node, (n.Assign, n.GetRecord, n.ReadFile)):
                target = node.target
            if isinstance(target, n.Name) and id(target.symbol) in candidates:
                replaced.add(id(target.symbol))
            if isinstance(node, n.Call) and isinstance(node.target, RoutineInfo):
                for arg, param in zip(node.args, node.target.params, strict=False):
                    # Passed on BYREF: the next routine may replace it.
                    if param.byref and isinstance(arg, n.Name) and \
                            id(arg.symbol) in candidates:
                        replaced.add(id(arg.symbol))
    return replaced


def _place_key(expr: n.Expr) -> object | None:
    """What identifies an array's storage across the program: its variable or field Symbol.

    A class attribute is the same Symbol whether reached by bare name in a method or
    as ``Obj.Attr``; a record field is its type's field Symbol."""
    if isinstance(expr, n.Name) and expr.symbol is not None:
        return id(expr.symbol)
    if isinstance(expr, n.FieldAccess):
        if expr.symbol is not None:
            return id(expr.symbol)
        base = expr.base.ptype
        if isinstance(base, t.RecordType):
            return _field_key(base, expr.field.lower())
    return None


def _field_key(record: t.RecordType, key: str) -> object:
    symbol = getattr(record, "field_symbols", {}).get(key)
    return id(symbol) if symbol is not None else (id(record), key)


class Facts:
    """Which array places keep their declared bounds, for one program."""

    def __init__(self, program_body: list[n.Stmt]) -> None:
        self.unreliable: set[object] = set()
        self.bodies: BodyCache = {}  # FOR statement id -> (it, its body's effects)
        records, routines = _records_and_routines(program_body)
        for stmt in records:
            self._distrust(stmt.target)
            self._distrust_fields(stmt.target.ptype, set())
        replaces = _replaced_parameters(routines)
        if not replaces:
            return  # no routine replaces an array it was given: no call site to look at
        for node in walk_all(program_body):
            if isinstance(node, n.Call) and isinstance(node.target, RoutineInfo):
                for arg, param in zip(node.args, node.target.params, strict=False):
                    if not param.byref or id(param) not in replaces:
                        continue
                    arg_type = arg.ptype
                    if isinstance(arg_type, t.ArrayType) and (
                            not isinstance(param.type, t.ArrayType) or
                            param.type.bounds != arg_type.bounds):
                        self._distrust(arg)

    def address_taken(self, symbol: object) -> bool:
        """Is ``@variable`` written anywhere (a pointer could change it)? The validator marks
        the variable when it checks the ``@`` (no walk over the whole program here)."""
        return getattr(symbol, "address_taken", False)

    def _distrust(self, expr: n.Expr) -> None:
        key = _place_key(expr)
        if key is not None:
            self.unreliable.add(key)

    def _distrust_fields(self, ptype: object, seen: set[int]) -> None:
        if not isinstance(ptype, t.RecordType) or id(ptype) in seen:
            return
        seen.add(id(ptype))
        for key, (_, field_type) in ptype.fields.items():
            self.unreliable.add(_field_key(ptype, key))
            self._distrust_fields(field_type, seen)
            if isinstance(field_type, t.ArrayType):
                self._distrust_fields(field_type.element, seen)

    def reliable(self, expr: n.Expr) -> bool:
        """Are ``expr``'s declared bounds its bounds at run time?"""
        ptype = expr.ptype
        if not isinstance(ptype, t.ArrayType) or ptype.bounds is None:
            return False
        if isinstance(expr, n.Name):
            symbol = expr.symbol
            return symbol is not None and symbol.declared and symbol.kind in (
                VARIABLE_KIND, ATTRIBUTE_KIND) and id(
                symbol) not in self.unreliable  # _place_key(expr), inlined
        if isinstance(expr, n.FieldAccess):
            ok = isinstance(expr.base.ptype, (t.RecordType, t.ClassType))
        else:
            ok = False
        return ok and _place_key(expr) not in self.unreliable


def interval(expr: n.Expr, ranges: dict[int, Interval]) -> Interval:
    """The values an INTEGER expression can take, as far as this can tell."""
    if expr.ptype is not t.INTEGER:
        return UNKNOWN
    if isinstance(expr, n.Literal):
        return (expr.value, expr.value) if type(expr.value) is int else UNKNOWN
    if isinstance(expr, n.Name):
        symbol = expr.symbol
        if symbol is None:
            return UNKNOWN
        if symbol.kind is CONSTANT_KIND and type(symbol.value) is int:
            return (symbol.value, symbol.value)
        return ranges.get(id(symbol), UNKNOWN)
    if isinstance(expr, n.UnaryOp) and expr.op == "-":
        low, high = interval(expr.operand, ranges)
        return (None if high is None else -high, None if low is None else -low)
    if isinstance(expr, n.BinaryOp):
        left = interval(expr.left, ranges)
        right = interval(expr.right, ranges)
        if expr.op == "+":
            return (_add(left[0], right[0]), _add(left[1], right[1]))
        if expr.op == "-":
            return (_sub(left[0], right[1]), _sub(left[1], right[0]))
        if expr.op == "*" and None not in left and None not in right:
            products = [a * b for a in left for b in right]  # type: ignore[operator]
            return (min(products), max(products))
        positive = right[0] is not None and right[0] == right[1] and right[0] > 0
        if expr.op == "DIV" and positive and None not in left:
            return (left[0] // right[0], left[1] // right[0])  # type: ignore[operator]
        if expr.op == "MOD" and right[0] is not None and right[0] == right[1] and right[0] > 0:
            return (0, right[0] - 1)  # Python's % of a positive divisor
    return UNKNOWN


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _sub(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a - b


def for_interval(stmt: n.For, step: int, ranges: dict[int, Interval]) -> Interval:
    """The values a FOR variable takes inside the body (counting up or down)."""
    start = interval(stmt.start, ranges)
    end = interval(stmt.end, ranges)
    return (start[0], end[1]) if step > 0 else (end[0], start[1])


class BodyEffects:
    """What a FOR body can do to variables, gathered in one walk (nested FOR bodies are
    summarised once and reused, so an outer loop does not walk an inner body again)."""

    __slots__ = ("changed", "routines", "unresolved_call", "pointers")

    def __init__(self) -> None:
        self.changed: set[int] = set()  # ids of symbols assigned, read into, looped over, @-taken
        self.routines: list[object] = []  # routines called (with or without brackets)
        self.unresolved_call = False  # a method or something unresolved is called
        self.pointers = False  # NEW or a dereference

    def merge(self, other: BodyEffects) -> None:
        self.changed |= other.changed
        self.routines.extend(other.routines)
        self.unresolved_call = self.unresolved_call or other.unresolved_call
        self.pointers = self.pointers or other.pointers


BodyCache = dict[int, tuple[n.For, BodyEffects]]


def body_effects(stmt: n.For, cache: BodyCache) -> BodyEffects:
    """The effects of ``stmt.body``, cached by the FOR statement (kept in the entry, so its
    id cannot be reused while the entry lives)."""
    found = cache.get(id(stmt))
    if found is not None and found[0] is stmt:
        return found[1]
    effects = BodyEffects()
    changed = effects.changed
    note_routine = effects.routines.append
    stack: list[n.Node] = list(stmt.body)
    push, push_all = stack.append, stack.extend
    while stack:
        node = stack.pop()
        step = _STEPS.get(node.__class__)
        if step is None:
            step = _STEPS[node.__class__] = _step_of(node.__class__)
        kind, singles, lists = step
        if kind == _FOR:
            _note_target(node.variable, changed)  # type: ignore[attr-defined]
            effects.merge(body_effects(node, cache))  # type: ignore[arg-type]
            push(node.variable)  # type: ignore[attr-defined]
            push(node.start)  # type: ignore[attr-defined]
            push(node.end)  # type: ignore[attr-defined]
            if node.step is not None:  # type: ignore[attr-defined]
                push(node.step)  # type: ignore[attr-defined]
            continue
        if lists is None:  # a field holding tuples (ARRAY bounds): the general walk
            push_all(n.iter_children(node))
        else:  # the children by their field names (a leaf has none)
            # Most children are names and literals: they are looked at here rather than
            # pushed and popped (what the _NAME case below does for a name, inlined).
            for name in singles:
                child = getattr(node, name)
                if child.__class__ is _NAME_NODE:
                    symbol = child.symbol
                    if symbol is not None and symbol.kind in _ROUTINE_KINDS:
                        note_routine(symbol.routine)
                elif child.__class__ is not _LITERAL_NODE and child is not None:
                    push(child)
            for name in lists:
                for child in getattr(node, name):
                    if child.__class__ is _NAME_NODE:
                        symbol = child.symbol
                        if symbol is not None and symbol.kind in _ROUTINE_KINDS:
                            note_routine(symbol.routine)
                    elif child.__class__ is not _LITERAL_NODE:
                        push(child)
        if kind == _OTHER:
            continue
        if kind == _NAME:
            symbol = node.symbol  # type: ignore[attr-defined]
            if symbol is not None and symbol.kind in _ROUTINE_KINDS:
                note_routine(symbol.routine)  # a FUNCTION called without brackets
        elif kind == _TARGET:
            _note_target(node.target, changed)  # type: ignore[attr-defined]
        elif kind == _INPUT:
            for target in node.targets:  # type: ignore[attr-defined]
                _note_target(target, changed)
        elif kind == _CALL:
            target = node.target  # type: ignore[attr-defined]
            if isinstance(target, RoutineInfo):
                note_routine(target)
                for arg, param in zip(node.args, target.params,  # type: ignore[attr-defined]
                                      strict=False):
                    if param.byref:
                        _note_target(arg, changed)
            elif target is None:
                effects.unresolved_call = True
        else:  # _POINTER
            effects.pointers = True
    cache[id(stmt)] = (stmt, effects)
    return effects


_OTHER, _FOR, _TARGET, _INPUT, _CALL, _POINTER, _NAME = range(7)
# node class -> (what it can do to a variable, the fields holding one child node or None,
# the fields holding a list of nodes; None: a list of tuples), filled as met. Pushing the
# fields' values straight onto the stack costs a third of a generator per node.
Step = tuple[int, tuple[str, ...], tuple[str, ...] | None]
_STEPS: dict[type, Step] = {}


def _step_of(node_type: type) -> Step:
    if not issubclass(node_type, n.Node):  # None, or anything else a field may hold
        return (_OTHER, (), ())
    singles: list[str] = []
    lists: list[str] | None = []
    for name in n.child_fields(node_type):
        declared = node_type._node_fields[name].type  # type: ignore[attr-defined]
        if "tuple" in declared:
            lists = None
        elif declared.startswith("list["):
            if lists is not None:
                lists.append(name)
        else:
            singles.append(name)
    return (_kind_of(node_type), tuple(singles), None if lists is None else tuple(lists))


def _kind_of(node_type: type) -> int:
    if issubclass(node_type, n.For):
        return _FOR
    if issubclass(node_type, (n.Assign, n.ReadFile, n.GetRecord, n.AddressOf)):
        return _TARGET  # its ``target`` is changed (or may be, through the pointer)
    if issubclass(node_type, n.Input):
        return _INPUT
    if issubclass(node_type, n.Call):
        return _CALL
    if issubclass(node_type, (n.NewObject, n.Deref)):
        return _POINTER
    if issubclass(node_type, n.Name):
        return _NAME
    return _OTHER


def _note_target(expr: n.Node, changed: set[int]) -> None:
    if isinstance(expr, n.Name) and expr.symbol is not None:
        changed.add(id(expr.symbol))


def loop_variable_is_kept(stmt: n.For, facts: Facts | None = None) -> bool:
    """Can nothing in the body change the FOR variable?

    Assignments, INPUT, READFILE, inner FOR loops over it and BYREF arguments change
    it. A global may also be changed by a routine the body calls: trusted only when
    that routine assigns no such global, calls nothing itself, and no pointer to the
    variable exists anywhere (``facts``). A class attribute: no call at all."""
    symbol = stmt.variable.symbol
    if symbol is None:
        return False
    effects = body_effects(stmt, facts.bodies if facts is not None else {})
    if id(symbol) in effects.changed:
        return False
    if symbol.scope is ROUTINE_SCOPE:
        return True
    if effects.unresolved_call or effects.pointers:
        return False
    if not effects.routines:
        return True
    if facts is None or symbol.scope is not GLOBAL_SCOPE or facts.address_taken(symbol):
        return False
    return all(isinstance(info, RoutineInfo) and not info.makes_calls
               and symbol not in info.global_symbols for info in effects.routines)


def _is(expr: n.Node, symbol: object) -> bool:
    return isinstance(expr, n.Name) and expr.symbol is symbol
