"""The lower bounds an open array parameter (``ARRAY OF T``) stands for, in the plain style.

In the plain style an array is a list, and a dimension whose lower bound ``L`` is not 0
or 1 is indexed ``A[i - L]`` (docs/language.md, The plain style). A parameter written
``ARRAY OF T`` has no bounds of its own: it gets those of the arrays passed to it. When
every call passes arrays with the same lower bound (counting 0 and 1 as one: both are
indexed as they are), the routine indexes its parameter with that offset; arrays passed
on from another open array parameter count with what that one stands for. Where the
callers differ (``[1:5]`` here, ``[5:9]`` there), the lower bound goes with the list:
``def Total(V, *, V_low)``, called ``Total(A, V_low=5)``, indexing ``V[i - V_low]``.
"""

from __future__ import annotations

from engine.language import nodes as n
from engine.semantics import types as t
from engine.semantics.namespace import RoutineInfo, Symbol

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
        self.params: dict[int, Symbol] = {}  # every open array parameter given something

    def note(self, call: n.Call, info: RoutineInfo) -> None:
        for arg, param in zip(call.args, info.params, strict=False):
            if not isinstance(param.type, t.ArrayType) or param.type.bounds is not None:
                continue
            self.params[id(param)] = param
            array = arg.ptype
            if isinstance(array, t.ArrayType) and array.bounds:
                self.direct.setdefault(id(param), set()).add(
                    tuple(0 if low in (0, 1) else low for low, _ in array.bounds))
            elif isinstance(arg, n.Name) and arg.symbol is not None:
                self.passed_on.setdefault(id(param), set()).add(id(arg.symbol))
            else:
                self.direct.setdefault(id(param), set()).add(())  # unknown: no agreement

    def lower_bounds(self) -> dict[int, Offsets]:
        return {param: offsets for param, offsets in self._agreed().items() if any(offsets)}

    def _agreed(self) -> dict[int, Offsets]:
        """Parameter -> the lower bounds all its callers give it (0 and 1 as 0)."""
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
        return known

    def varying(self) -> list[Symbol]:
        """The one-dimension open array parameters given arrays of different lower bounds:
        they take the lower bound with the list (``def P(V, *, V_low)``)."""
        agreed = self._agreed()
        return [param for key, param in self.params.items() if key not in agreed and
                getattr(param.type, "dims", 1) == 1 and self._offsets_seen(key) - {(0,), ()}]

    def _offsets_seen(self, key: int, depth: int = 0) -> set[Offsets]:
        seen = set(self.direct.get(key, set()))
        if depth < 50:
            for source in self.passed_on.get(key, set()):
                seen |= self._offsets_seen(source, depth + 1) or {()}
        return seen
