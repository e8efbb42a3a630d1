"""Evaluation of attribution extraction on PolNeAR-style brat data.

:func:`evaluate_polnear` scores predictions (a ``predict(text)`` function or a folder of ``.ann``
files) against gold and returns a frozen :class:`PolnearReport`; it never prints. The matching
rules are those of the reference scorer ``shared/tools/polnear_eval.py`` (re-implemented here,
and checked to agree with it to within 0.005 on every figure):

Gold
    ``DIR/text/<article>.txt`` and ``DIR/attributions/*.ann``; an ``.ann`` belongs to the article
    whose name is its stem, or its stem without a trailing ``_<annotator>``; when an article has
    several, the lexicographically first file name is used. Files are read as UTF-8 bytes, line
    ends untouched, since offsets count code points. An article with no ``.ann`` has no gold.

Span key
    A span (one or more pieces) is reduced to the set of its *significant* character positions:
    characters that are neither whitespace nor punctuation (Unicode category ``P*``, plus the
    backtick and the acute accent). Edge punctuation, quote marks and the gaps between pieces
    therefore do not matter. A span with no significant character (a ``:`` or dash cue) is keyed
    by its non-space characters; a whitespace-only span is dropped.

Exact match
    identical keys. **Overlap match**: ``|G∩P| ≥ t·|G|`` and ``|G∩P| ≥ t·|P|`` with ``t = 0.5``
    (at least half of both spans' characters shared). Overlap matching is one-to-one and greedy:
    all admissible pairs sorted by Jaccard ``|G∩P| / |G∪P|`` (best first; ties by gold order,
    then prediction order), each taken when both sides are still free.

Roles (source, cue, content)
    per article, the distinct spans of each role (deduplicated by key): the role's span in each
    attribution (all ``Content``/``Content2`` … pieces of one event form one unit), plus any
    ``Source``/``Cue``/``Content`` span no event references. Exact true positives count predicted
    units whose key is a gold key; overlap true positives are the greedy pairs. P, R and F1 are
    micro-averaged over all articles.

Attributions
    one per event with a content; an unreferenced ``Content`` span is a content-only attribution.
    Gold and predicted attributions are paired one-to-one by overlap on their contents. Levels:
    *content* (paired), *content+source* (and the sources overlap-match, or both are absent),
    *content+source+cue* (cues likewise), and a lenient *content+source (any overlap)* where the
    sources need only share one significant character. Source and cue accuracy are over pairs.

Content type (recall split)
    from a gold content's own characters: each piece is widened to an adjacent opening double
    quote mark on the left and, after at most two of ``,.;:!?``, a closing one on the right; the
    text from the first to the last widened piece is scanned once, quote marks toggling
    inside/outside. *direct*: a double mark and every significant character of the pieces inside
    quotes; *mixed*: a mark and some significant character outside; *indirect*: no double mark
    (single quotes are apostrophes and are ignored).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from quotecheck.errors import Errors, InputError
from quotecheck.io.brat import ROLES, parse

if TYPE_CHECKING:
    from quotecheck.models import Quote

__all__ = [
    "PRF",
    "RoleScores",
    "Roles",
    "AttributionLevel",
    "AttributionScores",
    "TypeRecall",
    "RecallByType",
    "ContentTypeCounts",
    "PolnearReport",
    "evaluate_polnear",
    "default_predictor",
    "content_type",
    "OVERLAP",
]

#: Minimum share of both spans' significant characters for an overlap match (the reference's t).
OVERLAP = 0.5
CONTENT_TYPES = ("direct", "mixed", "indirect")
_OPEN = "\u201c\u201e\u00ab"
_CLOSE = "\u201d\u201f\u00bb"
_STRAIGHT = '"'
_DOUBLE = _OPEN + _CLOSE + _STRAIGHT
_NOT_SIGNIFICANT = frozenset("`\u00b4")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PRF(_Frozen):
    """Counts and set precision/recall/F1 of one comparison."""

    gold: int = Field(ge=0)
    pred: int = Field(ge=0)
    tp: int = Field(ge=0)
    precision: float = Field(ge=0, le=1)
    recall: float = Field(ge=0, le=1)
    f1: float = Field(ge=0, le=1)

    @classmethod
    def of(cls, tp: int, pred: int, gold: int) -> PRF:
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return cls(gold=gold, pred=pred, tp=tp, precision=p, recall=r, f1=f)


class RoleScores(_Frozen):
    """One role under exact and overlap match."""

    exact: PRF
    overlap: PRF


class Roles(_Frozen):
    source: RoleScores
    cue: RoleScores
    content: RoleScores


class AttributionLevel(_Frozen):
    tp: int = Field(ge=0)
    precision: float = Field(ge=0, le=1)
    recall: float = Field(ge=0, le=1)
    f1: float = Field(ge=0, le=1)


class AttributionScores(_Frozen):
    """Attributions paired by content overlap, with source and cue checked on the pairs."""

    gold: int = Field(ge=0)
    pred: int = Field(ge=0)
    content: AttributionLevel
    content_source: AttributionLevel
    content_source_cue: AttributionLevel
    content_source_any: AttributionLevel = Field(description="Sources need only share a character.")
    matched_pairs: int = Field(ge=0)
    source_accuracy: float = Field(ge=0, le=1)
    cue_accuracy: float = Field(ge=0, le=1)
    source_accuracy_any_overlap: float = Field(ge=0, le=1)
    source_accuracy_gold_has_source: float = Field(ge=0, le=1)
    matched_gold_has_source: int = Field(ge=0)
    matched_gold_has_source_pred_none: int = Field(ge=0)
    source_accuracy_gold_no_source: float = Field(ge=0, le=1)
    matched_gold_no_source: int = Field(ge=0)


class TypeRecall(_Frozen):
    """Recall on the gold contents of one type (direct, mixed or indirect)."""

    gold_content_units: int = Field(ge=0)
    content_exact_recall: float = Field(ge=0, le=1)
    content_overlap_recall: float = Field(ge=0, le=1)
    gold_attributions: int = Field(ge=0)
    attribution_recall: float = Field(ge=0, le=1)
    attribution_source_recall: float = Field(ge=0, le=1)
    attribution_source_cue_recall: float = Field(ge=0, le=1)


class RecallByType(_Frozen):
    direct: TypeRecall
    mixed: TypeRecall
    indirect: TypeRecall


class ContentTypeCounts(_Frozen):
    """How many predicted content units are direct, mixed and indirect."""

    direct: int = Field(ge=0)
    mixed: int = Field(ge=0)
    indirect: int = Field(ge=0)


class PolnearReport(_Frozen):
    """Every figure of one evaluation run."""

    n_articles: int = Field(ge=0)
    overlap_threshold: float = Field(ge=0, le=1)
    roles: Roles
    attribution: AttributionScores
    recall_by_type: RecallByType
    pred_content_types: ContentTypeCounts
    pred_files_missing: int = Field(default=0, ge=0)
    pred_issues: int = Field(default=0, ge=0, description="Prediction lines skipped as malformed.")
    gold_issues: int = Field(default=0, ge=0)

    def figures(self) -> dict[str, float]:
        """Flat ``name → value`` view of every score (for tables, benchmarks and comparisons)."""
        out: dict[str, float] = {}
        for role in ROLES:
            scores: RoleScores = getattr(self.roles, role)
            for mode in ("exact", "overlap"):
                prf: PRF = getattr(scores, mode)
                for k in ("precision", "recall", "f1"):
                    out[f"{role}.{mode}.{k}"] = getattr(prf, k)
        a = self.attribution
        for level in ("content", "content_source", "content_source_cue", "content_source_any"):
            lv: AttributionLevel = getattr(a, level)
            for k in ("precision", "recall", "f1"):
                out[f"attribution.{level}.{k}"] = getattr(lv, k)
        for k in ("source_accuracy", "cue_accuracy", "source_accuracy_any_overlap",
                  "source_accuracy_gold_has_source", "source_accuracy_gold_no_source"):
            out[f"attribution.{k}"] = getattr(a, k)
        for ty in CONTENT_TYPES:
            tr: TypeRecall = getattr(self.recall_by_type, ty)
            for k in ("content_exact_recall", "content_overlap_recall", "attribution_recall",
                      "attribution_source_recall", "attribution_source_cue_recall"):
                out[f"recall_by_type.{ty}.{k}"] = getattr(tr, k)
        return out


# ---------------------------------------------------------------------------------------------
# span keys and matching


@lru_cache(maxsize=4096)
def _significant(ch: str) -> bool:
    return not (ch.isspace() or unicodedata.category(ch).startswith("P") or ch in _NOT_SIGNIFICANT)


@dataclass(frozen=True)
class _Key:
    """A span reduced to its significant positions (see the module docstring)."""

    pieces: tuple[tuple[int, int], ...]
    key: frozenset[int]
    lo: int
    hi: int

    @classmethod
    def of(cls, pieces: Iterable[tuple[int, int]], text: str) -> _Key:
        ordered = tuple(sorted(pieces))
        key = frozenset(p for s, e in ordered for p in range(s, e) if _significant(text[p]))
        if not key:
            key = frozenset(p for s, e in ordered for p in range(s, e) if not text[p].isspace())
        return cls(ordered, key, min(key) if key else -1, max(key) if key else -1)


def _overlaps(g: _Key | None, p: _Key | None, t: float) -> bool:
    if g is None or p is None or not g.key or not p.key or g.hi < p.lo or p.hi < g.lo:
        return False
    shared = len(g.key & p.key)
    return shared > 0 and shared >= t * len(g.key) and shared >= t * len(p.key)


def _pair(golds: list[_Key], preds: list[_Key], t: float) -> list[tuple[int, int]]:
    """One-to-one overlap pairs, best Jaccard first (ties: gold order, then prediction order)."""
    candidates = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            if _overlaps(g, p, t):
                shared = len(g.key & p.key)
                candidates.append((-(shared / float(len(g.key) + len(p.key) - shared)), gi, pi))
    candidates.sort()
    free_g, free_p, out = set(range(len(golds))), set(range(len(preds))), []
    for _, gi, pi in candidates:
        if gi in free_g and pi in free_p:
            free_g.discard(gi)
            free_p.discard(pi)
            out.append((gi, pi))
    return out


def content_type(pieces: tuple[tuple[int, int], ...], text: str) -> str:
    """``direct``, ``mixed`` or ``indirect`` for a content (rules in the module docstring)."""
    n = len(text)
    inside: set[int] = set()
    lo = hi = -1
    for s, e in pieces:
        while s > 0 and text[s - 1] in _OPEN + _STRAIGHT:
            s -= 1
        j, k = e, 0
        while j < n and k < 2 and text[j] in ",.;:!?":
            j += 1
            k += 1
        if j < n and text[j] in _CLOSE + _STRAIGHT:
            e = j + 1
        inside.update(range(s, e))
        lo = s if lo < 0 else min(lo, s)
        hi = e if hi < 0 else max(hi, e)
    has_mark = outside = quoted = False
    for i in range(lo, hi):
        ch = text[i]
        if ch in _OPEN:
            quoted = True
        elif ch in _CLOSE:
            quoted = False
        elif ch == _STRAIGHT:
            quoted = not quoted
        elif i in inside and not quoted and _significant(ch):
            outside = True
        if i in inside and ch in _DOUBLE:
            has_mark = True
    if not has_mark:
        return "indirect"
    return "mixed" if outside else "direct"


# ---------------------------------------------------------------------------------------------
# attributions of one article


@dataclass(frozen=True)
class _Attribution:
    content: _Key
    source: _Key | None
    cue: _Key | None


@dataclass(frozen=True)
class _Article:
    attributions: tuple[_Attribution, ...]
    units: Mapping[str, tuple[_Key, ...]]
    issues: int


def _build(events: list[dict[str, list[tuple[int, int]]]], orphans: list[tuple[str, tuple[tuple[int, int], ...]]],
           text: str, issues: int) -> _Article:
    """Attributions and role units from per-event role pieces plus unreferenced role spans."""
    units: dict[str, list[_Key]] = {r: [] for r in ROLES}
    attrs: list[_Attribution] = []
    for got in events:
        keys = {r: (_Key.of(got[r], text) if got.get(r) else None) for r in ROLES}
        for r in ROLES:
            k = keys[r]
            if k is not None and not k.key:
                keys[r] = None
            elif k is not None:
                units[r].append(k)
        if keys["content"] is not None:
            attrs.append(_Attribution(keys["content"], keys["source"], keys["cue"]))
    for role, pieces in orphans:
        k = _Key.of(pieces, text)
        if not k.key:
            continue
        units[role].append(k)
        if role == "content":
            attrs.append(_Attribution(k, None, None))
    deduped: dict[str, tuple[_Key, ...]] = {}
    for r in ROLES:
        seen: dict[frozenset[int], _Key] = {}
        for k in units[r]:
            seen.setdefault(k.key, k)
        deduped[r] = tuple(seen.values())
    return _Article(tuple(attrs), deduped, issues)


def _from_ann(ann: str, text: str, path: str) -> _Article:
    doc = parse(ann, text, strict=False, path=path)
    issues = len(doc.issues)
    referenced: set[str] = set()
    events = []
    for event in doc.events:
        got: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
        if event.trigger is not None:
            referenced.add(event.trigger)
        for role, tid in event.roles:
            referenced.add(tid)
            if role not in ROLES or tid not in doc.textbounds:
                issues += 1
                continue
            got[role].extend(doc.textbounds[tid].pieces)
        events.append(got)
    orphans = [(tb.type, tb.pieces) for tid, tb in doc.textbounds.items()
               if tid not in referenced and tb.type in ROLES]
    return _build(events, orphans, text, issues)


def _from_quotes(quotes: Iterable[Quote], text: str) -> _Article:
    events = []
    for q in quotes:
        events.append({
            "content": [(s.start, s.end) for s in q.content],
            "source": [(q.source.start, q.source.end)] if q.source is not None else [],
            "cue": [(q.cue.start, q.cue.end)] if q.cue is not None else [],
        })
    return _build(events, [], text, 0)


def _score(gold: _Article, pred: _Article, text: str, t: float) -> Counter:
    c: Counter = Counter()
    for r in ROLES:
        golds, preds = list(gold.units[r]), list(pred.units[r])
        c[f"{r}_gold"] += len(golds)
        c[f"{r}_pred"] += len(preds)
        gold_keys = {k.key for k in golds}
        c[f"{r}_exact_tp"] += sum(1 for k in preds if k.key in gold_keys)
        pairs = _pair(golds, preds, t)
        c[f"{r}_overlap_tp"] += len(pairs)
        if r == "content":
            matched = {gi for gi, _ in pairs}
            pred_keys = {k.key for k in preds}
            for gi, k in enumerate(golds):
                ty = content_type(k.pieces, text)
                c[f"type_{ty}_gold"] += 1
                c[f"type_{ty}_exact"] += k.key in pred_keys
                c[f"type_{ty}_overlap"] += gi in matched
            for k in preds:
                c[f"pred_type_{content_type(k.pieces, text)}"] += 1
    ga, pa = gold.attributions, pred.attributions
    c["attr_gold"] += len(ga)
    c["attr_pred"] += len(pa)
    types = [content_type(a.content.pieces, text) for a in ga]
    for ty in types:
        c[f"type_{ty}_attr_gold"] += 1
    for gi, pi in _pair([a.content for a in ga], [a.content for a in pa], t):
        g, p = ga[gi], pa[pi]
        src_ok = (g.source is None and p.source is None) or _overlaps(g.source, p.source, t)
        cue_ok = (g.cue is None and p.cue is None) or _overlaps(g.cue, p.cue, t)
        src_any = (g.source is None and p.source is None) or (
            g.source is not None and p.source is not None and bool(g.source.key & p.source.key))
        c["attr_tp"] += 1
        c["attr_src"] += src_ok
        c["attr_cue"] += cue_ok
        c["attr_src_cue"] += src_ok and cue_ok
        c["attr_src_any"] += src_any
        if g.source is not None:
            c["gold_src"] += 1
            c["gold_src_ok"] += src_ok
            c["gold_src_pred_none"] += p.source is None
        else:
            c["gold_nosrc"] += 1
            c["gold_nosrc_ok"] += src_ok
        c[f"type_{types[gi]}_attr_tp"] += 1
        c[f"type_{types[gi]}_attr_src"] += src_ok
        c[f"type_{types[gi]}_attr_src_cue"] += src_ok and cue_ok
    return c


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _report(c: Counter, n_articles: int, t: float, missing: int, pred_issues: int, gold_issues: int) -> PolnearReport:
    roles = {
        r: RoleScores(
            exact=PRF.of(c[f"{r}_exact_tp"], c[f"{r}_pred"], c[f"{r}_gold"]),
            overlap=PRF.of(c[f"{r}_overlap_tp"], c[f"{r}_pred"], c[f"{r}_gold"]),
        )
        for r in ROLES
    }

    def level(key: str) -> AttributionLevel:
        prf = PRF.of(c[key], c["attr_pred"], c["attr_gold"])
        return AttributionLevel(tp=prf.tp, precision=prf.precision, recall=prf.recall, f1=prf.f1)

    tp = c["attr_tp"]
    attribution = AttributionScores(
        gold=c["attr_gold"],
        pred=c["attr_pred"],
        content=level("attr_tp"),
        content_source=level("attr_src"),
        content_source_cue=level("attr_src_cue"),
        content_source_any=level("attr_src_any"),
        matched_pairs=tp,
        source_accuracy=_ratio(c["attr_src"], tp),
        cue_accuracy=_ratio(c["attr_cue"], tp),
        source_accuracy_any_overlap=_ratio(c["attr_src_any"], tp),
        source_accuracy_gold_has_source=_ratio(c["gold_src_ok"], c["gold_src"]),
        matched_gold_has_source=c["gold_src"],
        matched_gold_has_source_pred_none=c["gold_src_pred_none"],
        source_accuracy_gold_no_source=_ratio(c["gold_nosrc_ok"], c["gold_nosrc"]),
        matched_gold_no_source=c["gold_nosrc"],
    )
    by_type = {}
    for ty in CONTENT_TYPES:
        n, na = c[f"type_{ty}_gold"], c[f"type_{ty}_attr_gold"]
        by_type[ty] = TypeRecall(
            gold_content_units=n,
            content_exact_recall=_ratio(c[f"type_{ty}_exact"], n),
            content_overlap_recall=_ratio(c[f"type_{ty}_overlap"], n),
            gold_attributions=na,
            attribution_recall=_ratio(c[f"type_{ty}_attr_tp"], na),
            attribution_source_recall=_ratio(c[f"type_{ty}_attr_src"], na),
            attribution_source_cue_recall=_ratio(c[f"type_{ty}_attr_src_cue"], na),
        )
    return PolnearReport(
        n_articles=n_articles,
        overlap_threshold=t,
        roles=Roles(**roles),
        attribution=attribution,
        recall_by_type=RecallByType(**by_type),
        pred_content_types=ContentTypeCounts(**{ty: c[f"pred_type_{ty}"] for ty in CONTENT_TYPES}),
        pred_files_missing=missing,
        pred_issues=pred_issues,
        gold_issues=gold_issues,
    )


# ---------------------------------------------------------------------------------------------
# corpus


def _read(path: Path) -> str:
    """UTF-8 text with line ends untouched (offsets count code points of the file as it is)."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(Errors.E013.format(path=path, position=err.start), path=str(path)) from err
    except OSError as err:
        raise InputError(Errors.E015.format(path=path, reason=err.strerror or err), path=str(path)) from err


def _gold_files(gold_dir: Path) -> list[tuple[str, Path, Path | None]]:
    """``(article, text path, chosen .ann path or None)`` sorted by article name."""
    text_dir, ann_dir = gold_dir / "text", gold_dir / "attributions"
    if not gold_dir.is_dir():
        raise InputError(Errors.E050.format(path=gold_dir, reason="no such folder"), path=str(gold_dir))
    if not text_dir.is_dir():
        raise InputError(Errors.E050.format(path=gold_dir, reason="no text/ folder"), path=str(gold_dir))
    articles = sorted(p.name[:-4] for p in text_dir.iterdir() if p.name.endswith(".txt"))
    if not articles:
        raise InputError(Errors.E050.format(path=gold_dir, reason="no .txt files in text/"), path=str(gold_dir))
    names = set(articles)
    chosen: dict[str, str] = {}
    anns = sorted(p.name for p in ann_dir.iterdir() if p.name.endswith(".ann")) if ann_dir.is_dir() else []
    for name in anns:
        stem = name[:-4]
        article = stem if stem in names else (stem.rsplit("_", 1)[0] if "_" in stem else None)
        if article in names:
            chosen.setdefault(article, name)
    return [(a, text_dir / f"{a}.txt", (ann_dir / chosen[a]) if a in chosen else None) for a in articles]


def default_predictor() -> Callable[[str], tuple[Quote, ...]]:
    """The project's extractor as ``text → quotes``: ``quotecheck.extract_quotes`` when it exists,
    else the quotes stage over the segmenter."""
    import quotecheck

    api = getattr(quotecheck, "extract_quotes", None)
    if callable(api):
        return lambda text: api(text).quotes

    from quotecheck.config import Config
    from quotecheck.pipeline.quotes import extract
    from quotecheck.pipeline.segment import segment

    config = Config()
    return lambda text: extract(text, segment(text), config)


def evaluate_polnear(
    gold_dir: str | Path,
    *,
    predict: Callable[[str], tuple[Quote, ...]] | None = None,
    pred_dir: str | Path | None = None,
    overlap: float = OVERLAP,
) -> PolnearReport:
    """Score predictions against the PolNeAR-style gold in ``gold_dir`` (rules: module docstring).

    Predictions come from ``pred_dir/<article>.ann`` when ``pred_dir`` is given (a missing file
    means no predictions; malformed lines are skipped and counted), else from ``predict(text)``,
    else from :func:`default_predictor`.
    """
    gold_dir = Path(gold_dir)
    files = _gold_files(gold_dir)
    if pred_dir is not None:
        pred_dir = Path(pred_dir)
        if not pred_dir.is_dir():
            raise InputError(Errors.E052.format(path=pred_dir), path=str(pred_dir))
    elif predict is None:
        predict = default_predictor()
    total: Counter = Counter()
    missing = pred_issues = gold_issues = 0
    for article, text_path, ann_path in files:
        text = _read(text_path)
        gold = _from_ann(_read(ann_path), text, str(ann_path)) if ann_path is not None else _build([], [], text, 0)
        gold_issues += gold.issues
        if pred_dir is not None:
            path = pred_dir / f"{article}.ann"
            if path.exists():
                pred = _from_ann(_read(path), text, str(path))
            else:
                missing += 1
                pred = _build([], [], text, 0)
        else:
            pred = _from_quotes(predict(text), text)  # type: ignore[misc]
        pred_issues += pred.issues
        total.update(_score(gold, pred, text, overlap))
    return _report(total, len(files), overlap, missing, pred_issues, gold_issues)
