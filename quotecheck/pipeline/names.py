"""Names: what a mention names, whether two names name the same one, countries and seats.

One module for every stage that reads names (issue 17):

* countries, demonyms, capitals and seats of government → a country (:func:`country_of`, kept
  in ``places.py`` and re-exported here), and initials (:func:`acronym`);
* :func:`describe` — the plain reading of a noun phrase (type, merge key, country group), as the
  events stage reads its actors;
* :func:`speaker_mention` — the canonical speaker a quote's source names: titles, honorifics
  and appositives dropped or used ('Former WorldCom chief Bernie Ebbers' → Bernie Ebbers;
  'Ms Jowell's deputy, Richard Caborn' → Richard Caborn; 'Chen Huiqin, an analyst at …' →
  Chen Huiqin), organisations and documents ('a World Bank report' → World Bank), anonymous
  sources kept as written ('A spokesman for NBC'), with gender and number for pronouns;
  ``None`` for a phrase that names nobody ('the same', 'The delay');
* :func:`pronoun_agrees` — gender and number agreement of a pronoun with a mention ('she' is
  never a husband or a newspaper; 'they' never one person nor a news outlet): the speakers stage
  uses it, and the events stage's actor resolver (``actors.py``) can import it;
* :func:`names_match` — whether two names name the same one ('Carter' ~ 'Ash Carter',
  'Kestrian' ~ 'Kestria'); ``loose=True`` also lets one name's words contain the other's
  ('the council' ~ 'Ferncliff Council'), the fixture format's rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files

from quotecheck.lexicon import MONTHS, WEEKDAYS, lines, titles
from quotecheck.models import EntityType
from quotecheck.pipeline.places import countries as _countries, country_data as _country_data, country_of, seats as _seats

__all__ = [
    "Mention", "describe", "source_mention", "speaker_mention", "country_of", "acronym", "pronoun_agrees",
    "pronoun_features", "gender_of_name", "is_org_noun", "names_match", "name_key", "PERSON_PRONOUNS", "OTHER_PRONOUNS",
    "RELATIVE_PRONOUNS",
]

PERSON_PRONOUNS = frozenset("he she him her his i me my".split())
OTHER_PRONOUNS = frozenset("it its they them their we us our".split())
#: A relative pronoun as a source ("Gul, who estimates …") stands for the speaker just named.
RELATIVE_PRONOUNS = frozenset("who which that whom".split())
#: pronoun → (stands for a person: True / not a person: False / either: None, gender, plural)
_PRONOUNS: dict[str, tuple[bool | None, str | None, bool]] = {
    **{p: (True, "m", False) for p in ("he", "him", "his")},
    **{p: (True, "f", False) for p in ("she", "her", "hers")},
    **{p: (False, None, False) for p in ("it", "its")},
    **{p: (None, None, True) for p in ("they", "them", "their")},
    **{p: (None, None, False) for p in ("i", "me", "my")},
    **{p: (None, None, True) for p in ("we", "us", "our")},
}
_RELATIVE_TAIL = re.compile(r",?\s+(?:which|who|whose|whom)\b")
_DASH_ASIDE = re.compile(r"\s+[-–—]\s+(?:who|which|whose)\b[^-–—]*(?:[-–—]|$)")
_TRAILING_DISCOURSE = re.compile(r",?\s+(?:however|though|meanwhile|too|also|then|now|instead|in turn)\s*,?\s*$", re.I)
_DETERMINER = re.compile(r"^(?:the|a|an|some|many|several|two|three|four|both|other|its|his|her|their)\s+", re.I)
_DETERMINERS = frozenset("the a an this that these those some many most several other its his her their our both".split())
_MONTHS_DAYS = "|".join(MONTHS + WEEKDAYS)
#: Time and discourse adjuncts that a rule-based source span can drag in: "In 2012 the government".
_LEADING_ADJUNCT = re.compile(
    rf"^(?:(?:(?:in|on|by|during|since|after|before|until|last|this|next|early|late)\s+(?:(?:19|20)\d\d|{_MONTHS_DAYS}|week|month|year|night|morning|weekend)"
    rf"|earlier|later|yesterday|today|meanwhile|however|also|then|now|still|but|and|so)\b,?\s+)+(?=\S)",
    re.I,
)
_TOKEN = re.compile(r"[\w’'.&-]+")
_POSSESSIVE = re.compile(r"(?<=\w)[’'](?:s)?$")
#: 'the president', 'the former senator', 'the paper': a definite description naming a role.
_DEFINITE = re.compile(r"(?:the|this|that)\s+(?:(?:former|new|current|outgoing|incoming|embattled|[a-z]+-[a-z]+)\s+)?([a-z]+)")
#: Heads that stand for a news outlet ('the daily reported').
OUTLET_HEADS = frozenset("daily paper newspaper tabloid broadcaster network outlet magazine weekly website site wire".split())
#: Outlet words inside an organisation's name ('The Washington Post', 'CNN').
OUTLET_NAMES = frozenset(
    "times post journal news tribune herald gazette daily press magazine channel reuters cnn bbc nbc abc cbs fox "
    "msnbc ap afp telegraph guardian observer chronicle globe star sun mail express politico axios bloomberg mirror "
    "xinhua itv sky".split()
)
#: Organisation heads not in orgwords.txt ('the company' is there; 'the firm' is not).
ORG_HEADS = frozenset("firm campaign group organisation organization agency alliance coalition lab jury panel tribunal press".split())
#: Capitalised words that make a name an organisation's ('Swiss Re' is not; 'Rank Group' is).
_ORG_NAME_WORDS = frozenset(
    "group corp corporation inc ltd plc co company bank fund association council committee commission institute "
    "agency party union federation society trust foundation ministry department office authority board court "
    "police army navy university college school centre center club league airline airways motors industries "
    "industry securities holdings partners capital financial insurance systems networks records studios "
    "entertainment media organisation organization service services government parliament house senate assembly "
    "council unit exchange".split()
)
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
#: Words joining the capitalised words of one name ('Institute for the Study of War').
_NAME_GLUE = frozenset("of for the and & de del della der den dos das los las van von ter al el bin da di du la le y".split())
_PREPOSITIONS = frozenset("of for at from in with on to by".split())


@lru_cache(maxsize=None)
def _words(name: str) -> frozenset[str]:
    return frozenset(w for row in lines(name) for w in row)


@lru_cache(maxsize=None)
def _sections(name: str) -> dict[str, frozenset[str]]:
    from quotecheck.pipeline.quotes.patterns import load_words

    return load_words(files("quotecheck.lexicon").joinpath(name).read_text(encoding="utf-8"))


def _speaker_words(section: str) -> frozenset[str]:
    return _sections("speaker_words.txt")[section]


def acronym(name: str) -> str:
    """Initials of the capitalised words: 'Institute for the Study of War' → 'ISW'."""
    return "".join(w[0] for w in name.split() if w[:1].isupper())


# -- mentions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A described mention: its cleaned name, type, merge key and country group.

    ``gender`` ('m', 'f' or None) and ``plural`` say which pronouns may stand for it;
    ``outlet`` marks a news outlet ('they' never stands for one)."""

    name: str
    type: EntityType
    key: str
    group: str | None
    pronoun: bool = False
    role: str | None = None  # a definite description's role: 'the president' → 'president', 'the paper' → 'outlet'
    gender: str | None = None
    plural: bool = False
    outlet: bool = False
    affiliation: str | None = None  # the organisation a person speaks for ('a spokesman for NBC' → NBC)


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
    """A quote source with :func:`describe`'s reading, plus the possessor of a possessive source
    ("Nervo's" → Nervo) and the role of a definite description ('the senator', 'the company',
    'the paper'), which the speakers stage looks back for."""
    raw = source.strip().strip(",.;:“”\"'")
    raw = _RELATIVE_TAIL.split(raw, maxsplit=1)[0] or raw  # "the agency, which fell … short": the agency
    raw = _DOCUMENT_TAIL.sub("", raw) or raw
    mention = describe(_POSSESSIVE.sub("", raw) or raw)
    definite = _DEFINITE.fullmatch(raw.lower())
    if definite is None or mention.pronoun:
        return mention
    head = definite.group(1)
    if head in OUTLET_HEADS:
        return replace(mention, role="outlet", outlet=True)
    if head in _words("orgwords.txt") or head in ORG_HEADS:
        return replace(mention, role=head)
    if head in titles() and head not in _NOT_ROLES and head not in _words("anonymous.txt"):
        return replace(mention, role=head)
    return mention


# -- speakers ---------------------------------------------------------------------------------------


def pronoun_features(pronoun: str) -> tuple[bool | None, str | None, bool] | None:
    """(stands for a person / not / either, gender, plural) of a personal pronoun, else None."""
    return _PRONOUNS.get(pronoun.lower())


@lru_cache(maxsize=None)
def _forenames() -> dict[str, str]:
    sections = _sections("forenames.txt")
    return {**{n: "m" for n in sections["MALE"]}, **{n: "f" for n in sections["FEMALE"]}}


def gender_of_name(name: str) -> str | None:
    """'m' or 'f' when a name's honorific ('Mrs'), given name ('Tessa') or a gendered noun in it
    ('a spokeswoman', 'her husband') says so; else None."""
    words = [w.lower().strip(".,") for w in _TOKEN.findall(name)]
    for w in words:
        if w in _speaker_words("HONORIFICS_MALE") or w in _speaker_words("MALE_NOUNS"):
            return "m"
        if w in _speaker_words("HONORIFICS_FEMALE") or w in _speaker_words("FEMALE_NOUNS"):
            return "f"
    capitals = [w for w in _TOKEN.findall(name) if w[:1].isupper()]
    for w in capitals:
        low = w.lower().strip(".")
        if low in _speaker_words("HONORIFICS") or low in titles():
            continue
        return _forenames().get(low)
    return None


def _is_person_noun(word: str) -> bool:
    low = word.lower()
    if re.fullmatch(r"\d+-year-old", low):
        return True  # 'the 23-year-old'
    if "-" in low and low not in _speaker_words("PERSON_NOUNS"):
        low = low.rsplit("-", 1)[1]  # 'co-chairman', 'vice-president'
    return low in _speaker_words("PERSON_NOUNS") or low in _words("anonymous.txt") and not low.endswith("s") or (
        low in titles() and low not in _NOT_ROLES and low not in {"party", "campaign", "house", "senate"}
    )


def _is_group_noun(word: str) -> bool:
    low = word.lower()
    if low in _speaker_words("GROUP_NOUNS"):
        return True
    if not low.endswith("s") or low.endswith("ss"):
        return False
    stem = low[:-1]
    return stem in _speaker_words("PERSON_NOUNS") or _is_org_noun(stem) or low[:-2] in _speaker_words("PERSON_NOUNS") or low.endswith(
        ("ers", "ists", "ians", "ants", "ents", "ors")
    )


def is_org_noun(word: str) -> bool:
    """Whether a common noun heads an organisation's name or description ('trust', 'company', 'paper')."""
    return _is_org_noun(word)


def _is_org_noun(word: str) -> bool:
    low = word.lower()
    return low in _words("orgwords.txt") or low in ORG_HEADS or low in _ORG_NAME_WORDS or low in OUTLET_HEADS


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or (word[:1].isdigit() and any(c.isalpha() for c in word))


def _common(word: str) -> bool:
    """A common noun or determiner, which a sentence may capitalise ('Analysts said')."""
    low = word.lower().strip(".")
    if word.isupper() and len(word) > 1 or low in OUTLET_NAMES or low in _speaker_words("HONORIFICS_MALE") | _speaker_words(
        "HONORIFICS_FEMALE") | _speaker_words("HONORIFICS"):
        return False
    return low in _DETERMINERS or _is_person_noun(low) or _is_group_noun(low) or low in _speaker_words("DOCUMENT_NOUNS") or (
        _is_org_noun(low) and low not in _ORG_NAME_WORDS
    ) or low in ("other", "most", "private", "public", "local", "senior", "former", "some", "many", "several")


def _name_runs(tokens: list[str], caps: list[bool]) -> list[tuple[int, int]]:
    """Maximal runs of capitalised tokens (joined by name glue), as (first, last + 1)."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if not caps[i]:
            i += 1
            continue
        j = i + 1
        while j < len(tokens):
            if caps[j]:
                j += 1
            elif tokens[j].lower() in _NAME_GLUE - {"and"}:
                k = j
                while k < len(tokens) and tokens[k].lower() in _NAME_GLUE - {"and"} and not caps[k]:
                    k += 1  # 'de los Angeles', 'van der Berg', 'of the Interior': glue words in a row
                if k < len(tokens) and caps[k]:
                    j = k + 1
                else:
                    break
            else:
                break
        runs.append((i, j))
        i = j
    return runs


_QUANTITIES = frozenset(
    "half majority minority percent per cent most some many all none one two three four five dozens hundreds thousands "
    "millions number proportion third quarter fraction rest".split()
)


def _known_noun(word: str) -> bool:
    low = word.lower()
    return _is_person_noun(low) or _is_group_noun(low) or _is_org_noun(low) or low in _speaker_words("DOCUMENT_NOUNS")


def _role_word(word: str) -> bool:
    low = word.lower().strip(".")
    return (low in titles() and low not in _NOT_ROLES) or _is_person_noun(low)


def _strip_name(words: list[str]) -> tuple[list[str], str | None, bool]:
    """A name's words without honorifics, titles and side words ('UK Foreign Secretary Jack Straw'
    → Jack Straw, 'Tory Liam Fox' → Liam Fox, 'Dr Liam Fox' → Liam Fox); and the gender an
    honorific marks, and whether a title or honorific said it is a person. The words after the
    last title word are the name, when any are left."""
    gender = None
    cut = 0
    words = [re.sub(r"[’']s$", "", w) for w in words]
    for k, w in enumerate(words[:-1]):
        if (_role_word(w) or w.lower().strip(".") in _speaker_words("HONORIFICS")) and words[k + 1].lower() not in _NAME_GLUE:
            cut = k + 1
    for w in words[:cut]:
        low = w.lower().strip(".")
        if low in _speaker_words("HONORIFICS_MALE"):
            gender = "m"
        elif low in _speaker_words("HONORIFICS_FEMALE"):
            gender = "f"
    out = words[cut:]
    organisation = any(w.lower() in _ORG_NAME_WORDS or w.lower() in _words("orgwords.txt") for w in out) and not any(
        w.lower() in _forenames() for w in out[1:-1])
    while len(out) > 1 and not organisation:
        low = out[0].lower().strip(".")
        if low in _speaker_words("HONORIFICS_MALE") or low in _speaker_words("HONORIFICS_FEMALE"):
            gender = "m" if low in _speaker_words("HONORIFICS_MALE") else "f"
            if low in ("sir", "lord", "lady", "dame"):
                break  # 'Lord Tebbit', 'Sir Teddy Taylor': the title is part of how they are named
            out = out[1:]
        elif len(out) > 2 and (low in _speaker_words("HONORIFICS") or low in _speaker_words("MODIFIERS") or (
            country_of(out[0]) and low not in _countries()
        )):
            out = out[1:]  # 'Tory Liam Fox', 'UK …', 'British …': a side, not a name
        elif low in _speaker_words("HONORIFICS"):
            out = out[1:]
        else:
            break
    titled = cut > 0 or gender is not None or len(out) < len(words) and not organisation
    return out, gender, titled


#: Upper-case codes read as countries; other three-letter codes are organisations ('MDA', 'BPI').
_COUNTRY_CODES = frozenset({"US", "UK", "USA", "UAE", "PRC", "DRC", "ROK", "DPRK"})
_PARTIES = frozenset("labour tories tory conservatives democrats republicans liberals greens".split())


def _proper(words: list[str], *, definite: bool = False, alias: str | None = None, gender: str | None = None) -> Mention:
    """A name made of capitalised words: a country, an organisation, a person or a plural side."""
    name = " ".join(words)
    low = name.lower()
    table, minor = _country_data()
    group = country_of(name)
    code = name.isupper() and len(name) <= 3
    if (low in table and low not in minor and (not code or name in _COUNTRY_CODES)) or low in _seats():
        country = table.get(low) or _seats()[low]
        return Mention(country, "country", country.lower(), country)
    lows = [w.lower().strip(".") for w in words]
    acronym_shaped = re.fullmatch(r"[A-Z][A-Za-z]?[A-Z]{1,5}", name) is not None
    orgish = any(w in _ORG_NAME_WORDS or w in _words("orgwords.txt") for w in lows) or acronym_shaped or (
        len(words) >= 3 and "of" in lows[1:-1]) or "&" in lows
    outlet = lows[-1] in OUTLET_NAMES and (len(words) > 1 or lows[-1] in ("reuters", "cnn", "bbc", "nbc", "abc", "cbs", "msnbc", "afp", "itv", "xinhua", "bloomberg", "politico", "axios", "mirror", "telegraph", "guardian", "times", "express"))
    gender = gender or gender_of_name(name)
    forename = len(words) == 2 and lows[0] in _forenames()  # 'Liam Fox', 'Charlotte Church': a given name wins
    if gender is not None and (forename or not orgish) and len(words) <= 4:
        return Mention(name, "person", lows[-1], group, gender=gender)
    if low in _PARTIES:
        return Mention(name, "organisation", low, group, plural=low.endswith("s"))
    if orgish or outlet:
        key = (alias or (name if acronym_shaped else acronym(name)) or name).lower()
        return Mention(name, "organisation", key, group, outlet=outlet or (alias or "").lower() in OUTLET_NAMES)
    if definite and lows[-1].endswith("s") and not lows[-1].endswith("ss"):
        return Mention(name, "group", low, group, plural=True)  # 'the Tories', 'The Lib Dems'
    return Mention(name, "unknown", low, group)


def _phrase(text: str) -> Mention | None:
    """The speaker one noun phrase (no appositive) names, or None when it names nobody."""
    text = text.strip(" ,;:")
    alias_match = re.search(r"\(([A-Z][A-Za-z]{1,6})\)", text)
    alias = alias_match.group(1) if alias_match else None
    plain = re.sub(r"\s*\([^()]*\)", "", text).strip(" ,;:") or text
    if any(w[:1].isupper() and w.lower() not in _DETERMINERS for w in _DOCUMENT_TAIL.sub("", plain).split()):
        plain = _DOCUMENT_TAIL.sub("", plain) or plain  # 'a World Bank report': World Bank
    plain = _POSSESSIVE.sub("", plain)
    tokens = [t[:-1] if t.endswith(".") and t.lower() not in ("mr.", "mrs.", "ms.", "dr.") and len(t) > 2 else t for t in _TOKEN.findall(plain)]
    tokens = [t for t in tokens if t]
    owner = max((k for k, t in enumerate(tokens[:-1]) if re.search(r"\w[’']s?$", t) and not t.lower().endswith(("ss'", "ss’"))), default=None)
    if owner is not None and re.search(r"[’']", tokens[owner]) and not any(t.lower() in _PREPOSITIONS for t in tokens[:owner]):
        rest = [t for t in tokens[owner + 1:] if t.lower() not in _DETERMINERS]
        if rest and rest[-1].lower() not in _speaker_words("DOCUMENT_NOUNS"):
            return _phrase(" ".join(tokens[owner + 1:]))  # "Xbox's Peter Moore", "Ms Jowell's deputy": not the owner
        if rest:
            return _phrase(" ".join(tokens[: owner + 1]))  # "Morquendi's message": whoever wrote it
    if not tokens:
        return None
    n = len(tokens)
    lows = [t.lower() for t in tokens]
    if all(w in MONTHS or w in WEEKDAYS or w in _DETERMINERS or w in _PREPOSITIONS or w.isdigit() for w in lows):
        return None  # 'on Thursday': a time, not a name
    if n == 1 and lows[0] in _PRONOUNS and not (tokens[0].isupper() and n and len(tokens[0]) > 1):
        return Mention(tokens[0], "unknown", lows[0], None, pronoun=True)
    start = 1 if lows[0] in _DETERMINERS and n > 1 else 0
    definite = lows[0] == "the"
    caps = [_capitalised(t) for t in tokens]
    if start == 1:
        caps[0] = False
    if caps[start] and _common(tokens[start]):
        caps[start] = False  # 'Analysts said', 'Private sector business surveys'
    runs = _name_runs(tokens, caps)
    inside = {i for a, b in runs for i in range(a, b)}
    prepositions = [k for k in range(start + 1, n) if lows[k] in _PREPOSITIONS and k not in inside]
    if definite and n == 2 and country_of(tokens[1]) and not lows[1].endswith("s") and not tokens[1].isupper():
        return Mention(text, "anonymous", text.lower(), country_of(tokens[1]), role=lows[1])  # 'the American': a person
    # 'Bank of England deputy governor Rachel Lomax', 'Film-maker Spike Lee': a role, then the name
    if runs and runs[-1][1] == n and runs[-1][0] > start:
        a = runs[-1][0]
        before = tokens[a - 1]
        if not caps[a - 1] and lows[a - 1] not in _DETERMINERS | _PREPOSITIONS | {"and", "&"} and (
            any(_role_word(t) for t in tokens[start:a]) or not any(k < a for k in prepositions)
        ):
            if _is_group_noun(before):
                return Mention(text, "group", text.lower(), country_of(text), plural=True)  # 'operators London Clubs …'
            if _role_word(tokens[-1]):
                return Mention(text, "anonymous", text.lower(), country_of(text), role=lows[-1].split("-")[-1],
                               gender=gender_of_name(tokens[-1]))  # 'the outgoing European Commissioner'
            words, gender, _ = _strip_name(tokens[a:])
            named = _proper(words, gender=gender, alias=alias)
            if named.type == "unknown":
                named = replace(named, type="organisation" if _is_org_noun(before) else "person",
                                key=(acronym(named.name) if _is_org_noun(before) else words[-1]).lower())
            return named
    prep = prepositions[0] if prepositions else None
    if prep is not None and lows[prep] == "of" and (lows[prep - 1] in _QUANTITIES or lows[prep - 1][:1].isdigit()):
        inner = _phrase(" ".join(tokens[prep + 1:]))  # 'More than half of 2,000 people surveyed', 'members of the union'
        if inner is not None and inner.type in ("group", "anonymous", "organisation"):
            return Mention(text, "group", text.lower(), inner.group, plural=True)
    stop = prep if prep is not None else n
    while stop > start + 1 and not caps[stop - 1] and not _known_noun(tokens[stop - 1]) and any(
        _known_noun(t) for t in tokens[start:stop - 1]
    ):
        stop -= 1  # 'The figures collected by …', 'The statement issued by Lycos': the head noun
    head = tokens[start:stop]
    if not head:
        return None
    head_runs = [(a, b) for a, b in runs if a >= start and b <= stop]
    low_last = lows[stop - 1]
    if len(head_runs) >= 2 and "and" in lows[start:stop] and head_runs[-1][1] == stop and all(
        i in inside or lows[i] in ("and", ",") for i in range(start, stop)
    ):
        return Mention(" ".join(tokens[start:stop]), "group", " ".join(lows[start:stop]), country_of(text), plural=True)
    if head_runs and head_runs[-1][1] == stop:  # the head is a name
        a, b = head_runs[-1]
        if _role_word(tokens[b - 1]):
            # 'The Culture Secretary', 'The Conservative Party Co-Chairman': a title, no name
            return Mention(text, "anonymous", text.lower(), country_of(text), role=lows[b - 1].split("-")[-1],
                           gender=gender_of_name(tokens[b - 1]))
        words, gender, titled = _strip_name(tokens[a:b])
        named = _proper(words, definite=definite, alias=alias, gender=gender)
        if titled and named.type == "unknown":
            named = replace(named, type="person", key=words[-1].lower())
        return named
    if low_last in _speaker_words("DOCUMENT_NOUNS"):
        # 'the latest survey from the Institute for Supply Management (ISM)': whoever wrote it
        for a, b in [r for r in runs if r[0] >= stop] + head_runs:
            named = _proper(tokens[a:b], alias=alias)
            return replace(named, type="organisation") if named.type in ("person", "unknown") else named
        return Mention(text, "group", text.lower(), country_of(text), role=low_last, plural=low_last.endswith("s") and low_last != "analysis")
    if any(any(w.lower() in _ORG_NAME_WORDS for w in tokens[a:b]) for a, b in head_runs) and not _is_person_noun(low_last):
        name = " ".join(tokens[start:])
        return Mention(name, "organisation", (alias or acronym(name) or name).lower(), country_of(text))  # 'The Association of British insurers'
    if _is_person_noun(low_last):
        return Mention(text, "anonymous", text.lower(), country_of(text), role=low_last.split("-")[-1], gender=gender_of_name(low_last))
    if _is_org_noun(low_last):
        return Mention(text, "organisation", text.lower(), country_of(text), role=low_last,
                       outlet=low_last in OUTLET_HEADS)
    if _is_group_noun(low_last):
        return Mention(text, "group", text.lower(), country_of(text), plural=True)
    for a, b in head_runs:
        named = _proper(tokens[a:b], alias=alias)
        if named.type in ("country", "organisation"):
            return named
    if country_of(text):
        return Mention(text, "group", text.lower(), country_of(text), plural=True)  # 'the Chinese state press'
    return None  # 'the same', 'The delay': not someone who can speak


def _split_appositive(raw: str) -> tuple[str, str | None]:
    """'NAME, APPOSITIVE' or 'NAME - APPOSITIVE -' → (NAME, APPOSITIVE)."""
    depth = 0
    for i, ch in enumerate(raw):
        depth += ch == "("
        depth -= ch == ")"
        if depth:
            continue
        if (ch == "," and raw[i + 1 : i + 2] == " ") or (ch in "-–—" and raw[i - 1 : i] == " " and raw[i + 1 : i + 2] == " "):
            rest = raw[i + 1 :].strip(" ,-–—")
            return raw[:i].strip(), rest or None
    return raw, None


_ORG_NAME = r"[A-Z][\w&.-]*(?:\s+(?:(?:of|for|the|and|&)\s+)*[A-Z][\w&.-]*){0,5}"
#: (pattern, group of the organisation, group of the role word)
_AFFILIATIONS = (
    (re.compile(rf"({_ORG_NAME})[’']s?\s+(?:[a-z-]+\s+){{0,3}}?([a-z-]+)\b"), 1, 2),  # "Brightwell Energy's chief financial officer"
    (re.compile(rf"\b([a-z-]+)\s+(?:of|for|at|with|from)\s+(?:the\s+)?({_ORG_NAME})"), 2, 1),  # "spokesman for NBC"
    (re.compile(rf"({_ORG_NAME})\s+(?:[a-z-]+\s+){{0,3}}?([a-z-]+)\s+(?=[A-Z])"), 1, 2),  # "Salvation Army spokesman Jonathan Lomax"
)


def _affiliation(raw: str) -> str | None:
    """The organisation a person speaks for, when the source says so: 'Brightwell Energy's chief
    financial officer', 'a spokesman for NBC', 'an analyst at Huatai Securities'."""
    for pattern, org, role in _AFFILIATIONS:
        for m in pattern.finditer(raw):
            if not _role_word(m.group(role)):
                continue
            named = _phrase(m.group(org))
            if named is not None and named.type in ("organisation", "unknown", "country") and not named.pronoun:
                return named.name
    return None


def speaker_mention(source: str) -> Mention | None:
    """The canonical speaker a quote's source names (rules in the module docstring), or None
    when the source names nobody."""
    raw = source.strip().strip(",.;:“”\"'‘’ ")
    raw = _LEADING_ADJUNCT.sub("", raw) or raw
    raw = _DASH_ASIDE.sub("", raw).strip() or raw
    raw = _TRAILING_DISCOURSE.sub("", raw).strip() or raw
    raw = _RELATIVE_TAIL.split(raw, maxsplit=1)[0].strip() or raw
    low = raw.lower()
    if not re.search(r"[A-Za-z]", raw):
        return None
    if (low in _PRONOUNS or low in RELATIVE_PRONOUNS) and not (raw.isupper() and len(raw) > 1):  # 'US' is no 'us'
        return Mention(raw, "unknown", low, None, pronoun=True)
    found = _speaker(raw)
    if found is not None and found.group is None and found.type in ("person", "anonymous", "unknown"):
        organisation = _affiliation(raw)
        if organisation is not None and organisation != found.name:
            found = replace(found, group=organisation, affiliation=organisation)  # the coarser actor it speaks for
        else:
            side = _DEMONYM.search(raw)  # 'Marandian President Aurelio Vasquez': the country he speaks for
            if side is not None and side.group(1) not in found.name.split():
                found = replace(found, group=country_of(side.group(1)) or side.group(1))
    return found


#: A demonym before a title ('Marandian President', 'Russian officials'), known or not.
_DEMONYM = re.compile(r"\b([A-Z][a-z]+(?:ian|an|ese|ish|i))\s+(?:[A-Z][a-z]+\s+)?(?=[A-Za-z])")


def _speaker(raw: str) -> Mention | None:
    head, appositive = _split_appositive(raw)
    first = _phrase(head)
    second = _phrase(appositive) if appositive else None
    if first is None or first.pronoun:
        return second if second is not None and not second.pronoun else first
    if second is None or second.pronoun:
        return first
    if first.type == "anonymous" and first.role and second.type in ("person", "unknown") and not re.search(r"\b(?:for|of|at)\b", head):
        return replace(second, type="person", key=second.name.split()[-1].lower(),
                       gender=second.gender or first.gender)  # "Ms Jowell's deputy, Richard Caborn"
    if first.role and first.type in ("group", "organisation") and second.type == "organisation" and second.role is None:
        return second  # 'a consumer group - Consumers Against … (Caspian) -': the name
    if first.outlet and second.type == "anonymous":
        return second  # 'Mirror, a hospital spokesman': the outlet reports, the spokesman speaks
    if first.type in ("person", "unknown") and second.type == "anonymous":
        return replace(first, type="person", key=first.name.split()[-1].lower(), gender=first.gender or second.gender)
    if first.type == "unknown" and second.type in ("organisation", "group") and not second.plural:
        return replace(first, type="organisation", key=acronym(first.name).lower() or first.key)  # 'Allianz, a leading German insurer'
    return first


def pronoun_agrees(pronoun: str, mention: Mention) -> bool:
    """Whether ``pronoun`` may stand for ``mention`` by person, gender and number.

    he/she: one person (or a name of unknown kind) of that gender or of none known; it: one thing
    that is not a person (an organisation, a country, a document); they: many (a group, several
    named), or an organisation that is not a news outlet (British usage: 'BAA … They said')."""
    features = _PRONOUNS.get(pronoun.lower())
    if features is None:
        return True
    person, gender, plural = features
    kind = mention.type
    if person is True:  # he / she
        if mention.plural or kind in ("organisation", "country", "group") or mention.outlet:
            return False
        return mention.gender is None or mention.gender == gender
    if person is False:  # it
        return kind in ("organisation", "country", "group", "unknown") and not mention.plural and not (kind == "unknown" and mention.gender)
    if plural:  # they / we
        return mention.plural or (kind in ("organisation", "group", "country") and not mention.outlet)
    return True


# -- matching names -------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """Comparable form of a name: lower case, no leading article, no possessive."""
    name = re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.I)
    return re.sub(r"(?:’s|'s)$", "", name).lower()


#: Words too common in names to identify one ("Ferncliff Council" vs "Dunmore Council").
_GENERIC = frozenset(
    "the of and for a an council city county district borough town state national royal united new "
    "company group corp inc ltd plc co department ministry government authority trust agency party "
    "club union board service services health hospital hospitals university bank forces army officials "
    "president minister mayor governor secretary chief".split()
)


def _distinctive(key: str) -> set[str]:
    return {w for w in re.findall(r"[\w’'-]+", key) if w not in _GENERIC and len(w) > 1}


def _contains(a: list[str], b: list[str]) -> bool:
    """Whether the words ``b`` occur in ``a`` one after another."""
    return bool(b) and any(a[i : i + len(b)] == b for i in range(len(a) - len(b) + 1))


def names_match(a: str | None, b: str | None, *, loose: bool = False) -> bool:
    """'kestrian' ~ 'kestria', 'carter' ~ 'ash carter': the names share a distinctive word or stem.

    ``loose``: also when one name's words run inside the other's ('council' ~ 'Ferncliff
    Council'), the rule of the fixture format and of the BBC quote set's speaker score."""
    if not a or not b:
        return False
    ka, kb = name_key(a), name_key(b)
    if loose:
        wa, wb = re.findall(r"[\w’'-]+", ka), re.findall(r"[\w’'-]+", kb)
        if _contains(wa, wb) or _contains(wb, wa):
            return True
    ta, tb = _distinctive(ka), _distinctive(kb)
    if not ta or not tb:
        return ka == kb
    if ta & tb:
        return True
    for x in ta:
        for y in tb:
            short, long_ = sorted((x, y), key=len)
            if len(short) >= 5 and long_.startswith(short[:-1]) and len(long_) - len(short) <= 3:
                return True
    return False
