"""docs/language.md can never drift from the engine.

Every fenced block of the page is checked:

- ```pseudocode        translates without errors (warnings are fine);
- ```pseudocode-error  gives at least one error;
- ```python            after a pseudocode block: its lines appear, in order and
                       together, in that block's translation;
- ```python-plain      after a pseudocode block: exactly its translation in the plain
                       style (the whole program); the blocks are written by this test:
                       PSEUDO_UPDATE_DOCS=1 python3 -m pytest tests/engine/test_docs_language.py
                       rewrites them, each under the ```python block of its example;
- ```input             after a pseudocode block: the standard input of its run;
- ```output            after a pseudocode block: exactly what the program prints;
- ```stderr            after a pseudocode block: exactly its error output (and
                       the program must then stop with exit status 1).

Other fences (plain ``` blocks of shell commands) are not checked.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from language_helpers import run_python

from engine.translator import TranslationManager

DOC = Path(__file__).resolve().parents[2] / "docs" / "language.md"
FENCE = re.compile(r"^```([A-Za-z-]*)[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)


@dataclass
class Example:
    """A pseudocode block of the page and the blocks that document it."""

    kind: str  # "pseudocode" or "pseudocode-error"
    text: str
    line: int
    python: list[str] = field(default_factory=list)
    plain: list[str] = field(default_factory=list)
    stdin: str | None = None
    stdout: str | None = None
    stderr: str | None = None


def _examples() -> list[Example]:
    page = DOC.read_text(encoding="utf-8")
    examples: list[Example] = []
    for match in FENCE.finditer(page):
        kind, content = match.group(1), match.group(2)
        line = page.count("\n", 0, match.start()) + 1
        if kind in ("pseudocode", "pseudocode-error"):
            examples.append(Example(kind, content, line))
            continue
        if kind not in ("python", "python-plain", "input", "output", "stderr"):
            continue
        assert examples, f"line {line}: a ```{kind} block before any pseudocode block"
        owner = examples[-1]
        if kind == "python":
            owner.python.append(content)
        elif kind == "python-plain":
            owner.plain.append(content)
        elif kind == "input":
            owner.stdin = content
        elif kind == "output":
            owner.stdout = content
        else:
            owner.stderr = content
    return examples


def _plain_blocks_written(page: str) -> str:
    """The page with a ```python-plain block, the example's plain-style program, right
    under the ```python block of each example that shows its Python."""
    plain_manager = TranslationManager()
    plain_manager.force_style = "plain"
    page = re.sub(r"\n\n```python-plain[ \t]*\n.*?^```[ \t]*$", "", page, flags=re.S | re.M)
    out: list[str] = []
    position = 0
    matches = list(FENCE.finditer(page))
    for index, match in enumerate(matches):
        if match.group(1) != "pseudocode":
            continue
        shows_python = False
        last = match
        for later in matches[index + 1:]:
            if later.group(1) in ("pseudocode", "pseudocode-error"):
                break
            if later.group(1) == "python":
                shows_python = True
                last = later
        if not shows_python:
            continue
        result = plain_manager.translate(match.group(2))
        assert result.plain_code, result.plain_error
        out.append(page[position:last.end()])
        out.append("\n\n```python-plain\n" + result.plain_code + "```")
        position = last.end()
    out.append(page[position:])
    return "".join(out)


if DOC.exists() and os.environ.get("PSEUDO_UPDATE_DOCS") == "1":
    DOC.write_text(_plain_blocks_written(DOC.read_text(encoding="utf-8")), encoding="utf-8")
EXAMPLES = _examples() if DOC.exists() else []
manager = TranslationManager()
plain_manager = TranslationManager()
plain_manager.force_style = "plain"


def _id(example: Example) -> str:
    return f"line{example.line}"


def test_the_page_exists_and_has_examples() -> None:
    assert DOC.exists()
    kinds = {e.kind for e in EXAMPLES}
    assert kinds == {"pseudocode", "pseudocode-error"}
    assert len(EXAMPLES) >= 30
    assert sum(1 for e in EXAMPLES if e.stdout is not None) >= 20


def test_the_page_has_the_promised_sections() -> None:
    page = DOC.read_text(encoding="utf-8")
    for heading in ("## Default values", "## Details this tool fixes",
                    "## Tolerated variants and their warnings", "## Not supported",
                    "## Runtime errors", "## Built-in functions"):
        assert heading in page
    assert page.count("This tool's choice") + page.count("this tool's choice") >= 10


@pytest.mark.parametrize("example", EXAMPLES, ids=_id)
def test_example_translates_as_documented(example: Example) -> None:
    result = manager.translate(example.text)
    problems = "\n".join(d.format() for d in result.diagnostics)
    if example.kind == "pseudocode-error":
        assert result.errors, f"docs/language.md line {example.line}: expected an error"
        assert not (example.python or example.stdout or example.stderr)
        return
    assert result.success and not result.errors, \
        f"docs/language.md line {example.line}:\n{problems}"
    generated = [line.rstrip() for line in result.code.splitlines()]
    for snippet in example.python:
        wanted = [line.rstrip() for line in snippet.strip("\n").splitlines()]
        assert _contains(generated, wanted), (
            f"docs/language.md line {example.line}: the Python shown is not what the "
            f"translator gives now:\n{result.code}")


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.stdout is not None
                                     or e.stderr is not None], ids=_id)
def test_example_prints_as_documented(example: Example, tmp_path: Path) -> None:
    result = manager.translate(example.text)
    assert result.success
    done = run_python(result.code, example.stdin or "", cwd=tmp_path)
    where = f"docs/language.md line {example.line}"
    if example.stdout is not None:
        assert done.stdout == example.stdout, f"{where}: the program prints\n{done.stdout}"
    if example.stderr is not None:
        assert done.returncode == 1, f"{where}: exit status {done.returncode}"
        assert done.stderr == example.stderr, f"{where}: the error output is\n{done.stderr}"
    else:
        assert done.returncode == 0, f"{where}:\n{done.stderr}"


def test_every_example_with_python_shows_the_plain_style_too() -> None:
    page = DOC.read_text(encoding="utf-8")
    assert page == _plain_blocks_written(page), (
        "the python-plain blocks of docs/language.md are not the plain style of today: "
        "PSEUDO_UPDATE_DOCS=1 python3 -m pytest tests/engine/test_docs_language.py")
    assert sum(1 for e in EXAMPLES if e.plain) >= 30


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.plain], ids=_id)
def test_plain_block_is_the_plain_translation_and_prints_the_same(
        example: Example, tmp_path: Path) -> None:
    result = plain_manager.translate(example.text)
    assert example.plain == [result.plain_code]
    if example.stdout is not None and example.stderr is None:
        done = run_python(result.plain_code, example.stdin or "", cwd=tmp_path)
        assert done.stdout == example.stdout, \
            f"docs/language.md line {example.line}: the plain style prints\n{done.stdout}"


def _contains(lines: list[str], wanted: list[str]) -> bool:
    """``wanted`` appears in ``lines`` as one unbroken run."""
    size = len(wanted)
    return any(lines[start:start + size] == wanted for start in range(len(lines) - size + 1))
