"""The words of the language, in one place.

The lexer, the parser, the validator and the editor's syntax highlighter all
read these sets, so there is no second hand-kept keyword list anywhere.
"""

from __future__ import annotations

# Words reserved in every letter case (a different case gives warning W101).
KEYWORDS: frozenset[str] = frozenset(
    """
    DECLARE CONSTANT ARRAY OF TYPE ENDTYPE
    INTEGER REAL CHAR STRING BOOLEAN DATE TRUE FALSE
    INPUT OUTPUT PRINT
    IF THEN ELSE ELSEIF ENDIF CASE OTHERWISE ENDCASE
    FOR TO STEP NEXT ENDFOR WHILE DO ENDWHILE REPEAT UNTIL
    PROCEDURE ENDPROCEDURE FUNCTION ENDFUNCTION RETURNS RETURN CALL BYREF BYVAL
    AND OR NOT DIV MOD
    OPENFILE READFILE WRITEFILE CLOSEFILE SEEK GETRECORD PUTRECORD
    CLASS ENDCLASS INHERITS PUBLIC PRIVATE NEW SUPER
    """.split()
)

BASE_TYPES: frozenset[str] = frozenset({"INTEGER", "REAL", "CHAR", "STRING", "BOOLEAN", "DATE"})

LITERAL_KEYWORDS: frozenset[str] = frozenset({"TRUE", "FALSE"})

# Keywords that close a block, and the opener each one closes.
BLOCK_CLOSERS: dict[str, str] = {
    "ENDIF": "IF",
    "ENDCASE": "CASE",
    "NEXT": "FOR",
    "ENDFOR": "FOR",
    "ENDWHILE": "WHILE",
    "UNTIL": "REPEAT",
    "ENDPROCEDURE": "PROCEDURE",
    "ENDFUNCTION": "FUNCTION",
    "ENDTYPE": "TYPE",
    "ENDCLASS": "CLASS",
}

# Keywords after which the editor indents the next line.
BLOCK_OPENERS: frozenset[str] = frozenset(
    {"IF", "ELSE", "ELSEIF", "CASE", "OTHERWISE", "FOR", "WHILE", "REPEAT", "PROCEDURE",
     "FUNCTION", "TYPE", "CLASS", "THEN"}
)

# Keywords the editor dedents as soon as they are typed.
DEDENT_KEYWORDS: frozenset[str] = frozenset(set(BLOCK_CLOSERS) | {"ELSE", "ELSEIF", "OTHERWISE"})
