"""Judge stage: consistent or mismatch (with a type), a score and a one-line explanation.

Similarity only says two statements are about the same event; whether the action fulfils the
intention is decided slot by slot, in this order: reversal (opposite or cancelling predicate),
negation (polarity flipped), quantity (amounts differ), timing (dates differ, or the report says
it was postponed), target (the realised target differs from the intended one, or the report
says the intended target was absent). What passes every check is consistent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from quotecheck.config import Config
from quotecheck.lexicon import MONTHS, WEEKDAYS, lines
from quotecheck.models import Evidence, Finding, MismatchType, Span, Statement
from quotecheck.pipeline.match import Pair

__all__ = ["judge", "Judgement", "parse_amount", "parse_time"]

CANCEL_VERBS = frozenset("cancel scrap abandon drop shelve halt suspend end stop withdraw repeal reverse abolish".split())
DELAY_VERBS = frozenset("postpone delay reschedule move relocate".split())
FAIL_VERBS = frozenset("miss fail".split())
_DELAY_WORDS = re.compile(r"\b(?:postponed|delayed|pushed back|moved to|rescheduled|behind schedule|later than (?:planned|promised|expected)|missed (?:the|its) deadline)\b", re.I)
_YET = re.compile(r"\b(?:yet|still)\b", re.I)
_NEGATOR = r"(?:n[’']t|\bnot|\bno|\bnever|\bwithout|\brather than|\binstead of|\bnone of)"
_STOP = frozenset("the a an of to in on at for and or its their his her this that these those some any all".split())
_MONTHS = {m[:3]: i for i, m in enumerate(MONTHS, start=1)}
_DAYS = {d: i for i, d in enumerate(WEEKDAYS)}
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "thousand": 1000, "dozen": 12,
}
_UNITS = frozenset("% $ € £ percent km kilometres kilometers miles metres meters kg tonnes tons litres barrels".split())
MAINTAIN_VERBS = frozenset("keep hold freeze maintain retain leave stay preserve".split())
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "bn": 1e9, "k": 1e3}


@dataclass(frozen=True)
class Judgement:
    verdict: str
    type: MismatchType | None
    strength: float
    reason: str
    evidence: tuple[tuple[str, Statement, Span], ...] = ()


@lru_cache(maxsize=1)
def _reversals() -> frozenset[tuple[str, str]]:
    rows = lines("reversals.tsv")
    return frozenset((a, b) for a, b, *_ in rows) | frozenset((b, a) for a, b, *_ in rows)


def parse_amount(text: str) -> tuple[float, str] | None:
    """'$2.5 million' → (2500000.0, '$'); '1,000 jobs' → (1000.0, 'jobs'); '40%' → (40.0, '%')."""
    m = re.search(r"([$€£])?\s?(\d[\d,]*(?:\.\d+)?)\s?(%|percent|per cent|million|billion|trillion|thousand|bn|m|k)?(?![a-z])\s*([a-z]+)?", text, re.I)
    if m:
        value = float(m.group(2).replace(",", ""))
        scale = (m.group(3) or "").lower()
        unit = m.group(1) or ("%" if scale in {"%", "percent", "per cent"} else "")
        value *= _SCALE.get(scale, 1.0)
        if not unit and m.group(4):
            unit = m.group(4).lower()
        return value, unit
    words = re.findall(r"[a-z]+", text.lower())
    for i, w in enumerate(words):
        if w in _NUMBER_WORDS:
            value = float(_NUMBER_WORDS[w])
            unit = ""
            for nxt in words[i + 1 : i + 3]:
                if nxt in _SCALE:
                    value *= _SCALE[nxt]
                elif nxt not in _NUMBER_WORDS:
                    unit = nxt
                    break
            return value, unit
    return None


def parse_time(text: str) -> tuple[int | None, int | None, int | None] | None:
    """(year, month, weekday) found in a time expression, or None when it names no point in time."""
    low = text.lower()
    year = re.search(r"\b(19|20)\d{2}\b", low)
    month = next((n for name, n in _MONTHS.items() if re.search(rf"\b{name}[a-z]*\b", low)), None)
    day = next((n for name, n in _DAYS.items() if name in low), None)
    if year is None and month is None and day is None:
        return None
    return (int(year.group(0)) if year else None, month, day)


def _content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w’'-]+", text.lower()) if w not in _STOP and len(w) > 2]


def _denies_target(intention: Statement, action: Statement) -> bool:
    """The action's clause says the intended target was not there ('don't contain any IS fighters')."""
    if intention.target is None:
        return False
    words = _content_words(intention.target.text)
    if not words:
        return False
    head = re.escape(words[0])
    return bool(re.search(rf"{_NEGATOR}\b[^.;]{{0,30}}?\b{head}", action.span.text, re.I))


def _compare_quantities(intention: Statement, action: Statement, config: Config) -> str | None:
    got_i = [parse_amount(q.text) for q in intention.quantities]
    got_a = [parse_amount(q.text) for q in action.quantities]
    got_i = [x for x in got_i if x]
    got_a = [x for x in got_a if x]
    if not got_i or not got_a:
        return None
    (vi, ui), (va, ua) = max(got_i), max(got_a)
    # Only measurement units must agree; count nouns vary with wording ("500 affordable homes", "60 homes").
    if ui in _UNITS and ua in _UNITS and ui.rstrip("s") != ua.rstrip("s"):
        return None
    if (ui in _UNITS) != (ua in _UNITS) and "%" in (ui, ua):
        return None
    if max(vi, va) == 0:
        return None
    gap = abs(vi - va) / max(vi, va)
    if gap > config.quantity_tolerance:
        return f"{_fmt(vi)} intended, {_fmt(va)} done"
    return None


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if v == int(v) else f"{v:,.2f}"


def _compare_times(intention: Statement, action: Statement) -> str | None:
    if _DELAY_WORDS.search(action.span.text):
        return "the report says it was delayed"
    ti = [t for t in (parse_time(x.text) for x in intention.times) if t]
    ta = [t for t in (parse_time(x.text) for x in action.times) if t]
    if not ti or not ta:
        return None
    (yi, mi, _), (ya, ma, _) = ti[0], ta[0]  # weekdays alone say nothing about lateness
    years_differ = bool(yi and ya and yi != ya)
    months_differ = bool(mi and ma and mi != ma and (yi == ya or not (yi and ya)))
    if years_differ or months_differ:
        return f"due {intention.times[0].text.strip()}, done {action.times[0].text.strip()}"
    return None


#: Objects that name the act itself ("launched airstrikes", "held the vote"), not whom it was aimed at.
_EVENT_OBJECTS = frozenset(
    "strike strikes airstrike airstrikes air attack attacks raid raids operation operations offensive campaign "
    "bombing bombings vote election ballot meeting talks event ceremony service process work works".split()
)


def _is_the_event(action: Statement) -> bool:
    """The action's object is the event ("the first airstrikes"), so it says nothing about the target."""
    words = [w for w in _content_words(action.target.text) if not w.isdigit() and w not in _ORDINALS] if action.target else []
    return bool(words) and words[0] in _EVENT_OBJECTS


_ORDINALS = frozenset("first second third new last latest fresh further".split())


def judge(pair: Pair, target_similarity: Callable[[str, str], float], config: Config) -> Judgement:
    """Decide one pair; ``target_similarity`` compares two target phrases (cosine)."""
    i, a = pair.intention, pair.action
    if (i.predicate, a.predicate) in _reversals() and i.negated == a.negated:
        return Judgement("mismatch", "reversal", 0.9, f"it said it would {i.predicate}, then did the opposite ({a.predicate})")
    if a.predicate in CANCEL_VERBS and i.predicate not in CANCEL_VERBS and not a.negated:
        return Judgement("mismatch", "reversal", 0.85, f"it said it would {i.predicate}, then called it off ({a.predicate})")
    if a.predicate in FAIL_VERBS and i.predicate not in FAIL_VERBS and not a.negated:
        return Judgement("mismatch", "negation", 0.8, f"it said it would {i.predicate}, but it {a.predicate}ed it")
    if a.predicate in DELAY_VERBS and i.predicate not in DELAY_VERBS:
        return Judgement("mismatch", "timing", 0.8, f"it said it would {i.predicate}, then put it off ({a.predicate})")
    if i.negated and not a.negated and a.predicate in MAINTAIN_VERBS:
        return Judgement("consistent", None, 0.5 + pair.similarity / 2, f"it said it would not {i.predicate}, and it kept things as they were")
    if i.negated != a.negated:
        if a.negated and _YET.search(a.span.text):
            return Judgement("mismatch", "unfulfilled", 0.85, f"it said it would {i.predicate}; the report says it has yet to")
        said = f"would not {i.predicate}" if i.negated else f"would {i.predicate}"
        did = f"did not {a.predicate}" if a.negated else f"did {a.predicate}"
        return Judgement("mismatch", "negation", 0.85, f"it said it {said}, but it {did}")
    quantity = _compare_quantities(i, a, config)
    if quantity:
        return Judgement("mismatch", "quantity", 0.8, quantity)
    timing = _compare_times(i, a)
    if timing:
        return Judgement("mismatch", "timing", 0.75, timing)
    if _denies_target(i, a):
        return Judgement("mismatch", "target", 0.9, f"the report says “{i.target.text}” was not among what it hit")  # type: ignore[union-attr]
    if i.target is not None and a.target is not None and not _is_the_event(a):
        sim = target_similarity(i.target.text, a.target.text)
        if sim < config.target_max_similarity:
            strength = min(1.0, 0.6 + (config.target_max_similarity - sim))
            return Judgement("mismatch", "target", strength, f"intended target “{i.target.text}”, actual target “{a.target.text}”")
    return Judgement("consistent", None, 0.5 + pair.similarity / 2, "the reported action matches the stated intention")


def to_finding(pair: Pair, judgement: Judgement, finding_id: str) -> Finding:
    """Turn a judged pair into a Finding with evidence spans from both statements."""
    i, a = pair.intention, pair.action
    evidence = [Evidence(doc_id=i.doc_id, role="intention", span=i.span), Evidence(doc_id=a.doc_id, role="action", span=a.span)]
    if judgement.type == "target":
        if i.target:
            evidence.append(Evidence(doc_id=i.doc_id, role="target", span=i.target))
        if a.target:
            evidence.append(Evidence(doc_id=a.doc_id, role="target", span=a.target))
    if judgement.type == "quantity":
        evidence += [Evidence(doc_id=s.doc_id, role="quantity", span=q) for s in (i, a) for q in s.quantities]
    if judgement.type == "timing":
        evidence += [Evidence(doc_id=s.doc_id, role="time", span=t) for s in (i, a) for t in s.times]
    similarity = max(-1.0, min(1.0, pair.similarity))
    score = round(max(0.0, min(1.0, 0.6 * judgement.strength + 0.4 * max(0.0, similarity))), 4)
    label = judgement.type or "consistent"
    explanation = f"{i.actor_name}: said “{_short(i.span.text)}” — reported “{_short(a.span.text)}”: {label}, {judgement.reason}."
    return Finding(
        id=finding_id,
        actor_name=i.actor_name,
        intention=i.id,
        action=a.id,
        verdict=judgement.verdict,  # type: ignore[arg-type]
        type=judgement.type,
        score=score,
        similarity=round(similarity, 4),
        explanation=explanation,
        evidence=tuple(evidence),
    )


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
