"""The configuration file on disk: reading it safely, and editing it in place.

Why a module of its own: the file is the user's. Reading must never hang or
exhaust memory, whatever the path points at (a named pipe, ``/dev/zero``, a
huge file, a YAML "billion laughs"), and writing must keep what the user
wrote (comments, order, unknown keys, quoting, the file's mode, a symlink).
PyYAML cannot round-trip comments, so the file is handled with ruamel.yaml's
round-trip mode; PyYAML's fast C composer checks the document first (size,
aliases, duplicate keys, lines). This module is the only one that touches the
YAML text.
"""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine import sources

# A configuration file is a few hundred bytes; anything near this is not one.
MAX_CONFIG_BYTES = 64 * 1024
# Values in the file once aliases are expanded (a "billion laughs" has 10**9;
# the settings are a few dozen). Also what keeps the round-trip parser, which
# is pure Python, well under a second.
MAX_EXPANDED_NODES = 2_000
_Composer = getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)

_PLAIN_INTEGER = re.compile(r"[+-]?[0-9]+")


class ConfigFileError(Exception):
    """The file cannot be used; ``line`` (1-based) when the problem has one."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class ConfigDocument:
    """A parsed file: the round-trip data and what was noticed on the way.

    ``lines``: dotted key -> 1-based line. ``scalars``: dotted key -> the value's
    text as written (for numbers written oddly). ``duplicates``: (dotted key,
    line of the ignored repeat, line of the one used). ``exact``: whether
    writing the file back unchanged gives the same text (if not, saving backs
    it up first).
    """

    data: Any
    text: str
    lines: dict[str, int] = field(default_factory=dict)
    scalars: dict[str, str] = field(default_factory=dict)
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)
    bom: bool = False
    newline: str = "\n"


def read_bounded(path: Path, limit: int = MAX_CONFIG_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or ConfigFileError.

    Never blocks and never reads past the bound (see ``engine.sources``).
    FileNotFoundError and other OSErrors pass through.
    """
    try:
        return sources.read_regular(path, limit)
    except sources.FileTooLarge as exc:
        raise ConfigFileError(str(exc).replace("the limit is", "a configuration file is "
                                               "at most")) from None
    except sources.NotRegularFile as exc:
        raise ConfigFileError(str(exc)) from None


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = True  # reported as warnings instead (the first one is used)
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the user's long lines
    return yaml


def _check_expansion(root: Node) -> None:
    """Refuse a document whose aliases expand past MAX_EXPANDED_NODES (or into a loop)."""
    sizes: dict[int, int] = {}
    visiting: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in visiting:
            raise ConfigFileError("an alias refers to itself (a value that contains itself)",
                                  node.start_mark.line + 1)
        visiting.add(key)
        total = 1
        if isinstance(node, MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, SequenceNode):
            children = list(node.value)
        else:
            children = []
        for child in children:
            total += size(child)
            if total > MAX_EXPANDED_NODES:
                raise ConfigFileError(
                    f"it holds more than {MAX_EXPANDED_NODES:,} values, counting each use "
                    "of an alias (the settings are a few dozen)", child.start_mark.line + 1)
        visiting.discard(key)
        sizes[key] = total
        return total

    size(root)


def _walk(node: Node, prefix: str, doc: ConfigDocument, depth: int = 0) -> None:
    """Lines, value texts and duplicate keys of the top two levels."""
    if not isinstance(node, MappingNode) or depth > 1:
        return
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            continue
        key = f"{prefix}{key_node.value}"
        line = key_node.start_mark.line + 1
        if key in seen:
            doc.duplicates.append((key, line, seen[key]))
            continue
        seen[key] = line
        doc.lines[key] = line if isinstance(value_node, MappingNode) \
            else value_node.start_mark.line + 1
        if isinstance(value_node, ScalarNode):
            doc.scalars[key] = value_node.value
        _walk(value_node, key + ".", doc, depth + 1)


def parse(raw: bytes) -> ConfigDocument:
    """Decode and parse the file's bytes; ConfigFileError (with a line if known) if it cannot be."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigFileError(f"it is not UTF-8 text (byte {exc.start + 1})") from None
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")
    try:
        node = _compose(text)
        if node is not None:
            _check_expansion(node)
    except pyyaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or str(exc).splitlines()[0]
        raise ConfigFileError(f"it is not valid YAML ({reason})",
                              mark.line + 1 if mark is not None else None) from None
    except (pyyaml.YAMLError, RecursionError) as exc:
        raise ConfigFileError(f"it is not valid YAML ({str(exc).splitlines()[0]})") from None
    try:
        data = _yaml().load(text) if node is not None else None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or str(exc).splitlines()[0]
        raise ConfigFileError(f"it is not valid YAML ({reason})",
                              mark.line + 1 if mark is not None else None) from None
    except (YAMLError, RecursionError) as exc:
        raise ConfigFileError(f"it is not valid YAML ({str(exc).splitlines()[0]})") from None
    doc = ConfigDocument(data, text, bom=bom, newline=newline)
    if node is not None:
        _walk(node, "", doc)
    return doc


def _compose(text: str) -> Node | None:
    loader = _Composer(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def round_trips(doc: ConfigDocument) -> bool:
    """Whether writing the document back unchanged gives exactly its text."""
    if doc.duplicates:
        return False
    try:
        return dump(doc.data) == doc.text
    except Exception:
        return False


def odd_integer(text: str) -> bool:
    """Whether a number is written other than as plain digits 0-9 (``1_0``, ``0x10``, ``١٢``)."""
    return _PLAIN_INTEGER.fullmatch(text.strip()) is None


def dump(data: Any) -> str:
    """The round-trip data as YAML text (comments, order and quoting as read).

    A copy is dumped: ruamel's dump changes the comment tokens it writes so that a later
    deep copy of the same data loses a comment line opening a section (``execution:`` then
    ``# ...``); ``round_trips`` dumps the loaded document before the save copies it."""
    out = io.StringIO()
    _yaml().dump(copy.deepcopy(data), out)
    return out.getvalue()


def new_document(header: str) -> Any:
    """An empty round-trip mapping that starts with a comment line."""
    data = CommentedMap()
    data.yaml_set_start_comment(header)
    return data


def write_in_place(path: Path, text: str, *, bom: bool = False, newline: str = "\n") -> Path:
    """Replace the file's content atomically, keeping its mode and a symlink
    (``engine.sources.write_text_atomic``); the folder is created if missing.
    Returns the path written (the symlink's target)."""
    return sources.write_text_atomic(path, text, bom=bom, newline=newline, make_parents=True)
