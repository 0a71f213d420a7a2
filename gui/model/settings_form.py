"""(Qt-free) The settings dialog's form: the fields as widgets, their problems and locks.

Every rule and every word comes from ``engine.config``: the fields, their
pages, labels, help texts and choice labels are its ``FIELDS`` table; a
value is checked by putting it into a copy of the configuration and running
the same ``validate()`` the engine runs on load (so "0 workers", "abc ms" or
a start method this platform lacks are refused here exactly as they are in
the file); a field fixed by an environment variable is the
``ConfigManager.env_locked()`` entry, and saving is ``ConfigManager.save()``
(atomic, env values never written, unknown keys kept, a malformed file
backed up first). This module only adds the layout: which widget each field gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.config import (
    FIELDS_BY_KEY,
    PAGES,
    ConfigManager,
    ConfigWarning,
    EnvLock,
    FieldSpec,
    TranslatorConfig,
    fields_on_page,
    start_methods_offered,
)
from engine.config.auto import EDITOR_START_METHOD

# The editor resolves an automatic start method to spawn (gui/services/engine_service.py).
AUTO_START_METHOD_LABEL = f"Auto ({EDITOR_START_METHOD} in the editor)"


@dataclass(frozen=True, slots=True)
class FormField:
    """One setting as the dialog shows it: its schema entry and the widget it gets."""

    spec: FieldSpec

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def page(self) -> str:
        return self.spec.page

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def help(self) -> str:
        return self.spec.help

    @property
    def widget(self) -> str:
        """bool | choice | auto_int | int | font | text"""
        if self.spec.kind is bool:
            return "bool"
        if self.spec.choices:
            return "choice"
        if self.spec.kind is int:
            return "auto_int" if self.spec.nullable else "int"
        if self.key == "editor.font_family":
            return "font"
        return "text"


# Every field of the engine's table, page by page (the order the dialog shows).
FORM_FIELDS: tuple[FormField, ...] = tuple(
    FormField(spec) for page in PAGES for spec in fields_on_page(page))
FORM_BY_KEY = {f.key: f for f in FORM_FIELDS}


def fields_on(page: str) -> list[FormField]:
    return [f for f in FORM_FIELDS if f.page == page]


def choices(key: str, platform: str | None = None) -> list[tuple[Any, str]]:
    """(value, label) for a choice field; None is "Auto" where the field allows it."""
    if key == "execution.process_pool_start_method":
        return [(None, AUTO_START_METHOD_LABEL)] + [(m, m) for m in
                                                      start_methods_offered(platform)]
    spec = FIELDS_BY_KEY[key]
    return [(value, spec.choice_label(value)) for value in spec.choices or ()]


def _short(message: str) -> str:
    """A validate() message for a form: without the key and the "; using ..." repair note."""
    text = message.split(": ", 1)[1] if ": " in message else message
    for tail in ("; using ", "; keeping "):
        if tail in text:
            text = text.split(tail, 1)[0]
    return text


@dataclass(frozen=True, slots=True)
class Problem:
    key: str
    message: str
    error: bool     # errors block saving; warnings do not


class SettingsForm:
    """The values being edited (raw, as typed), their problems, and the locked fields.

    ``set(key, raw)`` records what a widget holds (text for numbers, the
    value for check boxes and choices); ``problems()`` validates the whole
    form with the engine's rules; ``result()`` is the configuration to save.
    """

    def __init__(self, manager: ConfigManager) -> None:
        self.manager = manager
        self.original = manager.config.copy()
        self.locks: dict[str, EnvLock] = manager.env_locked()
        self.raw: dict[str, Any] = {f.key: f.spec.get(self.original) for f in FORM_FIELDS}

    # -- what the dialog shows
    @property
    def path(self) -> str:
        return str(self.manager.path)

    @property
    def file_state(self) -> str:
        return self.manager.file_state

    def file_problem(self) -> ConfigWarning | None:
        """The first warning about the file itself (not valid YAML, unreadable), if any."""
        if self.manager.file_state != "malformed":
            return None
        path = str(self.manager.path)
        for warning in self.manager.warnings:
            if warning.where.startswith(path):
                return warning
        return ConfigWarning(path, "the configuration file could not be read")

    def lock(self, key: str) -> EnvLock | None:
        return self.locks.get(key)

    def lock_text(self, key: str) -> str:
        lock = self.locks.get(key)
        if lock is None:
            return ""
        return f"Set by the environment variable {lock.variable}={lock.raw}"

    def initial_text(self, key: str) -> str:
        """The starting text of a number field ("" for automatic)."""
        value = self.raw[key]
        return "" if value is None else str(value)

    # -- editing
    def set(self, key: str, raw: Any) -> None:
        if key in self.locks:
            return  # fixed by the environment: the form cannot change it
        self.raw[key] = raw

    def _candidate(self) -> tuple[TranslatorConfig, list[str], list[str]]:
        candidate = self.original.copy()
        for form_field in FORM_FIELDS:
            key = form_field.key
            value = self.raw[key]
            if key in self.locks:
                value = self.locks[key].value
            form_field.spec.set(candidate, value)
        issues = candidate.validate(strict=False, platform=self.manager.platform)
        return candidate, issues.errors, issues.warnings

    def problems(self) -> list[Problem]:
        """Every problem of the form, by field (the engine's validate() messages)."""
        _, errors, warnings = self._candidate()
        found: list[Problem] = []
        for messages, error in ((errors, True), (warnings, False)):
            for message in messages:
                key = message.split(": ", 1)[0]
                found.append(Problem(key, _short(message) if error else message.split(": ", 1)[-1],
                                     error))
        return found

    def problems_of(self, key: str) -> list[Problem]:
        return [p for p in self.problems() if p.key == key]

    def has_errors(self) -> bool:
        return any(p.error for p in self.problems())

    def result(self) -> TranslatorConfig:
        """The configuration to save and apply (call only when there is no error)."""
        candidate, errors, _ = self._candidate()
        if errors:
            raise ValueError("; ".join(errors))
        return candidate

    def changed(self) -> list[str]:
        """Dotted keys whose value differs from the one the dialog opened with."""
        candidate, _, _ = self._candidate()
        return [f.key for f in FORM_FIELDS
                if f.spec.get(candidate) != f.spec.get(self.original)]

    def save(self) -> tuple[TranslatorConfig, str]:
        """Write the file (ConfigManager.save: atomic, backup of a malformed file).

        Returns the configuration now in force and the path written. Runs off
        the UI thread (it writes and fsyncs a file).
        """
        config = self.result()
        path = self.manager.save(config)
        self.original = config.copy()
        return config, str(path)

    @property
    def last_backup(self) -> str:
        """Where the last ``save()`` copied a malformed file before replacing it ("" if it
        did not: ``ConfigManager.last_backup``)."""
        backup = getattr(self.manager, "last_backup", None)
        return str(backup) if backup else ""
