"""The three stages of a translation, as module-level functions on picklable data.

``parse_stage`` and ``validate_stage`` are pure functions of their arguments,
so the process pool can run them in worker processes; their results cross
the process boundary by pickling.
"""

from __future__ import annotations

import gc
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.config import PYTHON_STYLES
from engine.language import diagnostics as diag
from engine.language.diagnostics import Diagnostic
from engine.language.nodes import Program
from engine.language.parser import parse
from engine.semantics.validator import Validator

if TYPE_CHECKING:
    from engine.codegen.emit import GeneratedProgram

# Deep (but bounded) trees need more than Python's default 1000 frames to
# walk, pickle and unparse; the parser caps nesting well below this.
if sys.getrecursionlimit() < 6000:
    sys.setrecursionlimit(6000)


_gc_lock = threading.Lock()
_gc_users = 0
_gc_was_enabled = False


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a stage runs.

    A stage allocates hundreds of thousands of small objects that all live until it
    ends; the collector would walk them again and again (about a third of the time).
    Reference counting still frees everything; the collector runs again afterwards.
    Counted, so overlapping translations on several threads restore it correctly."""
    global _gc_users, _gc_was_enabled
    with _gc_lock:
        if _gc_users == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0 and _gc_was_enabled:
                gc.enable()


# Public: a caller running the whole pipeline pauses the collector once around it.
without_cyclic_gc = _without_cyclic_gc


@dataclass
class ParsedDocument:
    program: Program
    diagnostics: list[Diagnostic] = field(default_factory=list)
    source_chars: int = 0


@dataclass
class ValidatedDocument:
    program: Program
    diagnostics: list[Diagnostic] = field(default_factory=list)
    strict: bool = False

    @property
    def has_errors(self) -> bool:
        return diag.has_errors(self.diagnostics)


def parse_stage(text: str) -> ParsedDocument:
    """Text -> syntax tree and the lexical and syntax diagnostics."""
    with _without_cyclic_gc():
        program, problems = parse(text)
    return ParsedDocument(program, problems, len(text))


def validate_stage(parsed: ParsedDocument, strict: bool = False) -> ValidatedDocument:
    """Check the tree; return it annotated, with every diagnostic so far, sorted."""
    validator = Validator(strict=strict)
    with _without_cyclic_gc():
        problems = validator.run(parsed.program)
    validator.__dict__.clear()  # a reference cycle: free its tables now (see parser.parse)
    everything = sorted(parsed.diagnostics + problems, key=diag.sort_key)
    return ValidatedDocument(parsed.program, _dedupe(everything), strict)


def generate_stage(validated: ValidatedDocument, style: str = "checked") -> GeneratedProgram:
    """Python source for a program without errors, in one of ``PYTHON_STYLES``: "checked"
    (runtime checks, errors name the pseudocode line; what Run runs) or "plain" (the
    Python a teacher would write, engine/codegen/plain)."""
    if style not in PYTHON_STYLES:
        raise ValueError(f"unknown Python style {style!r}")
    # Imported here: ``check`` (parse and validate only) never loads the code generator.
    from engine.codegen.emit import emit
    from engine.codegen.generator import Generator
    from engine.codegen.names import assign_python_names
    from engine.codegen.plain import generate_plain

    program = validated.program
    with _without_cyclic_gc():
        assign_python_names(program.symbols or [])
        if style == "plain":
            return generate_plain(program)
        generator = Generator()
        body = generator.program(program)
        return emit(generator, body)


def _dedupe(items: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple[str, int, int, str]] = set()
    out = []
    for item in items:
        key = (item.code, item.line, item.column, item.message)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
