"""The configuration as objects: one dataclass per section, and ``TranslatorConfig``.

The attributes are the fields of ``engine.config.schema.FIELDS`` and take
their defaults from it (a test checks that both list the same fields).
``validate()`` applies ``engine.config.values``; in lenient mode it fixes bad
values in place.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.config.schema import ENV_TO_KEY, FIELDS, FIELDS_BY_KEY, default_of
from engine.config.values import ConfigError, ConfigIssues, validate_section

_E = "execution."
_T = "translation."
_ED = "editor."


@dataclass
class ExecutionConfig:
    """The opt-in process pool (see docs/process_pool.md)."""

    process_pool_enabled: bool = default_of(_E + "process_pool_enabled")
    process_pool_target: str = default_of(_E + "process_pool_target")
    process_pool_max_workers: int | None = default_of(_E + "process_pool_max_workers")
    process_pool_task_timeout_ms: int = default_of(_E + "process_pool_task_timeout_ms")
    process_pool_job_max_chars: int = default_of(_E + "process_pool_job_max_chars")
    process_pool_start_method: str | None = default_of(_E + "process_pool_start_method")
    process_pool_retry_on_timeout: bool = default_of(_E + "process_pool_retry_on_timeout")
    process_pool_retry_limit: int = default_of(_E + "process_pool_retry_limit")

    def validate(self, strict: bool = False, *, platform: str | None = None) -> ConfigIssues:
        """Allowed targets and start methods, positive numbers, workers bounded by the machine."""
        issues = validate_section(self, "execution", strict, platform)
        timeout = self.process_pool_task_timeout_ms
        if isinstance(timeout, int) and timeout < 500:
            issues.warnings.append(
                f"execution.process_pool_task_timeout_ms: {timeout} ms is very short; "
                "large documents will time out and run in-process")
        return issues


@dataclass
class TranslationConfig:
    """How the engine reads pseudocode."""

    strict_mode: bool = default_of(_T + "strict_mode")
    python_style: str = default_of(_T + "python_style")

    def validate(self, strict: bool = False, *, platform: str | None = None) -> ConfigIssues:
        return validate_section(self, "translation", strict, platform)


@dataclass
class EditorConfig:
    """The GUI editor's settings (the engine only stores them)."""

    font_family: str = default_of(_ED + "font_family")
    font_size: int = default_of(_ED + "font_size")
    theme: str = default_of(_ED + "theme")
    autosave_interval_s: int = default_of(_ED + "autosave_interval_s")
    show_arrow_glyph: bool = default_of(_ED + "show_arrow_glyph")
    tab_width: int = default_of(_ED + "tab_width")

    def validate(self, strict: bool = False, *, platform: str | None = None) -> ConfigIssues:
        return validate_section(self, "editor", strict, platform)


@dataclass
class TranslatorConfig:
    """Everything the engine and the GUI read from the configuration."""

    execution: ExecutionConfig = field(default_factory=ExecutionConfig)
    translation: TranslationConfig = field(default_factory=TranslationConfig)
    editor: EditorConfig = field(default_factory=EditorConfig)
    telemetry_enabled: bool = default_of("telemetry_enabled")

    @property
    def strict_mode(self) -> bool:
        return self.translation.strict_mode

    def validate(self, strict: bool = False, *, platform: str | None = None) -> ConfigIssues:
        """Validate every section; lenient mode fixes bad values in place."""
        issues = ConfigIssues()
        problems: list[str] = []
        for part in (self.execution, self.translation, self.editor):
            try:
                issues.extend(part.validate(strict=strict, platform=platform))
            except ConfigError as exc:
                problems.extend(exc.problems)
        try:
            issues.extend(validate_section(self, None, strict, platform))
        except ConfigError as exc:
            problems.extend(exc.problems)
        if problems:
            raise ConfigError(problems)
        return issues

    def to_dict(self) -> dict[str, Any]:
        """Nested plain data, as it would appear in the YAML file."""
        data: dict[str, Any] = {}
        for spec in FIELDS:
            if spec.section is None:
                data[spec.name] = spec.get(self)
            else:
                data.setdefault(spec.section, {})[spec.name] = spec.get(self)
        return data

    def flat(self) -> dict[str, Any]:
        """Dotted key -> value."""
        return {spec.key: spec.get(self) for spec in FIELDS}

    def copy(self) -> TranslatorConfig:
        return copy.deepcopy(self)

    # -- environment overrides (the names follow the process pool specification)

    @staticmethod
    def _normalize_override_key(key: str) -> str | None:
        """Map an override name to its dotted key, or None if it is not one of ours.

        Accepts the variable name in any case (``PSEUDOCODE_EXEC_POOL_TIMEOUT_MS``),
        its suffix (``TIMEOUT_MS``, ``timeout-ms``) or the dotted key itself.
        """
        text = key.strip()
        if text in FIELDS_BY_KEY:
            return text
        norm = text.upper().replace("-", "_").replace(".", "_")
        if norm in ENV_TO_KEY:
            return ENV_TO_KEY[norm]
        for prefix in ("PSEUDOCODE_EXEC_POOL_", "EXEC_POOL_", "PROCESS_POOL_"):
            if norm.startswith(prefix):
                norm = norm[len(prefix):]
                break
        return ENV_TO_KEY.get("PSEUDOCODE_EXEC_POOL_" + norm)

    @staticmethod
    def _collect_env_overrides(environ: Mapping[str, str] | None = None) -> dict[str, str]:
        """The recognised variables that are set: variable name -> raw text."""
        env = os.environ if environ is None else environ
        return {name: env[name] for name in ENV_TO_KEY if name in env}


Config = TranslatorConfig  # the specification's name for it


def changed_keys(old: TranslatorConfig | None, new: TranslatorConfig) -> list[str]:
    """The dotted keys whose value differs between two configurations (all if no old one)."""
    if old is None:
        return [spec.key for spec in FIELDS]
    return [spec.key for spec in FIELDS if spec.get(old) != spec.get(new)]


def pool_settings_changed(old: TranslatorConfig | None, new: TranslatorConfig) -> bool:
    """Whether the pool must be rebuilt: an execution value, or telemetry, changed."""
    return any(key.startswith("execution.") or key == "telemetry_enabled"
               for key in changed_keys(old, new))
