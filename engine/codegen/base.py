"""What every part of the code generator shares: the state of one translation.

``GeneratorBase`` holds what the program is found to use (helpers, imports, whether it
can fail at run time), the comment markers and the statement -> pseudocode line table,
and the state of the statement being generated (its prelude of lifted calls, the
indices fixed in variables). The parts (declarations.py, statements.py, calls.py,
expressions.py) are mixins over it; ``generator.Generator`` puts them together.
"""

from __future__ import annotations

import ast

from engine.codegen import bounds
from engine.codegen.pyast import _attr, _call, _name, _plus
from engine.language import nodes as n
from engine.semantics import types as t
from engine.semantics.namespace import RoutineInfo, Symbol

MARKER_PREFIX = "__pc_marker_"

# Every import a generated program may have (the helpers' own are in runtime.IMPORTS, and
# ``emit`` adds ``import sys`` and the ``__future__`` import). The namer keeps user names off
# every name these bind, so a variable called os, json or datetime can never hide a module.
GENERATED_IMPORTS = frozenset({
    "import datetime", "import enum", "import random", "import sys",
    "from dataclasses import dataclass", "from dataclasses import field",
    "from __future__ import annotations",
})


class _Dispatch(dict):  # type: ignore[type-arg]
    """Node class -> its handler, for one generator class: ``handler_for`` asked once per
    node class (on the first miss), then a plain dict look-up."""

    def __init__(self, visitor: type[n.NodeVisitor]) -> None:
        super().__init__()
        self.visitor = visitor

    def __missing__(self, node_type: type) -> object:
        handler = self[node_type] = self.visitor.handler_for(node_type)
        return handler


class GeneratorBase(n.NodeVisitor):
    _dispatch: _Dispatch

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls._dispatch = _Dispatch(cls)

    def visit(self, node: n.Node) -> object:
        """``NodeVisitor.visit``, in one look-up (it runs for every node of the program)."""
        return self._dispatch[node.__class__](self, node)

    # Arrays with known bounds are read through their list (``A.items[J - 1]``); False
    # takes the general checked path everywhere (tests compare the two).
    direct_arrays = True

    def __init__(self) -> None:
        self.helpers: set[str] = set()
        self.imports: set[str] = set()
        self.markers: list[tuple[str, str]] = []
        self.lines: dict[int, int] = {}
        # Every node whose id is a key of ``lines``, kept alive with the generator: a node
        # left out afterwards (a Pass a REPEAT drops, a copy the plain style finds
        # unneeded) must not free its id for a later node, which would find its line.
        self.kept: list[ast.AST] = []
        self.may_fail = False
        # A loop or a routine: the program may run long enough to be stopped (Ctrl-C), fill
        # the memory or find its output closed, so it gets the error reporter in any case.
        self.runs_long = False
        self.deep_recursion = False
        self.big_integers = False
        self.needs_future = False
        self.routine: RoutineInfo | None = None
        self.current_class: t.ClassType | None = None
        self.prelude: list[ast.stmt] = []
        self.fixed_indices: dict[int, ast.expr] = {}  # indices (and arguments) kept in variables
        self.effects = 0      # calls already made by the statement being generated
        self.conditional = 0  # > 0 while generating what AND/OR may skip
        self.temp_count = 0
        self.line = 1
        self.facts = bounds.Facts([])
        self.ranges: dict[int, bounds.Interval] = {}  # FOR variables: the values they take
        self._byref: dict[int, tuple[RoutineInfo, list[Symbol]]] = {}  # see byref_params
        # One node per declared variable read (and assigned) and per int/str literal
        # value, shared by every place that uses it (as the Load context is): nothing
        # changes an expression leaf in place, and the printer prints a node wherever it
        # appears. Half the program's expression nodes are such leaves: this saves their
        # making and freeing, and a variable met again costs one look-up.
        self.reads: dict[Symbol, ast.Name] = {}
        self.writes: dict[Symbol, ast.Name] = {}
        self.constants: dict[int | str, ast.Constant] = {}


    # ------------------------------------------------------------ bookkeeping
    def use_import(self, line: str) -> None:
        assert line in GENERATED_IMPORTS, line
        self.imports.add(line)

    def helper(self, name: str) -> str:
        self.helpers.add(name)
        return name

    def module(self, name: str) -> str:
        """Import a module (one of ``GENERATED_IMPORTS``); its name in the program."""
        self.use_import(f"import {name}")
        return name

    # What a built-in function's translation builds with (engine/semantics/builtins.py,
    # which may not import the code generator): the primitives of pyast.py.
    call = staticmethod(_call)
    attr = staticmethod(_attr)
    plus = staticmethod(_plus)

    def marker(self, kind: str, text: str = "") -> ast.stmt:
        node = ast.Expr(_name(f"{MARKER_PREFIX}{len(self.markers)}__"))
        self.markers.append((kind, text))
        self.lines[id(node)] = self.line
        self.kept.append(node)
        return node

    def mark(self, nodes: list[ast.stmt], line: int) -> list[ast.stmt]:
        for node in nodes:
            self.lines.setdefault(id(node), line)
        self.kept.extend(nodes)
        return nodes

    def trivia(self, items: list[n.Trivia]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for item in items:
            if item is None:
                out.append(self.marker("blank"))
            elif item.strip():
                out.append(self.marker("comment", item))
            else:
                out.append(self.marker("blank"))
        return out

    def byref_params(self, info: RoutineInfo) -> list[Symbol]:
        """``info.byref_params`` (a new list per read), made once per routine: every call
        and RETURN reads it. The entry keeps ``info``, so its id is not reused."""
        found = self._byref.get(id(info))
        if found is None:
            found = self._byref[id(info)] = (info, info.byref_params)
        return found[1]

    def temp(self, stem: str) -> str:
        self.temp_count += 1
        return f"_{stem}{self.temp_count}"

    def header_trailing(self, stmt: n.Stmt) -> list[ast.stmt]:
        if stmt.trailing is None:
            return []
        self.line = stmt.span.line
        return [self.marker("trailing", stmt.trailing)]

    @staticmethod
    def _is_marker(node: ast.stmt) -> bool:
        return isinstance(node, ast.Expr) and isinstance(node.value, ast.Name) and \
            node.value.id.startswith(MARKER_PREFIX)
