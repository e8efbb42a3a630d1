"""Speakers stage: one canonical entity per real-world speaker, and actor keys across documents.

Mentions ("Defense Secretary Ash Carter", "Carter", "he") are merged by surname after titles are
stripped; "the institute" joins the organisation whose name holds "Institute"; "ISW" joins it by
initials; pronouns go to the nearest earlier compatible speaker. Countries, demonyms, capitals and
seats of government ("Russia", "the Russians", "Moscow", "the Kremlin", "Russian jets") share a
``group`` named after the country (data from the ``countryinfo`` package).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from quotecheck.lexicon import lines, titles
from quotecheck.models import Entity, EntityType, Quote
from quotecheck.pipeline.segment import Segmentation

__all__ = ["resolve", "describe", "Mention", "country_of", "acronym", "PERSON_PRONOUNS", "OTHER_PRONOUNS"]

PERSON_PRONOUNS = frozenset("he she him her his i me my".split())
OTHER_PRONOUNS = frozenset("it its they them their we us our".split())
_DETERMINER = re.compile(r"^(?:the|a|an|some|many|several|two|three|four|both|other|its|his|her|their)\s+", re.I)
_MONTHS_DAYS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
)
#: Time and discourse adjuncts that a rule-based source span can drag in: "In 2012 the government".
_LEADING_ADJUNCT = re.compile(
    rf"^(?:(?:(?:in|on|by|during|since|after|before|until|last|this|next|early|late)\s+(?:(?:19|20)\d\d|{_MONTHS_DAYS}|week|month|year|night|morning|weekend)"
    rf"|earlier|later|yesterday|today|meanwhile|however|also|then|now|still)\b,?\s+)+(?=\S)",
    re.I,
)
_TOKEN = re.compile(r"[\w’'.&-]+")
#: How many paragraphs back an unattributed quote may look for the speaker it continues.
CONTINUATION_PARAGRAPHS = 3


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Lower-cased country names, alternative spellings, demonyms (and plurals) and capitals → country."""
    out: dict[str, str] = {}
    data = files("countryinfo").joinpath("data")
    for path in data.iterdir():
        if not path.name.endswith(".json"):
            continue
        info = json.loads(path.read_text(encoding="utf-8"))
        name = info.get("name")
        if not name:
            continue
        keys = [name, *[a for a in info.get("altSpellings", []) if len(a) > 3 or a.isupper() and len(a) > 1]]
        demonym = info.get("demonym")
        if demonym:
            keys += [demonym, demonym + "s"]
        capital = info.get("capital")
        for city in [capital] if isinstance(capital, str) else capital or []:
            keys.append(city.replace(" D.C.", ""))
        for key in keys:
            out.setdefault(key.lower(), name)
    return out


@lru_cache(maxsize=1)
def _seats() -> dict[str, str]:
    raw = files("quotecheck.lexicon").joinpath("seats.txt").read_text(encoding="utf-8")
    out = {}
    for line in raw.splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        metonym, country = line.split("\t")
        out[metonym.strip().lower()] = country.strip()
    return out


@lru_cache(maxsize=1)
def _words(name: str) -> frozenset[str]:
    return frozenset(w for row in lines(name) for w in row)


def country_of(mention: str) -> str | None:
    """The country a mention stands for or belongs to: 'Russian jets' → 'Russia'."""
    low = _DETERMINER.sub("", mention.strip()).lower().replace("’s", "").replace("'s", "")
    table = _countries()
    seats = _seats()
    if low in table:
        return table[low]
    if low in seats:
        return seats[low]
    for seat, country in seats.items():
        if seat in low:
            return country
    for token in low.split():
        if token in table and (len(token) > 2 or token.isupper()):
            return table[token]
    return None


def acronym(name: str) -> str:
    """Initials of the capitalised words: 'Institute for the Study of War' → 'ISW'."""
    return "".join(w[0] for w in name.split() if w[:1].isupper())


@dataclass(frozen=True)
class Mention:
    """A described mention: its cleaned name, type, merge key and country group."""

    name: str
    type: EntityType
    key: str
    group: str | None
    pronoun: bool = False


def describe(mention: str) -> Mention:
    """Classify a mention and compute the key that merges it with other mentions of the same entity."""
    raw = _LEADING_ADJUNCT.sub("", mention.strip().strip(",.;:“”\"'")) or mention.strip()
    low = raw.lower()
    if low in PERSON_PRONOUNS or low in OTHER_PRONOUNS:
        return Mention(raw, "unknown", low, None, pronoun=True)
    group = country_of(raw)
    tokens = _TOKEN.findall(raw)
    title_words = titles()
    # Drop leading titles and determiners: "Defense Secretary Ash Carter" -> "Ash Carter".
    core = list(tokens)
    while len(core) > 1 and (core[0].lower() in title_words or core[0].lower() in {"the", "a", "an", "former"}):
        core.pop(0)
    capitals = [t for t in core if t[:1].isupper()]
    org_words = _words("orgwords.txt")
    anonymous = _words("anonymous.txt")
    head = core[-1].lower() if core else low
    bare = _DETERMINER.sub("", low)
    if group and (bare in _countries() or bare in _seats() or bare == group.lower()):
        return Mention(group, "country", group.lower(), group)
    if (any(t.lower() in org_words for t in tokens) and capitals) or re.fullmatch(r"[A-Z]{2,6}", raw):
        name = " ".join(_DETERMINER.sub("", raw).split())
        return Mention(name, "organisation", acronym(name).lower() or name.lower(), group)
    if head in anonymous or (not capitals and head.rstrip("s") in anonymous):
        return Mention(raw, "anonymous", low, group)
    if group and (not capitals or all(country_of(t) for t in capitals)):
        return Mention(raw, "group", low, group)
    if capitals and len(capitals) == len(core) and len(core) <= 4:
        name = " ".join(core)
        return Mention(name, "person", core[-1].lower(), group)
    if not capitals:
        return Mention(raw, "group", head, group)
    return Mention(raw, "unknown", low, group)


def resolve(text: str, seg: Segmentation, quotes: tuple[Quote, ...]) -> tuple[tuple[Entity, ...], tuple[Quote, ...]]:
    """Build speaker entities from the quotes' sources and point each quote at its speaker."""
    builders: list[dict] = []  # {"mention": Mention, "spans": [Span], "name": str}
    speaker_of: list[int | None] = []
    last_para_of: list[int] = []
    for quote in quotes:
        index: int | None = None
        if quote.source is not None:
            mention = describe(quote.source.text)
            if mention.pronoun:
                index = _antecedent(mention, builders, speaker_of)
            else:
                index = _match(mention, builders)
                if index is None:
                    builders.append({"mention": mention, "spans": [], "name": mention.name})
                    index = len(builders) - 1
                elif len(mention.name) > len(builders[index]["name"]) and mention.type == builders[index]["mention"].type:
                    builders[index]["name"] = mention.name
            if index is not None:
                builders[index]["spans"].append(quote.source)
        elif speaker_of:
            para = seg.paragraph_index(quote.content[0].start)
            if last_para_of and para - last_para_of[-1] <= CONTINUATION_PARAGRAPHS:
                index = speaker_of[-1]
        speaker_of.append(index)
        last_para_of.append(seg.paragraph_index(quote.content[0].start))
    order = sorted(range(len(builders)), key=lambda i: builders[i]["spans"][0].start if builders[i]["spans"] else 0)
    ids = {old: f"e{new}" for new, old in enumerate(order, start=1)}
    entities = tuple(
        Entity(
            id=ids[i],
            name=builders[i]["name"],
            type=builders[i]["mention"].type,
            mentions=tuple(sorted(set(builders[i]["spans"]), key=lambda s: s.start)),
            group=builders[i]["mention"].group,
        )
        for i in order
    )
    resolved = tuple(
        q.model_copy(update={"speaker": ids[i], "speaker_name": builders[i]["name"]}) if i is not None else q
        for q, i in zip(quotes, speaker_of)
    )
    return entities, resolved


def _match(mention: Mention, builders: list[dict]) -> int | None:
    """The existing entity a named mention refers to, if any."""
    for i in range(len(builders) - 1, -1, -1):
        other: Mention = builders[i]["mention"]
        if other.key == mention.key and (other.type == mention.type or "unknown" in (other.type, mention.type)):
            return i
        if mention.type == "organisation" and other.type == "organisation":
            if mention.name.lower() == acronym(other.name).lower() or other.name.lower() == acronym(mention.name).lower():
                return i
        if mention.type in ("group", "anonymous", "unknown") and other.type == "organisation":
            head = mention.key.split()[-1] if mention.key else ""
            if head and head in other.name.lower().split():
                return i  # "the institute" -> "Institute for the Study of War"
        if mention.type == "person" and other.type == "person":
            if other.name.lower().split()[-1] == mention.key:
                return i
    return None


def _antecedent(mention: Mention, builders: list[dict], speaker_of: list[int | None]) -> int | None:
    """Nearest earlier speaker compatible with the pronoun (person for he/she, else not a person)."""
    want_person = mention.key in PERSON_PRONOUNS
    for index in reversed(speaker_of):
        if index is None:
            continue
        is_person = builders[index]["mention"].type in ("person", "unknown")
        if is_person == want_person:
            return index
    return None
