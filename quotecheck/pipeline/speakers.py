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
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files

from quotecheck.lexicon import MONTHS, WEEKDAYS, lines, titles
from quotecheck.models import Entity, EntityType, Quote
from quotecheck.pipeline.segment import Segmentation

__all__ = ["resolve", "describe", "source_mention", "Mention", "country_of", "acronym", "PERSON_PRONOUNS", "OTHER_PRONOUNS"]

PERSON_PRONOUNS = frozenset("he she him her his i me my".split())
OTHER_PRONOUNS = frozenset("it its they them their we us our".split())
_DETERMINER = re.compile(r"^(?:the|a|an|some|many|several|two|three|four|both|other|its|his|her|their)\s+", re.I)
_MONTHS_DAYS = "|".join(MONTHS + WEEKDAYS)
#: Time and discourse adjuncts that a rule-based source span can drag in: "In 2012 the government".
_LEADING_ADJUNCT = re.compile(
    rf"^(?:(?:(?:in|on|by|during|since|after|before|until|last|this|next|early|late)\s+(?:(?:19|20)\d\d|{_MONTHS_DAYS}|week|month|year|night|morning|weekend)"
    rf"|earlier|later|yesterday|today|meanwhile|however|also|then|now|still)\b,?\s+)+(?=\S)",
    re.I,
)
_TOKEN = re.compile(r"[\w’'.&-]+")
_POSSESSIVE = re.compile(r"(?<=\w)[’'](?:s)?$")
#: 'the president', 'the former senator', 'the paper': a definite description naming a role.
_DEFINITE = re.compile(r"(?:the|this|that)\s+(?:(?:former|new|current|outgoing|incoming|embattled|[a-z]+-[a-z]+)\s+)?([a-z]+)")
#: Heads that stand for a news outlet ('the daily reported').
_OUTLET_HEADS = frozenset("daily paper newspaper tabloid broadcaster network outlet magazine weekly website site wire".split())
#: Outlet words inside an organisation's name ('The Washington Post', 'CNN').
_OUTLET_NAMES = frozenset(
    "times post journal news tribune herald gazette daily press magazine channel reuters cnn bbc nbc abc cbs fox "
    "msnbc ap afp telegraph guardian observer chronicle globe star sun mail express politico axios bloomberg".split()
)
#: Organisation heads not in orgwords.txt ('the company' is there; 'the firm' is not).
_ORG_HEADS = frozenset("firm campaign group organisation organization agency alliance coalition lab".split())
#: Heads general enough to stand for any organisation named before them.
_GENERIC_ORG_HEADS = frozenset("company firm corporation organisation organization group".split())
#: Title words that are not roles on their own ('the state', 'the house', 'the party').
_NOT_ROLES = frozenset(
    "state defense defence foreign interior health finance treasury labor labour home education homeland security "
    "house senate democratic republican gop party campaign first u.s. us american russian british french german "
    "chinese syrian iranian israeli then-president then-candidate vice deputy assistant acting former".split()
)
#: A document noun after a name ('Institute for the Study of War research', 'a Pew survey'): the
#: speaker is the name, the document is how it spoke.
_DOCUMENT_TAIL = re.compile(
    r"(?<=[A-Za-z])(?:[’']s)?\s+(?:research|report|reports|study|survey|poll|data|analysis|figures|statement|estimates?)$"
)
#: How many paragraphs back an unattributed quote may look for the speaker it continues.
CONTINUATION_PARAGRAPHS = 3
#: How many sentences back a pronoun source looks for the person it stands for (sentences).
PRONOUN_SENTENCES = 6
_CAPITALISED = re.compile(r"\b[A-Z][a-z’'-]+\b")
#: A person named in running text: an optional title, then two or three capitalised words
#: ('Gov. Tom Reyes', 'Ada M. Fenwick'); sentence-initial single words are never names here.
_PERSON_NAME = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Prof|Rev)\.\s+)?"
    r"\b[A-Z][a-z’'-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z’'-]+){1,2}\b"
)


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
    role: str | None = None  # a definite description's role: 'the president' → 'president', 'the paper' → 'outlet'


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


def source_mention(source: str) -> Mention:
    """A quote source described for speaker resolution: the possessor of a possessive source
    ("Nervo's" → Nervo), and the role of a definite description ('the senator', 'the company',
    'the paper'), which :func:`resolve` looks back for. :func:`describe` itself is unchanged, so
    actors elsewhere ('the company closed the mill') keep their plain reading."""
    raw = source.strip().strip(",.;:“”\"'")
    raw = _DOCUMENT_TAIL.sub("", raw) or raw
    mention = describe(_POSSESSIVE.sub("", raw) or raw)
    definite = _DEFINITE.fullmatch(raw.lower())
    if definite is None or mention.pronoun:
        return mention
    head = definite.group(1)
    if head in _OUTLET_HEADS:
        return replace(mention, role="outlet")
    if head in _words("orgwords.txt") or head in _ORG_HEADS:
        return replace(mention, role=head)
    if head in titles() and head not in _NOT_ROLES and head not in _words("anonymous.txt"):
        return replace(mention, role=head)
    return mention


def resolve(text: str, seg: Segmentation, quotes: tuple[Quote, ...]) -> tuple[tuple[Entity, ...], tuple[Quote, ...]]:
    """Build speaker entities from the quotes' sources and point each quote at its speaker."""
    builders: list[dict] = []  # {"mention": Mention, "spans": [Span], "name": str}
    speaker_of: list[int | None] = []
    last_para_of: list[int] = []
    for quote in quotes:
        index: int | None = None
        if quote.source is not None:
            mention = source_mention(quote.source.text)
            if mention.pronoun:
                index = _salient(text, seg, quote.source.start, mention, builders, speaker_of)
            else:
                if mention.role is not None:
                    index, mention = _definite_antecedent(text, quote.source.start, mention, builders)
                if index is None:
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
        if mention.type in ("group", "unknown") and other.type == "organisation":
            head = mention.key.split()[-1] if mention.key else ""
            if head and head in _words("orgwords.txt") | _ORG_HEADS and head in other.name.lower().split():
                return i  # "the institute" -> "Institute for the Study of War"; never "another official"
        if mention.type == "person" and other.type == "person":
            if other.name.lower().split()[-1] == mention.key:
                return i
    return None


def _salient(text: str, seg: Segmentation, pos: int, mention: Mention, builders: list[dict],
             speaker_of: list[int | None]) -> int | None:
    """The entity a pronoun source at ``pos`` stands for, by salience.

    A person pronoun looks back sentence by sentence (this one first, up to
    ``PRONOUN_SENTENCES``, across paragraphs) for the first sentence that names a person, as a
    speaker or in running text, and takes its first such mention (subjects come first in
    English news). A name not yet a speaker becomes one. Otherwise, or for 'they' / 'it', the
    nearest earlier compatible speaker (:func:`_antecedent`)."""
    if mention.key not in PERSON_PRONOUNS or not seg.sentences:
        return _antecedent(mention, builders, speaker_of)
    here = seg.sentence_index(pos)
    for s in range(here, max(-1, here - PRONOUN_SENTENCES), -1):
        sent = seg.sentences[s]
        end = min(sent.end, pos)
        found: list[tuple[int, int | None, Mention | None]] = []
        surnames = {b["mention"].key: i for i, b in enumerate(builders) if b["mention"].type == "person"}
        for i, b in enumerate(builders):
            if b["mention"].type == "person":
                found.extend((sp.start, i, None) for sp in b["spans"] if sent.start <= sp.start < end)
        for w in _CAPITALISED.finditer(text, sent.start, end):  # 'Carter first met …': a speaker's surname
            if w.group(0).lower() in surnames:
                found.append((w.start(), surnames[w.group(0).lower()], None))
        for m in _PERSON_NAME.finditer(text, sent.start, end):
            named = describe(m.group(0))
            if named.type == "person" and named.group is None:
                found.append((m.start(), None, named))
        if not found:
            continue
        start, index, named = min(found, key=lambda f: (f[0], f[1] is None))
        if index is not None:
            return index
        index = _match(named, builders)
        if index is None:
            builders.append({"mention": named, "spans": [], "name": named.name})
            index = len(builders) - 1
        return index
    return _antecedent(mention, builders, speaker_of)


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


#: 'President Barack Obama', 'Sen. Ada Fenwick': a title word and up to three capitalised name words.
_TITLED_NAME = r"\b{title}\.?\s+((?:[A-Z][\w’'-]*\.?\s+){{0,2}}[A-Z][\w’'-]+)"


def _definite_antecedent(text: str, pos: int, mention: Mention, builders: list[dict]) -> tuple[int | None, Mention]:
    """The entity a definite description refers to, and the mention to record for it.

    'the president' → the most recent speaker whose mentions carry the title President, else the
    last 'President Firstname Lastname' written before ``pos`` (a new person mention);
    'the company' → the most recent organisation speaker whose name holds the head word, else the
    most recent organisation; 'the paper' / 'the daily' → the most recent news outlet.
    """
    role = mention.role or ""
    if role != "outlet" and role not in _words("orgwords.txt") and role not in _ORG_HEADS:  # a person's title
        pattern = re.compile(r"\b" + re.escape(role) + r"\b", re.I)
        for i in range(len(builders) - 1, -1, -1):
            if builders[i]["mention"].type == "person" and any(pattern.search(sp.text) for sp in builders[i]["spans"]):
                return i, mention
        titled = None
        for titled in re.finditer(_TITLED_NAME.format(title=re.escape(role.capitalize())), text[:pos]):
            pass
        if titled is not None:
            named = describe(titled.group(1))
            if named.type == "person":
                return _match(named, builders), named
        return None, mention
    for i in range(len(builders) - 1, -1, -1):
        other: Mention = builders[i]["mention"]
        if other.type != "organisation" or other.role is not None:
            continue
        words = set(other.name.lower().split())
        if role == "outlet":
            if words & _OUTLET_NAMES:
                return i, mention
        elif role in words:
            return i, mention
    if role in _GENERIC_ORG_HEADS:  # 'the company' with no named company: the nearest organisation
        for i in range(len(builders) - 1, -1, -1):
            if builders[i]["mention"].type == "organisation" and builders[i]["mention"].role is None:
                return i, mention
    return None, mention
