"""Train the said/did models on annotated articles, cross-validated by article.

``fit(examples, settings, vectors)`` fits the five heads of :class:`SaydoModel`:

1. the detector on every candidate clause (gold-aligned clauses are commitments or outcomes;
   clauses that restate a gold statement are left out);
2. the outcome status head on the gold outcomes;
3. the linker on (gold commitment, every other clause of its article) pairs, with the
   detector's *out-of-fold* probabilities as features (so it learns from the detector it will
   meet, not from one that has seen the article), and the cross-text linker on the same pairs
   seen as if from two texts (no positions; the encoder's cosine);
4. the judge on the gold links, each seen both ways.

``cross_validate`` runs the whole pipeline on each held-out fold (end to end, the detector's own
commitments) and returns per-article predictions; ``choose_thresholds`` picks the operating
points on them: the detector's for F1, the linker's for pairing F1, the judge's mismatch
threshold for precision first (the lowest threshold whose precision reaches the target).
Every knob is a field of :class:`TrainSettings` (defaults in ``saydo_settings.json``).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from quotecheck.eval.saydo import Predicted, SaydoScore, score_articles
from quotecheck.pipeline.saydo.decide import Decision, Scored, apply, candidates, judge_dense, judge_features, link_dense, link_sparse, score
from quotecheck.pipeline.saydo.model import LinearHead, SaydoModel

#: Maps texts to unit vectors (one encoder call per list).
Vectors = Callable[[Sequence[str]], np.ndarray]
from quotecheck.train.saydo_data import LABELS, Example

__all__ = ["TrainSettings", "fit", "cross_validate", "choose_thresholds", "predicted_of", "folds_of", "SETTINGS_FILE"]

SETTINGS_FILE = Path(__file__).with_name("saydo_settings.json")


class TrainSettings(BaseModel):
    """Every knob of said/did training (see ``saydo_settings.json`` for the shipped values)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    seed: int = 0
    folds: int = Field(default=5, ge=2, description="Folds (by article) for out-of-fold features and thresholds.")
    min_count: int = Field(default=2, ge=1, description="A string feature is kept when seen in this many training clauses.")
    c_detector: float = Field(default=0.5, gt=0)
    c_status: float = Field(default=0.5, gt=0)
    c_linker: float = Field(default=1.0, gt=0)
    c_judge: float = Field(default=0.3, gt=0)
    max_iter: int = Field(default=2000, ge=100)
    precision_target: float = Field(default=0.9, gt=0, le=1, description="Mismatch precision the reporting threshold must reach on CV.")
    min_link_precision: float = Field(default=0.2, ge=0, le=1,
                                      description="A pair is shown at all only where the linker's cross-validated precision reaches this; "
                                      "where no threshold does, pairs are never shown (silence rather than leads that are almost all wrong).")
    max_outcomes: int = Field(default=2, ge=1, description="Outcomes kept per commitment.")
    sure_precision: float = Field(default=0.8, gt=0, le=1,
                                  description="Commitment precision (CV) a statement's detector probability must reach before the "
                                  "promise tracker calls it overdue (a claim that it was not delivered).")

    @classmethod
    def load(cls, path: Path | None = None, **overrides: object) -> TrainSettings:
        data = json.loads((path or SETTINGS_FILE).read_text(encoding="utf-8"))
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**data)


# -- linear heads -------------------------------------------------------------------------------
def _vocab(rows: Sequence[Sequence[str]], min_count: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for feats in rows:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    return {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}


def _matrix(rows: Sequence[Sequence[str]] | None, vocab: dict[str, int], dense: np.ndarray | None):
    from scipy.sparse import csr_matrix, hstack

    n = len(rows) if rows is not None else dense.shape[0]  # type: ignore[union-attr]
    parts = []
    if rows is not None and vocab:
        indptr, indices = [0], []
        for feats in rows:
            idx = sorted({vocab[f] for f in feats if f in vocab})
            indices += idx
            indptr.append(len(indices))
        parts.append(csr_matrix((np.ones(len(indices)), indices, indptr), shape=(n, len(vocab))))
    if dense is not None and dense.shape[1]:
        parts.append(csr_matrix(dense))
    return hstack(parts).tocsr() if len(parts) > 1 else parts[0]


def fit_head(rows: Sequence[Sequence[str]] | None, dense: np.ndarray | None, y: Sequence[str], *, c: float, settings: TrainSettings,
             classes: Sequence[str] | None = None) -> LinearHead:
    """A logistic head over string features (vocabulary from ``rows``) and dense columns."""
    from sklearn.linear_model import LogisticRegression

    vocab = _vocab(rows, settings.min_count) if rows is not None else {}
    X = _matrix(rows, vocab, dense)
    present = sorted(set(y))
    names = tuple(classes) if classes else tuple(present)
    n_dense = 0 if dense is None else dense.shape[1]
    if len(present) == 1:  # one class only: a constant head
        w = np.zeros((len(vocab) + n_dense, 1 if len(names) == 2 else len(names)))
        b = np.full(w.shape[1], -20.0)
        b[names.index(present[0]) if w.shape[1] > 1 else 0] = 20.0 if (w.shape[1] > 1 or present[0] == names[1]) else -20.0
        return LinearHead(names, vocab, n_dense, w, b)
    clf = LogisticRegression(C=c, max_iter=settings.max_iter, random_state=settings.seed)
    clf.fit(X, np.asarray(y))
    got = [str(k) for k in clf.classes_]
    if len(got) == 2 and len(names) == 2:
        sign = 1.0 if got[1] == names[1] else -1.0
        return LinearHead(names, vocab, n_dense, sign * clf.coef_.T.copy(), sign * clf.intercept_.copy())
    w = np.full((X.shape[1], len(names)), 0.0)
    b = np.full(len(names), -30.0)
    coef = clf.coef_ if clf.coef_.shape[0] == len(got) else np.vstack([-clf.coef_, clf.coef_])
    inter = clf.intercept_ if clf.intercept_.shape[0] == len(got) else np.concatenate([-clf.intercept_, clf.intercept_])
    for k, name in enumerate(got):
        w[:, names.index(name)] = coef[k]
        b[names.index(name)] = inter[k]
    return LinearHead(names, vocab, n_dense, w, b)


# -- folds and datasets ---------------------------------------------------------------------------
def folds_of(examples: Sequence[Example], k: int, seed: int) -> list[int]:
    """A fold number per example, shuffled by ``seed`` (articles never split)."""
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    fold = [0] * len(examples)
    for n, i in enumerate(order):
        fold[i] = n % k
    return fold


def _fit_detector(examples: Sequence[Example], settings: TrainSettings) -> LinearHead:
    rows, y = [], []
    for ex in examples:
        for info, label in zip(ex.clauses, ex.labels):
            if label != "ignore":
                rows.append(info.features)
                y.append(label)
    return fit_head(rows, None, y, c=settings.c_detector, settings=settings, classes=LABELS)


def _fit_status(examples: Sequence[Example], settings: TrainSettings) -> LinearHead:
    from quotecheck.train.annotations import OUTCOME_STATUS

    rows, y = [], []
    for ex in examples:
        for o in ex.gold.outcomes:
            i = ex.gold_clause.get(o.id)
            if i is not None and o.status:
                rows.append(ex.clauses[i].features)
                y.append(o.status)
    if not y:
        y, rows = ["done"], [["bias"]]
    return fit_head(rows, None, y, c=settings.c_status, settings=settings, classes=OUTCOME_STATUS)


def _oof_detector(examples: Sequence[Example], settings: TrainSettings) -> list[np.ndarray]:
    """Out-of-fold detector probabilities for every clause of every example."""
    fold = folds_of(examples, min(settings.folds, len(examples)), settings.seed + 1)
    out: list[np.ndarray | None] = [None] * len(examples)
    for k in range(max(fold) + 1):
        head = _fit_detector([e for e, f in zip(examples, fold) if f != k], settings)
        for i, (e, f) in enumerate(zip(examples, fold)):
            if f == k:
                out[i] = head.predict_proba([c.features for c in e.clauses]) if e.clauses else np.zeros((0, 3))
    return out  # type: ignore[return-value]


def _pairs(ex: Example, det: np.ndarray, vectors: Vectors | None):
    """Training rows of one example, one per (gold commitment, candidate clause).

    Each row: (within-text linker input, cross-text linker input or None, is-linked, verdict key or
    None, judge string features, judge input within, judge input across). The cross-text view
    needs the encoder (``vectors``); without it the xlinker is not trained.
    """
    linked: dict[tuple[int, int], str] = {(c, o): v for c, o, v in ex.links}
    commitments = sorted({ex.gold_clause[c.id] for c in ex.gold.commitments if c.id in ex.gold_clause})
    if not commitments:
        return []
    infos = ex.clauses
    if vectors is not None:
        vec = vectors([c.text for c in infos])
        lem_words = sorted({c.lemma for c in infos})
        lem = vectors(lem_words)
        lrow = {w: n for n, w in enumerate(lem_words)}
    out = []
    for c, x in candidates(infos, commitments):
        if ex.labels[x] == "ignore" and (c, x) not in linked:
            continue  # restates a gold statement: neither a right nor a wrong outcome
        a, b = infos[c], infos[x]
        within = link_dense(a, b, det[c], det[x])
        across = None
        if vectors is not None:
            across = link_dense(a, b, det[c], det[x], cos=float(vec[c] @ vec[x]), head_cos=float(lem[lrow[a.lemma]] @ lem[lrow[b.lemma]]),
                                same_doc=False)
        verdict = linked.get((c, x))
        judge = (judge_features(b), judge_dense(a, b, det[c], det[x], same_doc=True), judge_dense(a, b, det[c], det[x], same_doc=False)) if verdict else None
        out.append((within, across, (c, x) in linked, verdict, judge, link_sparse(a, b)))
    return out


JUDGE_CLASSES = ("consistent", "unverified", *(f"mismatch:{t}" for t in ("target", "negation", "quantity", "timing", "reversal", "other")))


def fit(examples: Sequence[Example], settings: TrainSettings, vectors: Vectors | None, *, thresholds: dict[str, float] | None = None) -> SaydoModel:
    """Fit every head on ``examples`` (thresholds as given, else neutral ones).

    Without ``vectors`` the cross-text linker is a copy of nothing learned: it never links."""
    detector = _fit_detector(examples, settings)
    status = _fit_status(examples, settings)
    oof = _oof_detector(examples, settings)
    within, across, words, xwords, y, xy, jrows, jdense, jy = [], [], [], [], [], [], [], [], []
    for ex, det in zip(examples, oof):
        for w, a, label, verdict, judge, sparse in _pairs(ex, det, vectors):
            within.append(w)
            words.append(sparse)
            y.append("link" if label else "no")
            if a is not None:
                across.append(a)
                xwords.append(sparse)
                xy.append("link" if label else "no")
            if judge is not None:
                for dense in judge[1:]:  # the judge sees each pair as within one text and across two
                    jrows.append(judge[0])
                    jdense.append(dense)
                    jy.append(verdict)
    linker = fit_head(words, np.asarray(within, dtype=np.float64), y, c=settings.c_linker, settings=settings, classes=("no", "link"))
    if across:
        xlinker = fit_head(xwords, np.asarray(across, dtype=np.float64), xy, c=settings.c_linker, settings=settings, classes=("no", "link"))
    else:
        xlinker = fit_head(None, np.zeros((1, linker.dense + 2)), ["no"], c=1.0, settings=settings, classes=("no", "link"))
    if not jy:
        jy, jrows, jdense = ["unverified"], [["bias"]], [[0.0] * (linker.dense)]
    judge = fit_head(jrows, np.asarray(jdense, dtype=np.float64), jy, c=settings.c_judge, settings=settings, classes=JUDGE_CLASSES)
    base = {"commitment": 0.5, "outcome": 0.5, "link": 0.5, "xlink": 0.5, "mismatch": 0.5, "consistent": 0.5,
            "max_outcomes": float(settings.max_outcomes)}
    return SaydoModel(detector, status, linker, xlinker, judge, thresholds=thresholds or base)


# -- evaluation -----------------------------------------------------------------------------------
def predicted_of(ex: Example, decision: Decision) -> Predicted:
    """A decision on an example's clauses as scorable spans."""
    infos = ex.clauses
    cspans = tuple((infos[i].start, infos[i].end) for i in decision.commitments)
    ospans = tuple((infos[i].start, infos[i].end) for i in decision.outcomes)
    ci = {c: n for n, c in enumerate(decision.commitments)}
    oi = {o: n for n, o in enumerate(decision.outcomes)}
    links = tuple((ci[p.commitment], oi[p.outcome], p.verdict, p.type) for p in decision.pairs if p.commitment in ci)
    return Predicted(cspans, ospans, links)


def cross_validate(examples: Sequence[Example], settings: TrainSettings, vectors: Vectors | None) -> list[tuple[SaydoModel, Scored]]:
    """Fit on k-1 folds and score each held-out article end to end (every probability, no
    threshold yet: :func:`choose_thresholds` tries many on the same scores without refitting)."""
    fold = folds_of(examples, settings.folds, settings.seed)
    out: list[tuple[SaydoModel, Scored] | None] = [None] * len(examples)
    for k in range(settings.folds):
        model = fit([e for e, f in zip(examples, fold) if f != k], settings, None)  # within-text heads only
        for i, (e, f) in enumerate(zip(examples, fold)):
            if f == k:
                out[i] = (model, score(model, e.clauses, commitment_floor=COMMITMENT_GRID[0]))
    return out  # type: ignore[return-value]


#: Thresholds tried on cross-validation, per decision.
COMMITMENT_GRID = (0.2, 0.3, 0.4, 0.5, 0.6)
LINK_GRID = (0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.2, 0.3, 0.4, 0.5)


#: A threshold no probability reaches: the decision is never taken.
NEVER = 1.01


def _consistent_precision(s: SaydoScore) -> float:
    """Share of pairs called consistent that are gold consistent links (0 when none is called)."""
    called = s.consistent_called
    return s.consistent_right / called if called else 0.0


def rethreshold(model: SaydoModel, ex: Example, scored: Scored, th: dict[str, float]) -> Decision:
    """The decision the same scores give at thresholds ``th``."""
    return apply(model, ex.clauses, scored, thresholds=th)


def choose_thresholds(examples: Sequence[Example], runs: Sequence[tuple[SaydoModel, Scored]], settings: TrainSettings
                      ) -> tuple[dict[str, float], SaydoScore]:
    """Operating points from cross-validated decisions: detector and linker for F1, mismatch for precision."""
    th = {"commitment": 0.5, "outcome": 0.5, "link": 0.5, "xlink": 0.5, "mismatch": 0.5, "consistent": 0.5,
          "max_outcomes": float(settings.max_outcomes)}

    def run(t: dict[str, float]) -> SaydoScore:
        preds = [predicted_of(e, rethreshold(m, e, d, t)) for e, (m, d) in zip(examples, runs)]
        return score_articles([e.gold for e in examples], preds)

    for key, grid, figure in (
        ("commitment", COMMITMENT_GRID, lambda s: s.commitment.f1),
        ("outcome", (0.2, 0.3, 0.4, 0.5, 0.6, 0.7), lambda s: s.outcome.f1),
        ("link", LINK_GRID, lambda s: s.link.f1),
    ):
        th[key] = max(grid, key=lambda v: (figure(run({**th, key: v})), -abs(v - 0.5)))
    links = {v: run({**th, "link": v}).link for v in LINK_GRID}
    if links[th["link"]].precision < settings.min_link_precision:
        ok = [v for v in LINK_GRID if links[v].pred and links[v].precision >= settings.min_link_precision]
        th["link"] = min(ok) if ok else NEVER
    # verdicts: precision first — the lowest threshold whose cross-validated precision reaches the
    # target; where none does, the verdict is never given (NEVER) and the pair stays unverified
    grid = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
    scores = {v: run({**th, "mismatch": v, "consistent": NEVER}) for v in grid}
    ok = [v for v in grid if scores[v].mismatch.pred and scores[v].mismatch.precision >= settings.precision_target]
    th["mismatch"] = min(ok) if ok else NEVER
    # a commitment sure enough to call it overdue when nothing answers it (the promise tracker):
    # the lowest detector threshold whose cross-validated commitment precision reaches the target
    sure_grid = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
    sure = {v: run({**th, "commitment": v}).commitment for v in sure_grid}
    ok = [v for v in sure_grid if sure[v].pred and sure[v].precision >= settings.sure_precision]
    th["commitment_sure"] = min(ok) if ok else NEVER
    cons = {v: run({**th, "consistent": v}) for v in grid}
    ok = [v for v in grid if _consistent_precision(cons[v]) >= settings.precision_target]
    th["consistent"] = min(ok) if ok else NEVER
    th["curves"] = {"mismatch_precision": {str(v): round(scores[v].mismatch.precision, 3) for v in grid},  # type: ignore[assignment]
                    "mismatch_predicted": {str(v): scores[v].mismatch.pred for v in grid},
                    "link_precision": {str(v): round(links[v].precision, 3) for v in LINK_GRID},
                    "commitment_precision": {str(v): round(sure[v].precision, 3) for v in sure_grid},
                    "link_recall": {str(v): round(links[v].recall, 3) for v in LINK_GRID}}
    return th, run(th)
