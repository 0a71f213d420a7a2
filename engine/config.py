"""Configuration: defaults, then the user's YAML file, then environment variables.

A desktop app must start whatever the file or the environment says, so
loading is lenient: a bad value is a warning that names its file and line (or
its variable) and only that value falls back; a broken file is reported and
ignored, and kept untouched until the user saves. ``strict=True`` turns every
such problem into a :class:`ConfigError` instead, for tests and CI.

Saving writes only what the user chose (never a value that came from an
environment variable), keeps keys this version does not know, and replaces
the file atomically so a crash never leaves half a file.

Every field is described once in :data:`FIELDS`; validation, file and
environment parsing, ``config show`` and saving all read that table.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_VERSION = 1
CONFIG_PATH_ENV = "PSEUDOCODE_CONFIG"
DEFAULT_CONFIG_DIR_NAME = ".pseudocode_translator"
DEFAULT_CONFIG_FILE_NAME = "config.yaml"

ALLOWED_TARGETS = ("parse_validate", "parse_only", "validate_only")
ALLOWED_START_METHODS = ("spawn", "forkserver", "fork")
ALLOWED_THEMES = ("system", "light", "dark")
PYTHON_STYLES = ("checked", "plain")  # translation.python_style
# ProcessPoolExecutor's limit on Windows (WaitForMultipleObjects waits on at
# most 64 handles); the pool keeps to it so a config works on every platform.
WINDOWS_MAX_WORKERS = 61

_TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
_FALSE_WORDS = frozenset({"0", "false", "no", "off"})
_NULL_WORDS = frozenset({"", "none", "null", "auto", "default", "~"})



def _yaml() -> Any:
    """PyYAML, imported when a file is read or written (it costs ~20 ms at start-up; most
    runs have no configuration file)."""
    import yaml

    return yaml


class ConfigError(ValueError):
    """Raised in strict mode; ``problems`` lists every message."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass
class ConfigIssues:
    """What ``validate()`` found.

    ``errors``: values that were invalid (in lenient mode they have already
    been clamped or reset, and the message says to what). ``warnings``: valid
    values that are probably not what the user wants.
    """

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.errors or self.warnings)

    def extend(self, other: ConfigIssues) -> None:
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)


# --------------------------------------------------------------------------
# The sections


@dataclass
class ExecutionConfig:
    """The opt-in process pool (see docs/process_pool.md)."""

    process_pool_enabled: bool = False
    process_pool_max_workers: int | None = None
    process_pool_target: str = "parse_validate"
    process_pool_task_timeout_ms: int = 5000
    process_pool_job_max_chars: int = 50000
    process_pool_start_method: str | None = None
    process_pool_retry_on_timeout: bool = True
    process_pool_retry_limit: int = 1

    def validate(self, strict: bool = False, *, platform: str | None = None) -> ConfigIssues:
        """Allowed targets and start methods, positive numbers, 1..61 workers on Windows."""
        issues = _validate_section(self, "execution", strict, platform)
        workers = self.process_pool_max_workers
        cpus = os.cpu_count() or 1
        if isinstance(workers, int) and workers > 4 * cpus:
            issues.warnings.append(
                f"execution.process_pool_max_workers: {workers} workers on {cpus} CPUs; "
                "more workers than CPUs only adds memory and start-up time")
        timeout = self.process_pool_task_timeout_ms
        if isinstance(timeout, int) and timeout < 500:
            issues.warnings.append(
                f"execution.process_pool_task_timeout_ms: {timeout} ms is very short; "
                "large documents will time out and run in-process")
        return issues


@dataclass
class TranslationConfig:
    """How the engine reads pseudocode."""

    # Exam rules: a variable used without DECLARE is an error, not a warning.
    strict_mode: bool = False
    # The Python shown and exported: "checked" (runtime checks, errors name the pseudocode
    # line) or "plain" (the Python a teacher would write). Run always runs "checked".
    python_style: str = "checked"

    def validate(self, strict: bool = False, *, platform: str | None = None) -> ConfigIssues:
        return _validate_section(self, "translation", strict, platform)


@dataclass
class EditorConfig:
    """The GUI editor's settings (the engine only stores them)."""

    font_family: str = ""          # "" = the platform's monospace font
    font_size: int = 11
    theme: str = "system"          # system | light | dark
    autosave_interval_s: int = 5   # 0 = no autosave
    show_arrow_glyph: bool = True  # display <- as the arrow glyph
    tab_width: int = 4

    def validate(self, strict: bool = False, *, platform: str | None = None) -> ConfigIssues:
        return _validate_section(self, "editor", strict, platform)


@dataclass
class TranslatorConfig:
    """Everything the engine and the GUI read from the configuration."""

    execution: ExecutionConfig = field(default_factory=ExecutionConfig)
    translation: TranslationConfig = field(default_factory=TranslationConfig)
    editor: EditorConfig = field(default_factory=EditorConfig)
    telemetry_enabled: bool = False

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
            issues.extend(_validate_section(self, None, strict, platform))
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


# --------------------------------------------------------------------------
# The field table


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One configuration value: where it lives, its type and its allowed values."""

    section: str | None
    name: str
    kind: type
    nullable: bool = False
    choices: tuple[str, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    env: str | None = None

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}" if self.section else self.name

    @property
    def default(self) -> Any:
        return self.get(TranslatorConfig())

    def owner(self, config: TranslatorConfig) -> Any:
        return config if self.section is None else getattr(config, self.section)

    def get(self, config: TranslatorConfig) -> Any:
        return getattr(self.owner(config), self.name)

    def set(self, config: TranslatorConfig, value: Any) -> None:
        setattr(self.owner(config), self.name, value)

    def maximum_on(self, platform: str | None) -> int | None:
        if self.name == "process_pool_max_workers" and (platform or sys.platform) == "win32":
            return WINDOWS_MAX_WORKERS
        return self.maximum


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("execution", "process_pool_enabled", bool, env="PSEUDOCODE_EXEC_POOL_ENABLED"),
    FieldSpec("execution", "process_pool_max_workers", int, nullable=True, minimum=1,
              maximum=1024, env="PSEUDOCODE_EXEC_POOL_MAX_WORKERS"),
    FieldSpec("execution", "process_pool_target", str, choices=ALLOWED_TARGETS,
              env="PSEUDOCODE_EXEC_POOL_TARGET"),
    FieldSpec("execution", "process_pool_task_timeout_ms", int, minimum=1,
              maximum=3_600_000, env="PSEUDOCODE_EXEC_POOL_TIMEOUT_MS"),
    FieldSpec("execution", "process_pool_job_max_chars", int, minimum=1,
              env="PSEUDOCODE_EXEC_POOL_JOB_MAX_CHARS"),
    FieldSpec("execution", "process_pool_start_method", str, nullable=True,
              choices=ALLOWED_START_METHODS, env="PSEUDOCODE_EXEC_POOL_START_METHOD"),
    FieldSpec("execution", "process_pool_retry_on_timeout", bool,
              env="PSEUDOCODE_EXEC_POOL_RETRY_ON_TIMEOUT"),
    FieldSpec("execution", "process_pool_retry_limit", int, minimum=0, maximum=10,
              env="PSEUDOCODE_EXEC_POOL_RETRY_LIMIT"),
    FieldSpec("translation", "strict_mode", bool),
    FieldSpec("translation", "python_style", str, choices=PYTHON_STYLES),
    FieldSpec("editor", "font_family", str),
    FieldSpec("editor", "font_size", int, minimum=6, maximum=72),
    FieldSpec("editor", "theme", str, choices=ALLOWED_THEMES),
    FieldSpec("editor", "autosave_interval_s", int, minimum=0, maximum=3600),
    FieldSpec("editor", "show_arrow_glyph", bool),
    FieldSpec("editor", "tab_width", int, minimum=1, maximum=16),
    FieldSpec(None, "telemetry_enabled", bool, env="PSEUDOCODE_TELEMETRY"),
)
FIELDS_BY_KEY: dict[str, FieldSpec] = {spec.key: spec for spec in FIELDS}
ENV_TO_KEY: dict[str, str] = {spec.env: spec.key for spec in FIELDS if spec.env}
SECTIONS: tuple[str, ...] = ("execution", "translation", "editor")
EXEC_POOL_ENV_VARS: tuple[str, ...] = tuple(
    spec.env for spec in FIELDS if spec.env and spec.env.startswith("PSEUDOCODE_EXEC_POOL_"))


class _BadValue(ValueError):
    pass


def _describe_expected(spec: FieldSpec) -> str:
    if spec.choices:
        text = "one of " + ", ".join(spec.choices)
    elif spec.kind is bool:
        text = "a boolean (1/0, true/false, yes/no, on/off)"
    elif spec.kind is int:
        text = "a whole number"
        if spec.minimum is not None:
            text += f" >= {spec.minimum}"
    else:
        text = "text"
    if spec.nullable:
        text += ", or empty for automatic"
    return text


def coerce(spec: FieldSpec, raw: Any) -> Any:
    """Turn a YAML value or an environment string into the field's type (no range check)."""
    if isinstance(raw, str):
        text = raw.strip()
        if spec.nullable and text.lower() in _NULL_WORDS:
            return None
    elif raw is None:
        if spec.nullable:
            return None
        raise _BadValue(f"no value; expected {_describe_expected(spec)}")
    if spec.kind is bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, int) and raw in (0, 1):
            return bool(raw)
        if isinstance(raw, str):
            word = raw.strip().lower()
            if word in _TRUE_WORDS:
                return True
            if word in _FALSE_WORDS:
                return False
        raise _BadValue(f"{raw!r} is not {_describe_expected(spec)}")
    if spec.kind is int:
        if isinstance(raw, bool):
            raise _BadValue(f"{raw!r} is not {_describe_expected(spec)}")
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, str):
            try:
                return int(raw.strip())
            except ValueError:
                pass
        raise _BadValue(f"{raw!r} is not {_describe_expected(spec)}")
    # str
    if not isinstance(raw, str):
        raise _BadValue(f"{raw!r} is not {_describe_expected(spec)}")
    text = raw.strip()
    if spec.choices:
        lowered = text.lower()
        if lowered not in spec.choices:
            raise _BadValue(f"{raw!r} is not {_describe_expected(spec)}")
        return lowered
    return raw


def check(spec: FieldSpec, value: Any, platform: str | None = None) -> tuple[Any, str | None]:
    """Range and availability check of a typed value: (value to use, problem or None).

    Numbers out of range are clamped; a start method the platform lacks falls
    back to automatic.
    """
    if value is None and spec.nullable:
        return None, None
    if spec.kind is int:
        low, high = spec.minimum, spec.maximum_on(platform)
        if low is not None and value < low:
            return low, f"{value} is below the minimum {low}; using {low}"
        if high is not None and value > high:
            where = " on Windows" if spec.name == "process_pool_max_workers" and high == \
                WINDOWS_MAX_WORKERS else ""
            return high, f"{value} is above the maximum {high}{where}; using {high}"
    if spec.name == "process_pool_start_method" and value is not None:
        available = _available_start_methods(platform)
        if value not in available:
            return None, (f"start method {value!r} is not available on this platform "
                          f"(available: {', '.join(available)}); using the platform default")
    return value, None


def _available_start_methods(platform: str | None) -> list[str]:
    if platform is None or platform == sys.platform:
        import multiprocessing

        return multiprocessing.get_all_start_methods()
    if platform == "win32":
        return ["spawn"]
    return list(ALLOWED_START_METHODS)


def _validate_section(obj: Any, section: str | None, strict: bool,
                      platform: str | None) -> ConfigIssues:
    issues = ConfigIssues()
    defaults = {spec.name: spec.default for spec in FIELDS if spec.section == section}
    for spec in FIELDS:
        if spec.section != section:
            continue
        value = getattr(obj, spec.name)
        try:
            fixed, problem = check(spec, coerce(spec, value), platform)
        except _BadValue as exc:
            fixed, problem = defaults[spec.name], f"{exc}; using the default {defaults[spec.name]!r}"
        if problem is None:
            if not (type(fixed) is type(value) and fixed == value):
                setattr(obj, spec.name, fixed)  # only normalised ("Dark" -> "dark", "1" -> True)
            continue
        issues.errors.append(f"{spec.key}: {problem}")
        if not strict:
            setattr(obj, spec.name, fixed)
    if strict and issues.errors:
        raise ConfigError(issues.errors)
    return issues


# --------------------------------------------------------------------------
# Loading and saving


@dataclass(frozen=True, slots=True)
class ConfigWarning:
    """A problem found while loading: where (``path:line`` or ``VARIABLE``) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(frozen=True, slots=True)
class EnvLock:
    """A value fixed by an environment variable (the GUI shows it read-only)."""

    key: str
    variable: str
    raw: str
    value: Any


def default_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$PSEUDOCODE_CONFIG`` if set, else ``~/.pseudocode_translator/config.yaml``."""
    env = os.environ if environ is None else environ
    override = env.get(CONFIG_PATH_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return Path.home() / DEFAULT_CONFIG_DIR_NAME / DEFAULT_CONFIG_FILE_NAME


class ConfigManager:
    """Builds the effective configuration and remembers where each value came from.

    >>> manager = ConfigManager()
    >>> config = manager.load()          # never raises unless strict=True
    >>> manager.warnings                 # what to show the user
    >>> manager.sources()["execution.process_pool_enabled"]   # "default" | "file" | "env:NAME"
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *,
                 environ: Mapping[str, str] | None = None, strict: bool = False,
                 platform: str | None = None) -> None:
        self._environ = environ
        self.path = Path(path).expanduser() if path is not None else default_config_path(environ)
        self.strict = strict
        self.platform = platform
        self.config = TranslatorConfig()
        self.warnings: list[ConfigWarning] = []
        self.file_state = "not loaded"  # missing | ok | malformed
        self._file_data: dict[str, Any] = {}
        self._file_keys: set[str] = set()
        self._sources: dict[str, str] = {spec.key: "default" for spec in FIELDS}
        self._env_locks: dict[str, EnvLock] = {}

    # -- loading

    def load(self) -> TranslatorConfig:
        """Defaults, then the file (if present), then the environment variables."""
        config = TranslatorConfig()
        self.warnings = []
        self._sources = {spec.key: "default" for spec in FIELDS}
        self._env_locks = {}
        self._file_keys = set()
        problems: list[str] = []
        data, lines = self._read_file(problems)
        self._file_data = data
        if data:
            self._apply_file(config, data, lines, problems)
        self._apply_env(config, problems)
        try:
            issues = config.validate(strict=self.strict, platform=self.platform)
        except ConfigError as exc:
            problems.extend(exc.problems)
        else:
            for message in issues.errors + issues.warnings:
                self._warn("", message, problems, fatal=False)
        if self.strict and problems:
            raise ConfigError(problems)
        self.config = config
        return config

    def _warn(self, where: str, message: str, problems: list[str], fatal: bool = True) -> None:
        warning = ConfigWarning(where, message)
        self.warnings.append(warning)
        if fatal:
            problems.append(str(warning))

    def _read_file(self, problems: list[str]) -> tuple[dict[str, Any], dict[str, int]]:
        path = self.path
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            self.file_state = "missing"
            return {}, {}
        except (OSError, UnicodeDecodeError) as exc:
            self.file_state = "malformed"
            self._warn(str(path), f"cannot read the configuration file ({exc}); "
                                  "using the defaults", problems)
            return {}, {}
        yaml = _yaml()
        try:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
            try:
                node = loader.get_single_node()
                data = loader.construct_document(node) if node is not None else None
            finally:
                loader.dispose()
        except yaml.YAMLError as exc:
            self.file_state = "malformed"
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
            reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            self._warn(where, f"the configuration file is not valid YAML ({reason}); using the "
                              "defaults (the file is kept as it is until you save)", problems)
            return {}, {}
        if data is None:
            self.file_state = "ok"
            return {}, {}
        if not isinstance(data, dict):
            self.file_state = "malformed"
            self._warn(f"{path}:1", "the configuration file must be a mapping of sections "
                                    "(like 'execution:'); using the defaults", problems)
            return {}, {}
        self.file_state = "ok"
        return data, _line_map(node)

    def _apply_file(self, config: TranslatorConfig, data: dict[str, Any],
                    lines: dict[str, int], problems: list[str]) -> None:
        path = self.path

        def where(key: str) -> str:
            return f"{path}:{lines[key]}" if key in lines else str(path)

        version = data.get("config_version", CONFIG_VERSION)
        if not isinstance(version, int) or isinstance(version, bool):
            self._warn(where("config_version"), f"config_version {version!r} is not a number",
                       problems)
        elif version > CONFIG_VERSION:
            self._warn(where("config_version"),
                       f"written by a newer version (config_version {version}); values this "
                       "version knows are used, the others are kept", problems, fatal=False)
        for section in SECTIONS:
            if section not in data or data[section] is None:
                continue
            body = data[section]
            if not isinstance(body, dict):
                self._warn(where(section), f"'{section}' must be a mapping of settings; "
                                           "ignored", problems)
                continue
            for name, raw in body.items():
                key = f"{section}.{name}"
                spec = FIELDS_BY_KEY.get(key)
                if spec is None:
                    self._warn(where(key), f"unknown setting '{key}' (kept in the file, "
                                           "not used)", problems, fatal=False)
                    continue
                self._set_from(config, spec, raw, "file", where(key), problems)
        for spec in FIELDS:
            if spec.section is None and spec.name in data:
                self._set_from(config, spec, data[spec.name], "file", where(spec.key), problems)

    def _apply_env(self, config: TranslatorConfig, problems: list[str]) -> None:
        for variable, raw in Config._collect_env_overrides(self._environ).items():
            key = Config._normalize_override_key(variable)
            if key is None:  # pragma: no cover - _collect only returns known names
                continue
            spec = FIELDS_BY_KEY[key]
            if self._set_from(config, spec, raw, f"env:{variable}",
                              f"environment variable {variable}={raw!r}", problems):
                self._env_locks[key] = EnvLock(key, variable, raw, spec.get(config))

    def _set_from(self, config: TranslatorConfig, spec: FieldSpec, raw: Any, source: str,
                  where: str, problems: list[str]) -> bool:
        """Apply one value; a bad one is a warning and leaves the field as it was."""
        if source == "file":
            self._file_keys.add(spec.key)
        try:
            value = coerce(spec, raw)
        except _BadValue as exc:
            current = spec.get(config)
            self._warn(where, f"{spec.key}: {exc}; keeping {current!r}", problems)
            return False
        value, problem = check(spec, value, self.platform)
        if problem:
            self._warn(where, f"{spec.key}: {problem}", problems)
        spec.set(config, value)
        self._sources[spec.key] = source
        return True

    # -- what the GUI and `config show` read

    def sources(self) -> dict[str, str]:
        """Dotted key -> ``default``, ``file`` or ``env:VARIABLE``."""
        return dict(self._sources)

    def env_locked(self) -> dict[str, EnvLock]:
        """The values an environment variable fixes (read-only in the GUI)."""
        return dict(self._env_locks)

    def describe(self) -> dict[str, dict[str, Any]]:
        """Dotted key -> ``{"value": ..., "source": ...}`` (the JSON of ``config show``)."""
        return {spec.key: {"value": spec.get(self.config), "source": self._sources[spec.key]}
                for spec in FIELDS}

    # -- saving

    def save(self, config: TranslatorConfig | None = None) -> Path:
        """Write the user's choices atomically; returns the path written.

        Values that came from environment variables are not written (the
        file's own value, if any, is kept). A malformed file is first copied
        to ``config.yaml.bak-YYYYmmdd-HHMMSS``.
        """
        if self.file_state == "not loaded":
            self.load()  # to keep the file's other keys and skip environment values
        self.last_backup: Path | None = None  # where a malformed file was copied, if it was
        config = self.config if config is None else config
        issues = config.validate(strict=self.strict, platform=self.platform)
        del issues  # lenient validation fixed what it could; nothing more to say here
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.file_state == "malformed" and path.exists():
            stamp = time.strftime("%Y%m%d-%H%M%S")
            backup = path.with_name(f"{path.name}.bak-{stamp}")
            n = 1
            while backup.exists():
                backup = path.with_name(f"{path.name}.bak-{stamp}-{n}")
                n += 1
            shutil.copy2(path, backup)
            self.last_backup = backup
            data: dict[str, Any] = {}
        else:
            data = copy.deepcopy(self._file_data)
        written: set[str] = set()
        for spec in FIELDS:
            value = spec.get(config)
            lock = self._env_locks.get(spec.key)
            if lock is not None and value == lock.value:
                continue  # it came from the environment: never written
            if spec.key not in self._file_keys and value == spec.default:
                continue  # the user never chose it
            if spec.section is None:
                data[spec.name] = value
            else:
                body = data.get(spec.section)
                if not isinstance(body, dict):
                    body = data[spec.section] = {}
                body[spec.name] = value
            written.add(spec.key)
        data.pop("config_version", None)
        data = {"config_version": CONFIG_VERSION, **data}
        yaml = _yaml()
        text = ("# Pseudocode Translator configuration (see docs/configuration.md).\n"
                + yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
                            sort_keys=False, default_flow_style=False, allow_unicode=True))
        _atomic_write(path, text)
        self.file_state = "ok"
        self._file_data = data
        self._file_keys = set(written) | {k for k in self._file_keys if k in self._env_locks}
        self.config = config
        for key in written:
            self._sources[key] = "file"
        return path


def _line_map(node: Any, prefix: str = "") -> dict[str, int]:
    """Dotted key -> 1-based line of its value, from a composed YAML node."""
    yaml = _yaml()
    lines: dict[str, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        key = f"{prefix}{key_node.value}"
        lines[key] = value_node.start_mark.line + 1
        if isinstance(value_node, yaml.MappingNode):
            lines[key] = key_node.start_mark.line + 1
            lines.update(_line_map(value_node, key + "."))
    return lines


def _atomic_write(path: Path, text: str) -> None:
    """Write to a temporary file in the same folder, then ``os.replace`` it into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def load_config(path: str | os.PathLike[str] | None = None) -> TranslatorConfig:
    """The effective configuration (warnings are dropped; use ConfigManager to see them)."""
    return ConfigManager(path).load()


# --------------------------------------------------------------------------
# `pseudocode-translator config show`


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


def iter_fields() -> Iterator[FieldSpec]:
    return iter(FIELDS)
