"""The parser's words for mistakes: hints, block closers, and keyword slips.

Kept apart from the grammar so a change of wording never touches a parsing rule.
"""

from __future__ import annotations

from engine.language.vocabulary import BASE_TYPES
from engine.language.vocabulary import KEYWORDS as KEYWORD_SET

CLOSER_TEXT = {
    "IF": "ENDIF", "CASE": "ENDCASE", "FOR": "NEXT", "WHILE": "ENDWHILE", "REPEAT": "UNTIL",
    "PROCEDURE": "ENDPROCEDURE", "FUNCTION": "ENDFUNCTION", "TYPE": "ENDTYPE",
    "CLASS": "ENDCLASS",
}

# Keywords a statement (or a block line) starts with: the candidates for a misspelt word.
LINE_KEYWORDS = (
    "DECLARE", "CONSTANT", "INPUT", "OUTPUT", "IF", "ELSE", "ELSEIF", "ENDIF", "CASE",
    "OTHERWISE", "ENDCASE", "FOR", "NEXT", "ENDFOR", "WHILE", "ENDWHILE", "REPEAT", "UNTIL",
    "PROCEDURE", "ENDPROCEDURE", "FUNCTION", "ENDFUNCTION", "CALL", "RETURN", "TYPE",
    "ENDTYPE", "CLASS", "ENDCLASS", "OPENFILE", "READFILE", "WRITEFILE", "CLOSEFILE",
    "PUBLIC", "PRIVATE", "GETRECORD", "PUTRECORD")


def closest_keyword(word: str) -> str | None:
    """The statement keyword ``word`` is a slip of, if it is one (one or two letters off)."""
    if word in LINE_KEYWORDS or word in KEYWORD_SET:
        return None
    best: str | None = None
    best_distance = 3
    for keyword in LINE_KEYWORDS:
        if abs(len(keyword) - len(word)) > 2:
            continue
        distance = edit_distance(word, keyword, best_distance)
        if distance < best_distance:
            best, best_distance = keyword, distance
    allowed = 1 if len(word) <= 4 else 2
    return best if best is not None and best_distance <= allowed else None


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (a swap of two letters counts 1), capped at ``limit``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) >= limit:
            return limit
        previous2, previous = previous, current
    return min(previous[-1], limit)


def statement_hint(word: str) -> str:
    hints = {
        "THEN": "THEN belongs after the condition of an IF.",
        "ELSE": "ELSE belongs inside an IF ... ENDIF.",
        "TO": "TO belongs in FOR or in a CASE range.",
        "DO": "DO belongs after the condition of a WHILE.",
        "OF": "OF belongs in CASE OF or ARRAY ... OF.",
        "STEP": "STEP belongs at the end of a FOR line.",
        "RETURNS": "RETURNS belongs at the end of a FUNCTION header.",
        "BYREF": "BYREF marks a parameter inside the brackets of a PROCEDURE header.",
        "BYVAL": "BYVAL marks a parameter inside the brackets of a PROCEDURE header.",
        "INHERITS": "INHERITS belongs in a CLASS header: CLASS Cat INHERITS Pet.",
        "NEW": "To create an object write Variable <- NEW ClassName(...).",
    }
    return hints.get(word, "Start the statement with a keyword such as OUTPUT, or with the "
                           "name of a variable to assign to.")


def keyword_as_value_hint(word: str) -> str:
    if word in BASE_TYPES:
        return f"{word} is a type; types belong after ':' in DECLARE."
    return f"{word} is a keyword; if this is a name of your own, choose another name."
