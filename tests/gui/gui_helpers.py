"""Test helpers for the GUI tests: fake dialogs, a stand-in translator, waits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.language.diagnostics import Diagnostic, has_errors
from engine.language.lexer import tokenize
from engine.language.tokens import TokenKind


# ----------------------------------------------------------------------------- dialogs
class FakeDialogs:
    """Stands in for gui.dialogs.message_boxes.MessageBoxes: records every question, answers as told."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.save_choice = "discard"
        self.yes = True
        self.open_answer: str | None = None
        self.save_answer: str | None = None
        self.folder_answers: list[str | None] = []   # pick_folder answers, in order
        self.csv_answer: str | None = None
        self.line_answer: int | None = None

    def ask_save_changes(self, parent: Any, name: str) -> Any:
        from gui.dialogs.message_boxes import SaveChoice

        self.calls.append(("ask_save_changes", name))
        return SaveChoice(self.save_choice)

    def ask_yes_no(self, parent: Any, title: str, text: str) -> bool:
        self.calls.append(("ask_yes_no", text))
        return self.yes

    def show_error(self, parent: Any, title: str, text: str) -> None:
        self.calls.append(("show_error", text))

    def show_info(self, parent: Any, title: str, text: str) -> None:
        self.calls.append(("show_info", text))

    def open_path(self, parent: Any, folder: str) -> str | None:
        self.calls.append(("open_path", folder))
        return self.open_answer

    def save_path(self, parent: Any, suggested: str, python: bool = False) -> str | None:
        self.calls.append(("save_path", suggested))
        return self.save_answer

    def pick_folder(self, parent: Any, title: str, start: str) -> str | None:
        self.calls.append(("pick_folder", title))
        return self.folder_answers.pop(0) if self.folder_answers else None

    def save_csv_path(self, parent: Any, suggested: str) -> str | None:
        self.calls.append(("save_csv_path", suggested))
        return self.csv_answer

    def ask_line(self, parent: Any, current: int, last: int) -> int | None:
        self.calls.append(("ask_line", f"{current}/{last}"))
        return self.line_answer

    def texts(self, name: str) -> list[str]:
        return [text for call, text in self.calls if call == name]

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


# ----------------------------------------------------------------------------- translator
@dataclass
class MiniResult:
    success: bool
    code: str
    diagnostics: list[Diagnostic]
    timings: dict[str, float] = field(default_factory=lambda: {"total_ms": 1.0})
    line_map: dict[int, int] = field(default_factory=dict)


_OPS = {"<-": "=", "&": "+", "=": "==", "<>": "!=", "^": "**"}
_WORDS = {"TRUE": "True", "FALSE": "False", "AND": "and", "OR": "or", "NOT": "not",
          "DIV": "//", "MOD": "%"}
_DEFAULTS = {"INTEGER": "0", "REAL": "0.0", "STRING": "''", "CHAR": "''", "BOOLEAN": "False"}


def _expr(tokens: list) -> str:
    out = []
    for t in tokens:
        if t.kind is TokenKind.STRING or t.kind is TokenKind.CHAR:
            out.append(repr(t.value))
        elif t.kind is TokenKind.OPERATOR:
            out.append(_OPS.get(t.value, t.value))
        elif t.kind is TokenKind.KEYWORD:
            out.append(_WORDS.get(t.value, t.value))
        else:
            out.append(t.value)
    return " ".join(out)


class MiniTranslator:
    """The engine parser's problems plus Python for DECLARE, <-, OUTPUT, INPUT, WHILE, IF."""

    def translate(self, text: str) -> MiniResult:
        from engine.language.parser import parse

        _, diagnostics = parse(text)
        diagnostics = list(diagnostics)
        if has_errors(diagnostics):
            return MiniResult(False, "", diagnostics)
        lines, line_map, depth = ["import sys", ""], {}, 0
        for number, raw in enumerate(text.split("\n"), 1):
            tokens = [t for t in tokenize(raw).tokens
                      if t.kind not in (TokenKind.NEWLINE, TokenKind.EOF)]
            if not tokens:
                continue
            word = tokens[0].value if tokens[0].kind is TokenKind.KEYWORD else ""
            pad = "    " * depth
            if word == "DECLARE":
                stmt = f"{tokens[1].value} = {_DEFAULTS.get(tokens[-1].value, 'None')}"
            elif word == "OUTPUT":
                stmt = f"print({_expr(tokens[1:])}, sep='')"
            elif word == "INPUT":
                stmt = f"{tokens[1].value} = input()"
            elif word in ("WHILE", "IF"):
                cond = [t for t in tokens[1:] if not t.is_keyword("DO", "THEN")]
                stmt = f"{word.lower()} {_expr(cond)}:"
            elif word in ("ENDWHILE", "ENDIF"):
                depth -= 1
                continue
            elif word == "ELSE":
                lines.append("    " * (depth - 1) + "else:")
                line_map[len(lines)] = number
                continue
            elif word == "CALL" and tokens[1].value == "Fail":
                stmt = (f"print('Runtime error at line {number}: boom', "
                        "file=sys.stderr); sys.exit(1)")
            else:
                stmt = _expr(tokens)
            lines.append(pad + stmt)
            line_map[len(lines)] = number
            if stmt.endswith(":"):
                depth += 1
                lines.append(pad + "    pass")
        return MiniResult(True, "\n".join(lines) + "\n", diagnostics, line_map=line_map)


def real_engine_available() -> bool:
    try:
        import engine.translator  # noqa: F401
    except ImportError:
        return False
    return True


def set_text(window, text: str) -> None:
    """Replace the current document's text as an edit (as pasting would: undoable, modified)."""
    editor = window.current_tab().editor
    cursor = editor.textCursor()
    cursor.select(cursor.SelectionType.Document)
    cursor.insertText(text)


def wait_translated(qtbot, window, timeout: int = 10000) -> None:
    """Until the current tab's translation belongs to the text on screen."""
    qtbot.waitUntil(lambda: window.current_tab().up_to_date, timeout=timeout)
