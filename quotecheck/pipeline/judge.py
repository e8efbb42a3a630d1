"""Judge stage: what the outcome says became of the plan — mismatch (with a type), consistent, or unverified.

The verdict is read from the outcome's factuality, not from how the two statements differ:

* cancelled or reversed → mismatch ``reversal``; postponed or moved → ``timing``; failed, never
  happened, has yet to → ``negation`` (short of the amount → ``quantity``); done otherwise
  ("instead", "unplanned") → ``other``, aimed elsewhere ("the wrong house") → ``target``;
  fulfilled ("kept his promise", "did just that", "as planned") → consistent;
* a plain realised act: ``target`` only when the intended target is said to be absent or replaced
  ("don't contain any Islamic State fighters", "only Syrian rebels", "instead of"); ``quantity``
  when both give amounts in one unit that differ and the act is final; ``timing`` when it came
  later than the plan's date; consistent when it is the planned event; otherwise the text does not
  decide and the pair is ``unverified`` — shown, never counted as a mismatch.

Each judgement carries a prior ``strength``; :mod:`quotecheck.pipeline.calibration` turns
strength and link into the reported score.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from quotecheck.config import Config
from quotecheck.lexicon import predicate_table
from quotecheck.models import Evidence, Finding, MismatchType, Statement
from quotecheck.pipeline.match import Pair, measured, reversal, same_event
from quotecheck.pipeline.measures import UNITS, parse_amount, parse_time

__all__ = ["judge", "Judgement", "to_finding"]

_NEGATOR = r"(?:n[’']t|\bnot|\bno|\bnever|\bwithout|\brather than|\binstead of|\bnone of)"
_STOP = frozenset("the a an of to in on at for and or its their his her this that these those some any all".split())
#: Words that make an act partial or ongoing: its amount is progress, not the outcome.
_PARTIAL = re.compile(r"\b(?:so far|to date|already|yet|at least|thus far|first|begun|began|started)\b", re.I)
_YET = re.compile(r"\b(?:yet|still)\b", re.I)
#: Prior strength of a link: how often a pair tied this way is the plan the outcome reports on.
LINK_STRENGTH = {"reference": 0.95, "clause": 0.85, "anaphor": 0.75, "actor": 0.6}
_CHANGE = {
    "cancelled": ("reversal", "it was called off"),
    "reversed": ("reversal", "it went back on it"),
    "postponed": ("timing", "it was put off or moved"),
    "failed": ("negation", "it did not happen"),
    "departed": ("other", "it was done otherwise"),
}


@dataclass(frozen=True)
class Judgement:
    verdict: str
    type: MismatchType | None
    strength: float
    reason: str


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w’'-]+", text.lower()) if w not in _STOP and len(w) > 2]


def _denies_target(intention: Statement, action: Statement) -> bool:
    """The act's own words say the intended target was not there ('don't contain any IS fighters')."""
    if intention.target is None:
        return False
    words = _content_words(intention.target.text)
    if not words:
        return False
    head = re.escape(words[0])
    said = action.span.text
    if re.search(rf"{_NEGATOR}\b[^.;]{{0,30}}?\b{head}", said, re.I):
        return True
    return bool(re.search(r"(?<!not )\bonly\s+[a-z]", said, re.I)) and not re.search(rf"\b{head}", said, re.I)


def _compare_quantities(intention: Statement, action: Statement, config: Config) -> str | None:
    got_i = [x for x in (parse_amount(q.text) for q in intention.quantities) if x]
    got_a = [x for x in (parse_amount(q.text) for q in action.quantities) if x]
    if not got_i or not got_a:
        return None
    (vi, ui), (va, ua) = max(got_i), max(got_a)
    if ui.rstrip("s") != ua.rstrip("s") and (ui in UNITS or ua in UNITS):
        return None  # different measures: '$5 million' against '10 stores'
    if max(vi, va) == 0 or abs(vi - va) / max(vi, va) <= config.quantity_tolerance:
        return None
    return f"{_fmt(vi)} intended, {_fmt(va)} done"


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if v == int(v) else f"{v:,.2f}"


def _later(intention: Statement, action: Statement) -> str | None:
    """The act came in a later year or month than the plan named."""
    ti = [t for t in (parse_time(x.text) for x in intention.times) if t]
    ta = [t for t in (parse_time(x.text) for x in action.times) if t]
    if not ti or not ta:
        return None
    (yi, mi, _), (ya, ma, _) = ti[0], ta[-1]
    if yi and ya and ya > yi:
        return f"due {intention.times[0].text.strip()}, done {action.times[-1].text.strip()}"
    if mi and ma and ma > mi and (yi == ya or not (yi and ya)):
        return f"due {intention.times[0].text.strip()}, done {action.times[-1].text.strip()}"
    return None


def _is_change(plan: Statement, fact: str) -> bool:
    """The plan itself was to call something off or put it off ('warned it would halt the talks')."""
    cls = {"cancelled": "cancel", "postponed": "postpone"}[fact]
    return cls in predicate_table().classes(plan.predicate.split()[0], "verb")


def _commitment(outcome: Statement) -> bool:
    """The outcome acts on an agreed or announced undertaking ('called off a $54 billion deal')."""
    words = re.findall(r"[a-z-]+", (outcome.theme or outcome.span).text.lower())
    return bool(words) and "commitment" in predicate_table().classes(words[-1], "noun")


def _same_event(pair: Pair, config: Config) -> bool:
    i, a = pair.intention, pair.action
    return pair.link in ("reference", "clause") or measured(i, a) or same_event(i, a, pair.similarity, config)


#: Mismatch types whose evidence is in the act's own words, not in how the pair was tied.
_SAID_IN_THE_ACT = frozenset({"target", "reversal"})


def judge(pair: Pair, config: Config) -> Judgement:
    """Decide one pair from the outcome's factuality and, for a plain act, its arguments.

    Within one text, a pair tied only by its actor decides little on its own: on 809 PolNeAR
    train articles none of 15 such mismatches (13 negation) and 1 of 13 such consistent pairs
    were right (read by hand). So such a mismatch stays unverified unless the act's own words
    show it (a target said to be absent, the opposite act) or it is the same act on the same
    object within ``config.actor_consistent_sentences`` of the plan; a consistent pair needs the
    act that near. Two compared texts are the user's claim
    that one reports on the other, and keep the verdict.
    """
    found = _judge(pair, config)
    i, a = pair.intention, pair.action
    if pair.link != "actor" or i.doc_id != a.doc_id or found.verdict == "unverified":
        return found
    near = abs((a.sentence or 0) - (i.sentence or 0)) <= config.actor_consistent_sentences
    same = i.predicate == a.predicate and bool(set(i.keys[1:]) & set(a.keys[1:]))  # "close the Leeds plant" twice
    if (near and (found.verdict == "consistent" or same)) or found.type in _SAID_IN_THE_ACT:
        return found
    return Judgement("unverified", None, found.strength * 0.5, f"tied only by its actor; the text does not say it is the same occasion ({found.reason})")


def _judge(pair: Pair, config: Config) -> Judgement:
    i, a = pair.intention, pair.action
    prior = LINK_STRENGTH[pair.link]
    fact = a.factuality or ("negated" if a.negated else "realised")
    if i.presupposed and not _commitment(a):
        return Judgement("unverified", None, prior * 0.4, "called off, but the text reports no plan or promise it broke")
    if i.conditional and fact in ("negated", "failed", "cancelled") and not (fact == "cancelled" and _is_change(i, fact)):
        return Judgement("unverified", None, prior * 0.4, "the plan was made on a condition; the text does not say the condition held")
    whole = pair.link in ("reference", "anaphor") and fact in ("cancelled", "reversed", "postponed")
    if i.negated and not whole:
        if fact == "realised" and "maintain" in predicate_table().classes(a.predicate.split()[0], "verb"):
            return Judgement("consistent", None, prior * 0.8, f"it said it would not {i.predicate}, and it kept things as they were")
        if fact == "realised" and _same_event(pair, config):
            return Judgement("mismatch", "negation", prior * 0.9, f"it said it would not {i.predicate}, and then it did")
        if fact in ("cancelled", "failed", "negated"):
            return Judgement("consistent", None, prior * 0.8, f"it said it would not {i.predicate}, and it did not")
        return Judgement("unverified", None, prior * 0.5, "the report does not say whether it kept to what it ruled out")
    if fact in ("cancelled", "postponed") and _is_change(i, fact):
        return Judgement("consistent", None, prior * 0.9, "it said it would call it off, and it did")
    if fact in _CHANGE:
        kind, reason = _CHANGE[fact]
        if fact == "failed" and re.search(r"\bshort", " ".join(x.text for x in (a.cue, a.span) if x), re.I):
            kind, reason = "quantity", "it fell short of the amount"
        if fact == "departed" and a.predicate in ("reframe", "redirect", "divert") or (fact == "departed" and re.search(r"\bwrong\b", a.span.text, re.I)):
            kind, reason = "target", "it was aimed elsewhere"
        cue = f" (“{a.cue.text}”)" if a.cue is not None else ""
        return Judgement("mismatch", kind, prior, reason + cue)
    if fact == "fulfilled":
        return Judgement("consistent", None, prior, "the report says it was carried out")
    if fact == "negated":
        if pair.link != "actor" or _same_event(pair, config):
            if _YET.search(a.span.text):
                return Judgement("mismatch", "unfulfilled", prior * 0.9, f"the report says it has yet to {a.predicate}")
            return Judgement("mismatch", "negation", prior * 0.9, f"the report says it did not {a.predicate}")
        return Judgement("unverified", None, prior * 0.5, "a related act was not done; the text does not say it was this one")
    if _PARTIAL.search(a.span.text):
        return Judgement("unverified", None, prior * 0.5, "the report gives progress so far, not the outcome")
    if reversal(i.predicate, a.predicate):
        return Judgement("mismatch", "reversal", prior * 0.9, f"it said it would {i.predicate}, then did the opposite ({a.predicate})")
    if _denies_target(i, a):
        return Judgement("mismatch", "target", prior, f"the report says “{i.target.text}” was not among what it hit")  # type: ignore[union-attr]
    if not _same_event(pair, config):
        return Judgement("unverified", None, prior * 0.5, "a related act; the text does not say it answers the plan")
    final = True
    quantity = _compare_quantities(i, a, config) if final else None
    if quantity:
        return Judgement("mismatch", "quantity", prior * 0.8, quantity)
    timing = _later(i, a) if final else None
    if timing:
        return Judgement("mismatch", "timing", prior * 0.8, timing)
    return Judgement("consistent", None, prior * 0.9, "the reported act is the planned one")


def to_finding(pair: Pair, judgement: Judgement, finding_id: str, score: Callable[[Pair, Judgement], float]) -> Finding:
    """Turn a judged pair into a Finding with evidence spans from both statements."""
    i, a = pair.intention, pair.action
    evidence = [Evidence(doc_id=i.doc_id, role="intention", span=i.span), Evidence(doc_id=a.doc_id, role="action", span=a.span)]
    evidence += [Evidence(doc_id=s.doc_id, role="cue", span=s.cue) for s in (i, a) if s.cue is not None]
    if judgement.type == "target":
        evidence += [Evidence(doc_id=s.doc_id, role="target", span=s.target) for s in (i, a) if s.target is not None]
    if judgement.type == "quantity":
        evidence += [Evidence(doc_id=s.doc_id, role="quantity", span=q) for s in (i, a) for q in s.quantities]
    if judgement.type == "timing":
        evidence += [Evidence(doc_id=s.doc_id, role="time", span=t) for s in (i, a) for t in s.times]
    similarity = max(-1.0, min(1.0, pair.similarity))
    label = judgement.type or judgement.verdict
    explanation = f"{i.actor_name}: planned “{_short(i.span.text)}” — reported “{_short(a.span.text)}”: {label}, {judgement.reason}."
    return Finding(
        id=finding_id,
        actor_name=i.actor_name,
        intention=i.id,
        action=a.id,
        verdict=judgement.verdict,  # type: ignore[arg-type]
        type=judgement.type,
        link=pair.link,
        score=round(max(0.0, min(1.0, score(pair, judgement))), 4),
        similarity=round(similarity, 4),
        explanation=explanation,
        evidence=tuple(dict.fromkeys(evidence)),
    )


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
