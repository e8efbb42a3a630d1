"""Said/did decisions: commitments, the clauses that report on them, and a verdict per pair.

Two entry points share one judge:

* :func:`decide` — one text: the detector scores every clause; each clause it calls a commitment
  is paired by the ``linker`` with the clauses of the same text that report on it. No encoder
  is needed: the within-text linker reads the parse, the lexicon, the actors and where the two
  clauses sit (the encoder's cosine added nothing on cross-validation, bench/saydo/README.md).
* :func:`decide_across` — plans of one text against clauses of another (``compare``, a corpus
  index): the ``xlinker`` reads the same features without positions, plus the encoder's cosine.

A pair is decided here, once; callers read the decision and never re-decide it. Probabilities
below the model's thresholds mean silence (no pair) or ``unverified`` (a pair the judge cannot
call).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from quotecheck.pipeline.saydo.features import ClauseInfo, pair_features
from quotecheck.pipeline.saydo.model import SaydoModel

__all__ = ["Decision", "PairDecision", "Scored", "score", "apply", "detect", "decide", "decide_across", "link_dense", "link_sparse", "judge_dense", "judge_features", "candidates"]

#: Pair feature columns the within-text linker and the judge leave out (they need the encoder).
_ENCODER_COLUMNS = (1, 2)


@dataclass(frozen=True)
class PairDecision:
    """A commitment clause, the clause reporting on it, and the judge's call."""

    commitment: int
    outcome: int
    link_p: float
    verdict: str  # consistent | mismatch | unverified
    type: str | None
    p_verdict: float  # probability of the verdict reported (for a mismatch: of any mismatch)


@dataclass(frozen=True)
class Decision:
    """Everything decided about one text (clause indexes into its ClauseInfo list)."""

    detector: np.ndarray  # (clauses × 3): none, commitment, outcome
    commitments: tuple[int, ...]
    outcomes: tuple[int, ...]
    pairs: tuple[PairDecision, ...]
    status: dict[int, str]


def detect(model: SaydoModel, infos: Sequence[ClauseInfo]) -> np.ndarray:
    """Detector probabilities per clause, columns in ``model.detector.classes`` order."""
    if not infos:
        return np.zeros((0, len(model.detector.classes)))
    return model.detector.predict_proba([c.features for c in infos])


def link_dense(plan: ClauseInfo, cand: ClauseInfo, p_plan: np.ndarray, p_cand: np.ndarray, *, cos: float = 0.0,
               head_cos: float = 0.0, same_doc: bool = True) -> list[float]:
    """The linkers' dense input: pair features plus both clauses' detector probabilities.

    Within a text the encoder columns are left out (see :data:`_ENCODER_COLUMNS`)."""
    v = pair_features(plan, cand, cos=cos, head_cos=head_cos, same_doc=same_doc)
    if same_doc:
        v = [x for i, x in enumerate(v) if i not in _ENCODER_COLUMNS]
    return [*v, *map(float, p_plan), *map(float, p_cand)]


#: Feature families of each clause the linkers read as words ("p:" the commitment, "x:" the candidate):
#: the commitment's form says whether anything can have become of it yet ("had planned", "was to
#: have been" versus "will open next year"); the candidate's says what kind of report it is.
_LINK_WORDS = ("tense=", "modal=", "itrig", "aux=", "cls=", "g1=", "g1cls=", "neg", "pass", "nominal", "verbal", "lemma=",
               "rule", "inquote", "qcue=", "subj=", "future_word", "time_near", "ch_det=", "ch=")


def link_sparse(plan: ClauseInfo, cand: ClauseInfo) -> list[str]:
    """The linkers' word features: the commitment's and the candidate's own form, each prefixed."""
    return [f"p:{f}" for f in plan.features if f.startswith(_LINK_WORDS)] + [f"x:{f}" for f in cand.features if f.startswith(_LINK_WORDS)]


def judge_dense(plan: ClauseInfo, cand: ClauseInfo, p_plan: np.ndarray, p_cand: np.ndarray, *, same_doc: bool) -> list[float]:
    """The judge's dense input: the pair features without the encoder's, whichever linker paired them."""
    v = pair_features(plan, cand, cos=0.0, head_cos=0.0, same_doc=same_doc)
    return [*(x for i, x in enumerate(v) if i not in _ENCODER_COLUMNS), *map(float, p_plan), *map(float, p_cand)]


def judge_features(cand: ClauseInfo) -> list[str]:
    """The judge's string features: the outcome clause's own (prefixed), which carry its class and form."""
    return [f"o:{f}" for f in cand.features if not f.startswith(("left=", "g2", "g3"))]


def _overlaps(a: ClauseInfo, b: ClauseInfo) -> bool:
    inter = min(a.end, b.end) - max(a.start, b.start)
    return inter > 0 and inter >= 0.5 * min(a.end - a.start, b.end - b.start)


def candidates(infos: Sequence[ClauseInfo], commitments: Sequence[int]) -> list[tuple[int, int]]:
    """(commitment, clause) rows a within-text linker scores: every other clause that is not a
    commitment itself and does not restate the commitment's own words."""
    plans = set(commitments)
    return [(c, x) for c in commitments for x in range(len(infos)) if x not in plans and not _overlaps(infos[c], infos[x])]


@dataclass(frozen=True)
class Scored:
    """Every probability a decision needs, before any threshold: the detector's per clause, the
    linker's per (commitment, clause) row, the judge's per row the linker does not rule out.
    :func:`apply` turns it into a :class:`Decision` for any thresholds without recomputing."""

    detector: np.ndarray
    rows: tuple[tuple[int, int], ...]
    link: np.ndarray
    judge: dict[int, np.ndarray]
    same_doc: bool = True


#: Rows the linker puts below this probability are never judged (no threshold goes lower).
MIN_LINK = 0.005


def score(model: SaydoModel, infos: Sequence[ClauseInfo], *, detector: np.ndarray | None = None,
          forced_commitments: Sequence[int] | None = None, commitment_floor: float | None = None) -> Scored:
    """The probabilities of :class:`Scored` for one text. Rows are built for every clause the
    detector gives at least ``commitment_floor`` (default: the model's commitment threshold)."""
    det = detect(model, infos) if detector is None else detector
    col = model.detector.classes.index("commitment")
    floor = model.thresholds.get("commitment", 0.5) if commitment_floor is None else commitment_floor
    plans = list(forced_commitments) if forced_commitments is not None else [i for i in range(len(infos)) if det[i, col] >= floor]
    rows = candidates(infos, plans)
    if not rows:
        return Scored(det, (), np.zeros(0), {})
    dense = np.asarray([link_dense(infos[c], infos[x], det[c], det[x]) for c, x in rows], dtype=np.float64)
    p = model.linker.predict_proba([link_sparse(infos[c], infos[x]) for c, x in rows], dense)[:, 1]
    return Scored(det, tuple(rows), p, _judge_rows(model, infos, infos, rows, p, det, det, same_doc=True))


def _judge_rows(model, plans, pool, rows, p, det, pool_det, *, same_doc: bool) -> dict[int, np.ndarray]:
    keep = [n for n in range(len(rows)) if p[n] >= MIN_LINK]
    if not keep:
        return {}
    jd = np.asarray([judge_dense(plans[rows[n][0]], pool[rows[n][1]], det[rows[n][0]], pool_det[rows[n][1]], same_doc=same_doc)
                     for n in keep], dtype=np.float64)
    jp = model.judge.predict_proba([judge_features(pool[rows[n][1]]) for n in keep], jd)
    return dict(zip(keep, jp))


def apply(model: SaydoModel, infos: Sequence[ClauseInfo], scored: Scored, *, thresholds: dict[str, float] | None = None,
          forced_commitments: Sequence[int] | None = None) -> Decision:
    """The decision ``scored`` gives at ``thresholds`` (default: the model's)."""
    th = thresholds or model.thresholds
    det = scored.detector
    col = {c: i for i, c in enumerate(model.detector.classes)}
    if forced_commitments is not None:
        commitments = tuple(forced_commitments)
    else:
        commitments = tuple(i for i in range(len(infos)) if det[i, col["commitment"]] >= th.get("commitment", 0.5))
    plans = set(commitments)
    alone = [i for i in range(len(infos)) if det[i, col["outcome"]] >= th.get("outcome", 0.5) and i not in plans]
    live = [n for n, (c, x) in enumerate(scored.rows) if c in plans and x not in plans]
    pairs = _choose(model, scored, live, th, link_key="link" if scored.same_doc else "xlink")
    return _decision(model, infos, det, commitments, alone, pairs)


def decide(model: SaydoModel, infos: Sequence[ClauseInfo], *, detector: np.ndarray | None = None,
           forced_commitments: Sequence[int] | None = None) -> Decision:
    """Commitments, pairs and verdicts of one text (``forced_commitments`` replaces the detector's).

    A model whose link threshold no probability reaches (its within-text pairs were not precise
    enough to show) scores no pairs at all: the decision is the same and the pairs are most of the cost."""
    if model.thresholds.get("link", 0.5) > 1.0:
        det = detect(model, infos) if detector is None else detector
        return apply(model, infos, Scored(det, (), np.zeros(0), {}), forced_commitments=forced_commitments)
    return apply(model, infos, score(model, infos, detector=detector, forced_commitments=forced_commitments),
                 forced_commitments=forced_commitments)


def decide_across(model: SaydoModel, plans: Sequence[ClauseInfo], plan_det: np.ndarray, others: Sequence[ClauseInfo],
                  other_det: np.ndarray, cos: np.ndarray, head_cos: np.ndarray, *, commitments: Sequence[int] | None = None) -> Decision:
    """Commitments of ``plans`` (a text) paired with clauses of ``others`` (another text).

    ``cos`` and ``head_cos`` are (len(plans) × len(others)) cosines of the clause texts and of
    their head lemmas. Outcome indexes of the returned decision point into ``others``.
    """
    th = model.thresholds
    col = {c: i for i, c in enumerate(model.detector.classes)}
    if commitments is None:
        commitments = [i for i in range(len(plans)) if plan_det[i, col["commitment"]] >= th.get("commitment", 0.5)]
    rows = [(c, x) for c in commitments for x in range(len(others))]
    pairs: list[PairDecision] = []
    if rows:
        dense = np.asarray([link_dense(plans[c], others[x], plan_det[c], other_det[x], cos=float(cos[c, x]),
                                       head_cos=float(head_cos[c, x]), same_doc=False) for c, x in rows], dtype=np.float64)
        p = model.xlinker.predict_proba([link_sparse(plans[c], others[x]) for c, x in rows], dense)[:, 1]
        scored = Scored(plan_det, tuple(rows), p, _judge_rows(model, plans, others, rows, p, plan_det, other_det, same_doc=False), same_doc=False)
        pairs = _choose(model, scored, list(range(len(rows))), th, link_key="xlink")
    return Decision(plan_det, tuple(commitments), tuple(sorted({q.outcome for q in pairs})), tuple(pairs), {})


def _decision(model: SaydoModel, infos, det, commitments, alone, pairs) -> Decision:
    outcomes = sorted(set(alone) | {p.outcome for p in pairs})
    status: dict[int, str] = {}
    if outcomes:
        probs = model.status.predict_proba([infos[i].features for i in outcomes])
        status = {i: model.status.classes[int(np.argmax(p))] for i, p in zip(outcomes, probs)}
    return Decision(det, tuple(commitments), tuple(outcomes), tuple(pairs), status)


def _choose(model: SaydoModel, scored: Scored, live: Sequence[int], th: dict[str, float], *, link_key: str) -> list[PairDecision]:
    """Keep each outcome's best commitment above the link threshold (at most ``max_outcomes`` per
    commitment), then read the judge's probabilities into a verdict."""
    taken: set[int] = set()
    per_commitment: dict[int, int] = {}
    classes = model.judge.classes
    mm = [i for i, k in enumerate(classes) if k.startswith("mismatch:")]
    out: list[PairDecision] = []
    p = scored.link
    for n in sorted(live, key=lambda n: -p[n]):
        c, x = scored.rows[n]
        if p[n] < max(th.get(link_key, 0.5), MIN_LINK):
            break
        if x in taken or per_commitment.get(c, 0) >= int(th.get("max_outcomes", 2)):
            continue  # an outcome answers one commitment: its best
        taken.add(x)
        per_commitment[c] = per_commitment.get(c, 0) + 1
        row = scored.judge[n]
        p_mm = float(row[mm].sum())
        p_cons = float(row[classes.index("consistent")])
        mismatch_ok, consistent_ok = p_mm >= th.get("mismatch", 0.5), p_cons >= th.get("consistent", 0.5)
        if mismatch_ok and (p_mm >= p_cons or not consistent_ok):  # of the verdicts past their thresholds, the likelier
            out.append(PairDecision(c, x, float(p[n]), "mismatch", classes[mm[int(np.argmax(row[mm]))]].split(":", 1)[1], p_mm))
        elif consistent_ok:
            out.append(PairDecision(c, x, float(p[n]), "consistent", None, p_cons))
        else:
            out.append(PairDecision(c, x, float(p[n]), "unverified", None, max(0.0, 1.0 - p_mm - p_cons)))
    return sorted(out, key=lambda d: (d.commitment, d.outcome))
