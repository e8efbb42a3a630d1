"""The fixture format: what one case says (``Case``) and what running it found (``CaseResult``).

These pydantic models are the fixture schema (``quotecheck schema fixture``, shipped as
``fixture.schema.json``). Expectations name excerpts of the text, not offsets, so fixtures
survive whitespace edits. A case the project cannot pass yet says why in ``xfail``: it is run,
reported as an expected failure and counted, and a case marked ``xfail`` that passes fails the
run (strict), so the mark never outlives the gap it names.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from quotecheck.models import MismatchType, QuoteKind, Verdict

__all__ = [
    "Case",
    "ExpectedQuote",
    "ExpectedFinding",
    "ForbiddenFinding",
    "Check",
    "CaseResult",
    "Outcome",
    "fixture_schema",
]

#: passed / failed: the checks did or did not hold. xfailed: a case marked ``xfail`` failed, as
#: expected. xpassed: a case marked ``xfail`` passed, which fails the run (the mark is stale).
Outcome = Literal["passed", "failed", "xfailed", "xpassed"]


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
    verdict: Verdict
    type: MismatchType | None = Field(default=None, description="Required when verdict is mismatch; only a mismatch has one.")

    @model_validator(mode="after")
    def _type_goes_with_mismatch(self) -> ExpectedFinding:
        if self.verdict == "mismatch" and self.type is None:
            raise ValueError("a mismatch needs a 'type'")
        if self.verdict != "mismatch" and self.type is not None:
            raise ValueError(f"only a mismatch has a 'type' (this finding is {self.verdict})")
        return self

    @property
    def label(self) -> str:
        """``mismatch:<type>``, ``consistent`` or ``unverified``: what a found finding is compared on."""
        return f"mismatch:{self.type}" if self.verdict == "mismatch" else self.verdict


class ForbiddenFinding(_Frozen):
    """A finding that must NOT be reported; every given field must match for it to count."""

    actor: str | None = None
    intention: str | None = None
    action: str | None = None
    verdict: Verdict | None = None


class Case(_Frozen):
    """One fixture: a text (or two, for ``compare``) and what must and must not be found."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="quotecheck fixture case")

    id: str = Field(min_length=1, description="Name of the case, unique within its file; the pytest item name.")
    description: str = ""
    text: str | None = None
    text_file: str | None = Field(
        default=None,
        description="Path of the text, relative to the case file; it must be a regular file in the case file's folder or below it.",
    )
    text_a: str | None = Field(default=None, description="Statement text, for a two-text comparison.")
    text_b: str | None = Field(default=None, description="Report text, for a two-text comparison.")
    quotes: tuple[ExpectedQuote, ...] = Field(default=(), description="Quotes that must be found (in text_a for a pair).")
    findings: tuple[ExpectedFinding, ...] = Field(default=(), description="Findings that must be reported.")
    forbid: tuple[ForbiddenFinding, ...] = Field(default=(), description="Findings that must not be reported.")
    no_findings: bool = Field(default=False, description="True when the text must yield no finding at all.")
    xfail: str | None = Field(
        default=None,
        min_length=1,
        description="Why the case is expected to fail for now. It still runs: a failure is reported as xfail and counted, "
        "a pass is reported as XPASS and fails the run (remove the mark then).",
    )
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
    xfail: str | None = Field(default=None, description="The case's xfail reason, when it is marked.")
    found_quotes: tuple[ExpectedQuote, ...] = Field(default=(), description="Every attributed quote found, as fixture entries.")
    found_findings: tuple[ExpectedFinding, ...] = Field(default=(), description="Every finding reported, as fixture entries.")
    analyzed: bool = Field(default=True, description="False when only quotes were extracted (no model run).")
    paired: tuple[bool, ...] = Field(default=(), description="Per expected finding: was the pair found at all?")
    verdicts: tuple[str | None, ...] = Field(default=(), description="Per expected finding: 'mismatch:<type>', 'consistent', 'unverified' or None.")
    extra_findings: int = 0
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        """Every check held (whatever the xfail mark says); the metrics count this."""
        return not self.failures

    @computed_field  # type: ignore[prop-decorator]
    @property
    def outcome(self) -> Outcome:
        if self.xfail is None:
            return "passed" if self.passed else "failed"
        return "xpassed" if self.passed else "xfailed"

    @property
    def ok(self) -> bool:
        """True when this case does not fail the run: it passed, or it failed as its xfail mark expects."""
        return self.outcome in ("passed", "xfailed")

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


def fixture_schema() -> dict[str, Any]:
    """JSON Schema of one fixture case (a YAML/JSON file, or one line of a JSON Lines file)."""
    schema = Case.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:quotecheck:schema:fixture",
        **schema,
    }
