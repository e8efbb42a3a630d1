"""``quotecheck promises``: files, JSON Lines and index inputs, dates, formats (issue 18, part 4).

A canned checker hands the CLI hand-built analyses and findings (``tests/viewdata.py``), so the
statuses tested are the tracker's, whatever findings a model would produce.
"""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from quotecheck.cli import cmd_promises, commands, main
from quotecheck.index import CorpusIndex
from quotecheck.io.records import PROMISE_COLUMNS
from tests.viewdata import dated_corpus

STATUSES = {"Globex": ["overdue"], "Initech": ["pending"], "Umbrella": ["broken"], "Acme Corp": ["changed", "kept"]}


class _Encoder:
    dim = 8


class Canned:
    """A checker that returns prepared analyses (dated as the CLI asks) and prepared cross-text findings."""

    model_path = "fake-model"
    encoder = _Encoder()

    def __init__(self, analyses, cross) -> None:
        self.by_text = {a.text: a for a in analyses}
        self.cross = cross
        self.dates: list[str | None] = []

    def pipe(self, items, *, as_tuples=False):
        for text, context in items:
            a = self.by_text[text]
            self.dates.append(context["date"])
            dated = [s.model_copy(update={"date": context["date"]}) for s in a.statements]
            yield a.model_copy(update={"date": context["date"], "statements": tuple(dated)}), context

    def index_add(self, corpus, analyses):
        return len(list(analyses))

    def check_index(self, corpus, *, since=None):
        return list(self.cross)

    def judge_within(self, analyses):
        return list(analyses)


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    """The dated corpus as files named as PolNeAR names them, without dates inside; a canned checker."""
    analyses, cross = dated_corpus(dated=False)
    checker = Canned(analyses, cross)
    monkeypatch.setattr(commands, "_checker", lambda args: checker)
    monkeypatch.setattr(cmd_promises, "_checker", lambda args: checker)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "text").mkdir()
    for a in analyses:
        (tmp_path / "text" / a.source).write_text(a.text, encoding="utf-8")
    return analyses, checker


def _json(capsys, *args) -> dict:
    assert main(["promises", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def _statuses(report: dict) -> dict[str, list[str]]:
    return {a["actor"]: sorted(p["status"] for p in a["promises"]) for a in report["actors"]}


def test_promises_dates_from_file_names(corpus, capsys):
    report = _json(capsys, "text", "--date-from-name")
    assert _statuses(report) == STATUSES
    assert (report["first_date"], report["last_date"], report["as_of"], report["undated"]) == ("2024-01-05", "2024-11-02", "2024-11-02", 0)
    (globex,) = next(a for a in report["actors"] if a["actor"] == "Globex")["promises"]
    assert (globex["due"], globex["stated"]["source"], globex["stated"]["date"]) == ("2024-06-30", "text/bbc_2024-02-01_globex.txt", "2024-02-01")


def test_promises_without_dates_nothing_is_overdue(corpus, capsys):
    report = _json(capsys, "text")
    assert report["undated"] == 8 and report["counts"]["overdue"] == 0 and report["counts"]["pending"] == 2


def test_promises_as_of_moves_the_cutoff(corpus, capsys):
    report = _json(capsys, "text", "--date-from-name", "--as-of", "2024-05-01")
    assert report["as_of"] == "2024-05-01" and report["counts"]["overdue"] == 0  # Globex was due by June
    with pytest.raises(SystemExit) as exc:
        main(["promises", "text", "--as-of", "May 2024"])
    assert exc.value.code == 2 and "E076" in capsys.readouterr().err


def test_promises_jsonl_date_field(corpus, tmp_path, capsys):
    analyses, checker = corpus
    lines = [json.dumps({"id": f"a{n}", "text": a.text, "date": a.source.split("_")[1]}) for n, a in enumerate(analyses)]
    (tmp_path / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = _json(capsys, "articles.jsonl")
    assert _statuses(report) == STATUSES
    assert {p["stated"]["source"].split(":")[0] for a in report["actors"] for p in a["promises"]} == {"articles.jsonl"}


def test_promises_index_input_uses_the_index_dates(corpus, tmp_path, monkeypatch, capsys):
    analyses, checker = dated_corpus(dated=True)
    index = CorpusIndex("fake-model", 8)
    index.add(analyses, lambda statements: np.full((len(statements), 8), 8**-0.5, dtype=np.float32))
    index.to_disk(tmp_path / "idx")
    canned = Canned(analyses, checker)
    monkeypatch.setattr(cmd_promises, "_checker", lambda args: canned)
    report = _json(capsys, str(tmp_path / "idx"))
    assert _statuses(report) == STATUSES and report["last_date"] == "2024-11-02"
    assert main(["promises", str(tmp_path / "idx"), "text"]) == 2
    assert "E180" in capsys.readouterr().err


def test_promises_csv_one_row_per_promise(corpus, capsys):
    assert main(["promises", "text", "--date-from-name", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert tuple(rows[0]) == PROMISE_COLUMNS and len(rows) == 5
    changed = next(r for r in rows if r["status"] == "changed")
    assert (changed["type"], changed["decided_by"], changed["report_source"]) == ("timing", "x1", "text/wapo_2024-11-02_acme-closes.txt")
    text = (corpus[0][0].text)
    assert text[int(changed["stated_start"]) : int(changed["stated_end"])] == changed["stated_text"]


def test_promises_text_names_each_promise_and_fits_the_width(corpus, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["promises", "text", "--date-from-name"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("-- 5 commitments by 4 actors in 8 documents (2024-01-05 to 2024-11-02), as of")
    assert max(len(line) for line in lines) <= 80
    out = "\n".join(lines)
    for head in ("OVERDUE", "PENDING", "BROKEN (reversal)", "CHANGED (timing)", "KEPT"):
        assert f"\n{head}  " in out
    assert "due 2024-06-30 (“by June”)" in out


def test_promises_html_to_a_file_never_over_an_input(corpus, tmp_path, capsys):
    assert main(["promises", "text", "--date-from-name", "--format", "html", "--output", "promises.html", "-q"]) == 0
    html = (tmp_path / "promises.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count('<section class="lane"') == 4
    target = "text/bbc_2024-02-01_globex.txt"
    assert main(["promises", "text", "--format", "html", "--output", target]) == 2
    assert "E018" in capsys.readouterr().err
