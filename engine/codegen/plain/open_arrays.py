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


class OpenArrays:
    """Collects, call by call (``note``), what is passed to each open array parameter;
    ``lower_bounds`` then gives ``id(parameter symbol)`` -> the lower bounds it stands
    for, for each parameter whose callers all agree (the others are indexed as they are).
    """

    def __init__(self) -> None:
        self.direct: dict[int, set[Offsets]] = {}
        self.passed_on: dict[int, set[int]] = {}  # parameter -> open array parameters

    def note(self, call: n.Call, info: RoutineInfo) -> None:
        for arg, param in zip(call.args, info.params, strict=False):
            if not isinstance(param.type, t.ArrayType) or param.type.bounds is not None:
                continue
            array = arg.ptype
            if isinstance(array, t.ArrayType) and array.bounds:
                self.direct.setdefault(id(param), set()).add(
                    tuple(0 if low in (0, 1) else low for low, _ in array.bounds))
            elif isinstance(arg, n.Name) and arg.symbol is not None:
                self.passed_on.setdefault(id(param), set()).add(id(arg.symbol))
            else:
                self.direct.setdefault(id(param), set()).add(())  # unknown: no agreement

    def lower_bounds(self) -> dict[int, Offsets]:
        params = set(self.direct) | set(self.passed_on)
        known: dict[int, Offsets] = {}
        for _ in range(len(params) + 1):  # until nothing changes
            found: dict[int, Offsets] = {}
            for param in params:
                seen = set(self.direct.get(param, set()))
                for source in self.passed_on.get(param, set()):
                    seen.add(known.get(source, ()))
                if len(seen) == 1 and () not in seen:
                    found[param] = next(iter(seen))
            if found == known:
                break
            known = found
        return {param: offsets for param, offsets in known.items() if any(offsets)}
