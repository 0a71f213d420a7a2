"""Where bundled files are: examples, icons, the language reference (source tree or frozen)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from launcher.bundle import root as bundle_root


def root() -> Path:
    """The folder that holds ``resources/`` and ``docs/`` (bundle, source tree or installed)."""
    return bundle_root()


def resource(*parts: str) -> Path:
    return root().joinpath("resources", *parts)


def language_reference() -> Path:
    return root() / "docs" / "language.md"


def app_icon_paths() -> list[Path]:
    folder = resource("icons")
    return sorted(folder.glob("app-*.png")) if folder.is_dir() else []


@dataclass(frozen=True, slots=True)
class Example:
    path: Path
    title: str        # from the first comment line, for the menu
    description: str  # the rest of that comment


def examples() -> list[Example]:
    """The bundled example programs, in file-name order."""
    folder = resource("examples")
    found = []
    for path in sorted(folder.glob("*.pseudo")) if folder.is_dir() else []:
        title, description = path.stem.replace("_", " ").lstrip("0123456789 ").capitalize(), ""
        try:
            with path.open(encoding="utf-8-sig") as handle:
                first = handle.readline().strip()
        except OSError:
            continue
        if first.startswith("//"):
            text = first[2:].strip()
            head, _, rest = text.partition(":")
            if rest:
                title, description = head.strip(), rest.strip()
            else:
                description = text
        found.append(Example(path, title, description))
    return found
