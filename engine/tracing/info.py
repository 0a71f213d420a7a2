"""What the tracer needs to know about a program, taken from its checked tree.

The child process sees only Python: names the generator may have renamed
(``print_``, ``_unused_X``), temporaries (``_index1``, ``_result1``) and
helper objects. ``trace_info`` gives it, as plain JSON-able data, the map
from each Python name back to the pseudocode's spelling (anything not in it
is hidden), the routines with their BYREF parameters, and the pseudocode
lines that only declare (exam tables show no values for a DECLARE).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.language import nodes as n
from engine.language.diagnostics import Diagnostic, Severity
from engine.pipeline import generate_stage, parse_stage, validate_stage
from engine.semantics.namespace import SymbolKind

_VALUE_KINDS = (SymbolKind.VARIABLE, SymbolKind.PARAMETER)


@dataclass
class PreparedProgram:
    """A checked program ready to trace, or the errors that stop it."""

    code: str = ""
    line_map: dict[int, int] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def ok(self) -> bool:
        return bool(self.code) and not self.errors


def prepare(text: str, strict: bool = False) -> PreparedProgram:
    """Parse, check and translate ``text`` (the checked Python style, as Run uses)."""
    validated = validate_stage(parse_stage(text), strict=strict)
    if validated.has_errors:
        return PreparedProgram(diagnostics=validated.diagnostics)
    generated = generate_stage(validated)
    return PreparedProgram(generated.code, dict(generated.line_map),
                           trace_info(validated.program), validated.diagnostics)


def trace_info(program: n.Program) -> dict[str, Any]:
    """Names, routines and declaration lines of a translated program (JSON-able)."""
    names: dict[str, str] = {}
    for symbol in program.symbols or []:
        if symbol.kind in _VALUE_KINDS and symbol.python_name:
            names.setdefault(symbol.python_name, symbol.name)
    routines: dict[str, dict[str, Any]] = {}
    declarations: set[int] = set()
    _walk(program.body, "", routines, declarations)
    return {"names": names, "routines": routines, "declaration_lines": sorted(declarations),
            "reads_input": _reads_input(program)}


def _reads_input(program: n.Program) -> bool:
    stack: list[n.Node] = list(program.body)
    while stack:
        node = stack.pop()
        if isinstance(node, n.Input):
            return True
        stack.extend(n.iter_children(node))
    return False


def _walk(body: list[n.Stmt], owner: str, routines: dict[str, dict[str, Any]],
          declarations: set[int]) -> None:
    stack: list[n.Node] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (n.Declare, n.ConstantDecl)):
            declarations.add(node.span.line)
            continue
        if isinstance(node, n.ClassDef):
            _walk(node.members, node.name.name, routines, declarations)
            continue
        if isinstance(node, (n.Procedure, n.Function)):
            info = node.info
            params = list(info.params) if info is not None else []
            python_name = _routine_python_name(node)
            display = f"{owner}.{node.name.name}" if owner else node.name.name
            key = f"{owner}.{python_name}" if owner else python_name
            routines[key] = {
                "name": display,
                "function": isinstance(node, n.Function),
                "params": [p.python_name or p.name for p in params],
                "byref": [bool(p.byref) for p in params],
            }
        stack.extend(n.iter_children(node))


def _routine_python_name(node: n.Procedure | n.Function) -> str:
    info = node.info
    if info is not None and info.owner is not None and node.name.name.upper() == "NEW":
        return "__init__"
    symbol = getattr(info, "symbol", None)
    if symbol is not None and getattr(symbol, "python_name", ""):
        return str(symbol.python_name)
    return node.name.name
