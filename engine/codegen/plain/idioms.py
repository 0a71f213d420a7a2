"""Rewrites of the plain program's ``ast`` into the form ruff's default rules ask for.

Each rewrite replaces a statement or expression by one that means exactly the same
(the reason is given with each), and only where no comment would be lost (a body that
holds a comment marker is left as it is):

- ``if a: X`` / ``elif b: X`` with the same body -> ``if a or b: X`` (SIM114); equality
  tests of one subject against constants -> ``x in (1, 2)``;
- ``if a:`` holding only ``if b: X`` -> ``if a and b: X`` (SIM102);
- ``if c: return True else: return False`` -> ``return c`` (SIM103);
- ``if x > m: m = x`` -> ``m = max(m, x)`` (PLR1730);
- ``True or ...`` -> ``True``, ``False and ...`` -> ``False``, ``False or x`` -> ``x``,
  ``True and x`` -> ``x`` (SIM222, SIM223); ``not a == b`` -> ``a != b`` (SIM201, SIM202);
  ``not not x`` -> ``x`` for a BOOLEAN ``x`` (SIM208);
- ``global`` lists only the names the function assigns (PLW0602).
"""

from __future__ import annotations

import ast

from engine.codegen.base import MARKER_PREFIX


def _is_marker(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Name) and \
        node.value.id.startswith(MARKER_PREFIX)


def _has_marker(body: list[ast.stmt]) -> bool:
    return any(_is_marker(node) for node in body)


def _pure(node: ast.expr) -> bool:
    """Evaluating ``node`` has no effect but its value (no call, no walrus)."""
    return not any(isinstance(x, (ast.Call, ast.NamedExpr, ast.Await, ast.Yield))
                   for x in ast.walk(node))


def _same(left: list[ast.stmt], right: list[ast.stmt]) -> bool:
    return len(left) == len(right) and all(
        ast.dump(a) == ast.dump(b) for a, b in zip(left, right, strict=True))


class _Rewriter(ast.NodeTransformer):
    def visit_BoolOp(self, node: ast.BoolOp) -> ast.expr:
        self.generic_visit(node)
        deciding = isinstance(node.op, ast.Or)  # True decides an ``or``, False an ``and``
        values: list[ast.expr] = []
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, bool):
                if value.value is deciding and all(_pure(v) for v in values):
                    if not values:
                        return ast.Constant(deciding)
                    values.append(value)
                    break
                if value.value is not deciding:
                    continue  # ``False or x`` is ``x``; ``True and x`` is ``x``
            values.append(value)
        if not values:
            return ast.Constant(not deciding)
        if len(values) == 1:
            return values[0]
        node.values = values
        if isinstance(node.op, ast.Or):
            membership = _membership(values)
            if membership is not None:
                return membership
        return node

    def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.expr:
        self.generic_visit(node)
        if not isinstance(node.op, ast.Not):
            return node
        inner = node.operand
        if isinstance(inner, ast.Compare) and len(inner.ops) == 1 and isinstance(
                inner.ops[0], (ast.Eq, ast.NotEq)):
            flipped = ast.NotEq() if isinstance(inner.ops[0], ast.Eq) else ast.Eq()
            return ast.Compare(left=inner.left, ops=[flipped], comparators=inner.comparators)
        if isinstance(inner, ast.UnaryOp) and isinstance(inner.op, ast.Not) and \
                _is_boolean(inner.operand):
            return inner.operand
        if isinstance(inner, ast.Constant) and isinstance(inner.value, bool):
            return ast.Constant(not inner.value)
        return node

    def visit_If(self, node: ast.If) -> ast.stmt:
        self.generic_visit(node)
        # SIM114: the next branch does the same: one test for both.
        while len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If) and \
                not _has_marker(node.body) and _same(node.body, node.orelse[0].body):
            after = node.orelse[0]
            node.test = _either(node.test, after.test)
            node.orelse = after.orelse
        # SIM102: an ``if`` whose only statement is another ``if`` without ``else``.
        if not node.orelse and len(node.body) == 1 and isinstance(node.body[0], ast.If) and \
                not node.body[0].orelse:
            inner = node.body[0]
            node.test = _both(node.test, inner.test)
            node.body = inner.body
        # SIM103: returning the condition itself.
        if len(node.body) == 1 and len(node.orelse) == 1:
            yes, no = node.body[0], node.orelse[0]
            if isinstance(yes, ast.Return) and isinstance(no, ast.Return) and \
                    _bool_constant(yes.value) is not None and \
                    _bool_constant(no.value) is not None and \
                    _bool_constant(yes.value) != _bool_constant(no.value) and \
                    _is_boolean(node.test):
                test = node.test if _bool_constant(yes.value) else _negate(node.test)
                return ast.Return(value=test)
        # PLR1730: ``if x > m: m = x`` is ``m = max(m, x)``.
        if not node.orelse and len(node.body) == 1:
            replaced = _min_max(node.test, node.body[0])
            if replaced is not None:
                return replaced
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.stmt:
        self.generic_visit(node)
        assigned = _assigned_names(node)
        body: list[ast.stmt] = []
        for stmt in node.body:
            if isinstance(stmt, ast.Global):
                names = [x for x in stmt.names if x in assigned]
                if not names:
                    continue
                stmt.names = names
            body.append(stmt)
        node.body = body or [ast.Pass()]
        return node


def _bool_constant(node: ast.expr | None) -> bool | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return node.value
    return None


def _is_boolean(node: ast.expr) -> bool:
    """The expression gives a bool. A condition of the pseudocode is always BOOLEAN (the
    validator insists), so any test it becomes is one; only a non-bool constant is not."""
    return not (isinstance(node, ast.Constant) and not isinstance(node.value, bool))


def _negate(node: ast.expr) -> ast.expr:
    return _Rewriter().visit(ast.UnaryOp(op=ast.Not(), operand=node))


def _either(first: ast.expr, second: ast.expr) -> ast.expr:
    values: list[ast.expr] = []
    for test in (first, second):
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
            values.extend(test.values)
        else:
            values.append(test)
    membership = _membership(values)
    return membership if membership is not None else ast.BoolOp(op=ast.Or(), values=values)


def _membership(values: list[ast.expr]) -> ast.expr | None:
    """``x == 1 or x == 2`` -> ``x in (1, 2)`` (one subject, constants only)."""
    subject: str | None = None
    constants: list[ast.expr] = []
    for value in values:
        if isinstance(value, ast.Compare) and len(value.ops) == 1 and isinstance(
                value.ops[0], (ast.Eq, ast.In)) and isinstance(value.left, ast.Name):
            if subject not in (None, value.left.id):
                return None
            subject = value.left.id
            right = value.comparators[0]
            if isinstance(value.ops[0], ast.In) and isinstance(right, ast.Tuple):
                constants.extend(right.elts)
                continue
            if isinstance(value.ops[0], ast.Eq) and isinstance(right, ast.Constant):
                constants.append(right)
                continue
        return None
    if subject is None:
        return None
    return ast.Compare(left=ast.Name(id=subject, ctx=ast.Load()), ops=[ast.In()],
                       comparators=[ast.Tuple(elts=constants, ctx=ast.Load())])


def _both(first: ast.expr, second: ast.expr) -> ast.expr:
    values: list[ast.expr] = []
    for test in (first, second):
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
            values.extend(test.values)
        else:
            values.append(test)
    return ast.BoolOp(op=ast.And(), values=values)


def _min_max(test: ast.expr, stmt: ast.stmt) -> ast.stmt | None:
    if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and
            isinstance(test, ast.Compare) and len(test.ops) == 1 and
            isinstance(test.ops[0], (ast.Gt, ast.GtE, ast.Lt, ast.LtE))):
        return None
    target = ast.dump(_load(stmt.targets[0]))
    left, right = ast.dump(test.left), ast.dump(test.comparators[0])
    value = ast.dump(stmt.value)
    op = test.ops[0]
    if not (_pure(test.left) and _pure(test.comparators[0])):
        return None
    # ``if a > b: b = a`` -> b = max(b, a); ``if a >= b: b = a`` -> b = max(a, b) (ties keep
    # what the ``if`` keeps); the mirrored forms likewise with min.
    if left == value and right == target:
        func = "max" if isinstance(op, (ast.Gt, ast.GtE)) else "min"
        args = [test.comparators[0], test.left] if isinstance(op, (ast.Gt, ast.Lt)) else \
            [test.left, test.comparators[0]]
    elif left == target and right == value:
        func = "min" if isinstance(op, (ast.Gt, ast.GtE)) else "max"
        args = [test.left, test.comparators[0]] if isinstance(op, (ast.Gt, ast.Lt)) else \
            [test.comparators[0], test.left]
    else:
        return None
    call = ast.Call(func=ast.Name(id=func, ctx=ast.Load()), args=args, keywords=[])
    return ast.Assign(targets=stmt.targets, value=call, lineno=0)


def _load(node: ast.expr) -> ast.expr:
    """The same expression with Load contexts, for comparing dumps."""
    copy = ast.parse(ast.unparse(node), mode="eval").body
    return copy


def _assigned_names(func: ast.FunctionDef) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(func):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def rewrite(module: ast.Module) -> None:
    module.body = [_Rewriter().visit(node) for node in module.body]
