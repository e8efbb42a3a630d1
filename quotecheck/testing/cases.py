"""Fixture cases: the schema of ``*.qc.yaml`` / ``*.qc.json`` / ``*.qc.jsonl`` files and their runner.

One runner serves ``quotecheck regress`` and the pytest plugin. Expectations name excerpts of
the text, not offsets, so fixtures survive whitespace edits: an excerpt is found in the text
(whitespace-insensitive) and matched to a result span by character overlap.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from quotecheck.errors import CaseError, Errors
from quotecheck.models import Analysis, Comparison, Finding, MismatchType, QuoteKind, Span

if TYPE_CHECKING:
    from quotecheck.checker import Checker

__all__ = [
    "Case",
    "ExpectedQuote",
    "ExpectedFinding",
    "ForbiddenFinding",
    "CaseResult",
    "load_cases",
    "iter_case_files",
    "run_case",
    "CASE_SUFFIXES",
]

CASE_SUFFIXES = (".qc.yaml", ".qc.yml", ".qc.json", ".qc.jsonl")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExpectedQuote(_Frozen):
    """A quote that must be found: its canonical speaker and an excerpt of its content."""

    speaker: str = Field(description="Canonical speaker name, or a part of it ('Carter').")
    content: str = Field(description="An excerpt of the quote's content, as written in the text.")
    kind: QuoteKind | None = None


class ExpectedFinding(_Frozen):
    """A finding that must be reported."""

    actor: str = Field(description="Actor name or a part of it ('Russia').")
    intention: str = Field(description="Excerpt of the intention statement.")
    action: str = Field(description="Excerpt of the action statement.")
    verdict: Literal["mismatch", "consistent"]
    type: MismatchType | None = Field(default=None, description="Required when verdict is mismatch.")

    @model_validator(mode="after")
    def _type_goes_with_mismatch(self) -> ExpectedFinding:
        if self.verdict == "mismatch" and self.type is None:
            raise ValueError("a mismatch needs a 'type'")
        if self.verdict == "consistent" and self.type is not None:
            raise ValueError("a consistent finding has no 'type'")
        return self


class ForbiddenFinding(_Frozen):
    """A finding that must NOT be reported; every given field must match for it to count."""

    actor: str | None = None
    intention: str | None = None
    action: str | None = None
    verdict: Literal["mismatch", "consistent"] | None = None


class Case(_Frozen):
    """One fixture: a text (or two, for ``compare``) and what must and must not be found."""

    id: str
    description: str = ""
    text: str | None = None
    text_file: str | None = Field(default=None, description="Path of the text, relative to the case file.")
    text_a: str | None = Field(default=None, description="Statement text, for a two-text comparison.")
    text_b: str | None = Field(default=None, description="Report text, for a two-text comparison.")
    quotes: tuple[ExpectedQuote, ...] = ()
    findings: tuple[ExpectedFinding, ...] = ()
    forbid: tuple[ForbiddenFinding, ...] = ()
    no_findings: bool = Field(default=False, description="True when the text must yield no finding at all.")
    tags: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_way_to_give_text(self) -> Case:
        single = (self.text is not None) + (self.text_file is not None)
        pair = self.text_a is not None and self.text_b is not None
        if single > 1 or (single and (self.text_a or self.text_b)) or (not single and not pair):
            raise ValueError("give exactly one of 'text', 'text_file' or both 'text_a' and 'text_b'")
        if self.no_findings and self.findings:
            raise ValueError("'no_findings' contradicts the listed 'findings'")
        return self

    @property
    def is_pair(self) -> bool:
        return self.text_a is not None


class CaseResult(_Frozen):
    """Outcome of one case: what failed (empty when it passed) and the pairing facts the metrics use."""

    case_id: str
    path: str = ""
    failures: tuple[str, ...] = ()
    paired: tuple[bool, ...] = Field(default=(), description="Per expected finding: was the pair found at all?")
    verdicts: tuple[str | None, ...] = Field(default=(), description="Per expected finding: 'mismatch:<type>', 'consistent' or None.")
    extra_findings: int = 0

    @property
    def passed(self) -> bool:
        return not self.failures


def iter_case_files(paths: list[str | Path]) -> Iterator[Path]:
    """Case files under ``paths`` (files or directories), sorted; raises when there are none."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.name.endswith(CASE_SUFFIXES)))
        elif p.exists():
            found.append(p)
        else:
            raise CaseError(Errors.E040.format(path=p, reason="no such file or directory"), path=str(p))
    if not found:
        raise CaseError(Errors.E041.format(path=", ".join(map(str, paths))))
    yield from found


def load_cases(path: Path) -> list[tuple[Case, str | None]]:
    """Cases of one file as (case, resolved text_file contents or None); errors name file and field."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise CaseError(Errors.E040.format(path=path, reason=f"cannot read ({err})"), path=str(path)) from err
    try:
        if path.name.endswith(".jsonl"):
            records = [json.loads(line) for line in raw.splitlines() if line.strip()]
        elif path.name.endswith(".json"):
            records = [json.loads(raw)]
        else:
            import yaml

            records = [yaml.safe_load(raw)]
    except ValueError as err:  # json.JSONDecodeError and yaml.YAMLError's parse errors
        raise CaseError(Errors.E040.format(path=path, reason=f"not valid JSON/YAML ({str(err).splitlines()[0]})"), path=str(path)) from err
    except Exception as err:  # yaml.YAMLError does not subclass ValueError
        raise CaseError(Errors.E040.format(path=path, reason=f"not valid YAML ({str(err).splitlines()[0]})"), path=str(path)) from err
    out = []
    for record in records:
        if not isinstance(record, dict):
            raise CaseError(Errors.E040.format(path=path, reason="a case must be a mapping of fields"), path=str(path))
        try:
            case = Case(**record)
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(x) for x in first["loc"]) or "case"
            raise CaseError(Errors.E040.format(path=path, reason=f"field '{where}': {first['msg']}"), path=str(path)) from err
        text = None
        if case.text_file:
            target = (path.parent / case.text_file).resolve()
            try:
                text = target.read_text(encoding="utf-8")
            except OSError as err:
                raise CaseError(Errors.E040.format(path=path, reason=f"field 'text_file': cannot read {target}"), path=str(path)) from err
        out.append((case, text))
    return out


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
    if not got:
        return False
    from quotecheck.pipeline.match import actor_key, _stem_match

    a, b = actor_key(expected), actor_key(got)
    return a in b or b in a or _stem_match(a, b)


def run_case(case: Case, checker: Checker, *, text: str | None = None, path: str = "") -> CaseResult:
    """Analyse the case's text(s) and compare with its expectations."""
    if case.is_pair:
        result: Analysis | Comparison = checker.compare(case.text_a or "", case.text_b or "")
        a_doc, b_doc = result.a, result.b
        quotes_doc = result.a
    else:
        body = text if text is not None else case.text or ""
        result = checker.analyze(body)
        a_doc = b_doc = quotes_doc = result
    findings: tuple[Finding, ...] = result.findings
    statements = {s.id: s for doc in (a_doc, b_doc) for s in doc.statements}
    failures: list[str] = []

    for q in case.quotes:
        where = _locate(quotes_doc.text, q.content)
        if where is None:
            failures.append(f"quote excerpt not in text: {q.content!r}")
            continue
        hits = [x for x in quotes_doc.quotes if any(_overlaps(c, where) for c in x.content)]
        good = [x for x in hits if _name_matches(q.speaker, x.speaker_name) and (q.kind is None or x.kind == q.kind)]
        if not good:
            got = "; ".join(f"{x.speaker_name or '?'} [{x.kind}]" for x in hits) or "no quote there"
            failures.append(f"quote {q.content[:50]!r}: expected speaker {q.speaker!r}{' ' + q.kind if q.kind else ''}, got {got}")

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
        verdicts.append(None if best is None else (f"mismatch:{best.type}" if best.verdict == "mismatch" else "consistent"))
        matched_ids.update(f.id for f in hits)
        want = f"mismatch:{exp.type}" if exp.verdict == "mismatch" else "consistent"
        if best is None:
            failures.append(f"finding {exp.actor}: {exp.intention[:40]!r} / {exp.action[:40]!r} not paired")
        elif not any((f"mismatch:{f.type}" if f.verdict == "mismatch" else "consistent") == want for f in hits):
            failures.append(f"finding {exp.actor}: expected {want}, got {verdicts[-1]} ({best.explanation[:120]})")
    if case.no_findings and findings:
        failures.append(f"expected no findings, got {len(findings)}: " + " | ".join(f.explanation[:100] for f in findings))
    for forbidden in case.forbid:
        for f in pair_hits(forbidden.intention, forbidden.action):
            if (forbidden.actor is None or _name_matches(forbidden.actor, f.actor_name)) and (
                forbidden.verdict is None or forbidden.verdict == f.verdict
            ):
                failures.append(f"forbidden finding reported: {f.explanation[:120]}")
                break
    extra = sum(1 for f in findings if f.id not in matched_ids and f.verdict == "mismatch")
    return CaseResult(
        case_id=case.id, path=path, failures=tuple(failures), paired=tuple(paired), verdicts=tuple(verdicts), extra_findings=extra
    )
