"""Repairs of the linked attributions where the tagger's training data and news readers disagree.

Each repair is one named rule in ``REPAIRS``, applied in order by :func:`repair` to the links of
one paragraph (patterns are data; every rule has a unit test with a sentence written for it):

``heading_without_cue``
    a paragraph without final punctuation ('Profile: Boko Haram', a dateline) holds no quote
    unless it has a real cue ('Trump says …' in a headline keeps its attribution);
``non_speech_cue``
    a cue whose verbs hold one of ``lexicon/noncues.txt`` ('promotes', 'frequently attacks',
    'sees', 'aimed', 'rushed out to see') and none of the cue lexicon, with content outside quote
    marks, is no attribution;
``dateline_source``
    a source that is a dateline ('LAGOS, Nigeria (Reuters) -') is no source;
``gerund_subject``
    a participle cue ('…, saying …') with no source takes the subject that opens its sentence
    ('Boko Haram laughed off the claims, saying …' → Boko Haram).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from quotecheck.lexicon import cue_forms, inflections, lines
from quotecheck.pipeline.attribution.linking import Link, TaggedSpan
from quotecheck.pipeline.attribution.tokens import Token

__all__ = ["Paragraph", "repair", "REPAIRS"]

_FINAL = tuple('.!?"”’)')
_ADVERB = re.compile(r"[a-z]+ly")
_DATELINE = re.compile(r"[A-Z][A-Z .'-]+,(?: [A-Z][\w.' -]+)?(?: \([\w .]+\))?\s*[-—–]?")
_SUBJECT_GLUE = frozenset({"of", "the", "for", "and", "’s", "'s", "-", "al", "de"})


@dataclass(frozen=True)
class Paragraph:
    """What the repairs read: the paragraph's tokens and text, and which tokens are in quote marks."""

    text: str
    tokens: Sequence[Token]
    inside: Sequence[bool]

    @property
    def heading(self) -> bool:
        """No final punctuation, or only a closing quote mark after a word ('EU vote 'could cost £80m''): a headline."""
        if not self.tokens:
            return False
        last = self.tokens[-1].text
        if last in ('"', "”", "’", "'") and len(self.tokens) > 1:
            before = self.tokens[-2].text
            return not before.endswith((".", "!", "?", ",", "…")) and len(self.tokens) <= 25
        return not last.endswith(_FINAL) and len(self.tokens) <= 25

    def words(self, span: TaggedSpan) -> list[str]:
        return [t.text.lower() for t in self.tokens[span.first : span.last + 1]]


@lru_cache(maxsize=1)
def _non_cues() -> frozenset[str]:
    out: set[str] = set()
    for row in lines("noncues.txt"):
        out.update(inflections(*row[:3]))
    return frozenset(out)


def _heading_without_cue(p: Paragraph, item: Link) -> Link | None:
    if not p.heading:
        return item
    cue_words = [w for w in p.words(item.cue) if w.isalpha()] if item.cue else []
    return item if cue_words else None


#: Particles and auxiliaries inside a cue ('rushed out to see', 'has been seen'): not its verb.
_CUE_GLUE = frozenset("out up off to in on for about at into down back has have had is are was were be been being will would".split())


def _non_speech_cue(p: Paragraph, item: Link) -> Link | None:
    """A cue whose verbs are a non-speech verb and nothing of the cue lexicon ('sees', 'rushed out to see')."""
    if item.cue is None:
        return item
    words = [w for w in p.words(item.cue) if not _ADVERB.fullmatch(w) and w not in _CUE_GLUE and w.isalpha()]
    quoted = any(p.inside[i] for c in item.contents for i in range(c.first, c.last + 1))
    if words and any(w in _non_cues() for w in words) and not any(w in cue_forms() and w not in _non_cues() for w in words) and not quoted:
        return None
    return item


def _dateline_source(p: Paragraph, item: Link) -> Link | None:
    if item.source is None or item.source.first != 0:
        return item
    tokens = p.tokens
    surface = p.text[tokens[item.source.first].start : tokens[item.source.last].end]
    return replace(item, source=None) if _DATELINE.fullmatch(surface) else item


def _gerund_subject(p: Paragraph, item: Link) -> Link | None:
    if item.source is not None or item.cue is None:
        return item
    cue = p.tokens[item.cue.first]
    if not cue.text.endswith("ing") or item.cue.first == 0:
        return item
    first = next(i for i in range(item.cue.first, -1, -1) if i == 0 or p.tokens[i - 1].sentence != cue.sentence)
    last = first - 1
    for i in range(first, item.cue.first):
        word = p.tokens[i].text
        if word[:1].isupper() or (last >= first and word.lower() in _SUBJECT_GLUE):
            last = i
        else:
            break
    while last >= first and p.tokens[last].text.lower() in _SUBJECT_GLUE:
        last -= 1
    if last < first or p.tokens[first].text.lower() in {"the", "a"} and last == first:
        return item
    span = TaggedSpan("SRC", first, last, cue.sentence, cue.sentence, item.cue.score)
    return replace(item, source=span)


_OPENING = ("“", "\"", "`", "‘", "'", "«")


def _content_onto_its_mark(p: Paragraph, item: Link) -> Link | None:
    """A content whose first tokens are the punctuation before its opening mark ('. ``Fear.'')
    starts on the mark: the tagger's B-tag landed one token early."""
    contents = []
    for span in item.contents:
        first = span.first
        while first < span.last and p.tokens[first].text in (".", ",", ";", ":") and p.tokens[first + 1].text.startswith(_OPENING):
            first += 1
        contents.append(replace(span, first=first) if first != span.first else span)
    return replace(item, contents=tuple(contents))


#: (name, rule) in the order they apply; a rule returns the link, a changed link, or None to drop it.
REPAIRS: tuple[tuple[str, Callable[[Paragraph, Link], Link | None]], ...] = (
    ("heading_without_cue", _heading_without_cue),
    ("non_speech_cue", _non_speech_cue),
    ("dateline_source", _dateline_source),
    ("gerund_subject", _gerund_subject),
    ("content_onto_its_mark", _content_onto_its_mark),
)


def repair(paragraph: Paragraph, links: Sequence[Link], *, skip: frozenset[str] = frozenset()) -> list[Link]:
    """``links`` of one paragraph after every rule of ``REPAIRS`` not named in ``skip``."""
    out = []
    for item in links:
        current: Link | None = item
        for name, rule in REPAIRS:
            if current is None:
                break
            if name not in skip:
                current = rule(paragraph, current)
        if current is not None:
            out.append(current)
    return out
