"""Checker: holds the settings (and, once used, the model) and runs the pipeline on texts.

``Checker()`` only stores settings; the encoder loads on first use. Quote extraction needs no
model, so ``extract_quotes`` never imports torch.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from typing import Any, Literal, overload

import numpy as np

from quotecheck.config import Config, default_model_path
from quotecheck.embed import Encoder, SentenceTransformerEncoder, encode_unique
from quotecheck.index import CorpusIndex
from quotecheck.errors import Errors, IndexStoreError, InputError
from quotecheck.models import Analysis, Comparison, Finding, Statement
from quotecheck.nlp import load_pipeline, spacy_model_name
from quotecheck.pipeline import events as events_stage
from quotecheck.pipeline import judge as judge_stage
from quotecheck.pipeline import attribution as quotes_stage
from quotecheck.pipeline import speakers as speakers_stage
from quotecheck.pipeline.calibration import score as calibrated_score
from quotecheck.pipeline.document import parse_documents
from quotecheck.pipeline.match import Pair, choose, link, pairs_within
from quotecheck.pipeline.segment import segment

__all__ = ["Checker", "doc_id_for", "NLI_ENV"]

#: Environment variable naming a local NLI cross-encoder folder (same as ``--nli``).
NLI_ENV = "QUOTECHECK_NLI"


def doc_id_for(text: str) -> str:
    """A stable id for a text: 'd' + the first 10 hex digits of its SHA-1."""
    return "d" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise InputError(Errors.E016.format(type=type(text).__name__))
    return text


class Checker:
    """Runs quotecheck's pipeline; create one and reuse it for many texts."""

    def __init__(
        self,
        *,
        model: str | None = None,
        device: str | None = None,
        batch_size: int = 64,
        nli_model: str | None = None,
        spacy_model: str | None = None,
        config: Config | None = None,
        encoder: Encoder | None = None,
    ) -> None:
        self.model_path = model or default_model_path()
        self.spacy_model = spacy_model_name(spacy_model)
        self.device = device
        self.batch_size = batch_size
        self.nli_model = nli_model or os.environ.get(NLI_ENV) or None
        self.config = config or Config.from_env()
        self._encoder = encoder
        self._nli = None

    @property
    def encoder(self) -> Encoder:
        """The embedding encoder, created on first use (the model itself loads on first encode)."""
        if self._encoder is None:
            self._encoder = SentenceTransformerEncoder(self.model_path, device=self.device, batch_size=self.batch_size)
        return self._encoder

    @property
    def nli(self):
        """The optional NLI scorer (``quotecheck.nli.NLIScorer``), or None when no NLI model is set."""
        if self._nli is None and self.nli_model:
            from quotecheck.nli import NLIScorer

            self._nli = NLIScorer(self.nli_model, device=self.device)
        return self._nli

    @property
    def nlp(self):
        """The spaCy pipeline (``quotecheck.nlp.load_pipeline``), loaded on first use and shared per process."""
        return load_pipeline(self.spacy_model)

    def load(self) -> Checker:
        """Load the models now instead of on the first analysis."""
        _ = self.nlp
        _ = self.encoder.dim
        if self.nli is not None:
            self.nli.load()
        return self

    # -- stages without a model -------------------------------------------------------------
    def extract_quotes(self, text: str, *, doc_id: str | None = None, date: str | None = None) -> Analysis:
        """Sentences, speakers and quotes of ``text`` (no statements, no model)."""
        text = _check_text(text)
        seg = segment(text)
        quotes = quotes_stage.extract_quotes(text, seg, self.config)
        entities, quotes = speakers_stage.resolve(text, seg, quotes)
        return Analysis(
            doc_id=doc_id or doc_id_for(text), text=text, date=date, sentences=seg.sentences, entities=entities, quotes=quotes
        )

    def structure(self, text: str, *, doc_id: str | None = None, date: str | None = None) -> Analysis:
        """Quotes plus the planned events and outcomes of the text; no findings yet (no embedding model)."""
        return self.structure_many([(text, {"doc_id": doc_id, "date": date})])[0]

    def structure_many(self, items: list[tuple[str, dict[str, Any] | None]]) -> list[Analysis]:
        """:meth:`structure` for a batch: one spaCy ``pipe`` call parses every text's candidate sentences."""
        texts = [_check_text(text) for text, _ in items]
        metas = [meta or {} for _, meta in items]
        segs = [segment(text) for text in texts]
        found = []
        for text, seg in zip(texts, segs):
            quotes = quotes_stage.extract_quotes(text, seg, self.config)
            found.append(speakers_stage.resolve(text, seg, quotes))
        docs = parse_documents(texts, self.nlp, segmentations=segs, select=events_stage.needs_parse)
        out = []
        for text, meta, seg, doc, (entities, quotes) in zip(texts, metas, segs, docs, found):
            doc_id = meta.get("doc_id") or doc_id_for(text)
            date = meta.get("date")
            statements = events_stage.extract(doc, quotes, entities, doc_id=doc_id, date=date)
            out.append(
                Analysis(
                    doc_id=doc_id, text=text, date=date, sentences=seg.sentences, entities=entities, quotes=quotes,
                    statements=statements,
                )
            )
        return out

    # -- full pipeline ------------------------------------------------------------------------
    @overload
    def pipe(self, texts: Iterable[str], *, batch_size: int = ..., as_tuples: Literal[False] = ...) -> Iterator[Analysis]: ...
    @overload
    def pipe(
        self, texts: Iterable[tuple[str, Any]], *, batch_size: int = ..., as_tuples: Literal[True]
    ) -> Iterator[tuple[Analysis, Any]]: ...

    def pipe(self, texts, *, batch_size: int = 32, as_tuples: bool = False):
        """Analyse many texts in order, embedding each batch with one encoder call."""
        batch: list[tuple[str, Any]] = []
        for item in texts:
            batch.append(item if as_tuples else (item, None))
            if len(batch) >= batch_size:
                yield from self._run_batch(batch, as_tuples)
                batch = []
        if batch:
            yield from self._run_batch(batch, as_tuples)

    def _run_batch(self, batch: list[tuple[str, Any]], as_tuples: bool):
        items = [(text, context if isinstance(context, dict) else None) for text, context in batch]
        judged = self.judge_within(self.structure_many(items))
        for analysis, (_, context) in zip(judged, batch):
            yield (analysis, context) if as_tuples else analysis

    def analyze(self, text: str, *, doc_id: str | None = None, date: str | None = None) -> Analysis:
        """Quotes, speakers, statements and said-versus-did findings of one text."""
        return next(iter(self._run_batch([(text, {"doc_id": doc_id, "date": date})], False)))

    def compare(self, a: str | Analysis, b: str | Analysis) -> Comparison:
        """Judge the plans stated in ``a`` against the outcomes reported in ``b``."""
        first = a if isinstance(a, Analysis) else self.structure(a)
        second = b if isinstance(b, Analysis) else self.structure(b)
        if second.doc_id == first.doc_id:
            second = self.structure(second.text, doc_id=first.doc_id + "-b", date=second.date)
        intentions = [s for s in first.statements if s.kind == "intention"]
        actions = [s for s in second.statements if s.kind == "action"]
        if not intentions or not actions:
            return Comparison(a=first, b=second)
        vectors = self._vectors([*intentions, *actions])
        fit = self._word_fit([*intentions, *actions])
        pairs = pairs_within(intentions, actions, vectors[: len(intentions)], vectors[len(intentions) :], self.config, word_fit=fit)
        return Comparison(a=first, b=second, findings=tuple(self._judge_pairs(pairs, "c")))

    # -- corpus ------------------------------------------------------------------------------
    def index_add(self, corpus: CorpusIndex, analyses: Iterable[Analysis]) -> int:
        """Embed the statements of ``analyses`` and add them to ``corpus``; returns documents added."""
        if corpus.encoder_name != self.model_path:
            raise IndexStoreError(Errors.E032.format(path="index", have=corpus.encoder_name, want=self.model_path))
        return corpus.add(analyses, self._vectors)

    def check_index(self, corpus: CorpusIndex, *, since: str | None = None) -> list[Finding]:
        """Pair every indexed outcome with plans stated in other, not later, documents (same policy as within a text)."""
        actions = [s for s in corpus.statements if s.kind == "action" and (since is None or (s.date or "") >= since)]
        if not actions:
            return []
        vectors = self._vectors(actions)
        candidates = [
            [(other, similarity) for other, similarity in hits if other.doc_id != action.doc_id]  # within a document the analysis paired them
            for action, hits in zip(actions, corpus.neighbours(vectors, self.config.pair_k * 4))
        ]
        fit = self._word_fit([*actions, *(other for hits in candidates for other, _ in hits)])
        found: list[Pair] = []
        for action, hits in zip(actions, candidates):
            for other, similarity in hits:
                theme_fit = fit(other, action) if action.theme is not None and action.keys else -1.0
                verb_fit = fit(other, action, verbs=True) if action.factuality in ("realised", "negated") else -1.0
                how = link(other, action, similarity, self.config, fit=theme_fit, verb_fit=verb_fit)
                if how is not None:
                    found.append(Pair(other, action, similarity, how))
        return self._judge_pairs(choose(found), "x")

    # -- matching and judging -----------------------------------------------------------------
    def _vectors(self, statements: list[Statement]) -> np.ndarray:
        """Unit vectors of the statements' event phrases (one encoder call, duplicates encoded once)."""
        if not statements:
            return np.zeros((0, 1), np.float32)
        return encode_unique(self.encoder, [events_stage.event_text(s) for s in statements])

    def _word_fit(self, statements: list[Statement]):
        """Best cosine between an outcome's theme head and a plan's words (or, with ``verbs``, between
        their predicate verbs: 'hit' ~ 'strike'), from one encoder call."""
        words = sorted({k for s in statements for k in (*s.keys, s.predicate) if k})
        if not words:
            return lambda plan, outcome, verbs=False: -1.0
        vectors = self.encoder.encode(words)
        row = {w: n for n, w in enumerate(words)}

        def fit(plan: Statement, outcome: Statement, verbs: bool = False) -> float:
            if verbs:
                a, b = row.get(plan.predicate), row.get(outcome.predicate)  # whole predicates: 'set up', 'call off'
                return -1.0 if a is None or b is None else float(np.clip(vectors[a] @ vectors[b], -1.0, 1.0))
            if not plan.keys or not outcome.keys:
                return -1.0
            a = vectors[[row[k] for k in outcome.keys]]
            b = vectors[[row[k] for k in plan.keys]]
            return float(np.clip((a @ b.T).max(), -1.0, 1.0))

        return fit

    def judge_within(self, analyses: list[Analysis]) -> list[Analysis]:
        """Add within-document findings to structured analyses; the whole batch costs two encoder calls."""
        vectors = self._vectors([s for a in analyses for s in a.statements])
        fit = self._word_fit([s for a in analyses for s in a.statements])
        out = []
        row = 0
        for analysis in analyses:
            vecs = vectors[row : row + len(analysis.statements)]
            row += len(analysis.statements)
            kinds = np.array([s.kind == "intention" for s in analysis.statements], dtype=bool)
            intentions = [s for s in analysis.statements if s.kind == "intention"]
            actions = [s for s in analysis.statements if s.kind == "action"]
            pairs = pairs_within(intentions, actions, vecs[kinds], vecs[~kinds], self.config, word_fit=fit) if intentions and actions else []
            findings = self._judge_pairs(pairs, f"{analysis.doc_id}:f") if pairs else []
            out.append(analysis.model_copy(update={"findings": tuple(findings)}) if findings else analysis)
        return out

    def _judge_pairs(self, pairs: list[Pair], prefix: str) -> list[Finding]:
        """Judge every pair (then the optional NLI model); findings sorted by score, ids dense from 1."""
        judged = [(p, judge_stage.judge(p, self.config)) for p in pairs]
        findings = [judge_stage.to_finding(p, j, "tmp", calibrated_score) for p, j in judged]
        if findings and self.nli is not None:
            findings = self._with_nli(pairs, findings)
        order = sorted(range(len(findings)), key=lambda n: (-findings[n].score, pairs[n].action.doc_id, pairs[n].action.span.start, pairs[n].action.id))
        return [findings[n].model_copy(update={"id": f"{prefix}{rank}"}) for rank, n in enumerate(order, start=1)]

    def _with_nli(self, pairs: list[Pair], findings: list[Finding]) -> list[Finding]:
        """Fold the NLI contradiction probability of each pair into its finding (one batched call)."""
        from quotecheck.nli import FLIP_TYPE, combine

        probabilities = self.nli.contradiction([(p.intention.span.text, p.action.span.text) for p in pairs])
        out = []
        for finding, p in zip(findings, probabilities):
            if finding.verdict == "unverified":
                out.append(finding)
                continue
            score, verdict = combine(finding.score, finding.verdict, float(p), self.config.nli_weight, flip_at=self.config.nli_flip_min)
            update: dict[str, object] = {"score": score}
            if verdict != finding.verdict:
                update |= {
                    "verdict": verdict,
                    "type": FLIP_TYPE,
                    "explanation": finding.explanation.rstrip(".") + f"; the NLI model finds a contradiction (p={float(p):.2f}).",
                }
            out.append(finding.model_copy(update=update))
        return out
