"""The frozen build (PyInstaller, one folder), started the way users start it.

Each test runs one check of packaging/smoke_test.py against the build made
once per session (see conftest.py); the numbers each check measures are
printed at the end of the run. Marked ``frozen``: ``-m frozen`` selects these,
``-m "not frozen"`` leaves them out; CI runs them.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.frozen, pytest.mark.timeout(900)]


def test_bundle_holds_both_executables_resources_docs_and_runtime_source(frozen, smoke,
                                                                          report) -> None:
    report["layout"] = smoke.check_layout(frozen)


def test_command_line_version_help_config_show_and_run_python(frozen, smoke, report) -> None:
    report["cli"] = smoke.check_cli(frozen)


def test_conformance_corpus_through_the_batch_command_line_with_the_spawn_pool(
        frozen, smoke, corpus, report) -> None:
    report["corpus"] = smoke.check_corpus(frozen, corpus)


def test_spawn_pool_workers_do_the_batch_and_never_outlive_the_app(frozen, smoke, corpus,
                                                                   report) -> None:
    result = smoke.check_pool(frozen, corpus)
    report["pool"] = result
    print("pool events:", result["events"])  # shown with -s, and in the summary at the end
    assert result["events"]["exec_pool.task_completed"] > 0
    assert result["events"]["exec_pool.fallback"] == 0


def test_one_file_translation_with_and_without_the_spawn_pool(frozen, smoke, report) -> None:
    report["cli_pool_timing"] = smoke.check_cli_pool_timing(frozen, smoke.sample_program())


def test_window_starts_offscreen_runs_the_pool_and_exits_cleanly(frozen, smoke, report) -> None:
    report["window"] = smoke.check_window(frozen, smoke.sample_program())
