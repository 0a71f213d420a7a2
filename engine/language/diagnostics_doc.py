"""Writes ``docs/diagnostics.md`` from the registry, running each example.

``python -m engine.language.diagnostics_doc`` regenerates the page; a test
checks the committed page equals what this produces, so the documentation
always shows the messages the engine really gives.
"""

from __future__ import annotations

import sys
from pathlib import Path

from engine.language.diagnostics import CODES, CodeInfo, Diagnostic

_INTRO = """\
# Diagnostics

Every problem Pseudocode Translator reports has a stable code, a severity, a
place (line and column), a message and a hint. The first letter of a code is
its usual severity: **E** error (the program is not translated until it is
fixed), **W** warning (translated, but probably not what you meant), **I**
information. Codes never change meaning; new ones are only added.

In **strict mode** (`--strict`, or *Translation > Strict mode* in the
settings) the codes marked below become errors.

This page is generated from the engine (`python -m engine.language.diagnostics_doc`):
each example is run through the translator and the message shown is the one
it really gives.
"""

_SECTIONS = [
    ("1", "Lexical and syntax problems"),
    ("2", "Names and declarations"),
    ("3", "Types and operators"),
    ("4", "Statements and control flow"),
    ("5", "Procedures, functions and classes"),
    ("9", "The translator itself"),
]


def example_diagnostics(info: CodeInfo) -> list[Diagnostic]:
    from engine.translator import TranslationManager

    manager = TranslationManager()
    manager.force_strict = info.strict_severity is not None
    return manager.translate(info.example).diagnostics


def render() -> str:
    parts = [_INTRO]
    for digit, title in _SECTIONS:
        infos = [i for i in CODES.values() if i.code[1] == digit]
        if not infos:
            continue
        parts.append(f"\n## {title}\n")
        for info in infos:
            parts.append(_render_code(info))
    return "".join(parts)


def _render_code(info: CodeInfo) -> str:
    lines = [f"\n### {info.code}: {info.title}\n", f"\nSeverity: {info.severity}"]
    if info.strict_severity is not None:
        lines.append(f" ({info.strict_severity} in strict mode)")
    lines.append("\n")
    if not info.example:
        lines.append("\nNo example: this is reported by the translator itself, not caused by a "
                     "particular program.\n")
        return "".join(lines)
    lines.append("\n```pseudocode\n" + info.example + "```\n")
    found = [d for d in example_diagnostics(info) if d.code == info.code]
    if found:
        first = found[0]
        lines.append(f"\n> line {first.line}, column {first.column}: {first.message}\n")
        if first.hint:
            lines.append(f">\n> hint: {first.hint}\n")
    return "".join(lines)


def main() -> int:
    target = Path(__file__).resolve().parents[2] / "docs" / "diagnostics.md"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
