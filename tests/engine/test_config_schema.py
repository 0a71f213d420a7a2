"""The settings schema is the one place a setting is described: the dataclasses, the
shipped default file, the --help epilog and "Auto" all agree with it."""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from pathlib import Path

import pytest

from engine.cli import build_parser
from engine.config import (
    FIELDS,
    FIELDS_BY_KEY,
    PAGES,
    EditorConfig,
    ExecutionConfig,
    TranslationConfig,
    TranslatorConfig,
    automatic_workers,
    changed_keys,
    fields_in,
    fields_on_page,
    max_pool_workers,
    pool_settings_changed,
    start_methods_offered,
)
from engine.config.show import default_text, environment_help

ROOT = Path(__file__).resolve().parents[2]
SECTION_CLASSES = {"execution": ExecutionConfig, "translation": TranslationConfig,
                   "editor": EditorConfig}


def test_every_field_is_a_dataclass_attribute_with_the_schema_default() -> None:
    for section, cls in SECTION_CLASSES.items():
        attributes = {f.name: f.default for f in dataclasses.fields(cls)}
        assert list(attributes) == [s.name for s in fields_in(section)], section
        for spec in fields_in(section):
            assert attributes[spec.name] == spec.default, spec.key
    top = [f.name for f in dataclasses.fields(TranslatorConfig) if f.name not in SECTION_CLASSES]
    assert top == [s.name for s in fields_in(None)]
    assert TranslatorConfig().flat() == {s.key: s.default for s in FIELDS}


def test_every_field_has_its_words_and_a_page() -> None:
    for spec in FIELDS:
        assert spec.page in PAGES, spec.key
        assert spec.label and spec.help.endswith("."), spec.key
        if spec.nullable:
            assert spec.automatic or spec.kind is not int, spec.key
        for value, _label in spec.choice_labels:
            assert value in (spec.choices or ()), spec.key
    assert sum(len(fields_on_page(page)) for page in PAGES) == len(FIELDS)


def test_the_shipped_default_file_lists_every_field_in_order_with_its_variable() -> None:
    text = (ROOT / "resources" / "default_config.yaml").read_text(encoding="utf-8")
    keys: list[str] = []
    section: str | None = None
    for line in text.splitlines():
        match = re.match(r"^(\s*)([a-z_]+):(.*)$", line)
        if not match or match.group(2) == "config_version":
            continue
        indent, name, rest = match.groups()
        if not indent and not rest.split("#")[0].strip():
            section = name
            continue
        key = f"{section}.{name}" if indent else name
        keys.append(key)
        spec = FIELDS_BY_KEY[key]
        comment = rest.partition("#")[2]
        if spec.env:
            assert spec.env in comment, key
        else:
            assert "PSEUDOCODE_" not in comment, key
    assert keys == [spec.key for spec in FIELDS]


def test_the_help_epilog_lists_every_variable_with_its_default() -> None:
    epilog = environment_help()
    help_text = build_parser().format_help()
    assert epilog in help_text and "exit status:" in help_text
    for spec in FIELDS:
        if spec.env is None:
            continue
        start = epilog.index(f"  {spec.env} ")
        entry = epilog[start:].split("\n  PSEUDOCODE_")[0]
        words = " ".join(entry.split())
        assert spec.label in words and f"default {default_text(spec)}" in words, spec.env
    assert "PSEUDOCODE_CONFIG" in epilog
    assert all(len(line) <= 79 for line in epilog.splitlines())


def test_automatic_workers_follow_the_cpus_within_the_windows_cap(monkeypatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert automatic_workers("linux") == 2
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert automatic_workers("linux") == 2
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert automatic_workers("linux") == 8
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert automatic_workers("linux") == 64
    assert automatic_workers("win32") == 61 == max_pool_workers("win32")


@pytest.mark.parametrize(("platform", "expected"), [
    ("win32", ["spawn"]), ("linux", ["spawn", "forkserver", "fork"]),
    ("darwin", ["spawn", "forkserver", "fork"])])
def test_start_methods_offered_per_platform(platform: str, expected: list[str],
                                            monkeypatch) -> None:
    # the machine running the test is none of them (its own answer is multiprocessing's,
    # checked below), so each case is answered by the rule for another platform
    monkeypatch.setattr(sys, "platform", "test-os")
    assert start_methods_offered(platform) == expected


def test_start_methods_offered_here_are_what_multiprocessing_has_in_schema_order() -> None:
    import multiprocessing

    here = start_methods_offered()
    assert set(here) == set(multiprocessing.get_all_start_methods())
    assert here == sorted(here, key=("spawn", "forkserver", "fork").index)


def test_changed_keys_and_when_the_pool_is_rebuilt() -> None:
    old = TranslatorConfig()
    new = old.copy()
    assert changed_keys(old, new) == [] and not pool_settings_changed(old, new)
    new.editor.font_size = 14
    assert changed_keys(old, new) == ["editor.font_size"]
    assert not pool_settings_changed(old, new)
    new.telemetry_enabled = True
    assert pool_settings_changed(old, new)
    assert pool_settings_changed(None, new)
    newer = old.copy()
    newer.execution.process_pool_retry_limit = 3
    assert changed_keys(old, newer) == ["execution.process_pool_retry_limit"]
    assert pool_settings_changed(old, newer)


def test_the_pool_resolves_its_start_method_with_the_same_rule() -> None:
    import multiprocessing

    from engine.config.auto import resolve_start_method

    offered = start_methods_offered()
    assert resolve_start_method(offered[-1]) == offered[-1]
    default = resolve_start_method(None)
    assert default == resolve_start_method("no-such-method")
    if sys.platform != "win32":
        assert default == (multiprocessing.get_start_method(allow_none=True)
                           or multiprocessing.get_all_start_methods()[0])


def test_the_cli_style_option_offers_the_schema_choices() -> None:
    # engine/cli.py spells them out (importing the schema would slow --version)
    from engine.config import PYTHON_STYLES

    translate = build_parser()._subparsers._group_actions[0].choices["translate"]
    style = next(a for a in translate._actions if "--style" in a.option_strings)
    assert tuple(style.choices) == PYTHON_STYLES
