"""``pseudocode-translator trace``, run as users run it (a subprocess)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

TOTAL = """\
DECLARE Total, Number, Count : INTEGER
Total <- 0
FOR Count <- 1 TO 2
    INPUT Number
    Total <- Total + Number
NEXT Count
OUTPUT "Total: ", Total
"""


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launcher", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd, encoding="utf-8")


def test_trace_markdown_with_input_file(tmp_path: Path) -> None:
    (tmp_path / "total.pseudo").write_text(TOTAL, encoding="utf-8")
    (tmp_path / "inputs.txt").write_text("5\n6\n", encoding="utf-8")
    proc = cli("trace", "total.pseudo", "--input", "inputs.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "| Total | Count | Number | OUTPUT |"
    assert lines[2:] == ["| 0 |  |  |  |", "|  | 1 |  |  |", "|  |  | 5 |  |",
                         "| 5 |  |  |  |", "|  | 2 |  |  |", "|  |  | 6 |  |",
                         "| 11 |  |  |  |", "|  |  |  | Total: 11 |"]


def test_trace_csv_with_columns_and_line_numbers(tmp_path: Path) -> None:
    (tmp_path / "total.pseudo").write_text(TOTAL, encoding="utf-8")
    (tmp_path / "inputs.txt").write_text("5\n6\n", encoding="utf-8")
    proc = cli("trace", "total.pseudo", "--input", "inputs.txt", "--format", "csv",
               "--columns", "Total", "--line-numbers", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(io.StringIO(proc.stdout)))
    assert rows == [["Line", "Total", "OUTPUT"], ["2", "0", ""], ["5", "5", ""],
                    ["5", "11", ""], ["7", "", "Total: 11"]]


def test_trace_html_and_errors(tmp_path: Path) -> None:
    (tmp_path / "total.pseudo").write_text(TOTAL, encoding="utf-8")
    proc = cli("trace", "total.pseudo", "--format", "html", cwd=tmp_path)
    assert proc.returncode == 1  # no inputs given: INPUT fails, the table says where
    assert "<table>" in proc.stdout and "Runtime error at line 4" in proc.stdout
    assert "--input" in proc.stderr
    (tmp_path / "bad.pseudo").write_text("X <- \n", encoding="utf-8")
    proc = cli("trace", "bad.pseudo", cwd=tmp_path)
    assert proc.returncode == 1
    assert "not traced" in proc.stderr
