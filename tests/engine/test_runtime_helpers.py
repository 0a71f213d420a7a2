"""The runtime helpers copied into generated programs, tested directly."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from engine.codegen import helpers
from engine.codegen import runtime as rt


def test_array_bounds_and_offsets() -> None:
    grid = rt._Array(int, (1, 3), (0, 1))
    grid[3, 1] = 7
    assert grid[3, 1] == 7 and grid[1, 0] == 0
    assert [len(row) for row in grid.items] == [2, 2, 2]  # one list per row
    with pytest.raises(rt._PseudocodeError, match=r"index 4 is outside ARRAY\[1:3, 0:1\]"):
        grid[4, 0]
    with pytest.raises(rt._PseudocodeError, match="2 index"):
        rt._Array(int, (1, 2))[1, 1]
    negative = rt._Array(str, (-3, 3))
    negative[-3] = "a"
    assert negative.items[0] == "a"
    with pytest.raises(rt._PseudocodeError, match="not an INTEGER"):
        negative[1.0]
    with pytest.raises(rt._PseudocodeError, match="not an INTEGER"):
        negative[True]


def test_copy_copies_values_but_shares_objects() -> None:
    @dataclass
    class Record:
        n: int = 0
        items: rt._Array = field(default_factory=lambda: rt._Array(int, (1, 2)))
        owner: object = None

    shared = object()
    original = Record(1, owner=shared)
    clone = rt._copy(original)
    clone.items[1] = 5
    assert original.items[1] == 0 and clone.owner is shared
    array = rt._Array(Record, (1, 2))
    copied = rt._copy(array)
    copied[1].n = 9
    assert array[1].n == 0


def test_pointer_to_variable_element_and_field() -> None:
    scope = {"X": 1}
    pointer = rt._Pointer(scope, "X")
    pointer.target = pointer.target + 4
    assert scope["X"] == 5
    array = rt._Array(int, (1, 2))
    rt._Pointer(array, 2).target = 3
    assert array[2] == 3

    class Box:
        value = 0

    box = Box()
    rt._Pointer(box, "value").target = 8
    assert box.value == 8
    assert rt._Pointer(scope, "X") == pointer and len({pointer, rt._Pointer(scope, "X")}) == 1


def test_count_matches_for_semantics() -> None:
    assert list(rt._count(1, 3)) == [1, 2, 3]
    assert list(rt._count(3, 1, -1)) == [3, 2, 1]
    assert list(rt._count(0.5, 1.5, 0.5)) == [0.5, 1.0, 1.5]
    assert list(rt._count(5, 1)) == []
    with pytest.raises(rt._PseudocodeError, match="STEP 0"):
        list(rt._count(1, 2, 0))


@pytest.mark.parametrize(("text", "value"), [("42", 42), (" -7 ", -7), ("+3", 3)])
def test_to_integer(text: str, value: int) -> None:
    assert rt._to_integer(text) == value


@pytest.mark.parametrize("text", ["", "4.5", "1_000", "12a", "\u0663", "--1"])
def test_to_integer_rejects(text: str) -> None:
    with pytest.raises(rt._PseudocodeError, match="not an INTEGER"):
        rt._to_integer(text)


def test_to_real_boolean_date() -> None:
    assert rt._to_real("60") == 60.0 and rt._to_real(".5") == 0.5 and rt._to_real("-2.") == -2.0
    for bad in ("nan", "inf", "1e5", "", "."):
        with pytest.raises(rt._PseudocodeError):
            rt._to_real(bad)
    assert rt._to_boolean(" true\n") is True and rt._to_boolean("FALSE") is False
    with pytest.raises(rt._PseudocodeError):
        rt._to_boolean("yes")
    assert rt._to_date("4/10/1957") == datetime.date(1957, 10, 4)
    with pytest.raises(rt._PseudocodeError):
        rt._to_date("31/02/2020")


def test_string_functions() -> None:
    assert rt._left("abc", 0) == "" and rt._left("abc", 5) == "abc"
    assert rt._right("abc", 0) == "" and rt._right("abc", 2) == "bc"
    assert rt._right("abc", 9) == "abc"
    assert rt._mid("abc", 3, 1) == "c" and rt._mid("abc", 3, 5) == "c"
    assert rt._mid("abc", 4, 1) == ""
    with pytest.raises(rt._PseudocodeError, match="before the first"):
        rt._mid("abc", 0, 1)
    with pytest.raises(rt._PseudocodeError):
        rt._left("abc", -1)


def test_numbers() -> None:
    assert rt._round(2.5, 0) == 3 and isinstance(rt._round(2.5, 0), int)
    assert rt._round(-2.5, 0) == -3
    assert rt._round(2.675, 2) == 2.68 and rt._round(1234, -2) == 1200
    assert rt._str_to_num("250") == 250 and rt._str_to_num("2.5") == 2.5
    assert rt._is_num("-3.5") and not rt._is_num("3x") and not rt._is_num("")
    assert rt._chr(97) == "a" and rt._asc("a") == 97
    with pytest.raises(rt._PseudocodeError):
        rt._chr(-1)
    with pytest.raises(rt._PseudocodeError):
        rt._asc("ab")


def test_text_formatting() -> None:
    import enum

    class Season(enum.IntEnum):
        Spring = 0

    assert rt._text(True) == "TRUE" and rt._text(False) == "FALSE"
    assert rt._text(datetime.date(1, 2, 3)) == "03/02/0001"
    assert rt._text(Season.Spring) == "Spring" and rt._text(3.0) == "3.0"


def test_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    rt._FILES.clear()
    rt._openfile("f.txt", "WRITE")
    rt._writefile("f.txt", "one")
    with pytest.raises(rt._PseudocodeError, match="already open"):
        rt._openfile("f.txt", "READ")
    rt._closefile("f.txt")
    rt._openfile("f.txt", "READ")
    assert rt._eof("f.txt") is False
    assert rt._readfile("f.txt") == "one"
    assert rt._eof("f.txt") is True
    with pytest.raises(rt._PseudocodeError, match="past the end"):
        rt._readfile("f.txt")
    with pytest.raises(rt._PseudocodeError, match="open for READ"):
        rt._writefile("f.txt", "x")
    rt._closefile("f.txt")
    with pytest.raises(rt._PseudocodeError, match="not open"):
        rt._readfile("f.txt")
    with pytest.raises(rt._PseudocodeError, match="cannot open"):
        rt._openfile("missing.txt", "READ")


def test_error_descriptions() -> None:
    assert rt._describe_error(ZeroDivisionError()) == "division by zero"
    assert "INPUT" in rt._describe_error(EOFError())
    assert "recursion" in rt._describe_error(RecursionError())
    assert rt._describe_error(rt._PseudocodeError("x")) == "x"


def test_every_helper_and_requirement_is_known() -> None:
    for name, needs in rt.REQUIRES.items():
        assert helpers.source_of(name)
        for need in needs:
            assert helpers.source_of(need)
    order = helpers.closure({"_readfile"})
    assert order.index("_FILES") < order.index("_readfile")
    assert "_PseudocodeError" in order


def test_random_access_records_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import enum

    monkeypatch.chdir(tmp_path)
    rt._FILES.clear()

    class Colour(enum.IntEnum):
        Red = 0
        Blue = 1

    @dataclass
    class Pet:
        name: str = ""
        born: object = None
        colour: object = None
        legs: rt._Array = field(default_factory=lambda: rt._Array(int, (1, 2)))

    monkeypatch.setitem(rt.__dict__, "Pet", Pet)
    monkeypatch.setitem(rt.__dict__, "Colour", Colour)
    rt._open_random_file("pets.dat")
    pet = Pet("Rex", datetime.date(2020, 5, 4), Colour.Blue)
    pet.legs[2] = 4
    rt._seek("pets.dat", 7)
    rt._putrecord("pets.dat", pet)
    rt._seek("pets.dat", 0)
    rt._putrecord("pets.dat", 3.5)
    rt._closefile("pets.dat")
    rt._open_random_file("pets.dat")
    rt._seek("pets.dat", 7)
    back = rt._getrecord("pets.dat")
    assert back is not pet and (back.name, back.born, back.colour) == (
        "Rex", datetime.date(2020, 5, 4), Colour.Blue)
    assert back.legs.items == [0, 4] and back.legs.bounds == ((1, 2),)
    rt._seek("pets.dat", 0)
    assert rt._getrecord("pets.dat") == 3.5
    with pytest.raises(rt._PseudocodeError, match="no record at address 1"):
        rt._seek("pets.dat", 1)
        rt._getrecord("pets.dat")
    with pytest.raises(rt._PseudocodeError, match="address 0 or more"):
        rt._seek("pets.dat", -1)
    with pytest.raises(rt._PseudocodeError, match="cannot be stored"):
        rt._putrecord("pets.dat", object())
    rt._closefile("pets.dat")
    assert not (tmp_path / "pets.dat.tmp").exists()
