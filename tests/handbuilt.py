"""Parses built by hand for rule tests: a spaCy ``Doc`` from (word, head, dep, pos, tag, lemma)
rows, wrapped as a one-sentence :class:`~quotecheck.pipeline.document.Document` (no model)."""

from __future__ import annotations

from quotecheck.nlp import _import_spacy
from quotecheck.pipeline.document import Document, Piece
from quotecheck.pipeline.segment import segment

spacy = _import_spacy()
from spacy.tokens import Doc  # noqa: E402

VOCAB = spacy.blank("en").vocab
_NO_SPACE_BEFORE = frozenset({".", ",", "n't", "'s", "%"})


def parse(rows) -> Doc:
    """A Doc from rows of (word, head index, dep, pos, tag, lemma)."""
    words = [r[0] for r in rows]
    spaces = [i + 1 < len(rows) and rows[i + 1][0] not in _NO_SPACE_BEFORE for i in range(len(rows))]
    return Doc(VOCAB, words=words, spaces=spaces, heads=[r[1] for r in rows], deps=[r[2] for r in rows],
               pos=[r[3] for r in rows], tags=[r[4] for r in rows], lemmas=[r[5] for r in rows])


def document(rows) -> Document:
    """``parse(rows)`` as a Document whose one piece is the whole text."""
    doc = parse(rows)
    return Document(text=doc.text, seg=segment(doc.text), pieces=(Piece(sentence=0, start=0, doc=doc),))
