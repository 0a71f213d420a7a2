"""The three stages of a translation, as module-level functions on picklable data.

``parse_stage`` and ``validate_stage`` are pure functions of their arguments,
so the process pool can run them in worker processes; their results cross
the process boundary by pickling.
"""

from __future__ import annotations

import gc
import itertools
import os
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
    pseudocode: str = field(default="", repr=False, compare=False)
    # Set by pool_parse_stage: the tree stays in the worker that parsed it (see below).
    tree_key: tuple[int, int] | None = field(default=None, repr=False, compare=False)

    def __getattr__(self, name: str) -> object:
        # Only reached for a document that crossed the pipe without its tree (and whose
        # worker no longer has it): parsing the same text again gives the same tree.
        pseudocode = self.__dict__.get("pseudocode")
        if name != "program" or pseudocode is None:
            raise AttributeError(name)
        self.program = parse_stage(pseudocode).program
        return self.program

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """What crosses the pipe: without the tree when a worker keeps it for validation."""
        if self.tree_key is not None:
            return (_parsed_from_pool, (self.pseudocode, self.diagnostics, self.source_chars,
                                        self.tree_key))
        return (ParsedDocument, (self.program, self.diagnostics, self.source_chars,
                                 self.pseudocode))


@dataclass
class ValidatedDocument:
    program: Program
    diagnostics: list[Diagnostic] = field(default_factory=list)
    strict: bool = False
    pseudocode: str = field(default="", repr=False, compare=False)
    # Set by pool_validate_stage: the checked Python, made in the worker next to the tree,
    # so that only the code and the diagnostics cross the pipe.
    generated: GeneratedProgram | None = field(default=None, repr=False, compare=False)
    from_pool: bool = field(default=False, repr=False, compare=False)

    @property
    def has_errors(self) -> bool:
        return diag.has_errors(self.diagnostics)

    def __getattr__(self, name: str) -> object:
        # A document validated in a worker comes back without its tree: made again on
        # demand (the plain style, a tool that walks the tree), from the same text.
        pseudocode = self.__dict__.get("pseudocode")
        if name != "program" or pseudocode is None:
            raise AttributeError(name)
        self.program = validate_stage(parse_stage(pseudocode), self.strict).program
        return self.program

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        if self.from_pool and self.pseudocode:
            return (_validated_from_pool, (self.pseudocode, self.diagnostics, self.strict,
                                           self.generated))
        return (ValidatedDocument, (self.program, self.diagnostics, self.strict,
                                    self.pseudocode))


# Trees parsed by this process for the pool, kept until their validation job (usually on
# the same worker: then the tree never crosses the pipe). A few at most.
_POOL_TREES: dict[tuple[int, int], Program] = {}
_POOL_TREES_KEPT = 8
_pool_tree_ids = itertools.count(1)


def pool_parse_stage(text: str, keep_tree: bool = False) -> ParsedDocument:
    """``parse_stage`` in a pool worker. ``keep_tree``: the validation will run in the pool
    too, so the tree stays here and only the diagnostics go back (a validation job on
    another worker parses the text again)."""
    parsed = parse_stage(text)
    if keep_tree:
        key = (os.getpid(), next(_pool_tree_ids))
        _POOL_TREES[key] = parsed.program
        while len(_POOL_TREES) > _POOL_TREES_KEPT:
            del _POOL_TREES[next(iter(_POOL_TREES))]
        parsed.tree_key = key
    return parsed


def pool_validate_stage(parsed: ParsedDocument, strict: bool = False) -> ValidatedDocument:
    """``validate_stage`` in a pool worker, and the checked Python when there is no error:
    the result crosses the pipe as text, diagnostics and code, never as a tree."""
    validated = validate_stage(parsed, strict)
    validated.pseudocode = parsed.pseudocode
    validated.from_pool = True
    if not validated.has_errors:
        try:
            validated.generated = generate_stage(validated)
        except Exception:  # noqa: BLE001 - the parent generates again and reports it (E900)
            validated.generated = None
    return validated


def _parsed_from_pool(pseudocode: str, diagnostics: list[Diagnostic], source_chars: int,
                      key: tuple[int, int]) -> ParsedDocument:
    document = ParsedDocument.__new__(ParsedDocument)
    document.diagnostics, document.source_chars = diagnostics, source_chars
    document.pseudocode, document.tree_key = pseudocode, key
    tree = _POOL_TREES.pop(key, None)
    if tree is not None:
        document.program = tree
    return document


def _validated_from_pool(pseudocode: str, diagnostics: list[Diagnostic], strict: bool,
                         generated: GeneratedProgram | None) -> ValidatedDocument:
    document = ValidatedDocument.__new__(ValidatedDocument)
    document.diagnostics, document.strict, document.pseudocode = diagnostics, strict, pseudocode
    document.generated, document.from_pool = generated, False
    return document


def parse_stage(text: str) -> ParsedDocument:
    """Text -> syntax tree and the lexical and syntax diagnostics."""
    with _without_cyclic_gc():
        program, problems = parse(text)
    return ParsedDocument(program, problems, len(text), text)


def validate_stage(parsed: ParsedDocument, strict: bool = False) -> ValidatedDocument:
    """Check the tree; return it annotated, with every diagnostic so far, sorted."""
    validator = Validator(strict=strict)
    with _without_cyclic_gc():
        problems = validator.run(parsed.program)
    validator.__dict__.clear()  # a reference cycle: free its tables now (see parser.parse)
    everything = sorted(parsed.diagnostics + problems, key=diag.sort_key)
    return ValidatedDocument(parsed.program, _dedupe(everything), strict, parsed.pseudocode)


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

    if style == "checked" and validated.generated is not None:
        return validated.generated  # made by the worker that validated it
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
