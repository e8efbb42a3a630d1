"""Synthetic but realistic corpora for benchmarks and tests, recombined from our own fixture texts.

Each article is 10–24 paragraphs (about 3.7 kB and 13 statements; PolNeAR dev: 4.9 kB, 12.5) of 1–4 sentences drawn (with a fixed seed) from the texts of
``*.qc.yaml`` fixture cases — texts the project wrote itself — so quotes, speakers, intentions
and actions look like news, and the same actors recur across articles (which gives
cross-article pairs). Numbers and month names are redrawn in every sentence, so that event
texts vary as in a real corpus instead of repeating the ~200 fixture sentences verbatim (which
would let the encoder's deduplication flatter the throughput). Dates spread over one year so
that the date rule of cross-article findings is exercised.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from quotecheck.lexicon import MONTHS

__all__ = ["fixture_paragraphs", "fixture_sentences", "synthetic_articles", "write_jsonl"]

_OUTLETS = ("The Courier", "Daily Ledger", "Northern Post", "Evening Star", "Capital Times")
_MONTHS = tuple(m.capitalize() for m in MONTHS)
_NUMBER = re.compile(r"\d+")
_MONTH = re.compile(r"\b(?:" + "|".join(_MONTHS) + r")\b")


def fixture_paragraphs(folder: str | Path) -> list[str]:
    """Every non-blank line (a paragraph to quotecheck) of every fixture text under ``folder``."""
    import yaml

    paragraphs: list[str] = []
    for path in sorted(Path(folder).rglob("*.qc.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(case, dict):
            continue
        for key in ("text", "text_a", "text_b"):
            if isinstance(case.get(key), str):
                paragraphs.extend(line.strip() for line in case[key].splitlines() if line.strip())
    return list(dict.fromkeys(paragraphs))


def fixture_sentences(folder: str | Path) -> list[str]:
    """The sentences of every fixture paragraph under ``folder`` (split by quotecheck's own segmenter)."""
    from quotecheck.pipeline.segment import segment

    sentences = [s.text for p in fixture_paragraphs(folder) for s in segment(p).sentences]
    return list(dict.fromkeys(sentences))


def synthetic_articles(
    n: int, sentences: list[str], *, seed: int = 6, first: date = date(2024, 1, 1), eventful_share: float = 0.25
) -> Iterator[dict[str, str]]:
    """``n`` articles ``{"id", "text", "date", "outlet", "url"}``, the same for the same seed.

    Fixture sentences are dense in intentions and actions (they were written to be), so each
    sentence is drawn from those that state one with probability ``eventful_share`` and from the
    plain ones otherwise: 0.25 gives ~12 statements per article, as the PolNeAR dev articles have
    (mean 12.5, median 9, with the same extractor).
    """
    eventful, plain = _split(sentences)
    rng = random.Random(seed)

    def vary(sentence: str) -> str:
        sentence = _NUMBER.sub(lambda m: str(_redraw(rng, m.group())), sentence)
        return _MONTH.sub(lambda m: rng.choice(_MONTHS), sentence)

    def draw() -> str:
        pool = eventful if (rng.random() < eventful_share or not plain) else plain
        return vary(rng.choice(pool))

    for i in range(n):
        paragraphs = [" ".join(draw() for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(10, 24))]
        day = first + timedelta(days=rng.randrange(366))
        doc_id = f"syn-{i:07d}"
        yield {"id": doc_id, "text": "\n".join(paragraphs) + "\n", "date": day.isoformat(), "outlet": rng.choice(_OUTLETS), "url": f"https://example.org/{doc_id}"}


def _split(sentences: list[str]) -> tuple[list[str], list[str]]:
    """(sentences stating an intention or action, the others), by quotecheck's own extractor."""
    from quotecheck.checker import Checker

    checker = Checker()
    eventful, plain = [], []
    for sentence in sentences:
        (eventful if checker.structure(sentence).statements else plain).append(sentence)
    return eventful, plain


def _redraw(rng: random.Random, number: str) -> int:
    """A new number of the same kind: a year stays a recent year, a day or count stays small."""
    if len(number) == 4:
        return rng.randint(2019, 2026)
    if len(number) <= 2:
        return rng.randint(2, 28)
    return rng.randint(100, 999)


def write_jsonl(path: str | Path, articles: Iterator[dict[str, str]]) -> int:
    """Write articles as JSON Lines; returns how many."""
    count = 0
    with open(path, "w", encoding="utf-8") as fh:
        for article in articles:
            fh.write(json.dumps(article, ensure_ascii=False) + "\n")
            count += 1
    return count
