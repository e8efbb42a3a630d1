"""Features of clauses and of (commitment, clause) pairs: the lexicon and the parse, as data.

Clause features are strings (one-hot, weighted by a learned linear model): the head's lemma,
tag and dependency, the lexicon classes of the head and of the words governing it, the modal
or intention word that puts it in the future, tense, negation, condition, hedge, question, its
subject and whether it sits in a quote. Pair features are named numbers: how alike the two
clauses are (shared lemmas and nouns, the encoder's cosine), how they relate in the text
(distance, order, same sentence, one governing the other), whether their actors agree, and what
the candidate's own words say became of a plan (its lexicon class, negation, amounts, times).
The rules of the event layer live on here as features: the models weigh them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quotecheck.pipeline.actors import UNSPECIFIED
from quotecheck.pipeline.factuality import (
    classes,
    conditional,
    counterfactual,
    hedged,
    hypothetical,
    inherited_future,
    intention_trigger,
    modal_trigger,
    negated,
    passive,
)
from quotecheck.pipeline.measures import TIME, parse_amount, parse_time

if TYPE_CHECKING:
    from spacy.tokens import Token

    from quotecheck.pipeline.saydo.clauses import Clause

__all__ = ["ClauseInfo", "PieceWords", "describe", "clause_features", "PAIR_FEATURES", "pair_features", "OUTCOME_CUES"]

_PRONOUNS = frozenset("i we you he she it they me us him her them this that these those".split())
#: Lexicon classes that say, by the words of an outcome, what became of a plan.
OUTCOME_CUES = ("cancel", "reverse", "postpone", "fail", "short", "fulfil", "occur", "depart", "retarget", "maintain")
_FUTURE_WORDS = frozenset("next tomorrow later soon upcoming coming future by within".split())
_STOP = frozenset(
    "be have do say will would can could may might shall should must the a an of to in on at for by with from and or but "
    "that this these those it its he she they we i you his her their our my your not no n't as than then there which who "
    "also up out about into over after before more most some any all".split()
)


def _climb(token: Token, n: int = 3) -> list[Token]:
    out, node = [], token
    for _ in range(n):
        if node.head is node:
            break
        node = node.head
        out.append(node)
    return out


def clause_features(c: Clause, text: str | None = None) -> list[str]:
    """String features of one candidate clause (``text``: the whole text, to avoid rebuilding the piece's)."""
    t = c.token
    f = [f"lemma={t.lemma_.lower()}", f"tag={t.tag_}", f"dep={t.dep_}", f"pos={t.pos_}", "nominal" if c.nominal else "verbal"]
    f += [f"cls={k}" for k in sorted(classes(t))]
    for n, g in enumerate(_climb(t), start=1):
        f.append(f"g{n}={g.dep_ if n > 1 else t.dep_}:{g.lemma_.lower()}")
        f += [f"g{n}cls={k}" for k in sorted(classes(g))]
        if n == 1:
            f.append(f"g1pos={g.pos_}")
    aux = [ch for ch in t.children if ch.dep_ in ("aux", "auxpass")]
    f += [f"aux={a.lower_}" for a in aux]
    f.append("tense=" + "+".join([a.lemma_.lower() for a in aux] + [t.tag_]))
    modal = modal_trigger(t) if not c.nominal else None
    if modal is not None:
        f.append(f"modal={modal.lower_}")
    trig = intention_trigger(t)
    if trig is not None:
        f += [f"itrig={trig[1]}", f"itrig_lemma={trig[0].lemma_.lower()}"]
    for flag, on in (
        ("neg", negated(t)), ("hyp", hypothetical(t)), ("cond", conditional(t)), ("cf", counterfactual(t)),
        ("hedge", hedged(t)), ("inherit", inherited_future(t)), ("pass", passive(t)),
    ):
        if on:
            f.append(flag)
    for ch in t.children:
        if ch.dep_ in ("dobj", "xcomp", "ccomp", "prt", "acomp", "attr", "agent", "dative", "nsubjpass", "acl", "relcl", "amod", "poss", "det"):
            f.append(f"ch={ch.dep_}")
            if ch.dep_ in ("prt", "det", "amod") or (ch.dep_ == "dobj" and ch.pos_ == "NOUN"):
                f.append(f"ch_{ch.dep_}={ch.lemma_.lower()}")
            f += [f"ch_{ch.dep_}_cls={k}" for k in sorted(classes(ch)) if ch.dep_ in ("amod", "acl", "dobj", "xcomp")]
        if ch.dep_ == "prep":
            f.append(f"prep={ch.lower_}")
    sdoc = c.piece.doc
    if c.subject is not None:
        s = sdoc[c.subject]
        kind = "pron" if s.lower_ in _PRONOUNS else s.pos_.lower()
        f += [f"subj={kind}", f"subj_dep={s.dep_}"]
        if kind == "pron":
            f.append(f"subj_word={s.lower_}")
        f.append("actor" if c.actor_id or c.actor_name != UNSPECIFIED else "actor_unknown")
    else:
        f.append("subj=none")
    for w in sdoc[max(0, t.i - 3) : t.i]:
        f.append(f"left={w.lower_}")
    if c.quote is not None:
        f += ["inquote", f"qkind={c.quote.kind}"]
        if c.quote.cue is not None:
            f.append(f"qcue={c.quote.cue.text.lower()[:20]}")
    span_words = {w.lower_ for w in sdoc[max(0, t.i - 12) : t.i + 12]}
    if span_words & _FUTURE_WORDS:
        f.append("future_word")
    ptext = sdoc.text if text is None else text[c.piece.start : c.piece.end]
    if TIME.search(ptext[max(0, t.idx - 60) : t.idx + 80]):
        f.append("time_near")
    if ptext.rstrip(" ”\"'’)").endswith("?"):
        f.append("question")
    if c.sentence == 0:
        f.append("first_sentence")
    return f


@dataclass(frozen=True)
class ClauseInfo:
    """What the models read of one clause, without spaCy objects (cached for training, built at inference)."""

    start: int
    end: int
    sentence: int
    paragraph: int
    piece: int
    head: int
    ancestors: tuple[int, ...]
    conj_of: int | None
    lemma: str
    nominal: bool
    features: tuple[str, ...]
    lemmas: frozenset[str]
    nouns: frozenset[str]
    numbers: frozenset[str]
    times: frozenset[str]
    cls: frozenset[str]
    neg: bool
    past: bool
    future: bool
    inquote: bool
    theme_plan: bool
    passive: bool
    det_the: bool
    actor_id: str | None
    actor_name: str
    actor_group: str | None
    text: str
    ctx_start: int = 0
    ctx_end: int = 0
    amount: tuple[float, str] | None = None
    when: tuple[int | None, int | None] | None = None
    theme: str | None = None
    theme_generic: bool = False

    def marked(self, text: str) -> str:
        """The clause's sentence with the clause in double brackets: what a text model reads."""
        return f"{text[self.ctx_start:self.start]}[[ {self.text} ]]{text[self.end:self.ctx_end]}".strip()


_NUM = re.compile(r"\d[\d,.]*\d|\d")


@dataclass(frozen=True)
class PieceWords:
    """Per-token columns of one parsed piece, read once: spaCy builds a Token object on every
    access, and each of a piece's clauses reads the words it spans."""

    starts: list[int]
    lemmas: list[str]
    alpha: list[bool]
    noun: list[bool]

    @classmethod
    def of(cls, sdoc) -> PieceWords:
        tokens = list(sdoc)
        return cls([t.idx for t in tokens], [t.lemma_.lower() for t in tokens], [t.is_alpha for t in tokens],
                   [t.pos_ in ("NOUN", "PROPN") for t in tokens])


def describe(c: Clause, text: str, piece_number: int, *, extra: tuple[str, ...] = (), words: PieceWords | None = None) -> ClauseInfo:
    """Everything the detector, linker and judge read of clause ``c`` of ``text`` (``words``: its
    piece's columns, when the caller describes many clauses of one piece)."""
    t = c.token
    words = PieceWords.of(c.piece.doc) if words is None else words
    lo, hi = c.start - c.piece.start, c.end - c.piece.start
    inside = range(bisect_left(words.starts, lo), bisect_left(words.starts, hi))  # the tokens starting inside the clause
    own = text[c.start : c.end]
    times = [m.group(0) for m in TIME.finditer(own)]
    return ClauseInfo(
        start=c.start, end=c.end, sentence=c.sentence, paragraph=c.paragraph, piece=piece_number, head=t.i,
        ancestors=tuple(g.i for g in _climb(t, 6)), conj_of=t.head.i if t.dep_ == "conj" else None,
        lemma=t.lemma_.lower(), nominal=c.nominal, features=(*clause_features(c, text), *extra),
        lemmas=frozenset(words.lemmas[i] for i in inside if words.alpha[i] and words.lemmas[i] not in _STOP),
        nouns=frozenset(words.lemmas[i] for i in inside if words.noun[i] and words.lemmas[i] not in _STOP),
        numbers=frozenset(_NUM.findall(own)), times=frozenset(x.lower() for x in times),
        cls=classes(t), neg=negated(t), past=t.tag_ in ("VBD", "VBN") and not _future(t), future=_future(t),
        inquote=c.quote is not None,
        theme_plan=any(ch.dep_ in ("dobj", "nsubjpass", "nsubj") and classes(ch) & _PLANLIKE for ch in t.children),
        passive=passive(t), det_the=any(ch.dep_ == "det" and ch.lower_ == "the" for ch in t.children),
        actor_id=c.actor_id, actor_name=c.actor_name, actor_group=c.actor_group, text=own,
        ctx_start=c.piece.start, ctx_end=c.piece.end, amount=_amount(own) if _NUM.search(own) else None, when=_when(times),
        **_theme(t),
    )


_THEME_DEPS = ("dobj", "nsubjpass")


def _theme(t: Token) -> dict[str, object]:
    """What the clause acts on: its object or passive subject (for an intransitive verb its
    subject: "the tour went ahead"), or a nominal clause's own noun — the word an outcome shares
    with the plan it reports on ("cancelled the tour" ~ "Sizzla's five-date UK tour")."""
    if t.pos_ in ("NOUN", "PROPN"):
        head = t
    else:
        head = next((ch for ch in t.children if ch.dep_ in _THEME_DEPS), None)
        if head is None:
            prep = next((ch for ch in t.children if ch.dep_ == "prep" and ch.lower_ in ("from", "of", "on", "out")), None)
            head = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
        if head is None and not any(ch.dep_ == "dobj" for ch in t.children):
            head = next((ch for ch in t.children if ch.dep_ == "nsubj" and ch.pos_ in ("NOUN", "PROPN")), None)
    if head is None or head.pos_ not in ("NOUN", "PROPN"):
        return {"theme": None, "theme_generic": False}
    return {"theme": head.lemma_.lower(), "theme_generic": "generic" in classes(head) or "event" in classes(head)}


def _amount(text: str) -> tuple[float, str] | None:
    found = parse_amount(text)
    return (found[0], found[1]) if found else None


def _when(times: list[str]) -> tuple[int | None, int | None] | None:
    """(year, month) of the clause's first time expression (``times``: its TIME matches) that names one."""
    for found in times:
        t = parse_time(found)
        if t is not None and (t[0] is not None or t[1] is not None):
            return (t[0], t[1])
    return None


_PLANLIKE = frozenset({"plan", "event", "generic", "commitment"})

#: Names of the numeric pair features, in the order of the vector.
PAIR_FEATURES = (
    "bias", "cos", "head_cos", "same_lemma", "lemma_jaccard", "noun_overlap", "shared_nouns",
    "same_sentence", "same_paragraph", "after", "dist_1", "dist_2_3", "dist_4_8", "dist_far", "other_doc",
    "governs", "conj", "actor_same", "actor_group_same", "actor_unknown", "actor_differ",
    "cand_outcome_cue", "cand_neg", "cand_past", "cand_future", "cand_nominal", "cand_inquote", "cand_theme_plan",
    "cand_pass", "both_numbers", "numbers_differ", "both_times", "times_differ", "cand_det_the",
    "amount_lower", "amount_higher", "time_later", "time_earlier",
    "theme_in_plan", "theme_is_plan_head", "same_theme", "theme_generic", "theme_generic_cue", "theme_in_plan_cue",
    *(f"cue_{k}" for k in OUTCOME_CUES),
)


def _themes(plan: ClauseInfo, cand: ClauseInfo) -> tuple[float, ...]:
    """Does the candidate act on what the plan names? (its theme among the plan's words, the plan's
    own noun, the plan's theme), and is its theme a word that refers back to any plan."""
    t = cand.theme
    cue = bool(cand.cls & set(OUTCOME_CUES))
    in_plan = bool(t and (t in plan.lemmas or t == plan.lemma))
    return (float(in_plan), float(bool(t) and t == plan.lemma), float(bool(t) and t == plan.theme), float(cand.theme_generic),
            float(cand.theme_generic and cue), float(in_plan and cue))


def _compare_amounts(a: tuple[float, str] | None, b: tuple[float, str] | None) -> tuple[float, float]:
    """(outcome amount lower, higher) than the plan's, in the same unit, by more than a tenth."""
    if a is None or b is None or a[1] != b[1] or a[0] <= 0:
        return (0.0, 0.0)
    ratio = b[0] / a[0]
    return (float(ratio < 0.9), float(ratio > 1.1))


def _compare_times(a: tuple[int | None, int | None] | None, b: tuple[int | None, int | None] | None) -> tuple[float, float]:
    """(outcome later, earlier) than the plan's time: by year when both name one, else by month."""
    if a is None or b is None:
        return (0.0, 0.0)
    if a[0] is not None and b[0] is not None and a[0] != b[0]:
        return (float(b[0] > a[0]), float(b[0] < a[0]))
    if a[1] is not None and b[1] is not None and a[1] != b[1] and (a[0] is None or b[0] is None or a[0] == b[0]):
        return (float(b[1] > a[1]), float(b[1] < a[1]))
    return (0.0, 0.0)


def _future(t: Token) -> bool:
    return modal_trigger(t) is not None or intention_trigger(t) is not None


def pair_features(plan: ClauseInfo, cand: ClauseInfo, *, cos: float, head_cos: float, same_doc: bool = True) -> list[float]:
    """The numeric features of ``cand`` as the outcome of the commitment ``plan`` (order of PAIR_FEATURES)."""
    d = abs(cand.sentence - plan.sentence) if same_doc else 99
    same_piece = same_doc and plan.piece == cand.piece
    same_actor = bool(plan.actor_id and plan.actor_id == cand.actor_id) or (
        plan.actor_name != UNSPECIFIED and plan.actor_name == cand.actor_name
    )
    group_same = bool(plan.actor_group and plan.actor_group == cand.actor_group)
    unknown = plan.actor_name == UNSPECIFIED or cand.actor_name == UNSPECIFIED
    governs = same_piece and (plan.head in cand.ancestors or cand.head in plan.ancestors)
    conj = same_piece and cand.conj_of is not None and (cand.conj_of == plan.head or (plan.ancestors[:1] == (cand.conj_of,)))
    shared = plan.nouns & cand.nouns
    v = [
        1.0, cos, head_cos, float(plan.lemma == cand.lemma),
        len(plan.lemmas & cand.lemmas) / max(1, len(plan.lemmas | cand.lemmas)), float(bool(shared)), min(3, len(shared)) / 3,
        float(same_doc and d == 0), float(same_doc and plan.paragraph == cand.paragraph), float(same_doc and cand.start > plan.start),
        float(d == 1), float(2 <= d <= 3), float(4 <= d <= 8), float(8 < d < 99), float(not same_doc),
        float(governs), float(conj), float(same_actor), float(group_same), float(unknown and not same_actor),
        float(not unknown and not same_actor and not group_same),
        float(bool(cand.cls & set(OUTCOME_CUES))), float(cand.neg), float(cand.past), float(cand.future), float(cand.nominal),
        float(cand.inquote), float(cand.theme_plan), float(cand.passive),
        float(bool(plan.numbers and cand.numbers)), float(bool(plan.numbers and cand.numbers and not plan.numbers & cand.numbers)),
        float(bool(plan.times and cand.times)), float(bool(plan.times and cand.times and not plan.times & cand.times)),
        float(cand.det_the),
        *_compare_amounts(plan.amount, cand.amount), *_compare_times(plan.when, cand.when),
        *_themes(plan, cand),
    ]
    v += [float(k in cand.cls) for k in OUTCOME_CUES]
    return v
