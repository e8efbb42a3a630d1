"""The event layer's rules: planned events and outcomes of a parsed document, as Statements.

Since the learned said/did stage (``pipeline/saydo``) these rules no longer decide anything:
what they call each clause is one feature of the detector ("rule=intention",
"rule_fact=cancelled"), weighed on the annotated corpus like the others.

Mentions come from :mod:`~quotecheck.pipeline.mentions` (one parsed sentence at a time), their
agents are resolved by :mod:`~quotecheck.pipeline.actors` in text order, and each becomes a
:class:`~quotecheck.models.Statement` with offsets into the original text: its span (the clause
or noun phrase), its own words (``phrase``, what is embedded), the word carrying its factuality
(``cue``), what an outcome acts on (``theme``), amounts and times from its own words only, and
for an intention when it was stated ("said in January that …").

Which sentences need a parse is decided by :func:`needs_parse`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from quotecheck.lexicon import predicate_table
from quotecheck.models import Entity, Quote, Span, Statement
from quotecheck.pipeline.actors import UNSPECIFIED, ActorResolver
from quotecheck.pipeline.factuality import classes, conditional
from quotecheck.pipeline.measures import TIME, amount_tokens
from quotecheck.pipeline.mentions import FORECASTERS, Mention, mentions

if TYPE_CHECKING:
    from spacy.tokens import Token

    from quotecheck.pipeline.document import Document, Piece

__all__ = ["extract", "needs_parse"]

#: Light verbs: the predicate is the verb with its object ("take part", "strike deal").
_LIGHT = frozenset("take make give hold have do strike reach".split())
_WORDS = re.compile(r"[A-Za-z]{2,}")


def needs_parse(sentence: str) -> bool:
    """True when ``sentence`` can hold an event: three words or more (headlines, datelines and
    bylines of one or two words are skipped). Measured on PolNeAR dev, a word-list pre-filter
    kept 87% of the sentences and lost irregular pasts ("kept her promise"), so the parse
    covers every sentence that could state an event."""
    return len(_WORDS.findall(sentence)) >= 3


def extract(
    doc: Document,
    quotes: tuple[Quote, ...],
    entities: tuple[Entity, ...],
    *,
    doc_id: str,
    date: str | None = None,
) -> tuple[Statement, ...]:
    """Every intention and outcome of ``doc``, with its actor resolved, in text order."""
    resolver = ActorResolver(doc, quotes, entities)
    statements: list[Statement] = []
    for piece in doc.pieces:
        for m in mentions(piece.doc):
            statement = _statement(doc, piece, m, resolver, doc_id=doc_id, date=date, number=len(statements) + 1)
            if statement is not None:
                statements.append(statement)
    return tuple(statements)


def _statement(doc: Document, piece: Piece, m: Mention, resolver: ActorResolver, *, doc_id: str, date: str | None, number: int):
    sdoc = piece.doc
    head = sdoc[m.head]
    offset = piece.start + head.idx
    quote = resolver.quote_at(offset)
    actor = resolver.resolve(piece, sdoc[m.agent] if m.agent is not None else None)
    if m.kind == "intention" and not m.nominal and m.agent is not None and actor is None:
        scheduled = quote is not None and quote.speaker_name and "event" in classes(sdoc[m.agent])
        if not scheduled:
            return None  # "his gift will trigger …", "a list which will prevent …": a thing cannot intend
        actor = (quote.speaker, quote.speaker_name, None)  # "the caucus would begin", officials said: their schedule
    if m.kind == "intention" and _expletive(head, sdoc[m.agent] if m.agent is not None else None):
        return None  # "it would take three weeks to convene …": no one's plan
    if m.kind == "intention" and quote is not None and quote.speaker_name:
        if _forecaster(quote) and (actor is None or actor[0] != quote.speaker):
            return None  # "analysts said the bank would raise rates": a prediction, not the bank's plan
        if actor is None and not m.nominal and head.dep_ != "relcl":
            actor = (quote.speaker, quote.speaker_name, None)  # "no jobs would be cut", the company said
    if m.kind == "intention" and not m.nominal and actor is None:
        return None  # "any questions that would be put to him": nobody's plan
    if m.kind == "intention" and not m.nominal and m.agent is None and _acted_on(head):
        return None  # "Obama would not be pigeonholed": what others would do to him, not his plan
    if m.kind == "action" and m.cls == "reverse" and m.theme is None and actor is None:
        return None  # "the debate changed their minds": a change of mind needs someone whose mind it was
    if actor is None:
        if m.kind == "action" and m.factuality == "realised":
            return None  # an act nobody is named for cannot fulfil or break anyone's plan
        actor = (None, UNSPECIFIED, None)
    span = doc.span(piece, m.first, m.last)
    phrase = _phrase(doc, piece, m)
    theme = _np_span(doc, piece, sdoc[m.theme]) if m.theme is not None else None
    own = [t for t in sdoc[m.first : m.last + 1]]
    return Statement(
        id=f"{doc_id}:s{number}",
        doc_id=doc_id,
        kind=m.kind,  # type: ignore[arg-type]
        factuality=m.factuality,  # type: ignore[arg-type]
        actor=actor[0],
        actor_name=actor[1],
        actor_group=actor[2],
        predicate=_predicate(sdoc[m.theme] if m.theme is not None and sdoc[m.theme].pos_ == "VERB" else head),
        span=span,
        phrase=phrase,
        cue=doc.token_span(piece, sdoc[m.trigger]) if m.trigger is not None else None,
        theme=theme,
        presupposed=m.presupposed,
        conditional=m.kind == "intention" and conditional(head),
        sentence=piece.sentence,
        keys=_keys(sdoc, m),
        target=_target(doc, piece, head) if not m.nominal else None,
        quote=quote.id if quote else None,
        negated=m.negated,
        quantities=tuple(doc.span(piece, a, b) for a, b in amount_tokens(own)),
        times=tuple(Span.of(doc.text, span.start + x.start(), span.start + x.end()) for x in TIME.finditer(span.text)),
        stated_at=_stated_at(doc, piece, head) if m.kind == "intention" else None,
        date=date,
    )


def _keys(sdoc, m: Mention) -> tuple[str, ...]:
    """Lemmas naming the event and its arguments: the verb (or noun) and the heads of its objects.

    An outcome that acts on a noun phrase ('canceled the trip') has that noun as its only key, for
    matching it to a plan ('trip' ~ 'visit'); a verb theme ('refused to endorse') is compared
    through the event phrase instead."""
    if m.kind == "action" and m.factuality not in ("realised", "negated"):
        if m.theme is None:
            return ()
        theme = sdoc[m.theme]
        if theme.pos_ == "VERB":
            return _verb_keys(theme)  # "refused to release the results": the event that did not happen
        return (theme.lemma_.lower(),) if theme.pos_ in ("NOUN", "PROPN") else ()
    head = sdoc[m.head]
    trigger = sdoc[m.trigger] if m.trigger is not None else None
    words = [head, *_arguments(head)]
    if trigger is not None and m.cls in ("plan", "goal") and trigger.pos_ == "NOUN":
        words.append(trigger)  # "its goal of releasing 43,000 pages": the goal is what "the target" refers to
    if trigger is not None and trigger.dep_ == "acomp":
        words += _arguments(trigger.head)  # "was due to usher in the New Year with a visit"
    out = dict.fromkeys(t.lemma_.lower() for t in words if t.is_alpha and t.lemma_.lower() not in _NOT_KEYS)
    return tuple(out)[:6]


def _verb_keys(verb: Token) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.lemma_.lower() for t in [verb, *_arguments(verb)] if t.is_alpha and t.lemma_.lower() not in _NOT_KEYS))[:6]


def _arguments(head: Token) -> list[Token]:
    """Heads of what an event verb or noun takes: objects, prepositional objects, compounds."""
    out = []
    for child in head.children:
        if child.dep_ in ("dobj", "nsubjpass", "attr", "compound", "oprd") and child.pos_ == "NOUN":
            out.append(child)
        elif child.dep_ in ("prep", "prt", "dative"):
            out += [g for g in child.children if g.dep_ == "pobj" and g.pos_ == "NOUN"]
        elif child.dep_ == "xcomp" and child.pos_ == "VERB":
            out += [child] + [g for g in child.children if g.dep_ == "dobj" and g.pos_ == "NOUN"]
    return out  # common nouns only: a shared participant ('Mr. Clarke') does not make two acts one


#: Words of a plan's span that do not name its event.
_NOT_KEYS = frozenset("be have do say tell plan intend schedule expect due set".split())


def _expletive(verb: Token, subject: Token | None) -> bool:
    """'It would take weeks to convene …': an 'it' standing for the clause that follows, not an actor."""
    if subject is None or subject.lower_ != "it":
        return False
    return any(c.dep_ in ("xcomp", "ccomp", "csubj") and c.i > verb.i for c in verb.children) or subject.dep_ == "expl"


def _acted_on(verb: Token) -> bool:
    """A passive whose subject is someone ('he would be sent'), not something ('no jobs would be cut')."""
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    return subject is not None and (subject.pos_ in ("PRON", "PROPN") and subject.lower_ not in ("it", "they", "this", "that"))


def _predicate(token: Token) -> str:
    """Lemma with its particle ('call off', 'leave out'), a lexicon phrase ('fall short'), or a light
    verb with its object ('take part')."""
    lemma = token.lemma_.lower()
    near = {c.lemma_.lower() for c in token.children}
    for rest, _cls in predicate_table().phrases(lemma, "verb" if token.pos_ in ("VERB", "AUX") else "noun"):
        if all(w in near for w in rest):
            return " ".join((lemma, *rest))
    particle = next((c.lower_ for c in token.children if c.dep_ == "prt"), None)
    if particle:
        return f"{lemma} {particle}"
    if lemma in _LIGHT:
        obj = next((c for c in token.children if c.dep_ == "dobj"), None)
        if obj is not None and obj.pos_ == "NOUN":
            return f"{lemma} {obj.lemma_.lower()}"
    return lemma


def _phrase(doc: Document, piece: Piece, m: Mention) -> Span:
    """The event's own words: the noun phrase, or the verb and what follows it (no actor, no modal)."""
    sdoc = piece.doc
    if m.kind == "action" and m.theme is not None:
        theme = sdoc[m.theme]
        if theme.pos_ == "VERB":
            return doc.span(piece, theme.i, max(theme.i, min(m.last, theme.right_edge.i)))
        return _np_span(doc, piece, theme)
    head = sdoc[m.head]
    first = head.left_edge.i if m.nominal else head.i
    last = max(first, min(m.last, head.right_edge.i)) if m.last >= first else head.i
    return doc.span(piece, first, last)


def _np_span(doc: Document, piece: Piece, noun: Token) -> Span:
    """A noun phrase without a trailing comma-led relative clause or apposition."""
    last = noun.i
    for child in noun.children:
        if child.i > noun.i:
            if child.dep_ in ("relcl", "appos", "punct", "cc", "conj") and piece.doc[child.left_edge.i - 1].text == ",":
                break
            last = max(last, child.right_edge.i)
    first = noun.left_edge.i
    while first < last and piece.doc[first].is_punct:
        first += 1
    while last > first and piece.doc[last].is_punct:
        last -= 1
    return doc.span(piece, first, last)


def _target(doc: Document, piece: Piece, verb: Token) -> Span | None:
    """The object of an event verb: what it was done to ('strike **the Islamic State**')."""
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
    if obj is None:
        prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("against", "on", "at")), None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    return _np_span(doc, piece, obj) if obj is not None else None


def _stated_at(doc: Document, piece: Piece, head: Token) -> Span | None:
    """When the intention was stated: a time on the cue verb it is reported under ('said in January')."""
    node = head
    for _ in range(6):
        if node.dep_ == "ccomp" and node.head is not node:
            cue = node.head
            for child in cue.children:
                if child.i < node.left_edge.i and child.dep_ in ("npadvmod", "prep", "advmod", "nmod", "tmod"):
                    words = doc.span(piece, child.left_edge.i, child.right_edge.i)
                    found = TIME.search(words.text)
                    if found:
                        return Span.of(doc.text, words.start + found.start(), words.start + found.end())
            return None
        if node.head is node:
            return None
        node = node.head
    return None


@lru_cache(maxsize=1)
def _forecaster_words() -> frozenset[str]:
    return FORECASTERS | {w + "s" for w in FORECASTERS}


def _forecaster(quote: Quote) -> bool:
    """A source whose 'X would …' is a forecast about others (analysts, economists, critics)."""
    if quote.source is None:
        return False
    return bool(set(re.findall(r"[a-z]+", quote.source.text.lower())) & _forecaster_words())
