"""The said/did decision rules on hand-built clauses and a hand-built model: thresholds, one
commitment per outcome, outcomes per commitment, verdicts, and pairing across two texts."""

from __future__ import annotations

import numpy as np
import pytest

from quotecheck.pipeline.saydo.decide import candidates, decide, decide_across, link_dense
from quotecheck.pipeline.saydo.features import ClauseInfo, pair_features
from quotecheck.pipeline.saydo.model import LinearHead, SaydoModel
from quotecheck.train.saydo import JUDGE_CLASSES


def info(n: int, *, features=(), lemma="act", sentence=None, start=None) -> ClauseInfo:
    s = n * 10 if start is None else start
    return ClauseInfo(
        start=s, end=s + 8, sentence=n if sentence is None else sentence, paragraph=0, piece=n, head=0, ancestors=(), conj_of=None,
        lemma=lemma, nominal=False, features=tuple(features), lemmas=frozenset({lemma}), nouns=frozenset(), numbers=frozenset(),
        times=frozenset(), cls=frozenset(), neg=False, past=False, future=False, inquote=False, theme_plan=False, passive=False,
        det_the=False, actor_id=None, actor_name="(unspecified)", actor_group=None, text=f"clause {n}",
    )


N_LINK = len(link_dense(info(0), info(1), np.zeros(3), np.zeros(3)))
N_XLINK = len(link_dense(info(0), info(1), np.zeros(3), np.zeros(3), same_doc=False))


def model(*, link_feature: str = "wanted", verdict: str = "mismatch:reversal", link: float = 0.5, mismatch: float = 0.6) -> SaydoModel:
    """A model whose detector calls a clause with feature PLAN a commitment and OUT an outcome;
    the linkers like candidates whose detector P(outcome) is high; the judge answers ``verdict``
    for outcomes with the feature ``link_feature`` and 'unverified' otherwise."""
    det = LinearHead(("none", "commitment", "outcome"), {"PLAN": 0, "OUT": 1}, 0,
                     np.array([[-5.0, 5.0, -5.0], [-5.0, -5.0, 5.0]]), np.array([2.0, -2.0, -2.0]))
    status = LinearHead(("done", "cancelled"), {"o:cls=cancel": 0}, 0, np.array([[4.0]]), np.array([-2.0]))

    def linker(n: int) -> LinearHead:
        w = np.zeros((n, 1))
        w[-1, 0] = 8.0  # the candidate's P(outcome)
        return LinearHead(("no", "link"), {}, n, w, np.array([-4.0]))

    judge_vocab = {f"o:{link_feature}": 0}
    w = np.zeros((1 + len(pair_features(info(0), info(1), cos=0, head_cos=0)) - 2 + 6, len(JUDGE_CLASSES)))
    w[0, JUDGE_CLASSES.index(verdict)] = 10.0
    b = np.zeros(len(JUDGE_CLASSES))
    b[JUDGE_CLASSES.index("unverified")] = 3.0
    judge = LinearHead(JUDGE_CLASSES, judge_vocab, w.shape[0] - 1, w, b)
    th = {"commitment": 0.5, "outcome": 0.5, "link": link, "xlink": link, "mismatch": mismatch, "consistent": 0.5, "max_outcomes": 2.0}
    return SaydoModel(det, status, linker(N_LINK), linker(N_XLINK), judge, thresholds=th)


def test_decide_commitments_are_the_detectors_above_threshold():
    d = decide(model(), [info(0, features=["PLAN"]), info(1), info(2, features=["OUT"])])
    assert d.commitments == (0,)
    assert 2 in d.outcomes and 1 not in d.outcomes


def test_decide_pairs_a_commitment_with_its_outcome_and_judges_it():
    d = decide(model(), [info(0, features=["PLAN"]), info(1), info(2, features=["OUT", "wanted"])])
    (pair,) = d.pairs
    assert (pair.commitment, pair.outcome, pair.verdict, pair.type) == (0, 2, "mismatch", "reversal")
    assert 0 < pair.p_verdict <= 1 and 0 < pair.link_p <= 1


def test_decide_a_pair_below_the_link_threshold_is_silence():
    clauses = [info(0, features=["PLAN"]), info(1, features=["OUT", "wanted"])]
    assert decide(model(link=0.5), clauses).pairs
    assert decide(model(link=0.999), clauses).pairs == ()


def test_decide_a_pair_the_judge_cannot_call_is_unverified():
    (pair,) = decide(model(), [info(0, features=["PLAN"]), info(1, features=["OUT"])]).pairs
    assert pair.verdict == "unverified" and pair.type is None


@pytest.mark.parametrize(("verdict", "want"), [("consistent", ("consistent", None)), ("mismatch:timing", ("mismatch", "timing"))])
def test_decide_verdict_and_type_come_from_the_judge(verdict, want):
    (pair,) = decide(model(verdict=verdict), [info(0, features=["PLAN"]), info(1, features=["OUT", "wanted"])]).pairs
    assert (pair.verdict, pair.type) == want


def test_decide_a_mismatch_below_the_reporting_threshold_is_not_reported_as_one():
    clauses = [info(0, features=["PLAN"]), info(1, features=["OUT", "wanted"])]
    assert decide(model(mismatch=0.6), clauses).pairs[0].verdict == "mismatch"
    assert decide(model(mismatch=0.99999), clauses).pairs[0].verdict != "mismatch"


def test_decide_an_outcome_answers_one_commitment():
    d = decide(model(), [info(0, features=["PLAN"]), info(1, features=["PLAN"]), info(2, features=["OUT"])])
    assert [p.outcome for p in d.pairs] == [2]


def test_decide_keeps_at_most_max_outcomes_per_commitment():
    m = model()
    m.thresholds["max_outcomes"] = 1.0
    d = decide(m, [info(0, features=["PLAN"]), info(1, features=["OUT"]), info(2, features=["OUT"])])
    assert len(d.pairs) == 1
    m.thresholds["max_outcomes"] = 2.0
    assert len(decide(m, [info(0, features=["PLAN"]), info(1, features=["OUT"]), info(2, features=["OUT"])]).pairs) == 2


def test_candidates_skip_commitments_and_restatements_of_the_commitment():
    clauses = [info(0, start=0), info(1, start=2), info(2, start=40), info(3, start=80)]
    assert candidates(clauses, [0, 3]) == [(0, 2), (3, 1), (3, 2)]


def test_decide_across_pairs_plans_with_clauses_of_the_other_text():
    plans = [info(0, features=["PLAN"])]
    others = [info(0), info(1, features=["OUT", "wanted"])]
    m = model()
    d = decide_across(m, plans, np.array([[0.0, 1.0, 0.0]]), others, np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]),
                      np.zeros((1, 2)), np.zeros((1, 2)))
    assert [(p.commitment, p.outcome, p.verdict) for p in d.pairs] == [(0, 1, "mismatch")]


def test_decide_of_two_verdicts_past_their_thresholds_the_likelier_is_given():
    m = model(verdict="consistent", mismatch=0.0)  # every pair passes the mismatch threshold …
    m.thresholds["consistent"] = 0.5
    (pair,) = decide(m, [info(0, features=["PLAN"]), info(1, features=["OUT", "wanted"])]).pairs
    assert pair.verdict == "consistent"  # … but the judge is sure it was kept


def test_decide_scores_no_pairs_when_the_link_threshold_is_never_reached(monkeypatch):
    """A model that never shows a within-text pair (threshold above 1) gets the decision pairs
    would give, without the pair scoring that is most of the said/did stage's time."""
    from quotecheck.pipeline.saydo import decide as decide_module

    clauses = [info(0, features=["PLAN"]), info(1), info(2, features=["OUT", "wanted"])]
    never = model(link=1.01)
    full = decide_module.apply(never, clauses, decide_module.score(never, clauses))

    def no_pairs(*a, **k):
        raise AssertionError("pairs scored for a model that never shows them")

    monkeypatch.setattr(decide_module, "score", no_pairs)
    d = decide(never, clauses)
    assert (d.commitments, d.outcomes, d.pairs, d.status) == (full.commitments, full.outcomes, (), full.status) == ((0,), (2,), (), full.status)
