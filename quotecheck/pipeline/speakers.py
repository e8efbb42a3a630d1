"""Speakers stage: one canonical entity per real-world speaker.

Each quote's source is read by :func:`quotecheck.pipeline.names.speaker_mention` (titles,
honorifics and appositives → one name; organisations; documents → who wrote them; anonymous
sources kept as written; ``None`` for a phrase that names nobody). Mentions merge by surname,
organisation name or initials, and a definite description ('the president', 'the company',
'the paper', 'the report', 'the 60-year-old actor') joins the entity it describes. Pronouns go to
the most salient entity that agrees with them in person, gender and number
(:func:`~quotecheck.pipeline.names.pronoun_agrees`): 'she' is never the husband named last nor
a newspaper, 'they' never one person nor a news outlet. A quote whose speaker the text does not
determine keeps ``speaker = None`` (shown as unknown) rather than a guess.

Names, countries and seats live in :mod:`quotecheck.pipeline.names`; the names the events
stage imports from here (``describe``, ``country_of``, the pronoun sets) are re-exported.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import replace

from quotecheck.models import Entity, Quote, Span
from quotecheck.pipeline.names import (
    OTHER_PRONOUNS,
    OUTLET_HEADS,
    OUTLET_NAMES,
    ORG_HEADS,
    PERSON_PRONOUNS,
    RELATIVE_PRONOUNS,
    Mention,
    acronym,
    country_of,
    describe,
    gender_of_name,
    is_org_noun,
    pronoun_agrees,
    source_mention,
    speaker_mention,
)
from quotecheck.lexicon import titles
from quotecheck.pipeline.names import _words
from quotecheck.pipeline.segment import Segmentation

__all__ = ["resolve", "describe", "source_mention", "speaker_mention", "Mention", "country_of", "acronym",
           "PERSON_PRONOUNS", "OTHER_PRONOUNS"]

#: Heads of a definite description that can name a government met as a country ('the agency').
_GOVERNMENT_HEADS = frozenset("agency department ministry government administration".split())
#: Heads general enough to stand for any organisation named before them.
_GENERIC_ORG_HEADS = frozenset("company firm corporation organisation organization group".split())
#: Anonymous-source heads: 'the spokesman' is the spokesman met before, never the person named last.
_ANONYMOUS_ROLES = frozenset(
    "spokesman spokeswoman spokesperson official source analyst expert observer diplomat witness resident aide insider".split()
)
_DOCUMENT_ROLES = frozenset("report survey study poll statement lawsuit letter memo document analysis review message".split())
_DEFINITE_START = re.compile(r"(?:the|this|that|its|his|her|their)\s", re.I)
#: How many paragraphs back an unattributed quote may look for the speaker it continues.
CONTINUATION_PARAGRAPHS = 3
#: How many sentences back a pronoun source looks for the person it stands for (sentences).
PRONOUN_SENTENCES = 6
#: How far back (characters) 'it' or 'they' looks for the speaker it stands for: about three paragraphs.
PRONOUN_REACH_CHARS = 1500
#: How much of each of those sentences is read, back from its end or the pronoun (characters):
#: every real sentence whole (the longest in PolNeAR is 979), a runaway one in bounded time.
SALIENCE_WINDOW_CHARS = 3000
_CAPITALISED = re.compile(r"\b[A-Z][a-z’'-]+\b")
#: A person named in running text: an optional title, then two or three capitalised words
#: ('Gov. Tom Reyes', 'Ada M. Fenwick'); sentence-initial single words are never names here.
_PERSON_NAME = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Prof|Rev)\.?\s+)?"
    r"\b[A-Z][a-z’'-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z’'-]+){1,2}\b"
)
#: ', her husband,' after a name: the noun says the gender ('Fan Lung, her husband, said …').
_GENDER_APPOSITIVE = re.compile(r"\s*,\s+(?:(?:her|his|their|the|a|an)\s+)?(?:[\w-]+\s+){0,2}?([a-z]+)\b")


def resolve(text: str, seg: Segmentation, quotes: tuple[Quote, ...]) -> tuple[tuple[Entity, ...], tuple[Quote, ...]]:
    """Build speaker entities from the quotes' sources and point each quote at its speaker."""
    speakers = _Speakers(text, seg)
    builders = speakers.builders  # {"mention": Mention, "spans": [Span], "name": str}
    speaker_of: list[int | None] = []
    last_para_of: list[int] = []
    last_source: tuple[int, int] | None = None  # (end, speaker) of the latest source read
    for quote in quotes:
        index: int | None = None
        if quote.source is not None:
            mention = speaker_mention(quote.source.text)
            speakers.skip = tuple((c.start, c.end) for c in quote.content)  # its own words never name its speaker
            if mention is not None and mention.key in RELATIVE_PRONOUNS:
                index = _relative_antecedent(text, quote.source.start, last_source)
                if index is None:
                    mention = _relative_noun_phrase(text, quote.source.start)  # '…, which said': the phrase before it
            if mention is None or index is not None:
                pass  # 'the same', 'The delay': the source names nobody; or a relative resolved
            elif mention.pronoun:
                index = speakers.pronoun(quote.source.start, mention.key)
            else:
                index, mention = speakers.definite(quote.source.start, mention)
                if index is None:
                    index = speakers.match(mention)
                if index is None:
                    index = speakers.new(mention)
                else:
                    speakers.learn(index, mention)
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
    used = sorted({i for i in speaker_of if i is not None}, key=lambda i: builders[i]["spans"][0].start if builders[i]["spans"] else 0)
    affiliations = _affiliations(text, [builders[i] for i in used], {builders[i]["name"] for i in used})
    found = [(b["spans"][0].start if b["spans"] else 0, n, b) for n, b in enumerate([builders[i] for i in used] + affiliations)]
    found.sort(key=lambda x: (x[0], x[1]))
    ids = {id(b): f"e{new}" for new, (_, _, b) in enumerate(found, start=1)}
    entities = tuple(
        Entity(
            id=ids[id(b)],
            name=b["name"],
            type=b["mention"].type,
            mentions=tuple(sorted(set(b["spans"]), key=lambda s: (s.start, s.end))),  # not set order: it varies by process
            group=b["mention"].group,
        )
        for _, _, b in found
    )
    ids = {i: ids[id(builders[i])] for i in used}
    resolved = tuple(
        q.model_copy(update={"speaker": ids[i], "speaker_name": builders[i]["name"]}) if i is not None else q
        for q, i in zip(quotes, speaker_of)
    )
    return entities, resolved


def _affiliations(text: str, speakers: list[dict], taken: set[str]) -> list[dict]:
    """An organisation entity for each organisation a speaker speaks for ('Dr Ines Valdez, head of
    the Sanforth Regional Health Service'), with its mention inside the speaker's source, unless a
    speaker already has that name: the events stage can then tie 'the health service' to it."""
    out: dict[str, dict] = {}
    for b in speakers:
        name = b["mention"].affiliation
        if not name or name in taken or not b["spans"]:
            continue
        span = b["spans"][0]
        at = span.text.find(name)
        if at < 0:
            continue
        start = span.start + at
        piece = Span(start=start, end=start + len(name), text=text[start : start + len(name)])
        if name in out:
            out[name]["spans"].append(piece)
        else:
            out[name] = {"mention": Mention(name, "organisation", acronym(name).lower(), None), "spans": [piece], "name": name}
    return list(out.values())


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


#: Where the noun phrase before a relative pronoun starts: after a preposition, a verb of
#: reporting's object marker, or punctuation ('criticism from the House of Lords …, which said').
_PHRASE_START = re.compile(r"(?:[.;:!?“”\"(\n]|\b(?:from|by|in|of|with|to|for|at|on|against|as|follow|follows|followed|and|but)\b)\s*", re.I)


def _relative_noun_phrase(text: str, pos: int) -> Mention | None:
    """The speaker named by the noun phrase right before a relative pronoun source."""
    window = text[max(0, pos - 160) : pos].rstrip(" ,")
    starts = [m.end() for m in _PHRASE_START.finditer(window)]
    phrase = window[starts[-1] :] if starts else window
    found = speaker_mention(phrase) if phrase.strip() else None
    return None if found is None or found.pronoun else found


def _max(*indexes: int | None) -> int | None:
    present = [i for i in indexes if i is not None]
    return max(present) if present else None


def _person_like(mention: Mention) -> bool:
    return mention.type in ("person", "unknown") or (mention.type == "anonymous" and not mention.plural)


class _Speakers:
    """The speakers found so far, with look-up tables so that each new mention costs O(1).

    Every rule reads "the most recent earlier speaker such that …"; scanning all earlier
    speakers for each quote made a long text quadratic in its number of speakers. Speakers only
    ever get added (and gain mentions), so for each rule a table keeps the highest index per key;
    the answers are those of the scans they replace. Pronouns scan the speakers met within
    ``PRONOUN_REACH_CHARS`` (a handful in any real text).
    """

    def __init__(self, text: str, seg: Segmentation) -> None:
        self.text = text
        self.seg = seg
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
        self._spans: list[tuple[int, int, int]] = []  # (offset, end, speaker) of every speaker's mention, sorted
        self.skip: tuple[tuple[int, int], ...] = ()  # the content of the quote being resolved
        self._person_word: dict[str, int] = {}  # a word of one of a person's mentions (folded)
        self._anonymous_role: dict[str, int] = {}  # head of an anonymous source ('spokesman') -> last speaker
        self._document_word: dict[str, int] = {}  # a document noun in a speaker's source ('report') -> speaker
        self._last_mention: dict[int, int] = {}  # speaker -> offset of its latest mention
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
                if words & OUTLET_NAMES or mention.outlet:
                    self._plain_outlet = i
        elif mention.type == "person" or (mention.type == "unknown" and len(mention.name.split()) <= 3):
            self._surname[mention.name.lower().split()[-1]] = i
        elif mention.type == "country":
            self._country = i
        if mention.type == "anonymous" and mention.role in _ANONYMOUS_ROLES:
            self._anonymous_role[mention.role] = i
        return i

    def learn(self, index: int, mention: Mention) -> None:
        """A later mention of a speaker: keep the longer name of one kind, and a gender once known."""
        builder = self.builders[index]
        known = builder["mention"]
        if len(mention.name) > len(builder["name"]) and mention.type == known.type and mention.role is None and known.role is None:
            builder["name"] = mention.name
        if known.gender is None and mention.gender is not None and _person_like(known):
            builder["mention"] = replace(known, gender=mention.gender)

    def add_span(self, index: int, span) -> None:
        self.builders[index]["spans"].append(span)
        self._last_mention[index] = max(span.start, self._last_mention.get(index, -1))
        insort(self._spans, (span.start, span.end, index))
        low = span.text.lower()
        for noun in _DOCUMENT_ROLES:
            if noun in low:
                self._document_word[noun] = index
        if self.builders[index]["mention"].type in ("person", "unknown"):
            insort(self._person_spans, (span.start, index))
            for w in _WORD_RUN.findall(span.text):
                folded = w.translate(_ASCII_FOLD).lower()
                self._person_word[folded] = max(index, self._person_word.get(folded, index))

    def spoke(self, index: int | None) -> None:
        """Record the speaker of the quote just resolved."""
        if index is not None:
            self._last_mention.setdefault(index, -1)

    def match(self, mention: Mention) -> int | None:
        """The existing entity a named mention refers to, if any (the most recent one)."""
        key, kind = mention.key, mention.type
        if kind == "unknown":
            found = _max(self._key.get(key), self._surname.get(key) if " " not in key else None)
        else:
            found = _max(self._key_type.get((key, kind)), self._key_type.get((key, "unknown")))
        if kind == "organisation":
            # 'ISW' -> 'Institute for the Study of War', and the other way round
            found = _max(found, self._org_acronym.get(mention.name.lower()), self._org_name.get(acronym(mention.name).lower()),
                         self._org_acronym.get(key))
        if kind in ("group", "unknown"):
            head = key.split()[-1] if key else ""
            if head and head in _words("orgwords.txt") | ORG_HEADS:
                found = _max(found, self._org_word.get(head))  # "the institute" -> "Institute for the Study of War"; never "another official"
        if kind == "person":
            found = _max(found, self._surname.get(key))
        return found

    # -- pronouns ----------------------------------------------------------------------------

    def pronoun(self, pos: int, pronoun: str) -> int | None:
        """The entity a pronoun source at ``pos`` stands for, or None when no agreeing one is near.

        Looks back sentence by sentence (this one first, up to ``PRONOUN_SENTENCES``, across
        paragraphs, never inside the quote's own content) for the first sentence that names an
        entity agreeing with the pronoun (:func:`pronoun_agrees`: a person of that gender for
        he/she; not a person for it; many, or an organisation that is no news outlet, for they),
        as a speaker's mention or by name in running text, and takes its first such mention
        (subjects come first in English news). A name not yet a speaker becomes one; a person of
        unknown gender learns it from he/she."""
        return self._salient(pos, lambda m: pronoun_agrees(pronoun, m), pronoun=pronoun)

    def salient(self, pos: int, pronoun: str, *, gender: str | None = None) -> int | None:
        """The person a he/she (or a definite description of a person of ``gender``) stands for."""
        want = gender or {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}.get(pronoun)
        return self._salient(pos, lambda m: _person_like(m) and _agrees_gender(m, want), pronoun=pronoun or ("he" if want == "m" else "she" if want == "f" else "he"))

    def _salient(self, pos: int, agrees, *, pronoun: str) -> int | None:
        seg = self.seg
        want = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}.get(pronoun)
        person = pronoun in PERSON_PRONOUNS
        if seg.sentences:
            here = seg.sentence_index(pos)
            for s in range(here, max(-1, here - PRONOUN_SENTENCES), -1):
                sent = seg.sentences[s]
                end = min(sent.end, pos)
                start = max(sent.start, end - SALIENCE_WINDOW_CHARS)
                for index, named in self._mentions(start, end, person=person):
                    mention = self.builders[index]["mention"] if index is not None else named
                    if not agrees(mention):
                        continue
                    if index is None:
                        index = self.match(named)
                        if index is not None and not agrees(self.builders[index]["mention"]):
                            continue
                        if index is None:
                            index = self.new(named)
                    if want and self.builders[index]["mention"].gender is None and _person_like(self.builders[index]["mention"]):
                        self.builders[index]["mention"] = replace(self.builders[index]["mention"], gender=want)
                    return index
        return self._nearest(pos, agrees)

    def _nearest(self, pos: int, agrees) -> int | None:
        best, best_at = None, -1
        for index, at in self._last_mention.items():
            if at <= pos and pos - at <= PRONOUN_REACH_CHARS and at >= best_at and agrees(self.builders[index]["mention"]):
                best, best_at = index, at
        return best

    def _outside(self, start: int, end: int) -> bool:
        return not any(a <= start < b or a < end <= b for a, b in self.skip)

    def _mentions(self, start: int, end: int, *, person: bool) -> list[tuple[int | None, Mention | None]]:
        """The mentions in ``text[start:end]`` in text order, outside the current quote's content:
        every speaker's mention, a speaker's surname, and for a person pronoun a new person's name
        that says its gender ('Gov. Tom Reyes', 'Fan Lung, her husband,'), for it/they a new
        organisation's name ('The China Three Gorges Project Corp could …')."""
        found: list[tuple[int, int, int, int | None, Mention | None]] = []  # (offset, end, rule, speaker, new name)
        k = bisect_left(self._spans, (start, -1, -1))
        while k < len(self._spans) and self._spans[k][0] < end:
            at, stop, index = self._spans[k]
            if self._outside(at, at + 1):
                found.append((at, stop, 0, index, None))
            k += 1
        for w in _CAPITALISED.finditer(self.text, start, end):  # 'Carter first met …': a speaker's surname
            if w.group(0).lower() in self._surname and self._outside(w.start(), w.end()):
                found.append((w.start(), w.end(), 1, self._surname[w.group(0).lower()], None))
        if person:  # 'The home secretary said, by 2008, he wanted …': the person it describes
            for m in _DESCRIPTION.finditer(self.text, start, end):
                words = m.group(0).split()
                k = max((j for j in range(1, len(words)) if _role_noun(words[j])), default=0)
                if k == 0:
                    continue
                described = speaker_mention(" ".join(words[: k + 1]))
                if described is not None and described.type == "anonymous" and described.role and self._outside(m.start(), m.end()):
                    index, _ = self.definite(m.start(), described, salient=False)
                    if index is not None:
                        found.append((m.start(), m.start() + len(" ".join(words[: k + 1])), 1, index, None))
        pattern = _PERSON_NAME if person else _ORG_RUN
        for m in pattern.finditer(self.text, start, end):
            if not self._outside(m.start(), m.end()):
                continue
            named = _text_name(self.text, m, person=person)
            if named is not None:
                found.append((m.start(), m.end(), 2, None, named))
        found.sort(key=lambda c: (c[0], c[3] is None, c[2]))
        known = [(a, b) for a, b, _, index, _ in found if index is not None]
        out: list[tuple[int | None, Mention | None]] = []
        seen: set[int] = set()
        for offset, stop, _, index, named in found:
            if index is not None:
                if index not in seen:
                    seen.add(index)
                    out.append((index, None))
            elif not any(a <= offset < b or offset <= a < stop for a, b in known):
                out.append((None, named))  # a name that no speaker's mention already covers
        return out

    # -- definite descriptions -----------------------------------------------------------------

    def definite(self, pos: int, mention: Mention, *, salient: bool = True) -> tuple[int | None, Mention]:
        """The entity a description refers to, and the mention to record for it.

        'the president' → the most recent speaker whose mentions carry the title President, else the
        last 'President Firstname Lastname' written before ``pos`` (a new person mention), else the
        nearest person speaker of agreeing gender, else the salient person named in the text
        ('the 60-year-old actor' after 'Actor Michael Douglas is to …'); a possessive description
        ('its co-chairman') only the first two; 'the spokesman' → the spokesman met before (never
        the person named last); 'the company' → the most recent organisation speaker whose name
        holds the head word, else the most recent organisation; 'the paper' / 'the daily' → the
        most recent news outlet; 'the report' → the speaker whose source named a report.
        """
        role = mention.role
        if role is None:
            return None, mention
        definite = bool(_DEFINITE_START.match(mention.name + " "))
        plain = bool(re.match(r"(?:the|this|that)\s", mention.name, re.I))
        if mention.outlet and role in OUTLET_HEADS:
            return (self._plain_outlet if definite else None), mention
        if role in _words("orgwords.txt") or role in ORG_HEADS or is_org_noun(role):
            if not definite:
                return None, mention
            found = self._plain_org_word.get(role)
            if found is not None:
                return found, mention
            named = self._last_named(role, pos)
            if named is not None:  # 'The trust' after 'The Northvale Hospitals Trust opened …'
                found = self.match(named)
                return (found if found is not None else self.new(named)), named
            if role in _GENERIC_ORG_HEADS:  # 'the company' with no named company: the nearest organisation
                near = self._nearest(pos, lambda m: (m.type == "organisation" and m.role is None and not m.outlet)
                                     or (m.type == "unknown" and m.gender is None and " " not in m.name))
                return (near if near is not None else self._plain_org), mention
            if role in _GOVERNMENT_HEADS and self._country is not None:
                return self._country, mention  # "The State Department said … the agency said": a government's body
            return None, mention
        if role in _DOCUMENT_ROLES:
            return (self._document_word.get(role) if definite else None), mention
        if mention.type != "anonymous" or not definite:
            return None, mention
        if role in _ANONYMOUS_ROLES:
            return self._anonymous_role.get(role), mention
        found = self._person_word.get(role)
        if found is not None:
            return found, mention
        titled = self._last_titled(role, pos)
        if titled is not None:
            named = describe(titled.group(1))
            if named.type == "person":
                found = self.match(named)
                return (found if found is not None else self.new(speaker_mention(titled.group(1)) or named)), named
        if not plain:
            return None, mention  # 'its co-chairman': somebody's, not the person last named
        near = self._nearest(pos, lambda m: (m.type == "person" or m.type == "unknown" and " " not in m.name)
                             and _agrees_gender(m, mention.gender))
        if near is not None or not salient:
            return near, mention
        return self.salient(pos, "", gender=mention.gender), mention

    def _last_named(self, role: str, pos: int) -> Mention | None:
        """The organisation last named in ``text[:pos]`` by capitalised words ending on the role
        word ('The Northvale Hospitals Trust' for 'the trust'), within ``PRONOUN_REACH_CHARS``."""
        pattern = re.compile(rf"\b(?:[A-Z][\w&’'-]*\s+(?:(?:of|for|and|&)\s+)?){{1,5}}{role.capitalize()}\b")
        last = None
        for last in pattern.finditer(self.text, max(0, pos - PRONOUN_REACH_CHARS), pos):
            pass
        if last is None:
            return None
        named = speaker_mention(last.group(0))
        return named if named is not None and named.type == "organisation" and named.role is None else None

    def _last_titled(self, role: str, pos: int) -> re.Match[str] | None:
        """The last match of 'Role Name' in ``text[:pos]``, from one scan of the text per role.

        A match of the whole text that ends by ``pos`` is also one of ``text[:pos]``; only one that
        runs across ``pos`` has to be read again on the cut text.
        """
        pattern = re.compile(_TITLED_NAME.format(title=f"(?i:{re.escape(role)})"))
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


#: A definite description of a person in running text ('The home secretary', 'the former minister').
_DESCRIPTION = re.compile(r"\b[Tt]he(?:\s+[\w-]+){1,4}")


def _role_noun(word: str) -> bool:
    low = word.lower().strip(",.")
    return low in titles() and low not in ("state", "house", "party", "former", "first", "deputy", "acting", "vice") or low in _ANONYMOUS_ROLES
#: A name in running text that 'it' or 'they' may stand for: capitalised words ('BAA', 'The China
#: Three Gorges Project Corp', 'the European Commission').
_ORG_RUN = re.compile(r"\b(?:[Tt]he\s+)?[A-Z][\w&.’'-]*(?:\s+(?:(?:of|for|the|and|&)\s+)*[A-Z][\w&.’'-]*)*")


def _text_name(text: str, m: re.Match[str], *, person: bool) -> Mention | None:
    """A new entity named in running text, when the name says what it is: a person whose given
    name, honorific or title says the gender ('Gov. Tom Reyes'; 'Fan Lung, her husband,' from the
    appositive), or an organisation, country or group (for it/they)."""
    found = speaker_mention(m.group(0))
    if found is None or found.pronoun:
        return None
    if not person:
        head = text[max(0, m.start() - 3) : m.start()].strip()
        if " " not in m.group(0) and not m.group(0).isupper() and (not head or head[-1] in ".!?\"”“\n"):
            return None  # a capitalised word that opens a sentence ('Computing is …')
        return found if found.type in ("organisation", "country") or (found.type == "group" and found.plural and found.role is None) else None
    aged = _AGE.match(text, m.end()) is not None  # 'Zhang Wei, 28, …': an age says it is a person
    if found.type == "unknown" and aged and 2 <= len(found.name.split()) <= 3:
        found = replace(found, type="person", key=found.name.split()[-1].lower())
    if found.type != "person" or found.group is not None:
        return None
    gender = found.gender
    after = _GENDER_APPOSITIVE.match(text, m.end(), min(len(text), m.end() + 60))
    if after is not None:
        gender = gender_of_name(after.group(1)) or gender
    before = text[max(0, m.start() - 30) : m.start()].split()
    titled = bool(before) and before[-1].lower().strip(".,") in titles()
    if gender is None and not titled and not aged:
        return None  # 'North East', 'Polar Express': nothing says it is a person
    return replace(found, gender=gender)


_AGE = re.compile(r",\s+\d{1,3},")


def _agrees_gender(mention: Mention, want: str | None) -> bool:
    return want is None or mention.gender in (None, want)
