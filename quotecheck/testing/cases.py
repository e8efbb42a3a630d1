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
