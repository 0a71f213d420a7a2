"""TranslationManager: the engine's API for the GUI, the CLI and the process pool.

``translate(text)`` runs parse -> validate -> generate and never raises: an
internal failure becomes diagnostic E900, so the user keeps working.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from engine.language import diagnostics as diag
from engine.language.diagnostics import Diagnostic, Severity
from engine.pipeline import (
    ParsedDocument,
    ValidatedDocument,
    generate_stage,
    parse_stage,
    validate_stage,
)

MAX_SOURCE_CHARS = 5_000_000
MAX_DIAGNOSTICS = 1000


@dataclass
class TranslationResult:
    success: bool
    code: str
    diagnostics: list[Diagnostic]
    timings: dict[str, float] = field(default_factory=dict)
    line_map: dict[int, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]


def _strict_from(config: Any) -> bool:
    translation = getattr(config, "translation", None)
    if translation is not None and hasattr(translation, "strict_mode"):
        return bool(translation.strict_mode)
    return bool(getattr(config, "strict_mode", False))


class TranslationManager:
    """Translates pseudocode documents; one instance may serve many translations."""

    def __init__(self, config: Any = None) -> None:
        self.config = config
        self.force_strict = False  # the CLI's --strict, whatever the config says

    @property
    def strict(self) -> bool:
        return self.force_strict or _strict_from(self.config)

    # -- the stages (the process pool integration wraps these two) --
    def _maybe_offload_parse(self, text: str) -> ParsedDocument:
        return parse_stage(text)

    def _maybe_offload_validate(self, parsed: ParsedDocument) -> ValidatedDocument:
        return validate_stage(parsed, self.strict)

    def translate(self, text: str) -> TranslationResult:
        start = time.perf_counter()
        timings = {"parse_ms": 0.0, "validate_ms": 0.0, "generate_ms": 0.0, "total_ms": 0.0}
        if len(text) > MAX_SOURCE_CHARS:
            problem = diag.make("E152", f"The program is too large to translate "
                                        f"({len(text):,} characters; the limit is "
                                        f"{MAX_SOURCE_CHARS:,})", 1, 1,
                                hint="Split it into smaller files.")
            return TranslationResult(False, "", [problem], timings)
        try:
            parsed = self._maybe_offload_parse(text)
            after_parse = time.perf_counter()
            timings["parse_ms"] = (after_parse - start) * 1000
            validated = self._maybe_offload_validate(parsed)
            after_validate = time.perf_counter()
            timings["validate_ms"] = (after_validate - after_parse) * 1000
            problems = _cap(validated.diagnostics)
            if validated.has_errors:
                timings["total_ms"] = (time.perf_counter() - start) * 1000
                return TranslationResult(False, "", problems, timings)
            generated = generate_stage(validated)
            timings["generate_ms"] = (time.perf_counter() - after_validate) * 1000
            timings["total_ms"] = (time.perf_counter() - start) * 1000
            return TranslationResult(True, generated.code, problems, timings,
                                     generated.line_map)
        except Exception as error:  # noqa: BLE001 - the editor must survive any bug of ours
            return TranslationResult(False, "", [_internal_error(error)], timings)


def _cap(problems: list[Diagnostic]) -> list[Diagnostic]:
    if len(problems) <= MAX_DIAGNOSTICS:
        return problems
    extra = len(problems) - MAX_DIAGNOSTICS
    last = problems[MAX_DIAGNOSTICS - 1]
    note = diag.make("I901", f"{extra} more problems are not shown", last.line, 1,
                     hint="Fix the problems above first.")
    return problems[:MAX_DIAGNOSTICS] + [note]


def _internal_error(error: Exception) -> Diagnostic:
    where = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    detail = f" ({type(error).__name__} in {where.name})" if where else ""
    return diag.make("E900", f"The translator failed on this program{detail}", 1, 1,
                     hint="This is a bug in Pseudocode Translator, not in your program. "
                          "Please report it with the program that caused it.")
