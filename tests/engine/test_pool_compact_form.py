"""What crosses the pool's pipe for one document: text, diagnostics and code, not trees.

The pool tests (test_process_pool.py) show that results with the pool on and off are the
same; these show the compact form itself: small, and complete when the tree is needed.
"""

from __future__ import annotations

import pickle

from engine import pipeline
from engine.pipeline import (
    generate_stage,
    parse_stage,
    pool_parse_stage,
    pool_validate_stage,
    validate_stage,
)

PROGRAM = """\
TYPE Pupil
    DECLARE Name : STRING
    DECLARE Marks : ARRAY[1:3] OF INTEGER
ENDTYPE
DECLARE Group : ARRAY[1:4] OF Pupil
DECLARE I : INTEGER
FOR I <- 1 TO 4
    Group[I].Name <- "P" & NUM_TO_STR(I)
    Group[I].Marks[2] <- I * 10
NEXT I
OUTPUT Group[3].Name, Group[3].Marks[2]
"""


def _through_the_pipe(value: object, forget_trees: bool = True) -> object:
    data = pickle.dumps(value)
    if forget_trees:
        pipeline._POOL_TREES.clear()  # as in the parent: it never holds the worker's trees
    return pickle.loads(data)


def test_a_parsed_document_kept_for_validation_crosses_without_its_tree() -> None:
    kept = pool_parse_stage(PROGRAM, keep_tree=True)
    full = parse_stage(PROGRAM)
    assert b"engine.language.nodes" not in pickle.dumps(kept)  # no syntax tree
    assert b"engine.language.nodes" in pickle.dumps(full)
    arrived = _through_the_pipe(kept)
    assert "program" not in vars(arrived)  # not parsed again unless someone asks
    assert arrived.diagnostics == full.diagnostics
    # Asked for (a validation here, after a fallback): the same tree, from the same text.
    assert generate_stage(validate_stage(arrived)).code == \
        generate_stage(validate_stage(full)).code


def test_the_worker_that_parsed_uses_its_own_tree() -> None:
    kept = pool_parse_stage(PROGRAM, keep_tree=True)
    tree = kept.program
    back_in_the_worker = _through_the_pipe(_through_the_pipe(kept), forget_trees=False)
    pipeline._POOL_TREES[kept.tree_key] = tree  # the worker still holds it
    assert pickle.loads(pickle.dumps(back_in_the_worker)).program is tree
    assert kept.tree_key not in pipeline._POOL_TREES  # used once, then forgotten


def test_a_validated_document_comes_back_as_diagnostics_and_code() -> None:
    validated = pool_validate_stage(parse_stage(PROGRAM))
    local = generate_stage(validate_stage(parse_stage(PROGRAM)))
    arrived = _through_the_pipe(validated)
    assert "program" not in vars(arrived) and arrived.generated is not None
    data = pickle.dumps(validated)
    assert b"engine.language.nodes" not in data and b"engine.semantics" not in data
    assert generate_stage(arrived).code == local.code
    assert generate_stage(arrived).line_map == local.line_map
    # The tree is made again when needed (the plain style, tools walking it).
    assert generate_stage(arrived, "plain").code == \
        generate_stage(validate_stage(parse_stage(PROGRAM)), "plain").code


def test_a_document_with_errors_comes_back_without_code() -> None:
    validated = pool_validate_stage(parse_stage("X <- \nOUTPUT Y +\n"))
    arrived = _through_the_pipe(validated)
    assert arrived.has_errors and arrived.generated is None
    assert arrived.diagnostics == validate_stage(parse_stage("X <- \nOUTPUT Y +\n")).diagnostics


def test_documents_made_in_this_process_keep_their_tree_when_pickled() -> None:
    parsed = parse_stage(PROGRAM)
    arrived = _through_the_pipe(parsed)
    assert "program" in vars(arrived) and arrived.pseudocode == PROGRAM
    validated = validate_stage(parse_stage(PROGRAM))
    assert "program" in vars(_through_the_pipe(validated))


def test_the_plain_style_made_in_the_worker_comes_back_with_the_code() -> None:
    validated = pool_validate_stage(parse_stage(PROGRAM), plain=True)
    arrived = _through_the_pipe(validated)
    local = validate_stage(parse_stage(PROGRAM))
    checked, plain = generate_stage(local), generate_stage(local, "plain")
    assert generate_stage(arrived).code == checked.code
    assert generate_stage(arrived, "plain").code == plain.code
    assert "program" not in vars(arrived)  # no tree was made again for it
