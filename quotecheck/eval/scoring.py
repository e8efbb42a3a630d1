"""Scoring one article against its gold: typed counts, never counts under string keys.

Exact match
    identical keys. **Overlap match**: ``|G∩P| ≥ t·|G|`` and ``|G∩P| ≥ t·|P|`` with ``t = 0.5``
    (at least half of both spans' characters shared). Overlap matching is one-to-one and greedy:
    all admissible pairs sorted by Jaccard ``|G∩P| / |G∪P|`` (best first; ties by gold order,
    then prediction order), each taken when both sides are still free.

Roles (source, cue, content)
    per article, the distinct spans of each role; exact true positives count predicted units
    whose key is a gold key, overlap true positives are the greedy pairs.

Attributions
    gold and predicted attributions are paired one-to-one by overlap on their contents. Levels:
    *content* (paired), *content+source* (and the sources overlap-match, or both are absent),
    *content+source+cue* (cues likewise), and a lenient *content+source (any overlap)* where the
    sources need only share one significant character.

Counts add up over articles (``+``), so a corpus score is the sum of its articles' counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from quotecheck.eval.gold import CONTENT_TYPES, Article, Key, content_type

__all__ = ["PRFCount", "RoleCounts", "AttributionCounts", "TypeCounts", "ArticleCounts", "overlaps", "pair",
           "score_set", "score_article", "OVERLAP"]

#: Minimum share of both spans' significant characters for an overlap match (the reference's t).
OVERLAP = 0.5


class _Adds:
    """Field-wise addition for count dataclasses (nested counts add recursively)."""

    def __add__(self, other):
        return type(self)(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})  # type: ignore[arg-type]


@dataclass(frozen=True)
class PRFCount(_Adds):
    """True positives, false positives and false negatives of one comparison."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def pred(self) -> int:
        return self.tp + self.fp

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @classmethod
    def of(cls, tp: int, pred: int, gold: int) -> PRFCount:
        return cls(tp=tp, fp=pred - tp, fn=gold - tp)


@dataclass(frozen=True)
class RoleCounts(_Adds):
    exact: PRFCount = field(default_factory=PRFCount)
    overlap: PRFCount = field(default_factory=PRFCount)


@dataclass(frozen=True)
class AttributionCounts(_Adds):
    """Paired attributions: how many, and how many also have a right source / cue."""

    content: PRFCount = field(default_factory=PRFCount)
    content_source: PRFCount = field(default_factory=PRFCount)
    content_source_cue: PRFCount = field(default_factory=PRFCount)
    content_source_any: PRFCount = field(default_factory=PRFCount)
    cue_ok: int = 0
    gold_source: int = 0  # pairs whose gold has a source
    gold_source_ok: int = 0
    gold_source_pred_none: int = 0
    gold_no_source: int = 0
    gold_no_source_ok: int = 0


@dataclass(frozen=True)
class TypeCounts(_Adds):
    """Recall counts on gold contents of one type (direct, mixed, indirect)."""

    units: int = 0
    exact: int = 0
    overlap: int = 0
    attributions: int = 0
    attribution_tp: int = 0
    attribution_source: int = 0
    attribution_source_cue: int = 0
    predicted_units: int = 0


@dataclass(frozen=True)
class ArticleCounts(_Adds):
    """Every count of one article (or, summed, of a corpus)."""

    source: RoleCounts = field(default_factory=RoleCounts)
    cue: RoleCounts = field(default_factory=RoleCounts)
    content: RoleCounts = field(default_factory=RoleCounts)
    attribution: AttributionCounts = field(default_factory=AttributionCounts)
    direct: TypeCounts = field(default_factory=TypeCounts)
    mixed: TypeCounts = field(default_factory=TypeCounts)
    indirect: TypeCounts = field(default_factory=TypeCounts)


def overlaps(g: Key | None, p: Key | None, t: float = OVERLAP) -> bool:
    """Whether two keys overlap-match (at least ``t`` of each one's characters shared)."""
    if g is None or p is None or not g.key or not p.key or g.hi < p.lo or p.hi < g.lo:
        return False
    shared = len(g.key & p.key)
    return shared > 0 and shared >= t * len(g.key) and shared >= t * len(p.key)


def pair(golds: list[Key], preds: list[Key], t: float = OVERLAP) -> list[tuple[int, int]]:
    """One-to-one overlap pairs, best Jaccard first (ties: gold order, then prediction order)."""
    candidates = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            if overlaps(g, p, t):
                shared = len(g.key & p.key)
                candidates.append((-(shared / float(len(g.key) + len(p.key) - shared)), gi, pi))
    candidates.sort()
    free_g, free_p, out = set(range(len(golds))), set(range(len(preds))), []
    for _, gi, pi in candidates:
        if gi in free_g and pi in free_p:
            free_g.discard(gi)
            free_p.discard(pi)
            out.append((gi, pi))
    return out


def score_set(preds: list[Key], golds: list[Key], t: float = OVERLAP) -> RoleCounts:
    """Exact and overlap counts of one role's predicted units against the gold units."""
    gold_keys = {k.key for k in golds}
    exact = sum(1 for k in preds if k.key in gold_keys)
    return RoleCounts(PRFCount.of(exact, len(preds), len(golds)), PRFCount.of(len(pair(golds, preds, t)), len(preds), len(golds)))


def _source_ok(g: Key | None, p: Key | None, t: float) -> bool:
    return (g is None and p is None) or overlaps(g, p, t)


def score_article(gold: Article, pred: Article, text: str, t: float = OVERLAP) -> ArticleCounts:
    """The counts of one article (rules in the module docstring)."""
    roles = {r: score_set(list(pred.units[r]), list(gold.units[r]), t) for r in ("source", "cue", "content")}
    types: dict[str, dict[str, int]] = {ty: dict.fromkeys(f.name for f in fields(TypeCounts)) for ty in CONTENT_TYPES}
    for ty in CONTENT_TYPES:
        types[ty] = {k: 0 for k in types[ty]}
    golds, preds = list(gold.units["content"]), list(pred.units["content"])
    matched = {gi for gi, _ in pair(golds, preds, t)}
    pred_keys = {k.key for k in preds}
    for gi, k in enumerate(golds):
        ty = types[content_type(k.pieces, text)]
        ty["units"] += 1
        ty["exact"] += k.key in pred_keys
        ty["overlap"] += gi in matched
    for k in preds:
        types[content_type(k.pieces, text)]["predicted_units"] += 1
    ga, pa = gold.attributions, pred.attributions
    gold_types = [content_type(a.content.pieces, text) for a in ga]
    for ty in gold_types:
        types[ty]["attributions"] += 1
    n_src = n_cue = n_src_cue = n_any = 0
    a = dict(gold_source=0, gold_source_ok=0, gold_source_pred_none=0, gold_no_source=0, gold_no_source_ok=0)
    pairs = pair([x.content for x in ga], [x.content for x in pa], t)
    for gi, pi in pairs:
        g, p = ga[gi], pa[pi]
        src_ok, cue_ok = _source_ok(g.source, p.source, t), _source_ok(g.cue, p.cue, t)
        src_any = (g.source is None and p.source is None) or (
            g.source is not None and p.source is not None and bool(g.source.key & p.source.key))
        n_src += src_ok
        n_cue += cue_ok
        n_src_cue += src_ok and cue_ok
        n_any += src_any
        if g.source is not None:
            a["gold_source"] += 1
            a["gold_source_ok"] += src_ok
            a["gold_source_pred_none"] += p.source is None
        else:
            a["gold_no_source"] += 1
            a["gold_no_source_ok"] += src_ok
        ty = types[gold_types[gi]]
        ty["attribution_tp"] += 1
        ty["attribution_source"] += src_ok
        ty["attribution_source_cue"] += src_ok and cue_ok
    level = lambda tp: PRFCount.of(tp, len(pa), len(ga))  # noqa: E731
    attribution = AttributionCounts(
        content=level(len(pairs)), content_source=level(n_src), content_source_cue=level(n_src_cue),
        content_source_any=level(n_any), cue_ok=n_cue, **a,
    )
    return ArticleCounts(
        source=roles["source"], cue=roles["cue"], content=roles["content"], attribution=attribution,
        **{ty: TypeCounts(**types[ty]) for ty in CONTENT_TYPES},
    )
