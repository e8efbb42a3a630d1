"""Traceable output: every document names its source, corpus findings name both documents,
tables never cut names, files follow the umask, unverified findings never fail ``--fail-on mismatch``."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import sys

import pytest

from quotecheck import Checker
from quotecheck.cli import commands, main
from quotecheck.cli.inputs import write_atomic
from quotecheck.models import Analysis, Finding
from quotecheck.testing.fakes import FakeEncoder

#: Findings here come from the tiny said/did model of tests/saydo_tiny.py, not the shipped one:
#: these tests are about what happens to findings, whatever model makes them.
pytestmark = pytest.mark.usefixtures("tiny_saydo_env")

QUOTE = "“We will win the vote,” Ana Ruiz said on Monday."
PAIR = ("Acme Corp said it would close the Leeds plant in March.", "Acme Corp closed the Leeds plant in October.")
LONG_NAME = "Maria Concepcion de los Angeles Ruiz-Hernandez Villanueva"


@pytest.fixture
def fake_model(monkeypatch):
    """The CLI, not the model, is under test."""
    monkeypatch.setattr(commands, "_checker", lambda args: Checker(encoder=FakeEncoder()))


@pytest.fixture
def texts(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(QUOTE, encoding="utf-8")
    (folder / "b.txt").write_text(" ".join(PAIR), encoding="utf-8")
    return folder


def _stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))


@pytest.mark.parametrize("command", ["quotes", "check"])
def test_output_json_and_jsonl_name_each_source(texts, capsys, fake_model, command):
    files = [str(texts / "a.txt"), str(texts / "b.txt")]
    assert main([command, *files, "--format", "json"]) == 0
    assert [d["source"] for d in json.loads(capsys.readouterr().out)] == files
    assert main([command, *files, "--format", "jsonl"]) == 0
    assert [json.loads(line)["source"] for line in capsys.readouterr().out.splitlines()] == files


def test_output_directory_input_names_every_file(texts, capsys):
    assert main(["quotes", str(texts), "--format", "jsonl"]) == 0
    sources = [json.loads(line)["source"] for line in capsys.readouterr().out.splitlines()]
    assert sources == [str(texts / "a.txt"), str(texts / "b.txt")]


def test_output_stdin_is_named_stdin(monkeypatch, capsys):
    _stdin(monkeypatch, QUOTE)
    assert main(["quotes", "-", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["source"] == "<stdin>"


def test_output_files_under_output_carry_the_source(texts, tmp_path, capsys):
    assert main(["quotes", str(texts / "a.txt"), "--format", "json", "--output", str(tmp_path / "out"), "-q"]) == 0
    assert json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))["source"] == str(texts / "a.txt")


def test_output_html_names_each_source(texts, capsys, fake_model):
    a, b = str(texts / "a.txt"), str(texts / "b.txt")
    assert main(["check", a, b, "--format", "html"]) == 0
    html = capsys.readouterr().out
    assert re.findall(r'<section class="doc"[^>]* data-source="([^"]*)"', html) == [a, b]
    assert f"source: {a}" in html and f"source: {b}" in html


def test_output_text_names_each_source(texts, capsys):
    a = str(texts / "a.txt")
    assert main(["quotes", a]) == 0
    assert capsys.readouterr().out.startswith(f"== {a} (d")


def test_output_compare_names_both_sources(tmp_path, capsys, fake_model):
    a, b = tmp_path / "plan.txt", tmp_path / "report.txt"
    a.write_text(PAIR[0], encoding="utf-8")
    b.write_text(PAIR[1], encoding="utf-8")
    assert main(["compare", str(a), str(b), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["a"]["source"], data["b"]["source"]) == (str(a), str(b))
    assert main(["compare", str(a), str(b), "--wide"]) == 0
    out = capsys.readouterr().out
    assert f"intentions in {a} (" in out and f"actions in {b} (" in out


# -- index check: both documents of a finding ---------------------------------------------------


@pytest.fixture
def index(tmp_path, capsys, fake_model):
    plan, report = tmp_path / "plan.txt", tmp_path / "report.txt"
    plan.write_text(PAIR[0], encoding="utf-8")
    report.write_text(PAIR[1], encoding="utf-8")
    folder = tmp_path / "idx"
    assert main(["index", "add", str(folder), str(plan), "--date", "2024-01-05", "-q"]) == 0
    assert main(["index", "add", str(folder), str(report), "--date", "2024-11-02", "-q"]) == 0
    capsys.readouterr()
    return folder, str(plan), str(report)


def test_output_index_check_json_names_both_documents_and_spans(index, capsys):
    folder, plan, report = index
    assert main(["index", "check", str(folder), "--format", "json"]) == 0
    (finding,) = json.loads(capsys.readouterr().out)
    docs = finding["documents"]
    assert (docs["intention"]["source"], docs["intention"]["date"]) == (plan, "2024-01-05")
    assert (docs["action"]["source"], docs["action"]["date"]) == (report, "2024-11-02")
    assert docs["intention"]["span"]["text"] in PAIR[0] and "would close" in docs["intention"]["span"]["text"]
    assert docs["action"]["span"]["text"] in PAIR[1] and "closed" in docs["action"]["span"]["text"]
    assert docs["intention"]["statement"] == finding["intention"] and finding["verdict"] == "mismatch"
    assert main(["index", "check", str(folder), "--format", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == docs


def test_output_index_check_text_names_both_documents_and_quotes_both_spans(index, capsys):
    folder, plan, report = index
    assert main(["index", "check", str(folder), "--format", "json"]) == 0
    docs = json.loads(capsys.readouterr().out)[0]["documents"]
    assert main(["index", "check", str(folder), "--wide"]) == 0
    out = capsys.readouterr().out
    intention = next(line for line in out.splitlines() if line.strip().startswith("stated"))
    action = next(line for line in out.splitlines() if line.strip().startswith("reported"))
    for line, path, date, side in ((intention, plan, "2024-01-05", docs["intention"]), (action, report, "2024-11-02", docs["action"])):
        span = side["span"]
        assert path in line and date in line and f"[{span['start']}, {span['end']})" in line and f"“{span['text']}”" in line
    assert out.startswith("-- 1 finding across 2 indexed documents: 1 mismatch (1 timing)")


# -- tables never cut names ----------------------------------------------------------------------


def column(lines: list[str], name: str) -> str:
    """The text of the table column headed ``name``, its wrapped pieces joined (the header is the first line)."""
    header = lines[0]
    starts = [m.start() for m in re.finditer(r"\S+", header)]
    i = [m.group() for m in re.finditer(r"\S+", header)].index(name)
    start, end = starts[i], starts[i + 1] if i + 1 < len(starts) else None
    return " ".join(line[start:end].strip() for line in lines[1:] if line[start:end].strip())


@pytest.mark.parametrize("columns", ["40", "80", "200"])
def test_output_table_never_cuts_speaker_names(tmp_path, capsys, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    text = f"“We will win the vote in every district of the country this year,” {LONG_NAME} said on Monday."
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    assert main(["quotes", str(tmp_path / "long.txt")]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    table = lines[next(i for i, line in enumerate(lines) if line.startswith("id ")):]
    assert column(table, "speaker") == LONG_NAME and "…" not in out  # wrapped within its column, not cut
    assert column(table, "content") == "“We will win the vote in every district of the country this year,”"
    assert max(len(line) for line in table) <= int(columns)  # the name never widens the table
    if columns == "40":
        assert len(table) > 3  # the cells wrapped onto continuation lines

def test_output_wide_keeps_each_row_on_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    text = f"“We will win the vote in every district of the country this year,” {LONG_NAME} said on Monday."
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    assert main(["quotes", str(tmp_path / "long.txt"), "--wide"]) == 0
    (row,) = [line for line in capsys.readouterr().out.splitlines() if line.startswith("q1 ")]
    assert LONG_NAME in row and "this year,”" in row


def test_output_statement_table_never_cuts_actor_names(tmp_path, capsys, fake_model, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    actor = "The Northern Counties Regional Transport and Infrastructure Authority"
    (tmp_path / "t.txt").write_text(f"{actor} said it would close the Leeds depot in March.", encoding="utf-8")
    assert main(["check", str(tmp_path / "t.txt"), "-v"]) == 0
    lines = capsys.readouterr().out.splitlines()
    quotes, statements = [i for i, line in enumerate(lines) if line.startswith("id ")]
    assert actor in column(lines[quotes : statements - 1], "speaker") and "…" not in "".join(lines)
    assert column(lines[statements:], "actor") in actor  # the statement's actor, whole
    assert max(len(line) for line in lines) <= 60


# -- files written 0644 (the umask) ----------------------------------------------------------------


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_output_files_follow_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "report.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report.json").stat().st_mode) == mode


def test_output_rewritten_file_keeps_its_mode(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text(encoding="utf-8") == "new"


def test_output_dir_files_are_0644_under_umask_022(texts, tmp_path, capsys):
    old = os.umask(0o022)
    try:
        assert main(["quotes", str(texts), "--format", "json", "--output", str(tmp_path / "out"), "-q"]) == 0
    finally:
        os.umask(old)
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "out").iterdir()} == {0o644}


# -- unverified findings ----------------------------------------------------------------------------


def _finding(n: int, verdict: str, type_: str | None = None, score: float = 0.5) -> Finding:
    return Finding(
        id=f"d1:f{n}", actor_name="Acme Corp", intention=f"d1:s{n}", action=f"d1:s{n + 10}", verdict=verdict,
        type=type_, score=score, similarity=0.5, explanation=f"finding number {n}",
    )


class _Canned:
    """A checker whose pipe returns one analysis with the given findings, whatever the text."""

    def __init__(self, findings: tuple[Finding, ...]) -> None:
        self.findings = findings

    def pipe(self, texts):
        for text in texts:
            yield Analysis(doc_id="d1", text=text, findings=self.findings)


@pytest.fixture
def canned(monkeypatch):
    def install(*findings: Finding) -> None:
        monkeypatch.setattr(commands, "_checker", lambda args: _Canned(findings))

    return install


def test_output_unverified_never_fails_fail_on_mismatch(texts, canned, capsys):
    canned(_finding(1, "unverified"), _finding(2, "consistent"))
    a = str(texts / "a.txt")
    assert main(["check", a, "--fail-on", "mismatch"]) == 0
    out = capsys.readouterr().out
    assert "UNVERIFIED" in out and "1 unverified" in out and "mismatch" not in out.lower()
    assert main(["check", a, "--fail-on", "any"]) == 1  # 'any' means any finding
    canned(_finding(1, "unverified"), _finding(2, "mismatch", "timing"))
    assert main(["check", a, "--fail-on", "mismatch", "-q"]) == 1


def test_output_findings_keep_the_given_order(texts, canned, capsys):
    canned(_finding(3, "mismatch", "timing", 0.9), _finding(1, "unverified", None, 0.4), _finding(2, "mismatch", "target", 0.7))
    assert main(["check", str(texts / "a.txt"), "--wide"]) == 0
    ids = re.findall(r"^(d1:f\d)\s", capsys.readouterr().out, re.M)
    assert ids == ["d1:f3", "d1:f1", "d1:f2"]
    assert main(["check", str(texts / "a.txt"), "--format", "html"]) == 0
    html = capsys.readouterr().out
    assert re.findall(r'<li class="finding [a-z]+" id="d1-finding-d1-f(\d)"', html) == ["3", "1", "2"]
