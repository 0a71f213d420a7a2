"""Each package README's *Organization* list matches the files in its folder.

vyper's READMEs drifted (they list files that no longer exist); this keeps ours
honest: every Python file and sub-package of a folder is named in its README,
and every file the README names exists.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_READMES = sorted(
    path for folder in ("engine", "gui", "launcher", "packaging")
    for path in (ROOT / folder).glob("**/README.md")
    if "__pycache__" not in path.parts
)
# the names a bullet starts with, one space (or ", ") apart; two spaces start the description
_LEADING = re.compile(r"^- (`[^`]+`(?:,? `[^`]+`)*)")
_ENTRY = re.compile(r"`([\w./*-]+(?:\.py|/|\.nsi|\.ps1|\.sh|\.spec))`")


def organization(readme: Path) -> str:
    text = readme.read_text(encoding="utf-8")
    match = re.search(r"^## Organization\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"{readme.relative_to(ROOT)} has no '## Organization' section"
    return match.group(1)


def listed(readme: Path) -> set[str]:
    """The paths named at the start of the section's bullets (before the description)."""
    names: set[str] = set()
    for line in organization(readme).splitlines():
        lead = _LEADING.match(line)
        if lead:
            names.update(_ENTRY.findall(lead.group(1)))
    return names


def present(folder: Path) -> set[str]:
    """Python files (``__init__.py`` aside) and sub-folders holding code."""
    files = {p.name for p in folder.glob("*.py") if p.name != "__init__.py"}
    folders = {p.name + "/" for p in folder.iterdir()
               if p.is_dir() and p.name != "__pycache__" and any(p.glob("**/*.py"))}
    return files | folders


@pytest.mark.parametrize("readme", PACKAGE_READMES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_readme_names_every_file_of_its_folder(readme: Path) -> None:
    names = listed(readme)
    named_roots = {name.split("/", 1)[0] + ("/" if "/" in name else "") for name in names}
    missing = sorted(present(readme.parent) - named_roots)
    assert not missing, f"{readme.relative_to(ROOT)} does not describe {missing}"


@pytest.mark.parametrize("readme", PACKAGE_READMES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_the_readme_names_exists(readme: Path) -> None:
    absent = sorted(name for name in listed(readme)
                    if "*" not in name and not (readme.parent / name).exists())
    assert not absent, f"{readme.relative_to(ROOT)} names files that do not exist: {absent}"


def test_the_check_reads_real_lists() -> None:
    # A parser that found nothing would pass the tests above vacuously.
    engine = listed(ROOT / "engine" / "README.md")
    assert {"pipeline.py", "cli.py", "language/", "execution/"} <= engine
