"""Plain-text rendering of analyses and comparisons for the terminal."""

from __future__ import annotations

from collections.abc import Iterable

from quotecheck.models import Analysis, Comparison, Finding, Statement

__all__ = ["quotes_table", "analysis_text", "comparison_text", "findings_text"]


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def quotes_table(analysis: Analysis, name: str = "") -> str:
    lines = [f"== {name or analysis.doc_id}: {len(analysis.quotes)} quotes, {len(analysis.entities)} speakers"]
    lines.append(f"{'id':<5} {'kind':<9} {'speaker':<26} {'cue':<14} content")
    for q in analysis.quotes:
        content = " … ".join(c.text for c in q.content)
        speaker = q.speaker_name or "?"
        if q.source is not None and q.source.text != speaker:
            speaker = f"{speaker} ({q.source.text})"
        cue = q.cue.text if q.cue else "-"
        lines.append(f"{q.id:<5} {q.kind:<9} {_cut(speaker, 26):<26} {_cut(cue, 14):<14} {_cut(content, 90)}")
    return "\n".join(lines)


def _statements_table(statements: Iterable[Statement]) -> list[str]:
    lines = [f"{'id':<14} {'kind':<10} {'actor':<22} {'verb':<10} {'neg':<4} statement"]
    for s in statements:
        lines.append(
            f"{s.id:<14} {s.kind:<10} {_cut(s.actor_name, 22):<22} {s.predicate:<10} {'not' if s.negated else '':<4} {_cut(s.span.text, 80)}"
        )
    return lines


def findings_text(findings: Iterable[Finding]) -> list[str]:
    findings = list(findings)
    if not findings:
        return ["no findings"]
    lines = []
    for f in findings:
        label = f"{f.verdict.upper()}" + (f" ({f.type})" if f.type else "")
        lines.append(f"{f.id}  {label:<22} score {f.score:.2f}  {f.explanation}")
    return lines


def analysis_text(analysis: Analysis, name: str = "") -> str:
    lines = [quotes_table(analysis, name), ""]
    lines.append(f"-- statements: {len(analysis.statements)}")
    lines += _statements_table(analysis.statements)
    lines += ["", f"-- findings: {len(analysis.findings)}"]
    lines += findings_text(analysis.findings)
    return "\n".join(lines)


def comparison_text(comparison: Comparison, names: tuple[str, str] = ("A", "B")) -> str:
    intentions = [s for s in comparison.a.statements if s.kind == "intention"]
    actions = [s for s in comparison.b.statements if s.kind == "action"]
    lines = [f"== intentions in {names[0]}: {len(intentions)}"]
    lines += _statements_table(intentions)
    lines += ["", f"== actions in {names[1]}: {len(actions)}"]
    lines += _statements_table(actions)
    lines += ["", f"-- findings: {len(comparison.findings)}"]
    lines += findings_text(comparison.findings)
    return "\n".join(lines)
