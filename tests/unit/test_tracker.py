"""The promise tracker over hand-built dated analyses (issue 18, part 4): statuses, dates, traceability."""

from __future__ import annotations

import pytest

import quotecheck
from quotecheck.models import Analysis
from quotecheck.tracker import PromiseReport, promises, status_of
from tests.viewdata import CLOSED, LATE, NO_DUE, PLAN, UNRELATED, answer, doc_id_of, finding, plan_doc, quoted_pledge, report_doc, span, statement

def only(report: PromiseReport):
    (p,) = report.all()
    return p


@pytest.mark.parametrize(
    "verdict, type_, status",
    [("consistent", None, "kept"), ("mismatch", "reversal", "broken"), ("mismatch", "negation", "broken"),
     ("mismatch", "unfulfilled", "broken"), ("mismatch", "other", "broken"), ("mismatch", "timing", "changed"),
     ("mismatch", "target", "changed"), ("mismatch", "quantity", "changed")],
)
def test_tracker_status_follows_the_report(verdict, type_, status):
    plan, report = plan_doc(), report_doc(LATE, "2024-11-02", "report.txt")
    p = only(promises([plan, report], findings=[answer("x1", plan, report, verdict, type_)]))
    assert (p.status, p.decided_by) == (status, "x1")
    assert p.type == (type_ if status in ("broken", "changed") else None)
    (r,) = p.reports
    assert (r.where.source, r.where.date, r.where.span.text) == ("report.txt", "2024-11-02", LATE.rstrip("."))


def test_tracker_overdue_when_due_date_passed_with_no_report():
    plan, later = plan_doc(), report_doc(UNRELATED, "2024-11-02", "later.txt")
    p = only(promises([plan, later]))
    assert (p.status, p.due, p.due_text) == ("overdue", "2024-03-31", "in March")


def test_tracker_pending_before_the_due_date():
    plan, later = plan_doc(), report_doc(UNRELATED, "2024-02-01", "later.txt")
    assert only(promises([plan, later])).status == "pending"  # the corpus ends before March is out
    assert only(promises([plan, later], as_of="2024-04-01")).status == "overdue"  # --as-of moves the cutoff


def test_tracker_pending_without_a_due_date():
    plan, later = plan_doc(NO_DUE, times=()), report_doc(UNRELATED, "2030-01-01", "later.txt")
    p = only(promises([plan, later]))
    assert (p.status, p.due) == ("pending", None)


def test_tracker_unverified_report_never_decides_and_never_makes_overdue():
    plan, report = plan_doc(), report_doc(LATE, "2024-11-02", "report.txt")
    p = only(promises([plan, report], findings=[answer("x1", plan, report, "unverified")]))
    assert p.status == "pending" and p.decided_by is None and [r.status for r in p.reports] == [None]


def test_tracker_latest_deciding_report_wins():
    plan = plan_doc()
    kept, undone = report_doc(CLOSED, "2024-03-30", "kept.txt"), report_doc("Acme Corp reopened the Leeds plant.", "2024-06-01", "undone.txt")
    found = [answer("x2", plan, undone, "mismatch", "reversal"), answer("x1", plan, kept, "consistent")]
    p = only(promises([plan, kept, undone], findings=found))
    assert p.status == "broken" and p.decided_by == "x2"
    assert [r.finding for r in p.reports] == ["x1", "x2"]  # reports in date order


def test_tracker_within_text_findings_count_too():
    text = f"{PLAN} {LATE}"
    doc_id = doc_id_of(text)
    plan = statement(text, doc_id, 1, "intention", "it would close the Leeds plant in March", times=["in March"], date="2024-11-02")
    act = statement(text, doc_id, 2, "action", LATE.rstrip("."), date="2024-11-02")
    doc = Analysis(doc_id=doc_id, text=text, date="2024-11-02", statements=(plan, act), findings=(finding(f"{doc_id}:f1", plan, act),))
    assert only(promises([doc])).status == "changed"


def test_tracker_dates_from_file_names():
    plan = plan_doc(date=None, source="corpus/nyt_2016-01-05_acme-pledge.txt")
    later = report_doc(UNRELATED, None, "corpus/wapo_2016-11-02_council.txt")
    undated = promises([plan, later])
    assert only(undated).status == "pending" and undated.undated == 2  # no dates: never overdue
    dated = promises([plan, later], date_from_name=True)
    p = only(dated)
    assert (p.stated.date, p.due, p.status, dated.last_date, dated.undated) == ("2016-01-05", "2016-03-31", "overdue", "2016-11-02", 0)


def test_tracker_when_it_was_said_is_not_its_due_date():
    text = "Acme Corp said on March 14 that it would close the Leeds plant."
    plan = plan_doc(text, times=())
    said = span(text, "on March 14")
    s = plan.statements[0].model_copy(update={"times": (said,), "stated_at": said})
    p = only(promises([plan.model_copy(update={"statements": (s,)}), report_doc(UNRELATED, "2025-01-01", "later.txt")]))
    assert (p.due, p.stated_at, p.status) == (None, "on March 14", "pending")


def test_tracker_leaves_out_plans_nobody_stated():
    plan = plan_doc()
    s = plan.statements[0].model_copy(update={"presupposed": True})
    assert promises([plan.model_copy(update={"statements": (s,)})]).all() == []


def test_tracker_actors_with_most_promises_first_unspecified_last():
    docs = [plan_doc(source="a.txt"), plan_doc(NO_DUE, source="b.txt", times=()), plan_doc(source="c.txt", actor="(unspecified)"),
            plan_doc(source="d.txt", actor="(unspecified)"), plan_doc(source="e.txt", actor="Globex")]
    assert [a.actor for a in promises(docs).actors] == ["Acme Corp", "Globex", "(unspecified)"]


def test_tracker_groups_by_the_holder_of_the_pledge():
    report = promises([quoted_pledge(), plan_doc()])
    assert [(a.actor, len(a.promises)) for a in report.actors] == [("Acme Corp", 1), ("Mayor Ana Ruiz", 1)]
    ruiz = report.actors[1].promises[0]
    assert (ruiz.subject, ruiz.status) == ("The library", "changed")


def test_tracker_every_entry_is_traceable_to_its_text():
    plan, report = plan_doc(), report_doc(LATE, "2024-11-02", "report.txt")
    docs = {d.doc_id: d for d in (plan, report)}
    result = promises([plan, report], findings=[answer("x1", plan, report, "mismatch", "timing")])
    for p in result.all():
        assert docs[p.stated.doc_id].text[p.stated.span.start : p.stated.span.end] == p.stated.span.text
        assert p.stated.source == docs[p.stated.doc_id].source
        for r in p.reports:
            assert docs[r.where.doc_id].text[r.where.span.start : r.where.span.end] == r.where.span.text


def test_tracker_counts_and_public_api():
    plan, report = plan_doc(), report_doc(LATE, "2024-11-02", "report.txt")
    other = plan_doc(NO_DUE, source="store.txt", times=())
    result = quotecheck.promises([plan, report, other], findings=[answer("x1", plan, report, "consistent")])
    assert isinstance(result, quotecheck.PromiseReport)
    assert (result.counts.kept, result.counts.pending, result.counts.total(), result.documents) == (1, 1, 2, 3)
    assert result.actors[0].counts.kept == 1 and PromiseReport.model_validate_json(result.model_dump_json()) == result


@pytest.mark.parametrize("verdict, type_, expected", [("consistent", None, "kept"), ("mismatch", "timing", "changed"),
                                                     ("mismatch", "reversal", "broken"), ("unverified", None, None)])
def test_tracker_status_of(verdict, type_, expected):
    assert status_of(verdict, type_) == expected


def test_tracker_overdue_only_for_a_commitment_the_detector_is_sure_of(monkeypatch):
    """Overdue claims a promise was not kept: a commitment below the sure threshold stays pending."""
    from quotecheck import tracker

    plan, later = plan_doc(), report_doc(UNRELATED, "2024-11-02", "later.txt")
    unsure = plan.model_copy(update={"statements": (plan.statements[0].model_copy(update={"confidence": 0.55}),)})
    sure = plan.model_copy(update={"statements": (plan.statements[0].model_copy(update={"confidence": 0.95}),)})
    assert only(promises([unsure, later], overdue_confidence=0.9)).status == "pending"
    assert only(promises([sure, later], overdue_confidence=0.9)).status == "overdue"
    monkeypatch.setattr(tracker, "sure_threshold", lambda: 0.6)  # the default: the model's commitment_sure
    assert only(promises([unsure, later])).status == "pending" and only(promises([sure, later])).status == "overdue"
    assert only(promises([plan, later])).status == "overdue"  # no confidence (a hand-built or older analysis): not gated
