"""The Checked / Plain switch on the Python pane: shown, remembered, exported,
used by Translate Folder; Run always runs the checked style."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gui_helpers import set_text, wait_translated

PROGRAM = ('DECLARE Marks : ARRAY[1:3] OF INTEGER\nMarks[2] <- 40\n'
           'OUTPUT "Mark: ", Marks[2] + 2\n')


def _switch_to(qtbot, window, style: str) -> None:
    button = window.python_style_switch.buttons[style]
    button.click()
    qtbot.waitUntil(lambda: window.settings_commands.python_style == style, timeout=5000)
    tab = window.current_tab()
    if style == "plain":
        qtbot.waitUntil(lambda: bool(tab.good_plain_code) and tab.up_to_date, timeout=20000)
    wait_translated(qtbot, window)


def test_the_switch_shows_the_plain_style_and_back(qtbot, window) -> None:
    set_text(window, PROGRAM)
    wait_translated(qtbot, window)
    view = window.python_view
    assert window.python_style_switch.buttons["checked"].isChecked()
    assert "_Array" in view.toPlainText()
    _switch_to(qtbot, window, "plain")
    qtbot.waitUntil(lambda: "Marks: list[int] = [0] * 4" in view.toPlainText(), timeout=10000)
    assert "_Array" not in view.toPlainText()
    assert window.python_style_switch.buttons["plain"].isChecked()
    # the pseudocode line under the cursor lights its plain Python line
    editor = window.current_editor()
    editor.go_to(3, 1)
    line = next(py for py, pseudo in window.current_tab().line_map_in("plain").items()
                if pseudo == 3)
    assert 'print(f"Mark: {Marks[2] + 2}")' in view.toPlainText().splitlines()[line - 1]
    _switch_to(qtbot, window, "checked")
    qtbot.waitUntil(lambda: "_Array" in view.toPlainText(), timeout=10000)


def test_the_choice_is_remembered_as_the_setting(qtbot, window, make_window) -> None:
    from engine.config import ConfigManager

    set_text(window, PROGRAM)
    wait_translated(qtbot, window)
    _switch_to(qtbot, window, "plain")
    qtbot.waitUntil(lambda: ConfigManager().load().translation.python_style == "plain",
                    timeout=10000)
    from gui.model.editor_settings import load_settings

    again = make_window(config=load_settings().config)
    assert again.settings_commands.python_style == "plain"
    assert again.python_style_switch.buttons["plain"].isChecked()


def test_export_follows_the_switch_and_run_runs_checked(qtbot, window, dialogs,
                                                        tmp_path: Path) -> None:
    set_text(window, PROGRAM)
    wait_translated(qtbot, window)
    _switch_to(qtbot, window, "plain")
    dialogs.save_answer = str(tmp_path / "plain.py")
    assert window.file_commands.export_python()
    exported = (tmp_path / "plain.py").read_text(encoding="utf-8")
    assert exported == window.current_tab().good_plain_code
    assert "excepthook" not in exported
    ran = subprocess.run([sys.executable, str(tmp_path / "plain.py")], capture_output=True,
                         text=True, timeout=30, check=False)
    assert ran.stdout == "Mark: 42\n"
    started: list[str] = []
    original = window.run_commands.start_code
    window.run_commands.start_code = lambda tab, code, *a, **k: (started.append(code),
                                                    original(tab, code, *a, **k))[1]
    with qtbot.waitSignal(window.runFinished, timeout=20000):
        window.run_commands.run_program()
    assert started and "sys.excepthook" in started[0]  # Run: the checked style
    assert "Mark: 42" in window.console.text()


def test_translate_folder_writes_the_chosen_style(qtbot, window, tmp_path: Path) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "one.pseudo").write_text(PROGRAM, encoding="utf-8")
    set_text(window, PROGRAM)
    wait_translated(qtbot, window)
    _switch_to(qtbot, window, "plain")
    with qtbot.waitSignal(window.batchFinished, timeout=60000):
        window.file_commands.start_batch(folder, tmp_path / "out")
    written = (tmp_path / "out" / "one.py").read_text(encoding="utf-8")
    assert "Marks: list[int] = [0] * 4" in written and "_Array" not in written


def test_a_failed_plain_style_shows_the_checked_one_and_says_so(qtbot, window,
                                                                 monkeypatch) -> None:
    import engine.pipeline as pipeline

    real = pipeline.generate_stage

    def failing(validated, style="checked"):  # noqa: ANN001, ANN202
        if style == "plain":
            raise RuntimeError("boom")
        return real(validated, style)

    monkeypatch.setattr(pipeline, "generate_stage", failing)  # run_document looks it up there
    set_text(window, PROGRAM)
    wait_translated(qtbot, window)
    window.python_style_switch.buttons["plain"].click()
    qtbot.waitUntil(lambda: window.settings_commands.python_style == "plain", timeout=5000)
    qtbot.waitUntil(lambda: bool(getattr(window.current_tab().result, "plain_error", "")),
                    timeout=20000)
    window.display.update()
    assert "could not be made" in window.python_pane.banner.text()
    assert "_Array" in window.python_view.toPlainText()  # the checked style, still right
