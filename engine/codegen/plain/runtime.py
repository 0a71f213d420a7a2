"""The few functions a plain-style program may need, for what Python lacks.

Each is copied into a program only where it is used (its source is read from this
file, see ``source_of``), under a name that does not clash with the program's own.
They are short on purpose: a reader of the plain style sees ordinary Python and,
where the pseudocode's meaning has no Python built-in, one small function that says
in its docstring which pseudocode operation it is.
"""

from __future__ import annotations

import ast
import functools
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path


def round_half_up(value, places):
    """ROUND: halves go away from zero (Python's round() sends them to the even side)."""
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return int(rounded) if places <= 0 else float(rounded)


def is_num(text):
    """IS_NUM: TRUE for text such as 42, -7 or 3.5 (digits, one sign, one point)."""
    digits = text.strip()
    if digits[:1] in ("+", "-"):
        digits = digits[1:]
    whole, _, fraction = digits.partition(".")
    return (whole + fraction).isascii() and (whole + fraction).isdigit()


def str_to_num(text):
    """STR_TO_NUM: an INTEGER for whole-number text, else a REAL."""
    try:
        return int(text)
    except ValueError:
        return float(text)


def at_eof(file):
    """EOF: TRUE when no line is left to read (Python files have no such test)."""
    position = file.tell()
    at_end = file.readline() == ""
    file.seek(position)
    return at_end


def inclusive_range(start, end, step=1):
    """FOR ... TO ... STEP: the values from start to end, end included."""
    value = start
    while (value <= end) if step > 0 else (value >= end):
        yield value
        value += step


class Pointer:
    """A pointer (Python has none): the place a value lives, a container and a key."""

    def __init__(self, container, key):
        self.container = container
        self.key = key

    @property
    def target(self):
        if isinstance(self.container, (dict, list)):
            return self.container[self.key]
        return getattr(self.container, self.key)

    @target.setter
    def target(self, value):
        if isinstance(self.container, (dict, list)):
            self.container[self.key] = value
        else:
            setattr(self.container, self.key, value)

    def __eq__(self, other):
        return (
            isinstance(other, Pointer)
            and self.container is other.container
            and self.key == other.key
        )

    def __hash__(self):
        return hash((id(self.container), self.key))


# The imports each function needs.
IMPORTS: dict[str, tuple[str, ...]] = {
    "round_half_up": ("from decimal import ROUND_HALF_UP, Decimal",),
}


@functools.cache
def _definitions() -> dict[str, ast.stmt]:
    path = Path(__file__)
    if path.suffix != ".py":  # frozen builds keep the source next to the bytecode
        path = path.with_suffix(".py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name: node for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not
            node.name.startswith("_")}


def definition(name: str, python_name: str) -> ast.stmt:
    """A fresh ``ast`` copy of the function ``name``, renamed to ``python_name``."""
    node = ast.parse(ast.unparse(_definitions()[name])).body[0]
    assert isinstance(node, (ast.FunctionDef, ast.ClassDef))
    if python_name != name:
        for inner in ast.walk(node):
            if isinstance(inner, ast.Name) and inner.id == name:
                inner.id = python_name
        node.name = python_name
    return node
