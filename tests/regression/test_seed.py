"""The seed article end to end: speakers, the commitments the learned stage finds, and the Russia
target mismatch (issue 15's target, not met by the shipped model: strict xfail with what was measured)."""

import pytest

pytestmark = pytest.mark.model

SENTENCE = ("Despite Russia saying that it would strike the Islamic State and then hitting areas with only Syrian "
            "rebels, Carter said he is taking Russia at its word.")
NOT_PAIRED = ("issue 15: the shipped model never pairs within a text (cross-validated linker precision below 0.2), "
              "and 'hitting areas around Homs' is no outcome alone")


@pytest.fixture(scope="module")
def seed(model_checker, seed_text):
    return model_checker.analyze(seed_text)


def test_seed_speakers(seed):
    speakers = {q.speaker_name for q in seed.quotes}
    assert {"Ash Carter", "Institute for the Study of War", "Russia"} <= speakers
    carter = " ".join(c.text for q in seed.quotes if q.speaker_name == "Ash Carter" for c in q.content)
    for excerpt in ("going to backfire", "will meet with Russian officials", "no future conversations planned",
                    "the next step is to send a team", "could not confirm those reports", "taking Russia at its word",
                    "They are exceptionally clear", "My problem isn’t"):
        assert excerpt in carter


def test_seed_the_defense_department_meeting_is_a_commitment(seed):
    frames = {(s.kind, s.actor_name, s.predicate) for s in seed.statements}
    assert ("intention", "Defense Department", "meet") in frames


@pytest.mark.xfail(strict=True, reason="issue 15: in the whole article the detector gives 'it would strike the Islamic State' "
                                       "P(commitment) below its threshold 0.3 (it finds it in the sentence alone)")
def test_seed_russia_strike_is_a_commitment(seed):
    assert ("intention", "Russia", "strike") in {(s.kind, s.actor_name, s.predicate) for s in seed.statements}


def test_seed_sentence_alone_states_russias_commitment(model_checker):
    alone = model_checker.analyze(SENTENCE)
    (strike,) = [s for s in alone.statements if s.predicate == "strike"]
    assert (strike.kind, strike.actor_name, strike.span.text) == ("intention", "Russia", "it would strike the Islamic State")


@pytest.mark.xfail(strict=True, reason=NOT_PAIRED)
def test_seed_russia_target_mismatch(seed, model_checker):
    for analysis in (seed, model_checker.analyze(SENTENCE)):
        hits = [f for f in analysis.findings if f.actor_name == "Russia" and f.verdict == "mismatch" and f.type == "target"]
        assert hits and "Islamic State" in analysis.statement(hits[0].intention).span.text


def test_seed_no_mismatch_for_carter_or_the_pentagon(seed):
    assert [s for s in seed.statements if s.actor_name == "Defense Department"]  # their plans are read …
    assert not [f for f in seed.findings if f.actor_name in {"Ash Carter", "Defense Department"}]  # … and flag nothing
