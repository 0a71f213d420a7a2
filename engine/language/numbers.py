"""Whole numbers of any length, without Python's 4,300-digit limit on ``int(str)``/``str(int)``.

A pseudocode INTEGER literal may be as long as the user likes (LANGUAGE.md section 11: no
translation may fail on it), but Python 3.11+ refuses to convert more than 4,300 digits at a
time unless the whole process lifts its limit. These convert in pieces below the limit.
"""

from __future__ import annotations

_PIECE = 1000  # digits converted at a time, well under the limit
_LONG = 10 ** _PIECE  # computed once: the generator asks for every literal


def int_from_digits(text: str) -> int:
    """The value of a string of decimal digits, however many there are."""
    if len(text) <= _PIECE:
        return int(text)
    half = len(text) // 2
    low_digits = len(text) - half
    return int_from_digits(text[:half]) * 10 ** low_digits + int_from_digits(text[half:])


def digits_of(value: int) -> str:
    """The decimal digits of a non-negative ``value``, however many there are."""
    if value < _LONG:
        return str(value)
    size = 1
    while 10 ** (size * 2) <= value:
        size *= 2
    high, low = divmod(value, 10 ** size)
    return digits_of(high) + digits_of(low).rjust(size, "0")


def is_long(value: int) -> bool:
    """Too long for ``repr`` on a Python that limits conversions (over ``_PIECE`` digits)."""
    return abs(value) >= _LONG
