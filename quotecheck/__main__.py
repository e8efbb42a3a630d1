"""``python -m quotecheck``: the same as the ``quotecheck`` command."""

import sys

from quotecheck.cli import main

sys.exit(main())
