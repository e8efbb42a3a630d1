"""Speakers: one canonical entity per speaker; countries, demonyms and capitals share a group."""

import pytest

from quotecheck import extract_quotes
from quotecheck.pipeline.speakers import acronym, country_of, describe


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
