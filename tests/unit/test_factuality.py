"""The factuality rules on parses built by hand: each rule pinned on the construction it reads."""

from __future__ import annotations

import pytest

from quotecheck.pipeline.factuality import (
    classes,
    conditional,
    counterfactual,
    hypothetical,
    intention_trigger,
    modal_trigger,
    negated,
    passive,
)
from tests.handbuilt import parse

WOULD = parse([("Acme", 2, "nsubj", "PROPN", "NNP", "Acme"), ("would", 2, "aux", "AUX", "MD", "would"),
               ("close", 2, "ROOT", "VERB", "VB", "close"), ("plants", 2, "dobj", "NOUN", "NNS", "plant"),
               (".", 2, "punct", "PUNCT", ".", ".")])
PLANS = parse([("Acme", 1, "nsubj", "PROPN", "NNP", "Acme"), ("plans", 1, "ROOT", "VERB", "VBZ", "plan"),
               ("to", 3, "aux", "PART", "TO", "to"), ("close", 1, "xcomp", "VERB", "VB", "close"),
               ("plants", 3, "dobj", "NOUN", "NNS", "plant"), (".", 1, "punct", "PUNCT", ".", ".")])
DID_NOT = parse([("Acme", 3, "nsubj", "PROPN", "NNP", "Acme"), ("did", 3, "aux", "AUX", "VBD", "do"),
                 ("not", 3, "neg", "PART", "RB", "not"), ("close", 3, "ROOT", "VERB", "VB", "close"),
                 ("plants", 3, "dobj", "NOUN", "NNS", "plant"), (".", 3, "punct", "PUNCT", ".", ".")])
WOULD_HAVE = parse([("It", 3, "nsubj", "PRON", "PRP", "it"), ("would", 3, "aux", "AUX", "MD", "would"),
                    ("have", 3, "aux", "AUX", "VB", "have"), ("provided", 3, "ROOT", "VERB", "VBN", "provide"),
                    ("cover", 3, "dobj", "NOUN", "NN", "cover"), (".", 3, "punct", "PUNCT", ".", ".")])
IF_WINS = parse([("If", 2, "mark", "SCONJ", "IN", "if"), ("it", 2, "nsubj", "PRON", "PRP", "it"),
                 ("wins", 6, "advcl", "VERB", "VBZ", "win"), (",", 6, "punct", "PUNCT", ",", ","),
                 ("Acme", 6, "nsubj", "PROPN", "NNP", "Acme"), ("will", 6, "aux", "AUX", "MD", "will"),
                 ("hire", 6, "ROOT", "VERB", "VB", "hire"), ("staff", 6, "dobj", "NOUN", "NN", "staff"),
                 (".", 6, "punct", "PUNCT", ".", ".")])
CANCELLED = parse([("The", 1, "det", "DET", "DT", "the"), ("trip", 3, "nsubjpass", "NOUN", "NN", "trip"),
                   ("was", 3, "auxpass", "AUX", "VBD", "be"), ("cancelled", 3, "ROOT", "VERB", "VBN", "cancel"),
                   (".", 3, "punct", "PUNCT", ".", ".")])


def test_factuality_a_modal_puts_the_verb_in_the_future():
    assert modal_trigger(WOULD[2]).text == "would"
    assert modal_trigger(DID_NOT[3]) is None


def test_factuality_would_have_is_a_counterfactual_not_a_plan():
    assert counterfactual(WOULD_HAVE[3])
    assert modal_trigger(WOULD_HAVE[3]) is None
    assert not counterfactual(WOULD[2])


def test_factuality_an_intend_verb_governs_its_infinitive():
    trigger, cls = intention_trigger(PLANS[3])
    assert (trigger.text, cls) == ("plans", "intend")
    assert intention_trigger(WOULD[2]) is None


def test_factuality_negation_is_a_neg_child():
    assert negated(DID_NOT[3]) and not negated(WOULD[2])


def test_factuality_the_condition_is_hypothetical_the_promise_is_conditional():
    assert hypothetical(IF_WINS[2])  # "if it wins": the condition itself
    assert not hypothetical(IF_WINS[6])  # "Acme will hire staff": the promise stands …
    assert conditional(IF_WINS[6])  # … on a condition
    assert not conditional(WOULD[2])


def test_factuality_passive_and_lexicon_class():
    assert passive(CANCELLED[3]) and not passive(WOULD[2])
    assert "cancel" in classes(CANCELLED[3])
    assert "intend" in classes(PLANS[1])
    assert not classes(WOULD[3]) & {"cancel", "intend"}


@pytest.mark.parametrize(
    "text",
    ["Will Acme close the plant?", "Will Acme close the plant?”", "“Will it close?” ) ", "Acme will close the plant.", "?", "”", "Why not ? \n"],
)
def test_factuality_question_read_from_the_last_tokens_as_from_the_text(text):
    """ends_with_question reads a sentence's last tokens; it must say what its whole text says."""
    import spacy

    from quotecheck.pipeline.factuality import ends_with_question

    nlp = spacy.blank("en")
    doc = nlp(text)
    sent = doc[:]
    assert ends_with_question(sent) == sent.text.rstrip(" ”\"'’)").endswith("?")
