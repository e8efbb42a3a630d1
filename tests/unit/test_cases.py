"""Fixture cases: loading (every malformed input names file and field), matching, --update records, schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from quotecheck import Checker
from quotecheck.errors import CaseError
from quotecheck.testing import plugin
from quotecheck.testing.cases import (
    CASE_SUFFIXES,
    Case,
    fixture_schema,
    iter_case_files,
    load_cases,
    run_case,
    updated_record,
)
from quotecheck.testing.fakes import FakeEncoder

#: Findings here come from the tiny said/did model of tests/saydo_tiny.py, not the shipped one:
#: these tests are about what happens to findings, whatever model makes them.
pytestmark = pytest.mark.usefixtures("tiny_saydo_env")

QUOTE_TEXT = "“We will win the vote,” Ana Ruiz said on Monday."
PAIR = ("Acme Corp said it would close the Leeds plant in March.", "Acme Corp closed the Leeds plant in October.")


class NoModel(FakeEncoder):
    """An encoder that fails the test when anything is encoded."""

    def encode(self, texts):
        raise AssertionError("the model was used for a case that checks quotes only")


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("a.qc.yaml", "id: x\nquotes: []\n", r"field 'case': give exactly one of 'text'"),
        ("a.qc.yaml", "text: Hello there.\n", r"field 'id': Field required"),
        ("a.qc.yaml", "id: x\ntext: Hi.\nno_findings: maybe\n", r"field 'no_findings': Input should be a valid boolean"),
        ("a.qc.yaml", "id: x\ntext: Hi.\nquotes: {speaker: A}\n", r"field 'quotes': Input should be a valid tuple"),
        (
            "a.qc.yaml",
            "id: x\ntext: Hi.\nfindings:\n  - {actor: A, intention: i, action: a, verdict: broken}\n",
            r"field 'findings\[0\]\.verdict': Input should be 'mismatch', 'consistent' or 'unverified'",
        ),
        (
            "a.qc.yaml",
            "id: x\ntext: Hi.\nfindings:\n  - {actor: A, intention: i, action: a, verdict: mismatch}\n",
            r"field 'findings\[0\]': a mismatch needs a 'type'",
        ),
        ("a.qc.yaml", "id: x\ntext: Hi.\nspeakers: [A]\n", r"field 'speakers': Extra inputs are not permitted"),
        ("a.qc.yaml", "id: x\ntext: '   '\n", r"'text' is empty"),
        ("a.qc.yaml", "id: x\ntext: [unclosed\n", r"not valid YAML"),
        ("a.qc.yaml", "", r"the file is empty"),
        ("a.qc.yaml", "just a sentence\n", r"a case must be a mapping of fields .*got str"),
        ("a.qc.json", '{"id": "x", "text": ', r"not valid JSON"),
        ("a.qc.jsonl", '{"id": "x", "text": "Hi."}\n{"id": "y"}\n', r"line 2, field 'case': give exactly one"),
        ("a.qc.jsonl", '{"id": "x", "text": "Hi."}\n{"id": "x", "text": "Ho."}\n', r"line 2, field 'id': duplicate case id 'x'"),
        ("a.qc.yaml", "id: x\ntext_file: missing.txt\n", r"field 'text_file': cannot read"),
    ],
)
def test_cases_malformed_fixture_names_file_and_field(tmp_path, name, content, reason):
    path = write(tmp_path, name, content)
    with pytest.raises(CaseError, match=r"^\[E040\] ") as exc:
        load_cases(path)
    assert exc.value.path == str(path) and str(exc.value).startswith(f"[E040] {path}: ")
    assert re.search(reason, str(exc.value)), str(exc.value)


def test_cases_binary_file_is_malformed(tmp_path):
    path = tmp_path / "a.qc.yaml"
    path.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(CaseError, match=r"\[E040\] .*not UTF-8"):
        load_cases(path)


def test_cases_empty_directory_has_no_fixtures(tmp_path):
    with pytest.raises(CaseError, match=r"\[E041\]"):
        list(iter_case_files([tmp_path]))


def test_cases_explicit_file_must_be_yaml_or_json(tmp_path):
    path = write(tmp_path, "notes.txt", "id: x\n")
    with pytest.raises(CaseError, match=r"\[E040\] .*notes\.txt: not a fixture file"):
        list(iter_case_files([path]))


def test_cases_missing_path(tmp_path):
    with pytest.raises(CaseError, match=r"\[E040\] .*no such file or directory"):
        list(iter_case_files([tmp_path / "nope.qc.yaml"]))


def test_cases_directories_and_globs_are_searched(tmp_path):
    (tmp_path / "sub").mkdir()
    a = write(tmp_path, "a.qc.yaml", f"id: a\ntext: '{QUOTE_TEXT}'\n")
    b = write(tmp_path / "sub", "b.qc.json", json.dumps({"id": "b", "text": QUOTE_TEXT}))
    write(tmp_path, "readme.txt", "not a case")
    assert list(iter_case_files([tmp_path])) == [a, b]
    assert list(iter_case_files([str(tmp_path / "**" / "*.qc.json")])) == [b]
    assert list(iter_case_files([tmp_path, a])) == [a, b]  # each file once


def test_cases_jsonl_holds_many_cases(tmp_path):
    lines = [json.dumps({"id": f"c{i}", "text": QUOTE_TEXT}) for i in range(3)]
    path = write(tmp_path, "many.qc.jsonl", "\n".join(lines) + "\n\n")
    assert [c.id for c, _ in load_cases(path)] == ["c0", "c1", "c2"]


def test_cases_suffixes_match_the_plugin():
    assert plugin._SUFFIXES == CASE_SUFFIXES


@pytest.mark.parametrize("excerpt", ["We will win the vote", "We  will\n  win the   vote"])
def test_cases_quote_excerpt_matches_across_whitespace(excerpt):
    checker = Checker(encoder=NoModel())
    case = Case(id="q", text=QUOTE_TEXT, quotes=[{"speaker": "Ruiz", "content": excerpt, "kind": "direct"}])
    result = run_case(case, checker)
    assert result.passed, result.failures
    assert not result.analyzed  # quotes only: no model


def test_cases_wrong_speaker_fails_with_expected_and_found():
    case = Case(id="q", text=QUOTE_TEXT, quotes=[{"speaker": "Tom Reed", "content": "We will win"}])
    result = run_case(case, Checker(encoder=NoModel()))
    assert not result.passed
    (check,) = result.checks
    assert (check.expected, check.found, check.ok) == ("Tom Reed", "Ana Ruiz [direct]", False)
    assert result.diff() == [
        "  quote 'We will win'",
        "  - expected: Tom Reed",
        "  + found:    Ana Ruiz [direct]",
    ]


def test_cases_excerpt_not_in_text_fails():
    case = Case(id="q", text=QUOTE_TEXT, quotes=[{"speaker": "Ruiz", "content": "We will lose"}])
    assert "excerpt not in the text" in run_case(case, Checker(encoder=NoModel())).failures[0]


def test_cases_pair_case_passes_and_forbid_fails(fake_checker):
    finding = {"actor": "Acme", "intention": "close the Leeds plant in March", "action": "closed the Leeds plant", "verdict": "mismatch", "type": "timing"}
    good = Case(id="p", text_a=PAIR[0], text_b=PAIR[1], findings=[finding])
    assert run_case(good, fake_checker).passed
    bad = Case(id="p", text_a=PAIR[0], text_b=PAIR[1], forbid=[{"actor": "Acme", "verdict": "mismatch"}])
    result = run_case(bad, fake_checker)
    assert [c.what for c in result.checks if not c.ok] == ["forbid"]


def test_cases_case_without_expectations_fails_until_updated(fake_checker):
    case = Case(id="new", text=" ".join(PAIR))
    result = run_case(case, fake_checker)
    assert not result.passed and "no expectation" in result.failures[0]
    record = updated_record({"id": "new", "text": case.text}, case, result)
    assert list(record) == ["id", "text", "quotes", "findings"]
    assert record["findings"][0]["type"] == "timing"
    assert run_case(Case(**record), fake_checker).passed


def test_cases_update_keeps_scope_and_other_fields(fake_checker):
    record = {"id": "u", "description": "d", "text": QUOTE_TEXT, "quotes": [{"speaker": "Nobody", "content": "We will win"}], "tags": ["t"]}
    case = Case(**record)
    result = run_case(case, Checker(encoder=NoModel()))
    new = updated_record(record, case, result)
    assert new["quotes"] == [{"speaker": "Ana Ruiz", "content": "“We will win the vote,”", "kind": "direct"}]
    assert "findings" not in new and new["tags"] == ["t"] and new["description"] == "d"
    assert run_case(Case(**new), Checker(encoder=NoModel())).passed


def test_cases_update_records_no_findings_when_none_found(fake_checker):
    record = {"id": "n", "text": QUOTE_TEXT, "findings": [{"actor": "Ruiz", "intention": "win", "action": "vote", "verdict": "consistent"}]}
    case = Case(**record)
    new = updated_record(record, case, run_case(case, fake_checker))
    assert new.get("no_findings") is True and "findings" not in new


def test_cases_shipped_schema_is_the_generated_one():
    shipped = Path(__file__).resolve().parents[2] / "quotecheck" / "testing" / "fixture.schema.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == fixture_schema(), "run 'make schema'"


def test_cases_schema_names_the_fields():
    schema = fixture_schema()
    assert schema["required"] == ["id"]
    assert set(schema["properties"]) >= {"id", "text", "text_a", "text_b", "quotes", "findings", "forbid", "no_findings"}
    verdict = schema["$defs"]["ExpectedFinding"]["properties"]["verdict"]
    assert verdict["enum"] == ["mismatch", "consistent", "unverified"]
    assert "xfail" in schema["properties"]
    assert schema["additionalProperties"] is False


# -- unverified findings and xfail outcomes ----------------------------------------------------------

PLAN_DONE = "Acme said it would close the plant. Acme closed the plant."


class _Unverified:
    """A checker that reports one unverified finding for PLAN_DONE (the runner is under test)."""

    def analyze(self, text):
        from quotecheck.models import Analysis, Finding, Span, Statement

        i, a = text.index("it would"), text.index("Acme closed")
        statements = (
            Statement(id="d:s1", doc_id="d", kind="intention", actor_name="Acme", predicate="close", span=Span.of(text, i, i + 24)),
            Statement(id="d:s2", doc_id="d", kind="action", actor_name="Acme", predicate="close", span=Span.of(text, a, a + 21)),
        )
        finding = Finding(
            id="d:f1", actor_name="Acme", intention="d:s1", action="d:s2", verdict="unverified", score=0.5, similarity=0.6,
            explanation="the text does not say",
        )
        return Analysis(doc_id="d", text=text, statements=statements, findings=(finding,))


@pytest.mark.parametrize("verdict, ok", [("unverified", True), ("consistent", False)])
def test_cases_unverified_is_its_own_verdict(verdict, ok):
    expected = {"actor": "Acme", "intention": "it would close the plant", "action": "Acme closed the plant", "verdict": verdict}
    result = run_case(Case(id="u", text=PLAN_DONE, findings=[expected]), _Unverified())
    assert result.passed is ok and result.verdicts == ("unverified",)
    if not ok:
        assert result.checks[0].found.startswith("unverified (")
    assert result.extra_findings == 0  # an unverified finding is never counted as a mismatch


def test_cases_forbid_mismatch_ignores_unverified():
    case = Case(id="u", text=PLAN_DONE, forbid=[{"actor": "Acme", "verdict": "mismatch"}])
    assert run_case(case, _Unverified()).passed


def test_cases_found_unverified_finding_is_recorded_without_a_type():
    result = run_case(Case(id="u", text=PLAN_DONE), _Unverified())
    assert [(f.verdict, f.type) for f in result.found_findings] == [("unverified", None)]


def test_cases_only_a_mismatch_has_a_type():
    with pytest.raises(ValueError, match=r"only a mismatch has a 'type' \(this finding is unverified\)"):
        Case(id="u", text="Hi there.", findings=[{"actor": "A", "intention": "i", "action": "a", "verdict": "unverified", "type": "timing"}])


@pytest.mark.parametrize(
    "xfail, quote, outcome, ok",
    [
        (None, "Ruiz", "passed", True),
        (None, "Tom Reed", "failed", False),
        ("not yet", "Tom Reed", "xfailed", True),
        ("not yet", "Ruiz", "xpassed", False),
    ],
)
def test_cases_xfail_outcome(xfail, quote, outcome, ok):
    case = Case(id="x", text=QUOTE_TEXT, quotes=[{"speaker": quote, "content": "We will win"}], xfail=xfail)
    result = run_case(case, Checker(encoder=NoModel()))
    assert (result.outcome, result.ok, result.xfail) == (outcome, ok, xfail)
    assert result.model_dump()["outcome"] == outcome


def test_cases_xfail_needs_a_reason(tmp_path):
    path = write(tmp_path, "a.qc.yaml", f"id: x\ntext: '{QUOTE_TEXT}'\nxfail: ''\n")
    with pytest.raises(CaseError, match=r"field 'xfail': String should have at least 1 character"):
        load_cases(path)
