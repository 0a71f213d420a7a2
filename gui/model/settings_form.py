"""(Qt-free) The settings dialog's form: which fields, on which page, their problems and locks.

Every rule comes from ``engine.config``: the fields are its ``FIELDS`` table,
a value is checked by putting it into a copy of the configuration and
running the same ``validate()`` the engine runs on load (so "0 workers",
"abc ms" or a start method this platform lacks are refused here exactly as
they are in the file), a field fixed by an environment variable is the
``ConfigManager.env_locked()`` entry, and saving is ``ConfigManager.save()``
(atomic, env values never written, unknown keys kept, a malformed file
backed up first). This module only adds words: labels, help texts, pages.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from dataclasses import dataclass
from typing import Any

from engine.config import (
    ALLOWED_START_METHODS,
    ALLOWED_TARGETS,
    ALLOWED_THEMES,
    FIELDS,
    ConfigManager,
    ConfigWarning,
    EnvLock,
    FieldSpec,
    TranslatorConfig,
)

PAGES = ("Execution", "Translation", "Editor")

# key -> (page, label, help)
_WORDS: dict[str, tuple[str, str, str]] = {
    "execution.process_pool_enabled": (
        "Execution", "Use the process pool",
        "Parse and validate in worker processes, one per core. Pays off for batches "
        "(File > Translate folder); for the one program you type, in-process is faster."),
    "execution.process_pool_target": (
        "Execution", "What goes to the pool",
        "Both stages, or only one of them (the other one then runs in this process)."),
    "execution.process_pool_max_workers": (
        "Execution", "Worker processes",
        "Automatic: max(2, number of CPUs). Each worker is a Python process of about 25 MB."),
    "execution.process_pool_task_timeout_ms": (
        "Execution", "Job timeout (ms)",
        "How long one job may run on a worker before the worker is replaced and the job "
        "is retried or run in-process."),
    "execution.process_pool_job_max_chars": (
        "Execution", "Largest job (characters)",
        "Longer documents are not sent to the pool; they are translated in this process."),
    "execution.process_pool_start_method": (
        "Execution", "Start method",
        "How worker processes are created; only the methods this platform offers are "
        "listed. The editor never uses fork for Auto: it would copy the window's threads."),
    "execution.process_pool_retry_on_timeout": (
        "Execution", "Retry a job that timed out",
        "Run it again on a fresh worker (up to the retry limit) before running it in-process."),
    "execution.process_pool_retry_limit": (
        "Execution", "Retry limit", "How many retries a job gets (0 to 10)."),
    "translation.strict_mode": (
        "Translation", "Strict mode",
        "Exam practice: what is normally a warning (an undeclared variable, lower-case "
        "keywords ...) is an error."),
    "translation.python_style": (
        "Translation", "Python style",
        "checked: the Python keeps every check the pseudocode implies (array bounds, types "
        "of INPUT ...), with small helpers at the top; plain: the Python a teacher would "
        "write (lists, int(input()), with open), without the helpers. The Python pane "
        "shows it and Export Python saves it; Run always runs the checked style."),
    "telemetry_enabled": (
        "Translation", "Record statistics (telemetry)",
        "Count pool jobs and time them for the statistics; nothing leaves this computer."),
    "editor.font_family": (
        "Editor", "Font", "The editor's font; the default is the platform's monospace font."),
    "editor.font_size": ("Editor", "Font size", "In points, 6 to 72."),
    "editor.theme": ("Editor", "Theme", "Follow the system's colour scheme, or force one."),
    "editor.autosave_interval_s": (
        "Editor", "Autosave every (s)",
        "How often unsaved work is copied to the recovery folder; 0 turns it off."),
    "editor.show_arrow_glyph": (
        "Editor", "Show \u2190 for <-", "Typing <- shows the arrow glyph \u2190."),
    "editor.tab_width": ("Editor", "Indent width", "Spaces per indentation level, 1 to 16."),
}

CHOICE_LABELS: dict[str, dict[Any, str]] = {
    "execution.process_pool_target": {
        "parse_validate": "Parse and validate", "parse_only": "Parse only",
        "validate_only": "Validate only"},
    "editor.theme": {"system": "Follow the system", "light": "Light", "dark": "Dark"},
}


# The editor resolves an automatic start method to spawn (gui/services/engine_service.py).
AUTO_START_METHOD_LABEL = "Auto (spawn in the editor)"


@dataclass(frozen=True, slots=True)
class FormField:
    spec: FieldSpec
    page: str
    label: str
    help: str

    @property
    def key(self) -> str:
        return self.spec.key

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


# In the order of _WORDS (the order the dialog shows), every field of the engine's table.
FORM_FIELDS: tuple[FormField, ...] = tuple(
    FormField(spec, *_WORDS[spec.key])
    for spec in sorted(FIELDS, key=lambda spec: list(_WORDS).index(spec.key)))

PAGE_INTROS = {
    "Execution": "The process pool parses and validates programs in worker processes "
                 "(see docs/process_pool.md). It is off by default; the Performance panel "
                 "(View > Performance) shows its effect.",
    "Translation": "How the engine reads pseudocode.",
    "Editor": "How programs look and how unsaved work is kept.",
}
FORM_BY_KEY = {f.key: f for f in FORM_FIELDS}


def fields_on(page: str) -> list[FormField]:
    return [f for f in FORM_FIELDS if f.page == page]


def available_start_methods(platform: str | None = None) -> list[str]:
    """The start methods this platform offers, in the engine's order."""
    if platform is None or platform == sys.platform:
        offered = multiprocessing.get_all_start_methods()
    elif platform == "win32":
        offered = ["spawn"]
    else:
        offered = list(ALLOWED_START_METHODS)
    return [m for m in ALLOWED_START_METHODS if m in offered]


def choices(key: str, platform: str | None = None) -> list[tuple[Any, str]]:
    """(value, label) for a choice field; None is "Auto" where the field allows it."""
    if key == "execution.process_pool_start_method":
        return [(None, AUTO_START_METHOD_LABEL)] + [(m, m) for m in
                                                      available_start_methods(platform)]
    spec = FORM_BY_KEY[key].spec
    labels = CHOICE_LABELS.get(key, {})
    values = {"execution.process_pool_target": ALLOWED_TARGETS,
              "editor.theme": ALLOWED_THEMES}.get(key, spec.choices or ())
    return [(v, labels.get(v, v)) for v in values]


def auto_workers() -> int:
    """What "Automatic" resolves to here (as the pool resolves it)."""
    return max(2, os.cpu_count() or 2)


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


def execution_changed(old: TranslatorConfig | None, new: TranslatorConfig) -> bool:
    """Whether the pool must be rebuilt (any execution value, or telemetry, changed)."""
    if old is None:
        return True
    keys = [s.key for s in FIELDS if s.section == "execution" or s.key == "telemetry_enabled"]
    return any(FORM_BY_KEY[k].spec.get(old) != FORM_BY_KEY[k].spec.get(new) for k in keys)
