"""Said/did models on the frozen test split: end to end, cross-domain, and the learning curve.

Usage: ``HF_HUB_OFFLINE=1 .venv/bin/python bench/saydo/bench_models.py [--model DIR] [--no-curve] [--no-cross]``

* **test split** — the shipped model (or ``--model``) on ``annotations/saydo/test.jsonl``: the
  articles the frozen rule put aside before anything was fitted, never read while developing.
  quotecheck finds everything itself (the same prepare → clauses → decide path as ``analyze``).
  Figures per corpus and pooled: commitment / outcome detection P R F1, pairing (link) P R F1,
  mismatch P R F1, consistent recognised, verdict accuracy on found pairs.
* **cross-domain** — a model fitted on one corpus' training articles only, scored on the other
  corpus' test articles (thresholds of the shipped model: no tuning on the other domain).
* **learning curve** — models fitted on 25 / 50 / 100 % of the training articles (seeded sample,
  thresholds of the shipped model), scored on the whole test split.

Writes the ``"saydo_models"`` section of ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
ANN = ROOT / "annotations" / "saydo"
RESULTS = ROOT / "bench" / "results.json"

from quotecheck.eval.saydo import score_articles  # noqa: E402
from quotecheck.pipeline.saydo.decide import decide  # noqa: E402
from quotecheck.pipeline.saydo.model import SaydoModel, default_saydo_model_path  # noqa: E402
from quotecheck.train.annotations import read_annotations  # noqa: E402
from quotecheck.train.saydo import TrainSettings, fit, predicted_of  # noqa: E402
from quotecheck.train.saydo_data import build_examples  # noqa: E402
from quotecheck.train.saydo_run import EncoderVectors  # noqa: E402


def evaluate(model: SaydoModel, examples) -> dict:
    """End-to-end figures of ``model`` on ``examples`` (per corpus and pooled)."""
    out = {}
    groups = {"pooled": examples}
    for corpus in sorted({e.gold.corpus for e in examples}):
        groups[corpus] = [e for e in examples if e.gold.corpus == corpus]
    for name, group in groups.items():
        preds = [predicted_of(e, decide(model, e.clauses)) for e in group]
        out[name] = score_articles([e.gold for e in group], preds).figures()
    return out


def _refit(train, base: SaydoModel, settings: TrainSettings, vectors) -> SaydoModel:
    m = fit(train, settings, vectors, thresholds=dict(base.thresholds))
    return m


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=default_saydo_model_path())
    ap.add_argument("--no-curve", action="store_true")
    ap.add_argument("--no-cross", action="store_true")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    t0 = time.time()
    model = SaydoModel.load(args.model)
    test = build_examples(read_annotations(ANN / "test.jsonl", DATA))
    section: dict = {"model": str(args.model.relative_to(ROOT)) if args.model.is_relative_to(ROOT) else str(args.model),
                     "test_articles": len(test), "test_split": evaluate(model, test)}
    print(json.dumps({"test_split": section["test_split"]["pooled"]}, indent=1), file=sys.stderr)
    settings = TrainSettings(**model.record.get("settings", {})) if model.record.get("settings") else TrainSettings.load()
    if not (args.no_cross and args.no_curve):
        train = build_examples(read_annotations(ANN / "train.jsonl", DATA))
        vectors = EncoderVectors()
    if not args.no_cross:
        cross = {}
        for source, target in (("polnear-train", "bbc-news"), ("bbc-news", "polnear-train")):
            m = _refit([e for e in train if e.gold.corpus == source], model, settings, vectors)
            cross[f"trained on {source}, scored on {target}"] = evaluate(m, [e for e in test if e.gold.corpus == target])["pooled"]
            cross[f"trained on {target}, scored on {target} (same domain, for comparison)"] = evaluate(
                _refit([e for e in train if e.gold.corpus == target], model, settings, vectors), [e for e in test if e.gold.corpus == target])["pooled"]
        section["cross_domain"] = cross
    if not args.no_curve:
        curve = {}
        order = list(train)
        random.Random(settings.seed).shuffle(order)
        for share in (0.25, 0.5, 1.0):
            part = order[: max(2, int(share * len(order)))]
            curve[f"{int(share * 100)}%"] = {"articles": len(part), **{k: v for k, v in evaluate(_refit(part, model, settings, vectors), test)["pooled"].items()
                                                                    if k in ("commitment", "outcome", "link", "mismatch", "pairing_recall")}}
        section["learning_curve"] = curve
    section["seconds"] = round(time.time() - t0, 1)
    if not args.no_write:
        results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        results["saydo_models"] = section
        RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    print(json.dumps(section, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
