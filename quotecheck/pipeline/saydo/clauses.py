"""Candidate clauses: every predicate of the parse that could state a commitment or an outcome.

A clause is headed by a verb (any main verb, copulas included) or by a noun that can name an
event ("the trip", "a strike planned for 4 April", "his pledge to …", "the 180 we were looking
for"). Its span is the head's subtree without the other clauses hanging on it (conjuncts,
adverbial and complement clauses, parataxis), cut to the contiguous run around the head. The
learned stages decide which clauses are commitments and outcomes; this module only proposes
them, with their actor (resolved through quotes, names and pronouns) and where they sit.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from quotecheck.models import Entity, Quote
from quotecheck.pipeline.actors import UNSPECIFIED, ActorResolver
from quotecheck.pipeline.factuality import classes

if TYPE_CHECKING:
    from spacy.tokens import Token

    from quotecheck.pipeline.document import Document, Piece

__all__ = ["Clause", "candidate_clauses", "EVENTISH"]

#: Lexicon classes that make a noun a candidate on its own.
EVENTISH = frozenset({"event", "plan", "goal", "generic", "commitment", "cancel", "postpone", "reverse", "fail", "fulfil", "occur", "depart", "short", "planned"})
#: Dependents that start another clause: never part of a clause's own span.
_OTHER_CLAUSES = frozenset({"conj", "cc", "parataxis", "ccomp", "advcl", "preconj"})
_NOUN_CUT = frozenset({"conj", "cc", "appos", "preconj"})
_EDGE = frozenset({"punct", "cc", "mark", "prep"})
#: Noun endings that usually make an event noun ("closure", "payment", "withdrawal", "election").
_DEVERBAL = ("tion", "sion", "ment", "ure", "al", "ance", "ence", "ing")
_SUBJECTS = ("nsubj", "nsubjpass", "csubj", "expl")


@dataclass
class Clause:
    """One candidate: head token ``head`` of ``piece``; ``[start, end)`` offsets into the text."""

    index: int
    piece: Piece
    head: int
    nominal: bool
    start: int
    end: int
    sentence: int
    paragraph: int
    quote: Quote | None = None
    subject: int | None = None
    actor_id: str | None = None
    actor_name: str = UNSPECIFIED
    actor_group: str | None = None
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def token(self) -> Token:
        return self.piece.doc[self.head]

    def text(self, text: str) -> str:
        return text[self.start : self.end]


def _verb_head(token: Token) -> bool:
    if token.pos_ == "VERB":
        return token.dep_ not in ("aux", "auxpass")
    if token.pos_ == "AUX":
        return token.dep_ not in ("aux", "auxpass") and any(c.dep_ in ("acomp", "attr", "oprd") for c in token.children)
    return False


def _noun_head(token: Token) -> bool:
    if token.pos_ not in ("NOUN", "PROPN", "NUM") or token.dep_ == "compound":
        return False
    if token.pos_ == "NOUN" and (classes(token) & EVENTISH or token.lower_.endswith(_DEVERBAL)):
        return True
    for child in token.children:
        if child.dep_ in ("acl", "relcl") and child.pos_ in ("VERB", "AUX"):
            return True  # "a strike planned for …", "the 180 we were looking for"
        if child.dep_ == "amod" and "planned" in classes(child):
            return True  # "the proposed merger"
    return False


def _kept(token: Token, cut: frozenset[str]) -> set[int]:
    """Token indexes of ``token``'s subtree without the subtrees of ``cut`` dependents."""
    out: set[int] = set()
    stack = [token]
    while stack:
        t = stack.pop()
        out.add(t.i)
        stack.extend(c for c in t.children if not (t.i == token.i and c.dep_ in cut))
    return out


def _bounds(token: Token, nominal: bool) -> tuple[int, int]:
    """First and last token of the contiguous run of the clause around its head."""
    kept = _kept(token, _NOUN_CUT if nominal else _OTHER_CLAUSES)
    first = last = token.i
    while first - 1 in kept:
        first -= 1
    while last + 1 in kept:
        last += 1
    doc = token.doc
    while first < token.i and (doc[first].dep_ in _EDGE and doc[first].head.i == token.i or doc[first].is_punct):
        first += 1
    while last > token.i and doc[last].is_punct:
        last -= 1
    return first, last


def _subject(token: Token) -> Token | None:
    """The subject of the clause, climbing infinitives and participles ('plans to close' → its planner)."""
    node = token
    for _ in range(4):
        for child in node.children:
            if child.dep_ in _SUBJECTS:
                return child
        if node.dep_ in ("xcomp", "conj", "acl", "relcl") and node.head is not node:
            if node.dep_ == "relcl":
                return node.head  # "the company, which will close …": the noun it hangs on
            node = node.head
            continue
        if node.dep_ == "pcomp" and node.head.head is not node.head:
            node = node.head.head
            continue
        break
    if token.pos_ in ("NOUN", "PROPN"):
        return next((c for c in token.children if c.dep_ == "poss"), None)  # "Russia's plan", "his pledge"
    return None


def candidate_clauses(doc: Document, quotes: tuple[Quote, ...], entities: tuple[Entity, ...]) -> list[Clause]:
    """Every candidate clause of ``doc``, in text order, with its actor resolved in text order."""
    resolver = ActorResolver(doc, quotes, entities)
    para_starts = [p.start for p in doc.seg.paragraphs]
    out: list[Clause] = []
    for piece in doc.pieces:
        sdoc = piece.doc
        for token in sdoc:
            if token.is_space or token.is_punct:
                continue
            verbal = _verb_head(token)
            if not verbal and not _noun_head(token):
                continue
            first, last = _bounds(token, not verbal)
            span = doc.span(piece, first, last)
            if span.end <= span.start:
                continue
            subject = _subject(token)
            actor = resolver.resolve(piece, subject) if subject is not None else None
            offset = piece.start + token.idx
            clause = Clause(
                index=len(out), piece=piece, head=token.i, nominal=not verbal, start=span.start, end=span.end,
                sentence=piece.sentence, paragraph=max(0, bisect_right(para_starts, offset) - 1),
                quote=resolver.quote_at(offset), subject=subject.i if subject is not None else None,
            )
            if actor is not None:
                clause.actor_id, clause.actor_name, clause.actor_group = actor
            elif clause.quote is not None and clause.quote.speaker_name and subject is not None and subject.lower_ in ("we", "i"):
                clause.actor_id, clause.actor_name = clause.quote.speaker, clause.quote.speaker_name
            out.append(clause)
    return out
