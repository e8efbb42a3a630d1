"""Speakers: one canonical entity per speaker; countries, demonyms and capitals share a group."""

import pytest

from quotecheck import extract_quotes
from quotecheck.pipeline.speakers import acronym, country_of, describe, source_mention


@pytest.mark.parametrize(
    "mention, country",
    [("Russia", "Russia"), ("the Russians", "Russia"), ("Moscow", "Russia"), ("the Kremlin", "Russia"),
     ("Russian jets", "Russia"), ("Russian officials", "Russia"), ("Washington", "United States"), ("Homs", None)],
)
def test_speakers_country_group(mention, country):
    assert country_of(mention) == country


@pytest.mark.parametrize(
    "mention, name, kind",
    [("Defense Secretary Ash Carter", "Ash Carter", "person"), ("Mr. Obama", "Obama", "person"),
     ("the Institute for the Study of War", "Institute for the Study of War", "organisation"),
     ("officials", "officials", "anonymous")],
)
def test_speakers_describe_strips_titles_and_types(mention, name, kind):
    m = describe(mention)
    assert (m.name, m.type) == (name, kind)


def test_speakers_acronym():
    assert acronym("Institute for the Study of War") == "ISW"


def test_speakers_surname_and_pronoun_resolve_to_one_entity():
    text = (
        "Defense Secretary Ash Carter said the plan was sound. Carter said talks would go on.\n"
        "He said the team was ready."
    )
    a = extract_quotes(text)
    assert {q.speaker_name for q in a.quotes} == {"Ash Carter"}
    assert len(a.entities) == 1
    assert [m.text for m in a.entities[0].mentions] == ["Defense Secretary Ash Carter", "Carter", "He"]


def test_speakers_common_noun_joins_named_organisation():
    text = (
        "The strikes killed 30 people, according to the Institute for the Study of War. "
        "The area is home to rebel groups, the institute said."
    )
    a = extract_quotes(text)
    assert {q.speaker_name for q in a.quotes} == {"Institute for the Study of War"}


def test_speakers_pronoun_prefers_speaker_over_nearer_name():
    text = "Carter said the talks were useful. Carter first met Sergey Shoygu in May.\nHe said more talks were planned."
    a = extract_quotes(text)
    assert a.quotes[-1].speaker_name == "Carter"


def test_speakers_definite_title_resolves_to_titled_person_in_the_text():
    text = "President Ada Fenwick toured the port on Monday.\nThe president said the harbour would be dredged."
    a = extract_quotes(text)
    assert [q.speaker_name for q in a.quotes] == ["Ada Fenwick"]


def test_speakers_definite_title_prefers_speaker_with_that_title():
    text = (
        "Senator Ada Fenwick said the bill would pass. Mayor Ilsa Brant said it would not.\n"
        "The senator said she was confident."
    )
    a = extract_quotes(text)
    assert [q.speaker_name for q in a.quotes] == ["Ada Fenwick", "Ilsa Brant", "Ada Fenwick"]


def test_speakers_the_company_joins_the_nearest_organisation_but_the_union_does_not():
    text = "Brightwell Motors said profits rose. The union said wages fell.\nThe company said it would hire 200 workers."
    a = extract_quotes(text)
    assert [q.speaker_name for q in a.quotes] == ["Brightwell Motors", "The union", "Brightwell Motors"]


def test_speakers_the_paper_joins_the_outlet():
    text = "The Harbour Times reported that the plant would close.\nThe paper said the closure was planned for May."
    a = extract_quotes(text)
    assert [q.speaker_name for q in a.quotes] == ["Harbour Times", "Harbour Times"]


@pytest.mark.parametrize("mention, name", [("Nervo's", "Nervo"), ("Fenwick’s", "Fenwick")])
def test_speakers_possessive_source_names_the_possessor(mention, name):
    assert source_mention(mention).name == name


def test_speakers_the_spokesman_stays_anonymous():
    m = source_mention("the spokesman")
    assert (m.type, m.role) == ("anonymous", None)


@pytest.mark.parametrize("mention", ["the company", "the senator", "the paper"])
def test_speakers_describe_keeps_the_plain_reading_of_definite_descriptions(mention):
    # statements reads actors with describe(): a role is only for speaker resolution
    assert describe(mention).role is None and source_mention(mention).role is not None
