"""Files in the plain style: ``with open(...) as file:`` where an OPENFILE and the
CLOSEFILE of the same file stand in one block, else ``file = open(...)`` ...
``file.close()``; READFILE is ``readline``, WRITEFILE ``print(..., file=...)``;
random-access files are a ``shelve`` with the address in a variable. Where one file is
used under several names (OPENFILE "a.txt" ... READFILE Name), the open files are kept
in a dict by name, as the checked style does.

``PlainFiles`` is a part of ``PlainGenerator`` (generator.py, which holds its state:
``handles``, ``with_keys``, ``files_by_name``, ``file_uses``, ``random_keys``).
"""

from __future__ import annotations

import ast
import re

from engine.codegen.base import GeneratorBase
from engine.codegen.pyast import _attr, _call, _name, _store
from engine.language import nodes as n
from engine.semantics import types as t
from engine.semantics.builtins import Builtin

_OPEN_MODES = {"READ": None, "WRITE": "w", "APPEND": "a"}


class PlainFiles(GeneratorBase):
    def _group_files(self, body: list[n.Stmt]) -> list[n.Stmt]:
        """OPENFILE ... CLOSEFILE of one file in one block become a ``_WithFile``."""
        if self.files_by_name:
            return body
        out: list[n.Stmt] = []
        index = 0
        while index < len(body):
            stmt = body[index]
            if isinstance(stmt, n.OpenFile):
                key = _file_key(stmt.filename)
                close = self._matching_close(body, index, key)
                if close is not None:
                    out.append(_WithFile(stmt, body[index + 1:close], body[close],
                                         span=stmt.span, before=stmt.before,
                                         trailing=stmt.trailing))
                    index = close + 1
                    continue
            out.append(stmt)
            index += 1
        return out

    def _matching_close(self, body: list[n.Stmt], start: int, key: str) -> int | None:
        routines = self.file_uses.get(key, set())
        here = id(self.routine) if self.routine is not None else 0
        if here != 0 and routines - {here}:
            return None  # used elsewhere too: a ``with`` here would hide the file from it
        for index in range(start + 1, len(body)):
            stmt = body[index]
            if isinstance(stmt, n.CloseFile) and _file_key(stmt.filename) == key:
                return index
            if isinstance(stmt, n.OpenFile) and _file_key(stmt.filename) == key:
                return None
            if _mentions_close(stmt, key):
                return None
        return None

    def visit__WithFile(self, stmt: _WithFile) -> list[ast.stmt]:
        key = _file_key(stmt.open.filename)
        handle = self.handle_name(key)
        opened = self.open_call(stmt.open)
        self.line = stmt.span.line
        outer = self.with_keys.get(key)
        self.with_keys[key] = handle
        try:
            head = self.header_trailing(stmt)
            closing = self.trivia(stmt.close.before)
            if stmt.close.trailing:
                closing.append(self.marker("comment", stmt.close.trailing))
            body = self.block(stmt.body, head, closing)
        finally:
            if outer is None:
                self.with_keys.pop(key, None)
            else:
                self.with_keys[key] = outer
        item = ast.withitem(context_expr=opened, optional_vars=_name(handle, ast.Store()))
        return [ast.With(items=[item], body=body, lineno=0)]

    def open_call(self, stmt: n.OpenFile) -> ast.expr:
        if stmt.mode == "RANDOM":  # records by address: Python's shelve
            return _call(_attr(_name(self.module("shelve")), "open"), self.expr(stmt.filename))
        mode = _OPEN_MODES[stmt.mode]
        args = [self.expr(stmt.filename)] + ([ast.Constant(mode)] if mode else [])
        return _call("open", *args, encoding=ast.Constant("utf-8"))

    def handle_name(self, key: str) -> str:
        if key not in self.handles:
            stem = "file"
            if key.startswith('"'):
                words = re.sub(r"[^a-z0-9]+", "_", key[1:].rsplit(".", 1)[0].lower()).strip("_")
                if words and words[0].isalpha():
                    stem = words + "_file"
            self.handles[key] = self.fresh(stem)
        return self.handles[key]

    def handle(self, filename: n.Expr) -> ast.expr:
        if self.files_by_name:
            return ast.Subscript(value=_name(self.files_by_name), slice=self.expr(filename),
                                 ctx=ast.Load())
        key = _file_key(filename)
        return _name(self.with_keys.get(key) or self.handle_name(key))

    def visit_OpenFile(self, stmt: n.OpenFile) -> list[ast.stmt]:
        if stmt.mode not in _OPEN_MODES and self.files_by_name:
            return super().visit_OpenFile(stmt)
        if self.files_by_name:
            target = _store(self.handle(stmt.filename))
            return [ast.Assign(targets=[target], value=self.open_call(stmt), lineno=0),
                    self.marker("trailing", " noqa: SIM115")]
        handle = self.handle_name(_file_key(stmt.filename))
        if self.routine is not None:
            self.routine_handles.add(handle)
        # Closed by a CLOSEFILE elsewhere (another block or routine), so no ``with``.
        return [ast.Assign(targets=[_name(handle, ast.Store())], value=self.open_call(stmt),
                           lineno=0), self.marker("trailing", " noqa: SIM115")]

    def visit_CloseFile(self, stmt: n.CloseFile) -> list[ast.stmt]:
        key = _file_key(stmt.filename)
        if key in self.random_keys and self.files_by_name:
            return super().visit_CloseFile(stmt)  # a RANDOM file among files kept by name
        if self.files_by_name:
            popped = _call(_attr(_name(self.files_by_name), "pop"), self.expr(stmt.filename))
            return [ast.Expr(value=_call(_attr(popped, "close")))]
        return [ast.Expr(value=_call(_attr(self.handle(stmt.filename), "close")))]

    # Random-access files: a shelve (records by key), the address in a variable.
    def address(self, filename: n.Expr) -> str:
        handle = self.handle(filename)
        assert isinstance(handle, ast.Name)
        key = "address of " + _file_key(filename)
        if key not in self.handles:
            stem = handle.id.removesuffix("_file")
            self.handles[key] = self.fresh(stem + "_address" if stem != "file" else "address")
        return self.handles[key]

    def record_slot(self, filename: n.Expr) -> ast.expr:
        """``records[str(address)]``: a shelve's keys are text."""
        return ast.Subscript(value=self.handle(filename),
                             slice=_call("str", _name(self.address(filename))), ctx=ast.Load())

    def visit_Seek(self, stmt: n.Seek) -> list[ast.stmt]:
        if self.files_by_name:
            return super().visit_Seek(stmt)
        name = self.address(stmt.filename)
        if self.routine is not None:
            self.routine_handles.add(name)
        return [ast.Assign(targets=[_name(name, ast.Store())], value=self.expr(stmt.address),
                           lineno=0)]

    def visit_GetRecord(self, stmt: n.GetRecord) -> list[ast.stmt]:
        if self.files_by_name:
            return super().visit_GetRecord(stmt)
        return [ast.Assign(targets=[self.target(stmt.target)],
                           value=self.record_slot(stmt.filename), lineno=0)]

    def visit_PutRecord(self, stmt: n.PutRecord) -> list[ast.stmt]:
        if self.files_by_name:
            return super().visit_PutRecord(stmt)
        return [ast.Assign(targets=[_store(self.record_slot(stmt.filename))],
                           value=self.expr(stmt.value), lineno=0)]

    def visit_ReadFile(self, stmt: n.ReadFile) -> list[ast.stmt]:
        line = _call(_attr(self.handle(stmt.filename), "readline"))
        ptype = stmt.target.ptype or t.STRING
        if ptype in (t.STRING, t.CHAR, t.UNKNOWN) or ptype is t.BOOLEAN or ptype is t.DATE:
            line = _call(_attr(line, "rstrip"), ast.Constant("\n"))
        value = self.convert_text(line, ptype)
        return [ast.Assign(targets=[self.target(stmt.target)], value=value, lineno=0)]

    def visit_WriteFile(self, stmt: n.WriteFile) -> list[ast.stmt]:
        value = self.show(self.expr(stmt.value), stmt.value)
        values = [] if isinstance(value, ast.Constant) and value.value == "" else [value]
        return [ast.Expr(value=_call("print", *values, file=self.handle(stmt.filename)))]


class _WithFile(n.Stmt):
    """OPENFILE, the statements up to its CLOSEFILE, and the CLOSEFILE (a ``with``)."""

    __slots__ = ("open", "body", "close")

    def __init__(self, open_stmt: n.OpenFile, body: list[n.Stmt], close: n.CloseFile, *,
                 span: n.Span, before: list[n.Trivia], trailing: str | None) -> None:
        self.span = span
        self.before = before
        self.trailing = trailing
        self.open = open_stmt
        self.body = body
        self.close = close


def _file_key(filename: n.Expr) -> str:
    if isinstance(filename, n.Literal):
        return '"' + str(filename.value)
    if isinstance(filename, n.Name):
        return filename.name.lower()
    return repr(filename)


def _file_operations(stmt: n.Node) -> list[str]:
    """The keys of every file operation inside ``stmt`` (EOF included)."""
    keys: list[str] = []
    stack: list[n.Node] = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, (n.OpenFile, n.ReadFile, n.WriteFile, n.CloseFile, n.Seek,
                             n.GetRecord, n.PutRecord)):
            keys.append(_file_key(node.filename))
        elif isinstance(node, n.Call) and isinstance(node.target, Builtin) and \
                node.target.name == "EOF" and node.args:
            keys.append(_file_key(node.args[0]))
        stack.extend(n.iter_children(node))
    return keys


def _spans_mix_files(body: list[n.Stmt]) -> bool:
    """Between an OPENFILE and the CLOSEFILE of the same file, another file name is used
    that is not opened there (it may be the same file by another name at run time)."""
    stack: list[list[n.Stmt]] = [body]
    while stack:
        statements = stack.pop()
        for index, stmt in enumerate(statements):
            for name in n.child_fields(type(stmt)):
                value = getattr(stmt, name)
                if isinstance(value, list) and value and isinstance(value[0], n.Stmt):
                    stack.append(value)
                elif isinstance(value, list):
                    stack.extend(item.body for item in value if isinstance(item, n.CaseClause))
                elif isinstance(value, n.CaseClause):
                    stack.append(value.body)
            if not isinstance(stmt, n.OpenFile):
                continue
            key = _file_key(stmt.filename)
            used: set[str] = set()
            opened: set[str] = set()
            for later in statements[index + 1:]:
                if isinstance(later, n.CloseFile) and _file_key(later.filename) == key:
                    break
                if isinstance(later, n.OpenFile):
                    opened.add(_file_key(later.filename))
                used.update(_file_operations(later))
            if used - opened - {key}:
                return True
    return False


def _mentions_close(stmt: n.Stmt, key: str) -> bool:
    """A CLOSEFILE or OPENFILE of ``key`` somewhere inside ``stmt`` (a nested block)."""
    stack: list[n.Node] = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, (n.CloseFile, n.OpenFile)) and _file_key(node.filename) == key:
            return True
        stack.extend(n.iter_children(node))
    return False
