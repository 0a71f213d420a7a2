"""Configuration: defaults, then the user's YAML file, then environment variables.

A package in qutebrowser's shape (see ``README.md`` here):

- ``schema``   every setting once (``FIELDS``): type, range, default, environment
  variable, page, label and help;
- ``auto``     what "Auto" means for the pool (worker count, start methods);
- ``values``   coerce, check and validate a value;
- ``sections`` the dataclasses (``TranslatorConfig`` and its sections);
- ``store``    ``ConfigManager``: loading, environment locks, saving;
- ``yaml_file`` the file on disk (bounded reading, round-trip editing);
- ``show``     ``config show`` and the ``--help`` epilog, generated from ``FIELDS``.

``from engine.config import X`` works for every public name. Only ``schema``
and ``auto`` are imported with the package; the other modules on first use of
one of their names, so that reading the schema (``--help``) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.config.auto import (
    ALLOWED_START_METHODS,
    WINDOWS_MAX_WORKERS,
    WORKERS_PER_CPU,
    automatic_workers,
    max_pool_workers,
    start_methods_offered,
)
from engine.config.schema import (
    ALLOWED_TARGETS,
    ALLOWED_THEMES,
    CONFIG_PATH_ENV,
    CONFIG_VERSION,
    DEFAULT_CONFIG_DIR_NAME,
    DEFAULT_CONFIG_FILE_NAME,
    ENV_TO_KEY,
    EXEC_POOL_ENV_VARS,
    FIELDS,
    FIELDS_BY_KEY,
    PAGE_INTROS,
    PAGES,
    PYTHON_STYLES,
    SECTIONS,
    FieldSpec,
    fields_in,
    fields_on_page,
)

if TYPE_CHECKING:
    from engine.config.sections import (
        Config,
        EditorConfig,
        ExecutionConfig,
        TranslationConfig,
        TranslatorConfig,
        changed_keys,
        pool_settings_changed,
    )
    from engine.config.show import render_config_show
    from engine.config.store import (
        ConfigManager,
        ConfigSaveError,
        ConfigWarning,
        EnvLock,
        default_config_path,
    )
    from engine.config.values import ConfigError, ConfigIssues, check, coerce

_LAZY = {
    "Config": "sections", "EditorConfig": "sections", "ExecutionConfig": "sections",
    "TranslationConfig": "sections", "TranslatorConfig": "sections",
    "changed_keys": "sections", "pool_settings_changed": "sections",
    "ConfigError": "values", "ConfigIssues": "values", "check": "values", "coerce": "values",
    "ConfigManager": "store", "ConfigSaveError": "store", "ConfigWarning": "store",
    "EnvLock": "store", "default_config_path": "store", "render_config_show": "show",
}

__all__ = [
    "ALLOWED_START_METHODS", "ALLOWED_TARGETS", "ALLOWED_THEMES", "CONFIG_PATH_ENV",
    "CONFIG_VERSION", "DEFAULT_CONFIG_DIR_NAME", "DEFAULT_CONFIG_FILE_NAME", "ENV_TO_KEY",
    "EXEC_POOL_ENV_VARS", "FIELDS", "FIELDS_BY_KEY", "PAGES", "PAGE_INTROS", "PYTHON_STYLES",
    "SECTIONS", "WINDOWS_MAX_WORKERS", "WORKERS_PER_CPU", "Config", "ConfigError",
    "ConfigIssues", "ConfigManager", "ConfigSaveError", "ConfigWarning", "EditorConfig",
    "EnvLock", "ExecutionConfig", "FieldSpec", "TranslationConfig", "TranslatorConfig",
    "automatic_workers", "changed_keys", "check", "coerce", "default_config_path",
    "fields_in", "fields_on_page", "max_pool_workers", "pool_settings_changed",
    "render_config_show", "start_methods_offered",
]


def __getattr__(name: str) -> Any:
    """The names of the other modules, imported when first asked for (the explicit
    imports let PyInstaller see the modules)."""
    module = _LAZY.get(name)
    if module == "sections":
        from engine.config import sections as found
    elif module == "values":
        from engine.config import values as found
    elif module == "store":
        from engine.config import store as found
    elif module == "show":
        from engine.config import show as found
    else:
        raise AttributeError(f"module 'engine.config' has no attribute {name!r}")
    value = getattr(found, name)
    globals()[name] = value  # asked once
    return value
