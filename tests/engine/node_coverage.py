"""Reusable check that a compiler pass handles every node type (pyflakes's rule: an
unknown node fails in the test suite, not silently for a user).

A pass is a ``NodeVisitor`` subclass. For each syntax node class derived from the
given bases (defined in engine/language/nodes.py; the bases themselves are abstract),
the pass must have a ``visit_<ClassName>`` method, or list the class in its
``ignored`` mapping (node class -> why it is deliberately not visited). An ignored
class that also has a handler, or an ignored entry without a reason, is a mistake too.

Use from a test::

    from node_coverage import assert_handles_every_node  # tests/engine is on sys.path
    assert_handles_every_node(MyPass, n.Stmt, n.Expr)
"""

from __future__ import annotations

from engine.language import nodes as n


def syntax_classes(base: type[n.Node]) -> list[type[n.Node]]:
    """The node classes of the syntax tree under ``base`` (``base`` itself excluded; classes
    that other packages derive for their own use, such as codegen's helpers, excluded)."""
    return [cls for cls in n.node_classes(base)
            if cls is not base and cls.__module__ == n.__name__]


def coverage_problems(visitor: type[n.NodeVisitor], *bases: type[n.Node]) -> list[str]:
    """What is wrong with ``visitor``'s coverage of the node classes under ``bases``."""
    problems = []
    for base in bases:
        for cls in syntax_classes(base):
            handled = hasattr(visitor, "visit_" + cls.__name__)
            ignored = cls in visitor.ignored
            if not handled and not ignored:
                problems.append(f"{visitor.__name__} has no visit_{cls.__name__} and does "
                                f"not list {cls.__name__} in ignored")
            elif handled and ignored:
                problems.append(f"{visitor.__name__} both handles and ignores {cls.__name__}")
    for cls, why in visitor.ignored.items():
        if not why.strip():
            problems.append(f"{visitor.__name__}.ignored gives no reason for {cls.__name__}")
        if not any(issubclass(cls, base) for base in bases):
            problems.append(f"{visitor.__name__}.ignored lists {cls.__name__}, which is not "
                            "one of the node kinds it visits")
    return problems


def assert_handles_every_node(visitor: type[n.NodeVisitor], *bases: type[n.Node]) -> None:
    """Fail, naming each gap, unless ``visitor`` handles or deliberately ignores every node
    class under ``bases``."""
    problems = coverage_problems(visitor, *bases)
    assert not problems, "\n".join(problems)
