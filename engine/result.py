"""What a translation gives back: ``TranslationResult``, light enough for anyone to import.

Here, not in engine.translator, so that the GUI (and tools) can type a result
without loading the manager, the pool or the stages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.language.diagnostics import Diagnostic, Severity

# At most this many diagnostics per document; then one I901 "N more problems".
MAX_DIAGNOSTICS = 1000


@dataclass
class TranslationResult:
    success: bool
    code: str
    diagnostics: list[Diagnostic]
    timings: dict[str, float] = field(default_factory=dict)
    line_map: dict[int, int] = field(default_factory=dict)
    cancelled: bool = False  # translate_many stopped before this document
    # The plain style (engine/codegen/plain), made when the manager's python_style is
    # "plain"; ``code`` is always the checked style, the one Run runs.
    plain_code: str = ""
    plain_line_map: dict[int, int] = field(default_factory=dict)
    plain_error: str = ""  # why there is no plain_code (a bug of ours); code still works

    def code_in(self, style: str) -> str:
        """The Python in ``style`` ("checked" or "plain"); the checked style when the
        plain one was not made."""
        return self.plain_code if style == "plain" and self.plain_code else self.code

    def line_map_in(self, style: str) -> dict[int, int]:
        return self.plain_line_map if style == "plain" and self.plain_code else self.line_map

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]
