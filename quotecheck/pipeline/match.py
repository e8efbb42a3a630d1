"""Match stage: tie each outcome to the plan it reports on — one pairing policy for every entry point.

An outcome pairs with a plan through the strongest of four links (:data:`LINK_RANK`):

* ``reference`` — the outcome acts on the plan's own words ("canceled **a planned trip**",
  "**a strike planned for 4 April** was moved");
* ``clause`` — plan and outcome share a sentence and an actor ("Trump canceled an event … where he
  was scheduled to speak");
* ``anaphor`` — a later outcome refers back with a definite or elided noun phrase whose words fit
  the plan ("the trip had been canceled" → "a visit to Moscow"; "the project never came to pass");
* ``actor`` — the same actor, and the events agree: same predicate, or a cosine of the event
  phrases above :attr:`Config.pair_min_similarity` (the only link across documents).

Never: a statement with itself, two statements inside one quote of one speaker ("We will not
negotiate … We did not negotiate"), or an act done before the plan was stated. :func:`link` is the
policy; :func:`choose` keeps the best plan per outcome, deterministically. ``Checker.analyze``,
``compare``, ``index check`` and ``batch`` all pair through these two functions.
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from quotecheck.config import Config
from quotecheck.lexicon import MONTHS, WEEKDAYS, lines, predicate_table
from quotecheck.models import Link, Statement

__all__ = ["Pair", "LINK_RANK", "link", "choose", "pairs_within", "actors_compatible", "unknown_actor", "same_event", "measured", "reversal", "actor_key", "names_match", "predates"]

#: Links from strongest to weakest; a lower rank wins.
LINK_RANK: dict[str, int] = {"reference": 0, "clause": 1, "anaphor": 2, "actor": 3}
#: Outcomes that say what became of a plan (as opposed to a plain realised act).
PLAN_CHANGES = frozenset({"cancelled", "postponed", "reversed", "failed", "fulfilled", "departed"})
UNSPECIFIED = "(unspecified)"
#: Actor names that say nobody in particular: no name, or a pronoun the text never resolved.
_UNKNOWN = frozenset({UNSPECIFIED, "he", "she", "it", "they", "him", "her", "his", "its", "their", "them", "we", "i", "us", "our", "my"})
_OTHER_OCCASION = re.compile(r"\b(?:previous|former)\b", re.I)
_DEFINITE = frozenset("the this that these those such its his her their our my your it they them".split())


@dataclass(frozen=True)
class Pair:
    """A plan (intention) and an outcome (action) about the same event, and how they were tied."""

    intention: Statement
    action: Statement
    similarity: float
    link: Link = "actor"


def actor_key(name: str) -> str:
    """Comparable form of an actor name: lower case, no determiner or possessive."""
    name = re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.I)
    return re.sub(r"(?:’s|'s)$", "", name).lower()


#: Words too common in actor names to identify one ("Ferncliff Council" vs "Dunmore Council").
_GENERIC = frozenset(
    "the of and for a an council city county district borough town state national royal united new "
    "company group corp inc ltd plc co department ministry government authority trust agency party "
    "club union board service services health hospital hospitals university bank forces army officials "
    "president minister mayor governor secretary chief".split()
)


def _tokens(name: str) -> set[str]:
    return {w for w in re.findall(r"[\w’'-]+", actor_key(name)) if w not in _GENERIC and len(w) > 1}


def names_match(a: str, b: str) -> bool:
    """'kestrian' ~ 'kestria', 'carter' ~ 'ash carter': the names share a distinctive word or stem."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return bool(a) and actor_key(a) == actor_key(b)
    if ta & tb:
        return True
    for x in ta:
        for y in tb:
            short, long_ = sorted((x, y), key=len)
            if len(short) >= 5 and long_.startswith(short[:-1]) and len(long_) - len(short) <= 3:
                return True
    return False


def unknown_actor(statement: Statement) -> bool:
    """Nobody in particular: an agentless outcome, or a pronoun the text never resolved."""
    return statement.actor_name in _UNKNOWN


def actors_compatible(a: Statement, b: Statement) -> bool:
    """Same entity, or names (or country groups) that share a distinctive word or stem."""
    if unknown_actor(a) or unknown_actor(b):
        return False
    if a.actor and b.actor and a.doc_id == b.doc_id and a.actor == b.actor:
        return True
    names_a = [x for x in (a.actor_name, a.actor_group) if x]
    names_b = [x for x in (b.actor_name, b.actor_group) if x]
    return any(names_match(x, y) for x in names_a for y in names_b)


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def predates(action: Statement, intention: Statement) -> bool:
    """The action's year is before the year in which the intention was stated."""
    if intention.stated_at is None:
        return False
    said = _YEAR.findall(intention.stated_at.text)
    done = [int(y) for t in action.times for y in _YEAR.findall(t.text)]
    return bool(said and done) and max(done) < int(said[0])


def _refers(plan: Statement, outcome: Statement) -> bool:
    """The outcome acts on the plan's own words (its theme overlaps the plan's span)."""
    theme = outcome.theme
    return theme is not None and plan.doc_id == outcome.doc_id and theme.start < plan.span.end and plan.span.start < theme.end


def _anaphoric(outcome: Statement) -> bool:
    """No theme ("he canceled"), or a definite, possessive or pronominal one ("the trip", "it")."""
    if outcome.theme is None:
        return True  # (a "previous" or "former" theme never gets here: link() reads it as another occasion)
    first = outcome.theme.text.split()[0].lower() if outcome.theme.text.split() else ""
    return first.strip("“\"'") in _DEFINITE


def _generic_theme(outcome: Statement) -> bool:
    """A theme that can stand for any plan: 'the event', 'the project', 'the idea', 'it'."""
    if outcome.theme is None:
        return True
    head = outcome.keys[0] if outcome.keys else (re.findall(r"[a-z-]+", outcome.theme.text.lower()) or [""])[-1]
    return bool(predicate_table().classes(head, "noun") & {"generic", "plan", "goal"})


_NOT_NAMES = frozenset(m.capitalize() for m in (*MONTHS, *WEEKDAYS)) | {"The", "A", "An", "I", "Mr", "Mrs", "Ms", "Dr"}


def _names(text: str) -> set[str]:
    words = (re.sub(r"(?:’s|'s|’|')$", "", w) for w in re.findall(r"\b[A-Z][a-z][\w’'-]*", text))  # "Quint’s" is Quint
    return {w for w in words if w not in _NOT_NAMES}


def _conflict(plan: Statement, outcome: Statement) -> bool:
    """Plan and outcome name different participants ('marry Harpal Singh' vs 'her wedding with Kishore')."""
    a = _names(plan.span.text) - _names(plan.actor_name)
    b = _names((outcome.theme or outcome.span).text) - _names(outcome.actor_name)
    return bool(a) and bool(b) and not (a & b)


def link(
    plan: Statement, outcome: Statement, similarity: float, config: Config, *, fit: float = -1.0, verb_fit: float = -1.0
) -> Link | None:
    """How ``outcome`` reports on ``plan`` — or None when the text does not tie them.

    ``similarity`` is the cosine of the two event phrases; ``fit`` the best cosine between the
    outcome's theme head and a word of the plan ('trip' ~ 'visit'), used to resolve anaphors;
    ``verb_fit`` the cosine of the two predicate verbs ('hit' ~ 'strike').
    """
    if plan.kind != "intention" or outcome.kind != "action" or plan.id == outcome.id:
        return None
    if (plan.date and outcome.date and plan.date > outcome.date) or predates(outcome, plan):
        return None  # a promise made after the act cannot be broken by it
    same_doc = plan.doc_id == outcome.doc_id
    if same_doc and outcome.cue is not None and plan.span.start <= outcome.cue.start < plan.span.end:
        return None  # "changed his mind and decided to run", "refused to pledge to release": one statement
    if same_doc and _refers(plan, outcome):
        return "reference"
    if same_doc and outcome.factuality in ("realised", "negated") and plan.span.start < outcome.span.end and outcome.span.start < plan.span.end:
        return None  # overlapping words: one statement read twice ("began by saying he would never …")
    if plan.presupposed:
        return None  # a plan known only from one outcome belongs to that outcome
    if _OTHER_OCCASION.search((outcome.phrase or outcome.span).text):
        return None  # "the previous largest layoff": another, earlier event
    if same_doc and plan.quote is not None and plan.quote == outcome.quote:
        return None  # one speaker's own words: "We will not negotiate … We did not negotiate"
    actors = actors_compatible(plan, outcome)
    anonymous = unknown_actor(outcome) or unknown_actor(plan)
    changes = outcome.factuality in PLAN_CHANGES
    fits = (_generic_theme(outcome) or max(similarity, fit) >= config.anaphor_min_similarity) and not _conflict(plan, outcome)
    # the theme names the plan ('game' ~ 'match'), unless two different named actors act: Bale's
    # withdrawal from "the film" does not answer Sorkin's "upcoming biopic"
    others = not actors and not anonymous
    named = fit >= config.theme_min_fit and not _conflict(plan, outcome) and not others
    if same_doc and changes and plan.sentence is not None and plan.sentence == outcome.sentence:
        after = outcome.factuality == "reversed" and outcome.theme is None and plan.span.start > outcome.span.start
        if (actors or anonymous or named) and fits and not after:
            return "clause"  # not "changed his mind and decided to run": the new plan, not the one given up
    if same_doc and changes and (actors or anonymous or named) and fits and _anaphoric(outcome):
        distance = (outcome.sentence or 0) - (plan.sentence or 0)
        reach = config.anaphor_sentences if outcome.theme is not None or actors else config.elided_sentences
        if plan.span.start < outcome.span.start and distance <= reach and (actors or named or (outcome.theme is not None and _generic_theme(outcome))):
            return "anaphor"
        if plan.span.start > outcome.span.start and -distance <= config.cataphor_sentences and named:
            return "anaphor"  # told after its outcome: "their rescheduled game … The match was due on Thursday"
    if same_doc and changes and actors and named:
        return "actor"
    if same_doc and actors and _elided_refusal(plan, outcome):
        return "clause"  # "had been scheduled to attend the event … announced she wasn't coming"
    if changes and actors and _verb_theme(outcome) and _shared(plan, outcome):
        return "actor"  # "has refused to release the results" answers "will publish the results"
    if same_doc and measured(plan, outcome) and abs((outcome.sentence or 0) - (plan.sentence or 0)) <= config.plain_act_sentences:
        return "anaphor"  # "promised to lift annual growth to 7%" … "growth has come in at 4.76%"
    if not same_doc and anonymous and not _conflict(plan, outcome) and outcome.factuality in ("realised", "negated"):
        # compare(a, b): b reports on a; a bare pronoun in a ("he was going to leave out …") is its subject
        verb = plan.predicate.split()[0] == outcome.predicate.split()[0]
        return "actor" if verb and similarity >= config.pair_min_similarity else None
    if not actors or _conflict(plan, outcome):
        return None
    if outcome.factuality in ("realised", "negated"):
        if same_doc and abs((outcome.sentence or 0) - (plan.sentence or 0)) > config.plain_act_sentences:
            return None  # a plain act far from the plan in a long article is another occasion (PolNeAR dev)
        return "actor" if same_event(plan, outcome, similarity, config, verb_fit) else None  # a plain act pairs only with its own plan
    if similarity >= config.pair_min_similarity or _shares_target(plan, outcome):
        return "actor"
    return None


def same_event(plan: Statement, outcome: Statement, similarity: float, config: Config, verb_fit: float = -1.0) -> bool:
    """A plain act is the planned event when predicate and arguments agree: the same (or the opposite)
    verb with the same object, similar words or a pronoun object, or words so similar that they say
    the same ("left out Shearer" / "leave out Shearer")."""
    if similarity >= config.realised_min_similarity:
        return True
    verb = plan.predicate.split()[0] == outcome.predicate.split()[0] or reversal(plan.predicate, outcome.predicate)
    verb = verb or plan.predicate.split()[0] in _nouns(outcome)  # "lodged an appeal" answers "to appeal"
    verb = verb or verb_fit >= config.verb_min_similarity  # "hitting areas" answers "would strike"
    shared = _shared(plan, outcome)
    close = similarity >= config.argument_min_similarity
    # Without the plan's verb, shared words are rarely the same event: "will defeat radical Islamic
    # terrorism" / "has used the phrase 'Islamic terrorism'" (0.63), "agreed to lend $5 million" /
    # "lenders contributed $12.5 million" (every such pair read on PolNeAR dev was wrong).
    if verb:
        return shared or close or _pronoun_object(outcome)  # "decided to fight off the killers" … "I fought them"
    return shared and similarity >= config.object_min_similarity  # "would not use cluster munitions" / "fired cluster munitions"


def measured(plan: Statement, outcome: Statement) -> bool:
    """The outcome's subject is the measure the plan set an amount for, and the outcome gives one:
    "promised to lift annual growth to 7%" … "growth has come in at 4.76%"."""
    if outcome.factuality != "realised" or not plan.quantities or not outcome.quantities:
        return False
    measure = actor_key(outcome.actor_name)
    return len(measure.split()) == 1 and measure in plan.keys[1:]


def _elided_refusal(plan: Statement, outcome: Statement) -> bool:
    """A bare negated act right after the actor's plan, with no object of its own ('she wasn't
    coming', 'he did not go'): it answers that plan, not another."""
    if outcome.factuality != "negated" or len(outcome.keys) > 1 or plan.sentence is None or outcome.sentence is None:
        return False
    return plan.span.end <= outcome.span.start and 0 <= outcome.sentence - plan.sentence <= 1


_PRONOUN_OBJECTS = frozenset("it them this that these those".split())


def _pronoun_object(outcome: Statement) -> bool:
    """The act's object is a pronoun: it points back at what was named before, the plan's object."""
    words = (outcome.phrase or outcome.span).text.lower().split()
    return len(words) >= 2 and words[1].strip(",.;") in _PRONOUN_OBJECTS


def _shared(plan: Statement, outcome: Statement) -> bool:
    """The two name the same object: a shared key noun, or the plan's target in the outcome's words."""
    return bool(_nouns(plan) & _nouns(outcome)) or _shares_target(plan, outcome)


def _verb_theme(outcome: Statement) -> bool:
    """The outcome's theme is an event verb ('failed to deliver'), so its keys are the verb's."""
    return outcome.theme is not None and bool(outcome.keys) and outcome.keys[0] == outcome.predicate.split()[0]


_LIGHT_NOUNS = frozenset("time year week month day thing way part people place lot number percent".split())


def _nouns(statement: Statement) -> set[str]:
    """The statement's key nouns ('dividend', 'beds', 'airport'), without the verb and light nouns."""
    verb = statement.predicate.split()[0]
    return {k for k in statement.keys if k != verb and k not in _LIGHT_NOUNS and len(k) > 2}


def reversal(a: str, b: str) -> bool:
    """Two predicates that undo each other ('raise' / 'cut'), from ``lexicon/reversals.tsv``."""
    return (a.split()[0], b.split()[0]) in _reversals()


@lru_cache(maxsize=1)
def _reversals() -> frozenset[tuple[str, str]]:
    rows = lines("reversals.tsv")
    return frozenset((x, y) for x, y, *_ in rows) | frozenset((y, x) for x, y, *_ in rows)


def _shares_target(plan: Statement, outcome: Statement) -> bool:
    """The outcome's words name the plan's target ('strike the Islamic State' … 'no Islamic State fighters')."""
    if plan.target is None:
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w’'-]+", plan.target.text) if w.lower() not in _DEFINITE | {"a", "an", "of"}]
    distinctive = [w for w in words if w[:1].isupper()] or words
    return bool(distinctive) and all(re.search(rf"\b{re.escape(w)}\b", outcome.span.text, re.I) for w in distinctive[:3])


def _sort_key(pair: Pair) -> tuple:
    distance = abs((pair.action.sentence or 0) - (pair.intention.sentence or 0)) if pair.link == "anaphor" else 0
    presupposed = pair.intention.presupposed
    return (LINK_RANK[pair.link] + (3.5 if presupposed else 0), distance, -round(pair.similarity, 6), pair.intention.doc_id, pair.intention.span.start, pair.intention.id)


def choose(pairs: Iterable[Pair]) -> list[Pair]:
    """The best plan for each outcome: strongest link, then nearest, then most similar; ties by position and id.

    A plain act fulfils at most one plan and a plan is answered by at most one plain act (the most
    similar): "is going to defend himself" is not kept by every later act of the same man.
    """
    best: dict[tuple[str, str], Pair] = {}
    for pair in pairs:
        key = (pair.action.doc_id, pair.action.id)
        if key not in best or _sort_key(pair) < _sort_key(best[key]):
            best[key] = pair
    plain: dict[tuple[str, str], Pair] = {}
    kept: list[Pair] = []
    for pair in best.values():
        if pair.link == "actor" and pair.action.factuality in ("realised", "negated"):
            key = (pair.intention.doc_id, pair.intention.id)
            if key not in plain or (-pair.similarity, pair.action.span.start) < (-plain[key].similarity, plain[key].action.span.start):
                plain[key] = pair
        else:
            kept.append(pair)
    return sorted([*kept, *plain.values()], key=lambda p: (p.action.doc_id, p.action.span.start, p.action.id))


def pairs_within(
    intentions: list[Statement],
    actions: list[Statement],
    intention_vectors: np.ndarray,
    action_vectors: np.ndarray,
    config: Config,
    *,
    word_fit: Callable[..., float] | None = None,
) -> list[Pair]:
    """Every admissible (plan, outcome) pair among these statements, the best per outcome.

    The statements of one document or of two compared documents are few, so every pair is
    scored exactly (one matrix product); a corpus uses the faiss index to find candidates first.
    """
    if not intentions or not actions:
        return []
    similarity = np.clip(action_vectors @ intention_vectors.T, -1.0, 1.0)
    found: list[Pair] = []
    for j, outcome in enumerate(actions):
        for i, plan in enumerate(intentions):
            fit = word_fit(plan, outcome) if word_fit is not None and outcome.theme is not None and outcome.keys else -1.0
            verbs = word_fit(plan, outcome, verbs=True) if word_fit is not None and outcome.factuality in ("realised", "negated") else -1.0
            how = link(plan, outcome, float(similarity[j, i]), config, fit=fit, verb_fit=verbs)
            if how is not None:
                found.append(Pair(plan, outcome, float(similarity[j, i]), how))
    restated = np.clip(intention_vectors @ intention_vectors.T, -1.0, 1.0)
    index = {s.id: n for n, s in enumerate(intentions)}
    return [_first_statement(p, intentions, restated[index[p.intention.id]], config) for p in choose(found)]


def _first_statement(pair: Pair, intentions: list[Statement], similarity: np.ndarray, config: Config) -> Pair:
    """'has broken his promise to use the word': the plan named inside the outcome is the one stated
    earlier ('Obama promised to use the word'); the finding shows where it was first stated."""
    plan, outcome = pair.intention, pair.action
    if pair.link != "reference" or plan.sentence != outcome.sentence:
        return pair
    best: tuple[int, Statement] | None = None
    for n, other in enumerate(intentions):
        if other.doc_id != plan.doc_id or other.sentence == plan.sentence or other.presupposed:
            continue
        same_actor = actors_compatible(other, plan) or unknown_actor(other) or unknown_actor(plan)
        distance = abs((other.sentence or 0) - (plan.sentence or 0))
        same_words = other.predicate == plan.predicate and len(set(other.keys) & set(plan.keys)) >= 3  # verb and two nouns
        restates = similarity[n] >= config.restatement_min_similarity or same_words
        if same_actor and restates and (best is None or distance < best[0]):
            best = (distance, other)
    return Pair(best[1], outcome, pair.similarity, "anaphor") if best else pair
