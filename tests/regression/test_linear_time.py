"""Hostile input (issue 12): the model-free stages cost time linear in the text, not its square.

Each case times one stage on a text and on one 8 times longer, best of three, and compares
the time per character: a linear stage gives a ratio near 1, a quadratic one near 8.
The texts are the ones that were quadratic on the landed main (``"said " * 4000`` took 10.6 s).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from quotecheck.config import Config
from quotecheck.pipeline import quotes as quotes_stage
from quotecheck.pipeline.quotes.common import CUE_WINDOW_CHARS
from quotecheck.pipeline import speakers as speakers_stage
from quotecheck.pipeline.segment import segment

#: Time per character may grow this much from the small text to the large one (8x longer): a
#: linear stage stays near 1 (measured 0.8-1.4 on a loaded 2-core machine), a quadratic one is near 8.
MAX_GROWTH = 3.0


def _stage(stage: str, text: str) -> Callable[[], object]:
    """The stage under test as a call without arguments; the stages before it run beforehand."""
    seg = segment(text)
    if stage == "quotes":
        return lambda: quotes_stage.extract(text, seg, Config())
    found = quotes_stage.extract(text, seg, Config())
    return lambda: speakers_stage.resolve(text, seg, found)


def _seconds(run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def _growth(stage: str, make: Callable[[int], str], small: int) -> float:
    a, b = make(small), make(8 * small)
    return (_seconds(_stage(stage, b)) / len(b)) / (_seconds(_stage(stage, a)) / len(a))


def _names(n: int) -> list[str]:
    """n distinct capitalised surnames (Bakade, Bakadi, …): each quote gets a new speaker."""
    letters = "aeiou"
    out = []
    for i in range(n):
        word, k = "", i
        for _ in range(4):
            word += "bdgkm"[k % 5] + letters[(k // 5) % 5]
            k //= 25
        out.append(word.capitalize())
    return out


CASES: dict[str, tuple[str, int, Callable[[int], str]]] = {
    # one sentence with no full stop: the subject of every cue was read back from the sentence start
    "said-repeated": ("quotes", 1000, lambda n: "said " * n),
    # punkt keeps 'x said y. x said y.' as one sentence (no capital after the stop)
    "x-said-y": ("quotes", 500, lambda n: "x said y. " * n),
    # follow-up quotes: each looked through every earlier attribution of the text for its host
    "follow-up-quotes": ("quotes", 400, lambda n: "".join(f'"We will build it," {name} said. "It will open soon."\n' for name in _names(n))),
    # a Title Case line with capitalised cues: the whole paragraph was re-read for each one
    "headline-cues": ("quotes", 500, lambda n: "Acme Says " * n),
    # many speakers: each new source was compared with every earlier speaker
    "many-speakers": ("speakers", 400, lambda n: "".join(f"{name} said the plant would close. " for name in _names(n))),
    # 'the senator' with no senator named: every earlier speaker's mentions were searched, and the
    # text before it scanned for 'Senator Name', once per quote
    "definite-speakers": (
        "speakers", 300, lambda n: "".join(f"{name} said the plant would close. The senator said it would not. " for name in _names(n))
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_linear_time_stage(name):
    stage, small, make = CASES[name]
    growth = _growth(stage, make, small)
    assert growth < MAX_GROWTH, f"{name}: time per character grew {growth:.1f}x for an 8x longer text"


def _rules(text: str):
    return quotes_stage.extract(text, segment(text), Config())


def test_linear_time_long_sentence_is_read_in_a_window():
    words = "the plant would close and reopen " * 400  # 13,200 characters, no punctuation
    (quote,) = _rules("Ada Brant said " + words)
    content = quote.content[0]
    assert quote.source.text == "Ada Brant"
    assert content.start == len("Ada Brant said ")
    assert content.end - quote.cue.start <= CUE_WINDOW_CHARS


def test_linear_time_short_sentence_is_read_whole():
    text = "Ada Brant said " + "the plant would close and reopen " * 40 + "in May."
    (quote,) = _rules(text)
    assert quote.content[0].end == len(text) - 1  # to the full stop: no window below 2 x CUE_WINDOW_CHARS
