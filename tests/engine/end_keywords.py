"""How many errors one missing END keyword gives: delete each END keyword of each bundled example in turn.

``python tests/engine/end_keywords.py`` prints, for every deletion, how many errors the
translator reports (aim: 1, at most 2) as JSON; ``test_language_recovery.py`` asserts it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from engine.language.diagnostics import Severity
from engine.pipeline import parse_stage, validate_stage

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "resources" / "examples"
END_LINE = re.compile(r"^\s*(ENDIF|ENDWHILE|ENDCASE|NEXT|ENDFOR|ENDPROCEDURE|ENDFUNCTION|"
                      r"ENDTYPE|ENDCLASS|UNTIL)\b")


def deletions(text: str) -> list[tuple[int, str, str]]:
    """(line, keyword, text without that line) for every line that starts with an END keyword."""
    lines = text.splitlines(keepends=True)
    found = []
    for index, line in enumerate(lines):
        match = END_LINE.match(line)
        if match:
            found.append((index + 1, match.group(1), "".join(lines[:index] + lines[index + 1:])))
    return found


def errors_of(text: str) -> list[str]:
    validated = validate_stage(parse_stage(text))
    return [f"{d.line}:{d.code} {d.message}" for d in validated.diagnostics
            if d.severity is Severity.ERROR]


def measure() -> list[dict[str, object]]:
    rows = []
    for path in sorted(EXAMPLES.glob("*.pseudo")):
        for line, keyword, text in deletions(path.read_text(encoding="utf-8")):
            errors = errors_of(text)
            rows.append({"example": path.name, "line": line, "keyword": keyword,
                         "errors": len(errors), "messages": errors})
    return rows


if __name__ == "__main__":
    results = measure()
    counts: dict[int, int] = {}
    for row in results:
        counts[row["errors"]] = counts.get(row["errors"], 0) + 1  # type: ignore[index]
    verbose = "-v" in sys.argv
    print(json.dumps({"deletions": len(results), "errors_per_deletion": dict(sorted(
        counts.items())), "rows": results if verbose else [
        {k: v for k, v in r.items() if k != "messages"} for r in results
        if r["errors"] != 1]}, indent=1))
