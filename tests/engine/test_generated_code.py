"""Properties of the generated Python: lint-clean, self-contained, readable, deterministic."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.pipeline import generate_stage, parse_stage, validate_stage
from engine.translator import TranslationManager

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "conformance"
PROGRAMS = sorted((ROOT / "resources" / "examples").glob("*.pseudo")) + sorted(
    p for p in CORPUS.glob("*.pseudo") if not p.with_suffix(".err").exists())

# Rules of ruff's default set that flag the pseudocode's own style, faithfully kept
# (TRUE OR FALSE, two CASE clauses doing the same, "apple" < "banana" ...).
PSEUDOCODE_STYLE_RULES = "SIM102,SIM108,SIM114,SIM222,SIM223,PLR0133,PLR1714"

manager = TranslationManager()


def translate(text: str) -> str:
    result = manager.translate(text)
    assert result.success, [d.format() for d in result.diagnostics]
    return result.code


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    for program in PROGRAMS:
        (folder / f"{program.stem}.py").write_text(
            translate(program.read_text(encoding="utf-8")), encoding="utf-8")
    return folder


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("ruff")
    command = [exe] if exe else [sys.executable, "-m", "ruff"]
    return subprocess.run([*command, "check", "--isolated", "--no-cache", *args],
                          capture_output=True, text=True, timeout=120)


def test_generated_programs_pass_pyflakes_and_pycodestyle_errors(generated: Path) -> None:
    assert len(list(generated.glob("*.py"))) >= 30
    result = _ruff("--select", "E4,E7,E9,F", str(generated))
    assert result.returncode == 0, result.stdout


def test_generated_programs_pass_ruffs_default_rules(generated: Path) -> None:
    result = _ruff("--ignore", PSEUDOCODE_STYLE_RULES, str(generated))
    assert result.returncode == 0, result.stdout


def test_hello_world_needs_no_helper_and_no_import() -> None:
    code = translate('// greet\nOUTPUT "Hello"\n')
    assert "import" not in code and "def _" not in code
    assert "# greet\nprint('Hello')" in code


def test_only_the_helpers_used_are_included() -> None:
    code = translate("DECLARE A : ARRAY[1:3] OF INTEGER\nA[1] <- 5\nOUTPUT A[1]\n")
    assert "class _Array" in code and "_PseudocodeError" in code
    for absent in ("_Pointer", "_copy", "_openfile", "_to_integer", "import random",
                   "import datetime", "dataclass"):
        assert absent not in code


def test_comments_stay_in_place_and_cannot_break_out() -> None:
    code = translate('DECLARE X : INTEGER   // the counter\n// set it\nX <- 1 // one\n'
                     '// tricky: """ \\ \x0c \u2028 end\nOUTPUT X\n')
    assert "X: int = 0  # the counter\n# set it\nX = 1  # one\n" in code
    assert "# tricky: \"\"\" \\" in code
    assert "\x0c" not in code and "\u2028" not in code
    compile(code, "x.py", "exec")


def test_clashing_names_are_renamed_consistently() -> None:
    code = translate("DECLARE print, sum, len_ : INTEGER\nprint <- 2\nsum <- print + 1\n"
                     "len_ <- sum\nOUTPUT print, sum, len_\n")
    assert "print_: int = 0" in code and "sum_: int = 0" in code
    assert "len_: int = 0" in code  # already safe, kept
    assert "print(print_, sum_, len_, sep='')" in code


def test_translation_is_deterministic() -> None:
    text = (ROOT / "resources" / "examples" / "06_classes.pseudo").read_text(encoding="utf-8")
    assert translate(text) == translate(text)


def test_stages_survive_pickling_for_the_process_pool() -> None:
    text = (ROOT / "resources" / "examples" / "04_student_records.pseudo").read_text(
        encoding="utf-8")
    direct = generate_stage(validate_stage(parse_stage(text))).code
    parsed = pickle.loads(pickle.dumps(parse_stage(text)))
    validated = pickle.loads(pickle.dumps(validate_stage(parsed)))
    assert generate_stage(validated).code == direct


def test_line_map_points_at_the_statements() -> None:
    text = "DECLARE X : INTEGER\n\n// comment\nX <- 10\nOUTPUT 100 DIV X\n"
    result = manager.translate(text)
    lines = result.code.splitlines()
    by_pseudo = {pseudo: python for python, pseudo in result.line_map.items()}
    assert lines[by_pseudo[4] - 1] == "X = 10"
    assert lines[by_pseudo[5] - 1] == "print(100 // X)"
    assert f"{by_pseudo[5]}: 5" in result.code  # the table in the program agrees


def test_stages_restore_the_garbage_collector() -> None:
    import gc

    assert gc.isenabled()
    translate("OUTPUT 1\n")
    assert gc.isenabled()
    gc.disable()
    try:
        translate("OUTPUT 1\n")
        assert not gc.isenabled()
    finally:
        gc.enable()


OTHER_PYTHONS = [p for p in (shutil.which(f"python3.{minor}") for minor in (10, 12, 13)) if p]


@pytest.mark.skipif(not OTHER_PYTHONS, reason="no other Python 3.10+ on this machine")
def test_generated_programs_run_the_same_on_other_pythons(generated: Path) -> None:
    """LANGUAGE.md promises Python 3.10+: the programs must not need 3.11 features."""
    names = ["04_student_records", "06_classes", "26_records", "27_enum_pointer",
             "29_classes", "03_div_mod", "07_recursion"]
    programs = [generated / f"{name}.py" for name in names if (generated / f"{name}.py").exists()]
    assert programs
    for program in programs:
        reference = subprocess.run([sys.executable, str(program)], capture_output=True,
                                   text=True, timeout=60, cwd=generated, input="")
        for python in OTHER_PYTHONS:
            probe = subprocess.run([python, "-c", "import sys; print(sys.version_info >= (3, 10))"],
                                   capture_output=True, text=True, timeout=60)
            if probe.stdout.strip() != "True":
                continue  # a shim without an installed interpreter, or too old
            other = subprocess.run([python, str(program)], capture_output=True, text=True,
                                   timeout=60, cwd=generated, input="")
            assert (other.returncode, other.stdout) == (reference.returncode, reference.stdout), \
                f"{program.name} under {python}: {other.stderr}"
