"""Issue 13, the editor under real use: Console order, big files, small screens, the first minute."""

from __future__ import annotations

from gui_helpers import set_text, wait_translated

ARRAY_PROGRAM = """DECLARE Scores : ARRAY[1:5] OF INTEGER
DECLARE i : INTEGER
FOR i <- 1 TO 6
    OUTPUT "Stored ", i
    Scores[i] <- i * 10
NEXT i
"""


# -- 1. the Console keeps the order ------------------------------------------------------
def test_console_shows_the_runtime_error_after_all_output_30_of_30_runs(qtbot, window) -> None:
    set_text(window, ARRAY_PROGRAM)
    wait_translated(qtbot, window)
    expected = "".join(f"Stored {i}\n" for i in range(1, 7)) + "Runtime error at line 5: index 6"
    for attempt in range(30):
        window.console.clear()
        with qtbot.waitSignal(window.runFinished, timeout=20000):
            window.run_program()
        text = window.console.text()
        start = text.index("Stored 1")
        assert text[start:].startswith(expected), (attempt, text)


def test_console_starts_an_error_on_its_own_line(qtbot, window) -> None:
    console = window.console
    console.clear()
    console.append("Enter a number: ", "stdout")
    console.append("Runtime error at line 3: boom\n", "stderr")
    assert console.text() == "Enter a number: \nRuntime error at line 3: boom\n"
    console.append("more", "stdout")
    console.append("err", "stderr")
    console.append(" and more err\n", "stderr")
    assert console.text().endswith("more\nerr and more err\n")


def test_console_placeholder_says_the_program_waits_for_input(qtbot, window) -> None:
    set_text(window, 'DECLARE N : STRING\nINPUT N\nOUTPUT N\n')
    wait_translated(qtbot, window)
    assert "Run the program" in window.console.input.placeholderText()
    with qtbot.waitSignal(window.runner.inputRequested, timeout=20000):
        window.run_program()
    assert "waiting for INPUT" in window.console.input.placeholderText()
    with qtbot.waitSignal(window.runFinished, timeout=20000):
        window.console.input.setText("x")
        window.console.input.returnPressed.emit()
    assert "Run the program" in window.console.input.placeholderText()


# -- 2. big files: the Python pane changes only what changed ------------------------------
def _big_program(lines: int = 5000) -> str:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
    from engine_benchmark import make_program

    return make_program(lines)


def test_python_pane_replaces_only_the_changed_lines(qtbot, window) -> None:
    from engine.translator import translate_text

    program = _big_program()
    first = translate_text(program).code
    lines = program.splitlines()
    lines.insert(len(lines) // 2, "// a comment typed in the middle")
    second = translate_text("\n".join(lines) + "\n").code
    view = window.python_view
    view.set_code(first)
    doc = view.document()
    block = doc.firstBlock()
    while block.isValid():  # mark every block: a reload would make new ones (state -1)
        block.setUserState(7)
        block = block.next()
    edits = view.edits
    view.set_code(second)
    assert view.toPlainText() == second
    assert view.edits - edits <= 3
    fresh = 0
    block = doc.firstBlock()
    while block.isValid():
        fresh += block.userState() != 7
        block = block.next()
    assert fresh <= 3, fresh


def test_python_pane_line_diff_handles_every_shape(qtbot, window) -> None:
    import random

    view = window.python_view
    rnd = random.Random(13)
    old = "a\nb\nc"
    view.set_code(old)
    for _ in range(300):
        lines = old.split("\n")
        for _ in range(rnd.randint(1, 3)):
            choice = rnd.random()
            if choice < 0.35 and len(lines) > 1:
                del lines[rnd.randrange(len(lines))]
            elif choice < 0.7:
                lines.insert(rnd.randint(0, len(lines)), rnd.choice("abcdxyz") * rnd.randint(0, 3))
            else:
                lines[rnd.randrange(len(lines))] = rnd.choice(["", "q", "a"])
        new = "\n".join(lines)
        view.set_code(new)
        assert view.toPlainText() == new, (old, new)
        old = new


def test_the_window_shares_the_gil_with_its_translation_thread(make_window) -> None:
    """The measured fix for the stalls (see the benchmark): a short switch interval."""
    import sys

    from gui.live_translation import GUI_SWITCH_INTERVAL_S

    default = sys.getswitchinterval()
    sys.setswitchinterval(0.005)  # Python's default
    try:
        make_window()
        assert sys.getswitchinterval() == GUI_SWITCH_INTERVAL_S
    finally:
        sys.setswitchinterval(default)


def test_a_translation_leaves_little_for_the_cyclic_collector() -> None:
    """The parser and validator are freed by reference counting: no 50 ms collection later."""
    import gc

    from engine.translator import TranslationManager

    manager = TranslationManager()
    program = _big_program(2000)
    manager.translate(program)
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        before = gc.get_count()[0]
        manager.translate(program)
        young = gc.get_count()[0] - before
    finally:
        if enabled:
            gc.enable()
    assert young < 5000, young  # 49,000 before (the parser's tokens, the validator's tables)
