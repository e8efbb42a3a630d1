"""The event layer's rules on sentences we wrote: factuality per construction, what is not an intention,
actors, spans. The rules are features of the learned said/did stage now (``pipeline/saydo``); these
tests pin what each rule says, so a change to one shows here before it shows in the model."""

from __future__ import annotations

import pytest

from quotecheck import Checker
from quotecheck.testing.fakes import FakeEncoder


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(encoder=FakeEncoder())


def events(checker: Checker, text: str):
    from quotecheck.pipeline import events as events_stage
    from quotecheck.pipeline.saydo.stage import prepare

    ((doc, quotes, entities),) = prepare([text], checker.nlp, checker.config)
    return events_stage.extract(doc, quotes, entities, doc_id="d")


def find(statements, excerpt: str, kind: str | None = None):
    """The statement holding ``excerpt`` (of ``kind``), the one whose own words hold it first."""
    hits = [s for s in statements if (excerpt in s.span.text or (s.phrase and excerpt in s.phrase.text)) and kind in (None, s.kind)]
    assert hits, f"no statement holds {excerpt!r}: {[s.span.text for s in statements]}"
    hits.sort(key=lambda s: (not (s.phrase and excerpt in s.phrase.text) and excerpt not in (s.cue.text if s.cue else ""), len(s.span.text)))
    return hits[0]


@pytest.mark.parametrize(
    ("text", "excerpt", "predicate"),
    [
        ("Acme said it will close the Leeds plant.", "close the Leeds plant", "close"),
        ("Acme is going to close the Leeds plant.", "close the Leeds plant", "close"),
        ("Acme plans to close the Leeds plant.", "close the Leeds plant", "close"),
        ("The union vowed to strike on Monday.", "strike on Monday", "strike"),
        ("Acme is set to open a shop in York.", "open a shop", "open"),
        ("This was to have been Kim's first trip abroad.", "trip", "trip"),
        ("A strike planned for 4 April was moved to 8 April.", "A strike planned for 4 April", "strike"),
        ("Palin canceled a planned trip to Casper.", "a planned trip to Casper", "trip"),
        ("The match was due to take place on Thursday.", "The match", "match"),
        ("ReganBooks announced plans to publish a memoir.", "publish a memoir", "publish"),
        ("The government proposed a steep levy on polluters.", "a steep levy", "levy"),
    ],
)
def test_events_intended(checker, text, excerpt, predicate):
    s = find(events(checker, text), excerpt, "intention")
    assert (s.kind, s.factuality, s.predicate) == ("intention", "intended", predicate)


@pytest.mark.parametrize(
    ("text", "excerpt", "factuality"),
    [
        ("A strike planned for 4 April was moved to 8 April.", "was moved to 8 April", "postponed"),
        ("The NHL postponed a game scheduled for Wednesday.", "The NHL postponed", "postponed"),
        ("Their rescheduled game was played on Friday.", "rescheduled game", "postponed"),
        ("Russia announced that the trip had been canceled.", "had been canceled", "cancelled"),
        ("AbbVie called off a $54 billion deal.", "AbbVie called off", "cancelled"),
        ("Shortly after, the cancellation of the rally was announced.", "cancellation", "cancelled"),
        ("Berlin backed off within a month.", "Berlin backed off", "reversed"),
        ("Sanders reversed his commitment not to raise taxes.", "Sanders reversed", "reversed"),
        ("The project never came to pass.", "never came to pass", "failed"),
        ("Syria missed the deadline to hand over its stockpile.", "missed", "failed"),
        ("The agency fell 2,000 pages short of the target.", "fell", "failed"),
        ("The council has yet to reopen the pool.", "reopen the pool", "negated"),
        ("The council voted not to open the shelter.", "open the shelter", "negated"),
        ("The mayor kept her promise.", "kept her promise", "fulfilled"),
        ("The opening is going ahead as planned.", "going ahead", "fulfilled"),
        ("He decided to relieve himself instead.", "relieve himself", "departed"),
        ("The gang invaded the wrong house.", "invaded the wrong house", "departed"),
        ("Acme closed the Leeds plant in October.", "closed the Leeds plant", "realised"),
        ("Acme did not close the Leeds plant.", "close the Leeds plant", "negated"),
    ],
)
def test_events_outcome(checker, text, excerpt, factuality):
    s = find(events(checker, text), excerpt, "action")
    assert (s.kind, s.factuality) == ("action", factuality)


@pytest.mark.parametrize(
    "text",
    [
        "Analysts expect that the bank will raise rates in May.",  # a third party's forecast
        "Ewi worries that the hostages would not be freed.",  # a worry
        "If the bank raises rates, borrowers will suffer.",  # a condition, and a state
        "Will the bank raise rates in May?",  # a question
        "It would have provided a fine opportunity.",  # a counterfactual
        "Reporters asked how he would combat the Islamic State.",  # an indirect question
        "Her proposals did not cover every loophole she might seek to close.",  # a hedge
        "His million dollar gift will trigger a new wave of research.",  # a thing cannot intend
        "It would take three weeks to convene the committee.",  # an expletive 'it'
        "It's hard to imagine a tax code more complicated than ours.",  # not 'be to'
        "He again refused to pledge to release his tax returns.",  # a refused pledge is no pledge
        "We do not want to go back to those days.",  # an opinion
    ],
)
def test_events_no_intention(checker, text):
    assert [s.span.text for s in events(checker, text) if s.kind == "intention"] == []


def test_events_hedged_outcome_is_no_outcome(checker):
    text = "HBO announced it would unbundle its service. The launch could be signs that HBO is making good on that promise."
    found = events(checker, text)
    assert find(found, "unbundle its service", "intention").factuality == "intended"  # the layer did read the text
    assert not [s for s in found if s.factuality == "fulfilled"]


def test_events_an_outcome_sought_is_not_an_outcome(checker):
    text = "Cruz led the push for delaying a planned end to the government's role. The council postponed the vote."
    found = events(checker, text)
    assert find(found, "The council postponed", "action").factuality == "postponed"  # an outcome stated is one
    assert not [s for s in found if s.factuality == "postponed" and "delaying" in s.span.text]


@pytest.mark.parametrize(
    ("text", "conditional"),
    [
        ("One Republican threatened to make Kadzik testify in public, should he fail to get them the information.", True),
        ("Acme said it would build the plant if it won the contract.", True),
        ("If elected, I will cut taxes, Smith said.", True),
        ("Acme said it would build the plant.", False),
    ],
)
def test_events_a_plan_on_a_condition_is_marked(checker, text, conditional):
    plans = [s for s in events(checker, text) if s.kind == "intention"]
    assert plans and all(s.conditional is conditional for s in plans)


def test_events_struck_a_deal_is_not_an_attack(checker):
    s = find(events(checker, "Obama struck a deal to eliminate the arsenal."), "struck a deal")
    assert s.predicate == "strike deal"


def test_events_the_date_after_the_cue_is_when_it_was_said(checker):
    s = find(events(checker, "Acme said Tuesday it would close the plant in March."), "close the plant")
    assert [t.text for t in s.times] == ["in March"]
    assert s.stated_at is not None and s.stated_at.text == "Tuesday"


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("Mr. Obama said he would sign the bill on Sept. 14 in Washington.", "sign the bill on Sept. 14"),
        ("Sen. Jane Doe (D-Ohio) said she would vote no on the bill.", "vote no"),
    ],
)
def test_events_spans_are_not_cut_at_abbreviations(checker, text, excerpt):
    s = find(events(checker, text), excerpt.split()[0])
    assert excerpt in s.span.text


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Russia said it would strike the Islamic State.", "Russia"),
        ("Ardenne Power said in 2016 that it would close its last plant.", "Ardenne Power"),
        ("Chicago-based AbbVie and Shire called off a $54 billion deal.", "AbbVie"),
        ("Berlin backed off the levy.", "Germany"),
        ("Then came Mr. Obama's decision on the threats. When it did, he instead struck a deal.", "Obama"),
    ],
)
def test_events_actor(checker, text, actor):
    statements = events(checker, text)
    assert actor in {s.actor_name for s in statements}


def test_events_offsets_point_into_the_original_text(checker):
    text = "  Acme\u00a0said it would close the Leeds plant.\r\n\r\nThe closure was called off.  "
    analysis = checker.structure(text)
    for s in analysis.statements:
        for span in (s.span, s.phrase, s.cue, s.theme, s.target, *s.quantities, *s.times):
            if span is not None:
                assert text[span.start : span.end] == span.text


@pytest.mark.parametrize(
    "text",
    [
        "Cruz declined to comment on any plans to campaign for Senate candidates.",
        "A spokesman declined to say who he plans to vote for.",
        "Mr. Lou declined to offer his own figure for layoffs.",
    ],
)
def test_events_a_refusal_to_speak_is_no_outcome(checker, text):
    assert not [s for s in events(checker, text) if s.factuality == "failed"]


def test_events_a_refusal_to_act_is_an_outcome(checker):
    assert [s for s in events(checker, "Trump refused to endorse Ryan.") if s.factuality == "failed"]
