"""The syntax tree's classes: child fields derived from the declarations, dataclass-like
behaviour (constructor, ==, repr, pickling), and the one NodeVisitor protocol."""

from __future__ import annotations

import pickle
import typing
from pathlib import Path

import pytest
from node_coverage import coverage_problems, syntax_classes

from engine.language import nodes as n
from engine.language.parser import parse

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted((ROOT / "tests" / "engine" / "corpus").glob("*.pseudo")) + sorted(
    (ROOT / "resources" / "examples").rglob("*.pseudo"))
SPAN = n.Span(1, 1, 1, 2)
# What the corpus lacks: random files, trivia at the end of a block, a parse error.
EXTRA = """TYPE Rec
    DECLARE Key : INTEGER
ENDTYPE
DECLARE R : Rec
OPENFILE "d.dat" FOR RANDOM
SEEK "d.dat", 1
GETRECORD "d.dat", R
PUTRECORD "d.dat", R
CLOSEFILE "d.dat"
IF TRUE THEN
    OUTPUT 1
    // the end
ENDIF
IF 1 + THEN
ENDIF
"""


def _names_a_node(declared: object) -> bool:
    """An independent reading of a field's type: typing's own resolution and introspection."""
    origin = typing.get_origin(declared)
    if origin is None:
        return isinstance(declared, type) and issubclass(declared, n.Node)
    return any(_names_a_node(inner) for inner in typing.get_args(declared))


def _annotation_fields(cls: type[n.Node]) -> set[str]:
    return {name for name, spec in cls._node_fields.items() if spec.annotation}


@pytest.mark.parametrize("cls", syntax_classes(n.Node), ids=lambda c: c.__name__)
def test_child_fields_are_exactly_the_fields_typed_as_nodes(cls: type[n.Node]) -> None:
    hints = typing.get_type_hints(cls, vars(n))
    expected = tuple(name for name in cls._node_fields
                     if name not in _annotation_fields(cls) and _names_a_node(hints[name]))
    assert n.child_fields(cls) == expected


def test_the_fields_the_old_skip_list_got_wrong() -> None:
    assert n.child_fields(n.AddressOf) == ("target",)
    assert n.child_fields(n.GetRecord) == ("filename", "target")
    assert n.child_fields(n.Assign) == ("target", "value")
    assert n.child_fields(n.ReadFile) == ("filename", "target")
    assert n.child_fields(n.Call) == ("func", "args")  # not has_parens (a bool) nor target
    assert n.child_fields(n.PointerType) == ("name", "target")


def _every_node(program: n.Program) -> list[n.Node]:
    """Every node reachable through any slot (not through iter_children, which is tested)."""
    found, stack = [], [program]
    while stack:
        node = stack.pop()
        found.append(node)
        for name, spec in type(node)._node_fields.items():
            if spec.annotation:
                continue
            value = getattr(node, name)
            items = value if isinstance(value, list) else [value]
            for item in items:
                parts = item if isinstance(item, tuple) and not isinstance(item, n.Span) \
                    else (item,)
                stack.extend(part for part in parts if isinstance(part, n.Node))
    return found


def test_every_node_in_real_programs_is_reached_through_child_fields() -> None:
    seen: set[type] = set()
    for text in [path.read_text(encoding="utf-8") for path in CORPUS] + [EXTRA]:
        program, _ = parse(text)
        for node in _every_node(program):
            seen.add(type(node))
            children = n.child_fields(type(node))
            for name, spec in type(node)._node_fields.items():
                value = getattr(node, name)
                holds = isinstance(value, n.Node) or isinstance(value, list) and any(
                    isinstance(item, n.Node) or isinstance(item, tuple) and any(
                        isinstance(x, n.Node) for x in item) for item in value)
                if holds:
                    assert name in children and not spec.annotation, (type(node), name)
            reached = list(n.iter_children(node))
            assert len({id(x) for x in reached}) == len(reached)
    assert set(syntax_classes(n.Node)) - seen == {n.Expr, n.Stmt}  # the abstract two


def test_nodes_compare_by_syntax_not_annotations() -> None:
    a, b = n.Name(SPAN, "x"), n.Name(SPAN, "x")
    a.ptype, a.symbol = "INTEGER", object()
    assert a == b
    assert n.Name(SPAN, "y") != b
    assert n.Literal(SPAN, 1, "INTEGER") != n.Name(SPAN, "x")
    with pytest.raises(TypeError):
        hash(a)


def test_repr_shows_syntax_fields_in_declaration_order() -> None:
    call = n.Call(SPAN, n.Name(SPAN, "F"), [], has_parens=False)
    call.target = "hidden"
    assert repr(call) == ("Call(span=Span(line=1, column=1, end_line=1, end_column=2), "
                          "func=Name(span=Span(line=1, column=1, end_line=1, end_column=2), "
                          "name='F'), args=[], has_parens=False)")
    stmt = n.Output(SPAN, [])
    assert repr(stmt).startswith("Output(span=Span(line=1, column=1, end_line=1, "
                                 "end_column=2), before=[], trailing=None, items=[])")


def test_constructor_matches_the_declarations() -> None:
    first, second = n.Output(SPAN, []), n.Output(SPAN, [])
    assert first.before == [] and first.before is not second.before  # a fresh list each
    assert n.CaseClause(SPAN, [], []).before == []
    stmt = n.If(SPAN, n.Name(SPAN, "c"), [], [], True, before=[None], trailing="x")
    assert (stmt.is_elseif, stmt.before, stmt.trailing, stmt.else_span) == (True, [None],
                                                                           "x", None)
    assert n.Call.__match_args__ == ("span", "func", "args", "has_parens")
    with pytest.raises(TypeError):
        n.Name(SPAN, "x", None)  # symbol is an annotation: keyword only
    with pytest.raises(TypeError):
        n.Name(SPAN)
    with pytest.raises(AttributeError):
        n.Name(SPAN, "x").colour = "red"  # slots: no stray attributes


@pytest.mark.parametrize("cls", n.node_classes(), ids=lambda c: c.__name__)
def test_make_builds_what_the_constructor_builds(cls: type[n.Node]) -> None:
    """``cls.make`` (the parser's fast constructor) sets every field as ``cls(...)`` does:
    the positional ones given, the keyword-only ones at their defaults."""
    fields = cls._node_fields.values()
    required = [object() for spec in fields if not spec.kw_only and spec.default is
                n._REQUIRED and spec.factory is None]
    made, built = cls.make(*required), cls(*required)
    assert type(made) is cls
    for name in cls._node_fields:
        assert getattr(made, name) == getattr(built, name), name
    if "before" in cls._node_fields:  # a fresh list each, as the constructor's factory
        assert made.before == [] and made.before is not cls.make(*required).before
    positional = [spec for spec in fields if not spec.kw_only]
    given = [object() for _ in positional]
    assert [getattr(cls.make(*given), spec.name) for spec in positional] == given


def test_a_node_survives_pickling() -> None:
    program, _ = parse("DECLARE A : ARRAY[1:3] OF INTEGER\nA[1] <- 2\nOUTPUT A[1] // c\n")
    copy = pickle.loads(pickle.dumps(program))
    assert copy == program and copy is not program
    assert repr(copy) == repr(program)


def test_declaration_mistakes_fail_when_the_class_is_made() -> None:
    with pytest.raises(TypeError, match="without a default"):
        @n.node
        class Bad(n.Node):  # noqa: F841
            flag: bool = False
            value: int
    with pytest.raises(TypeError, match="again"):
        @n.node
        class Again(n.Expr):  # noqa: F841
            ptype: int


class _Counter(n.NodeVisitor):
    ignored = {n.Literal: "numbers are not counted"}

    def __init__(self) -> None:
        self.names: list[str] = []

    def visit_Name(self, node: n.Name) -> str:
        self.names.append(node.name)
        return node.name


def test_the_visitor_dispatches_by_class_and_walks_the_rest() -> None:
    program, _ = parse("DECLARE P : INTEGER\nDECLARE X : INTEGER\nP <- @X\nOUTPUT X + 1\n")
    counter = _Counter()
    counter.visit(program)
    assert counter.names == ["P", "X", "X"]  # @X is walked into (AddressOf.target)
    assert counter.visit(n.Name(SPAN, "Q")) == "Q"
    assert counter.visit(n.Literal(SPAN, 1, "INTEGER")) is None


def test_each_visitor_class_has_its_own_handler_table() -> None:
    class Other(n.NodeVisitor):
        def visit_Name(self, node: n.Name) -> str:
            return "other"

    _Counter().visit(n.Name(SPAN, "x"))
    assert Other().visit(n.Name(SPAN, "x")) == "other"
    assert Other.handler_for(n.Literal) is n.NodeVisitor.generic_visit


def test_the_coverage_check_names_each_gap() -> None:
    problems = coverage_problems(_Counter, n.Expr)
    assert "_Counter has no visit_Call and does not list Call in ignored" in problems
    assert not any("Name" in p.split(" and ")[0] or "Literal" in p for p in problems)

    class Both(_Counter):
        ignored = {n.Name: "", n.TriviaOnly: "not an expression"}

    problems = coverage_problems(Both, n.Expr)
    assert "Both both handles and ignores Name" in problems
    assert "Both.ignored gives no reason for Name" in problems
    assert any("lists TriviaOnly" in p for p in problems)


def test_node_classes_are_plain_types() -> None:
    """No metaclass: isinstance, which every pass calls constantly, keeps its fast path."""
    assert all(type(cls) is type for cls in n.node_classes())
    assert n.node_classes(n.Expr)[0] is n.Expr and n.Name in n.node_classes(n.Expr)


def test_every_node_class_of_the_module_is_made_by_the_decorator() -> None:
    defined = [value for value in vars(n).values()
               if isinstance(value, type) and issubclass(value, n.Node)]
    assert defined and all("_node_fields" in vars(cls) for cls in defined)
    assert set(defined) == set(n.node_classes())
