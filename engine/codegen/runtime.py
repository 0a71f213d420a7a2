"""Runtime helpers copied into generated programs (only the ones a program uses).

This is real, tested Python: the code generator copies the source of each
top-level definition it needs (see ``REQUIRES`` for what each one needs), so
generated programs stay self-contained and run with a plain ``python3``.
Every name here starts with an underscore: pseudocode names never do, so a
helper can never clash with a name from the program.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import sys
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Filled in by each generated program: Python line -> pseudocode line.
_PSEUDO_LINES: dict[int, int] = {}


class _PseudocodeError(Exception):
    """An error the pseudocode made at run time (reported with its line)."""


def _describe_error(error: BaseException) -> str:
    if isinstance(error, _PseudocodeError):
        return str(error)
    if isinstance(error, ZeroDivisionError):
        return "division by zero"
    if isinstance(error, RecursionError):
        return "too many nested calls (does the recursion ever stop?)"
    if isinstance(error, EOFError):
        return "INPUT found no more input to read"
    if isinstance(error, NameError):
        return f"{error.name} is used before it is given a value"
    if isinstance(error, AttributeError) and getattr(error, "obj", 0) is None:
        return "an object or pointer is used before it is given a value (NEW or @)"
    if isinstance(error, OverflowError):
        return "a number is too large"
    if isinstance(error, MemoryError):
        return "the program ran out of memory"
    if isinstance(error, TypeError) and str(error).startswith("list indices must be"):
        return "an array index is not an INTEGER"
    return f"{type(error).__name__}: {error}"


def _report_runtime_error(kind, error, trace):
    """Show 'Runtime error at line N: ...' (or 'Program stopped.') instead of a traceback."""
    closed = issubclass(kind, BrokenPipeError)
    try:
        if closed:  # nothing more can be written there: not even at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        else:
            sys.stdout.flush()
    except (OSError, ValueError):
        pass
    if issubclass(kind, KeyboardInterrupt):
        message = "Program stopped."
    else:
        line = None
        while trace is not None:
            if trace.tb_frame.f_globals is globals():
                line = _PSEUDO_LINES.get(trace.tb_lineno, line)
            trace = trace.tb_next
        where = f" at line {line}" if line else ""
        what = "the output was closed before the program ended" if closed else \
            _describe_error(error)
        message = f"Runtime error{where}: {what}"
    try:
        print(message, file=sys.stderr)
    except (OSError, ValueError):
        pass


class _Array:
    """An array with the bounds the pseudocode declared, checked on every access.

    ``items`` is a plain list: of the elements for one dimension, of rows (lists)
    for two, and so on. Generated code reads and writes ``items`` directly where the
    generator knows the bounds (``A.items[J - 1 if 1 <= J <= 10 else A.offset(J)]``,
    ``B.items[R - 1][C - 1]``); ``A[i]`` and ``B[r, c]`` are the general, checked
    path (open ``ARRAY OF`` parameters, pointers)."""

    __slots__ = ("bounds", "items")

    def __init__(self, make, *bounds):
        self.bounds = bounds
        self.items = _filled(make, bounds)

    def offset(self, index):
        """Where an index is in ``items``, checked: a position, or one per dimension.

        Raises the runtime error naming the index and the bounds if it is outside."""
        if type(index) is int and len(self.bounds) == 1:
            low, high = self.bounds[0]
            if low <= index <= high:
                return index - low
        indices = index if type(index) is tuple else (index,)
        if len(indices) != len(self.bounds):
            raise _PseudocodeError(
                f"{len(indices)} index(es) given for ARRAY[{self._shape()}]")
        positions = []
        for value, (low, high) in zip(indices, self.bounds, strict=True):
            if type(value) is not int:
                raise _PseudocodeError(f"index {value!r} is not an INTEGER")
            if not low <= value <= high:
                raise _PseudocodeError(f"index {value} is outside ARRAY[{self._shape()}]")
            positions.append(value - low)
        return positions[0] if len(positions) == 1 else tuple(positions)

    def _shape(self):
        return ", ".join(f"{low}:{high}" for low, high in self.bounds)

    def _row(self, index):
        """The list that holds an element, and its position in that list."""
        position = self.offset(index)
        if type(position) is int:
            return self.items, position
        row = self.items
        for step in position[:-1]:
            row = row[step]
        return row, position[-1]

    def __getitem__(self, index):
        row, position = self._row(index)
        return row[position]

    def __setitem__(self, index, value):
        row, position = self._row(index)
        row[position] = value


def _filled(make, bounds):
    """Nested lists of default values: one level per dimension."""
    low, high = bounds[0]
    if len(bounds) == 1:
        return [make() for _ in range(high - low + 1)]
    return [_filled(make, bounds[1:]) for _ in range(high - low + 1)]


def _flat(items, dims):
    """The elements of nested lists, row after row."""
    if dims == 1:
        return list(items)
    return [item for row in items for item in _flat(row, dims - 1)]


def _nested(items, bounds):
    """The inverse of ``_flat``: row after row into nested lists."""
    if len(bounds) == 1:
        return list(items)
    width = 1
    for low, high in bounds[1:]:
        width *= high - low + 1
    return [_nested(items[start:start + width], bounds[1:])
            for start in range(0, len(items), width)]


def _copy(value, *bounds):
    """Copy an array or a record (they are values); objects stay shared.

    ``bounds``: the copy of an array takes these bounds (assigning to an array of the
    same size declared with other bounds)."""
    if isinstance(value, _Array):
        clone = _Array.__new__(_Array)
        clone.bounds = bounds or value.bounds
        clone.items = _copied_items(value.items, len(value.bounds))
        return clone
    fields = getattr(value, "__dataclass_fields__", None)
    if fields is not None:
        return type(value)(**{name: _copy(getattr(value, name)) for name in fields})
    return value


def _copied_items(items, dims):
    if dims == 1:
        return [_copy(item) for item in items]
    return [_copied_items(row, dims - 1) for row in items]


class _Pointer:
    """A pointer: the place a value lives (a container and a key in it)."""

    def __init__(self, container, key):
        self.container = container
        self.key = key

    @property
    def target(self):
        if isinstance(self.container, (dict, _Array)):
            return self.container[self.key]
        return getattr(self.container, self.key)

    @target.setter
    def target(self, value):
        if isinstance(self.container, (dict, _Array)):
            self.container[self.key] = value
        else:
            setattr(self.container, self.key, value)

    def __eq__(self, other):
        return isinstance(other, _Pointer) and self.container is other.container \
            and self.key == other.key

    def __hash__(self):
        return hash((id(self.container), self.key))


def _count(start, end, step=1):
    """The values of FOR ... TO ... STEP: end included; a negative STEP counts down."""
    if step == 0:
        raise _PseudocodeError("FOR with STEP 0 would never end")
    value = start
    while (value <= end) if step > 0 else (value >= end):
        yield value
        value += step


def _enum_move(value, steps):
    """An enumeration value plus or minus an INTEGER: that many places along its order."""
    members = list(type(value))
    position = members.index(value) + steps
    if not 0 <= position < len(members):
        end = "last" if steps > 0 else "first"
        sign = "+" if steps >= 0 else "-"
        raise _PseudocodeError(f"{value.name} {sign} {abs(steps)} goes past the {end} value, "
                               f"{members[-1 if steps > 0 else 0].name}")
    return members[position]


def _date_text(date):
    return f"{date.day:02d}/{date.month:02d}/{date.year:04d}"


def _text(value):
    """How OUTPUT shows a value: TRUE/FALSE, dates as dd/mm/yyyy, enumeration names."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.date):
        return _date_text(value)
    if hasattr(type(value), "_member_map_"):
        return value.name
    return str(value)


def _is_integer_text(text):
    digits = text[1:] if text[:1] in ("+", "-") else text
    return bool(digits) and all(c in "0123456789" for c in digits)


def _is_real_text(text):
    digits = text[1:] if text[:1] in ("+", "-") else text
    whole, point, fraction = digits.partition(".")
    if not point:
        return _is_integer_text(digits)
    return (bool(whole) or bool(fraction)) and all(c in "0123456789" for c in whole + fraction)


def _to_integer(text):
    cleaned = text.strip()
    if not _is_integer_text(cleaned):
        raise _PseudocodeError(f"{text!r} is not an INTEGER")
    return int(cleaned)


def _to_real(text):
    cleaned = text.strip()
    if not _is_real_text(cleaned):
        raise _PseudocodeError(f"{text!r} is not a REAL number")
    return float(cleaned)


def _to_boolean(text):
    cleaned = text.strip().upper()
    if cleaned not in ("TRUE", "FALSE"):
        raise _PseudocodeError(f"{text!r} is not TRUE or FALSE")
    return cleaned == "TRUE"


def _to_date(text):
    day, _, rest = text.strip().partition("/")
    month, _, year = rest.partition("/")
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        raise _PseudocodeError(f"{text!r} is not a date dd/mm/yyyy") from None


def _left(text, count):
    if count < 0:
        raise _PseudocodeError(f"LEFT cannot take {count} characters")
    return text[:count]


def _right(text, count):
    if count < 0:
        raise _PseudocodeError(f"RIGHT cannot take {count} characters")
    return text[max(len(text) - count, 0):]


def _mid(text, start, count):
    if start < 1:
        raise _PseudocodeError(f"MID start position {start} is before the first character")
    if count < 0:
        raise _PseudocodeError(f"MID cannot take {count} characters")
    return text[start - 1:start - 1 + count]


def _str_to_num(text):
    cleaned = text.strip()
    if _is_integer_text(cleaned):
        return int(cleaned)
    if _is_real_text(cleaned):
        return float(cleaned)
    raise _PseudocodeError(f"{text!r} is not a number")


def _is_num(text):
    return _is_real_text(text.strip())


def _round(value, places):
    """ROUND: halves go away from zero; 0 places gives an INTEGER."""
    try:
        rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    except InvalidOperation:
        raise _PseudocodeError(f"cannot round {value!r} to {places} places") from None
    return int(rounded) if places <= 0 else float(rounded)


def _chr(code):
    if not 0 <= code <= 0x10FFFF:
        raise _PseudocodeError(f"CHR({code}) is not a character code")
    return chr(code)


def _asc(char):
    if len(char) != 1:
        raise _PseudocodeError(f"ASC needs exactly one character, not {char!r}")
    return ord(char)


def _rand(limit):
    return random.random() * limit


# Open text files by name: name -> [mode, file, line read ahead by EOF or None].
_FILES = {}


def _openfile(name, mode):
    if name in _FILES:
        raise _PseudocodeError(f"file {name!r} is already open")
    python_mode = {"READ": "r", "WRITE": "w", "APPEND": "a"}[mode]
    try:  # the file stays open until CLOSEFILE, so no "with" block
        handle = open(name, python_mode, encoding="utf-8")  # noqa: SIM115
    except OSError as error:
        raise _PseudocodeError(f"cannot open {name!r} for {mode}: {error.strerror}") from None
    _FILES[name] = [mode, handle, None]


def _open_file_entry(name, modes):
    entry = _FILES.get(name)
    if entry is None:
        raise _PseudocodeError(f"file {name!r} is not open")
    if entry[0] not in modes:
        raise _PseudocodeError(f"file {name!r} is open for {entry[0]}, not {' or '.join(modes)}")
    return entry


def _readfile(name):
    entry = _open_file_entry(name, ("READ",))
    line = entry[2] if entry[2] is not None else entry[1].readline()
    entry[2] = None
    if not line:
        raise _PseudocodeError(f"READFILE past the end of {name!r}")
    return line.removesuffix("\n")


def _writefile(name, text):
    entry = _open_file_entry(name, ("WRITE", "APPEND"))
    entry[1].write(f"{text}\n")


def _eof(name):
    entry = _open_file_entry(name, ("READ",))
    if entry[2] is None:
        entry[2] = entry[1].readline()
    return entry[2] == ""


def _closefile(name):
    entry = _FILES.pop(name, None)
    if entry is None:
        raise _PseudocodeError(f"file {name!r} is not open")
    if entry[0] != "RANDOM":  # a random file was written by every PUTRECORD already
        entry[1].close()


def _open_random_file(name):
    """OPENFILE ... FOR RANDOM: records by address, kept here and written through."""
    if name in _FILES:
        raise _PseudocodeError(f"file {name!r} is already open")
    _FILES[name] = ["RANDOM", _load_records(name), 1]


def _load_records(name):
    """The records of a random-access file: {address: record as JSON data}."""
    try:
        with open(name, encoding="utf-8") as handle:
            text = handle.read()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise _PseudocodeError(f"cannot open {name!r} for RANDOM: {error.strerror}") from None
    if not text.strip():
        return {}
    try:
        return {int(address): data for address, data in json.loads(text).items()}
    except (ValueError, AttributeError):
        raise _PseudocodeError(f"{name!r} is not a file of records") from None


def _seek(name, address):
    entry = _open_file_entry(name, ("RANDOM",))
    if type(address) is not int or address < 0:
        raise _PseudocodeError(f"SEEK needs an address 0 or more, not {address!r}")
    entry[2] = address


def _getrecord(name):
    entry = _open_file_entry(name, ("RANDOM",))
    if entry[2] not in entry[1]:
        raise _PseudocodeError(f"there is no record at address {entry[2]} of {name!r}")
    return _from_record_data(entry[1][entry[2]])


def _putrecord(name, value):
    entry = _open_file_entry(name, ("RANDOM",))
    entry[1][entry[2]] = _to_record_data(value)
    temporary = f"{name}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump({str(k): v for k, v in sorted(entry[1].items())}, handle)
        os.replace(temporary, name)
    except OSError as error:
        raise _PseudocodeError(f"cannot write {name!r}: {error.strerror}") from None


def _to_record_data(value):
    """A value as JSON data (a random-access file stores no code, only data)."""
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, _Array):
        return {"array": [list(b) for b in value.bounds],
                "items": [_to_record_data(item)
                          for item in _flat(value.items, len(value.bounds))]}
    if isinstance(value, list):  # an array of the plain style (engine/codegen/plain)
        return {"list": [_to_record_data(item) for item in value]}
    fields = getattr(value, "__dataclass_fields__", None)
    if fields is not None:
        return {"record": type(value).__name__,
                "fields": {name: _to_record_data(getattr(value, name)) for name in fields}}
    if hasattr(type(value), "_member_map_"):
        return {"enum": type(value).__name__, "name": value.name}
    raise _PseudocodeError(f"{type(value).__name__} values cannot be stored in a file")


def _from_record_data(data):
    if not isinstance(data, dict):
        return data
    if "date" in data:
        return datetime.date.fromisoformat(data["date"])
    if "list" in data:
        return [_from_record_data(item) for item in data["list"]]
    if "array" in data:
        array = _Array.__new__(_Array)
        array.bounds = tuple(tuple(bounds) for bounds in data["array"])
        array.items = _nested([_from_record_data(item) for item in data["items"]],
                              array.bounds)
        return array
    kind = globals().get(data.get("record") or data.get("enum") or "")
    if "record" in data and hasattr(kind, "__dataclass_fields__"):
        record = kind()
        for name, value in data["fields"].items():
            if name in kind.__dataclass_fields__:
                setattr(record, name, _from_record_data(value))
        return record
    if "enum" in data and hasattr(kind, "_member_map_") and data["name"] in kind._member_map_:
        return kind[data["name"]]
    raise _PseudocodeError("a record in the file does not match the program's types")


# What each helper needs: other helpers, and modules to import.
REQUIRES: dict[str, tuple[str, ...]] = {
    "_describe_error": ("_PseudocodeError",),
    "_report_runtime_error": ("_describe_error",),
    "_Array": ("_PseudocodeError", "_filled"),
    "_copy": ("_Array", "_copied_items"),
    "_Pointer": ("_Array",),
    "_count": ("_PseudocodeError",),
    "_enum_move": ("_PseudocodeError",),
    "_text": ("_date_text",),
    "_is_real_text": ("_is_integer_text",),
    "_to_integer": ("_is_integer_text", "_PseudocodeError"),
    "_to_real": ("_is_real_text", "_PseudocodeError"),
    "_to_boolean": ("_PseudocodeError",),
    "_to_date": ("_PseudocodeError",),
    "_left": ("_PseudocodeError",),
    "_right": ("_PseudocodeError",),
    "_mid": ("_PseudocodeError",),
    "_str_to_num": ("_is_integer_text", "_is_real_text", "_PseudocodeError"),
    "_is_num": ("_is_real_text",),
    "_round": ("_PseudocodeError",),
    "_chr": ("_PseudocodeError",),
    "_asc": ("_PseudocodeError",),
    "_open_file_entry": ("_FILES", "_PseudocodeError"),
    "_readfile": ("_open_file_entry",),
    "_writefile": ("_open_file_entry",),
    "_eof": ("_open_file_entry",),
    "_closefile": ("_FILES", "_PseudocodeError"),
    "_openfile": ("_FILES", "_PseudocodeError"),
    "_open_random_file": ("_FILES", "_PseudocodeError", "_load_records"),
    "_load_records": ("_PseudocodeError",),
    "_seek": ("_open_file_entry", "_PseudocodeError"),
    "_getrecord": ("_open_file_entry", "_from_record_data", "_PseudocodeError"),
    "_putrecord": ("_open_file_entry", "_to_record_data", "_PseudocodeError"),
    "_to_record_data": ("_Array", "_flat", "_PseudocodeError"),
    "_from_record_data": ("_Array", "_nested", "_PseudocodeError"),
}

IMPORTS: dict[str, tuple[str, ...]] = {
    "_report_runtime_error": ("import os", "import sys"),
    "_text": ("import datetime",),
    "_to_date": ("import datetime",),
    "_round": ("from decimal import ROUND_HALF_UP, Decimal, InvalidOperation",),
    "_rand": ("import random",),
    "_load_records": ("import json",),
    "_putrecord": ("import json", "import os"),
    "_to_record_data": ("import datetime",),
    "_from_record_data": ("import datetime",),
}
