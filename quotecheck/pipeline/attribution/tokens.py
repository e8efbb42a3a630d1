"""Tokens of a document for the attribution tagger: words with offsets, paragraph and sentence.

The tagger needs words, not a parse: on this 2-core machine spaCy's tagger alone runs at about
5 articles/s, a quarter of the 20 articles/s that ``quotecheck quotes`` must reach, so tokens come
from one regular expression over the original text (offsets are exact by construction) and the
paragraphs and sentences of the segment stage. One :class:`Sequence` per paragraph is what the
CRF tags: PolNeAR contents cross sentence boundaries but rarely paragraph ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quotecheck.pipeline.segment import Segmentation

__all__ = ["Token", "Sequence", "tokenize", "sequences", "TOKEN_PATTERN"]

#: Abbreviations with inner stops ('U.S.'), words with inner hyphens or apostrophes split from
#: clitics ("n't", "'s"), numbers with separators, and any other single character.
TOKEN_PATTERN = re.compile(
    r"(?:[A-Za-z]\.){2,}"  # U.S. / D.C.
    r"|\w+(?=n[’']t\b)"  # do|n't
    r"|n[’']t\b"
    r"|\w+(?=[’'](?:s|re|ve|ll|d|m)\b)"  # Trump|’s
    r"|[’'](?:s|re|ve|ll|d|m)\b"  # clitics
    r"|\d+(?:[.,:]\d+)*"  # 1,000.5
    r"|\w+(?:[-’']\w+)*"
    r"|[^\w\s]"
)


@dataclass(frozen=True, slots=True)
class Token:
    """One word: ``text[start:end]``; ``sentence`` counts sentences from the start of the document."""

    start: int
    end: int
    text: str
    sentence: int


@dataclass(frozen=True, slots=True)
class Sequence:
    """The tokens of one paragraph (number ``paragraph``), the unit the tagger labels."""

    paragraph: int
    tokens: tuple[Token, ...]


def tokenize(text: str, start: int, end: int, sentence: int) -> list[Token]:
    """Tokens of ``text[start:end]`` (all in sentence number ``sentence``)."""
    return [Token(m.start(), m.end(), m.group(), sentence) for m in TOKEN_PATTERN.finditer(text, start, end)]


def sequences(text: str, seg: Segmentation) -> list[Sequence]:
    """One token sequence per paragraph, sentences numbered across the document."""
    out: list[Sequence] = []
    s = 0
    sentences = seg.sentences
    for p, para in enumerate(seg.paragraphs):
        tokens: list[Token] = []
        while s < len(sentences) and sentences[s].start < para.end:
            sent = sentences[s]
            tokens.extend(tokenize(text, sent.start, sent.end, s))
            s += 1
        if tokens:
            out.append(Sequence(p, tuple(tokens)))
    return out
