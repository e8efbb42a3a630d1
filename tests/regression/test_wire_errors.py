"""The wire-story errors a user reported against the rule extractor (issue 10), on sentences we
wrote, through the shipped learned extractor and the speakers stage."""

from __future__ import annotations

from quotecheck import extract_quotes


def test_wire_a_profile_heading_is_no_quote():
    text = "Profile: Boko Haram\n\nThe group has waged an insurgency in the northeast since 2009, officials said."
    a = extract_quotes(text)
    heading_end = text.index("\n")
    assert all(s.start > heading_end for q in a.quotes for s in q.content)


def test_wire_non_speech_verbs_are_no_cues():
    text = (
        "The group promotes a strict reading of Islamic law. Its fighters frequently attack villages near the border.\n\n"
        "The army sees the town as a base. The raid aimed at a camp in the forest."
    )
    assert extract_quotes(text).quotes == ()


def test_wire_a_saying_clause_has_the_subject_as_speaker():
    text = "Boko Haram laughed off the army's claims on Tuesday, saying its fighters were still holding the town."
    (quote,) = extract_quotes(text).quotes
    assert quote.speaker_name == "Boko Haram"
    assert quote.content[0].text.startswith("its fighters were still holding the town")


def test_wire_he_said_goes_to_the_official_named_last():
    text = (
        "The governor, Kashim Shettima, said the roads were safe.\n\n"
        "An army spokesman, Sani Usman, disputed that on Monday. \u201cThe roads are not open yet,\u201d he said."
    )
    quotes = extract_quotes(text).quotes
    assert quotes[-1].speaker_name == "Sani Usman"


def test_wire_another_official_is_not_the_news_agency():
    text = (
        "Nigeria\u2019s official news agency said the insurgents had been driven out.\n\n"
        "Another official confirmed the attack but gave no figures."
    )
    a = extract_quotes(text)
    speakers = [q.speaker_name for q in a.quotes]
    assert len(a.quotes) == 2 and len(set(speakers)) == 2
