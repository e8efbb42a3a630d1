"""The parsed document layer: offsets into the original text, selective and windowed parsing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from quotecheck.errors import ModelError
from quotecheck.nlp import load_pipeline, spacy_model_name
from quotecheck.pipeline import document
from quotecheck.pipeline.document import parse_documents


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def test_document_token_offsets_point_into_the_original_text(nlp):
    text = "  Russia said it would strike.\n\n“We did,” he said.  \n"
    doc = parse_documents([text], nlp)[0]
    assert [p.sentence for p in doc.pieces] == [0, 1]
    for piece in doc.pieces:
        for token in piece.doc:
            span = doc.token_span(piece, token)
            assert text[span.start : span.end] == token.text


def test_document_parses_only_selected_sentences(nlp):
    text = "One sentence here. Another one there that would matter."
    doc = parse_documents([text], nlp, select=lambda s: "would" in s)[0]
    assert [p.sentence for p in doc.pieces] == [1]
    assert doc.piece_at(0) is None
    assert doc.piece_at(text.index("would")).sentence == 1
    assert doc.pieces_of(0) == ()


def test_document_long_sentence_is_parsed_in_bounded_windows(nlp, monkeypatch):
    monkeypatch.setattr(document, "MAX_PIECE_CHARS", 40)
    text = " ".join(["word"] * 60)
    doc = parse_documents([text], nlp)[0]
    assert len(doc.pieces) > 1
    assert all(len(p.doc.text) <= 40 for p in doc.pieces)
    assert "".join(text[p.start : p.end] for p in doc.pieces).replace(" ", "") == text.replace(" ", "")


def test_nlp_unknown_pipeline_is_a_numbered_model_error():
    with pytest.raises(ModelError, match=r"\[E140\]"):
        load_pipeline("no_such_spacy_pipeline_xyz")


def test_nlp_environment_names_the_pipeline(monkeypatch):
    monkeypatch.setenv("QUOTECHECK_SPACY_MODEL", "/some/folder")
    assert spacy_model_name() == "/some/folder"
    assert spacy_model_name("given") == "given"


def test_nlp_loading_spacy_imports_no_torch():
    code = "import sys; from quotecheck.nlp import load_pipeline; load_pipeline(); print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_document_a_lone_surrogate_is_parsed_and_tagged_with_offsets_kept():
    from quotecheck import Checker

    text = "Acme said \ud800 it would close the plant. “We will go,” said Ann \udc00 Lee."
    checker = Checker()
    quotes = checker.extract_quotes(text).quotes  # the CRF library cannot encode a surrogate
    statements = checker.structure(text).statements  # nor can spaCy's string store
    assert quotes and statements
    assert all(text[s.span.start : s.span.end] == s.span.text for s in statements)
