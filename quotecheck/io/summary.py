"""Counting findings for people: plurals and counts by verdict and type, shared by every renderer.

The text table, the HTML report and ``regress`` all say "1 mismatch", "2 mismatches", and list
verdicts in one order (mismatch, unverified, consistent). A verdict this module does not know
yet is still counted, after the known ones, never folded into another verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar


class Judged(Protocol):
    """What is counted: a Finding, or a record of one (``io/records.py``)."""

    @property
    def verdict(self) -> str: ...
    @property
    def type(self) -> str | None: ...


F = TypeVar("F", bound=Judged)

__all__ = ["Judged", "VERDICT_ORDER", "plural", "verdict_counts", "findings_summary", "is_mismatch"]

#: The order verdicts are listed in: what needs a fact-checker first.
VERDICT_ORDER = ("mismatch", "unverified", "consistent")

#: Words whose plural is not the word + "s"; verdicts that are adjectives do not change.
_PLURALS = {"mismatch": "mismatches", "unverified": "unverified", "consistent": "consistent", "text": "texts", "speaker": "speakers"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """``"1 mismatch"``, ``"2 mismatches"``, ``"0 findings"``."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {many or _PLURALS.get(word) or word + 's'}"


def is_mismatch(finding: Judged) -> bool:
    """The one test of "this finding is a mismatch" (``--fail-on mismatch``, counts, colours)."""
    return finding.verdict == "mismatch"


def verdict_counts(findings: Iterable[F]) -> list[tuple[str, list[F], dict[str | None, list[F]]]]:
    """(verdict, its findings, its findings by type) for every verdict present, in :data:`VERDICT_ORDER`.

    Findings keep the order they were given in within each group.
    """
    groups: dict[str, list[F]] = {}
    for f in findings:
        groups.setdefault(f.verdict, []).append(f)
    known = [v for v in VERDICT_ORDER if v in groups]
    order = known + sorted(v for v in groups if v not in VERDICT_ORDER)
    out = []
    for verdict in order:
        by_type: dict[str | None, list[F]] = {}
        for f in groups[verdict]:
            by_type.setdefault(f.type, []).append(f)
        out.append((verdict, groups[verdict], by_type))
    return out


def findings_summary(findings: Iterable[Judged], *, scope: str = "") -> str:
    """``"3 findings: 2 mismatches (1 target, 1 timing), 1 consistent"``, or ``"0 findings"``;
    ``scope`` follows the count (``"3 findings in 12 texts: …"``)."""
    findings = list(findings)
    parts = []
    for verdict, group, by_type in verdict_counts(findings):
        types = ", ".join(f"{len(fs)} {t}" for t, fs in by_type.items() if t)  # types are labels: "2 timing"
        parts.append(plural(len(group), verdict) + (f" ({types})" if types else ""))
    head = plural(len(findings), "finding") + (f" {scope}" if scope else "")
    return f"{head}: {', '.join(parts)}" if parts else head
