"""Check that ``pipeline/morph.py`` reads every token as spaCy's attribute ruler and lemmatizer do.

Usage: ``HF_HUB_OFFLINE=1 .venv/bin/python bench/morph_check.py`` — parses the sentences of
PolNeAR dev, every 8th PolNeAR train article and every 20th BBC article twice (with the two
components; without them and with the table), prints the tokens that differ (0 expected) and
both timings. Exit status 1 when any token differs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"


def main() -> int:
    from quotecheck.nlp import load_pipeline
    from quotecheck.pipeline.morph import COMPONENTS, MorphTable
    from quotecheck.pipeline.segment import segment

    nlp = load_pipeline()
    table = MorphTable.from_pipeline(nlp)
    assert table is not None, "the default pipeline should get a table"
    paths = (sorted((DATA / "polnear-dev" / "text").glob("*.txt")) + sorted((DATA / "polnear-train" / "text").glob("*.txt"))[::8]
             + sorted((DATA / "bbc-news").glob("*/*.txt"))[::20])
    sents = [s.text for p in paths for s in segment(p.read_text(encoding="utf-8", errors="replace")).sentences]
    t0 = time.perf_counter()
    ref = list(nlp.pipe(sents, disable=["ner"]))
    t1 = time.perf_counter()
    fast = [table(d) for d in nlp.pipe(sents, disable=["ner", *COMPONENTS])]
    t2 = time.perf_counter()
    bad = 0
    for a, b in zip(ref, fast):
        for x, y in zip(a, b):
            if (x.pos, x.tag, x.dep, x.lemma, x.morph.key, x.head.i) != (y.pos, y.tag, y.dep, y.lemma, y.morph.key, y.head.i):
                bad += 1
                if bad <= 10:
                    print(repr(x.text), (x.pos_, x.tag_, x.dep_, x.lemma_, str(x.morph)), (y.pos_, y.tag_, y.dep_, y.lemma_, str(y.morph)))
    print(f"{len(paths)} articles, {len(sents)} sentences, {sum(len(d) for d in ref)} tokens; differing: {bad}")
    print(f"parse with the components {t1 - t0:.2f} s, with the table (cold) {t2 - t1:.2f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
