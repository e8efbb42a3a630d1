"""Token features for the attribution tagger: words, shapes, lexicons, quote marks and rule hints.

Each token gets a list of string features (crfsuite's attribute names). What a feature says:

* the word itself (lower-cased), its last three letters and its shape (``Xx``, ``x``, ``d``, ``.``),
  and the same for the two neighbours on each side: the CRF learns cue words, source heads and
  content openers ('that', a quote mark) from the corpus;
* lexicon membership (``lexicon/cues.txt`` with its lemma, nominal cues, titles, anonymous heads,
  organisation words, pronouns);
* quote marks: inside a paired quote region (the quotes stage's pairing), an opening or closing
  mark, a sentence that holds a quote mark;
* where the nearest cue-lexicon word of the sentence is, left and right, in distance buckets,
  the lemma of the nearest one on the left, whether the sentence has a cue at all, and how far
  the sentence end is;
* the rule extractor's reading (``pipeline/quotes.py``): the role its patterns gave the token
  (``B``/``I`` per role, also two tokens either side), which the CRF keeps, corrects or ignores
  as the training data says;
* position: first or last token of its sentence, first sentence of the paragraph, a paragraph
  without final punctuation (a heading or a dateline), a paragraph that opens with a quote mark
  (a quote continued from the paragraph before), the first paragraph of the document.

Features are computed from the document text alone, so training and inference read the same
thing, and the whole extractor needs no parse.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence as Seq
from functools import lru_cache

from quotecheck.lexicon import cue_forms, lines, titles
from quotecheck.models import Quote
from quotecheck.pipeline.attribution.tokens import Sequence

__all__ = ["FEATURE_VERSION", "sequence_features", "rule_tags", "quote_mask", "QuoteIndex", "ROLE_LABELS"]

#: Bumped whenever features change; a model trained on other features refuses to load ([E122]).
FEATURE_VERSION = 3
ROLE_LABELS = {"source": "SRC", "cue": "CUE", "content": "CON"}

_PRONOUNS = frozenset("he she they it we i you who him her them us me".split())
_OPEN = "“„«"
_CLOSE = "”»"
_QUOTE_CHARS = _OPEN + _CLOSE + '"'
_FINAL = frozenset('.!?"”’:)')


@lru_cache(maxsize=1)
def _lexicons() -> tuple[dict[str, str], frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    nouns = frozenset(w.lower() for row in lines("nouncues.txt") for w in row)
    anonymous = frozenset(w for row in lines("anonymous.txt") for w in row)
    orgs = frozenset(w for row in lines("orgwords.txt") for w in row)
    return cue_forms(), nouns, titles(), anonymous, orgs


def _shape(word: str) -> str:
    if word.isdigit():
        return "d"
    if word.isalpha():
        if word.isupper():
            return "X" if len(word) > 1 else "Xx"
        return "Xx" if word[0].isupper() else "x"
    if not any(c.isalnum() for c in word):
        return word if word in _QUOTE_CHARS or word in ",.:;—-()" else "."
    return "Xx-" if word[0].isupper() else "x-"


def _bucket(distance: int | None) -> str:
    if distance is None:
        return "none"
    if distance <= 3:
        return str(distance)
    return "4-7" if distance <= 7 else "8+"


def quote_mask(text: str, regions: Seq[tuple[int, int]], tokens: Seq, starts: Seq[int] | None = None) -> list[bool]:
    """For each token, whether it lies inside one of the ``regions`` (sorted ``(start, end)`` pairs;
    ``starts``, their starts, computed once per text by a caller that asks for many windows)."""
    starts = [s for s, _ in regions] if starts is None else starts
    out = []
    for t in tokens:
        i = bisect_right(starts, t.start) - 1
        out.append(i >= 0 and t.start < regions[i][1])
    return out


class QuoteIndex:
    """Quotes by where their spans lie, so that a window of the text finds the quotes it overlaps
    without reading them all (reading them all, per paragraph, made long texts quadratic)."""

    def __init__(self, quotes: Seq[Quote]) -> None:
        self.quotes = quotes
        self._items = sorted((sp.start, sp.end, n) for n, q in enumerate(quotes) for sp in (*q.content, q.cue, q.source) if sp is not None)
        self._starts = [s for s, _, _ in self._items]
        self._longest = max((e - s for s, e, _ in self._items), default=0)

    def overlapping(self, lo: int, hi: int) -> list[int]:
        """Numbers (in order) of the quotes with a span overlapping ``[lo, hi)``."""
        first, last = bisect_left(self._starts, lo - self._longest), bisect_left(self._starts, hi)
        return sorted({n for s, e, n in self._items[first:last] if s < hi and e > lo})


def rule_tags(quotes: Seq[Quote], tokens: Seq, index: QuoteIndex | None = None) -> list[str]:
    """The rule extractor's role for each token as ``B-CUE`` / ``I-CON`` … or ``O``.

    Spans are laid on the tokens in order of their start, so a cue or source inside a content
    (a later start) overwrites it: the innermost span wins. ``index`` (of ``quotes``) finds the
    quotes near the tokens without reading every quote of the text."""
    spans: list[tuple[int, int, str, int]] = []
    lo, hi = (tokens[0].start, tokens[-1].end) if tokens else (0, 0)
    numbers = index.overlapping(lo, hi) if index is not None else range(len(quotes))
    for n in numbers:
        q = quotes[n]
        for role, items in (("content", q.content), ("cue", (q.cue,) if q.cue else ()), ("source", (q.source,) if q.source else ())):
            for sp in items:
                if sp.start < hi and sp.end > lo:
                    spans.append((sp.start, sp.end, ROLE_LABELS[role], n))
    spans.sort()
    starts = [t.start for t in tokens]
    owner: list[tuple[int, str] | None] = [None] * len(tokens)
    for s, e, role, n in spans:
        for i in range(bisect_left(starts, s), bisect_left(starts, e)):
            owner[i] = (n, role)
    out: list[str] = []
    previous = None
    for o in owner:
        out.append("O" if o is None else ("I-" if o == previous else "B-") + o[1])
        previous = o
    return out


def sequence_features(seq: Sequence, text: str, inside: Seq[bool], rules: Seq[str], *, first_paragraph: bool) -> list[list[str]]:
    """The feature lists of every token of one paragraph (see the module docstring)."""
    cues, nouns, title_words, anonymous, orgs = _lexicons()
    tokens = seq.tokens
    n = len(tokens)
    words = [t.text for t in tokens]
    low = [w.lower() for w in words]
    shapes = [_shape(w) for w in words]
    is_cue = [w in cues and (words[i].islower() or i == 0 or tokens[i - 1].sentence != tokens[i].sentence) for i, w in enumerate(low)]
    last = tokens[-1].text
    heading = last not in _FINAL and last[-1:] not in _FINAL and n <= 25
    # per sentence: nearest cue positions and whether a quote mark occurs
    sent_of = [t.sentence for t in tokens]
    has_mark: dict[int, bool] = {}
    for i, w in enumerate(words):
        if w in _QUOTE_CHARS:
            has_mark[sent_of[i]] = True
    left: list[int | None] = [None] * n
    right: list[int | None] = [None] * n
    left_lemma: list[str] = ["none"] * n
    sentence_has_cue: set[int] = {sent_of[i] for i in range(n) if is_cue[i]}
    seen: int | None = None
    for i in range(n):
        if i and sent_of[i] != sent_of[i - 1]:
            seen = None
        left[i] = i - seen if seen is not None else None
        if seen is not None:
            left_lemma[i] = cues[low[seen]]
        if is_cue[i]:
            seen = i
    seen = None
    for i in range(n - 1, -1, -1):
        if i < n - 1 and sent_of[i] != sent_of[i + 1]:
            seen = None
        right[i] = seen - i if seen is not None else None
        if is_cue[i]:
            seen = i
    first_sentence = sent_of[0]
    opens_quoted = words[0] in _OPEN or words[0] == '"'
    # tokens to the end of the sentence, and whether a content opener ('that', ':', a mark) follows a cue
    to_end = [0] * n
    for i in range(n - 2, -1, -1):
        to_end[i] = to_end[i + 1] + 1 if sent_of[i + 1] == sent_of[i] else 0
    out: list[list[str]] = []
    for i in range(n):
        w = low[i]
        f = [
            "bias",
            "w=" + w,
            "s3=" + w[-3:],
            "sh=" + shapes[i],
            "q=" + ("in" if inside[i] else "out"),
            "r=" + rules[i],
            "cl=" + _bucket(left[i]),
            "cr=" + _bucket(right[i]),
        ]
        f.append("end=" + _bucket(to_end[i]))
        f.append("clw=" + left_lemma[i])
        if sent_of[i] in sentence_has_cue:
            f.append("scue")
        if opens_quoted:
            f.append("popenq")
        f.append("rq=" + rules[i] + "|" + ("in" if inside[i] else "out"))
        if is_cue[i]:
            f.append("cue=" + cues[w])
        if w in nouns:
            f.append("ncue")
        if w in title_words:
            f.append("title")
        if w in anonymous:
            f.append("anon")
        if w in orgs:
            f.append("org")
        if w in _PRONOUNS:
            f.append("pron")
        if words[i] in _OPEN:
            f.append("qopen")
        elif words[i] in _CLOSE:
            f.append("qclose")
        if has_mark.get(sent_of[i]):
            f.append("smark")
        if i == 0 or sent_of[i - 1] != sent_of[i]:
            f.append("sfirst")
        if i == n - 1 or sent_of[i + 1] != sent_of[i]:
            f.append("slast")
        if sent_of[i] == first_sentence:
            f.append("pfirst")
        if heading:
            f.append("heading")
        if first_paragraph:
            f.append("para0")
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f.append(f"w{d}=" + low[j])
                f.append(f"sh{d}=" + shapes[j])
                if abs(d) == 1:
                    f.append(f"r{d}=" + rules[j])
                    f.append(f"q{d}=" + ("in" if inside[j] else "out"))
                if is_cue[j]:
                    f.append(f"cue{d}=" + cues[low[j]])
            else:
                f.append(f"w{d}=<pad>")

        for d in (-3, 3):
            if 0 <= i + d < n:
                f.append(f"w{d}=" + low[i + d])
        for d in (-2, 2):
            if 0 <= i + d < n:
                f.append(f"r{d}=" + rules[i + d])
        if i:
            f.append("b-1=" + low[i - 1] + "|" + w)
        if i < n - 1:
            f.append("b+1=" + w + "|" + low[i + 1])
        out.append(f)
    return out
