"""Factuality on the parse: does a verb or noun name a planned event, an outcome, or neither?

Each function reads one token of a spaCy parse and the predicate classes of
``lexicon/predicates.tsv``; none of them looks at raw strings beyond a token's lemma. The event
stage (``events.py``) combines them into event mentions.

* an **intention** is an event verb under a modal ("will strike", "is going to", "was to have
  been") or the infinitive of an ``intend`` verb, adjective or ``plan`` noun ("vowed to cut",
  "is due to open", "plans to publish"), or an event noun with a ``planned`` modifier ("a planned
  trip", "a game scheduled for Wednesday");
* an **outcome** is a verb, noun or modifier of the classes cancel, reverse, postpone, fail,
  short, fulfil, occur and depart ("called off", "the postponement of", "a rescheduled game");
* neither: states and predictions (``stative``), anything under a ``forecast`` verb of another
  speaker, conditionals ("if …"), questions and counterfactuals ("would have provided").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from quotecheck.lexicon import predicate_table

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = [
    "OUTCOME_CLASSES",
    "FACTUALITY_OF",
    "pos_of",
    "classes",
    "modal_trigger",
    "counterfactual",
    "intention_trigger",
    "negated",
    "hypothetical",
    "hedged",
    "inherited_future",
    "passive",
]

#: Outcome classes and the factuality each gives the event it acts on.
FACTUALITY_OF = {
    "cancel": "cancelled",
    "reverse": "reversed",
    "postpone": "postponed",
    "fail": "failed",
    "short": "failed",
    "fulfil": "fulfilled",
    "depart": "departed",
    "retarget": "departed",
}
OUTCOME_CLASSES = frozenset(FACTUALITY_OF) | {"occur"}
_MODALS = frozenset({"will", "would", "shall", "'ll", "’ll", "wo", "'d", "’d"})
_CONDITIONS = frozenset({"if", "unless", "whether"})


def pos_of(token: Token) -> str:
    """The lexicon's part of speech of ``token``: verb, noun, adj, adv or ''."""
    return {"VERB": "verb", "AUX": "verb", "NOUN": "noun", "PROPN": "noun", "ADJ": "adj", "ADV": "adv"}.get(token.pos_, "")


def classes(token: Token) -> frozenset[str]:
    """Every class the lexicon gives ``token``, multiword phrases included ("call off", "fall short")."""
    table = predicate_table()
    pos = pos_of(token)
    found = set(table.classes(token.lemma_, pos)) | set(table.classes(token.lower_, pos))
    if pos == "verb" and token.tag_ == "VBN":
        found |= table.classes(token.lower_, "adj")  # "was scheduled", "is expected": participles as adjectives
    phrases = table.phrases(token.lemma_, pos)
    if phrases:
        near = {c.lemma_.lower() for c in token.children} | {c.lower_ for c in token.children}
        near |= {g.lemma_.lower() for c in token.children if c.dep_ in ("prep", "dobj", "prt") for g in c.children}
        found |= {cls for rest, cls in phrases if all(w in near for w in rest)}
    return frozenset(found)


def counterfactual(verb: Token) -> bool:
    """'would have provided': what would have happened, neither a plan nor an act."""
    aux = [c for c in verb.children if c.dep_ == "aux"]
    return verb.tag_ == "VBN" and any(c.lower_ in _MODALS for c in aux) and any(c.lemma_ == "have" for c in aux)


def modal_trigger(verb: Token) -> Token | None:
    """The word that puts ``verb`` in the future: a modal, "going" (is going to) or "was" (was to)."""
    for child in verb.children:
        if child.dep_ == "aux" and child.lower_ in _MODALS and not counterfactual(verb):
            return child
    head = verb.head
    if verb.dep_ == "xcomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        if head.lemma_ == "go" and head.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be" for c in head.children):
            return head  # "is going to close"
        if head.lemma_ == "be" and head.dep_ in ("ROOT", "ccomp", "conj", "relcl", "advcl"):
            if not any(c.dep_ in ("acomp", "attr", "expl") for c in head.children):
                return head  # "was to have been", "are to hold" (not "it's hard to imagine")
    return None


def intention_trigger(verb: Token) -> tuple[Token, str] | None:
    """(trigger, class) when ``verb`` is the infinitive of an intend verb or adjective or a plan noun."""
    head = verb.head
    if head is verb:
        return None
    if verb.dep_ == "xcomp" and "intend" in classes(head):
        if head.lemma_ == "expect" and not passive(head):
            return None  # "X expects to win": a forecast; "X is expected to attend": a schedule
        return head, "intend"
    if verb.dep_ == "pobj" and head.lower_ == "to" and "intend" in classes(head.head) and _bare_word(verb):
        return head.head, "intend"  # "had been due to usher in", parsed as a preposition
    if verb.dep_ == "acl" and pos_of(head) == "noun":
        kind = classes(head) & {"plan", "goal"}
        if kind:
            return head, "plan" if "plan" in kind else "goal"
    if verb.dep_ == "pcomp" and head.lower_ == "of" and pos_of(head.head) == "noun":
        kind = classes(head.head) & {"plan", "goal"}
        if kind:
            return head.head, "plan" if "plan" in kind else "goal"  # "the goal of releasing 43,000 pages"
    return None


def _bare_word(token: Token) -> bool:
    """A lower-case word with no determiner or possessor: a verb misread as a noun ('due to usher')."""
    return token.is_lower and token.pos_ not in ("PROPN", "PRON", "NUM") and not any(c.dep_ in ("det", "poss") for c in token.children)


def negated(token: Token) -> bool:
    """A ``neg`` child ("not", "never", "n't"), or "no longer" / "yet to" on the verb or its aux head."""
    if any(c.dep_ == "neg" for c in token.children):
        return True
    if any(c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children) for c in token.children):
        return True
    head = token.head
    if token.dep_ == "xcomp" and head.lemma_ in ("have", "be") and any(c.lower_ == "yet" for c in head.children):
        return True  # "has yet to follow up"
    return False


def hypothetical(token: Token) -> bool:
    """``token``'s own clause is a condition ("if it wins", "unless Moscow stops") or a question.

    Only the clause a mark introduces is conditional: in "I will build it if elected" the
    promise stands and "elected" is the condition.
    """
    node = token
    for _ in range(6):
        for child in node.children:
            if child.dep_ == "mark" and child.lower_ in _CONDITIONS:
                before = node.doc[child.i - 1] if child.i > 0 else None
                if not (child.lower_ == "if" and before is not None and before.lower_ in ("as", "even")):
                    return True
        if node.dep_ in ("xcomp", "aux", "auxpass", "conj") and node.head is not node:
            node = node.head
            continue
        break
    return ends_with_question(token.sent)


_CLOSING = " ”\"'’)"


def ends_with_question(sent) -> bool:
    """``sent.text.rstrip(' ”"\'’)').endswith('?')``, read from its last tokens instead of
    building the whole sentence's text (which spaCy does on every ``.text``)."""
    doc, tail = sent.doc, ""
    for i in range(sent.end - 1, sent.start - 1, -1):
        tail = (doc[i].text if i == sent.end - 1 else doc[i].text_with_ws) + tail
        stripped = tail.rstrip(_CLOSING)
        if stripped:
            return stripped.endswith("?")
    return False


def conditional(token: Token) -> bool:
    """A condition hangs on ``token``'s sentence: a clause marked 'if'/'unless' that is not
    ``token``'s own, or an inverted one ('should he fail to …', 'had they known'). The plan stands,
    but that it did not happen breaks nothing unless the condition held."""
    marks, inverted = _conditions(token.sent)
    return inverted or any(not _within(token, head) for head in marks)


_CONDITIONS_KEY = "quotecheck.conditions"


def _conditions(sent) -> tuple[tuple[int, ...], bool]:
    """The heads (token indexes) of a sentence's 'if'/'unless' clauses and whether it holds an
    inverted condition, read once per sentence and kept in the Doc's ``user_data`` (every clause
    of the sentence asks; indexes, not Tokens, so the Doc holds no reference to itself)."""
    cache = sent.doc.user_data.setdefault(_CONDITIONS_KEY, {})
    found = cache.get(sent.start)
    if found is None:
        marks: list[int] = []
        inverted = False
        for word in sent:
            if word.dep_ == "mark" and word.lower_ in ("if", "unless"):
                marks.append(word.head.i)
            if not inverted and word.lower_ in ("should", "had", "were") and word.dep_ in ("aux", "ROOT") and word.i + 1 < len(word.doc):
                after = word.doc[word.i + 1]
                before = word.doc[word.i - 1] if word.i > sent.start else None
                inverted = after.dep_ == "nsubj" and after.head.i == word.head.i and (before is None or before.is_punct)
        found = cache[sent.start] = (tuple(marks), inverted)
    return found


def _within(token: Token, clause: int) -> bool:
    """Whether ``token`` hangs on token ``clause`` within eight steps up the tree."""
    node = token
    for _ in range(8):
        if node.i == clause:
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


_HEDGES = frozenset({"could", "may", "might"})


def hedged(token: Token) -> bool:
    """``token``'s clause, or a clause it is embedded in, only says it may be so ("could be signals that …")."""
    node = token
    for _ in range(6):
        if any(c.dep_ == "aux" and c.lower_ in _HEDGES for c in node.children):
            return True
        if node.head is node or node.dep_ not in ("ccomp", "acl", "xcomp", "conj", "relcl", "pcomp", "pobj", "prep", "attr"):
            return False
        node = node.head
    return False


def inherited_future(token: Token) -> bool:
    """A participle or conjunct hanging on a planned event shares its future ("will issue orders, cancelling …")."""
    head = token.head
    if head is token or token.dep_ not in ("advcl", "conj", "xcomp"):
        return False
    if token.dep_ == "xcomp" and token.tag_ != "VBG":
        return False
    return modal_trigger(head) is not None or intention_trigger(head) is not None


def passive(verb: Token) -> bool:
    """A passive participle ("was cancelled", "is expected")."""
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
