"""Code generator: a validated pseudocode tree -> a Python ``ast`` tree.

Each pseudocode statement becomes the Python statement(s) that mean the same
(LANGUAGE.md sections 2-10). Comments and blank lines become marker
statements that ``emit.py`` turns back into ``#`` comments after
``ast.unparse``; every generated statement remembers its pseudocode line, so
runtime errors can name it.

``Generator`` is the parts put together, one ``visit_<Node>`` handler per node kind
(dispatched by ``nodes.NodeVisitor``): declarations.py (types, classes, routines),
statements.py, calls.py (routine calls, BYREF, built-ins) and expressions.py, over the
shared state of base.py, built with the primitives of pyast.py.
"""

from __future__ import annotations

import ast

from engine.codegen import bounds
from engine.codegen.calls import CallGenerator
from engine.codegen.declarations import DeclarationGenerator, _dependencies_first, _parents_first
from engine.codegen.expressions import ExpressionGenerator
from engine.codegen.statements import StatementGenerator
from engine.language import nodes as n


class Generator(DeclarationGenerator, StatementGenerator, CallGenerator, ExpressionGenerator):
    # ------------------------------------------------------------ program
    def program(self, program: n.Program) -> list[ast.stmt]:
        body = program.body
        self.facts = bounds.Facts(body)
        # One pass sorts the statements into the four groups, by their class (a class
        # not in _GROUP, e.g. a subclass, is sorted by isinstance and remembered).
        groups: tuple[list[n.Stmt], ...] = ([], [], [], [])
        for stmt in body:
            group = _GROUP.get(stmt.__class__)
            if group is None:
                group = _GROUP[stmt.__class__] = _group_of(stmt)
            groups[group].append(stmt)
        types, classes, definitions, rest = groups
        ordered = _dependencies_first(types) + _parents_first(classes) + definitions + rest
        out: list[ast.stmt] = []
        statement = self.statement
        for stmt in ordered:
            out.extend(statement(stmt))
        return out

    def block(self, body: list[n.Stmt], head: list[ast.stmt] | None = None,
              tail: list[ast.stmt] | None = None) -> list[ast.stmt]:
        out: list[ast.stmt] = list(head) if head else []
        statement = self.statement
        for stmt in body:
            out.extend(statement(stmt))
        if tail:
            out.extend(tail)
        is_marker = self._is_marker
        for s in out:
            if not is_marker(s):
                break
        else:  # nothing but comment markers: a block needs a statement
            passer = ast.Pass()
            self.lines[id(passer)] = self.line
            self.kept.append(passer)
            out.append(passer)
        return out

    def statement(self, stmt: n.Stmt) -> list[ast.stmt]:
        line = self.line = stmt.span.line
        out = self.trivia(stmt.before) if stmt.before else None  # markers in source order
        outer = (self.prelude, self.effects, self.conditional)
        self.prelude, self.effects, self.conditional = [], 0, 0
        # GeneratorBase.visit, inlined: this runs for every statement of the program.
        produced: list[ast.stmt] = self._dispatch[stmt.__class__](self, stmt)
        if self.prelude:
            produced = self.prelude + produced
        self.prelude, self.effects, self.conditional = outer
        lines = self.lines  # self.mark(produced, line), inlined
        for node in produced:
            lines.setdefault(id(node), line)
        self.kept.extend(produced)
        if stmt.trailing is not None and not isinstance(stmt, _COMPOUND):
            out = out or []
            out.extend(produced)
            out.append(self.marker("trailing", stmt.trailing))
            return out
        if out is None:
            return produced  # the common case: no comment around it, nothing to copy
        out.extend(produced)
        return out

    def generic_visit(self, node: n.Node) -> None:
        raise NotImplementedError(f"the code generator has no handler for {type(node).__name__}")


_TYPES, _CLASSES, _DEFINITIONS, _REST = range(4)  # program's groups, in their order
_GROUP: dict[type, int] = {}  # statement class -> its group, filled as met


def _group_of(stmt: n.Stmt) -> int:
    if isinstance(stmt, (n.RecordType, n.EnumType, n.PointerType)):
        return _TYPES
    if isinstance(stmt, n.ClassDef):
        return _CLASSES
    if isinstance(stmt, (n.Procedure, n.Function, n.Declare, n.ConstantDecl)):
        return _DEFINITIONS
    return _REST


_COMPOUND = (n.If, n.While, n.Repeat, n.For, n.Case, n.Procedure, n.Function, n.ClassDef,
             n.RecordType, n.EnumType, n.PointerType)
