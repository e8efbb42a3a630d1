"""spaCy's attribute ruler and rule lemmatizer, with the same output at a fraction of the cost.

On the short sentence documents the parse stage makes, the two components spent a third of the
parse (``attribute_ruler`` 21 ms and ``lemmatizer`` 15 ms per PolNeAR article): the ruler runs a
``Matcher`` over every document for 179 patterns that almost all read one token. Here each
token's outcome is computed once per (text, tag, dependency, is-space) — the only things a
one-token pattern and the lemmatizer read — and looked up afterwards; a token that a two-token
pattern ('gon na', 'there is') reaches is computed afresh. :meth:`MorphTable.from_pipeline`
returns ``None`` for a pipeline whose patterns use anything else, which then keeps its own
components. The output is the components' own, token for token (``tests/unit/test_morph.py``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

__all__ = ["MorphTable", "COMPONENTS", "morph_table"]

#: The components a :class:`MorphTable` stands in for (disabled in ``nlp.pipe`` when it does).
COMPONENTS = ("attribute_ruler", "lemmatizer")
_READS = {"LOWER": lambda t: t.lower_, "TAG": lambda t: t.tag_, "DEP": lambda t: t.dep_, "IS_SPACE": lambda t: t.is_space}
_MAX_CACHE = 500_000


def _values(key: str, value: Any, wanted: str) -> frozenset[str] | None:
    """The values ``key`` must take for the condition to hold, when it names them (equality or IN)."""
    if key != wanted:
        return None
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, dict) and set(value) == {"IN"}:
        return frozenset(value["IN"])
    return None


def _needed(token: dict, wanted: str) -> frozenset[str] | None:
    for k, v in token.items():
        values = _values(k, v, wanted)
        if values is not None:
            return values
    return None


def _condition(key: str, value: Any) -> Callable[[Token], bool] | None:
    read = _READS.get(key)
    if read is None:
        return None
    if not isinstance(value, dict):
        return lambda t: read(t) == value
    if len(value) != 1:
        return None
    ((op, arg),) = value.items()
    if op == "IN":
        allowed = frozenset(arg)
        return lambda t: read(t) in allowed
    if op == "NOT_IN":
        banned = frozenset(arg)
        return lambda t: read(t) not in banned
    if op == "REGEX":
        pattern = re.compile(arg)
        return lambda t: bool(pattern.search(read(t)))
    return None


class MorphTable:
    """The attribute ruler's patterns as per-token conditions, and a cache of finished tokens."""

    def __init__(self, ruler: Any, lemmatizer: Any, rules: list[tuple[int, list[list[dict]], int]]) -> None:
        self.ruler, self.lemmatizer = ruler, lemmatizer
        #: one-token rules by the tag they need ('' : any tag): (order, alternatives of conditions)
        self.by_tag: dict[str, list[tuple[int, list[list[Callable]]]]] = {}
        #: longer rules, one entry per alternative: (order, conditions per position, target index,
        #: an anchor position and the lower-case words it must be, or None to try every start)
        self.multi: list[tuple[int, list[list[Callable]], int, tuple[int, frozenset[str]] | None]] = []
        for order, alternatives, index in rules:
            compiled = [[[_condition(k, v) for k, v in token.items()] for token in alt] for alt in alternatives]
            if all(len(alt) == 1 for alt in alternatives):
                tags = [_needed(alt[0], "TAG") for alt in alternatives]
                keys = [""] if any(t is None for t in tags) else sorted(set().union(*tags))
                for tag in keys:
                    self.by_tag.setdefault(tag, []).append((order, [alt[0] for alt in compiled]))
                continue
            for alt, conds in zip(alternatives, compiled):
                anchor = next(((k, w) for k, token in enumerate(alt) if (w := _needed(token, "LOWER")) is not None), None)
                self.multi.append((order, conds, index, anchor))
        self._cache: dict[tuple, tuple[int, int, int, int | None, int | None]] = {}

    @classmethod
    def from_pipeline(cls, nlp: Language) -> MorphTable | None:
        """A table for ``nlp``'s attribute ruler and rule lemmatizer, or None when they are not
        both there or a pattern reads something the table does not model."""
        if not all(name in nlp.pipe_names for name in COMPONENTS):
            return None
        ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
        if getattr(lemmatizer, "mode", None) != "rule" or getattr(lemmatizer, "overwrite", True):
            return None
        rules = []
        for order, pattern in enumerate(ruler.patterns):
            if any(_condition(k, v) is None for alt in pattern["patterns"] for token in alt for k, v in token.items()):
                return None
            rules.append((order, pattern["patterns"], pattern.get("index", 0)))
        return cls(ruler, lemmatizer, rules)

    def __call__(self, doc: Doc) -> Doc:
        """Set POS, morphology, lemma (and the few tags and dependencies the rules correct) on ``doc``."""
        reached = self._multi_targets(doc)
        cache = self._cache
        for i, token in enumerate(doc):
            if i in reached:
                self._finish(token, reached[i])
                continue
            key = (token.orth, token.tag, token.dep, token.is_space)
            done = cache.get(key)
            if done is None:
                done = self._finish(token, [])
                if len(cache) < _MAX_CACHE:
                    cache[key] = done
                continue
            pos, morph, lemma, tag, dep = done
            token.pos = pos
            token.set_morph(morph)
            token.lemma = lemma
            if tag is not None:
                token.tag = tag
            if dep is not None:
                token.dep = dep
        return doc

    def _multi_targets(self, doc: Doc) -> dict[int, list[int]]:
        """Tokens a longer pattern reaches: position → the orders of the rules that reach it."""
        out: dict[int, list[int]] = {}
        lowers = [t.lower_ for t in doc]
        n = len(lowers)
        for order, conds, index, anchor in self.multi:
            width = len(conds)
            if anchor is None:
                starts = range(n - width + 1)
            else:
                k, words = anchor
                starts = [j - k for j, w in enumerate(lowers) if w in words and 0 <= j - k <= n - width]
            for start in starts:
                if all(all(c(doc[start + k]) for c in conds[k]) for k in range(width)):
                    target = start + (index if index >= 0 else width + index)
                    if order not in out.setdefault(target, []):
                        out[target].append(order)
        return out

    def _finish(self, token: Token, extra: list[int]) -> tuple[int, int, int, int | None, int | None]:
        """Apply the matching rules in the ruler's order (all conditions read before any attribute
        is set, as the ruler's matcher does), then the lemmatizer; return what they set (the tag
        and dependency only when a rule changed them)."""
        from spacy.tokens._retokenize import set_token_attrs

        tag, dep = token.tag, token.dep
        candidates = self.by_tag.get(token.tag_, []) + self.by_tag.get("", [])
        hits = [order for order, alternatives in candidates if any(all(c(token) for c in conds) for conds in alternatives)]
        for order in sorted(set(hits + extra)):
            set_token_attrs(token, self.ruler.attrs[order])  # the ruler's own normalised attributes
        if token.lemma == 0:
            token.lemma_ = self.lemmatizer.rule_lemmatize(token)[0]
        return (token.pos, token.morph.key, token.lemma, token.tag if token.tag != tag else None,
                token.dep if token.dep != dep else None)


_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _table(nlp: Language) -> MorphTable | None:
    return MorphTable.from_pipeline(nlp)


def morph_table(nlp: Language) -> MorphTable | None:
    """The table standing in for ``nlp``'s attribute ruler and lemmatizer (one per pipeline, built
    on first use), or None when the pipeline keeps its own."""
    with _LOCK:
        return _table(nlp)
