"""The import graph of the repository's packages, read with ``ast`` (every import, the ones
inside functions and under ``if TYPE_CHECKING`` included).

The reader of one file is the engine layering test's (tests/engine/test_layering.py
``_imports``, with its cycle finder ``_cycles``); this adds the other packages and the
packaging scripts, which import their neighbours by bare name (``import smoke_support``).
"""

from __future__ import annotations

from pathlib import Path

from tests.engine.test_layering import _cycles, _imports

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("engine", "gui", "launcher", "packaging")

__all__ = ["ROOT", "PACKAGES", "modules", "graph", "cycles", "imports_of"]


def _name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    """Every module of ``packages`` under ``root``, by dotted name."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            if "__pycache__" not in path.parts:
                found[_name(root, path)] = path
    return found


def imports_of(module: str, path: Path, known: set[str], root: Path = ROOT) -> list[tuple[str, int]]:
    """What ``module`` imports, with the line; a script folder's bare ``import neighbour``
    (no ``__init__.py`` beside it) is resolved to that neighbour."""
    script_folder = not (path.parent / "__init__.py").exists()
    prefix = _name(root, path.parent / "x.py").rpartition(".")[0]
    resolved = []
    for name, line in _imports(module, path, known):
        if script_folder and name not in known:
            neighbour = f"{prefix}.{name.split('.')[0]}"
            if neighbour in known:
                name = neighbour
        resolved.append((name, line))
    return resolved


def graph(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> dict[str, dict[str, int]]:
    """module -> {imported module: first line}.

    ``from pkg import sub`` is an edge to ``pkg.sub`` (as import-linter reads it), not to
    ``pkg``. A package's ``__init__`` importing its own submodules IS kept: a submodule
    that imports a name back from its package's ``__init__`` (a re-export) is a real
    circle, the kind that fails with "partially initialized module".
    """
    found = modules(root, packages)
    known = set(found)
    edges: dict[str, dict[str, int]] = {}
    for module, path in found.items():
        edges[module] = {}
        for imported, line in imports_of(module, path, known, root):
            if imported in known and imported != module:
                edges[module].setdefault(imported, line)
    return edges


def cycles(edges: dict[str, dict[str, int]]) -> list[list[str]]:
    return _cycles(edges)
