"""Actors of events: the agent noun phrase of a mention resolved to one canonical actor.

Names are matched to the speaker entities of the quotes stage ("Carter" → Ash Carter, "the
institute" → ISW); pronouns go to the speaker of the quote they stand in ("Russia said it would"),
to the subject of the clause that governs them, or to the most recent compatible actor before
them (person for he/she, anything else for it/they). Countries, demonyms and capitals share a
``group`` (Russia). An actor known only by a common noun ("the government") stays unnamed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import TYPE_CHECKING

from quotecheck.lexicon import lines, titles
from quotecheck.models import Entity, Quote
from quotecheck.pipeline.names import OTHER_PRONOUNS, PERSON_PRONOUNS, country_of, describe

if TYPE_CHECKING:
    from spacy.tokens import Token

    from quotecheck.pipeline.document import Document, Piece

__all__ = ["Actor", "ActorResolver", "UNSPECIFIED", "QuoteLookup"]

#: (entity id or None, canonical name, group or None)
Actor = tuple[str | None, str, str | None]
UNSPECIFIED = "(unspecified)"
_FIRST_PERSON = frozenset("i me my we us our".split())
_RELATIVE = frozenset("who whom which that whose".split())
#: Heads that stand for an organisation mentioned before ("the company", "the campaign").
_GENERIC_HEADS = frozenset(
    "company firm group club council government authority ministry department agency trust board administration "
    "city county state country union party team bank operator service league coalition campaign army military "
    "forces regime rebels militants airline retailer charity university school hospital network studio publisher".split()
)
_PARTITIVE_HEADS = frozenset(
    "members fighters officials workers troops units supporters staff employees soldiers forces crews leaders "
    "executives lawyers engineers pilots spokesman spokeswoman spokesperson".split()
)
#: How many characters back a pronoun may look for its antecedent.
PRONOUN_REACH = 1500


@lru_cache(maxsize=1)
def _actor_words() -> frozenset[str]:
    """Common nouns that name someone who can act: titles, organisation words, anonymous sources."""
    words = set(titles()) | {w for row in lines("orgwords.txt") for w in row} | {w for row in lines("anonymous.txt") for w in row}
    return frozenset(words) | _GENERIC_HEADS | _PARTITIVE_HEADS | _GROUP_HEADS | _PEOPLE


#: People and groups named by a common noun ("the team", "protesters", "the family").
_PEOPLE = frozenset(
    "people family families man men woman women child children boy boys girl girls mother father son daughter wife "
    "husband parents player players fans voters students teachers doctors nurses police protesters demonstrators "
    "rebels militants fighters troops soldiers forces jihadis insurgents gunmen attackers terrorists activists "
    "investors shareholders workers employees staff union unions crew crews owner owners couple actor actress "
    "singer star driver pilot pilots captain coach manager side club team squad group groups organisers organizers "
    "authorities officials leaders lawmakers legislators senators delegates campaign regime administration cabinet "
    "government ministry council city state country nation company firm agency".split()
)


def _actor_noun(word: str) -> bool:
    low = word.lower()
    return low in _actor_words() or low.rstrip("s") in _actor_words() or low.endswith(("ers", "ists", "ians", "ans"))


#: Heads whose possessor answers for them: "Lind's ministry", "Trump's campaign", "Russia's forces".
_PART_OF = frozenset(
    "ministry government administration office campaign team staff spokesman spokeswoman spokesperson aides "
    "officials forces troops army military navy jets artillery batteries missiles police department agency board "
    "cabinet party club company firm group leadership management".split()
)


_GROUP_HEADS = frozenset("team delegation group members member officials representatives envoys staff unit units".split())


def _partitive(head: Token) -> Token:
    """'a team of Defense Department officials' → officials' owner; 'members of the union' → union."""
    if head.lemma_.lower() in _GROUP_HEADS or head.lower_ in _PARTITIVE_HEADS:
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ in ("of", "from")), None)
        inner = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if inner is not None:
            return _partitive(inner)
        compound = [c for c in head.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
        if compound:
            return compound[-1]
    return head


class QuoteLookup:
    """Which quote's content holds an offset: bisect over content pieces, no scan of every quote."""

    def __init__(self, quotes: tuple[Quote, ...]) -> None:
        self.pieces = sorted((c.start, c.end, n) for n, q in enumerate(quotes) for c in q.content)
        self.starts = [p[0] for p in self.pieces]
        self.longest = max((e - s for s, e, _ in self.pieces), default=0)
        self.quotes = quotes

    def at(self, pos: int) -> Quote | None:
        """The innermost attributed quote whose content holds ``pos`` (attributed ones first)."""
        holding = []
        i = bisect_right(self.starts, pos) - 1
        while i >= 0 and self.starts[i] >= pos - self.longest:
            start, end, n = self.pieces[i]
            if start <= pos < end:
                holding.append(self.quotes[n])
            i -= 1
        holding.sort(key=lambda q: (q.speaker_name is None, sum(c.end - c.start for c in q.content)))
        return holding[0] if holding else None


class ActorResolver:
    """Resolves agents in text order; remembers who acted, for the pronouns that follow."""

    def __init__(self, doc: Document, quotes: tuple[Quote, ...], entities: tuple[Entity, ...]) -> None:
        self.doc = doc
        self.entities = entities
        self.quotes = QuoteLookup(quotes)
        self._by_id = {e.id: e for e in entities}
        seen: list[tuple[int, Actor]] = []
        for e in entities:
            seen.extend((m.start, (e.id, e.name, e.group or e.name)) for m in e.mentions)
        seen.sort(key=lambda x: x[0])
        self._offsets = [o for o, _ in seen]
        self._actors = [a for _, a in seen]
        self._persons: set[str] = set()  # names resolved from a title ("the Argentine president")
        self._titled: dict[int, list[int]] = {}  # id(piece) → its titled proper nouns (pieces live as long as doc)

    # -- public -----------------------------------------------------------------------------
    def quote_at(self, offset: int) -> Quote | None:
        return self.quotes.at(offset)

    def resolve(self, piece: Piece, agent: Token | None) -> Actor | None:
        """The actor an agent token stands for (None when it names no trackable actor)."""
        if agent is None:
            return None
        offset = piece.start + agent.idx
        low = agent.lower_
        if agent.pos_ == "PRON" or low in PERSON_PRONOUNS | OTHER_PRONOUNS | _FIRST_PERSON:
            found = self._pronoun(piece, agent, offset)
        elif low in _RELATIVE and not (agent.head.dep_ == "relcl" and agent.head.head.pos_ in ("NOUN", "PROPN")):
            return None
        else:
            if low in _RELATIVE:
                agent = agent.head.head  # "the agency, which fell short": the noun the clause describes
            agent = _partitive(agent)
            found = self._noun_phrase(self._name_text(piece, agent), offset)
        if found is not None and found[1] != UNSPECIFIED and found[1] != low:
            if low in ("he", "she", "him", "her", "his") and self._kind(found) == "unknown":
                self._persons.add(found[1])
            self._remember(offset, found)
        return found

    # -- pronouns ---------------------------------------------------------------------------
    def _pronoun(self, piece: Piece, agent: Token, offset: int) -> Actor | None:
        low = agent.lower_
        quote = self.quotes.at(offset)
        if low in _FIRST_PERSON:
            if quote is not None and quote.speaker_name:
                return quote.speaker, quote.speaker_name, self._group(quote.speaker)
            return None, low, None  # a first person nobody is named for
        wants_person = low in PERSON_PRONOUNS
        governing = self._governing_subject(agent)
        if governing is not None:
            found = self._noun_phrase(self._name_text(piece, governing), piece.start + governing.idx)
            if found is not None and self._compatible(found, wants_person):
                return found
        i = bisect_right(self._offsets, offset) - 1
        if i >= 0 and self._offsets[i] >= piece.start and self._compatible(self._actors[i], wants_person):
            return self._actors[i]  # "Sanders reversed his commitment": an actor earlier in the same sentence
        if quote is not None and quote.speaker_name and quote.kind != "direct":
            found = (quote.speaker, quote.speaker_name, self._group(quote.speaker))
            if self._compatible(found, wants_person):
                return found
        i = bisect_right(self._offsets, offset) - 1
        while i >= 0 and offset - self._offsets[i] <= PRONOUN_REACH:
            if self._compatible(self._actors[i], wants_person):
                return self._actors[i]
            i -= 1
        if wants_person:
            titled = self._titled_person(piece, agent)
            if titled is not None:
                return titled
        return None, low, None  # unresolved: stands for whoever the text is about (never named, never across texts)

    def _titled_person(self, piece: Piece, agent: Token) -> Actor | None:
        """'Mr. Obama's decision … When it did, he instead struck a deal': the last titled name in
        this or the previous sentence, when no actor was met on the way (a title says it is a person)."""
        pieces = [p for p in (*self.doc.pieces_of(piece.sentence - 1), *self.doc.pieces_of(piece.sentence)) if p.start <= piece.start]
        for p in reversed(pieces):
            titled = self._titled_tokens(p)
            for i in reversed(titled[: bisect_left(titled, agent.i)] if p is piece else titled):
                t = p.doc[i]
                found = self._noun_phrase(self._name_text(p, t), p.start + t.idx)
                if found is not None:
                    self._persons.add(found[1])
                    return found
        return None

    def _titled_tokens(self, piece: Piece) -> list[int]:
        """Indexes of ``piece``'s proper nouns right after a title ('Mr. Obama'), read once per piece
        (a pronoun asks for them on every call: reading the sentence each time grew with its square)."""
        found = self._titled.get(id(piece))
        if found is None:
            sdoc, words = piece.doc, titles()
            found = [t.i for t in sdoc if t.i > 0 and t.pos_ == "PROPN" and sdoc[t.i - 1].lower_.rstrip(".") in words]
            self._titled[id(piece)] = found
        return found

    def _governing_subject(self, agent: Token) -> Token | None:
        """'Russia said it would strike': the subject of the clause the pronoun's clause hangs on."""
        node = agent.head
        for _ in range(6):
            if node.head is node:
                return None
            if node.dep_ in ("ccomp", "xcomp", "advcl", "conj"):
                node = node.head
                subject = next((c for c in node.children if c.dep_ == "nsubj"), None)
                if subject is not None and subject.i != agent.i and subject.pos_ in ("PROPN", "NOUN"):
                    return subject
                continue
            return None
        return None

    def _kind(self, actor: Actor) -> str:
        """person, organisation, country or unknown — only what the text shows.

        A run of capitalised words ("Ardenne Power", "Ashgrove City") is not evidence of a person:
        a title ("Mr.", "Sen."), a he/she already resolved to the name, or an organisation word is.
        """
        if actor[1] in self._persons:
            return "person"
        entity = self._by_id.get(actor[0] or "")
        described = describe(actor[1]).type
        if described in ("organisation", "country"):
            return described
        mentions = " ".join(m.text.lower() for m in entity.mentions) if entity else ""
        if any(w.strip(".") in titles() for w in mentions.split()) and described == "person":
            return "person"
        return "unknown"

    def _compatible(self, actor: Actor, wants_person: bool) -> bool:
        kind = self._kind(actor)
        if wants_person:
            return kind in ("person", "unknown")
        return kind != "person"

    # -- names ------------------------------------------------------------------------------
    def _name_text(self, piece: Piece, head: Token) -> str:
        """The words naming the actor: the head with its compounds, titles and possessor (a name
        keeps only its own capitalised words: "Chicago-based AbbVie" → "AbbVie")."""
        if head.pos_ == "PROPN":
            first = head.i
            while first > 0 and piece.doc[first - 1].pos_ == "PROPN" and piece.doc[first - 1].dep_ in ("compound", "flat", "nmod"):
                first -= 1
            return piece.doc[first : head.i + 1].text
        words = [t for t in head.subtree if t.i <= head.i and t.dep_ in ("compound", "amod", "det", "poss", "case", "nmod", "flat")]
        first = min([head.i] + [t.i for t in words if head.i - t.i <= 6])
        while first < head.i and piece.doc[first].dep_ in ("det", "punct", "cc"):
            first += 1
        text = piece.doc[first : head.i + 1].text
        if first == 0 and piece.doc[0].pos_ in ("NOUN", "ADJ", "DET") and text[:1].isupper():
            text = text[:1].lower() + text[1:]  # "Prices will rise": a capital the sentence start gave a common noun
        return text

    def _noun_phrase(self, np: str, offset: int) -> Actor | None:
        np = np.strip()
        partitive = re.match(r"^(?:the\s+)?(\w+)\s+(?:of|from|at)\s+(.+)$", np, re.I)
        if partitive and partitive.group(1).lower() in _PARTITIVE_HEADS:
            np = partitive.group(2)
        possessor = re.match(r"^((?:[A-Z][\w.-]*\s+)*[A-Z][\w.-]*)(?:’s|'s|’|')\s+(\w+(?:\s+\w+)?)$", np)
        if possessor and possessor.group(2).split()[-1].lower() in _PART_OF:
            np = possessor.group(1)  # "Lind's ministry" → Lind; "Patriot's lenders" stay another party
        np = re.sub(r"(?:’s|'s|’|')$", "", np)
        mention = describe(np)
        if mention.pronoun or not re.search(r"[A-Za-z]", np):
            return None
        head = (re.findall(r"[\w’'-]+", np) or [""])[-1]
        if head.islower() and not _actor_noun(head):
            named = [w for w in re.findall(r"[\w’'-]+", np) if w[:1].isupper() and w.lower() not in ("the", "a", "an")]
            if named and np.split()[0].lower() not in ("his", "her", "its", "their", "our", "my") and not re.search(r"[’']s?\b", np):
                name = " ".join(named)  # "Kestrian missiles", "Russian jets": the side they belong to
                side = country_of(name) or name
                return None, side, side
            return None  # "his Atherton house", "the gift": a thing, not someone who can act
        for e in self.entities:
            if e.name == mention.name or (
                mention.type == "person" and e.type == "person" and e.name.split()[-1].lower() == mention.key
            ):
                return e.id, e.name, e.group or e.name
            head = mention.key.split()[-1] if mention.key else ""
            if e.type == "organisation" and len(head) > 3 and head in e.name.lower().split():
                return e.id, e.name, e.group or e.name
        words = re.findall(r"[A-Za-z]+", np)
        if len(words) >= 2 and words[-1].lower() in titles() and words[-1].islower():
            name = re.sub(r"^(?:the|a|an)\s+", "", np, flags=re.I)  # "The Argentine president": a person
            found = self._common_noun(np, offset, None)
            if found is not None and found[0] is not None:
                return found
            self._persons.add(name)
            return None, name, mention.group or country_of(np)
        if np[:1].islower() or re.match(r"(?:The|A|An)\s+[a-z]", np):
            return self._common_noun(np, offset, mention.group or country_of(np))
        group = mention.group or country_of(np)
        if group and mention.type == "country":
            return None, mention.name, group
        if group and mention.type == "group":
            return None, group, group
        return None, mention.name, group or mention.name

    def _common_noun(self, np: str, offset: int, group: str | None) -> Actor | None:
        """'the company', 'the president', 'Russian jets': an earlier actor, a country, or unnamed."""
        if group:
            return None, group, group
        words = re.findall(r"[a-z]+", np.lower())
        head = words[-1] if words else ""
        if head in titles():
            for i in range(bisect_right(self._offsets, offset) - 1, -1, -1):
                actor = self._actors[i]
                if actor[0] in self._by_id and self._by_id[actor[0]].type == "person":
                    mentions = " ".join(m.text.lower() for m in self._by_id[actor[0]].mentions)
                    if head in mentions:
                        return actor
            return None, head, None  # "the president": unnamed here, compared within this text only
        if len(words) >= 2 and words[-2] in _GENERIC_HEADS and _actor_noun(head):
            return self._common_noun(f"the {words[-2]}", offset, group)  # "council crews", "company officials": the council's
        if head in _GENERIC_HEADS:
            for i in range(bisect_right(self._offsets, offset) - 1, -1, -1):
                actor = self._actors[i]
                if self._kind(actor) != "person" and offset - self._offsets[i] <= PRONOUN_REACH * 2:
                    return actor
            return None, head, None
        if _actor_noun(head):
            return None, " ".join(w for w in words if w not in ("the", "a", "an")), None  # "the five men": unnamed
        return None

    def _group(self, entity_id: str | None) -> str | None:
        e = self._by_id.get(entity_id or "")
        return (e.group or e.name) if e else None

    def _remember(self, offset: int, actor: Actor) -> None:
        i = bisect_right(self._offsets, offset)
        self._offsets.insert(i, offset)
        self._actors.insert(i, actor)
