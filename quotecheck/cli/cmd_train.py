"""``quotecheck train DIR --output MODEL`` and ``quotecheck train saydo ANNOTATIONS --output MODEL``.

The first trains a quote attribution model on a brat folder: DIR holds ``text/<article>.txt``
and ``attributions/<article>.ann`` (PolNeAR's layout, which ``quotecheck quotes --format brat``
also writes); use it with ``--quote-model MODEL``. The second trains the said/did model on
annotated articles (docs/annotation.md): JSON Lines of offsets and hashes, the texts read from
``--texts ROOT/<corpus>/text/<file>``; use it with ``--saydo-model MODEL``.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``train`` sub-command to the main parser's sub-parsers."""
    from quotecheck.cli.commands import ExamplesHelp
    from quotecheck.train.params import DEFAULT_PARAMS as d
    from quotecheck.train.params import FineTuneParams

    f = FineTuneParams()

    p = subparsers.add_parser(
        "train",
        help="train a quote model (train DIR) or the said/did model (train saydo ANNOTATIONS)",
        description="Train the CRF quote tagger on DIR (text/ + attributions/ in brat standoff) and write MODEL. "
        "Confidence calibration and cross-validation figures come from --calibration-folds folds. "
        "`quotecheck train saydo ANNOTATIONS --texts ROOT --output MODEL` trains the said/did model instead "
        "(see `quotecheck train saydo --help`).",
        epilog="example:\n  quotecheck train my-brat-folder/ --output my-quote-model/\n"
        "  quotecheck train my-brat-folder/ --contextual --calibration-runs 1 --output my-contextual-model/",
        formatter_class=ExamplesHelp,
    )
    p.add_argument("dir", metavar="DIR", help="folder holding text/ and attributions/")
    p.add_argument("--output", metavar="MODEL", required=True, help="model folder to write (model.crfsuite + meta.json)")
    p.add_argument("--seed", type=int, default=0, help="seed of the fold assignment (default 0)")
    p.add_argument("--calibration-folds", type=int, default=3, metavar="K",
                   help="folds for calibration and cross-validation figures; 0 skips both (default 3)")
    p.add_argument("--calibration-runs", type=int, default=None, metavar="N",
                   help="hold out only the first N of the K folds (each is a full training; default all K)")
    p.add_argument("--c1", type=float, default=d.c1, help=f"L1 regularisation (default {d.c1})")
    p.add_argument("--c2", type=float, default=d.c2, help=f"L2 regularisation (default {d.c2})")
    p.add_argument("--iterations", type=int, default=d.iterations, help=f"L-BFGS iterations (default {d.iterations})")
    p.add_argument("--min-freq", type=int, default=d.min_freq, help=f"drop features seen fewer times (default {d.min_freq})")
    c = p.add_argument_group("contextual model (--contextual: the CRF mixed with a fine-tuned MiniLM, read with --quote-model MODEL)")
    c.add_argument("--contextual", action="store_true",
                   help="also fine-tune the packaged MiniLM as a token classifier (~16 min per 650 articles on 2 cores, per fold)")
    c.add_argument("--epochs", type=float, default=f.epochs, help=f"fine-tuning epochs (default {f.epochs})")
    c.add_argument("--freeze", type=int, default=f.freeze, choices=range(0, 6), metavar="K",
                   help=f"lower MiniLM layers kept frozen (default {f.freeze})")
    c.add_argument("--mix", type=float, default=f.weight, metavar="W",
                   help=f"the classifier's share when mixed with the CRF, 0-1 (default {f.weight})")
    p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no notes on stderr")
    p.set_defaults(handler=run)
    s = subparsers.add_parser(
        "train-saydo",
        help=argparse.SUPPRESS,
        prog="quotecheck train saydo",
        description="Train the said/did model (detector, status, linkers, judge) on annotated articles: cross-validate "
        "by article, choose the thresholds (mismatch precision first), fit on every article, write MODEL with a model card.",
        epilog="example:\n  quotecheck train saydo annotations/saydo/train.jsonl --texts ../shared/data \\\n"
        "      --holdout annotations/saydo/selection.json --output my-saydo-model/", formatter_class=ExamplesHelp,
    )
    s.add_argument("annotations", metavar="ANNOTATIONS", nargs="+", help="JSON Lines of annotated articles (or folders of them)")
    s.add_argument("--texts", metavar="ROOT", required=True, help="folder holding <corpus>/text/<file> for every annotated article")
    s.add_argument("--output", metavar="MODEL", required=True, help="model folder to write (meta.json, weights.npz, MODEL_CARD.md)")
    s.add_argument("--holdout", metavar="SELECTION", help="selection file whose test split must not be trained on (refused, E166)")
    s.add_argument("--seed", type=int, default=None, help="seed of the folds (default: the settings file's)")
    s.add_argument("--folds", type=int, default=None, help="cross-validation folds (default: the settings file's)")
    s.add_argument("--settings", metavar="FILE", help="training settings (JSON; default: the shipped saydo_settings.json)")
    s.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no notes on stderr")
    s.set_defaults(handler=run_saydo)


def run_saydo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from quotecheck.errors import Errors, InputError
    from quotecheck.train.saydo import TrainSettings
    from quotecheck.train.saydo_run import holdout_names, read_training_articles, train_saydo

    def note(message: str) -> None:
        if not getattr(args, "quiet", False):
            print(f"train saydo: {message}", file=sys.stderr)

    paths = [Path(a) for a in args.annotations]
    for path in paths:
        if not path.exists():
            raise InputError(Errors.E010.format(path=path))
    if not Path(args.texts).is_dir():
        raise InputError(Errors.E010.format(path=args.texts))
    out = Path(args.output)
    if out.exists() and any(out.iterdir()) and not (out / "meta.json").exists():
        raise InputError(Errors.E125.format(path=out, reason="it is a folder that holds something other than a said/did model"))
    try:
        settings = TrainSettings.load(Path(args.settings) if args.settings else None, seed=args.seed, folds=args.folds)
    except (OSError, ValueError) as err:
        raise InputError(Errors.E040.format(path=args.settings or "settings", reason=str(err).splitlines()[0])) from err
    articles = read_training_articles(paths, Path(args.texts), holdout=holdout_names(Path(args.holdout) if args.holdout else None))
    note(f"{len(articles)} annotated articles")
    command = "quotecheck train saydo " + " ".join(map(str, args.annotations)) + f" --texts {args.texts} --output {args.output}"
    if args.holdout:
        command += f" --holdout {args.holdout}"
    train_saydo(articles, out, settings=settings, command=command, note=note)
    return 0


def run(args: argparse.Namespace) -> int:
    from quotecheck.train.crf import TrainParams
    from quotecheck.train.run import train_folder

    def note(message: str) -> None:
        if not getattr(args, "quiet", False):
            print(f"train: {message}", file=sys.stderr)

    params = TrainParams(c1=args.c1, c2=args.c2, iterations=args.iterations, min_freq=args.min_freq)
    contextual = None
    if args.contextual:
        from quotecheck.errors import Errors, InputError
        from quotecheck.train.classifier import FineTuneParams

        if not (0.0 <= args.mix <= 1.0 and args.epochs > 0):
            raise InputError(Errors.E128.format(mix=args.mix, epochs=args.epochs))
        contextual = FineTuneParams(epochs=args.epochs, freeze=args.freeze, weight=args.mix)
    folder = train_folder(args.dir, args.output, params=params, seed=args.seed, calibration_folds=args.calibration_folds,
                          calibration_runs=args.calibration_runs, contextual=contextual, note=note)
    note(f"wrote {folder}")
    return 0
