"""Typing a program: every prefix of a real program, as the editor sees it while a user types.

LANGUAGE.md section 1: whitespace is never an error, at the end of the text included. Every
bundled example and every conformance program is cut at every line end (with and without the
auto-indent an editor adds on the next line) and at several places inside its last line; no
cut may give a lexical error for whitespace, and no diagnostic may point past the end of the
text the user has typed so far.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.pipeline import parse_stage, validate_stage

ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = ROOT.parent / "shared" / "conformance"


def _programs() -> list[Path]:
    found = sorted((ROOT / "resources" / "examples").glob("*.pseudo"))
    found += sorted(CONFORMANCE.glob("*.pseudo"))
    found += sorted((ROOT / "tests" / "engine" / "corpus").glob("*.pseudo"))
    return found


def _cuts(text: str) -> list[str]:
    """The texts a user has at moments of typing ``text``."""
    lines = text.splitlines(keepends=True)
    cuts: list[str] = []
    done = ""
    for line in lines:
        body = line.rstrip("\r\n")
        indent = body[:len(body) - len(body.lstrip())]
        for position in sorted({len(body) // 3, len(body) // 2, len(body) - 1}):
            if 0 < position < len(body):
                cuts.append(done + body[:position])
        cuts.append(done + body + " ")           # a space typed at the end of the line
        done += line
        cuts.append(done)                        # the line end
        cuts.append(done + indent)               # the auto-indent of the next line
        cuts.append(done + indent + "\t")        # and a tab after it
    return cuts


def _end_of(text: str) -> tuple[int, int]:
    """The last (line, column) a diagnostic may point at: just after the last character."""
    lines = text.split("\n")
    return len(lines), len(lines[-1].rstrip("\r")) + 1


def _problems(text: str) -> list[str]:
    parsed = parse_stage(text)
    validated = validate_stage(parsed)
    last_line, last_column = _end_of(text)
    lines = text.split("\n")
    bad: list[str] = []
    for item in validated.diagnostics:
        if item.code == "E101" and "' '" in item.message or (
                item.code == "E101" and item.message.count("\\t")):
            bad.append(f"whitespace error: {item.format()}")
        for line, column in ((item.line, item.column), (item.end_line, item.end_column)):
            if line > last_line or line < 1:
                bad.append(f"past the last line ({last_line}): {item.format()}")
            elif column > len(lines[line - 1].rstrip("\r")) + 2 or column < 1 or (
                    line == last_line and column > last_column + 1):
                bad.append(f"past the end of line {line}: {item.format()}")
    return bad


@pytest.mark.parametrize("path", _programs(), ids=lambda p: p.name)
def test_no_cut_gives_a_whitespace_error_or_a_diagnostic_past_the_end(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    failures: list[str] = []
    for cut in _cuts(text):
        for problem in _problems(cut):
            failures.append(f"cut of {len(cut)} characters: {problem}")
    assert not failures, "\n".join(failures[:20])


@pytest.mark.parametrize("text", [
    'OUTPUT "hi" ',
    'OUTPUT "hi"\t',
    'OUTPUT "hi"\n    ',
    'OUTPUT "hi"\r\n  \r\n ',
    'OUTPUT "hi"\u00a0\n\u2003',
    '   \n\t\n',
    ' ',
])
def test_whitespace_at_the_end_is_never_an_error(text: str) -> None:
    parsed = parse_stage(text)
    assert parsed.diagnostics == []
    assert validate_stage(parsed).diagnostics == []


def test_the_corpus_is_there() -> None:
    names = {p.name for p in _programs()}
    assert "01_hello_input.pseudo" in names
    if CONFORMANCE.exists():
        assert "01_hello_output.pseudo" in names
