"""CheckContext: the state every part of the validator shares while it walks a program.

One object, created by ``Validator`` and passed to the declaration pass, the statement
checker and the expression checker (vyper's analysis context, pyflakes's checker
state): the namespace, the diagnostics found so far, where the walk is (the routine,
the class) and what the whole-program checks need afterwards. Only the checkers hold
a reference to it, never the other way round, so nothing here forms a reference cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.language import diagnostics as diag
from engine.language.diagnostics import Diagnostic
from engine.language.nodes import Span
from engine.semantics import types as t
from engine.semantics.namespace import ClassScope, Namespace, RoutineInfo, Symbol


@dataclass(slots=True)
class Read:
    """A variable read as a value (for W211: read but never given a value)."""

    symbol: Symbol
    span: Span


class CheckContext:
    """What the checks of one program share (see the module docstring)."""

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict  # undeclared variables are errors, not warnings
        self.ns = Namespace()
        self.diagnostics: list[Diagnostic] = []
        self.symbols: list[Symbol] = []  # every Symbol, for the code generator's namer
        self.routine: RoutineInfo | None = None  # the routine being checked
        self.current_class: t.ClassType | None = None  # the class being checked
        self.loop_vars: list[Symbol] = []  # the variables of the enclosing FOR loops
        self.implicit_here: dict[str, str] = {}  # names assigned in this block: implicit
        self.global_implicit: dict[str, str] = {}  # names assigned in the main program
        self.routine_assigned: dict[int, dict[str, str]] = {}  # id(routine) -> its names
        self.reads: list[Read] = []
        self.class_scopes: dict[int, ClassScope] = {}  # id(ClassType) -> its members
        self.routine_locals: list[Symbol] = []  # the current routine's DECLAREd locals
        self.globals_seen: set[str] = set()  # globals the current routine has used so far

    def report(self, code: str, message: str, span: Span, hint: str = "") -> None:
        self.diagnostics.append(diag.make(code, message, span.line, span.column,
                                          span.end_line, span.end_column, hint,
                                          strict=self.strict))
