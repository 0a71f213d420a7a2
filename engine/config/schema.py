"""Every setting, described once: section, type, allowed values, default, environment
variable, and the words the settings dialog and ``--help`` show.

This is the one table the rest of ``engine.config`` reads (as qutebrowser's
``configdata.yml``): the section dataclasses take their defaults from it,
validation, the file and the environment are read by it, ``config show`` and
the command line's ``--help`` epilog are generated from it, and the GUI's
settings dialog lays it out (``gui/model/settings_form.py`` adds only widgets).
Adding a setting is one ``FieldSpec`` here plus its attribute in
``engine/config/sections.py`` (a test checks both agree, and that
``resources/default_config.yaml`` lists it).

Standard library only: ``--help`` reads this module.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from engine.config.auto import (
    ALLOWED_START_METHODS,
    EDITOR_START_METHOD,
    WINDOWS_MAX_WORKERS,
    WORKERS_PER_CPU,
    max_pool_workers,
)

CONFIG_VERSION = 1
CONFIG_PATH_ENV = "PSEUDOCODE_CONFIG"
DEFAULT_CONFIG_DIR_NAME = ".pseudocode_translator"
DEFAULT_CONFIG_FILE_NAME = "config.yaml"

ALLOWED_TARGETS = ("parse_validate", "parse_only", "validate_only")
ALLOWED_THEMES = ("system", "light", "dark")
PYTHON_STYLES = ("checked", "plain")  # translation.python_style

__all__ = [
    "ALLOWED_START_METHODS", "ALLOWED_TARGETS", "ALLOWED_THEMES", "CONFIG_PATH_ENV",
    "CONFIG_VERSION", "DEFAULT_CONFIG_DIR_NAME", "DEFAULT_CONFIG_FILE_NAME",
    "ENV_TO_KEY", "EXEC_POOL_ENV_VARS", "FIELDS", "FIELDS_BY_KEY", "PAGES", "PAGE_INTROS",
    "PYTHON_STYLES", "SECTIONS", "WINDOWS_MAX_WORKERS", "WORKERS_PER_CPU", "FieldSpec",
    "default_of", "fields_in", "fields_on_page",
]


class FieldSpec(NamedTuple):
    """One setting: where it lives, its type and allowed values, its default, its
    environment variable, and the words shown for it (``page``, ``label``, ``help``;
    ``automatic``: what an empty value means, for a field that may be empty).

    A NamedTuple, not a dataclass: ``--help`` reads this table, and importing
    ``dataclasses`` would be most of its cost."""

    section: str | None
    name: str
    kind: type
    default: Any
    page: str
    label: str
    help: str
    env: str | None = None
    nullable: bool = False
    choices: tuple[str, ...] | None = None
    choice_labels: tuple[tuple[str, str], ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    automatic: str = ""

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}" if self.section else self.name

    def owner(self, config: Any) -> Any:
        """The section object of a ``TranslatorConfig`` that holds this field."""
        return config if self.section is None else getattr(config, self.section)

    def get(self, config: Any) -> Any:
        return getattr(self.owner(config), self.name)

    def set(self, config: Any, value: Any) -> None:
        setattr(self.owner(config), self.name, value)

    def maximum_on(self, platform: str | None) -> int | None:
        """The largest allowed value on ``platform`` (the worker count depends on it)."""
        if self.key == "execution.process_pool_max_workers":
            return max_pool_workers(platform)
        return self.maximum

    def choice_label(self, value: Any) -> str:
        """The word the settings dialog shows for one of ``choices``."""
        return dict(self.choice_labels).get(value, str(value))


PAGES = ("Execution", "Translation", "Editor")  # the settings dialog's pages, in order
PAGE_INTROS = {
    "Execution": "The process pool parses and validates programs in worker processes "
                 "(see docs/process_pool.md). It is off by default; the Performance panel "
                 "(View > Performance) shows its effect.",
    "Translation": "How the engine reads pseudocode.",
    "Editor": "How programs look and how unsaved work is kept.",
}

_EXEC = "execution"
_POOL_ENV = "PSEUDOCODE_EXEC_POOL_"

# The order is the settings dialog's (page by page), of `config show` and of a new file.
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        _EXEC, "process_pool_enabled", bool, False, "Execution", "Use the process pool",
        "Parse and validate in worker processes, one per core. Pays off for batches "
        "(File > Translate folder); for the one program you type, in-process is faster.",
        env=_POOL_ENV + "ENABLED"),
    FieldSpec(
        _EXEC, "process_pool_target", str, "parse_validate", "Execution",
        "What goes to the pool",
        "Both stages, or only one of them (the other one then runs in this process).",
        env=_POOL_ENV + "TARGET", choices=ALLOWED_TARGETS,
        choice_labels=(("parse_validate", "Parse and validate"), ("parse_only", "Parse only"),
                       ("validate_only", "Validate only"))),
    FieldSpec(
        _EXEC, "process_pool_max_workers", int, None, "Execution", "Worker processes",
        "Automatic: max(2, number of CPUs), at most 61 on Windows. Each worker is a Python "
        "process of about 25 MB.",
        env=_POOL_ENV + "MAX_WORKERS", nullable=True, minimum=1,
        automatic=f"max(2, CPUs), at most {WINDOWS_MAX_WORKERS} on Windows"),
    FieldSpec(
        _EXEC, "process_pool_task_timeout_ms", int, 5000, "Execution", "Job timeout (ms)",
        "How long one job may run on a worker before the worker is replaced and the job "
        "is retried or run in-process.",
        env=_POOL_ENV + "TIMEOUT_MS", minimum=1, maximum=3_600_000),
    FieldSpec(
        _EXEC, "process_pool_job_max_chars", int, 50000, "Execution",
        "Largest job (characters)",
        "Longer documents are not sent to the pool; they are translated in this process.",
        env=_POOL_ENV + "JOB_MAX_CHARS", minimum=1),
    FieldSpec(
        _EXEC, "process_pool_start_method", str, None, "Execution", "Start method",
        "How worker processes are created; only the methods this platform offers are "
        "listed. The editor never uses fork for Auto: it would copy the window's threads.",
        env=_POOL_ENV + "START_METHOD", nullable=True, choices=ALLOWED_START_METHODS,
        automatic=f"the platform's, {EDITOR_START_METHOD} in the editor"),
    FieldSpec(
        _EXEC, "process_pool_retry_on_timeout", bool, True, "Execution",
        "Retry a job that timed out",
        "Run it again on a fresh worker (up to the retry limit) before running it in-process.",
        env=_POOL_ENV + "RETRY_ON_TIMEOUT"),
    FieldSpec(
        _EXEC, "process_pool_retry_limit", int, 1, "Execution", "Retry limit",
        "How many retries a job gets (0 to 10).",
        env=_POOL_ENV + "RETRY_LIMIT", minimum=0, maximum=10),
    FieldSpec(
        "translation", "strict_mode", bool, False, "Translation", "Strict mode",
        "Exam practice: what is normally a warning (an undeclared variable, lower-case "
        "keywords ...) is an error."),
    FieldSpec(
        "translation", "python_style", str, "checked", "Translation", "Python style",
        "checked: the Python keeps every check the pseudocode implies (array bounds, types "
        "of INPUT ...), with small helpers at the top; plain: the Python a teacher would "
        "write (lists, int(input()), with open), without the helpers. The Python pane "
        "shows it and Export Python saves it; Run always runs the checked style.",
        choices=PYTHON_STYLES),
    FieldSpec(
        "editor", "font_family", str, "", "Editor", "Font",
        "The editor's font; the default is the platform's monospace font."),
    FieldSpec("editor", "font_size", int, 11, "Editor", "Font size", "In points, 6 to 72.",
              minimum=6, maximum=72),
    FieldSpec(
        "editor", "theme", str, "system", "Editor", "Theme",
        "Follow the system's colour scheme, or force one.", choices=ALLOWED_THEMES,
        choice_labels=(("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"))),
    FieldSpec(
        "editor", "autosave_interval_s", int, 5, "Editor", "Autosave every (s)",
        "How often unsaved work is copied to the recovery folder; 0 turns it off.",
        minimum=0, maximum=3600),
    FieldSpec("editor", "show_arrow_glyph", bool, True, "Editor", "Show \u2190 for <-",
              "Typing <- shows the arrow glyph \u2190."),
    FieldSpec("editor", "tab_width", int, 4, "Editor", "Indent width",
              "Spaces per indentation level, 1 to 16.", minimum=1, maximum=16),
    FieldSpec(
        None, "telemetry_enabled", bool, False, "Translation", "Record statistics (telemetry)",
        "Count pool jobs and time them for the statistics; nothing leaves this computer.",
        env="PSEUDOCODE_TELEMETRY"),
)
FIELDS_BY_KEY: dict[str, FieldSpec] = {spec.key: spec for spec in FIELDS}
ENV_TO_KEY: dict[str, str] = {spec.env: spec.key for spec in FIELDS if spec.env}
SECTIONS: tuple[str, ...] = ("execution", "translation", "editor")
EXEC_POOL_ENV_VARS: tuple[str, ...] = tuple(
    spec.env for spec in FIELDS if spec.env and spec.env.startswith(_POOL_ENV))


def default_of(key: str) -> Any:
    """The default of the setting ``key`` (the section dataclasses' defaults)."""
    return FIELDS_BY_KEY[key].default


def fields_in(section: str | None) -> tuple[FieldSpec, ...]:
    """The fields of one section (None: the top-level ones), in table order."""
    return tuple(spec for spec in FIELDS if spec.section == section)


def fields_on_page(page: str) -> tuple[FieldSpec, ...]:
    """The fields the settings dialog shows on ``page``, in table order."""
    return tuple(spec for spec in FIELDS if spec.page == page)
