"""Match stage: pair each action with the nearest intentions of a compatible actor.

Event texts (the frame without its actor) are embedded once per batch; a faiss index over the
intentions gives each action its ``k`` nearest candidates, which are kept when the actors agree
and the cosine passes ``Config.pair_min_similarity`` (below it the two are about different
events and are not judged at all).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from quotecheck.config import Config
from quotecheck.index import VectorIndex
from quotecheck.models import Statement

__all__ = ["Pair", "actors_compatible", "find_pairs", "actor_key"]


@dataclass(frozen=True)
class Pair:
    """An intention and an action of the same actor about (probably) the same event."""

    intention: Statement
    action: Statement
    similarity: float


def actor_key(name: str) -> str:
    """Comparable form of an actor name: lower case, no determiner or possessive."""
    name = re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.I)
    return re.sub(r"(?:’s|'s)$", "", name).lower()


def _stem_match(a: str, b: str) -> bool:
    """'kestrian' ~ 'kestria', 'carter' ~ 'ash carter': shared stem or surname."""
    if not a or not b:
        return False
    if a == b or a.split()[-1] == b.split()[-1] and len(a.split()[-1]) > 2:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 5 and long_.startswith(short[:-1]) and len(long_) - len(short) <= 3


def actors_compatible(a: Statement, b: Statement) -> bool:
    """Same entity, same country group, or names that share a surname or stem."""
    if a.actor and b.actor and a.doc_id == b.doc_id and a.actor == b.actor:
        return True
    keys_a = {actor_key(x) for x in (a.actor_name, a.actor_group) if x}
    keys_b = {actor_key(x) for x in (b.actor_name, b.actor_group) if x}
    return any(_stem_match(x, y) for x in keys_a for y in keys_b)


def find_pairs(
    intentions: list[Statement],
    actions: list[Statement],
    intention_vectors: np.ndarray,
    action_vectors: np.ndarray,
    config: Config,
) -> list[Pair]:
    """Compatible (intention, action) pairs above the similarity gate, best first per action."""
    if not intentions or not actions:
        return []
    index = VectorIndex(intention_vectors.shape[1])
    index.add(intention_vectors, range(len(intentions)))
    pairs: list[Pair] = []
    for action, hits in zip(actions, index.search(action_vectors, config.pair_k)):
        for i, similarity in hits:
            intention = intentions[i]
            if similarity < config.pair_min_similarity or not actors_compatible(intention, action):
                continue
            if intention.doc_id == action.doc_id and intention.span.start == action.span.start:
                continue
            pairs.append(Pair(intention, action, similarity))
    return pairs
