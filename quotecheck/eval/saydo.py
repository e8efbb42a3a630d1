"""Score said/did predictions against annotated articles (docs/annotation.md §7).

A prediction per article is a :class:`Predicted`: commitment and outcome spans and links with a
verdict. Statements match one-to-one by overlap (half of the shorter span); a predicted link
matches a gold link when both ends match. Figures: commitment / outcome P R F1, link (pairing)
P R F1, mismatch P R F1 (a predicted mismatch is right when it matches a gold mismatch link),
consistent recognised, verdict accuracy on matched links, and types right among true mismatches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from quotecheck.eval.scoring import PRFCount
from quotecheck.train.annotations import ArticleAnnotation, match_targets

__all__ = ["Predicted", "SaydoScore", "score_articles"]


@dataclass(frozen=True)
class Predicted:
    """What a system said about one article: spans, and links as (commitment, outcome) span indexes."""

    commitments: tuple[tuple[int, int], ...]
    outcomes: tuple[tuple[int, int], ...]
    links: tuple[tuple[int, int, str, str | None], ...]  # (commitment idx, outcome idx, verdict, type)


@dataclass
class SaydoScore:
    """Summed counts over articles, and the figures derived from them."""

    commitment: PRFCount = field(default_factory=PRFCount)
    outcome: PRFCount = field(default_factory=PRFCount)
    link: PRFCount = field(default_factory=PRFCount)
    mismatch: PRFCount = field(default_factory=PRFCount)
    consistent_gold: int = 0
    consistent_right: int = 0
    consistent_called: int = 0
    verdict_right: int = 0
    matched_links: int = 0
    types_right: int = 0
    articles: int = 0

    def figures(self) -> dict[str, float | int]:
        def prf(c: PRFCount) -> dict[str, float]:
            return {"p": round(c.precision, 3), "r": round(c.recall, 3), "f1": round(c.f1, 3), "tp": c.tp, "pred": c.pred, "gold": c.gold}

        return {
            "articles": self.articles,
            "commitment": prf(self.commitment), "outcome": prf(self.outcome), "link": prf(self.link),
            "mismatch": prf(self.mismatch),
            "pairing_recall": round(self.link.recall, 3),
            "consistent_recognised": round(self.consistent_right / self.consistent_gold, 3) if self.consistent_gold else None,
            "consistent_gold": self.consistent_gold, "consistent_called": self.consistent_called,
            "verdict_accuracy": round(self.verdict_right / self.matched_links, 3) if self.matched_links else None,
            "mismatch_types_right": self.types_right,
        }


def score_articles(gold: Sequence[ArticleAnnotation], predicted: Sequence[Predicted]) -> SaydoScore:
    """Score ``predicted`` against ``gold``, article by article (same order)."""
    s = SaydoScore()
    for art, pred in zip(gold, predicted):
        s.articles += 1
        count_c, mc = match_targets(list(pred.commitments), list(art.commitments))
        count_o, mo = match_targets(list(pred.outcomes), list(art.outcomes))
        s.commitment += count_c
        s.outcome += count_o
        gold_links = {(link.commitment, link.outcome): link for link in art.links}
        s.consistent_gold += sum(link.verdict == "consistent" for link in art.links)
        link_tp = mm_tp = 0
        for ci, oi, verdict, typ in pred.links:
            g = None
            if ci in mc and oi in mo:
                g = gold_links.get((mc[ci], mo[oi]))
            if g is not None:
                link_tp += 1
                s.matched_links += 1
                s.verdict_right += g.verdict == verdict
                s.consistent_right += g.verdict == verdict == "consistent"
                if verdict == "mismatch" and g.verdict == "mismatch":
                    mm_tp += 1
                    s.types_right += g.type == typ
        s.consistent_called += sum(v == "consistent" for _, _, v, _ in pred.links)
        n_mm_pred = sum(v == "mismatch" for _, _, v, _ in pred.links)
        n_mm_gold = sum(link.verdict == "mismatch" for link in art.links)
        s.link += PRFCount.of(link_tp, len(pred.links), len(art.links))
        s.mismatch += PRFCount.of(mm_tp, n_mm_pred, n_mm_gold)
    return s
