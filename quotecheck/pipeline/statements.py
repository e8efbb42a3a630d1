"""Statements stage: intention and action frames ``(actor, predicate, target, modifiers)``.

An *intention* is an event verb under future or commitment modality ("will strike", "said it
would not raise", "plans to close", "vowed to cut"); an *action* is a realised event verb in the
past ("launched", "has closed"), a participle clause hanging on one (", hitting areas around
Homs"), a passive with an agent ("the area struck by the Russians"), or its negation ("did not
close", "failed to deliver", "has yet to publish"). Only verbs of the event lexicon
(``lexicon/actions.txt``) make frames, so opinions ("is going to backfire") are not indexed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from quotecheck.lexicon import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS, cue_forms, inflections, titles, verb_forms
from quotecheck.models import Entity, Quote, Span, Statement
from quotecheck.pipeline.segment import Segmentation
from quotecheck.pipeline.speakers import OTHER_PRONOUNS, PERSON_PRONOUNS, country_of, describe

__all__ = ["extract", "event_text", "QUANTITY", "TIME"]

_MODAL = (
    r"will|would|shall|’ll|'ll|is going to|are going to|was going to|were going to|"
    r"(?:plan|plans|planned|planning|intend|intends|intended|aim|aims|aimed|vow|vows|vowed|"
    r"pledge|pledges|pledged|promise|promises|promised|threaten|threatens|threatened|"
    r"hope|hopes|hoped|want|wants|wanted|seek|seeks|sought|agree|agrees|agreed|decide|decided|"
    r"expect|expects|expected|prepare|prepares|prepared|try|tries|tried|"
    r"is set|are set|was set|were set|is due|are due|was due|were due|is expected|are expected|"
    r"was expected|were expected|is scheduled|was scheduled|are scheduled|were scheduled|"
    r"had been due|had been scheduled|had been expected|had been set|had planned|had intended|had promised|had pledged|had vowed|"
    r"was supposed|were supposed|is supposed|are supposed|announced plans|unveiled plans|has plans|have plans|"
    r"is to|are to|was to|were to|committed itself|committed|commits|has committed|have committed)"
    r"(?:\s+(?:on|last|this|in|early|late)\s+[A-Za-z]+|\s+(?:again|repeatedly|publicly|already|also))?\s+to"
)
_INTENTION = re.compile(
    rf"\b(?P<modal>{_MODAL})\s+(?:(?P<neg>not|never|no longer)\s+)?(?:(?:also|soon|quickly|eventually|immediately|"
    r"again|then|now|finally|either)\s+)?(?:(?P<be>be|have)\s+)?(?P<verb>[a-z]+)\b",
    re.I,
)
_NOMINAL_INTENTION = re.compile(
    r"\b(?:plans?|pledges?|promises?|vows?|intention|commitment|threats?|goal|aim|next step|decision)\s+"
    r"(?:is|was|were|are)?\s*to\s+(?P<verb>[a-z]+)\b",
    re.I,
)
#: Events that can be planned and then kept, moved or called off ("the planned visit").
EVENT_NOUNS = frozenset(
    "strike visit trip tour opening launch meeting election vote rally event speech appearance match game "
    "concert summit talks ceremony release sale merger deal levy tax withdrawal deployment attack operation "
    "closure reopening hearing trial inquiry referendum protest march walkout flight service consultation "
    "visit debate conference announcement wedding".split()
)
_PLANNED_EVENT = re.compile(
    r"\b(?:(?P<pre>planned|scheduled|proposed|promised|pledged|intended|original|upcoming|slated)\s+"
    r"(?:[a-z’'-]+\s+){0,3}?(?P<noun1>[a-z]+)"
    r"|(?P<noun2>[a-z]+)\s+(?:was\s+|were\s+|had\s+been\s+)?(?:planned|scheduled|slated|due|set)\s+(?:for|on|in|to\s+take\s+place)\b)",
    re.I,
)
_NEG_ACTION = re.compile(
    r"\b(?P<neg>did not|didn’t|didn't|does not|doesn’t|has not|hasn’t|hasn't|have not|haven’t|haven't|"
    r"had not|hadn’t|never|failed to|fails to|refused to|declined to|has yet to|have yet to|"
    r"had yet to|was not|were not|wasn’t|weren’t|has still not|have still not|still has not|still have not|"
    r"had still not|still had not|was unable to|were unable to|is unable to|could not|couldn’t|couldn't|"
    r"did not manage to|didn’t manage to|broke (?:his|her|its|their) promise to|has broken (?:his|her|its|their) promise to|"
    r"backed out of plans to|pulled out of plans to|abandoned plans to|dropped plans to|scrapped plans to|"
    r"(?:voted|decided|agreed|chose|opted|elected) not to|(?:has|have|had) decided not to)\s+(?:(?:been|be|yet|actually|fully|already)\s+)*(?P<verb>[a-z]+)\b",
    re.I,
)
_PAST = re.compile(
    r"(?<![\w’'-])(?:(?P<aux>has|have|had|was|were|reportedly|also|then|later|finally|quickly|already)\s+)?(?P<verb>[a-z]+)\b(?![’'-]\w)",
    re.I,
)
_PARTICIPLE = re.compile(r"(?:,\s*|\band\s+(?:then\s+)?|\bthen\s+)(?P<verb>[a-z]+ing)\b", re.I)
_PASSIVE_AGENT = re.compile(
    r"(?P<verb>[a-z]+)\s+by\s+(?P<agent>(?:[Tt]he\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*|"
    r"(?:the\s+|its\s+|their\s+)?[a-z]+(?:\s+(?:of|from)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*|\s+[a-z]+)?)"
)
#: Verbs after a modal that state no event (opinions, states, predictions): never an intention.
_NOT_EVENTS = frozenset(
    "be have do get seem appear become remain like love hate want need know think believe feel consider "
    "continue allow help backfire happen mean matter depend look sound let say tell ask see try "
    "mind wait hope expect prefer agree".split()
)

QUANTITY = re.compile(
    r"(?:[$€£]\s?)?\b\d[\d,]*(?:\.\d+)?(?:\s?(?:%|percent|per cent))?"
    r"(?:\s+(?:million|billion|trillion|thousand|hundred))?"
    r"(?:\s+[a-z]+)?"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundred|thousand|dozens?|hundreds|thousands)\b(?:\s+(?:million|billion|thousand|hundred))?(?:\s+[a-z]+)?",
    re.I,
)
_MONTHS = "|".join(MONTHS + MONTH_ABBREVIATIONS)
_DAYS = "|".join(WEEKDAYS)
TIME = re.compile(
    rf"\b(?:(?:by|before|until|in|on|from|after|since|within|at|during|late|early|mid|end of)\s+)?"
    rf"(?:(?:{_MONTHS})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+(?:{_MONTHS})(?:\s+\d{{4}})?|"
    rf"(?:{_DAYS})|(?:19|20)\d{{2}}|next\s+(?:week|month|year|spring|summer|autumn|fall|winter)|"
    rf"(?:this|last)\s+(?:week|month|year)|the\s+(?:end|start)\s+of\s+(?:the\s+)?(?:year|month|week|[a-z]+)|"
    rf"(?:spring|summer|autumn|fall|winter)(?:\s+\d{{4}})?|(?:the\s+)?coming\s+(?:days|weeks|months)|"
    rf"(?:two|three|four|five|six|\d+)\s+(?:days|weeks|months|years)\s+(?:later|ago|early|late))\b",
    re.I,
)
_TARGET_STOP = re.compile(
    r"\s*(?:,|;|:|—|–|\(|\band\s+(?:then\s+)?[a-z]+(?:ed|ing)\b|\bbut\b|\bafter\b|\bbefore\b|\bbecause\b|\bwhile\b|"
    r"\bto\s+(?!the\b|a\b|an\b)[a-z]+\b|\bby\s+(?:" + _MONTHS + r"|" + _DAYS + r"|the end|next|\d)|$)",
    re.I,
)
_PREP_LEAD = re.compile(r"(?:with|on|against|at|to|into|for|in|off|down|up|out|over|back)\s+", re.I)
_CLAUSE_BREAK = re.compile(
    r"[;:]|,\s*(?:but|and|though|although|while|which|who|[a-z]+ing)\b|\bbut\b|\band\s+then\b|,\s+(?=[A-Z])|\.\s"
)


@lru_cache(maxsize=1)
def _event_verbs() -> dict[str, str]:
    return verb_forms("actions.txt")


@lru_cache(maxsize=1)
def _base_forms() -> frozenset[str]:
    """Lemmas: an intention's verb follows 'to'/'will', so it must be a base form."""
    return frozenset(_event_verbs().values())


@lru_cache(maxsize=1)
def _past_forms() -> dict[str, str]:
    """Past tense and participle forms (plus the few verbs whose past equals the lemma)."""
    forms = _event_verbs()
    return {f: lemma for f, lemma in forms.items() if (f != lemma and not f.endswith(("s", "ing"))) or f in _IRREGULAR_SAME}


_IRREGULAR_SAME = frozenset({"hit", "cut", "shut", "quit", "forecast", "read"})


def _frame(text: str, kind: str, start: int, m: re.Match[str], limit: int, *args, **kwargs) -> _Frame:
    """A frame whose verb is the match's ``verb`` group and whose clause runs from ``start``."""
    return _Frame(kind, start, m.start("verb"), m.end("verb"), _clause_end(text, m.end(), limit), *args, **kwargs)


@dataclass(frozen=True)
class _Frame:
    kind: str
    start: int
    verb_start: int
    verb_end: int
    end: int
    lemma: str
    negated: bool
    subject: tuple[int, int] | None
    agent: tuple[int, int] | None = None
    nominal: bool = False
    sentence_start: int = -1
    passive: bool = False


def extract(
    text: str,
    seg: Segmentation,
    quotes: tuple[Quote, ...],
    entities: tuple[Entity, ...],
    *,
    doc_id: str,
    date: str | None = None,
) -> tuple[Statement, ...]:
    """Every intention and action frame in ``text``, with its actor resolved."""
    frames: list[_Frame] = []
    for sent in seg.sentences:
        frames.extend(_frames(text, sent, {}))
    # Verbs this text uses in intentions also count as actions in the past ("resurface" -> "resurfaced").
    own = {f.lemma for f in frames if f.kind == "intention"} - _base_forms()
    if own:
        extra = {form: lemma for lemma in own for form in inflections(lemma).keys() if form.endswith("ed")}
        frames = [f for sent in seg.sentences for f in _frames(text, sent, extra)]
    frames.sort(key=lambda f: (f.verb_start, f.kind))
    seen: set[int] = set()
    lookup = _QuoteLookup(quotes)
    statements: list[Statement] = []
    last_actor: dict[str, tuple[str | None, str, str | None]] = {}
    for frame in frames:
        if frame.verb_start in seen:
            continue
        seen.add(frame.verb_start)
        quote = lookup.at(frame.verb_start)
        actor = _actor(text, frame, quote, entities, statements, last_actor)
        if actor is None:
            continue
        actor_id, actor_name, group = actor
        if frame.kind == "intention" and quote is not None and quote.speaker_name and quote.speaker != actor_id:
            if _is_forecaster(quote):
                continue  # "analysts said the bank would raise rates": a prediction, not the bank's intention
            if group is None:
                group = quote.speaker_name  # "the Library would reopen", said the council: the council answers for it
        kind_key = "person" if describe(actor_name).type == "person" else "other"
        last_actor[kind_key] = actor
        last_actor["any"] = actor
        span = Span.of(text, frame.start, frame.end)
        target = _target(text, frame)
        statements.append(
            Statement(
                id=f"{doc_id}:s{len(statements) + 1}",
                doc_id=doc_id,
                kind=frame.kind,  # type: ignore[arg-type]
                actor=actor_id,
                actor_name=actor_name,
                actor_group=group,
                predicate=frame.lemma,
                span=span,
                target=target,
                quote=quote.id if quote else None,
                negated=frame.negated,
                quantities=tuple(
                    Span.of(text, *m.span())
                    for m in QUANTITY.finditer(text, frame.start, frame.end)
                    if _is_quantity(m.group(0)) and not _TIME_UNITS.search(text[max(0, m.start() - 10) : m.start()])
                ),
                times=tuple(Span.of(text, *m.span()) for m in TIME.finditer(text, frame.start, frame.end)),
                stated_at=_stated_at(text, frame, quote) if frame.kind == "intention" else None,
                date=date,
            )
        )
    return tuple(statements)


_TIME_UNITS = re.compile(r"\b(?:hours?|days?|weeks?|months?|years?|minutes?|p\.?m|a\.?m|" + _MONTHS + r")\b", re.I)


def _is_quantity(s: str) -> bool:
    """A number that counts something: not a year, a day of a month or a duration (those are times)."""
    return (
        any(ch.isdigit() for ch in s)
        and not re.fullmatch(r"(?:19|20)\d\d\s*[a-z]*", s.strip(), re.I)
        and not _TIME_UNITS.search(s)
    )


#: "-ed" words that are adjectives or modals far more often than realised events.
_ED_NOT_EVENTS = frozenset(
    "based used concerned interested related supposed expected scheduled planned armed united need "
    "allowed aged alleged limited advanced detailed experienced skilled talented tired bored worried pleased "
    "surprised shocked married divorced injured wounded retired noted reported said added stated claimed "
    "believed considered announced designed intended required involved located named called".split()
)


def _regular_past(word: str) -> bool:
    """A lowercase regular past form outside the lexicon ('abolished'), not an adjective-like one."""
    return (
        word.islower() and len(word) >= 5 and word.endswith("ed") and not word.endswith("eed")
        and word not in _ED_NOT_EVENTS and word not in cue_forms()
    )


def _lemma_of_past(word: str) -> str:
    """Best guess at the lemma of a regular past form: abolished → abolish, closed → close."""
    if word.endswith("ied"):
        return word[:-3] + "y"
    stem = word[:-2]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]  # stopped → stop
    if stem.endswith(("v", "z", "g", "c", "u", "at", "it", "ut", "os", "as", "us", "ir", "ur", "bl", "dl", "tl", "pl")) and not stem.endswith(("ss",)):
        return stem + "e"  # lodged → lodge, completed → complete
    return stem


def _open_class_verb(word: str) -> bool:
    """A plausible base-form event verb: lowercase, not an adverb, auxiliary or state verb."""
    return (
        word.isalpha() and len(word) >= 3 and word.islower() and word not in _NOT_EVENTS
        and not word.endswith(("ly", "ing", "ed", "tion")) and word not in _FUNCTION_WORDS
    )


_VERBAL = frozenset("would will shall could should can may might must is are was were has have had did does".split())
_FUNCTION_WORDS = frozenset("the and not any all its their his her our your this that those these also only just".split())


def _frames(text: str, sent: Span, extra_past: dict[str, str]) -> list[_Frame]:
    """Intention and action frames of one sentence; ``extra_past`` adds the text's own intention verbs."""
    s0, s1 = sent.start, sent.end
    out: list[_Frame] = []
    verbs = _event_verbs()
    base = _base_forms()
    for m in _INTENTION.finditer(text, s0, s1):
        verb = m.group("verb").lower()
        lemma = verbs.get(verb)
        if m.group("be") and m.group("be").lower() == "be" and lemma and verb != lemma:
            pass  # passive intention: "will be closed"
        elif verb in base:
            pass
        elif _open_class_verb(verb) and not m.group("be"):
            lemma = verb  # an event verb outside the lexicon ("resurface"): taken on the modal's word
        else:
            continue
        if lemma is None:
            continue
        start = _clause_start(text, s0, m.start())
        subject = _subject(text, start, m.start())
        passive = bool(m.group("be")) and m.group("be").lower() == "be" and verb != lemma
        negated = bool(m.group("neg"))
        if passive and subject and re.match(r"(?:no|none of)\b", text[subject[0] : subject[1]], re.I):
            negated = True  # "no jobs would be cut"
        out.append(
            _frame(text, "intention", start, m, s1, lemma,
                   negated, subject, passive=passive)
        )
    for m in _NOMINAL_INTENTION.finditer(text, s0, s1):
        verb = m.group("verb").lower()
        if verb in base:
            start = _clause_start(text, s0, m.start())
            owner = re.search(r"([\w’'.-]+(?:\s+[A-Z][\w’'.-]*)*)(?:’s|'s)\s+(?:\w+\s+)?$|\b(his|her|its|their|our|my)\s+(?:\w+\s+)?$",
                              text[start : m.start()])
            subject = None
            if owner:
                g = 1 if owner.group(1) else 2
                subject = (start + owner.start(g), start + owner.end(g))
            out.append(_frame(text, "intention", start, m, s1, verbs[verb], False, subject, nominal=True))
    for m in _PLANNED_EVENT.finditer(text, s0, s1):
        group = "noun1" if m.group("noun1") else "noun2"
        noun = m.group(group).lower()
        if noun not in EVENT_NOUNS:
            continue
        start = _clause_start(text, s0, m.start())
        owner = re.search(r"([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)(?:’s|'s)\s+(?:[a-z]+\s+)*$", text[start : m.start()])
        subject = (start + owner.start(1), start + owner.end(1)) if owner else None
        out.append(_Frame("intention", start, m.start(group), m.end(group), _clause_end(text, m.end(), s1), noun,
                          False, subject, nominal=True))
    intention_verbs = {f.verb_start for f in out}
    for m in _NEG_ACTION.finditer(text, s0, s1):
        verb = m.group("verb").lower()
        lemma = verbs.get(verb)
        if lemma is None or m.start("verb") in intention_verbs:
            continue
        start = _clause_start(text, s0, m.start())
        out.append(_frame(text, "action", start, m, s1, lemma,
                          True, _subject(text, start, m.start())))
    taken = {f.verb_start for f in out}
    past = {**_past_forms(), **extra_past}
    for m in _PAST.finditer(text, s0, s1):
        verb = m.group("verb").lower()
        if m.start("verb") in taken:
            continue
        if verb not in past:
            if not _regular_past(m.group("verb")) or re.match(r"\s+to\s", text[m.end("verb") : s1]):
                continue  # "failed to", "tried to": the event is the verb after "to"
            past = {**past, verb: _lemma_of_past(verb)}
        before = text[max(s0, m.start("verb") - 25) : m.start("verb")].lower()
        if re.search(r"\b(?:to|will|would|shall|not|never|be|being)\s+$", before):
            continue  # an infinitive or a negated/modal verb, handled above
        agent = _PASSIVE_AGENT.match(text, m.start("verb"), s1)
        if agent and agent.group("verb").lower() == verb:
            start = _clause_start(text, s0, m.start("verb"))
            out.append(_frame(text, "action", start, m, s1, past[verb], False, None, agent.span("agent")))
            continue
        if re.search(r"\b(?:was|were|is|are|been)\s+(?:\w+ly\s+)?$", before) or re.match(r"\s+by\b", text[m.end("verb") : s1]):
            if past[verb] in SCHEDULE_VERBS and not re.match(r"\s+by\b", text[m.end("verb") : s1]):
                # "the trip had been cancelled": what was planned changed; who did it is left open.
                start = _clause_start(text, s0, m.start())
                thing = _subject(text, start, m.start())
                if thing is not None:
                    out.append(_frame(text, "action", start, m, s1, past[verb], False, thing, passive=True))
            continue  # a passive whose agent we cannot read: no actor to check
        start = _clause_start(text, s0, m.start())
        subject = _subject(text, start, m.start("aux") if m.group("aux") else m.start("verb"))
        if subject is None:
            continue
        out.append(_frame(text, "action", start, m, s1, past[verb], False, subject))
    taken = {f.verb_start for f in out}
    for m in _PARTICIPLE.finditer(text, s0, s1):
        verb = m.group("verb").lower()
        lemma = verbs.get(verb)
        if lemma is None or m.start("verb") in taken:
            continue
        if not any(f.verb_start < m.start() for f in out):
            continue  # a participle clause hangs on an earlier frame of the sentence
        out.append(_frame(text, "action", m.start("verb"), m, s1, lemma, False, None, sentence_start=s0))
    return out


_BOUNDARY_WORDS = r"that|which|who|and|but|because|as|while|though|although|when|after|before|since|if|despite|saying|said|says"


def _clause_start(text: str, floor: int, pos: int) -> int:
    """Start of the clause that ends at ``pos``: after punctuation or a subordinating word."""
    best = floor
    for m in re.finditer(rf"[,;:(“”\"—–]|\b(?:{_BOUNDARY_WORDS})\b", text[floor:pos], re.I):
        best = floor + m.end()
    while best < pos and text[best].isspace():
        best += 1
    return best


_WORDS = re.compile(r"\w")
#: Verbs that change a plan; in the passive ("was postponed") they count even without an agent.
SCHEDULE_VERBS = frozenset("cancel postpone delay move relocate reschedule scrap shelve suspend abandon drop halt".split())
UNSPECIFIED = "(unspecified)"
_SUBJECT_SKIP = frozenset(
    "on in at by after before then now and but so according hours days minutes weeks months years moments "
    "shortly later earlier meanwhile however instead yesterday today finally eventually also".split()
)


def _subject(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The subject noun phrase between clause start and the verb group (≤ 8 words)."""
    for when in TIME.finditer(text, start, end):
        # "Nabisco on Wednesday began": keep what precedes the time phrase; "On Monday it": what follows.
        if _WORDS.search(text, start, when.start()) and not re.match(r"\s*(?:on|in|at|by)\b", text[start : when.start()], re.I):
            end = when.start()
            break
        start = when.end()
    words = list(re.finditer(r"[\w’'.&-]+", text[start:end]))
    while words and words[0].group(0).lower() in _SUBJECT_SKIP:
        words.pop(0)
    while words and words[-1].group(0).lower() in {"has", "have", "had", "also", "then", "later", "reportedly",
                                                  "finally", "already", "quickly", "first", "now", "will",
                                                  "would", "did", "does", "do", "is", "are", "was", "were",
                                                  "soon", "still", "it", "said", "says", "been", "being"} - {"it"}:
        words.pop()
    if not words or len(words) > 8:
        return None
    if any(w.group(0).lower() in _VERBAL for w in words):
        return None  # "he would veto the bill": a clause, not a noun phrase
    return start + words[0].start(), start + words[-1].end()


def _clause_end(text: str, pos: int, limit: int) -> int:
    """End of the frame's clause: a clause break or the sentence end, minus final punctuation."""
    m = _CLAUSE_BREAK.search(text, pos, limit)
    end = m.start() if m else limit
    while end > pos and (text[end - 1].isspace() or text[end - 1] in ".,;:!?”\"’"):
        end -= 1
    return max(end, pos)


def _target(text: str, frame: _Frame) -> Span | None:
    """The object phrase after the verb, up to a purpose clause, time phrase or clause break.

    For a passive with an agent ('the area struck by the Russians') it is the subject.
    """
    if frame.agent is not None or (frame.passive and frame.subject is not None):
        if frame.agent is None and frame.subject is not None:
            return Span.of(text, *frame.subject)
        end = frame.verb_start
        while end > frame.start and text[end - 1].isspace():
            end -= 1
        return Span.of(text, frame.start, end) if end > frame.start else None
    start = frame.verb_end
    while start < frame.end and text[start].isspace():
        start += 1
    lead = _PREP_LEAD.match(text, start, frame.end)
    if lead:
        start = lead.end()
    if start >= frame.end:
        return None
    stop = _TARGET_STOP.search(text, start, frame.end)
    end = stop.start() if stop else frame.end
    when = TIME.search(text, start, end)
    if when and when.start() > start:
        end = when.start()
    words = list(re.finditer(r"\S+", text[start:end]))
    if not words:
        return None
    if len(words) > 14:
        end = start + words[13].end()
    while end > start and text[end - 1] in " ,.;:”\"’":
        end -= 1
    return Span.of(text, start, end) if end > start else None


class _QuoteLookup:
    """Which quotes' content holds an offset: bisect over content pieces, no scan of every quote."""

    def __init__(self, quotes: tuple[Quote, ...]) -> None:
        self.pieces = sorted((c.start, c.end, n) for n, q in enumerate(quotes) for c in q.content)
        self.starts = [p[0] for p in self.pieces]
        self.longest = max((e - s for s, e, _ in self.pieces), default=0)
        self.quotes = quotes

    def at(self, pos: int) -> Quote | None:
        """The innermost attributed quote whose content holds ``pos`` (attributed ones first)."""
        holding = []
        i = bisect_right(self.starts, pos) - 1
        while i >= 0 and self.starts[i] >= pos - self.longest:
            start, end, n = self.pieces[i]
            if start <= pos < end:
                holding.append(self.quotes[n])
            i -= 1
        holding.sort(key=lambda q: (q.speaker_name is None, sum(c.end - c.start for c in q.content)))
        return holding[0] if holding else None


def _actor(text, frame: _Frame, quote: Quote | None, entities: tuple[Entity, ...], statements, last_actor):
    """(entity id, canonical name, country group) of the frame's actor, or None when unknown."""
    if frame.agent is not None:
        agent = text[frame.agent[0] : frame.agent[1]]
        return _named(agent, entities) or _anaphor(agent, statements, last_actor)
    if frame.passive and frame.kind == "action":
        return None, UNSPECIFIED, None
    if frame.passive:
        # "no jobs would be cut": the thing is the subject; the actor is who speaks, or who acts nearby.
        if quote is not None and quote.speaker_name:
            return quote.speaker, quote.speaker_name, _group_of(quote.speaker, entities)
        return last_actor.get("any")
    if frame.nominal and frame.subject is None:
        # "the next step is to send …", "the planned visit": the plan of whoever speaks or acts here.
        if quote is not None and quote.speaker_name:
            return quote.speaker, quote.speaker_name, _group_of(quote.speaker, entities)
        if frame.lemma in EVENT_NOUNS:
            return last_actor.get("any") or (None, UNSPECIFIED, None)
        return None
    if frame.subject is None:
        # Participle clause: the actor of the frame it hangs on (same sentence).
        for st in reversed(statements):
            if frame.sentence_start <= st.span.start < frame.start:
                return st.actor, st.actor_name, st.actor_group
        return None
    subject = text[frame.subject[0] : frame.subject[1]]
    low = subject.lower()
    first = low.split()[0] if low.split() else ""
    if low in {"his", "her", "its", "their", "our", "my"}:
        first = {"his": "he", "her": "she", "its": "it", "their": "they", "our": "we", "my": "i"}[low]
    if first in {"who", "which", "that"}:
        # A relative clause: the actor is the noun phrase the relative pronoun follows.
        antecedent = re.search(r"([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*|\b(?:the|a|an)\s+[\w’'-]+(?:\s+[\w’'-]+)?)\s*,?\s*$",
                               text[max(0, frame.subject[0] - 80) : frame.subject[0]])
        return _named(antecedent.group(1), entities) if antecedent else None
    if first in PERSON_PRONOUNS | OTHER_PRONOUNS or low in {"i", "we"}:
        wants_person = first in PERSON_PRONOUNS
        if quote is not None and quote.speaker_name:
            kind = _entity_type(quote.speaker, entities)
            source = (quote.source.text.lower().split() or [""])[-1] if quote.source else ""
            # Names are typed by rule, so only a clear clash blocks "he" → an organisation; an
            # impersonal source ("it was announced that she …") never stands for the pronoun.
            agrees = not (wants_person and kind in ("organisation", "country")) and source != "it"
            if first in {"i", "we", "my", "our", "me", "us"} or (_inside_indirect(quote, frame) and agrees):
                return quote.speaker, quote.speaker_name, _group_of(quote.speaker, entities)
        found = last_actor.get("person" if wants_person else "other") or (None if wants_person else last_actor.get("any"))
        if found is None and first in {"he", "she", "they"}:
            return None, first, None  # unresolved: stands for whoever the text is about (same text only)
        return found
    named = _named(subject, entities)
    if named is None and (subject[:1].islower() or re.match(r"(?:The|A|An|Its|Their)\s", subject)):
        return _anaphor(subject, statements, last_actor)
    return named


#: How many earlier statements an anaphor ('the company') may look back through (count).
ANAPHOR_LOOKBACK = 40
_GENERIC_HEADS = frozenset(
    "company firm group club council government authority ministry department agency trust board "
    "administration city county state country union party team bank operator service league coalition "
    "campaign army military forces force brigade regime rebels militants carrier airline retailer "
    "developer manufacturer insurer charity university school hospital".split()
)


def _anaphor(np: str, statements: list[Statement], last_actor) -> tuple[str | None, str, str | None] | None:
    """'the company', 'council crews': the latest earlier actor sharing a word, or the latest organisation."""
    words = {w for w in re.findall(r"[a-z]+", np.lower()) if len(w) > 2} - {"the", "its", "their"}
    for st in reversed(statements[-ANAPHOR_LOOKBACK:]):
        name_words = set(re.findall(r"[a-z]+", st.actor_name.lower()))
        if words & name_words:
            return st.actor, st.actor_name, st.actor_group
    title = re.match(r"(?:the|a)\s+(?:former\s+)?([a-z]+)$", np.strip(), re.I)
    if title and title.group(1).lower() in titles():
        return None, title.group(1).lower(), None  # "the president": unnamed here, same text only
    if words & _GENERIC_HEADS:
        if last_actor.get("any"):
            return last_actor["any"]
        if len(words) <= 2:
            name = re.sub(r"^(?:the|a|an)\s+", "", np.strip().lower())
            return None, name, None  # "the city": tracked by its own words until named
    return None


_FORECASTERS = frozenset(
    "analyst analysts economist economists expert experts observer observers commentator commentators "
    "forecaster forecasters pollster pollsters strategist strategists critic critics investor investors".split()
)


def _is_forecaster(quote: Quote) -> bool:
    """A source whose 'X would …' is a forecast about others (analysts, economists, critics)."""
    if quote.source is None:
        return False
    words = set(re.findall(r"[a-z]+", quote.source.text.lower()))
    return bool(words & _FORECASTERS)


def _stated_at(text: str, frame: _Frame, quote: Quote | None) -> Span | None:
    """When the intention was stated: a time phrase next to the cue ('said on March 14, 2024, that')."""
    if quote is None or quote.cue is None or not quote.content:
        return None
    lo = min(quote.cue.start, quote.source.start if quote.source else quote.cue.start)
    hi = min(frame.start, max(quote.content[0].start, quote.cue.end + 40))
    window = TIME.search(text, lo, max(lo, hi))
    return Span.of(text, *window.span()) if window else None


def _inside_indirect(quote: Quote, frame: _Frame) -> bool:
    """A pronoun subject in reported speech refers to the speaker ('Russia said it would …')."""
    return quote.kind != "direct"


def _entity_type(entity_id: str | None, entities: tuple[Entity, ...]) -> str | None:
    for e in entities:
        if e.id == entity_id:
            return e.type
    return None


def _group_of(entity_id: str | None, entities: tuple[Entity, ...]) -> str | None:
    for e in entities:
        if e.id == entity_id:
            return e.group or e.name
    return None


_PARTITIVE = re.compile(
    r"^(?:the\s+)?(?:some\s+|two\s+|three\s+|several\s+|hundreds\s+|thousands\s+)?(?:members|fighters|officials|workers|"
    r"troops|units|supporters|staff|employees|soldiers|forces|crews|leaders|executives|lawyers|engineers|pilots)\s+"
    r"(?:of|from|at)\s+(.+)$",
    re.I,
)
_POSSESSIVE = re.compile(r"^(?:the\s+)?((?:[A-Z][\w.-]*\s+)*[A-Z][\w.-]*)(?:’s|'s|’|')\s+\w+(?:\s+\w+)?$")


def _named(np: str, entities: tuple[Entity, ...]) -> tuple[str | None, str, str | None] | None:
    """Canonical actor of a noun phrase: a known entity, a country group, or the phrase's proper name."""
    partitive = _PARTITIVE.match(np.strip())
    if partitive:
        return _named(partitive.group(1), entities)
    possessor = _POSSESSIVE.match(np.strip())
    if possessor and possessor.group(1)[:1].isupper():
        return _named(possessor.group(1), entities)  # "Lind’s ministry" → Lind
    mention = describe(np)
    if mention.pronoun:
        return None
    for e in entities:
        if e.name == mention.name or (mention.type == "person" and e.type == "person" and e.name.split()[-1].lower() == mention.key):
            return e.id, e.name, e.group or e.name
        head = mention.key.split()[-1] if mention.key else ""
        if e.type == "organisation" and len(head) > 3 and head in e.name.lower().split():
            return e.id, e.name, e.group or e.name
    group = mention.group or country_of(np)
    if group:
        return None, mention.name if mention.type == "country" else group, group
    proper = re.findall(r"(?:[A-Z][\w’'.&-]*)(?:\s+(?:of|for|the|and)?\s*[A-Z][\w’'.&-]*)*", np)
    proper = [p for p in proper if p.lower() not in {"the", "a", "an"} and not re.fullmatch(r"The|A|An", p)]
    starts_lower = bool(re.match(r"(?:(?:the|a|an)\s+)?[a-z]", np))
    if (mention.type in ("anonymous", "group", "unknown") or starts_lower) and proper:
        name = describe(proper[-1]).name
        return None, name, name
    if not re.search(r"[A-Za-z]", np):
        return None
    if mention.type in ("group", "unknown") and not proper:
        return None  # "the airstrikes", "the area": not an actor we can track
    return None, mention.name, mention.name


def event_text(statement: Statement) -> str:
    """The event a statement is about, without its actor: what the encoder compares."""
    s = statement.span.text
    offset = 0
    # Drop the words before the predicate's own clause position (actor, modal).
    idx = s.lower().find(statement.predicate[:4])
    if idx > 0:
        offset = idx
    return s[offset:].strip() or s
