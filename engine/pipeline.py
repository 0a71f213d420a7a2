"""The three stages of a translation, as module-level functions on picklable data.

``parse_stage`` and ``validate_stage`` are pure functions of their arguments,
so the process pool can run them in worker processes; their results cross
the process boundary by pickling.
"""

from __future__ import annotations

import gc
import itertools
import logging
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine import MAX_SOURCE_CHARS
from engine.config import PYTHON_STYLES
from engine.language import diagnostics as diag
from engine.language.diagnostics import Diagnostic
from engine.language.nodes import Program
from engine.language.parser import parse
from engine.result import MAX_DIAGNOSTICS, TranslationResult
from engine.semantics.validator import Validator

if TYPE_CHECKING:
    from engine.codegen.emit import GeneratedProgram

log = logging.getLogger(__name__)

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
    # ... and the plain style too when it was asked for (so the parent never re-makes the tree).
    generated_plain: GeneratedProgram | None = field(default=None, repr=False, compare=False)
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
                                           self.generated, self.generated_plain))
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


def pool_validate_stage(parsed: ParsedDocument, strict: bool = False,
                        plain: bool = False) -> ValidatedDocument:
    """``validate_stage`` in a pool worker, and the checked Python when there is no error
    (``plain``: the plain style too, in the order ``run_document`` makes them): the result
    crosses the pipe as text, diagnostics and code, never as a tree."""
    validated = validate_stage(parsed, strict)
    validated.pseudocode = parsed.pseudocode
    validated.from_pool = True
    if not validated.has_errors:
        try:
            validated.generated = generate_stage(validated)
        except Exception:  # noqa: BLE001 - the parent generates again and reports it (E900)
            validated.generated = None
        if plain and validated.generated is not None:
            try:
                validated.generated_plain = generate_stage(validated, "plain")
            except Exception:  # noqa: BLE001 - the parent makes it again and reports it
                validated.generated_plain = None
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
                         generated: GeneratedProgram | None,
                         generated_plain: GeneratedProgram | None = None) -> ValidatedDocument:
    document = ValidatedDocument.__new__(ValidatedDocument)
    document.diagnostics, document.strict, document.pseudocode = diagnostics, strict, pseudocode
    document.generated, document.from_pool = generated, False
    document.generated_plain = generated_plain
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
    if style == "plain" and validated.generated_plain is not None:
        return validated.generated_plain
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


# --------------------------------------------------------------------------
# One document, start to end: what the manager, the batch and a pool worker run.

Failure = tuple[str, str]  # (exception type, first line of its message): an E900's cause


def run_document(text: str, parse: Callable[[str], ParsedDocument] = parse_stage,
                 validate: Callable[[ParsedDocument], ValidatedDocument] | None = None, *,
                 strict: bool = False, plain: bool = False, generate: bool = True
                 ) -> tuple[TranslationResult, Exception | None]:
    """parse -> validate -> generate (both styles with ``plain``; none without
    ``generate``); never raises: the exception, if the engine failed, comes back too
    (the result then holds E900). ``parse``/``validate`` default to the in-process
    stages (``validate`` with ``strict``); the manager passes its pool offloads."""
    if validate is None:
        def validate(parsed: ParsedDocument) -> ValidatedDocument:
            return validate_stage(parsed, strict)
    start = time.perf_counter()
    timings = {"parse_ms": 0.0, "validate_ms": 0.0, "generate_ms": 0.0, "total_ms": 0.0}
    if len(text) > MAX_SOURCE_CHARS:
        problem = diag.make("E152", f"The program is too large to translate "
                                    f"({len(text):,} characters; the limit is "
                                    f"{MAX_SOURCE_CHARS:,})", 1, 1,
                            hint="Split it into smaller files.")
        return TranslationResult(False, "", [problem], timings), None
    try:
        parsed = parse(text)
        after_parse = time.perf_counter()
        timings["parse_ms"] = (after_parse - start) * 1000
        validated = validate(parsed)
        after_validate = time.perf_counter()
        timings["validate_ms"] = (after_validate - after_parse) * 1000
        problems = cap_diagnostics(validated.diagnostics)
        if validated.has_errors or not generate:
            timings["total_ms"] = (time.perf_counter() - start) * 1000
            return TranslationResult(not validated.has_errors, "", problems, timings), None
        generated = generate_stage(validated)
        result = TranslationResult(True, generated.code, problems, timings, generated.line_map)
        if plain:
            try:
                styled = generate_stage(validated, "plain")
                result.plain_code, result.plain_line_map = styled.code, styled.line_map
            except Exception as error:  # noqa: BLE001 - the checked style still works
                log.exception("the plain style failed")
                result.plain_error = internal_error(error).message
        timings["generate_ms"] = (time.perf_counter() - after_validate) * 1000
        timings["total_ms"] = (time.perf_counter() - start) * 1000
        return result, None
    except Exception as error:  # noqa: BLE001 - the editor must survive any bug of ours
        return TranslationResult(False, "", [internal_error(error)], timings), error


def translate_text(text: str, strict: bool = False, plain: bool = False) -> TranslationResult:
    """One translation in this process, without a manager, events or pool."""
    return run_document(text, strict=strict, plain=plain)[0]


def failure_of(error: Exception | None) -> Failure | None:
    """What the TRANSLATION_FAILED event says about an engine failure (None: no failure)."""
    if error is None:
        return None
    return type(error).__name__, (str(error).splitlines() or [""])[0][:200]


def cap_diagnostics(problems: list[Diagnostic]) -> list[Diagnostic]:
    """At most MAX_DIAGNOSTICS, then one I901 saying how many more there are."""
    if len(problems) <= MAX_DIAGNOSTICS:
        return problems
    extra = len(problems) - MAX_DIAGNOSTICS
    last = problems[MAX_DIAGNOSTICS - 1]
    note = diag.make("I901", f"{extra} more problems are not shown", last.line, 1,
                     hint="Fix the problems above first.")
    return problems[:MAX_DIAGNOSTICS] + [note]


def internal_error(error: Exception) -> Diagnostic:
    """E900: a bug of ours, said so, with where it happened."""
    where = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    detail = f" ({type(error).__name__} in {where.name})" if where else ""
    return diag.make("E900", f"The translator failed on this program{detail}", 1, 1,
                     hint="This is a bug in Pseudocode Translator, not in your program. "
                          "Please report it with the program that caused it.")
