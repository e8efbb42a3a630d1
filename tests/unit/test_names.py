"""Names (issue 17): canonical speakers, non-names, gender and number, countries, names_match."""

import pytest

from quotecheck.pipeline.names import (
    Mention,
    country_of,
    gender_of_name,
    names_match,
    pronoun_agrees,
    speaker_mention,
)


@pytest.mark.parametrize(
    "source, name, kind",
    [
        ("Former WorldCom chief Bernie Ebbers", "Bernie Ebbers", "person"),
        ("UK Foreign Secretary Jack Straw", "Jack Straw", "person"),
        ("Tory Liam Fox", "Liam Fox", "person"),
        ("Dr Liam Fox", "Liam Fox", "person"),
        ("Bank of England deputy governor Rachel Lomax", "Rachel Lomax", "person"),
        ("Chen Huiqin, an analyst at Huatai Securities", "Chen Huiqin", "person"),
        ("Ms Jowell's deputy, Richard Caborn,", "Richard Caborn", "person"),
        ("Mr Herron - who gained fame as a campaigner - ", "Herron", "person"),
        ("the Wall Street Journal (WSJ)", "Wall Street Journal", "organisation"),
        ("a World Bank report", "World Bank", "organisation"),
        ("the latest survey from the Institute for Supply Management (ISM)", "Institute for Supply Management", "organisation"),
        ("The Association of British Insurers", "Association of British Insurers", "organisation"),
        ("A spokesman for NBC", "A spokesman for NBC", "anonymous"),
        ("Munich Re and Swiss Re, the world's two biggest reinsurers,", "Munich Re and Swiss Re", "group"),
        ("Analysts", "Analysts", "group"),
    ],
)
def test_names_speaker_mention_is_one_canonical_speaker(source, name, kind):
    m = speaker_mention(source)
    assert (m.name, m.type) == (name, kind)


@pytest.mark.parametrize("source", ["the same", "The delay", "on Thursday", "the move"])
def test_names_a_non_name_is_no_speaker(source):
    assert speaker_mention(source) is None


def test_names_an_outlet_before_a_spokesman_is_not_the_speaker():
    m = speaker_mention("Mirror, a hospital spokesman")
    assert (m.name, m.type) == ("a hospital spokesman", "anonymous")


@pytest.mark.parametrize(
    "source, organisation",
    [("Brightwell Energy’s chief financial officer, Marta Ruiz", "Brightwell Energy"),
     ("Dr Ines Valdez, head of the Sanforth Regional Health Service", "Sanforth Regional Health Service"),
     ("Salvation Army spokesman Jonathan Lomax", "Salvation Army")],
)
def test_names_a_person_speaking_for_an_organisation_is_grouped_under_it(source, organisation):
    m = speaker_mention(source)
    assert (m.type, m.affiliation, m.group) == ("person", organisation, organisation)


@pytest.mark.parametrize(
    "name, gender",
    [("Tessa Jowell", "f"), ("Mr Ebbers", "m"), ("Ms Lomax", "f"), ("a spokeswoman", "f"), ("her husband", "m"),
     ("Jan Berry", None), ("Swiss Re", None)],
)
def test_names_gender_of_name(name, gender):
    assert gender_of_name(name) == gender


@pytest.mark.parametrize(
    "pronoun, mention, agrees",
    [
        ("she", Mention("Fan Lung", "person", "lung", None, gender="m"), False),
        ("she", Mention("Zhang Wei", "person", "wei", None), True),
        ("she", Mention("Daily Mirror", "organisation", "dm", None, outlet=True), False),
        ("he", Mention("a spokesman", "anonymous", "a spokesman", None, gender="m"), True),
        ("it", Mention("Ann Lee", "person", "lee", None, gender="f"), False),
        ("it", Mention("a hospital spokesman", "anonymous", "a hospital spokesman", None), False),
        ("it", Mention("BAA", "organisation", "baa", None), True),
        ("they", Mention("Daily Mirror", "organisation", "dm", None, outlet=True), False),
        ("they", Mention("Ann Lee", "person", "lee", None), False),
        ("they", Mention("BAA", "organisation", "baa", None), True),
        ("they", Mention("officials", "group", "officials", None, plural=True), True),
    ],
)
def test_names_pronoun_agrees_by_person_gender_and_number(pronoun, mention, agrees):
    assert pronoun_agrees(pronoun, mention) is agrees


@pytest.mark.parametrize("mention, country", [("Douglas", None), ("the MDA", None), ("Moscow", "Russia"), ("US", "United States")])
def test_names_country_of_a_speaker_needs_a_known_country(mention, country):
    m = speaker_mention(mention)
    assert (m.group if m.type == "country" else None) == country


@pytest.mark.parametrize(
    "a, b, strict, loose",
    [("Carter", "Ash Carter", True, True), ("Kestrian", "Kestria", True, True), ("the council", "Ferncliff Council", False, True),
     ("Ferncliff Council", "Dunmore Council", False, False), ("Li", "Lincoln", False, False), ("Ann Lee", None, False, False)],
)
def test_names_names_match(a, b, strict, loose):
    assert (names_match(a, b), names_match(a, b, loose=True)) == (strict, loose)


def test_names_country_of_is_unchanged_for_the_events_stage():
    assert [country_of(x) for x in ("Russian jets", "the Kremlin", "IS", "Homs")] == ["Russia", "Russia", None, None]


@pytest.mark.parametrize("name", ["Maria Concepcion de los Angeles Ruiz-Hernandez Villanueva", "Rudi van der Berg"])
def test_names_particles_in_a_row_stay_inside_the_name(name):
    assert speaker_mention(name).name == name
