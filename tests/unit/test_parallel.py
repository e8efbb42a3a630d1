"""check over many texts in worker processes: the same analyses, in input order, as one process."""

from __future__ import annotations

import os

import pytest

from quotecheck import Checker
from quotecheck.parallel import MIN_TEXTS_PER_POOL, analyze_many, workers_for

#: The tiny said/did model, so that findings (not only statements) must come back the same.
pytestmark = pytest.mark.usefixtures("tiny_saydo_env")

TEXTS = [
    "Brightwell said it would close the plant in March. Brightwell closed the plant in October.",
    "The mayor said she would open a library.",
    "Acme said it would cut 200 jobs. Acme cut 200 jobs in May.",
    "Nothing happened here today.",
    "Harwick said it would open a shelter in November. Harwick opened the shelter in November.",
]


def test_parallel_workers_give_the_one_process_analyses_in_order():
    checker = Checker()
    one = list(analyze_many(TEXTS, checker=checker, workers=1))
    two = list(analyze_many(TEXTS, checker=checker, workers=2, chunksize=1))
    assert [a.model_dump() for a in two] == [a.model_dump() for a in one]
    assert [a.text for a in two] == TEXTS and any(a.findings for a in two)


def test_parallel_workers_for_a_corpus_and_for_a_few_texts():
    assert workers_for(MIN_TEXTS_PER_POOL - 1) == 1
    assert workers_for(MIN_TEXTS_PER_POOL) == (os.cpu_count() or 1)
    assert workers_for(3, 2) == 2 and workers_for(500, 0) == 1
