"""Said/did annotations: whole articles with commitments, outcomes and links, as offsets.

The repository keeps annotations as JSON Lines of character offsets plus the SHA-256 of the
article text (``annotations/saydo/*.jsonl``, docs/annotation.md); the texts are read from the
corpus folder and a changed text is refused (E161). :func:`match_statements` and
:func:`agreement` implement the scoring rules of docs/annotation.md §7, used for the two-pass
agreement study and for every model figure.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from quotecheck.errors import Errors, InputError
from quotecheck.eval.scoring import PRFCount

__all__ = [
    "AnnotatedStatement",
    "Link",
    "ArticleAnnotation",
    "read_annotations",
    "match_statements",
    "match_targets",
    "agreement",
    "OUTCOME_STATUS",
    "VERDICTS",
    "LINK_TYPES",
    "MIN_OVERLAP",
]

OUTCOME_STATUS = ("done", "not_done", "cancelled", "postponed", "changed", "partial")
VERDICTS = ("consistent", "mismatch", "unverified")
LINK_TYPES = ("target", "negation", "quantity", "timing", "reversal", "other")
#: Two spans match when they overlap by at least this share of the shorter one (docs/annotation.md §7).
MIN_OVERLAP = 0.5


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AnnotatedStatement(_Frozen):
    """A commitment or an outcome: its clause as ``[start, end)`` and its actor."""

    id: str
    kind: Literal["commitment", "outcome"]
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    actor: str
    actor_start: int | None = None
    actor_end: int | None = None
    conditional: bool = False
    due_start: int | None = None
    due_end: int | None = None
    status: str | None = None
    restates: str | None = Field(default=None, description="Id of the fullest statement this one repeats.")


class Link(_Frozen):
    """An outcome reporting on a commitment, with its verdict (and a type for a mismatch)."""

    commitment: str
    outcome: str
    verdict: Literal["consistent", "mismatch", "unverified"]
    type: str | None = None
    note: str = ""


class ArticleAnnotation(_Frozen):
    """One annotated article; ``text`` is read from the corpus and checked against ``sha256``."""

    corpus: str
    file: str
    sha256: str
    annotator: str = ""
    text: str
    commitments: tuple[AnnotatedStatement, ...] = ()
    outcomes: tuple[AnnotatedStatement, ...] = ()
    links: tuple[Link, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.corpus}/{self.file}"

    @property
    def statements(self) -> tuple[AnnotatedStatement, ...]:
        return self.commitments + self.outcomes

    def target(self, statement_id: str) -> str:
        """The id a statement counts for: its own, or the fullest statement it restates."""
        for s in self.statements:
            if s.id == statement_id:
                return s.restates or s.id
        return statement_id


def _statement(kind: str, rec: dict) -> AnnotatedStatement:
    fields = {k: rec[k] for k in AnnotatedStatement.model_fields if k in rec and k != "kind"}
    return AnnotatedStatement(kind=kind, **fields)  # type: ignore[arg-type]


def read_annotations(path: Path, data: Path, *, names: Iterable[str] | None = None) -> list[ArticleAnnotation]:
    """Read ``path`` (JSON Lines) and each article's text from ``data/<corpus>/text/<file>``.

    Refuses a text whose SHA-256 differs from the recorded one (E161) and a span outside it (E162).
    ``names`` keeps only those ``corpus/file`` names.
    """
    keep = set(names) if names is not None else None
    out: list[ArticleAnnotation] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            corpus, file = rec["corpus"], rec["file"]
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise InputError(Errors.E160.format(path=path, line=n, reason=err)) from err
        if keep is not None and f"{corpus}/{file}" not in keep:
            continue
        text_path = data / corpus / "text" / file
        try:
            text = text_path.read_text(encoding="utf-8")
        except OSError as err:
            raise InputError(Errors.E161.format(path=text_path, reason=err)) from err
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != rec["sha256"]:
            raise InputError(Errors.E161.format(path=text_path, reason="its SHA-256 differs from the annotation's"))
        art = ArticleAnnotation(
            corpus=corpus, file=file, sha256=rec["sha256"], annotator=rec.get("annotator", ""), text=text,
            commitments=tuple(_statement("commitment", c) for c in rec.get("commitments", ())),
            outcomes=tuple(_statement("outcome", o) for o in rec.get("outcomes", ())),
            links=tuple(Link(**{k: v for k, v in link.items() if k in Link.model_fields}) for link in rec.get("links", ())),
        )
        for s in art.statements:
            if not 0 <= s.start < s.end <= len(text):
                raise InputError(Errors.E162.format(path=path, line=n, id=s.id, start=s.start, end=s.end))
        out.append(art)
    return out


def overlap_share(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Overlap of two ``[start, end)`` ranges as a share of the shorter one."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return inter / shorter if inter > 0 and shorter > 0 else 0.0


def match_statements(pred: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]) -> dict[int, int]:
    """One-to-one matching, largest overlap first: ``{pred index: gold index}``."""
    cands = sorted(
        ((overlap_share(p, g), i, j) for i, p in enumerate(pred) for j, g in enumerate(gold)),
        key=lambda x: (-x[0], x[1], x[2]),
    )
    out: dict[int, int] = {}
    used: set[int] = set()
    for share, i, j in cands:
        if share < MIN_OVERLAP:
            break
        if i not in out and j not in used:
            out[i] = j
            used.add(j)
    return out


def match_targets(pred: Sequence[tuple[int, int]], gold: Sequence[AnnotatedStatement]) -> tuple[PRFCount, dict[int, str]]:
    """Score predicted spans against gold statements whose restatements count for their target.

    Returns the counts (tp = targets hit, fp = predictions matching no gold statement, fn = targets
    missed) and ``{prediction index: target id}`` for the predictions that hit a target first.
    A further prediction on a target already hit is neither right nor wrong.
    """
    m = match_statements(pred, [(g.start, g.end) for g in gold])
    targets = {g.id for g in gold if not g.restates}
    hit: dict[int, str] = {}
    seen: set[str] = set()
    for i in sorted(m, key=lambda i: pred[i]):
        t = gold[m[i]].restates or gold[m[i]].id
        if t not in seen and t in targets:
            hit[i] = t
            seen.add(t)
    return PRFCount(tp=len(seen), fp=len(pred) - len(m), fn=len(targets) - len(seen)), hit


def _verdict_key(link: Link) -> str:
    return link.verdict if link.verdict != "mismatch" else f"mismatch:{link.type}"


def agreement(first: Sequence[ArticleAnnotation], second: Sequence[ArticleAnnotation]) -> dict:
    """Statement F1 per kind, link F1 and verdict agreement of two annotations of the same articles.

    ``second`` plays gold; F1 is symmetric, so which one does not change the figures.
    """
    counts = {"commitment": PRFCount(), "outcome": PRFCount(), "link": PRFCount()}
    verdict_same = type_same = matched_links = verdict_only_same = 0
    for a, b in zip(first, second):
        mapping: dict[str, str] = {}
        for kind in ("commitment", "outcome"):
            pa = [s for s in a.statements if s.kind == kind and not s.restates]
            pb = [s for s in b.statements if s.kind == kind]
            count, hit = match_targets([(s.start, s.end) for s in pa], pb)
            counts[kind] += count
            mapping |= {pa[i].id: t for i, t in hit.items()}
        gold = {(link.commitment, link.outcome): link for link in b.links}
        hits = 0
        for link in a.links:
            other = gold.get((mapping.get(link.commitment, ""), mapping.get(link.outcome, "")))
            if other is None:
                continue
            hits += 1
            matched_links += 1
            verdict_only_same += link.verdict == other.verdict
            verdict_same += _verdict_key(link) == _verdict_key(other)
            type_same += link.verdict == other.verdict == "mismatch" and link.type == other.type
        counts["link"] += PRFCount.of(hits, len(a.links), len(b.links))
    out = {k: {"p": round(v.precision, 3), "r": round(v.recall, 3), "f1": round(v.f1, 3), "a": v.pred, "b": v.gold}
           for k, v in counts.items()}
    out["verdict_agreement"] = round(verdict_only_same / matched_links, 3) if matched_links else None
    out["verdict_and_type_agreement"] = round(verdict_same / matched_links, 3) if matched_links else None
    out["matched_links"] = matched_links
    return out
