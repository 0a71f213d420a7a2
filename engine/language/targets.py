"""What can be assigned to: the one rule the parser and the validator share.

A place that can hold a value is a variable name, an element of such a place
(``A[i]``, ``Grid[r][c]``), a field of such a place or of an object a call returns
(``P.Name``, ``List[i].Link``, ``Find(K).Value``), or what a pointer points to
(``Ptr^``). ``SUPER.X`` is not a place (SUPER names methods only). The parser uses it
for the left of ``<-`` (E118); the validator for INPUT, READFILE, GETRECORD, ``@`` and
BYREF arguments (E118, E505).
"""

from __future__ import annotations

from engine.language import nodes as n


def is_assignable(expr: n.Expr) -> bool:
    """Whether ``expr`` names a place a value can be stored in (see the module docstring)."""
    if isinstance(expr, n.Name):
        return True
    if isinstance(expr, n.Index):
        return is_assignable(expr.base)
    if isinstance(expr, n.FieldAccess):
        return not isinstance(expr.base, n.SuperRef) and (
            is_assignable(expr.base) or isinstance(expr.base, n.Call))
    return isinstance(expr, n.Deref)


def root_name(expr: n.Expr) -> n.Name | None:
    """The variable a place belongs to (``A`` for ``A[i].F^``), or None (a call's result)."""
    depth = 0
    while depth < 1000:
        depth += 1
        if isinstance(expr, n.Name):
            return expr
        if isinstance(expr, (n.Index, n.FieldAccess)):
            expr = expr.base
        elif isinstance(expr, n.Deref):
            expr = expr.pointer
        else:
            return None
    return None
