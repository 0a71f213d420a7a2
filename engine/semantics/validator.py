"""Validator: checks a parsed program and annotates it for the code generator.

The work is split at its seams (vyper's module / local / expression analysis), all
sharing one ``CheckContext``:

- declarations.py  pass 1: types, classes, routine signatures, globals, constants
- statements.py    ``StatementChecker``: one handler per statement node class
- expressions.py   ``ExprChecker``: one handler per expression node class (calls.py
                   mixed in), the type of each expression, names and targets
- constants.py     constant folding (array bounds, CASE labels, FOR steps)
- program_checks.py what only the whole program shows (W211, W212), RETURN paths,
                   CASE coverage
- hints.py         the wording helpers of messages and hints

Control flow (``Validator.run``):
1. declare every TYPE and CLASS name, then fill in their fields, members and
   method signatures (parents first);
2. declare every PROCEDURE and FUNCTION signature;
3. declare the program's global variables and constants, in order (constants
   give array bounds);
4. walk every statement: resolve names (case-insensitively, scopes entered
   with ``namespace.enter_scope``), infer and check types, check calls,
   BYREF arguments, RETURN, PRIVATE access; annotate expressions with their
   type and names with their symbol;
5. report what only the whole program shows: variables read but never given
   a value, declarations never used.
"""

from __future__ import annotations

from engine.language import nodes as n
from engine.language.diagnostics import Diagnostic
from engine.semantics.context import CheckContext
from engine.semantics.declarations import Declarations
from engine.semantics.expressions import ExprChecker
from engine.semantics.program_checks import whole_program_checks
from engine.semantics.statements import StatementChecker


class Validator:
    """``Validator(strict).run(program)``: the diagnostics; the tree comes back annotated."""

    def __init__(self, strict: bool = False) -> None:
        self.ctx = CheckContext(strict)
        self.exprs = ExprChecker(self.ctx)
        self.decls = Declarations(self.ctx, self.exprs)
        self.statements = StatementChecker(self.ctx, self.exprs, self.decls)

    def run(self, program: n.Program) -> list[Diagnostic]:
        ctx = self.ctx
        self.decls.declare_program(program.body)  # steps 1-3
        ctx.implicit_here = ctx.global_implicit
        self.statements.main_program(program.body)  # step 4
        whole_program_checks(ctx)  # step 5
        program.symbols = ctx.symbols
        return ctx.diagnostics
