"""A self-contained HTML report of analyses and comparisons (``--format html``).

One file, no network and no external assets: the styles are inline, there is no script, and a
Content-Security-Policy forbids loading anything. The page opens with a findings summary: counts
by verdict and type, each listing links to its findings, which link to their evidence in the
text. Every document names its source (the file it was read from) and its id. The text is shown
whole, with quote contents, speakers (sources), cues, intentions, actions and evidence
highlighted. A comparison shows the two texts side by side. Findings are listed in the order
they are given; a verdict other than mismatch (``unverified``, ``consistent``) is shown and
counted as itself, never as a mismatch.

The text is cut at every span boundary into segments; each segment carries the classes of all
spans that cover it, so overlapping spans need no nesting. Concatenating the text of the
segments gives back ``Analysis.text`` exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape

from quotecheck.io.cut import cut_words, recut_quotes
from quotecheck.io.records import holder
from quotecheck.io.summary import findings_summary, plural, verdict_counts
from quotecheck.models import Analysis, Comparison, Finding, Statement

__all__ = ["render_analyses", "render_comparison"]

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

_CSS = """
:root { --ink:#1d232b; --muted:#5b6672; --line:#d9dee4; --bg:#fbfbfa; --quote:#fff1a8; --source:#cfe6ff;
        --int:#2563b0; --act:#c2410c; --ev:#d1252b; --ok:#1e7b3a; --unv:#8a5a00; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: var(--bg); }
header.report { margin-bottom: 1rem; }
h1 { font-size: 1.35rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 1.2rem 0 .5rem; }
h3 { font-size: 1rem; margin: .8rem 0 .4rem; }
.summary { color: var(--muted); margin: 0; }
.legend { display: flex; flex-wrap: wrap; gap: .4rem .9rem; margin: .6rem 0 0; padding: 0; list-style: none; font-size: .85rem; }
.legend li { white-space: nowrap; }
section.doc { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; margin: 0 0 1rem; min-width: 0; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; align-items: start; }
@media (max-width: 800px) { .pair { grid-template-columns: minmax(0, 1fr); } }
.text { white-space: pre-wrap; overflow-wrap: anywhere; font-family: Georgia, "Times New Roman", serif; font-size: 1rem; }
.seg { border-radius: 2px; }
.qc { background: var(--quote); }
.src { background: var(--source); font-weight: 600; }
.cue { text-decoration: underline dotted; font-style: italic; }
.int { box-shadow: inset 0 -3px 0 var(--int); }
.act { box-shadow: inset 0 -3px 0 var(--act); }
.int.act { box-shadow: inset 0 -3px 0 var(--int), inset 0 -6px 0 var(--act); }
.ev { outline: 2px solid var(--ev); outline-offset: 0; }
.anchor { scroll-margin-top: 3rem; }
.anchor:target + .seg { outline: 3px solid #7c3aed; outline-offset: 1px; }
.key { display: inline-block; padding: 0 .35rem; border-radius: 2px; }
table.quotes { border-collapse: collapse; width: 100%; font-size: .85rem; margin-top: .6rem; }
table.quotes th, table.quotes td { text-align: left; border-top: 1px solid var(--line); padding: .2rem .4rem; vertical-align: top; }
table.quotes td.content { overflow-wrap: anywhere; }
section.findings { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .8rem 1rem; }
ol.findings { margin: 0; padding-left: 1.4rem; }
li.finding { margin: 0 0 .9rem; }
.verdict { font-weight: 700; letter-spacing: .02em; }
li.mismatch .verdict { color: var(--ev); }
li.consistent .verdict { color: var(--ok); }
li.unverified .verdict { color: var(--unv); }
nav.overview { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .6rem 1rem; margin: .8rem 0 1rem; }
nav.overview h2 { margin: 0 0 .3rem; }
table.overview { border-collapse: collapse; font-size: .9rem; }
table.overview th, table.overview td { text-align: left; padding: .15rem .6rem .15rem 0; vertical-align: top; }
tr.mismatch .verdict { color: var(--ev); }
tr.consistent .verdict { color: var(--ok); }
tr.unverified .verdict { color: var(--unv); }
.source { color: var(--muted); font-size: .85rem; margin: 0; overflow-wrap: anywhere; }
.score, .actor { color: var(--muted); }
.explanation { margin: .15rem 0 .25rem; }
ul.evidence { margin: 0; padding-left: 1.1rem; font-size: .9rem; }
.none { color: var(--muted); font-style: italic; }
"""


def _anchor(prefix: str, raw: str) -> str:
    return f"{prefix}-" + re.sub(r"[^A-Za-z0-9_-]", "-", raw)


def _cut(text: str, width: int = 90) -> str:
    """At most ``width`` characters, cut after a whole word ("…"): the text shows the span whole."""
    return cut_words(text, width)


def _doc_text(analysis: Analysis, prefix: str, evidence: Sequence[tuple[str, int, int, str]]) -> str:
    """The text of ``analysis`` as highlighted segments with an anchor at the start of every span.

    ``evidence`` holds (anchor id, start, end, label) of finding evidence pointing into this text.
    """
    text = analysis.text
    layers: list[tuple[int, int, str, str]] = []  # start, end, css class, title
    anchors: dict[int, list[str]] = {}

    def add(start: int, end: int, cls: str, title: str, anchor: str | None = None) -> None:
        if end > start:
            layers.append((start, end, cls, title))
        if anchor is not None:
            anchors.setdefault(start, []).append(anchor)

    for q in analysis.quotes:
        who = q.speaker_name or "unknown speaker"
        for i, c in enumerate(q.content):
            add(c.start, c.end, "qc", f"{q.id} {q.kind} quote of {who}", _anchor(prefix, q.id) if i == 0 else None)
        if q.source is not None:
            add(q.source.start, q.source.end, "src", f"{q.id} source: {who}")
        if q.cue is not None:
            add(q.cue.start, q.cue.end, "cue", f"{q.id} cue")
    for s in analysis.statements:
        cls = "int" if s.kind == "intention" else "act"
        add(s.span.start, s.span.end, cls, f"{s.id} {s.kind} of {s.actor_name}: {s.predicate}", _anchor(prefix, s.id))
    for anchor, start, end, label in evidence:
        add(start, end, "ev", label, anchor)

    cuts = {0, len(text)}
    for start, end, _, _ in layers:
        cuts.update((start, end))
    cuts.update(anchors)
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    out: list[str] = []
    for a, b in zip(points, points[1:]):
        for anchor in anchors.get(a, ()):
            out.append(f'<span class="anchor" id="{escape(anchor)}"></span>')
        covering = [(cls, title) for start, end, cls, title in layers if start <= a and b <= end]
        piece = escape(text[a:b], quote=False)
        if covering:
            classes = " ".join(sorted({cls for cls, _ in covering}))
            title = " · ".join(dict.fromkeys(t for _, t in covering))
            out.append(f'<span class="seg {classes}" title="{escape(title)}">{piece}</span>')
        else:
            out.append(piece)
    for anchor in anchors.get(len(text), ()):
        out.append(f'<span class="anchor" id="{escape(anchor)}"></span>')
    return f'<div class="text" data-doc="{escape(analysis.doc_id)}">{"".join(out)}</div>'


def _quotes_table(analysis: Analysis, prefix: str) -> str:
    if not analysis.quotes:
        return '<p class="none">No attributed quotes.</p>'
    rows = []
    for q in analysis.quotes:
        content = " … ".join(c.text for c in q.content)
        rows.append(
            "<tr>"
            f'<td><a href="#{_anchor(prefix, q.id)}">{escape(q.id)}</a></td>'
            f"<td>{escape(q.kind)}</td>"
            f'<td class="speaker">{escape(q.speaker_name or "?")}</td>'
            f"<td>{escape(q.cue.text if q.cue else '–')}</td>"
            f'<td class="content">{escape(content)}</td>'
            "</tr>"
        )
    head = "<tr><th>id</th><th>kind</th><th>speaker</th><th>cue</th><th>content</th></tr>"
    return f'<table class="quotes"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _evidence_of(findings: Iterable[Finding], prefixes: dict[str, str]) -> dict[str, list[tuple[str, int, int, str]]]:
    """Evidence spans per document id, with the anchor each finding links to."""
    out: dict[str, list[tuple[str, int, int, str]]] = {}
    for f in findings:
        for i, ev in enumerate(f.evidence):
            if ev.doc_id not in prefixes or ev.role in ("intention", "action"):
                continue
            anchor = _anchor(prefixes[ev.doc_id], f"{f.id}-ev{i}")
            out.setdefault(ev.doc_id, []).append((anchor, ev.span.start, ev.span.end, f"{f.id} evidence: {ev.role}"))
    return out


def _holder(f: Finding, statements: dict[str, tuple[str, Statement]], docs: dict[str, Analysis]) -> str:
    """Who holds the finding's commitment (the speaker of a quoted pledge), as the text view says."""
    if f.intention not in statements:
        return f.actor_name
    plan = statements[f.intention][1]
    return holder(plan, docs.get(plan.doc_id))


def _explanation(f: Finding, statements: dict[str, tuple[str, Statement]]) -> str:
    """The finding's explanation with the spans it quotes cut after a whole word."""
    spans = [statements[sid][1].span.text for sid in (f.intention, f.action) if sid in statements]
    return recut_quotes(f.explanation, spans)


def _findings_list(
    findings: Sequence[Finding], statements: dict[str, tuple[str, Statement]], prefixes: dict[str, str], *, prefix: str,
    docs: dict[str, Analysis],
) -> str:
    if not findings:
        return '<p class="none">No findings.</p>'
    items = []
    for f in findings:
        label = f.verdict.upper() + (f" ({f.type})" if f.type else "")
        links = []
        for role, sid in (("intention", f.intention), ("action", f.action)):
            if sid in statements:
                doc_prefix, s = statements[sid]
                links.append(
                    f'<li><a class="evlink" data-role="{role}" href="#{_anchor(doc_prefix, sid)}">{role}</a>: '
                    f"“{escape(_cut(s.span.text))}”</li>"
                )
        for i, ev in enumerate(f.evidence):
            if ev.doc_id in prefixes and ev.role not in ("intention", "action"):
                links.append(
                    f'<li><a class="evlink" data-role="{escape(ev.role)}" href="#{_anchor(prefixes[ev.doc_id], f"{f.id}-ev{i}")}">'
                    f"{escape(ev.role)}</a>: “{escape(_cut(ev.span.text))}”</li>"
                )
        items.append(
            f'<li class="finding {escape(f.verdict)}" id="{_anchor(prefix, "finding-" + f.id)}">'
            f'<span class="verdict">{escape(label)}</span> <span class="actor">{escape(_holder(f, statements, docs))}</span> '
            f'<span class="score">score {f.score:.2f}</span>'
            f'<p class="explanation">{escape(_explanation(f, statements))}</p>'
            f'<ul class="evidence">{"".join(links)}</ul></li>'
        )
    return f'<ol class="findings">{"".join(items)}</ol>'


def _legend() -> str:
    keys = [
        ("seg qc", "quote content"),
        ("seg src", "speaker (source)"),
        ("seg cue", "cue"),
        ("seg int", "intention"),
        ("seg act", "action"),
        ("seg ev", "evidence"),
    ]
    return '<ul class="legend">' + "".join(f'<li><span class="key {c}">{escape(t)}</span></li>' for c, t in keys) + "</ul>"


def _summary(analysis: Analysis, *, findings: bool = True) -> str:
    intentions = sum(s.kind == "intention" for s in analysis.statements)
    actions = len(analysis.statements) - intentions
    parts = [
        plural(len(analysis.quotes), "quote"),
        plural(len(analysis.entities), "speaker"),
        plural(intentions, "intention"),
        plural(actions, "action"),
    ]
    return " · ".join(parts + ([findings_summary(analysis.findings)] if findings else []))


def _source_line(analysis: Analysis) -> str:
    """Where the document came from, and its id, so every flag can be traced to its file."""
    parts = [f"source: {analysis.source}"] if analysis.source else []
    parts.append(f"id: {analysis.doc_id}")
    if analysis.date:
        parts.append(f"date: {analysis.date}")
    return f'<p class="source">{escape(" · ".join(parts))}</p>'


def _overview(findings: Sequence[tuple[str, str, Finding]]) -> str:
    """The findings summary the page opens with: one row per verdict and type, with the count
    and a link to every finding of that row (whose entry links to its evidence in the text).

    ``findings`` holds (anchor prefix of the finding's list, document name, finding).
    """
    if not findings:
        return '<nav class="overview"><h2>Findings</h2><p class="none">No findings.</p></nav>'
    show_names = len({name for _, name, _ in findings}) > 1
    rows = []
    for verdict, _, _ in verdict_counts([f for _, _, f in findings]):
        by_type: dict[str | None, list[tuple[str, str, Finding]]] = {}
        for entry in findings:
            if entry[2].verdict == verdict:
                by_type.setdefault(entry[2].type, []).append(entry)
        for kind, members in by_type.items():
            links = []
            for prefix, name, f in members:
                label = f"{name}: {f.id}" if show_names else f.id
                links.append(
                    f'<a class="findinglink" href="#{_anchor(prefix, "finding-" + f.id)}" title="{escape(f.explanation)}">{escape(label)}</a>'
                )
            rows.append(
                f'<tr class="{escape(verdict)}"><td class="verdict">{escape(verdict.upper())}</td>'
                f"<td>{escape(kind or '–')}</td><td class=\"count\">{len(members)}</td><td>{' '.join(links)}</td></tr>"
            )
    head = "<tr><th>verdict</th><th>type</th><th>count</th><th>findings</th></tr>"
    summary = escape(findings_summary([f for _, _, f in findings]))
    return (
        f'<nav class="overview"><h2>Findings</h2><p class="summary">{summary}</p>'
        f'<table class="overview"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></nav>'
    )


def page(title: str, css: str, header: str, body: str) -> str:
    """A self-contained page: inline styles only, and a Content-Security-Policy that forbids loading
    anything (the report and the promise timeline both are one)."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="quotecheck">'
        f"<title>{escape(title)}</title><style>{css}</style></head>\n"
        f"<body>{header}\n{body}\n</body></html>\n"
    )


def _page(title: str, summary: str, body: str, overview: str = "") -> str:
    header = f'<header class="report"><h1>{escape(title)}</h1><p class="summary">{escape(summary)}</p>{overview}{_legend()}</header>'
    return page(title, _CSS, header, body)


def render_analyses(named: Sequence[tuple[str, Analysis]], *, title: str | None = None) -> str:
    """One HTML page for one or more analysed texts (each with its quotes, statements and findings)."""
    sections = []
    listed: list[tuple[str, str, Finding]] = []
    for i, (name, analysis) in enumerate(named, 1):
        prefix = f"d{i}"
        label = name or analysis.doc_id
        prefixes = {analysis.doc_id: prefix}
        statements = {s.id: (prefix, s) for s in analysis.statements}
        evidence = _evidence_of(analysis.findings, prefixes).get(analysis.doc_id, [])
        listed += [(prefix, label, f) for f in analysis.findings]
        sections.append(
            f'<section class="doc" id="{prefix}" data-name="{escape(name)}" data-doc-id="{escape(analysis.doc_id)}"'
            f' data-source="{escape(analysis.source or "")}">'
            f"<h2>{escape(label)}</h2>{_source_line(analysis)}"
            f'<p class="summary">{escape(_summary(analysis))}</p>'
            f"{_doc_text(analysis, prefix, evidence)}"
            f"<h3>Quotes</h3>{_quotes_table(analysis, prefix)}</section>"
            f'<section class="findings" data-doc="{prefix}"><h3>Findings in {escape(label)}</h3>'
            f"{_findings_list(analysis.findings, statements, prefixes, prefix=prefix, docs={analysis.doc_id: analysis})}</section>"
        )
    if title is None:
        title = f"quotecheck: {named[0][0]}" if len(named) == 1 else f"quotecheck: {len(named)} texts"
    summary = f"{plural(len(named), 'text')} · {findings_summary(f for _, _, f in listed)}"
    return _page(title, summary, "\n".join(sections), _overview(listed))


def render_comparison(comparison: Comparison, names: tuple[str, str] = ("statement", "report"), *, title: str | None = None) -> str:
    """One HTML page with the statement text and the report text side by side, and the findings."""
    prefixes = {comparison.a.doc_id: "a", comparison.b.doc_id: "b"}
    statements = {s.id: ("a", s) for s in comparison.a.statements} | {s.id: ("b", s) for s in comparison.b.statements}
    evidence = _evidence_of(comparison.findings, prefixes)
    sides = []
    for (doc, prefix), name, role in zip(((comparison.a, "a"), (comparison.b, "b")), names, ("Statement", "Report")):
        sides.append(
            f'<section class="doc" id="{prefix}" data-name="{escape(name)}" data-doc-id="{escape(doc.doc_id)}"'
            f' data-source="{escape(doc.source or "")}">'
            f"<h2>{role}: {escape(name)}</h2>{_source_line(doc)}"
            f'<p class="summary">{escape(_summary(doc, findings=False))}</p>'
            f"{_doc_text(doc, prefix, evidence.get(doc.doc_id, []))}"
            f"<h3>Quotes</h3>{_quotes_table(doc, prefix)}</section>"
        )
    body = (
        f'<div class="pair">{"".join(sides)}</div>'
        f'<section class="findings"><h3>Findings: intentions in {escape(names[0])} against actions in {escape(names[1])}</h3>'
        f"{_findings_list(comparison.findings, statements, prefixes, prefix='c', docs={comparison.a.doc_id: comparison.a, comparison.b.doc_id: comparison.b})}</section>"
    )
    overview = _overview([("c", "", f) for f in comparison.findings])
    return _page(title or f"quotecheck: {names[0]} against {names[1]}", findings_summary(comparison.findings), body, overview)
