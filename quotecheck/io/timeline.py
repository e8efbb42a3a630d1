"""The promise tracker as one self-contained HTML page: a timeline with one lane per actor.

Like the report (``io/html.py``): inline styles, no script, no external asset, and a
Content-Security-Policy that forbids loading anything. Each lane holds a row per promise: a
mark where it was stated, a bar to its due date, and a mark for every later report, coloured by
what it says (kept, broken, changed, unverified). Marks are placed by date (``left: x%``) and
link to the evidence below: each promise and report quoted in its article, with the file, date
and character offsets, and the span highlighted in the sentence around it (when the texts are
given). Undated promises are listed in their lane without a mark.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from html import escape

from quotecheck.duedates import parse_iso
from quotecheck.io.cut import cut_words, one_line
from quotecheck.io.html import page
from quotecheck.io.summary import plural
from quotecheck.tracker import STATUS_ORDER, Promise, PromiseReport, Report, Where

__all__ = ["render_timeline", "CONTEXT"]

#: Characters of the article shown on each side of a quoted span in the evidence list.
CONTEXT = 160

_CSS = """
:root { --ink:#1d232b; --muted:#5b6672; --line:#d9dee4; --bg:#fbfbfa; --stated:#2563b0; --kept:#1e7b3a;
        --broken:#d1252b; --changed:#b45309; --pending:#6b7280; --overdue:#7c3aed; --unverified:#8a5a00; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1.5rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
h1 { font-size: 1.35rem; margin: 0 0 .25rem; }
h2 { font-size: 1.05rem; margin: 0 0 .4rem; }
.summary { color: var(--muted); margin: 0 0 .5rem; }
.legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; list-style: none; padding: 0; margin: .4rem 0 1rem; font-size: .85rem; }
.legend li { white-space: nowrap; }
.dot { display: inline-block; width: .8rem; height: .8rem; border-radius: 50%; vertical-align: -.1rem; margin-right: .3rem; }
section.lane { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .7rem 1rem; margin: 0 0 1rem; }
.axis, .row { position: relative; margin-left: 12rem; }
.axis { height: 1.4rem; border-bottom: 1px solid var(--line); font-size: .75rem; color: var(--muted); }
.tick { position: absolute; top: 0; transform: translateX(-50%); white-space: nowrap; }
.row { height: 1.6rem; border-bottom: 1px dotted var(--line); }
.row .label { position: absolute; right: 100%; width: 11.5rem; margin-right: .5rem; top: .15rem; font-size: .8rem;
              white-space: nowrap; overflow: hidden; text-overflow: ellipsis; color: var(--muted); }
.bar { position: absolute; top: .7rem; height: .2rem; background: var(--line); }
.bar.late { background: repeating-linear-gradient(90deg, var(--overdue) 0 4px, transparent 4px 8px); }
.mark { position: absolute; top: .3rem; width: 1rem; height: 1rem; margin-left: -.5rem; border-radius: 50%;
        border: 2px solid #fff; box-shadow: 0 0 0 1px var(--ink); }
.mark.stated { background: var(--stated); border-radius: 2px; }
.mark.due { background: #fff; box-shadow: 0 0 0 2px var(--overdue); width: .6rem; height: .6rem; top: .5rem; margin-left: -.3rem; }
.kept { background: var(--kept); } .broken { background: var(--broken); } .changed { background: var(--changed); }
.pending { background: var(--pending); } .overdue { background: var(--overdue); } .unverified { background: var(--unverified); }
.status { font-weight: 700; letter-spacing: .02em; }
.status.kept { color: var(--kept); background: none; } .status.broken { color: var(--broken); background: none; }
.status.changed { color: var(--changed); background: none; } .status.pending { color: var(--pending); background: none; }
.status.overdue { color: var(--overdue); background: none; }
section.evidence { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .7rem 1rem; margin: 0 0 1rem; }
ol.promises { padding-left: 1.4rem; margin: 0; }
li.promise { margin: 0 0 .9rem; }
ul.reports { margin: .2rem 0 0; padding-left: 1.1rem; }
.where { color: var(--muted); font-size: .85rem; overflow-wrap: anywhere; }
blockquote { margin: .2rem 0; padding: .1rem .6rem; border-left: 3px solid var(--line); font-family: Georgia, serif; overflow-wrap: anywhere; }
mark { background: #fff1a8; }
.anchor { scroll-margin-top: 2rem; }
:target { outline: 3px solid #7c3aed; outline-offset: 2px; }
.none { color: var(--muted); font-style: italic; }
"""

_LABEL = {"kept": "kept", "broken": "broken", "changed": "changed", "pending": "pending", "overdue": "overdue"}


def _id(prefix: str, raw: str) -> str:
    return f"{prefix}-" + re.sub(r"[^A-Za-z0-9_-]", "-", raw)


def _span_of_time(report: PromiseReport) -> tuple[date, date] | None:
    days = [parse_iso(d) for p in report.all() for d in (p.stated.date, p.due, *(r.where.date for r in p.reports))]
    days.append(parse_iso(report.as_of))
    known = [d for d in days if d is not None]
    if not known:
        return None
    first, last = min(known), max(known)
    return (first, last) if last > first else (first, date.fromordinal(first.toordinal() + 1))


def _left(day: date | None, bounds: tuple[date, date]) -> float | None:
    if day is None:
        return None
    first, last = bounds
    return round(100 * (day.toordinal() - first.toordinal()) / (last.toordinal() - first.toordinal()), 3)


def _ticks(bounds: tuple[date, date]) -> str:
    first, last = bounds
    months = (last.year - first.year) * 12 + last.month - first.month
    step = 1 if months <= 12 else 3 if months <= 36 else 12
    out = []
    year, month = first.year, first.month
    while date(year, month, 1) <= last:
        day = date(year, month, 1)
        if day >= first and (month - 1) % step == 0:
            label = day.strftime("%b %Y") if step < 12 else str(year)
            out.append(f'<span class="tick" style="left:{_left(day, bounds)}%">{escape(label)}</span>')
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return f'<div class="axis">{"".join(out)}</div>'


def _title(p: Promise) -> str:
    parts = [f"{p.status}{f' ({p.type})' if p.type else ''}: {cut_words(p.promised, 120)}"]
    parts.append(f"stated {p.stated.date or 'undated'} in {p.stated.source or p.stated.doc_id}")
    if p.due:
        parts.append(f"due {p.due} ({p.due_text})")
    return " · ".join(parts)


def _row(p: Promise, bounds: tuple[date, date] | None, cutoff: date | None) -> str:
    label = f'<span class="label" title="{escape(p.promised)}">{escape(cut_words(p.promised, 40))}</span>'
    if bounds is None or parse_iso(p.stated.date) is None:
        return f'<div class="row undated">{label}</div>'
    stated = parse_iso(p.stated.date)
    start = _left(stated, bounds)
    pieces = []
    due = parse_iso(p.due)
    end_day = max([d for d in (due, *(parse_iso(r.where.date) for r in p.reports)) if d is not None], default=None)
    if end_day is not None and end_day > stated:
        pieces.append(f'<span class="bar" style="left:{start}%;width:{_left(end_day, bounds) - start}%"></span>')
    if p.status == "overdue" and due is not None and cutoff is not None and cutoff > due:
        pieces.append(f'<span class="bar late" style="left:{_left(due, bounds)}%;width:{_left(cutoff, bounds) - _left(due, bounds)}%"></span>')
    pieces.append(
        f'<a class="mark stated" style="left:{start}%" href="#{_id("p", p.id)}" title="{escape(_title(p))}"></a>'
    )
    if due is not None:
        pieces.append(f'<span class="mark due" style="left:{_left(due, bounds)}%" title="due {escape(p.due or "")} ({escape(p.due_text or "")})"></span>')
    for r in p.reports:
        day = parse_iso(r.where.date)
        if day is None:
            continue
        kind = r.status or "unverified"
        tip = f"{r.verdict.upper()}{f' ({r.type})' if r.type else ''} {r.where.date} in {r.where.source or r.where.doc_id}: {r.explanation}"
        pieces.append(
            f'<a class="mark report {kind}" style="left:{_left(day, bounds)}%" href="#{_id("r", p.id + "-" + r.finding)}" title="{escape(tip)}"></a>'
        )
    return f'<div class="row" data-promise="{escape(p.id)}">{label}{"".join(pieces)}</div>'


def _excerpt(where: Where, texts: Mapping[str, str] | None) -> str:
    """The span in the sentence around it, highlighted; the span alone when the text is not given."""
    text = (texts or {}).get(where.doc_id)
    if text is None or text[where.span.start : where.span.end] != where.span.text:
        return f"<blockquote><mark>{escape(one_line(where.span.text))}</mark></blockquote>"
    before = one_line(text[max(0, where.span.start - CONTEXT) : where.span.start])
    after = cut_words(text[where.span.end : where.span.end + CONTEXT], CONTEXT)
    if where.span.start > CONTEXT and " " in before:
        before = "…" + before.split(" ", 1)[1]
    before = before + (" " if text[where.span.start - 1 : where.span.start].isspace() and before else "")
    return f"<blockquote>{escape(before)}<mark>{escape(one_line(where.span.text))}</mark>{escape(after)}</blockquote>"


def _where(where: Where) -> str:
    parts = [where.date or "undated", where.source or "(source unknown)", f"id {where.doc_id}", f"[{where.span.start}, {where.span.end})"]
    return f'<span class="where">{escape(" · ".join(parts))}</span>'


def _report_item(p: Promise, r: Report, texts: Mapping[str, str] | None) -> str:
    kind = r.status or "unverified"
    label = r.verdict.upper() + (f" ({r.type})" if r.type else "")
    return (
        f'<li class="report anchor" id="{_id("r", p.id + "-" + r.finding)}"><span class="status {kind}">{escape(label)}</span> '
        f"score {r.score:.2f} {_where(r.where)}{_excerpt(r.where, texts)}<p>{escape(r.explanation)}</p></li>"
    )


def _promise_item(p: Promise, texts: Mapping[str, str] | None) -> str:
    status = p.status.upper() + (f" ({p.type})" if p.type else "")
    due = f" · due {escape(p.due)} (“{escape(p.due_text or '')}”)" if p.due else ""
    extra = " · conditional" if p.conditional else ""
    said = f" · said {escape(p.stated_at)}" if p.stated_at else ""
    subject = f" (subject: {escape(p.subject)})" if p.subject else ""
    reports = "".join(_report_item(p, r, texts) for r in p.reports) or '<li class="none">No report answers it in this corpus.</li>'
    return (
        f'<li class="promise anchor" id="{_id("p", p.id)}"><span class="status {p.status}">{escape(status)}</span> '
        f"{escape(p.actor)}{subject}{due}{said}{extra}<br>{_where(p.stated)}{_excerpt(p.stated, texts)}"
        f'<ul class="reports">{reports}</ul></li>'
    )


def _legend() -> str:
    keys = [(s, s) for s in STATUS_ORDER if s != "overdue"] + [("unverified", "unverified report")]
    items = '<li><span class="dot" style="background:var(--stated);border-radius:2px"></span>stated</li>'
    items += "".join(f'<li><span class="dot {c}"></span>{escape(t)}</li>' for c, t in keys)
    items += '<li><span class="dot" style="box-shadow:0 0 0 2px var(--overdue)"></span>due date</li>'
    items += '<li><span class="dot overdue"></span>overdue (dashed: past due, no report)</li>'
    return f'<ul class="legend">{items}</ul>'


def render_timeline(report: PromiseReport, *, texts: Mapping[str, str] | None = None, title: str = "quotecheck: promises") -> str:
    """The timeline page of ``report``; ``texts`` (document id → text) adds the sentence around each span."""
    bounds = _span_of_time(report)
    cutoff = parse_iso(report.as_of)
    c = report.counts
    summary = (
        f"{plural(c.total(), 'commitment')} by {plural(len(report.actors), 'actor')} in {plural(report.documents, 'document')}"
        + (f" ({report.first_date} to {report.last_date})" if report.first_date else "")
        + (f", as of {report.as_of}" if report.as_of else "")
        + ": " + ", ".join(f"{getattr(c, s)} {_LABEL[s]}" for s in STATUS_ORDER)
        + (f" · {plural(report.undated, 'undated document')}" if report.undated else "")
    )
    lanes, evidence = [], []
    axis = _ticks(bounds) if bounds else ""
    for n, actor in enumerate(report.actors, 1):
        counts = ", ".join(f"{getattr(actor.counts, s)} {s}" for s in STATUS_ORDER if getattr(actor.counts, s))
        rows = "".join(_row(p, bounds, cutoff) for p in actor.promises)
        lanes.append(
            f'<section class="lane" id="lane-{n}" data-actor="{escape(actor.actor)}"><h2>{escape(actor.actor)} '
            f'<span class="summary">· {escape(counts)}</span></h2>{axis}{rows}</section>'
        )
        items = "".join(_promise_item(p, texts) for p in actor.promises)
        evidence.append(f'<section class="evidence" id="evidence-{n}"><h2>{escape(actor.actor)}</h2><ol class="promises">{items}</ol></section>')
    body = "".join(lanes) + "".join(evidence) if lanes else '<p class="none">No commitment was found in these documents.</p>'
    header = f'<header><h1>{escape(title)}</h1><p class="summary">{escape(summary)}</p>{_legend()}</header>'
    return page(title, _CSS, header, f"<main>{body}</main>")
