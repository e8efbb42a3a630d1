"""``quotecheck train saydo``: read annotations, cross-validate, choose thresholds, fit, write the model.

The frozen test split is data (``annotations/saydo/selection.json``): given as ``holdout``, its
test names are refused (E166) rather than silently dropped, so a model can never be trained on
the articles that judge it. The model card records the settings, the data (names and hashes),
the command, the seed and the cross-validated (development) figures.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import numpy as np

from quotecheck.errors import Errors, InputError
from quotecheck.pipeline.saydo.model import SaydoModel
from quotecheck.train.annotations import ArticleAnnotation, read_annotations
from quotecheck.train.saydo import NEVER, TrainSettings, choose_thresholds, cross_validate, fit, folds_of
from quotecheck.train.saydo_data import Example, build_examples

__all__ = ["train_saydo", "read_training_articles", "holdout_names", "EncoderVectors"]


def holdout_names(path: Path | None) -> set[str]:
    """The ``corpus/file`` names of the frozen test split in a selection file (empty without one)."""
    if path is None:
        return set()
    sel = json.loads(path.read_text(encoding="utf-8"))
    return {f"{a['corpus']}/{a['file']}" for a in sel.get("articles", ()) if a.get("split") == "test"}


def read_training_articles(annotations: Sequence[Path], texts: Path, *, holdout: set[str]) -> list[ArticleAnnotation]:
    """Every annotated article of ``annotations``; refuses one of the held-out test split (E166)."""
    arts: list[ArticleAnnotation] = []
    for path in annotations:
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        for f in files:
            arts += read_annotations(f, texts)
    bad = sorted(a.name for a in arts if a.name in holdout)
    if bad:
        raise InputError(Errors.E166.format(n=len(bad), first=bad[0]))
    if not arts:
        raise InputError(Errors.E167.format(path=", ".join(map(str, annotations))))
    return arts


class EncoderVectors:
    """Texts → unit vectors with the packaged (or given) sentence encoder, each distinct text once."""

    def __init__(self, encoder=None) -> None:
        self.encoder = encoder
        self.cache: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            if self.encoder is None:
                from quotecheck.config import default_model_path
                from quotecheck.embed import SentenceTransformerEncoder

                self.encoder = SentenceTransformerEncoder(default_model_path(), batch_size=128)
            for t, v in zip(missing, self.encoder.encode(list(missing))):
                self.cache[t] = np.asarray(v, dtype=np.float32)
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 1), np.float32)


def _choose_xlink(examples: Sequence[Example], settings: TrainSettings, vectors) -> float:
    """The cross-text link threshold: the best pair F1 of each commitment's top candidate, out of fold."""
    from quotecheck.train.saydo import _oof_detector, _pairs, fit_head

    oof = _oof_detector(examples, settings)
    groups = []
    for ex, det in zip(examples, oof):
        rows = _pairs(ex, det, vectors)
        if rows:
            groups.append([(a, label, sparse) for _, a, label, _, _, sparse in rows])
    fold = folds_of(groups, settings.folds, settings.seed) if len(groups) >= settings.folds else [0] * len(groups)
    scores, labels = [], []
    for k in sorted(set(fold)):
        train = [r for g, f in zip(groups, fold) if f != k for r in g]
        if not train or len({lab for _, lab, _ in train}) < 2:
            continue
        head = fit_head([w for _, _, w in train], np.asarray([a for a, _, _ in train]), ["link" if lab else "no" for _, lab, _ in train],
                        c=settings.c_linker, settings=settings, classes=("no", "link"))
        for g, f in zip(groups, fold):
            if f == k:
                p = head.predict_proba([w for _, _, w in g], np.asarray([a for a, _, _ in g]))[:, 1]
                scores += list(p)
                labels += [lab for _, lab, _ in g]
    if not scores:
        return 0.5
    s, y = np.asarray(scores), np.asarray(labels)
    best, best_f1 = NEVER, -1.0
    for t in (0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.2, 0.3, 0.5):
        pred = float((s >= t).sum())
        tp = float(((s >= t) & y).sum())
        f1 = 2 * tp / max(1.0, pred + float(y.sum()))
        if pred and tp / pred >= settings.min_link_precision and f1 > best_f1:
            best, best_f1 = t, f1  # pairs of gold commitments: an upper bound on the precision end to end
    return best


def _digest(arts: Sequence[ArticleAnnotation]) -> str:
    h = hashlib.sha256()
    for a in sorted(arts, key=lambda a: a.name):
        h.update(f"{a.name}\t{a.sha256}\n".encode())
    return h.hexdigest()


def train_saydo(articles: Sequence[ArticleAnnotation], output: Path, *, settings: TrainSettings, command: str = "",
                vectors=None, note: Callable[[str], None] | None = None, spacy_model: str | None = None) -> SaydoModel:
    """Cross-validate, choose thresholds, fit on every article and write the model folder."""
    say = note or (lambda m: None)
    t0 = time.time()
    examples = build_examples(list(articles), spacy_model=spacy_model)
    say(f"{len(examples)} articles parsed, {sum(len(e.clauses) for e in examples)} clauses, "
        f"{sum(len(e.links) for e in examples)} linked pairs ({time.time() - t0:.0f}s)")
    vectors = vectors or EncoderVectors()
    runs = cross_validate(examples, settings, None)
    thresholds, score = choose_thresholds(examples, runs, settings)
    curves = thresholds.pop("curves", {})
    thresholds["xlink"] = _choose_xlink(examples, settings, vectors)
    say(f"cross-validated ({time.time() - t0:.0f}s): thresholds {thresholds}")
    model = fit(examples, settings, vectors, thresholds=thresholds)
    model.record = {
        "trained": date.today().isoformat(), "command": command, "settings": settings.model_dump(),
        "data": {"articles": len(examples), "corpora": sorted({a.corpus for a in articles}), "sha256_of_names_and_hashes": _digest(articles),
                 "commitments": sum(len(a.commitments) for a in articles), "outcomes": sum(len(a.outcomes) for a in articles),
                 "links": sum(len(a.links) for a in articles)},
        "cross_validation": {"folds": settings.folds, "figures": score.figures(), "curves": curves,
                             "note": "development figures (the training articles, by fold)"},
    }
    model.save(output)
    _write_card(output, model)
    say(f"wrote {output} ({time.time() - t0:.0f}s)")
    return model


def _write_card(output: Path, model: SaydoModel) -> None:
    r = model.record
    f = r["cross_validation"]["figures"]
    lines = [
        "# said/did model card", "",
        "Five logistic heads (detector, outcome status, within-text linker, cross-text linker, judge) over the",
        "parse, the lexicon (`lexicon/predicates.tsv`), the event layer's rules as features, actors, positions",
        "and, across texts only, the packaged MiniLM cosine. Inference needs numpy only (`meta.json` +",
        "`weights.npz`, no pickle).", "",
        f"- trained: {r['trained']}; command: `{r['command']}`",
        f"- data: {r['data']['articles']} annotated articles ({', '.join(r['data']['corpora'])}): "
        f"{r['data']['commitments']} commitments, {r['data']['outcomes']} outcomes, {r['data']['links']} links "
        f"(annotations/saydo, guideline docs/annotation.md); names+hashes sha256 {r['data']['sha256_of_names_and_hashes'][:16]}…",
        f"- settings: {json.dumps(r['settings'], sort_keys=True)}",
        f"- thresholds (chosen on cross-validation): {json.dumps(model.thresholds, sort_keys=True)}", "",
        f"Cross-validated on the training articles ({r['cross_validation']['folds']} folds; development figures):",
        f"commitment P/R/F1 {f['commitment']['p']}/{f['commitment']['r']}/{f['commitment']['f1']}, "
        f"outcome {f['outcome']['p']}/{f['outcome']['r']}/{f['outcome']['f1']}, "
        f"pairing recall {f['pairing_recall']}, link precision {f['link']['p']}, "
        f"mismatch P/R/F1 {f['mismatch']['p']}/{f['mismatch']['r']}/{f['mismatch']['f1']}.", "",
        "The frozen test split, saydo-dev and the cross-domain figures are in `bench/results.json` (`make bench`).", "",
    ]
    (output / "MODEL_CARD.md").write_text("\n".join(lines), encoding="utf-8")


def main_note(message: str) -> None:  # pragma: no cover - used by the CLI
    print(f"train saydo: {message}", file=sys.stderr)
