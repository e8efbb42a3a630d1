"""The times a statement keeps for its own act, on real parses: the due date the promise tracker
reads must not come from a relative clause or from another verb inside the statement's span."""

from __future__ import annotations

import pytest

from quotecheck import Checker
from quotecheck.testing.fakes import FakeEncoder


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(encoder=FakeEncoder())


@pytest.mark.parametrize(
    ("text", "lemma", "times"),
    [
        ("Hillary Clinton, who declared victory in the race Tuesday night, will return the favor to Trump.", "return", []),
        ("Clinton plans to visit Charlotte on Sunday.", "plan", ["on Sunday"]),  # the planned act's own time
        ("Clinton plans to visit Charlotte on Sunday.", "visit", ["on Sunday"]),
        ("Acme said that it would close the plant in March.", "close", ["in March"]),
    ],
)
def test_clauses_a_statement_keeps_the_times_of_its_own_act(checker, text, lemma, times):
    """A time in a relative clause inside the statement's span dates another act (the tracker
    would take it for a due date); the times of the act and of its complements stay."""
    from quotecheck.models import Span
    from quotecheck.pipeline.saydo.clauses import candidate_clauses
    from quotecheck.pipeline.saydo.stage import _own_times, prepare

    ((doc, quotes, entities),) = prepare([text], checker.nlp, checker.config)
    (clause,) = [c for c in candidate_clauses(doc, quotes, entities) if c.token.lemma_ == lemma]
    span = Span.of(doc.text, clause.start, clause.end)
    own = [t for t in clause.piece.doc if clause.start <= clause.piece.start + t.idx < clause.end]
    assert [t.text for t in _own_times(doc, clause, span, own)] == times
