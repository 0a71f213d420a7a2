"""Trace tables of classic exam algorithms against tables written by hand.

Each expected table below was worked out on paper, in the layout Cambridge
papers use: one column per variable (the ones the question asks about), OUTPUT
last, a new row for each statement that changes something, a value written
only in the row where it changes. The program really runs (in a child
process, under the tracer), so these also check the meaning of the language:
BYREF, FOR variables after the loop, REPEAT bodies, recursion.
"""

from __future__ import annotations

import pytest

from engine.tracing.info import prepare
from engine.tracing.session import run_trace
from engine.tracing.table import TraceTable


def parse_table(text: str) -> tuple[list[str], list[list[str]]]:
    """A hand-written table: ``| a | b |`` lines, the first one the headers."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    return rows[0], rows[1:]


def trace(source: str, inputs: list[str] | None = None) -> TraceTable:
    program = prepare(source)
    assert program.ok, program.errors
    table = run_trace(program, inputs or [], timeout=60)
    assert table.status == "done", table.note
    return table


def check(table: TraceTable, expected: str, columns: list[str] | None = None) -> None:
    headers, rows = table.grid(columns)
    want_headers, want_rows = parse_table(expected)
    assert headers == want_headers
    assert rows == want_rows


BUBBLE_SORT = """\
DECLARE Nums : ARRAY[1:3] OF INTEGER
DECLARE Index, Temp : INTEGER
DECLARE Swapped : BOOLEAN
Nums[1] <- 3
Nums[2] <- 1
Nums[3] <- 2
REPEAT
    Swapped <- FALSE
    FOR Index <- 1 TO 2
        IF Nums[Index] > Nums[Index + 1] THEN
            Temp <- Nums[Index]
            Nums[Index] <- Nums[Index + 1]
            Nums[Index + 1] <- Temp
            Swapped <- TRUE
        ENDIF
    NEXT Index
UNTIL NOT Swapped
OUTPUT Nums[1], " ", Nums[2], " ", Nums[3]
"""

BUBBLE_SORT_TABLE = """
| Nums[1] | Nums[2] | Nums[3] | Swapped | Index | Temp | OUTPUT |
| 3 |   |   |       |   |   |       |
|   | 1 |   |       |   |   |       |
|   |   | 2 |       |   |   |       |
|   |   |   | FALSE |   |   |       |
|   |   |   |       | 1 |   |       |
|   |   |   |       |   | 3 |       |
| 1 |   |   |       |   |   |       |
|   | 3 |   |       |   |   |       |
|   |   |   | TRUE  |   |   |       |
|   |   |   |       | 2 |   |       |
|   | 2 |   |       |   |   |       |
|   |   | 3 |       |   |   |       |
|   |   |   | FALSE |   |   |       |
|   |   |   |       | 1 |   |       |
|   |   |   |       | 2 |   |       |
|   |   |   |       |   |   | 1 2 3 |
"""


def test_bubble_sort() -> None:
    table = trace(BUBBLE_SORT)
    check(table, BUBBLE_SORT_TABLE)
    # Temp <- Nums[2] gives Temp the 3 it already holds: no new value, no row.
    assert sum(1 for row in table.rows if ("", "Temp") in row.cells) == 1


LINEAR_SEARCH = """\
DECLARE Names : ARRAY[1:4] OF STRING
DECLARE Index : INTEGER
DECLARE Found : BOOLEAN
DECLARE Target : STRING
Names[1] <- "Ali"
Names[2] <- "Bea"
Names[3] <- "Cy"
Names[4] <- "Dan"
Target <- "Cy"
Found <- FALSE
Index <- 1
WHILE Found = FALSE AND Index <= 4
    IF Names[Index] = Target THEN
        Found <- TRUE
    ELSE
        Index <- Index + 1
    ENDIF
ENDWHILE
IF Found THEN
    OUTPUT "Found at ", Index
ELSE
    OUTPUT "Not found"
ENDIF
"""

LINEAR_SEARCH_TABLE = """
| Target | Found | Index | OUTPUT |
| Cy |       |   |            |
|    | FALSE |   |            |
|    |       | 1 |            |
|    |       | 2 |            |
|    |       | 3 |            |
|    | TRUE  |   |            |
|    |       |   | Found at 3 |
"""


def test_linear_search_with_chosen_columns() -> None:
    check(trace(LINEAR_SEARCH), LINEAR_SEARCH_TABLE, ["Target", "Found", "Index"])


BINARY_SEARCH = """\
DECLARE List : ARRAY[1:7] OF INTEGER
DECLARE Count, Low, High, Middle, Item : INTEGER
DECLARE Found : BOOLEAN
FOR Count <- 1 TO 7
    List[Count] <- Count * 10
NEXT Count
Item <- 50
Low <- 1
High <- 7
Found <- FALSE
WHILE Low <= High AND NOT Found
    Middle <- (Low + High) DIV 2
    IF List[Middle] = Item THEN
        Found <- TRUE
    ELSE
        IF List[Middle] < Item THEN
            Low <- Middle + 1
        ELSE
            High <- Middle - 1
        ENDIF
    ENDIF
ENDWHILE
IF Found THEN
    OUTPUT Item, " found at position ", Middle
ELSE
    OUTPUT Item, " not found"
ENDIF
"""

BINARY_SEARCH_TABLE = """
| Item | Low | High | Found | Middle | OUTPUT |
| 50 |   |   |       |   |                        |
|    | 1 |   |       |   |                        |
|    |   | 7 |       |   |                        |
|    |   |   | FALSE |   |                        |
|    |   |   |       | 4 |                        |
|    | 5 |   |       |   |                        |
|    |   |   |       | 6 |                        |
|    |   | 5 |       |   |                        |
|    |   |   |       | 5 |                        |
|    |   |   | TRUE  |   |                        |
|    |   |   |       |   | 50 found at position 5 |
"""


def test_binary_search() -> None:
    table = trace(BINARY_SEARCH)
    check(table, BINARY_SEARCH_TABLE, ["Item", "Low", "High", "Middle", "Found"])
    # Every element of the array is a column of its own, in index order.
    headers, _rows = table.grid(["List"])
    assert headers == [f"List[{i}]" for i in range(1, 8)] + ["OUTPUT"]


RUNNING_TOTAL = """\
DECLARE Total, Number, Count : INTEGER
DECLARE Average : REAL
Total <- 0
FOR Count <- 1 TO 3
    INPUT Number
    Total <- Total + Number
NEXT Count
Average <- Total / 3
OUTPUT Total, " ", Average, " ", Count
"""

# Total <- 0 is written although Total held 0 (it had no value before); the FOR
# variable keeps its last value, 3, after the loop; a REAL shows as 4.0.
RUNNING_TOTAL_TABLE = """
| Total | Count | Number | Average | OUTPUT |
| 0  |   |   |     |          |
|    | 1 |   |     |          |
|    |   | 4 |     |          |
| 4  |   |   |     |          |
|    | 2 |   |     |          |
|    |   | 7 |     |          |
| 11 |   |   |     |          |
|    | 3 |   |     |          |
|    |   | 1 |     |          |
| 12 |   |   |     |          |
|    |   |   | 4.0 |          |
|    |   |   |     | 12 4.0 3 |
"""


def test_running_total_with_input() -> None:
    check(trace(RUNNING_TOTAL, ["4", "7", "1"]), RUNNING_TOTAL_TABLE)


VALIDATION = """\
DECLARE Mark : INTEGER
REPEAT
    OUTPUT "Enter a mark (0 to 100)"
    INPUT Mark
    IF Mark < 0 OR Mark > 100 THEN
        OUTPUT "Invalid"
    ENDIF
UNTIL Mark >= 0 AND Mark <= 100
OUTPUT "Mark accepted: ", Mark
"""

VALIDATION_TABLE = """
| Mark | OUTPUT |
|      | Enter a mark (0 to 100) |
| 120  |                         |
|      | Invalid                 |
|      | Enter a mark (0 to 100) |
| -5   |                         |
|      | Invalid                 |
|      | Enter a mark (0 to 100) |
| 75   |                         |
|      | Mark accepted: 75       |
"""


def test_repeat_validation_loop() -> None:
    check(trace(VALIDATION, ["120", "-5", "75"]), VALIDATION_TABLE)


FACTORIAL = """\
DECLARE Answer : INTEGER
FUNCTION Factorial(N : INTEGER) RETURNS INTEGER
    IF N = 0 THEN
        RETURN 1
    ELSE
        RETURN N * Factorial(N - 1)
    ENDIF
ENDFUNCTION
Answer <- Factorial(3)
OUTPUT Answer
"""

# N is the N of the call running now: it goes down as the calls go deeper and
# back up as each one returns its value.
FACTORIAL_TABLE = """
| N | Factorial returns | Answer | OUTPUT |
| 3 |   |   |   |
| 2 |   |   |   |
| 1 |   |   |   |
| 0 |   |   |   |
|   | 1 |   |   |
| 1 | 1 |   |   |
| 2 | 2 |   |   |
| 3 | 6 |   |   |
|   |   | 6 |   |
|   |   |   | 6 |
"""


def test_recursive_function() -> None:
    table = trace(FACTORIAL)
    check(table, FACTORIAL_TABLE)
    assert [row.depth for row in table.rows[:4]] == [1, 2, 3, 4]  # the depth of each call
    assert table.rows[0].line == 2  # a call's row is at the FUNCTION line


SWAP = """\
DECLARE A, B : INTEGER
PROCEDURE Swap(BYREF X : INTEGER, BYREF Y : INTEGER)
    DECLARE Temp : INTEGER
    Temp <- X
    X <- Y
    Y <- Temp
ENDPROCEDURE
A <- 1
B <- 2
CALL Swap(A, B)
OUTPUT A, B
"""

# BYREF: X *is* A, so A changes on the line X <- Y, not when the call returns.
SWAP_TABLE = """
| A | B | X | Y | Temp | OUTPUT |
| 1 |   |   |   |   |    |
|   | 2 |   |   |   |    |
|   |   | 1 | 2 |   |    |
|   |   |   |   | 1 |    |
| 2 |   | 2 |   |   |    |
|   | 1 |   | 1 |   |    |
|   |   |   |   |   | 21 |
"""


def test_byref_parameters_change_the_callers_variables() -> None:
    table = trace(SWAP)
    check(table, SWAP_TABLE)
    assert [row.line for row in table.rows] == [8, 9, 2, 4, 5, 6, 11]


def test_byref_array_elements_are_the_callers_cells() -> None:
    source = SWAP.replace("DECLARE A, B : INTEGER", "DECLARE A : ARRAY[1:2] OF INTEGER") \
        .replace("A <- 1", "A[1] <- 1").replace("B <- 2", "A[2] <- 2") \
        .replace("CALL Swap(A, B)", "CALL Swap(A[1], A[2])").replace("OUTPUT A, B",
                                                                      "OUTPUT A[1], A[2]")
    headers, rows = trace(source).grid(["A"])
    assert headers == ["A[1]", "A[2]", "OUTPUT"]
    assert rows == [["1", "", ""], ["", "2", ""], ["2", "", ""], ["", "1", ""], ["", "", "21"]]


def test_generated_names_are_shown_as_the_pseudocode_spells_them() -> None:
    # ``print`` is renamed in the Python (print_); temporaries (_result1) never show.
    source = """\
DECLARE print : INTEGER
DECLARE Total : INTEGER
FUNCTION Twice(BYREF V : INTEGER) RETURNS INTEGER
    V <- V * 2
    RETURN V + 1
ENDFUNCTION
print <- 5
Total <- Twice(print)
OUTPUT print, " ", Total
"""
    table = trace(source)
    headers, rows = table.grid()
    assert headers == ["print", "V", "Twice returns", "Total", "OUTPUT"]
    assert ["10", "10", "", "", ""] in rows  # print changes with V (BYREF)
    assert all(not h.startswith("_") for h in headers)


def test_dates_and_booleans_as_the_pseudocode_prints_them() -> None:
    source = ("DECLARE D : DATE\nDECLARE Ok : BOOLEAN\nD <- SETDATE(9, 3, 2024)\n"
              "Ok <- D > SETDATE(1, 1, 2024)\n")
    _headers, rows = trace(source).grid()
    assert rows == [["09/03/2024", "", ""], ["", "TRUE", ""]]


def test_records_are_one_column_per_field() -> None:
    source = """\
TYPE Point
    DECLARE X : INTEGER
    DECLARE Y : INTEGER
ENDTYPE
DECLARE P : Point
P.X <- 3
P.Y <- P.X + 1
"""
    headers, rows = trace(source).grid()
    assert headers == ["P.X", "P.Y", "OUTPUT"]
    assert rows == [["3", "", ""], ["", "4", ""]]


def test_row_limit_stops_with_a_note() -> None:
    program = prepare("DECLARE X : INTEGER\nX <- 0\nWHILE TRUE\n    X <- X + 1\nENDWHILE\n")
    table = run_trace(program, [], max_rows=50, timeout=60)
    assert len(table.rows) == 50
    assert table.status == "stopped"
    assert "50 rows" in table.note


def test_endless_loop_without_changes_stops_at_the_step_limit() -> None:
    program = prepare("DECLARE X : INTEGER\nX <- 1\nWHILE TRUE\n    X <- 1\nENDWHILE\n")
    table = run_trace(program, [], max_steps=5000, timeout=60)
    assert table.status == "stopped"
    assert "5000 steps" in table.note
    assert len(table.rows) == 1


def test_runtime_error_ends_the_table_with_its_line() -> None:
    program = prepare("DECLARE X : INTEGER\nX <- 4\nX <- X DIV 0\nOUTPUT X\n")
    table = run_trace(program, [], timeout=60)
    assert table.status == "error"
    assert table.error_line == 3
    assert "division by zero" in table.note
    assert table.grid()[1] == [["4", ""]]


def test_missing_input_is_reported_not_waited_for() -> None:
    table = run_trace(prepare("DECLARE N : INTEGER\nINPUT N\nOUTPUT N\n"), [], timeout=60)
    assert table.status == "error"
    assert "INPUT" in table.note


@pytest.mark.parametrize("fmt", ["csv", "markdown", "html", "tsv"])
def test_exports_hold_every_cell(fmt: str) -> None:
    table = trace(VALIDATION, ["120", "-5", "75"])
    text = getattr(table, f"to_{fmt}")()
    for value in ("Mark", "OUTPUT", "120", "-5", "75", "Mark accepted: 75"):
        assert value in text
    if fmt == "html":
        assert text.count("<tr>") == 10
    if fmt == "csv":
        assert text.splitlines()[0] == "Mark,OUTPUT"
        assert len(text.splitlines()) == 10


def _corpus() -> list:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / ".." / "shared" / "conformance"
    return sorted(p for p in root.glob("*.pseudo") if p.with_suffix(".out").exists())


@pytest.mark.parametrize("source", _corpus(), ids=lambda p: p.stem)
def test_tracing_the_conformance_corpus_prints_what_running_prints(source, tmp_path) -> None:
    """The tracer changes nothing: the OUTPUT column is exactly the program's output."""
    program = prepare(source.read_text(encoding="utf-8"))
    assert program.ok, program.errors
    given = source.with_suffix(".in")
    inputs = given.read_text(encoding="utf-8").splitlines() if given.exists() else []
    table = run_trace(program, inputs, cwd=tmp_path, max_rows=100_000, timeout=120)
    assert table.status == "done", table.note
    expected = source.with_suffix(".out").read_text(encoding="utf-8")
    assert "".join(row.printed for row in table.rows) == expected


def test_two_dimensional_arrays_name_each_element() -> None:
    source = ("DECLARE Grid : ARRAY[1:2, 1:3] OF CHAR\nGrid[2, 3] <- 'X'\n"
              "Grid[1, 2] <- 'O'\n")
    headers, rows = trace(source).grid()
    assert headers == ["Grid[1, 2]", "Grid[2, 3]", "OUTPUT"]
    assert rows == [["", "X", ""], ["O", "", ""]]


def test_two_dimensional_array_cells_are_named_by_their_indices() -> None:
    # The Python keeps a 2-D array as a list of rows: the trace still shows G[r, c].
    source = """\
DECLARE G : ARRAY[0:1, 1:2] OF INTEGER
DECLARE R : INTEGER
FOR R <- 0 TO 1
    G[R, 2] <- R + 5
NEXT R
OUTPUT G[1, 2]
"""
    headers, rows = trace(source).grid(["G"])
    assert headers == ["G[0, 2]", "G[1, 2]", "OUTPUT"]
    assert rows == [["5", "", ""], ["", "6", ""], ["", "", "6"]]


def test_elements_past_the_column_limit_get_no_column() -> None:
    from engine.tracing.child import MAX_ELEMENTS

    size = MAX_ELEMENTS + 500
    source = (f"DECLARE A : ARRAY[1:{size}] OF INTEGER\nA[{size}] <- 7\nA[1] <- 3\n"
              f"A[{size}] <- 8\nA[2] <- A[{size}]\n")
    headers, rows = trace(source).grid()
    assert headers == ["A[1]", "A[2]", "OUTPUT"]
    assert rows == [["3", "", ""], ["", "8", ""]]


def test_blank_strings_and_pointers_stay_readable() -> None:
    source = """\
TYPE IntPtr = ^INTEGER
DECLARE Gap : STRING
DECLARE N : INTEGER
DECLARE P : IntPtr
Gap <- " "
N <- 4
P <- ^N
N <- 5
"""
    _headers, rows = trace(source).grid(["Gap", "P"])
    # The pointer shows where it points, so N <- 5 does not change it.
    assert rows == [['" "', "", ""], ["", "^N", ""]]
