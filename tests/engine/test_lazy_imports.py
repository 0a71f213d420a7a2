"""Start-up stays cheap: what the quick commands do not load (no timings here; the
benchmark examples/engine_benchmark.py measures the times)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from engine.translator import TranslationManager

ROOT = Path(__file__).resolve().parents[2]

_LOADED = """
import json, runpy, sys
sys.argv = ["pseudocode-translator", *{args!r}]
try:
    runpy.run_module("launcher", run_name="__main__")
except SystemExit:
    pass
sys.stdout = sys.__stdout__
print(json.dumps(sorted(sys.modules)))
"""


def _modules_after(*args: str, home: Path) -> set[str]:
    """The modules loaded by the time the command is done (no configuration file)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSEUDOCODE_")}
    env["HOME"] = str(home)
    done = subprocess.run([sys.executable, "-c", _LOADED.format(args=list(args))],
                          capture_output=True, text=True, timeout=60, cwd=ROOT, env=env,
                          check=False)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_version_and_help_load_no_engine_stage_nor_yaml_nor_multiprocessing(
        tmp_path: Path) -> None:
    for args in (["--version"], ["--help"]):
        loaded = _modules_after(*args, home=tmp_path)
        heavy = {"engine.translator", "engine.language.nodes", "engine.language.parser",
                 "engine.config", "yaml", "multiprocessing"}
        if args == ["--help"]:
            # Issue 12: the --help epilog is generated from the settings schema, so --help
            # reads engine.config.schema (standard library only), never the rest of it.
            heavy = heavy - {"engine.config"} | {
                "engine.config.store", "engine.config.values", "engine.config.sections",
                "engine.config.yaml_file", "dataclasses"}
            assert "engine.config.schema" in loaded
        assert not heavy & loaded, (args, sorted(heavy & loaded))


def test_check_loads_no_code_generator(tmp_path: Path) -> None:
    program = tmp_path / "p.pseudo"
    program.write_text("DECLARE X : INTEGER\nX <- 1\nOUTPUT X\n", encoding="utf-8")
    loaded = _modules_after("check", str(program), home=tmp_path)
    assert "engine.semantics.validator" in loaded
    assert not {m for m in loaded if m.startswith("engine.codegen")}, sorted(loaded)
    assert "yaml" not in loaded  # read only when there is a configuration file
    assert "datetime" not in loaded  # the lexer imports it for a DATE literal only


def test_a_date_literal_is_still_read_and_checked() -> None:
    from engine.language.lexer import date_of, tokenize

    assert str(date_of("29/02/2024")) == "2024-02-29" and date_of("30/02/2024") is None
    codes = [d.code for d in tokenize("D <- 30/02/2024\n").diagnostics]
    assert codes == ["E106"]


def test_manager_check_gives_the_diagnostics_of_translate_without_code() -> None:
    manager = TranslationManager()
    text = "DECLARE X : INTEGER\nY <- X + 1\nOUTPUT Z\n"
    checked, translated = manager.check(text), manager.translate(text)
    assert checked.diagnostics == translated.diagnostics and checked.diagnostics
    assert checked.code == "" and checked.success == translated.success
    clean = manager.check("OUTPUT 1\n")
    assert clean.success and clean.diagnostics == [] and clean.code == ""
