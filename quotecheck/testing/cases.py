"""Fixture cases: the schema of ``*.qc.yaml`` / ``*.qc.json`` / ``*.qc.jsonl`` files and their runner.

One runner serves ``quotecheck regress`` and the pytest plugin. Expectations name excerpts of
the text, not offsets, so fixtures survive whitespace edits: an excerpt is found in the text
(whitespace-insensitive) and matched to a result span by character overlap.

A YAML or JSON file holds one case; a JSON Lines file holds one case per line. Every error
names the file, the line (JSON Lines, YAML syntax) and the field: ``[E040] path: field
'findings[0].verdict': Input should be 'mismatch' or 'consistent'``.
"""

from __future__ import annotations

import glob
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

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

CASE_SUFFIXES = (".qc.yaml", ".qc.yml", ".qc.json", ".qc.jsonl")
#: Suffixes accepted when a file is named explicitly (directories are searched for CASE_SUFFIXES only).
_EXPLICIT_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExpectedQuote(_Frozen):
    """A quote that must be found: its canonical speaker and an excerpt of its content."""

    speaker: str = Field(min_length=1, description="Canonical speaker name, or a part of it ('Carter').")
    content: str = Field(min_length=1, description="An excerpt of the quote's content, as written in the text.")
    kind: QuoteKind | None = None


class ExpectedFinding(_Frozen):
    """A finding that must be reported."""

    actor: str = Field(min_length=1, description="Actor name or a part of it ('Russia').")
    intention: str = Field(min_length=1, description="Excerpt of the intention statement.")
    action: str = Field(min_length=1, description="Excerpt of the action statement.")
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

    model_config = ConfigDict(frozen=True, extra="forbid", title="quotecheck fixture case")

    id: str = Field(min_length=1, description="Name of the case, unique within its file; the pytest item name.")
    description: str = ""
    text: str | None = None
    text_file: str | None = Field(default=None, description="Path of the text, relative to the case file.")
    text_a: str | None = Field(default=None, description="Statement text, for a two-text comparison.")
    text_b: str | None = Field(default=None, description="Report text, for a two-text comparison.")
    quotes: tuple[ExpectedQuote, ...] = Field(default=(), description="Quotes that must be found (in text_a for a pair).")
    findings: tuple[ExpectedFinding, ...] = Field(default=(), description="Findings that must be reported.")
    forbid: tuple[ForbiddenFinding, ...] = Field(default=(), description="Findings that must not be reported.")
    no_findings: bool = Field(default=False, description="True when the text must yield no finding at all.")
    tags: tuple[str, ...] = Field(default=(), description="Free labels; pytest -k selects on them.")

    @model_validator(mode="after")
    def _one_way_to_give_text(self) -> Case:
        single = (self.text is not None) + (self.text_file is not None)
        pair = self.text_a is not None and self.text_b is not None
        if single > 1 or (single and (self.text_a or self.text_b)) or (not single and not pair):
            raise ValueError("give exactly one of 'text', 'text_file' or both 'text_a' and 'text_b'")
        if self.no_findings and self.findings:
            raise ValueError("'no_findings' contradicts the listed 'findings'")
        for name in ("text", "text_a", "text_b"):
            value = getattr(self, name)
            if value is not None and not value.strip():
                raise ValueError(f"'{name}' is empty; give a text with at least one sentence")
        return self

    @property
    def is_pair(self) -> bool:
        return self.text_a is not None

    @property
    def expects_nothing(self) -> bool:
        """True for a case with a text and no expectation yet (``regress --update`` fills it in)."""
        return not (self.quotes or self.findings or self.forbid or self.no_findings)

    @property
    def needs_model(self) -> bool:
        """False when only quotes are checked: they need no embedding model."""
        return self.is_pair or bool(self.findings or self.forbid or self.no_findings) or self.expects_nothing


class Check(_Frozen):
    """One expectation of a case, set against what was found for it."""

    what: Literal["quote", "finding", "forbid", "no_findings", "case"]
    subject: str = Field(description="The expectation in a few words, e.g. the quote excerpt.")
    expected: str
    found: str
    ok: bool

    @property
    def message(self) -> str:
        return f"{self.what} {self.subject}: expected {self.expected}, found {self.found}"


class CaseResult(_Frozen):
    """Outcome of one case: its checks, what was found, and the pairing facts the metrics use."""

    case_id: str
    path: str = ""
    failures: tuple[str, ...] = ()
    checks: tuple[Check, ...] = ()
    found_quotes: tuple[ExpectedQuote, ...] = Field(default=(), description="Every attributed quote found, as fixture entries.")
    found_findings: tuple[ExpectedFinding, ...] = Field(default=(), description="Every finding reported, as fixture entries.")
    analyzed: bool = Field(default=True, description="False when only quotes were extracted (no model run).")
    paired: tuple[bool, ...] = Field(default=(), description="Per expected finding: was the pair found at all?")
    verdicts: tuple[str | None, ...] = Field(default=(), description="Per expected finding: 'mismatch:<type>', 'consistent' or None.")
    extra_findings: int = 0
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.failures

    def diff(self) -> list[str]:
        """The failed checks as a diff: ``- expected`` / ``+ found`` lines under each subject."""
        lines: list[str] = []
        for c in self.checks:
            if c.ok:
                continue
            lines.append(f"  {c.what} {c.subject}")
            lines.append(f"  - expected: {c.expected}")
            lines.append(f"  + found:    {c.found}")
        return lines


# -- files ------------------------------------------------------------------------------------


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "case"


def _fail(path: Path, reason: str) -> CaseError:
    return CaseError(Errors.E040.format(path=path, reason=reason), path=str(path))


def iter_case_files(paths: list[str | Path]) -> Iterator[Path]:
    """Case files under ``paths`` (files, directories or glob patterns), sorted; raises when there are none."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            inside = sorted(f for f in p.rglob("*") if f.name.endswith(CASE_SUFFIXES) and f.is_file())
            if not inside:
                raise CaseError(Errors.E041.format(path=p), path=str(p))
            found.extend(inside)
        elif p.is_file():
            if not p.name.endswith(_EXPLICIT_SUFFIXES):
                raise _fail(p, "not a fixture file: the name must end in .qc.yaml, .qc.json or .qc.jsonl")
            found.append(p)
        elif glob.has_magic(str(raw)):
            matches = sorted(Path(m) for m in glob.glob(str(raw), recursive=True))
            files = [m for m in matches if m.is_file() and m.name.endswith(_EXPLICIT_SUFFIXES)]
            if not files:
                raise CaseError(Errors.E041.format(path=raw), path=str(raw))
            found.extend(files)
        else:
            raise _fail(p, "no such file or directory")
    if not found:
        raise CaseError(Errors.E041.format(path=", ".join(map(str, paths))))
    seen: set[Path] = set()
    for f in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            yield f


def load_records(path: Path) -> list[tuple[int, Any]]:
    """The raw records of a case file as (line number, parsed value); line is 1 for YAML/JSON files."""
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise _fail(path, f"not UTF-8 text (byte {err.start}); a fixture is a YAML or JSON file") from err
    except OSError as err:
        raise _fail(path, f"cannot read ({err.strerror or err})") from err
    if not raw.strip():
        raise _fail(path, "the file is empty; a fixture holds at least 'id' and 'text'")
    if path.name.endswith(".jsonl"):
        records = []
        for number, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                records.append((number, json.loads(line)))
            except ValueError as err:
                raise _fail(path, f"line {number}: not valid JSON ({err})") from err
        return records
    if path.name.endswith(".json"):
        try:
            return [(1, json.loads(raw))]
        except ValueError as err:
            raise _fail(path, f"not valid JSON ({err})") from err
    import yaml

    try:
        return [(1, yaml.safe_load(raw))]
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise _fail(path, f"{where}not valid YAML ({problem})") from err


def load_cases(path: Path) -> list[tuple[Case, str | None]]:
    """Cases of one file as (case, resolved text_file contents or None); errors name file and field."""
    path = Path(path)
    out: list[tuple[Case, str | None]] = []
    ids: set[str] = set()
    jsonl = path.name.endswith(".jsonl")
    for number, record in load_records(path):
        at = f"line {number}, " if jsonl else ""
        if not isinstance(record, dict):
            got = type(record).__name__ if record is not None else "nothing"
            raise _fail(path, f"{at}a case must be a mapping of fields (id, text, quotes, findings…), got {got}")
        try:
            case = Case(**record)
        except ValidationError as err:
            errors = err.errors()
            first = errors[0]
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            msg = first["msg"].removeprefix("Value error, ")
            raise _fail(path, f"{at}field '{_where(first['loc'])}': {msg}{more}") from err
        if case.id in ids:
            raise _fail(path, f"{at}field 'id': duplicate case id {case.id!r} in this file")
        ids.add(case.id)
        text = None
        if case.text_file:
            target = (path.parent / case.text_file).resolve()
            try:
                text = target.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as err:
                raise _fail(path, f"{at}field 'text_file': cannot read {target}") from err
            if not text.strip():
                raise _fail(path, f"{at}field 'text_file': {target} is empty")
        out.append((case, text))
    return out


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
    if not got:
        return False
    from quotecheck.pipeline.match import _stem_match, actor_key

    a, b = actor_key(expected), actor_key(got)
    return a in b or b in a or _stem_match(a, b)


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _label(f: Finding) -> str:
    return f"mismatch:{f.type or 'other'}" if f.verdict == "mismatch" else "consistent"


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
        want = f"mismatch:{exp.type}" if exp.verdict == "mismatch" else "consistent"
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
        found_quotes=found_quotes,
        found_findings=found_findings,
        analyzed=case.needs_model,
        paired=tuple(paired),
        verdicts=tuple(verdicts),
        extra_findings=extra,
        seconds=round(time.perf_counter() - started, 4),
    )


# -- --update and schema ----------------------------------------------------------------------


def updated_record(record: dict[str, Any], case: Case, result: CaseResult) -> dict[str, Any]:
    """``record`` with its expectations rewritten from ``result`` (what was found).

    Only what the case checks is rewritten: ``quotes`` when it lists quotes, ``findings`` /
    ``no_findings`` when it checks findings; a case with no expectation gets both. ``forbid``
    is never touched. Key order and every other field are kept.
    """
    out = dict(record)
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


def fixture_schema() -> dict[str, Any]:
    """JSON Schema of one fixture case (a YAML/JSON file, or one line of a JSON Lines file)."""
    schema = Case.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:quotecheck:schema:fixture",
        **schema,
    }
