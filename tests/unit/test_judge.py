"""The verdict rules, one by one, on hand-built pairs (no parser, no model)."""

from __future__ import annotations

import pytest

from quotecheck.config import Config
from quotecheck.pipeline.judge import judge, to_finding
from quotecheck.pipeline.match import Pair
from quotecheck.testing.fakes import statement

CFG = Config()
TEXT = (
    "Acme said it would close the Leeds plant in March and cut 1,000 jobs. "
    "The closure was called off. The closure was postponed. The plan never came to pass. "
    "Acme kept its promise. Acme did it instead. Acme closed the Leeds plant in October. "
    "Acme closed the Leeds plant and cut 400 jobs. Acme kept the plant open. Acme has so far cut 200 jobs. "
    "Acme hit areas that don't contain any Leeds workers. Acme opened the Leeds plant. Acme sold the plant. "
    "Acme has yet to close the plant."
)


def pair(plan_kw: dict, words: str, link: str = "anaphor", similarity: float = 0.5, **act_kw) -> Pair:
    p = statement(TEXT, plan_kw.pop("words", "it would close the Leeds plant in March"), **plan_kw)
    act_kw.setdefault("kind", "action")
    a = statement(TEXT, words, number=2, **act_kw)
    return Pair(p, a, similarity, link)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("words", "factuality", "cue", "verdict", "kind"),
    [
        ("The closure was called off", "cancelled", "called off", "mismatch", "reversal"),
        ("The closure was postponed", "postponed", "postponed", "mismatch", "timing"),
        ("The plan never came to pass", "failed", "came", "mismatch", "negation"),
        ("Acme kept its promise", "fulfilled", "kept", "consistent", None),
        ("Acme did it instead", "departed", "instead", "mismatch", "other"),
    ],
)
def test_judge_outcome_factuality_decides_the_verdict(words, factuality, cue, verdict, kind):
    j = judge(pair({}, words, factuality=factuality, cue=cue), CFG)
    assert (j.verdict, j.type) == (verdict, kind)


def test_judge_fell_short_is_a_quantity_mismatch():
    text = "Acme would hire 500 staff. Acme fell short of the target."
    p = statement(text, "Acme would hire 500 staff", predicate="hire")
    a = statement(text, "Acme fell short of the target", kind="action", factuality="failed", predicate="fall short", cue="fell", number=2)
    assert judge(Pair(p, a, 0.3, "anaphor"), CFG).type == "quantity"


def test_judge_a_plan_to_call_off_that_was_called_off_is_kept():
    p = statement(TEXT, "it would close the Leeds plant in March", predicate="halt")
    a = statement(TEXT, "The closure was called off", kind="action", factuality="cancelled", cue="called off", number=2)
    assert judge(Pair(p, a, 0.5, "actor"), CFG).verdict == "consistent"


def test_judge_a_called_off_thing_nobody_promised_is_unverified():
    text = "Officials canceled classes on Thursday."
    p = statement(text, "classes", presupposed=True, predicate="class")
    a = statement(text, "Officials canceled", kind="action", factuality="cancelled", theme="classes", number=2)
    assert judge(Pair(p, a, 1.0, "reference"), CFG).verdict == "unverified"
    deal_text = "They called off a $54 billion deal."
    dp = statement(deal_text, "a $54 billion deal", presupposed=True, predicate="deal")
    da = statement(deal_text, "They called off", kind="action", factuality="cancelled", theme="a $54 billion deal", number=2)
    assert judge(Pair(dp, da, 1.0, "reference"), CFG).verdict == "mismatch"  # an agreed deal is a stated undertaking


def test_judge_plain_act_later_than_planned_is_timing():
    j = judge(pair({"times": ["in March"]}, "Acme closed the Leeds plant in October", link="actor", times=["in October"], doc_id="b"), CFG)
    assert (j.verdict, j.type) == ("mismatch", "timing")


def test_judge_plain_act_with_another_amount_is_quantity():
    plan = {"words": "it would close the Leeds plant in March and cut 1,000 jobs", "predicate": "cut", "quantities": ["1,000 jobs"]}
    j = judge(pair(plan, "Acme closed the Leeds plant and cut 400 jobs", link="actor", predicate="cut", quantities=["400 jobs"], doc_id="b"), CFG)
    assert (j.verdict, j.type) == ("mismatch", "quantity")


def test_judge_progress_so_far_is_not_an_outcome():
    plan = {"words": "it would close the Leeds plant in March and cut 1,000 jobs", "predicate": "cut", "quantities": ["1,000 jobs"]}
    j = judge(pair(plan, "Acme has so far cut 200 jobs", link="actor", predicate="cut", quantities=["200 jobs"]), CFG)
    assert j.verdict == "unverified"


def test_judge_target_only_when_the_report_says_the_target_was_absent():
    plan = {"words": "it would close the Leeds plant in March", "target": "the Leeds plant", "predicate": "hit"}
    denied = judge(pair(plan, "Acme hit areas that don't contain any Leeds workers", link="actor", predicate="hit"), CFG)
    assert (denied.verdict, denied.type) == ("mismatch", "target")
    other_object = judge(pair(plan, "Acme sold the plant", link="actor", predicate="hit", target="the plant"), CFG)
    assert other_object.type != "target"  # two objects differing is not a target mismatch


def test_judge_opposite_act_is_a_reversal():
    j = judge(pair({}, "Acme opened the Leeds plant", link="actor", predicate="open"), CFG)
    assert (j.verdict, j.type) == ("mismatch", "reversal")


def test_judge_said_it_would_not_and_kept_things_as_they_were():
    plan = {"negated": True, "predicate": "close"}
    j = judge(pair(plan, "Acme kept the plant open", link="actor", predicate="keep"), CFG)
    assert j.verdict == "consistent"


def test_judge_said_it_would_not_and_then_did():
    j = judge(pair({"negated": True}, "Acme closed the Leeds plant in October", link="actor", doc_id="b"), CFG)
    assert (j.verdict, j.type) == ("mismatch", "negation")


def test_judge_has_yet_to_is_unfulfilled():
    j = judge(pair({}, "Acme has yet to close the plant", link="actor", factuality="negated", negated=True, doc_id="b"), CFG)
    assert (j.verdict, j.type) == ("mismatch", "unfulfilled")


def test_judge_a_related_act_the_text_does_not_tie_is_unverified():
    j = judge(pair({"keys": ("close", "plant")}, "Acme sold the plant", link="actor", predicate="sell", keys=("sell", "plant"), similarity=0.2), CFG)
    assert j.verdict == "unverified"


def test_judge_finding_carries_both_spans_cues_and_the_link():
    p = pair({}, "The closure was called off", factuality="cancelled", cue="called off")
    f = to_finding(p, judge(p, CFG), "f1", lambda pair, j: j.strength)
    roles = {(e.role, e.span.text) for e in f.evidence}
    assert ("cue", "called off") in roles and ("action", "The closure was called off") in roles
    assert f.link == "anaphor" and 0 < f.score <= 1 and "reversal" in f.explanation


def test_judge_a_conditional_plan_that_did_not_happen_is_unverified():
    plain = judge(pair({}, "The plan never came to pass", factuality="failed", cue="came"), CFG)
    conditional = judge(pair({"conditional": True}, "The plan never came to pass", factuality="failed", cue="came"), CFG)
    assert (plain.verdict, conditional.verdict) == ("mismatch", "unverified")


def test_judge_a_conditional_threat_to_call_off_that_was_called_off_is_kept():
    p = statement(TEXT, "it would close the Leeds plant in March", predicate="halt", conditional=True)
    a = statement(TEXT, "The closure was called off", kind="action", factuality="cancelled", cue="called off", number=2)
    assert judge(Pair(p, a, 0.5, "actor"), CFG).verdict == "consistent"


# -- the rules the mutation check (bench/mutate_rules.py) found untested ---------------------------
SLOTS = (
    "Acme would cut $5 million. Acme cut 10 stores. Acme would cut 1,000 jobs. Acme cut 1,000 jobs. "
    "Acme would open it in 2024. Acme opened it in 2025. Acme would not close the mill. The closure failed. "
    "Acme kept its promise and cut 400 jobs. Acme would hit it. Acme hit areas near York."
)


def _judge(plan: str, act: str, plan_kw: dict | None = None, link: str = "actor", **act_kw):
    p = statement(SLOTS, plan, **(plan_kw or {}))
    act_kw.setdefault("kind", "action")
    act_kw.setdefault("doc_id", "b")  # two compared texts: the slots decide (see the actor-link test below)
    a = statement(SLOTS, act, number=2, **act_kw)
    return judge(Pair(p, a, 0.9, link), CFG)  # type: ignore[arg-type]


def test_judge_amounts_of_different_units_are_not_compared():
    j = _judge("Acme would cut $5 million", "Acme cut 10 stores", {"predicate": "cut", "quantities": ("$5 million",)},
               predicate="cut", quantities=("10 stores",))
    assert j.type != "quantity"


def test_judge_the_same_amount_is_consistent():
    j = _judge("Acme would cut 1,000 jobs", "Acme cut 1,000 jobs", {"predicate": "cut", "quantities": ("1,000 jobs",)},
               predicate="cut", quantities=("1,000 jobs",))
    assert j.verdict == "consistent"


def test_judge_a_later_year_is_timing():
    j = _judge("Acme would open it in 2024", "Acme opened it in 2025", {"predicate": "open", "times": ("in 2024",)},
               predicate="open", times=("in 2025",))
    assert (j.verdict, j.type) == ("mismatch", "timing")


def test_judge_a_plan_ruled_out_that_failed_is_kept():
    j = _judge("Acme would not close the mill", "The closure failed", {"predicate": "close", "negated": True},
               link="anaphor", factuality="failed", predicate="close", cue="failed")
    assert j.verdict == "consistent"


def test_judge_a_fulfilled_promise_is_consistent_whatever_its_amounts():
    j = _judge("Acme would cut 1,000 jobs", "Acme kept its promise and cut 400 jobs", {"predicate": "cut", "quantities": ("1,000 jobs",)},
               factuality="fulfilled", predicate="keep promise", quantities=("400 jobs",), cue="kept")
    assert j.verdict == "consistent"


def test_judge_a_target_of_stop_words_only_is_no_target():
    j = _judge("Acme would hit it", "Acme hit areas near York", {"predicate": "hit", "target": "it"}, predicate="hit")
    assert j.type != "target"


def test_judge_within_a_text_an_actor_tie_alone_does_not_make_a_mismatch():
    plan = {"times": ["in March"], "sentence": 0}
    other_text = judge(pair(dict(plan), "Acme closed the Leeds plant in October", link="actor", times=["in October"], doc_id="b"), CFG)
    same_text = judge(pair(dict(plan), "Acme closed the Leeds plant in October", link="actor", times=["in October"], sentence=1), CFG)
    near_same_act = judge(pair({**plan, "keys": ("close", "plant")}, "Acme closed the Leeds plant in October", link="actor",
                               times=["in October"], keys=("close", "plant"), sentence=1), CFG)
    assert near_same_act.verdict == "mismatch"  # the same act on the same object, the next sentence
    clause = judge(pair(dict(plan), "Acme closed the Leeds plant in October", link="clause", times=["in October"], sentence=1), CFG)
    assert (other_text.verdict, same_text.verdict, clause.verdict) == ("mismatch", "unverified", "mismatch")


def test_judge_within_a_text_an_actor_tied_consistent_act_must_be_near():
    near = judge(pair({"sentence": 0}, "Acme closed the Leeds plant in October", link="actor", sentence=2), CFG)
    far = judge(pair({"sentence": 0}, "Acme closed the Leeds plant in October", link="actor", sentence=CFG.actor_consistent_sentences + 1), CFG)
    assert (near.verdict, far.verdict) == ("consistent", "unverified")
