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
from quotecheck.pipeline import judge as judge_stage
from quotecheck.pipeline import attribution as quotes_stage
from quotecheck.pipeline import speakers as speakers_stage
from quotecheck.pipeline import statements as statements_stage
from quotecheck.pipeline.match import Pair, _predates, actors_compatible, find_pairs
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
        config: Config | None = None,
        encoder: Encoder | None = None,
    ) -> None:
        self.model_path = model or default_model_path()
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

    def load(self) -> Checker:
        """Load the models now instead of on the first analysis."""
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
        """Quotes plus intention/action statements; no findings yet (still no model)."""
        text = _check_text(text)
        doc_id = doc_id or doc_id_for(text)
        seg = segment(text)
        quotes = quotes_stage.extract_quotes(text, seg, self.config)
        entities, quotes = speakers_stage.resolve(text, seg, quotes)
        statements = statements_stage.extract(text, seg, quotes, entities, doc_id=doc_id, date=date)
        return Analysis(
            doc_id=doc_id, text=text, date=date, sentences=seg.sentences, entities=entities, quotes=quotes, statements=statements
        )

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
        analyses = []
        for text, context in batch:
            meta = context if isinstance(context, dict) else {}
            analyses.append(self.structure(text, doc_id=meta.get("doc_id"), date=meta.get("date")))
        judged = self.judge_within(analyses)
        for analysis, (_, context) in zip(judged, batch):
            yield (analysis, context) if as_tuples else analysis

    def analyze(self, text: str, *, doc_id: str | None = None, date: str | None = None) -> Analysis:
        """Quotes, speakers, statements and said-versus-did findings of one text."""
        return next(iter(self._run_batch([(text, {"doc_id": doc_id, "date": date})], False)))

    def compare(self, a: str | Analysis, b: str | Analysis) -> Comparison:
        """Judge the intentions stated in ``a`` against the actions reported in ``b``."""
        first = a if isinstance(a, Analysis) else self.structure(a)
        second = b if isinstance(b, Analysis) else self.structure(b)
        if second.doc_id == first.doc_id:
            second = self.structure(second.text, doc_id=first.doc_id + "-b", date=second.date)
        intentions = [s for s in first.statements if s.kind == "intention"]
        actions = [s for s in second.statements if s.kind == "action"]
        findings = self._findings(intentions, actions, prefix="c")
        return Comparison(a=first, b=second, findings=tuple(findings))

    # -- corpus ------------------------------------------------------------------------------
    def index_add(self, corpus: CorpusIndex, analyses: Iterable[Analysis]) -> int:
        """Embed the statements of ``analyses`` and add them to ``corpus``; returns documents added."""
        if corpus.encoder_name != self.model_path:
            raise IndexStoreError(Errors.E032.format(path="index", have=corpus.encoder_name, want=self.model_path))
        vectors_of = lambda statements: encode_unique(self.encoder, [statements_stage.event_text(s) for s in statements])  # noqa: E731
        return corpus.add(analyses, vectors_of)

    def check_index(self, corpus: CorpusIndex, *, since: str | None = None) -> list[Finding]:
        """Pair every indexed action with intentions of the same actor stated in other, not later, documents."""
        actions = [s for s in corpus.statements if s.kind == "action" and (since is None or (s.date or "") >= since)]
        if not actions:
            return []
        vectors = encode_unique(self.encoder, [statements_stage.event_text(s) for s in actions])
        pairs: list[Pair] = []
        for action, hits in zip(actions, corpus.neighbours(vectors, self.config.pair_k * 4)):
            for other, similarity in hits:
                if other.kind != "intention" or other.doc_id == action.doc_id:
                    continue
                if (other.date and action.date and other.date > action.date) or _predates(action, other):
                    continue  # a promise made after the act cannot be broken by it
                if similarity >= self.config.pair_min_similarity and actors_compatible(other, action):
                    pairs.append(Pair(other, action, similarity))
        return self._judge_pairs(pairs, "x")

    # -- matching and judging -----------------------------------------------------------------
    def judge_within(self, analyses: list[Analysis]) -> list[Analysis]:
        """Add within-document findings to structured analyses.

        The whole batch costs two encoder calls: one for every statement's event text, one for
        every target phrase of every candidate pair.
        """
        events = [statements_stage.event_text(s) for a in analyses for s in a.statements]
        vectors = encode_unique(self.encoder, events) if events else np.zeros((0, 1), np.float32)
        pairs_per_doc: list[list[Pair]] = []
        row = 0
        for analysis in analyses:
            vecs = vectors[row : row + len(analysis.statements)]
            row += len(analysis.statements)
            kinds = np.array([s.kind == "intention" for s in analysis.statements], dtype=bool)
            intentions = [s for s in analysis.statements if s.kind == "intention"]
            actions = [s for s in analysis.statements if s.kind == "action"]
            pairs = find_pairs(intentions, actions, vecs[kinds], vecs[~kinds], self.config) if intentions and actions else []
            pairs_per_doc.append(pairs)
        similarity = self._target_similarity([p for pairs in pairs_per_doc for p in pairs])
        out = []
        for analysis, pairs in zip(analyses, pairs_per_doc):
            findings = self._judge_pairs(pairs, f"{analysis.doc_id}:f", similarity) if pairs else []
            out.append(analysis.model_copy(update={"findings": tuple(findings)}) if findings else analysis)
        return out

    def _findings(self, intentions: list[Statement], actions: list[Statement], *, prefix: str) -> list[Finding]:
        """Pairs and findings of intentions against actions (used by compare)."""
        if not intentions or not actions:
            return []
        vectors = encode_unique(self.encoder, [statements_stage.event_text(s) for s in (*intentions, *actions)])
        pairs = find_pairs(intentions, actions, vectors[: len(intentions)], vectors[len(intentions) :], self.config)
        return self._judge_pairs(pairs, prefix)

    def _judge_pairs(self, pairs: list[Pair], prefix: str, similarity=None) -> list[Finding]:
        """Judge every pair (slot rules, then the optional NLI model) and keep the best per action."""
        similarity = similarity or self._target_similarity(pairs)
        findings = [
            judge_stage.to_finding(p, judge_stage.judge(p, similarity, self.config), f"{prefix}{n}")
            for n, p in enumerate(pairs, start=1)
        ]
        if findings and self.nli is not None:
            findings = self._with_nli(pairs, findings)
        return _best_per_action(findings)

    def _with_nli(self, pairs: list[Pair], findings: list[Finding]) -> list[Finding]:
        """Fold the NLI contradiction probability of each pair into its finding (one batched call)."""
        from quotecheck.nli import FLIP_TYPE, combine

        probabilities = self.nli.contradiction([(p.intention.span.text, p.action.span.text) for p in pairs])
        out = []
        for finding, p in zip(findings, probabilities):
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

    def _target_similarity(self, pairs: list[Pair]):
        """A cosine function over every target phrase of ``pairs``, embedded in one call."""
        phrases = sorted({s.target.text for p in pairs for s in (p.intention, p.action) if s.target})
        if not phrases:
            return lambda x, y: 1.0
        vectors = self.encoder.encode(phrases)
        row = {p: i for i, p in enumerate(phrases)}

        def cosine(x: str, y: str) -> float:
            if x not in row or y not in row:
                return 1.0
            return float(np.clip(vectors[row[x]] @ vectors[row[y]], -1.0, 1.0))

        return cosine


def _best_per_action(findings: list[Finding]) -> list[Finding]:
    """Keep, for each action, the finding with the most similar intention; ids stay stable."""
    best: dict[str, Finding] = {}
    for f in findings:
        if f.action not in best or f.similarity > best[f.action].similarity:
            best[f.action] = f
    return sorted(best.values(), key=lambda f: f.id)
