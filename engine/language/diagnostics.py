"""Diagnostics: one plain data type for every problem the engine reports.

Every diagnostic has a stable code from :data:`CODES` (the registry that
``docs/diagnostics.md`` is generated from and that the tests walk, so a code
without an example or an example that does not trigger its code fails CI).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem at a place in the pseudocode (lines and columns are 1-based)."""

    code: str
    severity: Severity
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    hint: str = ""

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data

    def format(self, filename: str = "") -> str:
        where = f"{filename}:" if filename else "line "
        text = f"{where}{self.line}:{self.column}: {self.severity} {self.code}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """What a diagnostic code means, with a pseudocode example that triggers it."""

    code: str
    severity: Severity
    title: str
    example: str
    strict_severity: Severity | None = None


def _info(code: str, title: str, example: str, strict: Severity | None = None) -> CodeInfo:
    severity = {"E": Severity.ERROR, "W": Severity.WARNING, "I": Severity.INFO}[code[0]]
    example = example.strip("\n") + "\n" if example else ""
    return CodeInfo(code, severity, title, example, strict)


# The registry. Codes are stable: never renumber, only add.
CODES: dict[str, CodeInfo] = {
    info.code: info
    for info in [
        # --- lexical and syntax (E1xx, W1xx) ---
        _info("E101", "Character that is not part of the language", "OUTPUT 5 $ 3"),
        _info("E102", "String or character literal not closed on its line", 'OUTPUT "Hello'),
        _info("E103", "Character literal that is empty or longer than one character",
              "DECLARE C : CHAR\nC <- 'ab'"),
        _info("E104", "Malformed number", "OUTPUT 3."),
        _info("E105", "Operator from another programming language",
              "DECLARE X : INTEGER\nX <- 1\nIF X == 1 THEN\n    OUTPUT X\nENDIF"),
        _info("E106", "DATE literal that is no real date", "DECLARE D : DATE\nD <- 31/02/2024"),
        _info("E110", "Unexpected word or symbol", "OUTPUT 1 2"),
        _info("E111", "Block never closed (missing END keyword)",
              "IF TRUE THEN\n    OUTPUT 1"),
        _info("E112", "END keyword with no block to close", 'OUTPUT "a"\nENDWHILE'),
        _info("E113", "Statement expected but something else found", "THEN"),
        _info("E114", "Expression expected", "DECLARE X : INTEGER\nX <- "),
        _info("E115", "NEXT names a different variable from its FOR",
              "DECLARE I, J : INTEGER\nFOR I <- 1 TO 3\nNEXT J"),
        _info("E116", "Nesting too deep", "OUTPUT " + "(" * 300 + "1" + ")" * 300),
        _info("E117", "Statement not allowed here",
              "PROCEDURE A\n    PROCEDURE B\n    ENDPROCEDURE\nENDPROCEDURE"),
        _info("E118", "Cannot assign to this", "5 <- 3"),
        _info("E119", "A keyword used as a name", "DECLARE OUTPUT : INTEGER"),
        _info("E120", "Misspelt keyword at the start of a statement",
              "DECLARE Count : INTEGER\nCount <- 1\nOUPTUT Count"),
        _info("E150", "Language feature not supported", "TYPE Letters = SET OF CHAR"),
        _info("E152", "Program too large to translate", ""),
        _info("W101", "Keyword not in upper case", "output 5"),
        _info("W102", "'=' used for assignment", "DECLARE X : INTEGER\nX = 5"),
        _info("W103", "PRINT used instead of OUTPUT", "PRINT 5"),
        _info("W104", "Typographic symbol replaced by its ASCII form",
              "OUTPUT \u201cHello\u201d"),
        _info("W106", "END keyword written as two words",
              "DECLARE X : INTEGER\nX <- 1\nIF X = 1 THEN\n    OUTPUT X\nEND IF"),
        _info("W107", "PROCEDURE run without CALL",
              "PROCEDURE Greet\n    OUTPUT \"Hi\"\nENDPROCEDURE\nGreet()"),
        _info("W105", "Identifier spelled with different capitals",
              "DECLARE Total : INTEGER\nTOTAL <- 1\nOUTPUT Total"),
        # --- names, declarations (E2xx) ---
        _info("E201", "Name used but never declared or given a value", "OUTPUT Missing"),
        _info("E202", "Name declared twice in the same scope",
              "DECLARE X : INTEGER\nDECLARE X : REAL"),
        _info("E203", "Assignment to a constant", "CONSTANT Max = 10\nMax <- 20"),
        _info("E204", "Unknown type", "DECLARE X : Number"),
        _info("E205", "Retired: names of built-in functions are ordinary names now "
              "(DECLARE Length : INTEGER is fine)", ""),
        _info("E206", "Name used as the wrong kind of thing",
              "DECLARE X : INTEGER\nCALL X"),
        _info("E207", "Array bound is not a constant integer, or lower bound above upper",
              "DECLARE N : INTEGER\nDECLARE A : ARRAY[1:N] OF INTEGER"),
        _info("E208", "Constant value is not a constant expression",
              "DECLARE N : INTEGER\nCONSTANT Max = N + 1"),
        _info("E209", "Pointer to a local variable", "TYPE IntPtr = ^INTEGER\n"
              "PROCEDURE P\n    DECLARE X : INTEGER\n    DECLARE Q : IntPtr\n"
              "    X <- 1\n    Q <- @X\nENDPROCEDURE"),
        _info("W210", "Variable used without DECLARE (an error in strict mode)",
              "Total <- 5\nOUTPUT Total", strict=Severity.ERROR),
        _info("W211", "Variable read before it is given a value",
              "DECLARE X : INTEGER\nOUTPUT X"),
        _info("W212", "Declared but never used",
              "PROCEDURE P\n    DECLARE Unused : INTEGER\n    OUTPUT 1\nENDPROCEDURE\nCALL P"),
        # --- types and operators (E3xx) ---
        _info("E301", "Value of the wrong type for this variable",
              'DECLARE X : INTEGER\nX <- "ten"'),
        _info("W301", "Number, BOOLEAN or DATE joined with & (an error in strict mode)",
              'DECLARE Count : INTEGER\nCount <- 3\nOUTPUT "Items: " & Count',
              strict=Severity.ERROR),
        _info("E302", "Operator used with values of the wrong type",
              'DECLARE S : STRING\nS <- "Total: " + 3'),
        _info("E303", "Comparison of values of different types", 'OUTPUT 5 = "5"'),
        _info("E304", "Condition is not a BOOLEAN", "DECLARE X : INTEGER\nX <- 1\n"
              "IF X THEN\n    OUTPUT X\nENDIF"),
        _info("E305", "Argument of the wrong type",
              "OUTPUT LENGTH(42)"),
        _info("E306", "Indexing something that is not an array, or with the wrong "
              "number of indices", "DECLARE X : INTEGER\nX <- 1\nOUTPUT X[1]"),
        _info("E307", "Constant index outside the array's bounds",
              "DECLARE A : ARRAY[1:3] OF INTEGER\nOUTPUT A[4]"),
        _info("E308", "Field or member that does not exist",
              "TYPE P\n    DECLARE X : INTEGER\nENDTYPE\nDECLARE Q : P\nOUTPUT Q.Y"),
        _info("E309", "PRIVATE member used outside its class",
              "CLASS A\n    PRIVATE V : INTEGER\n    PUBLIC PROCEDURE NEW()\n"
              "        V <- 1\n    ENDPROCEDURE\nENDCLASS\nDECLARE O : A\n"
              "O <- NEW A()\nOUTPUT O.V"),
        _info("E310", "Dereference of something that is not a pointer",
              "DECLARE X : INTEGER\nX <- 1\nOUTPUT X^"),
        _info("E311", "Array index is not an INTEGER",
              "DECLARE A : ARRAY[1:3] OF INTEGER\nOUTPUT A[1.5]"),
        _info("E312", "Whole array or record where a single value is needed",
              "DECLARE A : ARRAY[1:3] OF INTEGER\nINPUT A"),
        # --- statements and control flow (E4xx, W4xx) ---
        _info("E401", "FOR with a STEP of zero", "DECLARE K : INTEGER\n"
              "FOR K <- 1 TO 10 STEP 0\n    OUTPUT K\nNEXT K"),
        _info("E402", "FOR loop variable is not a number",
              'DECLARE S : STRING\nFOR S <- 1 TO 3\n    OUTPUT S\nNEXT S'),
        _info("E403", "RETURN outside a FUNCTION",
              "PROCEDURE P\n    RETURN 1\nENDPROCEDURE"),
        _info("E404", "RETURN without a value in a FUNCTION",
              "FUNCTION F RETURNS INTEGER\n    RETURN\nENDFUNCTION\nOUTPUT F()"),
        _info("E405", "CASE clause value of the wrong type",
              'DECLARE X : INTEGER\nX <- 1\nCASE OF X\n    "a" : OUTPUT 1\nENDCASE'),
        _info("E406", "File operation with a name that is not a STRING",
              "OPENFILE 42 FOR READ"),
        _info("W401", "FUNCTION can end without RETURN",
              "FUNCTION F(X : INTEGER) RETURNS INTEGER\n    IF X > 0 THEN\n"
              "        RETURN 1\n    ENDIF\nENDFUNCTION\nOUTPUT F(1)"),
        _info("W402", "FOR loop variable changed inside its loop",
              "DECLARE I : INTEGER\nFOR I <- 1 TO 3\n    I <- 5\nNEXT I"),
        _info("W403", "Code after RETURN never runs",
              "FUNCTION F RETURNS INTEGER\n    RETURN 1\n    OUTPUT 2\nENDFUNCTION\nOUTPUT F()"),
        _info("I401", "CASE clause that can never be chosen",
              "DECLARE X : INTEGER\nX <- 3\nCASE OF X\n    1 TO 5 : OUTPUT 1\n"
              "    3 : OUTPUT 2\nENDCASE"),
        # --- procedures, functions, classes (E5xx) ---
        _info("E501", "Unknown procedure or function", "CALL Missing()"),
        _info("E502", "Wrong number of arguments",
              "PROCEDURE P(X : INTEGER)\n    OUTPUT X\nENDPROCEDURE\nCALL P(1, 2)"),
        _info("E503", "CALL used with a FUNCTION",
              "FUNCTION F RETURNS INTEGER\n    RETURN 1\nENDFUNCTION\nCALL F()"),
        _info("E504", "PROCEDURE used as a value",
              "PROCEDURE P\n    OUTPUT 1\nENDPROCEDURE\nOUTPUT P()"),
        _info("E505", "BYREF argument is not a variable, array element or field",
              "PROCEDURE P(BYREF X : INTEGER)\n    X <- 1\nENDPROCEDURE\nCALL P(5)"),
        _info("E506", "FUNCTION result used as a statement without CALL",
              "FUNCTION F RETURNS INTEGER\n    RETURN 1\nENDFUNCTION\nF()"),
        _info("E507", "Unknown class, or a class that cannot be used here",
              "DECLARE X : INTEGER\nX <- NEW Missing()"),
        _info("E508", "SUPER used outside a method of a class that INHERITS",
              "PROCEDURE P\n    SUPER.NEW()\nENDPROCEDURE"),
        _info("E509", "Class inherits from an unknown class or from itself",
              "CLASS A INHERITS A\nENDCLASS"),
        _info("E510", "Name defined twice (procedure, function, type or class)",
              "PROCEDURE P\nENDPROCEDURE\nPROCEDURE P\nENDPROCEDURE"),
        # --- the translator itself (E9xx) ---
        _info("E900", "Internal error of the translator", ""),
        _info("I901", "More problems than are shown", ""),
    ]
}


def severity_for(code: str, strict: bool = False) -> Severity:
    info = CODES[code]
    if strict and info.strict_severity is not None:
        return info.strict_severity
    return info.severity


def make(code: str, message: str, line: int, column: int, end_line: int | None = None,
         end_column: int | None = None, hint: str = "", strict: bool = False) -> Diagnostic:
    """Build a diagnostic whose severity comes from the registry (and the mode)."""
    return Diagnostic(
        code=code,
        severity=severity_for(code, strict),
        message=message,
        line=line,
        column=column,
        end_line=line if end_line is None else end_line,
        end_column=(column + 1) if end_column is None else end_column,
        hint=hint,
    )


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def sort_key(diagnostic: Diagnostic) -> tuple[int, int, str]:
    return (diagnostic.line, diagnostic.column, diagnostic.code)
