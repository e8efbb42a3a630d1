"""Checker: holds the settings (and, once used, the models) and runs the pipeline on texts.

``Checker()`` only stores settings; every model loads on first use. Quote extraction needs no
model and never imports torch; said versus did within one text needs the parser and the small
said/did model (numpy) but no encoder; only ``compare`` and a corpus index embed (the encoder's
cosine is a feature of pairing across texts, and faiss finds the candidates in a corpus).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from typing import Any, Literal, overload

import numpy as np

from quotecheck.config import Config, default_model_path
from quotecheck.embed import Encoder, encode_unique
from quotecheck.errors import Errors, IndexStoreError, InputError
from quotecheck.index import CorpusIndex
from quotecheck.models import Analysis, Comparison, Finding, Statement
from quotecheck.nlp import load_pipeline, spacy_model_name
from quotecheck.pipeline import attribution as quotes_stage
from quotecheck.pipeline import speakers as speakers_stage
from quotecheck.pipeline.saydo import stage as saydo_stage
from quotecheck.pipeline.saydo.decide import PairDecision, decide_across, detect
from quotecheck.pipeline.saydo.features import ClauseInfo
from quotecheck.pipeline.saydo.model import SaydoModel, load_saydo_model
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
            from quotecheck.embed_onnx import encoder_for  # here, so `python -m quotecheck.embed_onnx` runs it only once

            self._encoder = encoder_for(self.model_path, device=self.device, batch_size=self.batch_size)
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

    @property
    def saydo(self) -> SaydoModel:
        """The said/did model (``Config.saydo_model`` or the packaged one), loaded once per process."""
        return load_saydo_model(self.config.saydo_model)

    def structure(self, text: str, *, doc_id: str | None = None, date: str | None = None) -> Analysis:
        """Quotes, commitments, outcomes and within-text findings of ``text`` (no embedding model)."""
        return self.structure_many([(text, {"doc_id": doc_id, "date": date})])[0]

    def structure_many(self, items: list[tuple[str, dict[str, Any] | None]]) -> list[Analysis]:
        """:meth:`structure` for a batch: one spaCy ``pipe`` call parses every text's candidate sentences."""
        return [analysis for analysis, _ in self._structure_results(items)]

    def _structure_results(self, items: list[tuple[str, dict[str, Any] | None]]) -> list[tuple[Analysis, saydo_stage.SaydoResult]]:
        texts = [_check_text(text) for text, _ in items]
        metas = [meta or {} for _, meta in items]
        model = self.saydo
        out = []
        for text, meta, (doc, quotes, entities) in zip(texts, metas, saydo_stage.prepare(texts, self.nlp, self.config)):
            doc_id = meta.get("doc_id") or doc_id_for(text)
            date = meta.get("date")
            result = saydo_stage.run(doc, quotes, entities, model, doc_id=doc_id, date=date)
            analysis = Analysis(
                doc_id=doc_id, text=text, date=date, sentences=doc.seg.sentences, entities=entities, quotes=quotes,
                statements=result.statements, findings=result.findings,
            )
            out.append((analysis, result))
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
        """Judge the commitments stated in ``a`` against what ``b`` reports (every clause of ``b``
        when it is given as text; its statements when given as an Analysis)."""
        first, first_infos = self._with_infos(a, None)
        second, second_infos = self._with_infos(b, first.doc_id + "-b" if not isinstance(b, Analysis) or b.doc_id == first.doc_id else None)
        plans = [(s, info) for s, info in first_infos if s is not None and s.kind == "intention"]
        others = [info for _, info in second_infos]
        if not plans or not others:
            return Comparison(a=first, b=second)
        model = self.saydo
        plan_infos = [info for _, info in plans]
        plan_det = np.asarray([s.view.detector if s.view and s.view.detector else (0.0, 1.0, 0.0) for s, _ in plans], dtype=np.float64)
        other_det = detect(model, others)
        vec = encode_unique(self.encoder, [i.text for i in plan_infos] + [o.text for o in others])
        lem = encode_unique(self.encoder, [i.lemma for i in plan_infos] + [o.lemma for o in others])
        n = len(plan_infos)
        decision = decide_across(model, plan_infos, plan_det, others, other_det, vec[:n] @ vec[n:].T, lem[:n] @ lem[n:].T,
                                 commitments=list(range(n)))
        if not decision.pairs:
            return Comparison(a=first, b=second)
        second, outcome_statements = self._outcomes_in(second, second_infos, decision.pairs, other_det)
        findings = saydo_stage.findings_of(
            decision.pairs, [plans[p.commitment][0] for p in decision.pairs], [outcome_statements[p.outcome] for p in decision.pairs],
            link="corpus", prefix="c", similarity=[float(vec[p.commitment] @ vec[n + p.outcome]) for p in decision.pairs],
        )
        if self.nli is not None:
            findings = self._with_nli([(first.statement(f.intention), second.statement(f.action)) for f in findings], findings)
        return Comparison(a=first, b=second, findings=tuple(findings))

    def _with_infos(self, x: str | Analysis, doc_id: str | None) -> tuple[Analysis, list[tuple[Statement | None, ClauseInfo]]]:
        """An analysis with a description of each of its clauses (every clause of a text; the
        statements of an Analysis, from their views), paired with the statement each one is."""
        if isinstance(x, Analysis):
            analysis = x if doc_id is None else self.structure(x.text, doc_id=doc_id, date=x.date)
            if analysis is x:
                return x, [(s, saydo_stage.info_of_view(s)) for s in x.statements if s.view is not None]
            x = analysis.text
        analysis, result = self._structure_results([(x, {"doc_id": doc_id})])[0]
        by_id = {s.id: s for s in analysis.statements}
        return analysis, [(by_id.get(result.statement_of.get(i, "")), info) for i, info in enumerate(result.infos)]

    def _outcomes_in(self, analysis: Analysis, infos: list[tuple[Statement | None, ClauseInfo]], pairs: tuple[PairDecision, ...],
                     detector: np.ndarray) -> tuple[Analysis, dict[int, Statement]]:
        """The statements the paired clauses of ``analysis`` are, adding an ``action`` for a clause
        that was not one yet (a plain act that is an outcome only against the other text's plan)."""
        out: dict[int, Statement] = {}
        added: list[Statement] = []
        for p in pairs:
            existing, info = infos[p.outcome]
            if existing is not None:
                out[p.outcome] = existing
            elif p.outcome not in out:
                sid = f"{analysis.doc_id}:s{len(analysis.statements) + len(added) + 1}"
                out[p.outcome] = saydo_stage.statement_from_info(analysis.text, info, detector[p.outcome], sid=sid, doc_id=analysis.doc_id,
                                                                 date=analysis.date)
                added.append(out[p.outcome])
        if added:
            analysis = analysis.model_copy(update={"statements": analysis.statements + tuple(added)})
        return analysis, out

    # -- corpus ------------------------------------------------------------------------------
    def index_add(self, corpus: CorpusIndex, analyses: Iterable[Analysis]) -> int:
        """Embed the statements of ``analyses`` and add them to ``corpus``; returns documents added."""
        if corpus.encoder_name != self.model_path:
            raise IndexStoreError(Errors.E032.format(path="index", have=corpus.encoder_name, want=self.model_path))
        return corpus.add(analyses, self._vectors)

    def check_index(self, corpus: CorpusIndex, *, since: str | None = None) -> list[Finding]:
        """Pair every indexed outcome with commitments stated in other, not later, documents (the
        cross-text linker on the faiss neighbours, then the same judge as within a text)."""
        actions = [s for s in corpus.statements if s.kind == "action" and s.view is not None and (since is None or (s.date or "") >= since)]
        if not actions:
            return []
        model = self.saydo
        vectors = self._vectors(actions)
        plans: list[Statement] = []
        rows: list[tuple[int, int, float]] = []  # (plan, action, cosine)
        seen: dict[str, int] = {}
        for a, (action, hits) in enumerate(zip(actions, corpus.neighbours(vectors, self.config.pair_k * 4))):
            for other, similarity in hits:
                if other.kind != "intention" or other.view is None or other.doc_id == action.doc_id:
                    continue  # within a document the analysis paired them
                if other.date and action.date and other.date > action.date:
                    continue  # a report cannot answer a plan stated after it
                if other.id not in seen:
                    seen[other.id] = len(plans)
                    plans.append(other)
                rows.append((seen[other.id], a, similarity))
        if not rows:
            return []
        plan_infos = [saydo_stage.info_of_view(s) for s in plans]
        act_infos = [saydo_stage.info_of_view(s) for s in actions]
        words = sorted({i.lemma for i in plan_infos} | {i.lemma for i in act_infos})
        lem = encode_unique(self.encoder, words)
        row = {w: n for n, w in enumerate(words)}
        findings: list[Finding] = []
        plan_det = np.asarray([s.view.detector or (0.0, 1.0, 0.0) for s in plans], dtype=np.float64)  # type: ignore[union-attr]
        act_det = np.asarray([s.view.detector or (0.0, 0.0, 1.0) for s in actions], dtype=np.float64)  # type: ignore[union-attr]
        cos = np.full((len(plans), len(actions)), -1.0)
        for p_i, a_i, sim in rows:
            cos[p_i, a_i] = sim
        head = np.asarray([[float(lem[row[p.lemma]] @ lem[row[a.lemma]]) for a in act_infos] for p in plan_infos])
        decision = decide_across(model, plan_infos, plan_det, act_infos, act_det, cos, head, commitments=list(range(len(plans))))
        pairs = [p for p in decision.pairs if cos[p.commitment, p.outcome] > -1.0]
        if pairs:
            findings = saydo_stage.findings_of(pairs, [plans[p.commitment] for p in pairs], [actions[p.outcome] for p in pairs],
                                               link="corpus", prefix="x", similarity=[float(cos[p.commitment, p.outcome]) for p in pairs])
        return findings

    # -- embedding and the optional second opinion ---------------------------------------------
    def _vectors(self, statements: list[Statement]) -> np.ndarray:
        """Unit vectors of the statements' clauses (one encoder call, duplicates encoded once)."""
        if not statements:
            return np.zeros((0, 1), np.float32)
        return encode_unique(self.encoder, [saydo_stage.statement_text(s) for s in statements])

    def judge_within(self, analyses: list[Analysis]) -> list[Analysis]:
        """The optional NLI second opinion on each analysis' findings (they come from the parse and the
        said/did model in :meth:`structure`); without an NLI model the analyses are returned as they are."""
        if self.nli is None:
            return analyses
        out = []
        for a in analyses:
            if a.findings:
                pairs = [(a.statement(f.intention), a.statement(f.action)) for f in a.findings]
                a = a.model_copy(update={"findings": tuple(self._with_nli(pairs, list(a.findings)))})
            out.append(a)
        return out

    def _with_nli(self, pairs: list[tuple[Statement, Statement]], findings: list[Finding]) -> list[Finding]:
        """Fold the NLI contradiction probability of each (commitment, outcome) into its finding (one batched call)."""
        from quotecheck.nli import FLIP_TYPE, combine

        probabilities = self.nli.contradiction([(i.span.text, a.span.text) for i, a in pairs])
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
