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


#: Words too common in actor names to identify one ("Ferncliff Council" vs "Dunmore Council").
_GENERIC = frozenset(
    "the of and for a an council city county district borough town state national royal united new "
    "company group corp inc ltd plc co department ministry government authority trust agency party "
    "club union board service services health hospital hospitals university bank forces army officials "
    "president minister mayor governor secretary chief".split()
)


def _tokens(name: str) -> set[str]:
    return {w for w in re.findall(r"[\w’'-]+", actor_key(name)) if w not in _GENERIC and len(w) > 1}


def _stem_match(a: str, b: str) -> bool:
    """'kestrian' ~ 'kestria', 'carter' ~ 'ash carter', 'ardenne' ~ 'ardenne power': a shared distinctive word."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return bool(a) and a == b
    if ta & tb:
        return True
    for x in ta:
        for y in tb:
            short, long_ = sorted((x, y), key=len)
            if len(short) >= 5 and long_.startswith(short[:-1]) and len(long_) - len(short) <= 3:
                return True
    return False


def actors_compatible(a: Statement, b: Statement) -> bool:
    """Same entity, or names (or country groups) that share a distinctive word or stem."""
    if a.actor and b.actor and a.doc_id == b.doc_id and a.actor == b.actor:
        return True
    if a.doc_id == b.doc_id and (_unnamed(a.actor_name) or _unnamed(b.actor_name)):
        return True  # "the government" that the text never names: any actor of the same text
    names_a = [x for x in (a.actor_name, a.actor_group) if x]
    names_b = [x for x in (b.actor_name, b.actor_group) if x]
    return any(_stem_match(x, y) for x in names_a for y in names_b)


def _unnamed(name: str) -> bool:
    """An actor known only by a common noun ('government', 'city'): no capital letter at all."""
    return bool(name) and name == name.lower() and " " not in name.strip() and not any(c.isdigit() for c in name)


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def _predates(action: Statement, intention: Statement) -> bool:
    """The action's year is before the year in which the intention was stated."""
    if intention.stated_at is None:
        return False
    said = _YEAR.findall(intention.stated_at.text)
    done = [int(y) for t in action.times for y in _YEAR.findall(t.text)]
    return bool(said and done) and max(done) < int(said[0])


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
            if (_unnamed(intention.actor_name) or _unnamed(action.actor_name)) and similarity < config.unnamed_min_similarity:
                continue
            if _predates(action, intention):
                continue  # done before it was promised: not a response to the promise
            pairs.append(Pair(intention, action, similarity))
    return pairs
