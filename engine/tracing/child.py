"""The tracer that runs *inside* the child process (standard library only).

``session.py`` writes this module's source, plus a call ``_main(CONFIG)``,
as the program file that ``ProgramRunner`` starts, so it works wherever Run
works (a frozen build included). It compiles the checked program, runs it
under ``sys.settrace`` and speaks the pseudocode's language: only frames of
pseudocode routines are followed (never helpers), Python lines become
pseudocode lines through the line map, Python names become the
pseudocode's names through ``names`` (temporaries and helpers are hidden),
values are shown as OUTPUT prints them, and a BYREF parameter shows the
caller's variable changing at once (the generated code copies in and out).

Events go to the parent as JSON lines over a local socket: ``row`` (trace
mode: one per pseudocode statement that changed something), ``paused``
(debug mode: where, the call stack, variables), ``limit`` and ``end``. In
debug mode commands come back the same way (``step_into``, ``step_over``,
``step_out``, ``continue``, ``breakpoints``, ``pause``, ``stop``).
"""

from __future__ import annotations

import ast
import dataclasses
import datetime
import enum
import itertools
import json
import queue
import socket
import sys
import threading
from collections.abc import Iterable

RETURNS = "RETURNS"  # label of a function's result column (a keyword: no variable has it)
MAX_ELEMENTS = 2000  # array elements looked at per array (trace cells and panel)


class _Stop(BaseException):
    """Ends the program early (row limit, step limit, Stop); never caught by it."""


def show(value: object) -> str:
    """A value as the pseudocode's OUTPUT prints it."""
    if value is None:
        return "(no value)"
    if value is True:
        return "TRUE"
    if value is False:
        return "FALSE"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value if value.strip() else f'"{value}"'  # "" and " " stay visible
    if isinstance(value, datetime.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if isinstance(value, enum.Enum):
        return str(value.name)
    if _is_array(value):
        shape = ", ".join(f"{low}:{high}" for low, high in value.bounds)  # type: ignore[attr-defined]
        return f"ARRAY[{shape}]"
    if _is_pointer(value):
        return _pointer_text(value)
    if dataclasses.is_dataclass(value):
        return type(value).__name__
    if hasattr(value, "__dict__") and not callable(value):
        return f"{type(value).__name__} object"
    return repr(value)


_NAMES: dict[str, str] = {}  # Python name -> pseudocode name, for pointers' targets


def _pointer_text(pointer: object) -> str:
    """Where a pointer points, as the pseudocode would write it (``^Count``), not
    the value there: a pointer does not change when its target does."""
    key = pointer.key  # type: ignore[attr-defined]
    if isinstance(pointer.container, dict) and isinstance(key, str):  # type: ignore[attr-defined]
        return "^" + _NAMES.get(key, key)
    if _is_array(pointer.container):  # type: ignore[attr-defined]
        index = key if isinstance(key, tuple) else (key,)
        return f"^[{', '.join(map(str, index))}]"
    if isinstance(key, str):
        return f"^(object).{key.lstrip('_') or key}"
    return "(pointer)"


def _is_array(value: object) -> bool:
    return hasattr(value, "bounds") and hasattr(value, "items") and isinstance(
        getattr(value, "items", None), list)


def _only_checks(node: ast.expr) -> bool:
    """An index with no calls but the array's own check (``A.offset``, which only raises)."""
    return all(isinstance(x.func, ast.Attribute) and x.func.attr == "offset"
               for x in ast.walk(node) if isinstance(x, ast.Call))


def _is_pointer(value: object) -> bool:
    return hasattr(value, "container") and hasattr(value, "key") and hasattr(
        type(value), "target")


def _fields(value: object) -> list[tuple[str, object]]:
    """The fields of a record or object, as the pseudocode names them."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [(f.name, getattr(value, f.name, None)) for f in dataclasses.fields(value)]
    if isinstance(value, enum.Enum) or _is_pointer(value) or callable(value):
        return []
    attributes = getattr(value, "__dict__", None)
    if isinstance(attributes, dict):
        return [(k.lstrip("_") or k, v) for k, v in attributes.items()]
    return []


def _indices(bounds: tuple[tuple[int, int], ...]) -> itertools.product[tuple[int, ...]]:
    return itertools.product(*(range(low, high + 1) for low, high in bounds))


def _elements(array: object) -> itertools.islice[tuple[tuple[int, ...], object]]:
    """(index, element) of an array in index order, at most MAX_ELEMENTS of them.

    ``items`` holds one list per row for two dimensions (lists of lists for more)."""
    elements: Iterable[object] = array.items  # type: ignore[attr-defined]
    for _ in range(len(array.bounds) - 1):  # type: ignore[attr-defined]
        elements = itertools.chain.from_iterable(elements)  # type: ignore[arg-type]
    pairs = zip(_indices(array.bounds), elements, strict=False)  # type: ignore[attr-defined]
    return itertools.islice(pairs, MAX_ELEMENTS)


_SCALARS = (int, float, str, bool, datetime.date, type(None))


def flatten(label: str, value: object, out: dict[str, str], depth: int = 0) -> None:
    """``label`` and its parts (``A[1]``, ``R.Field``) -> display text, into ``out``."""
    if _is_array(value):
        for index, item in _elements(value):
            flatten(f"{label}[{', '.join(map(str, index))}]", item, out, depth + 1)
        return
    parts = _fields(value) if depth < 4 else []
    if parts:
        for name, inner in parts:
            flatten(f"{label}.{name}", inner, out, depth + 1)
        return
    out[label] = show(value)


def tree(name: str, value: object, key: str, depth: int = 0) -> dict[str, object]:
    """A variable for the Variables panel: name, value, key and (for arrays and
    records) children."""
    node: dict[str, object] = {"name": name, "value": show(value), "key": key}
    children: list[dict[str, object]] = []
    if depth < 6:
        if _is_array(value):
            for index, item in _elements(value):
                text = f"[{', '.join(map(str, index))}]"
                children.append(tree(text, item, key + text, depth + 1))
        else:
            for field_name, inner in _fields(value):
                children.append(tree(field_name, inner, f"{key}.{field_name}", depth + 1))
    if children:
        node["children"] = children
    return node


class _Channel:
    """JSON lines to and from the parent over a local socket."""

    def __init__(self, port: int, token: str) -> None:
        self._socket = socket.create_connection(("127.0.0.1", port), timeout=30)
        self._socket.settimeout(None)
        self._lock = threading.Lock()
        self.commands: queue.Queue[dict[str, object]] = queue.Queue()
        self._send_raw(token)
        reader = threading.Thread(target=self._read, name="trace-commands", daemon=True)
        reader.start()

    def _send_raw(self, text: str) -> None:
        with self._lock:
            self._socket.sendall(text.encode("utf-8") + b"\n")

    def send(self, event: dict[str, object]) -> None:
        try:
            self._send_raw(json.dumps(event, ensure_ascii=False))
        except OSError:
            raise _Stop() from None  # the parent has gone: nobody is watching

    def _read(self) -> None:
        stream = self._socket.makefile("rb")
        for raw in stream:
            try:
                command = json.loads(raw)
            except ValueError:
                continue
            if isinstance(command, dict):
                self.commands.put(command)
        self.commands.put({"cmd": "stop"})  # the parent closed the channel


class _FrameState:
    __slots__ = ("frame", "key", "name", "pending", "aliases", "function", "header",
                 "assigned")

    def __init__(self, frame: object, key: str, name: str, function: bool,
                 header: int) -> None:
        self.frame = frame
        self.key = key            # Python qualified name
        self.name = name          # pseudocode name ("" for the main program)
        self.pending = header     # pseudocode line of the statement running in it
        self.aliases: dict[str, tuple[str, str]] = {}  # BYREF parameter -> caller's cell
        self.function = function
        self.header = header
        self.assigned: set[tuple[str, str]] = set()  # cells its running statement assigns


class _ListInput:
    """Standard input for a trace: the given lines, then end of input."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = list(lines)

    def readline(self, *args: object) -> str:
        return self._lines.pop(0) + "\n" if self._lines else ""

    def read(self, *args: object) -> str:
        text = "".join(line + "\n" for line in self._lines)
        self._lines.clear()
        return text

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError("no file descriptor")


class _CapturingOutput:
    """Standard output that also keeps what was written since the last row."""

    def __init__(self, inner: object, sink: list[str]) -> None:
        self._inner = inner
        self._sink = sink

    def write(self, text: str) -> int:
        self._sink.append(text)
        return self._inner.write(text)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)


class Tracer:
    def __init__(self, config: dict[str, object], channel: _Channel, code: str) -> None:
        self.channel = channel
        self.filename = str(config["filename"])
        self.line_map = {int(k): int(v) for k, v in dict(config["line_map"]).items()}  # type: ignore[arg-type]
        self.names: dict[str, str] = dict(config["names"])  # type: ignore[arg-type]
        _NAMES.update(self.names)
        self.routines: dict[str, dict[str, object]] = dict(config["routines"])  # type: ignore[arg-type]
        self.declarations = set(config.get("declaration_lines", []))  # type: ignore[arg-type]
        self.debug = config.get("mode") == "debug"
        self.max_rows = int(config.get("max_rows", 1000))  # type: ignore[arg-type]
        self.max_steps = int(config.get("max_steps", 500_000))  # type: ignore[arg-type]
        self.breakpoints = {int(x) for x in config.get("breakpoints", [])}  # type: ignore[union-attr]
        self.step_kind = str(config.get("step", "continue"))
        self.step_depth = 0
        self.frames: list[_FrameState] = []
        self.current: tuple[int, str, int] = (0, "", 0)  # line, routine, depth
        self.displayed: dict[tuple[str, str], dict[str, str]] = {}  # the table's cells
        self.overridden: dict[tuple[str, str], list[str]] = {}  # BYREF cells last time
        self.shown: set[tuple[str, str]] = set()
        self.output: list[str] = []
        self.return_value: str | None = None
        self.rows = 0
        self.steps = 0
        self.paused_view: dict[str, str] = {}
        self.module_globals: dict[str, object] = {}
        module = ast.parse(code)
        self.statements: dict[int, ast.stmt] = {}
        self.stores: dict[int, set[str]] = {}
        self.definitions: set[int] = set()
        for node in ast.walk(module):
            if isinstance(node, ast.stmt):
                self.statements.setdefault(node.lineno, node)
                if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                    self.definitions.add(node.lineno)
                names = _stored_names(node)
                if names:
                    self.stores.setdefault(node.lineno, set()).update(names)
        self._index_code: dict[int, object] = {}
        self.arrays: dict[tuple[str, str], tuple[object, list[object], dict[str, str]]] = {}

    # ------------------------------------------------------------ sys.settrace
    def global_trace(self, frame, event, arg):  # noqa: ANN001, ANN201 - sys.settrace's signature
        if event != "call" or frame.f_code.co_filename != self.filename:
            return None
        code = frame.f_code
        if code.co_name == "<module>" and not self.frames:
            self.module_globals = frame.f_globals
            self.frames.append(_FrameState(frame, "", "", False, 0))
            return self.local_trace
        key = getattr(code, "co_qualname", code.co_name)
        routine = self.routines.get(key) or self.routines.get(code.co_name)
        header = self.line_map.get(code.co_firstlineno)
        if routine is None or header is None:
            return None  # a helper, a class body, a comprehension: not the pseudocode's
        self.finish_statement(complete=False)
        state = _FrameState(frame, key, str(routine["name"]), bool(routine["function"]),
                            header)
        state.aliases = self.byref_aliases(frame, routine)
        self.frames.append(state)
        self.current = (header, state.name, len(self.frames) - 1)
        return self.local_trace

    def local_trace(self, frame, event, arg):  # noqa: ANN001, ANN201
        if event == "line":
            self.on_line(frame)
        elif event == "return":
            self.on_return(frame, arg)
        return self.local_trace

    def on_line(self, frame) -> None:  # noqa: ANN001
        self.steps += 1
        if self.steps > self.max_steps:
            self.channel.send({"type": "limit", "steps": self.max_steps, "rows": self.rows})
            raise _Stop()
        state = self.frames[-1]
        if state.frame is not frame:
            return
        number = frame.f_lineno
        line = self.line_map.get(number)
        if line is not None and not (number in self.definitions and len(self.frames) == 1):
            # A loop header that runs again starts a new pseudocode step too.
            again = isinstance(self.statements.get(number), (ast.For, ast.While))
            if line != state.pending or again:
                self.finish_statement()
                state.pending = line
                self.current = (line, state.name, len(self.frames) - 1)
                if self.debug:
                    self.maybe_pause(state, line)
        elif self.debug and self.steps % 64 == 0:
            self.poll_commands()
        names = self.stores.get(number)
        if names:
            for name in names:
                state.assigned.add(self.cell_of(state, name))

    def on_return(self, frame, value) -> None:  # noqa: ANN001
        state = self.frames[-1]
        if state.frame is not frame:
            return
        if state.function and state.name:
            result = value[0] if isinstance(value, tuple) and any(
                self.routines.get(state.key, {}).get("byref", [])) else value  # type: ignore[union-attr]
            self.return_value = show(result)
        self.finish_statement()
        self.frames.pop()
        if state.name and not any(f.name == state.name for f in self.frames):
            self.shown = {k for k in self.shown if k[0] != state.name}
        if self.frames:
            caller = self.frames[-1]
            self.current = (caller.pending, caller.name, len(self.frames) - 1)

    # ------------------------------------------------------------ names and cells
    def cell_of(self, state: _FrameState, python_name: str) -> tuple[str, str]:
        """The table cell a Python name of ``state``'s frame stands for."""
        if python_name in state.aliases:
            return state.aliases[python_name]
        pseudo = self.names.get(python_name, python_name)
        if state.name and python_name in state.frame.f_code.co_varnames:  # type: ignore[attr-defined]
            return (state.name, pseudo)
        return ("", pseudo)

    def byref_aliases(self, frame, routine: dict[str, object]) -> dict[str, tuple[str, str]]:  # noqa: ANN001
        """BYREF parameter -> the caller's cell it stands for (found in the call's
        copy-out assignment ``X, A[J] = Swap(X, A[J])``)."""
        byref = [p for p, r in zip(routine["params"], routine["byref"], strict=False) if r]  # type: ignore[call-overload]
        caller_frame = frame.f_back
        if not byref or caller_frame is None or not self.frames:
            return {}
        caller = self.frames[-1]
        if caller.frame is not caller_frame:
            return {}
        statement = self.statements.get(caller_frame.f_lineno)
        if not isinstance(statement, ast.Assign) or not isinstance(statement.value, ast.Call):
            return {}
        target = statement.targets[0]
        targets = list(target.elts) if isinstance(target, ast.Tuple) else [target]
        if routine["function"] and len(targets) == len(byref) + 1:
            targets = targets[1:]
        if len(targets) != len(byref):
            return {}
        aliases: dict[str, tuple[str, str]] = {}
        for parameter, place in zip(byref, targets, strict=True):
            cell = self.cell_of_expression(caller, place)
            if cell is not None:
                aliases[str(parameter)] = cell
        return aliases

    def cell_of_expression(self, state: _FrameState, node: ast.expr) -> tuple[str, str] | None:
        if isinstance(node, ast.Name):
            return self.cell_of(state, node.id)
        if isinstance(node, ast.Attribute):
            base = self.cell_of_expression(state, node.value)
            return (base[0], f"{base[1]}.{node.attr}") if base else None
        if isinstance(node, ast.Subscript):
            positions: list[ast.expr] = []
            inner: ast.expr = node
            while isinstance(inner, ast.Subscript):
                positions.insert(0, inner.slice)
                inner = inner.value
            if isinstance(inner, ast.Attribute) and inner.attr == "items":
                return self.cell_of_element(state, inner.value, positions)
            base = self.cell_of_expression(state, node.value)
            if base is None or not _only_checks(node.slice):
                return None
            try:
                index = self._evaluate(state, node.slice)
            except Exception:  # noqa: BLE001 - the program will report it
                return None
            parts = index if isinstance(index, tuple) else (index,)
            return (base[0], f"{base[1]}[{', '.join(show(p) for p in parts)}]")
        return None

    def cell_of_element(self, state: _FrameState, array: ast.expr,
                        positions: list[ast.expr]) -> tuple[str, str] | None:
        """``A.items[J - 1]`` (the array's list read directly): the cell ``A[J]``."""
        base = self.cell_of_expression(state, array)
        if base is None or not all(_only_checks(p) for p in positions):
            return None
        try:
            value = self._evaluate(state, array)
            offsets = [self._evaluate(state, p) for p in positions]
            indices = [offset + low for offset, (low, _high) in zip(
                offsets, value.bounds, strict=True)]
        except Exception:  # noqa: BLE001 - the program will report it
            return None
        return (base[0], f"{base[1]}[{', '.join(show(i) for i in indices)}]")

    def _evaluate(self, state: _FrameState, node: ast.expr) -> object:
        compiled = self._index_code.get(id(node))
        if compiled is None:
            compiled = compile(ast.Expression(node), "<index>", "eval")
            self._index_code[id(node)] = compiled
        frame = state.frame
        return eval(compiled, frame.f_globals, frame.f_locals)  # type: ignore[attr-defined]  # noqa: S307 - an index the program itself computes next

    def roots(self) -> list[tuple[tuple[str, str], object]]:
        """Every pseudocode variable in sight: the globals and the innermost frame's
        locals of each routine running, keyed (routine or "", pseudocode name)."""
        out: list[tuple[tuple[str, str], object]] = []
        for python_name, pseudo in self.names.items():
            if python_name in self.module_globals:
                out.append((("", pseudo), self.module_globals[python_name]))
        seen: set[str] = set()
        for state in reversed(self.frames):
            if not state.name or state.name in seen:
                continue
            seen.add(state.name)
            for python_name, value in state.frame.f_locals.items():  # type: ignore[attr-defined]
                pseudo = self.names.get(python_name)
                if pseudo is not None:
                    out.append(((state.name, pseudo), value))
        return out

    def cells_of(self, key: tuple[str, str], value: object) -> tuple[dict[str, str],
                                                                      Iterable[str] | None]:
        """The cells of one variable and which of them may have changed since last
        time (None: any). An array of plain values is compared as a list and only
        the elements that differ are looked at, so a long array costs little."""
        if not (_is_array(value) and len(value.bounds) == 1):  # type: ignore[attr-defined]
            flat: dict[str, str] = {}
            flatten(key[1], value, flat)
            return flat, None
        items: list[object] = value.items  # type: ignore[attr-defined]
        low = value.bounds[0][0]  # type: ignore[attr-defined]
        known = self.arrays.get(key)
        if known is not None and known[0] is value and len(known[1]) == len(items):
            if items == known[1]:
                return known[2], ()
            positions = _differences(items, known[1])
            if all(type(items[p]) in _SCALARS for p in positions):
                flat = known[2]
                labels = []
                for p in positions:
                    known[1][p] = items[p]
                    if p < MAX_ELEMENTS:  # elements past the limit get no column
                        label = f"{key[1]}[{p + low}]"
                        flat[label] = show(items[p])
                        labels.append(label)
                return flat, labels
        flat = {}
        flatten(key[1], value, flat)
        if all(type(x) in _SCALARS for x in items):
            self.arrays[key] = (value, list(items), flat)
        else:
            self.arrays.pop(key, None)
        return flat, None

    def changes_now(self, forced: set[tuple[str, str]]) -> list[list[str]]:
        """Cells whose shown value differs from the table's (or that were assigned
        for the first time, ``forced``); the table's values are updated."""
        overrides: dict[tuple[str, str], dict[str, str]] = {}
        for state in self.frames:  # BYREF: the caller's cell shows the parameter
            for python_name, (scope, label) in state.aliases.items():
                if python_name in state.frame.f_locals:  # type: ignore[attr-defined]
                    flat: dict[str, str] = {}
                    flatten(label, state.frame.f_locals[python_name], flat)  # type: ignore[attr-defined]
                    overrides.setdefault((scope, _root_name(label)), {}).update(flat)
        changes: list[list[str]] = []
        displayed: dict[tuple[str, str], dict[str, str]] = {}
        for key, value in self.roots():
            cells, maybe = self.cells_of(key, value)
            shown = self.displayed.get(key)
            extra = overrides.get(key, {})
            again = self.overridden.get(key, ())
            if shown is None:
                shown, candidates = {}, cells.keys()
            else:
                candidates = cells.keys() if maybe is None else maybe
            scope = key[0]
            for label in itertools.chain(candidates, extra, again,
                                         [key[1]] if (scope, key[1]) in forced else ()):
                text = extra.get(label) or cells.get(label)
                if text is None:
                    continue
                if shown.get(label) != text or ((scope, label) in forced
                                                and (scope, label) not in self.shown):
                    changes.append([scope, label, text])
                    shown[label] = text
            displayed[key] = shown
        self.displayed = displayed
        self.overridden = {key: list(extra) for key, extra in overrides.items()}
        unique: dict[tuple[str, str], list[str]] = {}
        for change in changes:
            unique[(change[0], change[1])] = change
        return list(unique.values())

    # ------------------------------------------------------------ trace rows
    def finish_statement(self, complete: bool = True) -> None:
        """The statement in ``current`` has finished (or, ``complete`` False, calls a
        routine half-way): report what it changed."""
        assigned = self.frames[-1].assigned if self.frames else set()
        if self.debug:
            self.output.clear()
            assigned.clear()
            return
        changes = self.changes_now(assigned - self.shown if complete else set())
        if complete:
            assigned.clear()
        line, routine, depth = self.current
        if self.return_value is not None:
            changes.append([routine, RETURNS, self.return_value])
            self.return_value = None
        output = "".join(self.output)
        self.output.clear()
        if line in self.declarations and not output:
            return  # a DECLARE gives no values in an exam table
        if not changes and not output:
            return
        for scope, label, _text in changes:
            self.shown.add((scope, label))
        self.rows += 1
        self.channel.send({"type": "row", "line": line, "routine": routine, "depth": depth,
                           "changes": changes, "output": output})
        if self.rows >= self.max_rows:
            self.channel.send({"type": "limit", "rows": self.rows})
            raise _Stop()

    # ------------------------------------------------------------ stepping
    def maybe_pause(self, state: _FrameState, line: int) -> None:
        depth = len(self.frames)
        kind = self.step_kind
        at_breakpoint = line in self.breakpoints
        ordinary = line not in self.declarations and not (state.name and line == state.header)
        if kind == "step_into":
            wanted = ordinary
        elif kind == "step_over":
            wanted = ordinary and depth <= self.step_depth
        elif kind == "step_out":
            wanted = ordinary and depth < self.step_depth
        else:
            wanted = False
        if not (wanted or at_breakpoint):
            self.poll_commands()
            return
        self.pause(line, "breakpoint" if at_breakpoint and not wanted else "step")

    def poll_commands(self) -> None:
        while True:
            try:
                command = self.channel.commands.get_nowait()
            except queue.Empty:
                return
            self.apply(command, running=True)

    def apply(self, command: dict[str, object], running: bool) -> bool:
        """Carry out a command; True when it lets the program go on."""
        kind = command.get("cmd")
        if "breakpoints" in command:
            self.breakpoints = {int(x) for x in command["breakpoints"]}  # type: ignore[union-attr]
        if kind == "stop":
            raise _Stop()
        if kind == "pause" and running:
            self.step_kind = "step_into"
            return True
        if kind in ("step_into", "step_over", "step_out", "continue"):
            self.step_kind = str(kind)
            self.step_depth = len(self.frames)
            return True
        return False

    def pause(self, line: int, reason: str) -> None:
        state = self.frames[-1]
        view: dict[str, str] = {}
        globals_tree = []
        for python_name, pseudo in self.names.items():
            if python_name in self.module_globals:
                value = self.module_globals[python_name]
                globals_tree.append(tree(pseudo, value, pseudo))
                flatten(pseudo, value, view)
        locals_tree = []
        if state.name:
            for python_name, value in state.frame.f_locals.items():  # type: ignore[attr-defined]
                pseudo = self.names.get(python_name)
                if python_name == "self" and pseudo is None and _fields(value):
                    # A method: its object's attributes, used by bare name in the pseudocode.
                    locals_tree.append(tree("(this object)", value, f"{state.name}:(this)"))
                    continue
                if pseudo is None:
                    continue
                key = f"{state.name}:{pseudo}"
                node = tree(pseudo, value, key)
                if python_name in state.aliases:
                    scope, label = state.aliases[python_name]
                    node["ref"] = f"{scope + ': ' if scope else ''}{label}"
                locals_tree.append(node)
                flatten(key, value, view)
        # BYREF: the caller's variable *is* the parameter, so it shows its value now.
        overrides: dict[str, str] = {}
        for frame_state in self.frames:
            for python_name, (scope, label) in frame_state.aliases.items():
                if python_name in frame_state.frame.f_locals:  # type: ignore[attr-defined]
                    prefix = f"{scope}:" if scope else ""
                    flatten(prefix + label, frame_state.frame.f_locals[python_name], overrides)  # type: ignore[attr-defined]
        view.update((k, v) for k, v in overrides.items() if k in view)
        _apply_overrides(globals_tree + locals_tree, overrides)
        before = self.paused_view
        changed = sorted(k for k, v in view.items() if before and before.get(k) != v)
        self.paused_view = view
        stack = [{"routine": s.name or "main program", "line": s.pending, "depth": i}
                 for i, s in enumerate(self.frames)]
        stack[-1]["line"] = line
        self.channel.send({"type": "paused", "line": line, "reason": reason,
                           "routine": state.name, "stack": stack[::-1],
                           "globals": globals_tree, "locals": locals_tree,
                           "changed": changed})
        while True:
            command = self.channel.commands.get()
            if self.apply(command, running=False):
                return


def _root_name(label: str) -> str:
    for index, char in enumerate(label):
        if char in "[.":
            return label[:index]
    return label


def _differences(new: list[object], old: list[object]) -> list[int]:
    """Positions where two lists of the same length differ, found by halving (the
    comparisons run in C: a few changes in a long list cost about two passes)."""
    out: list[int] = []
    stack = [(0, len(new))]
    while stack:
        low, high = stack.pop()
        if new[low:high] == old[low:high]:
            continue
        if high - low <= 8:
            out.extend(i for i in range(low, high) if new[i] != old[i])
            continue
        middle = (low + high) // 2
        stack.append((middle, high))
        stack.append((low, middle))
    return sorted(out)


def _apply_overrides(nodes: list[dict[str, object]], overrides: dict[str, str]) -> None:
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if node["key"] in overrides and "children" not in node:
            node["value"] = overrides[str(node["key"])]
        stack.extend(node.get("children", []))  # type: ignore[arg-type]


def _stored_names(node: ast.stmt) -> set[str]:
    """Plain names a statement assigns on its own line (not in nested blocks)."""
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = list(node.targets)
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
        targets = [node.target]
    elif isinstance(node, ast.For):
        targets = [node.target]
    names: set[str] = set()
    while targets:
        target = targets.pop()
        if isinstance(target, ast.Name):
            names.add(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            targets.extend(target.elts)
    return names


def _main(config_text: str) -> None:
    config = json.loads(config_text)
    channel = _Channel(int(config["port"]), str(config["token"]))
    code_text = str(config["code"])
    tracer = Tracer(config, channel, code_text)
    if config.get("inputs") is not None:
        sys.stdin = _ListInput([str(x) for x in config["inputs"]])  # type: ignore[assignment]
    if not tracer.debug:
        sys.stdout = _CapturingOutput(sys.stdout, tracer.output)  # type: ignore[assignment]
    namespace: dict[str, object] = {"__name__": "__main__", "__file__": tracer.filename}
    compiled = compile(code_text, tracer.filename, "exec")
    status, error_line, message, exit_code = "done", 0, "", 0
    sys.settrace(tracer.global_trace)
    try:
        exec(compiled, namespace)  # noqa: S102 - running the user's translated program is the job
    except _Stop:
        status = "stopped"
    except SystemExit as stop:
        exit_code = stop.code if isinstance(stop.code, int) else 1
    except BaseException as error:  # noqa: BLE001 - reported as the program itself would
        sys.settrace(None)
        status, error_line, exit_code = "error", tracer.current[0], 1
        describe = namespace.get("_describe_error")
        message = describe(error) if callable(describe) else f"{type(error).__name__}: {error}"
        hook = namespace.get("_report_runtime_error")
        try:
            tracer.finish_statement()
        except _Stop:
            pass
        if callable(hook):
            hook(type(error), error, error.__traceback__)
        else:
            print(f"Runtime error at line {error_line}: {message}", file=sys.stderr)
    finally:
        sys.settrace(None)
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            pass
    try:
        channel.send({"type": "end", "status": status, "line": error_line,
                      "message": str(message), "rows": tracer.rows})
    except _Stop:
        pass
    sys.exit(exit_code)
