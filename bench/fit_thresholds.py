"""Choose the two judge thresholds on the labelled development cases in fixtures/saydo.

Grid search over ``Config.pair_min_similarity`` (the event-similarity gate) and
``Config.target_max_similarity`` (below it two targets differ). The objective is mismatch F1 plus
pairing recall, minus 0.05 for every must-not-pair case that gets a finding. Prints the table and
the best pair; the defaults in ``quotecheck/config.py`` are set from this run (see
docs/architecture.md). The real-news set ``../shared/data/saydo-dev`` is NOT used here, so its
figures in bench/results.json stay an honest check.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_saydo import score_fixtures  # noqa: E402
from quotecheck import Checker, Config  # noqa: E402
from quotecheck.embed import SentenceTransformerEncoder  # noqa: E402
from quotecheck.config import default_model_path  # noqa: E402

GATES = (0.15, 0.2, 0.25, 0.3, 0.35)
TARGETS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)


def main() -> int:
    encoder = SentenceTransformerEncoder(default_model_path())
    rows = []
    for gate, target in itertools.product(GATES, TARGETS):
        checker = Checker(encoder=encoder, config=Config(pair_min_similarity=gate, target_max_similarity=target))
        m = score_fixtures(checker, ROOT / "fixtures" / "saydo")
        p, r = m["mismatch_precision"], m["mismatch_recall"]
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        objective = f1 + m["pairing_recall"] - 0.05 * m["none_flagged"]
        rows.append({"gate": gate, "target": target, "f1": round(f1, 3), **m, "objective": round(objective, 3)})
        print(json.dumps(rows[-1]), flush=True)
    best = max(rows, key=lambda x: (x["objective"], -x["gate"]))
    print("best:", json.dumps(best))
    return 0


if __name__ == "__main__":
    sys.exit(main())
