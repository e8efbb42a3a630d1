"""Typed counts of the scorer: PRFCount arithmetic and per-role / per-attribution counts by hand."""

from __future__ import annotations

from quotecheck.eval.gold import Key, build_article
from quotecheck.eval.scoring import ArticleCounts, PRFCount, pair, score_article, score_set


def test_prf_count_rates_and_sums():
    a = PRFCount.of(tp=3, pred=4, gold=6)
    assert (a.tp, a.fp, a.fn) == (3, 1, 3)
    assert (a.precision, a.recall) == (0.75, 0.5) and abs(a.f1 - 0.6) < 1e-9
    b = a + PRFCount(tp=1, fp=0, fn=0)
    assert (b.tp, b.pred, b.gold) == (4, 5, 7)
    assert PRFCount().f1 == 0.0


def test_score_set_counts_exact_and_overlap_apart():
    text = "taxes would fall sharply"
    gold = [Key.of([(0, 16)], text)]
    exact = score_set([Key.of([(0, 16)], text)], gold)
    longer = score_set([Key.of([(0, 24)], text)], gold)
    assert (exact.exact.tp, exact.overlap.tp) == (1, 1)
    assert (longer.exact.tp, longer.exact.fp, longer.overlap.tp) == (0, 1, 1)


def test_pair_is_one_to_one_best_first():
    text = "taxes would fall"
    golds = [Key.of([(0, 16)], text)]
    preds = [Key.of([(0, 11)], text), Key.of([(0, 16)], text)]
    assert pair(golds, preds) == [(0, 1)]


def test_score_article_counts_sources_on_paired_attributions():
    text = "Ann said taxes would fall. Bob said prices rose."
    gold = build_article(
        [{"source": [(0, 3)], "cue": [(4, 8)], "content": [(9, 25)]},
         {"source": [(27, 30)], "cue": [(31, 35)], "content": [(36, 47)]}], [], text, 0)
    pred = build_article(
        [{"source": [(27, 30)], "cue": [(4, 8)], "content": [(9, 25)]}], [], text, 0)
    counts = score_article(gold, pred, text)
    assert isinstance(counts, ArticleCounts)
    assert (counts.attribution.content.tp, counts.attribution.content.fn) == (1, 1)
    assert counts.attribution.content_source.tp == 0 and counts.attribution.cue_ok == 1
    assert counts.indirect.units == 2 and counts.indirect.attribution_tp == 1
    total = counts + counts
    assert total.attribution.content.gold == 4
