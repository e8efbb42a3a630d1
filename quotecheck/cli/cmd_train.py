"""``quotecheck train DIR --output MODEL``: train a quote attribution model on a brat folder.

DIR holds ``text/<article>.txt`` and ``attributions/<article>.ann`` (PolNeAR's layout, which
``quotecheck quotes --format brat`` also writes). The model folder can then be used with
``--quote-model MODEL`` or ``QUOTECHECK_QUOTE_MODEL=MODEL``.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``train`` sub-command to the main parser's sub-parsers."""
    from quotecheck.train.crf import DEFAULT_PARAMS as d

    p = subparsers.add_parser(
        "train",
        help="train a quote attribution model on brat-annotated articles",
        description="Train the CRF quote tagger on DIR (text/ + attributions/ in brat standoff) and write MODEL. "
        "Confidence calibration and cross-validation figures come from --calibration-folds folds.",
        epilog="example: quotecheck train my-brat-folder/ --output my-quote-model/",
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
    p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="no notes on stderr")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from quotecheck.train.crf import TrainParams
    from quotecheck.train.run import train_folder

    def note(message: str) -> None:
        if not getattr(args, "quiet", False):
            print(f"train: {message}", file=sys.stderr)

    params = TrainParams(c1=args.c1, c2=args.c2, iterations=args.iterations, min_freq=args.min_freq)
    folder = train_folder(args.dir, args.output, params=params, seed=args.seed, calibration_folds=args.calibration_folds,
                          calibration_runs=args.calibration_runs, note=note)
    note(f"wrote {folder}")
    return 0
