"""Properties over arbitrary text: never raises, every span is a true slice, deterministic, JSON-stable."""

from hypothesis import given
from hypothesis import strategies as st

from quotecheck import Analysis, Checker
from quotecheck.models import _spans_of_seq
from quotecheck.testing.fakes import FakeEncoder

_CHECKER = Checker(encoder=FakeEncoder())
_PIECES = st.sampled_from(
    ["“", "”", '"', "‘", "’", "«", "»", "—", "–", "-", "\n", "\n\n", ", ", ". ", " said ", " would strike ",
     "Carter", " he ", "according to ", ": ", "Russia", " struck ", " the plant", " not ", "1,000 ", "in March"]
)
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=40).map("".join)


def _all_spans(a: Analysis):
    yield from _spans_of_seq((*a.sentences, *a.entities, *a.quotes, *a.statements))
    for f in a.findings:
        for e in f.evidence:
            yield e.span


@given(_TEXT)
def test_properties_spans_are_slices_of_the_text(text):
    a = _CHECKER.analyze(text)
    for s in _all_spans(a):
        assert text[s.start : s.end] == s.text


@given(_TEXT)
def test_properties_sentences_ordered_and_disjoint(text):
    sentences = _CHECKER.extract_quotes(text).sentences
    for a, b in zip(sentences, sentences[1:]):
        assert a.end <= b.start


@given(_TEXT)
def test_properties_deterministic_and_json_round_trip(text):
    a = _CHECKER.analyze(text)
    assert _CHECKER.analyze(text) == a
    assert Analysis.model_validate_json(a.model_dump_json()) == a
