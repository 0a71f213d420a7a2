"""Classes (LANGUAGE.md sections 9 and 10), run end to end."""

from __future__ import annotations

from language_helpers import error_codes, expect, line_of, runtime_error

PET = """
    CLASS Pet
        PRIVATE Name : STRING
        PRIVATE Legs : INTEGER
        PUBLIC PROCEDURE NEW(GivenName : STRING, GivenLegs : INTEGER)
            Name <- GivenName
            Legs <- GivenLegs
        ENDPROCEDURE
        PUBLIC FUNCTION GetName() RETURNS STRING
            RETURN Name
        ENDFUNCTION
        PUBLIC FUNCTION GetLegs() RETURNS INTEGER
            RETURN Legs
        ENDFUNCTION
        PUBLIC PROCEDURE Rename(NewName : STRING)
            Name <- NewName
        ENDPROCEDURE
        PUBLIC FUNCTION Describe() RETURNS STRING
            RETURN GetName() & " (" & NUM_TO_STR(Legs) & " legs)"
        ENDFUNCTION
    ENDCLASS
"""


def test_the_example_of_the_language_definition() -> None:
    expect("""
        CLASS Pet
            PRIVATE Name : STRING
            PUBLIC PROCEDURE NEW(GivenName : STRING)
                Name ← GivenName
            ENDPROCEDURE
            PUBLIC FUNCTION GetName() RETURNS STRING
                RETURN Name
            ENDFUNCTION
        ENDCLASS

        CLASS Cat INHERITS Pet
            PUBLIC PROCEDURE NEW(GivenName : STRING)
                SUPER.NEW(GivenName)
            ENDPROCEDURE
        ENDCLASS

        DECLARE MyCat : Cat
        MyCat ← NEW Cat("Kitty")
        OUTPUT MyCat.GetName()
    """, "Kitty")


def test_private_attributes_used_by_methods_by_bare_name() -> None:
    expect(PET + """
        DECLARE Rex : Pet
        Rex <- NEW Pet("Rex", 4)
        OUTPUT Rex.GetName(), " has ", Rex.GetLegs(), " legs"
        CALL Rex.Rename("Max")
        OUTPUT Rex.Describe()
    """, "Rex has 4 legs\nMax (4 legs)")


def test_methods_call_other_methods_by_bare_name() -> None:
    expect("""
        CLASS Counter
            PRIVATE Count : INTEGER
            PUBLIC PROCEDURE NEW(Start : INTEGER)
                Count <- Start
            ENDPROCEDURE
            PUBLIC PROCEDURE Add(N : INTEGER)
                Count <- Count + N
            ENDPROCEDURE
            PUBLIC PROCEDURE AddTwice(N : INTEGER)
                CALL Add(N)
                CALL Add(N)
            ENDPROCEDURE
            PUBLIC FUNCTION Get() RETURNS INTEGER
                RETURN Count
            ENDFUNCTION
            PUBLIC FUNCTION Doubled() RETURNS INTEGER
                RETURN Get() * 2
            ENDFUNCTION
        ENDCLASS
        DECLARE C : Counter
        C <- NEW Counter(1)
        CALL C.AddTwice(3)
        OUTPUT C.Get(), " ", C.Doubled()
    """, "7 14")


def test_private_methods_are_usable_inside_the_class() -> None:
    expect("""
        CLASS Safe
            PRIVATE Code : INTEGER
            PUBLIC PROCEDURE NEW(C : INTEGER)
                Code <- C
            ENDPROCEDURE
            PRIVATE FUNCTION Secret() RETURNS INTEGER
                RETURN Code * 2
            ENDFUNCTION
            PUBLIC FUNCTION Hint() RETURNS INTEGER
                RETURN Secret() + 1
            ENDFUNCTION
        ENDCLASS
        DECLARE S : Safe
        S <- NEW Safe(20)
        OUTPUT S.Hint()
    """, "41")


def test_inheritance_super_new_and_overriding() -> None:
    expect(PET + """
        CLASS Bird INHERITS Pet
            PRIVATE CanFly : BOOLEAN
            PUBLIC PROCEDURE NEW(GivenName : STRING, Flies : BOOLEAN)
                SUPER.NEW(GivenName, 2)
                CanFly <- Flies
            ENDPROCEDURE
            PUBLIC FUNCTION Describe() RETURNS STRING
                IF CanFly THEN
                    RETURN "flying " & SUPER.Describe()
                ENDIF
                RETURN "grounded " & GetName()
            ENDFUNCTION
        ENDCLASS
        DECLARE Pingu, Robin : Bird
        DECLARE Any : Pet
        Pingu <- NEW Bird("Pingu", FALSE)
        Robin <- NEW Bird("Robin", TRUE)
        OUTPUT Pingu.GetName(), " has ", Pingu.GetLegs(), " legs"
        OUTPUT Pingu.Describe()
        OUTPUT Robin.Describe()
        Any <- Robin
        OUTPUT Any.Describe()
        Any <- NEW Pet("Rex", 4)
        OUTPUT Any.Describe()
    """, """
        Pingu has 2 legs
        grounded Pingu
        flying Robin (2 legs)
        flying Robin (2 legs)
        Rex (4 legs)
    """)


def test_a_base_class_method_calls_the_overriding_method() -> None:
    expect("""
        CLASS Animal
            PUBLIC FUNCTION Noise() RETURNS STRING
                RETURN "..."
            ENDFUNCTION
            PUBLIC FUNCTION Speak() RETURNS STRING
                RETURN "It says " & Noise()
            ENDFUNCTION
        ENDCLASS
        CLASS Dog INHERITS Animal
            PUBLIC FUNCTION Noise() RETURNS STRING
                RETURN "woof"
            ENDFUNCTION
        ENDCLASS
        DECLARE A : Animal
        DECLARE D : Dog
        A <- NEW Animal()
        D <- NEW Dog()
        OUTPUT A.Speak()
        OUTPUT D.Speak()
    """, "It says ...\nIt says woof")


def test_objects_are_references_assignment_and_parameters_share() -> None:
    expect(PET + """
        DECLARE A, B : Pet
        DECLARE Pets : ARRAY[1:2] OF Pet
        PROCEDURE Rename(P : Pet)
            CALL P.Rename("Renamed")
        ENDPROCEDURE
        A <- NEW Pet("Ann", 4)
        B <- A
        CALL B.Rename("Bob")
        OUTPUT A.GetName()
        Pets[1] <- A
        CALL Rename(Pets[1])
        OUTPUT A.GetName(), " ", B.GetName()
    """, "Bob\nRenamed Renamed")


def test_public_attributes_and_a_class_without_new() -> None:
    expect("""
        CLASS Box
            PUBLIC Width : INTEGER
            PUBLIC Label : STRING
            DECLARE Height : REAL
        ENDCLASS
        DECLARE B : Box
        B <- NEW Box()
        OUTPUT B.Width, " [", B.Label, "] ", B.Height
        B.Width <- 3
        B.Height <- 2
        OUTPUT B.Width * 2, " ", B.Height
    """, "0 [] 0.0\n6 2.0")


def test_inherited_public_attribute() -> None:
    expect("""
        CLASS Base
            PUBLIC Level : INTEGER
            PUBLIC PROCEDURE NEW()
                Level <- 1
            ENDPROCEDURE
        ENDCLASS
        CLASS Child INHERITS Base
            PUBLIC PROCEDURE NEW()
                SUPER.NEW()
                Level <- Level + 10
            ENDPROCEDURE
        ENDCLASS
        DECLARE C : Child
        C <- NEW Child()
        OUTPUT C.Level
    """, "11")


def test_members_without_public_or_private_are_public() -> None:
    expect("""
        CLASS Box
            DECLARE Height : REAL
            PROCEDURE SetHeight(H : REAL)
                Height <- H
            ENDPROCEDURE
            FUNCTION GetHeight() RETURNS REAL
                RETURN Height
            ENDFUNCTION
        ENDCLASS
        DECLARE B : Box
        B <- NEW Box()
        CALL B.SetHeight(2)
        OUTPUT B.GetHeight(), " ", B.Height
    """, "2.0 2.0")


def test_calling_a_method_before_new_is_a_runtime_error() -> None:
    text = PET + """
        DECLARE P : Pet
        OUTPUT "before"
        OUTPUT P.GetName()
    """
    done = runtime_error(text)
    assert done.stdout == "before\n"
    assert done.stderr.startswith(f"Runtime error at line {line_of(text, 'P.GetName()')}: ")


def test_reading_an_attribute_before_new_is_a_runtime_error_not_a_traceback() -> None:
    text = """
        CLASS Box
            PUBLIC Width : INTEGER
        ENDCLASS
        DECLARE B : Box
        OUTPUT "before"
        OUTPUT B.Width
    """
    done = runtime_error(text)
    assert done.stdout == "before\n"
    assert done.stderr.startswith("Runtime error at line 6: ")


def test_private_members_used_outside_the_class_are_errors() -> None:
    assert "E309" in error_codes(PET + """
        DECLARE P : Pet
        P <- NEW Pet("Rex", 4)
        OUTPUT P.Name
    """)
    assert "E309" in error_codes("""
        CLASS Safe
            PRIVATE FUNCTION Secret() RETURNS INTEGER
                RETURN 1
            ENDFUNCTION
        ENDCLASS
        DECLARE S : Safe
        S <- NEW Safe()
        OUTPUT S.Secret()
    """)


def test_class_errors() -> None:
    assert "E507" in error_codes("""
        DECLARE X : INTEGER
        X <- NEW Missing()
    """)
    assert "E509" in error_codes("""
        CLASS A INHERITS A
        ENDCLASS
    """)
    assert "E508" in error_codes("""
        PROCEDURE P
            SUPER.NEW()
        ENDPROCEDURE
    """)
    assert "E308" in error_codes(PET + """
        DECLARE P : Pet
        P <- NEW Pet("Rex", 4)
        OUTPUT P.Missing()
    """)


def test_setting_an_attribute_before_new_is_a_runtime_error() -> None:
    done = runtime_error("""
        CLASS Box
            PUBLIC Width : INTEGER
        ENDCLASS
        DECLARE B : Box
        OUTPUT "before"
        B.Width <- 3
    """)
    assert done.stdout == "before\n"
    assert done.stderr.startswith("Runtime error at line 6: ")
