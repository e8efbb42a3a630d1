"""The parsed document: one text, its segmentation, and a spaCy parse aligned to its offsets.

Every stage that needs syntax reads this object instead of re-deriving clauses from strings.
Sentences come from the segment stage (punkt); only the sentences a stage asks for are parsed
(``select``), each as its own spaCy ``Doc``, in one batched ``nlp.pipe`` call over a whole batch
of texts. A token's offset into the original text is its sentence's start plus ``token.idx``;
results leave this module as :class:`quotecheck.models.Span`, never as spaCy objects.

A sentence longer than ``MAX_PIECE_CHARS`` (scraped text without punctuation) is parsed in
windows cut at white space, so the parse stays linear in the length of the text.
"""

from __future__ import annotations

import re

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from quotecheck.models import Span
from quotecheck.pipeline.morph import COMPONENTS as MORPH_COMPONENTS, morph_table
from quotecheck.pipeline.segment import Segmentation, segment

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

__all__ = ["Piece", "Document", "parse_documents", "MAX_PIECE_CHARS"]

#: Longest stretch of text (characters) parsed as one spaCy Doc; real news sentences stay far below.
MAX_PIECE_CHARS = 1500


@dataclass(frozen=True)
class Piece:
    """One parsed sentence (or window of a very long one): ``doc`` is ``text[start:start+len]``."""

    sentence: int
    start: int
    doc: Doc
    end: int = -1  # start + len(doc.text), computed once (spaCy joins the tokens on every .text)

    def __post_init__(self) -> None:
        if self.end < 0:
            object.__setattr__(self, "end", self.start + len(self.doc.text))


@dataclass(frozen=True)
class Document:
    """A text with its paragraphs, sentences and the parse of the sentences that needed one."""

    text: str
    seg: Segmentation
    pieces: tuple[Piece, ...] = ()
    _starts: tuple[int, ...] = field(default=(), repr=False, compare=False)
    _by_sentence: dict[int, tuple[Piece, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(p.start for p in self.pieces))
        by_sentence: dict[int, list[Piece]] = {}
        for p in self.pieces:
            by_sentence.setdefault(p.sentence, []).append(p)
        object.__setattr__(self, "_by_sentence", {k: tuple(v) for k, v in by_sentence.items()})

    def piece_at(self, offset: int) -> Piece | None:
        """The parsed piece holding character ``offset``, or None where nothing was parsed."""
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self.pieces[i].end:
            return self.pieces[i]
        return None

    def pieces_of(self, sentence: int) -> tuple[Piece, ...]:
        """The parsed pieces of sentence number ``sentence`` (empty when it was not parsed)."""
        return self._by_sentence.get(sentence, ())

    def token_start(self, piece: Piece, token: Token) -> int:
        """Offset of ``token`` in the original text."""
        return piece.start + token.idx

    def token_span(self, piece: Piece, token: Token) -> Span:
        """``token`` as a Span of the original text."""
        start = piece.start + token.idx
        return Span.of(self.text, start, start + len(token.text))

    def span(self, piece: Piece, first: Token | int, last: Token | int) -> Span:
        """Tokens ``first``..``last`` (inclusive) of ``piece`` as a Span of the original text."""
        a = piece.doc[first] if isinstance(first, int) else first
        b = piece.doc[last] if isinstance(last, int) else last
        start, end = piece.start + a.idx, piece.start + b.idx + len(b.text)
        while end > start and self.text[end - 1].isspace():
            end -= 1  # spaCy keeps a tab or a second space as a token of its own
        while start < end and self.text[start].isspace():
            start += 1
        return Span.of(self.text, start, end)

    def spacy_span(self, piece: Piece, span: SpacySpan) -> Span:
        """A spaCy span of ``piece`` as a Span of the original text."""
        return Span.of(self.text, piece.start + span.start_char, piece.start + span.end_char)


def _windows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at white space into windows of at most MAX_PIECE_CHARS characters."""
    out: list[tuple[int, int]] = []
    while end - start > MAX_PIECE_CHARS:
        cut = text.rfind(" ", start + MAX_PIECE_CHARS // 2, start + MAX_PIECE_CHARS)
        cut = cut if cut > start else start + MAX_PIECE_CHARS
        out.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        out.append((start, end))
    return out


_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(text: str) -> str:
    """``text`` with lone surrogates as U+FFFD, which spaCy can hash: one character for one, so
    every token offset still points into the original text."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def parse_documents(
    texts: Sequence[str],
    nlp: Language,
    *,
    segmentations: Sequence[Segmentation] | None = None,
    select: Callable[[str], bool] | None = None,
    ner: bool = False,
    batch_size: int = 256,
) -> list[Document]:
    """Segment ``texts`` (unless given) and parse the sentences ``select`` keeps (all when None).

    One ``nlp.pipe`` call covers the whole batch; the NER component runs only when ``ner``.
    """
    segs = list(segmentations) if segmentations is not None else [segment(t) for t in texts]
    jobs: list[tuple[int, int, int, int]] = []  # (document, sentence, start, end)
    for d, (text, seg) in enumerate(zip(texts, segs)):
        for s, sent in enumerate(seg.sentences):
            if select is None or select(sent.text):
                jobs.extend((d, s, a, b) for a, b in _windows(text, sent.start, sent.end))
    disable = [] if ner else [name for name in ("ner",) if name in nlp.pipe_names]
    table = morph_table(nlp)  # the attribute ruler and lemmatizer, same output, a tenth of the cost
    if table is not None:
        disable += list(MORPH_COMPONENTS)
    docs = nlp.pipe((_encodable(texts[d][a:b]) for d, _, a, b in jobs), batch_size=batch_size, disable=disable)
    pieces: list[list[Piece]] = [[] for _ in texts]
    for (d, s, a, _), doc in zip(jobs, docs):
        pieces[d].append(Piece(sentence=s, start=a, doc=table(doc) if table is not None else doc))
    return [Document(text=t, seg=seg, pieces=tuple(p)) for t, seg, p in zip(texts, segs, pieces)]
