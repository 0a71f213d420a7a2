"""What the command line prints about the settings, generated from the schema:
``config show`` (every value and where it came from) and the environment
variables part of ``--help``.

Standard library only, and ``engine.config.store`` is not imported: ``--help``
builds its epilog from here without loading the configuration machinery.
"""

from __future__ import annotations

import json
import textwrap
from typing import TYPE_CHECKING, Any

from engine.config.schema import (
    CONFIG_PATH_ENV,
    DEFAULT_CONFIG_DIR_NAME,
    DEFAULT_CONFIG_FILE_NAME,
    FIELDS,
    FIELDS_BY_KEY,
    FieldSpec,
)

if TYPE_CHECKING:
    from engine.config.store import ConfigManager

_NAME_WIDTH = 37  # the variable names' column in --help
_LINE_WIDTH = 79


def render_config_show(manager: ConfigManager, fmt: str = "yaml") -> str:
    """The effective configuration with the source of each value, as YAML or JSON."""
    described = manager.describe()
    if fmt == "json":
        return json.dumps(described, indent=2)
    out = [f"# configuration file: {manager.path} ({manager.file_state})",
           "# each value: where it came from (default, file, or env:VARIABLE)"]
    current: str | None = None
    for key, item in described.items():
        spec = FIELDS_BY_KEY[key]
        if spec.section != current and spec.section is not None:
            out.append(f"{spec.section}:")
            current = spec.section
        indent = "  " if spec.section else ""
        if spec.section is None and current is not None:
            current = None
        value = _yaml_scalar(item["value"])
        out.append(f"{indent}{spec.name}: {value}  # {item['source']}")
    return "\n".join(out) + "\n"


def _yaml_scalar(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON scalars are valid YAML


def allowed_text(spec: FieldSpec) -> str:
    """The values a setting takes, short ("1/0", "spawn | forkserver | fork", "1 to 10")."""
    if spec.kind is bool:
        return "1/0"
    if spec.choices:
        return " | ".join(spec.choices)
    if spec.kind is int:
        if spec.minimum is not None and spec.maximum is not None:
            return f"{spec.minimum} to {spec.maximum}"
        if spec.minimum is not None:
            return f"a number >= {spec.minimum}"
        return "a number"
    return "text"


def default_text(spec: FieldSpec) -> str:
    """The default as one would type it in the variable ("1", "5000", or what automatic is)."""
    if spec.default is None:
        return spec.automatic or "automatic"
    if spec.kind is bool:
        return "1" if spec.default else "0"
    return str(spec.default) if spec.default != "" else '""'


def _entry(name: str, text: str) -> list[str]:
    first = f"  {name.ljust(_NAME_WIDTH)} "
    return textwrap.wrap(text, _LINE_WIDTH, initial_indent=first,
                         subsequent_indent=" " * len(first), break_long_words=False,
                         break_on_hyphens=False)


def environment_help() -> str:
    """The ``--help`` epilog's list of environment variables, one per setting that has one,
    with what it sets, the values it takes and its default."""
    lines = ["environment variables (they override the config file):"]
    lines += _entry(CONFIG_PATH_ENV, "path of the config file (default "
                                     f"~/{DEFAULT_CONFIG_DIR_NAME}/{DEFAULT_CONFIG_FILE_NAME})")
    for spec in FIELDS:
        if spec.env:
            lines += _entry(spec.env, f"{spec.label}: {allowed_text(spec)} "
                                      f"(default {default_text(spec)})")
    return "\n".join(lines) + "\n"
