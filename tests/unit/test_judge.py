"""Judge: each mismatch type from the frame slots, consistent when every slot agrees."""

import pytest

from quotecheck import Checker
from quotecheck.config import Config
from quotecheck.pipeline.judge import judge, parse_amount, parse_time, to_finding
from quotecheck.pipeline.match import Pair
from quotecheck.testing.fakes import FakeEncoder


def _pair(intention_text: str, action_text: str) -> Pair:
    c = Checker(encoder=FakeEncoder())
    i = [s for s in c.structure(intention_text, doc_id="a").statements if s.kind == "intention"][0]
    a = [s for s in c.structure(action_text, doc_id="b").statements if s.kind == "action"][0]
    return Pair(i, a, 0.7)


def _same(x: str, y: str) -> float:
    return 1.0 if x.lower().split()[-1] == y.lower().split()[-1] else 0.0


@pytest.mark.parametrize(
    "said, did, verdict, kind",
    [
        ("Acme said it would raise prices.", "Acme cut prices in May.", "mismatch", "reversal"),
        ("Acme said it would open the plant.", "Acme cancelled the plant opening.", "mismatch", "reversal"),
        ("Acme said it would not close the plant.", "Acme closed the plant.", "mismatch", "negation"),
        ("Acme said it would close the plant.", "Acme did not close the plant.", "mismatch", "negation"),
        ("Acme said it would publish the audit.", "Acme has still not published the audit.", "mismatch", "unfulfilled"),
        ("Acme pledged to hire 1,000 workers.", "Acme hired 400 workers.", "mismatch", "quantity"),
        ("Acme said it would open the plant in March.", "Acme opened the plant in October.", "mismatch", "timing"),
        ("Russia said it would strike the Islamic State.", "Russia struck areas that contain no Islamic State fighters.", "mismatch", "target"),
        ("Acme said it would close the Leeds plant.", "Acme closed the Bristol depot.", "mismatch", "target"),
        ("Acme pledged to hire 1,000 workers.", "Acme hired 1,000 workers.", "consistent", None),
        ("Acme said it would close the plant in March.", "Acme closed the plant in March.", "consistent", None),
    ],
)
def test_judge_types(said, did, verdict, kind):
    j = judge(_pair(said, did), _same, Config())
    assert (j.verdict, j.type) == (verdict, kind)


def test_judge_finding_has_score_explanation_and_evidence_in_both_texts():
    pair = _pair("Acme pledged to hire 1,000 workers.", "Acme hired 400 workers.")
    f = to_finding(pair, judge(pair, _same, Config()), "f1")
    assert 0 <= f.score <= 1 and "Acme" in f.explanation and "\n" not in f.explanation
    assert {(e.doc_id, e.role) for e in f.evidence} >= {("a", "intention"), ("b", "action"), ("a", "quantity"), ("b", "quantity")}


@pytest.mark.parametrize(
    "text, value", [("1,000 jobs", (1000.0, "jobs")), ("$2.5 million", (2.5e6, "$")), ("40%", (40.0, "%")), ("five ships", (5.0, "ships"))]
)
def test_judge_parse_amount(text, value):
    assert parse_amount(text) == value


def test_judge_parse_time():
    assert parse_time("by March 2025") == (2025, 3, None)
    assert parse_time("on Friday") == (None, None, 4)
    assert parse_time("soon") is None
