"""Values: turning what the file or the environment holds into a setting's type
(``coerce``), checking it against its range and the platform (``check``), and
validating a whole section (``validate_section``), lenient or strict.

A bad value is never fatal in lenient mode: it is clamped or reset, and the
message says to what. ``strict=True`` raises :class:`ConfigError` instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.config.auto import bound_reason, start_methods_offered
from engine.config.schema import FIELDS, FieldSpec

_TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
_FALSE_WORDS = frozenset({"0", "false", "no", "off"})
_NULL_WORDS = frozenset({"", "none", "null", "auto", "default", "~"})


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




class BadValue(ValueError):
    """A value that cannot be turned into its field's type; the message says what was expected."""


def describe_expected(spec: FieldSpec) -> str:
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



def _shown(raw: Any) -> str:
    """``repr`` for a message, cut short (a value may be a long list)."""
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."


def coerce(spec: FieldSpec, raw: Any) -> Any:
    """Turn a YAML value or an environment string into the field's type (no range check)."""
    if isinstance(raw, str):
        text = raw.strip()
        if spec.nullable and text.lower() in _NULL_WORDS:
            return None
    elif raw is None:
        if spec.nullable:
            return None
        raise BadValue(f"no value; expected {describe_expected(spec)}")
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
        raise BadValue(f"{_shown(raw)} is not {describe_expected(spec)}")
    if spec.kind is int:
        if isinstance(raw, bool):
            raise BadValue(f"{_shown(raw)} is not {describe_expected(spec)}")
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, str):
            try:
                return int(raw.strip())
            except ValueError:
                pass
        raise BadValue(f"{_shown(raw)} is not {describe_expected(spec)}")
    # str
    if not isinstance(raw, str):
        raise BadValue(f"{_shown(raw)} is not {describe_expected(spec)}")
    text = raw.strip()
    if spec.choices:
        lowered = text.lower()
        if lowered not in spec.choices:
            raise BadValue(f"{_shown(raw)} is not {describe_expected(spec)}")
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
            where = bound_reason(platform) \
                if spec.key == "execution.process_pool_max_workers" else ""
            return high, f"{value} is above the maximum {high}{where}; using {high}"
    if spec.key == "execution.process_pool_start_method" and value is not None:
        available = start_methods_offered(platform)
        if value not in available:
            return None, (f"start method {value!r} is not available on this platform "
                          f"(available: {', '.join(available)}); using the platform default")
    return value, None


def validate_section(obj: Any, section: str | None, strict: bool,
                     platform: str | None) -> ConfigIssues:
    """Check every field of one section object (``section`` None: the top-level fields).

    A valid value is only normalised in place ("Dark" -> "dark", "1" -> True);
    an invalid one is an error, and (lenient) replaced by the fixed value or the default.
    """
    issues = ConfigIssues()
    for spec in FIELDS:
        if spec.section != section:
            continue
        value = getattr(obj, spec.name)
        try:
            fixed, problem = check(spec, coerce(spec, value), platform)
        except BadValue as exc:
            fixed, problem = spec.default, f"{exc}; using the default {spec.default!r}"
        if problem is None:
            if not (type(fixed) is type(value) and fixed == value):
                setattr(obj, spec.name, fixed)
            continue
        issues.errors.append(f"{spec.key}: {problem}")
        if not strict:
            setattr(obj, spec.name, fixed)
    if strict and issues.errors:
        raise ConfigError(issues.errors)
    return issues
