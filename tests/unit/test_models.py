"""The data model: spans are checked views into the text; models are frozen and round-trip as JSON."""

import pytest
from pydantic import ValidationError

from quotecheck.models import Analysis, Quote, Span


def test_models_span_of_cuts_text():
    assert Span.of("Carter said no.", 0, 6) == Span(start=0, end=6, text="Carter")


def test_models_span_rejects_inconsistent_length():
    with pytest.raises(ValidationError, match=r"\[E001\]"):
        Span(start=0, end=3, text="Carter")


def test_models_analysis_rejects_span_outside_its_text():
    bad = Quote(id="q1", kind="direct", content=(Span(start=0, end=4, text="nope"),))
    with pytest.raises(ValidationError, match=r"\[E002\]"):
        Analysis(doc_id="d", text="Carter said yes.", quotes=(bad,))


def test_models_analysis_rejects_duplicate_ids():
    text = "Carter said yes."
    q = Quote(id="q1", kind="indirect", content=(Span.of(text, 12, 15),))
    with pytest.raises(ValidationError, match=r"\[E003\]"):
        Analysis(doc_id="d", text=text, quotes=(q, q))


def test_models_are_frozen():
    span = Span.of("abc", 0, 1)
    with pytest.raises(ValidationError):
        span.start = 1  # type: ignore[misc]


def test_models_json_round_trip(seed_text):
    from quotecheck import extract_quotes

    analysis = extract_quotes(seed_text)
    assert Analysis.model_validate_json(analysis.model_dump_json()) == analysis
