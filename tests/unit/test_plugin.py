"""The pytest11 plugin, run through ``pytester``: fixture files become test items with pytest's reporting."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import quotecheck.checker
from quotecheck.testing.fakes import FakeEncoder

#: Findings here come from the tiny said/did model of tests/saydo_tiny.py, not the shipped one:
#: these tests are about what happens to findings, whatever model makes them.
pytestmark = pytest.mark.usefixtures("tiny_saydo_env")

pytest_plugins = ["pytester"]

QUOTE_TEXT = "“We will win the vote,” Ana Ruiz said on Monday."
GOOD = f"id: ruiz-direct\ntext: '{QUOTE_TEXT}'\nquotes:\n  - {{speaker: Ruiz, content: We will win the vote, kind: direct}}\ntags: [election]\n"
BAD = f"id: ruiz-wrong-speaker\ntext: '{QUOTE_TEXT}'\nquotes:\n  - {{speaker: Tom Reed, content: We will win}}\n"
PAIR = {
    "text_a": "Acme Corp said it would close the Leeds plant in March.",
    "text_b": "Acme Corp closed the Leeds plant in October.",
    "findings": [{"actor": "Acme", "intention": "close the Leeds plant in March", "action": "closed the Leeds plant", "verdict": "mismatch", "type": "timing"}],
}


@pytest.fixture(scope="module", autouse=True)
def _pipeline_imported():
    """Run the pipeline once before any pytester test: pytester drops the modules first imported
    during a test, and importing faiss's extension a second time in one process crashes it."""
    quotecheck.checker.Checker(encoder=FakeEncoder()).compare(PAIR["text_a"], PAIR["text_b"])


@pytest.fixture
def counted_checkers(monkeypatch):
    """Replace the Checker class by one with a FakeEncoder that counts how many are created."""
    created = []

    class Counted(quotecheck.checker.Checker):
        def __init__(self, *, model=None, **kwargs):
            super().__init__(model=model, encoder=FakeEncoder(), **kwargs)
            created.append(model)

    monkeypatch.setattr(quotecheck.checker, "Checker", Counted)
    return created


def test_plugin_collects_yaml_json_and_jsonl_cases(pytester):
    pytester.makefile(".qc.yaml", good=GOOD)
    pytester.makefile(".qc.json", other=json.dumps({"id": "json-case", "text": QUOTE_TEXT, "quotes": [{"speaker": "Ana Ruiz", "content": "win the vote"}]}))
    lines = [json.dumps({"id": f"line-{i}", "text": QUOTE_TEXT, "quotes": [{"speaker": "Ruiz", "content": "We will"}]}) for i in range(2)]
    pytester.makefile(".qc.jsonl", many="\n".join(lines))
    pytester.makefile(".txt", notes="not collected")
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*good.qc.yaml::ruiz-direct PASSED*", "*many.qc.jsonl::line-1 PASSED*"])


def test_plugin_failure_shows_expected_and_found(pytester):
    pytester.makefile(".qc.yaml", bad=BAD)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*quotecheck case ruiz-wrong-speaker (bad.qc.yaml): 1 of 1 checks failed*",
            "*quote 'We will win'",
            "*- expected: Tom Reed",
            "*+ found:    Ana Ruiz ?direct?",
            "FAILED bad.qc.yaml::ruiz-wrong-speaker*",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_plugin_k_selects_by_case_id_and_tag(pytester):
    pytester.makefile(".qc.yaml", good=GOOD, bad=BAD)
    pytester.runpytest("-k", "ruiz-direct").assert_outcomes(passed=1, deselected=1)
    pytester.runpytest("-k", "election").assert_outcomes(passed=1, deselected=1)
    pytester.runpytest("-m", "quotecheck_case").assert_outcomes(passed=1, failed=1)


def test_plugin_malformed_fixture_is_a_collection_error_naming_the_field(pytester):
    pytester.makefile(".qc.yaml", broken="id: x\ntext: Hi there.\nfindings:\n  - {actor: A, intention: i, action: a, verdict: maybe}\n")
    pytester.makefile(".qc.yaml", good=GOOD)
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    out = result.stdout.str()
    assert "[E040]" in out and "broken.qc.yaml: field 'findings[0].verdict'" in out
    assert "Traceback" not in out


def test_plugin_no_fixtures_option_turns_collection_off(pytester):
    pytester.makefile(".qc.yaml", good=GOOD)
    result = pytester.runpytest("--qc-no-fixtures")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_plugin_checker_is_created_once_per_session(pytester, counted_checkers):
    for i in range(3):
        pytester.makefile(".qc.json", **{f"pair{i}": json.dumps({"id": f"pair-{i}", **PAIR})})
    pytester.runpytest("--qc-model", "/models/x").assert_outcomes(passed=3)
    assert counted_checkers == ["/models/x"]


def test_plugin_ini_option_names_the_model(pytester, counted_checkers):
    pytester.makeini("[pytest]\nqc_model = /models/from-ini\n")
    pytester.makefile(".qc.json", pair=json.dumps({"id": "pair", **PAIR}))
    pytester.runpytest().assert_outcomes(passed=1)
    assert counted_checkers == ["/models/from-ini"]


def test_plugin_quote_cases_create_no_model(pytester, counted_checkers, monkeypatch):
    monkeypatch.setattr(FakeEncoder, "encode", lambda self, texts: pytest.fail("encoded for a quotes-only case"))
    pytester.makefile(".qc.yaml", good=GOOD)
    pytester.runpytest().assert_outcomes(passed=1)


def test_plugin_is_registered_as_pytest11_entry_point():
    from importlib.metadata import entry_points

    assert [ep.value for ep in entry_points(group="pytest11") if ep.name == "quotecheck"] == ["quotecheck.testing.plugin"]


def test_plugin_import_loads_no_torch():
    code = "import sys, quotecheck.testing.plugin; print([m for m in ('torch', 'sentence_transformers', 'faiss') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.model
def test_plugin_runs_a_finding_case_with_the_real_model(pytester, model_checker):
    pytester.makefile(".qc.json", pair=json.dumps({"id": "pair", **PAIR}))
    pytester.runpytest().assert_outcomes(passed=1)


def test_plugin_cases_run_in_parallel_with_xdist(pytester):
    pytest.importorskip("xdist")
    pytester.makefile(".qc.yaml", good=GOOD, bad=BAD)
    lines = [json.dumps({"id": f"line-{i}", "text": QUOTE_TEXT, "quotes": [{"speaker": "Ruiz", "content": "We will"}]}) for i in range(4)]
    pytester.makefile(".qc.jsonl", many="\n".join(lines))
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(["*- expected: Tom Reed*"])


def test_plugin_xfail_case_is_reported_as_xfail_with_its_reason(pytester):
    pytester.makefile(".qc.yaml", bad=BAD + "xfail: split quotes not resolved yet\n")
    result = pytester.runpytest("-rxX")
    result.assert_outcomes(xfailed=1)
    result.stdout.fnmatch_lines(["*XFAIL*bad.qc.yaml::ruiz-wrong-speaker*split quotes not resolved yet*"])


def test_plugin_xfail_case_that_passes_fails_strictly(pytester):
    pytester.makefile(".qc.yaml", good=GOOD + "xfail: was broken once\n")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*XPASS(strict)*was broken once*"])
    assert result.ret == pytest.ExitCode.TESTS_FAILED
