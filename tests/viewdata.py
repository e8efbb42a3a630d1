"""Hand-built analyses for the view tests: pledges, reports and findings with real offsets, no model.

The findings are written the way the judge writes them (its explanation restates both spans,
shortened mid-word at 70 characters), so the views are tested on what they will be given,
whichever findings a model would produce.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from quotecheck.models import Analysis, Entity, Evidence, Finding, Quote, Span, Statement

PLEDGE = (
    "Acme Corp said on Monday that it would close the Leeds plant and the two warehouses beside it "
    "in March, cutting 400 jobs across the north of England over the coming year."
)
REPORT = (
    "Acme Corp closed the Leeds plant and the two warehouses beside it in October, months after the "
    "date it had announced to its staff, its suppliers and the city council."
)
QUIET = "The council met on Tuesday. Members discussed the weather, the roads and the library opening hours."


def doc_id_of(text: str) -> str:
    return "d" + hashlib.sha1(text.encode()).hexdigest()[:10]


def span(text: str, part: str, after: int = 0) -> Span:
    start = text.index(part, after)
    return Span.of(text, start, start + len(part))


def judge_short(text: str, limit: int = 70) -> str:
    """How the judge shortens a span in its explanation: mid-word, as the issue found it."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def statement(
    text: str, doc_id: str, n: int, kind: str, part: str, *, actor: str = "Acme Corp", predicate: str = "close",
    date: str | None = None, times: Sequence[str] = (), quote: str | None = None, after: int = 0,
    factuality: str | None = None,
) -> Statement:
    s = span(text, part, after)
    return Statement(
        id=f"{doc_id}:s{n}", doc_id=doc_id, kind=kind, actor_name=actor, predicate=predicate, span=s, date=date,
        factuality=factuality or ("intended" if kind == "intention" else "realised"),
        times=tuple(span(text, t, s.start) for t in times), quote=quote,
    )


def finding(
    fid: str, plan: Statement, outcome: Statement, *, verdict: str = "mismatch", type_: str | None = "timing",
    score: float = 0.8, reason: str = "due in March, done in October",
) -> Finding:
    explanation = (
        f"{plan.actor_name}: planned “{judge_short(plan.span.text)}” — reported “{judge_short(outcome.span.text)}”: "
        f"{type_ or verdict}, {reason}."
    )
    return Finding(
        id=fid, actor_name=plan.actor_name, intention=plan.id, action=outcome.id, verdict=verdict, type=type_,
        score=score, similarity=0.7, explanation=explanation, link="actor",
        evidence=(
            Evidence(doc_id=plan.doc_id, role="intention", span=plan.span),
            Evidence(doc_id=outcome.doc_id, role="action", span=outcome.span),
        ),
    )


def pledge_document(
    *, verdict: str = "mismatch", type_: str | None = "timing", date: str | None = None, source: str | None = None,
    extra: str = "",
) -> Analysis:
    """A text with a pledge, the report that answers it and the finding that pairs them."""
    text = f"{PLEDGE} {REPORT}{extra}"
    doc_id = doc_id_of(text)
    plan = statement(text, doc_id, 1, "intention", "it would close the Leeds plant and the two warehouses beside it in March", date=date, times=("in March",))
    outcome = statement(text, doc_id, 2, "action", REPORT, date=date)
    f = finding(f"{doc_id}:f1", plan, outcome, verdict=verdict, type_=type_)
    return Analysis(doc_id=doc_id, text=text, date=date, source=source, statements=(plan, outcome), findings=(f,))


def quiet_document(n: int, *, source: str | None = None) -> Analysis:
    text = f"{QUIET} Item {n}."
    return Analysis(doc_id=doc_id_of(text), text=text, source=source)


def quoted_pledge(
    *, speaker: str = "Mayor Ana Ruiz", speaker_type: str = "person", subject: str = "The library", group: str | None = "speaker",
) -> Analysis:
    """A pledge quoted from a speaker: "“The library will reopen in June,” Mayor Ana Ruiz said."

    As the event stage does, the plan of a thing is grouped under its speaker (``group="speaker"``,
    the ``actor_group``); an agent's own plan or a pronoun subject is left ungrouped (``group=None``).
    """
    pledge = f"{subject} will reopen in June" if subject == "The library" else f"{subject} will reopen the library in June"
    text = f"“{pledge},” {speaker} said. The library reopened in September."
    doc_id = doc_id_of(text)
    entity = Entity(id="e1", name=speaker, type=speaker_type, mentions=(span(text, speaker),))
    q = Quote(
        id="q1", kind="direct", content=(span(text, f"“{pledge},”"),), cue=span(text, "said"),
        source=span(text, speaker), speaker="e1", speaker_name=speaker,
    )
    plan = statement(text, doc_id, 1, "intention", pledge, actor=subject, predicate="reopen", quote="q1", times=("in June",))
    plan = plan.model_copy(update={"actor_group": speaker if group == "speaker" else group})
    outcome = statement(text, doc_id, 2, "action", "The library reopened in September", actor="The library", predicate="reopen")
    f = finding(f"{doc_id}:f1", plan, outcome, reason="due in June, done in September")
    return Analysis(doc_id=doc_id, text=text, entities=(entity,), quotes=(q,), statements=(plan, outcome), findings=(f,))


# -- dated pledges and reports for the promise tracker --------------------------------------------

PLAN = "Acme Corp said on Monday that it would close the Leeds plant in March."
NO_DUE = "Acme Corp said it would open a new store in York."
CLOSED = "Acme Corp closed the Leeds plant in March, as it had said."
LATE = "Acme Corp closed the Leeds plant in October."
UNRELATED = "The council met on Tuesday to discuss the roads."


def plan_doc(text: str = PLAN, date: str | None = "2024-01-05", source: str = "plan.txt", part: str | None = None, times=("in March",), **kw) -> Analysis:
    doc_id = doc_id_of(text + source)
    part = part or text[text.index("it would") :].rstrip(".")
    s = statement(text, doc_id, 1, "intention", part, date=date, times=[t for t in times if t in text], **kw)
    return Analysis(doc_id=doc_id, text=text, date=date, source=source, statements=(s,))


def report_doc(text: str, date: str | None, source: str) -> Analysis:
    doc_id = doc_id_of(text + source)
    s = statement(text, doc_id, 1, "action", text.rstrip("."), date=date)
    return Analysis(doc_id=doc_id, text=text, date=date, source=source, statements=(s,))


def answer(fid: str, plan: Analysis, report: Analysis, verdict: str, type_: str | None = None, score: float = 0.8):
    return finding(fid, plan.statements[0], report.statements[0], verdict=verdict, type_=type_, score=score)


def dated_corpus(*, dated: bool = True) -> tuple[list[Analysis], list[Finding]]:
    """Seven articles named as PolNeAR names them, and the cross-article findings between them:
    one promise of each status (as of the last date, 2024-11-02)."""

    def d(value: str) -> str | None:
        return value if dated else None

    acme = plan_doc(date=d("2024-01-05"), source="nyt_2024-01-05_acme-leeds.txt")
    late = report_doc(LATE, d("2024-11-02"), "wapo_2024-11-02_acme-closes.txt")
    york = plan_doc(NO_DUE, date=d("2024-01-20"), source="bbc_2024-01-20_acme-york.txt", times=())
    opened = report_doc("Acme Corp opened the new store in York.", d("2024-05-02"), "bbc_2024-05-02_acme-opens.txt")
    globex = plan_doc("Globex said it would open a depot in Hull by June.", date=d("2024-02-01"), source="bbc_2024-02-01_globex.txt",
                      times=("by June",), actor="Globex")
    initech = plan_doc("Initech said it would hire 200 engineers next year.", date=d("2024-03-01"), source="bbc_2024-03-01_initech.txt",
                       times=("next year",), actor="Initech")
    bridge = plan_doc("Umbrella said it would build a bridge in Leeds.", date=d("2024-04-01"), source="nyt_2024-04-01_umbrella.txt",
                      times=(), actor="Umbrella")
    scrapped = report_doc("Umbrella scrapped the bridge in Leeds.", d("2024-09-01"), "nyt_2024-09-01_umbrella-scraps.txt")
    scrapped = scrapped.model_copy(update={"statements": (scrapped.statements[0].model_copy(update={"actor_name": "Umbrella"}),)})
    cross = [
        answer("x1", acme, late, "mismatch", "timing"),
        answer("x2", york, opened, "consistent"),
        answer("x3", bridge, scrapped, "mismatch", "reversal"),
    ]
    return [acme, late, york, opened, globex, initech, bridge, scrapped], cross
