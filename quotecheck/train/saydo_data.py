"""Training data for the said/did models: annotated articles → candidate clauses with gold labels.

Each article is parsed once (the same document, quotes and clauses the pipeline builds at
inference); every gold commitment and outcome is aligned to the candidate clause that covers it
best (:func:`align`), and the result is kept as plain records (:class:`Example`) that the
trainers read many times without spaCy. Clauses that overlap a gold statement about as well as
the aligned one are left out of the detector's negatives: they state the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from quotecheck.config import Config
from quotecheck.train.annotations import ArticleAnnotation, overlap_share

__all__ = ["Example", "build_examples", "align", "MIN_IOU", "LABELS"]

#: A gold statement is aligned to its best clause only when their IoU reaches this.
MIN_IOU = 0.3
#: Detector classes.
LABELS = ("none", "commitment", "outcome")


@dataclass
class Example:
    """One annotated article as the models see it."""

    name: str
    text: str
    clauses: list  # list[ClauseInfo]
    labels: list[str]  # per clause: none | commitment | outcome | ignore
    gold_clause: dict[str, int]  # gold statement id → clause index
    gold: ArticleAnnotation
    unaligned: list[str] = field(default_factory=list)

    @property
    def links(self) -> list[tuple[int, int, str]]:
        """(commitment clause, outcome clause, verdict key) of every gold link whose two ends are
        aligned; a restatement of either end is linked too (it states the same commitment or outcome)."""
        members: dict[str, list[str]] = {}
        for s in self.gold.statements:
            members.setdefault(s.restates or s.id, []).append(s.id)
        out = []
        for link in self.gold.links:
            key = link.verdict if link.verdict != "mismatch" else f"mismatch:{link.type}"
            for cid in members.get(link.commitment, [link.commitment]):
                for oid in members.get(link.outcome, [link.outcome]):
                    c, o = self.gold_clause.get(cid), self.gold_clause.get(oid)
                    if c is not None and o is not None and c != o:
                        out.append((c, o, key))
        return out


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union > 0 else 0.0


def align(spans: Sequence[tuple[int, int]], clauses: Sequence) -> tuple[dict[int, int], set[int]]:
    """Best clause per gold span (IoU ≥ MIN_IOU, the head inside the span), and the clauses to ignore.

    A clause is ignored when it overlaps a gold span by half of the shorter of the two but is not
    the aligned one: it restates the statement (its verb alone, its infinitive, its frame).
    """
    best: dict[int, int] = {}
    ignore: set[int] = set()
    for g, span in enumerate(spans):
        scored = sorted(
            ((_iou(span, (c.start, c.end)), -abs((c.end - c.start) - (span[1] - span[0])), i) for i, c in enumerate(clauses)),
            reverse=True,
        )
        if scored and scored[0][0] >= MIN_IOU:
            best[g] = scored[0][2]
        for _, _, i in scored:
            c = clauses[i]
            if overlap_share(span, (c.start, c.end)) >= 0.5 and best.get(g) != i:
                ignore.add(i)
    return best, ignore - set(best.values())


def build_examples(articles: Sequence[ArticleAnnotation], *, spacy_model: str | None = None, config: Config | None = None) -> list[Example]:
    """Parse ``articles`` (one batched spaCy call) and align their gold statements to clauses."""
    from quotecheck.nlp import load_pipeline
    from quotecheck.pipeline.saydo.stage import clause_infos, prepare

    config = config or Config()
    out: list[Example] = []
    step = 64
    built = []
    for i in range(0, len(articles), step):
        for doc, quotes, entities in prepare([a.text for a in articles[i : i + step]], load_pipeline(spacy_model), config):
            built.append(clause_infos(doc, quotes, entities)[1])
    for art, infos in zip(articles, built):
        statements = list(art.statements)
        best, ignore = align([(s.start, s.end) for s in statements], infos)
        labels = ["none"] * len(infos)
        for i in ignore:
            labels[i] = "ignore"
        gold_clause: dict[str, int] = {}
        unaligned = []
        for g, s in enumerate(statements):
            if g in best:
                i = best[g]
                gold_clause[s.id] = i
                if labels[i] in ("none", "ignore"):
                    labels[i] = s.kind
            else:
                unaligned.append(s.id)
        out.append(Example(art.name, art.text, infos, labels, gold_clause, art, unaligned))
    return out
