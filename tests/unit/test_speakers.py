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


# -- resolution on hand-built quotes (issue 10: the wire-story errors) -------------------------
from quotecheck.models import Quote, Span  # noqa: E402
from quotecheck.pipeline.segment import segment  # noqa: E402
from quotecheck.pipeline.speakers import resolve  # noqa: E402


def _quote(text: str, n: int, source: str, content: str, *, after: int = 0) -> Quote:
    s = text.index(source, after) if source[0].isupper() or after else text.index(" " + source + " ", after) + 1
    c = text.index(content, after)
    return Quote(id=f"q{n}", kind="indirect", content=(Span.of(text, c, c + len(content)),), source=Span.of(text, s, s + len(source)))


def test_speakers_he_said_goes_to_the_person_named_last_not_the_previous_speaker():
    text = (
        "Ann Lee said taxes would rise.\n\n"
        "The governor, Tom Reyes, rejected the plan on Monday. “It is dead,” he said."
    )
    quotes = (_quote(text, 1, "Ann Lee", "taxes would rise"), _quote(text, 2, "he", "It is dead", after=text.index("“")))
    entities, resolved = resolve(text, segment(text), quotes)
    assert [q.speaker_name for q in resolved] == ["Ann Lee", "Tom Reyes"]
    assert len(entities) == 2


def test_speakers_pronoun_chain_across_paragraphs_stays_with_the_subject():
    text = (
        "Sen. Ada Fenwick met Tom Reyes in May.\n\n"
        "She said the talks were useful.\n\n"
        "She added that more talks were planned."
    )
    quotes = (
        _quote(text, 1, "She", "the talks were useful", after=text.index("She")),
        _quote(text, 2, "She", "that more talks were planned", after=text.index("added") - 5),
    )
    _, resolved = resolve(text, segment(text), quotes)
    assert [q.speaker_name for q in resolved] == ["Ada Fenwick", "Ada Fenwick"]


def test_speakers_another_official_is_not_merged_into_a_news_agency():
    text = (
        "Nigeria’s official news agency said the town was retaken.\n\n"
        "Another official confirmed the attack."
    )
    quotes = (
        _quote(text, 1, "Nigeria’s official news agency", "the town was retaken"),
        _quote(text, 2, "Another official", "the attack"),
    )
    entities, resolved = resolve(text, segment(text), quotes)
    assert resolved[0].speaker != resolved[1].speaker
    assert {e.type for e in entities} == {"organisation", "anonymous"}


def test_speakers_the_agency_still_joins_the_named_agency():
    text = "The National Weather Agency said storms were coming.\n\nThe agency said roads would close."
    quotes = (
        _quote(text, 1, "The National Weather Agency", "storms were coming"),
        _quote(text, 2, "The agency", "roads would close"),
    )
    _, resolved = resolve(text, segment(text), quotes)
    assert resolved[0].speaker == resolved[1].speaker


@pytest.mark.parametrize(
    "source, name",
    [("Institute for the Study of War research", "Institute for the Study of War"), ("the Pew Research Center’s survey", "Pew Research Center")],
)
def test_speakers_a_document_noun_after_a_name_is_not_part_of_the_speaker(source, name):
    assert source_mention(source).name == name


def test_speakers_a_relative_who_is_the_speaker_just_named():
    text = "“We attacked at dawn,” explained Gul, who estimates she is between 50 and 60. “I fought them,” she added."
    a = extract_quotes(text)
    assert "who" not in {q.speaker_name for q in a.quotes}
    assert {q.speaker_name for q in a.quotes} == {"Gul"}


def test_speakers_the_agency_after_a_government_department_is_that_government():
    text = (
        "The State Department also said that it fell short of its goal. "
        "“We have worked diligently,” said the agency, which fell about 2,000 pages short of the target."
    )
    a = extract_quotes(text)
    assert len({q.speaker for q in a.quotes}) == 1


def test_speakers_two_letter_words_are_not_countries():
    assert [country_of(x) for x in ("IS", "IN", "IT", "US", "UK")] == [None, None, None, "United States", "United Kingdom"]


# -- issue 17: speakers a fact-checker can trust ------------------------------------------------


def test_speakers_she_is_never_the_husband_named_last():
    text = (
        "Zhang Wei, 28, gave birth in the hospital car park on Monday.\n\n"
        "Fan Lung, her husband, was burned trying to start the car.\n\n"
        "She said: \"It doesn't matter that he was hurt, we are together.\""
    )
    quote = extract_quotes(text).quotes[-1]
    assert quote.speaker_name == "Zhang Wei"


def test_speakers_she_with_nobody_who_agrees_is_unknown_not_a_guess():
    text = "Fan Lung, her husband, was burned in the fire.\n\nShe said: \"We are together.\""
    quote = extract_quotes(text).quotes[-1]
    assert (quote.source.text, quote.speaker, quote.speaker_name) == ("She", None, None)


def test_speakers_they_is_never_a_newspaper():
    text = (
        "The Harbour Mirror reported that the plant would close.\n\n"
        "Workers at the plant were told on Friday.\n\n"
        "They said the closure was unfair."
    )
    a = extract_quotes(text)
    assert a.quotes[-1].speaker_name != "Harbour Mirror"


def test_speakers_it_is_never_a_person():
    text = "A hospital spokesman said the baby was well.\n\nIt said the mother would go home on Friday."
    quotes = (_quote(text, 1, "A hospital spokesman", "the baby was well"), _quote(text, 2, "It", "the mother would go home on Friday"))
    _, resolved = resolve(text, segment(text), quotes)
    assert resolved[1].speaker is None


def test_speakers_they_goes_to_the_organisation_named_in_the_sentence_before():
    text = "Opponents say the runway is illegal.\n\nBAA owns the airport. They have said they cannot raise the money."
    quotes = (_quote(text, 1, "Opponents", "the runway is illegal"), _quote(text, 2, "They", "they cannot raise the money"))
    _, resolved = resolve(text, segment(text), quotes)
    assert resolved[1].speaker_name == "BAA"


def test_speakers_a_pronoun_never_takes_a_name_from_its_own_quote():
    text = 'Mr Ebbers took the stand on Tuesday.\n\nMr Sullivan "made accounting decisions," he told the court.'
    a = extract_quotes(text)
    assert a.quotes[-1].speaker_name == "Ebbers"


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("Actor Michael Douglas visited India.\n\nOn a visit, the 60-year-old actor said he hoped to start filming next year.", "Michael Douglas"),
        ("England coach Andy Robinson picked his side.\n\nThe coach said the team was ready.", "Andy Robinson"),
    ],
)
def test_speakers_a_definite_description_joins_the_person_it_describes(text, speaker):
    assert extract_quotes(text).quotes[-1].speaker_name == speaker


def test_speakers_a_possessive_description_is_not_the_person_named_last():
    text = "The party would welcome Lord Archer back, its co-chairman has said."
    quotes = (_quote(text, 1, "its co-chairman", "The party would welcome Lord Archer back"),)
    _, resolved = resolve(text, segment(text), quotes)
    assert resolved[0].speaker_name == "its co-chairman"


@pytest.mark.parametrize("source", ["The same", "The delay"])
def test_speakers_a_source_that_names_nobody_has_no_speaker(source):
    text = f"{source} was reported by residents, who said the road was closed."
    quotes = (_quote(text, 1, source, "the road was closed"),)
    entities, resolved = resolve(text, segment(text), quotes)
    assert resolved[0].speaker is None and entities == ()


def test_speakers_titles_appositives_and_organisations_make_one_speaker():
    text = (
        "Bank of England deputy governor Rachel Lomax said growth was strong.\n\n"
        "Ms Lomax said rates would hold.\n\nShe added that the data was late."
    )
    a = extract_quotes(text)
    assert {q.speaker_name for q in a.quotes} == {"Rachel Lomax"}
    assert [e.name for e in a.entities if e.type == "person"] == ["Rachel Lomax"]


def test_speakers_an_organisation_a_speaker_speaks_for_is_an_entity():
    text = "\"We will vaccinate every child,\" said Dr Ines Valdez, head of the Sanforth Regional Health Service."
    a = extract_quotes(text)
    person = next(e for e in a.entities if e.type == "person")
    assert (person.name, person.group) == ("Ines Valdez", "Sanforth Regional Health Service")
    assert "Sanforth Regional Health Service" in {e.name for e in a.entities if e.type == "organisation"}
