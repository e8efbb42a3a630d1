"""brat standoff: writing, reading back, and errors on malformed lines."""

from __future__ import annotations

import pytest

from quotecheck.config import Config
from quotecheck.errors import InputError
from quotecheck.io.brat import dumps, loads, parse
from quotecheck.models import Analysis, Quote, Span
from quotecheck.pipeline.quotes import extract
from quotecheck.pipeline.segment import segment

TEXT = (
    "“We will not back down,” Mayor Ilsa Brant said on Tuesday. “The bridge stays open.”\n"
    "The council said that the vote\nwould happen next week.\n"
)


def _analysis(text: str, quotes: tuple[Quote, ...]) -> Analysis:
    return Analysis(doc_id="d", text=text, quotes=quotes)


def _span(text: str, part: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return Span.of(text, start, start + len(part))


def _quotes() -> tuple[Quote, ...]:
    q1 = Quote(
        id="q1",
        kind="direct",
        content=(_span(TEXT, "“We will not back down,”"), _span(TEXT, "“The bridge stays open.”")),
        cue=_span(TEXT, "said"),
        source=_span(TEXT, "Mayor Ilsa Brant"),
    )
    q2 = Quote(
        id="q2",
        kind="indirect",
        content=(_span(TEXT, "that the vote\nwould happen next week"),),
        cue=_span(TEXT, "said", 1),
        source=_span(TEXT, "The council"),
    )
    return q1, q2


def test_brat_dumps_writes_textbounds_and_events():
    ann = dumps(_analysis(TEXT, _quotes()))
    lines = ann.splitlines()
    assert lines[0].startswith("T1\tSource ") and lines[0].endswith("\tMayor Ilsa Brant")
    assert lines[1].startswith("T2\tCue ")
    content = lines[2].split("\t")
    assert content[1].startswith("Content ") and ";" in content[1]
    assert content[2] == "“We will not back down,” “The bridge stays open.”"
    assert lines[3] == "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3"


def test_brat_dumps_flattens_newlines_but_keeps_offsets():
    ann = dumps(_analysis(TEXT, _quotes()))
    line = next(x for x in ann.splitlines() if "vote" in x)
    _, head, shown = line.split("\t")
    start, end = map(int, head.split()[1:])
    assert shown == "that the vote would happen next week"
    assert TEXT[start:end] == "that the vote\nwould happen next week"


def test_brat_dumps_uses_content_as_trigger_without_cue():
    q = Quote(id="q1", kind="direct", content=(_span(TEXT, "“The bridge stays open.”"),))
    ann = dumps(_analysis(TEXT, (q,)))
    assert ann.splitlines()[1] == "E1\tAttribution:T1 Content:T1"


def test_brat_round_trip_gives_the_same_quotes():
    quotes = _quotes()
    back = loads(dumps(_analysis(TEXT, quotes)), TEXT)
    assert [(q.id, q.content, q.cue, q.source) for q in back] == [(q.id, q.content, q.cue, q.source) for q in quotes]
    assert [q.kind for q in back] == ["direct", "indirect"]


def test_brat_round_trip_of_extracted_quotes():
    text = (
        "“Taxes will fall,” the minister said. She added that the budget would balance.\n"
        "According to the auditors, the numbers do not add up.\n"
    )
    quotes = extract(text, segment(text), Config())
    assert quotes
    back = loads(dumps(_analysis(text, quotes)), text)
    assert [(q.id, q.content, q.cue, q.source) for q in back] == [(q.id, q.content, q.cue, q.source) for q in quotes]


def test_brat_loads_reads_discontinuous_unsorted_content_and_content2():
    text = "Taxes, the mayor said, will fall soon."
    ann = (
        "T1\tSource 7 16\tthe mayor\nT2\tCue 17 21\tsaid\nT3\tContent 23 37;0 5\twill fall soon Taxes\n"
        "T4\tContent 0 0\t\nE1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n"
    )
    (quote,) = [q for q in loads(ann, text) if q.source]
    assert [s.text for s in quote.content] == ["Taxes", "will fall soon"]
    assert quote.source.text == "the mayor" and quote.cue.text == "said"


@pytest.mark.parametrize(
    "ann, reason",
    [
        ("T1\tSource 0 x\tWe\n", "not 'start end'"),
        ("T1\tSource 0 999\tWe\n", "outside the text"),
        ("T1\tSource 0 2\tThey\n", "differs"),
        ("T1\tSource\n", "no offsets"),
        ("T1\tCue 3 7\twill\nE1\tAttribution:T1 Cue:T9\n", "no annotation T9"),
        ("E1\tAttribution:T1 Cue\n", "not 'Role:T<n>'"),
        ("X1\tsomething\n", "unknown annotation"),
    ],
)
def test_brat_loads_malformed_line_raises_e051(ann, reason):
    with pytest.raises(InputError, match=r"\[E051\] x\.ann:\d+: malformed brat line") as info:
        loads(ann, "We will win.", path="x.ann")
    assert reason in str(info.value)


def test_brat_loads_names_the_line_number():
    ann = "T1\tSource 0 2\tWe\n\nT2\tCue 3 bad\twill\n"
    with pytest.raises(InputError, match=r"\[E051\] <ann>:3:"):
        loads(ann, "We will win.")


def test_brat_parse_lenient_records_issues_instead_of_raising():
    doc = parse("T1\tSource 0 x\tWe\nT2\tCue 3 7\twill\n", "We will win.", strict=False)
    assert list(doc.textbounds) == ["T2"] and len(doc.issues) == 1


@pytest.mark.parametrize(
    "text",
    [
        "'It does not matter, we are glad he is alive,' Zhang said.\n\nShe added: ‘Nobody will be left behind.’\n",
        "Ann Lee said: 'We will not close the plant.\n\n'Every job will be kept.'\n\nDr Ines Valdez:\n\"We agree.\" — Dr Ines Valdez\n",
    ],
)
def test_brat_round_trip_of_british_quotes_is_unchanged(text):
    from quotecheck import extract_quotes

    analysis = extract_quotes(text)
    assert analysis.quotes
    back = loads(dumps(analysis), text)
    assert [(q.id, q.content, q.cue, q.source, q.kind) for q in back] == [
        (q.id, q.content, q.cue, q.source, q.kind) for q in analysis.quotes
    ]
