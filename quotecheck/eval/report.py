"""The evaluation report: frozen pydantic models of every figure, built from summed counts.

Rates are derived once here from :class:`~quotecheck.eval.scoring.ArticleCounts`; the report
never prints (``cli/cmd_eval.py`` formats it).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from quotecheck.eval.gold import CONTENT_TYPES
from quotecheck.eval.scoring import ArticleCounts, PRFCount, RoleCounts
from quotecheck.io.brat import ROLES

__all__ = ["PRF", "RoleScores", "Roles", "AttributionLevel", "AttributionScores", "TypeRecall", "RecallByType",
           "ContentTypeCounts", "PolnearReport", "report_of"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PRF(_Frozen):
    """Counts and set precision/recall/F1 of one comparison."""

    gold: int = Field(ge=0)
    pred: int = Field(ge=0)
    tp: int = Field(ge=0)
    precision: float = Field(ge=0, le=1)
    recall: float = Field(ge=0, le=1)
    f1: float = Field(ge=0, le=1)

    @classmethod
    def of(cls, tp: int, pred: int, gold: int) -> PRF:
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return cls(gold=gold, pred=pred, tp=tp, precision=p, recall=r, f1=f)


class RoleScores(_Frozen):
    """One role under exact and overlap match."""

    exact: PRF
    overlap: PRF


class Roles(_Frozen):
    source: RoleScores
    cue: RoleScores
    content: RoleScores


class AttributionLevel(_Frozen):
    tp: int = Field(ge=0)
    precision: float = Field(ge=0, le=1)
    recall: float = Field(ge=0, le=1)
    f1: float = Field(ge=0, le=1)


class AttributionScores(_Frozen):
    """Attributions paired by content overlap, with source and cue checked on the pairs."""

    gold: int = Field(ge=0)
    pred: int = Field(ge=0)
    content: AttributionLevel
    content_source: AttributionLevel
    content_source_cue: AttributionLevel
    content_source_any: AttributionLevel = Field(description="Sources need only share a character.")
    matched_pairs: int = Field(ge=0)
    source_accuracy: float = Field(ge=0, le=1)
    cue_accuracy: float = Field(ge=0, le=1)
    source_accuracy_any_overlap: float = Field(ge=0, le=1)
    source_accuracy_gold_has_source: float = Field(ge=0, le=1)
    matched_gold_has_source: int = Field(ge=0)
    matched_gold_has_source_pred_none: int = Field(ge=0)
    source_accuracy_gold_no_source: float = Field(ge=0, le=1)
    matched_gold_no_source: int = Field(ge=0)


class TypeRecall(_Frozen):
    """Recall on the gold contents of one type (direct, mixed or indirect)."""

    gold_content_units: int = Field(ge=0)
    content_exact_recall: float = Field(ge=0, le=1)
    content_overlap_recall: float = Field(ge=0, le=1)
    gold_attributions: int = Field(ge=0)
    attribution_recall: float = Field(ge=0, le=1)
    attribution_source_recall: float = Field(ge=0, le=1)
    attribution_source_cue_recall: float = Field(ge=0, le=1)


class RecallByType(_Frozen):
    direct: TypeRecall
    mixed: TypeRecall
    indirect: TypeRecall


class ContentTypeCounts(_Frozen):
    """How many predicted content units are direct, mixed and indirect."""

    direct: int = Field(ge=0)
    mixed: int = Field(ge=0)
    indirect: int = Field(ge=0)


class PolnearReport(_Frozen):
    """Every figure of one evaluation run."""

    n_articles: int = Field(ge=0)
    overlap_threshold: float = Field(ge=0, le=1)
    roles: Roles
    attribution: AttributionScores
    recall_by_type: RecallByType
    pred_content_types: ContentTypeCounts
    pred_files_missing: int = Field(default=0, ge=0)
    pred_issues: int = Field(default=0, ge=0, description="Prediction lines skipped as malformed.")
    gold_issues: int = Field(default=0, ge=0)

    def figures(self) -> dict[str, float]:
        """Flat ``name → value`` view of every score (for tables, benchmarks and comparisons)."""
        out: dict[str, float] = {}
        for role in ROLES:
            scores: RoleScores = getattr(self.roles, role)
            for mode in ("exact", "overlap"):
                prf: PRF = getattr(scores, mode)
                for k in ("precision", "recall", "f1"):
                    out[f"{role}.{mode}.{k}"] = getattr(prf, k)
        a = self.attribution
        for level in ("content", "content_source", "content_source_cue", "content_source_any"):
            lv: AttributionLevel = getattr(a, level)
            for k in ("precision", "recall", "f1"):
                out[f"attribution.{level}.{k}"] = getattr(lv, k)
        for k in ("source_accuracy", "cue_accuracy", "source_accuracy_any_overlap",
                  "source_accuracy_gold_has_source", "source_accuracy_gold_no_source"):
            out[f"attribution.{k}"] = getattr(a, k)
        for ty in CONTENT_TYPES:
            tr: TypeRecall = getattr(self.recall_by_type, ty)
            for k in ("content_exact_recall", "content_overlap_recall", "attribution_recall",
                      "attribution_source_recall", "attribution_source_cue_recall"):
                out[f"recall_by_type.{ty}.{k}"] = getattr(tr, k)
        return out



def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _prf(c: PRFCount) -> PRF:
    return PRF(gold=c.gold, pred=c.pred, tp=c.tp, precision=c.precision, recall=c.recall, f1=c.f1)


def _level(c: PRFCount) -> AttributionLevel:
    return AttributionLevel(tp=c.tp, precision=c.precision, recall=c.recall, f1=c.f1)


def _role(c: RoleCounts) -> RoleScores:
    return RoleScores(exact=_prf(c.exact), overlap=_prf(c.overlap))


def report_of(c: ArticleCounts, n_articles: int, t: float, missing: int, pred_issues: int, gold_issues: int) -> PolnearReport:
    """Every figure of an evaluation from its summed counts."""
    a = c.attribution
    tp = a.content.tp
    attribution = AttributionScores(
        gold=a.content.gold,
        pred=a.content.pred,
        content=_level(a.content),
        content_source=_level(a.content_source),
        content_source_cue=_level(a.content_source_cue),
        content_source_any=_level(a.content_source_any),
        matched_pairs=tp,
        source_accuracy=_ratio(a.content_source.tp, tp),
        cue_accuracy=_ratio(a.cue_ok, tp),
        source_accuracy_any_overlap=_ratio(a.content_source_any.tp, tp),
        source_accuracy_gold_has_source=_ratio(a.gold_source_ok, a.gold_source),
        matched_gold_has_source=a.gold_source,
        matched_gold_has_source_pred_none=a.gold_source_pred_none,
        source_accuracy_gold_no_source=_ratio(a.gold_no_source_ok, a.gold_no_source),
        matched_gold_no_source=a.gold_no_source,
    )
    by_type = {}
    for ty in CONTENT_TYPES:
        x = getattr(c, ty)
        by_type[ty] = TypeRecall(
            gold_content_units=x.units,
            content_exact_recall=_ratio(x.exact, x.units),
            content_overlap_recall=_ratio(x.overlap, x.units),
            gold_attributions=x.attributions,
            attribution_recall=_ratio(x.attribution_tp, x.attributions),
            attribution_source_recall=_ratio(x.attribution_source, x.attributions),
            attribution_source_cue_recall=_ratio(x.attribution_source_cue, x.attributions),
        )
    return PolnearReport(
        n_articles=n_articles,
        overlap_threshold=t,
        roles=Roles(source=_role(c.source), cue=_role(c.cue), content=_role(c.content)),
        attribution=attribution,
        recall_by_type=RecallByType(**by_type),
        pred_content_types=ContentTypeCounts(**{ty: getattr(c, ty).predicted_units for ty in CONTENT_TYPES}),
        pred_files_missing=missing,
        pred_issues=pred_issues,
        gold_issues=gold_issues,
    )
