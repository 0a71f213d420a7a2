"""Picks the runtime helpers a program needs and returns their source text.

The helpers are the top-level definitions of ``runtime.py``; this module
reads that file once, splits it into named units (with the comment lines just
above each unit), and closes a set of names over ``runtime.REQUIRES``.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from engine.codegen import runtime

_SKIP = {"REQUIRES", "IMPORTS", "_PSEUDO_LINES"}


@functools.cache
def _units() -> tuple[dict[str, str], tuple[str, ...]]:
    path = Path(runtime.__file__)
    if path.suffix != ".py":  # frozen builds keep the source next to the bytecode
        path = path.with_suffix(".py")
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    units: dict[str, str] = {}
    previous_end = 0
    for node in tree.body:
        name: str | None = None
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            name = node.name
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                node.targets[0], ast.Name):
            name = node.targets[0].id
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name = node.target.id
        start = node.lineno - 1
        end = node.end_lineno or node.lineno
        if name is not None and name not in _SKIP and name.startswith("_"):
            first = start
            while first > previous_end and lines[first - 1].lstrip().startswith("#"):
                first -= 1
            units[name] = "\n".join(lines[first:end])
        previous_end = end
    return units, tuple(units)


def closure(names: set[str]) -> list[str]:
    """The helpers ``names`` need, in the order they appear in runtime.py."""
    needed: set[str] = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name in needed:
            continue
        needed.add(name)
        stack.extend(runtime.REQUIRES.get(name, ()))
    _units_map, order = _units()
    return [name for name in order if name in needed]


def source_of(name: str) -> str:
    return _units()[0][name]


def imports_of(names: list[str]) -> set[str]:
    found: set[str] = set()
    for name in names:
        found.update(runtime.IMPORTS.get(name, ()))
    return found
