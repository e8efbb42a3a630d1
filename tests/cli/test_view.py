"""The findings-first text view of ``check``, ``compare`` and ``index check`` (issue 18, parts 1 and 2).

The analyses are built by hand (``tests/viewdata.py``) and handed to the CLI by a canned checker,
so these tests hold whatever findings the model produces.
"""

from __future__ import annotations

import re

import pytest

from quotecheck.cli import commands, main
from tests.viewdata import REPORT, pledge_document, quiet_document, quoted_pledge

#: Findings here come from the tiny said/did model of tests/saydo_tiny.py, not the shipped one:
#: these tests are about what happens to findings, whatever model makes them.
pytestmark = pytest.mark.usefixtures("tiny_saydo_env")


class Canned:
    """A checker whose ``pipe`` returns the prepared analysis of each text."""

    def __init__(self, analyses) -> None:
        self.by_text = {a.text: a for a in analyses}

    def pipe(self, texts):
        for text in texts:
            yield self.by_text[text]


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    """Write each analysis' text to a file, run ``check`` on them all, return (exit code, stdout lines, files)."""

    def go(analyses, *args, columns: str | None = "100"):
        if columns is None:
            monkeypatch.delenv("COLUMNS", raising=False)
        else:
            monkeypatch.setenv("COLUMNS", columns)
        monkeypatch.setattr(commands, "_checker", lambda args: Canned(analyses))
        monkeypatch.chdir(tmp_path)  # file names as a user types them: articles/article-00.txt
        (tmp_path / "articles").mkdir(exist_ok=True)
        files = []
        for n, a in enumerate(analyses):
            path = f"articles/article-{n:02d}.txt"
            (tmp_path / path).write_text(a.text, encoding="utf-8")
            files.append(path)
        code = main(["check", *files, *args])
        return code, capsys.readouterr().out.splitlines(), files

    return go


def twelve():
    """Twelve texts, four of them with one finding each (three mismatches, one consistent)."""
    found = [
        pledge_document(extra=" One."),
        pledge_document(extra=" Two.", type_="target"),
        pledge_document(extra=" Three."),
        pledge_document(extra=" Four.", verdict="consistent", type_=None),
    ]
    return [*found[:2], *(quiet_document(n) for n in range(4)), *found[2:], *(quiet_document(n) for n in range(4, 8))]


def test_view_twelve_texts_four_findings_fit_one_screen(run):
    code, lines, files = run(twelve())
    assert code == 0
    assert len(lines) <= 40, "\n".join(lines)
    assert max(len(line) for line in lines) <= 100
    assert lines[0] == "-- 4 findings in 12 texts: 3 mismatches (2 timing, 1 target), 1 consistent"


def test_view_leads_with_findings_and_names_file_and_offsets(run):
    analyses = twelve()
    code, lines, files = run(analyses)
    out = "\n".join(lines)
    for a, path in zip(analyses, files):
        for f in a.findings:
            plan, outcome = (a.statement(f.intention), a.statement(f.action))
            assert f"== {path} ({a.doc_id})" in out
            block = out[out.index(f.id) :]
            assert f"[{plan.span.start}, {plan.span.end})" in block and f"[{outcome.span.start}, {outcome.span.end})" in block
    first_quiet = next(i for i, line in enumerate(lines) if "nothing to report" in line)
    last_finding = max(i for i, line in enumerate(lines) if line.lstrip().startswith("why"))
    assert last_finding < first_quiet  # findings first, quiet texts after


def test_view_text_with_nothing_to_report_takes_one_line(run):
    analyses = [quiet_document(1), quiet_document(2)]
    code, lines, files = run(analyses)
    assert lines == ["-- 0 findings in 2 texts", "", *(f"{p} ({a.doc_id}): nothing to report" for a, p in zip(analyses, files))]
    assert not any("no findings" in line or "-- 0 findings" in line for line in lines[1:])


@pytest.mark.parametrize("columns", ["60", "80", "100", "132"])
def test_view_no_line_longer_than_the_width(run, columns):
    code, lines, _ = run(twelve(), "-v", columns=columns)
    assert max(len(line) for line in lines) <= int(columns)


def test_view_width_defaults_to_100_without_columns(run):
    code, lines, _ = run(twelve(), "-v", columns=None)
    assert max(len(line) for line in lines) <= 100 and any(len(line) > 90 for line in lines)


def test_view_wide_keeps_spans_whole_on_one_line(run):
    code, lines, _ = run([pledge_document()], "--wide")
    reported = next(line for line in lines if line.lstrip().startswith("reported"))
    assert f"“{REPORT}”" in reported and len(reported) > 100


def test_view_spans_are_cut_after_a_whole_word(run):
    code, lines, _ = run([pledge_document()], columns="80")
    out = "\n".join(lines)
    shown = re.findall(r"“([^“”]*)…”", out)
    assert shown, out  # the long spans were shortened ...
    words = set(re.findall(r"[\w’'-]+", pledge_document().text))
    for fragment in shown:
        assert fragment.split()[-1].strip(",.") in words  # ... and every one ends on a whole word


def test_view_why_is_the_judges_reason_without_the_restated_spans(run):
    code, lines, _ = run([pledge_document()])
    (why,) = [line for line in lines if line.lstrip().startswith("why")]
    assert why.split(None, 1)[1] == "timing, due in March, done in October."


@pytest.mark.parametrize("show, quotes, statements", [((), False, False), (("--show", "quotes"), True, False),
                                                       (("--show", "statements"), False, True), (("--show", "quotes,statements"), True, True),
                                                       (("-v",), True, True)])
def test_view_tables_only_when_asked(run, show, quotes, statements):
    code, lines, _ = run([quoted_pledge()], *show)
    assert any(line.startswith("id ") and "speaker" in line for line in lines) == quotes
    assert any(line.startswith("id ") and "statement" in line for line in lines) == statements


def test_view_show_takes_only_known_tables(run, capsys):
    with pytest.raises(SystemExit) as exc:
        run([quoted_pledge()], "--show", "quotes,entities")
    assert exc.value.code == 2 and "--show" in capsys.readouterr().err


def test_view_actor_is_the_speaker_of_a_quoted_pledge(run):
    code, lines, _ = run([quoted_pledge()])
    head = next(line for line in lines if "MISMATCH" in line)
    assert head.endswith("Mayor Ana Ruiz (subject: The library)")


@pytest.mark.parametrize(
    "kw, who",
    [
        ({"speaker": "People familiar with the plans", "speaker_type": "anonymous"}, "The library"),  # relays, does not hold
        ({"subject": "We", "group": None}, "Mayor Ana Ruiz"),  # "we": the speaker holds it
        ({"subject": "Acme Corp", "group": None}, "Acme Corp"),  # an agent's own plan, reported by the mayor
    ],
)
def test_view_holder_of_the_pledge(run, kw, who):
    code, lines, _ = run([quoted_pledge(**kw)])
    head = next(line for line in lines if "MISMATCH" in line)
    assert head.split("score 0.80  ")[1].split(" (subject")[0] == who


def test_view_compare_leads_with_the_findings(tmp_path, monkeypatch, capsys):
    from quotecheck import Checker
    from quotecheck.testing.fakes import FakeEncoder

    monkeypatch.setattr(commands, "_checker", lambda args: Checker(encoder=FakeEncoder()))
    a, b = tmp_path / "plan.txt", tmp_path / "report.txt"
    a.write_text("Acme Corp said it would close the Leeds plant in March.", encoding="utf-8")
    b.write_text("Acme Corp closed the Leeds plant in October.", encoding="utf-8")
    assert main(["compare", str(a), str(b)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "-- 1 finding: 1 mismatch (1 timing)"
    assert not any(line.startswith("id ") for line in lines)  # no statement table by default
    stated = next(line for line in lines if line.lstrip().startswith("stated"))
    assert "[15, 54)" in stated or "[15, 54)" in lines[lines.index(stated) + 1]
    assert main(["compare", str(a), str(b), "-v"]) == 0
    assert sum(line.startswith("id ") for line in capsys.readouterr().out.splitlines()) == 4  # 2 statement + 2 quote tables


def test_view_quiet_text_says_what_was_stated_when_nothing_was_paired(run):
    """A text whose commitments and outcomes were found but not paired says so on its one line."""
    stated = quoted_pledge().model_copy(update={"findings": ()})
    code, lines, files = run([stated, quiet_document(3)])
    text = " ".join(line.strip() for line in lines[2:])
    assert text.startswith(f"{files[0]} ({stated.doc_id}): nothing to report (1 commitment, 1 outcome stated, none paired; --show statements lists them)")
    assert lines[-1] == f"{files[1]} ({quiet_document(3).doc_id}): nothing to report"
