"""What every pattern module shares: the quote under construction, cue-word look-ups, size limits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from quotecheck.lexicon import cue_forms, lines
from quotecheck.pipeline.quotes.patterns import P

#: How many of the latest attributions a new cue is checked against (count): contents and cues
#: lie near their own cue, and checking all of them made long texts quadratic.
RECENT_DRAFTS = 40
#: How much of a sentence one cue reads on each side of it (characters). The longest sentence
#: of PolNeAR dev and train is 979 characters, so a real sentence is read whole; a longer one
#: (a scraped page with no full stops, ``"said " * 4000``) is read in a window around each cue,
#: which keeps the cost per cue bounded and the stage linear in the text length.
CUE_WINDOW_CHARS = 1500
#: How far back before a cue a source noun phrase is looked for (characters): a source has at
#: most ``_MAX_SUBJECT_WORDS`` words plus a short adjunct ('In a Bloomberg interview Trump said').
_NP_REACH_CHARS = 300
#: How far after an inverted cue its source is read ('said Ash Carter, the defense secretary').
_RIGHT_NP_REACH_CHARS = 300
#: How far back before a later cue a coordination ('… and called for') is looked for.
_COORDINATION_REACH_CHARS = 200
#: Whitespace, and what is not: cutting windows at spaces and counting words without a copy.
_SPACE = re.compile(r"\s+")
_NON_SPACE = re.compile(r"\S+")

#: Size limits of the patterns (words unless said otherwise), chosen on PolNeAR dev.
_MAX_SUBJECT_WORDS = 12  # a source noun phrase before its cue ('The state's campaign chairman')

_MAX_NAME_WORDS = 7  # the name before an appositive ('Leonard E. Burman, director of …')

_MAX_APPOSITIVE_WORDS = 30  # the appositive itself, between commas

_MAX_ADDRESSEE_WORDS = 6  # who was told ('told reporters on Monday')

_MAX_CUE_CLAUSE_WORDS = 6  # the clause of a later cue that ends a content (', arguing that …')

_MIN_CONTENT_CHARS = 2  # PolNeAR annotates contents as short as 'it' and 'so'


@lru_cache(maxsize=1)
def _cue_words() -> frozenset[str]:
    return frozenset(cue_forms()) | _noun_cues()


@lru_cache(maxsize=1)
def _noun_cues() -> frozenset[str]:
    """Surface forms of the nominal cues (``lexicon/nouncues.txt``)."""
    return frozenset(w.lower() for row in lines("nouncues.txt") for w in row)


def _cue_matches(text: str, pos: int, endpos: int):
    """Cue-verb occurrences in ``text[pos:endpos]``: one word scan and a set look-up (no big alternation)."""
    words = _cue_words()
    for m in P.WORD_START.finditer(text, pos, endpos):
        if m.group(0).lower() in words:
            yield m


@dataclass
class _Draft:
    """A quote under construction (mutable only inside this module)."""

    content: list[tuple[int, int]]
    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    confidence: float
    regions: set[int] = field(default_factory=set)
