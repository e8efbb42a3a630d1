"""Event mentions and their actors on parses built by hand (the rules that are the detector's
"rule=" features, and the actor every clause carries)."""

from __future__ import annotations

from quotecheck.pipeline.actors import ActorResolver
from quotecheck.pipeline.document import Document, Piece
from quotecheck.pipeline.mentions import mentions
from quotecheck.pipeline.segment import segment
from tests.handbuilt import parse

CANCELLED = [("The", 1, "det", "DET", "DT", "the"), ("trip", 3, "nsubjpass", "NOUN", "NN", "trip"),
             ("was", 3, "auxpass", "AUX", "VBD", "be"), ("cancelled", 3, "ROOT", "VERB", "VBN", "cancel"),
             (".", 3, "punct", "PUNCT", ".", ".")]
WILL_CLOSE = [("Acme", 2, "nsubj", "PROPN", "NNP", "Acme"), ("will", 2, "aux", "AUX", "MD", "will"),
              ("close", 2, "ROOT", "VERB", "VB", "close"), ("the", 4, "det", "DET", "DT", "the"),
              ("plant", 2, "dobj", "NOUN", "NN", "plant"), (".", 2, "punct", "PUNCT", ".", ".")]
IT_CLOSED = [("It", 1, "nsubj", "PRON", "PRP", "it"), ("closed", 1, "ROOT", "VERB", "VBD", "close"),
             ("the", 3, "det", "DET", "DT", "the"), ("plant", 1, "dobj", "NOUN", "NN", "plant"),
             (".", 1, "punct", "PUNCT", ".", ".")]
FORECAST = [("Prices", 2, "nsubj", "NOUN", "NNS", "price"), ("will", 2, "aux", "AUX", "MD", "will"),
            ("rise", 2, "ROOT", "VERB", "VB", "rise"), (".", 2, "punct", "PUNCT", ".", ".")]


def test_mentions_a_cancelled_event_is_an_outcome_on_its_theme():
    doc = parse(CANCELLED)
    (m,) = [m for m in mentions(doc) if m.kind == "action"]
    assert (m.factuality, doc[m.theme].text, doc[m.trigger].text) == ("cancelled", "trip", "cancelled")


def test_mentions_a_modal_act_of_a_named_actor_is_an_intention():
    doc = parse(WILL_CLOSE)
    found = [m for m in mentions(doc) if m.kind == "intention"]
    assert [(doc[m.head].text, doc[m.trigger].text, doc[m.agent].text) for m in found] == [("close", "will", "Acme")]


def test_mentions_a_stative_prediction_is_no_intention():
    doc = parse(FORECAST)
    assert [m for m in mentions(doc) if m.kind == "intention"] == []
    assert mentions(parse(WILL_CLOSE))  # the same construction with an act is one


def _two_sentences() -> Document:
    a, b = parse(WILL_CLOSE), parse(IT_CLOSED)
    text = a.text + " " + b.text
    return Document(text=text, seg=segment(text), pieces=(Piece(0, 0, a), Piece(1, len(a.text) + 1, b)))


def test_actors_a_name_is_its_own_actor_and_it_refers_back_to_it():
    doc = _two_sentences()
    resolver = ActorResolver(doc, (), ())
    first, second = doc.pieces
    named = resolver.resolve(first, first.doc[0])
    assert named is not None and named[1] == "Acme"
    pronoun = resolver.resolve(second, second.doc[0])
    assert pronoun is not None and pronoun[1] == "Acme"


def test_actors_a_thing_is_no_actor_even_with_the_capital_of_a_sentence_start():
    doc = parse(FORECAST)
    d = Document(text=doc.text, seg=segment(doc.text), pieces=(Piece(0, 0, doc),))
    assert ActorResolver(d, (), ()).resolve(d.pieces[0], doc[0]) is None
    named = parse(WILL_CLOSE)
    d2 = Document(text=named.text, seg=segment(named.text), pieces=(Piece(0, 0, named),))
    assert ActorResolver(d2, (), ()).resolve(d2.pieces[0], named[0])[1] == "Acme"  # a name at the start stays one
