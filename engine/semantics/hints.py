"""The wording helpers of the validator's messages and hints (pyflakes keeps its messages
apart from its checks in the same way): articles, how a call or a target is written
back to the user, and the "Did you mean ...?" guess."""

from __future__ import annotations

import difflib

from engine.language import nodes as n
from engine.language.targets import root_name
from engine.semantics import types as t
from engine.semantics.namespace import ClassScope, Namespace, Symbol, SymbolKind


def with_article(word: str) -> str:
    """``a STRING``, ``an INTEGER``."""
    return ("an " if word[:1] in "AEIOU" else "a ") + word


def call_text(call: n.Call) -> str:
    """How the user would write the call, for a hint (``Obj.Method(...)``)."""
    func = call.func
    if isinstance(func, n.Name):
        name = func.name
    elif isinstance(func, n.FieldAccess):
        owner = func.base.name if isinstance(func.base, n.Name) else "Object"
        name = f"{owner}.{func.field}"
    else:
        name = "Name"
    return f"{name}(...)" if call.args else name


def source_name(expr: n.Expr) -> str:
    """A short way to write ``expr`` in a hint: its name, or x."""
    if isinstance(expr, n.Name):
        return expr.name
    if isinstance(expr, n.Literal) and not isinstance(expr.value, bool):
        return repr(expr.value) if not isinstance(expr.value, str) else "x"
    return "x"


def describe_target(target: n.Expr) -> str:
    """What an assignment stores into, in words."""
    root = root_name(target)
    if isinstance(target, n.Name):
        return target.name
    if root is not None:
        return f"an element or field of {root.name}"
    return "the target"


def compare_hint(left: t.PType, right: t.PType) -> str:
    if t.is_numeric(left) and t.is_text(right) or t.is_text(left) and t.is_numeric(right):
        return "Convert one side: NUM_TO_STR(x) or STR_TO_NUM(s)."
    return "Compare values of the same type."


def signature_hint(name: str, params: list[Symbol]) -> str:
    if not params:
        return f"{name} takes no arguments."
    listed = ", ".join(f"{'BYREF ' if p.byref else ''}{p.name} : {p.type.describe()}"
                       for p in params)
    return f"{name}({listed})."


def did_you_mean(ns: Namespace, written: str, kinds: tuple[SymbolKind, ...],
                 extra: tuple[str, ...] = ()) -> str | None:
    """The closest known name of one of ``kinds``, for a hint about a typo."""
    candidates: dict[str, str] = {}
    for _kind, scope in ns.scopes:
        members = scope.every() if isinstance(scope, ClassScope) else scope
        for key, symbol in members.items():
            if symbol.kind in kinds and (symbol.declared or symbol.assigned):
                candidates.setdefault(key, symbol.name)
    for name in extra:
        candidates.setdefault(name.lower(), name)
    candidates.pop(written.lower(), None)
    close = difflib.get_close_matches(written.lower(), list(candidates), n=1, cutoff=0.75)
    return candidates[close[0]] if close else None
