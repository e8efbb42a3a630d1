"""``quotecheck regress``: exit 0/1/2, the pass/fail table with diffs, JUnit XML, --update."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from quotecheck import Checker
from quotecheck.cli import commands, main
from quotecheck.testing.fakes import FakeEncoder

#: Findings here come from the tiny said/did model of tests/saydo_tiny.py, not the shipped one:
#: these tests are about what happens to findings, whatever model makes them.
pytestmark = pytest.mark.usefixtures("tiny_saydo_env")

QUOTE_TEXT = "“We will win the vote,” Ana Ruiz said on Monday."
GOOD = f"id: ruiz-direct\ntext: '{QUOTE_TEXT}'\nquotes:\n  - {{speaker: Ruiz, content: We will win the vote, kind: direct}}\n"
BAD = f"id: ruiz-wrong\ndescription: keep me\ntext: '{QUOTE_TEXT}'\nquotes:\n  - {{speaker: Tom Reed, content: We will win}}\ntags: [t]\n"
PAIR = {
    "id": "acme-timing",
    "text_a": "Acme Corp said it would close the Leeds plant in March.",
    "text_b": "Acme Corp closed the Leeds plant in October.",
    "findings": [{"actor": "Acme", "intention": "close the Leeds plant in March", "action": "closed the Leeds plant", "verdict": "consistent"}],
}


@pytest.fixture(autouse=True)
def fake_model(monkeypatch):
    """regress runs with the fake encoder here: the runner, not the model, is under test."""
    monkeypatch.setattr(commands, "_checker", lambda args: Checker(encoder=FakeEncoder()))


@pytest.fixture
def cases(tmp_path):
    folder = tmp_path / "fixtures"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.qc.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "sub" / "pair.qc.json").write_text(json.dumps({**PAIR, "findings": [{**PAIR["findings"][0], "verdict": "mismatch", "type": "timing"}]}), encoding="utf-8")
    return folder


def test_regress_all_pass_exits_0(cases, capsys):
    assert main(["regress", str(cases)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["result", "case", "file", "time", "checks"]
    assert re.search(r"^pass +ruiz-direct ", out, re.M) and re.search(r"^pass +acme-timing ", out, re.M)
    assert out.rstrip().endswith("2 passed, 0 failed")


def test_regress_failure_exits_1_with_a_diff(cases, capsys):
    (cases / "bad.qc.yaml").write_text(BAD, encoding="utf-8")
    assert main(["regress", str(cases)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"^FAIL +ruiz-wrong ", out, re.M) and "0/1 ok" in out
    assert f"--- ruiz-wrong ({cases / 'bad.qc.yaml'})\n  quote 'We will win'\n  - expected: Tom Reed\n  + found:    Ana Ruiz [direct]\n" in out
    assert out.rstrip().endswith("2 passed, 1 failed")


def test_regress_finding_diff_names_expected_and_found_verdict(tmp_path, capsys):
    (tmp_path / "pair.qc.json").write_text(json.dumps(PAIR), encoding="utf-8")
    assert main(["regress", str(tmp_path / "pair.qc.json")]) == 1
    out = capsys.readouterr().out
    # the found verdict, then the finding's explanation (its wording is the judge's, not checked here)
    assert "  - expected: consistent\n  + found:    mismatch:timing (Acme Corp: " in out


def test_regress_quiet_shows_only_failures(cases, capsys):
    (cases / "bad.qc.yaml").write_text(BAD, encoding="utf-8")
    assert main(["regress", str(cases), "--quiet"]) == 1
    captured = capsys.readouterr()
    assert "ruiz-direct" not in captured.out and "ruiz-wrong" in captured.out and captured.err == ""


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("missing.qc.yaml", "text: Hello there.\n", "field 'id': Field required"),
        ("type.qc.yaml", f"id: x\ntext: '{QUOTE_TEXT}'\nquotes: 3\n", "field 'quotes': Input should be a valid tuple"),
        ("verdict.qc.json", json.dumps({**PAIR, "findings": [{**PAIR["findings"][0], "verdict": "wrong"}]}), "field 'findings[0].verdict': Input should be 'mismatch', 'consistent' or 'unverified'"),
        ("notyaml.qc.yaml", "id: [x\n", "not valid YAML"),
        ("notjson.qc.json", "{id: x}", "not valid JSON"),
        ("lines.qc.jsonl", json.dumps({"id": "a", "text": QUOTE_TEXT}) + "\nnot json\n", "line 2: not valid JSON"),
    ],
)
def test_regress_malformed_fixture_exits_2_naming_file_and_field(cases, capsys, name, content, reason):
    bad = cases / name
    bad.write_text(content, encoding="utf-8")
    junit = cases.parent / "junit.xml"
    junit.write_text("old report", encoding="utf-8")
    assert main(["regress", str(cases), "--junit", str(junit)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing was run
    first = captured.err.splitlines()[0]
    assert first.startswith(f"quotecheck: error: [E040] {bad}: ") and reason in first, first
    assert "no case was run" in captured.err and "Traceback" not in captured.err
    assert junit.read_text(encoding="utf-8") == "old report"  # an existing output survives a failed run


def test_regress_names_every_malformed_file(cases, capsys):
    (cases / "a.qc.yaml").write_text("id: a\n", encoding="utf-8")
    (cases / "b.qc.yaml").write_text("- a list\n", encoding="utf-8")
    assert main(["regress", str(cases)]) == 2
    err = capsys.readouterr().err
    assert "a.qc.yaml: field 'case'" in err and "b.qc.yaml: a case must be a mapping" in err and "2 malformed" in err


@pytest.mark.parametrize(
    "make, code",
    [
        (lambda p: p, "[E041]"),  # an empty directory
        (lambda p: p / "nothing-*.qc.yaml", "[E041]"),  # a glob that matches nothing
        (lambda p: p / "missing.qc.yaml", "no such file or directory"),
        (lambda p: (p / "notes.txt").write_text("x") and p / "notes.txt", "not a fixture file"),
    ],
)
def test_regress_bad_paths_exit_2(tmp_path, capsys, make, code):
    assert main(["regress", str(make(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert code in err and err.count("\n") == 1


def test_regress_junit_xml_is_valid(cases, capsys):
    (cases / "bad.qc.yaml").write_text(BAD, encoding="utf-8")
    junit = cases.parent / "out" / "junit.xml"
    junit.parent.mkdir()
    junit.write_text("old", encoding="utf-8")
    assert main(["regress", str(cases), "--junit", str(junit)]) == 1
    assert "wrote JUnit XML report" in capsys.readouterr().err
    root = ET.parse(junit).getroot()
    assert root.tag == "testsuites" and (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "0")
    suites = root.findall("testsuite")
    assert len(suites) == 3  # one per file
    for suite in suites:
        cases_ = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases_)) and suite.get("failures") == str(len(suite.findall("testcase/failure")))
        for attr in ("name", "errors", "skipped", "time", "timestamp"):
            assert suite.get(attr) is not None
        for case in cases_:
            assert case.get("name") and case.get("classname") and float(case.get("time")) >= 0
    (failure,) = root.iter("failure")
    assert failure.get("message") == "1 of 1 checks failed" and "- expected: Tom Reed" in failure.text
    assert [c.get("classname") for c in root.iter("testcase") if c.find("failure") is not None][0].endswith("fixtures.bad")
    assert list(junit.parent.iterdir()) == [junit]  # written atomically, no temporary file left


def test_regress_formats_json_and_jsonl(cases, capsys):
    assert main(["regress", str(cases), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["case_id"] for r in data] == ["ruiz-direct", "acme-timing"] and all(r["checks"] for r in data)
    assert main(["regress", str(cases), "--format", "jsonl"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_regress_never_rewrites_without_update(cases, capsys):
    bad = cases / "bad.qc.yaml"
    bad.write_text(BAD, encoding="utf-8")
    before = {p: p.read_bytes() for p in cases.rglob("*.qc.*")}
    assert main(["regress", str(cases)]) == 1
    assert {p: p.read_bytes() for p in cases.rglob("*.qc.*")} == before


def test_regress_update_rewrites_failing_yaml_case(cases, capsys):
    import yaml

    bad = cases / "bad.qc.yaml"
    bad.write_text(BAD, encoding="utf-8")
    good_before = (cases / "good.qc.yaml").read_bytes()
    assert main(["regress", str(cases), "--update"]) == 0
    err = capsys.readouterr().err
    assert f"updated {bad}: ruiz-wrong" in err
    data = yaml.safe_load(bad.read_text(encoding="utf-8"))
    assert list(data) == ["id", "description", "text", "quotes", "tags"]
    assert data["quotes"] == [{"speaker": "Ana Ruiz", "content": "“We will win the vote,”", "kind": "direct"}]
    assert (cases / "good.qc.yaml").read_bytes() == good_before  # passing cases are left alone
    assert main(["regress", str(cases)]) == 0


def test_regress_update_rewrites_json_and_jsonl(tmp_path, capsys):
    (tmp_path / "pair.qc.json").write_text(json.dumps(PAIR), encoding="utf-8")
    lines = [json.dumps({"id": "ok", "text": QUOTE_TEXT, "quotes": [{"speaker": "Ruiz", "content": "We will"}]}), json.dumps({**PAIR, "id": "bad-line"})]
    (tmp_path / "many.qc.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["regress", str(tmp_path), "--update"]) == 0
    assert json.loads((tmp_path / "pair.qc.json").read_text(encoding="utf-8"))["findings"][0]["verdict"] == "mismatch"
    new_lines = (tmp_path / "many.qc.jsonl").read_text(encoding="utf-8").splitlines()
    assert new_lines[0] == lines[0] and json.loads(new_lines[1])["findings"][0]["type"] == "timing"
    assert main(["regress", str(tmp_path)]) == 0


def test_regress_update_fills_a_new_case(tmp_path, capsys):
    new = tmp_path / "new.qc.yaml"
    # a late closure (the tiny said/did model these tests run with calls it a timing mismatch)
    new.write_text("id: new\ntext: |\n  Acme Corp said it would close the plant in March.\n  Acme Corp closed the plant in October.\n", encoding="utf-8")
    assert main(["regress", str(new)]) == 1
    assert "no expectation" in capsys.readouterr().out
    assert main(["regress", str(new), "--update"]) == 0
    text = new.read_text(encoding="utf-8")
    assert "text: |\n  Acme Corp said" in text and "verdict: mismatch" in text and "type: timing" in text


def test_regress_console_script_exit_codes(tmp_path):
    """The real command, in a subprocess (quote-only cases need no model)."""
    (tmp_path / "good.qc.yaml").write_text(GOOD, encoding="utf-8")
    run = lambda *a: subprocess.run([sys.executable, "-m", "quotecheck.cli", "regress", *a], capture_output=True, text=True, timeout=300)  # noqa: E731
    ok = run(str(tmp_path))
    assert ok.returncode == 0 and "1 passed, 0 failed" in ok.stdout and ok.stderr == ""
    (tmp_path / "bad.qc.yaml").write_text(BAD, encoding="utf-8")
    assert run(str(tmp_path)).returncode == 1
    (tmp_path / "broken.qc.yaml").write_text("id: [", encoding="utf-8")
    broken = run(str(tmp_path))
    assert broken.returncode == 2 and "broken.qc.yaml" in broken.stderr and broken.stdout == ""


# -- xfail: expected failures are run, shown and counted; a pass of a marked case fails ------------

XFAIL_BAD = BAD.replace("tags: [t]\n", "xfail: the speaker of split quotes is not resolved yet\ntags: [t]\n")
XFAIL_GOOD = GOOD + "xfail: was broken once\n"


def test_regress_xfail_case_is_counted_and_does_not_fail(cases, capsys):
    (cases / "bad.qc.yaml").write_text(XFAIL_BAD, encoding="utf-8")
    assert main(["regress", str(cases)]) == 0
    out = capsys.readouterr().out
    row = re.search(r"^xfail +ruiz-wrong .*$", out, re.M)
    assert row and "xfail: the speaker of split quotes is not resolved yet" in row.group(0)
    assert out.rstrip().endswith("2 passed, 0 failed, 1 xfailed")
    assert "--- ruiz-wrong" not in out  # an expected failure is not a failure to read about


def test_regress_xpass_fails_the_run(cases, capsys):
    (cases / "good.qc.yaml").write_text(XFAIL_GOOD, encoding="utf-8")
    assert main(["regress", str(cases)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"^XPASS +ruiz-direct ", out, re.M)
    assert "--- ruiz-direct" in out and "marked xfail (was broken once)" in out
    assert out.rstrip().endswith("1 passed, 0 failed, 1 xpassed")


def test_regress_quiet_still_shows_xfail_and_xpass(cases, capsys):
    (cases / "bad.qc.yaml").write_text(XFAIL_BAD, encoding="utf-8")
    (cases / "good.qc.yaml").write_text(XFAIL_GOOD, encoding="utf-8")
    assert main(["regress", str(cases), "-q"]) == 1
    out = capsys.readouterr().out
    assert "ruiz-wrong" in out and "ruiz-direct" in out and "acme-timing" not in out


def test_regress_junit_counts_xfail_as_skipped_and_xpass_as_failure(cases, tmp_path, capsys):
    (cases / "bad.qc.yaml").write_text(XFAIL_BAD, encoding="utf-8")
    (cases / "good.qc.yaml").write_text(XFAIL_GOOD, encoding="utf-8")
    junit = tmp_path / "junit.xml"
    assert main(["regress", str(cases), "--junit", str(junit), "-q"]) == 1
    root = ET.parse(junit).getroot()
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("3", "1", "1")
    (skipped,) = root.iter("skipped")
    assert skipped.get("type") == "pytest.xfail" and skipped.get("message") == "the speaker of split quotes is not resolved yet"
    assert "- expected: Tom Reed" in skipped.text
    (failure,) = root.iter("failure")
    assert failure.get("message") == "[XPASS(strict)] was broken once"
    by_name = {s.get("name"): s for s in root.findall("testsuite")}
    assert by_name[str(cases / "bad.qc.yaml")].get("skipped") == "1" and by_name[str(cases / "good.qc.yaml")].get("failures") == "1"


def test_regress_json_reports_each_outcome(cases, capsys):
    (cases / "bad.qc.yaml").write_text(XFAIL_BAD, encoding="utf-8")
    assert main(["regress", str(cases), "--format", "json"]) == 0
    outcomes = {r["case_id"]: (r["outcome"], r["xfail"]) for r in json.loads(capsys.readouterr().out)}
    assert outcomes == {
        "ruiz-direct": ("passed", None),
        "ruiz-wrong": ("xfailed", "the speaker of split quotes is not resolved yet"),
        "acme-timing": ("passed", None),
    }


def test_regress_update_removes_the_mark_of_an_xpass_case(cases, capsys):
    import yaml

    good = cases / "good.qc.yaml"
    good.write_text(XFAIL_GOOD, encoding="utf-8")
    bad = cases / "bad.qc.yaml"
    bad.write_text(XFAIL_BAD, encoding="utf-8")
    before_bad = bad.read_bytes()
    assert main(["regress", str(cases), "--update"]) == 0
    assert "xfail" not in yaml.safe_load(good.read_text(encoding="utf-8"))
    assert bad.read_bytes() == before_bad  # an expected failure keeps its expectations and its mark
    assert main(["regress", str(cases)]) == 0
