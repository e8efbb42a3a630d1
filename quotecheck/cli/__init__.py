"""The ``quotecheck`` command: parsing, rendering and exit codes (the only code that prints).

Exit status: 0 success; 1 findings matched ``--fail-on`` (or, for ``regress``, a case failed);
2 bad input or usage (a malformed fixture too); 3 internal error (traceback only with ``--debug``).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from quotecheck.errors import QuotecheckError

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors print one line and exit 2 like every other user mistake."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"quotecheck: error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    from quotecheck import __version__
    from quotecheck.cli import commands

    parser = _Parser(
        prog="quotecheck", description="Who said what in news text, and did they do what they said? "
        "Every command explains itself with an example: quotecheck COMMAND --help.",
        epilog="example:\n  quotecheck check articles/ --fail-on mismatch", formatter_class=commands.ExamplesHelp,
    )
    parser.add_argument("--version", action="version", version=f"quotecheck {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no notes on stderr; errors still show")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.register(sub)
    from quotecheck.cli import cmd_regress

    cmd_regress.register(sub)
    from quotecheck.cli import cmd_batch

    cmd_batch.register(sub)
    from quotecheck.cli import cmd_train

    cmd_train.register(sub)
    from quotecheck.cli import cmd_promises

    cmd_promises.register(sub)
    try:
        from quotecheck.cli import cmd_eval
    except ImportError:  # pragma: no cover - shipped with the package
        pass
    else:
        cmd_eval.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    for i, word in enumerate(argv):
        if not word.startswith("-"):
            if word == "train" and argv[i + 1 : i + 2] == ["saydo"]:
                argv[i : i + 2] = ["train-saydo"]  # `quotecheck train saydo …` is its own command
            break
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if getattr(args, "spacy_model", None):
        from quotecheck.nlp import SPACY_MODEL_ENV

        os.environ[SPACY_MODEL_ENV] = args.spacy_model  # one setting for this run and its worker processes
    if getattr(args, "saydo_model", None):
        from quotecheck.pipeline.saydo.model import SAYDO_MODEL_ENV

        os.environ[SAYDO_MODEL_ENV] = args.saydo_model  # likewise
    try:
        return int(args.handler(args) or 0)
    except QuotecheckError as err:
        print(f"quotecheck: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("quotecheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as err:  # noqa: BLE001 - the one place that turns crashes into exit 3
        if args.debug:
            traceback.print_exc()
        print(f"quotecheck: internal error, please report: {type(err).__name__}: {err}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
