"""Signatures of the built-in functions (section 7 of LANGUAGE.md).

Parameter kinds: "STRING" (a STRING or CHAR), "CHAR", "INTEGER", "NUMBER"
(INTEGER or REAL), "DATE". The result is a type, or a rule name that the
validator resolves from the arguments ("SAME_TEXT", "ARITH", "ROUND").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Builtin:
    name: str          # canonical name
    params: tuple[str, ...]
    result: str
    summary: str


_ALL = [
    Builtin("LEFT", ("STRING", "INTEGER"), "STRING", "the first n characters"),
    Builtin("RIGHT", ("STRING", "INTEGER"), "STRING", "the last n characters"),
    Builtin("MID", ("STRING", "INTEGER", "INTEGER"), "STRING",
            "n characters from position start (1-based)"),
    Builtin("SUBSTRING", ("STRING", "INTEGER", "INTEGER"), "STRING", "the 0478 name of MID"),
    Builtin("LENGTH", ("STRING",), "INTEGER", "the number of characters"),
    Builtin("TO_UPPER", ("STRING",), "SAME_TEXT", "upper case"),
    Builtin("TO_LOWER", ("STRING",), "SAME_TEXT", "lower case"),
    Builtin("UCASE", ("STRING",), "SAME_TEXT", "upper case"),
    Builtin("LCASE", ("STRING",), "SAME_TEXT", "lower case"),
    Builtin("NUM_TO_STR", ("NUMBER",), "STRING", "a number as text"),
    Builtin("NUM_TO_STRING", ("NUMBER",), "STRING", "a number as text"),
    Builtin("STR_TO_NUM", ("STRING",), "NUMBER", "text as a number"),
    Builtin("STRING_TO_NUM", ("STRING",), "NUMBER", "text as a number"),
    Builtin("IS_NUM", ("STRING",), "BOOLEAN", "TRUE if the text is a number"),
    Builtin("ASC", ("CHAR",), "INTEGER", "the character code"),
    Builtin("CHR", ("INTEGER",), "CHAR", "the character with this code"),
    Builtin("INT", ("NUMBER",), "INTEGER", "the whole part (towards zero)"),
    Builtin("ROUND", ("NUMBER", "INTEGER"), "ROUND", "rounded to n places, halves away from 0"),
    Builtin("RAND", ("NUMBER",), "REAL", "a random REAL r with 0 <= r < x"),
    Builtin("RANDOM", (), "REAL", "a random REAL r with 0 <= r <= 1"),
    Builtin("DIV", ("NUMBER", "NUMBER"), "ARITH", "floor division"),
    Builtin("MOD", ("NUMBER", "NUMBER"), "ARITH", "remainder of floor division"),
    Builtin("SETDATE", ("INTEGER", "INTEGER", "INTEGER"), "DATE", "the date day/month/year"),
    Builtin("DAY", ("DATE",), "INTEGER", "the day of the month"),
    Builtin("MONTH", ("DATE",), "INTEGER", "the month"),
    Builtin("YEAR", ("DATE",), "INTEGER", "the year"),
    Builtin("DAYINDEX", ("DATE",), "INTEGER", "the day of the week, Sunday = 1"),
    Builtin("NOW", (), "DATE", "today's date"),
    Builtin("TODAY", (), "DATE", "today's date"),
    Builtin("EOF", ("STRING",), "BOOLEAN", "TRUE when a file open for READ has no line left"),
]

BUILTINS: dict[str, Builtin] = {b.name: b for b in _ALL}
