"""The assignment arrow's two spellings, ``<-`` and ``←`` (Qt-free).

"Show ← for <-" is about the display: the editor may show every assignment
arrow as ``←``, but a file keeps the spelling it already uses (or, for a new
file, the one the user typed), so one file never mixes both and a search for
either finds both. Only arrows in code change, never the text of a string or
a comment (the engine's lexer tells which is which).
"""

from __future__ import annotations

from engine.language.lexer import tokenize
from engine.language.tokens import TokenKind

ASCII_ARROW = "<-"
GLYPH_ARROW = "\u2190"


def arrow_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of every assignment arrow in code."""
    if ASCII_ARROW not in text and GLYPH_ARROW not in text:
        return []
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    spans = []
    for token in tokenize(text).tokens:
        if token.kind is TokenKind.OPERATOR and token.value == ASCII_ARROW:
            start = starts[token.line - 1] + token.column - 1
            end = starts[token.line - 1] + token.end_column - 1
            if text[start:end] in (ASCII_ARROW, GLYPH_ARROW):
                spans.append((start, end))
    return spans


def spelling_of(text: str) -> str | None:
    """The spelling most arrows in ``text`` use; None when it has no arrow."""
    spans = arrow_spans(text)
    if not spans:
        return None
    glyphs = sum(1 for start, end in spans if end - start == 1)
    return GLYPH_ARROW if glyphs * 2 > len(spans) else ASCII_ARROW


def respell(text: str, spelling: str) -> str:
    """``text`` with every assignment arrow in code written as ``spelling``."""
    spans = arrow_spans(text)
    if not spans:
        return text
    parts: list[str] = []
    position = 0
    for start, end in spans:
        parts.append(text[position:start])
        parts.append(spelling)
        position = end
    parts.append(text[position:])
    return "".join(parts)
