"""Reading one cue occurrence: the patterns of news attribution around a cue verb or noun."""

from __future__ import annotations

import re

from quotecheck.lexicon import cue_forms, titles
from quotecheck.models import Span
from quotecheck.pipeline.quotes.common import _COORDINATION_REACH_CHARS, _Draft, _MAX_ADDRESSEE_WORDS, _MIN_CONTENT_CHARS, _noun_cues
from quotecheck.pipeline.quotes.contents import _content_end, _following_quote, _inside_quotes, _prefix_content, _skip_complementiser
from quotecheck.pipeline.quotes.patterns import P, W
from quotecheck.pipeline.quotes.phrases import _aux_start, _clause_lead, _clause_subject, _is_addressee_tail, _is_adjunct_tail, _is_after_quote_or_comma, _prev_word, _right_np, _rstrip, _rstrip_space, _simple_np, _subject


def _read_cue(text, match, sent: Span, regions, region_at, cue_starts: list[int]) -> _Draft | None:
    """Apply the attribution patterns around one cue occurrence."""
    c_start, c_end = match.span()
    if P.ACCORDING.fullmatch(match.group(0)):
        return _according(text, c_start, c_end, sent)
    word_before = _prev_word(text, c_start, sent.start)
    if match.group(0).lower() not in cue_forms():  # a noun-only cue ('her assertion that C')
        if P.NOUN_CUE.match(text, c_end, sent.end):
            return None
        found = _possessive_nominal(text, match, sent, cue_starts) or _bare_nominal(text, match, sent, cue_starts)
        if found is not None and not P.WORD.search(text, sent.start, (found.source or found.cue)[0]):  # type: ignore[index]
            return None  # 'Her refusal to answer angered them': a subject clause, whose end needs a parser
        return found
    if word_before == "to" and match.group(0).lower() in W.INFINITIVE_CUES:
        return _infinitive(text, match, sent, cue_starts)
    if match.group(0).lower() in W.NOUNISH:
        nominal = _possessive_nominal(text, match, sent, cue_starts)
        if nominal is None and match.group(0).lower() in _noun_cues():
            nominal = _bare_nominal(text, match, sent, cue_starts)  # 'growing fears that C'
        if nominal is not None:
            return nominal
    if word_before and word_before.lower() in W.DETERMINERS | {"to"} and not (
        word_before.lower() in W.QUANTIFIERS and match.group(0).lower() not in W.NOUNISH
    ):
        return None  # "a promise", "the report", "to say": nouns and infinitives are not cues here
    cue_start = _aux_start(text, sent.start, c_start)
    relative = _relative_clause_cue(text, cue_start, c_end, sent, cue_starts)
    if relative is not None:
        return relative
    if P.NOUN_CUE.match(text, c_end, sent.end):
        return None  # 'worries have dogged', 'plans could': the cue word is a noun subject
    if cue_start < c_start and P.PASSIVE_AUX.search(text, cue_start, c_start) and match.group(0).lower().endswith(
        _PARTICIPLE_ENDINGS
    ):
        return _passive(text, cue_start, c_end, sent, cue_starts)
    particle = P.PARTICLE.match(text, c_end, sent.end)
    if cue_forms().get(match.group(0).lower()) in W.TOPIC_CUES:
        if particle is None or particle.group(1).lower() not in ("of", "about", "out"):
            return None  # 'spoke for five minutes', 'talked to aides': only 'spoke of/about/out' reports
        c_end = particle.end()
        particle = None
    if particle and (match.group(0).lower().startswith("call") and particle.group(1).lower() in ("for", "on", "out")
                     or particle.group(1).lower() in ("against", "about")):
        c_end = particle.end()  # 'called for', 'warned against', 'complained about': the particle is cue
    lemma_particles = _LEMMA_PARTICLES.get(cue_forms().get(match.group(0).lower(), ""))
    if lemma_particles and c_end == match.end():
        extra = P.ANY_PARTICLE.match(text, c_end, sent.end)
        if extra and extra.group(1).lower() in lemma_particles:
            c_end = extra.end()  # 'pointed out', 'pointed to', 'pleads for', 'agreed with'
    nominal = P.NOMINAL_AFTER_CUE.match(text, c_end, sent.end)
    if nominal:
        c_end = nominal.end()  # 'said in a statement': PolNeAR's cue takes the nominal adjunct
    subject = _subject(text, sent.start, cue_start)
    if (
        subject is not None
        and match.group(0).lower() in W.NOUNISH
        and cue_start == c_start
        and not P.THAT_OR_TO.match(text, c_end, sent.end)
    ):
        head = text[subject[0] : subject[1]].split()[-1]
        if head[0].islower() and head.lower() not in W.PRONOUNS | W.RELATIVES | W.PERSON_HEADS and head.lower() not in titles():
            return None  # 'emissions rules', 'member states': a noun compound, not 'S states'
    after_start = c_end
    source: tuple[int, int] | None = subject
    if subject is None:
        base = max(sent.start, cue_start - _COORDINATION_REACH_CHARS)
        before = text[base:cue_start].rstrip()
        shared = P.COORDINATED_CUE.search(before)
        if shared and text[sent.start : base + shared.start()].strip():
            source = _clause_subject(text, sent.start, base + shared.start())
            start = _skip_complementiser(text, c_end, sent.end)
            end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
            if source is not None and end - start >= _MIN_CONTENT_CHARS and P.WORD.search(text, start, end):
                return _Draft([(start, end)], (cue_start, c_end), source, 0.6)
            return None
        if match.group(0).lower().endswith("ing") and (
            before.endswith(",")
            or cue_forms().get(match.group(0).lower()) in W.SPEECH_LEMMAS and (word_before or "").lower() not in W.GERUND_PREPOSITIONS
        ):
            # ', saying that C' / ', adding C': the participle shares the main clause's subject
            source = _clause_subject(text, sent.start, cue_start)
            start = _skip_complementiser(text, c_end, sent.end)
            end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
            if end - start < _MIN_CONTENT_CHARS or not P.WORD.search(text, start, end):
                return None
            return _Draft([(start, end)], (cue_start, c_end), source, 0.6)
        if (
            match.group(0).lower().endswith("ing")
            and (word_before or "").lower() in W.GERUND_PREPOSITIONS
            and cue_forms().get(match.group(0).lower()) in W.SPEECH_LEMMAS
        ):
            return _prepositional_gerund(text, match, cue_start, c_end, sent, cue_starts)
        # Inverted: '"C," said Carter' / ', said the institute'
        source = _right_np(text, c_end, sent.end, allow_lower=_is_after_quote_or_comma(text, sent.start, cue_start))
        if source is None:
            return None
        party = P.PARTY_TAG.match(text, source[1], sent.end)
        if party:
            source = (source[0], party.end())
        appositive = P.TRAILING_APPOSITIVE.match(text, source[1], sent.end)
        if appositive:
            source = (source[0], _rstrip(text, source[1], appositive.end()))
        after_start = source[1]
        if not _is_after_quote_or_comma(text, sent.start, cue_start):
            return None
    # What precedes the subject, up to the clause start: '"C," S said' and 'C, S said.'
    prefix_end = _rstrip_space(text, sent.start, (subject or (cue_start, cue_start))[0])
    rest = text[after_start:sent.end]
    rest_is_adjunct = _is_adjunct_tail(rest) or _is_addressee_tail(match.group(0), rest) or (
        prefix_end > sent.start
        and text[prefix_end - 1] in "”\""
        and not P.NEW_CONTENT.match(rest)
        and not _quote_is_embedded(text, sent.start, prefix_end, regions, region_at)
    )
    if prefix_end > sent.start and text[prefix_end - 1] in ",”\"" and rest_is_adjunct:
        content = _prefix_content(text, sent, prefix_end, regions, region_at)
        if content:
            follow = _following_quote(text, after_start, sent, regions, region_at)
            return _Draft(content + follow, (cue_start, c_end), source, 0.9)
    colon = _COLON.match(text, after_start)  # not on text[after_start:]: a copy of the rest of the text per cue
    if colon:
        start = colon.end()
        r = region_at(start)
        end = regions[r].end if r is not None else _rstrip(text, start, _content_end(text, start, sent, cue_starts))
        if end > start:
            return _Draft([(start, end)], (cue_start, c_end), source, 0.85)
        return None
    if subject is None:
        return None
    start = _skip_complementiser(text, after_start, sent.end)
    if not text.startswith("that", start):
        if match.group(0).lower() in W.ADDRESSEE_CUES:
            addressee = P.ADDRESSEE.match(text, after_start, sent.end)
            if addressee and len(addressee.group(0).split()) <= _MAX_ADDRESSEE_WORDS:
                start = addressee.end()  # 'told reporters on Monday he would …': skip who was told
    comma = P.COMMA_QUOTE.match(text, start, sent.end)
    if comma:
        start = comma.end()  # 'said, "C"'
    elif text.startswith(",", start):
        # 'C1, S said, C2': the content is both sides of the parenthetical cue
        start = start + 1 + len(text[start + 1 : sent.end]) - len(text[start + 1 : sent.end].lstrip())
        end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
        if end - start < _MIN_CONTENT_CHARS:
            return None
        pieces = [(start, end)]
        if prefix_end > sent.start and text[prefix_end - 1] == ",":
            left = _rstrip(text, sent.start, prefix_end - 1)
            lead = _clause_lead(text, sent.start, left)
            conj = P.LEAD_CONJUNCTION.match(text, lead, left)
            if conj:
                lead = conj.end()
            if left - lead > 2 and not P.LEAD_ADJUNCT.match(text, lead, left):
                pieces.insert(0, (lead, left))
        return _Draft(pieces, (cue_start, c_end), source, 0.6)
    end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
    r = region_at(end - 1) if end > start else None
    if r is not None and regions[r].end > end:
        end = regions[r].end  # a quote that runs past the sentence belongs to this content
    if end - start < _MIN_CONTENT_CHARS or not P.WORD.search(text, start, end):
        return None
    return _Draft([(start, end)], (cue_start, c_end), source, 0.7)


_COLON = re.compile(r"\s*:\s*")


def _prepositional_gerund(text: str, match, cue_start: int, c_end: int, sent: Span, cue_starts: list[int]) -> _Draft | None:
    """'… aside from saying he wants X' / 'After saying C, she left': the gerund's source is the
    main clause's subject; a sentence-initial adjunct ends at its comma."""
    start = _skip_complementiser(text, c_end, sent.end)
    lead = P.LEAD.match(text, sent.start, cue_start).end()
    initial = len(P.WORD.findall(text, lead, cue_start)) == 1  # only the preposition precedes
    end = _content_end(text, start, sent, cue_starts)
    if initial:
        comma = start
        while True:
            comma = text.find(",", comma + 1, end)
            if comma < 0 or not _inside_quotes(text, start, comma):
                break
        if comma < 0:
            return None
        end = comma
        after = comma + 1 + len(text[comma + 1 : sent.end]) - len(text[comma + 1 : sent.end].lstrip())
        source = _clause_subject(text, after, sent.end)
    else:
        source = _clause_subject(text, sent.start, cue_start)
    end = _rstrip(text, start, end)
    if source is None or end - start < _MIN_CONTENT_CHARS or not P.WORD.search(text, start, end):
        return None
    return _Draft([(start, end)], (match.start(), c_end), source, 0.5)


def _relative_clause_cue(text: str, cue_start: int, c_end: int, sent: Span, cue_starts: list[int]) -> _Draft | None:
    """'what the senators said was gerrymandering' / 'which he said were favours': the content is
    the relative word and the clause after the cue; the source the subject between them."""
    m = P.RELATIVE_SUBJECT.search(text, max(sent.start, cue_start - 60), cue_start)
    if m is None:
        return None
    verb = P.RELATIVE_VERB.match(text, c_end, sent.end)
    if verb is None and m.group(1) != "what":
        return None
    source = _simple_np(text, m.end(1), _rstrip_space(text, m.end(1), cue_start), trim_adjunct=False)
    if source is None or source[0] != m.start(2):
        return None
    start = c_end + len(text[c_end : sent.end]) - len(text[c_end : sent.end].lstrip())
    end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
    if end - start < _MIN_CONTENT_CHARS:
        return None
    return _Draft([m.span(1), (start, end)], (cue_start, c_end), source, 0.5)

#: Particles PolNeAR keeps in the cue, by lemma.
_LEMMA_PARTICLES = {
    "point": ("out", "to"), "plead": ("for",), "agree": ("with",), "know": ("as",), "learn": ("of", "about"),
    "warn": ("of",), "speak": ("out",), "accuse": ("of",), "complain": ("of",), "hint": ("at",),
    "advocate": ("for",), "describe": ("as",), "blame": ("for",), "characterize": ("as",), "characterise": ("as",),
}


def _infinitive(text: str, match, sent: Span, cue_starts: list[int]) -> _Draft | None:
    """'S went on TV to accuse X of Y': source S, cue 'to accuse', content the rest of the clause."""
    source = _clause_subject(text, sent.start, match.start())
    if source is None:
        return None
    start = _skip_complementiser(text, match.end(), sent.end)
    end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
    if end - start < _MIN_CONTENT_CHARS:
        return None
    to = text.rfind("to", sent.start, match.start())
    return _Draft([(start, end)], (to, match.end()), source, 0.5)


def _possessive_nominal(text: str, match, sent: Span, cue_starts: list[int]) -> _Draft | None:
    """'S's claim that C' / 'his promise to C': source the possessor, cue the noun."""
    if not P.THAT_OR_TO.match(text, match.end(), sent.end):
        return None
    m = P.POSSESSOR.search(text, max(sent.start, match.start() - 80), match.start())
    if m is None:
        return None
    source = m.span(1) if m.group(1) else m.span(2)
    start = match.end() + len(text[match.end() : sent.end]) - len(text[match.end() : sent.end].lstrip())
    end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
    if end - start < _MIN_CONTENT_CHARS:
        return None
    return _Draft([(start, end)], match.span(), source, 0.5)


def _bare_nominal(text: str, match, sent: Span, cue_starts: list[int]) -> _Draft | None:
    """'growing fears that C', 'the belief that C': a nominal cue with no possessor, so no source."""
    if not P.THAT_CLAUSE.match(text, match.end(), sent.end):
        return None  # 'the claim that was made' is a relative clause, not content
    before = P.BARE_NOMINAL_BEFORE.search(text, max(sent.start, match.start() - 30), match.start())
    if before is None or before.start() <= P.LEAD.match(text, sent.start, match.start()).end():
        return None  # 'The fear that C drove them': a subject clause, whose end needs a parser
    start = match.end() + len(text[match.end() : sent.end]) - len(text[match.end() : sent.end].lstrip())
    end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
    if end - start < _MIN_CONTENT_CHARS:
        return None
    return _Draft([(start, end)], match.span(), None, 0.4)

_PARTICIPLE_ENDINGS = ("ed", "en", "wn", "id", "ld", "ght", "ard")


def _passive(text: str, cue_start: int, c_end: int, sent: Span, cue_starts: list[int]) -> _Draft | None:
    """'X is expected to Y' / 'X was criticized by Z for Y': the content is the subject and the
    complement, the source the agent after 'by' (or none)."""
    subject = _subject(text, sent.start, cue_start)
    if subject is None:
        return None
    source = None
    start = c_end
    by = P.BY_AGENT.match(text, c_end, sent.end)
    if by:
        agent = _right_np(text, by.end(), sent.end, allow_lower=True)
        if agent is not None:
            source, start = agent, agent[1]
            c_end = _rstrip_space(text, c_end, by.end())  # PolNeAR's cue is 'endorsed by'
    start += len(text[start : sent.end]) - len(text[start : sent.end].lstrip())
    end = _rstrip(text, start, _content_end(text, start, sent, cue_starts))
    pieces = [subject] + ([(start, end)] if end - start >= _MIN_CONTENT_CHARS else [])
    return _Draft(pieces, (cue_start, c_end), source, 0.5)


def _quote_is_embedded(text: str, floor: int, end: int, regions, region_at) -> bool:
    """True when the quote ending at ``end`` hangs off a preposition or determiner ('the broadcast
    of "Fox News Sunday,"'): a title or a mention, not the content of a following 'S said'."""
    r = region_at(end - 1)
    if r is None:
        return False
    m = P.WORD_BEFORE.search(text, max(floor, regions[r].start - 40), regions[r].start)
    return m is not None and m.group(1).lower() in W.PREPOSITIONS | W.DETERMINERS


def _starts_sentence(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos].strip()
    return not before or before[-1] in ".!?\n“\"”"


def _according(text: str, c_start: int, c_end: int, sent: Span) -> _Draft | None:
    """``According to S, C`` and ``C, according to S``."""
    src = _right_np(text, c_end, sent.end, allow_lower=True)
    if src is None:
        return None
    before = _rstrip_space(text, sent.start, c_start)
    if before > sent.start and text[before - 1] in ",—–":
        end = _rstrip(text, sent.start, before - 1)
        start = sent.start
        conj = P.LEAD_CONJUNCTION.match(text, start, end)
        if conj:
            start = conj.end()
        return _Draft([(start, end)], (c_start, c_end), src, 0.8)
    after = re.match(r"[^,]*,\s*", text[src[1] : sent.end])
    if after is None:
        return None
    start = src[1] + after.end()
    end = _rstrip(text, start, sent.end)
    if end <= start:
        return None
    return _Draft([(start, end)], (c_start, c_end), src, 0.8)
