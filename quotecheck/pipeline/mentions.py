"""Event mentions of one parsed sentence: planned events and what became of them.

A mention is read off the parse with :mod:`quotecheck.pipeline.factuality`: its head (the
event's verb or noun), its factuality, the word that carries it (``trigger``), its agent and,
for an outcome, its ``theme`` — the noun phrase naming what was called off, moved or done
("canceled **a planned trip**", "**the trip** had been canceled", "failed **to deliver**").
Token indexes stay inside the sentence's spaCy Doc; :mod:`quotecheck.pipeline.events` turns
mentions into offset :class:`~quotecheck.models.Statement` models.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from quotecheck.lexicon import MONTHS, WEEKDAYS, cue_forms, predicate_table
from quotecheck.pipeline.factuality import (
    FACTUALITY_OF,
    OUTCOME_CLASSES,
    classes,
    counterfactual,
    hedged,
    hypothetical,
    inherited_future,
    intention_trigger,
    modal_trigger,
    negated,
    passive,
    pos_of,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["Mention", "mentions", "FORECASTERS"]

#: Sources whose "X would …" is a prediction about others, not X's plan.
FORECASTERS = frozenset(
    "analyst economist expert observer commentator forecaster pollster strategist critic investor poll "
    "survey model projection study report".split()
)
#: After "was due to" / "is set to", verbs that only say the planned event takes place.
_OCCURRENCE = frozenset("take happen begin start open resume follow occur go hold run air".split())
_DECIDE = frozenset("decide decision vote choose opt elect".split())
#: Verbs whose object is what the actor committed to ("proposed a levy", "promised a police presence").
_COMMITTING = frozenset("plan propose promise pledge vow offer threaten commit undertake schedule".split())
_TIME_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS) | frozenset("today tomorrow yesterday week month year night morning".split())
_PLANLIKE = frozenset({"event", "plan", "generic", "goal"})
_EDGE_DEPS = frozenset({"punct", "cc", "mark"})
#: Dependents that start another clause: never part of a mention's own span.
_OTHER_CLAUSES = frozenset({"conj", "cc", "parataxis"})


@dataclass
class Mention:
    """One event mention in a parsed sentence (token indexes into ``doc``)."""

    doc: Doc
    head: int
    factuality: str
    cls: str
    trigger: int | None = None
    agent: int | None = None
    theme: int | None = None
    negated: bool = False
    nominal: bool = False
    presupposed: bool = False
    first: int = 0
    last: int = 0

    @property
    def kind(self) -> str:
        return "intention" if self.factuality == "intended" else "action"


def mentions(doc: Doc) -> list[Mention]:
    """Every planned event and outcome of one parsed sentence, in token order."""
    found: list[Mention] = []
    for token in doc:
        pos = pos_of(token)
        if pos != "verb" and token.dep_ == "pobj" and token.head.lower_ == "to" and intention_trigger(token):
            pos = "verb"  # "had been due to usher in": a verb the tagger read as an adjective
        m = _verbal(token) if pos == "verb" else _nominal(token) if pos == "noun" else None
        if m is not None:
            found.append(m)
    triggers = {m.trigger for m in found if m.kind == "intention" and m.trigger != m.head}
    found = [m for m in found if not (m.kind == "intention" and m.head in triggers)]  # "expected to be preparing to emerge": the inner event
    plans = [m for m in found if m.kind == "intention"]
    out = [m for m in found if m.kind == "intention" or _theme_ok(m, plans)]
    out += _presupposed(out, plans)
    for m in out:
        m.first, m.last = _bounds(m, out)
    return sorted(out, key=lambda m: (m.first, m.head))


# -- verbs ---------------------------------------------------------------------------------------
def _verbal(token: Token) -> Mention | None:
    if hypothetical(token) or counterfactual(token):
        return None
    cls = classes(token)
    neg = negated(token)
    outcome = _outcome_class(token, cls, neg)
    modal = modal_trigger(token)
    planned = intention_trigger(token) if modal is None else None
    if outcome is not None and modal is None:
        if _refused_to_speak(token, outcome):
            return None  # "declined to comment on any plans to campaign": a refusal to speak, not to act
        if hedged(token) or inherited_future(token):
            return None  # "could be signals that it is making good", "will issue orders, cancelling …"
        if planned is not None and planned[0].lemma_ in _DECIDE:
            return _outcome(token, outcome, neg)
        if planned is None and _happened(token):
            return _outcome(token, outcome, neg)
        return None  # "plans to cancel", "pushed for delaying", "to live up to": not (yet) an outcome
    trigger = modal or (planned[0] if planned else None)
    if planned is not None and modal is None and planned[0].lemma_ in _DECIDE and neg and _happened(planned[0]):
        agent = _agent(token, planned[0])
        return Mention(token.doc, token.i, "negated", "refused", trigger=planned[0].i, agent=agent, negated=True)  # "voted not to open"
    if trigger is not None:
        if planned and planned[0].lemma_ in _DECIDE and any(c.lower_ == "instead" for c in token.children):
            return _outcome(token, "depart", False)  # "decided to relieve himself instead"
        return _intention(token, trigger, planned[1] if planned else "modal", cls, neg)
    return _realised(token, cls, neg)


def _outcome_class(token: Token, cls: frozenset[str], neg: bool) -> str | None:
    found = sorted(cls & OUTCOME_CLASSES)
    if not found:
        return None
    if token.lemma_ == "move" and not _moved_to_time(token):
        return None
    name = found[0]
    if name == "occur":
        return "fail" if neg else "fulfil"
    if name == "fulfil" and neg:
        return "fail"  # "never followed through"
    if neg:
        return None  # "did not cancel": nothing became of the plan that the text tells
    return name


def _moved_to_time(token: Token) -> bool:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("to", "until", "back"):
            if any(g.like_num or g.lower_ in _TIME_WORDS for g in child.subtree):
                return True
    return False


def _outcome(token: Token, cls: str, neg: bool) -> Mention:
    theme = _theme(token, cls)
    agent = _agent(token, token) if not passive(token) else None
    if agent is not None and theme is not None and agent == theme:
        agent = None
    if agent is None:
        by = _by_agent(token)
        agent = by.i if by is not None else None
    return Mention(token.doc, token.i, FACTUALITY_OF.get(cls, "realised"), cls, trigger=token.i,
                   agent=agent, theme=theme, negated=neg)


def _theme(token: Token, cls: str) -> int | None:
    """What the outcome acts on: object, passive subject, 'withdraw from X', 'fail to V', 'short of X'.

    Words of the outcome's own phrase ("changed his **mind**", "took **place**") are not themes,
    except a plan noun ("kept **his promise**"); an occurrence ("the wedding took place") acts on its subject.
    """
    phrase = _phrase_words(token)
    if phrase and cls in ("fulfil", "fail") and token.lemma_ in ("take", "go", "come") or token.lemma_ == "happen":
        subject = _child(token, ("nsubj",))
        return subject.i if subject is not None and pos_of(subject) == "noun" and subject.pos_ != "PRON" else None
    for child in token.children:
        if child.lower_.endswith(("self", "selves")):
            continue  # "they reversed themselves": the actor's own stance, no other theme
        if child.dep_ in ("dobj", "nsubjpass") and (child.lemma_.lower() not in phrase or classes(child) & _PLANLIKE):
            return child.i
    for child in token.children:
        if child.dep_ == "xcomp" and pos_of(child) == "verb":
            return child.i
        if child.dep_ == "prep" and child.lower_ in ("from", "of", "on", "to"):
            obj = _child(child, ("pobj",))
            if obj is not None and obj.lemma_ not in _TIME_WORDS:
                return obj.i
        if cls == "short" and child.lower_ == "short":
            of = next((g for g in child.children if g.lower_ == "of"), None)
            obj = _child(of, ("pobj",)) if of is not None else None
            if obj is not None:
                return obj.i
    if token.dep_ == "conj" and passive(token) and _child(token, ("nsubj", "nsubjpass")) is None:
        shared = _child(token.head, ("nsubjpass", "nsubj"))
        if shared is not None and pos_of(shared) == "noun" and shared.pos_ != "PRON":
            return shared.i  # "the docking was postponed and has now been canceled": one subject, two verbs
    subject = _child(token, ("nsubj",))
    if cls in ("fail", "fulfil", "occur") and not phrase - {"pass", "ahead", "place"}:
        if subject is not None and (classes(subject) & _PLANLIKE or _planned_modifier(subject)):
            return subject.i  # "the project never came to pass", "the event went ahead"
    return None


def _phrase_words(token: Token) -> frozenset[str]:
    """The other words of the lexicon phrase ``token`` heads ("call off" → off), if any matched."""
    near = {c.lemma_.lower() for c in token.children}
    for rest, _cls in predicate_table().phrases(token.lemma_, pos_of(token)):
        if all(w in near for w in rest):
            return frozenset(rest)
    return frozenset()


def _intention(token: Token, trigger: Token, how: str, cls: frozenset[str], neg: bool) -> Mention | None:
    if hedged(token) or _embedded_question(token, trigger):
        return None  # "might seek to close", "how he would combat the Islamic State": no plan is stated
    if trigger.dep_ == "xcomp" and "fail" in classes(trigger.head):
        return None  # "refused to pledge to release": the pledge was refused, not made
    if trigger.lemma_ in ("want", "hope", "wish") and negated(trigger):
        return None  # "we do not want to go back": an opinion, not a plan
    if token.lemma_ == "be":
        attr = _child(token, ("attr",))
        if attr is not None and how == "modal" and trigger.lemma_ == "be":
            return None  # "was to have been a trip": the noun is the mention (see _nominal)
    if "stative" in cls and not (token.lemma_ in _OCCURRENCE or how != "modal" and token.lemma_ == "be"):
        return None
    if how == "goal" and not any(t.like_num for t in token.subtree):
        return None  # a described goal, not a target that can be missed
    if _forecast(token, trigger):
        return None
    neg = neg or negated(trigger) or any(c.lower_ == "no" and c.dep_ == "det" for c in trigger.children)
    agent = _agent(token, trigger)
    if passive(token):
        by = _by_agent(token)
        agent = by.i if by is not None else None  # "no jobs would be cut": who cuts is not said
        if trigger.lemma_ in ("suppose", "supposed"):
            return None  # "was supposed to be escorted by the NYPD": an arrangement; whose plan is not said
    return Mention(token.doc, token.i, "intended", how, trigger=trigger.i, agent=agent, negated=neg)


_QUESTION_WORDS = frozenset({"how", "whether", "what", "why", "if"})


def _embedded_question(token: Token, trigger: Token) -> bool:
    """'how he would combat …', 'whether she will run', 'what they would do': a question, not a plan."""
    for word in (token, trigger):
        if any(c.lower_ in _QUESTION_WORDS and c.dep_ in ("advmod", "mark", "dobj", "nsubj", "attr") and c.i < word.i for c in word.children):
            return True
    return False


def _forecast(token: Token, trigger: Token) -> bool:
    """``token``'s clause is another speaker's prediction ("analysts expect the bank will raise …")."""
    node = trigger if pos_of(trigger) == "verb" and trigger.i != token.i and trigger.dep_ != "aux" else token
    for _ in range(6):
        if node.dep_ in ("xcomp", "conj") and node.head is not node:
            node = node.head
            continue
        break
    if node.dep_ != "ccomp":
        return False
    matrix = node.head
    speaker = _child(matrix, ("nsubj",))
    if speaker is not None and speaker.lemma_.lower() in FORECASTERS:
        return True
    if "forecast" not in classes(matrix):
        return False
    own = _agent(token, trigger)
    if speaker is None or own is None:
        return True
    mine = token.doc[own]
    return not (mine.lower_ == speaker.lower_ or mine.pos_ == "PRON")


def _realised(token: Token, cls: frozenset[str], neg: bool) -> Mention | None:
    if not _past_or_progressive(token) or "stative" in cls or token.lemma_ in _cue_lemmas():
        return None
    if "intend" in cls and (any(c.dep_ == "xcomp" for c in token.children) or passive(token)):
        return None  # "planned to", "was set to": the plan, not an act
    if hedged(token) or inherited_future(token):
        return None
    if token.lemma_ == "go" and any(c.dep_ == "xcomp" for c in token.children):
        return None  # "are going to backfire": the future, not a trip
    obj = _child(token, ("dobj",))
    if obj is not None and classes(obj) & {"plan", "goal"}:
        return None  # "drew up plans to …", "set a target": making a plan, not carrying one out
    agent = _agent(token, token)
    if passive(token):
        by = _by_agent(token)
        agent = by.i if by is not None else None
    if agent is None and not passive(token):
        return None
    factuality = "negated" if neg else "realised"
    how = "realised"
    if not neg and _as_planned(token):
        factuality, how = "fulfilled", "fulfil"
    elif not neg and any(c.lower_ == "instead" for c in token.children):
        factuality, how = "departed", "depart"
    elif not neg and any("retarget" in classes(g) for c in token.children if c.dep_ == "dobj" for g in c.children):
        factuality, how = "departed", "retarget"  # "invaded the wrong house"
    return Mention(token.doc, token.i, factuality, how, trigger=token.i if how != "realised" else None,
                   agent=agent, negated=neg)


def _happened(token: Token) -> bool:
    """An outcome verb that reports something that took place: finite, or governed by a verb that did."""
    if token.tag_ in ("VBD", "VBZ", "VBP"):
        return True
    aux = {c.lemma_ for c in token.children if c.dep_ in ("aux", "auxpass")}
    if token.tag_ == "VBN" and aux & {"have", "be"}:
        return True
    if token.tag_ == "VBG" and "be" in aux:
        return True  # "is suspending talks": the announcement is the act
    if token.tag_ == "VB" and aux & {"do"}:
        return True
    head = token.head
    if head is token or head.lemma_ in _cue_lemmas():
        return False
    if token.dep_ in ("xcomp", "advcl", "conj") and pos_of(head) == "verb":
        return head.tag_ in ("VBD", "VBZ", "VBP") or _past_or_progressive(head)  # "was forced to cancel", ", cancelling"
    return False


def _past_or_progressive(token: Token) -> bool:
    aux = {c.lemma_ for c in token.children if c.dep_ in ("aux", "auxpass")}
    if token.tag_ == "VBD":
        return True
    if token.tag_ == "VBN" and ("have" in aux or any(c.lower_ in ("was", "were", "been") for c in token.children if c.dep_ == "auxpass")):
        return True  # "has closed", "was closed"; "are applied" is a habit, not an event
    if token.tag_ == "VBG" and any(c.dep_ == "aux" and c.lower_ in ("was", "were") for c in token.children):
        return True  # "was postponing"; "is making" is under way, not done
    if token.tag_ == "VBG" and token.dep_ == "advcl" and _child(token, ("nsubj",)) is None:
        if token.head.lemma_ in _cue_lemmas():
            return False  # "Heading into the debate, Sanders said": the report's frame, not an event
        return _past_or_progressive(token.head)  # ", hitting areas around Homs"
    if token.tag_ == "VB" and token.dep_ == "xcomp" and any(c.lower_ == "yet" for c in token.head.children):
        return True  # "has yet to follow up": negated by factuality.negated
    if token.tag_ == "VB" and "do" in aux:
        return any(c.lower_ in ("did", "didn't") or c.tag_ == "VBD" for c in token.children if c.dep_ == "aux")
    return False


def _as_planned(token: Token) -> bool:
    """'went ahead as expected', 'opened as promised'."""
    for child in token.children:
        if child.dep_ in ("advcl", "advmod") and any(g.lower_ == "as" for g in child.children):
            if "planned" in classes(child) or child.lemma_ in ("expect", "promise", "plan", "schedule", "announce"):
                return True
    return False


# -- nouns ---------------------------------------------------------------------------------------
def _nominal(token: Token) -> Mention | None:
    if token.lower_ in _TIME_WORDS or token.ent_type_ in ("DATE", "TIME") or token.dep_ == "compound":
        return None  # a compound's phrase is read at its head ("rescheduled challenge cup game")
    cls = classes(token)
    outcome = sorted(cls & {"cancel", "reverse", "postpone", "fail", "short"})
    if outcome:
        of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        theme = _child(of, ("pobj",)) if of is not None else None
        return Mention(token.doc, token.i, FACTUALITY_OF[outcome[0]], outcome[0], trigger=token.i,
                       theme=theme.i if theme is not None else None, nominal=True,
                       agent=_owner(token, allow_subject=False))
    for child in _modifiers(token):
        adjective = predicate_table().classes(child.lower_, "adj") & {"cancel", "postpone", "depart", "fail"}
        if child.dep_ in ("amod", "compound") and adjective:
            name = sorted(adjective)[0]
            return Mention(token.doc, token.i, FACTUALITY_OF[name], name, trigger=child.i, theme=token.i,
                           nominal=True, agent=_owner(token))
    trigger = _planned_modifier(token) or _planned_predicate(token) or _committed_object(token)
    if trigger is not None:
        none = any(c.dep_ == "det" and c.lower_ == "no" for c in token.children)  # "no talks planned"
        return Mention(token.doc, token.i, "intended", "planned", trigger=trigger.i, nominal=True,
                       agent=_owner(token), negated=negated(trigger) or none)
    if "plan" in cls and not any(c.dep_ == "acl" for c in token.children):
        complement = next((c for c in token.children if c.dep_ == "prep" and c.lower_ in ("of", "for")), None)
        if complement is not None:
            neg = any(c.lower_ == "no" and c.dep_ == "det" for c in token.children)
            return Mention(token.doc, token.i, "intended", "plan", trigger=token.i, nominal=True,
                           agent=_owner(token), negated=neg)
    return None


def _modifiers(noun: Token) -> list[Token]:
    """The noun's own dependents and those of its compound modifiers ("rescheduled cup game")."""
    out = list(noun.children)
    out += [g for c in noun.children if c.dep_ == "compound" for g in c.children]
    return out


def _planned_modifier(token: Token) -> Token | None:
    """'a planned trip', 'an interview scheduled for Monday', 'a rally that was supposed to follow'."""
    for child in _modifiers(token):
        if child.dep_ in ("amod", "compound", "advmod", "acl", "nmod") and "planned" in classes(child):
            return child
        if child.dep_ == "amod" and any("planned" in classes(g) for g in child.children if g.dep_ == "advmod"):
            return child  # "originally scheduled"
        if child.dep_ == "relcl" and any(g.lower_ in ("that", "which") for g in child.children if g.dep_ in ("nsubj", "nsubjpass")):
            if intention_trigger(child) or "planned" in classes(child):
                return child  # "a rally that was supposed to follow" (not "questions that would be put")
            inner = _child(child, ("xcomp",))
            if inner is not None and intention_trigger(inner):
                return child
    return None


def _committed_object(token: Token) -> Token | None:
    """'proposed a steep levy', 'promised a strong police presence', 'agreed to the part': what was committed to."""
    verb = token.head
    if token.dep_ == "pobj" and verb.lower_ == "to" and verb.head.lemma_ in ("agree", "commit", "sign"):
        verb = verb.head
    elif token.dep_ != "dobj" or verb.lemma_ not in _COMMITTING:
        return None
    if modal_trigger(verb) or hypothetical(verb):
        return None
    if not (classes(token) & {"event", "plan", "generic"} or token.pos_ == "NOUN"):
        return None
    return verb


def _planned_predicate(token: Token) -> Token | None:
    """'The match was due to take place', 'this was to have been Kim's first trip'."""
    head = token.head
    if token.dep_ in ("nsubj", "nsubjpass") and (classes(token) & {"event", "plan"}):
        for word in (head, *[c for c in head.children if c.dep_ in ("acomp", "xcomp")]):
            if word.i != token.i and ("intend" in classes(word) or "planned" in classes(word)):
                inner = _child(word, ("xcomp",))
                if inner is None or inner.lemma_ in _OCCURRENCE:
                    return word
    if token.dep_ == "attr" and head.lemma_ == "be" and modal_trigger(head) is not None and classes(token) & {"event", "plan"}:
        return modal_trigger(head)  # "this was to have been Kim's first trip" (not "was to be a cautionary tale")
    return None


# -- arguments -----------------------------------------------------------------------------------
def _child(token: Token | None, deps: tuple[str, ...]) -> Token | None:
    if token is None:
        return None
    return next((c for c in token.children if c.dep_ in deps), None)


def _by_agent(verb: Token) -> Token | None:
    by = _child(verb, ("agent",))
    return _child(by, ("pobj",)) if by is not None else None


def _agent(token: Token, trigger: Token) -> int | None:
    """The subject of the event's clause, through control ('vowed to cut'), relative clauses and plan nouns."""
    node = token
    for _ in range(8):
        subject = _child(node, ("nsubj", "nsubjpass")) if node.i != token.i or not passive(node) else _child(node, ("nsubj",))
        if subject is not None:
            if subject.lower_ in ("who", "that", "which") and node.dep_ == "relcl":
                return node.head.i
            return subject.i
        if node.dep_ == "relcl":
            return node.head.i
        if node.head is node:
            return None
        if pos_of(node.head) == "noun" and node.dep_ in ("acl", "relcl"):
            return _owner(node.head)
        if node.dep_ == "pcomp" and node.head.lower_ == "of":
            return _owner(node.head.head)
        if node.dep_ == "pobj" and node.head.lower_ == "to":
            node = node.head.head  # "was due to usher": up to "due"
            continue
        if node.dep_ not in ("xcomp", "conj", "advcl", "acomp", "ccomp") or node.dep_ == "ccomp" and node.i == token.i:
            return None
        node = node.head
    return None


def _owner(noun: Token, *, allow_subject: bool = True) -> int | None:
    """Whose plan or event a noun names: its possessor, a proper-noun modifier, or the subject of its verb."""
    for child in noun.children:
        if child.dep_ == "poss" and child.lower_ not in _TIME_WORDS and child.ent_type_ not in ("DATE", "TIME"):
            return child.i
    for child in noun.children:
        if child.dep_ == "compound" and child.pos_ == "PROPN" and child.lower_ not in _TIME_WORDS:
            return child.i
    if allow_subject and noun.dep_ in ("dobj", "pobj", "attr") and noun.head is not noun:
        verb = noun.head if noun.dep_ != "pobj" else noun.head.head
        if pos_of(verb) == "verb":
            subject = _child(verb, ("nsubj",))
            if subject is not None and subject.i != noun.i:
                return subject.i
    return None


def _theme_ok(m: Mention, plans: list[Mention]) -> bool:
    """An outcome word that needs an event ("dropped plans", not "dropped bombs") has one."""
    if m.kind == "intention" or m.trigger is None or m.nominal:
        return True
    word = m.doc[m.trigger]
    if m.cls in ("fulfil", "fail") and m.theme is None and (word.lemma_ == "happen" or _phrase_words(word) & {"place", "ahead", "pass"}):
        return False  # "what happened", "it took place": an occurrence of nothing named
    if not predicate_table().needs_event(word.lemma_, m.cls):
        return True
    if m.theme is None:
        return False
    theme = m.doc[m.theme]
    if pos_of(theme) == "verb" or theme.pos_ == "PRON" or classes(theme) & _PLANLIKE or _planned_modifier(theme):
        return True
    return any(p.head == m.theme for p in plans)


def _presupposed(found: list[Mention], plans: list[Mention]) -> list[Mention]:
    """'called off a $54 billion deal': the object of a cancel or postpone is a plan the text implies."""
    covered = {p.head for p in plans}
    out: list[Mention] = []
    for m in found:
        if m.cls not in ("cancel", "postpone") or m.theme is None or m.theme in covered:
            continue
        theme = m.doc[m.theme]
        if pos_of(theme) != "noun" or theme.pos_ == "PRON" or not classes(theme) & {"event", "commitment"}:
            continue  # "halted flights", "canceled classes": a service stopped, not a plan broken
        out.append(Mention(m.doc, theme.i, "intended", "presupposed", nominal=True, presupposed=True,
                           agent=_owner(theme, allow_subject=False) or m.agent))
        covered.add(theme.i)
    return out


def _bounds(m: Mention, others: list[Mention]) -> tuple[int, int]:
    """Token range of a mention's span: its clause or noun phrase, without other clauses."""
    head = m.doc[m.head]
    if m.nominal:
        first, last = head.left_edge.i, _clean_right(head)
    else:
        first, last = _clause_left(head), _clean_right(head)
        if m.trigger is not None and m.trigger < first:
            first = _clause_left(m.doc[m.trigger]) if m.doc[m.trigger].dep_ != "aux" else m.trigger
        trigger = m.doc[m.trigger] if m.trigger is not None else None
        if trigger is not None and trigger.dep_ == "acomp":
            last = max(last, _clean_right(trigger.head))  # "was due to usher in the New Year with a visit"
        if m.agent is not None and m.agent < first and first - m.agent <= 12 and _governs(m.doc[m.agent].head, head, trigger):
            first = m.doc[m.agent].left_edge.i
        subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if head.dep_ == "relcl" and subject is not None and subject.lower_ in ("who", "which", "that"):
            first = min(first, head.head.left_edge.i)  # "friends of inmates who missed": the clause names its subject
    if m.kind == "action" and m.theme is not None and any(p.head == m.theme and p.kind == "intention" for p in others):
        theme = m.doc[m.theme]
        lo, hi = theme.left_edge.i, theme.right_edge.i
        if lo <= first <= hi < last:
            first = hi + 1
        elif first < lo <= last <= hi:
            last = lo - 1
    while first < last and m.doc[first].dep_ in _EDGE_DEPS:
        first += 1
    while last > first and m.doc[last].dep_ in _EDGE_DEPS:
        last -= 1
    return first, last


def _governs(word: Token, head: Token, trigger: Token | None) -> bool:
    """``word`` is the mention's own verb or trigger, or on the control chain between them ('vowed to cut')."""
    chain = {head.i}
    node = head
    for _ in range(6):
        if node.dep_ not in ("xcomp", "acomp", "pobj", "pcomp", "relcl") or node.head is node:
            break
        node = node.head
        chain.add(node.i)
    if trigger is not None:
        chain.add(trigger.i)
    return word.i in chain


_LEFT = frozenset({"nsubj", "nsubjpass", "aux", "auxpass", "neg", "advmod", "expl", "csubj"})


def _clause_left(verb: Token) -> int:
    lefts = [c for c in verb.children if c.i < verb.i and c.dep_ in _LEFT]
    return min([verb.i] + [c.left_edge.i for c in lefts])


def _clean_right(head: Token) -> int:
    """Right edge of ``head``'s subtree, stopping before another clause: a coordinated one, one a
    conjunction introduces ("after protesters filled …"), or one set off by a comma. A comma alone
    does not stop an argument ("close its last plant, at Mossbank, by 2020")."""
    last = head.i
    comma = False
    for child in head.children:
        if child.i < head.i:
            continue
        if child.dep_ == "punct":
            if child.text in ";—–(":
                break
            comma = comma or child.text in ",:"
            continue
        if child.dep_ in _OTHER_CLAUSES:
            break
        if comma and child.dep_ in ("advcl", "relcl", "appos", "ccomp", "parataxis", "nsubj", "dep"):
            break
        if child.dep_ == "advcl" and any(g.dep_ == "mark" for g in child.children):
            break  # "canceled an event … after protesters filled the arena": the circumstance is another clause
        last = max(last, child.right_edge.i)
    return last


#: Verbs of answering: refusing one of them refuses to speak, not to act ('declined to comment').
_SPEAKING = frozenset(
    "say comment elaborate discuss answer confirm disclose detail explain reveal specify define speculate respond talk tell".split()
)
#: Objects that make 'offer', 'give' or 'name' an answer ('declined to offer his own figure').
_ANSWERS = frozenset("figure detail number answer name comment estimate timeline date".split())


def _refused_to_speak(token: Token, cls: str) -> bool:
    """'declined to comment', 'refused to say who he plans to vote for': what was refused is an
    answer, so it says nothing about the plan it mentions."""
    if cls != "fail":
        return False
    said = next((c for c in token.children if c.dep_ == "xcomp" and pos_of(c) == "verb"), None)
    if said is None:
        return False
    if said.lemma_ in _SPEAKING:
        return True
    return said.lemma_ in ("offer", "give", "provide", "name") and any(c.dep_ == "dobj" and c.lemma_ in _ANSWERS for c in said.children)


@lru_cache(maxsize=1)
def _cue_lemmas() -> frozenset[str]:
    """Attribution verbs ("said", "told"): the report of an event, not an event of the story."""
    return frozenset(cue_forms().values())
