"""The lower bounds an open array parameter (``ARRAY OF T``) stands for, in the plain style.

In the plain style an array is a list, and a dimension whose lower bound ``L`` is not 0
or 1 is indexed ``A[i - L]`` (docs/language.md, The plain style). A parameter written
``ARRAY OF T`` has no bounds of its own: it gets those of the arrays passed to it. When
every call passes arrays with the same lower bound (counting 0 and 1 as one: both are
indexed as they are), the routine indexes its parameter with that offset; arrays passed
on from another open array parameter count with what that one stands for.
"""

from __future__ import annotations

from engine.language import nodes as n
from engine.semantics import types as t
from engine.semantics.namespace import RoutineInfo

# per dimension, the lower bound as the plain style's lists see it (0 and 1 are both 0)
Offsets = tuple[int, ...]


def lower_bounds(program: n.Program) -> dict[int, Offsets]:
    """``id(parameter symbol)`` -> the lower bounds it stands for, for each open array
    parameter whose callers all agree (the others are indexed as they are)."""
    direct: dict[int, set[Offsets]] = {}
    passed_on: dict[int, set[int]] = {}  # parameter -> open array parameters passed to it
    stack: list[n.Node] = list(program.body)
    while stack:
        node = stack.pop()
        stack.extend(n.iter_children(node))
        if not isinstance(node, n.Call) or not isinstance(node.target, RoutineInfo):
            continue
        for arg, param in zip(node.args, node.target.params, strict=False):
            if not isinstance(param.type, t.ArrayType) or param.type.bounds is not None:
                continue
            array = arg.ptype
            if isinstance(array, t.ArrayType) and array.bounds:
                direct.setdefault(id(param), set()).add(
                    tuple(0 if low in (0, 1) else low for low, _ in array.bounds))
            elif isinstance(arg, n.Name) and arg.symbol is not None:
                passed_on.setdefault(id(param), set()).add(id(arg.symbol))
            else:
                direct.setdefault(id(param), set()).add(())  # unknown: no agreement
    known: dict[int, Offsets] = {}
    for _ in range(len(direct) + len(passed_on) + 1):  # until nothing changes
        found: dict[int, Offsets] = {}
        for param in set(direct) | set(passed_on):
            seen = set(direct.get(param, set()))
            for source in passed_on.get(param, set()):
                seen.add(known.get(source, ()))
            if len(seen) == 1 and () not in seen:
                found[param] = next(iter(seen))
        if found == known:
            break
        known = found
    return {param: offsets for param, offsets in known.items() if any(offsets)}
