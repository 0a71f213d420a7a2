"""The engine's imports point one way: a lower layer never imports a higher one.

Every import statement in engine/ is read with ``ast``, the ones inside
functions included (an import hidden in a function is still a dependency: that
is how the old circle between engine.translator and the process pool stayed
unnoticed). Order, lowest first (docs/development.md, ARCHITECTURE change 1):

    foundation (diagnostics, config, events, ...) -> language -> semantics (types,
    namespace, builtins -> the validator's parts, in order) -> codegen -> pipeline
    -> execution -> translator/tracing -> cli
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "engine"

GENERATOR_PARTS = ("engine.codegen.declarations", "engine.codegen.statements",
                   "engine.codegen.calls", "engine.codegen.expressions")

# Lowest first. A module belongs to the first layer whose prefix matches it best
# (the longest prefix wins, so engine.language.diagnostics is foundation).
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("engine", "engine.language.diagnostics", "engine.config",
                    "engine.events", "engine.telemetry", "engine.sources")),
    ("language", ("engine.language",)),
    # The parser's parts, one way: the cursor, expressions (and types) on it, blocks and
    # definitions on expressions, the statement loop (engine.language.parser) on all.
    ("parser cursor", ("engine.language.cursor",)),
    ("parser expressions", ("engine.language.expressions",)),
    ("parser blocks", ("engine.language.blocks", "engine.language.definitions")),
    ("parser", ("engine.language.parser",)),
    ("semantics", ("engine.semantics",)),  # types, namespace, builtins: what checks use
    # The validator's parts, in the order they may import each other (validator.py's
    # docstring): what they share, expressions (calls mixed in), pass 1, statements,
    # then the Validator that wires them.
    ("semantics.shared", ("engine.semantics.context", "engine.semantics.hints",
                          "engine.semantics.constants", "engine.semantics.program_checks")),
    ("semantics.expressions", ("engine.semantics.calls", "engine.semantics.expressions")),
    ("semantics.declarations", ("engine.semantics.declarations",)),
    ("semantics.statements", ("engine.semantics.statements",)),
    ("semantics.validator", ("engine.semantics.validator",)),
    # The code generator's parts, one way (engine/codegen/README.md): the ast building
    # blocks and the state they share, the four parts over them (which meet only through
    # ``self``: test_the_generator_parts_import_none_of_each_other), then the Generator
    # that puts them together, emit, the namer and the plain style.
    ("codegen.shared", ("engine.codegen.pyast", "engine.codegen.bounds",
                        "engine.codegen.base")),
    ("codegen.parts", GENERATOR_PARTS),
    ("codegen", ("engine.codegen",)),
    ("pipeline", ("engine.pipeline", "engine.result")),
    # The process pool, bottom up (engine/execution/README.md): what a worker runs, the
    # worker process, a job as its submitter sees it, a worker's channel, the
    # supervisor, the facade; then the batch scheduler and the program runner.
    ("execution.jobs", ("engine.execution.seams", "engine.execution.jobs")),
    ("execution.worker", ("engine.execution.worker",)),
    ("execution.tasks", ("engine.execution.tasks",)),
    ("execution.channel", ("engine.execution.channel",)),
    ("execution.dispatcher", ("engine.execution.dispatcher",)),
    ("execution.pool", ("engine.execution.process_pool",)),
    ("execution", ("engine.execution",)),
    # The tracer runs programs with engine.execution.runner and reads the pipeline's
    # tree; it is a sibling of the translator, used by the CLI and the GUI.
    ("translator", ("engine.translator", "engine.tracing", "engine.folder_batch")),
    ("cli", ("engine.cli",)),
]

# (importer, imported): an import that points up on purpose, and why.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("engine.language.diagnostics_doc", "engine.translator"):
        "a developer tool (python -m engine.language.diagnostics_doc) that writes "
        "docs/diagnostics.md by translating each code's example; nothing in the engine "
        "imports it",
}

FORBIDDEN_ROOTS = ("gui", "PySide6", "shiboken6", "pyqtgraph", "launcher")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(ENGINE.rglob("*.py"))}


def _package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _imports(module: str, path: Path, known: set[str]) -> list[tuple[str, int]]:
    """Every module ``module`` imports (anywhere in the file), with the line."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package_of(module, path).split(".")
                package = package[:len(package) - (node.level - 1)]
                base = ".".join(package + ([base] if base else []))
            for alias in node.names:
                # "from engine.language import diagnostics" imports a module.
                candidate = f"{base}.{alias.name}"
                found.append((candidate if candidate in known else base, node.lineno))
    return found


def _layer(module: str) -> int:
    best, rank = -1, -1
    for index, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), index
    assert rank >= 0, f"{module} is in no layer: add it to LAYERS"
    return rank


def _graph() -> dict[str, dict[str, int]]:
    modules = _modules()
    known = set(modules)
    graph: dict[str, dict[str, int]] = {}
    for module, path in modules.items():
        edges: dict[str, int] = {}
        for imported, line in _imports(module, path, known):
            if imported in known and imported != module:
                edges.setdefault(imported, line)
        graph[module] = edges
    return graph


def test_every_engine_module_is_in_a_layer() -> None:
    for module in _modules():
        _layer(module)


def test_no_engine_module_imports_a_higher_layer() -> None:
    wrong = []
    used_exceptions = set()
    for module, edges in _graph().items():
        for imported, line in edges.items():
            if _layer(imported) <= _layer(module):
                continue
            if (module, imported) in EXCEPTIONS:
                used_exceptions.add((module, imported))
                continue
            wrong.append(f"{module}:{line} imports {imported} "
                         f"({LAYERS[_layer(module)][0]} -> {LAYERS[_layer(imported)][0]})")
    assert not wrong, "imports that point up:\n" + "\n".join(wrong)
    assert used_exceptions == set(EXCEPTIONS), \
        f"exceptions no longer needed: {set(EXCEPTIONS) - used_exceptions}"


def _cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _without_package_inits(graph: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Drop edges from a package's __init__ to its own submodules: importing a submodule
    always runs its package first, so "package -> its submodule" is not a circle."""
    modules = _modules()
    trimmed: dict[str, dict[str, int]] = {}
    for module, edges in graph.items():
        is_package = modules[module].name == "__init__.py"
        trimmed[module] = {target: line for target, line in edges.items()
                           if not (is_package and target.startswith(module + "."))}
    return trimmed


def test_the_generator_parts_import_none_of_each_other() -> None:
    graph = _graph()
    crossing = {(part, other) for part in GENERATOR_PARTS for other in graph[part]
                if other in GENERATOR_PARTS}
    assert not crossing, crossing


def test_no_import_circle_between_engine_modules() -> None:
    circles = _cycles(_without_package_inits(_graph()))
    assert not circles, f"import circles: {circles}"


def test_the_cycle_finder_finds_a_circle() -> None:
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_relative_and_submodule_imports_are_resolved(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from engine.language import diagnostics\n"
                      "    import engine.pipeline\n", encoding="utf-8")
    known = {"engine.language", "engine.language.diagnostics", "engine.pipeline"}
    assert _imports("engine.x", source, known) == [
        ("engine.language.diagnostics", 2), ("engine.pipeline", 3)]


def test_the_engine_never_imports_the_gui_or_qt() -> None:
    wrong = []
    for module, path in _modules().items():
        for imported, line in _imports(module, path, set()):
            if imported.split(".")[0] in FORBIDDEN_ROOTS:
                wrong.append(f"{module}:{line} imports {imported}")
    assert not wrong, "\n".join(wrong)
