"""Records for tools: ``--format jsonl --per finding``, ``--format csv`` and ``quotecheck schema finding`` (issue 18, part 3)."""

from __future__ import annotations

import csv
import io
import json
import re

import jsonschema
import pytest

from quotecheck import Checker
from quotecheck.cli import commands, main
from quotecheck.io.records import CSV_COLUMNS, FindingRecord
from quotecheck.testing.fakes import FakeEncoder
from tests.cli.test_view import Canned
from tests.viewdata import pledge_document, quiet_document, quoted_pledge

#: Findings here come from the tiny said/did model of tests/saydo_tiny.py, not the shipped one:
#: these tests are about what happens to findings, whatever model makes them.
pytestmark = pytest.mark.usefixtures("tiny_saydo_env")

PAIR = ("Acme Corp said it would close the Leeds plant in March.", "Acme Corp closed the Leeds plant in October.")


@pytest.fixture
def checked(tmp_path, monkeypatch):
    """Three files (two with a finding, one without) and a canned checker for them."""
    analyses = [pledge_document(), quiet_document(1), quoted_pledge()]
    monkeypatch.setattr(commands, "_checker", lambda args: Canned(analyses))
    files = []
    for n, a in enumerate(analyses):
        path = tmp_path / f"a{n}.txt"
        path.write_text(a.text, encoding="utf-8")
        files.append(str(path))
    return analyses, files


def _schema(capsys) -> dict:
    assert main(["schema", "finding"]) == 0
    return json.loads(capsys.readouterr().out)


def _check_traceable(record: dict, texts: dict[str, str]) -> None:
    """Both spans of ``record`` are what their file holds at their offsets."""
    for side in ("stated", "reported"):
        text = texts[record[f"{side}_source"]]
        assert text[record[f"{side}_start"] : record[f"{side}_end"]] == record[f"{side}_text"]


def test_records_jsonl_per_finding_one_self_contained_line_each(checked, capsys):
    analyses, files = checked
    assert main(["check", *files, "--format", "jsonl", "--per", "finding"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    schema = _schema(capsys)
    assert [r["finding"] for r in records] == [f.id for a in analyses for f in a.findings]
    texts = {f: a.text for f, a in zip(files, analyses)}
    for record, source in zip(records, (files[0], files[2])):
        jsonschema.validate(record, schema)
        assert record["source"] == source and record["doc_id"] in {a.doc_id for a in analyses}
        assert {"actor", "verdict", "type", "score", "explanation"} <= set(record)
        _check_traceable(record, texts)


def test_records_jsonl_per_document_is_unchanged(checked, capsys):
    analyses, files = checked
    assert main(["check", *files, "--format", "jsonl"]) == 0
    assert [json.loads(line)["doc_id"] for line in capsys.readouterr().out.splitlines()] == [a.doc_id for a in analyses]


def test_records_csv_holds_the_same_records(checked, capsys):
    analyses, files = checked
    assert main(["check", *files, "--format", "jsonl", "--per", "finding"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main(["check", *files, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(records) == 2
    for row, record in zip(rows, records):
        assert tuple(row) == CSV_COLUMNS
        assert row == {k: "" if v is None else str(v) for k, v in record.items()}
        assert FindingRecord.model_validate({k: v or None for k, v in row.items()} | {"score": float(row["score"])})


def test_records_csv_under_output_one_file_per_input(checked, tmp_path, capsys):
    analyses, files = checked
    assert main(["check", *files, "--format", "csv", "--output", str(tmp_path / "out"), "-q"]) == 0
    written = {p.name: list(csv.DictReader(p.open(encoding="utf-8"))) for p in (tmp_path / "out").iterdir()}
    assert sorted(written) == ["a0.csv", "a1.csv", "a2.csv"]
    assert [len(written[n]) for n in ("a0.csv", "a1.csv", "a2.csv")] == [1, 0, 1]


def test_records_explanation_never_cuts_a_word_and_spans_stay_whole(checked, capsys):
    analyses, files = checked
    assert main(["check", files[0], "--format", "jsonl", "--per", "finding"]) == 0
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    original = analyses[0].findings[0].explanation
    assert re.search(r"\w…”", original)  # the judge cut a word ...
    for fragment in re.findall(r"“([^“”]*)…”", record["explanation"]):
        whole = record["stated_text"] if record["stated_text"].startswith(fragment) else record["reported_text"]
        assert whole.startswith(fragment) and not re.match(r"\w", whole[len(fragment)])  # ... the record does not
    assert record["reported_text"] == analyses[0].statement(analyses[0].findings[0].action).span.text


def test_records_actor_holds_the_pledge_subject_kept_apart(checked, capsys):
    analyses, files = checked
    assert main(["check", files[2], "--format", "jsonl", "--per", "finding"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["actor"], record["subject"]) == ("Mayor Ana Ruiz", "The library")


@pytest.fixture
def pair(tmp_path, monkeypatch):
    monkeypatch.setattr(commands, "_checker", lambda args: Checker(encoder=FakeEncoder()))
    a, b = tmp_path / "plan.txt", tmp_path / "report.txt"
    a.write_text(PAIR[0], encoding="utf-8")
    b.write_text(PAIR[1], encoding="utf-8")
    return str(a), str(b)


def test_records_compare_names_both_files(pair, capsys):
    plan, report = pair
    assert main(["compare", plan, report, "--format", "jsonl", "--per", "finding"]) == 0
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    jsonschema.validate(record, _schema(capsys))
    assert (record["stated_source"], record["reported_source"], record["source"]) == (plan, report, report)
    _check_traceable(record, {plan: PAIR[0], report: PAIR[1]})
    assert main(["compare", plan, report, "--format", "csv"]) == 0
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert row["stated_start"] == str(record["stated_start"]) and row["reported_text"] == record["reported_text"]


def test_records_index_check_per_finding_and_csv(pair, tmp_path, capsys):
    plan, report = pair
    folder = str(tmp_path / "idx")
    assert main(["index", "add", folder, plan, "--date", "2024-01-05", "-q"]) == 0
    assert main(["index", "add", folder, report, "--date", "2024-11-02", "-q"]) == 0
    capsys.readouterr()
    assert main(["index", "check", folder, "--format", "jsonl", "--per", "finding"]) == 0
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    jsonschema.validate(record, _schema(capsys))
    assert (record["stated_date"], record["reported_date"], record["date"]) == ("2024-01-05", "2024-11-02", "2024-11-02")
    _check_traceable(record, {plan: PAIR[0], report: PAIR[1]})
    assert main(["index", "check", folder, "--format", "csv"]) == 0
    (row,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert row["finding"] == record["finding"] and row["stated_source"] == plan


def test_records_schema_finding_is_the_record_model(capsys):
    schema = _schema(capsys)
    assert schema["$id"] == "urn:quotecheck:schema:finding"
    assert set(schema["properties"]) == set(CSV_COLUMNS)
    assert {"source", "doc_id", "stated_start", "stated_end", "stated_text", "reported_start", "reported_text"} <= set(schema["required"])
