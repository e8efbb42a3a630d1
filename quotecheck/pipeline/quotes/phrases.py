"""Noun phrases around a cue: subjects, appositives, inverted sources, clause leads."""

from __future__ import annotations

import re

from quotecheck.models import Span
from quotecheck.pipeline.quotes.common import (
    _MAX_ADDRESSEE_WORDS, _MAX_APPOSITIVE_WORDS, _MAX_NAME_WORDS, _MAX_SUBJECT_WORDS, _NP_REACH_CHARS, _RIGHT_NP_REACH_CHARS, _SPACE, _cue_matches, _cue_words,
)
from quotecheck.pipeline.quotes.patterns import P, W
from quotecheck.pipeline.segment import Segmentation


def _aux_start(text: str, floor: int, cue_start: int) -> int:
    """Start of the auxiliaries and adverbs right before a cue verb ('has also said', 'he’s claiming')."""
    m = P.AUX_RUN.search(text, max(floor, cue_start - 60), cue_start)
    start = m.start() if m else cue_start
    clitic = P.CLITIC.search(text, max(floor, start - 4), start)
    if clitic and clitic.group(1) == "s" and not P.VERB_FORM.match(text, cue_start):
        return start  # "Editor’s note", "the campaign’s plan": a possessive, not 'he’s claiming'
    return clitic.start() if clitic else start


def _simple_np(text: str, floor: int, end: int, *, trim_adjunct: bool = True) -> tuple[int, int] | None:
    """The noun phrase ending at ``end``: back to punctuation, a clause word or ``floor``
    (never more than ``_NP_REACH_CHARS`` back, cut at a space)."""
    if end - floor > _NP_REACH_CHARS:
        space = _SPACE.search(text, end - _NP_REACH_CHARS, end)
        floor = space.end() if space else end - _NP_REACH_CHARS
    stop = floor
    for m in P.HARD_STOP.finditer(text, floor, end):
        stop = m.end()
    comma = text.rfind(",", stop, end)
    if comma >= 0:
        stop = comma + 1
    words = list(P.WORD.finditer(text, stop, end))
    for i in range(len(words) - 1, -1, -1):
        w = words[i].group(0).lower()
        if w == "and" and 0 < i < len(words) - 1 and _np_coordination(words, i):
            continue  # 'Federal and state officials', 'the former secretary and current nominee'
        if w in W.BOUNDARY:
            if w in W.RELATIVES and i == len(words) - 1:
                return words[i].start(), words[i].end()  # 'X, who said ...': the relative is the source
            words = words[i + 1 :]
            break
    if trim_adjunct and words and words[0].group(0).lower() in W.PREPOSITIONS and words[-1].group(0)[0].isupper():
        # 'In a Bloomberg interview Trump declared': the name after an unpunctuated adjunct
        k = len(words) - 1
        while k > 0 and words[k - 1].group(0)[0].isupper():
            k -= 1
        words = words[k:]
    if len(words) >= 3 and words[-2].group(0).lower() in ("on", "last", "this") and words[-1].group(0).lower() in W.TIME_WORDS:
        words = words[:-2]  # 'The Times on Saturday wrote': the time adjunct is not part of the source
    if not words or len(words) > _MAX_SUBJECT_WORDS:
        return None
    first, last = words[0].group(0), words[-1].group(0)
    low_first, low_last = first.lower(), last.lower()
    if low_first in W.PRONOUNS:
        if len(words) > 1:
            return None
    elif not (first[0].isupper() or first[0].isdigit() or low_first in W.DETERMINERS or low_first in W.QUANTIFIERS):
        if not (len(words) <= 4 and (low_last in W.PERSON_HEADS or low_first in W.PERSON_HEADS)) and not (
            last[0].isupper() and len(words) <= 6 and any(w.group(0)[0].isupper() for w in words[1:-1])
        ) and not (
            len(words) <= 3 and len(low_last) > 4 and low_last.endswith("s") and not low_last.endswith("ss")
        ):
            return None
    if (low_last in W.DETERMINERS and not (len(words) == 1 and low_last in W.QUANTIFIERS)) or (
        low_last.endswith("ly") and not last[0].isupper() and low_last not in W.LY_NOUNS
    ):
        return None
    if low_first in W.PREPOSITIONS or low_last in W.PREPOSITIONS or low_last.endswith(("'s", "’s")):
        return None  # 'the secretary of state', "Editor's note": the cue word is a noun here
    for prev, w in zip(words, words[1:]):
        lw = w.group(0)
        if lw in W.VERBISH:
            return None  # 'Trump did not unveil', 'her allies have been': a clause, not a noun phrase
        if prev.group(0)[0].isupper() and P.PAST_AFTER_NAME.fullmatch(lw) and lw not in W.ED_ADJECTIVES:
            return None  # 'Trump unleashed a series of tweets': a name and its past-tense verb
    start = words[0].start()
    # a title abbreviation written with its full stop ('Sen. Perdue') is part of the name
    return start, words[-1].end()


def _np_coordination(words: list, i: int) -> bool:
    """True when the 'and' at ``words[i]`` joins two parts of one noun phrase."""
    if words[i - 1].group(0)[0].isupper():
        return True
    j = i - 1
    while j >= 0 and words[j].group(0).lower() not in W.BOUNDARY:
        j -= 1
    head = words[j + 1].group(0).lower()
    return j + 1 < i and head in ("the", "a", "an") and i - j <= 8


def _subject(text: str, floor: int, cue_start: int) -> tuple[int, int] | None:
    """The source before a cue: a noun phrase, with a parenthesis ('Sen. X (R-Ga.)') or an
    appositive between commas ('Jane Doe, an economist at Y, said') when there is one."""
    end = _rstrip_space(text, floor, cue_start)
    if end <= floor:
        return None
    if text[end - 1] == ")":
        open_at = text.rfind("(", floor, end)
        if open_at > floor and end - open_at < 40:
            np = _simple_np(text, floor, _rstrip_space(text, floor, open_at))
            return (np[0], end) if np else None
    if text[end - 1] == ",":
        return _appositive_subject(text, floor, end)
    if text.endswith(("--", "—"), floor, end):
        dash = text.rfind("--" if text[end - 1] == "-" else "—", floor, end - 2)
        if dash > floor:
            name = _simple_np(text, floor, _rstrip_space(text, floor, dash), trim_adjunct=False)
            if name is not None and P.NAME_WORD.match(text, name[0]):
                return name[0], end  # 'Kall -- co-editor of a book on debates -- said'
        return None
    return _simple_np(text, floor, end)


def _appositive_subject(text: str, floor: int, end: int) -> tuple[int, int] | None:
    """'NAME, APPOSITIVE,' right before a cue; the appositive may hold commas ('59, of Ashton, Md.')."""
    comma = end - 1
    for _ in range(4):
        comma = text.rfind(",", floor, comma)
        if comma < 0:
            return None
        appositive = text[comma + 1 : end - 1]
        if P.HARD_STOP.search(appositive.replace("(", "").replace(")", "")) or len(appositive.split()) > _MAX_APPOSITIVE_WORDS:
            return None
        name_end = _rstrip_space(text, floor, comma)
        if text[name_end - 1 : name_end] == ")":
            open_at = text.rfind("(", floor, name_end)
            name_end = _rstrip_space(text, floor, open_at) if open_at > floor else name_end
        name = _simple_np(text, floor, name_end, trim_adjunct=False)
        if name is not None and P.NAME_WORD.match(text, name[0]) and len(P.WORD.findall(text, name[0], comma)) <= _MAX_NAME_WORDS:
            if P.ADJUNCT_APPOSITIVE.match(appositive):
                return name  # 'Trump, speaking to veterans in Virginia, said': an adjunct, not part of the source
            return name[0], end
    return None


def _clause_lead(text: str, floor: int, end: int) -> int:
    """Start of the clause that ends at ``end`` (after the last ';', ':' or dash)."""
    cut = floor
    for m in P.HARD_STOP.finditer(text, floor, end):
        if m.group(0) not in "“”\"":
            cut = m.end()
    while cut < end and text[cut].isspace():
        cut += 1
    return cut


def _clause_subject(text: str, floor: int, end: int) -> tuple[int, int] | None:
    """The subject of the sentence's main clause, for a participle cue ('..., saying C')."""
    # the first lower-case cue ('State' in 'secretary of State' is a name, not a cue)
    first = next((m for m in _cue_matches(text, floor, end) if m.group(0).islower()), None)
    if first is not None:
        found = _subject(text, floor, _aux_start(text, floor, first.start()))
        if found is not None:
            return found
    pos = P.LEAD.match(text, floor, end).end()
    for _ in range(3):
        m = P.SENTENCE_SUBJECT.match(text, pos, end)
        if m is not None and m.group(1).split()[0].lower() not in W.PREPOSITIONS | W.BOUNDARY:
            return m.start(1), _extend_subject(text, m.end(1), end)
        comma = text.find(",", pos, end)
        if comma < 0 or comma - pos > 60:
            return None
        pos = comma + 1
        while pos < end and text[pos].isspace():
            pos += 1
    return None


def _extend_subject(text: str, pos: int, end: int) -> int:
    """Extend a subject's capitalised head over the nouns that follow it ('A reporter for USA
    Today', 'Other leaders') up to the first word that looks like its verb."""
    best = pos
    for count, w in enumerate(P.WORD.finditer(text, pos, end)):
        word = w.group(0)
        low = word.lower()
        if count >= _MAX_NAME_WORDS or text[pos : w.start()].strip() or low in W.VERBISH or low in W.BOUNDARY:
            break
        if word[0].islower() and (
            P.PAST_AFTER_NAME.fullmatch(low) or low in _cue_words() or (low.endswith("ly") and low not in W.LY_NOUNS)
        ):
            break
        pos = w.end()
        if low not in W.NP_FUNCTION_WORDS:
            best = pos
    return best


def _with_quote_before(text: str, sent: Span, regions, region_at) -> Span:
    """'"Why?" she said.' is cut after '?"': give the cue's sentence back the quote right before it."""
    pos = _rstrip_space(text, 0, sent.start)
    if pos == 0 or text[pos - 1] not in "”\"" or "\n" in text[pos : sent.start]:
        return sent
    r = region_at(pos - 1)
    if r is None or regions[r].end != pos or len(regions[r].pieces) > 1 or text[pos - 2] not in ",?!—–-":
        return sent  # '"C." She says …' starts a new sentence; only '"C?" she said' and kin are cut wrongly
    before = _rstrip_space(text, 0, regions[r].start)
    if before > 0 and text[before - 1] not in "\n.!?”\"":
        return sent
    return Span(start=regions[r].start, end=sent.end, text=text[regions[r].start : sent.end])


def _in_headline(text: str, seg: Segmentation, pos: int) -> bool:
    """True inside a Title Case line ('New Poll Shows Bump For Clinton'), where verbs are capitalised."""
    para = seg.paragraphs[seg.paragraph_index(pos)]
    words = P.WORD.findall(text, para.start, para.end)
    if len(words) < 3 or len(words) > 25:
        return False
    words = [w.lstrip("'’") or w for w in words]  # "'Suffering and Delight'": a quoted title word
    return sum(w[0].isupper() or w[0].isdigit() for w in words) >= 0.75 * len(words)


def _prev_word(text: str, pos: int, floor: int) -> str | None:
    m = re.search(r"([\w’'-]+)\W*$", text[max(floor, pos - 40) : pos])
    return m.group(1) if m else None


def _right_np(text: str, pos: int, end: int, *, allow_lower: bool = False) -> tuple[int, int] | None:
    """A noun phrase right after ``pos`` ('said Ash Carter', 'according to the institute')."""
    m = P.RIGHT_NP.match(text, pos, min(end, pos + _RIGHT_NP_REACH_CHARS))  # a name is short: read no further
    if m and m.group(1).strip():
        s, e = m.span(1)
        while e > s and text[e - 1] in ".,":
            e -= 1
        return (s, e) if e > s else None
    if allow_lower:
        m = P.RIGHT_NP_LOWER.match(text, pos, end)
        if m:
            s, e = m.span(1)
            while e > s and text[e - 1] in ".,;:":
                e -= 1
            return (s, e) if e > s else None
    return None


def _is_after_quote_or_comma(text: str, floor: int, pos: int) -> bool:
    before = text[floor:pos].rstrip()
    return bool(before) and before[-1] in ",”\"—–:"


def _rstrip_space(text: str, floor: int, end: int) -> int:
    """Move ``end`` left past whitespace only."""
    while end > floor and text[end - 1].isspace():
        end -= 1
    return end


def _rstrip(text: str, floor: int, end: int) -> int:
    """Move ``end`` left past whitespace and trailing sentence punctuation (not quote marks)."""
    while end > floor and (text[end - 1].isspace() or text[end - 1] in ",;:.—–-"):
        end -= 1
    return end


def _is_addressee_tail(cue: str, rest: str) -> bool:
    """'C, Graham told The Harbour Post on Thursday.': after 'told' only the addressee remains."""
    if cue.lower() not in W.ADDRESSEE_CUES:
        return False
    stripped = rest.strip().rstrip(".!?")
    words = stripped.split()
    return 0 < len(words) <= _MAX_ADDRESSEE_WORDS + 2 and not re.search(r"\bthat\b|[,;:“”\"]", stripped)


def _is_adjunct_tail(rest: str) -> bool:
    """True when what follows the cue and source is only a time/place adjunct or nothing."""
    stripped = rest.strip().lstrip(",").strip()
    if not stripped or stripped in {".", "!", "?"} or stripped[0] in ".;:!?,":
        return True
    if stripped[0] in "“\"" and rest.lstrip().startswith((",", ":")):
        return True  # '"C1," he said, "C2."': the second piece follows
    first = stripped.split(",", 1)[0]
    return bool(P.ADJUNCT_START.match(first)) and len(first.split()) <= 8 and " that " not in f" {first} "
