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
from bisect import bisect_left, insort
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files

from quotecheck.lexicon import MONTHS, WEEKDAYS, lines, titles
from quotecheck.models import Entity, EntityType, Quote
from quotecheck.pipeline.segment import Segmentation

__all__ = ["resolve", "describe", "source_mention", "Mention", "country_of", "acronym", "PERSON_PRONOUNS", "OTHER_PRONOUNS"]

PERSON_PRONOUNS = frozenset("he she him her his i me my".split())
OTHER_PRONOUNS = frozenset("it its they them their we us our".split())
#: A relative pronoun as a source ("Gul, who estimates …") stands for the speaker just named.
#: Two-letter country codes that news text uses as names.
_TWO_LETTER_COUNTRIES = frozenset({"US", "UK"})
RELATIVE_PRONOUNS = frozenset("who which that whom".split())
#: A relative or appositive clause after a source's noun phrase is not part of its name.
#: Heads of a definite description that can name a government met as a country ('the agency').
_GOVERNMENT_HEADS = frozenset("agency department ministry government administration".split())
_RELATIVE_TAIL = re.compile(r",\s+(?:which|who|whose|whom)\b")
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
#: How much of each of those sentences is read, back from its end or the pronoun (characters):
#: every real sentence whole (the longest in PolNeAR is 979), a runaway one in bounded time.
SALIENCE_WINDOW_CHARS = 3000
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
        # ISO codes of two letters are English words or other names ('IS', 'IN', 'IT', 'ME'), except these
        codes = [a for a in info.get("altSpellings", []) if a.isupper() and (len(a) > 2 or a in _TWO_LETTER_COUNTRIES)]
        keys = [name, *[a for a in info.get("altSpellings", []) if len(a) > 3], *codes]
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
    raw = _RELATIVE_TAIL.split(raw, maxsplit=1)[0] or raw  # "the agency, which fell … short": the agency
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
    speakers = _Speakers(text)
    builders = speakers.builders  # {"mention": Mention, "spans": [Span], "name": str}
    speaker_of: list[int | None] = []
    last_para_of: list[int] = []
    last_source: tuple[int, int] | None = None  # (end, speaker) of the latest source read
    for quote in quotes:
        index: int | None = None
        if quote.source is not None:
            mention = source_mention(quote.source.text)
            if mention.key in RELATIVE_PRONOUNS:
                index = _relative_antecedent(text, quote.source.start, last_source)
            elif mention.pronoun:
                index = speakers.salient(seg, quote.source.start, mention)
            else:
                if mention.role is not None:
                    index, mention = speakers.definite(quote.source.start, mention)
                if index is None:
                    index = speakers.match(mention)
                if index is None:
                    index = speakers.new(mention)
                elif len(mention.name) > len(builders[index]["name"]) and mention.type == builders[index]["mention"].type:
                    builders[index]["name"] = mention.name
            if index is not None:
                speakers.add_span(index, quote.source)
                last_source = (quote.source.end, index)
        elif speaker_of:
            para = seg.paragraph_index(quote.content[0].start)
            if last_para_of and para - last_para_of[-1] <= CONTINUATION_PARAGRAPHS:
                index = speaker_of[-1]
        speaker_of.append(index)
        speakers.spoke(index)
        last_para_of.append(seg.paragraph_index(quote.content[0].start))
    order = sorted(range(len(builders)), key=lambda i: builders[i]["spans"][0].start if builders[i]["spans"] else 0)
    ids = {old: f"e{new}" for new, old in enumerate(order, start=1)}
    entities = tuple(
        Entity(
            id=ids[i],
            name=builders[i]["name"],
            type=builders[i]["mention"].type,
            mentions=tuple(sorted(set(builders[i]["spans"]), key=lambda s: (s.start, s.end))),  # not set order: it varies by process
            group=builders[i]["mention"].group,
        )
        for i in order
    )
    resolved = tuple(
        q.model_copy(update={"speaker": ids[i], "speaker_name": builders[i]["name"]}) if i is not None else q
        for q, i in zip(quotes, speaker_of)
    )
    return entities, resolved


#: 'President Barack Obama', 'Sen. Ada Fenwick': a title word and up to three capitalised name words.
_TITLED_NAME = r"\b{title}\.?\s+((?:[A-Z][\w’'-]*\.?\s+){{0,2}}[A-Z][\w’'-]+)"
#: Word runs as ``\b…\b`` sees them, and the non-ASCII letters that ``re.I`` folds to ASCII ones.
_WORD_RUN = re.compile(r"\w+")
_ASCII_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _relative_antecedent(text: str, pos: int, last_source: tuple[int, int] | None) -> int | None:
    """The speaker a relative 'who' stands for: the one named just before it, in the same
    sentence ('explained Gul, who estimates …'). A relative pronoun is never a speaker of its own."""
    if last_source is None:
        return None
    end, index = last_source
    return index if end <= pos and pos - end <= 160 and not re.search(r"[.!?;\n]", text[end:pos]) else None


def _max(*indexes: int | None) -> int | None:
    present = [i for i in indexes if i is not None]
    return max(present) if present else None


class _Speakers:
    """The speakers found so far, with look-up tables so that each new mention costs O(1).

    Every rule reads "the most recent earlier speaker such that …"; scanning all earlier
    speakers for each quote made a long text quadratic in its number of speakers. Speakers only
    ever get added (and gain mentions), so for each rule a table keeps the highest index per key;
    the answers are those of the scans they replace.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.builders: list[dict] = []
        self._key: dict[str, int] = {}  # merge key -> last speaker
        self._key_type: dict[tuple[str, str], int] = {}  # (key, type) -> last speaker
        self._org_acronym: dict[str, int] = {}  # lower-cased initials of an organisation's name
        self._org_name: dict[str, int] = {}  # lower-cased name of an organisation
        self._org_word: dict[str, int] = {}  # a word of an organisation's name
        self._plain_org_word: dict[str, int] = {}  # the same, for organisations not named by a role
        self._plain_outlet: int | None = None  # last plain organisation whose name is a news outlet's
        self._plain_org: int | None = None  # last plain organisation
        self._country: int | None = None  # last country or government ("the State Department")
        self._surname: dict[str, int] = {}  # last word of a person's name (its merge key)
        self._person_spans: list[tuple[int, int]] = []  # (offset, speaker) of every person speaker's mention, sorted
        self._person_word: dict[str, int] = {}  # a word of one of a person's mentions (folded)
        self._last_kind: dict[bool, int] = {}  # person or not -> last quote's speaker of that kind
        self._titled: dict[str, tuple[list[int], list[re.Match[str]]]] = {}  # role -> 'Title Name' matches

    def new(self, mention: Mention) -> int:
        i = len(self.builders)
        self.builders.append({"mention": mention, "spans": [], "name": mention.name})
        self._key[mention.key] = i
        self._key_type[(mention.key, mention.type)] = i
        if mention.type == "organisation":
            self._org_acronym[acronym(mention.name).lower()] = i
            self._org_name[mention.name.lower()] = i
            words = set(mention.name.lower().split())
            for w in words:
                self._org_word[w] = i
            if mention.role is None:
                self._plain_org = i
                for w in words:
                    self._plain_org_word[w] = i
                if words & _OUTLET_NAMES:
                    self._plain_outlet = i
        elif mention.type == "person":
            self._surname[mention.name.lower().split()[-1]] = i
        elif mention.type == "country":
            self._country = i
        return i

    def add_span(self, index: int, span) -> None:
        self.builders[index]["spans"].append(span)
        if self.builders[index]["mention"].type == "person":
            insort(self._person_spans, (span.start, index))
            for w in _WORD_RUN.findall(span.text):
                folded = w.translate(_ASCII_FOLD).lower()
                self._person_word[folded] = max(index, self._person_word.get(folded, index))

    def spoke(self, index: int | None) -> None:
        """Record the speaker of the quote just resolved (pronouns look back at these)."""
        if index is not None:
            self._last_kind[self.builders[index]["mention"].type in ("person", "unknown")] = index

    def match(self, mention: Mention) -> int | None:
        """The existing entity a named mention refers to, if any (the most recent one)."""
        key, kind = mention.key, mention.type
        if kind == "unknown":
            found = self._key.get(key)
        else:
            found = _max(self._key_type.get((key, kind)), self._key_type.get((key, "unknown")))
        if kind == "organisation":
            # 'ISW' -> 'Institute for the Study of War', and the other way round
            found = _max(found, self._org_acronym.get(mention.name.lower()), self._org_name.get(acronym(mention.name).lower()))
        if kind in ("group", "unknown"):
            head = key.split()[-1] if key else ""
            if head and head in _words("orgwords.txt") | _ORG_HEADS:
                found = _max(found, self._org_word.get(head))  # "the institute" -> "Institute for the Study of War"; never "another official"
        if kind == "person":
            found = _max(found, self._surname.get(key))
        return found

    def antecedent(self, mention: Mention) -> int | None:
        """Nearest earlier speaker compatible with the pronoun (person for he/she, else not a person)."""
        return self._last_kind.get(mention.key in PERSON_PRONOUNS)

    def salient(self, seg: Segmentation, pos: int, mention: Mention) -> int | None:
        """The entity a pronoun source at ``pos`` stands for, by salience.

        A person pronoun looks back sentence by sentence (this one first, up to
        ``PRONOUN_SENTENCES``, across paragraphs) for the first sentence that names a person, as
        a speaker or in running text, and takes its first such mention (subjects come first in
        English news). A name not yet a speaker becomes one. Otherwise, or for 'they' / 'it', the
        nearest earlier compatible speaker (:meth:`antecedent`). Each sentence is read up to
        ``SALIENCE_WINDOW_CHARS`` back from where it ends (all of any real sentence).
        """
        if mention.key not in PERSON_PRONOUNS or not seg.sentences:
            return self.antecedent(mention)
        here = seg.sentence_index(pos)
        for s in range(here, max(-1, here - PRONOUN_SENTENCES), -1):
            sent = seg.sentences[s]
            end = min(sent.end, pos)
            start = max(sent.start, end - SALIENCE_WINDOW_CHARS)
            found = self._first_person_mention(start, end)
            if found is None:
                continue
            index, named = found
            if index is not None:
                return index
            index = self.match(named)
            return self.new(named) if index is None else index
        return self.antecedent(mention)

    def _first_person_mention(self, start: int, end: int) -> tuple[int | None, Mention | None] | None:
        """The first mention of a person in ``text[start:end]``: a person speaker's mention, a
        speaker's surname, or a new name ('Gov. Tom Reyes'); on the same offset in that order."""
        candidates: list[tuple[int, int, int | None, Mention | None]] = []  # (offset, rule, speaker, new name)
        k = bisect_left(self._person_spans, (start, -1))
        if k < len(self._person_spans) and self._person_spans[k][0] < end:
            candidates.append((self._person_spans[k][0], 0, self._person_spans[k][1], None))
        for w in _CAPITALISED.finditer(self.text, start, end):  # 'Carter first met …': a speaker's surname
            if w.group(0).lower() in self._surname:
                candidates.append((w.start(), 1, self._surname[w.group(0).lower()], None))
                break
        for m in _PERSON_NAME.finditer(self.text, start, end):
            named = describe(m.group(0))
            if named.type == "person" and named.group is None:
                candidates.append((m.start(), 2, None, named))
                break
        if not candidates:
            return None
        _, _, index, named = min(candidates, key=lambda c: (c[0], c[2] is None, c[1]))
        return index, named

    def definite(self, pos: int, mention: Mention) -> tuple[int | None, Mention]:
        """The entity a definite description refers to, and the mention to record for it.

        'the president' → the most recent speaker whose mentions carry the title President, else the
        last 'President Firstname Lastname' written before ``pos`` (a new person mention);
        'the company' → the most recent organisation speaker whose name holds the head word, else the
        most recent organisation; 'the paper' / 'the daily' → the most recent news outlet.
        """
        role = mention.role or ""
        if role != "outlet" and role not in _words("orgwords.txt") and role not in _ORG_HEADS:  # a person's title
            found = self._person_word.get(role)
            if found is not None:
                return found, mention
            titled = self._last_titled(role, pos)
            if titled is not None:
                named = describe(titled.group(1))
                if named.type == "person":
                    return self.match(named), named
            return None, mention
        found = self._plain_outlet if role == "outlet" else self._plain_org_word.get(role)
        if found is not None:
            return found, mention
        if role in _GENERIC_ORG_HEADS:  # 'the company' with no named company: the nearest organisation
            return self._plain_org, mention
        if role in _GOVERNMENT_HEADS and self._country is not None:
            return self._country, mention  # "The State Department said … the agency said": a government's body
        return None, mention

    def _last_titled(self, role: str, pos: int) -> re.Match[str] | None:
        """The last match of 'Role Name' in ``text[:pos]``, from one scan of the text per role.

        A match of the whole text that ends by ``pos`` is also one of ``text[:pos]``; only one that
        runs across ``pos`` has to be read again on the cut text.
        """
        pattern = re.compile(_TITLED_NAME.format(title=re.escape(role.capitalize())))
        if role not in self._titled:
            found = list(pattern.finditer(self.text))
            self._titled[role] = ([m.start() for m in found], found)
        starts, found = self._titled[role]
        k = bisect_left(starts, pos) - 1
        if k < 0:
            return None
        if found[k].end() <= pos:
            return found[k]
        last = None
        for last in pattern.finditer(self.text, found[k].start(), pos):
            pass
        return last if last is not None else (found[k - 1] if k > 0 else None)
