"""Evaluation of attribution extraction on PolNeAR-style brat data.

:func:`evaluate_polnear` scores predictions (a ``predict(text)`` function or a folder of ``.ann``
files) against gold and returns a frozen :class:`PolnearReport`; it never prints. The matching
rules are those of the reference scorer ``shared/tools/polnear_eval.py`` (re-implemented here,
and checked to agree with it on every figure). Three modules:

* :mod:`~quotecheck.eval.gold` — corpus files, span keys, attributions, content types;
* :mod:`~quotecheck.eval.scoring` — typed counts per article (``PRFCount`` with tp/fp/fn) and the
  one-to-one overlap matching;
* :mod:`~quotecheck.eval.report` — the report models, built from summed counts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from quotecheck.errors import Errors, InputError
from quotecheck.eval.gold import Article, article_from_ann, article_from_quotes, build_article, content_type, gold_files, read_utf8
from quotecheck.eval.report import (
    PRF,
    AttributionLevel,
    AttributionScores,
    ContentTypeCounts,
    PolnearReport,
    RecallByType,
    Roles,
    RoleScores,
    TypeRecall,
    report_of,
)
from quotecheck.eval.scoring import OVERLAP, ArticleCounts, PRFCount, score_article

if TYPE_CHECKING:
    from quotecheck.models import Quote

__all__ = [
    "PRF",
    "PRFCount",
    "RoleScores",
    "Roles",
    "AttributionLevel",
    "AttributionScores",
    "TypeRecall",
    "RecallByType",
    "ContentTypeCounts",
    "PolnearReport",
    "evaluate_polnear",
    "default_predictor",
    "content_type",
    "OVERLAP",
]


def default_predictor() -> Callable[[str], tuple[Quote, ...]]:
    """The project's extractor as ``text → quotes`` (``quotecheck.extract_quotes``)."""
    import quotecheck

    return lambda text: quotecheck.extract_quotes(text).quotes


def evaluate_polnear(
    gold_dir: str | Path,
    *,
    predict: Callable[[str], tuple[Quote, ...]] | None = None,
    pred_dir: str | Path | None = None,
    overlap: float = OVERLAP,
) -> PolnearReport:
    """Score predictions against the PolNeAR-style gold in ``gold_dir``.

    Predictions come from ``pred_dir/<article>.ann`` when ``pred_dir`` is given (a missing file
    means no predictions; malformed lines are skipped and counted), else from ``predict(text)``,
    else from :func:`default_predictor`.
    """
    gold_dir = Path(gold_dir)
    files = gold_files(gold_dir)
    if pred_dir is not None:
        pred_dir = Path(pred_dir)
        if not pred_dir.is_dir():
            raise InputError(Errors.E052.format(path=pred_dir), path=str(pred_dir))
    elif predict is None:
        predict = default_predictor()
    total = ArticleCounts()
    missing = pred_issues = gold_issues = 0
    for article, text_path, ann_path in files:
        text = read_utf8(text_path)
        gold = article_from_ann(read_utf8(ann_path), text, str(ann_path)) if ann_path is not None else build_article([], [], text, 0)
        gold_issues += gold.issues
        pred: Article
        if pred_dir is not None:
            path = pred_dir / f"{article}.ann"
            if path.exists():
                pred = article_from_ann(read_utf8(path), text, str(path))
            else:
                missing += 1
                pred = build_article([], [], text, 0)
        else:
            pred = article_from_quotes(predict(text), text)  # type: ignore[misc]
        pred_issues += pred.issues
        total = total + score_article(gold, pred, text, overlap)
    return report_of(total, len(files), overlap, missing, pred_issues, gold_issues)
