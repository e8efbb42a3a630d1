"""Statements: intention and action frames with actor, predicate, target, negation, numbers, time."""

import pytest

from quotecheck import Checker


@pytest.fixture
def frames(fake_checker: Checker):
    def run(text):
        return fake_checker.structure(text).statements

    return run


def test_statements_reported_intention_takes_the_speaker_as_actor(frames):
    (s,) = frames("Russia said it would strike the Islamic State.")
    assert (s.kind, s.actor_name, s.predicate, s.target.text) == ("intention", "Russia", "strike", "the Islamic State")


@pytest.mark.parametrize(
    "text, negated",
    [("The governor said she would not raise taxes.", True), ("The governor vowed to raise taxes.", False)],
)
def test_statements_intention_negation(text, negated):
    (s,) = Checker(encoder=None).structure(text).statements
    assert s.kind == "intention" and s.predicate == "raise" and s.negated is negated


def test_statements_participle_clause_inherits_the_actor(frames):
    text = "The Russians launched airstrikes on Wednesday, hitting areas around Homs."
    kinds = [(s.kind, s.actor_name, s.predicate) for s in frames(text)]
    assert kinds == [("action", "Russia", "launch"), ("action", "Russia", "hit")]


def test_statements_passive_with_agent(frames):
    (s,) = frames("The area struck by the Russians is home to rebels.")
    assert (s.kind, s.actor_name, s.predicate, s.target.text) == ("action", "Russia", "strike", "The area")


@pytest.mark.parametrize(
    "text",
    ["Acme did not close the plant.", "Acme failed to close the plant.", "Acme has yet to close the plant."],
)
def test_statements_negated_actions(frames, text):
    (s,) = frames(text)
    assert (s.kind, s.predicate, s.negated) == ("action", "close", True)


def test_statements_opinions_are_not_indexed(frames):
    assert frames("Carter said the strikes are going to backfire and will be counterproductive.") == ()


def test_statements_record_quantities_and_times(frames):
    (s,) = frames("Acme pledged to hire 1,000 workers by March 2025.")
    assert [q.text for q in s.quantities] == ["1,000 workers"]
    assert [t.text for t in s.times] == ["by March 2025"]


def test_statements_text_own_intention_verb_counts_as_past_action(frames):
    text = "The council said it would resurface Mill Lane. In June the council resurfaced the car park."
    assert [(s.kind, s.predicate) for s in frames(text)] == [("intention", "resurface"), ("action", "resurface")]


def test_statements_ids_carry_the_document_id(fake_checker):
    a = fake_checker.structure("Acme vowed to close the plant.", doc_id="doc7")
    assert a.statements[0].id == "doc7:s1" and a.statements[0].doc_id == "doc7"
