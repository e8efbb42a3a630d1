"""Fixture cases: the one runner behind ``quotecheck regress`` and the pytest plugin.

A case (``testing/model.py``) names excerpts of its text, not offsets: an excerpt is found in
the text (whitespace-insensitive) and matched to a result span by character overlap. Files are
found and read by ``testing/files.py`` (every problem of a malformed file reported at once);
this module runs a case against a Checker and rewrites expectations for ``regress --update``.
The public names of all three modules are importable from here.

Actor and speaker names match when one contains the other or they share a distinctive word or
stem ("Carter" ~ "Ash Carter", "Kestrian" ~ "Kestria"): ``names_match(…, loose=True)`` of
:mod:`quotecheck.pipeline.names`, the one names module (its loose rule is the fixture format's).
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from quotecheck.models import Analysis, Comparison, Finding, Span
from quotecheck.pipeline.names import names_match
from quotecheck.testing.files import CASE_SUFFIXES, iter_case_files, load_cases, load_records
from quotecheck.testing.model import (
    Case,
    CaseResult,
    Check,
    ExpectedFinding,
    ExpectedQuote,
    ForbiddenFinding,
    fixture_schema,
)

if TYPE_CHECKING:
    from quotecheck.checker import Checker

__all__ = [
    "Case",
    "ExpectedQuote",
    "ExpectedFinding",
    "ForbiddenFinding",
    "Check",
    "CaseResult",
    "load_cases",
    "load_records",
    "iter_case_files",
    "run_case",
    "updated_record",
    "fixture_schema",
    "CASE_SUFFIXES",
]


# -- matching ---------------------------------------------------------------------------------


def _locate(text: str, excerpt: str) -> tuple[int, int] | None:
    """Where ``excerpt`` stands in ``text``, ignoring differences in white space."""
    i = text.find(excerpt)
    if i >= 0:
        return i, i + len(excerpt)
    words = excerpt.split()
    if not words:
        return None
    m = re.search(r"\s+".join(map(re.escape, words)), text)
    return (m.start(), m.end()) if m else None


def _overlaps(span: Span | None, where: tuple[int, int] | None) -> bool:
    return span is not None and where is not None and span.start < where[1] and where[0] < span.end


def _name_matches(expected: str, got: str | None) -> bool:
    """One name is part of the other, or they share a distinctive word or a stem ('Kestrian' ~ 'Kestria')."""
    return names_match(expected, got, loose=True)


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _label(f: Finding) -> str:
    """``mismatch:<type>``, or the verdict itself (``consistent``, ``unverified``): never one read as another."""
    return f"mismatch:{f.type or 'other'}" if f.verdict == "mismatch" else f.verdict


def run_case(case: Case, checker: Checker, *, text: str | None = None, path: str = "") -> CaseResult:
    """Analyse the case's text(s) and compare with its expectations.

    Cases that check quotes only are run without the embedding model (``Checker.extract_quotes``).
    """
    started = time.perf_counter()
    if case.is_pair:
        result: Analysis | Comparison = checker.compare(case.text_a or "", case.text_b or "")
        a_doc, b_doc = result.a, result.b
        quotes_doc = result.a
    else:
        body = text if text is not None else case.text or ""
        result = checker.analyze(body) if case.needs_model else checker.extract_quotes(body)
        a_doc = b_doc = quotes_doc = result
    findings: tuple[Finding, ...] = result.findings
    statements = {s.id: s for doc in (a_doc, b_doc) for s in doc.statements}
    checks: list[Check] = []

    if case.expects_nothing:
        checks.append(Check(what="case", subject=case.id, expected="quotes, findings or no_findings", found="no expectation", ok=False))

    for q in case.quotes:
        want = q.speaker + (f" [{q.kind}]" if q.kind else "")
        where = _locate(quotes_doc.text, q.content)
        if where is None:
            checks.append(Check(what="quote", subject=_short(q.content), expected=want, found="excerpt not in the text", ok=False))
            continue
        hits = [x for x in quotes_doc.quotes if any(_overlaps(c, where) for c in x.content)]
        good = [x for x in hits if _name_matches(q.speaker, x.speaker_name) and (q.kind is None or x.kind == q.kind)]
        found = "; ".join(f"{x.speaker_name or '?'} [{x.kind}]" for x in (good or hits)) or "no quote there"
        checks.append(Check(what="quote", subject=_short(q.content), expected=want, found=found, ok=bool(good)))

    def pair_hits(intention: str | None, action: str | None) -> list[Finding]:
        wi = _locate(a_doc.text, intention) if intention else None
        wa = _locate(b_doc.text, action) if action else None
        out = []
        for f in findings:
            si, sa = statements.get(f.intention), statements.get(f.action)
            if intention and not (si and _overlaps(si.span, wi)):
                continue
            if action and not (sa and _overlaps(sa.span, wa)):
                continue
            out.append(f)
        return out

    paired: list[bool] = []
    verdicts: list[str | None] = []
    matched_ids: set[str] = set()
    for exp in case.findings:
        hits = pair_hits(exp.intention, exp.action)
        paired.append(bool(hits))
        best = max(hits, key=lambda f: f.score, default=None)
        verdicts.append(None if best is None else _label(best))
        matched_ids.update(f.id for f in hits)
        want = exp.label
        subject = f"{exp.actor}: {_short(exp.intention, 40)} / {_short(exp.action, 40)}"
        if best is None:
            found = "not paired" + (f" ({len(findings)} other finding(s))" if findings else "")
            checks.append(Check(what="finding", subject=subject, expected=want, found=found, ok=False))
            continue
        agree = [f for f in hits if _label(f) == want]
        shown = agree[0] if agree else best
        checks.append(
            Check(what="finding", subject=subject, expected=want, found=f"{_label(shown)} ({shown.explanation[:120]})", ok=bool(agree))
        )
    if case.no_findings:
        found = f"{len(findings)}: " + " | ".join(f.explanation[:100] for f in findings) if findings else "none"
        checks.append(Check(what="no_findings", subject=case.id, expected="no finding", found=found, ok=not findings))
    for forbidden in case.forbid:
        subject = ", ".join(f"{k}={v!r}" for k, v in forbidden.model_dump(exclude_none=True).items()) or "any finding"
        bad = [
            f
            for f in pair_hits(forbidden.intention, forbidden.action)
            if (forbidden.actor is None or _name_matches(forbidden.actor, f.actor_name))
            and (forbidden.verdict is None or forbidden.verdict == f.verdict)
        ]
        found = f"reported: {bad[0].explanation[:120]}" if bad else "not reported"
        checks.append(Check(what="forbid", subject=subject, expected="not reported", found=found, ok=not bad))
    extra = sum(1 for f in findings if f.id not in matched_ids and f.verdict == "mismatch")

    found_quotes = tuple(
        ExpectedQuote(speaker=q.speaker_name or (q.source.text if q.source else ""), content=q.content[0].text.strip(), kind=q.kind)
        for q in quotes_doc.quotes
        if (q.speaker_name or q.source) and q.content and q.content[0].text.strip()
    )
    found_findings = tuple(
        ExpectedFinding(
            actor=f.actor_name,
            intention=statements[f.intention].span.text.strip(),
            action=statements[f.action].span.text.strip(),
            verdict=f.verdict,
            type=(f.type or "other") if f.verdict == "mismatch" else None,
        )
        for f in findings
        if f.intention in statements and f.action in statements and f.actor_name.strip()
    )
    return CaseResult(
        case_id=case.id,
        path=path,
        failures=tuple(c.message for c in checks if not c.ok),
        checks=tuple(checks),
        xfail=case.xfail,
        found_quotes=found_quotes,
        found_findings=found_findings,
        analyzed=case.needs_model,
        paired=tuple(paired),
        verdicts=tuple(verdicts),
        extra_findings=extra,
        seconds=round(time.perf_counter() - started, 4),
    )


# -- --update ---------------------------------------------------------------------------------


def updated_record(record: dict[str, Any], case: Case, result: CaseResult) -> dict[str, Any]:
    """``record`` with its expectations rewritten from ``result`` (what was found).

    Only what the case checks is rewritten: ``quotes`` when it lists quotes, ``findings`` /
    ``no_findings`` when it checks findings; a case with no expectation gets both. ``forbid``
    is never touched. Key order and every other field are kept. A case marked ``xfail`` that
    now passes (XPASS) only loses its mark: its expectations were right all along. A case that
    fails as its mark expects is left as it is.
    """
    out = dict(record)
    if result.outcome == "xpassed":
        out.pop("xfail", None)
        return out
    if result.outcome == "xfailed":
        return out
    if case.quotes or case.expects_nothing:
        out["quotes"] = [q.model_dump(exclude_none=True) for q in result.found_quotes]
    if (case.findings or case.no_findings or case.expects_nothing) and result.analyzed:
        if result.found_findings:
            out["findings"] = [f.model_dump(exclude_none=True) for f in result.found_findings]
            out.pop("no_findings", None)
        else:
            out.pop("findings", None)
            out["no_findings"] = True
    return out
