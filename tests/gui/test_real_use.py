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
