"""Quotes stage: one test per attribution pattern and per failure mode, on invented sentences."""

from __future__ import annotations

import pytest

from quotecheck.config import Config
from quotecheck.pipeline.quotes import content_kind, extract, find_quote_regions
from quotecheck.pipeline.segment import segment


def _quotes(text: str):
    quotes = extract(text, segment(text), Config())
    for q in quotes:
        for span in (*q.content, q.cue, q.source):
            if span is not None:
                assert text[span.start : span.end] == span.text
    return quotes


def _one(text: str):
    quotes = _quotes(text)
    assert len(quotes) == 1, [(q.source, q.cue, q.content) for q in quotes]
    return quotes[0]


def _content(q) -> str:
    return " | ".join(s.text for s in q.content)


@pytest.mark.parametrize(
    "text, source, cue, content",
    [
        ("Mayor Ilsa Brant said the bridge would reopen in May.", "Mayor Ilsa Brant", "said",
         "the bridge would reopen in May"),
        ("The council said that the vote would happen next week.", "The council", "said",
         "that the vote would happen next week"),
        ("Brant has also said the budget is balanced.", "Brant", "has also said", "the budget is balanced"),
    ],
)
def test_quotes_subject_said_content(text, source, cue, content):
    q = _one(text)
    assert (q.source.text, q.cue.text, _content(q)) == (source, cue, content)
    assert q.kind == "indirect"


@pytest.mark.parametrize(
    "text, source",
    [
        ("“We will not back down,” Mayor Brant said on Tuesday.", "Mayor Brant"),
        ("“We will not back down,” said Mayor Brant.", "Mayor Brant"),
        ("\"We will not back down,\" she said.", "she"),
    ],
)
def test_quotes_direct_quote_then_cue(text, source):
    q = _one(text)
    assert q.source.text == source and q.cue.text == "said"
    assert "We will not back down" in _content(q) and q.kind == "direct"


def test_quotes_content_comma_source_said():
    q = _one("The ferry will run all winter, the harbour master said.")
    assert (q.source.text, _content(q)) == ("the harbour master", "The ferry will run all winter")


@pytest.mark.parametrize(
    "text, source, content",
    [
        ("According to the harbour office, the ferry will run all winter.", "the harbour office",
         "the ferry will run all winter"),
        ("The ferry will run all winter, according to the harbour office.", "the harbour office",
         "The ferry will run all winter"),
    ],
)
def test_quotes_according_to(text, source, content):
    q = _one(text)
    assert (q.source.text, q.cue.text.lower(), _content(q)) == (source, "according to", content)


def test_quotes_colon_after_cue():
    q = _one("The mayor said: “The bridge stays open until the storm passes.”")
    assert (q.source.text, q.cue.text) == ("The mayor", "said")
    assert _content(q) == "“The bridge stays open until the storm passes.”"


def test_quotes_speaker_label_colon():
    q = _one("BRANT: We will rebuild the bridge before the winter comes.")
    assert (q.source.text, q.cue.text) == ("BRANT", ":")
    assert _content(q) == "We will rebuild the bridge before the winter comes"


@pytest.mark.parametrize("label", ["Correction", "The Latest"])
def test_quotes_paragraph_labels_are_not_speakers(label):
    assert not _quotes(f"{label}: The bridge reopened on Monday after repairs to the deck.")


def test_quotes_dash_attribution():
    q = _one("“The river has never been this high in my lifetime.” ― Ada Fenwick, a farmer")
    assert (q.source.text, q.cue.text) == ("Ada Fenwick", "―")
    assert q.kind == "direct"


@pytest.mark.parametrize(
    "text, source",
    [
        ("Ada Fenwick, a farmer near the river, said the levee had held.", "Ada Fenwick, a farmer near the river,"),
        ("Sen. Ada Fenwick (D-Ore.) said the levee had held.", "Sen. Ada Fenwick (D-Ore.)"),
        ("Ada Fenwick, 59, of Marlow, Ore., said the levee had held.", "Ada Fenwick, 59, of Marlow, Ore.,"),
    ],
)
def test_quotes_source_keeps_appositive_and_parenthesis(text, source):
    q = _one(text)
    assert q.source.text == source and _content(q) == "the levee had held"


@pytest.mark.parametrize(
    "text, source",
    [
        ("“The levee held,” said Ada Fenwick, a farmer near the river.", "Ada Fenwick, a farmer near the river"),
        ("“The levee held,” said Sen. Ada Fenwick (D-Ore.), head of the panel.",
         "Sen. Ada Fenwick (D-Ore.), head of the panel"),
    ],
)
def test_quotes_inverted_source_keeps_appositive(text, source):
    assert _one(text).source.text == source


def test_quotes_adjunct_aside_is_not_part_of_the_source():
    q = _one("Fenwick, speaking to farmers in Marlow, said the levee had held.")
    assert q.source.text == "Fenwick"


@pytest.mark.parametrize(
    "text, cue",
    [
        ("He’s claiming that the levee held.", "’s claiming"),
        ("She strongly denied that the levee failed.", "strongly denied"),
        ("The family said the levee held.", "said"),
        ("Fenwick warned against rebuilding the levee.", "warned against"),
        ("Fenwick said in a statement that the levee held.", "said in a statement"),
        ("Fenwick said on Tuesday that the levee held.", "said"),
    ],
)
def test_quotes_cue_takes_auxiliaries_and_adverbs(text, cue):
    assert _one(text).cue.text == cue


@pytest.mark.parametrize("pronoun", ["He", "She", "They", "We"])
def test_quotes_pronoun_source(pronoun):
    q = _one(f"{pronoun} said the plan would cost less than the old one.")
    assert q.source.text == pronoun


def test_quotes_relative_pronoun_source():
    quotes = _quotes("The plan was drafted by Ada Fenwick, who said it would cost less than the old one.")
    assert any(q.source and q.source.text == "who" and _content(q) == "it would cost less than the old one"
               for q in quotes)


def test_quotes_split_quote_is_one_attribution_with_two_pieces():
    q = _one("“The levee held,” Fenwick said, “but the road did not.”")
    assert [s.text for s in q.content] == ["“The levee held,”", "“but the road did not.”"]
    assert q.kind == "direct"


def test_quotes_following_quote_sentence_joins_the_speaker():
    text = "“The levee held,” Fenwick said. “The road did not, and we need help.”"
    q = _one(text)
    assert len(q.content) == 2 and q.content[1].text == "“The road did not, and we need help.”"


def test_quotes_quote_only_paragraph_is_kept_without_cue():
    text = "Fenwick spoke for an hour about the flood.\n“We lost the whole harvest in one night, every field of it.”\n"
    quotes = _quotes(text)
    assert any(q.cue is None and q.kind == "direct" and "whole harvest" in _content(q) for q in quotes)


def test_quotes_multi_paragraph_quote_reopens_on_each_paragraph():
    text = (
        "Fenwick said: “We lost the whole harvest in one night.\n"
        "“Nobody came to help us for three days, and the road was under water.”\n"
        "The council has not replied.\n"
    )
    q = next(q for q in _quotes(text) if q.source and q.source.text == "Fenwick")
    joined = _content(q)
    assert "whole harvest" in joined and "three days" in joined
    assert "council" not in joined


@pytest.mark.parametrize(
    "text",
    [
        "The so-called “tax holiday” ended in March after the vote.",
        "She starred in “The Long Night” before moving to Ohio.",
        "Mark “The Hammer” Fenwick won the race again this year.",
    ],
)
def test_quotes_scare_quotes_titles_and_nicknames_are_not_attributions(text):
    assert not _quotes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Fenwick said “the levee held. And the rest of the article goes on without a closing mark.\n"
        "Second paragraph with no marks at all.\nThird paragraph, still none.\n",
        "He said \"maybe” and then ” left “ again \" and ' odd ’ marks.\n“Open only\n”Close only\n",
        "“" * 50 + "\n" + "”" * 50,
        "",
    ],
)
def test_quotes_unbalanced_or_mixed_marks_never_crash_or_swallow(text):
    quotes = _quotes(text)
    regions = find_quote_regions(text, segment(text), Config())
    for r in regions:
        for s, e in r.pieces:
            assert "\n" not in text[s:e]  # a piece never runs past its paragraph
    for q in quotes:
        assert "Third paragraph" not in _content(q)


def test_quotes_doubled_single_marks_read_as_double_quotes():
    q = _one("''We will rebuild the bridge,'' Mr. Fenwick said.")
    assert q.source.text == "Mr. Fenwick" and q.content[0].text == "''We will rebuild the bridge,''"
    assert q.kind == "direct"


@pytest.mark.parametrize(
    "text, cue, content",
    [
        ("Fenwick argued that the levee was too low.", "argued", "that the levee was too low"),
        ("Fenwick insisted that the levee was too low.", "insisted", "that the levee was too low"),
        ("Fenwick warned that the levee was too low.", "warned", "that the levee was too low"),
        ("Fenwick denied that the levee was too low.", "denied", "that the levee was too low"),
        ("Fenwick acknowledged that the levee was too low.", "acknowledged", "that the levee was too low"),
        ("Fenwick believes the levee is too low.", "believes", "the levee is too low"),
        ("Fenwick thinks the levee is too low.", "thinks", "the levee is too low"),
        ("The agency reported that the levee was too low.", "reported", "that the levee was too low"),
        ("Engineers confirmed that the levee was too low.", "confirmed", "that the levee was too low"),
        ("Engineers estimate that repairs will cost $4 million.", "estimate", "that repairs will cost $4 million"),
        ("Polls show the mayor ahead by six points.", "show", "the mayor ahead by six points"),
        ("Fenwick learned that the levee was too low.", "learned", "that the levee was too low"),
        ("Fenwick vowed to rebuild the levee.", "vowed", "to rebuild the levee"),
        ("Fenwick pledged to rebuild the levee.", "pledged", "to rebuild the levee"),
        ("Fenwick promised to rebuild the levee.", "promised", "to rebuild the levee"),
        ("Fenwick plans to rebuild the levee.", "plans", "to rebuild the levee"),
    ],
)
def test_quotes_cues_beyond_say(text, cue, content):
    q = _one(text)
    assert (q.cue.text, _content(q)) == (cue, content)


@pytest.mark.parametrize(
    "text",
    [
        "In a statement, the council said the bridge would reopen in May.",
        "The council said in a statement that the bridge would reopen in May.",
        "The council said the bridge would reopen in May, in an interview with the local paper.",
    ],
)
def test_quotes_nominal_cue_is_not_content(text):
    q = _one(text)
    assert q.source.text.lower() == "the council" and "statement" not in _content(q) and "interview" not in _content(q)
    assert "the bridge would reopen in May" in _content(q)


def test_quotes_told_skips_the_addressee():
    q = _one("Fenwick told reporters on Monday he would rebuild the levee.")
    assert (q.cue.text, _content(q)) == ("told", "he would rebuild the levee")


def test_quotes_participle_cue_shares_the_subject():
    quotes = _quotes("Fenwick criticized the council, saying the levee was too low.")
    saying = next(q for q in quotes if q.cue.text == "saying")
    assert saying.source.text == "Fenwick" and _content(saying) == "the levee was too low"


def test_quotes_coordinated_cues_split_the_content():
    quotes = _quotes("Fenwick called the plan “reckless” and called for a new vote.")
    assert [(q.cue.text, _content(q)) for q in quotes] == [
        ("called", "the plan “reckless”"),
        ("called for", "a new vote"),
    ]


def test_quotes_parenthetical_cue_takes_both_sides():
    q = _one("The levee, Fenwick said, was never built to last.")
    assert [s.text for s in q.content] == ["The levee", "was never built to last"]


@pytest.mark.parametrize(
    "text",
    [
        "The report was published on Monday.",
        "Health worries have dogged the candidate for weeks.",
        "Their plans could change after the vote.",
    ],
)
def test_quotes_cue_words_used_as_nouns_are_not_attributions(text):
    assert not _quotes(text)


def test_quotes_quote_before_cut_sentence_is_attributed():
    q = _one("“Why would anyone build there?” Fenwick said.")
    assert q.source.text == "Fenwick" and q.kind == "direct"


def test_quotes_full_stop_quote_does_not_lend_itself_to_next_sentence():
    quotes = _quotes("Fenwick called the plan “a disgrace to the town.” She says the council must resign.")
    says = next(q for q in quotes if q.cue.text == "says")
    assert _content(says) == "the council must resign"


@pytest.mark.parametrize(
    "content, kind",
    [("“We won.”", "direct"), ("that “we won” the vote", "mixed"), ("that we won", "indirect"),
     ("''We won,''", "direct")],
)
def test_quotes_content_kind(content, kind):
    text = f"He said {content}"
    spans = tuple(s for q in _quotes(text) for s in q.content)
    assert content_kind(text, spans) == kind


def test_quotes_ids_are_in_offset_order_and_runs_are_deterministic():
    text = "“It held,” Fenwick said. The council said the road would reopen. According to police, nobody was hurt."
    first, second = _quotes(text), _quotes(text)
    assert first == second
    assert [q.id for q in first] == [f"q{n}" for n in range(1, len(first) + 1)]
    assert [q.content[0].start for q in first] == sorted(q.content[0].start for q in first)


try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a dev dependency
    given = None

if given is not None:
    _PIECES = st.sampled_from(
        ["“", "”", '"', "''", "‘", "’", "«", "»", "—", "-", "\n", " ", ",", ".", ":", "said ", "He ", "Mr. Smith ",
         "according to ", "the council ", "that ", "told reporters ", "(R-Ga.) ", "saying ", "“We won,” ", "a", "B"]
    )

    @settings(derandomize=True, deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(_PIECES, max_size=60).map("".join))
    def test_quotes_never_raise_and_every_span_slices(text):
        _quotes(text)  # _quotes checks text[s.start:s.end] == s.text for every span


def test_quotes_possessive_nominal_cue_with_a_definite_possessor():
    quotes = _quotes("Critics seized on the mayor’s claim that the levee was safe.")
    claim = next(q for q in quotes if q.cue.text == "claim")
    assert (claim.source.text, _content(claim)) == ("the mayor’s", "that the levee was safe")


@pytest.mark.parametrize(
    "text, source, content",
    [
        ("Turnout is expected to rise this year.", None, ["Turnout", "to rise this year"]),
        ("The plan has been endorsed by the unions.", "the unions", ["The plan"]),
    ],
)
def test_quotes_passive_cue(text, source, content):
    q = _one(text)
    assert (q.source.text if q.source else None) == source and [s.text for s in q.content] == content


@pytest.mark.parametrize(
    "text, source",
    [
        ("Ada Fenwick -- a farmer who lost her harvest -- said the levee had held.",
         "Ada Fenwick -- a farmer who lost her harvest --"),
        ("Federal and state officials said the levee had held.", "Federal and state officials"),
        ("The former mayor and current council leader said the levee had held.",
         "The former mayor and current council leader"),
    ],
)
def test_quotes_source_with_dash_appositive_or_coordination(text, source):
    assert _one(text).source.text == source


def test_quotes_quote_hanging_off_a_phrase_is_not_content():
    q = _one("On this week’s episode of “The Morning Show,” the mayor said the levee had held.")
    assert _content(q) == "the levee had held"


# --- broader cues, nominal cues and robustness (invented sentences) ---------------------------


def test_quotes_paragraph_opened_with_closing_mark_is_a_quote():
    q = _one("”The river is rising fast and nobody is listening to us.” ― Ada Fenwick")
    assert (q.source.text, q.cue.text) == ("Ada Fenwick", "―")
    assert _content(q) == "”The river is rising fast and nobody is listening to us.”"


def test_quotes_dash_attribution_allows_trailing_space():
    q = _one("“The river is rising fast and nobody is listening to us.” ― Ada Fenwick\u00a0")
    assert q.source.text == "Ada Fenwick"


def test_quotes_inverted_source_keeps_long_appositive():
    q = _one("“The levee held,” said Tom Reyes, founder and CEO of Marsh Works.")
    assert q.source.text == "Tom Reyes, founder and CEO of Marsh Works"


@pytest.mark.parametrize(
    "text, cue, content",
    [
        ("Mayor Brant spoke about the flood defences.", "spoke about", "the flood defences"),
        ("Brant echoed the warning about the levee.", "echoed", "the warning about the levee"),
        ("Brant pointed out that the levee had held.", "pointed out", "that the levee had held"),
        ("Brant pointed to the repairs as proof.", "pointed to", "the repairs as proof"),
        ("Former council chairman calls for a new bridge.", "calls for", "a new bridge"),
    ],
)
def test_quotes_broader_cues_and_particles(text, cue, content):
    q = _one(text)
    assert (q.cue.text, _content(q)) == (cue, content)


def test_quotes_topic_cue_needs_a_particle():
    assert not _quotes("Mayor Brant spoke for ten minutes.")


def test_quotes_possessive_nominal_cue():
    q = _one("The vote followed Brant's assertion that the levee was safe.")
    assert (q.source.text, q.cue.text, _content(q)) == ("Brant's", "assertion", "that the levee was safe")


def test_quotes_possessive_object_stays_in_the_content():
    q = _one("The mayor criticised Brant's assertion that the levee was safe.")
    assert (q.source.text, q.cue.text, _content(q)) == ("The mayor", "criticised", "Brant's assertion that the levee was safe")


@pytest.mark.parametrize(
    "text, cue",
    [("There are growing fears that the levee will fail.", "fears"),
     ("Officials voiced the belief that the levee will fail.", "belief")],
)
def test_quotes_bare_nominal_cue_has_no_source(text, cue):
    q = next(q for q in _quotes(text) if q.cue.text == cue)
    assert q.source is None and _content(q) == "that the levee will fail"


@pytest.mark.parametrize(
    "text", ["Her refusal to resign angered the council.", "The fear that the levee will fail drove them out."]
)
def test_quotes_nominal_cue_in_subject_position_is_skipped(text):
    assert not [q for q in _quotes(text) if q.cue.text in ("refusal", "fear")]


@pytest.mark.parametrize(
    "text, source, content",
    [
        ("The council approved the budget, which the mayor said was balanced.", "the mayor", "which | was balanced"),
        ("Builders put up flats, amounting to what critics said was a land grab.", "critics", "what | was a land grab"),
    ],
)
def test_quotes_relative_clause_attribution(text, source, content):
    q = next(q for q in _quotes(text) if q.cue.text == "said")
    assert (q.source.text, _content(q)) == (source, content)


@pytest.mark.parametrize(
    "text, content",
    [
        ("Brant ended the meeting by saying that the levee would hold.", "that the levee would hold"),
        ("After saying the levee would hold, Brant left the hall.", "the levee would hold"),
        ("Brant unleashed a series of posts saying the levee would fail.", "the levee would fail"),
        ("Brant sent a letter to the council saying the levee would fail.", "the levee would fail"),
    ],
)
def test_quotes_gerund_takes_the_main_clause_subject(text, content):
    q = _one(text)
    assert (q.source.text, q.cue.text, _content(q)) == ("Brant", "saying", content)


def test_quotes_coordinated_cue_skips_capitalised_name_words():
    quotes = _quotes("Ada Fenwick, the Secretary of State, praised the plan and said the levee would hold.")
    said = next(q for q in quotes if q.cue.text == "said")
    assert said.source.text == "Ada Fenwick, the Secretary of State," and _content(said) == "the levee would hold"


def test_quotes_headline_with_quoted_title_word():
    q = _one("Brant Says Bridge Will Reopen 'Within Weeks'\n\nThe bridge closed in May.")
    assert (q.source.text, q.cue.text, _content(q)) == ("Brant", "Says", "Bridge Will Reopen 'Within Weeks'")


@pytest.mark.parametrize(
    "text, source",
    [
        ("A reporter for the Marlow Gazette spotted the mayor and reported her presence on the radio.",
         "A reporter for the Marlow Gazette"),
        ("Other leaders used blunt language, warning that the levee would fail.", "Other leaders"),
        ("Democratic nominee Ada Fenwick chimed in on the radio, saying that the levee would fail.",
         "Democratic nominee Ada Fenwick"),
    ],
)
def test_quotes_clause_subject_extends_over_its_nouns(text, source):
    assert _one(text).source.text == source


@pytest.mark.parametrize("text", ["Washington Post Profile Tells The Story Of A Mayor\n\nBody.",
                                  "Marlow State Plan Faces Test In Court\n\nBody."])
def test_quotes_headline_nouns_are_not_cues(text):
    assert not [q for q in _quotes(text) if q.cue is not None and q.cue.text in ("Post", "State", "Plan")]


def test_quotes_unclosed_straight_mark_does_not_swallow_the_next_curly_quote():
    quotes = _quotes('"The hall went quiet.\n\n“Here he comes, folks,” she said. “Right on time, as always.”')
    said = next(q for q in quotes if q.cue is not None)
    assert _content(said) == "“Here he comes, folks,” | “Right on time, as always.”"


def test_quotes_content_before_told_and_addressee():
    q = _one("The levee could hold another week, Mayor Ilsa Brant told The Marlow Gazette on Thursday.")
    assert (q.source.text, q.cue.text, _content(q)) == ("Mayor Ilsa Brant", "told", "The levee could hold another week")


# -- the patterns are data (issue 10) -----------------------------------------------------------
import re as _re  # noqa: E402
from pathlib import Path as _Path  # noqa: E402

from quotecheck.pipeline.quotes.patterns import P, W, load_patterns, load_words  # noqa: E402


def test_quotes_patterns_load_flags_and_calendar_words():
    got = load_patterns("# comment\nDAY\tI\ton {weekdays}\nPLAIN\t-\ta+b\n")
    assert got["DAY"].flags & _re.I and got["DAY"].fullmatch("on Monday")
    assert got["PLAIN"].fullmatch("aab") and not got["PLAIN"].flags & _re.I


def test_quotes_word_sets_read_words_and_whole_line_entries():
    got = load_words("A:\nx y\nz\nB::\neditor’s note\nread more\n")
    assert got == {"A": frozenset({"x", "y", "z"}), "B": frozenset({"editor’s note", "read more"})}


def test_quotes_every_pattern_and_word_set_is_used():
    package = _Path(__file__).resolve().parents[2] / "quotecheck" / "pipeline" / "quotes"
    source = "".join(p.read_text(encoding="utf-8") for p in package.glob("*.py"))
    unused = [f"P.{n}" for n in vars(P) if not _re.search(rf"\bP\.{n}\b", source)]
    unused += [f"W.{n}" for n in vars(W) if not _re.search(rf"\bW\.{n}\b", source)]
    assert not unused


# --- every quoting style (issue 17): British single quotes, reopened paragraphs, colons, lines before ----


@pytest.mark.parametrize(
    "text, source, content",
    [
        ("'It does not matter that he lost his job, we are glad he is alive,' Zhang said.", "Zhang",
         "'It does not matter that he lost his job, we are glad he is alive,'"),
        ("‘We will rebuild the bridge by May,’ the mayor said.", "the mayor", "‘We will rebuild the bridge by May,’"),
        ("Mr Smith said: 'The plan is dead.'", "Mr Smith", "'The plan is dead.'"),
    ],
)
def test_quotes_british_single_quotes_are_direct_quotes(text, source, content):
    q = _one(text)
    assert (q.source.text, _content(q), q.kind) == (source, content, "direct")


@pytest.mark.parametrize(
    "text",
    [
        "The '90s were good for the town, Ann Lee said.",
        "Rock 'n' roll is the Smiths' sound, Ann Lee said.",
        "Ann Lee said the council’s plan, which didn’t pass, was the mayors' idea.",
    ],
)
def test_quotes_apostrophes_are_not_quote_marks(text):
    assert find_quote_regions(text, segment(text), Config()) == []
    assert all(q.kind == "indirect" for q in _quotes(text))


def test_quotes_british_quote_keeps_double_marks_inside_it():
    text = "'We will go \"home\" soon,' he said."
    regions = find_quote_regions(text, segment(text), Config())
    assert [[text[a:b] for a, b in r.pieces] for r in regions] == [[text[:-9]]]


def test_quotes_single_marks_inside_a_double_quote_are_not_a_quote():
    text = 'He said "she told me \'no\' twice" on Monday.'
    regions = find_quote_regions(text, segment(text), Config())
    assert [text[r.start : r.end] for r in regions] == ['"she told me \'no\' twice"']


@pytest.mark.parametrize("open_, close", [("‘", "’"), ("'", "'"), ("“", "”")])
def test_quotes_multi_paragraph_quote_reopens_on_each_paragraph(open_, close):
    text = f"Ann Lee said: {open_}We will not close the plant.\n\n{open_}Every job will be kept.{close}\n\nThe union welcomed it."
    regions = find_quote_regions(text, segment(text), Config())
    assert len(regions) == 1 and len(regions[0].pieces) == 2
    q = _quotes(text)[0]
    assert q.source.text == "Ann Lee" and "Every job will be kept" in _content(q) and q.kind == "direct"


@pytest.mark.parametrize("quote", ['"We will finish the road before the winter."', "'We will finish the road before the winter.'"])
def test_quotes_she_said_colon_then_the_quote(quote):
    q = _one(f"She said: {quote}")
    assert (q.source.text, q.cue.text, _content(q), q.kind) == ("She", "said", quote, "direct")


def test_quotes_she_said_colon_then_the_quote_in_the_next_paragraph():
    text = 'The minister spoke after the vote. She said:\n\n"We will finish the road before the winter."'
    q = next(q for q in _quotes(text) if "finish the road" in _content(q))
    assert (q.source.text, q.kind) == ("She", "direct")


@pytest.mark.parametrize(
    "label, source, cue",
    [("Dr Ines Valdez, head of the health service:", "Dr Ines Valdez, head of the health service", ":"),
     ("Dr Ines Valdez, Sanforth health service", "Dr Ines Valdez, Sanforth health service", None)],
)
def test_quotes_speaker_on_the_line_before(label, source, cue):
    q = _one(f'{label}\n"We will vaccinate 20,000 children in March."')
    assert (q.source.text, q.cue.text if q.cue else None, q.kind) == (source, cue, "direct")


def test_quotes_a_sentence_on_the_line_before_is_no_speaker_label():
    assert not _quotes('The clinic opened on Monday.\n"We will vaccinate 20,000 children in March."')[0].source


@pytest.mark.parametrize("quote", ['"We will vaccinate every child in March."', "'We will vaccinate every child in March.'",
                                   "‘We will vaccinate every child in March.’"])
def test_quotes_trailing_dash_name(quote):
    q = _one(f"{quote} — Dr Ines Valdez")
    assert (q.source.text, q.cue.text, _content(q)) == ("Dr Ines Valdez", "—", quote)


@pytest.mark.parametrize(
    "content, kind",
    [("'We will win,'", "direct"), ("‘We will win’", "direct"), ("the team said 'we will win' again", "mixed"),
     ("the Smiths' record sold well", "indirect")],
)
def test_quotes_content_kind_reads_single_marks(content, kind):
    from quotecheck.models import Span

    assert content_kind(content, (Span.of(content, 0, len(content)),)) == kind


def test_quotes_marks_are_read_once_per_text(monkeypatch):
    from quotecheck.pipeline.attribution import extract as learned
    from quotecheck.pipeline.attribution.model import load_model
    from quotecheck.pipeline.quotes import marks

    calls = []
    real = marks.mark_quotes
    monkeypatch.setattr(marks, "mark_quotes", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setattr(learned.rules, "mark_quotes", marks.mark_quotes)
    text = "'We will rebuild,' the mayor said. \"It will take a year,\" she added."
    learned.extract_text(text, segment(text), load_model(None), Config())
    assert len(calls) == 1
