"""StatementChecker: walks the statements, one handler per statement node class.

Each ``visit_<ClassName>`` checks its statement (conditions are BOOLEAN, FOR counts with
numbers, RETURN only in a FUNCTION, file names are STRINGs ...) and has its expressions
checked by the ``ExprChecker``. Routine bodies and methods get their own scope. The
statements that pass 1 has fully dealt with are listed in ``ignored``; any other
statement without a handler raises (tests/engine/test_validator_coverage.py keeps that
from reaching a user: pyflakes's rule, where a silent skip used to be).
"""

from __future__ import annotations

from engine.language import nodes as n
from engine.language.targets import is_assignable
from engine.semantics import types as t
from engine.semantics.constants import NOT_CONST, const_value
from engine.semantics.context import CheckContext
from engine.semantics.declarations import Declarations, assigned_names
from engine.semantics.expressions import ExprChecker
from engine.semantics.hints import call_text, describe_target, with_article
from engine.semantics.namespace import CLASS_SCOPE, GLOBAL_SCOPE, ROUTINE_SCOPE, RoutineInfo
from engine.semantics.program_checks import CaseCoverage, always_returns, unused_locals


class StatementChecker(n.NodeVisitor):
    """Checks the statements of the program that ``ctx`` describes."""

    # Statements with nothing left to check once pass 1 (declarations.py) has run.
    ignored = {
        n.TriviaOnly: "comments and blank lines at the end of a block: nothing to check",
        n.RecordType: "TYPE ... ENDTYPE: its fields were declared and checked in pass 1",
        n.EnumType: "TYPE = (...): its members were declared in pass 1",
        n.PointerType: "TYPE = ^T: its target type was resolved in pass 1",
    }

    def __init__(self, ctx: CheckContext, exprs: ExprChecker, decls: Declarations) -> None:
        self.ctx = ctx
        self.exprs = exprs
        self.decls = decls
        self.report = ctx.report

    def generic_visit(self, node: n.Node) -> None:
        raise TypeError(f"the validator has no check for {type(node).__name__} statements")

    def visit_Declare(self, stmt: n.Declare) -> None:
        if stmt.symbols is None:  # a local declaration (globals were declared in pass 1)
            if self.ctx.routine is None:
                self.decls.declare_variables(stmt, GLOBAL_SCOPE)
            else:
                self.decls.declare_variables(stmt, ROUTINE_SCOPE)

    def visit_ConstantDecl(self, stmt: n.ConstantDecl) -> None:
        if stmt.symbol is None and self.ctx.routine is not None:
            self.decls.declare_constant(stmt, ROUTINE_SCOPE)

    def visit_Assign(self, stmt: n.Assign) -> None:
        value_type = self.exprs.check(stmt.value)
        target_type = self.exprs.target(stmt.target, value_type)
        if target_type is not value_type:  # the same type: nothing to report (even a CHAR)
            self._check_assign(target_type, value_type, stmt.value, stmt.target)

    def _check_assign(self, target_type: t.PType, value_type: t.PType, value: n.Expr,
                      target: n.Expr) -> None:
        if t.assignable(target_type, value_type):
            if target_type is t.CHAR and value_type is t.STRING and isinstance(value, n.Literal) \
                    and len(value.value) > 1:  # "" is a CHAR's default: "no character"
                self.report("E301", "A CHAR holds exactly one character", value.span,
                            hint="Use a STRING variable for longer text.")
            return
        what = describe_target(target)
        hint = "Convert the value first"
        if target_type is t.INTEGER and value_type is t.REAL:
            hint = "Use INT(x) or ROUND(x, 0) to get an INTEGER, or declare the variable REAL"
        elif target_type is t.STRING and t.is_numeric(value_type):
            hint = "Use NUM_TO_STR(x) to turn a number into a STRING"
        elif t.is_numeric(target_type) and t.is_text(value_type):
            hint = "Use STR_TO_NUM(s) to turn a STRING into a number"
        self.report("E301", f"Cannot store a {value_type.describe()} in {what}, which is "
                            f"{with_article(target_type.describe())}", value.span, hint=hint + ".")

    def visit_Input(self, stmt: n.Input) -> None:
        if stmt.prompt is not None:
            self.exprs.check(stmt.prompt)
        for target in stmt.targets:
            if not is_assignable(target):
                self.report("E118", "INPUT needs a variable, an array element or a field",
                            target.span, hint="Write INPUT Name.")
                continue
            target_type = self.exprs.target(target, t.STRING)
            if not t.is_scalar(target_type) or isinstance(target_type, t.EnumType):
                self.report("E312", f"INPUT cannot read a whole {target_type.describe()}",
                            target.span, hint="Read one element or field at a time, for "
                                              "example INPUT A[i].")

    def visit_Output(self, stmt: n.Output) -> None:
        for item in stmt.items:
            item_type = self.exprs.check(item)
            if not t.is_scalar(item_type) and not isinstance(item_type, t.EnumType):
                self.report("E312", f"OUTPUT cannot show a whole {item_type.describe()}",
                            item.span, hint="Output one element or field at a time.")

    def visit_If(self, stmt: n.If) -> None:
        # An ELSEIF chain is an If in the else part of the one before: walked in a loop, so
        # a chain of thousands of branches needs no deep recursion.
        while True:
            self.condition(stmt.condition, "IF")
            self.block(stmt.then_body)
            inner = stmt.else_body[0] if len(stmt.else_body) == 1 else None
            if not (isinstance(inner, n.If) and inner.is_elseif):
                self.block(stmt.else_body)
                return
            stmt = inner

    def visit_While(self, stmt: n.While) -> None:
        self.condition(stmt.condition, "WHILE")
        self.block(stmt.body)

    def visit_Repeat(self, stmt: n.Repeat) -> None:
        self.block(stmt.body)
        self.condition(stmt.condition, "UNTIL")

    def condition(self, expr: n.Expr, where: str) -> None:
        ctype = self.exprs.check(expr)
        if ctype is not t.BOOLEAN and ctype is not t.UNKNOWN:
            self.report("E304", f"The condition of {where} must be TRUE or FALSE, but this is "
                                f"{with_article(ctype.describe())}", expr.span,
                        hint="Compare the value with something, as in X > 0 or Name = \"\".")

    def main_program(self, body: list[n.Stmt]) -> None:
        """Step 4 for the main program's statements (RETURN there is E403, not W403)."""
        handlers = self._handlers
        for stmt in body:
            cls = stmt.__class__  # NodeVisitor.visit inlined, as in block
            (handlers.get(cls) or self.handler_for(cls))(self, stmt)

    def block(self, body: list[n.Stmt]) -> None:
        returned: n.Stmt | None = None
        handlers = self._handlers
        for stmt in body:
            if returned is not None and not isinstance(stmt, n.TriviaOnly):
                self.report("W403", "This line never runs: it follows a RETURN", stmt.span,
                            hint="Remove it, or move it before the RETURN.")
                returned = None
            # NodeVisitor.visit inlined: this loop runs for every statement of the program.
            cls = stmt.__class__
            (handlers.get(cls) or self.handler_for(cls))(self, stmt)
            if isinstance(stmt, n.Return):
                returned = stmt

    def visit_Case(self, stmt: n.Case) -> None:
        subject_type = self.exprs.check(stmt.subject)
        covered = CaseCoverage()
        for clause in stmt.clauses:
            for value in clause.values:
                if isinstance(value, n.CaseRange):
                    low_t, high_t = self.exprs.check(value.low), self.exprs.check(value.high)
                    self._case_type(subject_type, low_t, value.low)
                    self._case_type(subject_type, high_t, value.high)
                    low = const_value(self.ctx.ns, value.low)
                    high = const_value(self.ctx.ns, value.high)
                else:
                    self._case_type(subject_type, self.exprs.check(value), value)
                    low = high = const_value(self.ctx.ns, value)
                if low is NOT_CONST or high is NOT_CONST:
                    continue
                if covered.contains(low, high):
                    self.report("I401", "This CASE value is already matched by an earlier "
                                        "clause, so this clause is never chosen", value.span,
                                hint="The first matching clause runs; remove this one or "
                                     "change its value.")
                covered.add(low, high)
            self.block(clause.body)
        if stmt.otherwise is not None:
            self.block(stmt.otherwise.body)

    def _case_type(self, subject: t.PType, value: t.PType, expr: n.Expr) -> None:
        if not t.comparable(subject, value):
            self.report("E405", f"This CASE value is {with_article(value.describe())}, but CASE OF "
                                f"compares {with_article(subject.describe())}", expr.span,
                        hint="Use values of the same type as the CASE OF expression.")

    def visit_For(self, stmt: n.For) -> None:
        start_t = self.exprs.check(stmt.start)
        end_t = self.exprs.check(stmt.end)
        step_t = self.exprs.check(stmt.step) if stmt.step is not None else t.INTEGER
        var_t = self.exprs.target(stmt.variable, t.INTEGER, loop=True)
        symbol = stmt.variable.symbol
        if not t.is_numeric(var_t):
            self.report("E402", f"The FOR variable {stmt.variable.name} is "
                                f"{with_article(var_t.describe())}; it must be a number",
                        stmt.variable.span, hint="Declare the loop variable as INTEGER.")
        else:
            for expr, etype in ((stmt.start, start_t), (stmt.end, end_t), (stmt.step, step_t)):
                if expr is None:
                    continue
                if not t.is_numeric(etype):
                    self.report("E302", f"FOR needs numbers, but this is "
                                        f"{with_article(etype.describe())}", expr.span,
                                hint="Use numbers for the start, the end and the STEP.")
                elif var_t is t.INTEGER and etype is t.REAL:
                    self.report("E301", f"The INTEGER loop variable {stmt.variable.name} cannot "
                                        "count with a REAL", expr.span,
                                hint="Use whole numbers, or declare the loop variable REAL.")
        if stmt.step is not None:
            step = const_value(self.ctx.ns, stmt.step)
            if step is not NOT_CONST and step == 0 and not isinstance(step, str):
                self.report("E401", "A STEP of 0 never reaches the end: the loop would run "
                                    "for ever", stmt.step.span,
                            hint="Use a positive STEP to count up or a negative one to count "
                                 "down.")
                # Report on the FOR line as well (the step is on it anyway).
        if symbol is not None:
            self.ctx.loop_vars.append(symbol)
        try:
            self.block(stmt.body)
        finally:
            if symbol is not None:
                self.ctx.loop_vars.pop()

    def visit_Procedure(self, stmt: n.Procedure) -> None:
        self._routine_body(stmt)

    def visit_Function(self, stmt: n.Function) -> None:
        self._routine_body(stmt)
        if stmt.info is not None and not always_returns(stmt.body):
            self.report("W401", f"FUNCTION {stmt.name.name} can reach ENDFUNCTION without "
                                "RETURN", stmt.name.span,
                        hint="Make sure every path ends with RETURN value.")

    def _routine_body(self, stmt: n.Procedure | n.Function) -> None:
        info: RoutineInfo | None = stmt.info
        if info is None:  # a routine inside a block (already reported): check it anyway
            info = self.decls.routine_info(stmt)
            stmt.info = info
        ctx = self.ctx
        outer = (ctx.routine, ctx.implicit_here, ctx.loop_vars, ctx.routine_locals,
                 ctx.globals_seen)
        ctx.routine, ctx.loop_vars, ctx.routine_locals = info, [], []
        ctx.globals_seen = set()
        implicit = ctx.routine_assigned.get(id(stmt))  # found by pass 1's outline
        ctx.implicit_here = implicit if implicit is not None else assigned_names(stmt.body)
        ns = ctx.ns
        ns.push_scope(ROUTINE_SCOPE)
        try:
            for param in info.params:
                if ns.declare(param) is None:
                    ctx.symbols.append(param)
            self.block(stmt.body)
            unused_locals(ctx, ctx.routine_locals, stmt.span)
        finally:
            ns.pop_scope()
            (ctx.routine, ctx.implicit_here, ctx.loop_vars, ctx.routine_locals,
             ctx.globals_seen) = outer

    def visit_ClassDef(self, stmt: n.ClassDef) -> None:
        ctype: t.ClassType | None = stmt.type_obj
        if ctype is None:
            return
        outer = self.ctx.current_class
        self.ctx.current_class = ctype
        try:
            with self.ctx.ns.enter_scope(CLASS_SCOPE, self.ctx.class_scopes.get(id(ctype), {})):
                for member in stmt.members:
                    if isinstance(member, (n.Procedure, n.Function)):
                        self.visit(member)
        finally:
            self.ctx.current_class = outer

    def visit_CallStmt(self, stmt: n.CallStmt) -> None:
        call = stmt.call
        self.exprs.call(call, statement=True, uses_call=stmt.uses_call_keyword)
        super_call = isinstance(call.func, n.FieldAccess) and isinstance(call.func.base,
                                                                          n.SuperRef)
        info = call.target
        if not stmt.uses_call_keyword and not super_call and isinstance(info, RoutineInfo) \
                and not info.is_function:
            self.report("W107", "A PROCEDURE is run with CALL", call.span,
                        hint=f"Write CALL {call_text(call)}.")

    def visit_Return(self, stmt: n.Return) -> None:
        info = self.ctx.routine
        if info is None or not info.is_function:
            where = "a PROCEDURE" if info is not None else "the main program"
            self.report("E403", f"RETURN is only used inside a FUNCTION, not in {where}",
                        stmt.span, hint="A PROCEDURE ends at ENDPROCEDURE; to give back a "
                                        "value, make it a FUNCTION ... RETURNS type, or use a "
                                        "BYREF parameter.")
            if stmt.value is not None:
                self.exprs.check(stmt.value)
            return
        if stmt.value is None:
            self.report("E404", "RETURN in a FUNCTION needs a value", stmt.span,
                        hint="Write RETURN value.")
            return
        value_type = self.exprs.check(stmt.value)
        returns = info.returns or t.UNKNOWN
        if not t.assignable(returns, value_type):
            self.report("E301", f"FUNCTION {info.name} RETURNS "
                                f"{with_article(returns.describe())}, but this value is "
                                f"{with_article(value_type.describe())}", stmt.value.span,
                        hint="Return a value of the type named after RETURNS.")

    def visit_OpenFile(self, stmt: n.OpenFile) -> None:
        self._filename(stmt.filename)

    def visit_CloseFile(self, stmt: n.CloseFile) -> None:
        self._filename(stmt.filename)

    def visit_ReadFile(self, stmt: n.ReadFile) -> None:
        self._filename(stmt.filename)
        if not is_assignable(stmt.target):
            self.report("E118", "READFILE needs a variable to read into", stmt.target.span,
                        hint="Write READFILE \"name.txt\", Variable.")
            return
        target_type = self.exprs.target(stmt.target, t.STRING)
        if not t.is_scalar(target_type) or isinstance(target_type, t.EnumType):
            self.report("E312", f"READFILE cannot read a whole {target_type.describe()}",
                        stmt.target.span, hint="Read into a STRING, a number or a BOOLEAN.")

    def visit_WriteFile(self, stmt: n.WriteFile) -> None:
        self._filename(stmt.filename)
        value_type = self.exprs.check(stmt.value)
        if not t.is_scalar(value_type) and not isinstance(value_type, t.EnumType):
            self.report("E312", f"WRITEFILE cannot write a whole {value_type.describe()}",
                        stmt.value.span, hint="Write one value a line.")

    def visit_Seek(self, stmt: n.Seek) -> None:
        self._filename(stmt.filename)
        address_type = self.exprs.check(stmt.address)
        if address_type not in (t.INTEGER, t.NUMBER, t.UNKNOWN):
            self.report("E305", f"SEEK needs an INTEGER address, but this is "
                                f"{with_article(address_type.describe())}", stmt.address.span,
                        hint="The address is the number of the record: 0, 1, 2 ...")

    def visit_GetRecord(self, stmt: n.GetRecord) -> None:
        self._filename(stmt.filename)
        if not is_assignable(stmt.target):
            self.report("E118", "GETRECORD needs a variable to read the record into",
                        stmt.target.span, hint="Write GETRECORD \"name.dat\", Variable.")
            return
        self._storable(self.exprs.target(stmt.target, t.UNKNOWN), stmt.target, "GETRECORD")

    def visit_PutRecord(self, stmt: n.PutRecord) -> None:
        self._filename(stmt.filename)
        self._storable(self.exprs.check(stmt.value), stmt.value, "PUTRECORD")

    def _storable(self, value_type: t.PType, expr: n.Expr, what: str) -> None:
        """Records, arrays and plain values go to a file; objects and pointers cannot."""
        if isinstance(value_type, (t.ClassType, t.PointerType)):
            self.report("E312", f"{what} cannot store {with_article(value_type.describe())} "
                                "in a file", expr.span,
                        hint="Store a record (TYPE ... ENDTYPE) or a plain value.")

    def _filename(self, expr: n.Expr) -> None:
        ftype = self.exprs.check(expr)
        if not t.is_text(ftype):
            self.report("E406", "A file name is a STRING, but this is "
                                f"{with_article(ftype.describe())}", expr.span,
                        hint='Write the name in quotes, as in "data.txt", or use a STRING '
                             "variable.")

