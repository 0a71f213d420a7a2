"""What a pool worker runs: top-level, picklable job functions (never a closure or a lambda).

Each job is one engine stage from engine.pipeline, preceded by the test seam
(engine.execution.seams). This module imports the pipeline and nothing above
it; the pool (engine.execution.process_pool) sends these functions to its
workers and knows nothing of the stages.
"""

from __future__ import annotations

import pickle
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from engine.events import JobKind
from engine.execution import seams
from engine.pipeline import (
    Failure,
    ParsedDocument,
    ValidatedDocument,
    failure_of,
    pool_parse_stage,
    pool_validate_stage,
    run_document,
)
from engine.result import TranslationResult


def worker_parse(text: str, keep_tree: bool = False) -> ParsedDocument:
    """Parse stage in a worker: ``engine.pipeline.parse_stage`` (``keep_tree``: the tree
    stays in the worker for the validation job, see ``pool_parse_stage``)."""
    seams.test_fault(JobKind.PARSE, text)
    return pool_parse_stage(text, keep_tree)


def worker_validate(parsed: ParsedDocument, strict: bool = False,
                    plain: bool = False) -> ValidatedDocument:
    """Validate stage in a worker: ``engine.pipeline.validate_stage``, and the code (the
    result crosses the pipe without its tree, see ``pool_validate_stage``; ``plain``:
    the plain style's code too)."""
    seams.test_fault(JobKind.VALIDATE, source_text_of(parsed))
    return pool_validate_stage(parsed, strict, plain)


def source_text_of(parsed: object) -> str:
    """The pseudocode a parsed document came from (``ParsedDocument.pseudocode`` travels
    with the document, tree or not); "" for anything else, which the stage refuses."""
    text = getattr(parsed, "pseudocode", "")
    return text if isinstance(text, str) else ""


def worker_parse_validate(text: str, strict: bool = False
                          ) -> tuple[ParsedDocument, ValidatedDocument, float, float]:
    """Both stages in one round trip: (parsed, validated, parse_ms, validate_ms).

    The two documents are pickled together, so whatever the validated
    document shares with the parsed one crosses the pipe once.
    """
    start = time.perf_counter()
    parsed = worker_parse(text)
    middle = time.perf_counter()
    validated = worker_validate(parsed, strict)
    end = time.perf_counter()
    return parsed, validated, (middle - start) * 1000.0, (end - middle) * 1000.0


def worker_translate(text: str, strict: bool = False, plain: bool = False
                     ) -> tuple[TranslationResult, Failure | None]:
    """The whole pipeline of one document, for batches: (TranslationResult, failure).

    Code generation runs here too, next to the validated tree, because
    sending a tree between processes costs about as much as building it;
    only the text goes out and only the code and the diagnostics come back.
    ``failure`` is (exception type, message) when the engine failed (E900).
    ``plain``: the plain style is made too (translation.python_style).
    """
    seams.test_fault(JobKind.PARSE, text)
    result, error = run_document(text, strict=strict, plain=plain)
    return result, failure_of(error)


def worker_batch(func: Callable[..., Any], items: Sequence[tuple[Any, ...]]) -> list[Any]:
    """Run ``func`` on each argument tuple; one outcome per item.

    An outcome is ``("ok", value, ms)`` or ``("error", exception, traceback_text)``:
    one failing document must not cost the others their results.
    """
    outcomes: list[Any] = []
    for args in items:
        start = time.perf_counter()
        try:
            value = func(*args)
        except Exception as exc:
            outcomes.append(("error", portable_exception(exc), traceback.format_exc()))
        else:
            outcomes.append(("ok", value, (time.perf_counter() - start) * 1000.0))
    return outcomes


def portable_exception(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling, else a RuntimeError that says what it was."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
