"""The seed article end to end: speakers, statements and the Russia target mismatch."""

import pytest

pytestmark = pytest.mark.model


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


def test_seed_statements(seed):
    frames = {(s.kind, s.actor_name, s.predicate) for s in seed.statements}
    assert ("intention", "Russia", "strike") in frames
    assert ("intention", "Defense Department", "meet") in frames
    assert {("action", "Russia", "launch"), ("action", "Russia", "hit"), ("action", "Russia", "kill")} <= frames


def test_seed_russia_target_mismatch(seed):
    hits = [f for f in seed.findings if f.actor_name == "Russia" and f.verdict == "mismatch" and f.type == "target"]
    assert hits
    action = seed.statement(hits[0].action)
    assert "Islamic State" in seed.statement(hits[0].intention).span.text
    assert action.kind == "action" and 0 < hits[0].score <= 1 and hits[0].explanation
    assert any(e.role == "action" for e in hits[0].evidence)


def test_seed_no_mismatch_for_carter_or_the_pentagon(seed):
    assert not [f for f in seed.findings if f.actor_name in {"Ash Carter", "Defense Department"}]
