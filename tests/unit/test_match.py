"""Match: actors must agree; pairs below the similarity gate are not judged at all."""

import numpy as np
import pytest

from quotecheck import Checker
from quotecheck.config import Config
from quotecheck.pipeline.match import actors_compatible, find_pairs
from quotecheck.testing.fakes import FakeEncoder


def _statement(text: str, kind: str):
    s = Checker(encoder=FakeEncoder()).structure(text).statements
    assert s, text
    return [x for x in s if x.kind == kind][0]


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("Russia said it would strike rebels.", "Russian jets struck rebels.", True),
        ("Kestria vowed to strike depots.", "Kestrian missiles struck depots.", True),
        ("Ardenne Power said it would close the plant.", "Ardenne closed the plant.", True),
        ("Ferncliff Council said it would close the pool.", "Dunmore Council closed the pool.", False),
        ("Russia said it would strike rebels.", "Turkey struck rebels.", False),
    ],
)
def test_match_actor_compatibility(a, b, same):
    assert actors_compatible(_statement(a, "intention"), _statement(b, "action")) is same


def test_match_gate_drops_unrelated_events():
    enc = FakeEncoder()
    i = _statement("Acme said it would close the plant.", "intention")
    a = _statement("Acme hired a new chef for the canteen.", "action")
    vi, va = enc.encode([i.span.text]), enc.encode([a.span.text])
    assert find_pairs([i], [a], vi, va, Config(pair_min_similarity=0.9)) == []
    pairs = find_pairs([i], [a], vi, va, Config(pair_min_similarity=-1.0))
    assert len(pairs) == 1 and -1.0 <= pairs[0].similarity <= 1.0


def test_match_no_candidates_no_pairs():
    assert find_pairs([], [], np.zeros((0, 4), np.float32), np.zeros((0, 4), np.float32), Config()) == []
