"""The configuration in force: defaults, then the user's YAML file, then environment
variables; and saving the user's choices back into that file.

A desktop app must start whatever the file or the environment says, so
loading is lenient: a bad value is a warning that names its file and line (or
its variable) and only that value falls back; a broken file is reported and
ignored, and kept untouched until the user saves. ``strict=True`` turns every
such problem into a :class:`ConfigError` instead, for tests and CI.

Saving writes only what the user chose (never a value that came from an
environment variable), keeps keys this version does not know, and edits the
file in place (round-trip, ``engine.config.yaml_file``), atomically.
"""

from __future__ import annotations

import copy
import os
import shutil
import stat
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.config.schema import (
    CONFIG_PATH_ENV,
    CONFIG_VERSION,
    DEFAULT_CONFIG_DIR_NAME,
    DEFAULT_CONFIG_FILE_NAME,
    FIELDS,
    FIELDS_BY_KEY,
    SECTIONS,
    FieldSpec,
)
from engine.config.sections import Config, TranslatorConfig
from engine.config.values import BadValue, ConfigError, check, coerce

if TYPE_CHECKING:
    from engine.config.yaml_file import ConfigDocument


class ConfigSaveError(Exception):
    """Saving was refused (a read-only file, a newer config_version ...); nothing was written."""



def _file() -> Any:
    """``engine.config.yaml_file``, imported when a file is read or written (YAML libraries
    cost start-up time; most runs have no configuration file)."""
    import engine.config.yaml_file as yaml_file

    return yaml_file


def _plain_scalar(raw: Any) -> Any:
    """A round-trip YAML scalar as the plain Python value (an anchored ``true`` is not an int)."""
    from ruamel.yaml.scalarbool import ScalarBoolean
    from ruamel.yaml.scalarfloat import ScalarFloat
    from ruamel.yaml.scalarint import ScalarInt

    if isinstance(raw, ScalarBoolean):
        return bool(raw)
    if isinstance(raw, ScalarInt):
        return int(raw)
    if isinstance(raw, ScalarFloat):
        return float(raw)
    if isinstance(raw, str) and type(raw) is not str:
        return str(raw)
    return raw



@dataclass(frozen=True, slots=True)
class ConfigWarning:
    """A problem found while loading: where (``path:line`` or ``VARIABLE``) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        where = self.where
        if len(where) > 120:  # a path too long for the system: keep the message one line
            where = f"{where[:60]}...{where[-40:]}"
        return f"{where}: {self.message}" if where else self.message


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
        self._document: ConfigDocument | None = None
        self._loaded_raw: bytes | None = None  # the file's bytes when it was loaded
        self._loaded_flat: dict[str, Any] = {}  # the values in force after loading
        self.last_backup: Path | None = None
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
        self._loaded_flat = config.flat()
        return config

    def _warn(self, where: str, message: str, problems: list[str], fatal: bool = True) -> None:
        warning = ConfigWarning(where, message)
        self.warnings.append(warning)
        if fatal:
            problems.append(str(warning))

    def _read_file(self, problems: list[str]) -> tuple[dict[str, Any], dict[str, int]]:
        """The file's mapping and its lines; a file that cannot be used is a warning.

        Only a regular file of at most ``yaml_file.MAX_CONFIG_BYTES`` is read
        (a named pipe, a device or a huge file is refused at once), and a
        document whose aliases expand too far is refused before it is built.
        """
        path = self.path
        self._document = None
        self._loaded_raw = None
        try:
            os.stat(path)
        except FileNotFoundError:  # the common case: nothing to parse, nothing to import
            self.file_state = "missing"
            return {}, {}
        except OSError:
            pass  # reported below, by the read
        yaml_file = _file()
        try:
            raw = yaml_file.read_bounded(path)
            self._loaded_raw = raw
            document = yaml_file.parse(raw)
        except FileNotFoundError:
            self.file_state = "missing"
            return {}, {}
        except yaml_file.ConfigFileError as exc:
            self.file_state = "malformed"
            where = f"{path}:{exc.line}" if exc.line else str(path)
            self._warn(where, f"the configuration file cannot be used: {exc}; using the "
                              "defaults (the file is kept as it is until you save)", problems)
            return {}, {}
        except OSError as exc:
            self.file_state = "malformed"
            self._warn(str(path), f"cannot read the configuration file "
                                  f"({exc.strerror or exc}); using the defaults", problems)
            return {}, {}
        data = document.data
        if data is None:
            self.file_state = "ok"
            self._document = document
            return {}, {}
        if not isinstance(data, dict):
            self.file_state = "malformed"
            self._warn(f"{path}:1", "the configuration file must be a mapping of sections "
                                    "(like 'execution:'); using the defaults", problems)
            return {}, {}
        self.file_state = "ok"
        self._document = document
        for key, line, used in document.duplicates:
            self._warn(f"{path}:{line}", f"'{key}' is set twice; the first one (line {used}) "
                                         "is used", problems, fatal=False)
        return data, document.lines

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
        written: str | None = raw if isinstance(raw, str) else None
        if source == "file":
            self._file_keys.add(spec.key)
            raw = _plain_scalar(raw)
            if self._document is not None:
                written = self._document.scalars.get(spec.key, written)
        try:
            value = coerce(spec, raw)
        except BadValue as exc:
            current = spec.get(config)
            self._warn(where, f"{spec.key}: {exc}; keeping {current!r}", problems)
            return False
        if spec.kind is int and value is not None and written is not None \
                and _file().odd_integer(written):
            self._warn(where, f"{spec.key}: {written.strip()!r} is read as {value}; write it "
                              "with the digits 0-9 only", problems)
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
        """Write the user's choices into the file, keeping everything else; returns its path.

        The file is edited in place: comments, key order, quoting, unknown keys
        and values that did not change stay as they are, a symlink stays a link
        (its target is rewritten) and the file keeps its mode. Values that came
        from environment variables are not written. Nothing is written when
        nothing changed. Refused with :class:`ConfigSaveError` (the file
        untouched): a read-only file, one written by a newer version, one that
        is not a regular file. Before a change that cannot keep everything (a
        file that is not valid YAML, a section that is not a mapping, a key set
        twice, formatting the YAML library would not reproduce) the file is
        copied to ``config.yaml.bak-YYYYmmdd-HHMMSS`` (``last_backup``).
        """
        if self.file_state == "not loaded":
            self.load()  # to keep the file's other keys and skip environment values
        self.last_backup = None
        config = self.config if config is None else config
        config.validate(strict=self.strict, platform=self.platform)  # lenient: fixes in place
        yaml_file = _file()
        target = Path(os.path.realpath(self.path))
        config = self._catch_up_with_the_disk(target, config)
        self._refuse_unsafe_target(target)
        document = self._document if self.file_state == "ok" else None
        if document is not None and document.data is not None and \
                not isinstance(document.data, dict):
            document = None
        keeps_everything = document is not None and yaml_file.round_trips(document)
        if document is not None and document.data is not None:
            data = copy.deepcopy(document.data)
        else:
            data = yaml_file.new_document(
                "Pseudocode Translator configuration (see docs/configuration.md).")
        changed, written, lossy = self._merge_into(data, config)
        keeps_everything = keeps_everything and not lossy
        if "config_version" not in data:
            data.insert(0, "config_version", CONFIG_VERSION)
            changed = True
        exists = target.exists()
        if exists and not changed and self.file_state == "ok":
            self._after_save(config, data, written)
            return target  # nothing to change: the file is not touched at all
        text = yaml_file.dump(data)
        yaml_file.parse(text.encode("utf-8"))  # never write what would not read back
        bom = document.bom if document is not None else False
        newline = document.newline if document is not None else "\n"
        try:
            if exists and not keeps_everything:
                self.last_backup = _backup(target)
            yaml_file.write_in_place(target, text, bom=bom, newline=newline)
        except OSError as exc:  # e.g. a folder where no file can be created
            where = exc.filename or target.parent
            raise ConfigSaveError(f"{self.path}: the settings were not saved: cannot write "
                                  f"{where} ({exc.strerror or exc})") from exc
        self.file_state = "ok"
        try:
            self._loaded_raw = yaml_file.read_bounded(target)
            self._document = yaml_file.parse(self._loaded_raw)
        except (OSError, yaml_file.ConfigFileError):
            self._document = self._loaded_raw = None
        self._after_save(config, data, written)
        return target

    def _catch_up_with_the_disk(self, target: Path, config: TranslatorConfig
                                ) -> TranslatorConfig:
        """If the file changed since it was loaded (edited by hand meanwhile), start
        from what it holds now and apply only the settings changed here, so that
        neither side's changes are lost."""
        try:
            current: bytes | None = _file().read_bounded(target)
        except FileNotFoundError:
            current = None
        except (OSError, _file().ConfigFileError):
            return config  # cannot tell; the checks that follow say what is wrong
        if current == self._loaded_raw:
            return config
        mine = {key: value for key, value in config.flat().items()
                if self._loaded_flat.get(key, FIELDS_BY_KEY[key].default) != value}
        self.load()
        fresh = self.config.copy()
        for key, value in mine.items():
            FIELDS_BY_KEY[key].set(fresh, value)
        return fresh

    def _refuse_unsafe_target(self, target: Path) -> None:
        """Raise ConfigSaveError when saving would damage the file or lose settings."""
        try:
            info = os.stat(target)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise ConfigSaveError(f"{self.path}: cannot be saved ({exc.strerror or exc})") \
                from None
        if not stat.S_ISREG(info.st_mode):
            raise ConfigSaveError(f"{self.path} is not a regular file; the settings were not "
                                  "saved")
        if not info.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
            raise ConfigSaveError(f"{self.path} is read-only; the settings were not saved "
                                  "(make the file writable to save them)")
        version = self._file_data.get("config_version") if self.file_state == "ok" else None
        if isinstance(version, int) and not isinstance(version, bool) and \
                version > CONFIG_VERSION:
            raise ConfigSaveError(
                f"{self.path} was written by a newer version of Pseudocode Translator "
                f"(config_version {version}; this version writes {CONFIG_VERSION}); the "
                "settings were not saved, so that version's settings are not lost")

    def _merge_into(self, data: Any, config: TranslatorConfig) -> tuple[bool, set[str], bool]:
        """Set the user's choices in the round-trip data: (changed, keys written, lossy).

        A value equal to the file's (``yes`` for true, ``0x4`` for 4) is left as
        written. ``lossy``: a section that was not a mapping had to be replaced.
        """
        changed = lossy = False
        written: set[str] = set()
        for spec in FIELDS:
            value = spec.get(config)
            lock = self._env_locks.get(spec.key)
            if lock is not None and value == lock.value:
                continue  # it came from the environment: never written
            if spec.key not in self._file_keys and value == spec.default:
                continue  # the user never chose it
            if spec.section is None:
                body = data
            else:
                body = data.get(spec.section)
                if not isinstance(body, dict):
                    lossy = lossy or data.get(spec.section) is not None
                    body = _file().CommentedMap()
                    data[spec.section] = body
                    changed = True
            written.add(spec.key)
            if spec.name in body and _same_value(spec, body[spec.name], value):
                continue
            body[spec.name] = value
            changed = True
        return changed, written, lossy

    def _after_save(self, config: TranslatorConfig, data: Any, written: set[str]) -> None:
        self._file_data = data
        self._file_keys = set(written) | {k for k in self._file_keys if k in self._env_locks}
        self.config = config
        self._loaded_flat = config.flat()
        for key in written:
            self._sources[key] = "file"


def _same_value(spec: FieldSpec, raw: Any, value: Any) -> bool:
    try:
        current = coerce(spec, _plain_scalar(raw))
    except BadValue:
        return False
    return type(current) is type(value) and current == value


def _backup(path: Path) -> Path:
    """Copy the file to ``NAME.bak-YYYYmmdd-HHMMSS`` beside it (never over another backup)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.bak-{stamp}")
    n = 1
    while backup.exists():
        backup = path.with_name(f"{path.name}.bak-{stamp}-{n}")
        n += 1
    shutil.copy2(path, backup)
    return backup


