"""The stand-in for spaCy's attribute ruler and lemmatizer gives their output, token for token."""

from __future__ import annotations

import pytest

from quotecheck.nlp import load_pipeline
from quotecheck.pipeline.document import parse_documents
from quotecheck.pipeline.morph import COMPONENTS, MorphTable, morph_table

SENTENCES = [
    "There is no plan, and there were never any talks, the minister said.",
    "“We're gonna win, y'all,” she told reporters; \"Let's go.\"",
    "Ain't nobody got time for that, he added, and c'mon, it's gotta be done.",
    "The Kremlin's spokesman, Dmitry Peskov, has denied the reports on Tuesday.",
    "Officials were expecting   the 3.5% rise -- not a fall -- by 2017.",
    "It is what it is.",
]


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def _reading(doc):
    return [(t.text, t.pos_, t.tag_, t.dep_, t.lemma_, str(t.morph)) for t in doc]


def test_the_default_pipeline_gets_a_table(nlp):
    assert morph_table(nlp) is not None


def test_the_table_reads_every_token_as_the_components_do(nlp):
    table = MorphTable.from_pipeline(nlp)
    for text in SENTENCES * 2:  # the second round reads from the cache
        ref = nlp(text, disable=["ner"])
        fast = table(nlp(text, disable=["ner", *COMPONENTS]))
        assert _reading(fast) == _reading(ref)


def test_two_token_patterns_reach_their_target(nlp):
    table = MorphTable.from_pipeline(nlp)
    doc = table(nlp("We are gonna go.", disable=["ner", *COMPONENTS]))
    assert [t.lemma_ for t in doc if t.lower_ in ("gon", "na")] == ["go", "to"]


def test_parse_documents_reads_lemmas_and_parts_of_speech(nlp):
    (doc,) = parse_documents(["Russia said it would strike the Islamic State."], nlp)
    tokens = [t for piece in doc.pieces for t in piece.doc]
    assert [(t.text, t.lemma_, t.pos_) for t in tokens][:3] == [("Russia", "Russia", "PROPN"), ("said", "say", "VERB"), ("it", "it", "PRON")]


def test_a_pipeline_without_the_components_keeps_its_own():
    spacy = pytest.importorskip("spacy")
    assert MorphTable.from_pipeline(spacy.blank("en")) is None


def test_a_pattern_the_table_does_not_model_keeps_the_components():
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    nlp.add_pipe("lemmatizer", config={"mode": "rule"})
    ruler.add([[{"ORTH": "Peskov", "IS_TITLE": True}]], {"POS": "PROPN"})
    assert MorphTable.from_pipeline(nlp) is None
