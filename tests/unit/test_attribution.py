"""Learned attribution: tokens, features, linking (built by hand) and the model folder's errors."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quotecheck.config import Config
from quotecheck.errors import ModelError
from quotecheck.models import Quote, Span
from quotecheck.pipeline.attribution.features import rule_tags, sequence_features
from quotecheck.pipeline.attribution.linking import TaggedSpan, link, spans_of
from quotecheck.pipeline.attribution.model import load_model
from quotecheck.pipeline.attribution.tokens import sequences, tokenize
from quotecheck.pipeline.segment import segment


def _words(text: str) -> list[str]:
    return [t.text for t in tokenize(text, 0, len(text), 0)]


@pytest.mark.parametrize(
    "text, words",
    [
        ("The U.S. said no.", ["The", "U.S.", "said", "no", "."]),
        ("He doesn’t care.", ["He", "does", "n’t", "care", "."]),
        ("Trump’s aide", ["Trump", "’s", "aide"]),
        ("“We won,” she said", ["“", "We", "won", ",", "”", "she", "said"]),
        ("about 1,200.5 votes", ["about", "1,200.5", "votes"]),
        ("a well-known fact", ["a", "well-known", "fact"]),
    ],
)
def test_tokens_split_words_clitics_and_marks(text, words):
    assert _words(text) == words


def test_tokens_offsets_point_into_the_text():
    text = "First line here.\n\n“Second,” he said. Third one."
    for seq in sequences(text, segment(text)):
        for t in seq.tokens:
            assert text[t.start : t.end] == t.text


def test_sequences_one_per_paragraph_with_document_sentence_numbers():
    text = "One. Two.\n\nThree."
    seqs = sequences(text, segment(text))
    assert [s.paragraph for s in seqs] == [0, 1]
    assert sorted({t.sentence for t in seqs[1].tokens}) == [2]


def _features(text: str) -> list[list[str]]:
    seg = segment(text)
    seq = sequences(text, seg)[0]
    return sequence_features(seq, text, [False] * len(seq.tokens), ["O"] * len(seq.tokens), first_paragraph=True)


def test_features_mark_a_paragraph_without_final_punctuation_as_heading():
    assert all("heading" in f for f in _features("Profile: Boko Haram"))
    assert not any("heading" in f for f in _features("Officials said the talks had failed."))


def test_features_give_the_cue_lemma_and_its_distance():
    feats = _features("Officials said the talks had failed.")
    assert "cue=say" in feats[1]
    assert "cl=1" in feats[2] and "cr=1" in feats[0]


def test_features_ignore_a_capitalised_cue_word_inside_a_sentence():
    feats = _features("The Claims Court ruled.")
    assert not any(f.startswith("cue=") for f in feats[1])


def test_rule_tags_mark_each_role_with_bio():
    text = "Ann Lee said taxes would rise."
    quote = Quote(
        id="q1", kind="indirect", content=(Span.of(text, 13, 29),), cue=Span.of(text, 8, 12), source=Span.of(text, 0, 7)
    )
    tokens = tokenize(text, 0, len(text), 0)
    assert rule_tags([quote], tokens) == ["B-SRC", "I-SRC", "B-CUE", "B-CON", "I-CON", "I-CON", "O"]


def test_spans_of_starts_a_run_at_i_after_another_role():
    spans = spans_of(["B-SRC", "I-CUE", "I-CON", "I-CON", "O"], [0] * 5, [1.0] * 5)
    assert [(s.role, s.first, s.last) for s in spans] == [("SRC", 0, 0), ("CUE", 1, 1), ("CON", 2, 3)]


def _span(role: str, first: int, last: int, sentence: int = 0) -> TaggedSpan:
    return TaggedSpan(role, first, last, sentence, sentence, 0.9)


def test_link_joins_a_split_quote_into_one_content():
    # “C1,” S said, “C2.”
    spans = [_span("CON", 0, 3), _span("SRC", 5, 5), _span("CUE", 6, 6), _span("CON", 8, 12)]
    (only,) = link(spans)
    assert [c.first for c in only.contents] == [0, 8]
    assert only.cue.first == 6 and only.source.first == 5


def test_link_gives_each_cue_its_own_content_and_the_nearest_source():
    # S1 said C1, and S2 said C2 (two sentences)
    spans = [_span("SRC", 0, 1, 0), _span("CUE", 2, 2, 0), _span("CON", 3, 6, 0),
             _span("SRC", 8, 8, 1), _span("CUE", 9, 9, 1), _span("CON", 10, 14, 1)]
    first, second = link(spans)
    assert (first.source.first, first.contents[0].first) == (0, 3)
    assert (second.source.first, second.contents[0].first) == (8, 10)


def test_link_prefers_a_cue_of_the_same_sentence_over_a_nearer_one():
    spans = [_span("CUE", 5, 5, 0), _span("CON", 6, 6, 1), _span("CUE", 12, 12, 1)]
    (item,) = link(spans)
    assert item.cue.first == 12


def test_link_drops_a_cue_without_content_and_keeps_a_content_without_cue():
    items = link([_span("SRC", 0, 0), _span("CUE", 1, 1), _span("CON", 10, 12, 3)])
    assert len(items) == 1  # the content has the cue of its paragraph
    (alone,) = link([_span("CON", 0, 4)])
    assert alone.cue is None and alone.source is None


def _nearest_by_scanning(target: TaggedSpan, candidates: list[TaggedSpan]) -> TaggedSpan | None:
    """The linking rule read literally: the least (other sentence, gap, after) over every candidate."""
    def key(c: TaggedSpan) -> tuple[bool, int, bool]:
        same = target.sentence_first <= c.sentence_last and c.sentence_first <= target.sentence_last
        return (not same, max(c.first - target.last - 1, target.first - c.last - 1, 0), c.first > target.first)
    return min(candidates, key=key, default=None)


@given(st.lists(st.tuples(st.sampled_from(["SRC", "CUE", "CON", "O"]), st.integers(1, 4), st.integers(0, 2)), max_size=40))
def test_link_picks_what_a_scan_of_every_span_picks(runs):
    # link() looks only at the nearest span on each side (linear time); it must agree with the
    # scan over all spans on any paragraph of disjoint runs in text order.
    labels, sentences, sentence = [], [], 0
    for role, length, step in runs:
        sentence += step
        labels += ["O"] * length if role == "O" else [f"B-{role}"] + [f"I-{role}"] * (length - 1)
        sentences += [sentence] * length
        if role != "O":
            labels.append("O")
            sentences.append(sentence)
    spans = spans_of(labels, sentences, [1.0] * len(labels))
    cues = [s for s in spans if s.role == "CUE"]
    sources = [s for s in spans if s.role == "SRC"]
    expected = {}
    for c in (s for s in spans if s.role == "CON"):
        cue = _nearest_by_scanning(c, cues)
        if cue is not None:
            expected.setdefault(cue.first, (cue, _nearest_by_scanning(cue, sources)))
    got = {item.cue.first: (item.cue, item.source) for item in link(spans) if item.cue is not None}
    assert got == expected


def test_load_model_rejects_a_folder_without_model(tmp_path):
    with pytest.raises(ModelError, match=r"\[E120\]"):
        load_model(tmp_path)


def test_load_model_rejects_other_feature_versions(tmp_path):
    (tmp_path / "model.crfsuite").write_bytes(b"")
    (tmp_path / "meta.json").write_text(json.dumps({"feature_version": -1, "labels": []}))
    with pytest.raises(ModelError, match=r"\[E122\]"):
        load_model(tmp_path)


def test_load_model_rejects_a_damaged_meta_file(tmp_path):
    (tmp_path / "model.crfsuite").write_bytes(b"")
    (tmp_path / "meta.json").write_text("{not json")
    with pytest.raises(ModelError, match=r"\[E121\]"):
        load_model(tmp_path)


def test_extractor_choice_is_a_config_field():
    assert Config().quote_extractor == "learned"
    assert Config(quote_extractor="rules").quote_extractor == "rules"


def _q(text: str, content: str, source: str | None = None) -> Quote:
    c = text.index(content)
    s = text.index(source) if source else None
    return Quote(id="q1", kind="indirect", content=(Span.of(text, c, c + len(content)),),
                 source=Span.of(text, s, s + len(source)) if source else None)


def test_fill_source_takes_the_source_of_the_rule_reading_of_the_same_content():
    from quotecheck.pipeline.attribution.extract import _fill_source

    text = "The minister, speaking late on Monday in the capital, said taxes would rise."
    tagged = _q(text, "taxes would rise")
    assert _fill_source(tagged, [_q(text, "taxes would rise", "The minister")]).source.text == "The minister"
    assert _fill_source(tagged, [_q(text, "late on Monday", "The minister")]).source is None  # another content
    kept = _q(text, "taxes would rise", "minister")
    assert _fill_source(kept, [_q(text, "taxes would rise", "The minister")]) == kept  # the tagger's own source stays


def test_extract_document_reads_a_document_without_parse(tmp_path):
    from quotecheck.pipeline.attribution import extract_document
    from quotecheck.pipeline.document import Document

    text = "Ann Lee said taxes would rise."
    doc = Document(text=text, seg=segment(text))
    rules = extract_document(doc, Config(quote_extractor="rules"))
    assert [(q.source.text, q.cue.text) for q in rules] == [("Ann Lee", "said")]
    learned = extract_document(doc, Config())
    assert learned and all(text[s.start : s.end] == s.text for q in learned for s in q.content)


def test_quote_index_finds_exactly_the_quotes_a_window_overlaps():
    """The index that keeps long texts linear answers as reading every quote would (random spans)."""
    import random

    from quotecheck.pipeline.attribution.features import QuoteIndex

    rng = random.Random(5)
    text = "x" * 5500
    quotes = []
    for n in range(120):
        a = rng.randrange(0, 4900)
        b = a + rng.randrange(1, rng.choice((20, 400)))
        cue = rng.randrange(0, 4990)
        quotes.append(Quote(id=f"q{n}", kind="indirect", content=(Span.of(text, a, b),), cue=Span.of(text, cue, cue + 4)))
    index = QuoteIndex(quotes)
    for _ in range(300):
        lo = rng.randrange(0, 5000)
        hi = lo + rng.randrange(1, 300)
        want = [n for n, q in enumerate(quotes) if any(s.start < hi and s.end > lo for s in (*q.content, q.cue))]
        assert index.overlapping(lo, hi) == want
    tokens = tokenize("Ann Lee said taxes would rise.", 0, 30, 0)
    assert rule_tags(quotes[:0], tokens, QuoteIndex(())) == ["O"] * 7
