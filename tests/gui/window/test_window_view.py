"""The window and the tests' fake both offer everything ``WindowView`` declares, so the
controller tests exercise the same interface the window gives the controllers."""

from __future__ import annotations

from gui.window.view import WindowView, pseudo_name, same_file, tab_for_path


def _declared() -> list[str]:
    return sorted(name for name in vars(WindowView) if not name.startswith("_"))


def test_the_window_and_the_fake_offer_the_whole_view(window, view) -> None:
    names = _declared()
    assert {"current_tab", "document_tabs", "new_document", "show_status", "show_dock",
            "show_tab", "theme"} <= set(names)
    for name in names:
        assert hasattr(window, name), f"MainWindow lacks {name}"
        assert hasattr(view, name), f"FakeView lacks {name}"


def test_tab_for_path_finds_the_same_file_however_it_is_spelt(view, tmp_path) -> None:
    path = tmp_path / "x.pseudo"
    path.write_text("")
    tab = view.new_document()
    tab.path = path
    view.new_document()
    assert tab_for_path(view, tmp_path / "." / "x.pseudo") is tab
    assert tab_for_path(view, tmp_path / "y.pseudo") is None
    link = tmp_path / "link.pseudo"
    link.symlink_to(path)
    assert same_file(path, link)  # a link to it is the same file
    assert not same_file(path, tmp_path / "missing.pseudo")


def test_pseudo_name_for_save_as() -> None:
    assert pseudo_name("Untitled 2") == "Untitled_2.pseudo"
    assert pseudo_name("bubble.pseudo") == "bubble.pseudo"
