"""Candidate clauses on parses built by hand (no model): which heads are candidates, where a
clause's span ends, whose clause it is, and what the detector reads of it."""

from __future__ import annotations

import pytest

from quotecheck.pipeline.saydo.clauses import candidate_clauses
from quotecheck.pipeline.saydo.features import clause_features, describe, pair_features
from tests.handbuilt import document

#: word, head (absolute), dep, pos, tag, lemma
RUSSIA = [
    ("Russia", 1, "nsubj", "PROPN", "NNP", "Russia"),
    ("said", 1, "ROOT", "VERB", "VBD", "say"),
    ("it", 4, "nsubj", "PRON", "PRP", "it"),
    ("would", 4, "aux", "AUX", "MD", "would"),
    ("strike", 1, "ccomp", "VERB", "VB", "strike"),
    ("the", 7, "det", "DET", "DT", "the"),
    ("Islamic", 7, "compound", "PROPN", "NNP", "Islamic"),
    ("State", 4, "dobj", "PROPN", "NNP", "State"),
    ("and", 4, "cc", "CCONJ", "CC", "and"),
    ("hit", 4, "conj", "VERB", "VBD", "hit"),
    ("rebels", 9, "dobj", "NOUN", "NNS", "rebel"),
    (".", 1, "punct", "PUNCT", ".", "."),
]
STRIKE = [
    ("A", 1, "det", "DET", "DT", "a"),
    ("strike", 6, "nsubjpass", "NOUN", "NN", "strike"),
    ("planned", 1, "acl", "VERB", "VBN", "plan"),
    ("for", 2, "prep", "ADP", "IN", "for"),
    ("Friday", 3, "pobj", "PROPN", "NNP", "Friday"),
    ("was", 6, "auxpass", "AUX", "VBD", "be"),
    ("cancelled", 6, "ROOT", "VERB", "VBN", "cancel"),
    (".", 6, "punct", "PUNCT", ".", "."),
]


def clauses_of(rows):
    d = document(rows)
    return d, {c.token.lemma_: c for c in candidate_clauses(d, (), ())}


def test_clauses_every_main_verb_is_a_candidate_and_auxiliaries_are_not():
    _, found = clauses_of(RUSSIA)
    assert {"say", "strike", "hit"} <= set(found)
    assert "would" not in found and "be" not in found


def test_clauses_a_clause_stops_at_its_conjunct_and_its_complement():
    d, found = clauses_of(RUSSIA)
    assert found["strike"].text(d.text) == "it would strike the Islamic State"  # 'and hit rebels' is another clause
    assert found["say"].text(d.text) == "Russia said"  # what was said is its own clause
    assert found["hit"].text(d.text) == "hit rebels"


def test_clauses_a_conjunct_without_subject_takes_its_governors():
    d, found = clauses_of(RUSSIA)
    assert d.pieces[0].doc[found["hit"].subject].text == "it"
    assert d.pieces[0].doc[found["strike"].subject].text == "it"


def test_clauses_a_noun_with_a_participle_is_a_candidate_with_its_modifier():
    d, found = clauses_of(STRIKE)
    assert found["strike"].nominal and found["strike"].text(d.text) == "A strike planned for Friday"
    assert not found["cancel"].nominal and found["cancel"].text(d.text) == "A strike planned for Friday was cancelled"
    assert d.pieces[0].doc[found["cancel"].subject].text == "strike"  # the passive subject is what was called off


@pytest.mark.parametrize(("lemma", "feature"), [("strike", "modal=would"), ("strike", "g1=ccomp:say"), ("hit", "tense=VBD"),
                                                ("cancel", "pass"), ("cancel", "cls=cancel")])
def test_clauses_features_carry_modality_governor_tense_and_lexicon(lemma, feature):
    rows = STRIKE if lemma == "cancel" else RUSSIA
    _, found = clauses_of(rows)
    assert feature in clause_features(found[lemma])


def test_clauses_pair_features_see_the_conjunct_and_the_shared_sentence():
    d, found = clauses_of(RUSSIA)
    strike, hit = describe(found["strike"], d.text, 0), describe(found["hit"], d.text, 0)
    from quotecheck.pipeline.saydo.features import PAIR_FEATURES

    v = dict(zip(PAIR_FEATURES, pair_features(strike, hit, cos=0.0, head_cos=0.0)))
    assert v["conj"] == 1.0 and v["same_sentence"] == 1.0 and v["after"] == 1.0 and v["governs"] == 1.0
    far = dict(zip(PAIR_FEATURES, pair_features(strike, hit, cos=0.3, head_cos=0.0, same_doc=False)))
    assert far["other_doc"] == 1.0 and far["same_sentence"] == 0.0 and far["conj"] == 0.0 and far["cos"] == 0.3
