"""Statements -> Python: assignment, INPUT, OUTPUT, the control flow and files
(LANGUAGE.md sections 4, 5, 9).

A statement may need lines before it (a call lifted out of its expression, an index
kept in a variable): those go to ``self.prelude``, which ``Generator.statement`` puts
in front of what the handler returns.
"""

from __future__ import annotations

import ast

from engine.codegen import bounds
from engine.codegen.base import GeneratorBase
from engine.codegen.pyast import LOAD, STORE, _call, _const, _name, _plus, _store
from engine.language import nodes as n
from engine.semantics import types as t
from engine.semantics.namespace import (
    CONSTANT_KIND,
)

# An IF/ELSEIF chain or a CASE with more branches than this is a flat ``match`` (Python
# cannot compile thousands of nested ``elif``).
LONG_CHAIN = 400
# Shared operator nodes (fieldless; nothing changes one in place), as for expressions.
_LTE, _EQ, _OR = ast.LtE(), ast.Eq(), ast.Or()


class StatementGenerator(GeneratorBase):
    # ------------------------------------------------------------ simple statements
    def visit_Assign(self, stmt: n.Assign) -> list[ast.stmt]:
        target_type = stmt.target.ptype or t.UNKNOWN
        value = self.coerce(self.expr(stmt.value), stmt.value, target_type, copy=True)
        target = self.target(stmt.target)
        return [ast.Assign([target], value, lineno=0)]  # positional: the commonest statement

    def visit_Input(self, stmt: n.Input) -> list[ast.stmt]:
        self.may_fail = True
        out: list[ast.stmt] = []
        prompt = [self.expr(stmt.prompt)] if stmt.prompt is not None else []
        for target in stmt.targets:
            read = _call("input", *prompt)
            prompt = []
            out.append(ast.Assign(targets=[self.target(target)],
                                  value=self.convert_text(read, target.ptype or t.STRING),
                                  lineno=0))
        return out

    def convert_text(self, text: ast.expr, ptype: t.PType) -> ast.expr:
        """A line of text converted as INPUT and READFILE convert it."""
        converters = {t.INTEGER: "_to_integer", t.REAL: "_to_real", t.BOOLEAN: "_to_boolean",
                      t.DATE: "_to_date"}
        if ptype in converters:
            if ptype is t.DATE:
                self.use_import("import datetime")
            return _call(self.helper(converters[ptype]), text)  # type: ignore[index]
        if ptype is t.CHAR:
            return ast.Subscript(value=text, slice=ast.Slice(upper=ast.Constant(1)),
                                 ctx=ast.Load())
        return text

    def visit_Output(self, stmt: n.Output) -> list[ast.stmt]:
        items = [self.show(self.expr(item), item) for item in stmt.items]
        if len(stmt.items) == 1 and isinstance(stmt.items[0], n.Literal) and \
                stmt.items[0].value == "":
            items = []  # OUTPUT "" is an empty line
        keywords = [ast.keyword("sep", ast.Constant(""))] if len(items) > 1 else []
        return [ast.Expr(ast.Call(ast.Name("print", LOAD), items, keywords))]

    # ------------------------------------------------------------ control flow
    def visit_If(self, stmt: n.If) -> list[ast.stmt]:
        """IF ... ELSEIF ... ELSE: an ``if``/``elif`` chain, built without recursion (a chain
        may have thousands of branches); a very long one is a flat ``match``."""
        if not stmt.else_body:  # no ELSE, no ELSEIF: the chain is this one branch
            test = self.condition(stmt.condition)
            return [ast.If(test, self.block(stmt.then_body, self.header_trailing(stmt)), [])]
        chain = [stmt]
        while True:
            last = chain[-1]
            first = last.else_body[0] if last.else_body else None
            if len(last.else_body) == 1 and isinstance(first, n.If) and first.is_elseif and \
                    not last.else_trailing:
                chain.append(first)
            else:
                break
        if len(chain) > LONG_CHAIN:
            return self.long_if_chain(chain)
        parts: list[tuple[n.If, list[ast.stmt], ast.expr, list[ast.stmt]]] = []
        for index, branch in enumerate(chain):
            saved = self.prelude
            lead: list[ast.stmt] = []
            if index:
                self.prelude = []
                self.line = branch.span.line
                lead = self.trivia(branch.before)
            test = self.condition(branch.condition)
            body = self.block(branch.then_body, self.header_trailing(branch))
            if index:
                lead = self.prelude + lead
                self.prelude = saved
            parts.append((branch, lead, test, body))
        orelse = self.final_else(chain[-1])
        for branch, lead, test, body in reversed(parts):
            node = ast.If(test=test, body=body, orelse=orelse)
            if branch is stmt:
                return [node]
            orelse = self.mark(lead + [node], branch.span.line)
        raise AssertionError("unreachable")

    def final_else(self, stmt: n.If) -> list[ast.stmt]:
        """The ELSE part of the last branch of a chain (empty when there is none)."""
        if not stmt.else_body:
            return []
        head: list[ast.stmt] = []
        if stmt.else_trailing:
            self.line = stmt.else_span.line if stmt.else_span else stmt.span.line
            head.append(self.marker("trailing", stmt.else_trailing))
        return self.block(stmt.else_body, head)

    def long_if_chain(self, chain: list[n.If]) -> list[ast.stmt]:
        """``match True:`` with one guarded case per branch: flat, so Python compiles it
        whatever its length (thousands of nested ``elif`` do not compile)."""
        cases: list[ast.match_case] = []
        for index, branch in enumerate(chain):
            self.line = branch.span.line
            lead = self.trivia(branch.before) if index else []
            self.conditional += 1  # a guard may not run: calls in it stay in place
            try:
                test = self.condition(branch.condition)
            finally:
                self.conditional -= 1
            body = self.block(branch.then_body, lead + self.header_trailing(branch))
            cases.append(self.match_case(ast.MatchAs(), test, body, branch.span.line))
        last = chain[-1]
        if last.else_body:
            line = last.else_span.line if last.else_span else last.span.line
            cases.append(self.match_case(ast.MatchAs(), None, self.final_else(last), line))
        return [ast.Match(subject=ast.Constant(True), cases=cases)]

    def match_case(self, pattern: ast.pattern, guard: ast.expr | None, body: list[ast.stmt],
                   line: int) -> ast.match_case:
        case = ast.match_case(pattern=pattern, guard=guard, body=body)
        self.lines[id(case)] = line
        self.kept.append(case)
        return case

    def condition(self, expr: n.Expr) -> ast.expr:
        return self.expr(expr)

    def visit_While(self, stmt: n.While) -> list[ast.stmt]:
        self.runs_long = True
        saved = self.prelude
        self.prelude = []
        test = self.condition(stmt.condition)
        hoisted, self.prelude = self.prelude, saved
        head = self.header_trailing(stmt)
        if hoisted:
            exit_test = ast.If(test=ast.UnaryOp(op=ast.Not(), operand=test),
                               body=[ast.Break()], orelse=[])
            self.mark([*hoisted, exit_test], stmt.span.line)
            body = self.block(stmt.body, head + hoisted + [exit_test])
            return [ast.While(ast.Constant(True), body, [])]
        return [ast.While(test, self.block(stmt.body, head), [])]

    def visit_Repeat(self, stmt: n.Repeat) -> list[ast.stmt]:
        self.runs_long = True
        head = self.header_trailing(stmt)
        line = stmt.until_span.line if stmt.until_span else stmt.span.line
        body_stmts = list(stmt.body)
        inner = self.block(body_stmts, head)
        self.line = line
        saved = self.prelude
        self.prelude = []
        test = self.condition(stmt.condition)
        exit_test = ast.If(test=test, body=[ast.Break()], orelse=[])
        tail = self.prelude + [exit_test]
        self.prelude = saved
        self.mark(tail, line)
        inner = [s for s in inner if not isinstance(s, ast.Pass)] + tail
        return [ast.While(ast.Constant(True), inner, [])]

    def visit_For(self, stmt: n.For) -> list[ast.stmt]:
        self.runs_long = True
        var_type = stmt.variable.ptype or t.INTEGER
        start = self.expr(stmt.start)
        end = self.expr(stmt.end)
        types = [var_type, stmt.start.ptype, stmt.end.ptype]
        if stmt.step is not None:
            types.append(stmt.step.ptype)
        step_value = _literal_int(stmt.step) if stmt.step is not None else 1
        integral = True
        for x in types:
            if x is not t.INTEGER and x is not None:
                integral = False
        if integral and step_value is not None and step_value != 0:
            if step_value > 0:
                args = [start, _plus(end, stmt.end, 1)]
            else:
                args = [start, _plus(end, stmt.end, -1)]
            if step_value != 1:
                args.append(_const(step_value))
            elif isinstance(stmt.start, n.Literal) and stmt.start.value == 0:
                args = args[1:]  # range(0, n) is range(n)
            iterator: ast.expr = _call("range", *args)
            if bounds.loop_variable_is_kept(stmt, self.facts):
                return self.for_with_range(stmt, iterator, step_value)
        else:
            self.may_fail = True
            args = [start, end]
            if stmt.step is not None:
                args.append(self.expr(stmt.step))
            if var_type is t.REAL:
                args = [self.coerce(a, e, t.REAL) for a, e in zip(
                    args, [stmt.start, stmt.end, stmt.step], strict=False) if e is not None]
            iterator = _call(self.helper("_count"), *args)
        target = self.target(stmt.variable)
        body = self.block(stmt.body, self.header_trailing(stmt))
        return [ast.For(target, iterator, body, [])]

    def for_with_range(self, stmt: n.For, iterator: ast.expr, step: int) -> list[ast.stmt]:
        """A FOR loop whose variable nothing in the body changes: inside the body its
        value is known to lie between the start and the end (array checks may go)."""
        key = id(stmt.variable.symbol)
        values = bounds.for_interval(stmt, step, self.ranges)
        outer = self.ranges.get(key)
        self.ranges[key] = values
        try:
            target = self.target(stmt.variable)
            body = self.block(stmt.body, self.header_trailing(stmt))
        finally:
            if outer is None:
                self.ranges.pop(key, None)
            else:
                self.ranges[key] = outer
        return [ast.For(target, iterator, body, [])]

    def visit_Case(self, stmt: n.Case) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        subject = self.expr(stmt.subject)
        if not isinstance(stmt.subject, (n.Name, n.Literal)):
            name = self.temp("selector")
            out.append(ast.Assign([ast.Name(name, STORE)], subject, lineno=0))
            subject = _name(name)
        chain: list[tuple[ast.expr, list[ast.stmt]]] = []
        first = True
        for clause in stmt.clauses:
            tests: list[ast.expr] = []
            for value in clause.values:
                if value.__class__ is n.CaseRange:
                    low = self.expr(value.low)  # type: ignore[attr-defined]
                    tests.append(ast.Compare(low, [_LTE, _LTE], [
                        subject, self.expr(value.high)]))  # type: ignore[attr-defined]
                else:
                    tests.append(ast.Compare(subject, [_EQ], [self.expr(value)]))
            test = tests[0] if len(tests) == 1 else ast.BoolOp(_OR, tests)
            head = self.header_trailing(stmt) if first else []
            first = False
            self.line = clause.span.line
            if clause.before:
                head += self.trivia(clause.before)
            if clause.trailing:
                head.append(self.marker("trailing", clause.trailing))
            body = self.block(clause.body, head)
            self.lines[id(test)] = clause.span.line
            self.kept.append(test)
            chain.append((test, body))
        orelse: list[ast.stmt] = []
        if stmt.otherwise is not None:
            self.line = stmt.otherwise.span.line
            head = self.trivia(stmt.otherwise.before)
            if stmt.otherwise.trailing:
                head.append(self.marker("trailing", stmt.otherwise.trailing))
            orelse = self.block(stmt.otherwise.body, head)
            if not chain:
                return out + orelse
        if not chain:
            return out
        if len(chain) > LONG_CHAIN:
            # Flat, so it compiles whatever the number of clauses (one case per clause).
            cases = [self.match_case(ast.MatchAs(), test, body, self.lines.get(
                id(test), stmt.span.line)) for test, body in chain]
            if stmt.otherwise is not None:
                cases.append(self.match_case(ast.MatchAs(), None, orelse,
                                             stmt.otherwise.span.line))
            return out + [ast.Match(subject=subject, cases=cases)]
        node: list[ast.stmt] = orelse
        for test, body in reversed(chain):
            if_node = ast.If(test, body, node)
            self.lines[id(if_node)] = self.lines.get(id(test), stmt.span.line)
            self.kept.append(if_node)
            node = [if_node]
        return out + node

    # ------------------------------------------------------------ files
    def visit_OpenFile(self, stmt: n.OpenFile) -> list[ast.stmt]:
        self.may_fail = True
        if stmt.mode == "RANDOM":
            return [ast.Expr(value=_call(self.helper("_open_random_file"),
                                         self.expr(stmt.filename)))]
        return [ast.Expr(value=_call(self.helper("_openfile"), self.expr(stmt.filename),
                                     ast.Constant(stmt.mode)))]

    def visit_Seek(self, stmt: n.Seek) -> list[ast.stmt]:
        self.may_fail = True
        return [ast.Expr(value=_call(self.helper("_seek"), self.expr(stmt.filename),
                                     self.expr(stmt.address)))]

    def visit_GetRecord(self, stmt: n.GetRecord) -> list[ast.stmt]:
        self.may_fail = True
        value = _call(self.helper("_getrecord"), self.expr(stmt.filename))
        return [ast.Assign(targets=[self.target(stmt.target)], value=value, lineno=0)]

    def visit_PutRecord(self, stmt: n.PutRecord) -> list[ast.stmt]:
        self.may_fail = True
        return [ast.Expr(value=_call(self.helper("_putrecord"), self.expr(stmt.filename),
                                     self.expr(stmt.value)))]

    def visit_CloseFile(self, stmt: n.CloseFile) -> list[ast.stmt]:
        self.may_fail = True
        return [ast.Expr(value=_call(self.helper("_closefile"), self.expr(stmt.filename)))]

    def visit_ReadFile(self, stmt: n.ReadFile) -> list[ast.stmt]:
        self.may_fail = True
        line = _call(self.helper("_readfile"), self.expr(stmt.filename))
        value = self.convert_text(line, stmt.target.ptype or t.STRING)
        return [ast.Assign(targets=[self.target(stmt.target)], value=value, lineno=0)]

    def visit_WriteFile(self, stmt: n.WriteFile) -> list[ast.stmt]:
        self.may_fail = True
        value = self.show(self.expr(stmt.value), stmt.value)
        return [ast.Expr(value=_call(self.helper("_writefile"), self.expr(stmt.filename),
                                     value))]

    # ------------------------------------------------------------ targets
    def target(self, expr: n.Expr) -> ast.expr:
        if expr.__class__ is n.Name:
            return self.store_name(expr)  # type: ignore[arg-type]
        return _store(self.expr(expr))


def _literal_int(expr: n.Expr | None) -> int | None:
    if isinstance(expr, n.Literal) and expr.kind == "INTEGER":
        return int(expr.value)
    if isinstance(expr, n.UnaryOp) and expr.op == "-":
        inner = _literal_int(expr.operand)
        return -inner if inner is not None else None
    if isinstance(expr, n.Name) and expr.symbol is not None and \
            expr.symbol.kind is CONSTANT_KIND and isinstance(expr.symbol.value, int) and \
            not isinstance(expr.symbol.value, bool):
        return expr.symbol.value
    return None
